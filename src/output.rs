//! Writing results: all files or none.
//!
//! [`replace_dir`] (`build -o DIR`) changes the output directory in one
//! step: the new configs are written into a sibling directory
//! `.DIR.liaison-tmp-PID`, which is then exchanged with DIR by one
//! `renameat2(RENAME_EXCHANGE)` call. At every instant DIR is either the
//! old directory, untouched, or the new one, complete: a failure or a
//! `kill -9` at any point never mixes old and new files. The exchange was
//! chosen over a symlink flip because DIR stays a real directory (scripts
//! that copy, archive or `rm -r` it see what they always saw) and it takes
//! no second name for the user to learn.
//!
//! A lock file next to DIR (`.DIR.liaison-lock`, `flock`) keeps a second
//! build from writing DIR at the same time; the holder of the lock removes
//! the temporary directories of earlier builds that crashed.
//!
//! DIR holds a manifest (`.liaison-manifest`) of the files liaison wrote
//! there, with a hash of each: a config of a switch that left the inventory
//! is removed only when it is in the manifest and unchanged since. Any
//! other file is kept (hard-linked into the new directory) and reported.
//!
//! [`write_all`] (`fetch`) writes files into a directory that keeps its
//! other files: each is written to a temporary name and renamed into place.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".liaison-manifest";
const MANIFEST_HEADER: &str =
    "# files written by `liaison build` (FNV-1a 64 hash, name); do not edit";

/// What [`replace_dir`] did.
#[derive(Debug, Default)]
pub struct Replaced {
    pub written: usize,
    /// Files of an earlier build no longer produced (switches that left the
    /// inventory), removed.
    pub removed: Vec<String>,
    /// Files liaison did not write (or that were edited since), kept.
    pub kept: Vec<String>,
    /// Temporary directories of earlier builds that crashed, removed.
    pub cleaned: Vec<PathBuf>,
}

/// Replaces the content of `dir` with `files` (name, text) as one step; see
/// the module comment. On an error `dir` is as it was.
pub fn replace_dir(dir: &Path, files: &[(String, String)]) -> Result<Replaced, String> {
    let dir = resolve_output_dir(dir)?;
    let (parent, name) = split(&dir)?;
    std::fs::create_dir_all(&parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let _lock = lock(&parent, &name, &dir)?;
    let mut report = Replaced {
        cleaned: clean_leftovers(&parent, &name)?,
        ..Replaced::default()
    };
    let old = read_old(&dir)?;
    let temp = parent.join(format!(".{name}{TEMP_INFIX}{}", std::process::id()));
    let staged = stage(&temp, &dir, files, old.as_ref(), &mut report);
    let swapped = staged.and_then(|()| swap(&temp, &dir, old.is_some()));
    if let Err(e) = swapped {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(e);
    }
    // After an exchange `temp` holds the old directory: it is no longer
    // needed (a crash before this line leaves it for the next build to clean).
    if old.is_some() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    sync_dir(&parent);
    report.written = files.len();
    Ok(report)
}

const TEMP_INFIX: &str = ".liaison-tmp-";

/// The directory to exchange: a symlink's target (the link itself stays
/// as the user made it), else DIR as given.
fn resolve_output_dir(dir: &Path) -> Result<PathBuf, String> {
    let is_link = std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        return std::fs::canonicalize(dir).map_err(|e| {
            format!(
                "output directory {} is a symlink that cannot be followed: {e}",
                dir.display()
            )
        });
    }
    Ok(dir.to_path_buf())
}

fn split(dir: &Path) -> Result<(PathBuf, String), String> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !matches!(*n, "." | ".."))
        .ok_or_else(|| {
            format!(
                "cannot use {} as the output directory: build replaces its output directory as a whole; name a directory of its own, e.g. `-o build`",
                dir.display()
            )
        })?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name.to_string()))
}

/// Takes the lock next to `dir`, or says who holds it. Released when the
/// returned file is dropped (also when the process dies).
fn lock(parent: &Path, name: &str, dir: &Path) -> Result<File, String> {
    let path = lock_path(parent, name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    if !try_lock(&file) {
        return Err(format!(
            "another liaison build is writing {} (it holds {}); wait for it to finish and run build again",
            dir.display(),
            path.display()
        ));
    }
    Ok(file)
}

/// The lock file guarding output directory `parent/name`.
pub fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.liaison-lock"))
}

fn try_lock(file: &File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor we own; no memory is shared.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Removes `.NAME.liaison-tmp-*` next to the output directory: only a
/// build holding the lock creates them, so any found now were left by a
/// build that died.
fn clean_leftovers(parent: &Path, name: &str) -> Result<Vec<PathBuf>, String> {
    let prefix = format!(".{name}{TEMP_INFIX}");
    let entries =
        std::fs::read_dir(parent).map_err(|e| format!("cannot read {}: {e}", parent.display()))?;
    let mut cleaned = Vec::new();
    let dir = parent.join(name);
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !file_name.starts_with(&prefix) {
            continue;
        }
        let path = entry.path();
        // A build that died between the two renames of [`two_renames`]
        // left the old directory aside: it goes back first.
        if file_name.ends_with("-old") && !dir.exists() {
            std::fs::rename(&path, &dir).map_err(|e| {
                format!(
                    "cannot put {} back as {}: {e}",
                    path.display(),
                    dir.display()
                )
            })?;
            continue;
        }
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| {
            format!(
                "cannot remove {} left by an earlier build: {e}",
                path.display()
            )
        })?;
        cleaned.push(path);
    }
    cleaned.sort();
    Ok(cleaned)
}

/// The old output directory: its entries (name → is a directory) and its
/// manifest. None when it does not exist yet.
struct Old {
    entries: BTreeMap<String, bool>,
    manifest: BTreeMap<String, u64>,
}

fn read_old(dir: &Path) -> Result<Option<Old>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if dir.exists() && !dir.is_dir() => {
            return Err(format!(
                "{} exists and is not a directory ({e})",
                dir.display()
            ))
        }
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut old = Old {
        entries: BTreeMap::new(),
        manifest: BTreeMap::new(),
    };
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = entry
            .file_name()
            .to_str()
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "{} holds a file whose name is not UTF-8 ({:?}): move it elsewhere",
                    dir.display(),
                    entry.file_name()
                )
            })?;
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        old.entries.insert(name, is_dir);
    }
    if let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) {
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((hash, file)) = line.split_once("  ") else {
                continue;
            };
            if let Ok(hash) = u64::from_str_radix(hash, 16) {
                old.manifest.insert(file.to_string(), hash);
            }
        }
    }
    Ok(Some(old))
}

/// A leftover of the file-by-file writer of earlier versions
/// (`.NAME.tmp-PID`): never worth keeping.
fn is_old_temp_file(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Writes the new directory at `temp`: the new files, the files of `old`
/// that are kept, the manifest.
fn stage(
    temp: &Path,
    dir: &Path,
    files: &[(String, String)],
    old: Option<&Old>,
    report: &mut Replaced,
) -> Result<(), String> {
    let new: BTreeMap<&str, &str> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    // Decide what to carry over before writing anything.
    let mut carry = Vec::new();
    for (name, is_dir) in old.map(|o| &o.entries).into_iter().flatten() {
        if new.contains_key(name.as_str()) || name == MANIFEST || is_old_temp_file(name) {
            continue;
        }
        if *is_dir {
            return Err(format!(
                "{} holds the directory `{name}`, which liaison did not write; build replaces its output directory as a whole: move `{name}` elsewhere or choose another -o",
                dir.display()
            ));
        }
        let written_by_us = old
            .and_then(|o| o.manifest.get(name))
            .is_some_and(|hash| std::fs::read(dir.join(name)).is_ok_and(|b| fnv1a64(&b) == *hash));
        if written_by_us {
            report.removed.push(name.clone());
        } else {
            carry.push(name.clone());
        }
    }
    std::fs::create_dir(temp).map_err(|e| format!("cannot create {}: {e}", temp.display()))?;
    if let Ok(meta) = std::fs::metadata(dir) {
        let _ = std::fs::set_permissions(temp, meta.permissions());
    }
    let mut manifest = format!("{MANIFEST_HEADER}\n");
    for (name, text) in &new {
        write_synced(&temp.join(name), text.as_bytes())?;
        manifest.push_str(&format!("{:016x}  {name}\n", fnv1a64(text.as_bytes())));
    }
    write_synced(&temp.join(MANIFEST), manifest.as_bytes())?;
    for name in &carry {
        // A hard link keeps the file exactly as it is (same inode); it never
        // follows a symlink, which is carried over as a link.
        std::fs::hard_link(dir.join(name), temp.join(name)).map_err(|e| {
            format!(
                "cannot keep {} in the new directory: {e}",
                dir.join(name).display()
            )
        })?;
    }
    report.kept = carry;
    sync_dir(temp);
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), String> {
    File::create(path)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        })
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Puts `temp` in the place of `dir` in one step.
fn swap(temp: &Path, dir: &Path, dir_exists: bool) -> Result<(), String> {
    let fail =
        |e: std::io::Error| format!("cannot move the new configs into {}: {e}", dir.display());
    if !dir_exists {
        // Fails rather than merging if DIR appeared meanwhile (without the lock).
        return std::fs::rename(temp, dir).map_err(fail);
    }
    match exchange(temp, dir) {
        // A file system without RENAME_EXCHANGE (or an old kernel): DIR is
        // briefly absent instead, but still never mixed.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) => {
            two_renames(temp, dir).map_err(fail)
        }
        other => other.map_err(fail),
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated C strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(temp: &Path, dir: &Path) -> std::io::Result<()> {
    two_renames(temp, dir)
}

/// Without an atomic exchange: DIR is moved aside, then the new one takes
/// its name, and the old one ends up at `temp` (removed by the caller). DIR
/// is briefly absent but never mixed.
fn two_renames(temp: &Path, dir: &Path) -> std::io::Result<()> {
    // Named like the temporary directory, so a build that dies here leaves
    // nothing the next build does not clean.
    let mut aside = temp.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    std::fs::rename(dir, &aside)?;
    if let Err(e) = std::fs::rename(temp, dir) {
        let _ = std::fs::rename(&aside, dir);
        return Err(e);
    }
    std::fs::rename(&aside, temp)
}

/// FNV-1a, 64 bits: detects a file changed since liaison wrote it (not an
/// adversary: the manifest sits next to the file).
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Writes `files` into `dir`, keeping its other files: each is written to a
/// temporary name next to its target and renamed into place once all were
/// written.
pub fn write_all(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create output directory {}: {e}", dir.display()))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (temp, _) in staged {
            let _ = std::fs::remove_file(temp);
        }
    };
    for (name, text) in files {
        let target = dir.join(name);
        let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let written = std::fs::File::create(&temp).and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        });
        staged.push((temp.clone(), target));
        if let Err(e) = written {
            cleanup(&staged);
            return Err(format!("cannot write {}: {e}", temp.display()));
        }
    }
    let mut done = Vec::new();
    for (temp, target) in &staged {
        if let Err(e) = std::fs::rename(temp, target) {
            cleanup(&staged);
            return Err(format!("cannot move {} into place: {e}", target.display()));
        }
        done.push(target.clone());
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_temp_files_are_recognised() {
        assert!(is_old_temp_file(".tor1a.cfg.tmp-1234"));
        assert!(!is_old_temp_file("tor1a.cfg"));
        assert!(!is_old_temp_file(".notes.tmp-x"));
    }

    #[test]
    fn a_build_that_died_between_two_renames_gets_the_old_directory_back() {
        let tmp = tempfile::tempdir().unwrap();
        let aside = tmp.path().join(".build.liaison-tmp-99-old");
        let half_new = tmp.path().join(".build.liaison-tmp-99");
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("notes.txt"), "the operator's").unwrap();
        std::fs::create_dir(&half_new).unwrap();
        let dir = tmp.path().join("build");
        let report = replace_dir(&dir, &[("a.cfg".into(), "hostname a\n".into())]).unwrap();
        assert_eq!(report.kept, ["notes.txt"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
            "the operator's"
        );
        assert!(dir.join("a.cfg").is_file());
        assert!(!aside.exists() && !half_new.exists());
    }

    #[test]
    fn two_renames_put_the_new_directory_in_place() {
        let tmp = tempfile::tempdir().unwrap();
        let (temp, dir) = (tmp.path().join(".d.liaison-tmp-1"), tmp.path().join("d"));
        std::fs::create_dir(&temp).unwrap();
        std::fs::write(temp.join("new"), "").unwrap();
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("old"), "").unwrap();
        two_renames(&temp, &dir).unwrap();
        assert!(dir.join("new").exists() && temp.join("old").exists());
    }

    #[test]
    fn fnv_is_the_published_function() {
        // Test vectors of the FNV reference (draft-eastlake-fnv).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}

//! `build -o DIR` as a user runs it: the output directory changes as one
//! step, is locked against a second build, loses the configs of switches
//! that left the inventory (only those liaison wrote) and is never left
//! half-written, even when the build is killed midway.

mod common;

use std::collections::BTreeMap;
use std::os::unix::io::AsRawFd;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_liaison")
}

fn build(inventory: &Path, out: &Path) -> Output {
    Command::new(bin())
        .args([
            "build",
            inventory.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

/// Every entry of `dir` (hidden ones too) with its size and a hash of its
/// content.
fn snapshot(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    use std::hash::{Hash, Hasher};
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            (
                e.file_name().into_string().unwrap(),
                (bytes.len(), hasher.finish()),
            )
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Renames switch `from` to `to` in every file of the inventory.
fn rename_switch(inventory: &Path, from: &str, to: &str) {
    for entry in std::fs::read_dir(inventory).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yml") {
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(&path, text.replace(from, to)).unwrap();
        }
    }
}

/// Runs build under `sh` with a file-size limit of one 512-byte block, so
/// the first config written exceeds it. `ignore_signal`: the write then
/// fails with EFBIG (an ordinary I/O error); otherwise SIGXFSZ kills the
/// process in the middle of writing, as a crash or kill -9 would.
fn build_with_tiny_file_limit(inventory: &Path, out: &Path, ignore_signal: bool) -> Output {
    let trap = if ignore_signal { "trap '' XFSZ; " } else { "" };
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{trap}ulimit -f 1; exec \"$0\" build \"$1\" -o \"$2\""
        ))
        .args([bin(), inventory.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap()
}

/// The example built into `TMP/build`, then changed so that the next build
/// rewrites configs: (temporary directory, inventory, output directory,
/// snapshot of the output directory).
fn built_then_changed() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    BTreeMap<String, (usize, u64)>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let inventory = tmp.path().join("inv");
    common::copy_inventory("example", &inventory);
    let out = tmp.path().join("build");
    assert!(build(&inventory, &out).status.success());
    common::replace(
        &inventory,
        "chassis.yml",
        "HPE Synergy frame",
        "Synergy frame B",
    );
    let before = snapshot(&out);
    (tmp, inventory, out, before)
}

#[test]
fn removed_switches_lose_their_configs_foreign_files_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let inventory = tmp.path().join("inv");
    common::copy_inventory("example", &inventory);
    let out = tmp.path().join("build");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("README.txt"), "notes of the operator\n").unwrap();
    // A leftover of the file-by-file writer of earlier versions.
    std::fs::write(out.join(".tor1a.cfg.tmp-4242"), "half").unwrap();

    let first = build(&inventory, &out);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("warning: kept README.txt"),
        "{}",
        stderr(&first)
    );
    let files = names(&out);
    assert!(files.contains(&"tor3a.cfg".to_string()));
    assert!(files.contains(&".liaison-manifest".to_string()));
    assert!(
        !files.contains(&".tor1a.cfg.tmp-4242".to_string()),
        "{files:?}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("README.txt")).unwrap(),
        "notes of the operator\n"
    );

    // A hand-written config of a switch liaison never built is not removed.
    std::fs::write(out.join("legacy.cfg"), "hostname legacy\n").unwrap();
    rename_switch(&inventory, "tor3a", "tor3x");
    let second = build(&inventory, &out);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("removed tor3a.cfg (switches no longer in the inventory)"),
        "{}",
        stdout(&second)
    );
    let files = names(&out);
    assert!(!files.contains(&"tor3a.cfg".to_string()), "{files:?}");
    assert!(files.contains(&"tor3x.cfg".to_string()));
    assert!(files.contains(&"legacy.cfg".to_string()));
    assert!(files.contains(&"README.txt".to_string()));
    assert!(
        stderr(&second).contains("legacy.cfg"),
        "{}",
        stderr(&second)
    );

    // A config liaison wrote but someone edited since is kept, with a warning.
    rename_switch(&inventory, "tor3x", "tor3y");
    std::fs::write(out.join("tor3x.cfg"), "hostname tor3x\n! edited by hand\n").unwrap();
    let third = build(&inventory, &out);
    assert!(third.status.success());
    assert!(names(&out).contains(&"tor3x.cfg".to_string()));
    assert!(stderr(&third).contains("tor3x.cfg"), "{}", stderr(&third));
}

#[test]
fn a_build_killed_midway_leaves_the_old_directory_exactly_as_it_was() {
    let (tmp, inventory, out, before) = built_then_changed();

    let killed = build_with_tiny_file_limit(&inventory, &out, false);
    assert!(!killed.status.success());
    assert_eq!(snapshot(&out), before, "the old directory changed");
    let parent: Vec<String> = names(tmp.path());
    assert!(
        parent.iter().any(|n| n.starts_with(".build.liaison-tmp-")),
        "the killed build left no temporary directory? {parent:?}"
    );

    // The next build cleans up after the killed one.
    let next = build(&inventory, &out);
    assert!(next.status.success(), "{}", stderr(&next));
    assert!(
        stderr(&next).contains("left by an earlier build that did not finish"),
        "{}",
        stderr(&next)
    );
    assert!(!names(tmp.path()).iter().any(|n| n.contains("liaison-tmp")));
    assert!(std::fs::read_to_string(out.join("tor1a.cfg"))
        .unwrap()
        .contains("Synergy frame B"));
}

#[test]
fn a_write_error_midway_writes_nothing_and_leaves_nothing_behind() {
    let (tmp, inventory, out, before) = built_then_changed();

    let failed = build_with_tiny_file_limit(&inventory, &out, true);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("File too large"),
        "{}",
        stderr(&failed)
    );
    assert!(
        stderr(&failed).contains("nothing written"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(snapshot(&out), before);
    assert!(!names(tmp.path()).iter().any(|n| n.contains("liaison-tmp")));
}

#[test]
fn a_second_build_into_the_same_directory_is_refused() {
    let (tmp, inventory, out, before) = built_then_changed();

    // Another build holds the lock.
    let lock = std::fs::File::create(tmp.path().join(".build.liaison-lock")).unwrap();
    assert_eq!(
        unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    let refused = build(&inventory, &out);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("another liaison build is writing"),
        "{}",
        stderr(&refused)
    );
    assert!(stderr(&refused).contains("nothing written"));
    assert_eq!(snapshot(&out), before);

    drop(lock);
    assert!(build(&inventory, &out).status.success());
    assert_ne!(snapshot(&out), before);
}

#[test]
fn a_directory_inside_the_output_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let inventory = tmp.path().join("inv");
    common::copy_inventory("example", &inventory);
    let out = tmp.path().join("build");
    std::fs::create_dir_all(out.join("archive")).unwrap();
    std::fs::write(out.join("archive/old.cfg"), "x").unwrap();
    let refused = build(&inventory, &out);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("holds the directory `archive`"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(names(&out), ["archive"]);
    assert!(!names(tmp.path()).iter().any(|n| n.contains("liaison-tmp")));
}

#[test]
fn dot_is_not_an_output_directory() {
    let refused = common::liaison(&["build", "inventories/example", "-o", "."]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("name a directory of its own"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn concurrent_builds_never_mix_their_outputs() {
    let (tmp, changed, out, _) = built_then_changed();
    let original = tmp.path().join("original");
    common::copy_inventory("example", &original);
    // What each inventory builds, alone.
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&original, &a).status.success());
    assert!(build(&changed, &b).status.success());
    let (want_a, want_b) = (snapshot(&a), snapshot(&b));
    assert_ne!(want_a, want_b);
    for _ in 0..5 {
        let spawn = |inventory: &Path| {
            Command::new(bin())
                .args([
                    "build",
                    inventory.to_str().unwrap(),
                    "-o",
                    out.to_str().unwrap(),
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(&original), spawn(&changed));
        for child in [first, second] {
            let result = child.wait_with_output().unwrap();
            if !result.status.success() {
                assert_eq!(result.status.code(), Some(1));
                assert!(
                    stderr(&result).contains("another liaison build is writing"),
                    "{}",
                    stderr(&result)
                );
            }
        }
        let got = snapshot(&out);
        assert!(
            got == want_a || got == want_b,
            "a mix of two builds: {got:?}"
        );
    }
}

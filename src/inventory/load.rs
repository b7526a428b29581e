//! Reading an inventory directory: which files count, reading them safely,
//! and merging them by top-level key (lists concatenate, `fabric` and
//! `services` merge by key, a key defined in two files is an error that
//! points at both).

use super::decode::Decoder;
use super::Inventory;
use crate::diag::{Diagnostic, Diagnostics, Loc, Sources};
use crate::yaml::{self, Key, Node, NodeKind};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The top-level keys of the format, in the order the README documents them.
pub(super) const SECTIONS: &[&str] = &[
    "fabric",
    "switches",
    "links",
    "chassis",
    "hosts",
    "zones",
    "segments",
    "services",
    "policy",
    "endpoints",
    "external",
    "guardrails",
    "platform_limits",
    "drift",
];

/// Inventory files are at most this big; anything larger is not a
/// hand-written inventory and would only cost memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The sections of all files, merged.
#[derive(Default)]
pub(super) struct Merged {
    /// `fabric` and `services`: key → (key, value) across all files.
    pub mappings: BTreeMap<&'static str, Vec<(Key, Node)>>,
    /// List sections: items in file order.
    pub lists: BTreeMap<&'static str, Vec<Node>>,
}

/// Loads the inventory in `dir`. Problems go to `diagnostics`; the returned
/// inventory holds everything that could be decoded, so later checks can
/// still run on the rest. `None` when there is nothing to check at all.
pub fn load(dir: &Path, sources: &mut Sources, diagnostics: &mut Diagnostics) -> Option<Inventory> {
    let files = match inventory_files(dir, diagnostics) {
        Ok(files) => files,
        Err(diagnostic) => {
            diagnostics.push(diagnostic);
            return None;
        }
    };
    let mut merged = Merged::default();
    for path in files {
        let Some(text) = read_text(&path, diagnostics) else {
            continue;
        };
        let file = sources.add(path, text);
        let (root, problems) = yaml::parse(file, sources.text(file));
        for problem in problems {
            diagnostics.push(problem);
        }
        if let Some(root) = root {
            merge_file(root, &mut merged, diagnostics);
        }
    }
    Some(Decoder::new(diagnostics).inventory(dir, merged))
}

/// `*.yml` and `*.yaml` directly in `dir`, sorted by name so the merge order
/// (and so every list's order) does not depend on the file system. An
/// entry with such a name that is not a readable regular file (a dangling
/// symlink, a symlink loop, a directory, a FIFO) is an error, never skipped:
/// a policy file that silently went missing would build deny-all ACLs
/// without its guardrails.
fn inventory_files(dir: &Path, diagnostics: &mut Diagnostics) -> Result<Vec<PathBuf>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error("E008", format!("cannot read inventory directory: {e}"))
            .at(dir.to_path_buf())
            .hint(format!(
                "pass the directory that holds the inventory's *.yml files, absolute or relative to {}",
                std::env::current_dir().map_or_else(|_| "the current directory".into(), |d| d.display().to_string())
            ))
    })?;
    let mut files = Vec::new();
    let mut refused = false;
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error("E130", format!("cannot list the inventory directory: {e}"))
                        .at(dir.to_path_buf())
                        .hint("check the directory's permissions and the file system"),
                );
                refused = true;
                continue;
            }
        };
        let path = entry.path();
        let looks_like_inventory = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yml") | Some("yaml")
        );
        if !looks_like_inventory {
            continue;
        }
        match unreadable_entry(&path) {
            None => files.push(path),
            Some(diagnostic) => {
                diagnostics.push(diagnostic);
                refused = true;
            }
        }
    }
    files.sort();
    if files.is_empty() && !refused {
        return Err(Diagnostic::error("E008", "the inventory directory has no *.yml or *.yaml file")
            .at(dir.to_path_buf())
            .hint("write the inventory as YAML files directly in this directory (subdirectories are not read)"));
    }
    Ok(files)
}

/// Emacs marks a file being edited with a dangling symlink `.#name`.
fn editor_lock(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".#"))
}

/// Why an entry named like an inventory file cannot be read as one.
fn unreadable_entry(path: &Path) -> Option<Diagnostic> {
    let error = |message: String, hint: &str| {
        Some(
            Diagnostic::error("E130", message)
                .at(path.to_path_buf())
                .hint(hint.to_string()),
        )
    };
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = std::fs::read_link(path)
        .map(|t| format!(" (it points to {})", t.display()))
        .unwrap_or_default();
    match std::fs::metadata(path) {
        Err(e) if is_link && e.kind() == std::io::ErrorKind::NotFound => error(
            format!("symlink to a file that does not exist{target}"),
            if editor_lock(path) {
                "an editor's lock file (`.#name`): save and close the file in the editor, then run again"
            } else {
                "point the link at an existing file or delete it; every *.yml here is part of the inventory"
            },
        ),
        Err(e) if is_link && e.raw_os_error() == Some(libc::ELOOP) => error(
            format!("symlink loop{target}"),
            "point the link at a file, not (through other links) at itself",
        ),
        Err(e) => error(
            format!("cannot read this inventory file: {e}"),
            "check its permissions, or move it out of the inventory directory",
        ),
        Ok(meta) if meta.is_dir() => error(
            "a directory named like an inventory file".to_string(),
            "rename the directory (subdirectories are not read) or move it out of the inventory directory",
        ),
        Ok(meta) if !meta.is_file() => error(
            "not a regular file (a FIFO, socket or device)".to_string(),
            "an inventory file must be a regular file: move this entry out of the inventory directory",
        ),
        Ok(_) => None,
    }
}

fn read_text(path: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_FILE_BYTES);
    if too_big {
        diagnostics.push(
            Diagnostic::error(
                "E008",
                format!("file is larger than {MAX_FILE_BYTES} bytes"),
            )
            .at(path.to_path_buf())
            .hint("split the inventory into several files"),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error("E130", format!("cannot read this inventory file: {e}"))
                    .at(path.to_path_buf())
                    .hint("check its permissions and the file system, or move it out of the inventory directory"),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            // Columns count characters, as everywhere else; `valid` is UTF-8.
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
            let col =
                std::str::from_utf8(&valid[line_start..]).map_or(0, |s| s.chars().count()) + 1;
            diagnostics.push(
                Diagnostic::error(
                    "E007",
                    format!(
                        "{}:{line}:{col}: file is not valid UTF-8 (byte offset {})",
                        path.display(),
                        valid.len()
                    ),
                )
                .at(path.to_path_buf())
                .hint("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
            );
            None
        }
    }
}

fn merge_file(root: Node, merged: &mut Merged, diagnostics: &mut Diagnostics) {
    let NodeKind::Map(entries) = root.kind else {
        diagnostics.push(
            Diagnostic::error(
                "E004",
                format!(
                    "an inventory file must be a mapping of sections, found {}",
                    root.describe_kind()
                ),
            )
            .at(root.loc)
            .hint(format!(
                "start the file with one of: {}",
                SECTIONS.join(", ")
            )),
        );
        return;
    };
    for (key, value) in entries {
        let Some(section) = SECTIONS.iter().copied().find(|s| *s == key.text) else {
            diagnostics.push(unknown_key(&key, "top-level section", SECTIONS));
            continue;
        };
        match (section, value.kind) {
            (_, NodeKind::Null) => {}
            ("fabric" | "services", NodeKind::Map(items)) => {
                let target = merged.mappings.entry(section).or_default();
                // Keys defined so far (earlier files), looked up by hash: a
                // linear scan per key would be quadratic in a big mapping.
                let mut defined: HashMap<String, Loc> = target
                    .iter()
                    .map(|(k, _)| (k.text.clone(), k.loc))
                    .collect();
                for (k, v) in items {
                    if let Some(first) = defined.get(&k.text) {
                        diagnostics.push(
                            Diagnostic::error(
                                "E009",
                                format!("`{section}.{}` is defined twice", k.text),
                            )
                            .at(k.loc)
                            .related(*first, "first defined here")
                            .hint("keep one definition; files are merged by key"),
                        );
                    } else {
                        defined.insert(k.text.clone(), k.loc);
                        target.push((k, v));
                    }
                }
            }
            ("fabric" | "services", other) => diagnostics.push(
                Diagnostic::error(
                    "E004",
                    format!("`{section}` must be a mapping, found {}", other.describe()),
                )
                .at(value.loc),
            ),
            (_, NodeKind::Seq(items)) => merged.lists.entry(section).or_default().extend(items),
            (_, other) => diagnostics.push(
                Diagnostic::error(
                    "E004",
                    format!("`{section}` must be a list, found {}", other.describe()),
                )
                .at(value.loc)
                .hint(format!(
                    "write each entry of `{section}` on a line starting with `- `"
                )),
            ),
        }
    }
}

/// `E003 unknown key` with a did-you-mean hint.
pub(super) fn unknown_key(key: &Key, what: &str, known: &[&str]) -> Diagnostic {
    Diagnostic::error("E003", format!("unknown key `{}` in {what}", key.text))
        .at(key.loc)
        .hint(did_you_mean_or(
            &key.text,
            known,
            format!("known keys: {}", known.join(", ")),
        ))
}

/// "did you mean `best`?" when `word` looks like a typo of a known word,
/// else `otherwise`.
pub(crate) fn did_you_mean_or(word: &str, known: &[&str], otherwise: String) -> String {
    match did_you_mean(word, known) {
        Some(best) => format!("did you mean `{best}`?"),
        None => otherwise,
    }
}

/// The closest known word, when it is close enough to be a typo.
pub(crate) fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    // A switch name written in another case is that switch.
    if let Some(same) = known.iter().find(|k| k.eq_ignore_ascii_case(word)) {
        return Some(same);
    }
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

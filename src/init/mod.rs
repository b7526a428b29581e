//! `liaison init DIR`: a small commented starter inventory (an
//! aggregation pair and a ToR pair, one blade chassis, two zones, a
//! policy) that passes `check` as written, for a new user to edit into
//! their own fabric. The files are in `src/init/starter/`, where
//! `tests/init.rs` checks and builds them.

use std::path::{Path, PathBuf};

/// The starter files, by name.
pub const STARTER: [(&str, &str); 5] = [
    ("fabric.yml", include_str!("starter/fabric.yml")),
    ("switches.yml", include_str!("starter/switches.yml")),
    ("hosts.yml", include_str!("starter/hosts.yml")),
    ("segments.yml", include_str!("starter/segments.yml")),
    ("policy.yml", include_str!("starter/policy.yml")),
];

/// Writes the starter inventory into `dir` (created when missing) and
/// returns the files written. A `dir` that holds anything is refused
/// before a file is written: init never overwrites an inventory.
pub fn write_starter(dir: &Path) -> Result<Vec<PathBuf>, String> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "{} is not empty: init writes only into a new or empty directory, never over an inventory\n  = hint: pass a new directory, e.g. `liaison init inventories/mysite`",
                    dir.display()
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    }
    let mut written = Vec::new();
    for (name, text) in STARTER {
        let path = dir.join(name);
        // create_new: a file that appeared meanwhile is never overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

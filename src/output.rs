//! Writing results: all files or none. Every file is first written to a
//! temporary file next to its target and renamed into place only once all
//! of them were written, so an interrupted or failed build never leaves a
//! mix of old and new configs.

use std::io::Write;
use std::path::{Path, PathBuf};

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

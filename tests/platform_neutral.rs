//! Issue #13: the generic stages never name a platform. Platform
//! knowledge lives in `src/platform/<os>/` and generic code reaches it
//! through `Platform`; a platform's name in the code of a generic module
//! (an identifier, a path, a string) means a second platform would need a
//! `match` there. Comments may cite a vendor's document as the source of a
//! design decision, so they are not checked.

use std::path::{Path, PathBuf};

/// The generic modules: the build side (inventory → intent → text), then
/// the text side (config text → tree → plan, readback, push).
const GENERIC: &[&str] = &[
    "src/render",
    "src/compile",
    "src/check",
    "src/check.rs",
    "src/budget.rs",
    "src/policy",
    "src/intent.rs",
    "src/inventory/port.rs",
    "src/config",
    "src/plan",
    "src/verify",
    "src/device",
    "src/apply.rs",
    "src/remote.rs",
    "src/docs",
    "src/pipeline",
];

/// Code lines that still name a platform, each with why it may for now.
const KNOWN: &[(&str, &str, &str)] = &[];

const NAMES: &[&str] = &["nxos", "nx-os", "nexus", "arista"];

fn names_a_platform(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    NAMES.iter().any(|n| lower.contains(n))
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|word| word == "eos")
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn generic_modules_name_no_platform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for module in GENERIC {
        let path = root.join(module);
        assert!(path.exists(), "{module} is listed but does not exist");
        rust_files(&path, &mut files);
    }
    let mut found = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || !names_a_platform(code) {
                continue;
            }
            let known = KNOWN
                .iter()
                .any(|(path, text, _)| relative == *path && code.contains(text));
            if !known {
                found.push(format!("{relative}:{}: {}", number + 1, code));
            }
        }
    }
    assert!(
        found.is_empty(),
        "generic modules name a platform (move the fact to src/platform/<os>/ and ask `Platform`):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_a_platform_name() {
    assert!(names_a_platform("Platform::Nxos => 1,"));
    assert!(names_a_platform("use crate::platform::nxos::numbering;"));
    assert!(names_a_platform("\"eos\" => 2,"));
    assert!(!names_a_platform("let geos = videos;"));
}

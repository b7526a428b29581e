//! Issue #13: the generic stages never name a platform. Platform
//! knowledge lives in `src/platform/<os>/` and generic code reaches it
//! through `Platform`; a platform's name in the code of a generic module
//! (an identifier, a path, a string) means a second platform would need a
//! `match` there. Comments may cite a vendor's document as the source of a
//! design decision, so they are not checked.

use liaison::platform::Platform;
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

/// Every Rust file of the generic modules: its path from the crate root
/// and its text.
fn generic_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for module in GENERIC {
        let path = root.join(module);
        assert!(path.exists(), "{module} is listed but does not exist");
        rust_files(&path, &mut files);
    }
    files
        .iter()
        .map(|file| {
            let relative = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (relative, std::fs::read_to_string(file).unwrap())
        })
        .collect()
}

#[test]
fn generic_modules_name_no_platform() {
    let mut found = Vec::new();
    for (relative, text) in generic_sources() {
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

// ----- command spellings in generic plan code ---------------------------
//
// Issue #13: a platform's command spellings are its data. The text side's
// generic code (config text → tree → plan) reads them from the platform
// (`ManagementRules`, `Dialect::hostname_commands`); a spelling of them
// in a string of that code is a rule hard-coded for one platform.

/// The generic code of the text side (tests excepted: they need some
/// platform's text).
const PLAN_CODE: &[&str] = &["src/config", "src/plan"];

/// The spellings a platform's data holds that generic plan code must not
/// write itself: its management plane (the VRF, the management interface
/// and its name, the SSH server, the route and user commands, the
/// sections of the plane), its remediation rules' section prefixes and
/// named lines (`interface `, `vlan `, `switchport`, `shutdown` …) and the
/// commands that name the switch.
fn platform_spellings() -> Vec<String> {
    let mut spellings = Vec::new();
    for platform in Platform::ALL {
        if let Some(remediator) = platform.remediator() {
            let rules = remediator.rules();
            let m = &rules.management;
            spellings.push(m.vrf.to_string());
            spellings.push(m.interface.to_string());
            if let Some(name) = m.interface.strip_prefix(rules.interface) {
                spellings.push(name.to_string());
            }
            spellings.push(m.remove_user.to_string());
            if let Some(command) = m.remove_user.strip_prefix(rules.negation) {
                spellings.push(command.to_string());
            }
            spellings.extend(m.ssh.iter().map(|s| s.to_string()));
            spellings.extend(m.ssh_sections.iter().map(|s| s.to_string()));
            spellings.extend(m.routes.iter().map(|s| s.to_string()));
            spellings.extend(m.top_routes.iter().map(|s| s.to_string()));
            spellings.extend(m.sections.iter().map(|(command, _)| command.to_string()));
            // The remediation rules' section prefixes and named lines.
            spellings.extend(rules.sections.iter().map(|(prefix, _)| prefix.to_string()));
            for line in [
                rules.interface,
                rules.reset_port,
                rules.vlan,
                rules.svi,
                rules.layer,
                rules.admin,
                rules.set_list.key,
            ] {
                spellings.push(line.to_string());
            }
        }
        if let Some(dialect) = platform.dialect() {
            spellings.extend(dialect.hostname_commands().iter().map(|s| s.to_string()));
        }
    }
    spellings.retain(|s| !s.trim().is_empty());
    spellings.sort();
    spellings.dedup();
    spellings
}

/// The string literals of a line of Rust (`"…"`, escapes skipped; a
/// string continued on the next line is read up to the line's end).
fn string_literals(line: &str) -> Vec<&str> {
    let mut literals = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => break,
            // A char literal (`'"'`) opens no string.
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
            b'"' => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && bytes[end] != b'"' {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(bytes.len());
                literals.push(&line[start..end]);
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    literals
}

/// Whether `literal` spells `spelling` as a command: a pattern ending in
/// `*` as the start of a word; a spelling of several
/// words (`vrf context management`) or a name (`mgmt0`) anywhere, as
/// whole words; a one-word command (`boot`, `line`, `hostname `) where the
/// literal is the command as the platform writes it, or a prefix of
/// lines (`"boot "`): as a word of prose (`"line {}: {}"`, a kind of
/// section named in a summary: `"object-group"` beside the prefix
/// `object-group `) it is English.
fn spells(literal: &str, spelling: &str) -> bool {
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    // A pattern (`interface Management*`: every port so named) spells any
    // word that starts so.
    if let Some(stem) = spelling.strip_suffix('*') {
        return literal
            .match_indices(stem)
            .any(|(at, _)| !literal[..at].chars().next_back().is_some_and(word_char));
    }
    let spelling_trimmed = spelling.trim();
    let one_word =
        !spelling_trimmed.contains(' ') && !spelling_trimmed.contains(|c: char| c.is_ascii_digit());
    if one_word {
        return literal == spelling
            || (!spelling.ends_with(' ') && literal.strip_suffix(' ') == Some(spelling));
    }
    let spelling = spelling_trimmed;
    literal.match_indices(spelling).any(|(at, _)| {
        let before = literal[..at].chars().next_back();
        let after = literal[at + spelling.len()..].chars().next();
        !before.is_some_and(word_char) && !after.is_some_and(word_char)
    })
}

/// The lines of the code of `file` before its test module, numbered.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .map(|(i, line)| (i + 1, line.trim_start()))
        .filter(|(_, line)| !line.starts_with("//"))
}

#[test]
fn plan_code_spells_no_platform_command() {
    let spellings = platform_spellings();
    assert!(
        spellings.iter().any(|s| s.contains(' ')),
        "the platforms' data yield no spelling: {spellings:?}"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for module in PLAN_CODE {
        rust_files(&root.join(module), &mut files);
    }
    assert!(!files.is_empty(), "no file in {PLAN_CODE:?}");
    let mut found = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in code_lines(&text) {
            for literal in string_literals(line) {
                if let Some(spelling) = spellings.iter().find(|s| spells(literal, s)) {
                    found.push(format!("{relative}:{number}: `{spelling}` in {line}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "generic plan code spells a platform's command (read it from the platform's data: ManagementRules, Dialect::hostname_commands):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_command_check_finds_a_spelling() {
    let spellings = platform_spellings();
    let hits = |line: &str| {
        string_literals(line)
            .into_iter()
            .any(|literal| spellings.iter().any(|s| spells(literal, s)))
    };
    assert!(hits(r#"if text == "vrf context management" {"#));
    assert!(hits(r#".strip_prefix("hostname ")"#));
    assert!(hits(r#".or_else(|| n.text.strip_prefix("switchname "))"#));
    assert!(hits(r#".hint("keep SSH and mgmt0's address")"#));
    assert!(hits(r#"let on = "management ssh";"#));
    assert!(hits(r#"format!("interface Management1")"#));
    // Prose, names that merely contain a spelling, and code are not.
    assert!(hits(r#"if node.text == "boot" {"#));
    assert!(hits(r#".strip_prefix("boot ")"#));
    assert!(!hits(r#"(self.object_groups, "object-group"),"#));
    assert!(hits(r#"self.text.starts_with("interface ")"#));
    assert!(!hits(r#"format!("{n} running line{} left alone", s)"#));
    assert!(!hits(
        r#"write!(f, "line {}: {}", self.line, self.message)"#
    ));
    assert!(!hits(r#"let user = "the login user";"#));
    assert!(!hits(r#"let x = mgmt0_address; // "mgmt0""#));
    assert!(!hits(r#"format!("`{text}` moves {mgmt} off {address}")"#));
    assert_eq!(
        string_literals(r#"a("x \" y", '"', "z")"#),
        [r#"x \" y"#, "z"]
    );
}

/// Words of one platform (NX-OS's pair, change and management words) that
/// a generic module's string literals must not hold: a user of another
/// platform would read them. The words come from `Platform` instead
/// (`pair_name`, `pair_words`, the `ChangeStrategy`). The inventory's
/// `vpc_domain`/`fabric.vpc` keys are the input contract
/// (docs/inventory.md), so `vpc` is checked only as a word before a space.
const PLATFORM_WORDS: &[&str] = &[
    "vPC",
    "vpc ",
    "checkpoint",
    "mgmt0",
    "peer-keepalive",
    "Peer status",
    "type-1",
];

/// String literals that still hold such words, each with why for now.
const KNOWN_WORDS: &[(&str, &str, &str)] = &[];

/// The string literals of a code line (`"…"`, escapes kept).
fn literals(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (start, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(s), '"') => {
                out.push(&line[s..i]);
                start = None;
            }
            (None, '"') => start = Some(i + 1),
            _ => {}
        }
    }
    out
}

fn platform_words_in(code: &str) -> Vec<&'static str> {
    let lits = literals(code);
    PLATFORM_WORDS
        .iter()
        .copied()
        .filter(|w| lits.iter().any(|l| l.contains(w)))
        .collect()
}

#[test]
fn generic_messages_hold_no_platform_words() {
    let mut found = Vec::new();
    let mut used = vec![false; KNOWN_WORDS.len()];
    for (relative, text) in generic_sources() {
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            // Unit tests below `#[cfg(test)]` check a platform's own output.
            if code.starts_with("#[cfg(test)]") {
                break;
            }
            if code.starts_with("//") {
                continue;
            }
            let words = platform_words_in(code);
            if words.is_empty() {
                continue;
            }
            let known = KNOWN_WORDS
                .iter()
                .position(|(path, text, _)| relative == *path && code.contains(text));
            match known {
                Some(k) => used[k] = true,
                None => found.push(format!("{relative}:{}: {words:?}: {code}", number + 1)),
            }
        }
    }
    assert!(
        found.is_empty(),
        "generic messages hold a platform's words (take them from `Platform`: pair_name, pair_words, the ChangeStrategy):\n{}",
        found.join("\n")
    );
    let stale: Vec<_> = KNOWN_WORDS
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(k, _)| format!("{k:?}"))
        .collect();
    assert!(
        stale.is_empty(),
        "KNOWN_WORDS entries no longer needed:\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_check_finds_platform_words_in_literals_only() {
    assert_eq!(
        platform_words_in(r#"format!("E190: no vPC peer-keepalive on {x}")"#),
        ["vPC", "peer-keepalive"]
    );
    assert_eq!(
        platform_words_in(r#"progress("checkpoint");"#),
        ["checkpoint"]
    );
    assert_eq!(
        platform_words_in(r#"format!("a \"vpc peer-link\" to {p}")"#),
        ["vpc "]
    );
    // Identifiers and inventory keys are not messages.
    assert!(platform_words_in(r#"let vpc = f.get("vpc_domain"); checkpoint(x)"#).is_empty());
}

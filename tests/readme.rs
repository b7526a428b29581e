//! The README's examples are what liaison prints: every code block marked
//! `<!-- checked … -->` is run and compared with the real output, so no
//! figure in it goes stale.
//!
//! In a checked block, a line `$ COMMAND` is run with `sh` (standard error
//! joined to standard output, as a terminal shows both) in a scratch
//! directory where `inventories/` is the repository's; the lines after it,
//! up to the next `$ ` line, are its expected output. A line `…` stands
//! for any number of lines; trailing spaces are ignored.

use std::path::Path;
use std::process::Command;

const MARKER: &str = "<!-- checked";

/// One `$ COMMAND` of a checked block and the output quoted after it.
struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut examples = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].trim_start().starts_with(MARKER) {
            i += 1;
            continue;
        }
        // A block inside a list item is indented like its marker.
        let indent = &lines[i][..lines[i].len() - lines[i].trim_start().len()];
        let line = |i: usize| {
            let line: &str = lines.get(i).copied().unwrap_or_default();
            line.strip_prefix(indent).unwrap_or(line)
        };
        let fence = line(i + 1);
        assert!(
            fence.starts_with("```"),
            "README.md:{}: a checked marker must stand right above a code block",
            i + 1
        );
        i += 2;
        let start = examples.len();
        while i < lines.len() && !line(i).starts_with("```") {
            match line(i).strip_prefix("$ ") {
                Some(command) => examples.push(Example {
                    line: i + 1,
                    command: command.to_string(),
                    expected: Vec::new(),
                }),
                None => {
                    let in_block = examples.len() > start;
                    examples
                        .last_mut()
                        .filter(|_| in_block)
                        .unwrap_or_else(|| {
                            panic!(
                                "README.md:{}: a checked block starts with `$ COMMAND`",
                                i + 1
                            )
                        })
                        .expected
                        .push(line(i).trim_end().to_string())
                }
            }
            i += 1;
        }
        i += 1;
    }
    examples
}

/// Whether `actual` matches `expected`, where a `…` line matches any
/// number of lines.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line.trim_end() == first && matches(rest, more)),
    }
}

fn run(command: &str, scratch: &Path) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_liaison")).parent().unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("sh")
        .args(["-c", &format!("{command} 2>&1")])
        .current_dir(scratch)
        .env("PATH", path)
        .env_remove("LIAISON_INVENTORY")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("sh runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_readmes_checked_examples_are_what_liaison_prints() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let examples = examples(&readme);
    // The tour quotes at least these; a marker lost in an edit fails here.
    for command in [
        "liaison check",
        "liaison why",
        "liaison plan",
        "liaison build",
    ] {
        assert!(
            examples.iter().any(|e| e.command.starts_with(command)),
            "no checked example of `{command}` in README.md"
        );
    }
    let scratch = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(repo.join("inventories"), scratch.path().join("inventories"))
        .unwrap();
    let mut stale = Vec::new();
    for example in &examples {
        let actual = run(&example.command, scratch.path());
        let lines: Vec<&str> = actual.lines().collect();
        if !matches(&example.expected, &lines) {
            stale.push(format!(
                "README.md:{}: `{}` prints\n{actual}\nbut the README quotes\n{}\n",
                example.line,
                example.command,
                example.expected.join("\n")
            ));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

#[test]
fn an_ellipsis_stands_for_any_number_of_lines_and_nothing_else_is_loose() {
    let expected = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&expected(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&expected(&["a", "…", "d"]), &["a", "d"]));
    assert!(!matches(&expected(&["a", "…", "d"]), &["a", "b", "c"]));
    assert!(!matches(&expected(&["a", "b"]), &["a", "b", "c"]));
    assert!(matches(&expected(&["a"]), &["a  "]));
    let parsed = examples("x\n<!-- checked -->\n```\n$ liaison x\none\n…\n$ liaison y\n```\n");
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed[0].expected, ["one", "…"]);
    assert!(parsed[1].expected.is_empty());
    let indented =
        examples("1. x\n   <!-- checked -->\n   ```\n   $ liaison x\n     two\n   ```\n");
    assert_eq!(indented[0].command, "liaison x");
    assert_eq!(indented[0].expected, ["  two"]);
}

#[test]
fn ci_runs_exactly_the_readmes_test_command() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let block = readme
        .split("## Two commands")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("the two commands in a sh block");
    let commands: Vec<&str> = block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(commands, ["scripts/run-example.sh", "scripts/test.sh"]);
    let ci = std::fs::read_to_string(repo.join(".ci/run")).unwrap();
    let run: Vec<&str> = ci
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(run.last(), Some(&"exec scripts/test.sh"), "{ci}");
}

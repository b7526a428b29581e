//! Colour on a terminal: the severity of diagnostics and messages
//! (`error`, `warning`, `note`, `= hint:`), where they point (`-->`), and
//! the `+`/`-` lines of a plan's diff.
//!
//! The renderers write plain text and never know about colour: what goes
//! to a pipe, a file, a CI log or a golden file is byte for byte what it
//! was. This layer, used by the command line only, adds ANSI styles to
//! that text when the stream is to be coloured, which anstream decides
//! (the crate clap colours its help with): `--color always|never`, else
//! a terminal that supports colour, unless `NO_COLOR` is set (no-color.org)
//! or `CLICOLOR=0`; `CLICOLOR_FORCE=1` colours a pipe too.

use anstyle::{AnsiColor, Style};
use std::io::Write;

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Choice {
    /// Colour a terminal, unless NO_COLOR says otherwise.
    #[default]
    Auto,
    Always,
    Never,
}

/// Sets the choice for the whole process (before anything is printed).
pub fn set(choice: Choice) {
    match choice {
        Choice::Auto => anstream::ColorChoice::Auto,
        Choice::Always => anstream::ColorChoice::Always,
        Choice::Never => anstream::ColorChoice::Never,
    }
    .write_global();
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();
const HINT: Style = AnsiColor::Green.on_default().bold();
const ARROW: Style = AnsiColor::Blue.on_default().bold();
const ADDED: Style = AnsiColor::Green.on_default();
const REMOVED: Style = AnsiColor::Red.on_default();
const HUNK: Style = AnsiColor::Cyan.on_default();
const HEADING: Style = Style::new().bold();

fn colours_stdout() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

fn colours_stderr() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// Writes messages and diagnostics to standard error, coloured when it is
/// to be.
pub fn eprint(text: &str) {
    let text = if colours_stderr() {
        std::borrow::Cow::Owned(paint_messages(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes a plan in its text format (`plan`, `diff`) to standard output,
/// coloured when it is to be.
pub fn print_plan(text: &str) {
    let text = if colours_stdout() {
        std::borrow::Cow::Owned(paint_plan(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Writes `why`'s answers to standard output, the verdict coloured when
/// it is to be.
pub fn print_verdicts(text: &str) {
    let text = if colours_stdout() {
        std::borrow::Cow::Owned(paint_verdicts(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The verdict at the end of each answer's first line (`…: allowed` green,
/// `…: denied` and `…: not routable: …` red).
pub fn paint_verdicts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let end = &line[content.len()..];
        let verdict = [
            (": allowed", ADDED),
            (": denied", REMOVED),
            (": not routable", REMOVED),
        ]
        .into_iter()
        .filter(|_| !content.starts_with(' '))
        .find_map(|(word, style)| Some((content.rfind(word)?, style)));
        match verdict {
            Some((at, style)) => {
                let (head, tail) = content.split_at(at + 2);
                out.push_str(&format!("{head}{HEADING}{style}{tail}{style:#}{end}"));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The severity word of a message line (`error: …`, `warning[W003]: …`),
/// its indented hint (`  = hint: …`) and its place (`  --> file:line`).
pub fn paint_messages(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        paint_message_line(line, &mut out);
    }
    out
}

fn paint_message_line(line: &str, out: &mut String) {
    for (word, style) in [("error", ERROR), ("warning", WARNING), ("note", NOTE)] {
        if let Some(rest) = line.strip_prefix(word) {
            // `error: …` or `error[E001]: …`: paint up to the colon.
            let label_end = match rest.chars().next() {
                Some(':') => Some(0),
                Some('[') => rest.find("]:").map(|i| i + 1),
                _ => None,
            };
            if let Some(end) = label_end {
                let (label, tail) = rest.split_at(end + 1);
                out.push_str(&format!("{style}{word}{label}{style:#}{tail}"));
                return;
            }
        }
    }
    let body = line.trim_start();
    let indent = &line[..line.len() - body.len()];
    for (marker, style) in [("= hint:", HINT), ("-->", ARROW)] {
        if let Some(tail) = body.strip_prefix(marker) {
            out.push_str(&format!("{indent}{style}{marker}{style:#}{tail}"));
            return;
        }
    }
    out.push_str(line);
}

/// A plan's text format: device headings bold, notes as messages, and in
/// each `diff:` section added lines green, removed ones red, hunk headers
/// cyan.
pub fn paint_plan(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut in_diff = false;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let end = &line[content.len()..];
        if content.is_empty() {
            in_diff = false;
            out.push_str(line);
        } else if content == "diff:" {
            in_diff = true;
            out.push_str(line);
        } else if in_diff {
            let style = if content.starts_with("+++") || content.starts_with("---") {
                HEADING
            } else if content.starts_with('+') {
                ADDED
            } else if content.starts_with('-') {
                REMOVED
            } else if content.starts_with("@@") {
                HUNK
            } else {
                Style::new()
            };
            out.push_str(&format!("{style}{content}{style:#}{end}"));
        } else if content.starts_with("== ") || content.starts_with("Plan: ") {
            out.push_str(&format!("{HEADING}{content}{HEADING:#}{end}"));
        } else {
            paint_message_line(line, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removing the escapes gives back exactly the text: colour adds
    /// nothing else.
    fn unpainted(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn messages_get_their_severity_painted_and_nothing_else_changes() {
        let text = "error[E001]: unknown zone `prd`\n  --> a.yml:3:5\n  = hint: did you mean `prod`?\nwarning: kept x\nnote: removed y\nerrors are words too\n";
        let painted = paint_messages(text);
        assert_eq!(unpainted(&painted), text);
        assert!(painted.starts_with(&format!("{ERROR}error[E001]:{ERROR:#} unknown")));
        assert!(painted.contains(&format!("  {HINT}= hint:{HINT:#} did")));
        assert!(painted.contains(&format!("{WARNING}warning:{WARNING:#}")));
        assert!(painted.contains(&format!("{NOTE}note:{NOTE:#}")));
        assert!(painted.ends_with("errors are words too\n"));
    }

    #[test]
    fn plan_diffs_get_added_and_removed_lines_painted() {
        let text = "== tor1a: 2 commands\n\ncommands, in apply order:\nvlan 300\n- not a diff line\n\ndiff:\n--- running/tor1a.cfg\n+++ intended/tor1a.cfg\n@@ -1,2 +1,3 @@\n vlan 1\n+vlan 300\n-vlan 301\n\nPlan: 1 of 1 devices to change, 2 commands.\n";
        let painted = paint_plan(text);
        assert_eq!(unpainted(&painted), text);
        assert!(painted.contains(&format!("{ADDED}+vlan 300{ADDED:#}\n")));
        assert!(painted.contains(&format!("{REMOVED}-vlan 301{REMOVED:#}\n")));
        assert!(painted.contains(&format!("{HUNK}@@ -1,2 +1,3 @@{HUNK:#}")));
        // A command line that happens to start with `-` is no diff line.
        assert!(painted.contains("\n- not a diff line\n"));
    }

    #[test]
    fn verdicts_get_painted_on_the_answer_line_only() {
        let text = "app (10.1.20.128) → db (10.1.30.128) tcp/5432: allowed\n  by the rule at x: allowed\nweb → db tcp/5432: denied\n";
        let painted = paint_verdicts(text);
        assert_eq!(unpainted(&painted), text);
        assert!(painted.contains(&format!("tcp/5432: {HEADING}{ADDED}allowed{ADDED:#}\n")));
        assert!(painted.contains("  by the rule at x: allowed\n"));
        assert!(painted.contains(&format!("{REMOVED}denied")));
    }
}

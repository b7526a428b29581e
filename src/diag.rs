//! Diagnostics: every problem `liaison` reports carries a stable code, a
//! location in the inventory (`file:line:col`), a message and, where we can
//! tell, a hint on how to fix it. Stages push into a [`Diagnostics`]
//! collection instead of returning at the first problem, so `check` can show
//! everything at once.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Index of a source file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A position in an inventory file. `line` and `col` are 1-based; `width`
/// is how many characters the caret underline spans (at least 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    pub width: u32,
}

/// The text of every file read, so diagnostics can quote the offending line.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

#[derive(Debug)]
struct SourceFile {
    path: PathBuf,
    text: String,
    /// Byte offset where each line starts: quoting a line for each of
    /// thousands of diagnostics must not rescan the file every time.
    line_starts: Vec<usize>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            path,
            text,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.files[id.0 as usize].path
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].text
    }

    /// `file:line:col` for humans and tools.
    pub fn describe(&self, loc: Loc) -> String {
        format!("{}:{}:{}", self.path(loc.file).display(), loc.line, loc.col)
    }

    fn line_text(&self, loc: Loc) -> Option<&str> {
        let file = &self.files[loc.file.0 as usize];
        let start = *file.line_starts.get(loc.line.checked_sub(1)? as usize)?;
        let rest = &file.text[start..];
        if rest.is_empty() {
            return None;
        }
        let line = rest.split('\n').next().unwrap_or(rest);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a diagnostic points: a place in an inventory file, or a path on disk
/// (a directory that is missing, a file that cannot be read).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Source(Loc),
    Path(PathBuf),
}

impl From<PathBuf> for Place {
    fn from(path: PathBuf) -> Self {
        Place::Path(path)
    }
}

impl From<Loc> for Place {
    fn from(loc: Loc) -> Self {
        Place::Source(loc)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier, e.g. `E204`; documented in `docs/diagnostics.md`.
    pub code: &'static str,
    pub message: String,
    pub place: Option<Place>,
    /// Other places that take part in the problem (the first definition of
    /// a duplicate, the guardrail a zone breaks, ...).
    pub related: Vec<(Loc, String)>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            place: None,
            related: Vec::new(),
            hint: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, place: impl Into<Place>) -> Self {
        self.place = Some(place.into());
        self
    }

    pub fn related(mut self, loc: Loc, note: impl Into<String>) -> Self {
        self.related.push((loc, note.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An ordered collection of diagnostics.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Sort by place so output reads top to bottom through the files, and
    /// drop exact repeats (two stages may see the same dangling name).
    pub fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (&a.place, a.code, &a.message).cmp(&(&b.place, b.code, &b.message)));
        self.items.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// Renders diagnostics the way rustc does: header, location arrow, the
/// source line with a caret, related notes, hint.
pub fn render_human(diagnostics: &Diagnostics, sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics.iter() {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}[{}]: {}", d.code, d.message);
        match &d.place {
            Some(Place::Source(loc)) => {
                let _ = writeln!(out, "  --> {}", sources.describe(*loc));
                if let Some(line) = sources.line_text(*loc) {
                    let number = loc.line.to_string();
                    let pad = " ".repeat(number.len());
                    let quote = Quote::around(line.trim_end(), loc.col, loc.width);
                    let _ = writeln!(out, "{pad} |");
                    let _ = writeln!(out, "{number} | {}", quote.text);
                    let _ = writeln!(
                        out,
                        "{pad} | {}{}",
                        " ".repeat(quote.caret_col),
                        "^".repeat(quote.carets)
                    );
                }
            }
            Some(Place::Path(path)) => {
                let _ = writeln!(out, "  --> {}", path.display());
            }
            None => {}
        }
        for (loc, note) in &d.related {
            let _ = writeln!(out, "  note: {note}: {}", sources.describe(*loc));
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  = hint: {hint}");
        }
        out.push('\n');
    }
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    if errors > 0 || warnings > 0 {
        let _ = writeln!(
            out,
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
    }
    out
}

/// How many characters of a source line a diagnostic quotes at most: a
/// one-line flow-style list can be megabytes long, and each of its
/// diagnostics would otherwise print (and hold) all of it.
const QUOTE_CHARS: usize = 120;
/// Characters kept before the column when the line is cut.
const QUOTE_BEFORE: usize = 40;

/// The part of a line a diagnostic quotes, and where its carets go.
struct Quote {
    text: String,
    /// Characters before the first caret.
    caret_col: usize,
    carets: usize,
}

impl Quote {
    /// A window of at most [`QUOTE_CHARS`] characters around `col` (1-based,
    /// in characters), marked with `…` where the line was cut.
    fn around(line: &str, col: u32, width: u32) -> Quote {
        let col = col.saturating_sub(1) as usize;
        let width = (width.max(1) as usize).min(QUOTE_CHARS);
        let start = col.saturating_sub(QUOTE_BEFORE);
        let end = start + QUOTE_CHARS;
        // Characters are bytes in an ASCII line: jump to the window instead
        // of walking a long line once per diagnostic.
        let (line, skipped_bytes) = if line.is_ascii() {
            let from = start.min(line.len());
            (&line[from..], from)
        } else {
            (line, 0)
        };
        let mut chars = line.chars();
        let skipped = skipped_bytes + chars.by_ref().take(start - skipped_bytes).count();
        let mut text: String = chars.by_ref().take(end - start).collect();
        let cut_after = chars.next().is_some();
        let cut_before = skipped > 0;
        let mut caret_col = col - skipped;
        if cut_before {
            text.insert(0, '…');
            caret_col += 1;
        }
        if cut_after {
            text.push('…');
        }
        let quoted = text.chars().count();
        Quote {
            text,
            caret_col,
            carets: width.min(quoted.saturating_sub(caret_col).max(1)),
        }
    }
}

/// The JSON shape of one diagnostic (`liaison check --format json`).
#[derive(Serialize)]
pub struct DiagnosticJson {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub related: Vec<RelatedJson>,
    pub hint: Option<String>,
}

#[derive(Serialize)]
pub struct RelatedJson {
    pub note: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

pub fn to_json(diagnostics: &Diagnostics, sources: &Sources) -> Vec<DiagnosticJson> {
    diagnostics
        .iter()
        .map(|d| {
            let (file, line, column) = match &d.place {
                Some(Place::Source(loc)) => (
                    Some(sources.path(loc.file).display().to_string()),
                    Some(loc.line),
                    Some(loc.col),
                ),
                Some(Place::Path(p)) => (Some(p.display().to_string()), None, None),
                None => (None, None, None),
            };
            DiagnosticJson {
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                file,
                line,
                column,
                related: d
                    .related
                    .iter()
                    .map(|(loc, note)| RelatedJson {
                        note: note.clone(),
                        file: sources.path(loc.file).display().to_string(),
                        line: loc.line,
                        column: loc.col,
                    })
                    .collect(),
                hint: d.hint.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: FileId, line: u32) -> Loc {
        Loc {
            file,
            line,
            col: 1,
            width: 1,
        }
    }

    #[test]
    fn long_lines_are_quoted_in_a_window_around_the_column() {
        let short = Quote::around("- { a: 1 }", 3, 1);
        assert_eq!(
            (short.text.as_str(), short.caret_col, short.carets),
            ("- { a: 1 }", 2, 1)
        );
        let line = format!("{}BAD{}", "x".repeat(100_000), "y".repeat(100_000));
        let quote = Quote::around(&line, 100_001, 3);
        assert!(
            quote.text.chars().count() <= QUOTE_CHARS + 2,
            "{}",
            quote.text
        );
        assert!(quote.text.starts_with('…') && quote.text.ends_with('…'));
        let under: String = quote.text.chars().skip(quote.caret_col).take(3).collect();
        assert_eq!(under, "BAD");
        // A span wider than the window is underlined only within it.
        let wide = Quote::around(&line, 1, 200_000);
        assert_eq!(wide.caret_col, 0);
        assert_eq!(wide.carets, QUOTE_CHARS);
    }

    #[test]
    fn quotes_the_line_a_location_names() {
        let mut sources = Sources::default();
        let unix = sources.add("a.yml".into(), "one\ntwo\n\nfour".into());
        let windows = sources.add("b.yml".into(), "one\r\ntwo\r\n".into());
        assert_eq!(sources.line_text(at(unix, 1)), Some("one"));
        assert_eq!(sources.line_text(at(unix, 2)), Some("two"));
        assert_eq!(sources.line_text(at(unix, 3)), Some(""));
        assert_eq!(sources.line_text(at(unix, 4)), Some("four"));
        assert_eq!(sources.line_text(at(unix, 5)), None);
        assert_eq!(sources.line_text(at(unix, 0)), None);
        assert_eq!(sources.line_text(at(windows, 2)), Some("two"));
        assert_eq!(sources.line_text(at(windows, 3)), None);
    }
}

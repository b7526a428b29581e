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
                    let caret_pad = " ".repeat(loc.col.saturating_sub(1) as usize);
                    let carets = "^".repeat(loc.width.max(1) as usize);
                    let _ = writeln!(out, "{pad} |");
                    let _ = writeln!(out, "{number} | {}", line.trim_end());
                    let _ = writeln!(out, "{pad} | {caret_pad}{carets}");
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

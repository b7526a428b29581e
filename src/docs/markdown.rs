//! Pages as Markdown (GitHub-flavoured, for a wiki): the same blocks as
//! the HTML site, tables as pipe tables, diagrams as images of the SVG
//! files written beside them, budget bars as text. Every text is escaped so
//! that user input (names, descriptions) never turns into markup.

use super::doc::{Bar, Block, Inline, Link, Page};
use std::fmt::Write as _;

/// The file a page is written to.
pub fn file_name(page: Option<&str>) -> String {
    match page {
        None => "index.md".to_string(),
        Some(switch) => format!("{switch}.md"),
    }
}

/// Escapes text so that Markdown shows it as written: punctuation that
/// could start markup gets a backslash (a link needs `[`, an image `![`,
/// so parentheses and `!` alone are plain text), `<` and `&` become entities (no
/// HTML gets through), line breaks become spaces (a table row is one line).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span that holds `text` whatever backticks it has; in a
/// table, pipes are escaped (GitHub reads `\|` inside a code span in a
/// table as a pipe).
fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let longest = longest_run(&text, '`');
    let fence = "`".repeat(longest + 1);
    let padded = if text.starts_with('`') || text.ends_with('`') {
        format!(" {text} ")
    } else {
        text
    };
    format!("{fence}{}{fence}", padded.replace('|', "\\|"))
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for x in text.chars() {
        if x == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

fn href(link: &Link) -> String {
    let mut out = file_name(link.page.as_deref());
    if let Some(anchor) = &link.anchor {
        out.push('#');
        out.push_str(anchor);
    }
    out
}

fn write_inline(out: &mut String, inline: &Inline) {
    match inline {
        Inline::Text(text) => out.push_str(&escape(text)),
        Inline::Code(text) if text.is_empty() => {}
        Inline::Code(text) => out.push_str(&code_span(text)),
        Inline::Link(link) => {
            let _ = write!(out, "[{}]({})", escape(&link.text), href(link));
        }
        // Colours do not survive in a wiki: the zone's name says it.
        Inline::Swatch(_) => {}
        Inline::Break => out.push_str("<br>"),
        Inline::Anchor(id) => {
            let _ = write!(out, "<a id=\"{}\"></a>", super::html::escape(id));
        }
    }
}

fn line(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        write_inline(&mut out, inline);
    }
    out
}

/// `█████░░░░░` ten cells wide, the warning threshold as `|`.
fn bar_text(bar: &Bar) -> String {
    let filled = ((bar.percent.clamp(0.0, 100.0) / 10.0).round()) as usize;
    let threshold = ((bar.warning.min(100) as f64) / 10.0).round() as usize;
    let mut out = String::new();
    for cell in 0..10 {
        if cell == threshold {
            out.push('|');
        }
        out.push(if cell < filled { '█' } else { '░' });
    }
    if threshold >= 10 {
        out.push('|');
    }
    out
}

fn fence_for(text: &str) -> String {
    "`".repeat(longest_run(text, '`').max(2) + 1)
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::Heading {
            level,
            text,
            anchor,
        } => {
            let _ = writeln!(
                out,
                "<a id=\"{}\"></a>\n\n{} {}\n",
                super::html::escape(anchor),
                "#".repeat(*level as usize),
                escape(text)
            );
        }
        Block::Paragraph(inlines) => {
            let _ = writeln!(out, "{}\n", line(inlines));
        }
        Block::Table { head, rows } => {
            let cells: Vec<String> = head.iter().map(|h| escape(h)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
            for row in rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| {
                        let text = line(c);
                        if text.is_empty() {
                            " ".to_string()
                        } else {
                            text
                        }
                    })
                    .collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
            }
            out.push('\n');
        }
        Block::Code(text) => {
            let fence = fence_for(text);
            let body = text.strip_suffix('\n').unwrap_or(text);
            let _ = writeln!(out, "{fence}\n{body}\n{fence}\n");
        }
        Block::Diagram { file, caption, .. } => {
            let _ = writeln!(out, "![{}]({file})\n", escape(caption));
        }
        Block::Bars(bars) => {
            out.push_str("| resource | used / limit | |\n| --- | --- | --- |\n");
            for bar in bars {
                let mark = if bar.used > bar.limit {
                    " **over the limit**"
                } else if bar.warns() {
                    " **at or above the warning threshold**"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "| {} | {} / {} ({:.1}%, warning at {}%){mark} | {} {} |",
                    escape(&bar.label),
                    bar.used,
                    bar.limit,
                    bar.percent,
                    bar.warning,
                    code_span(&bar_text(bar)),
                    escape(&bar.note)
                );
            }
            out.push('\n');
        }
        Block::List(items) => {
            for item in items {
                let _ = writeln!(out, "- {}", line(item));
            }
            out.push('\n');
        }
    }
}

/// One page as a Markdown document.
pub fn page(page: &Page, fabric: &str) -> String {
    let mut out = String::new();
    let back = match &page.switch {
        Some(_) => format!("[{}](index.md) › ", escape(fabric)),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{back}Generated by liaison docs from the inventory; do not edit.\n"
    );
    let _ = writeln!(out, "# {}\n", escape(&page.title));
    for block in &page.blocks {
        write_block(&mut out, block);
    }
    out
}

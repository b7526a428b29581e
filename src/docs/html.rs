//! Pages as HTML: one file per page, one shared stylesheet, no script, no
//! external resource, so the site works from `file://` with no network.
//! Every text is escaped (names and descriptions are user input). Void
//! elements are self-closed (`<br/>`), so every page is also well-formed
//! XML, which the tests check with an XML parser.

use super::doc::{Bar, Block, Inline, Link, Page};
use super::svg::zone_colour;
use std::fmt::Write as _;

pub const STYLESHEET: &str = include_str!("style.css");
pub const STYLESHEET_FILE: &str = "style.css";

/// Escapes text for HTML and XML (element content and quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// The file a page is written to.
pub fn file_name(page: Option<&str>) -> String {
    match page {
        None => "index.html".to_string(),
        Some(switch) => format!("{switch}.html"),
    }
}

fn href(link: &Link) -> String {
    let mut out = file_name(link.page.as_deref());
    if let Some(anchor) = &link.anchor {
        out.push('#');
        out.push_str(anchor);
    }
    escape(&out)
}

fn write_inline(out: &mut String, inline: &Inline) {
    match inline {
        Inline::Text(text) => escape_into(out, text),
        Inline::Code(text) if text.is_empty() => {}
        Inline::Code(text) => {
            out.push_str("<code>");
            escape_into(out, text);
            out.push_str("</code>");
        }
        Inline::Link(link) => {
            let _ = write!(out, "<a href=\"{}\"", href(link));
            if let Some(title) = &link.title {
                let _ = write!(out, " title=\"{}\"", escape(title));
            }
            out.push('>');
            escape_into(out, &link.text);
            out.push_str("</a>");
        }
        Inline::Swatch(zone) => {
            let _ = write!(
                out,
                "<span class=\"swatch\" style=\"background:{}\"></span>",
                zone_colour(*zone)
            );
        }
        Inline::Break => out.push_str("<br/>"),
        Inline::Anchor(id) => {
            let _ = write!(out, "<span id=\"{}\"></span>", escape(id));
        }
    }
}

fn write_line(out: &mut String, line: &[Inline]) {
    for inline in line {
        write_inline(out, inline);
    }
}

fn write_bar(out: &mut String, bar: &Bar) {
    let width = bar.percent.clamp(0.0, 100.0);
    let class = if bar.used > bar.limit {
        "bar over"
    } else if bar.warns() {
        "bar warn"
    } else {
        "bar"
    };
    let _ = writeln!(
        out,
        "<div class=\"budget\"><div class=\"label\">{}</div>\
         <div class=\"{class}\" title=\"{}\"><div class=\"used\" style=\"width:{width:.1}%\"></div>\
         <div class=\"threshold\" style=\"left:{}%\" title=\"warning at {}%\"></div></div>\
         <div class=\"figure\">{} / {} ({:.1}%)</div><div class=\"note\">{}</div></div>",
        escape(&bar.label),
        escape(&format!("{} of {}", bar.used, bar.limit)),
        bar.warning.min(100),
        bar.warning,
        bar.used,
        bar.limit,
        bar.percent,
        escape(&bar.note),
    );
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
                "<h{level} id=\"{}\">{}</h{level}>",
                escape(anchor),
                escape(text)
            );
        }
        Block::Paragraph(line) => {
            out.push_str("<p>");
            write_line(out, line);
            out.push_str("</p>\n");
        }
        Block::Table { head, rows } => {
            out.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
            for cell in head {
                let _ = write!(out, "<th>{}</th>", escape(cell));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    out.push_str("<td>");
                    write_line(out, cell);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
        Block::Code(text) => {
            out.push_str("<pre>");
            escape_into(out, text);
            out.push_str("</pre>\n");
        }
        Block::Diagram { file, svg, caption } => {
            let _ = writeln!(
                out,
                "<figure class=\"diagram\"><div class=\"scroll\">{svg}</div><figcaption>{} (<a href=\"{}\">{}</a>)</figcaption></figure>",
                escape(caption),
                escape(file),
                escape(file)
            );
        }
        Block::Bars(bars) => {
            out.push_str("<div class=\"bars\">\n");
            for bar in bars {
                write_bar(out, bar);
            }
            out.push_str("</div>\n");
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for item in items {
                out.push_str("<li>");
                write_line(out, item);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
    }
}

/// One page as a complete HTML document.
pub fn page(page: &Page, fabric: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"{STYLESHEET_FILE}\"/>\n</head>\n<body>\n\
         <nav><a href=\"index.html\">{}</a>{}</nav>\n<main>\n<h1>{}</h1>\n",
        escape(&page.title),
        escape(fabric),
        page.switch
            .as_deref()
            .map(|s| format!(" › {}", escape(s)))
            .unwrap_or_default(),
        escape(&page.title),
    );
    for block in &page.blocks {
        write_block(&mut out, block);
    }
    out.push_str("</main>\n<footer>Generated by liaison docs from the inventory; do not edit.</footer>\n</body>\n</html>\n");
    out
}

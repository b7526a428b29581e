//! `verify`'s report: text for a terminal, Markdown for a pull request,
//! JSON (`liaison.verify/v1`, docs/verify.md) for tools. Byte-stable:
//! findings come sorted by kind, switches and place.

use super::{Finding, Report};
use std::fmt::Write as _;

/// The JSON schema name; a change that breaks readers bumps the version.
pub const SCHEMA: &str = "liaison.verify/v1";

/// The one-line outcome: proven, or how many findings on how many switches.
pub fn headline(report: &Report) -> String {
    let s = &report.summary;
    if report.proven() {
        format!(
            "Proven: every host can take every VM of its zone ({} hosts, {} zones, {} segments; {} switches, {} path ports, {} sampled flows).",
            s.hosts, s.zones, s.segments, s.switches, s.path_ports, s.flows
        )
    } else {
        let switches: std::collections::BTreeSet<&str> = report
            .findings
            .iter()
            .flat_map(|f| f.switches.iter().map(String::as_str))
            .collect();
        format!(
            "Not proven: {} finding{} on {} switch{} ({} switches, {} path ports, {} sampled flows checked).",
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" },
            switches.len(),
            if switches.len() == 1 { "" } else { "es" },
            s.switches,
            s.path_ports,
            s.flows
        )
    }
}

/// `file:line` of a config place (the file alone when the line is unknown).
pub fn config_line(place: &super::ConfigPlace) -> String {
    match place.line {
        Some(line) => format!("{}:{line}", place.file),
        None => place.file.clone(),
    }
}

/// For a terminal.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        write_text(&mut out, finding);
        out.push('\n');
    }
    out.push_str(&headline(report));
    out.push('\n');
    out
}

fn write_text(out: &mut String, finding: &Finding) {
    let _ = writeln!(out, "{} {}", finding.code, finding.message);
    let _ = writeln!(out, "  breaks: {}", finding.breaks.summary);
    for place in &finding.config {
        let _ = writeln!(out, "  config: {}", config_line(place));
        for line in place.text.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    if !finding.inventory.is_empty() {
        let _ = writeln!(out, "  needed by: {}", finding.inventory.join(", "));
    }
    let _ = writeln!(out, "  fix: {}", finding.fix);
}

/// For a pull-request comment: a table of findings, then one section each.
pub fn markdown(report: &Report) -> String {
    let mut out = String::from("### liaison verify\n\n");
    let _ = writeln!(out, "{}\n", headline(report));
    if report.proven() {
        return out;
    }
    out.push_str("| code | switch | place | finding | breaks |\n|---|---|---|---|---|\n");
    for f in &report.findings {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | {} | {} |",
            f.code,
            f.switches.join(", "),
            cell(&f.place),
            cell(&f.message),
            cell(&f.breaks.summary)
        );
    }
    out.push('\n');
    for f in &report.findings {
        let _ = writeln!(
            out,
            "<details><summary>{} {}</summary>\n",
            f.code,
            cell(&f.message)
        );
        let _ = writeln!(out, "**Breaks:** {}\n", cell(&f.breaks.summary));
        for place in &f.config {
            let _ = writeln!(
                out,
                "`{}`\n\n```\n{}\n```\n",
                config_line(place),
                place.text
            );
        }
        if !f.inventory.is_empty() {
            let _ = writeln!(
                out,
                "**Needed by:** {}\n",
                f.inventory
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(out, "**Fix:** {}\n\n</details>\n", cell(&f.fix));
    }
    out
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The stable JSON schema (docs/verify.md).
pub fn json(report: &Report) -> String {
    let value = serde_json::json!({
        "schema": SCHEMA,
        "proven": report.proven(),
        "summary": report.summary,
        "findings": report.findings,
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

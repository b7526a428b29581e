//! Free text that reaches a switch's command line (descriptions, rule
//! comments that become ACL remarks) must arrive as written:
//!
//! - no character sequence the platform's CLI acts on (`?` prints help, `;`
//!   separates commands, …; the tables are per platform, with
//!   their sources);
//! - no bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069):
//!   they make a reviewed plan read differently from what it does;
//! - no leading or trailing space: the switch trims it, so the running
//!   config never matches the intent and the plan never converges.
//!
//! A value is checked against every platform of the inventory's switches:
//! a host's description lands on whichever switches its NICs reach.

use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::{Inventory, Platform, Spanned};

/// Characters that reorder displayed text (Unicode bidi embeddings,
/// overrides and isolates), the "Trojan Source" characters (CVE-2021-42574).
const BIDI_CONTROLS: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

pub fn cli_safe_text(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let mut platforms: Vec<Platform> = inventory
        .switches
        .iter()
        .map(|s| s.platform.value)
        .collect();
    platforms.sort_by_key(|p| p.as_str());
    platforms.dedup();
    let descriptions = inventory
        .switches
        .iter()
        .map(|s| &s.description)
        .chain(inventory.chassis.iter().map(|c| &c.description))
        .chain(inventory.hosts.iter().map(|h| &h.description))
        .chain(inventory.segments.iter().map(|s| &s.description))
        .chain(inventory.endpoints.iter().map(|e| &e.description))
        .flatten()
        .map(|d| ("description", d));
    let comments = inventory
        .policy
        .iter()
        .filter_map(|r| r.comment.as_ref())
        .map(|c| ("comment", c));
    for (what, value) in descriptions.chain(comments) {
        if let Some(problem) = problem(what, value, &platforms) {
            diagnostics.push(problem);
        }
    }
}

/// The first problem of one value (one error per value).
fn problem(what: &str, value: &Spanned<String>, platforms: &[Platform]) -> Option<Diagnostic> {
    let text = value.as_str();
    if let Some(c) = text.chars().find(|c| BIDI_CONTROLS.contains(c)) {
        return Some(
            Diagnostic::error(
                "E134",
                format!(
                    "`{what}` contains the bidirectional control character U+{:04X}: it makes the text (and every plan and diff quoting it) display in another order than it is",
                    u32::from(c)
                ),
            )
            .at(value.loc)
            .hint("delete it (editors often hide it: look for it with `grep -P '[\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]'`)"),
        );
    }
    if text != text.trim() {
        return Some(
            Diagnostic::error(
                "E135",
                format!("`{what}` starts or ends with a space: the switch trims it, so its config would never match the intent"),
            )
            .at(value.loc)
            .hint(format!("write {:?}", text.trim())),
        );
    }
    for &platform in platforms {
        let cli = platform.cli_text();
        if let Some(found) = cli.interpreted.iter().find(|i| text.contains(i.text)) {
            return Some(
                Diagnostic::error(
                    "E133",
                    format!(
                        "`{what}` contains `{}`, which the {} CLI interprets: it {} (source: {})",
                        found.text, cli.name, found.effect, found.source
                    ),
                )
                .at(value.loc)
                .hint(format!("rephrase without `{}`", found.text)),
            );
        }
    }
    None
}

//! The output formats of `liaison plan` and `liaison diff`: text for a
//! terminal, JSON for tools, Markdown for a pull-request comment, and the
//! bare commands for a device's configuration mode. All but the last
//! redact secrets: they end up in CI logs and pull requests.

use super::{redact, DevicePlan, DevicePlanJson};
use serde::Serialize;
use std::fmt::Write as _;

/// Identifies the JSON layout; bumped on any incompatible change.
pub const JSON_SCHEMA: &str = "liaison.plan/v1";

fn commands_label(count: usize) -> String {
    match count {
        0 => "no changes".to_string(),
        1 => "1 command".to_string(),
        n => format!("{n} commands"),
    }
}

fn devices_label(count: usize) -> String {
    format!("{count} device{}", if count == 1 { "" } else { "s" })
}

fn summary(plans: &[DevicePlan]) -> String {
    let changed = plans.iter().filter(|p| p.has_changes()).count();
    let commands: usize = plans.iter().map(|p| p.commands.len()).sum();
    if changed == 0 {
        return format!("No changes ({} planned).", devices_label(plans.len()));
    }
    format!(
        "Plan: {changed} of {} to change, {}.",
        devices_label(plans.len()),
        commands_label(commands)
    )
}

fn scope_remarks(plan: &DevicePlan) -> Vec<String> {
    let mut remarks = Vec::new();
    if let Some(coverage) = plan.manages {
        remarks.push(format!("manages {coverage}"));
    }
    if plan.unmanaged_lines > 0 {
        remarks.push(format!(
            "{} running line{} not managed by the inventory left alone",
            plan.unmanaged_lines,
            if plan.unmanaged_lines == 1 { "" } else { "s" }
        ));
    }
    if plan.tolerated_lines > 0 {
        remarks.push(format!(
            "{} line{} ignored as tolerated drift",
            plan.tolerated_lines,
            if plan.tolerated_lines == 1 { "" } else { "s" }
        ));
    }
    remarks
}

/// For a terminal: per device, the commands in apply order, then the diff.
pub fn text(plans: &[DevicePlan]) -> String {
    let mut out = String::new();
    for plan in plans {
        let _ = writeln!(
            out,
            "== {}: {}",
            plan.device,
            commands_label(plan.commands.len())
        );
        for note in &plan.notes {
            let _ = writeln!(out, "note: {note}");
        }
        for remark in scope_remarks(plan) {
            let _ = writeln!(out, "({remark})");
        }
        if plan.has_changes() {
            out.push_str("\ncommands, in apply order:\n");
            for line in plan.lines() {
                let _ = writeln!(out, "{}", redact::line(&line));
            }
        }
        if !plan.diff.is_empty() {
            out.push_str("\ndiff:\n");
            out.push_str(&redact::text(&plan.diff));
        }
        out.push('\n');
    }
    out.push_str(&summary(plans));
    out.push('\n');
    out
}

/// The JSON document of `--format json`; fields in this order.
#[derive(Serialize)]
struct PlanJson<'a> {
    schema: &'static str,
    changed: bool,
    summary: SummaryJson,
    devices: Vec<DevicePlanJson<'a>>,
    /// `plan` only (null for `diff`): the hardware budget of the planned
    /// switches, as `check --format json` gives it.
    budget: Option<crate::budget::Budget>,
}

#[derive(Serialize)]
struct SummaryJson {
    devices: usize,
    devices_changed: usize,
    commands: usize,
}

/// For tools: the stable schema documented in docs/commands.md. `budget` (of
/// the whole inventory) is cut down to the planned switches.
pub fn json(plans: &[DevicePlan], budget: Option<&crate::budget::Budget>) -> String {
    let changed = plans.iter().filter(|p| p.has_changes()).count();
    let document = PlanJson {
        schema: JSON_SCHEMA,
        changed: changed > 0,
        summary: SummaryJson {
            devices: plans.len(),
            devices_changed: changed,
            commands: plans.iter().map(|p| p.commands.len()).sum(),
        },
        devices: plans.iter().map(DevicePlan::to_json).collect(),
        budget: budget.map(|budget| {
            let mut budget = budget.clone();
            budget
                .switches
                .retain(|s| plans.iter().any(|p| p.device == s.switch));
            budget
        }),
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// `plan --format markdown` stays under this many bytes unless told
/// otherwise: below GitHub's 65,536-character comment limit, with room for
/// what a CI job adds around it.
pub const DEFAULT_MARKDOWN_MAX_BYTES: usize = 60_000;

/// For a pull-request comment: a summary table, then one collapsible
/// section per device that changes. With `max_bytes`, device sections that
/// would take the document past it are left out (the smallest mention of
/// each is kept while it fits) and a closing note says which and how to
/// see them; the summary and the table are always whole.
pub fn markdown(plans: &[DevicePlan], max_bytes: Option<usize>) -> String {
    let mut out = String::from("### liaison plan\n\n");
    let _ = writeln!(out, "{}\n", summary(plans));
    out.push_str("| device | commands | notes |\n| --- | ---: | --- |\n");
    for plan in plans {
        let mut remarks = plan.notes.len().to_string();
        if plan.notes.is_empty() {
            remarks = String::new();
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            plan.device,
            plan.commands.len(),
            remarks
        );
    }
    let changed: Vec<&DevicePlan> = plans.iter().filter(|p| p.has_changes()).collect();
    // Room kept for the closing note, whatever it will have to name.
    let names: usize = changed.iter().map(|p| p.device.len() + 4).sum();
    let budget = max_bytes.map(|max| max.saturating_sub(400 + names));
    let mut cut: Vec<&str> = Vec::new();
    for plan in changed {
        let section = device_section(plan);
        if budget.is_none_or(|b| out.len() + section.len() <= b) {
            out.push_str(&section);
            continue;
        }
        let stub = format!(
            "\n<details><summary><code>{}</code>: {} (left out)</summary>\n\n\
             Its commands and diff ({} bytes) are left out of this comment.\n\n</details>\n",
            plan.device,
            commands_label(plan.commands.len()),
            section.len()
        );
        if budget.is_some_and(|b| out.len() + stub.len() <= b) {
            out.push_str(&stub);
        }
        cut.push(&plan.device);
    }
    if !cut.is_empty() {
        let names: Vec<String> = cut.iter().map(|d| format!("`{d}`")).collect();
        let _ = write!(
            out,
            "\n> **Truncated** to stay under {} bytes: the commands and diff of {} are left out ({}). \
             `liaison plan --format text` (or `--format markdown --max-bytes 0`) prints all of it; \
             `--device NAME` one switch.\n",
            max_bytes.unwrap_or_default(),
            devices_label(cut.len()),
            names.join(", ")
        );
    }
    out
}

/// One device's collapsible section: notes, commands and diff.
fn device_section(plan: &DevicePlan) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "\n<details><summary><code>{}</code>: {}</summary>\n\n",
        plan.device,
        commands_label(plan.commands.len())
    );
    for note in &plan.notes {
        let _ = writeln!(out, "- note: {}", note.replace('`', "'"));
    }
    let remarks = scope_remarks(plan);
    for remark in &remarks {
        let _ = writeln!(out, "- {remark}");
    }
    if !plan.notes.is_empty() || !remarks.is_empty() {
        out.push('\n');
    }
    let commands: String = plan
        .lines()
        .map(|line| format!("{}\n", redact::line(&line)))
        .collect();
    let diff = redact::text(&plan.diff);
    let fence = fence_for(&[&commands, &diff]);
    let _ = write!(
        out,
        "Commands, in apply order:\n\n{fence}\n{commands}{fence}\n\n{fence}diff\n{diff}{fence}\n\n</details>\n"
    );
    out
}

fn fence_for(texts: &[&str]) -> String {
    let longest = texts
        .iter()
        .flat_map(|t| t.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The commands alone, exactly as typed in configuration mode (secrets
/// included: this is what goes to the device).
pub fn commands(plan: &DevicePlan) -> String {
    let mut out = String::new();
    for line in plan.lines() {
        let _ = writeln!(out, "{line}");
    }
    out
}

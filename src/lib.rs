//! `liaison` compiles a VM mobility domain (zones of hosts, VM segments,
//! policy, guardrails) into switch configuration, and refuses with the exact
//! conflict where that is impossible.
//!
//! The pipeline, one module per stage:
//! [`inventory`] (load YAML) → [`check`] (validate) → [`compile`] (mobility
//! closure → [`intent`]) → [`render`] (minijinja templates) → [`output`].

pub mod check;
pub mod cli;
pub mod compile;
pub mod config;
pub mod diag;
pub mod intent;
pub mod inventory;
pub mod output;
pub mod plan;
pub mod render;
pub mod vlan;
pub mod yaml;

use diag::{Diagnostics, Sources};
use intent::Intent;
use std::path::Path;

/// Everything `check` learns about an inventory.
pub struct Analysis {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// Present only when no error was found.
    pub intent: Option<Intent>,
    /// Tolerated-drift rules of the inventory (`drift:`), for `plan`.
    pub drift: Vec<inventory::Drift>,
}

/// Load, check and compile the inventory in `dir`, collecting every problem.
pub fn analyse(dir: &Path) -> Analysis {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let inventory = inventory::load(dir, &mut sources, &mut diagnostics);
    let mut intent = None;
    let drift = inventory
        .as_ref()
        .map(|i| i.drift.clone())
        .unwrap_or_default();
    // A file that could not be parsed is missing from the inventory: every
    // reference into it would be reported as dangling, burying the real
    // problem. Report the file-level errors alone.
    let file_unreadable = diagnostics
        .iter()
        .any(|d| matches!(d.code, "E001" | "E006" | "E007"));
    if let Some(inventory) = inventory.as_ref().filter(|_| !file_unreadable) {
        check::check(inventory, &mut diagnostics);
        // The closure needs resolved references; with errors it would only
        // add noise that follows from them.
        if !diagnostics.has_errors() {
            intent = compile::compile(inventory, &mut diagnostics);
        }
    }
    diagnostics.sort();
    Analysis {
        sources,
        diagnostics,
        intent,
        drift,
    }
}

/// Renders every device: `(file name, text)` pairs, sorted by device name.
pub fn render_all(
    renderer: &render::Renderer,
    intent: &Intent,
) -> Result<Vec<(String, String)>, render::RenderError> {
    intent
        .devices
        .iter()
        .map(|device| Ok((format!("{}.cfg", device.name), renderer.render(device)?)))
        .collect()
}

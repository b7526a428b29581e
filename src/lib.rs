//! `liaison` compiles a VM mobility domain (zones of hosts, VM segments,
//! policy, guardrails) into switch configuration, and refuses with the exact
//! conflict where that is impossible.
//!
//! The pipeline, one module per stage:
//! [`inventory`] (load YAML) → [`check`] (validate) → [`compile`] (mobility
//! closure → [`intent`]) → [`render`] (minijinja templates) → [`output`].

pub mod apply;
pub mod budget;
pub mod check;
pub mod cli;
pub mod compile;
pub mod device;
pub mod diag;
pub mod intent;
pub mod inventory;
pub mod output;
pub mod remote;
pub mod render;
pub mod yaml;

use diag::{Diagnostics, Sources};
use intent::Intent;
use std::path::Path;

/// Everything `check` learns about an inventory.
pub struct Analysis {
    pub sources: Sources,
    /// What could be decoded (None when the directory could not be read).
    pub inventory: Option<inventory::Inventory>,
    pub diagnostics: Diagnostics,
    /// Present only when the inventory compiled.
    pub intent: Option<Intent>,
    /// The hardware budget of the compiled intent.
    pub budget: Option<budget::Budget>,
}

/// Load, check and compile the inventory in `dir`, collecting every problem.
pub fn analyse(dir: &Path) -> Analysis {
    analyse_with(dir, &budget::Assumptions::default())
}

/// [`analyse`] with budget assumptions (`--what-if-hosts`).
pub fn analyse_with(dir: &Path, assumptions: &budget::Assumptions) -> Analysis {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let inventory = inventory::load(dir, &mut sources, &mut diagnostics);
    let mut intent = None;
    let mut budget = None;
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
        if let Some(compiled) = &intent {
            budget = Some(budget::evaluate(
                inventory,
                compiled,
                assumptions,
                &mut diagnostics,
            ));
        }
    }
    // A switch over its limits cannot take this config: no intent to build.
    if diagnostics.has_errors() {
        intent = None;
    }
    diagnostics.sort();
    Analysis {
        sources,
        inventory,
        diagnostics,
        intent,
        budget,
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

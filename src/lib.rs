//! `liaison` compiles a VM mobility domain (zones of hosts, VM segments,
//! policy, guardrails) into switch configuration, and refuses with the exact
//! conflict where that is impossible.
//!
//! The pipeline, one module per stage:
//! [`inventory`] (load YAML) → [`check`] (validate) → [`policy`] (resolve
//! and analyse the rules) → [`compile`] (mobility closure, ACLs →
//! [`intent`]) → [`budget`] (hardware limits) → [`render`] (minijinja
//! templates) → [`output`]. [`device`], [`remote`] and [`apply`] talk to
//! the switches.

pub mod apply;
pub mod budget;
pub mod check;
pub mod cli;
pub mod compile;
pub mod config;
pub mod device;
pub mod diag;
pub mod docs;
pub mod init;
pub mod input_error;
pub mod intent;
pub mod inventory;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod platform;
pub mod policy;
pub mod pool;
pub mod remote;
pub mod render;
pub mod saved;
pub mod style;
pub mod verify;
pub mod vlan;
pub mod yaml;

use diag::{Diagnostics, Sources};
use intent::Intent;
use inventory::{Date, Inventory};
use std::path::Path;

/// Everything `check` learns about an inventory.
pub struct Analysis {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The inventory as loaded (None when the directory could not be read).
    pub inventory: Option<Inventory>,
    /// Present only when the inventory compiled and fits the hardware.
    pub intent: Option<Intent>,
    /// The hardware budget of the compiled intent.
    pub budget: Option<budget::Budget>,
    /// Estimated ACL TCAM entries per switch, present with `intent`.
    pub tcam: Option<std::collections::BTreeMap<String, policy::tcam::Tcam>>,
}

/// Load, check and compile the inventory in `dir`, collecting every
/// problem; policy rules expire against today's date (UTC).
pub fn analyse(dir: &Path) -> Analysis {
    analyse_with(dir, Date::today(), &budget::Assumptions::default())
}

/// [`analyse`] as on `today`, with budget assumptions (`--what-if-hosts`).
pub fn analyse_with(dir: &Path, today: Date, assumptions: &budget::Assumptions) -> Analysis {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let inventory = inventory::load(dir, &mut sources, &mut diagnostics);
    let mut intent = None;
    let mut budget = None;
    let mut tcam = None;
    // A file that could not be parsed is missing from the inventory: every
    // reference into it would be reported as dangling, burying the real
    // problem. Report the file-level errors alone.
    let file_unreadable = diagnostics
        .iter()
        .any(|d| matches!(d.code, "E001" | "E006" | "E007" | "E008" | "E130"));
    if let Some(inventory) = inventory.as_ref().filter(|_| !file_unreadable) {
        check::check(inventory, &mut diagnostics);
        let policy = policy::resolve(inventory, today, &mut diagnostics);
        // The closure needs resolved references; with errors it would only
        // add noise that follows from them.
        if !diagnostics.has_errors() {
            // The shadow analysis only reads the policy: it runs beside
            // the compiler, and its findings join the rest (sorted below).
            let (shadowed, compiled) = pool::side_by_side(
                || {
                    let mut found = Diagnostics::default();
                    policy::shadow::report(&policy, &mut found);
                    found
                },
                || compile::compile(inventory, &policy, &mut diagnostics),
            );
            intent = compiled;
            diagnostics.extend(shadowed);
        }
        if let Some(compiled) = &intent {
            let per_switch = policy::tcam::per_switch(compiled);
            budget = Some(budget::evaluate(
                inventory,
                compiled,
                &per_switch,
                assumptions,
                &mut diagnostics,
            ));
            tcam = Some(per_switch);
        }
    }
    // A switch over its limits cannot take this config: no intent to build.
    if diagnostics.has_errors() {
        intent = None;
        tcam = None;
    }
    diagnostics.sort();
    Analysis {
        sources,
        diagnostics,
        inventory,
        intent,
        budget,
        tcam,
    }
}

/// [`analyse`] for a command that renders the switches' configs (`build`,
/// `plan`, `apply`, `verify`): a switch whose platform has no templates
/// yet is E108 there, and nothing is built. `check` (and `docs`, `why`,
/// `fetch`) take such an inventory whole.
pub fn analyse_to_render(dir: &Path) -> Analysis {
    let mut analysis = analyse(dir);
    let Some(inventory) = &analysis.inventory else {
        return analysis;
    };
    let mut refused = Diagnostics::default();
    for switch in &inventory.switches {
        let platform = switch.platform.value;
        if platform.builds() {
            continue;
        }
        let buildable: Vec<String> = inventory::Platform::ALL
            .into_iter()
            .filter(|p| p.builds())
            .map(|p| format!("`{}`", p.as_str()))
            .collect();
        refused.push(
            diag::Diagnostic::error(
                "E108",
                format!(
                    "switch `{}`: platform `{}` has no templates yet",
                    switch.name.value,
                    platform.as_str()
                ),
            )
            .at(switch.platform.loc)
            .hint(format!(
                "only {} can be built for now (`check` validates the inventory)",
                buildable.join(", ")
            )),
        );
    }
    if refused.has_errors() {
        analysis.diagnostics.extend(refused);
        analysis.diagnostics.sort();
        analysis.intent = None;
        analysis.tcam = None;
    }
    analysis
}

/// Renders every device: `(file name, text)` pairs, sorted by device name.
/// Work runs in parallel, one thread per core: first every distinct ACL
/// (most of a large policy's text, shared by the members of a pair), then
/// the devices.
pub fn render_all(
    renderer: &render::Renderer,
    intent: &Intent,
) -> Result<Vec<(String, String)>, render::RenderError> {
    let acls = renderer.render_acls(&intent.devices)?;
    pool::run_on_cores(&intent.devices, |device| {
        Ok((
            inventory::config_file_name(&device.name),
            renderer.render_with(device, &acls)?,
        ))
    })
    .into_iter()
    .collect()
}

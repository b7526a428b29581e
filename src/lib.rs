//! `liaison` compiles a VM mobility domain (zones of hosts, VM segments,
//! policy, guardrails) into switch configuration, and refuses with the exact
//! conflict where that is impossible.
//!
//! The pipeline, one module per stage:
//! [`inventory`] (load YAML) → [`check`] (validate) → [`policy`] (resolve
//! and analyse the rules) → [`compile`] (mobility closure, ACLs →
//! [`intent`]) → [`render`] (minijinja templates) → [`output`].

pub mod check;
pub mod cli;
pub mod compile;
pub mod diag;
pub mod intent;
pub mod inventory;
pub mod output;
pub mod policy;
pub mod render;
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
    /// Present only when no error was found.
    pub intent: Option<Intent>,
}

/// Load, check and compile the inventory in `dir`, collecting every
/// problem; policy rules expire against today's date (UTC).
pub fn analyse(dir: &Path) -> Analysis {
    analyse_on(dir, Date::today())
}

/// [`analyse`] as on `today`.
pub fn analyse_on(dir: &Path, today: Date) -> Analysis {
    let mut sources = Sources::default();
    let mut diagnostics = Diagnostics::default();
    let inventory = inventory::load(dir, &mut sources, &mut diagnostics);
    let mut intent = None;
    // A file that could not be parsed is missing from the inventory: every
    // reference into it would be reported as dangling, burying the real
    // problem. Report the file-level errors alone.
    let file_unreadable = diagnostics
        .iter()
        .any(|d| matches!(d.code, "E001" | "E006" | "E007"));
    if let Some(inventory) = inventory.as_ref().filter(|_| !file_unreadable) {
        check::check(inventory, &mut diagnostics);
        let policy = policy::resolve(inventory, today, &mut diagnostics);
        // The closure needs resolved references; with errors it would only
        // add noise that follows from them.
        if !diagnostics.has_errors() {
            policy::shadow::report(&policy, &mut diagnostics);
            intent = compile::compile(inventory, &policy, &mut diagnostics);
        }
    }
    diagnostics.sort();
    Analysis {
        sources,
        diagnostics,
        inventory,
        intent,
    }
}

/// Renders every device: `(file name, text)` pairs, sorted by device name.
/// Devices render in parallel, one thread per core: the gateways of a large
/// policy carry most of the text, and each takes as long as all the others.
pub fn render_all(
    renderer: &render::Renderer,
    intent: &Intent,
) -> Result<Vec<(String, String)>, render::RenderError> {
    let devices = &intent.devices;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(devices.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut rendered: Vec<(usize, Result<String, render::RenderError>)> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(device) = devices.get(i) else {
                                return done;
                            };
                            done.push((i, renderer.render(device)));
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| {
                    w.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
    rendered.sort_by_key(|(i, _)| *i);
    rendered
        .into_iter()
        .map(|(i, text)| Ok((format!("{}.cfg", devices[i].name), text?)))
        .collect()
}

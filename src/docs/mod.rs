//! `liaison docs`: a static documentation site of the fabric, built from
//! the library's own stages (the compiled intent, the compiler's view of
//! pairs and mobility, the hardware budget, the resolved policy and, with
//! running configs, the plan and `verify`'s findings), never from a second
//! reckoning of them.
//!
//! [`index`] and [`switch`] build the pages as format-neutral blocks
//! ([`doc`]), [`svg`] draws the topology, [`html`] and [`markdown`] write
//! the blocks. Output is a pure function of the inventory (and running
//! configs): byte-stable, golden-tested.

pub mod doc;
pub mod html;
mod index;
pub mod markdown;
pub mod svg;
mod switch;

use crate::budget::Budget;
use crate::compile::FabricView;
use crate::diag::{Diagnostics, Sources};
use crate::input_error::InputError;
use crate::intent::Intent;
use crate::inventory::{Date, Inventory};
use crate::plan::fleet::{plan_inventory, Running, Selection, DEFAULT_MAX_CONFIG_BYTES};
use crate::plan::DevicePlan;
use crate::policy::Policy;
use std::collections::BTreeMap;
use std::path::Path;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

/// What the site documents besides the inventory.
pub struct Options<'a> {
    pub format: Format,
    /// `--running DIR`: each switch's plan and `verify`'s findings too.
    pub running: Option<&'a Path>,
    /// The inventory directory as the user named it (in fix commands).
    pub inventory_dir: &'a str,
}

/// The plans and findings of `--running`.
pub struct RunningState {
    /// Where the running configs were read.
    pub dir: String,
    /// By switch.
    pub plans: BTreeMap<String, DevicePlan>,
    pub report: crate::verify::Report,
}

/// Everything the page builders read.
pub struct Input<'a, 'i> {
    pub inventory: &'i Inventory,
    pub sources: &'a Sources,
    pub intent: &'a Intent,
    pub budget: &'a Budget,
    pub policy: &'a Policy<'i>,
    pub view: &'a FabricView<'i>,
    pub running: Option<&'a RunningState>,
    pub diagrams: &'a [svg::Diagram],
    /// Zone name → position in the inventory's `zones` (its colour).
    pub zone_index: &'a BTreeMap<String, usize>,
    /// What every cabled port leads to, by (switch, port).
    pub far_ends: &'a BTreeMap<(String, String), switch::FarEnd>,
}

/// The site's files, `(name, text)`, sorted by name, for an inventory
/// that compiled (`analysis` has an intent); every problem that prevents
/// it otherwise (errors in the inventory, unreadable running configs).
pub fn generate(
    analysis: &crate::Analysis,
    options: &Options<'_>,
) -> Result<Vec<(String, String)>, Vec<InputError>> {
    let (Some(inventory), Some(intent), Some(budget)) =
        (&analysis.inventory, &analysis.intent, &analysis.budget)
    else {
        return Err(vec![InputError::new(
            "no documentation: the inventory has errors (above)",
        )
        .hint(
            "fix them (`liaison check` lists them all) and run `liaison docs` again",
        )]);
    };
    // The same resolution `analyse` made (today's date decides expiry);
    // its findings were reported by `analyse`.
    let mut ignored = Diagnostics::default();
    let policy = crate::policy::resolve(inventory, Date::today(), &mut ignored);
    let view = crate::compile::view(inventory);
    let running = match options.running {
        Some(dir) => Some(running_state(analysis, inventory, intent, dir, options)?),
        None => None,
    };
    let zone_index: BTreeMap<String, usize> = inventory
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| (z.name.value.clone(), i))
        .collect();
    let blades = svg::blades(inventory, &zone_index);
    let diagrams = svg::diagrams(&svg::Context {
        inventory,
        view: &view,
        intent,
        zone_index: &zone_index,
        blades: &blades,
    });
    let far_ends = switch::far_ends(inventory);
    let input = Input {
        inventory,
        sources: &analysis.sources,
        intent,
        budget,
        policy: &policy,
        view: &view,
        running: running.as_ref(),
        diagrams: &diagrams,
        zone_index: &zone_index,
        far_ends: &far_ends,
    };
    let mut pages = vec![index::page(&input)];
    pages.extend(crate::pool::run_on_cores(&intent.devices, |device| {
        switch::page(&input, device)
    }));
    let mut files: Vec<(String, String)> = pages
        .iter()
        .map(|page| match options.format {
            Format::Html => (
                html::file_name(page.switch.as_deref()),
                html::page(page, &intent.fabric),
            ),
            Format::Markdown => (
                markdown::file_name(page.switch.as_deref()),
                markdown::page(page, &intent.fabric),
            ),
        })
        .collect();
    if options.format == Format::Html {
        files.push((
            html::STYLESHEET_FILE.to_string(),
            html::STYLESHEET.to_string(),
        ));
    }
    for diagram in &diagrams {
        files.push((diagram.file.clone(), diagram.svg.clone()));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Plans every switch against `dir` and proves the fabric on the same
/// configs, as `liaison plan --running DIR` and `liaison verify --running
/// DIR` do.
fn running_state(
    analysis: &crate::Analysis,
    inventory: &Inventory,
    intent: &Intent,
    dir: &Path,
    options: &Options<'_>,
) -> Result<RunningState, Vec<InputError>> {
    let no_answers = BTreeMap::new();
    let overrides = crate::remote::SshOverrides::default();
    let ssh_user = crate::remote::ssh_username(inventory, &overrides);
    let mgmt_addresses = crate::remote::mgmt_addresses(inventory);
    let selection = Selection {
        running: Running::Dir(dir),
        prune: false,
        devices: &[],
        templates: None,
        max_config_bytes: DEFAULT_MAX_CONFIG_BYTES,
        answers: &no_answers,
        allow_management_changes: false,
        ssh_user: ssh_user.as_deref(),
        mgmt_addresses: &mgmt_addresses,
        // A missing running config is an error here, as in `plan`.
        blank: crate::plan::fleet::Blank::None,
    };
    let plans = plan_inventory(intent, &inventory.drift, &selection)?;
    let observed = crate::verify::read_running(
        intent,
        Running::Dir(dir),
        &[],
        DEFAULT_MAX_CONFIG_BYTES,
        &no_answers,
    )?;
    let report = crate::verify::prove(
        inventory,
        &analysis.sources,
        intent,
        &observed,
        options.inventory_dir,
    );
    Ok(RunningState {
        dir: dir.display().to_string(),
        plans: plans.into_iter().map(|p| (p.device.clone(), p)).collect(),
        report,
    })
}

//! `fetch` end to end: analyse the inventory, fetch every selected
//! switch's running config, warn where a config would be misread offline,
//! and save the configs fetched.

use crate::device::DeviceError;
use crate::diag::{Diagnostics, Sources};
use crate::remote::SshOverrides;
use std::path::Path;

/// What `fetch` did.
pub struct FetchReport {
    /// Switches that failed (nothing saved for them).
    pub failed: Vec<DeviceError>,
    /// Saving the configs fetched: an error leaves the directory as it was.
    pub written: Result<(), String>,
    /// Switches whose config would be misread offline, with the inventory's
    /// files they point into.
    pub warnings: Diagnostics,
    pub sources: Sources,
    /// How many configs were saved, of how many switches selected.
    pub saved: usize,
    pub selected: usize,
}

/// Why nothing was fetched.
pub enum FetchStop {
    /// The inventory has errors.
    Invalid {
        diagnostics: Diagnostics,
        sources: Sources,
    },
    /// No way to connect to the switches.
    Connection(String),
}

/// Fetches the running config of the selected switches (all when
/// `devices` is empty) of the inventory in `inventory` into `output`.
pub fn fetch(
    inventory: &Path,
    output: &Path,
    devices: &[String],
    parallel: usize,
    overrides: &SshOverrides,
) -> Result<FetchReport, FetchStop> {
    let analysis = crate::analyse(inventory);
    let Some(inv) = analysis
        .inventory
        .as_ref()
        .filter(|_| !analysis.diagnostics.has_errors())
    else {
        return Err(FetchStop::Invalid {
            diagnostics: analysis.diagnostics,
            sources: analysis.sources,
        });
    };
    let (targets, options) =
        crate::remote::connection(inv, devices, overrides).map_err(FetchStop::Connection)?;
    let mut saved = Vec::new();
    let mut failed = Vec::new();
    let mut warnings = Diagnostics::default();
    for (name, result) in crate::remote::fetch_all(inv, &targets, &options, parallel) {
        match result {
            Ok(fetched) => {
                let switch = inv.switches.iter().find(|s| s.name.value == name);
                if let Some(warning) = switch.and_then(|s| {
                    crate::plan::fleet::offline_misreads(s, fetched.port_defaults, &fetched.running)
                }) {
                    warnings.push(warning);
                }
                saved.push((crate::inventory::config_file_name(&name), fetched.running))
            }
            Err(e) => failed.push(e),
        }
    }
    let written = crate::output::write_all(output, &saved).map(|_| ());
    Ok(FetchReport {
        failed,
        written,
        warnings,
        sources: analysis.sources,
        saved: saved.len(),
        selected: targets.len(),
    })
}

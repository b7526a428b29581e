//! `verify` end to end: analyse the inventory, read or fetch the running
//! configs, and prove from them that every VM can run on every host of its
//! zone.

use super::{Observer, Source, NO_ANSWERS};
use crate::input_error::InputError;
use crate::plan::fleet::Running;
use crate::remote::LiveError;
use crate::verify::Report;
use std::path::Path;

/// Why nothing was verified.
pub enum VerifyStop {
    /// The inventory has errors (in the diagnostics of the analysis).
    Invalid,
    /// The running configs could not be fetched.
    Live(LiveError),
    /// Running configs that could not be read.
    Failures(Vec<InputError>),
}

/// What the command prints on standard error.
impl std::fmt::Display for VerifyStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyStop::Invalid => writeln!(f, "nothing verified: fix the errors above first"),
            VerifyStop::Live(error) => write!(f, "{error}"),
            VerifyStop::Failures(failures) => {
                failures.iter().try_for_each(|x| write!(f, "{x}"))?;
                writeln!(f, "nothing verified")
            }
        }
    }
}

/// The proof on the selected switches (all when `devices` is empty).
pub fn verify_fleet(
    inventory_dir: &Path,
    source: &Source,
    devices: &[String],
    max_config_bytes: u64,
    observer: &mut dyn Observer,
) -> Result<Report, VerifyStop> {
    let analysis = crate::analyse_to_render(inventory_dir);
    observer.analysed(&analysis);
    let (Some(intent), Some(inventory)) = (&analysis.intent, &analysis.inventory) else {
        return Err(VerifyStop::Invalid);
    };
    let fetched;
    let (running, answers) = match source {
        Source::Dir(dir) => (Running::Dir(dir), &NO_ANSWERS),
        Source::Live { parallel, ssh } => {
            fetched = crate::remote::fetch_live(
                inventory,
                devices,
                *parallel,
                ssh,
                crate::remote::Connections::Close,
            )
            .map_err(VerifyStop::Live)?;
            (Running::Fetched(&fetched.running), &fetched.answers)
        }
    };
    let observed = crate::verify::read_running(intent, running, devices, max_config_bytes, answers)
        .map_err(VerifyStop::Failures)?;
    Ok(crate::verify::prove(
        inventory,
        &analysis.sources,
        intent,
        &observed,
        &inventory_dir.display().to_string(),
    ))
}

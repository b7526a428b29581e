//! `docs` end to end: analyse the inventory, read the running configs
//! when given, generate the documentation site, and replace the output
//! directory with it (all or nothing).

use super::Observer;
use crate::input_error::InputError;
use crate::output::Replaced;
use std::path::Path;

/// Why nothing was written.
pub enum DocsStop {
    /// What prevents the site (an inventory with errors, running configs
    /// that cannot be read).
    Failures(Vec<InputError>),
    /// The output directory could not be replaced.
    Write(String),
}

/// What the command prints on standard error.
impl std::fmt::Display for DocsStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocsStop::Failures(failures) => {
                failures.iter().try_for_each(|x| write!(f, "{x}"))?;
                writeln!(f, "nothing written")
            }
            DocsStop::Write(message) => writeln!(f, "error: {message}\nnothing written"),
        }
    }
}

/// Writes the site of the inventory in `inventory` into `output`;
/// `running`: a directory of running configs, for the plans and findings.
pub fn docs(
    inventory: &Path,
    output: &Path,
    running: Option<&Path>,
    format: crate::docs::Format,
    observer: &mut dyn Observer,
) -> Result<Replaced, DocsStop> {
    let analysis = crate::analyse(inventory);
    observer.analysed(&analysis);
    let options = crate::docs::Options {
        format,
        running,
        inventory_dir: &inventory.display().to_string(),
    };
    let files = crate::docs::generate(&analysis, &options).map_err(DocsStop::Failures)?;
    crate::output::replace_dir(output, &files).map_err(DocsStop::Write)
}

//! `build` end to end: analyse the inventory, render every switch's
//! config, and replace the output directory with them (all or nothing).

use super::Observer;
use crate::output::Replaced;
use crate::render::Renderer;
use std::path::Path;

/// Why nothing was written.
pub enum BuildStop {
    /// The inventory has errors (in the diagnostics of the analysis).
    Invalid,
    /// The templates or the output directory failed.
    Write(String),
}

/// What the command prints on standard error.
impl std::fmt::Display for BuildStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildStop::Invalid => writeln!(f, "nothing written: fix the errors above first"),
            BuildStop::Write(message) => writeln!(f, "error: {message}\nnothing written"),
        }
    }
}

/// Builds every switch's config of the inventory in `inventory` into
/// `output`; `templates`: a directory of replacement templates.
pub fn build(
    inventory: &Path,
    output: &Path,
    templates: Option<&Path>,
    observer: &mut dyn Observer,
) -> Result<Replaced, BuildStop> {
    let analysis = crate::analyse_to_render(inventory);
    observer.analysed(&analysis);
    let Some(intent) = analysis.intent else {
        return Err(BuildStop::Invalid);
    };
    let renderer = Renderer::new(templates).map_err(BuildStop::Write)?;
    let files =
        crate::render_all(&renderer, &intent).map_err(|e| BuildStop::Write(e.to_string()))?;
    crate::output::replace_dir(output, &files).map_err(BuildStop::Write)
}

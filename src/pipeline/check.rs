//! `check` end to end: load, check and compile the inventory, with the
//! budget assumptions of `--what-if-hosts`, and report every problem.

use crate::budget::Assumptions;
use crate::Analysis;
use std::path::Path;

/// What to check.
pub struct CheckRequest<'a> {
    pub inventory: &'a Path,
    /// `--what-if-hosts`.
    pub assumptions: &'a Assumptions,
}

/// What `check` found: the analysis (its diagnostics, the budget, and the
/// intent when the inventory compiled).
pub struct CheckReport {
    pub analysis: Analysis,
}

impl CheckReport {
    /// Whether the inventory has no error.
    pub fn ok(&self) -> bool {
        !self.analysis.diagnostics.has_errors()
    }

    /// How many switches compiled, when the inventory did.
    pub fn switches(&self) -> Option<usize> {
        self.analysis.intent.as_ref().map(|i| i.devices.len())
    }

    /// The report as `check --format json` prints it; `inventory` as the
    /// user named it.
    pub fn json(&self, inventory: &Path) -> serde_json::Value {
        let analysis = &self.analysis;
        serde_json::json!({
            "inventory": inventory.display().to_string(),
            "ok": self.ok(),
            "errors": analysis.diagnostics.error_count(),
            "warnings": analysis.diagnostics.warning_count(),
            "diagnostics": crate::diag::to_json(&analysis.diagnostics, &analysis.sources),
            "budget": analysis.budget,
            "tcam": analysis.tcam,
        })
    }
}

/// Checks the inventory of `request`; policy rules expire against today's
/// date (UTC).
pub fn check(request: &CheckRequest<'_>) -> CheckReport {
    CheckReport {
        analysis: crate::analyse_with(
            request.inventory,
            crate::inventory::Date::today(),
            request.assumptions,
        ),
    }
}

//! `why` end to end: analyse the inventory and decide whether a flow is
//! allowed, with the rule and the ACL entries that decide.

use crate::diag::{Diagnostics, Sources};
use crate::policy::why::{Query, QueryError, Verdict};
use std::path::Path;

/// The answer: one verdict per flow the query names.
pub struct WhyAnswer {
    pub verdicts: Vec<Verdict>,
    /// The verdicts as the command prints them, each with the rule it
    /// cites quoted from the inventory's files.
    pub text: String,
}

impl WhyAnswer {
    /// Whether every flow of the query is allowed.
    pub fn allowed(&self) -> bool {
        self.verdicts.iter().all(|v| v.allowed)
    }
}

/// Why there is no answer.
pub enum WhyStop {
    /// The inventory has errors.
    Invalid {
        diagnostics: Diagnostics,
        sources: Sources,
    },
    /// The question cannot be asked of this inventory.
    Query(QueryError),
}

/// Asks `query` of the inventory in `inventory`.
pub fn why(inventory: &Path, query: &Query<'_>) -> Result<WhyAnswer, WhyStop> {
    let analysis = crate::analyse(inventory);
    let (Some(inventory), Some(intent)) = (&analysis.inventory, &analysis.intent) else {
        return Err(WhyStop::Invalid {
            diagnostics: analysis.diagnostics,
            sources: analysis.sources,
        });
    };
    let verdicts = crate::policy::why::why_all(inventory, intent, query).map_err(WhyStop::Query)?;
    let text = verdicts
        .iter()
        .map(|v| crate::policy::why::render(v, inventory, &analysis.sources))
        .collect();
    Ok(WhyAnswer { verdicts, text })
}

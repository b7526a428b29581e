//! `plan` end to end: analyse the inventory, read or fetch the running
//! configs, plan every selected switch against its intent, and save the
//! exact plan when asked (`--out`).

use super::{Observer, Source, NO_ANSWERS};
use crate::config::PartialPortDefaults;
use crate::input_error::InputError;
use crate::plan::fleet::{plan_inventory, Blank, Running, Selection};
use crate::plan::DevicePlan;
use crate::remote::{LiveError, Session, SshOverrides};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What to plan, and how.
pub struct PlanRequest<'a> {
    pub inventory: &'a Path,
    pub source: &'a Source,
    /// `--prune`.
    pub prune: bool,
    /// Only these switches (all when empty).
    pub devices: &'a [String],
    /// `--templates`.
    pub templates: Option<&'a Path>,
    /// `--max-config-bytes`.
    pub max_config_bytes: u64,
    /// `--out FILE`: save the plan there too.
    pub out: Option<&'a Path>,
    pub allow_management_changes: bool,
    /// `--blank` / `--greenfield`.
    pub blank: Blank<'a>,
    pub ssh: &'a SshOverrides,
    /// The plan is shown as one device's commands (`--format commands`):
    /// selecting more than one switch is an error.
    pub one_device: bool,
}

/// Every selected switch's plan.
pub struct FleetPlan {
    pub plans: Vec<DevicePlan>,
    /// The inventory's hardware budget.
    pub budget: Option<crate::budget::Budget>,
    /// Where the plan was saved (`--out`).
    pub saved_to: Option<PathBuf>,
}

/// Why there is no plan.
pub enum PlanStop {
    /// The inventory has errors (in the diagnostics of the analysis).
    Invalid,
    /// The running configs could not be fetched.
    Live(LiveError),
    /// Every problem that prevents a plan.
    Failures(Vec<InputError>),
    /// The plan could not be saved.
    Save(InputError),
}

/// What the command prints on standard error.
impl std::fmt::Display for PlanStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanStop::Invalid => writeln!(f, "no plan: fix the errors above first"),
            PlanStop::Live(error) => write!(f, "{error}"),
            PlanStop::Failures(failures) => failures.iter().try_for_each(|x| write!(f, "{x}")),
            PlanStop::Save(error) => write!(f, "{error}"),
        }
    }
}

/// Plans the fleet as `request` asks.
pub fn plan_fleet(
    request: &PlanRequest<'_>,
    observer: &mut dyn Observer,
) -> Result<FleetPlan, PlanStop> {
    let analysis = crate::analyse_to_render(request.inventory);
    observer.analysed(&analysis);
    let (Some(intent), Some(inventory)) = (&analysis.intent, &analysis.inventory) else {
        return Err(PlanStop::Invalid);
    };
    let fetched;
    let (running, answers) = match request.source {
        Source::Dir(dir) => (Running::Dir(dir), &NO_ANSWERS),
        Source::Live { parallel, ssh } => {
            fetched = crate::remote::fetch_live(
                inventory,
                request.devices,
                *parallel,
                ssh,
                crate::remote::Connections::Close,
            )
            .map_err(PlanStop::Live)?;
            (Running::Fetched(&fetched.running), &fetched.answers)
        }
    };
    let selected = if request.devices.is_empty() {
        intent.devices.len()
    } else {
        request.devices.len()
    };
    if request.one_device && selected > 1 {
        return Err(PlanStop::Failures(vec![InputError::new(format!(
            "--format commands prints one device's commands, and {selected} switches are selected"
        ))
        .hint(
            "add --device NAME, or use --format text|json|markdown for several switches",
        )]));
    }
    let session = Session::of(inventory, request.ssh);
    let selection = Selection {
        running,
        prune: request.prune,
        devices: request.devices,
        templates: request.templates,
        max_config_bytes: request.max_config_bytes,
        answers,
        allow_management_changes: request.allow_management_changes,
        ssh_user: session.user.as_deref(),
        mgmt_addresses: &session.addresses,
        blank: request.blank,
    };
    let plans = plan_inventory(intent, &inventory.drift, &selection).map_err(PlanStop::Failures)?;
    if let Some(out) = request.out {
        save_plan(request, running, answers, &plans, out).map_err(PlanStop::Save)?;
    }
    Ok(FleetPlan {
        plans,
        budget: analysis.budget,
        saved_to: request.out.map(Path::to_path_buf),
    })
}

/// Writes `plans`, computed against `running` and the switches'
/// `answers`, to `out` as a saved plan.
fn save_plan(
    request: &PlanRequest<'_>,
    running: Running<'_>,
    answers: &BTreeMap<String, PartialPortDefaults>,
    plans: &[DevicePlan],
    out: &Path,
) -> Result<(), InputError> {
    let absolute = |path: &Path| {
        std::path::absolute(path)
            .map_err(|e| InputError::new(format!("cannot make the path absolute: {e}")).at(path))
    };
    // The switches' own answers, where they were asked (a live plan).
    let answered = |device: &str| match running {
        Running::Fetched(_) => answers.get(device).copied(),
        Running::Dir(_) => None,
    };
    let running = |device: &str| -> Result<String, InputError> {
        match running {
            Running::Fetched(texts) => texts
                .get(device)
                .cloned()
                .ok_or_else(|| InputError::new(format!("no running config of {device}"))),
            Running::Dir(dir) => {
                let path = dir.join(crate::inventory::config_file_name(device));
                std::fs::read_to_string(&path).map_err(|e| {
                    InputError::new(format!("cannot read the running config: {e}")).at(&path)
                })
            }
        }
    };
    let mut saved = crate::saved::SavedPlan::of_plans(
        absolute(request.inventory)?,
        request.prune,
        request.templates.map(absolute).transpose()?,
        plans,
        running,
        answered,
    )?;
    saved.allow_management_changes = request.allow_management_changes;
    saved.write(out)
}

//! `apply` end to end: analyse the inventory, fetch the switches, plan
//! them (or take a saved plan, `apply FILE`, and check it still holds),
//! confirm, roll the changes out pair by pair, and prove the switches
//! changed from their re-fetched configs.

use crate::apply::{Canary, Change, DeviceResult, ExpectedHash, Outcome, Waiting};
use crate::device::{ConnectOptions, Transport};
use crate::diag::Sources;
use crate::input_error::InputError;
use crate::intent::Intent;
use crate::inventory::Inventory;
use crate::plan::fleet::{plan_inventory, Running, Selection};
use crate::plan::DevicePlan;
use crate::remote::{Connections, LiveError, Session, SshOverrides};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What to apply, and how.
pub struct ApplyRequest<'a> {
    /// The inventory directory, or a saved plan file.
    pub inventory: &'a Path,
    /// Only these switches (all when empty).
    pub devices: &'a [String],
    /// How many switches at once.
    pub parallel: usize,
    pub canary: Canary,
    /// `--yes`: no confirmation asked.
    pub yes: bool,
    /// Copy the running config to startup after a verified change.
    pub save: bool,
    /// `--commit-timer`: how long a platform that commits with a
    /// confirmation waits for it ([`crate::apply::DEFAULT_COMMIT_TIMER`]
    /// when None).
    pub commit_timer: Option<std::time::Duration>,
    /// `--prune`.
    pub prune: bool,
    pub allow_management_changes: bool,
    pub ssh: SshOverrides,
}

/// Told of each stage, and asked for the confirmation.
pub trait ApplyObserver {
    /// The inventory was loaded, checked and compiled.
    fn analysed(&mut self, analysis: &crate::Analysis);
    /// Whether a confirmation can be asked at all (without `--yes`).
    fn can_ask(&self) -> bool;
    /// The plan made against the switches just fetched.
    fn planned(&mut self, plans: &[DevicePlan]);
    /// `apply FILE`: the devices refused, and the changes the saved plan
    /// holds for the others.
    fn saved_plan_checked(&mut self, refused: &[Refusal], changes: &[Change]);
    /// Asks whether to apply to `devices` switches.
    fn confirm(&mut self, devices: usize) -> bool;
    /// The rollout of `changes` starts: where each device's stages go.
    fn rollout(&mut self, changes: &[Change]) -> Box<dyn StageProgress>;
}

/// Each device's stages during a rollout, reported from the worker threads.
pub trait StageProgress: Sync {
    /// `device` is at `stage`; `done`: it is the device's last word.
    fn stage(&self, device: &str, stage: &str, done: bool);
    /// The rollout is over.
    fn finished(&self);
}

/// A device of a saved plan that nothing was sent to, and why.
pub struct Refusal {
    pub device: String,
    pub reason: String,
}

/// What `apply` did.
pub struct ApplyReport {
    /// `apply FILE`: devices refused before anything was sent to them.
    pub refused: Vec<Refusal>,
    /// None: there was nothing to apply.
    pub pushed: Option<Pushed>,
}

/// The rollout, and the proof after it.
pub struct Pushed {
    pub results: Vec<DeviceResult>,
    pub verified: AfterChange,
}

/// The proof on the switches changed, from their re-fetched configs; a
/// finding is reported, never rolled back.
pub enum AfterChange {
    /// No switch was changed: nothing to prove.
    NothingChanged,
    /// Proven on this many switches.
    Proven { switches: usize },
    /// Findings on the switches changed.
    Findings(crate::verify::Report),
    /// The changed switches could not be proven.
    Unproven(Vec<InputError>),
}

impl ApplyReport {
    /// Every change applied and verified, and no device refused.
    pub fn success(&self) -> bool {
        self.refused.is_empty()
            && self
                .pushed
                .as_ref()
                .is_none_or(|p| p.results.iter().all(|r| r.outcome.is_success()))
    }
}

/// Why nothing was applied.
pub enum ApplyStop {
    /// The inventory has errors; with a saved plan, the inventory it names.
    Invalid {
        saved_plan_inventory: Option<PathBuf>,
    },
    /// A confirmation is needed and cannot be asked.
    CannotAsk { saved_plan: bool },
    /// No way to connect to the switches.
    Connection(String),
    /// The running configs could not all be fetched.
    Fetch(LiveError),
    /// Every problem that prevents a plan.
    Plan(Vec<InputError>),
    /// No rollout order fits the canary choice.
    Rollout(String),
    /// The confirmation was not given.
    Declined,
    /// The saved plan cannot be read.
    SavedPlan(InputError),
    /// `--prune` with a saved plan, which says itself whether it prunes.
    PruneWithSavedPlan { saved_prunes: bool },
    /// `--device NAME` that the saved plan does not hold.
    NotInSavedPlan(String),
}

/// What the command prints on standard error.
impl std::fmt::Display for ApplyStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyStop::Invalid {
                saved_plan_inventory: None,
            } => writeln!(f, "nothing applied: fix the errors above first"),
            ApplyStop::Invalid {
                saved_plan_inventory: Some(dir),
            } => writeln!(
                f,
                "nothing applied: fix the errors above first (inventory {} of the saved plan)",
                dir.display()
            ),
            ApplyStop::CannotAsk { saved_plan } => writeln!(
                f,
                "error: apply asks for confirmation, and standard input is not a terminal\n  = hint: review the {}, then run apply with --yes",
                if *saved_plan { "saved plan" } else { "plan (`liaison plan --live`)" }
            ),
            ApplyStop::Connection(message) => writeln!(f, "error: {message}"),
            ApplyStop::Fetch(error) => writeln!(f, "{error}nothing applied"),
            ApplyStop::Plan(failures) => {
                failures.iter().try_for_each(|x| write!(f, "{x}"))?;
                writeln!(f, "nothing applied")
            }
            ApplyStop::Rollout(message) => writeln!(f, "error: {message}\nnothing applied"),
            ApplyStop::SavedPlan(error) => writeln!(f, "{error}nothing applied"),
            ApplyStop::Declined => writeln!(f, "nothing applied"),
            ApplyStop::PruneWithSavedPlan { saved_prunes } => writeln!(
                f,
                "error: --prune with a saved plan: the plan already says whether it prunes (it was made with{} --prune)\nnothing applied",
                if *saved_prunes { "" } else { "out" }
            ),
            ApplyStop::NotInSavedPlan(device) => writeln!(
                f,
                "error: --device {device}: the saved plan has no device `{device}`\nnothing applied"
            ),
        }
    }
}

/// Applies as `request` asks: a saved plan when `request.inventory` is a
/// file, else a plan made now against the live switches.
pub fn apply(
    request: &ApplyRequest<'_>,
    observer: &mut dyn ApplyObserver,
) -> Result<ApplyReport, ApplyStop> {
    if request.inventory.is_file() {
        return apply_saved(request, observer);
    }
    let analysis = crate::analyse_to_render(request.inventory);
    observer.analysed(&analysis);
    let (Some(intent), Some(inventory)) = (&analysis.intent, &analysis.inventory) else {
        return Err(ApplyStop::Invalid {
            saved_plan_inventory: None,
        });
    };
    if !request.yes && !observer.can_ask() {
        return Err(ApplyStop::CannotAsk { saved_plan: false });
    }
    let (targets, options) = connect(inventory, request.devices, &request.ssh)?;
    let mut fetched = crate::remote::fetch_live(
        inventory,
        request.devices,
        request.parallel,
        &request.ssh,
        Connections::Keep,
    )
    .map_err(ApplyStop::Fetch)?;
    let connections = std::mem::take(&mut fetched.connections);
    let session = Session::of(inventory, &request.ssh);
    let planner = Planner {
        intent,
        inventory,
        prune: request.prune,
        templates: None,
        // The switches' answers from the first fetch hold for the verify
        // step too: the change does not touch them.
        answers: &fetched.answers,
        sources: &analysis.sources,
        inventory_dir: request.inventory,
        before: &fetched.running,
        allow_management_changes: request.allow_management_changes,
        session: &session,
    };
    let plans = planner
        .plan(&fetched.running, request.devices)
        .map_err(ApplyStop::Plan)?;
    observer.planned(&plans);
    let changes: Vec<Change> = targets
        .iter()
        .filter_map(|target| {
            let plan = plans.iter().find(|p| p.device == target.name)?;
            plan.has_changes().then(|| {
                let commands = plan.lines().collect();
                Change::new(target.clone(), commands, intent)
            })
        })
        .collect();
    Ok(ApplyReport {
        refused: Vec::new(),
        pushed: push_changes(
            request,
            &planner,
            &options,
            &changes,
            None,
            connections,
            observer,
        )?,
    })
}

/// The targets and connection options, or why there are none.
fn connect(
    inventory: &Inventory,
    devices: &[String],
    ssh: &SshOverrides,
) -> Result<(Vec<crate::device::Target>, ConnectOptions), ApplyStop> {
    crate::remote::connection(inventory, devices, ssh).map_err(ApplyStop::Connection)
}

/// Plans devices against fetched running configs.
struct Planner<'a> {
    intent: &'a Intent,
    inventory: &'a Inventory,
    prune: bool,
    templates: Option<&'a Path>,
    /// What the switches told about their hidden defaults.
    answers: &'a BTreeMap<String, crate::config::PartialPortDefaults>,
    /// The inventory's files and directory, for the proof after the change.
    sources: &'a Sources,
    inventory_dir: &'a Path,
    /// The running configs fetched before the change.
    before: &'a BTreeMap<String, String>,
    allow_management_changes: bool,
    session: &'a Session,
}

impl Planner<'_> {
    fn plan(
        &self,
        fetched: &BTreeMap<String, String>,
        devices: &[String],
    ) -> Result<Vec<DevicePlan>, Vec<InputError>> {
        plan_inventory(
            self.intent,
            &self.inventory.drift,
            &Selection {
                running: Running::Fetched(fetched),
                prune: self.prune,
                devices,
                templates: self.templates,
                max_config_bytes: crate::plan::fleet::DEFAULT_MAX_CONFIG_BYTES,
                answers: self.answers,
                allow_management_changes: self.allow_management_changes,
                ssh_user: self.session.user.as_deref(),
                mgmt_addresses: &self.session.addresses,
                blank: crate::plan::fleet::Blank::None,
            },
        )
    }

    /// The commands still needed on `device` with `running`.
    fn left(&self, device: &str, running: &str) -> Result<Vec<String>, String> {
        let texts = BTreeMap::from([(device.to_string(), running.to_string())]);
        let plans = self
            .plan(&texts, &[device.to_string()])
            .map_err(|failures| {
                failures
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
        Ok(plans.iter().flat_map(|p| p.lines()).collect())
    }
}

/// Confirms, then rolls `changes` out pair by pair and proves the switches
/// changed; None when there is nothing to apply. `expected`: with a saved
/// plan, each device's running-config hash. `connections`: those the
/// plan was fetched on; each device changed is pushed on its own (those
/// of devices without a change are closed now).
fn push_changes(
    request: &ApplyRequest<'_>,
    planner: &Planner<'_>,
    options: &ConnectOptions,
    changes: &[Change],
    expected: Option<&ExpectedHash<'_>>,
    mut connections: BTreeMap<String, Box<dyn Transport>>,
    observer: &mut dyn ApplyObserver,
) -> Result<Option<Pushed>, ApplyStop> {
    let waiting = Waiting::new(
        changes
            .iter()
            .map(|c| connections.remove(&c.target.name))
            .collect(),
    );
    drop(connections);
    if changes.is_empty() {
        return Ok(None);
    }
    // Which member of each pair goes first, and which pairs are split,
    // where the switches say.
    let mut changes = changes.to_vec();
    crate::apply::read_pairs(&mut changes, &waiting, options, request.parallel);
    let changes = changes.as_slice();
    let rollout = crate::apply::rollout(changes, &request.canary).map_err(ApplyStop::Rollout)?;
    if !request.yes && !waiting.kept_alive(|| observer.confirm(changes.len())) {
        return Err(ApplyStop::Declined);
    }
    // The configs re-fetched after each commit: what the proof reads.
    let refetched = std::sync::Mutex::new(BTreeMap::new());
    let replan = |device: &str, running: &str| {
        if let Ok(mut texts) = refetched.lock() {
            texts.insert(device.to_string(), running.to_string());
        }
        planner.left(device, running)
    };
    let stages = observer.rollout(changes);
    let progress = |device: &str, stage: &str, done: bool| stages.stage(device, stage, done);
    let results = crate::apply::apply_all(
        changes,
        &rollout,
        request.parallel,
        &crate::apply::Settings {
            connect: options,
            save: request.save,
            replan: &replan,
            progress: &progress,
            expected,
            confirm_within: request
                .commit_timer
                .unwrap_or(crate::apply::DEFAULT_COMMIT_TIMER),
        },
        &waiting,
    );
    stages.finished();
    let changed: BTreeSet<String> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Applied { .. }))
        .map(|r| r.device.clone())
        .collect();
    let mut running = planner.before.clone();
    running.extend(refetched.into_inner().unwrap_or_default());
    let verified = verify_changed(planner, &running, &changed);
    Ok(Some(Pushed { results, verified }))
}

/// After a change: the proof on the switches changed, from their
/// re-fetched configs.
fn verify_changed(
    planner: &Planner<'_>,
    running: &BTreeMap<String, String>,
    changed: &BTreeSet<String>,
) -> AfterChange {
    if changed.is_empty() {
        return AfterChange::NothingChanged;
    }
    match crate::verify::after_change(
        planner.inventory,
        planner.sources,
        planner.intent,
        running,
        changed,
        planner.answers,
        &planner.inventory_dir.display().to_string(),
    ) {
        Ok(report) if report.proven() => AfterChange::Proven {
            switches: changed.len(),
        },
        Ok(report) => AfterChange::Findings(report),
        Err(failures) => AfterChange::Unproven(failures),
    }
}

/// `apply FILE`: exactly the saved plan. A device whose running config
/// changed since the plan was made, or that the inventory now plans
/// otherwise, is refused before anything is sent to it (and so is its vPC
/// peer: a pair is one change); the plan is never silently made anew.
fn apply_saved(
    request: &ApplyRequest<'_>,
    observer: &mut dyn ApplyObserver,
) -> Result<ApplyReport, ApplyStop> {
    let saved = crate::saved::SavedPlan::read(request.inventory).map_err(ApplyStop::SavedPlan)?;
    if request.prune {
        return Err(ApplyStop::PruneWithSavedPlan {
            saved_prunes: saved.prune,
        });
    }
    let analysis = crate::analyse_to_render(&saved.inventory);
    observer.analysed(&analysis);
    let (Some(intent), Some(inventory)) = (&analysis.intent, &analysis.inventory) else {
        return Err(ApplyStop::Invalid {
            saved_plan_inventory: Some(saved.inventory.clone()),
        });
    };
    if !request.yes && !observer.can_ask() {
        return Err(ApplyStop::CannotAsk { saved_plan: true });
    }
    if let Some(device) = request.devices.iter().find(|d| saved.device(d).is_none()) {
        return Err(ApplyStop::NotInSavedPlan(device.clone()));
    }
    let devices: Vec<String> = saved
        .devices
        .iter()
        .filter(|d| request.devices.is_empty() || request.devices.contains(&d.device))
        .map(|d| d.device.clone())
        .collect();
    let (targets, options) = connect(inventory, &devices, &request.ssh)?;
    let mut fetched = crate::remote::fetch_live(
        inventory,
        &devices,
        request.parallel,
        &request.ssh,
        Connections::Keep,
    )
    .map_err(ApplyStop::Fetch)?;
    let connections = std::mem::take(&mut fetched.connections);
    let session = Session::of(inventory, &request.ssh);
    let planner = Planner {
        intent,
        inventory,
        prune: saved.prune,
        templates: saved.templates.as_deref(),
        answers: &fetched.answers,
        sources: &analysis.sources,
        inventory_dir: &saved.inventory,
        before: &fetched.running,
        allow_management_changes: saved.allow_management_changes,
        session: &session,
    };
    let mut refused: Vec<Refusal> = Vec::new();
    for device in &devices {
        let Some(plan) = saved.device(device) else {
            continue;
        };
        let running = &fetched.running[device];
        let now = crate::saved::config_hash(running);
        let reason = if now != plan.running_config {
            Some(format!(
                "its running config changed since the plan was made ({now} now, {} in the plan)",
                plan.running_config
            ))
        } else {
            match planner.left(device, running) {
                Ok(commands) if commands == plan.commands => None,
                Ok(_) => Some(
                    "the inventory now plans other commands for it than the saved plan holds"
                        .to_string(),
                ),
                Err(reason) => Some(format!(
                    "cannot check the saved plan against the inventory: {reason}"
                )),
            }
        };
        if let Some(reason) = reason {
            refused.push(Refusal {
                device: device.clone(),
                reason,
            });
        }
    }
    // A pair is one change: a refused member holds back its peer.
    let peers: Vec<Refusal> = refused
        .iter()
        .filter_map(|refusal| {
            let device = &refusal.device;
            let member = intent.devices.iter().find(|d| &d.name == device)?;
            let peer = member.mlag.as_ref()?.peer.clone();
            let pair = member.platform.pair_name();
            (devices.contains(&peer) && !refused.iter().any(|r| r.device == peer)).then(|| {
                Refusal {
                    device: peer,
                    reason: format!(
                        "its {pair} peer {device} is refused, and a pair is one change"
                    ),
                }
            })
        })
        .collect();
    refused.extend(peers);
    let changes: Vec<Change> = targets
        .iter()
        .filter(|t| !refused.iter().any(|r| r.device == t.name))
        .filter_map(|target| {
            let plan = saved.device(&target.name)?;
            (!plan.commands.is_empty())
                .then(|| Change::new(target.clone(), plan.commands.clone(), intent))
        })
        .collect();
    observer.saved_plan_checked(&refused, &changes);
    let expected = |device: &str| saved.device(device).map(|d| d.running_config.clone());
    let pushed = push_changes(
        request,
        &planner,
        &options,
        &changes,
        Some(&expected),
        connections,
        observer,
    )?;
    Ok(ApplyReport { refused, pushed })
}

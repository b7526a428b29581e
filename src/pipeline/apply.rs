//! `apply` end to end: analyse the inventory, fetch the switches, plan
//! them, confirm, roll the changes out pair by pair, and prove the
//! switches changed from their re-fetched configs. With a saved plan
//! (`apply FILE`): confirm, then check each pair against the plan when its
//! turn comes, while the switches are fetched in the background.

use crate::apply::{Canary, Change, DeviceResult, ExpectedHash, Gate, Outcome, Replan, Waiting};
use crate::device::ConnectOptions;
use crate::diag::Sources;
use crate::input_error::InputError;
use crate::intent::Intent;
use crate::inventory::Inventory;
use crate::plan::fleet::{plan_inventory, Running, Selection};
use crate::plan::DevicePlan;
use crate::remote::{Connections, Fetched, LiveError, Session, SshOverrides};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

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
    /// `apply FILE`: the changes the saved plan holds (each pair is
    /// checked against it when its turn comes).
    fn saved_plan(&mut self, changes: &[Change]);
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
    /// `apply FILE`: devices refused before anything was sent to them (a
    /// changed one among them has a row of the rollout too).
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
    let mut connections = connections;
    let waiting = Waiting::new(
        changes
            .iter()
            .map(|c| connections.remove(&c.target.name))
            .collect(),
    );
    // Those of devices without a change are closed now.
    drop(connections);
    let replan = |device: &str, running: &str| planner.left(device, running);
    // Each switch is read again when its turn comes: one changed since it
    // was fetched for the plan (during the confirmation, or while the
    // pairs before it were changed) is sent nothing, as with a saved plan.
    let hashes: BTreeMap<&str, String> = fetched
        .running
        .iter()
        .map(|(device, running)| (device.as_str(), crate::saved::config_hash(running)))
        .collect();
    let expected = |device: &str| hashes.get(device).cloned();
    let checks = Checks {
        replan: &replan,
        expected: Some(&expected),
        gate: None,
        confirmed: &|| {},
    };
    let rolled = push_changes(request, &options, &changes, &checks, &waiting, observer)?;
    Ok(ApplyReport {
        refused: Vec::new(),
        pushed: rolled.map(|rolled| rolled.proven(&planner)),
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
#[derive(Clone, Copy)]
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

/// How a rollout checks its devices.
struct Checks<'a> {
    /// The commands still needed on a device after its change.
    replan: &'a Replan<'a>,
    /// Each device's running-config hash when it was planned.
    expected: Option<&'a ExpectedHash<'a>>,
    /// With a saved plan, the check of each pair when its turn comes.
    gate: Option<&'a Gate<'a>>,
    /// Told once the rollout is confirmed, before its first read.
    confirmed: &'a (dyn Fn() + Sync),
}

/// A rollout done: its rows, and the configs re-fetched after each commit.
struct Rolled {
    results: Vec<DeviceResult>,
    refetched: BTreeMap<String, String>,
}

impl Rolled {
    /// The rollout, and the proof on the switches it changed from their
    /// re-fetched configs (the others as `planner` fetched them).
    fn proven(self, planner: &Planner<'_>) -> Pushed {
        let changed: BTreeSet<String> = self
            .results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Applied { .. }))
            .map(|r| r.device.clone())
            .collect();
        let mut running = planner.before.clone();
        running.extend(self.refetched);
        Pushed {
            verified: verify_changed(planner, &running, &changed),
            results: self.results,
        }
    }
}

/// Confirms, then rolls `changes` out pair by pair, each device on the
/// connection `waiting` holds for it, if any; None when there is nothing
/// to apply.
fn push_changes(
    request: &ApplyRequest<'_>,
    options: &ConnectOptions,
    changes: &[Change],
    checks: &Checks<'_>,
    waiting: &Waiting,
    observer: &mut dyn ApplyObserver,
) -> Result<Option<Rolled>, ApplyStop> {
    if changes.is_empty() {
        return Ok(None);
    }
    // Which member of each pair goes first, and which pairs are split,
    // where the switches say.
    let mut changes = changes.to_vec();
    crate::apply::read_pairs(&mut changes, waiting, options, request.parallel);
    let changes = changes.as_slice();
    let rollout = crate::apply::rollout(changes, &request.canary).map_err(ApplyStop::Rollout)?;
    if !request.yes && !waiting.kept_alive(|| observer.confirm(changes.len())) {
        return Err(ApplyStop::Declined);
    }
    (checks.confirmed)();
    // The configs re-fetched after each commit: what the proof reads.
    let refetched = Mutex::new(BTreeMap::new());
    let replan = |device: &str, running: &str| {
        if let Ok(mut texts) = refetched.lock() {
            texts.insert(device.to_string(), running.to_string());
        }
        (checks.replan)(device, running)
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
            expected: checks.expected,
            gate: checks.gate,
            confirm_within: request
                .commit_timer
                .unwrap_or(crate::apply::DEFAULT_COMMIT_TIMER),
        },
        waiting,
    );
    stages.finished();
    Ok(Some(Rolled {
        results,
        refetched: refetched.into_inner().unwrap_or_default(),
    }))
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

/// `apply FILE`: exactly the saved plan. Each pair is checked when its
/// turn comes, before anything is sent to it: a device whose running
/// config changed since the plan was made, or that the inventory now plans
/// otherwise, or that cannot be fetched, is refused, and so is its pair
/// peer (a pair is one change); the plan is never silently made anew. The
/// switches are fetched in the background in rollout order from the
/// confirmation on, so that checking the fabric overlaps with changing it
/// (a live `apply` fetches and plans every switch first instead: a plan
/// made now is refused whole when any switch is wrong).
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
    let changes: Vec<Change> = targets
        .iter()
        .filter_map(|target| {
            let plan = saved.device(&target.name)?;
            (!plan.commands.is_empty())
                .then(|| Change::new(target.clone(), plan.commands.clone(), intent))
        })
        .collect();
    observer.saved_plan(&changes);
    let session = Session::of(inventory, &request.ssh);
    let no_configs = BTreeMap::new();
    let no_answers = BTreeMap::new();
    let planner = Planner {
        intent,
        inventory,
        prune: saved.prune,
        templates: saved.templates.as_deref(),
        answers: &no_answers,
        sources: &analysis.sources,
        inventory_dir: &saved.inventory,
        before: &no_configs,
        allow_management_changes: saved.allow_management_changes,
        session: &session,
    };
    // Why `device`, fetched as `fetched`, may not take its saved commands.
    let refusal = |device: &str, fetched: &Result<Fetched, String>| -> Option<String> {
        let plan = saved.device(device)?;
        let fetched = match fetched {
            Ok(fetched) => fetched,
            Err(e) => return Some(format!("cannot fetch its running config: {e}")),
        };
        let now = crate::saved::config_hash(&fetched.running);
        if now != plan.running_config {
            return Some(format!(
                "its running config changed since the plan was made ({now} now, {} in the plan)",
                plan.running_config
            ));
        }
        let answers = BTreeMap::from([(device.to_string(), fetched.port_defaults)]);
        let planner = Planner {
            answers: &answers,
            ..planner
        };
        match planner.left(device, &fetched.running) {
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
    let arriving = Arriving::default();
    let refused: Mutex<Vec<Refusal>> = Mutex::default();
    let checked: Mutex<BTreeSet<String>> = Mutex::default();
    let pair_of = |device: &str| -> Vec<String> {
        let peer = intent
            .devices
            .iter()
            .find(|d| d.name == device)
            .and_then(|d| d.mlag.as_ref())
            .map(|m| m.peer.clone())
            .filter(|peer| devices.contains(peer));
        std::iter::once(device.to_string()).chain(peer).collect()
    };
    let gate = |change: &Change| -> Result<Option<String>, Vec<(String, String)>> {
        let pair = pair_of(&change.target.name);
        let fetched = arriving.wait_for(&pair);
        lock(&checked).extend(pair.iter().cloned());
        let mut reasons: Vec<(String, String)> = pair
            .iter()
            .zip(&fetched)
            .filter_map(|(device, (fetched, _))| Some((device.clone(), refusal(device, fetched)?)))
            .collect();
        let Some((first, _)) = reasons.first().cloned() else {
            // The first member (first in `pair`), read while its turn
            // waited: no need to read it again.
            return Ok(match &fetched[0] {
                (Ok(fetched), Arrived::WhileWaited) => Some(fetched.running.clone()),
                _ => None,
            });
        };
        for device in &pair {
            if !reasons.iter().any(|(d, _)| d == device) {
                let name = change.platform.pair_name();
                reasons.push((
                    device.clone(),
                    format!("its {name} peer {first} is refused, and a pair is one change"),
                ));
            }
        }
        lock(&refused).extend(reasons.iter().map(|(device, reason)| Refusal {
            device: device.clone(),
            reason: reason.clone(),
        }));
        Err(reasons)
    };
    let expected = |device: &str| saved.device(device).map(|d| d.running_config.clone());
    let replan = |device: &str, running: &str| {
        let answers = BTreeMap::from_iter(arriving.answers_of(device));
        Planner {
            answers: &answers,
            ..planner
        }
        .left(device, running)
    };
    // The fetch order: each unit's devices as the rollout takes them
    // (its first member, its peer), then the devices without a change.
    let mut order: Vec<String> = match crate::apply::rollout(&changes, &request.canary) {
        Ok(rollout) => rollout
            .canaries
            .iter()
            .chain(&rollout.rest)
            .flat_map(|unit| pair_of(&changes[unit.members[0]].target.name))
            .collect(),
        Err(_) => Vec::new(),
    };
    order.extend(devices.iter().cloned());
    let mut seen = BTreeSet::new();
    order.retain(|d| seen.insert(d.clone()));
    let order: Vec<&crate::device::Target> = order
        .iter()
        .filter_map(|d| targets.iter().find(|t| &t.name == d))
        .collect();
    let waiting = Waiting::empty(changes.len());
    let (go, started) = std::sync::mpsc::channel::<()>();
    let rolled = std::thread::scope(|scope| {
        let (arriving, changes, waiting, options, order, saved) =
            (&arriving, &changes, &waiting, &options, &order, &saved);
        scope.spawn(move || {
            let _closed = arriving.closed_after();
            if started.recv().is_err() {
                return;
            }
            crate::pool::run_parallel(order, request.parallel, |target| {
                // The port defaults the switch gave the plan: a config that
                // still hashes as planned answers the same (see
                // `SavedPortDefaults`); a stale one is refused either way.
                let known = saved
                    .device(&target.name)
                    .and_then(|d| d.port_defaults)
                    .map(Into::into);
                // A switch with a change is fetched on the connection that
                // waits for its turn (one the pair reads before the rollout
                // opened), else on a new one, left waiting for its turn.
                let fetched = match changes.iter().position(|c| c.target.name == target.name) {
                    Some(i) => waiting.with(i, &changes[i], options, |transport| {
                        let platform = changes[i].platform;
                        crate::remote::fetch_on(transport, platform, &target.name, known)
                    }),
                    None => crate::remote::fetch_one(inventory, target, options, known)
                        .map(|(fetched, _)| fetched),
                };
                arriving.arrive(&target.name, fetched.map_err(|e| e.to_string()));
            });
        });
        let go = Mutex::new(Some(go));
        let confirmed = || {
            if let Some(go) = lock(&go).take() {
                let _ = go.send(());
            }
        };
        let checks = Checks {
            replan: &replan,
            expected: Some(&expected),
            gate: Some(&gate),
            confirmed: &confirmed,
        };
        let rolled = push_changes(request, options, changes, &checks, waiting, observer);
        // Declined, or nothing to apply: the fetch never starts.
        drop(lock(&go).take());
        rolled
    })?;
    let fetched = arriving.into_fetched();
    // The devices no pair's turn checked (those without a change of
    // their own or a peer's) are checked now: nothing is sent to them,
    // but a stale plan is still a stale plan.
    let checked = checked.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut refused = refused.into_inner().unwrap_or_else(|e| e.into_inner());
    if rolled.is_some() {
        for (device, fetched) in &fetched {
            if !checked.contains(device) {
                if let Some(reason) = refusal(device, fetched) {
                    refused.push(Refusal {
                        device: device.clone(),
                        reason,
                    });
                }
            }
        }
    }
    refused.sort_by_key(|r| devices.iter().position(|d| *d == r.device));
    let before: BTreeMap<String, String> = fetched
        .iter()
        .filter_map(|(d, f)| Some((d.clone(), f.as_ref().ok()?.running.clone())))
        .collect();
    let answers: BTreeMap<_, _> = fetched
        .iter()
        .filter_map(|(d, f)| Some((d.clone(), f.as_ref().ok()?.port_defaults)))
        .collect();
    let planner = Planner {
        answers: &answers,
        before: &before,
        ..planner
    };
    Ok(ApplyReport {
        refused,
        pushed: rolled.map(|rolled| rolled.proven(&planner)),
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// `apply FILE`: the switches' running configs as the fetch in the
/// background brings them in, while the rollout goes on; a pair's turn
/// waits for its own.
#[derive(Default)]
struct Arriving {
    state: Mutex<ArrivingState>,
    changed: Condvar,
}

/// When a device's fetch arrived, as [`Arriving::wait_for`] saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arrived {
    /// Before the wait began: read at some time before the turn.
    Before,
    /// While the turn waited for it: as fresh as a read at the turn.
    WhileWaited,
}

#[derive(Default)]
struct ArrivingState {
    fetched: BTreeMap<String, Result<Fetched, String>>,
    /// The fetch is over: what has not arrived will not.
    over: bool,
}

/// Marks the fetch over when dropped, a panic in it included, so that no
/// turn waits for it forever.
struct Closing<'a>(&'a Arriving);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        lock(&self.0.state).over = true;
        self.0.changed.notify_all();
    }
}

impl Arriving {
    fn closed_after(&self) -> Closing<'_> {
        Closing(self)
    }

    fn arrive(&self, device: &str, fetched: Result<Fetched, String>) {
        lock(&self.state)
            .fetched
            .insert(device.to_string(), fetched);
        self.changed.notify_all();
    }

    /// What was fetched of each of `devices`, once all have arrived (each
    /// fetch is bounded by `--timeout`), and when.
    fn wait_for(&self, devices: &[String]) -> Vec<(Result<Fetched, String>, Arrived)> {
        let mut state = lock(&self.state);
        let before: Vec<bool> = devices
            .iter()
            .map(|d| state.fetched.contains_key(d))
            .collect();
        while !state.over && devices.iter().any(|d| !state.fetched.contains_key(d)) {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        devices
            .iter()
            .zip(before)
            .map(|(d, before)| {
                let fetched = match state.fetched.get(d) {
                    Some(fetched) => fetched.clone(),
                    None => Err("the fetch ended before it".to_string()),
                };
                let when = match before {
                    true => Arrived::Before,
                    false => Arrived::WhileWaited,
                };
                (fetched, when)
            })
            .collect()
    }

    /// What `device` said of its port defaults, if it was fetched.
    fn answers_of(&self, device: &str) -> Option<(String, crate::config::PartialPortDefaults)> {
        let state = lock(&self.state);
        let fetched = state.fetched.get(device)?.as_ref().ok()?;
        Some((device.to_string(), fetched.port_defaults))
    }

    fn into_fetched(self) -> BTreeMap<String, Result<Fetched, String>> {
        self.state
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .fetched
    }
}

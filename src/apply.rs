//! Pushing remediation to switches, safely.
//!
//! Per device, through its platform's [`ChangeStrategy`]: ready the change
//! (NX-OS, `platform/nxos/change.rs`: a checkpoint; EOS,
//! `platform/eos/change.rs`: no other session's commit waiting for its
//! confirmation); type the commands (NX-OS: a `configure session` when
//! they only change ACLs, else `configure terminal`; EOS: a configuration
//! session committed with a timer, which the switch undoes by itself
//! unless confirmed); on any error or dropped connection reconnect and
//! undo (NX-OS: `rollback running-config checkpoint NAME atomic`; EOS:
//! `configure session NAME abort`); after the commit, re-fetch the running
//! config and re-plan: anything left means the device failed. Once
//! verified (and the rest of its pair too), confirm where the platform
//! needs it, then `copy running-config startup-config`.
//!
//! A vPC pair is one change: its two members are never changed at the same
//! time. The member that goes first (the vPC secondary: the one the
//! switches call secondary where their platform says, see [`read_pairs`],
//! else the intent's, see [`Change`]) is pushed and verified, then the
//! other; a failure on the first leaves the
//! second untouched, a failure on the second rolls the first back too, and
//! neither is saved to startup until both are verified. Pairs and single
//! switches run in parallel up to `--parallel`, one device at a time per
//! pair. `--canary` applies to a few devices first (see [`rollout`]) and
//! stops the rollout if any of them fails.

use crate::device::{
    ConnectOptions, DeviceError, PairDetail, PairRole, PairState, Target, Transport,
};
use crate::platform::{ChangeStrategy, Platform};
use crate::pool::each_at_once;
use crate::remote;
use serde::Serialize;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What to do on one device.
#[derive(Debug, Clone)]
pub struct Change {
    pub target: Target,
    /// The switch's platform: how it takes a change.
    pub platform: Platform,
    /// Remediation commands in apply order, as typed in configuration mode.
    pub commands: Vec<String>,
    /// The other member of the device's vPC (MLAG) pair, if any.
    pub peer: Option<String>,
    /// Whether this member is changed first in its pair: the vPC secondary,
    /// as the intent has it (the member with the higher role priority; see
    /// docs/pushing.md "Pushing changes safely"), or as the switches say
    /// where their platform's role decides ([`read_pairs`]).
    pub first_of_pair: bool,
    /// Why nothing may be sent to this device, found before the rollout
    /// ([`read_pairs`]: its pair looks split, or its pair state could not
    /// be read): it fails with this, untouched.
    pub refused: Option<String>,
    /// The change touches a vPC type-1 consistency parameter: between the
    /// two members' changes the pair is inconsistent (NX-OS suspends the
    /// secondary's vPCs), so the second member follows at once.
    pub type1: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Nothing to do.
    Unchanged,
    /// Committed, re-fetched and re-planned empty.
    Applied { saved: bool },
    /// Something failed; the device was rolled back to its checkpoint.
    RolledBack { reason: String },
    /// Something failed and the device could not be (or was not) rolled back.
    Failed { reason: String, rolled_back: bool },
    /// Not attempted: a canary, or the other member of its pair, failed.
    Skipped { reason: String },
}

impl Outcome {
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Unchanged | Outcome::Applied { .. })
    }

    /// The outcome as `device`'s own row and progress line show it: its
    /// reasons do not repeat the device's name, which every
    /// [`DeviceError`] message starts with ("agg2: agg2: …" otherwise).
    fn for_device(self, device: &str) -> Outcome {
        let prefix = format!("{device}: ");
        let own = |reason: String| {
            reason
                .strip_prefix(&prefix)
                .unwrap_or(&reason)
                .replace(&format!("; {prefix}"), "; ")
                .replace(&format!(": {prefix}"), ": ")
        };
        match self {
            Outcome::RolledBack { reason } => Outcome::RolledBack {
                reason: own(reason),
            },
            Outcome::Failed {
                reason,
                rolled_back,
            } => Outcome::Failed {
                reason: own(reason),
                rolled_back,
            },
            Outcome::Skipped { reason } => Outcome::Skipped {
                reason: own(reason),
            },
            other => other,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceResult {
    pub device: String,
    pub commands: usize,
    /// The wave the device was changed in (see [`Wave`]).
    pub wave: Wave,
    pub outcome: Outcome,
    pub seconds: f64,
    /// What the device's vPC pair went through between the members'
    /// changes, when worth saying (vPCs suspended by a type-1 change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc: Option<String>,
    /// A pair check that could not run, and why (W080: the device refused
    /// a detail of its pair state); the change went ahead without it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What the device itself said its change is, before it went live,
    /// where its platform says (EOS: `show session-config diffs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// When a device is changed: canaries first, then every pair's first
/// member (and every single switch), each pair's second member only after
/// its first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wave {
    Canary,
    First,
    Second,
}

impl Wave {
    fn label(self) -> &'static str {
        match self {
            Wave::Canary => "canary",
            Wave::First => "1",
            Wave::Second => "2",
        }
    }
}

/// Compares a freshly fetched running config of a device with its intent
/// and returns the commands still needed (empty when verified).
pub type Replan<'a> = dyn Fn(&str, &str) -> Result<Vec<String>, String> + Sync + 'a;

/// The running-config hash a device's plan expects of it, if any.
pub type ExpectedHash<'a> = dyn Fn(&str) -> Option<String> + Sync + 'a;

/// Asked when a unit's turn comes, before anything is sent to it, with
/// its first member: whether the unit may go ahead, or why each of its
/// devices is refused (`apply FILE` checks each pair against the saved
/// plan then, so that checking the fabric overlaps with changing it). A
/// refusal holds back the whole pair, its peer included. Ok(Some): the
/// first member's running config, read while its turn waited for it: as
/// fresh as a read at its turn, so its push takes it instead of reading
/// the config again.
pub type Gate<'a> = dyn Fn(&Change) -> Result<Option<String>, Vec<(String, String)>> + Sync + 'a;

/// Settings of one `apply` run.
pub struct Settings<'a> {
    pub connect: &'a ConnectOptions,
    pub save: bool,
    pub replan: &'a Replan<'a>,
    /// Reports progress: (device, stage, whether it is the device's last
    /// word: its outcome).
    pub progress: &'a (dyn Fn(&str, &str, bool) + Sync),
    /// The hash of the running config each device's plan was computed
    /// against (the saved plan's, or that of the config a live apply
    /// fetched); a device whose config hashes otherwise when its turn
    /// comes is refused before anything is sent to it.
    pub expected: Option<&'a ExpectedHash<'a>>,
    /// Checks each unit when its turn comes (see [`Gate`]); None: the
    /// devices were all checked before the rollout.
    pub gate: Option<&'a Gate<'a>>,
    /// How long a platform that commits with a confirmation (EOS's commit
    /// timer) waits for it before undoing the change by itself
    /// (`--commit-timer`, [`DEFAULT_COMMIT_TIMER`]).
    pub confirm_within: Duration,
}

/// The default `--commit-timer`: long enough for a pair's second member
/// to be pushed, re-fetched, re-planned and its pair to converge (each
/// wait bounded by `--timeout`, 30 s by default) while the first member's
/// commit waits for its confirmation; short enough that a change that cut
/// liaison off is undone within minutes (docs/pushing.md).
pub const DEFAULT_COMMIT_TIMER: Duration = Duration::from_secs(600);

fn unique_name() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    format!("liaison-{}-{}", now.as_secs(), std::process::id())
}

impl Change {
    /// The change of `target` with `commands`, its pair and the kind of
    /// change taken from `intent`: the member with the higher vPC role
    /// priority (the secondary; the later name when equal) goes first.
    pub fn new(target: Target, commands: Vec<String>, intent: &crate::intent::Intent) -> Change {
        let mlag = |name: &str| {
            intent
                .devices
                .iter()
                .find(|d| d.name == name)
                .and_then(|d| d.mlag.as_ref())
        };
        let own = mlag(&target.name);
        let peer = own.map(|m| m.peer.clone());
        let first_of_pair = match (own, peer.as_deref().and_then(mlag)) {
            (Some(own), Some(other)) => {
                (own.role_priority, target.name.as_str()) > (other.role_priority, own.peer.as_str())
            }
            _ => false,
        };
        let platform = intent
            .devices
            .iter()
            .find(|d| d.name == target.name)
            .map_or(Platform::default(), |d| d.platform);
        let type1 = platform
            .change_strategy()
            .is_some_and(|s| s.changes_pair_consistency(&commands));
        Change {
            target,
            platform,
            commands,
            peer,
            first_of_pair,
            refused: None,
            type1,
        }
    }
}

/// Which member of a pair goes first by the roles its members report: the
/// one called secondary, or the other of one called primary. None when
/// neither says, or both claim the same role (then the intent decides).
fn secondary_first(a: Option<PairRole>, b: Option<PairRole>) -> Option<bool> {
    use PairRole::{Primary, Secondary};
    match (a, b) {
        (Some(Secondary), Some(Primary) | None) | (None, Some(Primary)) => Some(true),
        (Some(Primary), Some(Secondary) | None) | (None, Some(Secondary)) => Some(false),
        _ => None,
    }
}

/// Reads, before anything is sent, the pair state of every pair member
/// with a change whose platform asks for it
/// ([`crate::platform::Driver::pair_read_first`], EOS), on the connection
/// waiting for each (else on one opened for the question and closed after
/// it), and acts on it:
/// - a pair that looks split is not touched: both members claim to be
///   primary (E231), or a member says the link to its peer is down while
///   they are not talking ([`PairState::split`], E232);
/// - of a pair with a change on both members, the one that calls itself
///   secondary, or whose peer calls itself primary, goes first; where
///   neither says (a pair not formed yet, as on blank switches) or both
///   claim one role, the intent's order stays;
/// - a member whose state cannot be read is refused (E193), and one that
///   refuses to list its pair's bundles (E233, [`links_unread`]).
///
/// A refused member is sent nothing (its change fails with the reason),
/// nor is its pair peer: a pair is one change.
pub fn read_pairs(
    changes: &mut [Change],
    waiting: &Waiting,
    options: &ConnectOptions,
    parallel: usize,
) {
    let asked: Vec<usize> = (0..changes.len())
        .filter(|&i| changes[i].platform.driver().pair_read_first() && changes[i].peer.is_some())
        .collect();
    if asked.is_empty() {
        return;
    }
    let query = |change: &Change| change.platform.driver().pair_query().unwrap_or_default();
    let read = crate::pool::run_parallel(&asked, parallel, |&i| {
        let change = &changes[i];
        waiting
            .with(i, change, options, |transport| {
                remote::pair_state(transport, change.platform)
            })
            .map_err(|e| {
                format!(
                    "E193: cannot read the pair state (`{}`) before the rollout, nothing changed: {e}",
                    query(change)
                )
            })
    });
    let mut states: Vec<Option<PairState>> = vec![None; changes.len()];
    for (&i, state) in asked.iter().zip(read) {
        match state {
            Ok(state) => states[i] = state,
            Err(reason) => changes[i].refused = Some(reason),
        }
    }
    for &i in &asked {
        let Some(p) = changes[i].peer_index(changes) else {
            continue;
        };
        let roles = (
            states[i].as_ref().and_then(|s| s.role),
            states[p].as_ref().and_then(|s| s.role),
        );
        if roles == (Some(PairRole::Primary), Some(PairRole::Primary)) {
            changes[i].refused.get_or_insert(format!(
                "E231: both members of the pair, {} and {}, say they are primary (`{}`): the pair is split (dual-primary), each forwarding on its own; nothing was sent to either. Restore the peer-link until one of them is secondary, then apply again",
                changes[i].target.name,
                changes[p].target.name,
                query(&changes[i])
            ));
        } else if let Some(first) = secondary_first(roles.0, roles.1) {
            changes[i].first_of_pair = first;
        }
    }
    for &i in &asked {
        if let Some(reason) = links_unread(&changes[i].target.name, states[i].as_ref()) {
            changes[i].refused.get_or_insert(reason);
        }
    }
    for &i in &asked {
        if let Some(words) = states[i].as_ref().and_then(|s| s.split.as_deref()) {
            let (name, peer) = (&changes[i].target.name, changes[i].peer.as_deref());
            let reason = format!(
                "E232: the pair looks split on {name} ({words}, `{}`): the link to its peer {} is down and the two are not talking, so each may be forwarding on its own; nothing was sent to either. Restore the peer-link until the pair forms again, then apply again",
                query(&changes[i]),
                peer.unwrap_or_default()
            );
            changes[i].refused.get_or_insert(reason);
        }
    }
    // A pair is one change: a refused member holds back its peer.
    for &i in &asked {
        let Some(p) = changes[i].peer_index(changes) else {
            continue;
        };
        if let (Some(reason), None) = (changes[i].refused.clone(), &changes[p].refused) {
            let code = reason.split(':').next().unwrap_or_default();
            changes[p].refused = Some(format!(
                "not changed: its pair peer {} is refused ({code}), and a pair is one change",
                changes[i].target.name
            ));
        }
    }
}

/// E233 where the device refused the detail of its pair state that lists
/// the pair's bundles ([`PairDetail::Links`]): without them no check can
/// tell whether a bundle goes down between the members (E190) or comes
/// back after the change (E192), so the change is refused rather than made
/// blind.
fn links_unread(device: &str, state: Option<&PairState>) -> Option<String> {
    Some(format!(
        "E233: {}: without the pair's bundles liaison cannot check that they stay up between the members' changes and come back after them (E190, E192), so nothing was sent to it. Allow the command to liaison's user on the switch, then apply again",
        refused_links(device, state)?
    ))
}

/// `NAME refused `COMMAND` (ERROR)`, where the device did not list its
/// pair's bundles.
fn refused_links(device: &str, state: Option<&PairState>) -> Option<String> {
    let unread = state?.unread(PairDetail::Links)?;
    Some(format!(
        "{device} refused `{}` ({})",
        unread.command, unread.error
    ))
}

/// W080 where the device refused the detail of its pair state that names
/// the settings the members disagree on ([`PairDetail::Settings`]): the
/// change goes ahead (an inconsistency the pair state itself reports is
/// still seen), and the result says which check did not run.
fn settings_unread(device: &str, state: Option<&PairState>) -> Option<String> {
    let unread = state?.unread(PairDetail::Settings)?;
    Some(format!(
        "W080: {device} refused `{}` ({}): the settings the pair's members disagree on were not checked by name, only the pair state's own consistency",
        unread.command, unread.error
    ))
}

/// How the devices are chosen for the canary wave.
#[derive(Debug, Clone, Default)]
pub enum Canary {
    #[default]
    None,
    /// This many devices, the ones with the fewest commands (by name among
    /// equals), never both members of one pair: only a pair's first member
    /// can be a canary, so a canary pair member is always the one that
    /// would go first anyway.
    Fewest(usize),
    /// These devices (`--canary-device`).
    Named(Vec<String>),
}

/// One unit of work: the devices of one pair (first, then second) or one
/// single switch, by index into the changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub members: Vec<usize>,
    /// A member already applied in the canary wave whose fate this unit
    /// decides (it is saved or rolled back with the rest of its pair).
    pub held: Option<usize>,
}

impl Unit {
    /// The wave of the unit's member `step` outside the canary wave: a
    /// pair's first member goes in wave 1 (unless it was a canary: the
    /// unit is then its second member alone), every later one in wave 2.
    fn wave_of(&self, step: usize) -> Wave {
        if step == 0 && self.held.is_none() {
            Wave::First
        } else {
            Wave::Second
        }
    }
}

/// The rollout: canary units first, then the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    pub canaries: Vec<Unit>,
    pub rest: Vec<Unit>,
}

/// Groups changes into pair units (first member first) and single units,
/// in name order, and picks the canaries. A named canary that is the
/// second member of its pair is an error: the first member must go first.
pub fn rollout(changes: &[Change], canary: &Canary) -> Result<Rollout, String> {
    let index = |name: &str| changes.iter().position(|c| c.target.name == name);
    let mut units: Vec<Unit> = Vec::new();
    let mut placed = vec![false; changes.len()];
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by(|a, b| changes[*a].target.name.cmp(&changes[*b].target.name));
    for i in order {
        if placed[i] {
            continue;
        }
        let peer = changes[i].peer.as_deref().and_then(index);
        let members = match peer {
            Some(p) if !placed[p] => {
                placed[p] = true;
                if changes[i].first_of_pair || !changes[p].first_of_pair {
                    vec![i, p]
                } else {
                    vec![p, i]
                }
            }
            _ => vec![i],
        };
        placed[i] = true;
        units.push(Unit {
            members,
            held: None,
        });
    }
    let picked: Vec<usize> = match canary {
        Canary::None => Vec::new(),
        Canary::Fewest(n) => {
            let mut firsts: Vec<usize> = units.iter().map(|u| u.members[0]).collect();
            firsts.sort_by_key(|i| (changes[*i].commands.len(), changes[*i].target.name.clone()));
            firsts.truncate(*n);
            firsts
        }
        Canary::Named(names) => {
            let mut picked = Vec::new();
            for name in names {
                let unit = units
                    .iter()
                    .find(|u| u.members.iter().any(|m| changes[*m].target.name == *name))
                    .ok_or_else(|| format!("--canary-device {name}: `{name}` has no change to apply (or is not in the inventory)"))?;
                if changes[unit.members[0]].target.name != *name {
                    return Err(format!(
                        "--canary-device {name}: `{name}` is the second member of its {} pair; its peer `{}` is changed first, so name that one as the canary",
                        changes[unit.members[0]].platform.pair_name(),
                        changes[unit.members[0]].target.name
                    ));
                }
                picked.push(unit.members[0]);
            }
            picked
        }
    };
    let mut canaries = Vec::new();
    let mut rest = Vec::new();
    for unit in units {
        let type1 = unit.members.iter().any(|m| changes[*m].type1);
        match picked.contains(&unit.members[0]) {
            // A type-1 change leaves the pair inconsistent (vPCs suspended)
            // until both members have it: the second member follows at
            // once, in the canary wave too.
            true if unit.members.len() == 2 && !type1 => {
                canaries.push(Unit {
                    members: vec![unit.members[0]],
                    held: None,
                });
                rest.push(Unit {
                    members: vec![unit.members[1]],
                    held: Some(unit.members[0]),
                });
            }
            true => canaries.push(unit),
            false => rest.push(unit),
        }
    }
    Ok(Rollout { canaries, rest })
}

/// A device whose change is committed and verified, not yet saved: the
/// rest of its pair decides whether it stays.
struct Pending {
    index: usize,
    wave: Wave,
    /// How the device takes a change (its platform's).
    strategy: &'static dyn ChangeStrategy,
    transport: Box<dyn Transport>,
    /// The shell its change was typed in, kept for the pair reads and the
    /// save (None once the switch closed it: exec channels then).
    cli: Option<Box<dyn crate::platform::Cli>>,
    checkpoint: String,
    before: String,
    started: Instant,
    /// The vPC pair's state before the change (pair members only; None
    /// also when the device had no vPC yet).
    pair_before: Option<PairState>,
    /// What the pair went through, for the summary (see [`DeviceResult`]).
    note: Option<String>,
    /// The pair checks that could not run (see [`DeviceResult::warnings`]).
    warnings: Vec<String>,
    /// What the device said its change is (see [`DeviceResult::diff`]).
    diff: Option<String>,
}

/// Applies the changes as `rollout` orders them, `parallel` units at a
/// time, each device on the connection `waiting` holds for it, if any
/// (see [`Waiting`]). Results in the order of `changes`.
pub fn apply_all(
    changes: &[Change],
    plan: &Rollout,
    parallel: usize,
    settings: &Settings,
    waiting: &Waiting,
) -> Vec<DeviceResult> {
    waiting.kept_alive(|| rollout_all(changes, plan, parallel, settings, waiting))
}

fn rollout_all(
    changes: &[Change],
    plan: &Rollout,
    parallel: usize,
    settings: &Settings,
    waiting: &Waiting,
) -> Vec<DeviceResult> {
    let mut results: Vec<Option<DeviceResult>> = vec![None; changes.len()];
    let canaries = crate::pool::run_parallel(&plan.canaries, parallel, |unit| {
        // A lone pair member waits, unsaved, for its peer in the next wave.
        let hold = unit.members.len() == 1 && changes[unit.members[0]].peer_in(changes);
        run_unit(changes, unit, Wave::Canary, settings, hold, waiting)
    });
    let mut held: Vec<Option<Pending>> = (0..changes.len()).map(|_| None).collect();
    let mut canary_failed = None;
    for (done, pending) in canaries {
        for result in done {
            if !result.1.outcome.is_success() {
                // A canary skipped was refused at its turn (a saved plan
                // gone stale): the change was not tried on it at all.
                let what = match result.1.outcome {
                    Outcome::Skipped { .. } => "was refused, so the change was not tried first",
                    _ => "failed",
                };
                canary_failed.get_or_insert(format!("canary {} {what}", result.1.device));
            }
            results[result.0] = Some(result.1);
        }
        for p in pending {
            let index = p.index;
            held[index] = Some(p);
        }
    }
    if let Some(failed) = canary_failed {
        // Held canaries go back to how they were: their pair is not changed.
        for p in held.into_iter().flatten() {
            let index = p.index;
            let change = &changes[index];
            let reason = format!(
                "{failed}; its {} peer is not changed, so it is rolled back too",
                change.platform.pair_name()
            );
            results[index] = Some(finish_failed(change, p, settings, reason));
        }
        for unit in &plan.rest {
            for (k, m) in unit.members.iter().enumerate() {
                results[*m] = Some(skipped(
                    &changes[*m],
                    unit.wave_of(k),
                    format!("not attempted: {failed}"),
                ));
            }
        }
        return results.into_iter().flatten().collect();
    }
    for (index, result) in schedule(changes, &plan.rest, held, parallel, settings, waiting) {
        results[index] = Some(result);
    }
    results.into_iter().flatten().collect()
}

/// How often the connections of devices waiting for their unit are
/// offered a keepalive (sent when `--keepalive` is due).
const KEEPALIVE_TICK: Duration = Duration::from_millis(200);

/// One device to push: member `step` of unit `unit`.
#[derive(Clone, Copy)]
struct Job {
    unit: usize,
    step: usize,
}

/// What the workers of [`schedule`] share.
struct Board {
    /// Ready devices; a pair's second member goes to the front as soon as
    /// its first is verified, so a pair is left half-changed briefly.
    queue: std::collections::VecDeque<Job>,
    /// Per unit, its members applied and not yet saved.
    pending: Vec<Vec<Pending>>,
    /// Jobs being worked on: while any is, more may become ready.
    busy: usize,
    results: Vec<(usize, DeviceResult)>,
}

/// The connections waiting for their device's turn, by index into the
/// changes: the one the device's plan was fetched on (one login per
/// switch for the fetch and the change, not two; see
/// [`crate::remote::Connections::Keep`]), or, for a pair's second member
/// without one, a connection opened while the first member is changed,
/// so that its SSH handshake and login are off the pair's critical path.
/// A connection may also have its CLI readied ahead of the device's turn
/// ([`Waiting::ready_early`]): a shell with its first prompt and the
/// platform's terminal settings (paging off, width, no confirmations),
/// which reads nothing of the device's config or state and changes
/// nothing; a device's running config and vPC state are read when its
/// turn comes, as for any device. Connections left when the rollout ends
/// (devices not changed) are closed with it. The default: none waits,
/// each device logs in when its turn comes.
#[derive(Default)]
pub struct Waiting(std::sync::Mutex<Vec<Conn>>);

/// A connection waiting for its device, and its readied CLI, if any.
type Ready = (Box<dyn Transport>, Option<Box<dyn crate::platform::Cli>>);

#[derive(Default)]
enum Conn {
    #[default]
    None,
    Connecting,
    /// Taken out to ready its CLI; back within `--timeout`.
    Readying,
    Ready(Ready),
}

impl Waiting {
    /// `held[i]`: the open connection to the device of change `i`, if any.
    pub fn new(held: Vec<Option<Box<dyn Transport>>>) -> Waiting {
        Waiting(std::sync::Mutex::new(
            held.into_iter()
                .map(|t| t.map_or(Conn::None, |t| Conn::Ready((t, None))))
                .collect(),
        ))
    }

    /// No connection waits yet: each comes with [`Waiting::put`], or the
    /// device logs in when its turn comes.
    pub fn empty(devices: usize) -> Waiting {
        Waiting(std::sync::Mutex::new(
            (0..devices).map(|_| Conn::None).collect(),
        ))
    }

    /// `transport`, opened for device `index` (a fetch in the background
    /// while the rollout goes on), waits for the device's turn, unless
    /// [`remote::MAX_KEPT`] connections wait already: each holds a socket,
    /// and a fabric of a thousand switches fetched ahead of their turns
    /// would run out of the 1024 files a process may open by default. It
    /// is then closed, and the device logs in again when its turn comes.
    pub fn put(&self, index: usize, transport: Box<dyn Transport>) {
        let mut conns = self.lock();
        let waiting = conns
            .iter()
            .filter(|c| matches!(c, Conn::Ready(_) | Conn::Readying))
            .count();
        if waiting >= remote::MAX_KEPT {
            return;
        }
        if let Some(slot @ Conn::None) = conns.get_mut(index) {
            *slot = Conn::Ready((transport, None));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Conn>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connection waiting for device `index`, if one is, with its
    /// readied CLI if it has one. One whose CLI is being readied is
    /// waited for (that is bounded by `--timeout`); one still being
    /// opened is dropped when it is done.
    fn take(&self, index: usize) -> Option<Ready> {
        loop {
            let mut conns = self.lock();
            match conns.get_mut(index) {
                Some(Conn::Readying) => {}
                Some(conn) => {
                    return match std::mem::replace(conn, Conn::None) {
                        Conn::Ready(ready) => Some(ready),
                        _ => None,
                    }
                }
                None => return None,
            }
            drop(conns);
            std::thread::sleep(READYING_POLL);
        }
    }

    /// Readies device `index` in the background for its turn: opens its
    /// connection (with `connect`) unless one is waiting already, then its
    /// CLI (see [`Waiting`]), unless that is done or under way. A CLI that
    /// cannot be readied is left to the device's turn, which opens its own
    /// (and reports what fails). Without `connect`, a device without a
    /// waiting connection is left alone: it may have taken it already.
    fn ready_early<'s>(
        &'s self,
        scope: &'s std::thread::Scope<'s, '_>,
        change: &'s Change,
        index: usize,
        options: &'s ConnectOptions,
        connect: bool,
    ) {
        let waiting = {
            let mut conns = self.lock();
            let Some(slot) = conns.get_mut(index) else {
                return;
            };
            match std::mem::take(slot) {
                Conn::None if connect => {
                    *slot = Conn::Connecting;
                    None
                }
                Conn::Ready((transport, None)) => {
                    *slot = Conn::Readying;
                    Some(transport)
                }
                other => {
                    *slot = other;
                    return;
                }
            }
        };
        scope.spawn(move || {
            let device = change.target.name.as_str();
            let connected = match waiting {
                Some(transport) => Ok(transport),
                None => remote::connect(&change.target, options),
            };
            let ready = connected.map(|mut transport| {
                let cli = match change.platform.change_strategy() {
                    Some(_) => remote::cli(transport.as_mut(), change.platform, device).ok(),
                    None => None,
                };
                (transport, cli)
            });
            let mut conns = self.lock();
            let Some(slot) = conns.get_mut(index) else {
                return;
            };
            match (ready, &slot) {
                (Ok(ready), Conn::Readying | Conn::Connecting) => *slot = Conn::Ready(ready),
                // The connection was lost while readied: the device's
                // turn logs in again.
                (Err(_), Conn::Readying) => *slot = Conn::None,
                // Its turn came first (it then connected itself) or its
                // pair failed before: dropped.
                _ => {}
            }
        });
    }

    /// Runs `work` on the connection waiting for device `index`, which
    /// waits on after it; where none waits, on one opened for it, which
    /// then waits for the device's turn ([`Waiting::put`]: at most
    /// [`remote::MAX_KEPT`] wait, the others are closed).
    pub fn with<R>(
        &self,
        index: usize,
        change: &Change,
        options: &ConnectOptions,
        work: impl FnOnce(&mut dyn Transport) -> Result<R, DeviceError>,
    ) -> Result<R, DeviceError> {
        match self.take(index) {
            Some((mut transport, cli)) => {
                let done = work(transport.as_mut());
                if let Some(slot) = self.lock().get_mut(index) {
                    *slot = Conn::Ready((transport, cli));
                }
                done
            }
            None => {
                let mut transport = remote::connect(&change.target, options)?;
                let done = work(transport.as_mut());
                if done.is_ok() {
                    self.put(index, transport);
                }
                done
            }
        }
    }

    /// Device `index` will not be changed: its connection is closed.
    fn forget(&self, index: usize) {
        if let Some(slot) = self.lock().get_mut(index) {
            // One being readied is dropped when that is done.
            *slot = Conn::None;
        }
    }

    /// Runs `work` while a thread keeps the waiting connections alive (a
    /// connection silent for long is dropped by an SSH server's
    /// `ClientAliveInterval`, a NAT or a firewall).
    pub fn kept_alive<R>(&self, work: impl FnOnce() -> R) -> R {
        crate::pool::with_ticker(
            KEEPALIVE_TICK,
            || {
                for conn in self.lock().iter_mut() {
                    if let Conn::Ready((transport, _)) = conn {
                        transport.keep_alive();
                    }
                }
            },
            work,
        )
    }
}

/// How often [`Waiting::take`] looks again at a CLI being readied.
const READYING_POLL: Duration = Duration::from_millis(5);

/// Runs `units` with at most `parallel` devices being changed at once.
/// Devices, not units, take the slots: a slot freed by a pair's first
/// member goes to the next ready device (the second member of a verified
/// pair first), so a pair holds no slot while it is not being changed.
/// `held`: canaries applied earlier, waiting for their unit.
fn schedule(
    changes: &[Change],
    units: &[Unit],
    mut held: Vec<Option<Pending>>,
    parallel: usize,
    settings: &Settings,
    waiting: &Waiting,
) -> Vec<(usize, DeviceResult)> {
    let board = std::sync::Mutex::new(Board {
        queue: (0..units.len()).map(|unit| Job { unit, step: 0 }).collect(),
        pending: units
            .iter()
            .map(|u| u.held.and_then(|h| held[h].take()).into_iter().collect())
            .collect(),
        busy: 0,
        results: Vec::new(),
    });
    let ready = std::sync::Condvar::new();
    let lock = || board.lock().unwrap_or_else(|e| e.into_inner());
    // Devices changed and waiting for the rest of their unit keep their
    // connections alive meanwhile (a pair's first member while its peer is
    // changed): nothing else is sent on them until then.
    let keep_alive = || {
        for p in lock().pending.iter_mut().flatten() {
            p.transport.keep_alive();
        }
    };
    crate::pool::with_ticker(KEEPALIVE_TICK, keep_alive, || {
        std::thread::scope(|scope| {
            let worker = || loop {
                let (job, queued_next) = {
                    let mut state = lock();
                    loop {
                        if let Some(job) = state.queue.pop_front() {
                            state.busy += 1;
                            let next = state
                                .queue
                                .front()
                                .map(|next| units[next.unit].members[next.step]);
                            break (Some(job), next);
                        }
                        if state.busy == 0 {
                            break (None, None);
                        }
                        state = ready.wait(state).unwrap_or_else(|e| e.into_inner());
                    }
                };
                let Some(Job { unit, step }) = job else {
                    ready.notify_all();
                    return;
                };
                let members = &units[unit].members;
                let mut read_at_turn = None;
                if step == 0 && units[unit].held.is_none() {
                    let wave = |k| units[unit].wave_of(k);
                    match gate_unit(changes, members, wave, settings, waiting) {
                        Ok(read) => read_at_turn = read,
                        Err(refused) => {
                            let mut state = lock();
                            state.results.extend(refused);
                            state.busy -= 1;
                            drop(state);
                            ready.notify_all();
                            continue;
                        }
                    }
                }
                let index = members[step];
                let change = &changes[index];
                let wave = units[unit].wave_of(step);
                let started = Instant::now();
                let transport = waiting.take(index);
                // What comes next gets its connection and CLI ready meanwhile:
                // this unit's next member, and the device at the head of the
                // queue (the next to get a slot).
                if let Some(&next) = members.get(step + 1) {
                    waiting.ready_early(scope, &changes[next], next, settings.connect, true);
                }
                if let Some(next) = queued_next {
                    waiting.ready_early(scope, &changes[next], next, settings.connect, false);
                }
                let pushed = push(
                    change,
                    settings,
                    step + 1 < members.len(),
                    transport,
                    read_at_turn,
                );
                let mut done = Vec::new();
                let settle_unit = {
                    let mut state = lock();
                    match pushed {
                        Ok(applied) => {
                            state.pending[unit].push(Pending {
                                index,
                                wave,
                                started,
                                ..applied
                            });
                            if step + 1 < members.len() {
                                state.queue.push_front(Job {
                                    unit,
                                    step: step + 1,
                                });
                                None
                            } else {
                                Some((std::mem::take(&mut state.pending[unit]), None))
                            }
                        }
                        Err(PushFailed {
                            outcome,
                            diff,
                            warnings,
                        }) => {
                            let mut failed = result(change, wave, outcome, started);
                            failed.diff = diff;
                            failed.warnings = warnings;
                            done.push((index, failed));
                            for &later in &members[step + 1..] {
                                waiting.forget(later);
                                let reason = peer_failed_first(&changes[later], change);
                                done.push((later, skipped(&changes[later], Wave::Second, reason)));
                            }
                            Some((
                                std::mem::take(&mut state.pending[unit]),
                                Some(change.target.name.clone()),
                            ))
                        }
                    }
                };
                // Saving or rolling back the rest of the unit, outside the lock.
                match settle_unit {
                    Some((pending, None)) => done.extend(settle(changes, pending, settings)),
                    Some((pending, Some(failed))) => {
                        for p in pending {
                            let index = p.index;
                            let reason = format!(
                        "its {} peer {failed} failed, so it was rolled back too (a pair is one change)",
                        changes[index].platform.pair_name()
                    );
                            done.push((index, finish_failed(&changes[index], p, settings, reason)));
                        }
                    }
                    None => {}
                }
                let mut state = lock();
                state.results.extend(done);
                state.busy -= 1;
                drop(state);
                ready.notify_all();
            };
            let workers: Vec<_> = (0..parallel.clamp(1, changes.len().max(1)))
                .map(|_| scope.spawn(worker))
                .collect();
            for worker in workers {
                let _ = worker.join();
            }
        })
    });
    board
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .results
}

impl Change {
    /// Whether this device's pair peer has a change too.
    fn peer_in(&self, changes: &[Change]) -> bool {
        self.peer_index(changes).is_some()
    }

    /// The index of this device's pair peer's change, if it has one.
    fn peer_index(&self, changes: &[Change]) -> Option<usize> {
        let peer = self.peer.as_deref()?;
        changes.iter().position(|c| c.target.name == peer)
    }
}

/// Applies one unit's members in order, each on the connection `waiting`
/// holds for it, if any. With `hold`, the members applied successfully
/// are returned pending instead of being saved.
fn run_unit(
    changes: &[Change],
    unit: &Unit,
    first_wave: Wave,
    settings: &Settings,
    hold: bool,
    waiting: &Waiting,
) -> (Vec<(usize, DeviceResult)>, Vec<Pending>) {
    let wave_of = |k| if k == 0 { first_wave } else { Wave::Second };
    let mut read_at_turn = match gate_unit(changes, &unit.members, wave_of, settings, waiting) {
        Ok(read) => read,
        Err(refused) => return (refused, Vec::new()),
    };
    let mut pending = Vec::new();
    let mut results = Vec::new();
    for (k, &index) in unit.members.iter().enumerate() {
        let change = &changes[index];
        let wave = wave_of(k);
        let started = Instant::now();
        let transport = waiting.take(index);
        match push(
            change,
            settings,
            k + 1 < unit.members.len() || hold,
            transport,
            read_at_turn.take(),
        ) {
            Ok(applied) => pending.push(Pending {
                index,
                wave,
                started,
                ..applied
            }),
            Err(PushFailed {
                outcome,
                diff,
                warnings,
            }) => {
                let failed = &change.target.name;
                let mut row = result(change, wave, outcome, started);
                row.diff = diff;
                row.warnings = warnings;
                results.push((index, row));
                for &later in &unit.members[k + 1..] {
                    waiting.forget(later);
                    let reason = peer_failed_first(&changes[later], change);
                    results.push((later, skipped(&changes[later], Wave::Second, reason)));
                }
                for p in pending {
                    let index = p.index;
                    let reason = format!(
                        "its {} peer {failed} failed, so it was rolled back too (a pair is one change)",
                        changes[index].platform.pair_name()
                    );
                    results.push((index, finish_failed(&changes[index], p, settings, reason)));
                }
                return (results, Vec::new());
            }
        }
    }
    if hold {
        return (results, pending);
    }
    results.extend(settle(changes, pending, settings));
    (results, Vec::new())
}

/// Asks the gate (see [`Gate`]), if there is one, whether the unit of
/// `members` may go ahead (Ok: with its first member's config if the gate
/// read it at its turn); Err: a row for each member, refused, and their
/// connections closed. `wave`: the wave of member `k`.
fn gate_unit(
    changes: &[Change],
    members: &[usize],
    wave: impl Fn(usize) -> Wave,
    settings: &Settings,
    waiting: &Waiting,
) -> Result<Option<String>, Vec<(usize, DeviceResult)>> {
    let Some(gate) = settings.gate else {
        return Ok(None);
    };
    let refused = match gate(&changes[members[0]]) {
        Ok(read) => return Ok(read),
        Err(refused) => refused,
    };
    let rows = members.iter().enumerate().map(|(k, &index)| {
        waiting.forget(index);
        let change = &changes[index];
        let name = &change.target.name;
        let reason = match refused.iter().find(|(device, _)| device == name) {
            Some((_, reason)) => format!("refused: {reason}; nothing was sent to it"),
            None => format!(
                "refused: its {} pair is refused, and a pair is one change; nothing was sent to it",
                change.platform.pair_name()
            ),
        };
        let row = skipped(change, wave(k), reason);
        (settings.progress)(name, &describe(&row.outcome), true);
        (index, row)
    });
    Err(rows.collect())
}

/// Why `later`, a pair's second member, is not changed after its peer
/// `first` was not: `first` failed, or was refused before anything was
/// sent to it; and `later`'s own refusal where it had one (read before
/// the rollout, as E233 is), so its row says what was wrong with it.
fn peer_failed_first(later: &Change, first: &Change) -> String {
    let own = later
        .refused
        .as_deref()
        .filter(|r| !r.starts_with("not changed:"))
        .map(|r| format!("; it is refused itself: {r}"))
        .unwrap_or_default();
    let what = match first.refused {
        Some(_) => "is refused",
        None => "failed first",
    };
    format!(
        "not changed: its {} peer {} {what}, and a pair is one change{own}",
        later.platform.pair_name(),
        first.target.name
    )
}

fn skipped(change: &Change, wave: Wave, reason: String) -> DeviceResult {
    let outcome = Outcome::Skipped { reason };
    DeviceResult {
        device: change.target.name.clone(),
        commands: change.commands.len(),
        wave,
        outcome,
        seconds: 0.0,
        vpc: None,
        warnings: Vec::new(),
        diff: None,
    }
}

fn result(change: &Change, wave: Wave, outcome: Outcome, started: Instant) -> DeviceResult {
    DeviceResult {
        device: change.target.name.clone(),
        commands: change.commands.len(),
        wave,
        outcome: outcome.for_device(&change.target.name),
        seconds: started.elapsed().as_secs_f64(),
        vpc: None,
        warnings: Vec::new(),
        diff: None,
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Unchanged => "no change".into(),
        Outcome::Applied { saved: true } => "applied, verified, saved".into(),
        Outcome::Applied { saved: false } => "applied, verified (not saved)".into(),
        Outcome::RolledBack { reason } => format!("rolled back: {reason}"),
        Outcome::Failed { reason, .. } => format!("FAILED: {reason}"),
        Outcome::Skipped { reason } => format!("skipped: {reason}"),
    }
}

/// A push that failed: its outcome, and what the device said its change
/// was if it got that far (see [`DeviceResult::diff`]).
struct PushFailed {
    outcome: Outcome,
    diff: Option<String>,
    /// The pair checks that could not run before the failure (W080): the
    /// failed device's row still says so.
    warnings: Vec<String>,
}

impl From<Outcome> for PushFailed {
    fn from(outcome: Outcome) -> Self {
        PushFailed {
            outcome,
            diff: None,
            warnings: Vec::new(),
        }
    }
}

/// Pushes and verifies one device's change; Ok leaves it committed,
/// verified and not saved, with its checkpoint still on the device.
/// `peer_follows`: the device's vPC peer is changed next, so the pair is
/// checked between the two (see [`between_members`]). `early`: a
/// connection opened beforehand (see [`Waiting`]); one that has gone
/// since, or that no longer answers, is replaced by a new one.
/// `read_at_turn`: the device's running config, read on `early`'s
/// connection when its turn came (see [`Gate`]); otherwise push reads it.
fn push(
    change: &Change,
    settings: &Settings,
    peer_follows: bool,
    early: Option<Ready>,
    read_at_turn: Option<String>,
) -> Result<Pending, PushFailed> {
    let device = change.target.name.as_str();
    let progress = |stage: &str| (settings.progress)(device, stage, false);
    let failed = |reason: String| Outcome::Failed {
        reason,
        rolled_back: false,
    };
    // Refused before the rollout (its pair state): nothing is sent to it.
    if let Some(reason) = &change.refused {
        return Err(Outcome::Skipped {
            reason: reason.clone(),
        }
        .into());
    }
    let strategy = change.platform.change_strategy().ok_or_else(|| {
        failed(format!(
            "liaison cannot push to {} switches yet; nothing changed",
            change.platform.signatures().name
        ))
    })?;
    progress("connecting");
    let unreadable = |e: DeviceError| {
        failed(format!(
            "cannot read the running config, nothing changed: {e}"
        ))
    };
    let fresh = || {
        let mut transport =
            remote::connect(&change.target, settings.connect).map_err(|e| failed(e.to_string()))?;
        let before = remote::fetch_running(transport.as_mut(), change.platform, device)
            .map_err(unreadable)?;
        Ok::<_, Outcome>((transport, before))
    };
    let (early, mut readied) = match early {
        Some((transport, cli)) => (Some(transport), cli),
        None => (None, None),
    };
    let (mut transport, before) = match (early, read_at_turn) {
        (Some(transport), Some(before)) => (transport, before),
        (Some(mut transport), None) => {
            match remote::fetch_running(transport.as_mut(), change.platform, device) {
                Ok(before) => (transport, before),
                // Closed while it waited for its turn (the device's idle
                // timeout, a restart), or gone silent (a NAT or firewall
                // forgot it): a new connection.
                Err(DeviceError::Closed { .. } | DeviceError::Timeout { .. }) => {
                    readied = None;
                    fresh()?
                }
                Err(e) => return Err(unreadable(e).into()),
            }
        }
        (None, _) => fresh()?,
    };
    if let Some(expected) = &settings.expected.and_then(|f| f(device)) {
        if &crate::saved::config_hash(&before) != expected {
            return Err(failed(format!(
                "its running config changed since the plan was made (hash {} now, {} when planned); nothing was sent to it. Plan again",
                crate::saved::config_hash(&before),
                expected
            ))
            .into());
        }
    }
    // The switch's CLI for the rest of its change: the pair reads, the
    // checkpoint, the commands and, once the pair is verified, the save
    // (one shell, not an exec channel each; see [`Pending::cli`]). A
    // shell readied ahead that the switch closed while it waited (an
    // exec-timeout; the read above would have seen its end) is replaced
    // by a new one.
    let mut cli = match readied.filter(|cli| !cli.closed()) {
        Some(cli) => cli,
        None => remote::cli(transport.as_mut(), change.platform, device)
            .map_err(|e| failed(e.to_string()))?,
    };
    let pair_before = match &change.peer {
        Some(_) => remote::pair_state_on(&mut *cli, change.platform).map_err(|e| {
            failed(format!(
                "E193: cannot read the {} state ({}), nothing changed: {e}",
                change.platform.pair_name(),
                pair_commands(change.platform)
            ))
        })?,
        None => None,
    };
    if let Some(reason) = links_unread(device, pair_before.as_ref()) {
        return Err(failed(reason).into());
    }
    let warnings: Vec<String> = settings_unread(device, pair_before.as_ref())
        .into_iter()
        .collect();
    for warning in &warnings {
        progress(warning);
    }
    let said = warnings.clone();
    // The change itself: whatever fails from here keeps the warnings.
    let change_it = move || -> Result<Pending, PushFailed> {
        let checkpoint = unique_name();
        let applied = {
            progress(strategy.preparing());
            strategy.prepare(&mut *cli, &checkpoint).map_err(failed)?;
            progress("applying");
            let applied = strategy.configure(
                &mut *cli,
                &change.commands,
                &checkpoint,
                settings.confirm_within,
            );
            let _ = cli.run(strategy.end());
            applied
        };
        let mut cli = Some(cli);
        // Back to the checkpoint, for a change that failed or broke the pair.
        let back = |transport, error| {
            progress("rolling back");
            roll_back(
                strategy,
                change,
                settings,
                &checkpoint,
                &before,
                transport,
                error,
            )
        };
        let diff = match applied {
            Ok(diff) => diff,
            Err(error) => return Err(back(transport, error).into()),
        };
        // From here on the device has said what its change is: a failure
        // keeps that for the log.
        let failed_with = |outcome, diff| {
            Err(PushFailed {
                outcome,
                diff,
                warnings: Vec::new(),
            })
        };
        // A change verified as failed stays for the operator to inspect, as it
        // is: where the platform undoes an unconfirmed change by itself, say so.
        let unconfirmed = unconfirmed(strategy, &checkpoint, settings);
        progress("verifying");
        let left = remote::fetch_running(transport.as_mut(), change.platform, device)
            .map_err(|e| e.to_string())
            .and_then(|running| (settings.replan)(device, &running));
        match left {
            Ok(left) if left.is_empty() => {}
            Ok(left) => {
                return failed_with(
                    failed(format!(
            "applied, but {} command(s) still differ after re-fetching, first: `{}`{unconfirmed}",
            left.len(),
            left[0]
        )),
                    diff,
                )
            }
            Err(reason) => {
                return failed_with(
                    failed(format!(
                        "applied, but could not verify: {reason}{unconfirmed}"
                    )),
                    diff,
                )
            }
        }
        let mut note = None;
        let pair = change.platform.pair_name();
        if peer_follows {
            progress(&format!("checking the {pair} pair"));
            let between = pair_state_kept(&mut cli, transport.as_mut(), change.platform)
                .map_err(|e| {
                    let commands = pair_commands(change.platform);
                    format!("E193: cannot read the {pair} state ({commands}): {e}")
                })
                .and_then(|now| between_members(change, pair_before.as_ref(), now.as_ref()));
            match between {
                Ok(seen) => note = seen,
                Err(reason) => {
                    let device = device.to_string();
                    return failed_with(
                        back(transport, DeviceError::Other { device, reason }),
                        diff,
                    );
                }
            }
        }
        match &note {
            Some(_) => progress(&format!(
                "verified; {pair}s suspended until the peer matches"
            )),
            None => progress("verified"),
        }
        Ok(Pending {
            index: 0,
            wave: Wave::First,
            strategy,
            transport,
            cli,
            checkpoint,
            before,
            started: Instant::now(),
            pair_before,
            note,
            warnings,
            diff,
        })
    };
    change_it().map_err(|failed| PushFailed {
        warnings: said,
        ..failed
    })
}

/// The commands that read `platform`'s pair state, quoted for messages:
/// `` `show vpc` `` on NX-OS (its driver's pair query and details).
fn pair_commands(platform: crate::platform::Platform) -> String {
    let driver = platform.driver();
    let commands: Vec<String> = driver
        .pair_query()
        .into_iter()
        .chain(driver.pair_details().iter().map(|(_, command)| *command))
        .map(|c| format!("`{c}`"))
        .collect();
    commands.join(", ")
}

/// Runs `kept` on the device's kept CLI while it is open, else (none, or
/// the switch closed it meanwhile: an exec-timeout) `otherwise`.
fn on_kept<T>(
    cli: &mut Option<Box<dyn crate::platform::Cli>>,
    kept: impl FnOnce(&mut dyn crate::platform::Cli) -> Result<T, DeviceError>,
    otherwise: impl FnOnce() -> Result<T, DeviceError>,
) -> Result<T, DeviceError> {
    if let Some(open) = cli.as_mut().filter(|c| !c.closed()) {
        match kept(&mut **open) {
            Err(DeviceError::Closed { .. }) => {}
            done => return done,
        }
    }
    *cli = None;
    otherwise()
}

/// The pair's state on the device's kept CLI, else on exec channels (see
/// [`on_kept`]).
fn pair_state_kept(
    cli: &mut Option<Box<dyn crate::platform::Cli>>,
    transport: &mut dyn Transport,
    platform: Platform,
) -> Result<Option<PairState>, DeviceError> {
    on_kept(
        cli,
        |cli| remote::pair_state_on(cli, platform),
        || remote::pair_state(transport, platform),
    )
}

/// The pair's bundle numbers of `links`, for messages: `1, 3, 5`.
fn numbers(links: &[&crate::device::PairLink]) -> String {
    links
        .iter()
        .map(|l| l.id.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The pair between its members' changes, seen from the first member
/// (`now`; `before`: before its change). A change to a setting both
/// members must agree on may suspend the pair's bundles until the peer
/// matches, where the platform says so
/// ([`ChangeStrategy::pair_consistency`]): expected, and said in the
/// summary. Any other change must leave every bundle that was up, up
/// (E190), and no change may break the peer adjacency (E191): the first
/// member is rolled back and its peer left alone.
fn between_members(
    change: &Change,
    before: Option<&PairState>,
    now: Option<&PairState>,
) -> Result<Option<String>, String> {
    let peer = change.peer.as_deref().unwrap_or("its peer");
    if let Some(refused) = refused_links(&change.target.name, now) {
        return Err(format!(
            "E233: {refused} after the change: whether the pair's bundles stayed up cannot be checked (E190); its peer {peer} was not changed"
        ));
    }
    let pair = change.platform.pair_name();
    let (Some(before), Some(now)) = (before, now) else {
        // No vPC before the change (a new pair): nothing to lose yet; the
        // pair must come up once both members have their change.
        return Ok(None);
    };
    let lost = before.adjacency && !now.adjacency;
    let went_down: Vec<&crate::device::PairLink> = now
        .links
        .iter()
        .filter(|l| !l.up && before.link(l.id).is_some_and(|b| b.up))
        .collect();
    let consistency = change
        .platform
        .change_strategy()
        .and_then(|s| s.pair_consistency());
    match (went_down.first(), consistency.filter(|_| change.type1)) {
        (Some(first), None) => Err(format!(
            "E190: {pair} {} went down ({}{}) after {}; its peer {peer} was not changed",
            numbers(&went_down),
            first.reason,
            if lost {
                format!("; `{}`", now.peer_status)
            } else {
                String::new()
            },
            match consistency {
                Some(c) => format!("a change that is not {}", c.change),
                None => "the change".to_string(),
            }
        )),
        _ if lost => Err(format!(
            "E191: the {pair} peer adjacency was lost after the change (`{}`); its peer {peer} was not changed",
            now.peer_status
        )),
        (Some(first), Some(c)) => Ok(Some(format!(
            "{pair} {} suspended between the members ({}), {}",
            numbers(&went_down),
            first.reason,
            c.expected
        ))),
        (None, _) => Ok(None),
    }
}

/// How often the pair is polled while it converges.
const PAIR_POLL: Duration = Duration::from_millis(500);

/// What is still wrong with a pair member's vPC state after the change:
/// the adjacency (when `adjacency` is required), a global inconsistency
/// the pair did not have before, and every vPC down that was not down
/// before the change.
fn pair_problems(
    pair: &str,
    device: &str,
    before: Option<&PairState>,
    now: &PairState,
    adjacency: bool,
) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(refused) = refused_links(device, Some(now)) {
        problems.push(format!("{refused}: its bundles are unknown"));
    }
    if adjacency && !now.adjacency {
        problems.push(format!("`{}` on {device}", now.peer_status));
    }
    // An inconsistency the pair already had before the change is not the
    // change's doing (a member changed alone cannot mend its peer).
    let already = before.is_some_and(|b| b.inconsistent.is_some());
    if let (true, Some(reason), false) = (now.adjacency, &now.inconsistent, already) {
        problems.push(format!("{reason} on {device}"));
    }
    let down: Vec<&crate::device::PairLink> = now
        .links
        .iter()
        .filter(|l| !l.up && before.and_then(|b| b.link(l.id)).is_none_or(|b| b.up))
        .collect();
    if let Some(first) = down.first() {
        problems.push(format!(
            "{pair} {} down on {device} ({})",
            numbers(&down),
            first.reason
        ));
    }
    problems
}

/// After the last member of a unit: waits, up to `--timeout`, polling
/// every [`PAIR_POLL`], until the pair is whole again on every member
/// changed: the peer adjacency formed (when it was before, or when both
/// members were changed), consistent, and every vPC up that was not down
/// before the change. The error (E192) says what was still wrong.
fn converge(
    changes: &[Change],
    pending: &mut [Pending],
    settings: &Settings,
) -> Result<(), String> {
    // Nothing to wait for without a pair, or where liaison cannot read
    // the platform's pair state yet (its rollout order and rollback still
    // hold).
    if pending.iter().all(|p| {
        let change = &changes[p.index];
        change.peer.is_none() || change.platform.driver().pair_query().is_none()
    }) {
        return Ok(());
    }
    let adjacency = pending.len() == 2
        || pending
            .iter()
            .any(|p| p.pair_before.as_ref().is_some_and(|s| s.adjacency));
    let deadline = Instant::now() + settings.connect.timeout;
    loop {
        let mut problems = Vec::new();
        // Both members are asked at once: one round trip, not two.
        let states = each_at_once(pending.iter_mut().collect(), |p| {
            pair_state_kept(&mut p.cli, p.transport.as_mut(), changes[p.index].platform)
        });
        for (p, state) in pending.iter().zip(states) {
            let device = changes[p.index].target.name.as_str();
            let pair = changes[p.index].platform.pair_name();
            match state {
                Ok(Some(now)) => problems.extend(pair_problems(
                    pair,
                    device,
                    p.pair_before.as_ref(),
                    &now,
                    adjacency,
                )),
                Ok(None) if adjacency || p.pair_before.is_some() => problems.push(format!(
                    "no {pair} state on {device} ({} refused)",
                    pair_commands(changes[p.index].platform)
                )),
                Ok(None) => {}
                Err(e) => {
                    let commands = pair_commands(changes[p.index].platform);
                    return Err(format!(
                        "E193: cannot read the {pair} state ({commands}): {e}"
                    ));
                }
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        if Instant::now() + PAIR_POLL > deadline {
            return Err(format!(
                "E192: the {} pair did not come back within {}s (--timeout) after the change: {}",
                changes[pending[0].index].platform.pair_name(),
                settings.connect.timeout.as_secs(),
                problems.join("; ")
            ));
        }
        for p in pending.iter() {
            let change = &changes[p.index];
            (settings.progress)(
                &change.target.name,
                &format!("waiting for the {} pair", change.platform.pair_name()),
                false,
            );
        }
        std::thread::sleep(PAIR_POLL);
    }
}

/// Saves the verified members of a unit (after [`converge`]) or, when the
/// pair did not converge, rolls them all back: the last one changed with
/// the reason, the others because their peer failed.
fn settle(
    changes: &[Change],
    mut pending: Vec<Pending>,
    settings: &Settings,
) -> Vec<(usize, DeviceResult)> {
    // The members are saved (or rolled back) at once: the pair is
    // verified as a whole by now, and the second member's slot is not
    // held through two devices' saves one after the other.
    match converge(changes, &mut pending, settings) {
        Ok(()) => each_at_once(pending, |p| {
            (p.index, finish(&changes[p.index], p, settings))
        }),
        Err(reason) => {
            let last = pending.last().map(|p| p.index);
            let last_name = last
                .map(|i| changes[i].target.name.clone())
                .unwrap_or_default();
            each_at_once(pending, |p| {
                let index = p.index;
                let why = if Some(index) == last {
                    reason.clone()
                } else {
                    format!(
                        "its {} peer {last_name} failed, so it was rolled back too (a pair is one change)",
                        changes[index].platform.pair_name()
                    )
                };
                (index, finish_failed(&changes[index], p, settings, why))
            })
        }
    }
}

/// Saves a verified device (unless --no-save) and removes its checkpoint.
fn finish(change: &Change, pending: Pending, settings: &Settings) -> DeviceResult {
    let device = change.target.name.as_str();
    let Pending {
        wave,
        strategy,
        mut transport,
        mut cli,
        checkpoint,
        started,
        note,
        warnings,
        diff,
        ..
    } = pending;
    // The confirmation (a commit timer's) on the CLI the change was typed
    // in, a new one if the switch closed that.
    let confirmed = match strategy.confirm(&checkpoint) {
        None => Ok(()),
        Some(confirm) => {
            (settings.progress)(device, "confirming", false);
            on_kept(
                &mut cli,
                |cli| cli.run(&confirm),
                || {
                    remote::cli(transport.as_mut(), change.platform, device)
                        .and_then(|mut cli| cli.run(&confirm))
                },
            )
            .map(drop)
        }
    };
    // The save and the clean-up on the kept shell, else on exec channels,
    // as for `show` commands: NX-OS runs any exec-mode command sent that
    // way (scripts commonly `ssh switch "copy running-config
    // startup-config"`).
    let mut run = |command: &str| {
        on_kept(
            &mut cli,
            |cli| cli.run(command),
            || remote::exec_checked(transport.as_mut(), change.platform, device, command),
        )
        .map(drop)
    };
    let forget =
        |run: &mut dyn FnMut(&str) -> Result<(), DeviceError>| match strategy.forget(&checkpoint) {
            Some(forget) => run(&forget),
            None => Ok(()),
        };
    let outcome = if let Err(e) = confirmed {
        let unconfirmed = unconfirmed(strategy, &checkpoint, settings);
        Outcome::Failed {
            reason: format!("applied and verified, but not confirmed: {e}{unconfirmed}"),
            rolled_back: false,
        }
    } else if !settings.save {
        let _ = forget(&mut run);
        Outcome::Applied { saved: false }
    } else {
        (settings.progress)(device, "saving", false);
        let saved = run(strategy.save()).and_then(|_| forget(&mut run));
        match saved {
            Ok(_) => Outcome::Applied { saved: true },
            Err(e) => Outcome::Failed {
                reason: format!("applied and verified, but not saved to startup: {e}"),
                rolled_back: false,
            },
        }
    };
    let outcome = outcome.for_device(device);
    (settings.progress)(device, &describe(&outcome), true);
    DeviceResult {
        vpc: note,
        warnings,
        diff,
        ..result(change, wave, outcome, started)
    }
}

/// Rolls a verified device back because the rest of its pair failed.
fn finish_failed(
    change: &Change,
    pending: Pending,
    settings: &Settings,
    reason: String,
) -> DeviceResult {
    let device = change.target.name.as_str();
    (settings.progress)(device, "rolling back", false);
    let Pending {
        wave,
        strategy,
        transport,
        checkpoint,
        before,
        started,
        warnings,
        diff,
        ..
    } = pending;
    let error = DeviceError::Other {
        device: device.to_string(),
        reason,
    };
    let outcome = roll_back(
        strategy,
        change,
        settings,
        &checkpoint,
        &before,
        transport,
        error,
    )
    .for_device(device);
    (settings.progress)(device, &describe(&outcome), true);
    DeviceResult {
        warnings,
        diff,
        ..result(change, wave, outcome, started)
    }
}

/// `; ` and what becomes of change `name` if nobody confirms it, where
/// the platform undoes an unconfirmed change by itself; else nothing.
fn unconfirmed(strategy: &dyn ChangeStrategy, name: &str, settings: &Settings) -> String {
    strategy
        .unconfirmed(name, settings.confirm_within)
        .map(|note| format!("; {note}"))
        .unwrap_or_default()
}

/// After a failure: back to the checkpoint, on a fresh connection when the
/// old one is gone.
fn roll_back(
    strategy: &dyn ChangeStrategy,
    change: &Change,
    settings: &Settings,
    checkpoint: &str,
    before: &str,
    mut transport: Box<dyn crate::device::Transport>,
    error: DeviceError,
) -> Outcome {
    let device = change.target.name.as_str();
    let rollback = strategy.rollback(checkpoint);
    // Roll back, then read the running config back on the same connection.
    let on = |t: &mut dyn crate::device::Transport| {
        remote::cli(t, change.platform, device).and_then(|mut cli| cli.run(&rollback))?;
        remote::fetch_running(t, change.platform, device)
    };
    let result = on(transport.as_mut()).or_else(|_| {
        remote::connect(&change.target, settings.connect).and_then(|mut fresh| on(fresh.as_mut()))
    });
    match result {
        Ok(after) if strategy.same_config(before, &after) => Outcome::RolledBack {
            reason: error.to_string(),
        },
        Ok(_) => Outcome::Failed {
            reason: format!(
                "{error}; rolled back to {}, but the running config differs from before the change",
                strategy.restore_point(checkpoint)
            ),
            rolled_back: true,
        },
        Err(rollback_error) => Outcome::Failed {
            reason: format!(
                "{error}; rollback to {} failed too: {rollback_error}{}",
                strategy.restore_point(checkpoint),
                unconfirmed(strategy, checkpoint, settings)
            ),
            rolled_back: false,
        },
    }
}

/// What each switch said its change was before the change went live
/// (its own diff, where its platform gives one: [`DeviceResult::diff`]),
/// secrets redacted, one block per switch in the summary's order; empty
/// when no switch said.
pub fn switch_diffs(results: &[DeviceResult]) -> String {
    let mut rows: Vec<&DeviceResult> = results.iter().filter(|r| r.diff.is_some()).collect();
    rows.sort_by(|a, b| (a.wave, &a.device).cmp(&(b.wave, &b.device)));
    let mut out = String::new();
    for r in rows {
        let diff = crate::plan::redact::text(r.diff.as_deref().unwrap_or_default());
        out.push_str(&format!(
            "== {}: the change as the switch showed it before committing it:\n",
            r.device
        ));
        if diff.trim().is_empty() {
            out.push_str("(no difference)\n");
        } else {
            out.push_str(&diff);
            if !diff.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push('\n');
    }
    out
}

/// The final per-device table, wave by wave (canaries; then each pair's
/// first member and the single switches; then each pair's second member).
pub fn summary(results: &[DeviceResult]) -> String {
    use std::fmt::Write as _;
    let width = results
        .iter()
        .map(|r| r.device.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = format!(
        "{:<6}  {:<width$}  {:>8}  {:>7}  result\n",
        "wave", "device", "commands", "seconds"
    );
    let mut rows: Vec<&DeviceResult> = results.iter().collect();
    rows.sort_by(|a, b| (a.wave, &a.device).cmp(&(b.wave, &b.device)));
    for r in rows {
        let _ = writeln!(
            out,
            "{:<6}  {:<width$}  {:>8}  {:>7.1}  {}",
            r.wave.label(),
            r.device,
            r.commands,
            r.seconds,
            std::iter::once(describe(&r.outcome))
                .chain(r.vpc.iter().chain(&r.warnings).cloned())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|r| !r.outcome.is_success())
        .map(|r| r.device.as_str())
        .collect();
    let rolled: Vec<&str> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::RolledBack { .. }))
        .map(|r| r.device.as_str())
        .collect();
    if failed.is_empty() {
        let _ = writeln!(out, "all {} devices applied and verified", results.len());
    } else {
        let _ = writeln!(
            out,
            "{} of {} devices failed: {}; rolled back: {}",
            failed.len(),
            results.len(),
            failed.join(", "),
            if rolled.is_empty() {
                "none".to_string()
            } else {
                rolled.join(", ")
            }
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{remote, rollout, secondary_first, Canary, Change, PairRole, Unit, Waiting};
    use crate::device::Target;
    use crate::device::{DeviceError, Transport};

    fn change(name: &str, peer: Option<&str>, first: bool, commands: usize, type1: bool) -> Change {
        Change {
            target: Target::parse(name, "192.0.2.1").unwrap(),
            platform: crate::platform::Platform::default(),
            commands: vec!["vlan 10".to_string(); commands],
            peer: peer.map(str::to_string),
            first_of_pair: first,
            refused: None,
            type1,
        }
    }

    fn unit(members: &[usize], held: Option<usize>) -> Unit {
        Unit {
            members: members.to_vec(),
            held,
        }
    }

    /// A connection that is never used.
    struct Idle;

    impl Transport for Idle {
        fn exec(&mut self, _: &str) -> Result<String, DeviceError> {
            unreachable!("an idle connection is never used")
        }
        fn shell(&mut self) -> Result<Box<dyn crate::device::Shell>, DeviceError> {
            unreachable!("an idle connection is never used")
        }
    }

    #[test]
    fn at_most_max_kept_connections_wait_for_their_turn() {
        let devices = remote::MAX_KEPT + 10;
        let waiting = Waiting::empty(devices);
        for index in 0..devices {
            waiting.put(index, Box::new(Idle));
        }
        let held = |w: &Waiting| (0..devices).filter(|&i| w.take(i).is_some()).count();
        assert_eq!(held(&waiting), remote::MAX_KEPT);
        // Taken connections free their places for the next ones.
        waiting.put(devices - 1, Box::new(Idle));
        assert!(waiting.take(devices - 1).is_some());
    }

    #[test]
    fn the_member_called_secondary_goes_first() {
        use PairRole::{Primary, Secondary};
        assert_eq!(secondary_first(Some(Secondary), Some(Primary)), Some(true));
        assert_eq!(secondary_first(Some(Primary), Some(Secondary)), Some(false));
        // One member's word is enough.
        assert_eq!(secondary_first(Some(Secondary), None), Some(true));
        assert_eq!(secondary_first(None, Some(Primary)), Some(true));
        assert_eq!(secondary_first(Some(Primary), None), Some(false));
        assert_eq!(secondary_first(None, Some(Secondary)), Some(false));
        // Neither says, or both claim one role: the intent decides.
        assert_eq!(secondary_first(None, None), None);
        assert_eq!(secondary_first(Some(Primary), Some(Primary)), None);
        assert_eq!(secondary_first(Some(Secondary), Some(Secondary)), None);
    }

    #[test]
    fn pairs_are_units_first_member_first_and_canaries_never_pair_up() {
        let changes = [
            change("a1", Some("a2"), false, 9, false),
            change("a2", Some("a1"), true, 8, false),
            change("b1", Some("b2"), false, 1, false),
            change("b2", Some("b1"), true, 2, false),
            change("c", None, false, 5, false),
            // d1's peer has no change: d1 is a unit of its own.
            change("d1", Some("d2"), true, 3, false),
        ];
        let plan = rollout(&changes, &Canary::None).unwrap();
        assert!(plan.canaries.is_empty());
        assert_eq!(
            plan.rest,
            [
                unit(&[1, 0], None),
                unit(&[3, 2], None),
                unit(&[4], None),
                unit(&[5], None)
            ]
        );
        // Fewest commands among the units' first members: b2 (2), d1 (3);
        // b1 (1) is a second member and never a canary.
        let plan = rollout(&changes, &Canary::Fewest(2)).unwrap();
        assert_eq!(plan.canaries, [unit(&[3], None), unit(&[5], None)]);
        assert_eq!(
            plan.rest,
            [unit(&[1, 0], None), unit(&[2], Some(3)), unit(&[4], None)]
        );
        assert!(rollout(&changes, &Canary::Named(vec!["a1".into()]))
            .unwrap_err()
            .contains("`a1` is the second member of its vPC pair; its peer `a2`"));
        assert!(rollout(&changes, &Canary::Named(vec!["zz".into()])).is_err());
    }

    #[test]
    fn a_type1_pair_stays_whole_in_the_canary_wave() {
        let changes = [
            change("a1", Some("a2"), false, 2, true),
            change("a2", Some("a1"), true, 2, true),
            change("c", None, false, 5, false),
        ];
        let plan = rollout(&changes, &Canary::Fewest(1)).unwrap();
        assert_eq!(plan.canaries, [unit(&[1, 0], None)]);
        assert_eq!(plan.rest, [unit(&[2], None)]);
    }

    #[test]
    fn the_switches_diffs_are_listed_wave_by_wave_with_secrets_redacted() {
        use super::{switch_diffs, DeviceResult, Outcome, Wave};
        let row = |device: &str, wave, diff: Option<&str>| DeviceResult {
            device: device.to_string(),
            commands: 1,
            wave,
            outcome: Outcome::Applied { saved: true },
            seconds: 0.1,
            vpc: None,
            warnings: Vec::new(),
            diff: diff.map(str::to_string),
        };
        let results = [
            row(
                "leaf1",
                Wave::Second,
                Some("--- system:/running-config\n+++ session:/s-session-config\n+vlan 30\n"),
            ),
            row("spine", Wave::First, None),
            row(
                "leaf2",
                Wave::First,
                Some("+username admin secret sha512 $6$abcdefgh\n"),
            ),
        ];
        let text = switch_diffs(&results);
        let leaf2 = text.find("== leaf2: ").unwrap();
        let leaf1 = text.find("== leaf1: the change as the switch showed it before committing it:\n--- system:/running-config\n").unwrap();
        assert!(leaf2 < leaf1, "{text}");
        assert!(
            !text.contains("spine") && !text.contains("$6$abcdefgh"),
            "{text}"
        );
        assert!(text.contains("<redacted>"), "{text}");
        assert_eq!(switch_diffs(&results[1..2]), "");
    }
}

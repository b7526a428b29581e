//! Pushing remediation to switches, safely.
//!
//! Per device: take a checkpoint; apply the commands inside a
//! `configure session` (verified, then committed atomically) when they
//! only change ACLs, else in `configure terminal`; on any error
//! or dropped connection reconnect and roll back to the checkpoint
//! (`rollback running-config checkpoint NAME atomic`); after a commit,
//! re-fetch the running config and re-plan: anything left means the device
//! failed. `copy running-config startup-config` only after a verified
//! success. Devices run in parallel up to a bound; `--canary N` applies to
//! N devices first and stops if any of them fails.

use crate::device::nxos::NxosCli;
use crate::device::{ConnectOptions, DeviceError, Target};
use crate::remote;
use serde::Serialize;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What to do on one device.
#[derive(Debug, Clone)]
pub struct Change {
    pub target: Target,
    /// Remediation commands in apply order, as typed in configuration mode.
    pub commands: Vec<String>,
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
    /// Not attempted (a canary failed first).
    Skipped,
}

impl Outcome {
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Unchanged | Outcome::Applied { .. })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceResult {
    pub device: String,
    pub commands: usize,
    pub outcome: Outcome,
    pub seconds: f64,
}

/// Compares a freshly fetched running config of a device with its intent
/// and returns the commands still needed (empty when verified).
pub type Replan<'a> = dyn Fn(&str, &str) -> Result<Vec<String>, String> + Sync + 'a;

/// Settings of one `apply` run.
pub struct Settings<'a> {
    pub connect: &'a ConnectOptions,
    pub save: bool,
    pub replan: &'a Replan<'a>,
    /// Reports progress: (device, stage, whether it is the device's last
    /// word: its outcome).
    pub progress: &'a (dyn Fn(&str, &str, bool) + Sync),
}

/// Whether NX-OS takes the whole change inside a configuration session.
/// Its Session Manager supports only the ACL feature (Cisco's guidelines
/// for it): access lists and object-groups, whatever their entries, and
/// interfaces where only `ip access-group` bindings change. Any other
/// change is typed in `configure terminal`, still under the checkpoint.
fn session_capable(commands: &[String]) -> bool {
    const ACL_SECTIONS: &[&str] = &[
        "ip access-list ",
        "no ip access-list ",
        "object-group ip ",
        "no object-group ip ",
    ];
    let mut section_is_acl = false;
    let mut in_interface = false;
    commands.iter().all(|command| {
        if command.starts_with(' ') {
            let line = command.trim_start();
            section_is_acl
                || (in_interface
                    && (line.starts_with("ip access-group ")
                        || line.starts_with("no ip access-group ")))
        } else {
            section_is_acl = ACL_SECTIONS.iter().any(|p| command.starts_with(p));
            in_interface = command.starts_with("interface ");
            section_is_acl || in_interface
        }
    })
}

fn unique_name() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    format!("liaison-{}-{}", now.as_secs(), std::process::id())
}

/// Applies changes to every device, `parallel` at a time; with a canary,
/// the first `canary` devices go first and the rest only if all succeed.
pub fn apply_all(
    changes: &[Change],
    parallel: usize,
    canary: usize,
    settings: &Settings,
) -> Vec<DeviceResult> {
    let (first, rest) = changes.split_at(canary.min(changes.len()));
    let mut results = remote::run_parallel(first, parallel, |c| apply_one(c, settings));
    if canary > 0 && results.iter().any(|r| !r.outcome.is_success()) {
        results.extend(rest.iter().map(|c| DeviceResult {
            device: c.target.name.clone(),
            commands: c.commands.len(),
            outcome: Outcome::Skipped,
            seconds: 0.0,
        }));
        return results;
    }
    results.extend(remote::run_parallel(rest, parallel, |c| {
        apply_one(c, settings)
    }));
    results
}

pub fn apply_one(change: &Change, settings: &Settings) -> DeviceResult {
    let started = std::time::Instant::now();
    let device = change.target.name.as_str();
    let outcome = if change.commands.is_empty() {
        Outcome::Unchanged
    } else {
        push(change, settings)
    };
    (settings.progress)(device, &describe(&outcome), true);
    DeviceResult {
        device: device.to_string(),
        commands: change.commands.len(),
        outcome,
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Unchanged => "no change".into(),
        Outcome::Applied { saved: true } => "applied, verified, saved".into(),
        Outcome::Applied { saved: false } => "applied, verified (not saved)".into(),
        Outcome::RolledBack { reason } => format!("rolled back: {reason}"),
        Outcome::Failed { reason, .. } => format!("FAILED: {reason}"),
        Outcome::Skipped => "skipped".into(),
    }
}

fn push(change: &Change, settings: &Settings) -> Outcome {
    let device = change.target.name.as_str();
    let progress = |stage: &str| (settings.progress)(device, stage, false);
    progress("connecting");
    let mut transport = match remote::connect(&change.target, settings.connect) {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Failed {
                reason: e.to_string(),
                rolled_back: false,
            }
        }
    };
    let before = match remote::fetch_running(transport.as_mut(), device) {
        Ok(text) => text,
        Err(e) => {
            return Outcome::Failed {
                reason: format!("cannot read the running config, nothing changed: {e}"),
                rolled_back: false,
            }
        }
    };
    let checkpoint = unique_name();
    let applied = {
        let mut cli = match remote::cli(transport.as_mut(), device) {
            Ok(cli) => cli,
            Err(e) => {
                return Outcome::Failed {
                    reason: e.to_string(),
                    rolled_back: false,
                }
            }
        };
        progress("checkpoint");
        if let Err(e) = cli.run(&format!("checkpoint {checkpoint}")) {
            return Outcome::Failed {
                reason: format!("no checkpoint, nothing changed: {e}"),
                rolled_back: false,
            };
        }
        progress("applying");
        let applied = configure(&mut cli, &change.commands, &checkpoint);
        let _ = cli.run("end");
        applied
    };
    if let Err(error) = applied {
        progress("rolling back");
        return roll_back(change, settings, &checkpoint, &before, transport, error);
    }
    progress("verifying");
    let left = remote::fetch_running(transport.as_mut(), device)
        .map_err(|e| e.to_string())
        .and_then(|running| (settings.replan)(device, &running));
    match left {
        Ok(left) if left.is_empty() => {}
        Ok(left) => {
            return Outcome::Failed {
                reason: format!(
                    "applied, but {} command(s) still differ after re-fetching, first: `{}`",
                    left.len(),
                    left[0]
                ),
                rolled_back: false,
            }
        }
        Err(reason) => {
            return Outcome::Failed {
                reason: format!("applied, but could not verify: {reason}"),
                rolled_back: false,
            }
        }
    }
    if !settings.save {
        let _ = remote::cli(transport.as_mut(), device)
            .and_then(|mut cli| cli.run(&format!("no checkpoint {checkpoint}")));
        return Outcome::Applied { saved: false };
    }
    progress("saving");
    let saved = remote::cli(transport.as_mut(), device).and_then(|mut cli| {
        cli.run("copy running-config startup-config")?;
        cli.run(&format!("no checkpoint {checkpoint}"))
    });
    match saved {
        Ok(_) => Outcome::Applied { saved: true },
        Err(e) => Outcome::Failed {
            reason: format!("applied and verified, but not saved to startup: {e}"),
            rolled_back: false,
        },
    }
}

/// The commands inside a configuration session, or in config mode.
fn configure(cli: &mut NxosCli, commands: &[String], name: &str) -> Result<(), DeviceError> {
    if session_capable(commands) {
        cli.run(&format!("configure session {name}"))?;
        let typed = commands
            .iter()
            .chain([&"verify".to_string(), &"commit".to_string()])
            .try_for_each(|command| cli.run(command).map(drop));
        if let Err(e) = typed {
            // Sessions outlive the connection on NX-OS (32 at most): leave
            // none behind.
            let _ = cli.run("abort");
            return Err(e);
        }
    } else {
        cli.run("configure terminal")?;
        for command in commands {
            cli.run(command)?;
        }
    }
    Ok(())
}

/// After a failure: back to the checkpoint, on a fresh connection when the
/// old one is gone.
fn roll_back(
    change: &Change,
    settings: &Settings,
    checkpoint: &str,
    before: &str,
    mut transport: Box<dyn crate::device::Transport>,
    error: DeviceError,
) -> Outcome {
    let device = change.target.name.as_str();
    let rollback = format!("rollback running-config checkpoint {checkpoint} atomic");
    // Roll back, then read the running config back on the same connection.
    let on = |t: &mut dyn crate::device::Transport| {
        remote::cli(t, device).and_then(|mut cli| cli.run(&rollback))?;
        remote::fetch_running(t, device)
    };
    let result = on(transport.as_mut()).or_else(|_| {
        remote::connect(&change.target, settings.connect).and_then(|mut fresh| on(fresh.as_mut()))
    });
    match result {
        Ok(after) if same_config(before, &after) => Outcome::RolledBack {
            reason: error.to_string(),
        },
        Ok(_) => Outcome::Failed {
            reason: format!("{error}; rolled back to checkpoint {checkpoint}, but the running config differs from before the change"),
            rolled_back: true,
        },
        Err(rollback_error) => Outcome::Failed {
            reason: format!("{error}; rollback to checkpoint {checkpoint} failed too: {rollback_error}"),
            rolled_back: false,
        },
    }
}

/// Equal running configs, ignoring the timestamps in the header.
fn same_config(a: &str, b: &str) -> bool {
    let body = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                !l.starts_with("!Time:") && !l.starts_with("!Running configuration last done")
            })
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    body(a) == body(b)
}

/// The final per-device table.
pub fn summary(results: &[DeviceResult]) -> String {
    use std::fmt::Write as _;
    let width = results
        .iter()
        .map(|r| r.device.len())
        .max()
        .unwrap_or(6)
        .max(6);
    let mut out = format!(
        "{:<width$}  {:>8}  {:>7}  result\n",
        "device", "commands", "seconds"
    );
    for r in results {
        let _ = writeln!(
            out,
            "{:<width$}  {:>8}  {:>7.1}  {}",
            r.device,
            r.commands,
            r.seconds,
            describe(&r.outcome)
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
    use super::session_capable;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn only_acl_changes_go_into_a_session() {
        assert!(session_capable(&lines(
            "object-group ip address segments-all\n  10 10.1.10.0/24\n\
             ip access-list web-in\n  statistics per-entry\n  no 30\n  30 deny ip any any\n\
             no ip access-list old-in\nno object-group ip port ports-22\n\
             interface Vlan110\n  no ip access-group old-in in\n  ip access-group web-in in"
        )));
        for other in [
            "vlan 110\n  name web",
            "interface Vlan110\n  ip access-group web-in in\n  no shutdown",
            "interface Ethernet1/1\n  switchport trunk allowed vlan add 110",
            "ip access-list web-in\n  10 permit ip any any\nfeature hsrp",
            "no vlan 130",
        ] {
            assert!(!session_capable(&lines(other)), "{other}");
        }
    }
}

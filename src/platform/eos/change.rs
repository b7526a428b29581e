//! How EOS takes a change safely (`apply`): a configuration session with a
//! confirmed commit. `configure session NAME`, the commands, `show
//! session-config diffs` (what EOS will change, kept for the log), `commit
//! timer HH:MM:SS` (the change goes live, and EOS rolls it back by itself
//! unless it is confirmed in time: a change that cuts liaison off undoes
//! itself), then, once liaison has re-fetched and re-planned the switch
//! (and the rest of its pair is verified), the confirming `configure
//! session NAME commit` and `copy running-config startup-config`. On any
//! failure `configure session NAME abort`: it drops a session not yet
//! committed, and rolls a commit waiting for its confirmation back at once.
//!
//! Sources: Arista EOS User Manual, "Configure Session" (a committed
//! session "overwrit[es] any other configuration changes made since" it
//! began) and "Session Management commands" (`commit timer hh:mm:ss`,
//! `configure session NAME commit|abort`); eos.arista.com "Config Session
//! Commit Timer"; docs/pushing.md.

use crate::device::DeviceError;
use crate::platform::Cli;
use std::time::Duration;

/// Lists the configuration sessions and their states.
pub const SHOW_SESSIONS: &str = "show configuration sessions";

/// The state `show configuration sessions` gives a session whose commit
/// waits for its confirmation. Guess: the name liaison-eos-sim prints and
/// eAPI's JSON uses (`"state": "pendingCommitTimer"`); not seen in the
/// manual's text output.
const PENDING_TIMER: &str = "pendingCommitTimer";

/// Saves the running config for the next reload.
pub const SAVE: &str = "copy running-config startup-config";

/// Leaves configuration mode.
pub const END: &str = "end";

/// `HH:MM:SS` of a duration, as `commit timer` takes it (whole seconds,
/// at least one).
pub fn hms(duration: Duration) -> String {
    let secs = duration.as_secs().max(1);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// The sessions of `show configuration sessions` whose commit waits for
/// its confirmation, with the time left where shown. The rows follow the
/// `Name  State …` header and its dashes; the current session is marked
/// `*` before its name.
pub fn pending_timers(answer: &str) -> Vec<(String, Option<String>)> {
    answer
        .lines()
        .skip_while(|line| !line.trim_start().starts_with("---"))
        .skip(1)
        .filter_map(|line| {
            let mut words = line.split_whitespace().peekable();
            if words.peek() == Some(&"*") {
                words.next();
            }
            let name = words.next()?;
            let state = words.next()?;
            (state == PENDING_TIMER).then(|| (name.to_string(), words.next().map(str::to_string)))
        })
        .collect()
}

/// Refuses a change while another session's commit waits for its
/// confirmation: liaison's commit would be refused, or (were it taken)
/// confirming it would keep the other change too, unreviewed.
pub fn prepare(cli: &mut dyn Cli) -> Result<(), String> {
    let answer = cli
        .run(SHOW_SESSIONS)
        .map_err(|e| format!("cannot list the configuration sessions, nothing changed: {e}"))?;
    match pending_timers(&answer).first() {
        None => Ok(()),
        Some((other, left)) => Err(format!(
            "E230: configuration session `{other}` holds a commit waiting for its confirmation{}; nothing was changed. Confirm it (`configure session {other} commit`) or roll it back (`configure session {other} abort`), then apply again",
            left.as_deref()
                .map(|l| format!(" ({l} left on its commit timer)"))
                .unwrap_or_default()
        )),
    }
}

/// The commands in session `name`, the session's diff read back, and a
/// commit that EOS undoes by itself unless confirmed within
/// `confirm_within`. Returns the diff. On an error the session is left
/// for the rollback (`configure session NAME abort`) to drop.
pub fn configure(
    cli: &mut dyn Cli,
    commands: &[String],
    name: &str,
    confirm_within: Duration,
) -> Result<Option<String>, DeviceError> {
    cli.run(&format!("configure session {name}"))?;
    for command in commands {
        cli.run(command)?;
    }
    let diff = cli.run("show session-config diffs")?;
    cli.run(&format!("commit timer {}", hms(confirm_within)))?;
    Ok(Some(diff))
}

/// Confirms the commit of session `name`.
pub fn confirm(name: &str) -> String {
    format!("configure session {name} commit")
}

/// Drops session `name`, or rolls its unconfirmed commit back.
pub fn rollback(name: &str) -> String {
    format!("configure session {name} abort")
}

/// What happens to a commit of session `name` that is never confirmed.
pub fn unconfirmed(name: &str, confirm_within: Duration) -> String {
    format!(
        "EOS rolls the change back by itself when its commit timer ({}) runs out; to keep it instead, `configure session {name} commit` before then",
        hms(confirm_within)
    )
}

/// Equal running configs, line by line (trailing spaces aside). Guess:
/// EOS's `show running-config` header holds no time stamp (`! Command:`,
/// `! device:`), as in the public configs and liaison-eos-sim; a
/// `! Startup-config last modified …` line, which some releases are said
/// to print, is ignored.
pub fn same_config(a: &str, b: &str) -> bool {
    let body = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("! Startup-config last modified"))
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    body(a) == body(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_in_hours_minutes_seconds() {
        assert_eq!(hms(Duration::from_secs(600)), "00:10:00");
        assert_eq!(hms(Duration::from_secs(3725)), "01:02:05");
        assert_eq!(hms(Duration::ZERO), "00:00:01");
    }

    #[test]
    fn pending_commit_timers_are_found() {
        let answer = "Maximum number of completed sessions: 1\nMaximum number of pending sessions: 5\n\n   Name             State                Commit Time Left\n   ---------------- -------------------- ----------------\n   other            pendingCommitTimer   00:04:59\n * mine             pending\n   old              completed\n";
        assert_eq!(
            pending_timers(answer),
            [("other".to_string(), Some("00:04:59".to_string()))]
        );
        assert!(pending_timers(&answer.replace("pendingCommitTimer", "pending")).is_empty());
        assert!(pending_timers("Maximum number of completed sessions: 1\n").is_empty());
    }
}

//! Configuration sessions on disk, so they outlive the SSH session that
//! opened them, as on EOS (a session is entered again, committed or
//! aborted from another CLI session: `configure session NAME commit`):
//! `DIR/NAME.sessions/SESS.cfg` is the session's config (a copy of the
//! running config when the session began, then edited), `SESS.timer` a
//! commit waiting for its confirmation (first line: the deadline on the
//! device clock, in seconds since the epoch; then the running config to
//! roll back to), `SESS.done` a completed session (EOS lists the last
//! one).
//!
//! EOS User Manual, "Configuration sessions" and "Commit timer" (also
//! eos.arista.com "Config Session Commit Timer"): `commit timer HH:MM:SS`
//! applies the session now and rolls it back by itself at the end of the
//! timer unless `configure session NAME commit` confirms it first;
//! `configure session NAME abort` rolls back at once.

use std::fs;
use std::io;
use std::path::PathBuf;

use crate::sim::state::{write_atomic, Store};

pub struct Sessions<'s> {
    pub store: &'s Store,
}

/// A session's state as `show configuration sessions` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Pending,
    /// Committed with a timer: the deadline, seconds since the epoch.
    PendingCommitTimer(u64),
    Completed,
}

impl Sessions<'_> {
    fn dir(&self) -> PathBuf {
        self.store
            .dir
            .join(format!("{}.sessions", self.store.device))
    }

    fn path(&self, name: &str, ext: &str) -> PathBuf {
        self.dir().join(format!("{name}.{ext}"))
    }

    pub fn config(&self, name: &str) -> Option<String> {
        fs::read_to_string(self.path(name, "cfg")).ok()
    }

    pub fn write_config(&self, name: &str, text: &str) -> io::Result<()> {
        fs::create_dir_all(self.dir())?;
        write_atomic(&self.path(name, "cfg"), text)
    }

    /// The pending commit of `name`: its deadline and the config to roll
    /// back to.
    pub fn timer(&self, name: &str) -> Option<(u64, String)> {
        let text = fs::read_to_string(self.path(name, "timer")).ok()?;
        let (deadline, rollback) = text.split_once('\n')?;
        Some((deadline.parse().ok()?, rollback.to_string()))
    }

    pub fn start_timer(&self, name: &str, deadline: u64, rollback: &str) -> io::Result<()> {
        fs::create_dir_all(self.dir())?;
        write_atomic(
            &self.path(name, "timer"),
            &format!("{deadline}\n{rollback}"),
        )
    }

    /// Forgets the session; the last one finished is kept as completed.
    pub fn finish(&self, name: &str) -> io::Result<()> {
        for ext in ["cfg", "timer"] {
            match fs::remove_file(self.path(name, ext)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        // EOS keeps one completed session by default ("Maximum number of
        // completed sessions: 1").
        for (other, state) in self.list() {
            if state == State::Completed && other != name {
                let _ = fs::remove_file(self.path(&other, "done"));
            }
        }
        fs::create_dir_all(self.dir())?;
        fs::write(self.path(name, "done"), "")
    }

    /// Drops an aborted session without a trace.
    pub fn discard(&self, name: &str) -> io::Result<()> {
        for ext in ["cfg", "timer"] {
            match fs::remove_file(self.path(name, ext)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// Every session, by name.
    pub fn list(&self) -> Vec<(String, State)> {
        let mut names: Vec<String> = fs::read_dir(self.dir())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_str()?.to_string();
                        let (stem, ext) = name.rsplit_once('.')?;
                        matches!(ext, "cfg" | "timer" | "done").then(|| stem.to_string())
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|name| {
                let state = if let Some((deadline, _)) = self.timer(&name) {
                    State::PendingCommitTimer(deadline)
                } else if self.path(&name, "cfg").exists() {
                    State::Pending
                } else if self.path(&name, "done").exists() {
                    State::Completed
                } else {
                    return None;
                };
                Some((name, state))
            })
            .collect()
    }

    /// The session, other than `except`, whose commit waits for its
    /// confirmation.
    pub fn other_timer(&self, except: &str) -> Option<String> {
        self.list()
            .into_iter()
            .find(|(name, state)| name != except && matches!(state, State::PendingCommitTimer(_)))
            .map(|(name, _)| name)
    }
}

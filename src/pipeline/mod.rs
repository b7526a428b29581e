//! The commands end to end, as the library runs them: each module takes a
//! command's typed request, runs the stages (analyse, read or fetch,
//! parse, plan, render, write, push, verify) and returns a typed result, or why it
//! stopped. `cli.rs` parses the arguments, prints what these return, and
//! chooses the exit code; it is told of progress through an observer, so
//! that what is known early (the inventory's diagnostics) is shown before
//! the slow work (fetching, pushing).

pub mod apply;
pub mod build;
pub mod check;
pub mod diff;
pub mod docs;
pub mod fetch;
pub mod plan;
pub mod verify;
pub mod why;

use crate::config::PartialPortDefaults;
use crate::remote::SshOverrides;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where `plan` and `verify` read the running configs from.
pub enum Source {
    /// Saved files, DIR/<switch>.cfg.
    Dir(PathBuf),
    /// Fetched from the switches now.
    Live { parallel: usize, ssh: SshOverrides },
}

/// Told of each stage as it ends.
pub trait Observer {
    /// The inventory was loaded, checked and compiled: its diagnostics are
    /// final (the command goes on only when it compiled).
    fn analysed(&mut self, analysis: &crate::Analysis);
}

/// No switch answered: an offline plan.
pub(crate) static NO_ANSWERS: BTreeMap<String, PartialPortDefaults> = BTreeMap::new();

//! What the two switch simulators (`liaison-nxos-sim`, `liaison-eos-sim`)
//! share because it is the same on both: the state directory and its
//! lock, the fault file, the terminal (echo, line editing, paging) and the
//! process around the CLI (arguments, exec vs. shell sessions, paced
//! output). Each binary includes this folder with `#[path]`; what a
//! platform's CLI says and does stays in its own binary.

// Each binary uses a part of this module (the NX-OS one its vPC fault,
// the EOS one its sessions), so some items are unused in either.
#![allow(dead_code)]

pub mod faults;
pub mod runner;
pub mod state;
pub mod terminal;
pub mod vlans;
pub mod words;

//! liaison-nxos-sim: a simulated Cisco NX-OS switch CLI for tests and
//! demos. It runs behind OpenSSH's sshd as its ForceCommand (one process
//! per SSH session) or by hand in a terminal, and keeps each device's
//! running config as show-run text in a state directory.
//!
//! It shares no code with the liaison library on purpose: it stands for
//! the switch, and a bug common to both would hide itself.

mod apply;
mod cli;
mod clock;
mod command;
mod load;
mod model;
mod ports;
mod render;
#[path = "../sim-common/mod.rs"]
mod sim;
mod store;
#[cfg(test)]
mod tests;
mod vlans;
mod vpc;

use std::process::ExitCode;

use cli::Shell;

const USAGE: &str = "\
usage: liaison-nxos-sim --state DIR [--device NAME]

Simulates a Cisco NX-OS switch CLI. The device's running config is
DIR/NAME.cfg (created when missing), its checkpoints DIR/NAME.checkpoints/,
its faults DIR/NAME.faults. Without --device, the device is the one whose
port (the 4th field of SSH_CONNECTION) is listed in DIR/ports (`PORT NAME`
lines), for one sshd serving several devices.

With SSH_ORIGINAL_COMMAND set, runs that command (`;` separates several)
and exits; otherwise an interactive shell on standard input.

factory file DIR/NAME.factory (key = value lines): the hardware's defaults
  switchport = true         ports are Layer 2 by default (a Nexus 9300/3000);
                            false (the default): routed (a Nexus 9300-EX)
  switchport_shutdown = true  Layer 2 ports start shut (default false)
  `system default switchport [shutdown]` changes them; show running-config
  prints a setting only where it differs from the default.

faults file (key = value lines):
  drop_after_commands = N   close the connection after N config commands
  delay_ms = N              wait N ms before answering each line
  reject = REGEX            refuse matching lines with an NX-OS error
  hang = true               never answer (for timeout tests)
  banner = TEXT             a login banner before the first prompt (\\n: new line)
  banner_pause_ms = N       pause after each banner line, before its line end
  silent_until_newline = true  print the first prompt only after a line
  write_pieces = N          write banner, prompts and outputs in N pieces
  write_pause_ms = N        with N ms between the pieces
  stream_show_run = true    `show running-config` (exec) never ends
  ansi = true               every exec output starts with a terminal escape
  exec_timeout_ms = N       an interactive session idle at its prompt for N ms
                            ends (a switch's exec-timeout)
  exec_timeout_ms = N       an interactive session idle at its prompt for N ms
                            ends (a switch's exec-timeout)
  vpc_restore_ms = N        a vPC comes up only N ms after its pair became
                            consistent (the later of the two configs' changes)

Every interactive session appends to DIR/NAME.modes when it enters and
leaves configuration mode (`enter|leave MICROSECONDS PID`), and to
DIR/NAME.shells when it starts (`shell MICROSECONDS PID`).

`show vpc` derives the pair's state from the device's config and its
peer's: the device in DIR whose peer-keepalive mirrors its own, else the
one with the same vPC domain id (see vpc.rs).";

fn main() -> ExitCode {
    sim::runner::main("liaison-nxos-sim", USAGE, |store, faults| {
        Shell::new(store, faults, Vec::new())
    })
}

//! liaison-eos-sim: a simulated Arista EOS switch CLI for tests and
//! demos, the EOS counterpart of liaison-nxos-sim. It runs behind
//! OpenSSH's sshd as its ForceCommand (one process per SSH session) or by
//! hand in a terminal, and keeps each device's running config as EOS's
//! show-run text in a state directory.
//!
//! It shares no code with the liaison library on purpose: it stands for
//! the switch, and a bug common to both would hide itself. What both
//! simulators do alike (state directory, faults, terminal, the process
//! around the CLI) is in `src/bin/sim-common/`.

mod cli;
mod clock;
mod command;
mod config;
mod mlag;
mod ports;
mod sessions;
#[path = "../sim-common/mod.rs"]
mod sim;
#[cfg(test)]
mod tests;

use std::process::ExitCode;

const USAGE: &str = "\
usage: liaison-eos-sim --state DIR [--device NAME]

Simulates an Arista EOS switch CLI. The device's running config is
DIR/NAME.cfg (created when missing), as `show running-config` prints it;
its startup config DIR/NAME.startup.cfg, its configuration sessions
DIR/NAME.sessions/, its faults DIR/NAME.faults, its clock offset
DIR/NAME.clock (`offset_seconds = N`: the device's clock runs N seconds
ahead, so a test lets a commit timer expire without waiting). Without
--device, the device is the one whose port (the 4th field of
SSH_CONNECTION) is listed in DIR/ports (`PORT NAME` lines).

factory file DIR/NAME.factory (key = value lines): the hardware
  ethernet_ports = N        SFP ports Ethernet1..N, each listed in
                            show running-config configured or not (as EOS
                            does); `no interface EthernetN` leaves it bare.
                            Default 0: the ports the config names.
  lane_ports = A-B          ports with lanes (QSFP, OSFP) EthernetA/1..
                            EthernetB/1, listed alike
  management_ports = N      Management1..N, listed alike
  system_mac = XX:XX:XX:XX:XX:XX
                            the switch's MAC; of an MLAG pair the lower is
                            primary (show mlag detail). Default: one
                            derived from NAME

With SSH_ORIGINAL_COMMAND set, runs that command (`;` separates several)
and exits; otherwise an interactive shell on standard input.

faults file (key = value lines), as liaison-nxos-sim's where they apply:
  drop_after_commands = N   close the connection after N config commands
  delay_ms = N              wait N ms before answering each line
  reject = REGEX            refuse matching lines with `% Invalid input`
  hang = true               never answer (for timeout tests)
  banner, banner_pause_ms, silent_until_newline, write_pieces,
  write_pause_ms, stream_show_run, ansi, exec_timeout_ms: as liaison-nxos-sim
  unprivileged_login = true  log in at `NAME>` (default `NAME#`, a
                            privilege-15 user with exec authorization)
  cut_off_by_commit = true  a `commit timer` drops the connection and every
                            new session hangs unanswered until the timer
                            has rolled the change back (a change that cut
                            the management path)
  peer_link_down = true     the MLAG peer-link has failed, the peer still
                            up: no peer is seen either way and the device
                            is primary (on both members: a dual-primary)
  mlag_restore_ms = N       the device's MLAG ports come up only N ms
                            after its running config last changed

Every interactive session appends to DIR/NAME.modes when it enters and
leaves configuration mode (`enter|leave MICROSECONDS PID`), and to
DIR/NAME.shells when it starts (`shell MICROSECONDS PID`).";

fn main() -> ExitCode {
    sim::runner::main("liaison-eos-sim", USAGE, cli::Shell::new)
}

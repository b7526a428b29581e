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
mod store;
mod terminal;
#[cfg(test)]
mod tests;
mod vlans;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use cli::{Flow, Shell};
use store::{Faults, Store};

const USAGE: &str = "\
usage: liaison-nxos-sim --state DIR [--device NAME]

Simulates a Cisco NX-OS switch CLI. The device's running config is
DIR/NAME.cfg (created when missing), its checkpoints DIR/NAME.checkpoints/,
its faults DIR/NAME.faults. Without --device, the device is the one whose
port (the 4th field of SSH_CONNECTION) is listed in DIR/ports (`PORT NAME`
lines), for one sshd serving several devices.

With SSH_ORIGINAL_COMMAND set, runs that command (`;` separates several)
and exits; otherwise an interactive shell on standard input.

faults file (key = value lines):
  drop_after_commands = N   close the connection after N config commands
  delay_ms = N              wait N ms before answering each line
  reject = REGEX            refuse matching lines with an NX-OS error
  hang = true               never answer (for timeout tests)";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("liaison-nxos-sim: {message}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut state = None;
    let mut device = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--state" => state = args.next().map(PathBuf::from),
            "--device" => device = args.next(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            _ => return Err(format!("unexpected argument `{arg}`\n{USAGE}")),
        }
    }
    let dir = state.ok_or_else(|| format!("--state DIR is required\n{USAGE}"))?;
    let device = match device {
        Some(name) => name,
        None => {
            let connection = std::env::var("SSH_CONNECTION")
                .map_err(|_| "no --device and no SSH_CONNECTION to find one".to_string())?;
            let port = connection
                .split_whitespace()
                .nth(3)
                .and_then(|p| p.parse::<u16>().ok())
                .ok_or_else(|| format!("SSH_CONNECTION `{connection}` has no server port"))?;
            store::device_for_port(&dir, port)?
        }
    };
    if device.is_empty() || device.contains(['/', '\0']) || device.starts_with('.') {
        return Err(format!("bad device name `{device}`"));
    }
    let store = Store { dir, device };
    let faults = Faults::read(&store.faults_path())?;
    if faults.hang {
        // Never answer; leave when the client gives up.
        io::copy(&mut io::stdin(), &mut io::sink()).ok();
        return Ok(ExitCode::SUCCESS);
    }
    if let Ok(command) = std::env::var("SSH_ORIGINAL_COMMAND") {
        let out = io::stdout();
        let mut shell = Shell::new(store, faults, out.lock()).map_err(|e| e.to_string())?;
        for part in command.split(';') {
            match shell.handle(part, false) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Logout) => break,
                Ok(Flow::Drop) => return Ok(ExitCode::from(255)),
                Err(e) => return Err(e.to_string()),
            }
        }
        shell.out().flush().map_err(|e| e.to_string())?;
        return Ok(ExitCode::SUCCESS);
    }
    let shell = Shell::new(store, faults, Vec::new()).map_err(|e| e.to_string())?;
    interactive(shell).map_err(|e| e.to_string())
}

/// Terminal length when none was set: the window's height, else 24.
const DEFAULT_LENGTH: usize = 24;

/// The shell loop: prompt, read and echo a line, run it, page its output
/// (on a terminal, unless `terminal length 0`).
fn interactive(mut shell: Shell<Vec<u8>>) -> io::Result<ExitCode> {
    let mut input = terminal::Input::new();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    loop {
        write!(out, "{}", shell.prompt())?;
        out.flush()?;
        let Some(line) = input.read_line(&mut out)? else {
            return Ok(ExitCode::SUCCESS);
        };
        let flow = shell.handle(&line, true)?;
        let text = std::mem::take(shell.out());
        let length = match (input.is_tty(), shell.terminal_length()) {
            (false, _) => 0,
            (true, Some(n)) => n,
            (true, None) => terminal::rows().unwrap_or(DEFAULT_LENGTH),
        };
        input.page(&mut out, &text, length)?;
        out.flush()?;
        match flow {
            Flow::Continue => {}
            Flow::Logout => return Ok(ExitCode::SUCCESS),
            Flow::Drop => return Ok(ExitCode::from(255)),
        }
    }
}

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
mod vpc;

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
  vpc_restore_ms = N        a vPC comes up only N ms after its pair became
                            consistent (the later of the two configs' changes)

Every interactive session appends to DIR/NAME.modes when it enters and
leaves configuration mode (`enter|leave MICROSECONDS PID`).

`show vpc` derives the pair's state from the device's config and its
peer's: the device in DIR whose peer-keepalive mirrors its own, else the
one with the same vPC domain id (see vpc.rs).";

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
        if faults.stream_show_run && command.contains("show running-config") {
            stream_forever();
            return Ok(ExitCode::SUCCESS);
        }
        if faults.ansi {
            print!("{ANSI}");
        }
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
    let shell = Shell::new(store, faults.clone(), Vec::new()).map_err(|e| e.to_string())?;
    let mut out = Paced {
        out: io::stdout().lock(),
        faults: &faults,
    };
    let result = interactive(shell, &mut out, &faults);
    result.map_err(|e| e.to_string())
}

/// The escape some terminals' sessions start output with (keypad mode);
/// a guess at what a device with a misconfigured terminal sends.
const ANSI: &str = "\x1b[?1h\x1b=";

/// Writes config lines without end, a line per millisecond, until the
/// client goes away.
fn stream_forever() {
    let mut out = io::stdout().lock();
    let mut n = 0u64;
    loop {
        n += 1;
        if writeln!(out, "interface Ethernet1/{n}\n  description streaming")
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Standard output that writes whole texts in `write_pieces` pieces with
/// `write_pause_ms` between them, as a switch's CLI may.
struct Paced<'f, W: Write> {
    out: W,
    faults: &'f Faults,
}

impl<W: Write> Paced<'_, W> {
    fn text(&mut self, text: &[u8]) -> io::Result<()> {
        let pieces = self.faults.write_pieces.max(1);
        let size = text.len().div_ceil(pieces).max(1);
        for (i, piece) in text.chunks(size).enumerate() {
            if i > 0 {
                self.pause(self.faults.write_pause_ms);
            }
            self.out.write_all(piece)?;
            self.out.flush()?;
        }
        Ok(())
    }

    fn pause(&self, ms: u64) {
        if ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }

    /// The banner, line by line; each line's end is written after the
    /// pause, so a line that looks like a prompt is the last thing read.
    fn banner(&mut self, banner: &str) -> io::Result<()> {
        for (i, line) in banner.split('\n').enumerate() {
            let text = if i == 0 {
                line.to_string()
            } else {
                format!("\n{line}")
            };
            self.text(text.as_bytes())?;
            self.pause(self.faults.banner_pause_ms);
        }
        self.text(b"\n")
    }
}

impl<W: Write> Write for Paced<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Terminal length when none was set: the window's height, else 24.
const DEFAULT_LENGTH: usize = 24;

/// The shell loop: prompt, read and echo a line, run it, page its output
/// (on a terminal, unless `terminal length 0`).
/// Records when the session enters and leaves configuration mode.
fn interactive<W: Write>(
    mut shell: Shell<Vec<u8>>,
    out: &mut Paced<W>,
    faults: &Faults,
) -> io::Result<ExitCode> {
    let mut input = terminal::Input::new();
    let mut configuring = false;
    let result = session(&mut shell, &mut input, out, faults, &mut configuring);
    if configuring {
        shell.store().record_mode(false)?;
    }
    result
}

fn session<W: Write>(
    shell: &mut Shell<Vec<u8>>,
    input: &mut terminal::Input,
    out: &mut Paced<W>,
    faults: &Faults,
    configuring: &mut bool,
) -> io::Result<ExitCode> {
    if let Some(banner) = &faults.banner {
        out.banner(banner)?;
    }
    if faults.silent_until_newline && input.read_line(out)?.is_none() {
        return Ok(ExitCode::SUCCESS);
    }
    loop {
        out.text(shell.prompt().as_bytes())?;
        let Some(line) = input.read_line(out)? else {
            return Ok(ExitCode::SUCCESS);
        };
        let flow = shell.handle(&line, true)?;
        if shell.in_configuration() != *configuring {
            *configuring = !*configuring;
            shell.store().record_mode(*configuring)?;
        }
        let text = std::mem::take(shell.out());
        let length = match (input.is_tty(), shell.terminal_length()) {
            (false, _) => 0,
            (true, Some(n)) => n,
            (true, None) => terminal::rows().unwrap_or(DEFAULT_LENGTH),
        };
        if length == 0 {
            out.text(&text)?;
        } else {
            input.page(out, &text, length)?;
        }
        out.flush()?;
        match flow {
            Flow::Continue => {}
            Flow::Logout => return Ok(ExitCode::SUCCESS),
            Flow::Drop => return Ok(ExitCode::from(255)),
        }
    }
}

//! The simulator process around a platform's CLI: arguments, finding the
//! device from the sshd port, faults that act before the CLI (hang,
//! streaming), an exec request (`;` separates commands) or an interactive
//! shell with prompts, echo, paging and paced output.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::faults::Faults;
use super::state::{device_for_port, Store};
use super::terminal;

/// What the caller does after a line.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// `exit` in exec mode: log out.
    Logout,
    /// A fault closed the connection.
    Drop,
}

/// A platform's CLI, one per SSH session.
pub trait Cli {
    fn prompt(&self) -> String;
    /// Handles one line. `echoed`: the line was echoed after the prompt
    /// (interactive), which is where error markers point.
    fn handle(&mut self, line: &str, echoed: bool) -> io::Result<Flow>;
    /// Whether the session is in a configuration mode.
    fn in_configuration(&self) -> bool;
    fn store(&self) -> &Store;
    /// Lines per page, when set with `terminal length`.
    fn terminal_length(&self) -> Option<usize>;
    /// What the commands printed so far, taken by the runner.
    fn output(&mut self) -> &mut Vec<u8>;
}

/// Parses the arguments, opens the device's CLI with `open` and runs the
/// session; `program` names the binary in messages.
pub fn main<C: Cli>(
    program: &str,
    usage: &str,
    open: impl Fn(Store, Faults) -> io::Result<C>,
) -> ExitCode {
    match run(usage, open) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{program}: {message}");
            ExitCode::from(1)
        }
    }
}

fn run<C: Cli>(
    usage: &str,
    open: impl Fn(Store, Faults) -> io::Result<C>,
) -> Result<ExitCode, String> {
    let mut state = None;
    let mut device = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--state" => state = args.next().map(PathBuf::from),
            "--device" => device = args.next(),
            "-h" | "--help" => {
                println!("{usage}");
                return Ok(ExitCode::SUCCESS);
            }
            _ => return Err(format!("unexpected argument `{arg}`\n{usage}")),
        }
    }
    let dir = state.ok_or_else(|| format!("--state DIR is required\n{usage}"))?;
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
            device_for_port(&dir, port)?
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
        let mut out = io::stdout().lock();
        if faults.ansi {
            write!(out, "{ANSI}").map_err(|e| e.to_string())?;
        }
        let mut shell = open(store, faults).map_err(|e| e.to_string())?;
        for part in command.split(';') {
            let flow = shell.handle(part, false);
            out.write_all(&std::mem::take(shell.output()))
                .map_err(|e| e.to_string())?;
            match flow {
                Ok(Flow::Continue) => {}
                Ok(Flow::Logout) => break,
                Ok(Flow::Drop) => {
                    out.flush().map_err(|e| e.to_string())?;
                    return Ok(ExitCode::from(255));
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        out.flush().map_err(|e| e.to_string())?;
        return Ok(ExitCode::SUCCESS);
    }
    let shell = open(store, faults.clone()).map_err(|e| e.to_string())?;
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
    mut shell: impl Cli,
    out: &mut Paced<W>,
    faults: &Faults,
) -> io::Result<ExitCode> {
    shell.store().record_session()?;
    let mut input = terminal::Input::new();
    let mut configuring = false;
    let result = session(&mut shell, &mut input, out, faults, &mut configuring);
    if configuring {
        shell.store().record_mode(false)?;
    }
    result
}

fn session<W: Write>(
    shell: &mut impl Cli,
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
        out.flush()?;
        if faults.exec_timeout_ms > 0 && !terminal::input_within(faults.exec_timeout_ms) {
            return Ok(ExitCode::SUCCESS);
        }
        let Some(line) = input.read_line(out)? else {
            return Ok(ExitCode::SUCCESS);
        };
        let flow = shell.handle(&line, true)?;
        if shell.in_configuration() != *configuring {
            *configuring = !*configuring;
            shell.store().record_mode(*configuring)?;
        }
        let text = std::mem::take(shell.output());
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

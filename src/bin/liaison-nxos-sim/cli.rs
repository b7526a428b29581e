//! The switch's CLI: exec commands, configuration modes, configure
//! sessions, checkpoints and rollback, with the device's state re-read
//! from and written to its state file around every command.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::time::Duration;

use crate::apply::apply;
use crate::clock;
use crate::command::{parse, CliError, Cmd, Line, Mode, Parsed};
use crate::load::load;
use crate::model::Device;
use crate::render;
use crate::store::{write_atomic, Faults, Store};

pub use crate::sim::runner::Flow;

pub struct Shell<W: Write> {
    store: Store,
    dev: Device,
    /// The state file's text as last read or written, to notice changes
    /// made by another session.
    disk: String,
    /// None in exec mode.
    mode: Option<Mode>,
    /// Configure sessions by name: the lines typed, each with the mode it
    /// was typed in.
    sessions: BTreeMap<String, Vec<(Mode, String)>>,
    /// The session the configuration mode belongs to, if any.
    session: Option<String>,
    faults: Faults,
    /// The hardware's port defaults (`NAME.factory`).
    factory: crate::model::PortDefaults,
    /// Configuration commands seen, for `drop_after_commands`.
    commands: u64,
    /// `terminal length N`, when given.
    terminal_length: Option<usize>,
    out: W,
}

const SHOW_RUN_HEADER: &str = "!Command: show running-config\n";
const CONFIG_BANNER: &str = "Enter configuration commands, one per line. End with CNTL/Z.";

impl<W: Write> Shell<W> {
    pub fn new(store: Store, faults: Faults, out: W) -> io::Result<Shell<W>> {
        let mut shell = Shell {
            dev: Device::default(),
            factory: crate::store::read_factory(&store.factory_path()).map_err(io::Error::other)?,
            store,
            disk: String::new(),
            mode: None,
            sessions: BTreeMap::new(),
            session: None,
            faults,
            commands: 0,
            terminal_length: None,
            out,
        };
        let _lock = shell.store.lock()?;
        shell.refresh()?;
        Ok(shell)
    }

    pub fn prompt(&self) -> String {
        match &self.mode {
            None => format!("{}# ", self.dev.hostname),
            Some(mode) => format!(
                "{}({})# ",
                self.dev.hostname,
                mode.prompt(self.session.is_some())
            ),
        }
    }

    /// Whether the session is in a configuration mode.
    pub fn in_configuration(&self) -> bool {
        self.mode.is_some()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Lines per page, when set with `terminal length`.
    pub fn terminal_length(&self) -> Option<usize> {
        self.terminal_length
    }

    pub fn out(&mut self) -> &mut W {
        &mut self.out
    }

    /// Re-reads the state file when another session changed it; creates
    /// it (hostname = device name) when missing.
    fn refresh(&mut self) -> io::Result<()> {
        match fs::read_to_string(self.store.config_path()) {
            Ok(text) if text == self.disk => Ok(()),
            Ok(text) => {
                let (dev, skipped) = load(&text, &self.store.device, self.factory);
                for s in skipped {
                    eprintln!(
                        "liaison-nxos-sim: {}:{}: ignored `{}`: {}",
                        self.store.config_path().display(),
                        s.line,
                        s.text.trim(),
                        s.reason
                    );
                }
                self.dev = dev;
                self.disk = text;
                if !self.disk.starts_with(SHOW_RUN_HEADER) {
                    // A state file written by hand or by liaison: from now
                    // on it holds what the switch would print.
                    self.save()?;
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.dev = Device::blank(&self.store.device, self.factory);
                self.save()
            }
            Err(e) => Err(e),
        }
    }

    fn save(&mut self) -> io::Result<()> {
        let now = clock::now();
        self.dev.last_change = now.clone();
        let text = render::running_config(&self.dev, &now);
        write_atomic(&self.store.config_path(), &text)?;
        self.disk = text;
        Ok(())
    }

    fn print(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    fn print_error(&mut self, error: &CliError, echoed: bool) -> io::Result<()> {
        // The marker sits under the echoed line, after the prompt.
        let indent = if echoed {
            self.prompt().chars().count()
        } else {
            0
        };
        let lines = error.lines(indent);
        self.print(&lines)
    }

    /// Handles one line. `echoed`: the line was echoed after the prompt
    /// (interactive), which is where error markers point.
    pub fn handle(&mut self, raw: &str, echoed: bool) -> io::Result<Flow> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(Flow::Continue);
        }
        if self.faults.delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(self.faults.delay_ms));
        }
        let Some(mode) = self.mode.clone() else {
            return self.exec(text, echoed);
        };
        match text {
            "end" => {
                self.mode = None;
                return Ok(Flow::Continue);
            }
            "exit" => {
                self.mode = if mode == Mode::Config {
                    None
                } else {
                    mode.parent()
                };
                return Ok(Flow::Continue);
            }
            _ => {}
        }
        if let Some(rest) = text.strip_prefix("do ") {
            return self.exec(rest.trim(), echoed);
        }
        if text == "show" || text.starts_with("show ") {
            return self.exec(text, echoed);
        }
        if let Some(name) = self.session.clone() {
            match text {
                "verify" => return self.verify(&name, false),
                "commit" => return self.verify(&name, true),
                "abort" => {
                    self.sessions.remove(&name);
                    self.session = None;
                    self.mode = None;
                    return Ok(Flow::Continue);
                }
                _ => {}
            }
        }
        self.commands += 1;
        match &self.session {
            Some(name) => {
                // A session checks syntax now and everything else at
                // verify/commit time. Its command tree holds the ACL
                // feature only (Cisco's Session Manager guidelines).
                match parse(&mode, text, None).and_then(|parsed| {
                    if in_session_feature(&parsed.cmd) {
                        Ok(parsed)
                    } else {
                        Err(CliError::invalid(parsed.at))
                    }
                }) {
                    Ok(parsed) => {
                        self.mode = Some(parsed.next_mode());
                        let name = name.clone();
                        self.sessions
                            .entry(name)
                            .or_default()
                            .push((mode, text.to_string()));
                    }
                    Err(error) => self.print_error(&error, echoed)?,
                }
            }
            None => {
                let _lock = self.store.lock()?;
                self.refresh()?;
                let mut dev = self.dev.clone();
                match self.apply_line(&mut dev, &mode, text) {
                    Ok((parsed, messages)) => {
                        self.mode = Some(parsed.next_mode());
                        self.print(&messages)?;
                        if dev != self.dev {
                            self.dev = dev;
                            self.save()?;
                        }
                    }
                    Err(error) => self.print_error(&error, echoed)?,
                }
            }
        }
        if self
            .faults
            .drop_after_commands
            .is_some_and(|n| self.commands >= n)
        {
            self.out.flush()?;
            return Ok(Flow::Drop);
        }
        Ok(Flow::Continue)
    }

    /// Parses and applies one configuration line, unless the fault file
    /// rejects it.
    fn apply_line(
        &self,
        dev: &mut Device,
        mode: &Mode,
        text: &str,
    ) -> Result<(Parsed, Vec<String>), CliError> {
        self.check_reject(text)?;
        let parsed = parse(mode, text, None)?;
        let messages = apply(dev, &parsed, false)?;
        Ok((parsed, messages))
    }

    fn check_reject(&self, text: &str) -> Result<(), CliError> {
        match &self.faults.reject {
            Some(re) if re.is_match(text) => Err(CliError::invalid(0)),
            _ => Ok(()),
        }
    }

    /// `verify` or `commit`: replays the session on a copy of the running
    /// config; commit keeps the copy only if every command succeeded.
    fn verify(&mut self, name: &str, commit: bool) -> io::Result<Flow> {
        let _lock = self.store.lock()?;
        self.refresh()?;
        let mut dev = self.dev.clone();
        let lines = self.sessions.get(name).cloned().unwrap_or_default();
        let mut failure = None;
        for (mode, text) in &lines {
            if let Err(error) = self.apply_line(&mut dev, mode, text) {
                failure = Some((text.clone(), error));
                break;
            }
        }
        let verb = if commit { "commit" } else { "verify" };
        match failure {
            Some((text, error)) => {
                let mut out = vec![format!("Failed to {verb}: Command: {text}")];
                out.extend(error.lines(0).into_iter().filter(|l| l.trim() != "^"));
                out.push(format!(
                    "{} Failed",
                    if commit { "Commit" } else { "Verification" }
                ));
                self.print(&out)?;
            }
            None if commit => {
                if dev != self.dev {
                    self.dev = dev;
                    self.save()?;
                }
                self.sessions.remove(name);
                self.session = None;
                self.mode = None;
                self.print(&["Commit Successful".to_string()])?;
            }
            None => self.print(&["Verification Successful".to_string()])?,
        }
        Ok(Flow::Continue)
    }

    fn exec(&mut self, text: &str, echoed: bool) -> io::Result<Flow> {
        if let Err(error) = self.check_reject(text) {
            self.print_error(&error, echoed)?;
            return Ok(Flow::Continue);
        }
        let (text, filters) = match pipes(text) {
            Ok(split) => split,
            Err(error) => {
                self.print_error(&error, echoed)?;
                return Ok(Flow::Continue);
            }
        };
        let expanded = expand(text);
        let line = Line::new(&expanded);
        let words: Vec<&str> = (0..line.len()).filter_map(|i| line.tok(i)).collect();
        let result = match words.as_slice() {
            ["exit" | "quit" | "logout"] => return Ok(Flow::Logout),
            ["end"] => Ok(Vec::new()),
            ["terminal", "length", n] => match n.parse::<usize>() {
                Ok(n) if n <= 511 => {
                    self.terminal_length = Some(n);
                    Ok(Vec::new())
                }
                _ => Err(CliError::marker(
                    line.pos(2),
                    "Invalid number, range is (0:511)",
                )),
            },
            ["terminal", ..] => Ok(Vec::new()),
            ["configure"] | ["configure", "terminal"] => {
                self.mode = Some(Mode::Config);
                self.session = None;
                Ok(vec![CONFIG_BANNER.to_string()])
            }
            ["configure", "session", name] => {
                let id = self.sessions.len() + usize::from(!self.sessions.contains_key(*name));
                self.sessions.entry(name.to_string()).or_default();
                self.session = Some(name.to_string());
                self.mode = Some(Mode::Config);
                Ok(vec![
                    format!("Config Session started, Session ID is {id}"),
                    CONFIG_BANNER.to_string(),
                ])
            }
            ["show", "running-config"] => {
                self.refresh()?;
                let text = render::running_config(&self.dev, &clock::now());
                Ok(text.lines().map(str::to_string).collect())
            }
            ["show", "running-config", "all"] => {
                self.refresh()?;
                let text = render::show(&self.dev, &clock::now(), render::Detail::All);
                Ok(text.lines().map(str::to_string).collect())
            }
            ["show", "startup-config"] => match fs::read_to_string(self.store.startup_path()) {
                // Saved as show-run text; printed under its own command.
                Ok(text) => Ok(text
                    .lines()
                    .map(|l| match l {
                        "!Command: show running-config" => "!Command: show startup-config".into(),
                        _ => l.to_string(),
                    })
                    .collect()),
                Err(_) => Err(CliError::message("No startup configuration")),
            },
            // Only with `feature vpc`: without it NX-OS has no such command.
            ["show", "vpc"] | ["show", "vpc", "brief"] if self.vpc_enabled()? => {
                Ok(self.vpc_state().show())
            }
            ["show", "vpc", "consistency-parameters", "global"] if self.vpc_enabled()? => {
                Ok(self.vpc_state().consistency())
            }
            ["show", "version"] => Ok(self.version()),
            ["show", "hostname"] => Ok(vec![self.dev.hostname.clone()]),
            ["show", "checkpoint", "summary"] => Ok(self.checkpoint_summary()),
            ["show", "checkpoint", name] => {
                match fs::read_to_string(self.store.checkpoint_path(name)) {
                    Ok(text) => Ok(text.lines().map(str::to_string).collect()),
                    Err(_) => Err(CliError::message("ERROR: Checkpoint name not found")),
                }
            }
            ["show", "configuration", "session", rest @ ..] => {
                Ok(self.show_sessions(rest.first().copied()))
            }
            ["checkpoint", name, rest @ ..] if rest.is_empty() || rest[0] == "description" => {
                self.checkpoint(name)
            }
            ["no", "checkpoint", name] => match fs::remove_file(self.store.checkpoint_path(name)) {
                Ok(()) => Ok(Vec::new()),
                Err(_) => Err(CliError::message("ERROR: Checkpoint name not found")),
            },
            ["rollback", "running-config", "checkpoint", name, how @ ..]
                if how.len() <= 1
                    && how.iter().all(|h| {
                        matches!(
                            *h,
                            "atomic" | "best-effort" | "stop-at-first-failure" | "verbose"
                        )
                    }) =>
            {
                self.rollback(name)
            }
            ["copy", "running-config", "startup-config"] => {
                self.refresh()?;
                let text = render::running_config(&self.dev, &clock::now());
                write_atomic(&self.store.startup_path(), &text)?;
                Ok(vec![
                    "[########################################] 100%".to_string(),
                    "Copy complete, now saving to disk (please wait)...".to_string(),
                    "Copy complete.".to_string(),
                ])
            }
            [] => Ok(Vec::new()),
            _ => Err(exec_error(&line, &words)),
        };
        match result {
            Ok(lines) => {
                let shown: Vec<String> = lines
                    .into_iter()
                    .filter(|l| filters.iter().all(|f| f.keeps(l)))
                    .collect();
                self.print(&shown)?
            }
            Err(error) => self.print_error(&error, echoed)?,
        }
        Ok(Flow::Continue)
    }

    /// Whether `feature vpc` is on, from the state file as it is now.
    fn vpc_enabled(&mut self) -> io::Result<bool> {
        self.refresh()?;
        Ok(self.dev.features.contains("vpc"))
    }

    fn vpc_state(&self) -> crate::vpc::State {
        let restore = Duration::from_millis(self.faults.vpc_restore_ms);
        crate::vpc::State::of(&self.store, &self.dev, restore)
    }

    fn version(&self) -> Vec<String> {
        [
            "Cisco Nexus Operating System (NX-OS) Software",
            "TAC support: http://www.cisco.com/tac",
            "Copyright (C) 2002-2021, Cisco and/or its affiliates.",
            "All rights reserved.",
            "This is liaison-nxos-sim, a simulator for tests: not Cisco software.",
            "",
            "Software",
            "  BIOS: version 05.45",
            "  NXOS: version 9.3(8)",
            "  NXOS image file is: bootflash:///nxos.9.3.8.bin",
            "",
            "Hardware",
            "  cisco Nexus9000 C93180YC-FX Chassis",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("  Device name: {}", self.dev.hostname)])
        .collect()
    }

    fn checkpoint_summary(&self) -> Vec<String> {
        let mut out = vec!["User Checkpoint Summary".to_string()];
        out.push("-".repeat(72));
        for (i, name) in self.store.checkpoints().iter().enumerate() {
            let size = fs::metadata(self.store.checkpoint_path(name)).map_or(0, |m| m.len());
            out.push(format!("{}) {name}:", i + 1));
            out.push("Created by admin".to_string());
            out.push(format!("Size is {size} bytes"));
            out.push("Description: None".to_string());
            out.push(String::new());
        }
        out
    }

    fn show_sessions(&self, name: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        for (session, lines) in &self.sessions {
            if name.is_some_and(|n| n != session) {
                continue;
            }
            out.push(format!("config session name {session}"));
            out.extend(lines.iter().map(|(_, l)| l.clone()));
            out.push(String::new());
        }
        out
    }

    fn checkpoint(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let valid = name.len() <= 80
            && !name.starts_with("system")
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !valid {
            return Err(CliError::message("ERROR: Invalid checkpoint name"));
        }
        let path = self.store.checkpoint_path(name);
        if path.exists() {
            return Err(CliError::message(
                "ERROR: Checkpoint name is already in use",
            ));
        }
        self.refresh().map_err(io_error)?;
        fs::create_dir_all(self.store.checkpoint_dir()).map_err(io_error)?;
        let text = render::running_config(&self.dev, &clock::now());
        write_atomic(&path, &text).map_err(io_error)?;
        Ok(vec![".......Done".to_string()])
    }

    /// Restores a checkpoint exactly (the whole configuration), atomically.
    fn rollback(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let text = fs::read_to_string(self.store.checkpoint_path(name))
            .map_err(|_| CliError::message("ERROR: Checkpoint name not found"))?;
        let _lock = self.store.lock().map_err(io_error)?;
        let (dev, skipped) = load(&text, &self.store.device, self.factory);
        if let Some(s) = skipped.first() {
            return Err(CliError::message(format!(
                "Rollback failed: line {}: `{}`: {}",
                s.line,
                s.text.trim(),
                s.reason
            )));
        }
        self.dev = dev;
        self.save().map_err(io_error)?;
        Ok([
            "Note: Applying config parallelly may fail Rollback verification",
            "Collecting Running-Config",
            "#Generating Rollback Patch",
            "Executing Rollback Patch",
            "Generating Running-config for verification",
            "Generating Patch for verification",
            "Rollback completed successfully.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect())
    }
}

fn io_error(e: io::Error) -> CliError {
    CliError::message(format!("ERROR: {e}"))
}

/// An output filter after `|`: `include REGEX` or `exclude REGEX` (the
/// pattern may be quoted, as in `| include "system default"`).
struct Filter {
    keep: bool,
    pattern: regex::Regex,
}

impl Filter {
    fn keeps(&self, line: &str) -> bool {
        self.pattern.is_match(line) == self.keep
    }
}

/// Splits `show … | include X | exclude Y` into the command and its
/// filters (a `|` inside quotes is part of the pattern).
fn pipes(text: &str) -> Result<(&str, Vec<Filter>), CliError> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '|' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    let command = parts[0].trim_end();
    let mut filters = Vec::new();
    for part in &parts[1..] {
        let part = part.trim();
        let (verb, pattern) = part.split_once(' ').unwrap_or((part, ""));
        let keep = match verb {
            "include" | "inc" | "grep" => true,
            "exclude" | "exc" => false,
            _ => return Err(CliError::invalid(command.len() + 3)),
        };
        let pattern = pattern.trim();
        let pattern = pattern
            .strip_prefix('"')
            .and_then(|p| p.strip_suffix('"'))
            .unwrap_or(pattern);
        if pattern.is_empty() {
            return Err(CliError::incomplete(text.len()));
        }
        let pattern = regex::Regex::new(pattern)
            .map_err(|_| CliError::message("ERROR: Invalid regular expression"))?;
        filters.push(Filter { keep, pattern });
    }
    Ok((command, filters))
}

/// Abbreviations operators type in exec mode (`conf t`, `sh run`,
/// `copy run start`).
fn expand(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let first = words.first().copied();
        let full = match (i, *word) {
            (0, "conf" | "config") => "configure",
            (0, "sh") => "show",
            (1, "t" | "term") if matches!(first, Some("conf" | "config" | "configure")) => {
                "terminal"
            }
            (_, "run") if i > 0 => "running-config",
            (_, "start") if i > 0 => "startup-config",
            (1, "ver") => "version",
            _ => word,
        };
        out.push(full);
    }
    out.join(" ")
}

/// Where an unknown exec command stops making sense.
fn exec_error(line: &Line, words: &[&str]) -> CliError {
    const KNOWN: &[&str] = &[
        "show",
        "configure",
        "checkpoint",
        "rollback",
        "copy",
        "terminal",
        "no",
        "exit",
        "end",
    ];
    let at = if words.first().is_some_and(|w| KNOWN.contains(w)) {
        words.len().min(1)
    } else {
        0
    };
    CliError::invalid(line.pos(at))
}

/// Whether a configure session takes the command: NX-OS's Session Manager
/// supports only the ACL feature (access lists, object-groups, and binding
/// them on interfaces).
fn in_session_feature(cmd: &Cmd) -> bool {
    matches!(
        cmd,
        Cmd::AccessList(_)
            | Cmd::NoAccessList(_)
            | Cmd::ObjectGroup(..)
            | Cmd::NoObjectGroup(..)
            | Cmd::Statistics(_)
            | Cmd::Entry { .. }
            | Cmd::NoSeq(_)
            | Cmd::NoEntry(_)
            | Cmd::Interface(_)
            | Cmd::AccessGroup { .. }
    )
}

impl crate::sim::runner::Cli for Shell<Vec<u8>> {
    fn prompt(&self) -> String {
        Shell::prompt(self)
    }

    fn handle(&mut self, line: &str, echoed: bool) -> io::Result<Flow> {
        Shell::handle(self, line, echoed)
    }

    fn in_configuration(&self) -> bool {
        Shell::in_configuration(self)
    }

    fn store(&self) -> &Store {
        Shell::store(self)
    }

    fn terminal_length(&self) -> Option<usize> {
        Shell::terminal_length(self)
    }

    fn output(&mut self) -> &mut Vec<u8> {
        self.out()
    }
}

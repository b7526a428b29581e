//! The EOS CLI: exec (`NAME>`, `enable` → `NAME#`), configuration modes
//! (`NAME(config)#`, `NAME(config-if-Et1)#` …), configuration sessions
//! (`NAME(config-s-SESS)#`, `NAME(config-s-SESS-if-Et1)#`) with commit
//! timers, with the device's state re-read from and written to its state
//! file around every command.

use std::fs;
use std::io::{self, Write};
use std::time::Duration;

use crate::clock;
use crate::command::{self, parse, CliError, Grammar, Matched, Op};
use crate::config::{self, hide_interface_defaults, Block, Config, Hardware, Node};
use crate::mlag::Mlag;
use crate::sessions::{Sessions, State};
use crate::sim::faults::Faults;
use crate::sim::runner::{Cli, Flow};
use crate::sim::state::{write_atomic, Store};
use crate::sim::vlans::{self, VlanSet};

/// What `show version` and the running config's header name (a 7050X3
/// leaf; the version is one of EOS 4.28's, as a label only).
pub const MODEL: &str = "DCS-7050SX3-48YC8";
pub const VERSION: &str = "4.28.3M";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Config,
    Interface(String),
    Vlan(Vec<u16>),
    AccessList { name: String, standard: bool },
    Mlag,
    Vrf(String),
    MstConfig,
}

impl Mode {
    fn prompt(&self) -> String {
        match self {
            Mode::Config => String::new(),
            Mode::Interface(name) => format!("-if-{}", command::short_interface(name)),
            Mode::Vlan(ids) => format!("-vlan-{}", vlans::format(&ids.iter().copied().collect())),
            Mode::AccessList { name, standard } => {
                format!("-{}acl-{name}", if *standard { "std-" } else { "" })
            }
            Mode::Mlag => "-mlag".to_string(),
            Mode::Vrf(name) => format!("-vrf-{name}"),
            Mode::MstConfig => "-mst".to_string(),
        }
    }

    fn grammar(&self) -> Grammar<Op> {
        match self {
            Mode::Config => command::GLOBAL,
            Mode::Interface(_) => command::INTERFACE,
            Mode::Vlan(_) => command::VLAN,
            Mode::AccessList {
                standard: false, ..
            } => command::ACCESS_LIST,
            Mode::AccessList { standard: true, .. } => command::STANDARD_ACCESS_LIST,
            Mode::Mlag => command::MLAG,
            Mode::Vrf(_) => command::VRF,
            Mode::MstConfig => command::MST_CONFIG,
        }
    }

    /// The block lines the mode edits.
    fn blocks(&self) -> Vec<(Block, String)> {
        match self {
            Mode::Config => Vec::new(),
            Mode::Interface(name) => vec![(Block::Interface, format!("interface {name}"))],
            Mode::Vlan(ids) => ids
                .iter()
                .map(|id| (Block::Vlan, format!("vlan {id}")))
                .collect(),
            Mode::AccessList { name, standard } => vec![(
                Block::AccessList,
                format!(
                    "ip access-list {}{name}",
                    if *standard { "standard " } else { "" }
                ),
            )],
            Mode::Mlag => vec![(Block::Mlag, "mlag configuration".to_string())],
            Mode::Vrf(name) => vec![(Block::Vrf, format!("vrf instance {name}"))],
            Mode::MstConfig => vec![(
                Block::MstConfig,
                "spanning-tree mst configuration".to_string(),
            )],
        }
    }
}

/// Exec commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exec {
    Enable,
    Disable,
    Exit,
    TerminalLength,
    Nothing,
    Configure,
    Session,
    SessionCommit,
    SessionAbort,
    ShowRun,
    ShowStartup,
    ShowVersion,
    ShowHostname,
    ShowClock,
    ShowSessions,
    ShowSessionConfig,
    ShowSessionDiffs,
    ShowNamedSessionConfig,
    ShowNamedSessionDiffs,
    ShowMlag,
    ShowMlagDetail,
    ShowMlagInterfaces,
    ShowMlagSanity,
    Copy,
}

const EXEC: Grammar<Exec> = &[
    ("enable", Exec::Enable),
    ("disable", Exec::Disable),
    ("exit", Exec::Exit),
    ("logout", Exec::Exit),
    ("quit", Exec::Exit),
    ("terminal length <n:0-32767>", Exec::TerminalLength),
    ("terminal width <n:10-32767>", Exec::Nothing),
    ("terminal dont-ask", Exec::Nothing),
    ("configure", Exec::Configure),
    ("configure terminal", Exec::Configure),
    ("configure session", Exec::Session),
    ("configure session <word>", Exec::Session),
    ("no configure session <word>", Exec::SessionAbort),
    ("configure session <word> commit", Exec::SessionCommit),
    ("configure session <word> abort", Exec::SessionAbort),
    ("show running-config", Exec::ShowRun),
    ("show startup-config", Exec::ShowStartup),
    ("show version", Exec::ShowVersion),
    ("show hostname", Exec::ShowHostname),
    ("show clock", Exec::ShowClock),
    ("show configuration sessions", Exec::ShowSessions),
    ("show configuration sessions detail", Exec::ShowSessions),
    ("show session-config", Exec::ShowSessionConfig),
    ("show session-config diffs", Exec::ShowSessionDiffs),
    (
        "show session-config named <word>",
        Exec::ShowNamedSessionConfig,
    ),
    (
        "show session-config named <word> diffs",
        Exec::ShowNamedSessionDiffs,
    ),
    ("show mlag", Exec::ShowMlag),
    ("show mlag detail", Exec::ShowMlagDetail),
    ("show mlag interfaces", Exec::ShowMlagInterfaces),
    ("show mlag config-sanity", Exec::ShowMlagSanity),
    ("copy running-config startup-config", Exec::Copy),
    ("write memory", Exec::Copy),
    ("write", Exec::Copy),
];

/// What an unprivileged (`NAME>`) session may run.
fn unprivileged(op: Exec) -> bool {
    matches!(
        op,
        Exec::Enable
            | Exec::Exit
            | Exec::TerminalLength
            | Exec::Nothing
            | Exec::ShowVersion
            | Exec::ShowHostname
            | Exec::ShowClock
    )
}

pub struct Shell {
    store: Store,
    faults: Faults,
    /// The ports the hardware has (`NAME.factory`): EOS lists each in
    /// `show running-config`, configured or not.
    hardware: Hardware,
    privileged: bool,
    /// None in exec mode.
    mode: Option<Mode>,
    /// The configuration session the mode belongs to, if any.
    session: Option<String>,
    /// Configuration commands seen, for `drop_after_commands`.
    commands: u64,
    terminal_length: Option<usize>,
    out: Vec<u8>,
}

impl Shell {
    pub fn new(store: Store, faults: Faults) -> io::Result<Shell> {
        let shell = Shell {
            hardware: read_factory(&store.dir.join(format!("{}.factory", store.device)))
                .map_err(io::Error::other)?,
            privileged: !faults.unprivileged_login,
            store,
            faults,
            mode: None,
            session: None,
            commands: 0,
            terminal_length: None,
            out: Vec::new(),
        };
        {
            let _lock = shell.store.lock()?;
            shell.expire_timers()?;
            shell.running()?;
        }
        if shell.cut_off()? {
            // Unreachable: answer nothing until the client gives up.
            io::copy(&mut io::stdin(), &mut io::sink())?;
            return Err(io::Error::other(
                "cut off by a committed change (the cut_off_by_commit fault)",
            ));
        }
        Ok(shell)
    }

    /// Where the session whose commit cut the switch off is named (the
    /// `cut_off_by_commit` fault).
    fn cut_off_path(&self) -> std::path::PathBuf {
        self.store.dir.join(format!("{}.cutoff", self.store.device))
    }

    /// Whether a committed change still cuts the switch off: its commit
    /// timer has not run out (nor been confirmed or aborted).
    fn cut_off(&self) -> io::Result<bool> {
        let Ok(name) = fs::read_to_string(self.cut_off_path()) else {
            return Ok(false);
        };
        if self.sessions().timer(name.trim()).is_some() {
            return Ok(true);
        }
        fs::remove_file(self.cut_off_path())?;
        Ok(false)
    }

    /// A config as this device holds it: with every front-panel port.
    fn load(&self, text: &str) -> Config {
        let mut config = config::load(text);
        config.ensure_ports(&self.hardware);
        config
    }

    fn clock_path(&self) -> std::path::PathBuf {
        self.store.dir.join(format!("{}.clock", self.store.device))
    }

    fn now(&self) -> io::Result<u64> {
        clock::now(&self.clock_path()).map_err(io::Error::other)
    }

    fn sessions(&self) -> Sessions<'_> {
        Sessions { store: &self.store }
    }

    /// The running config, from the state file; created (hostname = the
    /// device name) when missing, rewritten as EOS prints it when it was
    /// written by hand or by liaison.
    fn running(&self) -> io::Result<Config> {
        match fs::read_to_string(self.store.config_path()) {
            Ok(text) => {
                let config = self.load(&text);
                let shown = self.show_run(&config);
                if shown != text {
                    write_atomic(&self.store.config_path(), &shown)?;
                }
                Ok(config)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mut config = Config::blank(&self.store.device);
                config.ensure_ports(&self.hardware);
                self.save_running(&config)?;
                Ok(config)
            }
            Err(e) => Err(e),
        }
    }

    fn save_running(&self, config: &Config) -> io::Result<()> {
        write_atomic(&self.store.config_path(), &self.show_run(config))
    }

    /// `show running-config` for `config`.
    fn show_run(&self, config: &Config) -> String {
        let hostname = config.hostname().unwrap_or(&self.store.device);
        format!(
            "{}\n! device: {hostname} ({MODEL}, EOS-{VERSION})\n{}",
            config::COMMAND_HEADER,
            config.body()
        )
    }

    /// Rolls back every commit whose timer has run out (EOS does it by
    /// itself when the timer expires; the simulator, having no process
    /// between sessions, does it when the device is next used). Under the
    /// device lock.
    fn expire_timers(&self) -> io::Result<()> {
        let now = self.now()?;
        let sessions = self.sessions();
        for (name, state) in sessions.list() {
            if let State::PendingCommitTimer(deadline) = state {
                if now >= deadline {
                    if let Some((_, rollback)) = sessions.timer(&name) {
                        write_atomic(&self.store.config_path(), &rollback)?;
                    }
                    sessions.finish(&name)?;
                }
            }
        }
        Ok(())
    }

    fn hostname(&self) -> String {
        fs::read_to_string(self.store.config_path())
            .ok()
            .and_then(|t| self.load(&t).hostname().map(str::to_string))
            .unwrap_or_else(|| self.store.device.clone())
    }

    fn print(&mut self, lines: &[String]) -> io::Result<()> {
        for line in lines {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    fn print_error(&mut self, error: &CliError) -> io::Result<()> {
        let text = error.text();
        self.print(&[text])
    }

    pub fn handle(&mut self, raw: &str, _echoed: bool) -> io::Result<Flow> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(Flow::Continue);
        }
        if self.faults.delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(self.faults.delay_ms));
        }
        {
            let _lock = self.store.lock()?;
            self.expire_timers()?;
        }
        let Some(mode) = self.mode.clone() else {
            return self.exec(text);
        };
        match text {
            "end" => {
                self.mode = None;
                self.session = None;
                return Ok(Flow::Continue);
            }
            "exit" => {
                if mode == Mode::Config {
                    self.mode = None;
                    self.session = None;
                } else {
                    self.mode = Some(Mode::Config);
                }
                return Ok(Flow::Continue);
            }
            _ => {}
        }
        if let Some(rest) = text.strip_prefix("do ") {
            return self.exec(rest.trim());
        }
        if text == "show" || text.starts_with("show ") {
            return self.exec(text);
        }
        if let Some(name) = self.session.clone() {
            let words: Vec<&str> = text.split_whitespace().collect();
            match words.as_slice() {
                ["commit"] => return self.commit(&name, None),
                ["commit", "timer", time] => {
                    return match command::timer(time) {
                        Some(secs) => self.commit(&name, Some(secs)),
                        None => {
                            self.print_error(&CliError::Invalid {
                                token: 2,
                                word: time.to_string(),
                            })?;
                            Ok(Flow::Continue)
                        }
                    };
                }
                ["commit", "timer"] => {
                    self.print_error(&CliError::Incomplete)?;
                    return Ok(Flow::Continue);
                }
                ["abort"] => {
                    let _lock = self.store.lock()?;
                    self.sessions().discard(&name)?;
                    self.mode = None;
                    self.session = None;
                    return Ok(Flow::Continue);
                }
                _ => {}
            }
        }
        self.commands += 1;
        let result = self.configure(&mode, text);
        if let Err(error) = result {
            self.print_error(&error)?;
        }
        if self
            .faults
            .drop_after_commands
            .is_some_and(|n| self.commands >= n)
        {
            return Ok(Flow::Drop);
        }
        Ok(Flow::Continue)
    }

    /// Parses and applies one configuration line to the running config,
    /// or to the session's config in a session.
    fn configure(&mut self, mode: &Mode, text: &str) -> Result<(), CliError> {
        if self
            .faults
            .reject
            .as_ref()
            .is_some_and(|re| re.is_match(text))
        {
            return Err(CliError::first_word(text));
        }
        let (matched, mode) = match parse(mode.grammar(), text) {
            Ok(m) => (m, mode.clone()),
            // A command the sub-mode lacks goes to the global mode, as on
            // the switch.
            Err(error) if *mode != Mode::Config => match parse(command::GLOBAL, text) {
                Ok(m) => (m, Mode::Config),
                Err(_) => return Err(error),
            },
            Err(error) => return Err(error),
        };
        let _lock = self.store.lock().map_err(io_error)?;
        let mut config = match &self.session {
            Some(name) => self.load(&self.sessions().config(name).unwrap_or_default()),
            None => self.running().map_err(io_error)?,
        };
        let before = config.clone();
        let next = apply(&mut config, &mode, &matched)?;
        // `no interface EthernetN` leaves the port, unconfigured.
        config.ensure_ports(&self.hardware);
        if config != before {
            match &self.session {
                Some(name) => self
                    .sessions()
                    .write_config(name, &self.show_run(&config))
                    .map_err(io_error)?,
                None => self.save_running(&config).map_err(io_error)?,
            }
        }
        self.mode = Some(next);
        Ok(())
    }

    /// `commit` or `commit timer`: the session's config becomes the
    /// running config; with a timer, the old one comes back when the
    /// timer runs out unless confirmed. Refused while another session's
    /// commit waits for its confirmation.
    fn commit(&mut self, name: &str, timer: Option<u64>) -> io::Result<Flow> {
        let _lock = self.store.lock()?;
        let sessions = self.sessions();
        if let Some(other) = sessions.other_timer(name) {
            // Guess at the wording: EOS refuses a commit while another
            // session's commit timer runs.
            let message = format!(
                "% Cannot commit session {name}: session {other} has a pending commit timer"
            );
            self.print(&[message])?;
            return Ok(Flow::Continue);
        }
        let candidate = sessions.config(name).unwrap_or_default();
        let old = fs::read_to_string(self.store.config_path()).unwrap_or_default();
        let new = self.load(&candidate);
        match timer {
            Some(secs) => {
                let deadline = self.now()? + secs;
                sessions.start_timer(name, deadline, &old)?;
                self.save_running(&new)?;
                if self.faults.cut_off_by_commit {
                    fs::write(self.cut_off_path(), name)?;
                    self.mode = None;
                    self.session = None;
                    return Ok(Flow::Drop);
                }
            }
            None => {
                self.save_running(&new)?;
                sessions.finish(name)?;
            }
        }
        self.mode = None;
        self.session = None;
        Ok(Flow::Continue)
    }

    fn exec(&mut self, text: &str) -> io::Result<Flow> {
        if self
            .faults
            .reject
            .as_ref()
            .is_some_and(|re| re.is_match(text))
        {
            self.print_error(&CliError::first_word(text))?;
            return Ok(Flow::Continue);
        }
        // The exec commands of this release: those the `lacks` fault names
        // are unknown to it, refused as the parser refuses any unknown
        // word (`% Invalid input (at token 2: 'config-sanity')`).
        let known: Vec<(&'static str, Exec)> = EXEC
            .iter()
            .filter(|(pattern, _)| !self.faults.lacks.iter().any(|l| l == pattern))
            .copied()
            .collect();
        let matched = match parse(&known, text) {
            Ok(m) => m,
            Err(error) => {
                self.print_error(&error)?;
                return Ok(Flow::Continue);
            }
        };
        if !self.privileged && !unprivileged(matched.op) {
            // Guess at the wording for a privileged command at `NAME>`.
            self.print(&["% Invalid input (privileged mode required)".to_string()])?;
            return Ok(Flow::Continue);
        }
        let arg = matched.args.first().cloned().unwrap_or_default();
        let result: Result<Vec<String>, CliError> = match matched.op {
            Exec::Enable => {
                self.privileged = true;
                Ok(Vec::new())
            }
            Exec::Disable => {
                self.privileged = false;
                Ok(Vec::new())
            }
            Exec::Exit => return Ok(Flow::Logout),
            Exec::TerminalLength => {
                self.terminal_length = arg.parse().ok();
                Ok(Vec::new())
            }
            Exec::Nothing => Ok(Vec::new()),
            Exec::Configure => {
                self.mode = Some(Mode::Config);
                self.session = None;
                Ok(Vec::new())
            }
            Exec::Session if matched.args.is_empty() => {
                // A system-named session, as EOS names them
                // (`sess-PID-ID-0`).
                let name = format!("sess-{}-{}-0", std::process::id(), self.now()?);
                self.enter_session(&name)
            }
            Exec::Session => self.enter_session(&arg),
            Exec::SessionCommit => self.confirm(&arg),
            Exec::SessionAbort => self.abort(&arg),
            Exec::ShowRun => {
                let _lock = self.store.lock()?;
                let config = self.running()?;
                Ok(lines(&self.show_run(&config)))
            }
            Exec::ShowStartup => match fs::read_to_string(self.store.startup_path()) {
                Ok(text) => Ok(lines(&text.replacen(
                    config::COMMAND_HEADER,
                    "! Command: show startup-config",
                    1,
                ))),
                Err(_) => Err(CliError::Message(
                    "% Startup-config file does not exist".to_string(),
                )),
            },
            Exec::ShowVersion => Ok(self.version()),
            Exec::ShowHostname => {
                let host = self.hostname();
                Ok(vec![
                    format!("Hostname: {host}"),
                    format!("FQDN:     {host}"),
                ])
            }
            Exec::ShowClock => Ok(vec![format!("{} seconds since the epoch", self.now()?)]),
            Exec::ShowSessions => Ok(self.show_sessions()?),
            Exec::ShowSessionConfig | Exec::ShowSessionDiffs => match self.session.clone() {
                Some(name) => self.session_config(&name, matched.op == Exec::ShowSessionDiffs),
                // Outside a session EOS has no session to show (guess at
                // the wording).
                None => Err(CliError::Message("% Not in a configuration session".into())),
            },
            Exec::ShowNamedSessionConfig | Exec::ShowNamedSessionDiffs => {
                self.session_config(&arg, matched.op == Exec::ShowNamedSessionDiffs)
            }
            Exec::ShowMlag
            | Exec::ShowMlagDetail
            | Exec::ShowMlagInterfaces
            | Exec::ShowMlagSanity => {
                let _lock = self.store.lock()?;
                let config = self.running()?;
                Mlag::of(&self.store, &config, &self.faults)
                    .map(|mlag| match matched.op {
                        Exec::ShowMlag => mlag.show(),
                        Exec::ShowMlagDetail => mlag.detail(),
                        Exec::ShowMlagInterfaces => mlag.interfaces(),
                        _ => mlag.config_sanity(),
                    })
                    .map_err(CliError::Message)
            }
            Exec::Copy => {
                let _lock = self.store.lock()?;
                let config = self.running()?;
                write_atomic(&self.store.startup_path(), &self.show_run(&config))?;
                Ok(vec!["Copy completed successfully.".to_string()])
            }
        };
        match result {
            Ok(out) => self.print(&out)?,
            Err(error) => self.print_error(&error)?,
        }
        Ok(Flow::Continue)
    }

    fn enter_session(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let _lock = self.store.lock().map_err(io_error)?;
        let sessions = self.sessions();
        if sessions.timer(name).is_some() {
            // Guess at the wording: a session whose commit waits for its
            // confirmation cannot be edited.
            return Err(CliError::Message(format!(
                "% Cannot enter session {name}: a commit timer is pending; commit or abort it"
            )));
        }
        if sessions.config(name).is_none() {
            let running = self.running().map_err(io_error)?;
            sessions
                .write_config(name, &self.show_run(&running))
                .map_err(io_error)?;
        }
        self.session = Some(name.to_string());
        self.mode = Some(Mode::Config);
        Ok(Vec::new())
    }

    /// `configure session NAME commit` from exec: confirms a commit timer,
    /// or commits a pending session.
    fn confirm(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let sessions = self.sessions();
        if sessions.timer(name).is_some() {
            let _lock = self.store.lock().map_err(io_error)?;
            sessions.finish(name).map_err(io_error)?;
            return Ok(Vec::new());
        }
        if sessions.config(name).is_some() {
            self.commit(name, None).map_err(io_error)?;
            return Ok(Vec::new());
        }
        Err(no_session(name))
    }

    /// `configure session NAME abort` from exec: a commit waiting for its
    /// confirmation is rolled back at once; a pending session dropped.
    fn abort(&mut self, name: &str) -> Result<Vec<String>, CliError> {
        let _lock = self.store.lock().map_err(io_error)?;
        let sessions = self.sessions();
        if let Some((_, rollback)) = sessions.timer(name) {
            write_atomic(&self.store.config_path(), &rollback).map_err(io_error)?;
            sessions.discard(name).map_err(io_error)?;
            return Ok(Vec::new());
        }
        if sessions.config(name).is_some() {
            sessions.discard(name).map_err(io_error)?;
            return Ok(Vec::new());
        }
        Err(no_session(name))
    }

    /// `show session-config [diffs]`: the session's config, or its
    /// difference from the running config as a unified diff with EOS's
    /// file names (`--- system:/running-config`, `+++
    /// session:/NAME-session-config`, as pyeapi's documentation shows).
    fn session_config(&self, name: &str, diffs: bool) -> Result<Vec<String>, CliError> {
        let _lock = self.store.lock().map_err(io_error)?;
        let candidate = self
            .sessions()
            .config(name)
            .ok_or_else(|| no_session(name))?;
        let candidate = self.show_run(&self.load(&candidate));
        if !diffs {
            return Ok(lines(&candidate));
        }
        let running = self.show_run(&self.running().map_err(io_error)?);
        let diff = similar::TextDiff::from_lines(&running, &candidate);
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(
                "system:/running-config",
                &format!("session:/{name}-session-config"),
            )
            .to_string();
        Ok(lines(&text))
    }

    /// `show configuration sessions`: every session and its state, a
    /// commit timer's time left; `*` marks this CLI's session. The
    /// layout follows the EOS manual's example; the time-left column is
    /// a guess at where EOS shows it.
    fn show_sessions(&self) -> io::Result<Vec<String>> {
        let now = self.now()?;
        let mut out = vec![
            "Maximum number of completed sessions: 1".to_string(),
            "Maximum number of pending sessions: 5".to_string(),
            String::new(),
            format!(
                "   {:<16} {:<20} {:<16}",
                "Name", "State", "Commit Time Left"
            ),
            format!(
                "   {:<16} {:<20} {:<16}",
                "-".repeat(16),
                "-".repeat(20),
                "-".repeat(16)
            ),
        ];
        for (name, state) in self.sessions().list() {
            let current = if self.session.as_deref() == Some(name.as_str()) {
                "*"
            } else {
                " "
            };
            let (state, left) = match state {
                State::Pending => ("pending".to_string(), String::new()),
                State::PendingCommitTimer(deadline) => (
                    "pendingCommitTimer".to_string(),
                    clock::hms(deadline.saturating_sub(now)),
                ),
                State::Completed => ("completed".to_string(), String::new()),
            };
            out.push(
                format!(" {current} {name:<16} {state:<20} {left}")
                    .trim_end()
                    .to_string(),
            );
        }
        Ok(out)
    }

    fn version(&self) -> Vec<String> {
        vec![
            format!("Arista {MODEL}"),
            "Hardware version: 11.00".to_string(),
            "Serial number: SIM00000000".to_string(),
            "This is liaison-eos-sim, a simulator for tests: not Arista software.".to_string(),
            String::new(),
            format!("Software image version: {VERSION}"),
            "Architecture: x86_64".to_string(),
        ]
    }
}

/// The device's hardware, from `NAME.factory` (`key = value` lines):
/// `ethernet_ports = N` (SFP ports Ethernet1..N), `lane_ports = A-B`
/// (ports with lanes EthernetA/1..EthernetB/1), `management_ports = N`
/// (Management1..N); each defaults to none (the ports the config names);
/// `system_mac = XX:XX:XX:XX:XX:XX` (the switch's own MAC, which the MLAG
/// election compares; see `mlag.rs`). A missing file is the defaults.
pub fn read_factory(path: &std::path::Path) -> Result<Hardware, String> {
    let mut hardware = Hardware::default();
    crate::sim::state::read_settings(path, |key, value| {
        match key {
            "ethernet_ports" => hardware.ethernet_ports = crate::sim::state::number(value)?,
            "lane_ports" => {
                let (a, b) = value.split_once('-').ok_or("not FIRST-LAST")?;
                let (a, b) = (crate::sim::state::number(a)?, crate::sim::state::number(b)?);
                if a > b {
                    return Err("FIRST after LAST".into());
                }
                hardware.lane_ports = Some((a, b));
            }
            "management_ports" => hardware.management_ports = crate::sim::state::number(value)?,
            "system_mac" => hardware.system_mac = Some(mac(value)?),
            _ => return Err("unknown setting".into()),
        }
        Ok(())
    })?;
    Ok(hardware)
}

/// `XX:XX:XX:XX:XX:XX`, six hexadecimal bytes.
fn mac(text: &str) -> Result<[u8; 6], String> {
    let bytes: Vec<u8> = text
        .split(':')
        .map(|b| u8::from_str_radix(b, 16).map_err(|_| "not XX:XX:XX:XX:XX:XX".to_string()))
        .collect::<Result<_, _>>()?;
    bytes
        .try_into()
        .map_err(|_| "not XX:XX:XX:XX:XX:XX".to_string())
}

fn no_session(name: &str) -> CliError {
    // Guess at the wording.
    CliError::Message(format!("% Session {name} does not exist"))
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

fn io_error(e: io::Error) -> CliError {
    CliError::Message(format!("% Error: {e}"))
}

/// The key a `Set`/`Unset` replaces: given, or (for a key of "") the
/// command without its value (`spanning-tree mst 0 priority`).
fn key_of(key: &'static str, line: &str) -> String {
    if !key.is_empty() {
        return key.to_string();
    }
    let line = line.strip_prefix("no ").unwrap_or(line);
    match line.rsplit_once(' ') {
        Some((head, last)) if last.parse::<u64>().is_ok() => head.to_string(),
        _ => line.to_string(),
    }
}

fn keyed(key: &str) -> impl Fn(&str) -> bool + '_ {
    move |l: &str| l == key || l.starts_with(&format!("{key} "))
}

/// Applies a matched command in `mode`; the mode it leads to.
pub fn apply(config: &mut Config, mode: &Mode, m: &Matched<Op>) -> Result<Mode, CliError> {
    let arg = |i: usize| m.args.get(i).cloned().unwrap_or_default();
    if *mode == Mode::Config {
        return apply_global(config, m, &arg(0));
    }
    for (block, line) in mode.blocks() {
        let node = config.block(&line);
        apply_child(node, block, m)?;
        if block == Block::Interface {
            hide_interface_defaults(node);
        }
    }
    // Joining a channel group creates the port-channel, as EOS does.
    if m.op == Op::ChannelGroup {
        config.block(&format!("interface Port-Channel{}", arg(0)));
    }
    Ok(mode.clone())
}

fn apply_global(config: &mut Config, m: &Matched<Op>, arg: &str) -> Result<Mode, CliError> {
    let line = m.line.clone();
    match m.op {
        Op::Set(key) => {
            let key = key_of(key, &line);
            config.set_line(line, keyed(&key));
        }
        Op::Unset(key) => {
            let key = key_of(key, &line);
            config.remove_lines(keyed(&key));
        }
        Op::EnterVlan => {
            let ids: Vec<u16> = vlans::parse(arg)
                .map_err(|_| CliError::first_word(&line))?
                .into_iter()
                .collect();
            for id in &ids {
                config.block(&format!("vlan {id}"));
            }
            return Ok(Mode::Vlan(ids));
        }
        Op::NoVlan => {
            for id in vlans::parse(arg).unwrap_or_default() {
                config.remove(&format!("vlan {id}"));
            }
        }
        Op::EnterInterface => {
            config.block(&format!("interface {arg}"));
            return Ok(Mode::Interface(arg.to_string()));
        }
        Op::NoInterface => {
            config.remove(&format!("interface {arg}"));
        }
        Op::DefaultInterface => {
            if let Some(at) = config.find(&format!("interface {arg}")) {
                config.nodes[at].children.clear();
            }
        }
        Op::EnterAccessList => {
            config.block(&line);
            return Ok(Mode::AccessList {
                name: arg.to_string(),
                standard: line.starts_with("ip access-list standard "),
            });
        }
        Op::EnterMlag => {
            config.block(&line);
            return Ok(Mode::Mlag);
        }
        Op::EnterVrf => {
            config.block(&line);
            return Ok(Mode::Vrf(arg.to_string()));
        }
        Op::EnterMstConfig => {
            config.block(&line);
            return Ok(Mode::MstConfig);
        }
        Op::AddGlobal => {
            let same = line.clone();
            config.set_line(line, |l| l == same);
        }
        Op::RemoveGlobal => {
            let target = line.strip_prefix("no ").unwrap_or(&line).to_string();
            config.remove_lines(keyed(&target));
        }
        Op::NoAccessList | Op::NoMlag | Op::NoVrf | Op::NoMstConfig => {
            config.remove(line.strip_prefix("no ").unwrap_or(&line));
        }
        Op::NoSpanningTreeMode => {
            config.set_line(
                "spanning-tree mode mstp".into(),
                keyed("spanning-tree mode"),
            );
        }
        Op::StpVlanIdOff | Op::StpVlanIdOn => {
            const KEY: &str = "no spanning-tree vlan-id";
            let mut set: VlanSet = config
                .nodes
                .iter()
                .find_map(|n| n.line.strip_prefix("no spanning-tree vlan-id "))
                .and_then(|list| vlans::parse(list).ok())
                .unwrap_or_default();
            let ids = vlans::parse(arg).unwrap_or_default();
            if m.op == Op::StpVlanIdOff {
                set.extend(ids);
            } else {
                set.retain(|v| !ids.contains(v));
            }
            if set.is_empty() {
                config.remove_lines(keyed(KEY));
            } else {
                config.set_line(format!("{KEY} {}", vlans::format(&set)), keyed(KEY));
            }
        }
        Op::IpRouting | Op::NoIpRouting => {
            let positive = line.strip_prefix("no ").unwrap_or(&line).to_string();
            let negative = format!("no {positive}");
            config.set_line(line, |l| l == positive || l == negative);
        }
        _ => return Err(CliError::first_word(&line)),
    }
    Ok(Mode::Config)
}

fn apply_child(node: &mut Node, block: Block, m: &Matched<Op>) -> Result<(), CliError> {
    let line = m.line.clone();
    let interface = node.line.strip_prefix("interface ").unwrap_or("");
    match m.op {
        Op::Set(key) => {
            if key == "mlag" && !interface.starts_with("Port-Channel") {
                return Err(CliError::first_word(&line));
            }
            let key = key_of(key, &line);
            node.remove_children(keyed(&key));
            node.insert_child(block, line);
        }
        Op::Unset(key) => {
            let key = key_of(key, &line);
            node.remove_children(keyed(&key));
        }
        Op::Add => node.insert_child(block, line),
        Op::Remove => {
            let target = line.strip_prefix("no ").unwrap_or(&line).to_string();
            node.remove_children(|l| l == target);
        }
        Op::RemoveLine(target) => {
            node.remove_children(|l| l == target);
        }
        Op::Switchport => {
            node.remove_children(|l| l == "no switchport");
        }
        Op::TrunkAllowed
        | Op::TrunkAllowedAdd
        | Op::TrunkAllowedRemove
        | Op::TrunkAllowedAll
        | Op::TrunkAllowedNone => {
            const KEY: &str = "switchport trunk allowed vlan";
            let current = match node.child(KEY).and_then(|l| l.strip_prefix(KEY)) {
                None => vlans::all(),
                Some(" none") => VlanSet::new(),
                Some(list) => vlans::parse(list.trim()).unwrap_or_else(|_| vlans::all()),
            };
            let given = m
                .args
                .first()
                .and_then(|a| vlans::parse(a).ok())
                .unwrap_or_default();
            let set: VlanSet = match m.op {
                Op::TrunkAllowed => given,
                Op::TrunkAllowedAdd => current.union(&given),
                Op::TrunkAllowedRemove => current.difference(&given),
                Op::TrunkAllowedNone => VlanSet::new(),
                _ => vlans::all(),
            };
            node.remove_children(keyed(KEY));
            if set.is_empty() {
                node.insert_child(block, format!("{KEY} none"));
            } else if set != vlans::all() {
                node.insert_child(block, format!("{KEY} {}", vlans::format(&set)));
            }
        }
        Op::ChannelGroup => {
            if !interface.starts_with("Ethernet") {
                return Err(CliError::first_word(&line));
            }
            node.remove_children(keyed("channel-group"));
            node.insert_child(block, line);
        }
        Op::AccessGroup | Op::NoAccessGroup => {
            let direction = m.args.last().cloned().unwrap_or_default();
            node.remove_children(|l| {
                l.starts_with("ip access-group ") && l.ends_with(&format!(" {direction}"))
            });
            if m.op == Op::AccessGroup {
                node.insert_child(block, line);
            }
        }
        Op::AclEntryNumbered => {
            let line = crate::ports::as_printed(&line);
            let seq = m.args.first().cloned().unwrap_or_default();
            if node
                .children
                .iter()
                .any(|c| c.line.split_whitespace().next() == Some(seq.as_str()))
            {
                // Guess at the wording: EOS refuses to reuse a sequence
                // number; an entry is changed by `no SEQ` and a new one.
                return Err(CliError::Message("% Duplicate sequence number".into()));
            }
            node.insert_child(block, line);
        }
        Op::AclEntry => {
            // EOS numbers an entry typed without one: 10 past the last.
            let last = node
                .children
                .iter()
                .filter_map(|c| c.line.split_whitespace().next()?.parse::<u64>().ok())
                .max()
                .unwrap_or(0);
            let line = crate::ports::as_printed(&line);
            node.insert_child(block, format!("{} {line}", last + 10));
        }
        Op::NoAclSequence => {
            let seq = m.args.first().cloned().unwrap_or_default();
            node.remove_children(|l| l.split_whitespace().next() == Some(seq.as_str()));
        }
        Op::NoAclEntry => {
            let entry = crate::ports::as_printed(line.strip_prefix("no ").unwrap_or(&line));
            node.remove_children(|l| {
                l.split_once(' ')
                    .is_some_and(|(seq, rest)| seq.parse::<u64>().is_ok() && rest == entry)
            });
        }
        _ => return Err(CliError::first_word(&line)),
    }
    Ok(())
}

impl Cli for Shell {
    fn prompt(&self) -> String {
        let host = self.hostname();
        match (&self.mode, &self.session) {
            (None, _) => format!("{host}{}", if self.privileged { "#" } else { ">" }),
            (Some(mode), None) => format!("{host}(config{})#", mode.prompt()),
            // The prompt shows the session name's first six characters
            // (eos.arista.com "Config sessions"; `config-s-sess-1` for
            // the session `sess-1663-…` in ngworx's EOS transcript).
            (Some(mode), Some(session)) => {
                let short: String = session.chars().take(6).collect();
                format!("{host}(config-s-{short}{})#", mode.prompt())
            }
        }
    }

    fn handle(&mut self, line: &str, echoed: bool) -> io::Result<Flow> {
        Shell::handle(self, line, echoed)
    }

    fn in_configuration(&self) -> bool {
        self.mode.is_some()
    }

    fn store(&self) -> &Store {
        &self.store
    }

    fn terminal_length(&self) -> Option<usize> {
        self.terminal_length
    }

    fn output(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }
}

//! Working with the live devices of an inventory: connection settings from
//! `fabric.ssh` (overridable by flags and environment), and fetching
//! running configs.

use crate::config::PartialPortDefaults;
use crate::device::ssh::SshTransport;
use crate::device::{Auth, ConnectOptions, DeviceError, Secret, Target, Transport};
use crate::inventory::Inventory;
use crate::platform::{Cli, Platform};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Connection settings given on the command line; each beats the
/// environment, which beats `fabric.ssh`.
#[derive(Debug, Default, Clone)]
pub struct SshOverrides {
    pub username: Option<String>,
    pub key_file: Option<PathBuf>,
    pub password_env: Option<String>,
    pub known_hosts: Option<PathBuf>,
    pub accept_new_host_keys: bool,
    pub timeout: Option<Duration>,
    /// How often an idle connection sends an SSH keepalive.
    pub keepalive: Option<Duration>,
    /// The largest running config accepted from a device.
    pub max_output_bytes: Option<u64>,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Keepalives keep NAT and firewall state alive during long changes.
pub const KEEPALIVE: Duration = Duration::from_secs(15);

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// The user liaison logs in as: `--ssh-user`, else `LIAISON_SSH_USER`,
/// else `fabric.ssh.username`.
pub fn ssh_username(inventory: &Inventory, overrides: &SshOverrides) -> Option<String> {
    overrides
        .username
        .clone()
        .or_else(|| {
            std::env::var("LIAISON_SSH_USER")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .or_else(|| {
            let ssh = inventory.fabric.ssh.as_ref()?;
            ssh.username.as_ref().map(|v| v.value.clone())
        })
}

/// The address each switch is reached at (its `mgmt`), where it is an IP
/// address rather than a name.
pub fn mgmt_addresses(
    inventory: &Inventory,
) -> std::collections::BTreeMap<String, std::net::IpAddr> {
    inventory
        .switches
        .iter()
        .filter_map(|switch| {
            let mgmt = switch.mgmt.as_ref()?;
            let target = Target::parse(&switch.name.value, &mgmt.value).ok()?;
            Some((switch.name.value.clone(), target.host.parse().ok()?))
        })
        .collect()
}

/// Resolves how to connect. The password, when used, is read from the
/// environment variable named by `password_env` and never stored elsewhere.
pub fn connect_options(
    inventory: &Inventory,
    overrides: &SshOverrides,
) -> Result<ConnectOptions, String> {
    let ssh = inventory.fabric.ssh.as_ref();
    let from_inventory =
        |get: fn(&crate::inventory::Ssh) -> &Option<crate::inventory::Spanned<String>>| {
            ssh.and_then(|s| get(s).as_ref()).map(|v| v.value.clone())
        };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let username = ssh_username(inventory, overrides)
        .ok_or("no SSH username: set fabric.ssh.username, LIAISON_SSH_USER or --ssh-user")?;
    let known_hosts = overrides
        .known_hosts
        .clone()
        .or_else(|| env("LIAISON_KNOWN_HOSTS").map(PathBuf::from))
        .or_else(|| from_inventory(|s| &s.known_hosts).map(|p| expand_home(&p)))
        .unwrap_or_else(|| expand_home("~/.ssh/known_hosts"));
    let password_env = overrides
        .password_env
        .clone()
        .or_else(|| from_inventory(|s| &s.password_env));
    let key_file = overrides
        .key_file
        .clone()
        .or_else(|| env("LIAISON_SSH_KEY").map(PathBuf::from))
        .or_else(|| from_inventory(|s| &s.key_file).map(|p| expand_home(&p)));
    let auth = match (key_file, password_env) {
        (Some(key), _) => Auth::KeyFile(key),
        (None, Some(var)) => {
            let value = std::env::var(&var).map_err(|_| {
                format!("password_env names `{var}`, but that environment variable is not set")
            })?;
            Auth::Password(Secret::new(value))
        }
        (None, None) => Auth::Agent,
    };
    Ok(ConnectOptions {
        username,
        auth,
        known_hosts,
        accept_new_host_keys: overrides.accept_new_host_keys,
        timeout: overrides.timeout.unwrap_or(DEFAULT_TIMEOUT),
        keepalive: overrides.keepalive.unwrap_or(KEEPALIVE),
        max_output_bytes: overrides
            .max_output_bytes
            .unwrap_or(crate::plan::fleet::DEFAULT_MAX_CONFIG_BYTES),
    })
}

/// The SSH target of every switch, in name order.
pub fn targets(inventory: &Inventory, only: &[String]) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    for switch in &inventory.switches {
        if !only.is_empty() && !only.contains(&switch.name.value) {
            continue;
        }
        let mgmt = switch.mgmt.as_ref().ok_or_else(|| {
            format!(
                "switch `{}` has no `mgmt` address to connect to",
                switch.name.value
            )
        })?;
        targets.push(Target::parse(&switch.name.value, &mgmt.value)?);
    }
    for name in only {
        if !targets.iter().any(|t| &t.name == name) {
            return Err(format!("no switch `{name}` in the inventory"));
        }
    }
    targets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(targets)
}

pub fn connect(
    target: &Target,
    options: &ConnectOptions,
) -> Result<Box<dyn Transport>, DeviceError> {
    Ok(Box::new(SshTransport::connect(target, options)?))
}

/// `show running-config` of one device, over an exec channel. Output that
/// reports an error (as the switch's `platform` words it), or that holds
/// terminal control sequences (a config never does; they would end up in
/// the saved file and in every plan), is an error: nothing of it is kept.
pub fn fetch_running(
    transport: &mut dyn Transport,
    platform: Platform,
    device: &str,
) -> Result<String, DeviceError> {
    const COMMAND: &str = "show running-config";
    let text = exec_checked(transport, platform, device, COMMAND)?;
    if let Some(reason) = control_characters(&text) {
        return Err(DeviceError::Unusable {
            device: device.to_string(),
            command: COMMAND.to_string(),
            reason,
        });
    }
    Ok(text)
}

/// Runs `command` on an exec channel of its own; an error message in its
/// output (as the switch's `platform` words it) is an error. No shell,
/// prompt or terminal settings to set up: one round trip.
pub fn exec_checked(
    transport: &mut dyn Transport,
    platform: Platform,
    device: &str,
    command: &str,
) -> Result<String, DeviceError> {
    let text = transport.exec(command)?;
    match platform.driver().error_in(&text) {
        Some(line) => Err(DeviceError::Rejected {
            device: device.to_string(),
            command: command.to_string(),
            message: line.to_string(),
        }),
        None => Ok(text),
    }
}

/// Where `text` holds a control character other than tab and line ends
/// (an ANSI escape starts with ESC), in words.
fn control_characters(text: &str) -> Option<String> {
    text.lines().enumerate().find_map(|(i, line)| {
        let c = crate::config::control_character(line)?;
        let what = if c == '\u{1b}' {
            "a terminal escape sequence (ESC)".to_string()
        } else {
            format!("the control character U+{:04X}", u32::from(c))
        };
        Some(format!(
            "line {} holds {what}; check the device's terminal settings",
            i + 1
        ))
    })
}

/// What the switch says about its pair, over exec channels (the pair
/// query, then its details); None when it has none (a switch without the
/// pair feature refuses the pair query, as NX-OS does `show vpc` without
/// `feature vpc`) or when liaison cannot read its platform's pairs yet. A
/// detail the switch refuses (an older release without the command, a
/// restricted role) leaves the rest of the state usable: the refusal is in
/// [`crate::device::PairState::unread`], for apply to say which check
/// could not run.
pub fn pair_state(
    transport: &mut dyn Transport,
    platform: Platform,
) -> Result<Option<crate::device::PairState>, DeviceError> {
    let driver = platform.driver();
    read_pair(platform, |command| {
        let answer = transport.exec(command)?;
        Ok(match driver.error_in(&answer) {
            Some(error) => Err(error.trim().to_string()),
            None => Ok(answer),
        })
    })
}

/// [`pair_state`] asked on the switch's CLI (a shell kept open for its
/// change) instead of on exec channels of their own.
pub fn pair_state_on(
    cli: &mut dyn Cli,
    platform: Platform,
) -> Result<Option<crate::device::PairState>, DeviceError> {
    read_pair(platform, |command| match cli.run(command) {
        Ok(answer) => Ok(Ok(answer)),
        Err(DeviceError::Rejected { message, .. }) => Ok(Err(message.trim().to_string())),
        Err(e) => Err(e),
    })
}

/// The pair query and its details through `ask` (an answer, or the
/// error line of a refusal), parsed.
fn read_pair(
    platform: Platform,
    mut ask: impl FnMut(&str) -> Result<Result<String, String>, DeviceError>,
) -> Result<Option<crate::device::PairState>, DeviceError> {
    let driver = platform.driver();
    let Some(query) = driver.pair_query() else {
        return Ok(None);
    };
    let Ok(mut text) = ask(query)? else {
        return Ok(None);
    };
    let mut unread = Vec::new();
    for &(detail, command) in driver.pair_details() {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        match ask(command)? {
            Err(error) => unread.push(crate::device::Unread {
                detail,
                command,
                error,
            }),
            Ok(answer) => text.push_str(&answer),
        }
    }
    Ok(driver
        .parse_pair(&text)
        .map(|state| crate::device::PairState { unread, ..state }))
}

/// Opens the switch's CLI (its platform's driver) on a shell of
/// `transport`.
pub fn cli(
    transport: &mut dyn Transport,
    platform: Platform,
    device: &str,
) -> Result<Box<dyn Cli>, DeviceError> {
    platform.driver().open_cli(device, transport.shell()?)
}

/// What fetching a device brings back.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// `show running-config`.
    pub running: String,
    /// What the device says about its port defaults (nothing when it could
    /// not answer).
    pub port_defaults: PartialPortDefaults,
}

/// Asks the switch what it does with ports its config says nothing about
/// (its platform's [`crate::platform::Dialect::port_defaults_query`]). A
/// switch that cannot answer (an NX-OS without `all`), or whose answer
/// liaison cannot read yet, leaves the settings unknown: liaison then falls
/// back on the inventory and its model table.
pub fn fetch_port_defaults(
    transport: &mut dyn Transport,
    platform: Platform,
) -> PartialPortDefaults {
    let (Some(dialect), driver) = (platform.dialect(), platform.driver()) else {
        return PartialPortDefaults::default();
    };
    match transport.exec(dialect.port_defaults_query()) {
        Ok(text) if driver.error_in(&text).is_none() => {
            driver.parse_port_defaults(&text).unwrap_or_default()
        }
        _ => PartialPortDefaults::default(),
    }
}

/// The platform of switch `name` (the default one for a name the
/// inventory does not hold).
pub fn platform_of(inventory: &Inventory, name: &str) -> Platform {
    inventory
        .switches
        .iter()
        .find(|s| s.name.value == name)
        .map_or(Platform::default(), |s| s.platform.value)
}

/// Fetches every target's running config and port defaults.
pub fn fetch_all(
    inventory: &Inventory,
    targets: &[Target],
    options: &ConnectOptions,
    parallel: usize,
) -> Vec<(String, Result<Fetched, DeviceError>)> {
    fetch_connected(inventory, targets, options, parallel, 0)
        .into_iter()
        .map(|(name, result)| (name, result.map(|(fetched, _)| fetched)))
        .collect()
}

/// [`fetch_all`], keeping the connections of the first `keep` targets
/// open (the others are closed once fetched).
fn fetch_connected(
    inventory: &Inventory,
    targets: &[Target],
    options: &ConnectOptions,
    parallel: usize,
    keep: usize,
) -> Vec<(String, FetchedOn)> {
    let indexed: Vec<(usize, &Target)> = targets.iter().enumerate().collect();
    crate::pool::run_parallel(&indexed, parallel, |&(i, target)| {
        let result = fetch_one(inventory, target, options, None)
            .map(|(fetched, t)| (fetched, (i < keep).then_some(t)));
        (target.name.clone(), result)
    })
}

/// Logs in to `target` and fetches its running config and port defaults
/// (unless they are `known`: not asked again); the connection stays open.
pub fn fetch_one(
    inventory: &Inventory,
    target: &Target,
    options: &ConnectOptions,
    known: Option<PartialPortDefaults>,
) -> Result<(Fetched, Box<dyn Transport>), DeviceError> {
    let platform = platform_of(inventory, &target.name);
    let mut transport = connect(target, options)?;
    let fetched = fetch_on(transport.as_mut(), platform, &target.name, known)?;
    Ok((fetched, transport))
}

/// [`fetch_one`] on a connection already open.
pub fn fetch_on(
    transport: &mut dyn Transport,
    platform: Platform,
    device: &str,
    known: Option<PartialPortDefaults>,
) -> Result<Fetched, DeviceError> {
    let running = fetch_running(transport, platform, device)?;
    let port_defaults = known.unwrap_or_else(|| fetch_port_defaults(transport, platform));
    Ok(Fetched {
        running,
        port_defaults,
    })
}

/// What fetching one device brought back, and its connection if kept.
type FetchedOn = Result<(Fetched, Option<Box<dyn Transport>>), DeviceError>;

/// Whether a fetch keeps its connections open for what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connections {
    /// Each connection is closed once its device is fetched.
    Close,
    /// The connections stay open (of at most [`MAX_KEPT`] switches, the
    /// first by name): `apply` pushes on the connection its plan was
    /// fetched on, one login per switch instead of two.
    Keep,
}

/// The most connections a fetch keeps open: each holds a socket, and a
/// process may open 1024 files by default on Linux; the switches after
/// these log in again when their turn comes.
pub const MAX_KEPT: usize = 256;

/// How liaison reaches the switches: the user it logs in as, and each
/// switch's management address (a plan never cuts either).
pub struct Session {
    pub user: Option<String>,
    pub addresses: std::collections::BTreeMap<String, std::net::IpAddr>,
}

impl Session {
    pub fn of(inventory: &Inventory, overrides: &SshOverrides) -> Self {
        Session {
            user: ssh_username(inventory, overrides),
            addresses: mgmt_addresses(inventory),
        }
    }
}

/// What was fetched from the switches just now, by switch name.
#[derive(Default)]
pub struct Live {
    pub running: std::collections::BTreeMap<String, String>,
    pub answers: std::collections::BTreeMap<String, PartialPortDefaults>,
    /// The connections the configs were fetched on, with
    /// [`Connections::Keep`].
    pub connections: std::collections::BTreeMap<String, Box<dyn Transport>>,
}

/// Why the running configs could not all be fetched.
#[derive(Debug)]
pub enum LiveError {
    /// No way to connect: a switch without `mgmt`, an unknown switch, no
    /// SSH user, a password variable that is not set.
    Connection(String),
    /// These switches failed (the others were fetched, and are dropped).
    Devices(Vec<DeviceError>),
}

/// One `error: …` line per problem, as the commands print them.
impl std::fmt::Display for LiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiveError::Connection(message) => writeln!(f, "error: {message}"),
            LiveError::Devices(errors) => errors.iter().try_for_each(|e| writeln!(f, "error: {e}")),
        }
    }
}

/// The targets of the selected switches (all when `devices` is empty) and
/// how to connect to them.
pub fn connection(
    inventory: &Inventory,
    devices: &[String],
    overrides: &SshOverrides,
) -> Result<(Vec<Target>, ConnectOptions), String> {
    targets(inventory, devices)
        .and_then(|targets| Ok((targets, connect_options(inventory, overrides)?)))
}

/// Running configs and port-default answers of the selected switches,
/// fetched now; nothing is returned unless every switch answered.
pub fn fetch_live(
    inventory: &Inventory,
    devices: &[String],
    parallel: usize,
    overrides: &SshOverrides,
    connections: Connections,
) -> Result<Live, LiveError> {
    let (targets, options) =
        connection(inventory, devices, overrides).map_err(LiveError::Connection)?;
    let keep = match connections {
        Connections::Close => 0,
        Connections::Keep => MAX_KEPT,
    };
    let mut live = Live::default();
    let mut failed = Vec::new();
    for (name, result) in fetch_connected(inventory, &targets, &options, parallel, keep) {
        match result {
            Ok((fetched, transport)) => {
                live.answers.insert(name.clone(), fetched.port_defaults);
                if let Some(transport) = transport {
                    live.connections.insert(name.clone(), transport);
                }
                live.running.insert(name, fetched.running);
            }
            Err(e) => failed.push(e),
        }
    }
    if failed.is_empty() {
        Ok(live)
    } else {
        Err(LiveError::Devices(failed))
    }
}

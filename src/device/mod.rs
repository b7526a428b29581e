//! Talking to switches: a small [`Transport`] trait (SSH via `ssh2` today;
//! NX-API or russh could be added behind it). Each platform's CLI driver
//! sits on top of it in the platform layer ([`crate::platform::Cli`]).
//!
//! Secrets never leave this module in text: a password is a [`Secret`]
//! whose `Debug` prints nothing, errors name the device and what failed,
//! never what was typed.

pub mod cli;
pub mod ssh;

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Where a device answers: from the inventory's `mgmt` (`host`,
/// `host:port`, `[v6]:port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub host: String,
    pub port: u16,
}

impl Target {
    pub fn parse(name: &str, mgmt: &str) -> Result<Target, String> {
        let (host, port) = if let Some(rest) = mgmt.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("`{mgmt}`: missing `]`"))?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(format!("`{mgmt}`: expected `:port` after `]`")),
            };
            (host.to_string(), port)
        } else {
            match mgmt.rsplit_once(':') {
                Some((host, port)) if !host.contains(':') => (host.to_string(), Some(port)),
                _ => (mgmt.to_string(), None),
            }
        };
        let port = match port {
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| format!("`{mgmt}`: `{p}` is not a TCP port"))?,
            None => 22,
        };
        if host.is_empty() {
            return Err(format!("`{mgmt}`: no host"));
        }
        Ok(Target {
            name: name.to_string(),
            host,
            port,
        })
    }

    /// `host` or `[host]:port`, as known_hosts writes it.
    pub fn known_hosts_name(&self) -> String {
        if self.port == 22 {
            self.host.clone()
        } else {
            format!("[{}]:{}", self.host, self.port)
        }
    }
}

/// A secret that cannot be printed by accident.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

#[derive(Debug, Clone)]
pub enum Auth {
    KeyFile(PathBuf),
    Password(Secret),
    Agent,
}

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub username: String,
    pub auth: Auth,
    pub known_hosts: PathBuf,
    /// Add keys of hosts not in known_hosts (never replaces a known key).
    pub accept_new_host_keys: bool,
    /// Bound on connecting, the handshake and every read or write.
    pub timeout: Duration,
    /// How often an idle connection sends an SSH keepalive.
    pub keepalive: Duration,
    /// The most bytes one command's output may have (a running config:
    /// `--max-config-bytes`).
    pub max_output_bytes: u64,
}

/// Everything that can go wrong with a device, in words an operator acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceError {
    Connect {
        device: String,
        reason: String,
    },
    HostKeyUnknown {
        device: String,
        host: String,
        fingerprint: String,
        known_hosts: String,
    },
    HostKeyMismatch {
        device: String,
        host: String,
        fingerprint: String,
        known_hosts: String,
    },
    Auth {
        device: String,
        username: String,
        reason: String,
    },
    Timeout {
        device: String,
        waiting_for: String,
    },
    Closed {
        device: String,
        during: String,
    },
    /// A command's output grew past the cap.
    TooLarge {
        device: String,
        command: String,
        limit: u64,
    },
    /// The output cannot be used as it is (terminal escapes, …).
    Unusable {
        device: String,
        command: String,
        reason: String,
    },
    /// The device refused a command.
    Rejected {
        device: String,
        command: String,
        message: String,
    },
    Other {
        device: String,
        reason: String,
    },
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceError::Connect { device, reason } => write!(f, "{device}: cannot connect: {reason}"),
            DeviceError::HostKeyUnknown { device, host, fingerprint, known_hosts } => write!(
                f,
                "{device}: host key of {host} ({fingerprint}) is not in {known_hosts}; check the fingerprint on the switch (`show ssh key`), then trust it with --accept-new-host-keys or `ssh-keyscan` into {known_hosts}"
            ),
            DeviceError::HostKeyMismatch { device, host, fingerprint, known_hosts } => write!(
                f,
                "{device}: HOST KEY MISMATCH for {host}: it presents {fingerprint}, which differs from the key in {known_hosts}; this may be another device or an attack. liaison never accepts a changed key: if the switch was really re-keyed, remove its old line from {known_hosts} after checking the new fingerprint"
            ),
            DeviceError::Auth { device, username, reason } => write!(
                f,
                "{device}: authentication as `{username}` failed ({reason}); check fabric.ssh (key_file, password_env or ssh-agent) and the user on the switch"
            ),
            DeviceError::Timeout { device, waiting_for } => {
                write!(f, "{device}: timed out waiting for {waiting_for}")
            }
            DeviceError::Closed { device, during } => {
                write!(f, "{device}: connection closed during {during}")
            }
            DeviceError::TooLarge { device, command, limit } => write!(
                f,
                "{device}: the output of `{command}` exceeds {limit} bytes; nothing was kept. If the device really has a config that big, raise the cap with --max-config-bytes BYTES"
            ),
            DeviceError::Unusable { device, command, reason } => {
                write!(f, "{device}: the output of `{command}` cannot be used: {reason}; nothing was kept")
            }
            DeviceError::Rejected { device, command, message } => {
                write!(f, "{device}: the switch refused `{command}`: {message}")
            }
            DeviceError::Other { device, reason } => write!(f, "{device}: {reason}"),
        }
    }
}

/// A switch's view of its multi-chassis pair (an NX-OS vPC pair), as
/// read between and after the two members' changes of a rollout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairState {
    /// The peer adjacency is formed: the pair works as one.
    pub adjacency: bool,
    /// The device's lines that tell the adjacency, as messages quote them
    /// (NX-OS `Peer status: peer link is down`; EOS `state: Inactive,
    /// negotiation status: Connecting, peer-link status: Up`).
    pub peer_status: String,
    /// Why the pair may be split, each member forwarding on its own (the
    /// link between the members down while they are not talking), in the
    /// device's words; None where it does not look so, or where its
    /// platform does not say.
    pub split: Option<String>,
    /// Why the pair as a whole is inconsistent (a global type-1
    /// parameter differs), when it is.
    pub inconsistent: Option<String>,
    /// The pair's bundles on this device (NX-OS vPCs).
    pub links: Vec<PairLink>,
    /// The role the device says it holds in its pair, where its platform's
    /// pair query says (EOS `show mlag detail`); None when it does not say
    /// or holds none (a pair not formed).
    pub role: Option<PairRole>,
    /// The details the device refused to show (a command of
    /// [`crate::platform::Driver::pair_details`] it answered with an error:
    /// an older release without it, a restricted role): what they tell is
    /// unknown, not absent (no links read is not no links).
    pub unread: Vec<Unread>,
}

/// What a detail command of a pair's state tells
/// ([`crate::platform::Driver::pair_details`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairDetail {
    /// The pair's bundles and whether each is up ([`PairState::links`]).
    Links,
    /// The settings the members disagree on, each named
    /// ([`PairState::inconsistent`]).
    Settings,
}

/// A detail of a pair's state the device refused to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    pub detail: PairDetail,
    /// The command refused.
    pub command: &'static str,
    /// The device's error line.
    pub error: String,
}

/// A member's role in a formed pair: the primary runs the pair's control
/// plane (spanning tree, LACP), the secondary follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairRole {
    Primary,
    Secondary,
}

/// One bundle of a pair (a vPC) on one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairLink {
    /// The vPC number.
    pub id: u32,
    /// The local port-channel (`Po1`).
    pub port: String,
    pub up: bool,
    /// The device's reason when it is down or inconsistent.
    pub reason: String,
}

impl PairState {
    /// The link numbered `id`, if the device has it.
    pub fn link(&self, id: u32) -> Option<&PairLink> {
        self.links.iter().find(|l| l.id == id)
    }

    /// The refusal of `detail`, when the device did not show it.
    pub fn unread(&self, detail: PairDetail) -> Option<&Unread> {
        self.unread.iter().find(|u| u.detail == detail)
    }
}

/// An interactive session (a shell on a pty). Send: a shell readied
/// ahead of its device's turn (see `apply::Waiting`) is opened on
/// another thread.
pub trait Shell: Send {
    /// Types `text` (sent in full when this returns).
    fn send(&mut self, text: &str) -> Result<(), DeviceError>;
    /// The bytes that arrive by `until`, returned as soon as some do;
    /// empty when none came in time. `during` names what is awaited, for
    /// the error when the connection closes.
    fn receive(&mut self, until: Instant, during: &str) -> Result<Vec<u8>, DeviceError>;
    /// The bound on every wait (`--timeout`).
    fn timeout(&self) -> Duration;
    /// Whether the device has ended the session, as far as has been read
    /// (on any channel of the connection).
    fn closed(&self) -> bool {
        false
    }
}

/// One connection to one device.
pub trait Transport: Send {
    /// Runs one command on a channel of its own and returns its output.
    fn exec(&mut self, command: &str) -> Result<String, DeviceError>;
    /// Opens an interactive shell.
    /// Opens an interactive shell; it may outlive this borrow (it keeps
    /// a handle on the connection), not the connection's use: it is
    /// driven by whoever drives the connection.
    fn shell(&mut self) -> Result<Box<dyn Shell>, DeviceError>;
    /// Keeps an idle connection alive: sends a keepalive when one is due
    /// (a connection waiting between commands otherwise says nothing, and
    /// an SSH server's `ClientAliveInterval`, a NAT or a firewall may drop
    /// it).
    fn keep_alive(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(Target::parse("a", "192.0.2.1").unwrap().port, 22);
        let t = Target::parse("a", "127.0.0.1:2201").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("127.0.0.1", 2201));
        assert_eq!(t.known_hosts_name(), "[127.0.0.1]:2201");
        let v6 = Target::parse("a", "[2001:db8::1]:22").unwrap();
        assert_eq!(v6.host, "2001:db8::1");
        assert_eq!(
            Target::parse("a", "2001:db8::1").unwrap().host,
            "2001:db8::1"
        );
        assert!(Target::parse("a", "host:0").is_err());
        assert!(Target::parse("a", "host:x").is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        let auth = Auth::Password(Secret::new("hunter2-distinctive".into()));
        assert!(!format!("{auth:?}").contains("hunter2"));
    }
}

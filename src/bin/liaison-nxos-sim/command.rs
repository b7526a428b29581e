//! Reading one configuration line: which mode it belongs to and what it
//! means. Syntax only; what a command does to the device is in `apply`.
//! Keeping the two apart lets a `configure session` check syntax when a
//! line is typed and defer everything else to `verify`/`commit`, as NX-OS
//! does.

use crate::model::{GroupKind, IfName, PortMode, VpcRole};
use crate::ports;
use crate::vlans::{self, VlanSet};

/// A configuration mode, with what it edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Config,
    Interface(IfName),
    Hsrp(IfName, u16),
    Vlan(Vec<u16>),
    Vrf(String),
    VpcDomain,
    Mst,
    Acl(String),
    AddrGroup(String),
    PortGroup(String),
}

impl Mode {
    /// Where a command goes when this mode does not know it.
    pub fn parent(&self) -> Option<Mode> {
        match self {
            Mode::Config => None,
            Mode::Hsrp(name, _) => Some(Mode::Interface(name.clone())),
            _ => Some(Mode::Config),
        }
    }

    /// The prompt's mode part: `config-if` in `agg1(config-if)# `.
    pub fn prompt(&self, session: bool) -> String {
        let tail = match self {
            Mode::Config => "",
            Mode::Interface(_) => "-if",
            Mode::Hsrp(..) => "-if-hsrp",
            Mode::Vlan(_) => "-vlan",
            Mode::Vrf(_) => "-vrf",
            Mode::VpcDomain => "-vpc-domain",
            Mode::Mst => "-mst",
            Mode::Acl(_) => "-acl",
            Mode::AddrGroup(_) => "-ipaddr-ogroup",
            Mode::PortGroup(_) => "-port-ogroup",
        };
        format!("config{}{tail}", if session { "-s" } else { "" })
    }
}

/// An error as NX-OS prints it: an optional `^` under the offending
/// character of the echoed line, then the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub caret: Option<usize>,
    pub message: String,
}

impl CliError {
    pub fn invalid(at: usize) -> CliError {
        CliError::marker(at, "Invalid command")
    }

    pub fn incomplete(at: usize) -> CliError {
        CliError::marker(at, "Incomplete command")
    }

    /// `% <what> at '^' marker.`
    pub fn marker(at: usize, what: &str) -> CliError {
        CliError {
            caret: Some(at),
            message: format!("% {what} at '^' marker."),
        }
    }

    pub fn message(text: impl Into<String>) -> CliError {
        CliError {
            caret: None,
            message: text.into(),
        }
    }

    /// The error's lines under a prompt of `prompt_len` characters.
    pub fn lines(&self, prompt_len: usize) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(at) = self.caret {
            out.push(format!("{}^", " ".repeat(prompt_len + at)));
        }
        out.push(self.message.clone());
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrunkOp {
    Set(VlanSet),
    Add(VlanSet),
    Remove(VlanSet),
    Except(VlanSet),
    None,
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cmd {
    Hostname(Option<String>),
    Feature(String, bool),
    /// `[no] system default switchport` (`shutdown`: false) and `[no]
    /// system default switchport shutdown` (`shutdown`: true).
    SystemDefault {
        shutdown: bool,
        on: bool,
    },
    Vlan(Vec<u16>),
    NoVlan(Vec<u16>),
    StpMode(Option<String>),
    /// `spanning-tree mst 0-1 priority 4096` (`mst: true`) or
    /// `spanning-tree vlan 1,10 priority 4096`; None resets to 32768.
    StpPriority {
        mst: bool,
        ids: Vec<u16>,
        priority: Option<u32>,
    },
    MstConfig,
    NoMstConfig,
    VrfContext(String),
    NoVrfContext(String),
    VpcDomain(u32),
    NoVpcDomain(u32),
    Interface(IfName),
    NoInterface(IfName),
    DefaultInterface(IfName),
    /// `ip route` of the default VRF (in `Config`) or of a VRF.
    Route {
        prefix: String,
        next_hop: String,
        add: bool,
    },
    AccessList(String),
    NoAccessList(String),
    ObjectGroup(GroupKind, String),
    NoObjectGroup(GroupKind, String),

    Description(Option<String>),
    Switchport(bool),
    SwitchportMode(Option<PortMode>),
    AccessVlan(Option<u16>),
    TrunkAllowed(TrunkOp),
    StpPortType(Option<String>),
    /// A setting of [`PORT_SETTINGS`] by rank: the line as printed, or
    /// None for the default (not printed).
    PortSetting {
        rank: usize,
        line: Option<String>,
    },
    Mtu(Option<u32>),
    ChannelGroup(Option<(u32, String)>),
    Vpc(Option<VpcRole>),
    VrfMember(Option<String>),
    IpAddress(Option<String>),
    IpRedirects(bool),
    AccessGroup {
        name: String,
        direction: String,
        add: bool,
    },
    HsrpVersion(u8),
    Hsrp(u16),
    NoHsrp(u16),
    Shutdown(bool),

    Preempt(Option<String>),
    Priority(Option<u32>),
    HsrpIp(Option<String>),

    VlanName(Option<String>),
    VpcSetting {
        rank: usize,
        line: Option<String>,
    },
    MstName(Option<String>),
    MstRevision(Option<u32>),
    MstInstance {
        id: u16,
        vlans: Option<VlanSet>,
        add: bool,
    },

    Statistics(bool),
    Entry {
        seq: Option<u32>,
        text: String,
    },
    NoSeq(u32),
    NoEntry(String),
}

/// A recognised line: the mode it belongs to (the current one or an
/// ancestor), the command, where its keyword starts (for errors found
/// later), and the feature it needs, with where to put the marker when
/// that feature is off (the command does not exist then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub mode: Mode,
    pub cmd: Cmd,
    pub at: usize,
    pub needs: Option<(&'static str, usize)>,
}

impl Parsed {
    /// The mode NX-OS is in after this command: the sub-mode it opens,
    /// else the mode it belonged to (possibly a parent of the one it was
    /// typed in).
    pub fn next_mode(&self) -> Mode {
        match (&self.mode, &self.cmd) {
            (_, Cmd::Vlan(ids)) => Mode::Vlan(ids.clone()),
            (_, Cmd::MstConfig) => Mode::Mst,
            (_, Cmd::VrfContext(name)) => Mode::Vrf(name.clone()),
            (_, Cmd::VpcDomain(_)) => Mode::VpcDomain,
            (_, Cmd::Interface(name)) => Mode::Interface(name.clone()),
            (_, Cmd::AccessList(name)) => Mode::Acl(name.clone()),
            (_, Cmd::ObjectGroup(GroupKind::Address, name)) => Mode::AddrGroup(name.clone()),
            (_, Cmd::ObjectGroup(GroupKind::Port, name)) => Mode::PortGroup(name.clone()),
            (Mode::Interface(name), Cmd::Hsrp(group)) => Mode::Hsrp(name.clone(), *group),
            (mode, _) => mode.clone(),
        }
    }
}

/// Features NX-OS knows (`feature X`); others are invalid commands.
pub const FEATURES: &[&str] = &[
    "telnet",
    "nxapi",
    "bash-shell",
    "scp-server",
    "sftp-server",
    "ospf",
    "ospfv3",
    "bgp",
    "eigrp",
    "isis",
    "pim",
    "fabric forwarding",
    "interface-vlan",
    "vn-segment-vlan-based",
    "hsrp",
    "vrrp",
    "lacp",
    "dhcp",
    "vpc",
    "lldp",
    "udld",
    "bfd",
    "tacacs+",
    "private-vlan",
    "port-security",
    "netflow",
    "ptp",
    "nv overlay",
];

/// The tokens of a line with their character offsets.
pub struct Line<'a> {
    pub text: &'a str,
    toks: Vec<(usize, &'a str)>,
}

impl<'a> Line<'a> {
    pub fn new(text: &'a str) -> Line<'a> {
        Line {
            text,
            toks: crate::sim::words::split(text),
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn tok(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).map(|t| t.1)
    }

    /// Character offset of token `i`, or the end of the line past the last
    /// token (where NX-OS puts the marker of an incomplete command).
    pub fn pos(&self, i: usize) -> usize {
        match self.toks.get(i) {
            Some((offset, _)) => self.text[..*offset].chars().count(),
            None => self.text.trim_end().chars().count() + 1,
        }
    }

    /// The text from token `i` to the end, as typed.
    pub fn rest(&self, i: usize) -> Option<&'a str> {
        self.toks
            .get(i)
            .map(|(offset, _)| self.text[*offset..].trim_end())
    }

    /// Tokens from `i` on, joined by single spaces.
    pub fn joined(&self, i: usize) -> String {
        self.toks
            .iter()
            .skip(i)
            .map(|t| t.1)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why a mode did not take a line: not its command (a parent may take it;
/// the index is the first token that did not match), or its command but
/// wrong.
enum Fail {
    Miss(usize),
    Error(CliError),
}

type Res = Result<(Cmd, Option<(&'static str, usize)>), Fail>;

/// Finds the mode that takes `text`, starting in `mode` and going up to
/// its ancestors as NX-OS does. `floor` stops the climb (a state file's
/// indented line never goes back to the top level).
pub fn parse(mode: &Mode, text: &str, floor: Option<&Mode>) -> Result<Parsed, CliError> {
    let line = Line::new(text);
    if line.len() == 0 {
        return Err(CliError::incomplete(0));
    }
    let mut furthest = 0;
    let mut current = Some(mode.clone());
    while let Some(m) = current {
        match parse_in(&m, &line) {
            Ok((cmd, needs)) => {
                let at = line.pos(usize::from(matches!(line.tok(0), Some("no" | "default"))));
                return Ok(Parsed {
                    mode: m,
                    cmd,
                    at,
                    needs,
                });
            }
            Err(Fail::Error(e)) => return Err(e),
            Err(Fail::Miss(i)) => furthest = furthest.max(i),
        }
        if Some(&m) == floor {
            break;
        }
        current = m.parent();
    }
    Err(CliError::invalid(line.pos(furthest)))
}

fn parse_in(mode: &Mode, line: &Line) -> Res {
    match mode {
        Mode::Config => global(line),
        Mode::Interface(name) => interface(name, line),
        Mode::Hsrp(..) => hsrp(line),
        Mode::Vlan(_) => vlan(line),
        Mode::Vrf(_) => vrf(line),
        Mode::VpcDomain => vpc_domain(line),
        Mode::Mst => mst(line),
        Mode::Acl(_) => acl(line),
        Mode::AddrGroup(_) => group_entry(line, GroupKind::Address),
        Mode::PortGroup(_) => group_entry(line, GroupKind::Port),
    }
}

fn plain(cmd: Cmd) -> Res {
    Ok((cmd, None))
}

fn invalid(line: &Line, i: usize) -> Fail {
    Fail::Error(CliError::invalid(line.pos(i)))
}

fn incomplete(line: &Line, i: usize) -> Fail {
    Fail::Error(CliError::incomplete(line.pos(i)))
}

/// Token `i`, or an incomplete-command error.
fn need<'a>(line: &Line<'a>, i: usize) -> Result<&'a str, Fail> {
    line.tok(i).ok_or_else(|| incomplete(line, i))
}

/// Nothing may follow token `i - 1`.
fn end(line: &Line, i: usize) -> Result<(), Fail> {
    if line.len() > i {
        Err(invalid(line, i))
    } else {
        Ok(())
    }
}

fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    line: &Line,
    i: usize,
    min: T,
    max: T,
) -> Result<T, Fail> {
    let text = need(line, i)?;
    match text.parse::<T>() {
        Ok(n) if n >= min && n <= max => Ok(n),
        _ => Err(Fail::Error(CliError::marker(
            line.pos(i),
            &format!("Invalid number, range is ({min}:{max})"),
        ))),
    }
}

fn vlan_list(line: &Line, i: usize) -> Result<VlanSet, Fail> {
    let text = need(line, i)?;
    vlans::parse(text).map_err(|_| Fail::Error(CliError::marker(line.pos(i), "Invalid range")))
}

/// `A.B.C.D`.
pub fn is_ipv4(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `A.B.C.D/L`.
pub fn is_prefix(text: &str) -> bool {
    match text.split_once('/') {
        Some((addr, len)) => is_ipv4(addr) && len.parse::<u8>().is_ok_and(|l| l <= 32),
        None => false,
    }
}

fn ip_arg(line: &Line, i: usize, check: fn(&str) -> bool) -> Result<String, Fail> {
    let text = need(line, i)?;
    if check(text) {
        Ok(text.to_string())
    } else {
        Err(Fail::Error(CliError::marker(
            line.pos(i),
            "Invalid ip address",
        )))
    }
}

/// A name argument (VRF, ACL, object-group): one token, NX-OS limits.
fn name_arg(line: &Line, i: usize, max: usize) -> Result<String, Fail> {
    let text = need(line, i)?;
    if text.chars().count() > max || text.chars().any(|c| c.is_control()) {
        return Err(Fail::Error(CliError::marker(
            line.pos(i),
            &format!("String exceeded max length of ({max})"),
        )));
    }
    end(line, i + 1)?;
    Ok(text.to_string())
}

/// `no`/`default` prefix: (negated, index of the keyword).
fn negation(line: &Line) -> (bool, usize) {
    match line.tok(0) {
        Some("no") | Some("default") => (true, 1),
        _ => (false, 0),
    }
}

fn global(line: &Line) -> Res {
    let (no, i) = negation(line);
    let default = line.tok(0) == Some("default");
    let keyword = need(line, i)?;
    if default && keyword != "interface" {
        return Err(Fail::Miss(i));
    }
    match keyword {
        "hostname" | "switchname" => {
            if no {
                return plain(Cmd::Hostname(None));
            }
            let name = name_arg(line, i + 1, 63)?;
            plain(Cmd::Hostname(Some(name)))
        }
        "system" => {
            if need(line, i + 1)? != "default" {
                return Err(invalid(line, i + 1));
            }
            if need(line, i + 2)? != "switchport" {
                return Err(invalid(line, i + 2));
            }
            let shutdown = match line.tok(i + 3) {
                None => false,
                Some("shutdown") => {
                    end(line, i + 4)?;
                    true
                }
                Some(_) => return Err(invalid(line, i + 3)),
            };
            plain(Cmd::SystemDefault { shutdown, on: !no })
        }
        "feature" => {
            need(line, i + 1)?;
            let name = line.joined(i + 1);
            if !FEATURES.contains(&name.as_str()) {
                return Err(invalid(line, i + 1));
            }
            plain(Cmd::Feature(name, !no))
        }
        "vlan" => {
            let set = vlan_list(line, i + 1)?;
            end(line, i + 2)?;
            let ids = set.into_iter().collect();
            plain(if no { Cmd::NoVlan(ids) } else { Cmd::Vlan(ids) })
        }
        "spanning-tree" => match need(line, i + 1)? {
            "mode" if no => {
                end(line, i + 2)?;
                plain(Cmd::StpMode(None))
            }
            "mode" => match need(line, i + 2)? {
                "mst" | "rapid-pvst" => {
                    end(line, i + 3)?;
                    plain(Cmd::StpMode(line.tok(i + 2).map(str::to_string)))
                }
                _ => Err(invalid(line, i + 2)),
            },
            "mst" => match need(line, i + 2)? {
                "configuration" => {
                    end(line, i + 3)?;
                    plain(if no { Cmd::NoMstConfig } else { Cmd::MstConfig })
                }
                _ => stp_priority(line, i + 2, true, no),
            },
            "vlan" => stp_priority(line, i + 2, false, no),
            _ => Err(Fail::Miss(i + 1)),
        },
        "vrf" => match need(line, i + 1)? {
            "context" => {
                let name = name_arg(line, i + 2, 32)?;
                plain(if no {
                    Cmd::NoVrfContext(name)
                } else {
                    Cmd::VrfContext(name)
                })
            }
            _ => Err(Fail::Miss(i + 1)),
        },
        "vpc" => match need(line, i + 1)? {
            "domain" => {
                let id = number(line, i + 2, 1u32, 1000)?;
                end(line, i + 3)?;
                let cmd = if no {
                    Cmd::NoVpcDomain(id)
                } else {
                    Cmd::VpcDomain(id)
                };
                Ok((cmd, Some(("vpc", line.pos(i)))))
            }
            _ => Err(Fail::Miss(i + 1)),
        },
        "interface" => {
            need(line, i + 1)?;
            let name = ports::parse(&line.joined(i + 1))
                .map_err(|what| Fail::Error(CliError::marker(line.pos(i + 1), what)))?;
            let needs =
                matches!(name, IfName::Vlan(_)).then(|| ("interface-vlan", line.pos(i + 1)));
            let cmd = match (default, no) {
                (true, _) => Cmd::DefaultInterface(name),
                (false, true) => Cmd::NoInterface(name),
                (false, false) => Cmd::Interface(name),
            };
            Ok((cmd, needs))
        }
        "ip" => match need(line, i + 1)? {
            "route" => route(line, i + 2, no),
            "access-list" => {
                let name = name_arg(line, i + 2, 64)?;
                plain(if no {
                    Cmd::NoAccessList(name)
                } else {
                    Cmd::AccessList(name)
                })
            }
            _ => Err(Fail::Miss(i + 1)),
        },
        "object-group" => {
            if need(line, i + 1)? != "ip" {
                return Err(invalid(line, i + 1));
            }
            let kind = match need(line, i + 2)? {
                "address" => GroupKind::Address,
                "port" => GroupKind::Port,
                _ => return Err(invalid(line, i + 2)),
            };
            let name = name_arg(line, i + 3, 64)?;
            plain(if no {
                Cmd::NoObjectGroup(kind, name)
            } else {
                Cmd::ObjectGroup(kind, name)
            })
        }
        _ => Err(Fail::Miss(i)),
    }
}

/// `ip route PREFIX NEXT-HOP [PREFERENCE]` from token `i` (the prefix).
/// The preference (administrative distance, 1-255) is kept with the next
/// hop, as NX-OS shows it after it.
fn route(line: &Line, i: usize, no: bool) -> Res {
    let prefix = ip_arg(line, i, is_prefix)?;
    let mut next_hop = ip_arg(line, i + 1, is_ipv4)?;
    let mut next = i + 2;
    if line.len() > next {
        let preference: u16 = number(line, next, 1, 255)?;
        next_hop = format!("{next_hop} {preference}");
        next += 1;
    }
    end(line, next)?;
    plain(Cmd::Route {
        prefix,
        next_hop,
        add: !no,
    })
}

/// `spanning-tree mst|vlan LIST priority N` from the list at token `i`.
/// MST instances are 0-4094, VLANs 1-4094; the priority is 0-61440 in
/// steps of 4096 (IEEE 802.1D-2004, as NX-OS enforces it).
fn stp_priority(line: &Line, i: usize, mst: bool, no: bool) -> Res {
    let text = need(line, i)?;
    let low = u16::from(!mst);
    let mut ids = Vec::new();
    for part in text.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        match (a.parse::<u16>(), b.parse::<u16>()) {
            (Ok(a), Ok(b)) if a >= low && a <= b && b <= vlans::MAX_VLAN => ids.extend(a..=b),
            _ => return Err(Fail::Error(CliError::marker(line.pos(i), "Invalid range"))),
        }
    }
    if need(line, i + 1)? != "priority" {
        return Err(invalid(line, i + 1));
    }
    if no {
        end(line, i + 2)?;
        return plain(Cmd::StpPriority {
            mst,
            ids,
            priority: None,
        });
    }
    let priority = number(line, i + 2, 0u32, 61440)?;
    if priority % 4096 != 0 {
        return Err(Fail::Error(CliError::message(
            "ERROR: Bridge Priority must be in increments of 4096",
        )));
    }
    end(line, i + 3)?;
    plain(Cmd::StpPriority {
        mst,
        ids,
        priority: Some(priority),
    })
}

/// Interface settings modelled as one printed line each, in the order
/// NX-OS prints them: keywords, the words that may follow (empty: a flag),
/// the interfaces that take it, and the feature it needs. A setting given
/// again replaces the old line; the `no` form restores the default, which
/// is not printed, except `lacp suspend-individual`, whose default is on
/// and whose `no` form is what show-run prints.
pub const PORT_SETTINGS: &[PortSetting] = &[
    PortSetting {
        keywords: &["spanning-tree", "bpduguard"],
        values: &["enable", "disable"],
        on: Takes::Layer2,
        feature: None,
    },
    PortSetting {
        keywords: &["spanning-tree", "guard"],
        values: &["root", "loop", "none"],
        on: Takes::Layer2,
        feature: None,
    },
    PortSetting {
        keywords: &["lacp", "suspend-individual"],
        values: &[],
        on: Takes::PortChannel,
        feature: Some("lacp"),
    },
    PortSetting {
        keywords: &["storm-control", "broadcast", "level"],
        values: &["<level>"],
        on: Takes::Layer2,
        feature: None,
    },
    PortSetting {
        keywords: &["storm-control", "multicast", "level"],
        values: &["<level>"],
        on: Takes::Layer2,
        feature: None,
    },
    PortSetting {
        keywords: &["storm-control", "unicast", "level"],
        values: &["<level>"],
        on: Takes::Layer2,
        feature: None,
    },
    PortSetting {
        keywords: &["udld"],
        values: &["enable", "disable", "aggressive"],
        on: Takes::Ethernet,
        feature: Some("udld"),
    },
    PortSetting {
        keywords: &["vpc", "orphan-port", "suspend"],
        values: &[],
        on: Takes::Ethernet,
        feature: Some("vpc"),
    },
];

pub struct PortSetting {
    pub keywords: &'static [&'static str],
    /// Accepted values; `<level>` is a percentage 0.00-100.00.
    pub values: &'static [&'static str],
    pub on: Takes,
    pub feature: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Layer2,
    Ethernet,
    PortChannel,
}

/// A line of [`PORT_SETTINGS`], if it is one.
fn port_setting(name: &IfName, line: &Line) -> Option<Res> {
    let (no, i) = negation(line);
    let (rank, setting) = PORT_SETTINGS.iter().enumerate().find(|(_, s)| {
        s.keywords
            .iter()
            .enumerate()
            .all(|(k, word)| line.tok(i + k) == Some(*word))
    })?;
    let takes = match setting.on {
        Takes::Layer2 => name.can_switch(),
        Takes::Ethernet => matches!(name, IfName::Ethernet(_)),
        Takes::PortChannel => matches!(name, IfName::PortChannel(_)),
    };
    if !takes {
        return Some(Err(Fail::Miss(i)));
    }
    let j = i + setting.keywords.len();
    let needs = setting.feature.map(|f| (f, line.pos(i)));
    let flag_default_on = setting.keywords == ["lacp", "suspend-individual"];
    let result = (|| {
        let value = if no || setting.values.is_empty() {
            None
        } else {
            let word = need(line, j)?;
            let ok = setting.values.iter().any(|v| match *v {
                "<level>" => word
                    .parse::<f64>()
                    .is_ok_and(|l| (0.0..=100.0).contains(&l)),
                v => v == word,
            });
            if !ok {
                return Err(invalid(line, j));
            }
            Some(word)
        };
        end(line, j + usize::from(value.is_some()))?;
        let keywords = setting.keywords.join(" ");
        let printed = match (flag_default_on, no) {
            (true, true) => Some(format!("no {keywords}")),
            (true, false) | (false, true) => None,
            (false, false) => Some(match value {
                // NX-OS prints storm-control levels with two decimals.
                Some(level) if setting.values == ["<level>"] => {
                    format!("{keywords} {:.2}", level.parse::<f64>().unwrap_or(0.0))
                }
                Some(value) => format!("{keywords} {value}"),
                None => keywords,
            }),
        };
        Ok((
            Cmd::PortSetting {
                rank,
                line: printed,
            },
            needs,
        ))
    })();
    Some(result)
}

fn interface(name: &IfName, line: &Line) -> Res {
    if let Some(result) = port_setting(name, line) {
        return result;
    }
    let (no, i) = negation(line);
    let keyword = need(line, i)?;
    let l2 = name.can_switch();
    match keyword {
        "description" => {
            if no {
                return plain(Cmd::Description(None));
            }
            let text = line.rest(i + 1).ok_or_else(|| incomplete(line, i + 1))?;
            if text.chars().count() > 254 {
                return Err(Fail::Error(CliError::marker(
                    line.pos(i + 1),
                    "String exceeded max length of (254)",
                )));
            }
            plain(Cmd::Description(Some(text.to_string())))
        }
        "switchport" if l2 => {
            let Some(sub) = line.tok(i + 1) else {
                return plain(Cmd::Switchport(!no));
            };
            match sub {
                "mode" if no => plain(Cmd::SwitchportMode(None)),
                "mode" => {
                    let mode = match need(line, i + 2)? {
                        "access" => PortMode::Access,
                        "trunk" => PortMode::Trunk,
                        _ => return Err(invalid(line, i + 2)),
                    };
                    end(line, i + 3)?;
                    plain(Cmd::SwitchportMode(Some(mode)))
                }
                "access" => {
                    if need(line, i + 2)? != "vlan" {
                        return Err(invalid(line, i + 2));
                    }
                    if no {
                        return plain(Cmd::AccessVlan(None));
                    }
                    let vlan = number(line, i + 3, 1u16, vlans::MAX_VLAN)?;
                    end(line, i + 4)?;
                    plain(Cmd::AccessVlan(Some(vlan)))
                }
                "trunk" => {
                    if need(line, i + 2)? != "allowed" {
                        return Err(invalid(line, i + 2));
                    }
                    if need(line, i + 3)? != "vlan" {
                        return Err(invalid(line, i + 3));
                    }
                    if no {
                        return plain(Cmd::TrunkAllowed(TrunkOp::All));
                    }
                    let j = i + 4;
                    let op = match need(line, j)? {
                        "none" => TrunkOp::None,
                        "all" => TrunkOp::All,
                        "add" => TrunkOp::Add(vlan_list(line, j + 1)?),
                        "remove" => TrunkOp::Remove(vlan_list(line, j + 1)?),
                        "except" => TrunkOp::Except(vlan_list(line, j + 1)?),
                        _ => TrunkOp::Set(vlan_list(line, j)?),
                    };
                    let last = if matches!(op, TrunkOp::Set(_) | TrunkOp::None | TrunkOp::All) {
                        j + 1
                    } else {
                        j + 2
                    };
                    end(line, last)?;
                    plain(Cmd::TrunkAllowed(op))
                }
                _ => Err(invalid(line, i + 1)),
            }
        }
        "spanning-tree" if l2 => {
            // `spanning-tree mode ...` and the like are the parent's.
            if need(line, i + 1)? != "port" {
                return Err(Fail::Miss(i + 1));
            }
            if need(line, i + 2)? != "type" {
                return Err(invalid(line, i + 2));
            }
            if no {
                return plain(Cmd::StpPortType(None));
            }
            let kind = match (need(line, i + 3)?, line.tok(i + 4)) {
                ("edge", None) => "edge",
                ("edge", Some("trunk")) => "edge trunk",
                ("network", None) => "network",
                ("normal", None) => "normal",
                _ => return Err(invalid(line, i + 3)),
            };
            end(line, i + 3 + kind.split(' ').count())?;
            plain(Cmd::StpPortType(Some(kind.to_string())))
        }
        "mtu" => {
            if no {
                return plain(Cmd::Mtu(None));
            }
            let mtu = number(line, i + 1, 576u32, 9216)?;
            end(line, i + 2)?;
            plain(Cmd::Mtu(Some(mtu)))
        }
        "channel-group" if matches!(name, IfName::Ethernet(_)) => {
            if no {
                return plain(Cmd::ChannelGroup(None));
            }
            let group = number(line, i + 1, 1u32, 4096)?;
            let (mode, needs) = match line.tok(i + 2) {
                None => ("on", None),
                Some("mode") => match need(line, i + 3)? {
                    "on" => ("on", None),
                    m @ ("active" | "passive") => (m, Some(("lacp", line.pos(i + 3)))),
                    _ => return Err(invalid(line, i + 3)),
                },
                Some(_) => return Err(invalid(line, i + 2)),
            };
            end(line, if line.len() > i + 2 { i + 4 } else { i + 2 })?;
            Ok((Cmd::ChannelGroup(Some((group, mode.to_string()))), needs))
        }
        "vpc" if matches!(name, IfName::PortChannel(_)) => {
            let needs = Some(("vpc", line.pos(i)));
            if no {
                return Ok((Cmd::Vpc(None), needs));
            }
            let role = match need(line, i + 1)? {
                "peer-link" => VpcRole::PeerLink,
                t if t.starts_with(|c: char| c.is_ascii_digit()) => {
                    VpcRole::Id(number(line, i + 1, 1u32, 4096)?)
                }
                // `vpc domain ...` is the parent's.
                _ => return Err(Fail::Miss(i + 1)),
            };
            end(line, i + 2)?;
            Ok((Cmd::Vpc(Some(role)), needs))
        }
        "vrf" => {
            if need(line, i + 1)? != "member" {
                return Err(Fail::Miss(i + 1));
            }
            if no {
                return plain(Cmd::VrfMember(None));
            }
            let vrf = name_arg(line, i + 2, 32)?;
            plain(Cmd::VrfMember(Some(vrf)))
        }
        "ip" => match need(line, i + 1)? {
            "address" => {
                if no {
                    return plain(Cmd::IpAddress(None));
                }
                let address = ip_arg(line, i + 2, is_prefix)?;
                end(line, i + 3)?;
                plain(Cmd::IpAddress(Some(address)))
            }
            "redirects" => {
                end(line, i + 2)?;
                plain(Cmd::IpRedirects(!no))
            }
            "access-group" => {
                let name = need(line, i + 2)?.to_string();
                let direction = match need(line, i + 3)? {
                    d @ ("in" | "out") => d.to_string(),
                    _ => return Err(invalid(line, i + 3)),
                };
                end(line, i + 4)?;
                plain(Cmd::AccessGroup {
                    name,
                    direction,
                    add: !no,
                })
            }
            _ => Err(Fail::Miss(i + 1)),
        },
        "hsrp" if !matches!(name, IfName::Mgmt(_)) => {
            let needs = Some(("hsrp", line.pos(i)));
            let cmd = match need(line, i + 1)? {
                "version" if no => Cmd::HsrpVersion(1),
                "version" => {
                    let version = number(line, i + 2, 1u8, 2)?;
                    end(line, i + 3)?;
                    Cmd::HsrpVersion(version)
                }
                _ => {
                    let group = number(line, i + 1, 0u16, 4095)?;
                    end(line, i + 2)?;
                    if no {
                        Cmd::NoHsrp(group)
                    } else {
                        Cmd::Hsrp(group)
                    }
                }
            };
            Ok((cmd, needs))
        }
        "shutdown" => {
            end(line, i + 1)?;
            plain(Cmd::Shutdown(!no))
        }
        _ => Err(Fail::Miss(i)),
    }
}

fn hsrp(line: &Line) -> Res {
    let (no, i) = negation(line);
    let cmd = match need(line, i)? {
        "preempt" => Cmd::Preempt((!no).then(|| line.joined(i))),
        "priority" if no => Cmd::Priority(None),
        "priority" => {
            let priority = number(line, i + 1, 0u32, 255)?;
            end(line, i + 2)?;
            Cmd::Priority(Some(priority))
        }
        "ip" if no => Cmd::HsrpIp(None),
        "ip" => {
            // `ip address ...` is the interface's, not the group's.
            if !line.tok(i + 1).is_some_and(is_ipv4) {
                return Err(Fail::Miss(i + 1));
            }
            end(line, i + 2)?;
            Cmd::HsrpIp(line.tok(i + 1).map(str::to_string))
        }
        _ => return Err(Fail::Miss(i)),
    };
    plain(cmd)
}

fn vlan(line: &Line) -> Res {
    let (no, i) = negation(line);
    match need(line, i)? {
        "name" if no => plain(Cmd::VlanName(None)),
        "name" => {
            let name = name_arg(line, i + 1, 32)?;
            plain(Cmd::VlanName(Some(name)))
        }
        _ => Err(Fail::Miss(i)),
    }
}

fn vrf(line: &Line) -> Res {
    let (no, i) = negation(line);
    match (need(line, i)?, line.tok(i + 1)) {
        ("ip", Some("route")) => route(line, i + 2, no),
        _ => Err(Fail::Miss(i)),
    }
}

/// vPC domain settings in show-run order: keywords, then how many
/// arguments follow (min, max).
const VPC_SETTINGS: &[(&[&str], usize, usize)] = &[
    (&["peer-switch"], 0, 0),
    (&["role", "priority"], 1, 1),
    (&["system-priority"], 1, 1),
    (&["peer-keepalive", "destination"], 1, 8),
    (&["delay", "restore"], 1, 1),
    (&["peer-gateway"], 0, 0),
    (&["layer3", "peer-router"], 0, 0),
    (&["auto-recovery"], 0, 2),
    (&["ipv6", "nd", "synchronize"], 0, 0),
    (&["ip", "arp", "synchronize"], 0, 0),
];

fn vpc_domain(line: &Line) -> Res {
    let (no, i) = negation(line);
    for (rank, (keywords, min, max)) in VPC_SETTINGS.iter().enumerate() {
        let matched = keywords
            .iter()
            .enumerate()
            .take_while(|(k, word)| line.tok(i + k) == Some(**word))
            .count();
        if matched == 0 {
            continue;
        }
        if matched < keywords.len() {
            return Err(match line.tok(i + matched) {
                Some(_) => invalid(line, i + matched),
                None => incomplete(line, i + matched),
            });
        }
        let args = line.len() - i - keywords.len();
        if no {
            return plain(Cmd::VpcSetting { rank, line: None });
        }
        if args < *min {
            return Err(incomplete(line, line.len()));
        }
        if args > *max {
            return Err(invalid(line, i + keywords.len() + max));
        }
        let first_arg = i + keywords.len();
        if *min == 1 && *max == 1 {
            number(line, first_arg, 1u32, 65535)?;
        }
        if keywords[0] == "peer-keepalive" {
            ip_arg(line, first_arg, is_ipv4)?;
        }
        return plain(Cmd::VpcSetting {
            rank,
            line: Some(line.joined(i)),
        });
    }
    Err(Fail::Miss(i))
}

fn mst(line: &Line) -> Res {
    let (no, i) = negation(line);
    match need(line, i)? {
        "name" if no => plain(Cmd::MstName(None)),
        "name" => Ok((Cmd::MstName(Some(name_arg(line, i + 1, 32)?)), None)),
        "revision" if no => plain(Cmd::MstRevision(None)),
        "revision" => {
            let revision = number(line, i + 1, 0u32, 65535)?;
            end(line, i + 2)?;
            plain(Cmd::MstRevision(Some(revision)))
        }
        "instance" => {
            let id = number(line, i + 1, 1u16, 4094)?;
            let vlans = match line.tok(i + 2) {
                None if no => None,
                Some("vlan") => Some(vlan_list(line, i + 3)?),
                _ => return Err(invalid(line, i + 2)),
            };
            end(line, if vlans.is_some() { i + 4 } else { i + 2 })?;
            plain(Cmd::MstInstance {
                id,
                vlans,
                add: !no,
            })
        }
        _ => Err(Fail::Miss(i)),
    }
}

/// An optional leading sequence number: (number, index after it).
fn sequence(line: &Line, i: usize) -> Result<(Option<u32>, usize), Fail> {
    match line.tok(i) {
        Some(t) if t.chars().all(|c| c.is_ascii_digit()) => {
            Ok((Some(number(line, i, 1u32, 4_294_967_295)?), i + 1))
        }
        _ => Ok((None, i)),
    }
}

fn acl(line: &Line) -> Res {
    let (no, i) = negation(line);
    if need(line, i)? == "statistics" {
        if need(line, i + 1)? != "per-entry" {
            return Err(invalid(line, i + 1));
        }
        end(line, i + 2)?;
        return plain(Cmd::Statistics(!no));
    }
    let (seq, j) = sequence(line, i)?;
    let text = match line.tok(j) {
        None if no && seq.is_some() => return plain(Cmd::NoSeq(seq.unwrap_or_default())),
        Some("remark") => {
            let remark = line.rest(j + 1).ok_or_else(|| incomplete(line, j + 1))?;
            if remark.chars().count() > 100 {
                return Err(Fail::Error(CliError::marker(
                    line.pos(j + 1),
                    "String exceeded max length of (100)",
                )));
            }
            format!("remark {remark}")
        }
        Some("permit" | "deny") => ace(line, j)?,
        None => return Err(incomplete(line, j)),
        Some(_) => return Err(Fail::Miss(j)),
    };
    entry(no, seq, text)
}

fn entry(no: bool, seq: Option<u32>, text: String) -> Res {
    plain(match (no, seq) {
        (true, Some(seq)) => Cmd::NoSeq(seq),
        (true, None) => Cmd::NoEntry(text),
        (false, seq) => Cmd::Entry { seq, text },
    })
}

const PROTOCOLS: &[&str] = &[
    "ip", "tcp", "udp", "icmp", "igmp", "gre", "esp", "ahp", "eigrp", "nos", "ospf", "pcp", "pim",
];

/// An ACE (`permit|deny PROTO SRC [PORTS] DST [PORTS] [OPTIONS]`) from
/// token `i`, as NX-OS stores it: `host A` becomes `A/32` and well-known
/// port numbers become their names (`eq 80` → `eq www`).
fn ace(line: &Line, i: usize) -> Result<String, Fail> {
    let mut out = vec![need(line, i)?.to_string()];
    let proto = need(line, i + 1)?;
    if !PROTOCOLS.contains(&proto) && proto.parse::<u8>().is_err() {
        return Err(invalid(line, i + 1));
    }
    out.push(proto.to_string());
    let ported = matches!(proto, "tcp" | "udp");
    let mut j = i + 2;
    for _ in 0..2 {
        j = address(line, j, &mut out)?;
        if ported {
            j = port_match(line, j, proto, &mut out)?;
        }
    }
    // Options (log, established, dscp, icmp types ...) are kept as typed.
    out.extend(
        (j..line.len())
            .filter_map(|k| line.tok(k))
            .map(str::to_string),
    );
    Ok(out.join(" "))
}

fn address(line: &Line, i: usize, out: &mut Vec<String>) -> Result<usize, Fail> {
    match need(line, i)? {
        "any" => {
            out.push("any".into());
            Ok(i + 1)
        }
        "host" => {
            out.push(format!("{}/32", ip_arg(line, i + 1, is_ipv4)?));
            Ok(i + 2)
        }
        "addrgroup" => {
            out.push(format!("addrgroup {}", need(line, i + 1)?));
            Ok(i + 2)
        }
        t if is_prefix(t) => {
            out.push(t.to_string());
            Ok(i + 1)
        }
        t if is_ipv4(t) => {
            let wildcard = ip_arg(line, i + 1, is_ipv4)?;
            out.push(format!("{t} {wildcard}"));
            Ok(i + 2)
        }
        _ => Err(invalid(line, i)),
    }
}

fn port_match(line: &Line, i: usize, proto: &str, out: &mut Vec<String>) -> Result<usize, Fail> {
    let op = match line.tok(i) {
        Some(op @ ("eq" | "neq" | "lt" | "gt" | "range")) => op,
        Some("portgroup") => {
            out.push(format!("portgroup {}", need(line, i + 1)?));
            return Ok(i + 2);
        }
        _ => return Ok(i),
    };
    let count = if op == "range" { 2 } else { 1 };
    let mut words = vec![op.to_string()];
    for k in 1..=count {
        let text = need(line, i + k)?;
        let port = ports::port_number(proto, text).ok_or_else(|| invalid(line, i + k))?;
        words.push(ports::port_name(proto, port));
    }
    out.push(words.join(" "));
    Ok(i + 1 + count)
}

/// Object-group entries: `[SEQ] host A | A/L | A WILDCARD` (address) or
/// `[SEQ] eq|neq|lt|gt P | range P P` (port), kept as typed.
fn group_entry(line: &Line, kind: GroupKind) -> Res {
    let (no, i) = negation(line);
    let (seq, j) = sequence(line, i)?;
    if line.tok(j).is_none() && no && seq.is_some() {
        return plain(Cmd::NoSeq(seq.unwrap_or_default()));
    }
    let first = need(line, j)?;
    let ok = match kind {
        GroupKind::Address => match first {
            "host" => line.tok(j + 1).is_some_and(is_ipv4) && line.len() == j + 2,
            t if is_prefix(t) => line.len() == j + 1,
            t if is_ipv4(t) => line.tok(j + 1).is_some_and(is_ipv4) && line.len() == j + 2,
            _ => return Err(Fail::Miss(j)),
        },
        GroupKind::Port => {
            let count = match first {
                "eq" | "neq" | "lt" | "gt" => 1,
                "range" => 2,
                _ => return Err(Fail::Miss(j)),
            };
            line.len() == j + 1 + count
                && (1..=count).all(|k| line.tok(j + k).is_some_and(|t| t.parse::<u16>().is_ok()))
        }
    };
    if !ok {
        return Err(match line.len() {
            n if n <= j + 1 => incomplete(line, j + 1),
            _ => invalid(line, j + 1),
        });
    }
    entry(no, seq, line.joined(j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(mode: &Mode, text: &str) -> Parsed {
        parse(mode, text, None).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn sub_mode_commands_fall_back_to_the_parent() {
        let eth = Mode::Interface(IfName::Ethernet(vec![1, 1]));
        assert_eq!(parsed(&eth, "description x").mode, eth);
        assert_eq!(parsed(&eth, "vlan 10").mode, Mode::Config);
        assert_eq!(
            parsed(&eth, "ip route 0.0.0.0/0 192.0.2.1").mode,
            Mode::Config
        );
        let hsrp = Mode::Hsrp(IfName::Vlan(10), 10);
        assert_eq!(parsed(&hsrp, "ip 10.0.0.1").mode, hsrp);
        assert_eq!(
            parsed(&hsrp, "ip address 10.0.0.2/24").mode,
            Mode::Interface(IfName::Vlan(10))
        );
    }

    #[test]
    fn errors_use_nx_os_wording_and_marker() {
        let e = parse(&Mode::Config, "interface", None).unwrap_err();
        assert_eq!(e.message, "% Incomplete command at '^' marker.");
        let e = parse(&Mode::Config, "frobnicate now", None).unwrap_err();
        assert_eq!(e, CliError::invalid(0));
        let e = parse(&Mode::Config, "ip frob", None).unwrap_err();
        assert_eq!(e, CliError::invalid(3));
        let vlan10 = Mode::Interface(IfName::Vlan(10));
        let e = parse(&vlan10, "switchport mode trunk", None).unwrap_err();
        assert_eq!(e, CliError::invalid(0));
    }

    #[test]
    fn aces_are_stored_as_nx_os_prints_them() {
        let acl = Mode::Acl("A".into());
        let p = parsed(&acl, "20 permit tcp host 10.0.0.1 any eq 80 log");
        assert_eq!(
            p.cmd,
            Cmd::Entry {
                seq: Some(20),
                text: "permit tcp 10.0.0.1/32 any eq www log".into()
            }
        );
        let p = parsed(&acl, "no 20");
        assert_eq!(p.cmd, Cmd::NoSeq(20));
        assert!(parse(&acl, "permit tcp any", None).is_err());
        assert!(parse(&acl, "permit bogus any any", None).is_err());
    }
}

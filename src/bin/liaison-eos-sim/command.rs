//! The configuration commands the simulator knows, per mode, as patterns
//! matched word by word the way the EOS parser does: a keyword may be
//! abbreviated to any prefix that is unambiguous, and the first word that
//! fits no pattern is the one an error names.
//!
//! Error wording (EOS prints it on the line after the command):
//! `% Invalid input (at token N: 'WORD')` with N counted from 0 (as
//! reported by eAPI and the CLI: aristanetworks/avd issues #5821 and
//! #7025, ansible/ansible #67077), `% Incomplete command`,
//! `% Ambiguous command` (EOS User Manual, "Command-Line Interface").

use crate::sim::vlans;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The word at this index (from 0) fits no command.
    Invalid {
        token: usize,
        word: String,
    },
    Incomplete,
    Ambiguous,
    /// Any other refusal, printed as it is.
    Message(String),
}

impl CliError {
    pub fn text(&self) -> String {
        match self {
            CliError::Invalid { token, word } => {
                format!("% Invalid input (at token {token}: '{word}')")
            }
            CliError::Incomplete => "% Incomplete command".to_string(),
            CliError::Ambiguous => "% Ambiguous command".to_string(),
            CliError::Message(text) => text.clone(),
        }
    }

    /// The first word of `text` is refused (a command this mode lacks).
    pub fn first_word(text: &str) -> CliError {
        CliError::Invalid {
            token: 0,
            word: text.split_whitespace().next().unwrap_or("").to_string(),
        }
    }
}

/// What a matched command does (see cli.rs for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Replaces the lines that start with this key with the command.
    Set(&'static str),
    /// Removes the lines that start with this key.
    Unset(&'static str),
    /// Adds the command as a line (once).
    Add,
    /// Removes the line the command names after its `no`.
    Remove,
    /// Removes this exact line.
    RemoveLine(&'static str),
    EnterVlan,
    NoVlan,
    EnterInterface,
    NoInterface,
    DefaultInterface,
    EnterAccessList,
    NoAccessList,
    EnterMlag,
    NoMlag,
    EnterVrf,
    EnterMstConfig,
    NoMstConfig,
    /// A top-level line that coexists with others of its kind (a route).
    AddGlobal,
    /// `no` of an [`Op::AddGlobal`] line: removes the lines it starts.
    RemoveGlobal,
    NoVrf,
    NoSpanningTreeMode,
    /// `no spanning-tree vlan-id LIST`: adds to the printed list.
    StpVlanIdOff,
    /// `spanning-tree vlan-id LIST`: takes out of it.
    StpVlanIdOn,
    IpRouting,
    NoIpRouting,
    TrunkAllowed,
    TrunkAllowedAdd,
    TrunkAllowedRemove,
    TrunkAllowedAll,
    TrunkAllowedNone,
    Switchport,
    ChannelGroup,
    AccessGroup,
    NoAccessGroup,
    AclEntry,
    AclEntryNumbered,
    NoAclSequence,
    NoAclEntry,
}

pub type Grammar<T> = &'static [(&'static str, T)];

pub const GLOBAL: Grammar<Op> = &[
    ("hostname <word>", Op::Set("hostname")),
    ("no hostname", Op::Unset("hostname")),
    ("vlan <vlans>", Op::EnterVlan),
    ("no vlan <vlans>", Op::NoVlan),
    ("interface <intf>", Op::EnterInterface),
    ("no interface <intf>", Op::NoInterface),
    ("default interface <intf>", Op::DefaultInterface),
    ("ip access-list standard <word>", Op::EnterAccessList),
    ("ip access-list <word>", Op::EnterAccessList),
    ("no ip access-list standard <word>", Op::NoAccessList),
    ("no ip access-list <word>", Op::NoAccessList),
    ("mlag configuration", Op::EnterMlag),
    ("no mlag configuration", Op::NoMlag),
    ("vrf instance <word>", Op::EnterVrf),
    ("no vrf instance <word>", Op::NoVrf),
    (
        "spanning-tree mode mstp|rstp|rapid-pvst|none",
        Op::Set("spanning-tree mode"),
    ),
    ("no spanning-tree mode", Op::NoSpanningTreeMode),
    (
        "spanning-tree mst <n:0-4094> priority <priority>",
        Op::Set(""),
    ),
    ("no spanning-tree mst <n:0-4094> priority", Op::Unset("")),
    ("spanning-tree mst configuration", Op::EnterMstConfig),
    ("no spanning-tree mst configuration", Op::NoMstConfig),
    (
        "spanning-tree vlan-id <vlans> priority <priority>",
        Op::Set(""),
    ),
    ("no spanning-tree vlan-id <vlans> priority", Op::Unset("")),
    ("no spanning-tree vlan-id <vlans>", Op::StpVlanIdOff),
    ("spanning-tree vlan-id <vlans>", Op::StpVlanIdOn),
    (
        "ip virtual-router mac-address <mac>",
        Op::Set("ip virtual-router mac-address"),
    ),
    (
        "no ip virtual-router mac-address",
        Op::Unset("ip virtual-router mac-address"),
    ),
    ("ip routing", Op::IpRouting),
    ("no ip routing", Op::NoIpRouting),
    ("ip routing vrf <word>", Op::IpRouting),
    ("no ip routing vrf <word>", Op::NoIpRouting),
    // Static routes (EOS User Manual, "ip route"; the corpus's `ip route
    // vrf MGMT 0.0.0.0/0 172.16.100.1`), with an optional distance.
    ("ip route vrf <word> <prefix> <ip> <n:1-255>", Op::AddGlobal),
    ("ip route vrf <word> <prefix> <ip>", Op::AddGlobal),
    ("ip route <prefix> <ip> <n:1-255>", Op::AddGlobal),
    ("ip route <prefix> <ip>", Op::AddGlobal),
    ("no ip route vrf <word> <prefix> <ip>", Op::RemoveGlobal),
    ("no ip route vrf <word> <prefix>", Op::RemoveGlobal),
    ("no ip route <prefix> <ip>", Op::RemoveGlobal),
    ("no ip route <prefix>", Op::RemoveGlobal),
];

pub const INTERFACE: Grammar<Op> = &[
    ("description <rest>", Op::Set("description")),
    ("no description", Op::Unset("description")),
    ("shutdown", Op::Set("shutdown")),
    ("no shutdown", Op::Unset("shutdown")),
    ("mtu <n:68-9214>", Op::Set("mtu")),
    ("no mtu", Op::Unset("mtu")),
    ("switchport", Op::Switchport),
    ("no switchport", Op::Add),
    ("switchport mode access|trunk", Op::Set("switchport mode")),
    ("no switchport mode", Op::Unset("switchport mode")),
    (
        "switchport access vlan <vlan>",
        Op::Set("switchport access vlan"),
    ),
    (
        "no switchport access vlan",
        Op::Unset("switchport access vlan"),
    ),
    (
        "switchport trunk allowed vlan add <vlans>",
        Op::TrunkAllowedAdd,
    ),
    (
        "switchport trunk allowed vlan remove <vlans>",
        Op::TrunkAllowedRemove,
    ),
    ("switchport trunk allowed vlan all", Op::TrunkAllowedAll),
    ("switchport trunk allowed vlan none", Op::TrunkAllowedNone),
    ("switchport trunk allowed vlan <vlans>", Op::TrunkAllowed),
    ("no switchport trunk allowed vlan", Op::TrunkAllowedAll),
    (
        "switchport trunk native vlan <vlan>",
        Op::Set("switchport trunk native vlan"),
    ),
    (
        "no switchport trunk native vlan",
        Op::Unset("switchport trunk native vlan"),
    ),
    ("switchport trunk group <word>", Op::Add),
    ("no switchport trunk group <word>", Op::Remove),
    (
        "no switchport trunk group",
        Op::Unset("switchport trunk group"),
    ),
    (
        "channel-group <n:1-2000> mode active|passive|on",
        Op::ChannelGroup,
    ),
    ("no channel-group", Op::Unset("channel-group")),
    ("mlag <n:1-2000>", Op::Set("mlag")),
    ("no mlag", Op::Unset("mlag")),
    ("vrf <word>", Op::Set("vrf")),
    ("no vrf", Op::Unset("vrf")),
    ("no vrf <word>", Op::Unset("vrf")),
    ("ip address <prefix>", Op::Set("ip address")),
    ("no ip address", Op::Unset("ip address")),
    ("no ip address <prefix>", Op::Unset("ip address")),
    ("ip virtual-router address <ip>", Op::Add),
    ("no ip virtual-router address <ip>", Op::Remove),
    ("ip access-group <word> in|out", Op::AccessGroup),
    ("no ip access-group <word> in|out", Op::NoAccessGroup),
    ("no ip access-group in|out", Op::NoAccessGroup),
    ("no autostate", Op::Add),
    ("autostate", Op::RemoveLine("no autostate")),
    ("spanning-tree portfast", Op::Add),
    ("no spanning-tree portfast", Op::Remove),
    // The corpus's ethernet-interfaces and port-channel-interfaces configs.
    (
        "spanning-tree bpduguard enable|disable",
        Op::Set("spanning-tree bpduguard"),
    ),
    (
        "no spanning-tree bpduguard",
        Op::Unset("spanning-tree bpduguard"),
    ),
    (
        "spanning-tree guard root|loop|none",
        Op::Set("spanning-tree guard"),
    ),
    ("no spanning-tree guard", Op::Unset("spanning-tree guard")),
];

/// `spanning-tree mst configuration` (the corpus's spanning-tree config:
/// `name`, `revision`, `instance N vlan LIST`).
pub const MST_CONFIG: Grammar<Op> = &[
    ("name <word>", Op::Set("name")),
    ("no name", Op::Unset("name")),
    ("revision <n:0-65535>", Op::Set("revision")),
    ("no revision", Op::Unset("revision")),
    ("instance <n:1-4094> vlan <vlans>", Op::Set("")),
    ("no instance <n:1-4094>", Op::Unset("")),
];

pub const VLAN: Grammar<Op> = &[
    ("name <word>", Op::Set("name")),
    ("no name", Op::Unset("name")),
    ("state active|suspend", Op::Set("state")),
    ("no state", Op::Unset("state")),
    ("trunk group <word>", Op::Add),
    ("no trunk group <word>", Op::Remove),
];

pub const ACCESS_LIST: Grammar<Op> = &[
    ("counters per-entry", Op::Add),
    ("no counters per-entry", Op::Remove),
    ("<seq> permit|deny <ace>", Op::AclEntryNumbered),
    ("<seq> remark <rest>", Op::AclEntryNumbered),
    ("permit|deny <ace>", Op::AclEntry),
    ("remark <rest>", Op::AclEntry),
    ("no <seq>", Op::NoAclSequence),
    ("no permit|deny <ace>", Op::NoAclEntry),
];

pub const STANDARD_ACCESS_LIST: Grammar<Op> = &[
    ("counters per-entry", Op::Add),
    ("no counters per-entry", Op::Remove),
    ("<seq> permit|deny <source>", Op::AclEntryNumbered),
    ("<seq> remark <rest>", Op::AclEntryNumbered),
    ("permit|deny <source>", Op::AclEntry),
    ("remark <rest>", Op::AclEntry),
    ("no <seq>", Op::NoAclSequence),
    ("no permit|deny <source>", Op::NoAclEntry),
];

pub const MLAG: Grammar<Op> = &[
    ("domain-id <word>", Op::Set("domain-id")),
    ("no domain-id", Op::Unset("domain-id")),
    ("local-interface <intf>", Op::Set("local-interface")),
    ("no local-interface", Op::Unset("local-interface")),
    ("peer-address <ip>", Op::Set("peer-address")),
    ("no peer-address", Op::Unset("peer-address")),
    ("peer-link <intf>", Op::Set("peer-link")),
    ("no peer-link", Op::Unset("peer-link")),
    (
        "reload-delay mlag <n:0-86400>",
        Op::Set("reload-delay mlag"),
    ),
    (
        "reload-delay non-mlag <n:0-86400>",
        Op::Set("reload-delay non-mlag"),
    ),
    ("shutdown", Op::Set("shutdown")),
    ("no shutdown", Op::Unset("shutdown")),
];

pub const VRF: Grammar<Op> = &[
    ("description <rest>", Op::Set("description")),
    ("no description", Op::Unset("description")),
];

/// A matched command: what it does, its words as EOS prints them
/// (keywords in full, values normalised) and its values.
#[derive(Debug, Clone)]
pub struct Matched<T> {
    pub op: T,
    pub line: String,
    pub args: Vec<String>,
}

struct Words<'a> {
    text: &'a str,
    words: Vec<(usize, &'a str)>,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words {
            text,
            words: crate::sim::words::split(text),
        }
    }
}

enum Outcome<T> {
    Match(Matched<T>),
    /// The words ran out: more was expected.
    Short,
    /// The word at this index did not fit.
    Failed(usize),
}

/// Matches `text` against a mode's grammar.
pub fn parse<T: Copy + PartialEq>(
    grammar: &[(&'static str, T)],
    text: &str,
) -> Result<Matched<T>, CliError> {
    let words = Words::new(text);
    for exact in [true, false] {
        let mut found: Vec<Matched<T>> = Vec::new();
        let mut furthest = 0usize;
        let mut short = false;
        for (pattern, op) in grammar {
            match match_pattern(pattern, *op, &words, exact) {
                Outcome::Match(m) => found.push(m),
                Outcome::Short => short = true,
                Outcome::Failed(at) => furthest = furthest.max(at),
            }
        }
        if let Some(first) = found.first() {
            if !exact && found.iter().any(|m| m.op != first.op) {
                return Err(CliError::Ambiguous);
            }
            return Ok(found.swap_remove(0));
        }
        if !exact {
            // Every word fitted a command that wants more.
            if short || words.words.is_empty() {
                return Err(CliError::Incomplete);
            }
            let at = furthest.min(words.words.len() - 1);
            return Err(CliError::Invalid {
                token: at,
                word: words.words[at].1.to_string(),
            });
        }
    }
    unreachable!("the prefix pass always returns")
}

fn match_pattern<T>(pattern: &str, op: T, words: &Words, exact: bool) -> Outcome<T> {
    let mut out = Vec::new();
    let mut args = Vec::new();
    let mut j = 0;
    for token in pattern.split_whitespace() {
        if token == "<rest>" || token == "<ace>" {
            let Some(&(offset, _)) = words.words.get(j) else {
                return Outcome::Short;
            };
            let rest = words.text[offset..].trim_end();
            if token == "<ace>" {
                if let Err(bad) = check_ace(&words.words[j..]) {
                    return Outcome::Failed(j + bad);
                }
            }
            out.push(rest.to_string());
            args.push(rest.to_string());
            j = words.words.len();
            break;
        }
        let Some(&(_, word)) = words.words.get(j) else {
            return Outcome::Short;
        };
        if let Some(kind) = token.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            let value = if kind == "source" {
                // A standard ACL's source: `any`, `host IP` or a prefix.
                match source(&words.words[j..]) {
                    Some((text, used)) => {
                        j += used - 1;
                        Some(text)
                    }
                    None => None,
                }
            } else {
                value(kind, word)
            };
            match value {
                Some(v) => {
                    out.push(v.clone());
                    args.push(v);
                }
                None => return Outcome::Failed(j),
            }
        } else {
            let alternatives: Vec<&str> = token.split('|').collect();
            let hit = alternatives.iter().find(|k| **k == word).or_else(|| {
                let prefixed: Vec<&&str> = alternatives
                    .iter()
                    .filter(|k| !exact && k.starts_with(word))
                    .collect();
                (prefixed.len() == 1).then(|| prefixed[0])
            });
            match hit {
                Some(k) => {
                    out.push(k.to_string());
                    if alternatives.len() > 1 {
                        args.push(k.to_string());
                    }
                }
                None => return Outcome::Failed(j),
            }
        }
        j += 1;
    }
    if j < words.words.len() {
        return Outcome::Failed(j);
    }
    Outcome::Match(Matched {
        op,
        line: out.join(" "),
        args,
    })
}

/// A value for a placeholder, normalised as EOS prints it.
fn value(kind: &str, word: &str) -> Option<String> {
    if let Some(range) = kind.strip_prefix("n:") {
        let (lo, hi) = range.split_once('-')?;
        let n: u64 = word.parse().ok()?;
        return (lo.parse::<u64>().ok()? <= n && n <= hi.parse().ok()?).then(|| n.to_string());
    }
    match kind {
        "word" => Some(word.to_string()),
        "vlan" => word
            .parse::<u16>()
            .ok()
            .filter(|v| (1..=vlans::MAX_VLAN).contains(v))
            .map(|v| v.to_string()),
        "vlans" => vlans::parse(word).ok().map(|set| vlans::format(&set)),
        "seq" => word
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=4_294_967_295).contains(s))
            .map(|s| s.to_string()),
        // Bridge priority in steps of 4096 (EOS User Manual, "Spanning Tree").
        "priority" => word
            .parse::<u32>()
            .ok()
            .filter(|p| *p <= 61_440 && p % 4096 == 0)
            .map(|p| p.to_string()),
        "ip" => ipv4(word).then(|| word.to_string()),
        "prefix" => {
            let (ip, len) = word.split_once('/')?;
            (ipv4(ip) && len.parse::<u8>().ok()? <= 32).then(|| word.to_string())
        }
        "mac" => mac(word),
        "intf" => interface_name(word),
        "time" => timer(word).map(|s| s.to_string()),
        _ => None,
    }
}

fn ipv4(word: &str) -> bool {
    word.parse::<std::net::Ipv4Addr>().is_ok()
}

/// `00:1c:73:00:00:01` (typed also as `001c.7300.0001` or with dashes),
/// printed as the corpus shows it: lower case, colons
/// (`ip virtual-router mac-address 00:1c:73:00:00:99` in AVD's configs).
fn mac(word: &str) -> Option<String> {
    let hex: String = word.chars().filter(|c| !".:-".contains(*c)).collect();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let hex = hex.to_ascii_lowercase();
    let pairs: Vec<&str> = (0..6).map(|i| &hex[2 * i..2 * i + 2]).collect();
    Some(pairs.join(":"))
}

/// `HH:MM:SS` in seconds.
pub fn timer(word: &str) -> Option<u64> {
    let parts: Vec<&str> = word.split(':').collect();
    let [h, m, s] = parts.as_slice() else {
        return None;
    };
    let (h, m, s): (u64, u64, u64) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    (m < 60 && s < 60 && h * 3600 + m * 60 + s > 0).then_some(h * 3600 + m * 60 + s)
}

/// An interface name as EOS prints it, from any unambiguous prefix of
/// its type in any case (`et1`, `Eth1/1`, `po10`, `vlan10`).
pub fn interface_name(word: &str) -> Option<String> {
    const TYPES: [&str; 7] = [
        "Ethernet",
        "Port-Channel",
        "Vlan",
        "Loopback",
        "Management",
        "Vxlan",
        "Tunnel",
    ];
    let split = word.find(|c: char| c.is_ascii_digit())?;
    let (kind, number) = word.split_at(split);
    if kind.is_empty() {
        return None;
    }
    let kind = kind.to_ascii_lowercase();
    let hits: Vec<&str> = TYPES
        .iter()
        .copied()
        .filter(|t| t.to_ascii_lowercase().starts_with(&kind))
        .collect();
    let full = match hits.as_slice() {
        [one] => *one,
        // `v` could be Vlan or Vxlan.
        _ => return None,
    };
    let parts: Vec<u32> = number
        .split('/')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let ok = match full {
        "Ethernet" => parts.len() <= 3 && parts.iter().all(|p| *p >= 1),
        "Port-Channel" => parts.len() == 1 && (1..=2000).contains(&parts[0]),
        "Vlan" => parts.len() == 1 && (1..=4094).contains(&parts[0]),
        "Loopback" => parts.len() == 1 && parts[0] <= 8191,
        "Management" => parts.len() <= 2,
        _ => parts.len() == 1,
    };
    ok.then(|| format!("{full}{number}"))
}

/// The short form EOS prompts use (`config-if-Et1`).
pub fn short_interface(name: &str) -> String {
    for (full, short) in [
        ("Ethernet", "Et"),
        ("Port-Channel", "Po"),
        ("Vlan", "Vl"),
        ("Loopback", "Lo"),
        ("Management", "Ma"),
        ("Vxlan", "Vx"),
        ("Tunnel", "Tu"),
    ] {
        if let Some(number) = name.strip_prefix(full) {
            return format!("{short}{number}");
        }
    }
    name.to_string()
}

/// A standard ACL source: `any`, `host IP` or `IP/LEN`; the text and the
/// words it took.
fn source(words: &[(usize, &str)]) -> Option<(String, usize)> {
    match words {
        [(_, "any"), ..] => Some(("any".to_string(), 1)),
        [(_, "host"), (_, ip), ..] if ipv4(ip) => Some((format!("host {ip}"), 2)),
        [(_, prefix), ..] if value("prefix", prefix).is_some() => Some((prefix.to_string(), 1)),
        _ => None,
    }
}

/// Checks an extended ACL entry after `permit|deny`: protocol, source,
/// optional ports, destination, optional ports, then options (kept as
/// typed). Err is the index of the first word that does not fit.
fn check_ace(words: &[(usize, &str)]) -> Result<(), usize> {
    let w: Vec<&str> = words.iter().map(|(_, w)| *w).collect();
    let protocol = *w.first().ok_or(0usize)?;
    let ports = matches!(protocol, "tcp" | "udp");
    if !(matches!(
        protocol,
        "ip" | "tcp" | "udp" | "icmp" | "ospf" | "pim" | "vrrp" | "gre"
    ) || protocol.parse::<u8>().is_ok())
    {
        return Err(0);
    }
    let mut i = 1;
    for _side in 0..2 {
        let (_, used) = source(&words[i.min(words.len())..]).ok_or(i)?;
        i += used;
        if ports {
            match w.get(i) {
                Some(&("eq" | "neq" | "gt" | "lt")) => {
                    w.get(i + 1).ok_or(i + 1)?;
                    i += 2;
                    // `eq` takes several ports.
                    while w.get(i).is_some_and(|p| p.parse::<u16>().is_ok()) {
                        i += 1;
                    }
                }
                Some(&"range") => {
                    w.get(i + 2).ok_or(i + 2)?;
                    i += 3;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_expand_and_errors_name_the_token() {
        let m = parse(INTERFACE, "sw mo tr").unwrap();
        assert_eq!(m.line, "switchport mode trunk");
        assert_eq!(
            parse(INTERFACE, "switchport mode bogus").unwrap_err(),
            CliError::Invalid {
                token: 2,
                word: "bogus".into()
            }
        );
        assert_eq!(
            parse(GLOBAL, "frobnicate now").unwrap_err().text(),
            "% Invalid input (at token 0: 'frobnicate')"
        );
        assert_eq!(parse(GLOBAL, "vlan").unwrap_err(), CliError::Incomplete);
        assert_eq!(parse(INTERFACE, "s").unwrap_err(), CliError::Ambiguous);
        let m = parse(GLOBAL, "int po10").unwrap();
        assert_eq!(m.line, "interface Port-Channel10");
        assert_eq!(
            parse(GLOBAL, "ip virtual-router mac-address 001C.7300.0099")
                .unwrap()
                .line,
            "ip virtual-router mac-address 00:1c:73:00:00:99"
        );
        assert_eq!(
            parse(GLOBAL, "spanning-tree mst 0 priority 1000")
                .unwrap_err()
                .text(),
            "% Invalid input (at token 4: '1000')"
        );
    }

    #[test]
    fn acl_entries_are_checked() {
        assert!(parse(ACCESS_LIST, "10 permit tcp any host 10.0.0.1 eq 443").is_ok());
        assert!(parse(ACCESS_LIST, "permit ip 10.0.0.0/8 any").is_ok());
        assert_eq!(
            parse(ACCESS_LIST, "10 permit tcp any nowhere").unwrap_err(),
            CliError::Invalid {
                token: 4,
                word: "nowhere".into()
            }
        );
        assert!(parse(STANDARD_ACCESS_LIST, "20 permit host 10.1.1.1").is_ok());
    }

    #[test]
    fn interface_names_normalise() {
        assert_eq!(interface_name("et1").as_deref(), Some("Ethernet1"));
        assert_eq!(
            interface_name("Ethernet49/1").as_deref(),
            Some("Ethernet49/1")
        );
        assert_eq!(
            interface_name("PORT-CHANNEL10").as_deref(),
            Some("Port-Channel10")
        );
        assert_eq!(interface_name("v10"), None);
        assert_eq!(interface_name("Vlan4095"), None);
        assert_eq!(short_interface("Port-Channel10"), "Po10");
        assert_eq!(timer("00:05:00"), Some(300));
        assert_eq!(timer("00:61:00"), None);
    }
}

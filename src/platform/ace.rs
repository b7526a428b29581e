//! The words of an extended IPv4 access-list entry after its sequence
//! number, in the syntax NX-OS and EOS share (`permit tcp 10.1.10.0/24 any
//! eq 443 established log`; Cisco Nexus 9000 security guide, "Configuring
//! IP ACLs"; Arista EOS User Manual, "ACL rule parameters"). Object-groups
//! are written the NX-OS way (`addrgroup`, `portgroup`): EOS entries never
//! name one (its templates expand them).
//!
//! Written by [`ace_words`]; read back (`verify`) by [`read_acl`], with
//! the few differences of each platform's syntax in [`AceSyntax`].

use crate::config::Node;
use crate::intent::{
    Ace, Acl, AclEntry, AclProtocol, Action, AddressGroup, AddressMatch, EntryBody, IcmpType,
    PortGroup, PortMatch, PortRange, Purpose,
};
use ipnetwork::Ipv4Network;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// What one platform's entries may say beyond the shared syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AceSyntax {
    /// Entries name object-groups (`addrgroup NAME`, `portgroup NAME`).
    pub object_groups: bool,
    /// `eq` and `neq` take a list of ports (`eq 80 443`).
    pub port_lists: bool,
}

/// The syntax of an object-group's entries (`10 10.1.10.0/24`, `eq 80`),
/// on the platform that has them.
const GROUP_ENTRIES: AceSyntax = AceSyntax {
    object_groups: true,
    port_lists: false,
};

/// An entry's match and action as one line, e.g. `permit udp any eq 53
/// 10.1.10.0/24 range 1024 65535`.
pub fn ace_words(ace: &Ace) -> String {
    let mut line = String::with_capacity(96);
    line.push_str(match ace.action {
        Action::Permit => "permit ",
        Action::Deny => "deny ",
    });
    match ace.protocol {
        AclProtocol::Ip => line.push_str("ip"),
        AclProtocol::Tcp => line.push_str("tcp"),
        AclProtocol::Udp => line.push_str("udp"),
        AclProtocol::Icmp => line.push_str("icmp"),
        AclProtocol::Other(number) => {
            let _ = write!(line, "{number}");
        }
    }
    for (address, ports) in [
        (&ace.source, &ace.source_ports),
        (&ace.destination, &ace.destination_ports),
    ] {
        match address {
            AddressMatch::Any => line.push_str(" any"),
            AddressMatch::Prefix { prefix } => {
                let _ = write!(line, " {prefix}");
            }
            AddressMatch::Group { name } => {
                let _ = write!(line, " addrgroup {name}");
            }
        }
        match ports {
            None => {}
            Some(PortMatch::Eq { port }) => {
                let _ = write!(line, " eq {port}");
            }
            Some(PortMatch::Range { low, high }) => {
                let _ = write!(line, " range {low} {high}");
            }
            Some(PortMatch::Group { name }) => {
                let _ = write!(line, " portgroup {name}");
            }
        }
    }
    if ace.established {
        line.push_str(" established");
    }
    if let Some(icmp) = ace.icmp_type {
        line.push_str(match icmp {
            IcmpType::EchoReply => " echo-reply",
            IcmpType::Unreachable => " unreachable",
            IcmpType::TimeExceeded => " time-exceeded",
            IcmpType::Echo => " echo",
        });
    }
    if ace.log {
        line.push_str(" log");
    }
    line
}

/// An ACL's or object-group's numbered lines: (sequence, the rest).
pub fn entries<'n>(node: &'n Node<'_>) -> impl Iterator<Item = (u32, &'n str)> {
    node.children.iter().filter_map(|c| {
        let (seq, rest) = c.text.split_once(' ')?;
        Some((seq.parse().ok()?, rest))
    })
}

/// An NX-OS `object-group ip address` section.
pub fn read_address_group(name: &str, node: &Node<'_>) -> AddressGroup {
    let prefixes = entries(node)
        .filter_map(|(_, rest)| {
            let words: Vec<&str> = rest.split(' ').collect();
            let mut i = 0;
            match address(&words, &mut i, GROUP_ENTRIES) {
                Some(AddressMatch::Prefix { prefix }) => Some(prefix),
                _ => None,
            }
        })
        .collect();
    AddressGroup {
        name: name.to_string(),
        prefixes,
    }
}

/// An NX-OS `object-group ip port` section.
pub fn read_port_group(name: &str, node: &Node<'_>) -> PortGroup {
    let mut ports = Vec::new();
    for (_, rest) in entries(node) {
        let words: Vec<&str> = rest.split(' ').collect();
        let mut i = 0;
        if let Some(ranges) = port_ranges(&words, &mut i, GROUP_ENTRIES) {
            ports.extend(ranges);
        }
    }
    ports.sort_unstable();
    PortGroup {
        name: name.to_string(),
        ports,
    }
}

/// An ACL section (`ip access-list NAME`, its entries numbered by the
/// dialect) and the entries it holds that cannot be evaluated.
pub fn read_acl(name: &str, node: &Node<'_>, syntax: AceSyntax) -> (Acl, Vec<String>) {
    let mut acl = Acl {
        name: name.to_string(),
        entries: Vec::new(),
    };
    let mut unmodelled = Vec::new();
    for (seq, rest) in entries(node) {
        if let Some(text) = rest.strip_prefix("remark ") {
            acl.entries.push(AclEntry {
                seq,
                body: EntryBody::Remark { text: text.into() },
                rule: None,
            });
            continue;
        }
        match read_ace(rest, syntax) {
            Some(aces) => acl.entries.extend(aces.into_iter().map(|ace| AclEntry {
                seq,
                body: EntryBody::Match(ace),
                rule: None,
            })),
            None => unmodelled.push(format!("{seq} {rest}")),
        }
    }
    (acl, unmodelled)
}

/// `permit tcp any 10.1.10.0/24 eq 443`: one [`Ace`], or two when a
/// `neq` port splits into the ranges below and above it (same action, so
/// first match still decides alike). None: words the model cannot
/// evaluate (a non-contiguous wildcard, `fragments`, DSCP, TCP flags …).
pub fn read_ace(text: &str, syntax: AceSyntax) -> Option<Vec<Ace>> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let action = match *words.first()? {
        "permit" => Action::Permit,
        "deny" => Action::Deny,
        _ => return None,
    };
    let protocol = match *words.get(1)? {
        "ip" => AclProtocol::Ip,
        "tcp" | "6" => AclProtocol::Tcp,
        "udp" | "17" => AclProtocol::Udp,
        "icmp" | "1" => AclProtocol::Icmp,
        other => AclProtocol::Other(protocol_number(other)?),
    };
    let has_ports = matches!(protocol, AclProtocol::Tcp | AclProtocol::Udp);
    let mut i = 2;
    let source = address(&words, &mut i, syntax)?;
    let source_ports = if has_ports {
        port_matches(&words, &mut i, syntax)
    } else {
        None
    };
    let destination = address(&words, &mut i, syntax)?;
    let destination_ports = if has_ports {
        port_matches(&words, &mut i, syntax)
    } else {
        None
    };
    let mut ace = Ace {
        action,
        protocol,
        source,
        source_ports: None,
        destination,
        destination_ports: None,
        established: false,
        icmp_type: None,
        log: false,
        purpose: Purpose::Flow,
    };
    for word in &words[i..] {
        match *word {
            "established" if protocol == AclProtocol::Tcp => ace.established = true,
            "log" => ace.log = true,
            "echo-reply" if protocol == AclProtocol::Icmp => {
                ace.icmp_type = Some(IcmpType::EchoReply)
            }
            "echo" if protocol == AclProtocol::Icmp => ace.icmp_type = Some(IcmpType::Echo),
            "unreachable" if protocol == AclProtocol::Icmp => {
                ace.icmp_type = Some(IcmpType::Unreachable)
            }
            "time-exceeded" if protocol == AclProtocol::Icmp => {
                ace.icmp_type = Some(IcmpType::TimeExceeded)
            }
            _ => return None,
        }
    }
    // Every combination of the source's and destination's port matches.
    let some = |m: Vec<PortMatch>| m.into_iter().map(Some).collect::<Vec<_>>();
    let source_ports = source_ports.map_or_else(|| vec![None], some);
    let destination_ports = destination_ports.map_or_else(|| vec![None], some);
    let mut aces = Vec::with_capacity(source_ports.len() * destination_ports.len());
    for s in &source_ports {
        for d in &destination_ports {
            let mut one = ace.clone();
            one.source_ports = s.clone();
            one.destination_ports = d.clone();
            aces.push(one);
        }
    }
    Some(aces)
}

/// The port match at `words[*i]`, moving `i` past it: a `portgroup`, or
/// one match per range (a `neq` is two).
fn port_matches(words: &[&str], i: &mut usize, syntax: AceSyntax) -> Option<Vec<PortMatch>> {
    if syntax.object_groups && *words.get(*i)? == "portgroup" {
        let name = words.get(*i + 1)?;
        *i += 2;
        return Some(vec![PortMatch::Group {
            name: name.to_string(),
        }]);
    }
    let ranges = port_ranges(words, i, syntax)?;
    Some(
        ranges
            .into_iter()
            .map(|r| {
                if r.low == r.high {
                    PortMatch::Eq { port: r.low }
                } else {
                    PortMatch::Range {
                        low: r.low,
                        high: r.high,
                    }
                }
            })
            .collect(),
    )
}

/// IP protocol names NX-OS and EOS accept in an ACL entry, with their numbers
/// (IANA protocol numbers), or a number.
fn protocol_number(word: &str) -> Option<u8> {
    Some(match word {
        "igmp" => 2,
        "gre" => 47,
        "esp" => 50,
        "ahp" => 51,
        "eigrp" => 88,
        "ospf" => 89,
        "nos" => 94,
        "pim" => 103,
        "pcp" => 108,
        other => other.parse().ok()?,
    })
}

/// An address at `words[*i]`, moving `i` past it.
fn address(words: &[&str], i: &mut usize, syntax: AceSyntax) -> Option<AddressMatch> {
    let word = *words.get(*i)?;
    *i += 1;
    match word {
        "any" => Some(AddressMatch::Any),
        "host" => {
            let address: Ipv4Addr = words.get(*i)?.parse().ok()?;
            *i += 1;
            Some(AddressMatch::Prefix {
                prefix: Ipv4Network::new(address, 32).ok()?,
            })
        }
        "addrgroup" if syntax.object_groups => {
            let name = words.get(*i)?;
            *i += 1;
            Some(AddressMatch::Group {
                name: name.to_string(),
            })
        }
        _ if word.contains('/') => Some(AddressMatch::Prefix {
            prefix: word.parse().ok()?,
        }),
        _ => {
            // `10.0.0.0 0.0.0.255`: a wildcard mask; only a contiguous one
            // is a prefix.
            let address: Ipv4Addr = word.parse().ok()?;
            let wildcard: Ipv4Addr = words.get(*i)?.parse().ok()?;
            *i += 1;
            let mask = !u32::from(wildcard);
            if mask.leading_ones() + mask.trailing_zeros() != 32 {
                return None;
            }
            let length = mask.leading_ones() as u8;
            let network = Ipv4Addr::from(u32::from(address) & mask);
            Some(AddressMatch::Prefix {
                prefix: Ipv4Network::new(network, length).ok()?,
            })
        }
    }
}

/// The port operator at `words[*i]` as ranges, moving `i` past it; None
/// when there is none. With `syntax.port_lists`, `eq` and `neq` take one
/// port or more (`eq 80 443`).
fn port_ranges(words: &[&str], i: &mut usize, syntax: AceSyntax) -> Option<Vec<PortRange>> {
    let port = |w: Option<&&str>| -> Option<u16> { w?.parse().ok() };
    let operator = *words.get(*i)?;
    // The ports of an `eq` or `neq`, sorted.
    let list = |i: &mut usize| -> Option<Vec<u16>> {
        let mut ports = vec![port(words.get(*i + 1))?];
        *i += 2;
        if syntax.port_lists {
            while let Some(p) = port(words.get(*i)) {
                ports.push(p);
                *i += 1;
            }
        }
        ports.sort_unstable();
        ports.dedup();
        Some(ports)
    };
    let ranges = match operator {
        "eq" => list(i)?
            .into_iter()
            .map(|p| PortRange { low: p, high: p })
            .collect(),
        "neq" => {
            // Every port but those listed: the gaps between them.
            let mut ranges = Vec::new();
            let mut low = 0u32;
            for p in list(i)? {
                if u32::from(p) > low {
                    ranges.push(PortRange {
                        low: low as u16,
                        high: p - 1,
                    });
                }
                low = u32::from(p) + 1;
            }
            if low <= u32::from(u16::MAX) {
                ranges.push(PortRange {
                    low: low as u16,
                    high: u16::MAX,
                });
            }
            ranges
        }
        "lt" => {
            let p = port(words.get(*i + 1))?.checked_sub(1)?;
            *i += 2;
            vec![PortRange { low: 0, high: p }]
        }
        "gt" => {
            let p = port(words.get(*i + 1))?.checked_add(1)?;
            *i += 2;
            vec![PortRange {
                low: p,
                high: u16::MAX,
            }]
        }
        "range" => {
            let (low, high) = (port(words.get(*i + 1))?, port(words.get(*i + 2))?);
            *i += 3;
            vec![PortRange { low, high }]
        }
        _ => return None,
    };
    Some(ranges)
}

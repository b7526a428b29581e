//! The ACL part of a rendered NX-OS or EOS config (the two write entries
//! alike; EOS's `counters per-entry`, `vrf NAME` and `ip virtual-router
//! address` are read too), read back from the text and
//! evaluated as the switch would: entries in sequence order, first match
//! wins, implicit deny, object-groups expanded, `established` = ACK or RST.
//!
//! Written independently of the library (it never sees the intent), so a
//! test using it checks what a switch would do with the configuration.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    pub network: u32,
    pub len: u8,
}

impl Prefix {
    pub fn parse(text: &str) -> Prefix {
        let (address, len) = text
            .split_once('/')
            .unwrap_or_else(|| panic!("not a prefix: `{text}`"));
        let address: Ipv4Addr = address.parse().unwrap();
        let len: u8 = len.parse().unwrap();
        assert!(len <= 32, "`{text}`");
        let prefix = Prefix {
            network: u32::from(address),
            len,
        };
        assert_eq!(
            prefix.network & prefix.mask(),
            prefix.network,
            "host bits set in `{text}`"
        );
        prefix
    }

    fn mask(&self) -> u32 {
        if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - self.len)
        }
    }

    pub fn contains(&self, address: Ipv4Addr) -> bool {
        u32::from(address) & self.mask() == self.network
    }

    /// The address `offset` into the prefix.
    pub fn host(&self, offset: u32) -> Ipv4Addr {
        Ipv4Addr::from(self.network + offset)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Address {
    Any,
    Prefix(Prefix),
    Group(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Ports {
    Eq(u16),
    Range(u16, u16),
    Group(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Ip,
    Tcp,
    Udp,
    Icmp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ace {
    pub seq: u32,
    pub permit: bool,
    pub proto: Proto,
    pub source: Address,
    pub source_ports: Option<Ports>,
    pub destination: Address,
    pub destination_ports: Option<Ports>,
    pub established: bool,
    pub icmp_type: Option<u8>,
    pub log: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Acl {
    pub statistics: bool,
    /// Sequence → remark text.
    pub remarks: BTreeMap<u32, String>,
    /// In sequence order, as the switch keeps them.
    pub entries: Vec<Ace>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Svi {
    pub subnet: Option<Prefix>,
    pub vrf: Option<String>,
    /// The switch's own address and the HSRP virtual address.
    pub addresses: Vec<Ipv4Addr>,
    pub acl_in: Option<String>,
    pub acl_out: Option<String>,
}

/// Everything of a config that filters routed packets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filters {
    pub address_groups: BTreeMap<String, Vec<Prefix>>,
    pub port_groups: BTreeMap<String, Vec<(u16, u16)>>,
    pub acls: BTreeMap<String, Acl>,
    /// By interface name (`Vlan110`).
    pub svis: BTreeMap<String, Svi>,
    /// Routed ports (`no switchport` with an address), by name.
    pub routed_ports: BTreeMap<String, RoutedPort>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoutedPort {
    pub vrf: Option<String>,
    pub address: Option<Ipv4Addr>,
    pub acl_in: Option<String>,
}

enum Section {
    None,
    AddressGroup(String),
    PortGroup(String),
    Acl(String),
    Svi(String),
    Port(String),
}

/// Reads the filters of a rendered config; panics on any line of those
/// sections it does not understand (a test must not skip syntax).
pub fn parse(text: &str) -> Filters {
    let mut filters = Filters::default();
    let mut section = Section::None;
    for line in text.lines() {
        if !line.starts_with(' ') {
            section = if let Some(name) = line.strip_prefix("object-group ip address ") {
                filters.address_groups.insert(name.into(), Vec::new());
                Section::AddressGroup(name.into())
            } else if let Some(name) = line.strip_prefix("object-group ip port ") {
                filters.port_groups.insert(name.into(), Vec::new());
                Section::PortGroup(name.into())
            } else if let Some(name) = line.strip_prefix("ip access-list ") {
                assert!(!filters.acls.contains_key(name), "ACL {name} defined twice");
                filters.acls.insert(name.into(), Acl::default());
                Section::Acl(name.into())
            } else if let Some(name) = line.strip_prefix("interface Vlan") {
                let name = format!("Vlan{name}");
                filters.svis.insert(name.clone(), Svi::default());
                Section::Svi(name)
            } else if let Some(name) = line.strip_prefix("interface ") {
                Section::Port(name.to_string())
            } else {
                Section::None
            };
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match &section {
            Section::None => {}
            Section::AddressGroup(name) => {
                let [_seq, prefix] = words.as_slice() else {
                    panic!("address group line `{line}`");
                };
                filters
                    .address_groups
                    .get_mut(name)
                    .unwrap()
                    .push(Prefix::parse(prefix));
            }
            Section::PortGroup(name) => {
                let range = match words.as_slice() {
                    [_seq, "eq", p] => (p.parse().unwrap(), p.parse().unwrap()),
                    [_seq, "range", a, b] => (a.parse().unwrap(), b.parse().unwrap()),
                    _ => panic!("port group line `{line}`"),
                };
                filters.port_groups.get_mut(name).unwrap().push(range);
            }
            Section::Acl(name) => {
                let acl = filters.acls.get_mut(name).unwrap();
                match words.as_slice() {
                    ["statistics", "per-entry"] | ["counters", "per-entry"] => {
                        acl.statistics = true
                    }
                    [seq, "remark", ..] => {
                        let text = line.split_once(" remark ").unwrap().1;
                        acl.remarks.insert(seq.parse().unwrap(), text.into());
                    }
                    _ => acl.entries.push(parse_ace(&words, line)),
                }
            }
            Section::Port(name) => match words.as_slice() {
                ["no", "switchport"] => {
                    filters
                        .routed_ports
                        .insert(name.clone(), RoutedPort::default());
                }
                ["vrf", "member", vrf] | ["vrf", vrf] => {
                    if let Some(port) = filters.routed_ports.get_mut(name) {
                        port.vrf = Some(vrf.to_string());
                    }
                }
                ["ip", "address", prefix] => {
                    let port = filters
                        .routed_ports
                        .get_mut(name)
                        .unwrap_or_else(|| panic!("{name}: an address on a layer-2 port"));
                    port.address = Some(prefix.split_once('/').unwrap().0.parse().unwrap());
                }
                ["ip", "access-group", acl, "in"] => {
                    filters.routed_ports.get_mut(name).unwrap().acl_in = Some(acl.to_string());
                }
                ["ip", "access-group", ..] => panic!("access-group line `{line}`"),
                _ => {}
            },
            Section::Svi(name) => {
                let svi = filters.svis.get_mut(name).unwrap();
                match words.as_slice() {
                    ["vrf", "member", vrf] | ["vrf", vrf] => svi.vrf = Some(vrf.to_string()),
                    ["ip", "address", prefix] => {
                        let (address, len) = prefix.split_once('/').unwrap();
                        let len: u8 = len.parse().unwrap();
                        svi.addresses.push(address.parse().unwrap());
                        let address = u32::from(address.parse::<Ipv4Addr>().unwrap());
                        let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                        svi.subnet = Some(Prefix {
                            network: address & mask,
                            len,
                        });
                    }
                    // HSRP's virtual address (inside `hsrp N`).
                    // … and EOS's VARP one.
                    ["ip", address] | ["ip", "virtual-router", "address", address]
                        if address.parse::<Ipv4Addr>().is_ok() =>
                    {
                        svi.addresses.push(address.parse().unwrap());
                    }
                    ["ip", "access-group", acl, "in"] => svi.acl_in = Some(acl.to_string()),
                    ["ip", "access-group", acl, "out"] => svi.acl_out = Some(acl.to_string()),
                    ["ip", "access-group", ..] => panic!("access-group line `{line}`"),
                    _ => {}
                }
            }
        }
    }
    for acl in filters.acls.values_mut() {
        // The switch keeps entries in sequence order whatever the text order.
        acl.entries.sort_by_key(|e| e.seq);
    }
    filters
}

fn parse_ace(words: &[&str], line: &str) -> Ace {
    let word = |i: usize| -> &str {
        words
            .get(i)
            .copied()
            .unwrap_or_else(|| panic!("ACL entry ends early: `{line}`"))
    };
    let seq: u32 = word(0)
        .parse()
        .unwrap_or_else(|_| panic!("no sequence: `{line}`"));
    let permit = match word(1) {
        "permit" => true,
        "deny" => false,
        other => panic!("action `{other}` in `{line}`"),
    };
    let proto = match word(2) {
        "ip" => Proto::Ip,
        "tcp" => Proto::Tcp,
        "udp" => Proto::Udp,
        "icmp" => Proto::Icmp,
        other => panic!("protocol `{other}` in `{line}`"),
    };
    let mut i = 3;
    let take_address = |i: &mut usize| -> Address {
        *i += 1;
        match word(*i - 1) {
            "any" => Address::Any,
            "addrgroup" => {
                *i += 1;
                Address::Group(word(*i - 1).to_string())
            }
            "host" => {
                *i += 1;
                Address::Prefix(Prefix::parse(&format!("{}/32", word(*i - 1))))
            }
            prefix => Address::Prefix(Prefix::parse(prefix)),
        }
    };
    let take_ports = |i: &mut usize| -> Option<Ports> {
        let number = |k: usize| -> u16 { word(k).parse().unwrap() };
        let (ports, width) = match words.get(*i).copied() {
            Some("eq") => (Ports::Eq(number(*i + 1)), 2),
            Some("range") => (Ports::Range(number(*i + 1), number(*i + 2)), 3),
            Some("portgroup") => (Ports::Group(word(*i + 1).to_string()), 2),
            Some("gt" | "lt" | "neq") => panic!("unexpected port operator in `{line}`"),
            _ => return None,
        };
        *i += width;
        Some(ports)
    };
    let source = take_address(&mut i);
    let source_ports = take_ports(&mut i);
    let destination = take_address(&mut i);
    let destination_ports = take_ports(&mut i);
    let mut ace = Ace {
        seq,
        permit,
        proto,
        source,
        source_ports,
        destination,
        destination_ports,
        established: false,
        icmp_type: None,
        log: false,
    };
    for option in &words[i..] {
        match (*option, proto) {
            ("established", Proto::Tcp) => ace.established = true,
            ("echo-reply", Proto::Icmp) => ace.icmp_type = Some(0),
            ("echo", Proto::Icmp) => ace.icmp_type = Some(8),
            ("unreachable", Proto::Icmp) => ace.icmp_type = Some(3),
            ("time-exceeded", Proto::Icmp) => ace.icmp_type = Some(11),
            ("log", _) => ace.log = true,
            (other, _) => panic!("option `{other}` in `{line}`"),
        }
    }
    if ace.source_ports.is_some() || ace.destination_ports.is_some() {
        assert!(
            matches!(proto, Proto::Tcp | Proto::Udp),
            "ports on a non-TCP/UDP entry: `{line}`"
        );
    }
    ace
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `established`: ACK or RST set.
    Tcp {
        sport: u16,
        dport: u16,
        established: bool,
    },
    Udp {
        sport: u16,
        dport: u16,
    },
    Icmp {
        icmp_type: u8,
    },
    /// Another IP protocol (GRE, ESP …).
    Other(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet {
    pub src: Ipv4Addr,
    pub dst: Ipv4Addr,
    pub transport: Transport,
}

impl Packet {
    /// The reply: addresses and ports swapped, TCP established, an ICMP
    /// echo answered by an echo reply. None for protocols without replies
    /// a stateless filter could recognise.
    pub fn reply(&self) -> Option<Packet> {
        let transport = match self.transport {
            Transport::Tcp { sport, dport, .. } => Transport::Tcp {
                sport: dport,
                dport: sport,
                established: true,
            },
            Transport::Udp { sport, dport } => Transport::Udp {
                sport: dport,
                dport: sport,
            },
            Transport::Icmp { icmp_type: 8 } => Transport::Icmp { icmp_type: 0 },
            _ => return None,
        };
        Some(Packet {
            src: self.dst,
            dst: self.src,
            transport,
        })
    }
}

impl Filters {
    fn address_matches(&self, address: &Address, ip: Ipv4Addr) -> bool {
        match address {
            Address::Any => true,
            Address::Prefix(p) => p.contains(ip),
            Address::Group(name) => self
                .address_groups
                .get(name)
                .unwrap_or_else(|| panic!("undefined address group {name}"))
                .iter()
                .any(|p| p.contains(ip)),
        }
    }

    fn ports_match(&self, ports: &Option<Ports>, port: u16) -> bool {
        match ports {
            None => true,
            Some(Ports::Eq(p)) => *p == port,
            Some(Ports::Range(a, b)) => (*a..=*b).contains(&port),
            Some(Ports::Group(name)) => self
                .port_groups
                .get(name)
                .unwrap_or_else(|| panic!("undefined port group {name}"))
                .iter()
                .any(|(a, b)| (*a..=*b).contains(&port)),
        }
    }

    fn ace_matches(&self, ace: &Ace, packet: &Packet) -> bool {
        if !self.address_matches(&ace.source, packet.src)
            || !self.address_matches(&ace.destination, packet.dst)
        {
            return false;
        }
        match (ace.proto, packet.transport) {
            (Proto::Ip, _) => true,
            (
                Proto::Tcp,
                Transport::Tcp {
                    sport,
                    dport,
                    established,
                },
            ) => {
                self.ports_match(&ace.source_ports, sport)
                    && self.ports_match(&ace.destination_ports, dport)
                    && (!ace.established || established)
            }
            (Proto::Udp, Transport::Udp { sport, dport }) => {
                self.ports_match(&ace.source_ports, sport)
                    && self.ports_match(&ace.destination_ports, dport)
            }
            (Proto::Icmp, Transport::Icmp { icmp_type }) => {
                ace.icmp_type.is_none_or(|t| t == icmp_type)
            }
            _ => false,
        }
    }

    /// First match, implicit deny: (permitted, the deciding sequence).
    /// A router ACL on Nexus 9000 does not match multicast traffic ("An
    /// RACL applied on a Layer 3 physical or logical interface does not
    /// match multicast traffic", Cisco Nexus 9000 Series NX-OS Security
    /// Configuration Guide 9.x, Configuring IP ACLs, guidelines), so a
    /// packet to 224.0.0.0/4 passes with no deciding entry.
    pub fn evaluate(&self, acl: &str, packet: &Packet) -> (bool, Option<u32>) {
        let acl = self
            .acls
            .get(acl)
            .unwrap_or_else(|| panic!("ACL {acl} is bound but not defined"));
        if Prefix::parse("224.0.0.0/4").contains(packet.dst) {
            return (true, None);
        }
        acl.entries
            .iter()
            .find(|ace| self.ace_matches(ace, packet))
            .map_or((false, None), |ace| (ace.permit, Some(ace.seq)))
    }

    /// The SVI whose subnet holds `ip`.
    pub fn svi_of(&self, ip: Ipv4Addr) -> Option<&Svi> {
        self.svis
            .values()
            .find(|s| s.subnet.is_some_and(|p| p.contains(ip)))
    }

    /// The switch's own addresses: SVI, HSRP virtual and routed ports'.
    pub fn router_addresses(&self) -> Vec<Ipv4Addr> {
        let mut out: Vec<Ipv4Addr> = self
            .svis
            .values()
            .flat_map(|s| s.addresses.iter().copied())
            .chain(self.routed_ports.values().filter_map(|p| p.address))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether a packet from outside every segment (the Internet, through
    /// the core) gets in through every routed port of `vrf` (None: the
    /// default VRF): the ingress ACL of each must permit it, since it may
    /// arrive on any.
    fn enters(&self, vrf: Option<&str>, packet: &Packet) -> bool {
        self.routed_ports
            .values()
            .filter(|p| p.vrf.as_deref() == vrf)
            .all(|p| {
                p.acl_in
                    .as_deref()
                    .is_none_or(|acl| self.evaluate(acl, packet).0)
            })
    }

    /// Whether `packet`, addressed to one of the fabric's switches (this
    /// one or another: it is routed there), gets past this switch: from a segment through the ingress ACL of its SVI (no
    /// egress ACL stands in front of the switch itself), from elsewhere
    /// through the ingress ACLs of the routed ports.
    pub fn reaches_switch(&self, packet: &Packet) -> bool {
        match self.svi_of(packet.src) {
            Some(svi) => svi
                .acl_in
                .as_deref()
                .is_none_or(|acl| self.evaluate(acl, packet).0),
            None => self.routed_ports.values().any(|p| {
                p.acl_in
                    .as_deref()
                    .is_none_or(|acl| self.evaluate(acl, packet).0)
            }),
        }
    }

    /// Whether this gateway routes `packet` through: the ingress ACL of the
    /// source's SVI (or, from outside every segment, of the routed ports
    /// of the destination's VRF), then the egress ACL of the destination's
    /// SVI. Traffic inside one SVI's subnet is switched, never routed, so
    /// never filtered.
    pub fn routes(&self, packet: &Packet) -> bool {
        let from = self.svi_of(packet.src);
        let to = self.svi_of(packet.dst);
        if let (Some(a), Some(b)) = (from, to) {
            if a.subnet == b.subnet {
                return true;
            }
        }
        let ingress = match from {
            Some(svi) => svi
                .acl_in
                .as_deref()
                .is_none_or(|acl| self.evaluate(acl, packet).0),
            None => self.enters(to.and_then(|s| s.vrf.as_deref()), packet),
        };
        let egress = to
            .and_then(|s| s.acl_out.as_deref())
            .is_none_or(|acl| self.evaluate(acl, packet).0);
        ingress && egress
    }
}

/// Every ACL line with a sequence number, as written: (ACL, sequence) →
/// the rest of the line (`permit tcp …`, `remark …`).
pub fn numbered_lines(text: &str) -> BTreeMap<(String, u32), String> {
    let mut out = BTreeMap::new();
    let mut acl: Option<&str> = None;
    for line in text.lines() {
        if !line.starts_with(' ') {
            acl = line.strip_prefix("ip access-list ");
            continue;
        }
        let Some(acl) = acl else { continue };
        let line = line.trim();
        if let Some((seq, rest)) = line.split_once(' ') {
            if let Ok(seq) = seq.parse::<u32>() {
                let previous = out.insert((acl.to_string(), seq), rest.to_string());
                assert!(previous.is_none(), "{acl}: sequence {seq} used twice");
            }
        }
    }
    out
}

/// ICMP echo, echo reply, unreachable and time-exceeded, GRE, and TCP
/// (new and established) and UDP between every two of `ports`: the
/// transports a test samples packets with.
pub fn transports(ports: &[u16]) -> Vec<Transport> {
    let mut out = vec![
        Transport::Icmp { icmp_type: 8 },
        Transport::Icmp { icmp_type: 0 },
        Transport::Icmp { icmp_type: 3 },
        Transport::Icmp { icmp_type: 11 },
        Transport::Other(47),
    ];
    for &sport in ports {
        for &dport in ports {
            for established in [false, true] {
                out.push(Transport::Tcp {
                    sport,
                    dport,
                    established,
                });
            }
            out.push(Transport::Udp { sport, dport });
        }
    }
    out
}

//! A compiled ACL as a packet filter: first match wins, and a packet no
//! entry matches is denied. `liaison why` answers with it, so its answer is
//! what the switches will do with the intended configuration.

use crate::intent::*;
use std::net::Ipv4Addr;

/// A packet as the ACLs see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet {
    pub source: Ipv4Addr,
    pub destination: Ipv4Addr,
    pub transport: Transport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp {
        source_port: u16,
        destination_port: u16,
        /// ACK or RST set: not the first packet of a connection.
        established: bool,
    },
    Udp {
        source_port: u16,
        destination_port: u16,
    },
    Icmp {
        icmp_type: u8,
    },
}

impl Transport {
    /// The IP protocol number (RFC 790: ICMP 1, TCP 6, UDP 17).
    pub fn protocol_number(&self) -> u8 {
        match self {
            Transport::Tcp { .. } => 6,
            Transport::Udp { .. } => 17,
            Transport::Icmp { .. } => 1,
        }
    }
}

impl Packet {
    /// The first packet of a TCP connection from an ephemeral port to
    /// `port`, for tests that evaluate ACLs read from configs.
    #[cfg(test)]
    pub fn tcp_opening(source: &str, destination: &str, port: u16) -> Packet {
        Packet {
            source: source.parse().unwrap(),
            destination: destination.parse().unwrap(),
            transport: Transport::Tcp {
                source_port: 49152,
                destination_port: port,
                established: false,
            },
        }
    }

    /// The reply: addresses and ports swapped; TCP established; an ICMP
    /// echo answered by an echo reply.
    pub fn reply(&self) -> Packet {
        let transport = match self.transport {
            Transport::Tcp {
                source_port,
                destination_port,
                ..
            } => Transport::Tcp {
                source_port: destination_port,
                destination_port: source_port,
                established: true,
            },
            Transport::Udp {
                source_port,
                destination_port,
            } => Transport::Udp {
                source_port: destination_port,
                destination_port: source_port,
            },
            Transport::Icmp { .. } => Transport::Icmp {
                icmp_type: IcmpType::EchoReply.number(),
            },
        };
        Packet {
            source: self.destination,
            destination: self.source,
            transport,
        }
    }
}

/// Where an ACL's object-groups are looked up: the intended device, or a
/// device's running config read back (`verify`).
pub trait ObjectGroups {
    fn address_group(&self, name: &str) -> Option<&AddressGroup>;
    fn port_group(&self, name: &str) -> Option<&PortGroup>;
}

impl ObjectGroups for DeviceIntent {
    fn address_group(&self, name: &str) -> Option<&AddressGroup> {
        DeviceIntent::address_group(self, name)
    }

    fn port_group(&self, name: &str) -> Option<&PortGroup> {
        DeviceIntent::port_group(self, name)
    }
}

/// The first entry of `acl` (on `device`, whose object-groups it uses)
/// that matches `packet`, with its match; None means the implicit deny at
/// the end.
pub fn first_match<'a>(
    device: &dyn ObjectGroups,
    acl: &'a Acl,
    packet: &Packet,
) -> Option<(&'a AclEntry, &'a Ace)> {
    acl.entries.iter().find_map(|entry| match &entry.body {
        EntryBody::Remark { .. } => None,
        EntryBody::Match(ace) => matches(device, ace, packet).then_some((entry, ace)),
    })
}

/// Whether `ace` matches `packet`.
pub fn matches(device: &dyn ObjectGroups, ace: &Ace, packet: &Packet) -> bool {
    if !address_matches(device, &ace.source, packet.source)
        || !address_matches(device, &ace.destination, packet.destination)
    {
        return false;
    }
    let port_ok = |ports: &Option<PortMatch>, port: u16| {
        ports.as_ref().is_none_or(|m| port_matches(device, m, port))
    };
    match (ace.protocol, packet.transport) {
        (AclProtocol::Ip, _) => true,
        (
            AclProtocol::Tcp,
            Transport::Tcp {
                source_port,
                destination_port,
                established,
            },
        ) => {
            port_ok(&ace.source_ports, source_port)
                && port_ok(&ace.destination_ports, destination_port)
                && (!ace.established || established)
        }
        (
            AclProtocol::Udp,
            Transport::Udp {
                source_port,
                destination_port,
            },
        ) => {
            port_ok(&ace.source_ports, source_port)
                && port_ok(&ace.destination_ports, destination_port)
        }
        (AclProtocol::Icmp, Transport::Icmp { icmp_type }) => {
            ace.icmp_type.is_none_or(|t| t.number() == icmp_type)
        }
        (AclProtocol::Other(number), _) => packet.transport.protocol_number() == number,
        _ => false,
    }
}

fn address_matches(device: &dyn ObjectGroups, matcher: &AddressMatch, address: Ipv4Addr) -> bool {
    match matcher {
        AddressMatch::Any => true,
        AddressMatch::Prefix { prefix } => prefix.contains(address),
        AddressMatch::Group { name } => device
            .address_group(name)
            .is_some_and(|g| g.prefixes.iter().any(|p| p.contains(address))),
    }
}

fn port_matches(device: &dyn ObjectGroups, matcher: &PortMatch, port: u16) -> bool {
    match matcher {
        PortMatch::Eq { port: p } => *p == port,
        PortMatch::Range { low, high } => (*low..=*high).contains(&port),
        PortMatch::Group { name } => device
            .port_group(name)
            .is_some_and(|g| g.ports.iter().any(|r| (r.low..=r.high).contains(&port))),
    }
}

//! The words of an extended IPv4 access-list entry after its sequence
//! number, in the syntax NX-OS and EOS share (`permit tcp 10.1.10.0/24 any
//! eq 443 established log`; Cisco Nexus 9000 security guide, "Configuring
//! IP ACLs"; Arista EOS User Manual, "ACL rule parameters"). Object-groups
//! are written the NX-OS way (`addrgroup`, `portgroup`): EOS entries never
//! name one (its templates expand them).

use crate::intent::{Ace, AclProtocol, Action, AddressMatch, IcmpType, PortMatch};
use std::fmt::Write as _;

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

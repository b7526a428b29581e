//! EOS prints well-known ports of ACL entries by name where it has one:
//! its default control-plane ACL shows as `permit tcp any any eq ssh
//! telnet www snmp bgp https msdp ldp netconf-ssh gnmi`, `permit udp any
//! any eq bootps bootpc snmp rip ntp ldp ptp-event ptp-general`, `eq mlag`,
//! `eq bfd`, `eq bfd-echo`, `eq multihop-bfd`, `eq micro-bfd`, `eq sbfd`,
//! and ports without a name as numbers (`eq 3333`), in the `show ip
//! access-lists` output of many public EOS switches; and Ansible's
//! arista.eos `eos_acls` turns numbers into names before it sends an
//! entry (`socket.getservbyport`, issue #431) so that the switch's own
//! spelling matches on the next run (its integration test writes `eq 25`
//! and reads back `eq smtp`). Which numbers a user's `eq 443` becomes is a
//! guess from these: the numbers below are the ports' IANA numbers, the
//! BFD family's from their RFCs (5881, 5883, 7130, 7880), and `mlag`
//! (4432) and `gnmi` (6030) from memory of Arista's defaults, not a cited
//! page (a guess). Configs are compared
//! with numbers ([`crate::config::acl_ports`]): a name the switch never
//! prints costs nothing, a number it prints as a name no longer makes a
//! plan that never converges.

use crate::config::acl_ports::PortNames;

/// The names EOS prints for TCP and UDP ports.
pub const NAMES: PortNames = PortNames { tcp: TCP, udp: UDP };

const TCP: &[(&str, u16)] = &[
    ("bgp", 179),
    ("domain", 53),
    ("finger", 79),
    ("ftp", 21),
    ("ftp-data", 20),
    ("gnmi", 6030),
    ("https", 443),
    ("ldp", 646),
    ("mlag", 4432),
    ("msdp", 639),
    ("netconf-ssh", 830),
    ("smtp", 25),
    ("snmp", 161),
    ("ssh", 22),
    ("telnet", 23),
    ("www", 80),
];

const UDP: &[(&str, u16)] = &[
    ("bfd", 3784),
    ("bfd-echo", 3785),
    ("bootpc", 68),
    ("bootps", 67),
    ("domain", 53),
    ("ldp", 646),
    ("micro-bfd", 6784),
    ("mlag", 4432),
    ("multihop-bfd", 4784),
    ("ntp", 123),
    ("ptp-event", 319),
    ("ptp-general", 320),
    ("rip", 520),
    ("sbfd", 7784),
    ("snmp", 161),
    ("syslog", 514),
    ("tftp", 69),
];

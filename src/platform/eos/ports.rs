//! How EOS names ports: what the inventory may write for a front-panel
//! port, and the port-channel interface name.
//!
//! EOS prints `Ethernet1` for a port of a fixed switch without lanes
//! (SFP), `Ethernet49/1` for a port with lanes (QSFP, OSFP: `/1` is the
//! first lane, the whole port until its speed splits it into
//! `Ethernet49/1`-`/4`), `Ethernet3/1` for port 1 of linecard 3 of a
//! modular switch (7500R, 7800R) and `Ethernet3/1/1` for a lane of it
//! (Arista EOS User Manual, "Ethernet Ports": "Ethernet Interfaces" and
//! "Port Groups", interface naming of fixed and modular systems), and
//! `Port-Channel10` ("Port Channels and LACP"). The CLI takes any
//! unambiguous abbreviation of a keyword (`Et1`, `Eth1`, `Po10`) but
//! prints the full name.

use crate::platform::build::PortNaming;

pub const PORT_NAMING: PortNaming = PortNaming {
    // The full word and the two abbreviations EOS itself prints (`Et1` in
    // `show interfaces status`) or users commonly type (`Eth1`). Not `e1`:
    // liaison's choice, so that an NX-OS `e1/1` is never read as an EOS
    // port.
    ethernet_prefixes: &["ethernet", "eth", "et"],
    // Port, port/lane or slot/port, slot/port/lane.
    numbers: 1..=3,
    // liaison's bound on any one number, as on NX-OS (a guess large
    // enough for every fixed switch and linecard).
    max_number: 1024,
    forms: "Ethernet<port>, Ethernet<port>/<lane> or Ethernet<slot>/<port>[/<lane>]",
    hint: "write a front-panel port as EOS names it: `Ethernet10`, `Ethernet49/1` (a port with lanes) or `Ethernet3/1/1` (a linecard's); `Et10` is taken too",
    port_channel: "Port-Channel",
    // `Ethernet3/1` is lane 1 of port 3 on a fixed switch and port 1 of
    // linecard 3 on a modular one: the name alone does not tell a lane
    // from a port, and EOS splits a port by the speed of its first lane,
    // not by a breakout command. liaison cables EOS lanes as the ports
    // they are named as, and does not break EOS ports out (`breakout:`
    // on an EOS switch is refused).
    whole_port_numbers: None,
};

/// The number a bundle asks for, from its lowest member port: liaison's
/// NX-OS scheme (`platform::nxos::numbering::port_channel_of`), reading a
/// fixed EOS switch's `Ethernet10` as `Ethernet1/10`, its first lane
/// `Ethernet49/1` as the whole port `Ethernet1/49` and another lane
/// `Ethernet49/2` as `Ethernet1/49/2`; `Ethernet3/1/1` as it is. So
/// `Ethernet10` → 10, `Ethernet49/1` → 49, `Ethernet49/2` → 1492. Guess:
/// a modular switch's `Ethernet3/2` is read like a fixed switch's lane
/// (→ 1032); the number stays derived from the port, only less readable.
pub fn port_channel_of(lowest: &crate::inventory::Port) -> u32 {
    let n: Vec<u32> = lowest.numbers().iter().map(|&n| u32::from(n)).collect();
    match n[..] {
        [port] | [port, 1] => port,
        [port, lane] => 1000 + port * 10 + lane,
        [slot, port, lane] => slot * 1000 + port * 10 + lane,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Port;
    use crate::platform::Platform;

    fn pc(name: &str) -> u32 {
        port_channel_of(&Port::parse_for(name, Platform::Eos).unwrap())
    }

    #[test]
    fn eos_names_and_abbreviations() {
        let eos = |p: &str| Port::parse_for(p, Platform::Eos).map(|p| p.to_string());
        assert_eq!(eos("Ethernet1").unwrap(), "Ethernet1");
        assert_eq!(eos("Et49/1").unwrap(), "Ethernet49/1");
        assert_eq!(eos("eth3/1/1").unwrap(), "Ethernet3/1/1");
        assert!(eos("e1").is_err());
        assert!(eos("Ethernet1/2/3/4").is_err());
        assert!(eos("Ethernet0").is_err());
        assert!(eos("Port-Channel10").is_err());
        assert!(eos("Po10").is_err());
    }

    #[test]
    fn a_name_of_the_other_platform_says_whose_name_it_is() {
        let why = Port::parse_for("Et1", Platform::Nxos).unwrap_err();
        assert!(why.contains("how EOS names a port"), "{why}");
        assert!(why.contains("Ethernet<slot>/<port>"), "{why}");
        // `e1/1` is NX-OS only.
        let why = Port::parse_for("e1/1", Platform::Eos).unwrap_err();
        assert!(why.contains("how NX-OS names a port"), "{why}");
        // Nobody's name: the platform's own reason.
        let why = Port::parse_for("Ethernet1/0", Platform::Eos).unwrap_err();
        assert!(why.contains("`0` is not a port number"), "{why}");
    }

    #[test]
    fn eos_names_no_lanes_by_name() {
        let port = Port::parse_for("Ethernet49/2", Platform::Eos).unwrap();
        assert_eq!(PORT_NAMING.lane_of(&port), None);
    }

    #[test]
    fn bundles_are_numbered_like_their_nxos_twins() {
        assert_eq!(pc("Ethernet10"), 10);
        assert_eq!(pc("Ethernet49/1"), 49);
        assert_eq!(pc("Ethernet49/2"), 1492);
        assert_eq!(pc("Ethernet3/1/1"), 3011);
    }
}

//! How NX-OS names ports: what the inventory may write for a front-panel
//! port, and the port-channel interface name.

use crate::platform::build::PortNaming;

pub const PORT_NAMING: PortNaming = PortNaming {
    // NX-OS prints `Ethernet1/10` and accepts the unambiguous
    // abbreviations `Eth1/10` and `e1/10` (Cisco Nexus 9000 Series NX-OS
    // Interfaces Configuration Guide, "Interface Naming").
    ethernet_prefixes: &["ethernet", "eth", "e"],
    // Slot and port, and a breakout lane when the port is split
    // (`Ethernet1/49/2`; same guide, "Configuring Breakout").
    numbers: 2..=3,
    // liaison's bound on any one number (a guess large enough for every
    // chassis and breakout in the corpus).
    max_number: 1024,
    forms: "Ethernet<slot>/<port> or Ethernet<slot>/<port>/<lane>",
    hint: "write a front-panel port as `Ethernet1/10` (or `Eth1/10`)",
    port_channel: "port-channel",
    // `Ethernet1/49` whole, `Ethernet1/49/2` its second lane once
    // `interface breakout module 1 port 49 map …` split it.
    whole_port_numbers: Some(2),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Port;
    use crate::platform::Platform;

    #[test]
    fn nxos_names_have_a_slot() {
        let nxos = |p: &str| Port::parse_for(p, Platform::Nxos);
        assert_eq!(nxos("e1/49/2").unwrap().to_string(), "Ethernet1/49/2");
        assert!(nxos("Ethernet1/0").is_err());
        assert!(nxos("Ethernet1/2/3/4").is_err());
    }

    #[test]
    fn a_third_number_is_a_lane_of_the_port() {
        let lane = Port::parse_for("Ethernet1/49/2", Platform::Nxos).unwrap();
        assert_eq!(PORT_NAMING.lane_of(&lane), Some((&[1, 49][..], 2)));
        let whole = Port::parse_for("Ethernet1/49", Platform::Nxos).unwrap();
        assert_eq!(PORT_NAMING.lane_of(&whole), None);
    }
}

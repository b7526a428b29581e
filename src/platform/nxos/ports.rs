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
    port_channel: "port-channel",
};

//! The numbers NX-OS accepts and keeps for itself, as data for the
//! generic build stages (`check`, `compile`).

use crate::platform::build::{MtuRange, Numbering};

pub const NUMBERING: Numbering = Numbering {
    // `interface port-channel` takes 1-4096 (Cisco Nexus 9000 Series NX-OS
    // Interfaces Configuration Guide, "Configuring Port Channels").
    max_port_channel: 4096,
    // `vpc domain` takes 1-1000 (Nexus 9000 Interfaces Configuration
    // Guide, "Configuring vPCs").
    max_pair_domain: 1000,
    // HSRP version 1 numbers groups 0-255, version 2 0-4095 (Cisco Nexus
    // 9000 Series NX-OS Unicast Routing Configuration Guide, "Configuring
    // HSRP").
    fhrp_v1_max_group: 255,
    // VLANs NX-OS reserves for internal use by default (`system vlan
    // 3968 reserve`; Cisco Nexus 9000 Series NX-OS Layer 2 Switching
    // Configuration Guide, "Configuring VLANs").
    reserved_vlans: Some(3968..=4094),
    // Layer-2 ports carry frames of 1500 bytes or of the system jumbo MTU
    // (`system jumbomtu`, 9216 by default and at most; "MTU on L2
    // interfaces can only be set to default or system-jumboMTU"); SVIs take
    // an IP MTU of 576-9216. Source: Cisco Nexus 9000 Series NX-OS
    // Interfaces Configuration Guide 9.3(x), "Configuring Layer 2
    // Interfaces" (MTU) and "Configuring Layer 3 Interfaces" (SVI MTU).
    mtu: MtuRange {
        min_routed: 576,
        max: 9216,
    },
};

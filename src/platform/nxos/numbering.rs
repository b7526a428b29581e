//! The numbers NX-OS accepts and keeps for itself, as data for the
//! generic build stages (`check`, `compile`).

use crate::inventory::Port;
use crate::platform::build::{MtuRange, Numbering};

pub const NUMBERING: Numbering = Numbering {
    // `interface port-channel` takes 1-4096 (Cisco Nexus 9000 Series NX-OS
    // Interfaces Configuration Guide, "Configuring Port Channels").
    max_port_channel: 4096,
    port_channel_of,
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
    // A vPC pair's peer-keepalive runs in the management VRF
    // (templates/nxos/vpc.j2) and its peer-link routes nothing.
    pair_peer_subnet: None,
};

/// The number a bundle asks for, from its lowest member port:
/// `Ethernet<slot>/<port>` → `(slot - 1) * 100 + port` (so `Ethernet1/49`
/// → 49, `Ethernet2/3` → 103), and a breakout lane
/// `Ethernet<slot>/<port>/<lane>` → `slot * 1000 + port * 10 + lane` (so
/// `Ethernet1/10/2` → 1102: slot, port and lane read off the number), a
/// range no whole port of a fixed switch or of slots 1-10 derives. Lanes
/// of slot 4 and up derive past 4096: they ask for 4096 and share its tie
/// (`compile::numbering`). liaison's scheme, not Cisco's.
pub fn port_channel_of(lowest: &Port) -> u32 {
    let n: Vec<u32> = lowest.numbers().iter().map(|&n| u32::from(n)).collect();
    match n[..] {
        [slot, port] => (slot - 1) * 100 + port,
        [slot, port, lane] => slot * 1000 + port * 10 + lane,
        // Not an NX-OS name (the inventory refuses it on NX-OS switches).
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::numbering::allocate_port_channels;

    #[test]
    fn candidates_follow_the_lowest_port() {
        assert_eq!(port_channel_of(&Port::parse("Ethernet1/49").unwrap()), 49);
        assert_eq!(port_channel_of(&Port::parse("Ethernet2/3").unwrap()), 103);
    }

    #[test]
    fn breakout_lanes_derive_from_slot_port_and_lane() {
        let pc = |p: &str| port_channel_of(&Port::parse(p).unwrap());
        assert_eq!(pc("Ethernet1/10/1"), 1101);
        assert_eq!(pc("Ethernet1/10/2"), 1102);
        assert_eq!(pc("Ethernet1/49/4"), 1494);
        assert_eq!(pc("Ethernet1/11"), 11);
    }

    #[test]
    fn adding_bundles_never_moves_existing_numbers() {
        // The reproducer of issue #10: two hosts on breakout lanes of
        // Ethernet1/10 next to hosts on Ethernet1/11-13.
        let before = allocate_port_channels(
            &[
                (11, "tor3a:Ethernet1/11".into()),
                (12, "tor3a:Ethernet1/12".into()),
                (13, "tor3a:Ethernet1/13".into()),
            ],
            NUMBERING.max_port_channel,
        );
        let lane = |p: &str| port_channel_of(&Port::parse(p).unwrap());
        let after = allocate_port_channels(
            &[
                (lane("Ethernet1/10/1"), "tor3a:Ethernet1/10/1".into()),
                (lane("Ethernet1/10/2"), "tor3a:Ethernet1/10/2".into()),
                (11, "tor3a:Ethernet1/11".into()),
                (12, "tor3a:Ethernet1/12".into()),
                (13, "tor3a:Ethernet1/13".into()),
            ],
            NUMBERING.max_port_channel,
        );
        assert_eq!(before, vec![11, 12, 13]);
        assert_eq!(after, vec![1101, 1102, 11, 12, 13]);
    }
}

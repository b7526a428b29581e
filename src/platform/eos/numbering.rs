//! The numbers EOS accepts and keeps for itself. EOS is not buildable yet
//! (issue #13 step 2): only the MTU range is checked today; the other
//! figures are marked where they are guesses.

use crate::platform::build::{MtuRange, Numbering};
use std::net::Ipv4Addr;

pub const NUMBERING: Numbering = Numbering {
    // Guess, not checked against the manual: `interface Port-Channel`
    // numbers up to 2000 on current EOS releases.
    max_port_channel: 2000,
    // liaison's NX-OS scheme read through EOS port names (ports.rs).
    port_channel_of: super::ports::port_channel_of,
    // Guess: EOS's `mlag configuration` `domain-id` is a name, not a
    // number; liaison would number it like a vPC domain.
    max_pair_domain: 1000,
    // Guess: VRRP numbers virtual routers 1-255 and has no second version
    // with more; the limit is what a version-1 group takes.
    fhrp_v1_max_group: 255,
    // EOS allocates internal VLANs dynamically (`vlan internal order`),
    // not from a fixed range; liaison keeps 4094 for the MLAG peer VLAN
    // of every pair (templates/eos/device.j2), as Arista's MLAG examples
    // number it.
    reserved_vlans: Some(4094..=4094),
    // Routed interfaces and SVIs take an IP MTU of 68-9214 bytes (Arista
    // EOS manual, "Layer 3 MTU configuration": "The switch supports MTU
    // sizes ranging from 68 to 9214 bytes").
    mtu: MtuRange {
        min_routed: 68,
        max: 9214,
    },
    // The MLAG peer SVI (`interface Vlan4094`, the `local-interface` of
    // `mlag configuration`; templates/eos/svis.j2) in the default VRF: a
    // /31 of the link-local range, the same on every pair, since the VLAN
    // never leaves the pair (Arista's and AVD's MLAG examples take a /30
    // or /31 of their own choosing there). A guess: that EOS takes a
    // 169.254.0.0/16 address on an SVI was not found in the manual.
    pair_peer_subnet: Some(Ipv4Addr::new(169, 254, 0, 0)),
};

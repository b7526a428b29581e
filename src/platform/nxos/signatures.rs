//! How a Cisco NX-OS configuration text shows that it is one
//! ([`crate::config::signature`]): the evidence weighed against the signs
//! of other platforms before a config is read as NX-OS.
//!
//! Sources: the 136 NX-OS configs of the public corpus (`nxos/` of
//! `/work/shared/corpus`, in `tests/fixtures/nxos/` with their SOURCES
//! rows): lab `show running-config` captures (`batfish__lab-validation__*`,
//! `datacenter__opennxos__*`, `networktocode__*`), checkpoints
//! (`napalm-automation__*`) and Batfish's hand-written grammar snippets.

use crate::config::signature::{Shape, Sign, Signatures, THRESHOLD};

pub const SIGNATURES: Signatures = Signatures {
    name: "Cisco NX-OS",
    signs: &[
        Sign {
            shape: Shape::Line(r"^!Command: "),
            weight: THRESHOLD,
            meaning: "NX-OS starts `show running-config` and checkpoints with `!Command: …` (EOS: `! Command:`)",
            source: "29 configs, e.g. batfish__lab-validation__cisco_private_asn_R-PublicASN100_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Line(r"^version \d+\.\d+\("),
            weight: THRESHOLD,
            meaning: "NX-OS prints its release as `version 9.3(8)`",
            source: "37 configs, e.g. batfish__lab-validation__checkpoint_bond_vlan_outside1_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Line(r"^feature \S"),
            weight: THRESHOLD,
            meaning: "NX-OS enables protocols with `feature …` (EOS has no such command)",
            source: "70 configs, e.g. batfish__eigrp_distribute_list_prefix_list.cfg",
        },
        Sign {
            shape: Shape::Line(r"^interface mgmt0$"),
            weight: THRESHOLD,
            meaning: "NX-OS's management port is `mgmt0`",
            source: "36 configs, e.g. batfish__lab-validation__cisco_private_asn_R-PublicASN100_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Line(r"^vrf context \S"),
            weight: THRESHOLD,
            meaning: "NX-OS defines a VRF with `vrf context`",
            source: "54 configs, e.g. batfish__bgp_redistribution.cfg",
        },
        Sign {
            shape: Shape::Line(r"^interface nve\d"),
            weight: THRESHOLD,
            meaning: "NX-OS's VXLAN interface is `nve1`",
            source: "8 configs, e.g. batfish__lab-validation__nxos_evpn_l2vni_NX-1_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Line(r"^vpc domain \d"),
            weight: THRESHOLD,
            meaning: "NX-OS pairs switches with `vpc domain`",
            source: "5 configs, e.g. datacenter__opennxos__Usecase_3_Leaf_1_config_after.cfg",
        },
        Sign {
            shape: Shape::Line(r"^switchname \S"),
            weight: THRESHOLD,
            meaning: "`switchname` is NX-OS's synonym of `hostname`",
            source: "11 configs, e.g. batfish__nxos_switchname.cfg",
        },
        Sign {
            shape: Shape::Line(r"^!Time: "),
            weight: 5,
            meaning: "NX-OS dates `show running-config` with `!Time: …`",
            source: "29 configs, with `!Command:`",
        },
        Sign {
            shape: Shape::Line(r"^interface port-channel\d"),
            weight: 6,
            meaning: "NX-OS prints port-channels in lower case, `port-channel10`",
            source: "14 configs, e.g. batfish__lab-validation__nxos_eigrp_neighbor_nxos1_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Line(r"^username \S+ password 5 "),
            weight: 6,
            meaning: "NX-OS stores passwords as `password 5 …`",
            source: "35 configs, e.g. batfish__lab-validation__checkpoint_bond_vlan_outside1_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Line(r"^\s+address-family ipv[46] unicast"),
            weight: 4,
            meaning: "NX-OS names the address family in full, `address-family ipv4 unicast`",
            source: "46 configs, e.g. batfish__bgp_redistribution.cfg",
        },
        Sign {
            shape: Shape::Line(r"^interface loopback\d"),
            weight: 3,
            meaning: "NX-OS prints loopbacks in lower case, `loopback0`",
            source: "39 configs, e.g. batfish__lab-validation__cisco_private_asn_R-PublicASN100_show_running-config.cfg",
        },
        Sign {
            shape: Shape::Indent(2),
            weight: 3,
            meaning: "NX-OS indents each level by 2 spaces (a habit other tools share: it weighs little)",
            source: "112 configs; hier_config's EOS configs are re-indented to 2 as well",
        },
        Sign {
            shape: Shape::Line(r"^interface Ethernet\d+/\d+"),
            weight: 2,
            meaning: "NX-OS numbers ports `Ethernet1/1` (EOS does too on modular and breakout ports: it weighs little)",
            source: "77 configs; avd__cli_config_gen__ethernet-interfaces.cfg (EOS) has one",
        },
    ],
};

//! What liaison knows of Arista EOS configuration text. It cannot read it
//! yet (issue 13); it recognises it, so that an EOS config given where an
//! NX-OS one is expected is refused instead of misread
//! ([`crate::config::signature`]).
//!
//! Sources: the 44 EOS configs of the public corpus (`eos/` of
//! `/work/shared/corpus`, copied to `tests/fixtures/eos/` with their
//! SOURCES rows): Arista AVD's generated intended configs (`avd__*`),
//! netutils' and hier_config's test configs. File names below are theirs.

use crate::config::signature::{Shape, Sign, Signatures};

/// Weight of a sign the NX-OS CLI would refuse outright: enough alone.
const DECISIVE: u32 = crate::config::signature::THRESHOLD;

pub const SIGNATURES: Signatures = Signatures {
    name: "Arista EOS",
    signs: &[
        Sign {
            shape: Shape::Line(r"^! device: \S+ \(.*EOS-"),
            weight: DECISIVE,
            meaning: "EOS starts `show running-config` with `! device: NAME (MODEL, EOS-VERSION)`",
            source: "a cEOS `show running-config` (`! device: leaf1 (cEOSLab, EOS-4.25.5M-…)`) in github.com/hgade/avd-quickstart-containerlab, avd_lab/avd_inventory/snapshots/leaf1/report.md; not in the corpus (AVD's intended configs have no header)",
        },
        Sign {
            shape: Shape::Line(r"^interface Management\d"),
            weight: DECISIVE,
            meaning: "EOS names its management port `Management1` (NX-OS: `mgmt0`)",
            source: "34 of the 44 corpus configs, e.g. avd__l2ls-fabric__LEAF1.cfg, avd__cli_config_gen__vlans.cfg",
        },
        Sign {
            shape: Shape::Line(r"^vrf instance \S"),
            weight: DECISIVE,
            meaning: "EOS defines a VRF with `vrf instance` (NX-OS: `vrf context`)",
            source: "avd__cli_config_gen__vrf-instances.cfg, avd__l2ls-fabric__LEAF1.cfg (15 configs)",
        },
        Sign {
            shape: Shape::Line(r"^transceiver qsfp default-mode "),
            weight: DECISIVE,
            meaning: "`transceiver qsfp default-mode` is an EOS command",
            source: "avd__l2ls-fabric__LEAF1.cfg, avd__single-dc-l3ls__dc1-leaf1a.cfg (16 configs)",
        },
        Sign {
            shape: Shape::Line(r"^service routing protocols model "),
            weight: DECISIVE,
            meaning: "`service routing protocols model` is an EOS command",
            source: "avd__l2ls-fabric__LEAF1.cfg, avd__single-dc-l3ls__dc1-spine1.cfg (14 configs)",
        },
        Sign {
            shape: Shape::Line(r"^management api "),
            weight: DECISIVE,
            meaning: "`management api …` (eAPI, gNMI) is an EOS section",
            source: "avd__cli_config_gen__base.cfg, netutils__compliance_eos_basic.cfg (19 configs)",
        },
        Sign {
            shape: Shape::Line(r"^no aaa root$"),
            weight: DECISIVE,
            meaning: "`no aaa root` is an EOS command",
            source: "avd__l2ls-fabric__LEAF1.cfg, avd__single-dc-l3ls__dc1-leaf1a.cfg (16 configs)",
        },
        Sign {
            shape: Shape::Line(r"^mlag configuration$"),
            weight: DECISIVE,
            meaning: "EOS pairs switches with `mlag configuration` (NX-OS: `vpc domain`)",
            source: "avd__cli_config_gen__mlag-configuration.cfg, avd__l2ls-fabric__LEAF1.cfg (11 configs)",
        },
        Sign {
            shape: Shape::Line(r"^interface Vxlan\d"),
            weight: DECISIVE,
            meaning: "EOS's VXLAN interface is `Vxlan1` (NX-OS: `nve1`)",
            source: "avd__cli_config_gen__vxlan-interface.cfg, avd__single-dc-l3ls__dc1-leaf1a.cfg (5 configs)",
        },
        Sign {
            shape: Shape::Line(r"^ip virtual-router mac-address "),
            weight: DECISIVE,
            meaning: "`ip virtual-router mac-address` (EOS's anycast gateway) is an EOS command",
            source: "avd__single-dc-l3ls__dc1-leaf1a.cfg, avd__single-dc-l3ls__dc1-leaf1b.cfg (4 configs)",
        },
        Sign {
            shape: Shape::Line(r"^\s+ip address virtual "),
            weight: DECISIVE,
            meaning: "`ip address virtual` (EOS's anycast gateway address) is an EOS command",
            source: "avd__cli_config_gen__vlan-interfaces.cfg, avd__single-dc-l3ls__dc1-leaf1a.cfg (5 configs)",
        },
        Sign {
            shape: Shape::Line(r"^spanning-tree mode mstp$"),
            weight: 8,
            meaning: "EOS calls MST `mstp` (NX-OS: `spanning-tree mode mst`)",
            source: "avd__cli_config_gen__spanning-tree.cfg, avd__l2ls-fabric__LEAF1.cfg (15 configs)",
        },
        Sign {
            shape: Shape::Line(r"^banner (login|motd)$"),
            weight: 8,
            meaning: "an EOS banner: its text follows on the next lines and ends with `EOF` (NX-OS opens `banner motd` with a delimiter on the same line)",
            source: "netutils__compliance_eos_bad_banner_backup.cfg, avd__cli_config_gen__base.cfg (6 configs); NX-OS: `banner motd #` in the NX-OS corpus",
        },
        Sign {
            shape: Shape::Line(r"^username \S+ .* secret sha512 "),
            weight: 8,
            meaning: "EOS stores passwords as `secret sha512` (NX-OS: `password 5`)",
            source: "avd__l2ls-fabric__LEAF1.cfg, avd__single-dc-l3ls__dc1-spine1.cfg (16 configs)",
        },
        Sign {
            shape: Shape::Line(r"^interface Port-Channel\d"),
            weight: 6,
            meaning: "EOS prints port-channels capitalised, `Port-Channel10` (NX-OS: `port-channel10`)",
            source: "avd__cli_config_gen__port-channel-interfaces.cfg, avd__l2ls-fabric__LEAF1.cfg (13 configs)",
        },
        Sign {
            shape: Shape::Line(r"^aaa authorization exec default "),
            weight: 6,
            meaning: "`aaa authorization exec default` is EOS (and IOS) syntax; NX-OS authorizes `commands` and `config-commands`",
            source: "avd__l2ls-fabric__LEAF1.cfg, avd__single-dc-l3ls__dc1-spine1.cfg (8 configs)",
        },
        Sign {
            shape: Shape::Indent(3),
            weight: 6,
            meaning: "EOS indents each level by 3 spaces (NX-OS: 2)",
            source: "38 of the 44 corpus configs, e.g. avd__l2ls-fabric__LEAF1.cfg, netutils__diff_eos_base.cfg (hier_config's re-indent to 2)",
        },
        Sign {
            shape: Shape::Line(r"^interface Ethernet\d+$"),
            weight: 5,
            meaning: "EOS numbers fixed ports `Ethernet1` (NX-OS: `Ethernet1/1`)",
            source: "25 configs, e.g. netutils__diff_eos_base.cfg, hier_config__eos_running.cfg; two hand-written batfish NX-OS snippets have it too",
        },
        Sign {
            shape: Shape::Line(r"^\s+address-family ipv[46]$"),
            weight: 5,
            meaning: "EOS writes `address-family ipv4` bare (NX-OS: `address-family ipv4 unicast`)",
            source: "hier_config__eos_running.cfg, avd__single-dc-l3ls__dc1-leaf1a.cfg (10 configs)",
        },
        Sign {
            shape: Shape::Line(r"^\s*(no )?spanning-tree portfast"),
            weight: 5,
            meaning: "EOS marks edge ports `spanning-tree portfast` (NX-OS: `spanning-tree port type edge`)",
            source: "avd__cli_config_gen__ethernet-interfaces.cfg, hier_config__eos_generated.cfg (15 configs)",
        },
        Sign {
            shape: Shape::Line(r"^\s+neighbor \S+ description "),
            weight: 4,
            meaning: "EOS sets a BGP neighbor's description on the neighbor line (NX-OS: `description` inside `neighbor X`)",
            source: "hier_config__eos_running.cfg, avd__single-dc-l3ls__dc1-leaf1a.cfg (10 configs)",
        },
        Sign {
            shape: Shape::LastLine("end"),
            weight: 4,
            meaning: "EOS ends `show running-config` with `end` (NX-OS prints none)",
            source: "avd__l2ls-fabric__LEAF1.cfg, netutils__compliance_eos_bad_banner_backup.cfg (19 configs); no NX-OS corpus config ends so",
        },
        Sign {
            shape: Shape::Line(r"^interface Loopback\d"),
            weight: 3,
            meaning: "EOS prints loopbacks capitalised, `Loopback0` (NX-OS: `loopback0`)",
            source: "avd__cli_config_gen__base.cfg, avd__l2ls-fabric__SPINE1.cfg (10 configs); two batfish NX-OS snippets have it too",
        },
    ],
};

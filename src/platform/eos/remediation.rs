//! EOS remediation rules: the second instance of the data the generic
//! algorithm of `crate::plan::remediate` reads ([`RULES`]), the hooks data
//! cannot express (physical ports, factory state), and the management
//! plane a plan must not cut.
//!
//! Sources: Arista EOS User Manual, "Ethernet Ports" and "Port Channels"
//! (`switchport trunk allowed vlan add|remove|all|none`, `channel-group`,
//! `default interface`), "ACLs" ("Modifying an ACL": a rule is replaced or
//! inserted by typing it with its sequence number, deleted by `no SEQ`),
//! "MLAG" (`mlag N` on a port-channel, `mlag configuration`), "VRFs"
//! (`vrf instance NAME`, `vrf NAME` on an interface); the sim's model of
//! them (docs/simulator.md "EOS switch simulator").
//!
//! What differs from NX-OS: EOS has no `feature` commands (nothing is
//! wiped by turning a feature off), VRFs are `vrf instance NAME`, the
//! management port is `Management1`, and ACL entries are edited in place
//! by sequence number like NX-OS's (the generic algorithm does that for
//! every sequenced list). While an ACL bound to an interface is changed,
//! EOS blocks the traffic of that interface unless `hardware access-list
//! update default-result permit` is configured ("Modifying an ACL"):
//! liaison never adds that command (it lets every packet through
//! unfiltered during the update), leaves it alone where it is
//! ([`RULES`]'s permanent lines), and says in a note which bound ACLs a
//! plan changes ([`acl_update_note`]; docs/pushing.md).

use super::config::{self as dialect, TRUNK_ALLOWED};
use crate::config::ConfigTree;
use crate::plan::management::{ManagementRules, VrfName};
use crate::plan::remediate::{
    Kind, LineMatch, ModeChange, ModeErasure, Negation, NegationRule, Permanent, RemediationRules,
    SetList,
};
use crate::plan::Command;
use std::collections::HashSet;

/// The longest command line the plan sends; longer trunk lists are split
/// over several `add`/`remove` commands. Guess: EOS takes long lines
/// (its own `show running-config` prints a trunk list on one line of any
/// length), so this is the NX-OS limit, kept for commands a human reads.
pub const MAX_COMMAND_CHARS: usize = 220;

/// The Layer-3 settings of an interface that `vrf NAME` erases: EOS
/// removes an interface's IP addresses when it moves to another VRF (a
/// guess from the warning EOS prints, `% Interface … IP address …
/// removed due to enabling VRF …`; liaison-eos-sim erases nothing, and
/// re-sending the lines is harmless there).
const L3_LINES: &[&str] = &[
    "ip address ",
    "ipv6 address ",
    "ip virtual-router address ",
    "ip address virtual ",
];

/// The command that makes EOS permit an interface's traffic while one of
/// its ACLs is being changed ("Modifying an ACL", "Permit All Traffic
/// During ACL Update").
pub const ACL_UPDATE_PERMIT: &str = "hardware access-list update default-result permit";

/// EOS's remediation rules (docs/plan-internals.md, "Remediation rules").
pub static RULES: RemediationRules = RemediationRules {
    negation: "no ",
    sections: &[
        ("vrf instance ", Kind::Vrf),
        ("vlan ", Kind::Vlan),
        ("ip access-list ", Kind::Acl),
        ("ipv6 access-list ", Kind::Acl),
        ("mac access-list ", Kind::Acl),
        ("interface ", Kind::Interface),
        ("spanning-tree mode ", Kind::SpanningTreeMode),
    ],
    interface: "interface ",
    // `default interface Ethernet1` (Arista EOS User Manual, "default
    // interface").
    reset_port: "default ",
    permanent: &[
        // The management port exists on every switch.
        Permanent {
            prefix: "interface Management",
            negated_too: false,
        },
        // What the operator chose for ACL updates (see the module comment).
        Permanent {
            prefix: ACL_UPDATE_PERMIT,
            negated_too: true,
        },
        // The routing agent model and the transceiver modes take effect
        // at the next reload and change the whole switch: never removed
        // by omission (a guess at what a plan must not touch).
        Permanent {
            prefix: "service routing protocols model ",
            negated_too: false,
        },
        Permanent {
            prefix: "transceiver ",
            negated_too: false,
        },
    ],
    // EOS has no `feature` commands.
    feature_wipes: &[],
    removed_after_adding: &[],
    negations: &[
        NegationRule {
            line: LineMatch::Key("description"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("channel-group"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("mlag"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("ip address"),
            negation: Negation::Key,
        },
        // Single-value settings EOS takes back by their keyword alone: the
        // Arista EOS User Manual gives `no switchport mode`, `no switchport
        // access vlan`, `no switchport trunk native vlan`, `no mtu`, `no
        // vrf`, `no name` (VLAN, MST region) and, under `mlag
        // configuration`, `no domain-id`, `no local-interface`, `no
        // peer-address`, `no peer-link` as the syntax of each command's
        // negation (its value is not part of it). Found end to end: a blank
        // switch's port made routed planned `no switchport mode access`,
        // which that syntax does not have.
        NegationRule {
            line: LineMatch::Key("switchport mode"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("switchport access vlan"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("switchport trunk native vlan"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("mtu"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("vrf"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("name"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("domain-id"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("local-interface"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("peer-address"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("peer-link"),
            negation: Negation::Key,
        },
        // `no spanning-tree bpduguard`, `no spanning-tree guard` (the
        // manual's syntax; the value is not repeated).
        NegationRule {
            line: LineMatch::Prefix("spanning-tree bpduguard "),
            negation: Negation::Words(2),
        },
        NegationRule {
            line: LineMatch::Prefix("spanning-tree guard "),
            negation: Negation::Words(2),
        },
        // `no banner motd`, `no comment`: the text is not repeated.
        NegationRule {
            line: LineMatch::Prefix("banner "),
            negation: Negation::Words(2),
        },
        NegationRule {
            line: LineMatch::Prefix("comment\n"),
            negation: Negation::Words(1),
        },
    ],
    // A port moves from one bundle to another only through none (a guess:
    // as on NX-OS), and a switch has one MLAG domain id at a time.
    replaced_through_none: &["channel-group"],
    set_list: SetList {
        key: TRUNK_ALLOWED,
        parse: crate::platform::nxos::config::allowed_vlans,
        add: "add",
        remove: "remove",
        none: "none",
        all: "all",
    },
    mode_erasures: &[ModeErasure {
        key: "vrf",
        when: ModeChange::Any,
        erases: L3_LINES,
    }],
    layer: "switchport",
    admin: "shutdown",
    vlan: "vlan ",
    svi: "interface Vlan",
    vlan_lines: &["switchport access vlan ", "switchport trunk native vlan "],
    not_references: &["description ", "name ", "comment\n"],
    exit: "exit",
    max_command_chars: MAX_COMMAND_CHARS,
    management: MANAGEMENT,
};

/// Interfaces that exist in hardware: front-panel ports (`Ethernet1`,
/// `Ethernet49/1`, not the subinterface `Ethernet1.10`) and the
/// management ports. They are reset, never deleted.
pub fn is_physical_interface(name: &str) -> bool {
    (name.starts_with("Ethernet") && !name.contains('.')) || name.starts_with("Management")
}

/// A note naming the ACLs a plan changes in place that interfaces of the
/// intended config use, when the device does not permit traffic during ACL
/// updates: EOS blocks those interfaces' traffic while the change is
/// programmed ("Modifying an ACL"). None when nothing bound changes or
/// the running config has [`ACL_UPDATE_PERMIT`].
pub fn acl_update_note(
    commands: &[Command],
    running: &ConfigTree<'_>,
    intended: &ConfigTree<'_>,
) -> Option<String> {
    if running.nodes.iter().any(|n| n.text == ACL_UPDATE_PERMIT) {
        return None;
    }
    // Each tree is read once (sets, not a search per command): a big
    // config's plan has thousands of commands and ACL entries.
    let existing: HashSet<&str> = running
        .nodes
        .iter()
        .filter(|n| dialect::is_acl(&n.text))
        .map(|n| &*n.text)
        .collect();
    let used: HashSet<&str> = intended
        .nodes
        .iter()
        .filter(|n| n.text.starts_with("interface "))
        .flat_map(|n| &n.children)
        .filter_map(|c| {
            c.text
                .strip_prefix("ip access-group ")
                .or_else(|| c.text.strip_prefix("ipv6 access-group "))
                .and_then(|rest| rest.split(' ').next())
        })
        .collect();
    let mut changed: Vec<&str> = commands
        .iter()
        .filter(|c| c.depth == 0 && dialect::is_acl(&c.text) && existing.contains(&*c.text))
        .filter_map(|c| c.text.split(' ').next_back())
        .collect();
    changed.dedup();
    let bound: Vec<&str> = changed
        .into_iter()
        .filter(|name| used.contains(name))
        .collect();
    if bound.is_empty() {
        return None;
    }
    let listed: Vec<String> = bound.iter().map(|n| format!("`{n}`")).collect();
    Some(format!(
        "ACL{} {} change{} in place while interfaces use {}: EOS blocks their traffic until each change is programmed (a moment) unless the switch has `{ACL_UPDATE_PERMIT}`",
        if bound.len() == 1 { "" } else { "s" },
        listed.join(", "),
        if bound.len() == 1 { "s" } else { "" },
        if bound.len() == 1 { "it" } else { "them" },
    ))
}

/// A note when a management port of the running config is in the default
/// VRF (no `vrf` line under it: an EOS interface is in the default VRF
/// unless one says otherwise) while the intended config routes segments
/// there (an `interface Vlan…` with an address and no `vrf`): every VM of
/// those segments reaches the management address, and the management
/// network behind it, through its gateway. The segments' ACLs drop only
/// the addresses liaison gives the switches (docs/policy.md "Protecting
/// the switches"), and liaison leaves the management plane alone, so it
/// says so instead of changing it. None when either side is in a VRF.
pub fn management_vrf_note(running: &ConfigTree<'_>, intended: &ConfigTree<'_>) -> Option<String> {
    // The interfaces of `tree` named `prefix…` with an address and no VRF.
    let addressed_in_default_vrf = |tree: &ConfigTree<'_>, prefix: &str| -> Vec<String> {
        tree.nodes
            .iter()
            .filter(|n| n.text.starts_with(prefix))
            .filter(|n| !n.children.iter().any(|c| c.text.starts_with("vrf ")))
            .filter(|n| {
                n.children.iter().any(|c| {
                    c.text.starts_with("ip address ")
                        || c.text.starts_with("ip virtual-router address ")
                })
            })
            .filter_map(|n| n.text.strip_prefix("interface ").map(str::to_string))
            .collect()
    };
    let ports = addressed_in_default_vrf(running, "interface Management");
    let routed = addressed_in_default_vrf(intended, "interface Vlan");
    if ports.is_empty() || routed.is_empty() {
        return None;
    }
    const SHOWN: usize = 3;
    let more = match routed.len() > SHOWN {
        true => format!(" and {} more", routed.len() - SHOWN),
        false => String::new(),
    };
    Some(format!(
        "{} {} in the default VRF, where this switch routes segments ({}{more}): their VMs can reach its management address, and the management network behind it, through their gateway; put the management port in a VRF of its own (`vrf MGMT` under it, with `vrf instance MGMT`; liaison leaves the management plane to you)",
        ports.join(", "),
        if ports.len() == 1 { "is" } else { "are" },
        routed[..routed.len().min(SHOWN)].join(", "),
    ))
}

// ----- the management plane ------------------------------------------------

/// The management plane of an EOS switch: the top-level commands that
/// decide who reaches the switch and how, and what it boots (Arista EOS
/// User Manual, "User Security", "Management Interfaces" (`management
/// ssh`, `management api http-commands`), "AAA"). Each entry matches the
/// command (`no` and all) or a section it opens, by whole words; the
/// second field says what it is, for notes. The management VRF has no
/// fixed name on EOS: [`crate::platform::Platform::management_vrf`].
pub const MANAGEMENT_PLANE: &[(&str, &str)] = &[
    ("username", "login users and their SSH keys"),
    ("enable password", "login users and their SSH keys"),
    ("enable secret", "login users and their SSH keys"),
    ("aaa", "AAA"),
    ("tacacs-server", "AAA"),
    ("radius-server", "AAA"),
    ("ip tacacs", "AAA"),
    ("ip radius", "AAA"),
    ("management ssh", "the SSH server"),
    ("management api", "the management APIs"),
    ("management console", "console and vty lines"),
    // The management VRF by each name it has (`{vrf}`, see `MANAGEMENT`).
    ("vrf instance {vrf}", "the management VRF and its routes"),
    ("ip route vrf {vrf}", "the management VRF and its routes"),
    ("ipv6 route vrf {vrf}", "the management VRF and its routes"),
    // Every management port: `Management1` on fixed switches; modular
    // chassis name a port per supervisor and a shared one (Arista EOS
    // User Manual, "Management Interfaces"; from memory, not a cited
    // page: a guess for the names beyond `Management1`), and
    // `interface Management0` is printed in the corpus
    // (`avd__l2ls-fabric__SPINE1.cfg`).
    ("interface Management*", "the management interface"),
    ("system control-plane", "control-plane policing"),
    ("boot", "boot images"),
];

/// Sections that management-plane lines name (the ACL of `management
/// ssh`'s `ip access-group`): they belong to the management plane too.
pub const MANAGEMENT_REFERENCED: &[&str] = &[
    "ip access-list ",
    "ipv6 access-list ",
    "mac access-list ",
    "class-map ",
    "policy-map ",
];

/// EOS's management plane (docs/plan-internals.md, "Remediation rules as
/// data"). Management routes are top-level `ip route vrf MGMT` lines on
/// EOS, not lines of the VRF's section (Arista EOS User Manual, "IPv4
/// Commands", `ip route`: `ip route [vrf NAME] PREFIX NEXT-HOP`; printed
/// so in the corpus:
/// `ip route vrf MGMT 0.0.0.0/0 172.16.100.1`,
/// `avd__l2ls-fabric__LEAF1.cfg`): `top_routes`.
/// The management port is `Management1` on fixed switches, and modular
/// chassis have `Management0` and `Management1/1` (see
/// [`MANAGEMENT_PLANE`]): every `Management*` port is left alone, and
/// with `--allow-management-changes` a change on any of them that cuts
/// liaison's address is refused.
/// The management VRF's name where no management port names one: Arista
/// AVD's default `mgmt_interface_vrf` (EOS fixes no name).
pub const ASSUMED_MANAGEMENT_VRF: &str = "MGMT";

const MANAGEMENT: ManagementRules = ManagementRules {
    sections: MANAGEMENT_PLANE,
    referenced: MANAGEMENT_REFERENCED,
    remove_user: "no username ",
    ssh: &["management ssh"],
    ssh_sections: &["management ssh"],
    // EOS lets the operator name the management VRF: the one each
    // management port is in (`vrf NAME` under it), and AVD's default
    // `mgmt_interface_vrf` `MGMT` where no port says.
    vrf_name: VrfName::FromPort {
        assumed: ASSUMED_MANAGEMENT_VRF,
        port_line: "vrf ",
    },
    vrf: "vrf instance {vrf}",
    routes: &[],
    top_routes: &["ip route vrf {vrf} ", "ipv6 route vrf {vrf} "],
    interface: "interface Management*",
    address_cut: &["no ip address", "no vrf"],
    address: "ip address ",
};

#[cfg(test)]
mod tests {
    use crate::config::ConfigTree;
    use crate::plan::{Command, Session};
    use crate::platform::eos::{parse, Eos};

    fn cut(lines: &[(usize, &str)], intended: &ConfigTree<'_>) -> Option<String> {
        let commands: Vec<Command> = lines
            .iter()
            .map(|(depth, text)| Command {
                depth: *depth,
                text: text.to_string(),
            })
            .collect();
        let session = Session {
            user: Some("netops"),
            address: Some("192.0.2.11".parse().unwrap()),
        };
        let vrfs = crate::plan::management::vrf_names(&Eos, &[intended]);
        crate::plan::management::cuts_own_session(&Eos, &commands, intended, &session, &vrfs)
    }

    #[test]
    fn cutting_the_session_is_named() {
        let intended = parse("hostname a\n").unwrap();
        let cut = |lines: &[(usize, &str)]| cut(lines, &intended);
        assert!(cut(&[(0, "no vrf instance MGMT")])
            .unwrap()
            .contains("removes the management VRF"));
        assert!(cut(&[(0, "no management ssh")])
            .unwrap()
            .contains("turns off SSH"));
        assert!(cut(&[(0, "management ssh"), (1, "shutdown")])
            .unwrap()
            .contains("turns off SSH"));
        for port in ["Management1", "Management0", "Management1/1"] {
            let header = format!("interface {port}");
            assert!(cut(&[(0, &header), (1, "no vrf")])
                .unwrap()
                .contains(&format!("on {port}")));
            assert!(cut(&[(0, &format!("no {header}"))])
                .unwrap()
                .contains("erases the management interface"));
            assert!(cut(&[(0, &format!("default {header}"))]).is_some());
        }
        assert!(cut(&[(0, "no username netops")])
            .unwrap()
            .contains("removes the user `netops`"));
        assert!(cut(&[(0, "interface Ethernet1"), (1, "shutdown")]).is_none());
    }

    #[test]
    fn every_management_port_is_the_management_plane() {
        let tree = parse(
            "interface Management0\n   vrf MGMT\ninterface Management1\n   vrf MGMT\ninterface Management1/1\n   vrf MGMT\ninterface Ethernet1\n   description x\n",
        )
        .unwrap();
        let vrfs = crate::plan::management::vrf_names(&Eos, &[&tree]);
        let keys = crate::plan::management::management_keys(&Eos, &[&tree], &vrfs);
        let names: Vec<&str> = keys.keys().map(String::as_str).collect();
        for port in ["Management0", "Management1", "Management1/1"] {
            assert!(names.iter().any(|k| k.ends_with(port)), "{port}: {names:?}");
        }
        assert!(!names.iter().any(|k| k.contains("Ethernet1")), "{names:?}");
    }

    #[test]
    fn a_top_level_management_route_is_guarded() {
        // The management VRF's routes are top-level lines on EOS.
        let removal = [(0, "no ip route vrf MGMT 0.0.0.0/0 192.0.2.1")];
        let bare = parse("hostname a\n").unwrap();
        let why = cut(&removal, &bare).unwrap();
        assert!(
            why.contains("removes a route of the management VRF") && why.contains("0.0.0.0/0"),
            "{why}"
        );
        // A route of another VRF is not the management VRF's.
        assert!(cut(&[(0, "no ip route vrf PROD 0.0.0.0/0 192.0.2.1")], &bare).is_none());
        // A new next hop for the same destination keeps the session's way.
        let kept = parse("ip route vrf MGMT 0.0.0.0/0 192.0.2.254\n").unwrap();
        assert!(cut(&removal, &kept).is_none());
        let narrower = parse("ip route vrf MGMT 10.0.0.0/8 192.0.2.254\n").unwrap();
        assert!(cut(&removal, &narrower).is_some());
    }
}

//! NX-OS remediation rules: the data the generic algorithm of
//! `crate::plan::remediate` reads ([`RULES`]), the few hooks data cannot
//! express (physical ports, factory state, per-tree spanning-tree lines),
//! and the management plane a plan must not cut.

use super::config::{self as dialect, TRUNK_ALLOWED};
use crate::plan::management::{ManagementRules, VrfName};
use crate::plan::remediate::{
    FeatureWipe, Kind, LineMatch, ModeChange, ModeErasure, Negation, NegationRule, Permanent,
    RemediationRules, SetList,
};
use crate::plan::Command;

/// The longest command line the plan sends; longer trunk lists are split
/// over several `add`/`remove` commands (NX-OS refuses very long lines).
pub const MAX_COMMAND_CHARS: usize = 220;

/// Layer-3 settings of an interface that `vrf member` and `switchport`
/// erase.
const L3_LINES: &[&str] = &["ip address ", "ipv6 address ", "hsrp ", "ip router "];

/// NX-OS's remediation rules (docs/plan-internals.md, "Remediation rules").
pub static RULES: RemediationRules = RemediationRules {
    negation: "no ",
    sections: &[
        ("feature ", Kind::Feature),
        ("vrf context ", Kind::Vrf),
        ("vlan ", Kind::Vlan),
        ("object-group ", Kind::ObjectGroup),
        ("ip access-list ", Kind::Acl),
        ("ipv6 access-list ", Kind::Acl),
        ("mac access-list ", Kind::Acl),
        ("interface ", Kind::Interface),
        ("spanning-tree mode ", Kind::SpanningTreeMode),
    ],
    interface: "interface ",
    reset_port: "default ",
    // Sections that exist on every switch and cannot be removed, and the
    // switch's port defaults (`system default switchport …`: turning one
    // off would change every port that relies on it).
    permanent: &[
        Permanent {
            prefix: "line ",
            negated_too: false,
        },
        Permanent {
            prefix: "vdc ",
            negated_too: false,
        },
        Permanent {
            prefix: "interface mgmt",
            negated_too: false,
        },
        Permanent {
            prefix: "system default switchport",
            negated_too: true,
        },
    ],
    // What `no feature X` removes with it.
    feature_wipes: &[
        FeatureWipe {
            feature: "feature interface-vlan",
            top_level: &["interface Vlan"],
            in_interfaces: &[],
        },
        FeatureWipe {
            feature: "feature hsrp",
            top_level: &[],
            in_interfaces: &["hsrp "],
        },
        FeatureWipe {
            feature: "feature vpc",
            top_level: &["vpc domain "],
            in_interfaces: &["vpc "],
        },
        FeatureWipe {
            feature: "feature lacp",
            top_level: &[],
            in_interfaces: &["lacp "],
        },
        FeatureWipe {
            feature: "feature ospf",
            top_level: &["router ospf "],
            in_interfaces: &["ip router ospf ", "ip ospf "],
        },
        FeatureWipe {
            feature: "feature eigrp",
            top_level: &["router eigrp "],
            in_interfaces: &["ip router eigrp ", "ip eigrp "],
        },
        FeatureWipe {
            feature: "feature bgp",
            top_level: &["router bgp "],
            in_interfaces: &[],
        },
        FeatureWipe {
            feature: "feature pim",
            top_level: &["ip pim "],
            in_interfaces: &["ip pim "],
        },
        FeatureWipe {
            feature: "feature bfd",
            top_level: &[],
            in_interfaces: &["bfd "],
        },
        FeatureWipe {
            feature: "feature tacacs+",
            top_level: &["tacacs-server ", "aaa group server tacacs+ "],
            in_interfaces: &[],
        },
    ],
    // A static route whose next hop changes is added first and the old one
    // removed next (ECMP for a moment), never a window without the route —
    // in `vrf context management`, the route the SSH session arrives on.
    // (Top-level lines go in the deletion phase, after every addition.)
    removed_after_adding: &["ip route ", "ipv6 route "],
    negations: &[
        NegationRule {
            line: LineMatch::Key("description"),
            negation: Negation::Key,
        },
        NegationRule {
            line: LineMatch::Key("channel-group"),
            negation: Negation::Key,
        },
        // `no banner motd`: the text is not repeated.
        NegationRule {
            line: LineMatch::Prefix("banner "),
            negation: Negation::Words(2),
        },
    ],
    // A port moves from one bundle to another only through none, and a
    // switch has one vPC domain at a time.
    replaced_through_none: &["channel-group", "vpc", "vpc domain"],
    set_list: SetList {
        key: TRUNK_ALLOWED,
        parse: dialect::allowed_vlans,
        add: "add",
        remove: "remove",
        none: "none",
        all: "all",
    },
    // A new `vrf member` erases the layer-3 settings, `switchport` the
    // layer-3 settings, `no switchport` the layer-2 ones.
    mode_erasures: &[
        ModeErasure {
            key: "vrf member",
            when: ModeChange::Any,
            erases: L3_LINES,
        },
        ModeErasure {
            key: "switchport",
            when: ModeChange::To("switchport"),
            erases: L3_LINES,
        },
        ModeErasure {
            key: "switchport",
            when: ModeChange::ToOtherThan("switchport"),
            erases: &["switchport "],
        },
    ],
    layer: "switchport",
    admin: "shutdown",
    vlan: "vlan ",
    svi: "interface Vlan",
    vlan_lines: &["switchport access vlan ", "switchport trunk native vlan "],
    not_references: &["description ", "name "],
    exit: "exit",
    max_command_chars: MAX_COMMAND_CHARS,
    management: MANAGEMENT,
};

/// Interfaces that exist in hardware: they can be reset, never deleted.
/// A hook, not data: a subinterface (`Ethernet1/1.10`) shares the prefix
/// of its port.
pub fn is_physical_interface(name: &str) -> bool {
    (name.starts_with("Ethernet") && !name.contains('.')) || name.starts_with("mgmt")
}

/// The negation of a per-tree spanning-tree line, which no prefix rule
/// can express: `no spanning-tree vlan 30 priority`, the no form takes no
/// value (Cisco Nexus 7000 NX-OS Layer 2 Switching Command Reference,
/// `spanning-tree vlan`; the same for `spanning-tree mst`), over the line's
/// whole tree list.
pub fn negate_per_tree(text: &str) -> Option<String> {
    let mut line = dialect::PerTreeLine::parse(text)?;
    line.negated = true;
    line.value.clear();
    let list = dialect::tree_ranges(&line.trees, usize::MAX).remove(0);
    Some(line.line_for(&list))
}

/// Consecutive global commands that set one spanning-tree setting to one
/// value on single trees (`spanning-tree vlan 10 priority 4096`, `… 11 …`)
/// become one command over their list (`spanning-tree vlan 10-11 priority
/// 4096`), as typed by hand, at most [`MAX_COMMAND_CHARS`] long: configs
/// are read one line per tree (`dialect::PER_TREE`). A hook: it parses
/// tree lists.
pub fn group_per_tree(commands: Vec<Command>) -> Vec<Command> {
    fn flush(run: &mut Option<dialect::PerTreeLine>, out: &mut Vec<Command>) {
        let Some(mut line) = run.take() else {
            return;
        };
        line.trees.sort_unstable();
        line.trees.dedup();
        let room = MAX_COMMAND_CHARS - line.line_for("").len();
        out.extend(
            dialect::tree_ranges(&line.trees, room)
                .iter()
                .map(|list| Command {
                    depth: 0,
                    text: line.line_for(list),
                }),
        );
    }
    let mut out: Vec<Command> = Vec::with_capacity(commands.len());
    let mut run: Option<dialect::PerTreeLine> = None;
    for command in commands {
        let Some(line) = (command.depth == 0)
            .then(|| dialect::PerTreeLine::parse(&command.text))
            .flatten()
        else {
            flush(&mut run, &mut out);
            out.push(command);
            continue;
        };
        match &mut run {
            Some(current) if current.same_setting(&line) => current.trees.extend(line.trees),
            _ => {
                flush(&mut run, &mut out);
                run = Some(line);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

// ----- the management plane ------------------------------------------------

/// NX-OS's management VRF: `interface mgmt0` is in it, and it exists on
/// every switch (Cisco Nexus 9000 Unicast Routing guide, "About VRFs":
/// the management VRF is for management only, and only mgmt0 can be in
/// it).
pub const MANAGEMENT_VRF: &str = "management";

/// The management plane of an NX-OS switch: the top-level commands that
/// decide who reaches the switch and how, and what it boots. A plan leaves
/// them alone unless management changes are allowed. Each entry matches
/// the command (`no` and all) or a section it opens, by whole words; the
/// second field says what it is, for notes.
const MANAGEMENT_PLANE: &[(&str, &str)] = &[
    ("username", "login users and their SSH keys"),
    ("password strength-check", "login users and their SSH keys"),
    ("role", "user roles"),
    ("feature ssh", "the SSH server"),
    ("ssh", "the SSH server"),
    ("feature tacacs+", "AAA"),
    ("feature ldap", "AAA"),
    ("aaa", "AAA"),
    ("tacacs-server", "AAA"),
    ("radius-server", "AAA"),
    ("ldap-server", "AAA"),
    ("ip tacacs", "AAA"),
    ("ip radius", "AAA"),
    (
        "vrf context management",
        "the management VRF and its routes",
    ),
    ("interface mgmt0", "the management interface"),
    ("line", "console and vty lines"),
    ("copp", "control-plane policing"),
    ("control-plane", "control-plane policing"),
    ("class-map type control-plane", "control-plane policing"),
    ("policy-map type control-plane", "control-plane policing"),
    ("boot", "boot images"),
];

/// Sections that management-plane lines refer to by name (the ACL of a
/// vty's `access-class`, of mgmt0's `ip access-group`, the class-maps and
/// ACLs of CoPP, the object-groups of those ACLs): they belong to the
/// management plane too.
const MANAGEMENT_REFERENCED: &[&str] = &[
    "ip access-list ",
    "ipv6 access-list ",
    "mac access-list ",
    "object-group ",
    "class-map ",
    "policy-map ",
];

/// NX-OS's management plane (docs/plan-internals.md, "Remediation rules
/// as data").
const MANAGEMENT: ManagementRules = ManagementRules {
    sections: MANAGEMENT_PLANE,
    referenced: MANAGEMENT_REFERENCED,
    remove_user: "no username ",
    ssh: &["feature ssh"],
    ssh_sections: &[],
    vrf_name: VrfName::Fixed,
    vrf: "vrf context management",
    routes: &["ip route ", "ipv6 route "],
    top_routes: &[],
    interface: "interface mgmt0",
    address_cut: &["no ip address", "no vrf member"],
    address: "ip address ",
};

#[cfg(test)]
mod tests {
    use crate::config::ConfigTree;
    use crate::plan::{Command, Session};
    use crate::platform::nxos::{parse as parse_nxos, Nxos};

    fn cuts_own_session(
        commands: &[Command],
        intended: &ConfigTree<'_>,
        session: &Session<'_>,
    ) -> Option<String> {
        crate::plan::management::cuts_own_session(&Nxos, commands, intended, session, &[])
    }

    fn commands(lines: &[(usize, &str)]) -> Vec<Command> {
        lines
            .iter()
            .map(|(depth, text)| Command {
                depth: *depth,
                text: text.to_string(),
            })
            .collect()
    }

    #[test]
    fn cutting_the_session_is_named() {
        let intended = parse_nxos("hostname a\n").unwrap();
        let session = Session {
            user: Some("netops"),
            address: Some("192.0.2.11".parse().unwrap()),
        };
        let cut = |lines: &[(usize, &str)]| cuts_own_session(&commands(lines), &intended, &session);
        assert!(cut(&[(0, "no vrf context management")])
            .unwrap()
            .contains("removes the management VRF"));
        assert!(cut(&[(0, "default interface mgmt0")])
            .unwrap()
            .contains("erases the management interface"));
        assert!(cut(&[(0, "interface mgmt0"), (1, "shutdown")])
            .unwrap()
            .contains("on mgmt0"));
        assert!(
            cut(&[(0, "interface mgmt0"), (1, "ip address 192.0.2.12/24")])
                .unwrap()
                .contains("moves mgmt0 off 192.0.2.11")
        );
        assert!(cut(&[(0, "interface mgmt0"), (1, "ip address 192.0.2.11/25")]).is_none());
        assert!(cut(&[(0, "no username netopsx password 5 x")]).is_none());
        assert!(cut(&[(0, "interface Ethernet1/1"), (1, "shutdown")]).is_none());
    }

    #[test]
    fn a_management_route_still_covered_may_go() {
        let intended =
            parse_nxos("vrf context management\n  ip route 0.0.0.0/0 192.0.2.254\n").unwrap();
        let removal = commands(&[
            (0, "vrf context management"),
            (1, "no ip route 10.0.0.0/8 192.0.2.1"),
        ]);
        assert!(cuts_own_session(&removal, &intended, &Session::default()).is_none());
    }
}

//! One test per EOS remediation rule (`src/platform/eos/remediation.rs`):
//! the exact commands, in apply order, that `liaison diff --platform eos`
//! produces for small EOS configs, as EOS prints them (3-space indent).

mod common;

use common::position;
use liaison::plan::{plan_device, DevicePlan, Management, Request, Scope, Session, Sides};
use liaison::platform::eos::defaults::DEFAULTS;
use liaison::platform::eos::parse as parse_eos;
use liaison::platform::Platform;

fn plan_with(running: &str, intended: &str, management: Management<'_>) -> DevicePlan {
    plan_device(Request {
        device: "leaf1",
        platform: Platform::Eos,
        running: parse_eos(running).unwrap(),
        intended: parse_eos(intended).unwrap(),
        labels: ("running", "intended"),
        scope: Scope::Whole,
        tolerated: &[],
        defaults: Sides::same(DEFAULTS),
        management,
    })
}

fn plan(running: &str, intended: &str) -> DevicePlan {
    plan_with(running, intended, Management::default())
}

fn diff(running: &str, intended: &str) -> Vec<String> {
    let plan = plan(running, intended);
    assert!(plan.refused.is_none(), "{:?}", plan.refused);
    plan.lines().collect()
}

const TRUNK: &str =
    "interface Ethernet1\n   switchport trunk allowed vlan 10,20,30\n   switchport mode trunk\n!\n";

#[test]
fn a_config_against_itself_plans_nothing() {
    let config = "hostname leaf1\n!\nvlan 10-11\n   name web\n!\ninterface Port-Channel10\n   switchport trunk allowed vlan 10-11\n   switchport mode trunk\n   mlag 10\n!\ninterface Ethernet1\n   channel-group 10 mode active\n!\nend\n";
    assert!(diff(config, config).is_empty());
}

#[test]
fn trunk_lists_are_sets_edited_with_add_and_remove() {
    let intended = TRUNK.replace("10,20,30", "10,30,40");
    let commands = diff(
        &format!("vlan 10,20,30,40\n!\n{TRUNK}"),
        &format!("vlan 10,20,30,40\n!\n{intended}"),
    );
    assert_eq!(
        commands,
        [
            "interface Ethernet1",
            "   switchport trunk allowed vlan remove 20",
            "   switchport trunk allowed vlan add 40",
        ]
    );
    // No list means every VLAN; an empty list is `none`.
    let all = diff(TRUNK, "interface Ethernet1\n   switchport mode trunk\n");
    assert_eq!(
        all,
        [
            "interface Ethernet1",
            "   switchport trunk allowed vlan all"
        ]
    );
    let none = diff(TRUNK, &TRUNK.replace("10,20,30", "none"));
    assert_eq!(
        none,
        [
            "interface Ethernet1",
            "   switchport trunk allowed vlan none"
        ]
    );
}

const ACL: &str = "ip access-list WEB\n   counters per-entry\n   10 permit tcp any any eq 443\n   20 permit tcp any any eq 80\n   30 deny ip any any\n!\n";

#[test]
fn acl_entries_are_edited_by_sequence_number_in_place() {
    let intended = ACL
        .replace(
            "20 permit tcp any any eq 80",
            "20 permit tcp any any eq 8080",
        )
        .replace("   30 deny ip any any\n", "   25 permit icmp any any\n");
    let commands = diff(ACL, &intended);
    assert_eq!(
        commands,
        [
            "ip access-list WEB",
            "   no 30",
            "   no 20",
            "   20 permit tcp any any eq 8080",
            "   25 permit icmp any any",
        ]
    );
    // The ACL is never deleted and typed again to change one entry.
    assert!(!commands.iter().any(|c| c.starts_with("no ip access-list")));
}

#[test]
fn an_acl_nothing_uses_is_deleted_after_its_binding_goes() {
    let running = format!("{ACL}interface Vlan10\n   ip access-group WEB in\n!\n");
    let commands = diff(&running, "interface Vlan10\n");
    let unbind = position(&commands, "no ip access-group WEB in");
    let delete = position(&commands, "no ip access-list WEB");
    assert!(unbind < delete, "{commands:#?}");
}

#[test]
fn lines_are_negated_with_no_and_single_values_replaced() {
    let running = "interface Port-Channel10\n   description old\n   mtu 9214\n   switchport mode trunk\n   mlag 10\n!\n";
    let commands = diff(
        running,
        "interface Port-Channel10\n   mtu 1500\n   switchport mode trunk\n!\n",
    );
    assert_eq!(
        commands,
        [
            "interface Port-Channel10",
            "   no description",
            "   no mlag",
            "   mtu 1500",
        ]
    );
    // A new value replaces the old one: never `no mtu` first.
    assert!(!commands.iter().any(|c| c.trim() == "no mtu 9214"));
}

/// Single values EOS takes back by keyword alone, as the manual writes
/// each negation (`no switchport mode`, never `no switchport mode access`):
/// a Layer 2 port made routed, a trunk's native VLAN and MTU dropped, an
/// SVI out of its VRF, a VLAN's name, the MLAG domain's settings, the
/// spanning-tree guards.
#[test]
fn single_values_are_negated_by_their_keyword() {
    let running = "vlan 10\n   name web\n!\ninterface Port-Channel10\n   mtu 9214\n   switchport trunk native vlan 10\n   switchport mode trunk\n   spanning-tree guard root\n   spanning-tree bpduguard enable\n!\ninterface Ethernet1\n   switchport access vlan 10\n!\ninterface Vlan10\n   vrf RED\n!\nmlag configuration\n   domain-id 7\n   local-interface Vlan4094\n   peer-address 169.254.0.1\n   peer-link Port-Channel53\n!\n";
    let intended = "vlan 10\n!\ninterface Port-Channel10\n   switchport mode trunk\n!\ninterface Ethernet1\n   no switchport\n!\ninterface Vlan10\n!\nmlag configuration\n!\n";
    let commands = diff(running, intended);
    let mut negations: Vec<&str> = commands
        .iter()
        .map(|c| c.trim())
        .filter(|c| c.starts_with("no "))
        .collect();
    negations.sort();
    // Nothing repeats the value it takes back.
    assert_eq!(
        negations,
        [
            "no domain-id",
            "no local-interface",
            "no mtu",
            "no name",
            "no peer-address",
            "no peer-link",
            "no spanning-tree bpduguard",
            "no spanning-tree guard",
            "no switchport",
            "no switchport access vlan",
            "no switchport mode",
            "no switchport trunk native vlan",
            "no vrf",
        ],
        "{commands:#?}"
    );
}

#[test]
fn a_port_moves_to_another_bundle_through_none() {
    let running = "interface Port-Channel10\n!\ninterface Port-Channel20\n!\ninterface Ethernet1\n   channel-group 10 mode active\n!\n";
    let commands = diff(
        running,
        &running.replace("channel-group 10", "channel-group 20"),
    );
    let none = position(&commands, "no channel-group");
    let new = position(&commands, "channel-group 20 mode active");
    assert!(none < new, "{commands:#?}");
}

#[test]
fn what_others_use_is_created_first_and_deleted_last() {
    let running = "vlan 10\n!\nvrf instance OLD\n!\ninterface Vlan10\n   vrf OLD\n   ip address 10.0.10.2/24\n!\ninterface Ethernet1\n   switchport access vlan 10\n!\n";
    let intended = "vlan 20\n!\nvrf instance RED\n!\ninterface Vlan20\n   vrf RED\n   ip address 10.0.20.2/24\n   ip virtual-router address 10.0.20.1\n!\ninterface Ethernet1\n   switchport access vlan 20\n!\n";
    let commands = diff(running, intended);
    let vrf = position(&commands, "vrf instance RED");
    let vlan = position(&commands, "vlan 20");
    let svi = position(&commands, "interface Vlan20");
    let port = position(&commands, "switchport access vlan 20");
    let old_svi = position(&commands, "no interface Vlan10");
    let old_vlan = position(&commands, "no vlan 10");
    let old_vrf = position(&commands, "no vrf instance OLD");
    assert!(vrf < svi && vlan < port && svi < old_svi, "{commands:#?}");
    assert!(port < old_vlan && old_svi < old_vrf, "{commands:#?}");
}

#[test]
fn moving_an_interface_to_another_vrf_sends_its_addresses_again() {
    let running = "vrf instance RED\n!\nvrf instance BLUE\n!\ninterface Vlan10\n   vrf RED\n   ip address 10.0.10.2/24\n   ip virtual-router address 10.0.10.1\n!\n";
    let commands = diff(running, &running.replace("   vrf RED", "   vrf BLUE"));
    let vrf = position(&commands, "vrf BLUE");
    let address = position(&commands, "ip address 10.0.10.2/24");
    let virtual_address = position(&commands, "ip virtual-router address 10.0.10.1");
    assert!(vrf < address && vrf < virtual_address, "{commands:#?}");
}

#[test]
fn ports_are_reset_and_logical_interfaces_deleted() {
    let running = "interface Port-Channel5\n   switchport mode trunk\n!\ninterface Ethernet5\n   description old host\n   channel-group 5 mode active\n!\ninterface Ethernet6\n!\n";
    let commands = diff(running, "interface Ethernet6\n");
    assert!(
        commands.contains(&"default interface Ethernet5".to_string()),
        "{commands:#?}"
    );
    assert!(
        commands.contains(&"no interface Port-Channel5".to_string()),
        "{commands:#?}"
    );
    assert!(!commands
        .iter()
        .any(|c| c.contains("no interface Ethernet5")));
    // A port already in its factory state is left alone.
    assert!(diff("interface Ethernet7\n!\n", "").is_empty());
}

#[test]
fn the_spanning_tree_mode_changes_after_the_new_modes_priorities() {
    let commands = diff(
        "spanning-tree mode rapid-pvst\n",
        "spanning-tree mode mstp\nspanning-tree mst 0 priority 4096\n",
    );
    let priority = position(&commands, "spanning-tree mst 0 priority 4096");
    let mode = position(&commands, "spanning-tree mode mstp");
    assert!(priority < mode, "{commands:#?}");
}

#[test]
fn acl_changes_on_bound_interfaces_are_noted_unless_updates_permit() {
    let running = format!("{ACL}interface Ethernet1\n   ip access-group WEB in\n!\n");
    let intended = running.replace("eq 80", "eq 8080");
    let noted = plan(&running, &intended);
    assert!(
        noted
            .notes
            .iter()
            .any(|n| n.contains("`WEB` changes in place") && n.contains("EOS blocks")),
        "{:?}",
        noted.notes
    );
    // With the permit-during-update setting, or when nothing uses the ACL,
    // there is nothing to say.
    let permit = "hardware access-list update default-result permit\n";
    let quiet = plan(
        &format!("{permit}{running}"),
        &format!("{permit}{intended}"),
    );
    assert!(!quiet.notes.iter().any(|n| n.contains("EOS blocks")));
    let unbound = plan(ACL, &ACL.replace("eq 80", "eq 8080"));
    assert!(!unbound.notes.iter().any(|n| n.contains("EOS blocks")));
    // liaison never takes that setting away by omission.
    assert!(diff(permit, "").is_empty());
}

#[test]
fn the_management_plane_is_left_alone_and_never_cut() {
    let running = "username liaison privilege 15 secret sha512 $6$x\n!\nmanagement ssh\n   idle-timeout 10\n!\nvrf instance MGMT\n!\ninterface Management1\n   vrf MGMT\n   ip address 192.0.2.10/24\n!\n";
    let left = plan(running, "");
    assert!(left.commands.is_empty(), "{:?}", left.commands);
    assert!(left.notes.iter().any(|n| n.contains("management plane")));
    // Every management port is the management plane, as mgmt0 is on
    // NX-OS: an intended config that says otherwise of one changes nothing.
    for port in ["Management1", "Management0", "Management1/1"] {
        let running = format!(
            "interface {port}\n   description oob\n   vrf MGMT\n   ip address 192.0.2.10/24\n!\n"
        );
        let intended = format!("interface {port}\n   vrf MGMT\n   ip address 192.0.2.10/24\n!\n");
        let left = plan(&running, &intended);
        assert!(left.commands.is_empty(), "{port}: {:?}", left.commands);
        assert!(
            left.notes
                .iter()
                .any(|n| n.contains(&format!("`interface {port}` (the management interface)"))),
            "{port}: {:?}",
            left.notes
        );
    }
    let session = Session {
        user: Some("liaison"),
        address: Some("192.0.2.10".parse().unwrap()),
    };
    let allowed = |intended: &str| {
        plan_with(
            running,
            intended,
            Management {
                allow_changes: true,
                session,
            },
        )
        .refused
    };
    let without_user = running.replace("username liaison privilege 15 secret sha512 $6$x\n", "");
    assert!(allowed(&without_user)
        .unwrap()
        .contains("removes the user `liaison`"));
    let moved = running.replace("192.0.2.10/24", "192.0.2.11/24");
    assert!(allowed(&moved).unwrap().contains("off 192.0.2.10"));
    let shut = running.replace("   idle-timeout 10\n", "   idle-timeout 10\n   shutdown\n");
    assert!(allowed(&shut).unwrap().contains("turns off SSH"));
    assert!(allowed(running).is_none());
    // The management VRF's routes are top-level lines on EOS: removing the
    // one the session may arrive over is refused; a new next hop is not.
    let route = "ip route vrf MGMT 0.0.0.0/0 192.0.2.1\n";
    let routed = format!("{running}{route}");
    let no_route = plan_with(
        &routed,
        running,
        Management {
            allow_changes: true,
            session,
        },
    );
    let why = no_route.refused.unwrap();
    assert!(
        why.contains(
            "`no ip route vrf MGMT 0.0.0.0/0 192.0.2.1` removes a route of the management VRF"
        ),
        "{why}"
    );
    let new_hop = plan_with(
        &routed,
        &routed.replace("192.0.2.1\n", "192.0.2.254\n"),
        Management {
            allow_changes: true,
            session,
        },
    );
    assert!(new_hop.refused.is_none(), "{:?}", new_hop.refused);
    assert!(!new_hop.commands.is_empty());
}

/// The management VRF is the one the management port is in, whatever its
/// name (`OOB` here, not AVD's `MGMT`): its instance and its routes are the
/// management plane, left alone by a whole-config plan (before, the plan
/// removed `ip route vrf OOB 0.0.0.0/0 …`, the route an SSH session from
/// another subnet arrives over), and with management changes allowed,
/// removing that route is refused.
#[test]
fn the_management_vrf_is_the_management_ports_whatever_its_name() {
    let running = "vrf instance OOB\n!\ninterface Management1\n   vrf OOB\n   ip address 192.0.2.10/24\n!\nip route vrf OOB 0.0.0.0/0 192.0.2.1\n";
    let left = plan(running, "");
    assert!(left.commands.is_empty(), "{:?}", left.commands);
    assert!(
        left.notes.iter().any(|n| n.contains(
            "`ip route vrf OOB 0.0.0.0/0 192.0.2.1` (the management VRF and its routes)"
        )),
        "{:?}",
        left.notes
    );
    let session = Session {
        user: Some("liaison"),
        address: Some("192.0.2.10".parse().unwrap()),
    };
    let allowed = Management {
        allow_changes: true,
        session,
    };
    let without_route = running.replace("ip route vrf OOB 0.0.0.0/0 192.0.2.1\n", "");
    let why = plan_with(running, &without_route, allowed).refused.unwrap();
    assert!(
        why.contains(
            "`no ip route vrf OOB 0.0.0.0/0 192.0.2.1` removes a route of the management VRF"
        ),
        "{why}"
    );
    // Another VRF's routes are no management plane.
    let other = format!("{running}vrf instance prod\n!\nip route vrf prod 0.0.0.0/0 10.0.0.1\n");
    let pruned = plan(&other, running);
    assert_eq!(
        pruned.lines().collect::<Vec<_>>(),
        [
            "no ip route vrf prod 0.0.0.0/0 10.0.0.1",
            "no vrf instance prod"
        ]
    );
}

/// A management port in the default VRF, where the switch routes
/// segments, is reachable from their VMs: the plan says so (liaison
/// leaves the management plane alone), and says nothing once either is in
/// a VRF of its own.
#[test]
fn a_management_port_in_the_routed_default_vrf_is_noted() {
    let management = "interface Management1\n   ip address 192.0.2.10/24\n!\n";
    let segment = "interface Vlan110\n   ip address 10.1.10.2/24\n   ip virtual-router address 10.1.10.1\n!\n";
    let says = |plan: &DevicePlan| {
        plan.notes.iter().any(|n| {
            n.starts_with("Management1 is in the default VRF, where this switch routes segments (Vlan110): their VMs can reach its management address")
        })
    };
    let noted = plan(&format!("{management}{segment}"), segment);
    assert!(says(&noted), "{:?}", noted.notes);
    assert!(noted.commands.is_empty(), "{:?}", noted.commands);
    let in_vrf = management.replace("   ip address", "   vrf MGMT\n   ip address");
    assert!(!says(&plan(&format!("{in_vrf}{segment}"), segment)));
    let routed_in_vrf = segment.replace("   ip address 10", "   vrf prod\n   ip address 10");
    assert!(!says(&plan(
        &format!("{management}{routed_in_vrf}"),
        &routed_in_vrf
    )));
}

/// A segment in the VRF the management port is in would put VMs next to
/// every switch's management address: the plan is refused, and sends
/// nothing.
#[test]
fn a_segment_in_the_management_ports_vrf_is_refused() {
    let running =
        "vrf instance oob\n!\ninterface Management1\n   vrf oob\n   ip address 192.0.2.10/24\n!\n";
    let segment = |vrf: &str| {
        format!("vrf instance {vrf}\n!\ninterface Vlan110\n   vrf {vrf}\n   ip address 10.1.10.2/24\n!\n")
    };
    let refused = plan(running, &format!("{running}{}", segment("oob")));
    let why = refused.refused.expect("refused");
    assert!(
        why.starts_with("`interface Vlan110` is in VRF `oob`, the management VRF of this switch"),
        "{why}"
    );
    let fine = plan(running, &format!("{running}{}", segment("prod")));
    assert!(fine.refused.is_none(), "{:?}", fine.refused);
    assert!(!fine.commands.is_empty());
}

//! One test per remediation rule: the exact commands, in apply order, that
//! `liaison diff` (intended config = whole truth) and `liaison plan`
//! (inventory scope) produce for small NX-OS configs.

mod common;

use common::position;
use liaison::plan::{
    diff_texts, diff_texts_managing, plan_device, DevicePlan, Managed, Management, Request, Scope,
    Sides,
};
use liaison::platform::nxos::defaults::FALLBACK;
use liaison::platform::nxos::parse as parse_nxos;
use liaison::vlan::VlanSet;

fn diff(running: &str, intended: &str) -> Vec<String> {
    diff_texts(running, intended).expect("both configs parse")
}

fn plan_in_scope(running: &str, intended: &str, managed: &Managed) -> DevicePlan {
    plan_device(Request {
        device: "sw1",
        platform: liaison::platform::Platform::Nxos,
        running: parse_nxos(running).unwrap(),
        intended: parse_nxos(intended).unwrap(),
        labels: ("running", "intended"),
        scope: Scope::Inventory(managed),
        tolerated: &[],
        defaults: Sides::same(FALLBACK.defaults),
        management: Management::default(),
    })
}

fn lines(plan: &DevicePlan) -> Vec<String> {
    plan.lines().collect()
}

// ----- trunk allowed lists are sets --------------------------------------

#[test]
fn a_trunk_list_changes_by_remove_then_add_never_the_whole_list() {
    let running = "interface Ethernet1/1\n  switchport mode trunk\n  switchport trunk allowed vlan 10-20\n  switchport trunk allowed vlan add 30,40\n";
    let intended =
        "interface Ethernet1/1\n  switchport mode trunk\n  switchport trunk allowed vlan 10-15,40,50\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 16-20,30",
            "  switchport trunk allowed vlan add 50",
        ]
    );
}

#[test]
fn a_vlan_on_a_continuation_line_is_removed_too() {
    let running = "interface Ethernet1/1\n  switchport trunk allowed vlan 100,102,104,106,108,110,112,114,116,118,120,122,124,126\n  switchport trunk allowed vlan add 128,130,132,134,136,138,140,142,144,146,148,150\n  switchport trunk allowed vlan add 977,979\n";
    let intended = "interface Ethernet1/1\n  switchport trunk allowed vlan 100,102,104,106,108,110,112,114,116,118,120,122,124,126,128,130,132,134,136,138,140,142,144,146,148,150,979\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 977"
        ]
    );
}

#[test]
fn long_trunk_changes_are_split_into_lines_of_at_most_220_characters() {
    let odd: VlanSet = (1..=2000).filter(|v| v % 2 == 1).collect();
    let running = format!("interface Ethernet1/1\n  switchport trunk allowed vlan {odd}\n");
    let intended = "interface Ethernet1/1\n  switchport trunk allowed vlan 1\n";
    let commands = diff(&running, intended);
    assert!(commands.len() > 10, "{commands:#?}");
    assert!(
        commands.iter().all(|c| c.trim().len() <= 220),
        "{commands:#?}"
    );
    let mut removed = VlanSet::new();
    for command in &commands[1..] {
        let list = command
            .trim()
            .strip_prefix("switchport trunk allowed vlan remove ")
            .unwrap_or_else(|| panic!("not a remove: {command}"));
        removed = removed.union(&VlanSet::parse(list).unwrap());
    }
    assert_eq!(removed, odd.difference(&VlanSet::parse("1").unwrap()));
}

#[test]
fn a_new_interface_gets_a_long_list_over_add_lines() {
    let even: VlanSet = (2..=1000).filter(|v| v % 2 == 0).collect();
    let intended = format!("interface Ethernet1/1\n  switchport trunk allowed vlan {even}\n");
    let commands = diff("interface Ethernet1/2\n", &intended);
    assert_eq!(commands[0], "interface Ethernet1/1");
    assert!(commands[1].starts_with("  switchport trunk allowed vlan 2,4,"));
    assert!(commands[2..]
        .iter()
        .all(|c| c.starts_with("  switchport trunk allowed vlan add ")));
    assert!(commands.iter().all(|c| c.trim().len() <= 220));
}

#[test]
fn an_empty_list_is_none() {
    let running = "interface Ethernet1/1\n  switchport trunk allowed vlan 10,20\n";
    let intended = "interface Ethernet1/1\n  switchport trunk allowed vlan none\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan none"
        ]
    );
}

#[test]
fn a_list_on_a_trunk_that_allowed_everything_removes_the_rest() {
    let running = "interface Ethernet1/1\n  switchport mode trunk\n";
    let intended =
        "interface Ethernet1/1\n  switchport mode trunk\n  switchport trunk allowed vlan 10,20\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 1-9,11-19,21-4094"
        ]
    );
    // And back: no list is every VLAN.
    assert_eq!(
        diff(intended, running),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan all"
        ]
    );
}

// ----- VLANs -------------------------------------------------------------

#[test]
fn the_vlan_summary_line_never_becomes_a_command_and_vlans_go_after_their_ports() {
    let running = "vlan 1,10,20\nvlan 10\n  name ten\nvlan 20\n  name twenty\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10,20\n";
    let intended =
        "vlan 10\n  name ten\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 20",
            "no vlan 20",
        ]
    );
}

#[test]
fn a_new_vlan_exists_before_a_port_allows_it() {
    let running = "interface Ethernet1/1\n  switchport trunk allowed vlan 10\n";
    let intended =
        "vlan 30\n  name thirty\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10,30\n";
    assert_eq!(
        diff(running, intended),
        [
            "vlan 30",
            "  name thirty",
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan add 30",
        ]
    );
}

#[test]
fn a_vlan_still_used_by_a_port_the_plan_leaves_alone_is_kept() {
    let running = "vlan 10\nvlan 20\n  name old\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10,20\ninterface Ethernet1/30\n  switchport access vlan 20\n";
    let intended = "vlan 10\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10\n";
    let managed = Managed {
        vlans: VlanSet::parse("10,20").unwrap(),
        ..Managed::default()
    };
    let plan = plan_in_scope(running, intended, &managed);
    assert_eq!(
        lines(&plan),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 20"
        ]
    );
    assert_eq!(
        plan.notes,
        ["kept `vlan 20`: still used by `interface Ethernet1/30 / switchport access vlan 20`"]
    );
}

// ----- interfaces --------------------------------------------------------

#[test]
fn physical_ports_are_defaulted_and_logical_interfaces_deleted_after_them() {
    let running = "feature interface-vlan\nvlan 20\ninterface Vlan20\n  ip address 10.0.0.1/24\ninterface port-channel10\n  switchport\ninterface loopback1\n  ip address 1.1.1.1/32\ninterface Ethernet1/1\n  switchport\n  channel-group 10 mode active\ninterface Ethernet1/2\n";
    let intended = "feature interface-vlan\nvlan 20\n";
    assert_eq!(
        diff(running, intended),
        [
            "default interface Ethernet1/1",
            "no interface Vlan20",
            "no interface port-channel10",
            "no interface loopback1",
        ]
    );
}

#[test]
fn a_physical_port_that_should_be_empty_is_reset() {
    let running = "interface Ethernet1/3\n  description old host\n  switchport\n  no shutdown\n";
    let intended = "interface Ethernet1/3\n";
    assert_eq!(diff(running, intended), ["default interface Ethernet1/3"]);
}

#[test]
fn settings_that_start_alike_are_not_one_setting() {
    let running = "vpc domain 10\n  delay restore 150\n  delay restore interface-vlan 45\n";
    let intended = "vpc domain 10\n  delay restore 240\n  delay restore interface-vlan 45\n";
    let commands = diff(running, intended);
    assert!(
        commands.contains(&"  delay restore 240".to_string()),
        "{commands:#?}"
    );
    assert!(
        !commands.iter().any(|c| c.contains("interface-vlan")),
        "{commands:#?}"
    );
}

#[test]
fn a_kept_physical_port_loses_only_the_lines_it_should_not_have() {
    let running =
        "interface Ethernet1/1\n  description a\n  speed 10000\n  mtu 9216\n  no shutdown\n";
    let intended = "interface Ethernet1/1\n  description a\n  mtu 9216\n  no shutdown\n";
    assert_eq!(
        diff(running, intended),
        ["interface Ethernet1/1", "  no speed 10000"]
    );
}

#[test]
fn a_port_moves_between_port_channels_through_none() {
    let running = "interface Ethernet1/1\n  channel-group 10 mode active\n";
    let intended = "interface Ethernet1/1\n  channel-group 20 mode active\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  no channel-group",
            "  channel-group 20 mode active"
        ]
    );
}

#[test]
fn a_new_vpc_domain_number_replaces_the_old_domain_first() {
    let running = "feature vpc\nvpc domain 20\n  role priority 10\n";
    let intended = "feature vpc\nvpc domain 746\n  role priority 10\n";
    assert_eq!(
        diff(running, intended),
        ["no vpc domain 20", "vpc domain 746", "  role priority 10"]
    );
}

#[test]
fn a_vrf_change_re_sends_the_addresses_it_erases() {
    let running = "vrf context a\nvrf context b\ninterface Vlan10\n  vrf member a\n  ip address 10.0.0.2/24\n";
    let intended = "vrf context a\nvrf context b\ninterface Vlan10\n  vrf member b\n  ip address 10.0.0.2/24\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Vlan10",
            "  vrf member b",
            "  ip address 10.0.0.2/24"
        ]
    );
}

// ----- dependency order, ACLs and object-groups ---------------------------

#[test]
fn features_come_first_and_acls_exist_before_their_binding() {
    let running = "ip access-list OLD\n  10 permit ip any any\ninterface Ethernet1/1\n  ip access-group OLD in\n";
    let intended = "feature interface-vlan\nobject-group ip address SERVERS\n  10 host 10.0.0.9\nip access-list NEW\n  10 permit ip addrgroup SERVERS any\ninterface Ethernet1/1\n  ip access-group NEW in\n";
    assert_eq!(
        diff(running, intended),
        [
            "feature interface-vlan",
            "object-group ip address SERVERS",
            "  10 host 10.0.0.9",
            "ip access-list NEW",
            "  10 permit ip addrgroup SERVERS any",
            "interface Ethernet1/1",
            // Rebinding replaces the ACL in one step: never unprotected.
            "  ip access-group NEW in",
            "no ip access-list OLD",
        ]
    );
}

#[test]
fn a_port_acl_is_rebound_in_one_step() {
    let running = "ip access-list A\n  10 permit ip any any\nip access-list B\n  10 deny ip any any\ninterface Ethernet1/1\n  switchport\n  ip port access-group A in\n";
    let intended = "ip access-list A\n  10 permit ip any any\nip access-list B\n  10 deny ip any any\ninterface Ethernet1/1\n  switchport\n  ip port access-group B in\n";
    assert_eq!(
        diff(running, intended),
        ["interface Ethernet1/1", "  ip port access-group B in"]
    );
}

#[test]
fn a_bound_acl_is_edited_in_place_by_sequence_number() {
    let running = "ip access-list WEB\n  10 permit tcp any any eq 443\n  20 permit tcp any any eq 80\n  30 deny ip any any\ninterface Ethernet1/1\n  ip access-group WEB in\n";
    let intended = "ip access-list WEB\n  10 permit tcp any any eq 443\n  20 permit tcp any any eq 8443\n  25 permit udp any any eq 53\n  30 deny ip any any\ninterface Ethernet1/1\n  ip access-group WEB in\n";
    assert_eq!(
        diff(running, intended),
        [
            "ip access-list WEB",
            "  no 20",
            "  20 permit tcp any any eq 8443",
            "  25 permit udp any any eq 53",
        ]
    );
}

#[test]
fn an_acl_in_use_is_unbound_before_it_is_deleted() {
    let running = "ip access-list OLD\n  10 permit ip any any\ninterface Ethernet1/1\n  description a\n  ip access-group OLD in\n";
    let intended = "interface Ethernet1/1\n  description a\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Ethernet1/1",
            "  no ip access-group OLD in",
            "no ip access-list OLD",
        ]
    );
}

// ----- features ----------------------------------------------------------

#[test]
fn a_feature_is_removed_last_without_negating_what_it_wipes() {
    let running = "feature interface-vlan\nfeature hsrp\ninterface Vlan10\n  ip address 10.0.0.2/24\n  hsrp 10\n    ip 10.0.0.1\nvlan 10\n";
    let intended = "feature interface-vlan\nvlan 10\ninterface Vlan10\n  ip address 10.0.0.2/24\n";
    assert_eq!(diff(running, intended), ["no feature hsrp"]);

    let running = "feature interface-vlan\nvlan 10\ninterface Vlan10\n  ip address 10.0.0.2/24\ninterface Vlan20\n";
    let intended = "vlan 10\n";
    assert_eq!(diff(running, intended), ["no feature interface-vlan"]);
}

#[test]
fn a_feature_is_enabled_before_what_needs_it() {
    let running = "interface Ethernet1/1\n";
    let intended = "interface Vlan10\n  no shutdown\nfeature interface-vlan\n";
    let commands = diff(running, intended);
    assert!(
        position(&commands, "feature interface-vlan") < position(&commands, "interface Vlan10")
    );
}

// ----- settings with one value --------------------------------------------

#[test]
fn single_value_settings_are_replaced_not_negated() {
    let running = "vlan 10\n  name old\ninterface Vlan10\n  description old\n  mtu 1500\n  ip address 10.0.0.2/24\n";
    let intended = "vlan 10\n  name new\ninterface Vlan10\n  description new\n  mtu 9216\n  ip address 10.0.0.3/24\n";
    assert_eq!(
        diff(running, intended),
        [
            "vlan 10",
            "  name new",
            "interface Vlan10",
            "  description new",
            "  mtu 9216",
            "  ip address 10.0.0.3/24",
        ]
    );
}

#[test]
fn the_admin_state_changes_only_when_the_intent_says_so() {
    let shut = "interface Ethernet1/1\n  description a\n  shutdown\n";
    let up = "interface Ethernet1/1\n  description a\n  no shutdown\n";
    let silent = "interface Ethernet1/1\n  description a\n";
    assert_eq!(diff(shut, up), ["interface Ethernet1/1", "  no shutdown"]);
    assert_eq!(diff(up, shut), ["interface Ethernet1/1", "  shutdown"]);
    assert!(diff(up, silent).is_empty());
    assert!(diff(shut, silent).is_empty());
}

#[test]
fn hsrp_settings_are_edited_inside_their_group() {
    let running = "interface Vlan10\n  hsrp 10\n    preempt\n    ip 10.0.0.1\n  description gw\n";
    let intended = "interface Vlan10\n  hsrp 10\n    preempt\n    priority 110\n    ip 10.0.0.1\n  description gateway\n";
    assert_eq!(
        diff(running, intended),
        [
            "interface Vlan10",
            "  hsrp 10",
            "    priority 110",
            "    exit",
            "  description gateway",
        ]
    );
}

// ----- bridge priorities: one value per tree --------------------------------

#[test]
fn a_new_bridge_priority_is_set_per_vlan_never_negated() {
    assert_eq!(
        diff(
            "spanning-tree vlan 1,10-20 priority 8192\n",
            "spanning-tree vlan 1,10-20 priority 4096\n"
        ),
        ["spanning-tree vlan 1,10-20 priority 4096"]
    );
}

#[test]
fn vlan_ranges_printed_another_way_are_the_same_priorities() {
    // NX-OS prints the VLANs that share a priority in ranges of its own.
    assert!(diff(
        "spanning-tree vlan 1,10 priority 4096\nspanning-tree vlan 11-12 priority 4096\n",
        "spanning-tree vlan 1,10-12 priority 4096\n"
    )
    .is_empty());
    assert!(diff(
        "spanning-tree vlan 10 priority 4096\nspanning-tree vlan 11 priority 4096\nspanning-tree vlan 12 priority 4096\n",
        "spanning-tree vlan 10-12 priority 4096\n"
    )
    .is_empty());
}

#[test]
fn only_the_vlans_whose_priority_changes_are_sent() {
    assert_eq!(
        diff(
            "spanning-tree vlan 1,10-20 priority 8192\n",
            "spanning-tree vlan 1,10-15 priority 4096\nspanning-tree vlan 16-20 priority 8192\n"
        ),
        ["spanning-tree vlan 1,10-15 priority 4096"]
    );
    assert_eq!(
        diff(
            "spanning-tree vlan 1,10-12 priority 4096\n",
            "spanning-tree vlan 1,10-13 priority 4096\n"
        ),
        ["spanning-tree vlan 13 priority 4096"]
    );
}

#[test]
fn a_vlan_that_goes_loses_its_priority_with_the_valueless_no_form() {
    assert_eq!(
        diff(
            "spanning-tree vlan 1,10-12,30 priority 4096\n",
            "spanning-tree vlan 1,10 priority 4096\n"
        ),
        ["no spanning-tree vlan 11-12,30 priority"]
    );
}

#[test]
fn mst_instance_priorities_are_one_value_per_instance() {
    assert_eq!(
        diff(
            "spanning-tree mst 0-1 priority 8192\n",
            "spanning-tree mst 0-1 priority 4096\n"
        ),
        ["spanning-tree mst 0-1 priority 4096"]
    );
    assert!(diff(
        "spanning-tree mst 0 priority 4096\nspanning-tree mst 1 priority 4096\n",
        "spanning-tree mst 0-1 priority 4096\n"
    )
    .is_empty());
    assert_eq!(
        diff(
            "spanning-tree mst 0-2 priority 4096\n",
            "spanning-tree mst 0-1 priority 4096\n"
        ),
        ["no spanning-tree mst 2 priority"]
    );
    // MST timers are global: one line, not per instance.
    assert_eq!(
        diff(
            "spanning-tree mst hello-time 2\n",
            "spanning-tree mst hello-time 1\n"
        ),
        [
            "spanning-tree mst hello-time 1",
            "no spanning-tree mst hello-time 2"
        ]
    );
}

#[test]
fn a_long_priority_list_is_split_over_commands_of_at_most_220_characters() {
    let vlans: Vec<String> = (2..=3000).step_by(2).map(|v| v.to_string()).collect();
    let intended = format!("spanning-tree vlan {} priority 4096\n", vlans.join(","));
    let commands = diff("", &intended);
    assert!(commands.len() > 1, "{commands:?}");
    let mut sent = VlanSet::new();
    for command in &commands {
        assert!(command.len() <= 220, "{command}");
        let list = command
            .strip_prefix("spanning-tree vlan ")
            .and_then(|c| c.strip_suffix(" priority 4096"))
            .unwrap_or_else(|| panic!("{command}"));
        sent = sent.union(&VlanSet::parse(list).unwrap());
    }
    assert_eq!(sent, VlanSet::parse(&vlans.join(",")).unwrap());
}

#[test]
fn a_change_to_rapid_pvst_sets_the_priorities_first_and_removes_the_mst_settings() {
    // What the plan manages: the spanning-tree mode (the intent sets it),
    // so the MST region and instance priorities; the priorities of the
    // inventory's VLANs. VLAN 500 is not the inventory's: left alone.
    let running = "spanning-tree mode mst\nspanning-tree mst 0-1 priority 4096\nspanning-tree mst configuration\n  name dc1\n  revision 1\n  instance 1 vlan 1-4094\nspanning-tree vlan 30,500 priority 8192\n";
    // The mode goes after the new mode's priorities, wherever it is written.
    let intended = "spanning-tree mode rapid-pvst\nspanning-tree vlan 1,10 priority 4096\n";
    let managed = Managed {
        vlans: VlanSet::parse("1,10,30").unwrap(),
        ..Managed::default()
    };
    let plan = plan_in_scope(running, intended, &managed);
    assert_eq!(
        lines(&plan),
        [
            "spanning-tree vlan 1,10 priority 4096",
            "spanning-tree mode rapid-pvst",
            "no spanning-tree mst 0-1 priority",
            "no spanning-tree mst configuration",
            "no spanning-tree vlan 30 priority",
        ]
    );
}

// ----- scope: what the plan manages ---------------------------------------

const DEVICE: &str = "hostname sw1\nfeature lacp\nusername admin password 5 $5$x role network-admin\nntp server 192.0.2.250 use-vrf management\nsnmp-server location hall 2\nvlan 1,10,20,999\nvlan 10\n  name web\nvlan 999\n  name legacy\nip access-list LEGACY\n  10 permit ip any any\nvrf context management\n  ip route 0.0.0.0/0 192.0.2.1\ninterface Ethernet1/1\n  description host a\n  switchport\n  switchport trunk allowed vlan 10,20,999\ninterface Ethernet1/2\n  speed 1000\ninterface mgmt0\n  vrf member management\n  ip address 192.0.2.21/24\n";
const INTENT: &str = "hostname sw1\nfeature lacp\nvlan 10\n  name web\ninterface Ethernet1/1\n  description host a\n  switchport\n  switchport trunk allowed vlan 10\n";

#[test]
fn the_plan_leaves_unmanaged_lines_alone() {
    let managed = Managed {
        vlans: VlanSet::parse("10,20").unwrap(),
        ..Managed::default()
    };
    let plan = plan_in_scope(DEVICE, INTENT, &managed);
    assert_eq!(
        lines(&plan),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 20,999",
            "no vlan 20",
        ]
    );
    assert!(plan.unmanaged_lines > 5);
    assert!(
        !plan.diff.contains("ntp"),
        "unmanaged lines stay out of the diff"
    );
}

#[test]
fn prune_also_removes_unmanaged_vlans_and_acls() {
    let managed = Managed {
        vlans: VlanSet::parse("10,20").unwrap(),
        prune: true,
        ..Managed::default()
    };
    let plan = plan_in_scope(DEVICE, INTENT, &managed);
    assert_eq!(
        lines(&plan),
        [
            "interface Ethernet1/1",
            "  switchport trunk allowed vlan remove 20,999",
            "no ip access-list LEGACY",
            "no vlan 20",
            "no vlan 999",
        ]
    );
}

#[test]
fn diff_takes_the_intended_config_as_the_whole_truth_but_the_management_plane() {
    let commands = diff(DEVICE, INTENT);
    for expected in [
        "no ntp server 192.0.2.250 use-vrf management",
        "default interface Ethernet1/2",
        "no vlan 999",
    ] {
        position(&commands, expected);
    }
    assert!(
        !commands
            .iter()
            .any(|c| c.contains("mgmt0") || c.contains("username") || c.contains("vrf context")),
        "{commands:#?}"
    );
    // Allowed, the management plane is planned like the rest.
    let allowed = Management {
        allow_changes: true,
        ..Management::default()
    };
    let commands =
        diff_texts_managing(DEVICE, INTENT, Sides::same(FALLBACK.defaults), allowed).unwrap();
    position(
        &commands,
        "no username admin password 5 $5$x role network-admin",
    );
    // mgmt0 cannot be deleted, and it stays a member of its VRF: the VRF
    // stays too.
    assert!(
        !commands.iter().any(|c| c.contains("vrf context")),
        "{commands:#?}"
    );
}

#[test]
fn tolerated_drift_is_ignored_on_both_sides() {
    let running = "interface Ethernet1/1\n  description a\n  service-policy type qos input Q1\n";
    let intended = "interface Ethernet1/1\n  description a\n";
    let pattern = regex::Regex::new("^service-policy type qos ").unwrap();
    let managed = Managed::default();
    let plan = plan_device(Request {
        device: "sw1",
        platform: liaison::platform::Platform::Nxos,
        running: parse_nxos(running).unwrap(),
        intended: parse_nxos(intended).unwrap(),
        labels: ("running", "intended"),
        scope: Scope::Inventory(&managed),
        tolerated: &[&pattern],
        defaults: Sides::same(FALLBACK.defaults),
        management: Management::default(),
    });
    assert!(plan.commands.is_empty(), "{:#?}", plan.commands);
    assert_eq!(plan.tolerated_lines, 1);
    let without = plan_in_scope(running, intended, &managed);
    assert_eq!(
        lines(&without),
        [
            "interface Ethernet1/1",
            "  no service-policy type qos input Q1"
        ]
    );
}

// ----- hidden port defaults ---------------------------------------------

const LAYER_2: liaison::config::PortDefaults = liaison::config::PortDefaults {
    switched: true,
    switched_shutdown: false,
};
const LAYER_3: liaison::config::PortDefaults = liaison::config::PortDefaults {
    switched: false,
    switched_shutdown: false,
};

fn diff_on(switch: liaison::config::PortDefaults, running: &str, intended: &str) -> Vec<String> {
    liaison::plan::diff_texts_with(running, intended, Sides::same(switch)).unwrap()
}

const UP_TRUNK: &str =
    "interface Ethernet1/1\n  switchport\n  switchport mode trunk\n  no shutdown\n";

#[test]
fn a_switch_is_sent_only_the_layer_and_admin_state_it_does_not_have_by_default() {
    // An empty port: Layer 2 and up on a Nexus 9300, routed and shut on a
    // 9300-EX.
    let empty = "interface Ethernet1/1\n";
    assert_eq!(
        diff_on(LAYER_2, empty, UP_TRUNK),
        ["interface Ethernet1/1", "  switchport mode trunk"]
    );
    assert_eq!(
        diff_on(LAYER_3, empty, UP_TRUNK),
        [
            "interface Ethernet1/1",
            "  switchport",
            "  switchport mode trunk",
            "  no shutdown"
        ]
    );
    // A port the switch does not show at all has its factory settings.
    assert_eq!(
        diff_on(
            LAYER_2,
            "hostname sw1\n",
            &format!("hostname sw1\n{UP_TRUNK}")
        ),
        ["interface Ethernet1/1", "  switchport mode trunk"]
    );
    // What each switch prints for the trunk once it is there: nothing left.
    assert!(diff_on(
        LAYER_2,
        "interface Ethernet1/1\n  switchport mode trunk\n",
        UP_TRUNK
    )
    .is_empty());
    assert!(diff_on(
        LAYER_3,
        "interface Ethernet1/1\n  switchport\n  switchport mode trunk\n",
        UP_TRUNK
    )
    .is_empty());
}

#[test]
fn a_port_changing_layer_is_told_its_admin_state_again() {
    // Up as a routed port, wanted up as a Layer 2 port: the admin state
    // goes with the layer, so `no shutdown` is sent although it reads the
    // same.
    let routed_up =
        "interface Ethernet1/1\n  no switchport\n  ip address 192.0.2.1/31\n  no shutdown\n";
    assert_eq!(
        diff_on(LAYER_2, routed_up, UP_TRUNK),
        [
            "interface Ethernet1/1",
            "  switchport",
            "  switchport mode trunk",
            "  no shutdown"
        ]
    );
}

#[test]
fn a_port_wanted_in_its_factory_state_is_defaulted_on_its_own_switch() {
    // On a 9300-EX an empty port is routed and shut: a port that is up is
    // not in that state, a port shown empty is.
    let up = "interface Ethernet1/2\n  no shutdown\n";
    let empty = "interface Ethernet1/2\n";
    assert_eq!(
        diff_on(LAYER_3, up, empty),
        ["default interface Ethernet1/2"]
    );
    assert!(diff_on(LAYER_3, empty, empty).is_empty());
    // On a Nexus 9300 an up port shown empty is already in it.
    assert!(diff_on(LAYER_2, empty, empty).is_empty());
}

#[test]
fn system_default_switchport_lines_are_left_alone() {
    let running =
        "system default switchport\nno system default switchport shutdown\nhostname sw1\n";
    assert!(diff(running, "hostname sw1\n").is_empty());
}

//! The configuration model against NX-OS behaviour: commands typed in
//! order (as the shell applies them), show-run text and loading it back.

use crate::apply::apply;
use crate::command::{parse, CliError, Mode};
use crate::load::load;
use crate::model::{Device, PortDefaults};
use crate::render::body;

const AGG1: &str = include_str!("../../../golden/example/agg1.cfg");

/// Types `script` line by line as the shell does outside a session;
/// returns the errors by line.
fn type_lines(dev: &mut Device, script: &str) -> Vec<(String, CliError)> {
    let mut mode = Mode::Config;
    let mut errors = Vec::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line == "exit" {
            mode = mode.parent().unwrap_or(Mode::Config);
            continue;
        }
        let mut copy = dev.clone();
        match parse(&mode, line, None).and_then(|p| apply(&mut copy, &p, false).map(|_| p)) {
            Ok(parsed) => {
                mode = parsed.next_mode();
                *dev = copy;
            }
            Err(e) => errors.push((line.to_string(), e)),
        }
    }
    errors
}

fn fresh(script: &str) -> Device {
    let mut dev = Device {
        hostname: "sw1".into(),
        ..Device::default()
    };
    let errors = type_lines(&mut dev, script);
    assert!(errors.is_empty(), "{errors:?}");
    dev
}

fn text(dev: &Device) -> String {
    body(dev).join("\n")
}

fn interface_lines(dev: &Device, name: &str) -> Vec<String> {
    let text = text(dev);
    let mut lines = text
        .lines()
        .skip_while(|l| *l != format!("interface {name}"));
    lines.next();
    lines
        .take_while(|l| l.starts_with(' '))
        .map(|l| l.trim().to_string())
        .collect()
}

fn config_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('!'))
        .collect()
}

/// Stanzas (a top-level line and its sorted sub-lines) as a sorted list:
/// NX-OS prints sections and some sub-commands in its own order.
fn stanzas(lines: &[&str]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in lines {
        if line.starts_with(' ') {
            if let Some(last) = out.last_mut() {
                last.push(line.trim().to_string());
            }
        } else {
            out.push(vec![line.to_string()]);
        }
    }
    for stanza in &mut out {
        stanza[1..].sort();
    }
    out.sort();
    out
}

#[test]
fn a_golden_config_loads_and_prints_every_stanza() {
    let (dev, skipped) = load(AGG1, "agg1", PortDefaults::default());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(dev.opaque.is_empty(), "{:?}", dev.opaque);
    let printed = text(&dev);
    // NX-OS shows well-known ports of ACL entries by name (not in port
    // object-groups, which have no protocol).
    let golden: String = AGG1
        .lines()
        .map(|l| {
            if l.contains(" permit ") || l.contains(" deny ") {
                l.replace(" eq 53", " eq domain")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    // The simulated device's ports are routed by default and Layer 2
    // ports up by default: it prints neither `no switchport` on routed
    // ports nor `no shutdown` on up Layer 2 ports.
    let mut expected = stanzas(&config_lines(&golden));
    for stanza in &mut expected {
        if stanza[0].starts_with("interface Ethernet") {
            let layer2 = stanza.iter().any(|l| l == "switchport");
            stanza.retain(|l| l != "no switchport" && !(layer2 && l == "no shutdown"));
        }
    }
    expected.sort();
    let got_lines: Vec<&str> = config_lines(&printed)
        .into_iter()
        .filter(|l| !l.starts_with("version ") && !l.starts_with("vlan 1,"))
        .collect();
    assert_eq!(stanzas(&got_lines), expected);
    assert!(printed
        .contains("\nvlan 1,110,120,130,200,300,410,420,430,3914,3918\nvlan 110\n  name web\n"));
}

#[test]
fn show_run_text_loads_back_to_the_same_config() {
    let (dev, _) = load(AGG1, "agg1", PortDefaults::default());
    let mut dev = dev;
    let errors = type_lines(
        &mut dev,
        "interface port-channel1\nswitchport trunk allowed vlan 2-3000,3002-3900\n\
         switchport trunk allowed vlan remove 5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41,43,45,47,49,51\n\
         ip access-list WEB\nstatistics per-entry\npermit tcp any any eq 443\n\
         object-group ip address SERVERS\nhost 10.1.10.5\n10.1.20.0/24\n\
         object-group ip port WEBPORTS\neq 80\nrange 8000 8080\n\
         ip route 10.9.0.0/16 192.0.2.100",
    );
    assert!(errors.is_empty(), "{errors:?}");
    let once = text(&dev);
    let (again, skipped) = load(&once, "agg1", PortDefaults::default());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(text(&again), once);
    // The same settings, whether stated or by default.
    assert_eq!(every_setting(&again), every_setting(&dev));
}

/// `show running-config all` without its header.
fn every_setting(dev: &Device) -> Vec<String> {
    crate::render::show(dev, "now", crate::render::Detail::All)
        .lines()
        .filter(|l| !l.starts_with('!'))
        .map(str::to_string)
        .collect()
}

#[test]
fn each_kind_of_device_prints_only_what_differs_from_its_defaults() {
    let layer2 = PortDefaults {
        switchport: true,
        switchport_shutdown: false,
    };
    let script = "feature interface-vlan\nvlan 10\ninterface Ethernet1/1\nswitchport\nswitchport mode trunk\nno shutdown\n\
                  interface Ethernet1/2\nno switchport\nip address 192.0.2.1/31\nno shutdown\n\
                  interface Ethernet1/3\nswitchport\nswitchport mode access\nswitchport access vlan 10\nshutdown\n\
                  interface port-channel5\nswitchport\nno shutdown\ninterface Vlan10\nno shutdown";
    // A Nexus 9300-EX: routed ports by default.
    let l3 = fresh(script);
    assert_eq!(
        interface_lines(&l3, "Ethernet1/1"),
        ["switchport", "switchport mode trunk"]
    );
    assert_eq!(
        interface_lines(&l3, "Ethernet1/2"),
        ["ip address 192.0.2.1/31", "no shutdown"]
    );
    assert_eq!(
        interface_lines(&l3, "Ethernet1/3"),
        ["switchport", "switchport access vlan 10", "shutdown"]
    );
    assert_eq!(interface_lines(&l3, "port-channel5"), ["switchport"]);
    assert_eq!(interface_lines(&l3, "Vlan10"), ["no shutdown"]);
    assert!(!text(&l3).contains("system default"));
    // A Nexus 9300: Layer 2 ports by default.
    let mut l2 = Device::blank("sw1", layer2);
    assert!(type_lines(&mut l2, script).is_empty());
    assert_eq!(
        interface_lines(&l2, "Ethernet1/1"),
        ["switchport mode trunk"]
    );
    assert_eq!(
        interface_lines(&l2, "Ethernet1/2"),
        ["no switchport", "ip address 192.0.2.1/31", "no shutdown"]
    );
    assert_eq!(
        interface_lines(&l2, "Ethernet1/3"),
        ["switchport access vlan 10", "shutdown"]
    );
    assert!(interface_lines(&l2, "port-channel5").is_empty());
    // Both mean the same.
    assert_eq!(
        every_setting(&l2)
            .into_iter()
            .filter(|l| !l.contains("system default"))
            .collect::<Vec<_>>(),
        every_setting(&l3)
            .into_iter()
            .filter(|l| !l.contains("system default"))
            .collect::<Vec<_>>()
    );
    // An unconfigured port follows the default: routed and shut, or Layer
    // 2 and up; `show running-config all` says so.
    let all = every_setting(&Device::blank("sw1", layer2)).join("\n");
    assert!(
        all.contains("system default switchport\nno system default switchport shutdown"),
        "{all}"
    );
}

#[test]
fn system_default_switchport_changes_the_default_and_is_printed_when_not_the_factory_one() {
    let mut dev = fresh("interface Ethernet1/1\ndescription x");
    assert!(type_lines(
        &mut dev,
        "system default switchport\nsystem default switchport shutdown"
    )
    .is_empty());
    let printed = text(&dev);
    assert!(
        printed.contains("system default switchport\nsystem default switchport shutdown"),
        "{printed}"
    );
    // Ethernet1/1 follows: now a Layer 2 port, shut.
    assert!(dev.interfaces.values().all(|i| i.layer.is_none()));
    assert!(type_lines(&mut dev, "interface Ethernet1/1\nswitchport mode trunk").is_empty());
    assert!(type_lines(
        &mut dev,
        "no system default switchport\nno system default switchport shutdown"
    )
    .is_empty());
    assert!(!text(&dev).contains("system default"));
    // Loaded back, the lines set the defaults again.
    let (back, skipped) = load(&printed, "sw1", PortDefaults::default());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert!(back.port_defaults.switchport && back.port_defaults.switchport_shutdown);
}

#[test]
fn a_port_changing_layer_keeps_its_admin_state() {
    // Routed ports start shut; made Layer 2 the port stays shut.
    let dev = fresh("interface Ethernet1/1\nswitchport");
    assert_eq!(
        interface_lines(&dev, "Ethernet1/1"),
        ["switchport", "shutdown"]
    );
    let dev = fresh("interface Ethernet1/1\nswitchport\nno shutdown");
    assert_eq!(interface_lines(&dev, "Ethernet1/1"), ["switchport"]);
}

#[test]
fn long_trunk_lists_wrap_onto_add_lines_and_read_back() {
    let odd: Vec<String> = (1..=600).step_by(2).map(|v| v.to_string()).collect();
    let dev = fresh(&format!(
        "interface Ethernet1/7\nswitchport\nswitchport mode trunk\nswitchport trunk allowed vlan {}",
        odd.join(",")
    ));
    let lines = interface_lines(&dev, "Ethernet1/7");
    let adds = lines
        .iter()
        .filter(|l| l.starts_with("switchport trunk allowed vlan add "))
        .count();
    assert!(adds >= 2, "{lines:?}");
    assert!(lines
        .iter()
        .all(|l| l.trim_start_matches("switchport trunk allowed vlan ").len() <= 84));
    let (back, _) = load(&text(&dev), "sw1", PortDefaults::default());
    assert_eq!(back.interfaces, dev.interfaces);
}

#[test]
fn commands_that_need_a_feature_are_invalid_without_it() {
    let mut dev = fresh("");
    for line in [
        "interface Vlan10",
        "vpc domain 10",
        "interface Ethernet1/1\nchannel-group 1 mode active",
        "interface Ethernet1/1\nhsrp 10",
    ] {
        let errors = type_lines(&mut dev, line);
        assert_eq!(errors.len(), 1, "{line}: {errors:?}");
        assert_eq!(errors[0].1.message, "% Invalid command at '^' marker.");
    }
    let errors = type_lines(&mut dev, "interface Vlan10");
    assert_eq!(
        errors[0].1.caret,
        Some(10),
        "marker under the interface name"
    );
}

#[test]
fn no_feature_removes_what_depends_on_it() {
    let mut dev = fresh(
        "feature interface-vlan\nfeature hsrp\nfeature lacp\nfeature vpc\n\
         vpc domain 10\npeer-gateway\n\
         interface Vlan10\nip address 10.0.0.2/24\nhsrp 10\nip 10.0.0.1\n\
         interface Ethernet1/1\nswitchport\nchannel-group 5 mode active\n\
         interface port-channel5\nvpc 5",
    );
    assert!(text(&dev).contains("vpc domain 10"));
    type_lines(&mut dev, "no feature hsrp");
    assert!(!text(&dev).contains("hsrp"));
    assert!(text(&dev).contains("interface Vlan10"));
    type_lines(
        &mut dev,
        "no feature interface-vlan\nno feature vpc\nno feature lacp",
    );
    let printed = text(&dev);
    assert!(!printed.contains("Vlan10"), "{printed}");
    assert!(!printed.contains("vpc"), "{printed}");
    assert!(!printed.contains("channel-group"), "{printed}");
    assert!(printed.contains("interface port-channel5"));
}

#[test]
fn vrf_member_wipes_the_layer3_config() {
    let mut dev =
        fresh("feature interface-vlan\ninterface Vlan10\nip address 10.0.0.2/24\nno ip redirects");
    type_lines(&mut dev, "interface Vlan10\nvrf member prod");
    assert_eq!(interface_lines(&dev, "Vlan10"), vec!["vrf member prod"]);
    type_lines(
        &mut dev,
        "interface Vlan10\nip address 10.0.0.2/24\nvrf member prod",
    );
    assert_eq!(
        interface_lines(&dev, "Vlan10"),
        vec!["vrf member prod", "ip address 10.0.0.2/24"],
        "the same VRF again keeps it"
    );
}

#[test]
fn last_value_wins_and_no_removes() {
    let mut dev = fresh(
        "interface Ethernet1/1\ndescription one\ndescription two\nno switchport\n\
         ip address 10.0.0.1/31\nip address 10.0.0.3/31\nmtu 9216\n\
         vlan 10\nname a\nname b\nvlan 20",
    );
    // Routed is this device's default: `no switchport` is not printed.
    assert_eq!(
        interface_lines(&dev, "Ethernet1/1"),
        vec!["description two", "mtu 9216", "ip address 10.0.0.3/31"]
    );
    assert!(text(&dev).contains("vlan 1,10,20\nvlan 10\n  name b\n"));
    type_lines(
        &mut dev,
        "interface Ethernet1/1\nno description\nno mtu\nno vlan 20",
    );
    assert_eq!(
        interface_lines(&dev, "Ethernet1/1"),
        vec!["ip address 10.0.0.3/31"]
    );
    assert!(text(&dev).contains("vlan 1,10\n"));
    let errors = type_lines(&mut dev, "no vlan 1\nvlan 4000");
    assert_eq!(errors.len(), 2);
}

#[test]
fn trunk_allowed_lists_are_sets() {
    let dev = fresh(
        "interface Ethernet1/2\nswitchport\nswitchport mode trunk\n\
         switchport trunk allowed vlan 10,20\nswitchport trunk allowed vlan add 30-32\n\
         switchport trunk allowed vlan remove 20,31",
    );
    assert!(interface_lines(&dev, "Ethernet1/2")
        .contains(&"switchport trunk allowed vlan 10,30,32".to_string()));
    let mut dev = dev;
    type_lines(
        &mut dev,
        "interface Ethernet1/2\nswitchport trunk allowed vlan none",
    );
    assert!(interface_lines(&dev, "Ethernet1/2")
        .contains(&"switchport trunk allowed vlan none".to_string()));
    type_lines(
        &mut dev,
        "interface Ethernet1/2\nswitchport trunk allowed vlan all",
    );
    assert!(!text(&dev).contains("allowed"));
    let errors = type_lines(&mut dev, "interface Ethernet1/3\nswitchport mode trunk");
    assert_eq!(
        errors[0].1.message, "ERROR: Ethernet1/3: requested config change not allowed",
        "a routed port needs `switchport` first"
    );
}

#[test]
fn port_channels_pass_settings_to_members_and_refuse_misfits() {
    let mut dev = fresh(
        "feature lacp\ninterface Ethernet1/1\nswitchport\nswitchport mode trunk\n\
         switchport trunk allowed vlan 10\nchannel-group 7 mode active",
    );
    assert_eq!(
        interface_lines(&dev, "port-channel7"),
        vec![
            "switchport",
            "switchport mode trunk",
            "switchport trunk allowed vlan 10"
        ],
        "channel-group creates the port-channel from the port"
    );
    type_lines(
        &mut dev,
        "interface port-channel7\nswitchport trunk allowed vlan add 20",
    );
    assert!(interface_lines(&dev, "Ethernet1/1")
        .contains(&"switchport trunk allowed vlan 10,20".to_string()));
    let errors = type_lines(
        &mut dev,
        "interface Ethernet1/2\nswitchport\nswitchport mode trunk\nchannel-group 7 mode active",
    );
    assert_eq!(
        errors[0].1.message,
        "command failed: port not compatible [Allowed VLANs]"
    );
    type_lines(&mut dev, "no interface port-channel7");
    assert!(!text(&dev).contains("channel-group"));
}

#[test]
fn interfaces_are_deleted_or_defaulted_by_kind() {
    let mut dev = fresh(
        "feature interface-vlan\ninterface Vlan10\nno shutdown\ninterface loopback0\n\
         interface Ethernet1/5\ndescription x\nno switchport\nip address 10.0.0.1/31",
    );
    let errors = type_lines(&mut dev, "no interface Ethernet1/5");
    assert_eq!(errors.len(), 1);
    type_lines(
        &mut dev,
        "default interface Ethernet1/5\nno interface Vlan10\nno interface loopback0",
    );
    let printed = text(&dev);
    assert!(printed.ends_with("interface Ethernet1/5"), "{printed}");
    assert!(!printed.contains("Vlan10") && !printed.contains("loopback0"));
}

#[test]
fn interface_sections_print_in_nx_os_order() {
    let dev = fresh(
        "feature interface-vlan\ninterface loopback0\ninterface mgmt0\ninterface Ethernet1/10\n\
         interface Ethernet1/9\ninterface Ethernet2/1\ninterface port-channel20\n\
         interface port-channel3\ninterface Vlan200\ninterface Vlan30",
    );
    let order: Vec<String> = text(&dev)
        .lines()
        .filter_map(|l| l.strip_prefix("interface "))
        .map(str::to_string)
        .collect();
    assert_eq!(
        order,
        [
            "Vlan30",
            "Vlan200",
            "port-channel3",
            "port-channel20",
            "Ethernet1/9",
            "Ethernet1/10",
            "Ethernet2/1",
            "mgmt0",
            "loopback0"
        ]
    );
}

#[test]
fn hsrp_groups_above_255_need_version_2() {
    let mut dev = fresh("feature interface-vlan\nfeature hsrp\ninterface Vlan300");
    let errors = type_lines(&mut dev, "interface Vlan300\nhsrp 300");
    assert_eq!(errors.len(), 1);
    let errors = type_lines(
        &mut dev,
        "interface Vlan300\nhsrp version 2\nhsrp 300\npreempt\npriority 110\nip 10.0.0.1\n\
         description after the group goes to the interface",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        interface_lines(&dev, "Vlan300"),
        vec![
            "description after the group goes to the interface",
            "hsrp version 2",
            "hsrp 300",
            "preempt",
            "priority 110",
            "ip 10.0.0.1"
        ]
    );
}

#[test]
fn acl_entries_take_sequence_numbers() {
    let mut dev = fresh(
        "ip access-list WEB\nstatistics per-entry\nremark web servers\n\
         permit tcp any 10.1.10.0/24 eq 80\n15 permit udp any any eq 53\ndeny ip any any",
    );
    assert!(text(&dev).contains(
        "ip access-list WEB\n  statistics per-entry\n  10 remark web servers\n  \
         15 permit udp any any eq domain\n  20 permit tcp any 10.1.10.0/24 eq www\n  30 deny ip any any\n"
    ));
    let errors = type_lines(&mut dev, "ip access-list WEB\n20 deny ip any any");
    assert_eq!(errors[0].1.message, "ERROR: Duplicate sequence number");
    type_lines(&mut dev, "ip access-list WEB\nno 20\nno deny ip any any");
    assert!(text(&dev).contains("  15 permit udp any any eq domain\n\nvlan 1\n"));
    type_lines(&mut dev, "no ip access-list WEB");
    assert!(!text(&dev).contains("access-list"));
}

#[test]
fn a_real_show_run_keeps_what_the_simulator_does_not_model() {
    let real = r#"!Command: show running-config
!Running configuration last done at: Wed Aug 19 16:36:16 2020
!Time: Wed Aug 19 16:38:58 2020

version 9.3(8) Bios:version
hostname leaf1
vdc leaf1 id 1
  limit-resource vlan minimum 16 maximum 4094

feature lacp

username admin password 5 $5$x  role network-admin
ip domain-lookup

vlan 1,10
vlan 10
  name ten

vrf context management
  ip route 0.0.0.0/0 10.0.0.1

interface Ethernet1/1
  switchport
  switchport mode trunk
  switchport trunk allowed vlan 1-3,5,7,9,11,13,15
  switchport trunk allowed vlan add 17,19
  speed 10000
  no shutdown

interface mgmt0
  vrf member management
  ip address 10.0.0.5/24
line console
line vty
"#;
    let (dev, skipped) = load(real, "x", PortDefaults::default());
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(dev.last_change, "Wed Aug 19 16:36:16 2020");
    let printed = text(&dev);
    for line in [
        "hostname leaf1",
        "vdc leaf1 id 1\n  limit-resource vlan minimum 16 maximum 4094",
        "username admin password 5 $5$x  role network-admin",
        "switchport trunk allowed vlan 1-3,5,7,9,11,13,15,17,19",
        // Up is the default of a Layer 2 port: not printed.
        "  speed 10000\n\ninterface mgmt0",
        "line console\nline vty",
    ] {
        assert!(printed.contains(line), "{line}\n{printed}");
    }
    let (again, _) = load(&printed, "x", PortDefaults::default());
    assert_eq!(text(&again), printed);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Words of the commands liaison emits, plus some that break them.
    const WORDS: &[&str] = &[
        "no",
        "default",
        "interface",
        "Vlan10",
        "Ethernet1/1",
        "Ethernet1/2",
        "port-channel5",
        "loopback0",
        "vlan",
        "10",
        "10,20-30",
        "name",
        "x",
        "feature",
        "interface-vlan",
        "hsrp",
        "lacp",
        "vpc",
        "switchport",
        "mode",
        "trunk",
        "access",
        "allowed",
        "add",
        "remove",
        "none",
        "channel-group",
        "5",
        "active",
        "domain",
        "peer-link",
        "ip",
        "address",
        "10.0.0.1/24",
        "route",
        "0.0.0.0/0",
        "10.0.0.254",
        "access-list",
        "A",
        "permit",
        "deny",
        "tcp",
        "any",
        "eq",
        "80",
        "host",
        "10.0.0.1",
        "vrf",
        "member",
        "context",
        "prod",
        "description",
        "spanning-tree",
        "mst",
        "configuration",
        "instance",
        "1",
        "revision",
        "shutdown",
        "object-group",
        "port",
        "range",
        "statistics",
        "per-entry",
        "remark",
        "priority",
        "preempt",
        "version",
        "2",
        "300",
        "exit",
        "4095",
        "é",
        "\t",
        "^",
        "%",
        "!",
    ];

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => prop::collection::vec(prop::sample::select(WORDS), 0..7).prop_map(|w| w.join(" ")),
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any typed input gives errors, never a panic, and whatever
        /// config results prints as text that loads back to itself.
        #[test]
        fn typed_lines_and_state_files(
            lines in prop::collection::vec(line(), 0..40),
            indents in prop::collection::vec(0usize..6, 40),
        ) {
            let mut dev = fresh("");
            type_lines(&mut dev, &lines.join("\n"));
            let printed = text(&dev);
            let (again, skipped) = load(&printed, "sw1", PortDefaults::default());
            prop_assert!(skipped.is_empty(), "{:?}", skipped);
            prop_assert_eq!(text(&again), printed);

            let file: Vec<String> = lines
                .iter()
                .zip(&indents)
                .map(|(l, i)| format!("{}{l}", " ".repeat(*i)))
                .collect();
            let (loaded, _) = load(&file.join("\n"), "x", PortDefaults::default());
            let printed = text(&loaded);
            let (again, _) = load(&printed, "x", PortDefaults::default());
            prop_assert_eq!(text(&again), printed);
        }
    }
}

#[test]
fn bridge_priorities_group_by_value_and_reset_to_the_default() {
    let mut dev = fresh(
        "spanning-tree mode mst\nspanning-tree mst 0-1 priority 4096\nspanning-tree vlan 1,10-11 priority 8192\nspanning-tree vlan 11 priority 32768\n",
    );
    let shown = text(&dev);
    assert!(
        shown.contains("spanning-tree mst 0-1 priority 4096"),
        "{shown}"
    );
    assert!(
        shown.contains("spanning-tree vlan 1,10 priority 8192"),
        "{shown}"
    );
    let errors = type_lines(&mut dev, "spanning-tree mst 1 priority 5000\n");
    assert_eq!(errors.len(), 1, "priorities go in steps of 4096");
    let errors = type_lines(&mut dev, "no spanning-tree mst 0-1 priority\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert!(!text(&dev).contains("spanning-tree mst 0-1"));
}

/// NX-OS runs Rapid-PVST+ by default and `show running-config` does not
/// print it (Nexus 9000 Layer 2 Switching Configuration Guide 9.2(x),
/// "Configuring MST": "Rapid PVST+ is the default mode"; the vPC switches'
/// show-run outputs in tests/fixtures/nxos print no `spanning-tree mode`).
#[test]
fn the_default_spanning_tree_mode_is_not_printed() {
    let mut dev = fresh("spanning-tree mode rapid-pvst\n");
    assert!(!text(&dev).contains("spanning-tree mode"), "{}", text(&dev));
    assert!(type_lines(&mut dev, "spanning-tree mode mst\n").is_empty());
    assert!(text(&dev).lines().any(|l| l == "spanning-tree mode mst"));
    assert!(type_lines(&mut dev, "spanning-tree mode rapid-pvst\n").is_empty());
    assert!(!text(&dev).contains("spanning-tree mode"));
    assert!(type_lines(&mut dev, "spanning-tree mode mst\nno spanning-tree mode\n").is_empty());
    assert!(!text(&dev).contains("spanning-tree mode"));
}

#[test]
fn port_settings_replace_their_value_and_check_where_they_apply() {
    let mut dev = fresh(
        "feature lacp\nfeature vpc\ninterface port-channel10\n  switchport\n  spanning-tree bpduguard enable\n  spanning-tree guard root\n  no lacp suspend-individual\n  storm-control broadcast level 1\ninterface Ethernet1/1\n  switchport\n  no shutdown\n  vpc orphan-port suspend\n",
    );
    assert_eq!(
        interface_lines(&dev, "port-channel10"),
        [
            "switchport",
            "spanning-tree bpduguard enable",
            "spanning-tree guard root",
            "no lacp suspend-individual",
            "storm-control broadcast level 1.00"
        ]
    );
    assert_eq!(
        interface_lines(&dev, "Ethernet1/1"),
        ["switchport", "vpc orphan-port suspend"]
    );
    let errors = type_lines(
        &mut dev,
        "interface port-channel10\n  vpc orphan-port suspend\n  spanning-tree guard sideways\n",
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    let errors = type_lines(
        &mut dev,
        "interface port-channel10\n  lacp suspend-individual\n  no spanning-tree guard\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        interface_lines(&dev, "port-channel10"),
        [
            "switchport",
            "spanning-tree bpduguard enable",
            "storm-control broadcast level 1.00"
        ]
    );
    // udld needs its feature.
    let errors = type_lines(&mut dev, "interface Ethernet1/1\n  udld enable\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

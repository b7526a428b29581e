//! The layer-2 design a data-center engineer signs (docs/design.md, "Spanning
//! tree", "vPC failure modes"), checked on the rendered configs read back:
//! who is the spanning-tree root, where BPDU guard, root guard and
//! `vpc orphan-port suspend` are, and every pair's failure-mode timers.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn example() -> (tempfile::TempDir, BTreeMap<String, Config>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    let configs = build(dir.path());
    (dir, configs)
}

/// A gateway switch, as the config says: it routes (SVIs with addresses).
fn is_gateway(config: &Config) -> bool {
    config.sections.iter().any(|(header, lines)| {
        header.starts_with("interface Vlan") && lines.iter().any(|l| l.starts_with("ip address "))
    })
}

/// `LIST priority N` lines of `spanning-tree mst|vlan`: id → priority.
fn priorities(config: &Config, kind: &str) -> BTreeMap<u16, u32> {
    let mut out = BTreeMap::new();
    for line in config.globals(&format!("spanning-tree {kind} ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() != 5 || words[3] != "priority" {
            continue;
        }
        let priority: u32 = words[4].parse().unwrap();
        for part in words[2].split(',') {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b): (u16, u16) = (a.parse().unwrap(), b.parse().unwrap());
            for id in a..=b {
                assert!(out.insert(id, priority).is_none(), "{line}: {id} twice");
            }
        }
    }
    out
}

/// The one bridge priority of a switch: the same on MST instances 0 and 1
/// (nothing else), or on every VLAN it defines and VLAN 1 (Rapid-PVST+).
fn bridge_priority(name: &str, config: &Config) -> u32 {
    let mode = config.globals("spanning-tree mode ");
    assert_eq!(mode.len(), 1, "{name}: one `spanning-tree mode` line");
    let (table, expected): (BTreeMap<u16, u32>, BTreeSet<u16>) = match mode[0] {
        "spanning-tree mode mst" => (priorities(config, "mst"), [0, 1].into()),
        "spanning-tree mode rapid-pvst" => (
            priorities(config, "vlan"),
            config.vlans.iter().copied().chain([1]).collect(),
        ),
        other => panic!("{name}: {other}"),
    };
    assert_eq!(
        table.keys().copied().collect::<BTreeSet<u16>>(),
        expected,
        "{name}: a priority for every tree"
    );
    let values: BTreeSet<u32> = table.values().copied().collect();
    assert_eq!(values.len(), 1, "{name}: one priority on every tree");
    values.into_iter().next().unwrap()
}

/// vPC domain number → its members.
fn pairs(configs: &BTreeMap<String, Config>) -> BTreeMap<String, Vec<&str>> {
    let mut out: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (name, config) in configs {
        if let Some((header, _)) = config
            .sections
            .iter()
            .find(|(h, _)| h.starts_with("vpc domain "))
        {
            out.entry(header.clone()).or_default().push(name);
        }
    }
    out
}

fn has(config: &Config, port: &str, line: &str) -> bool {
    config.interfaces[port].lines.iter().any(|l| l == line)
}

/// Host-facing ports that are not members of a port-channel, as the
/// rendered descriptions say (`host …`, `chassis …`, `endpoint …`).
fn host_facing(config: &Config) -> BTreeSet<String> {
    config
        .interfaces
        .iter()
        .filter(|(_, p)| p.channel_group.is_none())
        .filter(|(_, p)| {
            ["host ", "chassis ", "endpoint "]
                .iter()
                .any(|k| p.description.starts_with(k))
        })
        .map(|(n, _)| n.clone())
        .collect()
}

fn assert_root_design(configs: &BTreeMap<String, Config>) {
    let gateways: Vec<&String> = configs
        .keys()
        .filter(|n| is_gateway(&configs[*n]))
        .collect();
    assert_eq!(gateways, ["agg1", "agg2"]);
    let priority: BTreeMap<&str, u32> = configs
        .iter()
        .map(|(n, c)| (n.as_str(), bridge_priority(n, c)))
        .collect();
    let root = priority["agg1"];
    assert_eq!(priority["agg2"], root, "gateway members share the priority");
    for (name, p) in &priority {
        if !gateways.iter().any(|g| g == name) {
            assert!(
                *p > root,
                "{name}: priority {p} must be above the root's {root}"
            );
        }
    }
    // peer-switch only on the pair that is root of every tree with one
    // shared priority (Cisco, Nexus 9000 interfaces guide 9.3, vPC).
    for (domain, members) in pairs(configs) {
        let is_root = members.iter().all(|m| priority[m] == root);
        for m in &members {
            let peer_switch = configs[*m]
                .section("vpc domain ")
                .unwrap()
                .iter()
                .any(|l| l == "peer-switch");
            assert_eq!(peer_switch, is_root, "{m} ({domain}): peer-switch");
        }
    }
}

#[test]
fn the_gateway_pair_is_the_root_with_equal_priorities() {
    let (_dir, configs) = example();
    assert_root_design(&configs);
    assert_eq!(bridge_priority("agg1", &configs["agg1"]), 4096);
    assert_eq!(bridge_priority("tor1a", &configs["tor1a"]), 16384);
}

#[test]
fn rapid_pvst_is_rendered_with_a_priority_per_vlan() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(
        dir.path(),
        "fabric.yml",
        "  stp:\n    mode: rapid-pvst\n    root_priority: 8192\n    priority: 24576\n",
    );
    let configs = build(dir.path());
    for (name, config) in &configs {
        assert_eq!(
            config.globals("spanning-tree mode "),
            ["spanning-tree mode rapid-pvst"],
            "{name}: the mode is always written"
        );
        assert!(config.section("spanning-tree mst configuration").is_none());
    }
    assert_root_design(&configs);
    assert_eq!(bridge_priority("agg2", &configs["agg2"]), 8192);
    assert_eq!(bridge_priority("tor2b", &configs["tor2b"]), 24576);
}

#[test]
fn bpdu_guard_is_on_exactly_the_host_facing_edge_ports() {
    let (_dir, configs) = example();
    let mut guarded = 0;
    for (name, config) in &configs {
        let expected = host_facing(config);
        let with_guard: BTreeSet<String> = config
            .interfaces
            .keys()
            .filter(|p| has(config, p, "spanning-tree bpduguard enable"))
            .cloned()
            .collect();
        assert_eq!(with_guard, expected, "{name}");
        for port in &with_guard {
            let lines = &config.interfaces[port].lines;
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with("spanning-tree port type edge")),
                "{name} {port}: BPDU guard only on edge ports"
            );
            assert!(!lines.iter().any(|l| l == "vpc peer-link"), "{name} {port}");
        }
        guarded += with_guard.len();
    }
    // 3 chassis vPCs and 3 + 3 rack servers on the ToRs (two sides each
    // where bundled), the storage array on both aggregation switches.
    assert!(guarded >= 16, "{guarded}");
}

#[test]
fn root_guard_is_on_the_gateways_downlinks_only() {
    let (_dir, configs) = example();
    for (name, config) in &configs {
        for (port, p) in &config.interfaces {
            let guard = has(config, port, "spanning-tree guard root");
            let downlink = is_gateway(config)
                && p.channel_group.is_none()
                && p.description.starts_with("link to tor");
            assert_eq!(guard, downlink, "{name} {port}");
        }
    }
    assert!(has(
        &configs["agg1"],
        "port-channel1",
        "spanning-tree guard root"
    ));
    // Optional: `root_guard: false` leaves it out.
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(dir.path(), "fabric.yml", "  stp: { root_guard: false }\n");
    let configs = build(dir.path());
    assert!(!configs["agg1"].text.contains("spanning-tree guard root"));
}

#[test]
fn orphan_port_suspend_is_on_exactly_the_single_homed_host_ports_of_pairs() {
    let (_dir, configs) = example();
    let paired: BTreeSet<&str> = pairs(&configs).into_values().flatten().collect();
    for (name, config) in &configs {
        let with: BTreeSet<String> = config
            .interfaces
            .keys()
            .filter(|p| has(config, p, "vpc orphan-port suspend"))
            .cloned()
            .collect();
        // Host-facing ports of a pair that are no vPC: standalone ports,
        // and members of a port-channel that has no `vpc N`.
        let expected: BTreeSet<String> = if paired.contains(name.as_str()) {
            config
                .interfaces
                .iter()
                .filter(|(n, _)| n.starts_with("Ethernet"))
                .filter(|(n, p)| match p.channel_group {
                    None => host_facing(config).contains(*n),
                    Some(group) => {
                        let pc = &config.interfaces[&format!("port-channel{group}")];
                        ["host ", "chassis ", "endpoint "]
                            .iter()
                            .any(|k| pc.description.starts_with(k))
                            && !pc.lines.iter().any(|l| l.starts_with("vpc "))
                    }
                })
                .map(|(n, _)| n.clone())
                .collect()
        } else {
            BTreeSet::new()
        };
        assert_eq!(with, expected, "{name}");
    }
    let tor3a: Vec<&str> = ["Ethernet1/14", "Ethernet1/15", "Ethernet1/16"].into();
    for port in tor3a {
        assert!(
            has(&configs["tor3a"], port, "vpc orphan-port suspend"),
            "{port}"
        );
        assert!(
            has(&configs["tor3b"], port, "vpc orphan-port suspend"),
            "{port}"
        );
    }
}

#[test]
fn every_pair_has_auto_recovery_and_the_gateway_pair_delay_restore() {
    let (_dir, configs) = example();
    let domains = pairs(&configs);
    assert_eq!(domains.len(), 4);
    for members in domains.values() {
        assert_eq!(members.len(), 2);
        for m in members {
            let lines = configs[*m].section("vpc domain ").unwrap();
            let delay: Vec<u32> = lines
                .iter()
                .filter_map(|l| l.strip_prefix("auto-recovery reload-delay "))
                .map(|v| v.parse().unwrap())
                .collect();
            assert_eq!(delay.len(), 1, "{m}: auto-recovery");
            assert!((240..=3600).contains(&delay[0]), "{m}: {}", delay[0]);
            let restore = lines.iter().any(|l| l.starts_with("delay restore "));
            assert_eq!(restore, is_gateway(&configs[*m]), "{m}: delay restore");
        }
    }
}

#[test]
fn the_vpc_timers_come_from_the_inventory() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(
        dir.path(),
        "fabric.yml",
        "  vpc: { auto_recovery_reload_delay: 600, delay_restore: 240 }\n",
    );
    let configs = build(dir.path());
    let agg1 = configs["agg1"].section("vpc domain ").unwrap();
    assert!(agg1.iter().any(|l| l == "auto-recovery reload-delay 600"));
    assert!(agg1.iter().any(|l| l == "delay restore 240"));
    let tor1a = configs["tor1a"].section("vpc domain ").unwrap();
    assert!(tor1a.iter().any(|l| l == "auto-recovery reload-delay 600"));
}

fn check(dir: &Path) -> (Option<i32>, String) {
    let out = liaison(&["check", dir.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn a_root_priority_that_would_not_win_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(
        dir.path(),
        "fabric.yml",
        "  stp: { root_priority: 16384, priority: 16384 }\n",
    );
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("E170"), "{report}");
    assert!(report.contains("fabric.yml:"), "{report}");

    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(dir.path(), "fabric.yml", "  stp: { root_priority: 5000 }\n");
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("multiple of 4096"), "{report}");
}

/// Layer-2 ports (and port-channels) by the VLANs they carry.
fn carried(port: &Port) -> BTreeSet<u16> {
    if let Some(allowed) = &port.allowed {
        return allowed.clone();
    }
    port.lines
        .iter()
        .filter_map(|l| l.strip_prefix("switchport access vlan "))
        .map(|v| v.parse().unwrap())
        .collect()
}

/// Every layer-2 port gets `mtu 9216` exactly when it carries a VLAN of
/// `jumbo`; routed ports never do.
fn assert_jumbo_path(configs: &BTreeMap<String, Config>, jumbo: &BTreeSet<u16>) -> usize {
    let mut count = 0;
    for (name, config) in configs {
        for (port, p) in &config.interfaces {
            if port.starts_with("Vlan") {
                continue;
            }
            let mtu: Vec<&String> = p.lines.iter().filter(|l| l.starts_with("mtu ")).collect();
            let needs = !carried(p).is_disjoint(jumbo);
            if needs {
                assert_eq!(mtu, ["mtu 9216"], "{name} {port}");
                count += 1;
            } else {
                assert!(mtu.is_empty(), "{name} {port}: {mtu:?}");
            }
        }
    }
    count
}

#[test]
fn jumbo_frames_run_end_to_end_on_the_example_storage_and_vmotion_segments() {
    let (_dir, configs) = example();
    // iscsi, vmotion, dev-vmotion
    let count = assert_jumbo_path(&configs, &[200, 300, 430].into());
    // Host ports, uplinks, peer-links and the storage array, on both sides.
    assert!(count > 90, "{count}");
    assert!(
        has(&configs["agg1"], "Ethernet1/20", "mtu 9216"),
        "the array"
    );
    assert!(
        has(&configs["agg1"], "port-channel53", "mtu 9216"),
        "peer-link"
    );
    assert!(!has(&configs["agg1"], "Ethernet1/49", "mtu 9216"), "routed");
}

#[test]
fn mtu_is_on_exactly_the_ports_on_the_path_of_a_jumbo_segment() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    // Only iSCSI (tor1, tor3, the aggregation pair) and the routed `app`.
    replace(
        dir.path(),
        "segments.yml",
        "routed: false, mtu: 9000 }",
        "routed: false }",
    );
    replace(
        dir.path(),
        "segments.yml",
        "routed: false, mtu: 9000 }",
        "routed: false }",
    );
    replace(
        dir.path(),
        "segments.yml",
        "{ name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: prod }",
        "{ name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: prod, mtu: 8000 }",
    );
    let configs = build(dir.path());
    assert_jumbo_path(&configs, &[200, 120].into());
    for tor in ["tor2a", "tor2b"] {
        assert!(
            !configs[tor].text.contains("mtu "),
            "{tor} carries no jumbo segment"
        );
    }
    assert!(
        !has(&configs["agg1"], "port-channel3", "mtu 9216"),
        "the uplink to tor2"
    );
    // The SVI takes its segment's MTU; the others keep the default.
    for agg in ["agg1", "agg2"] {
        assert!(has(&configs[agg], "Vlan120", "mtu 8000"), "{agg}");
        assert!(!configs[agg].interfaces["Vlan110"]
            .lines
            .iter()
            .any(|l| l.starts_with("mtu ")));
    }
}

#[test]
fn a_fabric_mtu_is_the_default_of_every_segment() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(dir.path(), "fabric.yml", "  mtu: 9000\n");
    let configs = build(dir.path());
    assert!(has(&configs["agg1"], "Vlan110", "mtu 9000"));
    assert!(has(&configs["tor2a"], "port-channel49", "mtu 9216"));
}

#[test]
fn an_mtu_no_switch_on_the_path_can_carry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "segments.yml",
        "mtu: 9000, description",
        "mtu: 9600, description",
    );
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("E171"), "{report}");
    assert!(report.contains("segment `iscsi`: MTU 9600"), "{report}");
    assert!(report.contains("segments.yml:"), "{report}");
    // No output for a refused inventory.
    let out = dir.path().join("__out");
    let result = liaison(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));

    // A gateway SVI cannot go below 576 on NX-OS.
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "segments.yml",
        "{ name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: prod }",
        "{ name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: prod, mtu: 500 }",
    );
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("E171"), "{report}");
    assert!(report.contains("at least 576"), "{report}");
}

/// Port-channel number → (has `vpc N`, member ports) of the port-channels
/// whose description starts with `label`.
fn bundles(config: &Config, label: &str) -> BTreeMap<u32, (bool, BTreeSet<String>)> {
    let mut out = BTreeMap::new();
    for (name, port) in config.ports_described(label) {
        if let Some(n) = name.strip_prefix("port-channel") {
            let n: u32 = n.parse().unwrap();
            let vpc = port.lines.iter().any(|l| l == &format!("vpc {n}"));
            let members = config
                .interfaces
                .iter()
                .filter(|(_, p)| p.channel_group == Some(n))
                .map(|(m, _)| m.clone())
                .collect();
            out.insert(n, (vpc, members));
        }
    }
    out
}

fn ports(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn one_bundle_per_interconnect_module_where_the_chassis_says_so() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "chassis.yml",
        "    interconnects: mlag\n    uplinks:\n      - { switch: tor2a, ports: [Ethernet1/1, Ethernet1/2] }\n      - { switch: tor2b, ports: [Ethernet1/1, Ethernet1/2] }\n",
        "    interconnects: independent\n    uplinks:\n      - { switch: tor2a, module: a, ports: [Ethernet1/1] }\n      - { switch: tor2b, module: a, ports: [Ethernet1/1] }\n      - { switch: tor2a, module: b, ports: [Ethernet1/2] }\n      - { switch: tor2b, module: b, ports: [Ethernet1/2] }\n",
    );
    let configs = build(dir.path());
    // enc3: modules a and b run LACP each on their own, each cabled to
    // both ToRs: one vPC per module, the same on both members.
    for tor in ["tor2a", "tor2b"] {
        let a = bundles(&configs[tor], "chassis enc3 module a");
        let b = bundles(&configs[tor], "chassis enc3 module b");
        assert_eq!(a.len(), 1, "{tor}: one bundle for module a");
        assert_eq!(b.len(), 1, "{tor}: one bundle for module b");
        let (na, (vpc_a, members_a)) = a.into_iter().next().unwrap();
        let (nb, (vpc_b, members_b)) = b.into_iter().next().unwrap();
        assert_ne!(na, nb);
        assert!(vpc_a && vpc_b, "{tor}: each module's bundle spans the pair");
        assert_eq!(members_a, ports(&["Ethernet1/1"]), "{tor}");
        assert_eq!(members_b, ports(&["Ethernet1/2"]), "{tor}");
    }
    // enc1: the modules form one multi-chassis LAG: one vPC over all four.
    for tor in ["tor1a", "tor1b"] {
        let all = bundles(&configs[tor], "chassis enc1");
        assert_eq!(all.len(), 1, "{tor}");
        let (vpc, members) = all.values().next().unwrap();
        assert!(*vpc);
        assert_eq!(members, &ports(&["Ethernet1/1", "Ethernet1/2"]));
    }
}

#[test]
fn a_chassis_that_does_not_say_gets_one_bundle_per_switch_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "chassis.yml",
        "    interconnects: mlag\n    uplinks:\n      - { switch: tor1a, ports: [Ethernet1/1",
        "    uplinks:\n      - { switch: tor1a, ports: [Ethernet1/1",
    );
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(0), "{report}");
    assert!(report.contains("W050"), "{report}");
    assert!(report.contains("chassis `enc1`"), "{report}");
    let configs = build(dir.path());
    for tor in ["tor1a", "tor1b"] {
        let own = bundles(&configs[tor], &format!("chassis enc1 to {tor}"));
        assert_eq!(own.len(), 1, "{tor}");
        let (vpc, members) = own.values().next().unwrap();
        assert!(!vpc, "{tor}: never one bundle across both modules");
        assert_eq!(members, &ports(&["Ethernet1/1", "Ethernet1/2"]));
        // Single-homed on a pair: suspended with the vPCs.
        for m in members {
            assert!(
                has(&configs[tor], m, "vpc orphan-port suspend"),
                "{tor} {m}"
            );
        }
    }
}

#[test]
fn uplinks_that_name_a_module_must_all_name_one() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "chassis.yml",
        "    interconnects: mlag\n    uplinks:\n      - { switch: tor2a, ports: [Ethernet1/1, Ethernet1/2] }\n",
        "    interconnects: independent\n    uplinks:\n      - { switch: tor2a, module: a, ports: [Ethernet1/1, Ethernet1/2] }\n",
    );
    let line_of = "{ switch: tor2b, ports: [Ethernet1/1, Ethernet1/2] }";
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "{report}");
    assert!(report.contains("E172"), "{report}");
    let text = std::fs::read_to_string(dir.path().join("chassis.yml")).unwrap();
    let line = 1 + text.lines().position(|l| l.contains(line_of)).unwrap();
    assert!(report.contains(&format!("chassis.yml:{line}:")), "{report}");
}

#[test]
fn the_storage_array_uses_multipathing_not_a_lag() {
    let (_dir, configs) = example();
    for (agg, controller) in [("agg1", "a"), ("agg2", "b")] {
        assert!(
            bundles(&configs[agg], "endpoint array1").is_empty(),
            "{agg}"
        );
        let port = &configs[agg].interfaces["Ethernet1/20"];
        assert!(port
            .description
            .starts_with(&format!("endpoint array1 controller {controller}:")));
        assert_eq!(port.channel_group, None);
        for line in [
            "spanning-tree bpduguard enable",
            "vpc orphan-port suspend",
            "mtu 9216",
        ] {
            assert!(has(&configs[agg], "Ethernet1/20", line), "{agg}: {line}");
        }
    }
}

/// The example with its storage array's controllers and `lag` replaced
/// by `with`.
fn array_with(with: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "endpoints.yml",
        "    controllers:\n      - { name: a, ports: [agg1:Ethernet1/20] }\n      - { name: b, ports: [agg2:Ethernet1/20] }\n    segments: [iscsi]\n    lag: none\n",
        &format!("    segments: [iscsi]\n{with}"),
    );
    dir
}

const CONTROLLER_PER_SWITCH: &str = "    controllers:\n      - { name: a, ports: [agg1:Ethernet1/20, agg1:Ethernet1/21] }\n      - { name: b, ports: [agg2:Ethernet1/20, agg2:Ethernet1/21] }\n";
const CONTROLLERS_ACROSS: &str = "    controllers:\n      - { name: a, ports: [agg1:Ethernet1/20, agg2:Ethernet1/20] }\n      - { name: b, ports: [agg1:Ethernet1/21, agg2:Ethernet1/21] }\n";

#[test]
fn each_storage_controller_bundles_its_own_ports() {
    // Controller A on agg1, B on agg2, two ports each: one port-channel
    // per controller on its switch, never a vPC across the controllers.
    let dir = array_with(&format!("{CONTROLLER_PER_SWITCH}    lag: lacp\n"));
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(0), "{report}");
    let configs = build(dir.path());
    for (agg, own, other) in [("agg1", "a", "b"), ("agg2", "b", "a")] {
        let mine = bundles(&configs[agg], &format!("endpoint array1 controller {own}"));
        assert_eq!(mine.len(), 1, "{agg}: {mine:?}");
        let (vpc, members) = mine.values().next().unwrap();
        assert!(!vpc, "{agg}: one controller is one switch's bundle");
        assert_eq!(members, &ports(&["Ethernet1/20", "Ethernet1/21"]));
        for m in members {
            // Single-homed on a pair: suspended with the vPCs.
            assert!(
                has(&configs[agg], m, "vpc orphan-port suspend"),
                "{agg} {m}"
            );
        }
        assert!(bundles(
            &configs[agg],
            &format!("endpoint array1 controller {other}")
        )
        .is_empty());
    }
    // Each controller cabled to both switches: one vPC per controller.
    let dir = array_with(&format!("{CONTROLLERS_ACROSS}    lag: lacp\n"));
    let configs = build(dir.path());
    for agg in ["agg1", "agg2"] {
        let a = bundles(&configs[agg], "endpoint array1 controller a");
        let b = bundles(&configs[agg], "endpoint array1 controller b");
        assert_eq!((a.len(), b.len()), (1, 1), "{agg}");
        let (na, (vpc_a, members_a)) = a.into_iter().next().unwrap();
        let (nb, (vpc_b, members_b)) = b.into_iter().next().unwrap();
        assert_ne!(na, nb);
        assert!(
            vpc_a && vpc_b,
            "{agg}: each controller's bundle spans the pair"
        );
        assert_eq!(members_a, ports(&["Ethernet1/20"]));
        assert_eq!(members_b, ports(&["Ethernet1/21"]));
    }
}

#[test]
fn controllers_that_form_one_lag_are_one_bundle() {
    let dir = array_with(&format!(
        "{CONTROLLERS_ACROSS}    lag: lacp\n    controllers_lag: mlag\n"
    ));
    let configs = build(dir.path());
    for agg in ["agg1", "agg2"] {
        let all = bundles(&configs[agg], "endpoint array1");
        assert_eq!(all.len(), 1, "{agg}: {all:?}");
        let (vpc, members) = all.values().next().unwrap();
        assert!(*vpc, "{agg}");
        assert_eq!(members, &ports(&["Ethernet1/20", "Ethernet1/21"]));
    }
}

#[test]
fn multipath_controllers_get_an_edge_port_each_named_after_its_controller() {
    // `lag: none` is the default: iSCSI multipathing.
    let dir = array_with(CONTROLLER_PER_SWITCH);
    let configs = build(dir.path());
    for (agg, own) in [("agg1", "a"), ("agg2", "b")] {
        assert!(bundles(&configs[agg], "endpoint array1").is_empty());
        for port in ["Ethernet1/20", "Ethernet1/21"] {
            let p = &configs[agg].interfaces[port];
            assert!(
                p.description
                    .starts_with(&format!("endpoint array1 controller {own}")),
                "{agg} {port}: {}",
                p.description
            );
            assert_eq!(p.channel_group, None);
            for line in [
                "spanning-tree port type edge trunk",
                "spanning-tree bpduguard enable",
                "vpc orphan-port suspend",
                "mtu 9216",
            ] {
                assert!(has(&configs[agg], port, line), "{agg} {port}: {line}");
            }
        }
    }
}

/// `check` fails with `code`, pointing at the line of endpoints.yml that
/// holds `text`.
fn assert_error_at(dir: &Path, code: &str, text: &str) {
    let (status, report) = check(dir);
    assert_eq!(status, Some(1), "{report}");
    assert!(report.contains(code), "{report}");
    let content = std::fs::read_to_string(dir.join("endpoints.yml")).unwrap();
    let line = 1 + content.lines().position(|l| l.contains(text)).unwrap();
    assert!(
        report.contains(&format!("endpoints.yml:{line}:")),
        "{code} at line {line}: {report}"
    );
}

#[test]
fn controller_mistakes_are_pointed_at() {
    // `ports` and `controllers` both: E173 at `controllers`.
    let dir = array_with("    ports: [agg1:Ethernet1/20]\n    controllers:\n      - { name: a, ports: [agg1:Ethernet1/21] }\n");
    assert_error_at(dir.path(), "E173", "controllers:");
    // A controller listed twice: E174 at the second.
    let dir = array_with("    controllers:\n      - { name: a, ports: [agg1:Ethernet1/20] }\n      - { name: a, ports: [agg2:Ethernet1/20] }\n");
    assert_error_at(dir.path(), "E174", "agg2:Ethernet1/20");
    // A controller bundled across switches that are not a pair: E102.
    let dir = array_with("    controllers:\n      - { name: a, ports: [agg1:Ethernet1/21, tor1a:Ethernet1/40] }\n      - { name: b, ports: [agg2:Ethernet1/21] }\n    lag: lacp\n");
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1), "{report}");
    assert!(
        report.contains("E102") && report.contains("controller `a`"),
        "{report}"
    );
    // `controllers_lag` where it decides nothing: W051.
    let dir = array_with(&format!(
        "{CONTROLLER_PER_SWITCH}    controllers_lag: mlag\n"
    ));
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(0), "{report}");
    assert!(
        report.contains("W051") && report.contains("multipath"),
        "{report}"
    );
}

//! Mobility properties, checked on the rendered configs read back: every
//! host port carries exactly its zone's VLANs, and inventory changes touch
//! only what they must.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

const PROD: [u16; 5] = [110, 120, 130, 200, 300];
const DEV: [u16; 3] = [410, 420, 430];

fn set(vlans: &[u16]) -> BTreeSet<u16> {
    vlans.iter().copied().collect()
}

fn example() -> (tempfile::TempDir, BTreeMap<String, Config>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    let configs = build(dir.path());
    (dir, configs)
}

#[test]
fn every_host_port_carries_exactly_its_zones_vlans() {
    let (_dir, configs) = example();
    // Blade chassis: the vPC and its members on both ToRs (enc3: one
    // vPC per interconnect module).
    for (tor, chassis, vlans, members) in [
        ("tor1a", "chassis enc1", set(&PROD), 2),
        ("tor1b", "chassis enc2", set(&PROD), 2),
        ("tor2a", "chassis enc3", set(&DEV), 2),
    ] {
        let ports = configs[tor].ports_described(chassis);
        assert_eq!(
            ports.len(),
            1 + members,
            "{tor}: port-channel + {members} members for {chassis}"
        );
        for (name, port) in ports {
            assert_eq!(port.allowed.as_ref(), Some(&vlans), "{tor} {name}");
        }
    }
    // Rack servers, bundled and independent.
    for host in ["kvm01", "kvm04", "kvm06"] {
        for tor in ["tor3a", "tor3b"] {
            let ports = configs[tor].ports_described(&format!("host {host}"));
            assert!(!ports.is_empty(), "{host} on {tor}");
            for (name, port) in ports {
                assert_eq!(port.allowed.as_ref(), Some(&set(&PROD)), "{tor} {name}");
            }
        }
    }
    // No trunk anywhere carries a VLAN nothing below it needs: tor2 has no
    // production hosts, so no production VLAN.
    for tor in ["tor2a", "tor2b"] {
        assert_eq!(configs[tor].vlans, set(&DEV));
    }
}

#[test]
fn uplinks_and_peer_links_carry_the_union_below() {
    let (_dir, configs) = example();
    let agg = &configs["agg1"];
    let by_desc = |desc: &str| {
        agg.interfaces
            .values()
            .find(|p| p.description == desc)
            .unwrap()
            .allowed
            .clone()
    };
    assert_eq!(by_desc("link to tor1a/tor1b"), Some(set(&PROD)));
    assert_eq!(by_desc("link to tor2a/tor2b"), Some(set(&DEV)));
    let all: BTreeSet<u16> = PROD.iter().chain(DEV.iter()).copied().collect();
    // The peer-link also carries the pair's backup-path VLANs
    // (`tests/gateway_redundancy.rs`), from `fabric.transit.first_vlan`.
    let peer_link: BTreeSet<u16> = by_desc("vpc peer-link to agg2")
        .unwrap()
        .into_iter()
        .filter(|v| *v < 3900)
        .collect();
    assert_eq!(peer_link, all);
    // The storage array's ports carry only storage.
    let array = agg.ports_described("endpoint array1 controller a");
    assert!(!array.is_empty());
    assert!(array.iter().all(|(_, p)| p.allowed == Some(set(&[200]))));
}

#[test]
fn moving_a_host_to_another_zone_moves_its_vlans() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "hosts.yml",
        "name: kvm04, zone: prod",
        "name: kvm04, zone: dev",
    );
    // dev has no storage: tor3 may carry it (only_on lists tor3).
    let configs = build(dir.path());
    for tor in ["tor3a", "tor3b"] {
        for (name, port) in configs[tor].ports_described("host kvm04") {
            assert_eq!(port.allowed.as_ref(), Some(&set(&DEV)), "{tor} {name}");
        }
        // kvm05 stays in prod.
        for (_, port) in configs[tor].ports_described("host kvm05") {
            assert_eq!(port.allowed.as_ref(), Some(&set(&PROD)));
        }
    }
}

/// Lines that differ between two builds, per switch.
fn changed(
    before: &BTreeMap<String, Config>,
    after: &BTreeMap<String, Config>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (switch, config) in after {
        let old = before
            .get(switch)
            .map(|c| c.interfaces.clone())
            .unwrap_or_default();
        let mut names = BTreeSet::new();
        for (name, port) in &config.interfaces {
            if old.get(name) != Some(port) {
                names.insert(name.clone());
            }
        }
        for name in old.keys() {
            if !config.interfaces.contains_key(name) {
                names.insert(name.clone());
            }
        }
        if before.get(switch).map(|c| &c.vlans) != Some(&config.vlans) {
            names.insert("vlans".to_string());
        }
        if !names.is_empty() {
            out.insert(switch.clone(), names);
        }
    }
    out
}

/// Builds the example with one more host line; returns what changed and
/// the new configs.
fn add_host(line: &str) -> (BTreeMap<String, BTreeSet<String>>, BTreeMap<String, Config>) {
    let (dir, before) = example();
    append(dir.path(), "hosts.yml", line);
    let after = build(dir.path());
    (changed(&before, &after), after)
}

#[test]
fn adding_a_host_where_its_zone_already_is_changes_only_its_port() {
    let (diff, after) = add_host("  - { name: kvm20, zone: prod, nics: [tor1a:Ethernet1/30] }\n");
    assert_eq!(
        diff,
        BTreeMap::from([("tor1a".to_string(), set_of(&["Ethernet1/30"]))])
    );
    assert_eq!(
        after["tor1a"].interfaces["Ethernet1/30"].allowed,
        Some(set(&PROD))
    );
}

fn set_of(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn adding_a_host_of_a_new_zone_extends_only_its_path_to_the_gateways() {
    let (diff, after) = add_host("  - { name: kvm21, zone: dev, nics: [tor3a:Ethernet1/30] }\n");
    // tor3 pair: the new port, the VLAN set, the peer-link and the uplink
    // vPC (port-channel + members); agg pair: the downlink to tor3 and the
    // peer-link already carries dev. Nothing else anywhere.
    assert_eq!(
        diff.keys().cloned().collect::<Vec<_>>(),
        ["agg1", "agg2", "tor3a", "tor3b"]
    );
    assert_eq!(
        diff["tor3a"],
        set_of(&[
            "Ethernet1/30",
            "Ethernet1/49",
            "Ethernet1/50",
            "Ethernet1/53",
            "Ethernet1/54",
            "port-channel49",
            "port-channel53",
            "vlans"
        ])
    );
    assert_eq!(
        diff["tor3b"],
        set_of(&[
            "Ethernet1/49",
            "Ethernet1/50",
            "Ethernet1/53",
            "Ethernet1/54",
            "port-channel49",
            "port-channel53",
            "vlans"
        ])
    );
    for agg in ["agg1", "agg2"] {
        assert_eq!(
            diff[agg],
            set_of(&["Ethernet1/5", "Ethernet1/6", "port-channel5"]),
            "{agg}"
        );
    }
    let both: BTreeSet<u16> = PROD.iter().chain(DEV.iter()).copied().collect();
    assert_eq!(
        after["agg1"].interfaces["port-channel5"].allowed,
        Some(both)
    );
}

/// Every switch's filters: object-groups, ACLs and their SVI bindings.
fn filters(configs: &BTreeMap<String, Config>) -> BTreeMap<String, nxos_acl::Filters> {
    configs
        .iter()
        .map(|(name, c)| (name.clone(), nxos_acl::parse(&c.text)))
        .collect()
}

#[test]
fn moving_or_adding_a_host_changes_no_acl() {
    let (dir, before) = example();
    // kvm04 moves from tor3 to tor1; a new production host arrives on tor3.
    replace(
        dir.path(),
        "hosts.yml",
        "name: kvm04, zone: prod, nics: [tor3a:Ethernet1/14, tor3b:Ethernet1/14]",
        "name: kvm04, zone: prod, nics: [tor1a:Ethernet1/40, tor1b:Ethernet1/40]",
    );
    append(
        dir.path(),
        "hosts.yml",
        "  - { name: kvm30, zone: prod, nics: [tor3a:Ethernet1/30, tor3b:Ethernet1/30] }\n",
    );
    let after = build(dir.path());
    // The edits took effect on the ports ...
    assert!(!after["tor1a"].ports_described("host kvm04").is_empty());
    assert!(after["tor3a"].ports_described("host kvm04").is_empty());
    assert!(!after["tor3a"].ports_described("host kvm30").is_empty());
    // ... and not one ACL, object-group or binding changed anywhere.
    let (old, new) = (filters(&before), filters(&after));
    assert!(!old["agg1"].acls.is_empty(), "the example has ACLs");
    assert_eq!(old, new);
}

#[test]
fn guardrail_conflicts_refuse_the_build() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    // A production host below tor2, where storage may not go.
    append(
        dir.path(),
        "hosts.yml",
        "  - { name: kvm22, zone: prod, nics: [tor2a:Ethernet1/30] }\n",
    );
    let out = dir.path().join("out");
    let result = liaison(&[
        "build",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("error[E091]"), "{stderr}");
    assert!(
        stderr.contains("host `kvm22`") && stderr.contains("`tor2a`") && stderr.contains("`iscsi`"),
        "{stderr}"
    );
    assert!(!out.exists());
}

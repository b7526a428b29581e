//! One mistake, one error: a value that fails to decode is reported once,
//! and nothing that only follows from it (the names its entry defined, the
//! pair it made, the VRF it was in) is reported again. Each mutation of
//! the example inventory must give exactly one error, with its code, at
//! the mutated line, exit code 1, and `build` must write nothing.

mod common;

use common::{assert_build_writes_nothing, example_copy, liaison, replace};
use serde_json::Value;
use std::path::Path;

/// One edit of the example: in `file`, the first `from` becomes `to`,
/// which must then be on one line only, where the error is.
struct Mutation {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
}

const fn m(
    file: &'static str,
    from: &'static str,
    to: &'static str,
    code: &'static str,
) -> Mutation {
    Mutation {
        file,
        from,
        to,
        code,
    }
}

const MUTATIONS: &[Mutation] = &[
    // A bad VLAN value: the segment is dropped but still defines `web`.
    m("segments.yml", "vlan: 110,", "vlan: \"10a\",", "E004"),
    m("segments.yml", "vlan: 120,", "vlan: x,", "E004"),
    // An unknown role or platform: the switch still defines `tor1a`.
    m("switches.yml", "role: tor,", "role: leaf,", "E011"),
    m(
        "switches.yml",
        "platform: nxos, model: N9K-C93180YC-FX, mgmt: 192.0.2.21",
        "platform: ios, model: N9K-C93180YC-FX, mgmt: 192.0.2.21",
        "E011",
    ),
    // Zones: a bad zone name, a bad member, a host's bad zone.
    m("segments.yml", "name: prod", "name: Prod", "E010"),
    m(
        "segments.yml",
        "segments: [web, app",
        "segments: [Web, app",
        "E010",
    ),
    m(
        "hosts.yml",
        "name: esx01, zone: prod,",
        "name: esx01, zone: Prod,",
        "E010",
    ),
    // Segments: a bad subnet, VRF, name, tag, MTU.
    m(
        "segments.yml",
        "subnet: 10.1.10.0/24",
        "subnet: 10.1.10.0/33",
        "E030",
    ),
    m(
        "segments.yml",
        "subnet: 10.1.20.0/24",
        "subnet: 10.1.20.x/24",
        "E030",
    ),
    m("segments.yml", "vrf: prod, tags", "vrf: Prod, tags", "E010"),
    m("segments.yml", "name: web,", "name: Web,", "E010"),
    m(
        "segments.yml",
        "tags: [internet-facing]",
        "tags: [Internet-facing]",
        "E010",
    ),
    m(
        "segments.yml",
        "mtu: 9000, description: \"iSCSI",
        "mtu: jumbo, description: \"iSCSI",
        "E004",
    ),
    // Bad port names wherever a port is written.
    m(
        "hosts.yml",
        "nics: [tor3a:Ethernet1/11,",
        "nics: [tor3a:Ethernet1/11x,",
        "E051",
    ),
    m(
        "switches.yml",
        "[tor1a:Ethernet1/53, tor1b:Ethernet1/53]",
        "[tor1a:Ethernet1/53x, tor1b:Ethernet1/53]",
        "E051",
    ),
    m(
        "chassis.yml",
        "ports: [Ethernet1/1, Ethernet1/2]",
        "ports: [Ethernet1/1, Eth1/2x]",
        "E051",
    ),
    m(
        "endpoints.yml",
        "ports: [agg1:Ethernet1/20] }",
        "ports: [agg1:Ethernet1/20x] }",
        "E051",
    ),
    m(
        "endpoints.yml",
        "port: Ethernet1/49, address: 192.0.2.101",
        "port: Ethernet1/49x, address: 192.0.2.101",
        "E051",
    ),
    // External links: the VRF's way out is unknown, not missing (E151).
    m(
        "endpoints.yml",
        "next_hop: 192.0.2.106, vrf: dev",
        "next_hop: 192.0.2.106, vrf: Dev",
        "E010",
    ),
    m(
        "endpoints.yml",
        "address: 192.0.2.105/31",
        "address: 192.0.2.105",
        "E011",
    ),
    // Switch fields: a misspelt key, a bad pair, keepalive, mgmt.
    m("switches.yml", "pair: agg2 }", "pairr: agg2 }", "E003"),
    m("switches.yml", "pair: tor1b,", "pair: \"tor1 b\",", "E010"),
    m(
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: 192.0.2.12, keepalive: 192.0.2.300 }",
        "E011",
    ),
    m(
        "switches.yml",
        "mgmt: 192.0.2.21,",
        "mgmt: \"192.0.2.21 x\",",
        "E011",
    ),
    m(
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: \"192.0.2.12:abc\" }",
        "E157",
    ),
    // Chassis, hosts, policy, services, fabric.
    m("chassis.yml", "name: enc1", "name: Enc1", "E010"),
    m(
        "hosts.yml",
        "Ethernet1/11], lag: lacp",
        "Ethernet1/11], lag: lacpp",
        "E011",
    ),
    m(
        "hosts.yml",
        "chassis: enc1, bay: 1 }",
        "chassis: enc1, bay: x }",
        "E004",
    ),
    m(
        "policy.yml",
        "postgres: [tcp/5432]",
        "postgres: [tcpp/5432]",
        "E070",
    ),
    m(
        "policy.yml",
        "postgres: [tcp/5432]",
        "Postgres: [tcp/5432]",
        "E010",
    ),
    m("policy.yml", "to: db, allow", "to: Db, allow", "E010"),
    m(
        "fabric.yml",
        "gateway_role: aggregation",
        "gateway_role: agg",
        "E011",
    ),
    m(
        "fabric.yml",
        "first_vlan: 3900",
        "first_vlan: 39000",
        "E011",
    ),
];

/// The 1-based line of `file` in `inventory` holding `needle`.
fn line_of(inventory: &Path, file: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(inventory.join(file)).unwrap();
    common::line_of(&text, needle) as u64
}

/// The error diagnostics of `check --format json`, and its exit code.
fn errors(inventory: &Path) -> (Vec<Value>, Option<i32>) {
    let check = liaison(&["check", "--format", "json", inventory.to_str().unwrap()]);
    let report: Value = serde_json::from_slice(&check.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&check.stderr)));
    let errors = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .cloned()
        .collect();
    (errors, check.status.code())
}

#[test]
fn the_example_has_no_errors() {
    let (_tmp, inventory) = example_copy();
    let (errors, code) = errors(&inventory);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(code, Some(0));
}

#[test]
fn each_mutation_gives_exactly_one_error() {
    for mutation in MUTATIONS {
        let (_tmp, inventory) = example_copy();
        replace(&inventory, mutation.file, mutation.from, mutation.to);
        let line = line_of(&inventory, mutation.file, mutation.to);
        let (errors, code) = errors(&inventory);
        let what = format!("{} `{}` → `{}`", mutation.file, mutation.from, mutation.to);
        assert_eq!(errors.len(), 1, "{what}: {errors:#?}");
        let error = &errors[0];
        assert_eq!(error["code"], mutation.code, "{what}: {error:#?}");
        let file = inventory.join(mutation.file);
        assert_eq!(error["file"], file.to_str().unwrap(), "{what}");
        assert_eq!(error["line"], line, "{what}: {error:#?}");
        assert_eq!(code, Some(1), "{what}");
        assert_build_writes_nothing(&inventory);
    }
}

/// Every switch of the example with an unknown role, and every segment
/// with a VLAN that is not a number: one error each, wherever the entry
/// sits in the fabric (a gateway, a ToR with blades, a segment in policy
/// rules and guardrails).
#[test]
fn every_entry_with_a_bad_value_gives_one_error() {
    let (_tmp, example) = example_copy();
    let mut cases: Vec<(&str, String, String)> = Vec::new();
    for (file, key, bad) in [
        ("switches.yml", "role: ", "role: leaf,"),
        ("segments.yml", "vlan: ", "vlan: \"1x\","),
    ] {
        let text = std::fs::read_to_string(example.join(file)).unwrap();
        for line in text.lines().filter(|l| l.contains(key)) {
            let start = line.find(key).unwrap();
            let end = start + line[start..].find(',').unwrap() + 1;
            let (before, after) = (&line[..start], &line[end..]);
            cases.push((file, line.to_string(), format!("{before}{bad}{after}")));
        }
    }
    assert!(cases.len() >= 16, "{}", cases.len());
    for (file, from, to) in &cases {
        let (_tmp, inventory) = example_copy();
        replace(&inventory, file, from, to);
        let (errors, code) = errors(&inventory);
        assert_eq!(errors.len(), 1, "{file}: `{to}`: {errors:#?}");
        assert_eq!(code, Some(1));
    }
}

/// Suppression hides only what follows from the reported mistake: a
/// second, separate mistake is still reported (a dropped `tor1a` does not
/// excuse a reference to a switch that never existed, nor a VLAN used
/// twice).
#[test]
fn a_second_mistake_is_still_reported() {
    let (_tmp, inventory) = example_copy();
    replace(&inventory, "switches.yml", "role: tor,", "role: leaf,");
    replace(
        &inventory,
        "hosts.yml",
        "nics: [tor3a:Ethernet1/12,",
        "nics: [tor9z:Ethernet1/12,",
    );
    replace(&inventory, "segments.yml", "vlan: 110,", "vlan: x,");
    replace(&inventory, "segments.yml", "vlan: 130,", "vlan: 120,");
    let (errors, code) = errors(&inventory);
    let codes: Vec<&str> = errors.iter().map(|e| e["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["E004", "E011", "E022", "E040"], "{errors:#?}");
    let unknown = errors.iter().find(|e| e["code"] == "E040").unwrap();
    assert!(
        unknown["message"].as_str().unwrap().contains("`tor9z`"),
        "{unknown:#?}"
    );
    assert_eq!(code, Some(1));
}

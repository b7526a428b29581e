//! Breakout ports and stable port-channel numbers, as a user meets them:
//! hosts added on breakout lanes never renumber the bundles of existing
//! hosts, breakout needs the switch's `breakout:` setting (rendered as
//! NX-OS `interface breakout`), and a port is either whole or broken out.

mod common;

use common::*;
use std::path::Path;

const TOR3A: &str = "mgmt: 192.0.2.25, pair: tor3b }";
const TOR3B: &str = "mgmt: 192.0.2.26 }";

fn break_out(inventory: &Path, map: &str) {
    replace(
        inventory,
        "switches.yml",
        TOR3A,
        &format!(
            "mgmt: 192.0.2.25, pair: tor3b, breakout: [{{ port: Ethernet1/10, map: {map} }}] }}"
        ),
    );
    replace(
        inventory,
        "switches.yml",
        TOR3B,
        &format!("mgmt: 192.0.2.26, breakout: [{{ port: Ethernet1/10, map: {map} }}] }}"),
    );
}

fn add_hosts(inventory: &Path, lanes: &[&str]) {
    for (i, lane) in lanes.iter().enumerate() {
        append(
            inventory,
            "hosts.yml",
            &format!(
                "  - {{ name: kvm9{i}, zone: prod, nics: [tor3a:{lane}, tor3b:{lane}], lag: lacp }}\n"
            ),
        );
    }
}

/// The port-channel of each host `kvm0N` on tor3a.
fn bundles(configs: &std::collections::BTreeMap<String, Config>) -> Vec<(String, Option<u32>)> {
    let tor3a = &configs["tor3a"];
    tor3a
        .interfaces
        .iter()
        .filter(|(name, _)| name.starts_with("Ethernet"))
        .map(|(_, port)| (port.description.clone(), port.channel_group))
        .filter(|(d, _)| d.starts_with("host "))
        .collect()
}

/// check fails with `errors` errors, all `code`, one holding `message`
/// (one per switch); build writes nothing.
fn refused(inventory: &Path, errors: usize, code: &str, message: &str) -> String {
    let check = liaison(&["check", inventory.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("error[{code}]: {message}")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), errors, "{stderr}");
    assert_eq!(
        stderr.matches(&format!("error[{code}]")).count(),
        errors,
        "{stderr}"
    );
    assert!(
        stderr.contains("hosts.yml:") || stderr.contains("switches.yml:"),
        "{stderr}"
    );
    assert_build_writes_nothing(inventory);
    stderr
}

#[test]
fn hosts_added_on_breakout_lanes_renumber_nothing() {
    let (tmp, inventory) = example_copy();
    let before = build(&inventory);
    let before_dir = tmp.path().join("before");
    assert!(liaison(&[
        "build",
        inventory.to_str().unwrap(),
        "-o",
        before_dir.to_str().unwrap()
    ])
    .status
    .success());

    break_out(&inventory, "10g-4x");
    add_hosts(&inventory, &["Ethernet1/10/1", "Ethernet1/10/2"]);
    let after = build(&inventory);

    let old: Vec<_> = bundles(&before);
    assert!(
        old.iter()
            .any(|(d, pc)| d == "host kvm01" && *pc == Some(11)),
        "{old:?}"
    );
    let new = bundles(&after);
    for bundle in &old {
        assert!(new.contains(bundle), "{bundle:?} moved: {new:?}");
    }
    assert!(
        new.contains(&("host kvm90".to_string(), Some(1101))),
        "{new:?}"
    );
    assert!(
        new.contains(&("host kvm91".to_string(), Some(1102))),
        "{new:?}"
    );
    for switch in ["tor3a", "tor3b"] {
        let text = &after[switch].text;
        assert!(
            text.contains("\ninterface breakout module 1 port 10 map 10g-4x\n"),
            "{switch}:\n{text}"
        );
        assert!(text.contains("interface Ethernet1/10/1\n"), "{text}");
    }
    assert!(!after["tor2a"].text.contains("interface breakout"));

    // The plan from the old configs touches no existing host's bundle.
    let plan = liaison(&[
        "plan",
        inventory.to_str().unwrap(),
        "--running",
        before_dir.to_str().unwrap(),
        "--device",
        "tor3a",
        "--format",
        "commands",
    ]);
    let commands = String::from_utf8_lossy(&plan.stdout);
    assert_eq!(
        plan.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    assert!(!commands.contains("no channel-group"), "{commands}");
    assert!(
        !commands.contains("interface port-channel11\n"),
        "{commands}"
    );
    assert!(
        commands.contains("interface port-channel1101\n"),
        "{commands}"
    );
}

#[test]
fn a_lane_of_a_port_that_is_not_broken_out_is_refused() {
    let (_tmp, inventory) = example_copy();
    add_hosts(&inventory, &["Ethernet1/10/1", "Ethernet1/10/2"]);
    // One error per switch, not per lane.
    let stderr = refused(
        &inventory,
        2,
        "E138",
        "tor3a:Ethernet1/10/1 is a breakout lane, but `tor3a` does not break out Ethernet1/10",
    );
    assert!(
        stderr.contains("add `breakout: [{ port: Ethernet1/10, map: 10g-4x }]` to switch `tor3a`"),
        "{stderr}"
    );
}

#[test]
fn a_port_used_whole_and_as_a_lane_is_refused() {
    let (_tmp, inventory) = example_copy();
    // kvm01 uses Ethernet1/11 of tor3a and tor3b.
    append(
        &inventory,
        "hosts.yml",
        "  - { name: kvm90, zone: prod, nics: [tor3a:Ethernet1/11/1] }\n",
    );
    refused(
        &inventory,
        1,
        "E139",
        "tor3a:Ethernet1/11 is used whole and as lane Ethernet1/11/1: a port is either broken out or not",
    );
}

#[test]
fn the_whole_port_of_a_broken_out_port_is_refused() {
    let (_tmp, inventory) = example_copy();
    break_out(&inventory, "10g-4x");
    append(
        &inventory,
        "hosts.yml",
        "  - { name: kvm90, zone: prod, nics: [tor3a:Ethernet1/10] }\n",
    );
    refused(
        &inventory,
        1,
        "E139",
        "tor3a:Ethernet1/10 is broken out (10g-4x): the whole port does not exist, only its lanes",
    );
}

#[test]
fn a_lane_the_map_does_not_have_is_refused() {
    let (_tmp, inventory) = example_copy();
    break_out(&inventory, "50g-2x");
    add_hosts(&inventory, &["Ethernet1/10/3"]);
    refused(
        &inventory,
        2,
        "E138",
        "tor3a:Ethernet1/10/3: the port is broken out as 50g-2x, which has lanes 1-2",
    );
}

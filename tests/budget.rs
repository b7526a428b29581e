//! Hardware budgets: a fabric just under each limit passes, just over it
//! fails with the switch, resource, numbers and source. Expected usage is
//! counted by hand from the example inventory (see the comments), not read
//! from the tool.

mod common;

use common::*;
use std::path::Path;

/// tor1a of the example: port-channels to enc1, enc2 (vPCs), the uplink
/// vPC to agg1/agg2 and the peer-link: 4 layer-2 ports, each carrying the 5
/// prod VLANs. 38 prod hosts (32 blades + 6 KVM).
const TOR1A_MST: &[(&str, u64)] = &[
    ("vlans", 6),             // 5 prod VLANs + VLAN 1
    ("mst_logical_ports", 8), // 4 ports x (CIST + instance 1)
    ("mst_instances", 1),
    ("mac_addresses", 5_700), // 5 VLANs x 38 hosts x 30 VMs x 1 vNIC
    ("port_channels", 4),
    ("vpcs", 3), // the peer-link is not a vPC
];
const TOR1A_RPVST: &[(&str, u64)] = &[
    ("rpvst_logical_ports", 20), // 4 ports x 5 VLANs
    ("rpvst_vlans", 6),
];

/// The example with tor1a's model replaced by `lab`, whose `resource`
/// limit is `limit`.
fn example_with_limit(dir: &Path, resource: &str, limit: u64, rapid_pvst: bool) {
    copy_inventory("example", dir);
    replace(
        dir,
        "switches.yml",
        "name: tor1a, role: tor, platform: nxos, model: N9K-C93180YC-FX",
        "name: tor1a, role: tor, platform: nxos, model: lab",
    );
    if rapid_pvst {
        replace(
            dir,
            "fabric.yml",
            "  gateway_role: aggregation\n",
            "  gateway_role: aggregation\n  stp: rapid-pvst\n",
        );
    }
    append(
        dir,
        "limits.yml",
        &format!(
            "platform_limits:\n  - model: lab\n    source: \"lab test sheet\"\n    {resource}: {limit}\n"
        ),
    );
}

fn check(dir: &Path) -> (Option<i32>, String) {
    let out = liaison(&["check", dir.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn just_under_each_limit_passes_and_just_over_fails_with_the_numbers() {
    for (resources, rapid_pvst) in [(TOR1A_MST, false), (TOR1A_RPVST, true)] {
        for (resource, used) in resources {
            let under = tempfile::tempdir().unwrap();
            example_with_limit(under.path(), resource, *used, rapid_pvst);
            let (code, stderr) = check(under.path());
            assert_eq!(
                code,
                Some(0),
                "{resource} at exactly {used} must pass:\n{stderr}"
            );
            assert!(!stderr.contains("error[E120]"), "{stderr}");

            let over = tempfile::tempdir().unwrap();
            example_with_limit(over.path(), resource, used - 1, rapid_pvst);
            let (code, stderr) = check(over.path());
            assert_eq!(code, Some(1), "{resource} over by one must fail:\n{stderr}");
            let needle = format!("switch `tor1a` needs {used} ");
            let line = stderr
                .lines()
                .find(|l| l.contains("error[E120]") && l.contains(&needle))
                .unwrap_or_else(|| panic!("no E120 for {resource} at {used}:\n{stderr}"));
            assert!(line.contains(&format!("holds {}", used - 1)), "{line}");
            assert!(line.contains("source: lab test sheet"), "{line}");
            assert!(
                stderr.contains("switches.yml:4:"),
                "points at tor1a's model:\n{stderr}"
            );
        }
    }
}

#[test]
fn nearing_a_limit_warns() {
    let dir = tempfile::tempdir().unwrap();
    // 5,700 MACs of 7,000 is 81 %: over the 75 % default warning.
    example_with_limit(dir.path(), "mac_addresses", 7_000, false);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[W021]: switch `tor1a` uses 81% of its MAC addresses"),
        "{stderr}"
    );
    assert!(stderr.contains("most from zone prod"), "{stderr}");
}

#[test]
fn what_if_hosts_adds_to_the_mac_budget() {
    // 38 prod hosts + 562 = 600 hosts x 5 VLANs x 30 = 90,000 MACs on tor1a
    // (under 92,000); agg1 also carries dev: 90,000 + 1,080 = 91,080.
    let fits = liaison(&[
        "check",
        "inventories/example",
        "--what-if-hosts",
        "prod=562",
    ]);
    assert_eq!(
        fits.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fits.stderr)
    );
    // 10 more hosts: 610 x 150 = 91,500 on tor1a, 92,580 on agg1: over.
    let over = liaison(&[
        "check",
        "inventories/example",
        "--what-if-hosts",
        "prod=572",
    ]);
    assert_eq!(over.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&over.stderr);
    assert!(
        stderr.contains("switch `agg1` needs 92580 MAC addresses"),
        "{stderr}"
    );
    assert!(!stderr.contains("switch `tor1a` needs"), "{stderr}");
}

#[test]
fn unknown_models_warn_that_defaults_are_used() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "switches.yml",
        "name: tor2a, role: tor, platform: nxos, model: N9K-C93180YC-FX",
        "name: tor2a, role: tor, platform: nxos, model: N9K-NEW-1",
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[W020]: model `N9K-NEW-1` (switches tor2a)"),
        "{stderr}"
    );
}

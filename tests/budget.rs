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
    // 38 hosts x 30 VMs x 1 vNIC, once however many prod VLANs there are;
    // + web, app, db: agg1's and agg2's router MACs and the HSRP virtual
    // MAC (9); + array1's two ports in iscsi (2).
    ("mac_addresses", 1_151),
    ("port_channels", 4),
    ("vpcs", 3), // the peer-link is not a vPC
];
const TOR1A_RPVST: &[(&str, u64)] = &[
    ("rpvst_logical_ports", 20), // 4 ports x 5 VLANs
    ("rpvst_vlans", 6),
];
/// agg1, the gateway of both zones.
const AGG1: &[(&str, u64)] = &[
    // (38 prod + 12 dev hosts) x 30 VMs; + agg2's address in the 5 routed
    // segments; + the next hops of its 2 external links.
    ("arp_entries", 1_507),
    // 5 ACLs bound out; tests/tcam.rs checks how entries are counted.
    ("acl_tcam_egress_entries", 292),
    ("acl_tcam_entries", 162),
];

/// The example with `switch`'s model replaced by `lab`, whose `resource`
/// limit is `limit`.
fn example_with_limit(dir: &Path, switch: &str, resource: &str, limit: u64, rapid_pvst: bool) {
    copy_inventory("example", dir);
    let role = if switch.starts_with("agg") {
        "aggregation"
    } else {
        "tor"
    };
    replace(
        dir,
        "switches.yml",
        &format!("name: {switch}, role: {role}, platform: nxos, model: N9K-C93180YC-FX"),
        &format!("name: {switch}, role: {role}, platform: nxos, model: lab"),
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

/// `count` more layer-2 segments (no gateway, so no gateway MACs) in zone prod.
fn more_prod_vlans(dir: &Path, count: u16) {
    let names: Vec<String> = (0..count).map(|i| format!("l2-{i}")).collect();
    replace(
        dir,
        "segments.yml",
        "segments: [web, app, db, iscsi, vmotion]",
        &format!(
            "segments: [web, app, db, iscsi, vmotion, {}]",
            names.join(", ")
        ),
    );
    let mut text = String::new();
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "  - {{ name: {name}, vlan: {}, routed: false }}\n",
            1000 + i
        ));
    }
    append(dir, "segments.yml", &text);
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
    for (switch, resources, rapid_pvst) in [
        ("tor1a", TOR1A_MST, false),
        ("tor1a", TOR1A_RPVST, true),
        ("agg1", AGG1, false),
    ] {
        for (resource, used) in resources {
            let under = tempfile::tempdir().unwrap();
            example_with_limit(under.path(), switch, resource, *used, rapid_pvst);
            let (code, stderr) = check(under.path());
            assert_eq!(
                code,
                Some(0),
                "{resource} at exactly {used} must pass:\n{stderr}"
            );
            assert!(!stderr.contains("error[E120]"), "{stderr}");

            let over = tempfile::tempdir().unwrap();
            example_with_limit(over.path(), switch, resource, used - 1, rapid_pvst);
            let (code, stderr) = check(over.path());
            assert_eq!(code, Some(1), "{resource} over by one must fail:\n{stderr}");
            let needle = format!("switch `{switch}` needs {used} ");
            let line = stderr
                .lines()
                .find(|l| l.contains("error[E120]") && l.contains(&needle))
                .unwrap_or_else(|| panic!("no E120 for {resource} at {used}:\n{stderr}"));
            assert!(line.contains(&format!("holds {}", used - 1)), "{line}");
            assert!(line.contains("source: lab test sheet"), "{line}");
            let line_of_switch = if switch == "agg1" { 2 } else { 4 };
            assert!(
                stderr.contains(&format!("switches.yml:{line_of_switch}:")),
                "points at {switch}'s model:\n{stderr}"
            );
        }
    }
}

#[test]
fn nearing_a_limit_warns() {
    let dir = tempfile::tempdir().unwrap();
    // 1,151 MACs of 1,400 is 82 %: over the 75 % default warning.
    example_with_limit(dir.path(), "tor1a", "mac_addresses", 1_400, false);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[W021]: switch `tor1a` uses 82% of its MAC addresses"),
        "{stderr}"
    );
    assert!(
        stderr.contains("most from zone prod (1140 MACs)"),
        "{stderr}"
    );
}

#[test]
fn macs_count_each_vnic_once_however_many_vlans_the_zone_has() {
    // 100 more prod VLANs (layer 2: no gateway MACs) leave tor1a's MAC
    // budget at 1,151, just under and just over it as with 5 VLANs.
    for (limit, passes) in [(1_151, true), (1_150, false)] {
        let dir = tempfile::tempdir().unwrap();
        example_with_limit(dir.path(), "tor1a", "mac_addresses", limit, false);
        more_prod_vlans(dir.path(), 100);
        let (code, stderr) = check(dir.path());
        if passes {
            assert_eq!(code, Some(0), "{stderr}");
        } else {
            assert_eq!(code, Some(1), "{stderr}");
            assert!(
                stderr.contains(
                    "switch `tor1a` needs 1151 MAC addresses but its model lab holds 1150"
                ),
                "{stderr}"
            );
        }
    }
    // The VLAN budget does grow with them: 105 prod VLANs + VLAN 1.
    let dir = tempfile::tempdir().unwrap();
    example_with_limit(dir.path(), "tor1a", "vlans", 105, false);
    more_prod_vlans(dir.path(), 100);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("switch `tor1a` needs 106 VLANs"),
        "{stderr}"
    );
}

#[test]
fn what_if_hosts_adds_to_the_mac_and_arp_budgets() {
    // agg1's ARP table (64,000) is the first to fill: 1,507 + 30 per host.
    // 2,083 more prod hosts: 1,507 + 62,490 = 63,997 fits.
    let fits = liaison(&[
        "check",
        "inventories/example",
        "--what-if-hosts",
        "prod=2083",
    ]);
    let stderr = String::from_utf8_lossy(&fits.stderr);
    assert_eq!(fits.status.code(), Some(0), "{stderr}");
    // One more: 64,027 over 64,000. tor1a's MACs, 1,151 + 62,520, fit.
    let over = liaison(&[
        "check",
        "inventories/example",
        "--what-if-hosts",
        "prod=2084",
    ]);
    assert_eq!(over.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&over.stderr);
    assert!(
        stderr.contains(
            "switch `agg1` needs 64027 ARP entries but its model N9K-C93180YC-FX holds 64000"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("most from zone prod (63660 entries)"),
        "{stderr}"
    );
    assert!(!stderr.contains("MAC addresses but"), "{stderr}");
}

#[test]
fn headroom_names_the_first_limit() {
    let out = liaison(&["check", "inventories/example"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("zone prod: room for 2083 (then arp_entries on agg1) more hosts"),
        "{stdout}"
    );
}

#[test]
fn tcam_is_printed_once_in_the_budget_table() {
    let out = liaison(&["check", "inventories/example"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("TCAM").count(), 0, "{stdout}");
    let header = stdout.lines().nth(1).unwrap();
    assert!(
        header.contains("acl_tcam_entries  acl_tcam_egress_entries"),
        "{header}"
    );
    assert!(
        stdout.contains("162/1536 10%      292/1792 16%"),
        "{stdout}"
    );
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

#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

fn synth_fabric(dir: &Path, switches: usize, hosts: usize, segments: usize, raise_tcam: bool) {
    synth::run(&synth::Args {
        switches,
        hosts,
        segments,
        out: dir.to_path_buf(),
        rules: None,
        raise_tcam,
    })
    .unwrap();
}

#[test]
fn synthetic_fabrics_pass_with_the_shipped_limits_where_the_hardware_holds_them() {
    // 100 and 1,000 switches, 960 and 20,000 hosts, 15 segments per
    // aggregation block (about 10 routed): within every shipped limit,
    // the gateways' egress TCAM (1,024 for their unlisted model) included.
    for (switches, hosts, segments) in [(100, 960, 30), (1000, 20_000, 300)] {
        let dir = tempfile::tempdir().unwrap();
        synth_fabric(dir.path(), switches, hosts, segments, false);
        assert!(!dir.path().join("limits.yml").exists());
        let (code, stderr) = check(dir.path());
        assert_eq!(code, Some(0), "{switches} switches:\n{stderr}");
        assert!(!stderr.contains("error["), "{stderr}");
    }
}

#[test]
fn the_compile_benchmark_fabric_exceeds_only_the_gateways_acl_tcam() {
    // scripts/bench-compile.sh's 1,000-switch fabric: 100 segments per
    // block. With the shipped limits only the aggregation switches' ACL
    // TCAM overflows (75 routed segments, two ACLs each), nothing else; with
    // `--raise-tcam` it passes.
    let dir = tempfile::tempdir().unwrap();
    synth_fabric(dir.path(), 1000, 20_000, 2000, false);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(errors.len(), 80, "{stderr}");
    assert!(
        errors.iter().all(|l| l.contains("-agg")
            && (l.contains("ingress ACL TCAM entries") || l.contains("egress ACL TCAM entries"))),
        "{stderr}"
    );
    synth_fabric(dir.path(), 1000, 20_000, 2000, true);
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
}

/// The bundles a pair shares are named in the platform's words: `vPCs` on
/// NX-OS, `MLAGs` on EOS (the example on EOS has the same tor1a: 3 of them).
#[test]
fn the_pairs_bundles_are_named_in_the_platforms_words() {
    let nxos = tempfile::tempdir().unwrap();
    example_with_limit(nxos.path(), "tor1a", "vpcs", 2, false);
    let (code, stderr) = check(nxos.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("switch `tor1a` needs 3 vPCs but"),
        "{stderr}"
    );

    let eos = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", eos.path());
    replace(
        eos.path(),
        "switches.yml",
        "name: tor1a, role: tor, platform: eos, model: DCS-7050SX3-48YC8",
        "name: tor1a, role: tor, platform: eos, model: lab",
    );
    append(
        eos.path(),
        "limits.yml",
        "platform_limits:\n  - model: lab\n    platform: eos\n    source: \"lab test sheet\"\n    vpcs: 2\n",
    );
    let (code, stderr) = check(eos.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("switch `tor1a` needs 3 MLAGs but"),
        "{stderr}"
    );
    assert!(!stderr.contains("vPC"), "{stderr}");
}

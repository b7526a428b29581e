//! The per-switch TCAM estimate (`liaison::policy::tcam`, shown by
//! `check`) agrees with a count made here from the rendered configs:
//! object-group entries multiply out, port ranges take one entry per
//! aligned block, `established` two (ACK, RST), remarks none.

mod common;

use common::nxos_acl::{self, Address, Filters, Ports};
use common::*;
use std::collections::BTreeMap;

/// Entries a port range takes, counted by walking the binary trie of the
/// 16-bit port space: a node fully inside the range is one entry.
fn trie_entries(low: u16, high: u16) -> u64 {
    fn walk(node_low: u32, node_high: u32, low: u32, high: u32) -> u64 {
        if node_high < low || node_low > high {
            0
        } else if low <= node_low && node_high <= high {
            1
        } else {
            let mid = node_low + (node_high - node_low) / 2;
            walk(node_low, mid, low, high) + walk(mid + 1, node_high, low, high)
        }
    }
    walk(0, 65_535, u32::from(low), u32::from(high))
}

fn ports(f: &Filters, ports: &Option<Ports>) -> u64 {
    match ports {
        None | Some(Ports::Eq(_)) => 1,
        Some(Ports::Range(a, b)) => trie_entries(*a, *b),
        Some(Ports::Group(name)) => f.port_groups[name]
            .iter()
            .map(|(a, b)| trie_entries(*a, *b))
            .sum(),
    }
}

fn addresses(f: &Filters, address: &Address) -> u64 {
    match address {
        Address::Group(name) => f.address_groups[name].len() as u64,
        _ => 1,
    }
}

/// (ingress, egress) entries of one rendered config.
fn count(f: &Filters) -> (u64, u64) {
    let acl = |name: &Option<String>| -> u64 {
        let Some(name) = name else { return 0 };
        f.acls[name]
            .entries
            .iter()
            .map(|e| {
                addresses(f, &e.source)
                    * ports(f, &e.source_ports)
                    * addresses(f, &e.destination)
                    * ports(f, &e.destination_ports)
                    * if e.established { 2 } else { 1 }
            })
            .sum()
    };
    let (ingress, egress) = f.svis.values().fold((0, 0), |(i, o), svi| {
        (i + acl(&svi.acl_in), o + acl(&svi.acl_out))
    });
    // External links filter their ingress (the infrastructure ACL).
    let edges: u64 = f.routed_ports.values().map(|p| acl(&p.acl_in)).sum();
    (ingress + edges, egress)
}

#[test]
fn port_ranges_expand_into_aligned_blocks() {
    assert_eq!(trie_entries(443, 443), 1);
    assert_eq!(trie_entries(0, 65_535), 1);
    assert_eq!(trie_entries(8000, 8099), 3);
    assert_eq!(trie_entries(1, 1023), 10);
}

#[test]
fn the_estimate_counts_what_the_configs_program() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    // Ranges, lists (address groups) and several ports (port groups).
    append(
        dir.path(),
        "policy.yml",
        "  - { from: [web, app], to: db, allow: [tcp/1-1023, udp/500-600, tcp/9100] }\n",
    );
    let configs = build(dir.path());
    let analysis = liaison::analyse(dir.path());
    let estimate = liaison::policy::tcam::per_switch(analysis.intent.as_ref().unwrap());
    let mut counted = BTreeMap::new();
    for (name, config) in &configs {
        let (ingress, egress) = count(&nxos_acl::parse(&config.text));
        counted.insert(name.clone(), (ingress, egress));
        let tcam = estimate[name];
        assert_eq!((tcam.ingress, tcam.egress), (ingress, egress), "{name}");
    }
    assert!(counted["agg1"].0 > 0 && counted["agg1"].1 > 0);
    assert_eq!(counted["tor1a"], (0, 0), "no SVI, no ACL");
    // `check` shows it once, in the budget table: `used/limit percent`
    // in the ingress and egress columns.
    let check = liaison(&["check", dir.path().to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert_eq!(budget_tcam(&stdout, "agg1"), counted["agg1"], "{stdout}");
}

/// The TCAM entries `check`'s budget table gives `switch`: the used
/// figures of its last two columns, acl_tcam_entries and
/// acl_tcam_egress_entries (`used/limit percent`).
fn budget_tcam(stdout: &str, switch: &str) -> (u64, u64) {
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{switch} ")))
        .unwrap_or_else(|| panic!("{stdout}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    let used = |cell: &str| cell.split('/').next().unwrap().parse::<u64>().unwrap();
    let n = cells.len();
    (used(cells[n - 4]), used(cells[n - 2]))
}

/// On gateways whose model takes no egress ACL on an SVI (the EOS
/// example with 7050SX3 gateways), every ACL is bound `in`: the estimate
/// still agrees with the rendered configs, the egress region holds
/// nothing, and the ingress region holds what the 7280SR3 build (ACLs in
/// and out) spreads over both, and more: each segment's inbound policy
/// is held by every way in (the other segments' `-in`, the edge ACLs).
#[test]
fn ingress_only_placement_counts_every_entry_as_ingress() {
    let estimate_of = |gateway_model: &str| {
        let dir = tempfile::tempdir().unwrap();
        copy_inventory("example-eos", dir.path());
        set_gateway_models(dir.path(), gateway_model);
        let configs = build(dir.path());
        let analysis = liaison::analyse(dir.path());
        let estimate = liaison::policy::tcam::per_switch(analysis.intent.as_ref().unwrap());
        for (name, config) in &configs {
            let (ingress, egress) = count(&nxos_acl::parse(&config.text));
            let tcam = estimate[name];
            assert_eq!((tcam.ingress, tcam.egress), (ingress, egress), "{name}");
        }
        let check = liaison(&["check", dir.path().to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&check.stdout).into_owned();
        (estimate["agg1"], stdout)
    };
    let (both, _) = estimate_of("DCS-7280SR3-48YC8");
    let (ingress_only, stdout) = estimate_of("DCS-7050SX3-48YC8");
    assert!(both.egress > 0, "{both:?}");
    assert_eq!(ingress_only.egress, 0, "{ingress_only:?}");
    assert!(
        ingress_only.ingress > both.ingress,
        "{ingress_only:?} {both:?}"
    );
    // `check` prints them in the budget table, against the 7050SX3's
    // limits: the egress column is empty.
    assert_eq!(
        budget_tcam(&stdout, "agg1"),
        (ingress_only.ingress, 0),
        "{stdout}"
    );
}

//! Gateway redundancy, read back from the rendered configs: every VRF
//! with a gateway on a gateway pair has a backup path between the two
//! members (a VLAN on the peer-link alone, an SVI with a /31 on each, a
//! floating default towards the peer), so that with either member's
//! external link down its traffic still reaches the core.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

const PAIR: [&str; 2] = ["agg1", "agg2"];

/// An `interface VlanN` as configured: VRF, address/prefix, HSRP or not.
#[derive(Debug, Clone)]
struct Svi {
    vlan: u16,
    vrf: String,
    address: Ipv4Addr,
    prefix: u8,
    hsrp: bool,
}

fn svis(config: &Config) -> Vec<Svi> {
    config
        .interfaces
        .iter()
        .filter_map(|(name, port)| {
            let vlan: u16 = name.strip_prefix("Vlan")?.parse().ok()?;
            let vrf = port
                .lines
                .iter()
                .find_map(|l| l.strip_prefix("vrf member "))
                .unwrap_or("default")
                .to_string();
            let (address, prefix) = port
                .lines
                .iter()
                .find_map(|l| l.strip_prefix("ip address "))?
                .split_once('/')?;
            Some(Svi {
                vlan,
                vrf,
                address: address.parse().ok()?,
                prefix: prefix.parse().ok()?,
                hsrp: port.lines.iter().any(|l| l.starts_with("hsrp ")),
            })
        })
        .collect()
}

/// Routed ports: (VRF, address, prefix length).
fn external_links(config: &Config) -> Vec<(String, Ipv4Addr, u8)> {
    config
        .interfaces
        .iter()
        .filter(|(name, port)| {
            name.starts_with("Ethernet") && port.lines.iter().any(|l| l == "no switchport")
        })
        .filter_map(|(_, port)| {
            let vrf = port
                .lines
                .iter()
                .find_map(|l| l.strip_prefix("vrf member "))
                .unwrap_or("default");
            let (a, p) = port
                .lines
                .iter()
                .find_map(|l| l.strip_prefix("ip address "))?
                .split_once('/')?;
            Some((vrf.to_string(), a.parse().ok()?, p.parse().ok()?))
        })
        .collect()
}

/// `ip route` lines of a VRF (`default`: top level): (prefix, next hop,
/// distance).
fn routes(config: &Config, vrf: &str) -> Vec<(String, Ipv4Addr, u8)> {
    let lines: Vec<&str> = if vrf == "default" {
        config.globals("ip route ")
    } else {
        config
            .section(&format!("vrf context {vrf}"))
            .map(|l| l.iter().map(String::as_str).collect())
            .unwrap_or_default()
    };
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("ip route "))
        .map(|rest| {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let distance = words.get(2).map_or(1, |d| d.parse().unwrap());
            (words[0].to_string(), words[1].parse().unwrap(), distance)
        })
        .collect()
}

fn same_subnet(a: Ipv4Addr, b: Ipv4Addr, prefix: u8) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    u32::from(a) & mask == u32::from(b) & mask
}

/// The default route a member uses with the given external links down:
/// the lowest distance among the defaults whose next hop is still
/// reachable (on a link that is up, or on the transit SVI).
fn best_default(
    config: &Config,
    vrf: &str,
    links_up: bool,
    transit: &Svi,
) -> Option<(Ipv4Addr, u8)> {
    let links = external_links(config);
    routes(config, vrf)
        .into_iter()
        .filter(|(prefix, _, _)| prefix == "0.0.0.0/0")
        .filter(|(_, hop, _)| {
            let on_link = links
                .iter()
                .any(|(v, a, p)| v == vrf && same_subnet(*a, *hop, *p));
            let on_transit = same_subnet(transit.address, *hop, transit.prefix);
            (on_link && links_up) || on_transit
        })
        .min_by_key(|(_, hop, distance)| (*distance, *hop))
        .map(|(_, hop, distance)| (hop, distance))
}

#[test]
fn every_vrf_with_a_gateway_has_a_backup_path_on_the_peer_link() {
    let (_tmp, inventory) = example_copy();
    let configs = build(&inventory);
    let pair = PAIR.map(|m| &configs[m]);
    let gateway_vrfs: BTreeSet<String> = svis(pair[0])
        .into_iter()
        .filter(|s| s.hsrp)
        .map(|s| s.vrf)
        .collect();
    assert_eq!(gateway_vrfs.len(), 2, "the example has prod and dev");
    for vrf in &gateway_vrfs {
        let transit: Vec<Svi> = pair
            .iter()
            .map(|c| {
                let found: Vec<Svi> = svis(c)
                    .into_iter()
                    .filter(|s| !s.hsrp && &s.vrf == vrf)
                    .collect();
                assert_eq!(found.len(), 1, "one backup SVI in {vrf}: {found:?}");
                found[0].clone()
            })
            .collect();
        // One VLAN, one /31, two addresses.
        assert_eq!(transit[0].vlan, transit[1].vlan, "{vrf}");
        assert!(transit.iter().all(|t| t.prefix == 31), "{transit:?}");
        assert!(same_subnet(transit[0].address, transit[1].address, 31));
        assert_ne!(transit[0].address, transit[1].address);
        let vlan = transit[0].vlan;
        // The VLAN exists on both members and is carried by the peer-link
        // (and its member ports) alone, on every switch of the fabric.
        for (name, config) in &configs {
            let is_member = PAIR.contains(&name.as_str());
            assert_eq!(
                config.vlans.contains(&vlan),
                is_member,
                "{name}: vlan {vlan}"
            );
            for (port, p) in &config.interfaces {
                let carries = p.allowed.as_ref().is_some_and(|a| a.contains(&vlan));
                let peer_link = p.description.starts_with("vpc peer-link")
                    || p.description.starts_with("peer-link to");
                assert_eq!(
                    carries,
                    is_member && peer_link,
                    "{name} {port} ({}) and transit vlan {vlan}",
                    p.description
                );
            }
        }
        // Each member's floating default points at the peer's transit
        // address, behind its own default (higher distance).
        for m in 0..2 {
            let own = routes(pair[m], vrf);
            let floating: Vec<_> = own
                .iter()
                .filter(|(p, hop, _)| p == "0.0.0.0/0" && *hop == transit[1 - m].address)
                .collect();
            assert_eq!(floating.len(), 1, "{}: {own:?}", PAIR[m]);
            let primary = own
                .iter()
                .filter(|(p, hop, _)| p == "0.0.0.0/0" && *hop != transit[1 - m].address)
                .map(|(_, _, d)| *d)
                .max()
                .expect("a primary default");
            assert!(floating[0].2 > primary, "{}: {own:?}", PAIR[m]);
        }
        // Losing either member's external links loses nothing: its
        // default moves to the peer, whose own default leads to the core.
        for m in 0..2 {
            let (hop, _) = best_default(pair[m], vrf, false, &transit[m])
                .unwrap_or_else(|| panic!("{} has no way out in {vrf}", PAIR[m]));
            assert_eq!(hop, transit[1 - m].address, "{} in {vrf}", PAIR[m]);
            let (peer_hop, distance) =
                best_default(pair[1 - m], vrf, true, &transit[1 - m]).unwrap();
            assert_eq!(distance, 1, "{} uses its own link", PAIR[1 - m]);
            assert!(
                external_links(pair[1 - m])
                    .iter()
                    .any(|(v, a, p)| v == vrf && same_subnet(*a, peer_hop, *p)),
                "{} reaches the core in {vrf}",
                PAIR[1 - m]
            );
            // With both up, each uses its own link.
            let (_, distance) = best_default(pair[m], vrf, true, &transit[m]).unwrap();
            assert_eq!(distance, 1);
        }
    }
}

/// The backup path's addresses are the fabric's own: no segment and no
/// Internet host may reach them (the ACLs deny the gateway group's
/// addresses, transit links included).
#[test]
fn backup_path_addresses_are_protected() {
    let (_tmp, inventory) = example_copy();
    let configs = build(&inventory);
    let agg1 = &configs["agg1"];
    let transit: Vec<Svi> = svis(agg1).into_iter().filter(|s| !s.hsrp).collect();
    let filters = common::nxos_acl::parse(&agg1.text);
    for t in &transit {
        for src in [Ipv4Addr::new(10, 1, 20, 10), Ipv4Addr::new(8, 8, 8, 8)] {
            let packet = common::nxos_acl::Packet {
                src,
                dst: t.address,
                transport: common::nxos_acl::Transport::Tcp {
                    sport: 49152,
                    dport: 22,
                    established: false,
                },
            };
            assert!(!filters.reaches_switch(&packet), "{packet:?}");
        }
    }
}

fn check(inventory: &std::path::Path) -> (Option<i32>, String) {
    let out = liaison(&["check", inventory.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const TRANSIT: &str = "  transit: { pool: 10.255.255.0/24, first_vlan: 3900 }";

#[test]
fn without_a_transit_pool_the_pair_is_warned_about_and_gets_no_backup_path() {
    let (_tmp, inventory) = example_copy();
    replace(&inventory, "fabric.yml", TRANSIT, "");
    let (code, stderr) = check(&inventory);
    assert_eq!(code, Some(0), "{stderr}");
    for vrf in ["prod", "dev"] {
        assert!(
            stderr.contains(&format!(
                "warning[W055]: gateway pair agg1/agg2: no backup path in VRF `{vrf}`"
            )),
            "{stderr}"
        );
    }
    assert!(stderr.contains("switches.yml:2:"), "{stderr}");
    let configs = build(&inventory);
    assert!(svis(&configs["agg1"]).iter().all(|s| s.hsrp));
}

#[test]
fn a_transit_pool_that_overlaps_or_runs_out_is_refused() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "  transit: { pool: 10.1.10.0/25, first_vlan: 3900 }",
            "E176",
            "overlaps the subnet 10.1.10.0/24 of segment `web`",
        ),
        (
            "  transit: { pool: 192.0.2.96/28, first_vlan: 3900 }",
            "E176",
            "overlaps the external link",
        ),
        (
            "  transit: { pool: 10.255.255.0/24, first_vlan: 100 }",
            "E177",
            "hold VLAN 110 of segment `web`",
        ),
        (
            "  transit: { pool: 10.255.255.0/31, first_vlan: 3900 }",
            "E178",
            "room for 1 backup paths",
        ),
    ];
    for (line, code, text) in cases {
        let (_tmp, inventory) = example_copy();
        replace(&inventory, "fabric.yml", TRANSIT, line);
        let (exit, stderr) = check(&inventory);
        assert_eq!(exit, Some(1), "{line}:\n{stderr}");
        assert!(
            stderr.contains(&format!("error[{code}]")) && stderr.contains(text),
            "{line}:\n{stderr}"
        );
        assert!(stderr.contains("fabric.yml:"), "{stderr}");
        assert_build_writes_nothing(&inventory);
    }
}

/// Two gateway pairs' backup paths, and the example's, are stable: the
/// slot of a pair and VRF is a hash of their names.
#[test]
fn transit_slots_do_not_move_when_a_vrf_is_added() {
    let (_tmp, inventory) = example_copy();
    let before: BTreeMap<String, u16> = svis(&build(&inventory)["agg1"])
        .into_iter()
        .filter(|s| !s.hsrp)
        .map(|s| (s.vrf, s.vlan))
        .collect();
    append(
        &inventory,
        "segments.yml",
        "  - { name: lab, vlan: 440, subnet: 10.2.40.0/24, vrf: lab }\n",
    );
    replace(
        &inventory,
        "segments.yml",
        "segments: [dev-web, dev-app, dev-vmotion]",
        "segments: [dev-web, dev-app, dev-vmotion, lab]",
    );
    append(
        &inventory,
        "endpoints.yml",
        "  - { switch: agg1, port: Ethernet1/51, address: 192.0.2.109/31, next_hop: 192.0.2.108, vrf: lab }\n",
    );
    let after: BTreeMap<String, u16> = svis(&build(&inventory)["agg1"])
        .into_iter()
        .filter(|s| !s.hsrp)
        .map(|s| (s.vrf, s.vlan))
        .collect();
    assert_eq!(after.len(), 3, "{after:?}");
    for (vrf, vlan) in &before {
        assert_eq!(after.get(vrf), Some(vlan), "{vrf} moved");
    }
}

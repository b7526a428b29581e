//! Property test: random valid inventories always build, deterministically,
//! and every VLAN of a zone reaches every host of the zone and every switch
//! on its way to the gateways (read back from the rendered configs).

mod common;

use common::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write;

#[derive(Debug, Clone)]
enum Attach {
    /// One NIC on each ToR of the pair, independent trunks.
    Dual,
    /// One NIC on each ToR, one LACP vPC.
    Lacp,
    /// One NIC on the first ToR only.
    Single,
    /// A blade in the pair's chassis.
    Blade,
}

#[derive(Debug, Clone)]
struct Fabric {
    tor_pairs: usize,
    zones: usize,
    /// Per segment: (zone, routed).
    segments: Vec<(usize, bool)>,
    /// Per host: (zone, tor pair, attachment).
    hosts: Vec<(usize, usize, Attach)>,
}

fn fabric() -> impl Strategy<Value = Fabric> {
    (1usize..=4, 1usize..=3).prop_flat_map(|(tor_pairs, zones)| {
        let segments = prop::collection::vec((0..zones, any::<bool>()), 1..=8);
        let attach = prop_oneof![
            Just(Attach::Dual),
            Just(Attach::Lacp),
            Just(Attach::Single),
            Just(Attach::Blade)
        ];
        let hosts = prop::collection::vec((0..zones, 0..tor_pairs, attach), 1..=20);
        (segments, hosts).prop_map(move |(segments, hosts)| Fabric {
            tor_pairs,
            zones,
            segments,
            hosts,
        })
    })
}

impl Fabric {
    fn zone_vlans(&self, zone: usize) -> BTreeSet<u16> {
        self.segments
            .iter()
            .enumerate()
            .filter(|(_, (z, _))| *z == zone)
            .map(|(i, _)| 100 + i as u16)
            .collect()
    }

    fn yaml(&self) -> String {
        let mut y = String::from("fabric: { name: prop }\nswitches:\n");
        y.push_str("  - { name: agg1, role: aggregation, pair: agg2 }\n  - { name: agg2, role: aggregation }\n");
        for t in 1..=self.tor_pairs {
            let _ = writeln!(y, "  - {{ name: tor{t}a, role: tor, pair: tor{t}b }}\n  - {{ name: tor{t}b, role: tor }}");
        }
        y.push_str("links:\n  - [agg1:Ethernet1/53, agg2:Ethernet1/53]\n");
        for t in 1..=self.tor_pairs {
            let (a, b) = (2 * t - 1, 2 * t);
            let _ = writeln!(y, "  - [tor{t}a:Ethernet1/53, tor{t}b:Ethernet1/53]");
            let _ = writeln!(y, "  - [tor{t}a:Ethernet1/49, agg1:Ethernet1/{a}]\n  - [tor{t}a:Ethernet1/50, agg2:Ethernet1/{a}]");
            let _ = writeln!(y, "  - [tor{t}b:Ethernet1/49, agg1:Ethernet1/{b}]\n  - [tor{t}b:Ethernet1/50, agg2:Ethernet1/{b}]");
        }
        y.push_str("chassis:\n");
        for t in 1..=self.tor_pairs {
            let _ = writeln!(y, "  - {{ name: enc{t}, interconnects: mlag, uplinks: [{{ switch: tor{t}a, ports: [Ethernet1/47, Ethernet1/48] }}, {{ switch: tor{t}b, ports: [Ethernet1/47, Ethernet1/48] }}] }}");
        }
        y.push_str("zones:\n");
        for z in 0..self.zones {
            let names: Vec<String> = self
                .segments
                .iter()
                .enumerate()
                .filter(|(_, (zone, _))| *zone == z)
                .map(|(i, _)| format!("s{i}"))
                .collect();
            let _ = writeln!(y, "  - {{ name: z{z}, segments: [{}] }}", names.join(", "));
        }
        y.push_str("segments:\n");
        for (i, (_, routed)) in self.segments.iter().enumerate() {
            let _ = writeln!(
                y,
                "  - {{ name: s{i}, vlan: {}, subnet: 10.0.{i}.0/24, routed: {routed} }}",
                100 + i
            );
        }
        y.push_str("hosts:\n");
        for (h, (zone, t, attach)) in self.hosts.iter().enumerate() {
            let t = t + 1;
            let port = h + 1;
            let _ = match attach {
                Attach::Dual => writeln!(y, "  - {{ name: h{h}, zone: z{zone}, nics: [tor{t}a:Ethernet1/{port}, tor{t}b:Ethernet1/{port}] }}"),
                Attach::Lacp => writeln!(y, "  - {{ name: h{h}, zone: z{zone}, nics: [tor{t}a:Ethernet1/{port}, tor{t}b:Ethernet1/{port}], lag: lacp }}"),
                Attach::Single => writeln!(y, "  - {{ name: h{h}, zone: z{zone}, nics: [tor{t}a:Ethernet1/{port}] }}"),
                Attach::Blade => writeln!(y, "  - {{ name: h{h}, zone: z{zone}, chassis: enc{t}, bay: {port} }}"),
            };
        }
        y
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn random_inventories_build_and_close_over_mobility(fabric in fabric()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inventory.yml"), fabric.yaml()).unwrap();
        let first = build(dir.path());
        let second = build(dir.path());
        for (name, config) in &first {
            prop_assert_eq!(&config.text, &second[name].text, "build of {} is not deterministic", name);
        }
        for (h, (zone, t, attach)) in fabric.hosts.iter().enumerate() {
            let vlans = fabric.zone_vlans(*zone);
            let t = t + 1;
            let tors = [format!("tor{t}a"), format!("tor{t}b")];
            // The host-facing ports carry the zone (a chassis: the union of its blades').
            let (label, expected) = match attach {
                Attach::Blade => {
                    let union: BTreeSet<u16> = fabric.hosts.iter()
                        .filter(|(_, tt, a)| tt + 1 == t && matches!(a, Attach::Blade))
                        .flat_map(|(z, _, _)| fabric.zone_vlans(*z))
                        .collect();
                    (format!("chassis enc{t}"), union)
                }
                _ => (format!("host h{h}"), vlans.clone()),
            };
            let on: Vec<&String> = match attach { Attach::Single => vec![&tors[0]], _ => tors.iter().collect() };
            for tor in on {
                let ports = first[tor].ports_described(&label);
                prop_assert!(!ports.is_empty(), "no port for {} on {}", label, tor);
                for (name, port) in ports {
                    prop_assert_eq!(port.allowed.as_ref(), Some(&expected), "{} {}", tor, name);
                }
            }
            // On the way up: both ToRs, their uplink vPC, both aggregation switches.
            for tor in &tors {
                prop_assert!(vlans.is_subset(&first[tor].vlans), "{} lacks {:?}", tor, vlans);
                let uplink = first[tor].interfaces["port-channel49"].allowed.clone().unwrap_or_default();
                prop_assert!(vlans.is_subset(&uplink), "{} uplink lacks {:?}", tor, vlans);
            }
            for agg in ["agg1", "agg2"] {
                prop_assert!(vlans.is_subset(&first[agg].vlans), "{} lacks {:?}", agg, vlans);
                let downlink = first[agg].interfaces[&format!("port-channel{}", 2 * t - 1)].allowed.clone().unwrap_or_default();
                prop_assert!(vlans.is_subset(&downlink));
                for (i, (z, routed)) in fabric.segments.iter().enumerate() {
                    if *z == *zone && *routed {
                        let svi = format!("Vlan{}", 100 + i);
                        prop_assert!(first[agg].interfaces.contains_key(&svi), "{} lacks {}", agg, svi);
                    }
                }
            }
        }
    }
}

/// The trunks on host `h`'s path (switch, interface), found by their
/// descriptions in the built configs: its own ports or bundle and their
/// members, the ToR pair's uplink and peer-link, the aggregation pair's
/// downlink to that ToR pair and its peer-link.
fn trunks_on_path(
    fabric: &Fabric,
    h: usize,
    configs: &std::collections::BTreeMap<String, Config>,
) -> Vec<(String, String)> {
    let (_, t, attach) = &fabric.hosts[h];
    let t = t + 1;
    let own = match attach {
        Attach::Blade => format!("chassis enc{t}"),
        _ => format!("host h{h}"),
    };
    let labels: Vec<(String, Vec<String>)> = vec![
        (
            format!("tor{t}a"),
            vec![
                own.clone(),
                "link to agg1/agg2".into(),
                format!("vpc peer-link to tor{t}b"),
            ],
        ),
        (
            format!("tor{t}b"),
            vec![
                own,
                "link to agg1/agg2".into(),
                format!("vpc peer-link to tor{t}a"),
            ],
        ),
        (
            "agg1".into(),
            vec![
                format!("link to tor{t}a/tor{t}b"),
                "vpc peer-link to agg2".into(),
            ],
        ),
        (
            "agg2".into(),
            vec![
                format!("link to tor{t}a/tor{t}b"),
                "vpc peer-link to agg1".into(),
            ],
        ),
    ];
    let mut trunks = Vec::new();
    for (switch, labels) in labels {
        for label in labels {
            for (name, port) in configs[&switch].ports_described(&label) {
                if port.allowed.is_some() {
                    trunks.push((switch.clone(), name.clone()));
                }
            }
        }
    }
    trunks
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// verify(build) is proven, and removing any one VLAN of a host's zone
    /// from any one trunk on the host's path gives a finding naming it.
    #[test]
    fn verify_proves_the_build_and_finds_any_vlan_removed_from_a_hosts_path(
        fabric in fabric(),
        pick in any::<(usize, usize, usize)>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("inventory.yml"), fabric.yaml()).unwrap();
        let texts = intended_texts(dir.path());
        let report = verify_texts(dir.path(), &texts);
        prop_assert!(report.proven(), "{}", liaison::verify::report::text(&report));

        let needy: Vec<usize> = (0..fabric.hosts.len())
            .filter(|&h| !fabric.zone_vlans(fabric.hosts[h].0).is_empty())
            .collect();
        if needy.is_empty() {
            return Ok(()); // no host needs any VLAN: nothing to remove
        }
        let h = needy[pick.0 % needy.len()];
        let vlans: Vec<u16> = fabric.zone_vlans(fabric.hosts[h].0).into_iter().collect();
        let vlan = vlans[pick.1 % vlans.len()];
        let configs: std::collections::BTreeMap<String, Config> =
            texts.iter().map(|(n, t)| (n.clone(), parse_config(t))).collect();
        let trunks = trunks_on_path(&fabric, h, &configs);
        prop_assert!(!trunks.is_empty(), "no trunk found on h{}'s path", h);
        let (switch, interface) = &trunks[pick.2 % trunks.len()];
        let port = &configs[switch].interfaces[interface];
        let allowed = port.allowed.clone().unwrap_or_default();
        prop_assert!(allowed.contains(&vlan), "{} {} lacks {}", switch, interface, vlan);
        let list = |set: &BTreeSet<u16>| {
            if set.is_empty() {
                "none".to_string()
            } else {
                set.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
            }
        };
        let line = port.lines.iter().find(|l| l.starts_with("switchport trunk allowed vlan")).unwrap().clone();
        let mut fewer = allowed.clone();
        fewer.remove(&vlan);
        let mut running = texts.clone();
        let edited = edit_stanza(
            &texts[switch],
            &format!("interface {interface}"),
            &line,
            &format!("switchport trunk allowed vlan {}", list(&fewer)),
        );
        running.insert(switch.clone(), edited);
        let report = verify_texts(dir.path(), &running);
        let host = format!("h{h}");
        prop_assert!(
            report.findings.iter().any(|f| f.switches.contains(switch) && f.breaks.hosts.contains(&host)),
            "VLAN {} removed from {} {}: no finding names {}:\n{}",
            vlan, switch, interface, host, liaison::verify::report::text(&report)
        );
    }
}

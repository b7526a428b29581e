//! What enters a gateway over its transit SVI (the backup path to its
//! peer, `Vlan39xx`), read back from the rendered configs' routes and
//! addresses: only packets its peer routes by its floating default, that
//! is packets addressed outside every segment of the pair. So an
//! ingress-only gateway group, whose segments' inbound policy sits in the
//! other segments' `-in` and the external links' `<vrf>-edge` ACLs, needs
//! no ACL on the transit: on NX-OS no `-out` ACL would judge those
//! packets either (docs/policy.md, "Placement is a capability").
//!
//! Checked on both members of every gateway pair, on the NX-OS example,
//! the EOS example with egress ACLs (7280SR3) and ingress-only (7050SX3),
//! NX-OS aggregation above EOS ToRs, each with VRFs and with everything in
//! the default VRF, and on two aggregation blocks of different platforms
//! in one VRF (NX-OS, EOS ingress-only): with the member's own external
//! links up and down, every segment address of the fabric (its pair's
//! and the other block's) is routed by a connected segment SVI or by a
//! default route, never by a more specific route over the transit, and a
//! route over the transit is always a default at a distance above the
//! member's own.

mod common;

use common::nxos_acl::{self, Filters, Prefix};
use common::*;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::path::Path;

const INTERNET: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 7);

/// A static route as the config writes it.
#[derive(Debug, Clone)]
struct Route {
    vrf: Option<String>,
    prefix: Prefix,
    next_hop: Ipv4Addr,
    distance: u8,
}

/// The static routes of a rendered config: NX-OS's `ip route` at the top
/// (default VRF) and under `vrf context NAME`, EOS's `ip route [vrf NAME]`.
fn routes(text: &str) -> Vec<Route> {
    let mut out = Vec::new();
    let mut context: Option<String> = None;
    for line in text.lines() {
        let nested = line.starts_with(' ');
        if !nested {
            context = line.strip_prefix("vrf context ").map(str::to_string);
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let (vrf, rest) = match words.as_slice() {
            ["ip", "route", "vrf", vrf, rest @ ..] if !nested => (Some(vrf.to_string()), rest),
            ["ip", "route", rest @ ..] if nested => (
                Some(
                    context
                        .clone()
                        .unwrap_or_else(|| panic!("`{line}` outside a VRF")),
                ),
                rest,
            ),
            ["ip", "route", rest @ ..] => (None, rest),
            _ => continue,
        };
        let (prefix, next_hop, distance) = match rest {
            [p, nh] => (p, nh, 1),
            [p, nh, d] => (p, nh, d.parse().unwrap()),
            _ => panic!("route `{line}`"),
        };
        out.push(Route {
            vrf,
            prefix: Prefix::parse(prefix),
            next_hop: next_hop
                .parse()
                .unwrap_or_else(|_| panic!("next hop in `{line}`")),
            distance,
        });
    }
    out
}

/// Where a switch sends a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Delivered on a segment's SVI.
    Segment,
    /// Over the transit SVI to the peer.
    Transit,
    /// Out of an external link.
    External,
    /// To the MLAG peer SVI, or nowhere.
    Other,
}

/// One gateway's routing, read back.
struct Gateway {
    name: String,
    filters: Filters,
    routes: Vec<Route>,
}

impl Gateway {
    fn new(name: &str, text: &str) -> Self {
        Gateway {
            name: name.to_string(),
            filters: nxos_acl::parse(text),
            routes: routes(text),
        }
    }

    /// What a connected SVI of `vrf` holding `ip` is.
    fn connected(&self, vrf: &Option<String>, ip: Ipv4Addr) -> Option<(u8, Via)> {
        self.filters
            .svis
            .values()
            .filter(|s| &s.vrf == vrf)
            .filter_map(|s| s.subnet.map(|p| (s, p)))
            .filter(|(_, p)| p.contains(ip))
            .map(|(s, p)| {
                let via = if s.acl_in.is_some() {
                    Via::Segment
                } else if p.contains(Ipv4Addr::new(169, 254, 0, 0)) {
                    Via::Other
                } else {
                    Via::Transit
                };
                (p.len, via)
            })
            .max_by_key(|(len, _)| *len)
    }

    /// The way out of `route`: over the transit when its next hop is on
    /// the transit SVI, else out of an external link.
    fn via(&self, route: &Route) -> Via {
        match self.connected(&route.vrf, route.next_hop) {
            Some((_, Via::Transit)) => Via::Transit,
            Some((_, other)) => panic!("{}: {route:?} through {other:?}", self.name),
            None => Via::External,
        }
    }

    /// Where `dst` of `vrf` goes: longest prefix, then lowest distance
    /// (connected: 0); `links_up: false` leaves out the routes out of the
    /// switch's own external links (they are down).
    fn lookup(&self, vrf: &Option<String>, dst: Ipv4Addr, links_up: bool) -> Via {
        let mut best: Option<(u8, u8, Via)> =
            self.connected(vrf, dst).map(|(len, via)| (len, 0, via));
        for route in self.routes.iter().filter(|r| &r.vrf == vrf) {
            let via = self.via(route);
            if !route.prefix.contains(dst) || (!links_up && via == Via::External) {
                continue;
            }
            let better = best.is_none_or(|(len, distance, _)| {
                route.prefix.len > len || (route.prefix.len == len && route.distance < distance)
            });
            if better {
                best = Some((route.prefix.len, route.distance, via));
            }
        }
        best.map_or(Via::Other, |(_, _, via)| via)
    }

    /// The VRFs of its segments' SVIs.
    fn segment_vrfs(&self) -> BTreeSet<Option<String>> {
        self.filters
            .svis
            .values()
            .filter(|s| s.acl_in.is_some())
            .map(|s| s.vrf.clone())
            .collect()
    }

    /// A host of every segment it routes in `vrf`.
    fn segment_hosts(&self, vrf: &Option<String>) -> Vec<Ipv4Addr> {
        self.filters
            .svis
            .values()
            .filter(|s| s.acl_in.is_some() && &s.vrf == vrf)
            .filter_map(|s| s.subnet.map(|p| p.host(10)))
            .collect()
    }

    fn has_external_link(&self, vrf: &Option<String>) -> bool {
        self.filters.routed_ports.values().any(|p| &p.vrf == vrf)
    }
}

/// The sample fabrics: (label, gateway pairs, configs).
/// A sample fabric: its label, gateway pairs and gateways read back.
type Fabric = (String, Vec<[&'static str; 2]>, Vec<Gateway>);
/// A sample inventory: its label and how it is written into a directory.
type Variant = (&'static str, fn(&Path));

fn fabrics() -> Vec<Fabric> {
    let one: fn(&Path) = |d| copy_inventory("example", d);
    let variants: [Variant; 4] = [
        ("nxos", one),
        ("eos", |d| copy_inventory("example-eos", d)),
        ("eos ingress-only", |d| {
            copy_inventory("example-eos", d);
            set_gateway_models(d, "DCS-7050SX3-48YC8");
        }),
        ("nxos above eos", |d| {
            copy_inventory("example-eos", d);
            mix_platforms(d);
        }),
    ];
    let mut out = Vec::new();
    let read = |dir: &Path, pairs: &[[&'static str; 2]]| -> Vec<Gateway> {
        let configs = build(dir);
        pairs
            .iter()
            .flatten()
            .map(|name| Gateway::new(name, &configs[*name].text))
            .collect()
    };
    for (name, copy) in variants {
        for vrfs in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            copy(dir.path());
            if !vrfs {
                without_vrfs(dir.path());
            }
            let pairs = vec![["agg1", "agg2"]];
            let gateways = read(dir.path(), &pairs);
            let label = format!("{name}, {}", if vrfs { "VRFs" } else { "no VRFs" });
            out.push((label, pairs, gateways));
        }
    }
    let (dir, _) = two_blocks(Gateways::Nxos, Gateways::Eos("DCS-7050SX3-48YC8"));
    let pairs = vec![["agg1", "agg2"], ["agg3", "agg4"]];
    let gateways = read(dir.path(), &pairs);
    out.push((
        "nxos block and eos ingress-only block".into(),
        pairs,
        gateways,
    ));
    out
}

#[test]
fn the_transit_carries_nothing_into_a_segment() {
    let mut over_transit = 0;
    for (label, pairs, gateways) in fabrics() {
        let by_name = |n: &str| gateways.iter().find(|g| g.name == n).unwrap();
        let all: Vec<&Gateway> = gateways.iter().collect();
        for pair in &pairs {
            for (i, name) in pair.iter().enumerate() {
                let (g, peer) = (by_name(name), by_name(pair[1 - i]));
                for vrf in g.segment_vrfs() {
                    // Transit SVIs have no ACL on any build: what crosses
                    // them is judged where it entered the pair.
                    for svi in g.filters.svis.values().filter(|s| s.vrf == vrf) {
                        if svi.acl_in.is_none() {
                            assert!(svi.acl_out.is_none(), "{label}: {name}");
                        }
                    }
                    // A route over the transit is a default, at a distance
                    // above every default of the switch's own links.
                    let own_default = g
                        .routes
                        .iter()
                        .filter(|r| r.vrf == vrf && g.via(r) == Via::External)
                        .map(|r| r.distance)
                        .max();
                    for route in g.routes.iter().filter(|r| r.vrf == vrf) {
                        if g.via(route) == Via::Transit {
                            assert_eq!(route.prefix.len, 0, "{label}: {name} {route:?}");
                            assert!(
                                own_default.is_none_or(|d| route.distance > d),
                                "{label}: {name} {route:?}"
                            );
                        }
                    }
                    // Every segment of the VRF, the pair's and any other
                    // block's: never over the transit but by the default.
                    let segments: BTreeSet<Ipv4Addr> =
                        all.iter().flat_map(|o| o.segment_hosts(&vrf)).collect();
                    let ours: BTreeSet<Ipv4Addr> = g.segment_hosts(&vrf).into_iter().collect();
                    for links_up in [true, false] {
                        for &dst in &segments {
                            let via = g.lookup(&vrf, dst, links_up);
                            if ours.contains(&dst) {
                                assert_eq!(via, Via::Segment, "{label}: {name} {dst} {links_up}");
                            } else {
                                // Another block's: by the default, as the
                                // Internet (out, or over the transit when
                                // the own links are down).
                                assert_eq!(
                                    via,
                                    g.lookup(&vrf, INTERNET, links_up),
                                    "{label}: {name} {dst}"
                                );
                            }
                        }
                    }
                    // The backup path works: with its own links down, a
                    // member whose peer has a link in the VRF sends the
                    // Internet's packets over the transit, and the peer
                    // sends them out.
                    assert_eq!(
                        g.lookup(&vrf, INTERNET, true),
                        Via::External,
                        "{label}: {name}"
                    );
                    if peer.has_external_link(&vrf) {
                        assert_eq!(
                            g.lookup(&vrf, INTERNET, false),
                            Via::Transit,
                            "{label}: {name}"
                        );
                        assert_eq!(peer.lookup(&vrf, INTERNET, true), Via::External);
                        over_transit += 1;
                    }
                }
            }
        }
    }
    // 8 one-block builds: 2 members × 2 VRFs (with VRFs) or 1 (without);
    // two blocks: 4 members in VRF prod, 2 in dev (the first block's).
    assert_eq!(over_transit, 4 * (2 * 2 + 2) + 4 + 2, "{over_transit}");
}

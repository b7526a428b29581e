//! Every address a switch owns is out of the segments' reach (docs/policy.md,
//! "Protecting the switches"): read back from the rendered configs (NX-OS and
//! EOS, egress and ingress-only placement, with VRFs and with every segment
//! in the default VRF), every address of a gateway pair in a VRF (SVI and
//! virtual addresses, transit /31s, external link addresses, the MLAG peer
//! VLAN's SVI) is dropped, on every sampled transport, by the ingress ACL
//! of every segment of that VRF, except what the policy document lets
//! through: ICMP errors, and echo to the segment's own gateway addresses.
//! A packet to a switch is routed to no segment, so no egress ACL sees it:
//! the segment's `-in` is the only filter in front of the switch.
//! From outside (the Internet, another block through the core), every
//! external link's ACL drops everything to the pair's addresses.

mod common;

use common::nxos_acl::{self, Filters, Packet, Transport};
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// Ports a switch listens on (SSH, HTTP/HTTPS: EOS eAPI, SNMP, BGP, NTP)
/// and the ports the example's policy allows (DNS, HTTPS, app, postgres).
const PORTS: [u16; 10] = [22, 53, 80, 123, 161, 179, 443, 5432, 8080, 50000];

/// Where each sample fabric comes from, and how it is changed.
fn fabrics() -> Vec<(String, BTreeMap<String, Config>)> {
    let mut out = Vec::new();
    for (inventory, model) in [
        ("example", None),
        ("example-eos", None),
        ("example-eos", Some("DCS-7050SX3-48YC8")),
    ] {
        for vrfs in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            copy_inventory(inventory, dir.path());
            if let Some(model) = model {
                set_gateway_models(dir.path(), model);
            }
            if !vrfs {
                without_vrfs(dir.path());
            }
            let label = format!(
                "{inventory}{}{}",
                model.map(|m| format!(" ({m})")).unwrap_or_default(),
                if vrfs { "" } else { " without VRFs" }
            );
            out.push((label, build(dir.path())));
        }
    }
    out
}

/// The addresses of a switch's routed interfaces in `vrf` (None: the
/// default VRF): SVIs (own and virtual) and routed ports.
fn owned(filters: &Filters, vrf: Option<&str>) -> BTreeSet<Ipv4Addr> {
    let svis = filters
        .svis
        .values()
        .filter(|s| s.vrf.as_deref() == vrf)
        .flat_map(|s| s.addresses.iter().copied());
    let ports = filters
        .routed_ports
        .values()
        .filter(|p| p.vrf.as_deref() == vrf)
        .filter_map(|p| p.address);
    svis.chain(ports).collect()
}

/// What the policy document lets a segment's host send to a switch address:
/// ICMP errors to any, echo to its own gateway's addresses.
fn allowed(transport: &Transport, own_gateway: bool) -> bool {
    match transport {
        Transport::Icmp { icmp_type: 3 | 11 } => true,
        Transport::Icmp { icmp_type: 8 } => own_gateway,
        _ => false,
    }
}

#[test]
fn no_segment_and_no_outsider_reaches_a_switch_address_of_its_vrf() {
    let mut checked = 0usize;
    let mut peer_svis = 0usize;
    for (label, configs) in fabrics() {
        let gateways: Vec<(&String, Filters)> = configs
            .iter()
            .map(|(name, c)| (name, nxos_acl::parse(&c.text)))
            .filter(|(_, f)| f.svis.values().any(|s| s.acl_in.is_some()))
            .collect();
        assert_eq!(gateways.len(), 2, "{label}: one gateway pair");
        let vrfs: BTreeSet<Option<String>> = gateways
            .iter()
            .flat_map(|(_, f)| f.svis.values().map(|s| s.vrf.clone()))
            .collect();
        for vrf in &vrfs {
            // A packet for the peer's address is routed to the peer (over
            // the transit or peer VLAN, which filter nothing): both
            // members' addresses of the VRF.
            let pair: BTreeSet<Ipv4Addr> = gateways
                .iter()
                .flat_map(|(_, f)| owned(f, vrf.as_deref()))
                .collect();
            let segments_here = gateways
                .iter()
                .any(|(_, f)| f.svis.values().any(|s| s.acl_in.is_some() && s.vrf == *vrf));
            if segments_here {
                peer_svis += pair
                    .iter()
                    .filter(|a| a.octets()[..2] == [169, 254])
                    .count();
            }
            for (name, filters) in &gateways {
                for svi in filters.svis.values() {
                    let (Some(acl), Some(subnet)) = (&svi.acl_in, svi.subnet) else {
                        continue;
                    };
                    if svi.vrf != *vrf || subnet.len >= 31 {
                        continue;
                    }
                    let src = subnet.host(10);
                    for &dst in &pair {
                        if subnet.contains(dst) && !svi.addresses.contains(&dst) {
                            // The peer's address in the segment: switched to
                            // the peer, whose own `-in` of this segment
                            // judges it (checked on the peer's config).
                            continue;
                        }
                        let own = svi.addresses.contains(&dst);
                        for transport in nxos_acl::transports(&PORTS) {
                            let packet = Packet {
                                src,
                                dst,
                                transport,
                            };
                            assert_eq!(
                                filters.evaluate(acl, &packet).0,
                                allowed(&transport, own),
                                "{label}: {name} {acl} {packet:?}"
                            );
                            checked += 1;
                        }
                    }
                }
                // From outside: every external link of the VRF drops
                // everything to the pair's addresses.
                for (port, routed) in &filters.routed_ports {
                    if routed.vrf != *vrf {
                        continue;
                    }
                    let acl = routed
                        .acl_in
                        .as_deref()
                        .unwrap_or_else(|| panic!("{label}: {name} {port}: no ACL in"));
                    for src in [Ipv4Addr::new(198, 51, 100, 7), Ipv4Addr::new(10, 99, 0, 10)] {
                        for &dst in &pair {
                            for transport in nxos_acl::transports(&PORTS) {
                                let packet = Packet {
                                    src,
                                    dst,
                                    transport,
                                };
                                assert!(
                                    !filters.evaluate(acl, &packet).0,
                                    "{label}: {name} {port} {acl} {packet:?}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 100_000, "{checked}");
    // The EOS builds without VRFs put the MLAG peer SVI (default VRF) in
    // the segments' reach: 2 builds, 2 members.
    assert_eq!(peer_svis, 4);
}

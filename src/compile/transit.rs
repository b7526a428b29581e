//! The gateway pairs' layer-3 backup paths (docs/design.md, "Gateway
//! redundancy"). Each member of a gateway pair reaches the core through
//! its own external links; when they fail, the flows hashed to it (vPC
//! hashes every flow to either member) would be dropped. So, per pair and
//! VRF that has a gateway there and an external link on a member, the pair
//! gets a transit VLAN carried on the peer-link only, an SVI on each member
//! with a /31 of `fabric.transit.pool`, and on each member whose peer has
//! an external link in the VRF a floating default route towards the peer,
//! at [`FLOATING_DISTANCE`], which the routing table uses only once the
//! member's own default is gone (its link down).
//!
//! A pair and VRF take a slot of the pool by a hash of their names, so
//! adding a pair or a VRF moves no other backup path (as ACL sequence
//! numbers, see `numbering`).

use super::numbering::{self, SlotRequest};
use super::topology::{GroupId, Topology};
use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::Inventory;
use ipnetwork::{IpNetwork, Ipv4Network};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// Administrative distance of the floating default: above every routing
/// protocol NX-OS runs (eBGP 20, OSPF 110, iBGP 200), so a protocol added
/// later is preferred too, and below 255 (never installed).
pub const FLOATING_DISTANCE: u8 = 250;

/// One pair's backup path in one VRF.
#[derive(Debug, Clone)]
pub struct TransitLink {
    pub vrf: String,
    pub vlan: u16,
    /// The members' addresses, in member order, on one /31.
    pub addresses: [Ipv4Addr; 2],
    /// Per member (member order): whether its peer has an external link
    /// in the VRF, so that a floating default towards the peer helps.
    pub floating: [bool; 2],
}

/// What each gateway pair needs, by group.
pub fn plan(
    inventory: &Inventory,
    topology: &Topology,
    vrfs_with_gateway: &BTreeMap<GroupId, BTreeSet<String>>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<GroupId, Vec<TransitLink>> {
    // (group, VRF) → per member, whether it has an external link there.
    let mut needed: BTreeMap<(GroupId, String), [bool; 2]> = BTreeMap::new();
    for (group, vrfs) in vrfs_with_gateway {
        let members = &topology.groups[*group].members;
        if members.len() != 2 {
            continue;
        }
        for vrf in vrfs {
            let linked = [0, 1].map(|m| {
                inventory
                    .external
                    .iter()
                    .any(|e| e.switch.as_str() == members[m] && e.vrf() == vrf)
            });
            if linked.iter().any(|l| *l) {
                needed.insert((*group, vrf.clone()), linked);
            }
        }
    }
    if needed.is_empty() {
        return BTreeMap::new();
    }
    let Some(transit) = &inventory.fabric.transit else {
        for (group, vrf) in needed.keys() {
            let members = &topology.groups[*group].members;
            let Some(first) = inventory
                .switches
                .iter()
                .find(|s| s.name.as_str() == members[0])
            else {
                continue;
            };
            diagnostics.push(
                Diagnostic::warning(
                    "W055",
                    format!(
                        "gateway pair {}: no backup path in VRF `{vrf}`: when one member's external links go down, the flows the {}s hash to it are dropped",
                        topology.groups[*group].label(),
                        first.platform.value.pair_name()
                    ),
                )
                .at(first.pair.as_ref().map_or(first.loc, |p| p.loc))
                .hint("add `fabric.transit: { pool: 10.255.255.0/24, first_vlan: 3900 }` (addresses and VLANs the pairs' backup paths may take)"),
            );
        }
        return BTreeMap::new();
    };
    let IpNetwork::V4(pool) = transit.pool.value else {
        diagnostics.push(
            Diagnostic::error("E176", "the transit pool must be IPv4")
                .at(transit.pool.loc)
                .hint("an IPv4 prefix such as 10.255.255.0/24"),
        );
        return BTreeMap::new();
    };
    let mut clash = false;
    for segment in &inventory.segments {
        if let Some(IpNetwork::V4(net)) = segment.subnet.as_ref().map(|s| s.value) {
            if net.contains(pool.network()) || pool.contains(net.network()) {
                clash = true;
                diagnostics.push(
                    Diagnostic::error(
                        "E176",
                        format!(
                            "the transit pool {pool} overlaps the subnet {net} of segment `{}`",
                            segment.name.value
                        ),
                    )
                    .at(transit.pool.loc)
                    .related(segment.loc, "the segment")
                    .hint(
                        "take the transit pool from addresses no segment and no external link uses",
                    ),
                );
            }
        }
    }
    for external in &inventory.external {
        if let IpNetwork::V4(net) = external.address.value {
            let link = Ipv4Network::new(net.network(), net.prefix()).unwrap_or(net);
            if link.contains(pool.network()) || pool.contains(link.network()) {
                clash = true;
                diagnostics.push(
                    Diagnostic::error(
                        "E176",
                        format!(
                            "the transit pool {pool} overlaps the external link {net} of `{}`",
                            external.switch.value
                        ),
                    )
                    .at(transit.pool.loc)
                    .related(external.address.loc, "the external link")
                    .hint(
                        "take the transit pool from addresses no segment and no external link uses",
                    ),
                );
            }
        }
    }
    let first_vlan = u32::from(transit.first_vlan.value);
    let pairs_of_addresses = if pool.prefix() >= 31 {
        1
    } else {
        1u32 << (31 - u32::from(pool.prefix())).min(16)
    };
    let last_usable = u32::from(crate::platform::build::last_usable_vlan());
    let slots = pairs_of_addresses.min(last_usable + 1 - first_vlan);
    let last_vlan = first_vlan + slots - 1;
    for segment in &inventory.segments {
        let vlan = u32::from(segment.vlan_id());
        if (first_vlan..=last_vlan).contains(&vlan) {
            clash = true;
            diagnostics.push(
                Diagnostic::error(
                    "E177",
                    format!(
                        "the transit VLANs {first_vlan}-{last_vlan} hold VLAN {vlan} of segment `{}`",
                        segment.name.value
                    ),
                )
                .at(transit.first_vlan.loc)
                .related(segment.loc, "the segment")
                .hint(format!(
                    "move `first_vlan` to a range of {slots} VLANs no segment uses (the transit VLANs are first_vlan … first_vlan + {}, one per /31 of the pool, at most up to {last_usable})",
                    slots - 1
                )),
            );
        }
    }
    if clash {
        return BTreeMap::new();
    }
    let keys: Vec<String> = needed
        .keys()
        .map(|(group, vrf)| format!("{}:{vrf}", topology.groups[*group].key()))
        .collect();
    let requests: Vec<SlotRequest> = keys
        .iter()
        .map(|key| SlotRequest {
            preferred: numbering::fnv1a(key) % slots + 1,
            width: 1,
            key,
        })
        .collect();
    let granted = numbering::allocate_slots(&requests, slots);
    let mut out: BTreeMap<GroupId, Vec<TransitLink>> = BTreeMap::new();
    for (((group, vrf), linked), slot) in needed.into_iter().zip(granted) {
        let Some(slot) = slot else {
            diagnostics.push(
                Diagnostic::error(
                    "E178",
                    format!(
                        "the transit pool {pool} and VLANs from {first_vlan} have room for {slots} backup paths; gateway pair {} needs one more in VRF `{vrf}`",
                        topology.groups[group].label()
                    ),
                )
                .at(transit.loc)
                .hint(format!("give `fabric.transit` a larger pool (a /31 per gateway pair and VRF) and a `first_vlan` with as many free VLANs below {}", last_usable + 1)),
            );
            continue;
        };
        let base = u32::from(pool.network()) + 2 * (slot - 1);
        out.entry(group).or_default().push(TransitLink {
            vrf,
            vlan: (first_vlan + slot - 1) as u16,
            addresses: [Ipv4Addr::from(base), Ipv4Addr::from(base + 1)],
            // A member's floating route points at the peer: useful when
            // the peer has a link of its own there.
            floating: [linked[1], linked[0]],
        });
    }
    out
}

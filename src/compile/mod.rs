//! From a checked inventory to the per-switch [`Intent`].
//!
//! [`topology`] groups switches into pairs and finds the paths up to the
//! gateways; [`closure`] decides every VLAN; [`guardrails`] refuses what
//! breaks a rule; [`numbering`] names bundles; [`acl`] turns the policy into
//! the gateway SVIs' ACLs; this module assembles each switch's intent from
//! those answers.

pub mod acl;
pub mod closure;
pub mod guardrails;
pub mod numbering;
pub mod topology;
pub mod transit;

use crate::diag::{Diagnostic, Diagnostics};
use crate::intent::*;
use crate::inventory::{BreakoutMap, Index, Inventory, PortRef, Segment, Switch, DEFAULT_VRF};
use crate::platform::build::AclPlacement;
use crate::platform::Platform;
use crate::policy::Policy;
use acl::{AclPlan, EdgeKey, RouterAddresses};
use closure::Closure;
use ipnetwork::{IpNetwork, Ipv4Network};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr};
use topology::{GroupId, Topology};
use transit::TransitLink;

/// Compiles the inventory. Returns None when any error was found (all of
/// them are in `diagnostics`); the inventory must have passed `check`, and
/// `policy` is its resolved policy.
pub fn compile(
    inventory: &Inventory,
    policy: &Policy,
    diagnostics: &mut Diagnostics,
) -> Option<Intent> {
    let index = Index::new(inventory);
    let mut problems = Diagnostics::default();
    let topology = Topology::build(inventory, &index, &mut problems);
    let closure = closure::close(inventory, &index, &topology, &mut problems);
    guardrails::check(inventory, &index, &topology, &closure, &mut problems);
    let domains = numbering::vpc_domains(&topology, &index, &mut problems);
    let port_channels = allocate(&topology, &index, &closure);
    let gateways = gateway_addresses(&topology, &closure, &mut problems);
    let externals = externals(inventory, &topology, &mut problems);
    peer_links(&index, &topology, &mut problems);
    keepalives(&index, &topology, &mut problems);
    let gatewayed: BTreeSet<&str> = closure
        .svis
        .iter()
        .flat_map(|svis| svis.values().map(|s| s.name.as_str()))
        .collect();
    let mut vrfs_with_gateway: BTreeMap<GroupId, BTreeSet<String>> = BTreeMap::new();
    for (group, svis) in closure.svis.iter().enumerate() {
        for (vlan, segment) in svis {
            if gateways.contains_key(&(group, *vlan)) {
                vrfs_with_gateway
                    .entry(group)
                    .or_default()
                    .insert(segment.vrf().to_string());
            }
        }
    }
    let transits = transit::plan(inventory, &topology, &vrfs_with_gateway, &mut problems);
    let routers = router_addresses(
        inventory,
        &index,
        &topology,
        &closure,
        &gateways,
        &transits,
        &vrfs_with_gateway,
    );
    let edges = edge_keys(&topology, &closure, &externals);
    let edge_set: BTreeSet<EdgeKey> = edges.values().flat_map(|e| e.values().cloned()).collect();
    let ingress_only = ingress_only_groups(&index, &topology, &mut problems);
    let acls = acl::plan(
        inventory,
        policy,
        &gatewayed,
        &routers,
        &edge_set,
        &ingress_only,
        &mut problems,
    );
    StpPlan::check(&inventory.fabric, &mut problems);
    check_segment_paths(inventory, &index, &topology, &closure, &mut problems);
    let failed = problems.has_errors();
    diagnostics.extend(problems);
    if failed {
        return None;
    }
    let fabric = inventory
        .fabric
        .name
        .as_ref()
        .map_or_else(|| "fabric".to_string(), |n| n.value.clone());
    let segment_of_vlan: HashMap<u16, &Segment> =
        index.segments.values().map(|s| (s.vlan_id(), *s)).collect();
    let mut bundles_of: HashMap<GroupId, Vec<(GroupId, GroupId)>> = HashMap::new();
    for key in topology.bundles.keys() {
        bundles_of.entry(key.0).or_default().push(*key);
        bundles_of.entry(key.1).or_default().push(*key);
    }
    let mut edges_of: HashMap<GroupId, Vec<usize>> = HashMap::new();
    for (i, edge) in closure.edge_ports.iter().enumerate() {
        edges_of.entry(edge.group).or_default().push(i);
    }
    let stp = StpPlan::new(&inventory.fabric);
    let vpc = VpcPlan::new(&inventory.fabric);
    let mut names: Vec<&str> = index.switches.keys().copied().collect();
    names.sort_unstable();
    let devices = names
        .into_iter()
        .map(|name| {
            Assembler {
                inventory,
                index: &index,
                segment_of_vlan: &segment_of_vlan,
                bundles_of: &bundles_of,
                edges_of: &edges_of,
                topology: &topology,
                closure: &closure,
                port_channels: &port_channels,
                domains: &domains,
                gateways: &gateways,
                externals: &externals,
                transits: &transits,
                edges: &edges,
                acls: &acls,
                fabric: &fabric,
                stp: &stp,
                vpc: &vpc,
            }
            .device(name)
        })
        .collect();
    Some(Intent { fabric, devices })
}

/// The compiler's own view of a checked inventory: its pairs, the cables
/// between them and the mobility closure (which VLANs each pair carries,
/// for which zone, because of which hosts). `liaison docs` draws and
/// tabulates it, so the documentation shows what the compiler decided,
/// never a second reckoning of it.
pub struct FabricView<'i> {
    pub index: Index<'i>,
    pub topology: Topology<'i>,
    pub closure: Closure<'i>,
}

/// The gateway groups (by first member) that get ingress-only ACLs: a
/// member's model takes no egress router ACL on an SVI, and both members
/// of a pair carry the same ACLs (docs/policy.md, "Placement is a
/// capability"). W070 for a gateway whose model the platform's table of
/// placements does not list (its fallback applies).
fn ingress_only_groups(
    index: &Index,
    topology: &Topology,
    diagnostics: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for group in topology.groups.iter().filter(|g| g.gateway) {
        for member in &group.members {
            let Some(switch) = index.switches.get(member) else {
                continue;
            };
            let support = switch.platform.value.acl_support();
            let model = switch.model.as_ref().map(|m| m.value.as_str());
            let (row, known) = support.placement(model);
            if !known && !support.placement_by_model.is_empty() {
                let (what, loc) = match &switch.model {
                    Some(m) => (format!("model `{}`", m.value), m.loc),
                    None => ("no `model`".to_string(), switch.loc),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        "W070",
                        format!(
                            "gateway `{member}` has {what}, which liaison's table of where {} router ACLs can filter does not list: {} ({})",
                            switch.platform.value.cli_text().name,
                            placement_words(row.placement),
                            row.source
                        ),
                    )
                    .at(loc)
                    .hint("the policy holds either way; ingress-only takes more ingress TCAM (`liaison check` prints the budget). Give the switch's exact model (`show version`) so its family's row applies"),
                );
            }
            if row.placement == AclPlacement::IngressOnly {
                out.insert(group.members[0].to_string());
            }
        }
    }
    out
}

/// How a placement reads in a message.
fn placement_words(placement: AclPlacement) -> &'static str {
    match placement {
        AclPlacement::InAndOut => "its SVIs get ACLs in and out",
        AclPlacement::IngressOnly => "its SVIs get ingress ACLs only",
    }
}

/// [`FabricView`] of an inventory that compiled (its problems were
/// reported by [`compile`] already and are not collected again).
pub fn view(inventory: &Inventory) -> FabricView<'_> {
    let index = Index::new(inventory);
    let mut ignored = Diagnostics::default();
    let topology = Topology::build(inventory, &index, &mut ignored);
    let closure = closure::close(inventory, &index, &topology, &mut ignored);
    FabricView {
        index,
        topology,
        closure,
    }
}

/// The default IP MTU of Ethernet, and of a segment without `mtu:`.
pub const DEFAULT_MTU: u32 = 1500;

/// A segment's IP MTU: its own, else the fabric's, else 1500.
pub fn segment_mtu(inventory: &Inventory, segment: &Segment) -> u32 {
    segment
        .mtu
        .as_ref()
        .or(inventory.fabric.mtu.as_ref())
        .map_or(DEFAULT_MTU, |m| m.value)
}

/// Every segment against the switches its VLAN reaches: its MTU (E171)
/// and its VLAN (E021).
fn check_segment_paths(
    inventory: &Inventory,
    index: &Index,
    topology: &Topology,
    closure: &Closure,
    diagnostics: &mut Diagnostics,
) {
    for segment in &inventory.segments {
        let members = members_carrying(topology, closure, segment.vlan_id());
        check_mtu(
            inventory,
            index,
            topology,
            closure,
            segment,
            &members,
            diagnostics,
        );
        check_reserved_vlan(index, segment, &members, diagnostics);
    }
}

/// E171: a segment whose MTU some switch on its path (`members`) cannot
/// carry (too large for any port, or too small for its SVI), named with
/// the switch.
fn check_mtu(
    inventory: &Inventory,
    index: &Index,
    topology: &Topology,
    closure: &Closure,
    segment: &Segment,
    members: &[&str],
    diagnostics: &mut Diagnostics,
) {
    let mtu = segment_mtu(inventory, segment);
    let vlan = segment.vlan_id();
    let loc = segment
        .mtu
        .as_ref()
        .or(inventory.fabric.mtu.as_ref())
        .map_or(segment.loc, |m| m.loc);
    let svi_groups: BTreeSet<usize> = closure
        .svis
        .iter()
        .enumerate()
        .filter(|(_, svis)| svis.contains_key(&vlan))
        .map(|(g, _)| g)
        .collect();
    for &member in members {
        let Some(switch) = index.switches.get(member) else {
            continue;
        };
        let range = &switch.platform.value.numbering().mtu;
        let routed_here = svi_groups.contains(&topology.group_of[member]);
        let problem = if mtu > range.max {
            Some(format!("at most {}", range.max))
        } else if routed_here && mtu < range.min_routed {
            Some(format!("at least {} on its gateway SVI", range.min_routed))
        } else {
            None
        };
        if let Some(needed) = problem {
            diagnostics.push(
                Diagnostic::error(
                    "E171",
                    format!(
                        "segment `{}`: MTU {mtu} cannot be carried by `{member}` ({} takes {needed})",
                        segment.name.value,
                        switch.platform.value.as_str()
                    ),
                )
                .at(loc)
                .hint(format!(
                    "every switch on the segment's path must carry its MTU: use {}-{} (9000 for jumbo frames)",
                    range.min_routed, range.max
                )),
            );
            break;
        }
    }
}

/// The switches that carry `vlan`, by name.
fn members_carrying<'i>(topology: &Topology<'i>, closure: &Closure, vlan: u16) -> Vec<&'i str> {
    let mut members: Vec<&str> = topology
        .groups
        .iter()
        .enumerate()
        .filter(|(g, _)| closure.group_vlans[*g].contains(&vlan))
        .flat_map(|(_, group)| group.members.iter().copied())
        .collect();
    members.sort_unstable();
    members
}

/// E021 on a switch: a segment's VLAN that reaches a switch (of
/// `members`) whose platform keeps it for itself. Reserved VLANs are per
/// platform (in a fabric that mixes platforms, a VLAN one reserves may run
/// on the other's switches); `check` already refused the VLANs every
/// platform of the fabric reserves.
fn check_reserved_vlan(
    index: &Index,
    segment: &Segment,
    members: &[&str],
    diagnostics: &mut Diagnostics,
) {
    let vlan = segment.vlan_id();
    let reserving = members.iter().find_map(|&member| {
        let platform = index.switches.get(member)?.platform.value;
        let range = platform.numbering().reserved_vlans.as_ref()?;
        range.contains(&vlan).then_some((member, platform, range))
    });
    if let Some((member, platform, range)) = reserving {
        diagnostics.push(
            Diagnostic::error(
                "E021",
                format!(
                    "VLAN {vlan} of segment `{}` reaches `{member}`, and is in {}'s reserved range {}-{}",
                    segment.name.value,
                    platform.cli_text().name,
                    range.start(),
                    range.end()
                ),
            )
            .at(segment.vlan.loc)
            .hint(crate::check::usable_vlans_hint()),
        );
    }
}

/// A bundle of a group that needs a port-channel number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bundle {
    PeerLink,
    Uplink((GroupId, GroupId)),
    Edge(usize),
}

fn ports_on<'a>(ports: impl Iterator<Item = &'a PortRef>, members: &[&str]) -> Vec<&'a PortRef> {
    let mut on: Vec<&PortRef> = ports
        .filter(|p| members.contains(&p.switch.as_str()))
        .collect();
    on.sort_by(|a, b| (a.switch.as_str(), &a.port.value).cmp(&(b.switch.as_str(), &b.port.value)));
    on
}

/// Port-channel numbers per group (see [`numbering`]).
fn allocate(
    topology: &Topology,
    index: &Index,
    closure: &Closure,
) -> HashMap<(GroupId, Bundle), u32> {
    let mut requests: BTreeMap<GroupId, Vec<(Bundle, Vec<&PortRef>)>> = BTreeMap::new();
    for (group, links) in &topology.peer_links {
        let ports = links.iter().flat_map(|l| l.ends.iter()).collect();
        requests
            .entry(*group)
            .or_default()
            .push((Bundle::PeerLink, ports));
    }
    for (key, links) in &topology.bundles {
        for group in [key.0, key.1] {
            let members = &topology.groups[group].members;
            let ports = ports_on(links.iter().flat_map(|l| l.ends.iter()), members);
            requests
                .entry(group)
                .or_default()
                .push((Bundle::Uplink(*key), ports));
        }
    }
    for (i, edge) in closure.edge_ports.iter().enumerate() {
        if edge.bundled {
            requests
                .entry(edge.group)
                .or_default()
                .push((Bundle::Edge(i), edge.ports.iter().collect()));
        }
    }
    let mut numbers = HashMap::new();
    for (group, bundles) in requests {
        let rules = numbering::platform_of(topology, index, group).numbering();
        let asks: Vec<(u32, String)> = bundles
            .iter()
            .map(|(_, ports)| {
                let lowest = ports.iter().map(|p| &p.port.value).min();
                (
                    lowest.map_or(1, rules.port_channel_of),
                    ports.first().map(|p| p.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        let numbers_of_group = numbering::allocate_port_channels(&asks, rules.max_port_channel);
        for ((bundle, _), number) in bundles.iter().zip(numbers_of_group) {
            numbers.insert((group, *bundle), number);
        }
    }
    numbers
}

/// The SVI addresses of a routed segment on its gateway group.
#[derive(Debug, Clone)]
struct GatewayAddresses {
    virtual_ip: Ipv4Addr,
    prefix: u8,
    /// One per member, in member order.
    own: Vec<Ipv4Addr>,
}

/// On a pair the segment gateway is the HSRP virtual address and the
/// members, in name order, take the two addresses after it (gateway + 1,
/// gateway + 2), or the two before it when the gateway is at the top of the
/// subnet (gateway - 2, gateway - 1). A single gateway switch takes the
/// gateway address itself.
fn gateway_addresses(
    topology: &Topology,
    closure: &Closure,
    diagnostics: &mut Diagnostics,
) -> HashMap<(GroupId, u16), GatewayAddresses> {
    let mut out = HashMap::new();
    for (group, svis) in closure.svis.iter().enumerate() {
        let members = topology.groups[group].members.len();
        for (vlan, segment) in svis {
            match addresses_for(segment, members) {
                Ok(addresses) => {
                    out.insert((group, *vlan), addresses);
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
    }
    out
}

fn addresses_for(segment: &Segment, members: usize) -> Result<GatewayAddresses, Diagnostic> {
    let subnet = segment.subnet.as_ref().ok_or_else(|| {
        Diagnostic::error(
            "E005",
            format!("routed segment `{}` has no subnet", segment.name.value),
        )
        .at(segment.loc)
    })?;
    let IpNetwork::V4(net) = subnet.value else {
        return Err(Diagnostic::error(
            "E011",
            format!(
                "segment `{}`: IPv6 gateways are not supported yet",
                segment.name.value
            ),
        )
        .at(subnet.loc)
        .hint("use an IPv4 subnet, or `routed: false`"));
    };
    let first_usable = u32::from(net.network()).saturating_add(1);
    let gateway = match segment.gateway.as_ref().map(|g| g.value) {
        Some(IpAddr::V4(g)) => g,
        Some(IpAddr::V6(_)) => {
            return Err(
                Diagnostic::error("E033", "an IPv6 gateway in an IPv4 subnet")
                    .at(segment.gateway.as_ref().map_or(segment.loc, |g| g.loc)),
            )
        }
        None => Ipv4Addr::from(first_usable),
    };
    let usable = |a: Ipv4Addr| usable_host(net, a);
    let offset = |delta: i64| {
        Ipv4Addr::from((i64::from(u32::from(gateway)) + delta).clamp(0, u32::MAX as i64) as u32)
    };
    let after: Vec<Ipv4Addr> = (1..=members as i64).map(offset).collect();
    let before: Vec<Ipv4Addr> = (1..=members as i64).rev().map(|d| offset(-d)).collect();
    let own = if members < 2 {
        Some(vec![gateway])
    } else if after.iter().all(|a| usable(*a)) {
        Some(after)
    } else if before.iter().all(|a| usable(*a)) {
        Some(before)
    } else {
        None
    };
    let Some(own) = own.filter(|_| usable(gateway)) else {
        let at = segment.gateway.as_ref().map_or(subnet.loc, |g| g.loc);
        return Err(Diagnostic::error(
            "E035",
            format!(
                "segment `{}`: subnet {net} has no room for gateway {gateway}{}",
                segment.name.value,
                if members > 1 { " and the gateway pair's own two addresses next to it" } else { "" }
            ),
        )
        .at(at)
        .hint("a gateway pair's members take the two addresses after the gateway (or before it, at the top of the subnet): use a larger subnet"));
    };
    Ok(GatewayAddresses {
        virtual_ip: gateway,
        prefix: net.prefix(),
        own,
    })
}

fn usable_host(net: Ipv4Network, address: Ipv4Addr) -> bool {
    net.contains(address)
        && (net.prefix() >= 31 || (address != net.network() && address != net.broadcast()))
}

/// The two addresses of the peer VLAN SVIs of a pair whose platform
/// routes that VLAN, in member order by name (the first takes the even
/// one): the platform's `pair_peer_subnet`.
fn pair_peer_addresses(platform: Platform) -> Option<[Ipv4Addr; 2]> {
    let base = platform.numbering().pair_peer_subnet?;
    Some([base, Ipv4Addr::from(u32::from(base) + 1)])
}

/// `name`'s peer VLAN SVI addresses, in a pair with `peer`.
fn peer_vlan_addresses(platform: Platform, name: &str, peer: &str) -> Option<PeerVlanAddresses> {
    let [low, high] = pair_peer_addresses(platform)?;
    let (own, other) = if name < peer {
        (low, high)
    } else {
        (high, low)
    };
    Some(PeerVlanAddresses {
        address: format!("{own}/31"),
        peer: other.to_string(),
    })
}

/// The fabric's own addresses: every gateway SVI's own and virtual
/// addresses, by segment, every external link's address, the transit
/// /31s, and the peer VLAN /31 of a pair whose platform routes one (EOS's
/// MLAG peer SVI) where the pair routes the default VRF, the VRF that
/// SVI is in.
fn router_addresses(
    inventory: &Inventory,
    index: &Index,
    topology: &Topology,
    closure: &Closure,
    gateways: &HashMap<(GroupId, u16), GatewayAddresses>,
    transits: &BTreeMap<GroupId, Vec<TransitLink>>,
    vrfs_with_gateway: &BTreeMap<GroupId, BTreeSet<String>>,
) -> RouterAddresses {
    let mut out = RouterAddresses::default();
    for (group, svis) in closure.svis.iter().enumerate() {
        let first = topology.groups[group].members[0].to_string();
        for (vlan, segment) in svis {
            let (Some(addresses), Some(IpNetwork::V4(subnet))) = (
                gateways.get(&(group, *vlan)),
                segment.subnet.as_ref().map(|s| s.value),
            ) else {
                continue;
            };
            let mut hosts: Vec<Ipv4Addr> = addresses.own.clone();
            hosts.push(addresses.virtual_ip);
            let covered = covering(subnet, &hosts);
            let routers = out.groups.entry(first.clone()).or_default();
            routers.segments.insert(segment.name.value.clone());
            routers.prefixes.extend(&covered);
            out.gateways
                .entry(segment.name.value.clone())
                .or_default()
                .extend(covered);
        }
    }
    for external in &inventory.external {
        let (Some(&group), IpAddr::V4(address)) = (
            topology.group_of.get(external.switch.as_str()),
            external.address.value.ip(),
        ) else {
            continue;
        };
        let first = topology.groups[group].members[0].to_string();
        out.groups
            .entry(first)
            .or_default()
            .prefixes
            .push(Ipv4Network::new(address, 32).expect("a /32 is valid"));
    }
    for (group, links) in transits {
        let first = topology.groups[*group].members[0].to_string();
        let prefixes = &mut out.groups.entry(first).or_default().prefixes;
        for link in links {
            let base = Ipv4Network::new(link.addresses[0], 31).expect("a /31 is valid");
            prefixes.push(base);
        }
    }
    for group in topology.peer_links.keys() {
        let members = &topology.groups[*group].members;
        let platform = index.switches.get(members[0]).map(|s| s.platform.value);
        let routes_default = vrfs_with_gateway
            .get(group)
            .is_some_and(|vrfs| vrfs.contains(DEFAULT_VRF))
            || inventory
                .external
                .iter()
                .any(|e| members.contains(&e.switch.as_str()) && e.vrf() == DEFAULT_VRF);
        if let Some([base, _]) = platform
            .filter(|_| routes_default)
            .and_then(pair_peer_addresses)
        {
            let first = members[0].to_string();
            let prefixes = &mut out.groups.entry(first).or_default().prefixes;
            prefixes.push(Ipv4Network::new(base, 31).expect("a /31 is valid"));
        }
    }
    for prefixes in out
        .gateways
        .values_mut()
        .chain(out.groups.values_mut().map(|g| &mut g.prefixes))
    {
        prefixes.sort_unstable();
        prefixes.dedup();
    }
    out
}

/// `hosts` of `subnet` as few prefixes as can be had without covering
/// another host: the smallest prefix holding them all when everything else
/// in it is the subnet's network or broadcast address (no host has
/// those), else one /32 each.
fn covering(subnet: Ipv4Network, hosts: &[Ipv4Addr]) -> Vec<Ipv4Network> {
    let (Some(low), Some(high)) = (
        hosts.iter().map(|a| u32::from(*a)).min(),
        hosts.iter().map(|a| u32::from(*a)).max(),
    ) else {
        return Vec::new();
    };
    let length = (low ^ high).leading_zeros().min(32) as u8;
    let candidate = Ipv4Network::new(Ipv4Addr::from(low), length)
        .ok()
        .and_then(|p| Ipv4Network::new(p.network(), length).ok());
    if let Some(prefix) = candidate {
        let spare = [subnet.network(), subnet.broadcast()];
        let clean = subnet.prefix() < 31
            && subnet.contains(prefix.network())
            && subnet.contains(prefix.broadcast())
            && prefix.size() <= hosts.len() as u32 + 2
            && prefix
                .iter()
                .all(|a| hosts.contains(&a) || spare.contains(&a));
        if clean {
            return vec![prefix];
        }
    }
    hosts
        .iter()
        .map(|a| Ipv4Network::new(*a, 32).expect("a /32 is valid"))
        .collect()
}

/// The VRF name of an optional VRF (None: the default VRF).
fn vrf_name(vrf: &Option<String>) -> &str {
    vrf.as_deref().unwrap_or(DEFAULT_VRF)
}

/// Per switch with external links, per VRF of those links: the key of
/// their ACL (the VRF and the switch's gateway segments in it).
fn edge_keys(
    topology: &Topology,
    closure: &Closure,
    externals: &BTreeMap<String, Vec<ExternalPort>>,
) -> HashMap<String, BTreeMap<String, EdgeKey>> {
    let mut out: HashMap<String, BTreeMap<String, EdgeKey>> = HashMap::new();
    for (switch, ports) in externals {
        let Some(&group) = topology.group_of.get(switch.as_str()) else {
            continue;
        };
        for port in ports {
            let vrf = vrf_name(&port.vrf).to_string();
            let segments: BTreeSet<String> = closure.svis[group]
                .values()
                .filter(|s| s.vrf() == vrf)
                .map(|s| s.name.value.clone())
                .collect();
            out.entry(switch.clone())
                .or_default()
                .entry(vrf.clone())
                .or_insert_with(|| EdgeKey {
                    group: topology.groups[group].members[0].to_string(),
                    vrf,
                    segments: segments.into_iter().collect(),
                });
        }
    }
    out
}

struct ExternalPort {
    port: String,
    vrf: Option<String>,
    address: String,
    next_hop: String,
}

/// Routed links out of the fabric, per switch.
fn externals(
    inventory: &Inventory,
    topology: &Topology,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Vec<ExternalPort>> {
    let mut out: BTreeMap<String, Vec<ExternalPort>> = BTreeMap::new();
    for external in &inventory.external {
        if !topology.role_is_gateway(external.switch.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    "E104",
                    format!(
                        "external link on `{}`, which is not a gateway switch ({})",
                        external.switch.value,
                        inventory.fabric.gateway_role().as_str()
                    ),
                )
                .at(external.switch.loc)
                .hint("routed links out of the fabric sit on the switches that hold the gateways"),
            );
            continue;
        }
        let address = external.address.value;
        if !address.contains(external.next_hop.value) || address.ip() == external.next_hop.value {
            diagnostics.push(
                Diagnostic::error(
                    "E011",
                    format!(
                        "next hop {} is not another address of {address}",
                        external.next_hop.value
                    ),
                )
                .at(external.next_hop.loc)
                .hint("the next hop is the far end of the routed link, inside its subnet"),
            );
            continue;
        }
        let vrf = (external.vrf() != DEFAULT_VRF).then(|| external.vrf().to_string());
        out.entry(external.switch.value.clone())
            .or_default()
            .push(ExternalPort {
                port: external.port.value.to_string(),
                vrf,
                address: address.to_string(),
                next_hop: external.next_hop.value.to_string(),
            });
    }
    out
}

fn describe(label: String, description: Option<&str>) -> String {
    match description {
        Some(text) => format!("{label}: {text}"),
        None => label,
    }
}

struct Assembler<'a, 'i> {
    inventory: &'i Inventory,
    index: &'a Index<'i>,
    segment_of_vlan: &'a HashMap<u16, &'i Segment>,
    /// Per group: the bundles to other groups and the host-facing ports.
    bundles_of: &'a HashMap<GroupId, Vec<(GroupId, GroupId)>>,
    edges_of: &'a HashMap<GroupId, Vec<usize>>,
    topology: &'a Topology<'i>,
    closure: &'a Closure<'i>,
    port_channels: &'a HashMap<(GroupId, Bundle), u32>,
    domains: &'a HashMap<GroupId, u16>,
    gateways: &'a HashMap<(GroupId, u16), GatewayAddresses>,
    externals: &'a BTreeMap<String, Vec<ExternalPort>>,
    transits: &'a BTreeMap<GroupId, Vec<TransitLink>>,
    /// Per switch with external links, by VRF: what their ACL depends on.
    edges: &'a HashMap<String, BTreeMap<String, EdgeKey>>,
    acls: &'a AclPlan,
    fabric: &'a str,
    stp: &'a StpPlan,
    vpc: &'a VpcPlan,
}

/// vPC failure-mode timers (docs/design.md, "vPC failure modes").
struct VpcPlan {
    auto_recovery_reload_delay: u32,
    delay_restore: u32,
}

/// `auto-recovery reload-delay`: after both members reloaded and only one
/// came back, how long it waits for its peer before it brings its vPCs up
/// alone. NX-OS's default is its minimum, 240 s (Nexus 9000 interfaces
/// guide 9.3, vPC chapter, "auto-recovery"); 360 s is liaison's choice (a
/// guess, not a Cisco figure) giving a slowly booting peer more time, and
/// a value that differs from the default is always printed by the switch.
/// `fabric.vpc.auto_recovery_reload_delay` overrides it.
const AUTO_RECOVERY_RELOAD_DELAY: u32 = 360;
/// `delay restore` on the gateway pair: NX-OS's default is 30 s (same
/// guide, "delay restore"); a returning gateway should have its routes
/// and ARP entries before its vPCs attract traffic, so liaison waits 150 s
/// (a guess, not a Cisco figure; `fabric.vpc.delay_restore` overrides it).
const DELAY_RESTORE: u32 = 150;

impl VpcPlan {
    fn new(fabric: &crate::inventory::Fabric) -> Self {
        let t = &fabric.vpc;
        VpcPlan {
            auto_recovery_reload_delay: t
                .auto_recovery_reload_delay
                .as_ref()
                .map_or(AUTO_RECOVERY_RELOAD_DELAY, |v| v.value),
            delay_restore: t.delay_restore.as_ref().map_or(DELAY_RESTORE, |v| v.value),
        }
    }
}

/// Spanning-tree design (docs/design.md, "Spanning tree"): the gateway switches
/// are the root of every tree, everything else is above them.
struct StpPlan {
    mode: crate::inventory::StpMode,
    root_priority: u32,
    priority: u32,
    root_guard: bool,
}

/// Cisco's recommended root priority (Nexus 9000 Layer 2 Switching
/// Configuration Guide, "Configuring the Root Bridge": 4096 below the
/// 32768 default leaves room for a secondary root in between).
const ROOT_PRIORITY: u32 = 4096;
/// Non-gateway switches: above the root, below the 32768 default, so a
/// switch outside the inventory (default priority) never becomes a better
/// root than a ToR. liaison's choice.
const SWITCH_PRIORITY: u32 = 16384;

impl StpPlan {
    fn new(fabric: &crate::inventory::Fabric) -> Self {
        let s = &fabric.stp_settings;
        StpPlan {
            mode: fabric
                .stp
                .as_ref()
                .map_or(crate::inventory::StpMode::Mst, |s| s.value),
            root_priority: s.root_priority.as_ref().map_or(ROOT_PRIORITY, |p| p.value),
            priority: s.priority.as_ref().map_or(SWITCH_PRIORITY, |p| p.value),
            root_guard: s.root_guard.as_ref().is_none_or(|g| g.value),
        }
    }

    /// The gateway switches must win the root election: E170 otherwise.
    fn check(fabric: &crate::inventory::Fabric, diagnostics: &mut Diagnostics) {
        let plan = StpPlan::new(fabric);
        if plan.root_priority < plan.priority {
            return;
        }
        let s = &fabric.stp_settings;
        let loc = s
            .root_priority
            .as_ref()
            .or(s.priority.as_ref())
            .map(|p| p.loc);
        let mut diagnostic = Diagnostic::error(
            "E170",
            format!(
                "`fabric.stp`: root_priority {} is not below priority {}: the gateway switches would not be the spanning-tree root",
                plan.root_priority, plan.priority
            ),
        )
        .hint("give the gateways the lowest priority, e.g. `root_priority: 4096` and `priority: 16384`");
        if let Some(loc) = loc {
            diagnostic = diagnostic.at(loc);
        }
        diagnostics.push(diagnostic);
    }
}

impl Assembler<'_, '_> {
    /// The largest MTU of the segments on `vlans`, when it is above the
    /// Ethernet default: a port carrying them needs jumbo frames.
    fn frame_mtu(&self, vlans: &BTreeSet<u16>) -> Option<u32> {
        vlans
            .iter()
            .filter_map(|v| self.segment_of_vlan.get(v))
            .map(|s| segment_mtu(self.inventory, s))
            .max()
            .filter(|m| *m > DEFAULT_MTU)
    }

    fn device(&self, name: &str) -> DeviceIntent {
        let switch = self.index.switches[name];
        let group_id = self.topology.group_of[name];
        let group = &self.topology.groups[group_id];
        let member_index = group.members.iter().position(|m| *m == name).unwrap_or(0);
        let transits: &[TransitLink] = self.transits.get(&group_id).map_or(&[], Vec::as_slice);
        // The segments' VLANs and the pair's backup paths (peer-link only).
        let group_vlans: &BTreeSet<u16> = &self.closure.group_vlans[group_id]
            .iter()
            .copied()
            .chain(transits.iter().map(|t| t.vlan))
            .collect();
        let vlans = group_vlans
            .iter()
            .map(|id| Vlan {
                id: *id,
                name: match (
                    self.segment_of_vlan.get(id),
                    transits.iter().find(|t| t.vlan == *id),
                ) {
                    (Some(s), _) => s.name.value.clone(),
                    (None, Some(t)) => format!("transit-{}", t.vrf),
                    (None, None) => format!("vlan{id}"),
                },
            })
            .collect();

        let mut ports = SwitchPorts::new(name);

        // Peer-link.
        let mut mlag = None;
        if group.is_pair() {
            let peer = group.members[1 - member_index];
            let links = self.topology.peer_links.get(&group_id);
            if let Some(links) = links {
                let number = self.port_channels[&(group_id, Bundle::PeerLink)];
                let far_end = far_ends(links);
                ports.add_bundle(BundleSpec {
                    number,
                    description: format!(
                        "{} to {peer}",
                        switch.platform.value.pair_words().peer_link_description
                    ),
                    switchport: Switchport {
                        mtu: self.frame_mtu(group_vlans),
                        ..trunk(group_vlans, Some(StpPortType::Network))
                    },
                    members: links.iter().flat_map(|l| l.ends.iter()).collect(),
                    spans_pair: false,
                    peer_link: true,
                    orphan: false,
                    member_description: &|p| {
                        format!(
                            "peer-link to {}",
                            far_end.get(&p.to_string()).cloned().unwrap_or_default()
                        )
                    },
                });
                mlag = Some(Mlag {
                    domain: self.domains.get(&group_id).copied().unwrap_or(1),
                    peer: peer.to_string(),
                    role_priority: if member_index == 0 { 10 } else { 20 },
                    keepalive: keepalive(switch, self.index.switches[peer]),
                    peer_link: number,
                    peer_switch: group.gateway,
                    auto_recovery_reload_delay: self.vpc.auto_recovery_reload_delay,
                    delay_restore: group.gateway.then_some(self.vpc.delay_restore),
                    peer_vlan: peer_vlan_addresses(switch.platform.value, name, peer),
                });
            }
        }

        // Bundles to other groups.
        for key in self.bundles_of.get(&group_id).into_iter().flatten() {
            let links = &self.topology.bundles[key];
            let other = if key.0 == group_id { key.1 } else { key.0 };
            let ours = ports_on(links.iter().flat_map(|l| l.ends.iter()), &group.members);
            if !ours.iter().any(|p| p.switch.value == name) {
                continue;
            }
            let spans_pair = group.is_pair()
                && group
                    .members
                    .iter()
                    .all(|m| ours.iter().any(|p| p.switch.value == *m));
            let far_end = far_ends(links);
            let vlans = &self.closure.bundle_vlans[key];
            let mut switchport = trunk(vlans, None);
            switchport.mtu = self.frame_mtu(vlans);
            // Nothing below a gateway may become the root.
            switchport.root_guard =
                self.stp.root_guard && group.gateway && !self.topology.groups[other].gateway;
            ports.add_bundle(BundleSpec {
                number: self.port_channels[&(group_id, Bundle::Uplink(*key))],
                description: format!("link to {}", self.topology.groups[other].label()),
                switchport,
                members: ours,
                spans_pair,
                peer_link: false,
                orphan: false,
                member_description: &|p| {
                    format!(
                        "link to {}",
                        far_end.get(&p.to_string()).cloned().unwrap_or_default()
                    )
                },
            });
        }

        // Host-facing ports.
        for &i in self.edges_of.get(&group_id).into_iter().flatten() {
            let edge = &self.closure.edge_ports[i];
            if !edge.ports.iter().any(|p| p.switch.value == name) {
                continue;
            }
            let switchport = if edge.access {
                Switchport {
                    mode: SwitchportMode::Access,
                    allowed_vlans: Vec::new(),
                    access_vlan: edge.vlans.iter().next().copied(),
                    stp_port_type: Some(StpPortType::Edge),
                    bpdu_guard: true,
                    root_guard: false,
                    mtu: self.frame_mtu(&edge.vlans),
                }
            } else {
                Switchport {
                    bpdu_guard: true,
                    mtu: self.frame_mtu(&edge.vlans),
                    ..trunk(&edge.vlans, Some(StpPortType::Edge))
                }
            };
            let label = describe(edge.label(), edge.owner.description());
            if edge.bundled {
                let spans_pair = group.is_pair()
                    && group
                        .members
                        .iter()
                        .all(|m| edge.ports.iter().any(|p| p.switch.value == *m));
                ports.add_bundle(BundleSpec {
                    number: self.port_channels[&(group_id, Bundle::Edge(i))],
                    description: label.clone(),
                    switchport,
                    members: edge.ports.iter().collect(),
                    spans_pair,
                    peer_link: false,
                    orphan: group.is_pair() && !spans_pair,
                    member_description: &|_| label.clone(),
                });
            } else {
                for port in edge.ports.iter().filter(|p| p.switch.value == name) {
                    ports.interfaces.push((
                        port.port.value.clone(),
                        Interface {
                            name: port.port.value.to_string(),
                            description: label.clone(),
                            switchport: Some(switchport.clone()),
                            channel_group: None,
                            routed: None,
                            orphan_suspend: group.is_pair(),
                        },
                    ));
                }
            }
        }

        // Routed links out of the fabric.
        let mut vrfs: BTreeMap<String, Vec<Route>> = BTreeMap::new();
        let mut routes = Vec::new();
        for external in self.externals.get(name).into_iter().flatten() {
            let port =
                crate::inventory::Port::parse(&external.port).expect("normalised port parses");
            ports.interfaces.push((
                port,
                Interface {
                    name: external.port.clone(),
                    description: format!("external: next hop {}", external.next_hop),
                    switchport: None,
                    channel_group: None,
                    orphan_suspend: false,
                    routed: Some(Routed {
                        vrf: external.vrf.clone(),
                        address: external.address.clone(),
                        acl_in: self
                            .edges
                            .get(name)
                            .and_then(|e| e.get(vrf_name(&external.vrf)))
                            .and_then(|key| self.acls.edge(key))
                            .map(|edge| edge.acl.name.clone()),
                    }),
                },
            ));
            let route = Route {
                prefix: "0.0.0.0/0".to_string(),
                next_hop: external.next_hop.clone(),
                distance: None,
            };
            match &external.vrf {
                Some(vrf) => vrfs.entry(vrf.clone()).or_default().push(route),
                None => routes.push(route),
            }
        }

        // Backup paths to the peer: a floating default where the peer has
        // an external link of its own in the VRF.
        let mut transit_svis = Vec::new();
        for link in transits {
            let vrf = (link.vrf != DEFAULT_VRF).then(|| link.vrf.clone());
            let peer = group.members[1 - member_index];
            transit_svis.push(TransitSvi {
                vlan: link.vlan,
                description: format!("backup path to {peer} (vrf {})", link.vrf),
                vrf: vrf.clone(),
                address: format!("{}/31", link.addresses[member_index]),
            });
            if link.floating[member_index] {
                let route = Route {
                    prefix: "0.0.0.0/0".to_string(),
                    next_hop: link.addresses[1 - member_index].to_string(),
                    distance: Some(transit::FLOATING_DISTANCE),
                };
                match vrf {
                    Some(vrf) => vrfs.entry(vrf).or_default().push(route),
                    None => routes.push(route),
                }
            }
        }

        // Gateways.
        let mut svis = Vec::new();
        for (vlan, segment) in &self.closure.svis[group_id] {
            let Some(addresses) = self.gateways.get(&(group_id, *vlan)) else {
                continue;
            };
            let vrf = (segment.vrf() != DEFAULT_VRF).then(|| segment.vrf().to_string());
            if let Some(vrf) = &vrf {
                vrfs.entry(vrf.clone()).or_default();
            }
            let own = addresses
                .own
                .get(member_index)
                .copied()
                .unwrap_or(addresses.virtual_ip);
            let segment_acls = self.acls.of(group.members[0], segment.name.as_str());
            svis.push(Svi {
                vlan: *vlan,
                segment: segment.name.value.clone(),
                description: segment
                    .description
                    .as_ref()
                    .map_or_else(|| segment.name.value.clone(), |d| d.value.clone()),
                vrf,
                address: format!("{own}/{}", addresses.prefix),
                mtu: Some(segment_mtu(self.inventory, segment)).filter(|m| *m != DEFAULT_MTU),
                fhrp: group.is_pair().then(|| Fhrp {
                    group: *vlan,
                    version: switch.platform.value.numbering().fhrp_version(*vlan),
                    virtual_ip: addresses.virtual_ip.to_string(),
                    priority: (member_index == 0).then_some(110),
                    preempt: true,
                }),
                acl_in: segment_acls.map(|a| a.acl_in.name.clone()),
                acl_out: segment_acls
                    .and_then(|a| a.acl_out.as_ref())
                    .map(|acl| acl.name.clone()),
            });
        }

        let SwitchPorts {
            mut port_channels,
            mut interfaces,
            ..
        } = ports;
        port_channels.sort_by_key(|p| p.id);
        interfaces.sort_by(|a, b| a.0.cmp(&b.0));
        for vrf in vrfs.values_mut() {
            // The primary route first, then the floating ones.
            vrf.sort_by(|a, b| {
                (&a.prefix, a.distance, &a.next_hop).cmp(&(&b.prefix, b.distance, &b.next_hop))
            });
            vrf.dedup();
        }
        routes.sort_by(|a: &Route, b: &Route| {
            (&a.prefix, a.distance, &a.next_hop).cmp(&(&b.prefix, b.distance, &b.next_hop))
        });
        routes.dedup();
        let (acls, address_groups, port_groups) = self.acls.for_switch(
            group.members[0],
            svis.iter().map(|s| s.segment.as_str()),
            self.edges.get(name).into_iter().flat_map(|e| e.values()),
        );
        let features = Features {
            svi: !svis.is_empty(),
            fhrp: svis.iter().any(|s| s.fhrp.is_some()),
            lacp: !port_channels.is_empty(),
            mlag: mlag.is_some(),
        };
        DeviceIntent {
            name: name.to_string(),
            platform: switch.platform.value,
            role: switch.role.value,
            model: switch.model.as_ref().map(|m| m.value.clone()),
            port_defaults: switch.port_defaults,
            description: switch.description.as_ref().map(|d| d.value.clone()),
            fabric: self.fabric.to_string(),
            features,
            stp: SpanningTree {
                mode: self.stp.mode,
                region: self.fabric.to_string(),
                priority: if group.gateway {
                    self.stp.root_priority
                } else {
                    self.stp.priority
                },
                vlans: std::iter::once(1)
                    .chain(group_vlans.iter().copied())
                    .collect::<BTreeSet<u16>>()
                    .into_iter()
                    .collect(),
                root: group.gateway,
            },
            vlans,
            vrfs: vrfs
                .into_iter()
                .map(|(name, routes)| Vrf { name, routes })
                .collect(),
            routes,
            mlag,
            svis,
            transit_svis,
            port_channels,
            breakouts: breakout_ranges(&switch.breakout),
            interfaces: interfaces.into_iter().map(|(_, i)| i).collect(),
            address_groups,
            port_groups,
            acls,
        }
    }
}

/// A switch's `breakout:` as runs of consecutive ports with one map.
fn breakout_ranges(breakouts: &[crate::inventory::Breakout]) -> Vec<BreakoutRange> {
    // A platform that breaks ports out names a whole port by module and
    // port (`PortNaming::whole_port_numbers`; the inventory refuses
    // `breakout:` on the others).
    let mut ports: Vec<(u16, u16, BreakoutMap)> = breakouts
        .iter()
        .filter_map(|b| match *b.port.value.numbers() {
            [module, port] => Some((module, port, b.map.value)),
            _ => None,
        })
        .collect();
    // By the map's name on a tie, as the maps are spelled.
    ports.sort_unstable_by_key(|&(slot, port, map)| (slot, port, map.as_str()));
    ports.dedup_by_key(|(slot, port, _)| (*slot, *port));
    let mut runs: Vec<(u16, u16, u16, BreakoutMap)> = Vec::new();
    for (slot, port, map) in ports {
        match runs.last_mut() {
            Some((s, _, last, m)) if *s == slot && *m == map && *last + 1 == port => *last = port,
            _ => runs.push((slot, port, port, map)),
        }
    }
    runs.into_iter()
        .map(|(module, first, last, map)| BreakoutRange {
            module,
            ports: if first == last {
                first.to_string()
            } else {
                format!("{first}-{last}")
            },
            map,
        })
        .collect()
}

struct BundleSpec<'p, 'f> {
    number: u32,
    description: String,
    switchport: Switchport,
    members: Vec<&'p PortRef>,
    spans_pair: bool,
    peer_link: bool,
    /// Host-facing bundle of a pair on one member only: its members get
    /// `vpc orphan-port suspend` (a physical-port command).
    orphan: bool,
    member_description: &'f dyn Fn(&PortRef) -> String,
}

/// The port-channels and physical ports of one switch as they are decided.
struct SwitchPorts<'n> {
    name: &'n str,
    port_channels: Vec<PortChannel>,
    interfaces: Vec<(crate::inventory::Port, Interface)>,
}

impl<'n> SwitchPorts<'n> {
    fn new(name: &'n str) -> Self {
        SwitchPorts {
            name,
            port_channels: Vec::new(),
            interfaces: Vec::new(),
        }
    }

    /// A port-channel and its member ports on this switch; members carry
    /// the port-channel's switchport settings, as NX-OS requires.
    fn add_bundle(&mut self, spec: BundleSpec) {
        for port in spec.members.iter().filter(|p| p.switch.value == self.name) {
            self.interfaces.push((
                port.port.value.clone(),
                Interface {
                    name: port.port.value.to_string(),
                    description: (spec.member_description)(port),
                    switchport: Some(spec.switchport.clone()),
                    channel_group: Some(spec.number),
                    routed: None,
                    orphan_suspend: spec.orphan,
                },
            ));
        }
        self.port_channels.push(PortChannel {
            id: spec.number,
            description: spec.description,
            switchport: spec.switchport,
            mlag_id: (spec.spans_pair && !spec.peer_link).then_some(spec.number),
            peer_link: spec.peer_link,
        });
    }
}

/// `switch:port` → the `switch:port` at the other end of its cable.
fn far_ends(links: &[&crate::inventory::Link]) -> HashMap<String, String> {
    links
        .iter()
        .flat_map(|l| {
            let [a, b] = &l.ends;
            [
                (a.to_string(), b.to_string()),
                (b.to_string(), a.to_string()),
            ]
        })
        .collect()
}

fn trunk(vlans: &BTreeSet<u16>, stp_port_type: Option<StpPortType>) -> Switchport {
    Switchport {
        mode: SwitchportMode::Trunk,
        allowed_vlans: vlans.iter().copied().collect(),
        access_vlan: None,
        stp_port_type,
        bpdu_guard: false,
        root_guard: false,
        mtu: None,
    }
}

/// The pair's heartbeat over the management network (NX-OS's vPC
/// peer-keepalive), between the members' keepalive addresses.
fn keepalive(own: &Switch, peer: &Switch) -> Option<Keepalive> {
    Some(Keepalive {
        source: keepalive_address(own)?.to_string(),
        destination: keepalive_address(peer)?.to_string(),
    })
}

fn keepalive_address(switch: &Switch) -> Option<Ipv4Addr> {
    switch.keepalive_address().map(|(address, _)| address.value)
}

/// A pair whose platform needs a management-network heartbeat
/// ([`crate::platform::PairWords::keepalive`]) never brings its
/// peer-link up without one: say which member lacks an address, and how
/// to give it one.
fn keepalives(index: &Index, topology: &Topology, diagnostics: &mut Diagnostics) {
    for group in topology.groups.iter().filter(|g| g.is_pair()) {
        for member in &group.members {
            let switch = index.switches[member];
            let platform = switch.platform.value;
            let words = platform.pair_words();
            // A platform whose pair needs no management-network heartbeat
            // uses no keepalive address.
            let Some(heartbeat) = &words.keepalive else {
                continue;
            };
            if keepalive_address(switch).is_some() {
                continue;
            }
            let mgmt = switch.mgmt.as_ref();
            diagnostics.push(
                Diagnostic::warning(
                    "W003",
                    format!(
                        "pair {}: no {}, `{member}` has no management address{}",
                        group.label(),
                        heartbeat.name,
                        mgmt.map_or(String::new(), |m| format!(
                            " (mgmt `{}` is not a bare IPv4 address)",
                            m.value
                        ))
                    ),
                )
                .at(mgmt.map_or(switch.loc, |m| m.loc))
                .hint(format!(
                    "add `keepalive: A.B.C.D` (the address of {member}'s {}) to the switch; without a {} the {} peer-link stays down",
                    words.management_interface,
                    heartbeat.short,
                    platform.pair_name()
                )),
            );
        }
    }
}

/// Every pair needs its peer-link cabled (a platform without templates
/// is refused by the commands that render: `crate::analyse_to_render`).
fn peer_links(index: &Index, topology: &Topology, diagnostics: &mut Diagnostics) {
    for (id, group) in topology.groups.iter().enumerate() {
        if group.is_pair() && !topology.peer_links.contains_key(&id) {
            let first = index.switches[group.members[0]];
            diagnostics.push(
                Diagnostic::error("E107", format!("pair {} has no peer-link", group.label()))
                    .at(first.pair.as_ref().map_or(first.loc, |p| p.loc))
                    .hint(format!(
                        "cable the two members under `links`: `- [{}:{port}, {}:{port}]`",
                        group.members[0],
                        group.members[1],
                        port = first.platform.value.pair_words().port_example
                    )),
            );
        }
    }
}

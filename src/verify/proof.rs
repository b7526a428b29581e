//! The proof: for every zone, host and segment, what must hold on the
//! running fabric for any VM of the zone to run on any of its hosts, and
//! the findings where it does not.
//!
//! What must hold comes from the inventory alone, through the compiler's
//! own topology and closure (`compile::topology`, `compile::closure`):
//! which ports a host's traffic uses, which bundles and peer-links lead up
//! to its gateways, which switches hold its segments' gateways. What holds
//! is read from the configs ([`ObservedDevice`]), found by physical port:
//! a port's channel-group leads to its port-channel, whatever its number.
//!
//! Findings are collected per cause (a switch and an interface or section)
//! and carry every host and segment that cause breaks.

use super::observed::{Layer, ObservedDevice, ObservedInterface, VirtualMac, Vpc};
use super::{ConfigPlace, Finding, Impact, Kind, Report, Summary};
use crate::compile::closure::{Closure, Owner};
use crate::compile::topology::{GroupId, Topology};
use crate::diag::{Loc, Sources};
use crate::intent::Intent;
use crate::inventory::{Attachment, Index, Inventory, PortRef, Segment};
use crate::vlan::VlanSet;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// Who needs a path: a host of a zone, or an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Who {
    /// Index into the inventory's `hosts`.
    Host(usize),
    /// Index into the inventory's `endpoints`.
    Endpoint(usize),
}

/// Hosts (or one endpoint) behind one host-facing port that need the
/// same VLANs: the hosts of one zone in a chassis, a rack server, an
/// endpoint.
pub(super) struct Demand {
    pub vlans: VlanSet,
    pub who: Vec<Who>,
    /// The inventory entry that attaches them (chassis, host, endpoint).
    pub loc: Loc,
    /// Their host-facing port (index into the closure's edge ports).
    pub edge: usize,
}

/// How a port on a path is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Faces a host or endpoint.
    Edge,
    /// Joins two groups of switches.
    Uplink,
    /// Joins the two members of a pair.
    PeerLink,
}

/// One physical port on the paths of some demands.
struct PortNeed {
    bundled: bool,
    role: Use,
    /// The inventory entry of the cable or attachment.
    loc: Loc,
    /// Who is at the other end (`link to agg1:Ethernet1/1`, `chassis enc1`).
    label: String,
    demands: BTreeSet<usize>,
}

/// The context of one proof.
pub(super) struct Prover<'a, 'i> {
    pub inventory: &'i Inventory,
    pub sources: &'a Sources,
    pub observed: &'a BTreeMap<String, ObservedDevice>,
    pub index: Index<'i>,
    pub topology: Topology<'i>,
    pub closure: Closure<'i>,
    pub demands: Vec<Demand>,
    /// Per group of switches: the demands whose path runs through it.
    pub through: Vec<BTreeSet<usize>>,
    /// Per host-facing port (closure edge port): its demands.
    by_edge: Vec<Vec<usize>>,
    /// The intended devices by name.
    intended: HashMap<&'a str, &'a crate::intent::DeviceIntent>,
    pub segment_of_vlan: HashMap<u16, &'i Segment>,
    /// How to fix: `liaison plan INVENTORY --device`.
    pub plan_command: String,
    drafts: BTreeMap<(Kind, Vec<String>, String), Draft>,
    path_ports: usize,
}

/// A finding being collected: several checks may find the same cause.
#[derive(Default)]
pub(super) struct Draft {
    pub message: String,
    pub vlans: VlanSet,
    pub demands: BTreeSet<usize>,
    /// Segments concerned when they are not those of `vlans` (gateways, ACLs).
    pub segments: BTreeSet<String>,
    pub config: Vec<ConfigPlace>,
    pub locs: BTreeSet<Loc>,
    /// What it breaks, when that is not hosts losing segments (guardrails).
    pub summary: Option<String>,
}

/// Proves `inventory` (compiled into `intent`) on the `observed` fabric.
/// Only the observed switches are checked (all of them, or those of
/// `--device`); `inventory_dir` names the inventory in the fix commands.
pub fn prove(
    inventory: &Inventory,
    sources: &Sources,
    intent: &Intent,
    observed: &BTreeMap<String, ObservedDevice>,
    inventory_dir: &str,
) -> Report {
    // The inventory compiled clean (there is an intent): whatever the
    // topology and the closure could report was reported by `check`.
    let crate::compile::FabricView {
        index,
        topology,
        closure,
    } = crate::compile::view(inventory);
    let segment_of_vlan = index
        .segments
        .values()
        .filter(|s| (1..=4094).contains(&s.vlan.value))
        .map(|s| (s.vlan_id(), *s))
        .collect();
    let groups = topology.groups.len();
    let mut prover = Prover {
        inventory,
        sources,
        observed,
        index,
        topology,
        closure,
        demands: Vec::new(),
        through: vec![BTreeSet::new(); groups],
        by_edge: Vec::new(),
        intended: intent
            .devices
            .iter()
            .map(|d| (d.name.as_str(), d))
            .collect(),
        segment_of_vlan,
        plan_command: format!("liaison plan {inventory_dir} --device"),
        drafts: BTreeMap::new(),
        path_ports: 0,
    };
    let needs = prover.collect_demands();
    prover.check_paths(&needs);
    prover.check_pairs();
    prover.check_gateways();
    let flows = super::policy::check(&mut prover);
    super::policy::check_guardrails(&mut prover);
    super::routing::check_routes(&mut prover);
    super::routing::check_spanning_tree(&mut prover);
    let summary = Summary {
        switches: observed.len(),
        zones: inventory.zones.len(),
        hosts: inventory.hosts.len(),
        segments: inventory.segments.len(),
        path_ports: prover.path_ports,
        flows,
    };
    Report {
        findings: prover.finish(),
        summary,
    }
}

impl<'a, 'i> Prover<'a, 'i> {
    /// Every demand, and for each physical port on their paths who needs it.
    fn collect_demands(&mut self) -> BTreeMap<(String, String), PortNeed> {
        let inventory = self.inventory;
        let mut zone_vlans: HashMap<&str, VlanSet> = HashMap::new();
        for zone in &inventory.zones {
            let vlans = zone
                .segments
                .iter()
                .filter_map(|s| self.index.segments.get(s.as_str()))
                .filter(|s| (1..=4094).contains(&s.vlan.value))
                .map(|s| s.vlan_id())
                .collect();
            zone_vlans.entry(zone.name.as_str()).or_insert(vlans);
        }
        let mut hosts_of_chassis: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, host) in inventory.hosts.iter().enumerate() {
            if let Attachment::Chassis { chassis, .. } = &host.attachment {
                hosts_of_chassis
                    .entry(chassis.as_str())
                    .or_default()
                    .push(i);
            }
        }
        let host_index: HashMap<*const crate::inventory::Host, usize> = inventory
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (h as *const _, i))
            .collect();
        let endpoint_index: HashMap<*const crate::inventory::Endpoint, usize> = inventory
            .endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| (e as *const _, i))
            .collect();
        let mut needs: BTreeMap<(String, String), PortNeed> = BTreeMap::new();
        let mut paths: HashMap<GroupId, crate::compile::topology::PathUp> = HashMap::new();
        for (edge_index, edge) in self.closure.edge_ports.iter().enumerate() {
            // The demands behind this port: per zone for hosts.
            let mut by_zone: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            let (label, loc, endpoint) = match edge.owner {
                Owner::Chassis(c) => {
                    for &h in hosts_of_chassis.get(c.name.as_str()).into_iter().flatten() {
                        by_zone
                            .entry(inventory.hosts[h].zone.as_str())
                            .or_default()
                            .push(h);
                    }
                    (edge.owner.label(), c.loc, None)
                }
                Owner::Host(host) => {
                    let i = host_index[&(host as *const _)];
                    by_zone.entry(host.zone.as_str()).or_default().push(i);
                    (edge.owner.label(), host.loc, None)
                }
                Owner::Endpoint(e) => {
                    let i = endpoint_index[&(e as *const _)];
                    (edge.owner.label(), e.loc, Some(i))
                }
            };
            let mut ids = Vec::new();
            for (zone, hosts) in by_zone {
                let Some(vlans) = zone_vlans.get(zone) else {
                    continue;
                };
                ids.push(self.demands.len());
                self.demands.push(Demand {
                    vlans: *vlans,
                    who: hosts.into_iter().map(Who::Host).collect(),
                    loc,
                    edge: edge_index,
                });
            }
            if let Some(i) = endpoint {
                ids.push(self.demands.len());
                self.demands.push(Demand {
                    vlans: edge.vlans.iter().copied().collect(),
                    who: vec![Who::Endpoint(i)],
                    loc,
                    edge: edge_index,
                });
            }
            if ids.is_empty() {
                continue;
            }
            for port in &edge.ports {
                let need = need_at(&mut needs, port, edge.bundled, Use::Edge, loc, &label);
                need.demands.extend(ids.iter().copied());
            }
            if self.topology.distance[edge.group].is_none() {
                continue;
            }
            let path = paths
                .entry(edge.group)
                .or_insert_with(|| self.topology.path_up(edge.group));
            for &group in &path.groups {
                self.through[group].extend(ids.iter().copied());
                for link in self.topology.peer_links.get(&group).into_iter().flatten() {
                    need_on_both_ends(&mut needs, link, Use::PeerLink, "peer-link", &ids);
                }
            }
            for bundle in &path.bundles {
                for link in self.topology.bundles.get(bundle).into_iter().flatten() {
                    need_on_both_ends(&mut needs, link, Use::Uplink, "link", &ids);
                }
            }
        }
        self.by_edge = vec![Vec::new(); self.closure.edge_ports.len()];
        for (d, demand) in self.demands.iter().enumerate() {
            self.by_edge[demand.edge].push(d);
        }
        needs
    }

    /// VLANs defined on every switch of every path, and carried by every
    /// port, port-channel and member on it.
    fn check_paths(&mut self, needs: &BTreeMap<(String, String), PortNeed>) {
        // Switches: the VLANs of every demand through their group.
        for (group, demands) in self.through.clone().iter().enumerate() {
            for member in self.topology.groups[group].members.clone() {
                let Some(device) = self.observed.get(member) else {
                    continue;
                };
                let mut missing = VlanSet::new();
                let mut hit = BTreeSet::new();
                for &d in demands {
                    let lacking: VlanSet = self.demands[d]
                        .vlans
                        .iter()
                        .filter(|v| !device.vlans.contains(v))
                        .collect();
                    if !lacking.is_empty() {
                        missing = missing.union(&lacking);
                        hit.insert(d);
                    }
                }
                if missing.is_empty() {
                    continue;
                }
                let place = "vlan".to_string();
                let config = ConfigPlace {
                    switch: member.to_string(),
                    file: device.source.clone(),
                    line: None,
                    text: format!("no `vlan {missing}` stanza"),
                };
                let draft = self.draft(Kind::VlanUndefined, &[member], &place);
                draft.vlans = draft.vlans.union(&missing);
                draft.demands.extend(hit.iter().copied());
                draft.config = vec![config];
            }
        }
        for ((switch, port), need) in needs {
            let Some(device) = self.observed.get(switch) else {
                continue;
            };
            self.path_ports += 1;
            let required = need
                .demands
                .iter()
                .fold(VlanSet::new(), |acc, &d| acc.union(&self.demands[d].vlans));
            let interface = device.interface(port);
            if !interface.admin_up {
                self.port_problem(device, &interface, Kind::PortDown, need, &required);
            }
            // The port-channel the port is in (when bundled), then the port
            // itself (unless it says nothing of its own, so has its
            // port-channel's settings).
            let mut channel = None;
            let mut member_counts = true;
            if need.bundled {
                match interface.channel_group {
                    None => {
                        self.port_problem(device, &interface, Kind::NotBundled, need, &required);
                    }
                    Some(number) => match device.port_channel(number) {
                        None => {
                            self.port_problem(
                                device,
                                &interface,
                                Kind::PortChannelMissing,
                                need,
                                &required,
                            );
                            member_counts = false;
                        }
                        Some(found) => {
                            if !found.admin_up {
                                self.port_problem(device, found, Kind::PortDown, need, &required);
                            }
                            member_counts = interface.explicit_switchport;
                            channel = Some(found);
                        }
                    },
                }
            }
            let lacking = |carried: &VlanSet, demands: &[Demand]| {
                let mut missing = VlanSet::new();
                let mut hit = BTreeSet::new();
                for &d in &need.demands {
                    let lacking = demands[d].vlans.difference(carried);
                    if !lacking.is_empty() {
                        missing = missing.union(&lacking);
                        hit.insert(d);
                    }
                }
                (missing, hit)
            };
            let mut channel_missing = VlanSet::new();
            if let Some(channel) = channel {
                let (missing, hit) = lacking(&channel.carried(), &self.demands);
                if !missing.is_empty() {
                    let config = interface_place(device, channel, &channel.carried_text());
                    let draft = self.draft(Kind::VlanNotAllowed, &[switch], &channel.name);
                    draft.vlans = draft.vlans.union(&missing);
                    draft.demands.extend(hit);
                    draft.locs.insert(need.loc);
                    if !draft.config.contains(&config) {
                        draft.config.insert(0, config);
                    }
                    // A member that lacks the same VLANs is the same cause.
                    if member_counts && !missing.difference(&interface.carried()).is_empty() {
                        let member = interface_place(device, &interface, &interface.carried_text());
                        if !draft.config.contains(&member) {
                            draft.config.push(member);
                        }
                    }
                    channel_missing = missing;
                }
            }
            if member_counts {
                let (missing, _) = lacking(&interface.carried(), &self.demands);
                let own = missing.difference(&channel_missing);
                if !own.is_empty() {
                    let hit: Vec<usize> = need
                        .demands
                        .iter()
                        .copied()
                        .filter(|&d| !self.demands[d].vlans.intersection(&own).is_empty())
                        .collect();
                    let config = interface_place(device, &interface, &interface.carried_text());
                    let draft = self.draft(Kind::VlanNotAllowed, &[switch], &interface.name);
                    draft.vlans = draft.vlans.union(&own);
                    draft.demands.extend(hit);
                    draft.locs.insert(need.loc);
                    draft.config = vec![config];
                }
            }
        }
    }

    fn port_problem(
        &mut self,
        device: &ObservedDevice,
        interface: &ObservedInterface,
        kind: Kind,
        need: &PortNeed,
        required: &VlanSet,
    ) {
        let (message, line) = match kind {
            Kind::PortDown => (
                format!("{} {} is shut down", device.name, interface.name),
                "shutdown".to_string(),
            ),
            Kind::NotBundled => (
                format!(
                    "{} {} is in no port-channel, and the inventory bundles it ({})",
                    device.name, interface.name, need.label
                ),
                "no channel-group".to_string(),
            ),
            _ => (
                format!(
                    "{} {} is in channel-group {}, and {} is not configured",
                    device.name,
                    interface.name,
                    interface.channel_group.unwrap_or_default(),
                    device
                        .wording
                        .port_channel(interface.channel_group.unwrap_or_default())
                ),
                format!(
                    "channel-group {}",
                    interface.channel_group.unwrap_or_default()
                ),
            ),
        };
        let config = interface_place(device, interface, &line);
        let role = need.role;
        let draft = self.draft(kind, &[&device.name], &interface.name);
        draft.message = message;
        draft.vlans = draft.vlans.union(required);
        draft.demands.extend(need.demands.iter().copied());
        draft.locs.insert(need.loc);
        draft.config = vec![config];
        let _ = role;
    }

    /// vPC domains, peer-links and the two ends of every vPC of each pair.
    fn check_pairs(&mut self) {
        for group in 0..self.topology.groups.len() {
            if !self.topology.groups[group].is_pair() {
                continue;
            }
            let members = self.topology.groups[group].members.clone();
            let (Some(a), Some(b)) = (self.observed.get(members[0]), self.observed.get(members[1]))
            else {
                continue;
            };
            let through = self.through[group].clone();
            let all_vlans = through
                .iter()
                .fold(VlanSet::new(), |acc, &d| acc.union(&self.demands[d].vlans));
            let words = a.wording;
            if a.pair.id.is_none() || b.pair.id.is_none() || a.pair.id != b.pair.id {
                let describe = |d: &ObservedDevice| {
                    format!("{} has {}", d.name, words.pair_domain(d.pair.id.as_deref()))
                };
                let message = format!(
                    "{} pair {}/{}: {}, {}",
                    words.pair(),
                    a.name,
                    b.name,
                    describe(a),
                    describe(b)
                );
                let config = [a, b].iter().map(|d| pair_place(d, "")).collect();
                let place = words.pair_place().to_string();
                let draft = self.draft(Kind::VpcDomain, &members, &place);
                draft.message = message;
                draft.vlans = all_vlans;
                draft.demands.extend(through.iter().copied());
                draft.config = config;
            }
            self.check_peer_addresses(a, b, all_vlans, &through);
            // The peer-link carries every VLAN of either member's vPCs.
            let vpc_vlans = [a, b].iter().fold(VlanSet::new(), |acc, d| {
                d.interfaces
                    .values()
                    .filter(|i| matches!(i.vpc, Some(Vpc::Number(_))))
                    .fold(acc, |acc, i| {
                        acc.union(&i.carried().intersection(&vlan_set(&d.vlans)))
                    })
            });
            for device in [a, b] {
                match device.peer_link() {
                    None => {
                        let config = ConfigPlace {
                            switch: device.name.clone(),
                            file: device.source.clone(),
                            line: None,
                            text: words.no_peer_link().into(),
                        };
                        let draft = self.draft(
                            Kind::PeerLinkMissing,
                            &[&device.name],
                            words.peer_link_place(),
                        );
                        draft.message = format!(
                            "{} has no {} peer-link ({})",
                            device.name,
                            words.pair(),
                            words.no_peer_link()
                        );
                        draft.vlans = all_vlans;
                        draft.demands.extend(through.iter().copied());
                        draft.config = vec![config];
                    }
                    Some(peer_link) => {
                        let missing = vpc_vlans.difference(&peer_link.carried());
                        if missing.is_empty() {
                            continue;
                        }
                        let hit: Vec<usize> = through
                            .iter()
                            .copied()
                            .filter(|&d| !self.demands[d].vlans.intersection(&missing).is_empty())
                            .collect();
                        let config = interface_place(device, peer_link, &peer_link.carried_text());
                        let draft = self.draft(
                            Kind::VlanNotAllowed,
                            &[&device.name],
                            &peer_link.name.clone(),
                        );
                        draft.vlans = draft.vlans.union(&missing);
                        draft.demands.extend(hit);
                        draft.config = vec![config];
                    }
                }
            }
            self.check_vpc_ends(group, a, b);
        }
    }

    /// Each member of a pair reaches its peer on the address the peer is
    /// reached on (NX-OS: the peer-keepalive's destination and source;
    /// EOS: `peer-address` and the `local-interface`'s address): else
    /// the members do not form a pair.
    fn check_peer_addresses(
        &mut self,
        a: &ObservedDevice,
        b: &ObservedDevice,
        vlans: VlanSet,
        through: &BTreeSet<usize>,
    ) {
        if a.pair.id.is_none() || b.pair.id.is_none() {
            return;
        }
        let words = a.wording;
        for (from, to) in [(a, b), (b, a)] {
            // A member without a peer address is only a finding where its
            // peer says where it is reached (a config without a vPC
            // peer-keepalive at all is the inventory's choice).
            let problem = match (from.pair.peer_address, to.pair.local_address) {
                (None, Some(_)) => format!("{} has no peer address", from.name),
                (Some(peer), Some(local)) if peer != local => format!(
                    "{} reaches its peer at {peer}, and {} is reached at {local}",
                    from.name, to.name
                ),
                _ => continue,
            };
            let message = format!(
                "{} pair {}/{}: {problem}: the members do not form a pair",
                words.pair(),
                a.name,
                b.name
            );
            let config = vec![
                pair_place(from, &from.pair.addresses_text),
                pair_place(to, &to.pair.addresses_text),
            ];
            let draft = self.draft(Kind::PairPeerAddress, &[&from.name], words.pair_place());
            draft.message = message;
            draft.vlans = vlans;
            draft.demands.extend(through.iter().copied());
            draft.config = config;
        }
    }

    /// Both ends of every vPC of the pair `group`: same vPC number, same
    /// mode, same allowed VLANs.
    fn check_vpc_ends(&mut self, group: GroupId, a: &ObservedDevice, b: &ObservedDevice) {
        // Every inventory bundle with ports on both members: its ports, and
        // the demands that use it.
        let mut bundles: Vec<VpcBundle> = Vec::new();
        let owned = |p: &PortRef| (p.switch.value.clone(), p.port.value.to_string());
        for (edge_index, edge) in self.closure.edge_ports.iter().enumerate() {
            if edge.group != group || !edge.bundled {
                continue;
            }
            let demands: BTreeSet<usize> = self.demands_of_edge(edge_index).into_iter().collect();
            let loc = self.demand_loc(&demands);
            bundles.push((edge.ports.iter().map(owned).collect(), demands, loc));
        }
        for (key, links) in &self.topology.bundles {
            if key.0 != group && key.1 != group {
                continue;
            }
            let other = if key.0 == group { key.1 } else { key.0 };
            let ports: Vec<(String, String)> = links
                .iter()
                .flat_map(|l| l.ends.iter())
                .filter(|p| p.switch.value == a.name || p.switch.value == b.name)
                .map(owned)
                .collect();
            // Demands that cross this bundle: those through both groups.
            let demands: BTreeSet<usize> = self.through[group]
                .intersection(&self.through[other])
                .copied()
                .collect();
            let loc = links.first().map(|l| l.loc).unwrap_or_default_loc();
            bundles.push((ports, demands, loc));
        }
        for (ports, demands, loc) in bundles {
            let channel_on = |device: &ObservedDevice| {
                ports
                    .iter()
                    .filter(|(switch, _)| *switch == device.name)
                    .find_map(|(_, port)| device.interface(port).channel_group)
                    .and_then(|n| device.port_channel(n))
                    .cloned()
            };
            let (Some(pa), Some(pb)) = (channel_on(a), channel_on(b)) else {
                continue;
            };
            let mut differences = Vec::new();
            let words = a.wording;
            if pa.vpc != pb.vpc || !matches!(pa.vpc, Some(Vpc::Number(_))) {
                let vpc = |i: &ObservedInterface| words.pair_member(i.vpc).replace('`', "");
                differences.push(format!(
                    "{} {} has {}, {} {} has {}",
                    a.name,
                    pa.name,
                    vpc(&pa),
                    b.name,
                    pb.name,
                    vpc(&pb)
                ));
            }
            if pa.layer != pb.layer || (pa.layer == Layer::Switched && pa.mode != pb.mode) {
                differences.push(format!(
                    "mode {} on {}, {} on {}",
                    pa.mode.label(),
                    a.name,
                    pb.mode.label(),
                    b.name
                ));
            }
            let (ca, cb) = (pa.carried(), pb.carried());
            let all = demands
                .iter()
                .fold(VlanSet::new(), |acc, &d| acc.union(&self.demands[d].vlans));
            // A vPC whose ends disagree on number or mode fails its
            // consistency check whole; one whose lists differ loses the
            // VLANs one end lacks.
            let mut vlans = if differences.is_empty() {
                VlanSet::new()
            } else {
                all
            };
            if ca != cb {
                for (mine, theirs, name) in [(&ca, &cb, &a.name), (&cb, &ca, &b.name)] {
                    // A VLAN the hosts need that one end lacks is that end's
                    // V102 finding already: the same cause, reported once.
                    let only = mine.difference(theirs).difference(&all);
                    if !only.is_empty() {
                        differences.push(format!("only {name} allows VLANs {only}"));
                        vlans = vlans.union(&only);
                    }
                }
            }
            if differences.is_empty() {
                continue;
            }
            let demands: BTreeSet<usize> = demands
                .into_iter()
                .filter(|&d| !self.demands[d].vlans.intersection(&vlans).is_empty())
                .collect();
            let config = vec![
                interface_place(a, &pa, &vpc_text(a, &pa)),
                interface_place(b, &pb, &vpc_text(b, &pb)),
            ];
            let place = if pa.name == pb.name {
                pa.name.clone()
            } else {
                format!("{}/{}", pa.name, pb.name)
            };
            let message = format!(
                "the two ends of the {} {}/{} {} differ: {}",
                words.pair(),
                a.name,
                b.name,
                place,
                differences.join("; ")
            );
            let switches = [a.name.as_str(), b.name.as_str()];
            let draft = self.draft(Kind::VpcMismatch, &switches, &place);
            draft.message = message;
            draft.vlans = vlans;
            draft.demands.extend(demands);
            draft.locs.insert(loc);
            draft.config = config;
        }
    }

    fn demands_of_edge(&self, edge_index: usize) -> Vec<usize> {
        self.by_edge.get(edge_index).cloned().unwrap_or_default()
    }

    /// The intended config of switch `name`.
    pub(super) fn intended(&self, name: &str) -> Option<&'a crate::intent::DeviceIntent> {
        self.intended.get(name).copied()
    }

    fn demand_loc(&self, demands: &BTreeSet<usize>) -> Loc {
        demands
            .iter()
            .next()
            .map(|&d| self.demands[d].loc)
            .unwrap_or_default_loc()
    }

    /// On each gateway member of every zone: the SVI of each routed
    /// segment exists, is up, is in the segment's VRF and answers on the
    /// inventory's gateway address with the same first-hop group.
    fn check_gateways(&mut self) {
        let zone_gateway: Vec<(&'i str, GroupId)> = self
            .closure
            .zone_gateway
            .iter()
            .map(|(z, g)| (*z, *g))
            .collect();
        let mut seen: BTreeSet<(GroupId, u16)> = BTreeSet::new();
        for (_, group) in zone_gateway {
            let segments: Vec<(u16, &'i Segment)> = self.closure.svis[group]
                .iter()
                .map(|(v, s)| (*v, *s))
                .collect();
            for (vlan, segment) in segments {
                if !seen.insert((group, vlan)) {
                    continue;
                }
                self.check_gateway(group, vlan, segment);
            }
        }
    }

    fn check_gateway(&mut self, group: GroupId, vlan: u16, segment: &'i Segment) {
        let members = self.topology.groups[group].members.clone();
        let demands = self.demands_of_segment(segment);
        let name = format!("Vlan{vlan}");
        let mut groups_seen: Vec<(String, Option<u32>)> = Vec::new();
        for member in &members {
            let (Some(device), Some(intended)) =
                (self.observed.get(*member), self.intended(member))
            else {
                continue;
            };
            let Some(expected) = intended
                .svis
                .iter()
                .find(|s| s.segment == segment.name.value)
            else {
                continue;
            };
            let report = |prover: &mut Self, kind, message, config| {
                prover.gateway_finding(kind, device, &name, message, segment, &demands, config)
            };
            let gateway = expected.fhrp.as_ref().map_or_else(
                || expected.address.split('/').next().unwrap_or("").to_string(),
                |f| f.virtual_ip.clone(),
            );
            let Some(svi) = device.interfaces.get(&name) else {
                let config = ConfigPlace {
                    switch: device.name.clone(),
                    file: device.source.clone(),
                    line: None,
                    text: format!("no `interface {name}`"),
                };
                let message = format!(
                    "{} has no SVI for segment {} (interface {name}): VMs of {} lose their gateway there",
                    device.name, segment.name.value, segment.name.value
                );
                report(self, Kind::SviMissing, message, config);
                continue;
            };
            if !svi.admin_up {
                let config = interface_place(device, svi, device.wording.svi_shut());
                let message = format!(
                    "{} {name}, the gateway of segment {}, is shut down",
                    device.name, segment.name.value
                );
                report(self, Kind::SviDown, message, config);
            }
            if svi.vrf != expected.vrf {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "default".into());
                let config = interface_place(device, svi, &device.wording.vrf(svi.vrf.as_deref()));
                let message = format!(
                    "{} {name} is in VRF {}, and segment {} is in VRF {}",
                    device.name,
                    show(&svi.vrf),
                    segment.name.value,
                    show(&expected.vrf)
                );
                report(self, Kind::SviVrf, message, config);
            }
            let subnet = segment.subnet.as_ref().map(|s| s.value);
            let address_line = svi
                .address
                .map_or("no `ip address`".into(), |a| format!("ip address {a}"));
            let own_ok = match (svi.address, subnet) {
                (Some(address), Some(ipnetwork::IpNetwork::V4(subnet))) => {
                    subnet.contains(address.ip()) && address.prefix() == subnet.prefix()
                }
                _ => false,
            };
            if !own_ok {
                let config = interface_place(device, svi, &address_line);
                let message = format!(
                    "{} {name} has {}, outside segment {}'s subnet {}",
                    device.name,
                    svi.address
                        .map_or("no address".into(), |a| format!("address {a}")),
                    segment.name.value,
                    subnet.map_or("-".into(), |s| s.to_string())
                );
                report(self, Kind::GatewayAddress, message, config);
            }
            if expected.fhrp.is_some() {
                let group_with_gateway = svi
                    .fhrp
                    .iter()
                    .find(|g| g.virtual_ip.is_some_and(|ip| ip.to_string() == gateway));
                groups_seen.push((
                    device.name.clone(),
                    group_with_gateway.and_then(|g| g.group),
                ));
                if group_with_gateway.is_none() {
                    let have: Vec<String> =
                        svi.fhrp.iter().map(|g| device.wording.fhrp(g)).collect();
                    let text = if have.is_empty() {
                        device.wording.no_fhrp().to_string()
                    } else {
                        have.join(", ")
                    };
                    let config = interface_place(device, svi, &text);
                    let message = format!(
                        "{} {name} does not answer on segment {}'s gateway {gateway} ({text})",
                        device.name, segment.name.value
                    );
                    report(self, Kind::GatewayAddress, message, config);
                }
            } else if svi.address.map(|a| a.ip().to_string()) != Some(gateway.clone()) {
                let config = interface_place(device, svi, &address_line);
                let message = format!(
                    "{} {name} is not segment {}'s gateway {gateway}",
                    device.name, segment.name.value
                );
                report(self, Kind::GatewayAddress, message, config);
            }
        }
        if let [(a, Some(ga)), (b, Some(gb))] = groups_seen.as_slice() {
            if ga != gb {
                let words = self.observed[a.as_str()].wording;
                let message = format!(
                    "the gateways of segment {} use different {} groups: {a} {name} group {ga}, {b} {name} group {gb}",
                    segment.name.value,
                    words.fhrp_protocol()
                );
                let config = [a, b]
                    .iter()
                    .filter_map(|s| self.observed.get(s.as_str()))
                    .filter_map(|d| {
                        d.interfaces.get(&name).map(|i| {
                            interface_place(d, i, &d.wording.fhrp_protocol().to_lowercase())
                        })
                    })
                    .collect();
                let switches = [a.as_str(), b.as_str()];
                let draft = self.draft(Kind::FhrpGroup, &switches, &name);
                draft.message = message;
                draft.segments.insert(segment.name.value.clone());
                draft.demands.extend(demands.iter().copied());
                draft.locs.insert(segment.loc);
                draft.config = config;
            }
        }
        let answering: Vec<String> = groups_seen.into_iter().map(|(m, _)| m).collect();
        self.check_virtual_mac(&answering, segment, &demands);
    }

    /// The gateway `members` of `segment` whose platform sets the MAC of
    /// its virtual addresses (VARP) set one, and the same one.
    fn check_virtual_mac(&mut self, members: &[String], segment: &Segment, demands: &[usize]) {
        let observed = self.observed;
        let macs: Vec<(&ObservedDevice, Option<&str>)> = members
            .iter()
            .filter_map(|m| observed.get(m.as_str()))
            .filter_map(|d| match &d.virtual_mac {
                VirtualMac::Configured(mac) => Some((d, mac.as_deref())),
                VirtualMac::Derived => None,
            })
            .collect();
        let mac_place = |device: &ObservedDevice, mac: Option<&str>| {
            let command = device.wording.virtual_mac_command();
            ConfigPlace {
                switch: device.name.clone(),
                file: device.source.clone(),
                line: mac.and_then(|m| device.line_of(&format!("{command} {m}"))),
                text: mac.map_or(format!("no `{command}`"), |m| format!("{command} {m}")),
            }
        };
        for (device, mac) in &macs {
            if mac.is_none() {
                let command = device.wording.virtual_mac_command();
                let message = format!(
                    "{} sets no virtual MAC address (no `{command}`): its virtual gateway addresses do not answer",
                    device.name
                );
                let config = mac_place(device, None);
                self.gateway_finding(
                    Kind::VirtualMac,
                    device,
                    command,
                    message,
                    segment,
                    demands,
                    config,
                );
            }
        }
        if let [(a, Some(ma)), (b, Some(mb))] = macs.as_slice() {
            if ma != mb {
                let command = a.wording.virtual_mac_command();
                let message = format!(
                    "{} and {} answer their virtual gateway addresses with different MAC addresses: {} {ma}, {} {mb}",
                    a.name, b.name, a.name, b.name
                );
                let config = vec![mac_place(a, Some(ma)), mac_place(b, Some(mb))];
                let switches = [a.name.as_str(), b.name.as_str()];
                let draft = self.draft(Kind::VirtualMac, &switches, command);
                draft.message = message;
                draft.segments.insert(segment.name.value.clone());
                draft.demands.extend(demands.iter().copied());
                draft.locs.insert(segment.loc);
                draft.config = config;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn gateway_finding(
        &mut self,
        kind: Kind,
        device: &ObservedDevice,
        place: &str,
        message: String,
        segment: &Segment,
        demands: &[usize],
        config: ConfigPlace,
    ) {
        let loc = segment.gateway.as_ref().map_or(segment.loc, |g| g.loc);
        let draft = self.draft(kind, &[&device.name], place);
        if !draft.message.is_empty() && !draft.message.contains(&message) {
            draft.message = format!("{}; {message}", draft.message);
        } else {
            draft.message = message;
        }
        draft.segments.insert(segment.name.value.clone());
        draft.demands.extend(demands.iter().copied());
        draft.locs.insert(loc);
        // Two problems of one stanza: one stanza, both lines.
        let header = config.text.lines().next().unwrap_or_default().to_string();
        match draft
            .config
            .iter_mut()
            .find(|c| c.file == config.file && c.text.lines().next() == Some(header.as_str()))
        {
            Some(same) => {
                for line in config.text.lines().skip(1) {
                    if !same.text.lines().any(|l| l == line) {
                        same.text.push('\n');
                        same.text.push_str(line);
                    }
                }
            }
            None => draft.config.push(config),
        }
    }

    /// The demands that include `segment`'s VLAN.
    pub(super) fn demands_of_segment(&self, segment: &Segment) -> Vec<usize> {
        let vlan = segment.vlan_id();
        (0..self.demands.len())
            .filter(|&d| self.demands[d].vlans.contains(vlan))
            .collect()
    }

    /// The finding for `kind` at `place` on `switches`, created when new.
    pub(super) fn draft(&mut self, kind: Kind, switches: &[&str], place: &str) -> &mut Draft {
        self.drafts
            .entry((
                kind,
                switches.iter().map(|s| s.to_string()).collect(),
                place.to_string(),
            ))
            .or_default()
    }

    /// The findings, with their messages, impacts and fixes written.
    fn finish(&mut self) -> Vec<Finding> {
        let drafts = std::mem::take(&mut self.drafts);
        drafts
            .into_iter()
            .map(|((kind, switches, place), draft)| self.write(kind, switches, place, draft))
            .collect()
    }

    fn write(&self, kind: Kind, switches: Vec<String>, place: String, draft: Draft) -> Finding {
        let vlan_segments: Vec<String> = draft
            .vlans
            .iter()
            .filter_map(|v| self.segment_of_vlan.get(&v).map(|s| s.name.value.clone()))
            .collect();
        let vlans_text = describe_vlans(&draft.vlans, &self.segment_of_vlan);
        let message = match kind {
            Kind::VlanNotAllowed => format!("{} {place} does not allow {vlans_text}", switches[0]),
            Kind::VlanUndefined => format!("{} does not define {vlans_text}", switches[0]),
            _ => draft.message.clone(),
        };
        let mut segments: BTreeSet<String> = draft.segments.clone();
        if segments.is_empty() {
            segments.extend(vlan_segments);
        }
        // Who is hit: hosts whose demand needs one of the VLANs (or the
        // segments) of this cause.
        let mut hosts: BTreeSet<usize> = BTreeSet::new();
        let mut endpoints: BTreeSet<usize> = BTreeSet::new();
        // The places that ask for what is missing come first (the
        // segment, the cable, the guardrail), then who is attached.
        let mut locs: Vec<Loc> = draft.locs.iter().copied().collect();
        for segment in &segments {
            if let Some(s) = self.index.segments.get(segment.as_str()) {
                if !locs.contains(&s.loc) && draft.segments.is_empty() {
                    locs.push(s.loc);
                }
            }
        }
        let mut attached = BTreeSet::new();
        for &d in &draft.demands {
            attached.insert(self.demands[d].loc);
            for who in &self.demands[d].who {
                match who {
                    Who::Host(h) => hosts.insert(*h),
                    Who::Endpoint(e) => endpoints.insert(*e),
                };
            }
        }
        locs.extend(attached.into_iter().filter(|l| !draft.locs.contains(l)));
        let segments: Vec<String> = segments.into_iter().collect();
        let summary = draft
            .summary
            .clone()
            .unwrap_or_else(|| self.impact_summary(kind, &switches, &hosts, &endpoints, &segments));
        let inventory = locs
            .iter()
            .take(MAX_LISTED)
            .map(|l| self.sources.describe(*l))
            .chain(
                (locs.len() > MAX_LISTED).then(|| format!("and {} more", locs.len() - MAX_LISTED)),
            )
            .collect();
        let fix = match kind {
            Kind::AclUnmodelled => format!(
                "review the entries by hand, or replace them with entries liaison can evaluate (`{} {}` shows liaison's)",
                self.plan_command,
                switches.join(" --device ")
            ),
            _ => format!(
                "`{} {}` shows the commands that restore it; `liaison apply` pushes them",
                self.plan_command,
                switches.join(" --device ")
            ),
        };
        Finding {
            code: kind.code(),
            kind,
            switches,
            place,
            message,
            breaks: Impact {
                hosts: hosts
                    .iter()
                    .map(|&h| self.inventory.hosts[h].name.value.clone())
                    .collect(),
                endpoints: endpoints
                    .iter()
                    .map(|&e| self.inventory.endpoints[e].name.value.clone())
                    .collect(),
                segments,
                summary,
            },
            config: draft.config,
            inventory,
            fix,
        }
    }

    /// "16 hosts of chassis enc1 (esx101–esx116) cannot take app VMs".
    fn impact_summary(
        &self,
        kind: Kind,
        switches: &[String],
        hosts: &BTreeSet<usize>,
        endpoints: &BTreeSet<usize>,
        segments: &[String],
    ) -> String {
        let what = if segments.is_empty() {
            "their zone's".to_string()
        } else {
            segments.join(", ")
        };
        let mut parts = Vec::new();
        if !hosts.is_empty() {
            // Hosts by chassis (rack servers on their own).
            let mut by_chassis: BTreeMap<Option<&str>, Vec<&str>> = BTreeMap::new();
            for &h in hosts {
                let host = &self.inventory.hosts[h];
                let chassis = match &host.attachment {
                    Attachment::Chassis { chassis, .. } => Some(chassis.as_str()),
                    Attachment::Nics { .. } => None,
                };
                by_chassis
                    .entry(chassis)
                    .or_default()
                    .push(host.name.as_str());
            }
            let count = hosts.len();
            let noun = if count == 1 { "host" } else { "hosts" };
            let text = match by_chassis.iter().collect::<Vec<_>>().as_slice() {
                [(Some(chassis), names)] => {
                    format!(
                        "{count} {noun} of chassis {chassis} ({})",
                        name_ranges(names)
                    )
                }
                [(None, names)] => format!("{count} {noun} ({})", name_ranges(names)),
                groups => {
                    let listed: Vec<String> = groups
                        .iter()
                        .take(MAX_LISTED)
                        .map(|(chassis, names)| match chassis {
                            Some(c) => format!("chassis {c}: {}", name_ranges(names)),
                            None => name_ranges(names),
                        })
                        .collect();
                    let more = groups.len().saturating_sub(MAX_LISTED);
                    let more = if more > 0 {
                        format!("; and {more} more groups")
                    } else {
                        String::new()
                    };
                    format!("{count} {noun} ({}{more})", listed.join("; "))
                }
            };
            let policy = matches!(
                kind,
                Kind::AclBinding | Kind::AclUndefined | Kind::PolicyMismatch | Kind::AclUnmodelled
            );
            if policy {
                parts.push(format!(
                    "{what} VMs on {text} are not filtered as the policy says when {} routes them",
                    switches.join(", ")
                ));
            } else {
                parts.push(format!("{text} cannot take {what} VMs"));
            }
        }
        if !endpoints.is_empty() {
            let names: Vec<&str> = endpoints
                .iter()
                .map(|&e| self.inventory.endpoints[e].name.as_str())
                .collect();
            parts.push(format!("endpoint {} loses {what}", names.join(", ")));
        }
        if parts.is_empty() {
            return "no host of the inventory needs these VLANs here".to_string();
        }
        parts.join("; ")
    }
}

/// A bundle across both members of a pair: its ports (switch, port),
/// the demands that use it, and its inventory place.
type VpcBundle = (Vec<(String, String)>, BTreeSet<usize>, Loc);

/// How many places a finding lists before "and N more".
const MAX_LISTED: usize = 8;

trait OrDefaultLoc {
    fn unwrap_or_default_loc(self) -> Loc;
}

impl OrDefaultLoc for Option<Loc> {
    fn unwrap_or_default_loc(self) -> Loc {
        self.unwrap_or(Loc {
            file: crate::diag::FileId(0),
            line: 1,
            col: 1,
            width: 1,
        })
    }
}

fn need_at<'n>(
    needs: &'n mut BTreeMap<(String, String), PortNeed>,
    port: &PortRef,
    bundled: bool,
    role: Use,
    loc: Loc,
    label: &str,
) -> &'n mut PortNeed {
    needs
        .entry((port.switch.value.clone(), port.port.value.to_string()))
        .or_insert_with(|| PortNeed {
            bundled,
            role,
            loc,
            label: label.to_string(),
            demands: BTreeSet::new(),
        })
}

/// The demands `ids` on both ends of an inter-switch `link` (a peer-link
/// or an uplink), each end labelled `{what} to {the other end}`.
fn need_on_both_ends(
    needs: &mut BTreeMap<(String, String), PortNeed>,
    link: &crate::inventory::Link,
    role: Use,
    what: &str,
    ids: &[usize],
) {
    for (end, other) in [(0, 1), (1, 0)] {
        let label = format!("{what} to {}", link.ends[other]);
        let need = need_at(needs, &link.ends[end], true, role, link.loc, &label);
        need.demands.extend(ids.iter().copied());
    }
}

fn vlan_set(vlans: &BTreeSet<u16>) -> VlanSet {
    vlans.iter().copied().collect()
}

fn vpc_text(device: &ObservedDevice, interface: &ObservedInterface) -> String {
    format!(
        "{}\n{}",
        interface.carried_text(),
        device.wording.pair_member(interface.vpc)
    )
}

/// The pair domain of `device` in its config, with `detail` under it.
fn pair_place(device: &ObservedDevice, detail: &str) -> ConfigPlace {
    let words = device.wording;
    let domain = words.pair_domain(device.pair.id.as_deref());
    let mut text = match &device.pair.header {
        Some(header) if *header != domain => format!("{header}\n  {domain}"),
        _ => domain,
    };
    for line in detail.lines() {
        let _ = write!(text, "\n  {line}");
    }
    ConfigPlace {
        switch: device.name.clone(),
        file: device.source.clone(),
        line: device.pair.header.as_ref().and_then(|h| device.line_of(h)),
        text,
    }
}

/// The stanza of `interface` in `device`'s config, with `detail` (the
/// lines that matter) under its header.
pub(super) fn interface_place(
    device: &ObservedDevice,
    interface: &ObservedInterface,
    detail: &str,
) -> ConfigPlace {
    let header = format!("interface {}", interface.name);
    let mut text = header.clone();
    for line in detail.lines() {
        let _ = write!(text, "\n  {line}");
    }
    ConfigPlace {
        switch: device.name.clone(),
        file: device.source.clone(),
        line: device.line_of(&header),
        text,
    }
}

/// "VLAN 120 (app)", "VLANs 120, 130 (app, db)".
pub(super) fn describe_vlans(vlans: &VlanSet, segments: &HashMap<u16, &Segment>) -> String {
    let ids: Vec<String> = vlans.iter().map(|v| v.to_string()).collect();
    let names: Vec<&str> = vlans
        .iter()
        .filter_map(|v| segments.get(&v).map(|s| s.name.as_str()))
        .collect();
    let noun = if ids.len() == 1 { "VLAN" } else { "VLANs" };
    let listed = if ids.len() > MAX_LISTED * 2 {
        vlans.to_string()
    } else {
        ids.join(", ")
    };
    if names.is_empty() {
        format!("{noun} {listed}")
    } else if names.len() > MAX_LISTED * 2 {
        format!("{noun} {listed} ({} segments)", names.len())
    } else {
        format!("{noun} {listed} ({})", names.join(", "))
    }
}

/// `esx101–esx116, kvm01`: runs of names that differ only by a number
/// one apart (same prefix and width) shown as a range.
pub fn name_ranges(names: &[&str]) -> String {
    let split = |name: &str| {
        let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, number) = name.split_at(name.len() - digits);
        (prefix.to_string(), number.to_string())
    };
    let mut sorted: Vec<(String, String)> = names.iter().map(|n| split(n)).collect();
    sorted.sort_by(|a, b| (&a.0, a.1.len(), &a.1).cmp(&(&b.0, b.1.len(), &b.1)));
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let (prefix, first) = &sorted[i];
        let mut j = i;
        while j + 1 < sorted.len() {
            let (p, n) = &sorted[j + 1];
            let (_, prev) = &sorted[j];
            let consecutive = p == prefix
                && n.len() == prev.len()
                && !n.is_empty()
                && n.parse::<u64>().ok() == prev.parse::<u64>().ok().map(|x| x + 1);
            if !consecutive {
                break;
            }
            j += 1;
        }
        let start = format!("{prefix}{first}");
        if j > i {
            runs.push((start, format!("{prefix}{}", sorted[j].1)));
        } else {
            runs.push((start.clone(), start));
        }
        i = j + 1;
    }
    let shown: Vec<String> = runs
        .iter()
        .take(MAX_LISTED)
        .map(|(a, b)| {
            if a == b {
                a.clone()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect();
    let more = runs.len().saturating_sub(MAX_LISTED);
    if more > 0 {
        format!("{}, and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_in_runs() {
        assert_eq!(
            name_ranges(&["esx102", "esx101", "esx103", "kvm01", "esx110"]),
            "esx101–esx103, esx110, kvm01"
        );
        assert_eq!(name_ranges(&["a9", "a10"]), "a9, a10");
    }
}

//! The mobility closure: where every VLAN goes. This is the one place that
//! decides which VLANs a port, a bundle or a switch carries.
//!
//! For each zone, every VLAN of its segments goes to every host-facing port
//! of every host of the zone (a blade chassis bundle carries the union over
//! its blades), and from each of those switches along the shortest paths up
//! to the zone's gateway group. Endpoints add their segments' VLANs to their
//! own ports and the path up from there. A pair's members share one VLAN set
//! and its peer-link carries all of it (vPC consistency). Nothing else adds
//! a VLAN anywhere, so a trunk carries no VLAN that nothing below it needs.

use super::topology::{GroupId, PathUp, Topology};
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::inventory::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What sits behind a host-facing port.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'i> {
    Chassis(&'i Chassis),
    Host(&'i Host),
    Endpoint(&'i Endpoint),
}

impl Owner<'_> {
    pub fn label(&self) -> String {
        match self {
            Owner::Chassis(c) => format!("chassis {}", c.name.value),
            Owner::Host(h) => format!("host {}", h.name.value),
            Owner::Endpoint(e) => format!("endpoint {}", e.name.value),
        }
    }

    pub fn description(&self) -> Option<&str> {
        match self {
            Owner::Chassis(c) => c.description.as_ref(),
            Owner::Host(h) => h.description.as_ref(),
            Owner::Endpoint(e) => e.description.as_ref(),
        }
        .map(|d| d.as_str())
    }
}

/// A host-facing logical port: a single interface, or a port-channel
/// (vPC when its ports are on both members of a pair).
#[derive(Debug)]
pub struct EdgePort<'i> {
    pub owner: Owner<'i>,
    /// Which LACP partner of its owner it is: a chassis's interconnect
    /// module (`module a`, `to tor1a`), an endpoint's controller
    /// (`controller a`).
    pub module: Option<String>,
    pub group: GroupId,
    /// Member ports, sorted by switch then port.
    pub ports: Vec<PortRef>,
    pub bundled: bool,
    pub access: bool,
    pub vlans: BTreeSet<u16>,
}

impl EdgePort<'_> {
    /// `chassis enc3 module a`, `endpoint array2 controller a`, `host
    /// kvm01`, …
    pub fn label(&self) -> String {
        match &self.module {
            Some(module) => format!("{} {module}", self.owner.label()),
            None => self.owner.label(),
        }
    }
}

/// Why a VLAN is on a group: the first host or endpoint that needed it.
#[derive(Debug, Clone)]
pub struct Cause<'i> {
    pub zone: Option<&'i str>,
    pub who: String,
    pub loc: Loc,
}

/// What brings VLANs to a group: a zone's hosts or an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Carrier<'i> {
    Zone(&'i str),
    Endpoint(&'i str),
}

/// Everything a [`Carrier`] brings to one group, and from where: the
/// mobility matrix of `liaison docs` (zone × switch, and why).
#[derive(Debug, Clone, Default)]
pub struct Carried<'i> {
    pub vlans: BTreeSet<u16>,
    /// The hosts below the group (none for an endpoint), sorted.
    pub hosts: BTreeSet<&'i str>,
    /// The edge ports (indexes into [`Closure::edge_ports`]) they hang on.
    pub edges: BTreeSet<usize>,
}

pub struct Closure<'i> {
    pub edge_ports: Vec<EdgePort<'i>>,
    pub bundle_vlans: BTreeMap<(GroupId, GroupId), BTreeSet<u16>>,
    /// Per group: the VLANs its members define (and its peer-link carries).
    pub group_vlans: Vec<BTreeSet<u16>>,
    /// Per group: routed segments that get an SVI there, by VLAN.
    pub svis: Vec<BTreeMap<u16, &'i Segment>>,
    pub causes: HashMap<(GroupId, u16), Cause<'i>>,
    /// Per group: every carrier whose VLANs the group carries, with the
    /// VLANs, hosts and edge ports (every one, not just the first).
    pub carried: Vec<BTreeMap<Carrier<'i>, Carried<'i>>>,
    /// Per zone: the gateway group its hosts reach.
    pub zone_gateway: BTreeMap<&'i str, GroupId>,
}

struct Builder<'a, 'i> {
    topology: &'a Topology<'i>,
    paths: Vec<Option<PathUp>>,
    closure: Closure<'i>,
}

impl<'i> Builder<'_, 'i> {
    fn path_up(&mut self, group: GroupId) -> PathUp {
        if self.paths[group].is_none() {
            self.paths[group] = Some(self.topology.path_up(group));
        }
        self.paths[group].clone().unwrap_or_default()
    }

    /// Carries `vlans` of edge port `edge` (on `group`) up to its
    /// gateways, for `carrier` (and `host`, for a zone's host).
    fn carry_up(
        &mut self,
        group: GroupId,
        vlans: &BTreeSet<u16>,
        cause: &Cause<'i>,
        edge: usize,
        carrier: Carrier<'i>,
        host: Option<&'i str>,
    ) {
        let path = self.path_up(group);
        for &g in &path.groups {
            self.closure.group_vlans[g].extend(vlans.iter().copied());
            let carried = self.closure.carried[g].entry(carrier).or_default();
            carried.vlans.extend(vlans.iter().copied());
            carried.hosts.extend(host);
            carried.edges.insert(edge);
            for &vlan in vlans {
                self.closure
                    .causes
                    .entry((g, vlan))
                    .or_insert_with(|| cause.clone());
            }
        }
        for bundle in &path.bundles {
            self.closure
                .bundle_vlans
                .entry(*bundle)
                .or_default()
                .extend(vlans.iter().copied());
        }
    }
}

pub fn close<'i>(
    inventory: &'i Inventory,
    index: &Index<'i>,
    topology: &Topology<'i>,
    diagnostics: &mut Diagnostics,
) -> Closure<'i> {
    let groups = topology.groups.len();
    let mut b = Builder {
        topology,
        paths: vec![None; groups],
        closure: Closure {
            edge_ports: Vec::new(),
            bundle_vlans: topology
                .bundles
                .keys()
                .map(|k| (*k, BTreeSet::new()))
                .collect(),
            group_vlans: vec![BTreeSet::new(); groups],
            svis: vec![BTreeMap::new(); groups],
            causes: HashMap::new(),
            carried: vec![BTreeMap::new(); groups],
            zone_gateway: BTreeMap::new(),
        },
    };

    let edge_of = edge_ports(inventory, topology, &mut b.closure.edge_ports);
    let zone_segments = |zone: &Zone| -> Vec<&'i Segment> {
        zone.segments
            .iter()
            .filter_map(|s| index.segments.get(s.as_str()).copied())
            .filter(|s| (1..=4094).contains(&s.vlan.value))
            .collect()
    };

    // Hosts, zone by zone, so the recorded causes are stable.
    let mut hosts_by_zone: BTreeMap<&str, Vec<&'i Host>> = BTreeMap::new();
    for host in &inventory.hosts {
        hosts_by_zone
            .entry(host.zone.as_str())
            .or_default()
            .push(host);
    }
    let mut zone_gateways: BTreeMap<&'i str, BTreeMap<GroupId, &'i Host>> = BTreeMap::new();
    for (zone_name, hosts) in &mut hosts_by_zone {
        let Some(zone) = index.zones.get(zone_name) else {
            continue;
        };
        hosts.sort_by(|a, b| a.name.value.cmp(&b.name.value));
        let vlans: BTreeSet<u16> = zone_segments(zone).iter().map(|s| s.vlan_id()).collect();
        for host in hosts.iter() {
            let cause = Cause {
                zone: Some(zone.name.as_str()),
                who: format!("host `{}`", host.name.value),
                loc: host.loc,
            };
            for &edge in edge_of.get(&EdgeKey::of_host(host)).into_iter().flatten() {
                let group = b.closure.edge_ports[edge].group;
                b.closure.edge_ports[edge]
                    .vlans
                    .extend(vlans.iter().copied());
                if topology.distance[group].is_none() {
                    diagnostics.push(no_path(topology, group, &cause));
                    continue;
                }
                b.carry_up(
                    group,
                    &vlans,
                    &cause,
                    edge,
                    Carrier::Zone(zone.name.as_str()),
                    Some(host.name.as_str()),
                );
                for &gateway in &topology.nearest[group] {
                    zone_gateways
                        .entry(zone.name.as_str())
                        .or_default()
                        .entry(gateway)
                        .or_insert(host);
                }
            }
        }
    }

    for (zone_name, gateways) in &zone_gateways {
        let zone = index.zones[zone_name];
        if gateways.len() > 1 {
            let mut diagnostic = Diagnostic::error(
                "E100",
                format!(
                    "zone `{zone_name}` spans {} gateway groups ({}): live migration between them would need layer-2 extension",
                    gateways.len(),
                    topology.labels(gateways.keys())
                ),
            )
            .at(zone.name.loc);
            for (gateway, host) in gateways {
                diagnostic = diagnostic.related(
                    host.loc,
                    format!(
                        "host `{}` reaches {}",
                        host.name.value,
                        topology.groups[*gateway].label()
                    ),
                );
            }
            diagnostics.push(
                diagnostic
                    .hint("split the zone so that each part's hosts reach one aggregation block"),
            );
            continue;
        }
        if let Some((&gateway, _)) = gateways.iter().next() {
            b.closure.zone_gateway.insert(zone.name.as_str(), gateway);
            for segment in zone_segments(zone) {
                if segment.routed {
                    b.closure.svis[gateway].insert(segment.vlan_id(), segment);
                }
            }
        }
    }
    segments_in_one_block(
        inventory,
        index,
        topology,
        &b.closure.zone_gateway,
        diagnostics,
    );

    // Endpoints: their segments reach their own ports and their gateways.
    for endpoint in &inventory.endpoints {
        let segments: Vec<&Segment> = endpoint
            .segments
            .iter()
            .filter_map(|s| index.segments.get(s.as_str()).copied())
            .filter(|s| (1..=4094).contains(&s.vlan.value))
            .collect();
        let vlans: BTreeSet<u16> = segments.iter().map(|s| s.vlan_id()).collect();
        let cause = Cause {
            zone: None,
            who: format!("endpoint `{}`", endpoint.name.value),
            loc: endpoint.loc,
        };
        for &edge in edge_of
            .get(&EdgeKey::Endpoint(endpoint.name.as_str()))
            .into_iter()
            .flatten()
        {
            let group = b.closure.edge_ports[edge].group;
            b.closure.edge_ports[edge]
                .vlans
                .extend(vlans.iter().copied());
            if topology.distance[group].is_none() {
                diagnostics.push(no_path(topology, group, &cause));
                continue;
            }
            b.carry_up(
                group,
                &vlans,
                &cause,
                edge,
                Carrier::Endpoint(endpoint.name.as_str()),
                None,
            );
            for segment in &segments {
                for zone in inventory
                    .zones
                    .iter()
                    .filter(|z| z.segments.iter().any(|s| s.value == segment.name.value))
                {
                    let Some(&gateway) = b.closure.zone_gateway.get(zone.name.as_str()) else {
                        continue;
                    };
                    if !topology.nearest[group].contains(&gateway) {
                        diagnostics.push(
                            Diagnostic::error(
                                "E100",
                                format!(
                                    "endpoint `{}` reaches {}, but segment `{}` of zone `{}` has its gateways on {}",
                                    endpoint.name.value,
                                    topology.labels(topology.nearest[group].iter()),
                                    segment.name.value,
                                    zone.name.value,
                                    topology.groups[gateway].label()
                                ),
                            )
                            .at(endpoint.loc)
                            .related(zone.loc, "the zone")
                            .hint("attach the endpoint below the zone's gateway switches"),
                        );
                    }
                }
            }
        }
    }

    // A pair's members share the VLANs of the pair; SVI VLANs are defined
    // where their SVI is.
    for (group, svis) in b.closure.svis.iter().enumerate() {
        b.closure.group_vlans[group].extend(svis.keys().copied());
    }
    b.closure
}

/// Identifies the edge ports of a host or endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EdgeKey<'i> {
    Chassis(&'i str),
    Host(&'i str),
    Endpoint(&'i str),
}

impl<'i> EdgeKey<'i> {
    fn of_host(host: &'i Host) -> Self {
        match &host.attachment {
            Attachment::Chassis { chassis, .. } => EdgeKey::Chassis(chassis.as_str()),
            Attachment::Nics { .. } => EdgeKey::Host(host.name.as_str()),
        }
    }
}

/// Builds every host-facing logical port; returns which ports each owner has.
fn edge_ports<'i>(
    inventory: &'i Inventory,
    topology: &Topology<'i>,
    out: &mut Vec<EdgePort<'i>>,
) -> HashMap<EdgeKey<'i>, Vec<usize>> {
    let mut by_owner: HashMap<EdgeKey<'i>, Vec<usize>> = HashMap::new();
    let mut add = |key: EdgeKey<'i>,
                   owner: Owner<'i>,
                   module: Option<String>,
                   mut ports: Vec<PortRef>,
                   bundled: bool,
                   access: bool,
                   out: &mut Vec<EdgePort<'i>>| {
        ports.sort_by(|a, b| {
            (a.switch.as_str(), &a.port.value).cmp(&(b.switch.as_str(), &b.port.value))
        });
        let Some(group) = ports
            .first()
            .and_then(|p| topology.group_of.get(p.switch.as_str()))
        else {
            return;
        };
        by_owner.entry(key).or_default().push(out.len());
        out.push(EdgePort {
            owner,
            module,
            group: *group,
            ports,
            bundled,
            access,
            vlans: BTreeSet::new(),
        });
    };
    for chassis in &inventory.chassis {
        for (module, ports) in chassis_bundles(chassis) {
            add(
                EdgeKey::Chassis(chassis.name.as_str()),
                Owner::Chassis(chassis),
                module,
                ports,
                true,
                false,
                out,
            );
        }
    }
    for host in &inventory.hosts {
        let Attachment::Nics { nics, lag } = &host.attachment else {
            continue;
        };
        let key = EdgeKey::Host(host.name.as_str());
        if *lag == Lag::Lacp {
            add(key, Owner::Host(host), None, nics.clone(), true, false, out);
        } else {
            for nic in nics {
                add(
                    key.clone(),
                    Owner::Host(host),
                    None,
                    vec![nic.clone()],
                    false,
                    false,
                    out,
                );
            }
        }
    }
    for endpoint in &inventory.endpoints {
        let key = EdgeKey::Endpoint(endpoint.name.as_str());
        let access = endpoint
            .mode
            .as_ref()
            .is_some_and(|m| m.value == PortMode::Access);
        if endpoint.lag == Lag::Lacp {
            for (controller, ports) in endpoint_bundles(endpoint) {
                add(
                    key.clone(),
                    Owner::Endpoint(endpoint),
                    controller,
                    ports,
                    true,
                    access,
                    out,
                );
            }
        } else {
            // Multipath: every port on its own, named after its controller.
            let controller_of = |port: &PortRef| {
                endpoint
                    .controllers
                    .iter()
                    .find(|c| c.ports.contains(port))
                    .map(|c| format!("controller {}", c.name.value))
            };
            for port in &endpoint.ports {
                add(
                    key.clone(),
                    Owner::Endpoint(endpoint),
                    controller_of(port),
                    vec![port.clone()],
                    false,
                    access,
                    out,
                );
            }
        }
    }
    by_owner
}

/// A chassis's LACP bundles: all its uplinks when the interconnect modules
/// form one multi-chassis LAG, else one per module (docs/design.md, "Blade
/// interconnects"); uplinks that name no module are their switch's own
/// module (`to tor1a` in descriptions).
fn chassis_bundles(chassis: &Chassis) -> Vec<(Option<String>, Vec<PortRef>)> {
    let modules = chassis.uplinks.iter().map(|uplink| {
        let words = match &uplink.module {
            Some(m) => format!("module {}", m.value),
            None => format!("to {}", uplink.switch.value),
        };
        (uplink.module_name(), words, uplink.port_refs())
    });
    partner_bundles(modules, chassis.interconnects())
}

/// An endpoint's LACP bundles: one per controller unless the controllers
/// form one multi-chassis LAG (docs/design.md, "Blade interconnects and storage
/// controllers"); an endpoint without controllers is one partner.
fn endpoint_bundles(endpoint: &Endpoint) -> Vec<(Option<String>, Vec<PortRef>)> {
    if endpoint.controllers.is_empty() {
        return vec![(None, endpoint.ports.clone())];
    }
    let controllers = endpoint.controllers.iter().map(|c| {
        (
            c.name.as_str(),
            format!("controller {}", c.name.value),
            c.ports.iter().cloned(),
        )
    });
    partner_bundles(controllers, endpoint.controllers_lag())
}

/// The bundles of an attachment whose ports leave from several LACP
/// partners (`(partner, words naming it, ports)`, a partner may come
/// back): all ports in one when the partners form one multi-chassis LAG,
/// else one per partner, in the order they first appear, each with the
/// words that name it when there are several.
fn partner_bundles<'p, P: Iterator<Item = PortRef>>(
    partners: impl Iterator<Item = (&'p str, String, P)>,
    bundling: Interconnects,
) -> Vec<(Option<String>, Vec<PortRef>)> {
    let mut bundles: Vec<(&str, String, Vec<PortRef>)> = Vec::new();
    for (key, words, ports) in partners {
        let key = if bundling == Interconnects::Mlag {
            ""
        } else {
            key
        };
        match bundles.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, existing)) => existing.extend(ports),
            None => bundles.push((key, words, ports.collect())),
        }
    }
    let named = bundles.len() > 1;
    bundles
        .into_iter()
        .map(|(_, words, ports)| (named.then_some(words), ports))
        .collect()
}

fn no_path(topology: &Topology, group: GroupId, cause: &Cause) -> Diagnostic {
    Diagnostic::error(
        "E101",
        format!(
            "{} is attached to {}, which has no layer-2 path to a gateway switch",
            cause.who,
            topology.groups[group].label()
        ),
    )
    .at(cause.loc)
    .hint("cable the switch towards the gateway switches (`links:`), or attach the host elsewhere")
}

/// A segment in several zones must have all its SVIs in one place.
fn segments_in_one_block(
    inventory: &Inventory,
    index: &Index,
    topology: &Topology,
    zone_gateway: &BTreeMap<&str, GroupId>,
    diagnostics: &mut Diagnostics,
) {
    let mut gateways_of: BTreeMap<&str, BTreeMap<GroupId, &Zone>> = BTreeMap::new();
    for zone in &inventory.zones {
        let Some(&gateway) = zone_gateway.get(zone.name.as_str()) else {
            continue;
        };
        for segment in &zone.segments {
            gateways_of
                .entry(segment.as_str())
                .or_default()
                .entry(gateway)
                .or_insert(zone);
        }
    }
    for (segment, gateways) in gateways_of {
        if gateways.len() < 2 {
            continue;
        }
        let Some(seg) = index.segments.get(segment) else {
            continue;
        };
        let mut diagnostic = Diagnostic::error(
            "E100",
            format!(
                "segment `{segment}` is in zones whose hosts reach different gateway groups ({}): its VLAN would need layer-2 extension",
                topology.labels(gateways.keys())
            ),
        )
        .at(seg.name.loc);
        for (gateway, zone) in gateways {
            diagnostic = diagnostic.related(
                zone.loc,
                format!(
                    "zone `{}` reaches {}",
                    zone.name.value,
                    topology.groups[gateway].label()
                ),
            );
        }
        diagnostics.push(diagnostic.hint("give each aggregation block its own segment"));
    }
}

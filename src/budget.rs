//! Hardware budgets: what each switch's compiled intent asks of the
//! hardware (VLANs, spanning-tree logical ports, MAC and ARP tables,
//! port-channels, vPCs, ingress and egress ACL TCAM) against the limits of
//! its model, before anything is pushed. Trunking every zone VLAN to every
//! host port is what makes mobility work, and exactly what exhausts these
//! tables.
//!
//! How each number is counted:
//! - VLANs: the VLANs the switch defines, plus VLAN 1 (always there).
//! - Spanning-tree logical ports: every layer-2 port (a port-channel once,
//!   not its members; edge ports too, the switch counts them) times what it
//!   carries: Rapid-PVST+ one per allowed VLAN (an access port: 1); MST one
//!   per instance the port is in, the CIST plus the one instance that maps
//!   all VLANs: 2.
//! - MAC addresses: for each zone with at least one VLAN on the switch, its
//!   hosts × `vms_per_host` × `vnics_per_vm`; plus, per VLAN on the switch,
//!   the gateway's MACs (the router MAC of every switch with an SVI in it,
//!   and the HSRP virtual MAC), and one per endpoint port in the VLAN.
//!   Why this is the worst case and not less or more: a MAC table entry is
//!   a (VLAN, MAC) pair and a vNIC sits in exactly one VLAN, so a vNIC is
//!   one entry wherever it runs, however many VLANs the zone has; any host
//!   of the zone may run any of its VMs and the closure trunks every VLAN
//!   of the zone to every switch on the way to its gateway, so a switch
//!   that carries the zone may learn every vNIC of the zone; and every VM
//!   running at once with all its vNICs is the most there can be.
//! - ARP entries, on switches with SVIs: for each zone with a routed
//!   segment whose SVI is on the switch, the same hosts × VMs × vNICs (every
//!   vNIC may sit in a routed segment and talk off-subnet: one adjacency
//!   each); plus the other gateway members' SVI addresses, endpoint ports
//!   in routed segments, and one next hop per routed (external) port. IPv6
//!   neighbours are not counted: liaison refuses IPv6 gateways.
//! - ACL TCAM entries: as the ACL compiler counts them for the switch,
//!   ingress and egress apart (separate regions), after the platform's
//!   TCAM model (`policy::tcam`).

use crate::diag::{Diagnostic, Diagnostics, FileId};
use crate::intent::{DeviceIntent, Intent, SwitchportMode};
use crate::inventory::{decode_limits, Index, Inventory, ModelLimits, Platform, Resource, StpMode};
use crate::policy::tcam::Tcam;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Planning defaults when the inventory does not say (README documents them).
pub const DEFAULT_VMS_PER_HOST: u64 = 30;
pub const DEFAULT_VNICS_PER_VM: u64 = 1;
pub const DEFAULT_WARNING_PERCENT: u64 = 75;

const SHIPPED_LIMITS: &str = include_str!("../platforms/limits.yml");

#[derive(Debug, Serialize, Clone)]
pub struct Budget {
    pub stp_mode: &'static str,
    pub vms_per_host: u64,
    pub vnics_per_vm: u64,
    pub warning_percent: u64,
    pub switches: Vec<SwitchBudget>,
    /// Per zone: how many more hosts and segments it can take.
    pub headroom: Vec<ZoneHeadroom>,
}

#[derive(Debug, Serialize, Clone)]
pub struct SwitchBudget {
    pub switch: String,
    /// The switch's platform, for the words of its resources
    /// ([`Resource::describe`]).
    #[serde(skip)]
    pub platform: Platform,
    pub model: String,
    /// The resources whose limit came from the platform default.
    pub defaults_used: Vec<&'static str>,
    pub resources: Vec<Usage>,
}

#[derive(Debug, Serialize, Clone)]
pub struct Usage {
    pub resource: &'static str,
    pub used: u64,
    pub limit: u64,
    pub percent: f64,
    pub source: String,
    /// What drives the number most, biggest first.
    pub drivers: Vec<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct ZoneHeadroom {
    pub zone: String,
    /// More hosts (blades in existing chassis: no new switch ports) before
    /// the first limit; None when nothing limits it.
    pub hosts: Option<u64>,
    pub hosts_limited_by: Option<String>,
    /// More segments before the first limit.
    pub segments: Option<u64>,
    pub segments_limited_by: Option<String>,
}

/// The limits table: shipped models, then the inventory's own entries,
/// which replace a shipped model of the same name resource by resource.
struct Limits {
    by_model: HashMap<(Platform, String), BTreeMap<Resource, (u64, String)>>,
}

impl Limits {
    fn new(inventory: &Inventory) -> Self {
        let mut diagnostics = Diagnostics::default();
        let shipped = decode_limits(FileId(u32::MAX), SHIPPED_LIMITS, &mut diagnostics);
        debug_assert!(
            diagnostics.is_empty(),
            "platforms/limits.yml must decode cleanly"
        );
        let mut by_model: HashMap<(Platform, String), BTreeMap<Resource, (u64, String)>> =
            HashMap::new();
        let entries: Vec<&ModelLimits> = shipped.iter().chain(&inventory.platform_limits).collect();
        for entry in entries {
            let limits = by_model
                .entry((entry.platform, entry.model.value.clone()))
                .or_default();
            for (resource, value, source) in &entry.limits {
                limits.insert(*resource, (*value, source.clone()));
            }
        }
        Limits { by_model }
    }

    /// The limit for a resource of a model, and whether it is the default's.
    fn get(
        &self,
        platform: Platform,
        model: &str,
        resource: Resource,
    ) -> Option<(u64, &str, bool)> {
        let own = self
            .by_model
            .get(&(platform, model.to_string()))
            .and_then(|m| m.get(&resource));
        match own {
            Some((value, source)) => Some((*value, source, false)),
            None => self
                .by_model
                .get(&(platform, "default".to_string()))
                .and_then(|m| m.get(&resource))
                .map(|(value, source)| (*value, source.as_str(), true)),
        }
    }
}

/// Inputs to the budget besides the intent.
#[derive(Default)]
pub struct Assumptions {
    /// Extra hosts per zone (`--what-if-hosts zone=N`).
    pub extra_hosts: BTreeMap<String, u64>,
}

/// What the fabric puts into the switches' address tables, by zone and by
/// VLAN (see the module comment for why these are the worst case).
struct Occupants<'a> {
    /// Each zone's vNICs: hosts × VMs per host × vNICs per VM.
    vnics_of_zone: BTreeMap<&'a str, u64>,
    /// The zones whose segments use each VLAN.
    zones_of_vlan: BTreeMap<u16, Vec<&'a str>>,
    /// Per VLAN: the switches with an SVI in it (each a router MAC, and an
    /// ARP entry on the others) and whether they share an HSRP virtual MAC.
    gateways_of_vlan: BTreeMap<u16, (u64, bool)>,
    /// Per VLAN: endpoint ports in it (one MAC, one address each).
    endpoint_ports_of_vlan: BTreeMap<u16, u64>,
}

impl Occupants<'_> {
    /// The gateway MACs in a VLAN: every router MAC and the virtual MAC.
    fn gateway_macs(&self, vlan: u16) -> u64 {
        self.gateways_of_vlan
            .get(&vlan)
            .map_or(0, |(routers, fhrp)| routers + u64::from(*fhrp))
    }
}

/// What one switch asks for, before comparing with limits.
struct Demand {
    values: BTreeMap<Resource, (u64, Vec<String>)>,
}

pub fn evaluate(
    inventory: &Inventory,
    intent: &Intent,
    tcam: &BTreeMap<String, Tcam>,
    assumptions: &Assumptions,
    diagnostics: &mut Diagnostics,
) -> Budget {
    let index = Index::new(inventory);
    let limits = Limits::new(inventory);
    let stp = inventory
        .fabric
        .stp
        .as_ref()
        .map_or(StpMode::Mst, |s| s.value);
    let positive = |v: &Option<crate::inventory::Spanned<i64>>, default: u64| {
        v.as_ref().map_or(default, |s| s.value.max(0) as u64)
    };
    let vms = positive(&inventory.fabric.vms_per_host, DEFAULT_VMS_PER_HOST);
    let vnics = positive(&inventory.fabric.vnics_per_vm, DEFAULT_VNICS_PER_VM);
    let warning = positive(
        &inventory.fabric.budget_warning_percent,
        DEFAULT_WARNING_PERCENT,
    );

    // How many hosts each zone has, with `--what-if-hosts`.
    let mut hosts_in_zone: BTreeMap<&str, u64> = BTreeMap::new();
    for host in &inventory.hosts {
        *hosts_in_zone.entry(host.zone.as_str()).or_default() += 1;
    }
    let mut problems: Vec<Diagnostic> = assumptions
        .extra_hosts
        .iter()
        .filter_map(|(zone, extra)| what_if_hosts(zone, *extra, &index, &mut hosts_in_zone).err())
        .collect();
    problems.extend(overflows(&hosts_in_zone, vms, vnics, intent));
    if !problems.is_empty() {
        for problem in problems {
            diagnostics.push(problem);
        }
        // No figure below could be trusted (or computed without wrapping).
        return Budget {
            stp_mode: stp.as_str(),
            vms_per_host: vms,
            vnics_per_vm: vnics,
            warning_percent: warning,
            switches: Vec::new(),
            headroom: Vec::new(),
        };
    }
    let occupants = Occupants::of(inventory, &index, intent, vms * vnics, hosts_in_zone);

    let mut switches = Vec::new();
    let mut demands: Vec<(&DeviceIntent, Demand)> = Vec::new();
    let mut defaulted_models: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for device in &intent.devices {
        let tcam = tcam.get(&device.name).copied().unwrap_or_default();
        let demand = demand(device, stp, &occupants, tcam);
        let Some(switch) = index.switches.get(device.name.as_str()) else {
            continue;
        };
        let platform = switch.platform.value;
        let model = switch.model.as_ref().map_or("default", |m| m.as_str());
        let mut resources = Vec::new();
        let mut defaults_used = Vec::new();
        for (resource, (used, drivers)) in &demand.values {
            let Some((limit, source, defaulted)) = limits.get(platform, model, *resource) else {
                continue;
            };
            if defaulted {
                defaults_used.push(resource.key());
            }
            let percent = if limit == 0 {
                100.0
            } else {
                (*used as f64) * 100.0 / (limit as f64)
            };
            let at = switch.model.as_ref().map_or(switch.loc, |m| m.loc);
            let drivers_text = if drivers.is_empty() {
                String::new()
            } else {
                format!("; most from {}", drivers.join(", "))
            };
            if *used > limit {
                diagnostics.push(
                    Diagnostic::error(
                        "E120",
                        format!(
                            "switch `{}` needs {used} {} but its model {model} holds {limit} (source: {source}){drivers_text}",
                            device.name,
                            resource.describe(platform)
                        ),
                    )
                    .at(at)
                    .hint(relief(*resource)),
                );
            } else if percent >= warning as f64 {
                diagnostics.push(
                    Diagnostic::warning(
                        "W021",
                        format!(
                            "switch `{}` uses {percent:.0}% of its {} ({used} of {limit}, source: {source}){drivers_text}",
                            device.name,
                            resource.describe(platform)
                        ),
                    )
                    .at(at),
                );
            }
            resources.push(Usage {
                resource: resource.key(),
                used: *used,
                limit,
                percent: (percent * 10.0).round() / 10.0,
                source: source.to_string(),
                drivers: drivers.clone(),
            });
        }
        if !defaults_used.is_empty() {
            defaulted_models
                .entry(model.to_string())
                .or_default()
                .push(device.name.clone());
        }
        switches.push(SwitchBudget {
            switch: device.name.clone(),
            platform,
            model: model.to_string(),
            defaults_used,
            resources,
        });
        demands.push((device, demand));
    }
    for (model, names) in defaulted_models {
        let diagnostic = Diagnostic::warning(
            "W020",
            format!(
                "model `{model}` (switches {}) takes some limits from the platform default",
                names.join(", ")
            ),
        )
        .hint("add the model to `platform_limits` in the inventory with its verified figures");
        diagnostics.push(match index.switches.get(names[0].as_str()) {
            Some(s) => diagnostic.at(s.model.as_ref().map_or(s.loc, |m| m.loc)),
            None => diagnostic,
        });
    }

    let headroom = inventory
        .zones
        .iter()
        .map(|zone| {
            headroom(
                zone,
                &index,
                &switches,
                &demands,
                stp,
                vms * vnics,
                &occupants,
            )
        })
        .collect();
    Budget {
        stp_mode: stp.as_str(),
        vms_per_host: vms,
        vnics_per_vm: vnics,
        warning_percent: warning,
        switches,
        headroom,
    }
}

/// Adds `--what-if-hosts ZONE=N` to the zone's host count, refusing an
/// unknown zone and a count that does not fit in 64 bits.
fn what_if_hosts<'i>(
    zone: &str,
    extra: u64,
    index: &Index<'i>,
    hosts_in_zone: &mut BTreeMap<&'i str, u64>,
) -> Result<(), Diagnostic> {
    let Some((&name, _)) = index.zones.get_key_value(zone) else {
        let mut known: Vec<&str> = index.zones.keys().copied().collect();
        known.sort_unstable();
        let hint = crate::inventory::did_you_mean_or(
            zone,
            &known,
            format!("known zones: {}", known.join(", ")),
        );
        return Err(Diagnostic::error(
            "E132",
            format!("--what-if-hosts {zone}={extra}: the inventory has no zone `{zone}`"),
        )
        .hint(hint));
    };
    let count = hosts_in_zone.entry(name).or_default();
    *count = count.checked_add(extra).ok_or_else(|| {
        Diagnostic::error(
            "E131",
            format!(
                "--what-if-hosts {zone}={extra}: {count} + {extra} hosts does not fit in a 64-bit count"
            ),
        )
        .hint("ask about a number of hosts the zone could really have")
    })?;
    Ok(())
}

/// Every figure of the budget is bounded by (all hosts) × `vms_per_host` ×
/// `vnics_per_vm` × (VLANs on the busiest switch + 1), and the port and
/// VLAN counts are far smaller. When that bound fits in 64 bits (checked
/// here, with checked arithmetic) no sum or product below can wrap.
fn overflows(
    hosts_in_zone: &BTreeMap<&str, u64>,
    vms: u64,
    vnics: u64,
    intent: &Intent,
) -> Option<Diagnostic> {
    let vlans = intent
        .devices
        .iter()
        .map(|d| d.vlans.len() as u64)
        .max()
        .unwrap_or(0)
        + 1;
    let hosts = hosts_in_zone
        .values()
        .try_fold(0u64, |sum, n| sum.checked_add(*n));
    let bound = hosts
        .and_then(|h| h.checked_mul(vms))
        .and_then(|n| n.checked_mul(vnics))
        .and_then(|n| n.checked_mul(vlans))
        // Headroom for the small counts added to it (gateway MACs, ports).
        .and_then(|n| n.checked_mul(4));
    if bound.is_some() {
        return None;
    }
    let hosts = hosts.map_or("more than 2^64".to_string(), |h| h.to_string());
    Some(
        Diagnostic::error(
            "E131",
            format!(
                "the budget overflows 64-bit arithmetic: {hosts} hosts × {vms} VMs per host × {vnics} vNICs per VM over up to {vlans} VLANs"
            ),
        )
        .hint("check --what-if-hosts (and `vms_per_host`, `vnics_per_vm`): no switch could hold that many"),
    )
}

/// How to bring a resource back under its limit.
fn relief(resource: Resource) -> &'static str {
    match resource {
        Resource::Vlans | Resource::RpvstVlans => {
            "fewer zones (or segments) on this switch: split the zone or move hosts under other switches"
        }
        Resource::RpvstLogicalPorts => {
            "use `fabric.stp: mst` (one instance for all VLANs), or carry fewer VLANs per trunk by splitting zones"
        }
        Resource::MstLogicalPorts | Resource::MstInstances => "fewer layer-2 ports on this switch",
        Resource::MacAddresses => {
            "split the zone, move hosts under other switches, or correct `vms_per_host`/`vnics_per_vm` if they overstate"
        }
        Resource::PortChannels | Resource::Vpcs => {
            "spread hosts over more switches, or use `lag: none` for some of them"
        }
        Resource::ArpEntries => {
            "split the zone over more gateway pairs, or correct `vms_per_host`/`vnics_per_vm` if they overstate"
        }
        Resource::AclTcamEntries | Resource::AclTcamEgressEntries => {
            "trim or merge policy rules (object-groups share entries), or re-carve the TCAM regions and declare the new size in `platform_limits`"
        }
    }
}

/// Layer-2 ports of a switch: (name, VLANs carried; access ports carry 1).
fn l2_ports(device: &DeviceIntent) -> Vec<(String, &[u16], u64)> {
    let pcs = device.port_channels.iter().map(|pc| {
        let sp = &pc.switchport;
        (
            device.platform.port_channel_name(pc.id),
            sp.allowed_vlans.as_slice(),
            sp.mode == SwitchportMode::Access,
        )
    });
    let singles = device
        .interfaces
        .iter()
        .filter(|i| i.channel_group.is_none())
        .filter_map(|i| {
            i.switchport.as_ref().map(|sp| {
                (
                    i.name.clone(),
                    sp.allowed_vlans.as_slice(),
                    sp.mode == SwitchportMode::Access,
                )
            })
        });
    pcs.chain(singles)
        .map(|(name, vlans, access)| {
            let carried = if access { 1 } else { vlans.len() as u64 };
            (name, vlans, carried)
        })
        .collect()
}

fn top(mut items: Vec<(String, u64)>, unit: &str) -> Vec<String> {
    items.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .take(3)
        .map(|(name, n)| format!("{name} ({n} {unit})"))
        .collect()
}

impl<'a> Occupants<'a> {
    /// `hosts_of_zone` is bounded by `overflows`: the products fit.
    fn of(
        inventory: &'a Inventory,
        index: &Index,
        intent: &Intent,
        vnics_per_host: u64,
        hosts_of_zone: BTreeMap<&'a str, u64>,
    ) -> Self {
        let vnics_of_zone = hosts_of_zone
            .into_iter()
            .map(|(zone, hosts)| (zone, hosts.saturating_mul(vnics_per_host)))
            .collect();
        let mut zones_of_vlan: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
        for zone in &inventory.zones {
            for segment in &zone.segments {
                if let Some(s) = index.segments.get(segment.as_str()) {
                    zones_of_vlan
                        .entry(s.vlan_id())
                        .or_default()
                        .push(zone.name.as_str());
                }
            }
        }
        let mut gateways_of_vlan: BTreeMap<u16, (u64, bool)> = BTreeMap::new();
        for svi in intent.devices.iter().flat_map(|d| &d.svis) {
            let entry = gateways_of_vlan.entry(svi.vlan).or_default();
            entry.0 += 1;
            entry.1 |= svi.fhrp.is_some();
        }
        let mut endpoint_ports_of_vlan: BTreeMap<u16, u64> = BTreeMap::new();
        for endpoint in &inventory.endpoints {
            for segment in &endpoint.segments {
                if let Some(s) = index.segments.get(segment.as_str()) {
                    *endpoint_ports_of_vlan.entry(s.vlan_id()).or_default() +=
                        endpoint.ports.len() as u64;
                }
            }
        }
        Occupants {
            vnics_of_zone,
            zones_of_vlan,
            gateways_of_vlan,
            endpoint_ports_of_vlan,
        }
    }

    /// The zones with a VLAN among `vlans`, each once.
    fn zones_in(&self, vlans: impl Iterator<Item = u16>) -> Vec<&'a str> {
        let mut zones: Vec<&str> = vlans
            .flat_map(|v| self.zones_of_vlan.get(&v).into_iter().flatten().copied())
            .collect();
        zones.sort_unstable();
        zones.dedup();
        zones
    }

    fn vnics(&self, zone: &str) -> u64 {
        self.vnics_of_zone.get(zone).copied().unwrap_or(0)
    }
}

fn demand(device: &DeviceIntent, stp: StpMode, occupants: &Occupants, tcam: Tcam) -> Demand {
    let mut values = BTreeMap::new();
    let mut per_zone_vlans: BTreeMap<&str, u64> = BTreeMap::new();
    for vlan in &device.vlans {
        for zone in occupants.zones_of_vlan.get(&vlan.id).into_iter().flatten() {
            *per_zone_vlans.entry(zone).or_default() += 1;
        }
    }
    let zone_list = |m: &BTreeMap<&str, u64>| -> Vec<(String, u64)> {
        m.iter().map(|(z, n)| (format!("zone {z}"), *n)).collect()
    };
    values.insert(
        Resource::Vlans,
        (
            device.vlans.len() as u64 + 1,
            top(zone_list(&per_zone_vlans), "VLANs"),
        ),
    );
    let ports = l2_ports(device);
    let port_list = |per_port: &dyn Fn(u64) -> u64| -> Vec<(String, u64)> {
        ports
            .iter()
            .map(|(n, _, c)| (n.clone(), per_port(*c)))
            .collect()
    };
    match stp {
        StpMode::RapidPvst => {
            let used = ports.iter().map(|(_, _, c)| c).sum();
            values.insert(
                Resource::RpvstLogicalPorts,
                (used, top(port_list(&|c| c), "VLANs")),
            );
            values.insert(
                Resource::RpvstVlans,
                (device.vlans.len() as u64 + 1, Vec::new()),
            );
        }
        StpMode::Mst => {
            // CIST + the one instance mapping every VLAN.
            let used = ports.len() as u64 * 2;
            values.insert(Resource::MstLogicalPorts, (used, Vec::new()));
            values.insert(Resource::MstInstances, (1, Vec::new()));
        }
    }

    // MACs: each zone's vNICs once, however many of its VLANs are here.
    let mut macs: Vec<(String, u64)> = occupants
        .zones_in(device.vlans.iter().map(|v| v.id))
        .into_iter()
        .map(|zone| (format!("zone {zone}"), occupants.vnics(zone)))
        .collect();
    let vlan_sum = |per_vlan: &dyn Fn(u16) -> u64| -> u64 {
        device.vlans.iter().map(|v| per_vlan(v.id)).sum()
    };
    macs.push((
        "gateway MACs".to_string(),
        vlan_sum(&|vlan| occupants.gateway_macs(vlan)),
    ));
    macs.push((
        "endpoints".to_string(),
        vlan_sum(&|vlan| {
            occupants
                .endpoint_ports_of_vlan
                .get(&vlan)
                .copied()
                .unwrap_or(0)
        }),
    ));
    let total = macs.iter().fold(0u64, |sum, (_, n)| sum.saturating_add(*n));
    values.insert(Resource::MacAddresses, (total, top(macs, "MACs")));

    // ARP: only a switch that routes holds adjacencies for the segments.
    let routed_ports = device
        .interfaces
        .iter()
        .filter(|i| i.routed.is_some())
        .count() as u64;
    if !device.svis.is_empty() || routed_ports > 0 {
        let mut arp: Vec<(String, u64)> = occupants
            .zones_in(device.svis.iter().map(|s| s.vlan))
            .into_iter()
            .map(|zone| (format!("zone {zone}"), occupants.vnics(zone)))
            .collect();
        let peers: u64 = device
            .svis
            .iter()
            .map(|svi| {
                occupants
                    .gateways_of_vlan
                    .get(&svi.vlan)
                    .map_or(0, |(routers, _)| routers.saturating_sub(1))
            })
            .sum();
        arp.push(("peer gateways".to_string(), peers));
        let endpoints: u64 = device
            .svis
            .iter()
            .map(|svi| {
                occupants
                    .endpoint_ports_of_vlan
                    .get(&svi.vlan)
                    .copied()
                    .unwrap_or(0)
            })
            .sum();
        arp.push(("endpoints".to_string(), endpoints));
        arp.push(("routed next hops".to_string(), routed_ports));
        let total = arp.iter().fold(0u64, |sum, (_, n)| sum.saturating_add(*n));
        values.insert(Resource::ArpEntries, (total, top(arp, "entries")));
    }

    values.insert(
        Resource::PortChannels,
        (device.port_channels.len() as u64, Vec::new()),
    );
    let vpcs = device
        .port_channels
        .iter()
        .filter(|p| p.mlag_id.is_some())
        .count() as u64;
    values.insert(Resource::Vpcs, (vpcs, Vec::new()));
    values.insert(Resource::AclTcamEntries, (tcam.ingress, Vec::new()));
    values.insert(Resource::AclTcamEgressEntries, (tcam.egress, Vec::new()));
    Demand { values }
}

/// How many more hosts / segments a zone takes before the first limit.
fn headroom(
    zone: &crate::inventory::Zone,
    index: &Index,
    switches: &[SwitchBudget],
    demands: &[(&DeviceIntent, Demand)],
    stp: StpMode,
    vnics_per_host: u64,
    occupants: &Occupants,
) -> ZoneHeadroom {
    let zone_vlans: Vec<u16> = zone
        .segments
        .iter()
        .filter_map(|s| index.segments.get(s.as_str()).map(|s| s.vlan_id()))
        .collect();
    let mut best_hosts: Option<(u64, String)> = None;
    let mut best_segments: Option<(u64, String)> = None;
    let tighten = |best: &mut Option<(u64, String)>, room: u64, why: String| {
        if best.as_ref().is_none_or(|(r, _)| room < *r) {
            *best = Some((room, why));
        }
    };
    // A new segment is routed like the zone's routed ones (if it has any):
    // it brings their gateway MACs and peer addresses.
    let (gateway_macs, peer_addresses) = zone_vlans
        .iter()
        .filter_map(|v| occupants.gateways_of_vlan.get(v).map(|g| (*v, *g)))
        .map(|(v, (routers, _))| (occupants.gateway_macs(v), routers.saturating_sub(1)))
        .max()
        .unwrap_or((0, 0));
    for ((device, _), budget) in demands.iter().zip(switches) {
        if !device.vlans.iter().any(|v| zone_vlans.contains(&v.id)) {
            continue;
        }
        let routes_zone = device.svis.iter().any(|s| zone_vlans.contains(&s.vlan));
        // Trunks that carry the zone get one more VLAN per new segment.
        let trunks = l2_ports(device)
            .iter()
            .filter(|(_, vlans, _)| vlans.iter().any(|v| zone_vlans.contains(v)))
            .count() as u64;
        // (resource, per new host, per new segment)
        let steps: [(Resource, u64, u64); 5] = [
            (Resource::Vlans, 0, 1),
            (
                Resource::RpvstVlans,
                0,
                u64::from(stp == StpMode::RapidPvst),
            ),
            (
                Resource::RpvstLogicalPorts,
                0,
                if stp == StpMode::RapidPvst { trunks } else { 0 },
            ),
            (Resource::MacAddresses, vnics_per_host, gateway_macs),
            (
                Resource::ArpEntries,
                if routes_zone { vnics_per_host } else { 0 },
                if routes_zone { peer_addresses } else { 0 },
            ),
        ];
        for usage in &budget.resources {
            let Some((resource, per_host, per_segment)) =
                steps.iter().find(|(r, _, _)| r.key() == usage.resource)
            else {
                continue;
            };
            let left = usage.limit.saturating_sub(usage.used);
            let label = || format!("{} on {}", resource.key(), device.name);
            if *per_host > 0 {
                tighten(&mut best_hosts, left / per_host, label());
            }
            if *per_segment > 0 {
                tighten(&mut best_segments, left / per_segment, label());
            }
        }
    }
    ZoneHeadroom {
        zone: zone.name.value.clone(),
        hosts: best_hosts.as_ref().map(|b| b.0),
        hosts_limited_by: best_hosts.map(|b| b.1),
        segments: best_segments.as_ref().map(|b| b.0),
        segments_limited_by: best_segments.map(|b| b.1),
    }
}

/// The per-switch table `check` prints.
pub fn render_table(budget: &Budget) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if budget.switches.is_empty() {
        return out; // not evaluated (E131/E132)
    }
    let _ = writeln!(
        out,
        "hardware budget (stp {}, {} VMs per host, {} vNIC per VM; warning at {}%):",
        budget.stp_mode, budget.vms_per_host, budget.vnics_per_vm, budget.warning_percent
    );
    // Every resource any switch has, in the table's order (ARP only
    // exists on switches that route).
    let columns: Vec<&'static str> = Resource::ALL
        .iter()
        .map(|r| r.key())
        .filter(|key| {
            budget
                .switches
                .iter()
                .any(|s| s.resources.iter().any(|r| r.resource == *key))
        })
        .collect();
    let mut rows: Vec<Vec<String>> = vec![std::iter::once("switch".to_string())
        .chain(columns.iter().map(|c| c.to_string()))
        .collect()];
    for switch in &budget.switches {
        let mut row = vec![switch.switch.clone()];
        for column in &columns {
            let cell = switch
                .resources
                .iter()
                .find(|r| r.resource == *column)
                .map_or_else(
                    || "-".to_string(),
                    |r| format!("{}/{} {:.0}%", r.used, r.limit, r.percent),
                );
            row.push(cell);
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i].len()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    }
    for zone in &budget.headroom {
        let _ = writeln!(
            out,
            "  zone {}: room for {} more hosts, {} more segments",
            zone.zone,
            headroom_text(zone.hosts, &zone.hosts_limited_by),
            headroom_text(zone.segments, &zone.segments_limited_by)
        );
    }
    out
}

/// `40 (then arp_entries on agg1)`, or `no limit`: one figure of a zone's
/// headroom.
pub fn headroom_text(room: Option<u64>, limited_by: &Option<String>) -> String {
    match (room, limited_by) {
        (Some(n), Some(why)) => format!("{n} (then {why})"),
        _ => "no limit".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_limits_decode_cleanly_and_have_a_default() {
        let mut diagnostics = Diagnostics::default();
        let table = decode_limits(FileId(0), SHIPPED_LIMITS, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let default = table
            .iter()
            .find(|m| m.model.value == "default")
            .expect("a default");
        assert_eq!(
            default.limits.len(),
            Resource::ALL.len(),
            "the default lists every resource"
        );
        assert!(table
            .iter()
            .all(|m| m.limits.iter().all(|(_, _, source)| !source.is_empty())));
    }
}

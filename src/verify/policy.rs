//! The policy and the guardrails on the running fabric.
//!
//! Policy: on every gateway member, the segment's SVI binds ACLs in the
//! same directions as on the other member, and those ACLs, evaluated as a
//! packet filter ([`crate::policy::eval`], the evaluator `liaison why`
//! uses), pass and drop sampled flows exactly as the inventory's policy
//! compiled by liaison does: the first and the last port of every service
//! of every rule, between the first and the last segment of each side (and
//! the Internet), forward and reply, and for every segment probes that no
//! rule allows (the default deny). A flow is compared end to end (the
//! source segment's `in` filter and the destination segment's `out` filter
//! on the gateway that routes it), so a hand-made fabric that filters at
//! other places but to the same effect proves; a difference is reported on
//! the filter whose verdict differs.

use super::observed::{Layer, ObservedDevice, ObservedInterface};
use super::proof::{describe_vlans, interface_place, Prover};
use super::{ConfigPlace, Kind};
use crate::compile::topology::GroupId;
use crate::diag::Diagnostics;
use crate::intent::{Acl, Action, DeviceIntent};
use crate::inventory::{GuardrailRule, Segment};
use crate::policy::eval::{self, ObjectGroups, Packet, Transport};
use crate::policy::why::{describe_packet, inside, EPHEMERAL, INTERNET_CANDIDATES};
use crate::vlan::VlanSet;
use ipnetwork::{IpNetwork, Ipv4Network};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// Ports no policy is expected to open, probed for the default deny.
const PROBES: [(bool, u16); 2] = [(true, 23), (false, 161)];
/// Examples of differing flows quoted in a finding.
const EXAMPLES: usize = 3;

/// A routed segment with a gateway: where its SVIs are.
struct Gatewayed<'i> {
    segment: &'i Segment,
    subnet: Ipv4Network,
    group: GroupId,
}

/// A sampled flow: a packet between two ends (None: the Internet).
struct Sample {
    packet: Packet,
    from: Option<usize>,
    to: Option<usize>,
    /// Where it comes from, for messages: a rule's place, or `default deny`.
    why: String,
}

/// A filter on one switch: a segment's SVI in one direction.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Hop<'s> {
    switch: &'s str,
    segment: usize,
    inbound: bool,
}

/// Checks bindings and verdicts; returns how many packets were evaluated.
pub(super) fn check(prover: &mut Prover<'_, '_>) -> usize {
    let gatewayed = gatewayed(prover);
    check_bindings(prover, &gatewayed);
    let samples = samples(prover, &gatewayed);
    let mut differences: BTreeMap<(String, usize, bool), Difference> = BTreeMap::new();
    let mut memo: HashMap<(&str, usize), Filters<'_>> = HashMap::new();
    let mut evaluated = 0;
    for sample in &samples {
        for route in routes(prover, &gatewayed, sample) {
            evaluated += 1;
            let mut expected_pass = true;
            let mut observed_pass = true;
            let mut verdicts = Vec::with_capacity(route.len());
            for hop in &route {
                let filters = *memo
                    .entry((hop.switch, hop.segment))
                    .or_insert_with(|| filters(prover, &gatewayed, hop.switch, hop.segment));
                let expected = filters.intended_verdict(hop.inbound, &sample.packet);
                let observed = filters.observed_verdict(hop.inbound, &sample.packet);
                expected_pass &= expected;
                observed_pass &= observed;
                verdicts.push((hop, expected, observed, filters.has_filter(hop.inbound)));
            }
            if expected_pass == observed_pass {
                continue;
            }
            for (hop, expected, observed, filtered) in verdicts {
                // A hop with no ACL bound is reported as the binding it lacks.
                if expected == observed || !filtered {
                    continue;
                }
                let entry = differences
                    .entry((hop.switch.to_string(), hop.segment, hop.inbound))
                    .or_default();
                if observed {
                    entry.permits += 1;
                } else {
                    entry.denies += 1;
                }
                if entry.examples.len() < EXAMPLES {
                    entry.examples.push(format!(
                        "{} {} ({}; the policy {} it)",
                        describe_packet(&sample.packet),
                        if observed { "passes" } else { "is dropped" },
                        sample.why,
                        if expected { "allows" } else { "denies" }
                    ));
                }
            }
        }
    }
    for ((switch, segment, inbound), difference) in differences {
        report_difference(prover, &gatewayed[segment], &switch, inbound, &difference);
    }
    evaluated
}

#[derive(Default)]
struct Difference {
    /// Flows the running filter passes and the policy denies.
    permits: usize,
    /// Flows it drops and the policy allows.
    denies: usize,
    examples: Vec<String>,
}

fn gatewayed<'i>(prover: &Prover<'_, 'i>) -> Vec<Gatewayed<'i>> {
    let mut out: Vec<Gatewayed<'i>> = Vec::new();
    let mut seen = BTreeSet::new();
    for &group in prover.closure.zone_gateway.values() {
        for segment in prover.closure.svis[group].values() {
            let Some(IpNetwork::V4(subnet)) = segment.subnet.as_ref().map(|s| s.value) else {
                continue;
            };
            if seen.insert(segment.name.as_str()) {
                out.push(Gatewayed {
                    segment,
                    subnet,
                    group,
                });
            }
        }
    }
    out.sort_by(|a, b| a.segment.name.value.cmp(&b.segment.name.value));
    out
}

fn intended<'p>(prover: &'p Prover<'_, '_>, switch: &str) -> Option<&'p DeviceIntent> {
    prover.intended(switch)
}

/// The ACL names an SVI binds, in and out.
fn bindings(interface: Option<&ObservedInterface>) -> (Option<&str>, Option<&str>) {
    match interface {
        None => (None, None),
        Some(i) => (i.acl_in.as_deref(), i.acl_out.as_deref()),
    }
}

/// Both members bind ACLs in the same directions, with the same names,
/// and every bound ACL exists.
fn check_bindings(prover: &mut Prover<'_, '_>, gatewayed: &[Gatewayed<'_>]) {
    for g in gatewayed {
        let vlan = g.segment.vlan_id();
        let svi = format!("Vlan{vlan}");
        let members = prover.topology.groups[g.group].members.clone();
        let demands = prover.demands_of_segment(g.segment);
        let present: Vec<&ObservedDevice> = members
            .iter()
            .filter_map(|m| prover.observed.get(*m))
            .filter(|d| d.interfaces.contains_key(&svi))
            .collect();
        for device in &present {
            let interface = device.interfaces.get(&svi);
            let (acl_in, acl_out) = bindings(interface);
            let expected = intended(prover, &device.name)
                .and_then(|d| d.svis.iter().find(|s| s.vlan == vlan))
                .map(|s| (s.acl_in.is_some(), s.acl_out.is_some()))
                .unwrap_or((false, false));
            let others: Vec<&&ObservedDevice> =
                present.iter().filter(|o| o.name != device.name).collect();
            let peer_binds = |inbound: bool| {
                others.first().is_some_and(|o| {
                    let (i, out) = bindings(o.interfaces.get(&svi));
                    if inbound { i } else { out }.is_some()
                })
            };
            // Filtered in neither direction: one problem, not two.
            let unfiltered = acl_in.is_none()
                && acl_out.is_none()
                && expected.0
                && expected.1
                && !peer_binds(true)
                && !peer_binds(false);
            for (direction, bound, wanted) in
                [("in", acl_in, expected.0), ("out", acl_out, expected.1)]
            {
                let other = others.first().and_then(|o| {
                    let (i, o2) = bindings(o.interfaces.get(&svi));
                    if direction == "in" { i } else { o2 }.map(|n| (o.name.clone(), n.to_string()))
                });
                let problem = match (bound, &other) {
                    (None, Some((peer, name))) => Some(format!(
                        "{} {svi} (segment {}) binds no ACL {direction}, and {peer} binds {name} {direction}: VMs routed by {} are not filtered {direction}",
                        device.name, g.segment.name.value, device.name
                    )),
                    (None, None) if unfiltered && direction == "out" => None,
                    (None, None) if wanted => Some(format!(
                        "{} {svi} (segment {}) binds no ACL {}: the policy is not enforced there",
                        device.name,
                        g.segment.name.value,
                        if unfiltered { "in or out" } else { direction }
                    )),
                    (Some(mine), Some((peer, theirs))) if mine != theirs && device.name < *peer => {
                        Some(format!(
                            "{} {svi} binds {mine} {direction}, and {peer} binds {theirs} {direction}: the gateways of segment {} filter with different ACLs",
                            device.name, g.segment.name.value
                        ))
                    }
                    _ => None,
                };
                let Some(interface) = interface else { continue };
                if let Some(message) = problem {
                    let line = match bound {
                        Some(name) => format!("ip access-group {name} {direction}"),
                        None if unfiltered => "no `ip access-group`".to_string(),
                        None => format!("no `ip access-group … {direction}`"),
                    };
                    let config = interface_place(device, interface, &line);
                    prover.gateway_finding(
                        Kind::AclBinding,
                        device,
                        &svi,
                        message,
                        g.segment,
                        &demands,
                        config,
                    );
                }
                if let Some(name) = bound {
                    if !device.acls.contains_key(name) {
                        let config = ConfigPlace {
                            switch: device.name.clone(),
                            file: device.source.clone(),
                            line: None,
                            text: format!("no `ip access-list {name}`"),
                        };
                        let message = format!(
                            "{} {svi} binds ACL {name} {direction}, which is not defined: it filters nothing",
                            device.name
                        );
                        prover.gateway_finding(
                            Kind::AclUndefined,
                            device,
                            &format!("ip access-list {name}"),
                            message,
                            g.segment,
                            &demands,
                            config,
                        );
                    } else if let Some(entries) = device.unmodelled_entries.get(name) {
                        let config = ConfigPlace {
                            switch: device.name.clone(),
                            file: device.source.clone(),
                            line: device.line_of(&format!("ip access-list {name}")),
                            text: format!("ip access-list {name}\n  {}", entries.join("\n  ")),
                        };
                        let message = format!(
                            "{} ACL {name} has {} entr{} liaison cannot evaluate (skipped): segment {}'s policy is not proven there",
                            device.name,
                            entries.len(),
                            if entries.len() == 1 { "y" } else { "ies" },
                            g.segment.name.value
                        );
                        prover.gateway_finding(
                            Kind::AclUnmodelled,
                            device,
                            &format!("ip access-list {name}"),
                            message,
                            g.segment,
                            &demands,
                            config,
                        );
                    }
                }
            }
        }
    }
}

fn samples(prover: &Prover<'_, '_>, gatewayed: &[Gatewayed<'_>]) -> Vec<Sample> {
    let position: BTreeMap<&str, usize> = gatewayed
        .iter()
        .enumerate()
        .map(|(i, g)| (g.segment.name.as_str(), i))
        .collect();
    let internet = internet_address(gatewayed);
    let address = |end: Option<usize>| end.map_or(internet, |i| inside(&gatewayed[i].subnet));
    // A flow from one end to the other (None: the Internet).
    let sample =
        |from: Option<usize>, to: Option<usize>, transport: Transport, why: String| Sample {
            packet: Packet {
                source: address(from),
                destination: address(to),
                transport,
            },
            from,
            to,
            why,
        };
    let mut samples = Vec::new();
    let mut push = |from: Option<usize>, to: Option<usize>, transport: Transport, why: &str| {
        if from.is_some() && from == to || (from.is_none() && to.is_none()) {
            return;
        }
        let flow = sample(from, to, transport, why.to_string());
        let reply = Sample {
            packet: flow.packet.reply(),
            from: to,
            to: from,
            why: format!("reply, {why}"),
        };
        samples.push(flow);
        samples.push(reply);
    };
    let mut ignored = Diagnostics::default();
    let policy = crate::policy::resolve(
        prover.inventory,
        crate::inventory::Date::today(),
        &mut ignored,
    );
    for rule in &policy.rules {
        let why = format!("rule at {}", prover.sources.describe(rule.rule.loc));
        let ends = |ends: &crate::policy::Ends| -> Vec<Option<usize>> {
            let mut out: Vec<Option<usize>> = Vec::new();
            for id in [ends.segments.first(), ends.segments.last()]
                .into_iter()
                .flatten()
            {
                let name = policy.segments[*id as usize].name();
                if let Some(&i) = position.get(name) {
                    if !out.contains(&Some(i)) {
                        out.push(Some(i));
                    }
                }
            }
            if ends.internet {
                out.push(None);
            }
            out
        };
        let transports = transports(&rule.services);
        for from in ends(&rule.from) {
            for to in ends(&rule.to) {
                for transport in &transports {
                    push(from, to, *transport, &why);
                }
            }
        }
    }
    // The default deny: probes into and out of every segment.
    for (i, _) in gatewayed.iter().enumerate() {
        let neighbour = (i + 1) % gatewayed.len();
        for (tcp, port) in PROBES {
            let transport = if tcp {
                Transport::Tcp {
                    source_port: EPHEMERAL,
                    destination_port: port,
                    established: false,
                }
            } else {
                Transport::Udp {
                    source_port: EPHEMERAL,
                    destination_port: port,
                }
            };
            for (from, to) in [(None, Some(i)), (Some(i), None), (Some(neighbour), Some(i))] {
                if from == to {
                    continue;
                }
                samples.push(sample(from, to, transport, "default deny probe".into()));
            }
        }
    }
    samples
}

/// An address outside every segment, standing for the Internet.
fn internet_address(gatewayed: &[Gatewayed<'_>]) -> Ipv4Addr {
    INTERNET_CANDIDATES
        .into_iter()
        .find(|a| !gatewayed.iter().any(|g| g.subnet.contains(*a)))
        .unwrap_or(INTERNET_CANDIDATES[3])
}

/// The first and last port of each range of a rule's services.
fn transports(services: &crate::policy::Services) -> Vec<Transport> {
    let mut out = Vec::new();
    let tcp = |port| Transport::Tcp {
        source_port: EPHEMERAL,
        destination_port: port,
        established: false,
    };
    let udp = |port| Transport::Udp {
        source_port: EPHEMERAL,
        destination_port: port,
    };
    if services.ip {
        out.extend([tcp(443), udp(53), Transport::Icmp { icmp_type: 8 }]);
        return out;
    }
    for range in &services.tcp {
        out.push(tcp(range.low));
        if range.high != range.low {
            out.push(tcp(range.high));
        }
    }
    for range in &services.udp {
        out.push(udp(range.low));
        if range.high != range.low {
            out.push(udp(range.high));
        }
    }
    if services.icmp {
        out.push(Transport::Icmp { icmp_type: 8 });
    }
    out
}

/// The filters a sampled packet meets, once per way it can be routed: the
/// source segment's `in` filter and the destination's `out` filter on the
/// same gateway when both segments route there, on each pair of members
/// otherwise. Only switches that were read are included.
fn routes<'p>(
    prover: &'p Prover<'_, '_>,
    gatewayed: &[Gatewayed<'_>],
    sample: &Sample,
) -> Vec<Vec<Hop<'p>>> {
    let members = |segment: usize| -> Vec<&'p str> {
        prover.topology.groups[gatewayed[segment].group]
            .members
            .iter()
            .copied()
            .filter(|m| prover.observed.contains_key(*m))
            .collect()
    };
    let hop = |switch, segment, inbound| Hop {
        switch,
        segment,
        inbound,
    };
    match (sample.from, sample.to) {
        (Some(from), Some(to)) if gatewayed[from].group == gatewayed[to].group => members(from)
            .into_iter()
            .map(|m| vec![hop(m, from, true), hop(m, to, false)])
            .collect(),
        (Some(from), Some(to)) => {
            let mut routes = Vec::new();
            for a in members(from) {
                for b in members(to) {
                    routes.push(vec![hop(a, from, true), hop(b, to, false)]);
                }
            }
            routes
        }
        (Some(from), None) => members(from)
            .into_iter()
            .map(|m| vec![hop(m, from, true)])
            .collect(),
        (None, Some(to)) => members(to)
            .into_iter()
            .map(|m| vec![hop(m, to, false)])
            .collect(),
        (None, None) => Vec::new(),
    }
}

fn permits(groups: &dyn ObjectGroups, acl: &Acl, packet: &Packet) -> bool {
    eval::first_match(groups, acl, packet).is_some_and(|(_, ace)| ace.action == Action::Permit)
}

/// The filters of one segment's SVI on one switch, intended and running,
/// in and out (None: no ACL bound, or one not defined: nothing filtered).
#[derive(Clone, Copy)]
struct Filters<'p> {
    intended: Option<&'p DeviceIntent>,
    intended_acls: [Option<&'p Acl>; 2],
    observed: Option<&'p ObservedDevice>,
    observed_acls: [Option<&'p Acl>; 2],
}

impl Filters<'_> {
    fn direction(inbound: bool) -> usize {
        usize::from(!inbound)
    }

    /// What the intended config does with the packet.
    fn intended_verdict(&self, inbound: bool, packet: &Packet) -> bool {
        match (self.intended, self.intended_acls[Self::direction(inbound)]) {
            (Some(device), Some(acl)) => permits(device, acl, packet),
            _ => true,
        }
    }

    /// What the running config does with the packet.
    fn observed_verdict(&self, inbound: bool, packet: &Packet) -> bool {
        match (self.observed, self.observed_acls[Self::direction(inbound)]) {
            (Some(device), Some(acl)) => permits(device, acl, packet),
            _ => true,
        }
    }

    fn has_filter(&self, inbound: bool) -> bool {
        self.observed_acls[Self::direction(inbound)].is_some()
    }
}

fn filters<'p>(
    prover: &'p Prover<'_, '_>,
    gatewayed: &[Gatewayed<'_>],
    switch: &str,
    segment: usize,
) -> Filters<'p> {
    let vlan = gatewayed[segment].segment.vlan_id();
    let intended = prover.intended(switch);
    let svi = intended.and_then(|d| d.svis.iter().find(|s| s.vlan == vlan));
    let intended_acl = |name: Option<&String>| intended?.acl(name?.as_str());
    let observed = prover.observed.get(switch);
    let interface = observed.and_then(|d| d.interfaces.get(&format!("Vlan{vlan}")));
    let observed_acl = |name: Option<&String>| observed?.acls.get(name?.as_str());
    Filters {
        intended,
        intended_acls: [
            intended_acl(svi.and_then(|s| s.acl_in.as_ref())),
            intended_acl(svi.and_then(|s| s.acl_out.as_ref())),
        ],
        observed,
        observed_acls: [
            observed_acl(interface.and_then(|i| i.acl_in.as_ref())),
            observed_acl(interface.and_then(|i| i.acl_out.as_ref())),
        ],
    }
}

fn report_difference(
    prover: &mut Prover<'_, '_>,
    gatewayed: &Gatewayed<'_>,
    switch: &str,
    inbound: bool,
    difference: &Difference,
) {
    let observed = prover.observed;
    let Some(device) = observed.get(switch) else {
        return;
    };
    let vlan = gatewayed.segment.vlan_id();
    let svi = format!("Vlan{vlan}");
    let direction = if inbound { "in" } else { "out" };
    let interface = device.interfaces.get(&svi);
    let acl = interface.and_then(|i| {
        if inbound {
            i.acl_in.clone()
        } else {
            i.acl_out.clone()
        }
    });
    let mut text = String::new();
    let _ = write!(
        text,
        "{switch} {svi} (segment {}) {} {direction}: ",
        gatewayed.segment.name.value,
        acl.as_ref()
            .map_or("binds no ACL".to_string(), |a| format!("ACL {a}"))
    );
    let mut parts = Vec::new();
    if difference.permits > 0 {
        parts.push(format!(
            "passes {} sampled flow{} the policy denies",
            difference.permits,
            plural(difference.permits)
        ));
    }
    if difference.denies > 0 {
        parts.push(format!(
            "drops {} sampled flow{} the policy allows",
            difference.denies,
            plural(difference.denies)
        ));
    }
    let _ = write!(
        text,
        "{}, e.g. {}",
        parts.join(" and "),
        difference.examples.join("; ")
    );
    let config = match (&acl, interface) {
        (Some(name), _) => ConfigPlace {
            switch: switch.to_string(),
            file: device.source.clone(),
            line: device.line_of(&format!("ip access-list {name}")),
            text: format!("ip access-list {name}"),
        },
        (None, Some(i)) => {
            interface_place(device, i, &format!("no `ip access-group … {direction}`"))
        }
        (None, None) => ConfigPlace {
            switch: switch.to_string(),
            file: device.source.clone(),
            line: None,
            text: format!("no `interface {svi}`"),
        },
    };
    let place = format!("{svi} {direction}");
    let demands = prover.demands_of_segment(gatewayed.segment);
    prover.gateway_finding(
        Kind::PolicyMismatch,
        device,
        &place,
        text,
        gatewayed.segment,
        &demands,
        config,
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Guardrails on the running fabric: tagged VLANs only on their switches;
/// segments kept apart never on one trunk.
pub(super) fn check_guardrails(prover: &mut Prover<'_, '_>) {
    let inventory = prover.inventory;
    for guardrail in &inventory.guardrails {
        match &guardrail.rule {
            GuardrailRule::OnlyOn { tag, switches } => {
                let tagged: VlanSet = inventory
                    .segments
                    .iter()
                    .filter(|s| s.has_tag(tag.as_str()) && (1..=4094).contains(&s.vlan.value))
                    .map(|s| s.vlan_id())
                    .collect();
                let allowed: BTreeSet<&str> = switches.iter().map(|s| s.as_str()).collect();
                let observed = prover.observed;
                for device in observed
                    .values()
                    .filter(|d| !allowed.contains(d.name.as_str()))
                {
                    let present: VlanSet = device
                        .vlans
                        .iter()
                        .copied()
                        .filter(|v| tagged.contains(*v))
                        .collect();
                    if present.is_empty() {
                        continue;
                    }
                    let mut config = vec![ConfigPlace {
                        switch: device.name.clone(),
                        file: device.source.clone(),
                        line: present
                            .iter()
                            .find_map(|v| device.line_of(&format!("vlan {v}"))),
                        text: format!("vlan {present}"),
                    }];
                    for interface in device.interfaces.values() {
                        if interface.layer == Layer::Switched
                            && !interface.carried().intersection(&present).is_empty()
                        {
                            config.push(interface_place(
                                device,
                                interface,
                                &interface.carried_text(),
                            ));
                        }
                        if config.len() > 4 {
                            break;
                        }
                    }
                    let vlans = describe_vlans(&present, &prover.segment_of_vlan);
                    let message = format!(
                        "{} carries {vlans}, tagged {}, which guardrail {} allows only on {}",
                        device.name,
                        tag.value,
                        guardrail.name.value,
                        switches
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    let draft = prover.draft(Kind::GuardrailOnlyOn, &[&device.name], "vlan");
                    draft.message = message;
                    draft.summary = Some(format!(
                        "{} traffic reaches {}, a switch guardrail {} keeps it from",
                        tag.value, device.name, guardrail.name.value
                    ));
                    draft.vlans = present;
                    draft.locs.insert(guardrail.loc);
                    draft.config = config;
                }
            }
            GuardrailRule::NeverTogether([a, b]) => {
                let with = |tag: &str| -> VlanSet {
                    inventory
                        .segments
                        .iter()
                        .filter(|s| s.has_tag(tag) && (1..=4094).contains(&s.vlan.value))
                        .map(|s| s.vlan_id())
                        .collect()
                };
                let (first, second) = (with(a.as_str()), with(b.as_str()));
                let observed = prover.observed;
                for device in observed.values() {
                    let defined: VlanSet = device.vlans.iter().copied().collect();
                    for interface in device.interfaces.values() {
                        if interface.layer != Layer::Switched {
                            continue;
                        }
                        let carried = interface.carried().intersection(&defined);
                        let (x, y) = (carried.intersection(&first), carried.intersection(&second));
                        if x.is_empty() || y.is_empty() {
                            continue;
                        }
                        let message = format!(
                            "{} {} carries {} (tagged {}) and {} (tagged {}), which guardrail {} keeps apart",
                            device.name,
                            interface.name,
                            describe_vlans(&x, &prover.segment_of_vlan),
                            a.value,
                            describe_vlans(&y, &prover.segment_of_vlan),
                            b.value,
                            guardrail.name.value
                        );
                        let config = interface_place(device, interface, &interface.carried_text());
                        let draft = prover.draft(
                            Kind::GuardrailNeverTogether,
                            &[&device.name],
                            &interface.name,
                        );
                        draft.message = message;
                        draft.summary = Some(format!(
                            "{} and {} segments meet on one trunk",
                            a.value, b.value
                        ));
                        draft.vlans = x.union(&y);
                        draft.locs.insert(guardrail.loc);
                        draft.config = vec![config];
                    }
                }
            }
        }
    }
}

//! `liaison why FROM TO PROTO/PORT`: is a flow allowed, and which policy
//! rule and which ACL entries decide it.
//!
//! The answer comes from the compiled ACLs (the intent), evaluated as the
//! switches will evaluate them, along the packet's path: the `-in` ACL of
//! the source segment's SVIs (from the Internet: the external links'
//! ingress ACL), then the `-out` ACL of the destination segment's SVIs
//! where its gateways bind one (docs/policy.md, "Where the ACLs are",
//! "Placement is a capability"). Each entry knows the rule
//! it was compiled from, so the answer names the rule's file:line too. For
//! an allowed flow the reply is followed back the same way.

use super::eval::{self, Packet, Transport};
use crate::diag::Sources;
use crate::intent::*;
use crate::inventory::{did_you_mean, parse_service_spec, Inventory, Protocol, ServiceSpec};
use ipnetwork::IpNetwork;
use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;

/// The source port of the flows asked about: the first ephemeral port.
pub(crate) const EPHEMERAL: u16 = 49_152;
/// Addresses to stand for "the Internet" (documentation ranges first).
pub(crate) const INTERNET_CANDIDATES: [Ipv4Addr; 4] = [
    Ipv4Addr::new(203, 0, 113, 10),
    Ipv4Addr::new(198, 51, 100, 10),
    Ipv4Addr::new(192, 0, 2, 10),
    Ipv4Addr::new(8, 8, 8, 8),
];

/// A question as typed: `web db tcp/5432`, `internet 10.1.10.5 tcp/443`.
pub struct Query<'q> {
    pub from: &'q str,
    pub to: &'q str,
    pub service: &'q str,
}

/// A question that cannot be asked of this inventory.
#[derive(Debug, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

fn error(message: impl Into<String>, hint: Option<String>) -> QueryError {
    QueryError {
        message: message.into(),
        hint,
    }
}

/// One end of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    pub address: Ipv4Addr,
    /// The segment whose subnet holds the address; None for the Internet.
    pub segment: Option<String>,
    /// As the user wrote it.
    pub written: String,
}

impl End {
    fn label(&self) -> String {
        match &self.segment {
            Some(s) if *s == self.written => format!("{s} ({})", self.address),
            Some(s) => format!("{} ({s})", self.written),
            None if self.written == "internet" => format!("internet ({})", self.address),
            None => format!("{} (internet)", self.written),
        }
    }
}

/// What one ACL did with the packet, on the switches listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub switches: Vec<String>,
    pub acl: String,
    /// `in` or `out`.
    pub direction: &'static str,
    /// The deciding entry; None: no entry matched (implicit deny).
    pub seq: Option<u32>,
    pub permit: bool,
    pub purpose: Option<Purpose>,
    /// The policy rule (index into the inventory's `policy`) of the entry.
    pub rule: Option<usize>,
}

/// A packet and the ACLs it meets on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    pub packet: Packet,
    pub hops: Vec<Hop>,
}

impl Leg {
    pub fn passes(&self) -> bool {
        self.hops.iter().all(|h| h.permit)
    }
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub from: End,
    pub to: End,
    pub service: String,
    pub allowed: bool,
    /// The rule that allows the flow.
    pub rule: Option<usize>,
    /// The flow passes only because it looks like the return traffic of
    /// `rule`'s flows (a stateless ACL cannot tell the difference).
    pub as_return: bool,
    /// Why no ACL is involved, or why the flow cannot happen at all.
    pub note: Option<String>,
    /// Why no route carries the flow (different VRFs, or a VRF without a
    /// way to the Internet): the answer is then "not routable", never
    /// allowed, whatever the ACLs say.
    pub unroutable: Option<String>,
    pub forward: Leg,
    /// The reply's way back, for an allowed flow.
    pub reply: Option<Leg>,
}

/// Answers `query` for each flow its service stands for (see `flows`):
/// one verdict per flow, in the order the service lists them.
pub fn why_all(
    inventory: &Inventory,
    intent: &Intent,
    query: &Query,
) -> Result<Vec<Verdict>, QueryError> {
    flows(inventory, query.service)?
        .into_iter()
        .map(|(flow, label)| {
            let mut verdict = why(
                inventory,
                intent,
                &Query {
                    service: &flow,
                    ..*query
                },
            )?;
            verdict.service = label;
            Ok(verdict)
        })
        .collect()
}

/// The flows a SERVICE argument stands for, each with its label: a
/// protocol spec (`tcp/5432`, `TCP/5432`, `icmp`) is one flow; a service
/// of the inventory (`postgres`, `dns`) is one flow per entry, a port
/// range asked about at its first port (a flow has one destination port).
pub fn flows(inventory: &Inventory, service: &str) -> Result<Vec<(String, String)>, QueryError> {
    let lower = service.to_ascii_lowercase();
    if let Some(named) = inventory
        .services
        .iter()
        .find(|s| s.name.value == service)
        .or_else(|| {
            inventory
                .services
                .iter()
                .find(|s| s.name.value.eq_ignore_ascii_case(service))
        })
    {
        let name = &named.name.value;
        return Ok(named
            .specs
            .iter()
            .map(|spec| {
                let spec = &spec.value;
                match spec.ports {
                    Some((low, high)) if low != high => {
                        let one = ServiceSpec {
                            ports: Some((low, low)),
                            ..*spec
                        };
                        (
                            one.to_string(),
                            format!("{name} ({one}, the first port of {spec})"),
                        )
                    }
                    _ => (spec.to_string(), format!("{name} ({spec})")),
                }
            })
            .collect());
    }
    let protocols = ["tcp", "udp", "icmp", "ip"];
    let protocol = lower.split('/').next().unwrap_or_default();
    if lower.contains('/') || protocols.contains(&protocol) {
        return Ok(vec![(lower.clone(), lower)]);
    }
    let names: Vec<&str> = inventory
        .services
        .iter()
        .map(|s| s.name.as_str())
        .chain(protocols)
        .collect();
    Err(error(
        format!("`{service}` is neither a service of the inventory nor `tcp/PORT`, `udp/PORT` or `icmp`"),
        Some(match did_you_mean(service, &names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "the inventory's services: {}",
                inventory
                    .services
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    ))
}

/// Answers `query` from the compiled `intent` of `inventory`.
pub fn why(inventory: &Inventory, intent: &Intent, query: &Query) -> Result<Verdict, QueryError> {
    let transport = transport(query.service)?;
    let from = end(inventory, query.from)?;
    let to = end(inventory, query.to)?;
    let forward = Packet {
        source: from.address,
        destination: to.address,
        transport,
    };
    let mut verdict = Verdict {
        from: from.clone(),
        to: to.clone(),
        service: query.service.to_string(),
        allowed: false,
        rule: None,
        as_return: false,
        note: None,
        unroutable: None,
        forward: Leg {
            packet: forward,
            hops: Vec::new(),
        },
        reply: None,
    };
    match (&from.segment, &to.segment) {
        (None, None) => {
            return Err(error(
                format!(
                    "neither {} nor {} is inside a segment: the flow never crosses the fabric",
                    query.from, query.to
                ),
                Some("name a segment, or an address inside one, on at least one side".into()),
            ))
        }
        (Some(a), Some(b)) if a == b => {
            verdict.allowed = true;
            verdict.note = Some(format!(
                "both ends are in segment `{a}`: traffic inside a segment never reaches a gateway and is not filtered"
            ));
            return Ok(verdict);
        }
        _ => {}
    }
    let segment = |name: &Option<String>| {
        name.as_deref()
            .and_then(|n| inventory.segments.iter().find(|s| s.name.value == n))
    };
    let external = super::external_vrfs(inventory);
    verdict.unroutable = match (segment(&from.segment), segment(&to.segment)) {
        (Some(a), Some(b)) => super::unroutable_reason(a, Some(b), &external),
        (Some(a), None) | (None, Some(a)) => super::unroutable_reason(a, None, &external),
        (None, None) => None,
    };
    if verdict.unroutable.is_some() {
        return Ok(verdict);
    }
    if let Some(source) = &from.segment {
        if svis_of(intent, source).is_empty() {
            verdict.note = Some(format!(
                "segment `{source}` has no gateway (layer 2 only, or no host of its zones yet): its VMs reach no other subnet"
            ));
            return Ok(verdict);
        }
    }
    verdict.forward = leg(intent, &from, &to, forward);
    verdict.allowed = verdict.forward.passes();
    if let Some(target) = &to.segment {
        if svis_of(intent, target).is_empty() {
            verdict.allowed = false;
            verdict.note = Some(format!(
                "segment `{target}` has no gateway (layer 2 only, or no host of its zones yet): nothing routes into it"
            ));
        }
    }
    if verdict.allowed {
        let deciding = |purpose| {
            verdict
                .forward
                .hops
                .iter()
                .find(|h| h.purpose == Some(purpose))
                .and_then(|h| h.rule)
        };
        verdict.rule = deciding(Purpose::Flow);
        if verdict.rule.is_none() {
            verdict.rule = deciding(Purpose::Return);
            verdict.as_return = verdict.rule.is_some();
        }
        let reply = forward.reply();
        verdict.reply = Some(leg(intent, &to, &from, reply));
    }
    Ok(verdict)
}

/// `tcp/443`, `udp/53` (one port) or `icmp` (an echo request).
fn transport(service: &str) -> Result<Transport, QueryError> {
    let hint = Some("ask about one flow: `tcp/443`, `udp/53` or `icmp`".to_string());
    let spec = parse_service_spec(&service.to_ascii_lowercase())
        .map_err(|why| error(format!("invalid service `{service}`: {why}"), hint.clone()))?;
    match (spec.protocol, spec.ports) {
        (Protocol::Tcp, Some((port, high))) if port == high => Ok(Transport::Tcp {
            source_port: EPHEMERAL,
            destination_port: port,
            established: false,
        }),
        (Protocol::Udp, Some((port, high))) if port == high => Ok(Transport::Udp {
            source_port: EPHEMERAL,
            destination_port: port,
        }),
        (Protocol::Icmp, _) => Ok(Transport::Icmp { icmp_type: 8 }),
        (Protocol::Tcp | Protocol::Udp, _) => Err(error(
            format!("`{service}` is a range; a flow has one destination port"),
            hint,
        )),
        (Protocol::Ip, _) => Err(error("`ip` is every protocol, not one flow", hint)),
    }
}

/// A segment name, `internet` or an IPv4 address.
fn end(inventory: &Inventory, text: &str) -> Result<End, QueryError> {
    let subnets: Vec<(&str, ipnetwork::Ipv4Network)> = inventory
        .segments
        .iter()
        .filter_map(|s| match s.subnet.as_ref()?.value {
            IpNetwork::V4(net) => Some((s.name.as_str(), net)),
            IpNetwork::V6(_) => None,
        })
        .collect();
    let segment_of = |address: Ipv4Addr| {
        subnets
            .iter()
            .find(|(_, net)| net.contains(address))
            .map(|(name, _)| name.to_string())
    };
    if text == "internet" {
        let address = INTERNET_CANDIDATES
            .into_iter()
            .find(|a| segment_of(*a).is_none())
            .ok_or_else(|| {
                error(
                    "every address that stands for the Internet here is inside a segment",
                    Some("ask with an address outside the segments instead of `internet`".into()),
                )
            })?;
        return Ok(End {
            address,
            segment: None,
            written: text.into(),
        });
    }
    if let Ok(address) = text.parse::<Ipv4Addr>() {
        return Ok(End {
            address,
            segment: segment_of(address),
            written: text.into(),
        });
    }
    match subnets.iter().find(|(name, _)| *name == text) {
        Some((name, net)) => Ok(End {
            address: inside(net),
            segment: Some(name.to_string()),
            written: text.into(),
        }),
        None => {
            let names: Vec<&str> = inventory.segments.iter().map(|s| s.name.as_str()).collect();
            let known = inventory.segments.iter().find(|s| s.name.value == text);
            Err(match known {
                Some(_) => error(
                    format!("segment `{text}` has no IPv4 subnet: nothing can route to it"),
                    None,
                ),
                None => error(
                    format!("`{text}` is not a segment, `internet` or an IPv4 address"),
                    did_you_mean(text, &names).map(|b| format!("did you mean `{b}`?")),
                ),
            })
        }
    }
}

/// A host in the middle of the subnet: not the network, broadcast or
/// gateway address; the ACLs only look at the subnet.
pub(crate) fn inside(subnet: &ipnetwork::Ipv4Network) -> Ipv4Addr {
    subnet.nth(subnet.size() / 2).unwrap_or(subnet.network())
}

/// Indices of the devices with an SVI of `segment`.
fn svis_of(intent: &Intent, segment: &str) -> Vec<usize> {
    (0..intent.devices.len())
        .filter(|&i| intent.devices[i].svis.iter().any(|s| s.segment == segment))
        .collect()
}

/// The ACLs `packet` meets from `from` to `to`: from a segment, its SVIs'
/// ingress ACL; from outside every segment, the ingress ACL of the
/// external links in the destination's VRF on its gateways (where it
/// enters the fabric); into a segment, its SVIs' egress ACL where the
/// gateway binds one (docs/policy.md, "Placement is a capability").
fn leg(intent: &Intent, from: &End, to: &End, packet: Packet) -> Leg {
    let mut hops = Vec::new();
    if let (None, Some(target)) = (&from.segment, &to.segment) {
        let mut outcomes: Vec<Hop> = Vec::new();
        for i in svis_of(intent, target) {
            let device = &intent.devices[i];
            let Some(svi) = device.svis.iter().find(|s| s.segment == *target) else {
                continue;
            };
            let mut names: Vec<&str> = device
                .interfaces
                .iter()
                .filter_map(|i| i.routed.as_ref())
                .filter(|r| r.vrf == svi.vrf)
                .filter_map(|r| r.acl_in.as_deref())
                .collect();
            names.sort_unstable();
            names.dedup();
            for acl in names.into_iter().filter_map(|n| device.acl(n)) {
                merge(&mut outcomes, hop(device, acl, "in", &packet));
            }
        }
        hops.extend(outcomes);
    }
    let ways: [(Option<&String>, &str); 2] =
        [(from.segment.as_ref(), "in"), (to.segment.as_ref(), "out")];
    for (segment, direction) in ways {
        let Some(segment) = segment else { continue };
        let mut outcomes: Vec<Hop> = Vec::new();
        for i in svis_of(intent, segment) {
            let device = &intent.devices[i];
            let Some(svi) = device.svis.iter().find(|s| s.segment == *segment) else {
                continue;
            };
            let name = if direction == "in" {
                &svi.acl_in
            } else {
                &svi.acl_out
            };
            let Some(acl) = name.as_deref().and_then(|n| device.acl(n)) else {
                continue;
            };
            merge(&mut outcomes, hop(device, acl, direction, &packet));
        }
        hops.extend(outcomes);
    }
    Leg { packet, hops }
}

/// What `acl`, bound `direction` on `device`, does with `packet`.
fn hop(device: &DeviceIntent, acl: &Acl, direction: &'static str, packet: &Packet) -> Hop {
    let (seq, permit, purpose, rule) = match eval::first_match(device, acl, packet) {
        Some((entry, ace)) => (
            Some(entry.seq),
            ace.action == Action::Permit,
            Some(ace.purpose),
            entry.rule,
        ),
        None => (None, false, None, None),
    };
    Hop {
        switches: vec![device.name.clone()],
        acl: acl.name.clone(),
        direction,
        seq,
        permit,
        purpose,
        rule,
    }
}

/// Both members of a pair carry the same ACL: one line for both.
fn merge(outcomes: &mut Vec<Hop>, hop: Hop) {
    match outcomes
        .iter_mut()
        .find(|o| (&o.acl, o.seq, o.permit) == (&hop.acl, hop.seq, hop.permit))
    {
        Some(same) => same.switches.extend(hop.switches),
        None => outcomes.push(hop),
    }
}

/// The answer for humans, with the rules' file:line:col and text.
pub fn render(verdict: &Verdict, inventory: &Inventory, sources: &Sources) -> String {
    let rule_at = |index: usize| -> Option<(String, String)> {
        let loc = inventory.policy.get(index)?.loc;
        let line = sources
            .text(loc.file)
            .lines()
            .nth(loc.line.saturating_sub(1) as usize)
            .unwrap_or_default()
            .trim()
            .to_string();
        Some((sources.describe(loc), line))
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} → {} {}: {}",
        verdict.from.label(),
        verdict.to.label(),
        verdict.service,
        match &verdict.unroutable {
            Some(reason) => format!("not routable: {reason}"),
            None if verdict.allowed => "allowed".to_string(),
            None => "denied".to_string(),
        }
    );
    if verdict.unroutable.is_some() {
        let _ = writeln!(
            out,
            "  liaison configures no route leaking between VRFs, so no packet of this flow reaches its destination"
        );
        return out;
    }
    match verdict.rule.and_then(rule_at) {
        Some((place, text)) if verdict.as_return => {
            let _ = writeln!(
                out,
                "  as return traffic of the rule at {place}\n    {text}\n  (no rule allows this flow itself; a stateless ACL lets it through because it has the shape of a reply)"
            );
        }
        Some((place, text)) => {
            let _ = writeln!(out, "  by the rule at {place}\n    {text}");
        }
        None if verdict.note.is_none() => {
            let _ = writeln!(out, "  no policy rule allows it");
        }
        None => {}
    }
    if let Some(note) = &verdict.note {
        let _ = writeln!(out, "  {note}");
    }
    let mut legs = vec![("", &verdict.forward)];
    if let Some(reply) = &verdict.reply {
        legs.push(("reply ", reply));
    }
    for (label, leg) in legs {
        if leg.hops.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {label}{}", describe_packet(&leg.packet));
        let switches: Vec<String> = leg.hops.iter().map(|h| h.switches.join(", ")).collect();
        let width = switches.iter().map(String::len).max().unwrap_or(0);
        let acl_width = leg.hops.iter().map(|h| h.acl.len()).max().unwrap_or(0);
        for (hop, switches) in leg.hops.iter().zip(&switches) {
            let seq = hop
                .seq
                .map_or_else(|| "(end)".to_string(), |s| format!("seq {s}"));
            let reason = reason(hop, &rule_at);
            let _ = writeln!(
                out,
                "    {switches:width$}  {:acl_width$} {:3}  {seq:12}  {:6}  {reason}",
                hop.acl,
                hop.direction,
                if hop.permit { "permit" } else { "deny" },
            );
        }
        if !leg.passes() && label == "reply " {
            let _ = writeln!(
                out,
                "  the reply is dropped: report this as a bug in liaison"
            );
        }
    }
    out
}

/// `10.1.10.128:49152 → 10.1.30.128:5432 tcp`.
pub(crate) fn describe_packet(packet: &Packet) -> String {
    let (s, d) = (packet.source, packet.destination);
    match packet.transport {
        Transport::Tcp {
            source_port,
            destination_port,
            established,
        } => format!(
            "{s}:{source_port} → {d}:{destination_port} tcp{}",
            if established { " established" } else { "" }
        ),
        Transport::Udp {
            source_port,
            destination_port,
        } => format!("{s}:{source_port} → {d}:{destination_port} udp"),
        Transport::Icmp { icmp_type } => format!(
            "{s} → {d} icmp {}",
            match icmp_type {
                0 => "echo-reply",
                3 => "unreachable",
                11 => "time-exceeded",
                _ => "echo",
            }
        ),
    }
}

fn reason(hop: &Hop, rule_at: &dyn Fn(usize) -> Option<(String, String)>) -> String {
    let rule = || {
        hop.rule
            .and_then(rule_at)
            .map_or_else(String::new, |(place, _)| place)
    };
    match hop.purpose {
        None => "no entry matches (implicit deny)".into(),
        Some(Purpose::IcmpError) => {
            "ICMP error (unreachable, time-exceeded): path-MTU discovery needs it".into()
        }
        Some(Purpose::PingRouter) => "ICMP echo to the fabric's own addresses".into(),
        Some(Purpose::ToRouter) => {
            "to the fabric's own addresses (switch SVI, HSRP or link)".into()
        }
        Some(Purpose::Logged) => format!(
            "logged (ingress) for the rule at {}: its -out ACL decides",
            rule()
        ),
        Some(Purpose::Transit) => "routed on: the segments' ACLs decide".into(),
        Some(Purpose::ToSegment) => "to a segment with a gateway: its -out ACL decides".into(),
        Some(Purpose::ToUnroutedSegment) => "to a segment without a gateway".into(),
        Some(Purpose::FromFabric) => "from a segment, and no rule above allows it".into(),
        Some(Purpose::Flow) => format!("flow allowed by the rule at {}", rule()),
        Some(Purpose::Return) => format!("reply to a flow allowed by the rule at {}", rule()),
        Some(Purpose::DenyRest) => "no rule allows it".into(),
    }
}

//! Policy → ACLs on the gateway SVIs. The design and why it is correct are
//! in docs/policy.md ("Where the ACLs are, and why that is enough");
//! in short, each routed segment `S` with a gateway gets, on its SVI on
//! every switch of its gateway group:
//!
//! - `S-in`, bound `in`: the packets S's VMs send. ICMP errors and
//!   packets to segments with a gateway pass (the destination's `-out` ACL
//!   decides those); packets to segments without one are dropped; what is
//!   left goes to the Internet and passes only as a flow a rule allows from
//!   S to the Internet, or as the reply to a flow allowed from the Internet
//!   into S.
//! - `S-out`, bound `out`: the packets routed into S, from other segments or
//!   from the Internet. ICMP errors pass; the rest only as a flow a rule
//!   allows into S, or as the reply to a flow allowed out of S.
//!
//! Only segments, subnets and rules go in: never hosts or ports, so an ACL
//! is the same wherever the VMs run.
//!
//! On a gateway group whose switches take no egress ACL on an SVI
//! ([`AclPlacement::IngressOnly`], docs/policy.md "Placement is a
//! capability") there is no `S-out`: what the `-out` ACLs of the group's
//! segments would decide is decided where traffic to them enters, in
//! `S-in` for the traffic of the group's segments and in the external
//! links' `<vrf>-edge` for the rest.
//!
//! Sequence numbers (docs/policy.md, "Sequence numbers"): each ACL is laid out as
//!
//! | sequence              | entries                                            |
//! |-----------------------|----------------------------------------------------|
//! | 10-20                 | the fixed head: ICMP errors                        |
//! | 100 - 9,999,990       | rule blocks whose other end is a segment           |
//! | 10,000,000            | `S-out`: `deny` what is left from the fabric's own segments; `S-in`: permit to segments with a gateway |
//! | 10,000,010            | `S-in`: deny to segments without a gateway         |
//! | 10,000,100 - 19,999,990 | rule blocks whose other end is the Internet      |
//! | 20,000,000            | `deny ip any any`                                  |
//!
//! A rule's block sits at `base + 100 × slot`: the remark (its `comment`)
//! at +0, entries from +10. The slot derives from a hash of the rule's
//! content ([`numbering::allocate_slots`]), not its position, so inserting,
//! removing or reordering other rules moves no entry.

use super::numbering::{self, SlotRequest};
use crate::diag::{Diagnostic, Diagnostics};
use crate::intent::*;
use crate::inventory::Inventory;
#[cfg(doc)]
use crate::platform::build::AclPlacement;
use crate::policy::{prefix, Ends, Policy, PolicyRule, SegmentId, Services};
use ipnetwork::{IpNetwork, Ipv4Network};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

const STEP: u32 = 10;
/// Sequence numbers per slot: a remark and nine entries.
const SLOT_WIDTH: u32 = 100;
/// Slots per class (rule blocks whose other end is a segment, or the Internet).
const SLOTS: u32 = 99_999;
const SEGMENT_CLASS: u32 = 0;
const INTERNET_CLASS: u32 = 10_000_000;
/// `S-out`: what is left from the fabric's segments is dropped here.
const FROM_FABRIC: u32 = INTERNET_CLASS;
/// `S-in`: towards a segment with a gateway (its `-out` ACL decides), then
/// towards one without (nothing of ours filters it: dropped).
const TO_SEGMENTS: u32 = INTERNET_CLASS;
const TO_UNROUTED: u32 = INTERNET_CLASS + STEP;
/// `S-in` on an ingress-only gateway group: towards the group's own
/// segments, after the rules allowing it (then the two above, one step
/// later).
const TO_LOCAL: u32 = INTERNET_CLASS;
const DENY_REST: u32 = 20_000_000;
/// Client ports of stateless replies: TCP and UDP replies go only to
/// these (docs/policy.md, "Return traffic"). 1024-65535 holds every common
/// system's ephemeral range: IANA's 49152-65535 (RFC 6335; Windows,
/// macOS), Linux's 32768-60999, FreeBSD's 10000-65535, and resolvers
/// that pick random source ports above 1023.
pub const EPHEMERAL_PORTS: PortRange = PortRange {
    low: 1024,
    high: 65535,
};
// The classes and the fixed entries never overlap: the fixed heads use
// 10-90, the entries after a class base +0 and +10, the first slot +100.
const _: () = assert!(9 * STEP < SLOT_WIDTH);
const _: () = assert!(TO_UNROUTED + STEP < INTERNET_CLASS + SLOT_WIDTH);
const _: () = assert!(SEGMENT_CLASS + (SLOTS + 1) * SLOT_WIDTH <= FROM_FABRIC);
const _: () = assert!(INTERNET_CLASS + (SLOTS + 1) * SLOT_WIDTH <= DENY_REST);

/// Address groups every ACL may use, by what they hold.
const ALL_SEGMENTS: &str = "segments-all";
const GATEWAY_SEGMENTS: &str = "segments-gateway";
const OTHER_SEGMENTS: &str = "segments-no-gateway";
/// `routers-<first member>`: the addresses of one gateway group.
const ROUTERS_PREFIX: &str = "routers-";
/// Echo entries to a segment's own gateway, at 30-39 (the gateway
/// addresses of a pair aggregate to one or two prefixes).
const MAX_GATEWAY_PREFIXES: usize = 9;
/// Whether every platform takes `name` as an object-group name.
fn fits_group_name(name: &str) -> bool {
    crate::platform::build::max_object_group_name().is_none_or(|max| name.len() <= max)
}

/// The fabric's own addresses, as prefixes: each gateway group's are
/// denied by the ACLs of that group (a packet to another group's address
/// is routed there, through its external links, and meets its ACLs), so an
/// ACL grows with its own block, not with the fabric.
#[derive(Debug, Default)]
pub struct RouterAddresses {
    /// Per gateway group, by its first member.
    pub groups: BTreeMap<String, GroupRouters>,
    /// Per segment with a gateway: its gateway addresses (the virtual and
    /// the members' own). A prefix may also hold the segment's network
    /// or broadcast address, which no host has: `10.1.10.0/30` for
    /// `.1`-`.3`, one TCAM entry instead of two.
    pub gateways: BTreeMap<String, Vec<Ipv4Network>>,
}

#[derive(Debug, Default)]
pub struct GroupRouters {
    /// The segments whose gateway the group holds.
    pub segments: BTreeSet<String>,
    /// Its gateway addresses, external and transit link addresses.
    pub prefixes: Vec<Ipv4Network>,
}

/// The ACLs of a segment's SVIs: `-in`, and `-out` where the gateway
/// group binds egress ACLs ([`AclPlacement::InAndOut`]).
pub struct SegmentAcls {
    pub acl_in: Arc<Acl>,
    pub acl_out: Option<Arc<Acl>>,
    /// The object-groups the two use, by name (sorted, no repeats).
    address_groups: Vec<String>,
    port_groups: Vec<String>,
}

impl SegmentAcls {
    fn new(acl_in: Acl, acl_out: Option<Acl>) -> Self {
        let (address_groups, port_groups) = groups_used(std::iter::once(&acl_in).chain(&acl_out));
        SegmentAcls {
            address_groups,
            port_groups,
            acl_in: Arc::new(acl_in),
            acl_out: acl_out.map(Arc::new),
        }
    }
}

/// The object-groups `acls` use, by name (sorted, no repeats): addresses,
/// ports.
fn groups_used<'a>(acls: impl IntoIterator<Item = &'a Acl>) -> (Vec<String>, Vec<String>) {
    {
        let mut addresses = BTreeSet::new();
        let mut ports = BTreeSet::new();
        for entry in acls.into_iter().flat_map(|acl| &acl.entries) {
            let EntryBody::Match(ace) = &entry.body else {
                continue;
            };
            for address in [&ace.source, &ace.destination] {
                if let AddressMatch::Group { name } = address {
                    addresses.insert(name.as_str());
                }
            }
            for port in [&ace.source_ports, &ace.destination_ports] {
                if let Some(PortMatch::Group { name }) = port {
                    ports.insert(name.as_str());
                }
            }
        }
        let owned = |names: BTreeSet<&str>| names.into_iter().map(str::to_string).collect();
        (owned(addresses), owned(ports))
    }
}

/// What the ingress ACL of a gateway group's external links in one VRF
/// depends on: the group (its first member), the VRF and the group's
/// segments in it (sorted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EdgeKey {
    pub group: String,
    pub vrf: String,
    pub segments: Vec<String>,
}

/// The infrastructure ACL of external links (docs/policy.md, "Protecting the
/// switches"), bound `in` on every external link of its VRF.
pub struct EdgeAcl {
    pub acl: Arc<Acl>,
    address_groups: Vec<String>,
    port_groups: Vec<String>,
}

/// Every ACL of the fabric, and the object-groups they use.
#[derive(Default)]
pub struct AclPlan {
    /// By segment name: the ACLs of its SVIs on the gateway groups that
    /// bind `in` and `out`; only segments with a gateway.
    pub segments: HashMap<String, SegmentAcls>,
    /// By (gateway group's first member, segment name): the ACLs of its
    /// SVIs on an ingress-only gateway group, whose `-in` ACL depends on
    /// the group's other segments.
    pub ingress_only: HashMap<(String, String), SegmentAcls>,
    pub edges: HashMap<EdgeKey, EdgeAcl>,
    address_groups: HashMap<String, AddressGroup>,
    port_groups: HashMap<String, PortGroup>,
}

impl AclPlan {
    /// The ACLs of `segment`'s SVIs on the gateway group whose first
    /// member is `group`, if it has any.
    pub fn of(&self, group: &str, segment: &str) -> Option<&SegmentAcls> {
        self.ingress_only
            .get(&(group.to_string(), segment.to_string()))
            .or_else(|| self.segments.get(segment))
    }

    /// The ACL of external links with `key`, if any.
    pub fn edge(&self, key: &EdgeKey) -> Option<&EdgeAcl> {
        self.edges.get(key)
    }

    /// What a switch whose SVIs are `segments` and whose external links
    /// are `edges` needs: its ACLs and the object-groups they use, each
    /// sorted by name.
    /// `group`: the first member of the switch's gateway group.
    pub fn for_switch<'s>(
        &self,
        group: &str,
        segments: impl Iterator<Item = &'s str>,
        edges: impl Iterator<Item = &'s EdgeKey>,
    ) -> (Vec<Arc<Acl>>, Vec<AddressGroup>, Vec<PortGroup>) {
        let mut acls = Vec::new();
        let mut addresses = BTreeSet::new();
        let mut ports = BTreeSet::new();
        for acls_of in segments.filter_map(|s| self.of(group, s)) {
            addresses.extend(acls_of.address_groups.iter().map(String::as_str));
            ports.extend(acls_of.port_groups.iter().map(String::as_str));
            acls.push(acls_of.acl_in.clone());
            acls.extend(acls_of.acl_out.clone());
        }
        for edge in edges.filter_map(|k| self.edges.get(k)) {
            addresses.extend(edge.address_groups.iter().map(String::as_str));
            ports.extend(edge.port_groups.iter().map(String::as_str));
            acls.push(edge.acl.clone());
        }
        acls.sort_by(|a, b| a.name.cmp(&b.name));
        (
            acls,
            addresses
                .into_iter()
                .filter_map(|n| self.address_groups.get(n).cloned())
                .collect(),
            ports
                .into_iter()
                .filter_map(|n| self.port_groups.get(n).cloned())
                .collect(),
        )
    }
}

/// Compiles the ACLs of every segment in `gatewayed` (the routed segments
/// that have an SVI somewhere), and of the external links in `edges`;
/// `routers` are the fabric's own addresses (SVIs, first-hop virtual
/// addresses, external and transit links), which no segment and nothing
/// from outside may reach but for what a gateway needs.
///
/// The gateway addresses of a segment are given as the prefixes that
/// cover them (see [`RouterAddresses`]). `ingress_only`: the gateway
/// groups (by first member) whose switches take no egress ACL on an SVI
/// (docs/policy.md, "Placement is a capability").
pub fn plan(
    inventory: &Inventory,
    policy: &Policy,
    gatewayed: &BTreeSet<&str>,
    routers: &RouterAddresses,
    edges: &BTreeSet<EdgeKey>,
    ingress_only: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) -> AclPlan {
    let mut groups = Groups::default();
    let all_subnets: Vec<Ipv4Network> = inventory
        .segments
        .iter()
        .filter_map(|s| match s.subnet.as_ref()?.value {
            IpNetwork::V4(net) => Some(net),
            IpNetwork::V6(_) => None,
        })
        .collect();
    let gateway_subnets: Vec<Ipv4Network> = policy
        .segments
        .iter()
        .filter(|s| gatewayed.contains(s.name()))
        .map(|s| s.subnet)
        .collect();
    let other_subnets: Vec<Ipv4Network> = all_subnets
        .iter()
        .filter(|net| !gateway_subnets.contains(net))
        .copied()
        .collect();
    let (Some(all), Some(gateway)) = (
        groups.named(ALL_SEGMENTS, &all_subnets),
        groups.named(GATEWAY_SEGMENTS, &gateway_subnets),
    ) else {
        return AclPlan::default(); // no segment has a gateway: no SVI, no ACL
    };
    // Per gateway group (by its first member), the group of its own
    // addresses; per segment, that of the groups holding its gateway.
    let mut group_routers: HashMap<&str, AddressMatch> = HashMap::new();
    let mut segment_routers: HashMap<&str, Vec<&str>> = HashMap::new();
    for (first, group) in &routers.groups {
        let name = format!("{ROUTERS_PREFIX}{first}");
        if let Some(found) = groups.address_match(name, &group.prefixes) {
            group_routers.insert(first.as_str(), found);
        }
        for segment in &group.segments {
            segment_routers
                .entry(segment.as_str())
                .or_default()
                .push(first.as_str());
        }
    }
    let segment_routers: HashMap<&str, AddressMatch> = segment_routers
        .into_iter()
        .filter_map(|(segment, firsts)| {
            let found = match firsts.as_slice() {
                [one] => group_routers.get(one).cloned(),
                many => {
                    let prefixes: Vec<Ipv4Network> = many
                        .iter()
                        .flat_map(|f| routers.groups[*f].prefixes.iter().copied())
                        .collect();
                    let name = format!(
                        "{ROUTERS_PREFIX}{}-{:08x}",
                        many.len(),
                        numbering::fnv1a(&many.join(","))
                    );
                    groups.address_match(name, &prefixes)
                }
            };
            Some((segment, found?))
        })
        .collect();
    let fixed = Fixed {
        all,
        gateway,
        other: groups.named(OTHER_SEGMENTS, &other_subnets),
    };

    // The rules each segment takes part in, in file order.
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); policy.segments.len()];
    for (i, rule) in policy.rules.iter().enumerate() {
        if !rule.has_flows() || rule.services.is_empty() {
            continue;
        }
        let mut both: Vec<SegmentId> = rule
            .from
            .segments
            .iter()
            .chain(&rule.to.segments)
            .copied()
            .collect();
        both.sort_unstable();
        both.dedup();
        for s in both {
            touching[s as usize].push(i);
        }
    }

    let preferred: Vec<u32> = policy
        .rules
        .iter()
        .map(|r| numbering::fnv1a(&r.identity) % SLOTS + 1)
        .collect();
    // Every object-group a rule can use, named here in file order, so the
    // segments' ACLs can then be built side by side, reading them only.
    let rule_groups: Vec<RuleGroups> = policy
        .rules
        .iter()
        .map(|rule| {
            if !rule.has_flows() || rule.services.is_empty() {
                return RuleGroups::default();
            }
            let ports = |ranges: &[PortRange], groups: &mut Groups| {
                (!ranges.is_empty()).then(|| groups.ports(ranges))
            };
            RuleGroups {
                from: groups.segments(policy, &rule.from),
                to: groups.segments(policy, &rule.to),
                tcp: ports(&rule.services.tcp, &mut groups),
                udp: ports(&rule.services.udp, &mut groups),
            }
        })
        .collect();
    // Per ingress-only gateway group, and per group and VRF: its
    // segments, whose inbound policy the ingress ACLs of every way in
    // enforce. A segment's `-in` takes the whole group's (a packet to
    // another VRF's segment is dropped there, as that segment's `-out`
    // would; no route leads there anyway), an external link's the VRF's.
    let segment_ids: HashMap<&str, usize> = policy
        .segments
        .iter()
        .enumerate()
        .map(|(id, s)| (s.name(), id))
        .collect();
    let mut locals: HashMap<(&str, Option<&str>), Local> = HashMap::new();
    for first in ingress_only {
        let Some(group) = routers.groups.get(first) else {
            continue;
        };
        let mut by_vrf: BTreeMap<Option<&str>, Vec<SegmentId>> = BTreeMap::new();
        for name in &group.segments {
            if let Some(&id) = segment_ids.get(name.as_str()) {
                let vrf = policy.segments[id].segment.vrf();
                for key in [None, Some(vrf)] {
                    by_vrf.entry(key).or_default().push(id as SegmentId);
                }
            }
        }
        for (vrf, mut ids) in by_vrf {
            ids.sort_unstable();
            let others = gatewayed
                .iter()
                .filter_map(|name| segment_ids.get(name))
                .any(|&id| ids.binary_search(&(id as SegmentId)).is_err());
            if let Some(matcher) = groups.segment_ids(policy, &ids) {
                locals.insert(
                    (first.as_str(), vrf),
                    Local {
                        ids,
                        matcher,
                        others,
                    },
                );
            }
        }
    }
    // What to build: each segment's ACLs for the groups that bind `in`
    // and `out` (None), and for each ingress-only group holding it.
    let mut jobs: Vec<(usize, Option<&str>)> = Vec::new();
    for id in 0..policy.segments.len() {
        let name = policy.segments[id].name();
        if !gatewayed.contains(name) {
            continue;
        }
        let holders: Vec<&str> = routers
            .groups
            .iter()
            .filter(|(_, g)| g.segments.contains(name))
            .map(|(first, _)| first.as_str())
            .collect();
        if holders.iter().any(|f| !ingress_only.contains(*f)) || holders.is_empty() {
            jobs.push((id, None));
        }
        for first in holders.into_iter().filter(|f| ingress_only.contains(*f)) {
            jobs.push((id, Some(first)));
        }
    }
    let built = crate::pool::run_on_cores(&jobs, |&(id, group)| {
        let segment = &policy.segments[id];
        let local = group.and_then(|g| locals.get(&(g, None)));
        let mut found = Diagnostics::default();
        let mut builder = SegmentBuilder {
            policy,
            preferred: &preferred,
            groups: &rule_groups,
            segment: id as SegmentId,
            subnet: AddressMatch::Prefix {
                prefix: segment.subnet,
            },
            gateway: routers
                .gateways
                .get(segment.name())
                .map_or(&[], Vec::as_slice),
            routers: segment_routers.get(segment.name()),
            local,
            diagnostics: &mut found,
        };
        let acl_in = builder.acl_in(segment.name(), &touching[id], &fixed);
        let acl_out = group
            .is_none()
            .then(|| builder.acl_out(segment.name(), &touching[id], &fixed));
        let acls = SegmentAcls::new(acl_in, acl_out);
        (segment.name().to_string(), group, acls, found)
    });
    let mut plan = AclPlan::default();
    for (name, group, acls, found) in built {
        diagnostics.extend(found);
        match group {
            None => plan.segments.insert(name, acls),
            Some(first) => plan.ingress_only.insert((first.to_string(), name), acls),
        };
    }
    unloggable(inventory, policy, gatewayed, routers, edges, diagnostics);
    for key in edges {
        let mut found = Diagnostics::default();
        let members: BTreeSet<&str> = key.segments.iter().map(String::as_str).collect();
        let local = locals.get(&(key.group.as_str(), Some(key.vrf.as_str())));
        // Ingress-only: the local segments that take flows from the
        // Internet (or replies from it), ahead of whose entries whatever
        // else comes from the fabric's segments is dropped; for the
        // others the last deny does it.
        let exposed = local.and_then(|local| {
            let ids: Vec<SegmentId> = local
                .ids
                .iter()
                .copied()
                .filter(|&id| {
                    policy.rules.iter().any(|r| {
                        r.has_flows()
                            && !r.services.is_empty()
                            && ((r.to.contains(id) && r.from.internet)
                                || (r.from.contains(id) && r.to.internet))
                    })
                })
                .collect();
            groups.segment_ids(policy, &ids)
        });
        let acl = EdgeBuilder {
            policy,
            preferred: &preferred,
            groups: &rule_groups,
            fixed: &fixed,
            routers: group_routers.get(key.group.as_str()),
            local,
            exposed: exposed.as_ref(),
            diagnostics: &mut found,
        }
        .acl(key, &members);
        diagnostics.extend(found);
        let (address_groups, port_groups) = groups_used([&acl]);
        plan.edges.insert(
            key.clone(),
            EdgeAcl {
                acl: Arc::new(acl),
                address_groups,
                port_groups,
            },
        );
    }
    plan.address_groups = groups.address;
    plan.port_groups = groups.port;
    plan
}

/// The object-groups (or single prefixes and ports) of one rule: its sides'
/// subnets and its services' TCP and UDP ports.
#[derive(Default)]
struct RuleGroups {
    from: Option<AddressMatch>,
    to: Option<AddressMatch>,
    tcp: Option<PortMatch>,
    udp: Option<PortMatch>,
}

/// The address matches of the fixed entries.
struct Fixed {
    /// Every segment subnet: the complement is the Internet.
    all: AddressMatch,
    /// Segments with a gateway (and so an `-out` ACL that decides).
    gateway: AddressMatch,
    /// The other segments, when there are any.
    other: Option<AddressMatch>,
}

/// The segments of one VRF on an ingress-only gateway group: their
/// inbound policy is enforced by the ingress ACLs of every way into the
/// group (the other segments' `-in`, the external links' `-edge`).
struct Local {
    /// Sorted.
    ids: Vec<SegmentId>,
    /// Their subnets.
    matcher: AddressMatch,
    /// Whether a segment with a gateway is not among them (another
    /// gateway group's, whose ACLs decide what `-in` hands on to it).
    others: bool,
}

impl Local {
    fn contains(&self, segment: SegmentId) -> bool {
        self.ids.binary_search(&segment).is_ok()
    }
}

/// The entries one rule contributes to one ACL, in one class.
struct Block<'p> {
    rule: &'p PolicyRule<'p>,
    /// The slot the rule's content hashes to.
    preferred: u32,
    aces: Vec<Ace>,
}

struct SegmentBuilder<'a, 'p> {
    policy: &'p Policy<'p>,
    /// Per rule of the policy: its preferred slot.
    preferred: &'a [u32],
    /// Per rule of the policy: its object-groups.
    groups: &'a [RuleGroups],
    segment: SegmentId,
    subnet: AddressMatch,
    /// The segment's gateway addresses, as prefixes.
    gateway: &'a [Ipv4Network],
    /// The addresses of the gateway groups holding the segment's gateway.
    routers: Option<&'a AddressMatch>,
    /// On an ingress-only gateway group: the group's segments in the
    /// segment's VRF, whose inbound policy `-in` enforces for the
    /// segment's traffic to them.
    local: Option<&'a Local>,
    diagnostics: &'a mut Diagnostics,
}

impl<'p> SegmentBuilder<'_, 'p> {
    /// `rules`: indices into `Policy::rules` of the rules naming the segment.
    fn acl_in(&mut self, name: &str, rules: &[usize], fixed: &Fixed) -> Acl {
        let me = self.segment;
        let (mut logged, mut internet) = (Vec::new(), Vec::new());
        for &i in rules {
            let (rule, preferred) = (&self.policy.rules[i], self.preferred[i]);
            let mut aces = Vec::new();
            let groups = &self.groups[i];
            if let Some(local) = self.local {
                let to_segments = self.to_segments(rule, groups, local);
                if !to_segments.is_empty() {
                    logged.push(Block {
                        rule,
                        preferred,
                        aces: to_segments,
                    });
                }
            // Nexus 9000 cannot log egress entries, so a logged flow to
            // another segment is logged here, where it enters the fabric;
            // the destination's `-out` ACL still decides.
            } else if let (true, true, true, Some(peers)) = (
                rule.rule.log,
                rule.from.contains(me),
                rule.to.has_other_than(me),
                &groups.to,
            ) {
                let mut copies = flows(&rule.services, &self.subnet, peers, true, groups);
                for ace in &mut copies {
                    ace.purpose = Purpose::Logged;
                }
                logged.push(Block {
                    rule,
                    preferred,
                    aces: copies,
                });
            }
            if rule.from.contains(me) && rule.to.internet {
                aces.extend(flows(
                    &rule.services,
                    &self.subnet,
                    &AddressMatch::Any,
                    rule.rule.log,
                    groups,
                ));
            }
            if rule.to.contains(me) && rule.from.internet {
                aces.extend(replies(
                    &rule.services,
                    &self.subnet,
                    &AddressMatch::Any,
                    groups,
                ));
            }
            if !aces.is_empty() {
                internet.push(Block {
                    rule,
                    preferred,
                    aces,
                });
            }
        }
        // No entry for link-local multicast (224.0.0.0/24, the HSRP hellos
        // of the peer): router ACLs on Nexus 9000 do not match multicast
        // at all (docs/policy.md, "Where the ACLs are").
        let mut entries = icmp_errors(STEP, &self.subnet, &AddressMatch::Any).to_vec();
        entries.extend(protect_routers(
            Some((&self.subnet, self.gateway)),
            self.routers,
        ));
        self.place(&mut entries, logged, SEGMENT_CLASS, name);
        // Ingress-only: what is left towards the group's own segments was
        // decided above (their inbound policy); the rest towards segments
        // goes to other gateway groups, whose ACLs decide.
        let shift = match self.local {
            Some(local) => {
                entries.push(fixed_entry(
                    TO_LOCAL,
                    Action::Deny,
                    AddressMatch::Any,
                    local.matcher.clone(),
                    Purpose::DenyRest,
                ));
                STEP
            }
            None => 0,
        };
        if self.local.is_none_or(|local| local.others) {
            entries.push(fixed_entry(
                TO_SEGMENTS + shift,
                Action::Permit,
                self.subnet.clone(),
                fixed.gateway.clone(),
                Purpose::ToSegment,
            ));
        }
        if let (false, Some(other)) = (internet.is_empty(), &fixed.other) {
            // Only needed when Internet entries (`any`) follow.
            entries.push(fixed_entry(
                TO_UNROUTED + shift,
                Action::Deny,
                AddressMatch::Any,
                other.clone(),
                Purpose::ToUnroutedSegment,
            ));
        }
        self.place(&mut entries, internet, INTERNET_CLASS, name);
        entries.push(deny_rest());
        Acl {
            name: format!("{name}-in"),
            entries,
        }
    }

    fn acl_out(&mut self, name: &str, rules: &[usize], fixed: &Fixed) -> Acl {
        let me = self.segment;
        let (mut segments, mut internet) = (Vec::new(), Vec::new());
        for &i in rules {
            let (rule, preferred) = (&self.policy.rules[i], self.preferred[i]);
            // Logged where the flow enters (`-in`, or the external
            // links), never here: egress.
            let (from_segments, from_internet) =
                inbound(rule, &self.groups[i], me, &self.subnet, false);
            if !from_segments.is_empty() {
                segments.push(Block {
                    rule,
                    preferred,
                    aces: from_segments,
                });
            }
            if !from_internet.is_empty() {
                internet.push(Block {
                    rule,
                    preferred,
                    aces: from_internet,
                });
            }
        }
        let mut entries = icmp_errors(STEP, &AddressMatch::Any, &self.subnet).to_vec();
        self.place(&mut entries, segments, SEGMENT_CLASS, name);
        if !internet.is_empty() {
            // Everything from the fabric's own segments was decided above:
            // after this entry, `any` as a source means the Internet.
            entries.push(fixed_entry(
                FROM_FABRIC,
                Action::Deny,
                fixed.all.clone(),
                AddressMatch::Any,
                Purpose::FromFabric,
            ));
            self.place(&mut entries, internet, INTERNET_CLASS, name);
        }
        entries.push(deny_rest());
        Acl {
            name: format!("{name}-out"),
            entries,
        }
    }

    /// Ingress-only: the entries of `rule` for the segment's packets to
    /// other segments. To one of the group's own segments (`local`),
    /// what that segment's `-out` ACL would let in from this one: the
    /// rule's flows (logged here if the rule says so) and the replies to
    /// its flows from there; to another, a logged copy as with egress
    /// ACLs (its gateway decides).
    fn to_segments(&self, rule: &PolicyRule, groups: &RuleGroups, local: &Local) -> Vec<Ace> {
        let me = self.segment;
        let subnet = |id: SegmentId| AddressMatch::Prefix {
            prefix: self.policy.segments[id as usize].subnet,
        };
        let mut aces = Vec::new();
        if rule.from.contains(me) {
            for &peer in rule.to.segments.iter().filter(|&&s| s != me) {
                if local.contains(peer) {
                    aces.extend(flows(
                        &rule.services,
                        &self.subnet,
                        &subnet(peer),
                        rule.rule.log,
                        groups,
                    ));
                } else if rule.rule.log {
                    let mut copies =
                        flows(&rule.services, &self.subnet, &subnet(peer), true, groups);
                    for ace in &mut copies {
                        ace.purpose = Purpose::Logged;
                    }
                    aces.extend(copies);
                }
            }
        }
        if rule.to.contains(me) {
            for &client in rule.from.segments.iter() {
                if client != me && local.contains(client) {
                    aces.extend(replies(
                        &rule.services,
                        &self.subnet,
                        &subnet(client),
                        groups,
                    ));
                }
            }
        }
        aces
    }

    fn place(&mut self, entries: &mut Vec<AclEntry>, blocks: Vec<Block>, base: u32, segment: &str) {
        place(
            entries,
            blocks,
            base,
            &format!("the ACLs of segment `{segment}`"),
            self.diagnostics,
        );
    }
}

/// Numbers the blocks of one class (see the module documentation) and
/// appends their entries in sequence order; `acls` names the ACL in an
/// error.
fn place(
    entries: &mut Vec<AclEntry>,
    blocks: Vec<Block>,
    base: u32,
    acls: &str,
    diagnostics: &mut Diagnostics,
) {
    {
        let per_slot = SLOT_WIDTH / STEP;
        let requests: Vec<SlotRequest> = blocks
            .iter()
            .map(|b| SlotRequest {
                preferred: b.preferred,
                // The remark's place is kept even without a comment, so
                // adding one later moves nothing.
                width: (1 + b.aces.len() as u32).div_ceil(per_slot),
                key: &b.rule.identity,
            })
            .collect();
        let slots = numbering::allocate_slots(&requests, SLOTS);
        let mut placed: Vec<AclEntry> = Vec::new();
        for (block, slot) in blocks.into_iter().zip(slots) {
            let Some(slot) = slot else {
                diagnostics.push(
                    Diagnostic::error(
                        "E112",
                        format!(
                            "{acls} have no room left for this rule ({SLOTS} rule blocks per ACL at most)"
                        ),
                    )
                    .at(block.rule.rule.loc)
                    .hint("merge rules that name this segment (lists and tags make one rule of many)"),
                );
                continue;
            };
            let start = base + slot * SLOT_WIDTH;
            let rule = Some(block.rule.index);
            if let Some(comment) = &block.rule.rule.comment {
                placed.push(AclEntry {
                    seq: start,
                    body: EntryBody::Remark {
                        text: comment.value.clone(),
                    },
                    rule,
                });
            }
            for (k, ace) in block.aces.into_iter().enumerate() {
                placed.push(AclEntry {
                    seq: start + STEP * (1 + k as u32),
                    body: EntryBody::Match(ace),
                    rule,
                });
            }
        }
        placed.sort_by_key(|e| e.seq);
        entries.extend(placed);
    }
}

fn fixed_entry(
    seq: u32,
    action: Action,
    source: AddressMatch,
    destination: AddressMatch,
    purpose: Purpose,
) -> AclEntry {
    AclEntry {
        seq,
        body: EntryBody::Match(Ace {
            action,
            protocol: AclProtocol::Ip,
            source,
            source_ports: None,
            destination,
            destination_ports: None,
            established: false,
            icmp_type: None,
            log: false,
            purpose,
        }),
        rule: None,
    }
}

/// The head of every ACL: ICMP unreachable (fragmentation needed among
/// its codes) and time-exceeded pass from `source` to `destination`
/// whatever the policy says, or TCP through a path with a smaller MTU
/// stalls (RFC 1191; RFC 4890 gives the same advice for IPv6).
/// `first`: the sequence of the first of the two entries.
fn icmp_errors(first: u32, source: &AddressMatch, destination: &AddressMatch) -> [AclEntry; 2] {
    [IcmpType::Unreachable, IcmpType::TimeExceeded].map(|kind| {
        let mut entry = fixed_entry(
            if kind == IcmpType::Unreachable {
                first
            } else {
                first + STEP
            },
            Action::Permit,
            source.clone(),
            destination.clone(),
            Purpose::IcmpError,
        );
        if let EntryBody::Match(ace) = &mut entry.body {
            ace.protocol = AclProtocol::Icmp;
            ace.icmp_type = Some(kind);
        }
        entry
    })
}

/// After the ICMP errors: ICMP echo to the fabric's own addresses (from
/// `source`, a segment: its VMs ping their gateway), then nothing else to
/// them. Traffic to a switch meets no `-out` ACL, so without this every
/// segment and the Internet would reach the switches' SVI, first-hop and
/// link addresses on every port. ARP is not IP and HSRP hellos are
/// multicast: no router ACL sees them.
fn protect_routers(
    source: Option<(&AddressMatch, &[Ipv4Network])>,
    routers: Option<&AddressMatch>,
) -> Vec<AclEntry> {
    let Some(routers) = routers else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    for (k, prefix) in source
        .into_iter()
        .flat_map(|(s, gateway)| gateway.iter().map(move |g| (s, g)))
        .enumerate()
        .take(MAX_GATEWAY_PREFIXES)
    {
        let (source, prefix) = prefix;
        let mut ping = fixed_entry(
            3 * STEP + k as u32,
            Action::Permit,
            source.clone(),
            AddressMatch::Prefix { prefix: *prefix },
            Purpose::PingRouter,
        );
        if let EntryBody::Match(ace) = &mut ping.body {
            ace.protocol = AclProtocol::Icmp;
            ace.icmp_type = Some(IcmpType::Echo);
        }
        entries.push(ping);
    }
    entries.push(fixed_entry(
        4 * STEP,
        Action::Deny,
        AddressMatch::Any,
        routers.clone(),
        Purpose::ToRouter,
    ));
    entries
}

/// `log: true` on a flow from the Internet can only be honoured at the
/// ingress ACL of an external link in the destination's VRF on its
/// gateway group (the segment's `-out` ACL is egress, and liaison logs
/// only at ingress, as most platforms log no egress entry): E175 where
/// there is none.
fn unloggable(
    inventory: &Inventory,
    policy: &Policy,
    gatewayed: &BTreeSet<&str>,
    routers: &RouterAddresses,
    edges: &BTreeSet<EdgeKey>,
    diagnostics: &mut Diagnostics,
) {
    for rule in &policy.rules {
        if !rule.rule.log || !rule.from.internet || !rule.has_flows() {
            continue;
        }
        for &id in &rule.to.segments {
            let segment = policy.segments[id as usize].segment;
            let name = segment.name.as_str();
            if !gatewayed.contains(name)
                || edges.iter().any(|k| k.segments.iter().any(|s| s == name))
            {
                continue;
            }
            // Why the segment's own (egress) ACL cannot log the flows:
            // the platform of a gateway group that cannot.
            let reason = routers
                .groups
                .iter()
                .filter(|(_, group)| group.segments.contains(name))
                .filter_map(|(first, _)| inventory.switches.iter().find(|s| s.name.value == *first))
                .map(|switch| switch.platform.value.acl_support())
                .find(|support| !support.logs_egress_entries)
                .map_or_else(
                    || "liaison logs only at ingress ACLs".to_string(),
                    |support| format!("{} does not log egress ACL entries", support.hardware),
                );
            diagnostics.push(
                Diagnostic::error(
                    "E175",
                    format!(
                        "`log: true` cannot be honoured for the flows from the Internet into `{name}`: {reason}, and the gateways of `{name}` have no external link in VRF `{}` whose ingress ACL could log them",
                        segment.vrf()
                    ),
                )
                .at(rule.rule.loc)
                .hint(format!(
                    "add the gateways' external links in VRF `{}` under `external`, or remove `log: true` from the rule (or `{name}` from its `to`)",
                    segment.vrf()
                )),
            );
        }
    }
}

/// Builds the ingress ACL of the external links of one VRF on one gateway
/// group (docs/policy.md, "Protecting the switches").
struct EdgeBuilder<'a, 'p> {
    policy: &'p Policy<'p>,
    preferred: &'a [u32],
    groups: &'a [RuleGroups],
    fixed: &'a Fixed,
    /// The addresses of the links' gateway group.
    routers: Option<&'a AddressMatch>,
    /// On an ingress-only gateway group: its segments in the VRF, and
    /// those of them that take flows or replies from the Internet.
    local: Option<&'a Local>,
    exposed: Option<&'a AddressMatch>,
    diagnostics: &'a mut Diagnostics,
}

impl EdgeBuilder<'_, '_> {
    /// On an ingress-only gateway group, what the `-out` ACLs of the
    /// group's segments in the VRF would decide for what enters from
    /// outside (other aggregation blocks, the Internet), after nothing to
    /// the switches: ICMP errors, the rules' flows and replies from other
    /// segments, nothing else from a segment, the rules' flows (logged
    /// here, where they enter) and replies from the Internet, nothing
    /// else to those segments; then everything else is routed on.
    fn ingress_only(&mut self, key: &EdgeKey, local: &Local) -> Acl {
        let (mut segments, mut internet) = (Vec::new(), Vec::new());
        for (i, rule) in self.policy.rules.iter().enumerate() {
            if !rule.has_flows() || rule.services.is_empty() {
                continue;
            }
            let (mut from_segments, mut from_internet) = (Vec::new(), Vec::new());
            for &id in &local.ids {
                let subnet = AddressMatch::Prefix {
                    prefix: self.policy.segments[id as usize].subnet,
                };
                let (s, n) = inbound(rule, &self.groups[i], id, &subnet, true);
                from_segments.extend(s);
                from_internet.extend(n);
            }
            for (aces, blocks) in [
                (from_segments, &mut segments),
                (from_internet, &mut internet),
            ] {
                if !aces.is_empty() {
                    blocks.push(Block {
                        rule,
                        preferred: self.preferred[i],
                        aces,
                    });
                }
            }
        }
        let acls = format!("the ACL of the external links in VRF `{}`", key.vrf);
        let mut entries = protect_routers(None, self.routers);
        entries.extend(icmp_errors(5 * STEP, &AddressMatch::Any, &local.matcher));
        place(
            &mut entries,
            segments,
            SEGMENT_CLASS,
            &acls,
            self.diagnostics,
        );
        if !internet.is_empty() {
            entries.push(fixed_entry(
                FROM_FABRIC,
                Action::Deny,
                self.fixed.all.clone(),
                self.exposed.unwrap_or(&local.matcher).clone(),
                Purpose::FromFabric,
            ));
            place(
                &mut entries,
                internet,
                INTERNET_CLASS,
                &acls,
                self.diagnostics,
            );
        }
        entries.push(fixed_entry(
            DENY_REST,
            Action::Deny,
            AddressMatch::Any,
            local.matcher.clone(),
            Purpose::DenyRest,
        ));
        entries.push(fixed_entry(
            DENY_REST + STEP,
            Action::Permit,
            AddressMatch::Any,
            AddressMatch::Any,
            Purpose::Transit,
        ));
        Acl {
            name: edge_acl_name(&key.vrf),
            entries,
        }
    }

    /// Nothing from outside reaches the switches (their own sessions run
    /// in the management VRF). Then the logged copies of the
    /// rules allowing flows from the Internet into the VRF's segments (the
    /// segments' `-out` ACLs decide), after everything from the fabric's
    /// own segments (other aggregation blocks, through the core); then
    /// everything: the segments' ACLs filter what is routed on.
    fn acl(&mut self, key: &EdgeKey, members: &BTreeSet<&str>) -> Acl {
        if let Some(local) = self.local {
            return self.ingress_only(key, local);
        }
        let mut blocks = Vec::new();
        for (i, rule) in self.policy.rules.iter().enumerate() {
            if !rule.rule.log || !rule.from.internet || !rule.has_flows() {
                continue;
            }
            let mut aces = Vec::new();
            for &id in &rule.to.segments {
                let segment = &self.policy.segments[id as usize];
                if !members.contains(segment.name()) {
                    continue;
                }
                let subnet = AddressMatch::Prefix {
                    prefix: segment.subnet,
                };
                aces.extend(flows(
                    &rule.services,
                    &AddressMatch::Any,
                    &subnet,
                    true,
                    &self.groups[i],
                ));
            }
            for ace in &mut aces {
                ace.purpose = Purpose::Logged;
            }
            if !aces.is_empty() {
                blocks.push(Block {
                    rule,
                    preferred: self.preferred[i],
                    aces,
                });
            }
        }
        let mut entries: Vec<AclEntry> = Vec::new();
        entries.extend(protect_routers(None, self.routers));
        if !blocks.is_empty() {
            entries.push(fixed_entry(
                FROM_FABRIC,
                Action::Permit,
                self.fixed.all.clone(),
                AddressMatch::Any,
                Purpose::Transit,
            ));
            place(
                &mut entries,
                blocks,
                INTERNET_CLASS,
                &format!("the ACL of the external links in VRF `{}`", key.vrf),
                self.diagnostics,
            );
        }
        let mut last = deny_rest();
        if let EntryBody::Match(ace) = &mut last.body {
            ace.action = Action::Permit;
            ace.purpose = Purpose::Transit;
        }
        entries.push(last);
        Acl {
            name: edge_acl_name(&key.vrf),
            entries,
        }
    }
}

/// `<vrf>-edge`: never the name of a segment's ACL, which ends in `-in`
/// or `-out`.
pub fn edge_acl_name(vrf: &str) -> String {
    format!("{vrf}-edge")
}

fn deny_rest() -> AclEntry {
    fixed_entry(
        DENY_REST,
        Action::Deny,
        AddressMatch::Any,
        AddressMatch::Any,
        Purpose::DenyRest,
    )
}

fn permit(
    protocol: AclProtocol,
    source: &AddressMatch,
    source_ports: Option<PortMatch>,
    destination: &AddressMatch,
    destination_ports: Option<PortMatch>,
    purpose: Purpose,
) -> Ace {
    Ace {
        action: Action::Permit,
        protocol,
        source: source.clone(),
        source_ports,
        destination: destination.clone(),
        destination_ports,
        established: false,
        icmp_type: None,
        log: false,
        purpose,
    }
}

/// The entries of `rule` that let packets into segment `me` (`subnet`),
/// as its `-out` ACL holds them: from other segments (the rule's flows
/// into it, the replies to its flows to them), and from the Internet
/// (the same; the flows logged when `log_internet` and the rule says so).
fn inbound(
    rule: &PolicyRule,
    groups: &RuleGroups,
    me: SegmentId,
    subnet: &AddressMatch,
    log_internet: bool,
) -> (Vec<Ace>, Vec<Ace>) {
    let (mut from_segments, mut from_internet) = (Vec::new(), Vec::new());
    if rule.to.contains(me) {
        if let (true, Some(sources)) = (rule.from.has_other_than(me), &groups.from) {
            from_segments.extend(flows(&rule.services, sources, subnet, false, groups));
        }
        if rule.from.internet {
            let log = log_internet && rule.rule.log;
            from_internet.extend(flows(
                &rule.services,
                &AddressMatch::Any,
                subnet,
                log,
                groups,
            ));
        }
    }
    if rule.from.contains(me) {
        if let (true, Some(peers)) = (rule.to.has_other_than(me), &groups.to) {
            from_segments.extend(replies(&rule.services, peers, subnet, groups));
        }
        if rule.to.internet {
            from_internet.extend(replies(&rule.services, &AddressMatch::Any, subnet, groups));
        }
    }
    (from_segments, from_internet)
}

/// The entries that let a rule's flows from `source` to `destination` pass.
fn flows(
    services: &Services,
    source: &AddressMatch,
    destination: &AddressMatch,
    log: bool,
    groups: &RuleGroups,
) -> Vec<Ace> {
    let mut aces = Vec::new();
    if services.ip {
        aces.push(permit(
            AclProtocol::Ip,
            source,
            None,
            destination,
            None,
            Purpose::Flow,
        ));
    }
    for (protocol, ports) in [
        (AclProtocol::Tcp, &groups.tcp),
        (AclProtocol::Udp, &groups.udp),
    ] {
        if let Some(ports) = ports {
            aces.push(permit(
                protocol,
                source,
                None,
                destination,
                Some(ports.clone()),
                Purpose::Flow,
            ));
        }
    }
    if services.icmp {
        aces.push(permit(
            AclProtocol::Icmp,
            source,
            None,
            destination,
            None,
            Purpose::Flow,
        ));
    }
    for ace in &mut aces {
        ace.log = log;
    }
    aces
}

/// The entries that let the replies to a rule's flows pass: the server
/// (the rule's destination side) answering the client (its source side).
/// TCP replies are `established`, UDP replies come from the service port;
/// both go to the client's ephemeral ports only ([`EPHEMERAL_PORTS`]).
/// ICMP replies are echo replies. `ip` has no ports to swap: its replies
/// are those of TCP, UDP (from every port) and ICMP.
fn replies(
    services: &Services,
    server: &AddressMatch,
    client: &AddressMatch,
    groups: &RuleGroups,
) -> Vec<Ace> {
    // With `ip`, every port of every protocol: no port match at all.
    let (tcp, udp, icmp) = if services.ip {
        (Some(None), Some(None), true)
    } else {
        (
            groups.tcp.clone().map(Some),
            groups.udp.clone().map(Some),
            services.icmp,
        )
    };
    let client_ports = || {
        Some(PortMatch::Range {
            low: EPHEMERAL_PORTS.low,
            high: EPHEMERAL_PORTS.high,
        })
    };
    let mut aces = Vec::new();
    if let Some(ports) = tcp {
        let mut ace = permit(
            AclProtocol::Tcp,
            server,
            ports,
            client,
            client_ports(),
            Purpose::Return,
        );
        ace.established = true;
        aces.push(ace);
    }
    if let Some(ports) = udp {
        aces.push(permit(
            AclProtocol::Udp,
            server,
            ports,
            client,
            client_ports(),
            Purpose::Return,
        ));
    }
    if icmp {
        let mut ace = permit(
            AclProtocol::Icmp,
            server,
            None,
            client,
            None,
            Purpose::Return,
        );
        ace.icmp_type = Some(IcmpType::EchoReply);
        aces.push(ace);
    }
    aces
}

/// Object-groups, named after their content so the same content has the
/// same name in every ACL and on every switch.
#[derive(Default)]
struct Groups {
    address: HashMap<String, AddressGroup>,
    port: HashMap<String, PortGroup>,
    by_segments: HashMap<Vec<SegmentId>, AddressMatch>,
    by_ports: HashMap<Vec<PortRange>, PortMatch>,
}

impl Groups {
    /// A fixed-name group (or the prefix itself when it aggregates to
    /// one); None for no subnet at all.
    fn named(&mut self, name: &str, subnets: &[Ipv4Network]) -> Option<AddressMatch> {
        self.address_match(name.to_string(), subnets)
    }

    /// The subnets of a rule side's segments; None when it has none.
    fn segments(&mut self, policy: &Policy, ends: &Ends) -> Option<AddressMatch> {
        self.segment_ids(policy, &ends.segments)
    }

    /// The subnets of `ids` (sorted); None when there are none.
    fn segment_ids(&mut self, policy: &Policy, ids: &[SegmentId]) -> Option<AddressMatch> {
        if let Some(found) = self.by_segments.get(ids) {
            return Some(found.clone());
        }
        let names: Vec<&str> = ids
            .iter()
            .map(|&s| policy.segments[s as usize].name())
            .collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        let joined = format!("segs-{}", sorted.join("_"));
        // `_` separates names only when no name has one; otherwise, and
        // when too long, a hash of the names keeps the name unique.
        let name = if fits_group_name(&joined) && !sorted.iter().any(|n| n.contains('_')) {
            joined
        } else {
            format!(
                "segs-{}-{:08x}",
                sorted.len(),
                numbering::fnv1a(&sorted.join(","))
            )
        };
        let subnets: Vec<Ipv4Network> = ids
            .iter()
            .map(|&s| policy.segments[s as usize].subnet)
            .collect();
        let found = self.address_match(name, &subnets)?;
        self.by_segments.insert(ids.to_vec(), found.clone());
        Some(found)
    }

    fn address_match(&mut self, name: String, subnets: &[Ipv4Network]) -> Option<AddressMatch> {
        let prefixes = prefix::aggregate(subnets.iter().copied());
        Some(match prefixes.as_slice() {
            [] => return None,
            [one] => AddressMatch::Prefix { prefix: *one },
            _ => {
                let name = unique(&self.address, name, |g| g.prefixes == prefixes);
                self.address
                    .entry(name.clone())
                    .or_insert_with(|| AddressGroup {
                        name: name.clone(),
                        prefixes,
                    });
                AddressMatch::Group { name }
            }
        })
    }

    /// Destination ports of a service (source ports of its replies).
    fn ports(&mut self, ranges: &[PortRange]) -> PortMatch {
        if let Some(found) = self.by_ports.get(ranges) {
            return found.clone();
        }
        let found = match ranges {
            [one] if one.low == one.high => PortMatch::Eq { port: one.low },
            [one] => PortMatch::Range {
                low: one.low,
                high: one.high,
            },
            _ => {
                let text: Vec<String> = ranges
                    .iter()
                    .map(|r| {
                        if r.low == r.high {
                            r.low.to_string()
                        } else {
                            format!("{}-{}", r.low, r.high)
                        }
                    })
                    .collect();
                let joined = format!("ports-{}", text.join("_"));
                let name = if fits_group_name(&joined) {
                    joined
                } else {
                    format!(
                        "ports-{}-{:08x}",
                        ranges.len(),
                        numbering::fnv1a(&text.join(","))
                    )
                };
                let name = unique(&self.port, name, |g| g.ports == ranges);
                self.port.entry(name.clone()).or_insert_with(|| PortGroup {
                    name: name.clone(),
                    ports: ranges.to_vec(),
                });
                PortMatch::Group { name }
            }
        };
        self.by_ports.insert(ranges.to_vec(), found.clone());
        found
    }
}

/// `name`, or `name-2`, `name-3` … when `name` already holds other content
/// (a hash collision; `same` tells whether an existing group has ours).
fn unique<T>(existing: &HashMap<String, T>, name: String, same: impl Fn(&T) -> bool) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while let Some(group) = existing.get(&candidate) {
        if same(group) {
            break;
        }
        n += 1;
        candidate = format!("{name}-{n}");
    }
    candidate
}

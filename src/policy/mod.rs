//! Policy semantics: which flows the inventory's `policy` allows.
//!
//! A rule allows the flows from each of its `from` ends to each of its `to`
//! ends on each of its services. An end is a routed segment (its subnet) or
//! the Internet (every address outside the fabric's segments). Everything
//! else between segments, and from the Internet into segments, is denied;
//! traffic inside a segment never reaches a gateway and is not filtered.
//!
//! [`resolve`] turns the rules as written into that form once: selectors to
//! segments, service names to merged port ranges, expired rules left out.
//! The ACL compiler (`compile::acl`) and the shadow analysis ([`shadow`])
//! both read the result, so they agree on what a rule means; `liaison why`
//! ([`why`]) evaluates the compiled ACLs and points back at the rules.

pub mod eval;
pub mod prefix;
pub mod shadow;
pub mod tcam;
pub mod why;

use crate::diag::{Diagnostic, Diagnostics};
use crate::intent::PortRange;
use crate::inventory::*;
use ipnetwork::{IpNetwork, Ipv4Network};
use std::collections::{HashMap, HashSet};

/// Index into [`Policy::segments`].
pub type SegmentId = u32;

/// The inventory's policy, resolved.
pub struct Policy<'i> {
    /// Routed segments with an IPv4 subnet, in inventory order: the only
    /// segments a rule can name.
    pub segments: Vec<PolicySegment<'i>>,
    /// The rules in effect (expired ones are left out), in file order.
    pub rules: Vec<PolicyRule<'i>>,
}

pub struct PolicySegment<'i> {
    pub segment: &'i Segment,
    pub subnet: Ipv4Network,
}

impl PolicySegment<'_> {
    pub fn name(&self) -> &str {
        self.segment.name.as_str()
    }
}

/// One side of a rule: segments (sorted, no repeats) and/or the Internet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ends {
    pub segments: Vec<SegmentId>,
    pub internet: bool,
}

impl Ends {
    pub fn contains(&self, segment: SegmentId) -> bool {
        self.segments.binary_search(&segment).is_ok()
    }

    /// Whether the segments other than `segment` are not empty.
    pub fn has_other_than(&self, segment: SegmentId) -> bool {
        self.segments.iter().any(|s| *s != segment)
    }
}

/// A rule in effect.
pub struct PolicyRule<'i> {
    /// Position in the inventory's `policy` (file order).
    pub index: usize,
    pub rule: &'i Rule,
    pub from: Ends,
    pub to: Ends,
    pub services: Services,
    /// The rule's content as written (selectors and services, each side
    /// sorted), never its position: ACL sequence numbers derive from it so
    /// that inserting an unrelated rule renumbers nothing.
    pub identity: String,
}

impl PolicyRule<'_> {
    /// Whether the rule allows any flow at all: a flow needs two different
    /// segments, or a segment and the Internet.
    pub fn has_flows(&self) -> bool {
        let (from, to) = (&self.from, &self.to);
        if (from.internet && !to.segments.is_empty()) || (to.internet && !from.segments.is_empty())
        {
            return true;
        }
        match (from.segments.as_slice(), to.segments.as_slice()) {
            ([], _) | (_, []) => false,
            ([a], [b]) => a != b,
            _ => true,
        }
    }
}

/// What a rule allows, merged: `ip` absorbs everything; port ranges are
/// sorted, disjoint and not adjacent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Services {
    /// Every protocol, every port.
    pub ip: bool,
    /// Destination port ranges.
    pub tcp: Vec<PortRange>,
    pub udp: Vec<PortRange>,
    /// Every ICMP type.
    pub icmp: bool,
}

impl Services {
    pub fn from_specs(specs: impl IntoIterator<Item = ServiceSpec>) -> Services {
        let mut services = Services::default();
        for spec in specs {
            let range = spec.ports.map(|(low, high)| PortRange { low, high });
            match (spec.protocol, range) {
                (Protocol::Ip, _) => services.ip = true,
                (Protocol::Icmp, _) => services.icmp = true,
                (Protocol::Tcp, Some(r)) => services.tcp.push(r),
                (Protocol::Udp, Some(r)) => services.udp.push(r),
                // The decoder refuses tcp/udp without ports.
                (Protocol::Tcp | Protocol::Udp, None) => {}
            }
        }
        if services.ip {
            return Services {
                ip: true,
                ..Services::default()
            };
        }
        services.tcp = merge_ranges(services.tcp);
        services.udp = merge_ranges(services.udp);
        services
    }

    pub fn is_empty(&self) -> bool {
        !self.ip && !self.icmp && self.tcp.is_empty() && self.udp.is_empty()
    }
}

/// Sorted, overlapping and adjacent ranges merged.
pub fn merge_ranges(mut ranges: Vec<PortRange>) -> Vec<PortRange> {
    ranges.sort_unstable();
    let mut out: Vec<PortRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if u32::from(range.low) <= u32::from(last.high) + 1 => {
                last.high = last.high.max(range.high);
            }
            _ => out.push(range),
        }
    }
    out
}

/// Resolves the policy (see the module documentation). Reports rules that
/// name non-routed segments (E110), expired rules (W010), rules that can
/// never match (W013) and rules naming segments in no zone (W014). Names
/// that do not resolve were reported by `check` and are skipped here.
pub fn resolve<'i>(
    inventory: &'i Inventory,
    today: Date,
    diagnostics: &mut Diagnostics,
) -> Policy<'i> {
    let index = Index::new(inventory);
    let segments: Vec<PolicySegment<'i>> = inventory
        .segments
        .iter()
        // The first definition of a name wins, as everywhere (E009).
        .filter(|s| {
            index
                .segments
                .get(s.name.as_str())
                .is_some_and(|first| std::ptr::eq(*first, *s))
        })
        .filter(|s| s.routed)
        .filter_map(|segment| match segment.subnet.as_ref()?.value {
            IpNetwork::V4(subnet) => Some(PolicySegment { segment, subnet }),
            IpNetwork::V6(_) => None,
        })
        .collect();
    for segment in &inventory.segments {
        let name = segment.name.as_str();
        if matches!(name, "any" | "internet") {
            diagnostics.push(
                Diagnostic::error(
                    "E010",
                    format!("segment name `{name}` is reserved: in a policy rule `{name}` is a selector, so the segment could never be named"),
                )
                .at(segment.name.loc)
                .hint("rename the segment"),
            );
        }
    }
    let resolver = Resolver::new(inventory, &index, &segments);
    let external_vrfs = external_vrfs(inventory);
    let mut rules = Vec::new();
    let mut identities: HashMap<String, usize> = HashMap::new();
    for (position, rule) in inventory.policy.iter().enumerate() {
        if let Some(expires) = rule.expires.as_ref().filter(|e| e.value <= today) {
            diagnostics.push(
                Diagnostic::warning(
                    "W010",
                    format!(
                        "this rule expired on {}: it is left out of the ACLs",
                        expires.value
                    ),
                )
                .at(expires.loc)
                .hint("delete the rule, or move `expires` to a later date if it is still needed"),
            );
            continue;
        }
        let mut complete = true;
        let from = resolver.ends(&rule.from, &mut complete, diagnostics);
        let to = resolver.ends(&rule.to, &mut complete, diagnostics);
        let mut specs = Vec::new();
        for item in &rule.allow {
            match &item.value {
                AllowItem::Inline(spec) => specs.push(*spec),
                AllowItem::Service(name) => match index.services.get(name.as_str()) {
                    Some(service) => specs.extend(service.specs.iter().map(|s| s.value)),
                    None => complete = false, // E040
                },
            }
        }
        let mut identity = identity_of(rule);
        let seen = identities.entry(identity.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            // The same rule written twice: the copy is a different rule
            // (and reported as shadowed).
            identity.push_str(&format!("#{seen}"));
        }
        let resolved = PolicyRule {
            index: position,
            rule,
            from,
            to,
            services: Services::from_specs(specs),
            identity,
        };
        if complete && (!resolved.has_flows() || resolved.services.is_empty()) {
            diagnostics.push(never_matches(&resolved, &segments));
        } else if complete && routing_known(&resolved, &segments, &inventory.unread) {
            unroutable(&resolved, &segments, &external_vrfs, diagnostics);
        }
        rules.push(resolved);
    }
    Policy { segments, rules }
}

/// The VRFs that reach the Internet: those of the external (routed) links,
/// where the gateways get their default route. liaison configures no route
/// leaking, so no other VRF has a way out.
pub fn external_vrfs(inventory: &Inventory) -> HashSet<&str> {
    inventory.external.iter().map(|e| e.vrf()).collect()
}

/// Why a flow between a segment and another segment (or the Internet)
/// cannot be routed at all, if it cannot: VRFs are separate routing
/// tables and liaison configures no route leaking between them.
pub fn unroutable_reason(
    from: &Segment,
    to: Option<&Segment>,
    external_vrfs: &HashSet<&str>,
) -> Option<String> {
    match to {
        Some(to) if from.vrf() != to.vrf() => Some(format!(
            "{} is in VRF {}, {} in VRF {}",
            from.name.value,
            from.vrf(),
            to.name.value,
            to.vrf()
        )),
        Some(_) => None,
        None if !external_vrfs.contains(from.vrf()) => Some(format!(
            "{} is in VRF {}, which has no external link (no route to the Internet)",
            from.name.value,
            from.vrf()
        )),
        None => None,
    }
}

/// Whether the VRFs of a rule's flows are known: the rule and its
/// segments were read whole (a `vrf` that failed to decode would read as
/// the default VRF), and for the Internet every external link was.
fn routing_known(
    rule: &PolicyRule,
    segments: &[PolicySegment],
    unread: &crate::inventory::Unread,
) -> bool {
    let read_whole = |id: &SegmentId| !unread.is_partial(segments[*id as usize].segment.loc);
    !unread.is_partial(rule.rule.loc)
        && rule
            .from
            .segments
            .iter()
            .chain(&rule.to.segments)
            .all(read_whole)
        && !((rule.from.internet || rule.to.internet) && unread.externals)
}

/// E150 / E151: a rule (or the part of it naming segments explicitly) whose
/// flows no route can carry. A selector that picks many segments (`any`,
/// `tag:`) only fails when none of its flows can be routed: that some
/// pairs are in different VRFs is what such a selector means.
fn unroutable(
    rule: &PolicyRule,
    segments: &[PolicySegment],
    external_vrfs: &HashSet<&str>,
    diagnostics: &mut Diagnostics,
) {
    let named = |selectors: &[Spanned<Selector>], id: SegmentId| {
        let name = segments[id as usize].name();
        selectors
            .iter()
            .any(|s| matches!(&s.value, Selector::Segment(n) if n == name))
    };
    let segment = |id: SegmentId| segments[id as usize].segment;
    let (from, to) = (&rule.from, &rule.to);
    // Segment to segment.
    let pairs: Vec<(SegmentId, SegmentId)> = from
        .segments
        .iter()
        .flat_map(|a| to.segments.iter().map(move |b| (*a, *b)))
        .filter(|(a, b)| a != b)
        .collect();
    let cross = |(a, b): &(SegmentId, SegmentId)| segment(*a).vrf() != segment(*b).vrf();
    let explicit_cross = pairs
        .iter()
        .find(|p| cross(p) && named(&rule.rule.from, p.0) && named(&rule.rule.to, p.1));
    let culprit = explicit_cross.or_else(|| {
        (!pairs.is_empty() && pairs.iter().all(cross))
            .then(|| pairs.first())
            .flatten()
    });
    if let Some((a, b)) = culprit {
        let reason =
            unroutable_reason(segment(*a), Some(segment(*b)), external_vrfs).unwrap_or_default();
        diagnostics.push(
            Diagnostic::error(
                "E150",
                format!("this rule can never carry a packet from `{}` to `{}`: not routable: {reason}", segment(*a).name.value, segment(*b).name.value),
            )
            .at(rule.rule.loc)
            .hint("liaison configures no route leaking between VRFs: put both segments in one VRF, or drop the rule (traffic between VRFs goes through a firewall)"),
        );
    }
    // Segment and the Internet, either way.
    for (segments_side, selectors, internet) in [
        (&from.segments, &rule.rule.from, to.internet),
        (&to.segments, &rule.rule.to, from.internet),
    ] {
        if !internet || segments_side.is_empty() {
            continue;
        }
        let cut_off = |id: &SegmentId| !external_vrfs.contains(segment(*id).vrf());
        let culprit = segments_side
            .iter()
            .find(|id| cut_off(id) && named(selectors, **id))
            .or_else(|| {
                segments_side
                    .iter()
                    .all(cut_off)
                    .then(|| segments_side.first())
                    .flatten()
            });
        if let Some(id) = culprit {
            let reason = unroutable_reason(segment(*id), None, external_vrfs).unwrap_or_default();
            let mut vrfs: Vec<&str> = external_vrfs.iter().copied().collect();
            vrfs.sort_unstable();
            let hint = if vrfs.is_empty() {
                "no VRF has an external link: add one under `external:` (with `vrf:`) for the Internet to be reachable".to_string()
            } else {
                format!("only VRF(s) {} reach the Internet (their `external:` links); add an external link in VRF {} or drop the rule", vrfs.join(", "), segment(*id).vrf())
            };
            diagnostics.push(
                Diagnostic::error(
                    "E151",
                    format!("this rule can never carry a packet between `{}` and the Internet: not routable: {reason}", segment(*id).name.value),
                )
                .at(rule.rule.loc)
                .hint(hint),
            );
        }
    }
}

/// Selector → segments, with the look-ups built once.
struct Resolver<'a, 'i> {
    index: &'a Index<'i>,
    ids: HashMap<&'i str, SegmentId>,
    tagged: HashMap<&'i str, Vec<SegmentId>>,
    /// Tags carried only by segments that are not routed, with one of them.
    unrouted_tags: HashMap<&'i str, &'i str>,
    in_zone: HashSet<&'i str>,
    all: Vec<SegmentId>,
}

impl<'a, 'i> Resolver<'a, 'i> {
    fn new(inventory: &'i Inventory, index: &'a Index<'i>, segments: &[PolicySegment<'i>]) -> Self {
        let mut ids = HashMap::new();
        let mut tagged: HashMap<&'i str, Vec<SegmentId>> = HashMap::new();
        for (id, s) in segments.iter().enumerate() {
            let id = id as SegmentId;
            ids.insert(s.segment.name.as_str(), id);
            for tag in &s.segment.tags {
                tagged.entry(tag.as_str()).or_default().push(id);
            }
        }
        let mut unrouted_tags = HashMap::new();
        for segment in inventory.segments.iter().filter(|s| !s.routed) {
            for tag in &segment.tags {
                if !tagged.contains_key(tag.as_str()) {
                    unrouted_tags
                        .entry(tag.as_str())
                        .or_insert(segment.name.as_str());
                }
            }
        }
        Resolver {
            index,
            ids,
            tagged,
            unrouted_tags,
            in_zone: inventory
                .zones
                .iter()
                .flat_map(|z| z.segments.iter().map(|s| s.as_str()))
                .collect(),
            all: (0..segments.len() as SegmentId).collect(),
        }
    }

    /// Resolves one side of a rule; clears `complete` when a selector could
    /// not be resolved (the problem is reported, here or by `check`).
    fn ends(
        &self,
        selectors: &[Spanned<Selector>],
        complete: &mut bool,
        diagnostics: &mut Diagnostics,
    ) -> Ends {
        let mut ends = Ends::default();
        for selector in selectors {
            match &selector.value {
                Selector::Internet => ends.internet = true,
                Selector::Any => ends.segments.extend(&self.all),
                Selector::Segment(name) => {
                    let Some(segment) = self.index.segments.get(name.as_str()) else {
                        *complete = false; // E040
                        continue;
                    };
                    if !segment.routed {
                        *complete = false;
                        diagnostics.push(
                            Diagnostic::error(
                                "E110",
                                format!(
                                    "segment `{name}` is not routed (`routed: false`), so it cannot take part in policy between segments"
                                ),
                            )
                            .at(selector.loc)
                            .related(segment.loc, "the segment")
                            .hint("policy is enforced at the gateways and a layer-2 segment has none: remove it from the rule, or make it routed (a `subnet` and no `routed: false`)"),
                        );
                        continue;
                    }
                    let Some(&id) = self.ids.get(name.as_str()) else {
                        *complete = false; // no IPv4 subnet: reported by compile
                        continue;
                    };
                    if !self.in_zone.contains(name.as_str()) {
                        diagnostics.push(
                            Diagnostic::warning(
                                "W014",
                                format!(
                                    "segment `{name}` is in no zone: no VM runs in it, so this part of the rule filters nothing"
                                ),
                            )
                            .at(selector.loc)
                            .hint("add the segment to a zone, or remove it from the rule"),
                        );
                    }
                    ends.segments.push(id);
                }
                Selector::Tag(tag) => match self.tagged.get(tag.as_str()) {
                    Some(ids) => ends.segments.extend(ids),
                    None => {
                        *complete = false;
                        if let Some(example) = self.unrouted_tags.get(tag.as_str()) {
                            diagnostics.push(
                                Diagnostic::error(
                                    "E110",
                                    format!(
                                        "tag `{tag}` selects only segments that are not routed (such as `{example}`), so it cannot take part in policy between segments"
                                    ),
                                )
                                .at(selector.loc)
                                .hint("policy is enforced at the gateways and layer-2 segments have none: remove the tag from the rule"),
                            );
                        } // else: no segment carries the tag (E040)
                    }
                },
            }
        }
        ends.segments.sort_unstable();
        ends.segments.dedup();
        ends
    }
}

/// `from>to:allow`, each side's items as written and sorted.
fn identity_of(rule: &Rule) -> String {
    fn sorted<T: std::fmt::Display>(items: &[Spanned<T>]) -> String {
        let mut texts: Vec<String> = items.iter().map(|i| i.value.to_string()).collect();
        texts.sort_unstable();
        texts.dedup();
        texts.join(",")
    }
    format!(
        "{}>{}:{}",
        sorted(&rule.from),
        sorted(&rule.to),
        sorted(&rule.allow)
    )
}

fn never_matches(rule: &PolicyRule, segments: &[PolicySegment]) -> Diagnostic {
    let why = match (rule.from.segments.as_slice(), rule.to.segments.as_slice()) {
        _ if rule.services.is_empty() => "it allows no service (`allow` is empty)".to_string(),
        ([a], [b]) if a == b => format!(
            "traffic from `{0}` to `{0}` stays inside the segment and never reaches a gateway",
            segments[*a as usize].name()
        ),
        ([], []) if rule.from.internet && rule.to.internet => {
            "traffic from the Internet to the Internet never crosses the fabric".to_string()
        }
        _ => "it selects no routed segment on one of its sides".to_string(),
    };
    Diagnostic::warning("W013", format!("this rule can never match: {why}"))
        .at(rule.rule.loc)
        .hint("fix `from`/`to` (a flow needs two different segments, or a segment and the Internet), or remove the rule")
}

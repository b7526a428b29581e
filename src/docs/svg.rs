//! The topology diagram: one SVG per aggregation block, drawn from the
//! compiler's own view of the fabric ([`FabricView`]).
//!
//! The layout is layered, because the fabric is: the core (external
//! links) on top, the gateway pair below it, then every pair by its
//! distance to the gateways (ToR pairs), each pair's two members side by
//! side with their peer-link between them, and under each pair the
//! chassis, rack hosts and endpoints cabled to it, hung from one line.
//! Within a tier, a pair sits in the order of the pairs above it that it
//! is cabled to, so cables cross as little as a tree allows. Each cable is
//! one line, and its ports are written above the lower end (`Eth1/49 →
//! agg1 Eth1/1`), where there is room: at the upper end of a 24-pair block
//! 96 cables meet. A general graph-layout crate would solve a harder
//! problem (arbitrary graphs, crossing minimisation) than this one and
//! could not know that a pair belongs together.
//!
//! Sizes are fixed per box, so a block's diagram grows in width with its
//! pairs (a 100-switch fabric is two blocks of 24 ToR pairs) and stays
//! readable at 100 % zoom; text that would not fit a box is cut with `…`
//! and given whole in the box's tooltip (`<title>`).

use super::html::escape;
use crate::compile::closure::{Carrier, EdgePort, Owner};
use crate::compile::topology::GroupId;
use crate::compile::FabricView;
use crate::intent::Intent;
use crate::inventory::{Attachment, Inventory, Platform, Port, PortRef};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Zone colours: distinguishable, light enough for black text on them.
const PALETTE: [&str; 10] = [
    "#f4a582", "#92c5de", "#b8e186", "#fdb863", "#c2a5cf", "#80cdc1", "#f1b6da", "#dfc27d",
    "#a6dba0", "#bababa",
];

/// The colour of the zone at `index` in the inventory's `zones`.
pub fn zone_colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

const MARGIN: f64 = 20.0;
const MEMBER_W: f64 = 150.0;
const MEMBER_H: f64 = 46.0;
const PEER_GAP: f64 = 100.0;
const GROUP_GAP: f64 = 40.0;
const LABEL_LINE: f64 = 12.0;
const EDGE_W: f64 = 200.0;
const EDGE_H: f64 = 40.0;
const EDGE_GAP: f64 = 8.0;
const TIER_GAP: f64 = 60.0;
const CORE_H: f64 = 36.0;
/// Width of one character of the 9px monospace labels.
const CHAR_W: f64 = 5.5;

/// One aggregation block's diagram.
pub struct Diagram {
    /// `topology-agg1.svg`.
    pub file: String,
    /// `aggregation block agg1/agg2`.
    pub caption: String,
    pub svg: String,
    /// The switches drawn, by name.
    pub switches: Vec<String>,
}

/// What the diagrams need besides the view.
pub struct Context<'a, 'i> {
    pub inventory: &'i Inventory,
    pub view: &'a FabricView<'i>,
    pub intent: &'a Intent,
    /// Zone name → index in the inventory's `zones` (its colour).
    pub zone_index: &'a BTreeMap<String, usize>,
    /// Each chassis's blades ([`blades`]).
    pub blades: &'a BTreeMap<String, Blades>,
}

/// `Ethernet1/49` as `Eth1/49`.
pub fn short_port(port: &str) -> String {
    match port.strip_prefix("Ethernet") {
        Some(rest) => format!("Eth{rest}"),
        None => port.to_string(),
    }
}

/// Ports of one switch as short runs: `Eth1/1-2, Eth1/5` (`Eth1-2` for
/// ports of one number): ports whose names differ only in a consecutive
/// last number, except breakout lanes (three numbers), which are listed
/// one by one.
pub fn port_runs(ports: &[&Port]) -> String {
    let mut sorted: Vec<&Port> = ports.to_vec();
    sorted.sort();
    sorted.dedup();
    let runs_on = |p: &Port| p.numbers().len() <= 2;
    let next = |a: &Port, b: &Port| {
        let (a, b) = (a.numbers(), b.numbers());
        a.len() == b.len()
            && a[..a.len() - 1] == b[..b.len() - 1]
            && a[a.len() - 1] + 1 == b[b.len() - 1]
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let first = sorted[i];
        let mut j = i;
        while j + 1 < sorted.len() && runs_on(first) && next(sorted[j], sorted[j + 1]) {
            j += 1;
        }
        if j > i {
            let last = sorted[j].numbers();
            out.push(format!(
                "{}-{}",
                short_port(&first.to_string()),
                last[last.len() - 1]
            ));
        } else {
            out.push(short_port(&first.to_string()));
        }
        i = j + 1;
    }
    out.join(", ")
}

/// `tor1a Eth1/1-2 · tor1b Eth1/1-2`: ports grouped by switch.
pub fn port_refs_text(ports: &[PortRef]) -> String {
    let mut by_switch: BTreeMap<&str, Vec<&Port>> = BTreeMap::new();
    for port in ports {
        by_switch
            .entry(port.switch.as_str())
            .or_default()
            .push(&port.port.value);
    }
    by_switch
        .iter()
        .map(|(switch, ports)| format!("{switch} {}", port_runs(ports)))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The host-facing things cabled to a group, one per owner (a host with
/// two unbundled NICs is one box with both ports).
pub struct EdgeBox<'i> {
    pub label: String,
    pub owner: Owner<'i>,
    pub ports: Vec<PortRef>,
    pub edges: Vec<usize>,
}

pub fn edge_boxes<'i>(view: &FabricView<'i>, group: GroupId) -> Vec<EdgeBox<'i>> {
    let mut boxes: Vec<EdgeBox<'i>> = Vec::new();
    for (i, edge) in view.closure.edge_ports.iter().enumerate() {
        if edge.group != group {
            continue;
        }
        let label = edge.label();
        match boxes.iter_mut().find(|b| b.label == label) {
            Some(existing) => {
                existing.ports.extend(edge.ports.iter().cloned());
                existing.edges.push(i);
            }
            None => boxes.push(EdgeBox {
                label,
                owner: edge.owner,
                ports: edge.ports.clone(),
                edges: vec![i],
            }),
        }
    }
    boxes
}

/// The blades of a chassis: how many, and their zones (in inventory order).
#[derive(Default)]
pub struct Blades {
    pub hosts: usize,
    pub zones: BTreeSet<usize>,
}

/// Every chassis's blades, by chassis name, in one pass over the hosts.
pub fn blades(
    inventory: &Inventory,
    zone_index: &BTreeMap<String, usize>,
) -> BTreeMap<String, Blades> {
    let mut out: BTreeMap<String, Blades> = BTreeMap::new();
    for host in &inventory.hosts {
        if let Attachment::Chassis { chassis, .. } = &host.attachment {
            let blades = out.entry(chassis.value.clone()).or_default();
            blades.hosts += 1;
            blades
                .zones
                .extend(zone_index.get(host.zone.as_str()).copied());
        }
    }
    out
}

/// The zones of the hosts behind an owner, in inventory order.
fn owner_zones(ctx: &Context, owner: &Owner) -> Vec<usize> {
    match owner {
        Owner::Chassis(chassis) => ctx
            .blades
            .get(chassis.name.as_str())
            .map(|b| b.zones.iter().copied().collect())
            .unwrap_or_default(),
        Owner::Host(host) => ctx
            .zone_index
            .get(host.zone.as_str())
            .copied()
            .into_iter()
            .collect(),
        Owner::Endpoint(_) => Vec::new(),
    }
}

/// How many hosts an owner stands for (the blades of a chassis).
fn owner_hosts(ctx: &Context, owner: &Owner) -> usize {
    match owner {
        Owner::Chassis(chassis) => ctx.blades.get(chassis.name.as_str()).map_or(0, |b| b.hosts),
        Owner::Host(_) => 1,
        Owner::Endpoint(_) => 0,
    }
}

/// The port-channel an edge port's bundle is on its switch, and its vPC.
pub fn edge_bundle(intent: &Intent, edge: &EdgePort) -> Option<(u32, Option<u32>)> {
    let first = edge.ports.first()?;
    let device = device(intent, first.switch.as_str())?;
    let port = first.port.value.to_string();
    let number = device
        .interfaces
        .iter()
        .find(|i| i.name == port)?
        .channel_group?;
    let channel = device.port_channels.iter().find(|p| p.id == number)?;
    Some((number, channel.mlag_id))
}

/// The word for a pair of switches of `members`' platform ("vPC",
/// "MLAG"): a pair is one platform, so its first member names it.
pub fn pair_name(intent: &Intent, members: &[&str]) -> &'static str {
    members
        .first()
        .and_then(|m| device(intent, m))
        .map_or(Platform::default(), |d| d.platform)
        .pair_name()
}

/// The words for the fabric's pairs, one per platform that has pairs
/// (`vPC/MLAG` in a mixed fabric); the default platform's when there are
/// none.
pub fn pair_names(intent: &Intent) -> String {
    let names: BTreeSet<&str> = intent
        .devices
        .iter()
        .filter(|d| d.mlag.is_some())
        .map(|d| d.platform.pair_name())
        .collect();
    if names.is_empty() {
        return Platform::default().pair_name().to_string();
    }
    names.into_iter().collect::<Vec<_>>().join("/")
}

pub fn device<'a>(intent: &'a Intent, name: &str) -> Option<&'a crate::intent::DeviceIntent> {
    let i = intent
        .devices
        .binary_search_by(|d| d.name.as_str().cmp(name))
        .ok()?;
    Some(&intent.devices[i])
}

/// Cuts `text` to `chars` characters, with `…`.
fn fit(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut out: String = text.chars().take(chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn chars_in(width: f64) -> usize {
    (width / CHAR_W).floor().max(1.0) as usize
}

/// Where a member box is.
#[derive(Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// A cable between two groups, as drawn.
struct Cable {
    lower: (String, String),
    upper: (String, String),
}

struct Layout {
    svg: String,
    width: f64,
    height: f64,
}

/// Every block's diagram: one per gateway group, and one for switches
/// with no path to a gateway, if any.
pub fn diagrams(ctx: &Context) -> Vec<Diagram> {
    let topology = &ctx.view.topology;
    let mut blocks: BTreeMap<Option<GroupId>, Vec<GroupId>> = BTreeMap::new();
    for (id, group) in topology.groups.iter().enumerate() {
        let block = if group.gateway {
            Some(id)
        } else {
            topology.nearest[id].iter().next().copied()
        };
        blocks.entry(block).or_default().push(id);
    }
    // Gateway blocks first (by their first member's name), the
    // unconnected switches last.
    let mut ordered: Vec<(Option<GroupId>, Vec<GroupId>)> = blocks.into_iter().collect();
    ordered.sort_by_key(|(block, _)| {
        (
            block.is_none(),
            block.map(|g| topology.groups[g].members[0]),
        )
    });
    ordered
        .into_iter()
        .map(|(block, groups)| {
            let (file, caption) = match block {
                Some(g) => (
                    format!("topology-{}.svg", topology.groups[g].members[0]),
                    format!("aggregation block {}", topology.groups[g].label()),
                ),
                None => (
                    "topology-unconnected.svg".to_string(),
                    "switches with no path to a gateway".to_string(),
                ),
            };
            let switches = groups
                .iter()
                .flat_map(|g| topology.groups[*g].members.iter().map(|m| m.to_string()))
                .collect();
            let layout = draw(ctx, &groups, &caption);
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" font-family=\"sans-serif\" role=\"img\">\n<title>{}</title>\n<rect x=\"0\" y=\"0\" width=\"{w:.0}\" height=\"{h:.0}\" fill=\"#ffffff\"/>\n{}</svg>\n",
                escape(&format!("{}: {caption}", ctx.intent.fabric)),
                layout.svg,
                w = layout.width,
                h = layout.height,
            );
            Diagram {
                file,
                caption,
                svg,
                switches,
            }
        })
        .collect()
}

fn text_at(out: &mut String, x: f64, y: f64, size: u32, anchor: &str, extra: &str, text: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
        escape(text)
    );
}

fn line(out: &mut String, a: (f64, f64), b: (f64, f64), style: &str, title: &str) {
    let _ = writeln!(
        out,
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" {style}><title>{}</title></line>",
        a.0,
        a.1,
        b.0,
        b.1,
        escape(title)
    );
}

fn swatches(out: &mut String, x: f64, y: f64, zones: &[usize], names: &[String]) {
    for (i, zone) in zones.iter().enumerate() {
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"9\" height=\"9\" fill=\"{}\" stroke=\"#555555\" stroke-width=\"0.5\"><title>zone {}</title></rect>",
            x + i as f64 * 11.0,
            zone_colour(*zone),
            escape(names.get(*zone).map_or("", |s| s.as_str()))
        );
    }
}

fn draw(ctx: &Context, groups: &[GroupId], caption: &str) -> Layout {
    let topology = &ctx.view.topology;
    let zone_names: Vec<String> = ctx
        .inventory
        .zones
        .iter()
        .map(|z| z.name.value.clone())
        .collect();
    let in_block: BTreeSet<GroupId> = groups.iter().copied().collect();
    // Tiers by distance to the gateways (unconnected: one tier).
    let mut tiers: BTreeMap<u32, Vec<GroupId>> = BTreeMap::new();
    for &g in groups {
        tiers
            .entry(topology.distance[g].unwrap_or(0))
            .or_default()
            .push(g);
    }
    let neighbours = |g: GroupId| -> Vec<GroupId> {
        topology
            .bundles
            .keys()
            .filter_map(|&(a, b)| {
                if a == g {
                    Some(b)
                } else if b == g {
                    Some(a)
                } else {
                    None
                }
            })
            .filter(|n| in_block.contains(n))
            .collect()
    };
    // Order each tier by the positions of the pairs above it.
    let mut position: BTreeMap<GroupId, usize> = BTreeMap::new();
    let mut ordered_tiers: Vec<Vec<GroupId>> = Vec::new();
    for (_, mut tier) in tiers {
        tier.sort_by_key(|g| {
            let above = neighbours(*g)
                .iter()
                .filter_map(|n| position.get(n).copied())
                .min()
                .unwrap_or(usize::MAX);
            (above, *g)
        });
        for (i, g) in tier.iter().enumerate() {
            position.insert(*g, i);
        }
        ordered_tiers.push(tier);
    }
    let has_children = |g: GroupId| -> bool {
        let d = topology.distance[g];
        neighbours(g)
            .iter()
            .any(|n| topology.distance[*n].is_some() && topology.distance[*n] > d)
    };
    let group_w = |g: GroupId| -> f64 {
        if topology.groups[g].is_pair() {
            2.0 * MEMBER_W + PEER_GAP
        } else {
            MEMBER_W
        }
    };
    // Cables between groups of the block; the lower end is the one farther
    // from the gateways (or the later one in its tier).
    let mut cables: Vec<Cable> = Vec::new();
    for ((a, b), links) in &topology.bundles {
        if !in_block.contains(a) || !in_block.contains(b) {
            continue;
        }
        let rank = |g: &GroupId| (topology.distance[*g], position.get(g).copied());
        let lower_group = if rank(a) >= rank(b) { *a } else { *b };
        for link in links {
            let [x, y] = &link.ends;
            let (lower, upper) = if topology.group_of.get(x.switch.as_str()) == Some(&lower_group) {
                (x, y)
            } else {
                (y, x)
            };
            cables.push(Cable {
                lower: (lower.switch.value.clone(), lower.port.value.to_string()),
                upper: (upper.switch.value.clone(), upper.port.value.to_string()),
            });
        }
    }
    cables.sort_by(|a, b| {
        (&a.lower.0, port_key(&a.lower.1)).cmp(&(&b.lower.0, port_key(&b.lower.1)))
    });
    let externals: Vec<_> = ctx
        .inventory
        .external
        .iter()
        .filter(|e| {
            topology
                .group_of
                .get(e.switch.as_str())
                .is_some_and(|g| in_block.contains(g))
        })
        .collect();
    // Label lines above each member: its cables up, or its external links.
    let mut labels: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for cable in &cables {
        labels
            .entry(cable.lower.0.clone())
            .or_default()
            .push(format!(
                "{} → {} {}",
                short_port(&cable.lower.1),
                cable.upper.0,
                short_port(&cable.upper.1)
            ));
    }
    for external in &externals {
        labels
            .entry(external.switch.value.clone())
            .or_default()
            .push(format!(
                "{} → {} {}",
                short_port(&external.port.value.to_string()),
                external.next_hop.value,
                external.vrf()
            ));
    }

    // Widths of each group's column and heights of each tier.
    let edges_of: BTreeMap<GroupId, Vec<EdgeBox>> = groups
        .iter()
        .map(|g| (*g, edge_boxes(ctx.view, *g)))
        .collect();
    let column_w = |g: GroupId| -> f64 {
        let inner = group_w(g);
        let edges = edges_of[&g].len();
        if edges == 0 {
            inner
        } else if has_children(g) {
            inner + 30.0 + EDGE_W
        } else {
            inner.max(2.0 * EDGE_W + 30.0)
        }
    };
    let tier_widths: Vec<f64> = ordered_tiers
        .iter()
        .map(|tier| {
            tier.iter().map(|g| column_w(*g)).sum::<f64>()
                + GROUP_GAP * tier.len().saturating_sub(1) as f64
        })
        .collect();
    let width = tier_widths.iter().copied().fold(MEMBER_W, f64::max) + 2.0 * MARGIN;

    let mut out = String::new();
    let mut boxes: BTreeMap<String, Rect> = BTreeMap::new();
    let mut y = MARGIN;
    let core_y = y;
    if !externals.is_empty() {
        y += CORE_H + TIER_GAP;
    }
    let mut edge_drawing = String::new();
    for (t, tier) in ordered_tiers.iter().enumerate() {
        let label_lines = tier
            .iter()
            .flat_map(|g| topology.groups[*g].members.iter())
            .map(|m| labels.get(*m).map_or(0, |l| l.len()))
            .max()
            .unwrap_or(0);
        let label_h = label_lines as f64 * LABEL_LINE + if label_lines > 0 { 6.0 } else { 0.0 };
        let top = y + label_h;
        let mut x = MARGIN + (width - 2.0 * MARGIN - tier_widths[t]) / 2.0;
        let mut tier_h = MEMBER_H;
        for &g in tier {
            let group = &topology.groups[g];
            let inner = group_w(g);
            let col = column_w(g);
            let gx = x + if has_children(g) {
                0.0
            } else {
                (col - inner) / 2.0
            };
            // The pair's outline, then each member.
            if group.is_pair() {
                let _ = writeln!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{inner:.1}\" height=\"{:.1}\" rx=\"8\" fill=\"none\" stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"><title>{}</title></rect>",
                    gx - 6.0,
                    top - 6.0,
                    MEMBER_H + 12.0,
                    escape(&format!(
                        "{} pair {}",
                        pair_name(ctx.intent, &group.members),
                        group.label()
                    ))
                );
            }
            let zones: Vec<usize> = ctx.view.closure.carried[g]
                .keys()
                .filter_map(|c| match c {
                    Carrier::Zone(z) => ctx.zone_index.get(*z).copied(),
                    Carrier::Endpoint(_) => None,
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            for (i, member) in group.members.iter().enumerate() {
                let rect = Rect {
                    x: gx + i as f64 * (MEMBER_W + PEER_GAP),
                    y: top,
                    w: MEMBER_W,
                    h: MEMBER_H,
                };
                draw_member(
                    &mut out,
                    ctx,
                    member,
                    group.gateway,
                    rect,
                    &zones,
                    &zone_names,
                );
                if let Some(lines) = labels.get(*member) {
                    for (k, text) in lines.iter().enumerate() {
                        text_at(
                            &mut out,
                            rect.x + 2.0,
                            top - 6.0 - (lines.len() - 1 - k) as f64 * LABEL_LINE - 2.0,
                            9,
                            "start",
                            " font-family=\"monospace\" fill=\"#333333\"",
                            &fit(text, chars_in(MEMBER_W + PEER_GAP / 2.0 - 4.0)),
                        );
                    }
                }
                boxes.insert(member.to_string(), rect);
            }
            if group.is_pair() {
                draw_peer_link(
                    &mut out,
                    ctx,
                    g,
                    boxes[group.members[0]],
                    boxes[group.members[1]],
                );
            }
            // Chassis, hosts and endpoints.
            let edges = &edges_of[&g];
            if !edges.is_empty() {
                let members: Vec<Rect> = group.members.iter().map(|m| boxes[*m]).collect();
                let h = draw_edges(
                    &mut edge_drawing,
                    ctx,
                    edges,
                    &members,
                    has_children(g),
                    (x, col),
                    &zone_names,
                );
                tier_h = tier_h.max(h);
            }
            x += col + GROUP_GAP;
        }
        y = top + tier_h + TIER_GAP;
    }
    // Cables: spread over the top of the lower box (above its labels) and
    // the bottom of the upper one, in the order of the lower ends.
    let mut lower_count: BTreeMap<&str, usize> = BTreeMap::new();
    for cable in &cables {
        *lower_count.entry(cable.lower.0.as_str()).or_default() += 1;
    }
    let mut lower_seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut arrivals: BTreeMap<&str, Vec<(f64, usize)>> = BTreeMap::new();
    let mut starts: Vec<(f64, f64)> = Vec::new();
    for (i, cable) in cables.iter().enumerate() {
        let (Some(lower), Some(_)) = (boxes.get(&cable.lower.0), boxes.get(&cable.upper.0)) else {
            starts.push((0.0, 0.0));
            continue;
        };
        let n = lower_count[cable.lower.0.as_str()];
        let k = lower_seen.entry(cable.lower.0.as_str()).or_default();
        let sx = lower.x + (*k as f64 + 1.0) * lower.w / (n as f64 + 1.0);
        *k += 1;
        let lines = labels.get(&cable.lower.0).map_or(0, |l| l.len());
        let sy = lower.y - 6.0 - lines as f64 * LABEL_LINE - 4.0;
        starts.push((sx, sy));
        arrivals
            .entry(cable.upper.0.as_str())
            .or_default()
            .push((sx, i));
    }
    let mut ends: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for (upper, mut list) in arrivals {
        let rect = boxes[upper];
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let n = list.len();
        for (k, (_, i)) in list.into_iter().enumerate() {
            ends.insert(
                i,
                (
                    rect.x + (k as f64 + 1.0) * rect.w / (n as f64 + 1.0),
                    rect.y + rect.h,
                ),
            );
        }
    }
    let mut cable_drawing = String::new();
    for (i, cable) in cables.iter().enumerate() {
        let Some(end) = ends.get(&i) else { continue };
        line(
            &mut cable_drawing,
            starts[i],
            *end,
            "stroke=\"#4a6fa5\" stroke-width=\"1.2\"",
            &format!(
                "{} {} – {} {}",
                cable.lower.0, cable.lower.1, cable.upper.0, cable.upper.1
            ),
        );
    }
    // The core: one box over the gateways, a line per external link.
    let mut core = String::new();
    if !externals.is_empty() {
        let gateway_boxes: Vec<Rect> = externals
            .iter()
            .filter_map(|e| boxes.get(e.switch.as_str()).copied())
            .collect();
        let left = gateway_boxes.iter().map(|r| r.x).fold(f64::MAX, f64::min);
        let right = gateway_boxes
            .iter()
            .map(|r| r.x + r.w)
            .fold(f64::MIN, f64::max);
        let hops: BTreeSet<String> = externals
            .iter()
            .map(|e| e.next_hop.value.to_string())
            .collect();
        let _ = writeln!(
            core,
            "<g><title>{}</title><rect x=\"{left:.1}\" y=\"{core_y:.1}\" width=\"{:.1}\" height=\"{CORE_H:.1}\" rx=\"18\" fill=\"#fff7e6\" stroke=\"#c98a1b\"/>",
            escape(&format!("core / external next hops: {}", hops.iter().cloned().collect::<Vec<_>>().join(", "))),
            right - left
        );
        text_at(
            &mut core,
            (left + right) / 2.0,
            core_y + CORE_H / 2.0 + 4.0,
            12,
            "middle",
            " font-weight=\"bold\"",
            &fit("core (external links)", chars_in(right - left)),
        );
        core.push_str("</g>\n");
        let mut per_switch: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for e in &externals {
            per_switch.entry(e.switch.as_str()).or_default().1 += 1;
        }
        for e in &externals {
            let Some(rect) = boxes.get(e.switch.as_str()) else {
                continue;
            };
            let (k, n) = per_switch
                .get_mut(e.switch.as_str())
                .map(|c| {
                    c.0 += 1;
                    (c.0, c.1)
                })
                .unwrap_or((1, 1));
            let lines = labels.get(e.switch.as_str()).map_or(0, |l| l.len());
            let x = rect.x + k as f64 * rect.w / (n as f64 + 1.0);
            line(
                &mut core,
                (x, rect.y - 6.0 - lines as f64 * LABEL_LINE - 4.0),
                (x, core_y + CORE_H),
                "stroke=\"#c98a1b\" stroke-width=\"1.2\"",
                &format!(
                    "{} {} {} → {} (VRF {})",
                    e.switch.value,
                    e.port.value,
                    e.address.value,
                    e.next_hop.value,
                    e.vrf()
                ),
            );
        }
    }
    // Legend: the zones drawn in this block.
    let mut legend = String::new();
    let drawn: BTreeSet<usize> = groups
        .iter()
        .flat_map(|g| ctx.view.closure.carried[*g].keys())
        .filter_map(|c| match c {
            Carrier::Zone(z) => ctx.zone_index.get(*z).copied(),
            Carrier::Endpoint(_) => None,
        })
        .collect();
    let legend_y = y - TIER_GAP + 30.0;
    text_at(
        &mut legend,
        MARGIN,
        legend_y,
        11,
        "start",
        " font-weight=\"bold\"",
        &fit(caption, 60),
    );
    let mut lx = MARGIN;
    let ly = legend_y + 16.0;
    for zone in &drawn {
        let name = zone_names.get(*zone).cloned().unwrap_or_default();
        swatches(&mut legend, lx, ly - 8.0, &[*zone], &zone_names);
        text_at(
            &mut legend,
            lx + 13.0,
            ly,
            10,
            "start",
            "",
            &format!("zone {name}"),
        );
        lx += 13.0 + (name.chars().count() as f64 + 6.0) * 6.0 + 12.0;
    }
    line(
        &mut legend,
        (lx, ly - 4.0),
        (lx + 30.0, ly - 4.0),
        "stroke=\"#4a6fa5\" stroke-width=\"1.2\"",
        "cable",
    );
    text_at(
        &mut legend,
        lx + 34.0,
        ly,
        10,
        "start",
        "",
        "cable (ports at its lower end)",
    );
    lx += 220.0;
    line(
        &mut legend,
        (lx, ly - 6.0),
        (lx + 30.0, ly - 6.0),
        "stroke=\"#2d6a4f\" stroke-width=\"1.5\"",
        "peer-link",
    );
    line(
        &mut legend,
        (lx, ly - 2.0),
        (lx + 30.0, ly - 2.0),
        "stroke=\"#2d6a4f\" stroke-width=\"1.5\"",
        "peer-link",
    );
    let peer_link = format!("{} peer-link", pair_names(ctx.intent));
    text_at(&mut legend, lx + 34.0, ly, 10, "start", "", &peer_link);
    let height = ly + 20.0;
    let width = width.max(lx + 150.0);
    Layout {
        svg: format!("{core}{cable_drawing}{out}{edge_drawing}{legend}"),
        width,
        height,
    }
}

/// Sorts `Ethernet1/2` before `Ethernet1/10`.
fn port_key(port: &str) -> Vec<u32> {
    port.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

fn draw_member(
    out: &mut String,
    ctx: &Context,
    name: &str,
    gateway: bool,
    rect: Rect,
    zones: &[usize],
    zone_names: &[String],
) {
    let device = device(ctx.intent, name);
    let model = device.and_then(|d| d.model.clone()).unwrap_or_default();
    let role = device.map_or("", |d| d.role.as_str());
    let fill = if gateway { "#dbe8f7" } else { "#eef0f2" };
    let _ = writeln!(
        out,
        "<g><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"{fill}\" stroke=\"#34495e\"/>",
        escape(&format!("switch {name} ({role}{}{})", if model.is_empty() { "" } else { ", " }, model)),
        rect.x,
        rect.y,
        rect.w,
        rect.h
    );
    text_at(
        out,
        rect.x + 8.0,
        rect.y + 16.0,
        12,
        "start",
        " font-weight=\"bold\"",
        &fit(name, chars_in(rect.w - 16.0) * 5 / 7),
    );
    text_at(
        out,
        rect.x + 8.0,
        rect.y + 29.0,
        9,
        "start",
        " fill=\"#555555\"",
        &fit(&model, chars_in(rect.w - 16.0)),
    );
    swatches(out, rect.x + 8.0, rect.y + rect.h - 13.0, zones, zone_names);
    out.push_str("</g>\n");
}

fn draw_peer_link(out: &mut String, ctx: &Context, group: GroupId, a: Rect, b: Rect) {
    let topology = &ctx.view.topology;
    let members = &topology.groups[group].members;
    let links = topology.peer_links.get(&group);
    let mut ports: BTreeMap<&str, Vec<&Port>> = BTreeMap::new();
    for link in links.into_iter().flatten() {
        for end in &link.ends {
            ports
                .entry(end.switch.as_str())
                .or_default()
                .push(&end.port.value);
        }
    }
    let texts: Vec<String> = members
        .iter()
        .map(|m| port_runs(ports.get(m).map(|p| p.as_slice()).unwrap_or(&[])))
        .collect();
    let first = device(ctx.intent, members[0]);
    let number = first.and_then(|d| d.mlag.as_ref()).map(|m| m.peer_link);
    let channel = first
        .zip(number)
        .map(|(d, n)| d.platform.port_channel_name(n));
    let y = a.y + a.h / 2.0;
    let title = format!(
        "{} peer-link {} – {}{}: {} {} / {} {}",
        pair_name(ctx.intent, members),
        members[0],
        members[1],
        channel.map(|name| format!(" ({name})")).unwrap_or_default(),
        members[0],
        texts[0],
        members[1],
        texts[1]
    );
    if links.is_none() {
        return;
    }
    for dy in [-2.0, 2.0] {
        line(
            out,
            (a.x + a.w, y + dy),
            (b.x, y + dy),
            "stroke=\"#2d6a4f\" stroke-width=\"1.5\"",
            &title,
        );
    }
    let mid = (a.x + a.w + b.x) / 2.0;
    let caption = match number {
        Some(n) => format!("peer-link Po{n}"),
        None => "peer-link".to_string(),
    };
    text_at(
        out,
        mid,
        y - 7.0,
        9,
        "middle",
        " fill=\"#2d6a4f\"",
        &caption,
    );
    let ports_text = if texts[0] == texts[1] {
        texts[0].clone()
    } else {
        format!("{} / {}", texts[0], texts[1])
    };
    text_at(
        out,
        mid,
        y + 14.0,
        9,
        "middle",
        " font-family=\"monospace\" fill=\"#2d6a4f\"",
        &fit(&ports_text, chars_in(b.x - a.x - a.w - 4.0)),
    );
}

/// Draws a group's chassis, hosts and endpoints: below it on two sides of
/// one vertical line, or to its right when pairs hang below it. Returns
/// the height used below the top of the member boxes.
fn draw_edges(
    out: &mut String,
    ctx: &Context,
    edges: &[EdgeBox],
    members: &[Rect],
    beside: bool,
    (column_x, column_w): (f64, f64),
    zone_names: &[String],
) -> f64 {
    let first = members[0];
    let last = members[members.len() - 1];
    let mut places: Vec<(f64, f64)> = Vec::new();
    let trunk_x;
    let trunk_top;
    if beside {
        trunk_x = last.x + last.w + 15.0;
        trunk_top = last.y + last.h / 2.0;
        line(
            out,
            (last.x + last.w, trunk_top),
            (trunk_x, trunk_top),
            "stroke=\"#777777\"",
            "host-facing ports",
        );
        for i in 0..edges.len() {
            places.push((trunk_x + 15.0, first.y + i as f64 * (EDGE_H + EDGE_GAP)));
        }
    } else {
        trunk_x = column_x + column_w / 2.0;
        trunk_top = first.y + first.h + 14.0;
        for member in members {
            line(
                out,
                (member.x + member.w / 2.0, member.y + member.h),
                (trunk_x, trunk_top),
                "stroke=\"#777777\"",
                "host-facing ports",
            );
        }
        for i in 0..edges.len() {
            let row = (i / 2) as f64;
            let x = if i % 2 == 0 {
                trunk_x - 15.0 - EDGE_W
            } else {
                trunk_x + 15.0
            };
            places.push((x, trunk_top + 12.0 + row * (EDGE_H + EDGE_GAP)));
        }
    }
    let bottom = places
        .iter()
        .map(|p| p.1 + EDGE_H / 2.0)
        .fold(trunk_top, f64::max);
    line(
        out,
        (trunk_x, trunk_top),
        (trunk_x, bottom),
        "stroke=\"#777777\"",
        "host-facing ports",
    );
    for (edge, (x, y)) in edges.iter().zip(&places) {
        let near = if *x > trunk_x { *x } else { *x + EDGE_W };
        line(
            out,
            (trunk_x, y + EDGE_H / 2.0),
            (near, y + EDGE_H / 2.0),
            "stroke=\"#777777\"",
            &edge.label,
        );
        let zones = owner_zones(ctx, &edge.owner);
        let fill = match zones.first() {
            Some(zone) if zones.len() == 1 => zone_colour(*zone),
            _ => "#ffffff",
        };
        let ports = port_refs_text(&edge.ports);
        let hosts = owner_hosts(ctx, &edge.owner);
        let bundles: Vec<String> = edge
            .edges
            .iter()
            .filter_map(|i| {
                let edge = &ctx.view.closure.edge_ports[*i];
                let switch = edge.ports.first().map(|p| p.switch.as_str());
                let pair = pair_name(ctx.intent, switch.as_slice());
                edge_bundle(ctx.intent, edge).map(|bundle| (bundle, pair))
            })
            .map(|((po, vpc), pair)| match vpc {
                Some(v) => format!("{pair} {v}"),
                None => format!("Po{po}"),
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut third = Vec::new();
        if bundles.is_empty() {
            third.push("no LAG".to_string());
        } else {
            third.push(bundles.join(", "));
        }
        match &edge.owner {
            Owner::Chassis(_) => third.push(format!("{hosts} hosts")),
            Owner::Endpoint(e) => third.push(
                e.segments
                    .iter()
                    .map(|s| s.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Owner::Host(_) => {}
        }
        let description = edge.owner.description().unwrap_or_default();
        let _ = writeln!(
            out,
            "<g><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{EDGE_W:.1}\" height=\"{EDGE_H:.1}\" rx=\"3\" fill=\"{fill}\" stroke=\"#555555\"/>",
            escape(&format!("{} {description}: {ports}", edge.label)),
        );
        text_at(
            out,
            x + 6.0,
            y + 12.0,
            10,
            "start",
            " font-weight=\"bold\"",
            &fit(&edge.label, chars_in(EDGE_W - 12.0) * 5 / 6),
        );
        text_at(
            out,
            x + 6.0,
            y + 24.0,
            9,
            "start",
            " font-family=\"monospace\"",
            &fit(&ports, chars_in(EDGE_W - 12.0)),
        );
        text_at(
            out,
            x + 6.0,
            y + 35.0,
            9,
            "start",
            " fill=\"#333333\"",
            &fit(&third.join(" · "), chars_in(EDGE_W - 40.0)),
        );
        if zones.len() > 1 {
            swatches(
                out,
                x + EDGE_W - 6.0 - zones.len() as f64 * 11.0,
                y + 27.0,
                &zones,
                zone_names,
            );
        }
        out.push_str("</g>\n");
    }
    bottom + EDGE_H / 2.0 + 6.0 - first.y
}

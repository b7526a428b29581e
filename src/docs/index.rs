//! The index page: the fabric at a glance (topology per aggregation block,
//! switches, segments, mobility, policy, budget headroom).

use super::doc::{code, switch_link, text, vlan_list, Block, Inline, Line, Link, Page};
use super::Input;
use crate::compile::closure::{Carrier, Owner};
use crate::compile::topology::GroupId;
use crate::policy::SegmentId;
use std::collections::{BTreeMap, BTreeSet};

/// Above this many segments and the Internet, a VRF's policy is listed
/// pair by pair instead of drawn as a matrix (a 100-segment VRF would be
/// 10,000 mostly empty cells).
const MATRIX_MAX: usize = 24;

/// Above this many, a cell names switches as runs (`b0-t1a–b0-t9b`)
/// instead of one link each.
const LINKS_MAX: usize = 12;

pub fn page(input: &Input) -> Page {
    let mut page = Page {
        switch: None,
        title: format!("Fabric {}", input.intent.fabric),
        blocks: Vec::new(),
    };
    summary(input, &mut page);
    topology(input, &mut page);
    switches(input, &mut page);
    segments(input, &mut page);
    mobility(input, &mut page);
    policy(input, &mut page);
    budget(input, &mut page);
    page
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(input: &Input, page: &mut Page) {
    let inventory = input.inventory;
    let pairs = input
        .view
        .topology
        .groups
        .iter()
        .filter(|g| g.is_pair())
        .count();
    page.paragraph(vec![
        text(format!(
            "{} ({} {}), {}, {}, {}, {}, {}, {}. Inventory: ",
            plural(input.intent.devices.len(), "switch", "switches"),
            plural(pairs, "pair", "pairs"),
            super::svg::pair_names(input.intent),
            plural(inventory.chassis.len(), "chassis", "chassis"),
            plural(inventory.hosts.len(), "host", "hosts"),
            plural(inventory.endpoints.len(), "endpoint", "endpoints"),
            plural(inventory.zones.len(), "zone", "zones"),
            plural(inventory.segments.len(), "segment", "segments"),
            plural(input.policy.rules.len(), "policy rule", "policy rules"),
        )),
        code(inventory.dir.display().to_string()),
        text("."),
    ]);
    if let Some(running) = input.running {
        let changed = running.plans.values().filter(|p| p.has_changes()).count();
        let commands: usize = running.plans.values().map(|p| p.commands.len()).sum();
        page.paragraph(vec![
            text("Against the running configs in "),
            code(&running.dir),
            text(format!(
                ": {} of {} to change ({}). {}",
                changed,
                plural(running.plans.len(), "switch", "switches"),
                plural(commands, "command", "commands"),
                crate::verify::report::headline(&running.report)
            )),
        ]);
    }
}

fn topology(input: &Input, page: &mut Page) {
    page.heading(2, "Topology", "topology");
    page.paragraph(vec![text(
        "One diagram per aggregation block: the core on top, then the gateway pair, the pairs below it by distance, and the chassis, rack hosts and endpoints cabled to each pair. Each cable's ports are written above its lower end; colours are zones. Hover for details.",
    )]);
    for diagram in input.diagrams {
        page.blocks.push(Block::Diagram {
            file: diagram.file.clone(),
            svg: diagram.svg.clone(),
            caption: format!("Topology of {}", diagram.caption),
        });
    }
}

/// The zones a group carries VLANs for, as swatches and names.
pub fn zones_of(input: &Input, group: GroupId) -> Line {
    let mut line = Vec::new();
    for carrier in input.view.closure.carried[group].keys() {
        if let Carrier::Zone(zone) = carrier {
            if !line.is_empty() {
                line.push(text(" "));
            }
            if let Some(i) = input.zone_index.get(*zone) {
                line.push(Inline::Swatch(*i));
            }
            line.push(text(*zone));
        }
    }
    line
}

fn switches(input: &Input, page: &mut Page) {
    page.heading(2, "Switches", "switches");
    let mut head = vec![
        "switch",
        "role",
        "model",
        "pair",
        "mgmt",
        "VLANs",
        "zones",
        "description",
    ];
    if input.running.is_some() {
        head.extend(["plan", "findings"]);
    }
    let mut rows = Vec::new();
    for device in &input.intent.devices {
        let switch = input.view.index.switches.get(device.name.as_str());
        let group = input.view.topology.group_of[device.name.as_str()];
        let mut row = vec![
            vec![switch_link(&device.name)],
            vec![text(device.role.as_str())],
            vec![text(device.model.clone().unwrap_or_default())],
            device
                .mlag
                .as_ref()
                .map(|m| vec![switch_link(&m.peer)])
                .unwrap_or_default(),
            vec![text(
                switch
                    .and_then(|s| s.mgmt.as_ref())
                    .map(|m| m.value.clone())
                    .unwrap_or_default(),
            )],
            vec![text(device.vlans.len().to_string())],
            zones_of(input, group),
            vec![text(device.description.clone().unwrap_or_default())],
        ];
        if let Some(running) = input.running {
            let plan = running.plans.get(&device.name);
            row.push(vec![text(match plan {
                Some(p) if p.has_changes() => plural(p.commands.len(), "command", "commands"),
                Some(_) => "no changes".to_string(),
                None => String::new(),
            })]);
            let findings = running
                .report
                .findings
                .iter()
                .filter(|f| f.switches.contains(&device.name))
                .count();
            row.push(vec![text(findings.to_string())]);
        }
        rows.push(row);
    }
    page.table(&head, rows);
}

/// Switch names as links, or as runs when there are many.
pub fn switch_names(names: &[&str]) -> Line {
    if names.len() > LINKS_MAX {
        return vec![text(format!(
            "{} switches: {}",
            names.len(),
            crate::verify::name_ranges(names)
        ))];
    }
    let mut line = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            line.push(text(", "));
        }
        line.push(switch_link(name));
    }
    line
}

/// Each routed segment's gateway as the switches have it: the first-hop
/// virtual address of its SVIs, or a single gateway's own address.
fn gateways<'a>(input: &Input<'a, '_>) -> BTreeMap<&'a str, String> {
    let mut out = BTreeMap::new();
    for device in &input.intent.devices {
        for svi in &device.svis {
            out.entry(svi.segment.as_str())
                .or_insert_with(|| match &svi.fhrp {
                    Some(f) => f.virtual_ip.clone(),
                    None => svi
                        .address
                        .split('/')
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                });
        }
    }
    out
}

fn segments(input: &Input, page: &mut Page) {
    page.heading(2, "Segments", "segments");
    let mut carriers: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    for device in &input.intent.devices {
        for vlan in &device.vlans {
            carriers.entry(vlan.id).or_default().push(&device.name);
        }
    }
    let gateways = gateways(input);
    let mut rows = Vec::new();
    for segment in &input.inventory.segments {
        let zones: Vec<&str> = input
            .inventory
            .zones
            .iter()
            .filter(|z| z.segments.iter().any(|s| s.value == segment.name.value))
            .map(|z| z.name.as_str())
            .collect();
        let mut zone_line = Vec::new();
        for zone in &zones {
            if !zone_line.is_empty() {
                zone_line.push(text(" "));
            }
            if let Some(i) = input.zone_index.get(*zone) {
                zone_line.push(Inline::Swatch(*i));
            }
            zone_line.push(text(*zone));
        }
        let mut name = vec![
            Inline::Anchor(format!("segment-{}", segment.name.value)),
            text(segment.name.value.clone()),
        ];
        if let Some(description) = &segment.description {
            name.push(Inline::Break);
            name.push(text(description.value.clone()));
        }
        let switches = carriers
            .get(&segment.vlan_id())
            .map(|s| switch_names(s))
            .unwrap_or_default();
        rows.push(vec![
            name,
            vec![text(segment.vlan_id().to_string())],
            vec![code(
                segment
                    .subnet
                    .as_ref()
                    .map(|s| s.value.to_string())
                    .unwrap_or_default(),
            )],
            vec![match gateways.get(segment.name.as_str()) {
                Some(gateway) => code(gateway.clone()),
                None => text(if segment.routed { "" } else { "not routed" }),
            }],
            vec![text(if segment.routed { segment.vrf() } else { "" })],
            vec![text(
                crate::compile::segment_mtu(input.inventory, segment).to_string(),
            )],
            zone_line,
            switches,
        ]);
    }
    page.table(
        &[
            "segment", "VLAN", "subnet", "gateway", "VRF", "MTU", "zones", "switches",
        ],
        rows,
    );
}

/// What a carrier brings to a group, as a cell: its VLANs, and the hosts
/// (or the endpoint) below that need them.
pub fn carried_cell(input: &Input, carrier: &Carrier, group: GroupId) -> Line {
    let Some(carried) = input.view.closure.carried[group].get(carrier) else {
        return Vec::new();
    };
    let mut line = vec![
        text("VLANs "),
        code(vlan_list(carried.vlans.iter().copied())),
    ];
    line.push(Inline::Break);
    let via = owners_text(input, carried.edges.iter().copied());
    match carrier {
        Carrier::Zone(_) => {
            let hosts: Vec<&str> = carried.hosts.iter().copied().collect();
            line.push(text(format!(
                "for {}: {}",
                plural(hosts.len(), "host", "hosts"),
                crate::verify::name_ranges(&hosts)
            )));
            line.push(Inline::Break);
            line.push(text(format!("via {via}")));
        }
        Carrier::Endpoint(_) => {
            line.push(text(format!("for {via}")));
        }
    }
    line
}

/// `chassis enc1–enc2, hosts kvm01–kvm06`: the owners of edge ports, by
/// kind, each kind's names as runs.
fn owners_text(input: &Input, edges: impl Iterator<Item = usize>) -> String {
    let mut by_kind: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in edges {
        let (kind, name) = match input.view.closure.edge_ports[edge].owner {
            Owner::Chassis(c) => ("chassis", c.name.as_str()),
            Owner::Host(h) => ("host", h.name.as_str()),
            Owner::Endpoint(e) => ("endpoint", e.name.as_str()),
        };
        by_kind.entry(kind).or_default().insert(name);
    }
    by_kind
        .iter()
        .map(|(kind, names)| {
            let names: Vec<&str> = names.iter().copied().collect();
            let noun = match (*kind, names.len()) {
                ("chassis", _) => "chassis",
                (kind, 1) => kind,
                ("host", _) => "hosts",
                _ => "endpoints",
            };
            format!("{noun} {}", crate::verify::name_ranges(&names))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn carrier_name(carrier: &Carrier) -> String {
    match carrier {
        Carrier::Zone(z) => format!("zone {z}"),
        Carrier::Endpoint(e) => format!("endpoint {e}"),
    }
}

fn mobility(input: &Input, page: &mut Page) {
    page.heading(2, "Mobility", "mobility");
    page.paragraph(vec![text(
        "Which VLANs each switch carries for which zone, and why: the hosts below it that may run the zone's VMs (a VLAN goes from every host port of a zone up to the zone's gateways, and nowhere else). Endpoints bring their own segments.",
    )]);
    let topology = &input.view.topology;
    for diagram in input.diagrams {
        let groups: BTreeSet<GroupId> = diagram
            .switches
            .iter()
            .filter_map(|s| topology.group_of.get(s.as_str()).copied())
            .collect();
        let carriers: BTreeSet<&Carrier> = groups
            .iter()
            .flat_map(|g| input.view.closure.carried[*g].keys())
            .collect();
        if carriers.is_empty() {
            continue;
        }
        page.heading(
            3,
            &format!("Mobility in {}", diagram.caption),
            &format!("mobility-{}", diagram.file.trim_end_matches(".svg")),
        );
        let mut head: Vec<String> = vec!["switch".to_string()];
        head.extend(carriers.iter().map(|c| carrier_name(c)));
        let mut rows = Vec::new();
        for switch in &diagram.switches {
            let group = topology.group_of[switch.as_str()];
            let mut row = vec![vec![switch_link(switch)]];
            for carrier in &carriers {
                row.push(carried_cell(input, carrier, group));
            }
            rows.push(row);
        }
        let head: Vec<&str> = head.iter().map(String::as_str).collect();
        page.table(&head, rows);
    }
}

/// `https, dns (policy.yml:9)` linking to the rule's row.
fn rule_link(input: &Input, index: usize) -> Inline {
    let rule = input.policy.rules.iter().find(|r| r.index == index);
    let (allow, loc) = match rule {
        Some(r) => (
            r.rule
                .allow
                .iter()
                .map(|a| a.value.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            r.rule.loc,
        ),
        None => return text(""),
    };
    let path = input.sources.path(loc.file);
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    Inline::Link(Link {
        page: None,
        anchor: Some(format!("rule-{index}")),
        text: format!("{allow} ({file}:{})", loc.line),
        title: Some(input.sources.describe(loc)),
    })
}

fn policy(input: &Input, page: &mut Page) {
    page.heading(2, "Policy", "policy");
    page.paragraph(vec![text(
        "What each segment may open towards each other segment and the Internet (rows: from, columns: to), per VRF; each entry links to its rule. Everything else between segments is denied; traffic inside a segment is not filtered.",
    )]);
    let policy = input.policy;
    let mut by_vrf: BTreeMap<&str, Vec<SegmentId>> = BTreeMap::new();
    for (id, segment) in policy.segments.iter().enumerate() {
        by_vrf
            .entry(segment.segment.vrf())
            .or_default()
            .push(id as SegmentId);
    }
    // Per (from, to) end (a segment, or None for the Internet): the rules
    // that allow something there, in file order, from one pass over the
    // rules (a cell-by-cell scan would be cells × rules).
    let mut allowed: BTreeMap<(Option<SegmentId>, Option<SegmentId>), Vec<usize>> = BTreeMap::new();
    for rule in &policy.rules {
        let ends = |e: &crate::policy::Ends| -> Vec<Option<SegmentId>> {
            e.segments
                .iter()
                .map(|s| Some(*s))
                .chain(e.internet.then_some(None))
                .collect()
        };
        for from in ends(&rule.from) {
            for to in ends(&rule.to) {
                if from != to {
                    allowed.entry((from, to)).or_default().push(rule.index);
                }
            }
        }
    }
    let name = |end: Option<SegmentId>| -> String {
        end.map_or("internet".to_string(), |s| {
            policy.segments[s as usize].name().to_string()
        })
    };
    for (vrf, segments) in &by_vrf {
        let ends: Vec<Option<SegmentId>> = segments
            .iter()
            .map(|s| Some(*s))
            .chain(std::iter::once(None))
            .collect();
        page.heading(3, &format!("VRF {vrf}"), &format!("policy-{vrf}"));
        let cell = |from, to| -> Line {
            let mut line = Vec::new();
            for &index in allowed.get(&(from, to)).into_iter().flatten() {
                if !line.is_empty() {
                    line.push(Inline::Break);
                }
                line.push(rule_link(input, index));
            }
            line
        };
        if ends.len() <= MATRIX_MAX {
            let mut head = vec!["from \\ to".to_string()];
            head.extend(ends.iter().map(|e| name(*e)));
            let head: Vec<&str> = head.iter().map(String::as_str).collect();
            let rows = ends
                .iter()
                .map(|from| {
                    let mut row = vec![vec![text(name(*from))]];
                    row.extend(ends.iter().map(|to| {
                        if from.is_some() && from == to {
                            vec![text("·")]
                        } else {
                            cell(*from, *to)
                        }
                    }));
                    row
                })
                .collect();
            page.table(&head, rows);
        } else {
            page.paragraph(vec![text(format!(
                "{} segments: the allowed pairs only.",
                segments.len()
            ))]);
            let mut rows = Vec::new();
            for from in &ends {
                for to in &ends {
                    let line = cell(*from, *to);
                    if !line.is_empty() {
                        rows.push(vec![vec![text(name(*from))], vec![text(name(*to))], line]);
                    }
                }
            }
            page.table(&["from", "to", "allowed"], rows);
        }
    }
    page.heading(3, "Rules", "rules");
    let mut rows = Vec::new();
    for (index, rule) in input.inventory.policy.iter().enumerate() {
        let in_effect = policy.rules.iter().any(|r| r.index == index);
        let list = |selectors: &[crate::inventory::Spanned<crate::inventory::Selector>]| {
            selectors
                .iter()
                .map(|s| s.value.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        rows.push(vec![
            vec![
                Inline::Anchor(format!("rule-{index}")),
                code(input.sources.describe(rule.loc)),
            ],
            vec![text(list(&rule.from))],
            vec![text(list(&rule.to))],
            vec![text(
                rule.allow
                    .iter()
                    .map(|a| a.value.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
            vec![text(if rule.log { "yes" } else { "" })],
            vec![text(match (&rule.expires, in_effect) {
                (Some(date), true) => format!("expires {}", date.value),
                (Some(date), false) => format!("expired {}", date.value),
                (None, _) => String::new(),
            })],
            vec![text(
                rule.comment
                    .as_ref()
                    .map(|c| c.value.clone())
                    .unwrap_or_default(),
            )],
        ]);
    }
    page.table(
        &["rule", "from", "to", "allow", "log", "expiry", "comment"],
        rows,
    );
}

fn budget(input: &Input, page: &mut Page) {
    page.heading(2, "Hardware budget", "budget");
    let budget = input.budget;
    page.paragraph(vec![text(format!(
        "Planning figures: spanning tree {}, {} VMs per host, {} vNIC per VM; warning at {}% of a limit. Each switch's page has every resource as a bar; here, each switch's fullest table.",
        budget.stp_mode, budget.vms_per_host, budget.vnics_per_vm, budget.warning_percent
    ))]);
    let mut bars = Vec::new();
    for switch in &budget.switches {
        if let Some(top) = switch
            .resources
            .iter()
            .max_by(|a, b| a.percent.total_cmp(&b.percent))
        {
            let mut bar = super::switch::bar(top, switch.platform, budget.warning_percent);
            bar.label = format!("{}: {}", switch.switch, bar.label);
            bars.push(bar);
        }
    }
    page.blocks.push(Block::Bars(bars));
    page.heading(3, "Headroom per zone", "headroom");
    let part = crate::budget::headroom_text;
    let rows = budget
        .headroom
        .iter()
        .map(|zone| {
            vec![
                vec![text(zone.zone.clone())],
                vec![text(part(zone.hosts, &zone.hosts_limited_by))],
                vec![text(part(zone.segments, &zone.segments_limited_by))],
            ]
        })
        .collect();
    page.table(&["zone", "more hosts", "more segments"], rows);
}

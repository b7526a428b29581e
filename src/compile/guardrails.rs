//! Guardrails are checked against the closure as computed; the compiler
//! never moves a VLAN to satisfy one. A conflict names the zone, the host
//! or endpoint that brought the VLAN there, the segment, the switch, the
//! rule, and the places in the inventory.

use super::closure::Closure;
use super::topology::Topology;
use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub fn check<'i>(
    inventory: &'i Inventory,
    index: &Index<'i>,
    topology: &Topology<'i>,
    closure: &Closure<'i>,
    diagnostics: &mut Diagnostics,
) {
    let segment_of_vlan: BTreeMap<u16, &Segment> = inventory
        .segments
        .iter()
        .filter(|s| (1..=4094).contains(&s.vlan.value))
        .map(|s| (s.vlan_id(), s))
        .collect();
    for guardrail in &inventory.guardrails {
        match &guardrail.rule {
            GuardrailRule::NeverTogether([a, b]) => {
                // Trunk conflicts of a zone that mixes the tags only repeat
                // the zone's conflict; look at trunks once zones are clean.
                if never_together_in_zones(inventory, index, guardrail, a, b, diagnostics) {
                    continue;
                }
                never_together_on_trunks(
                    index,
                    topology,
                    closure,
                    &segment_of_vlan,
                    guardrail,
                    [a, b],
                    diagnostics,
                );
            }
            GuardrailRule::OnlyOn { tag, switches } => only_on(
                topology,
                closure,
                &segment_of_vlan,
                guardrail,
                tag,
                switches,
                diagnostics,
            ),
        }
    }
}

fn never_together_in_zones(
    inventory: &Inventory,
    index: &Index,
    guardrail: &Guardrail,
    a: &Spanned<String>,
    b: &Spanned<String>,
    diagnostics: &mut Diagnostics,
) -> bool {
    let mut violated = false;
    for zone in &inventory.zones {
        let segments: Vec<&Segment> = zone
            .segments
            .iter()
            .filter_map(|s| index.segments.get(s.as_str()).copied())
            .collect();
        let with_a = segments.iter().find(|s| s.has_tag(&a.value));
        let with_b = segments.iter().find(|s| s.has_tag(&b.value));
        if let (Some(sa), Some(sb)) = (with_a, with_b) {
            violated = true;
            diagnostics.push(
                Diagnostic::error(
                    "E090",
                    format!(
                        "zone `{}` mixes segment `{}` (tag `{}`) with segment `{}` (tag `{}`), which guardrail `{}` keeps apart",
                        zone.name.value, sa.name.value, a.value, sb.name.value, b.value, guardrail.name.value
                    ),
                )
                .at(zone.name.loc)
                .related(guardrail.loc, format!("guardrail `{}`", guardrail.name.value))
                .related(sa.loc, format!("segment `{}`", sa.name.value))
                .related(sb.loc, format!("segment `{}`", sb.name.value))
                .hint("move one of the segments to a zone of its own, on hosts of their own"),
            );
        }
    }
    violated
}

fn tagged(
    vlans: &BTreeSet<u16>,
    segment_of_vlan: &BTreeMap<u16, &Segment>,
    tag: &str,
) -> Option<u16> {
    vlans
        .iter()
        .copied()
        .find(|v| segment_of_vlan.get(v).is_some_and(|s| s.has_tag(tag)))
}

fn never_together_on_trunks(
    index: &Index,
    topology: &Topology,
    closure: &Closure,
    segment_of_vlan: &BTreeMap<u16, &Segment>,
    guardrail: &Guardrail,
    [a, b]: [&Spanned<String>; 2],
    diagnostics: &mut Diagnostics,
) {
    // (switch, trunk) → the VLANs it carries.
    let mut trunks: Vec<(String, String, &BTreeSet<u16>)> = Vec::new();
    for edge in &closure.edge_ports {
        let first = &edge.ports[0];
        trunks.push((
            first.switch.value.clone(),
            format!("the port to {} ({})", edge.owner.label(), first.port.value),
            &edge.vlans,
        ));
    }
    for ((x, y), vlans) in &closure.bundle_vlans {
        trunks.push((
            topology.groups[*x].label(),
            format!("the uplink to {}", topology.groups[*y].label()),
            vlans,
        ));
    }
    for (group, vlans) in closure.group_vlans.iter().enumerate() {
        if topology.peer_links.contains_key(&group) {
            // A pair is one platform (check refuses a mixed one), so its
            // first member names it.
            let pair = topology.groups[group]
                .members
                .first()
                .and_then(|m| index.switches.get(m))
                .map_or(Platform::default(), |s| s.platform.value)
                .pair_name();
            trunks.push((
                topology.groups[group].label(),
                format!("the {pair} peer-link"),
                vlans,
            ));
        }
    }
    // One conflict per switch (or pair), naming its offending trunks.
    let mut by_switch: BTreeMap<String, Vec<(String, u16, u16)>> = BTreeMap::new();
    for (switch, trunk, vlans) in trunks {
        if let (Some(va), Some(vb)) = (
            tagged(vlans, segment_of_vlan, &a.value),
            tagged(vlans, segment_of_vlan, &b.value),
        ) {
            by_switch.entry(switch).or_default().push((trunk, va, vb));
        }
    }
    for (switch, offending) in by_switch {
        let (_, va, vb) = offending[0];
        let (sa, sb) = (segment_of_vlan[&va], segment_of_vlan[&vb]);
        let mut names: Vec<&str> = offending
            .iter()
            .map(|(t, _, _)| t.as_str())
            .take(3)
            .collect();
        let more = offending.len().saturating_sub(names.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let listed = {
            names.dedup();
            names.join(", ")
        };
        diagnostics.push(
            Diagnostic::error(
                "E090",
                format!(
                    "on {switch}, {listed}{more} would carry segment `{}` (tag `{}`, VLAN {va}) together with segment `{}` (tag `{}`, VLAN {vb}), which guardrail `{}` keeps apart",
                    sa.name.value, a.value, sb.name.value, b.value, guardrail.name.value
                ),
            )
            .at(guardrail.loc)
            .related(sa.loc, format!("segment `{}`", sa.name.value))
            .related(sb.loc, format!("segment `{}`", sb.name.value))
            .hint("put the zones of these segments on separate switches"),
        );
    }
}

fn only_on(
    topology: &Topology,
    closure: &Closure,
    segment_of_vlan: &BTreeMap<u16, &Segment>,
    guardrail: &Guardrail,
    tag: &Spanned<String>,
    allowed: &[Spanned<String>],
    diagnostics: &mut Diagnostics,
) {
    let allowed: HashSet<&str> = allowed.iter().map(|s| s.as_str()).collect();
    for (group, vlans) in closure.group_vlans.iter().enumerate() {
        for &vlan in vlans {
            let Some(segment) = segment_of_vlan.get(&vlan).filter(|s| s.has_tag(&tag.value)) else {
                continue;
            };
            for switch in &topology.groups[group].members {
                if allowed.contains(switch) {
                    continue;
                }
                let cause = closure.causes.get(&(group, vlan));
                let why = match cause {
                    Some(c) => match c.zone {
                        Some(zone) => format!(" because {} of zone `{zone}` is below it", c.who),
                        None => format!(" because {} is below it", c.who),
                    },
                    None => String::new(),
                };
                let mut diagnostic = Diagnostic::error(
                    "E091",
                    format!(
                        "segment `{}` (tag `{}`, VLAN {vlan}) would be configured on switch `{switch}`{why}, but guardrail `{}` allows it only on {}",
                        segment.name.value,
                        tag.value,
                        guardrail.name.value,
                        {
                            let mut names: Vec<&str> = allowed.iter().copied().collect();
                            names.sort_unstable();
                            names.join(", ")
                        }
                    ),
                )
                .at(guardrail.loc)
                .related(segment.loc, format!("segment `{}`", segment.name.value));
                if let Some(c) = cause {
                    diagnostic = diagnostic.related(c.loc, c.who.clone());
                }
                diagnostics.push(diagnostic.hint(format!(
                    "move the host off `{switch}`, take `{}` out of its zone, or (if storage may go there) add `{switch}` to `only_on`",
                    segment.name.value
                )));
            }
        }
    }
}

//! What the gateways route and which switches are the spanning-tree root,
//! on the running fabric.
//!
//! Routes: every static route the inventory gives a switch (an external
//! link's next hop, the backup path over the peer-link) is in its config,
//! in its VRF, with its distance: else the VMs of that VRF's segments
//! routed by the switch lose that destination. Spanning tree: every
//! switch runs the fabric's mode, and on every tree the gateway switches
//! have the lowest bridge priority, strictly (docs/design.md, "Spanning
//! tree": a tie is broken by MAC address, any switch's).

use super::observed::{ObservedDevice, StaticRoute, Tree};
use super::proof::Prover;
use super::{ConfigPlace, Kind};
use crate::inventory::StpMode;
use std::collections::BTreeSet;

/// Every intended static route is on its switch.
pub(super) fn check_routes(prover: &mut Prover<'_, '_>) {
    let observed = prover.observed;
    for device in observed.values() {
        let Some(intended) = prover.intended(&device.name) else {
            continue;
        };
        let vrfs = std::iter::once((None, &intended.routes)).chain(
            intended
                .vrfs
                .iter()
                .map(|v| (Some(v.name.as_str()), &v.routes)),
        );
        for (vrf, routes) in vrfs {
            let have = device.routes.get(&vrf.map(str::to_string));
            for route in routes {
                let (Ok(prefix), Ok(next_hop)) = (route.prefix.parse(), route.next_hop.parse())
                else {
                    continue;
                };
                let wanted = StaticRoute {
                    prefix,
                    next_hop,
                    distance: route.distance.unwrap_or(1),
                };
                if have.is_some_and(|h| h.contains(&wanted)) {
                    continue;
                }
                missing_route(prover, device, vrf, &wanted);
            }
        }
    }
}

fn missing_route(
    prover: &mut Prover<'_, '_>,
    device: &ObservedDevice,
    vrf: Option<&str>,
    route: &StaticRoute,
) {
    let Some(intended) = prover.intended(&device.name) else {
        return;
    };
    // The segments the switch routes in that VRF.
    let segments: Vec<String> = intended
        .svis
        .iter()
        .filter(|s| s.vrf.as_deref() == vrf)
        .map(|s| s.segment.clone())
        .collect();
    let mut demands = BTreeSet::new();
    for name in &segments {
        if let Some(segment) = prover.index.segments.get(name.as_str()) {
            demands.extend(prover.demands_of_segment(segment));
        }
    }
    let via = if route.distance == 1 {
        format!("{} via {}", route.prefix, route.next_hop)
    } else {
        format!(
            "{} via {} (distance {})",
            route.prefix, route.next_hop, route.distance
        )
    };
    let vrf_name = vrf.unwrap_or("default");
    let config = ConfigPlace {
        switch: device.name.clone(),
        file: device.source.clone(),
        line: None,
        text: device.wording.missing_route(vrf, route),
    };
    let place = format!("VRF {vrf_name} {}", route.prefix);
    let draft = prover.draft(Kind::RouteMissing, &[&device.name], &place);
    draft.message = if draft.message.is_empty() {
        format!("{} has no route {via} in VRF {vrf_name}", device.name)
    } else {
        format!("{}, nor {via}", draft.message)
    };
    let backup = if route.distance > 1 { "backup " } else { "" };
    draft.summary = draft.summary.take().or(Some(if segments.is_empty() {
        format!(
            "{} routes no segment in VRF {vrf_name}: no host loses it",
            device.name
        )
    } else {
        format!(
            "VMs of {} routed by {} lose their {backup}route to {}",
            segments.join(", "),
            device.name,
            route.prefix
        )
    }));
    draft.segments.extend(segments);
    draft.demands.extend(demands);
    draft.config.push(config);
}

/// Every switch runs the fabric's spanning-tree mode, and the gateway
/// switches are the root of every tree.
pub(super) fn check_spanning_tree(prover: &mut Prover<'_, '_>) {
    let observed = prover.observed;
    let Some(mode) = prover
        .observed
        .keys()
        .find_map(|name| prover.intended(name))
        .map(|d| d.stp.mode)
    else {
        return;
    };
    for device in observed.values() {
        if device.stp.mode == Some(mode) {
            continue;
        }
        let line = device.wording.stp_mode(device.stp.mode);
        let config = ConfigPlace {
            switch: device.name.clone(),
            file: device.source.clone(),
            line: device.line_of(&line),
            text: line.clone(),
        };
        let draft = prover.draft(Kind::StpMode, &[&device.name], "spanning-tree mode");
        draft.message = format!(
            "{} runs {}, and the fabric runs {}: its trees are not the fabric's",
            device.name,
            line,
            device.wording.stp_mode(Some(mode))
        );
        draft.config = vec![config];
        draft.summary = Some(format!(
            "{} is a spanning-tree region of its own: which of its links block is not what the inventory's design (and `check`'s budgets) assume",
            device.name
        ));
    }
    // The gateway switches, and the trees to check.
    let gateways: BTreeSet<&str> = prover
        .closure
        .zone_gateway
        .values()
        .flat_map(|g| prover.topology.groups[*g].members.iter().copied())
        .filter(|m| observed.contains_key(*m))
        .collect();
    if gateways.is_empty() {
        return;
    }
    let running: Vec<&ObservedDevice> = observed
        .values()
        .filter(|d| d.stp.mode == Some(mode))
        .collect();
    let mut trees: BTreeSet<Tree> = running
        .iter()
        .flat_map(|d| d.stp.priorities.keys().copied())
        .filter(|t| {
            matches!(
                (t, mode),
                (Tree::Mst(_), StpMode::Mst) | (Tree::Vlan(_), StpMode::RapidPvst)
            )
        })
        .collect();
    match mode {
        StpMode::Mst => {
            trees.insert(Tree::Mst(0));
        }
        StpMode::RapidPvst => {
            for demand in &prover.demands {
                trees.extend(demand.vlans.iter().map(Tree::Vlan));
            }
        }
    }
    for device in &running {
        if gateways.contains(device.name.as_str()) {
            continue;
        }
        // The trees where this switch bids as low as a gateway.
        let mut outbid = Vec::new();
        for &tree in &trees {
            let root = running
                .iter()
                .filter(|g| gateways.contains(g.name.as_str()))
                .map(|g| (g.stp.priority(tree), g))
                .min_by_key(|(p, _)| *p);
            let Some((root_priority, root)) = root else {
                continue;
            };
            let mine = device.stp.priority(tree);
            if mine <= root_priority {
                outbid.push((tree, mine, root_priority, root.name.clone()));
            }
        }
        if outbid.is_empty() {
            continue;
        }
        let words = device.wording;
        let mut lines: Vec<String> = Vec::new();
        for (tree, ..) in &outbid {
            let line = device
                .stp
                .lines
                .get(tree)
                .cloned()
                .unwrap_or_else(|| words.no_stp_priority(*tree));
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let (_, mine, root_priority, root) = &outbid[0];
        let trees: Vec<Tree> = outbid.iter().map(|(t, ..)| *t).collect();
        let config = ConfigPlace {
            switch: device.name.clone(),
            file: device.source.clone(),
            line: device.line_of(&lines[0]),
            text: lines.join("\n"),
        };
        let draft = prover.draft(Kind::StpRoot, &[&device.name], "spanning-tree priority");
        draft.message = format!(
            "{} bids bridge priority {mine} on {}, not above gateway {root}'s {root_priority}: it can become the root",
            device.name,
            describe_trees(&trees)
        );
        draft.config = vec![config];
        draft.summary = Some(format!(
            "the root bridge can move from the gateways to {}: traffic between hosts and their gateways may take other paths than the design's",
            device.name
        ));
    }
}

/// `MST instance 0`, `MST instances 0, 1`, `VLANs 110, 120, and 3 more`.
fn describe_trees(trees: &[Tree]) -> String {
    let (mst, vlans): (Vec<u16>, Vec<u16>) = (
        trees
            .iter()
            .filter_map(|t| match t {
                Tree::Mst(i) => Some(*i),
                Tree::Vlan(_) => None,
            })
            .collect(),
        trees
            .iter()
            .filter_map(|t| match t {
                Tree::Vlan(v) => Some(*v),
                Tree::Mst(_) => None,
            })
            .collect(),
    );
    let list = |what: &str, ids: &[u16]| {
        let shown: Vec<String> = ids.iter().take(8).map(|i| i.to_string()).collect();
        let more = match ids.len().saturating_sub(8) {
            0 => String::new(),
            n => format!(", and {n} more"),
        };
        let plural = if ids.len() == 1 { "" } else { "s" };
        format!("{what}{plural} {}{more}", shown.join(", "))
    };
    let mut parts = Vec::new();
    if !mst.is_empty() {
        parts.push(list("MST instance", &mst));
    }
    if !vlans.is_empty() {
        parts.push(list("VLAN", &vlans));
    }
    parts.join(" and ")
}

//! Semantic checks on a decoded inventory: names, references, VLANs,
//! addressing, cabling, pairs. Each finds *all* its problems. Topology and
//! guardrail conflicts need the mobility closure and are found by `compile`.

mod addresses;
mod breakout;
mod management;
mod text;

use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::inventory::*;
use ipnetwork::IpNetwork;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The platform whose reserved range holds `vlan`, with that range, when
/// every platform of the fabric's switches (`platforms`) reserves it: the
/// VLAN is then refused wherever its segment goes. A VLAN only some of the
/// platforms reserve is refused on their switches alone, once the compiler
/// knows which switches carry it (E021 there too).
fn reserved_everywhere(
    platforms: &BTreeSet<Platform>,
    vlan: u16,
) -> Option<(Platform, std::ops::RangeInclusive<u16>)> {
    let mut reserving = platforms.iter().map(|p| {
        let range = p.numbering().reserved_vlans.clone();
        Some((*p, range.filter(|r| r.contains(&vlan))?))
    });
    let first = reserving.next()??;
    reserving.all(|r| r.is_some()).then_some(first)
}

/// The platforms of the fabric's switches; the default one when it has none.
fn fabric_platforms(inventory: &Inventory) -> BTreeSet<Platform> {
    let mut platforms: BTreeSet<Platform> = inventory
        .switches
        .iter()
        .map(|s| s.platform.value)
        .collect();
    if platforms.is_empty() {
        platforms.insert(Platform::default());
    }
    platforms
}

/// The VLANs a segment may use, as a hint: 2 up to the first reserved one.
pub(crate) fn usable_vlans_hint() -> String {
    format!(
        "pick a VLAN in 2-{}",
        crate::platform::build::last_usable_vlan()
    )
}

pub fn check(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let index = Index::new(inventory);
    duplicate_names(inventory, diagnostics);
    vlans(inventory, diagnostics);
    subnets(inventory, diagnostics);
    references(inventory, &index, diagnostics);
    ports_used_once(inventory, &index, diagnostics);
    pairs(inventory, &index, diagnostics);
    attachments(inventory, &index, diagnostics);
    unused(inventory, diagnostics);
    text::cli_safe_text(inventory, diagnostics);
    addresses::addresses(inventory, diagnostics);
    management::management_addresses(inventory, &index, diagnostics);
    port_defaults_known(inventory, diagnostics);
    management_vrf(inventory, diagnostics);
}

/// A segment or external link in a switch platform's management VRF would
/// put user traffic (and an SVI, which NX-OS refuses there) into the VRF
/// liaison reaches the switches through, and plan changes to its routes.
fn management_vrf(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let platform_of = |switch: &str| {
        inventory
            .switches
            .iter()
            .find(|s| s.name.value == switch)
            .map(|s| s.platform.value)
    };
    let mut platforms: Vec<Platform> = inventory
        .switches
        .iter()
        .map(|s| s.platform.value)
        .collect();
    platforms.sort();
    platforms.dedup();
    let refuse = |what: String, vrf: &Spanned<String>, platform: Platform| {
        Diagnostic::error(
            "E140",
            format!(
                "{what} is in VRF `{}`, the management VRF of {}",
                vrf.value,
                platform.as_str()
            ),
        )
        .at(vrf.loc)
        .hint(format!(
            "the management VRF is only for reaching the switches ({}); put the segment or link in a VRF of its own",
            platform.pair_words().management_interface
        ))
    };
    for segment in &inventory.segments {
        let Some(vrf) = &segment.vrf else { continue };
        if let Some(platform) = platforms.iter().find(|p| p.management_vrf() == vrf.value) {
            diagnostics.push(refuse(
                format!("segment `{}`", segment.name.value),
                vrf,
                *platform,
            ));
        }
    }
    for external in &inventory.external {
        let Some(vrf) = &external.vrf else { continue };
        if let Some(platform) =
            platform_of(&external.switch.value).filter(|p| p.management_vrf() == vrf.value)
        {
            diagnostics.push(refuse(
                format!("the external link of `{}`", external.switch.value),
                vrf,
                platform,
            ));
        }
    }
}

/// W060: a switch whose model is not in the platform's table of port
/// defaults, and whose `port_defaults` do not give both: an offline plan
/// reads its ports with the fallback (live commands ask the switch).
fn port_defaults_known(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let mut unknown: Vec<(&str, &str, Vec<&Switch>)> = Vec::new();
    for switch in &inventory.switches {
        let Some(model) = &switch.model else { continue };
        let given = switch.port_defaults;
        let Some(fallback) = switch.platform.value.unknown_port_defaults(&model.value) else {
            continue;
        };
        if given.switched.is_some() && given.switched_shutdown.is_some() {
            continue;
        }
        match unknown.iter_mut().find(|(m, _, _)| *m == model.value) {
            Some((_, _, switches)) => switches.push(switch),
            None => unknown.push((&model.value, fallback, vec![switch])),
        }
    }
    for (model, fallback, switches) in unknown {
        let names: Vec<&str> = switches.iter().map(|s| s.name.value.as_str()).collect();
        let at = switches[0]
            .model
            .as_ref()
            .map_or(switches[0].loc, |m| m.loc);
        diagnostics.push(
            Diagnostic::warning(
                "W060",
                format!(
                    "model `{model}` (switches {}) is not in liaison's table of port defaults: a plan of saved configs reads their ports as {}",
                    names.join(", "),
                    fallback
                ),
            )
            .at(at)
            .hint("`fetch`, `plan --live` and `apply` ask the switch itself; for plans of saved configs set `port_defaults: { switchport: true|false, switchport_shutdown: true|false }` on these switches"),
        );
    }
}

fn dangling(kind: &str, name: &str, loc: Loc, known: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::error("E040", format!("unknown {kind} `{name}`")).at(loc);
    match crate::inventory::did_you_mean(name, known) {
        Some(best) => diagnostic.hint(format!("did you mean `{best}`?")),
        None if known.is_empty() => {
            diagnostic.hint(format!("no {kind} is defined in this inventory"))
        }
        None => diagnostic.hint(format!("define the {kind}, or use one of the defined ones")),
    }
}

fn sorted_keys<'a, T>(map: &HashMap<&'a str, T>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = map.keys().copied().collect();
    keys.sort_unstable();
    keys
}

fn duplicate_names(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    /// `without_case`: names that may have upper case compare without it.
    fn each<'a>(
        kind: &str,
        names: impl Iterator<Item = &'a Spanned<String>>,
        without_case: bool,
        diagnostics: &mut Diagnostics,
    ) {
        let mut seen: HashMap<std::borrow::Cow<str>, &Spanned<String>> = HashMap::new();
        for name in names {
            let key = if without_case {
                name.value.to_ascii_lowercase().into()
            } else {
                std::borrow::Cow::Borrowed(name.as_str())
            };
            let Some(first) = seen.get(&key) else {
                seen.insert(key, name);
                continue;
            };
            let also = if first.value == name.value {
                String::new()
            } else {
                format!(
                    " (as `{}`: {kind} names are compared without case)",
                    first.value
                )
            };
            diagnostics.push(
                Diagnostic::error(
                    "E009",
                    format!("{kind} `{}` is defined twice{also}", name.value),
                )
                .at(name.loc)
                .related(first.loc, "first defined here")
                .hint(format!(
                    "rename one of the two; {kind} names are unique across all files"
                )),
            );
        }
    }
    // Switch names may have upper case (hostnames) and are unique without
    // it: DNS names and case-insensitive file systems (their config files)
    // do not tell `agg1` from `AGG1`.
    each(
        "switch",
        inventory.switches.iter().map(|s| &s.name),
        true,
        diagnostics,
    );
    each(
        "chassis",
        inventory.chassis.iter().map(|c| &c.name),
        false,
        diagnostics,
    );
    each(
        "host",
        inventory.hosts.iter().map(|h| &h.name),
        false,
        diagnostics,
    );
    each(
        "zone",
        inventory.zones.iter().map(|z| &z.name),
        false,
        diagnostics,
    );
    each(
        "segment",
        inventory.segments.iter().map(|s| &s.name),
        false,
        diagnostics,
    );
    each(
        "endpoint",
        inventory.endpoints.iter().map(|e| &e.name),
        false,
        diagnostics,
    );
    each(
        "guardrail",
        inventory.guardrails.iter().map(|g| &g.name),
        false,
        diagnostics,
    );
    for zone in &inventory.zones {
        each(
            &format!("segment in zone `{}`", zone.name.value),
            zone.segments.iter(),
            false,
            diagnostics,
        );
    }
}

fn vlans(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let platforms = fabric_platforms(inventory);
    let mut seen: HashMap<i64, &Segment> = HashMap::new();
    for segment in &inventory.segments {
        let vlan = segment.vlan.value;
        if !(1..=4094).contains(&vlan) {
            diagnostics.push(
                Diagnostic::error("E020", format!("VLAN {vlan} is outside 1-4094"))
                    .at(segment.vlan.loc)
                    .hint(usable_vlans_hint()),
            );
            continue;
        }
        let reserved_by = reserved_everywhere(&platforms, vlan as u16);
        if vlan == 1 || reserved_by.is_some() {
            let why = match reserved_by {
                Some((platform, range)) => format!(
                    "VLAN {vlan} is in {}'s reserved range {}-{}",
                    platform.cli_text().name,
                    range.start(),
                    range.end()
                ),
                None => "VLAN 1 is the default VLAN and cannot be a segment".to_string(),
            };
            diagnostics.push(
                Diagnostic::error("E021", why)
                    .at(segment.vlan.loc)
                    .hint(usable_vlans_hint()),
            );
            continue;
        }
        if let Some(first) = seen.get(&vlan) {
            diagnostics.push(
                Diagnostic::error(
                    "E022",
                    format!(
                        "VLAN {vlan} of segment `{}` is already used by segment `{}`",
                        segment.name.value, first.name.value
                    ),
                )
                .at(segment.vlan.loc)
                .related(first.vlan.loc, "first used here")
                .hint("each segment needs its own VLAN"),
            );
        } else {
            seen.insert(vlan, segment);
        }
    }
}

fn subnets(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let mut networks: Vec<(IpNetwork, &Segment)> = Vec::new();
    for segment in &inventory.segments {
        let Some(subnet) = &segment.subnet else {
            continue;
        };
        let net = subnet.value;
        if net.ip() != net.network() {
            diagnostics.push(
                Diagnostic::error("E031", format!("subnet {net} has host bits set"))
                    .at(subnet.loc)
                    .hint(format!("did you mean {}/{}?", net.network(), net.prefix())),
            );
            continue;
        }
        networks.push((net, segment));
        let Some(gateway) = &segment.gateway else {
            continue;
        };
        if !net.contains(gateway.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E033",
                    format!("gateway {} is outside subnet {net}", gateway.value),
                )
                .at(gateway.loc)
                .related(subnet.loc, "subnet defined here")
                .hint("pick an address inside the subnet, or leave `gateway` out for the first usable one"),
            );
        } else if is_network_or_broadcast(net, gateway.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E034",
                    format!(
                        "gateway {} is the network or broadcast address of {net}",
                        gateway.value
                    ),
                )
                .at(gateway.loc)
                .hint(
                    "pick a usable host address, or leave `gateway` out for the first usable one",
                ),
            );
        }
    }
    // Sorted by first address, two prefixes overlap only if one contains
    // the other's first address, and a prefix can only overlap a later one
    // that starts inside it: one pass with the widest prefix seen so far.
    networks.sort_by_key(|(net, _)| (net.is_ipv6(), net.network(), net.prefix()));
    let mut open: Option<(IpNetwork, &Segment)> = None;
    for (net, segment) in networks {
        if let Some((outer, outer_segment)) = open {
            if outer.is_ipv4() == net.is_ipv4() && outer.contains(net.network()) {
                diagnostics.push(
                    Diagnostic::error(
                        "E032",
                        format!(
                            "subnet {net} of segment `{}` overlaps {outer} of segment `{}`",
                            segment.name.value, outer_segment.name.value
                        ),
                    )
                    .at(segment.subnet.as_ref().map_or(segment.loc, |s| s.loc))
                    .related(
                        outer_segment
                            .subnet
                            .as_ref()
                            .map_or(outer_segment.loc, |s| s.loc),
                        "overlapping subnet",
                    )
                    .hint("segments need disjoint subnets"),
                );
                continue;
            }
        }
        open = Some((net, segment));
    }
}

pub fn is_network_or_broadcast(net: IpNetwork, address: std::net::IpAddr) -> bool {
    match net {
        IpNetwork::V4(v4) if v4.prefix() < 31 => {
            address == v4.network() || address == v4.broadcast()
        }
        IpNetwork::V6(v6) if v6.prefix() < 127 => address == v6.network(),
        _ => false,
    }
}

/// Names that resolve to nothing (E040), except those a dropped entry
/// defined: that entry's own error says it all.
fn references(inventory: &Inventory, index: &Index, diagnostics: &mut Diagnostics) {
    let unread = &inventory.unread;
    let switch_names = sorted_keys(&index.switches);
    let segment_names = sorted_keys(&index.segments);
    let zone_names = sorted_keys(&index.zones);
    let chassis_names = sorted_keys(&index.chassis);
    let service_names = sorted_keys(&index.services);
    let mut misses: Vec<Spanned<String>> = Vec::new();
    let check_switch = |name: &Spanned<String>, misses: &mut Vec<Spanned<String>>| {
        if !index.switches.contains_key(name.as_str())
            && !unread.defines(EntryKind::Switch, name.as_str())
        {
            misses.push(name.clone());
        }
    };
    for switch in &inventory.switches {
        if let Some(pair) = &switch.pair {
            check_switch(pair, &mut misses);
        }
    }
    for link in &inventory.links {
        for end in &link.ends {
            check_switch(&end.switch, &mut misses);
        }
    }
    for chassis in &inventory.chassis {
        for uplink in &chassis.uplinks {
            check_switch(&uplink.switch, &mut misses);
        }
    }
    for host in &inventory.hosts {
        if !index.zones.contains_key(host.zone.as_str())
            && !unread.defines(EntryKind::Zone, host.zone.as_str())
        {
            diagnostics.push(dangling(
                "zone",
                &host.zone.value,
                host.zone.loc,
                &zone_names,
            ));
        }
        match &host.attachment {
            Attachment::Chassis { chassis, .. } => {
                if !index.chassis.contains_key(chassis.as_str())
                    && !unread.defines(EntryKind::Chassis, chassis.as_str())
                {
                    diagnostics.push(dangling(
                        "chassis",
                        &chassis.value,
                        chassis.loc,
                        &chassis_names,
                    ));
                }
            }
            Attachment::Nics { nics, .. } => {
                for nic in nics {
                    check_switch(&nic.switch, &mut misses);
                }
            }
        }
    }
    for endpoint in &inventory.endpoints {
        for port in &endpoint.ports {
            check_switch(&port.switch, &mut misses);
        }
    }
    for external in &inventory.external {
        check_switch(&external.switch, &mut misses);
    }
    for rule in &inventory.drift {
        for device in &rule.devices {
            check_switch(device, &mut misses);
        }
    }
    let tags: HashSet<&str> = inventory
        .segments
        .iter()
        .flat_map(|s| s.tags.iter().map(|t| t.as_str()))
        .collect();
    let mut tag_names: Vec<&str> = tags.iter().copied().collect();
    tag_names.sort_unstable();
    let segment_lists = inventory
        .zones
        .iter()
        .map(|z| &z.segments)
        .chain(inventory.endpoints.iter().map(|e| &e.segments));
    for list in segment_lists {
        for segment in list {
            if !index.segments.contains_key(segment.as_str())
                && !unread.defines(EntryKind::Segment, segment.as_str())
            {
                diagnostics.push(dangling(
                    "segment",
                    &segment.value,
                    segment.loc,
                    &segment_names,
                ));
            }
        }
    }
    for guardrail in &inventory.guardrails {
        if let GuardrailRule::OnlyOn { switches, .. } = &guardrail.rule {
            for switch in switches {
                check_switch(switch, &mut misses);
            }
        }
    }
    for rule in &inventory.policy {
        for selector in rule.from.iter().chain(&rule.to) {
            match &selector.value {
                Selector::Segment(name)
                    if !index.segments.contains_key(name.as_str())
                        && !unread.defines(EntryKind::Segment, name) =>
                {
                    diagnostics.push(dangling("segment", name, selector.loc, &segment_names));
                }
                Selector::Tag(tag)
                    if !tags.contains(tag.as_str()) && !unread.defines(EntryKind::Tag, tag) =>
                {
                    diagnostics.push(
                        dangling("tag", tag, selector.loc, &tag_names)
                            .hint("a policy tag must be carried by at least one segment's `tags`"),
                    );
                }
                _ => {}
            }
        }
        for item in &rule.allow {
            if let AllowItem::Service(name) = &item.value {
                if !index.services.contains_key(name.as_str())
                    && !unread.defines(EntryKind::Service, name)
                {
                    diagnostics.push(dangling("service", name, item.loc, &service_names));
                }
            }
        }
    }
    switch_misses(&misses, index, &switch_names, diagnostics);
}

/// E040 for references to switches that do not exist. References that
/// spell a defined switch in another case are one mistake (the switch was
/// renamed in case, or is always written so): one error per spelling, at
/// its first use, with the definition and the count.
fn switch_misses(
    misses: &[Spanned<String>],
    index: &Index,
    switch_names: &[&str],
    diagnostics: &mut Diagnostics,
) {
    let mut respelt: Vec<(&Spanned<String>, &Switch, usize)> = Vec::new();
    for miss in misses {
        let defined = switch_names
            .iter()
            .find(|name| name.eq_ignore_ascii_case(miss.as_str()))
            .map(|name| index.switches[name]);
        match defined {
            None => diagnostics.push(dangling("switch", &miss.value, miss.loc, switch_names)),
            Some(switch) => match respelt
                .iter_mut()
                .find(|(first, _, _)| first.value == miss.value)
            {
                Some((_, _, count)) => *count += 1,
                None => respelt.push((miss, switch, 1)),
            },
        }
    }
    for (first, switch, count) in respelt {
        let uses = if count == 1 {
            String::new()
        } else {
            format!(" ({count} references spell it so; this is the first)")
        };
        diagnostics.push(
            Diagnostic::error(
                "E040",
                format!(
                    "unknown switch `{}`: the switch is `{}`{uses}",
                    first.value, switch.name.value
                ),
            )
            .at(first.loc)
            .related(switch.name.loc, "defined here")
            .hint(format!(
                "did you mean `{}`? references spell a switch as it is defined (its case is its hostname's)",
                switch.name.value
            )),
        );
    }
}

/// What the platform of `switches` calls a pair (the first one the
/// inventory knows; a pair is of one platform), else the default
/// platform's word.
fn pair_name_of<'a>(index: &Index, mut switches: impl Iterator<Item = &'a str>) -> &'static str {
    switches
        .find_map(|name| index.switches.get(name))
        .map_or(Platform::default(), |s| s.platform.value)
        .pair_name()
}

/// A chassis's uplinks say which interconnect module they leave from, or
/// none of them does (E172); when neither that nor `interconnects` is
/// written and the uplinks go to two switches, the per-switch bundles are
/// an assumption worth a warning (W050).
fn interconnect_modules(chassis: &Chassis, index: &Index, diagnostics: &mut Diagnostics) {
    let mlag = chassis.interconnects() == Interconnects::Mlag;
    let named: Vec<&ChassisUplink> = chassis
        .uplinks
        .iter()
        .filter(|u| u.module.is_some())
        .collect();
    if !mlag && !named.is_empty() {
        for uplink in chassis.uplinks.iter().filter(|u| u.module.is_none()) {
            diagnostics.push(
                Diagnostic::error(
                    "E172",
                    format!(
                        "chassis `{}`: this uplink names no interconnect module, other uplinks do",
                        chassis.name.value
                    ),
                )
                .at(uplink.loc)
                .related(named[0].loc, "this uplink names its module")
                .hint("add `module: NAME` to every uplink of the chassis: the uplinks of one module become one LACP bundle"),
            );
        }
    }
    let switches: BTreeSet<&str> = chassis.uplinks.iter().map(|u| u.switch.as_str()).collect();
    if chassis.interconnects.is_none() && named.is_empty() && switches.len() > 1 {
        let pair = pair_name_of(index, switches.iter().copied());
        diagnostics.push(
            Diagnostic::warning(
                "W050",
                format!(
                    "chassis `{}`: its uplinks do not say which interconnect module they leave from; assuming one module per switch (one LACP bundle on each switch, no {pair} across them)",
                    chassis.name.value
                ),
            )
            .at(chassis.loc)
            .hint(format!("write `interconnects: mlag` when the modules form one multi-chassis LAG (e.g. HPE Synergy with M-LAG), or `module: NAME` on each uplink (one bundle per module, a {pair} when a module is cabled to both switches of a pair)")),
        );
    }
}

/// Every switch port is cabled once: by a link, a NIC, a chassis uplink,
/// an endpoint or an external link.
fn ports_used_once(inventory: &Inventory, index: &Index, diagnostics: &mut Diagnostics) {
    let claims = port_claims(inventory);
    // Lanes of a switch that is unknown, or whose `breakout` was not read,
    // would only repeat that error.
    let readable: Vec<PortClaim> = claims
        .iter()
        .filter(|(switch, _, _)| {
            index
                .switches
                .get(switch.as_str())
                .is_some_and(|s| !inventory.unread.is_partial(s.loc))
        })
        .cloned()
        .collect();
    breakout::breakouts(inventory, &readable, diagnostics);
    let mut used: HashMap<(&str, &Port), (Loc, &str)> = HashMap::new();
    for (switch, port, by) in &claims {
        match used.get(&(switch.as_str(), &port.value)) {
            Some((first, first_by)) => diagnostics.push(
                Diagnostic::error(
                    "E050",
                    format!(
                        "port {}:{} is used by {by} and by {first_by}",
                        switch.value, port.value
                    ),
                )
                .at(port.loc)
                .related(*first, "first used here")
                .hint("a port takes one cable; pick a free port"),
            ),
            None => {
                used.insert((switch.as_str(), &port.value), (port.loc, by.as_str()));
            }
        }
    }
}

/// A switch port some part of the inventory cables, and by what.
type PortClaim<'i> = (&'i Spanned<String>, &'i Spanned<Port>, String);

/// Every use of a switch port, in inventory order.
fn port_claims(inventory: &Inventory) -> Vec<PortClaim<'_>> {
    let mut claims: Vec<PortClaim> = Vec::new();
    for link in &inventory.links {
        let [a, b] = &link.ends;
        claims.push((&a.switch, &a.port, format!("the link to {b}")));
        claims.push((&b.switch, &b.port, format!("the link to {a}")));
    }
    for chassis in &inventory.chassis {
        for uplink in &chassis.uplinks {
            for port in &uplink.ports {
                claims.push((
                    &uplink.switch,
                    port,
                    format!("chassis `{}`", chassis.name.value),
                ));
            }
        }
    }
    for host in &inventory.hosts {
        if let Attachment::Nics { nics, .. } = &host.attachment {
            for nic in nics {
                claims.push((
                    &nic.switch,
                    &nic.port,
                    format!("host `{}`", host.name.value),
                ));
            }
        }
    }
    for endpoint in &inventory.endpoints {
        for port in &endpoint.ports {
            claims.push((
                &port.switch,
                &port.port,
                format!("endpoint `{}`", endpoint.name.value),
            ));
        }
    }
    for external in &inventory.external {
        claims.push((
            &external.switch,
            &external.port,
            "an external link".to_string(),
        ));
    }
    claims
}

fn pairs(inventory: &Inventory, index: &Index, diagnostics: &mut Diagnostics) {
    // Who names whom, to find switches claimed by two others.
    let mut claimed_by: BTreeMap<&str, Vec<&Switch>> = BTreeMap::new();
    let mut mixed_reported: HashSet<(&str, &str)> = HashSet::new();
    for switch in &inventory.switches {
        let Some(pair) = &switch.pair else { continue };
        if pair.value == switch.name.value {
            diagnostics.push(
                Diagnostic::error(
                    "E061",
                    format!("switch `{}` is paired with itself", pair.value),
                )
                .at(pair.loc)
                .hint(format!(
                    "`pair` names the {} peer, another switch",
                    switch.platform.value.pair_name()
                )),
            );
            continue;
        }
        let Some(peer) = index.switches.get(pair.as_str()) else {
            continue;
        };
        claimed_by.entry(pair.as_str()).or_default().push(switch);
        if let Some(back) = &peer.pair {
            if back.value != switch.name.value {
                diagnostics.push(
                    Diagnostic::error(
                        "E060",
                        format!(
                            "`{}` names `{}` as its pair, but `{}` names `{}`",
                            switch.name.value, peer.name.value, peer.name.value, back.value
                        ),
                    )
                    .at(pair.loc)
                    .related(back.loc, "the other side")
                    .hint(format!(
                        "a {} pair is two switches that name each other (or one names the other)",
                        switch.platform.value.pair_name()
                    )),
                );
            }
        }
        let mixed =
            peer.role.value != switch.role.value || peer.platform.value != switch.platform.value;
        // Once per pair (both members may name each other), at the
        // second member in file order: its platform (else its role).
        if mixed
            && mixed_reported.insert(if switch.loc < peer.loc {
                (switch.name.as_str(), peer.name.as_str())
            } else {
                (peer.name.as_str(), switch.name.as_str())
            })
        {
            let (first, second): (&Switch, &Switch) = if switch.loc < peer.loc {
                (switch, *peer)
            } else {
                (peer, switch)
            };
            let (at, hint) = if first.platform.value != second.platform.value {
                (
                    second.platform.loc,
                    format!(
                        "both members of a pair have the same role and platform: a {} pair is two switches of one platform (make `{}` `platform: {}`, or pair it with a switch of its own platform)",
                        Platform::ALL.map(Platform::pair_name).join(" or "),
                        second.name.value,
                        first.platform.value.as_str()
                    ),
                )
            } else {
                (
                    second.role.loc,
                    "both members of a pair have the same role and platform".to_string(),
                )
            };
            diagnostics.push(
                Diagnostic::error(
                    "E062",
                    format!(
                        "pair `{}`/`{}` mixes {} {} with {} {}",
                        first.name.value,
                        second.name.value,
                        first.role.value.as_str(),
                        first.platform.value.as_str(),
                        second.role.value.as_str(),
                        second.platform.value.as_str()
                    ),
                )
                .at(at)
                .related(first.loc, "the other member")
                .hint(hint),
            );
        }
    }
    for (name, claimers) in claimed_by {
        let distinct: HashSet<&str> = claimers.iter().map(|s| s.name.as_str()).collect();
        let peer_declared = index.switches.get(name).and_then(|s| s.pair.as_ref());
        if distinct.len() > 1 && peer_declared.is_none() {
            diagnostics.push(
                Diagnostic::error(
                    "E060",
                    format!(
                        "switch `{name}` is named as pair by {} switches",
                        distinct.len()
                    ),
                )
                .at(claimers[1].pair.as_ref().map_or(claimers[1].loc, |p| p.loc))
                .related(
                    claimers[0].pair.as_ref().map_or(claimers[0].loc, |p| p.loc),
                    "also named here",
                )
                .hint(format!(
                    "a switch has at most one {} peer",
                    claimers[0].platform.value.pair_name()
                )),
            );
        }
    }
}

/// Shape of each attachment: blades in known bays, LACP bundles on one
/// switch or one pair, access ports with one VLAN.
fn attachments(inventory: &Inventory, index: &Index, diagnostics: &mut Diagnostics) {
    let unread = &inventory.unread;
    let mut bays: HashMap<(&str, u32), &Host> = HashMap::new();
    for host in &inventory.hosts {
        match &host.attachment {
            Attachment::Chassis {
                chassis,
                bay: Some(bay),
            } => {
                if let Some(first) = bays.get(&(chassis.as_str(), bay.value)) {
                    diagnostics.push(
                        Diagnostic::error(
                            "E106",
                            format!(
                                "bay {} of chassis `{}` holds both `{}` and `{}`",
                                bay.value, chassis.value, first.name.value, host.name.value
                            ),
                        )
                        .at(bay.loc)
                        .related(first.loc, "the other host")
                        .hint("each blade has a bay of its own"),
                    );
                } else {
                    bays.insert((chassis.as_str(), bay.value), host);
                }
            }
            Attachment::Chassis { .. } => {}
            Attachment::Nics { nics, lag } => {
                if nics.is_empty() && !unread.is_partial(host.loc) {
                    diagnostics.push(
                        Diagnostic::error("E005", format!("host `{}` has no NICs", host.name.value))
                            .at(host.loc)
                            .hint("list the switch ports the host is cabled to: `nics: [tor1a:Ethernet1/10]`"),
                    );
                }
                if *lag == Lag::Lacp {
                    bundle_spans_one_pair(
                        &format!("host `{}`", host.name.value),
                        nics.iter(),
                        host.loc,
                        index,
                        unread,
                        diagnostics,
                    );
                }
            }
        }
    }
    for chassis in &inventory.chassis {
        let refs: Vec<PortRef> = chassis.uplinks.iter().flat_map(|u| u.port_refs()).collect();
        if refs.is_empty() && !unread.is_partial(chassis.loc) {
            diagnostics.push(
                Diagnostic::error(
                    "E005",
                    format!("chassis `{}` has no uplink ports", chassis.name.value),
                )
                .at(chassis.loc)
                .hint("list the ToR ports its interconnect modules are cabled to"),
            );
        }
        bundle_spans_one_pair(
            &format!("chassis `{}`", chassis.name.value),
            refs.iter(),
            chassis.loc,
            index,
            unread,
            diagnostics,
        );
        if !unread.is_partial(chassis.loc) {
            interconnect_modules(chassis, index, diagnostics);
        }
    }
    for endpoint in &inventory.endpoints {
        if endpoint.ports.is_empty() && !unread.is_partial(endpoint.loc) {
            diagnostics.push(
                Diagnostic::error(
                    "E005",
                    format!("endpoint `{}` has no ports", endpoint.name.value),
                )
                .at(endpoint.loc),
            );
        }
        endpoint_controllers(endpoint, index, unread, diagnostics);
        if let Some(mode) = &endpoint.mode {
            if mode.value == PortMode::Access
                && endpoint.segments.len() != 1
                && !unread.is_partial(endpoint.loc)
            {
                diagnostics.push(
                    Diagnostic::error(
                        "E103",
                        format!(
                            "endpoint `{}` is an access port but has {} segments",
                            endpoint.name.value,
                            endpoint.segments.len()
                        ),
                    )
                    .at(mode.loc)
                    .hint("an access port carries exactly one segment; use `mode: trunk` for more"),
                );
            }
        }
    }
}

/// An endpoint's bundles (one per controller unless they form one LAG,
/// else all its ports) each fit one switch or pair; its controllers have
/// names of their own (E174); `controllers_lag` is said only where it
/// decides something (W051).
fn endpoint_controllers(
    endpoint: &Endpoint,
    index: &Index,
    unread: &Unread,
    diagnostics: &mut Diagnostics,
) {
    let what = format!("endpoint `{}`", endpoint.name.value);
    for (i, controller) in endpoint.controllers.iter().enumerate() {
        if controller.ports.is_empty() && !unread.is_partial(endpoint.loc) {
            diagnostics.push(
                Diagnostic::error(
                    "E005",
                    format!(
                        "{what}: controller `{}` has no ports",
                        controller.name.value
                    ),
                )
                .at(controller.loc)
                .hint("list the switch ports the controller is cabled to"),
            );
        }
        if let Some(first) = endpoint.controllers[..i]
            .iter()
            .find(|c| c.name.value == controller.name.value)
        {
            diagnostics.push(
                Diagnostic::error(
                    "E174",
                    format!(
                        "{what}: controller `{}` is listed twice",
                        controller.name.value
                    ),
                )
                .at(controller.name.loc)
                .related(first.name.loc, "first listed here")
                .hint("list each controller once, with all its ports"),
            );
        }
    }
    if let Some(said) = &endpoint.controllers_lag {
        let why = if endpoint.controllers.is_empty() {
            Some("it lists no `controllers`")
        } else if endpoint.lag == Lag::None {
            Some("its ports are not bundled (`lag: none`, multipath)")
        } else {
            None
        };
        if let Some(why) = why {
            diagnostics.push(
                Diagnostic::warning(
                    "W051",
                    format!("{what}: `controllers_lag` has no effect: {why}"),
                )
                .at(said.loc)
                .hint("remove it, or list the ports under `controllers` with `lag: lacp`"),
            );
        }
    }
    if endpoint.lag != Lag::Lacp {
        return;
    }
    if endpoint.controllers.is_empty() || endpoint.controllers_lag() == Interconnects::Mlag {
        bundle_spans_one_pair(
            &what,
            endpoint.ports.iter(),
            endpoint.loc,
            index,
            unread,
            diagnostics,
        );
        return;
    }
    for controller in &endpoint.controllers {
        bundle_spans_one_pair(
            &format!("{what} controller `{}`", controller.name.value),
            controller.ports.iter(),
            controller.loc,
            index,
            unread,
            diagnostics,
        );
    }
}

/// A port-channel lives on one switch or spans the two members of one pair.
fn bundle_spans_one_pair<'a>(
    what: &str,
    ports: impl Iterator<Item = &'a PortRef>,
    loc: Loc,
    index: &Index,
    unread: &Unread,
    diagnostics: &mut Diagnostics,
) {
    let mut switches: Vec<&str> = ports.map(|p| p.switch.as_str()).collect();
    switches.sort_unstable();
    switches.dedup();
    // A switch that is unknown (E040) or whose entry was not fully read
    // (its `pair` perhaps): no pair to judge the bundle by.
    let unknown = switches.iter().any(|name| {
        index
            .switches
            .get(name)
            .is_none_or(|s| unread.is_partial(s.loc))
    });
    let fits = unknown
        || match switches.as_slice() {
            [] | [_] => true,
            [a, b] => index.peer_of(a) == Some(*b),
            _ => false,
        };
    if !fits {
        diagnostics.push(
            Diagnostic::error(
                "E102",
                format!(
                    "{what} bundles ports of {} which are not one switch or one {} pair",
                    switches.join(", "),
                    pair_name_of(index, switches.iter().copied())
                ),
            )
            .at(loc)
            .hint("a port-channel spans one switch or the two members of a pair (`pair:`); use `lag: none` otherwise"),
        );
    }
}

fn unused(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let in_zone: HashSet<&str> = inventory
        .zones
        .iter()
        .flat_map(|z| z.segments.iter().map(|s| s.as_str()))
        .collect();
    for segment in &inventory.segments {
        if !in_zone.contains(segment.name.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    "W001",
                    format!(
                        "segment `{}` is in no zone: no host can run its VMs",
                        segment.name.value
                    ),
                )
                .at(segment.name.loc)
                .hint("add it to a zone's `segments`, or remove it"),
            );
        }
    }
    let with_hosts: HashSet<&str> = inventory.hosts.iter().map(|h| h.zone.as_str()).collect();
    for zone in &inventory.zones {
        if !with_hosts.contains(zone.name.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    "W002",
                    format!(
                        "zone `{}` has no hosts: its segments are configured nowhere",
                        zone.name.value
                    ),
                )
                .at(zone.name.loc)
                .hint("assign hosts to it with `zone:`"),
            );
        }
    }
}

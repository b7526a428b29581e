//! A switch's page: what it is, the zones it carries and why, its VLANs,
//! gateways, ports and port-channels, its hardware budget, and with
//! `--running` its plan and `verify`'s findings on it.

use super::doc::{code, switch_link, text, vlan_list, Bar, Block, Line, Page};
use super::index::{carried_cell, carrier_name};
use super::svg::short_port;
use super::Input;
use crate::budget::Usage;
use crate::intent::{DeviceIntent, Switchport, SwitchportMode};
use crate::inventory::{Attachment, Inventory, Platform, Resource};
use std::collections::BTreeMap;

/// What is at the other end of a switch port, by (switch, port).
pub struct FarEnd {
    pub text: String,
    /// The switch at the other end, for a link.
    pub switch: Option<String>,
}

/// Every cabled port's far end, from the inventory's cables, chassis
/// uplinks, host NICs, endpoint ports and external links.
pub fn far_ends(inventory: &Inventory) -> BTreeMap<(String, String), FarEnd> {
    let mut out = BTreeMap::new();
    let key = |switch: &str, port: &crate::inventory::Port| (switch.to_string(), port.to_string());
    for link in &inventory.links {
        let [a, b] = &link.ends;
        for (near, far) in [(a, b), (b, a)] {
            out.insert(
                key(near.switch.as_str(), &near.port.value),
                FarEnd {
                    text: format!("{} {}", far.switch.value, far.port.value),
                    switch: Some(far.switch.value.clone()),
                },
            );
        }
    }
    for chassis in &inventory.chassis {
        for uplink in &chassis.uplinks {
            for port in &uplink.ports {
                let module = uplink
                    .module
                    .as_ref()
                    .map(|m| format!(" module {}", m.value))
                    .unwrap_or_default();
                out.insert(
                    key(uplink.switch.as_str(), &port.value),
                    FarEnd {
                        text: format!("chassis {}{module}", chassis.name.value),
                        switch: None,
                    },
                );
            }
        }
    }
    for host in &inventory.hosts {
        if let Attachment::Nics { nics, .. } = &host.attachment {
            for nic in nics {
                out.insert(
                    key(nic.switch.as_str(), &nic.port.value),
                    FarEnd {
                        text: format!("host {} (zone {})", host.name.value, host.zone.value),
                        switch: None,
                    },
                );
            }
        }
    }
    for endpoint in &inventory.endpoints {
        for port in &endpoint.ports {
            out.insert(
                key(port.switch.as_str(), &port.port.value),
                FarEnd {
                    text: format!("endpoint {}", endpoint.name.value),
                    switch: None,
                },
            );
        }
    }
    for external in &inventory.external {
        out.insert(
            key(external.switch.as_str(), &external.port.value),
            FarEnd {
                text: format!(
                    "external: next hop {} (VRF {})",
                    external.next_hop.value,
                    external.vrf()
                ),
                switch: None,
            },
        );
    }
    out
}

/// One resource of a switch's budget as a bar.
pub fn bar(usage: &Usage, platform: Platform, warning: u64) -> Bar {
    let label = Resource::ALL
        .iter()
        .find(|r| r.key() == usage.resource)
        .map_or(usage.resource.to_string(), |r| {
            r.describe(platform).into_owned()
        });
    let mut note = String::new();
    if !usage.drivers.is_empty() {
        note.push_str(&usage.drivers.join(", "));
        note.push_str("; ");
    }
    note.push_str("limit: ");
    note.push_str(&usage.source);
    Bar {
        label,
        used: usage.used,
        limit: usage.limit,
        percent: usage.percent,
        warning,
        note,
    }
}

fn mode_and_vlans(switchport: &Switchport) -> (String, String) {
    match switchport.access_vlan {
        Some(vlan) if switchport.mode == SwitchportMode::Access => {
            ("access".to_string(), vlan.to_string())
        }
        _ => (
            switchport.mode.as_str().to_string(),
            vlan_list(switchport.allowed_vlans.iter().copied()),
        ),
    }
}

pub fn page(input: &Input, device: &DeviceIntent) -> Page {
    let mut page = Page {
        switch: Some(device.name.clone()),
        title: format!("Switch {}", device.name),
        blocks: Vec::new(),
    };
    overview(input, device, &mut page);
    zones(input, device, &mut page);
    vlans(input, device, &mut page);
    gateways(device, &mut page);
    ports(input, device, &mut page);
    budget(input, device, &mut page);
    if let Some(running) = input.running {
        plan(running, device, &mut page);
        findings(running, device, &mut page);
    }
    page
}

fn overview(input: &Input, device: &DeviceIntent, page: &mut Page) {
    let switch = input.view.index.switches.get(device.name.as_str());
    let mut rows: Vec<Vec<Line>> = vec![
        vec![vec![text("role")], vec![text(device.role.as_str())]],
        vec![vec![text("platform")], vec![text(device.platform.as_str())]],
        vec![
            vec![text("model")],
            vec![text(device.model.clone().unwrap_or_default())],
        ],
    ];
    if let Some(mgmt) = switch.and_then(|s| s.mgmt.as_ref()) {
        rows.push(vec![
            vec![text("management")],
            vec![code(mgmt.value.clone())],
        ]);
    }
    if let Some(description) = &device.description {
        rows.push(vec![
            vec![text("description")],
            vec![text(description.clone())],
        ]);
    }
    if let Some(mlag) = &device.mlag {
        rows.push(vec![
            vec![text(device.platform.pair_name())],
            vec![
                text(format!("domain {} with ", mlag.domain)),
                switch_link(&mlag.peer),
                text(format!(
                    ", peer-link {}, role priority {}",
                    device.platform.port_channel_name(mlag.peer_link),
                    mlag.role_priority
                )),
            ],
        ]);
        let heartbeat = device.platform.pair_words().keepalive.as_ref();
        if let (Some(keepalive), Some(heartbeat)) = (&mlag.keepalive, heartbeat) {
            rows.push(vec![
                vec![text(heartbeat.short)],
                vec![code(format!(
                    "{} → {}",
                    keepalive.source, keepalive.destination
                ))],
            ]);
        }
    }
    rows.push(vec![
        vec![text("spanning tree")],
        vec![text(format!(
            "{}, priority {}{}",
            device.stp.mode.as_str(),
            device.stp.priority,
            if device.stp.root { " (root)" } else { "" }
        ))],
    ]);
    page.table(&["", ""], rows);
}

fn zones(input: &Input, device: &DeviceIntent, page: &mut Page) {
    page.heading(2, "Zones carried", "zones");
    let group = input.view.topology.group_of[device.name.as_str()];
    let carried = &input.view.closure.carried[group];
    if carried.is_empty() {
        page.paragraph(vec![text("No zone's VLANs reach this switch.")]);
        return;
    }
    let rows = carried
        .keys()
        .map(|carrier| {
            vec![
                vec![text(carrier_name(carrier))],
                carried_cell(input, carrier, group),
            ]
        })
        .collect();
    page.table(&["for", "VLANs, and the hosts below that need them"], rows);
}

fn vlans(input: &Input, device: &DeviceIntent, page: &mut Page) {
    page.heading(2, "VLANs", "vlans");
    let segment_of: BTreeMap<u16, &str> = input
        .inventory
        .segments
        .iter()
        .map(|s| (s.vlan_id(), s.name.as_str()))
        .collect();
    let rows = device
        .vlans
        .iter()
        .map(|vlan| {
            vec![
                vec![text(vlan.id.to_string())],
                vec![text(vlan.name.clone())],
                vec![text(segment_of.get(&vlan.id).copied().unwrap_or(""))],
            ]
        })
        .collect();
    page.table(&["VLAN", "name", "segment"], rows);
}

fn gateways(device: &DeviceIntent, page: &mut Page) {
    if device.svis.is_empty() && device.transit_svis.is_empty() {
        return;
    }
    page.heading(2, "Gateways", "gateways");
    let mut rows: Vec<Vec<Line>> = device
        .svis
        .iter()
        .map(|svi| {
            let (virtual_ip, group) = match &svi.fhrp {
                Some(f) => (
                    f.virtual_ip.clone(),
                    format!(
                        "HSRP v{} group {}{}",
                        f.version,
                        f.group,
                        f.priority
                            .map(|p| format!(", priority {p}"))
                            .unwrap_or_default()
                    ),
                ),
                None => (String::new(), String::new()),
            };
            vec![
                vec![text(format!("Vlan{}", svi.vlan))],
                vec![text(svi.segment.clone())],
                vec![text(
                    svi.vrf.clone().unwrap_or_else(|| "default".to_string()),
                )],
                vec![code(svi.address.clone())],
                vec![code(virtual_ip), text(" "), text(group)],
                vec![text(svi.mtu.map(|m| m.to_string()).unwrap_or_default())],
                vec![text(format!(
                    "in {} · out {}",
                    svi.acl_in.as_deref().unwrap_or("-"),
                    svi.acl_out.as_deref().unwrap_or("-")
                ))],
            ]
        })
        .collect();
    for transit in &device.transit_svis {
        rows.push(vec![
            vec![text(format!("Vlan{}", transit.vlan))],
            vec![text(transit.description.clone())],
            vec![text(
                transit.vrf.clone().unwrap_or_else(|| "default".to_string()),
            )],
            vec![code(transit.address.clone())],
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ]);
    }
    page.table(
        &[
            "SVI",
            "segment",
            "VRF",
            "address",
            "virtual address",
            "MTU",
            "ACLs",
        ],
        rows,
    );
}

fn ports(input: &Input, device: &DeviceIntent, page: &mut Page) {
    page.heading(2, "Ports", "ports");
    let channels: BTreeMap<u32, &crate::intent::PortChannel> =
        device.port_channels.iter().map(|p| (p.id, p)).collect();
    let pair = device.platform.pair_name();
    let vpc_of = |number: u32| -> String {
        match channels.get(&number) {
            Some(pc) if pc.peer_link => "peer-link".to_string(),
            Some(pc) => pc
                .mlag_id
                .map(|m| format!("{pair} {m}"))
                .unwrap_or_default(),
            None => String::new(),
        }
    };
    let rows = device
        .interfaces
        .iter()
        .map(|interface| {
            let far = input
                .far_ends
                .get(&(device.name.clone(), interface.name.clone()));
            let far_end = match far {
                Some(FarEnd {
                    switch: Some(switch),
                    text: t,
                }) => {
                    let port = t.strip_prefix(switch.as_str()).unwrap_or("").trim();
                    vec![switch_link(switch), text(format!(" {}", short_port(port)))]
                }
                Some(far) => vec![text(far.text.clone())],
                None => vec![text(interface.description.clone())],
            };
            let (mode, vlans) = match (&interface.switchport, &interface.routed) {
                (Some(switchport), _) => mode_and_vlans(switchport),
                (None, Some(routed)) => (
                    format!(
                        "routed {} (VRF {})",
                        routed.address,
                        routed.vrf.as_deref().unwrap_or("default")
                    ),
                    String::new(),
                ),
                (None, None) => (String::new(), String::new()),
            };
            let mut vpc = interface.channel_group.map(vpc_of).unwrap_or_default();
            if interface.orphan_suspend {
                vpc = format!("orphan port (suspended with the {pair}s)");
            }
            vec![
                vec![code(short_port(&interface.name))],
                far_end,
                vec![text(mode)],
                vec![code(vlans)],
                vec![text(
                    interface
                        .channel_group
                        .map(|n| device.platform.port_channel_name(n))
                        .unwrap_or_default(),
                )],
                vec![text(vpc)],
            ]
        })
        .collect();
    page.table(&["port", "far end", "mode", "VLANs", "bundle", pair], rows);
    if device.port_channels.is_empty() {
        return;
    }
    page.heading(3, "Port-channels", "port-channels");
    let rows = device
        .port_channels
        .iter()
        .map(|pc| {
            let (mode, vlans) = mode_and_vlans(&pc.switchport);
            let ports: Vec<&str> = device
                .interfaces
                .iter()
                .filter(|i| i.channel_group == Some(pc.id))
                .map(|i| i.name.as_str())
                .collect();
            vec![
                vec![text(device.platform.port_channel_name(pc.id))],
                vec![text(pc.description.clone())],
                vec![code(
                    ports
                        .iter()
                        .map(|p| short_port(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
                vec![text(mode)],
                vec![code(vlans)],
                vec![text(vpc_of(pc.id))],
            ]
        })
        .collect();
    page.table(
        &[
            "port-channel",
            "description",
            "members",
            "mode",
            "VLANs",
            device.platform.pair_name(),
        ],
        rows,
    );
}

fn budget(input: &Input, device: &DeviceIntent, page: &mut Page) {
    let Some(switch) = input
        .budget
        .switches
        .iter()
        .find(|s| s.switch == device.name)
    else {
        return;
    };
    page.heading(2, "Hardware budget", "budget");
    page.paragraph(vec![text(format!(
        "Model {}; warning at {}% of a limit (the mark on each bar).{}",
        switch.model,
        input.budget.warning_percent,
        if switch.defaults_used.is_empty() {
            String::new()
        } else {
            format!(
                " Limits from the platform default: {}.",
                switch.defaults_used.join(", ")
            )
        }
    ))]);
    page.blocks.push(Block::Bars(
        switch
            .resources
            .iter()
            .map(|u| bar(u, switch.platform, input.budget.warning_percent))
            .collect(),
    ));
}

fn plan(running: &super::RunningState, device: &DeviceIntent, page: &mut Page) {
    page.heading(2, "Plan", "plan");
    let Some(plan) = running.plans.get(&device.name) else {
        return;
    };
    if !plan.has_changes() {
        page.paragraph(vec![
            text("No changes: the running config in "),
            code(&running.dir),
            text(" is what the inventory intends."),
        ]);
    } else {
        page.paragraph(vec![text(format!(
            "{} commands, in apply order (secrets redacted):",
            plan.commands.len()
        ))]);
        let commands: String = plan
            .lines()
            .map(|line| format!("{}\n", crate::plan::redact::line(&line)))
            .collect();
        page.blocks.push(Block::Code(commands));
        page.heading(3, "Diff", "diff");
        page.blocks.push(Block::Code(
            crate::plan::redact::text(&plan.diff).into_owned(),
        ));
    }
    if !plan.notes.is_empty() {
        page.blocks.push(Block::List(
            plan.notes.iter().map(|n| vec![text(n.clone())]).collect(),
        ));
    }
}

fn findings(running: &super::RunningState, device: &DeviceIntent, page: &mut Page) {
    page.heading(2, "Verify findings", "findings");
    let findings: Vec<_> = running
        .report
        .findings
        .iter()
        .filter(|f| f.switches.contains(&device.name))
        .collect();
    if findings.is_empty() {
        page.paragraph(vec![text(
            "None: verify finds nothing on this switch that strands a host.",
        )]);
        return;
    }
    for finding in findings {
        let mut items: Vec<Line> = vec![vec![text(format!("breaks: {}", finding.breaks.summary))]];
        for place in &finding.config {
            items.push(vec![
                text("config: "),
                code(crate::verify::report::config_line(place)),
            ]);
        }
        for place in &finding.inventory {
            items.push(vec![text("inventory: "), code(place.clone())]);
        }
        items.push(vec![text(format!("fix: {}", finding.fix))]);
        page.blocks.push(Block::Paragraph(vec![
            code(finding.code),
            text(format!(" {}", finding.message)),
        ]));
        page.blocks.push(Block::List(items));
    }
}

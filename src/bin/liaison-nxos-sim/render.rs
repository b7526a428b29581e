//! `show running-config` as NX-OS 9.3 prints it: header, sections in the
//! switch's order, two-space indentation, the derived `vlan 1,...` summary
//! line and long trunk lists wrapped onto `... add` lines.

use crate::command::FEATURES;
use crate::model::{Device, IfName, Interface, Layer, PortDefaults, PortMode, VpcRole};
use crate::vlans;

pub const VERSION_LINE: &str = "version 9.3(8) Bios:version  ";
pub const LAST_CHANGE: &str = "!Running configuration last done at: ";

/// What `show running-config` prints: only what differs from the
/// defaults, or (`all`) every setting the simulator models.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Changed,
    All,
}

/// The whole `show running-config` output; `now` is the `!Time:` line's.
pub fn running_config(dev: &Device, now: &str) -> String {
    show(dev, now, Detail::Changed)
}

/// `show running-config [all]`.
pub fn show(dev: &Device, now: &str, detail: Detail) -> String {
    let command = match detail {
        Detail::Changed => "show running-config",
        Detail::All => "show running-config all",
    };
    let mut out = vec![
        format!("!Command: {command}"),
        format!("{LAST_CHANGE}{}", dev.last_change),
        format!("!Time: {now}"),
        String::new(),
    ];
    out.extend(lines(dev, detail));
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The configuration without the header.
#[cfg(test)]
pub fn body(dev: &Device) -> Vec<String> {
    lines(dev, Detail::Changed)
}

/// `[no] system default switchport [shutdown]`: printed when it differs
/// from the hardware's factory default, as NX-OS does, or always (`all`).
fn system_defaults(dev: &Device, detail: Detail) -> Vec<String> {
    let (now, factory) = (dev.port_defaults, dev.factory);
    let line = |on: bool, setting: &str| {
        format!("{}system default {setting}", if on { "" } else { "no " })
    };
    let mut out = Vec::new();
    if detail == Detail::All || now.switchport != factory.switchport {
        out.push(line(now.switchport, "switchport"));
    }
    if detail == Detail::All || now.switchport_shutdown != factory.switchport_shutdown {
        out.push(line(now.switchport_shutdown, "switchport shutdown"));
    }
    out
}

fn lines(dev: &Device, detail: Detail) -> Vec<String> {
    let mut out = vec![
        VERSION_LINE.to_string(),
        format!("hostname {}", dev.hostname),
    ];

    if !dev.features.is_empty() {
        out.push(String::new());
        let mut features: Vec<&String> = dev.features.iter().collect();
        // NX-OS prints features in its own fixed order, not alphabetically.
        features.sort_by_key(|f| FEATURES.iter().position(|k| k == f));
        out.extend(features.into_iter().map(|f| format!("feature {f}")));
    }

    out.push(String::new());
    let globals_start = out.len();
    for block in &dev.opaque {
        out.extend(block.iter().cloned());
    }
    out.extend(system_defaults(dev, detail));
    for ((kind, name), group) in &dev.object_groups {
        out.push(format!("object-group ip {} {name}", kind.keyword()));
        out.extend(
            group
                .entries
                .iter()
                .map(|(seq, text)| format!("  {seq} {text}")),
        );
    }
    for (name, acl) in &dev.acls {
        out.push(format!("ip access-list {name}"));
        if acl.statistics {
            out.push("  statistics per-entry".into());
        }
        out.extend(
            acl.entries
                .iter()
                .map(|(seq, text)| format!("  {seq} {text}")),
        );
    }
    for (prefix, next_hop) in &dev.routes {
        out.push(format!("ip route {prefix} {next_hop}"));
    }

    if out.len() > globals_start {
        out.push(String::new());
    }
    let mut ids: vlans::VlanSet = dev.vlans.keys().copied().collect();
    ids.insert(1);
    out.push(format!("vlan {}", vlans::format(&ids)));
    for (id, vlan) in &dev.vlans {
        if vlan.name.is_some() || !vlan.extra.is_empty() {
            out.push(format!("vlan {id}"));
            if let Some(name) = &vlan.name {
                out.push(format!("  name {name}"));
            }
            out.extend(vlan.extra.iter().map(|l| format!("  {l}")));
        }
    }
    out.push(String::new());

    if let Some(mode) = &dev.stp_mode {
        out.push(format!("spanning-tree mode {mode}"));
    }
    for (kind, table) in [("mst", &dev.mst_priority), ("vlan", &dev.vlan_priority)] {
        let mut by_priority: std::collections::BTreeMap<u32, vlans::VlanSet> = Default::default();
        for (id, priority) in table {
            by_priority.entry(*priority).or_default().insert(*id);
        }
        for (priority, ids) in by_priority {
            out.push(format!(
                "spanning-tree {kind} {} priority {priority}",
                vlans::format(&ids)
            ));
        }
    }
    if let Some(mst) = &dev.mst {
        if mst.name.is_some() || mst.revision.is_some() || !mst.instances.is_empty() {
            out.push("spanning-tree mst configuration".into());
            if let Some(name) = &mst.name {
                out.push(format!("  name {name}"));
            }
            if let Some(revision) = mst.revision {
                out.push(format!("  revision {revision}"));
            }
            for (id, set) in &mst.instances {
                out.push(format!("  instance {id} vlan {}", vlans::format(set)));
            }
        }
    }
    for (name, vrf) in &dev.vrfs {
        out.push(format!("vrf context {name}"));
        out.extend(vrf.extra.iter().map(|l| format!("  {l}")));
        for (prefix, next_hop) in &vrf.routes {
            out.push(format!("  ip route {prefix} {next_hop}"));
        }
    }
    if let Some(domain) = &dev.vpc {
        out.push(format!("vpc domain {}", domain.id));
        out.extend(domain.settings.values().map(|l| format!("  {l}")));
        out.extend(domain.extra.iter().map(|l| format!("  {l}")));
    }

    for (name, iface) in &dev.interfaces {
        out.push(String::new());
        out.push(format!("interface {name}"));
        out.extend(
            interface(name, iface, dev.port_defaults, detail)
                .into_iter()
                .map(|l| format!("  {l}")),
        );
    }
    out
}

/// An interface's lines (without the two-space indent) in NX-OS order: a
/// setting only where it differs from the default (no `switchport` on a
/// Layer 2 port of a Layer-2-default device, `no switchport` on a routed
/// one, `no shutdown` only where the default is shut, no `switchport mode
/// access`), or every one (`all`).
fn interface(
    name: &IfName,
    iface: &Interface,
    defaults: PortDefaults,
    detail: Detail,
) -> Vec<String> {
    let all = detail == Detail::All;
    let mut out = Vec::new();
    if let Some(d) = &iface.description {
        out.push(format!("description {d}"));
    }
    let layer = iface.layer(defaults);
    let shut = iface.is_shut(name, defaults);
    let shutdown = (all || shut != defaults.shut(name, layer))
        .then(|| if shut { "shutdown" } else { "no shutdown" }.to_string());
    // SVIs and loopbacks print their admin state first, ports last.
    let state_first = matches!(name, IfName::Vlan(_) | IfName::Loopback(_));
    if state_first {
        out.extend(shutdown.clone());
    }
    if name.can_switch() && (all || layer != defaults.layer()) {
        out.push(
            match layer {
                Layer::L2 => "switchport",
                Layer::L3 => "no switchport",
            }
            .into(),
        );
    }
    match iface.mode {
        Some(PortMode::Access) if all => out.push("switchport mode access".into()),
        Some(PortMode::Trunk) => out.push("switchport mode trunk".into()),
        _ => {}
    }
    if let Some(vlan) = iface.access_vlan {
        out.push(format!("switchport access vlan {vlan}"));
    }
    if let Some(allowed) = &iface.allowed {
        if allowed.is_empty() {
            out.push("switchport trunk allowed vlan none".into());
        }
        for (i, chunk) in vlans::wrapped(allowed).into_iter().enumerate() {
            let add = if i == 0 { "" } else { "add " };
            out.push(format!("switchport trunk allowed vlan {add}{chunk}"));
        }
    }
    if let Some(kind) = &iface.stp_port_type {
        out.push(format!("spanning-tree port type {kind}"));
    }
    out.extend(iface.settings.values().cloned());
    if let Some(mtu) = iface.mtu {
        out.push(format!("mtu {mtu}"));
    }
    if let Some((group, mode)) = &iface.channel_group {
        out.push(match mode.as_str() {
            "on" => format!("channel-group {group}"),
            _ => format!("channel-group {group} mode {mode}"),
        });
    }
    match &iface.vpc {
        Some(VpcRole::PeerLink) => out.push("vpc peer-link".into()),
        Some(VpcRole::Id(id)) => out.push(format!("vpc {id}")),
        None => {}
    }
    if let Some(vrf) = &iface.vrf {
        out.push(format!("vrf member {vrf}"));
    }
    if iface.no_ip_redirects {
        out.push("no ip redirects".into());
    }
    for (direction, acl) in &iface.access_groups {
        out.push(format!("ip access-group {acl} {direction}"));
    }
    if let Some(address) = &iface.ip_address {
        out.push(format!("ip address {address}"));
    }
    if iface.hsrp_version == Some(2) {
        out.push("hsrp version 2".into());
    }
    for (group, hsrp) in &iface.hsrp {
        out.push(format!("hsrp {group}"));
        out.extend(hsrp.preempt.iter().map(|p| format!("  {p}")));
        out.extend(hsrp.priority.iter().map(|p| format!("  priority {p}")));
        out.extend(hsrp.ip.iter().map(|ip| format!("  ip {ip}")));
        out.extend(hsrp.extra.iter().map(|l| format!("  {l}")));
    }
    out.extend(iface.extra.iter().cloned());
    if !state_first {
        out.extend(shutdown);
    }
    out
}

//! What a parsed command does to the device, with NX-OS's side effects:
//! `no feature` wipes what depends on it, `vrf member` wipes the L3
//! config, a port-channel passes its switchport settings to its members.

use crate::command::{CliError, Cmd, Mode, Parsed, TrunkOp};
use crate::model::{
    next_sequence, Device, GroupKind, IfName, Interface, Layer, Mst, PortDefaults, VpcDomain,
};
use crate::vlans::{self, VlanSet};

/// VLANs NX-OS reserves for internal use by default.
const RESERVED: std::ops::RangeInclusive<u16> = 3968..=4094;

/// Applies a parsed line. `loading` is true when the text is a state file
/// being read back: then a missing feature does not reject a command (the
/// file is what the switch had, whatever order its lines are in).
/// Returns the messages NX-OS prints on success (warnings).
pub fn apply(dev: &mut Device, parsed: &Parsed, loading: bool) -> Result<Vec<String>, CliError> {
    if let Some((feature, at)) = parsed.needs {
        if !loading && !dev.features.contains(feature) {
            return Err(CliError::invalid(at));
        }
    }
    let invalid = || CliError::invalid(parsed.at);
    let mut messages = Vec::new();
    match (&parsed.mode, &parsed.cmd) {
        (_, Cmd::Hostname(name)) => dev.hostname = name.clone().unwrap_or_else(|| "switch".into()),
        (_, Cmd::Feature(name, true)) => {
            dev.features.insert(name.clone());
        }
        (_, Cmd::Feature(name, false)) => disable_feature(dev, name),
        (
            _,
            Cmd::SystemDefault {
                shutdown: false,
                on,
            },
        ) => dev.port_defaults.switchport = *on,
        (_, Cmd::SystemDefault { shutdown: true, on }) => {
            dev.port_defaults.switchport_shutdown = *on
        }
        (_, Cmd::Vlan(ids)) => {
            reserved_check(ids)?;
            for id in ids {
                dev.vlans.entry(*id).or_default();
            }
        }
        (_, Cmd::NoVlan(ids)) => {
            if ids.contains(&1) {
                return Err(CliError::message("ERROR: Default VLAN 1 cannot be deleted"));
            }
            reserved_check(ids)?;
            for id in ids {
                dev.vlans.remove(id);
            }
        }
        (_, Cmd::StpMode(mode)) => {
            // rapid-pvst is the default, which show-run does not print.
            dev.stp_mode = mode.clone().filter(|m| m != "rapid-pvst");
        }
        (_, Cmd::StpPriority { mst, ids, priority }) => {
            let table = if *mst {
                &mut dev.mst_priority
            } else {
                &mut dev.vlan_priority
            };
            for id in ids {
                match priority.filter(|p| *p != 32768) {
                    Some(p) => table.insert(*id, p),
                    None => table.remove(id),
                };
            }
        }
        (_, Cmd::MstConfig) => {
            dev.mst.get_or_insert_with(Mst::default);
        }
        (_, Cmd::NoMstConfig) => dev.mst = None,
        (_, Cmd::VrfContext(name)) => {
            dev.vrfs.entry(name.clone()).or_default();
        }
        (_, Cmd::NoVrfContext(name)) => {
            if name == "management" || name == "default" {
                return Err(CliError::message(format!(
                    "ERROR: Cannot delete reserved VRF {name}"
                )));
            }
            dev.vrfs.remove(name);
            for iface in dev.interfaces.values_mut() {
                if iface.vrf.as_deref() == Some(name) {
                    iface.vrf = None;
                    iface.clear_l3();
                }
            }
        }
        (_, Cmd::VpcDomain(id)) => match &dev.vpc {
            Some(domain) if domain.id != *id => {
                return Err(CliError::message(format!(
                "ERROR: vPC domain {} already configured; remove it before configuring domain {id}",
                domain.id
            )))
            }
            Some(_) => {}
            None => {
                dev.vpc = Some(VpcDomain {
                    id: *id,
                    ..VpcDomain::default()
                })
            }
        },
        (_, Cmd::NoVpcDomain(id)) => {
            if dev.vpc.as_ref().is_some_and(|d| d.id == *id) {
                dev.vpc = None;
            }
        }
        (_, Cmd::Interface(name)) => {
            dev.interfaces.entry(name.clone()).or_default();
        }
        (_, Cmd::NoInterface(name)) => {
            if name.is_physical() {
                return Err(CliError::message(format!(
                    "ERROR: {name}: cannot delete a physical interface"
                )));
            }
            dev.interfaces.remove(name);
            if let IfName::PortChannel(n) = name {
                for iface in dev.interfaces.values_mut() {
                    if iface.channel_group.as_ref().is_some_and(|(g, _)| g == n) {
                        iface.channel_group = None;
                    }
                }
            }
        }
        (_, Cmd::DefaultInterface(name)) => {
            if let Some(iface) = dev.interfaces.get_mut(name) {
                *iface = Interface::default();
            }
        }
        (
            Mode::Vrf(vrf),
            Cmd::Route {
                prefix,
                next_hop,
                add,
            },
        ) => {
            let routes = &mut dev.vrfs.entry(vrf.clone()).or_default().routes;
            set_member(routes, (prefix.clone(), next_hop.clone()), *add);
        }
        (
            _,
            Cmd::Route {
                prefix,
                next_hop,
                add,
            },
        ) => {
            set_member(&mut dev.routes, (prefix.clone(), next_hop.clone()), *add);
        }
        (_, Cmd::AccessList(name)) => {
            dev.acls.entry(name.clone()).or_default();
        }
        (_, Cmd::NoAccessList(name)) => {
            dev.acls.remove(name);
        }
        (_, Cmd::ObjectGroup(kind, name)) => {
            dev.object_groups.entry((*kind, name.clone())).or_default();
        }
        (_, Cmd::NoObjectGroup(kind, name)) => {
            dev.object_groups.remove(&(*kind, name.clone()));
        }
        (Mode::Interface(name), cmd) => {
            interface(dev, name, cmd, parsed.at, loading, &mut messages)?;
        }
        (Mode::Hsrp(name, group), cmd) => {
            let hsrp = dev
                .interfaces
                .entry(name.clone())
                .or_default()
                .hsrp
                .entry(*group)
                .or_default();
            match cmd {
                Cmd::Preempt(line) => hsrp.preempt = line.clone(),
                Cmd::Priority(p) => hsrp.priority = *p,
                Cmd::HsrpIp(ip) => hsrp.ip = ip.clone(),
                _ => return Err(invalid()),
            }
        }
        (Mode::Vlan(ids), Cmd::VlanName(name)) => {
            for id in ids {
                dev.vlans.entry(*id).or_default().name = name.clone();
            }
        }
        (Mode::VpcDomain, Cmd::VpcSetting { rank, line }) => {
            let domain = dev.vpc.as_mut().ok_or_else(invalid)?;
            match line {
                Some(line) => domain.settings.insert(*rank, line.clone()),
                None => domain.settings.remove(rank),
            };
        }
        (Mode::Mst, cmd) => {
            let mst = dev.mst.get_or_insert_with(Mst::default);
            match cmd {
                Cmd::MstName(name) => mst.name = name.clone(),
                Cmd::MstRevision(revision) => mst.revision = *revision,
                Cmd::MstInstance {
                    id,
                    vlans,
                    add: true,
                } => mst
                    .instances
                    .entry(*id)
                    .or_default()
                    .extend(vlans.iter().flatten()),
                Cmd::MstInstance {
                    id,
                    vlans,
                    add: false,
                } => {
                    let instance = mst.instances.entry(*id).or_default();
                    match vlans {
                        Some(set) => instance.retain(|v| !set.contains(v)),
                        None => instance.clear(),
                    }
                    if instance.is_empty() {
                        mst.instances.remove(id);
                    }
                }
                _ => return Err(invalid()),
            }
        }
        (Mode::Acl(name), cmd) => {
            let acl = dev.acls.entry(name.clone()).or_default();
            match cmd {
                Cmd::Statistics(on) => acl.statistics = *on,
                _ => entries(&mut acl.entries, cmd)?,
            }
        }
        (Mode::AddrGroup(name), cmd) => {
            let key = (GroupKind::Address, name.clone());
            entries(&mut dev.object_groups.entry(key).or_default().entries, cmd)?;
        }
        (Mode::PortGroup(name), cmd) => {
            let key = (GroupKind::Port, name.clone());
            entries(&mut dev.object_groups.entry(key).or_default().entries, cmd)?;
        }
        _ => return Err(invalid()),
    }
    Ok(messages)
}

fn set_member<T: Ord>(set: &mut std::collections::BTreeSet<T>, item: T, add: bool) {
    if add {
        set.insert(item);
    } else {
        set.remove(&item);
    }
}

fn reserved_check(ids: &[u16]) -> Result<(), CliError> {
    match ids.iter().find(|id| RESERVED.contains(id)) {
        Some(id) => Err(CliError::message(format!(
            "ERROR: VLAN {id} is reserved for internal use (VLANs 3968-4094)"
        ))),
        None => Ok(()),
    }
}

/// `no feature X` removes the configuration that needs X, as NX-OS does.
fn disable_feature(dev: &mut Device, name: &str) {
    dev.features.remove(name);
    // Interface settings of the feature go with it.
    for (rank, setting) in crate::command::PORT_SETTINGS.iter().enumerate() {
        if setting.feature == Some(name) {
            for iface in dev.interfaces.values_mut() {
                iface.settings.remove(&rank);
            }
        }
    }
    match name {
        "interface-vlan" => dev.interfaces.retain(|n, _| !matches!(n, IfName::Vlan(_))),
        "hsrp" => {
            for iface in dev.interfaces.values_mut() {
                iface.hsrp.clear();
                iface.hsrp_version = None;
            }
        }
        "vpc" => {
            dev.vpc = None;
            for iface in dev.interfaces.values_mut() {
                iface.vpc = None;
            }
        }
        "lacp" => {
            for iface in dev.interfaces.values_mut() {
                if iface
                    .channel_group
                    .as_ref()
                    .is_some_and(|(_, mode)| mode != "on")
                {
                    iface.channel_group = None;
                }
            }
        }
        _ => {}
    }
}

/// ACL and object-group entries, keyed by sequence number.
fn entries(
    entries: &mut std::collections::BTreeMap<u32, String>,
    cmd: &Cmd,
) -> Result<(), CliError> {
    match cmd {
        Cmd::Entry { seq, text } => {
            let seq = seq.unwrap_or_else(|| next_sequence(entries));
            if entries.contains_key(&seq) {
                return Err(CliError::message("ERROR: Duplicate sequence number"));
            }
            entries.insert(seq, text.clone());
        }
        Cmd::NoSeq(seq) => {
            entries.remove(seq);
        }
        Cmd::NoEntry(text) => entries.retain(|_, t| t != text),
        _ => return Err(CliError::invalid(0)),
    }
    Ok(())
}

/// Switchport settings a port-channel passes on to its members.
fn propagates(cmd: &Cmd) -> bool {
    matches!(
        cmd,
        Cmd::Switchport(_)
            | Cmd::SwitchportMode(_)
            | Cmd::AccessVlan(_)
            | Cmd::TrunkAllowed(_)
            | Cmd::Mtu(_)
    )
}

/// An interface command; returns the sub-mode it enters, if any.
fn interface(
    dev: &mut Device,
    name: &IfName,
    cmd: &Cmd,
    at: usize,
    loading: bool,
    messages: &mut Vec<String>,
) -> Result<(), CliError> {
    if let Cmd::ChannelGroup(Some((group, mode))) = cmd {
        return join_channel(dev, name, *group, mode, loading);
    }
    let defaults = dev.port_defaults;
    let iface = dev.interfaces.entry(name.clone()).or_default();
    interface_setting(iface, name, cmd, at, defaults, loading, messages)?;
    if let (IfName::PortChannel(n), true) = (name, propagates(cmd)) {
        let members: Vec<IfName> = dev
            .interfaces
            .iter()
            .filter(|(_, i)| i.channel_group.as_ref().is_some_and(|(g, _)| g == n))
            .map(|(name, _)| name.clone())
            .collect();
        for member in members {
            if let Some(iface) = dev.interfaces.get_mut(&member) {
                // A member takes what its port-channel took; it cannot
                // refuse what the port-channel accepted.
                let _ =
                    interface_setting(iface, &member, cmd, at, defaults, loading, &mut Vec::new());
            }
        }
    }
    Ok(())
}

/// `channel-group N mode M`: creates the port-channel from the port's
/// settings when missing, else the port must match it (NX-OS refuses an
/// incompatible member).
fn join_channel(
    dev: &mut Device,
    name: &IfName,
    group: u32,
    mode: &str,
    loading: bool,
) -> Result<(), CliError> {
    let member = dev.interfaces.entry(name.clone()).or_default().clone();
    let po_name = IfName::PortChannel(group);
    let defaults = dev.port_defaults;
    match dev.interfaces.get(&po_name) {
        Some(po) if !loading => {
            let mismatch = po
                .compatibility(defaults)
                .into_iter()
                .zip(member.compatibility(defaults))
                .find(|(a, b)| a.1 != b.1);
            if let Some(((what, _), _)) = mismatch {
                return Err(CliError::message(format!(
                    "command failed: port not compatible [{what}]"
                )));
            }
        }
        Some(_) => {}
        None => {
            let mut po = Interface::default();
            po.copy_compatibility_from(&member);
            dev.interfaces.insert(po_name, po);
        }
    }
    if let Some(iface) = dev.interfaces.get_mut(name) {
        iface.channel_group = Some((group, mode.to_string()));
    }
    Ok(())
}

fn interface_setting(
    iface: &mut Interface,
    name: &IfName,
    cmd: &Cmd,
    at: usize,
    defaults: PortDefaults,
    loading: bool,
    messages: &mut Vec<String>,
) -> Result<(), CliError> {
    let not_allowed = || {
        CliError::message(format!(
            "ERROR: {name}: requested config change not allowed"
        ))
    };
    // Layer-2 settings need a Layer 2 port; layer-3 ones a routed port
    // (which a port is by default depends on the device).
    let needs_l2 = matches!(
        cmd,
        Cmd::SwitchportMode(Some(_))
            | Cmd::AccessVlan(Some(_))
            | Cmd::TrunkAllowed(_)
            | Cmd::StpPortType(Some(_))
    );
    let needs_l3 = matches!(
        cmd,
        Cmd::VrfMember(Some(_))
            | Cmd::IpAddress(Some(_))
            | Cmd::IpRedirects(_)
            | Cmd::AccessGroup { add: true, .. }
            | Cmd::Hsrp(_)
    );
    let can_switch = name.can_switch();
    if needs_l2 && !(can_switch && iface.is_l2(defaults)) {
        return Err(not_allowed());
    }
    if needs_l3 && can_switch && iface.is_l2(defaults) {
        return Err(CliError::invalid(at));
    }
    match cmd {
        Cmd::Description(text) => iface.description = text.clone(),
        Cmd::Switchport(to_l2) => {
            let was = iface.layer(defaults);
            let to = if *to_l2 { Layer::L2 } else { Layer::L3 };
            if was != to {
                // The port keeps the admin state it had: one it had by
                // default becomes its own. (A state file says the admin
                // state of the port as it is, or nothing for its default.)
                if !loading {
                    iface.shutdown = Some(iface.is_shut(name, defaults));
                }
                if to == Layer::L2 {
                    iface.vrf = None;
                    iface.access_groups.clear();
                    iface.clear_l3();
                } else {
                    iface.clear_l2();
                }
            }
            iface.layer = Some(to);
        }
        Cmd::SwitchportMode(mode) => iface.mode = *mode,
        Cmd::AccessVlan(vlan) => iface.access_vlan = vlan.filter(|v| *v != 1),
        Cmd::TrunkAllowed(op) => {
            let current = iface.allowed.clone().unwrap_or_else(vlans::all);
            let next: VlanSet = match op {
                TrunkOp::Set(set) => set.clone(),
                TrunkOp::Add(set) => current.union(set),
                TrunkOp::Remove(set) => current.difference(set),
                TrunkOp::Except(set) => vlans::all().difference(set),
                TrunkOp::None => VlanSet::new(),
                TrunkOp::All => vlans::all(),
            };
            // All VLANs is the default, which show-run does not print.
            iface.allowed = (next != vlans::all()).then_some(next);
        }
        Cmd::StpPortType(kind) => iface.stp_port_type = kind.clone(),
        Cmd::PortSetting { rank, line } => match line {
            Some(line) => {
                iface.settings.insert(*rank, line.clone());
            }
            None => {
                iface.settings.remove(rank);
            }
        },
        Cmd::Mtu(mtu) => iface.mtu = mtu.filter(|m| *m != 1500),
        Cmd::ChannelGroup(None) => iface.channel_group = None,
        Cmd::Vpc(role) => iface.vpc = role.clone(),
        Cmd::VrfMember(vrf) => {
            if iface.vrf != *vrf {
                if iface.ip_address.is_some() || !iface.hsrp.is_empty() {
                    messages.push(format!(
                        "Warning: Deleted all L3 config on interface {name}"
                    ));
                }
                iface.clear_l3();
                iface.vrf = vrf.clone();
            }
        }
        Cmd::IpAddress(address) => iface.ip_address = address.clone(),
        Cmd::IpRedirects(on) => iface.no_ip_redirects = !on,
        Cmd::AccessGroup {
            name: acl,
            direction,
            add,
        } => {
            if *add {
                iface.access_groups.insert(direction.clone(), acl.clone());
            } else if iface.access_groups.get(direction) == Some(acl) {
                iface.access_groups.remove(direction);
            }
        }
        Cmd::HsrpVersion(version) => {
            if *version == 1 && iface.hsrp.keys().any(|g| *g > 255) {
                return Err(CliError::message(
                    "ERROR: Remove HSRP groups above 255 before changing to version 1",
                ));
            }
            iface.hsrp_version = (*version == 2).then_some(2);
        }
        Cmd::Hsrp(group) => {
            if *group > 255 && iface.hsrp_version != Some(2) {
                return Err(CliError::message(
                    "ERROR: Invalid group number. Valid range for HSRP version 1 is 0-255",
                ));
            }
            iface.hsrp.entry(*group).or_default();
        }
        Cmd::NoHsrp(group) => {
            iface.hsrp.remove(group);
        }
        Cmd::Shutdown(down) => iface.shutdown = Some(*down),
        _ => return Err(CliError::invalid(at)),
    }
    Ok(())
}

//! The interface lines NX-OS and EOS write alike (the same words on both:
//! Cisco Nexus 9000 Interfaces and Layer 2 guides; Arista EOS User Manual,
//! "Ethernet Ports", "Port Channels", "IPv4"), read into an
//! [`ObservedInterface`] by both platforms' readers (`verify`); each reader
//! reads the lines of its own platform (`vpc`/`mlag`, `vrf member`/`vrf`,
//! `hsrp`/`ip virtual-router`) itself.

use crate::platform::nxos::config::{allowed_vlans, TRUNK_ALLOWED};
use crate::verify::observed::{Layer, ObservedInterface, PortMode};

/// What a shared line set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// `switchport` / `no switchport`.
    Layer(Layer),
    /// `no shutdown` (true) / `shutdown`.
    Admin(bool),
    /// What a layer-2 port carries: its mode, allowed list or access VLAN.
    Carried,
    /// A bundle, an address or an ACL binding.
    Other,
}

/// Reads `line` of `port`'s section if it is one both platforms write
/// alike (the layer and admin state are returned, not set: each platform
/// has its own defaults for them); None for any other line.
pub fn read_line(port: &mut ObservedInterface, line: &str) -> Option<Setting> {
    let setting = match line {
        "switchport" => Setting::Layer(Layer::Switched),
        "no switchport" => Setting::Layer(Layer::Routed),
        "shutdown" => Setting::Admin(false),
        "no shutdown" => Setting::Admin(true),
        "switchport mode trunk" => {
            port.mode = PortMode::Trunk;
            Setting::Carried
        }
        "switchport mode access" => {
            port.mode = PortMode::Access;
            Setting::Carried
        }
        _ if line.starts_with(TRUNK_ALLOWED) => {
            // A list the normaliser left as written names an invalid VLAN:
            // read what it can, as the device would refuse the rest.
            port.allowed = allowed_vlans(line).unwrap_or_default();
            port.allowed_line = Some(line.to_string());
            Setting::Carried
        }
        _ => {
            if let Some(vlan) = line.strip_prefix("switchport access vlan ") {
                port.access_vlan = vlan.trim().parse().unwrap_or(1);
                return Some(Setting::Carried);
            }
            if let Some(group) = line.strip_prefix("channel-group ") {
                port.channel_group = group.split(' ').next().and_then(|n| n.parse().ok());
            } else if let Some(address) = line.strip_prefix("ip address ") {
                if !address.ends_with(" secondary") {
                    port.address = address.trim().parse().ok();
                }
            } else if let Some(acl) = line.strip_prefix("ip access-group ") {
                match acl.rsplit_once(' ') {
                    Some((acl, "in")) => port.acl_in = Some(acl.to_string()),
                    Some((acl, "out")) => port.acl_out = Some(acl.to_string()),
                    _ => {}
                }
            } else {
                return None;
            }
            Setting::Other
        }
    };
    Some(setting)
}

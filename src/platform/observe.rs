//! The interface lines NX-OS and EOS write alike (the same words on both:
//! Cisco Nexus 9000 Interfaces and Layer 2 guides; Arista EOS User Manual,
//! "Ethernet Ports", "Port Channels", "IPv4"), read into an
//! [`ObservedInterface`] by both platforms' readers (`verify`); each reader
//! reads the lines of its own platform (`vpc`/`mlag`, `vrf member`/`vrf`,
//! `hsrp`/`ip virtual-router`) itself.

use crate::inventory::StpMode;
use crate::platform::nxos::config::{allowed_vlans, TRUNK_ALLOWED};
use crate::verify::observed::{
    Layer, ObservedInterface, ObservedStp, PortMode, Tree, DEFAULT_BRIDGE_PRIORITY,
};

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

/// How a platform writes its top-level spanning-tree lines: `spanning-tree
/// mode NAME` with its names of the modes liaison builds, `spanning-tree
/// mst IDS priority N`, `spanning-tree VLAN-WORD IDS priority N`.
pub struct StpWords {
    pub modes: [(&'static str, StpMode); 2],
    /// The word before a VLAN list (`vlan`, `vlan-id`).
    pub vlan: &'static str,
}

/// Reads a top-level `spanning-tree` line into `stp`: the mode (None for
/// one not in `words.modes`) or a bridge priority.
pub fn read_spanning_tree(stp: &mut ObservedStp, line: &str, words: &StpWords) {
    let Some(setting) = line.strip_prefix("spanning-tree ") else {
        return;
    };
    if let Some(mode) = setting.strip_prefix("mode ") {
        stp.mode = words
            .modes
            .iter()
            .find(|(name, _)| *name == mode.trim())
            .map(|(_, mode)| *mode);
        return;
    }
    let (tree, rest): (fn(u16) -> Tree, _) = match setting.strip_prefix("mst ") {
        Some(rest) => (Tree::Mst, rest),
        None => match setting
            .strip_prefix(words.vlan)
            .and_then(|r| r.strip_prefix(' '))
        {
            Some(rest) => (Tree::Vlan, rest),
            None => return,
        },
    };
    if let Some((ids, priority)) = rest.split_once(" priority ") {
        stp.set_priorities(line, ids, priority, tree);
    }
}

/// `spanning-tree mode NAME` in `words`, or what says it is none of them.
pub fn stp_mode_line(words: &StpWords, mode: Option<StpMode>) -> String {
    match words.modes.iter().find(|(_, m)| Some(*m) == mode) {
        Some((name, _)) => format!("spanning-tree mode {name}"),
        None => "a `spanning-tree mode` liaison does not model".into(),
    }
}

/// What a config lacks when it sets no priority on `tree`.
pub fn no_stp_priority(words: &StpWords, tree: Tree) -> String {
    let setting = match tree {
        Tree::Mst(i) => format!("spanning-tree mst {i} priority"),
        Tree::Vlan(v) => format!("spanning-tree {} {v} priority", words.vlan),
    };
    format!("no `{setting}` ({DEFAULT_BRIDGE_PRIORITY})")
}

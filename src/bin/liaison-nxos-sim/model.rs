//! The simulated switch's configuration: what `show running-config` prints,
//! held as typed values so commands can have NX-OS semantics (last value
//! wins, sets of VLANs, sequence-numbered ACL entries, feature dependencies).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::vlans::VlanSet;

/// What the switch does with a port its config says nothing about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PortDefaults {
    /// Ethernet ports and port-channels are Layer 2 (else routed).
    pub switchport: bool,
    /// Layer 2 Ethernet ports start shut.
    pub switchport_shutdown: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Device {
    pub hostname: String,
    /// The hardware's factory defaults (the device setting `NAME.factory`):
    /// the default is a Nexus 9300-EX, routed ports, Layer 2 ports up.
    pub factory: PortDefaults,
    /// What `system default switchport [shutdown]` set, else the factory's.
    pub port_defaults: PortDefaults,
    pub features: BTreeSet<String>,
    /// Top-level blocks of a loaded state file that the simulator does not
    /// model (`username ...`, `line vty`, `router bgp ...`): kept verbatim
    /// so a real show-run text survives a load/save round trip.
    pub opaque: Vec<Vec<String>>,
    pub object_groups: BTreeMap<(GroupKind, String), ObjectGroup>,
    pub acls: BTreeMap<String, Acl>,
    /// Static routes of the default VRF: (prefix, next hop).
    pub routes: BTreeSet<(String, String)>,
    /// VLANs other than 1 (VLAN 1 always exists), with their settings.
    pub vlans: BTreeMap<u16, Vlan>,
    /// `spanning-tree mode ...`; None is the default (rapid-pvst, not shown).
    pub stp_mode: Option<String>,
    /// Bridge priorities other than the default 32768: per MST instance
    /// and per VLAN (Rapid-PVST+).
    pub mst_priority: BTreeMap<u16, u32>,
    pub vlan_priority: BTreeMap<u16, u32>,
    pub mst: Option<Mst>,
    pub vrfs: BTreeMap<String, Vrf>,
    pub vpc: Option<VpcDomain>,
    pub interfaces: BTreeMap<IfName, Interface>,
    /// `!Running configuration last done at:` as printed.
    pub last_change: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKind {
    Address,
    Port,
}

impl GroupKind {
    pub fn keyword(self) -> &'static str {
        match self {
            GroupKind::Address => "address",
            GroupKind::Port => "port",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectGroup {
    pub entries: BTreeMap<u32, String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acl {
    pub statistics: bool,
    pub entries: BTreeMap<u32, String>,
}

/// ACL and object-group entries without a sequence number get the highest
/// one plus 10, as on NX-OS.
pub fn next_sequence(entries: &BTreeMap<u32, String>) -> u32 {
    entries.keys().next_back().map_or(10, |last| last + 10)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vlan {
    pub name: Option<String>,
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mst {
    pub name: Option<String>,
    pub revision: Option<u32>,
    pub instances: BTreeMap<u16, VlanSet>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vrf {
    pub routes: BTreeSet<(String, String)>,
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VpcDomain {
    pub id: u32,
    /// Settings by their rank in NX-OS's show-run order; each holds the
    /// line as printed. A setting given again replaces the old line.
    pub settings: BTreeMap<usize, String>,
    pub extra: Vec<String>,
}

/// Interface names in show-run order: Vlan, port-channel, Ethernet,
/// mgmt, loopback; numbers compare numerically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IfName {
    Vlan(u16),
    PortChannel(u32),
    Ethernet(Vec<u32>),
    Mgmt(u32),
    Loopback(u32),
}

impl IfName {
    pub fn is_physical(&self) -> bool {
        matches!(self, IfName::Ethernet(_) | IfName::Mgmt(_))
    }

    /// Ethernet ports and port-channels can be layer 2 (`switchport`).
    pub fn can_switch(&self) -> bool {
        matches!(self, IfName::Ethernet(_) | IfName::PortChannel(_))
    }
}

impl fmt::Display for IfName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IfName::Vlan(n) => write!(f, "Vlan{n}"),
            IfName::PortChannel(n) => write!(f, "port-channel{n}"),
            IfName::Ethernet(parts) => {
                let parts: Vec<String> = parts.iter().map(u32::to_string).collect();
                write!(f, "Ethernet{}", parts.join("/"))
            }
            IfName::Mgmt(n) => write!(f, "mgmt{n}"),
            IfName::Loopback(n) => write!(f, "loopback{n}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    L2,
    L3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortMode {
    Access,
    Trunk,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VpcRole {
    Id(u32),
    PeerLink,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interface {
    pub description: Option<String>,
    /// None: the device's default (`PortDefaults`), not printed.
    pub layer: Option<Layer>,
    /// None: the default of the interface's kind and layer, not printed.
    pub shutdown: Option<bool>,
    pub mode: Option<PortMode>,
    pub access_vlan: Option<u16>,
    /// None: all VLANs (the default, not printed).
    pub allowed: Option<VlanSet>,
    pub stp_port_type: Option<String>,
    /// `PORT_SETTINGS` lines by rank, as printed.
    pub settings: BTreeMap<usize, String>,
    pub mtu: Option<u32>,
    /// (port-channel number, mode keyword).
    pub channel_group: Option<(u32, String)>,
    pub vpc: Option<VpcRole>,
    pub vrf: Option<String>,
    pub no_ip_redirects: bool,
    /// Direction (`in`/`out`) → ACL name.
    pub access_groups: BTreeMap<String, String>,
    pub ip_address: Option<String>,
    pub hsrp_version: Option<u8>,
    pub hsrp: BTreeMap<u16, Hsrp>,
    /// Lines of a loaded state file the simulator does not model.
    pub extra: Vec<String>,
}

impl Device {
    /// A device with nothing configured but its hostname.
    pub fn blank(hostname: &str, factory: PortDefaults) -> Device {
        Device {
            hostname: hostname.to_string(),
            factory,
            port_defaults: factory,
            ..Device::default()
        }
    }
}

impl PortDefaults {
    /// The layer of a port or port-channel that does not say.
    pub fn layer(self) -> Layer {
        if self.switchport {
            Layer::L2
        } else {
            Layer::L3
        }
    }

    /// Whether `name` is shut when its config does not say, at `layer`:
    /// routed ports, subinterfaces and SVIs are; Layer 2 ports by
    /// `system default switchport shutdown`; port-channels, loopbacks and
    /// mgmt are not.
    pub fn shut(self, name: &IfName, layer: Layer) -> bool {
        match name {
            IfName::Ethernet(_) if layer == Layer::L2 => self.switchport_shutdown,
            IfName::Ethernet(_) | IfName::Vlan(_) => true,
            IfName::PortChannel(_) | IfName::Mgmt(_) | IfName::Loopback(_) => false,
        }
    }
}

impl Interface {
    /// The layer the interface runs at on a device with `defaults`.
    pub fn layer(&self, defaults: PortDefaults) -> Layer {
        self.layer.unwrap_or(defaults.layer())
    }

    pub fn is_l2(&self, defaults: PortDefaults) -> bool {
        self.layer(defaults) == Layer::L2
    }

    /// Whether the interface is shut on a device with `defaults`.
    pub fn is_shut(&self, name: &IfName, defaults: PortDefaults) -> bool {
        self.shutdown
            .unwrap_or_else(|| defaults.shut(name, self.layer(defaults)))
    }

    /// Forgets the layer-2 settings, as `no switchport` does.
    pub fn clear_l2(&mut self) {
        self.mode = None;
        self.access_vlan = None;
        self.allowed = None;
        self.stp_port_type = None;
        self.settings.clear();
    }

    /// Forgets the layer-3 settings, as `switchport` and `vrf member` do.
    pub fn clear_l3(&mut self) {
        self.ip_address = None;
        self.no_ip_redirects = false;
        self.hsrp.clear();
        self.hsrp_version = None;
    }

    /// The settings a port-channel and its members must agree on, with the
    /// NX-OS name of each for the "not compatible" error.
    pub fn compatibility(&self, defaults: PortDefaults) -> [(&'static str, String); 4] {
        [
            ("switchport", format!("{:?}", self.layer(defaults))),
            ("port mode", format!("{:?}", self.mode)),
            ("access vlan", format!("{:?}", self.access_vlan)),
            ("Allowed VLANs", format!("{:?}", self.allowed)),
        ]
    }

    /// Copies the settings a port-channel propagates to its members.
    pub fn copy_compatibility_from(&mut self, other: &Interface) {
        self.layer = other.layer;
        self.mode = other.mode;
        self.access_vlan = other.access_vlan;
        self.allowed = other.allowed.clone();
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hsrp {
    /// The `preempt ...` line as given.
    pub preempt: Option<String>,
    pub priority: Option<u32>,
    pub ip: Option<String>,
    pub extra: Vec<String>,
}

//! The fabric as its running configs say it is: what each switch defines,
//! carries, bundles, routes and filters, whatever tool or person wrote the
//! config. Platform readers (`nxos`) fill it; the proof reads only this.

use crate::intent::{Acl, AddressGroup, PortGroup};
use crate::policy::eval::ObjectGroups;
use crate::vlan::VlanSet;
use ipnetwork::Ipv4Network;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// One switch, read back from its running config.
#[derive(Debug, Default, Clone)]
pub struct ObservedDevice {
    pub name: String,
    /// Where the config was read from (`running/tor1a.cfg`), for messages.
    pub source: String,
    /// VLANs the switch defines (VLAN 1 always exists).
    pub vlans: BTreeSet<u16>,
    /// Interfaces by canonical name (`Ethernet1/1`, `port-channel10`, `Vlan110`).
    pub interfaces: BTreeMap<String, ObservedInterface>,
    /// The vPC (MLAG) domain number, when the switch has one.
    pub vpc_domain: Option<u32>,
    /// Access lists by name.
    pub acls: BTreeMap<String, Acl>,
    pub address_groups: BTreeMap<String, AddressGroup>,
    pub port_groups: BTreeMap<String, PortGroup>,
    /// Entries the reader could not evaluate, per ACL (`entry text`): a
    /// verdict through such an ACL is not a proof.
    pub unmodelled_entries: BTreeMap<String, Vec<String>>,
    /// 1-based line of each top-level line in the config text, for messages.
    pub lines: BTreeMap<String, usize>,
    /// Physical ports of this switch are routed unless configured
    /// otherwise (the model's default: see `Layer`).
    pub ports_default_routed: bool,
    /// Layer-2 ports are shut unless configured otherwise
    /// (`system default switchport shutdown`).
    pub switchports_default_shut: bool,
}

impl ObservedDevice {
    /// The interface named `name`, or the defaults of a port that is not
    /// in the config (a physical port always exists).
    pub fn interface(&self, name: &str) -> ObservedInterface {
        self.interfaces.get(name).cloned().unwrap_or_else(|| {
            let mut port = ObservedInterface::new(name);
            port.layer = if self.ports_default_routed {
                Layer::Routed
            } else {
                Layer::Switched
            };
            port.admin_up = !(port.layer == Layer::Switched && self.switchports_default_shut);
            port
        })
    }

    /// The port-channel whose `vpc peer-link` this is, if any.
    pub fn peer_link(&self) -> Option<&ObservedInterface> {
        self.interfaces
            .values()
            .find(|i| i.vpc == Some(Vpc::PeerLink))
    }

    /// The config text's line of `header` (`interface port-channel1`).
    pub fn line_of(&self, header: &str) -> Option<usize> {
        self.lines.get(header).copied()
    }
}

impl ObjectGroups for ObservedDevice {
    fn address_group(&self, name: &str) -> Option<&AddressGroup> {
        self.address_groups.get(name)
    }

    fn port_group(&self, name: &str) -> Option<&PortGroup> {
        self.port_groups.get(name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// A layer-2 port (`switchport`).
    Switched,
    /// A routed port or an SVI.
    Routed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortMode {
    Access,
    Trunk,
}

impl PortMode {
    pub fn label(self) -> &'static str {
        match self {
            PortMode::Access => "access",
            PortMode::Trunk => "trunk",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vpc {
    PeerLink,
    Number(u32),
}

/// An HSRP (first-hop redundancy) group of an SVI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhrpGroup {
    pub group: u32,
    pub virtual_ip: Option<Ipv4Addr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObservedInterface {
    pub name: String,
    pub layer: Layer,
    pub mode: PortMode,
    /// What a trunk lets through: its allowed list, or every VLAN.
    pub allowed: VlanSet,
    /// The allowed list as the config (normalised) writes it, for messages.
    pub allowed_line: Option<String>,
    pub access_vlan: u16,
    /// The port says its own mode or VLANs (a port-channel member that
    /// says nothing has its port-channel's).
    pub explicit_switchport: bool,
    pub admin_up: bool,
    pub channel_group: Option<u32>,
    pub vpc: Option<Vpc>,
    /// None: the default VRF.
    pub vrf: Option<String>,
    /// The primary address with its prefix length (`10.1.10.2/24`).
    pub address: Option<Ipv4Network>,
    pub fhrp: Vec<FhrpGroup>,
    pub acl_in: Option<String>,
    pub acl_out: Option<String>,
}

impl ObservedInterface {
    pub fn new(name: &str) -> Self {
        ObservedInterface {
            name: name.to_string(),
            layer: Layer::Switched,
            mode: PortMode::Access,
            allowed: VlanSet::all(),
            allowed_line: None,
            access_vlan: 1,
            explicit_switchport: false,
            admin_up: true,
            channel_group: None,
            vpc: None,
            vrf: None,
            address: None,
            fhrp: Vec::new(),
            acl_in: None,
            acl_out: None,
        }
    }

    /// The VLANs this port forwards (tagged or not) when it is up.
    pub fn carried(&self) -> VlanSet {
        match (self.layer, self.mode) {
            (Layer::Routed, _) => VlanSet::new(),
            (Layer::Switched, PortMode::Trunk) => self.allowed,
            (Layer::Switched, PortMode::Access) => [self.access_vlan].into_iter().collect(),
        }
    }

    /// How the config says what the port carries, for messages.
    pub fn carried_text(&self) -> String {
        match (self.layer, self.mode) {
            (Layer::Routed, _) => "no switchport (routed)".into(),
            (Layer::Switched, PortMode::Trunk) => self
                .allowed_line
                .clone()
                .unwrap_or_else(|| "switchport mode trunk (all VLANs)".into()),
            (Layer::Switched, PortMode::Access) => {
                format!("switchport access vlan {}", self.access_vlan)
            }
        }
    }
}

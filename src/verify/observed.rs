//! The fabric as its running configs say it is: what each switch defines,
//! carries, bundles, routes and filters, whatever tool or person wrote the
//! config. Platform readers (`crate::platform::Readback`) fill it, and say
//! how their platform words what they read ([`Wording`]); the proof reads
//! only this.

use crate::intent::{Acl, AddressGroup, PortGroup};
use crate::inventory::StpMode;
use crate::policy::eval::ObjectGroups;
use crate::vlan::VlanSet;
use ipnetwork::Ipv4Network;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// One switch, read back from its running config.
#[derive(Debug, Clone)]
pub struct ObservedDevice {
    pub name: String,
    /// Where the config was read from (`running/tor1a.cfg`), for messages.
    pub source: String,
    /// How the switch's platform words its config, for messages.
    pub wording: &'static dyn Wording,
    /// VLANs the switch defines (VLAN 1 always exists).
    pub vlans: BTreeSet<u16>,
    /// Interfaces by canonical name (`Ethernet1/1`, `port-channel10`, `Vlan110`).
    pub interfaces: BTreeMap<String, ObservedInterface>,
    /// What makes the switch one member of a pair (its vPC or MLAG domain).
    pub pair: PairDomain,
    /// The MAC address the switch answers its virtual gateway addresses with.
    pub virtual_mac: VirtualMac,
    /// Static routes by VRF (None: the default VRF).
    pub routes: BTreeMap<Option<String>, Vec<StaticRoute>>,
    /// Spanning tree as the switch runs it.
    pub stp: ObservedStp,
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
    /// A switch whose config says nothing yet (VLAN 1 exists, spanning
    /// tree runs the platform's default `stp_mode`), read from `source`
    /// and worded by `wording`.
    pub fn new(name: &str, source: &str, wording: &'static dyn Wording, stp_mode: StpMode) -> Self {
        ObservedDevice {
            name: name.to_string(),
            source: source.to_string(),
            wording,
            vlans: [1].into_iter().collect(),
            interfaces: BTreeMap::new(),
            pair: PairDomain::default(),
            virtual_mac: VirtualMac::Derived,
            routes: BTreeMap::new(),
            stp: ObservedStp {
                mode: Some(stp_mode),
                priorities: BTreeMap::new(),
                lines: BTreeMap::new(),
            },
            acls: BTreeMap::new(),
            address_groups: BTreeMap::new(),
            port_groups: BTreeMap::new(),
            unmodelled_entries: BTreeMap::new(),
            lines: BTreeMap::new(),
            ports_default_routed: false,
            switchports_default_shut: false,
        }
    }

    /// Adds an ACL read from the config, with the entries of it the reader
    /// could not evaluate.
    pub fn add_acl(&mut self, acl: Acl, unmodelled: Vec<String>) {
        if !unmodelled.is_empty() {
            self.unmodelled_entries.insert(acl.name.clone(), unmodelled);
        }
        self.acls.insert(acl.name.clone(), acl);
    }

    /// The port-channel numbered `number`, when it is configured.
    pub fn port_channel(&self, number: u32) -> Option<&ObservedInterface> {
        self.interfaces.get(&self.wording.port_channel(number))
    }

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

    /// The port-channel that is the pair's peer-link, if any.
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

/// The 1-based line of each top-level line of a config `text` (its
/// first, for a line written twice; comments and blank lines skipped):
/// [`ObservedDevice::lines`]. `expand` gives the headers a line that
/// configures several sections stands for (an interface range), if it is
/// one.
pub fn line_numbers(
    text: &str,
    expand: &dyn Fn(&str) -> Option<Vec<String>>,
) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '!']) || line.trim().is_empty() {
            continue;
        }
        let line = line.trim_end();
        for header in expand(line).unwrap_or_else(|| vec![line.to_string()]) {
            lines.entry(header).or_insert(index + 1);
        }
    }
    lines
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

/// A first-hop redundancy address of an SVI (an HSRP group, a VARP
/// address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FhrpGroup {
    /// The group number; None for a protocol without groups (VARP).
    pub group: Option<u32>,
    pub virtual_ip: Option<Ipv4Addr>,
}

/// The domain that makes a switch a member of a pair, and how the members
/// reach each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairDomain {
    /// The domain's identifier (`200`); None: the switch is in no pair.
    pub id: Option<String>,
    /// The config's top-level line of the domain (`vpc domain 200`,
    /// `mlag configuration`), for its line number.
    pub header: Option<String>,
    /// The address the switch reaches its peer on.
    pub peer_address: Option<Ipv4Addr>,
    /// The address the peer must reach this switch on, when the config
    /// says it.
    pub local_address: Option<Ipv4Addr>,
    /// How the config says the two addresses (`peer-keepalive destination
    /// … source …`), for messages.
    pub addresses_text: String,
}

/// A static route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticRoute {
    pub prefix: Ipv4Network,
    pub next_hop: Ipv4Addr,
    /// Administrative distance: 1, the static default, when unstated.
    pub distance: u8,
}

impl StaticRoute {
    /// `ip route PREFIX NEXT-HOP [DISTANCE]` after `ip route` (and its
    /// VRF): the words both NX-OS and EOS write. None for a route liaison
    /// does not model (to an interface, a null route).
    pub fn parse(words: &str) -> Option<StaticRoute> {
        let mut words = words.split(' ').filter(|w| !w.is_empty());
        let prefix = words.next()?.parse().ok()?;
        let next_hop = words.next()?.parse().ok()?;
        let distance = match words.next() {
            Some(word) => word.parse().unwrap_or(1),
            None => 1,
        };
        Some(StaticRoute {
            prefix,
            next_hop,
            distance,
        })
    }
}

/// One spanning tree: an MST instance, or one VLAN's (Rapid-PVST+).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tree {
    Mst(u16),
    Vlan(u16),
}

/// The bridge priority of a tree no line sets (IEEE 802.1D/802.1Q; the
/// default on NX-OS and EOS).
pub const DEFAULT_BRIDGE_PRIORITY: u32 = 32768;

/// Spanning tree as a switch runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedStp {
    /// None: a mode liaison does not model (EOS `rstp`, `none`).
    pub mode: Option<StpMode>,
    /// The bridge priority the config sets per tree.
    pub priorities: BTreeMap<Tree, u32>,
    /// The config line that sets each tree's priority, for messages.
    pub lines: BTreeMap<Tree, String>,
}

impl ObservedStp {
    /// The bridge priority of `tree`.
    pub fn priority(&self, tree: Tree) -> u32 {
        self.priorities
            .get(&tree)
            .copied()
            .unwrap_or(DEFAULT_BRIDGE_PRIORITY)
    }

    /// Sets `priority` on every tree of `ids` (`0-1`, `1,110,120`) of the
    /// kind `tree` makes, when the list is valid; `line` says it.
    pub fn set_priorities(&mut self, line: &str, ids: &str, priority: &str, tree: fn(u16) -> Tree) {
        let (Some(ids), Ok(priority)) = (id_list(ids), priority.trim().parse()) else {
            return;
        };
        for id in ids {
            self.priorities.insert(tree(id), priority);
            self.lines.insert(tree(id), line.to_string());
        }
    }
}

/// `0-1`, `1,110-112`: the ids of an instance or VLAN list.
fn id_list(list: &str) -> Option<Vec<u16>> {
    let mut ids = Vec::new();
    for part in list.split(',') {
        match part.split_once('-') {
            Some((low, high)) => {
                let (low, high): (u16, u16) = (low.parse().ok()?, high.parse().ok()?);
                if low > high {
                    return None;
                }
                ids.extend(low..=high);
            }
            None => ids.push(part.parse().ok()?),
        }
    }
    Some(ids)
}

/// The MAC address of a switch's virtual gateway addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VirtualMac {
    /// The protocol derives it (HSRP: from the group number).
    Derived,
    /// One address the switch sets for all its virtual addresses; None:
    /// none is set, and the virtual addresses do not answer.
    Configured(Option<String>),
}

/// How a platform's configs say what the proof quotes: one value per
/// platform, set by its reader.
pub trait Wording: Sync {
    /// The interface name of port-channel `number` (`port-channel10`).
    fn port_channel(&self, number: u32) -> String;
    /// What a pair of switches is called (`vPC`).
    fn pair(&self) -> &'static str;
    /// Where the config sets the pair's domain (`vpc domain`).
    fn pair_place(&self) -> &'static str;
    /// How the config says the pair's domain `id` (`vpc domain 200`), or
    /// that there is none.
    fn pair_domain(&self, id: Option<&str>) -> String;
    /// How an interface's config says its part in the pair (`vpc 10`,
    /// `vpc peer-link`), or that it has none.
    fn pair_member(&self, member: Option<Vpc>) -> String;
    /// Where the config names a member's peer-link (`vpc peer-link`).
    fn peer_link_place(&self) -> &'static str;
    /// What the config lacks when a member has no peer-link.
    fn no_peer_link(&self) -> &'static str;
    /// How an interface's config says its VRF (`vrf member prod`), or
    /// that it is in the default one.
    fn vrf(&self, vrf: Option<&str>) -> String;
    /// How an SVI's config says a first-hop redundancy address.
    fn fhrp(&self, group: &FhrpGroup) -> String;
    /// What an SVI's config lacks when it has no first-hop redundancy.
    fn no_fhrp(&self) -> &'static str;
    /// The first-hop redundancy protocol (`HSRP`).
    fn fhrp_protocol(&self) -> &'static str;
    /// The command that sets the MAC of the virtual addresses, where the
    /// platform sets one ([`VirtualMac::Configured`]).
    fn virtual_mac_command(&self) -> &'static str;
    /// Why a shut SVI is shut, as the config says it.
    fn svi_shut(&self) -> &'static str;
    /// What the config lacks when it has no static route `route` in
    /// `vrf` (None: the default VRF).
    fn missing_route(&self, vrf: Option<&str>, route: &StaticRoute) -> String;
    /// How the config says the spanning-tree `mode` (None: one liaison
    /// does not model).
    fn stp_mode(&self, mode: Option<StpMode>) -> String;
    /// What the config lacks when it sets no bridge priority on `tree`
    /// (which runs [`DEFAULT_BRIDGE_PRIORITY`]).
    fn no_stp_priority(&self, tree: Tree) -> String;
}

impl StaticRoute {
    /// `PREFIX NEXT-HOP[ DISTANCE]`, as both platforms write a route
    /// after `ip route` (and its VRF).
    pub fn words(&self) -> String {
        if self.distance == 1 {
            format!("{} {}", self.prefix, self.next_hop)
        } else {
            format!("{} {} {}", self.prefix, self.next_hop, self.distance)
        }
    }
}

impl std::fmt::Debug for dyn Wording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Wording({})", self.pair())
    }
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

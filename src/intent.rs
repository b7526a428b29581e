//! The intent: what each switch must be configured with, decided by
//! `compile`, independent of any platform's syntax. Templates under
//! `templates/<platform>/` turn it into config text.
//!
//! Every collection is ordered (VLANs by id, interfaces in the order
//! switches print them), so rendering is byte-stable.

use crate::inventory::{BreakoutMap, Platform, Role, StpMode};
use ipnetwork::Ipv4Network;
use serde::{Serialize, Serializer};
use std::fmt::Display;
use std::sync::Arc;

/// The compiled fabric: one entry per switch, by name.
#[derive(Debug, Serialize)]
pub struct Intent {
    pub fabric: String,
    pub devices: Vec<DeviceIntent>,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct DeviceIntent {
    pub name: String,
    /// Selects the template directory (templates see `nxos` or `eos`).
    pub platform: Platform,
    pub role: Role,
    pub model: Option<String>,
    /// The inventory's `port_defaults` of the switch (what it does with
    /// ports its config says nothing about), where given.
    #[serde(skip)]
    pub port_defaults: crate::config::PartialPortDefaults,
    pub description: Option<String>,
    pub fabric: String,
    pub features: Features,
    pub stp: SpanningTree,
    pub vlans: Vec<Vlan>,
    /// Non-default VRFs used on this switch, by name.
    pub vrfs: Vec<Vrf>,
    /// Static routes of the default VRF.
    pub routes: Vec<Route>,
    pub mlag: Option<Mlag>,
    pub svis: Vec<Svi>,
    /// The backup paths to the pair peer, by VLAN.
    pub transit_svis: Vec<TransitSvi>,
    pub port_channels: Vec<PortChannel>,
    /// Ports split into lanes, in port order.
    pub breakouts: Vec<BreakoutRange>,
    /// Physical ports, in port order.
    pub interfaces: Vec<Interface>,
    /// Address object-groups the ACLs use, by name.
    pub address_groups: Vec<AddressGroup>,
    /// Port object-groups the ACLs use, by name.
    pub port_groups: Vec<PortGroup>,
    /// Access lists bound to this switch's SVIs, by name; shared with the
    /// other switches that bind the same ACL (the members of a pair).
    /// Templates get them as objects, not through serde (`render`).
    #[serde(skip)]
    pub acls: Vec<Arc<Acl>>,
}

impl DeviceIntent {
    /// The address object-group named `name` (the list is sorted by name).
    pub fn address_group(&self, name: &str) -> Option<&AddressGroup> {
        let i = self
            .address_groups
            .binary_search_by(|g| g.name.as_str().cmp(name))
            .ok()?;
        Some(&self.address_groups[i])
    }

    /// The port object-group named `name` (the list is sorted by name).
    pub fn port_group(&self, name: &str) -> Option<&PortGroup> {
        let i = self
            .port_groups
            .binary_search_by(|g| g.name.as_str().cmp(name))
            .ok()?;
        Some(&self.port_groups[i])
    }

    /// The ACL named `name` (the list is sorted by name).
    pub fn acl(&self, name: &str) -> Option<&Acl> {
        let i = self
            .acls
            .binary_search_by(|a| a.name.as_str().cmp(name))
            .ok()?;
        Some(&self.acls[i])
    }
}

/// Capabilities the config uses; each platform maps them to its own
/// `feature` lines (or to nothing).
#[derive(Debug, Serialize, Clone, Copy, Default, PartialEq)]
pub struct Features {
    pub svi: bool,
    pub fhrp: bool,
    pub lacp: bool,
    pub mlag: bool,
}

/// Spanning tree. With MST one instance maps every VLAN, so adding a
/// VLAN never adds spanning-tree instances (see `budget`).
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct SpanningTree {
    /// Always rendered (templates see `mst` or `rapid-pvst`), so a switch
    /// running the other mode is changed (the default differs between
    /// platforms).
    pub mode: StpMode,
    /// MST region name: the fabric name, identical on every switch.
    pub region: String,
    /// This switch's bridge priority, on every MST instance (0 and 1) or,
    /// in Rapid-PVST+, on every VLAN of `vlans`.
    pub priority: u32,
    /// The VLANs that exist on the switch (VLAN 1 included): Rapid-PVST+
    /// runs one tree per VLAN, each needs its priority.
    pub vlans: Vec<u16>,
    /// A gateway switch: the root bridge of every tree.
    pub root: bool,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Vlan {
    pub id: u16,
    pub name: String,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Vrf {
    pub name: String,
    pub routes: Vec<Route>,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Route {
    pub prefix: String,
    pub next_hop: String,
    /// Administrative distance; None: the static default (1). A floating
    /// route (a backup) has a higher one.
    pub distance: Option<u8>,
}

/// One end of a gateway pair's backup path in a VRF: an SVI on a VLAN the
/// peer-link alone carries.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct TransitSvi {
    pub vlan: u16,
    pub description: String,
    /// None for the default VRF.
    pub vrf: Option<String>,
    /// Own address with prefix length (`/31`).
    pub address: String,
}

/// vPC on NX-OS, MLAG on EOS.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Mlag {
    pub domain: u16,
    pub peer: String,
    /// Lower is preferred: the first member by name gets the lower value.
    pub role_priority: u16,
    pub keepalive: Option<Keepalive>,
    pub peer_link: u32,
    /// Both members present one bridge ID: only on the pair that is root
    /// of every tree with one shared priority (Cisco, Nexus 9000 vPC guide).
    pub peer_switch: bool,
    /// Seconds a member that boots without its peer waits before it
    /// brings its vPCs up alone (`auto-recovery reload-delay`).
    pub auto_recovery_reload_delay: u32,
    /// Seconds a member that comes back waits before it brings its vPCs
    /// up again (`delay restore`): on the gateway pair, time to learn
    /// routes and ARP before it attracts traffic. None: platform default.
    pub delay_restore: Option<u32>,
    /// The SVI of the pair's peer VLAN, where the platform's pairs talk
    /// over one (`Numbering::pair_peer_subnet`): None on NX-OS.
    pub peer_vlan: Option<PeerVlanAddresses>,
}

/// The addresses of a pair's peer VLAN SVIs.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct PeerVlanAddresses {
    /// This member's, with prefix length (`169.254.0.0/31`).
    pub address: String,
    /// The peer's, without (`169.254.0.1`).
    pub peer: String,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Keepalive {
    pub source: String,
    pub destination: String,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Svi {
    pub vlan: u16,
    /// The segment this SVI is the gateway of.
    pub segment: String,
    pub description: String,
    /// None for the default VRF.
    pub vrf: Option<String>,
    /// Own address with prefix length, e.g. `10.1.10.2/24`.
    pub address: String,
    /// The segment's IP MTU when it is not 1500.
    pub mtu: Option<u32>,
    pub fhrp: Option<Fhrp>,
    /// ACL filtering packets the segment's VMs send (`ip access-group … in`).
    pub acl_in: Option<String>,
    /// ACL filtering packets routed into the segment (`… out`).
    pub acl_out: Option<String>,
}

/// First-hop redundancy (HSRP on NX-OS, VRRP/VARP on EOS).
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Fhrp {
    pub group: u16,
    /// HSRP version 2 is needed for groups above 255.
    pub version: u8,
    pub virtual_ip: String,
    /// None: platform default (100).
    pub priority: Option<u16>,
    pub preempt: bool,
}

/// Layer-2 settings shared by a port-channel and its member ports.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Switchport {
    pub mode: SwitchportMode,
    /// Trunk allowed VLANs (sorted); empty means none.
    pub allowed_vlans: Vec<u16>,
    pub access_vlan: Option<u16>,
    /// Spanning-tree port type; None on uplinks (the platform default).
    pub stp_port_type: Option<StpPortType>,
    /// Err-disable the port when a BPDU arrives: host-facing edge ports.
    pub bpdu_guard: bool,
    /// Refuse a superior BPDU (a would-be root) from below: the gateways'
    /// downlinks.
    pub root_guard: bool,
    /// The largest IP MTU of the segments it carries, when above 1500:
    /// the port needs jumbo frames (each platform says how).
    pub mtu: Option<u32>,
}

/// How a layer-2 port carries VLANs; templates see `trunk` or `access`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchportMode {
    Trunk,
    Access,
}

impl SwitchportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SwitchportMode::Trunk => "trunk",
            SwitchportMode::Access => "access",
        }
    }
}

/// A spanning-tree port type; templates see `edge` or `network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StpPortType {
    /// Hosts and endpoints: forwards at once, no bridge behind it.
    Edge,
    /// The peer-link: bridge assurance on both ends.
    Network,
}

impl StpPortType {
    pub fn as_str(self) -> &'static str {
        match self {
            StpPortType::Edge => "edge",
            StpPortType::Network => "network",
        }
    }
}

/// Closed sets of the intent reach templates (and `--json`) as the same
/// lowercase words the inventory spells them with, so the rendered text
/// does not depend on the Rust names.
macro_rules! serialize_as_str {
    ($($kind:ty),*) => {$(
        impl Serialize for $kind {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )*};
}

serialize_as_str!(
    Platform,
    Role,
    StpMode,
    BreakoutMap,
    SwitchportMode,
    StpPortType
);

/// Consecutive ports of one module split the same way: NX-OS's
/// `interface breakout module 1 port 37-72 map 10g-4x`, one line per run
/// as the running config shows it (corpus: opennxos Usecase_3 Leaf_1).
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct BreakoutRange {
    pub module: u16,
    /// `10` or `37-72`.
    pub ports: String,
    pub map: BreakoutMap,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct PortChannel {
    pub id: u32,
    pub description: String,
    pub switchport: Switchport,
    /// vPC / MLAG number when the bundle spans both members of a pair.
    pub mlag_id: Option<u32>,
    pub peer_link: bool,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Interface {
    pub name: String,
    pub description: String,
    pub switchport: Option<Switchport>,
    pub channel_group: Option<u32>,
    pub routed: Option<Routed>,
    /// A host-facing port of a vPC pair that is not a vPC: suspended by
    /// the secondary when the peer-link fails, like its vPCs, so the host
    /// fails over to its other link (`vpc orphan-port suspend`).
    pub orphan_suspend: bool,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Routed {
    pub vrf: Option<String>,
    pub address: String,
    /// Ingress ACL (`ip access-group … in`): the infrastructure ACL of an
    /// external link.
    pub acl_in: Option<String>,
}

/// Serializes a value as its `Display` text (prefixes as `10.1.10.0/24`).
fn display<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// A named set of IPv4 prefixes (`object-group ip address` on NX-OS).
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct AddressGroup {
    pub name: String,
    /// Disjoint, sorted, aggregated: no two can be merged into one prefix.
    #[serde(serialize_with = "display_all")]
    pub prefixes: Vec<Ipv4Network>,
}

fn display_all<S: Serializer>(prefixes: &[Ipv4Network], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(prefixes.iter().map(|p| p.to_string()))
}

/// A named set of layer-4 port ranges (`object-group ip port` on NX-OS).
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct PortGroup {
    pub name: String,
    /// Disjoint and sorted.
    pub ports: Vec<PortRange>,
}

/// An inclusive port range; `low == high` for a single port.
#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortRange {
    pub low: u16,
    pub high: u16,
}

/// An IPv4 access list: entries in sequence order, first match wins, and
/// everything that matches no entry is denied.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Acl {
    pub name: String,
    pub entries: Vec<AclEntry>,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct AclEntry {
    pub seq: u32,
    #[serde(flatten)]
    pub body: EntryBody,
    /// The policy rule (index into the inventory's `policy`) the entry
    /// comes from; None for the entries every ACL has.
    #[serde(skip)]
    pub rule: Option<usize>,
}

/// `kind` is `remark` or `match` for templates.
#[derive(Debug, Serialize, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum EntryBody {
    /// A comment line: a policy rule's `comment`.
    Remark {
        text: String,
    },
    Match(Ace),
}

/// An access-control entry: what it matches and what it does.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Ace {
    pub action: Action,
    pub protocol: AclProtocol,
    pub source: AddressMatch,
    pub source_ports: Option<PortMatch>,
    pub destination: AddressMatch,
    pub destination_ports: Option<PortMatch>,
    /// TCP with ACK or RST set: the replies of a connection.
    pub established: bool,
    pub icmp_type: Option<IcmpType>,
    pub log: bool,
    /// Why the entry is there (for `liaison why`; templates ignore it).
    #[serde(skip)]
    pub purpose: Purpose,
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Permit,
    Deny,
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum AclProtocol {
    Ip,
    Tcp,
    Udp,
    Icmp,
    /// Another IP protocol by number (`ospf` is 89): matches none of TCP,
    /// UDP or ICMP. Only running configs read back (`verify`) have them.
    Other(u8),
}

#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum IcmpType {
    EchoReply,
    /// Destination unreachable, every code: fragmentation needed (code 4,
    /// what path-MTU discovery depends on) among them.
    Unreachable,
    TimeExceeded,
    /// An echo request (`echo`): to the fabric's own addresses, and in
    /// running configs read back.
    Echo,
}

impl IcmpType {
    pub fn number(self) -> u8 {
        match self {
            IcmpType::EchoReply => 0,
            IcmpType::Unreachable => 3,
            IcmpType::TimeExceeded => 11,
            IcmpType::Echo => 8,
        }
    }
}

#[derive(Debug, Serialize, Clone, PartialEq, Eq, Hash)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AddressMatch {
    Any,
    Prefix {
        #[serde(serialize_with = "display")]
        prefix: Ipv4Network,
    },
    /// An [`AddressGroup`] of the device, by name.
    Group {
        name: String,
    },
}

#[derive(Debug, Serialize, Clone, PartialEq, Eq, Hash)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PortMatch {
    Eq {
        port: u16,
    },
    Range {
        low: u16,
        high: u16,
    },
    /// A [`PortGroup`] of the device, by name.
    Group {
        name: String,
    },
}

/// The role of an entry in the placement design (docs/policy.md, "Policy").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// ICMP unreachable and time-exceeded: the errors path-MTU discovery
    /// and traceroute depend on, let through whatever the policy says.
    IcmpError,
    /// ICMP echo from a segment to the fabric's own addresses (its VMs
    /// ping their gateway).
    PingRouter,
    /// Anything else to the fabric's own addresses: SVIs, first-hop
    /// virtual addresses, external and transit links.
    ToRouter,
    /// A logged copy of a policy rule's flow where it enters the fabric
    /// (Nexus 9000 logs ingress entries only); the destination's `-out`
    /// ACL decides.
    Logged,
    /// On an external link: routed on, the segments' ACLs decide.
    Transit,
    /// Towards another segment with a gateway: that segment's `-out` ACL decides.
    ToSegment,
    /// Towards a segment without a gateway here: nothing routes there.
    ToUnroutedSegment,
    /// What is left from the fabric's own segments once the rules above
    /// had their say; everything after it comes from the Internet.
    FromFabric,
    /// A flow a policy rule allows.
    Flow,
    /// The return traffic of a flow a policy rule allows.
    Return,
    /// The last entry: nothing above allows the packet.
    DenyRest,
}

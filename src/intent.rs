//! The intent: what each switch must be configured with, decided by
//! `compile`, independent of any platform's syntax. Templates under
//! `templates/<platform>/` turn it into config text.
//!
//! Every collection is ordered (VLANs by id, interfaces in the order
//! switches print them), so rendering is byte-stable.

use serde::Serialize;

/// The compiled fabric: one entry per switch, by name.
#[derive(Debug, Serialize)]
pub struct Intent {
    pub fabric: String,
    pub devices: Vec<DeviceIntent>,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct DeviceIntent {
    pub name: String,
    /// `nxos` or `eos`: selects the template directory.
    pub platform: &'static str,
    pub role: &'static str,
    pub model: Option<String>,
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
    pub port_channels: Vec<PortChannel>,
    /// Physical ports, in port order.
    pub interfaces: Vec<Interface>,
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

/// Spanning-tree mode. With MST one instance maps every VLAN, so adding a
/// VLAN never adds spanning-tree instances (see `budget`).
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct SpanningTree {
    /// `mst` or `rapid-pvst` (the NX-OS default, which needs no line).
    pub mode: &'static str,
    /// MST region name: the fabric name, identical on every switch.
    pub region: String,
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
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Keepalive {
    pub source: String,
    pub destination: String,
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Svi {
    pub vlan: u16,
    pub description: String,
    /// None for the default VRF.
    pub vrf: Option<String>,
    /// Own address with prefix length, e.g. `10.1.10.2/24`.
    pub address: String,
    pub fhrp: Option<Fhrp>,
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
    /// `trunk` or `access`.
    pub mode: &'static str,
    /// Trunk allowed VLANs (sorted); empty means none.
    pub allowed_vlans: Vec<u16>,
    pub access_vlan: Option<u16>,
    /// Spanning-tree port type: `edge` (hosts, endpoints), `network`
    /// (peer-link) or None (uplinks, platform default).
    pub stp_port_type: Option<&'static str>,
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
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Routed {
    pub vrf: Option<String>,
    pub address: String,
}

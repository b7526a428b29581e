//! The inventory: what users write in `inventories/<name>/*.yml`, as typed
//! values that remember where they were written.
//!
//! `load` reads a directory, merges its files by top-level key and decodes
//! them; it never stops at the first problem. The types here say nothing
//! about whether references resolve: that is `check`'s job.

mod date;
mod decode;
mod index;
mod load;
pub mod port;

/// The platform enum lives in the platform layer; re-exported so the
/// inventory types keep naming it here.
pub use crate::platform::Platform;
pub use date::Date;
pub use decode::{
    decode_limits, is_valid_name, is_valid_switch_name, parse_service_spec, MAX_COMMENT,
    MAX_DESCRIPTION,
};
pub use index::Index;
pub use load::load;
pub(crate) use load::{did_you_mean, did_you_mean_or};
pub use port::{Port, PortRef};

use crate::diag::Loc;
use ipnetwork::IpNetwork;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// The file a switch's config is kept in (`build -o`, `fetch`, `plan
/// --running`): its name in lower case. Switch names keep the user's case
/// in the config (`hostname DC1-AGG-01`), but a switch renamed only in
/// case keeps its file, and no two switches' files collide on a
/// case-insensitive file system (names are unique without case, E009).
pub fn config_file_name(switch: &str) -> String {
    format!("{}.cfg", switch.to_ascii_lowercase())
}

/// A value and the place it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Spanned<T> {
    pub fn new(value: T, loc: Loc) -> Self {
        Spanned { value, loc }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

#[derive(Debug)]
pub struct Inventory {
    pub dir: PathBuf,
    pub fabric: Fabric,
    pub switches: Vec<Switch>,
    pub links: Vec<Link>,
    pub chassis: Vec<Chassis>,
    pub hosts: Vec<Host>,
    pub zones: Vec<Zone>,
    pub segments: Vec<Segment>,
    pub services: Vec<Service>,
    pub policy: Vec<Rule>,
    pub endpoints: Vec<Endpoint>,
    pub external: Vec<External>,
    pub guardrails: Vec<Guardrail>,
    /// Models added or overridden by the inventory (`platform_limits`).
    pub platform_limits: Vec<ModelLimits>,
    pub drift: Vec<Drift>,
    /// What the loader reported and left out: checks skip what follows
    /// only from it (one mistake, one error).
    pub unread: Unread,
}

/// Kinds of named inventory entries (and tags, which segments define).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Switch,
    Chassis,
    Host,
    Zone,
    Segment,
    Service,
    Endpoint,
    Guardrail,
    Tag,
}

/// The entries the loader reported a problem in. A dropped entry still
/// defines its name (as written, compared in lower case), so references to
/// it are not reported as dangling; a kept entry with a field left out is
/// `partial`, and checks that would only find the missing field's
/// absence skip it.
#[derive(Debug, Default)]
pub struct Unread {
    names: std::collections::HashSet<(EntryKind, String)>,
    /// Entries (by the place of their node) with a reported problem.
    partial: std::collections::HashSet<Loc>,
    /// An external link was dropped or lost a field: which VRFs reach the
    /// Internet is not known.
    pub externals: bool,
}

impl Unread {
    pub(crate) fn define(&mut self, kind: EntryKind, name: &str) {
        self.names.insert((kind, name.to_ascii_lowercase()));
    }

    pub(crate) fn mark_partial(&mut self, entry: Loc) {
        self.partial.insert(entry);
    }

    /// A dropped entry defined `name`: a reference to it is no new mistake.
    pub fn defines(&self, kind: EntryKind, name: &str) -> bool {
        !self.names.is_empty() && self.names.contains(&(kind, name.to_ascii_lowercase()))
    }

    /// The entry written at `entry` (its node's place) had a problem
    /// reported while it was read.
    pub fn is_partial(&self, entry: Loc) -> bool {
        self.partial.contains(&entry)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Aggregation,
    Tor,
}

impl Role {
    pub const NAMES: &'static [&'static str] = &["aggregation", "tor"];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Aggregation => "aggregation",
            Role::Tor => "tor",
        }
    }
}

#[derive(Debug, Default)]
pub struct Fabric {
    pub name: Option<Spanned<String>>,
    /// Role whose switches hold the SVIs; `aggregation` when not written.
    pub gateway_role: Option<Spanned<Role>>,
    pub ssh: Option<Ssh>,
    /// Spanning-tree mode; `mst` when not written (one instance for all
    /// VLANs keeps the logical-port count flat as VLANs are added).
    pub stp: Option<Spanned<StpMode>>,
    /// Spanning-tree priorities and guards (`fabric.stp` as a mapping;
    /// extension, see docs/inventory.md).
    pub stp_settings: StpSettings,
    /// Default IP MTU of segments without `mtu:` (extension); 1500 when
    /// not written.
    pub mtu: Option<Spanned<u32>>,
    /// vPC failure-mode timers (`fabric.vpc`, extension).
    pub vpc: VpcTimers,
    /// Budget planning figures (see docs/budgets.md, "Hardware budgets").
    /// Addresses and VLANs of the gateway pairs' backup paths.
    pub transit: Option<Transit>,
    pub vms_per_host: Option<Spanned<i64>>,
    pub vnics_per_vm: Option<Spanned<i64>>,
    pub budget_warning_percent: Option<Spanned<i64>>,
}

/// `fabric.vpc`: timers of every vPC domain. None: the documented default.
#[derive(Debug)]
pub struct Transit {
    /// IPv4 pool: one /31 per gateway pair and VRF.
    pub pool: Spanned<IpNetwork>,
    /// The transit VLANs are `first_vlan`, `first_vlan + 1`, … (one per
    /// gateway pair and VRF).
    pub first_vlan: Spanned<u16>,
    pub loc: Loc,
}

#[derive(Debug, Default)]
pub struct VpcTimers {
    /// `auto-recovery reload-delay` on every pair (240-3600 s).
    pub auto_recovery_reload_delay: Option<Spanned<u32>>,
    /// `delay restore` on the gateway pair (1-3600 s).
    pub delay_restore: Option<Spanned<u32>>,
}

/// `fabric.stp` written as a mapping: the mode (in `Fabric::stp`) and
/// these. None: the documented default.
#[derive(Debug, Default)]
pub struct StpSettings {
    /// Bridge priority of the gateway switches (the root), default 4096.
    pub root_priority: Option<Spanned<u32>>,
    /// Bridge priority of every other switch, default 16384.
    pub priority: Option<Spanned<u32>>,
    /// `spanning-tree guard root` on the gateways' downlinks, default true.
    pub root_guard: Option<Spanned<bool>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StpMode {
    RapidPvst,
    Mst,
}

impl StpMode {
    pub const NAMES: &'static [&'static str] = &["rapid-pvst", "mst"];

    pub fn as_str(self) -> &'static str {
        match self {
            StpMode::RapidPvst => "rapid-pvst",
            StpMode::Mst => "mst",
        }
    }
}

/// A switch resource with a platform limit (see `platforms/limits.yml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Vlans,
    RpvstLogicalPorts,
    MstLogicalPorts,
    RpvstVlans,
    MstInstances,
    MacAddresses,
    /// IPv4 ARP entries (adjacencies) a gateway holds.
    ArpEntries,
    PortChannels,
    Vpcs,
    /// Ingress router-ACL TCAM entries (the key predates egress).
    AclTcamEntries,
    AclTcamEgressEntries,
}

impl Resource {
    pub const ALL: [Resource; 11] = [
        Resource::Vlans,
        Resource::RpvstLogicalPorts,
        Resource::MstLogicalPorts,
        Resource::RpvstVlans,
        Resource::MstInstances,
        Resource::MacAddresses,
        Resource::ArpEntries,
        Resource::PortChannels,
        Resource::Vpcs,
        Resource::AclTcamEntries,
        Resource::AclTcamEgressEntries,
    ];

    /// The key in `platform_limits` and in JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Resource::Vlans => "vlans",
            Resource::RpvstLogicalPorts => "rpvst_logical_ports",
            Resource::MstLogicalPorts => "mst_logical_ports",
            Resource::RpvstVlans => "rpvst_vlans",
            Resource::MstInstances => "mst_instances",
            Resource::MacAddresses => "mac_addresses",
            Resource::ArpEntries => "arp_entries",
            Resource::PortChannels => "port_channels",
            Resource::Vpcs => "vpcs",
            Resource::AclTcamEntries => "acl_tcam_entries",
            Resource::AclTcamEgressEntries => "acl_tcam_egress_entries",
        }
    }

    /// Words for humans; the bundles a pair shares in `platform`'s words
    /// (`vPCs`, `MLAGs`).
    pub fn describe(self, platform: Platform) -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed(match self {
            Resource::Vlans => "VLANs",
            Resource::RpvstLogicalPorts => "Rapid-PVST+ logical ports",
            Resource::MstLogicalPorts => "MST logical ports",
            Resource::RpvstVlans => "VLANs in Rapid-PVST+ mode",
            Resource::MstInstances => "MST instances",
            Resource::MacAddresses => "MAC addresses",
            Resource::ArpEntries => "ARP entries",
            Resource::PortChannels => "port-channels",
            Resource::Vpcs => {
                return std::borrow::Cow::Owned(format!("{}s", platform.pair_name()));
            }
            Resource::AclTcamEntries => "ingress ACL TCAM entries",
            Resource::AclTcamEgressEntries => "egress ACL TCAM entries",
        })
    }
}

/// Limits of one switch model (`model: default` is the platform's
/// conservative fallback for models not in the table).
#[derive(Debug, Clone)]
pub struct ModelLimits {
    pub model: Spanned<String>,
    pub platform: Platform,
    /// Per resource: the limit and where the number comes from.
    pub limits: Vec<(Resource, u64, String)>,
    pub loc: Loc,
}

impl Fabric {
    pub fn gateway_role(&self) -> Role {
        self.gateway_role
            .as_ref()
            .map_or(Role::Aggregation, |r| r.value)
    }
}

#[derive(Debug, Default)]
pub struct Ssh {
    pub username: Option<Spanned<String>>,
    pub key_file: Option<Spanned<String>>,
    pub password_env: Option<Spanned<String>>,
    pub known_hosts: Option<Spanned<String>>,
}

#[derive(Debug)]
pub struct Switch {
    pub name: Spanned<String>,
    pub role: Spanned<Role>,
    pub platform: Spanned<Platform>,
    pub model: Option<Spanned<String>>,
    pub mgmt: Option<Spanned<String>>,
    /// The switch's management-interface address for the vPC
    /// peer-keepalive, when `mgmt` (how liaison reaches it over SSH) is
    /// not that address (extension to the v1 format).
    pub keepalive: Option<Spanned<Ipv4Addr>>,
    pub pair: Option<Spanned<String>>,
    /// Pins the vPC domain number of this switch's pair (extension to the
    /// v1 format; see docs/inventory.md, `switches[].vpc_domain`).
    pub vpc_domain: Option<Spanned<u16>>,
    pub description: Option<Spanned<String>>,
    /// What the switch does with ports its config says nothing about, when
    /// its model's entry in liaison's table is wrong or missing (extension
    /// to the v1 format; see docs/inventory.md).
    pub port_defaults: crate::config::PartialPortDefaults,
    /// Front-panel ports split into lanes (`breakout:`, extension to the
    /// v1 format): only their lanes (`Ethernet1/10/1` …) may be cabled.
    pub breakout: Vec<Breakout>,
    pub loc: Loc,
}

impl Switch {
    /// The switch's management-interface address, which the vPC
    /// peer-keepalive runs between, and the key it was written under:
    /// `keepalive`, else `mgmt` when it is a bare IPv4 address (a DNS name
    /// or a `host:port` used for SSH says nothing about the management
    /// interface's own address).
    pub fn keepalive_address(&self) -> Option<(Spanned<Ipv4Addr>, &'static str)> {
        match (&self.keepalive, &self.mgmt) {
            (Some(keepalive), _) => Some((keepalive.clone(), "keepalive")),
            (None, Some(mgmt)) => Some((Spanned::new(mgmt.value.parse().ok()?, mgmt.loc), "mgmt")),
            (None, None) => None,
        }
    }
}

/// One port broken out into lanes.
#[derive(Debug, Clone)]
pub struct Breakout {
    pub port: Spanned<Port>,
    pub map: Spanned<BreakoutMap>,
}

/// How a port is split (the `map` of NX-OS `interface breakout`; Cisco
/// Nexus 9000 Interfaces Configuration Guide, "Configuring Breakout").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakoutMap {
    TenG4x,
    TwentyFiveG4x,
    FiftyG2x,
    FiftyG4x,
    HundredG2x,
    HundredG4x,
    TwoHundredG2x,
}

impl BreakoutMap {
    pub const NAMES: &'static [&'static str] = &[
        "10g-4x", "25g-4x", "50g-2x", "50g-4x", "100g-2x", "100g-4x", "200g-2x",
    ];
    const ALL: [BreakoutMap; 7] = [
        BreakoutMap::TenG4x,
        BreakoutMap::TwentyFiveG4x,
        BreakoutMap::FiftyG2x,
        BreakoutMap::FiftyG4x,
        BreakoutMap::HundredG2x,
        BreakoutMap::HundredG4x,
        BreakoutMap::TwoHundredG2x,
    ];

    pub fn from_name(name: &str) -> Option<Self> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Some(Self::ALL[i])
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[Self::ALL.iter().position(|m| *m == self).unwrap_or(0)]
    }

    /// How many lanes the port becomes.
    pub fn lanes(self) -> u16 {
        match self {
            BreakoutMap::FiftyG2x | BreakoutMap::HundredG2x | BreakoutMap::TwoHundredG2x => 2,
            _ => 4,
        }
    }
}

#[derive(Debug)]
pub struct Link {
    pub ends: [PortRef; 2],
    pub loc: Loc,
}

#[derive(Debug)]
pub struct Chassis {
    pub name: Spanned<String>,
    /// Whether the interconnect modules bundle their uplinks together
    /// (extension); None: `independent`.
    pub interconnects: Option<Spanned<Interconnects>>,
    pub uplinks: Vec<ChassisUplink>,
    pub description: Option<Spanned<String>>,
    pub loc: Loc,
}

#[derive(Debug)]
pub struct ChassisUplink {
    pub switch: Spanned<String>,
    /// The interconnect module these uplinks leave from (extension); None:
    /// the module is taken to be the switch's own (one module per switch).
    pub module: Option<Spanned<String>>,
    pub ports: Vec<Spanned<Port>>,
    pub loc: Loc,
}

/// How the LACP partners of one attachment bundle: a chassis's
/// interconnect modules, an endpoint's controllers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interconnects {
    /// The modules form one multi-chassis LAG (HPE Synergy with M-LAG):
    /// all uplinks are one bundle.
    Mlag,
    /// Each module runs LACP on its own (classic Virtual Connect, most
    /// blade switches): one bundle per module.
    Independent,
}

impl Interconnects {
    pub const NAMES: &'static [&'static str] = &["mlag", "independent"];
}

impl Chassis {
    pub fn interconnects(&self) -> Interconnects {
        self.interconnects
            .as_ref()
            .map_or(Interconnects::Independent, |i| i.value)
    }
}

impl ChassisUplink {
    /// The module these uplinks belong to: `module`, else the switch.
    pub fn module_name(&self) -> &str {
        self.module
            .as_ref()
            .map_or(self.switch.as_str(), |m| m.as_str())
    }

    pub fn port_refs(&self) -> impl Iterator<Item = PortRef> + '_ {
        self.ports.iter().map(|p| PortRef {
            switch: self.switch.clone(),
            port: p.clone(),
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lag {
    #[default]
    None,
    Lacp,
}

impl Lag {
    pub const NAMES: &'static [&'static str] = &["none", "lacp"];
}

#[derive(Debug)]
pub enum Attachment {
    Chassis {
        chassis: Spanned<String>,
        bay: Option<Spanned<u32>>,
    },
    Nics {
        nics: Vec<PortRef>,
        lag: Lag,
    },
}

#[derive(Debug)]
pub struct Host {
    pub name: Spanned<String>,
    pub zone: Spanned<String>,
    pub attachment: Attachment,
    pub description: Option<Spanned<String>>,
    pub loc: Loc,
}

#[derive(Debug)]
pub struct Zone {
    pub name: Spanned<String>,
    pub segments: Vec<Spanned<String>>,
    pub loc: Loc,
}

#[derive(Debug)]
pub struct Segment {
    pub name: Spanned<String>,
    /// As written; range and reserved-ness are checked in `check`.
    pub vlan: Spanned<i64>,
    pub subnet: Option<Spanned<IpNetwork>>,
    pub gateway: Option<Spanned<IpAddr>>,
    pub vrf: Option<Spanned<String>>,
    pub tags: Vec<Spanned<String>>,
    pub routed: bool,
    /// The IP MTU of the segment's VMs (extension); None: the fabric's.
    pub mtu: Option<Spanned<u32>>,
    pub description: Option<Spanned<String>>,
    pub loc: Loc,
}

/// The name liaison gives the VRF of a segment or link that names none.
pub const DEFAULT_VRF: &str = "default";

impl Segment {
    pub fn vrf(&self) -> &str {
        self.vrf.as_ref().map_or(DEFAULT_VRF, |v| v.as_str())
    }

    pub fn vlan_id(&self) -> u16 {
        self.vlan.value as u16
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.value == tag)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
    Ip,
}

/// One entry of a service: `tcp/443`, `udp/53`, `tcp/8000-8099`, `icmp`, `ip`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceSpec {
    pub protocol: Protocol,
    /// Inclusive destination port range; None for icmp/ip.
    pub ports: Option<(u16, u16)>,
}

#[derive(Debug)]
pub struct Service {
    pub name: Spanned<String>,
    pub specs: Vec<Spanned<ServiceSpec>>,
}

impl std::fmt::Display for ServiceSpec {
    /// As written in the inventory: `tcp/443`, `tcp/8000-8099`, `icmp`, `ip`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let protocol = match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Ip => "ip",
        };
        match self.ports {
            Some((low, high)) if low == high => write!(f, "{protocol}/{low}"),
            Some((low, high)) => write!(f, "{protocol}/{low}-{high}"),
            None => f.write_str(protocol),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    Segment(String),
    Any,
    Internet,
    Tag(String),
}

impl std::fmt::Display for Selector {
    /// As written in the inventory: `web`, `any`, `internet`, `tag:pci`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selector::Segment(name) => f.write_str(name),
            Selector::Any => f.write_str("any"),
            Selector::Internet => f.write_str("internet"),
            Selector::Tag(tag) => write!(f, "tag:{tag}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowItem {
    Service(String),
    Inline(ServiceSpec),
}

impl std::fmt::Display for AllowItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AllowItem::Service(name) => f.write_str(name),
            AllowItem::Inline(spec) => spec.fmt(f),
        }
    }
}

#[derive(Debug)]
pub struct Rule {
    pub from: Vec<Spanned<Selector>>,
    pub to: Vec<Spanned<Selector>>,
    pub allow: Vec<Spanned<AllowItem>>,
    pub log: bool,
    /// From this day on the rule is left out (extension; see docs/inventory.md).
    pub expires: Option<Spanned<Date>>,
    /// Becomes a `remark` in front of the rule's ACL entries (extension).
    pub comment: Option<Spanned<String>>,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PortMode {
    #[default]
    Trunk,
    Access,
}

#[derive(Debug)]
pub struct Endpoint {
    pub name: Spanned<String>,
    /// Every port, the controllers' included.
    pub ports: Vec<PortRef>,
    /// Which ports belong to which controller (extension); empty when the
    /// endpoint lists `ports`: they are then one LACP partner.
    pub controllers: Vec<Controller>,
    /// Whether the controllers bundle their ports together (extension);
    /// None: `independent`, one bundle per controller.
    pub controllers_lag: Option<Spanned<Interconnects>>,
    pub segments: Vec<Spanned<String>>,
    pub lag: Lag,
    pub mode: Option<Spanned<PortMode>>,
    pub description: Option<Spanned<String>>,
    pub loc: Loc,
}

/// One controller of an endpoint (a storage array's controller A): the
/// ports that leave from it, one LACP partner.
#[derive(Debug)]
pub struct Controller {
    pub name: Spanned<String>,
    pub ports: Vec<PortRef>,
    pub loc: Loc,
}

impl Endpoint {
    pub fn controllers_lag(&self) -> Interconnects {
        self.controllers_lag
            .as_ref()
            .map_or(Interconnects::Independent, |i| i.value)
    }
}

#[derive(Debug)]
pub struct External {
    pub switch: Spanned<String>,
    pub port: Spanned<Port>,
    pub address: Spanned<IpNetwork>,
    pub next_hop: Spanned<IpAddr>,
    pub vrf: Option<Spanned<String>>,
    pub loc: Loc,
}

impl External {
    pub fn vrf(&self) -> &str {
        self.vrf.as_ref().map_or(DEFAULT_VRF, |v| v.as_str())
    }
}

#[derive(Debug)]
pub enum GuardrailRule {
    NeverTogether([Spanned<String>; 2]),
    OnlyOn {
        tag: Spanned<String>,
        switches: Vec<Spanned<String>>,
    },
}

#[derive(Debug)]
pub struct Guardrail {
    pub name: Spanned<String>,
    pub rule: GuardrailRule,
    pub loc: Loc,
}

/// Tolerated drift (extension): running-config lines that other tools own,
/// ignored by `liaison plan` on the listed switches (all when none listed).
#[derive(Clone, Debug)]
pub struct Drift {
    pub pattern: Spanned<String>,
    /// `pattern`, compiled (the loader refuses one that does not compile).
    pub regex: regex::Regex,
    pub devices: Vec<Spanned<String>>,
    pub loc: Loc,
}

impl Drift {
    pub fn applies_to(&self, device: &str) -> bool {
        self.devices.is_empty() || self.devices.iter().any(|d| d.value == device)
    }
}

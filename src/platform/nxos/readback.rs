//! Reading an NX-OS running config back into an [`ObservedDevice`]: the
//! inverse of `templates/nxos/`, for configs liaison wrote and for configs
//! it did not (any port-channel number, any ACL name, ranges, wrapped trunk
//! lists, interface ranges). The text goes through the same normaliser as
//! `plan` (`platform::nxos::parse`), so both read a config alike.
//!
//! NX-OS facts used here (Cisco Nexus 9000 NX-OS Interfaces, Layer 2
//! Switching and Security configuration guides, 10.x):
//! - a trunk without `switchport trunk allowed vlan` allows every VLAN;
//!   an access port without `switchport access vlan` is in VLAN 1;
//! - the settings `show running-config` hides (a port's layer, its admin
//!   state: an SVI is shut until `no shutdown`) depend on the switch: they
//!   are stated first with the switch's defaults, found as `plan` finds
//!   them (`platform::nxos::defaults`);
//! - ACL entries: `permit|deny PROTOCOL SOURCE [PORTS] DESTINATION [PORTS]
//!   [established] [ICMP-TYPE] [log]`, an address being `any`, `A.B.C.D/N`,
//!   `host A.B.C.D`, `A.B.C.D WILDCARD` or `addrgroup NAME`, ports `eq`,
//!   `neq`, `lt`, `gt`, `range` or `portgroup NAME` (IP ACL configuration
//!   guide, "Configuring IP ACLs"; `show running-config` shows well-known
//!   ports by name, which the normaliser turns into numbers).

use crate::config::{ConfigTree, Node, PortDefaults};
use crate::inventory::StpMode;
use crate::platform::ace::{self, AceSyntax};
use crate::platform::nxos::config as dialect;
use crate::platform::nxos::defaults as hidden;
use crate::platform::observe::{self, Setting, StpWords};
use crate::verify::observed::*;

/// NX-OS ACL entries name object-groups and one port per `eq` (Cisco
/// Nexus 9000 security guide, "Configuring IP ACLs").
const ACE_SYNTAX: AceSyntax = AceSyntax {
    object_groups: true,
    port_lists: false,
};

/// Reads the running config of switch `name` (read from `source`):
/// `tree` is `text` parsed by the normaliser, and `defaults` the switch's
/// hidden port defaults (`platform::nxos::defaults`, as `plan` finds them),
/// which are stated in the tree before it is read, so a port says its
/// layer and admin state whatever the config leaves out.
pub fn read(
    name: &str,
    source: &str,
    text: &str,
    mut tree: ConfigTree<'_>,
    defaults: PortDefaults,
) -> ObservedDevice {
    // Which ports say their own switchport settings, before the hidden
    // ones are stated: a port-channel member that says nothing has its
    // port-channel's.
    let own_settings: std::collections::HashSet<String> = tree
        .nodes
        .iter()
        .filter(|n| n.text.starts_with("interface "))
        .filter(|n| n.children.iter().any(|c| is_switchport_setting(&c.text)))
        .map(|n| n.text.to_string())
        .collect();
    hidden::make_explicit(&mut tree.nodes, defaults, &|_| true);
    // Rapid-PVST+ is NX-OS's default mode (docs/design.md, "Spanning tree").
    let mut device = ObservedDevice::new(name, source, &NxosWording, StpMode::RapidPvst);
    device.lines = top_level_lines(text);
    device.ports_default_routed = !defaults.switched;
    device.switchports_default_shut = defaults.switched_shutdown;
    for node in &tree.nodes {
        let text = &*node.text;
        if let Some(id) = text
            .strip_prefix("vlan ")
            .and_then(|v| v.parse::<u16>().ok())
        {
            device.vlans.insert(id);
        } else if let Some(domain) = text.strip_prefix("vpc domain ") {
            device.pair = read_vpc_domain(domain, node);
        } else if let Some(name) = text.strip_prefix("interface ") {
            let mut interface = read_interface(&device, name, node);
            interface.explicit_switchport = own_settings.contains(text);
            device.interfaces.insert(name.to_string(), interface);
        } else if let Some(vrf) = text.strip_prefix("vrf context ") {
            let routes = node
                .children
                .iter()
                .filter_map(|c| StaticRoute::parse(c.text.strip_prefix("ip route ")?))
                .collect();
            device.routes.insert(Some(vrf.trim().to_string()), routes);
        } else if let Some(route) = text.strip_prefix("ip route ") {
            device
                .routes
                .entry(None)
                .or_default()
                .extend(StaticRoute::parse(route));
        } else if text.starts_with("spanning-tree ") {
            observe::read_spanning_tree(&mut device.stp, text, &STP_WORDS);
        } else if let Some(acl) = text.strip_prefix("ip access-list ") {
            let (acl, unmodelled) = ace::read_acl(acl, node, ACE_SYNTAX);
            device.add_acl(acl, unmodelled);
        } else if let Some(group) = text.strip_prefix("object-group ip address ") {
            let group = ace::read_address_group(group, node);
            device.address_groups.insert(group.name.clone(), group);
        } else if let Some(group) = text.strip_prefix("object-group ip port ") {
            let group = ace::read_port_group(group, node);
            device.port_groups.insert(group.name.clone(), group);
        }
    }
    device
}

/// `vpc domain 200` and its peer-keepalive (`peer-keepalive destination
/// 192.0.2.12 source 192.0.2.11 vrf management`: the peer's address and
/// the one it reaches this switch on; Cisco Nexus 9000 vPC guide,
/// "Configuring the vPC Peer-Keepalive Link").
fn read_vpc_domain(domain: &str, node: &Node<'_>) -> PairDomain {
    let mut pair = PairDomain {
        id: Some(domain.trim().to_string()),
        header: Some(format!("vpc domain {}", domain.trim())),
        ..PairDomain::default()
    };
    if let Some(keepalive) = node
        .children
        .iter()
        .find(|c| c.text.starts_with("peer-keepalive "))
    {
        let words: Vec<&str> = keepalive.text.split(' ').collect();
        let after = |key: &str| {
            words
                .iter()
                .position(|w| *w == key)
                .and_then(|i| words.get(i + 1)?.parse().ok())
        };
        pair.peer_address = after("destination");
        pair.local_address = after("source");
        pair.addresses_text = keepalive.text.to_string();
    } else {
        pair.addresses_text = "no `peer-keepalive`".to_string();
    }
    pair
}

/// NX-OS's spanning-tree words (Nexus 9000 Layer 2 Switching guide,
/// "Configuring MST", "Configuring Rapid PVST+").
const STP_WORDS: StpWords = StpWords {
    modes: [("mst", StpMode::Mst), ("rapid-pvst", StpMode::RapidPvst)],
    vlan: "vlan",
};

/// How NX-OS configs say what the proof quotes.
pub struct NxosWording;

impl Wording for NxosWording {
    fn port_channel(&self, number: u32) -> String {
        format!("port-channel{number}")
    }

    fn pair(&self) -> &'static str {
        "vPC"
    }

    fn pair_place(&self) -> &'static str {
        "vpc domain"
    }

    fn pair_domain(&self, id: Option<&str>) -> String {
        id.map_or("no `vpc domain`".into(), |id| format!("vpc domain {id}"))
    }

    fn pair_member(&self, member: Option<Vpc>) -> String {
        match member {
            Some(Vpc::Number(n)) => format!("vpc {n}"),
            Some(Vpc::PeerLink) => "vpc peer-link".into(),
            None => "no `vpc`".into(),
        }
    }

    fn peer_link_place(&self) -> &'static str {
        "vpc peer-link"
    }

    fn no_peer_link(&self) -> &'static str {
        "no port-channel with `vpc peer-link`"
    }

    fn vrf(&self, vrf: Option<&str>) -> String {
        vrf.map_or("no `vrf member` (VRF default)".into(), |v| {
            format!("vrf member {v}")
        })
    }

    fn fhrp(&self, group: &FhrpGroup) -> String {
        let number = group.group.unwrap_or_default();
        match group.virtual_ip {
            Some(ip) => format!("hsrp {number} ip {ip}"),
            None => format!("hsrp {number} without a virtual address"),
        }
    }

    fn no_fhrp(&self) -> &'static str {
        "no `hsrp` group"
    }

    fn fhrp_protocol(&self) -> &'static str {
        "HSRP"
    }

    /// HSRP derives its MAC from the group ([`VirtualMac::Derived`]);
    /// `mac-address` under a group overrides it.
    fn virtual_mac_command(&self) -> &'static str {
        "mac-address"
    }

    fn svi_shut(&self) -> &'static str {
        "shutdown (an SVI is shut until `no shutdown`)"
    }

    fn missing_route(&self, vrf: Option<&str>, route: &StaticRoute) -> String {
        match vrf {
            Some(vrf) => format!("no `ip route {}` under `vrf context {vrf}`", route.words()),
            None => format!("no `ip route {}`", route.words()),
        }
    }

    fn stp_mode(&self, mode: Option<StpMode>) -> String {
        observe::stp_mode_line(&STP_WORDS, mode)
    }

    fn no_stp_priority(&self, tree: Tree) -> String {
        observe::no_stp_priority(&STP_WORDS, tree)
    }
}

/// The line of each top-level line, with interface ranges expanded to
/// every interface they configure and per-tree spanning-tree lines
/// (`spanning-tree mst 0-1 priority 4096`) to one line per tree, as the
/// normaliser reads them.
fn top_level_lines(text: &str) -> std::collections::BTreeMap<String, usize> {
    line_numbers(text, &|line| {
        if let Some(per_tree) = dialect::PerTreeLine::parse(line) {
            let lines = per_tree
                .trees
                .iter()
                .map(|t| per_tree.line_for(&t.to_string()));
            return Some(lines.collect());
        }
        let names = dialect::interface_names(line.strip_prefix("interface ")?)?;
        Some(names.iter().map(|n| format!("interface {n}")).collect())
    })
}

fn read_interface(device: &ObservedDevice, name: &str, node: &Node<'_>) -> ObservedInterface {
    let mut port = ObservedInterface::new(name);
    let svi = name.starts_with("Vlan");
    let physical = name.starts_with("Ethernet");
    let mut layer = None;
    let mut admin = None;
    let mut has_switchport_settings = false;
    for child in &node.children {
        let line = &*child.text;
        match observe::read_line(&mut port, line) {
            Some(Setting::Layer(stated)) => layer = Some(stated),
            Some(Setting::Admin(up)) => admin = Some(up),
            Some(Setting::Carried) => has_switchport_settings = true,
            Some(Setting::Other) => {}
            None => {
                if line == "vpc peer-link" {
                    port.vpc = Some(Vpc::PeerLink);
                } else if let Some(number) = line.strip_prefix("vpc ") {
                    if let Ok(number) = number.trim().parse() {
                        port.vpc = Some(Vpc::Number(number));
                    }
                } else if let Some(vrf) = line.strip_prefix("vrf member ") {
                    port.vrf = Some(vrf.trim().to_string());
                } else if let Some(group) = line.strip_prefix("hsrp ") {
                    if let Ok(group) = group.trim().parse() {
                        port.fhrp.push(read_hsrp(group, child));
                    }
                }
            }
        }
    }
    port.layer = match layer {
        Some(layer) => layer,
        None if svi || name.starts_with("loopback") => Layer::Routed,
        None if has_switchport_settings || port.channel_group.is_some() => Layer::Switched,
        None if port.address.is_some() => Layer::Routed,
        None if physical && device.ports_default_routed => Layer::Routed,
        None => Layer::Switched,
    };
    port.admin_up = admin.unwrap_or(if svi {
        false
    } else {
        !(physical && port.layer == Layer::Switched && device.switchports_default_shut)
    });
    port
}

/// A line that sets what a layer-2 port carries.
fn is_switchport_setting(line: &str) -> bool {
    line.starts_with("switchport mode ")
        || line.starts_with(dialect::TRUNK_ALLOWED)
        || line.starts_with("switchport access vlan ")
}

fn read_hsrp(group: u32, node: &Node<'_>) -> FhrpGroup {
    let virtual_ip = node.children.iter().find_map(|c| {
        let address = c.text.strip_prefix("ip ")?;
        (!address.contains(' ')).then(|| address.parse().ok())?
    });
    FhrpGroup {
        group: Some(group),
        virtual_ip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::Action;
    use crate::policy::eval::{first_match, Packet};

    const LAYER_2: PortDefaults = PortDefaults {
        switched: true,
        switched_shutdown: false,
    };

    fn read_with(text: &str, defaults: PortDefaults) -> ObservedDevice {
        let tree = crate::platform::nxos::parse(text).unwrap();
        read("sw1", "running/sw1.cfg", text, tree, defaults)
    }

    fn read_text(text: &str) -> ObservedDevice {
        read_with(text, LAYER_2)
    }

    #[test]
    fn trunks_ranges_and_bundles_of_a_hand_written_config() {
        let device = read_text(
            "hostname sw1\nvlan 1,10-12,20\nvpc domain 7\ninterface port-channel 10\n  switchport\n  switchport mode trunk\n  switchport trunk allowed vlan 10-11\n  switchport trunk allowed vlan add 20\n  vpc 110\ninterface port-channel20\n  switchport mode trunk\n  vpc peer-link\ninterface Eth1/1-2\n  switchport mode trunk\n  channel-group 10 mode active\ninterface Ethernet1/3\n  switchport access vlan 12\ninterface Ethernet1/4\n  no switchport\n  ip address 192.0.2.1/31\ninterface Ethernet1/5\n  shutdown\n",
        );
        assert_eq!(device.vlans, [1, 10, 11, 12, 20].into_iter().collect());
        assert_eq!(device.pair.id.as_deref(), Some("7"));
        let pc = &device.interfaces["port-channel10"];
        assert_eq!(pc.carried().to_string(), "10-11,20");
        assert_eq!(pc.vpc, Some(Vpc::Number(110)));
        assert_eq!(device.line_of("interface port-channel10"), Some(4));
        assert_eq!(device.line_of("interface Ethernet1/2"), Some(13));
        assert_eq!(
            device.peer_link().map(|p| p.name.as_str()),
            Some("port-channel20")
        );
        // A trunk without a list allows every VLAN.
        assert!(device.interfaces["port-channel20"].carried().is_all());
        let member = &device.interfaces["Ethernet1/2"];
        assert_eq!(member.channel_group, Some(10));
        assert!(member.explicit_switchport);
        assert_eq!(device.interfaces["Ethernet1/3"].carried().to_string(), "12");
        assert!(device.interfaces["Ethernet1/4"].carried().is_empty());
        assert!(!device.interfaces["Ethernet1/5"].admin_up);
        // A port the config does not mention has the defaults.
        assert_eq!(device.interface("Ethernet1/40").carried().to_string(), "1");
    }

    #[test]
    fn svis_are_shut_until_no_shutdown_and_keep_their_gateway() {
        let device = read_text(
            "interface Vlan10\n  vrf member prod\n  ip address 10.0.0.2/24\n  ip access-group web-in in\n  ip access-group web-out out\n  hsrp 10\n    ip 10.0.0.1\ninterface Vlan20\n  no shutdown\n",
        );
        let svi = &device.interfaces["Vlan10"];
        assert!(!svi.admin_up);
        assert_eq!(svi.vrf.as_deref(), Some("prod"));
        assert_eq!(svi.address.unwrap().to_string(), "10.0.0.2/24");
        assert_eq!(
            svi.fhrp,
            [FhrpGroup {
                group: Some(10),
                virtual_ip: Some("10.0.0.1".parse().unwrap())
            }]
        );
        assert_eq!(
            (svi.acl_in.as_deref(), svi.acl_out.as_deref()),
            (Some("web-in"), Some("web-out"))
        );
        assert!(device.interfaces["Vlan20"].admin_up);
    }

    #[test]
    fn routes_per_vrf_and_spanning_tree() {
        let text = "spanning-tree mode mst\nspanning-tree mst 0-1 priority 8192\nvrf context prod\n  ip route 0.0.0.0/0 10.0.0.1 250\nip route 10.9.0.0/16 192.0.2.9\n";
        let device = read_text(text);
        assert_eq!(device.stp.mode, Some(StpMode::Mst));
        assert_eq!(device.stp.priority(Tree::Mst(1)), 8192);
        // The normaliser reads one line per tree; the line is the range's.
        assert_eq!(device.line_of("spanning-tree mst 1 priority 8192"), Some(2));
        assert_eq!(device.routes[&Some("prod".to_string())][0].distance, 250);
        assert_eq!(
            device.routes[&None][0].next_hop,
            "192.0.2.9".parse::<std::net::Ipv4Addr>().unwrap()
        );
        // Unstated, the mode is Rapid-PVST+.
        assert_eq!(read_text("hostname a\n").stp.mode, Some(StpMode::RapidPvst));
    }

    #[test]
    fn hidden_defaults_decide_what_a_config_leaves_out() {
        let text = "interface Ethernet1/1\n  switchport mode trunk\ninterface Ethernet1/2\n  switchport mode trunk\n  no shutdown\ninterface Ethernet1/3\n  description routed by default\n";
        let shut = read_with(
            text,
            PortDefaults {
                switched: true,
                switched_shutdown: true,
            },
        );
        assert!(!shut.interfaces["Ethernet1/1"].admin_up);
        assert!(shut.interfaces["Ethernet1/2"].admin_up);
        assert!(!shut.interface("Ethernet1/9").admin_up);
        assert_eq!(shut.interfaces["Ethernet1/3"].layer, Layer::Switched);
        let routed = read_with(
            text,
            PortDefaults {
                switched: false,
                switched_shutdown: false,
            },
        );
        assert_eq!(routed.interfaces["Ethernet1/3"].layer, Layer::Routed);
        assert_eq!(routed.interface("Ethernet1/9").layer, Layer::Routed);
        // A port that says `switchport mode trunk` on a Layer-3-default
        // switch without `switchport` is what NX-OS would refuse: read as
        // the switch has it, routed.
        assert_eq!(routed.interfaces["Ethernet1/1"].layer, Layer::Routed);
    }

    #[test]
    fn hand_written_acls_evaluate_as_the_switch_does() {
        let device = read_text(
            "object-group ip address WEB\n  10 10.1.10.0/24\n  host 10.1.11.5\nobject-group ip port HTTP\n  eq 80\n  range 8000 8099\nip access-list FROM-WEB\n  remark hand made\n  permit tcp 10.1.10.0 0.0.0.255 any eq www\n  permit tcp addrgroup WEB any portgroup HTTP\n  deny tcp any host 10.9.9.9 neq 22\n  permit 6 any 10.9.9.9/32\n  permit ospf any any\n  permit ip any any fragments\n  deny ip any any\n",
        );
        let acl = &device.acls["FROM-WEB"];
        assert_eq!(
            device.unmodelled_entries["FROM-WEB"],
            ["70 permit ip any any fragments"]
        );
        let verdict = |p: &Packet| {
            first_match(&device, acl, p).map(|(e, a)| (e.seq, a.action == Action::Permit))
        };
        // `eq www` is port 80 (the normaliser turns names into numbers).
        assert_eq!(
            verdict(&Packet::tcp_opening("10.1.10.5", "8.8.8.8", 80)),
            Some((20, true))
        );
        assert_eq!(
            verdict(&Packet::tcp_opening("10.1.11.5", "8.8.8.8", 8099)),
            Some((30, true))
        );
        assert_eq!(
            verdict(&Packet::tcp_opening("10.1.12.5", "8.8.8.8", 8099)),
            Some((80, false))
        );
        // `neq 22`: two ranges, one action; port 22 falls through to `6`.
        assert_eq!(
            verdict(&Packet::tcp_opening("10.1.12.5", "10.9.9.9", 23)),
            Some((40, false))
        );
        assert_eq!(
            verdict(&Packet::tcp_opening("10.1.12.5", "10.9.9.9", 22)),
            Some((50, true))
        );
    }
}

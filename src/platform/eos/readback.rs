//! Reading an EOS running config back into an [`ObservedDevice`]
//! (`verify`): the inverse of `templates/eos/`, for configs liaison wrote
//! and for configs it did not (any port-channel number, any ACL name,
//! collapsed VLAN stanzas, typed trunk lists). The text goes through the
//! EOS dialect's normaliser first (`platform::eos::config`: `vlan 10-11`
//! is one node per VLAN, `add`/`remove` trunk lines fold into one list,
//! ACL entries are numbered), so `plan` and `verify` read a config alike.
//!
//! EOS facts used here (Arista EOS User Manual, 4.2x: "Ethernet Ports",
//! "Port Channels", "VLANs", "Multi-Chassis Link Aggregation", "VARP",
//! "ACL rule parameters"; the public configs of `tests/fixtures/eos`):
//! - ports and port-channels are Layer 2 and enabled, every interface is
//!   enabled unless `shutdown` (SVIs too: no `no shutdown` needed); the
//!   dialect states these hidden settings ([`crate::platform::eos::defaults`])
//!   before the tree is read;
//! - a trunk without `switchport trunk allowed vlan` allows every VLAN, an
//!   access port without `switchport access vlan` is in VLAN 1;
//! - an interface's VRF is `vrf NAME` (`vrf forwarding NAME` before EOS
//!   4.23, still accepted);
//! - a bundle across an MLAG pair says `mlag N` on its port-channel; the
//!   pair is `mlag configuration` (`domain-id`, `local-interface`,
//!   `peer-address`, `peer-link`): the peer-link is the port-channel that
//!   section names, and the members reach each other at the other's
//!   `peer-address`, which must be the address of the other's
//!   `local-interface`;
//! - a gateway answers on `ip virtual-router address A` (VARP: no group,
//!   every member answers) with the one MAC address of the top-level
//!   `ip virtual-router mac-address`; without it the virtual addresses do
//!   not answer (Arista AVD requires it whenever an SVI has a VARP
//!   address: aristanetworks/avd pull 2485). `ip virtual-router address`
//!   may carry a prefix length (`10.11.84.254/24` in the corpus);
//! - ACL entries are the NX-OS syntax without object-groups, and `eq` and
//!   `neq` take a list of ports ("ACL rule parameters": up to 10).
//!
//! A guess: a port-channel member's own switchport settings are inactive
//! while it is in the channel (the port-channel's apply), so the proof
//! never checks a member's own VLAN list on EOS.

use crate::config::{ConfigTree, Node, PortDefaults};
use crate::inventory::StpMode;
use crate::platform::ace::{self, AceSyntax};
use crate::platform::eos::config as dialect;
use crate::platform::eos::defaults as hidden;
use crate::platform::observe::{self, Setting, StpWords};
use crate::verify::observed::*;

/// EOS ACL entries name no object-groups; `eq` and `neq` take lists.
const ACE_SYNTAX: AceSyntax = AceSyntax {
    object_groups: false,
    port_lists: true,
};

/// The top-level line that sets VARP's virtual MAC address.
const VIRTUAL_MAC: &str = "ip virtual-router mac-address";

/// Reads the running config of switch `name` (read from `source`):
/// `tree` is `text` parsed by the EOS dialect, `defaults` the switch's
/// hidden port defaults, stated in the tree before it is read.
pub fn read(
    name: &str,
    source: &str,
    text: &str,
    mut tree: ConfigTree<'_>,
    defaults: PortDefaults,
) -> ObservedDevice {
    hidden::make_explicit(&mut tree.nodes, defaults, &|_| true);
    // MSTP is EOS's default mode ("spanning-tree mode": "The default mode
    // is MSTP").
    let mut device = ObservedDevice::new(name, source, &EosWording, StpMode::Mst);
    device.lines = line_numbers(text, &|line| {
        let vlans = dialect::vlan_list(line)?;
        Some(vlans.iter().map(|id| format!("vlan {id}")).collect())
    });
    device.ports_default_routed = !defaults.switched;
    device.switchports_default_shut = defaults.switched_shutdown;
    device.virtual_mac = VirtualMac::Configured(None);
    let mut mlag = None;
    for node in &tree.nodes {
        let text = &*node.text;
        if let Some(id) = text
            .strip_prefix("vlan ")
            .and_then(|v| v.parse::<u16>().ok())
        {
            device.vlans.insert(id);
        } else if text == "mlag configuration" {
            mlag = Some(node);
        } else if let Some(name) = text.strip_prefix("interface ") {
            device
                .interfaces
                .insert(name.to_string(), read_interface(name, node));
        } else if let Some(acl) = text.strip_prefix("ip access-list ") {
            let (acl, unmodelled) = ace::read_acl(acl, node, ACE_SYNTAX);
            device.add_acl(acl, unmodelled);
        } else if let Some(route) = text.strip_prefix("ip route ") {
            read_route(&mut device, route);
        } else if text.starts_with("spanning-tree ") {
            observe::read_spanning_tree(&mut device.stp, text, &STP_WORDS);
        } else if let Some(mac) = text.strip_prefix(VIRTUAL_MAC) {
            device.virtual_mac = VirtualMac::Configured(Some(mac.trim().to_string()));
        }
    }
    if let Some(node) = mlag {
        read_mlag(&mut device, node);
    }
    device
}

/// `ip route [vrf NAME] PREFIX NEXT-HOP [DISTANCE]` (after `ip route`):
/// EOS writes every VRF's static routes at the top level ("ip route").
fn read_route(device: &mut ObservedDevice, route: &str) {
    let (vrf, route) = match route.strip_prefix("vrf ") {
        Some(rest) => match rest.split_once(' ') {
            Some((vrf, route)) => (Some(vrf.to_string()), route),
            None => return,
        },
        None => (None, route),
    };
    if let Some(route) = StaticRoute::parse(route) {
        device.routes.entry(vrf).or_default().push(route);
    }
}

/// EOS's spanning-tree words (Arista EOS User Manual, "spanning-tree
/// mode", "spanning-tree priority"; `rstp`, `none` and `backup` are modes
/// liaison does not build).
const STP_WORDS: StpWords = StpWords {
    modes: [("mstp", StpMode::Mst), ("rapid-pvst", StpMode::RapidPvst)],
    vlan: "vlan-id",
};

/// `mlag configuration`: the pair's domain, the addresses its members
/// reach each other on, and which port-channel is the peer-link.
fn read_mlag(device: &mut ObservedDevice, node: &Node<'_>) {
    let setting = |name: &str| {
        node.children.iter().find_map(|c| {
            c.text
                .strip_prefix(name)
                .and_then(|v| v.strip_prefix(' '))
                .map(str::trim)
        })
    };
    let local_interface = setting("local-interface");
    let local = local_interface.and_then(|i| device.interfaces.get(i)?.address);
    let peer_address = setting("peer-address");
    let mut text = Vec::new();
    if let Some(peer) = peer_address {
        text.push(format!("peer-address {peer}"));
    } else {
        text.push("no `peer-address`".to_string());
    }
    match (local_interface, local) {
        (Some(interface), Some(address)) => {
            text.push(format!("local-interface {interface} ({address})"))
        }
        (Some(interface), None) => text.push(format!(
            "local-interface {interface} (no `interface {interface}` with an address)"
        )),
        (None, _) => text.push("no `local-interface`".to_string()),
    }
    device.pair = PairDomain {
        id: setting("domain-id").map(str::to_string),
        header: Some(node.text.to_string()),
        peer_address: peer_address.and_then(|a| a.parse().ok()),
        local_address: local.map(|a| a.ip()),
        addresses_text: text.join("\n"),
    };
    if let Some(peer_link) = setting("peer-link").and_then(|p| device.interfaces.get_mut(p)) {
        peer_link.vpc = Some(Vpc::PeerLink);
    }
}

fn read_interface(name: &str, node: &Node<'_>) -> ObservedInterface {
    let mut port = ObservedInterface::new(name);
    // Ports and port-channels say their layer (the dialect stated it);
    // every other interface is routed.
    port.layer = Layer::Routed;
    for child in &node.children {
        let line = &*child.text;
        match observe::read_line(&mut port, line) {
            Some(Setting::Layer(layer)) => port.layer = layer,
            Some(Setting::Admin(up)) => port.admin_up = up,
            Some(_) => {}
            None => read_own_line(&mut port, line),
        }
    }
    // See the module's guess: a member has its port-channel's settings.
    port.explicit_switchport = port.channel_group.is_none();
    port
}

/// An interface line EOS writes its own way: `mlag N`, `vrf NAME`, a
/// VARP address.
fn read_own_line(port: &mut ObservedInterface, line: &str) {
    if let Some(number) = line.strip_prefix("mlag ") {
        if let Ok(number) = number.trim().parse() {
            port.vpc = Some(Vpc::Number(number));
        }
    } else if let Some(vrf) = line.strip_prefix("vrf ") {
        let vrf = vrf.strip_prefix("forwarding ").unwrap_or(vrf).trim();
        port.vrf = Some(vrf.to_string());
    } else if let Some(address) = line.strip_prefix("ip virtual-router address ") {
        let address = address.split('/').next().unwrap_or_default().trim();
        port.fhrp.push(FhrpGroup {
            group: None,
            virtual_ip: address.parse().ok(),
        });
    }
}

/// How EOS configs say what the proof quotes.
pub struct EosWording;

impl Wording for EosWording {
    fn port_channel(&self, number: u32) -> String {
        format!("Port-Channel{number}")
    }

    fn pair(&self) -> &'static str {
        "MLAG"
    }

    fn pair_place(&self) -> &'static str {
        "mlag configuration"
    }

    fn pair_domain(&self, id: Option<&str>) -> String {
        id.map_or("no `mlag configuration` domain-id".into(), |id| {
            format!("domain-id {id}")
        })
    }

    fn pair_member(&self, member: Option<Vpc>) -> String {
        match member {
            Some(Vpc::Number(n)) => format!("mlag {n}"),
            Some(Vpc::PeerLink) => "the `peer-link` of `mlag configuration`".into(),
            None => "no `mlag`".into(),
        }
    }

    fn peer_link_place(&self) -> &'static str {
        "peer-link"
    }

    fn no_peer_link(&self) -> &'static str {
        "no `peer-link` naming a configured port-channel under `mlag configuration`"
    }

    fn vrf(&self, vrf: Option<&str>) -> String {
        vrf.map_or("no `vrf` (VRF default)".into(), |v| format!("vrf {v}"))
    }

    fn fhrp(&self, group: &FhrpGroup) -> String {
        match group.virtual_ip {
            Some(ip) => format!("ip virtual-router address {ip}"),
            None => "ip virtual-router address without a valid address".into(),
        }
    }

    fn no_fhrp(&self) -> &'static str {
        "no `ip virtual-router address`"
    }

    fn fhrp_protocol(&self) -> &'static str {
        "VARP"
    }

    fn virtual_mac_command(&self) -> &'static str {
        VIRTUAL_MAC
    }

    fn svi_shut(&self) -> &'static str {
        "shutdown"
    }

    fn missing_route(&self, vrf: Option<&str>, route: &StaticRoute) -> String {
        match vrf {
            Some(vrf) => format!("no `ip route vrf {vrf} {}`", route.words()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::Action;
    use crate::platform::eos::defaults::DEFAULTS;
    use crate::policy::eval::{first_match, Packet};

    fn read_text(text: &str) -> ObservedDevice {
        let tree = crate::platform::eos::parse(text).unwrap();
        read("leaf1", "running/leaf1.cfg", text, tree, DEFAULTS)
    }

    #[test]
    fn vlans_bundles_and_the_mlag_pair_of_a_hand_written_config() {
        let device = read_text(
            "! Command: show running-config\nhostname leaf1\n!\nvlan 10-11,20\n   name shared\n!\nvlan 4094\n   trunk group mlag-peer\n!\ninterface Port-Channel10\n   switchport trunk allowed vlan 10-11\n   switchport trunk allowed vlan add 20\n   switchport mode trunk\n   mlag 110\n!\ninterface Port-Channel2000\n   switchport mode trunk\n   switchport trunk group mlag-peer\n!\ninterface Ethernet1\n   channel-group 10 mode active\n   switchport access vlan 99\n!\ninterface Ethernet3\n   switchport access vlan 11\n!\ninterface Ethernet4\n   no switchport\n   ip address 192.0.2.1/31\n!\ninterface Ethernet5\n   shutdown\n!\ninterface Vlan4094\n   no autostate\n   ip address 10.255.0.1/30\n!\nmlag configuration\n   domain-id RACK1\n   local-interface Vlan4094\n   peer-address 10.255.0.2\n   peer-link Port-Channel2000\n!\nend\n",
        );
        assert_eq!(device.vlans, [1, 10, 11, 20, 4094].into_iter().collect());
        assert_eq!(device.line_of("vlan 11"), Some(4));
        assert_eq!(device.pair.id.as_deref(), Some("RACK1"));
        assert_eq!(device.pair.header.as_deref(), Some("mlag configuration"));
        assert_eq!(
            device.pair.peer_address,
            Some("10.255.0.2".parse().unwrap())
        );
        assert_eq!(
            device.pair.local_address,
            Some("10.255.0.1".parse().unwrap())
        );
        let pc = device.port_channel(10).unwrap();
        assert_eq!(pc.name, "Port-Channel10");
        assert_eq!(pc.carried().to_string(), "10-11,20");
        assert_eq!(pc.vpc, Some(Vpc::Number(110)));
        assert_eq!(
            device.peer_link().map(|p| p.name.as_str()),
            Some("Port-Channel2000")
        );
        assert!(device.interfaces["Port-Channel2000"].carried().is_all());
        // A member has its port-channel's settings, whatever it says.
        let member = &device.interfaces["Ethernet1"];
        assert_eq!(member.channel_group, Some(10));
        assert!(!member.explicit_switchport);
        assert_eq!(device.interfaces["Ethernet3"].carried().to_string(), "11");
        assert!(device.interfaces["Ethernet3"].explicit_switchport);
        assert!(device.interfaces["Ethernet4"].carried().is_empty());
        assert!(!device.interfaces["Ethernet5"].admin_up);
        assert!(device.interfaces["Ethernet3"].admin_up);
        assert_eq!(device.interface("Ethernet40").carried().to_string(), "1");
        // No virtual MAC is set.
        assert_eq!(device.virtual_mac, VirtualMac::Configured(None));
    }

    #[test]
    fn svis_are_up_unless_shut_and_keep_their_varp_gateway() {
        let device = read_text(
            "interface Vlan10\n   vrf prod\n   ip address 10.0.0.2/24\n   ip access-group web-in in\n   ip access-group web-out out\n   ip virtual-router address 10.0.0.1\ninterface Vlan20\n   vrf forwarding dev\n   shutdown\n   ip virtual-router address 10.0.20.1/24\n!\nip virtual-router mac-address 00:1c:73:00:00:99\n",
        );
        let svi = &device.interfaces["Vlan10"];
        assert!(svi.admin_up);
        assert_eq!(svi.layer, Layer::Routed);
        assert_eq!(svi.vrf.as_deref(), Some("prod"));
        assert_eq!(svi.address.unwrap().to_string(), "10.0.0.2/24");
        assert_eq!(
            svi.fhrp,
            [FhrpGroup {
                group: None,
                virtual_ip: Some("10.0.0.1".parse().unwrap())
            }]
        );
        assert_eq!(
            (svi.acl_in.as_deref(), svi.acl_out.as_deref()),
            (Some("web-in"), Some("web-out"))
        );
        let shut = &device.interfaces["Vlan20"];
        assert!(!shut.admin_up);
        assert_eq!(shut.vrf.as_deref(), Some("dev"));
        assert_eq!(shut.fhrp[0].virtual_ip, Some("10.0.20.1".parse().unwrap()));
        assert_eq!(
            device.virtual_mac,
            VirtualMac::Configured(Some("00:1c:73:00:00:99".into()))
        );
        assert_eq!(device.pair, PairDomain::default());
    }

    #[test]
    fn routes_per_vrf_and_spanning_tree() {
        let device = read_text(
            "spanning-tree mode rapid-pvst\nspanning-tree vlan-id 1,10-11 priority 4096\nno spanning-tree vlan-id 4094\nip route 0.0.0.0/0 192.0.2.1\nip route vrf prod 0.0.0.0/0 10.0.0.1 250\nip route vrf prod 10.9.0.0/16 Null0\n",
        );
        assert_eq!(device.stp.mode, Some(StpMode::RapidPvst));
        assert_eq!(device.stp.priority(Tree::Vlan(11)), 4096);
        assert_eq!(device.stp.priority(Tree::Vlan(12)), DEFAULT_BRIDGE_PRIORITY);
        assert_eq!(
            device.routes[&Some("prod".to_string())],
            [StaticRoute {
                prefix: "0.0.0.0/0".parse().unwrap(),
                next_hop: "10.0.0.1".parse().unwrap(),
                distance: 250
            }]
        );
        assert_eq!(device.routes[&None][0].distance, 1);
        // Unstated, the mode is MSTP; `rstp` is none liaison models.
        assert_eq!(read_text("hostname a\n").stp.mode, Some(StpMode::Mst));
        assert_eq!(read_text("spanning-tree mode rstp\n").stp.mode, None);
    }

    #[test]
    fn hand_written_acls_evaluate_as_the_switch_does() {
        let device = read_text(
            "ip access-list FROM-WEB\n   counters per-entry\n   remark hand made\n   permit tcp 10.1.10.0 0.0.0.255 any eq 80 443\n   deny tcp any host 10.9.9.9 neq 22 23\n   permit 6 any 10.9.9.9/32\n   permit ip any any fragments\n   permit tcp addrgroup WEB any\n   deny ip any any\n",
        );
        let acl = &device.acls["FROM-WEB"];
        // EOS has no object-groups in ACLs; `fragments` is not modelled.
        assert_eq!(
            device.unmodelled_entries["FROM-WEB"],
            [
                "50 permit ip any any fragments",
                "60 permit tcp addrgroup WEB any"
            ]
        );
        // (destination, port, the entry that decides, permitted)
        for (destination, port, seq, permit) in [
            ("8.8.8.8", 80, 20, true),
            ("8.8.8.8", 443, 20, true),
            ("8.8.8.8", 444, 70, false),
            // `neq 22 23`: every port but those two is denied.
            ("10.9.9.9", 24, 30, false),
            ("10.9.9.9", 21, 30, false),
            ("10.9.9.9", 23, 40, true),
            ("10.9.9.9", 22, 40, true),
        ] {
            let packet = Packet::tcp_opening("10.1.10.5", destination, port);
            let (entry, ace) = first_match(&device, acl, &packet).unwrap();
            assert_eq!(
                (entry.seq, ace.action == Action::Permit),
                (seq, permit),
                "{destination}:{port}"
            );
        }
    }
}

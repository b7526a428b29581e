//! Property tests of the planner against a small model of NX-OS:
//! - `diff(X, X)` is empty for every generated config;
//! - for generated pairs (X, Y), typing the remediation of `diff(X, Y)`
//!   into a switch running X (the model below) leaves it running Y, and no
//!   command is refused on the way (a VLAN deleted while a port uses it, an
//!   ACL bound before it exists, a duplicate sequence number, a physical
//!   port deleted, a nested command typed in the wrong mode...).
//!
//! The model is written from NX-OS behaviour, not from the planner: it has
//! its own idea of which commands replace a value, which enter a mode, and
//! what `no feature`, `vrf member` and `switchport` erase.

use liaison::config::{parse_nxos, ConfigTree, Node};
use liaison::plan::diff_texts;
use liaison::vlan::VlanSet;
use proptest::prelude::*;
use std::collections::BTreeMap;

// ----- generated configs ----------------------------------------------------

const VLANS: &[u16] = &[10, 20, 30, 40, 50, 60, 70];

#[derive(Clone, Debug)]
enum PortMode {
    Trunk(Vec<u16>),
    Access(u16),
    Routed { address: u8, acl: Option<usize> },
    Member(u16),
}

#[derive(Clone, Debug)]
struct Port {
    description: Option<String>,
    mode: PortMode,
    mtu: Option<u16>,
    shutdown: bool,
}

#[derive(Clone, Debug)]
struct Svi {
    vlan: u16,
    description: String,
    address: u8,
    vrf: Option<&'static str>,
    hsrp: Option<Option<u16>>,
}

#[derive(Clone, Debug)]
struct Device {
    hsrp: bool,
    lacp: bool,
    vlans: BTreeMap<u16, Option<String>>,
    vrfs: Vec<&'static str>,
    object_group: Option<Vec<u8>>,
    acls: Vec<Option<BTreeMap<u16, usize>>>,
    port_channel: Option<(String, Vec<u16>)>,
    ports: Vec<Option<Port>>,
    svis: Vec<Svi>,
    loopback: bool,
    ntp: bool,
}

const ENTRIES: &[&str] = &[
    "permit ip any any",
    "deny tcp any any eq 22",
    "permit udp any any eq 53",
    "permit tcp 10.0.0.0/8 any eq 443",
    "permit ip addrgroup OG1 any",
];

fn vlan_list() -> impl Strategy<Value = Vec<u16>> {
    prop::sample::subsequence(VLANS.to_vec(), 0..=VLANS.len())
}

fn device() -> impl Strategy<Value = Device> {
    let vlans = prop::collection::btree_map(
        prop::sample::select(VLANS.to_vec()),
        prop::option::of(prop::sample::select(vec![
            "web".to_string(),
            "app".into(),
            "db".into(),
        ])),
        0..=VLANS.len(),
    );
    let acl = prop::option::of(prop::collection::btree_map(
        prop::sample::select(vec![10u16, 20, 30, 40]),
        0..ENTRIES.len(),
        1..=4,
    ));
    let port = prop::option::of((
        prop::option::of(prop::sample::select(vec![
            "server".to_string(),
            "uplink".into(),
        ])),
        prop_oneof![
            vlan_list().prop_map(PortMode::Trunk),
            prop::sample::select(VLANS.to_vec()).prop_map(PortMode::Access),
            (1u8..4, prop::option::of(0usize..2))
                .prop_map(|(address, acl)| PortMode::Routed { address, acl }),
            Just(PortMode::Member(10)),
        ],
        prop::option::of(prop::sample::select(vec![1500u16, 9216])),
        any::<bool>(),
    ))
    .prop_map(|p| {
        p.map(|(description, mode, mtu, shutdown)| Port {
            description,
            mode,
            mtu,
            shutdown,
        })
    });
    let svi = (
        prop::sample::select(VLANS.to_vec()),
        prop::sample::select(vec!["gw".to_string(), "gateway".into()]),
        1u8..4,
        prop::option::of(prop::sample::select(vec!["prod", "dev"])),
        prop::option::of(prop::option::of(prop::sample::select(vec![90u16, 110]))),
    )
        .prop_map(|(vlan, description, address, vrf, hsrp)| Svi {
            vlan,
            description,
            address,
            vrf,
            hsrp,
        });
    (
        (
            any::<bool>(),
            any::<bool>(),
            vlans,
            prop::sample::subsequence(vec!["prod", "dev"], 0..=2),
        ),
        (
            prop::option::of(prop::collection::vec(1u8..4, 1..=2)),
            prop::collection::vec(acl, 2),
            prop::option::of((
                prop::sample::select(vec!["bundle".to_string(), "lag".into()]),
                vlan_list(),
            )),
        ),
        (
            prop::collection::vec(port, 4),
            prop::collection::vec(svi, 0..=2),
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((hsrp, lacp, vlans, vrfs), (og, acls, pc), (ports, svis, loopback, ntp))| {
                let mut device = Device {
                    hsrp,
                    lacp,
                    vlans,
                    vrfs,
                    object_group: og,
                    acls,
                    port_channel: pc,
                    ports,
                    svis,
                    loopback,
                    ntp,
                };
                make_consistent(&mut device);
                device
            },
        )
}

/// What a switch would accept: ports use defined VLANs, ACLs and
/// port-channels; SVIs use defined VLANs and VRFs; entries using the
/// object-group only where it exists.
fn make_consistent(d: &mut Device) {
    let defined: Vec<u16> = d.vlans.keys().copied().collect();
    let keep = |list: &mut Vec<u16>| list.retain(|v| defined.contains(v));
    if let Some((_, list)) = &mut d.port_channel {
        keep(list);
    }
    if d.object_group.is_none() {
        for acl in d.acls.iter_mut().flatten() {
            acl.retain(|_, entry| !ENTRIES[*entry].contains("OG1"));
        }
        for acl in &mut d.acls {
            if acl.as_ref().is_some_and(|a| a.is_empty()) {
                *acl = None;
            }
        }
    }
    for port in d.ports.iter_mut().flatten() {
        match &mut port.mode {
            PortMode::Trunk(list) => keep(list),
            PortMode::Access(vlan) if !defined.contains(vlan) => {
                port.mode = PortMode::Trunk(vec![])
            }
            PortMode::Routed { acl: Some(i), .. } if d.acls[*i].is_none() => {
                port.mode = PortMode::Routed {
                    address: 1,
                    acl: None,
                }
            }
            PortMode::Member(_) if d.port_channel.is_none() || !d.lacp => {
                port.mode = PortMode::Trunk(vec![])
            }
            _ => {}
        }
    }
    let mut seen = Vec::new();
    d.svis.retain(|s| {
        let ok = defined.contains(&s.vlan) && !seen.contains(&s.vlan);
        seen.push(s.vlan);
        ok
    });
    for svi in &mut d.svis {
        if svi.vrf.is_some_and(|v| !d.vrfs.contains(&v)) {
            svi.vrf = None;
        }
        if !d.hsrp {
            svi.hsrp = None;
        }
    }
}

/// Config text as a switch shows it: summary VLAN line, long trunk lists
/// wrapped onto `add` lines, one indentation style.
fn render(d: &Device) -> String {
    let mut out = String::from("!Command: show running-config\nversion 9.3(8)\nhostname sw1\n");
    if !d.svis.is_empty() {
        out += "feature interface-vlan\n";
    }
    if d.hsrp {
        out += "feature hsrp\n";
    }
    if d.lacp {
        out += "feature lacp\n";
    }
    if d.ntp {
        out += "ntp server 192.0.2.250 use-vrf management\n";
    }
    let ids: VlanSet = d.vlans.keys().copied().chain([1]).collect();
    out += &format!("vlan {ids}\n");
    for (id, name) in &d.vlans {
        if let Some(name) = name {
            out += &format!("vlan {id}\n  name {name}\n");
        }
    }
    for vrf in &d.vrfs {
        out += &format!("vrf context {vrf}\n");
    }
    if let Some(hosts) = &d.object_group {
        out += "object-group ip address OG1\n";
        for (i, host) in hosts.iter().enumerate() {
            out += &format!("  {} host 10.9.0.{host}\n", (i + 1) * 10);
        }
    }
    for (i, acl) in d.acls.iter().enumerate() {
        if let Some(entries) = acl {
            out += &format!("ip access-list A{i}\n");
            for (seq, entry) in entries {
                out += &format!("  {seq} {}\n", ENTRIES[*entry]);
            }
        }
    }
    for svi in &d.svis {
        out += &format!(
            "interface Vlan{}\n  description {}\n  no shutdown\n",
            svi.vlan, svi.description
        );
        if let Some(vrf) = svi.vrf {
            out += &format!("  vrf member {vrf}\n");
        }
        out += &format!("  ip address 10.{}.0.{}/24\n", svi.vlan, svi.address);
        if let Some(priority) = svi.hsrp {
            out += &format!("  hsrp {}\n    preempt\n", svi.vlan);
            if let Some(p) = priority {
                out += &format!("    priority {p}\n");
            }
            out += &format!("    ip 10.{}.0.254\n", svi.vlan);
        }
    }
    if let Some((description, list)) = &d.port_channel {
        out += &format!("interface port-channel10\n  description {description}\n  switchport\n  switchport mode trunk\n");
        out += &trunk_lines(list);
    }
    if d.loopback {
        out += "interface loopback0\n  ip address 10.255.0.1/32\n";
    }
    for (i, port) in d.ports.iter().enumerate() {
        out += &format!("interface Ethernet1/{}\n", i + 1);
        let Some(port) = port else { continue };
        if let Some(description) = &port.description {
            out += &format!("  description {description}\n");
        }
        match &port.mode {
            PortMode::Trunk(list) => {
                out += "  switchport\n  switchport mode trunk\n";
                out += &trunk_lines(list);
            }
            PortMode::Access(vlan) => {
                out += &format!("  switchport\n  switchport access vlan {vlan}\n");
            }
            PortMode::Routed { address, acl } => {
                out += &format!("  no switchport\n  ip address 192.0.2.{address}/31\n");
                if let Some(acl) = acl {
                    out += &format!("  ip access-group A{acl} in\n");
                }
            }
            PortMode::Member(group) => {
                let list = d
                    .port_channel
                    .as_ref()
                    .map(|(_, l)| l.clone())
                    .unwrap_or_default();
                out += "  switchport\n  switchport mode trunk\n";
                out += &trunk_lines(&list);
                out += &format!("  channel-group {group} mode active\n");
            }
        }
        if let Some(mtu) = port.mtu {
            out += &format!("  mtu {mtu}\n");
        }
        out += if port.shutdown {
            "  shutdown\n"
        } else {
            "  no shutdown\n"
        };
    }
    out
}

/// Lists of more than three VLANs wrap onto `add` lines.
fn trunk_lines(list: &[u16]) -> String {
    if list.is_empty() {
        return "  switchport trunk allowed vlan none\n".into();
    }
    let mut out = String::new();
    for (i, chunk) in list.chunks(3).enumerate() {
        let set: VlanSet = chunk.iter().copied().collect();
        let verb = if i == 0 { "" } else { "add " };
        out += &format!("  switchport trunk allowed vlan {verb}{set}\n");
    }
    out
}

// ----- the NX-OS model ---------------------------------------------------------

/// A switch: its config tree, changed by typing commands in config mode.
struct Switch {
    config: Vec<Node<'static>>,
    /// Path of the current mode: indices from the top.
    mode: Vec<usize>,
}

fn starts_mode(context: Option<&str>, text: &str) -> bool {
    match context {
        None => [
            "interface ",
            "vlan ",
            "ip access-list ",
            "object-group ",
            "vrf context ",
        ]
        .iter()
        .any(|p| text.starts_with(p)),
        Some(parent) => {
            parent.starts_with("interface ")
                && text.starts_with("hsrp ")
                && !text.starts_with("hsrp version")
        }
    }
}

/// Settings that hold one value: typing one replaces the previous.
fn same_setting(a: &str, b: &str) -> bool {
    const ONE_VALUE: &[&str] = &[
        "description ",
        "mtu ",
        "name ",
        "switchport mode ",
        "switchport access vlan ",
        "channel-group ",
        "vrf member ",
        "priority ",
        "hostname ",
    ];
    let primary_ip = |t: &str| t.starts_with("ip address ") && !t.ends_with("secondary");
    let hsrp_vip = |t: &str| t.starts_with("ip 10.") && t.split(' ').count() == 2;
    ONE_VALUE
        .iter()
        .any(|p| a.starts_with(p) && b.starts_with(p))
        || (primary_ip(a) && primary_ip(b))
        || (hsrp_vip(a) && hsrp_vip(b))
}

const FLAGS: &[&str] = &["shutdown", "switchport", "ip redirects"];

impl Switch {
    fn new(config: ConfigTree<'_>) -> Self {
        Switch {
            config: config.into_owned().nodes,
            mode: Vec::new(),
        }
    }

    fn has(&self, text: &str) -> bool {
        self.config.iter().any(|n| n.text == text)
    }

    fn interfaces(&self) -> impl Iterator<Item = &Node<'static>> {
        self.config
            .iter()
            .filter(|n| n.text.starts_with("interface "))
    }

    fn context(&mut self) -> Option<&mut Node<'static>> {
        let mut path = self.mode.iter();
        let mut node = self.config.get_mut(*path.next()?)?;
        for i in path {
            node = &mut node.children[*i];
        }
        Some(node)
    }

    fn type_command(&mut self, line: &str) -> Result<(), String> {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let text = line.trim();
        if text == "exit" {
            return self.mode.pop().map(|_| ()).ok_or("exit at the top".into());
        }
        if depth == 0 {
            self.mode.clear();
        } else if self.mode.len() != depth {
            return Err(format!("`{text}` typed in mode {:?}", self.mode));
        }
        if self.mode.is_empty() {
            self.global(text)
        } else {
            self.in_section(text)
        }
    }

    fn global(&mut self, text: &str) -> Result<(), String> {
        if let Some(feature) = text.strip_prefix("no feature ") {
            self.config
                .retain(|n| n.text != format!("feature {feature}"));
            let wiped = match feature {
                "hsrp" => "hsrp ",
                "lacp" => "lacp ",
                "interface-vlan" => {
                    self.config
                        .retain(|n| !n.text.starts_with("interface Vlan"));
                    return Ok(());
                }
                _ => return Ok(()),
            };
            for interface in self
                .config
                .iter_mut()
                .filter(|n| n.text.starts_with("interface "))
            {
                interface.children.retain(|c| !c.text.starts_with(wiped));
            }
            return Ok(());
        }
        if let Some(id) = text.strip_prefix("no vlan ") {
            let id: u16 = id.parse().map_err(|_| format!("bad `{text}`"))?;
            if let Some(user) = self.interfaces().find(|i| {
                i.children.iter().any(|c| {
                    c.text == format!("switchport access vlan {id}")
                        || c.text
                            .strip_prefix("switchport trunk allowed vlan ")
                            .is_some_and(|l| VlanSet::parse(l).unwrap().contains(id))
                })
            }) {
                return Err(format!("`{text}` while {} uses it", user.text));
            }
            return self.remove_top(&format!("vlan {id}"));
        }
        if let Some(name) = text.strip_prefix("default interface ") {
            let node = self
                .config
                .iter_mut()
                .find(|n| n.text == format!("interface {name}"))
                .ok_or(format!("`{text}`: no such interface"))?;
            node.children.clear();
            return Ok(());
        }
        if let Some(name) = text.strip_prefix("no interface ") {
            if name.starts_with("Ethernet") {
                return Err(format!("`{text}`: a physical port cannot be deleted"));
            }
            return self.remove_top(&format!("interface {name}"));
        }
        if let Some(acl) = text.strip_prefix("no ip access-list ") {
            let bound = format!("ip access-group {acl} in");
            if self
                .interfaces()
                .any(|i| i.children.iter().any(|c| c.text == bound))
            {
                return Err(format!("`{text}` while still bound"));
            }
            return self.remove_top(&format!("ip access-list {acl}"));
        }
        if let Some(group) = text.strip_prefix("no object-group ip address ") {
            let used = format!("addrgroup {group}");
            if self
                .config
                .iter()
                .any(|n| n.walk().any(|l| l.text.contains(&used)))
            {
                return Err(format!("`{text}` while an ACL uses it"));
            }
            return self.remove_top(&format!("object-group ip address {group}"));
        }
        if let Some(vrf) = text.strip_prefix("no vrf context ") {
            let member = format!("vrf member {vrf}");
            if self
                .interfaces()
                .any(|i| i.children.iter().any(|c| c.text == member))
            {
                return Err(format!("`{text}` while an interface is a member"));
            }
            return self.remove_top(&format!("vrf context {vrf}"));
        }
        if let Some(rest) = text.strip_prefix("no ") {
            return self.remove_top(rest);
        }
        if starts_mode(None, text) {
            if text.starts_with("interface Vlan") && !self.has("feature interface-vlan") {
                return Err(format!("`{text}` before `feature interface-vlan`"));
            }
            let index = match self.config.iter().position(|n| n.text == text) {
                Some(i) => i,
                None => {
                    self.config.push(Node::new(text.to_string()));
                    self.config.len() - 1
                }
            };
            self.mode.push(index);
            return Ok(());
        }
        set_line(&mut self.config, text);
        Ok(())
    }

    fn remove_top(&mut self, text: &str) -> Result<(), String> {
        let before = self.config.len();
        self.config.retain(|n| n.text != text);
        if self.config.len() == before {
            return Err(format!("`no {text}`: nothing to remove"));
        }
        Ok(())
    }

    fn in_section(&mut self, text: &str) -> Result<(), String> {
        let top = &self.config[self.mode[0]].text;
        let checks_vlans: Vec<u16> = self
            .config
            .iter()
            .filter_map(|n| n.text.strip_prefix("vlan ")?.parse().ok())
            .collect();
        let features: Vec<String> = self
            .config
            .iter()
            .filter(|n| n.text.starts_with("feature "))
            .map(|n| n.text.to_string())
            .collect();
        let acls: Vec<String> = self
            .config
            .iter()
            .filter_map(|n| n.text.strip_prefix("ip access-list ").map(str::to_string))
            .collect();
        let vrfs: Vec<String> = self
            .config
            .iter()
            .filter_map(|n| n.text.strip_prefix("vrf context ").map(str::to_string))
            .collect();
        let object_group = self.has("object-group ip address OG1");
        let in_acl = top.starts_with("ip access-list ") || top.starts_with("object-group ");
        let section = self.context().expect("a mode");
        let parent = section.text.clone();
        if starts_mode(Some(&parent), text) {
            if !features.iter().any(|f| f == "feature hsrp") {
                return Err(format!("`{text}` before `feature hsrp`"));
            }
            let index = match section.children.iter().position(|n| n.text == text) {
                Some(i) => i,
                None => {
                    section.children.push(Node::new(text.to_string()));
                    section.children.len() - 1
                }
            };
            self.mode.push(index);
            return Ok(());
        }
        let children = &mut section.children;
        if in_acl {
            if let Some(seq) = text.strip_prefix("no ") {
                let before = children.len();
                children.retain(|c| c.text.split(' ').next() != Some(seq));
                return if children.len() < before {
                    Ok(())
                } else {
                    Err(format!("`{text}`: no such entry"))
                };
            }
            let seq = text.split(' ').next().unwrap_or("");
            if children
                .iter()
                .any(|c| c.text.split(' ').next() == Some(seq))
            {
                return Err(format!("`{text}`: Duplicate sequence number"));
            }
            if text.contains("addrgroup OG1") && !object_group {
                return Err(format!("`{text}` before its object-group"));
            }
            children.push(Node::new(text.to_string()));
            return Ok(());
        }
        if let Some(rest) = text.strip_prefix("switchport trunk allowed vlan ") {
            let index = children
                .iter()
                .position(|c| c.text.starts_with("switchport trunk allowed vlan "));
            let current = index
                .map(|i| {
                    VlanSet::parse(&children[i].text["switchport trunk allowed vlan ".len()..])
                        .unwrap()
                })
                .unwrap_or_else(VlanSet::all);
            let (verb, list) = rest.split_once(' ').unwrap_or(("", rest));
            let next = match verb {
                "add" => {
                    let added = VlanSet::parse(list).unwrap();
                    if let Some(missing) = added.iter().find(|v| !checks_vlans.contains(v)) {
                        return Err(format!("`{text}` before `vlan {missing}` exists"));
                    }
                    current.union(&added)
                }
                "remove" => current.difference(&VlanSet::parse(list).unwrap()),
                _ => VlanSet::parse(rest).unwrap(),
            };
            if let Some(i) = index {
                children.remove(i);
            }
            if !next.is_all() {
                children.push(Node::new(format!("switchport trunk allowed vlan {next}")));
            }
            return Ok(());
        }
        if let Some(vrf) = text.strip_prefix("vrf member ") {
            if !vrfs.iter().any(|v| v == vrf) {
                return Err(format!("`{text}` before `vrf context {vrf}`"));
            }
            if !children.iter().any(|c| c.text == text) {
                children
                    .retain(|c| !c.text.starts_with("ip address ") && !c.text.starts_with("hsrp "));
            }
        }
        if let Some(acl) = text.strip_prefix("ip access-group ") {
            let name = acl.split(' ').next().unwrap_or("");
            if !acls.iter().any(|a| a == name) {
                return Err(format!("`{text}` before the ACL exists"));
            }
            children.retain(|c| !c.text.starts_with("ip access-group "));
        }
        if text.starts_with("channel-group ") {
            if !features.iter().any(|f| f == "feature lacp") {
                return Err(format!("`{text}` before `feature lacp`"));
            }
            if let Some(other) = children
                .iter()
                .find(|c| c.text.starts_with("channel-group ") && c.text != text)
            {
                return Err(format!("`{text}` while in `{}`", other.text));
            }
        }
        if text == "switchport" && children.iter().any(|c| c.text == "no switchport") {
            children.retain(|c| {
                !c.text.starts_with("ip address ") && !c.text.starts_with("ip access-group ")
            });
        }
        if text == "no switchport" && children.iter().any(|c| c.text == "switchport") {
            children.retain(|c| !c.text.starts_with("switchport "));
        }
        let positive = text.strip_prefix("no ").unwrap_or(text);
        if FLAGS.contains(&positive) {
            children.retain(|c| c.text != positive && c.text != format!("no {positive}"));
            children.push(Node::new(text.to_string()));
            return Ok(());
        }
        if let Some(removed) = text.strip_prefix("no ") {
            let before = children.len();
            children.retain(|c| !(c.text == removed || c.text.starts_with(&format!("{removed} "))));
            return if children.len() < before {
                Ok(())
            } else {
                Err(format!("`{text}` in `{parent}`: nothing to remove"))
            };
        }
        set_line(children, text);
        Ok(())
    }
}

fn set_line(lines: &mut Vec<Node<'static>>, text: &str) {
    lines.retain(|c| c.text != text && !same_setting(&c.text, text));
    lines.push(Node::new(text.to_string()));
}

/// Order-free form for comparison: the device orders lines itself. Empty
/// physical ports are the default state either way.
fn canonical(nodes: &[Node<'_>]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = nodes
        .iter()
        .filter(|n| !(n.text.starts_with("interface Ethernet") && n.children.is_empty()))
        .map(|n| {
            let mut lines: Vec<String> = n.walk().skip(1).map(|l| l.text.to_string()).collect();
            lines.sort();
            (n.text.to_string(), lines)
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_config_against_itself_plans_nothing(x in device()) {
        let text = render(&x);
        let commands = diff_texts(&text, &text).unwrap();
        prop_assert!(commands.is_empty(), "{commands:#?}\nfor\n{text}");
    }

    #[test]
    fn applying_the_remediation_to_x_gives_y(x in device(), y in device()) {
        let (x_text, y_text) = (render(&x), render(&y));
        let commands = diff_texts(&x_text, &y_text).unwrap();
        let mut switch = Switch::new(parse_nxos(&x_text).unwrap());
        for command in &commands {
            if let Err(refused) = switch.type_command(command) {
                prop_assert!(false, "refused: {refused}\ncommands:\n{}\nX:\n{x_text}\nY:\n{y_text}", commands.join("\n"));
            }
        }
        let want = canonical(&parse_nxos(&y_text).unwrap().nodes);
        let got = canonical(&switch.config);
        prop_assert_eq!(got, want, "commands:\n{}\nX:\n{}\nY:\n{}", commands.join("\n"), x_text, y_text);
        // Once applied, nothing is left to do.
        let after = ConfigTree { nodes: switch.config }.to_text();
        let again = diff_texts(&after, &y_text).unwrap();
        prop_assert!(again.is_empty(), "second plan: {again:#?}");
    }
}

//! A small model of an NX-OS switch in configuration mode, for tests that
//! apply plans: it keeps a config tree and changes it command by command,
//! refusing what the device would refuse or what would break a rule of the
//! planner (a VLAN deleted while a port uses it, an ACL bound before it
//! exists, a duplicate sequence number, a physical port deleted, a nested
//! command typed in the wrong mode...).
//!
//! It is written from NX-OS behaviour, not from the planner: it has its own
//! idea of which commands replace a value, which enter a mode, and what
//! `no feature`, `vrf member` and `switchport` erase.

#![allow(dead_code)]

use liaison::config::{ConfigTree, Node};
use liaison::vlan::VlanSet;

/// What a switch does with what its config does not say (NX-OS: `system
/// default switchport [shutdown]`, and the model's factory default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defaults {
    /// Ethernet ports and port-channels are Layer 2 unless configured.
    pub layer2: bool,
    /// Layer 2 Ethernet ports start shut.
    pub layer2_shut: bool,
}

/// A Nexus 9300 or 3000: Layer 2 ports, up.
pub const LAYER2: Defaults = Defaults {
    layer2: true,
    layer2_shut: false,
};
/// A Nexus 9300-EX: routed ports.
pub const LAYER3: Defaults = Defaults {
    layer2: false,
    layer2_shut: false,
};
/// `system default switchport` and `system default switchport shutdown`.
pub const LAYER2_SHUT: Defaults = Defaults {
    layer2: true,
    layer2_shut: true,
};

/// A switch: its config tree, changed by typing commands in config mode.
pub struct Switch {
    /// The lines as typed (or loaded), defaults not filled in.
    pub config: Vec<Node<'static>>,
    /// Path of the current mode: indices from the top.
    mode: Vec<usize>,
    pub defaults: Defaults,
}

/// Interfaces with a layer (ports and port-channels, not subinterfaces).
fn has_layer(header: &str) -> bool {
    ["interface Ethernet", "interface port-channel"]
        .iter()
        .any(|p| header.starts_with(p))
        && !header.contains('.')
}

/// The layer an interface runs at: its `switchport` / `no switchport`
/// line, else the switch's default.
fn is_layer2(header: &str, lines: &[Node<'_>], defaults: Defaults) -> bool {
    has_layer(header)
        && lines
            .iter()
            .rev()
            .find_map(|c| match &*c.text {
                "switchport" => Some(true),
                "no switchport" => Some(false),
                _ => None,
            })
            .unwrap_or(defaults.layer2)
}

/// Whether an interface that says nothing about it is shut: routed Ethernet
/// ports and SVIs are, Layer 2 ports by the switch's setting, port-channels
/// and loopbacks are not.
fn shut_by_default(header: &str, layer2: bool, defaults: Defaults) -> bool {
    if header.starts_with("interface Ethernet") && !header.contains('.') {
        if layer2 {
            defaults.layer2_shut
        } else {
            true
        }
    } else {
        header.starts_with("interface Vlan") || header.contains('.')
    }
}

fn starts_mode(context: Option<&str>, text: &str) -> bool {
    match context {
        None => [
            "interface ",
            "vlan ",
            "ip access-list ",
            "object-group ",
            "vrf context ",
            "vpc domain ",
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
        "role priority ",
    ];
    // Device-wide settings NX-OS keeps one of (configuration guides:
    // Fundamentals, Security, System Management, Layer 2, Interfaces).
    const DEVICE_WIDE: &[&str] = &[
        "spanning-tree mode ",
        "system jumbomtu ",
        "banner motd ",
        "ip domain-name ",
        "snmp-server contact ",
        "snmp-server location ",
        "clock timezone ",
        "boot nxos ",
    ];
    // One per named thing: a user's password, a server's options.
    let per_name = |t: &str, verb: &str, after: &str| -> Option<String> {
        let rest = t.strip_prefix(verb)?;
        let name = rest.split(' ').next()?;
        rest[name.len()..]
            .starts_with(after)
            .then(|| format!("{verb}{name}{after}"))
    };
    let named = |t: &str| {
        per_name(t, "username ", " password ")
            .or_else(|| per_name(t, "logging server ", ""))
            .or_else(|| per_name(t, "ntp server ", ""))
    };
    if named(a).is_some() && named(a) == named(b) {
        return true;
    }
    if DEVICE_WIDE
        .iter()
        .any(|p| a.starts_with(p) && b.starts_with(p))
    {
        return true;
    }
    let primary_ip = |t: &str| t.starts_with("ip address ") && !t.ends_with("secondary");
    let hsrp_vip = |t: &str| t.starts_with("ip 10.") && t.split(' ').count() == 2;
    ONE_VALUE
        .iter()
        .any(|p| a.starts_with(p) && b.starts_with(p))
        || (primary_ip(a) && primary_ip(b))
        || (hsrp_vip(a) && hsrp_vip(b))
}

const FLAGS: &[&str] = &["shutdown", "switchport", "ip redirects"];

/// Flags in their default state, which `show running-config` omits.
const HIDDEN_DEFAULTS: &[&str] = &["ip redirects"];

impl Switch {
    /// A switch whose ports are Layer 2 and up by default.
    pub fn new(config: ConfigTree<'_>) -> Self {
        Switch::with_defaults(config, LAYER2)
    }

    pub fn with_defaults(config: ConfigTree<'_>, defaults: Defaults) -> Self {
        Switch {
            config: config.into_owned().nodes,
            mode: Vec::new(),
            defaults,
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

    /// Types one command line (indented two spaces per mode level, as
    /// plans print them).
    pub fn type_command(&mut self, line: &str) -> Result<(), String> {
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
                "vpc" => {
                    self.config.retain(|n| !n.text.starts_with("vpc domain "));
                    "vpc "
                }
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
        if let Some(user) = text.strip_prefix("no username ") {
            // Any `no username NAME …` deletes the user, key and all.
            let name = user.split(' ').next().unwrap_or("");
            let before = self.config.len();
            self.config.retain(|n| {
                n.text.split(' ').nth(1) != Some(name) || !n.text.starts_with("username ")
            });
            if self.config.len() == before {
                return Err(format!("`{text}`: no such user"));
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
            let bound = [
                format!("ip access-group {acl} in"),
                format!("ip access-group {acl} out"),
            ];
            if self.interfaces().any(|i| {
                i.children
                    .iter()
                    .any(|c| bound.iter().any(|b| *b == c.text))
            }) {
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
            if text.starts_with("vpc domain ") {
                if !self.has("feature vpc") {
                    return Err(format!("`{text}` before `feature vpc`"));
                }
                if let Some(other) = self
                    .config
                    .iter()
                    .find(|n| n.text.starts_with("vpc domain ") && n.text != text)
                {
                    return Err(format!("`{text}` while `{}` exists", other.text));
                }
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
        let defaults = self.defaults;
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
                children.retain(|c| !erased_by_vrf_change(&c.text));
            }
        }
        // Leaving a VRF erases the layer-3 settings as joining one does.
        if text.starts_with("no vrf member ") && children.iter().any(|c| c.text == text[3..]) {
            children.retain(|c| !erased_by_vrf_change(&c.text));
        }
        if let Some(acl) = text.strip_prefix("ip access-group ") {
            let name = acl.split(' ').next().unwrap_or("");
            if !acls.iter().any(|a| a == name) {
                return Err(format!("`{text}` before the ACL exists"));
            }
            // One binding per direction: a new `in` replaces the old `in`.
            let direction = acl.rsplit(' ').next().unwrap_or("");
            children.retain(|c| {
                !(c.text.starts_with("ip access-group ")
                    && c.text.ends_with(&format!(" {direction}")))
            });
        }
        if text.starts_with("vpc ") && !features.iter().any(|f| f == "feature vpc") {
            return Err(format!("`{text}` before `feature vpc`"));
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
        if has_layer(&parent) && (text == "switchport" || text == "no switchport") {
            let was_layer2 = is_layer2(&parent, children, defaults);
            let to_layer2 = text == "switchport";
            if was_layer2 != to_layer2 {
                // The other layer's settings go; an admin state the port
                // had by default stays what it was.
                if to_layer2 {
                    children.retain(|c| {
                        !c.text.starts_with("ip address ")
                            && !c.text.starts_with("ip access-group ")
                    });
                } else {
                    children.retain(|c| !c.text.starts_with("switchport "));
                }
                let says_admin = children
                    .iter()
                    .any(|c| c.text == "shutdown" || c.text == "no shutdown");
                if !says_admin {
                    let shut = shut_by_default(&parent, was_layer2, defaults);
                    let line = if shut { "shutdown" } else { "no shutdown" };
                    children.push(Node::new(line));
                }
            }
        }
        let positive = text.strip_prefix("no ").unwrap_or(text);
        if FLAGS.contains(&positive) {
            children.retain(|c| c.text != positive && c.text != format!("no {positive}"));
            if !HIDDEN_DEFAULTS.contains(&text) {
                children.push(Node::new(text.to_string()));
            }
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

fn erased_by_vrf_change(line: &str) -> bool {
    line.starts_with("ip address ") || line.starts_with("hsrp ")
}

fn set_line(lines: &mut Vec<Node<'static>>, text: &str) {
    lines.retain(|c| c.text != text && !same_setting(&c.text, text));
    lines.push(Node::new(text.to_string()));
}

/// Order-free form for comparison: the device orders lines itself. Empty
/// physical ports are the default state either way.
pub fn canonical(nodes: &[Node<'_>]) -> Vec<(String, Vec<String>)> {
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

impl Switch {
    /// The running config as the switch shows it: an interface setting
    /// only where it differs from the default (no `switchport` on a Layer 2
    /// port of a Layer 2 switch, no `no shutdown` on a port that is up by
    /// default, no `switchport mode access`).
    pub fn show_running_config(&self) -> String {
        let defaults = self.defaults;
        let nodes = self
            .config
            .iter()
            .map(|node| {
                let mut node = node.clone();
                if node.text.starts_with("interface ") {
                    let header = node.text.to_string();
                    let layer2 = is_layer2(&header, &node.children, defaults);
                    let shut = shut_by_default(&header, layer2, defaults);
                    let layered = has_layer(&header);
                    node.children.retain(|c| match &*c.text {
                        // Printed only where it is not the switch's default.
                        "switchport" => !layered || !defaults.layer2,
                        "no switchport" => !layered || defaults.layer2,
                        "switchport mode access" | "mtu 1500" => false,
                        "shutdown" => !shut,
                        "no shutdown" => shut,
                        _ => true,
                    });
                }
                node
            })
            .collect();
        liaison::platform::nxos::print(&ConfigTree { nodes })
    }
}

/// What a config means on a switch with `defaults`, order-free: every
/// interface's layer, Layer 2 mode and admin state stated, physical ports
/// in their factory state left out.
pub fn effective(nodes: &[Node<'_>], defaults: Defaults) -> Vec<(String, Vec<String>)> {
    let stated: Vec<Node<'static>> = nodes
        .iter()
        .map(|n| {
            let mut node = n.clone().into_owned();
            if node.text.starts_with("interface ") {
                state_defaults(&mut node, defaults);
            }
            node
        })
        .filter(|n| {
            let mut factory = Node::new(n.text.to_string());
            state_defaults(&mut factory, defaults);
            !(n.text.starts_with("interface Ethernet") && same_lines(n, &factory))
        })
        .collect();
    canonical(&stated)
}

fn same_lines(a: &Node<'_>, b: &Node<'_>) -> bool {
    let sorted = |n: &Node<'_>| {
        let mut lines: Vec<String> = n.children.iter().map(|c| c.text.to_string()).collect();
        lines.sort();
        lines
    };
    sorted(a) == sorted(b)
}

/// Adds what an interface has without saying: its layer, the access mode
/// of a Layer 2 port, its admin state.
fn state_defaults(node: &mut Node<'static>, defaults: Defaults) {
    let header = node.text.to_string();
    // The default MTU is not a setting.
    node.children.retain(|c| c.text != "mtu 1500");
    let layer2 = is_layer2(&header, &node.children, defaults);
    let says = |lines: &[Node<'_>], what: fn(&str) -> bool| lines.iter().any(|c| what(&c.text));
    let lines = &mut node.children;
    if has_layer(&header) && !says(lines, |t| t == "switchport" || t == "no switchport") {
        let line = if layer2 {
            "switchport"
        } else {
            "no switchport"
        };
        lines.push(Node::new(line));
    }
    if layer2 && !says(lines, |t| t.starts_with("switchport mode ")) {
        lines.push(Node::new("switchport mode access"));
    }
    let has_admin = ["Ethernet", "port-channel", "Vlan", "loopback"]
        .iter()
        .any(|k| header.starts_with(&format!("interface {k}")));
    if has_admin && !says(lines, |t| t == "shutdown" || t == "no shutdown") {
        let shut = shut_by_default(&header, layer2, defaults);
        lines.push(Node::new(if shut { "shutdown" } else { "no shutdown" }));
    }
}

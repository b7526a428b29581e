//! The running config as EOS keeps it: a tree of lines (a block's lines
//! are its children, printed 3 spaces deeper), `!` separators kept where
//! they stand, so a config loaded from a real `show running-config`
//! prints back byte for byte. What the simulator models (VLANs,
//! interfaces, ACLs, MLAG, spanning tree, VRFs, hostname, routing) is
//! edited in place; everything else is kept verbatim.
//!
//! How EOS prints (sources: Arista EOS User Manual, "Command-Line
//! Interface" and "Configuration sessions"; the public configs in
//! tests/fixtures/eos/, Arista AVD's eos_cli_config_gen, whose templates
//! mirror `show running-config` order):
//! - a 2-line header, `! Command: show running-config` and
//!   `! device: NAME (MODEL, EOS-VERSION)`, then the body, then `end`;
//! - 3-space indentation per level; `!` between top-level sections;
//! - defaults hidden: ports are Layer 2 switchports (`switchport` is not
//!   printed, `no switchport` is), `no shutdown`, `switchport mode
//!   access`, `switchport access vlan 1` and an allowed list of all
//!   VLANs are not printed;
//! - `switchport trunk allowed vlan` on one line, before `switchport
//!   mode trunk`; VLANs with identical config collapsed (`vlan 10-11`).

use crate::sim::vlans;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub line: String,
    pub children: Vec<Node>,
}

impl Node {
    pub fn new(line: impl Into<String>) -> Node {
        Node {
            line: line.into(),
            children: Vec::new(),
        }
    }

    /// Removes the children `drop` matches; whether any was.
    pub fn remove_children(&mut self, drop: impl Fn(&str) -> bool) -> bool {
        let before = self.children.len();
        self.children.retain(|c| !drop(&c.line));
        self.children.len() != before
    }

    /// Inserts `line` among the children by its rank in this block (see
    /// [`child_rank`]): after every child of the same or a lower rank, so
    /// lines loaded verbatim keep their order. An equal line is not
    /// added twice.
    pub fn insert_child(&mut self, block: Block, line: String) {
        if self.children.iter().any(|c| c.line == line) {
            return;
        }
        let rank = child_rank(block, &line);
        let at = self
            .children
            .iter()
            .rposition(|c| child_rank(block, &c.line) <= rank)
            .map_or(0, |i| i + 1);
        self.children.insert(at, Node::new(line));
    }

    pub fn child(&self, prefix: &str) -> Option<&str> {
        self.children
            .iter()
            .map(|c| c.line.as_str())
            .find(|l| *l == prefix || l.starts_with(&format!("{prefix} ")))
    }
}

/// The kinds of block the simulator edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Interface,
    Vlan,
    AccessList,
    Mlag,
    Vrf,
    MstConfig,
}

/// Where a line goes inside its block, as EOS orders them (AVD's
/// templates; the corpus). Lines the table does not know rank last.
pub fn child_rank(block: Block, line: &str) -> u32 {
    let table: &[(&str, u32)] = match block {
        Block::Interface => &[
            ("description", 0),
            ("shutdown", 1),
            ("mtu", 2),
            ("no autostate", 3),
            ("switchport access vlan", 10),
            ("switchport trunk native vlan", 11),
            ("switchport trunk allowed vlan", 12),
            ("switchport mode", 13),
            ("switchport trunk group", 14),
            ("no switchport", 15),
            ("channel-group", 20),
            ("mlag", 21),
            ("vrf", 30),
            ("ip address", 31),
            ("ip access-group", 40),
            ("ip virtual-router address", 50),
            ("spanning-tree", 60),
        ],
        Block::Vlan => &[("name", 0), ("state", 1), ("trunk group", 2)],
        Block::Mlag => &[
            ("domain-id", 0),
            ("heartbeat-interval", 1),
            ("local-interface", 2),
            ("peer-address heartbeat", 4),
            ("peer-address", 3),
            ("peer-link", 5),
            ("dual-primary", 6),
            ("reload-delay", 7),
            ("shutdown", 8),
        ],
        Block::AccessList => {
            if line == "counters per-entry" {
                return 0;
            }
            // Entries by sequence number; EOS numbers every entry.
            return line
                .split_whitespace()
                .next()
                .and_then(|w| w.parse::<u64>().ok())
                .map_or(u32::MAX, |seq| 1 + seq.min(u64::from(u32::MAX - 2)) as u32);
        }
        Block::Vrf => &[("description", 0)],
        Block::MstConfig => &[("name", 0), ("revision", 1), ("instance", 2)],
    };
    table
        .iter()
        .find(|(prefix, _)| line == *prefix || line.starts_with(&format!("{prefix} ")))
        .map_or(u32::MAX, |(_, rank)| *rank)
}

/// The ports a device's hardware has (`NAME.factory`): EOS lists each in
/// `show running-config`, configured or not. All 0 (the default): the
/// ports the config names, so corpus configs print back as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hardware {
    /// SFP ports `Ethernet1`..N.
    pub ethernet_ports: u32,
    /// Ports with lanes (QSFP, OSFP) `EthernetA/1`..`EthernetB/1`.
    pub lane_ports: Option<(u32, u32)>,
    /// Management ports `Management1`..N.
    pub management_ports: u32,
    /// The switch's system MAC (None: one derived from its name).
    pub system_mac: Option<[u8; 6]>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The top-level lines, `!` separators included.
    pub nodes: Vec<Node>,
}

/// The header lines EOS prints before the body; skipped on load.
pub const COMMAND_HEADER: &str = "! Command: show running-config";

impl Config {
    /// A switch fresh from the factory (a guess at a minimal EOS
    /// default config: `no aaa root`, the hostname, MSTP, routing off).
    pub fn blank(hostname: &str) -> Config {
        load(&format!(
            "!\nno aaa root\n!\nhostname {hostname}\n!\nspanning-tree mode mstp\n!\nno ip routing\n!\nend\n"
        ))
    }

    /// Adds the interface of every port `hardware` has that the config
    /// lacks: `EthernetN` for each SFP port (a port split into lanes,
    /// `EthernetN/1`, counts), `EthernetN/1` for each port with lanes (a
    /// QSFP port at its full speed is its first lane), `ManagementN`.
    pub fn ensure_ports(&mut self, hardware: &Hardware) {
        let mut wanted: Vec<(String, bool)> = Vec::new();
        for n in 1..=hardware.ethernet_ports {
            wanted.push((format!("interface Ethernet{n}"), true));
        }
        if let Some((first, last)) = hardware.lane_ports {
            for n in first..=last {
                wanted.push((format!("interface Ethernet{n}/1"), false));
            }
        }
        for n in 1..=hardware.management_ports {
            wanted.push((format!("interface Management{n}"), false));
        }
        for (line, lanes_count) in wanted {
            let lanes = format!("{line}/");
            if !self
                .nodes
                .iter()
                .any(|node| node.line == line || (lanes_count && node.line.starts_with(&lanes)))
            {
                self.insert(Node::new(line));
            }
        }
    }

    pub fn hostname(&self) -> Option<&str> {
        self.nodes
            .iter()
            .find_map(|n| n.line.strip_prefix("hostname "))
    }

    /// The body as `show running-config` prints it (no header), ending
    /// with `end`.
    pub fn body(&self) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < self.nodes.len() {
            let node = &self.nodes[i];
            if let Some(id) = vlan_id(&node.line) {
                // Collapse a run of VLANs with the same config.
                let mut ids = vec![id];
                let mut j = i + 1;
                while j + 1 < self.nodes.len()
                    && self.nodes[j].line == "!"
                    && vlan_id(&self.nodes[j + 1].line).is_some()
                    && self.nodes[j + 1].children == node.children
                {
                    ids.push(vlan_id(&self.nodes[j + 1].line).unwrap_or(id));
                    j += 2;
                }
                out.push_str(&format!(
                    "vlan {}\n",
                    vlans::format(&ids.into_iter().collect())
                ));
                write_children(&mut out, &node.children, 1);
                i = j;
                continue;
            }
            write_node(&mut out, node, 0);
            i += 1;
        }
        out.push_str("end\n");
        out
    }

    pub fn find(&self, line: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.line == line)
    }

    /// The block `line`, created in its place when missing.
    pub fn block(&mut self, line: &str) -> &mut Node {
        let at = match self.find(line) {
            Some(at) => at,
            None => self.insert(Node::new(line)),
        };
        &mut self.nodes[at]
    }

    /// Inserts a top-level node where EOS prints it, with `!` around a
    /// block; returns its index.
    pub fn insert(&mut self, node: Node) -> usize {
        let kind = top_kind(&node.line);
        let key = sort_key(&node.line);
        let same: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| top_kind(&self.nodes[i].line) == kind && kind.is_some())
            .collect();
        let at = if let Some(&after) = same
            .iter()
            .rfind(|&&i| sort_key(&self.nodes[i].line) <= key)
        {
            after + 1
        } else if let Some(&before) = same.first() {
            before
        } else {
            // No section of this kind yet: after the last section that
            // EOS prints before it, past that section's `!`.
            let rank = kind.map_or(u32::MAX, |k| k.rank());
            let last = (0..self.nodes.len())
                .rfind(|&i| top_kind(&self.nodes[i].line).is_some_and(|k| k.rank() < rank));
            match last {
                // Past the lines printed with it (`hostname` and the
                // `ip name-server` lines after it), up to its `!`.
                Some(i) => (i + 1..self.nodes.len())
                    .find(|&j| self.nodes[j].line == "!" || top_kind(&self.nodes[j].line).is_some())
                    .unwrap_or(self.nodes.len()),
                None => self
                    .nodes
                    .iter()
                    .position(|n| n.line != "!")
                    .unwrap_or(self.nodes.len()),
            }
        };
        let grouped = kind.is_some_and(|k| !k.is_block()) && !same.is_empty();
        self.nodes.insert(at, node);
        let mut at = at;
        if !grouped {
            if at == 0 || self.nodes[at - 1].line != "!" {
                self.nodes.insert(at, Node::new("!"));
                at += 1;
            }
            if self.nodes.get(at + 1).is_none_or(|n| n.line != "!") {
                self.nodes.insert(at + 1, Node::new("!"));
            }
        }
        at
    }

    /// Removes the top-level node at `at` and a `!` it leaves doubled.
    pub fn remove_at(&mut self, at: usize) {
        self.nodes.remove(at);
        if at > 0
            && self.nodes.get(at).is_some_and(|n| n.line == "!")
            && self.nodes[at - 1].line == "!"
        {
            self.nodes.remove(at);
        }
    }

    pub fn remove(&mut self, line: &str) -> bool {
        match self.find(line) {
            Some(at) => {
                self.remove_at(at);
                true
            }
            None => false,
        }
    }

    /// Sets a single top-level line: replaces the lines `same` matches
    /// (in place when there is one), else inserts it.
    pub fn set_line(&mut self, line: String, same: impl Fn(&str) -> bool) {
        match self.nodes.iter().position(|n| same(&n.line)) {
            Some(at) => {
                self.nodes[at] = Node::new(line);
                while let Some(more) = self.nodes.iter().skip(at + 1).position(|n| same(&n.line)) {
                    self.remove_at(at + 1 + more);
                }
            }
            None => {
                self.insert(Node::new(line));
            }
        }
    }

    /// Removes every top-level line `same` matches.
    pub fn remove_lines(&mut self, same: impl Fn(&str) -> bool) {
        while let Some(at) = self.nodes.iter().position(|n| same(&n.line)) {
            self.remove_at(at);
        }
    }
}

fn write_node(out: &mut String, node: &Node, depth: usize) {
    out.push_str(&"   ".repeat(depth));
    out.push_str(&node.line);
    out.push('\n');
    write_children(out, &node.children, depth + 1);
}

fn write_children(out: &mut String, children: &[Node], depth: usize) {
    for child in children {
        write_node(out, child, depth);
    }
}

/// The id of a `vlan N` block line (not `vlan internal …`).
pub fn vlan_id(line: &str) -> Option<u16> {
    line.strip_prefix("vlan ")?.parse().ok()
}

/// The top-level sections the simulator inserts, in the order EOS prints
/// them (AVD's eos-intended-config template order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopKind {
    Hostname,
    SpanningTree,
    Vlan,
    VrfInstance,
    Interface,
    VirtualRouterMac,
    AccessList,
    StandardAccessList,
    IpRouting,
    Mlag,
    StaticRoute,
}

impl TopKind {
    fn rank(self) -> u32 {
        self as u32
    }

    /// A block is printed between `!` lines; single lines of one kind
    /// are printed together.
    fn is_block(self) -> bool {
        matches!(
            self,
            TopKind::Vlan
                | TopKind::VrfInstance
                | TopKind::Interface
                | TopKind::AccessList
                | TopKind::StandardAccessList
                | TopKind::Mlag
        )
    }
}

pub fn top_kind(line: &str) -> Option<TopKind> {
    let words: Vec<&str> = line.split_whitespace().collect();
    Some(match words.as_slice() {
        ["hostname", ..] => TopKind::Hostname,
        ["spanning-tree", ..] | ["no", "spanning-tree", ..] => TopKind::SpanningTree,
        ["vlan", id] if id.parse::<u16>().is_ok() => TopKind::Vlan,
        ["vrf", "instance", ..] => TopKind::VrfInstance,
        ["interface", ..] => TopKind::Interface,
        ["ip", "virtual-router", "mac-address", ..] => TopKind::VirtualRouterMac,
        ["ip", "access-list", "standard", ..] => TopKind::StandardAccessList,
        ["ip", "access-list", ..] => TopKind::AccessList,
        ["ip", "routing", ..] | ["no", "ip", "routing", ..] => TopKind::IpRouting,
        ["mlag", "configuration"] => TopKind::Mlag,
        ["ip", "route", ..] => TopKind::StaticRoute,
        _ => return None,
    })
}

/// Order within a kind: VLANs and interfaces by number (interfaces by
/// type first: Port-Channel, Ethernet, Loopback, Management, Tunnel, Vlan,
/// Vxlan, as AVD prints them), ACLs by name, spanning-tree lines mode
/// first, `no spanning-tree vlan-id` next, then the rest; `ip routing`
/// before its per-VRF lines.
fn sort_key(line: &str) -> (u32, Vec<u64>, String) {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["vlan", id] => (0, vec![id.parse().unwrap_or(0)], String::new()),
        ["interface", name] => {
            const TYPES: [&str; 7] = [
                "Port-Channel",
                "Ethernet",
                "Loopback",
                "Management",
                "Tunnel",
                "Vlan",
                "Vxlan",
            ];
            let split = name
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(name.len());
            let (kind, number) = name.split_at(split);
            let rank = TYPES.iter().position(|t| *t == kind).unwrap_or(TYPES.len());
            let numbers = number
                .split(['/', '.'])
                .map(|n| n.parse().unwrap_or(0))
                .collect();
            (rank as u32, numbers, String::new())
        }
        ["spanning-tree", "mode", ..] => (0, Vec::new(), String::new()),
        ["no", "spanning-tree", "vlan-id", ..] => (1, Vec::new(), String::new()),
        ["spanning-tree", "mst", id, "priority", ..] => {
            (3, vec![id.parse().unwrap_or(0)], String::new())
        }
        ["spanning-tree", "mst", "configuration"] => (4, Vec::new(), String::new()),
        ["spanning-tree", ..] => (2, Vec::new(), String::new()),
        ["ip", "routing"] | ["no", "ip", "routing"] => (0, Vec::new(), String::new()),
        ["ip", "routing", "vrf", vrf] | ["no", "ip", "routing", "vrf", vrf] => {
            (1, Vec::new(), vrf.to_string())
        }
        ["ip", "access-list", "standard", name] | ["ip", "access-list", name] => {
            (0, Vec::new(), name.to_string())
        }
        _ => (0, Vec::new(), line.to_string()),
    }
}

/// Parses show-run text (a state file, a corpus config): the header and
/// blank lines are skipped, `end` ends it, nesting follows indentation
/// (whatever its width). VLAN ranges are split into one block per VLAN
/// and interface defaults dropped, as EOS would store them.
pub fn load(text: &str) -> Config {
    let mut root = Node::new("");
    // The path of indentations to the last line: (indent, index path).
    let mut stack: Vec<usize> = Vec::new();
    for raw in text.lines() {
        let raw = raw.trim_end_matches('\r');
        let line = raw.trim();
        if line.is_empty()
            || (stack.is_empty()
                && root.children.is_empty()
                && (line == COMMAND_HEADER || line.starts_with("! device: ")))
        {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if indent == 0 && line == "end" {
            break;
        }
        while stack.last().is_some_and(|&top| top >= indent) {
            stack.pop();
        }
        let mut parent = &mut root;
        for _ in 0..stack.len() {
            parent = parent.children.last_mut().expect("a parent on the stack");
        }
        parent.children.push(Node::new(line));
        stack.push(indent);
    }
    let mut config = Config { nodes: Vec::new() };
    for node in root.children {
        let ids = node
            .line
            .strip_prefix("vlan ")
            .and_then(|list| vlans::parse(list).ok());
        match ids {
            Some(ids) if ids.len() > 1 => {
                for (i, id) in ids.iter().enumerate() {
                    if i > 0 {
                        config.nodes.push(Node::new("!"));
                    }
                    config.nodes.push(Node {
                        line: format!("vlan {id}"),
                        children: node.children.clone(),
                    });
                }
            }
            _ => {
                let mut node = node;
                if node.line.starts_with("interface ") {
                    hide_interface_defaults(&mut node);
                }
                config.nodes.push(node);
            }
        }
    }
    config
}

/// Drops what EOS does not print under an interface because it is the
/// default (ports are Layer 2 switchports, enabled, access VLAN 1, all
/// VLANs allowed on a trunk).
pub fn hide_interface_defaults(node: &mut Node) {
    node.remove_children(|l| {
        matches!(
            l,
            "no shutdown"
                | "switchport"
                | "switchport mode access"
                | "switchport access vlan 1"
                | "switchport trunk allowed vlan 1-4094"
                | "switchport trunk allowed vlan all"
                | "switchport trunk native vlan 1"
                | "autostate"
        )
    });
}

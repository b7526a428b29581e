//! The NX-OS dialect: what makes two config texts mean the same thing, and
//! what identifies a line within its section.
//!
//! `show running-config` prints some lines that are not commands and folds
//! others; normalisation turns them back into one line per setting:
//! - the `vlan 1,10-20` summary line lists the VLANs that exist: it becomes
//!   one `vlan N` node per VLAN (merged with the `vlan N` stanzas that
//!   follow); `vlan 1` always exists and is dropped when bare;
//! - `interface Ethernet1/1-4, Eth1/7` becomes one node per interface, with
//!   canonical names (`Eth1/1` → `Ethernet1/1`, `Po10` → `port-channel10`);
//! - `switchport trunk allowed vlan` and its `add`/`remove`/`except`
//!   continuation lines fold into one line holding the resulting set; an
//!   absent list means all VLANs, so a list of all VLANs is dropped;
//! - unnumbered ACL and object-group entries get the sequence numbers
//!   NX-OS gives them (10 above the highest so far);
//! - a section written twice (`interface X` in two places) is one section.

use crate::config::key::{Bindings, KeyRules, ListLine, Scope, SingleValue, Value};
use crate::config::Node;
use crate::platform::BridgeSetting;
use crate::vlan::VlanSet;
use std::collections::HashMap;

/// The prefix shared by a trunk's allowed list and its continuation lines.
pub const TRUNK_ALLOWED: &str = "switchport trunk allowed vlan";

/// The commands that name the switch: `hostname` and its synonym
/// `switchname`, which NX-OS accepts and some configs print (11 public
/// configs, e.g. batfish__nxos_switchname.cfg: see
/// `signatures.rs`).
pub const HOSTNAME: &[&str] = &["hostname ", "switchname "];

/// Top-level lines printed after a blank line even when bare: NX-OS's
/// `show running-config` prints a blank line before every `interface`,
/// configured or not (the configs of ../shared/corpus/nxos).
pub const SPACED: &[&str] = &["interface "];

/// More interfaces than a range may expand to; anything larger is a typo
/// (`Ethernet1/1-100000`) and stays one opaque line.
const MAX_RANGE_EXPANSION: usize = 4096;

/// Up to this many lines, a section is searched linearly: cheaper than
/// hashing, and most sections (an interface, a VLAN) are this small.
const SMALL_SECTION: usize = 16;

pub fn normalise(nodes: Vec<Node<'_>>) -> Vec<Node<'_>> {
    let mut expanded = Vec::with_capacity(nodes.len());
    for node in nodes {
        expand_top_level(node, &mut expanded);
    }
    let mut merged = merge_duplicates(expanded);
    merged.retain(|n| !(n.text == "vlan 1" && n.children.is_empty()));
    for node in &mut merged {
        if is_sequenced_list(&node.text) {
            let acl = is_acl(&node.text);
            if acl {
                crate::config::acl_ports::canonicalise_entries(node, &super::acl_port_names::NAMES);
            }
            number_entries(node, &|text| {
                let first = text.split(' ').next().unwrap_or("");
                acl && !matches!(first, "permit" | "deny" | "remark")
            });
        } else if node.text.starts_with("interface ") {
            fold_trunk_allowed(&mut node.children);
        }
    }
    merged
}

/// `vlan 10-12` → three `vlan N` nodes; `interface Eth1/1-2` → two
/// `interface EthernetN` nodes; `spanning-tree vlan 10-12 priority 4096`
/// → one line per VLAN ([`PER_TREE`]); everything else as is.
fn expand_top_level<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    if node.children.is_empty() {
        if let Some(setting) = PerTreeLine::parse(&node.text) {
            if setting.trees.len() > 1 {
                out.extend(
                    setting
                        .trees
                        .iter()
                        .map(|id| Node::new(setting.line_for(&id.to_string()))),
                );
                return;
            }
        }
    }
    if let Some(list) = node.text.strip_prefix("vlan ") {
        if list
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
        {
            if let Ok(set) = VlanSet::parse(list) {
                let headers = set.iter().map(|id| format!("vlan {id}")).collect();
                push_copies(headers, node.children, out);
                return;
            }
        }
    }
    if let Some(names) = node.text.strip_prefix("interface ") {
        if is_canonical_interface(names) {
            out.push(node);
            return;
        }
        if let Some(names) = interface_names(names) {
            let headers = names.iter().map(|n| format!("interface {n}")).collect();
            push_copies(headers, node.children, out);
            return;
        }
    }
    out.push(node);
}

/// One node per header, each with the same children (moved into the last).
pub(crate) fn push_copies<'t>(
    headers: Vec<String>,
    children: Vec<Node<'t>>,
    out: &mut Vec<Node<'t>>,
) {
    let count = headers.len();
    let mut children = Some(children);
    for (i, header) in headers.into_iter().enumerate() {
        let children = if i + 1 == count {
            children.take().unwrap_or_default()
        } else {
            children.clone().unwrap_or_default()
        };
        out.push(Node::with_children(header, children));
    }
}

/// The canonical interface names a header lists, or None when one part is
/// not an interface name liaison knows (it is then kept verbatim).
pub fn interface_names(list: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    if is_canonical_interface(list) {
        names.push(list.to_string());
        return Some(names);
    }
    for part in list.split(',') {
        let part = part.trim();
        let type_len = part.find(|c: char| c.is_ascii_digit()).filter(|i| *i > 0)?;
        let (kind, number) = part.split_at(type_len);
        let kind = canonical_kind(kind.trim_end())?;
        let number = number.trim();
        if !number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
        {
            return None;
        }
        match number.rsplit_once('-') {
            None => names.push(format!("{kind}{number}")),
            Some((head, last)) => {
                // The range is on the last component: `1/10-12`, `1/49/1-4`.
                let split = head.rfind(['/', '.']).map_or(0, |i| i + 1);
                let (prefix, first) = head.split_at(split);
                let (first, last): (u32, u32) = (first.parse().ok()?, last.parse().ok()?);
                if first > last || (last - first) as usize >= MAX_RANGE_EXPANSION {
                    return None;
                }
                names.extend((first..=last).map(|n| format!("{kind}{prefix}{n}")));
            }
        }
        if names.len() > MAX_RANGE_EXPANSION {
            return None;
        }
    }
    Some(names)
}

/// `Ethernet1/1`, `port-channel10`, `Vlan110` as NX-OS prints them: the
/// common case, recognised without splitting.
fn is_canonical_interface(name: &str) -> bool {
    ["Ethernet", "port-channel", "Vlan", "loopback"]
        .iter()
        .find_map(|kind| name.strip_prefix(kind))
        .is_some_and(|number| {
            number.as_bytes().first().is_some_and(u8::is_ascii_digit)
                && number
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'/' || b == b'.')
        })
}

fn canonical_kind(kind: &str) -> Option<&'static str> {
    Some(match kind.to_ascii_lowercase().as_str() {
        "ethernet" | "eth" | "e" => "Ethernet",
        "port-channel" | "portchannel" | "po" => "port-channel",
        "vlan" => "Vlan",
        "loopback" | "lo" => "loopback",
        "mgmt" => "mgmt",
        "tunnel" => "Tunnel",
        "nve" => "nve",
        _ => return None,
    })
}

/// Sections written twice become one, in the place of the first; a line
/// written twice is kept once.
pub(crate) fn merge_duplicates(nodes: Vec<Node<'_>>) -> Vec<Node<'_>> {
    // Where each node goes: its own slot, or the slot of its first copy.
    let mut first_of: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut duplicates = false;
    if nodes.len() <= SMALL_SECTION {
        for (i, node) in nodes.iter().enumerate() {
            let first = nodes[..i]
                .iter()
                .position(|earlier| earlier.text == node.text)
                .unwrap_or(i);
            duplicates |= first != i;
            first_of.push(first);
        }
    } else {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            let first = *seen.entry(&*node.text).or_insert(i);
            duplicates |= first != i;
            first_of.push(first);
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    if duplicates {
        let mut slot: Vec<usize> = vec![usize::MAX; nodes.len()];
        for (i, node) in nodes.into_iter().enumerate() {
            if first_of[i] == i {
                slot[i] = out.len();
                out.push(node);
            } else {
                out[slot[first_of[i]]].children.extend(node.children);
            }
        }
    } else {
        out = nodes;
    }
    for node in &mut out {
        if node.children.len() > 1 {
            node.children = merge_duplicates(std::mem::take(&mut node.children));
        }
    }
    out
}

/// ACLs and object-groups: sections whose entries are keyed by sequence
/// number.
const SEQUENCED_LISTS: &[&str] = &[
    "ip access-list ",
    "ipv6 access-list ",
    "mac access-list ",
    "object-group ",
];

pub fn is_sequenced_list(header: &str) -> bool {
    SEQUENCED_LISTS.iter().any(|p| header.starts_with(p))
}

pub fn is_acl(header: &str) -> bool {
    ["ip access-list ", "ipv6 access-list ", "mac access-list "]
        .iter()
        .any(|p| header.starts_with(p))
}

fn sequence_number(text: &str) -> Option<u32> {
    text.split(' ').next()?.parse().ok()
}

/// Numbers unnumbered entries 10 above the highest number so far, as
/// NX-OS and EOS do, and orders entries by number, the list's options
/// (`statistics per-entry`, EOS `counters per-entry`: lines for which
/// `is_option` holds) first, as the device shows them.
pub(crate) fn number_entries(list: &mut Node<'_>, is_option: &dyn Fn(&str) -> bool) {
    if is_numbered(&list.children, is_option) {
        return;
    }
    let mut highest = 0u32;
    let mut options = Vec::new();
    let mut entries: Vec<(u32, Node<'_>)> = Vec::new();
    for mut child in std::mem::take(&mut list.children) {
        if let Some(seq) = sequence_number(&child.text) {
            highest = highest.max(seq);
            entries.push((seq, child));
            continue;
        }
        if is_option(&child.text) {
            options.push(child);
        } else {
            highest = highest.saturating_add(10);
            child.text = format!("{highest} {}", child.text).into();
            entries.push((highest, child));
        }
    }
    entries.sort_by_key(|(seq, _)| *seq);
    // A number given twice: the later entry replaces the earlier one.
    entries.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(later, earlier);
            true
        } else {
            false
        }
    });
    list.children = options;
    list.children.extend(entries.into_iter().map(|(_, n)| n));
}

/// Whether `entries` are as [`number_entries`] leaves them (the options,
/// then entries whose numbers ascend), as a device prints a list: most
/// lists of a big config are, and are then left as they are instead of
/// rebuilt.
fn is_numbered(entries: &[Node<'_>], is_option: &dyn Fn(&str) -> bool) -> bool {
    let mut last: Option<u32> = None;
    for entry in entries {
        match sequence_number(&entry.text) {
            Some(seq) if last.is_none_or(|l| seq > l) => last = Some(seq),
            None if last.is_none() && is_option(&entry.text) => {}
            _ => return false,
        }
    }
    true
}

/// What a trunk's `switchport trunk allowed vlan …` line says.
enum AllowedChange {
    Set(VlanSet),
    Add(VlanSet),
    Remove(VlanSet),
    Except(VlanSet),
}

fn parse_allowed(rest: &str) -> Result<AllowedChange, String> {
    let (verb, list) = rest.split_once(' ').unwrap_or((rest, ""));
    Ok(match verb {
        "add" => AllowedChange::Add(VlanSet::parse(list)?),
        "remove" => AllowedChange::Remove(VlanSet::parse(list)?),
        "except" => AllowedChange::Except(VlanSet::parse(list)?),
        _ => AllowedChange::Set(VlanSet::parse(rest)?),
    })
}

/// The VLANs a trunk allows, from its allowed-list line as printed by
/// normalisation (None when the line is not a valid list).
pub fn allowed_vlans(line: &str) -> Option<VlanSet> {
    let rest = line.strip_prefix(TRUNK_ALLOWED)?.strip_prefix(' ')?;
    match parse_allowed(rest).ok()? {
        AllowedChange::Set(set) => Some(set),
        _ => None,
    }
}

/// Folds a wrapped allowed list into one line holding the resulting set.
/// A list with an invalid member is left as written: guessing what the
/// device made of it could hide a problem.
pub(crate) fn fold_trunk_allowed(children: &mut Vec<Node<'_>>) {
    let mut first = None;
    let mut set = VlanSet::all();
    // About the length of the folded list: its text is written once.
    let (mut listed, mut lines) = (0, 0);
    for (i, child) in children.iter().enumerate() {
        let Some(rest) = child.text.strip_prefix(TRUNK_ALLOWED) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(' ') else {
            continue;
        };
        let Ok(change) = parse_allowed(rest) else {
            return;
        };
        first.get_or_insert(i);
        listed += rest.len() + 1;
        lines += 1;
        set = match change {
            AllowedChange::Set(s) => s,
            AllowedChange::Add(s) => set.union(&s),
            AllowedChange::Remove(s) => set.difference(&s),
            AllowedChange::Except(s) => VlanSet::all().difference(&s),
        };
    }
    let Some(first) = first else {
        return;
    };
    let mut index = 0;
    children.retain(|child| {
        let keep = index == first || !child.text.starts_with(TRUNK_ALLOWED);
        index += 1;
        keep
    });
    if set.is_all() {
        children.remove(first);
        return;
    }
    // A list the config already holds as one line, written as liaison
    // writes it (as EOS prints it), keeps borrowing the config text: a
    // 200,000-line config has tens of thousands of trunks.
    let written = lines == 1
        && children[first]
            .text
            .strip_prefix(TRUNK_ALLOWED)
            .and_then(|rest| rest.strip_prefix(' '))
            .is_some_and(VlanSet::is_canonical);
    if !written {
        let mut text = String::with_capacity(TRUNK_ALLOWED.len() + listed.max(64));
        text.push_str(TRUNK_ALLOWED);
        text.push(' ');
        set.write_to(&mut text);
        children[first].text = text.into();
    }
}

/// Global spanning-tree settings NX-OS takes for a list of trees (VLANs in
/// Rapid-PVST+, instances in MST) and keeps per tree: `spanning-tree vlan
/// 10-12 priority 4096` sets three VLANs' priority, and the device prints
/// the VLANs that share a value as ranges of its own choosing. So a config
/// is read with one line per tree, each tree's value a single-value
/// setting of its own (`spanning-tree vlan * priority` in
/// [`SINGLE_VALUE`]): a new priority replaces the old one (never `no` and
/// re-add, which would leave the tree at the default priority in between),
/// and `10-12` equals `10,11,12`. A plan groups consecutive commands again
/// ([`group_per_tree`]).
///
/// (command prefix, setting, lowest id). Sources: Cisco Nexus 9000 Series
/// NX-OS Layer 2 Switching Configuration Guide, "Configuring Rapid PVST+"
/// (`spanning-tree vlan vlan-range priority value`, `… hello-time`,
/// `… forward-time`, `… max-age`: VLANs 1-4094) and "Configuring MST"
/// (`spanning-tree mst instance-id-range priority value`: instances
/// 0-4094, 0 the IST). MST timers are global (`spanning-tree mst
/// hello-time 2` has no instance list) and stay one line.
pub const PER_TREE: &[(&str, &str, u16)] = &[
    ("spanning-tree vlan", "priority", 1),
    ("spanning-tree vlan", "hello-time", 1),
    ("spanning-tree vlan", "forward-time", 1),
    ("spanning-tree vlan", "max-age", 1),
    ("spanning-tree mst", "priority", 0),
];

/// What a top-level spanning-tree bridge line is about, for what a plan
/// manages: liaison renders the mode and the bridge priorities, so it owns
/// them and the MST region (which a change to Rapid-PVST+ leaves stale);
/// a VLAN's settings go with the VLAN.
pub fn bridge_setting(text: &str) -> Option<BridgeSetting> {
    if text == "spanning-tree mst configuration" {
        return Some(BridgeSetting::Mst);
    }
    let line = PerTreeLine::parse(text)?;
    match (line.prefix, line.trees.as_slice()) {
        ("spanning-tree vlan", [id]) => Some(BridgeSetting::Vlan(*id)),
        ("spanning-tree mst", _) if line.setting == "priority" => Some(BridgeSetting::Mst),
        _ => None,
    }
}

/// The highest VLAN or MST instance id.
const MAX_TREE: u16 = 4094;

/// One [`PER_TREE`] line: `[no ]PREFIX TREES SETTING [VALUE]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerTreeLine {
    pub negated: bool,
    pub prefix: &'static str,
    /// The trees, ascending, each once.
    pub trees: Vec<u16>,
    pub setting: &'static str,
    /// What follows the setting (`4096`), empty when nothing does.
    pub value: String,
}

impl PerTreeLine {
    pub fn parse(text: &str) -> Option<Self> {
        let (negated, stem) = match text.strip_prefix("no ") {
            Some(stem) => (true, stem),
            None => (false, text),
        };
        PER_TREE.iter().find_map(|&(prefix, setting, lowest)| {
            let rest = stem.strip_prefix(prefix)?.strip_prefix(' ')?;
            let (list, rest) = rest.split_once(' ')?;
            let rest = rest.strip_prefix(setting)?;
            let value = match rest.strip_prefix(' ') {
                Some(value) if !value.is_empty() && !value.contains(' ') => value,
                None if rest.is_empty() => "",
                _ => return None,
            };
            Some(PerTreeLine {
                negated,
                prefix,
                trees: tree_list(list, lowest)?,
                setting,
                value: value.to_string(),
            })
        })
    }

    /// Whether `other` sets the same thing to the same value (on other
    /// trees, maybe).
    pub fn same_setting(&self, other: &Self) -> bool {
        (self.negated, self.prefix, self.setting, &self.value)
            == (other.negated, other.prefix, other.setting, &other.value)
    }

    /// The same setting for the trees `list` (`10`, `10-12,20`).
    pub fn line_for(&self, list: &str) -> String {
        let mut line = format!(
            "{}{} {list} {}",
            if self.negated { "no " } else { "" },
            self.prefix,
            self.setting
        );
        if !self.value.is_empty() {
            line.push(' ');
            line.push_str(&self.value);
        }
        line
    }
}

/// `0-1`, `1,10-20`: ids from `lowest` to [`MAX_TREE`], ascending, each
/// once; None when the list is not one.
fn tree_list(list: &str, lowest: u16) -> Option<Vec<u16>> {
    let mut ids = std::collections::BTreeSet::new();
    for part in list.split(',') {
        let (from, to) = part.split_once('-').unwrap_or((part, part));
        let id = |text: &str| {
            text.parse::<u16>()
                .ok()
                .filter(|id| (lowest..=MAX_TREE).contains(id))
        };
        let (from, to) = (id(from)?, id(to)?);
        if from > to {
            return None;
        }
        ids.extend(from..=to);
    }
    Some(ids.into_iter().collect())
}

/// `[0, 1, 5]` → `0-1,5`, at most `max_chars` per list (the rest in the
/// next lists).
pub fn tree_ranges(ids: &[u16], max_chars: usize) -> Vec<String> {
    let mut lists = vec![String::new()];
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        let run = if j == i {
            ids[i].to_string()
        } else {
            format!("{}-{}", ids[i], ids[j])
        };
        let list = lists.last_mut().expect("never empty");
        if !list.is_empty() && list.len() + 1 + run.len() > max_chars {
            lists.push(run);
        } else {
            if !list.is_empty() {
                list.push(',');
            }
            list.push_str(&run);
        }
        i = j + 1;
    }
    lists
}

/// What identifies a line among its siblings ([`KeyRules::key`]): two
/// lines with the same key set the same thing, so the later wins and a
/// change replaces the value.
///
/// - ACL and object-group entries: their sequence number;
/// - `no X` shares the key of `X` (`no shutdown` / `shutdown`);
/// - an ACL binding ([`FILTER_BINDINGS`]) per direction;
/// - a valid trunk allowed list;
/// - single-value settings ([`SINGLE_VALUE`]): the setting's name;
/// - anything else: the whole line.
pub const KEYS: KeyRules = KeyRules {
    negation: "no ",
    sequenced: SEQUENCED_LISTS,
    bindings: Bindings {
        within: "interface ",
        commands: FILTER_BINDINGS,
        directions: &["in", "out"],
    },
    list: ListLine {
        prefix: TRUNK_ALLOWED,
        none: "none",
    },
    single_value: SINGLE_VALUE,
};

/// Commands that bind an ACL to an interface, one per direction: binding
/// another replaces it in one step.
const FILTER_BINDINGS: &[&str] = &[
    "ip access-group",
    "ip port access-group",
    "ipv6 traffic-filter",
    "ipv6 port traffic-filter",
    "mac port access-group",
];

/// Settings that hold one value: writing the command again replaces the
/// value, so a change is the new line alone, never `no` + re-add (`no
/// username bob password 5 $5$OLD…` after the new password would delete
/// the user; `no spanning-tree mode mst` after `spanning-tree mode
/// rapid-pvst` would set the default mode, and so on): the last value wins.
///
/// A `*` stands for one word that is part of the setting's name (the user
/// of `username * password`, the server of `ntp server *`): each user,
/// each server is its own setting.
///
/// Sources: Cisco Nexus 9000 NX-OS configuration guides (10.x) —
/// Fundamentals (`hostname`, `banner motd`, `clock timezone`,
/// `clock summer-time`, `boot nxos`), Security (`username … password`,
/// `username … sshkey`: one key per user), System Management (`logging
/// server <host> [<severity>] [use-vrf]`, `logging logfile`, `logging
/// console|monitor|timestamp`, `ntp server <host> [prefer] [use-vrf]`,
/// `snmp-server contact|location`), Layer 2 (`spanning-tree mode`,
/// `spanning-tree vlan <VLAN> priority|hello-time|forward-time|max-age`,
/// `spanning-tree mst <instance> priority`: one line per tree once read,
/// see [`PER_TREE`]; `spanning-tree pathcost method`),
/// Interfaces (`system jumbomtu`), Unicast Routing (`ip domain-name`, also
/// per VRF). Each one is shown once by `show running-config`.
///
/// Before the table of settings that are one wherever they are: a switch
/// has one vPC domain (another number replaces it); an HSRP group has one
/// primary `ip`; an interface is in one vPC (`vpc N`) or is the peer link;
/// the primary `ip address` (a `secondary` one is a line of its own).
const SINGLE_VALUE: &[SingleValue] = &[
    SingleValue::new(Scope::Top, "vpc domain", Value::Rest),
    SingleValue::new(Scope::Within("hsrp "), "ip", Value::Word),
    SingleValue::new(
        Scope::Within("interface "),
        "vpc",
        Value::Id(&["peer-link"]),
    ),
    SingleValue::new(
        Scope::Anywhere,
        "ip address",
        Value::RestUnless(" secondary"),
    ),
    SingleValue::new(Scope::Anywhere, "switchport trunk native vlan", Value::Word),
    SingleValue::new(Scope::Anywhere, "switchport access vlan", Value::Word),
    SingleValue::new(Scope::Anywhere, "switchport mode", Value::Word),
    SingleValue::new(Scope::Anywhere, "spanning-tree port type", Value::Rest),
    SingleValue::new(
        Scope::Anywhere,
        "service-policy type qos input",
        Value::Word,
    ),
    SingleValue::new(
        Scope::Anywhere,
        "service-policy type qos output",
        Value::Word,
    ),
    SingleValue::new(Scope::Anywhere, "ip arp synchronize", Value::Flag),
    SingleValue::new(Scope::Anywhere, "encapsulation dot1q", Value::Word),
    SingleValue::new(Scope::Anywhere, "peer-keepalive", Value::Rest),
    SingleValue::new(Scope::Anywhere, "system-priority", Value::Word),
    SingleValue::new(Scope::Anywhere, "role priority", Value::Word),
    SingleValue::new(Scope::Anywhere, "hsrp version", Value::Word),
    SingleValue::new(Scope::Anywhere, "channel-group", Value::Rest),
    SingleValue::new(Scope::Anywhere, "ip redirects", Value::Flag),
    SingleValue::new(Scope::Anywhere, "vrf member", Value::Word),
    SingleValue::new(Scope::Anywhere, "description", Value::Rest),
    SingleValue::new(Scope::Anywhere, "peer-gateway", Value::Flag),
    SingleValue::new(Scope::Anywhere, "peer-switch", Value::Flag),
    SingleValue::new(Scope::Anywhere, "switchport", Value::Flag),
    SingleValue::new(Scope::Anywhere, "switchname", Value::Word),
    SingleValue::new(Scope::Anywhere, "bandwidth", Value::Word),
    SingleValue::new(Scope::Anywhere, "lacp rate", Value::Word),
    SingleValue::new(Scope::Anywhere, "router-id", Value::Word),
    SingleValue::new(Scope::Anywhere, "autostate", Value::Flag),
    SingleValue::new(Scope::Anywhere, "hostname", Value::Word),
    SingleValue::new(Scope::Anywhere, "shutdown", Value::Flag),
    SingleValue::new(Scope::Anywhere, "priority", Value::Rest),
    SingleValue::new(Scope::Anywhere, "preempt", Value::Rest),
    SingleValue::new(Scope::Anywhere, "duplex", Value::Word),
    SingleValue::new(Scope::Anywhere, "speed", Value::Word),
    SingleValue::new(Scope::Anywhere, "delay", Value::Word),
    SingleValue::new(Scope::Anywhere, "name", Value::Word),
    SingleValue::new(Scope::Anywhere, "mtu", Value::Word),
    // Device-wide settings.
    SingleValue::new(Scope::Anywhere, "username * password", Value::Rest),
    SingleValue::new(Scope::Anywhere, "username * sshkey", Value::Rest),
    SingleValue::new(Scope::Anywhere, "spanning-tree mode", Value::Word),
    SingleValue::new(
        Scope::Anywhere,
        "spanning-tree vlan * priority",
        Value::Word,
    ),
    SingleValue::new(
        Scope::Anywhere,
        "spanning-tree vlan * hello-time",
        Value::Word,
    ),
    SingleValue::new(
        Scope::Anywhere,
        "spanning-tree vlan * forward-time",
        Value::Word,
    ),
    SingleValue::new(Scope::Anywhere, "spanning-tree vlan * max-age", Value::Word),
    SingleValue::new(Scope::Anywhere, "spanning-tree mst * priority", Value::Word),
    SingleValue::new(
        Scope::Anywhere,
        "spanning-tree pathcost method",
        Value::Word,
    ),
    SingleValue::new(Scope::Anywhere, "system jumbomtu", Value::Word),
    SingleValue::new(Scope::Anywhere, "banner motd", Value::Rest),
    SingleValue::new(Scope::Anywhere, "banner exec", Value::Rest),
    SingleValue::new(Scope::Anywhere, "ip domain-name", Value::Word),
    SingleValue::new(Scope::Anywhere, "snmp-server contact", Value::Rest),
    SingleValue::new(Scope::Anywhere, "snmp-server location", Value::Rest),
    SingleValue::new(Scope::Anywhere, "clock timezone", Value::Rest),
    SingleValue::new(Scope::Anywhere, "clock summer-time", Value::Rest),
    SingleValue::new(Scope::Anywhere, "logging server *", Value::Rest),
    SingleValue::new(Scope::Anywhere, "logging logfile", Value::Rest),
    SingleValue::new(Scope::Anywhere, "logging console", Value::Word),
    SingleValue::new(Scope::Anywhere, "logging monitor", Value::Word),
    SingleValue::new(Scope::Anywhere, "logging timestamp", Value::Word),
    SingleValue::new(Scope::Anywhere, "ntp server *", Value::Rest),
    SingleValue::new(Scope::Anywhere, "ntp source-interface", Value::Word),
    SingleValue::new(Scope::Anywhere, "boot nxos", Value::Rest),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::nxos::{parse as parse_nxos, print};

    fn key<'a>(parent: Option<&str>, text: &'a str) -> std::borrow::Cow<'a, str> {
        KEYS.key(parent, text)
    }

    #[test]
    fn the_vlan_summary_line_becomes_one_vlan_per_id() {
        let tree =
            parse_nxos("vlan 1,10-12,20\nvlan 10\n  name web\nvlan 20\n  name db\n").unwrap();
        assert_eq!(
            print(&tree),
            "vlan 10\n  name web\nvlan 11\nvlan 12\n\nvlan 20\n  name db\n"
        );
    }

    #[test]
    fn vlan_words_are_not_lists() {
        let tree = parse_nxos("vlan dot1Q tag native\nvlan 4100\n").unwrap();
        assert_eq!(print(&tree), "vlan dot1Q tag native\nvlan 4100\n");
    }

    #[test]
    fn wrapped_trunk_lists_fold_into_one_set() {
        let tree = parse_nxos(
            "interface Ethernet1/1\n  switchport trunk allowed vlan 10-20,30\n  switchport trunk allowed vlan add 40-45\n  switchport trunk allowed vlan remove 15\n  mtu 9216\n",
        )
        .unwrap();
        assert_eq!(
            tree.nodes[0].children[0].text,
            "switchport trunk allowed vlan 10-14,16-20,30,40-45"
        );
        assert_eq!(tree.nodes[0].children[1].text, "mtu 9216");
    }

    #[test]
    fn an_allowed_list_of_every_vlan_is_the_hidden_default() {
        let tree = parse_nxos(
            "interface Ethernet1/1\n  switchport mode trunk\n  switchport trunk allowed vlan 1-4094\ninterface Ethernet1/2\n  switchport trunk allowed vlan except 5\n  switchport trunk allowed vlan add 5\n",
        )
        .unwrap();
        assert_eq!(
            print(&tree),
            "interface Ethernet1/1\n  switchport mode trunk\n\ninterface Ethernet1/2\n"
        );
    }

    #[test]
    fn an_invalid_allowed_list_is_kept_as_written() {
        let text = "interface Ethernet1/4\n  switchport trunk allowed vlan 4100\n  switchport trunk allowed vlan add 10\n";
        assert_eq!(print(&parse_nxos(text).unwrap()), text);
    }

    #[test]
    fn interface_ranges_and_spellings_expand_to_canonical_names() {
        let tree = parse_nxos(
            "interface Eth1/1-2, ethernet1/5\n  mtu 9216\ninterface port-channel 6\ninterface Po7\ninterface Ethernet1/49/1-2\ninterface breakout module 1 port 37-72 map 10g-4x\n",
        )
        .unwrap();
        let headers: Vec<&str> = tree.nodes.iter().map(|n| &*n.text).collect();
        assert_eq!(
            headers,
            [
                "interface Ethernet1/1",
                "interface Ethernet1/2",
                "interface Ethernet1/5",
                "interface port-channel6",
                "interface port-channel7",
                "interface Ethernet1/49/1",
                "interface Ethernet1/49/2",
                "interface breakout module 1 port 37-72 map 10g-4x",
            ]
        );
        assert_eq!(tree.nodes[2].children[0].text, "mtu 9216");
    }

    #[test]
    fn a_section_written_twice_is_merged() {
        let tree = parse_nxos(
            "interface Ethernet1/1\n  description a\ninterface Ethernet1/1-2\n  mtu 9216\n",
        )
        .unwrap();
        assert_eq!(
            print(&tree),
            "interface Ethernet1/1\n  description a\n  mtu 9216\n\ninterface Ethernet1/2\n  mtu 9216\n"
        );
    }

    #[test]
    fn acl_entries_get_the_numbers_nxos_gives_them() {
        let tree = parse_nxos(
            "ip access-list a\n  statistics per-entry\n  permit ip any any\n  15 deny tcp any any\n  remark next\n  5 permit udp any any\n",
        )
        .unwrap();
        assert_eq!(
            print(&tree),
            "ip access-list a\n  statistics per-entry\n  5 permit udp any any\n  10 permit ip any any\n  15 deny tcp any any\n  25 remark next\n"
        );
    }

    #[test]
    fn per_tree_settings_become_one_line_per_tree() {
        let tree = parse_nxos(
            "spanning-tree vlan 1,10-12 priority 4096\nspanning-tree mst 0-1 priority 8192\nspanning-tree mst hello-time 2\nspanning-tree vlan 20 max-age 30\nspanning-tree vlan 5000 priority 4096\n",
        )
        .unwrap();
        assert_eq!(
            print(&tree),
            "spanning-tree vlan 1 priority 4096\nspanning-tree vlan 10 priority 4096\nspanning-tree vlan 11 priority 4096\nspanning-tree vlan 12 priority 4096\nspanning-tree mst 0 priority 8192\nspanning-tree mst 1 priority 8192\nspanning-tree mst hello-time 2\nspanning-tree vlan 20 max-age 30\nspanning-tree vlan 5000 priority 4096\n"
        );
        assert_eq!(
            key(None, "spanning-tree vlan 10 priority 4096"),
            "spanning-tree vlan 10 priority"
        );
        assert_eq!(
            key(None, "spanning-tree mst 0 priority 8192"),
            "spanning-tree mst 0 priority"
        );
        assert_eq!(
            key(None, "spanning-tree vlan 10 hello-time 1"),
            "spanning-tree vlan 10 hello-time"
        );
        assert_eq!(
            bridge_setting("spanning-tree vlan 10 priority 4096"),
            Some(BridgeSetting::Vlan(10))
        );
        assert_eq!(
            bridge_setting("spanning-tree mst 0 priority 4096"),
            Some(BridgeSetting::Mst)
        );
        assert_eq!(
            bridge_setting("spanning-tree mst configuration"),
            Some(BridgeSetting::Mst)
        );
        assert_eq!(bridge_setting("spanning-tree mst hello-time 2"), None);
        assert_eq!(tree_ranges(&[0, 1, 5, 7, 8, 9], 100), ["0-1,5,7-9"]);
        assert_eq!(tree_ranges(&[1, 3, 5], 3), ["1,3", "5"]);
        assert!(PerTreeLine::parse("spanning-tree vlan 0 priority 4096").is_none());
        assert!(PerTreeLine::parse("spanning-tree vlan 12-10 priority 4096").is_none());
        assert!(PerTreeLine::parse("spanning-tree vlan 10 priority 4096 x").is_none());
    }

    #[test]
    fn hostname_and_switchname_name_the_switch() {
        use crate::plan::fleet::same_switch;
        let path = std::path::Path::new("running/tor1a.cfg");
        for text in ["hostname tor1b\n", "switchname tor1b\n"] {
            let tree = parse_nxos(text).unwrap();
            let error = same_switch(&tree, &super::super::Nxos, "tor1a", path).unwrap_err();
            assert!(error.to_string().contains("`tor1b`"), "{error}");
            assert!(same_switch(&tree, &super::super::Nxos, "TOR1B", path).is_ok());
        }
    }

    #[test]
    fn keys_identify_settings() {
        let interface = Some("interface Ethernet1/1");
        assert_eq!(key(interface, "description a"), "description");
        assert_eq!(key(interface, "no shutdown"), "shutdown");
        assert_eq!(key(interface, "shutdown"), "shutdown");
        assert_eq!(key(interface, "switchport"), "switchport");
        assert_eq!(key(interface, "switchport mode trunk"), "switchport mode");
        assert_eq!(key(interface, "ip address 10.0.0.1/24"), "ip address");
        assert_eq!(
            key(interface, "ip address 10.0.1.1/24 secondary"),
            "ip address 10.0.1.1/24 secondary"
        );
        assert_eq!(
            key(interface, "ip access-group web-in in"),
            "ip access-group in"
        );
        assert_eq!(
            key(interface, "ip port access-group l2-in in"),
            "ip port access-group in"
        );
        assert_eq!(
            key(interface, "mac port access-group m1"),
            "mac port access-group "
        );
        assert_eq!(key(interface, "vpc 20"), "vpc");
        assert_eq!(
            key(interface, "switchport trunk allowed vlan 10,20"),
            TRUNK_ALLOWED
        );
        assert_eq!(key(Some("hsrp 110"), "ip 10.0.0.1"), "ip");
        assert_eq!(
            key(Some("hsrp 110"), "ip 10.0.0.9 secondary"),
            "ip 10.0.0.9 secondary"
        );
        assert_eq!(key(Some("ip access-list a"), "20 permit ip any any"), "20");
        assert_eq!(key(None, "feature hsrp"), "feature hsrp");
        assert_eq!(key(None, "vpc domain 10"), "vpc domain");
        assert_eq!(key(None, "no ip domain-lookup"), "ip domain-lookup");
        let vpc = Some("vpc domain 10");
        assert_eq!(key(vpc, "delay restore 150"), "delay restore 150");
        assert_eq!(key(interface, "delay 10"), "delay");
        assert_eq!(key(Some("vlan 10"), "name web"), "name");
        assert_eq!(
            key(None, "username bob password 5 $5$x role network-admin"),
            "username bob password"
        );
        assert_eq!(
            key(None, "no username bob password 5 $5$x"),
            "username bob password"
        );
        assert_eq!(
            key(None, "username bob role network-admin"),
            "username bob role network-admin"
        );
        assert_eq!(
            key(None, "ntp server 192.0.2.1 prefer"),
            "ntp server 192.0.2.1"
        );
        assert_eq!(
            key(None, "logging server 192.0.2.9 6"),
            "logging server 192.0.2.9"
        );
        assert_eq!(key(None, "spanning-tree mode mst"), "spanning-tree mode");
        assert_eq!(key(None, "banner motd #\nhi\n#"), "banner motd");
        assert_eq!(key(None, "ntp server"), "ntp server");
    }
}

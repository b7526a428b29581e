//! NX-OS remediation rules: which commands, in which order, turn a running
//! config into an intended one without a moment where the device is in a
//! state nobody asked for (a trunk without its VLAN, an interface without
//! its ACL, a port-channel member pointing at nothing).
//!
//! Order of the plan, by phase (see `Phase`): features are enabled first,
//! then what others refer to is created (VRFs, VLANs, object-groups, ACLs),
//! then everything else is configured (a new spanning-tree mode after the
//! bridge settings of the new mode) and interfaces are edited (which also
//! unbinds what is about to go), then what nothing refers to any more is
//! deleted (logical interfaces, ACLs, object-groups, VLANs, VRFs), and
//! features are disabled last.

use super::config::{self as dialect, key, TRUNK_ALLOWED};
use super::defaults as hidden;
use crate::config::{ConfigTree, Node, PortDefaults};
use crate::plan::{Command, Remediation, Session};
use crate::vlan::VlanSet;
use std::borrow::Cow;
use std::collections::HashMap;

/// The longest command line the plan sends; longer trunk lists are split
/// over several `add`/`remove` commands (NX-OS refuses very long lines).
pub const MAX_COMMAND_CHARS: usize = 220;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    EnableFeatures,
    CreateVrfs,
    CreateVlans,
    CreateObjectGroups,
    CreateAcls,
    Configure,
    /// A new spanning-tree mode, after the new mode's bridge priorities
    /// and MST region (configured in `Configure`): the switch restarts
    /// spanning tree in the new mode with its trees as intended, instead
    /// of electing a root by MAC address first and moving it again when
    /// the priorities follow.
    SpanningTreeMode,
    Interfaces,
    DeleteInterfaces,
    DeleteOther,
    DeleteAcls,
    DeleteObjectGroups,
    DeleteVlans,
    DeleteVrfs,
    DisableFeatures,
    /// What only config erased by a disabled feature still used (a VRF of
    /// an SVI that `no feature interface-vlan` removes).
    DeleteAfterFeatures,
}

const PHASES: usize = Phase::DeleteAfterFeatures as usize + 1;

/// What a top-level line is, for ordering and for how it is removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Feature,
    Vrf,
    Vlan,
    ObjectGroup,
    Acl,
    Interface,
    SpanningTreeMode,
    Other,
}

fn classify(text: &str) -> Class {
    if text.starts_with("feature ") {
        Class::Feature
    } else if text.starts_with("vrf context ") {
        Class::Vrf
    } else if text.starts_with("vlan ") {
        Class::Vlan
    } else if text.starts_with("object-group ") {
        Class::ObjectGroup
    } else if dialect::is_acl(text) {
        Class::Acl
    } else if text.starts_with("interface ") {
        Class::Interface
    } else if text.starts_with("spanning-tree mode ") {
        Class::SpanningTreeMode
    } else {
        Class::Other
    }
}

impl Class {
    fn create_phase(self) -> Phase {
        match self {
            Class::Feature => Phase::EnableFeatures,
            Class::Vrf => Phase::CreateVrfs,
            Class::Vlan => Phase::CreateVlans,
            Class::ObjectGroup => Phase::CreateObjectGroups,
            Class::Acl => Phase::CreateAcls,
            Class::Interface => Phase::Interfaces,
            Class::SpanningTreeMode => Phase::SpanningTreeMode,
            Class::Other => Phase::Configure,
        }
    }

    fn delete_phase(self) -> Phase {
        match self {
            Class::Feature => Phase::DisableFeatures,
            Class::Vrf => Phase::DeleteVrfs,
            Class::Vlan => Phase::DeleteVlans,
            Class::ObjectGroup => Phase::DeleteObjectGroups,
            Class::Acl => Phase::DeleteAcls,
            Class::Interface => Phase::DeleteInterfaces,
            Class::SpanningTreeMode | Class::Other => Phase::DeleteOther,
        }
    }
}

/// Interfaces that exist in hardware: they can be reset, never deleted.
pub fn is_physical_interface(name: &str) -> bool {
    (name.starts_with("Ethernet") && !name.contains('.')) || name.starts_with("mgmt")
}

/// Top-level sections that exist on every switch and cannot be removed,
/// and the switch's port defaults (`system default switchport …`: turning
/// one off would change every port that relies on it); a plan leaves them
/// alone unless the intended config configures them.
fn is_permanent(text: &str) -> bool {
    let setting = text.strip_prefix("no ").unwrap_or(text);
    text.starts_with("line ")
        || text.starts_with("vdc ")
        || text.starts_with("interface mgmt")
        || setting.starts_with("system default switchport")
}

/// What `no feature X` removes with it: (feature, top-level sections,
/// lines inside interfaces). The plan does not negate them one by one.
const FEATURE_WIPES: &[(&str, &[&str], &[&str])] = &[
    ("interface-vlan", &["interface Vlan"], &[]),
    ("hsrp", &[], &["hsrp "]),
    ("vpc", &["vpc domain "], &["vpc "]),
    ("lacp", &[], &["lacp "]),
    ("ospf", &["router ospf "], &["ip router ospf ", "ip ospf "]),
    (
        "eigrp",
        &["router eigrp "],
        &["ip router eigrp ", "ip eigrp "],
    ),
    ("bgp", &["router bgp "], &[]),
    ("pim", &["ip pim "], &["ip pim "]),
    ("bfd", &[], &["bfd "]),
    (
        "tacacs+",
        &["tacacs-server ", "aaa group server tacacs+ "],
        &[],
    ),
];

/// Lines of a section removed only after the section's new lines are in:
/// a static route whose next hop changes is added first and the old one
/// removed next (ECMP for a moment), never a window without the route —
/// in `vrf context management`, the route the SSH session arrives on.
/// (Top-level lines go in the deletion phase, after every addition.)
const REMOVED_AFTER_ADDING: &[&str] = &["ip route ", "ipv6 route "];

/// Layer-3 settings of an interface that `vrf member` and `switchport`
/// erase.
const L3_LINES: &[&str] = &["ip address ", "ipv6 address ", "hsrp ", "ip router "];

fn starts_with_any(text: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| text.starts_with(p))
}

/// A command and the commands typed in the mode it enters.
#[derive(Debug)]
struct Step {
    text: String,
    children: Vec<Step>,
}

impl Step {
    fn line(text: impl Into<String>) -> Self {
        Step {
            text: text.into(),
            children: Vec::new(),
        }
    }
}

/// The lines of `nodes` that count: when two lines set the same thing the
/// later one wins, as on the device. Key → index.
fn effective<'n>(parent: Option<&str>, nodes: &'n [Node]) -> HashMap<Cow<'n, str>, usize> {
    let mut map = HashMap::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        map.insert(key(parent, &node.text), i);
    }
    map
}

/// What becomes of the running config's top-level sections: the
/// comparison of the two sides that both the commands and the diff shown
/// with them are made from, so the diff shows what the commands do.
pub struct Removals<'n> {
    running_keys: HashMap<Cow<'n, str>, usize>,
    intended_keys: HashMap<Cow<'n, str>, usize>,
    wipes: Wipes,
    /// Running sections the intended config lacks that go: negated, or for
    /// a physical port reset to its factory state. Running order.
    removed: Vec<&'n Node<'n>>,
    /// Running sections the intended config lacks that stay as they are:
    /// still used by what stays, permanent (`line`, `interface mgmt0`), a
    /// port already in its factory state, a line with no `no` form.
    /// Running order.
    survivors: Vec<&'n Node<'n>>,
    notes: Vec<String>,
}

/// Decides, for each top-level section of `running` that `intended` does
/// not have, whether the plan removes it (see [`Removals`]). `kept`: the
/// running lines the plan leaves alone (not managed by the inventory);
/// nothing they still use is deleted. `defaults`: the running switch's
/// port defaults.
pub fn removals<'n>(
    running: &'n ConfigTree<'n>,
    intended: &'n ConfigTree<'n>,
    kept: &[&'n Node<'n>],
    defaults: PortDefaults,
) -> Removals<'n> {
    let running_keys = effective(None, &running.nodes);
    let intended_keys = effective(None, &intended.nodes);
    let wipes = Wipes::of_removed_features(running, &intended_keys);
    let mut survivors = Vec::new();
    let removed: Vec<&Node> = running
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, node)| {
            let node_key = key(None, &node.text);
            running_keys[&node_key] == *i
                && !intended_keys.contains_key(&node_key)
                && !wipes.top_level(&node.text)
        })
        .map(|(_, node)| node)
        .filter(|node| {
            let stays = is_permanent(&node.text)
                || if is_physical_interface_section(&node.text) {
                    // A physical port cannot be deleted; it may already be
                    // in its factory state.
                    hidden::is_factory_state(node, defaults)
                } else {
                    negate(None, node).is_none()
                };
            if stays {
                survivors.push(*node);
            }
            !stays
        })
        .collect();
    // What stays uses what it names: that stays too.
    let final_config: Vec<&Node> = intended
        .nodes
        .iter()
        .chain(kept.iter().copied())
        .chain(survivors.iter().copied())
        .collect();
    let (removed, still_used, notes) = keep_what_is_used(removed, final_config);
    survivors.extend(still_used);
    // Running order, as the diff shows them.
    let position = |node: &&Node| running_keys[&key(None, &node.text)];
    survivors.sort_by_key(position);
    Removals {
        running_keys,
        intended_keys,
        wipes,
        removed,
        survivors,
        notes,
    }
}

fn is_physical_interface_section(text: &str) -> bool {
    text.strip_prefix("interface ")
        .is_some_and(is_physical_interface)
}

impl<'n> Removals<'n> {
    /// The config the device will have in the plan's scope once the
    /// commands ran: the intended sections, and the running sections that
    /// stay (as they are) or are reset (in their factory state), each
    /// placed after the intended section that comes before it in the
    /// running config, so the diff shows them as unchanged context or as
    /// the change that really happens. None when that is the intended
    /// config itself.
    pub fn after(
        &self,
        running: &ConfigTree<'n>,
        intended: &ConfigTree<'n>,
        defaults: PortDefaults,
    ) -> Option<ConfigTree<'n>> {
        let resets: Vec<(&Node, Node)> = self
            .removed
            .iter()
            .filter(|node| is_physical_interface_section(&node.text))
            .filter_map(|node| {
                let mut reset = hidden::factory_state(&node.text, defaults)?;
                // The admin state is shown as the running side shows it:
                // where that does not state it, it is the default before
                // and after.
                let is_admin = |c: &Node| c.text == "shutdown" || c.text == "no shutdown";
                if !node.children.iter().any(is_admin) {
                    reset.children.retain(|c| !is_admin(c));
                }
                Some((*node, reset))
            })
            .collect();
        if self.survivors.is_empty() && resets.is_empty() {
            return None;
        }
        // Each extra section with its running position, in running order.
        let mut extra: Vec<(usize, Node<'n>)> = self
            .survivors
            .iter()
            .map(|node| (self.running_keys[&key(None, &node.text)], (*node).clone()))
            .chain(
                resets
                    .into_iter()
                    .map(|(node, reset)| (self.running_keys[&key(None, &node.text)], reset)),
            )
            .collect();
        extra.sort_by_key(|(position, _)| *position);
        // The intended section each goes after: the last running section
        // before it that the intended config has (none: at the top). One
        // pass over the running config, whatever the number of sections.
        let mut anchored: Vec<Vec<Node<'n>>> = vec![Vec::new(); intended.nodes.len() + 1];
        let mut extra = extra.into_iter().peekable();
        let mut anchor = 0;
        for (position, node) in running.nodes.iter().enumerate() {
            while let Some((_, section)) = extra.next_if(|(p, _)| *p == position) {
                anchored[anchor].push(section);
            }
            if extra.peek().is_none() {
                break;
            }
            if let Some(i) = self.intended_keys.get(&key(None, &node.text)) {
                anchor = i + 1;
            }
        }
        let mut nodes = Vec::with_capacity(intended.nodes.len() + anchored.len());
        let mut anchored = anchored.into_iter();
        nodes.extend(anchored.next().into_iter().flatten());
        for (node, after) in intended.nodes.iter().zip(anchored) {
            nodes.push(node.clone());
            nodes.extend(after);
        }
        Some(ConfigTree { nodes })
    }
}

impl<'n> crate::platform::Removals<'n> for Removals<'n> {
    fn after(
        &self,
        running: &ConfigTree<'n>,
        intended: &ConfigTree<'n>,
        defaults: PortDefaults,
    ) -> Option<ConfigTree<'n>> {
        Removals::after(self, running, intended, defaults)
    }

    fn remediate(
        self: Box<Self>,
        running: &ConfigTree<'_>,
        intended: &ConfigTree<'_>,
        defaults: PortDefaults,
    ) -> Remediation {
        remediate(running, intended, *self, defaults)
    }
}

/// Computes the commands that turn `running` into `intended`, both with
/// their interfaces' hidden settings stated (`hidden::make_explicit`), of
/// which `removals` ([`removals`]) says what goes. `defaults`: the running
/// switch's port defaults, what an interface it does not show yet has and
/// what `default interface` leaves.
pub fn remediate(
    running: &ConfigTree,
    intended: &ConfigTree,
    removals: Removals<'_>,
    defaults: PortDefaults,
) -> Remediation {
    let mut phases: Vec<Vec<Step>> = (0..PHASES).map(|_| Vec::new()).collect();
    let Removals {
        running_keys,
        intended_keys,
        wipes,
        removed,
        notes,
        ..
    } = removals;

    for (i, node) in intended.nodes.iter().enumerate() {
        let node_key = key(None, &node.text);
        if intended_keys[&node_key] != i {
            continue;
        }
        let class = classify(&node.text);
        let existing = running_keys
            .get(&node_key)
            .map(|&r| &running.nodes[r])
            .filter(|r| !wipes.top_level(&r.text));
        let physical =
            class == Class::Interface && is_physical_interface(&node.text["interface ".len()..]);
        let steps = match existing {
            // A port wanted in its factory state is reset to it.
            Some(current)
                if physical
                    && hidden::is_factory_state(node, defaults)
                    && !hidden::is_factory_state(current, defaults) =>
            {
                vec![Step::line(format!("default {}", node.text))]
            }
            Some(current) => change(None, current, node, &wipes),
            None => match hidden::factory_state(&node.text, defaults) {
                // An interface the switch does not show has its factory
                // settings: only what differs is sent.
                Some(factory) => create_over(&factory, node),
                None => vec![create(node)],
            },
        };
        phases[class.create_phase() as usize].extend(steps);
    }

    for node in removed {
        let class = classify(&node.text);
        let phase = match class {
            Class::Interface if is_physical_interface(&node.text["interface ".len()..]) => {
                phases[Phase::Interfaces as usize]
                    .push(Step::line(format!("default {}", node.text)));
                continue;
            }
            Class::Vrf | Class::Acl | Class::ObjectGroup
                if wipes.erased_config_names(running, last_word(&node.text)) =>
            {
                Phase::DeleteAfterFeatures
            }
            _ => class.delete_phase(),
        };
        if let Some(negation) = negate(None, node) {
            phases[phase as usize].push(Step::line(negation));
        }
    }

    let mut commands = Vec::new();
    for steps in &phases {
        flatten(steps, 0, &mut commands);
    }
    Remediation {
        commands: group_per_tree(commands),
        notes,
    }
}

/// Consecutive global commands that set one spanning-tree setting to one
/// value on single trees (`spanning-tree vlan 10 priority 4096`, `… 11 …`)
/// become one command over their list (`spanning-tree vlan 10-11 priority
/// 4096`), as typed by hand, at most [`MAX_COMMAND_CHARS`] long: configs
/// are read one line per tree (`dialect::PER_TREE`).
fn group_per_tree(commands: Vec<Command>) -> Vec<Command> {
    fn flush(run: &mut Option<dialect::PerTreeLine>, out: &mut Vec<Command>) {
        let Some(mut line) = run.take() else {
            return;
        };
        line.trees.sort_unstable();
        line.trees.dedup();
        let room = MAX_COMMAND_CHARS - line.line_for("").len();
        out.extend(
            dialect::tree_ranges(&line.trees, room)
                .iter()
                .map(|list| Command {
                    depth: 0,
                    text: line.line_for(list),
                }),
        );
    }
    let mut out: Vec<Command> = Vec::with_capacity(commands.len());
    let mut run: Option<dialect::PerTreeLine> = None;
    for command in commands {
        let Some(line) = (command.depth == 0)
            .then(|| dialect::PerTreeLine::parse(&command.text))
            .flatten()
        else {
            flush(&mut run, &mut out);
            out.push(command);
            continue;
        };
        match &mut run {
            Some(current) if current.same_setting(&line) => current.trees.extend(line.trees),
            _ => {
                flush(&mut run, &mut out);
                run = Some(line);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Splits the sections about to be removed into those nothing in the final
/// config uses (returned, in order) and those it still uses, which stay;
/// what stays joins the final config, so what it uses stays too (the
/// object-group of a kept ACL). The notes say what was kept and why.
fn keep_what_is_used<'n>(
    mut removed: Vec<&'n Node<'n>>,
    mut final_config: Vec<&'n Node<'n>>,
) -> (Vec<&'n Node<'n>>, Vec<&'n Node<'n>>, Vec<String>) {
    let mut notes = Vec::new();
    let mut kept = Vec::new();
    loop {
        let removed_vlans: VlanSet = removed.iter().filter_map(|n| vlan_id(&n.text)).collect();
        let vlan_users = vlan_users_of(&final_config, &removed_vlans);
        let mut newly_kept = Vec::new();
        removed.retain(|node| {
            let class = classify(&node.text);
            let user = match class {
                Class::Vlan => vlan_id(&node.text).and_then(|id| vlan_users.get(&id).cloned()),
                _ => name_user(class, &node.text, &final_config),
            };
            let Some(user) = user else {
                return true;
            };
            notes.push(format!("kept `{}`: still used by `{}`", node.text, user));
            newly_kept.push(*node);
            false
        });
        if newly_kept.is_empty() {
            return (removed, kept, notes);
        }
        final_config.extend(&newly_kept);
        kept.extend(newly_kept);
    }
}

/// The config that `no feature X` erases, for the features the plan turns
/// off.
struct Wipes {
    top_level: Vec<&'static str>,
    in_interfaces: Vec<&'static str>,
}

impl Wipes {
    fn of_removed_features(running: &ConfigTree, intended_keys: &HashMap<Cow<str>, usize>) -> Self {
        let mut wipes = Wipes {
            top_level: Vec::new(),
            in_interfaces: Vec::new(),
        };
        for node in &running.nodes {
            let Some(feature) = node.text.strip_prefix("feature ") else {
                continue;
            };
            if intended_keys.contains_key(&*node.text) {
                continue;
            }
            if let Some((_, top, inner)) = FEATURE_WIPES.iter().find(|(f, _, _)| *f == feature) {
                wipes.top_level.extend_from_slice(top);
                wipes.in_interfaces.extend_from_slice(inner);
            }
        }
        wipes
    }

    fn is_empty(&self) -> bool {
        self.top_level.is_empty() && self.in_interfaces.is_empty()
    }

    fn top_level(&self, text: &str) -> bool {
        starts_with_any(text, &self.top_level)
    }

    fn in_interface(&self, text: &str) -> bool {
        starts_with_any(text, &self.in_interfaces)
    }

    /// Whether config that the feature removal erases names `name`.
    fn erased_config_names(&self, running: &ConfigTree, name: &str) -> bool {
        let names = |node: &Node| {
            node.walk()
                .any(|line| line.text.split_whitespace().any(|w| w == name))
        };
        running.nodes.iter().any(|node| {
            if self.top_level(&node.text) {
                return names(node);
            }
            node.text.starts_with("interface ")
                && node
                    .children
                    .iter()
                    .any(|c| self.in_interface(&c.text) && names(c))
        })
    }
}

fn last_word(text: &str) -> &str {
    text.rsplit(' ').next().unwrap_or(text)
}

/// The whole of `node`, as typed to create it.
fn create(node: &Node) -> Step {
    Step {
        text: node.text.to_string(),
        children: node.children.iter().flat_map(create_lines).collect(),
    }
}

/// Creates `wanted` on a switch where it has the `factory` settings: the
/// lines the factory state already has are not sent, except the admin state
/// when the layer changes (the port's admin default goes with its layer, so
/// it is stated).
fn create_over(factory: &Node, wanted: &Node) -> Vec<Step> {
    let layer = |node: &Node| {
        node.children
            .iter()
            .find(|c| key(Some(&node.text), &c.text) == "switchport")
            .map(|c| c.text.to_string())
    };
    let layer_changes = layer(factory) != layer(wanted);
    let children: Vec<Step> = wanted
        .children
        .iter()
        .filter(|child| {
            let is_admin = key(Some(&wanted.text), &child.text) == "shutdown";
            !factory.children.contains(child) || (is_admin && layer_changes)
        })
        .flat_map(create_lines)
        .collect();
    if children.is_empty() {
        return Vec::new();
    }
    vec![Step {
        text: wanted.text.to_string(),
        children,
    }]
}

/// Like [`create`], but a trunk list too long for one command goes on as
/// `add` continuation commands, as NX-OS prints it.
fn create_lines(node: &Node) -> Vec<Step> {
    if let Some(set) = dialect::allowed_vlans(&node.text) {
        if node.text.len() > MAX_COMMAND_CHARS {
            let mut chunks = set.chunks(MAX_COMMAND_CHARS - TRUNK_ALLOWED.len() - " add ".len());
            let first = chunks.remove(0);
            let mut steps = vec![Step::line(format!("{TRUNK_ALLOWED} {first}"))];
            steps.extend(
                chunks
                    .into_iter()
                    .map(|c| Step::line(format!("{TRUNK_ALLOWED} add {c}"))),
            );
            return steps;
        }
    }
    vec![create(node)]
}

/// Commands that turn `current` into `wanted`, two lines with the same key
/// in the same section. Empty when they already agree.
fn change(parent: Option<&str>, current: &Node, wanted: &Node, wipes: &Wipes) -> Vec<Step> {
    // Most sections of a big config are unchanged: compare before indexing.
    if current == wanted && wipes.is_empty() {
        return Vec::new();
    }
    if current.text == wanted.text {
        if current.children.is_empty() && wanted.children.is_empty() {
            return Vec::new();
        }
        let children = change_children(&wanted.text, &current.children, &wanted.children, wipes);
        if children.is_empty() {
            return Vec::new();
        }
        return vec![Step {
            text: wanted.text.to_string(),
            children,
        }];
    }
    let wanted_key = key(parent, &wanted.text);
    if wanted_key == TRUNK_ALLOWED {
        if let (Some(from), Some(to)) = (
            dialect::allowed_vlans(&current.text),
            dialect::allowed_vlans(&wanted.text),
        ) {
            return trunk_change(from, to);
        }
    }
    if parent.is_some_and(dialect::is_sequenced_list) && wanted_key.parse::<u32>().is_ok() {
        // Same sequence number, new entry: NX-OS refuses a number that is
        // taken, so the old entry goes first, right before its successor.
        return vec![Step::line(format!("no {wanted_key}")), create(wanted)];
    }
    if matches!(wanted_key.as_ref(), "channel-group" | "vpc" | "vpc domain") {
        // A port moves from one bundle to another only through none, and a
        // switch has one vPC domain at a time.
        let mut steps: Vec<Step> = negate(parent, current)
            .map(Step::line)
            .into_iter()
            .collect();
        steps.push(create(wanted));
        return steps;
    }
    vec![create(wanted)]
}

/// A trunk's allowed list as a set: remove what goes, then add what comes,
/// never the whole list again.
fn trunk_change(from: VlanSet, to: VlanSet) -> Vec<Step> {
    if to.is_empty() {
        return vec![Step::line(format!("{TRUNK_ALLOWED} none"))];
    }
    if to.is_all() {
        return vec![Step::line(format!("{TRUNK_ALLOWED} all"))];
    }
    let mut steps = Vec::new();
    for (verb, set) in [
        ("remove", from.difference(&to)),
        ("add", to.difference(&from)),
    ] {
        let room = MAX_COMMAND_CHARS - TRUNK_ALLOWED.len() - verb.len() - 2;
        steps.extend(
            set.chunks(room)
                .into_iter()
                .map(|chunk| Step::line(format!("{TRUNK_ALLOWED} {verb} {chunk}"))),
        );
    }
    steps
}

fn change_children(parent: &str, current: &[Node], wanted: &[Node], wipes: &Wipes) -> Vec<Step> {
    let parent = Some(parent);
    let current_keys = effective(parent, current);
    let wanted_keys = effective(parent, wanted);
    let erased = Erased::by_mode_change(parent, current, &current_keys, wanted, &wanted_keys);
    let is_erased = |node: &Node| {
        erased.erases(&node.text)
            || (parent.is_some_and(|p| p.starts_with("interface "))
                && wipes.in_interface(&node.text))
    };

    // A port's admin default goes with its layer: when the layer changes,
    // the admin state is stated again, even where it reads the same.
    let layer = |nodes: &[Node], keys: &HashMap<Cow<str>, usize>| {
        keys.get("switchport").map(|&i| nodes[i].text.to_string())
    };
    let layer_changes = parent.is_some_and(|p| p.starts_with("interface "))
        && layer(current, &current_keys) != layer(wanted, &wanted_keys);
    let mut steps = Vec::new();
    // Lines that only go once their replacement is in (make before break).
    let mut after = Vec::new();
    for (i, node) in current.iter().enumerate() {
        let node_key = key(parent, &node.text);
        if current_keys[&node_key] != i || wanted_keys.contains_key(&node_key) || is_erased(node) {
            continue;
        }
        if let Some(negation) = negate(parent, node) {
            if starts_with_any(&node.text, REMOVED_AFTER_ADDING) {
                after.push(Step::line(negation));
            } else {
                steps.push(Step::line(negation));
            }
        }
    }
    for (i, node) in wanted.iter().enumerate() {
        let node_key = key(parent, &node.text);
        if wanted_keys[&node_key] != i {
            continue;
        }
        let existing = current_keys
            .get(&node_key)
            .map(|&c| &current[c])
            .filter(|c| !is_erased(c));
        match existing {
            Some(_) if layer_changes && node_key == "shutdown" => steps.push(create(node)),
            Some(existing) => steps.extend(change(parent, existing, node, wipes)),
            // No list means every VLAN: a new list only takes VLANs away.
            None if node_key == TRUNK_ALLOWED => match dialect::allowed_vlans(&node.text) {
                Some(to) => steps.extend(trunk_change(VlanSet::all(), to)),
                None => steps.push(create(node)),
            },
            None => steps.extend(create_lines(node)),
        }
    }
    steps.extend(after);
    steps
}

/// Lines of an interface that a mode change erases on the device: a new
/// `vrf member` erases the layer-3 settings, `switchport` the layer-3
/// settings, `no switchport` the layer-2 ones. They are re-sent, not
/// negated.
struct Erased {
    prefixes: Vec<&'static str>,
}

impl Erased {
    fn by_mode_change(
        parent: Option<&str>,
        current: &[Node],
        current_keys: &HashMap<Cow<str>, usize>,
        wanted: &[Node],
        wanted_keys: &HashMap<Cow<str>, usize>,
    ) -> Self {
        let mut prefixes = Vec::new();
        if !parent.is_some_and(|p| p.starts_with("interface ")) {
            return Erased { prefixes };
        }
        let text_of = |nodes: &[Node], keys: &HashMap<Cow<str>, usize>, k: &str| {
            keys.get(k).map(|&i| nodes[i].text.to_string())
        };
        let vrf = |nodes, keys| text_of(nodes, keys, "vrf member");
        if vrf(current, current_keys) != vrf(wanted, wanted_keys) {
            prefixes.extend_from_slice(L3_LINES);
        }
        let mode = |nodes, keys| text_of(nodes, keys, "switchport");
        let (from, to) = (mode(current, current_keys), mode(wanted, wanted_keys));
        if from != to {
            if to.as_deref() == Some("switchport") {
                prefixes.extend_from_slice(L3_LINES);
            } else {
                prefixes.push("switchport ");
            }
        }
        Erased { prefixes }
    }

    fn erases(&self, text: &str) -> bool {
        starts_with_any(text, &self.prefixes)
    }
}

/// The command that removes `node`, or None for what the plan never
/// removes by omission (the admin state: `shutdown` / `no shutdown` change
/// only when the intended config says so).
fn negate(parent: Option<&str>, node: &Node) -> Option<String> {
    let text: &str = &node.text;
    let node_key = key(parent, text);
    if node_key == "shutdown" {
        return None;
    }
    if parent.is_some_and(dialect::is_sequenced_list) && node_key.parse::<u32>().is_ok() {
        return Some(format!("no {node_key}"));
    }
    if let Some(positive) = text.strip_prefix("no ") {
        return Some(positive.to_string());
    }
    if node_key == TRUNK_ALLOWED {
        return Some(format!("{TRUNK_ALLOWED} all"));
    }
    if matches!(node_key.as_ref(), "description" | "channel-group") {
        return Some(format!("no {node_key}"));
    }
    if text.starts_with("banner ") {
        let kind: Vec<&str> = text.split_whitespace().take(2).collect();
        return Some(format!("no {}", kind.join(" ")));
    }
    if let Some(mut line) = dialect::PerTreeLine::parse(text) {
        // `no spanning-tree vlan 30 priority`: the no form takes no value
        // (Cisco Nexus 7000 NX-OS Layer 2 Switching Command Reference,
        // `spanning-tree vlan`; the same for `spanning-tree mst`).
        line.negated = true;
        line.value.clear();
        let list = dialect::tree_ranges(&line.trees, usize::MAX).remove(0);
        return Some(line.line_for(&list));
    }
    Some(format!("no {text}"))
}

fn vlan_id(text: &str) -> Option<u16> {
    text.strip_prefix("vlan ")?.parse().ok()
}

/// For each VLAN of `wanted` that a port of the final config (intended
/// plus what the plan leaves alone) still uses, the first such port and
/// line: that VLAN must not be deleted.
fn vlan_users_of(final_config: &[&Node], wanted: &VlanSet) -> HashMap<u16, String> {
    let mut users = HashMap::new();
    if wanted.is_empty() {
        return users;
    }
    for interface in final_config
        .iter()
        .filter(|n| n.text.starts_with("interface "))
    {
        // An SVI is the VLAN's layer-3 interface: it needs the VLAN.
        if let Some(id) = interface.text["interface ".len()..]
            .strip_prefix("Vlan")
            .and_then(|id| id.parse::<u16>().ok())
            .filter(|id| wanted.contains(*id))
        {
            users
                .entry(id)
                .or_insert_with(|| interface.text.to_string());
        }
        for line in &interface.children {
            let used = vlans_used_by(&line.text);
            for id in used.intersection(wanted).iter() {
                users
                    .entry(id)
                    .or_insert_with(|| format!("{} / {}", interface.text, line.text));
            }
        }
    }
    users
}

fn vlans_used_by(line: &str) -> VlanSet {
    let value = |prefix: &str| {
        line.strip_prefix(prefix)
            .and_then(|v| v.trim().parse::<u16>().ok())
    };
    if let Some(id) =
        value("switchport access vlan ").or_else(|| value("switchport trunk native vlan "))
    {
        return std::iter::once(id).collect();
    }
    dialect::allowed_vlans(line).unwrap_or_default()
}

/// Why an ACL, object-group or VRF about to be deleted must stay: the first
/// line of the final config that names it.
fn name_user(class: Class, text: &str, final_config: &[&Node]) -> Option<String> {
    if !matches!(class, Class::Acl | Class::ObjectGroup | Class::Vrf) {
        return None;
    }
    let name = last_word(text);
    final_config
        .iter()
        .filter(|n| n.text != text)
        .find_map(|n| {
            n.walk()
                .filter(|line| !starts_with_any(&line.text, &["description ", "name "]))
                .find(|line| line.text.split_whitespace().any(|w| w == name))
                .map(|line| {
                    if line.text == n.text {
                        n.text.to_string()
                    } else {
                        format!("{} / {}", n.text, line.text)
                    }
                })
        })
}

/// Steps → command lines. Entering a section is its header line; leaving a
/// nested mode to go on in its parent takes an `exit` (a top-level command
/// is accepted from any mode, so none is needed before those).
fn flatten(steps: &[Step], depth: usize, out: &mut Vec<Command>) {
    for (i, step) in steps.iter().enumerate() {
        out.push(Command {
            depth,
            text: step.text.clone(),
        });
        if !step.children.is_empty() {
            flatten(&step.children, depth + 1, out);
            if depth > 0 && i + 1 < steps.len() {
                out.push(Command {
                    depth: depth + 1,
                    text: "exit".into(),
                });
            }
        }
    }
}

// ----- the management plane ------------------------------------------------

/// NX-OS's management VRF: `interface mgmt0` is in it, and it exists on
/// every switch (Cisco Nexus 9000 Unicast Routing guide, "About VRFs":
/// the management VRF is for management only, and only mgmt0 can be in
/// it).
pub const MANAGEMENT_VRF: &str = "management";

/// The management plane of an NX-OS switch: the top-level commands that
/// decide who reaches the switch and how, and what it boots. A plan leaves
/// them alone unless management changes are allowed. Each entry matches
/// the command (`no` and all) or a section it opens, by whole words; the
/// second field says what it is, for notes.
const MANAGEMENT_PLANE: &[(&str, &str)] = &[
    ("username", "login users and their SSH keys"),
    ("password strength-check", "login users and their SSH keys"),
    ("role", "user roles"),
    ("feature ssh", "the SSH server"),
    ("ssh", "the SSH server"),
    ("feature tacacs+", "AAA"),
    ("feature ldap", "AAA"),
    ("aaa", "AAA"),
    ("tacacs-server", "AAA"),
    ("radius-server", "AAA"),
    ("ldap-server", "AAA"),
    ("ip tacacs", "AAA"),
    ("ip radius", "AAA"),
    (
        "vrf context management",
        "the management VRF and its routes",
    ),
    ("interface mgmt0", "the management interface"),
    ("line", "console and vty lines"),
    ("copp", "control-plane policing"),
    ("control-plane", "control-plane policing"),
    ("class-map type control-plane", "control-plane policing"),
    ("policy-map type control-plane", "control-plane policing"),
    ("boot", "boot images"),
];

/// Sections that management-plane lines refer to by name (the ACL of a
/// vty's `access-class`, of mgmt0's `ip access-group`, the class-maps and
/// ACLs of CoPP, the object-groups of those ACLs): they belong to the
/// management plane too.
const MANAGEMENT_REFERENCED: &[&str] = &[
    "ip access-list ",
    "ipv6 access-list ",
    "mac access-list ",
    "object-group ",
    "class-map ",
    "policy-map ",
];

fn words_match(text: &str, prefix: &str) -> bool {
    let stem = text.strip_prefix("no ").unwrap_or(text);
    stem.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// What part of the management plane a top-level line is, if any.
fn management_kind(text: &str) -> Option<&'static str> {
    MANAGEMENT_PLANE
        .iter()
        .find(|(prefix, _)| words_match(text, prefix))
        .map(|(_, what)| *what)
}

/// The top-level sections of `trees` that are the management plane, by
/// key, each with what it is: those of [`MANAGEMENT_PLANE`] and,
/// transitively, the ACLs, object-groups, class-maps and policy-maps they
/// name (`used by `line vty``).
pub fn management_keys(trees: &[&ConfigTree<'_>]) -> std::collections::BTreeMap<String, String> {
    let nodes: Vec<&Node> = trees.iter().flat_map(|t| t.nodes.iter()).collect();
    let mut keys = std::collections::BTreeMap::new();
    // Each word of a protected section, and the first section using it.
    let mut names: HashMap<&str, &str> = HashMap::new();
    let mut protected = vec![false; nodes.len()];
    let mut first_pass = true;
    loop {
        let mut grew = false;
        for (i, node) in nodes.iter().enumerate() {
            if protected[i] {
                continue;
            }
            let what = if first_pass {
                management_kind(&node.text).map(str::to_string)
            } else {
                None
            };
            let what = what.or_else(|| {
                if !starts_with_any(&node.text, MANAGEMENT_REFERENCED) {
                    return None;
                }
                let user = names.get(last_word(&node.text))?;
                Some(format!("used by `{user}`"))
            });
            let Some(what) = what else {
                continue;
            };
            protected[i] = true;
            grew = true;
            keys.entry(key(None, &node.text).into_owned())
                .or_insert(what);
            for line in node.walk() {
                for word in line.text.split_whitespace() {
                    names.entry(word).or_insert(&node.text);
                }
            }
        }
        if !grew && !first_pass {
            return keys;
        }
        first_pass = false;
    }
}

/// Why `commands` would cut the branch liaison sits on — remove the user
/// it logs in as (or that user's key), SSH itself, the management VRF or
/// a route of it that nothing in `intended` still covers, or take mgmt0
/// down or off the address liaison connects to — or None.
pub fn cuts_own_session(
    commands: &[Command],
    intended: &ConfigTree<'_>,
    session: &Session<'_>,
) -> Option<String> {
    let management_vrf = format!("vrf context {MANAGEMENT_VRF}");
    let kept_routes: Vec<ipnetwork::IpNetwork> = intended
        .nodes
        .iter()
        .filter(|n| n.text == management_vrf)
        .flat_map(|n| n.children.iter())
        .filter_map(|line| route_prefix(&line.text))
        .collect();
    let mut section = String::new();
    for command in commands {
        // Refusals are printed: no password hash or key in them.
        let shown = crate::plan::redact::line(&command.text);
        let text: &str = &shown;
        if command.depth == 0 {
            section = text.to_string();
            if let (Some(user), Some(rest)) = (session.user, text.strip_prefix("no username ")) {
                if rest.split(' ').next() == Some(user) {
                    return Some(format!(
                        "`{text}` removes the user `{user}` liaison logs in as, or its key"
                    ));
                }
            }
            if text == "no feature ssh" {
                return Some(format!(
                    "`{text}` turns off SSH, which liaison connects through"
                ));
            }
            if text == format!("no {management_vrf}") {
                return Some(format!(
                    "`{text}` removes the management VRF liaison connects through"
                ));
            }
            if text == "default interface mgmt0" || text == "no interface mgmt0" {
                return Some(format!(
                    "`{text}` erases the management interface liaison connects to"
                ));
            }
            continue;
        }
        if section == management_vrf {
            if let Some(removed) = text.strip_prefix("no ").and_then(route_prefix) {
                if !kept_routes.iter().any(|kept| covers(kept, &removed)) {
                    return Some(format!(
                        "`{text}` in `{section}` removes a route of the management VRF, and no route of the intended config covers {removed}: the SSH session may arrive over it"
                    ));
                }
            }
        }
        if section == "interface mgmt0" {
            if text == "shutdown"
                || text.starts_with("no ip address")
                || text.starts_with("no vrf member")
            {
                return Some(format!(
                    "`{text}` on mgmt0 cuts the address liaison connects to"
                ));
            }
            if let (Some(address), Some(network)) = (
                session.address,
                text.strip_prefix("ip address ")
                    .and_then(|a| a.split(' ').next())
                    .and_then(|a| a.parse::<ipnetwork::IpNetwork>().ok()),
            ) {
                if network.ip() != address {
                    return Some(format!(
                        "`{text}` moves mgmt0 off {address}, the address liaison connects to"
                    ));
                }
            }
        }
    }
    None
}

/// The destination of an `ip route` / `ipv6 route` line.
fn route_prefix(text: &str) -> Option<ipnetwork::IpNetwork> {
    let rest = text
        .strip_prefix("ip route ")
        .or_else(|| text.strip_prefix("ipv6 route "))?;
    rest.split(' ').next()?.parse().ok()
}

fn covers(outer: &ipnetwork::IpNetwork, inner: &ipnetwork::IpNetwork) -> bool {
    outer.prefix() <= inner.prefix() && outer.contains(inner.network())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::nxos::parse as parse_nxos;

    fn commands(lines: &[(usize, &str)]) -> Vec<Command> {
        lines
            .iter()
            .map(|(depth, text)| Command {
                depth: *depth,
                text: text.to_string(),
            })
            .collect()
    }

    #[test]
    fn cutting_the_session_is_named() {
        let intended = parse_nxos("hostname a\n").unwrap();
        let session = Session {
            user: Some("netops"),
            address: Some("192.0.2.11".parse().unwrap()),
        };
        let cut = |lines: &[(usize, &str)]| cuts_own_session(&commands(lines), &intended, &session);
        assert!(cut(&[(0, "no vrf context management")])
            .unwrap()
            .contains("removes the management VRF"));
        assert!(cut(&[(0, "default interface mgmt0")])
            .unwrap()
            .contains("erases the management interface"));
        assert!(cut(&[(0, "interface mgmt0"), (1, "shutdown")])
            .unwrap()
            .contains("on mgmt0"));
        assert!(
            cut(&[(0, "interface mgmt0"), (1, "ip address 192.0.2.12/24")])
                .unwrap()
                .contains("moves mgmt0 off 192.0.2.11")
        );
        assert!(cut(&[(0, "interface mgmt0"), (1, "ip address 192.0.2.11/25")]).is_none());
        assert!(cut(&[(0, "no username netopsx password 5 x")]).is_none());
        assert!(cut(&[(0, "interface Ethernet1/1"), (1, "shutdown")]).is_none());
    }

    #[test]
    fn a_management_route_still_covered_may_go() {
        let intended =
            parse_nxos("vrf context management\n  ip route 0.0.0.0/0 192.0.2.254\n").unwrap();
        let removal = commands(&[
            (0, "vrf context management"),
            (1, "no ip route 10.0.0.0/8 192.0.2.1"),
        ]);
        assert!(cuts_own_session(&removal, &intended, &Session::default()).is_none());
    }
}

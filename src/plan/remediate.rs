//! The remediation algorithm: which commands, in which order, turn a
//! running config into an intended one without a moment where the device
//! is in a state nobody asked for (a trunk without its VLAN, an interface
//! without its ACL, a port-channel member pointing at nothing).
//!
//! One generic tree comparison driven by a platform's
//! [`RemediationRules`] (data: what kind of section a line opens, how a
//! line is negated, which list is a set, what a disabled feature erases…)
//! and the few hooks of [`Remediator`] that data cannot express. The model
//! is hier_config's: per-OS driver rules (negation, idempotent commands,
//! ordering weights) beside one generic algorithm. The rule kinds are
//! documented in docs/plan-internals.md, "Remediation rules".
//!
//! Order of the plan, by phase (see [`Phase`]): features are enabled first,
//! then what others refer to is created (VRFs, VLANs, object-groups, ACLs),
//! then everything else is configured (a new spanning-tree mode after the
//! bridge settings of the new mode) and interfaces are edited (which also
//! unbinds what is about to go), then what nothing refers to any more is
//! deleted (logical interfaces, ACLs, object-groups, VLANs, VRFs), and
//! features are disabled last.

use crate::config::{ConfigTree, Node, PortDefaults};
use crate::plan::management::ManagementRules;
use crate::plan::{Command, Remediation};
use crate::platform::Remediator;
use crate::vlan::VlanSet;
use std::borrow::Cow;
use std::collections::HashMap;

/// A platform's remediation rules: data the generic algorithm reads. Each
/// field's meaning is in docs/plan-internals.md, "Remediation rules".
pub struct RemediationRules {
    /// The word that negates a command (`no `, with its space).
    pub negation: &'static str,
    /// Top-level line prefix → what kind of section it is (first match
    /// wins; anything else is [`Kind::Other`]). The kind decides the
    /// phase a line is created and deleted in.
    pub sections: &'static [(&'static str, Kind)],
    /// The prefix of an interface section (`interface `).
    pub interface: &'static str,
    /// What a physical port is reset with: this word and the section's
    /// header (`default interface Ethernet1/1`).
    pub reset_port: &'static str,
    /// Top-level sections a plan never removes by omission.
    pub permanent: &'static [Permanent],
    /// What turning a feature off erases with it.
    pub feature_wipes: &'static [FeatureWipe],
    /// Lines inside a section negated only after the section's new lines
    /// are in (make before break).
    pub removed_after_adding: &'static [&'static str],
    /// How particular lines are negated (first match wins); any other line
    /// is negated by [`RemediationRules::negation`] + the line.
    pub negations: &'static [NegationRule],
    /// Keys whose value changes only through none: the old line is negated
    /// before the new one is sent.
    pub replaced_through_none: &'static [&'static str],
    /// The list edited as a set (a trunk's allowed VLANs).
    pub set_list: SetList,
    /// Lines of an interface that a mode change erases on the device.
    pub mode_erasures: &'static [ModeErasure],
    /// The key of an interface's layer line (`switchport`): the admin
    /// default goes with the layer.
    pub layer: &'static str,
    /// The key of the admin state (`shutdown`): never changed by omission.
    pub admin: &'static str,
    /// The prefix of a VLAN section (`vlan `).
    pub vlan: &'static str,
    /// The prefix of a VLAN's layer-3 interface (`interface Vlan`).
    pub svi: &'static str,
    /// Interface lines that name one VLAN (`switchport access vlan `).
    pub vlan_lines: &'static [&'static str],
    /// Lines whose words are text, not references to named sections
    /// (`description `).
    pub not_references: &'static [&'static str],
    /// The command that leaves a nested mode.
    pub exit: &'static str,
    /// The longest command line the plan sends; longer set lists are
    /// split.
    pub max_command_chars: usize,
    /// The management plane: left alone, and never cut.
    pub management: ManagementRules,
}

/// When the plan sends a line, by what the line is (see [`Kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
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
    /// an SVI that turning off the SVI feature removes).
    DeleteAfterFeatures,
}

const PHASES: usize = Phase::DeleteAfterFeatures as usize + 1;

/// What a top-level line is, for ordering and for how it is removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Turns a feature on; negated last.
    Feature,
    /// Named: kept while a line names it.
    Vrf,
    /// Kept while a port uses it.
    Vlan,
    /// A sequenced list (entries keyed by number), named.
    ObjectGroup,
    /// A sequenced list (entries keyed by number), named.
    Acl,
    Interface,
    SpanningTreeMode,
    Other,
}

impl Kind {
    fn create_phase(self) -> Phase {
        match self {
            Kind::Feature => Phase::EnableFeatures,
            Kind::Vrf => Phase::CreateVrfs,
            Kind::Vlan => Phase::CreateVlans,
            Kind::ObjectGroup => Phase::CreateObjectGroups,
            Kind::Acl => Phase::CreateAcls,
            Kind::Interface => Phase::Interfaces,
            Kind::SpanningTreeMode => Phase::SpanningTreeMode,
            Kind::Other => Phase::Configure,
        }
    }

    fn delete_phase(self) -> Phase {
        match self {
            Kind::Feature => Phase::DisableFeatures,
            Kind::Vrf => Phase::DeleteVrfs,
            Kind::Vlan => Phase::DeleteVlans,
            Kind::ObjectGroup => Phase::DeleteObjectGroups,
            Kind::Acl => Phase::DeleteAcls,
            Kind::Interface => Phase::DeleteInterfaces,
            Kind::SpanningTreeMode | Kind::Other => Phase::DeleteOther,
        }
    }

    fn is_named(self) -> bool {
        matches!(self, Kind::Acl | Kind::ObjectGroup | Kind::Vrf)
    }
}

/// A top-level section that stays unless the intended config has it.
#[derive(Clone, Copy, Debug)]
pub struct Permanent {
    pub prefix: &'static str,
    /// Whether the negated line (`no ` + prefix) is permanent too.
    pub negated_too: bool,
}

/// What turning a feature off erases: the plan does not negate it line by
/// line.
#[derive(Clone, Copy, Debug)]
pub struct FeatureWipe {
    /// The feature's line (`feature hsrp`).
    pub feature: &'static str,
    /// Prefixes of the top-level sections it erases.
    pub top_level: &'static [&'static str],
    /// Prefixes of the interface lines it erases.
    pub in_interfaces: &'static [&'static str],
}

/// Which lines a [`NegationRule`] is about.
#[derive(Clone, Copy, Debug)]
pub enum LineMatch {
    /// The line's key is this.
    Key(&'static str),
    /// The line starts with this.
    Prefix(&'static str),
}

/// How one kind of line is negated.
#[derive(Clone, Copy, Debug)]
pub struct NegationRule {
    pub line: LineMatch,
    pub negation: Negation,
}

#[derive(Clone, Copy, Debug)]
pub enum Negation {
    /// The negation word and the line's key (`no description`).
    Key,
    /// The negation word and the line's first words (`no banner motd`).
    Words(usize),
}

/// A list line edited as a set: `KEY add LIST`, `KEY remove LIST`, never
/// the whole list again.
#[derive(Clone, Copy)]
pub struct SetList {
    /// The line's key (`switchport trunk allowed vlan`).
    pub key: &'static str,
    /// The set a line states, None when it is not a valid list.
    pub parse: fn(&str) -> Option<VlanSet>,
    pub add: &'static str,
    pub remove: &'static str,
    /// The value of the empty set.
    pub none: &'static str,
    /// The value of every member, what no line means.
    pub all: &'static str,
}

/// Interface lines a mode change erases: they are re-sent, not negated.
#[derive(Clone, Copy, Debug)]
pub struct ModeErasure {
    /// The key of the mode line (`vrf member`, `switchport`).
    pub key: &'static str,
    pub when: ModeChange,
    /// Prefixes of the lines erased.
    pub erases: &'static [&'static str],
}

#[derive(Clone, Copy, Debug)]
pub enum ModeChange {
    /// The mode line changes in any way.
    Any,
    /// The mode line changes to this line.
    To(&'static str),
    /// The mode line changes to anything but this line (none included).
    ToOtherThan(&'static str),
}

impl RemediationRules {
    fn kind(&self, text: &str) -> Kind {
        self.sections
            .iter()
            .find(|(prefix, _)| text.starts_with(prefix))
            .map_or(Kind::Other, |(_, kind)| *kind)
    }

    fn is_interface(&self, text: &str) -> bool {
        text.starts_with(self.interface)
    }

    fn is_sequenced_list(&self, header: &str) -> bool {
        matches!(self.kind(header), Kind::Acl | Kind::ObjectGroup)
    }

    fn is_permanent(&self, text: &str) -> bool {
        let setting = text.strip_prefix(self.negation).unwrap_or(text);
        self.permanent
            .iter()
            .any(|p| text.starts_with(p.prefix) || (p.negated_too && setting.starts_with(p.prefix)))
    }

    fn vlan_id(&self, text: &str) -> Option<u16> {
        text.strip_prefix(self.vlan)?.parse().ok()
    }
}

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
fn effective<'n>(
    platform: &dyn Remediator,
    parent: Option<&str>,
    nodes: &'n [Node],
) -> HashMap<Cow<'n, str>, usize> {
    let mut map = HashMap::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        map.insert(platform.key(parent, &node.text), i);
    }
    map
}

/// What becomes of the running config's top-level sections: the
/// comparison of the two sides that both the commands and the diff shown
/// with them are made from, so the diff shows what the commands do.
pub struct Removals<'n> {
    platform: &'static dyn Remediator,
    running_keys: HashMap<Cow<'n, str>, usize>,
    intended_keys: HashMap<Cow<'n, str>, usize>,
    wipes: Wipes,
    /// Running sections the intended config lacks that go: negated, or for
    /// a physical port reset to its factory state. Running order.
    removed: Vec<&'n Node<'n>>,
    /// Running sections the intended config lacks that stay as they are:
    /// still used by what stays, permanent (`line`, `interface mgmt0`), a
    /// port already in its factory state, a line with no negation.
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
    platform: &'static dyn Remediator,
    running: &'n ConfigTree<'n>,
    intended: &'n ConfigTree<'n>,
    kept: &[&'n Node<'n>],
    defaults: PortDefaults,
) -> Removals<'n> {
    let rules = platform.rules();
    let running_keys = effective(platform, None, &running.nodes);
    let intended_keys = effective(platform, None, &intended.nodes);
    let wipes = Wipes::of_removed_features(rules, running, &intended_keys);
    let mut survivors = Vec::new();
    let removed: Vec<&Node> = running
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, node)| {
            let node_key = platform.key(None, &node.text);
            running_keys[&node_key] == *i
                && !intended_keys.contains_key(&node_key)
                && !wipes.top_level(&node.text)
        })
        .map(|(_, node)| node)
        .filter(|node| {
            let stays = rules.is_permanent(&node.text)
                || if is_physical_port_section(platform, &node.text) {
                    // A physical port cannot be deleted; it may already be
                    // in its factory state.
                    platform.is_factory_state(node, defaults)
                } else {
                    negate(platform, None, node).is_none()
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
    let (removed, still_used, notes) = keep_what_is_used(rules, removed, final_config);
    survivors.extend(still_used);
    // Running order, as the diff shows them.
    let position = |node: &&Node| running_keys[&platform.key(None, &node.text)];
    survivors.sort_by_key(position);
    Removals {
        platform,
        running_keys,
        intended_keys,
        wipes,
        removed,
        survivors,
        notes,
    }
}

fn is_physical_port_section(platform: &dyn Remediator, text: &str) -> bool {
    text.strip_prefix(platform.rules().interface)
        .is_some_and(|name| platform.is_physical_port(name))
}

impl<'n> Removals<'n> {
    /// The config the device will have in the plan's scope once the
    /// commands ran: the intended sections, and the running sections that
    /// stay (as they are) or are reset (in their factory state), each
    /// placed after the intended section that comes before it in the
    /// running config, so the diff shows them as unchanged context or as
    /// the change that really happens. None when that is the intended
    /// config itself.
    ///
    /// The sections are borrowed from the two trees (only a reset one is
    /// new): copying the intended tree of a 200,000-line config cost
    /// 15 MiB of the diff's peak memory.
    pub fn after<'a>(
        &self,
        running: &'a ConfigTree<'n>,
        intended: &'a ConfigTree<'n>,
        defaults: PortDefaults,
    ) -> Option<Vec<Cow<'a, Node<'n>>>> {
        let platform = self.platform;
        let rules = platform.rules();
        let resets: Vec<(&Node, Node)> = self
            .removed
            .iter()
            .filter(|node| is_physical_port_section(platform, &node.text))
            .filter_map(|node| {
                let mut reset = platform.factory_state(&node.text, defaults)?;
                // The admin state is shown as the running side shows it:
                // where that does not state it, it is the default before
                // and after.
                let is_admin = |c: &Node| {
                    c.text == rules.admin
                        || c.text
                            .strip_prefix(rules.negation)
                            .is_some_and(|rest| rest == rules.admin)
                };
                if !node.children.iter().any(is_admin) {
                    reset.children.retain(|c| !is_admin(c));
                }
                Some((*node, reset))
            })
            .collect();
        if self.survivors.is_empty() && resets.is_empty() {
            return None;
        }
        let position = |node: &Node| self.running_keys[&platform.key(None, &node.text)];
        // Each extra section with its running position, in running order.
        let mut extra: Vec<(usize, Cow<'a, Node<'n>>)> = self
            .survivors
            .iter()
            .map(|node| (position(node), Cow::Borrowed(*node)))
            .chain(
                resets
                    .into_iter()
                    .map(|(node, reset)| (position(node), Cow::Owned(reset))),
            )
            .collect();
        extra.sort_by_key(|(position, _)| *position);
        // The intended section each goes after: the last running section
        // before it that the intended config has (none: at the top). One
        // pass over the running config, whatever the number of sections.
        let mut anchored: Vec<Vec<Cow<'a, Node<'n>>>> = vec![Vec::new(); intended.nodes.len() + 1];
        let mut extra = extra.into_iter().peekable();
        let mut anchor = 0;
        for (position, node) in running.nodes.iter().enumerate() {
            while let Some((_, section)) = extra.next_if(|(p, _)| *p == position) {
                anchored[anchor].push(section);
            }
            if extra.peek().is_none() {
                break;
            }
            if let Some(i) = self.intended_keys.get(&platform.key(None, &node.text)) {
                anchor = i + 1;
            }
        }
        let mut nodes = Vec::with_capacity(intended.nodes.len() + anchored.len());
        let mut anchored = anchored.into_iter();
        nodes.extend(anchored.next().into_iter().flatten());
        for (node, after) in intended.nodes.iter().zip(anchored) {
            nodes.push(Cow::Borrowed(node));
            nodes.extend(after);
        }
        Some(nodes)
    }

    /// Computes the commands that turn `running` into `intended`, both with
    /// their interfaces' hidden settings stated (the dialect's
    /// `make_explicit`), of which these removals say what goes.
    /// `defaults`: the running switch's port defaults, what an interface it
    /// does not show yet has and what a port reset leaves.
    pub fn remediate(
        self,
        running: &ConfigTree,
        intended: &ConfigTree,
        defaults: PortDefaults,
    ) -> Remediation {
        remediate(running, intended, self, defaults)
    }
}

fn remediate(
    running: &ConfigTree,
    intended: &ConfigTree,
    removals: Removals<'_>,
    defaults: PortDefaults,
) -> Remediation {
    let mut phases: Vec<Vec<Step>> = (0..PHASES).map(|_| Vec::new()).collect();
    let Removals {
        platform,
        running_keys,
        intended_keys,
        wipes,
        removed,
        notes,
        ..
    } = removals;
    let rules = platform.rules();
    let edit = Edit { platform, wipes };

    for (i, node) in intended.nodes.iter().enumerate() {
        let node_key = platform.key(None, &node.text);
        if intended_keys[&node_key] != i {
            continue;
        }
        let kind = rules.kind(&node.text);
        let existing = running_keys
            .get(&node_key)
            .map(|&r| &running.nodes[r])
            .filter(|r| !edit.wipes.top_level(&r.text));
        let physical = kind == Kind::Interface && is_physical_port_section(platform, &node.text);
        let steps = match existing {
            // A port wanted in its factory state is reset to it.
            Some(current)
                if physical
                    && platform.is_factory_state(node, defaults)
                    && !platform.is_factory_state(current, defaults) =>
            {
                vec![Step::line(format!("{}{}", rules.reset_port, node.text))]
            }
            Some(current) => edit.change(None, current, node),
            None => match platform.factory_state(&node.text, defaults) {
                // An interface the switch does not show has its factory
                // settings: only what differs is sent.
                Some(factory) => edit.create_over(&factory, node),
                None => vec![edit.create(node)],
            },
        };
        phases[kind.create_phase() as usize].extend(steps);
    }

    for node in removed {
        let kind = rules.kind(&node.text);
        let phase = match kind {
            Kind::Interface if is_physical_port_section(platform, &node.text) => {
                phases[Phase::Interfaces as usize]
                    .push(Step::line(format!("{}{}", rules.reset_port, node.text)));
                continue;
            }
            _ if kind.is_named()
                && edit
                    .wipes
                    .erased_config_names(rules, running, last_word(&node.text)) =>
            {
                Phase::DeleteAfterFeatures
            }
            _ => kind.delete_phase(),
        };
        if let Some(negation) = negate(platform, None, node) {
            phases[phase as usize].push(Step::line(negation));
        }
    }

    let mut commands = Vec::new();
    for steps in &phases {
        flatten(rules, steps, 0, &mut commands);
    }
    Remediation {
        commands: platform.regroup(commands),
        notes,
    }
}

/// Splits the sections about to be removed into those nothing in the final
/// config uses (returned, in order) and those it still uses, which stay;
/// what stays joins the final config, so what it uses stays too (the
/// object-group of a kept ACL). The notes say what was kept and why.
fn keep_what_is_used<'n>(
    rules: &RemediationRules,
    mut removed: Vec<&'n Node<'n>>,
    mut final_config: Vec<&'n Node<'n>>,
) -> (Vec<&'n Node<'n>>, Vec<&'n Node<'n>>, Vec<String>) {
    let mut notes = Vec::new();
    let mut kept = Vec::new();
    loop {
        let removed_vlans: VlanSet = removed
            .iter()
            .filter_map(|n| rules.vlan_id(&n.text))
            .collect();
        let vlan_users = vlan_users_of(rules, &final_config, &removed_vlans);
        let mut newly_kept = Vec::new();
        removed.retain(|node| {
            let kind = rules.kind(&node.text);
            let user = match kind {
                Kind::Vlan => rules
                    .vlan_id(&node.text)
                    .and_then(|id| vlan_users.get(&id).cloned()),
                _ => name_user(rules, kind, &node.text, &final_config),
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

/// For each VLAN of `wanted` that a port of the final config (intended
/// plus what the plan leaves alone) still uses, the first such port and
/// line: that VLAN must not be deleted.
fn vlan_users_of(
    rules: &RemediationRules,
    final_config: &[&Node],
    wanted: &VlanSet,
) -> HashMap<u16, String> {
    let mut users = HashMap::new();
    if wanted.is_empty() {
        return users;
    }
    for interface in final_config.iter().filter(|n| rules.is_interface(&n.text)) {
        // An SVI is the VLAN's layer-3 interface: it needs the VLAN.
        if let Some(id) = interface
            .text
            .strip_prefix(rules.svi)
            .and_then(|id| id.parse::<u16>().ok())
            .filter(|id| wanted.contains(*id))
        {
            users
                .entry(id)
                .or_insert_with(|| interface.text.to_string());
        }
        for line in &interface.children {
            let used = vlans_used_by(rules, &line.text);
            for id in used.intersection(wanted).iter() {
                users
                    .entry(id)
                    .or_insert_with(|| format!("{} / {}", interface.text, line.text));
            }
        }
    }
    users
}

fn vlans_used_by(rules: &RemediationRules, line: &str) -> VlanSet {
    let one = rules.vlan_lines.iter().find_map(|prefix| {
        line.strip_prefix(prefix)
            .and_then(|v| v.trim().parse::<u16>().ok())
    });
    if let Some(id) = one {
        return std::iter::once(id).collect();
    }
    (rules.set_list.parse)(line).unwrap_or_default()
}

/// Why an ACL, object-group or VRF about to be deleted must stay: the first
/// line of the final config that names it.
fn name_user(
    rules: &RemediationRules,
    kind: Kind,
    text: &str,
    final_config: &[&Node],
) -> Option<String> {
    if !kind.is_named() {
        return None;
    }
    let name = last_word(text);
    final_config
        .iter()
        .filter(|n| n.text != text)
        .find_map(|n| {
            n.walk()
                .filter(|line| !starts_with_any(&line.text, rules.not_references))
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
/// nested mode to go on in its parent takes an exit (a top-level command
/// is accepted from any mode, so none is needed before those).
fn flatten(rules: &RemediationRules, steps: &[Step], depth: usize, out: &mut Vec<Command>) {
    for (i, step) in steps.iter().enumerate() {
        out.push(Command {
            depth,
            text: step.text.clone(),
        });
        if !step.children.is_empty() {
            flatten(rules, &step.children, depth + 1, out);
            if depth > 0 && i + 1 < steps.len() {
                out.push(Command {
                    depth: depth + 1,
                    text: rules.exit.into(),
                });
            }
        }
    }
}

/// The config that turning features off erases, for the features the
/// plan turns off.
struct Wipes {
    top_level: Vec<&'static str>,
    in_interfaces: Vec<&'static str>,
}

impl Wipes {
    fn of_removed_features(
        rules: &RemediationRules,
        running: &ConfigTree,
        intended_keys: &HashMap<Cow<str>, usize>,
    ) -> Self {
        let mut wipes = Wipes {
            top_level: Vec::new(),
            in_interfaces: Vec::new(),
        };
        for node in &running.nodes {
            if rules.kind(&node.text) != Kind::Feature || intended_keys.contains_key(&*node.text) {
                continue;
            }
            if let Some(wipe) = rules.feature_wipes.iter().find(|w| w.feature == node.text) {
                wipes.top_level.extend_from_slice(wipe.top_level);
                wipes.in_interfaces.extend_from_slice(wipe.in_interfaces);
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
    fn erased_config_names(
        &self,
        rules: &RemediationRules,
        running: &ConfigTree,
        name: &str,
    ) -> bool {
        let names = |node: &Node| {
            node.walk()
                .any(|line| line.text.split_whitespace().any(|w| w == name))
        };
        running.nodes.iter().any(|node| {
            if self.top_level(&node.text) {
                return names(node);
            }
            rules.is_interface(&node.text)
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

/// The command that removes `node`, or None for what the plan never
/// removes by omission (the admin state changes only when the intended
/// config says so).
fn negate(platform: &dyn Remediator, parent: Option<&str>, node: &Node) -> Option<String> {
    let rules = platform.rules();
    let text: &str = &node.text;
    let node_key = platform.key(parent, text);
    if node_key == rules.admin {
        return None;
    }
    let no = rules.negation;
    if parent.is_some_and(|p| rules.is_sequenced_list(p)) && node_key.parse::<u32>().is_ok() {
        return Some(format!("{no}{node_key}"));
    }
    if let Some(positive) = text.strip_prefix(no) {
        return Some(positive.to_string());
    }
    if node_key == rules.set_list.key {
        return Some(format!("{} {}", rules.set_list.key, rules.set_list.all));
    }
    let rule = rules.negations.iter().find(|rule| match rule.line {
        LineMatch::Key(key) => node_key == key,
        LineMatch::Prefix(prefix) => text.starts_with(prefix),
    });
    if let Some(rule) = rule {
        return Some(match rule.negation {
            Negation::Key => format!("{no}{node_key}"),
            Negation::Words(n) => {
                let words: Vec<&str> = text.split_whitespace().take(n).collect();
                format!("{no}{}", words.join(" "))
            }
        });
    }
    if let Some(negation) = platform.negate_special(text) {
        return Some(negation);
    }
    Some(format!("{no}{text}"))
}

/// The tree edits: what turns one section into another.
struct Edit {
    platform: &'static dyn Remediator,
    wipes: Wipes,
}

impl Edit {
    fn rules(&self) -> &'static RemediationRules {
        self.platform.rules()
    }

    /// The whole of `node`, as typed to create it.
    fn create(&self, node: &Node) -> Step {
        Step {
            text: node.text.to_string(),
            children: node
                .children
                .iter()
                .flat_map(|c| self.create_lines(c))
                .collect(),
        }
    }

    /// Creates `wanted` on a switch where it has the `factory` settings: the
    /// lines the factory state already has are not sent, except the admin
    /// state when the layer changes (the port's admin default goes with its
    /// layer, so it is stated).
    fn create_over(&self, factory: &Node, wanted: &Node) -> Vec<Step> {
        let rules = self.rules();
        let key = |parent: &Node, child: &Node| {
            self.platform
                .key(Some(&parent.text), &child.text)
                .into_owned()
        };
        let layer = |node: &Node| {
            node.children
                .iter()
                .find(|c| key(node, c) == rules.layer)
                .map(|c| c.text.to_string())
        };
        let layer_changes = layer(factory) != layer(wanted);
        let children: Vec<Step> = wanted
            .children
            .iter()
            .filter(|child| {
                let is_admin = key(wanted, child) == rules.admin;
                !factory.children.contains(child) || (is_admin && layer_changes)
            })
            .flat_map(|c| self.create_lines(c))
            .collect();
        if children.is_empty() {
            return Vec::new();
        }
        vec![Step {
            text: wanted.text.to_string(),
            children,
        }]
    }

    /// Like [`Edit::create`], but a set list too long for one command goes
    /// on as `add` continuation commands, as the device prints it.
    fn create_lines(&self, node: &Node) -> Vec<Step> {
        let rules = self.rules();
        let list = rules.set_list;
        if let Some(set) = (list.parse)(&node.text) {
            if node.text.len() > rules.max_command_chars {
                let room = rules.max_command_chars - list.key.len() - list.add.len() - 2;
                let mut chunks = set.chunks(room);
                let first = chunks.remove(0);
                let mut steps = vec![Step::line(format!("{} {first}", list.key))];
                steps.extend(
                    chunks
                        .into_iter()
                        .map(|c| Step::line(format!("{} {} {c}", list.key, list.add))),
                );
                return steps;
            }
        }
        vec![self.create(node)]
    }

    /// Commands that turn `current` into `wanted`, two lines with the same
    /// key in the same section. Empty when they already agree.
    fn change(&self, parent: Option<&str>, current: &Node, wanted: &Node) -> Vec<Step> {
        let rules = self.rules();
        // Most sections of a big config are unchanged: compare before
        // indexing.
        if current == wanted && self.wipes.is_empty() {
            return Vec::new();
        }
        if current.text == wanted.text {
            if current.children.is_empty() && wanted.children.is_empty() {
                return Vec::new();
            }
            let children = self.change_children(&wanted.text, &current.children, &wanted.children);
            if children.is_empty() {
                return Vec::new();
            }
            return vec![Step {
                text: wanted.text.to_string(),
                children,
            }];
        }
        let wanted_key = self.platform.key(parent, &wanted.text);
        if wanted_key == rules.set_list.key {
            if let (Some(from), Some(to)) = (
                (rules.set_list.parse)(&current.text),
                (rules.set_list.parse)(&wanted.text),
            ) {
                return self.set_change(from, to);
            }
        }
        if parent.is_some_and(|p| rules.is_sequenced_list(p)) && wanted_key.parse::<u32>().is_ok() {
            // Same sequence number, new entry: a number that is taken is
            // refused, so the old entry goes first, right before its
            // successor.
            return vec![
                Step::line(format!("{}{wanted_key}", rules.negation)),
                self.create(wanted),
            ];
        }
        if rules.replaced_through_none.contains(&wanted_key.as_ref()) {
            let mut steps: Vec<Step> = negate(self.platform, parent, current)
                .map(Step::line)
                .into_iter()
                .collect();
            steps.push(self.create(wanted));
            return steps;
        }
        vec![self.create(wanted)]
    }

    /// A set list as a set: remove what goes, then add what comes, never
    /// the whole list again.
    fn set_change(&self, from: VlanSet, to: VlanSet) -> Vec<Step> {
        let rules = self.rules();
        let list = rules.set_list;
        if to.is_empty() {
            return vec![Step::line(format!("{} {}", list.key, list.none))];
        }
        if to.is_all() {
            return vec![Step::line(format!("{} {}", list.key, list.all))];
        }
        let mut steps = Vec::new();
        for (verb, set) in [
            (list.remove, from.difference(&to)),
            (list.add, to.difference(&from)),
        ] {
            let room = rules.max_command_chars - list.key.len() - verb.len() - 2;
            steps.extend(
                set.chunks(room)
                    .into_iter()
                    .map(|chunk| Step::line(format!("{} {verb} {chunk}", list.key))),
            );
        }
        steps
    }

    fn change_children(&self, parent: &str, current: &[Node], wanted: &[Node]) -> Vec<Step> {
        let rules = self.rules();
        let platform = self.platform;
        let in_interface = rules.is_interface(parent);
        let parent = Some(parent);
        let current_keys = effective(platform, parent, current);
        let wanted_keys = effective(platform, parent, wanted);
        let erased = if in_interface {
            Erased::by_mode_change(rules, current, &current_keys, wanted, &wanted_keys)
        } else {
            Erased::default()
        };
        let is_erased = |node: &Node| {
            erased.erases(&node.text) || (in_interface && self.wipes.in_interface(&node.text))
        };

        // A port's admin default goes with its layer: when the layer
        // changes, the admin state is stated again, even where it reads the
        // same.
        let layer = |nodes: &[Node], keys: &HashMap<Cow<str>, usize>| {
            keys.get(rules.layer).map(|&i| nodes[i].text.to_string())
        };
        let layer_changes =
            in_interface && layer(current, &current_keys) != layer(wanted, &wanted_keys);
        let mut steps = Vec::new();
        // Lines that only go once their replacement is in (make before
        // break).
        let mut after = Vec::new();
        for (i, node) in current.iter().enumerate() {
            let node_key = platform.key(parent, &node.text);
            if current_keys[&node_key] != i
                || wanted_keys.contains_key(&node_key)
                || is_erased(node)
            {
                continue;
            }
            if let Some(negation) = negate(platform, parent, node) {
                if starts_with_any(&node.text, rules.removed_after_adding) {
                    after.push(Step::line(negation));
                } else {
                    steps.push(Step::line(negation));
                }
            }
        }
        for (i, node) in wanted.iter().enumerate() {
            let node_key = platform.key(parent, &node.text);
            if wanted_keys[&node_key] != i {
                continue;
            }
            let existing = current_keys
                .get(&node_key)
                .map(|&c| &current[c])
                .filter(|c| !is_erased(c));
            match existing {
                Some(_) if layer_changes && node_key == rules.admin => {
                    steps.push(self.create(node))
                }
                Some(existing) => steps.extend(self.change(parent, existing, node)),
                // No list means every member: a new list only takes members
                // away.
                None if node_key == rules.set_list.key => {
                    match (rules.set_list.parse)(&node.text) {
                        Some(to) => steps.extend(self.set_change(VlanSet::all(), to)),
                        None => steps.push(self.create(node)),
                    }
                }
                None => steps.extend(self.create_lines(node)),
            }
        }
        steps.extend(after);
        steps
    }
}

/// Lines of an interface that a mode change erases on the device
/// ([`RemediationRules::mode_erasures`]). They are re-sent, not negated.
#[derive(Default)]
struct Erased {
    prefixes: Vec<&'static str>,
}

impl Erased {
    fn by_mode_change(
        rules: &RemediationRules,
        current: &[Node],
        current_keys: &HashMap<Cow<str>, usize>,
        wanted: &[Node],
        wanted_keys: &HashMap<Cow<str>, usize>,
    ) -> Self {
        let mut prefixes = Vec::new();
        let text_of = |nodes: &[Node], keys: &HashMap<Cow<str>, usize>, k: &str| {
            keys.get(k).map(|&i| nodes[i].text.to_string())
        };
        for erasure in rules.mode_erasures {
            let from = text_of(current, current_keys, erasure.key);
            let to = text_of(wanted, wanted_keys, erasure.key);
            if from == to {
                continue;
            }
            let erases = match erasure.when {
                ModeChange::Any => true,
                ModeChange::To(line) => to.as_deref() == Some(line),
                ModeChange::ToOtherThan(line) => to.as_deref() != Some(line),
            };
            if erases {
                prefixes.extend_from_slice(erasure.erases);
            }
        }
        Erased { prefixes }
    }

    fn erases(&self, text: &str) -> bool {
        starts_with_any(text, &self.prefixes)
    }
}

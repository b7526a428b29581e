//! Plans: per device, the remediation commands that turn the running
//! config into the intended one, in apply order, and a unified diff for
//! humans.
//!
//! Two scopes: `liaison diff` takes the intended config as the whole truth
//! (whatever else runs is removed; physical ports are reset, never
//! deleted); `liaison plan` touches only what the inventory manages and
//! leaves every other line of the device alone (see [`Managed`]).

pub mod fleet;
pub mod management;
pub mod output;
pub mod redact;
pub mod remediate;
mod unified;

use crate::config::{ConfigTree, Node, PortDefaults};
use crate::platform::{BridgeSetting, Dialect, Platform, Section};
use crate::vlan::VlanSet;
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// One command line as typed in configuration mode; `depth` is the mode
/// nesting (0: global), shown as the platform's indentation per level
/// ([`Command::line`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub depth: usize,
    pub text: String,
}

impl Command {
    /// The command as printed and typed: `indent` spaces per level of
    /// nesting (the platform's [`Dialect::indent`]).
    pub fn line(&self, indent: usize) -> String {
        format!("{:width$}{}", "", self.text, width = self.depth * indent)
    }
}

/// The commands of one device and what the planner decided not to do.
#[derive(Debug, Default)]
pub struct Remediation {
    pub commands: Vec<Command>,
    pub notes: Vec<String>,
}

/// How liaison reaches the device: the SSH user and the address it
/// connects to (each when known).
#[derive(Clone, Copy, Debug, Default)]
pub struct Session<'a> {
    pub user: Option<&'a str>,
    pub address: Option<std::net::IpAddr>,
}

/// The plan of one device.
#[derive(Debug)]
pub struct DevicePlan {
    pub device: String,
    /// In apply order.
    pub commands: Vec<Command>,
    /// Spaces of indentation per level in the commands and the diff: the
    /// platform's ([`Dialect::indent`]).
    pub indent: usize,
    /// Unified diff of the (scoped) running config against the intended one.
    pub diff: String,
    /// What the planner chose not to do, and why.
    pub notes: Vec<String>,
    /// What `liaison plan` manages on the device (None for `liaison diff`,
    /// which manages everything).
    pub manages: Option<Coverage>,
    /// Running-config lines outside the plan's scope, left alone.
    pub unmanaged_lines: usize,
    /// Lines ignored because they match a tolerated-drift pattern.
    pub tolerated_lines: usize,
    /// Running-config lines in the plan's scope that are the management
    /// plane, left alone (0 when management changes are allowed).
    pub management_lines: usize,
    /// Why the plan must not be applied: it would cut the session liaison
    /// reaches the device through. Such a plan is never printed or pushed.
    pub refused: Option<String>,
}

impl DevicePlan {
    pub fn has_changes(&self) -> bool {
        !self.commands.is_empty()
    }

    /// The commands in apply order, each as printed and typed in
    /// configuration mode (the platform's indentation).
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.commands.iter().map(|c| c.line(self.indent))
    }
}

/// What `liaison plan` owns on a device, beyond what its intended config
/// shows: the inventory-wide VLANs and VRFs (a VLAN of the inventory on a
/// switch where the closure does not put it is stale and goes), and
/// whether unmanaged VLANs, ACLs and object-groups are pruned too.
#[derive(Clone, Debug, Default)]
pub struct Managed {
    pub vlans: VlanSet,
    pub vrfs: BTreeSet<String>,
    pub prune: bool,
}

impl Managed {
    /// What the inventory compiled into `intent` manages on every switch.
    pub fn of_intent(intent: &crate::intent::Intent, prune: bool) -> Self {
        Managed {
            vlans: intent
                .devices
                .iter()
                .flat_map(|d| d.vlans.iter().map(|v| v.id))
                .collect(),
            vrfs: intent
                .devices
                .iter()
                .flat_map(|d| d.vrfs.iter().map(|v| v.name.clone()))
                .collect(),
            prune,
        }
    }
}

/// Which running lines a plan may change.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// `liaison diff`: the intended config is the whole truth.
    Whole,
    /// `liaison plan`: what the inventory manages.
    Inventory(&'a Managed),
}

/// One device's configs and how to compare them.
pub struct Request<'a> {
    pub device: &'a str,
    /// The platform both configs are written for.
    pub platform: Platform,
    pub running: ConfigTree<'a>,
    pub intended: ConfigTree<'a>,
    /// File names for the unified diff header.
    pub labels: (&'a str, &'a str),
    pub scope: Scope<'a>,
    /// Lines matching any of these are ignored on both sides.
    pub tolerated: &'a [&'a Regex],
    /// What each side's switch does with what its config does not say.
    pub defaults: Sides,
    pub management: Management<'a>,
}

/// What a plan may do to the device's management plane (login users and
/// keys, SSH, the management VRF and its routes, mgmt0, `line`, CoPP,
/// boot images, AAA: the platform's table, [`crate::platform::Remediator`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Management<'a> {
    /// `--allow-management-changes`: plan the management plane like the
    /// rest. Otherwise it is left alone, on both sides.
    pub allow_changes: bool,
    /// How liaison reaches the device: a plan that would cut that is
    /// refused, allowed changes or not.
    pub session: Session<'a>,
}

/// The port defaults of the switch each config comes from: the same
/// switch for `plan`, possibly two kinds of switch for `diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sides {
    pub running: PortDefaults,
    pub intended: PortDefaults,
}

impl Sides {
    pub fn same(defaults: PortDefaults) -> Self {
        Sides {
            running: defaults,
            intended: defaults,
        }
    }
}

pub fn plan_device(request: Request<'_>) -> DevicePlan {
    let Request {
        device,
        platform,
        mut running,
        mut intended,
        labels,
        scope,
        tolerated,
        defaults,
        management,
    } = request;
    let (Some(dialect), Some(rules)) = (platform.dialect(), platform.remediator()) else {
        return DevicePlan::refused(
            device,
            format!(
                "liaison cannot plan {} configs yet",
                platform.signatures().name
            ),
        );
    };
    let tolerated_lines = drop_tolerated(&mut running.nodes, tolerated);
    drop_tolerated(&mut intended.nodes, tolerated);
    let config_notes = rules.config_notes(&running, &intended);
    let management_vrfs = management::vrf_names(rules, &[&running, &intended]);
    let protected = if management.allow_changes {
        std::collections::BTreeMap::new()
    } else {
        management::management_keys(rules, &[&running, &intended], &management_vrfs)
    };
    // Meaning, not spelling: each side states what its switch hides. Only
    // the managed part of the running config: the rest is left as read.
    // The admin state is compared only where the intended config states it
    // (docs/plan-internals.md "Remediation rules").
    let states_admin: std::collections::HashSet<String> = intended
        .nodes
        .iter()
        .filter(|n| dialect.states_admin(n))
        .map(|n| n.text.to_string())
        .collect();
    dialect.make_explicit(&mut intended.nodes, defaults.intended, &|_| false);
    let (running, mut kept) = match scope {
        Scope::Whole => (running, Vec::new()),
        Scope::Inventory(managed) => split_managed(dialect, running, &intended, managed),
    };
    let unmanaged_lines = kept.iter().map(|n| n.walk().count()).sum();
    let (mut running, left_alone) = leave_alone(dialect, running, &mut intended, &protected);
    let management_lines = left_alone.lines;
    let mut notes = config_notes;
    if !left_alone.changed.is_empty() {
        let listed: Vec<String> = left_alone
            .changed
            .iter()
            .map(|k| format!("`{k}` ({})", protected[k]))
            .collect();
        notes.push(format!(
            "left the management plane alone: {}; pass --allow-management-changes to change it",
            listed.join(", ")
        ));
    }
    kept.extend(left_alone.nodes);
    dialect.make_explicit(&mut running.nodes, defaults.running, &|header| {
        states_admin.contains(header)
    });
    dialect.state_stp_mode(&mut running.nodes, &mut intended.nodes);
    let manages = match scope {
        Scope::Whole => None,
        Scope::Inventory(_) => Some(Coverage::of(
            dialect,
            platform.pair_name(),
            &[&intended, &running],
        )),
    };
    let kept_refs: Vec<&Node> = kept.iter().collect();
    // The diff shows what the device will have after the commands: what
    // they leave (a section still used, a port already in its factory
    // state) as it is, what they reset as reset.
    let removals = remediate::removals(rules, &running, &intended, &kept_refs, defaults.running);
    let after = removals.after(&running, &intended, defaults.running);
    // The commands and the diff read the same trees and nothing else: on a
    // big config each takes a good part of the run, so they run side by side.
    let (diff, remediation) = crate::pool::side_by_side(
        || match &after {
            Some(shown) => unified::unified_diff(&running.nodes, shown, labels, dialect),
            None => unified::unified_diff(&running.nodes, &intended.nodes, labels, dialect),
        },
        || removals.remediate(&running, &intended, defaults.running),
    );
    notes.extend(remediation.notes);
    notes.extend(rules.notes(&remediation.commands, &running, &intended));
    let refused = management::cuts_own_session(
        rules,
        &remediation.commands,
        &intended,
        &management.session,
        &management_vrfs,
    )
    .or_else(|| management::in_management_vrf(rules, &intended, &management_vrfs));
    DevicePlan {
        device: device.to_string(),
        commands: remediation.commands,
        indent: dialect.indent(),
        diff,
        notes,
        manages,
        unmanaged_lines,
        tolerated_lines,
        management_lines,
        refused,
    }
}

impl DevicePlan {
    /// A plan that must not be applied, for `reason`, with nothing in it.
    fn refused(device: &str, reason: String) -> Self {
        DevicePlan {
            device: device.to_string(),
            commands: Vec::new(),
            // No commands, no diff: nothing is indented.
            indent: 0,
            diff: String::new(),
            notes: Vec::new(),
            manages: None,
            unmanaged_lines: 0,
            tolerated_lines: 0,
            management_lines: 0,
            refused: Some(reason),
        }
    }
}

/// The management-plane sections a plan left alone.
struct LeftAlone<'t> {
    /// The running sections, still part of the device's final config.
    nodes: Vec<Node<'t>>,
    lines: usize,
    /// Keys of those that differ from the intended config: what the plan
    /// would have changed or removed.
    changed: Vec<String>,
}

/// Takes the `protected` sections out of both sides.
fn leave_alone<'t>(
    dialect: &dyn Dialect,
    running: ConfigTree<'t>,
    intended: &mut ConfigTree<'_>,
    protected: &std::collections::BTreeMap<String, String>,
) -> (ConfigTree<'t>, LeftAlone<'t>) {
    let key = |text: &str| dialect.key(None, text).into_owned();
    let is_protected = |node: &Node| {
        !protected.is_empty() && protected.contains_key(dialect.key(None, &node.text).as_ref())
    };
    let (nodes, rest): (Vec<Node>, Vec<Node>) = running.nodes.into_iter().partition(is_protected);
    let mut changed = BTreeSet::new();
    for node in &nodes {
        if !intended.nodes.iter().any(|i| i == node) {
            changed.insert(key(&node.text));
        }
    }
    for node in intended.nodes.iter().filter(|n| is_protected(n)) {
        if !nodes.iter().any(|r| r == node) {
            changed.insert(key(&node.text));
        }
    }
    intended.nodes.retain(|n| !is_protected(n));
    let lines = nodes.iter().map(|n| n.walk().count()).sum();
    (
        ConfigTree { nodes: rest },
        LeftAlone {
            nodes,
            lines,
            changed: changed.into_iter().collect(),
        },
    )
}

/// The sections a plan covers, by kind: what the intended config has and
/// what of the running config is in scope (a stale VLAN counts too).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub vlans: usize,
    pub vrfs: usize,
    /// The domains that make two switches one pair; `vpc_domains` in the
    /// JSON schema (liaison.plan/v1), whatever the platform.
    #[serde(rename = "vpc_domains")]
    pub pair_domains: usize,
    pub svis: usize,
    pub port_channels: usize,
    pub ports: usize,
    pub acls: usize,
    pub object_groups: usize,
    /// What the platform calls a pair ([`Platform::pair_name`]), for
    /// the words of [`Coverage`]'s display.
    #[serde(skip)]
    pub pair_name: &'static str,
}

impl Coverage {
    fn of(dialect: &dyn Dialect, pair_name: &'static str, trees: &[&ConfigTree<'_>]) -> Self {
        let headers: BTreeSet<&str> = trees
            .iter()
            .flat_map(|t| t.nodes.iter().map(|n| &*n.text))
            .collect();
        let mut coverage = Coverage {
            pair_name,
            ..Coverage::default()
        };
        for header in headers {
            let counter = match dialect.section(header) {
                Some(Section::Vlan(_)) => &mut coverage.vlans,
                Some(Section::Vrf(_)) => &mut coverage.vrfs,
                Some(Section::PairDomain) => &mut coverage.pair_domains,
                Some(Section::Svi(_)) => &mut coverage.svis,
                Some(Section::PortChannel) => &mut coverage.port_channels,
                Some(Section::Port) => &mut coverage.ports,
                Some(Section::Acl) => &mut coverage.acls,
                Some(Section::ObjectGroup) => &mut coverage.object_groups,
                None => continue,
            };
            *counter += 1;
        }
        coverage
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pair_domain = format!("{} domain", self.pair_name);
        let kinds = [
            (self.vlans, "VLAN"),
            (self.vrfs, "VRF"),
            (self.pair_domains, pair_domain.as_str()),
            (self.svis, "SVI"),
            (self.port_channels, "port-channel"),
            (self.ports, "port"),
            (self.acls, "ACL"),
            (self.object_groups, "object-group"),
        ];
        let parts: Vec<String> = kinds
            .iter()
            .map(|(n, kind)| format!("{n} {kind}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// Removes the lines (with their sections) that match a tolerated-drift
/// pattern; returns how many lines went.
fn drop_tolerated(nodes: &mut Vec<Node>, patterns: &[&Regex]) -> usize {
    if patterns.is_empty() {
        return 0;
    }
    let mut dropped = 0;
    nodes.retain_mut(|node| {
        if patterns.iter().any(|p| p.is_match(&node.text)) {
            dropped += node.walk().count();
            return false;
        }
        dropped += drop_tolerated(&mut node.children, patterns);
        true
    });
    dropped
}

/// Splits the running config into what the plan manages and what it leaves
/// alone. Managed: the sections the intended config has (interfaces,
/// port-channels, SVIs, VLANs, VRFs, ACLs, object-groups, the vPC domain,
/// features, `hostname`), the inventory's VLANs and VRFs and their SVIs
/// and spanning-tree settings wherever they are, the MST region and
/// instance priorities when the intended config sets the spanning-tree
/// mode, and with `prune` every VLAN, ACL and object-group.
fn split_managed<'t>(
    dialect: &dyn Dialect,
    running: ConfigTree<'t>,
    intended: &ConfigTree<'_>,
    managed: &Managed,
) -> (ConfigTree<'t>, Vec<Node<'t>>) {
    let intended_keys: BTreeSet<_> = intended
        .nodes
        .iter()
        .map(|n| dialect.key(None, &n.text))
        .collect();
    let manages_stp = intended_keys.contains(dialect.stp_mode_key());
    let is_managed = |node: &Node| {
        let text: &str = &node.text;
        if intended_keys.contains(&dialect.key(None, text)) {
            return true;
        }
        match dialect.bridge_setting(text) {
            Some(BridgeSetting::Vlan(id)) => return managed.prune || managed.vlans.contains(id),
            Some(BridgeSetting::Mst) => return manages_stp,
            None => {}
        }
        match dialect.section(text) {
            Some(Section::Vlan(id)) => {
                managed.prune || id.is_some_and(|id| managed.vlans.contains(id))
            }
            Some(Section::Svi(id)) => id.is_some_and(|id| managed.vlans.contains(id)),
            Some(Section::Vrf(name)) => managed.vrfs.contains(name),
            Some(Section::Acl | Section::ObjectGroup) => managed.prune,
            _ => false,
        }
    };
    let (owned, kept): (Vec<Node>, Vec<Node>) = running.nodes.into_iter().partition(is_managed);
    (ConfigTree { nodes: owned }, kept)
}

/// The JSON shape of a plan (`--format json`); see docs/commands.md "JSON schema".
#[derive(Serialize)]
pub struct DevicePlanJson<'a> {
    pub device: &'a str,
    pub changed: bool,
    /// Secrets redacted (see [`redact`]).
    pub commands: Vec<String>,
    pub diff: std::borrow::Cow<'a, str>,
    pub notes: &'a [String],
    pub manages: Option<Coverage>,
    pub unmanaged_lines: usize,
    pub tolerated_lines: usize,
    pub management_lines: usize,
}

impl DevicePlan {
    pub fn to_json(&self) -> DevicePlanJson<'_> {
        DevicePlanJson {
            device: &self.device,
            changed: self.has_changes(),
            commands: self
                .lines()
                .map(|line| redact::line(&line).into_owned())
                .collect(),
            diff: redact::text(&self.diff),
            notes: &self.notes,
            manages: self.manages,
            unmanaged_lines: self.unmanaged_lines,
            tolerated_lines: self.tolerated_lines,
            management_lines: self.management_lines,
        }
    }
}

/// Plans `running` → `intended` as `liaison diff` does: the intended text
/// is the whole truth, the management plane left alone. Both are config
/// texts of the default platform ([`Platform::default`]), from switches
/// with its fallback port defaults.
pub fn diff_texts(running: &str, intended: &str) -> Result<Vec<String>, crate::config::ParseError> {
    let platform = Platform::default();
    let dialect = platform
        .dialect()
        .ok_or_else(|| crate::config::ParseError::unreadable(platform))?;
    diff_texts_with(
        running,
        intended,
        Sides::same(dialect.fallback_port_defaults()),
    )
}

/// [`diff_texts`] for configs of switches with the given port defaults.
pub fn diff_texts_with(
    running: &str,
    intended: &str,
    defaults: Sides,
) -> Result<Vec<String>, crate::config::ParseError> {
    diff_texts_managing(running, intended, defaults, Management::default())
}

/// [`diff_texts_with`] with the given management-plane policy; the
/// commands whether or not they are `refused` (see [`plan_device`]).
pub fn diff_texts_managing(
    running: &str,
    intended: &str,
    defaults: Sides,
    management: Management<'_>,
) -> Result<Vec<String>, crate::config::ParseError> {
    let platform = Platform::default();
    let plan = plan_device(Request {
        device: "device",
        platform,
        running: crate::config::parse(running, platform)?,
        intended: crate::config::parse(intended, platform)?,
        labels: ("running", "intended"),
        scope: Scope::Whole,
        tolerated: &[],
        defaults,
        management,
    });
    Ok(plan.lines().collect())
}

//! The management plane in a plan: which top-level sections decide who
//! reaches the switch and how (left alone unless management changes are
//! allowed), and which commands would cut the SSH session liaison sits
//! on. Generic, driven by a platform's [`ManagementRules`] (data,
//! docs/plan-internals.md "Remediation rules as data").

use crate::config::{ConfigTree, Node};
use crate::plan::{Command, Session};
use crate::platform::Remediator;
use std::collections::{BTreeMap, HashMap};

/// A platform's management plane, as data.
pub struct ManagementRules {
    /// The top-level commands that are the management plane: each matches
    /// the command (negated or not) or a section it opens, by whole words
    /// (a last word ending in `*`: any word starting so), with what it is,
    /// for notes.
    pub sections: &'static [(&'static str, &'static str)],
    /// Prefixes of sections that management-plane lines name (the ACL of
    /// a vty's `access-class`): they belong to the management plane too,
    /// transitively.
    pub referenced: &'static [&'static str],
    /// The command that removes a login user: this prefix and the user.
    pub remove_user: &'static str,
    /// The commands that turn the SSH server on: negated, they cut the
    /// session.
    pub ssh: &'static [&'static str],
    /// Sections of the SSH server whose admin-down line
    /// ([`crate::plan::remediate::RemediationRules::admin`]) turns SSH off (`management ssh` …
    /// `shutdown`).
    pub ssh_sections: &'static [&'static str],
    /// How the management VRF is named: fixed by the platform, or as the
    /// management port says (then [`VRF_NAME`] in a pattern here stands
    /// for each name it has).
    pub vrf_name: VrfName,
    /// The management VRF's section header (`vrf context management`).
    pub vrf: &'static str,
    /// Prefixes of a route line of the management VRF's section
    /// (`ip route `), followed by its destination.
    pub routes: &'static [&'static str],
    /// Prefixes of a top-level route line of the management VRF, where a
    /// platform writes its VRF routes at the top level (`ip route vrf
    /// MGMT `), followed by its destination.
    pub top_routes: &'static [&'static str],
    /// The management interface's section header (`interface mgmt0`; a
    /// last word ending in `*`: every port so named).
    pub interface: &'static str,
    /// Prefixes of the lines of the management interface that take its
    /// address away (besides the admin state going down).
    pub address_cut: &'static [&'static str],
    /// The line that sets the management interface's address
    /// (`ip address `), followed by address/length.
    pub address: &'static str,
}

/// How a platform names its management VRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VrfName {
    /// One name, written in the patterns themselves (NX-OS `management`).
    Fixed,
    /// Any name: the one `assumed` where nothing says otherwise, and each
    /// VRF a management port is put in by its line `port_line NAME`
    /// (EOS: `vrf MGMT` under `interface Management1`).
    FromPort {
        assumed: &'static str,
        port_line: &'static str,
    },
}

/// What stands for the management VRF's name in the patterns of
/// [`ManagementRules`] ([`VrfName::FromPort`]).
pub const VRF_NAME: &str = "{vrf}";

/// The names the management VRF has in `trees`: none to fill in where the
/// platform fixes it; else the assumed one and every VRF a management
/// port of `trees` is in.
pub fn vrf_names(platform: &dyn Remediator, trees: &[&ConfigTree<'_>]) -> Vec<String> {
    let m = &platform.rules().management;
    let VrfName::FromPort { assumed, port_line } = m.vrf_name else {
        return Vec::new();
    };
    let mut names = vec![assumed.to_string()];
    let ports = trees
        .iter()
        .flat_map(|t| t.nodes.iter())
        .filter(|n| words_match("", &n.text, m.interface));
    for line in ports.flat_map(|n| n.children.iter()) {
        if let Some(name) = line.text.strip_prefix(port_line) {
            if !name.is_empty() && !name.contains(' ') && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// Why `intended` puts an interface other than a management port into
/// the management VRF (`vrf OOB` under `interface Vlan110`, where a
/// management port is in `OOB`), or None: user traffic would share the VRF
/// liaison reaches the switches through, and reach every switch's
/// management address. Where the platform fixes the name, `check`
/// refuses such a VRF first (E140).
pub fn in_management_vrf(
    platform: &dyn Remediator,
    intended: &ConfigTree<'_>,
    vrfs: &[String],
) -> Option<String> {
    let rules = platform.rules();
    let m = &rules.management;
    let VrfName::FromPort { port_line, .. } = m.vrf_name else {
        return None;
    };
    intended
        .nodes
        .iter()
        .filter(|n| n.text.starts_with(rules.interface) && !words_match("", &n.text, m.interface))
        .find_map(|n| {
            let vrf = n
                .children
                .iter()
                .find_map(|c| c.text.strip_prefix(port_line))?;
            vrfs.iter().any(|v| v == vrf).then(|| format!(
                "`{}` is in VRF `{vrf}`, the management VRF of this switch (its management port is in it, or nothing says otherwise and it is the one liaison assumes): user traffic there would reach every switch's management address; put the segment or link in a VRF of its own",
                n.text
            ))
        })
}

/// `pattern` for each of the management VRF's `names` where it holds
/// [`VRF_NAME`]; else `pattern` itself.
fn expand(pattern: &str, names: &[String]) -> Vec<String> {
    match pattern.contains(VRF_NAME) {
        true => names.iter().map(|n| pattern.replace(VRF_NAME, n)).collect(),
        false => vec![pattern.to_string()],
    }
}

fn expand_all(patterns: &[&str], names: &[String]) -> Vec<String> {
    patterns.iter().flat_map(|p| expand(p, names)).collect()
}

fn starts_with_any(text: &str, prefixes: &[impl AsRef<str>]) -> bool {
    prefixes.iter().any(|p| text.starts_with(p.as_ref()))
}

fn last_word(text: &str) -> &str {
    text.rsplit(' ').next().unwrap_or(text)
}

/// Whether `text` (negated or not) is the command `prefix` or a section
/// it opens, by whole words; a `prefix` ending in `*` ends in any word
/// that starts so (`interface Management*`: `interface Management1/1`).
fn words_match(negation: &str, text: &str, prefix: &str) -> bool {
    let stem = text.strip_prefix(negation).unwrap_or(text);
    let (prefix, any_end) = match prefix.strip_suffix('*') {
        Some(prefix) => (prefix, true),
        None => (prefix, false),
    };
    stem.strip_prefix(prefix).is_some_and(|rest| {
        let rest = if any_end {
            rest.trim_start_matches(|c| c != ' ')
        } else {
            rest
        };
        rest.is_empty() || rest.starts_with(' ')
    })
}

/// The top-level sections of `trees` that are the management plane, by
/// key, each with what it is: those of [`ManagementRules::sections`] (for
/// each of the management VRF's `names`, [`vrf_names`]) and,
/// transitively, the sections of [`ManagementRules::referenced`] they
/// name (`used by `line vty``).
pub fn management_keys(
    platform: &dyn Remediator,
    trees: &[&ConfigTree<'_>],
    names: &[String],
) -> BTreeMap<String, String> {
    let rules = platform.rules();
    let management = &rules.management;
    let sections: Vec<(String, &str)> = management
        .sections
        .iter()
        .flat_map(|(prefix, what)| expand(prefix, names).into_iter().map(move |p| (p, *what)))
        .collect();
    let kind = |text: &str| {
        sections
            .iter()
            .find(|(prefix, _)| words_match(rules.negation, text, prefix))
            .map(|(_, what)| *what)
    };
    let nodes: Vec<&Node> = trees.iter().flat_map(|t| t.nodes.iter()).collect();
    let mut keys = BTreeMap::new();
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
                kind(&node.text).map(str::to_string)
            } else {
                None
            };
            let what = what.or_else(|| {
                if !starts_with_any(&node.text, management.referenced) {
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
            keys.entry(platform.key(None, &node.text).into_owned())
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
/// a route of it that nothing in `intended` still covers, or take the
/// management interface down or off the address liaison connects to — or
/// None. `vrfs`: the management VRF's names ([`vrf_names`] of the
/// running and intended configs).
pub fn cuts_own_session(
    platform: &dyn Remediator,
    commands: &[Command],
    intended: &ConfigTree<'_>,
    session: &Session<'_>,
    vrfs: &[String],
) -> Option<String> {
    let rules = platform.rules();
    let m = &rules.management;
    let vrf_headers = expand(m.vrf, vrfs);
    let (routes, top_routes) = (expand_all(m.routes, vrfs), expand_all(m.top_routes, vrfs));
    let route_prefix = |prefixes: &[String], text: &str| -> Option<ipnetwork::IpNetwork> {
        let rest = prefixes
            .iter()
            .find_map(|p| text.strip_prefix(p.as_str()))?;
        rest.split(' ').next()?.parse().ok()
    };
    let in_section = intended
        .nodes
        .iter()
        .filter(|n| vrf_headers.iter().any(|h| *h == n.text))
        .flat_map(|n| n.children.iter())
        .filter_map(|line| route_prefix(&routes, &line.text));
    let at_top = intended
        .nodes
        .iter()
        .filter_map(|n| route_prefix(&top_routes, &n.text));
    let kept_routes: Vec<ipnetwork::IpNetwork> = in_section.chain(at_top).collect();
    // Why negating `text`, a route line by `prefixes`, cuts the session:
    // no route of the intended config covers its destination.
    let route_cut = |prefixes: &[String], text: &str, place: &str| {
        let removed = route_prefix(prefixes, text.strip_prefix(rules.negation)?)?;
        (!kept_routes.iter().any(|kept| covers(kept, &removed))).then(|| format!(
            "`{text}`{place} removes a route of the management VRF, and no route of the intended config covers {removed}: the SSH session may arrive over it"
        ))
    };
    let negated = |line: &str| format!("{}{line}", rules.negation);
    let no_vrf: Vec<String> = vrf_headers.iter().map(|h| negated(h)).collect();
    // A management port's section, by its header (`*`: any port so named).
    let management_port = |header: &str| words_match("", header, m.interface);
    let mut section = String::new();
    for command in commands {
        // Refusals are printed: no password hash or key in them.
        let shown = crate::plan::redact::line(&command.text);
        let text: &str = &shown;
        if command.depth == 0 {
            section = text.to_string();
            if let (Some(user), Some(rest)) = (session.user, text.strip_prefix(m.remove_user)) {
                if rest.split(' ').next() == Some(user) {
                    return Some(format!(
                        "`{text}` removes the user `{user}` liaison logs in as, or its key"
                    ));
                }
            }
            if m.ssh
                .iter()
                .any(|on| negated(on) == text || format!("{}{on}", rules.reset_port) == text)
            {
                return Some(format!(
                    "`{text}` turns off SSH, which liaison connects through"
                ));
            }
            if no_vrf.iter().any(|n| n == text) {
                return Some(format!(
                    "`{text}` removes the management VRF liaison connects through"
                ));
            }
            let erased = [rules.negation, rules.reset_port]
                .iter()
                .any(|how| text.strip_prefix(how).is_some_and(management_port));
            if erased {
                return Some(format!(
                    "`{text}` erases the management interface liaison connects to"
                ));
            }
            if let Some(why) = route_cut(&top_routes, text, "") {
                return Some(why);
            }
            continue;
        }
        if m.ssh_sections.contains(&section.as_str()) && text == rules.admin {
            return Some(format!(
                "`{text}` in `{section}` turns off SSH, which liaison connects through"
            ));
        }
        if vrf_headers.contains(&section) {
            if let Some(why) = route_cut(&routes, text, &format!(" in `{section}`")) {
                return Some(why);
            }
        }
        if management_port(&section) {
            let mgmt = section.strip_prefix(rules.interface).unwrap_or(&section);
            if text == rules.admin || starts_with_any(text, m.address_cut) {
                return Some(format!(
                    "`{text}` on {mgmt} cuts the address liaison connects to"
                ));
            }
            if let (Some(address), Some(network)) = (
                session.address,
                text.strip_prefix(m.address)
                    .and_then(|a| a.split(' ').next())
                    .and_then(|a| a.parse::<ipnetwork::IpNetwork>().ok()),
            ) {
                if network.ip() != address {
                    return Some(format!(
                        "`{text}` moves {mgmt} off {address}, the address liaison connects to"
                    ));
                }
            }
        }
    }
    None
}

fn covers(outer: &ipnetwork::IpNetwork, inner: &ipnetwork::IpNetwork) -> bool {
    outer.prefix() <= inner.prefix() && outer.contains(inner.network())
}

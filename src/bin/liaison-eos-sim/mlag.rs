//! `show mlag`, `show mlag interfaces` and `show mlag config-sanity`: the
//! state of the device's MLAG pair, derived from its own running config and
//! its peer's.
//!
//! The peer is the other device of the state directory whose `mlag
//! configuration` has the same `domain-id` and whose `local-interface`
//! address is this one's `peer-address` (and the other way round): what the
//! peer VLAN over the peer-link would reach. The cabling itself is not
//! modelled: every port a config bundles is taken as cabled and up.
//!
//! The MLAG comes up (`state: Active`, `negotiation status: Connected`)
//! when both members have, as the Arista EOS User Manual's MLAG chapter
//! ("Configuring MLAG") requires: the same domain id; a local interface (an
//! SVI of an existing VLAN, enabled, with an address) that is the other's
//! peer address; and a peer-link port-channel that is up and carries that
//! VLAN (a VLAN in a trunk group is carried only by trunks of that group,
//! "Trunk groups"). Otherwise it stays `Inactive`, `Connecting`; with no
//! `mlag configuration` (or one `shutdown`) it is `Disabled`.
//!
//! An MLAG port (a port-channel with `mlag N`) is `active-full` when the
//! port-channels of both members with that number are up (enabled, with an
//! enabled member port), `active-partial` when one is, `inactive` when
//! neither is. The `mlag_restore_ms` fault keeps a member's own ports down
//! for that long after its config last changed (a reload delay, an LACP
//! negotiation that takes its time).
//!
//! The members' roles (`show mlag detail`'s `State`, `primary` or
//! `secondary`): the member with the lower system MAC is the primary, as
//! EOS elects when a pair first negotiates (Arista's MLAG configuration
//! guide for EOS 4.7.3: the `primary-priority` values "are only used when
//! the MLAG pair negotiates for the first time"; a public study card of
//! Arista's MLAG course, "Initially, switch with the lowest system MAC is
//! elected MLAG primary";
//! in the cEOS snapshots below the primary EAPI-CL01A's MAC,
//! 50:01:00:68:b4:46, is below its secondary's, 50:01:00:69:bd:bc). A
//! switch's MAC is `system_mac` in `NAME.factory`, else one derived from
//! its name (GUESS: 00:1c:73, an Arista OUI, then three bytes of a hash).
//! GUESSES: EOS keeps the roles it elected until a failover (they are not
//! preemptive), where the simulator, which keeps no MLAG state, elects
//! again on every question; `primary-priority` is not modelled (liaison's
//! templates do not set it, and AVD's `mlag_configuration` has no key for
//! it).
//!
//! Layout, from real devices' output: `show mlag` of EOS 4.2x
//! (titom73/avd-to-containerlab's cEOS snapshots, `show mlag detail` of
//! EAPI-CL01B (active) and EAPI-AGG01 (disabled): 35-column labels, values
//! right-aligned in 20, blocks `MLAG Configuration:`, `MLAG Status:`, `MLAG
//! Ports:`, headers and separator lines padded with spaces); ntc-templates'
//! `tests/arista_eos/show_mlag/arista_eos_show_mlag.raw` (an older release,
//! 20-column labels, `Inactive` / `Connecting` / `Lowerlayerdown`, copied
//! to tests/fixtures/eos-show/); `show mlag interfaces` as public lab
//! write-ups print it (columns `mlag desc state local remote status`,
//! `active-full ... Po10 Po10 up/up`, `inactive ... down/down`), and
//! `show mlag config-sanity` of a consistent pair ("No global configuration
//! inconsistencies found." / "No per interface configuration
//! inconsistencies found.", the same snapshots). GUESSES, marked where
//! used: the width of the `desc` column, the state `configured` (and its
//! status) of a port while the MLAG is not active, the table
//! `config-sanity` prints for an inconsistency and the settings it
//! compares, the system id, and what `config-sanity` says while the MLAG is
//! not active.

use std::fs;
use std::time::Duration;

use crate::command::short_interface;
use crate::config::{load, Config, Node};
use crate::sim::faults::Faults;
use crate::sim::state::Store;
use crate::sim::vlans::{self, VlanSet};

/// The settings of `mlag configuration`.
struct Domain {
    id: String,
    local_interface: String,
    peer_address: String,
    peer_link: String,
    shutdown: bool,
}

/// The value of the child `key VALUE` of `node`.
fn value<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.children
        .iter()
        .find_map(|c| c.line.strip_prefix(key)?.strip_prefix(' '))
}

fn has(node: &Node, line: &str) -> bool {
    node.children.iter().any(|c| c.line == line)
}

fn domain(config: &Config) -> Option<Domain> {
    let node = config
        .nodes
        .iter()
        .find(|n| n.line == "mlag configuration")?;
    let get = |key| value(node, key).unwrap_or("").to_string();
    Some(Domain {
        id: get("domain-id"),
        local_interface: get("local-interface"),
        peer_address: get("peer-address"),
        peer_link: get("peer-link"),
        shutdown: has(node, "shutdown"),
    })
}

fn interface<'c>(config: &'c Config, name: &str) -> Option<&'c Node> {
    let line = format!("interface {name}");
    config.nodes.iter().find(|n| n.line == line)
}

/// Whether port-channel `name` is up: enabled, with an enabled member.
fn port_channel_up(config: &Config, name: &str) -> bool {
    let Some(number) = name.strip_prefix("Port-Channel") else {
        return false;
    };
    let Some(node) = interface(config, name) else {
        return false;
    };
    let member = format!("channel-group {number} mode ");
    !has(node, "shutdown")
        && config.nodes.iter().any(|n| {
            n.line.starts_with("interface Ethernet")
                && !has(n, "shutdown")
                && n.children.iter().any(|c| c.line.starts_with(&member))
        })
}

/// The VLAN of SVI `name` (`Vlan4094`), when it exists, is enabled and
/// has an address: that address.
fn svi_address(config: &Config, name: &str) -> Option<(u16, String)> {
    let vlan: u16 = name.strip_prefix("Vlan")?.parse().ok()?;
    let node = interface(config, name)?;
    if has(node, "shutdown")
        || !config
            .nodes
            .iter()
            .any(|n| n.line == format!("vlan {vlan}"))
    {
        return None;
    }
    let address = value(node, "ip address")?.split('/').next()?.to_string();
    Some((vlan, address))
}

/// The VLANs a Layer 2 port allows (all when it states none), `none`
/// for an access port's.
fn allowed(node: &Node) -> VlanSet {
    if value(node, "switchport mode") != Some("trunk") {
        let access = value(node, "switchport access vlan").and_then(|v| v.parse().ok());
        return [access.unwrap_or(1)].into_iter().collect();
    }
    match value(node, "switchport trunk allowed vlan") {
        None => vlans::all(),
        Some("none") => VlanSet::new(),
        Some(list) => vlans::parse(list).unwrap_or_else(|_| vlans::all()),
    }
}

/// Whether port `name` carries `vlan`: allowed on it, and, for a VLAN in
/// trunk groups, the port in one of them.
fn carries(config: &Config, name: &str, vlan: u16) -> bool {
    let Some(port) = interface(config, name) else {
        return false;
    };
    if has(port, "no switchport") || !allowed(port).contains(vlan) {
        return false;
    }
    let groups: Vec<&str> = config
        .nodes
        .iter()
        .find(|n| n.line == format!("vlan {vlan}"))
        .map(|v| {
            v.children
                .iter()
                .filter_map(|c| c.line.strip_prefix("trunk group "))
                .collect()
        })
        .unwrap_or_default();
    groups.is_empty()
        || groups
            .iter()
            .any(|g| has(port, &format!("switchport trunk group {g}")))
}

/// This member's side of the pair, when it can form one: its domain, its
/// local address, and whether its peer-link is up and its local interface
/// up.
struct Side {
    domain: Domain,
    address: Option<String>,
    peer_link_up: bool,
}

/// `link_down`: the `peer_link_down` fault.
fn side(config: &Config, link_down: bool) -> Option<Side> {
    let domain = domain(config).filter(|d| !d.shutdown)?;
    let local = svi_address(config, &domain.local_interface);
    let peer_link_up = !link_down && port_channel_up(config, &domain.peer_link);
    let address = local
        .filter(|(vlan, _)| peer_link_up && carries(config, &domain.peer_link, *vlan))
        .map(|(_, address)| address);
    Some(Side {
        domain,
        address,
        peer_link_up,
    })
}

/// The peer: its name, config and system MAC.
struct Peer {
    name: String,
    config: Config,
    mac: [u8; 6],
}

/// Device `name`'s system MAC (see the module comment).
fn system_mac(store: &Store, name: &str) -> Result<[u8; 6], String> {
    let path = store.dir.join(format!("{name}.factory"));
    let hardware = crate::cli::read_factory(&path).map_err(|e| format!("% {name}.factory: {e}"))?;
    Ok(hardware.system_mac.unwrap_or_else(|| {
        let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        let [a, b, c, _] = hash.to_be_bytes();
        [0x00, 0x1c, 0x73, a, b, c]
    }))
}

fn format_mac(mac: [u8; 6]) -> String {
    mac.map(|b| format!("{b:02x}")).join(":")
}

/// The device that forms the pair with `own` (see the module comment).
fn find_peer(store: &Store, own: &Side) -> Result<Option<Peer>, String> {
    let Some(address) = own.address.as_deref() else {
        return Ok(None);
    };
    for name in store.other_devices() {
        let path = store.dir.join(format!("{name}.cfg"));
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains("\nmlag configuration\n") {
            continue;
        }
        let config = load(&text);
        let faults = Faults::read(&store.dir.join(format!("{name}.faults")))
            .map_err(|e| format!("% {name}.faults: {e}"))?;
        let Some(theirs) = side(&config, faults.peer_link_down) else {
            continue;
        };
        if theirs.domain.id == own.domain.id
            && theirs.address.as_deref() == Some(own.domain.peer_address.as_str())
            && theirs.domain.peer_address == address
        {
            let mac = system_mac(store, &name)?;
            return Ok(Some(Peer { name, config, mac }));
        }
    }
    Ok(None)
}

/// One MLAG port as `show mlag interfaces` lists it.
struct PortRow {
    id: u32,
    description: String,
    state: &'static str,
    local: String,
    remote: String,
    status: String,
}

/// One line of `show mlag config-sanity`'s tables (a guess at them).
struct Issue {
    feature: &'static str,
    attribute: String,
    interface: Option<String>,
    local: String,
    peer: String,
}

/// The pair's state from this device's side.
pub struct Mlag {
    domain: Option<Domain>,
    state: &'static str,
    negotiation: &'static str,
    peer_link: &'static str,
    local_int: &'static str,
    system_id: String,
    active: bool,
    /// `show mlag detail`'s `State` and `Peer State`.
    role: &'static str,
    /// The member took over as primary when its peer-link failed.
    failover: bool,
    peer_role: &'static str,
    peer_mac: String,
    ports: Vec<PortRow>,
    global: Vec<Issue>,
    per_interface: Vec<Issue>,
}

/// The port-channels with `mlag N`, by number: (N, name, node).
fn mlag_ports(config: &Config) -> Vec<(u32, String, &Node)> {
    let mut ports: Vec<(u32, String, &Node)> = config
        .nodes
        .iter()
        .filter_map(|n| {
            let name = n.line.strip_prefix("interface Port-Channel")?;
            let id = value(n, "mlag")?.parse().ok()?;
            Some((id, format!("Port-Channel{name}"), n))
        })
        .collect();
    ports.sort_by_key(|(id, _, _)| *id);
    ports
}

/// A stand-in for the pair's system id (GUESS: EOS derives it from a
/// member's system MAC with the locally administered bit set,
/// `02:1c:73:…`); the same on both members, from the domain id.
fn system_id(seed: &str) -> String {
    let hash = seed.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let [a, b, c, _] = hash.to_be_bytes();
    format!("02:1c:73:{a:02x}:{b:02x}:{c:02x}")
}

/// The global settings both members must agree on (GUESS at what
/// `config-sanity` compares): spanning-tree mode and MST region, the
/// virtual router MAC.
fn global_settings(config: &Config) -> Vec<(&'static str, &'static str, String)> {
    let top = |prefix: &str| {
        config
            .nodes
            .iter()
            .find_map(|n| n.line.strip_prefix(prefix))
            .map(str::to_string)
    };
    let mst = config
        .nodes
        .iter()
        .find(|n| n.line == "spanning-tree mst configuration");
    let mst_value = |key: &str| mst.and_then(|m| value(m, key)).unwrap_or("").to_string();
    vec![
        (
            "stp",
            "mode",
            top("spanning-tree mode ").unwrap_or_else(|| "mstp".into()),
        ),
        ("stp", "mst-region-name", mst_value("name")),
        ("stp", "mst-region-revision", mst_value("revision")),
        (
            "varp",
            "mac-address",
            top("ip virtual-router mac-address ").unwrap_or_default(),
        ),
    ]
}

/// The settings of an MLAG port both members must agree on (GUESS).
fn port_settings(node: &Node) -> Vec<(&'static str, String)> {
    let get = |key| value(node, key).unwrap_or("").to_string();
    vec![
        (
            "switchport-mode",
            value(node, "switchport mode")
                .unwrap_or("access")
                .to_string(),
        ),
        ("allowed-vlans", vlans::format(&allowed(node))),
        ("native-vlan", get("switchport trunk native vlan")),
        ("mtu", get("mtu")),
    ]
}

impl Mlag {
    /// The pair's state from the side of `store`'s device, whose running
    /// config is `own`. `restore`: the `mlag_restore_ms` fault.
    /// `faults`: the device's (`mlag_restore_ms`, `peer_link_down`). Err: a
    /// factory or fault file that cannot be read.
    pub fn of(store: &Store, own: &Config, faults: &Faults) -> Result<Mlag, String> {
        let restore = Duration::from_millis(faults.mlag_restore_ms);
        let unknown_mac = format_mac([0; 6]);
        let Some(mine) = side(own, faults.peer_link_down) else {
            return Ok(Mlag {
                domain: domain(own),
                state: "Disabled",
                negotiation: "",
                peer_link: "",
                local_int: "",
                system_id: "00:00:00:00:00:00".into(),
                active: false,
                role: "disabled",
                failover: false,
                peer_role: "unknown",
                peer_mac: unknown_mac,
                ports: Vec::new(),
                global: Vec::new(),
                per_interface: Vec::new(),
            });
        };
        let peer = find_peer(store, &mine)?;
        let failover = peer.is_none() && faults.peer_link_down;
        let (role, peer_role) = match &peer {
            Some(p) if system_mac(store, &store.device)? < p.mac => ("primary", "secondary"),
            Some(_) => ("secondary", "primary"),
            // A failed peer-link: the secondary takes over as primary
            // (aristaeos.blogspot.com, "MLAG (2) - Dual-Primary
            // Detection"), so both are; GUESS: the peer's state unknown.
            None if failover => ("primary", "unknown"),
            // GUESS: a configured MLAG without a peer.
            None => ("inactive", "unknown"),
        };
        let active = peer.is_some();
        let local_up = svi_address(own, &mine.domain.local_interface).is_some();
        let settled = fs::metadata(store.config_path())
            .and_then(|m| m.modified())
            .map_or(true, |t| t.elapsed().unwrap_or_default() >= restore);
        let theirs = peer
            .as_ref()
            .map(|p| mlag_ports(&p.config))
            .unwrap_or_default();
        let mut per_interface = Vec::new();
        let ports = mlag_ports(own)
            .into_iter()
            .map(|(id, name, node)| {
                let up = settled && port_channel_up(own, &name);
                let description = value(node, "description").unwrap_or("").to_string();
                let local = short_interface(&name);
                let updown = |up: bool| if up { "up" } else { "down" };
                let Some(peer) = &peer else {
                    // GUESS: while the MLAG is not active its ports are
                    // listed as configured, the peer's side unknown.
                    return PortRow {
                        id,
                        description,
                        state: "configured",
                        local,
                        remote: String::new(),
                        status: format!("{}/-", updown(up)),
                    };
                };
                let remote = theirs.iter().find(|(theirs, _, _)| *theirs == id);
                let remote_up =
                    remote.is_some_and(|(_, name, _)| port_channel_up(&peer.config, name));
                if let Some((_, _, theirs)) = remote {
                    for ((attribute, a), (_, b)) in
                        port_settings(node).into_iter().zip(port_settings(theirs))
                    {
                        if a != b {
                            per_interface.push(Issue {
                                feature: "bridging",
                                attribute: attribute.to_string(),
                                interface: Some(name.clone()),
                                local: a,
                                peer: b,
                            });
                        }
                    }
                }
                PortRow {
                    id,
                    description,
                    state: match (up, remote_up) {
                        (true, true) => "active-full",
                        (false, false) => "inactive",
                        _ => "active-partial",
                    },
                    local,
                    remote: remote
                        .map(|(_, name, _)| short_interface(name))
                        .unwrap_or_default(),
                    status: format!("{}/{}", updown(up), updown(remote_up)),
                }
            })
            .collect();
        let global = match &peer {
            Some(p) => global_settings(own)
                .into_iter()
                .zip(global_settings(&p.config))
                .filter(|(a, b)| a.2 != b.2)
                .map(|(a, b)| Issue {
                    feature: a.0,
                    attribute: a.1.to_string(),
                    interface: None,
                    local: a.2,
                    peer: b.2,
                })
                .collect(),
            None => Vec::new(),
        };
        let seed = match &peer {
            Some(p) => format!(
                "{}:{}",
                mine.domain.id,
                p.name.clone().min(store.device.clone())
            ),
            None => store.device.clone(),
        };
        Ok(Mlag {
            role,
            peer_role,
            peer_mac: peer.as_ref().map_or(unknown_mac, |p| format_mac(p.mac)),
            // GUESS: a primary after a failover stays `Active`.
            state: if active || failover {
                "Active"
            } else {
                "Inactive"
            },
            failover,
            negotiation: if active { "Connected" } else { "Connecting" },
            peer_link: if mine.peer_link_up {
                "Up"
            } else {
                "Lowerlayerdown"
            },
            local_int: if local_up { "Up" } else { "Down" },
            system_id: system_id(&seed),
            active,
            domain: Some(mine.domain),
            ports,
            global,
            per_interface,
        })
    }

    /// `show mlag detail`: `show mlag`, then the detailed status, of which
    /// the simulator models the roles and the peer's MAC (labels padded
    /// to 32 columns, values right-aligned three columns wider than the
    /// longest, as in the snapshots; the other lines are left out).
    pub fn detail(&self) -> Vec<String> {
        let rows = [
            ("State", self.role),
            ("Peer State", self.peer_role),
            ("Failover", if self.failover { "True" } else { "False" }),
            ("Peer MAC address", self.peer_mac.as_str()),
        ];
        let width = rows.iter().map(|(_, v)| v.len()).max().unwrap_or(0) + 3;
        let mut out = self.show();
        out.push(String::new());
        out.push("MLAG Detailed Status:".to_string());
        out.extend(
            rows.iter()
                .map(|(label, value)| format!("{label:<32}:{value:>width$}")),
        );
        out
    }

    /// `show mlag`, as EOS 4.2x prints it.
    pub fn show(&self) -> Vec<String> {
        let header = |title: &str| format!("{title:<34}");
        let label = |name: &str, value: &str| format!("{name:<35}:{value:>20}");
        let separator = " ".repeat(56);
        let d = self.domain.as_ref();
        let field = |f: fn(&Domain) -> &String| d.map_or(String::new(), |d| f(d).clone());
        let peer_config = match (self.active, self.consistent()) {
            (false, _) => "",
            (true, true) => "consistent",
            (true, false) => "inconsistent",
        };
        let peer_address = match field(|d| &d.peer_address) {
            a if a.is_empty() => "0.0.0.0".to_string(),
            a => a,
        };
        let count = |state: &str| {
            self.ports
                .iter()
                .filter(|p| p.state == state)
                .count()
                .to_string()
        };
        vec![
            header("MLAG Configuration:"),
            label("domain-id", &field(|d| &d.id)),
            label("local-interface", &field(|d| &d.local_interface)),
            label("peer-address", &peer_address),
            label("peer-link", &field(|d| &d.peer_link)),
            label("peer-config", peer_config),
            separator.clone(),
            header("MLAG Status:"),
            label("state", self.state),
            label("negotiation status", self.negotiation),
            label("peer-link status", self.peer_link),
            label("local-int status", self.local_int),
            label("system-id", &self.system_id),
            label("dual-primary detection", "Disabled"),
            label("dual-primary interface errdisabled", "False"),
            separator,
            header("MLAG Ports:"),
            label("Disabled", &count("disabled")),
            label("Configured", &count("configured")),
            label("Inactive", &count("inactive")),
            label("Active-partial", &count("active-partial")),
            label("Active-full", &count("active-full")),
        ]
    }

    fn consistent(&self) -> bool {
        self.global.is_empty() && self.per_interface.is_empty()
    }

    /// `show mlag interfaces`: one row per MLAG port, the values
    /// right-aligned under their headers as in the public outputs; the
    /// `desc` column widens with the longest description (GUESS at how
    /// much).
    pub fn interfaces(&self) -> Vec<String> {
        let longest = self
            .ports
            .iter()
            .map(|p| p.description.len())
            .max()
            .unwrap_or(0);
        let w = (longest + 6).max(10);
        let (state_end, local_end, remote_end, status_end) = (w + 26, w + 38, w + 51, w + 67);
        let mut out = vec![format!("{:>status_end$}", "local/remote")];
        let mut header = "   mlag       desc".to_string();
        for (text, end) in [
            ("state", state_end),
            ("local", local_end),
            ("remote", remote_end),
            ("status", status_end),
        ] {
            right(&mut header, text, end);
        }
        out.push(header);
        out.push(
            [
                "-".repeat(10),
                "-".repeat(w),
                "-".repeat(17),
                "-".repeat(11),
                "-".repeat(12),
                "-".repeat(12),
            ]
            .join(" "),
        );
        for port in &self.ports {
            let mut line = format!("{:>7}       {}", port.id, port.description);
            right(&mut line, port.state, state_end);
            right(&mut line, &port.local, local_end);
            right(&mut line, &port.remote, remote_end);
            right(&mut line, &port.status, status_end);
            out.push(line.trim_end().to_string());
        }
        out
    }

    /// `show mlag config-sanity`: a line for each kind found consistent
    /// first, then a table for each kind that is not, blank lines between
    /// (the layout of a public vEOS 4.33 lab write-up's inconsistent pair:
    /// "No per interface configuration inconsistencies found.", then
    /// "Global configuration inconsistencies:" and its table).
    pub fn config_sanity(&self) -> Vec<String> {
        if !self.active {
            // GUESS at the wording.
            return vec!["MLAG is not active; no configuration was compared.".to_string()];
        }
        let mut found = Vec::new();
        let mut tables = Vec::new();
        for (issues, none, title, interfaces) in [
            (
                &self.global,
                "No global configuration inconsistencies found.",
                "Global configuration inconsistencies:",
                false,
            ),
            (
                &self.per_interface,
                "No per interface configuration inconsistencies found.",
                // GUESS: the per-interface table's title.
                "Interface configuration inconsistencies:",
                true,
            ),
        ] {
            if issues.is_empty() {
                found.push(vec![none.to_string()]);
            } else {
                let mut lines = vec![title.to_string()];
                lines.extend(table(issues, interfaces));
                tables.push(lines);
            }
        }
        found
            .into_iter()
            .chain(tables)
            .collect::<Vec<_>>()
            .join(&String::new())
    }
}

/// `text` right-aligned to end at column `end` of `line` (one space at
/// least after what the line holds).
fn right(line: &mut String, text: &str, end: usize) {
    let start = end.saturating_sub(text.len()).max(line.len() + 1);
    line.push_str(&" ".repeat(start - line.len()));
    line.push_str(text);
}

/// A `config-sanity` table, as the write-up shows one: a header, dashes
/// as wide as each column, the cells right-aligned three columns short of
/// their column's end (the last column's flush), one space between
/// columns. GUESSES: the widths (the longest cell or label, plus the
/// three), the per-interface table's `Interface` column.
fn table(issues: &[Issue], interfaces: bool) -> Vec<String> {
    let mut header = vec!["Feature", "Attribute"];
    if interfaces {
        header.push("Interface");
    }
    header.extend(["Local value", "Peer value"]);
    let rows: Vec<Vec<&str>> = issues
        .iter()
        .map(|issue| {
            let mut cells = vec![issue.feature, issue.attribute.as_str()];
            if let Some(interface) = &issue.interface {
                cells.push(interface);
            }
            cells.extend([issue.local.as_str(), issue.peer.as_str()]);
            cells
        })
        .collect();
    let last = header.len() - 1;
    let widths: Vec<usize> = (0..header.len())
        .map(|k| {
            let longest = rows
                .iter()
                .map(|r| r[k].len())
                .chain([header[k].len()])
                .max()
                .unwrap_or(0);
            longest + if k == last { 0 } else { 3 }
        })
        .collect();
    let line = |cells: &[&str]| {
        cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(k, (cell, width))| {
                let pad = if k == last { 0 } else { 3 };
                format!("{cell:>w$}{}", " ".repeat(pad), w = width - pad)
            })
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(&header)];
    out.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join(" "),
    );
    out.extend(rows.iter().map(|r| line(r)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOR1A: &str = include_str!("../../../golden/eos-example/tor1a.cfg");
    const TOR1B: &str = include_str!("../../../golden/eos-example/tor1b.cfg");

    /// A state directory with tor1a and tor1b (tor1b edited by `edit`),
    /// and `device`'s view of the pair.
    fn view(device: &str, edit: impl Fn(&str) -> String) -> Mlag {
        let dir = pair_dir(edit);
        seen_from(dir.path(), device, &Faults::default()).unwrap()
    }

    /// A state directory with tor1a and tor1b (tor1b edited by `edit`).
    fn pair_dir(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("tor1a.cfg"), TOR1A).unwrap();
        fs::write(dir.path().join("tor1b.cfg"), edit(TOR1B)).unwrap();
        dir
    }

    /// `device`'s view of the pair in state directory `dir`, with `faults`.
    fn seen_from(dir: &std::path::Path, device: &str, faults: &Faults) -> Result<Mlag, String> {
        let store = Store {
            dir: dir.to_path_buf(),
            device: device.to_string(),
        };
        let own = load(&fs::read_to_string(store.config_path()).unwrap());
        Mlag::of(&store, &own, faults)
    }

    fn line<'a>(lines: &'a [String], label: &str) -> &'a str {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{label} ")))
            .map(|l| l.split_once(':').unwrap().1.trim())
            .unwrap_or_else(|| panic!("no {label}: {lines:#?}"))
    }

    #[test]
    fn a_pair_as_the_templates_write_it_is_active_on_both() {
        for device in ["tor1a", "tor1b"] {
            let mlag = view(device, str::to_string);
            let shown = mlag.show();
            assert_eq!(line(&shown, "state"), "Active", "{shown:#?}");
            assert_eq!(line(&shown, "negotiation status"), "Connected");
            assert_eq!(line(&shown, "peer-link status"), "Up");
            assert_eq!(line(&shown, "peer-config"), "consistent");
            assert_eq!(line(&shown, "Active-full"), "3");
            let rows = mlag.interfaces();
            assert!(
                rows[3].starts_with(
                    "      1       chassis enc1: HPE Synergy frame, interconnects A/B"
                ),
                "{rows:#?}"
            );
            assert!(
                rows[3].ends_with(" active-full         Po1          Po1           up/up"),
                "{rows:#?}"
            );
            assert_eq!(
                mlag.config_sanity(),
                [
                    "No global configuration inconsistencies found.",
                    "",
                    "No per interface configuration inconsistencies found."
                ]
            );
        }
        // The system id is the pair's: the same on both members.
        assert_eq!(
            line(&view("tor1a", str::to_string).show(), "system-id"),
            line(&view("tor1b", str::to_string).show(), "system-id")
        );
    }

    #[test]
    fn show_mlag_keeps_the_layout_of_eos() {
        let shown = view("tor1a", str::to_string).show();
        assert_eq!(shown[0], "MLAG Configuration:               ");
        assert_eq!(
            shown[1],
            "domain-id                          :                 746"
        );
        assert_eq!(
            shown[3],
            "peer-address                       :         169.254.0.1"
        );
        assert_eq!(shown[6], " ".repeat(56));
        assert_eq!(shown[7], "MLAG Status:                      ");
    }

    #[test]
    fn a_different_domain_id_forms_no_pair() {
        let mlag = view("tor1a", |t| t.replace("domain-id 746", "domain-id 747"));
        let shown = mlag.show();
        assert_eq!(line(&shown, "state"), "Inactive");
        assert_eq!(line(&shown, "negotiation status"), "Connecting");
        assert_eq!(line(&shown, "peer-config"), "");
        assert_eq!(line(&shown, "Configured"), "3");
        let row: Vec<String> = mlag.interfaces()[3]
            .split_whitespace()
            .rev()
            .take(3)
            .map(str::to_string)
            .collect();
        assert_eq!(row, ["up/-", "Po1", "configured"]);
    }

    #[test]
    fn the_peer_vlan_must_cross_the_peer_link_in_its_trunk_group() {
        let mlag = view("tor1b", |t| {
            t.replace(
                "   switchport trunk group mlag-peer\n!\ninterface Ethernet",
                "!\ninterface Ethernet",
            )
        });
        assert_eq!(line(&mlag.show(), "state"), "Inactive");
        // Without its members the peer-link is down.
        let mlag = view("tor1b", |t| {
            t.replace(
                "channel-group 53 mode active",
                "channel-group 52 mode active",
            )
        });
        let shown = mlag.show();
        assert_eq!(line(&shown, "peer-link status"), "Lowerlayerdown");
        assert_eq!(line(&shown, "state"), "Inactive");
    }

    #[test]
    fn settings_the_members_disagree_on_are_inconsistencies() {
        let mlag = view("tor1a", |t| {
            t.replacen(
                "   switchport trunk allowed vlan 110,120,130,200,300\n   switchport mode trunk\n   mlag 1\n",
                "   switchport trunk allowed vlan 110,120\n   switchport mode trunk\n   mlag 1\n",
                1,
            )
            .replace("   name dc1\n", "   name dc2\n")
        });
        assert_eq!(line(&mlag.show(), "peer-config"), "inconsistent");
        // A one-sided setting does not take the port down.
        assert_eq!(line(&mlag.show(), "Active-full"), "3");
        let sanity = mlag.config_sanity();
        let words = |l: &String| l.split_whitespace().collect::<Vec<_>>().join(" ");
        // Both kinds inconsistent: two tables, a blank line between.
        assert_eq!(sanity[0], "Global configuration inconsistencies:");
        assert_eq!(
            words(&sanity[1]),
            "Feature Attribute Local value Peer value"
        );
        assert!(sanity[2].starts_with("----------"), "{sanity:#?}");
        assert_eq!(words(&sanity[3]), "stp mst-region-name dc1 dc2");
        // Cells end where their header label ends (right-aligned).
        let end = |line: &str, word: &str| line.find(word).unwrap() + word.len();
        assert_eq!(
            end(&sanity[1], "Attribute"),
            end(&sanity[3], "mst-region-name")
        );
        assert_eq!(end(&sanity[1], "Peer value"), end(&sanity[3], "dc2"));
        let at = sanity.iter().position(|l| l.is_empty()).unwrap();
        assert_eq!(sanity[at + 1], "Interface configuration inconsistencies:");
        assert!(
            sanity
                .iter()
                .any(|l| words(l)
                    == "bridging allowed-vlans Port-Channel1 110,120,130,200,300 110,120"),
            "{sanity:#?}"
        );
        // One kind consistent: its line first, then the other's table.
        let mlag = view("tor1a", |t| t.replace("   name dc1\n", "   name dc2\n"));
        let sanity = mlag.config_sanity();
        assert_eq!(
            sanity[..3],
            [
                "No per interface configuration inconsistencies found.",
                "",
                "Global configuration inconsistencies:"
            ]
        );
    }

    #[test]
    fn a_failed_peer_link_makes_each_member_primary() {
        let dir = pair_dir(str::to_string);
        let faults = Faults {
            peer_link_down: true,
            ..Faults::default()
        };
        fs::write(dir.path().join("tor1b.faults"), "peer_link_down = true\n").unwrap();
        for device in ["tor1a", "tor1b"] {
            let detail = seen_from(dir.path(), device, &faults).unwrap().detail();
            assert_eq!(line(&detail, "state"), "Active", "{detail:#?}");
            assert_eq!(line(&detail, "negotiation status"), "Connecting");
            assert_eq!(line(&detail, "peer-link status"), "Lowerlayerdown");
            assert_eq!(line(&detail, "State"), "primary");
            assert_eq!(line(&detail, "Peer State"), "unknown");
            assert_eq!(line(&detail, "Failover"), "True");
        }
        // tor1a without the fault does not see tor1b as its peer either
        // (the link is one link): no peer, not a failover.
        let detail = seen_from(dir.path(), "tor1a", &Faults::default())
            .unwrap()
            .detail();
        assert_eq!(line(&detail, "state"), "Inactive");
        assert_eq!(line(&detail, "State"), "inactive");
    }

    #[test]
    fn a_port_down_on_one_member_is_active_partial() {
        let mlag = view("tor1a", |t| {
            t.replacen(
                "   channel-group 1 mode active\n",
                "   shutdown\n   channel-group 1 mode active\n",
                2,
            )
        });
        assert!(
            mlag.interfaces()[3].contains(" active-partial "),
            "{:#?}",
            mlag.interfaces()
        );
        assert!(mlag.interfaces()[3].ends_with("up/down"));
        assert_eq!(line(&mlag.show(), "Active-partial"), "1");
    }

    #[test]
    fn without_mlag_configuration_it_is_disabled() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store {
            dir: dir.path().to_path_buf(),
            device: "sw1".to_string(),
        };
        let mlag = Mlag::of(&store, &Config::blank("sw1"), &Faults::default()).unwrap();
        let shown = mlag.show();
        assert_eq!(line(&shown, "state"), "Disabled");
        assert_eq!(line(&shown, "peer-address"), "0.0.0.0");
        assert_eq!(line(&shown, "system-id"), "00:00:00:00:00:00");
        assert_eq!(line(&shown, "domain-id"), "");
        // As the disabled cEOS snapshot's detailed status says.
        let detail = mlag.detail();
        assert_eq!(line(&detail, "State"), "disabled");
        assert_eq!(line(&detail, "Peer State"), "unknown");
    }

    #[test]
    fn the_member_with_the_lower_system_mac_is_primary() {
        let dir = pair_dir(str::to_string);
        let roles = || {
            ["tor1a", "tor1b"].map(|device| {
                let detail = seen_from(dir.path(), device, &Faults::default())
                    .unwrap()
                    .detail();
                // `show mlag` first, unchanged.
                assert_eq!(line(&detail, "state"), "Active");
                (
                    line(&detail, "State").to_string(),
                    line(&detail, "Peer State").to_string(),
                    line(&detail, "Peer MAC address").to_string(),
                )
            })
        };
        let factory = |name: &str, mac: &str| {
            fs::write(
                dir.path().join(format!("{name}.factory")),
                format!("system_mac = {mac}\n"),
            )
            .unwrap()
        };
        factory("tor1a", "00:1c:73:00:00:02");
        factory("tor1b", "00:1c:73:00:00:01");
        let [a, b] = roles();
        assert_eq!((a.0.as_str(), a.1.as_str()), ("secondary", "primary"));
        assert_eq!((b.0.as_str(), b.1.as_str()), ("primary", "secondary"));
        assert_eq!(
            (a.2.as_str(), b.2.as_str()),
            ("00:1c:73:00:00:01", "00:1c:73:00:00:02")
        );
        factory("tor1a", "00:1c:73:00:00:00");
        let [a, b] = roles();
        assert_eq!((a.0.as_str(), b.0.as_str()), ("primary", "secondary"));
        // Without factory MACs, one per name: one primary, one secondary.
        fs::remove_file(dir.path().join("tor1a.factory")).unwrap();
        fs::remove_file(dir.path().join("tor1b.factory")).unwrap();
        let [a, b] = roles();
        assert_ne!(a.0, b.0);
        assert!(a.0 == "primary" || a.0 == "secondary", "{a:?}");
        // A bad MAC is an error, not a silent default.
        fs::write(dir.path().join("tor1b.factory"), "system_mac = 00:1c\n").unwrap();
        let error = seen_from(dir.path(), "tor1a", &Faults::default())
            .err()
            .unwrap();
        assert!(
            error.contains("tor1b.factory") && error.contains("XX:XX"),
            "{error}"
        );
    }

    #[test]
    fn ports_wait_for_the_restore_delay() {
        let dir = pair_dir(str::to_string);
        let faults = Faults {
            mlag_restore_ms: 600_000,
            ..Faults::default()
        };
        let waiting = seen_from(dir.path(), "tor1a", &faults).unwrap().show();
        assert_eq!(line(&waiting, "state"), "Active");
        assert_eq!(line(&waiting, "Active-partial"), "3");
    }
}

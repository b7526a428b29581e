//! From the merged YAML tree to typed inventory values. Every field is
//! decoded independently: a wrong value is reported and skipped, and the
//! entry is kept whenever its required fields decoded, so one typo does not
//! hide the problems after it.

use super::load::{unknown_key, Merged};
use super::*;
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::yaml::{Key, Node, NodeKind};
use std::collections::HashMap;
use std::path::Path;

/// Longest `description:` the format accepts (INVENTORY.md).
pub const MAX_DESCRIPTION: usize = 200;
/// Longest rule `comment:`: it becomes an NX-OS ACL `remark`, which takes
/// at most 100 characters.
pub const MAX_COMMENT: usize = 100;
/// Longest name (INVENTORY.md: `[a-z0-9][a-z0-9_-]{0,31}`).
pub const MAX_NAME: usize = 32;
/// Longest free-form value (model, mgmt address, file paths).
const MAX_TEXT: usize = 255;

pub(super) struct Decoder<'d> {
    diagnostics: &'d mut Diagnostics,
    /// Each decoded switch's platform, by its name in lower case: the
    /// rule its ports are parsed by.
    platforms: HashMap<String, Platform>,
}

/// The entries of a mapping, after unknown keys were reported.
struct Fields<'n> {
    entries: &'n [(Key, Node)],
    loc: Loc,
}

impl<'n> Fields<'n> {
    /// Where `key` is written (the key, not its value).
    fn key_loc(&self, key: &str) -> Option<Loc> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, _)| k.loc)
    }

    fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, v)| k.text == key && !matches!(v.kind, NodeKind::Null))
            .map(|(_, v)| v)
    }
}

impl<'d> Decoder<'d> {
    pub fn new(diagnostics: &'d mut Diagnostics) -> Self {
        Decoder {
            diagnostics,
            platforms: HashMap::new(),
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn inventory(mut self, dir: &Path, mut merged: Merged) -> Inventory {
        let fabric = self.fabric(merged.mappings.remove("fabric").unwrap_or_default());
        let mut unread = Unread::default();
        let mut services = Vec::new();
        for (key, value) in merged.mappings.remove("services").unwrap_or_default() {
            let before = self.diagnostics.len();
            match self.service(&key, &value) {
                Some(service) => services.push(service),
                None if self.diagnostics.len() > before => {
                    unread.define(EntryKind::Service, &key.text)
                }
                None => {}
            }
        }
        let mut lists = merged.lists;
        let mut items = |section: &str| lists.remove(section).unwrap_or_default();
        let (switches, links, chassis, hosts) = (
            items("switches"),
            items("links"),
            items("chassis"),
            items("hosts"),
        );
        let platform_limits = items("platform_limits");
        let (zones, segments, policy, endpoints, external, guardrails) = (
            items("zones"),
            items("segments"),
            items("policy"),
            items("endpoints"),
            items("external"),
            items("guardrails"),
        );
        let drift = items("drift");
        let switches = self.entries(
            &mut unread,
            Some(EntryKind::Switch),
            &switches,
            Self::switch,
        );
        self.platforms = switches
            .iter()
            .map(|s| (s.name.value.to_ascii_lowercase(), s.platform.value))
            .collect();
        let links = self.entries(&mut unread, None, &links, Self::link);
        let chassis = self.entries(
            &mut unread,
            Some(EntryKind::Chassis),
            &chassis,
            Self::chassis,
        );
        let hosts = self.entries(&mut unread, Some(EntryKind::Host), &hosts, Self::host);
        let zones = self.entries(&mut unread, Some(EntryKind::Zone), &zones, Self::zone);
        let segments = self.entries(
            &mut unread,
            Some(EntryKind::Segment),
            &segments,
            Self::segment,
        );
        let policy = self.entries(&mut unread, None, &policy, Self::rule);
        let endpoints = self.entries(
            &mut unread,
            Some(EntryKind::Endpoint),
            &endpoints,
            Self::endpoint,
        );
        let before = self.diagnostics.len();
        let external = self.entries(&mut unread, None, &external, Self::external);
        unread.externals = self.diagnostics.len() > before;
        let guardrails = self.entries(
            &mut unread,
            Some(EntryKind::Guardrail),
            &guardrails,
            Self::guardrail,
        );
        let platform_limits = self.entries(&mut unread, None, &platform_limits, Self::model_limits);
        let drift = self.entries(&mut unread, None, &drift, Self::drift);
        Inventory {
            dir: dir.to_path_buf(),
            fabric,
            switches,
            links,
            chassis,
            hosts,
            zones,
            segments,
            services,
            policy,
            endpoints,
            external,
            guardrails,
            platform_limits,
            drift,
            unread,
        }
    }

    /// Decodes the entries of a list section. An entry with a reported
    /// problem is marked partial; one dropped still defines its name, and
    /// a segment with a problem its tags as written, so what refers to
    /// them is not reported again.
    fn entries<T>(
        &mut self,
        unread: &mut Unread,
        kind: Option<EntryKind>,
        nodes: &[Node],
        decode: fn(&mut Self, &Node) -> Option<T>,
    ) -> Vec<T> {
        nodes
            .iter()
            .filter_map(|node| {
                let before = self.diagnostics.len();
                let entry = decode(self, node);
                if self.diagnostics.len() == before {
                    return entry;
                }
                unread.mark_partial(node.loc);
                if let (Some(kind), NodeKind::Map(fields)) = (kind, &node.kind) {
                    for (key, value) in fields {
                        match (key.text.as_str(), &value.kind) {
                            ("name", NodeKind::Scalar { text, .. }) if entry.is_none() => {
                                unread.define(kind, text)
                            }
                            // A tag a rule names may be the one not read.
                            ("tags", _) if kind == EntryKind::Segment => {
                                for tag in scalar_texts(value) {
                                    unread.define(EntryKind::Tag, tag);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                entry
            })
            .collect()
    }

    // ----- sections -------------------------------------------------------

    fn fabric(&mut self, entries: Vec<(Key, Node)>) -> Fabric {
        const KNOWN: &[&str] = &[
            "name",
            "gateway_role",
            "ssh",
            "stp",
            "mtu",
            "vpc",
            "transit",
            "vms_per_host",
            "vnics_per_vm",
            "budget_warning_percent",
        ];
        let mut fabric = Fabric::default();
        for (key, value) in &entries {
            if !KNOWN.contains(&key.text.as_str()) {
                // Reported even without a value: a typo never passes silently.
                self.report(unknown_key(key, "`fabric`", KNOWN));
                continue;
            }
            if matches!(value.kind, NodeKind::Null) {
                continue;
            }
            match key.text.as_str() {
                "name" => fabric.name = self.name(value, "fabric name"),
                "gateway_role" => {
                    fabric.gateway_role = self.choice(value, "gateway_role", Role::NAMES).map(|s| {
                        Spanned::new(
                            if s.value == "tor" {
                                Role::Tor
                            } else {
                                Role::Aggregation
                            },
                            s.loc,
                        )
                    })
                }
                "ssh" => fabric.ssh = self.ssh(value),
                "stp" => self.stp(value, &mut fabric),
                "mtu" => fabric.mtu = self.mtu(value),
                "vpc" => fabric.vpc = self.vpc_timers(value),
                "transit" => fabric.transit = self.transit(value),
                "vms_per_host" => {
                    fabric.vms_per_host = self.integer(value, "vms_per_host", 1, 10_000)
                }
                "vnics_per_vm" => fabric.vnics_per_vm = self.integer(value, "vnics_per_vm", 1, 64),
                "budget_warning_percent" => {
                    fabric.budget_warning_percent =
                        self.integer(value, "budget_warning_percent", 1, 100)
                }
                _ => {} // reported above
            }
        }
        fabric
    }

    /// `fabric.stp`: the mode alone (`stp: mst`), or a mapping with the
    /// mode, the bridge priorities and root guard.
    fn stp(&mut self, node: &Node, fabric: &mut Fabric) {
        let mode = |d: &mut Self, n: &Node| {
            d.choice(n, "stp", StpMode::NAMES).map(|s| {
                Spanned::new(
                    if s.value == "mst" {
                        StpMode::Mst
                    } else {
                        StpMode::RapidPvst
                    },
                    s.loc,
                )
            })
        };
        if !matches!(node.kind, NodeKind::Map(_)) {
            fabric.stp = mode(self, node);
            return;
        }
        let Some(f) = self.fields(
            node,
            "`fabric.stp`",
            &["mode", "root_priority", "priority", "root_guard"],
        ) else {
            return;
        };
        fabric.stp = f.get("mode").and_then(|n| mode(self, n));
        fabric.stp_settings = StpSettings {
            root_priority: f
                .get("root_priority")
                .and_then(|n| self.bridge_priority(n, "root_priority")),
            priority: f
                .get("priority")
                .and_then(|n| self.bridge_priority(n, "priority")),
            root_guard: f
                .get("root_guard")
                .and_then(|n| self.boolean(n, "root_guard")),
        };
    }

    /// A spanning-tree bridge priority: 0-61440 in steps of 4096 (the
    /// values IEEE 802.1D-2004 and NX-OS accept).
    fn bridge_priority(&mut self, node: &Node, what: &str) -> Option<Spanned<u32>> {
        let value = self.integer(node, what, 0, 61440)?;
        if value.value % 4096 != 0 {
            self.report(
                Diagnostic::error(
                    "E011",
                    format!("`{what}` must be a multiple of 4096, found {}", value.value),
                )
                .at(node.loc)
                .hint("bridge priorities go in steps of 4096: 0, 4096, 8192, … 61440"),
            );
            return None;
        }
        Some(Spanned::new(value.value as u32, value.loc))
    }

    fn vpc_timers(&mut self, node: &Node) -> VpcTimers {
        let Some(f) = self.fields(
            node,
            "`fabric.vpc`",
            &["auto_recovery_reload_delay", "delay_restore"],
        ) else {
            return VpcTimers::default();
        };
        let seconds = |d: &mut Self, key: &str, min: i64| {
            f.get(key)
                .and_then(|n| d.integer(n, key, min, 3600))
                .map(|v| Spanned::new(v.value as u32, v.loc))
        };
        VpcTimers {
            // NX-OS takes 240-3600 s and 1-3600 s (Nexus 9000 interfaces guide, vPC chapter).
            auto_recovery_reload_delay: seconds(self, "auto_recovery_reload_delay", 240),
            delay_restore: seconds(self, "delay_restore", 1),
        }
    }

    /// `fabric.transit`: where the gateway pairs' backup paths take their
    /// addresses and VLANs (checked at compile time, E176-E178).
    fn transit(&mut self, node: &Node) -> Option<Transit> {
        let f = self.fields(node, "`fabric.transit`", &["pool", "first_vlan"])?;
        let pool = self
            .required(&f, "pool", "`fabric.transit`")
            .and_then(|n| {
                self.prefix(
                    n,
                    "transit pool",
                    "E176",
                    "an IPv4 prefix such as 10.255.255.0/24: each gateway pair takes a /31 of it per VRF",
                )
            });
        let first_vlan = self
            .required(&f, "first_vlan", "`fabric.transit`")
            .and_then(|n| {
                self.integer(
                    n,
                    "first_vlan",
                    2,
                    i64::from(crate::platform::build::last_usable_vlan()),
                )
            })
            .map(|v| Spanned::new(v.value as u16, v.loc));
        Some(Transit {
            pool: pool?,
            first_vlan: first_vlan?,
            loc: f.loc,
        })
    }

    /// An IP MTU in bytes (`mtu:` of the fabric or of a segment). What a
    /// switch can carry is checked at compile time (E171).
    fn mtu(&mut self, node: &Node) -> Option<Spanned<u32>> {
        self.integer(node, "mtu", 68, 65535)
            .map(|v| Spanned::new(v.value as u32, v.loc))
    }

    fn ssh(&mut self, node: &Node) -> Option<Ssh> {
        let f = self.fields(
            node,
            "`fabric.ssh`",
            &["username", "key_file", "password_env", "known_hosts"],
        )?;
        Some(Ssh {
            username: f
                .get("username")
                .and_then(|n| self.text(n, "username", MAX_TEXT)),
            key_file: f
                .get("key_file")
                .and_then(|n| self.text(n, "key_file", 4096)),
            password_env: f
                .get("password_env")
                .and_then(|n| self.text(n, "password_env", MAX_TEXT)),
            known_hosts: f
                .get("known_hosts")
                .and_then(|n| self.text(n, "known_hosts", 4096)),
        })
    }

    fn switch(&mut self, node: &Node) -> Option<Switch> {
        let f = self.fields(
            node,
            "a switch",
            &[
                "name",
                "role",
                "platform",
                "model",
                "mgmt",
                "keepalive",
                "pair",
                "vpc_domain",
                "description",
                "port_defaults",
                "breakout",
            ],
        )?;
        let name = self
            .required(&f, "name", "a switch")
            .and_then(|n| self.switch_name(n, "switch name"));
        let role = self
            .required(&f, "role", "a switch")
            .and_then(|n| self.choice(n, "role", Role::NAMES))
            .map(|s| {
                Spanned::new(
                    if s.value == "tor" {
                        Role::Tor
                    } else {
                        Role::Aggregation
                    },
                    s.loc,
                )
            });
        let platform = match f.get("platform") {
            Some(n) => self
                .choice(n, "platform", Platform::NAMES)
                .and_then(|s| Some(Spanned::new(Platform::from_name(s.value)?, s.loc))),
            None => Some(Spanned::new(Platform::default(), f.loc)),
        };
        let model = f.get("model").and_then(|n| self.token(n, "model"));
        let mgmt = f.get("mgmt").and_then(|n| self.token(n, "mgmt"));
        let keepalive = f
            .get("keepalive")
            .and_then(|n| self.ipv4_address(n, "keepalive"));
        let pair = f.get("pair").and_then(|n| self.switch_name(n, "pair"));
        let vpc_domain = f.get("vpc_domain").and_then(|n| {
            self.integer(n, "vpc_domain", 1, 1000)
                .map(|v| Spanned::new(v.value as u16, v.loc))
        });
        let description = f.get("description").and_then(|n| self.description(n));
        let port_defaults = f
            .get("port_defaults")
            .map(|n| self.port_defaults(n))
            .unwrap_or_default();
        let breakout = f
            .get("breakout")
            .map(|n| {
                self.list(n, "breakout")
                    .iter()
                    .filter_map(|item| self.breakout(item, platform.as_ref().map(|p| p.value)))
                    .collect()
            })
            .unwrap_or_default();
        Some(Switch {
            name: name?,
            role: role?,
            platform: platform?,
            model,
            mgmt,
            keepalive,
            pair,
            vpc_domain,
            description,
            port_defaults,
            breakout,
            loc: node.loc,
        })
    }

    /// `{ port: Ethernet1/10, map: 10g-4x }`: a whole port, split, on a
    /// switch of `platform` (None: its platform did not decode).
    fn breakout(&mut self, node: &Node, platform: Option<Platform>) -> Option<Breakout> {
        let f = self.fields(node, "a breakout", &["port", "map"])?;
        let port = self
            .required(&f, "port", "a breakout")
            .and_then(|n| self.port(n, platform));
        let map = self
            .required(&f, "map", "a breakout")
            .and_then(|n| self.choice(n, "map", BreakoutMap::NAMES))
            .and_then(|m| Some(Spanned::new(BreakoutMap::from_name(m.value)?, m.loc)));
        let port = port?;
        let naming = platform.unwrap_or_default().port_naming();
        if naming.whole_port_numbers.is_none() {
            let platform = platform.unwrap_or_default().cli_text().name;
            self.report(
                Diagnostic::error(
                    "E138",
                    format!("liaison does not break out {platform} ports"),
                )
                .at(port.loc)
                .hint(format!("{platform} splits a port by the speed of its first lane, not by a breakout command, and names the lanes as ports (`Ethernet49/1` … `Ethernet49/4`): remove the `breakout` entry and cable the lanes by those names")),
            );
            return None;
        }
        if let Some((parent, _)) = naming.lane_of(&port.value) {
            let whole: Vec<String> = parent.iter().map(u16::to_string).collect();
            self.report(
                Diagnostic::error(
                    "E138",
                    format!(
                        "`{}` is a lane: a breakout names the whole port",
                        port.value
                    ),
                )
                .at(port.loc)
                .hint(format!("write `port: Ethernet{}`", whole.join("/"))),
            );
            return None;
        }
        Some(Breakout { port, map: map? })
    }

    /// `port_defaults: { switchport: BOOL, switchport_shutdown: BOOL }`, as
    /// NX-OS's `system default switchport [shutdown]` would set them.
    fn port_defaults(&mut self, node: &Node) -> crate::config::PartialPortDefaults {
        let Some(f) = self.fields(
            node,
            "port_defaults",
            &["switchport", "switchport_shutdown"],
        ) else {
            return Default::default();
        };
        let mut flag = |key: &str| {
            f.get(key)
                .and_then(|n| self.boolean(n, &format!("port_defaults.{key}")))
                .map(|b| b.value)
        };
        crate::config::PartialPortDefaults {
            switched: flag("switchport"),
            switched_shutdown: flag("switchport_shutdown"),
        }
    }

    fn link(&mut self, node: &Node) -> Option<Link> {
        let NodeKind::Seq(ends) = &node.kind else {
            self.report(
                Diagnostic::error(
                    "E004",
                    format!(
                        "a link must be a list of two ports, found {}",
                        node.describe_kind()
                    ),
                )
                .at(node.loc)
                .hint("write a link as `- [tor1a:Ethernet1/49, agg1:Ethernet1/1]`"),
            );
            return None;
        };
        if ends.len() != 2 {
            self.report(
                Diagnostic::error(
                    "E004",
                    format!("a link has exactly two ends, found {}", ends.len()),
                )
                .at(node.loc)
                .hint("write each cable once, as `- [switch:port, switch:port]`"),
            );
            return None;
        }
        let a = self.port_ref(&ends[0]);
        let b = self.port_ref(&ends[1]);
        Some(Link {
            ends: [a?, b?],
            loc: node.loc,
        })
    }

    fn chassis(&mut self, node: &Node) -> Option<Chassis> {
        let f = self.fields(
            node,
            "a chassis",
            &["name", "interconnects", "uplinks", "description"],
        )?;
        let name = self
            .required(&f, "name", "a chassis")
            .and_then(|n| self.name(n, "chassis name"));
        let uplinks = self.required(&f, "uplinks", "a chassis").map(|n| {
            self.list(n, "uplinks")
                .iter()
                .filter_map(|u| self.chassis_uplink(u))
                .collect()
        });
        let interconnects = f
            .get("interconnects")
            .and_then(|n| self.interconnects(n, "interconnects"));
        let description = f.get("description").and_then(|n| self.description(n));
        Some(Chassis {
            name: name?,
            interconnects,
            uplinks: uplinks?,
            description,
            loc: node.loc,
        })
    }

    /// `mlag | independent`: whether the LACP partners of one attachment
    /// (a chassis's interconnect modules, an endpoint's controllers) form
    /// one multi-chassis LAG.
    fn interconnects(&mut self, node: &Node, key: &str) -> Option<Spanned<Interconnects>> {
        self.choice(node, key, Interconnects::NAMES).map(|s| {
            Spanned::new(
                if s.value == "mlag" {
                    Interconnects::Mlag
                } else {
                    Interconnects::Independent
                },
                s.loc,
            )
        })
    }

    fn chassis_uplink(&mut self, node: &Node) -> Option<ChassisUplink> {
        let f = self.fields(node, "a chassis uplink", &["switch", "module", "ports"])?;
        let switch = self
            .required(&f, "switch", "a chassis uplink")
            .and_then(|n| self.switch_name(n, "switch"));
        let ports = self.required(&f, "ports", "a chassis uplink").map(|n| {
            let platform = self.platform_of(switch.as_ref());
            self.list(n, "ports")
                .iter()
                .filter_map(|p| self.port(p, platform))
                .collect()
        });
        let module = f.get("module").and_then(|n| self.name(n, "module"));
        Some(ChassisUplink {
            switch: switch?,
            module,
            ports: ports?,
            loc: node.loc,
        })
    }

    fn host(&mut self, node: &Node) -> Option<Host> {
        let f = self.fields(
            node,
            "a host",
            &[
                "name",
                "zone",
                "chassis",
                "bay",
                "nics",
                "lag",
                "description",
            ],
        )?;
        let name = self
            .required(&f, "name", "a host")
            .and_then(|n| self.name(n, "host name"));
        let zone = self
            .required(&f, "zone", "a host")
            .and_then(|n| self.name(n, "zone"));
        let lag = self.lag(&f);
        let attachment = match (f.get("chassis"), f.get("nics")) {
            (Some(chassis), None) => {
                if let Some(lag_node) = f.get("lag") {
                    self.report(
                        Diagnostic::error("E011", "`lag` does not apply to a blade: its chassis uplinks are the port-channel")
                            .at(lag_node.loc)
                            .hint("remove `lag`, or give the host `nics` instead of `chassis`"),
                    );
                }
                let chassis = self.name(chassis, "chassis");
                let bay = f
                    .get("bay")
                    .and_then(|n| self.integer(n, "bay", 1, 64))
                    .map(|b| Spanned::new(b.value as u32, b.loc));
                chassis.map(|chassis| Attachment::Chassis { chassis, bay })
            }
            (None, Some(nics)) => {
                let nics: Vec<PortRef> = self
                    .list(nics, "nics")
                    .iter()
                    .filter_map(|n| self.port_ref(n))
                    .collect();
                Some(Attachment::Nics { nics, lag })
            }
            (Some(_), Some(nics)) => {
                self.report(
                    Diagnostic::error(
                        "E011",
                        "a host is either a blade (`chassis`) or a rack server (`nics`), not both",
                    )
                    .at(nics.loc)
                    .hint("remove `nics` for a blade, or `chassis`/`bay` for a rack server"),
                );
                None
            }
            (None, None) => {
                self.report(
                    Diagnostic::error(
                        "E005",
                        "a host needs `chassis` (a blade) or `nics` (a rack server)",
                    )
                    .at(node.loc)
                    .hint("add `chassis: enc1` and `bay: N`, or `nics: [tor1a:Ethernet1/10]`"),
                );
                None
            }
        };
        let description = f.get("description").and_then(|n| self.description(n));
        Some(Host {
            name: name?,
            zone: zone?,
            attachment: attachment?,
            description,
            loc: node.loc,
        })
    }

    fn zone(&mut self, node: &Node) -> Option<Zone> {
        let f = self.fields(node, "a zone", &["name", "segments"])?;
        let name = self
            .required(&f, "name", "a zone")
            .and_then(|n| self.name(n, "zone name"));
        let segments = f
            .get("segments")
            .map(|n| self.names(n, "segment"))
            .unwrap_or_default();
        Some(Zone {
            name: name?,
            segments,
            loc: node.loc,
        })
    }

    fn segment(&mut self, node: &Node) -> Option<Segment> {
        let f = self.fields(
            node,
            "a segment",
            &[
                "name",
                "vlan",
                "subnet",
                "gateway",
                "vrf",
                "tags",
                "routed",
                "mtu",
                "description",
            ],
        )?;
        let name = self
            .required(&f, "name", "a segment")
            .and_then(|n| self.name(n, "segment name"));
        let vlan = self
            .required(&f, "vlan", "a segment")
            .and_then(|n| self.integer(n, "vlan", i64::MIN, i64::MAX));
        let routed = f
            .get("routed")
            .and_then(|n| self.boolean(n, "routed"))
            .is_none_or(|b| b.value);
        let subnet = f.get("subnet").and_then(|n| self.subnet(n));
        let gateway = f.get("gateway").and_then(|n| self.address(n, "gateway"));
        let vrf = f.get("vrf").and_then(|n| self.name(n, "vrf"));
        let tags = f
            .get("tags")
            .map(|n| self.names(n, "tag"))
            .unwrap_or_default();
        let mtu = f.get("mtu").and_then(|n| self.mtu(n));
        let description = f.get("description").and_then(|n| self.description(n));
        if routed && subnet.is_none() && f.get("subnet").is_none() {
            self.report(
                Diagnostic::error("E005", "a routed segment needs a `subnet`")
                    .at(node.loc)
                    .hint(
                        "add `subnet: 10.1.10.0/24`, or `routed: false` for a layer-2-only segment",
                    ),
            );
        }
        Some(Segment {
            name: name?,
            vlan: vlan?,
            subnet,
            gateway,
            vrf,
            tags,
            routed,
            mtu,
            description,
            loc: node.loc,
        })
    }

    fn service(&mut self, key: &Key, node: &Node) -> Option<Service> {
        let name = self.name_text(&key.text, key.loc, "service name")?;
        let specs = self
            .scalars(node, "service")
            .into_iter()
            .filter_map(|s| self.service_spec(&s.value, s.loc))
            .collect();
        Some(Service { name, specs })
    }

    fn service_spec(&mut self, text: &str, loc: Loc) -> Option<Spanned<ServiceSpec>> {
        match parse_service_spec(text) {
            Ok(spec) => Some(Spanned::new(spec, loc)),
            Err(why) => {
                self.report(
                    Diagnostic::error("E070", format!("invalid service `{text}`: {why}"))
                        .at(loc)
                        .hint("write `tcp/443`, `udp/53`, `tcp/8000-8099`, `icmp` or `ip`"),
                );
                None
            }
        }
    }

    fn rule(&mut self, node: &Node) -> Option<Rule> {
        let f = self.fields(
            node,
            "a policy rule",
            &["from", "to", "allow", "log", "expires", "comment"],
        )?;
        let from = self
            .required(&f, "from", "a policy rule")
            .map(|n| self.selectors(n));
        let to = self
            .required(&f, "to", "a policy rule")
            .map(|n| self.selectors(n));
        let allow = self.required(&f, "allow", "a policy rule").map(|n| {
            self.scalars(n, "allow")
                .into_iter()
                .filter_map(|s| {
                    if s.value.contains('/') || matches!(s.value.as_str(), "icmp" | "ip") {
                        self.service_spec(&s.value, s.loc)
                            .map(|spec| Spanned::new(AllowItem::Inline(spec.value), s.loc))
                    } else {
                        self.name_text(&s.value, s.loc, "service")
                            .map(|n| Spanned::new(AllowItem::Service(n.value), s.loc))
                    }
                })
                .collect()
        });
        let log = f
            .get("log")
            .and_then(|n| self.boolean(n, "log"))
            .is_some_and(|b| b.value);
        let expires = f.get("expires").and_then(|n| self.date(n, "expires"));
        let comment = f
            .get("comment")
            .and_then(|n| self.text(n, "comment", MAX_COMMENT));
        Some(Rule {
            from: from?,
            to: to?,
            allow: allow?,
            log,
            expires,
            comment,
            loc: node.loc,
        })
    }

    fn selectors(&mut self, node: &Node) -> Vec<Spanned<Selector>> {
        self.scalars(node, "segment selector")
            .into_iter()
            .filter_map(|s| {
                let selector = match s.value.as_str() {
                    "any" => Selector::Any,
                    "internet" => Selector::Internet,
                    text => match text.strip_prefix("tag:") {
                        Some(tag) => Selector::Tag(self.name_text(tag, s.loc, "tag")?.value),
                        None => Selector::Segment(self.name_text(text, s.loc, "segment")?.value),
                    },
                };
                Some(Spanned::new(selector, s.loc))
            })
            .collect()
    }

    fn endpoint(&mut self, node: &Node) -> Option<Endpoint> {
        let f = self.fields(
            node,
            "an endpoint",
            &[
                "name",
                "ports",
                "controllers",
                "controllers_lag",
                "segments",
                "lag",
                "mode",
                "description",
            ],
        )?;
        let name = self
            .required(&f, "name", "an endpoint")
            .and_then(|n| self.name(n, "endpoint name"));
        let controllers: Vec<Controller> = f
            .get("controllers")
            .map(|n| {
                self.list(n, "controllers")
                    .iter()
                    .filter_map(|c| self.controller(c))
                    .collect()
            })
            .unwrap_or_default();
        let ports = match (f.get("ports"), f.get("controllers")) {
            (Some(_), Some(listed)) => {
                let at = |key| f.key_loc(key).unwrap_or(listed.loc);
                self.report(
                    Diagnostic::error(
                        "E173",
                        "an endpoint lists its ports either in `ports` or under its `controllers`, not both",
                    )
                    .at(at("controllers"))
                    .related(at("ports"), "`ports` is here")
                    .hint("list each port once, under the controller it belongs to, and remove `ports`"),
                );
                None
            }
            (None, Some(_)) => Some(
                controllers
                    .iter()
                    .flat_map(|c| c.ports.iter().cloned())
                    .collect(),
            ),
            _ => self.required(&f, "ports", "an endpoint").map(|n| {
                self.list(n, "ports")
                    .iter()
                    .filter_map(|p| self.port_ref(p))
                    .collect()
            }),
        };
        let controllers_lag = f
            .get("controllers_lag")
            .and_then(|n| self.interconnects(n, "controllers_lag"));
        let segments = self
            .required(&f, "segments", "an endpoint")
            .map(|n| self.names(n, "segment"));
        let lag = self.lag(&f);
        let mode = f.get("mode").and_then(|n| {
            self.choice(n, "mode", &["trunk", "access"]).map(|s| {
                Spanned::new(
                    if s.value == "access" {
                        PortMode::Access
                    } else {
                        PortMode::Trunk
                    },
                    s.loc,
                )
            })
        });
        let description = f.get("description").and_then(|n| self.description(n));
        Some(Endpoint {
            name: name?,
            ports: ports?,
            controllers,
            controllers_lag,
            segments: segments?,
            lag,
            mode,
            description,
            loc: node.loc,
        })
    }

    fn controller(&mut self, node: &Node) -> Option<Controller> {
        let f = self.fields(node, "an endpoint controller", &["name", "ports"])?;
        let name = self
            .required(&f, "name", "an endpoint controller")
            .and_then(|n| self.name(n, "controller name"));
        let ports = self
            .required(&f, "ports", "an endpoint controller")
            .map(|n| {
                self.list(n, "ports")
                    .iter()
                    .filter_map(|p| self.port_ref(p))
                    .collect()
            });
        Some(Controller {
            name: name?,
            ports: ports?,
            loc: node.loc,
        })
    }

    fn external(&mut self, node: &Node) -> Option<External> {
        let f = self.fields(
            node,
            "an external link",
            &["switch", "port", "address", "next_hop", "vrf"],
        )?;
        let switch = self
            .required(&f, "switch", "an external link")
            .and_then(|n| self.switch_name(n, "switch"));
        let platform = self.platform_of(switch.as_ref());
        let port = self
            .required(&f, "port", "an external link")
            .and_then(|n| self.port(n, platform));
        let address = self
            .required(&f, "address", "an external link")
            .and_then(|n| self.interface_address(n));
        let next_hop = self
            .required(&f, "next_hop", "an external link")
            .and_then(|n| self.address(n, "next_hop"));
        let vrf = f.get("vrf").and_then(|n| self.name(n, "vrf"));
        Some(External {
            switch: switch?,
            port: port?,
            address: address?,
            next_hop: next_hop?,
            vrf,
            loc: node.loc,
        })
    }

    fn guardrail(&mut self, node: &Node) -> Option<Guardrail> {
        let f = self.fields(
            node,
            "a guardrail",
            &["name", "never_together", "tag", "only_on"],
        )?;
        let name = self
            .required(&f, "name", "a guardrail")
            .and_then(|n| self.name(n, "guardrail name"));
        let rule = match (f.get("never_together"), f.get("tag"), f.get("only_on")) {
            (Some(tags), None, None) => {
                let tags = self.names(tags, "tag");
                match <[Spanned<String>; 2]>::try_from(tags) {
                    Ok(pair) => Some(GuardrailRule::NeverTogether(pair)),
                    Err(tags) => {
                        self.report(
                            Diagnostic::error(
                                "E011",
                                format!("`never_together` takes exactly two tags, found {}", tags.len()),
                            )
                            .at(f.get("never_together").map_or(node.loc, |n| n.loc))
                            .hint("write one guardrail per pair of tags: `never_together: [internet-facing, pci]`"),
                        );
                        None
                    }
                }
            }
            (None, Some(tag), Some(only_on)) => {
                let tag = self.name(tag, "tag");
                let switches = self.switch_names(only_on, "switch");
                tag.map(|tag| GuardrailRule::OnlyOn { tag, switches })
            }
            _ => {
                self.report(
                    Diagnostic::error(
                        "E011",
                        "a guardrail is either `never_together: [a, b]` or `tag: t` with `only_on: [switches]`",
                    )
                    .at(node.loc)
                    .hint("split combined rules into two guardrails"),
                );
                None
            }
        };
        Some(Guardrail {
            name: name?,
            rule: rule?,
            loc: node.loc,
        })
    }

    fn model_limits(&mut self, node: &Node) -> Option<ModelLimits> {
        let mut known = vec!["model", "platform", "source", "sources"];
        known.extend(Resource::ALL.iter().map(|r| r.key()));
        let f = self.fields(node, "a platform limits entry", &known)?;
        let model = self
            .required(&f, "model", "a platform limits entry")
            .and_then(|n| self.token(n, "model"));
        let platform = match f.get("platform") {
            Some(n) => self
                .choice(n, "platform", Platform::NAMES)
                .and_then(|s| Platform::from_name(s.value)),
            None => Some(Platform::default()),
        };
        let source = self
            .required(&f, "source", "a platform limits entry")
            .and_then(|n| self.text(n, "source", 500));
        // Per-limit sources, where one model's numbers come from several documents.
        let mut sources: Vec<(String, String)> = Vec::new();
        if let Some(node) = f.get("sources") {
            let keys: Vec<&str> = Resource::ALL.iter().map(|r| r.key()).collect();
            if let Some(entries) = self.fields(node, "`sources`", &keys) {
                for (key, value) in entries.entries {
                    if let Some(text) = self.text(value, "source", 500) {
                        sources.push((key.text.clone(), text.value));
                    }
                }
            }
        }
        let source = source?;
        let limits = Resource::ALL
            .iter()
            .filter_map(|resource| {
                let value = self.integer(
                    f.get(resource.key())?,
                    resource.key(),
                    0,
                    i64::from(u32::MAX),
                )?;
                let from = sources
                    .iter()
                    .find(|(k, _)| k == resource.key())
                    .map_or_else(|| source.value.clone(), |(_, s)| s.clone());
                Some((*resource, value.value as u64, from))
            })
            .collect();
        Some(ModelLimits {
            model: model?,
            platform: platform?,
            limits,
            loc: node.loc,
        })
    }

    fn drift(&mut self, node: &Node) -> Option<Drift> {
        let f = self.fields(node, "a drift rule", &["pattern", "devices", "reason"])?;
        let pattern = self
            .required(&f, "pattern", "a drift rule")
            .and_then(|n| self.text(n, "pattern", 1024));
        let devices = f
            .get("devices")
            .map(|n| self.switch_names(n, "switch"))
            .unwrap_or_default();
        if let Some(reason) = f.get("reason") {
            self.text(reason, "reason", MAX_DESCRIPTION);
        }
        let pattern = pattern?;
        let regex = match regex::Regex::new(&pattern.value) {
            Ok(regex) => regex,
            Err(e) => {
                let why = e.to_string();
                let why = why
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim_start_matches("error: ");
                self.report(
                    Diagnostic::error(
                        "E113",
                        format!("invalid drift pattern `{}`: {why}", pattern.value),
                    )
                    .at(pattern.loc)
                    .hint("write a regular expression matched against each config line, e.g. `^snmp-server ` (quote it in YAML)"),
                );
                return None;
            }
        };
        Some(Drift {
            pattern,
            regex,
            devices,
            loc: node.loc,
        })
    }

    // ----- building blocks ------------------------------------------------

    fn fields<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<Fields<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.report(
                Diagnostic::error(
                    "E004",
                    format!("{what} must be a mapping, found {}", node.describe_kind()),
                )
                .at(node.loc)
                .hint(format!(
                    "write {what} as `key: value` lines; keys: {}",
                    known.join(", ")
                )),
            );
            return None;
        };
        for (key, _) in entries {
            if !known.contains(&key.text.as_str()) {
                self.report(unknown_key(key, what, known));
            }
        }
        Some(Fields {
            entries,
            loc: node.loc,
        })
    }

    fn required<'n>(&mut self, fields: &Fields<'n>, key: &str, what: &str) -> Option<&'n Node> {
        let found = fields.get(key);
        if found.is_none() {
            self.report(
                Diagnostic::error("E005", format!("{what} needs `{key}`"))
                    .at(fields.loc)
                    .hint(format!("add `{key}:` to this entry")),
            );
        }
        found
    }

    fn lag(&mut self, fields: &Fields<'_>) -> Lag {
        match fields
            .get("lag")
            .and_then(|n| self.choice(n, "lag", Lag::NAMES))
        {
            Some(s) if s.value == "lacp" => Lag::Lacp,
            _ => Lag::None,
        }
    }

    /// A scalar as text, refusing control characters (they would let a
    /// value inject a second line into a switch config).
    fn scalar(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let NodeKind::Scalar { text, .. } = &node.kind else {
            self.report(
                Diagnostic::error(
                    "E004",
                    format!(
                        "`{what}` must be a single value, found {}",
                        node.describe_kind()
                    ),
                )
                .at(node.loc),
            );
            return None;
        };
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            self.report(
                Diagnostic::error(
                    "E012",
                    format!("`{what}` contains the control character {c:?}"),
                )
                .at(node.loc)
                .hint("values that reach a switch config must be one line of printable text"),
            );
            return None;
        }
        Some(Spanned::new(text.clone(), node.loc))
    }

    fn text(&mut self, node: &Node, what: &str, max: usize) -> Option<Spanned<String>> {
        let text = self.scalar(node, what)?;
        if text.value.chars().count() > max {
            self.report(
                Diagnostic::error("E012", format!("`{what}` is longer than {max} characters"))
                    .at(node.loc),
            );
            return None;
        }
        Some(text)
    }

    /// A value without spaces (model, management address).
    fn token(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let text = self.text(node, what, MAX_TEXT)?;
        if text.value.is_empty() || text.value.contains(char::is_whitespace) {
            self.report(
                Diagnostic::error("E011", format!("`{what}` must be one word without spaces"))
                    .at(node.loc),
            );
            return None;
        }
        Some(text)
    }

    fn description(&mut self, node: &Node) -> Option<Spanned<String>> {
        self.text(node, "description", MAX_DESCRIPTION)
    }

    fn name(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let text = self.scalar(node, what)?;
        self.name_text(&text.value, text.loc, what)
    }

    fn name_text(&mut self, text: &str, loc: Loc, what: &str) -> Option<Spanned<String>> {
        self.checked_name(text, loc, what, is_valid_name, "names are 1-{MAX_NAME} characters of a-z, 0-9, `_` and `-`, starting with a letter or digit")
    }

    /// A switch's name, or a reference to one: a name that may have upper
    /// case, as NX-OS hostnames do (`hostname DC1-AGG-01`).
    fn switch_name(&mut self, node: &Node, what: &str) -> Option<Spanned<String>> {
        let text = self.scalar(node, what)?;
        self.switch_name_text(&text.value, text.loc, what)
    }

    fn switch_name_text(&mut self, text: &str, loc: Loc, what: &str) -> Option<Spanned<String>> {
        self.checked_name(text, loc, what, is_valid_switch_name, "switch names are 1-{MAX_NAME} characters of A-Z, a-z, 0-9, `_` and `-`, starting with a letter or digit (the case is kept in the switch's hostname)")
    }

    /// `text` when `valid`, else E010 with `rule` (`{MAX_NAME}` filled in).
    fn checked_name(
        &mut self,
        text: &str,
        loc: Loc,
        what: &str,
        valid: fn(&str) -> bool,
        rule: &str,
    ) -> Option<Spanned<String>> {
        if valid(text) {
            return Some(Spanned::new(text.to_string(), loc));
        }
        self.report(
            Diagnostic::error(
                "E010",
                format!("invalid {what} `{}`", text.escape_default()),
            )
            .at(loc)
            .hint(rule.replace("{MAX_NAME}", &MAX_NAME.to_string())),
        );
        None
    }

    fn switch_names(&mut self, node: &Node, what: &str) -> Vec<Spanned<String>> {
        self.scalars(node, what)
            .into_iter()
            .filter_map(|s| self.switch_name_text(&s.value, s.loc, what))
            .collect()
    }

    fn names(&mut self, node: &Node, what: &str) -> Vec<Spanned<String>> {
        self.scalars(node, what)
            .into_iter()
            .filter_map(|s| self.name_text(&s.value, s.loc, what))
            .collect()
    }

    fn list<'n>(&mut self, node: &'n Node, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            _ => {
                self.report(
                    Diagnostic::error(
                        "E004",
                        format!("`{what}` must be a list, found {}", node.describe_kind()),
                    )
                    .at(node.loc)
                    .hint(format!("write `{what}: [a, b]`")),
                );
                &[]
            }
        }
    }

    /// One value or a list of values (`to: web` or `to: [web, app]`).
    fn scalars(&mut self, node: &Node, what: &str) -> Vec<Spanned<String>> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|n| self.scalar(n, what)).collect(),
            _ => self.scalar(node, what).into_iter().collect(),
        }
    }

    fn choice(
        &mut self,
        node: &Node,
        what: &str,
        choices: &[&'static str],
    ) -> Option<Spanned<&'static str>> {
        let text = self.scalar(node, what)?;
        if let Some(found) = choices.iter().find(|c| **c == text.value) {
            return Some(Spanned::new(*found, text.loc));
        }
        let mut diagnostic = Diagnostic::error(
            "E011",
            format!(
                "`{what}` must be one of {}, found `{}`",
                choices.join(", "),
                text.value
            ),
        )
        .at(node.loc);
        if let Some(best) = super::load::did_you_mean(&text.value, choices) {
            diagnostic = diagnostic.hint(format!("did you mean `{best}`?"));
        }
        self.report(diagnostic);
        None
    }

    fn integer(&mut self, node: &Node, what: &str, min: i64, max: i64) -> Option<Spanned<i64>> {
        let text = self.scalar(node, what)?;
        match text.value.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Some(Spanned::new(v, text.loc)),
            Ok(v) => {
                self.report(
                    Diagnostic::error(
                        "E011",
                        format!("`{what}` must be in {min}-{max}, found {v}"),
                    )
                    .at(node.loc),
                );
                None
            }
            Err(_) => {
                self.report(
                    Diagnostic::error(
                        "E004",
                        format!("`{what}` must be a whole number, found `{}`", text.value),
                    )
                    .at(node.loc),
                );
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<Spanned<bool>> {
        let text = self.scalar(node, what)?;
        match text.value.as_str() {
            "true" | "True" | "TRUE" => Some(Spanned::new(true, text.loc)),
            "false" | "False" | "FALSE" => Some(Spanned::new(false, text.loc)),
            other => {
                self.report(
                    Diagnostic::error(
                        "E004",
                        format!("`{what}` must be true or false, found `{other}`"),
                    )
                    .at(node.loc),
                );
                None
            }
        }
    }

    fn date(&mut self, node: &Node, what: &str) -> Option<Spanned<Date>> {
        let text = self.scalar(node, what)?;
        match Date::parse(&text.value) {
            Ok(date) => Some(Spanned::new(date, text.loc)),
            Err(why) => {
                self.report(
                    Diagnostic::error("E111", format!("invalid `{what}` date: {why}"))
                        .at(node.loc)
                        .hint("write `expires: YYYY-MM-DD`; the rule is left out from that day on"),
                );
                None
            }
        }
    }

    fn subnet(&mut self, node: &Node) -> Option<Spanned<IpNetwork>> {
        self.prefix(
            node,
            "subnet",
            "E030",
            "write a prefix with its length, e.g. `10.1.10.0/24`",
        )
    }

    /// An interface address: `192.0.2.1/31` (host bits are the point here).
    fn interface_address(&mut self, node: &Node) -> Option<Spanned<IpNetwork>> {
        self.prefix(
            node,
            "interface address",
            "E011",
            "write the address with its prefix length, e.g. `192.0.2.1/31`",
        )
    }

    /// An address with its prefix length; the length must be written.
    fn prefix(
        &mut self,
        node: &Node,
        what: &str,
        code: &'static str,
        hint: &str,
    ) -> Option<Spanned<IpNetwork>> {
        let text = self.scalar(node, what)?;
        match text.value.parse::<IpNetwork>() {
            Ok(net) if text.value.contains('/') => Some(Spanned::new(net, text.loc)),
            _ => {
                self.report(
                    Diagnostic::error(code, format!("invalid {what} `{}`", text.value))
                        .at(node.loc)
                        .hint(hint),
                );
                None
            }
        }
    }

    fn address(&mut self, node: &Node, what: &str) -> Option<Spanned<IpAddr>> {
        let text = self.scalar(node, what)?;
        match text.value.parse::<IpAddr>() {
            Ok(addr) => Some(Spanned::new(addr, text.loc)),
            Err(_) => {
                self.report(
                    Diagnostic::error("E011", format!("invalid {what} address `{}`", text.value))
                        .at(node.loc)
                        .hint("write a bare IP address, e.g. `10.1.10.1`"),
                );
                None
            }
        }
    }

    fn ipv4_address(&mut self, node: &Node, what: &str) -> Option<Spanned<Ipv4Addr>> {
        let address = self.address(node, what)?;
        match address.value {
            IpAddr::V4(v4) => Some(Spanned::new(v4, address.loc)),
            IpAddr::V6(_) => {
                self.report(
                    Diagnostic::error(
                        "E011",
                        format!("{what} address `{}` is not IPv4", address.value),
                    )
                    .at(node.loc)
                    .hint("write the IPv4 address of the switch's management interface, e.g. `192.0.2.11`"),
                );
                None
            }
        }
    }

    /// The platform of the switch `switch` names, when it decoded.
    fn platform_of(&self, switch: Option<&Spanned<String>>) -> Option<Platform> {
        self.platforms
            .get(&switch?.value.to_ascii_lowercase())
            .copied()
    }

    /// A port of a switch of `platform`; None: any platform's name (the
    /// switch is unknown, which is reported on its own).
    fn port(&mut self, node: &Node, platform: Option<Platform>) -> Option<Spanned<Port>> {
        let text = self.scalar(node, "port")?;
        self.port_text(&text.value, text.loc, platform)
    }

    fn port_text(
        &mut self,
        text: &str,
        loc: Loc,
        platform: Option<Platform>,
    ) -> Option<Spanned<Port>> {
        let parsed = match platform {
            Some(platform) => Port::parse_for(text, platform),
            None => Port::parse(text),
        };
        match parsed {
            Ok(port) => Some(Spanned::new(port, loc)),
            Err(why) => {
                self.report(
                    Diagnostic::error("E051", format!("invalid port: {why}"))
                        .at(loc)
                        .hint(platform.unwrap_or_default().port_naming().hint),
                );
                None
            }
        }
    }

    fn port_ref(&mut self, node: &Node) -> Option<PortRef> {
        let text = self.scalar(node, "port")?;
        let Some((switch, port)) = text.value.split_once(':') else {
            self.report(
                Diagnostic::error("E051", format!("`{}` does not name a switch", text.value))
                    .at(node.loc)
                    .hint("write `switch:port`, e.g. `tor1a:Ethernet1/10`"),
            );
            return None;
        };
        let switch = self.switch_name_text(switch, text.loc, "switch");
        let platform = self.platform_of(switch.as_ref());
        let port = self.port_text(port, text.loc, platform);
        Some(PortRef {
            switch: switch?,
            port: port?,
        })
    }
}

/// Decodes a limits table written like the inventory's `platform_limits`
/// section (the table shipped in `platforms/limits.yml`).
pub fn decode_limits(
    file: crate::diag::FileId,
    text: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<ModelLimits> {
    let (root, problems) = crate::yaml::parse(file, text);
    for problem in problems {
        diagnostics.push(problem);
    }
    let Some(root) = root else { return Vec::new() };
    let mut decoder = Decoder::new(diagnostics);
    let Some(f) = decoder.fields(&root, "the limits table", &["platform_limits"]) else {
        return Vec::new();
    };
    let Some(list) = f.get("platform_limits") else {
        return Vec::new();
    };
    decoder
        .list(list, "platform_limits")
        .iter()
        .filter_map(|n| decoder.model_limits(n))
        .collect()
}

/// The texts of a scalar or of a list's scalars, as written.
fn scalar_texts(node: &Node) -> Vec<&str> {
    fn scalar(n: &Node) -> Option<&str> {
        match &n.kind {
            NodeKind::Scalar { text, .. } => Some(text.as_str()),
            _ => None,
        }
    }
    match &node.kind {
        NodeKind::Seq(items) => items.iter().filter_map(scalar).collect(),
        _ => scalar(node).into_iter().collect(),
    }
}

/// `[A-Za-z0-9][A-Za-z0-9_-]{0,31}`: switch names keep the case of the
/// hostname (NX-OS keeps it: `hostname NX-1` in
/// tests/fixtures/nxos/batfish__lab-validation__nxos_evpn_l2vni_NX-1_show_running-config.cfg);
/// they are unique without case (E009).
pub fn is_valid_switch_name(text: &str) -> bool {
    is_valid_name(&text.to_ascii_lowercase())
}

/// `[a-z0-9][a-z0-9_-]{0,31}`.
pub fn is_valid_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_NAME
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
}

/// `tcp/443`, `udp/53`, `tcp/8000-8099`, `icmp`, `ip`.
pub fn parse_service_spec(text: &str) -> Result<ServiceSpec, String> {
    let (protocol, ports) = match text.split_once('/') {
        Some((p, ports)) => (p, Some(ports)),
        None => (text, None),
    };
    let protocol = match protocol {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "icmp" => Protocol::Icmp,
        "ip" => Protocol::Ip,
        other => {
            let hint = super::load::did_you_mean(other, &["tcp", "udp", "icmp", "ip"])
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            return Err(format!("unknown protocol `{other}`{hint}"));
        }
    };
    let ports = match (protocol, ports) {
        (Protocol::Tcp | Protocol::Udp, Some(range)) => {
            let (low, high) = range.split_once('-').unwrap_or((range, range));
            let parse = |p: &str| -> Result<u16, String> {
                match p.parse::<u32>() {
                    Ok(n) if (1..=65535).contains(&n) => Ok(n as u16),
                    Ok(n) => Err(format!("port {n} is outside 1-65535")),
                    Err(_) => Err(format!("`{p}` is not a port number")),
                }
            };
            let (low, high) = (parse(low)?, parse(high)?);
            if low > high {
                return Err(format!("the range {low}-{high} is reversed"));
            }
            Some((low, high))
        }
        (Protocol::Tcp | Protocol::Udp, None) => {
            return Err("tcp and udp need a port or a port range".into())
        }
        (_, Some(_)) => return Err("icmp and ip take no port".into()),
        (_, None) => None,
    };
    Ok(ServiceSpec { protocol, ports })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_valid_name("web"));
        assert!(is_valid_name("tor1a"));
        assert!(is_valid_name("a_b-c"));
        assert!(!is_valid_name("Web"));
        assert!(!is_valid_name("-web"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name(&"a".repeat(33)));
        assert!(!is_valid_name("web\nshutdown"));
        assert!(is_valid_switch_name("DC1-AGG-01"));
        assert!(!is_valid_switch_name("-AGG"));
        assert!(!is_valid_switch_name("AGG 1"));
        assert!(!is_valid_switch_name(&"A".repeat(33)));
    }

    #[test]
    fn service_specs() {
        assert_eq!(
            parse_service_spec("tcp/8000-8099").unwrap().ports,
            Some((8000, 8099))
        );
        assert!(parse_service_spec("tcpp/80")
            .unwrap_err()
            .contains("did you mean `tcp`"));
        assert!(parse_service_spec("tcp/0").is_err());
        assert!(parse_service_spec("tcp/65536").is_err());
        assert!(parse_service_spec("tcp/99-10")
            .unwrap_err()
            .contains("reversed"));
        assert!(parse_service_spec("icmp/3").is_err());
        assert_eq!(parse_service_spec("ip").unwrap().protocol, Protocol::Ip);
    }
}

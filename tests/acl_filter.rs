//! The generated ACLs, read back from the rendered configs and run as a
//! packet filter (`common::nxos_acl`), against an oracle that reads the
//! policy the way INVENTORY.md defines it. Every sampled packet between the
//! example fabric's segments and the Internet must be routed exactly when
//! the oracle says so: allowed flows pass both ways (TCP replies as
//! `established`, UDP replies with the ports swapped, ICMP echo replies),
//! everything else is dropped, on every gateway switch.

mod common;

use common::nxos_acl::{self, Filters, Packet, Prefix, Transport};
use common::*;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::Ipv4Addr;

/// The example inventory's segments: (name, subnet, routed, tags).
const SEGMENTS: &[(&str, &str, bool, &[&str])] = &[
    ("web", "10.1.10.0/24", true, &["internet-facing"]),
    ("app", "10.1.20.0/24", true, &[]),
    ("db", "10.1.30.0/24", true, &[]),
    ("dev-web", "10.2.10.0/24", true, &[]),
    ("dev-app", "10.2.20.0/24", true, &[]),
    ("iscsi", "10.20.0.0/24", false, &["storage"]),
    ("vmotion", "10.30.0.0/24", false, &[]),
];
const GATEWAYS: [&str; 2] = ["agg1", "agg2"];
/// Addresses outside every segment.
const INTERNET: [Ipv4Addr; 2] = [Ipv4Addr::new(8, 8, 8, 8), Ipv4Addr::new(198, 51, 100, 7)];
const EPHEMERAL: u16 = 49_152;
/// Where stateless replies may go (docs/policy.md, "Return traffic").
const EPHEMERAL_PORTS: std::ops::RangeInclusive<u16> = 1024..=65_535;

/// Named services of the test policies (written into policy.yml too).
const SERVICES: &[(&str, &[&str])] = &[
    ("https", &["tcp/443"]),
    ("dns", &["udp/53", "tcp/53"]),
    ("app", &["tcp/8000-8099"]),
    ("postgres", &["tcp/5432"]),
];

#[derive(Debug, Clone)]
struct Rule {
    from: Vec<String>,
    to: Vec<String>,
    allow: Vec<String>,
    /// More YAML keys, e.g. `log: true`.
    extra: String,
    /// Left out by liaison (expired): the oracle ignores it.
    expired: bool,
}

fn rule(from: &[&str], to: &[&str], allow: &[&str], extra: &str) -> Rule {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    Rule {
        from: strings(from),
        to: strings(to),
        allow: strings(allow),
        extra: extra.to_string(),
        expired: extra.contains("expires: 2001"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Segment(&'static str),
    /// Inside a layer-2-only segment.
    Unrouted(&'static str),
    Internet,
}

fn subnet(name: &str) -> Prefix {
    let (_, net, _, _) = SEGMENTS.iter().find(|s| s.0 == name).unwrap();
    Prefix::parse(net)
}

fn end_of(ip: Ipv4Addr) -> End {
    for (name, net, routed, _) in SEGMENTS {
        if Prefix::parse(net).contains(ip) {
            return if *routed {
                End::Segment(name)
            } else {
                End::Unrouted(name)
            };
        }
    }
    End::Internet
}

/// Whether a selector as written selects `end` (INVENTORY.md, "Policy").
fn selects(selector: &str, end: End) -> bool {
    match end {
        End::Internet => selector == "internet",
        End::Unrouted(_) => false,
        End::Segment(name) => {
            selector == "any"
                || selector == name
                || selector.strip_prefix("tag:").is_some_and(|tag| {
                    SEGMENTS
                        .iter()
                        .any(|(n, _, _, tags)| *n == name && tags.contains(&tag))
                })
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Spec {
    Tcp(u16, u16),
    Udp(u16, u16),
    Icmp,
    Ip,
}

fn specs(item: &str) -> Vec<Spec> {
    if let Some((_, specs)) = SERVICES.iter().find(|(n, _)| *n == item) {
        return specs.iter().flat_map(|s| self::specs(s)).collect();
    }
    let range = |r: &str| -> (u16, u16) {
        let (a, b) = r.split_once('-').unwrap_or((r, r));
        (a.parse().unwrap(), b.parse().unwrap())
    };
    vec![match item.split_once('/') {
        Some(("tcp", r)) => Spec::Tcp(range(r).0, range(r).1),
        Some(("udp", r)) => Spec::Udp(range(r).0, range(r).1),
        None if item == "icmp" => Spec::Icmp,
        None if item == "ip" => Spec::Ip,
        _ => panic!("test spec {item}"),
    }]
}

struct Oracle {
    rules: Vec<Rule>,
}

impl Oracle {
    fn rule_specs(rule: &Rule) -> Vec<Spec> {
        rule.allow.iter().flat_map(|a| specs(a)).collect()
    }

    /// A flow the policy allows, in its own direction.
    fn forward(rule: &Rule, p: &Packet) -> bool {
        rule.from.iter().any(|s| selects(s, end_of(p.src)))
            && rule.to.iter().any(|s| selects(s, end_of(p.dst)))
            && Self::rule_specs(rule)
                .iter()
                .any(|spec| match (*spec, p.transport) {
                    (Spec::Ip, _) => true,
                    (Spec::Tcp(a, b), Transport::Tcp { dport, .. }) => (a..=b).contains(&dport),
                    (Spec::Udp(a, b), Transport::Udp { dport, .. }) => (a..=b).contains(&dport),
                    (Spec::Icmp, Transport::Icmp { .. }) => true,
                    _ => false,
                })
    }

    /// A reply of a flow the policy allows: from the rule's destination
    /// side, from its service port, TCP established, ICMP echo reply; TCP
    /// and UDP replies only to the client's ephemeral ports (docs/policy.md,
    /// "Return traffic": 1024-65535).
    fn reply(rule: &Rule, p: &Packet) -> bool {
        let to_ephemeral = match p.transport {
            Transport::Tcp { dport, .. } | Transport::Udp { dport, .. } => {
                EPHEMERAL_PORTS.contains(&dport)
            }
            _ => true,
        };
        to_ephemeral
            && rule.from.iter().any(|s| selects(s, end_of(p.dst)))
            && rule.to.iter().any(|s| selects(s, end_of(p.src)))
            && Self::rule_specs(rule)
                .iter()
                .any(|spec| match (*spec, p.transport) {
                    (Spec::Ip, Transport::Tcp { established, .. }) => established,
                    (Spec::Ip, Transport::Udp { .. }) => true,
                    (Spec::Ip | Spec::Icmp, Transport::Icmp { icmp_type }) => icmp_type == 0,
                    (
                        Spec::Tcp(a, b),
                        Transport::Tcp {
                            sport, established, ..
                        },
                    ) => established && (a..=b).contains(&sport),
                    (Spec::Udp(a, b), Transport::Udp { sport, .. }) => (a..=b).contains(&sport),
                    _ => false,
                })
    }

    fn allows(&self, p: &Packet) -> bool {
        // ICMP unreachable (fragmentation needed among its codes) and
        // time-exceeded pass whatever the policy says: path-MTU discovery
        // and traceroute need them (docs/policy.md, "Where the ACLs are").
        if let Transport::Icmp { icmp_type: 3 | 11 } = p.transport {
            return true;
        }
        self.rules
            .iter()
            .filter(|r| !r.expired)
            .any(|r| Self::forward(r, p) || Self::reply(r, p))
    }

    /// Boundary ports of every service, and an ephemeral port.
    fn ports(&self) -> Vec<u16> {
        let mut ports = vec![1, 1023, 1024, EPHEMERAL, 65_535];
        for rule in &self.rules {
            for spec in Self::rule_specs(rule) {
                if let Spec::Tcp(a, b) | Spec::Udp(a, b) = spec {
                    ports.extend([a.saturating_sub(1).max(1), a, b, b.saturating_add(1)]);
                }
            }
        }
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    fn yaml(&self) -> String {
        let mut out = String::from("services:\n");
        for (name, specs) in SERVICES {
            writeln!(out, "  {name}: [{}]", specs.join(", ")).unwrap();
        }
        out.push_str("\npolicy:\n");
        for r in &self.rules {
            let extra = if r.extra.is_empty() {
                String::new()
            } else {
                format!(", {}", r.extra)
            };
            writeln!(
                out,
                "  - {{ from: [{}], to: [{}], allow: [{}]{extra} }}",
                r.from.join(", "),
                r.to.join(", "),
                r.allow.join(", ")
            )
            .unwrap();
        }
        out
    }
}

/// The example inventory as these tests need it: one VRF, and room in the
/// gateways' ACL TCAM. They check what the ACLs let through between every
/// pair of segments, with policies (random ones too) that pair segments of
/// the example's two VRFs, which is an error (E150: no route leaking;
/// tests/why.rs and tests/check_errors.rs test that); so the dev segments
/// join VRF prod (dev keeps its external links, and their edge ACL). Random and overlapping policies
/// can also take more egress TCAM than a real Nexus 9300 carves by default,
/// and the budget is tested in tests/budget.rs.
fn copy_example(dir: &std::path::Path) {
    copy_inventory("example", dir);
    let path = dir.join("segments.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("vrf: dev"));
    std::fs::write(&path, text.replace("vrf: dev", "vrf: prod")).unwrap();
    append(
        dir,
        "limits.yml",
        "platform_limits:\n  - model: N9K-C93180YC-FX\n    source: \"test: ACL semantics, TCAM raised\"\n    \
         acl_tcam_entries: 1000000\n    acl_tcam_egress_entries: 1000000\n",
    );
}

/// The same fabric on EOS gateways that take no egress ACL on an SVI
/// (inventories/example-eos with 7050SX3 aggregation switches): every
/// ACL is bound `in` (docs/policy.md, "Placement is a capability").
fn copy_ingress_only_example(dir: &std::path::Path) {
    copy_inventory("example-eos", dir);
    let path = dir.join("segments.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("vrf: dev", "vrf: prod")).unwrap();
    set_gateway_models(dir, "DCS-7050SX3-48YC8");
    append(
        dir,
        "limits.yml",
        "platform_limits:\n  - model: DCS-7050SX3-48YC8\n    platform: eos\n    source: \"test: ACL semantics, TCAM raised\"\n    \
         acl_tcam_entries: 1000000\n    acl_tcam_egress_entries: 1000000\n",
    );
}

/// Builds the example fabric with `oracle`'s policy; the gateways' filters.
fn build_with(oracle: &Oracle) -> (tempfile::TempDir, BTreeMap<String, Filters>) {
    build_example(Some(oracle))
}

/// Builds the example fabric, with its own policy.yml or `oracle`'s.
fn build_example(oracle: Option<&Oracle>) -> (tempfile::TempDir, BTreeMap<String, Filters>) {
    build_on(copy_example, oracle)
}

/// Builds the fabric `copy` writes, with its own policy.yml or `oracle`'s.
fn build_on(
    copy: fn(&std::path::Path),
    oracle: Option<&Oracle>,
) -> (tempfile::TempDir, BTreeMap<String, Filters>) {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path());
    if let Some(oracle) = oracle {
        std::fs::write(dir.path().join("policy.yml"), oracle.yaml()).unwrap();
    }
    let configs = build(dir.path());
    let filters = GATEWAYS
        .iter()
        .map(|g| (g.to_string(), nxos_acl::parse(&configs[*g].text)))
        .collect();
    (dir, filters)
}

/// One host of every segment and one Internet address: the ACLs match
/// whole subnets, so more hosts of one segment would meet the same entries.
fn addresses() -> Vec<Ipv4Addr> {
    let mut out: Vec<Ipv4Addr> = SEGMENTS.iter().map(|s| subnet(s.0).host(10)).collect();
    out.push(INTERNET[1]);
    out
}

/// Every sampled packet a gateway routes exactly when the oracle allows it.
fn routed_exactly_as_the_policy_says(oracle: &Oracle, filters: &BTreeMap<String, Filters>) {
    let transports = nxos_acl::transports(&oracle.ports());
    let addresses = addresses();
    let mut wrong = Vec::new();
    let mut checked = 0usize;
    for &src in &addresses {
        for &dst in &addresses {
            let (from, to) = (end_of(src), end_of(dst));
            // Packets no gateway routes through an SVI: inside one segment,
            // out of a layer-2-only segment (it has no gateway), Internet to
            // Internet or to a layer-2-only segment (no route into it).
            let never_routed = from == to
                || matches!(from, End::Unrouted(_))
                || (from == End::Internet && matches!(to, End::Unrouted(_)));
            if never_routed {
                continue;
            }
            for &transport in &transports {
                let packet = Packet {
                    src,
                    dst,
                    transport,
                };
                let want = oracle.allows(&packet);
                for (gateway, f) in filters {
                    checked += 1;
                    if f.routes(&packet) != want && wrong.len() < 10 {
                        wrong.push(format!(
                            "{gateway}: {from:?} → {to:?} {packet:?}: policy says {}, ACLs {}",
                            if want { "allow" } else { "deny" },
                            if want { "drop it" } else { "pass it" }
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "too few packets sampled: {checked}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// For every rule, a representative of each of its flows passes, and so
/// does its reply.
fn allowed_flows_pass_both_ways(oracle: &Oracle, filters: &BTreeMap<String, Filters>) {
    let representative = |selector: &str| -> Vec<Ipv4Addr> {
        addresses()
            .into_iter()
            .filter(|ip| selects(selector, end_of(*ip)))
            .collect()
    };
    for rule in oracle.rules.iter().filter(|r| !r.expired) {
        for src in rule.from.iter().flat_map(|s| representative(s)) {
            for dst in rule.to.iter().flat_map(|s| representative(s)) {
                if end_of(src) == end_of(dst) {
                    continue;
                }
                for spec in Oracle::rule_specs(rule) {
                    let transports = match spec {
                        Spec::Tcp(a, b) => vec![a, b]
                            .into_iter()
                            .map(|dport| Transport::Tcp {
                                sport: EPHEMERAL,
                                dport,
                                established: false,
                            })
                            .collect(),
                        Spec::Udp(a, b) => vec![
                            Transport::Udp {
                                sport: EPHEMERAL,
                                dport: a,
                            },
                            Transport::Udp {
                                sport: EPHEMERAL,
                                dport: b,
                            },
                        ],
                        Spec::Icmp => vec![Transport::Icmp { icmp_type: 8 }],
                        Spec::Ip => vec![
                            Transport::Tcp {
                                sport: EPHEMERAL,
                                dport: 3306,
                                established: false,
                            },
                            Transport::Udp {
                                sport: EPHEMERAL,
                                dport: 4789,
                            },
                            Transport::Icmp { icmp_type: 8 },
                            Transport::Other(47),
                        ],
                    };
                    for transport in transports {
                        let forward = Packet {
                            src,
                            dst,
                            transport,
                        };
                        for (gateway, f) in filters {
                            assert!(
                                f.routes(&forward),
                                "{gateway}: {rule:?}: {forward:?} dropped"
                            );
                            if let Some(reply) = forward.reply() {
                                assert!(
                                    f.routes(&reply),
                                    "{gateway}: {rule:?}: reply {reply:?} dropped"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The policy of the shipped example inventory (`inventories/example/
/// policy.yml`; keep the two in step).
fn example_policy() -> Oracle {
    Oracle {
        rules: vec![
            rule(&["internet"], &["web"], &["https"], ""),
            rule(&["web"], &["app"], &["app"], ""),
            rule(&["app"], &["db"], &["postgres"], ""),
            rule(&["web", "app", "db"], &["internet"], &["dns", "https"], ""),
            rule(&["dev-web"], &["dev-app"], &["app"], ""),
            rule(
                &["dev-web", "dev-app"],
                &["internet"],
                &["dns", "https"],
                "",
            ),
        ],
    }
}

/// Every selector and service form, lists, tags, `any`, `ip` both ways,
/// a rule between VRFs, an expired rule and one that expires later.
fn rich_policy() -> Oracle {
    Oracle {
        rules: vec![
            rule(
                &["internet"],
                &["web"],
                &["https", "icmp"],
                "log: true, comment: \"public site\"",
            ),
            rule(&["web"], &["app"], &["app"], ""),
            rule(
                &["app"],
                &["db"],
                &["postgres"],
                "log: true, comment: \"app servers to their database\"",
            ),
            rule(&["web", "app", "db"], &["internet"], &["dns", "https"], ""),
            rule(&["tag:internet-facing"], &["internet"], &["udp/123"], ""),
            rule(&["dev-web"], &["dev-app"], &["app"], ""),
            rule(
                &["dev-web", "dev-app"],
                &["internet"],
                &["dns", "https"],
                "",
            ),
            rule(&["any"], &["db"], &["icmp"], ""),
            rule(&["dev-app"], &["app"], &["ip"], ""),
            rule(&["db"], &["app", "web"], &["udp/514-516"], ""),
            rule(&["app", "db"], &["app", "db"], &["tcp/9100"], ""),
            rule(&["internet"], &["any"], &["tcp/22"], ""),
            rule(&["internet"], &["db"], &["ip"], "expires: 2001-01-01"),
            rule(
                &["internet"],
                &["app"],
                &["tcp/8443"],
                "expires: 2999-12-31",
            ),
        ],
    }
}

#[test]
fn the_example_policy_holds_as_a_packet_filter() {
    let oracle = example_policy();
    let (_dir, filters) = build_example(None);
    routed_exactly_as_the_policy_says(&oracle, &filters);
    allowed_flows_pass_both_ways(&oracle, &filters);
}

#[test]
fn every_selector_and_service_form_holds_as_a_packet_filter() {
    let oracle = rich_policy();
    let (_dir, filters) = build_with(&oracle);
    routed_exactly_as_the_policy_says(&oracle, &filters);
    allowed_flows_pass_both_ways(&oracle, &filters);
}

/// Both policies again where every ACL is bound `in`: the same packets
/// pass and drop, and no gateway binds an ACL `out`.
#[test]
fn the_policies_hold_with_ingress_only_acls() {
    for oracle in [example_policy(), rich_policy()] {
        let (_dir, filters) = build_on(copy_ingress_only_example, Some(&oracle));
        for (gateway, f) in &filters {
            assert!(f.svis.values().all(|s| s.acl_out.is_none()), "{gateway}");
            assert!(f.svis.values().any(|s| s.acl_in.is_some()), "{gateway}");
        }
        routed_exactly_as_the_policy_says(&oracle, &filters);
        allowed_flows_pass_both_ways(&oracle, &filters);
    }
}

/// The denials a reader expects, spelled out (the exhaustive check above
/// covers them too).
#[test]
fn named_denials() {
    let (_dir, filters) = build_with(&rich_policy());
    let tcp = |src: &str, dst: &str, dport: u16| Packet {
        src: if src == "internet" {
            INTERNET[0]
        } else {
            subnet(src).host(10)
        },
        dst: subnet(dst).host(10),
        transport: Transport::Tcp {
            sport: EPHEMERAL,
            dport,
            established: false,
        },
    };
    for f in filters.values() {
        // The Internet reaches only what is exposed, on what is exposed.
        assert!(f.routes(&tcp("internet", "web", 443)));
        assert!(!f.routes(&tcp("internet", "web", 80)));
        assert!(!f.routes(&tcp("internet", "dev-app", 8000)));
        // The expired rule is gone; the one expiring in 2999 is not.
        assert!(!f.routes(&tcp("internet", "db", 5432)));
        assert!(f.routes(&tcp("internet", "app", 8443)));
        // A segment reaches another only on the services it was granted.
        assert!(f.routes(&tcp("app", "db", 5432)));
        assert!(!f.routes(&tcp("web", "db", 5432)));
        assert!(!f.routes(&tcp("web", "app", 22)));
        assert!(!f.routes(&tcp("app", "db", 5433)));
        // Allowed one way is not allowed the other way.
        assert!(!f.routes(&tcp("db", "app", 5432)));
        // Layer-2-only segments are out of reach.
        assert!(!f.routes(&tcp("web", "iscsi", 3260)));
    }
}

#[test]
fn acls_carry_counters_logs_remarks_and_keep_hsrp() {
    let (_dir, filters) = build_with(&rich_policy());
    let agg1 = &filters["agg1"];
    let agg2 = &filters["agg2"];
    assert_eq!(
        (&agg1.acls, &agg1.address_groups, &agg1.port_groups),
        (&agg2.acls, &agg2.address_groups, &agg2.port_groups),
        "both gateways filter alike"
    );
    assert!(!agg1.acls.is_empty());
    let edges: Vec<&str> = agg1
        .routed_ports
        .values()
        .filter_map(|p| p.acl_in.as_deref())
        .collect();
    for (name, acl) in &agg1.acls {
        assert!(acl.statistics, "{name}: no `statistics per-entry`");
        let last = acl.entries.last().unwrap();
        // The external links' ACLs protect the switches and pass the rest
        // on to the segments' ACLs.
        assert_eq!(
            last.permit,
            edges.contains(&name.as_str()),
            "{name} must end in an explicit deny (permit on external links)"
        );
    }
    // Every routed segment's SVI filters both ways, every external link
    // its ingress; the backup paths' /31 SVIs carry no segment.
    for (name, svi) in &agg1.svis {
        let transit = svi.subnet.is_some_and(|p| p.len == 31);
        assert_eq!(
            svi.acl_in.is_some() && svi.acl_out.is_some(),
            !transit,
            "{name}"
        );
    }
    assert_eq!(agg1.routed_ports.len(), 2);
    assert!(agg1.routed_ports.values().all(|p| p.acl_in.is_some()));
    // `log: true` logs the flow, not its replies, and only where Nexus
    // 9000 can log: ingress. A flow between segments is logged by the
    // source's `-in` ACL, a flow from the Internet by the external links'
    // ACL; the comment is a remark right before the rule's entries.
    for (name, svi) in &agg1.svis {
        if let Some(out) = &svi.acl_out {
            let out = &agg1.acls[out];
            assert!(!out.entries.iter().any(|e| e.log), "{name}: log on egress");
        }
    }
    let app_in = &agg1.acls["app-in"];
    let logged: Vec<_> = app_in.entries.iter().filter(|e| e.log).collect();
    assert_eq!(logged.len(), 1, "{app_in:#?}");
    assert_eq!(
        logged[0].destination,
        nxos_acl::Address::Prefix(subnet("db"))
    );
    let (remark_seq, text) = app_in
        .remarks
        .iter()
        .find(|(_, t)| t.as_str() == "app servers to their database")
        .unwrap();
    assert_eq!(logged[0].seq, remark_seq + 10, "{text}");
    assert!(!agg1.acls["db-in"].entries.iter().any(|e| e.log));
    let edge = &agg1.acls["prod-edge"];
    let logged: Vec<_> = edge.entries.iter().filter(|e| e.log).collect();
    assert_eq!(logged.len(), 2, "https and icmp into web: {edge:#?}");
    assert!(logged
        .iter()
        .all(|e| e.destination == nxos_acl::Address::Prefix(subnet("web"))));
    assert!(!agg1.acls["dev-edge"].entries.iter().any(|e| e.log));
    // HSRP hellos of the peer (link-local multicast) enter the SVI: router
    // ACLs do not match multicast on Nexus 9000, so no entry names it (one
    // would never match and would only mislead).
    let hello = Packet {
        src: subnet("web").host(3),
        dst: Ipv4Addr::new(224, 0, 0, 102),
        transport: Transport::Udp {
            sport: 1985,
            dport: 1985,
        },
    };
    assert_eq!(agg1.evaluate("web-in", &hello), (true, None));
    let multicast = Prefix::parse("224.0.0.0/4");
    for (name, acl) in &agg1.acls {
        for e in &acl.entries {
            let names_multicast = match &e.destination {
                nxos_acl::Address::Prefix(p) => multicast.contains(p.host(0)),
                nxos_acl::Address::Group(g) => agg1.address_groups[g]
                    .iter()
                    .any(|p| multicast.contains(p.host(0))),
                nxos_acl::Address::Any => false,
            };
            assert!(!names_multicast, "{name} {}: a multicast entry", e.seq);
        }
    }
}

/// Nothing reaches the switches' own addresses (SVI, HSRP virtual,
/// external links) but ICMP echo from a segment to its own gateway and
/// ICMP errors from segments: nothing else from any segment, nothing at
/// all from the Internet.
#[test]
fn the_switches_own_addresses_are_out_of_reach() {
    let (_dir, filters) = build_with(&rich_policy());
    let mut routers: Vec<Ipv4Addr> = filters
        .values()
        .flat_map(|f| f.router_addresses())
        .collect();
    routers.sort_unstable();
    routers.dedup();
    // Both members' SVI addresses, the virtual ones, the four links, both
    // ends of the backup path (`copy_example` puts every segment in VRF
    // prod, so VRF dev has no gateway and needs no backup path).
    assert_eq!(routers.len(), 5 * 3 + 4 + 2, "{routers:?}");
    for (gateway, f) in &filters {
        let sources: Vec<Ipv4Addr> = addresses()
            .into_iter()
            .filter(|a| !matches!(end_of(*a), End::Unrouted(_)))
            .chain(INTERNET)
            .collect();
        for &dst in &routers {
            for &src in &sources {
                let from_segment = f.svi_of(src).is_some();
                let own_gateway = f
                    .svi_of(src)
                    .is_some_and(|s| s.subnet.unwrap().contains(dst));
                for (transport, reaches) in [
                    (
                        Transport::Tcp {
                            sport: EPHEMERAL,
                            dport: 22,
                            established: false,
                        },
                        false,
                    ),
                    (
                        Transport::Tcp {
                            sport: 443,
                            dport: EPHEMERAL,
                            established: true,
                        },
                        false,
                    ),
                    (
                        Transport::Tcp {
                            sport: EPHEMERAL,
                            dport: 179,
                            established: false,
                        },
                        false,
                    ),
                    (
                        Transport::Udp {
                            sport: EPHEMERAL,
                            dport: 161,
                        },
                        false,
                    ),
                    (
                        Transport::Udp {
                            sport: 53,
                            dport: EPHEMERAL,
                        },
                        false,
                    ),
                    (Transport::Other(47), false),
                    (Transport::Icmp { icmp_type: 8 }, own_gateway),
                    (Transport::Icmp { icmp_type: 3 }, from_segment),
                ] {
                    let packet = Packet {
                        src,
                        dst,
                        transport,
                    };
                    assert_eq!(f.reaches_switch(&packet), reaches, "{gateway}: {packet:?}");
                }
            }
        }
    }
}

/// ICMP errors pass into and out of every segment, to and from the
/// Internet too; stateless replies reach only the client's ephemeral
/// ports: a UDP packet from port 53 or a TCP packet with ACK from port
/// 443 aimed at a well-known port is dropped.
#[test]
fn icmp_errors_pass_and_replies_reach_only_ephemeral_ports() {
    let (_dir, filters) = build_example(None);
    let from = |src: Ipv4Addr, dst: Ipv4Addr, transport| Packet {
        src,
        dst,
        transport,
    };
    let web = subnet("web").host(10);
    let app = subnet("app").host(10);
    let db = subnet("db").host(10);
    for f in filters.values() {
        for icmp_type in [3, 11] {
            let icmp = Transport::Icmp { icmp_type };
            // Fragmentation needed from a router on the Internet path, and
            // from a VM to an Internet client (no rule allows ICMP).
            assert!(f.routes(&from(INTERNET[0], db, icmp)), "{icmp_type} in");
            assert!(f.routes(&from(db, INTERNET[0], icmp)), "{icmp_type} out");
            assert!(f.routes(&from(web, db, icmp)), "{icmp_type} between");
        }
        // Not every ICMP: echo to db is no rule's.
        assert!(!f.routes(&from(INTERNET[0], db, Transport::Icmp { icmp_type: 8 })));
        // DNS replies to app's clients: ephemeral yes, anything else no.
        let dns_reply = |dport| Transport::Udp { sport: 53, dport };
        assert!(f.routes(&from(INTERNET[0], app, dns_reply(EPHEMERAL))));
        assert!(f.routes(&from(INTERNET[0], app, dns_reply(1024))));
        for dport in [1, 22, 161, 514, 1023] {
            assert!(
                !f.routes(&from(INTERNET[0], app, dns_reply(dport))),
                "{dport}"
            );
        }
        // An `established` packet from 443 to a server's SSH port.
        let acked = Transport::Tcp {
            sport: 443,
            dport: 22,
            established: true,
        };
        assert!(!f.routes(&from(INTERNET[0], app, acked)));
        // Replies of app → db come only from db, to app's ephemeral ports.
        let pg_reply = |dport| Transport::Tcp {
            sport: 5432,
            dport,
            established: true,
        };
        assert!(f.routes(&from(db, app, pg_reply(EPHEMERAL))));
        assert!(!f.routes(&from(db, app, pg_reply(80))));
        assert!(!f.routes(&from(web, app, pg_reply(EPHEMERAL))));
    }
}

#[derive(Debug, Clone)]
struct RandomRule {
    from: Vec<&'static str>,
    to: Vec<&'static str>,
    allow: Vec<&'static str>,
    log: bool,
}

const ENDS: &[&str] = &[
    "web",
    "app",
    "db",
    "dev-web",
    "dev-app",
    "internet",
    "any",
    "tag:internet-facing",
];
const ALLOW: &[&str] = &[
    "tcp/443",
    "tcp/8000-8099",
    "udp/53",
    "udp/500-600",
    "icmp",
    "ip",
    "https",
    "dns",
    "tcp/1-1023",
];

fn random_rule() -> impl Strategy<Value = RandomRule> {
    let pick = |pool: &'static [&'static str]| {
        prop::collection::btree_set(prop::sample::select(pool), 1..=3)
            .prop_map(|s| s.into_iter().collect::<Vec<_>>())
    };
    (pick(ENDS), pick(ENDS), pick(ALLOW), any::<bool>()).prop_map(|(from, to, allow, log)| {
        RandomRule {
            from,
            to,
            allow,
            log,
        }
    })
}

/// The policy lines `check` reports with `codes`.
fn lines_with(dir: &std::path::Path, codes: &[&str]) -> Vec<usize> {
    let result = liaison(&["check", dir.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    let mut lines: Vec<usize> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| codes.contains(&d["code"].as_str().unwrap()))
        .inspect(|d| assert!(d["file"].as_str().unwrap().ends_with("policy.yml")))
        .map(|d| d["line"].as_u64().unwrap() as usize)
        .collect();
    lines.sort_unstable();
    lines
}

/// The policy lines `check` reports as shadowed or redundant.
fn reported_lines(dir: &std::path::Path) -> Vec<usize> {
    lines_with(dir, &["W011", "W012"])
}

/// `oracle` without the rules at the policy.yml lines in `lines`.
fn without_lines(oracle: &Oracle, lines: &[usize]) -> Oracle {
    Oracle {
        rules: oracle
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| !lines.contains(&(first_rule_line() + i)))
            .map(|(_, r)| r.clone())
            .collect(),
    }
}

#[test]
fn an_overlapping_policy_reports_exactly_the_rules_that_change_nothing() {
    let oracle = Oracle {
        rules: vec![
            /* 0 */ rule(&["web"], &["internet"], &["tcp/443"], ""),
            /* 1 */ rule(&["web", "app"], &["internet"], &["https", "udp/53"], ""),
            /* 2 */ rule(&["web"], &["internet"], &["https"], ""),
            /* 3 */ rule(&["web"], &["app"], &["tcp/8000-8099"], ""),
            /* 4 */ rule(&["web"], &["app"], &["tcp/8050"], ""),
            /* 5 */ rule(&["web"], &["app"], &["tcp/8000-8200"], ""),
            /* 6 */ rule(&["any"], &["db"], &["icmp"], ""),
            /* 7 */ rule(&["app"], &["db"], &["icmp"], ""),
            /* 8 */ rule(&["tag:internet-facing"], &["db"], &["icmp", "tcp/5432"], ""),
            /* 9 */ rule(&["dev-app"], &["app"], &["ip"], ""),
            /* 10 */
            rule(
                &["dev-app"],
                &["app"],
                &["tcp/1-1023", "udp/53", "icmp"],
                "",
            ),
            /* 11 */ rule(&["app", "db"], &["app", "db"], &["tcp/9100"], ""),
            /* 12 */ rule(&["app"], &["db"], &["tcp/9100"], ""),
            /* 13 */ rule(&["internet"], &["web"], &["https"], ""),
            /* 14 */ rule(&["internet"], &["web", "app"], &["https"], ""),
            /* 15 */ rule(&["db"], &["app"], &["tcp/9100", "tcp/9200"], ""),
        ],
    };
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path());
    std::fs::write(dir.path().join("policy.yml"), oracle.yaml()).unwrap();
    let line =
        |rules: &[usize]| -> Vec<usize> { rules.iter().map(|i| first_rule_line() + i).collect() };
    // Shadowed: each is inside what came before it.
    assert_eq!(lines_with(dir.path(), &["W011"]), line(&[2, 4, 7, 10, 12]));
    // Redundant: inside a later rule that stays (0 in 1, 3 in 5, 13 in 14).
    assert_eq!(lines_with(dir.path(), &["W012"]), line(&[0, 3, 13]));
    // Partly new rules (1, 5, 8, 15) are kept; without the reported ones
    // the ACLs let through exactly the same packets.
    let pruned = without_lines(&oracle, &reported_lines(dir.path()));
    assert_eq!(pruned.rules.len(), 8);
    let (_dir, filters) = build_with(&pruned);
    routed_exactly_as_the_policy_says(&oracle, &filters);
}

/// Line of the first rule in the policy.yml that `Oracle::yaml` writes.
fn first_rule_line() -> usize {
    SERVICES.len() + 4
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Removing every rule `check` calls shadowed or redundant changes no
    /// flow; a narrowed copy of an earlier rule is always reported.
    #[test]
    fn reported_rules_change_nothing(
        rules in prop::collection::vec(random_rule(), 1..=6),
        copy in any::<prop::sample::Index>(),
    ) {
        let mut oracle = Oracle {
            rules: rules
                .iter()
                .map(|r| rule(&r.from, &r.to, &r.allow, ""))
                .collect(),
        };
        // Plant a copy of one rule, narrowed to its first service.
        let mut planted = oracle.rules[copy.index(oracle.rules.len())].clone();
        planted.allow.truncate(1);
        oracle.rules.push(planted);
        let dir = tempfile::tempdir().unwrap();
        copy_example(dir.path());
        std::fs::write(dir.path().join("policy.yml"), oracle.yaml()).unwrap();
        let reported = reported_lines(dir.path());
        let planted_line = first_rule_line() + oracle.rules.len() - 1;
        // A flow needs two different ends (every end has an address here).
        let planted_has_flows = {
            let p = oracle.rules.last().unwrap();
            let addresses = addresses();
            addresses.iter().any(|a| {
                addresses.iter().any(|b| {
                    end_of(*a) != end_of(*b)
                        && p.from.iter().any(|s| selects(s, end_of(*a)))
                        && p.to.iter().any(|s| selects(s, end_of(*b)))
                })
            })
        };
        if planted_has_flows {
            prop_assert!(reported.contains(&planted_line), "{reported:?} misses line {planted_line}:\n{}", oracle.yaml());
        }
        let pruned = without_lines(&oracle, &reported);
        prop_assume!(!pruned.rules.is_empty());
        let (_dir, filters) = build_with(&pruned);
        routed_exactly_as_the_policy_says(&oracle, &filters);
    }

    /// Random policies over the example fabric hold as packet filters.
    #[test]
    fn random_policies_hold_as_packet_filters(rules in prop::collection::vec(random_rule(), 1..=6)) {
        let oracle = Oracle {
            rules: rules
                .iter()
                .map(|r| rule(&r.from, &r.to, &r.allow, if r.log { "log: true" } else { "" }))
                .collect(),
        };
        let (_dir, filters) = build_with(&oracle);
        routed_exactly_as_the_policy_says(&oracle, &filters);
        allowed_flows_pass_both_ways(&oracle, &filters);
    }

    /// The same where every ACL is bound `in` (ingress-only gateways).
    #[test]
    fn random_policies_hold_with_ingress_only_acls(rules in prop::collection::vec(random_rule(), 1..=6)) {
        let oracle = Oracle {
            rules: rules
                .iter()
                .map(|r| rule(&r.from, &r.to, &r.allow, if r.log { "log: true" } else { "" }))
                .collect(),
        };
        let (_dir, filters) = build_on(copy_ingress_only_example, Some(&oracle));
        routed_exactly_as_the_policy_says(&oracle, &filters);
        allowed_flows_pass_both_ways(&oracle, &filters);
    }
}

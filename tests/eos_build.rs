//! The example fabric built for Arista EOS (`inventories/example-eos`:
//! inventories/example with `platform: eos` and Arista models), read back: the configs parse with the EOS dialect, every host
//! port carries exactly its zone's VLANs, the ACLs pass and drop the same
//! packets as the NX-OS build of the same inventory, and the simulated EOS
//! switch takes every line.

mod common;

use common::nxos_acl::{self, Filters, Packet};
use common::*;
use liaison::platform::Platform;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::net::Ipv4Addr;
use std::process::{Command, Stdio};

const PROD: [u16; 5] = [110, 120, 130, 200, 300];
const DEV: [u16; 3] = [410, 420, 430];
const GATEWAYS: [&str; 2] = ["agg1", "agg2"];

fn set(vlans: &[u16]) -> BTreeSet<u16> {
    vlans.iter().copied().collect()
}

/// The same fabric on NX-OS (inventories/example), built.
fn nxos_example() -> (tempfile::TempDir, BTreeMap<String, Config>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    let configs = build(dir.path());
    (dir, configs)
}

fn eos_example() -> (tempfile::TempDir, BTreeMap<String, Config>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    let configs = build(dir.path());
    (dir, configs)
}

/// The VLANs a port carries: its own list, or its port-channel's.
fn carried(config: &Config, name: &str) -> Option<BTreeSet<u16>> {
    let port = &config.interfaces[name];
    match port.channel_group {
        Some(n) => config.interfaces[&format!("Port-Channel{n}")]
            .allowed
            .clone(),
        None => port.allowed.clone(),
    }
}

#[test]
fn eos_configs_parse_back_with_the_eos_dialect_and_indent_by_three() {
    let (_dir, configs) = eos_example();
    assert_eq!(configs.len(), 8);
    for (name, config) in &configs {
        let tree = liaison::config::parse(&config.text, Platform::Eos)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(tree.line_count() > 20, "{name}");
        assert!(config.text.ends_with("\nend\n"), "{name}");
        for line in config.text.lines() {
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 3, 0, "{name}: `{line}`");
        }
        assert!(
            !config.text.contains("port-channel"),
            "{name}: NX-OS spelling"
        );
        assert!(!config.text.contains("object-group"), "{name}");
        // MLAG: the peer VLAN, its trunk group on the peer-link only, its
        // SVI, and the domain.
        let mlag = config.section("mlag configuration").expect(name);
        assert!(
            mlag.iter().any(|l| l == "local-interface Vlan4094"),
            "{name}"
        );
        let peer_link = mlag
            .iter()
            .find_map(|l| l.strip_prefix("peer-link "))
            .expect(name);
        let trunk_group = config.section("vlan 4094").unwrap();
        assert!(trunk_group.contains(&"trunk group mlag-peer".to_string()));
        let grouped: Vec<&String> = config
            .interfaces
            .iter()
            .filter(|(_, p)| {
                p.lines
                    .iter()
                    .any(|l| l == "switchport trunk group mlag-peer")
            })
            .map(|(n, _)| n)
            .collect();
        assert_eq!(grouped, [peer_link], "{name}");
        assert!(carried(config, peer_link).unwrap().contains(&4094));
        assert_eq!(config.globals("no spanning-tree vlan-id 4094").len(), 1);
        let peer_svi = &config.interfaces["Vlan4094"];
        assert!(peer_svi.lines.iter().any(|l| l == "no autostate"));
        // Every pair member bundles its peer's ports into `mlag N`.
        assert!(config
            .interfaces
            .values()
            .any(|p| p.lines.iter().any(|l| l.starts_with("mlag "))));
    }
    // The two members of a pair take the two addresses of one /31.
    let address = |c: &Config, prefix: &str| -> String {
        let lines = &c.interfaces["Vlan4094"].lines;
        let own = lines
            .iter()
            .find_map(|l| l.strip_prefix("ip address "))
            .unwrap();
        let peer = c.section("mlag configuration").unwrap();
        let peer = peer
            .iter()
            .find_map(|l| l.strip_prefix("peer-address "))
            .unwrap();
        format!("{prefix}{own} {peer}")
    };
    assert_eq!(address(&configs["agg1"], ""), "169.254.0.0/31 169.254.0.1");
    assert_eq!(address(&configs["agg2"], ""), "169.254.0.1/31 169.254.0.0");
    // Gateways: VARP, one virtual MAC, each member its own address.
    for agg in GATEWAYS {
        let c = &configs[agg];
        assert_eq!(c.globals("ip virtual-router mac-address").len(), 1);
        let svi = &c.interfaces["Vlan110"].lines;
        assert!(svi.contains(&"ip virtual-router address 10.1.10.1".to_string()));
        assert!(svi.contains(&"vrf prod".to_string()));
        assert!(c.globals("vrf instance prod").len() == 1);
        assert!(c.globals("ip routing vrf prod").len() == 1);
    }
    assert_ne!(
        configs["agg1"].interfaces["Vlan110"].lines,
        configs["agg2"].interfaces["Vlan110"].lines
    );
    // Spanning tree: MSTP, the gateways root of instances 0 and 1.
    let agg = &configs["agg1"];
    assert_eq!(agg.globals("spanning-tree mode mstp").len(), 1);
    assert_eq!(agg.globals("spanning-tree mst 0 priority 4096").len(), 1);
    assert_eq!(agg.globals("spanning-tree mst 1 priority 4096").len(), 1);
    assert!(configs["tor1a"]
        .globals("spanning-tree mst 0 priority")
        .iter()
        .all(|l| !l.ends_with(" 4096")));
    // ToRs route nothing.
    assert!(configs["tor1a"].globals("ip routing").is_empty());
}

#[test]
fn every_host_port_carries_exactly_its_zones_vlans_on_eos() {
    let (_dir, configs) = eos_example();
    for (tor, chassis, vlans, members) in [
        ("tor1a", "chassis enc1", set(&PROD), 2),
        ("tor1b", "chassis enc2", set(&PROD), 2),
        ("tor2a", "chassis enc3", set(&DEV), 2),
    ] {
        let ports = configs[tor].ports_described(chassis);
        assert_eq!(ports.len(), 1 + members, "{tor} {chassis}");
        for (name, _) in ports {
            assert_eq!(
                carried(&configs[tor], name),
                Some(vlans.clone()),
                "{tor} {name}"
            );
        }
    }
    for host in ["kvm01", "kvm04", "kvm06"] {
        for tor in ["tor3a", "tor3b"] {
            let ports = configs[tor].ports_described(&format!("host {host}"));
            assert!(!ports.is_empty(), "{host} on {tor}");
            for (name, _) in ports {
                assert_eq!(
                    carried(&configs[tor], name),
                    Some(set(&PROD)),
                    "{tor} {name}"
                );
            }
        }
    }
    // No production VLAN below tor2 (4094 is the pair's MLAG peer VLAN).
    for tor in ["tor2a", "tor2b"] {
        let mut vlans = configs[tor].vlans.clone();
        assert!(vlans.remove(&4094), "{tor}");
        assert_eq!(vlans, set(&DEV));
    }
    // The same allowed lists as the NX-OS build of the same inventory.
    let (_nxos_dir, nxos) = nxos_example();
    for (switch, config) in &nxos {
        for (name, port) in &config.interfaces {
            let Some(allowed) = &port.allowed else {
                continue;
            };
            let eos_name = eos_name(name);
            let mut eos = carried(&configs[switch], &eos_name).expect(&eos_name);
            eos.remove(&4094); // the MLAG peer VLAN
            assert_eq!(&eos, allowed, "{switch} {name}");
        }
    }
}

/// The EOS name of an NX-OS example port: the EOS example cables the same
/// ports as `inventories/example`, `Ethernet1/N` written as a 7050SX3's or
/// 7280SR3's `EthernetN` (SFP ports 1-48) or `EthernetN/1` (QSFP ports,
/// first lane), so its bundles keep the NX-OS numbers.
fn eos_name(nxos: &str) -> String {
    if let Some(n) = nxos.strip_prefix("port-channel") {
        return format!("Port-Channel{n}");
    }
    match nxos
        .strip_prefix("Ethernet1/")
        .and_then(|n| n.parse::<u16>().ok())
    {
        Some(n) if n > 48 => format!("Ethernet{n}/1"),
        Some(n) => format!("Ethernet{n}"),
        None => nxos.to_string(),
    }
}

/// One host of every segment, an Internet address, and each gateway's
/// own addresses.
fn sample_addresses(filters: &Filters) -> Vec<Ipv4Addr> {
    let mut out: BTreeSet<Ipv4Addr> = filters
        .svis
        .values()
        .filter(|s| s.acl_in.is_some())
        .filter_map(|s| s.subnet)
        .map(|p| p.host(10))
        .collect();
    out.extend(filters.router_addresses());
    out.insert(Ipv4Addr::new(198, 51, 100, 7));
    out.into_iter().collect()
}

#[test]
fn eos_acls_pass_and_drop_the_same_packets_as_on_nxos() {
    let (_dir, eos) = eos_example();
    let (_nxos_dir, nxos) = nxos_example();
    for gateway in GATEWAYS {
        let n = nxos_acl::parse(&nxos[gateway].text);
        let e = nxos_acl::parse(&eos[gateway].text);
        assert!(e.address_groups.is_empty() && e.port_groups.is_empty());
        assert_eq!(
            n.acls.keys().collect::<Vec<_>>(),
            e.acls.keys().collect::<Vec<_>>(),
            "{gateway}"
        );
        assert!(e.acls.values().all(|a| a.statistics), "counters per-entry");
        // Bound on the same interfaces, the same way.
        for (svi, binding) in &n.svis {
            let other = &e.svis[svi];
            assert_eq!(
                (
                    &binding.acl_in,
                    &binding.acl_out,
                    &binding.vrf,
                    binding.subnet
                ),
                (&other.acl_in, &other.acl_out, &other.vrf, other.subnet),
                "{gateway} {svi}"
            );
        }
        for (port, routed) in &n.routed_ports {
            assert_eq!(routed, &e.routed_ports[&eos_name(port)], "{gateway} {port}");
        }
        let addresses = sample_addresses(&n);
        let mut checked = 0usize;
        for acl in n.acls.keys() {
            for &src in &addresses {
                for &dst in &addresses {
                    for transport in nxos_acl::transports(&[22, 53, 443, 5432, 8080, 50000]) {
                        let packet = Packet {
                            src,
                            dst,
                            transport,
                        };
                        assert_eq!(
                            n.evaluate(acl, &packet).0,
                            e.evaluate(acl, &packet).0,
                            "{gateway} {acl} {packet:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}

/// The EOS example (inventories/example-eos) with 7050SX3 gateways, a family liaison gives no
/// egress ACL on SVIs (src/platform/eos/acl.rs): ingress-only placement.
fn ingress_only_example() -> (tempfile::TempDir, BTreeMap<String, Config>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    set_gateway_models(dir.path(), "DCS-7050SX3-48YC8");
    let configs = build(dir.path());
    (dir, configs)
}

#[test]
fn ingress_only_gateways_bind_no_acl_out() {
    let (_dir, configs) = ingress_only_example();
    let (_egress_dir, egress) = eos_example();
    for gateway in GATEWAYS {
        let text = &configs[gateway].text;
        let out: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("ip access-group ") && l.ends_with(" out"))
            .collect();
        assert!(out.is_empty(), "{gateway}: {out:?}");
        let filters = nxos_acl::parse(text);
        assert!(
            filters.acls.keys().all(|n| !n.ends_with("-out")),
            "{gateway}"
        );
        // Every routed segment still has its ingress ACL, every external
        // link its edge ACL.
        for (svi, binding) in &filters.svis {
            if binding.subnet.is_some_and(|p| p.len < 31) {
                assert!(binding.acl_in.is_some(), "{gateway} {svi}");
            }
        }
        assert!(filters.routed_ports.values().all(|p| p.acl_in.is_some()));
        // The 7280SR3 build of the same fabric binds both.
        assert!(egress[gateway]
            .text
            .lines()
            .any(|l| l.trim_start().starts_with("ip access-group web-out out")));
    }
}

/// Every sampled packet is routed by the ingress-only gateways exactly
/// when the NX-OS gateways (egress ACLs) route it, and reaches the
/// switches exactly when it does there: from every segment (those with a
/// gateway here, and those without, standing for another aggregation
/// block's through the core) and from the Internet, to every segment,
/// gateway address and the Internet, on every sampled transport.
#[test]
fn ingress_only_placement_passes_and_drops_what_egress_placement_does() {
    let (_dir, eos) = ingress_only_example();
    let (_nxos_dir, nxos) = nxos_example();
    for gateway in GATEWAYS {
        let n = nxos_acl::parse(&nxos[gateway].text);
        let e = nxos_acl::parse(&eos[gateway].text);
        assert!(n.svis.values().any(|s| s.acl_out.is_some()));
        assert!(e.svis.values().all(|s| s.acl_out.is_none()));
        let mut addresses = sample_addresses(&n);
        // iscsi and vmotion: segments without a gateway.
        addresses.extend([Ipv4Addr::new(10, 20, 0, 10), Ipv4Addr::new(10, 30, 0, 10)]);
        let routers = n.router_addresses();
        let (mut checked, mut routed, mut dropped) = (0usize, 0usize, 0usize);
        for &src in &addresses {
            for &dst in &addresses {
                // From a switch's own address (its transit link to its
                // peer among them) is not a segment's or the Internet's
                // traffic.
                if src == dst || routers.contains(&src) {
                    continue;
                }
                for transport in nxos_acl::transports(&[22, 53, 443, 5432, 8080, 50000]) {
                    let packet = Packet {
                        src,
                        dst,
                        transport,
                    };
                    let expected = n.routes(&packet);
                    assert_eq!(expected, e.routes(&packet), "{gateway} routes {packet:?}");
                    if routers.contains(&dst) {
                        assert_eq!(
                            n.reaches_switch(&packet),
                            e.reaches_switch(&packet),
                            "{gateway} reaches the switch {packet:?}"
                        );
                    }
                    if expected {
                        routed += 1;
                    } else {
                        dropped += 1;
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
        // Both outcomes are sampled, and the policy's flows among them.
        assert!(routed > 100 && dropped > 1_000, "{routed} {dropped}");
        for (src, dst, port) in [
            ("10.1.10.10", "10.1.20.10", 8080),  // web → app
            ("10.1.20.10", "10.1.30.10", 5432),  // app → db
            ("198.51.100.7", "10.1.10.10", 443), // internet → web
        ] {
            let packet = Packet {
                src: src.parse().unwrap(),
                dst: dst.parse().unwrap(),
                transport: nxos_acl::Transport::Tcp {
                    sport: 50000,
                    dport: port,
                    established: false,
                },
            };
            assert!(e.routes(&packet), "{gateway} {packet:?}");
            assert!(
                e.routes(&packet.reply().unwrap()),
                "{gateway} reply {packet:?}"
            );
        }
    }
}

/// Types a rendered config into `liaison-eos-sim` (its offline
/// `--device` mode) and returns what it answered.
fn type_into_simulator(name: &str, text: &str) -> (String, String) {
    let state = tempfile::tempdir().unwrap();
    let mut input = String::from("configure\n");
    for line in text.lines() {
        if !line.starts_with('!') && line != "end" {
            input.push_str(line);
            input.push('\n');
        }
    }
    input.push_str("end\nshow running-config\nexit\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_liaison-eos-sim"))
        .args(["--state", state.path().to_str().unwrap(), "--device", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("liaison-eos-sim runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_simulated_eos_switch_takes_every_line() {
    let (_dir, configs) = eos_example();
    for name in ["agg1", "tor1a", "tor3b"] {
        let (answer, stderr) = type_into_simulator(name, &configs[name].text);
        let refused: Vec<&str> = answer.lines().filter(|l| l.contains("% ")).collect();
        assert!(refused.is_empty(), "{name}: {refused:?}\n{stderr}");
        // It took them: its running config holds each section.
        assert!(
            answer.contains("! Command: show running-config"),
            "{name}: {answer}"
        );
        for header in [
            "mlag configuration",
            "spanning-tree mst configuration",
            "interface Vlan4094",
        ] {
            assert!(
                answer.contains(&format!("\n{header}\n")),
                "{name}: {header}"
            );
        }
        if name == "agg1" {
            for header in [
                "ip access-list web-in",
                "interface Vlan110",
                "vrf instance prod",
            ] {
                assert!(
                    answer.contains(&format!("\n{header}\n")),
                    "{name}: {header}"
                );
            }
            assert!(answer.contains("\nip route vrf prod 0.0.0.0/0 192.0.2.100\n"));
        }
        // The simulator's config reads back with the EOS dialect.
        let start = answer.find("! Command: show running-config").unwrap();
        let end = answer[start..].find("\nend\n").unwrap() + start + 5;
        liaison::config::parse(&answer[start..end], Platform::Eos).unwrap();
    }
}

/// A gateway model liaison's table does not list gets the fallback,
/// ingress-only, and `check` says so once per gateway, at its `model`.
#[test]
fn an_unknown_gateway_model_warns_w070_and_is_ingress_only() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    replace(
        dir.path(),
        "switches.yml",
        "model: DCS-7280SR3-48YC8",
        "model: DCS-7020SR-32C2",
    );
    let (code, stdout, stderr) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert_eq!(all.matches("W070").count(), 1, "{all}");
    assert!(
        all.contains("gateway `agg1` has model `DCS-7020SR-32C2`, which liaison's table of where EOS router ACLs can filter does not list: its SVIs get ingress ACLs only"),
        "{all}"
    );
    assert!(all.contains("switches.yml:2"), "{all}");
    assert!(all.contains("Give the switch's exact model"), "{all}");
    let configs = build(dir.path());
    for gateway in GATEWAYS {
        assert!(
            !configs[gateway].text.contains(" out\n"),
            "{gateway}: the pair is ingress-only when one member is"
        );
    }
}

/// Between a block with egress ACLs and an ingress-only one, every
/// sampled packet crosses exactly when it does between two blocks with
/// egress ACLs: judged by the source block's ACLs on its way out (the
/// source segment's `-in`) and the destination block's on its way in
/// (the external links' ACL, then, with egress ACLs, the destination's
/// `-out`). The ingress-only block's external links hold `lab-web`'s
/// inbound policy.
#[test]
fn flows_between_an_egress_block_and_an_ingress_only_block_are_judged_as_with_egress_acls() {
    let egress = Gateways::Eos("DCS-7280SR3-48YC8");
    ingress_only_block_judges_as(egress, egress);
}

/// The same on a mixed-platform fabric: between an NX-OS block and an
/// EOS ingress-only block every sampled packet crosses exactly when it
/// does between two NX-OS blocks.
#[test]
fn flows_between_an_nxos_block_and_an_eos_ingress_only_block_are_judged_as_between_nxos_blocks() {
    ingress_only_block_judges_as(Gateways::Nxos, Gateways::Nxos);
    let (_dir, configs) = two_blocks(Gateways::Nxos, Gateways::Eos("DCS-7050SX3-48YC8"));
    assert!(configs["agg1"].text.contains("feature vpc\n"));
    assert!(configs["agg3"].text.contains("mlag configuration\n"));
}

/// Block 1 with `block1` gateways, block 2 ingress-only EOS (7050SX3)
/// against block 2 with `reference` gateways (egress ACLs): see
/// [`two_blocks`].
fn ingress_only_block_judges_as(block1: Gateways, reference: Gateways) {
    let (_dir, mixed) = two_blocks(block1, Gateways::Eos("DCS-7050SX3-48YC8"));
    let (_egress_dir, egress) = two_blocks(block1, reference);
    assert!(!mixed["agg3"].text.contains(" out\n"));
    assert!(egress["agg3"]
        .text
        .contains("ip access-group lab-web-out out\n"));
    assert!(mixed["agg1"].text.contains("ip access-group web-out out\n"));
    let filters = |configs: &BTreeMap<String, Config>| {
        (
            nxos_acl::parse(&configs["agg1"].text),
            nxos_acl::parse(&configs["agg3"].text),
        )
    };
    let (m1, m3) = filters(&mixed);
    let (e1, e3) = filters(&egress);
    let crosses = |a: &Filters, b: &Filters, packet: &Packet| {
        // Out of the block whose segment holds the source (the Internet:
        // neither), into the other.
        let (from, to) = if b.svi_of(packet.src).is_some() {
            (b, a)
        } else {
            (a, b)
        };
        let leaves = from.svi_of(packet.src).is_none() || from.routes(packet);
        leaves && to.routes(packet)
    };
    let block1: Vec<Ipv4Addr> = ["10.1.10.10", "10.1.20.10", "10.1.30.10"]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
    let block2: Ipv4Addr = "10.5.10.10".parse().unwrap();
    let internet: Ipv4Addr = "198.51.100.7".parse().unwrap();
    let mut pairs: Vec<(Ipv4Addr, Ipv4Addr)> = Vec::new();
    for &a in &block1 {
        pairs.push((a, block2));
        pairs.push((block2, a));
    }
    pairs.push((internet, block2));
    let mut allowed = 0;
    for (src, dst) in pairs {
        for transport in nxos_acl::transports(&[22, 53, 443, 5432, 8080, 50000]) {
            let packet = Packet {
                src,
                dst,
                transport,
            };
            let expected = crosses(&e1, &e3, &packet);
            assert_eq!(expected, crosses(&m1, &m3, &packet), "{packet:?}");
            allowed += usize::from(expected);
        }
    }
    let tcp = |src: &str, dst: &str, dport: u16| Packet {
        src: src.parse().unwrap(),
        dst: dst.parse().unwrap(),
        transport: nxos_acl::Transport::Tcp {
            sport: 50000,
            dport,
            established: false,
        },
    };
    for (packet, want) in [
        (tcp("10.1.10.10", "10.5.10.10", 22), true),
        (tcp("10.1.20.10", "10.5.10.10", 22), false),
        (tcp("10.5.10.10", "10.1.20.10", 8080), true),
        (tcp("10.5.10.10", "10.1.30.10", 5432), false),
        (tcp("198.51.100.7", "10.5.10.10", 443), true),
        (tcp("198.51.100.7", "10.5.10.10", 22), false),
    ] {
        assert_eq!(crosses(&m1, &m3, &packet), want, "{packet:?}");
        if want {
            let reply = packet.reply().unwrap();
            assert!(crosses(&m1, &m3, &reply), "reply {reply:?}");
        }
    }
    assert!(allowed >= 6, "{allowed}");
}

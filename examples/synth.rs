//! Deterministic synthetic inventory generator, for benchmarks and scale tests.
//!
//! ```text
//! cargo run --release --example synth -- --switches 1000 --hosts 20000 --segments 2000 --out /tmp/dc
//! ```
//!
//! The fabric is shaped like a large three-tier data center:
//!
//! - aggregation blocks `b<N>`, each an aggregation vPC pair (`b<N>-agg1/2`,
//!   the gateways) with up to 24 ToR vPC pairs (`b<N>-t<M>a/b`) below it;
//! - every pair has a two-cable peer-link (Ethernet1/53-54); every ToR
//!   member has one uplink to each aggregation member (Ethernet1/49-50), so
//!   each ToR pair forms a double-sided vPC with its aggregation pair;
//! - aggregation downlinks use Ethernet1/1-48, then Ethernet2/x and so on;
//! - hosts are spread evenly over all ToR pairs: blade chassis (up to 16
//!   blades, two ports per ToR member on Ethernet1/1-32) and rack servers
//!   (one NIC per ToR member on Ethernet1/33-48, alternating `lag: none` and
//!   `lag: lacp`);
//! - zones (`b<N>z<K>`) belong to one block; segments are split over the
//!   blocks and their zones with unique VLANs and /24 subnets, VRF `b<N>`;
//!   routed subnets are numbered one after the other from 10.0.0.0 and
//!   layer-2 ones from 10.128.0.0, so each set aggregates into few prefixes;
//! - the default policy deploys application stacks: Internet to the web
//!   segments, web k to app k, app k to db k, every routed segment out to
//!   DNS and HTTPS;
//! - zone 0 of each block carries the block's `storage` segment and lives on
//!   the block's first ToR pair only, which is what the `only_on` guardrail
//!   allows (together with the aggregation switches, where the storage
//!   array of the block is attached).
//!
//! - `--rules N` replaces the default policy (a few rules per zone) by N
//!   rules over the routed segments, for the policy benchmark
//!   (`scripts/bench-policy.sh`): segment to segment, Internet to web,
//!   segments to the Internet and `tag:` rules, each allowing a port of its
//!   own so no rule covers another by accident, and every tenth rule a
//!   narrowed copy of an earlier one, which `check` must report as
//!   shadowed (W011). The count is printed as `planted-shadowed: K`.
//!
//! - `--raise-tcam` declares raised ACL TCAM limits for the aggregation
//!   model, the one table real gateways could not hold for large fabrics
//!   (see `raised_tcam_limits`); without it every limit is the shipped one.
//!
//! Output is a pure function of the arguments: choices come from a fixed-
//! seed generator, never from the clock or the system.

use clap::Parser;

/// `--raise-tcam`: the one raised limit a synthetic fabric may declare.
/// Every routed segment has an `-in` and an `-out` ACL on each of its
/// gateways, so a gateway pair's ACL TCAM grows with the routed segments
/// behind it: some 25 ingress and 80 egress entries each in the default
/// policy, so the 75 of a block of the 1,000-switch benchmark fabric need
/// about 1,900 and 6,200, over the regions of any Nexus 9300 default
/// carving (`liaison check` prints the exact figures). Every other table
/// (VLANs, spanning tree, MAC, ARP, port-channels, vPCs) keeps the shipped
/// limits, which real switches hold for these fabrics.
fn raised_tcam_limits() -> String {
    "# Synthetic fabric: the aggregation switches' ACL TCAM limits are raised,\n\
     # and nothing else. A gateway pair holds an -in and an -out ACL for every\n\
     # routed segment behind it; with this many segments per block that is more\n\
     # TCAM than a Nexus 9000 default carving has (see `liaison check`). All\n\
     # other limits are the shipped ones (platforms/limits.yml).\n\
     platform_limits:\n  - model: N9K-C9504\n    \
     source: \"synthetic fabric: ACL TCAM raised beyond real hardware, see limits.yml\"\n    \
     acl_tcam_entries: 100000000\n    acl_tcam_egress_entries: 100000000\n"
        .to_string()
}
use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::PathBuf;

/// ToR pairs per aggregation block at most (48 downlinks per aggregation member).
const TOR_PAIRS_PER_BLOCK: usize = 24;
/// Zones per aggregation block.
const ZONES_PER_BLOCK: usize = 4;
/// Blades per chassis.
const BAYS: usize = 16;
/// Chassis per ToR pair (two ports each on Ethernet1/1-32).
const CHASSIS_PER_PAIR: usize = 16;
/// Rack servers per ToR pair (one port each on Ethernet1/33-48).
const RACK_PER_PAIR: usize = 16;
/// Usable VLANs: 2-3967.
const MAX_SEGMENTS: usize = 3966;

#[derive(Parser)]
#[command(about = "Write a deterministic synthetic liaison inventory")]
pub struct Args {
    /// Number of switches (even, at least 4).
    #[arg(long)]
    pub switches: usize,
    /// Number of hypervisor hosts.
    #[arg(long)]
    pub hosts: usize,
    /// Number of segments (at most 3966).
    #[arg(long)]
    pub segments: usize,
    /// Output directory (created if missing; the generated files are overwritten).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of policy rules (replaces the default policy; at most 45,000).
    #[arg(long)]
    pub rules: Option<usize>,
    /// Declare raised ACL TCAM limits for the aggregation switches (and no
    /// other): for fabrics whose gateways carry more ACLs than real TCAM holds.
    #[arg(long)]
    pub raise_tcam: bool,
}

/// A small fixed-seed generator (SplitMix64): reproducible choices.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `k` different items of `pool` (fewer when it is smaller).
    fn some<'a>(&mut self, pool: &[&'a str], k: usize) -> Vec<&'a str> {
        let mut picked: Vec<&str> = Vec::with_capacity(k);
        while picked.len() < k.min(pool.len()) {
            let item = pool[self.below(pool.len())];
            if !picked.contains(&item) {
                picked.push(item);
            }
        }
        picked
    }
}

/// `total` split into `parts` nearly equal shares, larger ones first.
fn share(total: usize, parts: usize, i: usize) -> usize {
    total / parts + usize::from(i < total % parts)
}

struct Block {
    id: usize,
    tor_pairs: usize,
    /// Zone index → segment indices (global) of that zone.
    zones: Vec<Vec<usize>>,
}

impl Block {
    fn agg(&self, member: usize) -> String {
        format!("b{}-agg{}", self.id, member + 1)
    }

    fn tor(&self, pair: usize, member: usize) -> String {
        format!("b{}-t{}{}", self.id, pair + 1, ["a", "b"][member])
    }

    fn zone(&self, zone: usize) -> String {
        format!("b{}z{}", self.id, zone)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Vmotion,
    Storage,
    Web,
    App,
    Db,
}

struct Segment {
    name: String,
    kind: Kind,
    vlan: usize,
    block: usize,
}

/// Aggregation-side port number `k` (0-based): Ethernet1/1-48, Ethernet2/1-48, …
fn agg_port(k: usize) -> String {
    format!("Ethernet{}/{}", k / 48 + 1, k % 48 + 1)
}

fn main() -> Result<(), String> {
    run(&Args::parse())
}

/// Writes the inventory `args` describe (also used by the scale tests).
pub fn run(args: &Args) -> Result<(), String> {
    if args.switches < 4 || args.switches % 2 != 0 {
        return Err(
            "--switches must be even and at least 4 (an aggregation pair and a ToR pair)".into(),
        );
    }
    if args.rules.is_some_and(|r| r > 45_000) {
        return Err("--rules must be at most 45,000 (each takes a port of its own)".into());
    }
    if args.segments > MAX_SEGMENTS {
        return Err(format!(
            "--segments must be at most {MAX_SEGMENTS} (VLANs 2-3967)"
        ));
    }
    let pairs = args.switches / 2;
    let block_count = pairs.div_ceil(TOR_PAIRS_PER_BLOCK + 1);
    let total_tor_pairs = pairs - block_count;
    let capacity = total_tor_pairs * (CHASSIS_PER_PAIR * BAYS + RACK_PER_PAIR);
    if args.hosts > capacity {
        return Err(format!(
            "{} hosts do not fit on {total_tor_pairs} ToR pairs (at most {capacity})",
            args.hosts
        ));
    }

    // Segments: split over blocks, then round-robin over the block's zones.
    let mut segments: Vec<Segment> = Vec::with_capacity(args.segments);
    let mut blocks: Vec<Block> = Vec::with_capacity(block_count);
    let vlan_base = if args.segments + 100 <= 3968 { 100 } else { 2 };
    for b in 0..block_count {
        let count = share(args.segments, block_count, b);
        let zone_count = count.clamp(1, ZONES_PER_BLOCK);
        let mut zones: Vec<Vec<usize>> = vec![Vec::new(); zone_count];
        for j in 0..count {
            let z = j % zone_count;
            let k = zones[z].len();
            let kind = match (z, k) {
                (_, 0) => Kind::Vmotion,
                (0, 1) => Kind::Storage,
                (0, _) => [Kind::Web, Kind::App, Kind::Db][(k - 2) % 3],
                _ => [Kind::Web, Kind::App, Kind::Db][(k - 1) % 3],
            };
            let label = match kind {
                Kind::Vmotion => "vmotion",
                Kind::Storage => "storage",
                Kind::Web => "web",
                Kind::App => "app",
                Kind::Db => "db",
            };
            let index = segments.len();
            segments.push(Segment {
                name: format!("b{b}z{z}-{label}{k}"),
                kind,
                vlan: vlan_base + index,
                block: b,
            });
            zones[z].push(index);
        }
        blocks.push(Block {
            id: b,
            tor_pairs: share(total_tor_pairs, block_count, b),
            zones,
        });
    }

    let mut files = vec![
        ("fabric.yml", fabric(args, &blocks)),
        ("switches.yml", switches(&blocks)),
        ("segments.yml", zones_and_segments(&blocks, &segments)),
        (
            "policy.yml",
            match args.rules {
                Some(rules) => {
                    let (text, planted) = synthetic_policy(&segments, rules);
                    println!("planted-shadowed: {planted}");
                    text
                }
                None => policy(&blocks, &segments),
            },
        ),
        ("endpoints.yml", endpoints(&blocks, &segments)),
        ("guardrails.yml", guardrails(&blocks)),
    ];
    if args.raise_tcam {
        files.push(("limits.yml", raised_tcam_limits()));
    }
    let (chassis, hosts) = hosts(args, &blocks, total_tor_pairs);
    let _ = std::fs::remove_file(args.out.join("limits.yml"));
    std::fs::create_dir_all(&args.out)
        .map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    for (name, text) in files
        .into_iter()
        .chain([("chassis.yml", chassis), ("hosts.yml", hosts)])
    {
        let path = args.out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!(
        "{}: {} switches ({} blocks, {} ToR pairs), {} hosts, {} segments",
        args.out.display(),
        args.switches,
        block_count,
        total_tor_pairs,
        args.hosts,
        args.segments
    );
    Ok(())
}

fn fabric(args: &Args, blocks: &[Block]) -> String {
    format!(
        "# Synthetic fabric: {} switches in {} aggregation blocks, {} hosts, {} segments.\n\
         fabric:\n  name: synth\n  gateway_role: aggregation\n  ssh:\n    username: netops\n    \
         key_file: ~/.ssh/id_ed25519\n    known_hosts: ~/.ssh/known_hosts\n",
        args.switches,
        blocks.len(),
        args.hosts,
        args.segments
    )
}

fn mgmt(index: usize) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(Ipv4Addr::new(172, 16, 0, 10)) + index as u32)
}

fn switches(blocks: &[Block]) -> String {
    let mut out = String::from("switches:\n");
    let mut links = String::from("\nlinks:\n");
    let mut n = 0;
    for block in blocks {
        let agg = [block.agg(0), block.agg(1)];
        for (m, name) in agg.iter().enumerate() {
            let pair = if m == 0 {
                format!(", pair: {}", agg[1])
            } else {
                String::new()
            };
            writeln!(
                out,
                "  - {{ name: {name}, role: aggregation, platform: nxos, model: N9K-C9504, mgmt: {}{pair},\n      \
                 description: \"block {} aggregation\" }}",
                mgmt(n),
                block.id
            )
            .unwrap();
            n += 1;
        }
        writeln!(links, "  # block {}", block.id).unwrap();
        for port in ["Ethernet1/53", "Ethernet1/54"] {
            writeln!(links, "  - [{}:{port}, {}:{port}]", agg[0], agg[1]).unwrap();
        }
        let mut downlink = 0;
        for t in 0..block.tor_pairs {
            let tor = [block.tor(t, 0), block.tor(t, 1)];
            for (m, name) in tor.iter().enumerate() {
                let pair = if m == 0 {
                    format!(", pair: {}", tor[1])
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "  - {{ name: {name}, role: tor, platform: nxos, model: N9K-C93180YC-FX, mgmt: {}{pair} }}",
                    mgmt(n)
                )
                .unwrap();
                n += 1;
            }
            for port in ["Ethernet1/53", "Ethernet1/54"] {
                writeln!(links, "  - [{}:{port}, {}:{port}]", tor[0], tor[1]).unwrap();
            }
            for t_member in &tor {
                let port = agg_port(downlink);
                downlink += 1;
                writeln!(links, "  - [{t_member}:Ethernet1/49, {}:{port}]", agg[0]).unwrap();
                writeln!(links, "  - [{t_member}:Ethernet1/50, {}:{port}]", agg[1]).unwrap();
            }
        }
    }
    out + &links
}

fn zones_and_segments(blocks: &[Block], segments: &[Segment]) -> String {
    let mut out = String::from("zones:\n");
    for block in blocks {
        for (z, members) in block.zones.iter().enumerate() {
            let names: Vec<&str> = members.iter().map(|&i| segments[i].name.as_str()).collect();
            writeln!(
                out,
                "  - name: {}\n    segments: [{}]",
                block.zone(z),
                names.join(", ")
            )
            .unwrap();
        }
    }
    out.push_str("\nsegments:\n");
    // The address plan an engineer would draw: routed subnets one after the
    // other from 10.0.0.0, layer-2 ones (vMotion, storage) from 10.128.0.0,
    // so that each set aggregates into a few prefixes and the object-groups
    // every ACL uses (`segments-gateway`, `segments-all`) stay short.
    let (mut routed, mut layer2) = (0u32, 0u32);
    for segment in segments {
        let (base, next) = match segment.kind {
            Kind::Vmotion | Kind::Storage => (Ipv4Addr::new(10, 128, 0, 0), &mut layer2),
            Kind::Web | Kind::App | Kind::Db => (Ipv4Addr::new(10, 0, 0, 0), &mut routed),
        };
        let subnet = Ipv4Addr::from(u32::from(base) + (*next << 8));
        *next += 1;
        let extra = match segment.kind {
            Kind::Vmotion => ", routed: false".to_string(),
            Kind::Storage => {
                ", routed: false, tags: [storage], description: \"iSCSI to the block array\""
                    .to_string()
            }
            Kind::Web => format!(", vrf: b{}, tags: [internet-facing]", segment.block),
            Kind::App | Kind::Db => format!(", vrf: b{}", segment.block),
        };
        writeln!(
            out,
            "  - {{ name: {}, vlan: {}, subnet: {subnet}/24{extra} }}",
            segment.name, segment.vlan
        )
        .unwrap();
    }
    out
}

fn policy(blocks: &[Block], segments: &[Segment]) -> String {
    let mut out = format!("{SERVICES}\npolicy:\n");
    if segments.iter().any(|s| s.kind == Kind::Web) {
        out.push_str("  - { from: tag:internet-facing, to: internet, allow: [icmp] }\n");
    }
    let list = |names: &[&str]| format!("[{}]", names.join(", "));
    for block in blocks {
        for members in &block.zones {
            let of = |kind: Kind| -> Vec<&str> {
                members
                    .iter()
                    .filter(|&&i| segments[i].kind == kind)
                    .map(|&i| segments[i].name.as_str())
                    .collect()
            };
            let (web, app, db) = (of(Kind::Web), of(Kind::App), of(Kind::Db));
            if !web.is_empty() {
                writeln!(
                    out,
                    "  - {{ from: internet, to: {}, allow: [https] }}",
                    list(&web)
                )
                .unwrap();
            }
            // One application stack per web segment: web k talks to app k,
            // app k to db k (a tier with fewer segments is shared round-
            // robin), as applications are deployed; not every tier to every
            // other, which no one would write and no TCAM would hold.
            let stacks = |from: &[&str], to: &[&str], allow: &str, out: &mut String| {
                if from.is_empty() || to.is_empty() {
                    return;
                }
                for k in 0..from.len().max(to.len()) {
                    writeln!(
                        out,
                        "  - {{ from: {}, to: {}, allow: {allow} }}",
                        from[k % from.len()],
                        to[k % to.len()]
                    )
                    .unwrap();
                }
            };
            stacks(&web, &app, "[app]", &mut out);
            stacks(&app, &db, "[postgres, tcp/6432], log: true", &mut out);
            let routed: Vec<&str> = web.iter().chain(&app).chain(&db).copied().collect();
            if !routed.is_empty() {
                writeln!(
                    out,
                    "  - {{ from: {}, to: internet, allow: [dns, https] }}",
                    list(&routed)
                )
                .unwrap();
            }
        }
    }
    out
}

/// The services every synthetic policy names.
const SERVICES: &str =
    "services:\n  https: [tcp/443]\n  dns: [udp/53, tcp/53]\n  app: [tcp/8000-8099]\n  \
                        postgres: [tcp/5432]\n  ssh: [tcp/22]\n";

/// `rules` rules over the routed segments (see the module documentation);
/// returns the policy file and how many rules are shadowed by construction.
fn synthetic_policy(segments: &[Segment], rules: usize) -> (String, usize) {
    let of = |kinds: &[Kind]| -> Vec<&str> {
        segments
            .iter()
            .filter(|s| kinds.contains(&s.kind))
            .map(|s| s.name.as_str())
            .collect()
    };
    let (web, front, db, routed) = (
        of(&[Kind::Web]),
        of(&[Kind::Web, Kind::App]),
        of(&[Kind::Db]),
        of(&[Kind::Web, Kind::App, Kind::Db]),
    );
    let apps = of(&[Kind::App]);
    let mut choices = Choices(0x5EED);
    let mut written: Vec<(Vec<&str>, Vec<&str>, Vec<String>)> = Vec::with_capacity(rules);
    let mut out = String::from(SERVICES);
    out.push_str("\npolicy:\n");
    let mut planted = 0;
    for i in 0..rules {
        let own = 20_000 + i;
        let rule = if i % 10 == 9 && !written.is_empty() {
            // A narrowed copy of an earlier rule: shadowed by it.
            let (from, to, allow) = &written[choices.below(written.len())];
            planted += 1;
            (
                vec![from[0]],
                vec![to[0]],
                vec![allow[choices.below(allow.len())].clone()],
            )
        } else {
            let shape = i % 10;
            if shape < 4 && !front.is_empty() && !db.is_empty() {
                let n = 1 + choices.below(3);
                let m = 1 + choices.below(2);
                let service = ["app", "postgres", "ssh"][choices.below(3)];
                (
                    choices.some(&front, n),
                    choices.some(&db, m),
                    vec![service.to_string(), format!("tcp/{own}")],
                )
            } else if shape < 6 && !web.is_empty() {
                let m = 1 + choices.below(2);
                (
                    vec!["internet"],
                    choices.some(&web, m),
                    vec!["https".to_string(), format!("tcp/{own}")],
                )
            } else if (shape < 8 || apps.is_empty()) && !routed.is_empty() {
                let n = 1 + choices.below(3);
                (
                    choices.some(&routed, n),
                    vec!["internet"],
                    vec!["dns".to_string(), format!("udp/{own}")],
                )
            } else if !apps.is_empty() && !web.is_empty() {
                let m = 1 + choices.below(2);
                (
                    vec!["tag:internet-facing"],
                    choices.some(&apps, m),
                    vec![format!("tcp/{own}")],
                )
            } else {
                continue; // no routed segment at all: no policy
            }
        };
        writeln!(
            out,
            "  - {{ from: [{}], to: [{}], allow: [{}] }}",
            rule.0.join(", "),
            rule.1.join(", "),
            rule.2.join(", ")
        )
        .unwrap();
        if i % 10 != 9 {
            written.push(rule);
        }
    }
    (out, planted)
}

fn endpoints(blocks: &[Block], segments: &[Segment]) -> String {
    let mut out = String::from("endpoints:\n");
    let mut any = false;
    for block in blocks {
        let storage: Vec<&str> = block
            .zones
            .iter()
            .flatten()
            .filter(|&&i| segments[i].kind == Kind::Storage)
            .map(|&i| segments[i].name.as_str())
            .collect();
        if storage.is_empty() {
            continue;
        }
        any = true;
        writeln!(
            out,
            "  - {{ name: b{}-array, description: \"storage array, controllers A/B\",\n      \
             ports: [{}:Ethernet1/51, {}:Ethernet1/51], segments: [{}], lag: lacp }}",
            block.id,
            block.agg(0),
            block.agg(1),
            storage.join(", ")
        )
        .unwrap();
    }
    if !any {
        out = String::from("endpoints: []\n");
    }
    out.push_str("\nexternal:\n");
    for block in blocks {
        for m in 0..2 {
            let base = u32::from(Ipv4Addr::new(100, 64, 0, 0)) + ((block.id * 2 + m) as u32) * 2;
            writeln!(
                out,
                "  - {{ switch: {}, port: Ethernet1/49, address: {}/31, next_hop: {}, vrf: b{} }}",
                block.agg(m),
                Ipv4Addr::from(base + 1),
                Ipv4Addr::from(base),
                block.id
            )
            .unwrap();
        }
    }
    out
}

fn guardrails(blocks: &[Block]) -> String {
    let mut allowed: Vec<String> = Vec::new();
    for block in blocks {
        allowed.extend([block.agg(0), block.agg(1)]);
        if block.tor_pairs > 0 {
            allowed.extend([block.tor(0, 0), block.tor(0, 1)]);
        }
    }
    format!(
        "guardrails:\n  \
         # No segment carries `pci` yet: the rule guards the future.\n  \
         - {{ name: dmz-apart, never_together: [internet-facing, pci] }}\n  \
         # Storage VLANs only where the SAN is: aggregation and each block's first ToR pair.\n  \
         - {{ name: san-only-here, tag: storage, only_on: [{}] }}\n",
        allowed.join(", ")
    )
}

/// Blade chassis and hosts: (chassis.yml, hosts.yml).
fn hosts(args: &Args, blocks: &[Block], total_tor_pairs: usize) -> (String, String) {
    let mut chassis_out = String::from("chassis:\n");
    let mut hosts_out = String::from("hosts:\n");
    let (mut pair_index, mut chassis_n, mut blade_n, mut rack_n) = (0, 0, 0, 0);
    for block in blocks {
        let zone_count = block.zones.len();
        // Attachment units (chassis, rack servers) of the block, for the
        // zone round-robin outside the first ToR pair.
        let mut unit = 0;
        let mut zone_for = |t: usize| {
            if t == 0 || zone_count == 1 {
                0
            } else {
                let z = 1 + unit % (zone_count - 1);
                unit += 1;
                z
            }
        };
        for t in 0..block.tor_pairs {
            let here = share(args.hosts, total_tor_pairs, pair_index);
            pair_index += 1;
            let rack = (here * 2 / 5).min(RACK_PER_PAIR);
            let blades = here - rack;
            let tor = [block.tor(t, 0), block.tor(t, 1)];
            for c in 0..blades.div_ceil(BAYS) {
                chassis_n += 1;
                let name = format!("enc{chassis_n:05}");
                let ports = format!("Ethernet1/{}, Ethernet1/{}", 2 * c + 1, 2 * c + 2);
                writeln!(
                    chassis_out,
                    "  - name: {name}\n    description: \"blade frame {c} under {}/{}\"\n    uplinks:\n      \
                     - {{ switch: {}, ports: [{ports}] }}\n      - {{ switch: {}, ports: [{ports}] }}",
                    tor[0], tor[1], tor[0], tor[1]
                )
                .unwrap();
                let zone = block.zone(zone_for(t));
                for bay in 1..=BAYS.min(blades - c * BAYS) {
                    blade_n += 1;
                    writeln!(
                        hosts_out,
                        "  - {{ name: esx{blade_n:05}, zone: {zone}, chassis: {name}, bay: {bay} }}"
                    )
                    .unwrap();
                }
            }
            for r in 0..rack {
                rack_n += 1;
                let port = 33 + r;
                let zone = block.zone(zone_for(t));
                let lag = if r % 2 == 0 { "none" } else { "lacp" };
                writeln!(
                    hosts_out,
                    "  - {{ name: kvm{rack_n:05}, zone: {zone}, nics: [{}:Ethernet1/{port}, {}:Ethernet1/{port}], lag: {lag} }}",
                    tor[0], tor[1]
                )
                .unwrap();
            }
        }
    }
    if chassis_n == 0 {
        chassis_out = String::from("chassis: []\n");
    }
    if blade_n + rack_n == 0 {
        hosts_out = String::from("hosts: []\n");
    }
    (chassis_out, hosts_out)
}

//! `liaison why FROM TO PROTO/PORT` answers allowed or denied, names the
//! policy rule (file:line) and the ACL entries (switch, ACL, sequence) that
//! decide, and agrees with the rendered configs run as packet filters.

mod common;

use common::nxos_acl::{self, Packet, Transport};
use common::*;
use liaison::policy::eval;
use liaison::policy::why::{why, Query};

/// `liaison why` on the example: (exit code, stdout, stderr).
fn ask(from: &str, to: &str, service: &str) -> (i32, String, String) {
    let out = liaison(&["why", from, to, service]);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The sequence number of the ACL line `acl` … `line` in the example's
/// rendered agg1 config.
fn seq_of(acl: &str, line: &str) -> u32 {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    let configs = build(dir.path());
    let lines = nxos_acl::numbered_lines(&configs["agg1"].text);
    let found: Vec<u32> = lines
        .iter()
        .filter(|((a, _), text)| a == acl && text.as_str() == line)
        .map(|((_, seq), _)| *seq)
        .collect();
    assert_eq!(found.len(), 1, "{acl}: `{line}` in {lines:#?}");
    found[0]
}

/// The line of `inventories/example/policy.yml` holding `needle`.
fn policy_line(needle: &str) -> usize {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/policy.yml"),
    )
    .unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn an_allowed_flow_names_its_rule_and_entries_both_ways() {
    let (code, stdout, _) = ask("app", "db", "tcp/5432");
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("app (10.1.20.128) → db (10.1.30.128) tcp/5432: allowed"));
    let rule = format!(
        "inventories/example/policy.yml:{}:5",
        policy_line("from: app, to: db")
    );
    assert!(
        stdout.contains(&format!("by the rule at {rule}")),
        "{stdout}"
    );
    let flow = seq_of("db-out", "permit tcp 10.1.20.0/24 10.1.30.0/24 eq 5432");
    let reply = seq_of(
        "app-out",
        "permit tcp 10.1.30.0/24 eq 5432 10.1.20.0/24 range 1024 65535 established",
    );
    let line = |acl: &str, seq: u32| {
        stdout
            .lines()
            .find(|l| l.contains(&format!(" {acl} ")) && l.contains(&format!("seq {seq} ")))
            .unwrap_or_else(|| panic!("no {acl} seq {seq} in:\n{stdout}"))
            .to_string()
    };
    for entry in [line("db-out", flow), line("app-out", reply)] {
        assert!(entry.trim_start().starts_with("agg1, agg2"), "{entry}");
        assert!(entry.contains("permit") && entry.contains(&rule), "{entry}");
    }
}

#[test]
fn a_denied_flow_names_the_entry_that_drops_it() {
    // web was granted app, not db.
    let (code, stdout, _) = ask("web", "db", "tcp/5432");
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.contains("tcp/5432: denied") && stdout.contains("no policy rule allows it"));
    let seq = seq_of("db-out", "deny ip addrgroup segments-all any");
    assert!(
        stdout.lines().any(|l| l.contains(" db-out ")
            && l.contains(&format!("seq {seq} "))
            && l.contains("deny")),
        "{stdout}"
    );
    // From the Internet into a segment that is not exposed.
    let (code, stdout, _) = ask("internet", "app", "tcp/8000");
    assert_eq!(code, 2, "{stdout}");
    let seq = seq_of("app-out", "deny ip any any");
    assert!(stdout.contains(&format!("seq {seq}")), "{stdout}");
}

#[test]
fn addresses_are_placed_in_their_segment_or_the_internet() {
    let (code, stdout, _) = ask("198.51.100.20", "10.1.10.7", "tcp/443");
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("198.51.100.20 (internet) → 10.1.10.7 (web) tcp/443: allowed"));
    assert!(stdout.contains(&format!(
        "policy.yml:{}:5",
        policy_line("from: internet, to: web")
    )));
    let (code, stdout, _) = ask("10.1.10.7", "10.1.10.8", "tcp/22");
    assert_eq!(code, 0);
    assert!(stdout.contains("inside a segment"), "{stdout}");
}

#[test]
fn bad_questions_are_errors_with_hints() {
    let (code, _, stderr) = ask("wbe", "db", "tcp/5432");
    assert_eq!(code, 1);
    assert!(stderr.contains("`wbe` is not a segment") && stderr.contains("did you mean `web`?"));
    let (code, _, stderr) = ask("web", "db", "tcp/5432-5440");
    assert_eq!(code, 1);
    assert!(stderr.contains("one destination port"), "{stderr}");
    let (code, _, stderr) = ask("internet", "8.8.4.4", "udp/53");
    assert_eq!(code, 1);
    assert!(stderr.contains("never crosses the fabric"), "{stderr}");
}

/// On every pair of ends and every service the policy names, `why`'s
/// verdict is what the rendered configs do with the packet.
#[test]
fn why_agrees_with_the_rendered_acls() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    agrees_with_the_rendered_acls(dir.path());
}

/// The same where the gateways take no egress ACL on an SVI (the EOS
/// example with 7050SX3 gateways: docs/policy.md, "Placement is a
/// capability"): the Internet's packets are decided by the external
/// links' ACL, where they enter.
#[test]
fn why_agrees_with_ingress_only_acls() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    set_gateway_models(dir.path(), "DCS-7050SX3-48YC8");
    agrees_with_the_rendered_acls(dir.path());
    let out = liaison(&[
        "why",
        "internet",
        "web",
        "tcp/443",
        dir.path().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("prod-edge in"), "{stdout}");
    assert!(!stdout.contains("-out"), "{stdout}");
    let out = liaison(&[
        "why",
        "internet",
        "app",
        "tcp/8000",
        dir.path().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("prod-edge in") && stdout.contains("deny"),
        "{stdout}"
    );
}

fn agrees_with_the_rendered_acls(dir: &std::path::Path) {
    append(
        dir,
        "policy.yml",
        "  - { from: any, to: db, allow: [icmp] }\n  - { from: dev-app, to: dev-web, allow: [ip] }\n  - { from: internet, to: [web, app], allow: [udp/500-600] }\n",
    );
    let configs = build(dir);
    let filters = nxos_acl::parse(&configs["agg1"].text);
    let analysis = liaison::analyse(dir);
    let (inventory, intent) = (analysis.inventory.unwrap(), analysis.intent.unwrap());
    let ends = [
        "web", "app", "db", "dev-web", "dev-app", "internet", "iscsi",
    ];
    let services = [
        "tcp/443", "tcp/53", "udp/53", "tcp/5432", "tcp/8000", "tcp/8099", "tcp/8100", "udp/500",
        "udp/601", "icmp", "tcp/22",
    ];
    let mut allowed = 0;
    for from in ends {
        for to in ends {
            if from == to || (from == "iscsi" && to == "internet") {
                continue;
            }
            for service in services {
                let query = Query { from, to, service };
                let verdict = why(&inventory, &intent, &query).unwrap();
                let packet = |p: &eval::Packet| Packet {
                    src: p.source,
                    dst: p.destination,
                    transport: match p.transport {
                        eval::Transport::Tcp {
                            source_port,
                            destination_port,
                            established,
                        } => Transport::Tcp {
                            sport: source_port,
                            dport: destination_port,
                            established,
                        },
                        eval::Transport::Udp {
                            source_port,
                            destination_port,
                        } => Transport::Udp {
                            sport: source_port,
                            dport: destination_port,
                        },
                        eval::Transport::Icmp { icmp_type } => Transport::Icmp { icmp_type },
                    },
                };
                let forward = packet(&verdict.forward.packet);
                // A layer-2-only segment has no gateway: nothing leaves it
                // routed, and no route leads into it (the gateway's ACLs
                // are not even consulted from the Internet).
                // VRFs prod and dev are separate routing tables (both
                // reach the Internet): no route between them, whatever the
                // ACLs would let through.
                let vrf = |end: &str| match end {
                    "internet" | "iscsi" => None,
                    e if e.starts_with("dev-") => Some("dev"),
                    _ => Some("prod"),
                };
                let same_vrf = match (vrf(from), vrf(to)) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                let routed = from != "iscsi"
                    && !(from == "internet" && to == "iscsi")
                    && same_vrf
                    && filters.routes(&forward);
                assert_eq!(verdict.allowed, routed, "{from} → {to} {service}");
                if verdict.allowed {
                    allowed += 1;
                    assert!(
                        verdict.rule.is_some(),
                        "{from} → {to} {service}: no rule named"
                    );
                    let reply = verdict.reply.as_ref().unwrap();
                    assert!(reply.passes(), "{from} → {to} {service}: reply");
                    assert!(filters.routes(&packet(&reply.packet)));
                }
            }
        }
    }
    assert!(allowed > 20, "{allowed} allowed flows only");
}

/// The example with `db` in VRF `vault` (no external link there) and the
/// rules naming it left out: it compiles, and nothing routes to `db`.
fn example_with_db_in_vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "segments.yml",
        "subnet: 10.1.30.0/24, vrf: prod",
        "subnet: 10.1.30.0/24, vrf: vault",
    );
    replace(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: db, allow: [postgres], log: true, comment: \"database access is audited\" }\n",
        "",
    );
    replace(
        dir.path(),
        "policy.yml",
        "from: [web, app, db], to: internet",
        "from: [web, app], to: internet",
    );
    dir
}

#[test]
fn segments_in_different_vrfs_are_not_routable_never_allowed() {
    let dir = example_with_db_in_vault();
    let inventory = dir.path().to_str().unwrap();
    let check = liaison(&["check", inventory]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    for (from, to, service, reason) in [
        (
            "web",
            "db",
            "tcp/5432",
            "not routable: web is in VRF prod, db in VRF vault",
        ),
        (
            "db",
            "web",
            "tcp/443",
            "not routable: db is in VRF vault, web in VRF prod",
        ),
        (
            "db",
            "internet",
            "udp/53",
            "not routable: db is in VRF vault, which has no external link",
        ),
        (
            "internet",
            "db",
            "tcp/443",
            "not routable: db is in VRF vault, which has no external link",
        ),
    ] {
        let out = liaison(&["why", from, to, service, inventory]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{from} → {to}: {stdout}");
        let first = stdout.lines().next().unwrap();
        assert!(first.contains(&format!(": {reason}")), "{first}");
        assert!(!stdout.contains("allowed"), "{stdout}");
    }
    // In one VRF, the answer is the ACLs' as before.
    let out = liaison(&["why", "web", "app", "tcp/8000", inventory]);
    assert_eq!(out.status.code(), Some(0));
}

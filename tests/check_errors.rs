//! `liaison check` refuses every broken inventory with the right code at
//! the right place, and `liaison build` then writes nothing.
//!
//! Each test starts from a small valid inventory (`base`), breaks one thing
//! and runs the real binary. Expected locations are computed from the
//! fixture text (`at`), never written by hand.

mod common;

use common::liaison;
use std::path::PathBuf;
use tempfile::TempDir;

type Files = Vec<(&'static str, String)>;

/// A valid inventory: an aggregation pair and a ToR pair (each with a
/// peer-link, the ToRs cabled up to both aggregation switches), a chassis
/// with two blades, one rack server, two zones, four segments, services,
/// policy and one guardrail.
fn base() -> Files {
    let files: [(&'static str, &str); 7] = [
        (
            "fabric.yml",
            "\
fabric:
  name: lab
  gateway_role: aggregation
",
        ),
        (
            "switches.yml",
            "\
switches:
  - { name: agg1, role: aggregation, platform: nxos, mgmt: 192.0.2.11, pair: agg2 }
  - { name: agg2, role: aggregation, platform: nxos, mgmt: 192.0.2.12 }
  - { name: tor1a, role: tor, platform: nxos, mgmt: 192.0.2.21, pair: tor1b }
  - { name: tor1b, role: tor, platform: nxos, mgmt: 192.0.2.22 }

links:
  - [agg1:Ethernet1/53, agg2:Ethernet1/53]
  - [tor1a:Ethernet1/53, tor1b:Ethernet1/53]
  - [tor1a:Ethernet1/49, agg1:Ethernet1/1]
  - [tor1b:Ethernet1/49, agg2:Ethernet1/1]

# VRF prod's way to the Internet (the policy's `internet` rules need it).
external:
  - { switch: agg1, port: Ethernet1/49, address: 192.0.2.101/31, next_hop: 192.0.2.100, vrf: prod }
  - { switch: agg2, port: Ethernet1/49, address: 192.0.2.103/31, next_hop: 192.0.2.102, vrf: prod }
",
        ),
        (
            "chassis.yml",
            "\
chassis:
  - name: enc1
    uplinks:
      - { switch: tor1a, ports: [Ethernet1/1, Ethernet1/2] }
      - { switch: tor1b, ports: [Ethernet1/1, Ethernet1/2] }
",
        ),
        (
            "hosts.yml",
            "\
hosts:
  - { name: esx01, zone: prod, chassis: enc1, bay: 1 }
  - { name: esx02, zone: prod, chassis: enc1, bay: 2 }
  - name: kvm01
    zone: dev
    nics: [tor1a:Ethernet1/10, tor1b:Ethernet1/10]
    lag: lacp
",
        ),
        (
            "segments.yml",
            "\
zones:
  - name: prod
    segments: [web, app, iscsi]
  - name: dev
    segments: [dev-web]

segments:
  - name: web
    vlan: 110
    subnet: 10.1.10.0/24
    vrf: prod
    tags: [internet-facing]
    description: \"public web\"
  - name: app
    vlan: 120
    subnet: 10.1.20.0/24
    gateway: 10.1.20.1
    vrf: prod
  - name: iscsi
    vlan: 200
    subnet: 10.20.0.0/24
    routed: false
    tags: [storage]
  - name: dev-web
    vlan: 410
    subnet: 10.2.10.0/24
    gateway: 10.2.10.254
    vrf: dev
",
        ),
        (
            "policy.yml",
            "\
services:
  https: [tcp/443]
  app: [tcp/8000-8099]

policy:
  - { from: internet, to: web, allow: [https] }
  - { from: web, to: app, allow: [app] }
  - { from: tag:internet-facing, to: internet, allow: [https, udp/53] }
",
        ),
        (
            "guardrails.yml",
            "\
guardrails:
  - { name: san-only-here, tag: storage, only_on: [tor1a, tor1b, agg1, agg2] }
",
        ),
    ];
    files.map(|(name, text)| (name, text.to_string())).into()
}

/// Replaces the one occurrence of `from` in `file` by `to`.
fn edit(files: &mut Files, file: &str, from: &str, to: &str) {
    let text = &mut files.iter_mut().find(|(n, _)| *n == file).unwrap().1;
    assert_eq!(text.matches(from).count(), 1, "`{from}` not once in {file}");
    *text = text.replacen(from, to, 1);
}

/// The base inventory with one edit.
fn base_with(file: &str, from: &str, to: &str) -> Files {
    let mut files = base();
    edit(&mut files, file, from, to);
    files
}

/// `file:LINE` of the one line of `file` that contains `needle`.
fn at(files: &Files, file: &str, needle: &str) -> String {
    let text = &files.iter().find(|(n, _)| *n == file).unwrap().1;
    format!("{file}:{}", common::line_of(text, needle))
}

/// An inventory written to a temporary directory.
struct Fixture {
    tmp: TempDir,
    inv: PathBuf,
}

impl Fixture {
    fn new(files: &Files) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let inv = tmp.path().join("inv");
        std::fs::create_dir(&inv).unwrap();
        for (name, text) in files {
            std::fs::write(inv.join(name), text).unwrap();
        }
        Fixture { tmp, inv }
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    fn check(&self) -> std::process::Output {
        liaison(&["check", self.inv.to_str().unwrap()])
    }

    fn build(&self) -> std::process::Output {
        let out = self.out();
        liaison(&[
            "build",
            self.inv.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
    }

    /// `file.yml:LINE` → the `path:LINE:` prefix the tool prints.
    fn place(&self, loc: &str) -> String {
        let (file, line) = loc.rsplit_once(':').unwrap();
        format!("{}:{line}:", self.inv.join(file).display())
    }

    /// Runs `check` and `build`, asserts both fail and nothing was written;
    /// returns the stderr of `check` and both stdouts.
    fn fails(&self) -> Failure {
        let check = self.check();
        let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
        assert_eq!(check.status.code(), Some(1), "check must fail:\n{stderr}");
        assert!(stderr.contains("error["), "no error reported:\n{stderr}");
        let build = self.build();
        let out = self.out();
        assert_eq!(
            build.status.code(),
            Some(1),
            "build must fail:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        assert!(
            !out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(),
            "build wrote into {}",
            out.display()
        );
        Failure {
            stdout: [check.stdout, build.stdout]
                .map(|s| String::from_utf8_lossy(&s).into_owned())
                .join(""),
            stderr,
        }
    }
}

struct Failure {
    stdout: String,
    stderr: String,
}

impl Failure {
    /// The diagnostic `error[code]` whose `-->` line starts with `place`.
    fn block(&self, code: &str, place: &str) -> &str {
        let header = format!("error[{code}]");
        let arrow = format!("  --> {place}");
        self.stderr
            .split("\n\n")
            .find(|b| b.starts_with(&header) && b.lines().any(|l| l.starts_with(&arrow)))
            .unwrap_or_else(|| {
                panic!("no {header} at {place}:\n{}", self.stderr);
            })
    }

    fn error_count(&self) -> usize {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error["))
            .count()
    }
}

/// Writes `files`, asserts `check` reports `code` at `loc` (`file.yml:LINE`)
/// and `build` writes nothing; returns the diagnostic's text.
fn expect_error(files: &Files, code: &str, loc: &str) -> String {
    let fixture = Fixture::new(files);
    let failure = fixture.fails();
    failure.block(code, &fixture.place(loc)).to_string()
}

/// Writes `files`, asserts `check` passes but warns `code` at `loc`
/// (`file.yml:LINE`) and `build` still writes the configs; returns the
/// warning's text and the built `agg1.cfg`.
fn expect_warning(files: &Files, code: &str, loc: &str) -> (String, String) {
    let fixture = Fixture::new(files);
    let check = fixture.check();
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    assert_eq!(
        check.status.code(),
        Some(0),
        "warnings do not fail:\n{stderr}"
    );
    let header = format!("warning[{code}]");
    let arrow = format!("  --> {}", fixture.place(loc));
    let block = stderr
        .split("\n\n")
        .find(|b| b.starts_with(&header) && b.lines().any(|l| l.starts_with(&arrow)))
        .unwrap_or_else(|| panic!("no {header} at {loc}:\n{stderr}"))
        .to_string();
    let build = fixture.build();
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let agg1 = std::fs::read_to_string(fixture.out().join("agg1.cfg")).unwrap();
    (block, agg1)
}

/// The base inventory with `rule` appended to its policy.
fn with_rule(rule: &str) -> Files {
    let mut files = base();
    let text = &mut files
        .iter_mut()
        .find(|(n, _)| *n == "policy.yml")
        .unwrap()
        .1;
    text.push_str(rule);
    text.push('\n');
    files
}

/// One edit of the base inventory; the error is on the line of `needle`.
fn expect_edit_error(file: &str, from: &str, to: &str, needle: &str, code: &str) -> String {
    let files = base_with(file, from, to);
    let loc = at(&files, file, needle);
    expect_error(&files, code, &loc)
}

#[test]
fn base_inventory_checks_and_builds() {
    let fixture = Fixture::new(&base());
    let check = fixture.check();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
    let build = fixture.build();
    let out = fixture.out();
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".liaison-manifest")
        .collect();
    written.sort();
    assert_eq!(written, ["agg1.cfg", "agg2.cfg", "tor1a.cfg", "tor1b.cfg"]);
    for name in &written {
        assert!(
            std::fs::metadata(out.join(name)).unwrap().len() > 0,
            "{name}"
        );
    }
}

#[test]
fn e001_yaml_syntax_error() {
    let files = base_with("segments.yml", "vlan: 120", "vlan: 120: 121");
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    failure.block(
        "E001",
        &fixture.place(&at(&files, "segments.yml", "120: 121")),
    );
    // The unreadable file's segments are not reported again as dangling
    // references from zones and policy.
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
}

#[test]
fn e002_duplicate_key() {
    let files = base_with(
        "segments.yml",
        "    vlan: 110\n",
        "    vlan: 110\n    vlan: 111\n",
    );
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    let block = failure.block(
        "E002",
        &fixture.place(&at(&files, "segments.yml", "vlan: 111")),
    );
    let first = fixture.place(&at(&files, "segments.yml", "vlan: 110"));
    assert!(
        block.contains(&format!("first defined here: {first}")),
        "{block}"
    );
    // The rest of the file is still read: no follow-up errors about the
    // zones and segments it defines.
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
}

#[test]
fn e003_unknown_key_with_hint() {
    // (file, from, typo, meant); the second typo has no value.
    let cases = [
        ("segments.yml", "description:", "descripton:", "description"),
        (
            "fabric.yml",
            "gateway_role: aggregation",
            "gateway_rol:",
            "gateway_role",
        ),
        ("hosts.yml", "lag: lacp", "lga: lacp", "lag"),
    ];
    for (file, from, typo, meant) in cases {
        let block = expect_edit_error(file, from, typo, typo, "E003");
        assert!(
            block.contains(&format!("did you mean `{meant}`")),
            "{block}"
        );
    }
}

#[test]
fn e009_duplicate_names_across_files() {
    // The same segment and the same service in two files; the second
    // definition is reported, with a note at the first.
    let cases = [
        (
            "segments2.yml",
            "segments:\n  - { name: web, vlan: 150, subnet: 10.1.50.0/24 }\n",
            "segments.yml",
            "name: web",
        ),
        (
            "services2.yml",
            "services:\n  https: [tcp/8443]\n",
            "policy.yml",
            "https: [tcp/443]",
        ),
    ];
    for (file, text, first_file, first_needle) in cases {
        let mut files = base();
        files.push((file, text.to_string()));
        let fixture = Fixture::new(&files);
        let failure = fixture.fails();
        let block = failure.block("E009", &fixture.place(&format!("{file}:2")));
        let first = fixture.place(&at(&files, first_file, first_needle));
        assert!(
            block.contains(&format!("first defined here: {first}")),
            "{block}"
        );
    }
}

#[test]
fn e010_invalid_name() {
    expect_edit_error("hosts.yml", "name: esx01", "name: ESX01", "ESX01", "E010");
}

#[test]
fn e020_vlan_outside_range() {
    for vlan in ["0", "4095", "5000", "-3"] {
        let to = format!("vlan: {vlan}");
        expect_edit_error("segments.yml", "vlan: 120", &to, &to, "E020");
    }
}

#[test]
fn e021_reserved_vlan() {
    for vlan in ["3968", "4000", "4094"] {
        let to = format!("vlan: {vlan}");
        expect_edit_error("segments.yml", "vlan: 120", &to, &to, "E021");
    }
}

#[test]
fn e022_vlan_used_twice() {
    let block = expect_edit_error(
        "segments.yml",
        "vlan: 120",
        "vlan: 110 # again",
        "# again",
        "E022",
    );
    assert!(block.contains("first used here"), "{block}");
}

#[test]
fn e030_invalid_subnet() {
    for subnet in ["10.1.20.0/33", "10.1.300.0/24", "10.1.20.0", "web"] {
        let to = format!("subnet: {subnet}");
        expect_edit_error("segments.yml", "subnet: 10.1.20.0/24", &to, &to, "E030");
    }
}

#[test]
fn e031_host_bits_set() {
    expect_edit_error(
        "segments.yml",
        "subnet: 10.1.20.0/24",
        "subnet: 10.1.20.5/24",
        "10.1.20.5/24",
        "E031",
    );
}

#[test]
fn e032_overlapping_subnets() {
    let files = base_with(
        "segments.yml",
        "subnet: 10.20.0.0/24",
        "subnet: 10.1.10.0/25",
    );
    let block = expect_error(&files, "E032", &at(&files, "segments.yml", "10.1.10.0/25"));
    assert!(block.contains("overlapping subnet"), "{block}");
}

#[test]
fn e033_gateway_outside_subnet() {
    expect_edit_error(
        "segments.yml",
        "gateway: 10.1.20.1",
        "gateway: 10.1.99.1",
        "10.1.99.1",
        "E033",
    );
}

#[test]
fn e034_gateway_is_network_or_broadcast() {
    for gateway in ["10.1.20.0", "10.1.20.255"] {
        let to = format!("gateway: {gateway}");
        expect_edit_error("segments.yml", "gateway: 10.1.20.1", &to, &to, "E034");
    }
}

#[test]
fn e040_dangling_references() {
    // (what, file, from, to): the error is on the line of `to`.
    let cases = [
        (
            "zone → segment",
            "segments.yml",
            "[web, app, iscsi]",
            "[web, app, iscsi, nope]",
        ),
        (
            "host → zone",
            "hosts.yml",
            "esx01, zone: prod",
            "esx01, zone: prdo",
        ),
        (
            "host → chassis",
            "hosts.yml",
            "chassis: enc1, bay: 1",
            "chassis: enc9, bay: 1",
        ),
        (
            "nic → switch",
            "hosts.yml",
            "tor1a:Ethernet1/10",
            "tor9a:Ethernet1/10",
        ),
        (
            "link → switch",
            "switches.yml",
            "agg1:Ethernet1/1]",
            "agg9:Ethernet1/1]",
        ),
        (
            "chassis uplink → switch",
            "chassis.yml",
            "switch: tor1b",
            "switch: tor9b",
        ),
        ("pair → switch", "switches.yml", "pair: agg2", "pair: agg9"),
        ("policy → segment", "policy.yml", "to: app", "to: apq"),
        (
            "policy → service",
            "policy.yml",
            "allow: [app]",
            "allow: [apps]",
        ),
        (
            "policy → tag",
            "policy.yml",
            "tag:internet-facing",
            "tag:pci",
        ),
    ];
    for (what, file, from, to) in cases {
        let block = expect_edit_error(file, from, to, to, "E040");
        assert!(block.contains("unknown "), "{what}: {block}");
    }
}

#[test]
fn e050_port_used_twice() {
    // (file, from, to, first use): the later claim is reported.
    let cases = [
        // A NIC on a port a chassis uplink already uses.
        (
            "tor1a:Ethernet1/10",
            "tor1a:Ethernet1/2",
            ("chassis.yml", "switch: tor1a"),
        ),
        // A NIC on a port a link already uses.
        (
            "tor1b:Ethernet1/10",
            "tor1b:Ethernet1/49",
            ("switches.yml", "tor1b:Ethernet1/49"),
        ),
    ];
    for (from, to, (first_file, first_needle)) in cases {
        let files = base_with("hosts.yml", from, to);
        let fixture = Fixture::new(&files);
        let failure = fixture.fails();
        let block = failure.block("E050", &fixture.place(&at(&files, "hosts.yml", to)));
        let first = fixture.place(&at(&files, first_file, first_needle));
        assert!(
            block.contains(&format!("first used here: {first}")),
            "{block}"
        );
    }
}

#[test]
fn e060_asymmetric_pair() {
    // tor1a names tor1b, but tor1b names agg1.
    let files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.22 }",
        "mgmt: 192.0.2.22, pair: agg1 }",
    );
    expect_error(&files, "E060", &at(&files, "switches.yml", "pair: tor1b"));
}

#[test]
fn e061_self_pair() {
    expect_edit_error(
        "switches.yml",
        "pair: agg2",
        "pair: agg1",
        "pair: agg1",
        "E061",
    );
}

#[test]
fn e070_invalid_services() {
    for spec in ["tcpp/80", "tcp/0", "tcp/65536", "tcp/99-10"] {
        let to = format!("https: [{spec}]");
        let block = expect_edit_error("policy.yml", "https: [tcp/443]", &to, &to, "E070");
        assert!(block.contains(spec), "{block}");
    }
}

#[test]
fn e110_policy_names_a_non_routed_segment() {
    let files = with_rule("  - { from: web, to: iscsi, allow: [tcp/3260] }");
    let block = expect_error(&files, "E110", &at(&files, "policy.yml", "to: iscsi"));
    assert!(block.contains("`iscsi` is not routed"), "{block}");
    assert!(block.contains("hint:"), "{block}");
    // A tag carried only by layer-2 segments cannot take part either.
    let files = with_rule("  - { from: tag:storage, to: internet, allow: [https] }");
    let block = expect_error(&files, "E110", &at(&files, "policy.yml", "tag:storage"));
    assert!(block.contains("tag `storage`"), "{block}");
}

#[test]
fn e010_segment_named_like_a_selector() {
    for name in ["any", "internet"] {
        let files = base_with(
            "segments.yml",
            "  - name: iscsi\n",
            &format!("  - {{ name: {name}, vlan: 150, subnet: 10.1.50.0/24 }}\n  - name: iscsi\n"),
        );
        let block = expect_error(
            &files,
            "E010",
            &at(&files, "segments.yml", &format!("name: {name},")),
        );
        assert!(block.contains("reserved"), "{block}");
    }
}

#[test]
fn e111_invalid_expiry_date() {
    for date in ["2025-02-30", "2025-6-30", "tomorrow"] {
        let files = with_rule(&format!(
            "  - {{ from: web, to: internet, allow: [icmp], expires: {date} }}"
        ));
        let block = expect_error(&files, "E111", &at(&files, "policy.yml", date));
        assert!(block.contains(date), "{block}");
    }
}

#[test]
fn e012_comment_longer_than_a_remark() {
    let comment = "c".repeat(101);
    let files = with_rule(&format!(
        "  - {{ from: web, to: internet, allow: [icmp], comment: \"{comment}\" }}"
    ));
    let block = expect_error(&files, "E012", &at(&files, "policy.yml", &comment));
    assert!(block.contains("100 characters"), "{block}");
}

#[test]
fn w010_expired_rule_is_left_out() {
    let rule = "  - { from: web, to: internet, allow: [tcp/2222], expires: 2001-01-01 }";
    let files = with_rule(rule);
    let (block, agg1) = expect_warning(&files, "W010", &at(&files, "policy.yml", "2001-01-01"));
    assert!(block.contains("expired on 2001-01-01"), "{block}");
    assert!(!agg1.contains("2222"), "an expired rule reaches no ACL");
    // The same rule with a date to come is in force.
    let files = with_rule(&rule.replace("2001-01-01", "2999-12-31"));
    let fixture = Fixture::new(&files);
    assert!(fixture.build().status.success());
    let agg1 = std::fs::read_to_string(fixture.out().join("agg1.cfg")).unwrap();
    assert!(agg1.contains("any eq 2222"), "{agg1}");
}

#[test]
fn w013_rules_that_can_never_match() {
    for (rule, why) in [
        (
            "  - { from: web, to: web, allow: [https] }",
            "stays inside the segment",
        ),
        (
            "  - { from: internet, to: internet, allow: [https] }",
            "never crosses the fabric",
        ),
        ("  - { from: web, to: app, allow: [] }", "allows no service"),
    ] {
        let files = with_rule(rule);
        let (block, _) = expect_warning(&files, "W013", &at(&files, "policy.yml", rule.trim()));
        assert!(block.contains(why), "{block}");
    }
}

#[test]
fn w014_rule_names_a_segment_in_no_zone() {
    let mut files = with_rule("  - { from: web, to: spare, allow: [https] }");
    edit(
        &mut files,
        "segments.yml",
        "  - name: iscsi\n",
        "  - { name: spare, vlan: 150, subnet: 10.1.50.0/24, vrf: prod }\n  - name: iscsi\n",
    );
    let (block, _) = expect_warning(&files, "W014", &at(&files, "policy.yml", "to: spare"));
    assert!(block.contains("`spare` is in no zone"), "{block}");
}

#[test]
fn w011_shadowed_rule_names_the_earlier_rules() {
    // Covered by two earlier rules together: tcp/443 by the base policy's
    // tag:internet-facing rule (web carries the tag), udp/53 likewise.
    let rule = "  - { from: web, to: internet, allow: [tcp/443, udp/53] }";
    let files = with_rule(rule);
    let (block, _) = expect_warning(&files, "W011", &at(&files, "policy.yml", rule.trim()));
    let earlier = at(&files, "policy.yml", "from: tag:internet-facing");
    let note = block
        .lines()
        .find(|l| l.contains("allowed by this earlier rule: "))
        .unwrap_or_else(|| panic!("{block}"));
    assert!(note.ends_with(&format!("/{earlier}:5")), "{block}");
}

#[test]
fn w012_redundant_rule_names_the_later_rule() {
    // The base policy's web → app on tcp/8000-8099 is inside this wider one.
    let rule = "  - { from: [web], to: app, allow: [tcp/8000-9000] }";
    let files = with_rule(rule);
    let (block, _) = expect_warning(
        &files,
        "W012",
        &at(&files, "policy.yml", "from: web, to: app"),
    );
    let later = at(&files, "policy.yml", rule.trim());
    let note = block
        .lines()
        .find(|l| l.contains("also allowed by this later rule: "))
        .unwrap_or_else(|| panic!("{block}"));
    assert!(note.ends_with(&format!("/{later}:5")), "{block}");
}

#[test]
fn e012_control_characters_and_long_text() {
    let long = "x".repeat(201);
    // (file, from, to, text that must not reach stdout)
    let cases = [
        (
            "segments.yml",
            "\"public web\"",
            "\"public web\\nshutdown\"".to_string(),
            "shutdown",
        ),
        (
            "segments.yml",
            "\"public web\"",
            "\"public \\e[31mweb\"".to_string(),
            "\u{1b}",
        ),
        (
            "hosts.yml",
            "name: esx01",
            "name: \"esx01\\nshutdown\"".to_string(),
            "shutdown",
        ),
        (
            "segments.yml",
            "\"public web\"",
            format!("\"{long}\""),
            &long,
        ),
    ];
    for (file, from, to, secret) in cases {
        let files = base_with(file, from, &to);
        let fixture = Fixture::new(&files);
        let failure = fixture.fails();
        failure.block("E012", &fixture.place(&at(&files, file, &to)));
        assert!(!failure.stdout.contains(secret), "{}", failure.stdout);
    }
}

#[test]
fn e008_empty_or_missing_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("NOTES.txt"), "not an inventory").unwrap();
    std::fs::write(empty.join("hosts.yml~"), "hosts: []").unwrap();
    for inv in [empty, tmp.path().join("missing")] {
        let fixture = Fixture {
            tmp: tempfile::tempdir().unwrap(),
            inv,
        };
        let failure = fixture.fails();
        failure.block("E008", &fixture.inv.display().to_string());
    }
}

#[test]
fn e007_non_utf8_file() {
    let fixture = Fixture::new(&base());
    // UTF-8 `ü` before the Latin-1 `é` on the same line: columns count
    // characters, not bytes.
    let bytes: &[u8] =
        b"# Latin-1, not UTF-8\nhosts:\n  - { name: m\xc3\xbcller-caf\xe9, zone: prod }\n";
    std::fs::write(fixture.inv.join("latin1.yml"), bytes).unwrap();
    let bad = bytes.iter().position(|b| *b == 0xe9).unwrap();
    let before = std::str::from_utf8(&bytes[..bad]).unwrap();
    let line = before.lines().count();
    let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
    let path = fixture.inv.join("latin1.yml").display().to_string();
    let failure = fixture.fails();
    let block = failure.block("E007", &path);
    assert!(block.contains(&format!("{path}:{line}:{col}")), "{block}");
}

#[test]
fn e006_alias_bomb() {
    let mut bomb = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let alias = format!("*a{}", i - 1);
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![alias; 10].join(", ")));
    }
    let mut files = base();
    files.push(("bomb.yml", bomb.clone()));
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    // The budget decides which alias trips it; any alias line is right.
    let prefix = format!("{}:", fixture.inv.join("bomb.yml").display());
    let block = failure.block("E006", &prefix);
    let line: usize = block
        .lines()
        .find_map(|l| l.strip_prefix(&format!("  --> {prefix}")))
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let text = bomb.lines().nth(line - 1).unwrap();
    assert!(text.contains('*'), "E006 at line {line}: {text}");
}

#[test]
fn e090_never_together_in_a_zone() {
    // Zone prod holds web (internet-facing) and iscsi (storage).
    let mut files = base();
    edit(
        &mut files,
        "guardrails.yml",
        "guardrails:\n",
        "guardrails:\n  - { name: dmz-apart, never_together: [internet-facing, storage] }\n",
    );
    let block = expect_error(&files, "E090", &at(&files, "segments.yml", "name: prod"));
    assert!(block.contains("dmz-apart"), "{block}");
}

#[test]
fn e091_only_on_names_host_segment_and_switch() {
    // The blades of zone prod sit below tor1a/tor1b, which may not carry
    // storage VLANs any more.
    let files = base_with(
        "guardrails.yml",
        "only_on: [tor1a, tor1b, agg1, agg2]",
        "only_on: [agg1, agg2]",
    );
    let block = expect_error(
        &files,
        "E091",
        &at(&files, "guardrails.yml", "san-only-here"),
    );
    let message = block.lines().next().unwrap();
    for name in ["esx01", "iscsi", "tor1a"] {
        assert!(message.contains(&format!("`{name}`")), "{message}");
    }
}

/// A second aggregation block with its own ToR pair and one host of `zone`.
fn second_aggregation_block(zone: &str) -> (&'static str, String) {
    (
        "block2.yml",
        format!(
            "\
switches:
  - {{ name: agg3, role: aggregation, mgmt: 192.0.2.13, pair: agg4 }}
  - {{ name: agg4, role: aggregation, mgmt: 192.0.2.14 }}
  - {{ name: tor2a, role: tor, mgmt: 192.0.2.31, pair: tor2b }}
  - {{ name: tor2b, role: tor, mgmt: 192.0.2.32 }}
links:
  - [agg3:Ethernet1/53, agg4:Ethernet1/53]
  - [tor2a:Ethernet1/53, tor2b:Ethernet1/53]
  - [tor2a:Ethernet1/49, agg3:Ethernet1/1]
  - [tor2b:Ethernet1/49, agg4:Ethernet1/1]
hosts:
  - {{ name: kvm02, zone: {zone}, nics: [tor2a:Ethernet1/10, tor2b:Ethernet1/10], lag: lacp }}
"
        ),
    )
}

#[test]
fn e100_zone_reaches_two_aggregation_pairs() {
    // A second aggregation block with its own ToR pair and a prod host.
    let mut files = base();
    files.push(second_aggregation_block("prod"));
    let block = expect_error(&files, "E100", &at(&files, "segments.yml", "name: prod"));
    assert!(
        block.contains("agg1/agg2") && block.contains("agg3/agg4"),
        "{block}"
    );
}

#[test]
fn e107_pair_without_peer_link() {
    let files = base_with(
        "switches.yml",
        "  - [tor1a:Ethernet1/53, tor1b:Ethernet1/53]\n",
        "",
    );
    expect_error(&files, "E107", &at(&files, "switches.yml", "pair: tor1b"));
}

#[test]
fn reports_every_error_in_one_run() {
    let mut files = base();
    let breaks = [
        (
            "hosts.yml",
            "esx01, zone: prod",
            "esx01, zone: prdo",
            "E040",
        ),
        ("segments.yml", "vlan: 120", "vlan: 110 # again", "E022"),
        ("policy.yml", "[tcp/443]", "[tcpp/443]", "E070"),
        ("switches.yml", "pair: agg2", "pair: agg1", "E061"),
        ("guardrails.yml", "san-only-here", "San-Only", "E010"),
    ];
    for (file, from, to, _) in breaks {
        edit(&mut files, file, from, to);
    }
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    for (file, _, to, code) in breaks {
        failure.block(code, &fixture.place(&at(&files, file, to)));
    }
    assert_eq!(failure.error_count(), breaks.len(), "{}", failure.stderr);
}

#[test]
fn w003_a_pair_member_without_a_keepalive_address() {
    // SSH through a jump port: mgmt says nothing about mgmt0's address.
    let files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: \"jump.example.net:2202\" }",
    );
    let (block, agg1) = expect_warning(
        &files,
        "W003",
        &at(&files, "switches.yml", "jump.example.net:2202"),
    );
    assert!(
        block.contains("pair agg1/agg2: no vPC peer-keepalive, `agg2` has no management address"),
        "{block}"
    );
    assert!(block.contains("keepalive: A.B.C.D"), "{block}");
    assert!(!agg1.contains("peer-keepalive"), "{agg1}");

    // `keepalive` gives the address; the other member's comes from mgmt.
    let files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: \"jump.example.net:2202\", keepalive: 192.0.2.112 }",
    );
    let fixture = Fixture::new(&files);
    let check = fixture.check();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!stderr.contains("W003"), "{stderr}");
    assert!(fixture.build().status.success());
    let agg1 = std::fs::read_to_string(fixture.out().join("agg1.cfg")).unwrap();
    let agg2 = std::fs::read_to_string(fixture.out().join("agg2.cfg")).unwrap();
    assert!(
        agg1.contains(
            "  peer-keepalive destination 192.0.2.112 source 192.0.2.11 vrf management\n"
        ),
        "{agg1}"
    );
    assert!(
        agg2.contains(
            "  peer-keepalive destination 192.0.2.11 source 192.0.2.112 vrf management\n"
        ),
        "{agg2}"
    );
}

#[test]
fn e011_keepalive_is_an_ipv4_address() {
    for bad in ["2001:db8::12", "192.0.2.300"] {
        let block = expect_edit_error(
            "switches.yml",
            "mgmt: 192.0.2.12 }",
            &format!("mgmt: 192.0.2.12, keepalive: \"{bad}\" }}"),
            bad,
            "E011",
        );
        assert!(block.contains("keepalive"), "{block}");
    }
}

#[test]
fn e175_log_on_a_flow_from_the_internet_with_no_external_link_to_log_it() {
    // Without any external link, the only place that could log the flow is
    // the egress ACL of `web`, and Nexus 9000 does not log egress entries.
    // But VRF prod then has no route to the Internet at all: that is the
    // one error (E151), not E175 on top of it. (E175 remains for a VRF
    // whose external links are on another gateway group.)
    let rule = "  - { from: internet, to: web, allow: [tcp/22], log: true }";
    let mut files = with_rule(rule);
    let switches = &mut files
        .iter_mut()
        .find(|(n, _)| *n == "switches.yml")
        .unwrap()
        .1;
    let cut = switches.find("\n# VRF prod's way to the Internet").unwrap();
    switches.truncate(cut + 1);
    let loc = at(&files, "policy.yml", "tcp/22");
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    assert!(!failure.stderr.contains("E175"), "{}", failure.stderr);
    let text = expect_error(&files, "E151", &loc);
    assert!(text.contains("VRF prod"), "{text}");
    // With the external links of the base inventory, logging the flow is
    // honoured at their ingress ACL; and a flow between segments at the
    // source's ingress ACL: no error.
    for rule in [
        "  - { from: internet, to: web, allow: [tcp/22], log: true }",
        "  - { from: app, to: web, allow: [tcp/22], log: true }",
    ] {
        let fixture = Fixture::new(&with_rule(rule));
        assert_eq!(fixture.check().status.code(), Some(0), "{rule}");
    }
}

#[test]
fn e175_names_the_gateways_platform_that_cannot_log_egress() {
    // A second aggregation block holds the gateway of `lab-web` (VRF prod)
    // but none of prod's external links: a logged flow from the Internet
    // into `lab-web` could only be logged by its egress ACL.
    let mut files = with_rule("  - { from: internet, to: lab-web, allow: [tcp/22], log: true }");
    edit(
        &mut files,
        "segments.yml",
        "    segments: [dev-web]\n",
        "    segments: [dev-web]\n  - name: lab\n    segments: [lab-web]\n",
    );
    let segments = &mut files
        .iter_mut()
        .find(|(n, _)| *n == "segments.yml")
        .unwrap()
        .1;
    segments.push_str(
        "  - { name: lab-web, vlan: 510, subnet: 10.5.10.0/24, gateway: 10.5.10.1, vrf: prod }\n",
    );
    files.push(second_aggregation_block("lab"));
    let block = expect_error(&files, "E175", &at(&files, "policy.yml", "lab-web"));
    assert!(
        block.contains(
            "`log: true` cannot be honoured for the flows from the Internet into `lab-web`: Nexus 9000 does not log egress ACL entries, and the gateways of `lab-web` have no external link in VRF `prod` whose ingress ACL could log them"
        ),
        "{block}"
    );
}

#[test]
fn e150_a_rule_between_segments_in_different_vrfs() {
    let rule = "  - { from: dev-web, to: app, allow: [app] }";
    let files = with_rule(rule);
    let block = expect_error(&files, "E150", &at(&files, "policy.yml", rule.trim()));
    assert!(
        block.contains("not routable: dev-web is in VRF dev, app in VRF prod"),
        "{block}"
    );
    assert!(
        block.contains("hint: liaison configures no route leaking"),
        "{block}"
    );
}

#[test]
fn e150_not_for_a_selector_with_routable_flows() {
    // `any` to app: dev-web → app cannot be routed, web → app can; that is
    // what `any` means in a fabric of several VRFs.
    let fixture = Fixture::new(&with_rule("  - { from: any, to: app, allow: [tcp/22] }"));
    let check = fixture.check();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("E150"), "{stderr}");
}

#[test]
fn e151_internet_from_a_vrf_without_external_routes() {
    // Only VRF prod has external links in the base inventory.
    let rule = "  - { from: dev-web, to: internet, allow: [https] }";
    let files = with_rule(rule);
    let block = expect_error(&files, "E151", &at(&files, "policy.yml", rule.trim()));
    assert!(
        block.contains("not routable: dev-web is in VRF dev, which has no external link"),
        "{block}"
    );
    assert!(
        block.contains("only VRF(s) prod reach the Internet"),
        "{block}"
    );
    // And the other way.
    let rule = "  - { from: internet, to: dev-web, allow: [https] }";
    let files = with_rule(rule);
    expect_error(&files, "E151", &at(&files, "policy.yml", rule.trim()));
}

/// Asserts `check` passes on `files`.
fn expect_clean_check(files: &Files) {
    let check = Fixture::new(files).check();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "{stderr}");
}

/// Asserts the one error `code` is at `loc` with a note at `other`; returns
/// the diagnostic's text.
fn expect_error_with_note(files: &Files, code: &str, loc: &str, other: &str) -> String {
    let fixture = Fixture::new(files);
    let failure = fixture.fails();
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
    let block = failure.block(code, &fixture.place(loc)).to_string();
    assert!(block.contains(&fixture.place(other)), "{block}");
    block
}

#[test]
fn e152_two_switches_with_one_mgmt_address() {
    let files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: 192.0.2.11, keepalive: 192.0.2.12 }",
    );
    let block = expect_error_with_note(
        &files,
        "E152",
        &at(&files, "switches.yml", "name: agg2"),
        &at(&files, "switches.yml", "name: agg1"),
    );
    assert!(
        block.contains(
            "`mgmt` 192.0.2.11 of switch `agg2` is also the management address of `agg1`"
        ),
        "{block}"
    );
    // A DNS name compares case-insensitively, with the default port 22.
    let mut files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: \"sw1.example.net\", keepalive: 192.0.2.11,",
    );
    edit(
        &mut files,
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: \"SW1.example.net:22\", keepalive: 192.0.2.12 }",
    );
    expect_error_with_note(
        &files,
        "E152",
        &at(&files, "switches.yml", "name: agg2"),
        &at(&files, "switches.yml", "name: agg1"),
    );
    // One jump host, two ports: two switches.
    let mut files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: \"198.51.100.1:2201\", keepalive: 192.0.2.11,",
    );
    edit(
        &mut files,
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: \"198.51.100.1:2202\", keepalive: 192.0.2.12 }",
    );
    expect_clean_check(&files);
}

#[test]
fn e153_vpc_peers_with_one_keepalive_address() {
    // agg1's keepalive is agg2's mgmt0 (which agg2's bare `mgmt` stands
    // for): the error is at the written keepalive.
    let files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: 192.0.2.11, keepalive: 192.0.2.12,",
    );
    let block = expect_error_with_note(
        &files,
        "E153",
        &at(&files, "switches.yml", "name: agg1"),
        &at(&files, "switches.yml", "name: agg2"),
    );
    assert!(
        block.contains(
            "`peer-keepalive destination 192.0.2.12 source 192.0.2.12` and the vPC never forms"
        ),
        "{block}"
    );
    // Two switches of different pairs.
    let mut files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: 192.0.2.11, keepalive: 10.0.0.1,",
    );
    edit(
        &mut files,
        "switches.yml",
        "mgmt: 192.0.2.21,",
        "mgmt: 192.0.2.21, keepalive: 10.0.0.1,",
    );
    let block = expect_error_with_note(
        &files,
        "E153",
        &at(&files, "switches.yml", "name: tor1a"),
        &at(&files, "switches.yml", "name: agg1"),
    );
    assert!(
        block.contains("is also the keepalive address of `agg1`"),
        "{block}"
    );
}

#[test]
fn e154_keepalive_address_of_another_switchs_mgmt() {
    // agg1 is managed at 192.0.2.11 but keeps alive from 10.0.0.11; tor1a's
    // keepalive 192.0.2.11 would send tor1b's heartbeats to agg1.
    let mut files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: 192.0.2.11, keepalive: 10.0.0.11,",
    );
    edit(
        &mut files,
        "switches.yml",
        "mgmt: 192.0.2.21,",
        "mgmt: 192.0.2.21, keepalive: 192.0.2.11,",
    );
    let block = expect_error_with_note(
        &files,
        "E154",
        &at(&files, "switches.yml", "name: tor1a"),
        &at(&files, "switches.yml", "name: agg1"),
    );
    assert!(block.contains("would go to the wrong switch"), "{block}");
    // A keepalive equal to the switch's own mgmt is what `mgmt` stands
    // for anyway: accepted.
    let files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: 192.0.2.11, keepalive: 192.0.2.11,",
    );
    expect_clean_check(&files);
}

#[test]
fn e156_external_links_with_one_address() {
    let files = base_with(
        "switches.yml",
        "address: 192.0.2.103/31, next_hop: 192.0.2.102",
        "address: 192.0.2.101/31, next_hop: 192.0.2.100",
    );
    let block = expect_error_with_note(
        &files,
        "E156",
        &at(&files, "switches.yml", "switch: agg2, port: Ethernet1/49"),
        &at(&files, "switches.yml", "switch: agg1, port: Ethernet1/49"),
    );
    assert!(block.contains("has the same address"), "{block}");
    // Two links of one switch whose prefixes overlap in one VRF.
    let mut files = base();
    edit(
        &mut files,
        "switches.yml",
        "vrf: prod }\n  - { switch: agg2",
        "vrf: prod }\n  - { switch: agg1, port: Ethernet1/50, address: 192.0.2.102/30, next_hop: 192.0.2.101, vrf: prod }\n  - { switch: agg2",
    );
    let block = expect_error_with_note(
        &files,
        "E156",
        &at(&files, "switches.yml", "switch: agg1, port: Ethernet1/50"),
        &at(&files, "switches.yml", "switch: agg1, port: Ethernet1/49"),
    );
    assert!(block.contains("overlaps the prefix of"), "{block}");
    // Both gateways on one upstream LAN, each with its own address: fine.
    let mut files = base_with(
        "switches.yml",
        "address: 192.0.2.101/31, next_hop: 192.0.2.100",
        "address: 203.0.113.2/29, next_hop: 203.0.113.1",
    );
    edit(
        &mut files,
        "switches.yml",
        "address: 192.0.2.103/31, next_hop: 192.0.2.102",
        "address: 203.0.113.3/29, next_hop: 203.0.113.1",
    );
    expect_clean_check(&files);
}

#[test]
fn e105_two_pairs_pin_one_vpc_domain() {
    let mut files = base_with(
        "switches.yml",
        "mgmt: 192.0.2.11,",
        "mgmt: 192.0.2.11, vpc_domain: 10,",
    );
    edit(
        &mut files,
        "switches.yml",
        "mgmt: 192.0.2.21,",
        "mgmt: 192.0.2.21, vpc_domain: 10,",
    );
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
    let pins = [
        at(&files, "switches.yml", "name: agg1"),
        at(&files, "switches.yml", "name: tor1a"),
    ];
    // Which pair is reported second follows the topology's order; the
    // note names the other.
    let block = failure
        .stderr
        .split("\n\n")
        .find(|b| b.starts_with("error[E105]"))
        .unwrap();
    for pin in &pins {
        assert!(block.contains(&fixture.place(pin)), "{block}");
    }
    assert!(block.contains("vPC domain 10 is pinned by both"), "{block}");
}

#[test]
fn two_segments_with_one_gateway_are_one_error() {
    // app's gateway is web's (10.1.10.1, the first address of web's
    // subnet): outside app's subnet, so E033 at it, and nothing else.
    let files = base_with("segments.yml", "gateway: 10.1.20.1", "gateway: 10.1.10.1");
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
    failure.block(
        "E033",
        &fixture.place(&at(&files, "segments.yml", "gateway: 10.1.10.1")),
    );
    // The same subnet twice (so the same gateway and SVI addresses) is
    // E032 at the second.
    let files = base_with(
        "segments.yml",
        "subnet: 10.1.20.0/24",
        "subnet: 10.1.10.0/24",
    );
    let mut files = files;
    edit(
        &mut files,
        "segments.yml",
        "gateway: 10.1.20.1",
        "gateway: 10.1.10.1",
    );
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
    assert!(failure.stderr.contains("error[E032]"), "{}", failure.stderr);
}

#[test]
fn e155_more_pairs_than_vpc_domain_numbers() {
    // 1001 pairs, each with its peer-link: NX-OS numbers domains 1-1000.
    let mut switches = String::from("switches:\n");
    let mut links = String::from("links:\n");
    for i in 0..1001 {
        let (high, low) = (i / 200, i % 200);
        switches.push_str(&format!(
            "  - {{ name: s{i}a, role: aggregation, mgmt: 10.{high}.{low}.1, pair: s{i}b }}\n  - {{ name: s{i}b, role: aggregation, mgmt: 10.{high}.{low}.2 }}\n"
        ));
        links.push_str(&format!("  - [s{i}a:Ethernet1/53, s{i}b:Ethernet1/53]\n"));
    }
    let files: Files = vec![("switches.yml", format!("{switches}\n{links}"))];
    let fixture = Fixture::new(&files);
    let failure = fixture.fails();
    assert_eq!(failure.error_count(), 1, "{}", failure.stderr);
    assert!(
        failure
            .stderr
            .contains("error[E155]: no vPC domain number is left for"),
        "{}",
        failure.stderr
    );
    // At the `pair:` of the pair left over, whichever it is.
    let arrow = failure
        .stderr
        .lines()
        .find(|l| l.starts_with("  --> "))
        .unwrap();
    let line: usize = arrow.rsplit(':').nth(1).unwrap().parse().unwrap();
    let text = &files[0].1.lines().nth(line - 1).unwrap();
    assert!(text.contains("pair: s"), "{text}");
}

#[test]
fn e009_switch_names_are_unique_without_case() {
    let mut files = base();
    files.push((
        "switches2.yml",
        "switches:\n  - { name: AGG1, role: aggregation, platform: nxos, mgmt: 192.0.2.13 }\n"
            .to_string(),
    ));
    let block = expect_error_with_note(
        &files,
        "E009",
        "switches2.yml:2",
        &at(&files, "switches.yml", "name: agg1"),
    );
    assert!(
        block.contains(
            "switch `AGG1` is defined twice (as `agg1`: switch names are compared without case)"
        ),
        "{block}"
    );
}

#[test]
fn e040_a_switch_named_in_another_case() {
    // Upper case is a valid switch name; a reference must spell it as
    // defined, and the hint gives that spelling.
    let mut files = base();
    for (from, to) in [
        ("name: agg1,", "name: DC1-AGG-01,"),
        ("agg1:Ethernet1/53", "DC1-AGG-01:Ethernet1/53"),
        (
            "tor1a:Ethernet1/49, agg1:",
            "tor1a:Ethernet1/49, DC1-AGG-01:",
        ),
        ("switch: agg1,", "switch: DC1-AGG-01,"),
    ] {
        edit(&mut files, "switches.yml", from, to);
    }
    edit(
        &mut files,
        "guardrails.yml",
        "agg1, agg2",
        "dc1-agg-01, agg2",
    );
    let block = expect_error_with_note(
        &files,
        "E040",
        &at(&files, "guardrails.yml", "dc1-agg-01"),
        &at(&files, "guardrails.yml", "dc1-agg-01"),
    );
    assert!(block.contains("did you mean `DC1-AGG-01`?"), "{block}");
    // Spelt as defined, it builds.
    edit(
        &mut files,
        "guardrails.yml",
        "dc1-agg-01, agg2",
        "DC1-AGG-01, agg2",
    );
    expect_clean_check(&files);
}

#[test]
fn e157_mgmt_that_ssh_cannot_connect_to() {
    for bad in ["192.0.2.12:abc", "192.0.2.12:0", "[2001:db8::12", ":22"] {
        let files = base_with(
            "switches.yml",
            "mgmt: 192.0.2.12 }",
            &format!("mgmt: \"{bad}\" }}"),
        );
        let fixture = Fixture::new(&files);
        let failure = fixture.fails();
        assert_eq!(failure.error_count(), 1, "{bad}: {}", failure.stderr);
        let block = failure.block(
            "E157",
            &fixture.place(&at(&files, "switches.yml", "name: agg2")),
        );
        assert!(block.contains("liaison cannot connect to it"), "{block}");
    }
}

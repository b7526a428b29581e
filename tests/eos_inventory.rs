//! EOS switches in the inventory (issue #13 step 2.1): EOS port names are
//! parsed by the switch's platform, a pair is one platform, a fabric may
//! mix platforms (NX-OS aggregation above EOS ToRs with LACP between
//! them), the EOS models of the limits table are used, and `build`
//! refuses EOS (no templates) while `check` validates the inventory.
//!
//! Each test writes a small mixed inventory, changes one thing and runs
//! the real binary; places are computed from the fixture text.

mod common;

use common::{liaison, line_of};
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;

const SWITCHES: &str = "\
switches:
  - { name: agg1, role: aggregation, platform: nxos, model: N9K-C93180YC-FX, mgmt: 192.0.2.11, pair: agg2 }
  - { name: agg2, role: aggregation, platform: nxos, model: N9K-C93180YC-FX, mgmt: 192.0.2.12 }
  - { name: leaf1a, role: tor, platform: eos, model: DCS-7050SX3-48YC8, mgmt: 192.0.2.21, pair: leaf1b }
  - { name: leaf1b, role: tor, platform: eos, model: DCS-7280SR3-48YC8, mgmt: 192.0.2.22 }

links:
  - [agg1:Ethernet1/53, agg2:Ethernet1/53]
  - [leaf1a:Ethernet55/1, leaf1b:Ethernet55/1]
  - [leaf1a:Ethernet49/1, agg1:Ethernet1/1]
  - [leaf1a:Et50/1, agg2:Ethernet1/1]
  - [leaf1b:Ethernet49/1, agg1:Ethernet1/2]
  - [leaf1b:Ethernet50/1, agg2:Ethernet1/2]

external:
  - { switch: agg1, port: Ethernet1/49, address: 192.0.2.101/31, next_hop: 192.0.2.100, vrf: prod }
  - { switch: agg2, port: Ethernet1/49, address: 192.0.2.103/31, next_hop: 192.0.2.102, vrf: prod }
";

const HOSTS: &str = "\
chassis:
  - name: enc1
    interconnects: mlag
    uplinks:
      - { switch: leaf1a, ports: [Ethernet1, Ethernet2] }
      - { switch: leaf1b, ports: [Ethernet1, Ethernet2] }

hosts:
  - { name: esx01, zone: prod, chassis: enc1, bay: 1 }
  - { name: kvm01, zone: prod, nics: [leaf1a:Ethernet10, leaf1b:Et10], lag: lacp }
";

const REST: &str = "\
fabric:
  name: lab
  gateway_role: aggregation
  transit: { pool: 10.255.255.0/24, first_vlan: 3900 }

zones:
  - name: prod
    segments: [web, app]

segments:
  - { name: web, vlan: 110, subnet: 10.1.10.0/24, vrf: prod }
  - { name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: prod }

policy:
  - { from: internet, to: web, allow: [tcp/443] }
  - { from: web, to: app, allow: [tcp/8080] }
";

struct Fixture {
    tmp: TempDir,
    inv: PathBuf,
}

impl Fixture {
    /// The mixed inventory, `from` replaced by `to` in `file` (once).
    fn with(file: &str, from: &str, to: &str) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let inv = tmp.path().join("inv");
        std::fs::create_dir(&inv).unwrap();
        for (name, text) in [
            ("switches.yml", SWITCHES),
            ("hosts.yml", HOSTS),
            ("rest.yml", REST),
        ] {
            let text = if name == file && !from.is_empty() {
                assert_eq!(text.matches(from).count(), 1, "`{from}` not once in {file}");
                text.replacen(from, to, 1)
            } else {
                text.to_string()
            };
            std::fs::write(inv.join(name), text).unwrap();
        }
        Fixture { tmp, inv }
    }

    fn mixed() -> Fixture {
        Fixture::with("", "", "")
    }

    fn text(&self, file: &str) -> String {
        std::fs::read_to_string(self.inv.join(file)).unwrap()
    }

    /// The `path:LINE:` prefix of the line of `file` holding `needle`.
    fn place(&self, file: &str, needle: &str) -> String {
        let line = line_of(&self.text(file), needle);
        format!("{}:{line}:", self.inv.join(file).display())
    }

    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let mut all: Vec<&str> = args.to_vec();
        all.push(self.inv.to_str().unwrap());
        let out = liaison(&all);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `check` fails with exactly one error, `code`, at the line of
    /// `needle` in `file`; returns the diagnostic.
    fn one_error(&self, code: &str, file: &str, needle: &str) -> String {
        let (status, _, stderr) = self.run(&["check"]);
        assert_eq!(status, Some(1), "check must fail:\n{stderr}");
        let errors: Vec<&str> = stderr
            .split("\n\n")
            .filter(|b| b.starts_with("error["))
            .collect();
        assert_eq!(errors.len(), 1, "one error expected:\n{stderr}");
        let arrow = format!("  --> {}", self.place(file, needle));
        assert!(
            errors[0].starts_with(&format!("error[{code}]"))
                && errors[0].lines().any(|l| l.starts_with(&arrow)),
            "expected {code} at {arrow}:\n{stderr}"
        );
        errors[0].to_string()
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}:\n{stdout}"))
}

#[test]
fn a_mixed_fabric_passes_check_with_eos_port_names() {
    let fixture = Fixture::mixed();
    let (status, stdout, stderr) = fixture.run(&["check"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
    assert!(
        stdout.contains("4 switches compiled, no errors"),
        "{stdout}"
    );
}

#[test]
fn the_lacp_bundles_between_the_platforms_are_spelled_per_side() {
    // `docs` takes an inventory `build` refuses: it shows the compiled
    // fabric, bundle names spelled by each switch's platform.
    let fixture = Fixture::mixed();
    let out = fixture.out();
    let (status, _, stderr) = fixture.run(&["docs", "-o", out.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{stderr}");
    let page = |name: &str| std::fs::read_to_string(out.join(format!("{name}.html"))).unwrap();
    // The ToR pair's uplink bundle: from its lowest port Ethernet49/1 on
    // EOS, from Ethernet1/1 on the NX-OS side.
    let leaf = page("leaf1a");
    assert!(leaf.contains("Port-Channel49"), "leaf1a's uplink bundle");
    assert!(!leaf.contains("port-channel49"), "EOS spells Port-Channel");
    let agg = page("agg1");
    assert!(agg.contains("port-channel1<") || agg.contains("port-channel1 "));
    assert!(!agg.contains("Port-Channel"), "NX-OS spells port-channel");
}

#[test]
fn eos_abbreviations_name_the_same_port() {
    // `Et10` and `Ethernet10` are one port: cabling both is E050.
    let fixture = Fixture::with(
        "hosts.yml",
        "nics: [leaf1a:Ethernet10, leaf1b:Et10]",
        "nics: [leaf1a:Ethernet10, leaf1a:Et10]",
    );
    let error = fixture.one_error("E050", "hosts.yml", "leaf1a:Et10");
    assert!(error.contains("port leaf1a:Ethernet10"), "{error}");
}

#[test]
fn an_nxos_port_name_on_an_eos_switch_is_e051_naming_the_eos_form() {
    let fixture = Fixture::with(
        "hosts.yml",
        "nics: [leaf1a:Ethernet10,",
        "nics: [leaf1a:e1/10,",
    );
    let error = fixture.one_error("E051", "hosts.yml", "leaf1a:e1/10");
    assert!(
        error.contains("`e1/10` is how NX-OS names a port, but the switch is EOS"),
        "{error}"
    );
    assert!(
        error.contains("hint: write a front-panel port as EOS names it"),
        "{error}"
    );
}

#[test]
fn an_eos_port_name_on_an_nxos_switch_is_e051_naming_the_nxos_form() {
    let fixture = Fixture::with(
        "switches.yml",
        "[leaf1a:Ethernet49/1, agg1:Ethernet1/1]",
        "[leaf1a:Ethernet49/1, agg1:Ethernet1]",
    );
    let error = fixture.one_error("E051", "switches.yml", "agg1:Ethernet1]");
    assert!(
        error.contains("`Ethernet1` is how EOS names a port, but the switch is NX-OS, which names ports Ethernet<slot>/<port>"),
        "{error}"
    );
    assert!(
        error.contains("hint: write a front-panel port as `Ethernet1/10`"),
        "{error}"
    );
}

#[test]
fn ports_of_chassis_uplinks_and_external_links_follow_their_switch() {
    let fixture = Fixture::with(
        "hosts.yml",
        "{ switch: leaf1b, ports: [Ethernet1, Ethernet2] }",
        "{ switch: leaf1b, ports: [Ethernet1, Eth1/1/1/1] }",
    );
    fixture.one_error("E051", "hosts.yml", "Eth1/1/1/1");
    let fixture = Fixture::with(
        "switches.yml",
        "{ switch: agg2, port: Ethernet1/49,",
        "{ switch: agg2, port: Ethernet49,",
    );
    let error = fixture.one_error("E051", "switches.yml", "port: Ethernet49,");
    assert!(error.contains("how EOS names a port"), "{error}");
}

/// Rewrites leaf1b's ports as NX-OS names (for a leaf1b made NX-OS).
fn nxos_names_for_leaf1b(fixture: &Fixture) {
    for (file, renames) in [
        (
            "hosts.yml",
            &[
                (
                    "leaf1b, ports: [Ethernet1, Ethernet2]",
                    "leaf1b, ports: [Ethernet1/1, Ethernet1/2]",
                ),
                ("leaf1b:Et10", "leaf1b:Ethernet1/10"),
            ][..],
        ),
        (
            "switches.yml",
            &[
                ("leaf1b:Ethernet55/1", "leaf1b:Ethernet1/55"),
                ("leaf1b:Ethernet49/1", "leaf1b:Ethernet1/49"),
                ("leaf1b:Ethernet50/1", "leaf1b:Ethernet1/50"),
            ][..],
        ),
    ] {
        let text = renames
            .iter()
            .fold(fixture.text(file), |t, (from, to)| t.replace(from, to));
        std::fs::write(fixture.inv.join(file), text).unwrap();
    }
}

#[test]
fn a_pair_of_two_platforms_is_e062_at_the_second_member() {
    let fixture = Fixture::with(
        "switches.yml",
        "platform: eos, model: DCS-7280SR3-48YC8",
        "platform: nxos, model: N9K-C93180YC-FX",
    );
    // leaf1b's ports are parsed as NX-OS now: only the pair is wrong.
    nxos_names_for_leaf1b(&fixture);
    let error = fixture.one_error("E062", "switches.yml", "name: leaf1b,");
    assert!(error.contains("mixes tor eos with tor nxos"), "{error}");
    assert!(error.contains("make `leaf1b` `platform: eos`"), "{error}");
    assert!(
        error.contains(&fixture.place("switches.yml", "name: leaf1a,")),
        "the first member is named too:\n{error}"
    );
}

#[test]
fn a_pair_of_two_platforms_declared_on_both_members_is_one_error() {
    let fixture = Fixture::with(
        "switches.yml",
        "platform: eos, model: DCS-7280SR3-48YC8, mgmt: 192.0.2.22 }",
        "platform: nxos, mgmt: 192.0.2.22, pair: leaf1a }",
    );
    nxos_names_for_leaf1b(&fixture);
    fixture.one_error("E062", "switches.yml", "name: leaf1b,");
}

#[test]
fn breakout_on_an_eos_switch_is_refused_with_a_hint() {
    let fixture = Fixture::with(
        "switches.yml",
        "model: DCS-7050SX3-48YC8, mgmt: 192.0.2.21, pair: leaf1b }",
        "model: DCS-7050SX3-48YC8, mgmt: 192.0.2.21, pair: leaf1b,\n      breakout: [{ port: Ethernet52/1, map: 25g-4x }] }",
    );
    let error = fixture.one_error("E138", "switches.yml", "port: Ethernet52/1");
    assert!(
        error.contains("liaison does not break out EOS ports"),
        "{error}"
    );
    assert!(error.contains("cable the lanes by those names"), "{error}");
}

#[test]
fn a_mixed_fabric_builds_each_switch_in_its_own_platforms_spelling() {
    // EOS has templates (templates/eos/): the EOS leaves build beside the
    // NX-OS aggregation, each end of their LACP bundle spelled its way.
    let fixture = Fixture::mixed();
    let out = fixture.out();
    let (status, _, stderr) = fixture.run(&["build", "-o", out.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{stderr}");
    for leaf in ["leaf1a", "leaf1b"] {
        let text = std::fs::read_to_string(out.join(format!("{leaf}.cfg"))).unwrap();
        assert!(text.contains("\ninterface Port-Channel"), "{leaf}:\n{text}");
        assert!(!text.contains("port-channel"), "{leaf}: NX-OS spelling");
        assert!(text.contains("\nmlag configuration\n"), "{leaf}");
        let tree = liaison::config::parse(&text, liaison::platform::Platform::Eos);
        assert!(tree.is_ok(), "{leaf}: {:?}", tree.err());
    }
    let nxos: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().contains("leaf1"))
        .collect();
    assert!(!nxos.is_empty());
    for path in nxos {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("Port-Channel"), "{}", path.display());
    }
}

#[test]
fn eos_models_take_their_limits_from_the_table() {
    let fixture = Fixture::mixed();
    let (status, stdout, stderr) = fixture.run(&["check", "--format", "json"]);
    assert_eq!(status, Some(0), "{stderr}");
    let report = json(&stdout);
    let switches = report["budget"]["switches"].as_array().unwrap();
    let leaf = |name: &str| {
        switches
            .iter()
            .find(|s| s["switch"] == name)
            .unwrap_or_else(|| panic!("{name} in the budget: {stdout}"))
    };
    for (name, model) in [
        ("leaf1a", "DCS-7050SX3-48YC8"),
        ("leaf1b", "DCS-7280SR3-48YC8"),
    ] {
        let entry = leaf(name);
        assert_eq!(entry["model"], model);
        assert_eq!(entry["defaults_used"], Value::Array(vec![]), "{entry}");
        let vlans = entry["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["resource"] == "vlans")
            .unwrap();
        assert_eq!(vlans["limit"], 4094, "{vlans}");
        assert!(vlans["source"].as_str().unwrap().contains("EOS"), "{vlans}");
    }
    // An EOS model liaison does not know takes the EOS default (W020),
    // never an NX-OS figure.
    let fixture = Fixture::with(
        "switches.yml",
        "model: DCS-7280SR3-48YC8",
        "model: DCS-7010TX-48",
    );
    let (status, stdout, stderr) = fixture.run(&["check", "--format", "json"]);
    assert_eq!(status, Some(0), "{stderr}");
    let report = json(&stdout);
    let entry = report["budget"]["switches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["switch"] == "leaf1b")
        .unwrap()
        .clone();
    let sources: Vec<&str> = entry["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.iter().all(|s| s.contains("EOS")),
        "EOS defaults only: {sources:?}"
    );
    let (_, _, stderr) = fixture.run(&["check"]);
    assert!(stderr.contains("warning[W020]"), "{stderr}");
    assert!(stderr.contains("DCS-7010TX-48"), "{stderr}");
}

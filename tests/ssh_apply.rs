//! `liaison apply` end to end: real sshd on 127.0.0.1, simulated NX-OS
//! switches starting from the example's `running/` snapshot.

mod common;

use common::sshd::Lab;
use common::*;
use std::path::Path;

const SWITCHES: [&str; 8] = [
    "agg1", "agg2", "tor1a", "tor1b", "tor2a", "tor2b", "tor3a", "tor3b",
];

fn snapshot(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("inventories/example/running/{name}.cfg")),
    )
    .unwrap()
}

/// The lab, and the example inventory pointed at it.
fn setup(dir: &Path) -> Lab {
    let configs: Vec<(&str, String)> = SWITCHES.iter().map(|s| (*s, snapshot(s))).collect();
    let devices: Vec<(&str, Option<&str>)> = configs
        .iter()
        .map(|(n, c)| (*n, Some(c.as_str())))
        .collect();
    let lab = Lab::start(&devices);
    copy_inventory("example", dir);
    std::fs::remove_dir_all(dir.join("running")).ok();
    let mut switches = std::fs::read_to_string(dir.join("switches.yml")).unwrap();
    for (i, name) in SWITCHES.iter().enumerate() {
        let ip = [
            "192.0.2.11",
            "192.0.2.12",
            "192.0.2.21",
            "192.0.2.22",
            "192.0.2.23",
            "192.0.2.24",
            "192.0.2.25",
            "192.0.2.26",
        ][i];
        // SSH goes to the lab; the vPC peer-keepalive keeps the switch's
        // own management address, as in the shipped snapshots.
        switches = switches.replace(
            &format!("mgmt: {ip}"),
            &format!("mgmt: \"127.0.0.1:{}\", keepalive: {ip}", lab.port(name)),
        );
    }
    std::fs::write(dir.join("switches.yml"), switches).unwrap();
    replace(
        dir,
        "fabric.yml",
        "    username: netops\n    key_file: ~/.ssh/id_ed25519\n    known_hosts: ~/.ssh/known_hosts\n",
        &format!(
            "    username: {}\n    key_file: {}\n    known_hosts: {}\n",
            lab.user(),
            lab.client_key_path().display(),
            lab.known_hosts_path().display()
        ),
    );
    // The simulator rewrites a state file in its own show-run layout the
    // first time it reads it: do that now, so "before" is in that layout.
    for name in SWITCHES {
        lab.exec(name, "show running-config");
    }
    lab
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = liaison(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A running config without its timestamp lines.
fn body(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("!Time:") && !l.starts_with("!Running configuration last done"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the device shows as its running config, without timestamps.
fn shown(lab: &Lab, device: &str) -> String {
    body(&lab.exec(device, "show running-config").output)
}

#[test]
fn fetch_plan_apply_fetch_plan_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    let fetched = dir.path().join("fetched");
    let (code, _, stderr) = run(&["fetch", inv, "-o", fetched.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(&["plan", inv, "--running", fetched.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");

    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "4"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert!(stdout.contains("devices applied and verified"), "{stdout}");

    let after = dir.path().join("after");
    let (code, _, stderr) = run(&["fetch", inv, "-o", after.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(&["plan", inv, "--running", after.to_str().unwrap()]);
    assert_eq!(
        code,
        Some(0),
        "a second plan must be empty:\n{stdout}\n{stderr}"
    );
    let (code, stdout, _) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(0), "{stdout}");
    // Saved only after verification.
    let (code, _, _) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(0));
}

#[test]
fn failing_devices_are_rolled_back_and_the_others_applied() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // tor1a drops the connection mid-change (3 terminal settings, the
    // checkpoint, `configure terminal`, then the first change); tor2a
    // refuses one of its commands.
    lab.set_faults("tor1a", "drop_after_commands = 6\n");
    lab.set_faults("tor2a", "reject = ^no vlan 130$\n");
    let before: Vec<String> = ["tor1a", "tor2a"]
        .iter()
        .map(|d| body(&lab.running_config(d)))
        .collect();

    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    // Six switches differ from their snapshots (tor1b and tor3b do not).
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("2 of 6 devices failed: tor1a, tor2a; rolled back: tor1a, tor2a"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rolled back: tor2a: the switch refused `no vlan 130`"),
        "{stdout}"
    );
    for (device, was) in ["tor1a", "tor2a"].iter().zip(&before) {
        assert_eq!(
            &body(&lab.running_config(device)),
            was,
            "{device} must be exactly as before"
        );
    }
    // The others are done: nothing left to plan for them.
    lab.set_faults("tor1a", "");
    lab.set_faults("tor2a", "");
    for device in ["agg1", "agg2", "tor1b", "tor3a"] {
        let (code, stdout, stderr) = run(&["plan", inv, "--live", "--device", device]);
        assert_eq!(code, Some(0), "{device}:\n{stdout}\n{stderr}");
    }
}

#[test]
fn a_failing_canary_stops_the_rollout() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // Devices are applied in name order: agg1 is the canary.
    lab.set_faults("agg1", "reject = ^ip access-list web-in$\n");
    let untouched = shown(&lab, "tor3a");
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--canary", "1"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("rolled back"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("tor3a") && l.ends_with("skipped")),
        "{stdout}"
    );
    assert_eq!(shown(&lab, "tor3a"), untouched);
}

#[test]
fn apply_without_a_terminal_needs_yes() {
    let dir = tempfile::tempdir().unwrap();
    let _lab = setup(dir.path());
    let (code, _, stderr) = run(&["apply", dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("run apply with --yes"), "{stderr}");
}

/// A change of ACLs only goes through a configure session: a refused entry
/// fails the session at `verify` and nothing of it applies; a switch that
/// takes it commits it whole.
#[test]
fn an_acl_change_is_committed_in_a_configure_session() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");

    // One more rule: only ACL entries change, on the gateways.
    let policy = dir.path().join("policy.yml");
    let mut text = std::fs::read_to_string(&policy).unwrap();
    text.push_str("  - { from: app, to: web, allow: [tcp/9999] }\n");
    std::fs::write(&policy, text).unwrap();
    let (code, stdout, _) = run(&["plan", inv, "--live", "--format", "json"]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("eq 9999"), "{stdout}");

    lab.set_faults("agg1", "reject = eq 9999\n");
    let before = shown(&lab, "agg1");
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("rolled back: agg1: the switch refused `verify`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 of 2 devices failed: agg1; rolled back: agg1"),
        "{stdout}"
    );
    lab.set_faults("agg1", "");
    assert_eq!(
        shown(&lab, "agg1"),
        before,
        "nothing of a failed session applies"
    );
    assert!(shown(&lab, "agg2").contains("eq 9999"));
    let (code, stdout, _) = run(&["plan", inv, "--live", "--device", "agg2"]);
    assert_eq!(code, Some(0), "{stdout}");
}

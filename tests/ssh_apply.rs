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
    setup_with_sshd_config(dir, "")
}

/// [`setup`] with `extra` lines in sshd's config.
fn setup_with_sshd_config(dir: &Path, extra: &str) -> Lab {
    let configs: Vec<(&str, String)> = SWITCHES.iter().map(|s| (*s, snapshot(s))).collect();
    let devices: Vec<(&str, Option<&str>)> = configs
        .iter()
        .map(|(n, c)| (*n, Some(c.as_str())))
        .collect();
    point_inventory_at(dir, Lab::start_with_sshd_config(&devices, extra), None)
}

/// Blank switches (nothing configured but their hostname) whose hardware
/// has the `factory` port defaults, and the example inventory.
fn setup_blank(dir: &Path, factory: &str) -> Lab {
    let devices: Vec<(&str, Option<&str>)> = SWITCHES.iter().map(|s| (*s, None)).collect();
    point_inventory_at(dir, Lab::start(&devices), Some(factory))
}

fn point_inventory_at(dir: &Path, lab: Lab, factory: Option<&str>) -> Lab {
    if let Some(factory) = factory {
        for name in SWITCHES {
            lab.set_factory(name, factory);
        }
    }
    copy_inventory("example", dir);
    std::fs::remove_dir_all(dir.join("running")).ok();
    let mgmt = [
        "192.0.2.11",
        "192.0.2.12",
        "192.0.2.21",
        "192.0.2.22",
        "192.0.2.23",
        "192.0.2.24",
        "192.0.2.25",
        "192.0.2.26",
    ];
    let switches: Vec<(&str, &str)> = SWITCHES.iter().copied().zip(mgmt).collect();
    lab.point_inventory(dir, &switches);
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

/// `plan --live --out` of the inventory in `dir` (the plan has changes,
/// exit 2), saved as `dir/plan.json`; returns that path and what the
/// plan printed on stderr.
fn save_plan(dir: &Path) -> (String, String) {
    let file = dir.join("plan.json").to_str().unwrap().to_string();
    let (code, _, stderr) = run(&["plan", dir.to_str().unwrap(), "--live", "--out", &file]);
    assert_eq!(code, Some(2), "{stderr}");
    (file, stderr)
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
    // The mobility proof runs on the re-fetched configs of the switches changed.
    assert!(
        stdout.contains("verify: proven on the") && stdout.contains("switch(es) changed"),
        "{stdout}"
    );

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

    let peer_before = body(&lab.running_config("tor2b"));
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    // Six switches differ from their snapshots (tor1b and tor3b do not).
    // tor2b, the vPC secondary, went first and took its change; its peer
    // tor2a then failed, so tor2b was rolled back too: a pair is one change.
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with(
            "3 of 6 devices failed: tor1a, tor2a, tor2b; rolled back: tor1a, tor2a, tor2b"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("rolled back: the switch refused `no vlan 130`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("its vPC peer tor2a failed, so it was rolled back too"),
        "{stdout}"
    );
    for (device, was) in ["tor1a", "tor2a", "tor2b"]
        .iter()
        .zip(before.iter().chain([&peer_before]))
    {
        assert_eq!(
            &body(&lab.running_config(device)),
            was,
            "{device} must be exactly as before"
        );
    }
    // The others are done: nothing left to plan for them.
    lab.set_faults("tor1a", "");
    lab.set_faults("tor2a", "");
    for device in ["agg1", "agg2", "tor3a"] {
        let (code, stdout, stderr) = run(&["plan", inv, "--live", "--device", device]);
        assert_eq!(code, Some(0), "{device}:\n{stdout}\n{stderr}");
    }
}

#[test]
fn a_failing_canary_stops_the_rollout() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // The canary is the switch with the fewest commands: tor3a (3), not
    // the busiest gateway by name order. It drops the connection after
    // its first configuration command.
    lab.set_faults("tor3a", "drop_after_commands = 1\n");
    let canary_before = shown(&lab, "tor3a");
    let untouched = shown(&lab, "agg1");
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--canary", "1"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("canary  tor3a") && l.contains("rolled back")),
        "{stdout}"
    );
    for device in ["agg1", "agg2", "tor1a", "tor2a", "tor2b"] {
        assert!(
            stdout.lines().any(|l| l.contains(&format!(" {device} "))
                && l.ends_with("skipped: not attempted: canary tor3a failed")),
            "{device}: {stdout}"
        );
    }
    // Skipped switches stay in their waves: agg1, agg2's peer, is in 2.
    assert!(
        stdout.lines().any(|l| l.starts_with("2       agg1 ")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("1       agg2 ")),
        "{stdout}"
    );
    assert_eq!(shown(&lab, "agg1"), untouched);
    lab.set_faults("tor3a", "");
    assert_eq!(shown(&lab, "tor3a"), canary_before);
}

/// The canary member of a pair is its first member (the secondary); the
/// other member follows in the next wave, and the pair's fate is one.
#[test]
fn canaries_are_never_both_members_of_a_pair() {
    let dir = tempfile::tempdir().unwrap();
    let _lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // agg1 is the vPC primary (role priority 10): agg2 goes first.
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--canary-device", "agg1"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("--canary-device agg1: `agg1` is the second member of its vPC pair; its peer `agg2` is changed first"),
        "{stderr}"
    );
    // Four canaries by fewest commands: one per unit, never two of a pair.
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--canary", "4"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let canaries: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("canary  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(canaries, ["agg2", "tor1a", "tor2b", "tor3a"], "{stdout}");
    assert!(
        stdout.lines().any(|l| l.starts_with("2       agg1")),
        "{stdout}"
    );
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
fn apply_reports_findings_it_did_not_cause_and_keeps_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // Another team owns tor2b's trunk lists (tolerated drift, so the plan
    // leaves them alone), and one of them lacks VLAN 420.
    append(
        dir.path(),
        "drift.yml",
        "  - { pattern: \"^switchport trunk allowed vlan \", devices: [tor2b] }\n",
    );
    let state = lab.state_dir().join("tor2b.cfg");
    let text = std::fs::read_to_string(&state).unwrap();
    let text = edit_stanza(
        &text,
        "interface port-channel1",
        "switchport trunk allowed vlan 410,420,430",
        "switchport trunk allowed vlan 410,430",
    );
    std::fs::write(&state, text).unwrap();
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--device", "tor2b"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("V102 tor2b port-channel1 does not allow VLAN 420 (dev-app)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("12 hosts of chassis enc3 (esx33–esx44) cannot take dev-app VMs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Nothing was rolled back for them"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["plan", inv, "--live", "--device", "tor2b"]);
    assert_eq!(code, Some(0), "tor2b keeps its change: {stdout}");
}

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
    let peer_before = shown(&lab, "agg2");
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("rolled back: the switch refused `verify`"),
        "{stdout}"
    );
    // A row names its device once: the reason does not repeat it.
    for device in ["agg1", "agg2"] {
        assert!(
            !stdout
                .lines()
                .any(|l| l.contains(&format!(" {device} ")) && l.contains(&format!("{device}: "))),
            "{stdout}"
        );
    }
    // agg2 took the change first; agg1's failure rolls it back: a pair never
    // runs two different ACLs.
    assert!(
        stdout.contains("2 of 2 devices failed: agg1, agg2; rolled back: agg1, agg2"),
        "{stdout}"
    );
    lab.set_faults("agg1", "");
    assert_eq!(
        shown(&lab, "agg1"),
        before,
        "nothing of a failed session applies"
    );
    assert_eq!(shown(&lab, "agg2"), peer_before);
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(shown(&lab, "agg1").contains("eq 9999"));
    assert!(shown(&lab, "agg2").contains("eq 9999"));
}

const PAIRS: [(&str, &str); 4] = [
    ("agg2", "agg1"),
    ("tor1b", "tor1a"),
    ("tor2b", "tor2a"),
    ("tor3b", "tor3a"),
];

/// The two members of every pair are changed in different waves, the vPC
/// secondary first: their configuration-mode windows never overlap.
#[test]
fn the_members_of_a_pair_are_never_changed_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // Slow every switch down so that overlaps would show.
    for name in SWITCHES {
        lab.set_faults(name, "delay_ms = 20\n");
    }
    // Blank switches: every member of every pair has a change.
    for name in SWITCHES {
        std::fs::write(
            lab.state_dir().join(format!("{name}.cfg")),
            format!("hostname {name}\n"),
        )
        .unwrap();
    }
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    for (first, second) in PAIRS {
        let a = lab.config_windows(first);
        let b = lab.config_windows(second);
        assert!(
            !a.is_empty() && !b.is_empty(),
            "{first}: {a:?}, {second}: {b:?}"
        );
        for wa in &a {
            for wb in &b {
                assert!(
                    wa.1 < wb.0 || wb.1 < wa.0,
                    "{first} {wa:?} and {second} {wb:?} were changed at the same time"
                );
            }
        }
        assert!(
            a[0].0 < b[0].0,
            "{first}, the vPC secondary, goes first: {a:?} / {second} {b:?}"
        );
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("1       {first} ")))
                && stdout
                    .lines()
                    .any(|l| l.starts_with(&format!("2       {second} "))),
            "{stdout}"
        );
    }
    let (code, stdout, _) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(0), "{stdout}");
}

/// A failure on a pair's first member leaves the second untouched.
#[test]
fn a_failure_on_the_first_member_stops_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    lab.set_faults("agg2", "drop_after_commands = 1\n");
    let before = shown(&lab, "agg1");
    let (code, stdout, stderr) = run(&[
        "apply", inv, "--yes", "--device", "agg1", "--device", "agg2",
    ]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("2       agg1")
            && l.ends_with(
                "skipped: not changed: its vPC peer agg2 failed first, and a pair is one change"
            )),
        "{stdout}"
    );
    assert_eq!(shown(&lab, "agg1"), before);
    assert!(
        lab.config_windows("agg1").is_empty(),
        "agg1 was never in config mode"
    );
}

/// Saved plans: `plan --out FILE` then `apply FILE` applies exactly the
/// saved commands; a switch whose running config changed since is refused
/// with nothing sent to it, and so is its vPC peer.
#[test]
fn saved_plans_apply_exactly_and_refuse_stale_devices() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (file, stderr) = save_plan(dir.path());
    let file = file.as_str();
    assert!(
        stderr.contains("saved the plan of 8 switch(es)"),
        "{stderr}"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(saved["format"], "liaison-saved-plan");

    // tor2a changes behind liaison's back after the plan.
    let mut tor2a = lab.running_config("tor2a");
    tor2a.push_str("vlan 999\n  name sneaked-in\n");
    std::fs::write(lab.state_dir().join("tor2a.cfg"), &tor2a).unwrap();
    let stale_before = shown(&lab, "tor2a");
    let peer_before = shown(&lab, "tor2b");
    let (code, stdout, stderr) = run(&["apply", file, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr
            .contains("error: tor2a: its running config changed since the plan was made (sha256:"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was sent to it"), "{stderr}");
    assert!(
        stderr.contains("error: tor2b: its vPC peer tor2a is refused, and a pair is one change"),
        "{stderr}"
    );
    assert_eq!(
        shown(&lab, "tor2a"),
        stale_before,
        "the stale switch is untouched"
    );
    assert_eq!(shown(&lab, "tor2b"), peer_before);
    assert!(lab.config_windows("tor2a").is_empty());
    // The others got exactly their saved commands: nothing left to plan.
    for device in ["agg1", "agg2", "tor1a", "tor3a"] {
        let (code, stdout, _) = run(&["plan", inv, "--live", "--device", device]);
        assert_eq!(code, Some(0), "{device}: {stdout}");
    }

    // A fresh saved plan for tor2a applies exactly its commands.
    let fresh = dir.path().join("fresh.json");
    let fresh = fresh.to_str().unwrap();
    let (code, _, stderr) = run(&["plan", inv, "--live", "--device", "tor2a", "--out", fresh]);
    assert_eq!(code, Some(2), "{stderr}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fresh).unwrap()).unwrap();
    let commands: Vec<String> = saved["devices"][0]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert!(!commands.is_empty());
    let (code, stdout, stderr) = run(&["apply", fresh, "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!(
            "tor2a: {} command(s) from the saved plan",
            commands.len()
        )),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["plan", inv, "--live", "--device", "tor2a"]);
    assert_eq!(code, Some(0), "{stdout}");
    // Applying the same plan again is refused: the config it was made
    // against is gone. Nothing is re-planned.
    let again = shown(&lab, "tor2a");
    let (code, _, stderr) = run(&["apply", fresh, "--yes"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("tor2a: its running config changed since the plan was made"),
        "{stderr}"
    );
    assert_eq!(shown(&lab, "tor2a"), again);
}

/// `apply FILE` checks each pair when its turn comes instead of fetching
/// the whole fabric first: a switch slow to answer, with nothing to change
/// (tor3a: 3 s per command, 6 s for its fetch), does not hold back the
/// first change. A live apply could not enter configuration mode anywhere
/// before that fetch ended, since it fetches and plans every switch
/// first.
#[test]
fn saved_plans_check_each_pair_at_its_turn_while_the_rest_is_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // tor3a and tor3b converge first: the saved plan has nothing for them.
    let (code, stdout, stderr) = run(&[
        "apply", inv, "--yes", "--device", "tor3a", "--device", "tor3b",
    ]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let (file, _) = save_plan(dir.path());
    let file = file.as_str();
    lab.set_faults("tor3a", "delay_ms = 3000\n");
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros();
    let (code, stdout, stderr) = run(&["apply", file, "--yes", "--timeout", "20"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("all 5 devices applied and verified"),
        "{stdout}"
    );
    let first_change = ["agg1", "agg2", "tor1a", "tor2a", "tor2b"]
        .iter()
        .flat_map(|d| lab.config_windows(d))
        .map(|(entered, _)| entered)
        .filter(|entered| *entered > started)
        .min()
        .expect("a switch was changed");
    let after = (first_change - started) as f64 / 1e6;
    assert!(
        after < 6.0,
        "the first switch entered configuration mode {after:.1} s after the start, not before tor3a's fetch ended"
    );
    for device in ["tor3a", "tor3b"] {
        let windows = lab.config_windows(device);
        assert!(
            windows.iter().all(|(entered, _)| *entered < started),
            "{device} had nothing to change"
        );
    }
}

/// A live apply reads each switch again when its turn comes: tor2b (its
/// pair's first member), changed behind liaison's back while the agg pair
/// before it is being changed (`--parallel 1`), is sent nothing, and its
/// peer neither; the pairs before and after it are applied.
#[test]
fn a_switch_changed_after_the_live_plan_is_refused_at_its_turn() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap().to_string();
    // The agg pair's 400 lines take 8 s: time enough to change tor2a.
    lab.set_faults("agg1", "delay_ms = 20\n");
    lab.set_faults("agg2", "delay_ms = 20\n");
    let apply = std::thread::spawn(move || run(&["apply", &inv, "--yes", "--parallel", "1"]));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while lab.record("agg2", "modes").is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "agg2 never entered configuration mode"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut tor2b = lab.running_config("tor2b");
    tor2b.push_str("vlan 999\n  name sneaked-in\n");
    std::fs::write(lab.state_dir().join("tor2b.cfg"), &tor2b).unwrap();
    let changed = shown(&lab, "tor2b");
    let peer = shown(&lab, "tor2a");
    let (code, stdout, stderr) = apply.join().unwrap();
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        lab.record("agg2", "modes").iter().all(|(_, at, _)| *at
            < lab
                .record("tor2b", "modes")
                .first()
                .map_or(u128::MAX, |r| r.1)),
        "the agg pair went first"
    );
    assert!(
        stdout.lines().any(|l| l.contains(" tor2b ")
            && l.contains("its running config changed since the plan was made (hash sha256:")
            && l.contains("nothing was sent to it")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.contains(" tor2a ")
            && l.contains("skipped: not changed: its vPC peer tor2b failed first")),
        "{stdout}"
    );
    assert_eq!(shown(&lab, "tor2b"), changed, "tor2b is untouched");
    assert_eq!(shown(&lab, "tor2a"), peer, "tor2a is untouched");
    for (wave, device) in [("1", "agg2"), ("2", "agg1"), ("1", "tor1a"), ("1", "tor3a")] {
        assert_row(&stdout, wave, device, "applied, verified, saved");
    }
}

/// `apply FILE --canary 1` whose canary (tor3a, the fewest commands) went
/// stale since the plan: it is refused at its turn, nothing is sent to
/// any switch, and the rest says the change was never tried first rather
/// than that the canary failed.
#[test]
fn a_refused_canary_stops_a_saved_plan_and_says_it_was_refused() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let (file, _) = save_plan(dir.path());
    let mut tor3a = lab.running_config("tor3a");
    tor3a.push_str("vlan 999\n  name sneaked-in\n");
    std::fs::write(lab.state_dir().join("tor3a.cfg"), &tor3a).unwrap();
    let (code, stdout, stderr) = run(&["apply", &file, "--yes", "--canary", "1"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("error: tor3a: its running config changed since the plan was made"),
        "{stderr}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("canary  tor3a") && l.contains("skipped: refused: ")),
        "{stdout}"
    );
    for device in ["agg1", "agg2", "tor1a", "tor2a", "tor2b"] {
        assert!(
            stdout.lines().any(|l| l.contains(&format!(" {device} "))
                && l.ends_with(
                    "skipped: not attempted: canary tor3a was refused, so the change was not tried first"
                )),
            "{device}: {stdout}"
        );
        assert!(lab.config_windows(device).is_empty(), "{device}");
    }
    assert!(lab.config_windows("tor3a").is_empty());
}

/// `apply FILE` of a fabric with a switch that does not answer: that
/// switch and its vPC peer are refused when their turn comes, with nothing
/// sent to either; the rest of the saved plan is applied, and the exit code
/// says not everything was.
#[test]
fn saved_plans_refuse_a_switch_that_cannot_be_fetched_and_its_peer() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let (file, _) = save_plan(dir.path());
    let file = file.as_str();
    lab.set_faults("tor2b", "hang = true\n");
    let peer_before = lab.running_config("tor2a");
    let (code, stdout, stderr) = run(&["apply", file, "--yes", "--timeout", "3"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("error: tor2b: cannot fetch its running config: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: tor2a: its vPC peer tor2b is refused, and a pair is one change; nothing was sent to it"),
        "{stderr}"
    );
    assert!(lab.config_windows("tor2a").is_empty());
    assert!(lab.config_windows("tor2b").is_empty());
    assert_eq!(lab.running_config("tor2a"), peer_before);
    for (wave, device) in [("1", "agg2"), ("2", "agg1"), ("1", "tor1a"), ("1", "tor3a")] {
        assert_row(&stdout, wave, device, "applied, verified, saved");
    }
    for device in ["tor2a", "tor2b"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(&format!(" {device} ")) && l.contains("skipped: refused: ")),
            "{stdout}"
        );
    }
}

/// The example applied to blank switches whose ports are Layer 2 by
/// default (a Nexus 9300) and to blank switches whose ports are routed by
/// default (a Nexus 9300-EX): one apply converges on both, and sends each
/// only what it needs. The inventory says N9K-C93180YC-FX for all of them,
/// which liaison's table takes as routed: on the Layer 2 kind, only the
/// switches' own answer (`show running-config all | include "system
/// default"`) gets it right.
#[test]
fn apply_to_blank_switches_of_each_default_kind_converges() {
    for (factory, layer2) in [
        ("switchport = true\n", true),
        ("switchport = false\n", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let lab = setup_blank(dir.path(), factory);
        let inv = dir.path().to_str().unwrap();
        let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
        assert_eq!(code, Some(0), "{factory}{stdout}\n{stderr}");
        assert!(
            stdout.contains("all 8 devices applied and verified"),
            "{stdout}"
        );
        let commands = run(&["plan", inv, "--live", "--format", "json"]);
        assert_eq!(
            commands.0,
            Some(0),
            "{factory}: a second plan must be empty:\n{}",
            commands.1
        );
        let shown = lab.running_config("tor1a");
        if layer2 {
            // Layer 2 is the default: trunks print no `switchport`, the
            // routed ports... there are none on a ToR; up ports no `no shutdown`.
            assert!(!shown.contains("\n  switchport\n"), "{shown}");
            assert!(!shown.contains("\n  no shutdown\n"), "{shown}");
        } else {
            assert!(shown.contains("\n  switchport\n"), "{shown}");
        }
        // What was sent: `switchport` only where it is not the default.
        let plan_commands: Vec<&str> = stdout
            .lines()
            .filter(|l| l.trim() == "switchport")
            .collect();
        assert_eq!(plan_commands.is_empty(), layer2, "{factory}{stdout}");
        let agg1 = lab.running_config("agg1");
        // agg1's routed uplinks: `no switchport` printed only on the
        // Layer-2-default kind.
        assert_eq!(agg1.contains("\n  no switchport\n"), layer2, "{agg1}");
    }
}

/// W061: the switches say their ports are Layer 2 by default, while the
/// inventory's model (N9K-C93180YC-FX) is routed in liaison's table: `fetch`
/// says a plan of the saved configs would read them wrong, and how to fix
/// it; with `port_defaults` set, it says nothing.
#[test]
fn fetch_warns_when_a_saved_config_would_be_read_with_the_wrong_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let _lab = setup_blank(dir.path(), "switchport = true\n");
    let inv = dir.path().to_str().unwrap();
    let (code, _, stderr) = run(&["fetch", inv]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[W061]: tor1a says its ports are Layer 2 by default"),
        "{stderr}"
    );
    assert!(
        stderr.contains("set `port_defaults: { switchport: true }` on tor1a"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning[W061]").count(), 8, "{stderr}");
    let switches = std::fs::read_to_string(dir.path().join("switches.yml")).unwrap();
    std::fs::write(
        dir.path().join("switches.yml"),
        switches.replace(
            "model: N9K-C93180YC-FX,",
            "model: N9K-C93180YC-FX, port_defaults: { switchport: true },",
        ),
    )
    .unwrap();
    let (code, _, stderr) = run(&["fetch", inv]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("W061"), "{stderr}");
}

/// The spanning-tree commands of `device`'s live plan.
fn spanning_tree_commands(inv: &str, device: &str) -> Vec<String> {
    let (code, stdout, stderr) = run(&[
        "plan", inv, "--live", "--device", device, "--format", "commands",
    ]);
    assert!(matches!(code, Some(0 | 2)), "{stdout}\n{stderr}");
    stdout
        .lines()
        .filter(|l| l.contains("spanning-tree") && !l.starts_with(' '))
        .map(str::to_string)
        .collect()
}

/// Rapid-PVST+ end to end (docs/design.md "Spanning tree"). The lab's switches
/// run the example's MST; with `fabric.stp: rapid-pvst` the plan sends the
/// per-VLAN priorities, then the mode, then removes the MST settings.
/// Applied through SSH to switches that, like NX-OS, hide the default
/// `spanning-tree mode rapid-pvst`, a live plan is empty; a new root
/// priority is then one command per switch, never a negation.
#[test]
fn a_change_to_rapid_pvst_converges_on_switches_that_hide_the_default_mode() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    append(dir.path(), "fabric.yml", "  stp: rapid-pvst\n");
    let agg1_vlans = "1,110,120,130,200,300,410,420,430,3914,3918";
    assert_eq!(
        spanning_tree_commands(inv, "agg1"),
        [
            format!("spanning-tree vlan {agg1_vlans} priority 4096"),
            "spanning-tree mode rapid-pvst".to_string(),
            "no spanning-tree mst 0-1 priority".to_string(),
            "no spanning-tree mst configuration".to_string(),
        ]
    );
    assert_eq!(
        spanning_tree_commands(inv, "tor1a"),
        [
            "spanning-tree vlan 1,110,120,130,200,300 priority 16384",
            "spanning-tree mode rapid-pvst",
            "no spanning-tree mst 0-1 priority",
            "no spanning-tree mst configuration",
        ]
    );
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "4"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let (code, stdout, _) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(0), "a second plan must be empty:\n{stdout}");
    let shown = lab.running_config("agg1");
    assert!(!shown.contains("spanning-tree mode"), "{shown}");
    assert!(!shown.contains("spanning-tree mst"), "{shown}");
    assert!(
        shown.contains(&format!(
            "\nspanning-tree vlan {agg1_vlans} priority 4096\n"
        )),
        "{shown}"
    );

    replace(
        dir.path(),
        "fabric.yml",
        "  stp: rapid-pvst\n",
        "  stp: { mode: rapid-pvst, root_priority: 8192 }\n",
    );
    assert_eq!(
        spanning_tree_commands(inv, "agg1"),
        [format!("spanning-tree vlan {agg1_vlans} priority 8192")]
    );
    assert!(spanning_tree_commands(inv, "tor1a").is_empty());
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "4"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let (code, stdout, _) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(0), "a second plan must be empty:\n{stdout}");
}

/// `show vpc` of `device` in the lab.
fn show_vpc(lab: &Lab, device: &str) -> String {
    lab.exec(device, "show vpc").output
}

/// The example applied, then the dev segments stop using jumbo frames:
/// the port-channels that carry only dev segments go back to MTU 1500.
fn converged_then_dev_mtu_1500(dir: &Path) -> Lab {
    let lab = setup(dir);
    let inv = dir.to_str().unwrap();
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    replace(
        dir,
        "segments.yml",
        "{ name: dev-vmotion, vlan: 430, routed: false, mtu: 9000 }",
        "{ name: dev-vmotion, vlan: 430, routed: false }",
    );
    lab
}

/// Issue 16 point 5: an MTU change is a vPC type-1 change. The secondary
/// (agg2) goes first and its vPC to tor2 is suspended until agg1 matches:
/// liaison expects that between the members, says so, and after agg1
/// waits until the pair is whole again.
#[test]
fn a_type1_change_suspends_the_secondary_between_the_members() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged_then_dev_mtu_1500(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("1       agg2 ")
            && l.ends_with("applied, verified, saved; vPC 3 suspended between the members (vPC type-1 configuration incompatible - MTU inconsistent), as a type-1 change does")),
        "{stdout}"
    );
    for device in ["agg1", "agg2"] {
        let shown = show_vpc(&lab, device);
        assert!(shown.contains("peer adjacency formed ok"), "{shown}");
        assert!(!shown.contains("down*"), "{device}: {shown}");
    }
    let (code, stdout, _) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(0), "{stdout}");
}

/// A change that is not a vPC type-1 change must leave the pair's vPCs
/// up: a new vPC domain id on the secondary (agg2) splits the pair (NX-OS
/// forms no adjacency between different domain ids, and the secondary
/// suspends its vPCs). liaison sees it in `show vpc` between the members,
/// rolls agg2 back and leaves agg1 alone.
#[test]
fn a_change_that_takes_vpcs_down_without_being_type1_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    replace(
        dir.path(),
        "switches.yml",
        "pair: agg2 }",
        "pair: agg2, vpc_domain: 201 }",
    );
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("1       agg2 ")
            && l.contains("rolled back: E190: vPC 1, 3, 5, 20 went down (Consistency Check Not Performed; `Peer status: peer link is down`) after a change that is not a vPC type-1 change; its peer agg1 was not changed")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("2       agg1 ")
            && l.ends_with(
                "skipped: not changed: its vPC peer agg2 failed first, and a pair is one change"
            )),
        "{stdout}"
    );
    assert_eq!(shown(&lab, "agg2"), agg2);
    assert_eq!(shown(&lab, "agg1"), agg1);
    assert!(show_vpc(&lab, "agg2").contains("peer adjacency formed ok"));
}

/// The second member of a type-1 change takes it, but the pair does not
/// come back within --timeout (agg1's vPCs stay down: the simulator's
/// `vpc_restore_ms`): both members are rolled back. tor2a's vPCs come up
/// after a second, which the bounded wait rides out.
#[test]
fn a_pair_that_does_not_come_back_after_the_second_member_is_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged_then_dev_mtu_1500(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    lab.set_faults("agg1", "vpc_restore_ms = 600000\n");
    lab.set_faults("tor2a", "vpc_restore_ms = 1000\n");
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8", "--timeout", "4"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("2       agg1 ")
            && l.contains("rolled back: E192: the vPC pair did not come back within 4s (--timeout) after the change: vPC 3 down on agg1 (success)")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("1       agg2 ")
            && l.contains("rolled back: its vPC peer agg1 failed, so it was rolled back too")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("2       tor2a ") && l.contains("applied, verified, saved")),
        "{stdout}"
    );
    lab.set_faults("agg1", "");
    assert_eq!(shown(&lab, "agg1"), agg1);
    assert_eq!(shown(&lab, "agg2"), agg2);
    assert!(!show_vpc(&lab, "agg2").contains("down*"));
}

/// The first member of a pair waits, changed and unsaved, while its peer is
/// changed; its idle connection keeps itself alive meanwhile. sshd drops a
/// client silent for 2 s (ClientAliveInterval 1, ClientAliveCountMax 1)
/// and agg1, the second member, answers slowly: agg2's connection must
/// still be there to check the pair and save.
#[test]
fn the_first_member_keeps_its_connection_alive_while_its_peer_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup_with_sshd_config(dir.path(), "ClientAliveInterval 1\nClientAliveCountMax 1\n");
    let inv = dir.path().to_str().unwrap();
    lab.set_faults("agg1", "delay_ms = 25\n");
    let (code, stdout, stderr) = run(&[
        "apply",
        inv,
        "--yes",
        "--device",
        "agg1",
        "--device",
        "agg2",
        "--keepalive",
        "1",
    ]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("2       agg1 ") && l.contains("applied, verified, saved")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("1       agg2 ") && l.contains("applied, verified, saved")),
        "{stdout}"
    );
}

/// How many SSH connections `device` has accepted so far, from sshd's
/// log (LogLevel VERBOSE logs `Connection from … on 127.0.0.1 port P`).
/// apply pushes to each switch on the connection its plan was fetched
/// on: one login per switch, not one for the fetch and one for the
/// change (the pair's second member used to log in again too).
#[test]
fn apply_logs_in_once_per_switch() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    let before = [lab.logins("agg1"), lab.logins("agg2")];
    let (code, stdout, stderr) = run(&[
        "apply", inv, "--yes", "--device", "agg1", "--device", "agg2",
    ]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert!(
        stdout.contains("all 2 devices applied and verified"),
        "{stdout}"
    );
    let after = [lab.logins("agg1"), lab.logins("agg2")];
    assert_eq!(
        [after[0] - before[0], after[1] - before[1]],
        [1, 1],
        "logins to agg1 and agg2 during apply\n{}",
        lab.sshd_log()
    );
}

/// A connection kept from the fetch that the switch closes while it waits
/// for its turn is replaced by a new login. sshd drops a client silent
/// for 2 s (ClientAliveInterval 1, ClientAliveCountMax 1; liaison's
/// keepalives come every 15 s); with `--parallel 1`, tor2a waits, its CLI
/// readied and its connection idle, for tor1a, which answers slowly.
#[test]
fn a_kept_connection_closed_while_waiting_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup_with_sshd_config(dir.path(), "ClientAliveInterval 1\nClientAliveCountMax 1\n");
    let inv = dir.path().to_str().unwrap();
    let before = lab.logins("tor2a");
    tor2a_after_slow_tor1a(&lab, inv);
    // The fetch's connection, closed by sshd, then the change's own.
    assert_eq!(lab.logins("tor2a") - before, 2, "{}", lab.sshd_log());
}

/// How many SSH channels (exec requests and shells) the connections to
/// `device` have opened so far, from sshd's log (LogLevel VERBOSE logs
/// `Connection from 127.0.0.1 port C on 127.0.0.1 port P` for each
/// connection, then `Starting session: … from 127.0.0.1 port C id N` for
/// each of its channels).
fn channels(lab: &Lab, device: &str) -> usize {
    let log = lab.sshd_log();
    let on = format!(" on 127.0.0.1 port {} ", lab.port(device));
    let clients: std::collections::BTreeSet<String> = log
        .lines()
        .filter(|l| l.contains("Connection from ") && l.contains(&on))
        .filter_map(|l| {
            let port = l.split(" port ").nth(1)?.split_whitespace().next()?;
            Some(format!(" from 127.0.0.1 port {port} id "))
        })
        .collect();
    log.lines()
        .filter(|l| l.contains("Starting session: ") && clients.iter().any(|c| l.contains(c)))
        .count()
}

/// While a pair's first member is changed, the second member's CLI is
/// readied on the connection its plan was fetched on (a shell, its first
/// prompt, the terminal settings: nothing of its config or state is read)
/// and that shell takes its change when its turn comes. And each switch
/// opens the channels the flow needs, no more (each is a process on a
/// real switch too): two for the fetch (`show running-config`, the port
/// defaults), `show running-config` before its change and again to
/// verify it (exec: a config is read without a terminal in between), and
/// one shell for the rest: `show vpc` before, the checkpoint, the change,
/// `show vpc` between the members (the first member) and once the pair
/// is changed, the save and the checkpoint's removal.
#[test]
fn a_pairs_second_member_is_readied_while_its_first_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    // The first member's change takes a while: the order shows.
    lab.set_faults("agg2", "delay_ms = 30\n");
    let before = [channels(&lab, "agg2"), channels(&lab, "agg1")];
    let (code, stdout, stderr) = run(&[
        "apply", inv, "--yes", "--device", "agg1", "--device", "agg2",
    ]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert_row(&stdout, "1", "agg2", "applied, verified, saved");
    assert_row(&stdout, "2", "agg1", "applied, verified, saved");
    let first = lab.config_windows("agg2");
    let entered: Vec<_> = lab
        .record("agg1", "modes")
        .into_iter()
        .filter(|(what, ..)| what == "enter")
        .collect();
    assert_eq!(entered.len(), 1, "{entered:?}");
    let shells = lab.record("agg1", "shells");
    let (_, opened, _) = shells
        .iter()
        .find(|(_, _, pid)| *pid == entered[0].2)
        .unwrap_or_else(|| panic!("agg1's change in a shell never opened: {shells:?}"));
    assert!(
        *opened < first[0].1,
        "agg1's shell opened at {opened}, after agg2 left configuration mode ({:?})",
        first[0]
    );
    assert_eq!(shells.len(), 1, "one shell on agg1: {shells:?}");
    let after = [channels(&lab, "agg2"), channels(&lab, "agg1")];
    assert_eq!(
        [after[0] - before[0], after[1] - before[1]],
        [5, 5],
        "channels of agg2 (first) and agg1 (second)\n{}",
        lab.sshd_log()
    );
}

/// `apply FILE` reads a switch no more than it needs: its port defaults
/// come from the saved plan (the switch gave them to `plan --live`, and a
/// config that still hashes the same answers the same), and a switch read
/// while its turn waited for it is not read again before its change.
/// tor3a (slow: 300 ms a line, so its turn surely waits for its fetch)
/// opens `show running-config`, the shell for its change and the read
/// that verifies it: 3 channels, not 5 (the port-defaults query and a
/// second read before the change).
#[test]
fn a_saved_plan_reads_a_switch_no_more_than_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    let file = dir.path().join("plan.json");
    let file = file.to_str().unwrap();
    let (code, _, stderr) = run(&["plan", inv, "--live", "--device", "tor3a", "--out", file]);
    assert_eq!(code, Some(2), "{stderr}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let answer = &saved["devices"][0]["port_defaults"];
    assert!(answer["switchport"].is_boolean(), "{saved}");
    assert!(answer["switchport_shutdown"].is_boolean(), "{saved}");
    lab.set_faults("tor3a", "delay_ms = 300\n");
    let before = channels(&lab, "tor3a");
    let (code, stdout, stderr) = run(&["apply", file, "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_row(&stdout, "1", "tor3a", "applied, verified, saved");
    assert_eq!(channels(&lab, "tor3a") - before, 3, "{}", lab.sshd_log());
    lab.set_faults("tor3a", "");
    let (code, stdout, stderr) = run(&["plan", inv, "--live", "--device", "tor3a"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
}

/// A shell readied for a device's turn that the switch closes while it
/// waits (an exec-timeout: the simulator's `exec_timeout_ms`) is replaced
/// by a new shell on the same connection: tor2a, waiting for tor1a at
/// `--parallel 1`, logs in once and takes its change in its second shell.
#[test]
fn a_readied_shell_closed_while_waiting_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path());
    let inv = dir.path().to_str().unwrap();
    lab.set_faults("tor2a", "exec_timeout_ms = 1000\n");
    let before = lab.logins("tor2a");
    tor2a_after_slow_tor1a(&lab, inv);
    assert_eq!(lab.logins("tor2a") - before, 1, "{}", lab.sshd_log());
    let shells = lab.record("tor2a", "shells");
    let entered: Vec<_> = lab
        .record("tor2a", "modes")
        .into_iter()
        .filter(|(what, ..)| what == "enter")
        .collect();
    assert_eq!(shells.len(), 2, "{shells:?}");
    assert_eq!(entered.len(), 1, "{entered:?}");
    assert_eq!(entered[0].2, shells[1].2, "{shells:?} {entered:?}");
}

/// Applies tor1a, slowed down (300 ms a line), then tor2a, which waits
/// for it (`--parallel 1`); both must apply.
fn tor2a_after_slow_tor1a(lab: &Lab, inv: &str) {
    lab.set_faults("tor1a", "delay_ms = 300\n");
    let (code, stdout, stderr) = run(&[
        "apply",
        inv,
        "--yes",
        "--parallel",
        "1",
        "--device",
        "tor1a",
        "--device",
        "tor2a",
    ]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert!(
        stdout.contains("all 2 devices applied and verified"),
        "{stdout}"
    );
}

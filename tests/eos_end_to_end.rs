//! `liaison` end to end on Arista EOS: the real binary (`fetch`, `plan
//! --live`, `apply`) against liaison-eos-sim behind a real sshd on
//! 127.0.0.1: the EOS example fabric (`inventories/example-eos`) from
//! blank switches and from its brownfield `running/` snapshot (the
//! management plane untouched), and a mixed fabric (NX-OS aggregation
//! above EOS ToRs) from blank switches, converge in one apply; a connection dropped
//! after the commit is rolled back by the switch's commit timer; a refused
//! command aborts the session and leaves the switch byte-identical.

mod common;

use common::sshd::{Lab, Platform};
use common::*;
use std::path::Path;

const SWITCHES: [&str; 8] = [
    "agg1", "agg2", "tor1a", "tor1b", "tor2a", "tor2b", "tor3a", "tor3b",
];

/// The switches' management addresses in the example, by switch.
const MGMT: [&str; 8] = [
    "192.0.2.11",
    "192.0.2.12",
    "192.0.2.21",
    "192.0.2.22",
    "192.0.2.23",
    "192.0.2.24",
    "192.0.2.25",
    "192.0.2.26",
];

/// The ports of the example's models (DCS-7050SX3-48YC8, DCS-7280SR3-48YC8:
/// 48 SFP25 ports and 8 QSFP100 ports, Arista's data sheets) and the
/// management port, as a factory-new switch lists them in its running
/// config.
const EOS_HARDWARE: &str = "ethernet_ports = 48\nlane_ports = 49-56\nmanagement_ports = 1\n";

/// How the lab's switches start.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    /// Factory-new: nothing but the hostname.
    Blank,
    /// From the example's brownfield snapshot,
    /// `inventories/example-eos/running/<switch>.cfg`.
    Snapshot,
}

/// Switches of `platform(name)` started as `start` says and the EOS
/// example inventory in `dir`, pointed at them.
fn setup(dir: &Path, start: Start, platform: impl Fn(&str) -> Platform) -> Lab {
    let running: Vec<Option<String>> = SWITCHES
        .iter()
        .map(|s| {
            (start == Start::Snapshot).then(|| {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("inventories/example-eos/running")
                    .join(format!("{s}.cfg"));
                std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            })
        })
        .collect();
    let devices: Vec<(&str, Option<&str>, Platform)> = SWITCHES
        .iter()
        .zip(&running)
        .map(|(s, config)| (*s, config.as_deref(), platform(s)))
        .collect();
    let lab = Lab::start_mixed(&devices);
    for (name, _, platform) in &devices {
        if *platform == Platform::Eos {
            lab.set_factory(name, EOS_HARDWARE);
        }
    }
    copy_inventory("example-eos", dir);
    let switches: Vec<(&str, &str)> = SWITCHES.iter().copied().zip(MGMT).collect();
    lab.point_inventory(dir, &switches);
    lab
}

fn all_eos(dir: &Path) -> Lab {
    setup(dir, Start::Blank, |_| Platform::Eos)
}

/// The example as a mixed fabric (common::mix_platforms): NX-OS
/// aggregation, EOS ToRs.
fn mixed(dir: &Path) -> Lab {
    let lab = setup(dir, Start::Blank, |name| {
        if name.starts_with("agg") {
            Platform::Nxos
        } else {
            Platform::Eos
        }
    });
    mix_platforms(dir);
    lab
}

#[test]
fn fetch_plan_apply_plan_is_empty_on_blank_eos_switches() {
    let dir = tempfile::tempdir().unwrap();
    let lab = all_eos(dir.path());
    let inv = dir.path().to_str().unwrap();
    let fetched = dir.path().join("fetched");
    let (code, _, stderr) = run(&["fetch", inv, "-o", fetched.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");

    let stdout = apply_all(&lab, inv, 8);
    // What each switch said it would change (`show session-config
    // diffs`, read before the commit) is in the output.
    for name in SWITCHES {
        let block = format!(
            "== {name}: the change as the switch showed it before committing it:\n--- system:/running-config\n+++ session:/liaison-"
        );
        assert!(stdout.contains(&block), "{name}: {stdout}");
    }
    assert!(stdout.contains("\n+mlag configuration\n"), "{stdout}");
    assert_live_plan_is_empty(inv);
}

/// A mixed fabric (NX-OS aggregation pair, EOS ToR pairs) from blank
/// switches converges in one apply: each switch gets its platform's
/// commands through its platform's change strategy (a checkpoint on
/// NX-OS, a configure session with a commit timer on EOS).
#[test]
fn a_mixed_fabric_converges_from_blank_switches() {
    let dir = tempfile::tempdir().unwrap();
    let lab = mixed(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["plan", inv, "--live"]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");
    let stdout = apply_all(&lab, inv, 8);
    // Only the EOS switches show their own diff of the change.
    assert!(
        stdout.contains("== tor1a: the change as the switch showed it"),
        "{stdout}"
    );
    assert!(!stdout.contains("== agg1: the change as"), "{stdout}");
    let agg1 = lab.running_config("agg1");
    assert!(agg1.contains("vpc domain "), "{agg1}");
    assert!(agg1.contains("interface port-channel1\n"), "{agg1}");
    let tor1a = lab.running_config("tor1a");
    assert!(tor1a.contains("\nmlag configuration\n"), "{tor1a}");
    assert!(
        tor1a.contains("! device: tor1a (DCS-7050SX3-48YC8"),
        "{tor1a}"
    );
    assert_live_plan_is_empty(inv);
}

/// How the management plane's top-level sections of the example's
/// snapshots begin (factory lines included): no plan of the example may
/// touch them.
const MANAGEMENT: [&str; 11] = [
    "no aaa root",
    "username ",
    "aaa ",
    "transceiver ",
    "service routing ",
    "ip name-server ",
    "vrf instance MGMT",
    "management ",
    "interface Management",
    "ip route vrf MGMT ",
    "ntp ",
];

/// The management plane of a `show running-config`: its [`MANAGEMENT`]
/// sections, each with its indented lines, in the order the switch
/// prints them.
fn management_plane(config: &str) -> Vec<String> {
    let mut sections: Vec<String> = Vec::new();
    let mut inside = false;
    for line in config.lines() {
        if line.starts_with(' ') {
            if inside {
                let section = sections.last_mut().unwrap();
                section.push('\n');
                section.push_str(line);
            }
            continue;
        }
        inside = MANAGEMENT.iter().any(|m| line.starts_with(m));
        if inside {
            sections.push(line.to_string());
        }
    }
    sections
}

/// Each device's plan commands in `liaison plan --format json` output.
fn plan_commands(json: &str) -> Vec<(String, Vec<String>)> {
    let plan: serde_json::Value = serde_json::from_str(json).unwrap();
    plan["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let commands = d["commands"].as_array().unwrap();
            (
                d["device"].as_str().unwrap().to_string(),
                commands
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

/// The brownfield EOS example converges: switches started from
/// `inventories/example-eos/running/` (their ports listed as the hardware
/// has them) plan live exactly what the shipped plan of the snapshot
/// says, one apply makes every MLAG pair whole and the next live plan
/// empty, and the management plane (Management1, vrf MGMT, users, aaa,
/// NTP, management api, the name server, the factory lines) is byte for
/// byte what it was.
#[test]
fn the_brownfield_example_converges_and_keeps_its_management_plane() {
    let dir = tempfile::tempdir().unwrap();
    let lab = setup(dir.path(), Start::Snapshot, |_| Platform::Eos);
    let inv = dir.path().to_str().unwrap();
    let before: Vec<Vec<String>> = SWITCHES
        .iter()
        .map(|s| management_plane(&shown(&lab, s)))
        .collect();
    for (name, sections) in SWITCHES.iter().zip(&before) {
        for start in MANAGEMENT {
            assert!(
                sections.iter().any(|s| s.starts_with(start)),
                "{name} has no `{start}`: {sections:#?}"
            );
        }
    }

    let (code, live, stderr) = run(&["plan", inv, "--live", "--format", "json"]);
    assert_eq!(code, Some(2), "{live}\n{stderr}");
    let (code, shipped, stderr) = run(&["plan", "inventories/example-eos", "--format", "json"]);
    assert_eq!(code, Some(2), "{shipped}\n{stderr}");
    assert_eq!(plan_commands(&live), plan_commands(&shipped));

    // tor1b and tor3b are as intended already.
    apply_all(&lab, inv, 6);
    assert_live_plan_is_empty(inv);
    assert_mlags_formed(&lab);
    for (name, sections) in SWITCHES.iter().zip(&before) {
        let after = shown(&lab, name);
        assert_eq!(&management_plane(&after), sections, "{name}:\n{after}");
    }
}

/// What the device shows as its running config (through the simulator,
/// which also rolls back a commit whose timer ran out on its clock).
fn shown(lab: &Lab, device: &str) -> String {
    let session = lab.exec(device, "show running-config");
    common::sshd::ok(&session);
    session.output
}

/// A change that cuts liaison off right after its commit (the switch
/// drops the connection and answers no new one: the change broke the
/// management path) cannot be confirmed nor aborted by liaison: `apply`
/// says the switch rolls it back when its commit timer runs out, and once
/// the switch's clock is past the timer the running config is exactly what
/// it was before.
#[test]
fn a_change_that_cuts_liaison_off_is_rolled_back_by_the_commit_timer() {
    let dir = tempfile::tempdir().unwrap();
    let lab = all_eos(dir.path());
    let inv = dir.path().to_str().unwrap();
    let before = shown(&lab, "tor3b");
    lab.set_faults("tor3b", "cut_off_by_commit = true\n");
    let (code, stdout, stderr) = run(&[
        "apply",
        inv,
        "--yes",
        "--device",
        "tor3b",
        "--commit-timer",
        "60",
        "--timeout",
        "3",
    ]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let row = stdout
        .lines()
        .find(|l| l.contains(" tor3b "))
        .unwrap_or_else(|| panic!("no tor3b row: {stdout}"));
    assert!(row.contains("FAILED: "), "{row}");
    assert!(
        row.contains(
            "EOS rolls the change back by itself when its commit timer (00:01:00) runs out"
        ),
        "{row}"
    );
    // The change went live: the switch's running config has it …
    let committed = lab.running_config("tor3b");
    assert!(committed.contains("mlag configuration"), "{committed}");
    // … until its clock passes the timer, when it has rolled it back.
    lab.set_clock_offset("tor3b", 61);
    assert_eq!(shown(&lab, "tor3b"), before);
    let sessions = lab.exec("tor3b", "show configuration sessions").output;
    assert!(!sessions.contains("pendingCommitTimer"), "{sessions}");
}

/// A command the switch refuses fails the configure session before its
/// commit: the session is aborted, nothing of it applies (the switch is
/// byte for byte as before, no session left pending), and the pair's
/// other member is not changed (a pair is one change).
#[test]
fn a_refused_command_aborts_the_session_and_leaves_the_switch_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let lab = all_eos(dir.path());
    let inv = dir.path().to_str().unwrap();
    let (before, peer_before) = (shown(&lab, "tor2b"), shown(&lab, "tor2a"));
    lab.set_faults("tor2b", "reject = ^channel-group 1 mode active$\n");
    let (code, stdout, stderr) = run(&[
        "apply", inv, "--yes", "--device", "tor2a", "--device", "tor2b",
    ]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(&stdout, "1", "tor2b", "rolled back: the switch refused `   channel-group 1 mode active`: % Invalid input (at token 0: 'channel-group')");
    assert_row(
        &stdout,
        "2",
        "tor2a",
        "skipped: not changed: its MLAG peer tor2b failed first",
    );
    lab.set_faults("tor2b", "");
    assert_eq!(shown(&lab, "tor2b"), before);
    assert_eq!(lab.running_config("tor2b"), before);
    let sessions = lab.exec("tor2b", "show configuration sessions").output;
    assert!(!sessions.contains("liaison-"), "{sessions}");
    assert_eq!(shown(&lab, "tor2a"), peer_before);
}

/// Gives `primary` the lower system MAC of its MLAG pair and `secondary`
/// the higher (liaison-eos-sim's factory `system_mac`): EOS elects the
/// lower primary, so `show mlag detail` calls `secondary` the secondary.
fn set_roles(lab: &Lab, primary: &str, secondary: &str) {
    for (name, mac) in [
        (primary, "00:1c:73:00:00:01"),
        (secondary, "00:1c:73:00:00:02"),
    ] {
        lab.set_factory(name, &format!("{EOS_HARDWARE}system_mac = {mac}\n"));
    }
}

/// The EOS example applied to blank switches: every MLAG pair formed.
fn converged(dir: &Path) -> Lab {
    let lab = all_eos(dir);
    apply_all(&lab, dir.to_str().unwrap(), 8);
    assert_mlags_formed(&lab);
    lab
}

/// `liaison apply` of the inventory `inv` succeeds, `changed` devices
/// applied and verified; its standard output.
fn apply_all(lab: &Lab, inv: &str, changed: usize) -> String {
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert!(
        stdout.contains(&format!("all {changed} devices applied and verified")),
        "{stdout}"
    );
    // apply proves the fabric from the re-fetched configs afterwards, each
    // switch read by its own platform's reader.
    assert!(
        stdout.contains(&format!(
            "verify: proven on the {changed} switch(es) changed"
        )),
        "{stdout}"
    );
    stdout
}

fn assert_live_plan_is_empty(inv: &str) {
    let (code, stdout, stderr) = run(&["plan", inv, "--live"]);
    assert_eq!(
        code,
        Some(0),
        "a second plan must be empty:\n{stdout}\n{stderr}"
    );
}

/// Every switch's MLAG is active and its MLAG ports up on both members.
fn assert_mlags_formed(lab: &Lab) {
    for name in SWITCHES {
        let mlag = lab.exec(name, "show mlag").output;
        assert!(
            mlag.contains("state                              :              Active"),
            "{name}: {mlag}"
        );
        let ports = lab.exec(name, "show mlag interfaces").output;
        assert!(
            !ports.contains("inactive") && !ports.contains("partial"),
            "{name}: {ports}"
        );
    }
}

/// A change that splits an MLAG pair is refused between its members: a
/// new MLAG domain id on agg2 (the member changed first: the switches call
/// it secondary) leaves it without a peer (EOS forms no MLAG between
/// different domain ids), its MLAG ports no longer active on both members.
/// liaison reads `show mlag detail` and `show mlag interfaces` after
/// agg2's change, rolls agg2 back and leaves agg1 alone.
#[test]
fn a_change_that_splits_an_mlag_pair_is_rolled_back_before_the_peer() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    set_roles(&lab, "agg1", "agg2");
    let inv = dir.path().to_str().unwrap();
    replace(
        dir.path(),
        "switches.yml",
        "pair: agg2 }",
        "pair: agg2, vpc_domain: 201 }",
    );
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(&stdout, "1", "agg2", "rolled back: E190: MLAG 1, 3, 5 went down (configured, local/remote up/-; `state: Inactive, negotiation status: Connecting, peer-link status: Up`) after the change; its peer agg1 was not changed");
    assert_row(
        &stdout,
        "2",
        "agg1",
        "skipped: not changed: its MLAG peer agg2 failed first, and a pair is one change",
    );
    // The failed switch's own diff is kept for the log.
    assert!(
        stdout.contains("== agg2: the change as the switch showed it before committing it:\n")
            && stdout.contains("\n+   domain-id 201\n"),
        "{stdout}"
    );
    assert_eq!(shown(&lab, "agg2"), agg2);
    assert_eq!(shown(&lab, "agg1"), agg1);
    assert!(lab
        .exec("agg2", "show mlag")
        .output
        .contains("              Active\n"));
}

/// Both members took the change (an ACL entry more on the gateways), but
/// agg1's MLAG ports do not come back within --timeout (the simulator's
/// `mlag_restore_ms`): the pair is not whole, so both members are rolled
/// back, the first one's pending commit aborted.
#[test]
fn an_mlag_pair_that_does_not_come_back_is_rolled_back_on_both_members() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    // agg2 the secondary, changed first.
    set_roles(&lab, "agg1", "agg2");
    let inv = dir.path().to_str().unwrap();
    append(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: web, allow: [tcp/9999] }\n",
    );
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    // agg1's ports take ten minutes to come back after its config changes;
    // its config has been as it is for an hour.
    lab.set_faults("agg1", "mlag_restore_ms = 600000\n");
    let aged = std::process::Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(lab.state_dir().join("agg1.cfg"))
        .status()
        .unwrap();
    assert!(aged.success());
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--timeout", "4"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(&stdout, "2", "agg1", "rolled back: E192: the MLAG pair did not come back within 4s (--timeout) after the change: MLAG 1, 3, 5 down on agg1 (active-partial, local/remote down/up)");
    assert_row(
        &stdout,
        "1",
        "agg2",
        "rolled back: its MLAG peer agg1 failed, so it was rolled back too",
    );
    lab.set_faults("agg1", "");
    assert_eq!(shown(&lab, "agg1"), agg1);
    assert_eq!(shown(&lab, "agg2"), agg2);
    for name in ["agg1", "agg2"] {
        let sessions = lab.exec(name, "show configuration sessions").output;
        assert!(
            !sessions.contains("pendingCommitTimer"),
            "{name}: {sessions}"
        );
    }
}

/// Which member of an MLAG pair goes first is the switches' word: the one
/// `show mlag detail` calls secondary (liaison-eos-sim elects the lower
/// system MAC primary, as EOS does; `system_mac` in its factory file),
/// whatever the intent's order (agg2 before agg1 on NX-OS, its higher role
/// priority). Both ways round: the secondary's configuration-mode window
/// ends before the primary's opens, and the summary puts it in wave 1.
#[test]
fn the_member_the_switches_call_secondary_is_changed_first() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    let inv = dir.path().to_str().unwrap();
    for (round, (secondary, primary)) in [("agg1", "agg2"), ("agg2", "agg1")].iter().enumerate() {
        set_roles(&lab, primary, secondary);
        for name in [primary, secondary] {
            std::fs::write(lab.state_dir().join(format!("{name}.modes")), "").unwrap();
        }
        let detail = lab.exec(secondary, "show mlag detail").output;
        assert!(
            detail.lines().any(|l| l.starts_with("State ")
                && l.split_once(':').map(|(_, v)| v.trim()) == Some("secondary")),
            "{detail}"
        );
        // An ACL entry more on the gateways: a change on both members.
        append(
            dir.path(),
            "policy.yml",
            &format!(
                "  - {{ from: app, to: web, allow: [tcp/{}] }}\n",
                9000 + round
            ),
        );
        let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
        assert_eq!(code, Some(0), "{stdout}\n{stderr}");
        assert_row(&stdout, "1", secondary, "applied, verified, saved");
        assert_row(&stdout, "2", primary, "applied, verified, saved");
        let (first, second) = (lab.config_windows(secondary), lab.config_windows(primary));
        assert!(
            !first.is_empty() && !second.is_empty(),
            "{secondary}: {first:?}, {primary}: {second:?}"
        );
        let last_of_first = first.iter().map(|w| w.1).max().unwrap();
        let first_of_second = second.iter().map(|w| w.0).min().unwrap();
        assert!(
            last_of_first < first_of_second,
            "{secondary}, the MLAG secondary, is changed before {primary}: {first:?} / {second:?}"
        );
    }
}

/// A pair that looks split is not touched: with the peer-link failed on
/// both members (liaison-eos-sim's `peer_link_down`), each says it is
/// primary, and apply refuses the pair before sending anything (E231);
/// one member alone is refused too, from its own state (peer-link down,
/// negotiation not connected: E232). Neither switch ever enters
/// configuration mode.
#[test]
fn a_split_mlag_pair_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    set_roles(&lab, "agg1", "agg2");
    for name in ["agg1", "agg2"] {
        lab.set_faults(name, "peer_link_down = true\n");
        std::fs::write(lab.state_dir().join(format!("{name}.modes")), "").unwrap();
    }
    append(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: web, allow: [tcp/9998] }\n",
    );
    let inv = dir.path().to_str().unwrap();
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(
        &stdout,
        "1",
        "agg2",
        "skipped: E231: both members of the pair, agg2 and agg1, say they are primary (`show mlag detail`): the pair is split (dual-primary), each forwarding on its own; nothing was sent to either. Restore the peer-link",
    );
    assert_row(
        &stdout,
        "2",
        "agg1",
        "skipped: not changed: its MLAG peer agg2 is refused, and a pair is one change",
    );
    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--device", "agg1"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(
        &stdout,
        "1",
        "agg1",
        "skipped: E232: the pair looks split on agg1 (peer-link status Lowerlayerdown, negotiation status Connecting, `show mlag detail`): the link to its peer agg2 is down",
    );
    assert_eq!(shown(&lab, "agg1"), agg1);
    assert_eq!(shown(&lab, "agg2"), agg2);
    for name in ["agg1", "agg2"] {
        assert!(lab.config_windows(name).is_empty(), "{name} was changed");
    }
}

/// An inconsistency names its settings, from `show mlag config-sanity`:
/// a new MST region name on agg2 alone (`--device agg2`) leaves the pair
/// up but its members disagreeing, so after the change apply waits for the
/// pair to be whole, then rolls agg2 back saying which setting differs
/// (E192).
#[test]
fn an_mlag_inconsistency_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    replace(dir.path(), "fabric.yml", "  name: dc1\n", "  name: dc2\n");
    let inv = dir.path().to_str().unwrap();
    let agg2 = shown(&lab, "agg2");
    let (code, stdout, stderr) =
        run(&["apply", inv, "--yes", "--device", "agg2", "--timeout", "3"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(
        &stdout,
        "1",
        "agg2",
        "rolled back: E192: the MLAG pair did not come back within 3s (--timeout) after the change: `show mlag config-sanity`: global stp mst-region-name is dc2 here, dc1 on the peer on agg2",
    );
    assert_eq!(shown(&lab, "agg2"), agg2);
}

/// A switch that refuses one detail of its MLAG state (liaison-eos-sim's
/// `lacks`: an older release without the command, refused with EOS's
/// `% Invalid input`) does not make apply skip the pair checks silently.
/// Without `show mlag config-sanity` the change goes ahead on both members
/// and each result says which check did not run (W080); without `show
/// mlag interfaces` (the MLAG ports E190 and E192 guard) the pair is
/// refused before anything is sent (E233), neither member entering
/// configuration mode.
#[test]
fn a_refused_mlag_detail_is_said_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    set_roles(&lab, "agg1", "agg2");
    for name in ["agg1", "agg2"] {
        lab.set_faults(name, "lacks = show mlag config-sanity\n");
    }
    append(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: web, allow: [tcp/9998] }\n",
    );
    let inv = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    for (wave, name) in [("1", "agg2"), ("2", "agg1")] {
        assert_row(
            &stdout,
            wave,
            name,
            &format!("applied, verified, saved; W080: {name} refused `show mlag config-sanity` (% Invalid input (at token 2: 'config-sanity')): the settings the pair's members disagree on were not checked by name"),
        );
    }
    for name in ["agg1", "agg2"] {
        lab.set_faults(name, "");
        std::fs::write(lab.state_dir().join(format!("{name}.modes")), "").unwrap();
    }
    lab.set_faults("agg1", "lacks = show mlag interfaces\n");
    append(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: web, allow: [tcp/9997] }\n",
    );
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_row(
        &stdout,
        "2",
        "agg1",
        "skipped: not changed: its MLAG peer agg2 is refused, and a pair is one change; it is refused itself: E233: agg1 refused `show mlag interfaces` (% Invalid input (at token 2: 'interfaces')): without the pair's bundles liaison cannot check that they stay up",
    );
    assert_row(
        &stdout,
        "1",
        "agg2",
        "skipped: not changed: its pair peer agg1 is refused (E233), and a pair is one change",
    );
    assert_eq!(shown(&lab, "agg1"), agg1);
    assert_eq!(shown(&lab, "agg2"), agg2);
    for name in ["agg1", "agg2"] {
        assert!(lab.config_windows(name).is_empty(), "{name} was changed");
    }
}

/// W080 stays on the row of a member whose change then fails: agg1 (the
/// second member) refuses `show mlag config-sanity` and then a command of
/// its change; its row says it was rolled back and that the check did
/// not run, and so does agg2's, rolled back with it.
#[test]
fn a_refused_mlag_detail_is_said_when_the_change_then_fails() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    set_roles(&lab, "agg1", "agg2");
    lab.set_faults("agg2", "lacks = show mlag config-sanity\n");
    lab.set_faults("agg1", "lacks = show mlag config-sanity\nreject = 9996\n");
    append(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: web, allow: [tcp/9996] }\n",
    );
    let inv = dir.path().to_str().unwrap();
    let (agg1, agg2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    let (code, stdout, stderr) = run(&["apply", inv, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    for (wave, name) in [("2", "agg1"), ("1", "agg2")] {
        assert_row(&stdout, wave, name, "rolled back: ");
        assert_row(
            &stdout,
            wave,
            name,
            &format!("; W080: {name} refused `show mlag config-sanity`"),
        );
    }
    lab.set_faults("agg1", "");
    lab.set_faults("agg2", "");
    assert_eq!((shown(&lab, "agg1"), shown(&lab, "agg2")), (agg1, agg2));
}

/// Saved plans on EOS: `plan --live --out FILE` then `apply FILE`. A
/// gateway changed on the switch after the plan is refused when its
/// pair's turn comes, and so is its MLAG peer, neither entering
/// configuration mode; a fresh saved plan applies exactly its commands,
/// the member the switches call secondary first, and the next live plan
/// is empty.
#[test]
fn saved_plans_on_eos_refuse_a_stale_pair_and_apply_a_fresh_one_secondary_first() {
    let dir = tempfile::tempdir().unwrap();
    let lab = converged(dir.path());
    let inv = dir.path().to_str().unwrap();
    set_roles(&lab, "agg2", "agg1");
    append(
        dir.path(),
        "policy.yml",
        "  - { from: app, to: web, allow: [tcp/9100] }\n",
    );
    let file = dir.path().join("plan.json");
    let file = file.to_str().unwrap();
    let (code, _, stderr) = run(&["plan", inv, "--live", "--out", file]);
    assert_eq!(code, Some(2), "{stderr}");
    for name in ["agg1", "agg2"] {
        std::fs::write(lab.state_dir().join(format!("{name}.modes")), "").unwrap();
    }

    // agg2 changes behind liaison's back.
    // Before its `end`: the switch reads no further.
    let agg2 = lab.running_config("agg2");
    let at = agg2.rfind("\nend").expect("an EOS config ends with `end`");
    let agg2 = format!(
        "{}\nvlan 999\n   name sneaked-in{}",
        &agg2[..at],
        &agg2[at..]
    );
    std::fs::write(lab.state_dir().join("agg2.cfg"), &agg2).unwrap();
    let (before1, before2) = (shown(&lab, "agg1"), shown(&lab, "agg2"));
    let (code, stdout, stderr) = run(&["apply", file, "--yes"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("error: agg2: its running config changed since the plan was made (sha256:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: agg1: its MLAG peer agg2 is refused, and a pair is one change"),
        "{stderr}"
    );
    assert!(lab.config_windows("agg1").is_empty());
    assert!(lab.config_windows("agg2").is_empty());
    assert_eq!(
        (shown(&lab, "agg1"), shown(&lab, "agg2")),
        (before1, before2)
    );

    // A fresh plan (agg2's VLAN 999 is not the inventory's; left alone
    // without --prune) applies, agg1 first: the switches call it secondary.
    let (code, _, stderr) = run(&["plan", inv, "--live", "--out", file]);
    assert_eq!(code, Some(2), "{stderr}");
    let logins = [lab.logins("agg1"), lab.logins("agg2")];
    let (code, stdout, stderr) = run(&["apply", file, "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_row(&stdout, "1", "agg1", "applied, verified, saved");
    assert_row(&stdout, "2", "agg2", "applied, verified, saved");
    // One login each: the pair reads before the rollout, the fetch and
    // the change share a connection.
    assert_eq!(
        [
            lab.logins("agg1") - logins[0],
            lab.logins("agg2") - logins[1]
        ],
        [1, 1],
        "{}",
        lab.sshd_log()
    );
    let (first, second) = (lab.config_windows("agg1"), lab.config_windows("agg2"));
    assert!(
        first.iter().map(|w| w.1).max() < second.iter().map(|w| w.0).min(),
        "agg1 is changed before agg2: {first:?} / {second:?}"
    );
    assert_live_plan_is_empty(inv);
}

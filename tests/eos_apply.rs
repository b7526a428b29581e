//! Pushing to EOS through sshd and liaison-eos-sim: a configuration
//! session committed with a timer, verified, then confirmed and saved; a
//! refused command aborts the session; a commit timer another session holds
//! is refused before anything is sent; a change whose connection drops
//! after its commit is rolled back by the switch itself when the timer runs
//! out (the simulated clock moved past it).
//!
//! These tests drive the library's rollout with hand-written commands and
//! a re-plan that checks the lines they must leave in the running config;
//! tests/eos_end_to_end.rs runs the `liaison` binary on planned changes.

mod common;

use common::sshd::Lab;
use liaison::apply::{
    apply_all, rollout, Canary, Change, DeviceResult, Outcome, Settings, Waiting,
};
use liaison::device::{Auth, ConnectOptions, Target};
use liaison::platform::Platform;
use std::time::Duration;

use common::EOS_LEAF as LEAF;

/// The change every test pushes: a VLAN, and the access port moved to it.
const COMMANDS: &[&str] = &[
    "vlan 30",
    "   name db",
    "interface Ethernet2",
    "   switchport access vlan 30",
];

/// The lines the change leaves in the running config.
const EXPECTED: &[&str] = &["vlan 30", "   name db", "   switchport access vlan 30"];

fn options(lab: &Lab) -> ConnectOptions {
    ConnectOptions {
        username: lab.user(),
        auth: Auth::KeyFile(lab.client_key_path()),
        known_hosts: lab.known_hosts_path(),
        accept_new_host_keys: false,
        timeout: Duration::from_secs(20),
        keepalive: Duration::from_secs(15),
        max_output_bytes: 64 << 20,
    }
}

fn target(lab: &Lab, name: &str) -> Target {
    Target::parse(name, &format!("127.0.0.1:{}", lab.port(name))).unwrap()
}

/// The commands still needed: those of EXPECTED the running config lacks.
fn left(running: &str) -> Vec<String> {
    EXPECTED
        .iter()
        .filter(|line| !running.lines().any(|l| l == **line))
        .map(|line| line.to_string())
        .collect()
}

/// Applies COMMANDS to leaf1 through the rollout, as `apply` does.
fn push(lab: &Lab, save: bool, confirm_within: Duration) -> DeviceResult {
    let (mut results, _) = push_all(lab, &[("leaf1", None)], save, confirm_within);
    assert_eq!(results.len(), 1);
    results.remove(0)
}

/// Applies COMMANDS to `devices` (name, its pair peer) through the
/// rollout; a pair's later name goes first. Returns the results and the
/// progress lines (`device: stage`).
fn push_all(
    lab: &Lab,
    devices: &[(&str, Option<&str>)],
    save: bool,
    confirm_within: Duration,
) -> (Vec<DeviceResult>, Vec<String>) {
    let changes: Vec<Change> = devices
        .iter()
        .map(|(name, peer)| Change {
            target: target(lab, name),
            platform: Platform::Eos,
            commands: COMMANDS.iter().map(|c| c.to_string()).collect(),
            peer: peer.map(str::to_string),
            first_of_pair: peer.is_some_and(|p| *name > p),
            refused: None,
            type1: false,
        })
        .collect();
    let plan = rollout(&changes, &Canary::None).unwrap();
    let options = options(lab);
    let replan = |_: &str, running: &str| Ok(left(running));
    let stages = std::sync::Mutex::new(Vec::new());
    let progress = |device: &str, stage: &str, _: bool| {
        stages.lock().unwrap().push(format!("{device}: {stage}"));
    };
    let results = apply_all(
        &changes,
        &plan,
        1,
        &Settings {
            connect: &options,
            save,
            replan: &replan,
            progress: &progress,
            expected: None,
            gate: None,
            confirm_within,
        },
        // No connection kept from a fetch: each device logs in itself.
        &Waiting::default(),
    );
    (results, stages.into_inner().unwrap())
}

fn running(lab: &Lab) -> String {
    running_of(lab, "leaf1")
}

fn running_of(lab: &Lab, name: &str) -> String {
    let session = lab.exec(name, "show running-config");
    common::sshd::ok(&session);
    session.output
}

fn sessions(lab: &Lab) -> String {
    let session = lab.exec("leaf1", "show configuration sessions");
    common::sshd::ok(&session);
    session.output
}

#[test]
fn a_change_is_committed_with_a_timer_verified_confirmed_and_saved() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let (mut results, stages) = push_all(&lab, &[("leaf1", None)], true, Duration::from_secs(600));
    let result = results.remove(0);
    assert_eq!(
        result.outcome,
        Outcome::Applied { saved: true },
        "{result:?}"
    );
    // The progress says what EOS does first (the sessions listed for a
    // pending commit), not an NX-OS checkpoint.
    assert!(
        stages.contains(&"leaf1: checking the configuration sessions".to_string()),
        "{stages:?}"
    );
    assert!(
        !stages.iter().any(|s| s.contains("checkpoint")),
        "{stages:?}"
    );
    // The session's own diff, read before the commit, is kept for the log.
    let diff = result.diff.expect("the session diff");
    assert!(diff.contains("+vlan 30"), "{diff}");
    assert!(diff.contains("--- system:/running-config"), "{diff}");
    let now = running(&lab);
    assert!(left(&now).is_empty(), "{now}");
    // Confirmed: no commit waits any more, and the timer running out later
    // changes nothing.
    let listed = sessions(&lab);
    assert!(!listed.contains("pendingCommitTimer"), "{listed}");
    lab.set_clock_offset("leaf1", 3600);
    assert_eq!(running(&lab), now);
    let startup = lab.exec("leaf1", "show startup-config").output;
    assert!(startup.contains("vlan 30"), "{startup}");
}

#[test]
fn without_save_the_change_is_confirmed_but_not_saved() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let result = push(&lab, false, Duration::from_secs(600));
    assert_eq!(
        result.outcome,
        Outcome::Applied { saved: false },
        "{result:?}"
    );
    lab.set_clock_offset("leaf1", 3600);
    assert!(left(&running(&lab)).is_empty());
    let startup = lab.exec("leaf1", "show startup-config").output;
    assert!(!startup.contains("vlan 30"), "{startup}");
}

#[test]
fn a_rejected_command_aborts_the_session_and_leaves_the_device_unchanged() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let before = running(&lab);
    lab.set_faults("leaf1", "reject = ^switchport access vlan 30$\n");
    let result = push(&lab, true, Duration::from_secs(600));
    match &result.outcome {
        Outcome::RolledBack { reason } => {
            assert!(reason.contains("% Invalid input"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(running(&lab), before);
    // The session is gone, not left pending.
    let listed = sessions(&lab);
    assert!(!listed.contains("liaison-"), "{listed}");
}

#[test]
fn a_pending_commit_timer_of_another_session_is_refused_with_nothing_sent() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let other = lab.shell(
        "leaf1",
        "configure session other\nvlan 99\ncommit timer 00:05:00\nexit\n",
    );
    assert!(
        sessions(&lab).contains("pendingCommitTimer"),
        "{}",
        other.output
    );
    let before = running(&lab);
    let result = push(&lab, true, Duration::from_secs(600));
    match &result.outcome {
        Outcome::Failed {
            reason,
            rolled_back: false,
        } => {
            assert!(
                reason.starts_with("E230: configuration session `other`"),
                "{reason}"
            );
            assert!(reason.contains("nothing was changed"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(running(&lab), before);
    // liaison opened no session of its own.
    let listed = sessions(&lab);
    assert!(!listed.contains("liaison-"), "{listed}");
}

#[test]
fn a_dropped_connection_before_the_commit_leaves_the_device_unchanged() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let before = running(&lab);
    // Dropped after the second command of the session: nothing committed;
    // liaison reconnects and aborts the session.
    lab.set_faults("leaf1", "drop_after_commands = 2\n");
    let result = push(&lab, true, Duration::from_secs(600));
    assert!(
        matches!(result.outcome, Outcome::RolledBack { .. }),
        "{result:?}"
    );
    lab.set_faults("leaf1", "");
    assert_eq!(running(&lab), before);
    assert!(!sessions(&lab).contains("liaison-"));
}

#[test]
fn a_dropped_connection_after_the_commit_is_rolled_back_by_the_commit_timer() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let before = running(&lab);
    let strategy = Platform::Eos.change_strategy().unwrap();
    let options = options(&lab);
    {
        // The change committed with a one-minute timer, then the connection
        // is gone (as when the change cut liaison off): no confirmation.
        let mut transport = liaison::remote::connect(&target(&lab, "leaf1"), &options).unwrap();
        let mut cli = liaison::remote::cli(transport.as_mut(), Platform::Eos, "leaf1").unwrap();
        strategy.prepare(&mut *cli, "liaison-drop").unwrap();
        let commands: Vec<String> = COMMANDS.iter().map(|c| c.to_string()).collect();
        strategy
            .configure(
                &mut *cli,
                &commands,
                "liaison-drop",
                Duration::from_secs(60),
            )
            .unwrap();
    }
    let committed = running(&lab);
    assert!(left(&committed).is_empty(), "{committed}");
    assert!(sessions(&lab).contains("pendingCommitTimer"));
    // Before the minute is up the change stays …
    lab.set_clock_offset("leaf1", 30);
    assert_eq!(running(&lab), committed);
    // … and once it is over the switch has rolled it back by itself.
    lab.set_clock_offset("leaf1", 61);
    assert_eq!(running(&lab), before);
    assert!(!sessions(&lab).contains("pendingCommitTimer"));
}

#[test]
fn an_unprivileged_login_is_raised_with_enable() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    lab.set_faults("leaf1", "unprivileged_login = true\n");
    let mut transport = liaison::remote::connect(&target(&lab, "leaf1"), &options(&lab)).unwrap();
    let mut cli = liaison::remote::cli(transport.as_mut(), Platform::Eos, "leaf1").unwrap();
    // `show configuration sessions` needs privileged exec mode.
    let listed = cli.run("show configuration sessions").unwrap();
    assert!(
        listed.contains("Maximum number of pending sessions"),
        "{listed}"
    );
    assert!(cli.run("show bogus").is_err());
}

/// LEAF as member `host` of an MLAG pair: the peer VLAN 4094 in its
/// trunk group over the peer-link Port-Channel53, `own` its address, `peer`
/// the other member's.
fn mlag_member(host: &str, own: &str, peer: &str) -> String {
    LEAF.replace("hostname leaf1", &format!("hostname {host}")).replace(
        "no ip routing\n",
        &format!(
            "vlan 4094\n   trunk group mlagpeer\n!\ninterface Port-Channel53\n   switchport mode trunk\n   switchport trunk group mlagpeer\n!\ninterface Ethernet53\n   channel-group 53 mode active\n!\ninterface Vlan4094\n   no autostate\n   ip address {own}/31\n!\nno ip routing\n!\nmlag configuration\n   domain-id pair1\n   local-interface Vlan4094\n   peer-address {peer}\n   peer-link Port-Channel53\n"
        ),
    )
}

/// leaf1 and leaf2, an MLAG pair (apply checks its state between and after
/// the members' changes).
fn pair_lab() -> Lab {
    let leaf1 = mlag_member("leaf1", "169.254.0.0", "169.254.0.1");
    let leaf2 = mlag_member("leaf2", "169.254.0.1", "169.254.0.0");
    let lab = Lab::start_eos(&[("leaf1", Some(&leaf1)), ("leaf2", Some(&leaf2))]);
    for name in ["leaf1", "leaf2"] {
        let shown = lab.exec(name, "show mlag").output;
        assert!(shown.contains("              Active\n"), "{shown}");
    }
    lab
}

const PAIR: &[(&str, Option<&str>)] = &[("leaf1", Some("leaf2")), ("leaf2", Some("leaf1"))];

#[test]
fn a_pair_is_confirmed_once_both_members_are_verified() {
    let lab = pair_lab();
    let (results, _) = push_all(&lab, PAIR, true, Duration::from_secs(600));
    for r in &results {
        assert_eq!(r.outcome, Outcome::Applied { saved: true }, "{r:?}");
    }
    // leaf2 (the later name here) went first.
    let wave = |name: &str| results.iter().find(|r| r.device == name).unwrap().wave;
    assert!(wave("leaf2") < wave("leaf1"));
    lab.set_clock_offset("leaf1", 3600);
    lab.set_clock_offset("leaf2", 3600);
    for name in ["leaf1", "leaf2"] {
        assert!(left(&running_of(&lab, name)).is_empty(), "{name}");
        let ports = lab.exec(name, "show mlag interfaces").output;
        assert!(ports.contains(" active-full "), "{name}: {ports}");
    }
}

#[test]
fn a_failure_on_the_second_member_aborts_the_first_members_pending_commit() {
    let lab = pair_lab();
    let before = [running_of(&lab, "leaf1"), running_of(&lab, "leaf2")];
    // leaf2 goes first and verifies; leaf1 refuses a command.
    lab.set_faults("leaf1", "reject = ^switchport access vlan 30$\n");
    let (results, _) = push_all(&lab, PAIR, true, Duration::from_secs(600));
    for r in &results {
        assert!(matches!(r.outcome, Outcome::RolledBack { .. }), "{r:?}");
    }
    let first = results.iter().find(|r| r.device == "leaf2").unwrap();
    match &first.outcome {
        Outcome::RolledBack { reason } => {
            assert!(reason.contains("MLAG peer leaf1 failed"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // Both as before, now: leaf2's commit was aborted, not left to its timer.
    assert_eq!(running_of(&lab, "leaf1"), before[0]);
    assert_eq!(running_of(&lab, "leaf2"), before[1]);
    let listed = lab.exec("leaf2", "show configuration sessions").output;
    assert!(!listed.contains("pendingCommitTimer"), "{listed}");
}

#[test]
fn a_commit_timer_out_of_range_or_misspelt_is_refused() {
    for (value, says) in [
        ("0", "at least one second and under 24 hours"),
        ("24:00:00", "at least one second and under 24 hours"),
        ("10m", "give seconds (600) or HH:MM:SS (00:10:00)"),
        ("00:61:00", "give seconds (600) or HH:MM:SS (00:10:00)"),
    ] {
        let out = common::liaison(&["apply", "inventories/example", "--commit-timer", value]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{value}: {stderr}");
        assert!(stderr.contains(says), "{value}: {stderr}");
    }
}

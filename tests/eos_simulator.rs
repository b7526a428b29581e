//! The EOS switch simulator through a real sshd and the real ssh client:
//! what liaison's EOS driver will see from an Arista switch (prompts,
//! `show running-config` as EOS prints it, configuration sessions with a
//! commit timer, faults).

mod common;

use common::sshd::{ok, Lab, Platform};

const HEADER: &str = "! Command: show running-config\n";

fn device_line(host: &str) -> String {
    format!("! device: {host} (DCS-7050SX3-48YC8, EOS-4.28.3M)\n")
}

use common::EOS_LEAF as LEAF;

#[test]
fn corpus_configs_print_back_byte_for_byte() {
    // AVD's cli_config_gen configs print as `show running-config` does but
    // stop before `end`; the ones with `end` are compared as they are.
    let files = [
        "avd__cli_config_gen__vlans.cfg",
        "avd__cli_config_gen__spanning-tree.cfg",
        "avd__cli_config_gen__acl.cfg",
        "avd__cli_config_gen__ip-access-lists.cfg",
        "avd__cli_config_gen__vrf-instances.cfg",
        "avd__cli_config_gen__switchport-mode.cfg",
        "avd__cli_config_gen__route-maps.cfg",
    ];
    let texts: Vec<String> = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(format!(
                "{}/tests/fixtures/eos/{f}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        })
        .collect();
    let names: Vec<String> = (0..files.len()).map(|i| format!("sw{i}")).collect();
    let devices: Vec<(&str, Option<&str>)> = names
        .iter()
        .zip(&texts)
        .map(|(n, t)| (n.as_str(), Some(t.as_str())))
        .collect();
    let lab = Lab::start_eos(&devices);
    for ((name, text), file) in names.iter().zip(&texts).zip(files) {
        let session = lab.exec(name, "show running-config");
        ok(&session);
        let body = if text.ends_with("end\n") {
            text.clone()
        } else {
            format!("{text}end\n")
        };
        assert_eq!(
            session.output,
            format!("{HEADER}{}{body}", device_line(name)),
            "{file}"
        );
    }
}

#[test]
fn defaults_are_hidden_as_eos_hides_them() {
    // AVD's fabric configs spell out `no shutdown`, `switchport` and
    // `switchport mode access` under interfaces; EOS does not print
    // defaults.
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/eos/avd__l2ls-fabric__LEAF1.cfg",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let lab = Lab::start_eos(&[("LEAF1", Some(&text))]);
    let session = lab.exec("LEAF1", "show running-config");
    ok(&session);
    let mut expected = String::new();
    let mut in_interface = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_interface = line.starts_with("interface ");
        }
        let default = [
            "   no shutdown",
            "   switchport",
            "   switchport mode access",
        ];
        if in_interface && default.contains(&line) {
            continue;
        }
        expected.push_str(line);
        expected.push('\n');
    }
    assert_eq!(
        session.output,
        format!("{HEADER}{}{expected}", device_line("LEAF1"))
    );
    // `no shutdown` under `management api` is not a default: kept.
    assert!(session
        .output
        .contains("management api http-commands\n   protocol https\n   no shutdown\n"));
}

#[test]
fn prompts_follow_the_mode() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let session = lab.shell(
        "leaf1",
        "terminal length 0\nconfigure\ninterface Ethernet1\nexit\nvlan 30\nend\n\
         configure session s1\ninterface et2\nend\nexit\n",
    );
    let out = &session.output;
    for prompt in [
        "leaf1#terminal length 0",
        "leaf1#configure",
        "leaf1(config)#interface Ethernet1",
        "leaf1(config-if-Et1)#exit",
        "leaf1(config)#vlan 30",
        "leaf1(config-vlan-30)#end",
        "leaf1#configure session s1",
        "leaf1(config-s-s1)#interface et2",
        "leaf1(config-s-s1-if-Et2)#end",
    ] {
        assert!(out.contains(prompt), "no `{prompt}` in:\n{out}");
    }
    // A user without exec authorization logs in unprivileged.
    lab.set_faults("leaf1", "unprivileged_login = true\n");
    let session = lab.shell("leaf1", "configure\nenable\nconfigure\nexit\nexit\n");
    let out = &session.output;
    assert!(out.contains("leaf1>configure\n% Invalid input (privileged mode required)\nleaf1>enable\nleaf1#configure\nleaf1(config)#"), "{out}");
}

#[test]
fn commands_edit_the_config_as_eos_prints_it() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let session = lab.exec(
        "leaf1",
        "configure;interface Port-Channel10;switchport trunk allowed vlan add 30;\
         switchport trunk allowed vlan remove 10;interface Ethernet2;no switchport access vlan;\
         switchport mode trunk;no shutdown;vlan 30;vlan 31;no vlan 20;bogus command;end",
    );
    ok(&session);
    assert_eq!(session.output, "% Invalid input (at token 0: 'bogus')\n");
    let run = lab.running_config("leaf1");
    assert!(run.contains(
        "interface Port-Channel10\n   switchport trunk allowed vlan 20,30\n   switchport mode trunk\n"
    ), "{run}");
    assert!(
        run.contains("interface Ethernet2\n   switchport mode trunk\n!\n"),
        "{run}"
    );
    // Two VLANs with the same (empty) config print as one range.
    assert!(run.contains("\nvlan 30-31\n!\n"), "{run}");
    assert!(!run.contains("name app"), "{run}");
}

/// The running config without its header, for comparing states.
fn body(lab: &Lab, name: &str) -> String {
    let session = lab.exec(name, "show running-config");
    ok(&session);
    session
        .output
        .lines()
        .skip(2)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_commit_timer_left_to_expire_rolls_back() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let before = body(&lab, "leaf1");
    let session = lab.shell(
        "leaf1",
        "configure session liaison\nvlan 40\nname db\nshow session-config diffs\n\
         commit timer 00:05:00\nexit\n",
    );
    let out = &session.output;
    assert!(
        out.contains("--- system:/running-config\n+++ session:/liaison-session-config\n"),
        "{out}"
    );
    assert!(out.contains("+vlan 40\n+   name db\n+!\n"), "{out}");
    // Applied at once, and listed as waiting for its confirmation.
    let now = body(&lab, "leaf1");
    assert!(now.contains("vlan 40\n   name db"), "{now}");
    let sessions = lab.exec("leaf1", "show configuration sessions");
    ok(&sessions);
    assert!(
        sessions.output.lines().any(|l| l.contains("liaison")
            && l.contains("pendingCommitTimer")
            && l.contains("00:0")),
        "{}",
        sessions.output
    );
    // Five minutes later nobody has confirmed: the switch rolls back.
    lab.set_clock_offset("leaf1", 301);
    assert_eq!(body(&lab, "leaf1"), before);
    let sessions = lab.exec("leaf1", "show configuration sessions");
    assert!(
        !sessions.output.contains("pendingCommitTimer"),
        "{}",
        sessions.output
    );
}

#[test]
fn a_confirmed_commit_stays() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let session = lab.exec(
        "leaf1",
        "configure session liaison;vlan 40;name db;commit timer 00:05:00",
    );
    ok(&session);
    // Another session cannot commit while the timer runs.
    let other = lab.exec("leaf1", "configure session other;vlan 41;commit");
    assert!(
        other
            .output
            .contains("session liaison has a pending commit timer"),
        "{}",
        other.output
    );
    let confirm = lab.exec("leaf1", "configure session liaison commit");
    ok(&confirm);
    assert_eq!(confirm.output, "");
    lab.set_clock_offset("leaf1", 3600);
    let now = body(&lab, "leaf1");
    assert!(now.contains("vlan 40\n   name db"), "{now}");
    assert!(!now.contains("vlan 41"), "{now}");
}

#[test]
fn abort_leaves_the_device_unchanged() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    let before = body(&lab, "leaf1");
    let session = lab.exec(
        "leaf1",
        "configure session liaison;interface Ethernet1;shutdown;abort",
    );
    ok(&session);
    assert_eq!(body(&lab, "leaf1"), before);
    // A commit with a timer aborted from exec rolls back at once.
    let session = lab.exec(
        "leaf1",
        "configure session liaison;no vlan 10;commit timer 01:00:00;configure session liaison abort",
    );
    ok(&session);
    assert_eq!(body(&lab, "leaf1"), before);
}

#[test]
fn a_rejected_command_in_a_session_leaves_the_running_config() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    lab.set_faults("leaf1", "reject = ^vlan 50$\n");
    let before = body(&lab, "leaf1");
    let session = lab.exec(
        "leaf1",
        "configure session liaison;vlan 40;vlan 50;show session-config diffs",
    );
    ok(&session);
    assert!(
        session
            .output
            .contains("% Invalid input (at token 0: 'vlan')"),
        "{}",
        session.output
    );
    assert!(session.output.contains("+vlan 40\n"), "{}", session.output);
    assert!(!session.output.contains("vlan 50"), "{}", session.output);
    let abort = lab.exec("leaf1", "configure session liaison abort");
    ok(&abort);
    assert_eq!(body(&lab, "leaf1"), before);
}

#[test]
fn a_dropped_connection_mid_session_changes_nothing() {
    let lab = Lab::start_eos(&[("leaf1", Some(LEAF))]);
    lab.set_faults("leaf1", "drop_after_commands = 2\n");
    let before = body(&lab, "leaf1");
    let session = lab.exec("leaf1", "configure session liaison;vlan 40;vlan 41;commit");
    assert_eq!(session.status, Some(255), "{session:?}");
    lab.set_faults("leaf1", "");
    assert_eq!(body(&lab, "leaf1"), before);
    let sessions = lab.exec("leaf1", "show configuration sessions");
    assert!(
        sessions
            .output
            .lines()
            .any(|l| l.contains("liaison") && l.contains("pending")),
        "{}",
        sessions.output
    );
}

#[test]
fn save_and_a_mixed_lab() {
    let lab = Lab::start_mixed(&[
        ("leaf1", Some(LEAF), Platform::Eos),
        ("agg1", None, Platform::Nxos),
    ]);
    let save = lab.exec("leaf1", "copy running-config startup-config");
    ok(&save);
    assert_eq!(save.output, "Copy completed successfully.\n");
    let startup = lab.exec("leaf1", "show startup-config");
    assert!(startup
        .output
        .starts_with("! Command: show startup-config\n"));
    // The NX-OS device next to it still answers as NX-OS.
    let nxos = lab.exec("agg1", "show running-config");
    ok(&nxos);
    assert!(
        nxos.output.starts_with("!Command: show running-config"),
        "{}",
        nxos.output
    );
}

//! The switch simulator through a real sshd and the real ssh client:
//! what liaison's SSH code will see from a Nexus switch.

mod common;

use common::sshd::{ok, Lab};
use std::time::{Duration, Instant};

const AGG1: &str = include_str!("../golden/example/agg1.cfg");

/// A trunk whose list is long enough to wrap onto `... add` lines.
const LONG_TRUNK: &str = "
interface Ethernet1/30
  description long trunk
  switchport
  switchport mode trunk
  switchport trunk allowed vlan 101,103,105,107,109,111,113,115,117,119,121,123,125,127,129,131,133,135,137,139,141,143,145,147,149,151,153,155,157,159
  no shutdown
";

/// The configuration without the header lines that carry times.
fn body(text: &str) -> String {
    text.lines()
        .filter(|l| {
            !l.starts_with("!Time:")
                && !l.starts_with("!Running configuration")
                && !l.starts_with("!Command:")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn show_running_config_round_trips_the_initial_config() {
    let initial = format!("{AGG1}{LONG_TRUNK}");
    let lab = Lab::start(&[("agg1", Some(&initial))]);
    let session = lab.exec("agg1", "show running-config");
    ok(&session);
    let out = &session.output;
    assert!(out.starts_with("!Command: show running-config\n!Running configuration last done at: "));
    assert!(out.contains("\nversion 9.3(8) Bios:version  \nhostname agg1\n"));
    assert!(
        out.contains("\nvlan 1,110,120,130,200,300,410,420,430,3914,3918\nvlan 110\n  name web\n")
    );
    for line in AGG1
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('!'))
        // The device's ports are routed and Layer 2 ports up by default:
        // it prints neither `no switchport` nor `no shutdown` on an up
        // Layer 2 port (the simulator's unit tests check each kind of device).
        .filter(|l| *l != "  no switchport" && *l != "  no shutdown")
    {
        // NX-OS names well-known ports in ACL entries (`eq 53` → `eq domain`).
        let shown = if line.contains(" permit ") || line.contains(" deny ") {
            line.replace(" eq 53", " eq domain")
        } else {
            line.to_string()
        };
        assert!(out.contains(&shown), "show-run lacks `{shown}`:\n{out}");
    }
    let wrapped: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "interface Ethernet1/30")
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  switchport trunk allowed vlan"))
        .collect();
    assert_eq!(wrapped.len(), 2, "{wrapped:?}");
    assert!(wrapped[0].starts_with("  switchport trunk allowed vlan 101,103,"));
    assert!(wrapped[1].starts_with("  switchport trunk allowed vlan add "));
    assert!(wrapped[1].ends_with(",159"));
}

#[test]
fn one_sshd_serves_several_devices_by_port() {
    let lab = Lab::start(&[("agg1", Some(AGG1)), ("tor9", None)]);
    assert_eq!(lab.exec("agg1", "show hostname").output, "agg1\n");
    assert_eq!(lab.exec("tor9", "show hostname").output, "tor9\n");
    assert!(lab.running_config("tor9").contains("\nhostname tor9\n"));
}

#[test]
fn interactive_config_changes_the_state_with_nx_os_prompts() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    let session = lab.shell(
        "agg1",
        "terminal length 0\nterminal width 511\nterminal dont-ask\nconfigure terminal\n\
         vlan 500\nname backup\ninterface Vlan500\ndescription backup\nno shutdown\n\
         vrf member prod\nip address 10.5.0.2/24\nhsrp 500\nhsrp version 2\nhsrp 500\nip 10.5.0.1\n\
         interface port-channel1\nswitchport trunk allowed vlan add 500\n\
         spanning-tree mst configuration\nrevision 2\nend\nexit\n",
    );
    ok(&session);
    let out = &session.output;
    for prompt in [
        "agg1# terminal length 0\n",
        "agg1# configure terminal\nEnter configuration commands, one per line. End with CNTL/Z.\n",
        "agg1(config)# vlan 500\n",
        "agg1(config-vlan)# name backup\n",
        "agg1(config-vlan)# interface Vlan500\n",
        "agg1(config-if)# hsrp 500\nERROR: Invalid group number. Valid range for HSRP version 1 is 0-255\n",
        "agg1(config-if)# hsrp version 2\nagg1(config-if)# hsrp 500\n",
        "agg1(config-if-hsrp)# ip 10.5.0.1\n",
        "agg1(config-if-hsrp)# interface port-channel1\n",
        "agg1(config-if)# spanning-tree mst configuration\n",
        "agg1(config-mst)# revision 2\n",
        "agg1(config-mst)# end\nagg1# exit\n",
    ] {
        assert!(out.contains(prompt), "no `{prompt}` in:\n{out}");
    }
    let state = lab.running_config("agg1");
    for expected in [
        "vlan 1,110,120,130,200,300,410,420,430,500,3914,3918\n",
        "vlan 500\n  name backup\n",
        "interface Vlan500\n  description backup\n  no shutdown\n  vrf member prod\n  ip address 10.5.0.2/24\n  hsrp version 2\n  hsrp 500\n    ip 10.5.0.1\n",
        "interface port-channel1\n  description link to tor1a/tor1b\n  switchport\n  switchport mode trunk\n  switchport trunk allowed vlan 110,120,130,200,300,500\n",
        // The port-channel's members follow it, as on NX-OS.
        "interface Ethernet1/1\n  description link to tor1a:Ethernet1/49\n  switchport\n  switchport mode trunk\n  switchport trunk allowed vlan 110,120,130,200,300,500\n",
        "  revision 2\n",
    ] {
        assert!(state.contains(expected), "state lacks `{expected}`:\n{state}");
    }
    // What the device prints is what it saved.
    assert_eq!(
        body(&lab.exec("agg1", "show running-config").output),
        body(&state)
    );
}

#[test]
fn no_and_default_forms_remove_and_reset() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    let session = lab.shell(
        "agg1",
        "configure terminal\nno vlan 430\nno interface port-channel3\n\
         default interface Ethernet1/49\ninterface Vlan110\nno description\n\
         no hsrp 110\nno feature vpc\nno vrf context dev\nend\nexit\n",
    );
    ok(&session);
    let state = lab.running_config("agg1");
    assert!(state.contains("vlan 1,110,120,130,200,300,410,420,3914,3918\n"));
    assert!(!state.contains("interface port-channel3\n"));
    assert!(
        state.contains("interface Ethernet1/3\n  description link to tor2a:Ethernet1/49\n  switchport\n  switchport mode trunk\n  switchport trunk allowed vlan 410,420,430\n  mtu 9216\n\n"),
        "members lose their channel-group with the port-channel:\n{state}"
    );
    assert!(state.contains("\ninterface Ethernet1/49\n\ninterface Ethernet1/50\n"));
    assert!(
        state.contains("interface Vlan110\n  no shutdown\n  vrf member prod\n  no ip redirects\n  ip access-group web-in in\n  ip access-group web-out out\n  ip address 10.1.10.2/24\n\n"),
        "no description and no hsrp leave the rest of the SVI:\n{state}"
    );
    assert!(
        !state.contains("\nvpc domain") && !state.contains("\n  vpc "),
        "no feature vpc removes the domain and every vpc line:\n{state}"
    );
    assert!(!state.contains("vrf context dev"));
    assert!(
        state.contains("interface Vlan410\n  description dev-web\n  no shutdown\n  ip access-group dev-web-in in\n  ip access-group dev-web-out out\n\n"),
        "deleting a VRF takes its interfaces' L3 config:\n{state}"
    );
}

#[test]
fn errors_use_nx_os_wording_and_point_at_the_fault() {
    let lab = Lab::start(&[("tor9", None)]);
    let session = lab.shell(
        "tor9",
        "configure terminal\ninterface Vlan10\nhsrp 10\ninterface\nvlan 4000\n\
         interface Ethernet1/1\nswitchport mode trunk\nexit\nno interface Ethernet1/1\n\
         ip access-list A\n10 permit ip any any\n10 deny ip any any\nend\nshow bogus\nexit\n",
    );
    ok(&session);
    let out = &session.output;
    for expected in [
        "tor9(config)# interface Vlan10\n                        ^\n% Invalid command at '^' marker.\n",
        "tor9(config)# hsrp 10\n              ^\n% Invalid command at '^' marker.\n",
        "tor9(config)# interface\n                        ^\n% Incomplete command at '^' marker.\n",
        "tor9(config)# vlan 4000\nERROR: VLAN 4000 is reserved for internal use (VLANs 3968-4094)\n",
        "tor9(config-if)# switchport mode trunk\nERROR: Ethernet1/1: requested config change not allowed\n",
        "ERROR: Ethernet1/1: cannot delete a physical interface\n",
        "tor9(config-acl)# 10 deny ip any any\nERROR: Duplicate sequence number\n",
        "tor9# show bogus\n           ^\n% Invalid command at '^' marker.\n",
    ] {
        assert!(out.contains(expected), "no\n{expected}\nin:\n{out}");
    }
    let state = lab.running_config("tor9");
    assert!(!state.contains("Vlan10") && !state.contains("vlan 1,4000"));
}

#[test]
fn configure_session_commits_atomically() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    lab.exec("agg1", "show running-config");
    let before = lab.running_config("agg1");
    let session = lab.shell(
        "agg1",
        "configure session s1\nip access-list t1\n10 permit ip any any\n10 deny ip any any\n\
         vlan 600\nbogus command\nverify\ncommit\nabort\nexit\n",
    );
    ok(&session);
    let out = &session.output;
    assert!(
        out.contains(
            "agg1(config-s)# ip access-list t1\nagg1(config-s-acl)# 10 permit ip any any\n"
        ),
        "{out}"
    );
    // A session's command tree holds the ACL feature only.
    assert!(
        out.contains(&format!(
            "agg1(config-s-acl)# vlan 600\n{}^\n% Invalid command at '^' marker.\n",
            " ".repeat("agg1(config-s-acl)# ".len())
        )),
        "{out}"
    );
    assert!(
        out.contains(
            "agg1(config-s-acl)# bogus command\n                    ^\n% Invalid command at '^' marker.\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Failed to verify: Command: 10 deny ip any any\nERROR: Duplicate sequence number\n"
        ),
        "{out}"
    );
    assert!(out.contains("Verification Failed\n"));
    assert!(out.contains("Commit Failed\n"));
    assert_eq!(
        lab.running_config("agg1"),
        before,
        "a failed commit applies nothing"
    );

    let session = lab.shell(
        "agg1",
        "configure session s2\nobject-group ip address og1\n10 10.0.0.0/8\n\
         ip access-list t2\n10 permit tcp addrgroup og1 any eq 443\n\
         interface Vlan110\nip access-group t2 in\nverify\ncommit\nexit\n",
    );
    ok(&session);
    assert!(session.output.contains("Verification Successful\n"));
    assert!(
        session.output.contains("Commit Successful\nagg1# exit\n"),
        "{}",
        session.output
    );
    let state = lab.running_config("agg1");
    assert!(
        state.contains("object-group ip address og1\n  10 10.0.0.0/8\n")
            && state.contains("ip access-list t2\n")
            && state.contains("  ip access-group t2 in\n"),
        "{state}"
    );
}

#[test]
fn rollback_restores_a_checkpoint_exactly() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    let session = lab.shell("agg1", "checkpoint before-change\nexit\n");
    ok(&session);
    assert!(session.output.contains("Done"), "{}", session.output);
    let checkpointed = lab.exec("agg1", "show running-config").output;
    let session = lab.shell(
        "agg1",
        "configure terminal\nno feature hsrp\nvlan 700\ninterface port-channel1\n\
         switchport trunk allowed vlan remove 110\nhostname changed\nend\nexit\n",
    );
    ok(&session);
    assert_ne!(body(&lab.running_config("agg1")), body(&checkpointed));
    let summary = lab.exec("agg1", "show checkpoint summary").output;
    assert!(summary.contains("1) before-change:"), "{summary}");
    let session = lab.shell(
        "agg1",
        "rollback running-config checkpoint before-change atomic\nexit\n",
    );
    ok(&session);
    assert!(session
        .output
        .contains("changed# rollback running-config checkpoint before-change atomic\n"));
    assert!(
        session
            .output
            .contains("Rollback completed successfully.\nagg1# exit\n"),
        "{}",
        session.output
    );
    assert_eq!(body(&lab.running_config("agg1")), body(&checkpointed));
    let again = lab.shell("agg1", "checkpoint before-change\nexit\n");
    assert!(again
        .output
        .contains("ERROR: Checkpoint name is already in use"));
}

#[test]
fn copy_running_config_startup_config_saves() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    let session = lab.exec("agg1", "copy running-config startup-config");
    ok(&session);
    assert!(session.output.ends_with("Copy complete.\n"));
    let startup = lab.exec("agg1", "show startup-config").output;
    assert_eq!(body(&startup), body(&lab.running_config("agg1")));
}

#[test]
fn a_dropped_connection_keeps_the_commands_applied_before_it() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    lab.set_faults("agg1", "drop_after_commands = 3\n");
    let session = lab.shell(
        "agg1",
        "configure terminal\nvlan 801\nvlan 802\nvlan 803\nvlan 804\nvlan 805\nend\nexit\n",
    );
    assert_ne!(
        session.status,
        Some(0),
        "the connection must break:\n{}",
        session.output
    );
    assert!(
        session.status.is_some(),
        "ssh hung instead of seeing the drop"
    );
    assert!(!session.output.contains("vlan 804"), "{}", session.output);
    let state = lab.running_config("agg1");
    assert!(
        state.contains("vlan 1,110,120,130,200,300,410,420,430,801-803,3914,3918\n"),
        "{state}"
    );
}

#[test]
fn rejected_commands_fail_like_nx_os_and_apply_nothing() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    lab.set_faults(
        "agg1",
        "reject = ^(vlan 7[0-9][0-9]|ip access-list acl7[0-9][0-9])$\n",
    );
    let session = lab.shell(
        "agg1",
        "configure terminal\nvlan 650\nvlan 750\nend\n\
         configure session s\nip access-list acl660\nip access-list acl760\ncommit\nabort\nexit\n",
    );
    ok(&session);
    assert!(
        session.output.contains(
            "agg1(config-vlan)# vlan 750\n                   ^\n% Invalid command at '^' marker.\n"
        ),
        "{}",
        session.output
    );
    assert!(session
        .output
        .contains("Failed to commit: Command: ip access-list acl760\n"));
    let state = lab.running_config("agg1");
    assert!(state.contains(",430,650,3914,3918\n"), "{state}");
    assert!(!state.contains("750") && !state.contains("acl660") && !state.contains("acl760"));
}

#[test]
fn delay_slows_every_answer() {
    let lab = Lab::start(&[("agg1", None)]);
    lab.set_faults("agg1", "delay_ms = 400\n");
    let start = Instant::now();
    let session = lab.exec("agg1", "show version ; show hostname");
    ok(&session);
    assert!(session.output.contains("NXOS: version 9.3(8)"));
    assert!(
        start.elapsed() >= Duration::from_millis(800),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn hang_never_answers() {
    let lab = Lab::start(&[("agg1", None)]);
    lab.set_faults("agg1", "hang = true\n");
    let session = lab.shell_with_timeout("agg1", "show version\nexit\n", Duration::from_secs(2));
    assert_eq!(
        session.status, None,
        "ssh should still be waiting: {session:?}"
    );
    assert_eq!(session.output, "");
}

#[test]
fn an_unknown_host_key_is_refused() {
    let lab = Lab::start(&[("agg1", None)]);
    std::fs::write(lab.known_hosts_path(), "").unwrap();
    let session = lab.exec("agg1", "show hostname");
    assert_eq!(session.status, Some(255));
    assert!(
        session.stderr.contains("Host key verification failed"),
        "{}",
        session.stderr
    );
}

#[test]
fn long_output_pages_until_terminal_length_0() {
    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    // Space: next page; q: drop the rest.
    let session = lab.shell(
        "agg1",
        "show running-config\n q\nterminal length 0\nshow running-config\nexit\n",
    );
    ok(&session);
    let out = &session.output;
    let (paged, unpaged) = out
        .split_once("agg1# terminal length 0\n")
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(paged.matches(" --More-- ").count(), 2, "{paged}");
    assert!(!paged.contains("interface Ethernet1/54"));
    assert!(!unpaged.contains("--More--"));
    assert!(unpaged.contains("interface Ethernet1/54\n"), "{unpaged}");
}

/// The lab works for liaison's own SSH library (libssh2 through the ssh2
/// crate): ed25519 host key checked against the lab's known_hosts, key
/// authentication, an exec channel and a pty shell.
#[test]
fn the_ssh2_crate_can_drive_the_lab() {
    use std::io::{Read, Write};

    let lab = Lab::start(&[("agg1", Some(AGG1))]);
    let port = lab.port("agg1");
    let connect = || {
        let tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut session = ssh2::Session::new().unwrap();
        session.set_tcp_stream(tcp);
        session.set_timeout(10_000);
        session.handshake().unwrap();
        let mut known = session.known_hosts().unwrap();
        known
            .read_file(&lab.known_hosts_path(), ssh2::KnownHostFileKind::OpenSSH)
            .unwrap();
        let (key, _) = session.host_key().unwrap();
        assert!(matches!(
            known.check_port("127.0.0.1", port, key),
            ssh2::CheckResult::Match
        ));
        session
            .userauth_pubkey_file(&lab.user(), None, &lab.client_key_path(), None)
            .unwrap();
        session
    };

    let session = connect();
    let mut channel = session.channel_session().unwrap();
    channel.exec("show hostname").unwrap();
    let mut out = String::new();
    channel.read_to_string(&mut out).unwrap();
    assert_eq!(out, "agg1\n");

    let session = connect();
    let mut channel = session.channel_session().unwrap();
    channel
        .request_pty("vt100", None, Some((511, 24, 0, 0)))
        .unwrap();
    channel.shell().unwrap();
    let read_until = |channel: &mut ssh2::Channel, end: &str| {
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !String::from_utf8_lossy(&seen).ends_with(end) {
            let n = channel.read(&mut buf).unwrap();
            assert!(n > 0, "closed: {}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&seen).replace("\r\n", "\n")
    };
    assert_eq!(read_until(&mut channel, "# "), "agg1# ");
    channel.write_all(b"configure terminal\n").unwrap();
    assert!(read_until(&mut channel, "(config)# ").ends_with("CNTL/Z.\nagg1(config)# "));
    channel.write_all(b"vlan 900\n").unwrap();
    assert_eq!(
        read_until(&mut channel, "# "),
        "vlan 900\nagg1(config-vlan)# "
    );
    channel.write_all(b"end\nexit\n").unwrap();
    let mut rest = String::new();
    let _ = channel.read_to_string(&mut rest);
    assert!(lab.running_config("agg1").contains(",430,900,3914,3918\n"));
}

/// What liaison asks each switch about its port defaults, answered by
/// each kind of hardware, through the exec channel as liaison asks it.
#[test]
fn show_running_config_all_include_system_default_answers_both_settings() {
    let lab = Lab::start(&[("l2", None), ("l3", None)]);
    lab.set_factory("l2", "switchport = true\nswitchport_shutdown = false\n");
    lab.set_factory("l3", "switchport = false\n");
    let ask = r#"show running-config all | include "system default""#;
    let l2 = lab.exec("l2", ask);
    ok(&l2);
    assert_eq!(
        l2.output,
        "system default switchport\nno system default switchport shutdown\n"
    );
    let l3 = lab.exec("l3", ask);
    ok(&l3);
    assert_eq!(
        l3.output,
        "no system default switchport\nno system default switchport shutdown\n"
    );
    // Plain show running-config prints them only where they differ from
    // the factory default.
    let changed = lab.shell(
        "l3",
        "configure terminal\nsystem default switchport shutdown\nend\nexit\n",
    );
    assert!(!changed.output.contains("Invalid"), "{}", changed.output);
    let shown = lab.exec("l3", "show running-config | include system");
    ok(&shown);
    assert_eq!(shown.output, "system default switchport shutdown\n");
    // An unknown filter is refused as NX-OS refuses it.
    let bad = lab.exec("l3", "show running-config | frobnicate x");
    assert!(bad.output.contains("% Invalid command"), "{}", bad.output);
}

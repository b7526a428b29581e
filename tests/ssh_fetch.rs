//! `liaison fetch` end to end through a real sshd fronting simulated
//! switches: configs come back, host keys are always checked, bad
//! credentials are refused clearly, and secrets never show.

mod common;

use common::sshd::{Lab, PASSWORD_USER};
use common::*;
use std::path::Path;

const DEVICES: [&str; 2] = ["agg1", "tor1a"];

fn golden(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("golden/example/{name}.cfg")),
    )
    .unwrap()
}

/// How a lab starts: `Lab::start` or `Lab::start_with_password`.
type Start = fn(&[(&str, Option<&str>)]) -> Lab;

/// The devices, started by `start`.
fn lab_with(start: Start) -> Lab {
    let configs: Vec<(String, String)> =
        DEVICES.iter().map(|d| (d.to_string(), golden(d))).collect();
    let devices: Vec<(&str, Option<&str>)> = configs
        .iter()
        .map(|(n, c)| (n.as_str(), Some(c.as_str())))
        .collect();
    start(&devices)
}

fn lab() -> Lab {
    lab_with(Lab::start)
}

/// An inventory of the lab's devices; `ssh` is the body of `fabric.ssh`.
fn inventory(lab: &Lab, dir: &Path, ssh: &str) {
    let mut text = format!("fabric:\n  name: lab\n  ssh: {{ {ssh} }}\nswitches:\n");
    for device in DEVICES {
        text.push_str(&format!(
            "  - {{ name: {device}, role: aggregation, mgmt: \"127.0.0.1:{}\" }}\n",
            lab.port(device)
        ));
    }
    std::fs::write(dir.join("inventory.yml"), text).unwrap();
}

fn key_auth(lab: &Lab, known_hosts: &Path) -> String {
    format!(
        "username: {}, key_file: {}, known_hosts: {}",
        lab.user(),
        lab.client_key_path().display(),
        known_hosts.display()
    )
}

/// A fresh ed25519 key pair at `path` (and `path`.pub).
fn new_key(path: &Path) {
    let status = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            path.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "ssh-keygen failed");
}

fn fetch(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let out_dir = dir.join("out");
    let mut args = vec![
        "fetch",
        dir.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--timeout",
        "10",
    ];
    args.extend_from_slice(extra);
    let out = liaison(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn fetch_saves_every_running_config() {
    let lab = lab();
    let dir = tempfile::tempdir().unwrap();
    inventory(&lab, dir.path(), &key_auth(&lab, &lab.known_hosts_path()));
    let (code, stdout, stderr) = fetch(dir.path(), &[]);
    assert_eq!(code, Some(0), "{stderr}\n{}", lab.sshd_log());
    assert!(stdout.contains("fetched 2 of 2"), "{stdout}");
    for device in DEVICES {
        let saved =
            std::fs::read_to_string(dir.path().join("out").join(format!("{device}.cfg"))).unwrap();
        assert!(
            saved.starts_with("!Command: show running-config"),
            "{saved}"
        );
        assert!(saved.contains(&format!("hostname {device}\n")), "{saved}");
        assert!(saved.contains("vpc domain"), "{saved}");
    }
}

#[test]
fn unknown_host_keys_are_refused_unless_accepted_explicitly() {
    let lab = lab();
    let dir = tempfile::tempdir().unwrap();
    let known_hosts = dir.path().join("known_hosts");
    inventory(&lab, dir.path(), &key_auth(&lab, &known_hosts));
    let (code, _, stderr) = fetch(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("agg1: host key of [127.0.0.1]:"),
        "{stderr}"
    );
    assert!(stderr.contains("--accept-new-host-keys"), "{stderr}");
    assert!(!dir.path().join("out/agg1.cfg").exists());

    let (code, _, stderr) = fetch(dir.path(), &["--accept-new-host-keys"]);
    assert_eq!(code, Some(0), "{stderr}");
    let trusted = std::fs::read_to_string(&known_hosts).unwrap();
    assert!(
        trusted.contains(&format!("[127.0.0.1]:{} ssh-ed25519 ", lab.port("agg1"))),
        "{trusted}"
    );
    // Now known: accepted without the flag.
    let (code, _, stderr) = fetch(dir.path(), &[]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_changed_host_key_is_never_accepted() {
    let lab = lab();
    let dir = tempfile::tempdir().unwrap();
    // Another key for the same host and port.
    let other = dir.path().join("other");
    new_key(&other);
    let public = std::fs::read_to_string(other.with_extension("pub")).unwrap();
    let key: Vec<&str> = public.split_whitespace().take(2).collect();
    let known_hosts = dir.path().join("known_hosts");
    let lines: String = DEVICES
        .iter()
        .map(|d| format!("[127.0.0.1]:{} {}\n", lab.port(d), key.join(" ")))
        .collect();
    std::fs::write(&known_hosts, &lines).unwrap();
    inventory(&lab, dir.path(), &key_auth(&lab, &known_hosts));
    let (code, _, stderr) = fetch(dir.path(), &["--accept-new-host-keys"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("HOST KEY MISMATCH"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&known_hosts).unwrap(),
        lines,
        "known_hosts untouched"
    );
}

#[test]
fn a_wrong_key_is_refused_with_a_clear_message() {
    let lab = lab();
    let dir = tempfile::tempdir().unwrap();
    let stranger = dir.path().join("stranger");
    new_key(&stranger);
    inventory(
        &lab,
        dir.path(),
        &format!(
            "username: {}, key_file: {}, known_hosts: {}",
            lab.user(),
            stranger.display(),
            lab.known_hosts_path().display()
        ),
    );
    let (code, _, stderr) = fetch(dir.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(&format!("agg1: authentication as `{}` failed", lab.user())),
        "{stderr}"
    );
}

fn password_lab() -> Lab {
    lab_with(Lab::start_with_password)
}

/// `liaison fetch` with the password in `LIAISON_TEST_PW`: exit code and
/// everything it printed.
fn fetch_with_password(lab: &Lab, dir: &Path, password: &str) -> (Option<i32>, String) {
    inventory(
        lab,
        dir,
        &format!(
            "username: {PASSWORD_USER}, password_env: LIAISON_TEST_PW, known_hosts: {}",
            lab.known_hosts_path().display()
        ),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args([
            "fetch",
            dir.to_str().unwrap(),
            "-o",
            dir.join("out").to_str().unwrap(),
            "--timeout",
            "10",
        ])
        .env("LIAISON_TEST_PW", password)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), all)
}

#[test]
fn a_password_logs_in_and_never_shows() {
    let lab = password_lab();
    let dir = tempfile::tempdir().unwrap();
    let (code, all) = fetch_with_password(&lab, dir.path(), lab.password());
    assert_eq!(code, Some(0), "{all}\n{}", lab.sshd_log());
    assert!(all.contains("fetched 2 of 2"), "{all}");
    for device in DEVICES {
        let saved =
            std::fs::read_to_string(dir.path().join("out").join(format!("{device}.cfg"))).unwrap();
        assert!(saved.contains(&format!("hostname {device}\n")), "{saved}");
    }
    assert!(!all.contains(lab.password()), "the password leaked:\n{all}");
    assert!(
        !lab.sshd_log().contains(lab.password()),
        "the password reached the server log"
    );
}

#[test]
fn a_wrong_password_is_refused_and_never_shows() {
    let lab = password_lab();
    let dir = tempfile::tempdir().unwrap();
    let wrong = "Zq9-liaison-DISTINCTIVE-pw-7731";
    let (code, all) = fetch_with_password(&lab, dir.path(), wrong);
    assert_eq!(code, Some(1), "{all}");
    assert!(
        all.contains(&format!("agg1: authentication as `{PASSWORD_USER}` failed")),
        "{all}"
    );
    assert!(!dir.path().join("out").join("agg1.cfg").exists());
    assert!(!all.contains(wrong), "the password leaked:\n{all}");
    assert!(
        !lab.sshd_log().contains(wrong),
        "the password reached the server log"
    );
}

/// A fetch that fails for one switch saves nothing for it: not the output
/// of a refused command, not output holding terminal escapes, not a config
/// over the size cap. The other switch is saved.
#[test]
fn a_failed_fetch_saves_nothing_for_that_switch() {
    let lab = lab();
    let dir = tempfile::tempdir().unwrap();
    inventory(&lab, dir.path(), &key_auth(&lab, &lab.known_hosts_path()));
    let out = dir.path().join("out");
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "reject = ^show running-config$\n",
            &[],
            "agg1: the switch refused `show running-config`: % Invalid command",
        ),
        (
            "ansi = true\n",
            &[],
            "agg1: the output of `show running-config` cannot be used: line 1 holds a terminal escape sequence (ESC)",
        ),
        (
            "",
            &["--max-config-bytes", "300"],
            "agg1: the output of `show running-config` exceeds 300 bytes; nothing was kept",
        ),
    ];
    for (faults, extra, message) in cases {
        let _ = std::fs::remove_dir_all(&out);
        lab.set_faults("agg1", faults);
        let (code, stdout, stderr) = fetch(dir.path(), extra);
        assert_eq!(code, Some(1), "{faults}: {stdout}\n{stderr}");
        assert!(stderr.contains(message), "{faults}: {stderr}");
        assert!(!out.join("agg1.cfg").exists(), "{faults}: agg1 saved");
        if extra.is_empty() {
            assert!(stdout.contains("fetched 1 of 2"), "{stdout}");
            assert!(out.join("tor1a.cfg").exists(), "{faults}: tor1a not saved");
        }
    }
}

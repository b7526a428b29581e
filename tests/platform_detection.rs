//! A config of another platform is refused, not misread (issue #10: "An
//! EOS config given to `diff --platform nxos` is parsed as NX-OS without a
//! word"). The detector is checked on every public config of
//! `tests/fixtures/` (SOURCES.md there): it never calls an NX-OS config
//! anything else and recognises every EOS one; then `diff`, `plan` and
//! `verify` are run as a user runs them.

mod common;

use common::*;
use liaison::config::signature::foreign;
use liaison::inventory::Platform;
use std::path::PathBuf;

fn fixture_path(platform: &str, name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(platform)
        .join(name);
    assert!(path.is_file(), "{}", path.display());
    path.to_str().unwrap().to_string()
}

#[test]
fn no_nxos_corpus_config_is_taken_for_another_platform() {
    let configs = corpus_configs("nxos");
    assert_eq!(configs.len(), 136, "the NX-OS corpus went missing");
    for (name, text) in configs {
        assert_eq!(foreign(&text, Platform::Nxos), None, "{name}");
    }
}

#[test]
fn every_eos_corpus_config_is_recognised_as_eos() {
    let configs = corpus_configs("eos");
    assert_eq!(configs.len(), 44, "the EOS corpus went missing");
    for (name, text) in configs {
        let found = foreign(&text, Platform::Nxos)
            .unwrap_or_else(|| panic!("{name} was not recognised as EOS"));
        assert_eq!(found.platform, Platform::Eos, "{name}");
        // The line quoted is the line at that number.
        if found.line > 0 {
            let line = text.lines().nth(found.line - 1).unwrap().trim_end();
            assert_eq!(line, found.text, "{name}");
        }
    }
}

#[test]
fn a_tiny_or_ambiguous_config_is_read_as_asked() {
    for text in [
        "hostname a\n",
        "",
        "interface Ethernet1\n  description x\n",
        "interface Loopback0\n  ip address 10.0.0.1/32\n",
        "vlan 10\n   name web\n",
        // Signs of both: not clearly another platform.
        "feature bgp\ninterface Management1\n",
    ] {
        assert_eq!(foreign(text, Platform::Nxos), None, "{text:?}");
    }
}

#[test]
fn one_sign_the_nxos_cli_would_refuse_is_enough() {
    for (text, line) in [
        ("! Command: show running-config\n! device: leaf1 (cEOSLab, EOS-4.25.5M)\n!\nhostname leaf1\n", 2),
        ("hostname a\ninterface Management1\n  ip address 192.0.2.1/24\n", 2),
        ("hostname a\nvrf instance MGMT\n", 2),
    ] {
        let found = foreign(text, Platform::Nxos).unwrap_or_else(|| panic!("{text:?}"));
        assert_eq!(
            (found.platform, found.line),
            (Platform::Eos, line),
            "{text:?}"
        );
    }
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn diff_of_an_eos_config_as_nxos_is_refused_and_emits_nothing() {
    let eos = fixture_path("eos", "avd__l2ls-fabric__LEAF1.cfg");
    let nxos = fixture_path("nxos", "hier_config__nxos_running.cfg");
    for format in ["text", "json", "markdown", "commands"] {
        let result = liaison(&[
            "diff",
            "--platform",
            "nxos",
            &eos,
            &nxos,
            "--format",
            format,
        ]);
        assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
        assert!(result.stdout.is_empty(), "{format}: something was emitted");
        let message = stderr(&result);
        assert!(
            message.starts_with(
                "error[E141]: the running config looks like Arista EOS configuration, not Cisco NX-OS: `no aaa root` is an EOS command"
            ),
            "{message}"
        );
        assert!(message.contains(&format!("--> {eos}:3\n")), "{message}");
        assert!(message.contains("3 | no aaa root\n"), "{message}");
        assert!(
            message.contains("= hint: if it is, say so: `diff --platform eos`, or `platform: eos` on the switch in the inventory; if not, "),
            "{message}"
        );
        assert_eq!(message.matches("error").count(), 1, "one error: {message}");
    }
    // The intended side is checked as well; its banner, read as NX-OS,
    // would have become commands.
    let banner = fixture_path("eos", "netutils__compliance_eos_bad_banner_intended.cfg");
    let result = liaison(&["diff", "--platform", "nxos", &nxos, &banner]);
    assert_eq!(result.status.code(), Some(1));
    assert!(result.stdout.is_empty());
    let message = stderr(&result);
    assert!(
        message.starts_with("error[E141]: the intended config looks like Arista EOS"),
        "{message}"
    );
    assert!(message.contains(&format!("--> {banner}:2\n")), "{message}");
    assert!(message.contains("2 | banner login\n"), "{message}");
}

#[test]
fn plan_and_verify_refuse_an_eos_running_config() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inv");
    copy_example_with_running(&inventory);
    let running = inventory.join("running");
    std::fs::copy(
        fixture_path("eos", "avd__single-dc-l3ls__dc1-leaf1a.cfg"),
        running.join("agg1.cfg"),
    )
    .unwrap();
    let inventory = inventory.to_str().unwrap();
    let agg1 = running.join("agg1.cfg");
    for args in [
        vec!["plan", inventory],
        vec!["plan", inventory, "--format", "json"],
        vec!["verify", inventory],
    ] {
        let result = liaison(&args);
        assert_eq!(
            result.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&result)
        );
        assert!(result.stdout.is_empty(), "{args:?} emitted something");
        let message = stderr(&result);
        assert!(
            message.contains("error[E141]: the running config looks like Arista EOS configuration"),
            "{args:?}: {message}"
        );
        assert!(
            message.contains(&format!("--> {}:", agg1.display())),
            "{message}"
        );
        assert!(
            message.contains("save the output of `show running-config` on agg1"),
            "{message}"
        );
        assert_eq!(message.matches("E141").count(), 1, "{message}");
    }
}

//! Messages about an EOS fabric speak EOS: its pairs are MLAG pairs, its
//! management port is `Management1`, its ports `EthernetN`, and its
//! peer-links are described as MLAG's; nothing NX-OS-only (a vPC, mgmt0,
//! a peer-keepalive) is said of it. The tests change
//! `inventories/example-eos` and read `liaison check`, or read its
//! `liaison docs`.

mod common;

use common::{copy_inventory, liaison, replace};
use std::path::Path;

fn check(dir: &Path) -> (Option<i32>, String) {
    let out = liaison(&["check", dir.to_str().unwrap()]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn example_eos() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    dir
}

/// The NX-OS words no EOS message may hold.
fn no_nxos_words(stderr: &str) {
    for word in [
        "vPC",
        "mgmt0",
        "peer-keepalive",
        "EthernetX/Y",
        "checkpoint",
    ] {
        assert!(!stderr.contains(word), "`{word}` said of EOS:\n{stderr}");
    }
}

#[test]
fn a_pair_without_a_peer_link_is_e107_with_an_eos_port_in_the_hint() {
    let dir = example_eos();
    for n in ["53", "54"] {
        replace(
            dir.path(),
            "switches.yml",
            &format!("  - [tor1a:Ethernet{n}/1, tor1b:Ethernet{n}/1]\n"),
            "",
        );
    }
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[E107]"), "{stderr}");
    assert!(
        stderr.contains("`- [tor1a:EthernetN, tor1b:EthernetN]`"),
        "{stderr}"
    );
    no_nxos_words(&stderr);
}

#[test]
fn a_switch_paired_with_itself_is_e061_naming_the_mlag_peer() {
    let dir = example_eos();
    replace(dir.path(), "switches.yml", "pair: agg2", "pair: agg1");
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("`pair` names the MLAG peer, another switch"),
        "{stderr}"
    );
    no_nxos_words(&stderr);
}

/// An MLAG pair needs no keepalive address (its peers meet at
/// `peer-address` over the peer-link): a member managed through a jump
/// host is no W003, and one keepalive address on both members no E153.
#[test]
fn keepalive_addresses_are_not_judged_on_eos() {
    let dir = example_eos();
    replace(
        dir.path(),
        "switches.yml",
        "mgmt: 192.0.2.12 }",
        "mgmt: \"jump.example.net:2202\" }",
    );
    replace(
        dir.path(),
        "switches.yml",
        "mgmt: 192.0.2.21,",
        "mgmt: 192.0.2.21, keepalive: 192.0.2.22,",
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    for code in ["W003", "E153", "E154"] {
        assert!(!stderr.contains(code), "{code} on EOS:\n{stderr}");
    }
    no_nxos_words(&stderr);
}

#[test]
fn a_guardrail_conflict_on_a_peer_link_names_the_mlag_peer_link() {
    let dir = example_eos();
    replace(
        dir.path(),
        "segments.yml",
        "name: dev-web, vlan: 410, subnet: 10.2.10.0/24, vrf: dev }",
        "name: dev-web, vlan: 410, subnet: 10.2.10.0/24, vrf: dev, tags: [pci] }",
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E090]: on agg1/agg2, the MLAG peer-link would carry segment `web`"),
        "{stderr}"
    );
    no_nxos_words(&stderr);
}

/// `liaison docs` of the EOS example: its pages and drawings call the
/// pairs MLAG, in both formats, and name no NX-OS heartbeat.
#[test]
fn the_docs_of_an_eos_fabric_speak_of_mlag() {
    for format in ["html", "markdown"] {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let result = liaison(&[
            "docs",
            "inventories/example-eos",
            "-o",
            site.to_str().unwrap(),
            "--format",
            format,
        ]);
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        let mut mlag = 0;
        let mut stack = vec![site];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                for word in ["vPC", "peer-keepalive"] {
                    assert!(
                        !text.contains(word),
                        "{format}: `{word}` in {}",
                        path.display()
                    );
                }
                mlag += text.matches("MLAG").count();
            }
        }
        assert!(mlag > 0, "{format}: no page names MLAG");
    }
}

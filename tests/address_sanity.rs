//! `check` refuses addresses no switch takes, each with one error at the
//! value's file:line, and `build` then writes nothing.

mod common;

use common::*;

/// The example with one edit: check fails with exactly one error, `code`,
/// at `file:line` of the edit, whose message holds `message`; build writes
/// nothing.
fn refused(file: &str, from: &str, to: &str, code: &str, message: &str) {
    let (_tmp, inventory) = example_copy();
    replace(&inventory, file, from, to);
    let line = std::fs::read_to_string(inventory.join(file))
        .unwrap()
        .lines()
        .position(|l| l.contains(to))
        .unwrap()
        + 1;
    let check = liaison(&["check", inventory.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("error[{code}]")), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    assert!(
        stderr.contains(&format!("{file}:{line}:")),
        "{file}:{line} in\n{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(stderr.contains("= hint: "), "{stderr}");
    assert_build_writes_nothing(&inventory);
}

#[test]
fn segment_subnets_in_special_ranges_are_refused() {
    for (subnet, range) in [
        ("0.1.30.0/24", "0.0.0.0/8"),
        ("127.1.30.0/24", "127.0.0.0/8, loopback"),
        ("224.1.30.0/24", "224.0.0.0/4, multicast"),
        ("240.1.30.0/24", "240.0.0.0/4, reserved"),
    ] {
        refused(
            "segments.yml",
            "subnet: 10.1.30.0/24",
            &format!("subnet: {subnet}"),
            "E136",
            &format!("subnet {subnet} of segment `db` is in {range}"),
        );
    }
}

#[test]
fn external_addresses_no_interface_takes_are_refused() {
    for (address, message) in [
        ("0.0.0.1/0", "has prefix length 0"),
        ("127.0.0.1/31", "is in 127.0.0.0/8, loopback"),
        ("192.0.2.96/29", "is the network or broadcast address"),
    ] {
        refused(
            "endpoints.yml",
            "address: 192.0.2.101/31",
            &format!("address: {address}"),
            "E136",
            &format!("interface address {address} {message}"),
        );
    }
}

#[test]
fn an_external_address_inside_a_segment_subnet_of_its_vrf_is_refused() {
    refused(
        "endpoints.yml",
        "address: 192.0.2.101/31, next_hop: 192.0.2.100",
        "address: 10.1.30.9/31, next_hop: 10.1.30.8",
        "E137",
        "external link address 10.1.30.9/31 overlaps subnet 10.1.30.0/24 of segment `db` in VRF `prod`",
    );
}

#[test]
fn the_same_external_address_in_another_vrf_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    copy_inventory("example", tmp.path());
    // `dev` has no segment in 10.1.30.0/24 (`db` is in `prod`).
    replace(
        tmp.path(),
        "endpoints.yml",
        "address: 192.0.2.105/31, next_hop: 192.0.2.104",
        "address: 10.1.30.9/31, next_hop: 10.1.30.8",
    );
    let check = liaison(&["check", tmp.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!stderr.contains("E137"), "{stderr}");
}

#[test]
fn keepalive_addresses_no_interface_takes_are_refused() {
    for address in ["0.0.0.0", "255.255.255.255", "127.0.0.1"] {
        refused(
            "switches.yml",
            "mgmt: 192.0.2.11,",
            &format!("mgmt: 192.0.2.11, keepalive: {address},"),
            "E136",
            &format!("`keepalive` {address} is in"),
        );
    }
}

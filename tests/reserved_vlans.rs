//! Reserved VLANs are per platform: a segment's VLAN is refused (E021)
//! only where it reaches a switch whose platform keeps it for itself. NX-OS
//! reserves 3968-4094 (src/platform/nxos/numbering.rs); EOS allocates its
//! internal VLANs dynamically; liaison keeps only 4094 for its MLAG peer
//! VLAN there (src/platform/eos/numbering.rs), so an EOS switch may carry a VLAN
//! NX-OS reserves, and a VLAN that reaches both must suit both.

mod common;

use common::{copy_inventory, replace};
use std::path::Path;

/// The example inventory with `db`'s VLAN moved to `vlan` and the switches
/// whose role is `role` (all when None) on `platform`.
fn example(dir: &Path, vlan: u16, platform: &str, role: Option<&str>) {
    copy_inventory("example", dir);
    replace(dir, "segments.yml", "vlan: 130,", &format!("vlan: {vlan},"));
    let text = std::fs::read_to_string(dir.join("switches.yml")).unwrap();
    let text = match role {
        Some(role) => text.replace(
            &format!("role: {role}, platform: nxos"),
            &format!("role: {role}, platform: {platform}"),
        ),
        None => text.replace("platform: nxos", &format!("platform: {platform}")),
    };
    std::fs::write(dir.join("switches.yml"), text).unwrap();
}

/// The E021 messages of the inventory in `dir`.
fn reserved(dir: &Path) -> Vec<String> {
    liaison::analyse(dir)
        .diagnostics
        .iter()
        .filter(|d| d.code == "E021")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn a_vlan_nxos_reserves_is_refused_on_an_all_nxos_fabric() {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path(), 4000, "nxos", None);
    assert_eq!(
        reserved(dir.path()),
        ["VLAN 4000 is in NX-OS's reserved range 3968-4094"]
    );
}

#[test]
fn an_eos_fabric_may_use_a_vlan_nxos_reserves() {
    let dir = tempfile::tempdir().unwrap();
    example(dir.path(), 4000, "eos", None);
    assert_eq!(reserved(dir.path()), Vec::<String>::new());
    // And it builds (EOS has templates now): the VLAN is not refused.
    let analysis = liaison::analyse_to_render(dir.path());
    assert!(analysis.intent.is_some(), "{:?}", analysis.diagnostics);
}

#[test]
fn a_vlan_reaching_an_nxos_switch_of_a_mixed_fabric_is_refused_there() {
    // EOS ToRs below NX-OS aggregation: the VLAN runs up to the gateways,
    // which reserve it; the EOS switches are not named.
    let dir = tempfile::tempdir().unwrap();
    example(dir.path(), 4000, "eos", Some("tor"));
    let found = reserved(dir.path());
    assert_eq!(
        found,
        ["VLAN 4000 of segment `db` reaches `agg1`, and is in NX-OS's reserved range 3968-4094"]
    );
    // A VLAN that no platform reserves passes on the same fabric.
    let dir = tempfile::tempdir().unwrap();
    example(dir.path(), 3000, "eos", Some("tor"));
    assert_eq!(reserved(dir.path()), Vec::<String>::new());
}

#[test]
fn under_eos_gateways_a_vlan_nxos_reserves_is_refused_on_the_nxos_tors() {
    // NX-OS ToRs under EOS aggregation.
    let dir = tempfile::tempdir().unwrap();
    example(dir.path(), 4000, "eos", Some("aggregation"));
    let found = reserved(dir.path());
    // `db` is a prod segment: prod's hosts sit behind the NX-OS ToRs, so
    // the VLAN reaches them and is refused there, not on the EOS pair.
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("reaches `tor"), "{found:?}");
    assert!(!found[0].contains("agg"), "{found:?}");
}

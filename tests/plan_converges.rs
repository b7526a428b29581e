//! End to end: the example's plan, typed into a model switch running each
//! snapshot of `inventories/example/running/`, leaves nothing to plan.
//! Checks through the real binary that scoping, drift and ordering add up
//! to commands a switch accepts and that reach the intent.

mod common;
mod model;

use common::liaison;
use liaison::platform::nxos::parse as parse_nxos;
use model::{Switch, LAYER3};
use std::path::Path;

/// Applies `liaison plan --device D --format commands` (with `extra`
/// arguments) to every snapshot and writes the resulting configs to `out`.
fn apply_plans(out: &Path, extra: &[&str]) {
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    std::fs::create_dir_all(out).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&snapshot)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    for file in files {
        let device = file.file_stem().unwrap().to_str().unwrap().to_string();
        let mut args = vec!["plan", "--device", &device, "--format", "commands"];
        args.extend_from_slice(extra);
        let result = liaison(&args);
        assert!(
            matches!(result.status.code(), Some(0 | 2)),
            "{device}: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        let text = std::fs::read_to_string(&file).unwrap();
        // The example's switches are N9K-C93180YC-FX: routed ports by
        // default in liaison's model table, and so in the model switch.
        let mut switch = Switch::with_defaults(parse_nxos(&text).unwrap(), LAYER3);
        for command in String::from_utf8(result.stdout).unwrap().lines() {
            switch
                .type_command(command)
                .unwrap_or_else(|refused| panic!("{device} refused {command:?}: {refused}"));
        }
        std::fs::write(
            out.join(format!("{device}.cfg")),
            switch.show_running_config(),
        )
        .unwrap();
    }
}

#[test]
fn the_example_plan_applied_leaves_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let after = dir.path().join("after");
    apply_plans(&after, &[]);
    let again = liaison(&["plan", "--running", after.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn the_pruning_plan_applied_leaves_only_what_is_still_used() {
    let dir = tempfile::tempdir().unwrap();
    let after = dir.path().join("after");
    apply_plans(&after, &["--prune"]);
    let again = liaison(&["plan", "--prune", "--running", after.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&again.stdout).into_owned();
    assert_eq!(again.status.code(), Some(0), "{report}");
    assert!(
        report.contains(
            "note: left the management plane alone: `ip access-list ACL-VTY` (used by `line vty`)"
        ),
        "{report}"
    );
    let agg1 = std::fs::read_to_string(after.join("agg1.cfg")).unwrap();
    assert!(!agg1.contains("vlan 999"), "pruned VLAN still there");
    assert!(
        !agg1.contains("ACL-LEGACY-BACKUP"),
        "pruned ACL still there"
    );
    assert!(
        agg1.contains("ntp server 192.0.2.250"),
        "unmanaged lines are kept"
    );
}

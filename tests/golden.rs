//! The rendered configs of the shipped inventories, the refusal report of
//! `inventories/conflict`, and the plan of `inventories/example` against
//! its `running/` snapshot in every output format, compared byte for byte
//! with `golden/`.
//!
//! After an intended change, regenerate with
//! `UPDATE_GOLDEN=1 cargo test --test golden` and review `git diff golden/`.

mod common;

use std::path::{Path, PathBuf};

use common::liaison;

/// Runs `liaison ARGS`, which must succeed, and compares the directory it
/// wrote with `golden/<golden>`.
fn output_matches_golden(args: &[&str], written: &Path, golden: &str) {
    let result = liaison(args);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    compare_dir(
        written,
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("golden")
            .join(golden),
    );
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                // build's own bookkeeping (`.liaison-manifest`) is not output.
                .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn compare_dir(actual: &Path, golden: &Path) {
    if updating() {
        let _ = std::fs::remove_dir_all(golden);
        std::fs::create_dir_all(golden).unwrap();
        for file in files_in(actual) {
            std::fs::copy(&file, golden.join(file.file_name().unwrap())).unwrap();
        }
        return;
    }
    let names = |dir: &Path| -> Vec<String> {
        files_in(dir)
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(
        names(actual),
        names(golden),
        "set of files differs from {}",
        golden.display()
    );
    for file in files_in(golden) {
        let want = std::fs::read(&file).unwrap();
        let got = std::fs::read(actual.join(file.file_name().unwrap())).unwrap();
        assert!(
            want == got,
            "{} differs from the build output; run UPDATE_GOLDEN=1 cargo test --test golden and review the diff",
            file.display()
        );
    }
}

#[test]
fn example_configs_match_golden() {
    build_matches_golden(Path::new("inventories/example"), "example");
}

/// The example with the other choices of issue 12's layer-2 design:
/// Rapid-PVST+ (per-VLAN priorities) and a storage array whose two
/// controllers bundle their ports each (README, "Spanning tree", "Blade
/// interconnects and storage controllers").
#[test]
fn rapid_pvst_and_per_controller_bundles_match_golden() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory");
    common::copy_inventory("example", &inventory);
    common::append(&inventory, "fabric.yml", "  stp: rapid-pvst\n");
    common::replace(
        &inventory,
        "endpoints.yml",
        "      - { name: a, ports: [agg1:Ethernet1/20] }\n      - { name: b, ports: [agg2:Ethernet1/20] }\n    segments: [iscsi]\n    lag: none\n",
        "      - { name: a, ports: [agg1:Ethernet1/20, agg1:Ethernet1/21] }\n      - { name: b, ports: [agg2:Ethernet1/20, agg2:Ethernet1/21] }\n    segments: [iscsi]\n    lag: lacp\n",
    );
    build_matches_golden(&inventory, "rapid-pvst");
}

/// The example fabric on Arista EOS (`inventories/example-eos`: the
/// example with `platform: eos` and Arista models), in MST
/// (`golden/eos-example/`) and in Rapid-PVST+ (`golden/eos-rapid-pvst/`).
#[test]
fn eos_example_configs_match_golden() {
    build_matches_golden(Path::new("inventories/example-eos"), "eos-example");
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory");
    common::copy_inventory("example-eos", &inventory);
    common::append(&inventory, "fabric.yml", "  stp: rapid-pvst\n");
    build_matches_golden(&inventory, "eos-rapid-pvst");
}

/// `liaison build INVENTORY` writes exactly `golden/<golden>`.
fn build_matches_golden(inventory: &Path, golden: &str) {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join(golden);
    output_matches_golden(
        &[
            "build",
            inventory.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
        ],
        &out_dir,
        golden,
    );
}

/// Compares `text` with `golden/<name>`, or rewrites it under UPDATE_GOLDEN.
fn compare_text(text: &str, name: &str) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(name);
    if updating() {
        std::fs::write(&golden, text).unwrap();
    } else {
        let want = std::fs::read_to_string(&golden).unwrap();
        assert_eq!(
            text, want,
            "run UPDATE_GOLDEN=1 cargo test --test golden and review the diff"
        );
    }
}

#[test]
fn example_budget_table_matches_golden() {
    let check = liaison(&["check", "inventories/example"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    compare_text(
        &String::from_utf8(check.stdout).unwrap(),
        "example.check.txt",
    );
}

#[test]
fn build_is_byte_stable_across_runs() {
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    for dir in [&a, &b] {
        assert!(
            liaison(&["build", "inventories/example", "-o", dir.to_str().unwrap()])
                .status
                .success()
        );
    }
    for file in files_in(&a) {
        let other = b.join(file.file_name().unwrap());
        assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(other).unwrap());
    }
}

#[test]
fn conflict_inventory_is_refused_with_the_golden_report() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().join("conflict");
    let result = liaison(&[
        "build",
        "inventories/conflict",
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(!out_dir.exists(), "a refused build must write nothing");
    let check = liaison(&["check", "inventories/conflict"]);
    assert_eq!(check.status.code(), Some(1));
    let report = String::from_utf8(check.stderr).unwrap();
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/conflict.check.txt");
    if updating() {
        std::fs::write(&golden, &report).unwrap();
    } else {
        let want = std::fs::read_to_string(&golden).unwrap();
        assert_eq!(
            report, want,
            "run UPDATE_GOLDEN=1 cargo test --test golden and review the diff"
        );
    }
}

/// Compares `actual` with the golden file `name` (or rewrites it).
fn compare_file(actual: &str, name: &str) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("golden")
        .join(name);
    if updating() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, actual).unwrap();
        return;
    }
    let want =
        std::fs::read_to_string(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
    assert!(
        actual == want,
        "{} differs from the output; run UPDATE_GOLDEN=1 cargo test --test golden and review the diff\n--- got:\n{actual}",
        golden.display()
    );
}

#[test]
fn example_plan_matches_golden_in_every_format() {
    for (format, file) in [
        ("text", "plan/plan.txt"),
        ("json", "plan/plan.json"),
        ("markdown", "plan/plan.md"),
    ] {
        let result = liaison(&["plan", "--format", format]);
        assert_eq!(
            result.status.code(),
            Some(2),
            "the example's running snapshot differs from its intent: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        compare_file(&String::from_utf8(result.stdout).unwrap(), file);
    }
}

/// The plan of `inventories/example-eos` (the example fabric on Arista
/// EOS) against its `running/` snapshot: adds, removals and edits on the
/// fabric, nothing on the management plane (`Management1`, `vrf instance
/// MGMT`, users, `management api`, `ip route vrf MGMT`, NTP).
#[test]
fn example_eos_plan_matches_golden() {
    let result = liaison(&["plan", "inventories/example-eos"]);
    assert_eq!(
        result.status.code(),
        Some(2),
        "the EOS example's running snapshot differs from its intent: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let plan = String::from_utf8(result.stdout).unwrap();
    for management in [
        "Management1",
        "MGMT",
        "username",
        "management api",
        "aaa ",
        "ntp ",
    ] {
        assert!(
            !plan
                .lines()
                .any(|l| !l.starts_with(' ') && !l.starts_with('(') && l.contains(management)),
            "the plan touches the management plane (`{management}`):\n{plan}"
        );
    }
    compare_file(&plan, "plan/example-eos.txt");
}

#[test]
fn example_plan_commands_match_golden_per_device() {
    for device in ["agg1", "agg2", "tor1a", "tor2a", "tor2b", "tor3a"] {
        let result = liaison(&["plan", "--device", device, "--format", "commands"]);
        assert_eq!(result.status.code(), Some(2), "{device}");
        assert!(
            result.stderr.is_empty(),
            "{device}: commands format writes nothing else"
        );
        compare_file(
            &String::from_utf8(result.stdout).unwrap(),
            &format!("plan/commands/{device}.txt"),
        );
    }
}

#[test]
fn example_plan_with_prune_matches_golden() {
    let result = liaison(&["plan", "--prune", "--device", "agg1", "--device", "tor2a"]);
    assert_eq!(result.status.code(), Some(2));
    compare_file(&String::from_utf8(result.stdout).unwrap(), "plan/prune.txt");
}

#[test]
fn example_verify_matches_golden_in_every_format() {
    verify_matches_golden("inventories/example", "verify/verify");
}

/// The EOS example's report: its findings worded as EOS configs say them.
#[test]
fn example_eos_verify_matches_golden_in_every_format() {
    verify_matches_golden("inventories/example-eos", "verify/example-eos");
}

/// `liaison verify INVENTORY` (its running snapshot) in every format
/// against `golden/STEM.{txt,json,md}`.
fn verify_matches_golden(inventory: &str, stem: &str) {
    for (format, extension) in [("text", "txt"), ("json", "json"), ("markdown", "md")] {
        let file = format!("{stem}.{extension}");
        let result = liaison(&["verify", inventory, "--format", format]);
        assert_eq!(
            result.status.code(),
            Some(2),
            "the example's running snapshot strands hosts: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        compare_file(&String::from_utf8(result.stdout).unwrap(), &file);
    }
}

/// `liaison docs` of the example, in both formats (without running
/// configs: the plan and findings pages are tested against `plan` and
/// `verify` themselves in tests/docs.rs).
fn example_docs_match_golden(format: &str) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    output_matches_golden(
        &[
            "docs",
            "inventories/example",
            "-o",
            site.to_str().unwrap(),
            "--format",
            format,
        ],
        &site,
        &format!("docs/{format}"),
    );
}

#[test]
fn example_docs_html_match_golden() {
    example_docs_match_golden("html");
}

#[test]
fn example_docs_markdown_match_golden() {
    example_docs_match_golden("markdown");
}

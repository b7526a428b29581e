//! The rendered configs of the shipped inventories, the refusal report of
//! `inventories/conflict`, the check reports of the examples, and the
//! plans of `inventories/example` and `inventories/example-eos` against
//! their `running/` snapshots in every output format, compared byte for
//! byte with `golden/`.
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

/// `liaison check INVENTORY` succeeds and prints exactly `golden/<golden>`
/// (the hardware budget table).
fn check_matches_golden(inventory: &str, golden: &str) {
    let check = liaison(&["check", inventory]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    compare_file(&String::from_utf8(check.stdout).unwrap(), golden);
}

#[test]
fn example_budget_table_matches_golden() {
    check_matches_golden("inventories/example", "example.check.txt");
}

/// The EOS example's budget, with the limits of its Arista models.
#[test]
fn example_eos_budget_table_matches_golden() {
    check_matches_golden("inventories/example-eos", "example-eos.check.txt");
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
    compare_file(
        &String::from_utf8(check.stderr).unwrap(),
        "conflict.check.txt",
    );
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

/// `liaison plan ARGS`, which must find changes (exit code 2), compared
/// with `golden/<file>`; its output.
fn plan_matches_golden(args: &[&str], file: &str) -> String {
    let result = liaison(&[&["plan"], args].concat());
    assert_eq!(
        result.status.code(),
        Some(2),
        "the running snapshot differs from the intent: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    let plan = String::from_utf8(result.stdout).unwrap();
    compare_file(&plan, file);
    plan
}

/// The plan of `inventory` (the default one when empty) as text, json and
/// markdown: `golden/plan/<stem>.txt`, `.json`, `.md`; the text one.
fn plan_matches_golden_in_every_format(inventory: &[&str], stem: &str) -> String {
    let mut text = String::new();
    for (format, extension) in [("text", "txt"), ("json", "json"), ("markdown", "md")] {
        let plan = plan_matches_golden(
            &[inventory, &["--format", format]].concat(),
            &format!("plan/{stem}.{extension}"),
        );
        if format == "text" {
            text = plan;
        }
    }
    text
}

/// The devices whose `--format commands` plan is compared: every one the
/// examples change.
const CHANGED: [&str; 6] = ["agg1", "agg2", "tor1a", "tor2a", "tor2b", "tor3a"];

/// `plan --device D --format commands` for each of [`CHANGED`]: the bare
/// commands and nothing else, `golden/plan/<dir>/D.txt`.
fn plan_commands_match_golden_per_device(inventory: &[&str], dir: &str) {
    for device in CHANGED {
        let result = liaison(
            &[
                &["plan"],
                inventory,
                &["--device", device, "--format", "commands"],
            ]
            .concat(),
        );
        assert_eq!(result.status.code(), Some(2), "{device}");
        assert!(
            result.stderr.is_empty(),
            "{device}: commands format writes nothing else"
        );
        compare_file(
            &String::from_utf8(result.stdout).unwrap(),
            &format!("plan/{dir}/{device}.txt"),
        );
    }
}

/// `plan --prune` on agg1 and tor2a, which run VLANs (and, on NX-OS,
/// ACLs) the inventory does not define.
fn plan_with_prune_matches_golden(inventory: &[&str], file: &str) {
    plan_matches_golden(
        &[
            inventory,
            &["--prune", "--device", "agg1", "--device", "tor2a"],
        ]
        .concat(),
        file,
    );
}

#[test]
fn example_plan_matches_golden_in_every_format() {
    plan_matches_golden_in_every_format(&[], "plan");
}

#[test]
fn example_plan_commands_match_golden_per_device() {
    plan_commands_match_golden_per_device(&[], "commands");
}

#[test]
fn example_plan_with_prune_matches_golden() {
    plan_with_prune_matches_golden(&[], "plan/prune.txt");
}

const EXAMPLE_EOS: &[&str] = &["inventories/example-eos"];

/// The plan of `inventories/example-eos` (the example fabric on Arista
/// EOS) against its `running/` snapshot, in every format: adds, removals
/// and edits on the fabric, nothing on the management plane
/// (`Management1`, `vrf instance MGMT`, users, `management api`, `ip route
/// vrf MGMT`, NTP).
#[test]
fn example_eos_plan_matches_golden_in_every_format() {
    let plan = plan_matches_golden_in_every_format(EXAMPLE_EOS, "example-eos");
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
}

#[test]
fn example_eos_plan_commands_match_golden_per_device() {
    plan_commands_match_golden_per_device(EXAMPLE_EOS, "example-eos-commands");
}

/// With `--prune`, the EOS example also removes agg1's VLAN 999 and
/// tor2a's legacy VLANs 501-503, which a plain plan leaves alone (not the
/// inventory's: docs/commands.md, "Scope: what `plan` manages").
#[test]
fn example_eos_plan_with_prune_matches_golden() {
    plan_with_prune_matches_golden(EXAMPLE_EOS, "plan/example-eos-prune.txt");
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

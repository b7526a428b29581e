//! Switch names keep the case of the hostname (`DC1-AGG-01`), are unique
//! without case, and their config files are the lower-case name: a switch
//! renamed only in case builds the same configs (but its `hostname`) into
//! the same files, and no two files collide on a case-insensitive disk.

mod common;

use common::{example_copy, liaison};
use std::collections::BTreeMap;
use std::path::Path;

/// Renames switches (whole words) in every inventory file of `inventory`.
fn rename(inventory: &Path, renames: &[(&str, &str)]) {
    for entry in std::fs::read_dir(inventory).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yml") {
            let mut text = std::fs::read_to_string(&path).unwrap();
            for (from, to) in renames {
                let word = regex::Regex::new(&format!(r"\b{from}\b")).unwrap();
                text = word.replace_all(&text, *to).into_owned();
            }
            std::fs::write(&path, text).unwrap();
        }
    }
}

/// `build` into `INVENTORY/../out`: file name → text.
fn build(inventory: &Path) -> BTreeMap<String, String> {
    let out = inventory.parent().unwrap().join("out");
    let run = liaison(&[
        "build",
        inventory.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cfg"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn upper_case_names_are_hostnames_with_lower_case_files() {
    let (_upper_tmp, upper) = example_copy();
    rename(&upper, &[("agg1", "DC1-AGG-01"), ("tor1a", "Tor1A")]);
    let (_lower_tmp, lower) = example_copy();
    rename(&lower, &[("agg1", "dc1-agg-01")]);
    let upper = build(&upper);
    let lower = build(&lower);
    let files: Vec<&String> = upper.keys().collect();
    assert_eq!(files, lower.keys().collect::<Vec<_>>());
    assert!(
        upper.contains_key("dc1-agg-01.cfg") && upper.contains_key("tor1a.cfg"),
        "{files:?}"
    );
    assert!(upper["dc1-agg-01.cfg"].contains("\nhostname DC1-AGG-01\n"));
    assert!(upper["tor1a.cfg"].contains("\nhostname Tor1A\n"));
    assert!(lower["dc1-agg-01.cfg"].contains("\nhostname dc1-agg-01\n"));
    // Everything derived from the names (vPC domains, roles, transit
    // VLANs and addresses, port-channels) is the same: only the case of
    // the names differs.
    for (file, text) in &upper {
        assert_eq!(text.to_lowercase(), lower[file].to_lowercase(), "{file}");
        assert_ne!(text, &lower[file], "{file} names no renamed switch?");
    }
}

#[test]
fn a_plan_against_a_running_config_saved_in_lower_case() {
    // The switch was `dc1-agg-01`, the inventory now says `DC1-AGG-01`:
    // the same switch and file, and the plan renames the hostname.
    let (_tmp, inventory) = example_copy();
    rename(&inventory, &[("agg1", "DC1-AGG-01")]);
    let running = inventory.join("running");
    std::fs::create_dir(&running).unwrap();
    let saved = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    for entry in std::fs::read_dir(saved).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, running.join(path.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(running.join("agg1.cfg")).unwrap();
    assert!(text.contains("\nhostname agg1\n"));
    std::fs::remove_file(running.join("agg1.cfg")).unwrap();
    std::fs::write(
        running.join("dc1-agg-01.cfg"),
        text.replace("\nhostname agg1\n", "\nhostname dc1-agg-01\n"),
    )
    .unwrap();
    let plan = liaison(&[
        "plan",
        inventory.to_str().unwrap(),
        "--device",
        "DC1-AGG-01",
    ]);
    let stdout = String::from_utf8_lossy(&plan.stdout);
    let stderr = String::from_utf8_lossy(&plan.stderr);
    assert_ne!(plan.status.code(), Some(1), "{stderr}");
    assert!(stdout.contains("-hostname dc1-agg-01\n"), "{stdout}");
    assert!(stdout.contains("+hostname DC1-AGG-01\n"), "{stdout}");
    // The selection names the switch as the inventory does.
    let wrong = liaison(&[
        "plan",
        inventory.to_str().unwrap(),
        "--device",
        "dc1-agg-01",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("did you mean `DC1-AGG-01`?"));
}

#[test]
fn a_switch_renamed_in_case_alone_is_one_error() {
    // `agg1` becomes `AGG1` where it is defined but nowhere else: one
    // E040 for the spelling, at its first use, with the definition and
    // the count, not one per reference.
    let (tmp, inventory) = example_copy();
    common::replace(&inventory, "switches.yml", "name: agg1,", "name: AGG1,");
    let check = liaison(&["check", "--format", "json", inventory.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0];
    assert_eq!(error["code"], "E040");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("unknown switch `agg1`: the switch is `AGG1` ("),
        "{message}"
    );
    assert!(message.contains(" references spell it so"), "{message}");
    let text = std::fs::read_to_string(inventory.join("switches.yml")).unwrap();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    assert_eq!(error["line"], line("[agg1:Ethernet1/53"), "{error:#?}");
    let related = &error["related"][0];
    assert_eq!(related["line"], line("name: AGG1,"), "{error:#?}");
    common::assert_build_writes_nothing(&inventory);
    drop(tmp);
}

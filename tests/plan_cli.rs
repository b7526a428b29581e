//! `liaison diff` and `liaison plan` as CI runs them: exit codes (0 no
//! change, 2 changes, 1 error), the JSON schema, and errors that say what,
//! where and how to fix it.

mod common;

use common::*;
use std::path::Path;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const RUNNING: &str =
    "hostname sw1\nvlan 1,10\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10\n";
const INTENDED: &str = "hostname sw1\nvlan 10\nvlan 20\ninterface Ethernet1/1\n  switchport trunk allowed vlan 10,20\n";

#[test]
fn diff_exits_0_without_changes_and_2_with_changes() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", RUNNING);
    let intended = write(dir.path(), "sw1.cfg", INTENDED);

    let same = liaison(&["diff", "--platform", "nxos", &running, &running]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(stdout(&same).contains("No changes"));

    let changed = liaison(&["diff", "--platform", "nxos", &running, &intended]);
    assert_eq!(changed.status.code(), Some(2), "{}", stderr(&changed));
    let text = stdout(&changed);
    assert!(text.contains("== sw1: 3 commands"), "{text}");
    assert!(text.contains("+++ "), "a unified diff follows: {text}");

    let commands = liaison(&[
        "diff",
        "--platform",
        "nxos",
        &running,
        &intended,
        "--format",
        "commands",
    ]);
    assert_eq!(commands.status.code(), Some(2));
    assert_eq!(
        stdout(&commands),
        "vlan 20\ninterface Ethernet1/1\n  switchport trunk allowed vlan add 20\n"
    );
}

#[test]
fn diff_errors_exit_1_and_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", RUNNING);
    let missing = dir.path().join("nope.cfg");
    let result = liaison(&[
        "diff",
        "--platform",
        "nxos",
        &running,
        missing.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(
        message.contains("cannot read the intended config"),
        "{message}"
    );
    assert!(message.contains("nope.cfg"), "{message}");
    assert!(message.contains("hint:"), "{message}");
    assert!(stdout(&result).is_empty());

    let broken = write(
        dir.path(),
        "broken.cfg",
        "hostname a\nbanner motd #\nnever closed\n",
    );
    let result = liaison(&["diff", "--platform", "nxos", &running, &broken]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(message.contains("broken.cfg:2"), "{message}");
    assert!(message.contains("banner is not closed"), "{message}");

    let empty = write(dir.path(), "empty.cfg", "!Command: show running-config\n\n");
    let result = liaison(&["diff", "--platform", "nxos", &empty, &running]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("holds no configuration line"));
}

#[test]
fn plan_against_the_built_configs_has_no_changes() {
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built");
    assert!(liaison(&["build", "-o", built.to_str().unwrap()])
        .status
        .success());
    let result = liaison(&["plan", "--running", built.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    assert!(stdout(&result).contains("No changes (8 devices planned)."));
}

#[test]
fn plan_json_follows_the_documented_schema() {
    let result = liaison(&["plan", "--format", "json"]);
    assert_eq!(result.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(json["schema"], "liaison.plan/v1");
    assert_eq!(json["changed"], true);
    assert_eq!(json["summary"]["devices"], 8);
    let devices = json["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 8);
    let tor1a = devices.iter().find(|d| d["device"] == "tor1a").unwrap();
    assert_eq!(tor1a["changed"], true);
    assert_eq!(tor1a["commands"][0], "vlan 300");
    assert!(tor1a["diff"]
        .as_str()
        .unwrap()
        .starts_with("--- running/tor1a.cfg\n"));
    for key in ["notes", "unmanaged_lines", "tolerated_lines"] {
        assert!(!tor1a[key].is_null(), "{key} missing");
    }
    assert_eq!(tor1a["manages"]["vlans"], 5);
    assert_eq!(tor1a["manages"]["port_channels"], 4);
    assert_eq!(tor1a["manages"]["ports"], 8);
    let total: usize = devices
        .iter()
        .map(|d| d["commands"].as_array().unwrap().len())
        .sum();
    assert_eq!(json["summary"]["commands"], total);
    // The hardware budget of the planned switches, each figure with its source.
    let switches = json["budget"]["switches"].as_array().unwrap();
    assert_eq!(switches.len(), 8);
    let agg1 = switches.iter().find(|s| s["switch"] == "agg1").unwrap();
    let arp = agg1["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == "arp_entries")
        .unwrap();
    assert_eq!(arp["used"], 1507);
    assert!(arp["source"].as_str().unwrap().contains("unverified"));

    let one = liaison(&["plan", "--format", "json", "--device", "agg1"]);
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let switches = json["budget"]["switches"].as_array().unwrap();
    assert_eq!(switches.len(), 1);
    assert_eq!(switches[0]["switch"], "agg1");

    // `diff` knows no inventory: no budget.
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.cfg", "hostname a\n");
    let diff = liaison(&["diff", "--platform", "nxos", &a, &a, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap();
    assert!(json["budget"].is_null());
}

#[test]
fn plan_refuses_what_it_cannot_do_with_hints() {
    let unknown = liaison(&["plan", "--device", "tor1c"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("did you mean `tor1a`?"),
        "{}",
        stderr(&unknown)
    );

    let several = liaison(&["plan", "--format", "commands"]);
    assert_eq!(several.status.code(), Some(1));
    assert!(stderr(&several).contains("add --device NAME"));
    assert!(stdout(&several).is_empty());

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    let result = liaison(&["plan", "--running", missing.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("running-config directory does not exist"));
}

#[test]
fn plan_names_every_missing_running_config() {
    let dir = tempfile::tempdir().unwrap();
    let running = dir.path().join("running");
    std::fs::create_dir_all(&running).unwrap();
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    for name in ["agg1", "agg2", "tor1a", "tor1b", "tor2a", "tor3a"] {
        let file = format!("{name}.cfg");
        std::fs::copy(snapshot.join(&file), running.join(&file)).unwrap();
    }
    let result = liaison(&["plan", "--running", running.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    for missing in ["tor2b.cfg", "tor3b.cfg"] {
        assert!(message.contains(missing), "{message}");
    }
    assert!(message.contains("save the output of `show running-config` on tor2b"));
    assert!(
        stdout(&result).is_empty(),
        "nothing is planned when a config is missing"
    );
}

#[test]
fn an_invalid_drift_pattern_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    append(
        dir.path(),
        "drift.yml",
        "  - pattern: \"^snmp-server (\"\n  - { pattern: \"^ntp \", devices: [agg3] }\n",
    );
    let result = liaison(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let report = stderr(&result);
    assert!(
        report.contains("error[E113]: invalid drift pattern `^snmp-server (`"),
        "{report}"
    );
    assert!(report.contains("drift.yml:8:"), "{report}");
    assert!(
        report.contains("error[E040]: unknown switch `agg3`"),
        "{report}"
    );
    assert!(report.contains("did you mean `agg1`?"), "{report}");
}

#[test]
fn tolerated_drift_silences_lines_that_other_tools_own() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    let running = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    let with_rule = liaison(&[
        "plan",
        dir.path().to_str().unwrap(),
        "--running",
        running.to_str().unwrap(),
        "--device",
        "tor1b",
    ]);
    assert_eq!(with_rule.status.code(), Some(0), "{}", stdout(&with_rule));
    assert!(stdout(&with_rule).contains("2 lines ignored as tolerated drift"));

    std::fs::remove_file(dir.path().join("drift.yml")).unwrap();
    let without = liaison(&[
        "plan",
        dir.path().to_str().unwrap(),
        "--running",
        running.to_str().unwrap(),
        "--device",
        "tor1b",
        "--format",
        "commands",
    ]);
    assert_eq!(without.status.code(), Some(2));
    assert_eq!(
        stdout(&without),
        "interface port-channel1\n  no service-policy type qos input HOST-QOS\ninterface port-channel3\n  no service-policy type qos input HOST-QOS\n"
    );
}

#[test]
fn secrets_are_redacted_except_in_the_commands_to_type() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(
        dir.path(),
        "running.cfg",
        "hostname sw1\nusername ops password 5 $5$old$hash  role network-admin\n",
    );
    let intended = write(
        dir.path(),
        "intended.cfg",
        "hostname sw1\nusername ops password 5 $5$new$hash  role network-admin\n",
    );
    for format in ["text", "json", "markdown"] {
        let result = liaison(&[
            "diff",
            "--platform",
            "nxos",
            &running,
            &intended,
            "--format",
            format,
            "--allow-management-changes",
        ]);
        assert_eq!(result.status.code(), Some(2));
        let out = stdout(&result);
        assert!(
            !out.contains("$5$"),
            "{format} shows a password hash:\n{out}"
        );
        assert!(out.contains("password 5 <redacted>"), "{format}:\n{out}");
    }
    let commands = liaison(&[
        "diff",
        "--platform",
        "nxos",
        &running,
        &intended,
        "--format",
        "commands",
        "--allow-management-changes",
    ]);
    assert!(stdout(&commands).contains("username ops password 5 $5$new$hash  role network-admin"));
}

#[test]
fn a_running_config_of_another_switch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let running = dir.path().join("running");
    std::fs::create_dir_all(&running).unwrap();
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    for entry in std::fs::read_dir(&snapshot).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, running.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(snapshot.join("tor1b.cfg"), running.join("tor1a.cfg")).unwrap();
    let result = liaison(&["plan", "--running", running.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(
        message.contains("error: the running config of tor1a is the config of `tor1b`"),
        "{message}"
    );
    assert!(message.contains("tor1a.cfg"), "{message}");
}

#[test]
fn a_usage_error_is_exit_1_not_the_changes_code() {
    let result = liaison(&["plan", "--format", "yaml"]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("invalid value 'yaml'"));
    let result = liaison(&["diff", "--platform", "junos", "a.cfg", "b.cfg"]);
    assert_eq!(result.status.code(), Some(1));
    let help = liaison(&["plan", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("--running"));
}

/// The same two ports as a Nexus 9300-EX prints them (routed by default)
/// and as a Nexus 9300 does (Layer 2 by default): an up trunk and an up
/// routed port.
const ON_L3_SWITCH: &str = "hostname sw1\ninterface Ethernet1/1\n  switchport\n  switchport mode trunk\n  no shutdown\ninterface Ethernet1/2\n  ip address 192.0.2.1/31\n  no shutdown\n";
const ON_L2_SWITCH: &str = "hostname sw1\ninterface Ethernet1/1\n  switchport mode trunk\ninterface Ethernet1/2\n  no switchport\n  ip address 192.0.2.1/31\n  no shutdown\n";

#[test]
fn diff_of_configs_from_switches_with_different_defaults_compares_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let l3 = write(dir.path(), "l3.cfg", ON_L3_SWITCH);
    let l2 = write(dir.path(), "sw1.cfg", ON_L2_SWITCH);
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff", "--platform", "nxos", &l3, &l2];
        args.extend_from_slice(extra);
        liaison(&args)
    };
    let same = diff(&["--running-defaults", "l3", "--intended-defaults", "l2"]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    // A model names its defaults too.
    let same = diff(&[
        "--running-defaults",
        "N9K-C93180YC-EX",
        "--intended-defaults",
        "N9K-C9372PX",
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    // Read as both from Layer 2 switches, Ethernet1/2 of the first is a
    // Layer 2 port: it has to become routed.
    let differs = diff(&["--defaults", "l2", "--format", "commands"]);
    assert_eq!(differs.status.code(), Some(2));
    assert!(
        stdout(&differs).contains("interface Ethernet1/2\n  no switchport\n"),
        "{}",
        stdout(&differs)
    );
    let bad = diff(&["--defaults", "l9"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("l2-shutdown"), "{}", stderr(&bad));
}

/// The port-defaults flags are read by the platform's dialect after clap
/// has parsed `--platform`: a bad spec is still a usage error in clap's
/// words, naming the flag, whichever flag and wherever `--platform` is.
#[test]
fn a_bad_port_defaults_spec_is_a_usage_error_naming_its_flag() {
    for (args, flag) in [
        ("diff --defaults l9 --platform nxos a b", "--defaults"),
        (
            "diff --platform nxos a b --running-defaults l9",
            "--running-defaults",
        ),
        (
            "diff --platform nxos a b --defaults l2 --intended-defaults l9",
            "--intended-defaults",
        ),
    ] {
        let args: Vec<&str> = args.split(' ').collect();
        let bad = liaison(&args);
        assert_eq!(bad.status.code(), Some(1), "{args:?}");
        assert_eq!(stdout(&bad), "", "{args:?}");
        let text = stderr(&bad);
        assert!(
            text.starts_with(&format!("error: invalid value 'l9' for '{flag} <DEFAULTS>': `l9` is neither l2, l3, l2-shutdown, l3-shutdown nor a model liaison knows (")),
            "{text}"
        );
        assert!(
            text.ends_with(")\n\nFor more information, try '--help'.\n"),
            "{text}"
        );
    }
}

#[test]
fn a_config_s_own_system_default_line_beats_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let l3 = write(
        dir.path(),
        "l3.cfg",
        &format!("no system default switchport\n{ON_L3_SWITCH}"),
    );
    let l2 = write(dir.path(), "sw1.cfg", ON_L2_SWITCH);
    let same = liaison(&["diff", "--platform", "nxos", &l3, &l2, "--defaults", "l2"]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
}

#[test]
fn an_offline_plan_reads_ports_with_the_inventory_s_port_defaults() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    std::fs::create_dir_all(dir.path().join("running")).unwrap();
    for entry in std::fs::read_dir(snapshots).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.path().join("running").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let inv = dir.path().to_str().unwrap();
    // tor1b's snapshot rewritten as a Layer-2-default switch prints it:
    // no `switchport` on Layer 2 ports, no `no shutdown` on up ones.
    let path = dir.path().join("running/tor1b.cfg");
    let text = std::fs::read_to_string(&path).unwrap();
    let as_l2: String = text
        .lines()
        .filter(|l| *l != "  switchport" && *l != "  no shutdown" || l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, as_l2).unwrap();
    let wrong = liaison(&["plan", inv, "--device", "tor1b"]);
    assert_eq!(
        wrong.status.code(),
        Some(2),
        "read with the table's Layer 3 default, the ports look routed"
    );
    replace(
        dir.path(),
        "switches.yml",
        "mgmt: 192.0.2.22, pair: tor1a,",
        "mgmt: 192.0.2.22, pair: tor1a, port_defaults: { switchport: true },",
    );
    let right = liaison(&["plan", inv, "--device", "tor1b"]);
    assert_eq!(right.status.code(), Some(0), "{}", stdout(&right));
    // The switch's own `system default switchport` line does the same.
    replace(
        dir.path(),
        "switches.yml",
        " port_defaults: { switchport: true },",
        "",
    );
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "hostname tor1b\n",
            "hostname tor1b\nsystem default switchport\n",
            1,
        ),
    )
    .unwrap();
    let right = liaison(&["plan", inv, "--device", "tor1b"]);
    assert_eq!(right.status.code(), Some(0), "{}", stdout(&right));
}

#[test]
fn port_defaults_must_be_true_or_false() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "switches.yml",
        "mgmt: 192.0.2.22, pair: tor1a,",
        "mgmt: 192.0.2.22, pair: tor1a, port_defaults: { switchport: maybe },",
    );
    let out = liaison(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(
        text.contains("E004") && text.contains("port_defaults.switchport"),
        "{text}"
    );
    assert!(text.contains("switches.yml:"), "{text}");
}

#[test]
fn markdown_stays_under_max_bytes_and_says_what_it_left_out() {
    // Greenfield: every switch runs nothing but its hostname, so every
    // switch gets its whole config, more than a GitHub comment holds.
    let dir = tempfile::tempdir().unwrap();
    let running = dir.path().join("running");
    std::fs::create_dir(&running).unwrap();
    for switch in [
        "agg1", "agg2", "tor1a", "tor1b", "tor2a", "tor2b", "tor3a", "tor3b",
    ] {
        std::fs::write(
            running.join(format!("{switch}.cfg")),
            format!("hostname {switch}\n"),
        )
        .unwrap();
    }
    let plan = |extra: &[&str]| {
        let mut args = vec![
            "plan",
            "--format",
            "markdown",
            "--running",
            running.to_str().unwrap(),
        ];
        args.extend(extra);
        let result = liaison(&args);
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        stdout(&result)
    };
    let whole = plan(&["--max-bytes", "0"]);
    assert!(whole.len() > 65_536, "{}", whole.len());
    assert!(!whole.contains("Truncated"));

    let cut = plan(&[]);
    assert!(cut.len() <= 60_000, "{}", cut.len());
    let note = cut
        .lines()
        .find(|l| l.starts_with("> **Truncated** to stay under 60000 bytes"))
        .unwrap_or_else(|| panic!("no note:\n{cut}"));
    assert!(note.contains("--max-bytes 0"), "{note}");
    // Every device is in the summary table, and each one left out is named.
    for switch in ["agg1", "tor3b"] {
        assert!(cut.contains(&format!("| `{switch}` |")), "{cut}");
    }
    let left_out: Vec<&str> = whole
        .split("<details><summary><code>")
        .skip(1)
        .filter_map(|s| s.split("</code>").next())
        .filter(|d| {
            !cut.contains(&format!("<code>{d}</code>: ")) || note.contains(&format!("`{d}`"))
        })
        .collect();
    assert!(!left_out.is_empty());
    for device in left_out {
        assert!(note.contains(&format!("`{device}`")), "{device}: {note}");
    }

    let small = plan(&["--max-bytes", "8000"]);
    assert!(small.len() <= 8000, "{}", small.len());
    assert!(small.contains("(left out)</summary>"), "{small}");
}

#[test]
fn w060_a_model_without_known_port_defaults_is_named_once_with_its_switches() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    for ip in ["192.0.2.11", "192.0.2.12"] {
        replace(
            dir.path(),
            "switches.yml",
            &format!("model: N9K-C93180YC-FX, mgmt: {ip}"),
            &format!("model: N9K-C9504, mgmt: {ip}"),
        );
    }
    let out = liaison(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "a warning: {}", stderr(&out));
    let text = stderr(&out);
    assert!(
        text.contains("warning[W060]: model `N9K-C9504` (switches agg1, agg2) is not in liaison's table of port defaults"),
        "{text}"
    );
    assert!(text.contains("switches.yml:2:"), "{text}");
    assert!(text.contains("port_defaults"), "{text}");
    assert_eq!(text.matches("W060").count(), 1, "{text}");
    // Both settings given: nothing to guess.
    for ip in ["192.0.2.11", "192.0.2.12"] {
        replace(
            dir.path(),
            "switches.yml",
            &format!("model: N9K-C9504, mgmt: {ip}"),
            &format!("model: N9K-C9504, port_defaults: {{ switchport: false, switchport_shutdown: false }}, mgmt: {ip}"),
        );
    }
    let out = liaison(&["check", dir.path().to_str().unwrap()]);
    assert!(!stderr(&out).contains("W060"), "{}", stderr(&out));
}

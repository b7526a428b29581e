//! The safety invariants of `liaison diff` and `liaison plan` (issue #10,
//! plan side), each through the binary as a user runs it: the exit code,
//! the message, and what is (not) emitted.

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

fn diff(args: &[&str]) -> std::process::Output {
    let mut all = vec!["diff", "--platform", "nxos"];
    all.extend_from_slice(args);
    liaison(&all)
}

// ----- bounded input --------------------------------------------------------

#[test]
fn diff_of_dev_zero_fails_at_the_size_cap_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let result = diff(&["/dev/zero", &intended]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(
        message.contains("the running config is larger than 67108864 bytes"),
        "{message}"
    );
    assert!(message.contains("--> /dev/zero"), "{message}");
    assert!(message.contains("--max-config-bytes"), "{message}");
    assert!(stdout(&result).is_empty());
}

#[test]
fn a_config_over_the_cap_is_refused_and_the_flag_raises_it() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", "hostname sw1\nvlan 10\n");
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let small = diff(&[&running, &intended, "--max-config-bytes", "16"]);
    assert_eq!(small.status.code(), Some(1));
    assert!(
        stderr(&small).contains("the running config is larger than 16 bytes"),
        "{}",
        stderr(&small)
    );
    assert!(stdout(&small).is_empty());
    let raised = diff(&[&running, &intended, "--max-config-bytes", "1024"]);
    assert_eq!(raised.status.code(), Some(2), "{}", stderr(&raised));
    assert!(stdout(&raised).contains("no vlan 10"));
}

#[test]
fn plan_applies_the_cap_to_running_config_files() {
    let result = liaison(&["plan", "--max-config-bytes", "100"]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(
        message.contains("the running config is larger than 100 bytes"),
        "{message}"
    );
    assert!(
        message.contains("inventories/example/running/agg1.cfg"),
        "{message}"
    );
    assert!(stdout(&result).is_empty());
}

#[test]
fn indentation_deeper_than_the_limit_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // Each line one column deeper than the one before: 100,000 levels in
    // 50 MB would be the reproducer; the limit is hit at line 65 either way.
    let deep: String = (0..5_000).map(|i| format!("{:i$}line{i}\n", "")).collect();
    let running = write(dir.path(), "deep.cfg", &deep);
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let result = diff(&[&running, &intended]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let message = stderr(&result);
    assert!(
        message.contains("nests sections more than 64 levels deep"),
        "{message}"
    );
    assert!(message.contains("deep.cfg:65"), "{message}");
    assert!(stdout(&result).is_empty());
}

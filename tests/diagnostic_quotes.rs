//! Diagnostics quote a bounded window of the source line around the
//! column: a one-line flow-style list of 100 KB or more must not be printed
//! (and held in memory) once per diagnostic.

mod common;

use common::*;

#[test]
fn a_huge_one_line_list_is_quoted_in_small_windows() {
    let tmp = tempfile::tempdir().unwrap();
    copy_inventory("example", tmp.path());
    let links: Vec<String> = (0..2800)
        .map(|i| format!("[tor1a:Ethernet1/{}, nope{i}:Ethernet1/1]", i % 40 + 10))
        .collect();
    let line = format!("links: [{}]\n", links.join(", "));
    assert!(line.len() > 107_000);
    std::fs::write(tmp.path().join("more.yml"), &line).unwrap();

    let check = liaison(&["check", tmp.path().to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.matches("error[E040]: unknown switch `nope").count() >= 2800);
    let errors = stderr.matches("error[").count();
    // The last link's error points near the end of the line, and its quote
    // shows that place.
    assert!(stderr.contains("unknown switch `nope2799`"));
    let last = stderr.split("unknown switch `nope2799`").nth(1).unwrap();
    assert!(
        last.lines()
            .nth(3)
            .unwrap()
            .contains("nope2799:Ethernet1/1]]"),
        "{last}"
    );
    for quoted in stderr.lines().filter(|l| l.starts_with("1 | ")) {
        assert!(
            quoted.chars().count() <= 130,
            "quoted {} chars",
            quoted.chars().count()
        );
    }
    // A few hundred bytes per diagnostic, not the 107 KB line each time.
    assert!(
        stderr.len() < errors * 450,
        "{} bytes for {errors} errors",
        stderr.len()
    );
}

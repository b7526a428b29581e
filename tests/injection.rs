//! No value from the inventory can inject a command into a config: control
//! characters are refused at load time with file:line, and the renderer
//! refuses them again should any reach it.

mod common;

use common::*;
use std::path::Path;

fn refused(dir: &Path, code: &str, location: &str) {
    let out = dir.join("out");
    let result = liaison(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("error[{code}]")), "{stderr}");
    assert!(
        stderr.contains(location),
        "expected {location} in:\n{stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
    assert!(!String::from_utf8_lossy(&result.stdout).contains("shutdown"));
}

#[test]
fn newline_in_a_description_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "segments.yml",
        r#"description: "databases""#,
        r#"description: "databases\ninterface Ethernet1/1\n  shutdown""#,
    );
    refused(dir.path(), "E012", "segments.yml:13:");
}

#[test]
fn carriage_return_in_a_segment_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(
        dir.path(),
        "segments.yml",
        "name: app,",
        r#"name: "app\rshutdown","#,
    );
    refused(dir.path(), "E012", "segments.yml:12:");
}

#[test]
fn renderer_refuses_control_characters_that_reach_it() {
    let analysis =
        liaison::analyse(&Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example"));
    let mut device = analysis.intent.expect("example compiles").devices[0].clone();
    device.interfaces[0].description = "uplink\nno feature vpc".to_string();
    let renderer = liaison::render::Renderer::new(None).unwrap();
    let error = renderer.render(&device).unwrap_err();
    assert!(
        error.message.contains("control character"),
        "{}",
        error.message
    );
}

/// The example with `from` replaced by `to` in `file` is refused with one
/// error `code` at `location`, whose message holds `message`.
fn refused_edit(file: &str, from: &str, to: &str, code: &str, location: &str, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    replace(dir.path(), file, from, to);
    refused(dir.path(), code, location);
    let check = liaison(&["check", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains(message), "{stderr}");
    assert_eq!(
        stderr.matches("error[").count(),
        1,
        "one error for one mistake:\n{stderr}"
    );
    assert!(stderr.contains("= hint: "), "{stderr}");
}

#[test]
fn a_question_mark_in_a_description_is_refused_on_nxos() {
    refused_edit(
        "segments.yml",
        r#"description: "databases""#,
        r#"description: "databases?""#,
        "E133",
        "segments.yml:13:",
        "`description` contains `?`, which the NX-OS CLI interprets: it prints context help",
    );
}

#[test]
fn a_semicolon_in_a_rule_comment_is_refused_on_nxos() {
    refused_edit(
        "policy.yml",
        r#"comment: "database access is audited""#,
        r#"comment: "audited; no feature vpc""#,
        "E133",
        "policy.yml:10:",
        "`comment` contains `;`, which the NX-OS CLI interprets: it separates commands",
    );
}

#[test]
fn a_cli_variable_in_a_description_is_refused_on_nxos() {
    refused_edit(
        "chassis.yml",
        r#"description: "HPE Synergy frame, interconnects A/B""#,
        r#"description: "frame $(SWITCHNAME)""#,
        "E133",
        "chassis.yml:3:",
        "contains `$(`",
    );
}

#[test]
fn bidi_override_characters_are_refused() {
    for c in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
        refused_edit(
            "policy.yml",
            r#"comment: "the public web site""#,
            &format!("comment: \"the public {c}etis bew\""),
            "E134",
            "policy.yml:8:",
            &format!("bidirectional control character U+{:04X}", u32::from(c)),
        );
    }
}

#[test]
fn leading_or_trailing_space_is_refused() {
    for spaced in [r#"" databases""#, r#""databases ""#] {
        refused_edit(
            "segments.yml",
            r#"description: "databases""#,
            &format!("description: {spaced}"),
            "E135",
            "segments.yml:13:",
            "starts or ends with a space: the switch trims it",
        );
    }
}

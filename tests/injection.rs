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

//! `--templates DIR` replaces built-in templates file by file; undefined
//! values in a template are errors, and a failed render writes nothing.

mod common;

use common::*;
use std::path::PathBuf;

/// Builds the example with `nxos/<file>` replaced by `text`; returns the
/// temp dir (kept alive), the output dir and the command's result.
fn build_with_template(
    file: &str,
    text: &str,
) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("tpl");
    std::fs::create_dir_all(templates.join("nxos")).unwrap();
    std::fs::write(templates.join("nxos").join(file), text).unwrap();
    let out = dir.path().join("out");
    let result = liaison(&[
        "build",
        "inventories/example",
        "-o",
        out.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ]);
    (dir, out, result)
}

#[test]
fn a_site_template_replaces_the_built_in_one() {
    let (_dir, out, result) = build_with_template(
        "vlans.j2",
        "{% for vlan in device.vlans %}\nvlan {{ vlan.id }}\n  name SITE-{{ vlan.name | upper }}\n{% endfor %}\n",
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let agg1 = std::fs::read_to_string(out.join("agg1.cfg")).unwrap();
    assert!(agg1.contains("vlan 110\n  name SITE-WEB\n"), "{agg1}");
    // The other sections still come from the built-in templates.
    assert!(agg1.contains("interface Vlan110\n"), "{agg1}");
}

#[test]
fn an_undefined_value_in_a_template_fails_and_writes_nothing() {
    let (_dir, out, result) =
        build_with_template("routes.j2", "ip route {{ device.no_such_field }}\n");
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("undefined"), "{stderr}");
    assert!(!out.exists(), "nothing may be written");
}

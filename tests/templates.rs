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
    let (out, result) = build_with_templates_in(dir.path());
    (dir, out, result)
}

/// Builds the example with `--templates DIR/tpl` into `DIR/out`.
fn build_with_templates_in(dir: &std::path::Path) -> (PathBuf, std::process::Output) {
    let out = dir.join("out");
    let result = liaison(&[
        "build",
        "inventories/example",
        "-o",
        out.to_str().unwrap(),
        "--templates",
        dir.join("tpl").to_str().unwrap(),
    ]);
    (out, result)
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

/// A site `acl.j2` that spells every entry from its fields, the way the
/// built-in template did before the `nxos_ace` filter, renders the same
/// bytes: the fields a template sees are the whole entry.
#[test]
fn an_acl_template_can_spell_entries_from_their_fields() {
    let by_fields = r#"ip access-list {{ acl.name }}
  statistics per-entry
{% for e in acl.entries %}
{% if e.kind == "remark" %}
  {{ e.seq }} remark {{ e.text }}
{% else %}
{% set s = e.source %}
{% set d = e.destination %}
{% set sp = e.source_ports %}
{% set dp = e.destination_ports %}
  {{ e.seq }} {{ e.action }} {{ e.protocol }} {{ "any" if s.kind == "any" else (s.prefix if s.kind == "prefix" else "addrgroup " ~ s.name) }}{{ "" if not sp else (" eq " ~ sp.port if sp.kind == "eq" else (" range " ~ sp.low ~ " " ~ sp.high if sp.kind == "range" else " portgroup " ~ sp.name)) }} {{ "any" if d.kind == "any" else (d.prefix if d.kind == "prefix" else "addrgroup " ~ d.name) }}{{ "" if not dp else (" eq " ~ dp.port if dp.kind == "eq" else (" range " ~ dp.low ~ " " ~ dp.high if dp.kind == "range" else " portgroup " ~ dp.name)) }}{{ " established" if e.established else "" }}{{ (" " ~ e.icmp_type) if e.icmp_type else "" }}{{ " log" if e.log else "" }}
{% endif %}
{% endfor %}
"#;
    let (_dir, out, result) = build_with_template("acl.j2", by_fields);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    for device in ["agg1", "agg2", "tor1a"] {
        let built = std::fs::read_to_string(out.join(format!("{device}.cfg"))).unwrap();
        let golden = std::fs::read_to_string(format!("golden/example/{device}.cfg")).unwrap();
        assert!(
            built == golden,
            "{device}: the field-by-field template differs"
        );
    }
    let agg1 = std::fs::read_to_string(out.join("agg1.cfg")).unwrap();
    assert!(
        agg1.contains(" remark ") && agg1.contains(" addrgroup "),
        "{agg1}"
    );
}

/// `acl.text` is the ACL as `acl.j2` rendered it: a site `acl.j2` shows in
/// every ACL of both members of a pair, and a filter misused is an error.
#[test]
fn acl_text_comes_from_the_acl_template() {
    let (_dir, out, result) = build_with_template(
        "acl.j2",
        "ip access-list {{ acl.name }}\n  statistics per-entry\n  10 remark SITE {{ acl.entries | length }} entries\n",
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    for device in ["agg1", "agg2"] {
        let text = std::fs::read_to_string(out.join(format!("{device}.cfg"))).unwrap();
        let acls = text.matches("\nip access-list ").count();
        assert!(acls > 0, "{text}");
        assert_eq!(text.matches("  10 remark SITE ").count(), acls, "{text}");
    }

    let (_dir, out, result) = build_with_template(
        "acl.j2",
        "ip access-list {{ acl.name }}\n  10 {{ acl.name | nxos_ace }}\n",
    );
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("nxos_ace takes an entry of `acl.entries`"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn a_site_template_cannot_include_files_outside_the_template_directories() {
    for include in [
        "../../etc/hostname",
        "../../../../../../../../etc/hostname",
        "/etc/hostname",
        "nxos/../../../etc/hostname",
    ] {
        let (_dir, out, result) =
            build_with_template("vlans.j2", &format!("{{% include \"{include}\" %}}\n"));
        assert_eq!(result.status.code(), Some(1), "{include}");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            stderr.contains("refusing to load template")
                && stderr.contains("templates load only from the template directories"),
            "{include}: {stderr}"
        );
        assert!(stderr.contains("nothing written"), "{stderr}");
        assert!(!out.exists(), "nothing may be written");
    }
}

#[test]
fn a_symlink_out_of_the_template_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("tpl");
    std::fs::create_dir_all(templates.join("nxos")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "SECRET\n").unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        templates.join("nxos/vlans.j2"),
    )
    .unwrap();
    let (out, result) = build_with_templates_in(dir.path());
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("refusing to load template `nxos/vlans.j2`"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn an_unknown_template_name_warns_with_did_you_mean() {
    let (dir, out, result) = build_with_template("vlan.j2", "vlan 1\n");
    assert!(result.status.success(), "a warning does not fail the build");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("warning[W030]: liaison has no nxos template named `vlan.j2`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `vlans.j2`?"), "{stderr}");
    assert!(stderr.contains(&dir.path().join("tpl/nxos/vlan.j2").display().to_string()));
    // The misnamed file replaced nothing.
    let agg1 = std::fs::read_to_string(out.join("agg1.cfg")).unwrap();
    assert!(agg1.contains("vlan 110\n  name web\n"), "{agg1}");
    // plan warns the same way.
    let plan = liaison(&[
        "plan",
        "--templates",
        dir.path().join("tpl").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&plan.stderr).contains("warning[W030]"));
}

#[test]
fn a_helper_template_included_by_a_site_template_is_not_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let nxos = dir.path().join("tpl/nxos");
    std::fs::create_dir_all(&nxos).unwrap();
    std::fs::write(nxos.join("site_banner.j2"), "! site banner\n").unwrap();
    std::fs::write(nxos.join("routes.j2"), "{% include \"site_banner.j2\" %}\n").unwrap();
    std::fs::create_dir_all(dir.path().join("tpl/nxo")).unwrap();
    let (out, result) = build_with_templates_in(dir.path());
    assert!(result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!stderr.contains("site_banner.j2"), "{stderr}");
    assert!(
        stderr.contains("unknown platform directory `nxo`"),
        "{stderr}"
    );
    assert!(std::fs::read_to_string(out.join("agg1.cfg"))
        .unwrap()
        .contains("! site banner"));
}

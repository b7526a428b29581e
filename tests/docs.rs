//! `liaison docs`: the SVG diagrams parse as XML and name every switch and
//! chassis, every HTML page is well-formed, user input is escaped in both
//! formats, and with `--running` the pages show what `plan` and `verify`
//! say (their JSON is the reference).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

fn liaison(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("liaison runs")
}

fn docs(inventory: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "docs",
        inventory.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let result = liaison(&args);
    assert!(
        result.status.success(),
        "liaison docs failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example")
}

/// Every text the SVG shows or gives as a tooltip.
fn svg_texts(svg: &str) -> BTreeSet<String> {
    let document = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    document
        .descendants()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "text" | "title"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

#[test]
fn the_svg_parses_and_names_every_switch_and_chassis() {
    let out = tempfile::tempdir().unwrap();
    docs(&example(), &out.path().join("site"), &[]);
    let svgs = files(&out.path().join("site"), "svg");
    assert_eq!(svgs.len(), 1, "the example is one aggregation block");
    let texts = svg_texts(&std::fs::read_to_string(&svgs[0]).unwrap());
    // Box labels are `text` elements: the switch name alone, `chassis enc1`.
    for switch in [
        "agg1", "agg2", "tor1a", "tor1b", "tor2a", "tor2b", "tor3a", "tor3b",
    ] {
        assert!(
            texts.contains(switch),
            "no box for switch {switch}: {texts:?}"
        );
    }
    for chassis in ["enc1", "enc2", "enc3"] {
        assert!(
            texts.contains(&format!("chassis {chassis}")),
            "no box for chassis {chassis}"
        );
    }
    // Cables are labelled with their ports at the lower end.
    assert!(texts.contains("Eth1/49 → agg1 Eth1/1"), "{texts:?}");
    assert!(texts.contains("Eth1/50 → agg2 Eth1/1"));
    // The peer-link and the external links are drawn.
    assert!(texts.contains("peer-link Po53"));
    assert!(texts.iter().any(|t| t.starts_with("Eth1/49 → 192.0.2.100")));
}

#[test]
fn a_synthetic_fabric_has_one_diagram_per_aggregation_block_naming_its_switches() {
    let out = tempfile::tempdir().unwrap();
    let inventory = out.path().join("inv");
    synth::run(&synth::Args {
        switches: 100,
        hosts: 400,
        segments: 40,
        out: inventory.clone(),
        rules: None,
        raise_tcam: false,
    })
    .unwrap();
    let site = out.path().join("site");
    docs(&inventory, &site, &[]);
    let svgs = files(&site, "svg");
    assert_eq!(svgs.len(), 2, "100 switches are two blocks: {svgs:?}");
    let mut named = BTreeSet::new();
    for svg in &svgs {
        named.extend(svg_texts(&std::fs::read_to_string(svg).unwrap()));
    }
    let switches: Vec<PathBuf> = files(&site, "html")
        .into_iter()
        .filter(|p| p.file_name().unwrap() != "index.html")
        .collect();
    assert_eq!(switches.len(), 100);
    for page in switches {
        let name = page.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(named.contains(&name), "switch {name} is in no diagram");
    }
}

#[test]
fn every_html_page_is_well_formed() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    docs(
        &example(),
        &site,
        &["--running", example().join("running").to_str().unwrap()],
    );
    let pages = files(&site, "html");
    assert_eq!(pages.len(), 9, "index and 8 switches");
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        let document = roxmltree::Document::parse_with_options(
            &text,
            roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            },
        )
        .unwrap_or_else(|e| panic!("{} is not well-formed: {e}", page.display()));
        let html = document.root_element();
        assert_eq!(html.tag_name().name(), "html");
        // Links stay inside the site: every page and stylesheet they name exists.
        for node in document.descendants().filter(|n| n.is_element()) {
            for attribute in ["href", "src"] {
                let Some(target) = node.attribute(attribute) else {
                    continue;
                };
                let file = target.split('#').next().unwrap();
                assert!(
                    !target.contains("://"),
                    "{}: an external resource {target}",
                    page.display()
                );
                if !file.is_empty() {
                    assert!(
                        site.join(file).exists(),
                        "{} links to {target}, which is not written",
                        page.display()
                    );
                }
            }
        }
    }
}

/// A copy of the example whose descriptions hold markup.
fn hostile_example(dir: &Path) -> PathBuf {
    let copy = dir.join("inv");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
    }
    let switches = std::fs::read_to_string(copy.join("switches.yml")).unwrap();
    let hostile = switches.replacen(
        "description: \"row A rack 1, blade chassis enc1/enc2\" }",
        "description: \"<script>alert('x')</script> & [link](http://evil) | *bold* `tick`\" }",
        1,
    );
    assert_ne!(switches, hostile, "the example's tor1a description changed");
    std::fs::write(copy.join("switches.yml"), hostile).unwrap();
    let chassis = std::fs::read_to_string(copy.join("chassis.yml")).unwrap();
    std::fs::write(
        copy.join("chassis.yml"),
        chassis.replacen(
            "description: \"HPE Synergy frame, interconnects A/B\"",
            "description: \"</title></g><svg onload=alert(1)> & more\"",
            1,
        ),
    )
    .unwrap();
    copy
}

#[test]
fn user_input_is_escaped_in_html_svg_and_markdown() {
    let out = tempfile::tempdir().unwrap();
    let inventory = hostile_example(out.path());
    let html = out.path().join("html");
    docs(&inventory, &html, &[]);
    for page in files(&html, "html").into_iter().chain(files(&html, "svg")) {
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(
            !text.contains("<script"),
            "{}: raw <script>",
            page.display()
        );
        assert!(
            !text.contains("<svg onload"),
            "{}: raw markup",
            page.display()
        );
    }
    let tor1a = std::fs::read_to_string(html.join("tor1a.html")).unwrap();
    assert!(
        tor1a.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; [link](http://evil)"),
        "the description is shown, escaped"
    );
    let svg = std::fs::read_to_string(files(&html, "svg")[0].clone()).unwrap();
    let texts = svg_texts(&svg);
    assert!(
        texts
            .iter()
            .any(|t| t.contains("</title></g><svg onload=alert(1)> & more")),
        "the chassis description is in its tooltip, as written"
    );

    let markdown = out.path().join("markdown");
    docs(&inventory, &markdown, &["--format", "markdown"]);
    let tor1a = std::fs::read_to_string(markdown.join("tor1a.md")).unwrap();
    assert!(!tor1a.contains("<script"), "raw <script> in Markdown");
    assert!(
        !tor1a.contains("[link](http://evil)"),
        "a live link in Markdown"
    );
    assert!(
        tor1a.contains(r"&lt;script&gt;alert('x')&lt;/script&gt; &amp; \[link\](http://evil) \| \*bold\* \`tick\`"),
        "the description is shown, escaped:\n{tor1a}"
    );
}

#[test]
fn with_running_configs_each_page_shows_the_plan_and_the_findings_of_verify() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let running = example().join("running");
    docs(
        &example(),
        &site,
        &[
            "--running",
            running.to_str().unwrap(),
            "--format",
            "markdown",
        ],
    );
    let plan = liaison(&["plan", "inventories/example", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&plan.stdout).expect("plan JSON");
    let verify = liaison(&["verify", "inventories/example", "--format", "json"]);
    let verify: serde_json::Value = serde_json::from_slice(&verify.stdout).expect("verify JSON");
    let findings = verify["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "the example's snapshot has findings");
    for device in plan["devices"].as_array().unwrap() {
        let name = device["device"].as_str().unwrap();
        let page = std::fs::read_to_string(site.join(format!("{name}.md"))).unwrap();
        let commands = device["commands"].as_array().unwrap();
        if commands.is_empty() {
            assert!(page.contains("No changes"), "{name}: no changes said");
        } else {
            assert!(
                page.contains(&format!("{} commands, in apply order", commands.len())),
                "{name}: the number of commands"
            );
            // Every command, in order, in the code block.
            let mut rest = page.as_str();
            for command in commands {
                let command = command.as_str().unwrap();
                let at = rest
                    .find(&format!("{command}\n"))
                    .unwrap_or_else(|| panic!("{name}: `{command}` missing or out of order"));
                rest = &rest[at + command.len()..];
            }
        }
        let mine: Vec<&serde_json::Value> = findings
            .iter()
            .filter(|f| f["switches"].as_array().unwrap().iter().any(|s| s == name))
            .collect();
        for finding in &mine {
            let code = finding["code"].as_str().unwrap();
            assert!(
                page.contains(&format!("`{code}` ")),
                "{name}: finding {code} is not shown"
            );
        }
        if mine.is_empty() {
            assert!(page.contains("None: verify finds nothing"), "{name}");
        }
    }
    let index = std::fs::read_to_string(site.join("index.md")).unwrap();
    assert!(
        index.contains(&format!("Not proven: {} findings", findings.len())),
        "the index gives verify's headline"
    );
}

#[test]
fn an_inventory_with_errors_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let result = liaison(&["docs", "inventories/conflict", "-o", site.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    assert!(!site.exists(), "nothing written");
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("no documentation"), "{stderr}");
}

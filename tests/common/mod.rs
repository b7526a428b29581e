//! Helpers shared by the integration tests: write an inventory, run the
//! real binary, and read the rendered NX-OS text back into a small model
//! (tests check what a switch would be configured with, not the IR).

#![allow(dead_code)]

pub mod nxos_acl;
pub mod sshd;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

pub fn liaison(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("liaison runs")
}

/// The real binary's exit code, standard output and standard error.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = liaison(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Fails unless apply's summary table in `stdout` has `device`'s row in
/// `wave` (`1`, `2`, `canary`) and the row says `says`.
pub fn assert_row(stdout: &str, wave: &str, device: &str, says: &str) {
    let start = format!("{wave:<6}  {device} ");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with(&start) && l.contains(says)),
        "no `{wave}` row of {device} saying `{says}`:\n{stdout}"
    );
}

/// The EOS example copied in `dir` made a mixed fabric: agg1/agg2 Nexus
/// 9300s (NX-OS), the ToRs EOS, LACP bundles between them. The
/// aggregation pair's ports are named the NX-OS way (`Ethernet1/N` for
/// the example's `EthernetN` and `EthernetN/1`, the mapping
/// tests/eos_build.rs compares the two builds through); the ToRs' cables
/// keep their EOS names.
pub fn mix_platforms(dir: &Path) {
    let agg_port = regex::Regex::new(r"\b(agg[12]):Ethernet(\d+)(/1)?\b").unwrap();
    let switches = std::fs::read_to_string(dir.join("switches.yml"))
        .unwrap()
        .replace(
            "platform: eos, model: DCS-7280SR3-48YC8",
            "platform: nxos, model: N9K-C93180YC-FX",
        );
    let switches = agg_port.replace_all(&switches, "$1:Ethernet1/$2");
    std::fs::write(dir.join("switches.yml"), switches.as_ref()).unwrap();
    let endpoints = std::fs::read_to_string(dir.join("endpoints.yml")).unwrap();
    let endpoints = agg_port.replace_all(&endpoints, "$1:Ethernet1/$2");
    let external = regex::Regex::new(r"(switch: agg[12], port: )Ethernet(\d+)/1").unwrap();
    let endpoints = external.replace_all(&endpoints, "${1}Ethernet1/$2");
    std::fs::write(dir.join("endpoints.yml"), endpoints.as_ref()).unwrap();
}

/// Copies the files of `inventories/<name>` into `dir` (not its
/// `running/` snapshot).
pub fn copy_inventory(name: &str, dir: &Path) {
    copy_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("inventories")
            .join(name),
        dir,
    );
}

/// Copies the files (not the directories) of `source` into `dir`.
fn copy_files(source: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// Copies `inventories/example` into `dir`, its `running/` snapshot too.
pub fn copy_example_with_running(dir: &Path) {
    copy_inventory("example", dir);
    let running = dir.join("running");
    std::fs::create_dir_all(&running).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example/running");
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, running.join(path.file_name().unwrap())).unwrap();
    }
}

/// The public configs of `tests/fixtures/<platform>/` (SOURCES.md there),
/// as (file name, text), by name.
pub fn corpus_configs(platform: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(platform);
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus went missing: {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cfg"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

pub fn append(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    let mut content = std::fs::read_to_string(&path).unwrap_or_default();
    content.push_str(text);
    std::fs::write(path, content).unwrap();
}

/// The 1-based line of `text` holding `needle`, which must be on exactly
/// one line.
pub fn line_of(text: &str, needle: &str) -> usize {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "`{needle}` not on exactly one line");
    lines[0]
}

pub fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let content = std::fs::read_to_string(&path).unwrap();
    assert!(content.contains(from), "{file} has no `{from}`");
    std::fs::write(path, content.replacen(from, to, 1)).unwrap();
}

/// Gives both gateways of `inventories/example-eos` (copied to `dir`,
/// DCS-7280SR3-48YC8 there) `model`: `DCS-7050SX3-48YC8` makes them
/// ingress-only (docs/policy.md, "Placement is a capability").
pub fn set_gateway_models(dir: &Path, model: &str) {
    for _ in 0..2 {
        replace(
            dir,
            "switches.yml",
            "model: DCS-7280SR3-48YC8",
            &format!("model: {model}"),
        );
    }
}

/// Moves every segment and external link of the inventory in `dir` into
/// the default VRF.
pub fn without_vrfs(dir: &Path) {
    let pattern = regex::Regex::new(r",\s*vrf: [a-z]+").unwrap();
    for file in ["segments.yml", "endpoints.yml"] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(pattern.is_match(&text), "{file}");
        std::fs::write(&path, pattern.replace_all(&text, "").as_ref()).unwrap();
    }
}

/// The gateways of an aggregation block: their platform and model.
#[derive(Clone, Copy)]
pub enum Gateways {
    Eos(&'static str),
    Nxos,
}

/// The EOS example (its aggregation pair made NX-OS when `block1` says
/// so, as common::mix_platforms does) and a second aggregation block
/// (agg3/agg4 with `block2` gateways, an EOS ToR pair, one host of zone
/// `lab` and its segment `lab-web` in VRF prod, external links in prod):
/// flows between the blocks cross the core, out of one block's external
/// link and in through the other's.
pub fn two_blocks(
    block1: Gateways,
    block2: Gateways,
) -> (tempfile::TempDir, BTreeMap<String, Config>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    match block1 {
        Gateways::Nxos => mix_platforms(dir.path()),
        Gateways::Eos(model) => set_gateway_models(dir.path(), model),
    }
    // The gateways' ports: peer-link, ToR downlink, external link.
    let (gateway, [peer1, peer2, down, external]) = match block2 {
        Gateways::Eos(model) => (
            format!("platform: eos, model: {model}"),
            ["Ethernet53/1", "Ethernet54/1", "Ethernet1", "Ethernet49/1"],
        ),
        Gateways::Nxos => (
            "platform: nxos, model: N9K-C93180YC-FX".to_string(),
            [
                "Ethernet1/53",
                "Ethernet1/54",
                "Ethernet1/1",
                "Ethernet1/49",
            ],
        ),
    };
    std::fs::write(
        dir.path().join("block2.yml"),
        format!(
            "\
switches:
  - {{ name: agg3, role: aggregation, {gateway}, mgmt: 192.0.2.13, pair: agg4 }}
  - {{ name: agg4, role: aggregation, {gateway}, mgmt: 192.0.2.14 }}
  - {{ name: tor4a, role: tor, platform: eos, model: DCS-7050SX3-48YC8, mgmt: 192.0.2.41, pair: tor4b }}
  - {{ name: tor4b, role: tor, platform: eos, model: DCS-7050SX3-48YC8, mgmt: 192.0.2.42 }}
links:
  - [agg3:{peer1}, agg4:{peer1}]
  - [agg3:{peer2}, agg4:{peer2}]
  - [tor4a:Ethernet53/1, tor4b:Ethernet53/1]
  - [tor4a:Ethernet54/1, tor4b:Ethernet54/1]
  - [tor4a:Ethernet49/1, agg3:{down}]
  - [tor4b:Ethernet49/1, agg4:{down}]
hosts:
  - {{ name: kvm10, zone: lab, nics: [tor4a:Ethernet10, tor4b:Ethernet10], lag: lacp }}
external:
  - {{ switch: agg3, port: {external}, address: 192.0.2.111/31, next_hop: 192.0.2.110, vrf: prod }}
  - {{ switch: agg4, port: {external}, address: 192.0.2.113/31, next_hop: 192.0.2.112, vrf: prod }}
"
        ),
    )
    .unwrap();
    replace(
        dir.path(),
        "segments.yml",
        "\nsegments:\n",
        "  - name: lab\n    segments: [lab-web]\n\nsegments:\n  - { name: lab-web, vlan: 510, subnet: 10.5.10.0/24, vrf: prod }\n",
    );
    append(
        dir.path(),
        "policy.yml",
        "  - { from: web, to: lab-web, allow: [tcp/22] }\n  - { from: lab-web, to: app, allow: [app] }\n  - { from: internet, to: lab-web, allow: [https] }\n",
    );
    let configs = build(dir.path());
    (dir, configs)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Port {
    pub description: String,
    /// Trunk allowed VLANs; None for routed or access ports.
    pub allowed: Option<BTreeSet<u16>>,
    pub channel_group: Option<u32>,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub vlans: BTreeSet<u16>,
    pub interfaces: BTreeMap<String, Port>,
    /// Every top-level line, with the lines of its section (indentation
    /// stripped), in file order.
    pub sections: Vec<(String, Vec<String>)>,
    pub text: String,
}

impl Config {
    /// The port (or port-channel) whose description starts with `label`.
    /// The lines of the first top-level section whose line starts with
    /// `header` (`vpc domain`), if any.
    pub fn section(&self, header: &str) -> Option<&[String]> {
        self.sections
            .iter()
            .find(|(h, _)| h.starts_with(header))
            .map(|(_, lines)| lines.as_slice())
    }

    /// Top-level lines starting with `prefix`.
    pub fn globals(&self, prefix: &str) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|(h, _)| h.starts_with(prefix))
            .map(|(h, _)| h.as_str())
            .collect()
    }

    pub fn ports_described(&self, label: &str) -> Vec<(&String, &Port)> {
        self.interfaces
            .iter()
            .filter(|(_, p)| {
                p.description == label || p.description.starts_with(&format!("{label}:"))
            })
            .collect()
    }
}

pub fn parse_vlan_list(text: &str) -> BTreeSet<u16> {
    if text == "none" {
        return BTreeSet::new();
    }
    text.split(',')
        .flat_map(|part| {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b): (u16, u16) = (a.parse().unwrap(), b.parse().unwrap());
            a..=b
        })
        .collect()
}

/// Reads rendered NX-OS text back.
pub fn parse_config(text: &str) -> Config {
    let mut config = Config {
        text: text.to_string(),
        ..Config::default()
    };
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('!') {
            // blank lines and comments belong to no section
        } else if !line.starts_with(' ') {
            config.sections.push((line.to_string(), Vec::new()));
        } else if let Some((_, lines)) = config.sections.last_mut() {
            lines.push(line.trim().to_string());
        }
        if let Some(rest) = line.strip_prefix("vlan ") {
            config.vlans.insert(rest.trim().parse().unwrap());
            current = None;
        } else if let Some(name) = line.strip_prefix("interface ") {
            current = Some(name.to_string());
            config.interfaces.insert(name.to_string(), Port::default());
        } else if !line.starts_with(' ') {
            current = None;
        } else if let Some(port) = current.as_ref().and_then(|c| config.interfaces.get_mut(c)) {
            let line = line.trim();
            port.lines.push(line.to_string());
            if let Some(d) = line.strip_prefix("description ") {
                port.description = d.to_string();
            } else if let Some(v) = line.strip_prefix("switchport trunk allowed vlan ") {
                port.allowed = Some(parse_vlan_list(v));
            } else if let Some(g) = line.strip_prefix("channel-group ") {
                port.channel_group = g.split_whitespace().next().and_then(|n| n.parse().ok());
            }
        }
    }
    config
}

/// Builds the inventory in `dir` and reads every config back.
pub fn build(dir: &Path) -> BTreeMap<String, Config> {
    let out = dir.join("__out");
    let _ = std::fs::remove_dir_all(&out);
    let result = liaison(&["build", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(
        result.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut configs = BTreeMap::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cfg") {
            continue; // build's manifest
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        configs.insert(name, parse_config(&std::fs::read_to_string(&path).unwrap()));
    }
    configs
}

/// The intended config text of every switch of the inventory in `dir`,
/// by switch name (through the library: no process per build).
pub fn intended_texts(dir: &Path) -> BTreeMap<String, String> {
    let analysis = liaison::analyse(dir);
    let intent = analysis.intent.expect("the inventory compiles");
    let renderer = liaison::render::Renderer::new(None).unwrap();
    liaison::render_all(&renderer, &intent)
        .unwrap()
        .into_iter()
        .map(|(file, text)| (file.trim_end_matches(".cfg").to_string(), text))
        .collect()
}

/// `liaison verify` of the inventory in `dir` against `running` (config
/// text by switch name), through the library.
pub fn verify_texts(dir: &Path, running: &BTreeMap<String, String>) -> liaison::verify::Report {
    let analysis = liaison::analyse(dir);
    let inventory = analysis.inventory.as_ref().expect("the inventory loads");
    let intent = analysis.intent.as_ref().expect("the inventory compiles");
    let observed = liaison::verify::read_running(
        intent,
        liaison::plan::fleet::Running::Fetched(running),
        &[],
        liaison::plan::fleet::DEFAULT_MAX_CONFIG_BYTES,
        &BTreeMap::new(),
    )
    .unwrap_or_else(|failures| {
        panic!(
            "running configs unreadable: {}",
            failures.iter().map(|f| f.to_string()).collect::<String>()
        )
    });
    liaison::verify::prove(inventory, &analysis.sources, intent, &observed, "INV")
}

/// `text` with the first line equal to `from` (after indentation) inside
/// the stanza headed `header` replaced by `to` (indented alike; `to` empty
/// deletes the line).
pub fn edit_stanza(text: &str, header: &str, from: &str, to: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    let mut done = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            inside = line == header;
        }
        if inside && !done && line.starts_with(' ') && line.trim() == from {
            done = true;
            if !to.is_empty() {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push(format!("{indent}{to}"));
            }
            continue;
        }
        out.push(line.to_string());
    }
    assert!(done, "no `{from}` under `{header}`");
    out.join("\n") + "\n"
}

/// A copy of the example inventory in `TMP/inv` (the temporary directory
/// stays alive with the returned handle; build output can go next to it).
pub fn example_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let inventory = tmp.path().join("inv");
    copy_inventory("example", &inventory);
    (tmp, inventory)
}

/// `build` of `inventory` into a directory next to it fails with exit 1 and
/// writes nothing.
pub fn assert_build_writes_nothing(inventory: &Path) {
    let out = inventory.parent().unwrap().join("out");
    let build = liaison(&[
        "build",
        inventory.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        build.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(String::from_utf8_lossy(&build.stderr).contains("nothing written"));
    assert!(!out.exists(), "build wrote {}", out.display());
}

/// A leaf as EOS prints it: defaults hidden, one `!` between sections.
pub const EOS_LEAF: &str = "\
!
no aaa root
!
hostname leaf1
!
spanning-tree mode mstp
!
vlan 10
   name web
!
vlan 20
   name app
!
interface Port-Channel10
   switchport trunk allowed vlan 10,20
   switchport mode trunk
   mlag 10
!
interface Ethernet1
   description host1
   channel-group 10 mode active
!
interface Ethernet2
   switchport access vlan 10
!
no ip routing
!
end
";

/// The index of `command` (indentation aside) among a plan's `commands`,
/// for tests of apply order.
pub fn position(commands: &[String], command: &str) -> usize {
    commands
        .iter()
        .position(|c| c.trim() == command)
        .unwrap_or_else(|| panic!("`{command}` missing from {commands:#?}"))
}

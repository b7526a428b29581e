//! `liaison verify`: built configs prove; each kind of mistake made by
//! mutating built configs gives a finding that names the place and what it
//! breaks; a fabric configured by hand (other port-channel numbers, ACL
//! names, wrapped lists, ranges, wildcards) proves when it is right.

mod common;

use common::*;
use liaison::verify::{Finding, Kind, Report};
use std::collections::BTreeMap;
use std::path::Path;

fn example() -> (tempfile::TempDir, BTreeMap<String, String>) {
    shipped("example")
}

/// The example fabric on Arista EOS (inventories/example-eos).
fn eos_example() -> (tempfile::TempDir, BTreeMap<String, String>) {
    shipped("example-eos")
}

/// A copy of `inventories/<name>` and its built configs.
fn shipped(name: &str) -> (tempfile::TempDir, BTreeMap<String, String>) {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory(name, dir.path());
    let texts = intended_texts(dir.path());
    (dir, texts)
}

fn describe(report: &Report) -> String {
    liaison::verify::report::text(report)
}

/// The one finding of `kind` in `report` (the report must have exactly one).
fn only(report: &Report, kind: Kind) -> &Finding {
    let found: Vec<&Finding> = report.findings.iter().filter(|f| f.kind == kind).collect();
    assert_eq!(
        found.len(),
        1,
        "one {kind:?} expected:\n{}",
        describe(report)
    );
    found[0]
}

/// The report's one finding, which must be of `kind`.
fn sole(report: &Report, kind: Kind) -> &Finding {
    assert_eq!(report.findings.len(), 1, "{}", describe(report));
    only(report, kind)
}

fn hosts(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|i| format!("esx{i:02}")).collect()
}

fn mutate(
    texts: &BTreeMap<String, String>,
    switch: &str,
    header: &str,
    from: &str,
    to: &str,
) -> BTreeMap<String, String> {
    let mut texts = texts.clone();
    let text = edit_stanza(&texts[switch], header, from, to);
    texts.insert(switch.to_string(), text);
    texts
}

#[test]
fn the_example_and_every_shipped_inventory_verify_clean_from_built_configs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories");
    let mut verified = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        copy_inventory(&name, dir.path());
        if name == "conflict" {
            // Shipped to show a refusal: it must not compile.
            assert!(liaison::analyse(dir.path()).intent.is_none());
            continue;
        }
        let report = verify_texts(dir.path(), &intended_texts(dir.path()));
        assert!(report.proven(), "{name}:\n{}", describe(&report));
        assert!(report.summary.path_ports > 0 && report.summary.flows > 0);
        verified.push(name);
    }
    assert!(verified.contains(&"example".to_string()));
    assert!(verified.contains(&"example-eos".to_string()));
}

#[test]
fn a_vlan_removed_from_one_members_bundle() {
    let (dir, texts) = example();
    let mut running = texts.clone();
    for header in [
        "interface port-channel1",
        "interface Ethernet1/1",
        "interface Ethernet1/2",
    ] {
        running = mutate(
            &running,
            "tor1a",
            header,
            "switchport trunk allowed vlan 110,120,130,200,300",
            "switchport trunk allowed vlan 110,130,200,300",
        );
    }
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::VlanNotAllowed);
    assert_eq!(finding.switches, ["tor1a"]);
    assert_eq!(finding.place, "port-channel1");
    assert_eq!(
        finding.message,
        "tor1a port-channel1 does not allow VLAN 120 (app)"
    );
    assert_eq!(finding.breaks.hosts, hosts(1..=16));
    assert_eq!(finding.breaks.segments, ["app"]);
    assert_eq!(
        finding.breaks.summary,
        "16 hosts of chassis enc1 (esx01–esx16) cannot take app VMs"
    );
    assert!(finding.config[0]
        .text
        .contains("allowed vlan 110,130,200,300"));
    assert!(finding.config[0].line.is_some());
    assert!(
        finding.inventory.iter().any(|p| p.contains("chassis.yml")),
        "{:?}",
        finding.inventory
    );
    assert!(finding.fix.contains("--device tor1a"), "{}", finding.fix);
}

/// What the tests edit in one platform's build of the example fabric
/// (inventories/example on NX-OS, inventories/example-eos on EOS).
struct Build {
    inventory: &'static str,
    /// The port-channel interface prefix (`port-channel`).
    port_channel: &'static str,
    /// What an interface says of its part in a pair (`vpc`).
    pair_member: &'static str,
    /// What a peer-link trunks beyond the segments (EOS: the MLAG peer VLAN).
    peer_link_extra: &'static str,
    /// A VLAN stanza as the platform prints it.
    vlan_stanza: fn(u16, &str) -> String,
    /// The sequence number of db-out's audited entry.
    db_entry: &'static str,
}

fn nxos_vlan(id: u16, name: &str) -> String {
    format!("vlan {id}\n  name {name}\n")
}

fn eos_vlan(id: u16, name: &str) -> String {
    format!("vlan {id}\n   name {name}\n!\n")
}

const NXOS: Build = Build {
    inventory: "example",
    port_channel: "port-channel",
    pair_member: "vpc",
    peer_link_extra: "",
    vlan_stanza: nxos_vlan,
    db_entry: "3092710",
};

const EOS: Build = Build {
    inventory: "example-eos",
    port_channel: "Port-Channel",
    pair_member: "mlag",
    peer_link_extra: ",4094",
    vlan_stanza: eos_vlan,
    db_entry: "309271000",
};

/// Both builds: each mistake is found alike on NX-OS and EOS configs.
const BUILDS: [Build; 2] = [NXOS, EOS];

impl Build {
    fn example(&self) -> (tempfile::TempDir, BTreeMap<String, String>) {
        shipped(self.inventory)
    }

    /// `port-channel1`, `Port-Channel1`.
    fn pc(&self, number: u32) -> String {
        format!("{}{number}", self.port_channel)
    }
}

#[test]
fn a_vlan_removed_from_an_uplink() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let running = mutate(
            &texts,
            "agg1",
            &format!("interface {}", build.pc(1)),
            "switchport trunk allowed vlan 110,120,130,200,300",
            "switchport trunk allowed vlan 110,130,200,300",
        );
        let report = verify_texts(dir.path(), &running);
        let finding = only(&report, Kind::VlanNotAllowed);
        assert_eq!(
            (finding.switches.as_slice(), finding.place.as_str()),
            (&["agg1".to_string()][..], build.pc(1).as_str())
        );
        // Both chassis behind tor1 lose app; the rack servers on tor3 do not.
        assert_eq!(finding.breaks.hosts, hosts(1..=32));
        assert!(finding.inventory.iter().any(|p| p.contains("switches.yml")));
    }
}

#[test]
fn a_vlan_removed_from_a_peer_link() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let extra = build.peer_link_extra;
        let running = mutate(
            &texts,
            "tor3a",
            &format!("interface {}", build.pc(53)),
            &format!("switchport trunk allowed vlan 110,120,130,200,300{extra}"),
            &format!("switchport trunk allowed vlan 110,120,130,200{extra}"),
        );
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::VlanNotAllowed);
        assert_eq!(finding.place, build.pc(53));
        assert_eq!(finding.breaks.segments, ["vmotion"]);
        let kvm: Vec<String> = (1..=6).map(|i| format!("kvm{i:02}")).collect();
        assert_eq!(finding.breaks.hosts, kvm);
    }
}

#[test]
fn a_pair_number_changed_on_one_end() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let member = build.pair_member;
        let running = mutate(
            &texts,
            "tor1b",
            &format!("interface {}", build.pc(1)),
            &format!("{member} 1"),
            &format!("{member} 7"),
        );
        let report = verify_texts(dir.path(), &running);
        let finding = only(&report, Kind::VpcMismatch);
        assert_eq!(finding.switches, ["tor1a", "tor1b"]);
        let pc = build.pc(1);
        assert!(
            finding.message.contains(&format!(
                "tor1a {pc} has {member} 1, tor1b {pc} has {member} 7"
            )),
            "{}",
            finding.message
        );
        assert_eq!(finding.breaks.hosts, hosts(1..=16));
        assert_eq!(finding.config.len(), 2);
        assert!(
            finding.config[1].text.ends_with(&format!("\n  {member} 7")),
            "{:?}",
            finding.config
        );
    }
}

#[test]
fn an_svi_shut_on_one_gateway() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let running = mutate(
            &texts,
            "agg2",
            "interface Vlan120",
            "no shutdown",
            "shutdown",
        );
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::SviDown);
        assert_eq!(
            (finding.switches.as_slice(), finding.place.as_str()),
            (&["agg2".to_string()][..], "Vlan120")
        );
        assert_eq!(finding.breaks.segments, ["app"]);
        // Every production host runs app VMs.
        assert_eq!(finding.breaks.hosts.len(), 38);
    }
}

#[test]
fn a_gateway_address_changed_on_one_gateway() {
    let (dir, texts) = example();
    let running = mutate(
        &texts,
        "agg2",
        "interface Vlan120",
        "ip 10.1.20.1",
        "ip 10.1.20.9",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::GatewayAddress);
    assert_eq!(finding.switches, ["agg2"]);
    assert!(finding.message.contains("10.1.20.1"), "{}", finding.message);
    assert!(finding.config[0].text.contains("hsrp 120 ip 10.1.20.9"));
    assert_eq!(finding.breaks.segments, ["app"]);
    assert!(finding.inventory.iter().any(|p| p.contains("segments.yml")));
}

#[test]
fn an_acl_unbound_on_one_gateway() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let running = mutate(
            &texts,
            "agg2",
            "interface Vlan120",
            "ip access-group app-in in",
            "",
        );
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::AclBinding);
        assert_eq!(
            (finding.switches.as_slice(), finding.place.as_str()),
            (&["agg2".to_string()][..], "Vlan120")
        );
        assert!(
            finding.message.contains("agg1 binds app-in in"),
            "{}",
            finding.message
        );
        assert_eq!(finding.breaks.segments, ["app"]);
        assert!(finding.breaks.summary.contains("when agg2 routes them"));
    }
}

#[test]
fn one_acl_entry_changed_on_one_gateway() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let seq = build.db_entry;
        let running = mutate(
            &texts,
            "agg2",
            "ip access-list db-out",
            &format!("{seq} permit tcp 10.1.20.0/24 10.1.30.0/24 eq 5432"),
            &format!("{seq} permit tcp 10.1.20.0/24 10.1.30.0/24 eq 5433"),
        );
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::PolicyMismatch);
        assert_eq!(finding.switches, ["agg2"]);
        assert_eq!(finding.place, "Vlan130 out");
        assert!(
            finding.message.contains("ACL db-out out: drops")
                && finding
                    .message
                    .contains("10.1.20.128:49152 → 10.1.30.128:5432 tcp"),
            "{}",
            finding.message
        );
        assert!(
            finding.message.contains("policy.yml"),
            "{}",
            finding.message
        );
        assert_eq!(finding.breaks.segments, ["db"]);
    }
}

#[test]
fn a_storage_vlan_added_outside_only_on() {
    for build in BUILDS {
        let (dir, texts) = build.example();
        let mut running = texts.clone();
        let stanza = format!("{}vlan 410\n", (build.vlan_stanza)(200, "iscsi"));
        let tor2a = running["tor2a"].replace("vlan 410\n", &stanza);
        running.insert("tor2a".into(), tor2a);
        let running = mutate(
            &running,
            "tor2a",
            &format!("interface {}", build.pc(49)),
            "switchport trunk allowed vlan 410,420,430",
            "switchport trunk allowed vlan 200,410,420,430",
        );
        let report = verify_texts(dir.path(), &running);
        let finding = only(&report, Kind::GuardrailOnlyOn);
        assert_eq!(finding.switches, ["tor2a"]);
        assert!(
            finding
                .message
                .contains("VLAN 200 (iscsi), tagged storage, which guardrail san-only-here"),
            "{}",
            finding.message
        );
        assert!(finding
            .config
            .iter()
            .any(|c| c.text.contains(&format!("interface {}", build.pc(49)))));
        assert!(finding
            .inventory
            .iter()
            .any(|p| p.contains("guardrails.yml")));
    }
}

/// The example's built configs as a person might have typed them:
/// port-channels numbered 100 up, vPCs 200 up, ACLs named in capitals,
/// trunk lists wrapped onto `add` lines, ACL subnets as wildcard masks,
/// a pair of member ports configured as one interface range.
/// `text` typed by hand the way both platforms accept: port-channels
/// (named `port_channel`N) numbered 100 up, pair ids (`member N`, at the
/// indentation `indent`) 200 up, ACLs named in capitals, trunk lists
/// wrapped onto `add` lines.
fn typed_by_hand(text: &str, port_channel: &str, member: &str, indent: &str) -> String {
    let raise = |text: &str, pattern: &str, by: u32| {
        regex::Regex::new(pattern)
            .unwrap()
            .replace_all(text, |c: &regex::Captures| {
                format!("{}{}", &c[1], by + c[2].parse::<u32>().unwrap())
            })
            .into_owned()
    };
    let mut t = raise(text, &format!("({port_channel})(\\d+)"), 100);
    t = raise(&t, r"(channel-group )(\d+)", 100);
    t = raise(&t, &format!("(?m)^({indent}{member} )(\\d+)$"), 200);
    let acl = regex::Regex::new(r"(access-list|access-group) ([a-z-]+)").unwrap();
    t = acl
        .replace_all(&t, |c: &regex::Captures| {
            format!("{} ACL_{}", &c[1], c[2].to_uppercase())
        })
        .into_owned();
    let wrapped =
        regex::Regex::new(r"(?m)^(\s+)switchport trunk allowed vlan (\d+),(\S+)$").unwrap();
    wrapped
        .replace_all(
            &t,
            "${1}switchport trunk allowed vlan ${2}\n${1}switchport trunk allowed vlan add ${3}",
        )
        .into_owned()
}

fn by_hand(texts: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let wildcard =
        regex::Regex::new(r"(?m)^(  \d+ (?:permit|deny) .*) (10\.\d+\.\d+\.0)/24").unwrap();
    let mut out = BTreeMap::new();
    for (name, text) in texts {
        let mut t = typed_by_hand(text, "port-channel", "vpc", "  ");
        for _ in 0..2 {
            t = wildcard.replace_all(&t, "$1 $2 0.0.0.255").into_owned();
        }
        out.insert(name.clone(), t);
    }
    // tor1a's two enc1 ports as one range stanza.
    let tor1a = out["tor1a"].clone();
    let stanza = |port: &str| {
        let start = tor1a.find(&format!("interface {port}\n")).unwrap();
        let end = tor1a[start..]
            .find("\n\n")
            .map_or(tor1a.len(), |e| start + e + 1);
        (start, end)
    };
    let (s1, _) = stanza("Ethernet1/1");
    let (_, e2) = stanza("Ethernet1/2");
    let body: String = tor1a[s1..e2]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .filter(|l| !l.trim_start().starts_with("description"))
        .map(|l| format!("{l}\n"))
        .collect();
    let replaced = format!("{}interface Eth1/1-2\n{body}{}", &tor1a[..s1], &tor1a[e2..]);
    out.insert("tor1a".into(), replaced);
    // tor1b's enc2 members say nothing but their bundle: they have its settings.
    let mut tor1b = out["tor1b"].clone();
    for port in ["Ethernet1/3", "Ethernet1/4"] {
        for line in [
            "switchport mode trunk",
            "switchport trunk allowed vlan 110,120,130,200,300",
            "switchport trunk allowed vlan 110",
            "switchport trunk allowed vlan add 120,130,200,300",
        ] {
            if let Some(start) = tor1b.find(&format!("interface {port}\n")) {
                let end = tor1b[start..]
                    .find("\n\n")
                    .map_or(tor1b.len(), |e| start + e);
                let stanza = tor1b[start..end].replace(&format!("\n  {line}"), "");
                tor1b.replace_range(start..end, &stanza);
            }
        }
    }
    let start = tor1b.find("interface Ethernet1/3\n").unwrap();
    let stanza = &tor1b[start..start + tor1b[start..].find("\n\n").unwrap()];
    assert!(
        stanza.contains("channel-group 103") && !stanza.contains("switchport mode"),
        "{stanza}"
    );
    out.insert("tor1b".into(), tor1b);
    out
}

#[test]
fn a_fabric_configured_by_hand_verifies_clean_and_one_missing_vlan_is_one_finding() {
    type Typing = fn(&BTreeMap<String, String>) -> BTreeMap<String, String>;
    for (build, typed) in [(NXOS, by_hand as Typing), (EOS, eos_by_hand)] {
        let (dir, texts) = build.example();
        let hand = typed(&texts);
        assert!(hand["tor1a"].contains(&format!("interface {}\n", build.pc(101))));
        assert!(hand["agg1"].contains("ip access-group ACL_APP-IN in"));
        assert!(hand["agg1"].contains("switchport trunk allowed vlan add"));
        let report = verify_texts(dir.path(), &hand);
        assert!(report.proven(), "{}", describe(&report));

        let extra = build.peer_link_extra;
        let hand = mutate(
            &hand,
            "tor1b",
            &format!("interface {}", build.pc(153)),
            &format!("switchport trunk allowed vlan add 120,130,200,300{extra}"),
            &format!("switchport trunk allowed vlan add 120,200,300{extra}"),
        );
        let report = verify_texts(dir.path(), &hand);
        let finding = sole(&report, Kind::VlanNotAllowed);
        assert_eq!(
            finding.message,
            format!("tor1b {} does not allow VLAN 130 (db)", build.pc(153))
        );
        assert_eq!(finding.breaks.hosts, hosts(1..=32));
    }
}

#[test]
fn exit_codes_and_formats() {
    let (dir, texts) = example();
    let running = dir.path().join("built");
    std::fs::create_dir_all(&running).unwrap();
    for (name, text) in &texts {
        std::fs::write(running.join(format!("{name}.cfg")), text).unwrap();
    }
    let inv = dir.path().to_str().unwrap();
    let run = running.to_str().unwrap();
    let clean = liaison(&["verify", inv, "--running", run]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(String::from_utf8_lossy(&clean.stdout).starts_with("Proven:"));

    let broken = edit_stanza(
        &texts["agg2"],
        "interface Vlan120",
        "no shutdown",
        "shutdown",
    );
    std::fs::write(running.join("agg2.cfg"), broken).unwrap();
    for format in ["text", "json", "markdown"] {
        let out = liaison(&["verify", inv, "--running", run, "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("V111"), "{format}: {stdout}");
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(json["schema"], "liaison.verify/v1");
            assert_eq!(json["proven"], false);
            assert_eq!(json["findings"][0]["kind"], "svi-down");
            assert_eq!(json["findings"][0]["switches"][0], "agg2");
        }
    }
    // --device limits the proof to the switches named.
    let tor = liaison(&["verify", inv, "--running", run, "--device", "tor1a"]);
    assert_eq!(
        tor.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&tor.stdout)
    );

    let unknown = liaison(&["verify", inv, "--running", run, "--device", "tor9z"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown switch `tor9z`"));

    std::fs::remove_file(running.join("tor3b.cfg")).unwrap();
    let missing = liaison(&["verify", inv, "--running", run]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("tor3b.cfg"));
}

// The same mistakes on the example fabric built for Arista EOS: read back
// from EOS running configs (src/platform/eos/readback.rs) and worded as
// EOS configs say them.

#[test]
fn eos_the_built_configs_verify_clean_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/eos-example");
    let inv = dir.path().to_str().unwrap();
    let out = liaison(&["verify", inv, "--running", golden.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("Proven:"), "{stdout}");
    assert!(stdout.contains("8 switches"), "{stdout}");
}

/// EOS prints well-known ACL ports by name (`eq https`, `eq domain`; see
/// src/platform/eos/acl_port_names.rs): the built configs so respelled
/// still verify clean, and a port that really differs (`eq www`, 80, for
/// the database's 5432) is still found.
#[test]
fn eos_acl_ports_printed_by_name_verify_as_their_numbers() {
    let (dir, texts) = eos_example();
    let named: BTreeMap<String, String> = texts
        .iter()
        .map(|(name, text)| {
            let text = text
                .replace(" eq 443", " eq https")
                .replace(" eq 53", " eq domain");
            (name.clone(), text)
        })
        .collect();
    assert_ne!(named, texts, "the example's ACLs use ports 443 and 53");
    let report = verify_texts(dir.path(), &named);
    assert!(report.proven(), "{}", describe(&report));
    let wrong: BTreeMap<String, String> = named
        .iter()
        .map(|(name, text)| {
            let text = match name.as_str() {
                "agg2" => text.replace(
                    "10.1.20.0/24 10.1.30.0/24 eq 5432",
                    "10.1.20.0/24 10.1.30.0/24 eq www",
                ),
                _ => text.clone(),
            };
            (name.clone(), text)
        })
        .collect();
    assert_ne!(wrong, named);
    let report = verify_texts(dir.path(), &wrong);
    let finding = sole(&report, Kind::PolicyMismatch);
    assert_eq!(finding.switches, ["agg2"]);
    assert!(finding.message.contains(":5432 tcp"), "{}", finding.message);
}

#[test]
fn eos_a_vlan_removed_from_one_members_bundle() {
    let (dir, texts) = eos_example();
    let running = mutate(
        &texts,
        "tor1a",
        "interface Port-Channel1",
        "switchport trunk allowed vlan 110,120,130,200,300",
        "switchport trunk allowed vlan 110,130,200,300",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::VlanNotAllowed);
    assert_eq!(finding.place, "Port-Channel1");
    assert_eq!(
        finding.message,
        "tor1a Port-Channel1 does not allow VLAN 120 (app)"
    );
    assert_eq!(finding.breaks.hosts, hosts(1..=16));
    assert!(finding.config[0]
        .text
        .starts_with("interface Port-Channel1\n  switchport trunk allowed vlan 110,130,200,300"));
    assert_eq!(
        finding.config[0].line,
        Some(line_of(&running["tor1a"], "interface Port-Channel1"))
    );
}

#[test]
fn eos_a_vlan_missing_on_a_host_trunk_and_a_vlan_undefined() {
    let (dir, texts) = eos_example();
    let running = mutate(
        &texts,
        "tor3a",
        "interface Ethernet15",
        "switchport trunk allowed vlan 110,120,130,200,300",
        "switchport trunk allowed vlan 110,120,130",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::VlanNotAllowed);
    assert_eq!(
        finding.message,
        "tor3a Ethernet15 does not allow VLANs 200, 300 (iscsi, vmotion)"
    );
    assert_eq!(finding.breaks.hosts, ["kvm05"]);

    // A VLAN stanza gone from a collapsed list: `vlan 110,120` printed as
    // EOS prints VLANs that share their configuration.
    let mut running = texts.clone();
    let tor3b = running["tor3b"]
        .replace(
            "vlan 110\n   name web\n!\nvlan 120\n   name app\n",
            "vlan 110,120\n!\n",
        )
        .replace("vlan 300\n   name vmotion\n", "");
    assert!(tor3b.contains("vlan 110,120\n"));
    running.insert("tor3b".into(), tor3b);
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::VlanUndefined);
    assert_eq!(finding.message, "tor3b does not define VLAN 300 (vmotion)");
}

#[test]
fn eos_mlag_domains_peer_addresses_and_peer_links_that_differ() {
    let (dir, texts) = eos_example();
    let running = mutate(
        &texts,
        "tor1b",
        "mlag configuration",
        "domain-id 746",
        "domain-id 747",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = only(&report, Kind::VpcDomain);
    assert_eq!(finding.place, "mlag configuration");
    assert_eq!(
        finding.message,
        "MLAG pair tor1a/tor1b: tor1a has domain-id 746, tor1b has domain-id 747"
    );
    assert_eq!(
        finding.config[1].text,
        "mlag configuration\n  domain-id 747"
    );
    assert_eq!(
        finding.config[1].line,
        Some(line_of(&running["tor1b"], "mlag configuration"))
    );

    let running = mutate(
        &texts,
        "tor1b",
        "mlag configuration",
        "peer-address 169.254.0.0",
        "peer-address 169.254.0.9",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::PairPeerAddress);
    assert_eq!(finding.code, "V140");
    assert_eq!(finding.switches, ["tor1b"]);
    assert_eq!(
        finding.message,
        "MLAG pair tor1a/tor1b: tor1b reaches its peer at 169.254.0.9, and tor1a is reached at 169.254.0.0: the members do not form a pair"
    );
    assert_eq!(
        finding.config[1].text,
        "mlag configuration\n  domain-id 746\n  peer-address 169.254.0.1\n  local-interface Vlan4094 (169.254.0.0/31)"
    );
    assert_eq!(finding.breaks.hosts, hosts(1..=32));
    let running = mutate(
        &texts,
        "tor1b",
        "mlag configuration",
        "peer-address 169.254.0.0",
        "",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = only(&report, Kind::PairPeerAddress);
    assert_eq!(
        finding.message,
        "MLAG pair tor1a/tor1b: tor1b has no peer address: the members do not form a pair"
    );
    assert!(finding.config[0].text.contains("\n  no `peer-address`\n"));

    let running = mutate(
        &texts,
        "tor3a",
        "mlag configuration",
        "peer-link Port-Channel53",
        "",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = only(&report, Kind::PeerLinkMissing);
    assert_eq!(finding.place, "peer-link");
    assert_eq!(
        finding.message,
        "tor3a has no MLAG peer-link (no `peer-link` naming a configured port-channel under `mlag configuration`)"
    );
}

#[test]
fn eos_a_varp_address_or_the_virtual_mac_missing_on_one_gateway() {
    let (dir, texts) = eos_example();
    let running = mutate(
        &texts,
        "agg2",
        "interface Vlan120",
        "ip virtual-router address 10.1.20.1",
        "ip virtual-router address 10.1.20.9",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::GatewayAddress);
    assert_eq!(
        finding.message,
        "agg2 Vlan120 does not answer on segment app's gateway 10.1.20.1 (ip virtual-router address 10.1.20.9)"
    );
    assert_eq!(finding.breaks.segments, ["app"]);
    let running = mutate(
        &texts,
        "agg2",
        "interface Vlan120",
        "ip virtual-router address 10.1.20.1",
        "",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = only(&report, Kind::GatewayAddress);
    assert!(
        finding.config[0]
            .text
            .ends_with("\n  no `ip virtual-router address`"),
        "{:?}",
        finding.config
    );

    // Without the virtual MAC no VARP address answers: one finding, every
    // segment agg2 is a gateway of.
    let mut running = texts.clone();
    let agg2 = running["agg2"].replace("ip virtual-router mac-address 00:1c:73:00:00:99\n", "");
    running.insert("agg2".into(), agg2);
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::VirtualMac);
    assert_eq!(finding.code, "V141");
    assert_eq!(finding.switches, ["agg2"]);
    assert_eq!(
        finding.message,
        "agg2 sets no virtual MAC address (no `ip virtual-router mac-address`): its virtual gateway addresses do not answer"
    );
    assert_eq!(
        finding.breaks.segments,
        ["app", "db", "dev-app", "dev-web", "web"]
    );
    // Two different ones: both members named.
    let mut running = texts.clone();
    let agg2 = running["agg2"].replace(
        "ip virtual-router mac-address 00:1c:73:00:00:99",
        "ip virtual-router mac-address 00:1c:73:00:00:98",
    );
    running.insert("agg2".into(), agg2);
    let report = verify_texts(dir.path(), &running);
    let finding = only(&report, Kind::VirtualMac);
    assert_eq!(finding.switches, ["agg1", "agg2"]);
    assert!(finding.config[1].line.is_some());
}

/// The EOS example's built configs as a person might have typed them:
/// port-channels numbered 100 up, MLAG ids 200 up (the peer-link named
/// under `mlag configuration` follows), ACLs named in capitals, trunk
/// lists wrapped onto `add` lines, tor1a's segment VLANs in one collapsed
/// stanza (`vlan 110,120,130,200,300`, as EOS prints VLANs that share
/// their configuration).
fn eos_by_hand(texts: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let named = regex::Regex::new(r"vlan (110|120|130|200|300)\n   name [a-z]+\n!\n").unwrap();
    let mut out = BTreeMap::new();
    for (name, text) in texts {
        let mut t = typed_by_hand(text, "Port-Channel", "mlag", "   ");
        if name == "tor1a" {
            t = named.replace_all(&t, "").into_owned();
            t = t.replace("vlan 4094\n", "vlan 110,120,130,200,300\n!\nvlan 4094\n");
        }
        out.insert(name.clone(), t);
    }
    let tor1a = &out["tor1a"];
    assert!(tor1a.contains("   mlag 201\n") && tor1a.contains("peer-link Port-Channel153\n"));
    assert!(tor1a.contains("vlan 110,120,130,200,300\n") && !tor1a.contains("name web"));
    out
}

#[test]
fn a_mixed_fabric_verifies_and_each_switch_is_worded_by_its_platform() {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example-eos", dir.path());
    mix_platforms(dir.path());
    let texts = intended_texts(dir.path());
    assert!(texts["agg1"].contains("\nvpc domain "), "agg1 is NX-OS");
    assert!(
        texts["tor1a"].contains("\nmlag configuration\n"),
        "tor1a is EOS"
    );
    let report = verify_texts(dir.path(), &texts);
    assert!(report.proven(), "{}", describe(&report));

    // One mistake on each side of the platform boundary.
    let running = mutate(
        &texts,
        "agg1",
        "interface Vlan120",
        "no shutdown",
        "shutdown",
    );
    let running = mutate(
        &running,
        "tor1a",
        "interface Port-Channel49",
        "switchport trunk allowed vlan 110,120,130,200,300",
        "switchport trunk allowed vlan 110,120,200,300",
    );
    let report = verify_texts(dir.path(), &running);
    assert_eq!(report.findings.len(), 2, "{}", describe(&report));
    let down = only(&report, Kind::SviDown);
    assert_eq!(down.switches, ["agg1"]);
    assert_eq!(
        down.config[0].text,
        "interface Vlan120\n  shutdown (an SVI is shut until `no shutdown`)"
    );
    let trunk = only(&report, Kind::VlanNotAllowed);
    assert_eq!(
        trunk.message,
        "tor1a Port-Channel49 does not allow VLAN 130 (db)"
    );
}

#[test]
fn a_vpc_peer_keepalive_to_another_address() {
    let (dir, texts) = example();
    let running = mutate(
        &texts,
        "agg2",
        "vpc domain 200",
        "peer-keepalive destination 192.0.2.11 source 192.0.2.12 vrf management",
        "peer-keepalive destination 192.0.2.13 source 192.0.2.12 vrf management",
    );
    let report = verify_texts(dir.path(), &running);
    let finding = sole(&report, Kind::PairPeerAddress);
    assert_eq!(finding.switches, ["agg2"]);
    assert_eq!(
        finding.message,
        "vPC pair agg1/agg2: agg2 reaches its peer at 192.0.2.13, and agg1 is reached at 192.0.2.11: the members do not form a pair"
    );
    assert_eq!(
        finding.config[0].text,
        "vpc domain 200\n  peer-keepalive destination 192.0.2.13 source 192.0.2.12 vrf management"
    );
    assert_eq!(
        finding.config[0].line,
        Some(line_of(&running["agg2"], "vpc domain 200"))
    );
    // Every host behind the gateway pair.
    assert_eq!(finding.breaks.hosts.len(), 50);
}

#[test]
fn a_static_route_missing_on_one_gateway() {
    for (build, header, line, text) in [
        (
            NXOS,
            "vrf context prod",
            "ip route 0.0.0.0/0 10.255.255.36 250",
            "no `ip route 0.0.0.0/0 10.255.255.36 250` under `vrf context prod`",
        ),
        (
            EOS,
            "",
            "ip route vrf prod 0.0.0.0/0 10.255.255.36 250",
            "no `ip route vrf prod 0.0.0.0/0 10.255.255.36 250`",
        ),
    ] {
        let (dir, texts) = build.example();
        let mut running = texts.clone();
        let agg2 = if header.is_empty() {
            running["agg2"].replace(&format!("{line}\n"), "")
        } else {
            edit_stanza(&running["agg2"], header, line, "")
        };
        assert_ne!(agg2, running["agg2"]);
        running.insert("agg2".into(), agg2);
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::RouteMissing);
        assert_eq!(finding.code, "V142");
        assert_eq!(finding.switches, ["agg2"]);
        assert_eq!(finding.place, "VRF prod 0.0.0.0/0");
        assert_eq!(
            finding.message,
            "agg2 has no route 0.0.0.0/0 via 10.255.255.36 (distance 250) in VRF prod"
        );
        assert_eq!(finding.config[0].text, text);
        assert_eq!(finding.breaks.segments, ["app", "db", "web"]);
        assert_eq!(
            finding.breaks.summary,
            "VMs of web, app, db routed by agg2 lose their backup route to 0.0.0.0/0"
        );
    }
}

#[test]
fn a_tor_that_can_become_the_root_bridge_or_runs_another_mode() {
    for (build, from, to, trees, mode_from, mode_to) in [
        (
            NXOS,
            "spanning-tree mst 0-1 priority 16384",
            "spanning-tree mst 0-1 priority 4096",
            "MST instances 0, 1",
            "spanning-tree mode mst",
            "spanning-tree mode rapid-pvst",
        ),
        (
            EOS,
            "spanning-tree mst 0 priority 16384",
            "spanning-tree mst 0 priority 4096",
            "MST instance 0",
            "spanning-tree mode mstp",
            "spanning-tree mode rapid-pvst",
        ),
    ] {
        let (dir, texts) = build.example();
        let mut running = texts.clone();
        let tor2a = running["tor2a"].replace(&format!("{from}\n"), &format!("{to}\n"));
        assert_ne!(tor2a, running["tor2a"]);
        running.insert("tor2a".into(), tor2a);
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::StpRoot);
        assert_eq!(finding.code, "V144");
        assert_eq!(finding.switches, ["tor2a"]);
        assert_eq!(
            finding.message,
            format!("tor2a bids bridge priority 4096 on {trees}, not above gateway agg1's 4096: it can become the root")
        );
        assert_eq!(finding.config[0].line, Some(line_of(&running["tor2a"], to)));

        let mut running = texts.clone();
        let tor2b = running["tor2b"].replace(&format!("{mode_from}\n"), &format!("{mode_to}\n"));
        running.insert("tor2b".into(), tor2b);
        let report = verify_texts(dir.path(), &running);
        let finding = sole(&report, Kind::StpMode);
        assert_eq!(finding.code, "V143");
        assert_eq!(
            finding.message,
            format!("tor2b runs {mode_to}, and the fabric runs {mode_from}: its trees are not the fabric's")
        );
    }
}

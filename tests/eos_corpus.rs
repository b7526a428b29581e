//! Every public EOS config of `tests/fixtures/eos/` (SOURCES rows in
//! `tests/fixtures/SOURCES.md`) parses with the EOS dialect, prints back
//! losslessly, and keeps every line of configuration it had; two spellings
//! of one meaning give one tree.

mod common;

use common::corpus_configs;
use liaison::platform::eos::{parse as parse_eos, print};

fn fixtures() -> Vec<(String, String)> {
    let configs = corpus_configs("eos");
    assert_eq!(configs.len(), 44, "the EOS corpus changed");
    configs
}

#[test]
fn every_fixture_parses_and_prints_back_losslessly() {
    let mut nested = 0;
    for (name, text) in fixtures() {
        let tree = parse_eos(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!tree.is_empty(), "{name}: nothing parsed");
        let printed = print(&tree);
        let again = parse_eos(&printed).unwrap_or_else(|e| panic!("{name} (printed): {e}"));
        assert_eq!(
            again, tree,
            "{name}: parse → print → parse changed the tree"
        );
        assert_eq!(print(&again), printed, "{name}: printing is not stable");
        nested += indented_as_eos(&name, &printed);
    }
    assert!(nested > 1000, "only {nested} nested lines checked");
}

/// Every configuration line of `printed` is indented three spaces a
/// level, as EOS prints it (a text block's lines are its text, kept as
/// they are); returns how many nested lines it has.
fn indented_as_eos(name: &str, printed: &str) -> usize {
    let mut in_block = false;
    let mut nested = 0;
    for line in printed.lines() {
        let trimmed = line.trim();
        if in_block {
            in_block = trimmed != "EOF";
            continue;
        }
        in_block = ["banner login", "banner motd", "comment"].contains(&trimmed);
        let indent = line.len() - line.trim_start().len();
        assert_eq!(
            indent % 3,
            0,
            "{name}: {line:?} is not indented as EOS prints"
        );
        nested += usize::from(indent > 0);
    }
    nested
}

/// The words of every configuration line of `text`, sorted: what a
/// parse must not lose (comments, `end` and blank lines are not
/// configuration; a text block's lines are text, kept verbatim).
fn config_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if in_block {
            words.push(trimmed.to_string());
            in_block = trimmed != "EOF";
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('!') || trimmed == "end" {
            continue;
        }
        in_block = ["banner login", "banner motd", "comment"].contains(&trimmed);
        words.push(trimmed.to_string());
    }
    words.sort();
    words.dedup();
    words
}

#[test]
fn no_fixture_loses_a_line_of_configuration() {
    for (name, text) in fixtures() {
        let printed = print(&parse_eos(&text).unwrap());
        let (before, after) = (config_words(&text), config_words(&printed));
        // Normalisation drops only these: a list of all VLANs is the
        // default, and bare `vlan 1` always exists.
        let dropped = ["switchport trunk allowed vlan 1-4094", "vlan 1"];
        // An ACL entry typed without a sequence number is kept with the
        // number EOS gives it.
        let numbered = |w: &str| {
            after.iter().any(|a| {
                a.split_once(' ')
                    .is_some_and(|(seq, rest)| rest == w && seq.parse::<u32>().is_ok())
            })
        };
        // An ACL entry's `host A` is read as `A/32` (one spelling for both).
        let respelled = |w: &str| {
            let words: Vec<&str> = w.split(' ').collect();
            let mut out = Vec::new();
            let mut i = 0;
            while i < words.len() {
                match (words[i], words.get(i + 1)) {
                    ("host", Some(address)) if i > 0 => {
                        out.push(format!("{address}/32"));
                        i += 2;
                    }
                    (word, _) => {
                        out.push(word.to_string());
                        i += 1;
                    }
                }
            }
            after.contains(&out.join(" "))
        };
        let lost: Vec<&String> = before
            .iter()
            .filter(|w| {
                !after.contains(w)
                    && !numbered(w)
                    && !respelled(w)
                    && !dropped.contains(&w.as_str())
            })
            .collect();
        assert!(lost.is_empty(), "{name}: lost {lost:?}");
    }
}

#[test]
fn banners_keep_their_text_and_the_header_is_dropped() {
    let (_, text) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "avd__cli_config_gen__banners_without_eof.cfg")
        .unwrap();
    let tree = parse_eos(&text).unwrap();
    let banner = tree
        .nodes
        .iter()
        .find(|n| n.text.starts_with("banner login"))
        .expect("a banner");
    assert!(
        banner
            .text
            .contains("\n!***!!!Unauthorized access prohibited!!!***!\n"),
        "{}",
        banner.text
    );
    assert!(banner.children.is_empty());
    for (name, text) in fixtures() {
        let printed = print(&parse_eos(&text).unwrap());
        assert!(!printed.contains("! Command:"), "{name}: header survived");
        assert!(
            !printed.lines().any(|l| l == "end"),
            "{name}: `end` survived"
        );
    }
}

#[test]
fn collapsed_vlans_and_reordered_trunk_lines_mean_the_same() {
    let (_, text) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "avd__l2ls-fabric__LEAF1.cfg")
        .unwrap();
    // LEAF1 as EOS would also print it: VLANs 10 and 20 given one name
    // collapse into one stanza; the trunk's mode typed before its list.
    let same_name = text.replace("   name GREEN-NET", "   name BLUE-NET");
    let collapsed = same_name
        .replace(
            "vlan 10\n   name BLUE-NET\n!\nvlan 20\n   name BLUE-NET\n",
            "vlan 10,20\n   name BLUE-NET\n",
        )
        .replace(
            "   switchport trunk allowed vlan 10,20\n   switchport mode trunk\n",
            "   switchport mode trunk\n   switchport trunk allowed vlan 10,20\n",
        );
    assert_ne!(collapsed, same_name, "the fixture changed");
    assert_eq!(
        parse_eos(&collapsed).unwrap(),
        parse_eos(&same_name).unwrap()
    );
    // A different list is a different config.
    let other = same_name.replace("allowed vlan 10,20", "allowed vlan 10");
    assert_ne!(parse_eos(&other).unwrap(), parse_eos(&same_name).unwrap());
}

#[test]
fn every_fixture_diffed_against_itself_plans_nothing() {
    use liaison::plan::{plan_device, Management, Request, Scope, Sides};
    use liaison::platform::eos::defaults::DEFAULTS;
    use liaison::platform::Platform;
    for (name, text) in fixtures() {
        let plan = plan_device(Request {
            device: &name,
            platform: Platform::Eos,
            running: parse_eos(&text).unwrap(),
            intended: parse_eos(&text).unwrap(),
            labels: ("running", "intended"),
            scope: Scope::Whole,
            tolerated: &[],
            defaults: Sides::same(DEFAULTS),
            management: Management {
                allow_changes: true,
                ..Management::default()
            },
        });
        assert!(plan.refused.is_none(), "{name}: {:?}", plan.refused);
        assert!(
            plan.commands.is_empty(),
            "{name}: {:?}",
            &plan.commands[..plan.commands.len().min(5)]
        );
        assert!(plan.diff.is_empty(), "{name}: {}", plan.diff);
    }
}

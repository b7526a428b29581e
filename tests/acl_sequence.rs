//! ACL sequence numbers derive from each rule's content, not its position:
//! adding, removing or reordering rules leaves every other entry where it
//! was, so a change to the policy touches only its own entries on the
//! switches.

mod common;

use common::nxos_acl::numbered_lines;
use common::*;
use std::collections::BTreeMap;

type Lines = BTreeMap<(String, u32), String>;

/// The numbered ACL lines of the example's gateways after `edit`.
fn gateway_lines(edit: impl FnOnce(&std::path::Path)) -> BTreeMap<String, Lines> {
    let dir = tempfile::tempdir().unwrap();
    copy_inventory("example", dir.path());
    edit(dir.path());
    let configs = build(dir.path());
    ["agg1", "agg2"]
        .into_iter()
        .map(|g| (g.to_string(), numbered_lines(&configs[g].text)))
        .collect()
}

fn policy_lines(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("policy.yml"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn rewrite_rules(dir: &std::path::Path, f: impl FnOnce(&mut Vec<String>)) {
    let lines = policy_lines(dir);
    let start = lines.iter().position(|l| l == "policy:").unwrap() + 1;
    let mut rules: Vec<String> = lines[start..].to_vec();
    f(&mut rules);
    let text = lines[..start]
        .iter()
        .chain(&rules)
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    std::fs::write(dir.join("policy.yml"), text).unwrap();
}

#[test]
fn inserting_an_unrelated_rule_renumbers_nothing() {
    let before = gateway_lines(|_| {});
    let after = gateway_lines(|dir| {
        rewrite_rules(dir, |rules| {
            rules.insert(
                0,
                "  - { from: internet, to: app, allow: [tcp/8443], comment: \"partner API\" }"
                    .into(),
            )
        })
    });
    for (gateway, lines) in &before {
        for (key, line) in lines {
            assert_eq!(
                after[gateway].get(key),
                Some(line),
                "{gateway} {key:?} moved or changed"
            );
        }
        // The new rule's entries are there: its flow into app, its replies
        // out of app, and its remark in both.
        let added: Vec<&String> = after[gateway]
            .iter()
            .filter(|(k, _)| !lines.contains_key(k))
            .map(|(_, l)| l)
            .collect();
        assert_eq!(added.len(), 4, "{gateway}: {added:#?}");
        assert!(added
            .iter()
            .any(|l| l.ends_with("any 10.1.20.0/24 eq 8443")));
        assert!(added
            .iter()
            .any(|l| l.ends_with("10.1.20.0/24 eq 8443 any range 1024 65535 established")));
    }
}

#[test]
fn removing_or_reordering_rules_moves_no_other_entry() {
    let before = gateway_lines(|_| {});
    // Reversed order: byte-identical ACLs.
    let reversed = gateway_lines(|dir| rewrite_rules(dir, |rules| rules.reverse()));
    assert_eq!(before, reversed);
    // The web → app rule removed: its entries go, nothing else moves.
    let removed = gateway_lines(|dir| {
        rewrite_rules(dir, |rules| {
            rules.retain(|r| !r.contains("from: web, to: app"))
        })
    });
    for (gateway, lines) in &removed {
        assert!(!lines.is_empty());
        for (key, line) in lines {
            assert_eq!(before[gateway].get(key), Some(line), "{gateway} {key:?}");
        }
        let gone = before[gateway].len() - lines.len();
        assert_eq!(
            gone, 2,
            "{gateway}: the flow in app-out, the reply in web-out"
        );
    }
}

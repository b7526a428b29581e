//! Every public NX-OS config of `tests/fixtures/nxos/` (see its
//! SOURCES.md) parses, prints back losslessly, and plans nothing against
//! itself.

mod common;

use common::corpus_configs;
use liaison::plan::diff_texts;
use liaison::platform::nxos::{parse as parse_nxos, print};

fn fixtures() -> Vec<(String, String)> {
    let configs = corpus_configs("nxos");
    assert!(configs.len() >= 100, "the corpus went missing");
    configs
}

#[test]
fn every_fixture_parses_and_prints_back_losslessly() {
    for (name, text) in fixtures() {
        let tree = parse_nxos(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!tree.is_empty(), "{name}: nothing parsed");
        let printed = print(&tree);
        let again = parse_nxos(&printed).unwrap_or_else(|e| panic!("{name} (printed): {e}"));
        assert_eq!(
            again, tree,
            "{name}: parse → print → parse changed the tree"
        );
        assert_eq!(print(&again), printed, "{name}: printing is not stable");
    }
}

#[test]
fn every_fixture_plans_nothing_against_itself() {
    for (name, text) in fixtures() {
        let commands = diff_texts(&text, &text).unwrap();
        assert!(commands.is_empty(), "{name}: diff(X, X) = {commands:#?}");
    }
}

#[test]
fn console_captures_and_checkpoints_keep_only_configuration() {
    let (_, text) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "datacenter__opennxos__switch_console_output_for_Leaf_1.cfg")
        .unwrap();
    let printed = print(&parse_nxos(&text).unwrap());
    assert!(!printed.contains("Leaf_1#"), "console prompts survived");
    assert!(!printed.contains("!Time"), "header comments survived");
    assert!(
        printed.starts_with("power redundancy-mode combined force\n"),
        "{}",
        &printed[..200]
    );

    let (_, checkpoint) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "napalm-automation__napalm__initial.cfg")
        .unwrap();
    let printed = print(&parse_nxos(&checkpoint).unwrap());
    assert!(!printed.contains("!#"), "checkpoint default lines survived");
    assert!(printed.contains("\nfeature vpc\n"));
}

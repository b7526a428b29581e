//! Property: for random changes of single-value settings and static routes
//! (default VRF and `vrf context management`), the plan typed into a model
//! switch converges in one step (a second plan is empty), no command is
//! refused, and the default route of either VRF is never absent between
//! two commands (a new next hop is added before the old one goes).
//!
//! The model (`tests/model/`) is written from NX-OS behaviour: `no
//! username NAME …` deletes the user; writing a single-value setting
//! replaces its value.

mod model;

use liaison::config::Node;
use liaison::plan::Session;
use liaison::plan::{diff_texts_managing, Management, Sides};
use liaison::platform::nxos::defaults::FALLBACK;
use liaison::platform::nxos::parse as parse_nxos;
use model::Switch;
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
struct Settings {
    stp_mode: Option<&'static str>,
    jumbo_mtu: Option<u16>,
    domain: Option<&'static str>,
    contact: Option<&'static str>,
    timezone: Option<&'static str>,
    logging_severity: Option<u8>,
    ntp_prefer: Option<bool>,
    password: Option<&'static str>,
    default_hop: u8,
    management_hop: u8,
    routes: BTreeSet<(u8, u8)>,
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (
            prop::option::of(prop::sample::select(vec!["mst", "rapid-pvst"])),
            prop::option::of(prop::sample::select(vec![1500u16, 9000, 9216])),
            prop::option::of(prop::sample::select(vec!["a.example", "b.example"])),
            prop::option::of(prop::sample::select(vec!["noc", "ops team"])),
            prop::option::of(prop::sample::select(vec!["CET 1 0", "PST -8 0"])),
            prop::option::of(2u8..7),
            prop::option::of(any::<bool>()),
            prop::option::of(prop::sample::select(vec!["$5$OLD", "$5$NEW"])),
        ),
        1u8..4,
        1u8..4,
        prop::collection::btree_set((0u8..3, 1u8..4), 0..4),
    )
        .prop_map(
            |(
                (stp_mode, jumbo_mtu, domain, contact, timezone, logging, ntp, password),
                default_hop,
                management_hop,
                routes,
            )| Settings {
                stp_mode,
                jumbo_mtu,
                domain,
                contact,
                timezone,
                logging_severity: logging,
                ntp_prefer: ntp,
                password,
                default_hop,
                management_hop,
                routes,
            },
        )
}

fn render(s: &Settings) -> String {
    let mut text = String::from("hostname sw1\nfeature ssh\n");
    if let Some(hash) = s.password {
        text += &format!("username bob password 5 {hash} role network-admin\n");
    }
    if let Some(mode) = s.stp_mode {
        text += &format!("spanning-tree mode {mode}\n");
    }
    if let Some(mtu) = s.jumbo_mtu {
        text += &format!("system jumbomtu {mtu}\n");
    }
    if let Some(domain) = s.domain {
        text += &format!("ip domain-name {domain}\n");
    }
    if let Some(contact) = s.contact {
        text += &format!("snmp-server contact {contact}\n");
    }
    if let Some(zone) = s.timezone {
        text += &format!("clock timezone {zone}\n");
    }
    if let Some(severity) = s.logging_severity {
        text += &format!("logging server 192.0.2.9 {severity} use-vrf management\n");
    }
    if let Some(prefer) = s.ntp_prefer {
        let prefer = if prefer { " prefer" } else { "" };
        text += &format!("ntp server 192.0.2.1{prefer} use-vrf management\n");
    }
    text += &format!("ip route 0.0.0.0/0 198.51.100.{}\n", s.default_hop);
    for (net, hop) in &s.routes {
        text += &format!("ip route 10.{net}.0.0/16 198.51.100.{hop}\n");
    }
    text += &format!(
        "vrf context management\n  ip route 0.0.0.0/0 192.0.2.{}\n",
        s.management_hop
    );
    text
}

fn has_default_route(nodes: &[Node<'_>]) -> bool {
    nodes
        .iter()
        .any(|n| n.text.starts_with("ip route 0.0.0.0/0 "))
}

/// Whether both VRFs have a default route.
fn both_default_routes(switch: &Switch) -> bool {
    let management = switch
        .config
        .iter()
        .find(|n| n.text == "vrf context management");
    has_default_route(&switch.config) && management.is_some_and(|m| has_default_route(&m.children))
}

/// Users and the management VRF's routes are the management plane: these
/// plans are allowed to change them (liaison logs in as another user).
fn diff_texts(running: &str, intended: &str) -> Vec<String> {
    let management = Management {
        allow_changes: true,
        session: Session {
            user: Some("liaison"),
            address: None,
        },
    };
    diff_texts_managing(
        running,
        intended,
        Sides::same(FALLBACK.defaults),
        management,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn single_value_and_route_changes_converge_without_a_gap(
        before in settings(),
        after in settings(),
    ) {
        let (running, intended) = (render(&before), render(&after));
        let commands = diff_texts(&running, &intended);
        let mut switch = Switch::new(parse_nxos(&running).unwrap());
        for command in &commands {
            if let Err(refused) = switch.type_command(command) {
                panic!("refused {command:?}: {refused}\nplan: {commands:#?}");
            }
            prop_assert!(
                both_default_routes(&switch),
                "no default route after {command:?}\nplan: {commands:#?}"
            );
        }
        let reached = switch.show_running_config();
        let again = diff_texts(&reached, &intended);
        prop_assert!(
            again.is_empty(),
            "not converged in one step: {again:#?}\nplan: {commands:#?}\nreached:\n{reached}"
        );
    }
}

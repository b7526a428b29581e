//! Property tests of the planner against a small model of NX-OS:
//! - `diff(X, X)` is empty for every generated config;
//! - for generated pairs (X, Y), typing the remediation of `diff(X, Y)`
//!   into a model switch running X leaves it running Y, and no
//!   command is refused on the way (a VLAN deleted while a port uses it, an
//!   ACL bound before it exists, a duplicate sequence number, a physical
//!   port deleted, a nested command typed in the wrong mode...);
//! - the same in `liaison plan`'s inventory scope (random managed VLANs,
//!   with and without `--prune`): the plan is accepted, a second plan is
//!   empty, and an unmanaged line survives.
//!
//! - for random intents and each kind of switch (ports Layer 2 or Layer 3
//!   by default, Layer 2 ports up or shut by default), the plan of the
//!   running config as that switch shows it (hiding its defaults), typed
//!   into the model, leaves it meaning the intent, and a second plan of
//!   what it then shows is empty; also from a blank switch.
//!
//! The model (`tests/model/`) is written from NX-OS behaviour, not from the
//! planner.

mod model;

use liaison::config::ConfigTree;
use liaison::config::PortDefaults;
use liaison::plan::diff_texts_with;
use liaison::plan::{diff_texts, plan_device, Managed, Management, Request, Scope, Sides};
use liaison::platform::nxos::defaults::FALLBACK;
use liaison::platform::nxos::{parse as parse_nxos, print};
use liaison::vlan::VlanSet;
use model::{effective, Defaults, Switch, LAYER2, LAYER2_SHUT, LAYER3};
use proptest::prelude::*;
use std::collections::BTreeMap;

// ----- generated configs ----------------------------------------------------

const VLANS: &[u16] = &[10, 20, 30, 40, 50, 60, 70];

#[derive(Clone, Debug)]
enum PortMode {
    Trunk(Vec<u16>),
    Access(u16),
    Routed { address: u8, acl: Option<usize> },
    Member(u16),
}

#[derive(Clone, Debug)]
struct Port {
    description: Option<String>,
    mode: PortMode,
    mtu: Option<u16>,
    shutdown: bool,
}

#[derive(Clone, Debug)]
struct Svi {
    vlan: u16,
    description: String,
    redirects: bool,
    address: u8,
    vrf: Option<&'static str>,
    hsrp: Option<Option<u16>>,
}

#[derive(Clone, Debug)]
struct Device {
    hsrp: bool,
    lacp: bool,
    vlans: BTreeMap<u16, Option<String>>,
    vrfs: Vec<&'static str>,
    object_group: Option<Vec<u8>>,
    acls: Vec<Option<BTreeMap<u16, usize>>>,
    port_channel: Option<(String, Vec<u16>)>,
    ports: Vec<Option<Port>>,
    svis: Vec<Svi>,
    loopback: bool,
    ntp: bool,
    /// vPC domain and role priority; the port-channel is vPC 10 in it.
    vpc: Option<(u16, u16)>,
}

const ENTRIES: &[&str] = &[
    "permit ip any any",
    "deny tcp any any eq 22",
    "permit udp any any eq 53",
    "permit tcp 10.0.0.0/8 any eq 443",
    "permit ip addrgroup OG1 any",
];

fn vlan_list() -> impl Strategy<Value = Vec<u16>> {
    prop::sample::subsequence(VLANS.to_vec(), 0..=VLANS.len())
}

fn device() -> impl Strategy<Value = Device> {
    let vlans = prop::collection::btree_map(
        prop::sample::select(VLANS.to_vec()),
        prop::option::of(prop::sample::select(vec![
            "web".to_string(),
            "app".into(),
            "db".into(),
        ])),
        0..=VLANS.len(),
    );
    let acl = prop::option::of(prop::collection::btree_map(
        prop::sample::select(vec![10u16, 20, 30, 40]),
        0..ENTRIES.len(),
        1..=4,
    ));
    let port = prop::option::of((
        prop::option::of(prop::sample::select(vec![
            "server".to_string(),
            "uplink".into(),
        ])),
        prop_oneof![
            vlan_list().prop_map(PortMode::Trunk),
            prop::sample::select(VLANS.to_vec()).prop_map(PortMode::Access),
            (1u8..4, prop::option::of(0usize..2))
                .prop_map(|(address, acl)| PortMode::Routed { address, acl }),
            Just(PortMode::Member(10)),
        ],
        prop::option::of(prop::sample::select(vec![1500u16, 9216])),
        any::<bool>(),
    ))
    .prop_map(|p| {
        p.map(|(description, mode, mtu, shutdown)| Port {
            description,
            mode,
            mtu,
            shutdown,
        })
    });
    let svi = (
        prop::sample::select(VLANS.to_vec()),
        (
            prop::sample::select(vec!["gw".to_string(), "gateway".into()]),
            any::<bool>(),
        ),
        1u8..4,
        prop::option::of(prop::sample::select(vec!["prod", "dev"])),
        prop::option::of(prop::option::of(prop::sample::select(vec![90u16, 110]))),
    )
        .prop_map(|(vlan, (description, redirects), address, vrf, hsrp)| Svi {
            vlan,
            description,
            redirects,
            address,
            vrf,
            hsrp,
        });
    (
        (
            any::<bool>(),
            any::<bool>(),
            vlans,
            prop::sample::subsequence(vec!["prod", "dev"], 0..=2),
        ),
        (
            prop::option::of(prop::collection::vec(1u8..4, 1..=2)),
            prop::collection::vec(acl, 2),
            prop::option::of((
                prop::sample::select(vec!["bundle".to_string(), "lag".into()]),
                vlan_list(),
            )),
        ),
        (
            prop::collection::vec(port, 4),
            prop::collection::vec(svi, 0..=2),
            any::<bool>(),
            any::<bool>(),
        ),
        prop::option::of((
            prop::sample::select(vec![10u16, 20]),
            prop::sample::select(vec![10u16, 20]),
        )),
    )
        .prop_map(
            |((hsrp, lacp, vlans, vrfs), (og, acls, pc), (ports, svis, loopback, ntp), vpc)| {
                let mut device = Device {
                    hsrp,
                    lacp,
                    vlans,
                    vrfs,
                    object_group: og,
                    acls,
                    port_channel: pc,
                    ports,
                    svis,
                    loopback,
                    ntp,
                    vpc,
                };
                make_consistent(&mut device);
                device
            },
        )
}

/// What a switch would accept: ports use defined VLANs, ACLs and
/// port-channels; SVIs use defined VLANs and VRFs; entries using the
/// object-group only where it exists.
fn make_consistent(d: &mut Device) {
    let defined: Vec<u16> = d.vlans.keys().copied().collect();
    let keep = |list: &mut Vec<u16>| list.retain(|v| defined.contains(v));
    if let Some((_, list)) = &mut d.port_channel {
        keep(list);
    }
    if d.object_group.is_none() {
        for acl in d.acls.iter_mut().flatten() {
            acl.retain(|_, entry| !ENTRIES[*entry].contains("OG1"));
        }
        for acl in &mut d.acls {
            if acl.as_ref().is_some_and(|a| a.is_empty()) {
                *acl = None;
            }
        }
    }
    for port in d.ports.iter_mut().flatten() {
        match &mut port.mode {
            PortMode::Trunk(list) => keep(list),
            PortMode::Access(vlan) if !defined.contains(vlan) => {
                port.mode = PortMode::Trunk(vec![])
            }
            PortMode::Routed { acl: Some(i), .. } if d.acls[*i].is_none() => {
                port.mode = PortMode::Routed {
                    address: 1,
                    acl: None,
                }
            }
            PortMode::Member(_) if d.port_channel.is_none() || !d.lacp => {
                port.mode = PortMode::Trunk(vec![])
            }
            _ => {}
        }
    }
    let mut seen = Vec::new();
    d.svis.retain(|s| {
        let ok = defined.contains(&s.vlan) && !seen.contains(&s.vlan);
        seen.push(s.vlan);
        ok
    });
    for svi in &mut d.svis {
        if svi.vrf.is_some_and(|v| !d.vrfs.contains(&v)) {
            svi.vrf = None;
        }
        if !d.hsrp {
            svi.hsrp = None;
        }
    }
}

/// Config text as a switch shows it: summary VLAN line, long trunk lists
/// wrapped onto `add` lines, one indentation style.
fn render(d: &Device) -> String {
    let mut out = String::from("!Command: show running-config\nversion 9.3(8)\nhostname sw1\n");
    if !d.svis.is_empty() {
        out += "feature interface-vlan\n";
    }
    if d.hsrp {
        out += "feature hsrp\n";
    }
    if d.lacp {
        out += "feature lacp\n";
    }
    if d.vpc.is_some() {
        out += "feature vpc\n";
    }
    if d.ntp {
        out += "ntp server 192.0.2.250 use-vrf management\n";
    }
    let ids: VlanSet = d.vlans.keys().copied().chain([1]).collect();
    out += &format!("vlan {ids}\n");
    for (id, name) in &d.vlans {
        if let Some(name) = name {
            out += &format!("vlan {id}\n  name {name}\n");
        }
    }
    for vrf in &d.vrfs {
        out += &format!("vrf context {vrf}\n");
    }
    if let Some((domain, priority)) = d.vpc {
        out += &format!("vpc domain {domain}\n  peer-switch\n  role priority {priority}\n");
    }
    if let Some(hosts) = &d.object_group {
        out += "object-group ip address OG1\n";
        for (i, host) in hosts.iter().enumerate() {
            out += &format!("  {} host 10.9.0.{host}\n", (i + 1) * 10);
        }
    }
    for (i, acl) in d.acls.iter().enumerate() {
        if let Some(entries) = acl {
            out += &format!("ip access-list A{i}\n");
            for (seq, entry) in entries {
                out += &format!("  {seq} {}\n", ENTRIES[*entry]);
            }
        }
    }
    for svi in &d.svis {
        out += &format!(
            "interface Vlan{}\n  description {}\n  no shutdown\n",
            svi.vlan, svi.description
        );
        if !svi.redirects {
            out += "  no ip redirects\n";
        }
        if let Some(vrf) = svi.vrf {
            out += &format!("  vrf member {vrf}\n");
        }
        out += &format!("  ip address 10.{}.0.{}/24\n", svi.vlan, svi.address);
        if let Some(priority) = svi.hsrp {
            out += &format!("  hsrp {}\n    preempt\n", svi.vlan);
            if let Some(p) = priority {
                out += &format!("    priority {p}\n");
            }
            out += &format!("    ip 10.{}.0.254\n", svi.vlan);
        }
    }
    if let Some((description, list)) = &d.port_channel {
        out += &format!("interface port-channel10\n  description {description}\n  switchport\n  switchport mode trunk\n");
        out += &trunk_lines(list);
        if d.vpc.is_some() {
            out += "  vpc 10\n";
        }
    }
    if d.loopback {
        out += "interface loopback0\n  ip address 10.255.0.1/32\n";
    }
    for (i, port) in d.ports.iter().enumerate() {
        out += &format!("interface Ethernet1/{}\n", i + 1);
        let Some(port) = port else { continue };
        if let Some(description) = &port.description {
            out += &format!("  description {description}\n");
        }
        match &port.mode {
            PortMode::Trunk(list) => {
                out += "  switchport\n  switchport mode trunk\n";
                out += &trunk_lines(list);
            }
            PortMode::Access(vlan) => {
                out += &format!("  switchport\n  switchport access vlan {vlan}\n");
            }
            PortMode::Routed { address, acl } => {
                out += &format!("  no switchport\n  ip address 192.0.2.{address}/31\n");
                if let Some(acl) = acl {
                    out += &format!("  ip access-group A{acl} in\n");
                }
            }
            PortMode::Member(group) => {
                let list = d
                    .port_channel
                    .as_ref()
                    .map(|(_, l)| l.clone())
                    .unwrap_or_default();
                out += "  switchport\n  switchport mode trunk\n";
                out += &trunk_lines(&list);
                out += &format!("  channel-group {group} mode active\n");
            }
        }
        if let Some(mtu) = port.mtu {
            out += &format!("  mtu {mtu}\n");
        }
        out += if port.shutdown {
            "  shutdown\n"
        } else {
            "  no shutdown\n"
        };
    }
    out
}

/// Lists of more than three VLANs wrap onto `add` lines.
fn trunk_lines(list: &[u16]) -> String {
    if list.is_empty() {
        return "  switchport trunk allowed vlan none\n".into();
    }
    let mut out = String::new();
    for (i, chunk) in list.chunks(3).enumerate() {
        let set: VlanSet = chunk.iter().copied().collect();
        let verb = if i == 0 { "" } else { "add " };
        out += &format!("  switchport trunk allowed vlan {verb}{set}\n");
    }
    out
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=N for a deeper search.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn a_config_against_itself_plans_nothing(x in device()) {
        let text = render(&x);
        let commands = diff_texts(&text, &text).unwrap();
        prop_assert!(commands.is_empty(), "{commands:#?}\nfor\n{text}");
    }

    #[test]
    fn applying_the_remediation_to_x_gives_y(x in device(), y in device()) {
        let (x_text, y_text) = (render(&x), render(&y));
        let commands = diff_texts(&x_text, &y_text).unwrap();
        let mut switch = Switch::new(parse_nxos(&x_text).unwrap());
        for command in &commands {
            if let Err(refused) = switch.type_command(command) {
                prop_assert!(false, "refused: {refused}\ncommands:\n{}\nX:\n{x_text}\nY:\n{y_text}", commands.join("\n"));
            }
        }
        let want = effective(&parse_nxos(&y_text).unwrap().nodes, LAYER2);
        let got = effective(&switch.config, LAYER2);
        prop_assert_eq!(got, want, "commands:\n{}\nX:\n{}\nY:\n{}", commands.join("\n"), x_text, y_text);
        // Once applied, nothing is left to do.
        let after = print(&ConfigTree { nodes: switch.config });
        let again = diff_texts(&after, &y_text).unwrap();
        prop_assert!(again.is_empty(), "second plan: {again:#?}");
    }

    #[test]
    fn a_plan_in_inventory_scope_converges_and_leaves_the_rest_alone(
        x in device(),
        y in device(),
        other_vlans in vlan_list(),
        prune in any::<bool>(),
    ) {
        let (x_text, y_text) = (render(&x), render(&y));
        let managed = Managed {
            vlans: y.vlans.keys().copied().chain(other_vlans).collect(),
            vrfs: y.vrfs.iter().map(|v| v.to_string()).collect(),
            prune,
        };
        let plan = |running: &str| {
            plan_device(Request {
                device: "sw1",
                platform: liaison::platform::Platform::Nxos,
                running: parse_nxos(running).unwrap(),
                intended: parse_nxos(&y_text).unwrap(),
                labels: ("running", "intended"),
                scope: Scope::Inventory(&managed),
                tolerated: &[],
                defaults: Sides::same(FALLBACK.defaults),
                management: Management::default(),
            })
        };
        let commands: Vec<String> = plan(&x_text).lines().collect();
        let mut switch = Switch::new(parse_nxos(&x_text).unwrap());
        for command in &commands {
            if let Err(refused) = switch.type_command(command) {
                prop_assert!(false, "refused: {refused}\ncommands:\n{}\nX:\n{x_text}\nY:\n{y_text}", commands.join("\n"));
            }
        }
        let after = switch.show_running_config();
        let again = plan(&after);
        prop_assert!(
            again.commands.is_empty(),
            "second plan: {:#?}\nfirst:\n{}\nX:\n{x_text}\nY:\n{y_text}",
            again.commands,
            commands.join("\n")
        );
        if x.ntp {
            prop_assert!(after.contains("ntp server 192.0.2.250"), "an unmanaged line went");
        }
    }
}

/// The planner's idea of the same defaults the model switch has.
fn port_defaults(d: Defaults) -> PortDefaults {
    PortDefaults {
        switched: d.layer2,
        switched_shutdown: d.layer2_shut,
    }
}

fn switch_kind() -> impl Strategy<Value = Defaults> {
    prop::sample::select(vec![LAYER2, LAYER3, LAYER2_SHUT])
}

/// Plans what `switch` shows against `intended`, types the plan into it,
/// and returns the commands and the second plan.
fn apply_and_replan(
    switch: &mut Switch,
    intended: &str,
) -> Result<(Vec<String>, Vec<String>), String> {
    let defaults = liaison::plan::Sides::same(port_defaults(switch.defaults));
    let shown = switch.show_running_config();
    let commands = diff_texts_with(&shown, intended, defaults).unwrap();
    for command in &commands {
        switch.type_command(command).map_err(|refused| {
            format!(
                "refused: {refused}\ncommands:\n{}\nshown:\n{shown}",
                commands.join("\n")
            )
        })?;
    }
    let again = diff_texts_with(&switch.show_running_config(), intended, defaults).unwrap();
    Ok((commands, again))
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn one_plan_converges_on_every_kind_of_switch(x in device(), y in device(), kind in switch_kind()) {
        let (x_text, y_text) = (render(&x), render(&y));
        let mut switch = Switch::with_defaults(parse_nxos(&x_text).unwrap(), kind);
        let (commands, again) = match apply_and_replan(&mut switch, &y_text) {
            Ok(result) => result,
            Err(refused) => return Err(TestCaseError::fail(format!("{refused}\nY:\n{y_text}"))),
        };
        prop_assert!(again.is_empty(), "second plan on {kind:?}: {again:#?}\nfirst:\n{}\nX:\n{x_text}\nY:\n{y_text}", commands.join("\n"));
        let want = effective(&parse_nxos(&y_text).unwrap().nodes, kind);
        let got = effective(&switch.config, kind);
        prop_assert_eq!(got, want, "on {:?}, commands:\n{}\nY:\n{}", kind, commands.join("\n"), y_text);
    }

    #[test]
    fn one_plan_converges_from_a_blank_switch(y in device(), kind in switch_kind()) {
        let y_text = render(&y);
        let mut switch = Switch::with_defaults(parse_nxos("hostname sw1\n").unwrap(), kind);
        let (commands, again) = match apply_and_replan(&mut switch, &y_text) {
            Ok(result) => result,
            Err(refused) => return Err(TestCaseError::fail(format!("{refused}\nY:\n{y_text}"))),
        };
        prop_assert!(again.is_empty(), "second plan on {kind:?}: {again:#?}\nfirst:\n{}\nY:\n{y_text}", commands.join("\n"));
        // Nothing the switch already has by default is sent.
        if kind.layer2 {
            prop_assert!(!commands.iter().any(|c| c.trim() == "switchport"), "{commands:#?}");
        } else {
            prop_assert!(!commands.iter().any(|c| c.trim() == "no switchport"), "{commands:#?}");
        }
    }
}

//! The interface settings NX-OS hides, and how liaison learns them per
//! switch.
//!
//! `show running-config` prints an interface setting only when it differs
//! from the default, and two of those defaults depend on the switch: whether
//! Ethernet ports and port-channels are Layer 2 or Layer 3, and whether
//! Layer 2 ports start shut. So the same port reads `switchport` on one
//! switch and nothing on another. Before two configs are compared, every
//! interface liaison manages is made explicit with its switch's defaults
//! ([`make_explicit`]): both sides then say what they mean.
//!
//! Where a switch's defaults come from, first answer first (each setting on
//! its own; see docs/plan-internals.md "Defaults the switch hides"):
//! 1. the switch itself: `show running-config all | include "system default"`
//!    prints both settings ([`parse_answer`]), asked when liaison fetches;
//! 2. a `system default switchport [shutdown]` line of its running config
//!    (NX-OS prints one when it differs from the factory default);
//! 3. the switch's `port_defaults` in the inventory;
//! 4. its model in [`MODEL_TABLE`], else [`FALLBACK`].

use crate::config::{Node, PartialPortDefaults, PortDefaults};

/// Asks the switch for both settings, explicitly (`all` prints defaults).
pub const SHOW_SYSTEM_DEFAULTS: &str = "show running-config all | include \"system default\"";

/// The factory defaults of the models matching `pattern` (one `*` matches
/// any text), with where that comes from.
#[derive(Clone, Copy, Debug)]
pub struct ModelDefaults {
    pub pattern: &'static str,
    pub defaults: PortDefaults,
    pub source: &'static str,
}

const LAYER_2_UP: PortDefaults = PortDefaults {
    switched: true,
    switched_shutdown: false,
};
const LAYER_3: PortDefaults = PortDefaults {
    switched: false,
    switched_shutdown: false,
};

const GUIDE_10_4: &str = "Cisco Nexus 9000 Series NX-OS Interfaces Configuration Guide, Release 10.4(x), \"Configuring Layer 2 Interfaces\": \"By default, all the ports on Cisco Nexus 9300-EX switches are Layer 3 ports and all the ports on Cisco Nexus 9300 switches are Layer 2 ports\"";
const CLOUD_SCALE_GUESS: &str = "guess (unverified): a Cloud Scale successor of the 9300-EX, taken as Layer 3 like it; confirm with `show running-config all | include \"system default\"` (liaison asks when it fetches) or set port_defaults";

/// Models by factory default, first match wins. The admin default of
/// Layer 2 ports is up everywhere: `system default switchport shutdown` is
/// off unless configured (Batfish's NX-OS model; the public configs in
/// tests/fixtures/nxos print `shutdown` on shut Layer 2 ports and nothing
/// on the others).
pub const MODEL_TABLE: &[ModelDefaults] = &[
    ModelDefaults {
        pattern: "N9K-C93*-EX",
        defaults: LAYER_3,
        source: GUIDE_10_4,
    },
    ModelDefaults {
        pattern: "N9K-C93*-FX",
        defaults: LAYER_3,
        source: CLOUD_SCALE_GUESS,
    },
    ModelDefaults {
        pattern: "N9K-C93*-FX2",
        defaults: LAYER_3,
        source: CLOUD_SCALE_GUESS,
    },
    ModelDefaults {
        pattern: "N9K-C93*-FX3",
        defaults: LAYER_3,
        source: CLOUD_SCALE_GUESS,
    },
    ModelDefaults {
        pattern: "N9K-C93*-GX",
        defaults: LAYER_3,
        source: CLOUD_SCALE_GUESS,
    },
    ModelDefaults {
        pattern: "N9K-C93*",
        defaults: LAYER_2_UP,
        source: GUIDE_10_4,
    },
    ModelDefaults {
        pattern: "N3K-*",
        defaults: LAYER_2_UP,
        source: "Cisco Nexus 3000 ports are Layer 2 by default (Nexus 3000 interfaces configuration guides; Batfish's NX-OS model verifies it for NX-OS 6)",
    },
];

/// For a model not in the table (or no model): Layer 2 ports, up, the
/// common case: of the 136 public NX-OS configs of the corpus, 62 print
/// `no switchport` (Layer 2 default) and 3 a bare `switchport`.
pub const FALLBACK: ModelDefaults = ModelDefaults {
    pattern: "*",
    defaults: LAYER_2_UP,
    source: "liaison's fallback for models not in its table: Layer 2 ports, up (the common case in public NX-OS configs)",
};

/// [`FALLBACK`] in words, for messages.
pub const FALLBACK_DESCRIPTION: &str = "Layer 2 and up by default";

/// Routed Ethernet ports start shut (Nexus 9000 interfaces guide, default
/// settings: admin state shut; Batfish's NX-OS model; the public configs
/// print `no shutdown` on every routed port that is up).
pub const ROUTED_SHUTDOWN: bool = true;

/// The table entry of `model`, if the table has one.
pub fn of_model(model: Option<&str>) -> Option<&'static ModelDefaults> {
    let model = model?;
    MODEL_TABLE.iter().find(|entry| glob(entry.pattern, model))
}

/// `pattern` with at most one `*`, matched case-insensitively.
fn glob(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.to_ascii_uppercase(), text.to_ascii_uppercase());
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.len() >= head.len() + tail.len() && text.starts_with(head) && text.ends_with(tail)
        }
    }
}

/// Port defaults named on the command line: `l2`, `l3`, `l2-shutdown`,
/// `l3-shutdown` (Layer 2 ports start shut), or a model of the table.
pub fn parse_spec(text: &str) -> Result<PortDefaults, String> {
    let named = |switched, switched_shutdown| PortDefaults {
        switched,
        switched_shutdown,
    };
    match text {
        "l2" => Ok(named(true, false)),
        "l2-shutdown" => Ok(named(true, true)),
        "l3" => Ok(named(false, false)),
        "l3-shutdown" => Ok(named(false, true)),
        model => of_model(Some(model)).map(|e| e.defaults).ok_or_else(|| {
            format!(
                "`{model}` is neither l2, l3, l2-shutdown, l3-shutdown nor a model liaison knows ({})",
                MODEL_TABLE
                    .iter()
                    .map(|e| e.pattern)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    }
}

/// What one `system default switchport…` line says, if it is one.
fn system_default(line: &str) -> Option<PartialPortDefaults> {
    let line = line.trim();
    let (negated, rest) = match line.strip_prefix("no ") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, line),
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    match words.as_slice() {
        ["system", "default", "switchport"] => Some(PartialPortDefaults {
            switched: Some(!negated),
            switched_shutdown: None,
        }),
        ["system", "default", "switchport", "shutdown"] => Some(PartialPortDefaults {
            switched: None,
            switched_shutdown: Some(!negated),
        }),
        _ => None,
    }
}

/// The settings lines of `lines` state; the later line wins. Any other
/// line is skipped, whatever it is (`show running-config all` prints many
/// defaults liaison does not read).
fn from_lines<'a>(lines: impl Iterator<Item = &'a str>) -> PartialPortDefaults {
    lines
        .filter_map(system_default)
        .fold(PartialPortDefaults::default(), |known, line| line.or(known))
}

/// The settings the switch's answer to [`SHOW_SYSTEM_DEFAULTS`] states.
pub fn parse_answer(text: &str) -> PartialPortDefaults {
    from_lines(text.lines())
}

/// The settings a config's top-level `system default switchport…` lines
/// state.
pub fn in_config(nodes: &[Node<'_>]) -> PartialPortDefaults {
    from_lines(nodes.iter().map(|n| &*n.text))
}

/// The kinds of interface whose hidden settings liaison states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `EthernetX/Y`: Layer 2 or 3 by the switch's default.
    Port,
    /// `port-channelN`: Layer 2 or 3 by the switch's default, up.
    PortChannel,
    /// `Ethernet1/1.10`, `port-channel1.10`: routed, shut.
    Subinterface,
    /// `VlanN`: shut.
    Svi,
    /// `loopbackN`: up.
    Loopback,
}

fn kind(header: &str) -> Option<Kind> {
    let name = header.strip_prefix("interface ")?;
    let sub = name.contains('.');
    Some(if name.starts_with("Ethernet") {
        if sub {
            Kind::Subinterface
        } else {
            Kind::Port
        }
    } else if name.starts_with("port-channel") {
        if sub {
            Kind::Subinterface
        } else {
            Kind::PortChannel
        }
    } else if name.starts_with("Vlan") {
        Kind::Svi
    } else if name.starts_with("loopback") {
        Kind::Loopback
    } else {
        return None;
    })
}

/// Interface lines that state a default, which NX-OS never prints: the
/// same as their absence (default MTU 1500, ICMP redirects on, HSRP
/// version 1, VLAN 1 as access and native VLAN).
const HIDDEN_LINES: &[&str] = &[
    "mtu 1500",
    "ip redirects",
    "hsrp version 1",
    "switchport access vlan 1",
    "switchport trunk native vlan 1",
];

/// States every hidden setting of the interfaces in `nodes` that liaison
/// manages, with the switch's `defaults`: the layer of ports and
/// port-channels (`switchport` / `no switchport`), the mode of a Layer 2
/// port (`switchport mode access`), and the admin state (`shutdown` / `no
/// shutdown`) of the interfaces `state_admin` names (the admin state
/// changes only where the intended config says so: a config that does not
/// say leaves it alone); drops [`HIDDEN_LINES`].
pub fn make_explicit(
    nodes: &mut [Node<'_>],
    defaults: PortDefaults,
    state_admin: &dyn Fn(&str) -> bool,
) {
    for node in nodes {
        if let Some(kind) = kind(&node.text) {
            let admin = state_admin(&node.text);
            explicit_interface(&mut node.children, kind, defaults, admin);
        }
    }
}

/// Whether an interface states its admin state.
pub fn states_admin(node: &Node<'_>) -> bool {
    node.children
        .iter()
        .any(|c| c.text == "shutdown" || c.text == "no shutdown")
}

fn explicit_interface(
    children: &mut Vec<Node<'_>>,
    kind: Kind,
    defaults: PortDefaults,
    admin: bool,
) {
    children.retain(|c| !HIDDEN_LINES.contains(&&*c.text));
    let mut switched = false;
    if matches!(kind, Kind::Port | Kind::PortChannel) {
        let stated = children.iter().rev().find_map(|c| match &*c.text {
            "switchport" => Some(true),
            "no switchport" => Some(false),
            _ => None,
        });
        switched = stated.unwrap_or(defaults.switched);
        // Where NX-OS prints it: after the description.
        let after_description = children
            .iter()
            .position(|c| c.text.starts_with("description "))
            .map_or(0, |i| i + 1);
        let mut at = after_description;
        if stated.is_none() {
            let line = if switched {
                "switchport"
            } else {
                "no switchport"
            };
            children.insert(at, Node::new(line));
            at += 1;
        } else if let Some(i) = children
            .iter()
            .position(|c| c.text == "switchport" || c.text == "no switchport")
        {
            at = i + 1;
        }
        if switched
            && !children
                .iter()
                .any(|c| c.text.starts_with("switchport mode "))
        {
            children.insert(at, Node::new("switchport mode access"));
        }
    }
    if admin
        && !children
            .iter()
            .any(|c| c.text == "shutdown" || c.text == "no shutdown")
    {
        let down = match kind {
            Kind::Port if switched => defaults.switched_shutdown,
            Kind::Port => ROUTED_SHUTDOWN,
            Kind::PortChannel | Kind::Loopback => false,
            Kind::Subinterface | Kind::Svi => true,
        };
        children.push(Node::new(if down { "shutdown" } else { "no shutdown" }));
    }
}

/// The interface `header` as the switch has it before anything is
/// configured on it, stated explicitly; None for an interface without
/// hidden settings liaison knows.
pub fn factory_state(header: &str, defaults: PortDefaults) -> Option<Node<'static>> {
    let kind = kind(header)?;
    let mut children = Vec::new();
    explicit_interface(&mut children, kind, defaults, true);
    Some(Node::with_children(header.to_string(), children))
}

/// The running config of a factory-new switch (`plan --blank`,
/// `--greenfield`), as far as a plan of `intended` on it needs: NX-OS
/// prints every physical port, bare, and nothing else liaison manages
/// (no feature, VLAN, vPC domain, port-channel or SVI; spanning-tree in
/// its hidden default mode). A bare port means its factory state, which
/// the plan states with the switch's own defaults ([`make_explicit`]):
/// the same blank config is routed and shut on a Layer-3-default switch,
/// Layer 2 and up on a Layer-2-default one. Breakout lanes are left out:
/// they exist only once the port is broken out.
pub fn blank_running(intended: &[Node<'_>]) -> String {
    let mut text = String::new();
    for node in intended {
        let lane = node.text.matches('/').count() > 1;
        if kind(&node.text) == Some(Kind::Port) && !lane {
            text.push_str(&node.text);
            text.push('\n');
        }
    }
    text
}

/// Whether the explicit interface `node` is in its factory state: what
/// `default interface` leaves (the same lines, in any order; a node that
/// does not state its admin state has the default one).
pub fn is_factory_state(node: &Node<'_>, defaults: PortDefaults) -> bool {
    let Some(kind) = kind(&node.text) else {
        return node.children.is_empty();
    };
    let Some(factory) = factory_state(&node.text, defaults) else {
        return node.children.is_empty();
    };
    // Stating the hidden settings drops hidden lines and adds factory
    // ones: any other line (a description) rules the factory state out,
    // without the copy and sort below (run for every port of a plan).
    if node.children.iter().any(|c| {
        !c.children.is_empty()
            || !(HIDDEN_LINES.contains(&&*c.text) || factory.children.contains(c))
    }) {
        return false;
    }
    let mut stated = node.children.clone();
    explicit_interface(&mut stated, kind, defaults, true);
    let sorted = |nodes: &[Node<'_>]| {
        let mut texts: Vec<String> = nodes.iter().map(|n| n.text.to_string()).collect();
        texts.sort();
        texts
    };
    sorted(&stated) == sorted(&factory.children)
}

const STP_MODE: &str = "spanning-tree mode ";

/// A config without a `spanning-tree mode` line runs Rapid PVST+, the
/// default NX-OS does not print: when one side states a mode and the other
/// does not, the other gets the default stated.
pub fn state_stp_mode(a: &mut Vec<Node<'_>>, b: &mut Vec<Node<'_>>) {
    state_hidden_line(a, b, STP_MODE, "spanning-tree mode rapid-pvst");
}

/// When one side has a top-level line starting with `prefix` and the other
/// has none, the other gets `default` (the value its switch hides).
pub(crate) fn state_hidden_line(
    a: &mut Vec<Node<'_>>,
    b: &mut Vec<Node<'_>>,
    prefix: &str,
    default: &'static str,
) {
    let has = |nodes: &[Node<'_>]| nodes.iter().any(|n| n.text.starts_with(prefix));
    let default = || Node::new(default);
    match (has(a), has(b)) {
        (true, false) => b.push(default()),
        (false, true) => a.push(default()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::nxos::{parse as parse_nxos, print};

    const L2: PortDefaults = LAYER_2_UP;
    const L3: PortDefaults = LAYER_3;
    const L2_SHUT: PortDefaults = PortDefaults {
        switched: true,
        switched_shutdown: true,
    };

    fn explicit(text: &str, defaults: PortDefaults) -> String {
        let mut tree = parse_nxos(text).unwrap();
        make_explicit(&mut tree.nodes, defaults, &|_| true);
        print(&tree)
    }

    #[test]
    fn an_empty_port_is_layer_2_access_and_up_on_a_layer_2_switch() {
        assert_eq!(
            explicit("interface Ethernet1/1\n", L2),
            "interface Ethernet1/1\n  switchport\n  switchport mode access\n  no shutdown\n"
        );
        assert_eq!(
            explicit("interface Ethernet1/1\n", L2_SHUT),
            "interface Ethernet1/1\n  switchport\n  switchport mode access\n  shutdown\n"
        );
    }

    #[test]
    fn a_blank_switch_has_every_whole_port_of_the_intent_bare_and_nothing_else() {
        let intended = parse_nxos(
            "hostname tor1a\nfeature lacp\nvlan 10\ninterface port-channel1\n  switchport mode trunk\ninterface Ethernet1/1\n  channel-group 1 mode active\ninterface Ethernet1/10/2\n  switchport\ninterface Ethernet1/1.20\n  encapsulation dot1q 20\ninterface Vlan10\n  no shutdown\ninterface Ethernet1/49\n  no switchport\n",
        )
        .unwrap();
        assert_eq!(
            blank_running(&intended.nodes),
            "interface Ethernet1/1\ninterface Ethernet1/49\n"
        );
    }

    #[test]
    fn an_empty_port_is_routed_and_shut_on_a_layer_3_switch() {
        assert_eq!(
            explicit("interface Ethernet1/1\n", L3),
            "interface Ethernet1/1\n  no switchport\n  shutdown\n"
        );
    }

    #[test]
    fn the_layer_decides_the_admin_default_of_a_port() {
        // A routed port on a Layer 2 switch starts shut; a Layer 2 port on
        // a Layer 3 switch starts up.
        assert_eq!(
            explicit(
                "interface Ethernet1/1\n  description up\n  no switchport\n",
                L2
            ),
            "interface Ethernet1/1\n  description up\n  no switchport\n  shutdown\n"
        );
        assert_eq!(
            explicit(
                "interface Ethernet1/1\n  description x\n  switchport\n  switchport mode trunk\n",
                L3
            ),
            "interface Ethernet1/1\n  description x\n  switchport\n  switchport mode trunk\n  no shutdown\n"
        );
    }

    #[test]
    fn the_same_port_read_on_either_kind_of_switch_means_the_same() {
        // What each kind of switch prints for an up Layer 2 trunk.
        let on_l2 = "interface Ethernet1/1\n  switchport mode trunk\n";
        let on_l3 = "interface Ethernet1/1\n  switchport\n  switchport mode trunk\n";
        assert_eq!(explicit(on_l2, L2), explicit(on_l3, L3));
        // And for an up routed port.
        let on_l2 =
            "interface Ethernet1/2\n  no switchport\n  ip address 192.0.2.1/31\n  no shutdown\n";
        let on_l3 = "interface Ethernet1/2\n  ip address 192.0.2.1/31\n  no shutdown\n";
        assert_eq!(explicit(on_l2, L2), explicit(on_l3, L3));
    }

    #[test]
    fn port_channels_svis_loopbacks_and_subinterfaces_get_their_admin_default() {
        assert_eq!(
            explicit("interface port-channel1\n  switchport mode trunk\n", L2),
            "interface port-channel1\n  switchport\n  switchport mode trunk\n  no shutdown\n"
        );
        assert_eq!(
            explicit("interface port-channel1\n", L3),
            "interface port-channel1\n  no switchport\n  no shutdown\n"
        );
        assert_eq!(
            explicit("interface Vlan10\n  ip address 10.0.0.1/24\n", L2),
            "interface Vlan10\n  ip address 10.0.0.1/24\n  shutdown\n"
        );
        assert_eq!(
            explicit("interface loopback0\n", L3),
            "interface loopback0\n  no shutdown\n"
        );
        assert_eq!(
            explicit("interface Ethernet1/1.10\n  encapsulation dot1q 10\n", L2),
            "interface Ethernet1/1.10\n  encapsulation dot1q 10\n  shutdown\n"
        );
        // Other interfaces and other sections are left as they are.
        assert_eq!(
            explicit("interface mgmt0\n  vrf member management\nvlan 10\n", L2),
            "interface mgmt0\n  vrf member management\nvlan 10\n"
        );
    }

    #[test]
    fn the_admin_state_is_stated_only_where_asked() {
        let mut tree = parse_nxos("interface Ethernet1/1\ninterface Ethernet1/2\n").unwrap();
        make_explicit(&mut tree.nodes, L2, &|h| h.ends_with("1/2"));
        assert_eq!(
            print(&tree),
            "interface Ethernet1/1\n  switchport\n  switchport mode access\n\ninterface Ethernet1/2\n  switchport\n  switchport mode access\n  no shutdown\n"
        );
    }

    #[test]
    fn lines_that_state_a_default_are_dropped() {
        assert_eq!(
            explicit(
                "interface Vlan10\n  no shutdown\n  mtu 1500\n  ip redirects\n  hsrp version 1\n",
                L2
            ),
            "interface Vlan10\n  no shutdown\n"
        );
        assert_eq!(
            explicit(
                "interface Ethernet1/1\n  switchport access vlan 1\n  switchport trunk native vlan 1\n  mtu 9216\n  no shutdown\n",
                L2
            ),
            "interface Ethernet1/1\n  switchport\n  switchport mode access\n  mtu 9216\n  no shutdown\n"
        );
    }

    #[test]
    fn explicit_is_idempotent() {
        for d in [L2, L3, L2_SHUT] {
            let once = explicit("interface Ethernet1/1\ninterface port-channel2\n", d);
            assert_eq!(explicit(&once, d), once);
            // Made explicit, the text no longer depends on the defaults.
            for other in [L2, L3, L2_SHUT] {
                assert_eq!(explicit(&once, other), once);
            }
        }
    }

    #[test]
    fn factory_states() {
        let port = factory_state("interface Ethernet1/7", L3).unwrap();
        assert!(is_factory_state(&port, L3));
        assert!(!is_factory_state(&port, L2));
        let mut tree = parse_nxos("interface Ethernet1/7\n  no shutdown\n  switchport\n").unwrap();
        make_explicit(&mut tree.nodes, L2, &|_| true);
        assert!(is_factory_state(&tree.nodes[0], L2));
        // Silent about its admin state: the default one.
        let empty = parse_nxos("interface Ethernet1/7\n").unwrap();
        assert!(is_factory_state(&empty.nodes[0], L3));
        let shut = parse_nxos("interface Ethernet1/7\n  shutdown\n").unwrap();
        assert!(!is_factory_state(&shut.nodes[0], L2));
        // A hidden line is no configuration; a description is.
        let hidden = parse_nxos("interface Ethernet1/7\n  mtu 1500\n").unwrap();
        assert!(is_factory_state(&hidden.nodes[0], L3));
        let described = parse_nxos("interface Ethernet1/7\n  description spare\n").unwrap();
        assert!(!is_factory_state(&described.nodes[0], L3));
        assert!(factory_state("interface mgmt0", L2).is_none());
    }

    #[test]
    fn the_switch_answer_is_read_whatever_else_it_prints() {
        let answer = "\n!Command: show running-config all | include \"system default\"\n!Time: Tue\nsystem default switchport\nno system default switchport shutdown\nsystem default interface pause mode edge\n  system default switchport fabricpath\nswitch# \n";
        assert_eq!(
            parse_answer(answer),
            PartialPortDefaults {
                switched: Some(true),
                switched_shutdown: Some(false),
            }
        );
        assert_eq!(
            parse_answer("no system default switchport\nsystem default switchport shutdown\n"),
            PartialPortDefaults {
                switched: Some(false),
                switched_shutdown: Some(true),
            }
        );
        assert!(parse_answer("% Invalid command at '^' marker.\n").is_empty());
    }

    #[test]
    fn a_config_line_states_what_differs_from_the_factory() {
        let tree =
            parse_nxos("hostname a\nsystem default switchport shutdown\ninterface Ethernet1/1\n")
                .unwrap();
        assert_eq!(
            in_config(&tree.nodes),
            PartialPortDefaults {
                switched: None,
                switched_shutdown: Some(true),
            }
        );
    }

    #[test]
    fn models_find_their_defaults() {
        assert!(!of_model(Some("N9K-C93180YC-EX")).unwrap().defaults.switched);
        assert!(!of_model(Some("n9k-c93180yc-fx")).unwrap().defaults.switched);
        assert!(of_model(Some("N9K-C9372PX")).unwrap().defaults.switched);
        assert!(of_model(Some("N3K-C3164Q")).unwrap().defaults.switched);
        assert!(of_model(Some("N7K-C7010")).is_none());
        assert!(of_model(None).is_none());
        for entry in MODEL_TABLE {
            assert!(!entry.source.is_empty(), "{} has no source", entry.pattern);
        }
    }

    #[test]
    fn command_line_specs() {
        assert_eq!(parse_spec("l3"), Ok(L3));
        assert_eq!(parse_spec("l2-shutdown"), Ok(L2_SHUT));
        assert_eq!(parse_spec("N9K-C9372PX"), Ok(L2));
        assert!(parse_spec("layer9").unwrap_err().contains("N9K-C93*-EX"));
    }

    #[test]
    fn an_unstated_spanning_tree_mode_is_rapid_pvst() {
        let mut a = parse_nxos("spanning-tree mode mst\n").unwrap().nodes;
        let mut b = parse_nxos("hostname x\n").unwrap().nodes;
        state_stp_mode(&mut a, &mut b);
        assert_eq!(b[1].text, "spanning-tree mode rapid-pvst");
        let mut c = parse_nxos("hostname x\n").unwrap().nodes;
        let mut d = parse_nxos("hostname y\n").unwrap().nodes;
        state_stp_mode(&mut c, &mut d);
        assert_eq!((c.len(), d.len()), (1, 1));
    }
}

//! The interface settings EOS hides.
//!
//! EOS ports are Layer 2 switchports and enabled unless configured
//! otherwise: Arista EOS User Manual, "Ethernet Ports" / "Port Channels"
//! (Ethernet and port-channel interfaces are switched ports by default;
//! `no switchport` makes one routed) and "shutdown (Interfaces)" (an
//! interface is enabled by default; `shutdown` disables it). The public
//! corpus agrees: its configs print `no switchport` on routed ports and
//! `shutdown` on disabled ones. EOS has no `system default switchport`
//! command, so a config never states other defaults, and every model
//! liaison knows has the same ones.

use crate::config::{Node, PartialPortDefaults, PortDefaults};

use super::config::order_interface;

/// Layer 2 switchports, enabled.
pub const DEFAULTS: PortDefaults = PortDefaults {
    switched: true,
    switched_shutdown: false,
};

/// Port defaults named on the command line: EOS has one set for every
/// model (see the module comment), so only `l2`, the name of
/// [`DEFAULTS`], is accepted.
pub fn parse_spec(text: &str) -> Result<PortDefaults, String> {
    match text {
        "l2" => Ok(DEFAULTS),
        other => Err(format!(
            "`{other}` is not l2: EOS ports are Layer 2 and enabled by default on every model"
        )),
    }
}

/// The command that shows the switch's port defaults. EOS has no command
/// that changes them globally, so the answer is the running config's
/// switchport lines; a guess, unused while EOS is not fetched for a plan.
pub const SHOW_PORT_DEFAULTS: &str = "show running-config all | include switchport default";

/// Interface lines that state a default (VLAN 1 as access and native
/// VLAN, Arista EOS User Manual "switchport access vlan", "switchport
/// trunk native vlan"): the same as their absence.
const HIDDEN_LINES: &[&str] = &["switchport access vlan 1", "switchport trunk native vlan 1"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `Ethernet1`, `Ethernet49/1`: Layer 2 by default.
    Port,
    /// `Port-Channel10`: Layer 2 by default.
    PortChannel,
    /// `Ethernet1.10`, `Port-Channel8.101`, `Vlan10`, `Loopback0`: routed.
    Other,
}

fn kind(header: &str) -> Option<Kind> {
    let name = header.strip_prefix("interface ")?;
    let sub = name.contains('.');
    Some(if name.starts_with("Ethernet") && !sub {
        Kind::Port
    } else if name.starts_with("Port-Channel") && !sub {
        Kind::PortChannel
    } else if ["Ethernet", "Port-Channel", "Vlan", "Loopback"]
        .iter()
        .any(|k| name.starts_with(k))
    {
        Kind::Other
    } else {
        return None;
    })
}

/// A physical port (`Ethernet1`, `Ethernet49/1`), not a subinterface.
pub fn is_physical_port(header: &str) -> bool {
    kind(header) == Some(Kind::Port)
}

/// Whether an interface states its admin state.
pub fn states_admin(node: &Node<'_>) -> bool {
    admin_stated(&node.children)
}

fn admin_stated(lines: &[Node<'_>]) -> bool {
    lines
        .iter()
        .any(|c| c.text == "shutdown" || c.text == "no shutdown")
}

/// States every hidden setting of the interfaces in `nodes`: the layer of
/// ports and port-channels (`switchport` / `no switchport`), the mode of a
/// Layer 2 one (`switchport mode access`), the admin state where
/// `state_admin` says so; drops [`HIDDEN_LINES`]; orders the lines as EOS
/// prints them.
pub fn make_explicit(
    nodes: &mut [Node<'_>],
    defaults: PortDefaults,
    state_admin: &dyn Fn(&str) -> bool,
) {
    for node in nodes {
        let Some(kind) = kind(&node.text) else {
            continue;
        };
        let admin = state_admin(&node.text);
        let children = &mut node.children;
        children.retain(|c| !HIDDEN_LINES.contains(&&*c.text));
        let mut switched = false;
        if matches!(kind, Kind::Port | Kind::PortChannel) {
            let stated = children.iter().rev().find_map(|c| match &*c.text {
                "switchport" => Some(true),
                "no switchport" => Some(false),
                _ => None,
            });
            switched = stated.unwrap_or(defaults.switched);
            if stated.is_none() {
                children.push(Node::new(if switched {
                    "switchport"
                } else {
                    "no switchport"
                }));
            }
            if switched
                && !children
                    .iter()
                    .any(|c| c.text.starts_with("switchport mode "))
            {
                children.push(Node::new("switchport mode access"));
            }
        }
        if admin && !admin_stated(children) {
            // Guess for routed ports, SVIs and subinterfaces: enabled like
            // every other EOS interface (the manual's `shutdown` default).
            let down = kind == Kind::Port && switched && defaults.switched_shutdown;
            children.push(Node::new(if down { "shutdown" } else { "no shutdown" }));
        }
        order_interface(children);
    }
}

/// The section a port or port-channel `header` has before anything
/// configures it (what `default interface` leaves, Arista EOS User
/// Manual, "default interface"), its hidden settings stated; None for
/// another section.
pub fn factory_state(header: &str, defaults: PortDefaults) -> Option<Node<'static>> {
    if !matches!(kind(header)?, Kind::Port | Kind::PortChannel) {
        return None;
    }
    let mut node = [Node::new(header.to_string())];
    make_explicit(&mut node, defaults, &|_| true);
    let [node] = node;
    Some(node)
}

/// Whether `node`, its hidden settings stated or not, is a port in its
/// factory state (the same lines in any order; an unstated admin state is
/// the default one).
pub fn is_factory_state(node: &Node<'_>, defaults: PortDefaults) -> bool {
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
    let mut stated = [node.clone()];
    make_explicit(&mut stated, defaults, &|_| true);
    let sorted = |nodes: &[Node<'_>]| {
        let mut texts: Vec<String> = nodes.iter().map(|n| n.text.to_string()).collect();
        texts.sort();
        texts
    };
    sorted(&stated[0].children) == sorted(&factory.children)
}

/// The running config of a factory-new EOS switch as far as a plan of
/// `intended` needs: every physical port of the intent, bare (EOS prints
/// each front-panel port, `Ethernet49/1` for an unbroken QSFP port too),
/// and nothing else liaison manages.
pub fn blank_running(intended: &[Node<'_>]) -> String {
    let mut text = String::new();
    for node in intended {
        if is_physical_port(&node.text) {
            text.push_str(&node.text);
            text.push('\n');
        }
    }
    text
}

/// EOS configs never state other port defaults.
pub fn in_config(_nodes: &[Node<'_>]) -> PartialPortDefaults {
    PartialPortDefaults::default()
}

/// A config without a `spanning-tree mode` line runs MSTP, the EOS default
/// (Arista EOS User Manual, "spanning-tree mode": "The default mode is
/// MSTP"): when one side states a mode and the other does not, the other
/// gets the default stated.
pub fn state_stp_mode(a: &mut Vec<Node<'_>>, b: &mut Vec<Node<'_>>) {
    crate::platform::nxos::defaults::state_hidden_line(
        a,
        b,
        "spanning-tree mode ",
        "spanning-tree mode mstp",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigTree;
    use crate::platform::eos::{parse, print};

    #[test]
    fn only_the_one_set_of_port_defaults_is_named() {
        assert_eq!(parse_spec("l2"), Ok(DEFAULTS));
        let refused = parse_spec("l3").unwrap_err();
        assert!(refused.contains("`l3` is not l2"), "{refused}");
    }

    fn explicit(text: &str, defaults: PortDefaults) -> String {
        let mut tree = parse(text).unwrap();
        make_explicit(&mut tree.nodes, defaults, &|_| true);
        print(&tree)
    }

    #[test]
    fn an_empty_port_is_a_layer_2_access_port_and_enabled() {
        assert_eq!(
            explicit("interface Ethernet1\n", DEFAULTS),
            "interface Ethernet1\n   no shutdown\n   switchport mode access\n   switchport\n"
        );
        assert_eq!(
            explicit(
                "interface Port-Channel10\n   switchport mode trunk\n",
                DEFAULTS
            ),
            "interface Port-Channel10\n   no shutdown\n   switchport mode trunk\n   switchport\n"
        );
    }

    #[test]
    fn routed_ports_svis_and_stated_lines_are_kept_as_they_say() {
        assert_eq!(
            explicit(
                "interface Ethernet2\n   no switchport\n   ip address 192.0.2.1/31\n   shutdown\n",
                DEFAULTS
            ),
            "interface Ethernet2\n   shutdown\n   no switchport\n   ip address 192.0.2.1/31\n"
        );
        assert_eq!(
            explicit("interface Vlan10\n   ip address 10.0.0.1/24\n", DEFAULTS),
            "interface Vlan10\n   no shutdown\n   ip address 10.0.0.1/24\n"
        );
        assert_eq!(
            explicit(
                "interface Ethernet3\n   switchport access vlan 1\n   switchport\n",
                DEFAULTS
            ),
            "interface Ethernet3\n   no shutdown\n   switchport mode access\n   switchport\n"
        );
        // Other sections are left alone.
        assert_eq!(
            explicit("interface Management1\n   vrf MGMT\nvlan 10\n", DEFAULTS),
            "interface Management1\n   vrf MGMT\nvlan 10\n"
        );
    }

    #[test]
    fn explicit_is_idempotent_and_spelling_free() {
        let once = explicit("interface Ethernet1\ninterface Port-Channel2\n", DEFAULTS);
        assert_eq!(explicit(&once, DEFAULTS), once);
        assert_eq!(
            explicit("interface Ethernet1\n   switchport mode access\n", DEFAULTS),
            explicit(
                "interface Ethernet1\n   switchport\n   no shutdown\n",
                DEFAULTS
            )
        );
    }

    #[test]
    fn a_port_in_its_factory_state_is_a_bare_one() {
        let factory = factory_state("interface Ethernet7", DEFAULTS).unwrap();
        assert_eq!(
            explicit("interface Ethernet7\n", DEFAULTS),
            print(&ConfigTree {
                nodes: vec![factory]
            })
        );
        assert!(factory_state("interface Vlan10", DEFAULTS).is_none());
        let bare = parse("interface Ethernet7\n").unwrap();
        assert!(is_factory_state(&bare.nodes[0], DEFAULTS));
        let stated = parse("interface Ethernet7\n   switchport\n   no shutdown\n").unwrap();
        assert!(is_factory_state(&stated.nodes[0], DEFAULTS));
        let used = parse("interface Ethernet7\n   switchport access vlan 10\n").unwrap();
        assert!(!is_factory_state(&used.nodes[0], DEFAULTS));
        let shut = parse("interface Ethernet7\n   shutdown\n").unwrap();
        assert!(!is_factory_state(&shut.nodes[0], DEFAULTS));
        // A hidden line is no configuration; a description is.
        let hidden = parse("interface Ethernet7\n   switchport access vlan 1\n").unwrap();
        assert!(is_factory_state(&hidden.nodes[0], DEFAULTS));
        let described = parse("interface Ethernet7\n   description spare\n").unwrap();
        assert!(!is_factory_state(&described.nodes[0], DEFAULTS));
    }

    #[test]
    fn a_blank_switch_has_the_physical_ports_of_the_intent_bare() {
        let intended = parse("hostname a\ninterface Ethernet1\n   switchport\ninterface Ethernet49/1\ninterface Ethernet1.10\ninterface Port-Channel1\ninterface Vlan10\n").unwrap();
        assert_eq!(
            blank_running(&intended.nodes),
            "interface Ethernet1\ninterface Ethernet49/1\n"
        );
    }

    #[test]
    fn an_unstated_spanning_tree_mode_is_mstp() {
        let mut a = parse("spanning-tree mode rapid-pvst\n").unwrap().nodes;
        let mut b = parse("hostname x\n").unwrap().nodes;
        state_stp_mode(&mut a, &mut b);
        assert_eq!(b[1].text, "spanning-tree mode mstp");
        assert!(in_config(&a).is_empty());
    }
}

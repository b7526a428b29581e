//! The EOS dialect: `show running-config` as Arista EOS prints it, read
//! into a tree where two configs that mean the same thing are equal.
//!
//! What EOS prints, and what normalisation does with it (sources: Arista
//! EOS User Manual, "Command-Line Interface" (configuration modes, `end`,
//! `!` comment lines), "VLANs" (`vlan 10-11` creates or edits several
//! VLANs at once), "Ethernet Ports" and "Port Channels" (`switchport trunk
//! allowed vlan [add|remove|except|all|none]`); the 44 public EOS configs
//! of `tests/fixtures/eos`, SOURCES rows in `tests/fixtures/SOURCES.md`):
//! - the `! Command: show running-config` / `! device: …` header and every
//!   `!` line are comments (dropped by the generic parser); the final
//!   `end` closes configuration mode and is dropped here;
//! - 3 spaces of indentation per level (the generic parser nests by
//!   indentation of any width);
//! - `banner login|motd` and `comment` take text lines up to a line `EOF`
//!   ([`TEXT_BLOCKS`]): one node each;
//! - VLANs that share their configuration may be printed collapsed
//!   (`vlan 10-11`): one node per VLAN, merged with any other stanza of the
//!   same VLAN; bare `vlan 1` always exists and is dropped;
//! - a trunk's allowed list is one line; `add`/`remove`/`except` lines of a
//!   typed config fold into the one set they leave (an absent list means
//!   all VLANs);
//! - an ACL entry typed without a sequence number gets the number 10 above
//!   the last one ("Modifying an ACL": "The switch computes the new
//!   rule's sequence number by adding 10 to the last rule's sequence
//!   number"), as EOS then prints it; ACL-wide settings come first;
//! - EOS prints an interface's commands in an order of its own, whatever
//!   order they were typed in (`switchport trunk allowed vlan` before
//!   `switchport mode trunk`): an interface's lines are ordered by
//!   [`INTERFACE_ORDER`], so order never makes two interfaces differ.

use crate::config::key::{Bindings, KeyRules, ListLine, Scope, SingleValue, Value};
use crate::config::Node;
use crate::platform::nxos::config as shared;
use crate::platform::BridgeSetting;
use crate::vlan::VlanSet;

/// The prefix shared by a trunk's allowed list and its `add`/`remove`
/// forms (the same words as on NX-OS).
pub const TRUNK_ALLOWED: &str = shared::TRUNK_ALLOWED;

/// The command that names the switch (Arista EOS User Manual, "Managing
/// the Switch Name": `hostname`, `no hostname` for the default
/// `localhost`).
pub const HOSTNAME: &[&str] = &["hostname "];

/// Top-level lines printed after a blank line even when bare: EOS prints
/// a `!` line after every interface, configured or not (the corpus of
/// `tests/fixtures/eos`); liaison's print puts a blank line there.
pub const SPACED: &[&str] = &["interface "];

/// Commands followed by text lines up to a line `EOF` (Arista EOS User
/// Manual, "banner login", "banner motd", "comment"; printed so in the
/// corpus: `avd__cli_config_gen__banners_without_eof.cfg`,
/// `avd__cli_config_gen__ethernet-interfaces.cfg`).
pub const TEXT_BLOCKS: &[&str] = &["banner login", "banner motd", "comment"];

/// The line that ends every [`TEXT_BLOCKS`] text.
pub const TEXT_BLOCK_END: &str = "EOF";

/// The order EOS prints an interface's commands in, by prefix (first
/// match wins; a line no prefix matches comes after all of them, in the
/// order written). Read from the corpus (AVD's eos_cli_config_gen prints
/// in the device's order, and the captured running configs of hier_config
/// and netutils agree): description, admin state, MTU, then the switchport
/// block with the trunk allowed list before the mode, then bundling, then
/// Layer 3. A guess where the corpus has no interface with both lines.
pub const INTERFACE_ORDER: &[&str] = &[
    "description ",
    "shutdown",
    "no shutdown",
    "load-interval ",
    "logging event ",
    "mtu ",
    "speed ",
    "no switchport",
    "switchport access vlan ",
    "switchport trunk native vlan ",
    "switchport trunk allowed vlan ",
    "switchport mode ",
    "switchport trunk group ",
    "switchport",
    "channel-group ",
    "mlag ",
    "no autostate",
    "vrf ",
    "ip address ",
    "ip virtual-router address ",
    "ip address virtual ",
    "ip access-group ",
    "spanning-tree ",
];

/// The rank of an interface line in [`INTERFACE_ORDER`].
fn interface_rank(text: &str) -> usize {
    INTERFACE_ORDER
        .iter()
        .position(|prefix| match prefix.strip_suffix(' ') {
            Some(word) => text.starts_with(prefix) || text == word,
            None => text == *prefix,
        })
        .unwrap_or(INTERFACE_ORDER.len())
}

/// Orders an interface's lines as EOS prints them (stable: lines of one
/// rank keep their order).
pub fn order_interface(children: &mut [Node<'_>]) {
    children.sort_by_key(|c| interface_rank(&c.text));
}

pub fn normalise(nodes: Vec<Node<'_>>) -> Vec<Node<'_>> {
    let mut expanded = Vec::with_capacity(nodes.len());
    for node in nodes {
        if node.text == "end" && node.children.is_empty() {
            continue;
        }
        match vlan_list(&node.text) {
            Some(set) if !(set.len() == 1 && node.text[5..].parse::<u16>().is_ok()) => {
                let headers = set.iter().map(|id| format!("vlan {id}")).collect();
                shared::push_copies(headers, node.children, &mut expanded);
            }
            _ => expanded.push(node),
        }
    }
    let mut merged = shared::merge_duplicates(expanded);
    merged.retain(|n| !(n.text == "vlan 1" && n.children.is_empty()));
    for node in &mut merged {
        if is_acl(&node.text) {
            // EOS prints well-known ports by name (`eq https`): compared
            // as numbers, as liaison types them.
            crate::config::acl_ports::canonicalise_entries(node, &super::acl_port_names::NAMES);
            shared::number_entries(node, &is_acl_option);
        } else if node.text.starts_with("interface ") {
            shared::fold_trunk_allowed(&mut node.children);
            order_interface(&mut node.children);
        }
    }
    merged
}

/// The VLANs a `vlan 10-11,20` header names, if it is a list of ids.
pub fn vlan_list(header: &str) -> Option<VlanSet> {
    let list = header.strip_prefix("vlan ")?;
    if list.is_empty()
        || !list
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '-')
    {
        return None;
    }
    VlanSet::parse(list).ok()
}

/// ACL-wide settings among an ACL's entries: `counters per-entry` and
/// `permit response traffic nat` (Arista EOS User Manual, "counters
/// per-entry (ACL configuration modes)"; the second as AVD prints it in
/// `avd__cli_config_gen__acl.cfg`, a guess that it is a setting and not
/// an entry: its words are no rule). Every other line is an entry:
/// `[SEQ] permit|deny|remark …`.
const ACL_OPTIONS: &[&str] = &["counters per-entry", "permit response traffic nat"];

fn is_acl_option(text: &str) -> bool {
    let first = text.split(' ').next().unwrap_or("");
    ACL_OPTIONS.contains(&text) || !matches!(first, "permit" | "deny" | "remark")
}

/// The ACL section prefixes: their entries are numbered.
const ACLS: &[&str] = &["ip access-list ", "ipv6 access-list ", "mac access-list "];

pub fn is_acl(header: &str) -> bool {
    ACLS.iter().any(|p| header.starts_with(p))
}

/// What identifies a line among its siblings ([`KeyRules::key`]): an ACL
/// entry by its sequence number; `no X` shares the key of `X`; an ACL
/// binding per direction, the trunk allowed list and the [`SINGLE_VALUE`]
/// settings (the primary `ip address` among them) by name; anything else
/// by the whole line.
pub const KEYS: KeyRules = KeyRules {
    negation: "no ",
    sequenced: ACLS,
    bindings: Bindings {
        within: "interface ",
        commands: &["ip access-group"],
        directions: &["in", "out"],
    },
    list: ListLine {
        prefix: TRUNK_ALLOWED,
        none: "none",
    },
    single_value: SINGLE_VALUE,
};

/// Settings that hold one value within their section: writing the command
/// again replaces the value (Arista EOS User Manual, the commands' pages:
/// "description", "mtu", "switchport mode", "switchport access vlan",
/// "switchport trunk native vlan", "channel-group", "mlag", "vrf
/// (Interface mode)", "hostname", "spanning-tree mode", "domain-id",
/// "local-interface", "peer-address", "peer-link", "name" (VLAN)).
/// A flag is the whole line; a value follows the name after a space.
/// Only within a section: at the top level `vrf instance …` and `mlag
/// configuration` are sections of their own; the settings of the top
/// level are the table's last rows. The primary `ip address` comes first,
/// at any level (a `secondary` one is a line of its own).
const SINGLE_VALUE: &[SingleValue] = &[
    SingleValue::new(
        Scope::Anywhere,
        "ip address",
        Value::RestUnless(" secondary"),
    ),
    SingleValue::new(Scope::Sections, "description", Value::Rest),
    SingleValue::new(Scope::Sections, "shutdown", Value::Rest),
    SingleValue::new(Scope::Sections, "mtu", Value::Rest),
    SingleValue::new(Scope::Sections, "speed", Value::Rest),
    SingleValue::new(Scope::Sections, "switchport mode", Value::Rest),
    SingleValue::new(Scope::Sections, "switchport access vlan", Value::Rest),
    SingleValue::new(Scope::Sections, "switchport trunk native vlan", Value::Rest),
    SingleValue::new(Scope::Sections, "channel-group", Value::Rest),
    SingleValue::new(Scope::Sections, "mlag", Value::Rest),
    SingleValue::new(Scope::Sections, "vrf", Value::Rest),
    SingleValue::new(Scope::Sections, "domain-id", Value::Rest),
    SingleValue::new(Scope::Sections, "local-interface", Value::Rest),
    SingleValue::new(Scope::Sections, "peer-address", Value::Rest),
    SingleValue::new(Scope::Sections, "peer-link", Value::Rest),
    SingleValue::new(Scope::Sections, "name", Value::Rest),
    SingleValue::new(Scope::Sections, "switchport", Value::Flag),
    SingleValue::new(Scope::Sections, "autostate", Value::Rest),
    // The single-value settings of the top level.
    SingleValue::new(Scope::Top, "hostname", Value::Rest),
    SingleValue::new(Scope::Top, "spanning-tree mode", Value::Rest),
];

/// What a top-level spanning-tree line is about: the MST region and an MST
/// instance's priority (`spanning-tree mst 0 priority 16384`), or one
/// VLAN's priority (`spanning-tree vlan-id 10 priority 4096`, Arista EOS
/// User Manual, "spanning-tree priority"/"spanning-tree vlan-id").
pub fn bridge_setting(text: &str) -> Option<BridgeSetting> {
    if text == "spanning-tree mst configuration" {
        return Some(BridgeSetting::Mst);
    }
    if let Some(rest) = text.strip_prefix("spanning-tree mst ") {
        let mut words = rest.split(' ');
        let instance = words.next()?;
        if instance.parse::<u16>().is_ok() && words.next() == Some("priority") {
            return Some(BridgeSetting::Mst);
        }
        return None;
    }
    let rest = text.strip_prefix("spanning-tree vlan-id ")?;
    let (id, setting) = rest.split_once(' ')?;
    let id: u16 = id.parse().ok()?;
    (setting.starts_with("priority ") && (1..=4094).contains(&id))
        .then_some(BridgeSetting::Vlan(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::eos::{parse, print};

    fn key<'a>(parent: Option<&str>, text: &'a str) -> std::borrow::Cow<'a, str> {
        KEYS.key(parent, text)
    }

    #[test]
    fn collapsed_vlans_equal_expanded_ones() {
        let collapsed = parse("vlan 10-11\n   name web\n!\nvlan 20\n").unwrap();
        let expanded =
            parse("vlan 10\n   name web\n!\nvlan 11\n   name web\n!\nvlan 20\n").unwrap();
        assert_eq!(collapsed, expanded);
        assert_eq!(collapsed.nodes.len(), 3);
        // A VLAN of a collapsed stanza configured again is one VLAN.
        let split = parse("vlan 10,12\n   name a\nvlan 12\n   state suspend\n").unwrap();
        assert_eq!(
            print(&split),
            "vlan 10\n   name a\n\nvlan 12\n   name a\n   state suspend\n"
        );
        // Words are not lists; bare VLAN 1 is the default.
        let words = parse("vlan internal order ascending range 1006 1199\nvlan 1\n").unwrap();
        assert_eq!(
            print(&words),
            "vlan internal order ascending range 1006 1199\n"
        );
    }

    #[test]
    fn unnumbered_acl_entries_are_numbered_as_eos_numbers_them() {
        let typed = parse("ip access-list WEB\n   permit tcp any any eq 443\n   30 deny ip any host 10.0.0.1\n   remark rest\n   counters per-entry\n   permit response traffic nat\n").unwrap();
        assert_eq!(
            print(&typed),
            "ip access-list WEB\n   counters per-entry\n   permit response traffic nat\n   10 permit tcp any any eq 443\n   30 deny ip any 10.0.0.1/32\n   40 remark rest\n"
        );
        let printed = parse("ip access-list WEB\n   counters per-entry\n   10 permit tcp any any eq 443\n   30 deny ip any host 10.0.0.1\n   40 remark rest\n   permit response traffic nat\n").unwrap();
        assert_eq!(typed, printed);
    }

    #[test]
    fn acl_entries_the_switch_respells_compare_equal() {
        let typed = parse("ip access-list WEB\n   10 permit tcp 10.1.20.0/24 any eq 443\n   20 permit udp any eq 53 192.0.2.1/32 eq 123\n   30 permit tcp any any eq 22 80 8080 log\n").unwrap();
        let printed = parse("ip access-list WEB\n   10 permit tcp 10.1.20.0/24 any eq https\n   20 permit udp any eq domain host 192.0.2.1 eq ntp\n   30 permit tcp any any eq ssh www 8080 log\n").unwrap();
        assert_eq!(typed, printed);
        // A TCP name is not read on UDP, nor a name EOS does not have.
        let other = parse("ip access-list WEB\n   10 permit udp 10.1.20.0/24 any eq https\n   20 permit tcp any any eq nonesuch\n").unwrap();
        assert_eq!(
            print(&other),
            "ip access-list WEB\n   10 permit udp 10.1.20.0/24 any eq https\n   20 permit tcp any any eq nonesuch\n"
        );
    }

    #[test]
    fn interface_order_does_not_matter() {
        let printed = parse("interface Ethernet3\n   description h\n   switchport trunk allowed vlan 10,20\n   switchport mode trunk\n   switchport\n").unwrap();
        let typed = parse("interface Ethernet3\n   switchport\n   switchport mode trunk\n   description h\n   switchport trunk allowed vlan 10,20\n").unwrap();
        assert_eq!(printed, typed);
        assert_eq!(
            printed.nodes[0].children[1].text,
            "switchport trunk allowed vlan 10,20"
        );
    }

    #[test]
    fn trunk_list_continuations_fold_into_one_line() {
        let typed = parse("interface Port-Channel1\n   switchport trunk allowed vlan 10-12\n   switchport trunk allowed vlan add 20\n   switchport trunk allowed vlan remove 11\n   switchport mode trunk\n").unwrap();
        let printed = parse("interface Port-Channel1\n   switchport trunk allowed vlan 10,12,20\n   switchport mode trunk\n").unwrap();
        assert_eq!(typed, printed);
        let all = parse("interface Ethernet1\n   switchport trunk allowed vlan 1-4094\n   switchport mode trunk\n").unwrap();
        assert_eq!(
            print(&all),
            "interface Ethernet1\n   switchport mode trunk\n"
        );
    }

    #[test]
    fn header_end_and_comments_are_not_config() {
        let tree = parse("! Command: show running-config\n! device: leaf1 (DCS-7050SX3-48YC8, EOS-4.28.3M)\n!\n! boot system flash:/EOS.swi\n!\nhostname leaf1\n!\nend\n").unwrap();
        assert_eq!(print(&tree), "hostname leaf1\n");
    }

    #[test]
    fn banners_and_comments_are_one_node_with_their_text() {
        let text = "banner login\n!!! Unauthorized access prohibited !!!\n  indented\nEOF\n!\ninterface Ethernet1\n   comment\n   first words\n   EOF\n   description x\n";
        let tree = parse(text).unwrap();
        assert_eq!(
            tree.nodes[0].text,
            "banner login\n!!! Unauthorized access prohibited !!!\n  indented\nEOF"
        );
        let interface = &tree.nodes[1];
        assert_eq!(interface.children.len(), 2);
        assert!(interface
            .children
            .iter()
            .any(|c| c.text == "comment\nfirst words\nEOF"));
        assert_eq!(parse(&print(&tree)).unwrap(), tree);
        let error = parse("hostname a\nbanner motd\nno end\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("EOF"), "{error}");
    }

    #[test]
    fn only_hostname_names_the_switch() {
        use crate::plan::fleet::same_switch;
        let path = std::path::Path::new("running/leaf1.cfg");
        let named = parse("hostname leaf2\n").unwrap();
        let error = same_switch(&named, &super::super::Eos, "leaf1", path).unwrap_err();
        assert!(error.to_string().contains("`leaf2`"), "{error}");
        // `switchname` is NX-OS's word, no EOS command: it names nothing.
        let other = parse("switchname leaf2\n").unwrap();
        assert!(same_switch(&other, &super::super::Eos, "leaf1", path).is_ok());
    }

    #[test]
    fn keys_identify_settings() {
        let interface = Some("interface Ethernet1");
        assert_eq!(key(interface, "description a"), "description");
        assert_eq!(key(interface, "no shutdown"), "shutdown");
        assert_eq!(key(interface, "switchport"), "switchport");
        assert_eq!(key(interface, "no switchport"), "switchport");
        assert_eq!(key(interface, "switchport mode trunk"), "switchport mode");
        assert_eq!(
            key(interface, "switchport trunk allowed vlan 10,20"),
            TRUNK_ALLOWED
        );
        assert_eq!(key(interface, "ip address 10.0.0.1/24"), "ip address");
        assert_eq!(
            key(interface, "ip access-group web in"),
            "ip access-group in"
        );
        assert_eq!(key(interface, "mlag 10"), "mlag");
        assert_eq!(key(Some("ip access-list a"), "20 permit ip any any"), "20");
        assert_eq!(
            key(Some("mlag configuration"), "domain-id RACK1"),
            "domain-id"
        );
        assert_eq!(
            key(None, "ntp server vrf MGMT pool.ntp.org"),
            "ntp server vrf MGMT pool.ntp.org"
        );
        assert_eq!(key(None, "vrf instance MGMT"), "vrf instance MGMT");
        assert_eq!(key(None, "mlag configuration"), "mlag configuration");
        assert_eq!(key(None, "hostname leaf1"), "hostname");
        assert_eq!(key(None, "spanning-tree mode mstp"), "spanning-tree mode");
    }

    #[test]
    fn bridge_settings() {
        assert_eq!(
            bridge_setting("spanning-tree mst 0 priority 16384"),
            Some(BridgeSetting::Mst)
        );
        assert_eq!(
            bridge_setting("spanning-tree mst configuration"),
            Some(BridgeSetting::Mst)
        );
        assert_eq!(
            bridge_setting("spanning-tree vlan-id 10 priority 4096"),
            Some(BridgeSetting::Vlan(10))
        );
        assert_eq!(bridge_setting("no spanning-tree vlan-id 4094"), None);
        assert_eq!(bridge_setting("spanning-tree mode mstp"), None);
    }
}

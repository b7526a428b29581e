//! Reading EOS `show mlag detail` and `show mlag interfaces` into a
//! [`PairState`].
//!
//! `show mlag` (and `show mlag detail`, which starts with the same blocks)
//! prints `label : value` lines in three blocks, `MLAG
//! Configuration:` (`domain-id`, `local-interface`, `peer-address`,
//! `peer-link`, and in later releases `peer-config: consistent |
//! inconsistent`), `MLAG Status:` (`state: Active | Inactive | Disabled`,
//! `negotiation status: Connected | Connecting`, `peer-link status: Up |
//! Lowerlayerdown`, `local-int status`, `system-id`) and `MLAG Ports:`
//! (counts per port state). Labels are padded to 20 columns in older
//! releases and to 35 in later ones, values right-aligned, some lines
//! padded with trailing spaces: labels are read up to the first colon and
//! trimmed. A switch without MLAG answers with `state: Disabled` and empty
//! fields, not with an error. `show mlag detail` adds a block, `MLAG
//! Detailed Status:`, whose capitalised `State` is the member's role,
//! `primary` or `secondary` in a formed pair (`disabled` without MLAG),
//! and `Peer State` the peer's (`unknown` without one). Sources: ntc-templates
//! `tests/arista_eos/show_mlag/arista_eos_show_mlag.raw` (copied to
//! tests/fixtures/eos-show/), the cEOS snapshots of
//! titom73/avd-to-containerlab (`show mlag detail` of EAPI-CL01B, an
//! active secondary, of its peer EAPI-CL01A, the primary, and of
//! EAPI-AGG01, a switch without MLAG; the repository states no licence,
//! so the unit tests below follow their layout with values of our own),
//! and public lab write-ups.
//!
//! `show mlag interfaces` is a table, `mlag desc state local remote
//! status`, under a line of dashes: `1  PROXMOX-SRV01  active-full  Po1
//! Po1  up/up`, the description possibly empty or of several words, the
//! state one of `active-full` (up on both members), `active-partial` (on
//! one), `inactive` (on neither), `configured`, `disabled`. A row is read
//! from its right end: the state word, the local port after it, the
//! `local/remote` status last.
//!
//! `show mlag config-sanity` says `No global configuration
//! inconsistencies found.` and `No per interface configuration
//! inconsistencies found.` of a consistent pair (the cEOS snapshots);
//! otherwise a kind's line is replaced by a table, `Global configuration
//! inconsistencies:` above a header (`Feature  Attribute  Local value
//! Peer value`), dashes and rows whose cells are right-aligned to the
//! header's labels (`bridging  admin-state vlan 4001  active  -`; a
//! public vEOS 4.33.1.1F lab write-up, "Lab08: VxLAN", its tables quoted
//! in layout only below). A guess: the per-interface table has the same
//! shape, with an `Interface` column; cells are read by their header
//! label, so columns in another order or a column more read the same.
//!
//! What liaison takes from them: the pair works as one when the state is
//! Active and the negotiation Connected; it is inconsistent when
//! `config-sanity` lists a setting (each named in the reason), or when
//! `peer-config` says so and `config-sanity` names none; it looks split
//! when the peer-link is not up and the negotiation not Connected (when
//! the peer-link fails with both members up, the secondary takes over as
//! primary: both forward on their own; aristaeos.blogspot.com, "MLAG
//! (2), Dual-Primary Detection"); an MLAG port counts as up only when
//! `active-full`; the member's role is the detailed `State` (which member
//! a rollout changes first: the secondary; both primary is a split pair;
//! see `apply`).

/// What EOS calls a pair and its shared bundles: multi-chassis link
/// aggregation (Arista's MLAG guide, `mlag configuration`, `mlag N`).
pub const NAME: &str = "MLAG";

/// EOS's words for an MLAG pair. The peer-link's description follows
/// NX-OS's in EOS's lower case (`mlag peer-link to PEER`). No keepalive:
/// liaison's MLAG peers reach each other at `peer-address` over the peer
/// VLAN's SVI on the peer-link (templates/eos/mlag.j2), and no `peer-address
/// heartbeat` over the management network is rendered, so the switches'
/// `keepalive:` addresses are unused on EOS. `Management1`: the
/// management port of fixed EOS switches (modular ones print
/// `Management1/1`; Arista EOS User Manual, "Management Interfaces"). A
/// port as fixed switches name it (`Ethernet1`; docs/inventory.md).
pub static WORDS: PairWords = PairWords {
    peer_link_description: "mlag peer-link",
    keepalive: None,
    management_interface: "Management1",
    port_example: "EthernetN",
    // A guess: liaison keeps MLAG domain-ids unique as on NX-OS; no
    // Arista document read here says what two pairs with one domain-id
    // would break, so the hint gives no reason.
    domain_shared: "",
};

use crate::device::{PairLink, PairRole, PairState};
use crate::platform::PairWords;

/// The command whose output [`parse`] reads first.
pub const SHOW_PAIR: &str = "show mlag detail";

/// The command whose table [`parse`] reads for the pair's ports.
pub const SHOW_PAIR_PORTS: &str = "show mlag interfaces";

/// The command whose tables [`parse`] reads for the settings the members
/// disagree on.
pub const SHOW_PAIR_SANITY: &str = "show mlag config-sanity";

/// The port states of `show mlag interfaces`.
const PORT_STATES: &[&str] = &[
    "active-full",
    "active-partial",
    "inactive",
    "configured",
    "disabled",
];

/// The pair state in `text` (the answers to [`SHOW_PAIR`],
/// [`SHOW_PAIR_PORTS`] and [`SHOW_PAIR_SANITY`], one after the other);
/// None when it holds no `show mlag` output or the switch has MLAG
/// disabled (no pair).
pub fn parse(text: &str) -> Option<PairState> {
    let mut fields: Vec<(&str, &str)> = Vec::new();
    let mut links = Vec::new();
    let mut sanity: Vec<String> = Vec::new();
    let mut section = Section::Fields;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(kind) = trimmed.strip_suffix("configuration inconsistencies:") {
            section = Section::Sanity {
                global: kind.trim().eq_ignore_ascii_case("global"),
                header: None,
            };
            continue;
        }
        match &mut section {
            Section::Sanity { global, header } => match header {
                _ if trimmed.is_empty() => section = Section::Ports,
                None => *header = Some(columns(line)),
                Some(_) if trimmed.starts_with("---") => {}
                Some(header) => sanity.push(inconsistency(*global, header, line)),
            },
            _ if trimmed.starts_with("----------") => section = Section::Ports,
            Section::Ports => links.extend(port_row(trimmed)),
            Section::Fields => {
                if let Some((label, value)) = line.split_once(':') {
                    fields.push((label.trim(), value.trim()));
                }
            }
        }
    }
    // The first of each label: `show mlag detail` repeats some, capitalised,
    // in its detailed block.
    let field = |label: &str| {
        fields
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, v)| *v)
            .unwrap_or("")
    };
    let state = field("state");
    if state.is_empty() || state.eq_ignore_ascii_case("disabled") {
        return None;
    }
    let negotiation = field("negotiation status");
    let peer_link = field("peer-link status");
    // The lines quoted in messages, label and value as `show mlag` prints
    // them (its padding aside).
    let mut words = vec![format!("state: {state}")];
    if !negotiation.is_empty() {
        words.push(format!("negotiation status: {negotiation}"));
    }
    if !peer_link.is_empty() {
        words.push(format!("peer-link status: {peer_link}"));
    }
    let connected = negotiation.eq_ignore_ascii_case("connected");
    let inconsistent = if !sanity.is_empty() {
        Some(format!("`{SHOW_PAIR_SANITY}`: {}", sanity.join("; ")))
    } else {
        field("peer-config")
            .eq_ignore_ascii_case("inconsistent")
            .then(|| {
                format!("MLAG peer-config inconsistent (`{SHOW_PAIR_SANITY}` names no setting)")
            })
    };
    Some(PairState {
        adjacency: state.eq_ignore_ascii_case("active") && connected,
        split: (!peer_link.is_empty() && !peer_link.eq_ignore_ascii_case("up") && !connected)
            .then(|| format!("peer-link status {peer_link}, negotiation status {negotiation}")),
        peer_status: words.join(", "),
        inconsistent,
        links,
        role: match field("State") {
            "primary" => Some(PairRole::Primary),
            "secondary" => Some(PairRole::Secondary),
            _ => None,
        },
        unread: Vec::new(),
    })
}

/// Where [`parse`] is in its text.
enum Section {
    /// `label : value` lines (`show mlag detail`).
    Fields,
    /// Table rows (`show mlag interfaces`).
    Ports,
    /// A `config-sanity` table (`Global configuration inconsistencies:`,
    /// or the per-interface one), its header's columns once read.
    Sanity {
        global: bool,
        header: Option<Vec<(String, usize)>>,
    },
}

/// The labels of a `config-sanity` table header and the column each ends
/// at: the cells below are right-aligned to them (`    Feature
/// Attribute       Local value    Peer value`, labels apart by two
/// spaces or more).
fn columns(line: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut label = String::new();
    let mut gap = 0;
    for (i, c) in line.chars().enumerate() {
        if c == ' ' {
            gap += 1;
            continue;
        }
        if gap >= 2 && !label.is_empty() {
            out.push((std::mem::take(&mut label), i - gap));
        } else if gap == 1 && !label.is_empty() {
            label.push(' ');
        }
        gap = 0;
        label.push(c);
    }
    if !label.is_empty() {
        out.push((label, line.trim_end().chars().count()));
    }
    out
}

/// One `config-sanity` row, in words: `global bridging admin-state vlan
/// 4001 is active here, - on the peer`. Cells are cut at the header's
/// column ends (the last one runs to the end of the line).
fn inconsistency(global: bool, header: &[(String, usize)], line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let cell = |label: &str| {
        let at = header
            .iter()
            .position(|(l, _)| l.eq_ignore_ascii_case(label))?;
        let begin = if at == 0 { 0 } else { header[at - 1].1 };
        let end = if at + 1 == header.len() {
            chars.len()
        } else {
            header[at].1
        };
        let text: String = chars[begin.min(chars.len())..end.min(chars.len())]
            .iter()
            .collect();
        Some(text.trim().to_string())
    };
    let feature = cell("Feature").unwrap_or_default();
    let attribute = cell("Attribute").unwrap_or_default();
    let interface = cell("Interface");
    let local = cell("Local value").unwrap_or_default();
    let peer = cell("Peer value").unwrap_or_default();
    let what = [feature.as_str(), attribute.as_str()]
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    match interface.filter(|i| !i.is_empty()) {
        Some(interface) => format!("{what} of {interface} is {local} here, {peer} on the peer"),
        None if global => format!("global {what} is {local} here, {peer} on the peer"),
        None => format!("{what} is {local} here, {peer} on the peer"),
    }
}

/// One row of `show mlag interfaces`, read from its right end.
fn port_row(line: &str) -> Option<PairLink> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let id = words.first()?.parse().ok()?;
    let at = words.iter().rposition(|w| PORT_STATES.contains(w))?;
    let state = words[at];
    let status = words.last().filter(|w| w.contains('/')).copied();
    let port = words
        .get(at + 1)
        .filter(|w| !w.contains('/'))
        .copied()
        .unwrap_or("");
    Some(PairLink {
        id,
        port: port.to_string(),
        up: state == "active-full",
        reason: match status {
            Some(status) => format!("{state}, local/remote {status}"),
            None => state.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An older release's `show mlag` of an MLAG that has not formed
    /// (ntc-templates' sample).
    const INACTIVE: &str =
        include_str!("../../../tests/fixtures/eos-show/ntc-templates__show_mlag.raw");

    /// An active pair's secondary as EOS 4.2x prints `show mlag detail`
    /// (the layout of the cEOS snapshots the module comment cites, values
    /// of our own, the detailed block cut), then its ports (the layout of
    /// the public `show mlag interfaces` outputs).
    const ACTIVE: &str = "MLAG Configuration:               
domain-id                          :           LEAF_PAIR
local-interface                    :            Vlan4094
peer-address                       :         169.254.0.1
peer-link                          :      Port-Channel53
peer-config                        :          consistent
                                                        
MLAG Status:                      
state                              :              Active
negotiation status                 :           Connected
peer-link status                   :                  Up
local-int status                   :                  Up
system-id                          :   02:1c:73:0e:77:9e
dual-primary detection             :            Disabled
dual-primary interface errdisabled :               False
                                                        
MLAG Ports:                       
Disabled                           :                   0
Configured                         :                   0
Inactive                           :                   0
Active-partial                     :                   1
Active-full                        :                   2

MLAG Detailed Status:
State                           :              secondary
Peer State                      :                primary
State changes                   :                      2
Last state change time          :   3 days, 01:12:09 ago
Hardware ready                  :                   True
Failover                        :                  False
Peer MAC address                :      00:1c:73:0e:77:9e
                                                                                     local/remote
   mlag       desc                                 state       local       remote          status
---------- ------------------------------ ----------------- ----------- ------------ ------------
      1       chassis enc1: frame A/B        active-full         Po1          Po1           up/up
      5                                      active-full         Po5          Po5           up/up
     49       link to agg1/agg2           active-partial        Po49         Po49         down/up
";

    #[test]
    fn reads_an_active_pair_and_its_ports() {
        let state = parse(ACTIVE).unwrap();
        assert!(state.adjacency && state.inconsistent.is_none(), "{state:?}");
        assert_eq!(
            state.peer_status,
            "state: Active, negotiation status: Connected, peer-link status: Up"
        );
        assert_eq!(state.links.len(), 3);
        let one = state.link(1).unwrap();
        assert_eq!((one.port.as_str(), one.up), ("Po1", true));
        assert!(state.link(5).unwrap().up);
        let partial = state.link(49).unwrap();
        assert!(!partial.up);
        assert_eq!(partial.port, "Po49");
        assert_eq!(partial.reason, "active-partial, local/remote down/up");
        // The detailed block's capitalised `State` is the role; its other
        // lines change nothing read above.
        assert_eq!(state.role, Some(PairRole::Secondary));
        let primary = ACTIVE
            .replace(":              secondary\n", ":                primary\n")
            .replace(
                "Peer State                      :                primary",
                "Peer State                      :              secondary",
            );
        assert_eq!(parse(&primary).unwrap().role, Some(PairRole::Primary));
    }

    #[test]
    fn reads_an_mlag_that_has_not_formed() {
        let state = parse(INACTIVE).unwrap();
        assert!(!state.adjacency);
        assert_eq!(
            state.peer_status,
            "state: Inactive, negotiation status: Connecting, peer-link status: Lowerlayerdown"
        );
        assert!(state.links.is_empty() && state.inconsistent.is_none());
        // Plain `show mlag` has no detailed block: no role.
        assert_eq!(state.role, None);
    }

    #[test]
    fn an_inconsistent_peer_config_and_ports_without_a_peer() {
        let text = ACTIVE.replace(":          consistent", ":        inconsistent");
        let state = parse(&text).unwrap();
        assert!(state.adjacency);
        assert!(state
            .inconsistent
            .as_deref()
            .is_some_and(|r| r.contains("peer-config inconsistent")));
        // A port listed while the MLAG is down: no remote column.
        let text = format!(
            "{INACTIVE}   mlag       desc             state       local       remote          status\n\
             ---------- ---------- ----------------- ----------- ------------ ------------\n      \
             7                   configured         Po7                         up/-\n"
        );
        let state = parse(&text).unwrap();
        let seven = state.link(7).unwrap();
        assert_eq!((seven.port.as_str(), seven.up), ("Po7", false));
        assert_eq!(seven.reason, "configured, local/remote up/-");
    }

    /// `show mlag config-sanity` of a pair whose VLAN 300 exists on one
    /// member only and whose MST region names differ: the layout of a
    /// public vEOS 4.33 lab write-up ("No per interface configuration
    /// inconsistencies found.", then the global table, cells right-aligned
    /// to their header labels), values of our own.
    const SANITY: &str = "No per interface configuration inconsistencies found.

Global configuration inconsistencies:
    Feature                    Attribute       Local value    Peer value
-------------- ---------------------------- ----------------- ----------
        stp              mst-region-name               dc1           dc2
   bridging         admin-state vlan 300            active             -
";

    #[test]
    fn config_sanity_names_the_settings_the_members_disagree_on() {
        let text = format!(
            "{}{SANITY}",
            ACTIVE.replace(":          consistent", ":        inconsistent")
        );
        let state = parse(&text).unwrap();
        assert_eq!(
            state.inconsistent.as_deref(),
            Some(
                "`show mlag config-sanity`: global stp mst-region-name is dc1 here, dc2 on the peer; \
                 global bridging admin-state vlan 300 is active here, - on the peer"
            )
        );
        // The ports table before it is read as before.
        assert_eq!(state.links.len(), 3);
        // A per-interface table (GUESS at its title and `Interface`
        // column, as liaison-eos-sim prints it).
        let text = format!(
            "{ACTIVE}No global configuration inconsistencies found.

Interface configuration inconsistencies:
 Feature        Attribute        Interface    Local value    Peer value
----------- ---------------- ---------------- -------------- ----------
bridging    allowed-vlans    Port-Channel1    110,120,130       110,120
"
        );
        assert_eq!(
            parse(&text).unwrap().inconsistent.as_deref(),
            Some(
                "`show mlag config-sanity`: bridging allowed-vlans of Port-Channel1 is 110,120,130 here, 110,120 on the peer"
            )
        );
        // A consistent pair's answer (the cEOS snapshots' words).
        let text = format!(
            "{ACTIVE}No global configuration inconsistencies found.\n\nNo per interface configuration inconsistencies found.\n"
        );
        let state = parse(&text).unwrap();
        assert_eq!(state.inconsistent, None);
        assert_eq!(state.links.len(), 3);
    }

    #[test]
    fn a_peer_link_down_without_negotiation_looks_split() {
        // ntc-templates' sample: Inactive, Connecting, Lowerlayerdown.
        assert_eq!(
            parse(INACTIVE).unwrap().split.as_deref(),
            Some("peer-link status Lowerlayerdown, negotiation status Connecting")
        );
        // A formed pair is not split; nor is one whose peer-link is up
        // while it negotiates.
        assert_eq!(parse(ACTIVE).unwrap().split, None);
        let negotiating = ACTIVE.replace(":           Connected", ":          Connecting");
        let state = parse(&negotiating).unwrap();
        assert!(!state.adjacency && state.split.is_none(), "{state:?}");
    }

    #[test]
    fn mlag_disabled_or_refused_is_no_pair() {
        // A switch without MLAG (the layout of the cEOS snapshot).
        let disabled = "MLAG Configuration:               
domain-id                          :                    
local-interface                    :                    
peer-address                       :             0.0.0.0
peer-link                          :                    
peer-config                        :                    
                                                        
MLAG Status:                      
state                              :            Disabled
negotiation status                 :                    
";
        assert_eq!(parse(disabled), None);
        assert_eq!(parse("% Invalid input (at token 1: 'mlag')"), None);
        assert_eq!(parse(""), None);
    }
}

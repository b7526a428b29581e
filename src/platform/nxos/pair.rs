//! Reading NX-OS `show vpc` into a [`PairState`].
//!
//! The layout, from real switches' output kept as parser test data
//! (genieparser `nxos/tests/ShowVpc/cli/equal/golden_output_{1,3,5,6,7}`,
//! ntc-templates `tests/cisco_nxos/show_vpc/cisco_nxos_show_vpc.raw`):
//! `Label : value` header lines (`Peer status`, `Configuration consistency
//! status`, then `Configuration inconsistency reason` — older releases
//! print `Configuration consistency reason`), the peer-link table, then the
//! `vPC status` table: `Id Port Status Consistency Reason Active vlans`,
//! where a down vPC's status is `down` or `down*` and the reason wraps onto
//! indented continuation lines. Labels are matched without regard to the
//! padding before the colon, which differs between releases.

/// What NX-OS calls a pair and its shared bundles: a virtual port-channel
/// (Cisco's "Configuring vPCs" guide, `vpc domain`, `vpc N`).
pub const NAME: &str = "vPC";

/// NX-OS's words for a vPC pair: the peer-link's description, the
/// peer-keepalive over mgmt0 (Cisco Nexus 9000 Interfaces Configuration
/// Guide, "Configuring vPCs": `peer-keepalive destination IP source IP`,
/// mgmt0 in the management VRF by default), a port in slot/port form.
pub static WORDS: PairWords = PairWords {
    peer_link_description: "vpc peer-link",
    keepalive: Some(KeepaliveWords {
        name: "vPC peer-keepalive",
        short: "peer-keepalive",
        line: keepalive_line,
    }),
    management_interface: "mgmt0",
    port_example: "EthernetX/Y",
    domain_shared: ": the vPC system MAC and LACP system ID derive from it, so two pairs with one domain that see each other (a double-sided vPC) never bundle",
};

fn keepalive_line(destination: &str, source: &str) -> String {
    format!("peer-keepalive destination {destination} source {source}")
}

use crate::device::{PairLink, PairState};
use crate::platform::{KeepaliveWords, PairWords};

/// The command whose output [`parse`] reads.
pub const SHOW_PAIR: &str = "show vpc";

/// The state in `text`, or None when it is no `show vpc` output (a switch
/// without `feature vpc` refuses the command).
pub fn parse(text: &str) -> Option<PairState> {
    let mut peer_status = None;
    let mut consistency_failed = false;
    let mut reason = None;
    let mut links: Vec<PairLink> = Vec::new();
    let mut in_vpc_table = false;
    // Where the Reason and Active vlans columns start, from the table's
    // header line.
    let mut columns: Option<(usize, usize)> = None;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some((label, value)) = line.split_once(':').filter(|_| !in_vpc_table) {
            let value = value.trim().to_string();
            match label.trim() {
                "Peer status" => peer_status = Some(value),
                "Configuration consistency status" => consistency_failed = value == "failed",
                "Configuration inconsistency reason" | "Configuration consistency reason" => {
                    reason = Some(value)
                }
                _ => {}
            }
            continue;
        }
        if line.trim() == "vPC status" {
            in_vpc_table = true;
            continue;
        }
        if !in_vpc_table {
            continue;
        }
        let header = line
            .trim_start()
            .get(..2)
            .is_some_and(|w| w.eq_ignore_ascii_case("id"));
        if header && line.contains("Reason") {
            // Column positions hold only in the aligned layout.
            columns = line
                .contains("  ")
                .then(|| line.find("Reason").zip(line.find("Active vlans")))
                .flatten();
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.first().map(|w| w.parse::<u32>()) {
            Some(Ok(id)) if words.len() >= 4 => {
                let reason = match columns {
                    Some((at, vlans)) => line.get(at..vlans.min(line.len())).unwrap_or(""),
                    None => "",
                };
                let reason = match reason.trim() {
                    "" => words[4..words.len().saturating_sub(1)].join(" "),
                    text => text.to_string(),
                };
                links.push(PairLink {
                    id,
                    port: words[1].to_string(),
                    up: words[2] == "up",
                    reason,
                });
            }
            // An indented line: more of the last row's reason (and of its
            // Active vlans, which are not kept).
            _ if line.starts_with(' ') => {
                if let (Some(link), Some((at, vlans))) = (links.last_mut(), columns) {
                    let more = line.get(at..vlans.min(line.len())).unwrap_or("").trim();
                    if !more.is_empty() {
                        link.reason = format!("{} {more}", link.reason);
                    }
                }
            }
            _ => {}
        }
    }
    let peer_status = peer_status?;
    Some(PairState {
        adjacency: peer_status == "peer adjacency formed ok",
        peer_status: format!("Peer status: {peer_status}"),
        // Not read: an NX-OS rollout reads no pair state before it starts.
        split: None,
        inconsistent: consistency_failed
            .then(|| reason.unwrap_or_else(|| "no reason given".to_string())),
        links,
        // `vPC role` is not read: an NX-OS rollout's order comes from the
        // intent's `role priority` (see `Driver::pair_read_first`).
        role: None,
        unread: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Nexus 9000 with both vPCs up (genieparser golden_output_7, cut).
    const UP: &str = "Legend:
                (*) - local vPC is down, forwarding via vPC peer-link

vPC domain id                     : 200
Peer status                       : peer adjacency formed ok
vPC keep-alive status             : peer is alive
Configuration consistency status  : success
Per-vlan consistency status       : success
Type-2 consistency status         : success
vPC role                          : primary
Number of vPCs configured         : 2

vPC Peer-link status
---------------------------------------------------------------------
id    Port   Status Active vlans
--    ----   ------ -------------------------------------------------
1     Po101  up     1-5,10-15,21-25,31-35,41-45,51-55,61-65,71-75,
                    81-85,91-95

vPC status
----------------------------------------------------------------------------
Id    Port          Status Consistency Reason                Active vlans
--    ------------  ------ ----------- ------                ---------------
102   Po102         up     success     success               10

103   Po103         up     success     success               2-5,11-15,21-25,
                                                             31-35,41-45,51-55,

Please check \"show vpc consistency-parameters vpc <vpc-num>\" for the
consistency reason of down vpc and for type-2 consistency reasons for
any vpc.
";

    #[test]
    fn reads_an_up_pair() {
        let state = parse(UP).unwrap();
        assert!(state.adjacency && state.inconsistent.is_none());
        assert_eq!(state.links.len(), 2);
        assert_eq!(state.link(103).unwrap().port, "Po103");
        assert!(state.links.iter().all(|l| l.up && l.reason == "success"));
    }

    #[test]
    fn reads_a_suspended_secondary_with_wrapped_reasons() {
        let text = "vPC domain id                     : 200
Peer status                       : peer adjacency formed ok
Configuration consistency status  : failed
Per-vlan consistency status       : success
Configuration inconsistency reason: vPC type-1 configuration incompatible - STP Mode inconsistent
vPC role                          : secondary

vPC status
----------------------------------------------------------------------------
Id    Port          Status Consistency Reason                Active vlans
--    ------------  ------ ----------- ------                ---------------
1     Po1           down*  failed      Global compat check   -
                                       failed
5     Po5           down*  failed      vPC type-1            -
                                       configuration
                                       incompatible - MTU
                                       inconsistent
";
        let state = parse(text).unwrap();
        assert_eq!(
            state.inconsistent.as_deref(),
            Some("vPC type-1 configuration incompatible - STP Mode inconsistent")
        );
        assert_eq!(state.link(1).unwrap().reason, "Global compat check failed");
        let five = state.link(5).unwrap();
        assert!(!five.up);
        assert_eq!(
            five.reason,
            "vPC type-1 configuration incompatible - MTU inconsistent"
        );
    }

    #[test]
    fn older_layouts_and_refusals() {
        // genieparser golden_output_5: peer link down, no padding.
        let text = "vPC domain id : 100
Peer status : peer link is down
Configuration consistency status: success
vPC status
----------------------------------------------------------------------------
id Port Status Consistency Reason Active vlans
------ ----------- ------ ----------- -------------------------- -----------
1 Po1 down success success -
";
        let state = parse(text).unwrap();
        assert!(!state.adjacency);
        assert_eq!(state.peer_status, "Peer status: peer link is down");
        assert!(!state.link(1).unwrap().up);
        assert_eq!(parse("% Invalid command at '^' marker."), None);
    }
}

//! Port-channel, vPC and vPC-domain numbers.
//!
//! Numbers must not move when unrelated parts of the inventory change (a
//! renumbered port-channel is an outage), so they are derived from the
//! bundle itself, not from its position in a list:
//!
//! - A port-channel takes the number of its lowest member port:
//!   `Ethernet<slot>/<port>` → `(slot - 1) * 100 + port` (so `Ethernet1/49`
//!   → 49, `Ethernet2/3` → 103). A vPC uses the same number on both members
//!   and as its vPC id. Only when two bundles of one switch or pair derive
//!   the same number (breakout lanes of one port) does the later one, in
//!   port order, take the next free number.
//! - A vPC domain is `vpc_domain:` when given, else derived from a hash of
//!   the pair's member names (1-1000), the next free one on a collision.
//! - An ACL gives each policy rule a block of sequence numbers at a slot
//!   derived from a hash of the rule's content ([`allocate_slots`]; the
//!   layout is in `acl.rs`), the next free one on a collision.

use super::topology::{GroupId, Topology};
use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::{Index, Port};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const MAX_PORT_CHANNEL: u32 = 4096;

/// The number a bundle asks for, from its lowest member port.
pub fn port_channel_candidate(lowest: &Port) -> u32 {
    (u32::from(lowest.slot()) - 1) * 100 + u32::from(lowest.port())
}

/// Allocates port-channel numbers within one group. Requests are
/// `(candidate, tie-break key)`; answers come back in the same order.
pub fn allocate_port_channels(requests: &[(u32, String)]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].cmp(&requests[b]));
    let mut used = BTreeSet::new();
    let mut answer = vec![0; requests.len()];
    for i in order {
        let wanted = requests[i].0.clamp(1, MAX_PORT_CHANNEL);
        let free = (wanted..=MAX_PORT_CHANNEL)
            .chain(1..wanted)
            .find(|n| !used.contains(n))
            .unwrap_or(wanted);
        used.insert(free);
        answer[i] = free;
    }
    answer
}

/// FNV-1a: a hash that never changes between Rust versions or runs, so
/// numbers derived from it are stable.
pub fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// A request for consecutive slots in `1..=slots`.
pub struct SlotRequest<'k> {
    pub preferred: u32,
    /// How many consecutive slots (at least 1).
    pub width: u32,
    /// Tie-break between requests preferring the same slot.
    pub key: &'k str,
}

/// Gives each request the first run of `width` free slots at or after its
/// preferred slot (wrapping around), requests taken in order of (preferred
/// slot, key). Answers come back in request order; None when no run is
/// left. A request therefore only moves when another one wants a slot it
/// overlaps: adding a request elsewhere leaves the others where they are.
pub fn allocate_slots(requests: &[SlotRequest], slots: u32) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| {
        (requests[a].preferred, requests[a].key).cmp(&(requests[b].preferred, requests[b].key))
    });
    let mut used: BTreeSet<u32> = BTreeSet::new();
    let mut answer = vec![None; requests.len()];
    for i in order {
        let request = &requests[i];
        let width = request.width.max(1);
        if width > slots {
            continue;
        }
        let wanted = request.preferred.clamp(1, slots);
        let fits = |start: u32| {
            start + width - 1 <= slots && used.range(start..start + width).next().is_none()
        };
        // Probe from the preferred slot; a run may not wrap past the end.
        let mut start = wanted;
        let mut probed = 0;
        let found = loop {
            if fits(start) {
                break Some(start);
            }
            probed += 1;
            if probed >= slots {
                break None;
            }
            start = if start >= slots { 1 } else { start + 1 };
        };
        if let Some(start) = found {
            used.extend(start..start + width);
            answer[i] = Some(start);
        }
    }
    answer
}

/// vPC domain numbers for every pair.
pub fn vpc_domains(
    topology: &Topology,
    index: &Index,
    diagnostics: &mut Diagnostics,
) -> HashMap<GroupId, u16> {
    let mut domains = HashMap::new();
    let mut taken: BTreeMap<u16, GroupId> = BTreeMap::new();
    let pairs: Vec<GroupId> = (0..topology.groups.len())
        .filter(|g| topology.groups[*g].is_pair())
        .collect();
    // Pinned numbers first, so derived ones step around them.
    for &group in &pairs {
        let pinned: Vec<_> = topology.groups[group]
            .members
            .iter()
            .filter_map(|m| index.switches[m].vpc_domain.as_ref())
            .collect();
        let Some(first) = pinned.first() else {
            continue;
        };
        if let Some(other) = pinned.iter().find(|p| p.value != first.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E105",
                    format!(
                        "the members of {} pin different vPC domains ({} and {})",
                        topology.groups[group].label(),
                        first.value,
                        other.value
                    ),
                )
                .at(other.loc)
                .related(first.loc, "the other member's")
                .hint("write `vpc_domain` on one member, or the same number on both"),
            );
            continue;
        }
        if let Some(&owner) = taken.get(&first.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E105",
                    format!(
                        "vPC domain {} is pinned by both {} and {}",
                        first.value,
                        topology.groups[owner].label(),
                        topology.groups[group].label()
                    ),
                )
                .at(first.loc)
                .hint("each pair needs its own vPC domain number"),
            );
            continue;
        }
        taken.insert(first.value, group);
        domains.insert(group, first.value);
    }
    for &group in &pairs {
        if domains.contains_key(&group) {
            continue;
        }
        let wanted = (fnv1a(&topology.groups[group].label()) % 1000) as u16 + 1;
        let free = (wanted..=1000)
            .chain(1..wanted)
            .find(|n| !taken.contains_key(n))
            .unwrap_or(wanted);
        taken.insert(free, group);
        domains.insert(group, free);
    }
    domains
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_follow_the_lowest_port() {
        assert_eq!(
            port_channel_candidate(&Port::parse("Ethernet1/49").unwrap()),
            49
        );
        assert_eq!(
            port_channel_candidate(&Port::parse("Ethernet2/3").unwrap()),
            103
        );
    }

    #[test]
    fn slots_stay_put_when_others_are_added() {
        let req = |preferred, width, key| SlotRequest {
            preferred,
            width,
            key,
        };
        let before = allocate_slots(&[req(5, 1, "a"), req(9, 2, "b"), req(5, 1, "c")], 10);
        assert_eq!(before, vec![Some(5), Some(9), Some(6)]);
        // A new request elsewhere moves nothing.
        let after = allocate_slots(
            &[
                req(5, 1, "a"),
                req(2, 1, "new"),
                req(9, 2, "b"),
                req(5, 1, "c"),
            ],
            10,
        );
        assert_eq!(after, vec![Some(5), Some(2), Some(9), Some(6)]);
        // A run never wraps past the end; probing does.
        assert_eq!(
            allocate_slots(&[req(10, 1, "x"), req(10, 2, "y")], 10),
            vec![Some(10), Some(1)]
        );
        // Full: no answer rather than a clash.
        assert_eq!(
            allocate_slots(&[req(1, 2, "x"), req(1, 1, "y")], 2),
            vec![Some(1), None]
        );
    }

    #[test]
    fn collisions_take_the_next_free_number_in_port_order() {
        let got = allocate_port_channels(&[
            (49, "Ethernet1/49/2".into()),
            (49, "Ethernet1/49/1".into()),
            (50, "Ethernet1/50".into()),
        ]);
        assert_eq!(got, vec![50, 49, 51]);
    }
}

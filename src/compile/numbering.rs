//! Port-channel, vPC and vPC-domain numbers.
//!
//! Numbers must not move when unrelated parts of the inventory change (a
//! renumbered port-channel is an outage), so they are derived from the
//! bundle itself, not from its position in a list:
//!
//! - A port-channel takes the number its platform derives from its lowest
//!   member port (`Numbering::port_channel_of`, in the platform's
//!   `numbering.rs`). A vPC uses the same number on both members and as its
//!   vPC id.
//! - Two bundles of one switch or pair derive the same number only when
//!   their lowest ports have the same number on the two members of a pair.
//!   The one whose first port sorts first keeps it; the other takes the
//!   highest number free from the platform's largest down that no bundle of
//!   the group derives.
//!   So a bundle added to the inventory never takes the number of an
//!   existing one, however its ports are numbered: a number it derives was
//!   free, and one it is given counts down from the top, far from derived
//!   numbers. (A bundle that itself lost a tie can move when the winner is
//!   removed: it then gets its derived number back. A port that derives
//!   past the largest asks for the largest and shares its tie.)
//! - A vPC domain is `vpc_domain:` when given, else derived from a hash of
//!   the pair's member names (within the platform's range), the next free
//!   one on a collision.
//! - An ACL gives each policy rule a block of sequence numbers at a slot
//!   derived from a hash of the rule's content ([`allocate_slots`]; the
//!   layout is in `acl.rs`), the next free one on a collision.

use super::topology::{GroupId, Topology};
use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::{Index, Platform};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The platform of a group's switches (check refuses a pair of two).
pub fn platform_of(topology: &Topology, index: &Index, group: GroupId) -> Platform {
    index.switches[topology.groups[group].members[0]]
        .platform
        .value
}

/// Allocates port-channel numbers 1 to `max_port_channel` within one
/// group. Requests are `(candidate, tie-break key)`; answers come back in
/// the same order.
pub fn allocate_port_channels(requests: &[(u32, String)], max_port_channel: u32) -> Vec<u32> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].cmp(&requests[b]));
    let wanted = |i: usize| requests[i].0.clamp(1, max_port_channel);
    let derived: BTreeSet<u32> = (0..requests.len()).map(wanted).collect();
    let mut used = BTreeSet::new();
    let mut answer = vec![0; requests.len()];
    let mut lost = Vec::new();
    // Each derived number goes to the first request (in key order) asking.
    for i in order {
        if used.insert(wanted(i)) {
            answer[i] = wanted(i);
        } else {
            lost.push(i);
        }
    }
    // The others count down from the top, around every derived number.
    for i in lost {
        let free = (1..=max_port_channel)
            .rev()
            .find(|n| !used.contains(n) && !derived.contains(n))
            .or_else(|| (1..=max_port_channel).rev().find(|n| !used.contains(n)))
            .unwrap_or(wanted(i));
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

fn first_member_loc(topology: &Topology, index: &Index, group: GroupId) -> crate::diag::Loc {
    index.switches[topology.groups[group].members[0]].loc
}

/// vPC domain numbers for every pair: pinned numbers are unique (E105),
/// derived ones step around every number taken, so no two pairs share one.
pub fn vpc_domains(
    topology: &Topology,
    index: &Index,
    diagnostics: &mut Diagnostics,
) -> HashMap<GroupId, u16> {
    let mut domains = HashMap::new();
    let mut taken: BTreeMap<u16, (GroupId, crate::diag::Loc)> = BTreeMap::new();
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
        let platform = platform_of(topology, index, group);
        let pair = platform.pair_name();
        if let Some(other) = pinned.iter().find(|p| p.value != first.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E105",
                    format!(
                        "the members of {} pin different {pair} domains ({} and {})",
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
        if let Some(&(owner, owner_loc)) = taken.get(&first.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E105",
                    format!(
                        "{pair} domain {} is pinned by both {} and {}",
                        first.value,
                        topology.groups[owner].label(),
                        topology.groups[group].label()
                    ),
                )
                .at(first.loc)
                .related(
                    owner_loc,
                    format!("pinned for {}", topology.groups[owner].label()),
                )
                .hint(format!(
                    "each pair needs its own {pair} domain number{}",
                    platform.pair_words().domain_shared
                )),
            );
            continue;
        }
        taken.insert(first.value, (group, first.loc));
        domains.insert(group, first.value);
    }
    for &group in &pairs {
        if domains.contains_key(&group) {
            continue;
        }
        let platform = platform_of(topology, index, group);
        let max_domain = platform.numbering().max_pair_domain;
        let wanted = (fnv1a(&topology.groups[group].key()) % u32::from(max_domain)) as u16 + 1;
        let Some(free) = (wanted..=max_domain)
            .chain(1..wanted)
            .find(|n| !taken.contains_key(n))
        else {
            let first = index.switches[topology.groups[group].members[0]];
            diagnostics.push(
                Diagnostic::error(
                    "E155",
                    format!(
                        "no {} domain number is left for {}: the fabric has more than {max_domain} pairs, and {} numbers domains 1-{max_domain}",
                        platform.pair_name(),
                        topology.groups[group].label(),
                        platform.cli_text().name
                    ),
                )
                .at(first.pair.as_ref().map_or(first.loc, |p| p.loc))
                .hint(format!("split the fabric into inventories of at most {max_domain} pairs each (one layer-2 domain each)")),
            );
            continue;
        };
        taken.insert(free, (group, first_member_loc(topology, index, group)));
        domains.insert(group, free);
    }
    domains
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Port-channel numbers as the tests allocate them.
    const MAX: u32 = 4096;

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
    fn a_tie_is_settled_by_key_and_the_loser_counts_down_from_the_top() {
        let got = allocate_port_channels(
            &[
                (20, "tor3b:Ethernet1/20".into()),
                (20, "tor3a:Ethernet1/20".into()),
                (21, "tor3a:Ethernet1/21".into()),
            ],
            MAX,
        );
        assert_eq!(got, vec![4096, 20, 21]);
        // 4096 is derived by another bundle: the loser steps around it.
        let got = allocate_port_channels(
            &[(20, "b".into()), (20, "a".into()), (4096, "c".into())],
            MAX,
        );
        assert_eq!(got, vec![4095, 20, 4096]);
    }
}

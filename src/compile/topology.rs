//! The switch graph: switches grouped into vPC pairs ("groups"), cables
//! between groups bundled, and each group's distance to the nearest
//! gateway groups (the `gateway_role` switches).

use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::{Index, Inventory, Link};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

pub type GroupId = usize;

/// A vPC pair, or a switch on its own.
#[derive(Debug)]
pub struct Group<'i> {
    /// Member switch names, sorted.
    pub members: Vec<&'i str>,
    pub gateway: bool,
}

impl Group<'_> {
    pub fn label(&self) -> String {
        self.members.join("/")
    }

    /// What numbers derived from the group hash (vPC domain, transit
    /// slots): the label in lower case, so a switch renamed only in case
    /// keeps them (lower-case names give the label itself).
    pub fn key(&self) -> String {
        self.label().to_ascii_lowercase()
    }

    pub fn is_pair(&self) -> bool {
        self.members.len() == 2
    }
}

pub struct Topology<'i> {
    pub groups: Vec<Group<'i>>,
    pub group_of: HashMap<&'i str, GroupId>,
    /// Cables between the two members of a pair.
    pub peer_links: BTreeMap<GroupId, Vec<&'i Link>>,
    /// Cables between two groups, keyed by (lower id, higher id).
    pub bundles: BTreeMap<(GroupId, GroupId), Vec<&'i Link>>,
    adjacency: Vec<BTreeSet<GroupId>>,
    /// Hops to the nearest gateway group; None when there is no path.
    pub distance: Vec<Option<u32>>,
    /// The gateway groups at that distance.
    pub nearest: Vec<BTreeSet<GroupId>>,
}

/// The route from a group up to its nearest gateways: every group and
/// bundle on a shortest path (parallel shortest paths all carry traffic).
#[derive(Debug, Default, Clone)]
pub struct PathUp {
    pub groups: BTreeSet<GroupId>,
    pub bundles: BTreeSet<(GroupId, GroupId)>,
}

impl<'i> Topology<'i> {
    pub fn build(
        inventory: &'i Inventory,
        index: &Index<'i>,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        let gateway_role = inventory.fabric.gateway_role();
        let mut names: Vec<&'i str> = index.switches.keys().copied().collect();
        names.sort_unstable();
        let mut groups: Vec<Group<'i>> = Vec::new();
        let mut group_of: HashMap<&'i str, GroupId> = HashMap::new();
        for name in names {
            if group_of.contains_key(name) {
                continue;
            }
            let mut members = vec![name];
            if let Some(peer) = index.peer_of(name) {
                members.push(peer);
                // Without case, so a rename in case only keeps the roles
                // (names are unique without case, E009).
                members.sort_unstable_by_key(|m| m.to_ascii_lowercase());
            }
            let id = groups.len();
            for member in &members {
                group_of.insert(member, id);
            }
            let gateway = members
                .iter()
                .all(|m| index.switches[m].role.value == gateway_role);
            groups.push(Group { members, gateway });
        }

        let mut peer_links: BTreeMap<GroupId, Vec<&'i Link>> = BTreeMap::new();
        let mut bundles: BTreeMap<(GroupId, GroupId), Vec<&'i Link>> = BTreeMap::new();
        let mut adjacency = vec![BTreeSet::new(); groups.len()];
        for link in &inventory.links {
            let [a, b] = &link.ends;
            let (Some(&ga), Some(&gb)) = (
                group_of.get(a.switch.as_str()),
                group_of.get(b.switch.as_str()),
            ) else {
                continue; // dangling switch: reported by check
            };
            if a.switch.value == b.switch.value {
                diagnostics.push(
                    Diagnostic::error(
                        "E011",
                        format!("link {a} – {b} loops back to the same switch"),
                    )
                    .at(link.loc)
                    .hint("a link joins two different switches"),
                );
                continue;
            }
            if ga == gb {
                peer_links.entry(ga).or_default().push(link);
            } else {
                bundles
                    .entry((ga.min(gb), ga.max(gb)))
                    .or_default()
                    .push(link);
                adjacency[ga].insert(gb);
                adjacency[gb].insert(ga);
            }
        }

        // Multi-source breadth-first search from every gateway group.
        let mut distance: Vec<Option<u32>> = vec![None; groups.len()];
        let mut nearest: Vec<BTreeSet<GroupId>> = vec![BTreeSet::new(); groups.len()];
        let mut queue = VecDeque::new();
        for (id, group) in groups.iter().enumerate() {
            if group.gateway {
                distance[id] = Some(0);
                nearest[id].insert(id);
                queue.push_back(id);
            }
        }
        while let Some(current) = queue.pop_front() {
            let next_distance = distance[current].map(|d| d + 1);
            for &neighbour in &adjacency[current] {
                match distance[neighbour] {
                    None => {
                        distance[neighbour] = next_distance;
                        nearest[neighbour] = nearest[current].clone();
                        queue.push_back(neighbour);
                    }
                    Some(d) if Some(d) == next_distance && !groups[neighbour].gateway => {
                        let inherited = nearest[current].clone();
                        nearest[neighbour].extend(inherited);
                    }
                    _ => {}
                }
            }
        }

        Topology {
            groups,
            group_of,
            peer_links,
            bundles,
            adjacency,
            distance,
            nearest,
        }
    }

    /// Every group and bundle on a shortest path from `start` to its
    /// nearest gateway groups (`start` included).
    pub fn path_up(&self, start: GroupId) -> PathUp {
        let mut path = PathUp::default();
        let mut stack = vec![start];
        while let Some(group) = stack.pop() {
            if !path.groups.insert(group) {
                continue;
            }
            let Some(d) = self.distance[group] else {
                continue;
            };
            if d == 0 {
                continue;
            }
            for &neighbour in &self.adjacency[group] {
                if self.distance[neighbour] == Some(d - 1) {
                    path.bundles
                        .insert((group.min(neighbour), group.max(neighbour)));
                    stack.push(neighbour);
                }
            }
        }
        path
    }

    /// `agg1/agg2, agg3/agg4` for messages.
    pub fn labels<'g>(&self, groups: impl Iterator<Item = &'g GroupId>) -> String {
        groups
            .map(|g| self.groups[*g].label())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn role_is_gateway(&self, switch: &str) -> bool {
        self.group_of
            .get(switch)
            .is_some_and(|g| self.groups[*g].gateway)
    }
}

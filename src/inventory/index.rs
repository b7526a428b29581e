//! Name → entry look-ups over an [`Inventory`], built once and shared by
//! `check` and `compile`. When a name is defined twice the first definition
//! wins here; `check` reports the second.

use super::*;
use std::collections::HashMap;

pub struct Index<'i> {
    pub switches: HashMap<&'i str, &'i Switch>,
    pub chassis: HashMap<&'i str, &'i Chassis>,
    pub zones: HashMap<&'i str, &'i Zone>,
    pub segments: HashMap<&'i str, &'i Segment>,
    pub services: HashMap<&'i str, &'i Service>,
    peers: HashMap<&'i str, &'i str>,
}

fn first_wins<'i, T>(items: &'i [T], name: impl Fn(&'i T) -> &'i str) -> HashMap<&'i str, &'i T> {
    let mut map = HashMap::with_capacity(items.len());
    for item in items {
        map.entry(name(item)).or_insert(item);
    }
    map
}

impl<'i> Index<'i> {
    pub fn new(inventory: &'i Inventory) -> Self {
        let switches = first_wins(&inventory.switches, |s| s.name.as_str());
        Index {
            peers: pairs(&switches),
            switches,
            chassis: first_wins(&inventory.chassis, |c| c.name.as_str()),
            zones: first_wins(&inventory.zones, |z| z.name.as_str()),
            segments: first_wins(&inventory.segments, |s| s.name.as_str()),
            services: first_wins(&inventory.services, |s| s.name.as_str()),
        }
    }

    /// The vPC peer of a switch, when the pairing is declared consistently
    /// (on one member, or on both agreeing). `check` reports the rest.
    pub fn peer_of(&self, switch: &str) -> Option<&'i str> {
        self.peers.get(switch).copied()
    }
}

fn pairs<'i>(switches: &HashMap<&'i str, &'i Switch>) -> HashMap<&'i str, &'i str> {
    let mut peers: HashMap<&'i str, &'i str> = HashMap::new();
    let mut names: Vec<&&'i str> = switches.keys().collect();
    names.sort();
    for name in names {
        let switch = switches[*name];
        let Some(pair) = &switch.pair else { continue };
        let Some(peer) = switches.get(pair.as_str()).map(|p| p.name.as_str()) else {
            continue;
        };
        let peer_declares_other = switches[peer]
            .pair
            .as_ref()
            .is_some_and(|p| p.value != *name);
        if peer == *name || peer_declares_other {
            continue;
        }
        if peers.get(name).is_some_and(|p| *p != peer) || peers.get(peer).is_some_and(|p| p != name)
        {
            continue;
        }
        peers.insert(name, peer);
        peers.insert(peer, name);
    }
    peers
}

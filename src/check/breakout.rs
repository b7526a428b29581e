//! Breakout: a front-panel port is either whole (`Ethernet1/10`) or split
//! into lanes (`Ethernet1/10/1` …), never both, and a switch splits a port
//! only when the inventory says so (`breakout:` of the switch, rendered as
//! `interface breakout module 1 port 10 map 10g-4x`). A switch that is not
//! broken out has no `Ethernet1/10/1` and refuses its configuration.

use super::PortClaim;
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::inventory::{Breakout, Inventory};
use crate::platform::build::PortNaming;
use std::collections::{BTreeMap, HashMap};

/// A whole front-panel port of a switch: (switch, its numbers).
type ParentPort<'i> = (&'i str, &'i [u16]);

/// `Ethernet` and the numbers of a whole port.
fn whole_name(numbers: &[u16]) -> String {
    let numbers: Vec<String> = numbers.iter().map(u16::to_string).collect();
    format!("Ethernet{}", numbers.join("/"))
}

pub(super) fn breakouts(
    inventory: &Inventory,
    claims: &[PortClaim],
    diagnostics: &mut Diagnostics,
) {
    // (switch, port) → its breakout.
    let mut split: HashMap<ParentPort, &Breakout> = HashMap::new();
    let mut naming: HashMap<&str, &PortNaming> = HashMap::new();
    for switch in &inventory.switches {
        naming
            .entry(switch.name.as_str())
            .or_insert(switch.platform.value.port_naming());
        for breakout in &switch.breakout {
            let key = (switch.name.as_str(), breakout.port.value.numbers());
            if let Some(first) = split.insert(key, breakout) {
                diagnostics.push(
                    Diagnostic::error(
                        "E138",
                        format!(
                            "{}:{} is broken out twice",
                            switch.name.value, breakout.port.value
                        ),
                    )
                    .at(breakout.port.loc)
                    .related(first.port.loc, "first here")
                    .hint("keep one `breakout` entry per port"),
                );
            }
        }
    }
    // Whole ports in use, and the lanes of each parent port.
    let mut whole: HashMap<ParentPort, Loc> = HashMap::new();
    let mut lanes: BTreeMap<ParentPort, Vec<(u16, Loc)>> = BTreeMap::new();
    for (switch, port, _) in claims {
        let Some(naming) = naming.get(switch.as_str()) else {
            continue;
        };
        if naming.whole_port_numbers.is_none() {
            continue;
        }
        match naming.lane_of(&port.value) {
            None => {
                whole
                    .entry((switch.as_str(), port.value.numbers()))
                    .or_insert(port.loc);
            }
            Some((parent, lane)) => lanes
                .entry((switch.as_str(), parent))
                .or_default()
                .push((lane, port.loc)),
        }
    }
    for (key, &loc) in &whole {
        if let Some(breakout) = split.get(key) {
            let (switch, port) = (key.0, whole_name(key.1));
            diagnostics.push(
                Diagnostic::error(
                    "E139",
                    format!(
                        "{switch}:{port} is broken out ({}): the whole port does not exist, only its lanes",
                        breakout.map.value.as_str()
                    ),
                )
                .at(loc)
                .related(breakout.port.loc, "broken out here")
                .hint(format!(
                    "cable a lane ({port}/1 … /{}), or remove the `breakout` entry",
                    breakout.map.value.lanes()
                )),
            );
        }
    }
    for (key, used) in &lanes {
        let (switch, port) = (key.0, whole_name(key.1));
        let (first_lane, first_loc) = used[0];
        let Some(breakout) = split.get(key) else {
            // One error per port, naming where its lanes are used.
            let diagnostic = match whole.get(key) {
                Some(&whole_loc) => Diagnostic::error(
                    "E139",
                    format!(
                        "{switch}:{port} is used whole and as lane {port}/{first_lane}: a port is either broken out or not"
                    ),
                )
                .at(first_loc)
                .related(whole_loc, "used whole here")
                .hint("use the whole port, or break it out (`breakout:` of the switch) and cable only its lanes"),
                None => Diagnostic::error(
                    "E138",
                    format!(
                        "{switch}:{port}/{first_lane} is a breakout lane, but `{switch}` does not break out {port}"
                    ),
                )
                .at(first_loc)
                .hint(format!(
                    "add `breakout: [{{ port: {port}, map: 10g-4x }}]` to switch `{switch}` (the map its optics or cable need), or use a whole port"
                )),
            };
            diagnostics.push(used[1..].iter().fold(diagnostic, |d, (lane, loc)| {
                d.related(*loc, format!("lane {lane} used here"))
            }));
            continue;
        };
        let lanes_of_map = breakout.map.value.lanes();
        for (lane, loc) in used.iter().filter(|(lane, _)| *lane > lanes_of_map) {
            diagnostics.push(
                Diagnostic::error(
                    "E138",
                    format!(
                        "{switch}:{port}/{lane}: the port is broken out as {}, which has lanes 1-{lanes_of_map}",
                        breakout.map.value.as_str()
                    ),
                )
                .at(*loc)
                .related(breakout.port.loc, "broken out here")
                .hint("use a lane the map has, or a map with more lanes"),
            );
        }
    }
}

//! Reading a state file (a show-run text: the simulator's own output, a
//! golden config, a real switch's) back into the model, through the same
//! parser and semantics as typed commands.

use crate::apply::apply;
use crate::command::{parse, Mode};
use crate::model::{Device, PortDefaults};
use crate::render::LAST_CHANGE;

/// A line the loader could not take, for the operator.
#[derive(Debug, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// Builds a device from show-run text. `name` is the hostname when the
/// text has none. Unlike typed commands, indentation counts here (an
/// unindented line is always a top-level command) and lines the simulator
/// does not model are kept verbatim instead of rejected, so a real
/// switch's configuration survives a load and save.
pub fn load(text: &str, name: &str, factory: PortDefaults) -> (Device, Vec<Skipped>) {
    let mut dev = Device::blank(name, factory);
    let mut skipped = Vec::new();
    // The stack of modes by depth: [Config, Interface, Hsrp].
    let mut modes: Vec<Mode> = vec![Mode::Config];
    let mut opaque_open = false;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        // Only spaces indent (so slicing by the indent stays on a
        // character boundary); other leading blanks are part of the line.
        let body = line.trim_start_matches(' ');
        if let Some(stamp) = body.strip_prefix(LAST_CHANGE) {
            dev.last_change = stamp.to_string();
        }
        if body.trim().is_empty() || body.starts_with('!') {
            continue;
        }
        let indent = line.len() - body.len();
        if indent == 0 {
            modes.truncate(1);
            opaque_open = false;
            if body.starts_with("version ") {
                continue;
            }
        } else if opaque_open {
            if let Some(block) = dev.opaque.last_mut() {
                block.push(line.to_string());
            }
            continue;
        }
        // Two spaces a level: an indented line belongs to the mode opened
        // at the level above it and never climbs back to the top level.
        if indent > 0 {
            modes.truncate((indent / 2).clamp(1, 2) + 1);
        }
        let current = modes.last().cloned().unwrap_or(Mode::Config);
        let floor = if indent > 0 { modes.get(1) } else { None };
        let parsed = match parse(&current, body, floor) {
            Ok(parsed) => parsed,
            Err(_) if indent == 0 => {
                // A top-level block the simulator does not model.
                dev.opaque.push(vec![line.to_string()]);
                opaque_open = true;
                continue;
            }
            Err(error) => {
                let strip = (2 * (modes.len() - 1)).min(indent);
                match extra_lines(&mut dev, &current) {
                    Some(extra) => extra.push(line[strip..].to_string()),
                    None => skipped.push(Skipped {
                        line: index + 1,
                        text: line.to_string(),
                        reason: error.message,
                    }),
                }
                continue;
            }
        };
        match apply(&mut dev, &parsed, true) {
            Ok(_) => {
                let level = modes.iter().position(|m| *m == parsed.mode).unwrap_or(0);
                modes.truncate(level + 1);
                let next = parsed.next_mode();
                if next != parsed.mode {
                    modes.push(next);
                }
            }
            Err(error) => skipped.push(Skipped {
                line: index + 1,
                text: line.to_string(),
                reason: error.message,
            }),
        }
    }
    (dev, skipped)
}

/// Where a block keeps lines it does not model.
fn extra_lines<'a>(dev: &'a mut Device, mode: &Mode) -> Option<&'a mut Vec<String>> {
    match mode {
        Mode::Interface(name) => dev.interfaces.get_mut(name).map(|i| &mut i.extra),
        Mode::Hsrp(name, group) => dev
            .interfaces
            .get_mut(name)
            .and_then(|i| i.hsrp.get_mut(group))
            .map(|h| &mut h.extra),
        Mode::Vlan(ids) if ids.len() == 1 => dev.vlans.get_mut(&ids[0]).map(|v| &mut v.extra),
        Mode::Vrf(name) => dev.vrfs.get_mut(name).map(|v| &mut v.extra),
        Mode::VpcDomain => dev.vpc.as_mut().map(|v| &mut v.extra),
        _ => None,
    }
}

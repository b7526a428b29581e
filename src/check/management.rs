//! Management addresses: each switch is reached at a `mgmt` SSH can
//! connect to (E157) and its own (E152),
//! and the vPC peer-keepalive runs between addresses that belong to one
//! switch each (E153, E154). Two peers with the same keepalive address get
//! `peer-keepalive destination X source X` and the vPC never forms; a
//! keepalive address that is another switch's management address sends
//! the peer's heartbeats to the wrong box (Cisco Nexus 9000 Interfaces
//! Configuration Guide, "Configuring vPCs": the destination is the peer's
//! mgmt0 address, the source the switch's own).

use crate::device::Target;
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::inventory::{Index, Inventory, Spanned, Switch};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

pub fn management_addresses(inventory: &Inventory, index: &Index, diagnostics: &mut Diagnostics) {
    unique_mgmt(inventory, diagnostics);
    unique_keepalives(inventory, index, diagnostics);
}

/// Where SSH reaches a switch, compared as a device would be reached: an
/// IP address in its canonical form, a DNS name case-insensitively (RFC
/// 4343), and the port (22 when not written). Two switches behind one
/// address with different ports (a jump host, a console server) are
/// distinct.
fn reach(mgmt: &str) -> Option<(String, u16)> {
    let target = Target::parse("", mgmt).ok()?;
    let host = match target.host.parse::<IpAddr>() {
        Ok(address) => address.to_string(),
        Err(_) => target.host.trim_end_matches('.').to_ascii_lowercase(),
    };
    Some((host, target.port))
}

/// The IPv4 address a `mgmt` value names, when it names one.
fn mgmt_ipv4(switch: &Switch) -> Option<Spanned<Ipv4Addr>> {
    let mgmt = switch.mgmt.as_ref()?;
    let host = Target::parse("", &mgmt.value).ok()?.host;
    Some(Spanned::new(host.parse().ok()?, mgmt.loc))
}

/// The keepalive address, unless E136 refuses it already.
/// The address `switch`'s pair heartbeat runs from, where its platform
/// configures one ([`crate::platform::PairWords::keepalive`]; on EOS the
/// keepalive addresses are unused) and the address can be an interface's.
fn usable_keepalive(switch: &Switch) -> Option<(Spanned<Ipv4Addr>, &'static str)> {
    switch.platform.value.pair_words().keepalive.as_ref()?;
    switch
        .keepalive_address()
        .filter(|(a, _)| !super::addresses::is_special(IpAddr::V4(a.value)))
}

fn unique_mgmt(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<(String, u16), (&str, Loc)> = HashMap::new();
    for switch in &inventory.switches {
        let Some(mgmt) = &switch.mgmt else { continue };
        let Some(key) = reach(&mgmt.value) else {
            let why = Target::parse(&switch.name.value, &mgmt.value)
                .err()
                .unwrap_or_default();
            diagnostics.push(
                Diagnostic::error("E157", format!("`mgmt` {why}: liaison cannot connect to it"))
                    .at(mgmt.loc)
                    .hint("write the address SSH reaches the switch at: `192.0.2.11`, `sw1.example.net`, `host:port` or `[2001:db8::11]:port`"),
            );
            continue;
        };
        match seen.get(&key) {
            Some((first, first_loc)) => diagnostics.push(
                Diagnostic::error(
                    "E152",
                    format!(
                        "`mgmt` {} of switch `{}` is also the management address of `{first}`",
                        mgmt.value, switch.name.value
                    ),
                )
                .at(mgmt.loc)
                .related(*first_loc, format!("`{first}`'s mgmt"))
                .hint("each switch is reached at its own address (or its own port of a shared jump host: `host:port`); liaison would plan and push one switch's config to the other"),
            ),
            None => {
                seen.insert(key, (switch.name.as_str(), mgmt.loc));
            }
        }
    }
}

fn unique_keepalives(inventory: &Inventory, index: &Index, diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<Ipv4Addr, (&Switch, Loc, &str)> = HashMap::new();
    for switch in &inventory.switches {
        let Some((address, key)) = usable_keepalive(switch) else {
            continue;
        };
        let Some((first, first_loc, first_key)) = seen.get(&address.value) else {
            seen.insert(address.value, (switch, address.loc, key));
            continue;
        };
        // Point at a written `keepalive` rather than at a `mgmt` that
        // only stands for one: the written one is the likelier slip.
        let (here, there) = if key == "mgmt" && *first_key == "keepalive" {
            ((*first, *first_loc, *first_key), (switch, address.loc, key))
        } else {
            ((switch, address.loc, key), (*first, *first_loc, *first_key))
        };
        let peers = index.peer_of(there.0.name.as_str()) == Some(here.0.name.as_str());
        let platform = here.0.platform.value;
        let words = platform.pair_words();
        let shared = address.value.to_string();
        let message = match words.keepalive.as_ref().filter(|_| peers) {
            Some(heartbeat) => format!(
                "{pair} peers `{}` and `{}` have the same keepalive address {shared}: each would get `{}` and the {pair} never forms",
                here.0.name.value,
                there.0.name.value,
                (heartbeat.line)(&shared, &shared),
                pair = platform.pair_name(),
            ),
            None => format!(
                "keepalive address {} of switch `{}` (its `{}`) is also the keepalive address of `{}`",
                address.value, here.0.name.value, here.2, there.0.name.value
            ),
        };
        diagnostics.push(
            Diagnostic::error("E153", message)
                .at(here.1)
                .related(there.1, format!("`{}`'s `{}`", there.0.name.value, there.2))
                .hint(format!(
                    "the keepalive address is the switch's own {} address: write `keepalive: A.B.C.D` with each switch's own",
                    words.management_interface
                )),
        );
    }
    // A keepalive address that another switch is managed at, where that
    // switch's own keepalive is elsewhere (else E153 said it).
    let mut managed_at: HashMap<Ipv4Addr, &Switch> = HashMap::new();
    for switch in &inventory.switches {
        if let Some(address) = mgmt_ipv4(switch) {
            managed_at.entry(address.value).or_insert(switch);
        }
    }
    for switch in &inventory.switches {
        let Some((address, key)) = usable_keepalive(switch) else {
            continue;
        };
        let Some(other) = managed_at.get(&address.value) else {
            continue;
        };
        let other_keepalive = other.keepalive_address().map(|(a, _)| a.value);
        if other.name.value == switch.name.value || other_keepalive == Some(address.value) {
            continue;
        }
        let Some(mgmt) = &other.mgmt else { continue };
        let platform = switch.platform.value;
        let heartbeat = platform
            .pair_words()
            .keepalive
            .as_ref()
            .map_or("", |k| k.name);
        diagnostics.push(
            Diagnostic::error(
                "E154",
                format!(
                    "keepalive address {} of switch `{}` (its `{key}`) is the management address of `{}`: the {heartbeat} would go to the wrong switch",
                    address.value, switch.name.value, other.name.value
                ),
            )
            .at(address.loc)
            .related(mgmt.loc, format!("`{}`'s mgmt", other.name.value))
            .hint(format!(
                "write `keepalive:` with the address of `{}`'s own {} interface",
                switch.name.value,
                platform.pair_words().management_interface
            )),
        );
    }
}

//! What the renderer needs from EOS: the templates in `templates/eos/`
//! and the filter that writes an access list's entries the EOS way.

use crate::intent::{Ace, Acl, AddressMatch, EntryBody, PortMatch};
use crate::platform::ace::ace_words;
use crate::render::{acl_filter_value, AclGroups, TemplateSet};
use minijinja::{Environment, Error, ErrorKind, Value};

macro_rules! eos_templates {
    ($($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../../templates/eos/", $file)))),*]
    };
}

pub const TEMPLATES: TemplateSet = TemplateSet {
    dir: "eos",
    files: eos_templates!(
        "device.j2",
        "stp.j2",
        "vlans.j2",
        "vrfs.j2",
        "port_channels.j2",
        "interfaces.j2",
        "switchport.j2",
        "stp_port.j2",
        "svis.j2",
        "virtual_router.j2",
        "acls.j2",
        "acl.j2",
        "routing.j2",
        "mlag.j2",
        "routes.j2",
    ),
    add_filters,
};

fn add_filters(env: &mut Environment<'static>) {
    env.add_filter("eos_entries", eos_entries);
}

/// How many EOS entry numbers one liaison sequence number spans: an
/// entry at sequence `s` becomes EOS entries `s × SPREAD + i`, one per
/// combination `i` of its object-groups' members. liaison's highest
/// sequence (20,000,000) times this stays below EOS's highest entry
/// number, 4294967295 (the largest the public configs show, e.g.
/// tests/fixtures/eos/avd__cli_config_gen__acl.cfg).
pub const SPREAD: u64 = 100;
const MAX_ENTRY_NUMBER: u64 = 4_294_967_295;
// liaison's last sequence, `deny ip any any` (docs/policy.md, "Names and
// sequence numbers"), still has a number.
const _: () = assert!(20_000_000 * SPREAD <= MAX_ENTRY_NUMBER);

/// The `eos_entries` filter: every entry of an ACL as EOS numbers and
/// writes it (`1000 remark TEXT`, `1010 permit tcp 10.1.10.0/24 any eq 443`),
/// object-groups expanded into one entry per combination of their members
/// (EOS's `ip access-list` takes no NX-OS object-group). An entry whose
/// combinations would run into the next entry's numbers is an error.
pub fn eos_entries(acl: &Value, groups: &Value) -> Result<Vec<String>, Error> {
    let acl = acl_filter_value(acl, "eos_entries")?;
    let groups = groups
        .downcast_object_ref::<AclGroups>()
        .ok_or_else(|| invalid("eos_entries takes `groups` as its argument".into()))?;
    entry_lines(acl, groups)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, message)
}

fn entry_lines(acl: &Acl, groups: &AclGroups) -> Result<Vec<String>, Error> {
    let mut lines = Vec::with_capacity(acl.entries.len());
    for (i, entry) in acl.entries.iter().enumerate() {
        let first = u64::from(entry.seq) * SPREAD;
        let room = acl
            .entries
            .get(i + 1)
            .map_or(MAX_ENTRY_NUMBER + 1 - first, |next| {
                (u64::from(next.seq) * SPREAD).saturating_sub(first)
            });
        match &entry.body {
            EntryBody::Remark { text } => lines.push(format!("{first} remark {text}")),
            EntryBody::Match(ace) => {
                let expanded = expand(ace, groups)?;
                if expanded.len() as u64 > room {
                    return Err(invalid(format!(
                        "entry {} of `{}` expands into {} EOS entries, more than the {room} numbers before the next entry",
                        entry.seq,
                        acl.name,
                        expanded.len()
                    )));
                }
                for (k, ace) in expanded.iter().enumerate() {
                    lines.push(format!("{} {}", first + k as u64, ace_words(ace)));
                }
            }
        }
    }
    Ok(lines)
}

/// `ace` with each object-group replaced by its members: one entry per
/// combination, in the order source address, source ports, destination
/// address, destination ports (members in the groups' order).
fn expand(ace: &Ace, groups: &AclGroups) -> Result<Vec<Ace>, Error> {
    let addresses = |address: &AddressMatch| -> Result<Vec<AddressMatch>, Error> {
        match address {
            AddressMatch::Group { name } => Ok(groups
                .addresses(name)
                .ok_or_else(|| invalid(format!("no address group `{name}`")))?
                .iter()
                .map(|prefix| AddressMatch::Prefix { prefix: *prefix })
                .collect()),
            other => Ok(vec![other.clone()]),
        }
    };
    let ports = |ports: &Option<PortMatch>| -> Result<Vec<Option<PortMatch>>, Error> {
        match ports {
            Some(PortMatch::Group { name }) => Ok(groups
                .ports(name)
                .ok_or_else(|| invalid(format!("no port group `{name}`")))?
                .iter()
                .map(|r| {
                    Some(if r.low == r.high {
                        PortMatch::Eq { port: r.low }
                    } else {
                        PortMatch::Range {
                            low: r.low,
                            high: r.high,
                        }
                    })
                })
                .collect()),
            other => Ok(vec![other.clone()]),
        }
    };
    let sources = addresses(&ace.source)?;
    let source_ports = ports(&ace.source_ports)?;
    let destinations = addresses(&ace.destination)?;
    let destination_ports = ports(&ace.destination_ports)?;
    let mut out = Vec::with_capacity(
        sources.len() * source_ports.len() * destinations.len() * destination_ports.len(),
    );
    for source in &sources {
        for sp in &source_ports {
            for destination in &destinations {
                for dp in &destination_ports {
                    out.push(Ace {
                        source: source.clone(),
                        source_ports: sp.clone(),
                        destination: destination.clone(),
                        destination_ports: dp.clone(),
                        ..ace.clone()
                    });
                }
            }
        }
    }
    Ok(out)
}

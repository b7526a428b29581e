//! What the renderer needs from NX-OS: the templates in `templates/nxos/`
//! and the filter that spells an access-list entry the NX-OS way.

use crate::intent::EntryBody;
use crate::platform::ace::ace_words;
use crate::render::{ace_filter_entry, TemplateSet};
use minijinja::{Environment, Error, Value};

pub const TEMPLATES: TemplateSet = TemplateSet {
    dir: "nxos",
    files: &[
        (
            "device.j2",
            include_str!("../../../templates/nxos/device.j2"),
        ),
        (
            "features.j2",
            include_str!("../../../templates/nxos/features.j2"),
        ),
        (
            "breakout.j2",
            include_str!("../../../templates/nxos/breakout.j2"),
        ),
        ("vlans.j2", include_str!("../../../templates/nxos/vlans.j2")),
        ("stp.j2", include_str!("../../../templates/nxos/stp.j2")),
        ("vrfs.j2", include_str!("../../../templates/nxos/vrfs.j2")),
        ("vpc.j2", include_str!("../../../templates/nxos/vpc.j2")),
        ("acls.j2", include_str!("../../../templates/nxos/acls.j2")),
        ("acl.j2", include_str!("../../../templates/nxos/acl.j2")),
        ("svis.j2", include_str!("../../../templates/nxos/svis.j2")),
        (
            "switchport.j2",
            include_str!("../../../templates/nxos/switchport.j2"),
        ),
        (
            "stp_port.j2",
            include_str!("../../../templates/nxos/stp_port.j2"),
        ),
        (
            "port_mtu.j2",
            include_str!("../../../templates/nxos/port_mtu.j2"),
        ),
        (
            "port_channels.j2",
            include_str!("../../../templates/nxos/port_channels.j2"),
        ),
        (
            "interfaces.j2",
            include_str!("../../../templates/nxos/interfaces.j2"),
        ),
        (
            "routes.j2",
            include_str!("../../../templates/nxos/routes.j2"),
        ),
    ],
    add_filters,
};

fn add_filters(env: &mut Environment<'static>) {
    env.add_filter("nxos_ace", nxos_ace);
}

/// The `nxos_ace` filter: an entry's words after its sequence number, as
/// NX-OS writes them, e.g. `permit tcp 10.1.10.0/24 addrgroup segs-3
/// portgroup ports-53_443 established log`; a remark's `remark TEXT`.
pub fn nxos_ace(entry: &Value) -> Result<String, Error> {
    let entry = ace_filter_entry(entry, "nxos_ace")?;
    Ok(match &entry.body {
        EntryBody::Remark { text } => format!("remark {text}"),
        EntryBody::Match(ace) => ace_words(ace),
    })
}

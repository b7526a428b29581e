//! Addresses no switch takes, refused before they reach a config: segment
//! subnets and external-link addresses in special-purpose ranges, an
//! external link's address with no room for a host (`/0`, the network or
//! broadcast address of its prefix), an external link inside a segment's
//! subnet of the same VRF, and keepalive addresses that are not a host's.

use crate::diag::{Diagnostic, Diagnostics};
use crate::inventory::{Inventory, Spanned};
use ipnetwork::{IpNetwork, Ipv4Network};
use std::net::{IpAddr, Ipv4Addr};

/// IPv4 ranges an interface or a subnet of hosts never uses, from the IANA
/// IPv4 Special-Purpose Address Registry (RFC 6890) and the RFCs it cites.
const SPECIAL_V4: &[(Ipv4Addr, u8, &str)] = &[
    (
        Ipv4Addr::new(0, 0, 0, 0),
        8,
        "0.0.0.0/8, \"this network\" (RFC 791, RFC 1122 3.2.1.3)",
    ),
    (
        Ipv4Addr::new(127, 0, 0, 0),
        8,
        "127.0.0.0/8, loopback (RFC 1122 3.2.1.3)",
    ),
    (
        Ipv4Addr::new(224, 0, 0, 0),
        4,
        "224.0.0.0/4, multicast (RFC 5771)",
    ),
    (
        Ipv4Addr::new(240, 0, 0, 0),
        4,
        "240.0.0.0/4, reserved (RFC 1112), with 255.255.255.255 the limited broadcast (RFC 919)",
    ),
];

/// IPv6: unspecified/loopback/IPv4-mapped (::/8, RFC 4291 2.4) and
/// multicast (ff00::/8, RFC 4291 2.7).
const SPECIAL_V6: &[(&str, u8, &str)] = &[
    (
        "::",
        8,
        "::/8, reserved: unspecified, loopback, IPv4-mapped (RFC 4291 2.4)",
    ),
    ("ff00::", 8, "ff00::/8, multicast (RFC 4291 2.7)"),
];

/// The special-purpose range `net` overlaps, if any.
fn special_range(net: IpNetwork) -> Option<&'static str> {
    let overlaps =
        |range: IpNetwork| range.contains(net.network()) || net.contains(range.network());
    match net {
        IpNetwork::V4(_) => SPECIAL_V4.iter().find_map(|(address, prefix, why)| {
            let range = IpNetwork::V4(Ipv4Network::new(*address, *prefix).ok()?);
            overlaps(range).then_some(*why)
        }),
        IpNetwork::V6(_) => SPECIAL_V6.iter().find_map(|(address, prefix, why)| {
            let range = IpNetwork::new(address.parse().ok()?, *prefix).ok()?;
            overlaps(range).then_some(*why)
        }),
    }
}

/// Whether a host address is in a special-purpose range (E136 says so).
pub(super) fn is_special(address: IpAddr) -> bool {
    special_range(host(address)).is_some()
}

fn host(address: IpAddr) -> IpNetwork {
    IpNetwork::from(address)
}

pub fn addresses(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    for segment in &inventory.segments {
        let Some(subnet) = &segment.subnet else {
            continue;
        };
        if let Some(range) = special_range(subnet.value) {
            diagnostics.push(
                Diagnostic::error(
                    "E136",
                    format!(
                        "subnet {} of segment `{}` is in {range}: no switch routes it as a subnet of hosts",
                        subnet.value, segment.name.value
                    ),
                )
                .at(subnet.loc)
                .hint("use a unicast range, e.g. private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)"),
            );
        }
    }
    for external in &inventory.external {
        if let Some(problem) = unusable_interface_address(&external.address) {
            diagnostics.push(problem);
            continue; // one error for one mistake: no overlap to report
        }
        if let Some(range) = special_range(host(external.next_hop.value)) {
            diagnostics.push(
                Diagnostic::error(
                    "E136",
                    format!(
                        "next hop {} is in {range}: no router answers there",
                        external.next_hop.value
                    ),
                )
                .at(external.next_hop.loc)
                .hint("give the address of the upstream router on this link"),
            );
        }
        let link = external.address.value;
        let inside = inventory.segments.iter().find(|segment| {
            segment.vrf() == external.vrf()
                && segment.subnet.as_ref().is_some_and(|s| {
                    s.value.is_ipv4() == link.is_ipv4()
                        && (s.value.contains(link.ip()) || link.contains(s.value.network()))
                })
        });
        if let Some(segment) = inside {
            let subnet = segment.subnet.as_ref().map_or(segment.loc, |s| s.loc);
            diagnostics.push(
                Diagnostic::error(
                    "E137",
                    format!(
                        "external link address {link} overlaps subnet {} of segment `{}` in VRF `{}`: the switch cannot route both",
                        segment.subnet.as_ref().map(|s| s.value.to_string()).unwrap_or_default(),
                        segment.name.value,
                        external.vrf()
                    ),
                )
                .at(external.address.loc)
                .related(subnet, "the segment's subnet")
                .hint("number the external link from a range no segment of its VRF uses (a /31 or /30 of transfer space)"),
            );
        }
    }
    unique_external_addresses(inventory, diagnostics);
    for switch in &inventory.switches {
        // Only where the platform's pair uses the address (on EOS no
        // keepalive address is rendered).
        let words = switch.platform.value.pair_words();
        let Some(heartbeat) = &words.keepalive else {
            continue;
        };
        let keepalive = switch.keepalive_address();
        let hint = format!(
            "write the switch's {} address, the one the {} uses",
            words.management_interface, heartbeat.short
        );
        if let Some(problem) = keepalive.and_then(|(a, key)| unusable_host(&a, key, &hint)) {
            diagnostics.push(problem);
        }
    }
}

/// E156: an external link's address is its switch's own in its VRF: two
/// links with the same address in one VRF (on one switch or two: the
/// fabric routes the VRF as one), or two links of one switch whose
/// prefixes overlap in one VRF, which NX-OS refuses ("IP address overlaps
/// with ..."). Two switches' links on one upstream LAN (overlapping
/// prefixes, different addresses) are fine.
fn unique_external_addresses(inventory: &Inventory, diagnostics: &mut Diagnostics) {
    let usable: Vec<_> = inventory
        .external
        .iter()
        .filter(|e| unusable_interface_address(&e.address).is_none())
        .collect();
    for (i, external) in usable.iter().enumerate() {
        let link = external.address.value;
        let clash = usable[..i].iter().find_map(|first| {
            let other = first.address.value;
            if first.vrf() != external.vrf() || other.is_ipv4() != link.is_ipv4() {
                return None;
            }
            if other.ip() == link.ip() {
                return Some((first, "has the same address"));
            }
            let overlap = other.contains(link.network()) || link.contains(other.network());
            (overlap && first.switch.value == external.switch.value)
                .then_some((first, "overlaps the prefix of"))
        });
        let Some((first, how)) = clash else { continue };
        diagnostics.push(
            Diagnostic::error(
                "E156",
                format!(
                    "external link address {link} of `{}` {how} the external link {} of `{}` in VRF `{}`",
                    external.switch.value,
                    first.address.value,
                    first.switch.value,
                    external.vrf()
                ),
            )
            .at(external.address.loc)
            .related(first.address.loc, "the other external link")
            .hint("each routed interface takes its own address; on one switch and VRF, prefixes must not overlap (number each link from its own /31 or /30)"),
        );
    }
}

/// An interface address with no room for a host, or in a special range.
fn unusable_interface_address(address: &Spanned<IpNetwork>) -> Option<Diagnostic> {
    let net = address.value;
    let error = |message: String, hint: &str| {
        Some(
            Diagnostic::error("E136", message)
                .at(address.loc)
                .hint(hint.to_string()),
        )
    };
    if net.prefix() == 0 {
        return error(
            format!("interface address {net} has prefix length 0: it would claim every address as on-link"),
            "write the link's own prefix, e.g. `192.0.2.1/31`",
        );
    }
    if let Some(range) = special_range(host(net.ip())) {
        return error(
            format!("interface address {net} is in {range}: no switch takes it on an interface"),
            "use the unicast address the upstream router's link is numbered from",
        );
    }
    if super::is_network_or_broadcast(net, net.ip()) {
        return error(
            format!("interface address {net} is the network or broadcast address of its prefix"),
            "pick a host address of the prefix (or a /31, where both addresses are hosts)",
        );
    }
    None
}

/// A host address (no prefix) that no interface takes.
fn unusable_host(address: &Spanned<Ipv4Addr>, what: &str, hint: &str) -> Option<Diagnostic> {
    let range = special_range(host(IpAddr::V4(address.value)))?;
    Some(
        Diagnostic::error(
            "E136",
            format!(
                "`{what}` {} is in {range}: it is no interface's address",
                address.value
            ),
        )
        .at(address.loc)
        .hint(hint),
    )
}

//! What the build side (`render`, `compile`, `check`, `budget`, `policy`)
//! asks a platform: one lookup per fact, each answered from the
//! platform's folder.

use super::{eos, nxos, Platform};
use crate::inventory::Port;
use crate::render::TemplateSet;
use std::net::Ipv4Addr;
use std::ops::RangeInclusive;

impl Platform {
    /// The platform's templates, in the order they are listed, and the
    /// filters they use.
    pub fn templates(self) -> &'static TemplateSet {
        match self {
            Platform::Nxos => &nxos::render::TEMPLATES,
            Platform::Eos => &eos::render::TEMPLATES,
        }
    }

    /// The numbers the platform accepts and reserves.
    pub fn numbering(self) -> &'static Numbering {
        match self {
            Platform::Nxos => &nxos::numbering::NUMBERING,
            Platform::Eos => &eos::numbering::NUMBERING,
        }
    }

    /// The platform's command line: its name and the character sequences
    /// it acts on wherever they are typed.
    pub fn cli_text(self) -> &'static CliText {
        match self {
            Platform::Nxos => &nxos::cli_text::CLI_TEXT,
            Platform::Eos => &eos::cli_text::CLI_TEXT,
        }
    }

    /// How the platform names ports.
    pub fn port_naming(self) -> &'static PortNaming {
        match self {
            Platform::Nxos => &nxos::ports::PORT_NAMING,
            Platform::Eos => &eos::ports::PORT_NAMING,
        }
    }

    /// What the platform can do with router ACLs and object-groups.
    pub fn acl_support(self) -> &'static AclSupport {
        match self {
            Platform::Nxos => &nxos::acl::ACL_SUPPORT,
            Platform::Eos => &eos::acl::ACL_SUPPORT,
        }
    }

    /// The name of port-channel `number` on the platform, spelled the
    /// platform's way (`port-channel10`, `Port-Channel10`).
    pub fn port_channel_name(self, number: u32) -> String {
        format!("{}{number}", self.port_naming().port_channel)
    }

    /// How the platform programs router ACLs into TCAM.
    pub fn tcam(self) -> &'static TcamModel {
        match self {
            Platform::Nxos => &nxos::tcam::TCAM,
            Platform::Eos => &eos::tcam::TCAM,
        }
    }

    /// Whether liaison can build the platform's configs (it has templates).
    pub fn builds(self) -> bool {
        !self.templates().files.is_empty()
    }

    /// When the platform's table of hidden port defaults does not have
    /// `model`: how a plan of saved configs reads its ports instead (W060).
    /// None for a known model, and on a platform without such a table.
    pub fn unknown_port_defaults(self, model: &str) -> Option<&'static str> {
        match self {
            Platform::Nxos => nxos::defaults::of_model(Some(model))
                .is_none()
                .then_some(nxos::defaults::FALLBACK_DESCRIPTION),
            Platform::Eos => None,
        }
    }
}

/// The highest VLAN a segment or transit link may use on any platform:
/// below every platform's reserved range (a VLAN may reach any switch).
pub fn last_usable_vlan() -> u16 {
    Platform::ALL
        .into_iter()
        .filter_map(|p| p.numbering().reserved_vlans.as_ref())
        .map(|r| r.start() - 1)
        .min()
        .unwrap_or(4094)
}

/// The numbers a platform accepts and keeps for itself, as data.
pub struct Numbering {
    /// Port-channels are numbered 1 to this.
    pub max_port_channel: u32,
    /// The number a bundle asks for, from its lowest member port: derived
    /// from the port, so it does not move when others are added.
    pub port_channel_of: fn(&Port) -> u32,
    /// Pair domains (vPC domain, MLAG domain) are numbered 1 to this.
    pub max_pair_domain: u16,
    /// The highest first-hop redundancy group of version 1; a group above
    /// it needs version 2.
    pub fhrp_v1_max_group: u16,
    /// VLANs the platform keeps for internal use: never a segment's.
    pub reserved_vlans: Option<RangeInclusive<u16>>,
    pub mtu: MtuRange,
    /// The /31 (its even address) whose two addresses the members of
    /// every pair give the SVI of their peer VLAN, in the default VRF,
    /// where the platform's pairs talk over a routed SVI: the member first
    /// by name takes the even address. A switch address like any other:
    /// the ACLs of a gateway group that routes the default VRF deny it
    /// (docs/policy.md, "Protecting the switches"). None where a pair's
    /// own traffic takes no address a segment can route to.
    pub pair_peer_subnet: Option<Ipv4Addr>,
}

impl Numbering {
    /// The first-hop redundancy version a group number needs.
    pub fn fhrp_version(&self, group: u16) -> u8 {
        if group > self.fhrp_v1_max_group {
            2
        } else {
            1
        }
    }
}

/// The IP MTUs a platform's switches can carry.
pub struct MtuRange {
    /// Smallest IP MTU of a routed interface or SVI.
    pub min_routed: u32,
    /// Largest IP MTU a port carries (layer 2 or 3).
    pub max: u32,
}

/// What a platform's command line does with typed text.
pub struct CliText {
    /// The name its documentation gives it, for messages.
    pub name: &'static str,
    pub interpreted: &'static [Interpreted],
}

/// A character sequence a CLI interprets, and where that is documented.
pub struct Interpreted {
    pub text: &'static str,
    pub effect: &'static str,
    pub source: &'static str,
}

/// The longest object-group name every platform takes: a group is named
/// after its content and may reach any switch. None when no platform
/// limits it.
pub fn max_object_group_name() -> Option<usize> {
    Platform::ALL
        .into_iter()
        .filter_map(|p| p.acl_support().max_object_group_name)
        .min()
}

/// What a platform can do with router ACLs, as data.
pub struct AclSupport {
    /// The switches' product family as the vendor's documentation names
    /// it, for messages about what they cannot do.
    pub hardware: &'static str,
    /// Whether an egress ACL entry with `log` is honoured.
    pub logs_egress_entries: bool,
    /// The longest object-group name it takes; None when unknown or
    /// unlimited.
    pub max_object_group_name: Option<usize>,
    /// Where router ACLs can filter, by model family: the first row with a
    /// prefix of the switch's `model` decides.
    pub placement_by_model: &'static [ModelPlacement],
    /// A model in no row, or a switch without `model`.
    pub placement_otherwise: ModelPlacement,
}

impl AclSupport {
    /// Where a switch of `model` filters with router ACLs, and whether
    /// that comes from a row of the table (false: the fallback).
    pub fn placement(&self, model: Option<&str>) -> (&ModelPlacement, bool) {
        let row = model.and_then(|m| {
            self.placement_by_model
                .iter()
                .find(|row| row.models.iter().any(|prefix| m.starts_with(prefix)))
        });
        match row {
            Some(row) => (row, true),
            None => (&self.placement_otherwise, false),
        }
    }
}

/// Where router ACLs filter routed traffic on a gateway (docs/policy.md,
/// "Placement is a capability").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AclPlacement {
    /// Bound `in` and `out` on the SVIs: a segment's inbound policy is
    /// its SVI's egress ACL.
    InAndOut,
    /// The model takes no egress router ACL on an SVI: every ACL is bound
    /// `in`, and a segment's inbound policy is enforced where traffic to
    /// it enters the gateway (the other segments' SVIs, the external
    /// links).
    IngressOnly,
}

/// Where the router ACLs of one model family can filter, and why liaison
/// believes so.
pub struct ModelPlacement {
    /// What the family's model names begin with (`DCS-7280SR`).
    pub models: &'static [&'static str],
    /// The family as the vendor names it, for messages.
    pub family: &'static str,
    pub placement: AclPlacement,
    /// Where that is documented, or "A guess: …".
    pub source: &'static str,
}

/// How a platform turns a router ACL into TCAM entries, as data.
pub struct TcamModel {
    /// An entry that uses object-groups takes one TCAM entry per
    /// combination of their members (else one).
    pub expands_object_groups: bool,
    /// A port range takes one entry per aligned power-of-two block of
    /// ports (else one: a range checker matches it).
    pub port_ranges_as_blocks: bool,
    /// Entries an `established` match takes (TCP ACK or RST).
    pub established_entries: u64,
}

/// How a platform names ports, as data.
pub struct PortNaming {
    /// What an Ethernet port's name may start with, lowercase: the full
    /// word and the abbreviations the CLI takes.
    pub ethernet_prefixes: &'static [&'static str],
    /// How many `/`-separated numbers a name has (slot, port, lane…).
    pub numbers: RangeInclusive<usize>,
    /// The largest any one number may be.
    pub max_number: u16,
    /// The forms, for an error message.
    pub forms: &'static str,
    /// How to write a port, for a hint.
    pub hint: &'static str,
    /// The port-channel interface, before its number.
    pub port_channel: &'static str,
    /// How many numbers a whole port's name has where the platform names
    /// a breakout lane by one number more (NX-OS: `Ethernet1/49` and its
    /// lane `Ethernet1/49/2`); None where a lane's name cannot be told
    /// from a port's, so liaison does not break the platform's ports out.
    pub whole_port_numbers: Option<usize>,
}

impl PortNaming {
    /// The whole port a breakout lane belongs to (its numbers) and the
    /// lane; None for a whole port, and on a platform whose lanes cannot
    /// be told by name ([`PortNaming::whole_port_numbers`]).
    pub fn lane_of<'p>(&self, port: &'p Port) -> Option<(&'p [u16], u16)> {
        let whole = self.whole_port_numbers?;
        match port.numbers() {
            [parent @ .., lane] if parent.len() == whole => Some((parent, *lane)),
            _ => None,
        }
    }
}

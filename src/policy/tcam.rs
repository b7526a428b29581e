//! How many TCAM entries the compiled ACLs take on each switch.
//!
//! An estimate of what the hardware programs, not a count of config lines,
//! after the switch platform's TCAM model (`platform::build::TcamModel`,
//! its values with their sources in the platform's `tcam.rs`): whether an
//! entry that uses object-groups becomes one TCAM entry per combination of
//! their members, whether a port range becomes one entry per aligned
//! power-of-two block of ports, and how many entries `established` takes.
//! Remarks take none. Ingress and egress router ACLs are counted apart,
//! each against its own limit.

use super::prefix::port_range_entries;
use crate::intent::*;
use crate::platform::build::TcamModel;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// TCAM entries of one switch's router ACLs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tcam {
    /// ACLs bound `in` (the ingress RACL region).
    pub ingress: u64,
    /// ACLs bound `out` (the egress RACL region).
    pub egress: u64,
}

impl Tcam {
    pub fn total(&self) -> u64 {
        self.ingress + self.egress
    }
}

/// Entries per switch, by switch name (every switch, zero when it has no
/// ACL). Switches are counted in parallel: the gateways of a large policy
/// each hold hundreds of thousands of entries.
pub fn per_switch(intent: &Intent) -> BTreeMap<String, Tcam> {
    let counts = crate::pool::run_on_cores(&intent.devices, of_device);
    intent
        .devices
        .iter()
        .map(|device| device.name.clone())
        .zip(counts)
        .collect()
}

/// Entries of one switch: every ACL counted once per SVI it is bound to.
pub fn of_device(device: &DeviceIntent) -> Tcam {
    let sizes = GroupSizes::of(device);
    let entries = |name: &Option<String>| {
        name.as_deref()
            .and_then(|n| device.acl(n))
            .map_or(0, |acl| sizes.acl_entries(acl))
    };
    let mut tcam = Tcam::default();
    for svi in &device.svis {
        tcam.ingress += entries(&svi.acl_in);
        tcam.egress += entries(&svi.acl_out);
    }
    for routed in device.interfaces.iter().filter_map(|i| i.routed.as_ref()) {
        tcam.ingress += entries(&routed.acl_in);
    }
    tcam
}

/// Entries of one ACL as programmed on `device`.
pub fn acl_entries(device: &DeviceIntent, acl: &Acl) -> u64 {
    GroupSizes::of(device).acl_entries(acl)
}

/// Entries per object-group of a device, counted once, and the model of
/// its platform.
struct GroupSizes<'d> {
    addresses: HashMap<&'d str, u64>,
    ports: HashMap<&'d str, u64>,
    model: &'static TcamModel,
}

impl<'d> GroupSizes<'d> {
    fn of(device: &'d DeviceIntent) -> Self {
        let model = device.platform.tcam();
        GroupSizes {
            model,
            addresses: device
                .address_groups
                .iter()
                .map(|g| (g.name.as_str(), g.prefixes.len() as u64))
                .collect(),
            ports: device
                .port_groups
                .iter()
                .map(|g| {
                    let entries = g.ports.iter().map(|r| range_entries(model, r.low, r.high));
                    (g.name.as_str(), entries.sum())
                })
                .collect(),
        }
    }

    fn acl_entries(&self, acl: &Acl) -> u64 {
        acl.entries
            .iter()
            .map(|entry| match &entry.body {
                EntryBody::Remark { .. } => 0,
                EntryBody::Match(ace) => self.ace_entries(ace),
            })
            .sum()
    }

    fn ace_entries(&self, ace: &Ace) -> u64 {
        self.addresses(&ace.source)
            * self.ports(ace.source_ports.as_ref())
            * self.addresses(&ace.destination)
            * self.ports(ace.destination_ports.as_ref())
            * if ace.established {
                self.model.established_entries
            } else {
                1
            }
    }

    fn addresses(&self, matcher: &AddressMatch) -> u64 {
        match matcher {
            AddressMatch::Any | AddressMatch::Prefix { .. } => 1,
            AddressMatch::Group { name } => self.group(&self.addresses, name),
        }
    }

    fn ports(&self, matcher: Option<&PortMatch>) -> u64 {
        match matcher {
            None | Some(PortMatch::Eq { .. }) => 1,
            Some(PortMatch::Range { low, high }) => range_entries(self.model, *low, *high),
            Some(PortMatch::Group { name }) => self.group(&self.ports, name),
        }
    }

    /// What a reference to an object-group costs: its members' entries
    /// when the platform expands groups, else one.
    fn group(&self, sizes: &HashMap<&str, u64>, name: &str) -> u64 {
        if self.model.expands_object_groups {
            sizes.get(name).copied().unwrap_or(1)
        } else {
            1
        }
    }
}

/// Entries of one port range under `model`.
fn range_entries(model: &TcamModel, low: u16, high: u16) -> u64 {
    if model.port_ranges_as_blocks {
        port_range_entries(low, high)
    } else {
        1
    }
}

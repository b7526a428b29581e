//! Access lists as template values.
//!
//! A large policy puts hundreds of thousands of entries on one gateway, so
//! ACLs do not go through serde into template values: an [`Acl`] is a
//! lazy object whose entries answer attribute lookups on demand, and each
//! platform's ACE filter writes an entry's match in one call. Each distinct ACL
//! (the members of a pair share theirs, see `intent`) is rendered once
//! through `acl.j2` into a [`RenderedAcl`], which the device templates
//! insert as `acl.text`.

use crate::intent::{Acl, AclEntry, AddressMatch, DeviceIntent, EntryBody, PortMatch, PortRange};
use ipnetwork::Ipv4Network;
use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Error, ErrorKind};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A device as the templates see it: its serialized fields, which leave
/// out the ACLs, and `acls`, a list of [`AclValue`]s.
#[derive(Debug)]
pub struct DeviceValue {
    pub fields: Value,
    pub acls: Value,
}

impl Object for DeviceValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        if key.as_str() == Some("acls") {
            return Some(self.acls.clone());
        }
        self.fields.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let keys = self.fields.try_iter().into_iter().flatten();
        Enumerator::Values(keys.chain([Value::from("acls")]).collect())
    }
}

/// An ACL as the templates see it: `name`, `entries`, and `text` when it
/// has been rendered already.
#[derive(Debug)]
pub struct AclValue {
    pub acl: Arc<Acl>,
    pub text: Option<Arc<RenderedAcl>>,
}

impl Object for AclValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "name" => Some(Value::from(self.acl.name.as_str())),
            "entries" => Some(Value::from_object(Entries(self.acl.clone()))),
            "text" => self.text.clone().map(Value::from_dyn_object),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        if self.text.is_some() {
            Enumerator::Str(&["name", "entries", "text"])
        } else {
            Enumerator::Str(&["name", "entries"])
        }
    }
}

/// `acl.entries`: a sequence of [`EntryValue`]s.
#[derive(Debug)]
struct Entries(Arc<Acl>);

impl Object for Entries {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize()?;
        (index < self.0.entries.len()).then(|| {
            Value::from_object(EntryValue {
                acl: self.0.clone(),
                index,
            })
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.0.entries.len())
    }
}

/// One entry. `seq` and `kind` (`remark` or `match`) are answered
/// directly; the other fields (`text`, `action`, `protocol`, `source`,
/// `source_ports`, `destination`, `destination_ports`, `established`,
/// `icmp_type`, `log`) as the entry serializes, so a site template can
/// spell entries its own way.
#[derive(Debug)]
pub struct EntryValue {
    acl: Arc<Acl>,
    index: usize,
}

impl EntryValue {
    fn entry(&self) -> &AclEntry {
        &self.acl.entries[self.index]
    }
}

impl Object for EntryValue {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let entry = self.entry();
        match key.as_str()? {
            "seq" => Some(Value::from(entry.seq)),
            "kind" => Some(Value::from(match entry.body {
                EntryBody::Remark { .. } => "remark",
                EntryBody::Match(_) => "match",
            })),
            other => Value::from(minijinja::value::Serde(entry))
                .get_attr(other)
                .ok(),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.entry().body {
            EntryBody::Remark { .. } => Enumerator::Str(&["seq", "kind", "text"]),
            EntryBody::Match(_) => Enumerator::Str(&[
                "seq",
                "kind",
                "action",
                "protocol",
                "source",
                "source_ports",
                "destination",
                "destination_ports",
                "established",
                "icmp_type",
                "log",
            ]),
        }
    }
}

/// The text of an ACL rendered by `acl.j2`. It went through the output
/// formatter when it was rendered, so it is the one multi-line value the
/// formatter lets through.
#[derive(Debug)]
pub struct RenderedAcl(pub String);

impl Object for RenderedAcl {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The entry a platform's ACE filter (`{{ e | <filter> }}`) was given, or
/// the error that names the filter when it was given something else.
pub fn ace_filter_entry<'v>(value: &'v Value, filter: &str) -> Result<&'v AclEntry, Error> {
    value
        .downcast_object_ref::<EntryValue>()
        .map(EntryValue::entry)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{filter} takes an entry of `acl.entries`"),
            )
        })
}

/// The ACL a platform's ACL filter (`{{ acl | <filter> }}`) was given, or
/// the error that names the filter when it was given something else.
pub fn acl_filter_value<'v>(value: &'v Value, filter: &str) -> Result<&'v Acl, Error> {
    value
        .downcast_object_ref::<AclValue>()
        .map(|v| v.acl.as_ref())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{filter} takes an ACL of `device.acls`"),
            )
        })
}

/// `groups` of `acl.j2`: the object-groups one ACL names, by name, for a
/// platform that writes their members into the entries. Group names are
/// unique to their content across the fabric, so the text still depends
/// on the ACL alone.
#[derive(Debug, Default)]
pub struct AclGroups {
    addresses: HashMap<String, Vec<Ipv4Network>>,
    ports: HashMap<String, Vec<PortRange>>,
}

impl AclGroups {
    /// The groups of `device` that `acl` names.
    pub fn of(device: &DeviceIntent, acl: &Acl) -> AclGroups {
        let mut groups = AclGroups::default();
        for entry in &acl.entries {
            let EntryBody::Match(ace) = &entry.body else {
                continue;
            };
            for address in [&ace.source, &ace.destination] {
                if let AddressMatch::Group { name } = address {
                    if let Some(group) = device.address_group(name) {
                        groups
                            .addresses
                            .entry(name.clone())
                            .or_insert_with(|| group.prefixes.clone());
                    }
                }
            }
            for ports in [&ace.source_ports, &ace.destination_ports] {
                if let Some(PortMatch::Group { name }) = ports {
                    if let Some(group) = device.port_group(name) {
                        groups
                            .ports
                            .entry(name.clone())
                            .or_insert_with(|| group.ports.clone());
                    }
                }
            }
        }
        groups
    }

    /// The prefixes of address group `name`, if the ACL names it.
    pub fn addresses(&self, name: &str) -> Option<&[Ipv4Network]> {
        self.addresses.get(name).map(Vec::as_slice)
    }

    /// The port ranges of port group `name`, if the ACL names it.
    pub fn ports(&self, name: &str) -> Option<&[PortRange]> {
        self.ports.get(name).map(Vec::as_slice)
    }
}

impl Object for AclGroups {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }
}

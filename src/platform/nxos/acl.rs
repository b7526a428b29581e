//! What NX-OS (Nexus 9000) can do with the router ACLs and object-groups
//! `compile::acl` writes.

use crate::platform::build::{AclPlacement, AclSupport, ModelPlacement};

pub const ACL_SUPPORT: AclSupport = AclSupport {
    // The product family the vendor's ACL documentation is written for.
    hardware: "Nexus 9000",
    // "IPv4 ACL logging in the egress direction is not supported" (Cisco
    // Nexus 9000 Series NX-OS Security Configuration Guide, "Guidelines
    // and Limitations for IP ACLs").
    logs_egress_entries: false,
    // An object-group name is at most 63 alphanumeric characters (same
    // guide, "Configuring IPv4 Address Object Groups").
    max_object_group_name: Some(63),
    placement_by_model: &[],
    // Router ACLs apply to VLAN interfaces in either direction ("ip
    // access-group NAME {in | out}"), with an egress RACL TCAM region of
    // their own (`egr-racl`; Cisco Nexus 9000 Series NX-OS Security
    // Configuration Guide, "Configuring IP ACLs" and "Configuring ACL
    // TCAM Region Sizes"), on every Nexus 9000 liaison targets.
    placement_otherwise: ModelPlacement {
        models: &[],
        family: "Nexus 9000",
        placement: AclPlacement::InAndOut,
        source: "Cisco Nexus 9000 Series NX-OS Security Configuration Guide, Configuring IP ACLs: RACLs on VLAN interfaces, in and out",
    },
};

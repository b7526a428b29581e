//! What NX-OS (Nexus 9000) can do with the router ACLs and object-groups
//! `compile::acl` writes.

use crate::platform::build::AclSupport;

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
};

//! What EOS can do with router ACLs. EOS is not buildable yet (issue #13
//! step 2): guesses, not checked against Arista's documents.

use crate::platform::build::AclSupport;

pub const ACL_SUPPORT: AclSupport = AclSupport {
    // A guess: the switch family liaison targets first.
    hardware: "Arista 7000",
    // A guess: assumed like NX-OS until checked, so a logged flow is
    // logged where it enters the fabric.
    logs_egress_entries: false,
    // Unknown: the ACLs liaison will write for EOS expand object-groups
    // into entries (see tcam.rs), so no group name reaches the switch.
    max_object_group_name: None,
};

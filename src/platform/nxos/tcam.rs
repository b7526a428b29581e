//! How NX-OS (Nexus 9000) programs router ACLs into TCAM: the model
//! `policy::tcam` counts entries with.

use crate::platform::build::TcamModel;

pub const TCAM: TcamModel = TcamModel {
    // NX-OS expands object-groups when it programs an ACL: an entry that
    // uses them becomes one TCAM entry per combination of their members.
    expands_object_groups: true,
    // A port range becomes one entry per aligned power-of-two block of
    // ports (the value/mask form a TCAM stores, as when no range checker
    // is used).
    port_ranges_as_blocks: true,
    // `established` matches ACK *or* RST: two entries.
    established_entries: 2,
    // Ingress and egress router ACLs live in separate TCAM regions
    // (`ing-racl`, `egr-racl`; Cisco Nexus 9000 Series NX-OS Security
    // Configuration Guide, "Configuring ACL TCAM Region Sizes"): the two
    // are counted apart, each against its own limit in
    // platforms/limits.yml.
};

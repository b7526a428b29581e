//! How EOS programs the router ACLs liaison writes into TCAM: the model
//! `policy::tcam` counts entries with. Arista documents no per-rule cost
//! table that could be checked while writing this; what is sourced says
//! so, the rest is marked as a guess.

use crate::platform::build::TcamModel;

pub const TCAM: TcamModel = TcamModel {
    // liaison writes no object-group on EOS: an entry naming groups is
    // rendered as one entry per combination of their members (acl.j2,
    // `eos_entries`), and a rule matching a list of addresses "will be
    // expressed in TCAM with multiple entries matching the list"
    // (Arista TOI, ACL TCAM usage, EOS 4.29.2F; the switch may merge
    // entries by masking bits, which liaison's aggregated prefixes leave
    // no room for). So an entry's groups cost their combinations.
    expands_object_groups: true,
    // A guess: a port range takes one entry per aligned power-of-two
    // block of ports, as on a TCAM without range checkers. Trident's
    // ingress ACLs have some range checkers (the EOS 4.9 configuration
    // guide gave its ACLs "diminished capacity if rules contain L4 and
    // port range filters", Arista Warrior ch. 16), so this may over-count
    // there: an over-estimate errs on the safe side of the budget.
    port_ranges_as_blocks: true,
    // A guess: `established` matches ACK or RST, two values of the TCP
    // flags no single ternary entry covers without also matching neither.
    established_entries: 2,
    // A guess: `counters per-entry` (acl.j2) takes counter resources, not
    // TCAM entries; it is not counted.
};

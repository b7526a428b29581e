//! How EOS programs router ACLs into TCAM. EOS is not buildable yet
//! (issue #13 step 2): a guess, not checked against Arista's documents,
//! that counts like NX-OS. EOS ACLs have no object-groups in the syntax
//! liaison will write (step 2 expands them into entries), so an entry's
//! groups cost their combinations either way.

use crate::platform::build::TcamModel;

pub const TCAM: TcamModel = TcamModel {
    expands_object_groups: true,
    port_ranges_as_blocks: true,
    established_entries: 2,
};

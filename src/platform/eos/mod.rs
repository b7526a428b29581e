//! Arista EOS: the second platform (issue #13, step 2). Today only the
//! config signatures that let `diff` recognise and refuse EOS text.

pub mod acl;
pub mod cli_text;
pub mod numbering;
pub mod render;
pub mod signatures;
pub mod tcam;

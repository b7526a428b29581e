//! What the Arista EOS command line does with the text liaison types into it.

use crate::platform::build::{CliText, Interpreted};

pub const CLI_TEXT: CliText = CliText {
    name: "EOS",
    interpreted: CLI_INTERPRETED,
};

/// Character sequences the EOS CLI acts on wherever they are typed.
const CLI_INTERPRETED: &[Interpreted] = &[Interpreted {
    text: "?",
    effect: "prints context help where it is typed, instead of taking the character",
    source: "Arista EOS User Manual, \"Command-Line Interface\": `?` lists the completions (documented behaviour of the interactive CLI, not tried on a device)",
}];

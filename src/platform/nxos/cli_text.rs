//! What the NX-OS command line does with the text liaison types into it.

use crate::platform::build::{CliText, Interpreted};

pub const CLI_TEXT: CliText = CliText {
    name: "NX-OS",
    interpreted: CLI_INTERPRETED,
};

/// Character sequences the NX-OS CLI acts on wherever they are typed, so a
/// description or remark holding one is not what reaches the config.
const CLI_INTERPRETED: &[Interpreted] = &[
    Interpreted {
        text: "?",
        effect: "prints context help where it is typed, instead of taking the character",
        source: "Cisco NX-OS Fundamentals Configuration Guide, \"Using the CLI\": context-sensitive help with `?`",
    },
    Interpreted {
        text: ";",
        effect: "separates commands: the rest of the line runs as a command of its own",
        source: "Cisco TechNote 200714 \"Nexus NX-OS tips and tricks\" (`conf t ; hostname X ; end`)",
    },
    Interpreted {
        text: "$(",
        effect: "starts a CLI variable reference, replaced by the variable's value",
        source: "Cisco TechNote 200714 \"Nexus NX-OS tips and tricks\" (`$(SWITCHNAME)`)",
    },
];

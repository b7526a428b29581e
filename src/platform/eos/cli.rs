//! The EOS CLI driver: prompts, privileges, paging, refused commands.
//! Sources: Arista EOS User Manual, "Command-Line Interface" (exec mode
//! `switch>`, privileged exec `switch#` after `enable`, configuration modes
//! `switch(config)#`, `switch(config-if-Et5)#`), "Configure Session"
//! (`switch(config-s-MySession)#`, the session name's first characters);
//! ngworx.ag's EOS transcript (`leaf1(config-s-sess-1)#`, no space after the
//! prompt).

use crate::device::cli::{is_prompt, last_line, PromptCli, Rules};
use crate::device::{DeviceError, Shell};

/// What EOS prints when it refuses a command: a line that starts with `%`
/// (`% Invalid input`, `% Incomplete command`, `% Ambiguous command`, as
/// the Arista EOS User Manual shows them, and as liaison-eos-sim prints
/// them). A guess until checked against a real switch: EOS may print
/// other `%` lines that are not errors.
const ERROR_MARKER: &str = "% ";

/// The first line of `answer` that reports an error, if any.
pub fn error_in(answer: &str) -> Option<&str> {
    answer
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with(ERROR_MARKER))
}

/// Whether `text` ends with an EOS prompt: `host>`, `host#`,
/// `host(config)#`, `host(config-if-Et49/1)#`, `host(config-s-liaiso-if-Po10)#`
/// (a mode names interfaces, VLAN lists, ACL and VRF names).
pub fn ends_with_prompt(text: &str) -> bool {
    is_prompt(last_line(text), &['#', '>'], |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | '_' | ':' | ',')
    })
}

/// Commands after which the prompt may name another host.
const RENAMING: &[&str] = &["hostname ", "rollback ", "configure replace "];

/// The EOS CLI as [`PromptCli`] drives it: `enable` at a `>` prompt (a
/// user without privilege 15 logs in to exec mode; the manual's
/// "Privileged EXEC mode"), paging off.
pub static RULES: Rules = Rules {
    is_prompt: ends_with_prompt,
    error_in,
    setup: &["terminal length 0"],
    renaming: RENAMING,
    unprivileged: Some(('>', "enable")),
};

/// Opens the EOS CLI on `shell`.
pub fn open<'s>(device: &str, shell: Box<dyn Shell + 's>) -> Result<PromptCli<'s>, DeviceError> {
    PromptCli::open(device, shell, &RULES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts() {
        for p in [
            "leaf1#",
            "leaf1>",
            "leaf1(config)#",
            "leaf1(config-if-Et49/1)#",
            "leaf1(config-s-liaiso-if-Po10)#",
            "leaf1(config-vlan-10,20)#",
            "banner\nleaf1#",
        ] {
            assert!(ends_with_prompt(p), "{p:?}");
        }
        for p in ["", "leaf1", "   description 100#", "leaf1(config#"] {
            assert!(!ends_with_prompt(p), "{p:?}");
        }
    }

    #[test]
    fn answers_end_at_a_prompt_of_the_same_host() {
        let text = "leaf1>enable\nleaf1#";
        assert_eq!(
            crate::device::cli::answer(&RULES, text, "enable").as_deref(),
            Some("")
        );
        let text = "leaf1(config-s-liaiso)#show session-config diffs\n--- system:/running-config\n+++ session:/x\nleaf1(config-s-liaiso)#";
        assert_eq!(
            crate::device::cli::answer(&RULES, text, "show session-config diffs").as_deref(),
            Some("--- system:/running-config\n+++ session:/x")
        );
    }
}

//! The NX-OS CLI driver: prompts, paging off, command echo, and error
//! detection. Any error message from the switch aborts what is being done.

use crate::device::cli::{is_prompt, last_line, PromptCli, Rules};
use crate::device::{DeviceError, Shell};

/// Messages NX-OS prints when it refuses a command. Matched at the start
/// of a line (after the echo), case-sensitive as NX-OS prints them.
const ERROR_MARKERS: &[&str] = &[
    "% Invalid command",
    "% Incomplete command",
    "% Ambiguous command",
    "% Invalid",
    "% Permission denied",
    "ERROR:",
    "Error:",
    "Duplicate sequence number",
    "TCAM",
    "Syntax error",
    "Commit Failed",
    "Verification Failed",
    "Rollback Failed",
];

/// Commands that set a vPC type-1 consistency parameter: the two members
/// of a pair must agree on them, or NX-OS suspends the secondary's vPCs
/// (global ones: all of them; interface ones: that vPC) until they do.
/// From Cisco's "Cisco Nexus 9000 Series NX-OS Interfaces Configuration
/// Guide", Configuring vPCs, "Type 1 consistency parameters": STP mode,
/// STP region configuration (MST), STP port type and the interface STP
/// settings, MTU, port-channel (LACP) mode, switchport mode, native VLAN,
/// speed and duplex. Matched on the command without a leading `no `.
const TYPE1_CONSISTENCY: &[&str] = &[
    "spanning-tree mode ",
    "spanning-tree mst configuration",
    "spanning-tree port type ",
    "spanning-tree guard ",
    "spanning-tree bpduguard ",
    "spanning-tree bpdufilter ",
    "system jumbomtu ",
    "mtu ",
    "channel-group ",
    "switchport mode ",
    "switchport trunk native vlan ",
    "speed ",
    "duplex ",
];

/// Whether `commands` change a vPC type-1 consistency parameter; also any
/// line inside `spanning-tree mst configuration` (region name, revision,
/// instance mapping).
pub fn changes_type1_consistency(commands: &[String]) -> bool {
    let mut in_mst = false;
    commands.iter().any(|command| {
        let indented = command.starts_with(' ');
        let line = command.trim();
        let line = line.strip_prefix("no ").unwrap_or(line);
        if !indented {
            in_mst = line.starts_with("spanning-tree mst configuration");
        }
        (indented && in_mst)
            || TYPE1_CONSISTENCY
                .iter()
                .any(|p| line.starts_with(p) || *p == line)
    })
}

/// Whether `text` ends with an NX-OS prompt: `host#`, `host(config)#`,
/// `host(config-if)#`, `host(config-s)#` …, optionally followed by a space.
pub fn ends_with_prompt(text: &str) -> bool {
    is_prompt(last_line(text), &['#'], |c| {
        c.is_ascii_alphanumeric() || c == '-'
    })
}

/// The first line of `output` that reports an error, if any.
pub fn error_in(output: &str) -> Option<&str> {
    output.lines().map(str::trim).find(|line| {
        ERROR_MARKERS.iter().any(|m| line.starts_with(m))
            || line.contains("Duplicate sequence number")
    })
}

/// Commands after which the prompt may name another host.
const RENAMING: &[&str] = &[
    "hostname ",
    "switchname ",
    "rollback ",
    "configure replace ",
];

/// The NX-OS CLI as [`PromptCli`] drives it: paging off, a wide terminal,
/// no confirmations.
pub static RULES: Rules = Rules {
    is_prompt: ends_with_prompt,
    error_in,
    setup: &[
        "terminal length 0",
        "terminal width 511",
        "terminal dont-ask",
    ],
    renaming: RENAMING,
    unprivileged: None,
};

/// Opens the NX-OS CLI (see [`PromptCli::open`]).
pub struct NxosCli;

impl NxosCli {
    pub fn open<'s>(
        device: &str,
        shell: Box<dyn Shell + 's>,
    ) -> Result<PromptCli<'s>, DeviceError> {
        PromptCli::open(device, shell, &RULES)
    }
}

/// The answer to `command` in `text`, as NX-OS prompts end it.
#[cfg(test)]
fn answer(text: &str, command: &str) -> Option<String> {
    crate::device::cli::answer(&RULES, text, command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts() {
        for p in [
            "agg1# ",
            "agg1#",
            "sw-1(config)# ",
            "tor1a(config-if)# ",
            "x(config-s)#",
            "a\r\nagg1# ",
        ] {
            assert!(ends_with_prompt(p), "{p:?}");
        }
        for p in [
            "",
            "agg1> ",
            "  1.1.1.1/32 # not",
            "interface Vlan10",
            "agg1(config# ",
        ] {
            assert!(!ends_with_prompt(p), "{p:?}");
        }
    }

    #[test]
    fn answers_start_after_the_echo_and_end_at_a_prompt_of_the_same_host() {
        let banner = "Welcome\nfake# \nno really\nsw1# terminal length 0\nsw1# ";
        assert_eq!(answer(banner, "terminal length 0").as_deref(), Some(""));
        // A prompt of another host in the output is not the end.
        let text = "sw1# show x\nline one\nother#";
        assert_eq!(answer(text, "show x"), None);
        assert_eq!(
            answer(&format!("{text}\nsw1# "), "show x").as_deref(),
            Some("line one\nother#")
        );
        // Incomplete: no echo yet, or no prompt after it.
        assert_eq!(answer("sw1# ", "show x"), None);
        assert_eq!(answer("sw1# show x\nline", "show x"), None);
        // Indented configuration lines echo as typed.
        let text = "sw1(config-if)#   description web\nsw1(config-if)# ";
        assert_eq!(answer(text, "  description web").as_deref(), Some(""));
        // A new hostname changes the prompt.
        let text = "sw1(config)# hostname sw9\nsw9(config)# ";
        assert_eq!(answer(text, "hostname sw9").as_deref(), Some(""));
    }

    #[test]
    fn type1_consistency_changes() {
        let lines = |t: &str| t.lines().map(str::to_string).collect::<Vec<_>>();
        for yes in [
            "spanning-tree mode rapid-pvst",
            "interface port-channel11\n  mtu 9216",
            "interface Ethernet1/1\n  no channel-group 11 mode active",
            "spanning-tree mst configuration\n  revision 2",
            "interface port-channel11\n  spanning-tree port type edge trunk",
        ] {
            assert!(changes_type1_consistency(&lines(yes)), "{yes}");
        }
        for no in [
            "vlan 110\n  name web",
            "interface Vlan110\n  ip access-group web-in in",
            "interface port-channel11\n  description kvm01",
            "ip access-list web-in\n  10 permit tcp any any eq 443",
        ] {
            assert!(!changes_type1_consistency(&lines(no)), "{no}");
        }
    }

    #[test]
    fn errors() {
        assert!(error_in("% Invalid command at '^' marker.").is_some());
        assert!(error_in("ERROR: Duplicate sequence number").is_some());
        assert!(error_in("   ^\n% Incomplete command at '^' marker.").is_some());
        assert!(error_in("Copy complete.").is_none());
        assert!(error_in("").is_none());
    }
}

//! The NX-OS CLI driver: prompts, paging off, command echo, and error
//! detection. Any error message from the switch aborts what is being done.

use crate::device::{DeviceError, Shell};
use std::time::{Duration, Instant};

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
    let last = text
        .rsplit(['\n', '\r'])
        .next()
        .unwrap_or("")
        .trim_end_matches(' ');
    let Some(body) = last.strip_suffix('#') else {
        return false;
    };
    let (host, mode) = match body.split_once('(') {
        Some((host, rest)) => (host, Some(rest)),
        None => (body, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let mode_ok = mode.is_none_or(|m| {
        m.strip_suffix(')')
            .is_some_and(|inner| inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    });
    host_ok && mode_ok
}

/// The first line of `output` that reports an error, if any.
pub fn error_in(output: &str) -> Option<&str> {
    output.lines().map(str::trim).find(|line| {
        ERROR_MARKERS.iter().any(|m| line.starts_with(m))
            || line.contains("Duplicate sequence number")
    })
}

/// How long a device may stay silent, before its first prompt, until it
/// gets a newline to provoke one (as netmiko does); never longer than half
/// the timeout.
const PROVOKE_AFTER: Duration = Duration::from_secs(2);

/// Commands after which the prompt may name another host.
const RENAMING: &[&str] = &[
    "hostname ",
    "switchname ",
    "rollback ",
    "configure replace ",
];

pub struct NxosCli<'s> {
    device: String,
    shell: Box<dyn Shell + 's>,
    /// The prompt the last answer ended with: the echo of the next command
    /// follows it on the same line.
    prompt: String,
}

impl<'s> NxosCli<'s> {
    /// Waits for the first prompt, after whatever banner the device
    /// prints, and turns paging and confirmations off.
    ///
    /// A prompt-like line inside a banner cannot mislead what follows:
    /// every command's answer is found by its echo after a prompt (see
    /// [`answer`]), so whatever the device printed before it, the rest of
    /// a banner, a fake prompt, the prompts of provoking newlines, is
    /// skipped.
    pub fn open(device: &str, shell: Box<dyn Shell + 's>) -> Result<Self, DeviceError> {
        let mut cli = NxosCli {
            device: device.to_string(),
            shell,
            prompt: String::new(),
        };
        cli.first_prompt()?;
        for setup in [
            "terminal length 0",
            "terminal width 511",
            "terminal dont-ask",
        ] {
            cli.run(setup)?;
        }
        Ok(cli)
    }

    fn first_prompt(&mut self) -> Result<(), DeviceError> {
        let waiting_for = "the first prompt";
        let timeout = self.shell.timeout();
        let deadline = Instant::now() + timeout;
        let quiet = PROVOKE_AFTER.min(timeout / 2);
        let mut text = Vec::new();
        let mut provoke_at = Instant::now() + quiet;
        loop {
            let bytes = self.shell.receive(provoke_at.min(deadline), waiting_for)?;
            if Instant::now() >= deadline && bytes.is_empty() {
                return Err(self.timed_out(waiting_for));
            }
            if bytes.is_empty() {
                // Silent after its banner (or before): ask for a prompt.
                self.shell.send("\n")?;
            } else {
                text.extend_from_slice(&bytes);
                let so_far = String::from_utf8_lossy(&text);
                if ends_with_prompt(&so_far) {
                    self.prompt = last_line(&so_far).to_string();
                    return Ok(());
                }
            }
            provoke_at = Instant::now() + quiet;
        }
    }

    fn timed_out(&self, waiting_for: &str) -> DeviceError {
        DeviceError::Timeout {
            device: self.device.clone(),
            waiting_for: waiting_for.to_string(),
        }
    }

    /// Sends one command and returns what the switch printed (without the
    /// echo and the prompt); an error message from the switch is an `Err`.
    /// The answer must be complete before the timeout, however fast or
    /// slowly its bytes come.
    pub fn run(&mut self, command: &str) -> Result<String, DeviceError> {
        self.shell.send(&format!("{command}\n"))?;
        let waiting_for = format!("the prompt after `{command}`");
        let deadline = Instant::now() + self.shell.timeout();
        let mut bytes = std::mem::take(&mut self.prompt).into_bytes();
        let output = loop {
            let chunk = self.shell.receive(deadline, &waiting_for)?;
            if chunk.is_empty() {
                return Err(self.timed_out(&waiting_for));
            }
            bytes.extend_from_slice(&chunk);
            let text = String::from_utf8_lossy(&bytes).replace('\r', "");
            if let Some(output) = answer(&text, command) {
                self.prompt = last_line(&text).to_string();
                break output;
            }
            if Instant::now() >= deadline {
                return Err(self.timed_out(&waiting_for));
            }
        };
        if let Some(line) = error_in(&output) {
            return Err(DeviceError::Rejected {
                device: self.device.clone(),
                command: command.to_string(),
                message: line.to_string(),
            });
        }
        Ok(output)
    }
}

impl crate::platform::Cli for NxosCli<'_> {
    fn run(&mut self, command: &str) -> Result<String, DeviceError> {
        NxosCli::run(self, command)
    }
}

fn last_line(text: &str) -> &str {
    text.rsplit(['\n', '\r']).next().unwrap_or("")
}

/// The host a prompt line names (`agg1` of `agg1(config-if)# `).
fn prompt_host(line: &str) -> &str {
    let line = line.trim_end();
    let body = line.strip_suffix('#').unwrap_or(line);
    body.split('(').next().unwrap_or(body)
}

/// The switch's answer to `command` in `text` (line ends without `\r`),
/// once it is complete: the lines after the echo of the command (a prompt
/// followed by the command as typed) up to a prompt of the same host that
/// ends the text. None while incomplete. What precedes the echo (a banner,
/// earlier prompts) is not part of the answer.
pub fn answer(text: &str, command: &str) -> Option<String> {
    let typed = command.trim();
    let lines: Vec<&str> = text.split('\n').collect();
    let echo = lines.iter().position(|line| {
        line.trim_end()
            .strip_suffix(typed)
            .is_some_and(ends_with_prompt)
    })?;
    let last = *lines.last()?;
    if lines.len() < echo + 2 || !ends_with_prompt(last) {
        return None;
    }
    let same_host = prompt_host(last) == prompt_host(lines[echo].trim_end().strip_suffix(typed)?);
    if !same_host && !RENAMING.iter().any(|c| typed.starts_with(c)) {
        return None;
    }
    Some(lines[echo + 1..lines.len() - 1].join("\n"))
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

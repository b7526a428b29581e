//! The NX-OS CLI driver: prompts, paging off, command echo, and error
//! detection. Any error message from the switch aborts what is being done.

use super::{DeviceError, Shell};

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

pub struct NxosCli<'s> {
    device: String,
    shell: Box<dyn Shell + 's>,
}

impl<'s> NxosCli<'s> {
    /// Waits for the first prompt and turns paging and confirmations off.
    pub fn open(device: &str, shell: Box<dyn Shell + 's>) -> Result<Self, DeviceError> {
        let mut cli = NxosCli {
            device: device.to_string(),
            shell,
        };
        cli.shell.send("\n")?;
        cli.shell
            .read_until(&ends_with_prompt, "the first prompt")?;
        for setup in [
            "terminal length 0",
            "terminal width 511",
            "terminal dont-ask",
        ] {
            cli.run(setup)?;
        }
        Ok(cli)
    }

    /// Sends one command and returns what the switch printed (without the
    /// echo and the prompt); an error message from the switch is an `Err`.
    pub fn run(&mut self, command: &str) -> Result<String, DeviceError> {
        self.shell.send(&format!("{command}\n"))?;
        let raw = self
            .shell
            .read_until(&ends_with_prompt, &format!("the prompt after `{command}`"))?;
        let text = raw.replace('\r', "");
        let mut lines: Vec<&str> = text.lines().collect();
        lines.pop(); // the prompt
                     // The echo of what we typed.
        if lines
            .first()
            .is_some_and(|l| l.trim_end().ends_with(command.trim()))
        {
            lines.remove(0);
        }
        let output = lines.join("\n");
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
    fn errors() {
        assert!(error_in("% Invalid command at '^' marker.").is_some());
        assert!(error_in("ERROR: Duplicate sequence number").is_some());
        assert!(error_in("   ^\n% Incomplete command at '^' marker.").is_some());
        assert!(error_in("Copy complete.").is_none());
        assert!(error_in("").is_none());
    }
}

//! A prompt-driven CLI over a [`Shell`]: the first prompt found after any
//! banner, one command in and its answer out, found by the command's echo
//! after a prompt and ended by a prompt of the same host. What differs
//! between platforms (what a prompt looks like, how a refused command
//! reads, the terminal settings, the command that raises privileges) comes
//! in a [`Rules`] value from the platform's driver.

use super::{DeviceError, Shell};
use std::time::{Duration, Instant};

/// What a platform's CLI looks like to [`PromptCli`].
pub struct Rules {
    /// Whether a line (the last one of what arrived) is a prompt.
    pub is_prompt: fn(&str) -> bool,
    /// The first line of a command's answer that reports an error.
    pub error_in: fn(&str) -> Option<&str>,
    /// Commands run once the first prompt is there (paging off …).
    pub setup: &'static [&'static str],
    /// Commands after which the prompt may name another host.
    pub renaming: &'static [&'static str],
    /// The prompt's last character when the login is unprivileged, and the
    /// command that raises it (run before the setup); None where the
    /// platform logs in privileged.
    pub unprivileged: Option<(char, &'static str)>,
}

/// Whether `line` is a prompt `host` or `host(mode)` followed by one of
/// `ends` (and optionally spaces): the host of letters, digits, `-`, `_`
/// and `.`, the mode of characters `mode_char` accepts.
pub fn is_prompt(line: &str, ends: &[char], mode_char: fn(char) -> bool) -> bool {
    let line = line.trim_end_matches(' ');
    let Some(body) = line.strip_suffix(ends) else {
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
            .is_some_and(|inner| inner.chars().all(mode_char))
    });
    host_ok && mode_ok
}

/// The last line of `text`.
pub fn last_line(text: &str) -> &str {
    text.rsplit(['\n', '\r']).next().unwrap_or("")
}

/// The host a prompt line names (`agg1` of `agg1(config-if)# `).
fn prompt_host(line: &str) -> &str {
    let body = line.trim_end().trim_end_matches(['#', '>']);
    body.split('(').next().unwrap_or(body)
}

/// How long a device may stay silent, before its first prompt, until it
/// gets a newline to provoke one (as netmiko does); never longer than half
/// the timeout.
const PROVOKE_AFTER: Duration = Duration::from_secs(2);

pub struct PromptCli<'s> {
    device: String,
    shell: Box<dyn Shell + 's>,
    rules: &'static Rules,
    /// The prompt the last answer ended with: the echo of the next command
    /// follows it on the same line.
    prompt: String,
}

impl<'s> PromptCli<'s> {
    /// Waits for the first prompt, after whatever banner the device
    /// prints, raises the privileges where the login is unprivileged, and
    /// runs the platform's setup commands.
    ///
    /// A prompt-like line inside a banner cannot mislead what follows:
    /// every command's answer is found by its echo after a prompt (see
    /// [`answer`]), so whatever the device printed before it, the rest of
    /// a banner, a fake prompt, the prompts of provoking newlines, is
    /// skipped.
    pub fn open(
        device: &str,
        shell: Box<dyn Shell + 's>,
        rules: &'static Rules,
    ) -> Result<Self, DeviceError> {
        let mut cli = PromptCli {
            device: device.to_string(),
            shell,
            rules,
            prompt: String::new(),
        };
        cli.first_prompt()?;
        if let Some((end, enable)) = rules.unprivileged {
            if cli.prompt.trim_end().ends_with(end) {
                cli.run(enable)?;
            }
        }
        for setup in rules.setup {
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
                if (self.rules.is_prompt)(last_line(&so_far)) {
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
            if let Some(output) = answer(self.rules, &text, command) {
                self.prompt = last_line(&text).to_string();
                break output;
            }
            if Instant::now() >= deadline {
                return Err(self.timed_out(&waiting_for));
            }
        };
        if let Some(line) = (self.rules.error_in)(&output) {
            return Err(DeviceError::Rejected {
                device: self.device.clone(),
                command: command.to_string(),
                message: line.to_string(),
            });
        }
        Ok(output)
    }
}

impl crate::platform::Cli for PromptCli<'_> {
    fn run(&mut self, command: &str) -> Result<String, DeviceError> {
        PromptCli::run(self, command)
    }

    fn closed(&self) -> bool {
        self.shell.closed()
    }
}

/// The switch's answer to `command` in `text` (line ends without `\r`),
/// once it is complete: the lines after the echo of the command (a prompt
/// followed by the command as typed) up to a prompt of the same host that
/// ends the text. None while incomplete. What precedes the echo (a banner,
/// earlier prompts) is not part of the answer.
pub fn answer(rules: &Rules, text: &str, command: &str) -> Option<String> {
    let typed = command.trim();
    let lines: Vec<&str> = text.split('\n').collect();
    let echo = lines.iter().position(|line| {
        line.trim_end()
            .strip_suffix(typed)
            .is_some_and(|p| (rules.is_prompt)(p))
    })?;
    let last = *lines.last()?;
    if lines.len() < echo + 2 || !(rules.is_prompt)(last) {
        return None;
    }
    let same_host = prompt_host(last) == prompt_host(lines[echo].trim_end().strip_suffix(typed)?);
    if !same_host && !rules.renaming.iter().any(|c| typed.starts_with(c)) {
        return None;
    }
    Some(lines[echo + 1..lines.len() - 1].join("\n"))
}

//! Fault injection, from `NAME.faults` (see docs/simulator.md). Each
//! simulator honours the faults that make sense for its platform.

use std::path::Path;

use regex::Regex;

use super::state::{flag, number, read_settings};

/// Fault injection, from `NAME.faults`.
#[derive(Debug, Default, Clone)]
pub struct Faults {
    /// Close the connection after this many configuration commands.
    pub drop_after_commands: Option<u64>,
    /// Wait this long before answering each line.
    pub delay_ms: u64,
    /// Refuse lines matching this, with an NX-OS error.
    pub reject: Option<Regex>,
    /// Never answer anything.
    pub hang: bool,
    /// A login banner (MOTD) printed before the first prompt.
    pub banner: Option<String>,
    /// Pause after each banner line, written without its line end so a
    /// line that looks like a prompt ends what the client has read.
    pub banner_pause_ms: u64,
    /// Print the first prompt only after the client sends a line.
    pub silent_until_newline: bool,
    /// Write the banner, each prompt and each command's output in this
    /// many pieces, with `write_pause_ms` between them.
    pub write_pieces: usize,
    pub write_pause_ms: u64,
    /// `show running-config` over an exec channel never ends: a line per
    /// millisecond, forever.
    pub stream_show_run: bool,
    /// Every command's output starts with a terminal escape sequence.
    pub ansi: bool,
    /// A vPC comes up only this long after its pair became consistent
    /// (NX-OS).
    pub vpc_restore_ms: u64,
    /// Log in unprivileged (`NAME>`), so the client must `enable` (EOS).
    pub unprivileged_login: bool,
    /// A commit with a timer cuts the switch off: the connection drops
    /// and every new session hangs unanswered until the timer has rolled
    /// the change back, as when a change broke the management path (EOS).
    pub cut_off_by_commit: bool,
    /// The device's MLAG ports come up only this long after its running
    /// config last changed (EOS; a reload delay, a slow LACP negotiation).
    pub mlag_restore_ms: u64,
    /// The device's MLAG peer-link has failed while its peer is still up:
    /// neither member sees the other, and each is primary (EOS).
    pub peer_link_down: bool,
    /// Exec commands the device does not know, one per `lacks` line (an
    /// older release without them): refused as unknown input (EOS).
    pub lacks: Vec<String>,
    /// An interactive session that gets no line for this long at its
    /// prompt ends, as a switch's `exec-timeout` logs an idle user out.
    pub exec_timeout_ms: u64,
}

impl Faults {
    /// Reads `key = value` lines (`#` starts a comment). A missing file is
    /// no faults; a bad line is an error, so a test's typo does not pass
    /// silently.
    pub fn read(path: &Path) -> Result<Faults, String> {
        let mut faults = Faults::default();
        read_settings(path, |key, value| {
            match key {
                "drop_after_commands" => faults.drop_after_commands = Some(number(value)?),
                "delay_ms" => faults.delay_ms = number(value)?,
                "reject" => faults.reject = Some(Regex::new(value).map_err(|e| e.to_string())?),
                "hang" => faults.hang = flag(value)?,
                // `\n` in the value is a line break.
                "banner" => faults.banner = Some(value.replace("\\n", "\n")),
                "banner_pause_ms" => faults.banner_pause_ms = number(value)?,
                "silent_until_newline" => faults.silent_until_newline = flag(value)?,
                "write_pieces" => faults.write_pieces = number(value)?,
                "write_pause_ms" => faults.write_pause_ms = number(value)?,
                "stream_show_run" => faults.stream_show_run = flag(value)?,
                "ansi" => faults.ansi = flag(value)?,
                "vpc_restore_ms" => faults.vpc_restore_ms = number(value)?,
                "unprivileged_login" => faults.unprivileged_login = flag(value)?,
                "cut_off_by_commit" => faults.cut_off_by_commit = flag(value)?,
                "mlag_restore_ms" => faults.mlag_restore_ms = number(value)?,
                "peer_link_down" => faults.peer_link_down = flag(value)?,
                "lacks" => faults.lacks.push(value.to_string()),
                "exec_timeout_ms" => faults.exec_timeout_ms = number(value)?,
                _ => return Err("unknown fault".into()),
            }
            Ok(())
        })?;
        Ok(faults)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn reads_fault_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.faults");
        fs::write(
            &path,
            "# faults\ndrop_after_commands = 3\ndelay_ms=20\nreject = ^vlan 3\\d\\d$\nhang = false\n",
        )
        .unwrap();
        let faults = Faults::read(&path).unwrap();
        assert_eq!(faults.drop_after_commands, Some(3));
        assert_eq!(faults.delay_ms, 20);
        assert!(faults.reject.unwrap().is_match("vlan 300"));
        assert!(!faults.hang);
        fs::write(
            &path,
            "banner = Welcome\\nsw9# \nbanner_pause_ms = 5\nwrite_pieces = 3\nansi = true\n",
        )
        .unwrap();
        let faults = Faults::read(&path).unwrap();
        assert_eq!(faults.banner.as_deref(), Some("Welcome\nsw9#"));
        assert_eq!((faults.banner_pause_ms, faults.write_pieces), (5, 3));
        assert!(faults.ansi && !faults.silent_until_newline);
        fs::write(&path, "dorp = 1\n").unwrap();
        assert!(Faults::read(&path).unwrap_err().contains("unknown fault"));
        assert!(Faults::read(&dir.path().join("none"))
            .unwrap()
            .reject
            .is_none());
    }
}

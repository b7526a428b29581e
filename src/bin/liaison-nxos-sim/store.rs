//! The state directory: one device's running config (`NAME.cfg`), startup
//! config (`NAME.startup.cfg`), checkpoints (`NAME.checkpoints/CP.cfg`)
//! and fault settings (`NAME.faults`), plus `ports` (`PORT NAME` lines)
//! that maps an sshd port to a device.

use std::fs;
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::model::PortDefaults;

pub struct Store {
    pub dir: PathBuf,
    pub device: String,
}

impl Store {
    pub fn config_path(&self) -> PathBuf {
        self.dir.join(format!("{}.cfg", self.device))
    }

    pub fn startup_path(&self) -> PathBuf {
        self.dir.join(format!("{}.startup.cfg", self.device))
    }

    pub fn checkpoint_dir(&self) -> PathBuf {
        self.dir.join(format!("{}.checkpoints", self.device))
    }

    pub fn checkpoint_path(&self, name: &str) -> PathBuf {
        self.checkpoint_dir().join(format!("{name}.cfg"))
    }

    /// When each session entered and left configuration mode, one line
    /// each: `enter|leave MICROSECONDS-SINCE-EPOCH PID`.
    pub fn modes_path(&self) -> PathBuf {
        self.dir.join(format!("{}.modes", self.device))
    }

    /// Appends one line to the configuration-mode record.
    pub fn record_mode(&self, entered: bool) -> io::Result<()> {
        let micros = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros());
        let line = format!(
            "{} {micros} {}\n",
            if entered { "enter" } else { "leave" },
            std::process::id()
        );
        fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.modes_path())?
            .write_all(line.as_bytes())
    }

    /// The device setting: what the hardware does with ports its config
    /// says nothing about (see [`read_factory`]).
    pub fn factory_path(&self) -> PathBuf {
        self.dir.join(format!("{}.factory", self.device))
    }

    pub fn faults_path(&self) -> PathBuf {
        self.dir.join(format!("{}.faults", self.device))
    }

    /// Holds the device's lock until dropped, so two SSH sessions to one
    /// switch apply their commands one at a time.
    pub fn lock(&self) -> io::Result<Lock> {
        let file = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(format!("{}.lock", self.device)))?;
        // SAFETY: flock on a descriptor this function owns; no memory is shared.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Lock { _file: file })
    }

    /// The checkpoint names, sorted.
    pub fn checkpoints(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.checkpoint_dir())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        e.file_name()
                            .to_str()
                            .and_then(|n| n.strip_suffix(".cfg"))
                            .map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// The lock is released when the file closes.
pub struct Lock {
    _file: fs::File,
}

/// Writes through a temporary file and a rename, so a reader (or a
/// connection dropped mid-write) never sees half a file. No fsync: the
/// state only has to survive the simulator's process, not the machine,
/// and a disk flush per command would make a hundred simulated switches
/// wait on the disk instead of on their commands.
pub fn write_atomic(path: &Path, text: &str) -> io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    fs::File::create(&tmp)?.write_all(text.as_bytes())?;
    fs::rename(&tmp, path)
}

/// The device behind an sshd port, from `DIR/ports`.
pub fn device_for_port(dir: &Path, port: u16) -> Result<String, String> {
    let path = dir.join("ports");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?.parse::<u16>().ok()?, words.next()?))
        })
        .find(|(p, _)| *p == port)
        .map(|(_, name)| name.to_string())
        .ok_or_else(|| format!("{}: no device for port {port}", path.display()))
}

/// Reads a file of `key = value` lines (`#` starts a comment, blank lines
/// do not count), giving each to `set`; a missing file sets nothing. A
/// line without `=`, or one `set` refuses (its error says why), is an
/// error naming the file and line, so a test's typo does not pass
/// silently.
fn read_settings(
    path: &Path,
    mut set: impl FnMut(&str, &str) -> Result<(), String>,
) -> Result<(), String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| format!("{}:{}: {what}: `{line}`", path.display(), i + 1);
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| bad("expected key = value"))?;
        set(key.trim(), value.trim()).map_err(|what| bad(&what))?;
    }
    Ok(())
}

fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value.parse().map_err(|_| "not a number".to_string())
}

fn flag(value: &str) -> Result<bool, String> {
    value.parse().map_err(|_| "not true/false".to_string())
}

/// The device's factory port defaults, from `NAME.factory`: `key = value`
/// lines `switchport = true|false` (ports are Layer 2, as on a Nexus 9300
/// or 3000; default false: routed, as on a Nexus 9300-EX) and
/// `switchport_shutdown = true|false` (Layer 2 ports start shut; default
/// false). A missing file is the defaults; a bad line is an error.
pub fn read_factory(path: &Path) -> Result<PortDefaults, String> {
    let mut factory = PortDefaults::default();
    read_settings(path, |key, value| {
        match key {
            "switchport" => factory.switchport = flag(value)?,
            "switchport_shutdown" => factory.switchport_shutdown = flag(value)?,
            _ => return Err("unknown setting".into()),
        }
        Ok(())
    })?;
    Ok(factory)
}

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
    /// A vPC comes up only this long after its pair became consistent.
    pub vpc_restore_ms: u64,
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

    #[test]
    fn maps_ports_to_devices() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("ports"), "2201 agg1\n2202 agg2\n").unwrap();
        assert_eq!(device_for_port(dir.path(), 2202).unwrap(), "agg2");
        assert!(device_for_port(dir.path(), 2203).is_err());
    }
}

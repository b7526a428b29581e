//! The state directory both simulators keep: one device's running config
//! (`NAME.cfg`), startup config (`NAME.startup.cfg`), fault settings
//! (`NAME.faults`) and configuration-mode record (`NAME.modes`), plus
//! `ports` (`PORT NAME` lines) that maps an sshd port to a device. Each
//! simulator adds its own files (NX-OS checkpoints, EOS sessions).

use std::fs;
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

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

    pub fn faults_path(&self) -> PathBuf {
        self.dir.join(format!("{}.faults", self.device))
    }

    /// When each session entered and left configuration mode, one line
    /// each: `enter|leave MICROSECONDS-SINCE-EPOCH PID`.
    pub fn modes_path(&self) -> PathBuf {
        self.dir.join(format!("{}.modes", self.device))
    }

    /// Appends one line to the configuration-mode record.
    pub fn record_mode(&self, entered: bool) -> io::Result<()> {
        record(&self.modes_path(), if entered { "enter" } else { "leave" })
    }

    /// When each interactive session started, before its first prompt,
    /// one line each: `shell MICROSECONDS-SINCE-EPOCH PID` (the PID its
    /// configuration-mode lines carry too).
    pub fn shells_path(&self) -> PathBuf {
        self.dir.join(format!("{}.shells", self.device))
    }

    /// Appends this session's line to the session record.
    pub fn record_session(&self) -> io::Result<()> {
        record(&self.shells_path(), "shell")
    }

    /// The other devices of the state directory, by name (their running
    /// configs: not startup configs, checkpoints or temporary files): where
    /// a simulator looks for a device's pair peer.
    pub fn other_devices(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_str()?.strip_suffix(".cfg")?.to_string();
                        (!name.contains('.') && name != self.device).then_some(name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
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
}

/// Appends `WHAT MICROSECONDS-SINCE-EPOCH PID` to the record at `path`.
fn record(path: &Path, what: &str) -> io::Result<()> {
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    let line = format!("{what} {micros} {}\n", std::process::id());
    fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
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
pub fn read_settings(
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

pub fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
    value.parse().map_err(|_| "not a number".to_string())
}

pub fn flag(value: &str) -> Result<bool, String> {
    value.parse().map_err(|_| "not true/false".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ports_to_devices() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("ports"), "2201 agg1\n2202 agg2\n").unwrap();
        assert_eq!(device_for_port(dir.path(), 2202).unwrap(), "agg2");
        assert!(device_for_port(dir.path(), 2203).is_err());
    }
}

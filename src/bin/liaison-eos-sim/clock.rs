//! The simulated clock: real time plus the offset in `DIR/NAME.clock`
//! (`offset_seconds = N`), so a test lets a commit timer expire by moving
//! the device's clock forward instead of waiting.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::sim::state::{number, read_settings};

/// Seconds since the epoch on the device's clock.
pub fn now(path: &Path) -> Result<u64, String> {
    let mut offset: i64 = 0;
    read_settings(path, |key, value| {
        match key {
            "offset_seconds" => offset = number(value)?,
            _ => return Err("unknown setting".into()),
        }
        Ok(())
    })?;
    let real = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(real.saturating_add_signed(offset))
}

/// `HH:MM:SS`, as EOS shows a commit timer's time left.
pub fn hms(secs: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sw.clock");
        let before = super::now(&path).unwrap();
        std::fs::write(&path, "offset_seconds = 3600\n").unwrap();
        let after = super::now(&path).unwrap();
        assert!(after >= before + 3600 && after < before + 3700);
        std::fs::write(&path, "ofset = 1\n").unwrap();
        assert!(super::now(&path).is_err());
        assert_eq!(super::hms(3725), "01:02:05");
    }
}

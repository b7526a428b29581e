//! The NX-OS simulator's part of the state directory (the shared part is
//! `sim-common/state.rs`): checkpoints (`NAME.checkpoints/CP.cfg`) and
//! the factory port defaults (`NAME.factory`).

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::PortDefaults;

pub use crate::sim::faults::Faults;
use crate::sim::state::{flag, read_settings};
pub use crate::sim::state::{write_atomic, Store};

impl Store {
    pub fn checkpoint_dir(&self) -> PathBuf {
        self.dir.join(format!("{}.checkpoints", self.device))
    }

    pub fn checkpoint_path(&self, name: &str) -> PathBuf {
        self.checkpoint_dir().join(format!("{name}.cfg"))
    }

    /// The device setting: what the hardware does with ports its config
    /// says nothing about (see [`read_factory`]).
    pub fn factory_path(&self) -> PathBuf {
        self.dir.join(format!("{}.factory", self.device))
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

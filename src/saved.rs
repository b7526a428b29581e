//! Saved plans, as terraform keeps them: `plan --out FILE` writes the exact
//! plan, `apply FILE` applies exactly that plan and nothing else. Per
//! device the file holds the commands and a SHA-256 of the running config
//! they were computed against; `apply FILE` refuses a device whose running
//! config no longer hashes the same, before anything is sent to it. The
//! format is documented in docs/saved-plans.md. A saved plan never holds a
//! secret: a plan with one is refused at `plan --out` time.

use crate::config::PartialPortDefaults;
use crate::input_error::InputError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The `format` field: what the file is.
pub const FORMAT: &str = "liaison-saved-plan";
/// The `version` field: bumped on any incompatible change.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPlan {
    pub format: String,
    pub version: u32,
    /// The liaison version that wrote it (informative).
    pub liaison: String,
    /// The inventory directory, absolute.
    pub inventory: PathBuf,
    /// `plan --prune` was given.
    pub prune: bool,
    /// `plan --templates DIR`, absolute, if given.
    pub templates: Option<PathBuf>,
    /// `plan --allow-management-changes` was given (absent: it was not).
    #[serde(default)]
    pub allow_management_changes: bool,
    /// Every planned device, by name, with or without changes.
    pub devices: Vec<SavedDevice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedDevice {
    pub device: String,
    /// `sha256:HEX` of the running config, as [`config_hash`] computes it.
    pub running_config: String,
    /// The commands, in order, as typed in configuration mode.
    pub commands: Vec<String>,
    /// What the switch answered about its port defaults when the plan
    /// fetched it (`plan --live --out`). Absent for a plan of saved
    /// configs (the switch was not asked) or from an older liaison:
    /// `apply FILE` then asks the switch again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_defaults: Option<SavedPortDefaults>,
}

/// A switch's answer about its port defaults, spelled as the inventory's
/// `port_defaults` are; null: the switch did not say. The answer follows
/// from the switch's model and running config (`system default
/// switchport` is a configuration line), so a switch whose running config
/// still hashes as planned answers the same: `apply FILE` takes it from
/// the plan instead of asking again (`show running-config all`, which a
/// real switch takes seconds to print).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPortDefaults {
    pub switchport: Option<bool>,
    pub switchport_shutdown: Option<bool>,
}

impl From<PartialPortDefaults> for SavedPortDefaults {
    fn from(answer: PartialPortDefaults) -> Self {
        SavedPortDefaults {
            switchport: answer.switched,
            switchport_shutdown: answer.switched_shutdown,
        }
    }
}

impl From<SavedPortDefaults> for PartialPortDefaults {
    fn from(saved: SavedPortDefaults) -> Self {
        PartialPortDefaults {
            switched: saved.switchport,
            switched_shutdown: saved.switchport_shutdown,
        }
    }
}

/// `sha256:HEX` of a running config's configuration lines: comment lines
/// (`!Command:`, `!Time:`, which changes with every `show`) and trailing
/// blanks are left out, so fetching twice gives the same hash and any
/// change to a configuration line gives another.
pub fn config_hash(text: &str) -> String {
    let mut hasher = Sha256::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.trim_start().starts_with('!') {
            continue;
        }
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl SavedPlan {
    /// The saved form of `plans`, each computed against the running config
    /// `running(device)` returns and the port defaults `answered(device)`
    /// the switch gave, if it was asked. Refused when a command holds a
    /// secret.
    pub fn of_plans(
        inventory: PathBuf,
        prune: bool,
        templates: Option<PathBuf>,
        plans: &[crate::plan::DevicePlan],
        running: impl Fn(&str) -> Result<String, InputError>,
        answered: impl Fn(&str) -> Option<PartialPortDefaults>,
    ) -> Result<SavedPlan, InputError> {
        let mut saved = SavedPlan::new(inventory, prune, templates);
        for plan in plans {
            let commands: Vec<String> = plan.lines().collect();
            if let Some(secret) = commands
                .iter()
                .find(|c| crate::plan::redact::line(c) != c.as_str())
            {
                return Err(InputError::new(format!(
                    "the plan of {} holds a secret (`{}`), and a saved plan never does; nothing was saved",
                    plan.device,
                    crate::plan::redact::line(secret).trim()
                ))
                .hint("apply this change directly with `liaison apply`"));
            }
            saved.devices.push(SavedDevice {
                device: plan.device.clone(),
                running_config: config_hash(&running(&plan.device)?),
                commands,
                port_defaults: answered(&plan.device).map(SavedPortDefaults::from),
            });
        }
        Ok(saved)
    }

    pub fn new(inventory: PathBuf, prune: bool, templates: Option<PathBuf>) -> SavedPlan {
        SavedPlan {
            format: FORMAT.to_string(),
            version: VERSION,
            liaison: env!("CARGO_PKG_VERSION").to_string(),
            inventory,
            prune,
            templates,
            allow_management_changes: false,
            devices: Vec::new(),
        }
    }

    pub fn device(&self, name: &str) -> Option<&SavedDevice> {
        self.devices.iter().find(|d| d.device == name)
    }

    /// Writes the plan to `path` in one step (a temporary file renamed
    /// into place): never half a plan.
    pub fn write(&self, path: &Path) -> Result<(), InputError> {
        let cannot = |e: &dyn std::fmt::Display| {
            InputError::new(format!(
                "cannot write the saved plan {}: {e}",
                path.display()
            ))
        };
        let mut text = serde_json::to_string_pretty(self).map_err(|e| cannot(&e))?;
        text.push('\n');
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("plan");
        let temp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::write(&temp, text)
            .and_then(|()| std::fs::rename(&temp, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                cannot(&e)
            })
    }

    /// Reads a saved plan; anything but a plan of this format and version
    /// is an error at the file (and, where JSON says, its line) that says
    /// what the file is not.
    pub fn read(path: &Path) -> Result<SavedPlan, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(format!("cannot read the saved plan: {e}"))
                .at(path)
                .hint("pass a file written by `liaison plan --out FILE`, or an inventory directory")
        })?;
        let plan: SavedPlan = serde_json::from_str(&text).map_err(|e| {
            let error = InputError::new(format!("not a saved liaison plan: {e}"))
                .hint("write one with `liaison plan --out FILE`");
            if e.line() == 0 {
                return error.at(path);
            }
            // The line is quoted unless it is long (a file of one line).
            let error = error.at_line(path, e.line());
            match text.lines().nth(e.line() - 1).filter(|l| l.len() <= 200) {
                Some(line) => error.quote(line),
                None => error,
            }
        })?;
        if plan.format != FORMAT {
            return Err(InputError::new(format!(
                "`format` is `{}`, not `{FORMAT}`: not a saved liaison plan",
                plan.format
            ))
            .at(path)
            .hint("write one with `liaison plan --out FILE`"));
        }
        if plan.version != VERSION {
            return Err(InputError::new(format!(
                "saved plan version {} is not the version {VERSION} this liaison reads",
                plan.version
            ))
            .at(path)
            .hint("make a new plan (`liaison plan --live --out FILE`)"));
        }
        Ok(plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_ignores_comments_and_timestamps_only() {
        let a = "!Command: show running-config\n!Time: Mon Dec  1 10:00:00 2026\n\nhostname sw1\nvlan 10\n  name web\n";
        let b = "!Command: show running-config\n!Time: Tue Dec  2 11:00:00 2026\nhostname sw1  \nvlan 10\n  name web\n";
        assert_eq!(config_hash(a), config_hash(b));
        assert_ne!(config_hash(a), config_hash(&a.replace("web", "app")));
        assert_ne!(config_hash(a), config_hash(&a.replace("  name", " name")));
        assert!(config_hash(a).starts_with("sha256:"));
        assert_eq!(config_hash(a).len(), "sha256:".len() + 64);
    }

    #[test]
    fn plans_round_trip_and_other_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let mut plan = SavedPlan::new(PathBuf::from("/inv"), false, None);
        plan.devices.push(SavedDevice {
            device: "sw1".into(),
            running_config: config_hash("hostname sw1\n"),
            commands: vec!["vlan 10".into(), "  name web".into()],
            port_defaults: None,
        });
        plan.devices.push(SavedDevice {
            device: "sw2".into(),
            running_config: config_hash("hostname sw2\n"),
            commands: Vec::new(),
            port_defaults: Some(SavedPortDefaults {
                switchport: Some(true),
                switchport_shutdown: None,
            }),
        });
        plan.write(&path).unwrap();
        assert_eq!(SavedPlan::read(&path).unwrap(), plan);
        std::fs::write(&path, "{\"format\": \"x\"}").unwrap();
        assert!(SavedPlan::read(&path)
            .unwrap_err()
            .to_string()
            .contains("not a saved liaison plan"));
        let mut other = plan.clone();
        other.version = 99;
        other.write(&path).unwrap();
        assert!(SavedPlan::read(&path)
            .unwrap_err()
            .to_string()
            .contains("version 99"));
    }

    #[test]
    fn a_file_that_is_no_plan_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(
            &path,
            "{\n  \"format\": \"liaison-saved-plan\",\n  oops\n}\n",
        )
        .unwrap();
        let error = SavedPlan::read(&path).unwrap_err().to_string();
        assert!(
            error.starts_with("error: not a saved liaison plan: "),
            "{error}"
        );
        assert!(
            error.contains(&format!("  --> {}:3\n", path.display())),
            "{error}"
        );
        assert!(error.contains("3 |   oops\n"), "{error}");
        assert!(
            error.ends_with("  = hint: write one with `liaison plan --out FILE`\n"),
            "{error}"
        );
        let missing = SavedPlan::read(&dir.path().join("none.json"))
            .unwrap_err()
            .to_string();
        assert!(
            missing.starts_with("error: cannot read the saved plan: "),
            "{missing}"
        );
        assert!(
            missing.contains(&format!(
                "  --> {}\n",
                dir.path().join("none.json").display()
            )),
            "{missing}"
        );
        std::fs::write(&path, "{\"format\": \"x\", \"version\": 1, \"liaison\": \"0\", \"inventory\": \"/i\", \"prune\": false, \"templates\": null, \"devices\": []}").unwrap();
        let other = SavedPlan::read(&path).unwrap_err().to_string();
        assert!(
            other.starts_with(&format!(
                "error: `format` is `x`, not `{FORMAT}`: not a saved liaison plan\n  --> {}\n",
                path.display()
            )),
            "{other}"
        );
    }
}

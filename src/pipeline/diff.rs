//! `diff` end to end: read and parse two config files of one platform and
//! plan the commands that turn the running one into the intended one.

use crate::config::PortDefaults;
use crate::input_error::InputError;
use crate::plan::fleet::ConfigFile;
use crate::plan::{self, DevicePlan};
use crate::platform::Platform;
use crate::pool::side_by_side;
use std::path::Path;

/// What to compare, and how.
pub struct DiffRequest<'a> {
    pub platform: Platform,
    /// The device's config now.
    pub running: &'a Path,
    /// The config it should have.
    pub intended: &'a Path,
    /// `--max-config-bytes`.
    pub max_config_bytes: u64,
    /// `--defaults`: port defaults of both sides (else the platform's
    /// fallback).
    pub defaults: Option<PortDefaults>,
    /// `--running-defaults`, `--intended-defaults`: beat `defaults`.
    pub running_defaults: Option<PortDefaults>,
    pub intended_defaults: Option<PortDefaults>,
    pub allow_management_changes: bool,
    /// The user the commands are to be typed as.
    pub ssh_user: Option<&'a str>,
}

/// Why there is no plan.
pub enum DiffStop {
    /// Liaison does not plan this platform's configs yet.
    Unplanned(Platform),
    /// Files that could not be read or parsed.
    Failures(Vec<InputError>),
    /// The plan would cut the session the commands are typed through.
    Refused(InputError),
}

/// What the command prints on standard error.
impl std::fmt::Display for DiffStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiffStop::Unplanned(platform) => writeln!(
                f,
                "error: liaison does not plan {} configs yet",
                platform.signatures().name
            ),
            DiffStop::Failures(failures) => failures.iter().try_for_each(|x| write!(f, "{x}")),
            DiffStop::Refused(refused) => write!(f, "{refused}"),
        }
    }
}

/// The plan of the device the two files are of, named after the intended
/// file.
pub fn diff(request: &DiffRequest<'_>) -> Result<DevicePlan, DiffStop> {
    let platform = request.platform;
    let Some(dialect) = platform.dialect().filter(|_| platform.plans_configs()) else {
        return Err(DiffStop::Unplanned(platform));
    };
    let (running, intended) = (request.running, request.intended);
    let fix = dialect.config_file_hint();
    let files = [
        ConfigFile {
            path: running,
            what: "running config",
            fix,
            max_bytes: request.max_config_bytes,
        },
        ConfigFile {
            path: intended,
            what: "intended config",
            fix,
            max_bytes: request.max_config_bytes,
        },
    ];
    // Two independent files: big ones read and parse in half the time side
    // by side.
    let (intended_text, running_text) = side_by_side(|| files[1].read(), || files[0].read());
    let (running_text, intended_text) = match (running_text, intended_text) {
        (Ok(r), Ok(i)) => (r, i),
        (r, i) => {
            return Err(DiffStop::Failures(
                [r.err(), i.err()].into_iter().flatten().collect(),
            ))
        }
    };
    let (intended_tree, running_tree) = side_by_side(
        || files[1].parse(&intended_text, platform),
        || files[0].parse(&running_text, platform),
    );
    let (running_tree, intended_tree) = match (running_tree, intended_tree) {
        (Ok(r), Ok(i)) => (r, i),
        (r, i) => {
            return Err(DiffStop::Failures(
                [r.err(), i.err()].into_iter().flatten().collect(),
            ))
        }
    };
    let device = intended
        .file_stem()
        .map_or("device".into(), |s| s.to_string_lossy().into_owned());
    let labels = (
        running.display().to_string(),
        intended.display().to_string(),
    );
    let shared = request
        .defaults
        .unwrap_or_else(|| dialect.fallback_port_defaults());
    // A config's own port-defaults line says more than a flag.
    let defaults = plan::Sides {
        running: dialect
            .port_defaults_in_config(&running_tree.nodes)
            .resolve(request.running_defaults.unwrap_or(shared)),
        intended: dialect
            .port_defaults_in_config(&intended_tree.nodes)
            .resolve(request.intended_defaults.unwrap_or(shared)),
    };
    let plan = plan::plan_device(plan::Request {
        device: &device,
        platform,
        defaults,
        running: running_tree,
        intended: intended_tree,
        labels: (&labels.0, &labels.1),
        scope: plan::Scope::Whole,
        tolerated: &[],
        management: plan::Management {
            allow_changes: request.allow_management_changes,
            session: plan::Session {
                user: request.ssh_user,
                address: None,
            },
        },
    });
    match crate::plan::fleet::refusal(&plan) {
        Some(refused) => Err(DiffStop::Refused(refused)),
        None => Ok(plan),
    }
}

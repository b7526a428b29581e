//! Planning every switch of an inventory: each switch's rendered intent
//! against its running config, read from saved files or fetched now, with
//! every problem that prevents a plan collected (missing or unparsable
//! configs, a config saved under another switch's name, unknown switches).

use super::{DevicePlan, Managed, Request, Scope, Sides};
use crate::config::signature::Foreign;
use crate::config::{ConfigTree, PartialPortDefaults, PortDefaults};
use crate::input_error::InputError;
use crate::intent::{DeviceIntent, Intent};
use crate::inventory::Platform;
use crate::platform::Dialect;
use crate::render::Renderer;
use std::path::Path;

/// Which switches to plan, against what, and how.
pub struct Selection<'a> {
    pub running: Running<'a>,
    /// Also remove VLANs, ACLs and object-groups the inventory does not define.
    pub prune: bool,
    /// Only these switches (all when empty).
    pub devices: &'a [String],
    /// Replacement templates (`--templates`).
    pub templates: Option<&'a Path>,
    /// The largest running-config file read (`--max-config-bytes`).
    pub max_config_bytes: u64,
    /// What switches answered about their port defaults when fetched
    /// (`Dialect::port_defaults_query`), by switch name; empty offline.
    pub answers: &'a std::collections::BTreeMap<String, PartialPortDefaults>,
    /// `--allow-management-changes`.
    pub allow_management_changes: bool,
    /// The SSH user liaison logs in as, when known.
    pub ssh_user: Option<&'a str>,
    /// Each switch's management address (its `mgmt`), when an IP address.
    pub mgmt_addresses: &'a std::collections::BTreeMap<String, std::net::IpAddr>,
    /// Switches planned as factory-new, with no running config to read.
    pub blank: Blank<'a>,
}

/// Switches with no running config yet (greenfield), planned as the blank
/// switch the factory delivers (`Dialect::blank_running`, with its model's
/// hidden defaults): `plan --blank NAME` or `--greenfield` (all). Only by
/// that explicit flag: a missing running config is otherwise an error.
#[derive(Clone, Copy, Default)]
pub enum Blank<'a> {
    #[default]
    None,
    Devices(&'a [String]),
    All,
}

impl Blank<'_> {
    pub fn includes(&self, device: &str) -> bool {
        match self {
            Blank::None => false,
            Blank::Devices(names) => names.iter().any(|n| n == device),
            Blank::All => true,
        }
    }
}

/// W061: a switch answered, when fetched, port defaults that a plan of its
/// saved config would not find (its model's table entry or the
/// inventory's `port_defaults` say otherwise, and the config has no
/// `system default switchport …` line that says so): that plan would read
/// its ports wrong.
pub fn offline_misreads(
    switch: &crate::inventory::Switch,
    answer: PartialPortDefaults,
    running: &str,
) -> Option<crate::diag::Diagnostic> {
    let platform = switch.platform.value;
    let dialect = platform.dialect().filter(|_| platform.plans_configs())?;
    let in_config = crate::config::parse(running, platform)
        .map(|tree| dialect.port_defaults_in_config(&tree.nodes))
        .unwrap_or_default();
    let model = switch.model.as_ref().map(|m| m.value.as_str());
    let table = dialect.model_port_defaults(model);
    let offline = in_config.or(switch.port_defaults).resolve(table);
    let live = answer.or(in_config).or(switch.port_defaults).resolve(table);
    if live == offline {
        return None;
    }
    let name = &switch.name.value;
    let mut says = Vec::new();
    let mut keys = Vec::new();
    if live.switched != offline.switched {
        says.push(format!(
            "its ports are {} by default",
            if live.switched { "Layer 2" } else { "routed" }
        ));
        keys.push(format!("switchport: {}", live.switched));
    }
    if live.switched_shutdown != offline.switched_shutdown {
        says.push(format!(
            "its Layer 2 ports start {}",
            if live.switched_shutdown { "shut" } else { "up" }
        ));
        keys.push(format!("switchport_shutdown: {}", live.switched_shutdown));
    }
    let source = if switch.port_defaults.is_empty() {
        format!("liaison's table for model `{}`", model.unwrap_or("(none)"))
    } else {
        "its `port_defaults`".to_string()
    };
    Some(
        crate::diag::Diagnostic::warning(
            "W061",
            format!(
                "{name} says {} (`{}`), which a plan of its saved config would not know: {source} says otherwise",
                says.join(" and "),
                dialect.port_defaults_query()
            ),
        )
        .at(switch.model.as_ref().map_or(switch.loc, |m| m.loc))
        .hint(format!(
            "set `port_defaults: {{ {} }}` on {name} in the inventory",
            keys.join(", ")
        )),
    )
}

/// The port defaults of `device`, each setting from the first source that
/// knows it: the switch's own `answer`, a `system default switchport …`
/// line of its `running` config, the inventory's `port_defaults`, its
/// model's entry in liaison's table, the fallback.
pub fn port_defaults(
    dialect: &dyn Dialect,
    device: &DeviceIntent,
    answer: Option<PartialPortDefaults>,
    running: &ConfigTree<'_>,
) -> PortDefaults {
    answer
        .unwrap_or_default()
        .or(dialect.port_defaults_in_config(&running.nodes))
        .or(device.port_defaults)
        .resolve(dialect.model_port_defaults(device.model.as_deref()))
}

/// The largest config file `plan` and `diff` read unless told otherwise
/// (`--max-config-bytes`): 64 MiB, some ten times the biggest switch config
/// we know of (a 235,000-line generated one is under 8 MiB), so a config
/// never hits it while `/dev/zero` or a wrong file fails at once instead of
/// filling memory.
pub const DEFAULT_MAX_CONFIG_BYTES: u64 = 64 << 20;

/// Where the running configs come from.
#[derive(Clone, Copy)]
pub enum Running<'a> {
    /// Saved files, DIR/<switch>.cfg.
    Dir(&'a Path),
    /// Fetched from the devices just now, by switch name.
    Fetched(&'a std::collections::BTreeMap<String, String>),
}

/// A config file to read, named as the messages about it name it.
pub struct ConfigFile<'a> {
    pub path: &'a Path,
    /// `running config`, `intended config`.
    pub what: &'a str,
    /// How to fix a missing or empty file.
    pub fix: &'a str,
    /// Files larger than this are refused, unread.
    pub max_bytes: u64,
}

impl ConfigFile<'_> {
    /// The file's text; never more than `max_bytes` of it is read (a
    /// device or `/dev/zero` streaming without end fails at the cap).
    pub fn read(&self) -> Result<String, InputError> {
        use std::io::Read;
        let (path, what) = (self.path, self.what);
        let unreadable = |e: std::io::Error| {
            InputError::new(format!("cannot read the {what}: {e}"))
                .at(path)
                .hint(self.fix)
        };
        let too_big = || {
            InputError::new(format!(
                "the {what} is larger than {} bytes, the most liaison reads",
                self.max_bytes
            ))
            .at(path)
            .hint("check that this is a config file; if it is, raise the cap with --max-config-bytes BYTES")
        };
        let file = std::fs::File::open(path).map_err(unreadable)?;
        let size = file.metadata().map_err(unreadable)?.len();
        if size > self.max_bytes {
            return Err(too_big());
        }
        let mut bytes = Vec::with_capacity(size as usize);
        file.take(self.max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(too_big());
        }
        String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            InputError::new(format!("the {what} is not valid UTF-8"))
                .at_line(path, line)
                .hint("save the config as UTF-8 text")
        })
    }

    /// Parses `text`, read from this file, as `platform`'s config; a
    /// config of another platform is refused first (E141), not misread.
    pub fn parse<'t>(
        &self,
        text: &'t str,
        platform: Platform,
    ) -> Result<ConfigTree<'t>, InputError> {
        let (path, what) = (self.path, self.what);
        if let Some(foreign) = crate::config::signature::foreign(text, platform) {
            return Err(self.foreign(&foreign, platform));
        }
        let tree = crate::config::parse(text, platform).map_err(|e| {
            InputError::new(format!("cannot parse the {what}: {}", e.message))
                .at_line(path, e.line)
                .hint(e.hint)
        })?;
        if tree.is_empty() {
            return Err(
                InputError::new(format!("the {what} holds no configuration line"))
                    .at(path)
                    .hint(self.fix),
            );
        }
        Ok(tree)
    }
}

impl ConfigFile<'_> {
    /// E141: this file is a config of another platform than `expected`.
    fn foreign(&self, foreign: &Foreign, expected: Platform) -> InputError {
        let (name, wanted) = (
            foreign.platform.signatures().name,
            expected.signatures().name,
        );
        let more = match foreign.more {
            0 => String::new(),
            1 => ", and 1 more sign".to_string(),
            n => format!(", and {n} more signs"),
        };
        let hint = if foreign.platform.plans_configs() {
            format!(
                "if it is, say so: `diff --platform {}`, or `platform: {}` on the switch in the inventory; if not, {}",
                foreign.platform.as_str(),
                foreign.platform.as_str(),
                self.fix
            )
        } else {
            format!("liaison does not support {name} configs yet; {}", self.fix)
        };
        let failure = InputError::new(format!(
            "the {} looks like {name} configuration, not {wanted}: {}{more}",
            self.what, foreign.meaning
        ))
        .code("E141")
        .hint(hint);
        match foreign.line {
            0 => failure.at(self.path),
            line => failure.at_line(self.path, line).quote(&foreign.text),
        }
    }
}

/// Refuses a running config whose hostname ([`Dialect::hostname_commands`])
/// names another switch: a file saved under the wrong name would plan one
/// switch into another.
pub fn same_switch(
    running: &ConfigTree<'_>,
    dialect: &dyn Dialect,
    device: &str,
    path: &Path,
) -> Result<(), InputError> {
    let commands = dialect.hostname_commands();
    let hostname = running
        .nodes
        .iter()
        .find_map(|n| commands.iter().find_map(|c| n.text.strip_prefix(c)));
    match hostname {
        // NX-OS keeps a hostname's case; a switch whose name changed only
        // in case is the same switch, with a `hostname` line to plan.
        Some(name) if !name.trim().eq_ignore_ascii_case(device) => Err(InputError::new(format!(
            "the running config of {device} is the config of `{}`",
            name.trim()
        ))
        .at(path)
        .hint(format!(
            "save the output of `show running-config` on {device} as {}",
            path.display()
        ))),
        _ => Ok(()),
    }
}

/// The error for a plan that would cut liaison's own session.
pub fn refusal(plan: &DevicePlan) -> Option<InputError> {
    let why = plan.refused.as_ref()?;
    Some(
        InputError::new(format!(
            "refusing the plan of {}: {why}; it would cut the session liaison reaches the switch through",
            plan.device
        ))
        .hint("keep the login user, its key, SSH, the management VRF's route and the management interface's address in the intended config (or change them by hand, from the console)"),
    )
}

/// What is wrong with selecting `devices` (all when empty) of `intent`
/// against `running`: unknown switches (with a did-you-mean hint), a
/// running-config directory that does not exist.
pub fn selection_failures(
    intent: &Intent,
    devices: &[String],
    running: Running<'_>,
) -> Vec<InputError> {
    selection_failures_with(intent, devices, running, Blank::None)
}

/// `selection_failures`, with the switches planned blank: their names
/// must be known too, and with `--greenfield` no running-config
/// directory is needed.
fn selection_failures_with(
    intent: &Intent,
    devices: &[String],
    running: Running<'_>,
    blank: Blank<'_>,
) -> Vec<InputError> {
    let mut failures = Vec::new();
    let names: Vec<&str> = intent.devices.iter().map(|d| d.name.as_str()).collect();
    let blank_names = match blank {
        Blank::Devices(names) => names,
        Blank::None | Blank::All => &[],
    };
    let wanted = devices
        .iter()
        .map(|w| (w, "--device"))
        .chain(blank_names.iter().map(|w| (w, "--blank")));
    for (wanted, flag) in wanted {
        if !names.contains(&wanted.as_str()) {
            let mut failure = InputError::new(format!("unknown switch `{wanted}` in {flag}"));
            failure = match crate::inventory::did_you_mean(wanted, &names) {
                Some(best) => failure.hint(format!("did you mean `{best}`?")),
                None => failure.hint(format!("the inventory's switches: {}", names.join(", "))),
            };
            failures.push(failure);
        }
    }
    if let Running::Dir(dir) = running {
        if !dir.is_dir() && !matches!(blank, Blank::All) {
            failures.push(
                InputError::new("the running-config directory does not exist")
                    .at(dir)
                    .hint("save each switch's `show running-config` as DIR/<switch>.cfg (`liaison fetch` does) and pass --running DIR; for a fabric whose switches have no config yet, plan them as blank switches with --greenfield"),
            );
        }
    }
    failures
}

/// Every selected switch's plan, or every problem that prevents one.
pub fn plan_inventory(
    intent: &Intent,
    drift: &[crate::inventory::Drift],
    args: &Selection<'_>,
) -> Result<Vec<DevicePlan>, Vec<InputError>> {
    let mut failures = selection_failures_with(intent, args.devices, args.running, args.blank);
    let selected: Vec<_> = intent
        .devices
        .iter()
        .filter(|d| args.devices.is_empty() || args.devices.contains(&d.name))
        .collect();
    if !failures.is_empty() {
        return Err(failures);
    }
    let renderer = Renderer::new(args.templates).map_err(|e| vec![InputError::new(e)])?;
    // Each ACL once for all the switches that bind it (the gateways of a
    // pair share theirs), on every core.
    let acls = renderer
        .render_acls(selected.iter().copied())
        .map_err(|e| vec![InputError::new(e.to_string())])?;
    let managed = Managed::of_intent(intent, args.prune);
    let mut plans = Vec::new();
    for device in selected {
        let platform = device.platform;
        let Some(dialect) = platform.dialect().filter(|_| platform.plans_configs()) else {
            failures.push(InputError::new(format!(
                "liaison cannot plan {} yet: {} configs are not read",
                device.name,
                platform.signatures().name
            )));
            continue;
        };
        let path = match args.running {
            Running::Dir(dir) => dir.join(crate::inventory::config_file_name(&device.name)),
            Running::Fetched(_) => {
                Path::new("live").join(crate::inventory::config_file_name(&device.name))
            }
        };
        let fix = format!(
            "save the output of `show running-config` on {} as {}; a switch that has no config yet (factory-new) is planned as a blank switch with `--blank {}`",
            device.name,
            path.display(),
            device.name
        );
        let file = ConfigFile {
            path: &path,
            what: "running config",
            fix: &fix,
            max_bytes: args.max_config_bytes,
        };
        let blank = args.blank.includes(&device.name);
        let intended_text = renderer
            .render_with(device, &acls)
            .map_err(|e| InputError::new(e.to_string()));
        let running_text = match args.running {
            _ if blank => intended_text
                .as_ref()
                .map_err(InputError::clone)
                .and_then(|text| {
                    crate::config::parse(text, platform)
                        .map(|tree| dialect.blank_running(&tree.nodes))
                        .map_err(|e| InputError::new(e.to_string()))
                }),
            Running::Dir(_) => file.read(),
            Running::Fetched(texts) => texts.get(&device.name).cloned().ok_or_else(|| {
                InputError::new(format!(
                    "no running config was fetched from {}",
                    device.name
                ))
            }),
        };
        let running = running_text
            .as_ref()
            .map_err(InputError::clone)
            .and_then(|text| match blank {
                true => {
                    crate::config::parse(text, platform).map_err(|e| InputError::new(e.to_string()))
                }
                false => file.parse(text, platform),
            })
            .and_then(|tree| match blank {
                true => Ok(tree),
                false => same_switch(&tree, dialect, &device.name, &path).map(|()| tree),
            });
        let intended = intended_text
            .as_ref()
            .map_err(InputError::clone)
            .and_then(|text| {
                crate::config::parse(text, platform).map_err(|e| {
                    InputError::new(format!(
                        "the rendered config of {} does not parse: {e}",
                        device.name
                    ))
                    .hint("check the templates passed with --templates")
                })
            });
        let (running, intended) = match (running, intended) {
            (Ok(r), Ok(i)) => (r, i),
            (r, i) => {
                failures.extend([r.err(), i.err()].into_iter().flatten());
                continue;
            }
        };
        let tolerated: Vec<&regex::Regex> = drift
            .iter()
            .filter(|rule| rule.applies_to(&device.name))
            .map(|rule| &rule.regex)
            .collect();
        let labels = (
            match blank {
                true => format!("blank/{}.cfg", device.name),
                false => format!("running/{}.cfg", device.name),
            },
            format!("intended/{}.cfg", device.name),
        );
        let defaults = port_defaults(
            dialect,
            device,
            args.answers.get(&device.name).copied(),
            &running,
        );
        plans.push(super::plan_device(Request {
            device: &device.name,
            platform,
            defaults: Sides::same(defaults),
            running,
            intended,
            labels: (&labels.0, &labels.1),
            scope: Scope::Inventory(&managed),
            tolerated: &tolerated,
            management: super::Management {
                allow_changes: args.allow_management_changes,
                session: super::Session {
                    user: args.ssh_user,
                    address: args.mgmt_addresses.get(&device.name).copied(),
                },
            },
        }));
    }
    for plan in plans.iter_mut().filter(|p| args.blank.includes(&p.device)) {
        plan.notes.insert(
            0,
            "planned as a blank switch (factory-new, no running config read): its ports in their factory state by its model's hidden defaults".to_string(),
        );
    }
    failures.extend(plans.iter().filter_map(refusal));
    if failures.is_empty() {
        Ok(plans)
    } else {
        Err(failures)
    }
}

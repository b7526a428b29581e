//! The command line: parses arguments, runs the pipeline stages, prints
//! results and chooses the exit code. No decisions about networks live here.

use crate::config::PortDefaults;
use crate::diag::{self, Diagnostics, Sources};
use crate::pipeline::apply::{AfterChange, ApplyRequest, Refusal, StageProgress};
use crate::pipeline::plan::PlanRequest;
use crate::pipeline::Source;
use crate::plan::fleet::DEFAULT_MAX_CONFIG_BYTES;
use crate::plan::{self, DevicePlan};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Everything this file writes to standard error goes through the colour
// layer (errors, warnings and hints coloured on a terminal, the bytes
// unchanged elsewhere): these shadow the standard macros in this file.
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::style::eprint(&format!($($arg)*)) };
}
macro_rules! eprintln {
    () => { $crate::style::eprint("\n") };
    ($($arg:tt)*) => { $crate::style::eprint(&format!("{}\n", format_args!($($arg)*))) };
}

const DEFAULT_INVENTORY: &str = "inventories/example";

/// Every command reads its inventory from INVENTORY, else this variable,
/// else DEFAULT_INVENTORY.
const INVENTORY_ENV: &str = "LIAISON_INVENTORY";

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Compile a VM mobility domain into switch configs"
)]
struct Cli {
    /// Colour the output: auto = on a terminal, unless NO_COLOR is set.
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the inventory and print every problem (exit 1 on any error).
    Check {
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Budget as if ZONE had N more hosts (repeatable), e.g. `prod=40`.
        #[arg(long = "what-if-hosts", value_name = "ZONE=N", value_parser = parse_what_if)]
        what_if_hosts: Vec<(String, u64)>,
    },
    /// Write one intended config per switch (only when the inventory is clean).
    Build {
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Output directory.
        #[arg(short, long, default_value = "build")]
        output: PathBuf,
        /// Directory whose <platform>/<name>.j2 files replace the built-in templates.
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// Save every switch's running config (a backup, and what `plan` compares against).
    Fetch {
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Output directory (default: INVENTORY/running).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Only these switches (repeatable).
        #[arg(long = "device", value_name = "NAME")]
        devices: Vec<String>,
        /// How many switches at once.
        #[arg(long, default_value_t = 8)]
        parallel: usize,
        /// Refuse (and save nothing for) a running config larger than this.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_CONFIG_BYTES)]
        max_config_bytes: u64,
        #[command(flatten)]
        ssh: SshArgs,
    },
    /// Tell whether a flow is allowed, and which rule and ACL entries decide
    /// (exit 0 allowed, 2 denied, 1 error).
    Why {
        /// Source: a segment, `internet` or an IPv4 address.
        from: String,
        /// Destination: a segment, `internet` or an IPv4 address.
        to: String,
        /// The flow: a service of the inventory (`postgres`), `tcp/PORT`,
        /// `udp/PORT` or `icmp` (any case).
        service: String,
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Deprecated spelling of INVENTORY (`-i DIR`), still accepted.
        #[arg(short = 'i', long = "inventory", hide = true, value_name = "INVENTORY")]
        legacy_inventory: Option<PathBuf>,
    },
    /// Plan every switch: its intended config against its running config
    /// (exit 0 = no change, 2 = changes, 1 = error).
    Plan {
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Directory of running configs, one <switch>.cfg each [default: INVENTORY/running].
        #[arg(long)]
        running: Option<PathBuf>,
        /// Also remove VLANs, ACLs and object-groups the inventory does not define.
        #[arg(long)]
        prune: bool,
        /// Plan only this switch (repeatable).
        #[arg(long = "device", value_name = "NAME")]
        devices: Vec<String>,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Directory whose <platform>/<name>.j2 files replace the built-in templates.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Fetch the running configs from the switches now instead of reading RUNDIR.
        #[arg(long, conflicts_with = "running")]
        live: bool,
        /// How many switches to fetch from at once (with --live).
        #[arg(long, default_value_t = 8)]
        parallel: usize,
        /// Refuse running-config files larger than this.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_CONFIG_BYTES)]
        max_config_bytes: u64,
        /// Also save the exact plan to FILE, for `liaison apply FILE` (docs/saved-plans.md).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// `--format markdown`: keep the document under this many bytes
        /// (GitHub comments hold 65,536 characters) by leaving out device
        /// sections, with a note; 0 = no limit.
        #[arg(long, value_name = "BYTES", default_value_t = plan::output::DEFAULT_MARKDOWN_MAX_BYTES)]
        max_bytes: usize,
        /// Also plan the management plane (login users and keys, SSH, the management VRF, mgmt0, line, CoPP, boot, AAA), which is otherwise left alone.
        #[arg(long)]
        allow_management_changes: bool,
        /// Plan this switch as a blank, factory-new switch with no running
        /// config yet (repeatable); its RUNDIR file is not read.
        #[arg(long = "blank", value_name = "NAME")]
        blank: Vec<String>,
        /// Plan every switch as blank: a new fabric, no running configs yet.
        #[arg(long, conflicts_with_all = ["blank", "live", "running"])]
        greenfield: bool,
        #[command(flatten)]
        ssh: SshArgs,
    },
    /// Prove from the running configs that every VM can run on every host of
    /// its zone (exit 0 = proven, 2 = findings, 1 = error).
    Verify {
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Directory of running configs, one <switch>.cfg each [default: INVENTORY/running].
        #[arg(long)]
        running: Option<PathBuf>,
        /// Fetch the running configs from the switches now instead of reading RUNDIR.
        #[arg(long, conflicts_with = "running")]
        live: bool,
        #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
        format: VerifyFormat,
        /// Verify only this switch (repeatable).
        #[arg(long = "device", value_name = "NAME")]
        devices: Vec<String>,
        /// Refuse running configs larger than this.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_CONFIG_BYTES)]
        max_config_bytes: u64,
        /// How many switches to fetch from at once (with --live).
        #[arg(long, default_value_t = 8)]
        parallel: usize,
        #[command(flatten)]
        ssh: SshArgs,
    },
    /// Plan against the live switches, confirm, then push the changes safely
    /// (exit 0 = all applied and verified, 1 = any failure). Given a saved
    /// plan (`plan --out FILE`) instead of an inventory, applies exactly it.
    Apply {
        /// Inventory directory, or a saved plan file [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Only these switches (repeatable).
        #[arg(long = "device", value_name = "NAME")]
        devices: Vec<String>,
        /// How many switches at once.
        #[arg(long, default_value_t = 8)]
        parallel: usize,
        /// Apply to this many switches first (the fewest commands first, never
        /// both members of a vPC pair); stop if any of them fails.
        #[arg(long, default_value_t = 0, conflicts_with = "canary_devices")]
        canary: usize,
        /// Apply to this switch first (repeatable); stop if it fails.
        #[arg(long = "canary-device", value_name = "NAME")]
        canary_devices: Vec<String>,
        /// Do not ask for confirmation (required when not run from a terminal).
        #[arg(long)]
        yes: bool,
        /// Do not copy the running config to startup after a verified change.
        #[arg(long)]
        no_save: bool,
        /// On switches that commit with a confirmation (EOS's commit timer): how long the switch keeps an unconfirmed change before it rolls it back by itself, as seconds or HH:MM:SS [default: 00:10:00].
        #[arg(long, value_name = "DURATION", value_parser = parse_commit_timer)]
        commit_timer: Option<std::time::Duration>,
        /// Also remove VLANs, ACLs and object-groups the inventory does not define.
        #[arg(long)]
        prune: bool,
        /// Refuse a running config larger than this (nothing is changed on that switch).
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_CONFIG_BYTES)]
        max_config_bytes: u64,
        /// Also plan the management plane (login users and keys, SSH, the management VRF, mgmt0, line, CoPP, boot, AAA), which is otherwise left alone.
        #[arg(long)]
        allow_management_changes: bool,
        #[command(flatten)]
        ssh: SshArgs,
    },
    /// Write a small commented starter inventory into DIR (which must be
    /// empty or new); it passes `check` as it is.
    Init {
        /// Directory to create.
        dir: PathBuf,
    },
    /// Print a shell completion script (e.g. `liaison completions bash >
    /// ~/.local/share/bash-completion/completions/liaison`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`liaison man > liaison.1; man ./liaison.1`).
    Man,
    /// Write a static documentation site of the fabric (topology, mobility,
    /// segments, policy, budgets, ports; with --running, plans and findings).
    Docs {
        /// Inventory directory [env: LIAISON_INVENTORY].
        #[arg(env = INVENTORY_ENV, hide_env = true, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        /// Output directory (replaced as a whole, as `build` does).
        #[arg(short, long, default_value = "site")]
        output: PathBuf,
        /// Directory of running configs: also show each switch's plan and verify's findings.
        #[arg(long)]
        running: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = DocsFormat::Html)]
        format: DocsFormat,
    },
    /// Compare two config files: the commands that turn RUNNING into INTENDED,
    /// which is the whole truth (exit 0 = no change, 2 = changes, 1 = error).
    Diff {
        #[arg(long, value_enum)]
        platform: DiffPlatform,
        /// The device's config now (`show running-config`).
        running: PathBuf,
        /// The config it should have.
        intended: PathBuf,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Refuse config files larger than this.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_CONFIG_BYTES)]
        max_config_bytes: u64,
        /// Port defaults of the switches both configs come from: l2, l3,
        /// l2-shutdown, l3-shutdown or a model [default: l2]. A config's own
        /// `system default switchport …` line wins.
        #[arg(long, value_name = "DEFAULTS")]
        defaults: Option<String>,
        /// Port defaults of the switch RUNNING comes from (beats --defaults).
        #[arg(long, value_name = "DEFAULTS")]
        running_defaults: Option<String>,
        /// Port defaults of the switch INTENDED comes from (beats --defaults).
        #[arg(long, value_name = "DEFAULTS")]
        intended_defaults: Option<String>,
        /// Also plan the management plane (login users and keys, SSH, the management VRF, mgmt0, line, CoPP, boot, AAA), which is otherwise left alone.
        #[arg(long)]
        allow_management_changes: bool,
        /// The user the commands are to be typed as (env LIAISON_SSH_USER): a diff removing it is refused.
        #[arg(long)]
        ssh_user: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DocsFormat {
    Html,
    Markdown,
}

/// `--defaults` and its kin, read by `platform`'s dialect once clap has
/// parsed `--platform` (clap parses each flag on its own). A spec the
/// dialect refuses is a usage error, worded as clap words one.
fn port_defaults_arg(
    platform: crate::platform::Platform,
    flag: &str,
    text: Option<String>,
) -> Result<Option<PortDefaults>, clap::Error> {
    let Some(text) = text else {
        return Ok(None);
    };
    let parsed = match platform.dialect() {
        Some(dialect) => dialect.parse_port_defaults(&text),
        None => Err(format!("liaison cannot read {} configs", platform.as_str())),
    };
    parsed.map(Some).map_err(|message| {
        clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("invalid value '{text}' for '{flag} <DEFAULTS>': {message}\n\nFor more information, try '--help'.\n"),
        )
    })
}

/// `--commit-timer`: seconds (`600`) or `HH:MM:SS` (`00:10:00`), at least
/// one second and under a day (an uncommitted EOS session times out after
/// 24 hours).
fn parse_commit_timer(text: &str) -> Result<std::time::Duration, String> {
    let secs = match text.split(':').collect::<Vec<_>>().as_slice() {
        [s] => s.parse::<u64>().ok(),
        [h, m, s] => match (h.parse::<u64>(), m.parse::<u64>(), s.parse::<u64>()) {
            (Ok(h), Ok(m), Ok(s)) if m < 60 && s < 60 => Some(h * 3600 + m * 60 + s),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| {
        format!("`{text}` is not a duration: give seconds (600) or HH:MM:SS (00:10:00)")
    })?;
    if secs == 0 || secs >= 24 * 3600 {
        return Err(format!(
            "`{text}`: the commit timer must be at least one second and under 24 hours"
        ));
    }
    Ok(std::time::Duration::from_secs(secs))
}

/// The platforms `diff` accepts: those liaison plans
/// ([`crate::platform::Platform::plans_configs`]).
#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum DiffPlatform {
    Nxos,
    Eos,
}

impl DiffPlatform {
    fn platform(self) -> crate::platform::Platform {
        match self {
            DiffPlatform::Nxos => crate::platform::Platform::Nxos,
            DiffPlatform::Eos => crate::platform::Platform::Eos,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum PlanFormat {
    /// Commands and unified diff per device, for a terminal.
    Text,
    /// The stable JSON schema of docs/commands.md.
    Json,
    /// A pull-request comment: summary table, one collapsible section per device.
    Markdown,
    /// Only the commands, as typed in configuration mode (one device).
    Commands,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum VerifyFormat {
    /// One block per finding, for a terminal.
    Text,
    /// The stable JSON schema of docs/verify.md.
    Json,
    /// A pull-request comment: a table, then one collapsible section per finding.
    Markdown,
}

/// How to reach the switches (each beats the environment and `fabric.ssh`).
#[derive(clap::Args, Clone, Default)]
struct SshArgs {
    /// SSH user (env LIAISON_SSH_USER; default fabric.ssh.username).
    #[arg(long)]
    ssh_user: Option<String>,
    /// Private key file (env LIAISON_SSH_KEY; default fabric.ssh.key_file).
    #[arg(long)]
    ssh_key: Option<PathBuf>,
    /// Name of the environment variable holding the password (never the password itself).
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// known_hosts file (env LIAISON_KNOWN_HOSTS; default fabric.ssh.known_hosts).
    #[arg(long)]
    known_hosts: Option<PathBuf>,
    /// Add the keys of hosts not yet in known_hosts (a changed key is never accepted).
    #[arg(long)]
    accept_new_host_keys: bool,
    /// Seconds allowed for connecting (TCP, SSH handshake and login
    /// together) and for each answer of a switch, however it trickles in.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Seconds between SSH keepalives on an idle connection (a switch
    /// waiting, changed, for its vPC peer's change), as ssh's
    /// ServerAliveInterval.
    #[arg(long, default_value_t = 15, value_name = "SECS")]
    keepalive: u64,
}

impl SshArgs {
    /// The overrides, with running configs capped at `max_config_bytes`.
    fn overrides(&self, max_config_bytes: u64) -> crate::remote::SshOverrides {
        crate::remote::SshOverrides {
            username: self.ssh_user.clone(),
            key_file: self.ssh_key.clone(),
            password_env: self.password_env.clone(),
            known_hosts: self.known_hosts.clone(),
            accept_new_host_keys: self.accept_new_host_keys,
            timeout: Some(std::time::Duration::from_secs(self.timeout.max(1))),
            keepalive: Some(std::time::Duration::from_secs(self.keepalive.max(1))),
            max_output_bytes: Some(max_config_bytes),
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

pub fn run() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    // clap exits with 2 on a usage error, which `plan` and `diff` use for
    // "changes": a CI job would read a typo as a plan. Usage errors are 1.
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    crate::style::set(match cli.color {
        ColorWhen::Auto => crate::style::Choice::Auto,
        ColorWhen::Always => crate::style::Choice::Always,
        ColorWhen::Never => crate::style::Choice::Never,
    });
    if let Some(missing) = missing_default_inventory(&matches) {
        print_diagnostics(&missing, &Sources::default());
        return ExitCode::from(1);
    }
    match cli.command {
        Command::Check {
            inventory,
            format,
            what_if_hosts,
        } => {
            let assumptions = crate::budget::Assumptions {
                extra_hosts: what_if_hosts.into_iter().collect(),
            };
            check(&inventory, format, &assumptions)
        }
        Command::Build {
            inventory,
            output,
            templates,
        } => build(&inventory, &output, templates.as_deref()),
        Command::Fetch {
            inventory,
            output,
            devices,
            parallel,
            max_config_bytes,
            ssh,
        } => {
            let output = output.unwrap_or_else(|| inventory.join("running"));
            fetch(
                &inventory,
                &output,
                &devices,
                parallel,
                &ssh.overrides(max_config_bytes),
            )
        }
        Command::Why {
            from,
            to,
            service,
            inventory,
            legacy_inventory,
        } => why(
            &legacy_inventory
                .inspect(|_| eprintln!("warning: `-i INVENTORY` is deprecated: pass INVENTORY after the service, as every command takes it (`liaison why FROM TO SERVICE INVENTORY`)"))
                .unwrap_or(inventory),
            &crate::policy::why::Query {
                from: &from,
                to: &to,
                service: &service,
            },
        ),
        Command::Plan {
            inventory,
            running,
            prune,
            devices,
            format,
            templates,
            live,
            parallel,
            max_config_bytes,
            out,
            max_bytes,
            allow_management_changes,
            blank,
            greenfield,
            ssh,
        } => {
            let overrides = ssh.overrides(max_config_bytes);
            let source = if live {
                Source::Live {
                    parallel,
                    ssh: ssh.overrides(max_config_bytes),
                }
            } else {
                Source::Dir(running.unwrap_or_else(|| inventory.join("running")))
            };
            plan(
                &PlanRequest {
                    inventory: &inventory,
                    source: &source,
                    prune,
                    devices: &devices,
                    templates: templates.as_deref(),
                    max_config_bytes,
                    out: out.as_deref(),
                    allow_management_changes,
                    blank: if greenfield {
                        crate::plan::fleet::Blank::All
                    } else if blank.is_empty() {
                        crate::plan::fleet::Blank::None
                    } else {
                        crate::plan::fleet::Blank::Devices(&blank)
                    },
                    ssh: &overrides,
                    one_device: format == PlanFormat::Commands,
                },
                format,
                (max_bytes > 0).then_some(max_bytes),
            )
        }
        Command::Docs {
            inventory,
            output,
            running,
            format,
        } => docs(&inventory, &output, running.as_deref(), format),
        Command::Verify {
            inventory,
            running,
            live,
            format,
            devices,
            max_config_bytes,
            parallel,
            ssh,
        } => {
            let source = if live {
                Source::Live {
                    parallel,
                    ssh: ssh.overrides(max_config_bytes),
                }
            } else {
                Source::Dir(running.unwrap_or_else(|| inventory.join("running")))
            };
            verify(&inventory, &source, &devices, format, max_config_bytes)
        }
        Command::Apply {
            inventory,
            devices,
            parallel,
            canary,
            canary_devices,
            yes,
            no_save,
            commit_timer,
            prune,
            max_config_bytes,
            allow_management_changes,
            ssh,
        } => apply(&ApplyRequest {
            inventory: &inventory,
            devices: &devices,
            parallel,
            canary: if canary_devices.is_empty() {
                crate::apply::Canary::Fewest(canary)
            } else {
                crate::apply::Canary::Named(canary_devices)
            },
            yes,
            save: !no_save,
            commit_timer,
            prune,
            allow_management_changes,
            ssh: ssh.overrides(max_config_bytes),
        }),
        Command::Init { dir } => match crate::init::write_starter(&dir) {
            Ok(written) => {
                println!(
                    "wrote a starter inventory of {} files to {}; next: `liaison check {}`",
                    written.len(),
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(1)
            }
        },
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "liaison", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write the manual page: {e}");
                ExitCode::from(1)
            }
        },
        Command::Diff {
            platform,
            running,
            intended,
            format,
            max_config_bytes,
            defaults,
            running_defaults,
            intended_defaults,
            allow_management_changes,
            ssh_user,
        } => {
            let ssh_user = ssh_user.or_else(|| {
                std::env::var("LIAISON_SSH_USER")
                    .ok()
                    .filter(|v| !v.is_empty())
            });
            let platform = platform.platform();
            let flags = port_defaults_arg(platform, "--defaults", defaults).and_then(|shared| {
                Ok((
                    shared,
                    port_defaults_arg(platform, "--running-defaults", running_defaults)?,
                    port_defaults_arg(platform, "--intended-defaults", intended_defaults)?,
                ))
            });
            let (defaults, running_defaults, intended_defaults) = match flags {
                Ok(flags) => flags,
                Err(e) => {
                    let _ = e.print();
                    return ExitCode::from(1);
                }
            };
            let request = crate::pipeline::diff::DiffRequest {
                platform,
                running: &running,
                intended: &intended,
                max_config_bytes,
                defaults,
                running_defaults,
                intended_defaults,
                allow_management_changes,
                ssh_user: ssh_user.as_deref(),
            };
            match crate::pipeline::diff::diff(&request) {
                Ok(plan) => print_plans(&[plan], format, None, None),
                Err(stop) => {
                    eprint!("{stop}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// E220: no INVENTORY was given (nor LIAISON_INVENTORY), and the default
/// is not here: say how to pass one, instead of a relative path that is
/// wrong from this directory.
fn missing_default_inventory(matches: &clap::ArgMatches) -> Option<Diagnostics> {
    let (name, sub) = matches.subcommand()?;
    let defaulted = sub.try_get_raw("inventory").is_ok_and(|v| v.is_some())
        && sub.value_source("inventory") == Some(clap::parser::ValueSource::DefaultValue)
        && !matches!(sub.try_get_one::<PathBuf>("legacy_inventory"), Ok(Some(_)));
    if !defaulted || Path::new(DEFAULT_INVENTORY).is_dir() {
        return None;
    }
    let here = std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_else(|_| "the current directory".into());
    let mut diagnostics = Diagnostics::default();
    diagnostics.push(
        diag::Diagnostic::error(
            "E220",
            format!("no INVENTORY given, and there is no default inventory `{DEFAULT_INVENTORY}` in {here}"),
        )
        .hint(format!(
            "pass the inventory directory: `liaison {name} {}/path/to/inventory`, or set {INVENTORY_ENV}=/path/to/inventory; `liaison init DIR` writes a starter inventory",
            if name == "why" { "FROM TO SERVICE " } else { "" }
        )),
    );
    Some(diagnostics)
}

fn print_diagnostics(diagnostics: &Diagnostics, sources: &Sources) {
    eprint!("{}", diag::render_human(diagnostics, sources));
}

fn parse_what_if(text: &str) -> Result<(String, u64), String> {
    let (zone, count) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}`: write ZONE=N, e.g. prod=40"))?;
    let count = count
        .parse::<u64>()
        .map_err(|_| format!("`{count}` is not a number of hosts"))?;
    Ok((zone.to_string(), count))
}

fn check(inventory: &Path, format: Format, assumptions: &crate::budget::Assumptions) -> ExitCode {
    let report = crate::pipeline::check::check(&crate::pipeline::check::CheckRequest {
        inventory,
        assumptions,
    });
    match format {
        Format::Human => {
            let outcome = &report.analysis;
            print_diagnostics(&outcome.diagnostics, &outcome.sources);
            if let Some(budget) = &outcome.budget {
                print!("{}", crate::budget::render_table(budget));
            }
            if let Some(switches) = report.switches() {
                println!(
                    "{}: {switches} switches compiled, no errors",
                    inventory.display()
                );
            }
        }
        Format::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report.json(inventory)).unwrap_or_default()
            );
        }
    }
    exit_for(&report.analysis.diagnostics)
}

fn exit_for(diagnostics: &Diagnostics) -> ExitCode {
    if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// W030 for files of a `--templates` directory that replace nothing.
fn print_template_warnings(templates: Option<&Path>) {
    let Some(dir) = templates else {
        return;
    };
    let mut warnings = Diagnostics::default();
    for warning in crate::render::unknown_templates(dir) {
        warnings.push(warning);
    }
    if !warnings.is_empty() {
        print_diagnostics(&warnings, &Sources::default());
    }
}

fn build(inventory: &Path, output: &Path, templates: Option<&Path>) -> ExitCode {
    let mut terminal = Terminal {
        templates,
        budget: None,
    };
    match crate::pipeline::build::build(inventory, output, templates, &mut terminal) {
        Ok(report) => {
            for path in &report.cleaned {
                eprintln!(
                    "note: removed {}, left by an earlier build that did not finish",
                    path.display()
                );
            }
            if !report.removed.is_empty() {
                println!(
                    "removed {} (switches no longer in the inventory)",
                    report.removed.join(", ")
                );
            }
            if !report.kept.is_empty() {
                eprintln!(
                    "warning: kept {} in {}: not written by liaison (or edited since); delete what is not needed",
                    report.kept.join(", "),
                    output.display()
                );
            }
            println!("wrote {} configs to {}", report.written, output.display());
            ExitCode::SUCCESS
        }
        Err(stop) => {
            eprint!("{stop}");
            ExitCode::from(1)
        }
    }
}

fn docs(inventory: &Path, output: &Path, running: Option<&Path>, format: DocsFormat) -> ExitCode {
    let mut terminal = Terminal {
        templates: None,
        budget: None,
    };
    let site_format = match format {
        DocsFormat::Html => crate::docs::Format::Html,
        DocsFormat::Markdown => crate::docs::Format::Markdown,
    };
    match crate::pipeline::docs::docs(inventory, output, running, site_format, &mut terminal) {
        Ok(report) => {
            if !report.kept.is_empty() {
                eprintln!(
                    "warning: kept {} in {}: not written by liaison (or edited since)",
                    report.kept.join(", "),
                    output.display()
                );
            }
            let start = match format {
                DocsFormat::Html => "index.html",
                DocsFormat::Markdown => "index.md",
            };
            println!(
                "wrote {} files to {} (start at {})",
                report.written,
                output.display(),
                output.join(start).display()
            );
            ExitCode::SUCCESS
        }
        Err(stop) => {
            eprint!("{stop}");
            ExitCode::from(1)
        }
    }
}

fn why(inventory: &Path, query: &crate::policy::why::Query) -> ExitCode {
    use crate::pipeline::why::WhyStop;
    match crate::pipeline::why::why(inventory, query) {
        Ok(answer) => {
            crate::style::print_verdicts(&answer.text);
            if answer.allowed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(WhyStop::Invalid {
            diagnostics,
            sources,
        }) => {
            print_diagnostics(&diagnostics, &sources);
            eprintln!("cannot answer: fix the errors above first");
            ExitCode::from(1)
        }
        Err(WhyStop::Query(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn fetch(
    inventory: &Path,
    output: &Path,
    devices: &[String],
    parallel: usize,
    overrides: &crate::remote::SshOverrides,
) -> ExitCode {
    use crate::pipeline::fetch::FetchStop;
    let report =
        match crate::pipeline::fetch::fetch(inventory, output, devices, parallel, overrides) {
            Ok(report) => report,
            Err(FetchStop::Invalid {
                diagnostics,
                sources,
            }) => {
                print_diagnostics(&diagnostics, &sources);
                eprintln!("nothing fetched: fix the errors above first");
                return ExitCode::from(1);
            }
            Err(FetchStop::Connection(message)) => {
                eprintln!("error: {message}");
                return ExitCode::from(1);
            }
        };
    for e in &report.failed {
        eprintln!("error: {e}");
    }
    if let Err(message) = &report.written {
        eprintln!("error: {message}");
        return ExitCode::from(1);
    }
    print_diagnostics(&report.warnings, &report.sources);
    println!(
        "fetched {} of {} running configs into {}",
        report.saved,
        report.selected,
        output.display()
    );
    if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints plans in `format` and returns the exit code: 0 when nothing
/// changes, 2 when something does (as `terraform plan -detailed-exitcode`).
/// Prints plans; `budget` is the inventory's (for `plan`, None for `diff`),
/// `markdown_max_bytes` the size limit of `--format markdown`.
fn print_plans(
    plans: &[DevicePlan],
    format: PlanFormat,
    budget: Option<&crate::budget::Budget>,
    markdown_max_bytes: Option<usize>,
) -> ExitCode {
    let out = match format {
        PlanFormat::Text => {
            crate::style::print_plan(&plan::output::text(plans));
            String::new()
        }
        PlanFormat::Json => plan::output::json(plans, budget),
        PlanFormat::Markdown => plan::output::markdown(plans, markdown_max_bytes),
        PlanFormat::Commands => plans.iter().map(plan::output::commands).collect(),
    };
    print!("{out}");
    if plans.iter().any(DevicePlan::has_changes) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// The command line's observer of a pipeline: the inventory's diagnostics
/// as soon as they are known, the warnings about a `--templates`
/// directory, and for `plan --format text` the budget table.
struct Terminal<'a> {
    templates: Option<&'a Path>,
    /// `plan`: its format (the budget goes with the text one only).
    budget: Option<PlanFormat>,
}

impl crate::pipeline::Observer for Terminal<'_> {
    fn analysed(&mut self, analysis: &crate::Analysis) {
        print_diagnostics(&analysis.diagnostics, &analysis.sources);
        print_template_warnings(self.templates);
        // The budget goes with the human plan; the other formats are for
        // tools (and `commands` must stay exactly the commands).
        if let (Some(_), Some(_), Some(budget), Some(PlanFormat::Text)) = (
            &analysis.intent,
            &analysis.inventory,
            &analysis.budget,
            self.budget,
        ) {
            eprint!("{}", crate::budget::render_table(budget));
        }
    }
}

fn plan(
    request: &PlanRequest<'_>,
    format: PlanFormat,
    markdown_max_bytes: Option<usize>,
) -> ExitCode {
    let mut terminal = Terminal {
        templates: request.templates,
        budget: Some(format),
    };
    match crate::pipeline::plan::plan_fleet(request, &mut terminal) {
        Ok(fleet) => {
            if let Some(out) = &fleet.saved_to {
                eprintln!(
                    "saved the plan of {} switch(es) to {}; apply exactly it with `liaison apply {}`",
                    fleet.plans.len(),
                    out.display(),
                    out.display()
                );
            }
            print_plans(
                &fleet.plans,
                format,
                fleet.budget.as_ref(),
                markdown_max_bytes,
            )
        }
        Err(stop) => {
            eprint!("{stop}");
            ExitCode::from(1)
        }
    }
}

fn verify(
    inventory: &Path,
    source: &Source,
    devices: &[String],
    format: VerifyFormat,
    max_config_bytes: u64,
) -> ExitCode {
    let mut terminal = Terminal {
        templates: None,
        budget: None,
    };
    let report = match crate::pipeline::verify::verify_fleet(
        inventory,
        source,
        devices,
        max_config_bytes,
        &mut terminal,
    ) {
        Ok(report) => report,
        Err(stop) => {
            eprint!("{stop}");
            return ExitCode::from(1);
        }
    };
    print!(
        "{}",
        match format {
            VerifyFormat::Text => crate::verify::report::text(&report),
            VerifyFormat::Json => crate::verify::report::json(&report),
            VerifyFormat::Markdown => crate::verify::report::markdown(&report),
        }
    );
    if report.proven() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn apply(request: &ApplyRequest<'_>) -> ExitCode {
    let report = match crate::pipeline::apply::apply(request, &mut ApplyTerminal) {
        Ok(report) => report,
        Err(stop) => {
            eprint!("{stop}");
            return ExitCode::from(1);
        }
    };
    for Refusal { device, reason } in &report.refused {
        eprintln!("error: {device}: {reason}; nothing was sent to it\n  = hint: make a new plan (`liaison plan --live --out FILE`) and review it");
    }
    match &report.pushed {
        None => println!("nothing to apply"),
        Some(pushed) => {
            // What the switches said they would change, then the proof:
            // the summary table stays the last thing printed.
            print!("{}", crate::apply::switch_diffs(&pushed.results));
            print_after_change(&pushed.verified);
            print!("{}", crate::apply::summary(&pushed.results));
        }
    }
    if report.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The proof after a change, as apply prints it.
fn print_after_change(verified: &AfterChange) {
    match verified {
        AfterChange::NothingChanged => {}
        AfterChange::Proven { switches } => println!(
            "verify: proven on the {switches} switch(es) changed: every host they serve can take every VM of its zone"
        ),
        AfterChange::Findings(report) => {
            print!("{}", crate::verify::report::text(report));
            println!(
                "verify: {} finding(s) on the switches changed. Nothing was rolled back for them: each changed switch re-planned empty, so its change is what the inventory asks for, and these findings come from what the plan leaves alone or from other switches; `liaison verify --live` shows them again",
                report.findings.len()
            );
        }
        AfterChange::Unproven(failures) => {
            for failure in failures {
                eprint!("{failure}");
            }
            eprintln!("verify: the changed switches could not be proven (see above); nothing was rolled back");
        }
    }
}

/// `apply` on the terminal: the plan, the confirmation, a progress line
/// per device.
struct ApplyTerminal;

impl crate::pipeline::apply::ApplyObserver for ApplyTerminal {
    fn analysed(&mut self, analysis: &crate::Analysis) {
        print_diagnostics(&analysis.diagnostics, &analysis.sources);
    }

    fn can_ask(&self) -> bool {
        use std::io::IsTerminal;
        std::io::stdin().is_terminal()
    }

    fn planned(&mut self, plans: &[DevicePlan]) {
        print!("{}", crate::plan::output::text(plans));
    }

    fn saved_plan(&mut self, changes: &[crate::apply::Change]) {
        for change in changes {
            println!(
                "{}: {} command(s) from the saved plan",
                change.target.name,
                change.commands.len()
            );
            for command in &change.commands {
                println!("  {}", crate::plan::redact::line(command));
            }
        }
    }

    fn confirm(&mut self, devices: usize) -> bool {
        confirm(devices)
    }

    fn rollout(&mut self, changes: &[crate::apply::Change]) -> Box<dyn StageProgress> {
        Box::new(Progress::new(changes))
    }
}

fn confirm(devices: usize) -> bool {
    use std::io::Write as _;
    eprint!("Apply these changes to {devices} switch(es)? Only `yes` is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && answer.trim() == "yes"
}

const WAITING: &str = "waiting";

/// One progress line per device, drawn only on a terminal. A device's
/// spinner turns only while it is worked on: a hundred spinners ticking
/// through a long rollout cost more CPU than the rollout itself.
struct Progress {
    bars: std::collections::HashMap<String, indicatif::ProgressBar>,
    on_terminal: bool,
    _multi: indicatif::MultiProgress,
}

impl Progress {
    fn new(changes: &[crate::apply::Change]) -> Self {
        use std::io::IsTerminal;
        let on_terminal = std::io::stderr().is_terminal();
        let multi = if on_terminal {
            indicatif::MultiProgress::new()
        } else {
            indicatif::MultiProgress::with_draw_target(indicatif::ProgressDrawTarget::hidden())
        };
        let style = indicatif::ProgressStyle::with_template("{prefix:>12} {spinner} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        let bars = changes
            .iter()
            .map(|c| {
                let bar = multi.add(indicatif::ProgressBar::new_spinner());
                bar.set_style(style.clone());
                bar.set_prefix(c.target.name.clone());
                bar.set_message(WAITING);
                (c.target.name.clone(), bar)
            })
            .collect();
        Progress {
            bars,
            on_terminal,
            _multi: multi,
        }
    }
}

impl StageProgress for Progress {
    fn stage(&self, device: &str, stage: &str, done: bool) {
        let Some(bar) = self.bars.get(device) else {
            return;
        };
        if done {
            bar.finish_with_message(stage.to_string());
            return;
        }
        if self.on_terminal && bar.message() == WAITING {
            // The device's first stage: start its ticker (once: each call
            // would start a new ticker thread).
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
        bar.set_message(stage.to_string());
    }

    fn finished(&self) {
        for bar in self.bars.values() {
            bar.finish();
        }
    }
}

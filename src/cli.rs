//! The command line: parses arguments, runs the pipeline stages, prints
//! results and chooses the exit code. No decisions about networks live here.

use crate::config::PortDefaults;
use crate::diag::{self, Diagnostics, Sources};
use crate::intent::Intent;
use crate::plan::fleet::{
    plan_inventory, ConfigFile, Failure, Running, Selection, DEFAULT_MAX_CONFIG_BYTES,
};
use crate::plan::{self, DevicePlan};
use crate::render::Renderer;
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
        #[arg(long, value_name = "DEFAULTS", value_parser = parse_port_defaults)]
        defaults: Option<PortDefaults>,
        /// Port defaults of the switch RUNNING comes from (beats --defaults).
        #[arg(long, value_name = "DEFAULTS", value_parser = parse_port_defaults)]
        running_defaults: Option<PortDefaults>,
        /// Port defaults of the switch INTENDED comes from (beats --defaults).
        #[arg(long, value_name = "DEFAULTS", value_parser = parse_port_defaults)]
        intended_defaults: Option<PortDefaults>,
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

fn parse_port_defaults(text: &str) -> Result<PortDefaults, String> {
    crate::platform::nxos::defaults::parse_spec(text)
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum DiffPlatform {
    Nxos,
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
            let dir = running.unwrap_or_else(|| inventory.join("running"));
            let source = if live {
                Source::Live {
                    parallel,
                    ssh: ssh.overrides(max_config_bytes),
                }
            } else {
                Source::Dir(dir)
            };
            plan(
                &PlanArgs {
                    inventory: &inventory,
                    running: Running::Dir(Path::new("")),
                    answers: &NO_ANSWERS,
                    prune,
                    devices: &devices,
                    format,
                    templates: templates.as_deref(),
                    max_config_bytes,
                    out: out.as_deref(),
                    markdown_max_bytes: (max_bytes > 0).then_some(max_bytes),
                    allow_management_changes,
                    blank: if greenfield {
                        crate::plan::fleet::Blank::All
                    } else if blank.is_empty() {
                        crate::plan::fleet::Blank::None
                    } else {
                        crate::plan::fleet::Blank::Devices(&blank)
                    },
                    ssh: &overrides,
                },
                &source,
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
            prune,
            max_config_bytes,
            allow_management_changes,
            ssh,
        } => apply(&ApplyArgs {
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
            platform: DiffPlatform::Nxos,
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
            let shared = defaults.unwrap_or(crate::platform::nxos::defaults::FALLBACK.defaults);
            let sides = plan::Sides {
                running: running_defaults.unwrap_or(shared),
                intended: intended_defaults.unwrap_or(shared),
            };
            let management = DiffManagement {
                allow_changes: allow_management_changes,
                ssh_user: ssh_user.or_else(|| {
                    std::env::var("LIAISON_SSH_USER")
                        .ok()
                        .filter(|v| !v.is_empty())
                }),
            };
            diff(
                &running,
                &intended,
                format,
                max_config_bytes,
                sides,
                &management,
            )
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
    let outcome = crate::analyse_with(inventory, crate::inventory::Date::today(), assumptions);
    match format {
        Format::Human => {
            print_diagnostics(&outcome.diagnostics, &outcome.sources);
            if let Some(budget) = &outcome.budget {
                print!("{}", crate::budget::render_table(budget));
            }
            if let Some(intent) = &outcome.intent {
                println!(
                    "{}: {} switches compiled, no errors",
                    inventory.display(),
                    intent.devices.len()
                );
            }
        }
        Format::Json => {
            let json = serde_json::json!({
                "inventory": inventory.display().to_string(),
                "ok": !outcome.diagnostics.has_errors(),
                "errors": outcome.diagnostics.error_count(),
                "warnings": outcome.diagnostics.warning_count(),
                "diagnostics": diag::to_json(&outcome.diagnostics, &outcome.sources),
                "budget": outcome.budget,
                "tcam": outcome.tcam,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    exit_for(&outcome.diagnostics)
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
    let outcome = crate::analyse(inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    print_template_warnings(templates);
    let Some(intent) = outcome.intent else {
        eprintln!("nothing written: fix the errors above first");
        return ExitCode::from(1);
    };
    match render_and_write(&intent, output, templates) {
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
        Err(message) => {
            eprintln!("error: {message}\nnothing written");
            ExitCode::from(1)
        }
    }
}

fn docs(inventory: &Path, output: &Path, running: Option<&Path>, format: DocsFormat) -> ExitCode {
    let outcome = crate::analyse(inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    let options = crate::docs::Options {
        format: match format {
            DocsFormat::Html => crate::docs::Format::Html,
            DocsFormat::Markdown => crate::docs::Format::Markdown,
        },
        running,
        inventory_dir: &inventory.display().to_string(),
    };
    let files = match crate::docs::generate(&outcome, &options) {
        Ok(files) => files,
        Err(failures) => {
            for failure in failures {
                eprint!("{failure}");
            }
            eprintln!("nothing written");
            return ExitCode::from(1);
        }
    };
    match crate::output::replace_dir(output, &files) {
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
        Err(message) => {
            eprintln!("error: {message}\nnothing written");
            ExitCode::from(1)
        }
    }
}

fn why(inventory: &Path, query: &crate::policy::why::Query) -> ExitCode {
    let outcome = crate::analyse(inventory);
    let (Some(inventory_data), Some(intent)) = (&outcome.inventory, &outcome.intent) else {
        print_diagnostics(&outcome.diagnostics, &outcome.sources);
        eprintln!("cannot answer: fix the errors above first");
        return ExitCode::from(1);
    };
    match crate::policy::why::why_all(inventory_data, intent, query) {
        Ok(verdicts) => {
            let answers: String = verdicts
                .iter()
                .map(|v| crate::policy::why::render(v, inventory_data, &outcome.sources))
                .collect();
            crate::style::print_verdicts(&answers);
            if verdicts.iter().all(|v| v.allowed) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn render_and_write(
    intent: &Intent,
    output: &Path,
    templates: Option<&Path>,
) -> Result<crate::output::Replaced, String> {
    let renderer = Renderer::new(templates)?;
    let files = crate::render_all(&renderer, intent).map_err(|e| e.to_string())?;
    crate::output::replace_dir(output, &files)
}

fn fetch(
    inventory: &Path,
    output: &Path,
    devices: &[String],
    parallel: usize,
    overrides: &crate::remote::SshOverrides,
) -> ExitCode {
    let outcome = crate::analyse(inventory);
    let Some(inv) = outcome
        .inventory
        .as_ref()
        .filter(|_| !outcome.diagnostics.has_errors())
    else {
        print_diagnostics(&outcome.diagnostics, &outcome.sources);
        eprintln!("nothing fetched: fix the errors above first");
        return ExitCode::from(1);
    };
    let prepared = crate::remote::targets(inv, devices)
        .and_then(|targets| Ok((targets, crate::remote::connect_options(inv, overrides)?)));
    let (targets, options) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let mut saved = Vec::new();
    let mut failed = 0;
    let mut warnings = Diagnostics::default();
    for (name, result) in crate::remote::fetch_all(&targets, &options, parallel) {
        match result {
            Ok(fetched) => {
                let switch = inv.switches.iter().find(|s| s.name.value == name);
                if let Some(warning) = switch.and_then(|s| {
                    crate::plan::fleet::offline_misreads(s, fetched.port_defaults, &fetched.running)
                }) {
                    warnings.push(warning);
                }
                saved.push((crate::inventory::config_file_name(&name), fetched.running))
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if let Err(message) = crate::output::write_all(output, &saved) {
        eprintln!("error: {message}");
        return ExitCode::from(1);
    }
    print_diagnostics(&warnings, &outcome.sources);
    println!(
        "fetched {} of {} running configs into {}",
        saved.len(),
        targets.len(),
        output.display()
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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

/// `diff`'s management-plane options.
struct DiffManagement {
    allow_changes: bool,
    ssh_user: Option<String>,
}

fn diff(
    running: &Path,
    intended: &Path,
    format: PlanFormat,
    max_bytes: u64,
    sides: plan::Sides,
    management: &DiffManagement,
) -> ExitCode {
    let fix = "pass a file holding NX-OS configuration text (`show running-config`)";
    let files = [
        ConfigFile {
            path: running,
            what: "running config",
            fix,
            max_bytes,
        },
        ConfigFile {
            path: intended,
            what: "intended config",
            fix,
            max_bytes,
        },
    ];
    // Two independent files: big ones read and parse in half the time side
    // by side.
    let texts = std::thread::scope(|s| {
        let other = s.spawn(|| files[1].read());
        let running = files[0].read();
        let intended = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        [running, intended]
    });
    let [Ok(running_text), Ok(intended_text)] = &texts else {
        for failure in texts.iter().filter_map(|t| t.as_ref().err()) {
            eprint!("{failure}");
        }
        return ExitCode::from(1);
    };
    let trees = std::thread::scope(|s| {
        let other = s.spawn(|| files[1].parse(intended_text, crate::platform::Platform::Nxos));
        let running = files[0].parse(running_text, crate::platform::Platform::Nxos);
        let intended = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (running, intended)
    });
    let (running_tree, intended_tree) = match trees {
        (Ok(r), Ok(i)) => (r, i),
        (r, i) => {
            for failure in [r.err(), i.err()].into_iter().flatten() {
                eprint!("{failure}");
            }
            return ExitCode::from(1);
        }
    };
    let device = intended
        .file_stem()
        .map_or("device".into(), |s| s.to_string_lossy().into_owned());
    let labels = (
        running.display().to_string(),
        intended.display().to_string(),
    );
    // A config's own `system default switchport …` line says more than a
    // flag.
    let in_config = crate::platform::nxos::defaults::in_config;
    let defaults = plan::Sides {
        running: in_config(&running_tree.nodes).resolve(sides.running),
        intended: in_config(&intended_tree.nodes).resolve(sides.intended),
    };
    let plan = plan::plan_device(plan::Request {
        device: &device,
        platform: crate::platform::Platform::Nxos,
        defaults,
        running: running_tree,
        intended: intended_tree,
        labels: (&labels.0, &labels.1),
        scope: plan::Scope::Whole,
        tolerated: &[],
        management: plan::Management {
            allow_changes: management.allow_changes,
            session: plan::Session {
                user: management.ssh_user.as_deref(),
                address: None,
            },
        },
    });
    if let Some(refused) = crate::plan::fleet::refusal(&plan) {
        eprint!("{refused}");
        return ExitCode::from(1);
    }
    print_plans(&[plan], format, None, None)
}

/// No switch answered: an offline plan.
static NO_ANSWERS: std::collections::BTreeMap<String, crate::config::PartialPortDefaults> =
    std::collections::BTreeMap::new();

struct PlanArgs<'a> {
    inventory: &'a Path,
    running: Running<'a>,
    answers: &'a std::collections::BTreeMap<String, crate::config::PartialPortDefaults>,
    prune: bool,
    devices: &'a [String],
    format: PlanFormat,
    templates: Option<&'a Path>,
    max_config_bytes: u64,
    /// `--out FILE`: save the plan there too.
    out: Option<&'a Path>,
    /// `--max-bytes` of `--format markdown` (None: no limit).
    markdown_max_bytes: Option<usize>,
    allow_management_changes: bool,
    /// `--blank` / `--greenfield`.
    blank: crate::plan::fleet::Blank<'a>,
    ssh: &'a crate::remote::SshOverrides,
}

impl<'a> PlanArgs<'a> {
    /// What to plan; `session`: the SSH user and each switch's address.
    fn selection<'s>(&'s self, session: &'s Session) -> Selection<'s> {
        Selection {
            running: self.running,
            prune: self.prune,
            devices: self.devices,
            templates: self.templates,
            max_config_bytes: self.max_config_bytes,
            answers: self.answers,
            allow_management_changes: self.allow_management_changes,
            ssh_user: session.user.as_deref(),
            mgmt_addresses: &session.addresses,
            blank: self.blank,
        }
    }
}

/// How liaison reaches the switches: the user it logs in as, and each
/// switch's management address.
struct Session {
    user: Option<String>,
    addresses: std::collections::BTreeMap<String, std::net::IpAddr>,
}

impl Session {
    fn of(inventory: &crate::inventory::Inventory, ssh: &crate::remote::SshOverrides) -> Self {
        Session {
            user: crate::remote::ssh_username(inventory, ssh),
            addresses: crate::remote::mgmt_addresses(inventory),
        }
    }
}

/// Where `plan` reads running configs from.
enum Source {
    Dir(PathBuf),
    Live {
        parallel: usize,
        ssh: crate::remote::SshOverrides,
    },
}

fn plan(args: &PlanArgs<'_>, source: &Source) -> ExitCode {
    let outcome = crate::analyse(args.inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    print_template_warnings(args.templates);
    let (Some(intent), Some(inventory)) = (&outcome.intent, &outcome.inventory) else {
        eprintln!("no plan: fix the errors above first");
        return ExitCode::from(1);
    };
    // The budget goes with the human plan; the other formats are for tools
    // (and `commands` must stay exactly the commands).
    if let (Some(budget), PlanFormat::Text) = (&outcome.budget, args.format) {
        eprint!("{}", crate::budget::render_table(budget));
    }
    let fetched;
    let (running, answers) = match source {
        Source::Dir(dir) => (Running::Dir(dir), &NO_ANSWERS),
        Source::Live { parallel, ssh } => match fetch_live(inventory, args.devices, *parallel, ssh)
        {
            Ok(live) => {
                fetched = live;
                (Running::Fetched(&fetched.running), &fetched.answers)
            }
            Err(()) => return ExitCode::from(1),
        },
    };
    let args = PlanArgs {
        running,
        answers,
        ..*args
    };
    let selected = if args.devices.is_empty() {
        intent.devices.len()
    } else {
        args.devices.len()
    };
    if args.format == PlanFormat::Commands && selected > 1 {
        eprint!(
            "{}",
            Failure::new(format!(
                "--format commands prints one device's commands, and {selected} switches are selected"
            ))
            .hint("add --device NAME, or use --format text|json|markdown for several switches")
        );
        return ExitCode::from(1);
    }
    let session = Session::of(inventory, args.ssh);
    match plan_inventory(intent, &inventory.drift, &args.selection(&session)) {
        Ok(plans) => {
            if let Some(out) = args.out {
                if let Err(message) = save_plan(&args, &plans, out) {
                    eprintln!("error: {message}");
                    return ExitCode::from(1);
                }
                eprintln!(
                    "saved the plan of {} switch(es) to {}; apply exactly it with `liaison apply {}`",
                    plans.len(),
                    out.display(),
                    out.display()
                );
            }
            print_plans(
                &plans,
                args.format,
                outcome.budget.as_ref(),
                args.markdown_max_bytes,
            )
        }
        Err(failures) => {
            for failure in failures {
                eprint!("{failure}");
            }
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
    let outcome = crate::analyse(inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    let (Some(intent), Some(inventory_data)) = (&outcome.intent, &outcome.inventory) else {
        eprintln!("nothing verified: fix the errors above first");
        return ExitCode::from(1);
    };
    let fetched;
    let no_answers = std::collections::BTreeMap::new();
    let (running, answers) = match source {
        Source::Dir(dir) => (Running::Dir(dir), &no_answers),
        Source::Live { parallel, ssh } => {
            match fetch_live(inventory_data, devices, *parallel, ssh) {
                Ok(live) => {
                    fetched = live;
                    (Running::Fetched(&fetched.running), &fetched.answers)
                }
                Err(()) => return ExitCode::from(1),
            }
        }
    };
    let observed =
        match crate::verify::read_running(intent, running, devices, max_config_bytes, answers) {
            Ok(observed) => observed,
            Err(failures) => {
                for failure in failures {
                    eprint!("{failure}");
                }
                eprintln!("nothing verified");
                return ExitCode::from(1);
            }
        };
    let report = crate::verify::prove(
        inventory_data,
        &outcome.sources,
        intent,
        &observed,
        &inventory.display().to_string(),
    );
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

/// Writes `plans` to `out` as a saved plan (`plan --out`).
fn save_plan(args: &PlanArgs<'_>, plans: &[DevicePlan], out: &Path) -> Result<(), String> {
    let absolute =
        |path: &Path| std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()));
    let running = |device: &str| -> Result<String, String> {
        match args.running {
            Running::Fetched(texts) => texts
                .get(device)
                .cloned()
                .ok_or_else(|| format!("no running config of {device}")),
            Running::Dir(dir) => {
                let path = dir.join(crate::inventory::config_file_name(device));
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
            }
        }
    };
    let mut saved = crate::saved::SavedPlan::of_plans(
        absolute(args.inventory)?,
        args.prune,
        args.templates.map(absolute).transpose()?,
        plans,
        running,
    )?;
    saved.allow_management_changes = args.allow_management_changes;
    saved.write(out)
}

/// Running configs of the selected switches, fetched now; every failure
/// is printed and nothing is returned unless all succeeded.
fn fetch_live(
    inventory: &crate::inventory::Inventory,
    devices: &[String],
    parallel: usize,
    overrides: &crate::remote::SshOverrides,
) -> Result<Live, ()> {
    let (targets, options) = connection(inventory, devices, overrides)?;
    let mut live = Live::default();
    let mut failed = false;
    for (name, result) in crate::remote::fetch_all(&targets, &options, parallel) {
        match result {
            Ok(fetched) => {
                live.answers.insert(name.clone(), fetched.port_defaults);
                live.running.insert(name, fetched.running);
            }
            Err(e) => {
                failed = true;
                eprintln!("error: {e}");
            }
        }
    }
    if failed {
        Err(())
    } else {
        Ok(live)
    }
}

/// What was fetched from the switches just now, by switch name.
#[derive(Default)]
struct Live {
    running: std::collections::BTreeMap<String, String>,
    answers: std::collections::BTreeMap<String, crate::config::PartialPortDefaults>,
}

fn connection(
    inventory: &crate::inventory::Inventory,
    devices: &[String],
    overrides: &crate::remote::SshOverrides,
) -> Result<(Vec<crate::device::Target>, crate::device::ConnectOptions), ()> {
    let prepared = crate::remote::targets(inventory, devices).and_then(|targets| {
        Ok((
            targets,
            crate::remote::connect_options(inventory, overrides)?,
        ))
    });
    prepared.map_err(|message| eprintln!("error: {message}"))
}

struct ApplyArgs<'a> {
    inventory: &'a Path,
    devices: &'a [String],
    parallel: usize,
    canary: crate::apply::Canary,
    yes: bool,
    save: bool,
    prune: bool,
    allow_management_changes: bool,
    ssh: crate::remote::SshOverrides,
}

fn apply(args: &ApplyArgs<'_>) -> ExitCode {
    use std::io::IsTerminal;
    if args.inventory.is_file() {
        return apply_saved(args);
    }
    let outcome = crate::analyse(args.inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    let (Some(intent), Some(inventory)) = (&outcome.intent, &outcome.inventory) else {
        eprintln!("nothing applied: fix the errors above first");
        return ExitCode::from(1);
    };
    if !args.yes && !std::io::stdin().is_terminal() {
        eprintln!("error: apply asks for confirmation, and standard input is not a terminal\n  = hint: review the plan (`liaison plan --live`), then run apply with --yes");
        return ExitCode::from(1);
    }
    let Ok((targets, options)) = connection(inventory, args.devices, &args.ssh) else {
        return ExitCode::from(1);
    };
    let Ok(fetched) = fetch_live(inventory, args.devices, args.parallel, &args.ssh) else {
        eprintln!("nothing applied");
        return ExitCode::from(1);
    };
    let session = Session::of(inventory, &args.ssh);
    let planner = Planner {
        intent,
        inventory,
        prune: args.prune,
        templates: None,
        // The switches' answers from the first fetch hold for the verify
        // step too: the change does not touch them.
        answers: &fetched.answers,
        sources: &outcome.sources,
        inventory_dir: args.inventory,
        before: &fetched.running,
        allow_management_changes: args.allow_management_changes,
        session: &session,
    };
    let plans = match planner.plan(&fetched.running, args.devices) {
        Ok(plans) => plans,
        Err(failures) => {
            for failure in failures {
                eprint!("{failure}");
            }
            eprintln!("nothing applied");
            return ExitCode::from(1);
        }
    };
    print!("{}", crate::plan::output::text(&plans));
    let changes: Vec<crate::apply::Change> = targets
        .iter()
        .filter_map(|target| {
            let plan = plans.iter().find(|p| p.device == target.name)?;
            plan.has_changes().then(|| {
                let commands = plan.commands.iter().map(|c| c.to_string()).collect();
                crate::apply::Change::new(target.clone(), commands, intent)
            })
        })
        .collect();
    push_changes(args, &planner, &options, &changes, None)
}

/// Plans devices against fetched running configs, as `apply` does.
struct Planner<'a> {
    intent: &'a crate::intent::Intent,
    inventory: &'a crate::inventory::Inventory,
    prune: bool,
    templates: Option<&'a Path>,
    /// What the switches told about their hidden defaults.
    answers: &'a std::collections::BTreeMap<String, crate::config::PartialPortDefaults>,
    /// The inventory's files and directory, for the proof after the change.
    sources: &'a Sources,
    inventory_dir: &'a Path,
    /// The running configs fetched before the change.
    before: &'a std::collections::BTreeMap<String, String>,
    allow_management_changes: bool,
    session: &'a Session,
}

impl Planner<'_> {
    fn plan(
        &self,
        fetched: &std::collections::BTreeMap<String, String>,
        devices: &[String],
    ) -> Result<Vec<DevicePlan>, Vec<Failure>> {
        plan_inventory(
            self.intent,
            &self.inventory.drift,
            &Selection {
                running: Running::Fetched(fetched),
                prune: self.prune,
                devices,
                templates: self.templates,
                max_config_bytes: crate::plan::fleet::DEFAULT_MAX_CONFIG_BYTES,
                answers: self.answers,
                allow_management_changes: self.allow_management_changes,
                ssh_user: self.session.user.as_deref(),
                mgmt_addresses: &self.session.addresses,
                blank: crate::plan::fleet::Blank::None,
            },
        )
    }

    /// The commands still needed on `device` with `running`.
    fn left(&self, device: &str, running: &str) -> Result<Vec<String>, String> {
        let texts = std::collections::BTreeMap::from([(device.to_string(), running.to_string())]);
        let plans = self
            .plan(&texts, &[device.to_string()])
            .map_err(|failures| {
                failures
                    .iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
        Ok(plans
            .iter()
            .flat_map(|p| p.commands.iter().map(|c| c.to_string()))
            .collect())
    }
}

/// Confirms, then rolls `changes` out pair by pair and prints the summary.
/// `expected`: with a saved plan, each device's running-config hash.
fn push_changes(
    args: &ApplyArgs<'_>,
    planner: &Planner<'_>,
    options: &crate::device::ConnectOptions,
    changes: &[crate::apply::Change],
    expected: Option<&crate::apply::ExpectedHash<'_>>,
) -> ExitCode {
    if changes.is_empty() {
        println!("nothing to apply");
        return ExitCode::SUCCESS;
    }
    let rollout = match crate::apply::rollout(changes, &args.canary) {
        Ok(rollout) => rollout,
        Err(message) => {
            eprintln!("error: {message}\nnothing applied");
            return ExitCode::from(1);
        }
    };
    if !args.yes && !confirm(changes.len()) {
        eprintln!("nothing applied");
        return ExitCode::from(1);
    }
    // The configs re-fetched after each commit: what the proof reads.
    let refetched = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let replan = |device: &str, running: &str| {
        if let Ok(mut texts) = refetched.lock() {
            texts.insert(device.to_string(), running.to_string());
        }
        planner.left(device, running)
    };
    let bars = Progress::new(changes);
    let progress = |device: &str, stage: &str, done: bool| bars.set(device, stage, done);
    let results = crate::apply::apply_all(
        changes,
        &rollout,
        args.parallel,
        &crate::apply::Settings {
            connect: options,
            save: args.save,
            replan: &replan,
            progress: &progress,
            expected,
        },
    );
    bars.finish();
    let changed: std::collections::BTreeSet<String> = results
        .iter()
        .filter(|r| matches!(r.outcome, crate::apply::Outcome::Applied { .. }))
        .map(|r| r.device.clone())
        .collect();
    let mut running = planner.before.clone();
    running.extend(refetched.into_inner().unwrap_or_default());
    // The proof first: the summary table stays the last thing printed.
    verify_changed(planner, &running, &changed);
    print!("{}", crate::apply::summary(&results));
    if results.iter().all(|r| r.outcome.is_success()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// After a change: the proof on the switches changed, from their
/// re-fetched configs; a finding is reported, never rolled back.
fn verify_changed(
    planner: &Planner<'_>,
    running: &std::collections::BTreeMap<String, String>,
    changed: &std::collections::BTreeSet<String>,
) {
    if changed.is_empty() {
        return;
    }
    match crate::verify::after_change(
        planner.inventory,
        planner.sources,
        planner.intent,
        running,
        changed,
        planner.answers,
        &planner.inventory_dir.display().to_string(),
    ) {
        Ok(report) if report.proven() => println!(
            "verify: proven on the {} switch(es) changed: every host they serve can take every VM of its zone",
            changed.len()
        ),
        Ok(report) => {
            print!("{}", crate::verify::report::text(&report));
            println!(
                "verify: {} finding(s) on the switches changed. Nothing was rolled back for them: each changed switch re-planned empty, so its change is what the inventory asks for, and these findings come from what the plan leaves alone or from other switches; `liaison verify --live` shows them again",
                report.findings.len()
            );
        }
        Err(failures) => {
            for failure in failures {
                eprint!("{failure}");
            }
            eprintln!("verify: the changed switches could not be proven (see above); nothing was rolled back");
        }
    }
}

/// `apply FILE`: exactly the saved plan. A device whose running config
/// changed since the plan was made, or that the inventory now plans
/// otherwise, is refused before anything is sent to it (and so is its vPC
/// peer: a pair is one change); the plan is never silently made anew.
fn apply_saved(args: &ApplyArgs<'_>) -> ExitCode {
    use std::io::IsTerminal;
    let saved = match crate::saved::SavedPlan::read(args.inventory) {
        Ok(saved) => saved,
        Err(message) => {
            eprintln!("error: {message}\nnothing applied");
            return ExitCode::from(1);
        }
    };
    if args.prune {
        eprintln!("error: --prune with a saved plan: the plan already says whether it prunes (it was made with{} --prune)\nnothing applied", if saved.prune { "" } else { "out" });
        return ExitCode::from(1);
    }
    let outcome = crate::analyse(&saved.inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    let (Some(intent), Some(inventory)) = (&outcome.intent, &outcome.inventory) else {
        eprintln!(
            "nothing applied: fix the errors above first (inventory {} of the saved plan)",
            saved.inventory.display()
        );
        return ExitCode::from(1);
    };
    if !args.yes && !std::io::stdin().is_terminal() {
        eprintln!("error: apply asks for confirmation, and standard input is not a terminal\n  = hint: review the saved plan, then run apply with --yes");
        return ExitCode::from(1);
    }
    for device in args.devices {
        if saved.device(device).is_none() {
            eprintln!("error: --device {device}: the saved plan has no device `{device}`\nnothing applied");
            return ExitCode::from(1);
        }
    }
    let devices: Vec<String> = saved
        .devices
        .iter()
        .filter(|d| args.devices.is_empty() || args.devices.contains(&d.device))
        .map(|d| d.device.clone())
        .collect();
    let Ok((targets, options)) = connection(inventory, &devices, &args.ssh) else {
        return ExitCode::from(1);
    };
    let Ok(fetched) = fetch_live(inventory, &devices, args.parallel, &args.ssh) else {
        eprintln!("nothing applied");
        return ExitCode::from(1);
    };
    let session = Session::of(inventory, &args.ssh);
    let planner = Planner {
        intent,
        inventory,
        prune: saved.prune,
        templates: saved.templates.as_deref(),
        answers: &fetched.answers,
        sources: &outcome.sources,
        inventory_dir: &saved.inventory,
        before: &fetched.running,
        allow_management_changes: saved.allow_management_changes,
        session: &session,
    };
    let mut refused: Vec<(String, String)> = Vec::new();
    for device in &devices {
        let plan = saved.device(device).expect("selected from the plan");
        let running = &fetched.running[device];
        let now = crate::saved::config_hash(running);
        let reason = if now != plan.running_config {
            Some(format!(
                "its running config changed since the plan was made ({now} now, {} in the plan)",
                plan.running_config
            ))
        } else {
            match planner.left(device, running) {
                Ok(commands) if commands == plan.commands => None,
                Ok(_) => Some(
                    "the inventory now plans other commands for it than the saved plan holds"
                        .to_string(),
                ),
                Err(reason) => Some(format!(
                    "cannot check the saved plan against the inventory: {reason}"
                )),
            }
        };
        if let Some(reason) = reason {
            refused.push((device.clone(), reason));
        }
    }
    // A pair is one change: a refused member holds back its peer.
    let peers: Vec<(String, String)> = refused
        .iter()
        .filter_map(|(device, _)| {
            let peer = intent
                .devices
                .iter()
                .find(|d| &d.name == device)?
                .mlag
                .as_ref()?
                .peer
                .clone();
            (devices.contains(&peer) && !refused.iter().any(|(d, _)| *d == peer)).then(|| {
                (
                    peer,
                    format!("its vPC peer {device} is refused, and a pair is one change"),
                )
            })
        })
        .collect();
    refused.extend(peers);
    for (device, reason) in &refused {
        eprintln!("error: {device}: {reason}; nothing was sent to it\n  = hint: make a new plan (`liaison plan --live --out FILE`) and review it");
    }
    let changes: Vec<crate::apply::Change> = targets
        .iter()
        .filter(|t| !refused.iter().any(|(d, _)| *d == t.name))
        .filter_map(|target| {
            let plan = saved.device(&target.name)?;
            (!plan.commands.is_empty())
                .then(|| crate::apply::Change::new(target.clone(), plan.commands.clone(), intent))
        })
        .collect();
    for change in &changes {
        println!(
            "{}: {} command(s) from the saved plan",
            change.target.name,
            change.commands.len()
        );
        for command in &change.commands {
            println!("  {}", crate::plan::redact::line(command));
        }
    }
    let expected = |device: &str| saved.device(device).map(|d| d.running_config.clone());
    let code = push_changes(args, &planner, &options, &changes, Some(&expected));
    if refused.is_empty() {
        code
    } else {
        ExitCode::from(1)
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

    fn set(&self, device: &str, stage: &str, done: bool) {
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

    fn finish(&self) {
        for bar in self.bars.values() {
            bar.finish();
        }
    }
}

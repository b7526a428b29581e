//! The command line: parses arguments, runs the pipeline stages, prints
//! results and chooses the exit code. No decisions about networks live here.

use crate::diag::{self, Diagnostics, Sources};
use crate::intent::Intent;
use crate::render::Renderer;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_INVENTORY: &str = "inventories/example";

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "Compile a VM mobility domain into switch configs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the inventory and print every problem (exit 1 on any error).
    Check {
        /// Inventory directory.
        #[arg(default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Budget as if ZONE had N more hosts (repeatable), e.g. `prod=40`.
        #[arg(long = "what-if-hosts", value_name = "ZONE=N", value_parser = parse_what_if)]
        what_if_hosts: Vec<(String, u64)>,
    },
    /// Write one intended config per switch (only when the inventory is clean).
    Build {
        /// Inventory directory.
        #[arg(default_value = DEFAULT_INVENTORY)]
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
        /// Inventory directory.
        #[arg(default_value = DEFAULT_INVENTORY)]
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
        /// The flow: `tcp/PORT`, `udp/PORT` or `icmp`.
        service: String,
        /// Inventory directory.
        #[arg(short, long, default_value = DEFAULT_INVENTORY)]
        inventory: PathBuf,
    },
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
    /// Seconds allowed for connecting and for each answer of a switch.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

impl SshArgs {
    fn overrides(&self) -> crate::remote::SshOverrides {
        crate::remote::SshOverrides {
            username: self.ssh_user.clone(),
            key_file: self.ssh_key.clone(),
            password_env: self.password_env.clone(),
            known_hosts: self.known_hosts.clone(),
            accept_new_host_keys: self.accept_new_host_keys,
            timeout: Some(std::time::Duration::from_secs(self.timeout.max(1))),
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            inventory,
            format,
            what_if_hosts,
        } => {
            let assumptions = crate::budget::Assumptions {
                extra_hosts: what_if_hosts.into_iter().collect(),
                ..Default::default()
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
            ssh,
        } => {
            let output = output.unwrap_or_else(|| inventory.join("running"));
            fetch(&inventory, &output, &devices, parallel, &ssh.overrides())
        }
        Command::Why {
            from,
            to,
            service,
            inventory,
        } => why(
            &inventory,
            &crate::policy::why::Query {
                from: &from,
                to: &to,
                service: &service,
            },
        ),
    }
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
                print!("{}", tcam_summary(intent));
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
                "tcam": outcome.intent.as_ref().map(crate::policy::tcam::per_switch),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    exit_for(&outcome.diagnostics)
}

/// One line per switch with ACLs: its estimated TCAM entries.
fn tcam_summary(intent: &Intent) -> String {
    let per_switch: Vec<_> = crate::policy::tcam::per_switch(intent)
        .into_iter()
        .filter(|(_, t)| t.total() > 0)
        .collect();
    if per_switch.is_empty() {
        return String::new();
    }
    let width = per_switch.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut out =
        String::from("ACL TCAM entries (estimate, object-groups and port ranges expanded):\n");
    for (name, tcam) in per_switch {
        out.push_str(&format!(
            "  {name:width$}  ingress {:>6}  egress {:>6}  total {:>6}\n",
            tcam.ingress,
            tcam.egress,
            tcam.total()
        ));
    }
    out
}

fn exit_for(diagnostics: &Diagnostics) -> ExitCode {
    if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn build(inventory: &Path, output: &Path, templates: Option<&Path>) -> ExitCode {
    let outcome = crate::analyse(inventory);
    print_diagnostics(&outcome.diagnostics, &outcome.sources);
    let Some(intent) = outcome.intent else {
        eprintln!("nothing written: fix the errors above first");
        return ExitCode::from(1);
    };
    match render_and_write(&intent, output, templates) {
        Ok(count) => {
            println!("wrote {count} configs to {}", output.display());
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
    match crate::policy::why::why(inventory_data, intent, query) {
        Ok(verdict) => {
            print!(
                "{}",
                crate::policy::why::render(&verdict, inventory_data, &outcome.sources)
            );
            if verdict.allowed {
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
) -> Result<usize, String> {
    let renderer = Renderer::new(templates)?;
    let files = crate::render_all(&renderer, intent).map_err(|e| e.to_string())?;
    crate::output::write_all(output, &files)?;
    Ok(files.len())
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
    for (name, result) in crate::remote::fetch_all(&targets, &options, parallel) {
        match result {
            Ok(text) => saved.push((format!("{name}.cfg"), text)),
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

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
    let outcome = crate::analyse_with(inventory, assumptions);
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

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

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { inventory, format } => check(&inventory, format),
        Command::Build {
            inventory,
            output,
            templates,
        } => build(&inventory, &output, templates.as_deref()),
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

fn check(inventory: &Path, format: Format) -> ExitCode {
    let outcome = crate::analyse(inventory);
    match format {
        Format::Human => {
            print_diagnostics(&outcome.diagnostics, &outcome.sources);
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

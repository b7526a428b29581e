//! The habits of a tool used every day: shell completions, the manual
//! page, colour on a terminal only, one way to pass INVENTORY (and a hint
//! that works from any directory), `why` with the inventory's service
//! names, greenfield plans of blank switches, `liaison init`, and the
//! example CI workflow.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_liaison"));
    command.args(args).current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("liaison runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The subcommands `liaison --help` lists.
fn subcommands() -> Vec<String> {
    let help = text(&liaison(&["--help"]).stdout);
    let names: Vec<String> = help
        .split("Commands:")
        .nth(1)
        .expect("a Commands: section")
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|n| n != "help")
        .collect();
    for expected in ["check", "build", "plan", "apply", "why", "init", "man"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    names
}

#[test]
fn the_bash_completion_script_names_every_subcommand() {
    let out = liaison(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    let script = text(&out.stdout);
    assert!(script.contains("complete -F"), "{script}");
    for name in subcommands() {
        assert!(
            script.contains(&format!("liaison,{name})")),
            "bash completion lacks {name}"
        );
    }
    for shell in ["zsh", "fish"] {
        let out = liaison(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(text(&out.stdout).contains("greenfield"), "{shell}");
    }
    assert_eq!(liaison(&["completions", "tcsh"]).status.code(), Some(1));
}

#[test]
fn the_man_page_renders_with_a_roff_header_and_every_subcommand() {
    let out = liaison(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(
        page.lines().any(|l| l.starts_with(".TH liaison 1")),
        "{page}"
    );
    assert!(page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"));
    for name in subcommands() {
        assert!(
            page.contains(&format!("liaison\\-{name}(1)")),
            "the man page lacks {name}"
        );
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_never_with_no_color() {
    let escape = "\x1b[";
    // Not a terminal (the tests' pipes): no escape, the bytes of
    // `--color never`.
    let piped = run_in(repo(), &["check", "inventories/conflict"], &[]);
    assert!(!text(&piped.stderr).contains(escape));
    let never = run_in(
        repo(),
        &["check", "inventories/conflict", "--color", "never"],
        &[],
    );
    assert_eq!(piped.stderr, never.stderr);
    let always = run_in(
        repo(),
        &["--color", "always", "check", "inventories/conflict"],
        &[],
    );
    let painted = text(&always.stderr);
    assert!(
        painted.contains(&format!("{escape}31merror[E")),
        "{painted}"
    );
    assert_eq!(always.status.code(), piped.status.code());
    // NO_COLOR wins over auto, and CLICOLOR_FORCE colours a pipe.
    let no_color = run_in(
        repo(),
        &["--color", "auto", "check", "inventories/conflict"],
        &[("NO_COLOR", "1")],
    );
    assert!(!text(&no_color.stderr).contains(escape));
    let forced = run_in(
        repo(),
        &["check", "inventories/conflict"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(text(&forced.stderr).contains(escape));
    // A plan's diff: `+` green, `-` red, only with colour.
    let plan = run_in(
        repo(),
        &["plan", "--color", "always", "--device", "tor1a"],
        &[],
    );
    let painted = text(&plan.stdout);
    assert!(painted.contains(&format!("{escape}32m+")), "{painted}");
    assert!(painted.contains(&format!("{escape}31m-")), "{painted}");
    let plain = run_in(repo(), &["plan", "--device", "tor1a"], &[]);
    assert!(!text(&plain.stdout).contains(escape));
    let why = run_in(
        repo(),
        &["why", "web", "db", "tcp/5432", "--color", "always"],
        &[],
    );
    assert!(text(&why.stdout).contains(&format!("tcp/5432: {escape}1m{escape}31mdenied")));
    let why = run_in(repo(), &["why", "web", "db", "tcp/5432"], &[]);
    assert!(!text(&why.stdout).contains(escape));
    // Machine formats are never painted.
    let json = run_in(
        repo(),
        &["plan", "--color", "always", "--format", "json"],
        &[],
    );
    assert!(!text(&json.stdout).contains(escape));
}

#[test]
fn every_command_takes_inventory_the_same_way_and_the_hint_works_from_anywhere() {
    let elsewhere = tempfile::tempdir().unwrap();
    let example = repo().join("inventories/example");
    let example = example.to_str().unwrap();
    for args in [
        vec!["check"],
        vec!["build"],
        vec!["plan"],
        vec!["why", "web", "db", "tcp/5432"],
    ] {
        let out = run_in(elsewhere.path(), &args, &[]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error[E220]: no INVENTORY given"),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("`liaison {} ", args[0])),
            "{stderr}"
        );
        assert!(stderr.contains("LIAISON_INVENTORY"), "{stderr}");
        assert!(
            stderr.contains(&elsewhere.path().display().to_string()),
            "{stderr}"
        );
        // Nothing was written where the command ran.
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
    // INVENTORY as an argument, in the same place for every command, or
    // from the environment.
    for args in [
        vec!["check", example],
        vec!["why", "app", "db", "tcp/5432", example],
    ] {
        let out = run_in(elsewhere.path(), &args, &[]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = run_in(
        elsewhere.path(),
        &["why", "app", "db", "tcp/5432"],
        &[("LIAISON_INVENTORY", example)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The old `-i` still works, with a warning saying what to write now.
    let out = run_in(
        elsewhere.path(),
        &["why", "app", "db", "tcp/5432", "-i", example],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("`-i INVENTORY` is deprecated"));
    // An explicit path that does not exist is E008, naming it as given.
    let out = run_in(elsewhere.path(), &["check", "nowhere"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E008]"));
}

#[test]
fn why_takes_the_inventorys_service_names_and_protocols_in_any_case() {
    let out = liaison(&["why", "app", "db", "postgres"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("app (10.1.20.128) → db (10.1.30.128) postgres (tcp/5432): allowed"),
        "{stdout}"
    );
    let upper = liaison(&["why", "app", "db", "TCP/5432"]);
    assert_eq!(upper.status.code(), Some(0));
    assert_eq!(
        text(&upper.stdout).replace("TCP/5432", "tcp/5432"),
        text(&liaison(&["why", "app", "db", "tcp/5432"]).stdout)
    );
    // A service of several entries: one answer each; allowed only if all are.
    let dns = text(&liaison(&["why", "web", "internet", "dns"]).stdout);
    assert!(
        dns.contains("dns (udp/53): allowed") && dns.contains("dns (tcp/53): allowed"),
        "{dns}"
    );
    let denied = liaison(&["why", "web", "db", "dns"]);
    assert_eq!(denied.status.code(), Some(2));
    // A range is asked at its first port, and says so.
    let range = text(&liaison(&["why", "web", "app", "app"]).stdout);
    assert!(
        range.contains("app (tcp/8000, the first port of tcp/8000-8099): allowed"),
        "{range}"
    );
    let typo = liaison(&["why", "app", "db", "postgress"]);
    assert_eq!(typo.status.code(), Some(1));
    assert!(text(&typo.stderr).contains("did you mean `postgres`?"));
}

#[test]
fn greenfield_plans_blank_switches_only_by_an_explicit_flag() {
    let (_tmp, inventory) = example_copy();
    let inv = inventory.to_str().unwrap();
    std::fs::create_dir(inventory.join("running")).unwrap();
    for entry in std::fs::read_dir(repo().join("inventories/example/running")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "tor1a.cfg" {
            std::fs::copy(
                &path,
                inventory.join("running").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    // Without the flag: an error whose hint names it.
    let out = liaison(&["plan", inv]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--blank tor1a"),
        "{}",
        text(&out.stderr)
    );
    // With it: the blank switch gets everything, the others their plan.
    let out = liaison(&["plan", inv, "--blank", "tor1a", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tor1a = plan["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device"] == "tor1a")
        .unwrap();
    let commands: Vec<&str> = tor1a["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(tor1a["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("planned as a blank switch"));
    for wanted in [
        "feature vpc",
        "feature lacp",
        "hostname tor1a",
        "vlan 300",
        "spanning-tree mode mst",
    ] {
        assert!(commands.contains(&wanted), "{wanted} in {commands:?}");
    }
    // The example's N9K-C93180YC-FX ports are routed and shut from the
    // factory (the model table): a host port is made Layer 2 and brought up.
    let port = commands
        .iter()
        .position(|c| *c == "interface Ethernet1/1")
        .expect("Ethernet1/1 is configured");
    let body: Vec<&str> = commands[port + 1..]
        .iter()
        .take_while(|c| c.starts_with("  "))
        .copied()
        .collect();
    assert!(
        body.contains(&"  switchport") && body.contains(&"  no shutdown"),
        "{body:?}"
    );
    // A Layer-2-default switch (port_defaults) needs neither.
    replace(
        &inventory,
        "switches.yml",
        "mgmt: 192.0.2.21, pair: tor1b,",
        "mgmt: 192.0.2.21, pair: tor1b, port_defaults: { switchport: true },",
    );
    let out = liaison(&[
        "plan", inv, "--blank", "tor1a", "--device", "tor1a", "--format", "commands",
    ]);
    let commands = text(&out.stdout);
    let body: Vec<&str> = commands
        .split("interface Ethernet1/1\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|c| c.starts_with("  "))
        .collect();
    assert!(
        !body.contains(&"  switchport") && !body.contains(&"  no shutdown"),
        "{body:?}"
    );
    // A whole new fabric: --greenfield, no running directory at all.
    std::fs::remove_dir_all(inventory.join("running")).unwrap();
    let out = liaison(&["plan", inv]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--greenfield"));
    let out = liaison(&["plan", inv, "--greenfield"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Plan: 8 of 8 devices to change"));
    let out = liaison(&["plan", inv, "--blank", "tor9z", "--greenfield"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "--blank and --greenfield exclude each other"
    );
    let out = liaison(&["plan", inv, "--blank", "tor9z"]);
    assert!(text(&out.stderr).contains("unknown switch `tor9z` in --blank"));
}

#[test]
fn init_writes_a_starter_inventory_that_checks_and_builds_and_refuses_a_non_empty_dir() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let dir_text = dir.to_str().unwrap();
    let out = liaison(&["init", dir_text]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let check = liaison(&["check", dir_text]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(
        !text(&check.stderr).contains("warning["),
        "{}",
        text(&check.stderr)
    );
    let configs = build(&dir);
    assert_eq!(configs.len(), 4);
    // What it promises: a pair of each role, a chassis, two zones, a policy.
    let all: String = liaison::init::STARTER.iter().map(|(_, t)| *t).collect();
    assert!(all.contains("role: aggregation") && all.contains("role: tor"));
    assert!(all.contains("chassis:") && all.contains("policy:"));
    assert!(all.contains("- name: prod") && all.contains("- name: dev"));
    assert!(
        all.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            >= 10
    );
    // A second init into the same directory writes nothing.
    let before = std::fs::read(dir.join("policy.yml")).unwrap();
    let again = liaison(&["init", dir_text]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("is not empty"));
    assert_eq!(std::fs::read(dir.join("policy.yml")).unwrap(), before);
}

/// Every `liaison …` command line of a workflow's `run:` scripts.
fn liaison_commands(node: &liaison::yaml::Node, out: &mut Vec<String>) {
    use liaison::yaml::NodeKind;
    match &node.kind {
        NodeKind::Map(entries) => {
            for (key, value) in entries {
                if let (true, NodeKind::Scalar { text, .. }) = (key.text == "run", &value.kind) {
                    out.extend(
                        text.lines()
                            .flat_map(|l| l.split("||"))
                            .map(str::trim)
                            .filter(|l| l.starts_with("liaison "))
                            .map(str::to_string),
                    );
                }
                liaison_commands(value, out);
            }
        }
        NodeKind::Seq(items) => items.iter().for_each(|i| liaison_commands(i, out)),
        _ => {}
    }
}

#[test]
fn the_example_ci_workflow_is_yaml_and_runs_commands_that_exist() {
    let path = repo().join("docs/examples/liaison-plan.yml");
    let workflow = std::fs::read_to_string(&path).unwrap();
    let (root, problems) = liaison::yaml::parse(liaison::diag::FileId(0), &workflow);
    assert!(problems.is_empty(), "{problems:?}");
    let root = root.expect("a document");
    let liaison::yaml::NodeKind::Map(top) = &root.kind else {
        panic!("the workflow is a mapping");
    };
    let keys: Vec<&str> = top.iter().map(|(k, _)| k.text.as_str()).collect();
    for key in ["name", "on", "permissions", "jobs"] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert!(workflow.contains("pull_request:") && workflow.contains("pull-requests: write"));
    let mut commands = Vec::new();
    liaison_commands(&root, &mut commands);
    assert!(
        commands.iter().any(|c| c.starts_with("liaison check ")),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| c.starts_with("liaison plan ") && c.contains("--format markdown")),
        "{commands:?}"
    );
    assert!(workflow.contains("gh pr comment"));
    // Each command and each of its flags exists.
    for command in &commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        let sub = words[1];
        if sub.starts_with('-') {
            continue;
        }
        let help = text(&liaison(&[sub, "--help"]).stdout);
        assert!(help.contains("Usage: liaison"), "`liaison {sub}` exists");
        for flag in words.iter().filter(|w| w.starts_with("--")) {
            assert!(help.contains(flag), "`liaison {sub}` takes {flag}");
        }
    }
}

/// A directory of stand-ins for the commands named, each logging its
/// arguments to LOG and printing `output`.
fn stubs(dir: &Path, commands: &[(&str, &str)]) {
    use std::os::unix::fs::PermissionsExt;
    for (name, script) in commands {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn deps_asks_for_a_current_rust_through_rustup_never_debians_cargo() {
    let tmp = tempfile::tempdir().unwrap();
    // Debian 12's packaged toolchain.
    stubs(
        tmp.path(),
        &[
            ("rustc", "echo 'rustc 1.63.0'"),
            ("cargo", "echo 'cargo 1.65.0'"),
        ],
    );
    let path = format!(
        "{}:{}",
        tmp.path().display(),
        std::env::var("PATH").unwrap()
    );
    let out = Command::new("bash")
        .args(["-c", "source scripts/deps.sh && echo passed"])
        .current_dir(repo())
        .env("PATH", &path)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    let needed = std::fs::read_to_string(repo().join("Cargo.toml"))
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("rust-version = \"")
                .map(|v| v.trim_end_matches('"').to_string())
        })
        .unwrap();
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(!text(&out.stdout).contains("passed"));
    assert!(
        stderr.contains(&format!("needs Rust {needed} or newer")),
        "{stderr}"
    );
    assert!(
        stderr.contains("is 1.63.0") && stderr.contains("rustup"),
        "{stderr}"
    );
    assert!(!stderr.contains("apt-get install cargo"), "{stderr}");
    // The toolchain building this test is new enough.
    let out = Command::new("bash")
        .args(["-c", "source scripts/deps.sh && echo passed"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        text(&out.stdout).contains("passed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_first_command_of_the_readme_installs_liaison_and_needs_no_ssh_server() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    let home = tmp.path().join("cargo-home");
    std::fs::create_dir_all(&bin).unwrap();
    let log = tmp.path().join("log");
    let log_text = log.display();
    // cargo install puts a liaison into $CARGO_HOME/bin, which logs its run.
    stubs(
        &bin,
        &[(
            "cargo",
            &format!(
                "echo \"cargo $*\" >>{log_text}\nmkdir -p \"$CARGO_HOME/bin\"\nprintf '#!/bin/sh\\necho \"liaison $*\" >>{log_text}\\n' >\"$CARGO_HOME/bin/liaison\"\nchmod +x \"$CARGO_HOME/bin/liaison\""
            ),
        )],
    );
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .arg("scripts/run-example.sh")
        .current_dir(repo())
        .env("PATH", &path)
        .env("CARGO_HOME", &home)
        .env_remove("CARGO_INSTALL_ROOT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let ran = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        ran,
        "cargo install --locked --path . --bin liaison\nliaison build inventories/example -o build\n"
    );
    // Not on the PATH here: the script says how to put it there.
    assert!(text(&out.stderr).contains(&format!("export PATH=\"{}/bin:$PATH\"", home.display())));
    // Building needs no SSH server: only the test script installs one.
    for script in ["scripts/run-example.sh", "scripts/deps.sh"] {
        let body = std::fs::read_to_string(repo().join(script)).unwrap();
        assert!(!body.contains("missing+=(openssh"), "{script}");
    }
    let test = std::fs::read_to_string(repo().join("scripts/test.sh")).unwrap();
    assert!(test.contains("missing+=(openssh-server)"));
}

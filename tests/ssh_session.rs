//! The interactive CLI session, end to end through sshd and the simulator,
//! against switches that write banner, prompt and output in pieces with
//! pauses, print slow banners or banners with fake prompts in them, or stay
//! silent until they get a line; and 32 such switches at `--parallel 32`.

mod common;

use common::sshd::Lab;
use common::*;
use liaison::device::{ssh::SshTransport, Auth, ConnectOptions, Target, Transport};
use liaison::platform::nxos::cli::NxosCli;
use std::path::Path;
use std::time::{Duration, Instant};

fn options(lab: &Lab, timeout: Duration) -> ConnectOptions {
    ConnectOptions {
        username: lab.user(),
        auth: Auth::KeyFile(lab.client_key_path()),
        known_hosts: lab.known_hosts_path(),
        accept_new_host_keys: false,
        timeout,
        keepalive: Duration::from_secs(15),
        max_output_bytes: 64 << 20,
    }
}

/// Opens the CLI on `name` and runs three show commands.
fn converse(lab: &Lab, name: &str, timeout: Duration) -> Result<Vec<String>, String> {
    let target = Target::parse(name, &format!("127.0.0.1:{}", lab.port(name))).unwrap();
    let mut transport =
        SshTransport::connect(&target, &options(lab, timeout)).map_err(|e| e.to_string())?;
    let shell = transport.shell().map_err(|e| e.to_string())?;
    let mut cli = NxosCli::open(name, shell).map_err(|e| e.to_string())?;
    ["show hostname", "show version", "show hostname"]
        .iter()
        .map(|command| cli.run(command).map_err(|e| e.to_string()))
        .collect()
}

/// Every answer is the answer to its own command.
fn assert_conversation(result: Result<Vec<String>, String>, name: &str) {
    let outputs = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(outputs[0].trim(), name, "{outputs:?}");
    assert!(
        outputs[1].starts_with("Cisco Nexus Operating System")
            && outputs[1].ends_with(&format!("Device name: {name}")),
        "{outputs:?}"
    );
    assert_eq!(outputs[2].trim(), name, "{outputs:?}");
}

fn one_device(faults: &str) -> Lab {
    let lab = Lab::start(&[("sw1", None)]);
    lab.set_faults("sw1", faults);
    lab
}

#[test]
fn a_slow_banner_is_waited_for() {
    // Four lines, 0.7 s apiece: longer than the pause after which a
    // silent device gets a newline, shorter than the timeout.
    let lab = one_device(
        "banner = line one\\nline two\\nline three\\nline four\nbanner_pause_ms = 700\n",
    );
    assert_conversation(converse(&lab, "sw1", Duration::from_secs(10)), "sw1");
}

#[test]
fn a_fake_prompt_in_the_banner_is_not_the_prompt() {
    // Each banner line is the last thing read for a while: `lab9# ` and
    // `core1>` look like prompts when they arrive.
    let lab = one_device(
        "banner = Authorised access only\\nlab9# \\ncore1>\\n# no entry #\\nsw1# \\nreally the end\n\
         banner_pause_ms = 300\nwrite_pieces = 2\nwrite_pause_ms = 20\n",
    );
    assert_conversation(converse(&lab, "sw1", Duration::from_secs(10)), "sw1");
}

#[test]
fn a_device_silent_after_its_banner_gets_a_newline() {
    let lab = one_device("banner = Welcome\nsilent_until_newline = true\n");
    let started = Instant::now();
    assert_conversation(converse(&lab, "sw1", Duration::from_secs(10)), "sw1");
    // It answered the newline sent after about 2 s of silence.
    assert!(started.elapsed() < Duration::from_secs(9));
}

#[test]
fn a_device_that_never_prompts_times_out_within_the_limit() {
    let lab = one_device("hang = true\n");
    let started = Instant::now();
    let error = converse(&lab, "sw1", Duration::from_secs(3)).unwrap_err();
    assert!(
        error.contains("sw1: timed out waiting for the first prompt"),
        "{error}"
    );
    // Generous: this checks that the limit applies at all, not speed.
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[test]
fn bytes_that_keep_coming_do_not_stretch_the_timeout() {
    // Every output comes in 40 pieces 100 ms apart: `show version` takes
    // 4 s, with bytes arriving all the time.
    let lab = one_device("write_pieces = 40\nwrite_pause_ms = 100\n");
    let started = Instant::now();
    let error = converse(&lab, "sw1", Duration::from_secs(2)).unwrap_err();
    assert!(
        error.contains("sw1: timed out waiting for the prompt after `show version`"),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

/// 32 standalone switches, blank but for their hostname.
fn fleet(lab: &Lab, dir: &Path, names: &[String]) {
    let mut text = format!(
        "fabric:\n  name: lab\n  ssh: {{ username: {}, key_file: {}, known_hosts: {} }}\nswitches:\n",
        lab.user(),
        lab.client_key_path().display(),
        lab.known_hosts_path().display()
    );
    for name in names {
        text.push_str(&format!(
            "  - {{ name: {name}, role: aggregation, mgmt: \"127.0.0.1:{}\" }}\n",
            lab.port(name)
        ));
    }
    std::fs::write(dir.join("inventory.yml"), text).unwrap();
}

#[test]
fn thirty_two_piecewise_devices_at_parallel_32() {
    let names: Vec<String> = (0..32).map(|i| format!("sw{i:02}")).collect();
    let devices: Vec<(&str, Option<&str>)> = names.iter().map(|n| (n.as_str(), None)).collect();
    let lab = Lab::start(&devices);
    for (i, name) in names.iter().enumerate() {
        // Half of them also put a fake prompt in their banner.
        let fake = if i % 2 == 0 { "\\nsw99# " } else { "" };
        lab.set_faults(
            name,
            &format!(
                "banner = Cisco Nexus Operating System (NX-OS) Software{fake}\\nUnauthorised access prohibited\n\
                 banner_pause_ms = 50\nwrite_pieces = 3\nwrite_pause_ms = 20\n"
            ),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    fleet(&lab, dir.path(), &names);
    let inv = dir.path().to_str().unwrap();
    let out = liaison(&["apply", inv, "--yes", "--parallel", "32", "--timeout", "20"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("all 32 devices applied and verified"),
        "{stdout}"
    );
    let out = liaison(&["plan", inv, "--live", "--parallel", "32"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // And the CLI itself, at 32 at once.
    let results = liaison::pool::run_parallel(&names, 32, |name| {
        (name.clone(), converse(&lab, name, Duration::from_secs(20)))
    });
    for (name, result) in results {
        assert_conversation(result, &name);
    }
}

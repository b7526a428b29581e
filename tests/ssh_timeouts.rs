//! A device that accepts the TCP connection but never speaks SSH must not
//! hang liaison: the configured timeout bounds the handshake.

mod common;

use common::*;
use std::net::TcpListener;
use std::time::{Duration, Instant};

#[test]
fn a_silent_device_times_out_within_the_limit() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept and hold the connection without ever answering, until the
    // test is done with it.
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        if let Ok((_stream, _)) = listener.accept() {
            let _ = wait.recv_timeout(Duration::from_secs(20));
        }
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inventory.yml"),
        format!(
            "fabric: {{ name: t, ssh: {{ username: netops, key_file: /nonexistent, known_hosts: {}/kh }} }}\n\
             switches:\n  - {{ name: silent, role: aggregation, mgmt: \"127.0.0.1:{port}\" }}\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let started = Instant::now();
    let out = liaison(&[
        "fetch",
        dir.path().to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
        "--timeout",
        "2",
    ]);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("silent: timed out waiting for the SSH handshake"),
        "{stderr}"
    );
    // Generous bound: this checks that the limit applies at all, not speed.
    assert!(elapsed < Duration::from_secs(7), "took {elapsed:?}");
    done.send(()).unwrap();
    holder.join().unwrap();
}

/// libssh2 ends a blocking read at the next keepalive; a slow switch must
/// still get the whole configured time to answer, not the keepalive interval.
#[test]
fn a_slow_answer_gets_the_whole_timeout_not_the_keepalive_interval() {
    use liaison::device::{ssh::SshTransport, Auth, ConnectOptions, Target, Transport};
    let lab = common::sshd::Lab::start(&[("slow", None)]);
    lab.set_faults("slow", "hang = true\n");
    let options = ConnectOptions {
        username: lab.user(),
        auth: Auth::KeyFile(lab.client_key_path()),
        known_hosts: lab.known_hosts_path(),
        accept_new_host_keys: false,
        timeout: Duration::from_secs(4),
        keepalive: Duration::from_secs(1),
        max_output_bytes: 64 << 20,
    };
    let target = Target::parse("slow", &format!("127.0.0.1:{}", lab.port("slow"))).unwrap();
    let mut transport = SshTransport::connect(&target, &options).unwrap();
    let started = Instant::now();
    let error = transport.exec("show running-config").unwrap_err();
    let waited = started.elapsed();
    assert!(
        error
            .to_string()
            .contains("timed out waiting for the end of the output of `show running-config`"),
        "{error}"
    );
    assert!(
        waited >= Duration::from_millis(3500),
        "gave up after {waited:?}, before the 4 s limit"
    );
    assert!(waited < Duration::from_secs(15), "took {waited:?}");
}

/// An inventory of one switch at 127.0.0.1:`port`, with the given known_hosts.
fn one_switch(dir: &std::path::Path, name: &str, port: u16, ssh: &str) {
    std::fs::write(
        dir.join("inventory.yml"),
        format!(
            "fabric: {{ name: t, ssh: {{ {ssh} }} }}\n\
             switches:\n  - {{ name: {name}, role: aggregation, mgmt: \"127.0.0.1:{port}\" }}\n"
        ),
    )
    .unwrap();
}

/// A server that sends lines without pause and never an SSH version:
/// the handshake is bounded by the timeout as a deadline, not as the gap
/// between bytes.
#[test]
fn a_handshake_that_streams_bytes_ends_at_the_deadline() {
    use std::io::Write;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let streamer = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(20)
                && stream.write_all(b"hello there\r\n").is_ok()
            {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    });
    let dir = tempfile::tempdir().unwrap();
    one_switch(
        dir.path(),
        "chatty",
        port,
        &format!(
            "username: netops, key_file: /nonexistent, known_hosts: {}/kh",
            dir.path().display()
        ),
    );
    let started = Instant::now();
    let out = liaison(&[
        "plan",
        dir.path().to_str().unwrap(),
        "--live",
        "--timeout",
        "3",
    ]);
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("chatty: timed out waiting for the SSH handshake"),
        "{stderr}"
    );
    assert!(
        elapsed < Duration::from_secs(8),
        "took {elapsed:?}: {stderr}"
    );
    drop(out);
    streamer.join().ok();
}

/// `show running-config` that never ends (a line per millisecond):
/// `fetch --timeout 3` stops at the deadline and saves nothing.
#[test]
fn a_device_streaming_its_config_forever_is_cut_off_at_the_deadline() {
    let lab = common::sshd::Lab::start(&[("streamer", None)]);
    lab.set_faults("streamer", "stream_show_run = true\n");
    let dir = tempfile::tempdir().unwrap();
    one_switch(
        dir.path(),
        "streamer",
        lab.port("streamer"),
        &format!(
            "username: {}, key_file: {}, known_hosts: {}",
            lab.user(),
            lab.client_key_path().display(),
            lab.known_hosts_path().display()
        ),
    );
    let out_dir = dir.path().join("out");
    for command in ["fetch", "plan"] {
        let started = Instant::now();
        let mut args = vec![command, dir.path().to_str().unwrap(), "--timeout", "3"];
        if command == "fetch" {
            args.extend(["-o", out_dir.to_str().unwrap()]);
        } else {
            args.push("--live");
        }
        let out = liaison(&args);
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.contains(
                "streamer: timed out waiting for the end of the output of `show running-config`"
            ),
            "{command}: {stderr}"
        );
        assert!(
            elapsed < Duration::from_secs(10),
            "{command} took {elapsed:?}"
        );
    }
    assert!(!out_dir.join("streamer.cfg").exists());
}

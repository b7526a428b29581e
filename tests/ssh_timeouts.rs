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

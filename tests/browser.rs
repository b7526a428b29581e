//! The documentation site in a real browser: headless Chromium (Debian's
//! `chromium`, which scripts/test.sh installs when missing) renders the
//! example's index.html from `file://`, with no network. The screenshot
//! must not be blank and must show the stylesheet (the navigation bar's
//! colour) and the topology diagram (a zone's colour); the page must log
//! nothing on the console (errors of scripts included: the site has none).
//!
//! `LIAISON_CHROMIUM=/path/to/chromium` names the browser; else
//! `chromium` on the PATH. Without one the test fails, never skips.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("LIAISON_CHROMIUM") {
        return PathBuf::from(path);
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromium"))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "headless Chromium is needed for this test and was not found{}: \
             install it (`apt-get install -y chromium`; scripts/test.sh does) \
             or set LIAISON_CHROMIUM to its path",
            if std::env::var_os("CI").is_some() {
                " in CI"
            } else {
                ""
            }
        )
    })
}

/// Runs headless Chromium on `url` with `args`, in a new empty profile,
/// with no network service it would reach out to; returns its stdout and
/// stderr. Fails the test after two minutes.
fn run_chromium(url: &str, args: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let out = read(Box::new(stdout));
    let err = read(Box::new(stderr));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let (out, err) = (out.join().unwrap(), err.join().unwrap());
            assert!(status.success(), "chromium failed ({status}):\n{err}");
            return (out, err);
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The console messages Chromium logged (`--enable-logging=stderr`):
/// `console.*` calls and uncaught errors both show as `CONSOLE` lines.
fn console_messages(url: &str) -> (String, Vec<String>) {
    let (dom, log) = run_chromium(
        url,
        &[
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            "--dump-dom".into(),
        ],
    );
    let messages = log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    (dom, messages)
}

fn site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let inventory = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/example");
    let result = Command::new(env!("CARGO_BIN_EXE_liaison"))
        .arg("docs")
        .arg(&inventory)
        .arg("-o")
        .arg(&site)
        .arg("--running")
        .arg(inventory.join("running"))
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    site
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Pixels of an RGB(A) screenshot, as (r, g, b).
fn pixels(png_file: &Path) -> (u32, u32, Vec<(u8, u8, u8)>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).expect("a screenshot was written"),
    ));
    let mut reader = decoder.read_info().expect("the screenshot is a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected screenshot colour type {other:?}"),
    };
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let data = &buffer[..info.buffer_size()];
    let pixels = data
        .chunks_exact(channels)
        .map(|p| (p[0], p[1], p[2]))
        .collect();
    (info.width, info.height, pixels)
}

fn near(a: (u8, u8, u8), b: (u8, u8, u8)) -> bool {
    a.0.abs_diff(b.0) <= 3 && a.1.abs_diff(b.1) <= 3 && a.2.abs_diff(b.2) <= 3
}

#[test]
fn the_index_renders_in_headless_chromium_not_blank_and_without_console_errors() {
    let dir = tempfile::tempdir().unwrap();
    let site = site(dir.path());
    let index = site.join("index.html");
    let screenshot = dir.path().join("index.png");
    run_chromium(
        &url(&index),
        &[
            format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,1600".into(),
            "--hide-scrollbars".into(),
        ],
    );
    let (width, height, pixels) = pixels(&screenshot);
    assert_eq!((width, height), (1280, 1600));
    let white = pixels
        .iter()
        .filter(|p| p.0 > 250 && p.1 > 250 && p.2 > 250)
        .count();
    let inked = pixels.len() - white;
    assert!(
        inked * 20 > pixels.len(),
        "the page is nearly blank: {inked} of {} pixels not white",
        pixels.len()
    );
    let colours: std::collections::BTreeSet<(u8, u8, u8)> = pixels.iter().copied().collect();
    assert!(colours.len() > 50, "only {} colours", colours.len());
    // The navigation bar (style.css: #243b53): the stylesheet was loaded.
    let nav = pixels
        .iter()
        .filter(|p| near(**p, (0x24, 0x3b, 0x53)))
        .count();
    assert!(
        nav > 1280 * 20,
        "no navigation bar: the stylesheet did not apply"
    );
    // The first zone's colour (#f4a582) fills the prod chassis boxes of
    // the topology diagram near the top of the page.
    let zone = pixels
        .iter()
        .filter(|p| near(**p, (0xf4, 0xa5, 0x82)))
        .count();
    assert!(
        zone > 2000,
        "the topology diagram is not drawn ({zone} zone pixels)"
    );

    let (dom, messages) = console_messages(&url(&index));
    assert!(messages.is_empty(), "the page logged: {messages:#?}");
    assert!(dom.contains("<h1>Fabric dc1</h1>"), "the page did not load");
    assert!(dom.contains("<svg"), "no inline diagram");
}

#[test]
fn the_console_check_sees_a_script_error() {
    // The control for the test above: a page that logs and throws is seen.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('boom'); notDefined();</script></body></html>",
    )
    .unwrap();
    let (_, messages) = console_messages(&url(&page));
    assert!(
        messages.iter().any(|m| m.contains("boom")),
        "console.error not seen: {messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Uncaught ReferenceError")),
        "the uncaught error not seen: {messages:?}"
    );
}

//! A lab of simulated NX-OS switches behind a real OpenSSH `sshd` on
//! 127.0.0.1 (never any other address), for end-to-end SSH tests.
//! `Lab::start_eos` and `Lab::start_mixed` run `liaison-eos-sim` for
//! the devices that are EOS switches (a `Match LocalPort` block per sshd
//! with its own ForceCommand); NX-OS stays the default.
//!
//! `Lab::start` generates an ed25519 host key and client key, writes an
//! `authorized_keys`, a known_hosts with the host key for every
//! `[127.0.0.1]:PORT`, a `ports` map and an `sshd_config` whose
//! ForceCommand is `liaison-nxos-sim --state DIR`, then runs
//! `sshd -D -e -f CONFIG` with one ListenAddress per device on free ports
//! and waits until every port accepts TCP. Dropping the lab kills sshd.
//!
//! Authentication is by key for the user running the tests, or, with
//! `Lab::start_with_password`, by password for the lab's own system user
//! `liaison-lab` (sshd checks passwords against the system's accounts
//! only): as root, the lab creates that user (shell /bin/sh, no home) when
//! missing, gives it a random password for as long as a password lab runs,
//! and locks the password again when the last one stops. Test processes
//! running at once on one machine take turns: a process holds an exclusive
//! flock on /tmp/liaison-lab-password.lock while any of its password labs
//! runs. sshd listens on
//! 127.0.0.1 only and lets in nobody else.
//!
//! There is no skipping: when sshd is missing or cannot start, the test
//! fails and says how to fix it (`apt-get install -y openssh-server`;
//! scripts/test.sh does that itself).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

pub struct Lab {
    dir: tempfile::TempDir,
    ports: BTreeMap<String, u16>,
    /// One sshd per [`PORTS_PER_SSHD`] devices.
    sshd: Vec<Child>,
    /// Present when the lab logs in `liaison-lab` by password.
    password_user: Option<PasswordUser>,
    /// The devices the EOS simulator answers for.
    eos: Vec<String>,
}

/// Which simulator answers on a device's port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Nxos,
    Eos,
}

/// The system user of password labs.
pub const PASSWORD_USER: &str = "liaison-lab";

/// What an SSH session printed and how it ended.
#[derive(Debug)]
pub struct Session {
    /// Standard output with `\r\n` turned into `\n`.
    pub output: String,
    pub stderr: String,
    /// The exit status of ssh (the remote command's, or 255 when the
    /// connection failed or was dropped); None if killed after the timeout.
    pub status: Option<i32>,
}

/// Fails the test, showing what ssh printed, unless the session ended
/// with status 0.
pub fn ok(session: &Session) {
    assert_eq!(
        session.status,
        Some(0),
        "ssh failed:\n{}\nstderr: {}",
        session.output,
        session.stderr
    );
}

impl Lab {
    /// Starts one sshd serving `devices` (name, initial running config;
    /// None starts the device empty but for its hostname).
    pub fn start(devices: &[(&str, Option<&str>)]) -> Lab {
        Lab::start_as(devices, None, "", &[])
    }

    /// Like [`Lab::start`], every device a simulated Arista EOS switch.
    pub fn start_eos(devices: &[(&str, Option<&str>)]) -> Lab {
        let eos: Vec<&str> = devices.iter().map(|(name, _)| *name).collect();
        Lab::start_as(devices, None, "", &eos)
    }

    /// A lab of both platforms, each device naming its own.
    pub fn start_mixed(devices: &[(&str, Option<&str>, Platform)]) -> Lab {
        let plain: Vec<(&str, Option<&str>)> = devices
            .iter()
            .map(|(name, config, _)| (*name, *config))
            .collect();
        let eos: Vec<&str> = devices
            .iter()
            .filter(|(_, _, platform)| *platform == Platform::Eos)
            .map(|(name, _, _)| *name)
            .collect();
        Lab::start_as(&plain, None, "", &eos)
    }

    /// Like [`Lab::start`], with `extra` lines in every sshd_config (e.g.
    /// `ClientAliveInterval 1`).
    pub fn start_with_sshd_config(devices: &[(&str, Option<&str>)], extra: &str) -> Lab {
        Lab::start_as(devices, None, extra, &[])
    }

    /// Like [`Lab::start`], but sshd takes only passwords, and only for
    /// [`PASSWORD_USER`], whose password is [`Lab::password`]. Needs root.
    pub fn start_with_password(devices: &[(&str, Option<&str>)]) -> Lab {
        Lab::start_as(devices, Some(PasswordUser::acquire()), "", &[])
    }

    fn start_as(
        devices: &[(&str, Option<&str>)],
        password_user: Option<PasswordUser>,
        extra: &str,
        eos: &[&str],
    ) -> Lab {
        assert!(
            Path::new(SSHD).exists(),
            "\n\n{SSHD} is missing: the SSH tests need OpenSSH's server.\n\
             Install it with `apt-get install -y openssh-server openssh-client` \
             (scripts/test.sh does this when run as root).\n"
        );
        let mut last_error = String::new();
        // Free ports are found by binding port 0 and letting go, so another
        // process can take one before sshd binds it: try again then.
        for _ in 0..3 {
            match Lab::try_start(devices, password_user.as_ref(), extra, eos) {
                Ok(mut lab) => {
                    lab.password_user = password_user;
                    return lab;
                }
                Err(error) => last_error = error,
            }
        }
        panic!("\n\nsshd did not start on 127.0.0.1:\n{last_error}\n");
    }

    /// A started lab; the caller hands it `password_user` to keep.
    fn try_start(
        devices: &[(&str, Option<&str>)],
        password_user: Option<&PasswordUser>,
        extra: &str,
        eos: &[&str],
    ) -> Result<Lab, String> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("liaison-lab");
        let dir = match password_user {
            // The lab user must reach it: /tmp, whatever TMPDIR says.
            Some(_) => builder.tempdir_in("/tmp"),
            None => builder.tempdir(),
        }
        .map_err(|e| format!("temp dir: {e}"))?;
        let root = dir.path();
        let state = root.join("state");
        std::fs::create_dir(&state).map_err(|e| e.to_string())?;
        keygen(&root.join("host_ed25519"))?;
        keygen(&root.join("client_ed25519"))?;
        let client_pub = read(&root.join("client_ed25519.pub"))?;
        write(&root.join("authorized_keys"), &client_pub)?;

        let mut ports = BTreeMap::new();
        // Hold every probe socket until all ports are chosen: a port let
        // go at once may be handed out again for the next device.
        let mut probes = Vec::new();
        for (name, config) in devices {
            let (port, probe) = free_port()?;
            probes.push(probe);
            ports.insert(name.to_string(), port);
            if let Some(text) = config {
                write(&state.join(format!("{name}.cfg")), text)?;
            }
        }
        drop(probes);
        let map: String = ports.iter().map(|(n, p)| format!("{p} {n}\n")).collect();
        write(&state.join("ports"), &map)?;
        let host_pub = read(&root.join("host_ed25519.pub"))?;
        let host_key: Vec<&str> = host_pub.split_whitespace().take(2).collect();
        let known: String = ports
            .values()
            .map(|p| format!("[127.0.0.1]:{p} {}\n", host_key.join(" ")))
            .collect();
        write(&root.join("known_hosts"), &known)?;

        if let Some(user) = password_user {
            // The simulator runs as that user: it must reach and write the
            // state directory.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o711))
                .map_err(|e| e.to_string())?;
            for entry in std::fs::read_dir(&state)
                .map_err(|e| e.to_string())?
                .flatten()
            {
                std::os::unix::fs::chown(entry.path(), Some(user.uid), None)
                    .map_err(|e| e.to_string())?;
            }
            std::os::unix::fs::chown(&state, Some(user.uid), None).map_err(|e| e.to_string())?;
        }
        let authentication = if password_user.is_some() {
            format!(
                "PubkeyAuthentication no\n\
                 PasswordAuthentication yes\n\
                 PermitEmptyPasswords no\n\
                 AllowUsers {PASSWORD_USER}\n"
            )
        } else {
            "PubkeyAuthentication yes\nPasswordAuthentication no\n".to_string()
        };

        // The build directory may be closed to other users (a checkout
        // under a private directory): the lab user runs its own copies.
        let simulator = |built: &str, file: &str| -> Result<PathBuf, String> {
            let built = PathBuf::from(built);
            if password_user.is_none() {
                return Ok(built);
            }
            let copy = root.join(file);
            std::fs::copy(&built, &copy).map_err(|e| format!("copy {}: {e}", built.display()))?;
            Ok(copy)
        };
        let sim = simulator(env!("CARGO_BIN_EXE_liaison-nxos-sim"), "liaison-nxos-sim")?;
        let sim = sim.display();
        let eos_sim = if eos.is_empty() {
            None
        } else {
            Some(simulator(
                env!("CARGO_BIN_EXE_liaison-eos-sim"),
                "liaison-eos-sim",
            )?)
        };
        let common = format!(
            "HostKey {root}/host_ed25519\n\
             AuthorizedKeysFile {root}/authorized_keys\n\
             ForceCommand {sim} --state {state}\n\
             {authentication}\
             KbdInteractiveAuthentication no\n\
             UsePAM no\n\
             StrictModes no\n\
             PermitRootLogin prohibit-password\n\
             PermitTTY yes\n\
             PrintMotd no\n\
             PrintLastLog no\n\
             Banner none\n\
             AllowTcpForwarding no\n\
             AllowAgentForwarding no\n\
             X11Forwarding no\n\
             MaxStartups 64\n\
             LogLevel VERBOSE\n\
             SetEnv SHLVL=1\n\
             {extra}",
            root = root.display(),
            state = state.display(),
        );
        // sshd runs ForceCommand through the user's login shell; bash
        // sources ~/.bashrc when started by sshd unless SHLVL says it is
        // nested, and a heavy .bashrc (pyenv init …) would slow every
        // channel and could print into the simulator's output.
        privsep_dir();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(root.join("sshd.log"))
            .map_err(|e| e.to_string())?;
        let all_ports: Vec<u16> = ports.values().copied().collect();
        let mut sshd: Vec<Child> = Vec::new();
        let stop = |sshd: &mut Vec<Child>| {
            for child in sshd.iter_mut() {
                let _ = child.kill();
                let _ = child.wait();
            }
        };
        for (i, group) in all_ports.chunks(PORTS_PER_SSHD).enumerate() {
            let mut config: String = group
                .iter()
                .map(|p| format!("ListenAddress 127.0.0.1:{p}\n"))
                .collect();
            config.push_str(&format!("PidFile {}/sshd.{i}.pid\n", root.display()));
            config.push_str(&common);
            // EOS devices: their own ForceCommand. Match blocks go last.
            let eos_ports: Vec<String> = ports
                .iter()
                .filter(|(name, port)| eos.contains(&name.as_str()) && group.contains(port))
                .map(|(_, port)| port.to_string())
                .collect();
            if let Some(eos_sim) = &eos_sim {
                if !config.ends_with('\n') {
                    config.push('\n');
                }
                // One block per port: LocalPort takes a single port.
                for port in &eos_ports {
                    config.push_str(&format!(
                        "Match LocalPort {port}\n    ForceCommand {} --state {}\n",
                        eos_sim.display(),
                        state.display()
                    ));
                }
            }
            let config_path = root.join(format!("sshd_config.{i}"));
            write(&config_path, &config)?;
            let child = Command::new(SSHD)
                .arg("-D")
                .arg("-e")
                .arg("-f")
                .arg(&config_path)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log.try_clone().map_err(|e| e.to_string())?)
                .spawn()
                .map_err(|e| format!("cannot run {SSHD}: {e}"));
            match child {
                Ok(child) => sshd.push(child),
                Err(e) => {
                    stop(&mut sshd);
                    return Err(e);
                }
            }
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        for (i, port) in all_ports.iter().enumerate() {
            while TcpStream::connect(("127.0.0.1", *port)).is_err() {
                let exited = sshd[i / PORTS_PER_SSHD].try_wait().ok().flatten();
                if exited.is_some() || Instant::now() > deadline {
                    stop(&mut sshd);
                    return Err(format!(
                        "port {port} never accepted a connection ({}).\nsshd_config:\n{}\nsshd log:\n{}",
                        exited.map_or("timeout".to_string(), |s| s.to_string()),
                        std::fs::read_to_string(root.join(format!("sshd_config.{}", i / PORTS_PER_SSHD)))
                            .unwrap_or_default(),
                        std::fs::read_to_string(root.join("sshd.log")).unwrap_or_default()
                    ));
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            // The port answers, but it may be another lab's sshd that took
            // it between our probe letting go and our sshd binding (sshd
            // goes on with the ports it could bind): only our sshd's own
            // word counts, else start again on other ports.
            let listening = format!("Server listening on 127.0.0.1 port {port}.");
            let taken = format!("Bind to port {port} on 127.0.0.1 failed");
            loop {
                let log = std::fs::read_to_string(root.join("sshd.log")).unwrap_or_default();
                if log.contains(&taken) || Instant::now() > deadline {
                    stop(&mut sshd);
                    return Err(format!(
                        "port {port} is not our sshd's:
{log}"
                    ));
                }
                if log.contains(&listening) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Ok(Lab {
            dir,
            ports,
            sshd,
            password_user: None,
            eos: eos.iter().map(|e| e.to_string()).collect(),
        })
    }

    /// The password of [`PASSWORD_USER`] while this lab runs.
    pub fn password(&self) -> &str {
        &self
            .password_user
            .as_ref()
            .expect("a lab started with a password")
            .password
    }

    pub fn port(&self, name: &str) -> u16 {
        self.ports[name]
    }

    /// Points the inventory in `dir` at this lab: each `(switch, mgmt)`
    /// is reached on its 127.0.0.1 port while its pair keepalive keeps the
    /// switch's own management address (as in the shipped snapshots), and
    /// `fabric.yml`'s credentials become the lab's user, key and
    /// known_hosts.
    pub fn point_inventory(&self, dir: &Path, switches: &[(&str, &str)]) {
        let path = dir.join("switches.yml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (name, ip) in switches {
            text = text.replace(
                &format!("mgmt: {ip}"),
                &format!("mgmt: \"127.0.0.1:{}\", keepalive: {ip}", self.port(name)),
            );
        }
        std::fs::write(path, text).unwrap();
        super::replace(
            dir,
            "fabric.yml",
            "    username: netops\n    key_file: ~/.ssh/id_ed25519\n    known_hosts: ~/.ssh/known_hosts\n",
            &format!(
                "    username: {}\n    key_file: {}\n    known_hosts: {}\n",
                self.user(),
                self.client_key_path().display(),
                self.known_hosts_path().display()
            ),
        );
    }

    pub fn known_hosts_path(&self) -> PathBuf {
        self.dir.path().join("known_hosts")
    }

    pub fn client_key_path(&self) -> PathBuf {
        self.dir.path().join("client_ed25519")
    }

    pub fn state_dir(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// The login user: whoever runs the tests (sshd accepts the lab's
    /// client key for that user only).
    pub fn user(&self) -> String {
        let out = Command::new("id").arg("-un").output().expect("id runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// sshd's log so far, for failure messages.
    pub fn sshd_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// Writes the device's factory file: the hardware's port defaults
    /// (`switchport = true` for Layer 2 ports by default; see the
    /// simulator's usage). Before the device's first session.
    pub fn set_factory(&self, name: &str, text: &str) {
        std::fs::write(self.state_dir().join(format!("{name}.factory")), text).unwrap();
    }

    /// Sets the device's clock `seconds` ahead of real time (the EOS
    /// simulator's `NAME.clock`), so a commit timer runs out at once.
    pub fn set_clock_offset(&self, name: &str, seconds: i64) {
        std::fs::write(
            self.state_dir().join(format!("{name}.clock")),
            format!("offset_seconds = {seconds}\n"),
        )
        .unwrap();
    }

    /// When each session of `device` was in configuration mode, from the
    /// simulator's record (`NAME.modes`): (entered, left) in microseconds.
    pub fn config_windows(&self, device: &str) -> Vec<(u128, u128)> {
        let mut open: std::collections::BTreeMap<String, u128> = Default::default();
        let mut windows = Vec::new();
        for (what, at, pid) in self.record(device, "modes") {
            match what.as_str() {
                "enter" => {
                    open.insert(pid, at);
                }
                "leave" => windows.push((open.remove(&pid).expect("entered before"), at)),
                _ => panic!("bad line in {device}.modes: {what} {at} {pid}"),
            }
        }
        assert!(
            open.is_empty(),
            "{device}: a session never left config mode"
        );
        windows
    }

    /// `WHAT MICROSECONDS PID` lines of one of the simulator's records of
    /// `device` (`modes`, `shells`; docs/simulator.md), as (what,
    /// microseconds, pid).
    pub fn record(&self, device: &str, kind: &str) -> Vec<(String, u128, String)> {
        std::fs::read_to_string(self.state_dir().join(format!("{device}.{kind}")))
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let words: Vec<&str> = line.split_whitespace().collect();
                let [what, at, pid] = words[..] else {
                    panic!("bad line in {device}.{kind}: {line}")
                };
                (what.to_string(), at.parse().unwrap(), pid.to_string())
            })
            .collect()
    }

    /// How many times a client logged in to `device` (sshd's `Connection
    /// from` lines for its port).
    pub fn logins(&self, device: &str) -> usize {
        let on = format!(" on 127.0.0.1 port {} ", self.port(device));
        self.sshd_log()
            .lines()
            .filter(|l| l.contains("Connection from ") && l.contains(&on))
            .count()
    }

    /// Writes the device's fault file (see docs/simulator.md).
    pub fn set_faults(&self, name: &str, text: &str) {
        std::fs::write(self.state_dir().join(format!("{name}.faults")), text).unwrap();
    }

    /// The device's state file: its running config as show-run text.
    pub fn running_config(&self, name: &str) -> String {
        std::fs::read_to_string(self.state_dir().join(format!("{name}.cfg")))
            .unwrap_or_else(|e| panic!("no state for {name}: {e}"))
    }

    /// An `ssh` client command for the device, host key checked against
    /// the lab's known_hosts, batch mode (no prompt can hang a test).
    pub fn ssh(&self, name: &str) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.arg("-F")
            .arg("/dev/null")
            .arg("-p")
            .arg(self.port(name).to_string())
            .arg("-i")
            .arg(self.client_key_path())
            .arg("-l")
            .arg(self.user())
            .args(["-o", "IdentitiesOnly=yes"])
            .arg("-o")
            .arg(format!(
                "UserKnownHostsFile={}",
                self.known_hosts_path().display()
            ))
            .args(["-o", "GlobalKnownHostsFile=/dev/null"])
            .args(["-o", "StrictHostKeyChecking=yes"])
            .args(["-o", "BatchMode=yes"])
            .args(["-o", "ConnectTimeout=10"])
            .args(["-o", "LogLevel=ERROR"]);
        cmd
    }

    /// Runs one exec command (`ssh HOST 'show running-config'`).
    pub fn exec(&self, name: &str, command: &str) -> Session {
        let mut cmd = self.ssh(name);
        cmd.arg("127.0.0.1").arg(command);
        run(cmd, None, Duration::from_secs(20), Prompt::Nxos)
    }

    /// An interactive session with a pty (`ssh -tt`): waits for the first
    /// prompt, as a driver does, then types `script`.
    pub fn shell(&self, name: &str, script: &str) -> Session {
        self.shell_with_timeout(name, script, Duration::from_secs(20))
    }

    pub fn shell_with_timeout(&self, name: &str, script: &str, timeout: Duration) -> Session {
        let mut cmd = self.ssh(name);
        cmd.arg("-tt").arg("127.0.0.1");
        let prompt = if self.eos.iter().any(|e| e == name) {
            Prompt::Eos
        } else {
            Prompt::Nxos
        };
        run(cmd, Some(script), timeout, prompt)
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for sshd in &mut self.sshd {
            let _ = sshd.kill();
            let _ = sshd.wait();
        }
    }
}

/// sshd listens on at most 16 sockets (its MAX_LISTEN_SOCKS).
const PORTS_PER_SSHD: usize = 16;

/// [`PASSWORD_USER`] with a random password, shared by the password labs
/// of one test process; the password is locked when the last one drops.
pub struct PasswordUser {
    uid: u32,
    password: String,
}

/// How many password labs of this process run, the password they share,
/// and the cross-process lock held while any of them runs.
static PASSWORD_LABS: Mutex<(usize, String, Option<std::fs::File>)> =
    Mutex::new((0, String::new(), None));

/// Several test processes (other worktrees, other test binaries) may run
/// password labs on one machine at once; they share one system user, so
/// each process holds this exclusive flock while any of its password labs
/// runs, and the others wait for it before setting the password.
const PASSWORD_LOCK: &str = "/tmp/liaison-lab-password.lock";

/// Blocks until this process holds the exclusive lock on [`PASSWORD_LOCK`].
fn lock_password_user() -> std::fs::File {
    use std::os::unix::io::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PASSWORD_LOCK)
        .unwrap_or_else(|e| panic!("cannot open {PASSWORD_LOCK}: {e}"));
    loop {
        // SAFETY: flock on a descriptor this function owns.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return file;
        }
        let error = std::io::Error::last_os_error();
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::Interrupted,
            "flock {PASSWORD_LOCK}: {error}"
        );
    }
}

impl PasswordUser {
    fn acquire() -> PasswordUser {
        let mut labs = PASSWORD_LABS.lock().unwrap_or_else(|e| e.into_inner());
        let uid = match id(&["-u", PASSWORD_USER]) {
            Some(uid) => uid,
            None => {
                assert_eq!(
                    id(&["-u"]),
                    Some(0),
                    "\n\nThe password tests need root: they create the system user \
                     `{PASSWORD_USER}` (or: useradd --system --no-create-home \
                     --home-dir /nonexistent --shell /bin/sh {PASSWORD_USER}) and give \
                     it a random password while they run. scripts/test.sh runs as root in CI.\n"
                );
                let out = Command::new("/usr/sbin/useradd")
                    .args(["--system", "--no-create-home", "--home-dir", "/nonexistent"])
                    .args(["--shell", "/bin/sh", PASSWORD_USER])
                    .output()
                    .expect("useradd runs (apt-get install -y passwd)");
                assert!(
                    out.status.success() || id(&["-u", PASSWORD_USER]).is_some(),
                    "useradd {PASSWORD_USER} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                id(&["-u", PASSWORD_USER]).expect("the lab user exists now")
            }
        };
        if labs.0 == 0 {
            labs.2 = Some(lock_password_user());
            labs.1 = random_password();
            set_password(&format!("{PASSWORD_USER}:{}\n", labs.1), &[]);
        }
        labs.0 += 1;
        PasswordUser {
            uid,
            password: labs.1.clone(),
        }
    }
}

impl Drop for PasswordUser {
    fn drop(&mut self) {
        let mut labs = PASSWORD_LABS.lock().unwrap_or_else(|e| e.into_inner());
        labs.0 -= 1;
        if labs.0 == 0 {
            // `*` matches no password: nobody logs in with one any more.
            set_password(&format!("{PASSWORD_USER}:*\n"), &["-e"]);
            // Closing the file releases the flock for the next process.
            labs.2 = None;
        }
    }
}

/// `chpasswd` with `line` (`user:password`) on its standard input, so the
/// password is in no process's arguments.
fn set_password(line: &str, args: &[&str]) {
    let mut child = Command::new("/usr/sbin/chpasswd")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chpasswd runs (apt-get install -y passwd)");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(line.as_bytes())
        .expect("chpasswd reads its input");
    let out = child.wait_with_output().expect("chpasswd ends");
    assert!(
        out.status.success(),
        "chpasswd failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn random_password() -> String {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("/dev/urandom");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("Lab-{hex}")
}

/// `id ARGS` as a number, None when it fails (no such user).
fn id(args: &[&str]) -> Option<u32> {
    let out = Command::new("id").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Runs ssh; with a script, waits for a prompt (`# `) before typing it.
/// Kills ssh after `timeout`.
fn run(mut cmd: Command, script: Option<&str>, timeout: Duration, prompt: Prompt) -> Session {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ssh client runs (apt-get install -y openssh-client)");
    let output = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let output = Arc::clone(&output);
        let mut stdout = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                output.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let errors = {
        let mut stderr = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        })
    };
    let deadline = Instant::now() + timeout;
    let mut stdin = child.stdin.take();
    if let Some(script) = script {
        while !prompt.seen(&String::from_utf8_lossy(&output.lock().unwrap()))
            && Instant::now() < deadline
            && child.try_wait().ok().flatten().is_none()
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        if let Some(input) = stdin.as_mut() {
            let _ = input.write_all(script.as_bytes());
            let _ = input.flush();
        }
    }
    // Keep stdin open while a script runs: closing it would end the
    // session before the switch has answered.
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for ssh") {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    let _ = reader.join();
    let stderr = errors.join().unwrap_or_default();
    let output = String::from_utf8_lossy(&output.lock().unwrap()).replace("\r\n", "\n");
    Session {
        output,
        stderr,
        status,
    }
}

/// How a script runner knows the first prompt has come.
#[derive(Clone, Copy)]
enum Prompt {
    /// NX-OS: `NAME# `.
    Nxos,
    /// EOS: `NAME#` or `NAME>`, nothing after it.
    Eos,
}

impl Prompt {
    fn seen(self, output: &str) -> bool {
        match self {
            Prompt::Nxos => output.contains("# "),
            Prompt::Eos => output.ends_with('#') || output.ends_with('>'),
        }
    }
}

fn keygen(path: &Path) -> Result<(), String> {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "liaison-lab", "-f"])
        .arg(path)
        .output()
        .map_err(|e| format!("ssh-keygen (apt-get install -y openssh-client): {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ssh-keygen failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A free port, and the socket holding it until dropped.
fn free_port() -> Result<(u16, TcpListener), String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    Ok((port, listener))
}

/// sshd running as root wants its privilege separation directory.
fn privsep_dir() {
    let dir = Path::new("/run/sshd");
    if !dir.exists() {
        let _ = std::fs::create_dir_all(dir);
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

//! SSH transport on `ssh2` (libssh2): connect, check the host key against
//! known_hosts before anything else, authenticate, all before one deadline
//! (`--timeout` from the first TCP packet), and bound every command by a
//! deadline of its own: a device that keeps sending bytes is cut off at
//! the deadline just like a silent one.
//!
//! Never call `flush()` on an `ssh2::Channel`: it is not the `Write` flush
//! it looks like but `libssh2_channel_flush_ex`, which DISCARDS the bytes
//! libssh2 has already received for the channel and not yet handed out. A
//! flush after typing a command threw away a banner or prompt that had
//! arrived in the meantime, and the session then waited for it until the
//! timeout: the more concurrent sessions, the likelier that window. A
//! blocking `write_all` has sent everything when it returns.

use super::{Auth, ConnectOptions, DeviceError, Shell, Target, Transport};
use base64::Engine as _;
use ssh2::{CheckResult, HashType, HostKeyType, KnownHostFileKind, Session};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

pub struct SshTransport {
    device: String,
    session: Session,
    timeout: Duration,
    max_output_bytes: u64,
    /// Shared with the connection's shells, which outlive a borrow of it
    /// (a shell readied ahead of its device's turn waits beside it).
    keepalive: std::sync::Arc<Keepalive>,
}

/// When the connection last sent a keepalive. libssh2's own interval
/// check does not hold: this libssh2 (libssh2-sys 0.3.4) compares its
/// clock in microseconds with the interval in seconds, so
/// `keepalive_send` sends one at every call.
struct Keepalive {
    every: Duration,
    last: std::sync::Mutex<Instant>,
}

impl Keepalive {
    /// Sends a keepalive if `every` has passed since the last one; an
    /// error shows at the next command.
    fn send_if_due(&self, session: &Session) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() >= self.every {
            let _ = session.keepalive_send();
            *last = Instant::now();
        }
    }
}

/// The most of a command's standard error kept for its error message.
const MAX_STDERR: usize = 4096;

/// How often a waiting read wakes up to check its deadline.
const POLL: Duration = Duration::from_millis(50);

/// A libssh2 timeout in milliseconds (0 would mean none: at least 1).
fn millis(duration: Duration) -> u32 {
    duration.as_millis().clamp(1, u128::from(u32::MAX)) as u32
}

/// Bounds the next blocking libssh2 call by `deadline`.
fn set_deadline(session: &Session, deadline: Instant) {
    session.set_timeout(millis(deadline.saturating_duration_since(Instant::now())));
}

impl SshTransport {
    pub fn connect(target: &Target, options: &ConnectOptions) -> Result<Self, DeviceError> {
        let device = target.name.clone();
        let connect_error = |reason: String| DeviceError::Connect {
            device: device.clone(),
            reason,
        };
        let addresses: Vec<_> = (target.host.as_str(), target.port)
            .to_socket_addrs()
            .map_err(|e| connect_error(format!("cannot resolve {}: {e}", target.host)))?
            .collect();
        let deadline = Instant::now() + options.timeout;
        let mut last = String::from("no address");
        let mut stream = None;
        for address in addresses {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(DeviceError::Timeout {
                    device: device.clone(),
                    waiting_for: format!("a TCP connection to {address}"),
                });
            }
            match TcpStream::connect_timeout(&address, left) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) if e.kind() == ErrorKind::TimedOut => {
                    return Err(DeviceError::Timeout {
                        device: device.clone(),
                        waiting_for: format!("a TCP connection to {address}"),
                    })
                }
                Err(e) => last = format!("{address}: {e}"),
            }
        }
        let stream = stream.ok_or_else(|| connect_error(last))?;
        let _ = stream.set_nodelay(true);
        let mut session = Session::new().map_err(|e| connect_error(e.to_string()))?;
        // libssh2 bounds each blocking call from its start: give every
        // call only what is left before the deadline.
        set_deadline(&session, deadline);
        session.set_tcp_stream(stream);
        session.handshake().map_err(|e| {
            if is_timeout(&e) || Instant::now() >= deadline {
                DeviceError::Timeout {
                    device: device.clone(),
                    waiting_for: "the SSH handshake".to_string(),
                }
            } else {
                connect_error(format!("SSH handshake failed: {}", e.message()))
            }
        })?;
        check_host_key(&session, target, options)?;
        set_deadline(&session, deadline);
        authenticate(&session, &device, options).map_err(|e| {
            if Instant::now() >= deadline {
                DeviceError::Timeout {
                    device: device.clone(),
                    waiting_for: "authentication".to_string(),
                }
            } else {
                e
            }
        })?;
        session.set_timeout(millis(options.timeout));
        session.set_keepalive(
            true,
            options.keepalive.as_secs().clamp(1, u64::from(u32::MAX)) as u32,
        );
        Ok(SshTransport {
            device,
            session,
            timeout: options.timeout,
            max_output_bytes: options.max_output_bytes,
            keepalive: std::sync::Arc::new(Keepalive {
                every: options.keepalive,
                last: std::sync::Mutex::new(Instant::now()),
            }),
        })
    }

    fn channel_error(&self, during: &str, e: ssh2::Error) -> DeviceError {
        if is_timeout(&e) {
            DeviceError::Timeout {
                device: self.device.clone(),
                waiting_for: during.to_string(),
            }
        } else {
            DeviceError::Closed {
                device: self.device.clone(),
                during: format!("{during} ({})", e.message()),
            }
        }
    }
}

fn is_timeout(e: &ssh2::Error) -> bool {
    // LIBSSH2_ERROR_TIMEOUT
    matches!(e.code(), ssh2::ErrorCode::Session(-9))
}

fn fingerprint(session: &Session) -> String {
    session
        .host_key_hash(HashType::Sha256)
        .map(|hash| {
            format!(
                "SHA256:{}",
                base64::engine::general_purpose::STANDARD_NO_PAD.encode(hash)
            )
        })
        .unwrap_or_else(|| "an unknown key".to_string())
}

fn key_type_name(kind: HostKeyType) -> Option<&'static str> {
    Some(match kind {
        HostKeyType::Rsa => "ssh-rsa",
        HostKeyType::Dss => "ssh-dss",
        HostKeyType::Ecdsa256 => "ecdsa-sha2-nistp256",
        HostKeyType::Ecdsa384 => "ecdsa-sha2-nistp384",
        HostKeyType::Ecdsa521 => "ecdsa-sha2-nistp521",
        HostKeyType::Ed25519 => "ssh-ed25519",
        HostKeyType::Unknown => return None,
    })
}

/// Host keys are always checked. An unknown host is refused unless the
/// operator explicitly accepts new keys; a changed key is always refused.
fn check_host_key(
    session: &Session,
    target: &Target,
    options: &ConnectOptions,
) -> Result<(), DeviceError> {
    let device = target.name.clone();
    let known_hosts = options.known_hosts.display().to_string();
    let (key, kind) = session.host_key().ok_or_else(|| DeviceError::Connect {
        device: device.clone(),
        reason: "the server sent no host key".to_string(),
    })?;
    let mut table = session.known_hosts().map_err(|e| DeviceError::Other {
        device: device.clone(),
        reason: e.message().to_string(),
    })?;
    if options.known_hosts.exists() {
        table
            .read_file(&options.known_hosts, KnownHostFileKind::OpenSSH)
            .map_err(|e| DeviceError::Other {
                device: device.clone(),
                reason: format!("cannot read {known_hosts}: {}", e.message()),
            })?;
    }
    let host = target.known_hosts_name();
    match table.check_port(&target.host, target.port, key) {
        CheckResult::Match => Ok(()),
        CheckResult::Mismatch => Err(DeviceError::HostKeyMismatch {
            device,
            host,
            fingerprint: fingerprint(session),
            known_hosts,
        }),
        CheckResult::NotFound if options.accept_new_host_keys => {
            let name = key_type_name(kind).ok_or_else(|| DeviceError::Other {
                device: device.clone(),
                reason: "the host key type is not supported".to_string(),
            })?;
            // Append one line rather than rewriting the file: libssh2 would
            // drop entries it does not understand.
            let line = format!(
                "{host} {name} {}\n",
                base64::engine::general_purpose::STANDARD.encode(key)
            );
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&options.known_hosts)
                .and_then(|mut f| f.write_all(line.as_bytes()))
                .map_err(|e| DeviceError::Other {
                    device: device.clone(),
                    reason: format!("cannot add the host key to {known_hosts}: {e}"),
                })
        }
        CheckResult::NotFound => Err(DeviceError::HostKeyUnknown {
            device,
            host,
            fingerprint: fingerprint(session),
            known_hosts,
        }),
        CheckResult::Failure => Err(DeviceError::Other {
            device,
            reason: format!("cannot check the host key against {known_hosts}"),
        }),
    }
}

fn authenticate(
    session: &Session,
    device: &str,
    options: &ConnectOptions,
) -> Result<(), DeviceError> {
    let user = options.username.as_str();
    let result = match &options.auth {
        Auth::KeyFile(path) => {
            if !path.exists() {
                return Err(DeviceError::Auth {
                    device: device.to_string(),
                    username: user.to_string(),
                    reason: format!("key file {} does not exist", path.display()),
                });
            }
            session.userauth_pubkey_file(user, None, path, None)
        }
        Auth::Password(secret) => session.userauth_password(user, secret.expose()),
        Auth::Agent => session.userauth_agent(user),
    };
    match result {
        Ok(()) if session.authenticated() => Ok(()),
        Ok(()) => Err(DeviceError::Auth {
            device: device.to_string(),
            username: user.to_string(),
            reason: "the server did not accept the credentials".to_string(),
        }),
        Err(e) => Err(DeviceError::Auth {
            device: device.to_string(),
            username: user.to_string(),
            // libssh2's message names the method, never the secret.
            reason: e.message().to_string(),
        }),
    }
}

impl Transport for SshTransport {
    fn keep_alive(&mut self) {
        self.keepalive.send_if_due(&self.session);
    }

    fn exec(&mut self, command: &str) -> Result<String, DeviceError> {
        let during = format!("`{command}`");
        let deadline = Instant::now() + self.timeout;
        set_deadline(&self.session, deadline);
        let mut channel = self
            .session
            .channel_session()
            .map_err(|e| self.channel_error(&during, e))?;
        channel
            .exec(command)
            .map_err(|e| self.channel_error(&during, e))?;
        let mut bytes = Vec::new();
        let mut errors = Vec::new();
        let mut buffer = [0u8; 16384];
        loop {
            // libssh2 gives up a blocking read at the next keepalive time
            // even when the session timeout is longer: keep reading,
            // sending keepalives, until the real deadline, and check it
            // after every read, so a stream without end ends there too.
            self.session.set_timeout(millis(
                deadline.saturating_duration_since(Instant::now()).min(POLL),
            ));
            match channel.read(&mut buffer) {
                Ok(0) if channel.eof() => break,
                // Standard output has ended, but libssh2 reports the end of
                // the channel only once its standard error is read too.
                Ok(0) => match channel.stderr().read(&mut buffer) {
                    Ok(n) => errors.extend_from_slice(
                        &buffer[..n.min(MAX_STDERR - errors.len().min(MAX_STDERR))],
                    ),
                    Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {}
                    Err(_) => {
                        return Err(DeviceError::Closed {
                            device: self.device.clone(),
                            during: during.clone(),
                        })
                    }
                },
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                    self.keepalive.send_if_due(&self.session);
                }
                Err(_) => {
                    return Err(DeviceError::Closed {
                        device: self.device.clone(),
                        during: during.clone(),
                    })
                }
            }
            if bytes.len() as u64 > self.max_output_bytes {
                return Err(DeviceError::TooLarge {
                    device: self.device.clone(),
                    command: command.to_string(),
                    limit: self.max_output_bytes,
                });
            }
            if Instant::now() >= deadline {
                return Err(DeviceError::Timeout {
                    device: self.device.clone(),
                    waiting_for: format!("the end of the output of {during}"),
                });
            }
        }
        let output = String::from_utf8_lossy(&bytes).into_owned();
        set_deadline(&self.session, deadline);
        let _ = channel.wait_close();
        self.session.set_timeout(millis(self.timeout));
        match channel.exit_status() {
            Ok(0) | Err(_) => Ok(output),
            Ok(status) => Err(DeviceError::Rejected {
                device: self.device.clone(),
                command: command.to_string(),
                message: format!(
                    "it ended with exit status {status}{}",
                    match String::from_utf8_lossy(&errors).lines().next() {
                        Some(line) => format!(": {}", line.trim()),
                        None => String::new(),
                    }
                ),
            }),
        }
    }

    fn shell(&mut self) -> Result<Box<dyn Shell>, DeviceError> {
        let during = "opening a shell";
        let mut channel = self
            .session
            .channel_session()
            .map_err(|e| self.channel_error(during, e))?;
        channel
            .request_pty("vt100", None, Some((511, 24, 0, 0)))
            .map_err(|e| self.channel_error(during, e))?;
        channel.shell().map_err(|e| self.channel_error(during, e))?;
        Ok(Box::new(SshShell {
            device: self.device.clone(),
            session: self.session.clone(),
            keepalive: self.keepalive.clone(),
            channel,
            timeout: self.timeout,
        }))
    }
}

/// A shell on a connection: a handle on its session (libssh2's session is
/// shared between its channels), so a shell need not borrow the
/// connection it was opened on.
struct SshShell {
    device: String,
    session: Session,
    keepalive: std::sync::Arc<Keepalive>,
    channel: ssh2::Channel,
    timeout: Duration,
}

impl Shell for SshShell {
    fn send(&mut self, text: &str) -> Result<(), DeviceError> {
        set_deadline(&self.session, Instant::now() + self.timeout);
        // No flush: see the module comment.
        let sent = self.channel.write_all(text.as_bytes());
        self.session.set_timeout(millis(self.timeout));
        sent.map_err(|e| match e.kind() {
            ErrorKind::TimedOut => DeviceError::Timeout {
                device: self.device.clone(),
                waiting_for: "the switch to take input".to_string(),
            },
            _ => DeviceError::Closed {
                device: self.device.clone(),
                during: "sending a command".to_string(),
            },
        })
    }

    fn receive(&mut self, until: Instant, during: &str) -> Result<Vec<u8>, DeviceError> {
        let mut buffer = [0u8; 8192];
        let result = loop {
            // Short waits let the loop see `until` and send keepalives.
            let left = until.saturating_duration_since(Instant::now());
            self.session.set_timeout(millis(left.min(POLL)));
            match self.channel.read(&mut buffer) {
                Ok(0) if self.channel.eof() => {
                    break Err(DeviceError::Closed {
                        device: self.device.clone(),
                        during: during.to_string(),
                    })
                }
                Ok(0) => {}
                Ok(n) => break Ok(buffer[..n].to_vec()),
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                    self.keepalive.send_if_due(&self.session);
                }
                Err(_) => {
                    break Err(DeviceError::Closed {
                        device: self.device.clone(),
                        during: during.to_string(),
                    })
                }
            }
            if Instant::now() >= until {
                break Ok(Vec::new());
            }
        };
        self.session.set_timeout(millis(self.timeout));
        result
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn closed(&self) -> bool {
        self.channel.eof()
    }
}

//! SSH transport on `ssh2` (libssh2): connect with a timeout, check the
//! host key against known_hosts before anything else, authenticate, and
//! keep every read and write under the session timeout.

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
}

/// How often a waiting read wakes up to check its deadline.
const POLL: Duration = Duration::from_millis(50);

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
        let mut last = String::from("no address");
        let mut stream = None;
        for address in addresses {
            match TcpStream::connect_timeout(&address, options.timeout) {
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
        session.set_timeout(options.timeout.as_millis().min(u128::from(u32::MAX)) as u32);
        session.set_tcp_stream(stream);
        session.handshake().map_err(|e| {
            if is_timeout(&e) {
                DeviceError::Timeout {
                    device: device.clone(),
                    waiting_for: "the SSH handshake".to_string(),
                }
            } else {
                connect_error(format!("SSH handshake failed: {}", e.message()))
            }
        })?;
        check_host_key(&session, target, options)?;
        authenticate(&session, &device, options)?;
        session.set_keepalive(
            true,
            options.keepalive.as_secs().clamp(1, u64::from(u32::MAX)) as u32,
        );
        Ok(SshTransport {
            device,
            session,
            timeout: options.timeout,
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
    fn exec(&mut self, command: &str) -> Result<String, DeviceError> {
        let during = format!("`{command}`");
        let mut channel = self
            .session
            .channel_session()
            .map_err(|e| self.channel_error(&during, e))?;
        channel
            .exec(command)
            .map_err(|e| self.channel_error(&during, e))?;
        // libssh2 gives up a blocking read at the next keepalive time
        // even when the session timeout is longer: keep reading, sending
        // keepalives, until the real deadline.
        let deadline = Instant::now() + self.timeout;
        let mut bytes = Vec::new();
        let mut buffer = [0u8; 16384];
        loop {
            match channel.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => bytes.extend_from_slice(&buffer[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                    if Instant::now() >= deadline {
                        return Err(DeviceError::Timeout {
                            device: self.device.clone(),
                            waiting_for: format!("the output of {during}"),
                        });
                    }
                    let _ = self.session.keepalive_send();
                }
                Err(_) => {
                    return Err(DeviceError::Closed {
                        device: self.device.clone(),
                        during: during.clone(),
                    })
                }
            }
        }
        let output = String::from_utf8_lossy(&bytes).into_owned();
        let _ = channel.wait_close();
        Ok(output)
    }

    fn shell(&mut self) -> Result<Box<dyn Shell + '_>, DeviceError> {
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
            session: &self.session,
            channel,
            timeout: self.timeout,
        }))
    }
}

struct SshShell<'s> {
    device: String,
    session: &'s Session,
    channel: ssh2::Channel,
    timeout: Duration,
}

impl Shell for SshShell<'_> {
    fn send(&mut self, text: &str) -> Result<(), DeviceError> {
        self.channel
            .write_all(text.as_bytes())
            .and_then(|()| self.channel.flush())
            .map_err(|e| match e.kind() {
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

    fn read_until(
        &mut self,
        done: &dyn Fn(&str) -> bool,
        waiting_for: &str,
    ) -> Result<String, DeviceError> {
        let deadline = Instant::now() + self.timeout;
        let mut bytes = Vec::new();
        let mut buffer = [0u8; 8192];
        // Short session timeouts let the loop check the overall deadline.
        self.session.set_timeout(POLL.as_millis() as u32);
        let result = loop {
            match self.channel.read(&mut buffer) {
                Ok(0) if self.channel.eof() => {
                    break Err(DeviceError::Closed {
                        device: self.device.clone(),
                        during: waiting_for.to_string(),
                    })
                }
                Ok(n) => {
                    bytes.extend_from_slice(&buffer[..n]);
                    if done(&String::from_utf8_lossy(&bytes)) {
                        break Ok(String::from_utf8_lossy(&bytes).into_owned());
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                    let _ = self.session.keepalive_send();
                }
                Err(_) => {
                    break Err(DeviceError::Closed {
                        device: self.device.clone(),
                        during: waiting_for.to_string(),
                    })
                }
            }
            if Instant::now() >= deadline {
                break Err(DeviceError::Timeout {
                    device: self.device.clone(),
                    waiting_for: waiting_for.to_string(),
                });
            }
        };
        self.session
            .set_timeout(self.timeout.as_millis().min(u128::from(u32::MAX)) as u32);
        result
    }
}

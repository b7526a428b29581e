//! Reading typed lines. On a terminal (a pty from sshd, or a person
//! running the simulator by hand) the kernel's echo and line editing are
//! turned off and done here, as a switch does, so the echo of a line
//! appears after the prompt even when the client types ahead. From a pipe
//! the line is echoed once read, so transcripts look the same.

use std::io::{self, Read, Write};

/// Whether standard input has something to read within `ms`
/// milliseconds (it has at its end too). Only what reached the
/// descriptor counts, not what an earlier read buffered: a client typing
/// ahead of the prompt is not one the `exec_timeout_ms` fault is for.
pub fn input_within(ms: u64) -> bool {
    let mut fd = libc::pollfd {
        fd: 0,
        events: libc::POLLIN,
        revents: 0,
    };
    let timeout = i32::try_from(ms).unwrap_or(i32::MAX);
    // SAFETY: one pollfd on the stack, valid for the call.
    unsafe { libc::poll(&mut fd, 1, timeout) != 0 }
}

pub struct Input {
    /// The terminal settings to restore, when standard input is one.
    saved: Option<libc::termios>,
    /// A `\r` ended the last line; a `\n` right after it is the same end.
    after_cr: bool,
}

impl Input {
    pub fn new() -> Input {
        let saved = raw_mode();
        Input {
            saved,
            after_cr: false,
        }
    }

    /// The next line, echoed to `out`; None at end of input.
    pub fn read_line<W: Write>(&mut self, out: &mut W) -> io::Result<Option<String>> {
        let tty = self.saved.is_some();
        let mut line: Vec<u8> = Vec::new();
        let mut escape = 0u8;
        let stdin = io::stdin();
        let mut stdin = stdin.lock();
        let mut byte = [0u8; 1];
        loop {
            if stdin.read(&mut byte)? == 0 {
                if line.is_empty() {
                    return Ok(None);
                }
                break;
            }
            let b = byte[0];
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            // Skip terminal escape sequences (arrow keys): ESC [ ... final.
            if escape > 0 {
                escape = if escape == 1 && b == b'[' {
                    2
                } else if (0x40..=0x7e).contains(&b) {
                    0
                } else {
                    escape
                };
                continue;
            }
            match b {
                b'\n' if after_cr => continue,
                b'\n' => break,
                b'\r' => {
                    self.after_cr = true;
                    break;
                }
                0x1b => escape = 1,
                0x7f | 0x08 => {
                    if line.pop().is_some() && tty {
                        out.write_all(b"\x08 \x08")?;
                    }
                }
                0x03 => {
                    // Ctrl-C abandons the line.
                    if tty {
                        out.write_all(b"^C")?;
                    }
                    line.clear();
                    break;
                }
                0x04 if line.is_empty() => return Ok(None),
                0x15 => {
                    if tty {
                        for _ in 0..line.len() {
                            out.write_all(b"\x08 \x08")?;
                        }
                    }
                    line.clear();
                }
                b if b < 0x20 => {}
                b => {
                    line.push(b);
                    if tty {
                        out.write_all(&[b])?;
                    }
                }
            }
            if tty {
                out.flush()?;
            }
        }
        let text = String::from_utf8_lossy(&line).into_owned();
        if !tty {
            out.write_all(text.as_bytes())?;
        }
        out.write_all(b"\n")?;
        Ok(Some(text))
    }
}

impl Input {
    pub fn is_tty(&self) -> bool {
        self.saved.is_some()
    }

    /// One key; None at end of input.
    fn read_key(&mut self) -> io::Result<Option<u8>> {
        let mut byte = [0u8; 1];
        loop {
            if io::stdin().lock().read(&mut byte)? == 0 {
                return Ok(None);
            }
            let after_cr = std::mem::replace(&mut self.after_cr, byte[0] == b'\r');
            if !(after_cr && byte[0] == b'\n') {
                return Ok(Some(byte[0]));
            }
        }
    }

    /// Writes a command's output `length` lines at a time with the NX-OS
    /// `--More--` prompt in between: space shows the next page, Enter one
    /// more line, q (or Ctrl-C) drops the rest. 0 writes it all.
    pub fn page<W: Write>(&mut self, out: &mut W, text: &[u8], length: usize) -> io::Result<()> {
        if length == 0 {
            return out.write_all(text);
        }
        let page = length.saturating_sub(1).max(1);
        let mut budget = page;
        for line in text.split_inclusive(|b| *b == b'\n') {
            if budget == 0 {
                out.write_all(MORE)?;
                out.flush()?;
                let key = self.read_key()?;
                out.write_all(b"\r")?;
                out.write_all(&vec![b' '; MORE.len()])?;
                out.write_all(b"\r")?;
                budget = match key {
                    None | Some(b'q' | b'Q' | 0x03) => return Ok(()),
                    Some(b'\r' | b'\n') => 1,
                    Some(_) => page,
                };
            }
            out.write_all(line)?;
            budget -= 1;
        }
        Ok(())
    }
}

const MORE: &[u8] = b" --More-- ";

/// The terminal's height, when the client told it (ssh sends its window
/// size with the pty request).
pub fn rows() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills a winsize struct owned by this function.
    unsafe {
        let mut size: libc::winsize = std::mem::zeroed();
        (libc::ioctl(0, libc::TIOCGWINSZ, &mut size) == 0 && size.ws_row > 0)
            .then_some(usize::from(size.ws_row))
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            // SAFETY: restores settings read from the same descriptor.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, saved);
            }
        }
    }
}

/// Turns off echo, line editing and signal keys on standard input when
/// it is a terminal; returns the settings to restore.
fn raw_mode() -> Option<libc::termios> {
    // SAFETY: plain termios calls on descriptor 0 with a zeroed struct
    // that tcgetattr fills in.
    unsafe {
        if libc::isatty(0) != 1 {
            return None;
        }
        let mut saved: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut saved) != 0 {
            return None;
        }
        let mut raw = saved;
        raw.c_lflag &= !(libc::ECHO | libc::ICANON | libc::ISIG | libc::IEXTEN);
        raw.c_cc[libc::VMIN] = 1;
        raw.c_cc[libc::VTIME] = 0;
        if libc::tcsetattr(0, libc::TCSANOW, &raw) != 0 {
            return None;
        }
        Some(saved)
    }
}

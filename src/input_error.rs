//! One error shape for "cannot read or parse this input" and the other
//! command-line errors that are not inventory diagnostics: what, where
//! (a file, and its line when known), the line quoted, and how to fix it.
//! It prints as the diagnostics do (`error[CODE]: …`, `  --> file:line`,
//! `  = hint: …`).

use std::path::Path;

#[derive(Clone, Debug)]
pub struct InputError {
    /// A stable code for the problems that have one (docs/diagnostics.md).
    code: Option<&'static str>,
    message: String,
    /// The file (or directory) the problem is in.
    path: Option<String>,
    /// The line of `path` that shows the problem (1-based; u32 keeps the
    /// error as small as before it knew lines, clippy's large-error bound).
    line: Option<u32>,
    /// That line's text, quoted under the message with its number.
    quote: Option<String>,
    hint: Option<String>,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            code: None,
            message: message.into(),
            path: None,
            line: None,
            quote: None,
            hint: None,
        }
    }

    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    /// Quotes the line of [`InputError::at_line`], whose text is `text`.
    pub fn quote(mut self, text: impl Into<String>) -> Self {
        self.quote = Some(text.into());
        self
    }

    /// The problem is in `path` as a whole.
    pub fn at(mut self, path: &Path) -> Self {
        self.path = Some(path.display().to_string());
        self
    }

    /// The problem is on line `line` of `path`.
    pub fn at_line(mut self, path: &Path, line: usize) -> Self {
        self.path = Some(path.display().to_string());
        self.line = u32::try_from(line).ok();
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code {
            Some(code) => writeln!(f, "error[{code}]: {}", self.message)?,
            None => writeln!(f, "error: {}", self.message)?,
        }
        match (&self.path, self.line) {
            (Some(path), Some(line)) => writeln!(f, "  --> {path}:{line}")?,
            (Some(path), None) => writeln!(f, "  --> {path}")?,
            (None, _) => {}
        }
        if let (Some(line), Some(text)) = (self.line, &self.quote) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |\n{number} | {text}\n{pad} |")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_what_where_the_quoted_line_and_the_hint() {
        let error = InputError::new("cannot parse the running config: bad indent")
            .code("E141")
            .at_line(Path::new("running/sw1.cfg"), 12)
            .quote("   vlan 10")
            .hint("save the config as NX-OS prints it");
        assert_eq!(
            error.to_string(),
            "error[E141]: cannot parse the running config: bad indent\n  --> running/sw1.cfg:12\n   |\n12 |    vlan 10\n   |\n  = hint: save the config as NX-OS prints it\n"
        );
        assert_eq!(
            InputError::new("no such directory")
                .at(Path::new("running"))
                .to_string(),
            "error: no such directory\n  --> running\n"
        );
        assert_eq!(InputError::new("bare").to_string(), "error: bare\n");
    }
}

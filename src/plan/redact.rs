//! Secrets out of what humans and CI logs see: password hashes, SNMP and
//! TACACS+ keys, communities. Plans in text, Markdown and JSON show
//! `<redacted>` in their place; only `--format commands`, which is meant to
//! be typed into the device, prints them.

use std::borrow::Cow;

pub const REDACTED: &str = "<redacted>";

/// Words after which NX-OS writes a secret (possibly after an encryption
/// type such as `5` or `7`, or an algorithm such as `md5`).
const SECRET_AFTER: &[&str] = &[
    "password",
    "secret",
    "key",
    "key-string",
    "authentication-key",
    "community",
    "auth",
    "priv",
    "passphrase",
];

/// Keywords that follow a secret keyword without being a secret: they
/// name a setting, not a value (`no password strength-check`, `key chain
/// NAME`, `ssh key rsa 2048`, `feature password encryption aes`; seen in the
/// public NX-OS configs of tests/fixtures/nxos and the NX-OS security
/// configuration guide). The line is then kept as it is from there on.
fn is_setting(word: &str) -> bool {
    matches!(
        word,
        "strength-check"
            | "secure-mode"
            | "encryption"
            | "chain"
            | "config-key"
            | "generate"
            | "rsa"
            | "dsa"
            | "ecdsa"
            | "prompt"
    )
}

/// Tokens that sit between the keyword and the secret (`sha512`: EOS's
/// `username admin secret sha512 $6$…`, as the public EOS configs of
/// tests/fixtures/eos print it).
fn is_qualifier(word: &str) -> bool {
    matches!(
        word,
        "0" | "3"
            | "5"
            | "6"
            | "7"
            | "8"
            | "9"
            | "md5"
            | "sha"
            | "sha-256"
            | "sha256"
            | "sha512"
            | "aes-128"
            | "des"
    )
}

/// `line` with every secret value replaced by [`REDACTED`]; spacing and a
/// leading diff marker are kept. Descriptions and names are free text,
/// never secrets.
pub fn line(line: &str) -> Cow<'_, str> {
    let words: Vec<(usize, &str)> = words(line).collect();
    let command = line.trim_start_matches(['+', '-', ' ']);
    if command.starts_with("description ")
        || command.starts_with("name ")
        || !words.iter().any(|(_, w)| SECRET_AFTER.contains(w))
    {
        return Cow::Borrowed(line);
    }
    let mut secrets = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if SECRET_AFTER.contains(&words[i].1) {
            let mut j = i + 1;
            while j < words.len() && is_qualifier(words[j].1) {
                j += 1;
            }
            // `auth md5 KEY priv KEY`: each key after its own keyword.
            if j < words.len() && !SECRET_AFTER.contains(&words[j].1) && !is_setting(words[j].1) {
                secrets.push(words[j]);
            }
            i = j;
        }
        i += 1;
    }
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (start, word) in secrets {
        out.push_str(&line[at..start]);
        out.push_str(REDACTED);
        at = start + word.len();
    }
    out.push_str(&line[at..]);
    Cow::Owned(out)
}

/// The words of `line` and where each starts.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    line.split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, w)| !w.is_empty())
}

/// [`line()`] for each line of a multi-line text (a unified diff), keeping
/// each line's diff marker.
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.lines().any(|l| matches!(line(l), Cow::Owned(_))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for l in text.lines() {
        out.push_str(&line(l));
        out.push('\n');
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_and_the_rest_kept() {
        assert_eq!(
            line("username admin password 5 $5$LHMPLE$Kq3k1Y7b  role network-admin"),
            "username admin password 5 <redacted>  role network-admin"
        );
        assert_eq!(
            line("snmp-server user admin network-admin auth md5 0x6a1f priv 0x6a1f localizedkey"),
            "snmp-server user admin network-admin auth md5 <redacted> priv <redacted> localizedkey"
        );
        assert_eq!(
            line("+username admin privilege 15 role network-admin secret sha512 $6$Dzu11L7y"),
            "+username admin privilege 15 role network-admin secret sha512 <redacted>"
        );
        assert_eq!(
            line("snmp-server community s3cr3t group network-operator"),
            "snmp-server community <redacted> group network-operator"
        );
        assert_eq!(
            line("tacacs-server host 10.0.0.1 key 7 \"fewhg\""),
            "tacacs-server host 10.0.0.1 key 7 <redacted>"
        );
        assert_eq!(
            line("-    authentication md5 key-string Sup3r"),
            "-    authentication md5 key-string <redacted>"
        );
        assert_eq!(
            line("+  description key accounts"),
            "+  description key accounts"
        );
        assert_eq!(line("interface Ethernet1/1"), "interface Ethernet1/1");
    }

    #[test]
    fn keywords_after_a_secret_keyword_are_not_secrets() {
        for kept in [
            "no password strength-check",
            "-no password strength-check",
            "password secure-mode",
            "key chain hsrp-keys",
            "ssh key rsa 2048",
            "feature password encryption aes",
            "key config-key ascii",
        ] {
            assert_eq!(line(kept), kept);
        }
        // The values on the same kind of lines still go.
        assert_eq!(
            line("+username admin password 5 $5$abc role network-admin"),
            "+username admin password 5 <redacted> role network-admin"
        );
    }

    #[test]
    fn a_diff_keeps_its_markers() {
        let diff =
            "--- a\n+++ b\n-username a password 5 $5$x\n+username a password 5 $5$y\n same\n";
        assert_eq!(
            text(diff),
            "--- a\n+++ b\n-username a password 5 <redacted>\n+username a password 5 <redacted>\n same\n"
        );
    }
}

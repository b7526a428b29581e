//! ACL entries as a platform prints them, read back into one spelling:
//! port names as numbers (`eq www` → `eq 80`, by the platform's table of
//! names, [`PortNames`]) and `host A` as `A/32`, so that an entry liaison
//! typed with numbers compares equal to the switch's respelling of it.

/// The port names a platform prints for TCP and UDP, with their numbers.
pub struct PortNames {
    pub tcp: &'static [(&'static str, u16)],
    pub udp: &'static [(&'static str, u16)],
}

impl PortNames {
    fn number_of(&self, protocol: &str, name: &str) -> Option<u16> {
        let table = match protocol {
            "tcp" => self.tcp,
            "udp" => self.udp,
            _ => return None,
        };
        table.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }
}

/// An ACL entry (`10 permit udp any eq domain 10.0.0.0/24`) with port
/// names as numbers and `host A` as `A/32`; None when nothing changes.
/// `eq` may list several ports (EOS: `eq ssh telnet www`): the words
/// after the first that are port names or numbers are ports too.
pub fn canonical_entry(text: &str, names: &PortNames) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let action = words.iter().position(|w| matches!(*w, "permit" | "deny"))?;
    let protocol = words.get(action + 1).copied().unwrap_or("");
    let is_port = |word: &str| {
        names.number_of(protocol, word).is_some()
            || (!word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
    };
    // Written as it is read, in one buffer: every entry of every ACL of a
    // big config passes here, and most are returned unchanged.
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if i > 0 {
            out.push(' ');
        }
        let ports_after = match word {
            "eq" if i > action => 1 + words.iter().skip(i + 2).take_while(|w| is_port(w)).count(),
            "neq" | "lt" | "gt" => 1,
            "range" => 2,
            _ => 0,
        };
        if word == "host" && i > action {
            if let Some(address) = words.get(i + 1) {
                out.push_str(address);
                out.push_str("/32");
                changed = true;
                i += 2;
                continue;
            }
        }
        out.push_str(word);
        for port in words.iter().skip(i + 1).take(ports_after) {
            out.push(' ');
            match names.number_of(protocol, port) {
                Some(number) => {
                    out.push_str(&number.to_string());
                    changed = true;
                }
                None => out.push_str(port),
            }
        }
        i += 1 + ports_after;
    }
    changed.then_some(out)
}

/// Each entry of ACL section `acl` in the one spelling
/// ([`canonical_entry`]).
pub fn canonicalise_entries(acl: &mut super::Node<'_>, names: &PortNames) {
    for entry in &mut acl.children {
        if let Some(canonical) = canonical_entry(&entry.text, names) {
            entry.text = canonical.into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: PortNames = PortNames {
        tcp: &[("ftp-data", 20), ("ftp", 21), ("ssh", 22), ("www", 80)],
        udp: &[("domain", 53), ("snmp", 161)],
    };

    fn canonical(text: &str) -> Option<String> {
        canonical_entry(text, &NAMES)
    }

    #[test]
    fn names_become_numbers() {
        assert_eq!(
            canonical("20 permit udp any eq domain 10.1.20.0/24").as_deref(),
            Some("20 permit udp any eq 53 10.1.20.0/24")
        );
        assert_eq!(
            canonical("10 permit tcp host 10.0.0.1 any range ftp-data ftp").as_deref(),
            Some("10 permit tcp 10.0.0.1/32 any range 20 21")
        );
        assert_eq!(canonical("10 permit tcp any any eq 443"), None);
        // A UDP name is not a TCP one.
        assert_eq!(canonical("10 permit tcp any any eq snmp"), None);
        assert_eq!(canonical("10 remark eq www"), None);
        // Spacing is kept as written around what changes.
        assert_eq!(
            canonical("10 permit udp  any eq snmp host 10.0.0.2").as_deref(),
            Some("10 permit udp  any eq 161 10.0.0.2/32")
        );
    }

    #[test]
    fn an_eq_list_is_read_whole_and_what_follows_is_not_a_port() {
        assert_eq!(
            canonical("80 permit tcp any any eq ssh 8080 www log").as_deref(),
            Some("80 permit tcp any any eq 22 8080 80 log")
        );
        // `ttl eq 255` after the ports: a number, left as it is.
        assert_eq!(
            canonical("100 permit tcp any any eq www ttl eq 255").as_deref(),
            Some("100 permit tcp any any eq 80 ttl eq 255")
        );
        assert_eq!(canonical("10 permit tcp any eq 22 any eq 80 443"), None);
    }
}

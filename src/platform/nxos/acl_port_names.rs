//! NX-OS shows well-known ports of ACL entries by name (`eq 80` is printed
//! `eq www`, `eq 53` `eq domain`). Configs are compared with numbers, so
//! an entry the tool typed with a number matches what the switch prints.

/// TCP port names NX-OS prints, with their numbers.
const TCP: &[(&str, u16)] = &[
    ("bgp", 179),
    ("chargen", 19),
    ("cmd", 514),
    ("daytime", 13),
    ("discard", 9),
    ("domain", 53),
    ("drip", 3949),
    ("echo", 7),
    ("exec", 512),
    ("finger", 79),
    ("ftp", 21),
    ("ftp-data", 20),
    ("gopher", 70),
    ("hostname", 101),
    ("ident", 113),
    ("irc", 194),
    ("klogin", 543),
    ("kshell", 544),
    ("login", 513),
    ("lpd", 515),
    ("nntp", 119),
    ("pim-auto-rp", 496),
    ("pop2", 109),
    ("pop3", 110),
    ("smtp", 25),
    ("sunrpc", 111),
    ("tacacs", 49),
    ("talk", 517),
    ("telnet", 23),
    ("time", 37),
    ("uucp", 540),
    ("whois", 43),
    ("www", 80),
];

/// UDP port names NX-OS prints, with their numbers.
const UDP: &[(&str, u16)] = &[
    ("biff", 512),
    ("bootpc", 68),
    ("bootps", 67),
    ("discard", 9),
    ("dnsix", 195),
    ("domain", 53),
    ("echo", 7),
    ("isakmp", 500),
    ("mobile-ip", 434),
    ("nameserver", 42),
    ("netbios-dgm", 138),
    ("netbios-ns", 137),
    ("netbios-ss", 139),
    ("non500-isakmp", 4500),
    ("ntp", 123),
    ("pim-auto-rp", 496),
    ("rip", 520),
    ("snmp", 161),
    ("snmptrap", 162),
    ("sunrpc", 111),
    ("syslog", 514),
    ("tacacs", 49),
    ("talk", 517),
    ("tftp", 69),
    ("time", 37),
    ("who", 513),
    ("xdmcp", 177),
];

fn number_of(protocol: &str, name: &str) -> Option<u16> {
    let table = match protocol {
        "tcp" => TCP,
        "udp" => UDP,
        _ => return None,
    };
    table.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// An ACL entry (`10 permit udp any eq domain 10.0.0.0/24`) with port
/// names as numbers and `host A` as `A/32`; None when nothing changes.
pub fn canonical_entry(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let action = words.iter().position(|w| matches!(*w, "permit" | "deny"))?;
    let protocol = words.get(action + 1).copied().unwrap_or("");
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
            "eq" | "neq" | "lt" | "gt" => 1,
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
            match number_of(protocol, port) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_numbers() {
        assert_eq!(
            canonical_entry("20 permit udp any eq domain 10.1.20.0/24").as_deref(),
            Some("20 permit udp any eq 53 10.1.20.0/24")
        );
        assert_eq!(
            canonical_entry("10 permit tcp host 10.0.0.1 any range ftp-data ftp").as_deref(),
            Some("10 permit tcp 10.0.0.1/32 any range 20 21")
        );
        assert_eq!(canonical_entry("10 permit tcp any any eq 443"), None);
        // A UDP name is not a TCP one.
        assert_eq!(canonical_entry("10 permit tcp any any eq snmp"), None);
        assert_eq!(canonical_entry("10 remark eq www"), None);
        // Spacing is kept as written around what changes.
        assert_eq!(
            canonical_entry("10 permit udp  any eq snmp host 10.0.0.2").as_deref(),
            Some("10 permit udp  any eq 161 10.0.0.2/32")
        );
    }
}

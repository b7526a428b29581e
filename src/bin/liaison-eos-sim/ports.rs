//! How EOS prints the ports of an ACL entry: by name where it has one
//! (`eq 443` is shown `eq https`), as a number otherwise (`eq 3333`).
//! From the `show ip access-lists` output of EOS's default control-plane
//! ACL in public switch outputs (`eq ssh telnet www snmp bgp https msdp
//! ldp netconf-ssh gnmi`, `eq bootps bootpc snmp rip ntp ldp ptp-event
//! ptp-general`, `eq mlag`, `eq bfd`, `eq 3333`) and Ansible arista.eos's
//! `eos_acls`, which sends names so that EOS's spelling matches (`eq 25`
//! read back as `eq smtp`). That EOS respells a number typed by the user
//! this way is a guess from these; the numbers are the IANA ones, and
//! mlag 4432 and gnmi 6030 from memory of Arista's defaults (a guess).

const TCP: &[(u16, &str)] = &[
    (22, "ssh"),
    (23, "telnet"),
    (25, "smtp"),
    (80, "www"),
    (161, "snmp"),
    (179, "bgp"),
    (443, "https"),
    (639, "msdp"),
    (646, "ldp"),
    (830, "netconf-ssh"),
    (4432, "mlag"),
    (6030, "gnmi"),
];

const UDP: &[(u16, &str)] = &[
    (67, "bootps"),
    (68, "bootpc"),
    (123, "ntp"),
    (161, "snmp"),
    (319, "ptp-event"),
    (320, "ptp-general"),
    (520, "rip"),
    (646, "ldp"),
    (3784, "bfd"),
    (3785, "bfd-echo"),
    (4432, "mlag"),
];

fn name_of(protocol: &str, port: &str) -> Option<&'static str> {
    let table = match protocol {
        "tcp" => TCP,
        "udp" => UDP,
        _ => return None,
    };
    let port: u16 = port.parse().ok()?;
    table
        .iter()
        .find(|(n, _)| *n == port)
        .map(|(_, name)| *name)
}

/// An ACL entry line (`[SEQ] permit|deny PROTO …`) with its port numbers
/// as EOS prints them; anything else as it is.
pub fn as_printed(entry: &str) -> String {
    let words: Vec<&str> = entry.split(' ').collect();
    let Some(action) = words.iter().position(|w| matches!(*w, "permit" | "deny")) else {
        return entry.to_string();
    };
    let protocol = words.get(action + 1).copied().unwrap_or("");
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut ports = 0usize;
    let mut list = false;
    for (i, word) in words.iter().enumerate() {
        let is_number = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
        if i > action + 1 && (ports > 0 || (list && is_number)) {
            out.push(name_of(protocol, word).unwrap_or(word).to_string());
            ports = ports.saturating_sub(1);
            continue;
        }
        list = false;
        match *word {
            "eq" => {
                ports = 1;
                list = true;
            }
            "neq" | "gt" | "lt" => ports = 1,
            "range" => ports = 2,
            _ => {}
        }
        out.push(word.to_string());
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_ports_are_printed_by_name() {
        assert_eq!(
            as_printed("10 permit tcp 10.1.20.0/24 any eq 443"),
            "10 permit tcp 10.1.20.0/24 any eq https"
        );
        assert_eq!(
            as_printed("permit udp any eq 123 10.0.0.0/8 range 67 68"),
            "permit udp any eq ntp 10.0.0.0/8 range bootps bootpc"
        );
        assert_eq!(
            as_printed("20 permit tcp any any eq 22 80 3333 log"),
            "20 permit tcp any any eq ssh www 3333 log"
        );
        assert_eq!(
            as_printed("30 permit tcp any any eq 5432"),
            "30 permit tcp any any eq 5432"
        );
        assert_eq!(as_printed("40 remark eq 443"), "40 remark eq 443");
        // A TTL is no port.
        assert_eq!(
            as_printed("50 permit tcp any any eq 4432 ttl eq 255"),
            "50 permit tcp any any eq mlag ttl eq 255"
        );
    }
}

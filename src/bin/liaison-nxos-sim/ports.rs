//! Names NX-OS gives things: interfaces (`eth1/1` → `Ethernet1/1`) and
//! well-known TCP/UDP ports (`80` → `www`).

use crate::model::IfName;

/// Reads an interface name as NX-OS accepts it: any case, abbreviated
/// (`eth1/1`, `po10`, `lo0`), with or without a space before the number.
/// The error is the NX-OS message without its `% ... at '^' marker.`.
pub fn parse(text: &str) -> Result<IfName, &'static str> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let split = text
        .find(|c: char| c.is_ascii_digit())
        .ok_or("Invalid interface format")?;
    let (kind, number) = text.split_at(split);
    let kind = kind.to_ascii_lowercase();
    let is = |full: &str, min: usize| kind.len() >= min && full.starts_with(kind.as_str());
    let single = |max: u32| -> Result<u32, &'static str> {
        match number.parse::<u32>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err("Invalid number"),
        }
    };
    if is("ethernet", 1) {
        let parts: Vec<u32> = number
            .split('/')
            .map(|p| p.parse::<u32>().map_err(|_| "Invalid interface format"))
            .collect::<Result<_, _>>()?;
        let valid = matches!(parts.len(), 2 | 3)
            && (1..=32).contains(&parts[0])
            && (1..=128).contains(&parts[1])
            && parts.get(2).is_none_or(|lane| (1..=4).contains(lane));
        return if valid {
            Ok(IfName::Ethernet(parts))
        } else {
            Err("Invalid interface format")
        };
    }
    if number.contains(|c: char| !c.is_ascii_digit()) {
        return Err("Invalid interface format");
    }
    if is("port-channel", 2) {
        match single(4096)? {
            0 => Err("Invalid number"),
            n => Ok(IfName::PortChannel(n)),
        }
    } else if is("vlan", 1) {
        match single(4094)? {
            0 => Err("Invalid number"),
            n => Ok(IfName::Vlan(n as u16)),
        }
    } else if is("loopback", 2) {
        Ok(IfName::Loopback(single(1023)?))
    } else if is("mgmt", 1) {
        match single(0)? {
            0 => Ok(IfName::Mgmt(0)),
            _ => Err("Invalid number"),
        }
    } else {
        Err("Invalid interface format")
    }
}

/// NX-OS's keywords for TCP ports, printed instead of the number.
const TCP: &[(&str, u16)] = &[
    ("echo", 7),
    ("discard", 9),
    ("daytime", 13),
    ("chargen", 19),
    ("ftp-data", 20),
    ("ftp", 21),
    ("telnet", 23),
    ("smtp", 25),
    ("time", 37),
    ("whois", 43),
    ("tacacs", 49),
    ("domain", 53),
    ("gopher", 70),
    ("finger", 79),
    ("www", 80),
    ("hostname", 101),
    ("pop2", 109),
    ("pop3", 110),
    ("sunrpc", 111),
    ("ident", 113),
    ("nntp", 119),
    ("bgp", 179),
    ("irc", 194),
    ("pim-auto-rp", 496),
    ("exec", 512),
    ("login", 513),
    ("cmd", 514),
    ("lpd", 515),
    ("talk", 517),
    ("uucp", 540),
    ("klogin", 543),
    ("kshell", 544),
    ("drip", 3949),
];

/// NX-OS's keywords for UDP ports.
const UDP: &[(&str, u16)] = &[
    ("echo", 7),
    ("discard", 9),
    ("time", 37),
    ("nameserver", 42),
    ("tacacs", 49),
    ("domain", 53),
    ("bootps", 67),
    ("bootpc", 68),
    ("tftp", 69),
    ("sunrpc", 111),
    ("ntp", 123),
    ("netbios-ns", 137),
    ("netbios-dgm", 138),
    ("netbios-ss", 139),
    ("snmp", 161),
    ("snmptrap", 162),
    ("xdmcp", 177),
    ("dnsix", 195),
    ("mobile-ip", 434),
    ("pim-auto-rp", 496),
    ("isakmp", 500),
    ("biff", 512),
    ("who", 513),
    ("syslog", 514),
    ("talk", 517),
    ("rip", 520),
    ("non500-isakmp", 4500),
];

fn table(proto: &str) -> &'static [(&'static str, u16)] {
    if proto == "udp" {
        UDP
    } else {
        TCP
    }
}

/// A port given as a number or an NX-OS keyword.
pub fn port_number(proto: &str, text: &str) -> Option<u16> {
    text.parse::<u16>().ok().or_else(|| {
        table(proto)
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, n)| *n)
    })
}

/// How NX-OS prints a port: its keyword when it has one.
pub fn port_name(proto: &str, port: u16) -> String {
    table(proto)
        .iter()
        .find(|(_, n)| *n == port)
        .map_or_else(|| port.to_string(), |(name, _)| (*name).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_names_are_normalised() {
        assert_eq!(parse("eth1/1"), Ok(IfName::Ethernet(vec![1, 1])));
        assert_eq!(
            parse("Ethernet 1/49/2"),
            Ok(IfName::Ethernet(vec![1, 49, 2]))
        );
        assert_eq!(parse("po10"), Ok(IfName::PortChannel(10)));
        assert_eq!(parse("port-channel 10"), Ok(IfName::PortChannel(10)));
        assert_eq!(parse("Vlan110"), Ok(IfName::Vlan(110)));
        assert_eq!(parse("lo0"), Ok(IfName::Loopback(0)));
        assert_eq!(parse("mgmt0"), Ok(IfName::Mgmt(0)));
        assert!(parse("Vlan0").is_err());
        assert!(parse("Ethernet1").is_err());
        assert!(parse("Tunnel1").is_err());
        assert!(parse("Vlan").is_err());
        assert_eq!(
            IfName::Ethernet(vec![1, 49, 2]).to_string(),
            "Ethernet1/49/2"
        );
    }

    #[test]
    fn well_known_ports_get_their_names() {
        assert_eq!(port_name("tcp", 80), "www");
        assert_eq!(port_name("tcp", 443), "443");
        assert_eq!(port_name("udp", 161), "snmp");
        assert_eq!(port_number("tcp", "www"), Some(80));
        assert_eq!(port_number("tcp", "bogus"), None);
    }
}

//! Physical switch ports as users write them (`Ethernet1/10`, `Eth1/49/1`,
//! `e1/2` on NX-OS; `Ethernet10`, `Et49/1` on EOS) normalised to the full
//! spelling the switches print, so that `Eth1/1` and `Ethernet1/1` are
//! known to be the same cable. What a name may look like is the rule of
//! the switch's platform ([`PortNaming`], in the platform's `ports.rs`):
//! the inventory parses each port by its switch's platform
//! ([`Port::parse_for`]).

use super::Spanned;
use crate::platform::build::PortNaming;
use crate::platform::Platform;
use std::cmp::Ordering;
use std::fmt;

/// A front-panel Ethernet port: `Ethernet` and one to three numbers
/// separated by `/`, which the switch's platform gives their meaning
/// (slot/port/lane on NX-OS; port, port/lane or slot/port/lane on EOS).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    /// The numbers of the name, e.g. `[1, 49, 2]` for `Ethernet1/49/2`.
    numbers: Vec<u16>,
}

impl Port {
    /// Parses a port name as some platform names ports (the first that
    /// takes it), for a port whose switch is not known; the error is the
    /// default platform's.
    pub fn parse(text: &str) -> Result<Port, String> {
        Port::parse_as(text, Platform::default().port_naming()).or_else(|why| {
            Platform::ALL
                .into_iter()
                .find_map(|p| Port::parse_as(text, p.port_naming()).ok())
                .ok_or(why)
        })
    }

    /// Parses a port name of a `platform` switch; when another platform
    /// takes the name, the error says whose name it is.
    pub fn parse_for(text: &str, platform: Platform) -> Result<Port, String> {
        Port::parse_as(text, platform.port_naming()).map_err(|why| {
            match Platform::ALL
                .into_iter()
                .find(|p| *p != platform && Port::parse_as(text, p.port_naming()).is_ok())
            {
                Some(other) => format!(
                    "`{text}` is how {} names a port, but the switch is {}, which names ports {}",
                    other.cli_text().name,
                    platform.cli_text().name,
                    platform.port_naming().forms
                ),
                None => why,
            }
        })
    }

    /// Parses a port name by one platform's rule.
    fn parse_as(text: &str, naming: &PortNaming) -> Result<Port, String> {
        let lower = text.to_ascii_lowercase();
        let digits_at = lower
            .find(|c: char| c.is_ascii_digit())
            .ok_or_else(|| format!("`{text}` has no slot/port numbers"))?;
        let (prefix, rest) = lower.split_at(digits_at);
        if !naming.ethernet_prefixes.contains(&prefix) {
            return Err(format!(
                "`{text}` is not an Ethernet port (only front-panel ports are cabled in the inventory)"
            ));
        }
        let numbers = rest
            .split('/')
            .map(|part| {
                part.parse::<u16>()
                    .ok()
                    .filter(|n| *n > 0 && *n <= naming.max_number)
                    .ok_or_else(|| format!("`{text}`: `{part}` is not a port number"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if !naming.numbers.contains(&numbers.len()) {
            return Err(format!("`{text}` must look like {}", naming.forms));
        }
        Ok(Port { numbers })
    }

    /// The numbers of the name, in order; what they mean is the
    /// platform's ([`PortNaming`]).
    pub fn numbers(&self) -> &[u16] {
        &self.numbers
    }
}

/// `Ethernet` and the numbers: how NX-OS and EOS both print a port.
impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ethernet")?;
        for (i, n) in self.numbers.iter().enumerate() {
            if i > 0 {
                write!(f, "/")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

/// Numeric order: `Ethernet1/2` before `Ethernet1/10`, as switches print them.
impl Ord for Port {
    fn cmp(&self, other: &Self) -> Ordering {
        self.numbers.cmp(&other.numbers)
    }
}

impl PartialOrd for Port {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `switch:port`, as in `tor1a:Ethernet1/10`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortRef {
    pub switch: Spanned<String>,
    pub port: Spanned<Port>,
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.switch.value, self.port.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_abbreviations() {
        assert_eq!(Port::parse("Eth1/10").unwrap().to_string(), "Ethernet1/10");
        assert_eq!(
            Port::parse("e1/49/2").unwrap().to_string(),
            "Ethernet1/49/2"
        );
        assert_eq!(
            Port::parse("Ethernet1/1").unwrap(),
            Port::parse("eth1/1").unwrap()
        );
    }

    #[test]
    fn refuses_non_ethernet_and_garbage() {
        assert!(Port::parse("port-channel1").is_err());
        assert!(Port::parse("Ethernet1/0").is_err());
        assert!(Port::parse("Ethernet1/2/3/4").is_err());
        assert!(Port::parse("Port-Channel10").is_err());
        assert!(Port::parse("Po10").is_err());
        assert!(Port::parse("Ethernet1/0").is_err());
        assert!(Port::parse("Ethernet1/1\nshutdown").is_err());
        assert!(Port::parse("mgmt0").is_err());
    }

    #[test]
    fn sorts_numerically() {
        let mut ports: Vec<Port> = ["Ethernet1/10", "Ethernet1/2", "Ethernet2/1", "Ethernet1"]
            .iter()
            .map(|p| Port::parse(p).unwrap())
            .collect();
        ports.sort();
        let names: Vec<String> = ports.iter().map(Port::to_string).collect();
        assert_eq!(
            names,
            ["Ethernet1", "Ethernet1/2", "Ethernet1/10", "Ethernet2/1"]
        );
    }
}

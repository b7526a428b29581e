//! Physical switch ports as users write them (`Ethernet1/10`, `Eth1/49/1`,
//! `e1/2`) normalised to the full spelling the switches print, so that
//! `Eth1/1` and `Ethernet1/1` are known to be the same cable. What a name
//! may look like is the platform's rule ([`PortNaming`], in the platform's
//! `ports.rs`); the inventory accepts the names of every platform that
//! has one (EOS has none until issue #13 step 2: `Ethernet1` is refused).

use super::Spanned;
use crate::platform::build::PortNaming;
use crate::platform::Platform;
use std::cmp::Ordering;
use std::fmt;

/// A front-panel Ethernet port: `Ethernet<slot>/<port>[/<breakout>]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    /// Slot, port and optional breakout lane, e.g. `[1, 49, 2]`.
    numbers: Vec<u16>,
}

impl Port {
    /// Parses an Ethernet port name as the platforms with a port naming
    /// name them; the error (the first platform's) says what is wrong.
    pub fn parse(text: &str) -> Result<Port, String> {
        let mut first_error = None;
        for naming in Platform::ALL.into_iter().filter_map(Platform::port_naming) {
            match Port::parse_as(text, naming) {
                Ok(port) => return Ok(port),
                Err(why) => {
                    first_error.get_or_insert(why);
                }
            }
        }
        Err(first_error.unwrap_or_else(|| format!("`{text}`: no platform names ports")))
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

    pub fn slot(&self) -> u16 {
        self.numbers[0]
    }

    pub fn port(&self) -> u16 {
        self.numbers[1]
    }

    pub fn lane(&self) -> Option<u16> {
        self.numbers.get(2).copied()
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ethernet{}/{}", self.numbers[0], self.numbers[1])?;
        if let Some(lane) = self.lane() {
            write!(f, "/{lane}")?;
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
        assert!(Port::parse("Ethernet1").is_err());
        assert!(Port::parse("Ethernet1/0").is_err());
        assert!(Port::parse("Ethernet1/1\nshutdown").is_err());
        assert!(Port::parse("mgmt0").is_err());
    }

    #[test]
    fn sorts_numerically() {
        let mut ports: Vec<Port> = ["Ethernet1/10", "Ethernet1/2", "Ethernet2/1"]
            .iter()
            .map(|p| Port::parse(p).unwrap())
            .collect();
        ports.sort();
        let names: Vec<String> = ports.iter().map(Port::to_string).collect();
        assert_eq!(names, ["Ethernet1/2", "Ethernet1/10", "Ethernet2/1"]);
    }
}

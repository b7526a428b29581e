//! VLAN lists as NX-OS reads and prints them: `1,10,20-30`.

pub use crate::sim::vlans::*;

/// Longest VLAN list NX-OS prints on one `switchport trunk allowed vlan`
/// line; the rest goes onto `... add` continuation lines.
pub const WRAP_LIST_CHARS: usize = 80;

/// The list cut into chunks of at most `WRAP_LIST_CHARS` characters at
/// element boundaries: the first chunk follows `allowed vlan`, the others
/// `allowed vlan add`.
pub fn wrapped(set: &VlanSet) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for element in elements(set) {
        if !current.is_empty() && current.len() + 1 + element.len() > WRAP_LIST_CHARS {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(',');
        }
        current.push_str(&element);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_long_lists_at_element_boundaries() {
        let set: VlanSet = (1..=400).step_by(2).collect();
        let lines = wrapped(&set);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(line.len() <= WRAP_LIST_CHARS, "{line}");
            assert!(!line.starts_with(',') && !line.ends_with(','));
        }
        let mut back = VlanSet::new();
        for line in &lines {
            back.extend(parse(line).unwrap());
        }
        assert_eq!(back, set);
        assert_eq!(wrapped(&parse("10,20").unwrap()), vec!["10,20"]);
    }
}

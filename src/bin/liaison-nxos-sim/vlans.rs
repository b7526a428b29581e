//! VLAN lists as NX-OS reads and prints them: `1,10,20-30`.

use std::collections::BTreeSet;

pub type VlanSet = BTreeSet<u16>;

pub const MAX_VLAN: u16 = 4094;

/// Longest VLAN list NX-OS prints on one `switchport trunk allowed vlan`
/// line; the rest goes onto `... add` continuation lines.
pub const WRAP_LIST_CHARS: usize = 80;

/// Parses `10,20-30` (ids 1-4094). The error is the offending element.
pub fn parse(text: &str) -> Result<VlanSet, String> {
    let mut set = VlanSet::new();
    for part in text.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b) = match (a.parse::<u16>(), b.parse::<u16>()) {
            (Ok(a), Ok(b)) if (1..=MAX_VLAN).contains(&a) && (a..=MAX_VLAN).contains(&b) => (a, b),
            _ => return Err(part.to_string()),
        };
        set.extend(a..=b);
    }
    Ok(set)
}

/// The whole range 1-4094, what a trunk allows by default.
pub fn all() -> VlanSet {
    (1..=MAX_VLAN).collect()
}

/// Compact range elements (`1`, `10-12`), as NX-OS joins them with commas.
/// Two consecutive ids are a range too (`101-102`), as NX-OS prints them.
pub fn elements(set: &VlanSet) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = set.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    out
}

pub fn format(set: &VlanSet) -> String {
    elements(set).join(",")
}

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
    fn parses_and_formats_ranges() {
        let set = parse("1,10,20-22,23,101-102").unwrap();
        assert_eq!(format(&set), "1,10,20-23,101-102");
        assert!(parse("0").is_err());
        assert!(parse("4095").is_err());
        assert!(parse("10-5").is_err());
        assert!(parse("x").is_err());
        assert!(parse("").is_err());
    }

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

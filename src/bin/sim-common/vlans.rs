//! VLAN lists as both platforms read and print them: `1,10,20-30` (NX-OS
//! and EOS alike join ranges with commas and print two consecutive ids
//! as a range).

use std::collections::BTreeSet;

pub type VlanSet = BTreeSet<u16>;

pub const MAX_VLAN: u16 = 4094;

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

/// Compact range elements (`1`, `10-12`), joined with commas. Two
/// consecutive ids are a range too (`101-102`), as both platforms print them.
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
}

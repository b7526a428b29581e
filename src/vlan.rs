//! Sets of VLAN ids and their NX-OS list syntax (`1,10-20,300`), shared by
//! the renderer (writing trunk lists) and the config parser and planner
//! (reading them back, adding and removing members).

use std::fmt;

/// The highest VLAN id a list may name.
pub const MAX_VLAN: u16 = 4094;

/// A set of VLAN ids 1-4094, as a bitmap: trunk lists on big switches name
/// thousands of VLANs and the planner takes differences of many of them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VlanSet {
    bits: [u64; 64],
}

impl Default for VlanSet {
    fn default() -> Self {
        VlanSet { bits: [0; 64] }
    }
}

impl fmt::Debug for VlanSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VlanSet({self})")
    }
}

impl VlanSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every VLAN 1-4094: what a trunk allows when no list is configured.
    pub fn all() -> Self {
        let mut bits = [u64::MAX; 64];
        bits[0] &= !1; // VLAN 0 does not exist
        bits[63] &= !(1 << 63); // nor does 4095
        VlanSet { bits }
    }

    /// Ids outside 1-4094 are not VLANs and are ignored: every caller reads
    /// ids through [`VlanSet::parse`] or from a checked inventory.
    pub fn insert(&mut self, id: u16) {
        if id == 0 || id > MAX_VLAN {
            return;
        }
        self.bits[usize::from(id) / 64] |= 1 << (id % 64);
    }

    pub fn insert_range(&mut self, from: u16, to: u16) {
        let (mut id, to) = (from.max(1), to.min(MAX_VLAN));
        while id <= to {
            let word = usize::from(id / 64);
            let low = id % 64;
            let high = if to / 64 == id / 64 { to % 64 } else { 63 };
            let width = high - low + 1;
            let mask = if width == 64 {
                u64::MAX
            } else {
                ((1u64 << width) - 1) << low
            };
            self.bits[word] |= mask;
            id = (id / 64 + 1) * 64;
        }
    }

    pub fn contains(&self, id: u16) -> bool {
        id <= MAX_VLAN && self.bits[usize::from(id) / 64] & (1 << (id % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }

    pub fn is_all(&self) -> bool {
        *self == Self::all()
    }

    pub fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn union(&self, other: &Self) -> Self {
        let mut out = *self;
        for (a, b) in out.bits.iter_mut().zip(other.bits) {
            *a |= b;
        }
        out
    }

    pub fn intersection(&self, other: &Self) -> Self {
        let mut out = *self;
        for (a, b) in out.bits.iter_mut().zip(other.bits) {
            *a &= b;
        }
        out
    }

    /// The members of `self` that are not in `other`.
    pub fn difference(&self, other: &Self) -> Self {
        let mut out = *self;
        for (a, b) in out.bits.iter_mut().zip(other.bits) {
            *a &= !b;
        }
        out
    }

    /// The members in ascending order, by scanning set bits (a trunk list
    /// is mostly empty words).
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Some((w * 64) as u16 + bit as u16)
            })
        })
    }

    /// Maximal runs of consecutive ids, as `(first, last)`, ascending.
    pub fn runs(&self) -> impl Iterator<Item = (u16, u16)> + '_ {
        let mut ids = self.iter().peekable();
        std::iter::from_fn(move || {
            let first = ids.next()?;
            let mut last = first;
            while ids.peek() == Some(&(last + 1)) {
                last += 1;
                ids.next();
            }
            Some((first, last))
        })
    }

    /// Appends the list syntax (`10-12,20`, `none` when empty) to `out`
    /// without intermediate strings: trunk lists are printed by the
    /// hundred thousand.
    pub fn write_to(&self, out: &mut String) {
        let mut empty = true;
        for run in self.runs() {
            if !empty {
                out.push(',');
            }
            empty = false;
            push_run(out, run);
        }
        if empty {
            out.push_str("none");
        }
    }

    /// Whether `text` is a list as [`VlanSet::write_to`] writes the set
    /// it names (ascending, each run of consecutive ids as `A-B`, no
    /// leading zeros or blanks; `none`): a trunk list already written so
    /// need not be written again. Read from the text alone, without the
    /// set: tens of thousands of trunk lines are checked.
    pub fn is_canonical(text: &str) -> bool {
        if text == "none" {
            return true;
        }
        // The last id of the run before.
        let mut last: Option<u16> = None;
        for part in text.split(',') {
            let (first, end) = match part.split_once('-') {
                Some((a, b)) => match (canonical_id(a), canonical_id(b)) {
                    (Some(a), Some(b)) if a < b => (a, b),
                    _ => return false,
                },
                None => match canonical_id(part) {
                    Some(id) => (id, id),
                    None => return false,
                },
            };
            if last.is_some_and(|l| first <= l + 1) {
                return false;
            }
            last = Some(end);
        }
        true
    }

    /// Parses NX-OS list syntax: `10`, `10-20`, `1,10-20,300`. `none` is the
    /// empty set; `all` is every VLAN.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text {
            "none" => return Ok(Self::new()),
            "all" => return Ok(Self::all()),
            "" => return Err("empty VLAN list".into()),
            _ => {}
        }
        if let Some(set) = Self::parse_plain(text) {
            return Ok(set);
        }
        let mut set = Self::new();
        for part in text.split(',') {
            let part = part.trim();
            let (from, to) = part.split_once('-').unwrap_or((part, part));
            let (from, to) = (parse_id(from)?, parse_id(to)?);
            if from > to {
                return Err(format!("the VLAN range `{part}` is reversed"));
            }
            if from == to {
                set.insert(from);
            } else {
                set.insert_range(from, to);
            }
        }
        Ok(set)
    }

    /// `10,20-30` without spaces, in one pass over the bytes: trunk lists
    /// are parsed by the hundred thousand. None for anything else (spaces,
    /// bad ids, reversed ranges): [`VlanSet::parse`] then explains.
    fn parse_plain(text: &str) -> Option<Self> {
        let mut set = Self::new();
        let mut number: u32 = 0;
        let mut digits = 0;
        let mut range_start: Option<u16> = None;
        let mut finish = |number: u32, digits: usize, range_start: Option<u16>| -> Option<()> {
            if digits == 0 || number == 0 || number > u32::from(MAX_VLAN) {
                return None;
            }
            let id = number as u16;
            match range_start {
                Some(from) if from > id => return None,
                Some(from) => set.insert_range(from, id),
                None => set.insert(id),
            }
            Some(())
        };
        for b in text.bytes() {
            match b {
                b'0'..=b'9' => {
                    number = number * 10 + u32::from(b - b'0');
                    digits += 1;
                    if digits > 4 {
                        return None;
                    }
                }
                b'-' if range_start.is_none() => {
                    if digits == 0 || number == 0 || number > u32::from(MAX_VLAN) {
                        return None;
                    }
                    range_start = Some(number as u16);
                    (number, digits) = (0, 0);
                }
                b',' => {
                    finish(number, digits, range_start)?;
                    (number, digits, range_start) = (0, 0, None);
                }
                _ => return None,
            }
        }
        finish(number, digits, range_start)?;
        Some(set)
    }

    /// The list split into pieces of at most `max_chars` characters each, on
    /// range boundaries, so each can go on a command line of bounded length.
    pub fn chunks(&self, max_chars: usize) -> Vec<String> {
        let mut chunks: Vec<String> = Vec::new();
        let mut current = String::new();
        for run in self.runs() {
            let item = format_run(run);
            if !current.is_empty() && current.len() + 1 + item.len() > max_chars {
                chunks.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(',');
            }
            current.push_str(&item);
        }
        if !current.is_empty() {
            chunks.push(current);
        }
        chunks
    }
}

impl FromIterator<u16> for VlanSet {
    fn from_iter<I: IntoIterator<Item = u16>>(iter: I) -> Self {
        let mut set = Self::new();
        for id in iter {
            set.insert(id);
        }
        set
    }
}

/// `10-12,20`; the empty set is `none`, as NX-OS writes it.
impl fmt::Display for VlanSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_to(&mut out);
        f.write_str(&out)
    }
}

fn format_run(run: (u16, u16)) -> String {
    let mut out = String::new();
    push_run(&mut out, run);
    out
}

fn push_run(out: &mut String, (first, last): (u16, u16)) {
    push_number(out, first);
    if last != first {
        out.push('-');
        push_number(out, last);
    }
}

fn push_number(out: &mut String, n: u16) {
    let mut digits = [0u8; 5];
    out.push_str(decimal(n, &mut digits));
}

/// The decimal digits of `n`, written into `digits`.
fn decimal(n: u16, digits: &mut [u8; 5]) -> &str {
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits only.
    std::str::from_utf8(&digits[start..]).unwrap_or_default()
}

/// A VLAN id as [`push_number`] writes it: 1-4 digits, no leading zero,
/// 1-4094.
fn canonical_id(digits: &str) -> Option<u16> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || bytes.len() > 4 || bytes[0] == b'0' {
        return None;
    }
    let mut id = 0u16;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        id = id * 10 + u16::from(b - b'0');
    }
    (id <= MAX_VLAN).then_some(id)
}

fn parse_id(text: &str) -> Result<u16, String> {
    let digits = text.trim();
    // Fast path for what configs hold: 1-4 plain digits.
    if !digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let id = digits
            .bytes()
            .fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
        if (1..=MAX_VLAN).contains(&id) {
            return Ok(id);
        }
    }
    match digits.parse::<u32>() {
        Ok(id) if (1..=u32::from(MAX_VLAN)).contains(&id) => Ok(id as u16),
        Ok(id) => Err(format!("VLAN {id} is outside 1-{MAX_VLAN}")),
        Err(_) => Err(format!("`{text}` is not a VLAN id")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_canonical_when_written_back_the_same() {
        // What parsing and writing back gives the same text: the reference.
        let written_back = |text: &str| {
            VlanSet::parse(text).is_ok_and(|set| {
                let mut out = String::new();
                set.write_to(&mut out);
                out == text
            })
        };
        let mut samples: Vec<String> = [
            "1,10-12,20,300,4094",
            "1,10,11,12,20",
            "10-11",
            "10-10",
            "12-10",
            "10,10",
            "20,10",
            "10,11-12",
            "10-11,12",
            "10-11,13",
            "01,10",
            "1, 10",
            " 1",
            "1,",
            ",1",
            "",
            "none",
            "all",
            "0",
            "4094",
            "4095",
            "1-4094",
            "10000",
            "1-2-3",
            "a",
            "5,7-9,4000-4094",
        ]
        .map(String::from)
        .to_vec();
        // And lists of every shape over a few ids, deterministic.
        let pieces = ["1", "2", "3", "5", "2-3", "1-3", "3-5", "7", "07"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    samples.push(format!("{a},{b},{c}"));
                }
                samples.push(format!("{a},{b}"));
            }
        }
        for text in &samples {
            assert_eq!(VlanSet::is_canonical(text), written_back(text), "{text:?}");
        }
        assert!(samples.iter().filter(|s| VlanSet::is_canonical(s)).count() > 20);
    }

    #[test]
    fn parse_and_print_round_trip() {
        let set = VlanSet::parse("1,10-12,20, 300").unwrap();
        assert_eq!(set.to_string(), "1,10-12,20,300");
        assert_eq!(set.len(), 6);
        assert_eq!(VlanSet::parse("none").unwrap().to_string(), "none");
        let all = VlanSet::parse("all").unwrap();
        assert!(all.is_all());
        assert_eq!(all.len(), 4094);
        assert_eq!(all.to_string(), "1-4094");
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(VlanSet::parse("4095").unwrap_err().contains("outside"));
        assert!(VlanSet::parse("0").is_err());
        assert!(VlanSet::parse("20-10").unwrap_err().contains("reversed"));
        assert!(VlanSet::parse("10,abc").is_err());
        assert!(VlanSet::parse("").is_err());
    }

    #[test]
    fn the_fast_path_agrees_with_the_checked_one() {
        for text in ["4094", "1-4094", "10-12,20", "1,3,5-7,4000-4094"] {
            let fast = VlanSet::parse_plain(text).unwrap();
            assert_eq!(fast.to_string(), text);
            let expanded: VlanSet = text
                .split(',')
                .flat_map(|part| {
                    let (a, b) = part.split_once('-').unwrap_or((part, part));
                    a.parse::<u16>().unwrap()..=b.parse::<u16>().unwrap()
                })
                .collect();
            assert_eq!(fast, expanded, "{text}");
        }
        for text in [
            "0", "4095", "20-10", "1--2", ",", "1,", "10-", "12345", "1-2-3",
        ] {
            assert_eq!(VlanSet::parse_plain(text), None, "{text}");
            assert!(VlanSet::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn chunks_stay_under_the_limit_and_cover_the_set() {
        let set: VlanSet = (1..=2000).step_by(2).collect();
        let chunks = set.chunks(40);
        assert!(chunks.len() > 10);
        assert!(chunks.iter().all(|c| c.len() <= 40));
        let rejoined = VlanSet::parse(&chunks.join(",")).unwrap();
        assert_eq!(rejoined, set);
    }

    #[test]
    fn difference_and_union() {
        let a = VlanSet::parse("10-20").unwrap();
        let b = VlanSet::parse("15-30").unwrap();
        assert_eq!(a.difference(&b).to_string(), "10-14");
        assert_eq!(a.union(&b).to_string(), "10-30");
    }
}

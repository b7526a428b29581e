//! VLAN lists as both platforms read and print them: `1,10,20-30` (NX-OS
//! and EOS alike join ranges with commas and print two consecutive ids
//! as a range).

/// A set of VLAN ids 0-4095, one bit each. It used to be a
/// `BTreeSet<u16>`: a trunk allowing every VLAN held 4094 tree entries,
/// built, cloned, compared and dropped for each line a session typed,
/// and those tree operations were the simulators' largest CPU cost in the
/// apply benchmark (scripts/bench-apply.sh), which is the lab's cost, not
/// a switch's. 512 bytes, copied and compared word by word; iteration is
/// in ascending order, as the tree's was.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VlanSet([u64; WORDS]);

const WORDS: usize = 4096 / 64;

impl VlanSet {
    pub const fn new() -> VlanSet {
        VlanSet([0; WORDS])
    }

    /// Adds `id`; whether it was new.
    pub fn insert(&mut self, id: u16) -> bool {
        let (word, bit) = place(id);
        let new = self.0[word] & bit == 0;
        self.0[word] |= bit;
        new
    }

    /// Removes `id`; whether it was there.
    pub fn remove(&mut self, id: u16) -> bool {
        let (word, bit) = place(id);
        let was = self.0[word] & bit != 0;
        self.0[word] &= !bit;
        was
    }

    pub fn contains(&self, id: u16) -> bool {
        let (word, bit) = place(id);
        self.0[word] & bit != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The ids in ascending order.
    pub fn iter(&self) -> Ids<'_> {
        Ids {
            words: &self.0,
            word: 0,
            rest: self.0[0],
        }
    }

    /// Adds every id from `low` to `high` (both included; `low <= high`),
    /// a word at a time: a trunk's `1-4094` is 64 words, not 4094 bits.
    pub fn insert_range(&mut self, low: u16, high: u16) {
        let (low, high) = (usize::from(low) % 4096, usize::from(high) % 4096);
        for word in low / 64..=high / 64 {
            let first = if word == low / 64 { low % 64 } else { 0 };
            let last = if word == high / 64 { high % 64 } else { 63 };
            self.0[word] |= (u64::MAX >> (63 - last)) & (u64::MAX << first);
        }
    }

    pub fn clear(&mut self) {
        self.0 = [0; WORDS];
    }

    /// The ids in either set.
    pub fn union(&self, other: &VlanSet) -> VlanSet {
        let mut out = self.clone();
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
        out
    }

    /// The ids in this set and not in `other`.
    pub fn difference(&self, other: &VlanSet) -> VlanSet {
        let mut out = self.clone();
        for (a, b) in out.0.iter_mut().zip(other.0.iter()) {
            *a &= !*b;
        }
        out
    }

    /// Keeps the ids `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(u16) -> bool) {
        for id in self.clone().iter() {
            if !keep(id) {
                self.remove(id);
            }
        }
    }
}

/// The word and the bit of `id` (ids above 4095 are not VLANs: the
/// parsers never produce them).
fn place(id: u16) -> (usize, u64) {
    let id = usize::from(id) % 4096;
    (id / 64, 1u64 << (id % 64))
}

impl Default for VlanSet {
    fn default() -> VlanSet {
        VlanSet::new()
    }
}

/// The ids of a [`VlanSet`], ascending.
pub struct Ids<'a> {
    words: &'a [u64; WORDS],
    word: usize,
    /// The bits of `words[word]` not yet returned.
    rest: u64,
}

impl Iterator for Ids<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        while self.rest == 0 {
            self.word += 1;
            self.rest = *self.words.get(self.word)?;
        }
        let bit = self.rest.trailing_zeros() as usize;
        self.rest &= self.rest - 1;
        Some((self.word * 64 + bit) as u16)
    }
}

impl<'a> IntoIterator for &'a VlanSet {
    type Item = u16;
    type IntoIter = Ids<'a>;

    fn into_iter(self) -> Ids<'a> {
        self.iter()
    }
}

impl Extend<u16> for VlanSet {
    fn extend<I: IntoIterator<Item = u16>>(&mut self, ids: I) {
        for id in ids {
            self.insert(id);
        }
    }
}

impl FromIterator<u16> for VlanSet {
    fn from_iter<I: IntoIterator<Item = u16>>(ids: I) -> VlanSet {
        let mut set = VlanSet::new();
        set.extend(ids);
        set
    }
}

impl IntoIterator for VlanSet {
    type Item = u16;
    type IntoIter = std::vec::IntoIter<u16>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter().collect::<Vec<_>>().into_iter()
    }
}

/// `{1, 10, 11}`, as the tree printed.
impl std::fmt::Debug for VlanSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

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
        set.insert_range(a, b);
    }
    Ok(set)
}

/// The whole range 1-4094, what a trunk allows by default.
pub fn all() -> VlanSet {
    let mut set = VlanSet::new();
    set.insert_range(1, MAX_VLAN);
    set
}

/// Compact range elements (`1`, `10-12`), joined with commas. Two
/// consecutive ids are a range too (`101-102`), as both platforms print them.
pub fn elements(set: &VlanSet) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = set.iter().peekable();
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

    #[test]
    fn the_bitset_behaves_as_a_set() {
        let mut set = VlanSet::new();
        assert!(set.is_empty() && set.insert(4094) && !set.insert(4094));
        set.extend([1, 63, 64, 65, 4094]);
        assert_eq!(set.iter().collect::<Vec<_>>(), [1, 63, 64, 65, 4094]);
        assert_eq!(set.len(), 5);
        assert!(set.contains(64) && !set.contains(2));
        assert!(set.remove(64) && !set.remove(64));
        assert_eq!(format!("{set:?}"), "{1, 63, 65, 4094}");
        let other: VlanSet = [1, 2].into_iter().collect();
        assert_eq!(format(&set.union(&other)), "1-2,63,65,4094");
        assert_eq!(format(&set.difference(&other)), "63,65,4094");
        set.retain(|id| id > 63);
        assert_eq!(set.into_iter().collect::<Vec<_>>(), [65, 4094]);
        assert_eq!(all().len(), 4094);
        assert!(!all().contains(0) && !all().contains(4095));
    }

    #[test]
    fn a_range_is_its_ids_one_by_one() {
        for (low, high) in [
            (1, 1),
            (1, 63),
            (63, 64),
            (64, 127),
            (5, 300),
            (1, 4094),
            (4000, 4095),
        ] {
            let mut by_words = VlanSet::new();
            by_words.insert_range(low, high);
            assert_eq!(by_words, (low..=high).collect::<VlanSet>(), "{low}-{high}");
        }
    }
}

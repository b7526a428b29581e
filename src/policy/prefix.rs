//! Aligned power-of-two blocks: how a TCAM stores a port range (one
//! value/mask entry per block) and how a set of prefixes aggregates into
//! the fewest covering prefixes. One function serves both, so the TCAM
//! estimate and the address groups agree on the arithmetic.

use ipnetwork::Ipv4Network;
use std::net::Ipv4Addr;

/// The fewest aligned blocks that exactly cover `[low, high]`, in order:
/// `(start, log2 of the size)`. `bits` is the width of the number space
/// (16 for ports, 32 for IPv4 addresses).
pub fn aligned_blocks(low: u64, high: u64, bits: u32) -> Vec<(u64, u32)> {
    let mut blocks = Vec::new();
    let mut at = low;
    while at <= high {
        let mut size = if at == 0 {
            bits
        } else {
            at.trailing_zeros().min(bits)
        };
        while size > 0 && at + (1u64 << size) - 1 > high {
            size -= 1;
        }
        blocks.push((at, size));
        at += 1u64 << size;
    }
    blocks
}

/// How many TCAM entries a port range takes (one per aligned block).
pub fn port_range_entries(low: u16, high: u16) -> u64 {
    aligned_blocks(u64::from(low), u64::from(high), 16).len() as u64
}

/// The fewest prefixes covering exactly the union of `prefixes`, sorted.
pub fn aggregate(prefixes: impl IntoIterator<Item = Ipv4Network>) -> Vec<Ipv4Network> {
    let mut ranges: Vec<(u64, u64)> = prefixes
        .into_iter()
        .map(|p| {
            (
                u64::from(u32::from(p.network())),
                u64::from(u32::from(p.broadcast())),
            )
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
    for (low, high) in ranges {
        match merged.last_mut() {
            Some(last) if low <= last.1 + 1 => last.1 = last.1.max(high),
            _ => merged.push((low, high)),
        }
    }
    merged
        .into_iter()
        .flat_map(|(low, high)| aligned_blocks(low, high, 32))
        .map(|(start, size)| {
            Ipv4Network::new(Ipv4Addr::from(start as u32), (32 - size) as u8)
                .expect("an aligned block is a valid prefix")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Ipv4Network {
        text.parse().unwrap()
    }

    #[test]
    fn port_ranges_expand_like_a_tcam() {
        assert_eq!(port_range_entries(443, 443), 1);
        assert_eq!(port_range_entries(0, 65535), 1);
        assert_eq!(port_range_entries(1, 65535), 16);
        // 8000-8099: 8000-8063, 8064-8095, 8096-8099.
        assert_eq!(port_range_entries(8000, 8099), 3);
        assert_eq!(
            aligned_blocks(8000, 8099, 16),
            vec![(8000, 6), (8064, 5), (8096, 2)]
        );
    }

    #[test]
    fn prefixes_aggregate_exactly() {
        let got = aggregate([
            net("10.0.1.0/24"),
            net("10.0.0.0/24"),
            net("10.0.2.0/24"),
            net("10.0.2.0/25"),
            net("192.0.2.0/24"),
        ]);
        assert_eq!(
            got,
            vec![net("10.0.0.0/23"), net("10.0.2.0/24"), net("192.0.2.0/24")]
        );
        assert_eq!(
            aggregate([net("0.0.0.0/1"), net("128.0.0.0/1")]),
            vec![net("0.0.0.0/0")]
        );
        assert!(aggregate([]).is_empty());
    }
}

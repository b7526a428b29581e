//! Shadowed and redundant rules, without comparing every rule with every
//! other one.
//!
//! The policy only allows, so a rule changes nothing when every flow it
//! allows is allowed anyway. A rule's flows are *atoms*: (source end,
//! destination end, protocol class) with an interval of destination ports
//! (`ip` is every class, all ports; `icmp` and "other protocols" are one
//! point each). Atoms with the same key are compared through one painted
//! interval map per key: each port span is labelled with the first rule
//! that covered it. Checking a rule walks only the spans inside its own
//! intervals, so the cost follows the size of the policy, not its square.
//!
//! - **Shadowed** (W011): every flow of the rule is allowed by rules
//!   written before it. One pass in file order.
//! - **Redundant** (W012): not shadowed, and every flow of the rule is
//!   allowed by later rules that are not shadowed. One pass in reverse.
//!
//! Removing every rule reported by either changes no flow: take any flow
//! and the earliest rule allowing it; that rule is not shadowed, and if it
//! is redundant a later non-shadowed rule allows the flow, and so on until
//! a rule that is neither.

use super::{Policy, PolicyRule, SegmentId, Services};
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// Covering rules named in a message, at most.
const NAMED: usize = 3;

/// Protocol classes of an atom.
const TCP: u64 = 0;
const UDP: u64 = 1;
const ICMP: u64 = 2;
const OTHER: u64 = 3;
const ALL_PORTS: (u32, u32) = (0, 65_535);

/// Disjoint port spans sorted by start, each labelled with the rule (index
/// into `Policy::rules`) that painted it first: (start, end, rule). A key
/// rarely has more than a few spans, so a sorted vector beats a tree.
#[derive(Default)]
struct Painted {
    spans: Vec<(u32, u32, u32)>,
}

impl Painted {
    /// Whether `[low, high]` is painted throughout; records the painters.
    fn covers(&self, low: u32, high: u32, painters: &mut BTreeSet<u32>) -> bool {
        let mut at = low;
        let first = self.spans.partition_point(|&(_, end, _)| end < low);
        for &(start, end, rule) in &self.spans[first..] {
            if start > at {
                return false;
            }
            painters.insert(rule);
            if end >= high {
                return true;
            }
            at = end + 1;
        }
        false
    }

    /// Paints the unpainted parts of `[low, high]` with `rule`.
    #[cfg(test)]
    fn paint(&mut self, low: u32, high: u32, rule: u32) {
        Self::paint_spans(&mut self.spans, low, high, rule);
    }

    fn paint_spans(spans: &mut Vec<(u32, u32, u32)>, low: u32, high: u32, rule: u32) {
        let first = spans.partition_point(|&(_, end, _)| end < low);
        let mut at = low;
        let mut gaps = Vec::new();
        for &(start, end, _) in &spans[first..] {
            if start > high {
                break;
            }
            if start > at {
                gaps.push((at, start - 1, rule));
            }
            at = end + 1;
            if at > high {
                break;
            }
        }
        if at <= high {
            gaps.push((at, high, rule));
        }
        if !gaps.is_empty() {
            // The gaps lie between the spans from `first` on: merge them in.
            let tail = spans.split_off(first);
            let mut merged = Vec::with_capacity(tail.len() + gaps.len());
            let (mut t, mut g) = (tail.into_iter().peekable(), gaps.into_iter().peekable());
            loop {
                let next = match (t.peek(), g.peek()) {
                    (Some(a), Some(b)) if a.0 < b.0 => t.next(),
                    (Some(_), Some(_)) | (None, Some(_)) => g.next(),
                    (Some(_), None) => t.next(),
                    (None, None) => break,
                };
                merged.extend(next);
            }
            spans.extend(merged);
        }
    }
}

/// Atom keys are packed integers: one multiply spreads them well enough,
/// and SipHash (built for keys an attacker picks) cost more than the rest
/// of the analysis.
#[derive(Default)]
struct PackedKey(u64);

impl Hasher for PackedKey {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n ^ (n >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }
}

type ByKey = HashMap<u64, Painted, BuildHasherDefault<PackedKey>>;

/// Calls `f(key, low, high)` for every atom of `rule`.
fn atoms(rule: &PolicyRule, internet: SegmentId, mut f: impl FnMut(u64, u32, u32)) {
    let classes = classes(&rule.services);
    let sources = rule
        .from
        .segments
        .iter()
        .copied()
        .chain(rule.from.internet.then_some(internet));
    for source in sources {
        let destinations = rule
            .to
            .segments
            .iter()
            .copied()
            .chain(rule.to.internet.then_some(internet));
        for destination in destinations {
            // Inside one segment, or Internet to Internet: never filtered.
            if source == destination {
                continue;
            }
            let pair = (u64::from(source) << 34) | (u64::from(destination) << 2);
            for &(class, low, high) in &classes {
                f(pair | class, low, high);
            }
        }
    }
}

/// The (class, low, high) intervals of a rule's services.
fn classes(services: &Services) -> Vec<(u64, u32, u32)> {
    if services.ip {
        return vec![
            (TCP, ALL_PORTS.0, ALL_PORTS.1),
            (UDP, ALL_PORTS.0, ALL_PORTS.1),
            (ICMP, 0, 0),
            (OTHER, 0, 0),
        ];
    }
    let ranges = |class: u64, ranges: &[crate::intent::PortRange]| {
        ranges
            .iter()
            .map(move |r| (class, u32::from(r.low), u32::from(r.high)))
            .collect::<Vec<_>>()
    };
    let mut out = ranges(TCP, &services.tcp);
    out.extend(ranges(UDP, &services.udp));
    if services.icmp {
        out.push((ICMP, 0, 0));
    }
    out
}

/// Whether every atom of `rule` is painted in `painted`; the painters go
/// to `by`.
fn covered(
    rule: &PolicyRule,
    internet: SegmentId,
    painted: &ByKey,
    by: &mut BTreeSet<u32>,
) -> bool {
    let mut all = true;
    atoms(rule, internet, |key, low, high| {
        if all {
            all = painted.get(&key).is_some_and(|p| p.covers(low, high, by));
        }
    });
    all
}

fn paint(rule: &PolicyRule, number: u32, internet: SegmentId, painted: &mut ByKey) {
    atoms(rule, internet, |key, low, high| {
        let spans = &mut painted.entry(key).or_default().spans;
        if spans.is_empty() {
            // Most keys are painted once: no gaps to compute.
            spans.push((low, high, number));
        } else {
            Painted::paint_spans(spans, low, high, number);
        }
    });
}

/// What the analysis found, by index into `Policy::rules`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Findings {
    /// Shadowed rule → the earlier rules that allow its flows.
    pub shadowed: BTreeMap<usize, Vec<usize>>,
    /// Redundant rule → the later rules that allow its flows.
    pub redundant: BTreeMap<usize, Vec<usize>>,
}

/// Finds shadowed and redundant rules (see the module documentation).
pub fn analyse(policy: &Policy) -> Findings {
    let internet = policy.segments.len() as SegmentId;
    let mut findings = Findings::default();
    let live: Vec<usize> = (0..policy.rules.len())
        .filter(|&i| policy.rules[i].has_flows() && !policy.rules[i].services.is_empty())
        .collect();

    let mut painted = ByKey::default();
    for &i in &live {
        let rule = &policy.rules[i];
        let mut by = BTreeSet::new();
        if covered(rule, internet, &painted, &mut by) {
            findings
                .shadowed
                .insert(i, by.into_iter().map(|r| r as usize).collect());
        } else {
            paint(rule, i as u32, internet, &mut painted);
        }
    }

    let mut painted = ByKey::default();
    for &i in live.iter().rev() {
        if findings.shadowed.contains_key(&i) {
            continue;
        }
        let rule = &policy.rules[i];
        let mut by = BTreeSet::new();
        if covered(rule, internet, &painted, &mut by) {
            findings
                .redundant
                .insert(i, by.into_iter().map(|r| r as usize).collect());
        }
        paint(rule, i as u32, internet, &mut painted);
    }
    findings
}

/// Reports [`analyse`]'s findings as W011 and W012 at the rules.
pub fn report(policy: &Policy, diagnostics: &mut Diagnostics) {
    let findings = analyse(policy);
    let note = |diagnostic: Diagnostic, by: &[usize], what: &str| {
        let mut diagnostic = diagnostic;
        for &other in by.iter().take(NAMED) {
            diagnostic = diagnostic.related(policy.rules[other].rule.loc, what);
        }
        if by.len() > NAMED {
            diagnostic.message.push_str(&format!(
                " ({} rules take part; the first {NAMED} are named)",
                by.len()
            ));
        }
        diagnostic
    };
    for (&i, by) in &findings.shadowed {
        diagnostics.push(note(
            Diagnostic::warning(
                "W011",
                "this rule is shadowed: every flow it allows is already allowed by earlier rules",
            )
            .at(policy.rules[i].rule.loc)
            .hint("remove it, or change it so that it allows something new"),
            by,
            "allowed by this earlier rule",
        ));
    }
    for (&i, by) in &findings.redundant {
        diagnostics.push(note(
            Diagnostic::warning(
                "W012",
                "this rule is redundant: every flow it allows is also allowed by later rules",
            )
            .at(policy.rules[i].rule.loc)
            .hint("remove it: the later rules allow all of it"),
            by,
            "also allowed by this later rule",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painting_fills_gaps_and_names_the_first_painter() {
        let mut p = Painted::default();
        p.paint(10, 20, 0);
        p.paint(30, 40, 1);
        let mut by = BTreeSet::new();
        assert!(p.covers(12, 18, &mut by));
        assert!(!p.covers(15, 35, &mut by));
        p.paint(0, 100, 2);
        by.clear();
        assert!(p.covers(15, 35, &mut by));
        assert_eq!(by, BTreeSet::from([0, 1, 2]));
        by.clear();
        assert!(p.covers(0, 100, &mut by));
        assert!(!p.covers(0, 101, &mut by));
        // Spans stay disjoint: 0-9, 10-20, 21-29, 30-40, 41-100.
        assert_eq!(p.spans.len(), 5);
        // Painting inside one span changes nothing.
        p.paint(11, 12, 3);
        p.paint(10, 20, 3);
        assert_eq!(p.spans.len(), 5);
        by.clear();
        assert!(p.covers(11, 12, &mut by));
        assert_eq!(by, BTreeSet::from([0]));
    }
}

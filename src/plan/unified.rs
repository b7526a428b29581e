//! A unified diff of two config trees, for humans reading a plan.
//!
//! Lines are compared section by section: the top-level sections are
//! matched first (most are identical, and an interface name or ACL makes a
//! section unique), then the lines of the sections that differ. The lines
//! point into the trees, so a diff of two 200,000-line configs neither
//! copies their text nor compares every line with every other.

use crate::config::Node;
use crate::platform::Dialect;
use similar::{capture_diff_slices, group_diff_ops, Algorithm, DiffOp, DiffTag};
use std::borrow::Borrow;
use std::fmt::Write as _;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A printed line: its indentation level and text (empty for the blank line
/// between sections).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Line<'t> {
    depth: usize,
    text: &'t str,
}

/// One side of the diff: its top-level sections and the index of each
/// one's first printed line (plus the end). Lines are produced from the
/// sections when needed ([`Side::lines`]): only the sections that differ
/// and the context around them are ever listed, never the whole config.
struct Side<'s, N> {
    sections: &'s [N],
    starts: Vec<usize>,
    /// The lines printed after a blank line ([`Dialect::spaced`]).
    spaced: &'s [&'s str],
}

impl<'s, 'n: 's, N: Borrow<Node<'n>>> Side<'s, N> {
    /// Where each section's lines start, as [`crate::config::ConfigTree::to_text`] prints
    /// them (a blank line before a section is its first line).
    fn new(sections: &'s [N], spaced: &'s [&'s str]) -> Self {
        let mut starts = Vec::with_capacity(sections.len() + 1);
        let mut line = 0;
        for (i, node) in sections.iter().enumerate() {
            let node = node.borrow();
            starts.push(line);
            line += usize::from(node.blank_line_before(i, spaced)) + printed_lines(node);
        }
        starts.push(line);
        Side {
            sections,
            starts,
            spaced,
        }
    }

    /// The printed lines `range` (line indices), appended to `out`.
    fn lines(&self, range: std::ops::Range<usize>, out: &mut Vec<Line<'s>>) {
        fn walk<'t>(
            node: &'t Node<'_>,
            depth: usize,
            f: &mut impl FnMut(Line<'t>) -> bool,
        ) -> bool {
            if !f(Line {
                depth,
                text: &node.text,
            }) {
                return false;
            }
            node.children.iter().all(|child| walk(child, depth + 1, f))
        }
        if range.is_empty() {
            return;
        }
        // The section holding the first line: the last one starting at or
        // before it.
        let first = self.starts.partition_point(|s| *s <= range.start) - 1;
        let mut index = self.starts[first];
        for (i, node) in self.sections.iter().enumerate().skip(first) {
            let node = node.borrow();
            let mut take = |line: Line<'s>| {
                if index >= range.end {
                    return false;
                }
                if index >= range.start {
                    out.push(line);
                }
                index += 1;
                true
            };
            if node.blank_line_before(i, self.spaced) && !take(Line { depth: 0, text: "" }) {
                return;
            }
            if !walk(node, 0, &mut take) {
                return;
            }
        }
    }

    fn lines_of(&self, range: std::ops::Range<usize>) -> Vec<Line<'s>> {
        let mut lines = Vec::with_capacity(range.len());
        self.lines(range, &mut lines);
        lines
    }
}

/// The lines `node` prints as (itself and all below it), counted without
/// walking it through a stack of its own.
fn printed_lines(node: &Node<'_>) -> usize {
    1 + node.children.iter().map(printed_lines).sum::<usize>()
}

/// A 64-bit fingerprint of each top-level section (its lines and their
/// depths, eight bytes at a time): matching sections by fingerprint instead
/// of by content keeps the section-level diff cheap on configs of 200,000
/// lines. Equal fingerprints are confirmed by comparing the sections.
fn section_hashes<'n, N: Borrow<Node<'n>>>(sections: &[N]) -> Vec<u64> {
    fn mix(hash: u64, word: u64) -> u64 {
        (hash ^ word)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29)
    }
    fn hash_node(node: &Node<'_>, depth: u64, mut hash: u64) -> u64 {
        let bytes = node.text.as_bytes();
        hash = mix(hash, depth << 32 | bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            hash = mix(hash, u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        hash = mix(hash, u64::from_le_bytes(tail));
        for child in &node.children {
            hash = hash_node(child, depth + 1, hash);
        }
        hash
    }
    sections
        .iter()
        .map(|node| hash_node(node.borrow(), 0, 0))
        .collect()
}

/// `---`/`+++` headers and `@@` hunks; empty when the trees print the same.
/// `old` and `new` are top-level sections of a tree (its nodes, or
/// sections borrowed from trees); lines are printed as `dialect`'s
/// platform prints them: [`Dialect::indent`] spaces a level, a blank line
/// before each section and each line [`Dialect::spaced`] names.
pub fn unified_diff<'n, A: Borrow<Node<'n>>, B: Borrow<Node<'n>>>(
    old: &[A],
    new: &[B],
    (old_name, new_name): (&str, &str),
    dialect: &dyn Dialect,
) -> String {
    let (indent, spaced) = (dialect.indent(), dialect.spaced());
    let (old_side, new_side) = (Side::new(old, spaced), Side::new(new, spaced));
    let mut ops: Vec<DiffOp> = Vec::new();
    let (old_hashes, new_hashes) = (section_hashes(old), section_hashes(new));
    for op in capture_diff_slices(Algorithm::Patience, &old_hashes, &new_hashes) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_lines_range = old_side.starts[old_range.start]..old_side.starts[old_range.end];
        let new_lines_range = new_side.starts[new_range.start]..new_side.starts[new_range.end];
        // Equal hashes are checked: a collision only costs a line diff.
        let equal = tag == DiffTag::Equal
            && old_range.len() == new_range.len()
            && old[old_range.clone()]
                .iter()
                .zip(&new[new_range.clone()])
                .all(|(a, b)| a.borrow() == b.borrow())
            && old_lines_range.len() == new_lines_range.len();
        if equal {
            push(
                &mut ops,
                DiffOp::Equal {
                    old_index: old_lines_range.start,
                    new_index: new_lines_range.start,
                    len: old_lines_range.len(),
                },
            );
            continue;
        }
        // Different sections, or equal ones whose blank separator differs:
        // their lines, listed for this comparison only.
        let (old_at, new_at) = (old_lines_range.start, new_lines_range.start);
        let old_lines = old_side.lines_of(old_lines_range);
        let new_lines = new_side.lines_of(new_lines_range);
        for line_op in capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines) {
            push(&mut ops, shifted(line_op, old_at, new_at));
        }
    }
    if ops.iter().all(|op| op.tag() == DiffTag::Equal) {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    let mut lines = Vec::new();
    for group in group_diff_ops(ops, CONTEXT) {
        let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&group));
        for op in &group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let marker = if tag == DiffTag::Equal { ' ' } else { '-' };
            lines.clear();
            old_side.lines(old_range, &mut lines);
            write_lines(&mut out, marker, &lines, indent);
            if tag != DiffTag::Equal {
                lines.clear();
                new_side.lines(new_range, &mut lines);
                write_lines(&mut out, '+', &lines, indent);
            }
        }
    }
    out
}

/// `op`, found among lines listed from `old_at` and `new_at`, in the
/// indices of the whole sides.
fn shifted(op: DiffOp, old_at: usize, new_at: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + old_at,
            new_index: new_index + new_at,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + old_at,
            old_len,
            new_index: new_index + new_at,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + old_at,
            new_index: new_index + new_at,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + old_at,
            old_len,
            new_index: new_index + new_at,
            new_len,
        },
    }
}

fn write_lines(out: &mut String, marker: char, lines: &[Line<'_>], indent: usize) {
    for line in lines {
        // A banner is one node of several lines: each gets the marker.
        for (i, part) in line.text.split('\n').enumerate() {
            out.push(marker);
            if i == 0 {
                out.extend(std::iter::repeat_n(' ', line.depth * indent));
            }
            out.push_str(part);
            out.push('\n');
        }
    }
}

/// Appends `op`, merging it into a preceding equal run so that context is
/// trimmed across section boundaries.
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    if let (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) = (ops.last_mut(), op)
    {
        *len += more;
        return;
    }
    if op.old_range().is_empty() && op.new_range().is_empty() {
        return;
    }
    ops.push(op);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ConfigTree;

    fn tree(text: &str) -> ConfigTree<'_> {
        crate::config::parse(text, crate::platform::Platform::default()).unwrap()
    }

    fn dialect() -> &'static dyn crate::platform::Dialect {
        crate::platform::Platform::default().dialect().unwrap()
    }

    /// Every range of lines listed from the sections is that range of the
    /// printed config: the blank lines between sections, nesting, a banner
    /// of several lines.
    #[test]
    fn listed_lines_are_the_printed_lines() {
        let config = tree(
            "hostname a\nfeature lacp\ninterface Ethernet1/1\n  description x\n  switchport\nbanner motd #\nhello\nthere\n#\nrouter bgp 1\n  neighbor 10.0.0.1\n    remote-as 2\n  router-id 1.1.1.1\nip route 0.0.0.0/0 10.0.0.1\ninterface Ethernet1/2\n",
        );
        let printed = config.to_text(dialect());
        let mut expected: Vec<String> = Vec::new();
        // A banner's lines after its first are part of its one line.
        for line in printed.split_inclusive('\n') {
            match expected.last_mut() {
                Some(banner)
                    if banner.starts_with("banner ") && banner.matches('#').count() < 2 =>
                {
                    banner.push_str(line)
                }
                _ => expected.push(line.to_string()),
            }
        }
        let side = Side::new(&config.nodes, dialect().spaced());
        assert_eq!(side.starts.len(), config.nodes.len() + 1);
        assert_eq!(side.starts.last(), Some(&expected.len()));
        let render = |lines: &[Line<'_>]| -> Vec<String> {
            lines
                .iter()
                .map(|l| format!("{}{}\n", " ".repeat(l.depth * dialect().indent()), l.text))
                .collect()
        };
        for start in 0..=expected.len() {
            for end in start..=expected.len() {
                assert_eq!(
                    render(&side.lines_of(start..end)),
                    expected[start..end],
                    "lines {start}..{end}"
                );
            }
        }
    }

    #[test]
    fn a_change_shows_with_context_across_sections() {
        let old = tree("hostname a\nvlan 10\n  name x\nvlan 20\n  name y\nvlan 30\n  name z\n");
        let new = tree("hostname a\nvlan 10\n  name x\nvlan 20\n  name w\nvlan 30\n  name z\n");
        assert_eq!(
            unified_diff(&old.nodes, &new.nodes, ("r", "i"), dialect()),
            "--- r\n+++ i\n@@ -4,7 +4,7 @@\n   name x\n \n vlan 20\n-  name y\n+  name w\n \n vlan 30\n   name z\n"
        );
        assert_eq!(
            unified_diff(&old.nodes, &old.nodes, ("r", "i"), dialect()),
            ""
        );
    }
}

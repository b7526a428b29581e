//! A unified diff of two config trees, for humans reading a plan.
//!
//! Lines are compared section by section: the top-level sections are
//! matched first (most are identical, and an interface name or ACL makes a
//! section unique), then the lines of the sections that differ. The lines
//! point into the trees, so a diff of two 200,000-line configs neither
//! copies their text nor compares every line with every other.

use crate::config::Node;
use similar::{capture_diff, capture_diff_slices, group_diff_ops, Algorithm, DiffOp, DiffTag};
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

/// The lines of `tree` as [`ConfigTree::to_text`] prints them, and where
/// each top-level section starts (plus the end).
fn lines_of<'t, 'n: 't, N: Borrow<Node<'n>>>(sections: &'t [N]) -> (Vec<Line<'t>>, Vec<usize>) {
    fn walk<'t>(node: &'t Node<'_>, depth: usize, lines: &mut Vec<Line<'t>>) {
        lines.push(Line {
            depth,
            text: &node.text,
        });
        for child in &node.children {
            walk(child, depth + 1, lines);
        }
    }
    let mut lines = Vec::new();
    let mut starts = Vec::with_capacity(sections.len() + 1);
    for (i, node) in sections.iter().enumerate() {
        let node = node.borrow();
        starts.push(lines.len());
        if node.blank_line_before(i) {
            lines.push(Line { depth: 0, text: "" });
        }
        walk(node, 0, &mut lines);
    }
    starts.push(lines.len());
    (lines, starts)
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
/// sections borrowed from trees).
pub fn unified_diff<'n, A: Borrow<Node<'n>>, B: Borrow<Node<'n>>>(
    old: &[A],
    new: &[B],
    (old_name, new_name): (&str, &str),
) -> String {
    let (old_lines, old_starts) = lines_of(old);
    let (new_lines, new_starts) = lines_of(new);
    let mut ops: Vec<DiffOp> = Vec::new();
    let (old_hashes, new_hashes) = (section_hashes(old), section_hashes(new));
    for op in capture_diff_slices(Algorithm::Patience, &old_hashes, &new_hashes) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_lines_range = old_starts[old_range.start]..old_starts[old_range.end];
        let new_lines_range = new_starts[new_range.start]..new_starts[new_range.end];
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
        // Different sections, or equal ones whose blank separator differs.
        for line_op in capture_diff(
            Algorithm::Myers,
            &old_lines,
            old_lines_range,
            &new_lines,
            new_lines_range,
        ) {
            push(&mut ops, line_op);
        }
    }
    if ops.iter().all(|op| op.tag() == DiffTag::Equal) {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    for group in group_diff_ops(ops, CONTEXT) {
        let _ = writeln!(out, "{}", similar::udiff::UnifiedHunkHeader::new(&group));
        for op in &group {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                write_lines(&mut out, ' ', &old_lines[old_range]);
            } else {
                write_lines(&mut out, '-', &old_lines[old_range]);
                write_lines(&mut out, '+', &new_lines[new_range]);
            }
        }
    }
    out
}

fn write_lines(out: &mut String, marker: char, lines: &[Line<'_>]) {
    for line in lines {
        // A banner is one node of several lines: each gets the marker.
        for (i, part) in line.text.split('\n').enumerate() {
            out.push(marker);
            if i == 0 {
                for _ in 0..line.depth {
                    out.push_str("  ");
                }
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

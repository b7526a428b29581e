//! Which platform a configuration text comes from, told by the signs its
//! `show running-config` leaves: a management port named `Management1`, a
//! `feature` line, three spaces of indentation. liaison reads a config as
//! the dialect of the switch it belongs to; a config of another platform
//! read that way is nonsense (an EOS banner becomes commands, its
//! `Management1` a port to delete), so it is refused before it is parsed.
//!
//! The signs are data, one table per platform, kept in the platform's own
//! file with the public config each one was seen in; this module only
//! weighs them.
//!
//! The decision: each sign found counts its weight once, however often it
//! occurs. A config is refused as another platform's when that platform's
//! evidence reaches [`THRESHOLD`] and is at least twice the evidence for
//! the platform it was expected to be ([`FOREIGN_RATIO`]). A sign the
//! expected platform's CLI would refuse outright (`vrf instance`,
//! `interface Management1` on NX-OS) weighs [`THRESHOLD`] on its own;
//! habits of style (indentation, a closing `end`, port names the other CLI
//! would also accept) weigh less and only count together. An ambiguous or
//! tiny config (`hostname a`) carries no evidence and is read as asked.

use crate::inventory::Platform;
use regex::bytes::Regex;
use std::sync::OnceLock;

/// Evidence that decides a config is another platform's (see the module
/// documentation).
pub const THRESHOLD: u32 = 10;

/// How many times the evidence for the expected platform another
/// platform's evidence must reach: a config with signs of both (a
/// hand-written snippet, a tool's normalised output) is read as asked.
pub const FOREIGN_RATIO: u32 = 2;

/// The most characters of the revealing line an error quotes.
const QUOTE_CHARS: usize = 120;

/// How a sign shows in the text.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A line (its indentation included, trailing blanks and a CR not)
    /// matching this regular expression.
    Line(&'static str),
    /// The last configuration line (blank and `!` comment lines aside)
    /// is exactly this.
    LastLine(&'static str),
    /// The lines directly below a top-level command are indented by this
    /// many spaces more often than by any other width.
    Indent(usize),
}

/// One sign of a platform's configuration text.
#[derive(Clone, Copy, Debug)]
pub struct Sign {
    pub shape: Shape,
    /// Evidence it adds (see [`THRESHOLD`]).
    pub weight: u32,
    /// What it shows, for the error: "EOS names its management port
    /// `Management1` (NX-OS: `mgmt0`)".
    pub meaning: &'static str,
    /// Where it is seen: public configs of the corpus, documentation.
    pub source: &'static str,
}

/// A platform's signs.
#[derive(Debug)]
pub struct Signatures {
    /// The platform as an engineer names it: "Arista EOS".
    pub name: &'static str,
    pub signs: &'static [Sign],
}

/// A config that is another platform's: what it looks like, and the sign
/// that weighs most (the first in the text among equals).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Foreign {
    pub platform: Platform,
    /// 1-based line of the revealing sign; 0 for a sign of the whole text
    /// with no line of its own.
    pub line: usize,
    /// That line, cut to a readable length.
    pub text: String,
    pub meaning: &'static str,
    /// Signs found besides it.
    pub more: usize,
    /// The evidence for the other platform and for the expected one.
    pub score: u32,
    pub expected_score: u32,
}

/// A sign found in a text.
struct Found {
    sign: &'static Sign,
    line: usize,
    text: String,
}

/// Every platform's signs, regular expressions compiled.
struct Compiled {
    platforms: Vec<(Platform, &'static Signatures)>,
    /// Every `Shape::Line` sign of every platform, with its platform (an
    /// index of `platforms`), to find the first line of those that occur.
    /// One search each: the literal words of a sign make an absent one a
    /// fast scan, and a present one is found near the top. (A `RegexSet`
    /// telling which occur first took three times as long on a
    /// 200,000-line config: its one pass cannot skip ahead.)
    lines: Vec<(usize, &'static Sign, Regex)>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let platforms: Vec<(Platform, &'static Signatures)> =
            Platform::ALL.iter().map(|&p| (p, p.signatures())).collect();
        let mut lines = Vec::new();
        for (index, (_, signatures)) in platforms.iter().enumerate() {
            for sign in signatures.signs {
                if let Shape::Line(pattern) = sign.shape {
                    lines.push((index, sign, line_regex(pattern)));
                }
            }
        }
        Compiled { platforms, lines }
    })
}

/// `pattern` matched against whole lines of a text: `^`/`$` at line ends,
/// `\r\n` read as one; classes are ASCII (configs are), which keeps the
/// search a DFA.
fn line_regex(pattern: &str) -> Regex {
    Regex::new(&format!("(?mR-u){pattern}"))
        .expect("the sign tables hold valid regular expressions")
}

/// The platform `text` is, when it clearly is not `expected` (see the
/// module documentation for the rule).
pub fn foreign(text: &str, expected: Platform) -> Option<Foreign> {
    let compiled = compiled();
    let mut found = signs_in(compiled, text);
    let score = |signs: &[Found]| signs.iter().map(|f| f.sign.weight).sum::<u32>();
    let expected_score = compiled
        .platforms
        .iter()
        .zip(&found)
        .filter(|((p, _), _)| *p == expected)
        .map(|(_, signs)| score(signs))
        .sum::<u32>();
    let (index, foreign_score) = compiled
        .platforms
        .iter()
        .zip(&found)
        .enumerate()
        .filter(|(_, ((p, _), _))| *p != expected)
        .map(|(i, (_, signs))| (i, score(signs)))
        .max_by_key(|(i, score)| (*score, std::cmp::Reverse(*i)))?;
    if foreign_score < THRESHOLD || foreign_score < FOREIGN_RATIO * expected_score {
        return None;
    }
    let signs = std::mem::take(&mut found[index]);
    let more = signs.len() - 1;
    let revealing = signs
        .into_iter()
        .min_by_key(|f| (std::cmp::Reverse(f.sign.weight), f.line == 0, f.line))?;
    Some(Foreign {
        platform: compiled.platforms[index].0,
        line: revealing.line,
        text: revealing.text,
        meaning: revealing.sign.meaning,
        more,
        score: foreign_score,
        expected_score,
    })
}

/// The signs of each platform (in the order of `compiled.platforms`) in
/// `text`.
fn signs_in(compiled: &Compiled, text: &str) -> Vec<Vec<Found>> {
    let mut found: Vec<Vec<Found>> = compiled.platforms.iter().map(|_| Vec::new()).collect();
    let bytes = text.as_bytes();
    // Where each sign that occurs first does, in table order.
    let hits: Vec<(usize, usize)> = compiled
        .lines
        .iter()
        .enumerate()
        .filter_map(|(index, (_, _, regex))| Some((index, regex.find(bytes)?.start())))
        .collect();
    let lines = line_numbers(bytes, hits.iter().map(|(_, at)| *at));
    for ((index, at), line) in hits.into_iter().zip(lines) {
        let (platform, sign, _) = &compiled.lines[index];
        // The whole line: cut at line ends, which are character
        // boundaries wherever the match starts.
        let start = bytes[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(text.len(), |i| at + i);
        found[*platform].push(Found {
            sign,
            line,
            text: quoted(&text[start..end]),
        });
    }
    let shape = TextShape::of(text);
    for ((_, signatures), found) in compiled.platforms.iter().zip(&mut found) {
        for sign in signatures.signs {
            match sign.shape {
                Shape::Line(_) => {}
                Shape::LastLine(line) => {
                    if let Some((number, last)) = shape.last_line.filter(|(_, l)| *l == line) {
                        found.push(Found {
                            sign,
                            line: number,
                            text: quoted(last),
                        });
                    }
                }
                Shape::Indent(width) => {
                    if let Some((_, number, line)) =
                        shape.indent.filter(|(dominant, _, _)| *dominant == width)
                    {
                        found.push(Found {
                            sign,
                            line: number,
                            text: quoted(line),
                        });
                    }
                }
            }
        }
    }
    found
}

/// The 1-based line of each of `offsets` (in any order) in `bytes`,
/// counted in one pass: a config of 200,000 lines has a dozen signs.
fn line_numbers(bytes: &[u8], offsets: impl Iterator<Item = usize>) -> Vec<usize> {
    let offsets: Vec<usize> = offsets.collect();
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|i| offsets[*i]);
    let mut lines = vec![0; offsets.len()];
    let (mut counted, mut line) = (0, 1);
    for i in order {
        line += bytes[counted..offsets[i]]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted = offsets[i];
        lines[i] = line;
    }
    lines
}

fn quoted(line: &str) -> String {
    let line = line.trim_end();
    match line.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// What the text looks like as a whole, measured in one pass.
struct TextShape<'t> {
    /// The last configuration line and its number.
    last_line: Option<(usize, &'t str)>,
    /// The most frequent indentation of the lines directly below a
    /// top-level command (the narrower among equals), with the first such
    /// line and its number.
    indent: Option<(usize, usize, &'t str)>,
}

impl<'t> TextShape<'t> {
    fn of(text: &'t str) -> TextShape<'t> {
        // Widths 1-8: wider first levels are not a CLI's indentation unit.
        let mut counts = [0usize; 9];
        let mut first: [Option<(usize, &str)>; 9] = [None; 9];
        let mut last_line = None;
        // The indentation of the first level of the current top-level
        // section: set by its first indented line.
        let mut first_level: Option<usize> = None;
        let mut in_section = false;
        for (index, line) in text.lines().enumerate() {
            let line = line.trim_end();
            let content = line.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('!') {
                continue;
            }
            let width = line.len() - content.len();
            last_line = Some((index + 1, line));
            if width == 0 {
                in_section = true;
                first_level = None;
                continue;
            }
            if !in_section || *first_level.get_or_insert(width) != width || width >= counts.len() {
                continue;
            }
            counts[width] += 1;
            first[width].get_or_insert((index + 1, line));
        }
        let indent = (1..counts.len())
            .filter(|w| counts[*w] > 0)
            .max_by_key(|w| (counts[*w], std::cmp::Reverse(*w)))
            .and_then(|w| first[w].map(|(number, line)| (w, number, line)));
        TextShape { last_line, indent }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sign_table_compiles() {
        for (_, signatures) in &compiled().platforms {
            assert!(!signatures.signs.is_empty(), "{}", signatures.name);
            assert!(signatures.signs.iter().all(|s| s.weight > 0));
        }
    }

    #[test]
    fn the_dominant_first_level_indentation_is_measured() {
        let shape = TextShape::of("a\n   b\n   c\nd\n  e\n!\nend\n");
        assert_eq!(shape.indent.map(|(w, n, _)| (w, n)), Some((3, 2)));
        assert_eq!(shape.last_line, Some((7, "end")));
        // Deeper lines do not count: only those right below a top-level one.
        let shape = TextShape::of("a\n  b\n     c\n     d\n");
        assert_eq!(shape.indent.map(|(w, _, _)| w), Some(2));
        assert!(TextShape::of("hostname a\n").indent.is_none());
    }

    #[test]
    fn line_numbers_of_offsets_in_any_order() {
        let text = b"a\nbb\n\nccc\nd";
        let offsets = [9, 0, 2, 5, 6, 3, 10];
        assert_eq!(
            line_numbers(text, offsets.into_iter()),
            [4, 1, 2, 3, 4, 2, 5]
        );
        assert!(line_numbers(text, std::iter::empty()).is_empty());
    }

    #[test]
    fn long_lines_are_quoted_in_part() {
        let quote = quoted(&"x".repeat(500));
        assert_eq!(quote.chars().count(), QUOTE_CHARS + 1);
        assert!(quote.ends_with('…'));
    }
}

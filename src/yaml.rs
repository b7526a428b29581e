//! A small located YAML tree built from `saphyr-parser` events.
//!
//! We build our own tree instead of deserializing straight into typed structs
//! so that one pass can report *every* problem of a file (each unknown key,
//! each wrong type) with its line and column, and so that duplicate keys and
//! alias expansion are under our control: a duplicate key is an error that
//! points at both places, and aliases are expanded against a node budget so
//! a "billion laughs" file fails fast with bounded memory.

use crate::diag::{Diagnostic, FileId, Loc};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

/// Nodes that alias expansion may add on top of the nodes written in the
/// file. Real inventories use aliases sparingly; a file over this is an
/// alias bomb, not an inventory.
const ALIAS_EXPANSION_BUDGET: usize = 100_000;

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Null,
    /// A scalar; `quoted` tells whether it was written in quotes, so that
    /// `"yes"` stays a string and `yes` can be read as a boolean.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Keys are scalars (YAML allows complex keys; inventories never need
    /// them and they are refused while parsing).
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug)]
pub struct Key {
    pub text: String,
    pub loc: Loc,
}

impl Node {
    pub fn describe_kind(&self) -> &'static str {
        self.kind.describe()
    }
}

impl NodeKind {
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing (null)",
            NodeKind::Scalar { .. } => "a value",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// Parse one file. Returns the root node (None for an empty file, or when
/// a fatal problem stopped the file) and every problem found. Syntax errors
/// stop the file, since nothing after them can be trusted; a duplicate key
/// does not: it is reported and the first value is kept, so the rest of the
/// file is still read and checked.
pub fn parse(file: FileId, text: &str) -> (Option<Node>, Vec<Diagnostic>) {
    let mut builder = Builder {
        file,
        text,
        anchors: HashMap::new(),
        expanded: 0,
        problems: Vec::new(),
    };
    let root = match builder.document() {
        Ok(root) => root,
        Err(fatal) => {
            builder.problems.push(fatal);
            None
        }
    };
    (root, builder.problems)
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    anchors: HashMap<usize, Node>,
    expanded: usize,
    /// Problems that do not stop the file.
    problems: Vec<Diagnostic>,
}

/// A mapping being built.
struct MapFrame {
    loc: Loc,
    anchor: usize,
    entries: Vec<(Key, Node)>,
    /// Where each key was first written, to find duplicates without a
    /// quadratic scan.
    seen: HashMap<String, Loc>,
    /// The key waiting for its value, and whether that value is kept (a
    /// duplicate key's value is dropped).
    pending: Option<(Key, bool)>,
}

enum Frame {
    Seq(Loc, usize, Vec<Node>),
    Map(MapFrame),
}

impl Builder<'_> {
    fn loc(&self, span: &Span) -> Loc {
        let line = span.start.line().max(1) as u32;
        let col = span.start.col() as u32 + 1;
        let width = if span.end.line() == span.start.line() {
            span.end.col().saturating_sub(span.start.col()).max(1) as u32
        } else {
            1
        };
        Loc {
            file: self.file,
            line,
            col,
            width,
        }
    }

    /// Where a collection starts: one character, its extent is unknown yet.
    fn start_loc(&self, span: &Span) -> Loc {
        Loc {
            width: 1,
            ..self.loc(span)
        }
    }

    fn error_at(&self, line: usize, col: usize, message: String) -> Diagnostic {
        Diagnostic::error("E001", message)
            .at(Loc {
                file: self.file,
                line: line.max(1) as u32,
                col: col as u32 + 1,
                width: 1,
            })
            .hint("fix the YAML syntax at this place; `yamllint` shows the structure")
    }

    fn document(&mut self) -> Result<Option<Node>, Diagnostic> {
        let mut parser = Parser::new_from_str(self.text);
        let mut stack: Vec<Frame> = Vec::new();
        let mut root: Option<Node> = None;
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| {
                let m = e.marker();
                self.error_at(
                    m.line(),
                    m.col(),
                    format!("YAML syntax error: {}", e.info()),
                )
            })?;
            let node = match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {
                    continue
                }
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(Diagnostic::error(
                            "E001",
                            "more than one YAML document in one file",
                        )
                        .at(self.loc(&span))
                        .hint("put each document in a file of its own; files in the inventory directory are merged"));
                    }
                    continue;
                }
                Event::Scalar(text, style, anchor, _tag) => {
                    let loc = self.loc(&span);
                    let quoted = style != ScalarStyle::Plain;
                    let kind = if !quoted && matches!(&*text, "" | "~" | "null" | "Null" | "NULL") {
                        NodeKind::Null
                    } else {
                        NodeKind::Scalar {
                            text: text.into_owned(),
                            quoted,
                        }
                    };
                    let node = Node { kind, loc };
                    if anchor > 0 {
                        self.anchors.insert(anchor, node.clone());
                    }
                    node
                }
                Event::Alias(anchor) => {
                    let Some(target) = self.anchors.get(&anchor) else {
                        return Err(Diagnostic::error("E001", "alias to an unknown anchor")
                            .at(self.loc(&span)));
                    };
                    self.expanded += count_nodes(target);
                    if self.expanded > ALIAS_EXPANSION_BUDGET {
                        return Err(Diagnostic::error(
                            "E006",
                            format!(
                                "YAML aliases expand to more than {ALIAS_EXPANSION_BUDGET} nodes"
                            ),
                        )
                        .at(self.loc(&span))
                        .hint("this looks like an alias bomb; write the values out or use fewer nested aliases"));
                    }
                    let mut node = target.clone();
                    node.loc = self.loc(&span);
                    node
                }
                Event::SequenceStart(anchor, _) => {
                    stack.push(Frame::Seq(self.start_loc(&span), anchor, Vec::new()));
                    continue;
                }
                Event::MappingStart(anchor, _) => {
                    stack.push(Frame::Map(MapFrame {
                        loc: self.start_loc(&span),
                        anchor,
                        entries: Vec::new(),
                        seen: HashMap::new(),
                        pending: None,
                    }));
                    continue;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let node = match stack.pop() {
                        Some(Frame::Seq(loc, anchor, items)) => (
                            anchor,
                            Node {
                                kind: NodeKind::Seq(items),
                                loc,
                            },
                        ),
                        Some(Frame::Map(map)) => (
                            map.anchor,
                            Node {
                                kind: NodeKind::Map(map.entries),
                                loc: map.loc,
                            },
                        ),
                        None => continue,
                    };
                    if node.0 > 0 {
                        self.anchors.insert(node.0, node.1.clone());
                    }
                    node.1
                }
            };
            // Attach the finished node to its parent.
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq(_, _, items)) => items.push(node),
                Some(Frame::Map(map)) => match map.pending.take() {
                    Some((key, true)) => map.entries.push((key, node)),
                    Some((_, false)) => {}
                    None => {
                        let NodeKind::Scalar { text, .. } = node.kind else {
                            return Err(Diagnostic::error(
                                "E001",
                                format!(
                                    "a mapping key must be a plain value, not {}",
                                    node.describe_kind()
                                ),
                            )
                            .at(node.loc));
                        };
                        let keep = match map.seen.get(&text) {
                            Some(first) => {
                                self.problems.push(
                                    Diagnostic::error("E002", format!("duplicate key `{text}`"))
                                        .at(node.loc)
                                        .related(*first, "first defined here")
                                        .hint("remove one of the two; YAML would silently keep only the last"),
                                );
                                false
                            }
                            None => {
                                map.seen.insert(text.clone(), node.loc);
                                true
                            }
                        };
                        map.pending = Some((
                            Key {
                                text,
                                loc: node.loc,
                            },
                            keep,
                        ));
                    }
                },
            }
        }
        Ok(root)
    }
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.kind {
        NodeKind::Seq(items) => items.iter().map(count_nodes).sum(),
        NodeKind::Map(entries) => entries.iter().map(|(_, v)| 1 + count_nodes(v)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The root, or the first problem.
    fn parse_str(text: &str) -> Result<Option<Node>, Diagnostic> {
        match parse(FileId(0), text) {
            (root, problems) if problems.is_empty() => Ok(root),
            (_, mut problems) => Err(problems.remove(0)),
        }
    }

    #[test]
    fn keeps_line_and_column_of_values() {
        let root = parse_str("a:\n  b: 12\n").unwrap().unwrap();
        let NodeKind::Map(entries) = root.kind else {
            panic!()
        };
        let NodeKind::Map(inner) = &entries[0].1.kind else {
            panic!()
        };
        assert_eq!((inner[0].1.loc.line, inner[0].1.loc.col), (2, 6));
        assert_eq!(inner[0].1.loc.width, 2);
    }

    #[test]
    fn duplicate_key_points_at_both() {
        let err = parse_str("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.code, "E002");
        assert_eq!(err.related[0].0.line, 1);
    }

    #[test]
    fn duplicate_key_keeps_the_first_value_and_the_rest_of_the_file() {
        let (root, problems) = parse(FileId(0), "a: 1\na: 2\nb: {c: 1, c: 2, d: 3}\n");
        let lines: Vec<_> = problems
            .iter()
            .map(|p| match p.place {
                Some(crate::diag::Place::Source(loc)) => (p.code, loc.line),
                _ => panic!("no location"),
            })
            .collect();
        assert_eq!(lines, [("E002", 2), ("E002", 3)]);
        let NodeKind::Map(entries) = root.unwrap().kind else {
            panic!()
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.text.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
        assert!(matches!(&entries[0].1.kind, NodeKind::Scalar { text, .. } if text == "1"));
        assert!(matches!(&entries[1].1.kind, NodeKind::Map(inner) if inner.len() == 2));
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_str(&text).unwrap_err();
        assert_eq!(err.code, "E006");
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse_str("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.code, "E001");
        assert!(matches!(err.place, Some(crate::diag::Place::Source(_))));
    }
}

//! Device configuration text as a tree: `show running-config` output (or an
//! intended config) parsed by indentation, with the platform dialect's
//! derived and wrapped lines normalised away (see
//! [`crate::platform::Dialect`]), so two configs that mean the same thing
//! give equal trees.
//!
//! Printing a tree gives canonical config text; parsing that text again
//! gives the same tree (parse → print → parse is lossless).

pub mod acl_ports;
pub mod key;
pub mod signature;

use crate::platform::{Dialect, Platform};
use std::borrow::Cow;
use std::fmt;

/// One configuration line and the lines indented under it (a section such
/// as `interface Ethernet1/1`, or a plain command with no children).
///
/// The text borrows from the config text it was parsed from (`'t`) unless
/// normalisation rewrote it: a config of 200,000 lines is then parsed
/// without copying every line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node<'t> {
    /// The command without indentation or trailing blanks. A banner keeps
    /// its whole multi-line text here.
    pub text: Cow<'t, str>,
    pub children: Vec<Node<'t>>,
}

impl<'t> Node<'t> {
    pub fn new(text: impl Into<Cow<'t, str>>) -> Self {
        Node {
            text: text.into(),
            children: Vec::new(),
        }
    }

    pub fn with_children(text: impl Into<Cow<'t, str>>, children: Vec<Node<'t>>) -> Self {
        Node {
            text: text.into(),
            children,
        }
    }

    /// The same node, owning its text.
    pub fn into_owned(self) -> Node<'static> {
        Node {
            text: Cow::Owned(self.text.into_owned()),
            children: self.children.into_iter().map(Node::into_owned).collect(),
        }
    }

    pub fn is_section(&self) -> bool {
        !self.children.is_empty()
    }

    /// Whether the printed text has a blank line before this node when it
    /// is top-level node `position`: before a section, and before a line
    /// starting with one of `spaced` ([`Dialect::spaced`]).
    pub fn blank_line_before(&self, position: usize, spaced: &[&str]) -> bool {
        position > 0 && (self.is_section() || spaced.iter().any(|p| self.text.starts_with(p)))
    }

    /// This node and everything below it, depth first.
    pub fn walk(&self) -> impl Iterator<Item = &Node<'t>> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let node = stack.pop()?;
            stack.extend(node.children.iter().rev());
            Some(node)
        })
    }
}

/// What a switch does with an interface whose config does not say: the
/// settings `show running-config` hides because they are the default.
/// Which values a platform has, and where they come from, is platform
/// knowledge (`nxos::defaults`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortDefaults {
    /// Physical ports and port-channels are Layer 2 (switched) unless
    /// configured otherwise; else they are routed.
    pub switched: bool,
    /// Layer-2 ports are administratively down unless configured otherwise.
    pub switched_shutdown: bool,
}

/// Port defaults as one source knows them (a device's answer, a config
/// line, the inventory): each setting may be unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartialPortDefaults {
    pub switched: Option<bool>,
    pub switched_shutdown: Option<bool>,
}

impl PartialPortDefaults {
    /// Each setting from `self` when known, else from `fallback`.
    pub fn or(self, fallback: PartialPortDefaults) -> PartialPortDefaults {
        PartialPortDefaults {
            switched: self.switched.or(fallback.switched),
            switched_shutdown: self.switched_shutdown.or(fallback.switched_shutdown),
        }
    }

    /// The settings, those still unknown taken from `fallback`.
    pub fn resolve(self, fallback: PortDefaults) -> PortDefaults {
        PortDefaults {
            switched: self.switched.unwrap_or(fallback.switched),
            switched_shutdown: self.switched_shutdown.unwrap_or(fallback.switched_shutdown),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.switched.is_none() && self.switched_shutdown.is_none()
    }
}

/// A whole device configuration: its top-level lines in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigTree<'t> {
    pub nodes: Vec<Node<'t>>,
}

impl<'t> ConfigTree<'t> {
    /// The same tree, owning its text.
    pub fn into_owned(self) -> ConfigTree<'static> {
        ConfigTree {
            nodes: self.nodes.into_iter().map(Node::into_owned).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The number of configuration lines (every node at every depth).
    pub fn line_count(&self) -> usize {
        self.nodes.iter().map(|n| n.walk().count()).sum()
    }
}

/// Why a config could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the config text.
    pub line: usize,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// `platform`'s configs cannot be read (it has no dialect yet).
    pub fn unreadable(platform: Platform) -> Self {
        ParseError {
            line: 1,
            message: format!(
                "liaison cannot read {} configs yet",
                platform.signatures().name
            ),
            hint: "give the config of a platform liaison reads".into(),
        }
    }
}

/// A line of input that carries configuration, with its indentation and
/// its 1-based line number.
struct RawLine<'a> {
    line: usize,
    indent: usize,
    text: Cow<'a, str>,
}

/// The deepest nesting of sections a config may have. NX-OS nests a few
/// levels (`router bgp` / `neighbor` / `address-family` is the deepest of
/// the public corpus, 3 below the top); much deeper text is not a device
/// config, and refusing it keeps every recursive walk of the tree (merge,
/// print, compare, drop) within a small stack.
pub const MAX_DEPTH: usize = 64;

/// Parses `platform`'s config text (`show running-config`, a checkpoint, a
/// saved console capture or an intended config) into a normalised tree.
pub fn parse(text: &str, platform: Platform) -> Result<ConfigTree<'_>, ParseError> {
    let dialect = platform
        .dialect()
        .ok_or_else(|| ParseError::unreadable(platform))?;
    // Lines go into the tree as they are read: a list of every line of a
    // 200,000-line config first would double the parse's memory.
    let mut tree = TreeBuilder::default();
    config_lines(text, dialect, &mut |line| tree.push(line))?;
    Ok(ConfigTree {
        nodes: dialect.normalise(tree.roots),
    })
}

/// Drops what is not configuration (comments, the `!Command:`/`!Time:`
/// header, checkpoint `!#` default lines, console prompts, `version`) and
/// joins each banner into one line; gives each line to `out`, in order.
fn config_lines<'t>(
    text: &'t str,
    dialect: &dyn Dialect,
    out: &mut dyn FnMut(RawLine<'t>) -> Result<(), ParseError>,
) -> Result<(), ParseError> {
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
        if let Some(c) = control_character(line) {
            return Err(ParseError {
                line: number,
                message: format!("control character {c:?} in the config text"),
                hint: "save the output of `show running-config` as plain text (no terminal escape codes)".into(),
            });
        }
        let unindented = line.trim_start();
        let trimmed = unindented.trim_end();
        if trimmed.is_empty() || trimmed.starts_with('!') {
            continue;
        }
        let indent = line.len() - unindented.len();
        if let Some(end) = dialect.text_block_end(trimmed) {
            out(RawLine {
                line: number,
                indent,
                text: text_block(trimmed, indent, end, number, &mut lines)?.into(),
            })?;
            continue;
        }
        if indent == 0 && (is_console_prompt(trimmed) || trimmed.starts_with("version ")) {
            continue;
        }
        if indent == 0 {
            if let Some(delimiter) = banner_delimiter(trimmed) {
                let opening = trimmed;
                let after_open = &opening[opening.find(delimiter).map_or(0, |i| i + 1)..];
                if after_open.contains(delimiter) {
                    out(RawLine {
                        line: number,
                        indent,
                        text: opening.into(),
                    })?;
                    continue;
                }
                let mut body = opening.to_string();
                let mut closed = false;
                for (_, next) in lines.by_ref() {
                    body.push('\n');
                    body.push_str(next.trim_end());
                    if next.contains(delimiter) {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err(ParseError {
                        line: number,
                        message: format!("banner is not closed by its delimiter `{delimiter}`"),
                        hint: format!("end the banner text with a line holding `{delimiter}`"),
                    });
                }
                out(RawLine {
                    line: number,
                    indent,
                    text: body.into(),
                })?;
                continue;
            }
        }
        out(RawLine {
            line: number,
            indent,
            text: trimmed.into(),
        })?;
    }
    Ok(())
}

/// A text block ([`Dialect::text_block_end`]): its
/// opening line, its text lines (less the block's own indentation) and its
/// end line, as one text.
fn text_block<'t>(
    opening: &str,
    indent: usize,
    end: &str,
    number: usize,
    lines: &mut impl Iterator<Item = (usize, &'t str)>,
) -> Result<String, ParseError> {
    let mut body = opening.to_string();
    for (_, next) in lines.by_ref() {
        let next = next.trim_end();
        let unindented = next.trim_start();
        let own = (next.len() - unindented.len()).min(indent);
        body.push('\n');
        if unindented == end {
            body.push_str(end);
            return Ok(body);
        }
        body.push_str(&next[own..]);
    }
    Err(ParseError {
        line: number,
        message: format!("`{opening}` is not closed by a line `{end}`"),
        hint: format!("end the text with a line holding `{end}`"),
    })
}

/// The first control character of `line` other than a tab. Most lines are
/// plain ASCII, checked byte by byte without decoding.
pub fn control_character(line: &str) -> Option<char> {
    if line.bytes().all(|b| (b >= 0x20 || b == b'\t') && b < 0x7f) {
        return None;
    }
    line.chars().find(|c| c.is_control() && *c != '\t')
}

/// `Leaf_1#`, `Leaf_1# show running-config`, `sw(config)# ...`: lines of a
/// saved console session around the config.
fn is_console_prompt(line: &str) -> bool {
    let Some(hash) = line.find('#') else {
        return false;
    };
    let (prompt, rest) = line.split_at(hash);
    !prompt.is_empty()
        && prompt
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-()/".contains(c))
        && (rest.len() == 1 || rest[1..].starts_with(' '))
}

/// `banner motd #` → `#`: the character that ends the banner text.
fn banner_delimiter(line: &str) -> Option<char> {
    let mut words = line.split_whitespace();
    if words.next() != Some("banner") {
        return None;
    }
    words.next()?;
    words.next()?.chars().next()
}

/// Nests lines by indentation, whatever its width: a line belongs to the
/// nearest line above it that is indented less. Iterative (a stack of open
/// sections, no recursion), and refuses nesting deeper than [`MAX_DEPTH`].
#[derive(Default)]
struct TreeBuilder<'t> {
    roots: Vec<Node<'t>>,
    /// The open sections, outermost first: each one's index among its
    /// parent's children, and its indentation.
    open: Vec<usize>,
    indents: Vec<usize>,
}

impl<'t> TreeBuilder<'t> {
    fn push(&mut self, line: RawLine<'t>) -> Result<(), ParseError> {
        while self.indents.last().is_some_and(|i| *i >= line.indent) {
            self.indents.pop();
            self.open.pop();
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(ParseError {
                line: line.line,
                message: format!("the config nests sections more than {MAX_DEPTH} levels deep"),
                hint: "a device config nests a few levels; check that this is the output of `show running-config` and that its indentation is intact".into(),
            });
        }
        let siblings = children_at(&mut self.roots, &self.open);
        siblings.push(Node::new(line.text));
        self.open.push(siblings.len() - 1);
        self.indents.push(line.indent);
        Ok(())
    }
}

fn children_at<'n, 't>(roots: &'n mut Vec<Node<'t>>, path: &[usize]) -> &'n mut Vec<Node<'t>> {
    let mut children = roots;
    for index in path {
        children = &mut children[*index].children;
    }
    children
}

impl ConfigTree<'_> {
    /// The canonical text, indented as the platform of `dialect` prints
    /// its config ([`Dialect::indent`] spaces a level), a blank line before
    /// each top-level section and each line [`Dialect::spaced`] names (an
    /// interface); built in one buffer: configs of a few hundred thousand
    /// lines are printed for every diff.
    pub fn to_text(&self, dialect: &dyn Dialect) -> String {
        let (indent, spaced) = (dialect.indent(), dialect.spaced());
        let mut out = String::with_capacity(self.line_count() * 32);
        for (i, node) in self.nodes.iter().enumerate() {
            if node.blank_line_before(i, spaced) {
                out.push('\n');
            }
            write_node(&mut out, node, 0, indent);
        }
        out
    }
}

fn write_node(out: &mut String, node: &Node, depth: usize, indent: usize) {
    out.extend(std::iter::repeat_n(' ', depth * indent));
    out.push_str(&node.text);
    out.push('\n');
    for child in &node.children {
        write_node(out, child, depth + 1, indent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_default(text: &str) -> Result<ConfigTree<'_>, ParseError> {
        parse(text, Platform::default())
    }

    fn print(tree: &ConfigTree<'_>) -> String {
        tree.to_text(Platform::default().dialect().unwrap())
    }

    fn texts<'a>(nodes: &'a [Node<'_>]) -> Vec<&'a str> {
        nodes.iter().map(|n| &*n.text).collect()
    }

    #[test]
    fn the_platform_names_the_bare_lines_printed_after_a_blank_line() {
        let bare = Node::new("port 1");
        let section = Node::with_children("group 1", vec![Node::new("member a")]);
        // A made-up prefix: whatever the platform's list says.
        assert!(bare.blank_line_before(1, &["port "]));
        assert!(!bare.blank_line_before(1, &[]));
        assert!(!bare.blank_line_before(0, &["port "]));
        assert!(section.blank_line_before(1, &[]));
        assert!(!section.blank_line_before(0, &[]));
    }

    #[test]
    fn nests_by_indentation_of_any_width() {
        let tree = parse_default(
            "route-map rm permit 10\n match tag 5\n set metric 50\nrouter bgp 1\n    neighbor 10.0.0.1\n        remote-as 2\n    router-id 1.1.1.1\n",
        )
        .unwrap();
        assert_eq!(
            texts(&tree.nodes),
            ["route-map rm permit 10", "router bgp 1"]
        );
        let bgp = &tree.nodes[1];
        assert_eq!(
            texts(&bgp.children),
            ["neighbor 10.0.0.1", "router-id 1.1.1.1"]
        );
        assert_eq!(texts(&bgp.children[0].children), ["remote-as 2"]);
    }

    #[test]
    fn a_tree_prints_with_its_platforms_indentation() {
        let text = "interface Ethernet1\n description x\n ip access-group a in\nrouter bgp 1\n neighbor 10.0.0.1\n  remote-as 2\n";
        for platform in Platform::ALL {
            let dialect = platform.dialect().unwrap();
            let tree = parse(text, platform).unwrap();
            let printed = tree.to_text(dialect);
            let level = " ".repeat(dialect.indent());
            assert!(
                printed.contains(&format!(
                    "\n{level}neighbor 10.0.0.1\n{level}{level}remote-as 2\n"
                )),
                "{platform:?}: {printed}"
            );
            assert!(
                printed.contains(&format!("\n{level}description x\n")),
                "{platform:?}: {printed}"
            );
            assert_eq!(parse(&printed, platform).unwrap(), tree, "{platform:?}");
        }
    }

    #[test]
    fn windows_line_ends_and_tabs_are_read_like_the_rest() {
        let tree =
            parse_default("hostname a\r\ninterface Ethernet1/1\r\n\tdescription x\r\n").unwrap();
        assert_eq!(
            print(&tree),
            "hostname a\n\ninterface Ethernet1/1\n  description x\n"
        );
    }

    #[test]
    fn drops_header_comments_prompts_and_version() {
        let tree = parse_default(
            "sw1# show running-config\n\n!Command: show running-config\n!Time: Mon\n\nversion 9.3(8) Bios:version\nhostname sw1\n!#feature ssh\ninterface Ethernet1/1\n  !#shutdown\n  ! a comment\n  description x  \nsw1#\n",
        )
        .unwrap();
        assert_eq!(
            print(&tree),
            "hostname sw1\n\ninterface Ethernet1/1\n  description x\n"
        );
    }

    #[test]
    fn a_banner_is_one_node() {
        let text = "banner motd #\nWelcome,\n  only staff.\n#\nhostname a\n";
        let tree = parse_default(text).unwrap();
        assert_eq!(
            tree.nodes[0].text,
            "banner motd #\nWelcome,\n  only staff.\n#"
        );
        assert_eq!(tree.nodes[1].text, "hostname a");
        assert_eq!(parse_default(&print(&tree)).unwrap(), tree);
    }

    #[test]
    fn an_unclosed_banner_is_an_error_with_its_line() {
        let error = parse_default("hostname a\nbanner motd #\nno end\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("not closed"), "{error}");
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_an_error_at_its_line() {
        let deep: String = (0..2_000).map(|i| format!("{:i$}x{i}\n", "")).collect();
        let error = parse_default(&deep).unwrap_err();
        assert_eq!(error.line, MAX_DEPTH + 1);
        assert!(error.message.contains("levels deep"), "{error}");
        let fine: String = (0..MAX_DEPTH).map(|i| format!("{:i$}x{i}\n", "")).collect();
        assert_eq!(parse_default(&fine).unwrap().line_count(), MAX_DEPTH);
    }

    #[test]
    fn control_characters_are_refused_with_their_line() {
        let error = parse_default("hostname a\ninterface Ethernet1/1\n  description \u{1b}[31m\n")
            .unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.hint.contains("plain text"));
    }
}

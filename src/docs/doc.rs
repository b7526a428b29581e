//! The content of the documentation site, independent of its format: the
//! page builders ([`super::index`], [`super::switch`]) produce these
//! blocks, and [`super::html`] and [`super::markdown`] write them, so both
//! formats always say the same thing.

/// A run of text inside a paragraph or a table cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    /// Literal text in a fixed-width font (ports, addresses, commands).
    Code(String),
    Link(Link),
    /// A small square in a zone's colour (see [`super::svg::zone_colour`]).
    Swatch(usize),
    /// A line break inside a cell.
    Break,
    /// A place links point to (`rule-3`).
    Anchor(String),
}

/// A link to a page of the site, or a place on one.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// None: the index page; else the page of that switch.
    pub page: Option<String>,
    /// An anchor on that page (`rule-3`).
    pub anchor: Option<String>,
    pub text: String,
    /// Shown on hover in HTML.
    pub title: Option<String>,
}

/// One line of inline content.
pub type Line = Vec<Inline>;

pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

/// A link to a switch's page.
pub fn switch_link(name: &str) -> Inline {
    Inline::Link(Link {
        page: Some(name.to_string()),
        anchor: None,
        text: name.to_string(),
        title: None,
    })
}

/// A bar of the hardware budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub used: u64,
    pub limit: u64,
    pub percent: f64,
    /// The warning threshold, percent of the limit.
    pub warning: u64,
    /// What drives the figure, and where the limit comes from.
    pub note: String,
}

impl Bar {
    /// At or above the warning threshold (the budget's own rule, W021).
    pub fn warns(&self) -> bool {
        self.percent >= self.warning as f64
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 2 or 3 (the page title is level 1); `anchor` is its id.
    Heading {
        level: u8,
        text: String,
        anchor: String,
    },
    Paragraph(Line),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<Line>>,
    },
    /// Preformatted text (commands, a diff).
    Code(String),
    /// A topology diagram: its SVG text, also written as `file`.
    Diagram {
        file: String,
        svg: String,
        caption: String,
    },
    Bars(Vec<Bar>),
    List(Vec<Line>),
}

/// One page: `index` or a switch's.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// None: the index; else the switch it documents.
    pub switch: Option<String>,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Page {
    pub fn heading(&mut self, level: u8, text: &str, anchor: &str) {
        self.blocks.push(Block::Heading {
            level,
            text: text.to_string(),
            anchor: anchor.to_string(),
        });
    }

    pub fn paragraph(&mut self, line: Line) {
        self.blocks.push(Block::Paragraph(line));
    }

    pub fn table(&mut self, head: &[&str], rows: Vec<Vec<Line>>) {
        self.blocks.push(Block::Table {
            head: head.iter().map(|h| h.to_string()).collect(),
            rows,
        });
    }
}

/// `10-12,20` (`none` when empty), as switches print VLAN lists.
pub fn vlan_list(vlans: impl IntoIterator<Item = u16>) -> String {
    let mut set = crate::vlan::VlanSet::new();
    for vlan in vlans {
        set.insert(vlan);
    }
    let mut out = String::new();
    set.write_to(&mut out);
    out
}

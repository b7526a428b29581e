//! Cisco NX-OS (Nexus 9000/3000): the platform liaison supports end to end.

mod acl_port_names;
pub mod config;
pub mod defaults;
pub mod signatures;

use crate::config::{ConfigTree, Node, ParseError};
use crate::platform::{Dialect, Platform};
use std::borrow::Cow;

/// The NX-OS platform: its [`Dialect`] (and, as more moves here, its other
/// platform traits).
pub struct Nxos;

impl Dialect for Nxos {
    fn normalise<'t>(&self, nodes: Vec<Node<'t>>) -> Vec<Node<'t>> {
        config::normalise(nodes)
    }

    fn key<'a>(&self, parent: Option<&str>, text: &'a str) -> Cow<'a, str> {
        config::key(parent, text)
    }
}

/// NX-OS config text as a normalised tree: [`crate::config::parse`] for
/// this platform.
pub fn parse(text: &str) -> Result<ConfigTree<'_>, ParseError> {
    crate::config::parse(text, Platform::Nxos)
}

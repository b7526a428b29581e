//! The platform layer: everything liaison knows about one switch operating
//! system lives in its folder here (`nxos/`, `eos/`), and generic modules
//! reach it only through [`Platform`].
//!
//! Issue #13, step 1: the text side (config dialect, remediation rules,
//! readback, CLI driver, change strategy) and the build side (templates,
//! port naming, numbering, reserved VLANs, TCAM model) move here, one
//! value per platform looked up by `Platform`.

pub mod eos;
pub mod nxos;

use crate::config::signature::Signatures;
use crate::config::Node;
use std::borrow::Cow;

/// How one platform writes its configuration text: what `config` needs to
/// turn `show running-config` into a tree where two configs that mean the
/// same thing are equal, and to tell which lines of two trees are the same
/// setting. One value per platform ([`Platform::dialect`]).
pub trait Dialect: Sync {
    /// The tree as nested by indentation, with the lines the platform
    /// derives or folds turned back into one node per setting.
    fn normalise<'t>(&self, nodes: Vec<Node<'t>>) -> Vec<Node<'t>>;

    /// What identifies a line within its section (`parent` is the section's
    /// header, None at the top level): two lines with the same key are the
    /// same setting, so one replaces the other.
    fn key<'a>(&self, parent: Option<&str>, text: &'a str) -> Cow<'a, str>;
}

/// A switch operating system liaison knows. Closed set: adding one means a
/// folder here and an arm in each lookup below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    Nxos,
    Eos,
}

impl Platform {
    pub const NAMES: &'static [&'static str] = &["nxos", "eos"];
    pub const ALL: [Platform; 2] = [Platform::Nxos, Platform::Eos];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Nxos => "nxos",
            Platform::Eos => "eos",
        }
    }

    /// The platform an inventory names (`platform: nxos`), if any.
    pub fn from_name(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// How the platform's configuration text shows that it is one.
    pub fn signatures(self) -> &'static Signatures {
        match self {
            Platform::Nxos => &nxos::signatures::SIGNATURES,
            Platform::Eos => &eos::signatures::SIGNATURES,
        }
    }

    /// The platform's config dialect; None while liaison cannot read its
    /// configs (EOS until issue #13 step 2).
    pub fn dialect(self) -> Option<&'static dyn Dialect> {
        match self {
            Platform::Nxos => Some(&nxos::Nxos),
            Platform::Eos => None,
        }
    }

    /// Whether liaison reads this platform's configs (`plan`, `diff`).
    pub fn reads_configs(self) -> bool {
        self.dialect().is_some()
    }

    /// The VRF the platform's management interface lives in: reserved for
    /// reaching the switch, never a segment's or an external link's.
    pub fn management_vrf(self) -> &'static str {
        match self {
            Platform::Nxos => crate::plan::nxos::MANAGEMENT_VRF,
            // EOS has no fixed name; `MGMT` is Arista AVD's default
            // `mgmt_interface_vrf` (a guess until EOS is supported).
            Platform::Eos => "MGMT",
        }
    }
}

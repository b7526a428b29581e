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
    pub fn signatures(self) -> &'static crate::config::signature::Signatures {
        match self {
            Platform::Nxos => &crate::config::nxos::signatures::SIGNATURES,
            Platform::Eos => &crate::config::eos::SIGNATURES,
        }
    }

    /// Whether liaison reads this platform's configs (`plan`, `diff`).
    pub fn reads_configs(self) -> bool {
        match self {
            Platform::Nxos => true,
            Platform::Eos => false,
        }
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

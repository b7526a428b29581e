//! What the build side (`render`, `compile`, `check`, `budget`, `policy`)
//! asks a platform: one lookup per fact, each answered from the
//! platform's folder.

use super::{eos, nxos, Platform};
use crate::render::TemplateSet;

impl Platform {
    /// The platform's templates, in the order they are listed, and the
    /// filters they use.
    pub fn templates(self) -> &'static TemplateSet {
        match self {
            Platform::Nxos => &nxos::render::TEMPLATES,
            Platform::Eos => &eos::render::TEMPLATES,
        }
    }
}

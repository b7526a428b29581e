//! What the renderer needs from EOS: nothing yet. EOS is not buildable
//! until issue #13 step 2 writes `templates/eos/`; `compile` refuses an EOS
//! switch before anything renders.

use crate::render::TemplateSet;

pub const TEMPLATES: TemplateSet = TemplateSet {
    dir: "eos",
    files: &[],
    add_filters: |_| {},
};

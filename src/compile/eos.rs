//! What the compiler must know about Arista EOS switches.

use super::MtuRange;

/// Routed interfaces and SVIs take an IP MTU of 68-9214 bytes (Arista EOS
/// manual, "Layer 3 MTU configuration": "The switch supports MTU sizes
/// ranging from 68 to 9214 bytes").
pub const MTU: MtuRange = MtuRange {
    min_routed: 68,
    max: 9214,
};

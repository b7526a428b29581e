//! What the compiler must know about NX-OS (Nexus 9000) switches.

use super::MtuRange;

/// Layer-2 ports carry frames of 1500 bytes or of the system jumbo MTU
/// (`system jumbomtu`, 9216 by default and at most; "MTU on L2 interfaces
/// can only be set to default or system-jumboMTU"); SVIs take an IP MTU
/// of 576-9216. Source: Cisco Nexus 9000 Series NX-OS Interfaces
/// Configuration Guide 9.3(x), "Configuring Layer 2 Interfaces" (MTU) and
/// "Configuring Layer 3 Interfaces" (SVI MTU).
pub const MTU: MtuRange = MtuRange {
    min_routed: 576,
    max: 9216,
};

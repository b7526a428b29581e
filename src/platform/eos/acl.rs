//! What EOS can do with router ACLs, and where a model can bind them.
//!
//! Egress router ACLs on SVIs (`ip access-group NAME out` on `interface
//! VlanN`) exist only on some families: the EOS User Manual's ACL chapter
//! shows them on the 7280R and 7500R families (issue #13, step 2). A
//! family not known to take them gets the ingress-only placement
//! (docs/policy.md, "Placement is a capability"), which enforces the same
//! policy on every platform, at the cost of TCAM on the ingress side: the
//! fallback for a model in no row is therefore ingress-only.

use crate::platform::build::{AclPlacement, AclSupport, ModelPlacement};

pub const ACL_SUPPORT: AclSupport = AclSupport {
    // A guess: the switch family liaison targets first.
    hardware: "Arista 7000",
    // A guess: assumed like NX-OS until checked, so a logged flow is
    // logged where it enters the fabric.
    logs_egress_entries: false,
    // Unknown: the ACLs liaison writes for EOS expand object-groups into
    // entries (see tcam.rs), so no group name reaches the switch.
    max_object_group_name: None,
    placement_by_model: &[
        ModelPlacement {
            // The fixed 7280R, R2 and R3 (Jericho, Jericho+, Jericho2)
            // systems: DCS-7280SR-48C6, DCS-7280CR2-60, DCS-7280SR3-48YC8,
            // DCS-7280CR3-32P4, DCS-7280PR3-24, DCS-7280DR3-24, ... The
            // 7280E (Arad: DCS-7280SE-64) is not in the manual's list.
            models: &[
                "DCS-7280SR",
                "DCS-7280CR",
                "DCS-7280QR",
                "DCS-7280TR",
                "DCS-7280PR",
                "DCS-7280DR",
            ],
            family: "Arista 7280R",
            placement: AclPlacement::InAndOut,
            source: "Arista EOS User Manual, ACLs and Route Maps: egress ACLs on routed VLAN interfaces on the 7280R and 7500R families (as quoted in issue #13; model prefixes are liaison's)",
        },
        ModelPlacement {
            // The 7500R line cards (DCS-7500R-36CQ-LC, ...). A modular
            // chassis reports its chassis model (DCS-7504N), which says
            // nothing of its line cards: those fall back to ingress-only.
            models: &["DCS-7500R"],
            family: "Arista 7500R",
            placement: AclPlacement::InAndOut,
            source: "Arista EOS User Manual, ACLs and Route Maps: egress ACLs on routed VLAN interfaces on the 7280R and 7500R families (as quoted in issue #13)",
        },
        ModelPlacement {
            // The 7050X, X2, X3 and X4 (Trident) systems.
            models: &["DCS-7050"],
            family: "Arista 7050X",
            placement: AclPlacement::IngressOnly,
            source: "A guess: the EOS User Manual's ACL chapter does not list the 7050X among the families with egress ACLs on routed VLAN interfaces (issue #13), and the EOS 4.9 configuration guide listed egress ACLs among the ACL limits of the first 7050s (Arista Warrior, chapter 16); confirm on your release",
        },
    ],
    placement_otherwise: ModelPlacement {
        models: &[],
        family: "an Arista model not in liaison's table",
        placement: AclPlacement::IngressOnly,
        source: "liaison's fallback for an EOS model it does not know: ingress-only enforces the policy on every platform (src/platform/eos/acl.rs)",
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_7280r3_takes_egress_acls_and_the_7050x3_and_unknown_models_do_not() {
        let placement = |model| ACL_SUPPORT.placement(model);
        assert_eq!(
            placement(Some("DCS-7280SR3-48YC8")).0.placement,
            AclPlacement::InAndOut
        );
        assert!(placement(Some("DCS-7280CR3-32P4")).1);
        assert_eq!(
            placement(Some("DCS-7050SX3-48YC8")).0.placement,
            AclPlacement::IngressOnly
        );
        assert!(placement(Some("DCS-7050CX3-32S")).1);
        // The 7280E is not a 7280R.
        let (e, known) = placement(Some("DCS-7280SE-64"));
        assert_eq!((e.placement, known), (AclPlacement::IngressOnly, false));
        let (none, known) = placement(None);
        assert_eq!((none.placement, known), (AclPlacement::IngressOnly, false));
    }
}

//! `check --what-if-hosts`: figures that do not fit in 64 bits are an error,
//! never a wrapped (smaller) number; a zone the inventory lacks is an error.

mod common;

use common::liaison;

fn check(what_if: &str) -> (Option<i32>, String, String) {
    let out = liaison(&["check", "--what-if-hosts", what_if]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_host_count_past_64_bits_is_an_error() {
    let (code, stdout, stderr) = check("prod=18446744073709551615");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E131]: --what-if-hosts prod=18446744073709551615"),
        "{stderr}"
    );
    assert!(
        stderr.contains("does not fit in a 64-bit count"),
        "{stderr}"
    );
    assert!(!stdout.contains("hardware budget"), "{stdout}");
}

#[test]
fn a_budget_product_past_64_bits_is_an_error() {
    // The count fits; hosts × VMs × VLANs does not.
    let (code, stdout, stderr) = check("prod=1000000000000000000");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E131]: the budget overflows 64-bit arithmetic"),
        "{stderr}"
    );
    assert!(!stdout.contains("hardware budget"), "{stdout}");
}

#[test]
fn a_huge_count_that_fits_gives_the_exact_figure() {
    // 10^15 extra hosts (plus the example's own) × 30 VMs: computed exactly.
    let (code, _, stderr) = check("prod=1000000000000000");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("error[E120]"), "{stderr}");
    assert!(!stderr.contains("E131"), "{stderr}");
    let needs = stderr
        .lines()
        .find(|l| l.contains("MAC"))
        .and_then(|l| l.split("needs ").nth(1))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or_else(|| panic!("no MAC figure in:\n{stderr}"));
    assert!(needs > 30_000_000_000_000_000, "{needs}");
}

#[test]
fn an_unknown_zone_is_an_error_with_did_you_mean() {
    let (code, stdout, stderr) = check("prd=4");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E132]: --what-if-hosts prd=4: the inventory has no zone `prd`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `prod`?"), "{stderr}");
    assert!(!stdout.contains("no errors"), "{stdout}");
}

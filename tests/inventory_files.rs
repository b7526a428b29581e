//! Entries of an inventory directory that look like inventory files but
//! cannot be read are errors naming the path, never skipped: a policy file
//! that silently went missing would build deny-all ACLs without guardrails.

mod common;

use common::*;
use std::path::Path;

/// `check` and `build` both fail with E130 naming `entry`, and build writes
/// nothing; returns check's stderr.
fn refused(inventory: &Path, entry: &str, message: &str) -> String {
    let check = liaison(&["check", inventory.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[E130]"), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
    let path = inventory.join(entry).display().to_string();
    assert!(stderr.contains(&format!("--> {path}\n")), "{stderr}");
    assert!(stderr.contains("= hint: "), "{stderr}");
    // The missing file's definitions do not cascade into other errors.
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert_build_writes_nothing(inventory);
    stderr
}

#[test]
fn a_dangling_symlink_is_an_error() {
    let (_tmp, inventory) = example_copy();
    std::fs::remove_file(inventory.join("policy.yml")).unwrap();
    std::os::unix::fs::symlink("../shared/policy.yml", inventory.join("policy.yml")).unwrap();
    let stderr = refused(
        &inventory,
        "policy.yml",
        "symlink to a file that does not exist (it points to ../shared/policy.yml)",
    );
    assert!(
        stderr.contains("point the link at an existing file"),
        "{stderr}"
    );
}

#[test]
fn a_symlink_loop_is_an_error() {
    let (_tmp, inventory) = example_copy();
    std::os::unix::fs::symlink("b.yml", inventory.join("a.yml")).unwrap();
    std::os::unix::fs::symlink("a.yml", inventory.join("b.yml")).unwrap();
    let check = liaison(&["check", inventory.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        stderr.matches("error[E130]: symlink loop").count(),
        2,
        "{stderr}"
    );
    assert_build_writes_nothing(&inventory);
}

#[test]
fn a_directory_named_like_an_inventory_file_is_an_error() {
    let (_tmp, inventory) = example_copy();
    std::fs::create_dir(inventory.join("extra.yml")).unwrap();
    refused(
        &inventory,
        "extra.yml",
        "a directory named like an inventory file",
    );
}

#[test]
fn an_unreadable_inventory_file_is_an_error() {
    // The tests may run as root, which reads any file whatever its mode:
    // /proc/self/mem is a file whose read fails for everyone (EIO at offset 0).
    let (_tmp, inventory) = example_copy();
    std::os::unix::fs::symlink("/proc/self/mem", inventory.join("mem.yml")).unwrap();
    refused(
        &inventory,
        "mem.yml",
        "cannot read this inventory file: Input/output error",
    );
}

#[test]
fn a_fifo_named_like_an_inventory_file_is_an_error_not_a_hang() {
    let (_tmp, inventory) = example_copy();
    let path = std::ffi::CString::new(inventory.join("pipe.yml").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    refused(&inventory, "pipe.yml", "not a regular file");
}

#[test]
fn an_editor_lock_file_is_named_as_such() {
    let (_tmp, inventory) = example_copy();
    // What Emacs leaves while policy.yml is being edited.
    std::os::unix::fs::symlink("ops@host.4242:1700000000", inventory.join(".#policy.yml")).unwrap();
    let stderr = refused(
        &inventory,
        ".#policy.yml",
        "symlink to a file that does not exist",
    );
    assert!(stderr.contains("an editor's lock file"), "{stderr}");
}

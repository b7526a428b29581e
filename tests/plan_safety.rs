//! The safety invariants of `liaison diff` and `liaison plan` (issue #10,
//! plan side), each through the binary as a user runs it: the exit code,
//! the message, and what is (not) emitted.

mod common;

use common::*;
use std::path::Path;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn diff(args: &[&str]) -> std::process::Output {
    let mut all = vec!["diff", "--platform", "nxos"];
    all.extend_from_slice(args);
    liaison(&all)
}

// ----- bounded input --------------------------------------------------------

#[test]
fn diff_of_dev_zero_fails_at_the_size_cap_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let result = diff(&["/dev/zero", &intended]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(
        message.contains("the running config is larger than 67108864 bytes"),
        "{message}"
    );
    assert!(message.contains("--> /dev/zero"), "{message}");
    assert!(message.contains("--max-config-bytes"), "{message}");
    assert!(stdout(&result).is_empty());
}

#[test]
fn a_config_over_the_cap_is_refused_and_the_flag_raises_it() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", "hostname sw1\nvlan 10\n");
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let small = diff(&[&running, &intended, "--max-config-bytes", "16"]);
    assert_eq!(small.status.code(), Some(1));
    assert!(
        stderr(&small).contains("the running config is larger than 16 bytes"),
        "{}",
        stderr(&small)
    );
    assert!(stdout(&small).is_empty());
    let raised = diff(&[&running, &intended, "--max-config-bytes", "1024"]);
    assert_eq!(raised.status.code(), Some(2), "{}", stderr(&raised));
    assert!(stdout(&raised).contains("no vlan 10"));
}

#[test]
fn plan_applies_the_cap_to_running_config_files() {
    let result = liaison(&["plan", "--max-config-bytes", "100"]);
    assert_eq!(result.status.code(), Some(1));
    let message = stderr(&result);
    assert!(
        message.contains("the running config is larger than 100 bytes"),
        "{message}"
    );
    assert!(
        message.contains("inventories/example/running/agg1.cfg"),
        "{message}"
    );
    assert!(stdout(&result).is_empty());
}

#[test]
fn indentation_deeper_than_the_limit_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // Each line one column deeper than the one before: 100,000 levels in
    // 50 MB would be the reproducer; the limit is hit at line 65 either way.
    let deep: String = (0..5_000).map(|i| format!("{:i$}line{i}\n", "")).collect();
    let running = write(dir.path(), "deep.cfg", &deep);
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let result = diff(&[&running, &intended]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let message = stderr(&result);
    assert!(
        message.contains("nests sections more than 64 levels deep"),
        "{message}"
    );
    assert!(message.contains("deep.cfg:65"), "{message}");
    assert!(stdout(&result).is_empty());
}

// ----- make before break: single values -----------------------------------

/// `diff` from `old` to `new` (one setting of the platform's single-value
/// table) sets the new value once and never negates the old one; and a
/// config that sets the old value, then the new one (the last one wins),
/// needs nothing.
fn assert_replaced_in_one_command(old: &str, new: &str) {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", &format!("hostname sw1\n{old}\n"));
    let intended = write(dir.path(), "sw1.cfg", &format!("hostname sw1\n{new}\n"));
    // Users and boot images are the management plane: allowed here, as
    // the table is what is tested.
    let changes = ["--format", "commands", "--allow-management-changes"];
    let result = diff(&[&[running.as_str(), &intended], &changes[..]].concat());
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert_eq!(stdout(&result), format!("{new}\n"), "{old} → {new}");
    let twice = write(
        dir.path(),
        "twice.cfg",
        &format!("hostname sw1\n{old}\n{new}\n"),
    );
    let result = diff(&[&[twice.as_str(), &intended], &changes[..]].concat());
    assert_eq!(
        result.status.code(),
        Some(0),
        "the last value wins: {}",
        stdout(&result)
    );
}

macro_rules! single_value_tests {
    ($($name:ident: $old:expr => $new:expr;)*) => {$(
        #[test]
        fn $name() {
            assert_replaced_in_one_command($old, $new);
        }
    )*};
}

single_value_tests! {
    a_new_password_replaces_the_old_one_without_deleting_the_user:
        "username bob password 5 $5$OLD role network-admin"
        => "username bob password 5 $5$NEW role network-admin";
    a_new_ssh_key_replaces_the_users_old_one:
        "username bob sshkey ssh-rsa AAAAOLD bob@old"
        => "username bob sshkey ssh-rsa AAAANEW bob@new";
    spanning_tree_mode_is_set_not_negated:
        "spanning-tree mode mst" => "spanning-tree mode rapid-pvst";
    spanning_tree_vlan_priority_is_set_not_negated:
        "spanning-tree vlan 1-3967 priority 8192" => "spanning-tree vlan 1-3967 priority 4096";
    spanning_tree_mst_priority_is_set_not_negated:
        "spanning-tree mst 0-1 priority 8192" => "spanning-tree mst 0-1 priority 4096";
    spanning_tree_vlan_hello_time_is_set_not_negated:
        "spanning-tree vlan 10-20 hello-time 2" => "spanning-tree vlan 10-20 hello-time 1";
    spanning_tree_pathcost_method_is_set_not_negated:
        "spanning-tree pathcost method short" => "spanning-tree pathcost method long";
    system_jumbomtu_is_set_not_negated:
        "system jumbomtu 9000" => "system jumbomtu 9216";
    banner_motd_is_replaced_not_negated:
        "banner motd #\nold text\n#" => "banner motd #\nnew text\n#";
    banner_exec_is_replaced_not_negated:
        "banner exec ^old^" => "banner exec ^new^";
    ip_domain_name_is_set_not_negated:
        "ip domain-name old.example" => "ip domain-name new.example";
    snmp_server_contact_is_set_not_negated:
        "snmp-server contact old noc" => "snmp-server contact new noc";
    snmp_server_location_is_set_not_negated:
        "snmp-server location room 1" => "snmp-server location room 2";
    clock_timezone_is_set_not_negated:
        "clock timezone CET 1 0" => "clock timezone PST -8 0";
    clock_summer_time_is_set_not_negated:
        "clock summer-time CEST 5 Sun Mar 02:00 5 Sun Oct 03:00 60"
        => "clock summer-time PDT 2 Sun Mar 02:00 1 Sun Nov 02:00 60";
    a_logging_server_with_a_new_severity_is_set_not_negated:
        "logging server 192.0.2.9 5 use-vrf management"
        => "logging server 192.0.2.9 6 use-vrf management";
    logging_logfile_is_set_not_negated:
        "logging logfile messages 5" => "logging logfile messages 6";
    logging_console_is_set_not_negated:
        "logging console 2" => "logging console 5";
    logging_monitor_is_set_not_negated:
        "logging monitor 5" => "logging monitor 6";
    logging_timestamp_is_set_not_negated:
        "logging timestamp seconds" => "logging timestamp milliseconds";
    ntp_server_prefer_is_set_not_negated:
        "ntp server 192.0.2.1 use-vrf management"
        => "ntp server 192.0.2.1 prefer use-vrf management";
    ntp_source_interface_is_set_not_negated:
        "ntp source-interface mgmt0" => "ntp source-interface loopback0";
    boot_image_is_set_not_negated:
        "boot nxos bootflash:/nxos.9.3.8.bin" => "boot nxos bootflash:/nxos.9.3.10.bin";
}

#[test]
fn another_user_or_server_is_another_setting() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(
        dir.path(),
        "running.cfg",
        "hostname sw1\nntp server 192.0.2.1\nlogging server 192.0.2.9 5\n",
    );
    let intended = write(
        dir.path(),
        "sw1.cfg",
        "hostname sw1\nntp server 192.0.2.2\nlogging server 192.0.2.8 5\n",
    );
    let result = diff(&[&running, &intended, "--format", "commands"]);
    assert_eq!(
        stdout(&result),
        "ntp server 192.0.2.2\nlogging server 192.0.2.8 5\nno ntp server 192.0.2.1\nno logging server 192.0.2.9 5\n"
    );
}

// ----- make before break: routes --------------------------------------------

#[test]
fn a_new_next_hop_is_added_before_the_old_route_goes_in_every_vrf() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(
        dir.path(),
        "running.cfg",
        "hostname sw1\nip route 0.0.0.0/0 198.51.100.1\nvrf context management\n  ip route 0.0.0.0/0 192.0.2.1\nvrf context prod\n  ip route 10.0.0.0/8 198.51.100.1\n",
    );
    let intended = write(
        dir.path(),
        "sw1.cfg",
        "hostname sw1\nip route 0.0.0.0/0 198.51.100.2\nvrf context management\n  ip route 0.0.0.0/0 192.0.2.2\nvrf context prod\n  ip route 10.0.0.0/8 198.51.100.2\n",
    );
    let result = diff(&[
        &running,
        &intended,
        "--format",
        "commands",
        "--allow-management-changes",
    ]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert_eq!(
        stdout(&result),
        "vrf context management\n  ip route 0.0.0.0/0 192.0.2.2\n  no ip route 0.0.0.0/0 192.0.2.1\nvrf context prod\n  ip route 10.0.0.0/8 198.51.100.2\n  no ip route 10.0.0.0/8 198.51.100.1\nip route 0.0.0.0/0 198.51.100.2\nno ip route 0.0.0.0/0 198.51.100.1\n"
    );
}

// ----- pruning keeps what kept config uses ----------------------------------

/// The example inventory in `dir`, with `extra` appended to agg1's
/// running config.
fn example_with_agg1_running(dir: &Path, extra: &str) -> String {
    copy_example_with_running(dir);
    append(&dir.join("running"), "agg1.cfg", extra);
    dir.to_str().unwrap().to_string()
}

#[test]
fn prune_keeps_the_object_group_of_a_kept_acl_and_the_vlan_of_a_kept_svi() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = example_with_agg1_running(
        dir.path(),
        "object-group ip address OG-ADMINS\n  10 host 192.0.2.10\nip access-list ACL-OG\n  10 permit ip addrgroup OG-ADMINS any\nvlan 777\ninterface Vlan777\n  no shutdown\ninterface Ethernet1/47\n  ip access-group ACL-OG in\n",
    );
    let commands = liaison(&[
        "plan", &inventory, "--prune", "--device", "agg1", "--format", "commands",
    ]);
    assert_eq!(commands.status.code(), Some(2), "{}", stderr(&commands));
    let commands = stdout(&commands);
    for kept in [
        "no object-group ip address OG-ADMINS",
        "no ip access-list ACL-OG",
        "no vlan 777",
        "no interface Vlan777",
    ] {
        assert!(
            !commands.lines().any(|c| c.trim() == kept),
            "`{kept}` in {commands}"
        );
    }
    assert!(
        commands.lines().any(|c| c == "no vlan 999"),
        "what nothing uses is still pruned: {commands}"
    );
    let text = stdout(&liaison(&[
        "plan", &inventory, "--prune", "--device", "agg1",
    ]));
    for note in [
        "note: kept `ip access-list ACL-OG`: still used by `interface Ethernet1/47 / ip access-group ACL-OG in`",
        "note: kept `object-group ip address OG-ADMINS`: still used by `ip access-list ACL-OG / 10 permit ip addrgroup OG-ADMINS any`",
        "note: kept `vlan 777`: still used by `interface Vlan777`",
        "note: left the management plane alone: `ip access-list ACL-VTY` (used by `line vty`); pass --allow-management-changes to change it",
    ] {
        assert!(text.contains(note), "{note} missing from {text}");
    }
}

/// The lines of the `diff:` part of a text plan.
fn diff_part(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| *l != "diff:")
        .take_while(|l| !l.starts_with("Plan: ") && !l.starts_with("== "))
        .collect()
}

#[test]
fn the_diff_of_a_pruned_plan_shows_what_the_commands_do() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = example_with_agg1_running(
        dir.path(),
        "object-group ip address OG-ADMINS\n  10 host 192.0.2.10\nip access-list ACL-OG\n  10 permit ip addrgroup OG-ADMINS any\nvlan 777\ninterface Vlan777\n  no shutdown\ninterface Ethernet1/47\n  ip access-group ACL-OG in\n",
    );
    let plan = |format: &str| {
        let result = liaison(&[
            "plan", &inventory, "--prune", "--device", "agg1", "--format", format,
        ]);
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        stdout(&result)
    };
    let text = plan("text");
    let diff = diff_part(&text);
    assert!(!diff.is_empty(), "no diff in {text}");
    // Kept (the notes say so, the commands do so): not shown as removed.
    for kept in [
        "-object-group ip address OG-ADMINS",
        "-ip access-list ACL-OG",
        "-vlan 777",
        "-ip access-list ACL-VTY",
    ] {
        assert!(!diff.contains(&kept), "`{kept}` in the diff: {text}");
    }
    // Pruned: shown as removed, and removed.
    assert!(diff.contains(&"-vlan 999"), "{text}");
    assert!(text.lines().any(|l| l == "no vlan 999"), "{text}");
    // The same diff in every format that shows one.
    let json: serde_json::Value = serde_json::from_str(&plan("json")).unwrap();
    let json_diff = json["devices"][0]["diff"].as_str().unwrap();
    let markdown = plan("markdown");
    for shown in [json_diff, markdown.as_str()] {
        assert!(shown.contains("\n-vlan 999\n"), "{shown}");
        for kept in [
            "-object-group ip address OG-ADMINS",
            "-ip access-list ACL-OG",
            "-vlan 777\n",
        ] {
            assert!(!shown.contains(&format!("\n{kept}")), "`{kept}` in {shown}");
        }
    }
}

#[test]
fn diff_shows_what_stays_unchanged_and_a_reset_port_in_its_factory_state() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(
        dir.path(),
        "running.cfg",
        "hostname sw1\nline console\n  exec-timeout 10\ninterface Ethernet1/5\n  description x\n  switchport mode trunk\ninterface Ethernet1/6\nip access-list VTY\n  10 permit ip any any\nline vty\n  access-class VTY in\nvlan 10\n",
    );
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let result = diff(&[&running, &intended, "--allow-management-changes"]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    let text = stdout(&result);
    // `line` cannot be deleted and `line vty` uses the ACL: both stay,
    // as unchanged lines.
    assert!(
        !text.lines().any(|l| l == "no ip access-list VTY"),
        "{text}"
    );
    assert!(
        text.contains(
            "note: kept `ip access-list VTY`: still used by `line vty / access-class VTY in`"
        ),
        "{text}"
    );
    let diff = diff_part(&text);
    for stays in [
        "line console",
        "line vty",
        "ip access-list VTY",
        "interface Ethernet1/6",
    ] {
        assert!(
            !diff.contains(&format!("-{stays}").as_str()),
            "`-{stays}` in {text}"
        );
    }
    // `default interface Ethernet1/5` leaves the port in its factory state,
    // which is what the diff shows: the port stays, its settings go.
    assert!(
        text.lines().any(|l| l == "default interface Ethernet1/5"),
        "{text}"
    );
    for line in [
        " interface Ethernet1/5",
        "-  description x",
        "-  switchport mode trunk",
        "+  switchport mode access",
        "-vlan 10",
    ] {
        assert!(diff.contains(&line), "`{line}` missing from {text}");
    }
}

// ----- the management plane -------------------------------------------------

/// A switch as the reproducer had it: users and keys, SSH, AAA,
/// CoPP, boot image, the management VRF and mgmt0, vty lines and their ACL.
const MANAGED_SWITCH: &str = "hostname sw1
feature ssh
feature tacacs+
username admin password 5 $5$ADMIN role network-admin
username netops password 5 $5$NETOPS role network-admin
username netops sshkey ssh-ed25519 AAAAC3Nza netops@bastion
ssh key rsa 2048
tacacs-server host 192.0.2.5 key 7 \"secret\"
aaa group server tacacs+ TAC
  server 192.0.2.5
  use-vrf management
aaa authentication login default group TAC
copp profile strict
boot nxos bootflash:/nxos.9.3.8.bin
ip access-list VTY
  10 permit tcp 192.0.2.0/24 any eq 22
object-group ip address OG-JUMP
  10 host 192.0.2.7
ip access-list MGMT-IN
  10 permit ip addrgroup OG-JUMP any
vrf context management
  ip route 0.0.0.0/0 192.0.2.1
interface mgmt0
  vrf member management
  ip address 192.0.2.11/24
  ip access-group MGMT-IN in
line console
  exec-timeout 10
line vty
  access-class VTY in
vlan 10
";

#[test]
fn diff_leaves_the_management_plane_alone_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", MANAGED_SWITCH);
    let intended = write(dir.path(), "sw1.cfg", "hostname sw1\n");
    let commands = diff(&[&running, &intended, "--format", "commands"]);
    assert_eq!(commands.status.code(), Some(2), "{}", stderr(&commands));
    assert_eq!(stdout(&commands), "no vlan 10\n", "only the rest goes");
    let text = diff(&[&running, &intended]);
    let text = stdout(&text);
    assert!(
        text.contains("note: left the management plane alone: `aaa authentication login default group TAC` (AAA), "),
        "{text}"
    );
    for part in [
        "`boot nxos` (boot images)",
        "`feature ssh` (the SSH server)",
        "`ip access-list VTY` (used by `line vty`)",
        "`ip access-list MGMT-IN` (used by `interface mgmt0`)",
        "`object-group ip address OG-JUMP` (used by `ip access-list MGMT-IN`)",
        "`username netops sshkey` (login users and their SSH keys)",
        "`vrf context management` (the management VRF and its routes)",
        "; pass --allow-management-changes to change it",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    // The diff agrees with the commands: the management plane is in
    // neither, only the VLAN goes.
    let removed: Vec<&str> = diff_part(&text)
        .into_iter()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    assert_eq!(removed, ["-vlan 10"], "{text}");
    let json = diff(&[&running, &intended, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["devices"][0]["management_lines"], 29);
}

#[test]
fn diff_does_not_change_the_management_plane_the_intended_config_changes() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", MANAGED_SWITCH);
    let changed = MANAGED_SWITCH
        .replace(
            "ip route 0.0.0.0/0 192.0.2.1",
            "ip route 0.0.0.0/0 192.0.2.254",
        )
        .replace("$5$ADMIN", "$5$NEWADMIN")
        .replace("access-class VTY in", "access-class OTHER in");
    let intended = write(dir.path(), "sw1.cfg", &changed);
    let result = diff(&[&running, &intended, "--format", "commands"]);
    assert_eq!(result.status.code(), Some(0), "{}", stdout(&result));
    assert!(stdout(&result).is_empty());
}

#[test]
fn with_the_flag_the_management_plane_is_planned_like_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", MANAGED_SWITCH);
    let kept = MANAGED_SWITCH
        .replace(
            "username admin password 5 $5$ADMIN role network-admin\n",
            "",
        )
        .replace("copp profile strict\n", "")
        .replace(
            "ip route 0.0.0.0/0 192.0.2.1",
            "ip route 0.0.0.0/0 192.0.2.254",
        );
    let intended = write(dir.path(), "sw1.cfg", &kept);
    let result = diff(&[
        &running,
        &intended,
        "--format",
        "commands",
        "--allow-management-changes",
        "--ssh-user",
        "netops",
    ]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert_eq!(
        stdout(&result),
        "vrf context management\n  ip route 0.0.0.0/0 192.0.2.254\n  no ip route 0.0.0.0/0 192.0.2.1\nno username admin password 5 $5$ADMIN role network-admin\nno copp profile strict\n"
    );
}

/// `diff --allow-management-changes` from MANAGED_SWITCH to it edited by
/// `edit`, as `netops`: refused, with `why` in the message.
fn assert_refused(edit: impl Fn(&str) -> String, why: &str) {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", MANAGED_SWITCH);
    let intended = write(dir.path(), "sw1.cfg", &edit(MANAGED_SWITCH));
    for format in ["text", "commands", "json"] {
        let result = diff(&[
            &running,
            &intended,
            "--allow-management-changes",
            "--ssh-user",
            "netops",
            "--format",
            format,
        ]);
        assert_eq!(result.status.code(), Some(1), "{}", stdout(&result));
        assert!(stdout(&result).is_empty(), "nothing is emitted");
        let message = stderr(&result);
        assert!(
            message.contains("error: refusing the plan of sw1: "),
            "{message}"
        );
        assert!(message.contains(why), "{why} missing from {message}");
        assert!(message.contains("hint:"), "{message}");
        assert!(!message.contains("$5$"), "no secret in errors: {message}");
    }
}

#[test]
fn removing_the_user_liaison_logs_in_as_is_refused_even_with_the_flag() {
    assert_refused(
        |c| {
            c.replace(
                "username netops password 5 $5$NETOPS role network-admin\n",
                "",
            )
        },
        "removes the user `netops` liaison logs in as, or its key",
    );
}

#[test]
fn removing_the_key_of_that_user_is_refused_even_with_the_flag() {
    assert_refused(
        |c| c.replace("username netops sshkey ssh-ed25519 AAAAC3Nza netops@bastion\n", ""),
        "`no username netops sshkey ssh-ed25519 AAAAC3Nza netops@bastion` removes the user `netops`",
    );
}

#[test]
fn removing_the_management_route_is_refused_even_with_the_flag() {
    assert_refused(
        |c| c.replace("ip route 0.0.0.0/0 192.0.2.1", "ip route 10.0.0.0/8 192.0.2.1"),
        "`no ip route 0.0.0.0/0 192.0.2.1` in `vrf context management` removes a route of the management VRF, and no route of the intended config covers 0.0.0.0/0",
    );
}

#[test]
fn removing_ssh_the_management_vrf_or_mgmt0_is_refused_even_with_the_flag() {
    assert_refused(
        |c| c.replace("feature ssh\n", ""),
        "`no feature ssh` turns off SSH",
    );
    assert_refused(
        |c| {
            c.replace(
                "vrf context management\n  ip route 0.0.0.0/0 192.0.2.1\n",
                "",
            )
            .replace("  vrf member management\n", "")
            .replace("  use-vrf management\n", "")
        },
        "`no vrf member management` on mgmt0 cuts the address liaison connects to",
    );
    assert_refused(
        |c| c.replace("  ip address 192.0.2.11/24\n", ""),
        "`no ip address 192.0.2.11/24` on mgmt0 cuts the address liaison connects to",
    );
}

#[test]
fn another_users_removal_is_allowed_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let running = write(dir.path(), "running.cfg", MANAGED_SWITCH);
    let intended = write(
        dir.path(),
        "sw1.cfg",
        &MANAGED_SWITCH.replace(
            "username netops sshkey ssh-ed25519 AAAAC3Nza netops@bastion\n",
            "",
        ),
    );
    let result = diff(&[
        &running,
        &intended,
        "--allow-management-changes",
        "--ssh-user",
        "admin",
        "--format",
        "commands",
    ]);
    assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
    assert_eq!(
        stdout(&result),
        "no username netops sshkey ssh-ed25519 AAAAC3Nza netops@bastion\n"
    );
}

/// The example inventory whose site template also renders the management
/// VRF with `route` as its only route.
fn example_rendering_management_route(dir: &Path, route: &str) -> (String, String) {
    let inventory = example_with_agg1_running(&dir.join("inventory"), "");
    let templates = dir.join("templates");
    std::fs::create_dir_all(templates.join("nxos")).unwrap();
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/nxos/routes.j2"),
    )
    .unwrap();
    std::fs::write(
        templates.join("nxos/routes.j2"),
        format!("{builtin}\nvrf context management\n  {route}\n"),
    )
    .unwrap();
    (inventory, templates.to_str().unwrap().to_string())
}

#[test]
fn plan_leaves_the_management_vrf_alone_and_refuses_cutting_its_route() {
    let dir = tempfile::tempdir().unwrap();
    let (inventory, templates) =
        example_rendering_management_route(dir.path(), "ip route 10.0.0.0/8 192.0.2.1");
    let args = |extra: &[&'static str]| {
        let mut all = vec![
            "plan".to_string(),
            inventory.clone(),
            "--templates".into(),
            templates.clone(),
            "--device".into(),
            "agg1".into(),
        ];
        all.extend(extra.iter().map(|s| s.to_string()));
        all
    };
    let run = |extra: &[&'static str]| {
        let all = args(extra);
        liaison(&all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let left_alone = run(&["--format", "commands"]);
    assert_eq!(left_alone.status.code(), Some(2), "{}", stderr(&left_alone));
    assert!(
        !stdout(&left_alone).contains("vrf context management"),
        "{}",
        stdout(&left_alone)
    );
    let text = stdout(&run(&[]));
    assert!(
        text.contains("note: left the management plane alone: `vrf context management` (the management VRF and its routes); pass --allow-management-changes to change it"),
        "{text}"
    );
    let refused = run(&["--allow-management-changes"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).is_empty(), "{}", stdout(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("error: refusing the plan of agg1: `no ip route 0.0.0.0/0 192.0.2.1` in `vrf context management`"),
        "{message}"
    );
}

// ----- the management VRF is not for segments -------------------------------

#[test]
fn a_segment_or_external_link_in_the_management_vrf_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = example_with_agg1_running(dir.path(), "");
    replace(
        dir.path(),
        "segments.yml",
        "{ name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: prod }",
        "{ name: app, vlan: 120, subnet: 10.1.20.0/24, vrf: management }",
    );
    replace(
        dir.path(),
        "endpoints.yml",
        "next_hop: 192.0.2.104, vrf: dev }",
        "next_hop: 192.0.2.104, vrf: management }",
    );
    let check = liaison(&["check", &inventory]);
    assert_eq!(check.status.code(), Some(1));
    let message = stderr(&check);
    assert!(
        message.contains("E140")
            && message.contains("segment `app` is in VRF `management`, the management VRF of nxos"),
        "{message}"
    );
    let line_of = |file: &str| {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        let index = text
            .lines()
            .position(|l| l.contains("vrf: management"))
            .unwrap();
        format!("{file}:{}:", index + 1)
    };
    assert!(message.contains(&line_of("segments.yml")), "{message}");
    assert!(
        message.contains("the external link of `agg1` is in VRF `management`"),
        "{message}"
    );
    assert!(message.contains(&line_of("endpoints.yml")), "{message}");
    assert!(
        message.contains("hint: the management VRF is only for reaching the switches"),
        "{message}"
    );
    let plan = liaison(&["plan", &inventory]);
    assert_eq!(plan.status.code(), Some(1));
    assert!(stdout(&plan).is_empty(), "no plan: {}", stdout(&plan));
}

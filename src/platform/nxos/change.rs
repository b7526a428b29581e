//! How NX-OS takes a change safely (`apply`): a checkpoint first, the
//! commands in a configuration session when NX-OS supports one for them
//! (else `configure terminal`), `rollback running-config checkpoint NAME
//! atomic` on any failure, `copy running-config startup-config` once
//! verified. Sources: Cisco Nexus 9000 Series NX-OS System Management
//! Configuration Guide ("Configuring Rollback", "Configuring Session
//! Manager"); docs/pushing.md.

use crate::device::DeviceError;
use crate::platform::Cli;

/// Takes a checkpoint of the running config named `name`.
pub fn checkpoint(name: &str) -> String {
    format!("checkpoint {name}")
}

/// Deletes checkpoint `name` once it is no longer needed.
pub fn drop_checkpoint(name: &str) -> String {
    format!("no checkpoint {name}")
}

/// Returns the running config to checkpoint `name`, all or nothing.
pub fn rollback(name: &str) -> String {
    format!("rollback running-config checkpoint {name} atomic")
}

/// Saves the running config so that it survives a reload.
pub const SAVE: &str = "copy running-config startup-config";

/// Leaves configuration mode.
pub const END: &str = "end";

/// Whether NX-OS takes the whole change inside a configuration session.
/// Its Session Manager supports only the ACL feature (Cisco's guidelines
/// for it): access lists and object-groups, whatever their entries, and
/// interfaces where only `ip access-group` bindings change. Any other
/// change is typed in `configure terminal`, still under the checkpoint.
pub fn session_capable(commands: &[String]) -> bool {
    const ACL_SECTIONS: &[&str] = &[
        "ip access-list ",
        "no ip access-list ",
        "object-group ip ",
        "no object-group ip ",
    ];
    let mut section_is_acl = false;
    let mut in_interface = false;
    commands.iter().all(|command| {
        if command.starts_with(' ') {
            let line = command.trim_start();
            section_is_acl
                || (in_interface
                    && (line.starts_with("ip access-group ")
                        || line.starts_with("no ip access-group ")))
        } else {
            section_is_acl = ACL_SECTIONS.iter().any(|p| command.starts_with(p));
            in_interface = command.starts_with("interface ");
            section_is_acl || in_interface
        }
    })
}

/// The commands inside a configuration session, or in config mode.
pub fn configure(cli: &mut dyn Cli, commands: &[String], name: &str) -> Result<(), DeviceError> {
    if session_capable(commands) {
        cli.run(&format!("configure session {name}"))?;
        let typed = commands
            .iter()
            .chain([&"verify".to_string(), &"commit".to_string()])
            .try_for_each(|command| cli.run(command).map(drop));
        if let Err(e) = typed {
            // Sessions outlive the connection on NX-OS (32 at most): leave
            // none behind.
            let _ = cli.run("abort");
            return Err(e);
        }
    } else {
        cli.run("configure terminal")?;
        for command in commands {
            cli.run(command)?;
        }
    }
    Ok(())
}

/// Equal running configs, ignoring the timestamps in the header.
pub fn same_config(a: &str, b: &str) -> bool {
    let body = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                !l.starts_with("!Time:") && !l.starts_with("!Running configuration last done")
            })
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    body(a) == body(b)
}

#[cfg(test)]
mod tests {
    use super::session_capable;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn only_acl_changes_go_into_a_session() {
        assert!(session_capable(&lines(
            "object-group ip address segments-all\n  10 10.1.10.0/24\n\
             ip access-list web-in\n  statistics per-entry\n  no 30\n  30 deny ip any any\n\
             no ip access-list old-in\nno object-group ip port ports-22\n\
             interface Vlan110\n  no ip access-group old-in in\n  ip access-group web-in in"
        )));
        for other in [
            "vlan 110\n  name web",
            "interface Vlan110\n  ip access-group web-in in\n  no shutdown",
            "interface Ethernet1/1\n  switchport trunk allowed vlan add 110",
            "ip access-list web-in\n  10 permit ip any any\nfeature hsrp",
            "no vlan 130",
        ] {
            assert!(!session_capable(&lines(other)), "{other}");
        }
    }
}

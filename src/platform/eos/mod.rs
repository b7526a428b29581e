//! Arista EOS: the second platform (issue #13, step 2). liaison reads and
//! plans EOS configs ([`Eos`] is its [`Dialect`] and [`Remediator`]),
//! drives its CLI and reads its MLAG pairs ([`Driver`]), pushes to it
//! with a confirmed commit ([`ChangeStrategy`]) and reads its running
//! configs back for `verify` ([`Readback`]).

pub mod acl;
mod acl_port_names;
pub mod change;
pub mod cli;
pub mod cli_text;
pub mod config;
pub mod defaults;
pub mod numbering;
pub mod pair;
pub mod ports;
pub mod readback;
pub mod remediation;
pub mod render;
pub mod signatures;
pub mod tcam;

use crate::config::key::KeyRules;
use crate::config::{ConfigTree, Node, ParseError, PartialPortDefaults, PortDefaults};
use crate::device::{DeviceError, PairDetail, PairState, Shell};
use crate::plan::remediate::RemediationRules;
use crate::plan::Command;
use crate::platform::{
    BridgeSetting, ChangeStrategy, Cli, Dialect, Driver, Platform, Readback, Remediator, Section,
};
use std::time::Duration;

/// The EOS platform: its [`Dialect`], [`Remediator`] and [`Driver`].
pub struct Eos;

impl Dialect for Eos {
    /// EOS prints three spaces a level (`show running-config`; the public
    /// configs of ../shared/corpus/eos).
    fn indent(&self) -> usize {
        3
    }

    fn normalise<'t>(&self, nodes: Vec<Node<'t>>) -> Vec<Node<'t>> {
        config::normalise(nodes)
    }

    fn text_block_end(&self, line: &str) -> Option<&'static str> {
        config::TEXT_BLOCKS
            .contains(&line)
            .then_some(config::TEXT_BLOCK_END)
    }

    fn key_rules(&self) -> &'static KeyRules {
        &config::KEYS
    }

    fn hostname_commands(&self) -> &'static [&'static str] {
        config::HOSTNAME
    }

    fn spaced(&self) -> &'static [&'static str] {
        config::SPACED
    }

    fn section<'h>(&self, header: &'h str) -> Option<Section<'h>> {
        if let Some(id) = header.strip_prefix("vlan ") {
            Some(Section::Vlan(id.parse().ok()))
        } else if let Some(name) = header.strip_prefix("vrf instance ") {
            Some(Section::Vrf(name))
        } else if header == "mlag configuration" {
            Some(Section::PairDomain)
        } else if let Some(id) = header.strip_prefix("interface Vlan") {
            Some(Section::Svi(id.parse().ok()))
        } else if header
            .strip_prefix("interface Port-Channel")
            .is_some_and(|n| !n.contains('.'))
        {
            Some(Section::PortChannel)
        } else if defaults::is_physical_port(header) {
            Some(Section::Port)
        } else if config::is_acl(header) {
            Some(Section::Acl)
        } else {
            None
        }
    }

    fn bridge_setting(&self, text: &str) -> Option<BridgeSetting> {
        config::bridge_setting(text)
    }

    fn stp_mode_key(&self) -> &'static str {
        "spanning-tree mode"
    }

    fn fallback_port_defaults(&self) -> PortDefaults {
        defaults::DEFAULTS
    }

    fn model_port_defaults(&self, _model: Option<&str>) -> PortDefaults {
        defaults::DEFAULTS
    }

    fn port_defaults_in_config(&self, nodes: &[Node<'_>]) -> PartialPortDefaults {
        defaults::in_config(nodes)
    }

    fn port_defaults_query(&self) -> &'static str {
        defaults::SHOW_PORT_DEFAULTS
    }

    fn parse_port_defaults(&self, text: &str) -> Result<PortDefaults, String> {
        defaults::parse_spec(text)
    }

    fn config_file_hint(&self) -> &'static str {
        "pass a file holding EOS configuration text (`show running-config`)"
    }

    fn blank_running(&self, intended: &[Node<'_>]) -> String {
        defaults::blank_running(intended)
    }

    fn states_admin(&self, node: &Node<'_>) -> bool {
        defaults::states_admin(node)
    }

    fn make_explicit(
        &self,
        nodes: &mut [Node<'_>],
        port_defaults: PortDefaults,
        state_admin: &dyn Fn(&str) -> bool,
    ) {
        defaults::make_explicit(nodes, port_defaults, state_admin)
    }

    fn state_stp_mode(&self, a: &mut Vec<Node<'_>>, b: &mut Vec<Node<'_>>) {
        defaults::state_stp_mode(a, b)
    }
}

impl Remediator for Eos {
    fn rules(&self) -> &'static RemediationRules {
        &remediation::RULES
    }

    fn is_physical_port(&self, name: &str) -> bool {
        remediation::is_physical_interface(name)
    }

    fn factory_state(&self, header: &str, port_defaults: PortDefaults) -> Option<Node<'static>> {
        defaults::factory_state(header, port_defaults)
    }

    fn is_factory_state(&self, node: &Node<'_>, port_defaults: PortDefaults) -> bool {
        defaults::is_factory_state(node, port_defaults)
    }

    fn notes(
        &self,
        commands: &[Command],
        running: &ConfigTree<'_>,
        intended: &ConfigTree<'_>,
    ) -> Vec<String> {
        remediation::acl_update_note(commands, running, intended)
            .into_iter()
            .collect()
    }

    fn config_notes(&self, running: &ConfigTree<'_>, intended: &ConfigTree<'_>) -> Vec<String> {
        remediation::management_vrf_note(running, intended)
            .into_iter()
            .collect()
    }
}

impl Readback for Eos {
    fn read(
        &self,
        name: &str,
        source: &str,
        text: &str,
        tree: ConfigTree<'_>,
        port_defaults: PortDefaults,
    ) -> crate::verify::ObservedDevice {
        readback::read(name, source, text, tree, port_defaults)
    }
}

impl Driver for Eos {
    fn open_cli<'s>(
        &self,
        device: &str,
        shell: Box<dyn Shell + 's>,
    ) -> Result<Box<dyn Cli + 's>, DeviceError> {
        Ok(Box::new(cli::open(device, shell)?))
    }

    fn error_in<'a>(&self, answer: &'a str) -> Option<&'a str> {
        cli::error_in(answer)
    }

    /// `show mlag detail`, then `show mlag interfaces` and `show mlag
    /// config-sanity` ([`pair`]).
    fn pair_query(&self) -> Option<&'static str> {
        Some(pair::SHOW_PAIR)
    }

    /// Its MLAG ports, and the settings the members disagree on.
    fn pair_details(&self) -> &'static [(PairDetail, &'static str)] {
        &[
            (PairDetail::Links, pair::SHOW_PAIR_PORTS),
            (PairDetail::Settings, pair::SHOW_PAIR_SANITY),
        ]
    }

    /// EOS elects its MLAG primary itself (liaison's templates set no
    /// priority): the member `show mlag detail` calls secondary goes first;
    /// a dual-primary or a peer-link down without negotiation is refused.
    fn pair_read_first(&self) -> bool {
        true
    }

    fn parse_pair(&self, answer: &str) -> Option<PairState> {
        pair::parse(answer)
    }

    /// The answer to `show running-config all | include switchport
    /// default` is not read yet: the settings stay unknown.
    fn parse_port_defaults(&self, _answer: &str) -> Option<PartialPortDefaults> {
        None
    }
}

impl ChangeStrategy for Eos {
    fn prepare(&self, cli: &mut dyn Cli, _name: &str) -> Result<(), String> {
        change::prepare(cli)
    }

    /// [`change::prepare`] lists the sessions, looking for a pending commit.
    fn preparing(&self) -> &'static str {
        "checking the configuration sessions"
    }

    /// Aborting a session whose commit waits for its confirmation returns
    /// to the config before its commit.
    fn restore_point(&self, name: &str) -> String {
        format!("the running config before session {name}")
    }

    fn configure(
        &self,
        cli: &mut dyn Cli,
        commands: &[String],
        name: &str,
        confirm_within: Duration,
    ) -> Result<Option<String>, DeviceError> {
        change::configure(cli, commands, name, confirm_within)
    }

    fn confirm(&self, name: &str) -> Option<String> {
        Some(change::confirm(name))
    }

    fn unconfirmed(&self, name: &str, confirm_within: Duration) -> Option<String> {
        Some(change::unconfirmed(name, confirm_within))
    }

    fn rollback(&self, name: &str) -> String {
        change::rollback(name)
    }

    /// A confirmed session leaves nothing to delete (EOS keeps the last
    /// completed session on its own).
    fn forget(&self, _name: &str) -> Option<String> {
        None
    }

    fn save(&self) -> &'static str {
        change::SAVE
    }

    fn end(&self) -> &'static str {
        change::END
    }

    fn same_config(&self, a: &str, b: &str) -> bool {
        change::same_config(a, b)
    }

    /// Guess: EOS does not suspend MLAG interfaces over a setting the two
    /// members disagree on (`show mlag config-sanity` reports it), so no
    /// change needs the second member at once, and no MLAG port going
    /// down between the members' changes is expected
    /// ([`ChangeStrategy::pair_consistency`] stays None).
    fn changes_pair_consistency(&self, _commands: &[String]) -> bool {
        false
    }
}

/// EOS config text as a normalised tree: [`crate::config::parse`] for this
/// platform.
pub fn parse(text: &str) -> Result<ConfigTree<'_>, ParseError> {
    crate::config::parse(text, Platform::Eos)
}

/// A tree as EOS prints it: [`ConfigTree::to_text`] for this platform.
pub fn print(tree: &ConfigTree<'_>) -> String {
    tree.to_text(&Eos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_commands_are_errors_and_configs_are_not() {
        let refused = "show vpc\n% Invalid input (at token 1: 'vpc')";
        assert_eq!(
            Eos.error_in(refused),
            Some("% Invalid input (at token 1: 'vpc')")
        );
        assert!(Eos.error_in("   ^\n% Incomplete command").is_some());
        let config = "! Command: show running-config\nhostname leaf1\n!\ninterface Ethernet1\n   description 100% up\n";
        assert_eq!(Eos.error_in(config), None);
        assert_eq!(Eos.error_in(""), None);
    }
}

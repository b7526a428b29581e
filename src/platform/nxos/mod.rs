//! Cisco NX-OS (Nexus 9000/3000): the platform liaison supports end to end.

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
use crate::device::{DeviceError, PairState, Shell};
use crate::plan::remediate::RemediationRules;
use crate::plan::Command;
use crate::platform::{
    BridgeSetting, ChangeStrategy, Cli, Dialect, Driver, PairConsistency, Platform, Readback,
    Remediator, Section,
};
use std::time::Duration;

/// The NX-OS platform: one value implementing each platform trait.
pub struct Nxos;

impl Dialect for Nxos {
    /// NX-OS prints two spaces a level (`show running-config`; the public
    /// configs of ../shared/corpus/nxos).
    fn indent(&self) -> usize {
        2
    }

    fn normalise<'t>(&self, nodes: Vec<Node<'t>>) -> Vec<Node<'t>> {
        config::normalise(nodes)
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
        } else if let Some(name) = header.strip_prefix("vrf context ") {
            Some(Section::Vrf(name))
        } else if header.starts_with("vpc domain ") {
            Some(Section::PairDomain)
        } else if let Some(id) = header.strip_prefix("interface Vlan") {
            Some(Section::Svi(id.parse().ok()))
        } else if header.starts_with("interface port-channel") {
            Some(Section::PortChannel)
        } else if header
            .strip_prefix("interface ")
            .is_some_and(remediation::is_physical_interface)
        {
            Some(Section::Port)
        } else if config::is_acl(header) {
            Some(Section::Acl)
        } else if header.starts_with("object-group ") {
            Some(Section::ObjectGroup)
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
        defaults::FALLBACK.defaults
    }

    fn model_port_defaults(&self, model: Option<&str>) -> PortDefaults {
        defaults::of_model(model)
            .unwrap_or(&defaults::FALLBACK)
            .defaults
    }

    fn port_defaults_in_config(&self, nodes: &[Node<'_>]) -> PartialPortDefaults {
        defaults::in_config(nodes)
    }

    fn port_defaults_query(&self) -> &'static str {
        defaults::SHOW_SYSTEM_DEFAULTS
    }

    fn parse_port_defaults(&self, text: &str) -> Result<PortDefaults, String> {
        defaults::parse_spec(text)
    }

    fn config_file_hint(&self) -> &'static str {
        "pass a file holding NX-OS configuration text (`show running-config`)"
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

impl Remediator for Nxos {
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

    fn negate_special(&self, text: &str) -> Option<String> {
        remediation::negate_per_tree(text)
    }

    fn regroup(&self, commands: Vec<Command>) -> Vec<Command> {
        remediation::group_per_tree(commands)
    }
}

impl Readback for Nxos {
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

impl Driver for Nxos {
    fn open_cli<'s>(
        &self,
        device: &str,
        shell: Box<dyn Shell + 's>,
    ) -> Result<Box<dyn Cli + 's>, DeviceError> {
        Ok(Box::new(cli::NxosCli::open(device, shell)?))
    }

    fn error_in<'a>(&self, answer: &'a str) -> Option<&'a str> {
        cli::error_in(answer)
    }

    fn pair_query(&self) -> Option<&'static str> {
        Some(pair::SHOW_PAIR)
    }

    fn parse_pair(&self, answer: &str) -> Option<PairState> {
        pair::parse(answer)
    }

    fn parse_port_defaults(&self, answer: &str) -> Option<PartialPortDefaults> {
        Some(defaults::parse_answer(answer))
    }
}

impl ChangeStrategy for Nxos {
    fn prepare(&self, cli: &mut dyn Cli, name: &str) -> Result<(), String> {
        cli.run(&change::checkpoint(name))
            .map(drop)
            .map_err(|e| format!("no checkpoint, nothing changed: {e}"))
    }

    fn preparing(&self) -> &'static str {
        "checkpoint"
    }

    fn restore_point(&self, name: &str) -> String {
        change::checkpoint(name)
    }

    /// NX-OS has no confirmed commit: a change stays once typed.
    fn confirm(&self, _name: &str) -> Option<String> {
        None
    }

    fn unconfirmed(&self, _name: &str, _confirm_within: Duration) -> Option<String> {
        None
    }

    fn forget(&self, name: &str) -> Option<String> {
        Some(change::drop_checkpoint(name))
    }

    fn rollback(&self, name: &str) -> String {
        change::rollback(name)
    }

    fn save(&self) -> &'static str {
        change::SAVE
    }

    fn end(&self) -> &'static str {
        change::END
    }

    fn configure(
        &self,
        cli: &mut dyn Cli,
        commands: &[String],
        name: &str,
        _confirm_within: Duration,
    ) -> Result<Option<String>, DeviceError> {
        change::configure(cli, commands, name).map(|()| None)
    }

    fn same_config(&self, a: &str, b: &str) -> bool {
        change::same_config(a, b)
    }

    fn changes_pair_consistency(&self, commands: &[String]) -> bool {
        cli::changes_type1_consistency(commands)
    }

    /// A type-1 parameter that differs between the members suspends the
    /// secondary's vPCs (Cisco's "graceful consistency check") until the
    /// peer matches.
    fn pair_consistency(&self) -> Option<PairConsistency> {
        Some(PairConsistency {
            change: "a vPC type-1 change",
            expected: "as a type-1 change does",
        })
    }
}

/// NX-OS config text as a normalised tree: [`crate::config::parse`] for
/// this platform.
pub fn parse(text: &str) -> Result<ConfigTree<'_>, ParseError> {
    crate::config::parse(text, Platform::Nxos)
}

/// A tree as NX-OS prints it: [`ConfigTree::to_text`] for this platform.
pub fn print(tree: &ConfigTree<'_>) -> String {
    tree.to_text(&Nxos)
}

//! The platform layer: everything liaison knows about one switch operating
//! system lives in its folder here (`nxos/`, `eos/`), and generic modules
//! reach it only through [`Platform`].
//!
//! Issue #13, step 1: the text side (config dialect, remediation rules,
//! readback, CLI driver, change strategy) and the build side (templates,
//! port naming, numbering, reserved VLANs, TCAM model) move here, one
//! value per platform looked up by `Platform`.

pub mod ace;
pub mod build;
pub mod eos;
pub mod nxos;
pub mod observe;

use crate::config::key::KeyRules;
use crate::config::signature::Signatures;
use crate::config::{ConfigTree, Node, PartialPortDefaults, PortDefaults};
use crate::device::{DeviceError, PairDetail, PairState, Shell};
use crate::plan::remediate::RemediationRules;
use crate::plan::Command;
use std::borrow::Cow;
use std::time::Duration;

/// How one platform writes its configuration text: what `config` needs to
/// turn `show running-config` into a tree where two configs that mean the
/// same thing are equal, and to tell which lines of two trees are the same
/// setting. One value per platform ([`Platform::dialect`]).
pub trait Dialect: Sync {
    /// The spaces of indentation per nesting level the platform prints
    /// its config with (NX-OS 2, EOS 3): every printer of a tree, a
    /// command listing or a diff indents with it.
    fn indent(&self) -> usize;

    /// The tree as nested by indentation, with the lines the platform
    /// derives or folds turned back into one node per setting.
    fn normalise<'t>(&self, nodes: Vec<Node<'t>>) -> Vec<Node<'t>>;

    /// The line that ends the text block `line` (trimmed) opens, for a
    /// platform that writes multi-line text as a command followed by its
    /// text and an end line (EOS: `banner login` … `EOF`); the block is
    /// then one node, its text lines never read as commands or comments.
    fn text_block_end(&self, _line: &str) -> Option<&'static str> {
        None
    }

    /// The platform's rules for what identifies a line within its section
    /// ([`KeyRules`]: sequenced lists, bindings, single-value settings).
    fn key_rules(&self) -> &'static KeyRules;

    /// What identifies a line within its section (`parent` is the section's
    /// header, None at the top level): two lines with the same key are the
    /// same setting, so one replaces the other. One algorithm for every
    /// platform ([`KeyRules::key`]), driven by [`Dialect::key_rules`].
    fn key<'a>(&self, parent: Option<&str>, text: &'a str) -> Cow<'a, str> {
        self.key_rules().key(parent, text)
    }

    /// Prefixes of the top-level lines printed after a blank line even when
    /// nothing is under them (`interface `: a bare interface is still a
    /// section); every section is printed after one. Every printer of a
    /// tree (its text, a plan's diff) spaces it so.
    fn spaced(&self) -> &'static [&'static str];

    /// The top-level commands that name the switch, each with its space
    /// (`hostname `): a running config that names another switch than the
    /// one it was read for is refused.
    fn hostname_commands(&self) -> &'static [&'static str];

    /// What kind of section a top-level line opens, for the kinds a plan
    /// counts and scopes; None for any other line.
    fn section<'h>(&self, header: &'h str) -> Option<Section<'h>>;

    /// The spanning-tree setting a top-level line is, if any.
    fn bridge_setting(&self, text: &str) -> Option<BridgeSetting>;

    /// The key ([`Dialect::key`]) of the spanning-tree mode line.
    fn stp_mode_key(&self) -> &'static str;

    // The interface settings the platform hides (docs/plan-internals.md
    // "Defaults the switch hides").

    /// The port defaults of a switch liaison knows nothing about.
    fn fallback_port_defaults(&self) -> PortDefaults;

    /// The port defaults of `model` from liaison's table, else the fallback.
    fn model_port_defaults(&self, model: Option<&str>) -> PortDefaults;

    /// The port defaults a config states about itself.
    fn port_defaults_in_config(&self, nodes: &[Node<'_>]) -> PartialPortDefaults;

    /// The command that asks a switch for its port defaults.
    fn port_defaults_query(&self) -> &'static str;

    /// Port defaults named on the command line (`diff --defaults`), or
    /// why the text names none.
    fn parse_port_defaults(&self, text: &str) -> Result<PortDefaults, String>;

    /// How to fix a config file that is missing or holds no configuration
    /// line: what text the file should hold.
    fn config_file_hint(&self) -> &'static str;

    /// The running config of a factory-new switch that `intended` is for.
    fn blank_running(&self, intended: &[Node<'_>]) -> String;

    /// Whether an interface section states its admin state.
    fn states_admin(&self, node: &Node<'_>) -> bool;

    /// States the hidden settings of every interface in `nodes`, the admin
    /// state only where `state_admin(header)` says so.
    fn make_explicit(
        &self,
        nodes: &mut [Node<'_>],
        defaults: PortDefaults,
        state_admin: &dyn Fn(&str) -> bool,
    );

    /// States the default spanning-tree mode on the side that hides it,
    /// when the other side states one.
    fn state_stp_mode(&self, a: &mut Vec<Node<'_>>, b: &mut Vec<Node<'_>>);
}

/// The kinds of top-level section a plan counts ([`crate::plan::Coverage`])
/// and scopes by the inventory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section<'h> {
    /// A VLAN, with its id when the header gives a valid one.
    Vlan(Option<u16>),
    /// A VRF, by name.
    Vrf(&'h str),
    /// The domain that makes two switches one pair (vPC, MLAG).
    PairDomain,
    /// A VLAN interface, with its VLAN id when valid.
    Svi(Option<u16>),
    PortChannel,
    /// A physical port.
    Port,
    Acl,
    ObjectGroup,
}

/// A spanning-tree setting of the top level that a plan scopes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BridgeSetting {
    /// A per-VLAN setting of one VLAN.
    Vlan(u16),
    /// The MST region or an MST instance's priority.
    Mst,
}

/// How a platform turns a running config into an intended one: its
/// remediation rules (data read by the generic algorithm of
/// [`crate::plan::remediate`]), the few hooks data cannot express, and
/// what a plan must never cut. One value per platform
/// ([`Platform::remediator`]); lines are keyed by its [`Dialect`].
pub trait Remediator: Dialect {
    /// The platform's rules (docs/plan-internals.md, "Remediation rules").
    fn rules(&self) -> &'static RemediationRules;

    /// Whether the interface `name` (the header without the interface
    /// prefix) exists in hardware: it is reset, never deleted.
    fn is_physical_port(&self, name: &str) -> bool;

    /// The section a port with header `header` has on a switch with
    /// `defaults` before anything configures it; None for what is not a
    /// port.
    fn factory_state(&self, header: &str, defaults: PortDefaults) -> Option<Node<'static>>;

    /// Whether `node` is a port in its factory state.
    fn is_factory_state(&self, node: &Node<'_>, defaults: PortDefaults) -> bool;

    /// The negation of `text` where neither the platform's negation rules
    /// nor the negation word express it; None to use those.
    fn negate_special(&self, _text: &str) -> Option<String> {
        None
    }

    /// The commands in the form typed by hand, where the platform groups
    /// lines the config prints one by one.
    fn regroup(&self, commands: Vec<Command>) -> Vec<Command> {
        commands
    }

    /// What the platform says about `commands` (running → intended, both
    /// in the plan's scope) that the operator should know before they are
    /// applied.
    fn notes(
        &self,
        _commands: &[Command],
        _running: &ConfigTree<'_>,
        _intended: &ConfigTree<'_>,
    ) -> Vec<String> {
        Vec::new()
    }

    /// What the platform says about the whole running config (the
    /// management plane and the lines liaison does not manage included)
    /// beside the intended one, whatever the plan changes.
    fn config_notes(&self, _running: &ConfigTree<'_>, _intended: &ConfigTree<'_>) -> Vec<String> {
        Vec::new()
    }
}

/// How a platform's running config is read back into what the switch
/// does (`verify`): the inverse of its templates. One value per platform
/// ([`Platform::readback`]).
pub trait Readback: Sync {
    /// Reads the running config of switch `name` (read from `source`):
    /// `tree` is `text` parsed by the platform's dialect, `defaults` the
    /// switch's hidden port defaults, stated before the tree is read.
    fn read(
        &self,
        name: &str,
        source: &str,
        text: &str,
        tree: ConfigTree<'_>,
        defaults: PortDefaults,
    ) -> crate::verify::ObservedDevice;
}

/// A command line on a switch, opened by the platform's driver (which
/// knows its prompts and error markers): one command in, its answer out,
/// a refused command an error.
pub trait Cli: Send {
    fn run(&mut self, command: &str) -> Result<String, DeviceError>;
    /// Whether the device has closed the session, as far as is known
    /// without asking it.
    fn closed(&self) -> bool {
        false
    }
}

/// How liaison talks to a platform's switches over SSH (`remote`): its
/// CLI, how it refuses a command, and the questions liaison asks it. One
/// value per platform ([`Platform::driver`]).
pub trait Driver: Sync {
    /// Opens the platform's CLI on `shell` of switch `device` (prompt,
    /// paging and confirmations handled by the platform); an error where
    /// liaison cannot drive the platform's CLI yet.
    fn open_cli<'s>(
        &self,
        device: &str,
        shell: Box<dyn Shell + 's>,
    ) -> Result<Box<dyn Cli + 's>, DeviceError>;

    /// The first line of a command's answer that reports an error, if any.
    fn error_in<'a>(&self, answer: &'a str) -> Option<&'a str>;

    /// The command that shows the switch's pair state; None while liaison
    /// cannot read the platform's pairs.
    fn pair_query(&self) -> Option<&'static str>;

    /// More commands whose answers complete the pair state (EOS lists its
    /// MLAG ports apart from the MLAG's state), each with what it tells,
    /// run after [`Driver::pair_query`]. A detail the switch refuses
    /// leaves the rest of the state usable ([`PairState::unread`]).
    fn pair_details(&self) -> &'static [(PairDetail, &'static str)] {
        &[]
    }

    /// Whether a rollout reads the pair state of every pair member with a
    /// change before it sends anything: the role the switch reports
    /// ([`PairState::role`]) then decides which member goes first (the
    /// secondary), and a pair that looks split (both members primary, or
    /// [`PairState::split`]) is not touched. Where not (the default), the
    /// intent decides the order (NX-OS: the member with the higher `role
    /// priority`, which liaison configures itself).
    fn pair_read_first(&self) -> bool {
        false
    }

    /// The pair state in the answer to [`Driver::pair_query`] (followed by
    /// the answers to [`Driver::pair_details`] the switch gave, in their
    /// order, each on lines of its own); None when the switch has no pair.
    fn parse_pair(&self, answer: &str) -> Option<PairState>;

    /// The port defaults the answer to [`Dialect::port_defaults_query`]
    /// states; None while liaison cannot read the platform's answer (the
    /// query is then not sent).
    fn parse_port_defaults(&self, answer: &str) -> Option<PartialPortDefaults>;
}

/// How a platform's switches take a change safely (`apply`): what makes
/// the change undoable before it is typed (a restore point, or a check that
/// nothing stands in the way of a confirmed commit), the commands typed
/// atomically where the platform can, back to the starting point on any
/// failure, and, once verified, whatever keeps the change (a confirmation)
/// and the save. Two shapes fit: a checkpoint that the change is rolled
/// back to (NX-OS), or a commit the switch undoes by itself unless
/// confirmed in time (EOS's commit timer). One value per platform
/// ([`Platform::change_strategy`]).
pub trait ChangeStrategy: Sync {
    /// Readies change `name` on the CLI before any command of it is typed
    /// (NX-OS: takes a checkpoint; EOS: refuses while another session's
    /// commit waits for its confirmation). Err: why, nothing changed.
    fn prepare(&self, cli: &mut dyn Cli, name: &str) -> Result<(), String>;
    /// What [`ChangeStrategy::prepare`] does, for the progress line
    /// (NX-OS `checkpoint`).
    fn preparing(&self) -> &'static str;
    /// What a rollback of change `name` returns to, for a failure's
    /// message (NX-OS `checkpoint NAME`).
    fn restore_point(&self, name: &str) -> String;
    /// Types `commands` in configuration mode (atomically where the
    /// platform can; `name`: the change's name, for a session); a commit
    /// that needs confirming is confirmed within `confirm_within` or
    /// undone by the switch. Returns what the switch says the change is
    /// (a session's diff), for the log, where it says.
    fn configure(
        &self,
        cli: &mut dyn Cli,
        commands: &[String],
        name: &str,
        confirm_within: Duration,
    ) -> Result<Option<String>, DeviceError>;
    /// The command, typed on the CLI, that keeps verified change `name`;
    /// None where a change stays once typed.
    fn confirm(&self, name: &str) -> Option<String>;
    /// What happens to change `name` if it is never confirmed (or rolled
    /// back by liaison), for a failure's message; None where it stays.
    fn unconfirmed(&self, name: &str, confirm_within: Duration) -> Option<String>;
    /// The command, typed on the CLI, that returns the running config to
    /// how it was before change `name`.
    fn rollback(&self, name: &str) -> String;
    /// The command, run once the change is kept, that deletes what
    /// [`ChangeStrategy::prepare`] left on the switch; None if nothing.
    fn forget(&self, name: &str) -> Option<String>;
    /// The command that saves the running config for the next reload.
    fn save(&self) -> &'static str;
    /// The command that leaves configuration mode.
    fn end(&self) -> &'static str;
    /// Whether two running configs read from the device are the same,
    /// whatever the platform prints that changes on every read.
    fn same_config(&self, a: &str, b: &str) -> bool;
    /// Whether `commands` change a setting both members of a pair must
    /// agree on (the pair is inconsistent between the members' changes).
    fn changes_pair_consistency(&self, commands: &[String]) -> bool;
    /// How messages name a change that
    /// [`ChangeStrategy::changes_pair_consistency`] and what it does to
    /// the pair; None where no change is expected to take bundles down.
    fn pair_consistency(&self) -> Option<PairConsistency> {
        None
    }
}

/// A platform's words for a change to a setting both members of a pair
/// must agree on ([`ChangeStrategy::pair_consistency`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairConsistency {
    /// Such a change, for a bundle that went down after a change that is
    /// none (E190): NX-OS `a vPC type-1 change`.
    pub change: &'static str,
    /// Why the bundles it takes down between the members' changes are
    /// expected, for the summary: NX-OS `as a type-1 change does`.
    pub expected: &'static str,
}

/// A platform's words for its pairs ([`Platform::pair_words`]).
#[derive(Debug)]
pub struct PairWords {
    /// The description liaison gives a peer-link bundle, before ` to PEER`
    /// (a rendered config line: NX-OS `vpc peer-link`).
    pub peer_link_description: &'static str,
    /// The heartbeat the members exchange over the management network,
    /// where liaison configures one from the switches' `keepalive:` (or
    /// `mgmt`) addresses; None where the pair needs none.
    pub keepalive: Option<KeepaliveWords>,
    /// The switch's management interface (NX-OS `mgmt0`).
    pub management_interface: &'static str,
    /// A front-panel port as a hint writes it (NX-OS `EthernetX/Y`).
    pub port_example: &'static str,
    /// Why two pairs may not share a domain number, for a hint: `: ` and
    /// the reason, or empty where the platform's manual gives none.
    pub domain_shared: &'static str,
}

/// How messages name a pair's management-network heartbeat
/// ([`PairWords::keepalive`]).
#[derive(Debug)]
pub struct KeepaliveWords {
    /// Its name in full (NX-OS `vPC peer-keepalive`).
    pub name: &'static str,
    /// Its short name (NX-OS `peer-keepalive`).
    pub short: &'static str,
    /// The config line a member gets (NX-OS `peer-keepalive destination
    /// PEER source OWN`).
    pub line: fn(destination: &str, source: &str) -> String,
}

/// A switch operating system liaison knows. Closed set: adding one means a
/// folder here and an arm in each lookup below. The default is the
/// platform of a switch whose inventory does not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    #[default]
    Nxos,
    Eos,
}

impl Platform {
    pub const NAMES: &'static [&'static str] = &["nxos", "eos"];
    pub const ALL: [Platform; 2] = [Platform::Nxos, Platform::Eos];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Nxos => "nxos",
            Platform::Eos => "eos",
        }
    }

    /// The platform an inventory names (`platform: nxos`), if any.
    pub fn from_name(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// How the platform's configuration text shows that it is one.
    pub fn signatures(self) -> &'static Signatures {
        match self {
            Platform::Nxos => &nxos::signatures::SIGNATURES,
            Platform::Eos => &eos::signatures::SIGNATURES,
        }
    }

    /// The platform's config dialect; None while liaison cannot read its
    /// configs.
    pub fn dialect(self) -> Option<&'static dyn Dialect> {
        match self {
            Platform::Nxos => Some(&nxos::Nxos),
            Platform::Eos => Some(&eos::Eos),
        }
    }

    /// The platform's remediation rules; None while liaison cannot plan
    /// its configs.
    pub fn remediator(self) -> Option<&'static dyn Remediator> {
        match self {
            Platform::Nxos => Some(&nxos::Nxos),
            Platform::Eos => Some(&eos::Eos),
        }
    }

    /// How the platform's running configs are read back; None while
    /// liaison cannot verify its switches.
    pub fn readback(self) -> Option<&'static dyn Readback> {
        match self {
            Platform::Nxos => Some(&nxos::Nxos),
            Platform::Eos => Some(&eos::Eos),
        }
    }

    /// How liaison talks to the platform's switches over SSH.
    pub fn driver(self) -> &'static dyn Driver {
        match self {
            Platform::Nxos => &nxos::Nxos,
            Platform::Eos => &eos::Eos,
        }
    }

    /// How the platform's switches take a change; None while liaison
    /// cannot push to them.
    pub fn change_strategy(self) -> Option<&'static dyn ChangeStrategy> {
        match self {
            Platform::Nxos => Some(&nxos::Nxos),
            Platform::Eos => Some(&eos::Eos),
        }
    }

    /// Whether liaison plans this platform's configs (`plan`, `diff`): it
    /// reads them ([`Platform::dialect`]) and knows how to change them
    /// ([`Platform::remediator`]).
    pub fn plans_configs(self) -> bool {
        self.dialect().is_some() && self.remediator().is_some()
    }

    /// What the platform calls two switches acting as one and the bundles
    /// they share (`vPC 10`, `MLAG 10`), for messages.
    pub fn pair_name(self) -> &'static str {
        match self {
            Platform::Nxos => nxos::pair::NAME,
            Platform::Eos => eos::pair::NAME,
        }
    }

    /// The platform's words for its pairs and their management side, for
    /// messages, hints and the descriptions liaison renders.
    pub fn pair_words(self) -> &'static PairWords {
        match self {
            Platform::Nxos => &nxos::pair::WORDS,
            Platform::Eos => &eos::pair::WORDS,
        }
    }

    /// The VRF the platform's management interface lives in: reserved for
    /// reaching the switch, never a segment's or an external link's.
    pub fn management_vrf(self) -> &'static str {
        match self {
            Platform::Nxos => nxos::remediation::MANAGEMENT_VRF,
            // EOS has no fixed name: the one assumed where no management
            // port names one (a plan reads each port's own).
            Platform::Eos => eos::remediation::ASSUMED_MANAGEMENT_VRF,
        }
    }
}

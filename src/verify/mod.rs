//! `liaison verify`: prove from the running configs that every VM can run
//! on every host of its zone with the same network and the same policy.
//!
//! `plan` answers "do the devices equal what we would generate?"; verify
//! answers the question itself, for fabrics liaison did not write too. Each
//! running config is read back into an [`ObservedDevice`] (per platform:
//! [`crate::platform::Readback`]); the proof ([`proof`]) then walks the inventory (every zone,
//! host and segment, every path from a host up to its gateways) against
//! what the switches actually carry, route and filter, and reports one
//! [`Finding`] per cause with everything that cause breaks ([`report`]
//! prints them). docs/verify.md describes the checks and the JSON schema.

pub mod observed;
mod policy;
mod proof;
pub mod report;
mod routing;

pub use observed::ObservedDevice;
pub use proof::{name_ranges, prove};

use crate::config::PartialPortDefaults;
use crate::input_error::InputError;
use crate::intent::{DeviceIntent, Intent};
use crate::plan::fleet::{port_defaults, same_switch, selection_failures, ConfigFile, Running};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What kind of problem a finding is. Each has a stable code
/// (docs/diagnostics.md, "verify findings").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A VLAN a host needs is not defined on a switch on its path.
    VlanUndefined,
    /// A port or port-channel on a host's path does not carry a VLAN.
    VlanNotAllowed,
    /// A port or port-channel on a host's path is shut down.
    PortDown,
    /// A port the inventory bundles is in no port-channel.
    NotBundled,
    /// A port's channel-group names a port-channel that is not configured.
    PortChannelMissing,
    /// The two ends of a vPC differ (number, mode or allowed VLANs).
    VpcMismatch,
    /// A pair's members have no vPC domain, or different ones.
    VpcDomain,
    /// A pair member has no vPC peer-link.
    PeerLinkMissing,
    /// A pair member's peer address is not the address its peer is
    /// reached on (a vPC peer-keepalive, an MLAG peer-address).
    PairPeerAddress,
    /// A gateway member has no SVI for a segment.
    SviMissing,
    /// A gateway member's SVI is shut down.
    SviDown,
    /// A gateway member's SVI is in another VRF.
    SviVrf,
    /// A gateway member's virtual (or own) gateway address is wrong.
    GatewayAddress,
    /// The gateway members use different first-hop groups.
    FhrpGroup,
    /// A gateway member sets no virtual MAC for its virtual addresses
    /// (VARP), or the members set different ones.
    VirtualMac,
    /// An SVI's ACL bindings are missing or differ between the members.
    AclBinding,
    /// An SVI binds an ACL that is not defined.
    AclUndefined,
    /// Evaluated as a packet filter, a gateway's ACL lets through or drops
    /// flows otherwise than the inventory's policy.
    PolicyMismatch,
    /// An ACL entry liaison cannot evaluate: the policy is not proven.
    AclUnmodelled,
    /// A static route the inventory gives a switch is not in its config.
    RouteMissing,
    /// A switch runs another spanning-tree mode than the fabric.
    StpMode,
    /// A switch bids a bridge priority as low as the gateways' on a tree.
    StpRoot,
    /// A VLAN tagged by an `only_on` guardrail is on a switch outside it.
    GuardrailOnlyOn,
    /// A trunk carries segments a `never_together` guardrail keeps apart.
    GuardrailNeverTogether,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::VlanUndefined => "V101",
            Kind::VlanNotAllowed => "V102",
            Kind::PortDown => "V103",
            Kind::NotBundled => "V104",
            Kind::PortChannelMissing => "V105",
            Kind::VpcMismatch => "V106",
            Kind::VpcDomain => "V107",
            Kind::PeerLinkMissing => "V108",
            Kind::SviMissing => "V110",
            Kind::SviDown => "V111",
            Kind::SviVrf => "V112",
            Kind::GatewayAddress => "V113",
            Kind::FhrpGroup => "V114",
            Kind::PairPeerAddress => "V140",
            Kind::VirtualMac => "V141",
            Kind::RouteMissing => "V142",
            Kind::StpMode => "V143",
            Kind::StpRoot => "V144",
            Kind::AclBinding => "V120",
            Kind::AclUndefined => "V121",
            Kind::PolicyMismatch => "V122",
            Kind::AclUnmodelled => "V123",
            Kind::GuardrailOnlyOn => "V130",
            Kind::GuardrailNeverTogether => "V131",
        }
    }
}

/// A place in a running config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigPlace {
    pub switch: String,
    /// The file the config was read from (`inventories/example/running/tor1a.cfg`).
    pub file: String,
    /// 1-based line of the stanza's first line, when the file has it.
    pub line: Option<usize>,
    /// The stanza (its header and the lines that matter), or what is absent.
    pub text: String,
}

/// What a finding breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// Hosts that cannot take (some of) their zone's VMs, sorted.
    pub hosts: Vec<String>,
    /// Endpoints (storage arrays, firewalls) that lose a segment.
    pub endpoints: Vec<String>,
    /// The segments concerned.
    pub segments: Vec<String>,
    /// One sentence: "16 hosts of chassis enc1 (esx101–esx116) cannot take app VMs".
    pub summary: String,
}

/// One cause, with everything it breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub kind: Kind,
    /// The switches where the cause is (one, or both members of a pair).
    pub switches: Vec<String>,
    /// The interface or section: `port-channel1`, `Vlan120`, `vlan 300`.
    pub place: String,
    /// What is wrong: "tor1a port-channel1 does not allow VLAN 120 (app)".
    pub message: String,
    pub breaks: Impact,
    pub config: Vec<ConfigPlace>,
    /// Inventory places (`file:line:col`, what) that need what is missing.
    pub inventory: Vec<String>,
    pub fix: String,
}

/// The proof's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub switches: usize,
    pub zones: usize,
    pub hosts: usize,
    pub segments: usize,
    /// (switch, port) places checked on the paths of hosts and endpoints.
    pub path_ports: usize,
    /// Packets evaluated through the gateways' ACLs.
    pub flows: usize,
}

impl Report {
    pub fn proven(&self) -> bool {
        self.findings.is_empty()
    }
}

/// The proof after `apply` changed the switches `changed`: `running`
/// holds the config of every switch fetched for the change (those changed
/// as re-fetched after it), and only findings on a changed switch are
/// kept: apply proves what it touched.
pub fn after_change(
    inventory: &crate::inventory::Inventory,
    sources: &crate::diag::Sources,
    intent: &Intent,
    running: &BTreeMap<String, String>,
    changed: &std::collections::BTreeSet<String>,
    answers: &BTreeMap<String, PartialPortDefaults>,
    inventory_dir: &str,
) -> Result<Report, Vec<InputError>> {
    let devices: Vec<String> = running.keys().cloned().collect();
    let observed = read_running(
        intent,
        Running::Fetched(running),
        &devices,
        crate::plan::fleet::DEFAULT_MAX_CONFIG_BYTES,
        answers,
    )?;
    let mut report = prove(inventory, sources, intent, &observed, inventory_dir);
    report
        .findings
        .retain(|f| f.switches.iter().any(|s| changed.contains(s)));
    Ok(report)
}

/// Reads the running config of every selected switch of `intent`
/// (`devices`, all when empty) from `running`; every problem is collected
/// (a missing or unparsable config, one saved under another switch's name,
/// an unknown switch, one larger than `max_bytes`), and nothing is returned
/// unless all were read. `answers`: what switches said of their hidden
/// port defaults when fetched (empty offline).
pub fn read_running(
    intent: &Intent,
    running: Running<'_>,
    devices: &[String],
    max_bytes: u64,
    answers: &BTreeMap<String, PartialPortDefaults>,
) -> Result<BTreeMap<String, ObservedDevice>, Vec<InputError>> {
    let mut failures = selection_failures(intent, devices, running);
    if !failures.is_empty() {
        return Err(failures);
    }
    let selected: Vec<&DeviceIntent> = intent
        .devices
        .iter()
        .filter(|d| devices.is_empty() || devices.contains(&d.name))
        .collect();
    let results = crate::pool::run_on_cores(&selected, |device| {
        read_one(
            device,
            running,
            max_bytes,
            answers.get(&device.name).copied(),
        )
    });
    let mut observed = BTreeMap::new();
    for result in results {
        match result {
            Ok(device) => {
                observed.insert(device.name.clone(), device);
            }
            Err(failure) => failures.push(failure),
        }
    }
    if failures.is_empty() {
        Ok(observed)
    } else {
        Err(failures)
    }
}

fn read_one(
    device: &DeviceIntent,
    running: Running<'_>,
    max_bytes: u64,
    answer: Option<PartialPortDefaults>,
) -> Result<ObservedDevice, InputError> {
    let name = device.name.as_str();
    let path = match running {
        Running::Dir(dir) => dir.join(crate::inventory::config_file_name(name)),
        Running::Fetched(_) => Path::new("live").join(crate::inventory::config_file_name(name)),
    };
    let fix = format!(
        "save the output of `show running-config` on {name} as {}",
        path.display()
    );
    let file = ConfigFile {
        path: &path,
        what: "running config",
        fix: &fix,
        max_bytes,
    };
    let text = match running {
        Running::Dir(_) => file.read()?,
        Running::Fetched(texts) => texts
            .get(name)
            .cloned()
            .ok_or_else(|| InputError::new(format!("no running config was fetched from {name}")))?,
    };
    let platform = device.platform;
    let (Some(dialect), Some(readback)) = (platform.dialect(), platform.readback()) else {
        return Err(InputError::new(format!(
            "liaison cannot verify {name} yet: {} configs are not read",
            platform.signatures().name
        )));
    };
    let tree = file.parse(&text, platform)?;
    same_switch(&tree, dialect, name, &path)?;
    let defaults = port_defaults(dialect, device, answer, &tree);
    Ok(readback.read(name, &path.display().to_string(), &text, tree, defaults))
}

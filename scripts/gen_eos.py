#!/usr/bin/env python3
"""Generate a synthetic Arista EOS running config and an intended config
that differs from it in roughly CHANGE_PCT percent of its lines: the EOS
counterpart of ../shared/bench/gen_nxos.py, for `liaison diff --platform
eos` (scripts/bench-diff.sh with PLATFORM=eos).

Deterministic: the same arguments (incl. --seed) always give byte-identical
files.

Usage:
  python3 scripts/gen_eos.py --size 220k --out OUT_DIR    # preset
  python3 scripts/gen_eos.py --size 10k  --out OUT_DIR
  python3 scripts/gen_eos.py --vlans 2000 --interfaces 1000 --acl-entries 5000 \
      --name custom --out OUT_DIR                          # explicit

Writes OUT/eos_<name>_running.conf, OUT/eos_<name>_intended.conf and
OUT/eos_<name>_manifest.json (counts, changed-line stats, sha256s).

Format follows `show running-config` as EOS 4.2x prints it (the configs of
tests/fixtures/eos, docs/simulator.md "EOS switch simulator"): the
`! Command:` / `! device:` header, 3-space indentation, a `!` line after
each section, VLANs that share their config collapsed (`vlan 4093-4094`
with the MLAG trunk group), `vrf instance`, port-channels with `mlag N`,
member ports with `channel-group N mode active`, trunk ports whose allowed
list is one line printed before `switchport mode trunk`, SVIs in VRFs with
`ip virtual-router address`, `ip virtual-router mac-address`, ACLs with
`counters per-entry` and sequence numbers, `ip routing vrf`, `mlag
configuration` and the final `end`.
"""
import argparse
import copy
import hashlib
import ipaddress
import json
import os
import random

PRESETS = {
    # name: (vlans, interfaces, acl_entries)
    "10k": (1000, 700, 3000),
    "50k": (2000, 4000, 16000),
    "220k": (3900, 19500, 64000),
}
ACL_SIZE = 1000          # entries per ACL
CHANGE_PCT = 5.0
VRFS = 16
SVIS = 1000              # VLANs with a gateway (SVI)
BUNDLES = 200            # MLAG port-channels, two member ports each
PEER_LINK = 2000         # the MLAG peer link's port-channel number


def ranges(ids):
    """[1,2,3,5] -> '1-3,5' (EOS list syntax)."""
    ids = sorted(set(ids))
    out, start, prev = [], None, None
    for i in ids:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = i
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ",".join(out)


def prefix(rng):
    # canonical prefixes only (no host bits set), as EOS shows them
    raw = f"10.{rng.randrange(256)}.{rng.randrange(256)}.0/{rng.choice((16, 20, 24, 28))}"
    return str(ipaddress.ip_network(raw, strict=False))


def acl_entry(rng):
    act = "permit" if rng.random() < 0.8 else "deny"
    proto = rng.choice(("tcp", "udp", "ip", "icmp"))
    if proto in ("tcp", "udp"):
        port = rng.choice((22, 53, 80, 123, 161, 179, 443, 514, 8080))
        return f"{act} {proto} {prefix(rng)} {prefix(rng)} eq {port}"
    return f"{act} {proto} {prefix(rng)} {prefix(rng)}"


def port_name(i):
    # a modular chassis (7500R3-like): Ethernet<linecard>/<port>
    card, port = divmod(i, 48)
    return f"Ethernet{card + 3}/{port + 1}"


def build_model(nvlans, nifaces, nacl, rng):
    vlan_ids = list(range(100, 100 + nvlans))
    m = {
        "vlans": {v: f"VLAN_{v}_TENANT_{v % 37:02d}" for v in vlan_ids},
        "svis": {},
        "bundles": {},
        "ifaces": {},
        "acls": {},
    }
    for k, v in enumerate(vlan_ids[:SVIS]):
        m["svis"][v] = {
            "vrf": f"TENANT_{k % VRFS:02d}",
            "address": f"10.{100 + k // 250}.{k % 250}.2/24",
            "virtual": f"10.{100 + k // 250}.{k % 250}.1",
            "acl": f"ACL-TENANT-{k % max(1, nacl // ACL_SIZE):03d}" if k % 4 == 0 else None,
        }
    for b in range(1, BUNDLES + 1):
        allowed = sorted(rng.sample(vlan_ids, min(len(vlan_ids), rng.randint(20, 60))))
        m["bundles"][b] = {"description": f"blade-chassis-{b:03d}", "allowed": allowed}
    for i in range(nifaces):
        name = port_name(i)
        if i < 2 * BUNDLES:
            m["ifaces"][name] = {"bundle": i // 2 + 1, "description": f"blade-chassis-{i // 2 + 1:03d} uplink {i % 2}"}
            continue
        allowed = sorted(rng.sample(vlan_ids, min(len(vlan_ids), rng.randint(20, 60))))
        m["ifaces"][name] = {
            "description": f"to-server-{i:05d} rack {i // 40} port {i % 40}",
            "native": allowed[0],
            "allowed": allowed,
            "mtu": 9214,
            "shutdown": False,
        }
    nacls = max(1, (nacl + ACL_SIZE - 1) // ACL_SIZE)
    left = nacl
    for a in range(nacls):
        n = min(ACL_SIZE, left)
        left -= n
        m["acls"][f"ACL-TENANT-{a:03d}"] = {10 * (k + 1): acl_entry(rng) for k in range(n)}
    return m


def render(m, hostname):
    out = [
        "! Command: show running-config",
        f"! device: {hostname} (DCS-7508R3, EOS-4.30.1F)",
        "!",
        "! boot system flash:/EOS-4.30.1F.swi",
        "!",
        "no aaa root",
        "!",
        "username admin privilege 15 role network-admin secret sha512 $6$xyz",
        "!",
        "transceiver qsfp default-mode 4x10G",
        "!",
        "service routing protocols model multi-agent",
        "!",
        f"hostname {hostname}",
        "ip name-server vrf MGMT 10.0.0.53",
        "!",
        "ntp server vrf MGMT 10.0.0.30",
        "!",
        "spanning-tree mode mstp",
        "no spanning-tree vlan-id 4093-4094",
        "spanning-tree mst 0 priority 4096",
        "!",
    ]
    for v in sorted(m["vlans"]):
        out.append(f"vlan {v}")
        out.append(f"   name {m['vlans'][v]}")
        out.append("!")
    # The MLAG peer VLANs share their config: EOS prints them collapsed.
    out += ["vlan 4093-4094", "   trunk group MLAG", "!"]
    out += ["vrf instance MGMT", "!"]
    for k in range(VRFS):
        out += [f"vrf instance TENANT_{k:02d}", "!"]
    for b, d in sorted(m["bundles"].items()):
        out.append(f"interface Port-Channel{b}")
        out.append(f"   description {d['description']}")
        out.append(f"   switchport trunk allowed vlan {ranges(d['allowed'])}")
        out.append("   switchport mode trunk")
        out.append(f"   mlag {b}")
        out.append("!")
    out += [
        f"interface Port-Channel{PEER_LINK}",
        "   description MLAG_PEER_LINK",
        "   switchport mode trunk",
        "   switchport trunk group MLAG",
        "!",
    ]
    for name, d in m["ifaces"].items():
        out.append(f"interface {name}")
        out.append(f"   description {d['description']}")
        if "bundle" in d:
            out.append(f"   channel-group {d['bundle']} mode active")
            out.append("!")
            continue
        if d["shutdown"]:
            out.append("   shutdown")
        out.append(f"   mtu {d['mtu']}")
        out.append(f"   switchport trunk native vlan {d['native']}")
        out.append(f"   switchport trunk allowed vlan {ranges(d['allowed'])}")
        out.append("   switchport mode trunk")
        out.append("!")
    out += [
        "interface Management1",
        "   description OOB_MANAGEMENT",
        "   vrf MGMT",
        "   ip address 192.0.2.10/24",
        "!",
    ]
    for v, d in sorted(m["svis"].items()):
        out.append(f"interface Vlan{v}")
        out.append(f"   description GW_{m['vlans'].get(v, v)}")
        out.append(f"   vrf {d['vrf']}")
        out.append(f"   ip address {d['address']}")
        if d["acl"]:
            out.append(f"   ip access-group {d['acl']} in")
        out.append(f"   ip virtual-router address {d['virtual']}")
        out.append("!")
    out += [
        "interface Vlan4094",
        "   description MLAG_PEER",
        "   no autostate",
        "   ip address 10.255.252.0/31",
        "!",
        "ip virtual-router mac-address 00:1c:73:00:00:99",
        "!",
    ]
    for name, entries in m["acls"].items():
        out.append(f"ip access-list {name}")
        out.append("   counters per-entry")
        for seq in sorted(entries):
            out.append(f"   {seq} {entries[seq]}")
        out.append("!")
    out += ["ip routing", "no ip routing vrf MGMT"]
    for k in range(VRFS):
        out.append(f"ip routing vrf TENANT_{k:02d}")
    out += [
        "!",
        "ip route vrf MGMT 0.0.0.0/0 192.0.2.1",
        "!",
        "mlag configuration",
        "   domain-id RACK1",
        "   local-interface Vlan4094",
        "   peer-address 10.255.252.1",
        f"   peer-link Port-Channel{PEER_LINK}",
        "   reload-delay mlag 300",
        "   reload-delay non-mlag 330",
        "!",
        "management api http-commands",
        "   no shutdown",
        "   !",
        "   vrf MGMT",
        "      no shutdown",
        "!",
        "end",
    ]
    return "\n".join(out) + "\n"


def mutate(m, rng, pct):
    """Change ~pct% of lines: VLAN names, VLANs added and removed, trunk
    lists, descriptions, admin state, gateways, ACL entries modified in
    place, deleted and inserted between others."""
    n = copy.deepcopy(m)
    f = pct / 100.0
    vl = sorted(n["vlans"])
    for v in rng.sample(vl, int(len(vl) * f * 0.5)):           # rename
        n["vlans"][v] = n["vlans"][v] + "_RENAMED"
    removed = rng.sample(vl, max(1, int(len(vl) * f * 0.2)))   # remove (some are in use)
    for v in removed:
        del n["vlans"][v]
    top = max(vl) + 1
    new_ids = list(range(top, top + max(1, int(len(vl) * f * 0.2))))
    for v in new_ids:                                           # add
        n["vlans"][v] = f"NEW_VLAN_{v}"
    trunks = [k for k, d in n["ifaces"].items() if "allowed" in d]
    for name in rng.sample(trunks, int(len(trunks) * f)):       # trunk list change
        d = n["ifaces"][name]
        al = set(d["allowed"])
        al -= set(rng.sample(sorted(al), 2))
        al |= set(rng.sample(new_ids, min(2, len(new_ids))))
        d["allowed"] = sorted(al)
        if d["native"] not in al:
            d["native"] = d["allowed"][0]
    for b in rng.sample(sorted(n["bundles"]), int(len(n["bundles"]) * f * 4)):
        d = n["bundles"][b]
        d["allowed"] = sorted(set(d["allowed"]) | set(new_ids[:3]))
    for name in rng.sample(trunks, int(len(trunks) * f * 0.6)):  # description
        n["ifaces"][name]["description"] += " (moved)"
    for name in rng.sample(trunks, int(len(trunks) * f * 0.2)):  # shutdown
        n["ifaces"][name]["shutdown"] = True
    for v in rng.sample(sorted(n["svis"]), int(len(n["svis"]) * f)):  # gateway moves
        d = n["svis"][v]
        d["virtual"] = d["virtual"].rsplit(".", 1)[0] + ".254"
    for acl, entries in n["acls"].items():
        seqs = sorted(entries)
        for s in rng.sample(seqs, int(len(seqs) * f * 0.4)):    # modify in place
            entries[s] = acl_entry(rng)
        for s in rng.sample(seqs, int(len(seqs) * f * 0.3)):    # delete
            entries.pop(s, None)
        for s in rng.sample(seqs, int(len(seqs) * f * 0.3)):    # insert between
            entries[s + 5] = acl_entry(rng)
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", choices=sorted(PRESETS))
    ap.add_argument("--vlans", type=int)
    ap.add_argument("--interfaces", type=int)
    ap.add_argument("--acl-entries", type=int)
    ap.add_argument("--name")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--change-pct", type=float, default=CHANGE_PCT)
    ap.add_argument("--out", default="OUT_DIR")
    a = ap.parse_args()
    if a.size:
        nv, ni, na = PRESETS[a.size]
        name = a.name or a.size
    elif None in (a.vlans, a.interfaces, a.acl_entries):
        ap.error("give --size, or all of --vlans, --interfaces and --acl-entries")
    else:
        nv, ni, na = a.vlans, a.interfaces, a.acl_entries
        name = a.name or f"v{nv}_i{ni}_a{na}"
    if nv < SVIS or ni < 2 * BUNDLES + 1 or nv + 100 > 4000:
        ap.error(f"needs {SVIS} to 3900 VLANs and more than {2 * BUNDLES} interfaces")
    rng = random.Random(a.seed)
    model = build_model(nv, ni, na, rng)
    intended_model = mutate(model, rng, a.change_pct)
    run_txt = render(model, "leaf-01")
    int_txt = render(intended_model, "leaf-01")
    os.makedirs(a.out, exist_ok=True)
    rp = os.path.join(a.out, f"eos_{name}_running.conf")
    ip_ = os.path.join(a.out, f"eos_{name}_intended.conf")
    with open(rp, "w") as fh:
        fh.write(run_txt)
    with open(ip_, "w") as fh:
        fh.write(int_txt)
    rl = [l for l in run_txt.splitlines() if l.strip() and l.strip() != "!"]
    il = [l for l in int_txt.splitlines() if l.strip() and l.strip() != "!"]

    # line-level change estimate: (section, line) pairs only on one side
    def keyed(lines):
        s, sec = set(), ""
        for l in lines:
            if not l.startswith(" "):
                sec = l
                s.add((l,))
            else:
                s.add((sec, l))
        return s

    kr, ki = keyed(rl), keyed(il)
    manifest = {
        "name": name, "seed": a.seed, "change_pct_param": a.change_pct,
        "vlans": nv, "interfaces": ni, "acl_entries": na,
        "running_lines": run_txt.count("\n"), "intended_lines": int_txt.count("\n"),
        "running_config_lines": len(rl), "intended_config_lines": len(il),
        "lines_only_in_running": len(kr - ki), "lines_only_in_intended": len(ki - kr),
        "changed_pct_of_running": round(100.0 * (len(kr - ki) + len(ki - kr)) / len(rl), 2),
        "running_sha256": hashlib.sha256(run_txt.encode()).hexdigest(),
        "intended_sha256": hashlib.sha256(int_txt.encode()).hexdigest(),
    }
    with open(os.path.join(a.out, f"eos_{name}_manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()

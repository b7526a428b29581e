#!/usr/bin/env bash
# Apply benchmark: a 50-line change (25 descriptions and VLAN names) to 100
# simulated switches (50 vPC pairs) behind real sshd on 127.0.0.1, rolled
# out pair by pair, with --parallel 1, 8 and 32 (PARALLELS, e.g. "32",
# picks), plus two devices alone (a ToR and a gateway) for the "slowest
# single device" figure; each in both ways of applying (MODES, default
# "live saved"): `apply INVENTORY`, and `apply FILE` of a plan saved just
# before (docs/pushing.md, "A saved plan overlaps the fetch").
# Honours CARGO_TARGET_DIR (default: target). Needs /usr/sbin/sshd
# (apt-get install -y openssh-server) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin liaison --bin liaison-nxos-sim --example synth
liaison="$PWD/$target_dir/release/liaison"
sim="$PWD/$target_dir/release/liaison-nxos-sim"
synth="$PWD/$target_dir/release/examples/synth"
[ -x /usr/sbin/sshd ] || { echo "error: /usr/sbin/sshd missing: apt-get install -y openssh-server" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/liaison-bench-apply.XXXXXX")"
sshd_pids=()
cleanup() { for pid in "${sshd_pids[@]}"; do kill "$pid" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

"$synth" --switches 100 --hosts 400 --segments 100 --raise-tcam --out "$work/inv" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
mkdir -p "$work/state" "$work/initial"

# Free ports on 127.0.0.1, one per switch; point the inventory at them.
python3 - "$work" "$(id -un)" <<'PY'
import re, socket, sys
work, user = sys.argv[1], sys.argv[2]
text = open(f"{work}/inv/switches.yml").read()
names = re.findall(r"name: ([a-z0-9-]+), role:", text)
socks, ports = [], {}
for name in names:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s); ports[name] = s.getsockname()[1]
for name, port in ports.items():
    # SSH to the lab; the vPC peer-keepalive keeps the management address.
    text = re.sub(rf"(name: {name}, .*?mgmt: )([0-9.]+)", rf'\g<1>"127.0.0.1:{port}", keepalive: \g<2>', text)
open(f"{work}/inv/switches.yml", "w").write(text)
open(f"{work}/state/ports", "w").write("".join(f"{p} {n}\n" for n, p in ports.items()))
key = open(f"{work}/host_key.pub").read().split()[:2]
open(f"{work}/known_hosts", "w").write("".join(f"[127.0.0.1]:{p} {' '.join(key)}\n" for p in ports.values()))
fabric = open(f"{work}/inv/fabric.yml").read()
fabric = re.sub(r"username: .*", f"username: {user}", fabric)
fabric = re.sub(r"key_file: .*", f"key_file: {work}/client_key", fabric)
fabric = re.sub(r"known_hosts: .*", f"known_hosts: {work}/known_hosts", fabric)
open(f"{work}/inv/fabric.yml", "w").write(fabric)
# sshd listens on at most 16 sockets: one sshd per 16 switches.
all_ports = list(ports.values())
for i in range(0, len(all_ports), 16):
    with open(f"{work}/sshd_config.{i // 16}", "w") as f:
        for p in all_ports[i:i + 16]:
            f.write(f"ListenAddress 127.0.0.1:{p}\n")
        f.write(f"HostKey {work}/host_key\nAuthorizedKeysFile {work}/authorized_keys\n"
                f"PidFile {work}/sshd.{i // 16}.pid\nUsePAM no\nStrictModes no\nPasswordAuthentication no\n"
                # VERBOSE: a line per connection and per channel, counted
                # below.
                f"MaxStartups 200\nLogLevel VERBOSE\n"
                # sshd runs ForceCommand through the user's login shell, and
                # bash sources ~/.bashrc when started by sshd unless SHLVL
                # says it is nested: a heavy .bashrc (pyenv init …) would
                # cost more CPU per channel than the simulator itself.
                f"SetEnv SHLVL=1\n")
for s in socks: s.close()
PY
for config in "$work"/sshd_config.*; do
  echo "ForceCommand $sim --state $work/state" >> "$config"
done

# Running = intended minus 25 interface descriptions and VLAN names: each
# comes back as two lines (its interface or VLAN, then the line), a
# 50-line change on every switch.
"$liaison" build "$work/inv" -o "$work/intended" >/dev/null 2>&1
for cfg in "$work"/intended/*.cfg; do
  # Not the MST region's `name`: that is a vPC type-1 parameter, and a
  # pair member changed alone would be left inconsistent with its peer.
  awk 'BEGIN{n=0} /^[^ ]/ {mst = /^spanning-tree mst configuration/}
       /^  (description|name) / && !mst && n<25 {n++; next} {print}' "$cfg" > "$work/initial/$(basename "$cfg")"
done

mkdir -p /run/sshd
for config in "$work"/sshd_config.*; do
  /usr/sbin/sshd -D -e -f "$config" 2>>"$work/sshd.log" &
  sshd_pids+=($!)
done
# Wait until every port accepts connections.
python3 - "$work/state/ports" <<'PY' || { echo "error: sshd did not start:" >&2; cat "$work/sshd.log" >&2; exit 1; }
import socket, sys, time
ports = [int(l.split()[0]) for l in open(sys.argv[1])]
deadline = time.time() + 20
for p in ports:
    while True:
        try:
            socket.create_connection(("127.0.0.1", p), timeout=1).close(); break
        except OSError:
            if time.time() > deadline: sys.exit(1)
            time.sleep(0.1)
PY

# A real switch takes tens of milliseconds per command; DELAY_MS (default
# 50) models that, so wall time shows waiting on devices rather than the
# simulators' CPU on this 2-core machine.
delay_ms="${DELAY_MS:-50}"
reset_state() {
  rm -rf "$work"/state/*.checkpoints
  cp "$work"/initial/*.cfg "$work/state/"
  for cfg in "$work"/initial/*.cfg; do
    echo "delay_ms = $delay_ms" > "$work/state/$(basename "$cfg" .cfg).faults"
  done
}

# The CPU time (s) of everything the lab's sshd listeners started and
# reaped: their connections' sshd processes, the login shells and the
# simulators.
lab_cpu() {
  local ticks=0 pid
  for pid in "${sshd_pids[@]}"; do
    ticks=$((ticks + $(awk '{ print $16 + $17 }' "/proc/$pid/stat")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}

# Times one apply; also prints liaison's own CPU time, to tell the tool's
# work from the simulators' and sshd's on a small machine, and the lab's:
# its CPU, and the logins and channels (exec requests and shells) sshd
# logged, a process each on a switch too.
measure() {
  local label="$1"; shift
  reset_state
  local lab_before log_before
  lab_before="$(lab_cpu)"
  log_before="$(wc -l < "$work/sshd.log")"
  # A saved plan is made first (`plan --live --out`, not timed with the
  # apply: in a pipeline it is the reviewed step before it), then applied.
  local what="$work/inv"
  if [ "$mode" = saved ]; then
    local plan_started plan_status=0
    plan_started="$(date +%s%6N)"
    "$liaison" plan "$work/inv" --live --out "$work/saved.json" --timeout 120 "$@" > "$work/plan.log" 2>&1 || plan_status=$?
    # plan exits 2 when there are changes, which is the point here.
    [ "$plan_status" = 2 ] || { echo "error: plan --out ($label) exited $plan_status:" >&2; tail -5 "$work/plan.log" >&2; exit 1; }
    awk -v s="$plan_started" -v e="$(date +%s%6N)" 'BEGIN { printf "    saved plan made in %.2f s (plan --live --out)\n", (e - s) / 1e6 }'
    what="$work/saved.json"
    lab_before="$(lab_cpu)"
    log_before="$(wc -l < "$work/sshd.log")"
  fi
  local started ended
  started="$(date +%s%6N)"
  if ! /usr/bin/time -f "%e %U %S" -o "$work/time.log" \
      "$liaison" apply "$what" --yes --no-save --timeout 120 "$@" > "$work/apply.log" 2>&1; then
    echo "error: apply ($label) failed:" >&2; grep -E "FAILED|failed" "$work/apply.log" | head -5 >&2; exit 1
  fi
  ended="$(date +%s%6N)"
  read -r wall user sys < "$work/time.log"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" \
    'BEGIN { printf "  %-28s %7.2f s wall   liaison cpu %5.2f s\n", l, w, u + s }'
  sleep 0.2 # the last sessions' processes are reaped
  tail -n +"$((log_before + 1))" "$work/sshd.log" | awk -v before="$lab_before" -v after="$(lab_cpu)" '
    /Connection from / { logins++ } /Starting session: / { channels++ }
    END { printf "    lab: %d logins, %d channels; sshd, login shells and simulators %.2f s cpu\n", logins, channels, after - before }'
  # What lies outside the rounds: from the start to the first switch
  # entering configuration mode (start-up, the fetch of every switch and
  # the plan, then the first switches' reads), and from the last one
  # leaving it to the end (its re-fetch, the pair checks, the proof), from
  # the simulators' configuration-mode records (`NAME.modes`).
  cat "$work"/state/*.modes 2>/dev/null | awk -v s="$started" -v e="$ended" '
    $2 >= s && $2 <= e && $1 == "enter" && (!first || $2 < first) { first = $2 }
    $2 >= s && $2 <= e && $1 == "leave" && $2 > last { last = $2 }
    END { if (first) printf "    first switch into configuration mode after %.2f s, the last out of it %.2f s before the end\n", (first - s) / 1e6, (e - last) / 1e6 }'
  walls+=("$label=$wall")
}

# The fetch alone (what apply does before its first change: log in to
# every switch, `show running-config` and the port-defaults query on exec
# channels), with the lab's CPU for it: its floor on this machine is that
# CPU over the cores, since the connections are closed and reaped here.
fetch_alone() {
  local lab_before log_before
  lab_before="$(lab_cpu)"
  log_before="$(wc -l < "$work/sshd.log")"
  rm -rf "$work/fetched"
  /usr/bin/time -f "%e %U %S" -o "$work/time.log" \
    "$liaison" fetch "$work/inv" -o "$work/fetched" --timeout 120 --parallel "$1" > "$work/fetch.log" 2>&1 ||
    { echo "error: fetch failed:" >&2; tail -5 "$work/fetch.log" >&2; exit 1; }
  read -r wall user sys < "$work/time.log"
  sleep 0.2
  tail -n +"$((log_before + 1))" "$work/sshd.log" | awk -v before="$lab_before" -v after="$(lab_cpu)" \
    -v p="$1" -v w="$wall" -v u="$user" -v s="$sys" -v cores="$(nproc)" '
    /Connection from / { logins++ } /Starting session: / { channels++ }
    END { printf "  %-28s %7.2f s wall   liaison cpu %5.2f s\n    lab: %d logins, %d channels, %.2f s cpu; all cpu over %d cores: %.2f s\n",
            "fetch alone, --parallel " p, w, u + s, logins, channels, after - before, cores, (after - before + u + s) / cores }'
}

# The slowest device of the last apply, from its summary table
# (`wave device commands seconds result`); with an argument, among the
# rows of that wave only.
slowest_in_summary() {
  awk -v wave="${1:-}" '(wave == "" || $1 == wave) && $2 ~ /^b[0-9]+-/ && $4 ~ /^[0-9.]+$/ && $4 > max { max = $4 }
       END { print max + 0 }' "$work/apply.log"
}
# Units of the last apply: pairs (a wave-2 line each) and single switches.
pairs_in_summary() { awk '$1 == "2" && $2 ~ /^b[0-9]+-/ { n++ } END { print n + 0 }' "$work/apply.log"; }
devices_in_summary() { awk '($1 == "1" || $1 == "2") && $2 ~ /^b[0-9]+-/ { n++ } END { print n + 0 }' "$work/apply.log"; }

# plan exits 2 when there are changes, which is the point here.
commands=$({ "$liaison" plan "$work/inv" --running "$work/initial" --device b0-t1a --format commands 2>/dev/null || true; } | wc -l)
echo "== apply: 100 switches, $commands-line change each, ${delay_ms} ms per command on the simulator"
max_of() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
# Two ways to apply, each measured on its own and against its own bound:
# live (`apply INVENTORY`: every switch fetched and planned before anything
# is sent) and saved (`apply FILE` of a plan made just before: each pair
# checked against its saved hashes when its turn comes). MODES picks.
for mode in ${MODES:-live saved}; do
echo "== mode: $mode"
walls=()
slowest=0
for one in b0-t1a b0-agg1; do
  measure "one device ($one)" --device "$one"
  slowest="$(max_of "$slowest" "$(slowest_in_summary)")"
done
# One pair alone, against the same bound for one round (slowest x 2 x 1):
# what a run spends outside the switches' own changes (start-up, the
# first reads, the final proof) whatever the fabric's size.
measure "one pair (b0-agg1, b0-agg2)" --device b0-agg1 --device b0-agg2
units=""
for p in ${PARALLELS:-1 8 32}; do
  [ "$p" = 1 ] || [ "$mode" != live ] || fetch_alone "$p"
  measure "--parallel $p" --parallel "$p"
  # With --parallel 1 every device ran alone: its table has them all.
  # Its second members only: a first member's time holds its peer's
  # change too (see below), which would double the bound.
  [ "$p" != 1 ] || slowest="$(max_of "$slowest" "$(slowest_in_summary 2)")"
  pairs="$(pairs_in_summary)"; devices="$(devices_in_summary)"
  # How long one switch took in this run: on a small machine 32 simulators
  # and sshd share the cores, and each switch is slower than alone. A
  # pair's first member (wave 1) stays connected and unsaved until its
  # peer is verified too, so its time holds its peer's change: the second
  # members (wave 2) show what one switch's change took.
  awk '($1 == "1" || $1 == "2") && $2 ~ /^b[0-9]+-/ { n++; t += $4; if ($4 > m) m = $4 }
       $1 == "2" && $2 ~ /^b[0-9]+-/ { n2++; t2 += $4; if ($4 > m2) m2 = $4 }
       END { if (n) printf "    a switch took %.2f s on average, %.2f s at most, in this run\n", t / n, m
             if (n2) printf "    a second member (its own change only) %.2f s on average, %.2f s at most\n", t2 / n2, m2 }' "$work/apply.log"
  grep -E "^(1|2) " "$work/apply.log" | sort -k4 -n | tail -3 | sed 's/^/      /' || true
  units="$pairs pairs and $((devices - 2 * pairs)) single switches"
  unit_count=$((devices - pairs))
done

# The issue's target: the two members of a pair one after the other, pairs
# in parallel: wall time within (slowest single device) x 2 waves per pair
# x ceil(units / N), i.e. the tool adds no serialisation of its own.
echo "== $mode: slowest single device: $slowest s; rolled out as $units"
for entry in "${walls[@]}"; do
  label="${entry%=*}"; wall="${entry##*=}"
  case "$label" in
    --parallel*) p="${label#--parallel }"; u="$unit_count"; what="--parallel $p" ;;
    "one pair"*) p=1; u=1; what="one pair" ;;
    *) continue ;;
  esac
  awk -v m="$mode" -v what="$what" -v p="$p" -v w="$wall" -v s="$slowest" -v u="$u" 'BEGIN {
    bound = s * 2 * int((u + p - 1) / p)
    printf "  %-5s %-15s %7.2f s against the bound %7.2f s (%s s x 2 waves x ceil(%d/%d)): %s\n", m, what, w, bound, s, u, p, (w <= bound ? "met" : "MISSED")
  }'
done
done

#!/usr/bin/env bash
# Verify benchmark: builds release, generates the synthetic 1,000-switch
# fabric with `examples/synth.rs` (20,000 hosts, 2,000 segments), builds
# its configs, and times `liaison verify` against them (wall time and max
# RSS from GNU time). The built configs must prove (exit 0), and a copy
# with one VLAN removed from one uplink must not (exit 2).
#
#   scripts/bench-verify.sh            # the 1,000-switch fabric
#   KEEP=1 scripts/bench-verify.sh     # keep the generated inventory/configs
#
# Honours CARGO_TARGET_DIR (default: target) and TMPDIR. Needs
# /usr/bin/time (Debian/Ubuntu: apt-get install -y time).
set -euo pipefail

source "$(dirname "$0")/bench-measure.sh"
bench_setup liaison-bench

switches=1000 hosts=20000 segments=2000
dir="$work/inv"
out="$work/built"
# The gateways of this fabric hold more ACL entries than any TCAM: their
# limit is raised (examples/synth.rs `--raise-tcam` says why).
"$synth" --switches "$switches" --hosts "$hosts" --segments "$segments" --raise-tcam --out "$dir" >/dev/null
"$liaison" build "$dir" -o "$out" >/dev/null
echo "== $switches switches / $hosts hosts / $segments segments: $(find "$out" -name '*.cfg' | wc -l) configs, $(cat "$out"/*.cfg | wc -c) bytes"
measure "verify" "$liaison" verify "$dir" --running "$out"
tail -n 1 "$work/out.log"

# One VLAN removed from one ToR uplink must be found.
broken="$work/broken"
cp -r "$out" "$broken"
cfg="$broken/b0-t1a.cfg"
vlan="$(sed -n '/^interface port-channel49$/,/^$/s/^  switchport trunk allowed vlan \([0-9]*\).*/\1/p' "$cfg" | head -n 1)"
sed -i "/^interface port-channel49$/,/^$/s/^  switchport trunk allowed vlan .*/  switchport trunk allowed vlan none/" "$cfg"
set +e
"$liaison" verify "$dir" --running "$broken" >"$work/broken.log" 2>&1
code=$?
set -e
if [ "$code" != 2 ]; then
    echo "error: verify did not find the VLANs removed from b0-t1a port-channel49 (exit $code)" >&2
    tail -n 20 "$work/broken.log" >&2
    exit 1
fi
echo "   broken copy (b0-t1a port-channel49 allows none, VLAN $vlan among those lost): $(tail -n 1 "$work/broken.log")"

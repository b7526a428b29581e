#!/usr/bin/env bash
# Compile-time benchmark: builds release, generates two synthetic fabrics
# with `examples/synth.rs` and times `liaison check` and `liaison build` on
# each (wall time and max RSS from GNU time). The fabrics use the shipped
# platform limits except the gateways' ACL TCAM (see below).
#
#   scripts/bench-compile.sh            # both sizes
#   KEEP=1 scripts/bench-compile.sh     # keep the generated inventories/configs
#
# Honours CARGO_TARGET_DIR (default: target) and TMPDIR (where the
# inventories and configs go: `build` writes and fsyncs ~1,000 files, so the
# file system shows in its wall time; TMPDIR=/dev/shm measures the CPU side).
# Needs /usr/bin/time (Debian/Ubuntu: apt-get install -y time).
set -euo pipefail

source "$(dirname "$0")/bench-measure.sh"
bench_setup liaison-bench

for size in "100 2000 500" "1000 20000 2000"; do
    read -r switches hosts segments <<<"$size"
    dir="$work/inv-$switches"
    out="$work/out-$switches"
    # Shipped limits for every table but one: 75 (100-switch fabric: 190)
    # routed segments per gateway pair need more ACL TCAM than a Nexus 9000
    # default carving holds, so the aggregation model's TCAM limits are
    # raised (examples/synth.rs `--raise-tcam` says why); `check` still
    # computes and prints the whole budget.
    "$synth" --switches "$switches" --hosts "$hosts" --segments "$segments" --raise-tcam --out "$dir" >/dev/null
    echo "== $switches switches / $hosts hosts / $segments segments ($(cat "$dir"/*.yml | wc -c) bytes of YAML)"
    measure "check" "$liaison" check "$dir"
    measure "build" "$liaison" build "$dir" -o "$out"
    echo "   $(find "$out" -name '*.cfg' | wc -l) configs, $(cat "$out"/*.cfg | wc -c) bytes"
done

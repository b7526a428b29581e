#!/usr/bin/env bash
# Policy benchmark: builds release, generates two synthetic inventories with
# `examples/synth.rs --rules` (2,000 rules over 200 segments, 5,000 over 500;
# every tenth rule a narrowed copy of an earlier one) and times `liaison
# check` (policy resolution, shadow analysis, ACL compilation, TCAM estimate)
# and `liaison build` (the same plus rendering and writing the configs):
# wall time and max RSS from GNU time. Fails unless `check` reports exactly
# the planted shadowed rules.
#
#   scripts/bench-policy.sh            # both sizes
#   KEEP=1 scripts/bench-policy.sh     # keep the generated inventories/configs
#
# Honours CARGO_TARGET_DIR (default: target) and TMPDIR. All segments sit in
# one aggregation block, so its gateway pair carries every ACL: the worst
# case for one switch. Needs /usr/bin/time (apt-get install -y time).
set -euo pipefail

source "$(dirname "$0")/bench-measure.sh"
bench_setup liaison-bench-policy

for size in "2000 200" "5000 500"; do
    read -r rules segments <<<"$size"
    dir="$work/inv-$rules"
    out="$work/out-$rules"
    planted="$("$synth" --switches 20 --hosts 200 --segments "$segments" --rules "$rules" --raise-tcam --out "$dir" |
        sed -n 's/^planted-shadowed: //p')"
    echo "== $rules rules over $segments segments ($(wc -c <"$dir/policy.yml") bytes of policy; $planted shadowed by construction)"
    measure "check" "$liaison" check "$dir" --format json
    found="$(grep -c '"code": "W011"' "$work/out.log" || true)"
    if [ "$found" != "$planted" ]; then
        echo "error: check reported $found shadowed rules, $planted were planted" >&2
        exit 1
    fi
    echo "   shadowed rules found: $found of $planted"
    measure "build" "$liaison" build "$dir" -o "$out"
    echo "   $(find "$out" -name '*.cfg' | wc -l) configs, $(cat "$out"/*.cfg | wc -c) bytes; $(grep -c '^ip access-list' "$out/b0-agg1.cfg") ACLs on b0-agg1"
done

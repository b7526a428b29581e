#!/usr/bin/env bash
# Documentation-site benchmark: builds release, generates the synthetic
# 100- and 1,000-switch fabrics of scripts/bench-compile.sh with
# `examples/synth.rs` and times `liaison docs` on each, in both formats
# (wall time and max RSS from GNU time). Target for 1,000 switches: under
# 3 s and 500 MiB.
#
#   scripts/bench-docs.sh            # both sizes
#   KEEP=1 scripts/bench-docs.sh     # keep the generated inventories and sites
#
# Honours CARGO_TARGET_DIR (default: target) and TMPDIR (where the
# inventories and sites go). Needs /usr/bin/time (apt-get install -y time).
set -euo pipefail

source "$(dirname "$0")/bench-measure.sh"
bench_setup liaison-bench

for size in "100 2000 500" "1000 20000 2000"; do
    read -r switches hosts segments <<<"$size"
    dir="$work/inv-$switches"
    # The fabrics of bench-compile.sh, raised ACL TCAM included (it says why).
    "$synth" --switches "$switches" --hosts "$hosts" --segments "$segments" --raise-tcam --out "$dir" >/dev/null
    echo "== $switches switches / $hosts hosts / $segments segments"
    for format in html markdown; do
        site="$work/site-$switches-$format"
        measure "${format:0:4}" "$liaison" docs "$dir" -o "$site" --format "$format"
        echo "   $(find "$site" -type f ! -name '.*' | wc -l) files, $(cat "$site"/* | wc -c) bytes, $(find "$site" -name '*.svg' | wc -l) diagrams"
    done
done

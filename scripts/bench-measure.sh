# Sourced by the bench scripts: their shared set-up and measurement.

# `bench_setup NAME`: the set-up of the benchmarks of synthetic fabrics.
# Moves to the repository root, checks for GNU time, builds release
# `liaison` and `examples/synth`, and sets $liaison, $synth and $work (a
# new directory NAME.XXXXXX under TMPDIR, removed on exit unless KEEP is
# set). Honours CARGO_TARGET_DIR (default: target).
bench_setup() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    local target_dir="${CARGO_TARGET_DIR:-target}"
    if [ ! -x /usr/bin/time ]; then
        echo "error: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2
        exit 1
    fi
    cargo build --release --quiet --bin liaison --example synth
    liaison="$target_dir/release/liaison"
    synth="$target_dir/release/examples/synth"
    work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    if [ -z "${KEEP:-}" ]; then
        trap 'rm -rf "$work"' EXIT
    else
        echo "keeping $work"
    fi
}

# `measure LABEL COMMAND…` runs the command under GNU time (stdout to
# $work/out.log, stderr to $work/err.log) and prints "LABEL wall … max
# RSS …"; a failing command stops the benchmark.
measure() {
    local label="$1"
    shift
    local log="$work/time.log"
    if ! /usr/bin/time -v -o "$log" "$@" >"$work/out.log" 2>"$work/err.log"; then
        echo "error: $label failed:" >&2
        tail -n 20 "$work/err.log" >&2
        exit 1
    fi
    local wall rss user sys
    wall="$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
    rss="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log")"
    user="$(sed -n 's/^[[:space:]]*User time (seconds): //p' "$log")"
    sys="$(sed -n 's/^[[:space:]]*System time (seconds): //p' "$log")"
    awk -v l="$label" -v w="$wall" -v r="$rss" -v u="$user" -v s="$sys" \
        'BEGIN { printf "   %-6s wall %9s   max RSS %7.1f MiB   (cpu: user %.2f s, sys %.2f s)\n", l, w, r / 1024, u, s }'
}

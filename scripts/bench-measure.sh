# Sourced by the bench scripts. `measure LABEL COMMAND…` runs the command
# under GNU time (stdout to $work/out.log, stderr to $work/err.log) and
# prints "LABEL wall … max RSS …"; a failing command stops the benchmark.
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

#!/bin/sh
# bench/memory.sh — memory of `eddy serve`:
#   1. idle RSS (VmRSS from /proc/PID/status, 1 s after start) with an empty
#      catalog and with the demo (examples/demo/demo.sql);
#   2. Nexmark q5 (examples/nexmark/q5.sql; hopping 10 s / 2 s = 5 panes per
#      window) fed by the nexmark connector at RATE events/s inside the
#      server: the query's state bytes per key per open pane
#      (eddy_query_state_bytes / eddy_query_state_keys; the keys gauge is
#      summed over panes), and VmRSS sampled every second for SECONDS
#      seconds: drift = (RSS at the end - RSS at BASE s) / RSS at BASE s.
# Prints "RESULT mode=memory ..." lines; SAMPLES (default: none) gets one
# line per second: t rss_kb state_bytes state_keys events_in.
#
# usage: bench/memory.sh EDDY [SECONDS [RATE]]   (defaults 60, 1000000)
# BASE (default SECONDS/3, at most 60) is when the reference RSS is taken.
# No timing assertions; exits 1 only if the server fails or nothing flows.
set -eu
eddy=$1
seconds=${2:-60}
rate=${3:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(dirname "$here")
base=${BASE:-$((seconds / 3))}
[ "$base" -gt 60 ] && base=60
[ "$base" -lt 1 ] && base=1
samples=${SAMPLES:-}

tmp=$(mktemp -d /tmp/eddy-bench-memory.XXXXXX)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# start_serve FILE.sql: sets spid and port
start_serve() { serve_start "$tmp/log" "$1"; pid=$spid; }

stop_serve() {
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }

# metric NAME: the value of the first sample of NAME in $tmp/metrics
metric() { awk -v m="$1" 'index($0, m "{") == 1 { print $2; exit }' "$tmp/metrics"; }

# 1. idle
start_serve ""
sleep 1
idle=$(rss_kb)
stop_serve
start_serve "$root/examples/demo/demo.sql"
sleep 1
idle_demo=$(rss_kb)
stop_serve
echo "RESULT mode=memory kind=idle rss_kb=$idle rss_demo_kb=$idle_demo"

# 2. q5 at RATE events/s for SECONDS seconds
sed "s/events = 100000000, rate = 0/rate = $rate/" "$root/examples/nexmark/bid.sql" > "$tmp/q5.sql"
cat "$root/examples/nexmark/q5.sql" >> "$tmp/q5.sql"
grep -q "rate = $rate" "$tmp/q5.sql" || { echo "memory.sh: cannot set the rate in bid.sql" >&2; exit 1; }
start_serve "$tmp/q5.sql"
t0=$(date +%s.%N)
rss_base=
best_bpk=
[ -n "$samples" ] && echo "# t_s rss_kb state_bytes state_keys events_in" > "$samples"
i=1
while [ "$i" -le "$seconds" ]; do
    # sleep to the next whole second since start, so samples do not drift
    now=$(date +%s.%N)
    d=$(awk -v a="$t0" -v b="$now" -v i="$i" 'BEGIN { d = a + i - b; print (d > 0 ? d : 0) }')
    sleep "$d"
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/log" >&2; echo "memory.sh: eddy serve died" >&2; exit 1; }
    rss=$(rss_kb)
    curl -sf "http://127.0.0.1:$port/metrics" > "$tmp/metrics" || : > "$tmp/metrics"
    bytes=$(metric eddy_query_state_bytes)
    keys=$(metric eddy_query_state_keys)
    evin=$(metric eddy_stream_events_in_total)
    [ -n "$samples" ] && echo "$i $rss ${bytes:-0} ${keys:-0} ${evin:-0}" >> "$samples"
    [ "$i" -eq "$base" ] && rss_base=$rss
    if [ -n "${keys:-}" ] && [ "${keys:-0}" -gt 0 ]; then
        last_bpk=$(awk -v b="$bytes" -v k="$keys" 'BEGIN { printf "%.1f", b / k }')
        last_keys=$keys
        last_bytes=$bytes
    fi
    i=$((i + 1))
done
rss_end=$rss
events=${evin:-0}
stop_serve
if [ "${events:-0}" -eq 0 ] || [ -z "${last_bpk:-}" ]; then
    echo "memory.sh: q5 saw no events or no state" >&2
    exit 1
fi
drift=$(awk -v a="$rss_base" -v b="$rss_end" 'BEGIN { printf "%.2f", (b - a) * 100 / a }')
eps=$(awk -v e="$events" -v s="$seconds" 'BEGIN { printf "%.0f", e / s }')
echo "RESULT mode=memory kind=q5_state state_bytes=$last_bytes state_keys=$last_keys bytes_per_key_pane=$last_bpk"
echo "RESULT mode=memory kind=drift rate=$rate seconds=$seconds base_s=$base rss_base_kb=$rss_base rss_end_kb=$rss_end drift_pct=$drift events=$events events_per_s=$eps"

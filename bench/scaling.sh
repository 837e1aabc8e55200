#!/bin/sh
# bench/scaling.sh — how steady is the two-thread speedup? Runs
# `eddy-bench --threads 2 QUERY` REPEAT times in a row (each time a median of
# RUNS one-thread runs and RUNS two-thread runs) and writes every repeat's
# speedup and CPU-time ratio, then their minimum, median and maximum, and how
# many repeats reach TARGET. One `make bench` is a single such repeat; on a
# shared VM the two-thread figure moves with the machine (docs/BENCHMARKS.md,
# "Two threads"), and this shows by how much. ~30 s per repeat at the default
# size; no timing checks (BENCH_TINY=1 runs it tiny, as a smoke test).
# Each repeat also prints eddy-core-rtt's cache-line round trip between two
# threads (bench/core_rtt.c): the speedup follows it on this VM.
#
# Environment:
#   EDDY_BENCH  the driver (default build/eddy-bench)
#   EDDY_CORE_RTT  the round-trip probe (default: eddy-core-rtt next to the driver)
#   QUERY       default q5
#   REPEAT      default 10
#   EVENTS      events per run (default 20000000)
#   RUNS        runs per median (default 5)
#   TARGET      speedup counted as reached (default 1.8)
#   BENCH_OUT   where to write the markdown (default bench/results-scaling.md)
#   BENCH_TINY  1: 2 repeats of 20000 events, 1 run each
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench=${EDDY_BENCH:-$root/build/eddy-bench}
rtt=${EDDY_CORE_RTT:-$(dirname "$bench")/eddy-core-rtt}
query=${QUERY:-q5}
repeat=${REPEAT:-10}
events=${EVENTS:-20000000}
runs=${RUNS:-5}
target=${TARGET:-1.8}
out=${BENCH_OUT:-$here/results-scaling.md}
if [ "${BENCH_TINY:-0}" = 1 ]; then
    repeat=2
    events=20000
    runs=1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT

i=0
while [ "$i" -lt "$repeat" ]; do
    i=$((i + 1))
    "$bench" --events "$events" --runs "$runs" --threads 2 "$query" > "$log.one"
    line=$(grep '^RESULT mode=parallel' "$log.one") || {
        cat "$log.one" >&2
        echo "scaling.sh: no parallel result from eddy-bench" >&2
        rm -f "$log.one"
        exit 1
    }
    rm -f "$log.one"
    # the cache-line round trip between two threads right after: what the
    # hypervisor's placement of the two vCPUs costs now
    r=$("$rtt" 2>/dev/null || echo rtt_ns=)
    echo "$(date -u +%H:%M:%S) $line $r" | tee -a "$log"
done

awk -v q="$query" -v target="$target" -v events="$events" -v runs="$runs" \
    -v when="$(date -u +%Y-%m-%dT%H:%MZ)" -v cpus="$(nproc)" '
function field(name,   k) {
    for (k = 1; k <= NF; k++) if (index($k, name "=") == 1) return substr($k, length(name) + 2)
    return ""
}
{
    n++; t[n] = $1; s[n] = field("speedup") + 0; c[n] = field("cpu_ratio") + 0; r[n] = field("rtt_ns")
    rows[n] = field("rows_out"); route = field("routing")
}
END {
    if (n == 0) exit 1
    for (i = 1; i <= n; i++) { srt[i] = s[i] }
    for (i = 2; i <= n; i++) for (j = i; j > 1 && srt[j - 1] > srt[j]; j--) { x = srt[j]; srt[j] = srt[j - 1]; srt[j - 1] = x }
    med = n % 2 ? srt[(n + 1) / 2] : (srt[n / 2] + srt[n / 2 + 1]) / 2
    hit = 0
    for (i = 1; i <= n; i++) if (s[i] >= target) hit++
    print "# eddy two-thread scaling (bench/scaling.sh)\n"
    printf "Generated on %s, %d CPUs. %s, %d events per run, routing %s; each repeat is one\n", when, cpus, q, events, route
    printf "`eddy-bench --threads 2` (median of %d one-thread runs, then of %d two-thread runs).\n\n", runs, runs
    print "| repeat | time (UTC) | speedup | CPU time ratio | thread-to-thread round trip, ns | rows out |"
    print "|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++) printf "| %d | %s | %.2fx | %.2fx | %s | %s |\n", i, t[i], s[i], c[i], r[i], rows[i]
    printf "\nspeedup over %d repeats: min %.2fx, median %.2fx, max %.2fx; %d of %d at or above %.2fx.\n",
        n, srt[1], med, srt[n], hit, n, target
}' "$log" > "$out"
tail -1 "$out"
echo "wrote $out"

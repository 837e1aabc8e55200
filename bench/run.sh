#!/bin/sh
# bench/run.sh — the eddy benchmark set; writes bench/results.md and
# docs/latency.png. Takes about 10 minutes on 2 cores.
#
#  1. In-process Nexmark: generator -> query -> discarding sink for q0, q1,
#     q2, q5, q7 (examples/nexmark/*.sql) on one thread and on two (ed_par,
#     engine/parallel.h), then the JSON path (bids as JSON lines decoded
#     into q2 and q5, jansson as the baseline). eddy-bench, median of RUNS
#     runs.
#  2. JSON into `eddy serve` (bench/tcp_intake.sh, q2 and q5): over one TCP
#     connection, and from a file.
#  3. Latency: TCP source -> eddy serve -> WebSocket sinks at 100 K events/s
#     (eddy-latency, bench/latency.c): filter rows and window results,
#     p50..max per 5 s run, median of 3 runs; the distribution is drawn
#     into docs/latency.png with gnuplot.
#  4. Memory (bench/memory.sh): idle RSS, q5 state bytes per key per pane,
#     RSS drift of q5 at 1 M events/s over DRIFT_SECONDS (default 60;
#     `make bench-drift` runs 600).
#  5. Kafka intake (bench/kafka_intake.sh): eddy-kafka-mock preloaded with
#     3.7 M bids, eddy serve reading them into q2 and q0; kcat as baseline.
#
# Environment:
#   EDDY, EDDY_BENCH, EDDY_LATENCY, EDDY_KAFKA_MOCK   the binaries
#               (default: build/eddy, build/eddy-bench, build/eddy-latency,
#               build/eddy-kafka-mock)
#   EVENTS      events of the Nexmark sequence per in-process run (default 20000000)
#   JSON_EVENTS events turned into JSON lines (default 2000000)
#   RUNS        runs per in-process measurement (default 5)
#   DRIFT_SECONDS  length of the q5 RSS drift run (default 60)
#   PARTS       which parts to run (default "nexmark tcp latency memory kafka")
#   BENCH_TINY  1: every part at a tiny size, 1 run, no plot — a smoke test
#               (ctest runs it as nexmark_bench_tiny); no timing checks
#   BENCH_OUT   where to write the markdown (default bench/results.md)
#   LATENCY_PNG where to draw the plot (default docs/latency.png)
#   BENCH_LOG   run nothing: write the markdown from the saved output of an
#               earlier run (its RESULT lines; no plot)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bench=${EDDY_BENCH:-$root/build/eddy-bench}
eddy=${EDDY:-$root/build/eddy}
latency=${EDDY_LATENCY:-$root/build/eddy-latency}
mock=${EDDY_KAFKA_MOCK:-$root/build/eddy-kafka-mock}
events=${EVENTS:-20000000}
json_events=${JSON_EVENTS:-2000000}
runs=${RUNS:-5}
drift=${DRIFT_SECONDS:-60}
parts=${PARTS:-nexmark tcp latency memory kafka}
out=${BENCH_OUT:-$here/results.md}
png=${LATENCY_PNG:-$root/docs/latency.png}
tcp_events=4000000
kafka_events=4000000
kafka_parts=100
lat_args="--rate 100000 --seconds 5 --runs 3 --warmup 1"
mem_rate=1000000
tiny=${BENCH_TINY:-0}
if [ "$tiny" = 1 ]; then
    events=20000
    json_events=5000
    runs=1
    tcp_events=5000
    kafka_events=5000
    kafka_parts=4
    lat_args="--rate 2000 --seconds 0.3 --runs 1 --warmup 0.2"
    drift=3
    mem_rate=50000
    export KAFKA_LINGER_MS=50
fi
has() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
# part CMD...: run one benchmark, its output also into the log; stop if it fails
part() {
    { rc=0; "$@" || rc=$?; echo "$rc" > "$tmp/rc"; } | tee -a "$log"
    rc=$(cat "$tmp/rc")
    if [ "$rc" != 0 ]; then
        echo "run.sh: $1 failed (exit $rc)" >&2
        exit 1
    fi
}
for b in "$bench" "$eddy" "$latency" "$mock"; do
    if [ ! -x "$b" ]; then
        echo "run.sh: $b not found; build first (make build)" >&2
        exit 1
    fi
done

tmp=$(mktemp -d /tmp/eddy-bench-run.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/results.txt
: > "$log"
if [ -n "${BENCH_LOG:-}" ]; then
    # only the markdown, from the output of an earlier run
    grep '^RESULT ' "$BENCH_LOG" > "$log"
    parts=$(awk '/^RESULT / { for (i = 2; i <= NF; i++) if ($i ~ /^mode=/) print substr($i, 6) }' "$log" |
            sed 's/^query$/nexmark/; s/^parallel$/nexmark/; s/^json$/nexmark/; s/^file$/tcp/' | sort -u | tr '\n' ' ')
    tiny=0
fi
if has nexmark && [ -z "${BENCH_LOG:-}" ]; then
    echo "== in-process Nexmark: $events events/run, $runs runs, median (JSON: $json_events events)"
    part "$bench" --events "$events" --runs "$runs" --threads 2 q0 q1 q2 q5 q7 floor-q5
    # q5 in steady state: 1 M events/s of event time, so the events span
    # several 10 s windows and every window combines five panes
    part "$bench" --events "$events" --runs "$runs" --threads 2 --rate 1000000 q5 floor-q5
    # the hand-written q5 must produce as many rows as eddy's, or it is not a baseline
    for r in 0 1000000; do
        a=$(grep "^RESULT mode=query query=q5 rate=$r " "$log" | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^rows_out=/) print $i }')
        f=$(grep "^RESULT mode=query query=floor-q5 rate=$r " "$log" | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^rows_out=/) print $i }')
        if [ -z "$a" ] || [ "$a" != "$f" ]; then
            echo "run.sh: q5 and its hand-written floor disagree at rate $r: $a vs $f" >&2
            exit 1
        fi
    done
    part "$bench" --json "$json_events" --runs "$runs" q2 q5
fi
if has tcp && [ -z "${BENCH_LOG:-}" ]; then
    echo "== JSON over TCP into eddy serve: $tcp_events events"
    part "$here/tcp_intake.sh" "$eddy" "$tcp_events" "q2 q5"
    echo "== JSON from a file into eddy serve: $tcp_events events"
    part env SOURCE=file "$here/tcp_intake.sh" "$eddy" "$tcp_events" "q2 q5"
fi
if has latency && [ -z "${BENCH_LOG:-}" ]; then
    echo "== latency: eddy-latency $lat_args"
    hist_arg=""
    [ "$tiny" = 1 ] || hist_arg="--hist $tmp/latency.hist"
    # shellcheck disable=SC2086
    part "$latency" --eddy "$eddy" $lat_args $hist_arg
fi
if has memory && [ -z "${BENCH_LOG:-}" ]; then
    echo "== memory: idle RSS, q5 state, RSS drift over $drift s at $mem_rate events/s"
    part env SAMPLES="$tmp/memory.samples" "$here/memory.sh" "$eddy" "$drift" "$mem_rate"
fi
if has kafka && [ -z "${BENCH_LOG:-}" ]; then
    echo "== Kafka intake: $kafka_events events, $kafka_parts partitions"
    part "$here/kafka_intake.sh" "$eddy" "$mock" "$kafka_events" "$kafka_parts" "q2 q0"
fi

# the latency plot (not in tiny mode; needs gnuplot)
if [ "$tiny" != 1 ] && [ -s "$tmp/latency.hist" ]; then
    if command -v gnuplot >/dev/null; then
        gnuplot <<EOF
set terminal pngcairo size 900,560 font "sans,11" noenhanced
set output "$png"
set title "eddy serve: TCP source -> query -> WebSocket client, 100 K events/s (all measured runs)"
set logscale x
set logscale y
set format y "%g"
set xlabel "latency (microseconds, log scale)"
set ylabel "fraction of rows with at least this latency"
set grid
set xrange [10:*]
set yrange [1e-5:1.5]
set key top right
set arrow from 1000,1e-5 to 1000,1.5 nohead dashtype 2 lc rgb "#999999"
set label "1 ms" at 1050,0.3
set label "p90" at 11,0.13
set label "p99" at 11,0.013
set label "p99.9" at 11,0.0013
set label "p99.99" at 11,0.00013
plot "$tmp/latency.hist" index 0 using 1:2 with steps lw 2 title "filter rows (WHERE k = 0)", \
     "$tmp/latency.hist" index 1 using 1:2 with steps lw 2 title "window results (watermark passes the end -> row)"
EOF
        echo "wrote $png"
    else
        echo "run.sh: gnuplot not found, no plot (scripts/deps.sh installs gnuplot-nox)" >&2
    fi
fi

# the RESULT lines -> markdown
kv() { # kv KEY LINE...: value of KEY= in the RESULT lines on stdin
    awk -v k="$1" '{ for (i = 2; i <= NF; i++) { split($i, a, "="); if (a[1] == k) print a[2] } }'
}
{
    echo "# eddy benchmark results"
    echo
    echo "Generated by bench/run.sh on $(date -u ${BENCH_LOG:+-r "$BENCH_LOG"} +%Y-%m-%dT%H:%MZ), $(nproc) CPUs,"
    echo "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //' || echo unknown CPU)."
    [ "$tiny" = 1 ] && echo "TINY MODE (smoke test sizes): the figures mean nothing."
    if has nexmark; then
        echo
        echo "## In-process Nexmark"
        echo
        echo "One thread (two threads below). Median of $runs runs. \"events\" are bid events pushed into the query;"
        echo "event time 10 M events/s unless the row says otherwise. The floor is q5 written by hand in plain C."
        echo
        echo "| benchmark | events | ns/event | M events/s | generator ns | engine ns | rows out |"
        echo "|---|---|---|---|---|---|---|"
        awk '/^RESULT mode=query/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                name = v["query"] == "floor-q5" ? "q5 written by hand in C (floor)" : v["query"]
                if (v["rate"] > 0) name = name ", event time " v["rate"] / 1e6 " M ev/s"
                printf "| %s | %s | %.1f | %.2f | %.1f | %.1f | %s |\n",
                       name, v["events"], v["ns"], v["eps"] / 1e6, v["gen_ns"], v["engine_ns"], v["rows_out"]
             }
             /^RESULT mode=json/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                name = v["query"] == "decode" ? "JSON decode only (eddy)" : \
                       v["query"] == "jansson" ? "JSON json_loadb only (jansson baseline)" : "JSON -> " v["query"]
                printf "| %s | %s | %.1f | %.2f | | | %s |\n", name, v["events"], v["ns"], v["eps"] / 1e6, \
                       (v["query"] == "decode" || v["query"] == "jansson") ? "" : v["rows_out"]
                delete v
             }' "$log"
        ratio=$(grep '^RESULT mode=json query=jansson' "$log" | kv ratio)
        echo
        echo "eddy's JSON decoder is ${ratio}x faster than jansson on the same lines."
        echo
        echo "### Two worker threads (ed_par)"
        echo
        echo "Same events, two shards on two threads (generator split too), median of $runs runs;"
        echo "speedup against the one-thread median of the same run; CPU = process CPU time vs one thread's."
        echo
        echo "| query | routing | ns/event | M events/s | speedup | CPU time ratio | rows out |"
        echo "|---|---|---|---|---|---|---|"
        awk '/^RESULT mode=parallel/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                name = v["query"]
                if (v["rate"] > 0) name = name ", event time " v["rate"] / 1e6 " M ev/s"
                printf "| %s | %s | %.1f | %.2f | %.2fx | %.2fx | %s |\n", name, v["routing"], v["ns"],
                       v["eps"] / 1e6, v["speedup"], v["cpu_ratio"], v["rows_out"]
             }' "$log"
    fi
    if has tcp; then
        echo
        echo "## JSON into eddy serve (TCP connection, file)"
        echo
        echo "| source | query | events | M events/s | eddy CPU ns/event | bytes/event |"
        echo "|---|---|---|---|---|---|"
        awk '/^RESULT mode=(tcp|file)/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                printf "| %s | %s | %s | %.2f | %s | %s |\n", v["mode"], v["query"], v["events"], v["eps"] / 1e6,
                       v["eddy_cpu_ns_per_event"], v["bytes_per_event"]
             }' "$log"
    fi
    if has latency; then
        echo
        echo "## Latency (TCP source -> eddy serve -> WebSocket client)"
        echo
        echo "eddy-latency $lat_args; median over runs of each run's percentile, microseconds."
        echo
        echo "| kind | rows | p50 | p90 | p99 | p99.9 | max |"
        echo "|---|---|---|---|---|---|---|"
        awk '/^RESULT mode=latency/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                printf "| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f |\n", v["kind"], v["rows"], v["p50_us"],
                       v["p90_us"], v["p99_us"], v["p999_us"], v["max_us"]
             }' "$log"
    fi
    if has memory; then
        echo
        echo "## Memory"
        echo
        awk '/^RESULT mode=memory kind=idle/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                printf "- idle RSS: %.1f MB (empty catalog), %.1f MB (demo)\n", v["rss_kb"] / 1024, v["rss_demo_kb"] / 1024 }
             /^RESULT mode=memory kind=q5_state/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                printf "- q5 state: %s bytes for %s keys summed over panes = %s bytes per key per pane\n",
                       v["state_bytes"], v["state_keys"], v["bytes_per_key_pane"] }
             /^RESULT mode=memory kind=drift/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                printf "- q5 at %s events/s for %s s (%.2f M events/s read): RSS %.1f MB at %s s, %.1f MB at the end: drift %s %%\n",
                       v["rate"], v["seconds"], v["events_per_s"] / 1e6, v["rss_base_kb"] / 1024, v["base_s"],
                       v["rss_end_kb"] / 1024, v["drift_pct"] }' "$log"
    fi
    if has kafka; then
        echo
        echo "## Kafka intake (eddy-kafka-mock on the same machine)"
        echo
        echo "| consumer | events | partitions | M events/s | eddy CPU ns/event | eddy main thread ns/event | eddy peak RSS MB |"
        echo "|---|---|---|---|---|---|---|"
        awk '/^RESULT mode=kafka/ {
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                name = v["query"] == "kcat" ? "kcat -C (baseline: simple consumer, no decoding)" : \
                       v["query"] == "kcat-group" ? "kcat -G (baseline: consumer group, no decoding)" : \
                       "eddy serve -> " v["query"]
                printf "| %s | %s | %s | %.2f | %s | %s | %s |\n", name, v["events"], v["partitions"], v["eps"] / 1e6,
                       v["eddy_cpu_ns_per_event"], v["main_ns_per_event"], v["eddy_peak_rss_mb"]
                delete v
             }' "$log"
    fi
} > "$out"
echo "wrote $out"

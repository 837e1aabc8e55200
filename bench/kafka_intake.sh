#!/bin/sh
# bench/kafka_intake.sh — Kafka intake of `eddy serve`.
#
# Starts eddy-kafka-mock (librdkafka's mock cluster: 3 brokers, real Kafka
# protocol on loopback) with one topic of PARTITIONS partitions, preloads it
# with the bids of EVENTS Nexmark events (`eddy nexmark | kcat -P`, lz4
# batches spread over the partitions), then for each query runs
# `eddy serve` with a Kafka source on the topic (start = earliest, a fresh
# consumer group; eddy's own prefetch defaults, see docs/KAFKA.md) and polls /metrics
# every 20 ms (bench/poll_events.py) for the stream's
# eddy_stream_events_in_total until every message has been read.
# Rate = messages / time from the first consumed event to the last (group
# join and rebalance are not counted); also eddy's CPU time per event.
# Baselines: kcat reading the same messages (no decoding, no engine) with
# eddy's prefetch limits (queued.min.messages = 1000000,
# queued.max.messages.kbytes = 262144: librdkafka 2.0.2 stops fetching for
# up to ~1 s whenever the prefetch queue reaches them), once
# with the simple per-partition consumer and once as a consumer-group
# member like eddy (the group path of the mock is markedly slower).
# The mock holds a fetch answer for the whole fetch.wait.max.ms whenever the
# answer is empty, even if data arrives meanwhile (a real broker answers as
# soon as data is there), so both consumers use fetch.wait.max.ms =
# KAFKA_FETCH_WAIT (default 1 ms); producer batches are
# large (linger 2 s, up to 8 MB) because the mock serves one batch per
# partition per fetch (rd_kafka_mock_handle_Fetch: "FIXME: Multiple
# messageSets ?").
#   q2: Nexmark q2 selection (WHERE auction % 123 = 0): almost no output,
#       so this is the intake path itself (fetch, decompress, decode, push);
#   q0: Nexmark q0 pass-through into a WebSocket sink without subscribers:
#       every row is still rendered as JSON text (the sink keeps the latest
#       rows for new subscribers), which costs about as much as decoding.
# The mock broker runs on the same machine and shares its CPUs.
# The mock keeps only ~5 MiB of batches per partition (librdkafka 2.0.2), so
# EVENTS/PARTITIONS must stay under ~45 K bids with lz4; the script checks
# that nothing was trimmed (low offsets 0) before measuring.
#
# usage: bench/kafka_intake.sh EDDY EDDY_KAFKA_MOCK [EVENTS [PARTITIONS [QUERIES]]]
#        (defaults 4000000, 100, "q2 q0")
# Environment: KAFKA_CODEC (producer compression, default lz4),
# KAFKA_LINGER_MS (producer linger, default 2000), KAFKA_FETCH_WAIT (ms,
# default 1), KAFKA_TIMEOUT (s, default 180), KAFKA_PERF=DIR (perf record),
# KAFKA_PROPS="k=v ..." (more consumer properties, for kcat and eddy alike).
# Prints "RESULT mode=kafka ..." lines. No timing assertions; exits 1 if
# the preload was trimmed, the server fails, or messages are missing.
set -eu
eddy=$1
mock=$2
events=${3:-4000000}
parts=${4:-100}
queries=${5:-q2 q0}
timeout_s=${KAFKA_TIMEOUT:-180}
fetch_wait=${KAFKA_FETCH_WAIT:-1}
codec=${KAFKA_CODEC:-lz4}
linger=${KAFKA_LINGER_MS:-2000}
props=${KAFKA_PROPS:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(dirname "$here")
command -v kcat >/dev/null || { echo "kafka_intake.sh: kcat not found (scripts/deps.sh installs it)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/eddy-bench-kafka.XXXXXX)
mpid=
spid=
cleanup() {
    [ -n "$spid" ] && { kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; }
    [ -n "$mpid" ] && { kill "$mpid" 2>/dev/null || true; wait "$mpid" 2>/dev/null || true; }
    rm -rf "$tmp"
}
trap cleanup EXIT

now() { date +%s.%N; }

: > "$tmp/mock.out"
"$mock" --topic "bids:$parts" > "$tmp/mock.out" 2> "$tmp/mock.err" < /dev/null &
mpid=$!
brokers=
for _ in $(seq 100); do
    brokers=$(head -1 "$tmp/mock.out" 2>/dev/null || true)
    [ -n "$brokers" ] && break
    sleep 0.05
done
[ -n "$brokers" ] || { cat "$tmp/mock.err" >&2; echo "kafka_intake.sh: mock did not start" >&2; exit 1; }

t0=$(now)
"$eddy" nexmark --table bid --events "$events" |
    kcat -P -b "$brokers" -t bids -z "$codec" -X linger.ms="$linger" -X batch.num.messages=100000 -X batch.size=8000000 \
         -X queue.buffering.max.messages=2000000 -X queue.buffering.max.kbytes=2000000 \
         -X sticky.partitioning.linger.ms=0
t1=$(now)
total=0
p=0
while [ "$p" -lt "$parts" ]; do
    lo=$(kcat -Q -b "$brokers" -t "bids:$p:-2" | awk '{ print $NF }')
    hi=$(kcat -Q -b "$brokers" -t "bids:$p:-1" | awk '{ print $NF }')
    if [ "$lo" != 0 ]; then
        echo "kafka_intake.sh: partition $p was trimmed by the mock's retention (low offset $lo):" \
             "use more partitions or fewer events" >&2
        exit 1
    fi
    total=$((total + hi))
    p=$((p + 1))
done
echo "kafka: preloaded $total bid messages into $parts partitions in" \
     "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
[ "$total" -gt 0 ] || { echo "kafka_intake.sh: nothing was produced" >&2; exit 1; }

# baseline: kcat reading every message from the same mock (no JSON decoding)
t0=$(now)
kprops=
for kv in $props; do kprops="$kprops -X $kv"; done
# shellcheck disable=SC2086
got=$(kcat -C -b "$brokers" -t bids -o beginning -e -q -X queued.min.messages=1000000 -X queued.max.messages.kbytes=262144 \
      -X fetch.wait.max.ms="$fetch_wait" $kprops | wc -l)
t1=$(now)
awk -v n="$got" -v a="$t0" -v b="$t1" -v p="$parts" 'BEGIN {
    printf "RESULT mode=kafka query=kcat partitions=%d events=%d seconds=%.2f eps=%.0f\n", p, n, b - a, n / (b - a) }'
# and kcat as a consumer-group member, like eddy (group join not counted)
# shellcheck disable=SC2086
kcat -b "$brokers" -G bench-kcat -X auto.offset.reset=earliest -e -q -X queued.min.messages=1000000 -X queued.max.messages.kbytes=262144 \
     -X fetch.wait.max.ms="$fetch_wait" $kprops bids | python3 -c '
import sys, time
t0 = time.monotonic(); first = None; n = 0
for line in sys.stdin.buffer:
    n += 1
    if first is None: first = time.monotonic()
t = time.monotonic(); d = max(t - (first or t), 0.02)
print(f"RESULT mode=kafka query=kcat-group partitions={sys.argv[1]} events={n} seconds={d:.2f} eps={n / d:.0f} "
      f"join_s={(first or t) - t0:.2f}")' "$parts"

for q in $queries; do
    {
        echo "CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
        echo "  date_time TIMESTAMP, extra VARCHAR, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
        echo "WITH (connector = 'kafka', brokers = '$brokers', topic = 'bids', \"group\" = 'bench-$q',"
        echo "      start = 'earliest',"
        printf "      kafka.fetch.wait.max.ms = '%s'" "$fetch_wait"
        for kv in $props; do printf ", kafka.%s = '%s'" "${kv%%=*}" "${kv#*=}"; done
        echo ");"
        cat "$root/examples/nexmark/$q.sql"
    } > "$tmp/$q.sql"
    serve_start "$tmp/serve.log" "$tmp/$q.sql"
    # KAFKA_PERF=DIR: profile the server while it consumes (perf record)
    ppid=
    if [ -n "${KAFKA_PERF:-}" ]; then
        perf record -F 999 -g -p "$spid" -o "$KAFKA_PERF/perf-$q.data" 2>/dev/null &
        ppid=$!
    fi
    ok=1
    python3 "$here/poll_events.py" "$port" "$total" "$timeout_s" "$spid" "$mpid" \
        "mode=kafka query=$q partitions=$parts codec=$codec" || ok=0
    [ -n "$ppid" ] && { kill -INT "$ppid"; wait "$ppid" 2>/dev/null || true; }
    kill "$spid"
    wait "$spid" 2>/dev/null || true
    spid=
    if [ "$ok" = 0 ]; then
        cat "$tmp/serve.log" >&2
        exit 1
    fi
done

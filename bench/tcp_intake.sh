#!/bin/sh
# bench/tcp_intake.sh — JSON over TCP into `eddy serve`.
#
# Writes the bids of EVENTS Nexmark events as JSON lines to a file
# (`eddy nexmark`, ~258 bytes per line), starts `eddy serve` with the bid
# stream on a tcp source (connector = 'tcp') and each query of QUERIES
# (examples/nexmark/qN.sql, sinks are WebSocket sinks without subscribers),
# sends the file with one `nc -N` connection and polls /metrics every 20 ms
# (bench/poll_events.py) until the stream has read every line. Rate = lines
# / time from the first event read to the last; also eddy's CPU per event.
# nc and the server share the machine's CPUs.
# SOURCE=file: instead of TCP, the stream reads the written file (connector =
# 'file'; page cache, no network stack). Not a followed file being appended
# to: the writer, throttled by the kernel's dirty-page writeback, would be
# measured instead of eddy.
#
# usage: bench/tcp_intake.sh EDDY [EVENTS [QUERIES]]   (defaults 4000000, "q2 q5")
# TCP_PERF=DIR: perf record the server while it reads (DIR/perf-tcp-qN.data).
# Prints "RESULT mode=tcp ..." (or mode=file) lines. No timing assertions; exits 1 if the
# server fails or lines are missing.
set -eu
eddy=$1
events=${2:-4000000}
queries=${3:-q2 q5}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
root=$(dirname "$here")
command -v nc >/dev/null || { echo "tcp_intake.sh: nc not found (netcat-openbsd, scripts/deps.sh)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/eddy-bench-tcp.XXXXXX)
spid=
cleanup() {
    [ -n "$spid" ] && { kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; }
    rm -rf "$tmp"
}
trap cleanup EXIT

"$eddy" nexmark --table bid --events "$events" > "$tmp/bids.jsonl"
total=$(wc -l < "$tmp/bids.jsonl")
bytes=$(wc -c < "$tmp/bids.jsonl")
[ "$total" -gt 0 ] || { echo "tcp_intake.sh: no bids generated" >&2; exit 1; }
source=${SOURCE:-tcp}
tport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

for q in $queries; do
    {
        echo "CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
        echo "  date_time TIMESTAMP, extra VARCHAR, WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)"
        if [ "$source" = file ]; then
            echo "WITH (connector = 'file', path = '$tmp/bids.jsonl');"
        else
            echo "WITH (connector = 'tcp', port = $tport);"
        fi
        cat "$root/examples/nexmark/$q.sql"
    } > "$tmp/$q.sql"
    serve_start "$tmp/serve.log" "$tmp/$q.sql"
    # TCP_PERF=DIR: profile the server while it reads (perf record)
    ppid=
    if [ -n "${TCP_PERF:-}" ]; then
        perf record -F 999 -g -p "$spid" -o "$TCP_PERF/perf-tcp-$q.data" 2>/dev/null &
        ppid=$!
        sleep 0.5
    fi
    npid=
    if [ "$source" != file ]; then
        nc -N 127.0.0.1 "$tport" < "$tmp/bids.jsonl" &
        npid=$!
    fi
    ok=1
    python3 "$here/poll_events.py" "$port" "$total" 180 "$spid" - \
        "mode=$source query=$q bytes_per_event=$((bytes / total))" || ok=0
    [ -n "$npid" ] && { wait "$npid" || true; }
    [ -n "$ppid" ] && { kill -INT "$ppid"; wait "$ppid" 2>/dev/null || true; }
    kill "$spid"
    wait "$spid" 2>/dev/null || true
    spid=
    if [ "$ok" = 0 ]; then
        cat "$tmp/serve.log" >&2
        exit 1
    fi
done

#!/usr/bin/env python3
"""`eddy tail` against a sink it cannot keep up with: the server drops a
client whose pending rows exceed the sink's max_queue_bytes with close code
1008; tail must then exit 1 and say so on stderr (it used to exit 0 without
a word). The slow client is made by stopping tail (SIGSTOP) until the server
has dropped it, then letting it go on (SIGCONT). Also: while running, tail
prints rows.

usage: tail_drop.py EDDY
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import check, metric, report, start_serve, wait_for  # noqa: E402

eddy = sys.argv[1]
work = tempfile.mkdtemp(prefix="eddy-tail-")
sql = os.path.join(work, "q.sql")
with open(sql, "w") as f:
    f.write("""CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
  date_time TIMESTAMP, extra VARCHAR) WITH (connector = 'nexmark', table = 'bid', events = 1000000000, rate = 200000);
CREATE SINK out WITH (connector = 'websocket', max_queue_bytes = 65536);
CREATE QUERY q AS INSERT INTO out SELECT auction, bidder, price FROM bid;
""")
server, port = start_serve(eddy, os.path.join(work, "serve.log"), ["-f", sql])
tail = None
try:
    check(port is not None, "eddy serve starts")
    url = "http://127.0.0.1:%d" % port
    tail = subprocess.Popen([eddy, "tail", "--url", url, "out"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = []

    def reader():
        for line in tail.stdout:
            if len(lines) < 5:
                lines.append(line)

    threading.Thread(target=reader, daemon=True).start()
    check(wait_for(lambda: len(lines) >= 1, 20), "a first row from eddy tail")
    check(lines and "auction" in json.loads(lines[0]), "tail prints rows: %r" % lines[:1])
    tail.send_signal(signal.SIGSTOP)
    check(wait_for(lambda: (metric(port, "eddy_sink_dropped_clients_total") or 0) >= 1, 20),
          "the server drops the stopped client")
    tail.send_signal(signal.SIGCONT)
    try:
        rc = tail.wait(timeout=30)
    except subprocess.TimeoutExpired:
        rc = None
    err = tail.stderr.read().decode(errors="replace")
    check(rc == 1, "eddy tail exits 1 when dropped, got %r" % rc)
    check("1008" in err and "max_queue_bytes" in err, "eddy tail says why: %r" % err)
finally:
    for p in (tail, server):
        if p and p.poll() is None:
            p.send_signal(signal.SIGCONT)
            p.kill()
            p.wait()
sys.exit(report("tail_drop"))

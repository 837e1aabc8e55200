#!/usr/bin/env python3
"""`eddy tail` against a sink it cannot keep up with: the server drops a
client whose pending rows exceed the sink's max_queue_bytes with close code
1008; tail must then exit 1 and say so on stderr (it used to exit 0 without
a word). The slow client is made by stopping tail (SIGSTOP) until the server
has dropped it, then letting it go on (SIGCONT). Also: while running, tail
prints rows (it is not the one falling behind otherwise).

usage: tail_drop.py EDDY
"""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

eddy = sys.argv[1]
failures = 0


def check(cond, msg):
    global failures
    if not cond:
        print("FAIL:", msg)
        failures += 1
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def wait_for(fn, what, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if fn():
                return True
        except OSError:
            pass
        time.sleep(0.05)
    check(False, "timed out waiting for " + what)
    return False


def metric(url, name):
    for line in get(url + "/metrics").splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            return float(line.split()[-1])
    return None


work = tempfile.mkdtemp(prefix="eddy-tail-")
sql = os.path.join(work, "q.sql")
with open(sql, "w") as f:
    f.write("""CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
  date_time TIMESTAMP, extra VARCHAR) WITH (connector = 'nexmark', table = 'bid', events = 1000000000, rate = 200000);
CREATE SINK out WITH (connector = 'websocket', max_queue_bytes = 65536);
CREATE QUERY q AS INSERT INTO out SELECT auction, bidder, price FROM bid;
""")
port = free_port()
url = f"http://127.0.0.1:{port}"
server = subprocess.Popen([eddy, "serve", "-f", sql, "--listen", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
tail = None
try:
    wait_for(lambda: "ok" in get(url + "/healthz"), "eddy serve")
    tail = subprocess.Popen([eddy, "tail", "--url", url, "out"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = []

    def reader():
        for line in tail.stdout:
            if len(lines) < 5:
                lines.append(line)

    threading.Thread(target=reader, daemon=True).start()
    wait_for(lambda: len(lines) >= 1, "a first row from eddy tail")
    check(lines and "auction" in json.loads(lines[0]), f"tail prints rows: {lines[:1]}")
    tail.send_signal(signal.SIGSTOP)
    wait_for(lambda: (metric(url, "eddy_sink_dropped_clients_total") or 0) >= 1, "the server dropping the client")
    tail.send_signal(signal.SIGCONT)
    try:
        rc = tail.wait(timeout=30)
    except subprocess.TimeoutExpired:
        rc = None
    err = tail.stderr.read().decode(errors="replace")
    check(rc == 1, f"eddy tail exits 1 when dropped, got {rc}")
    check("1008" in err and "max_queue_bytes" in err, f"eddy tail says why: {err!r}")
finally:
    for p in (tail, server):
        if p and p.poll() is None:
            p.send_signal(signal.SIGCONT)
            p.kill()
            p.wait()
print("tail_drop:", "FAILED" if failures else "ok")
sys.exit(1 if failures else 0)

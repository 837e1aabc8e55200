#!/usr/bin/env python3
"""End-to-end test of `eddy serve` and the CLI: statements via `eddy exec`,
events from several concurrent TCP producers, results read with the npm `ws`
WebSocket client, the /api/v1 endpoints and /metrics, `eddy queries`,
`eddy drop`, `eddy explain`, `eddy tail`, `eddy shell` (stdin), error output
with line/column, port-in-use, and --state-dir restart. Clean shutdown on
SIGTERM must exit 0 (under ASan that also means no leaks).
usage: e2e.py EDDY     (exit 77 = skipped: node or the ws package missing)
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
EDDY = os.path.abspath(sys.argv[1])
WS_CLIENT = os.path.join(HERE, "ws_collect.js")
TMP = tempfile.mkdtemp(prefix="eddy-e2e-")
failures = []


def check(cond, what):
    if cond:
        print("ok  ", what)
    else:
        print("FAIL", what)
        failures.append(what)
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http(method, url, body=None):
    req = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers.get("Content-Type", "")


SERVERS = []  # killed at exit whatever happened, so a failing run leaves no server behind


class Server:
    def __init__(self, port, state_dir, name):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.errpath = os.path.join(TMP, name + ".stderr")
        self.err = open(self.errpath, "wb")
        self.p = subprocess.Popen([EDDY, "serve", "--listen", f"127.0.0.1:{port}", "--state-dir", state_dir],
                                  stdout=subprocess.DEVNULL, stderr=self.err)
        SERVERS.append(self.p)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.p.poll() is not None:
                raise SystemExit(f"eddy serve exited early: {open(self.errpath).read()}")
            try:
                if http("GET", self.url + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("eddy serve did not become healthy")

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = -9
        self.err.close()
        return rc

    def stderr(self):
        with open(self.errpath, encoding="utf-8", errors="replace") as f:
            return f.read()


def eddy(*args, stdin=None, url=None):
    env = dict(os.environ)
    if url:
        env["EDDY_URL"] = url
    r = subprocess.run([EDDY, *args], input=stdin, capture_output=True, text=True, timeout=60, env=env)
    return r.returncode, r.stdout, r.stderr


def start_ws(url, n, timeout=30):
    p = subprocess.Popen(["node", WS_CLIENT, url, str(n), str(timeout)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    first = p.stdout.readline().strip()
    if first != "OPEN":
        p.wait()
        if p.returncode == 77:
            sys.exit(77)
        raise SystemExit(f"ws client failed: {first} {p.stderr.read()}")
    return p


def produce(port, lines):
    with socket.create_connection(("127.0.0.1", port)) as s:
        for i in range(0, len(lines), 7):  # several writes per connection
            s.sendall("".join(l + "\n" for l in lines[i:i + 7]).encode())


def wait_for(fn, what, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fn():
            return True
        time.sleep(0.05)
    return check(False, what)


def stream_events(url):
    _, body, _ = http("GET", url + "/api/v1/streams")
    return {s["name"]: s["events_in"] for s in json.loads(body)}


def sink_clients(url, name):
    _, body, _ = http("GET", url + "/api/v1/sinks")
    return next((s["clients"] for s in json.loads(body) if s["name"] == name), 0)


def main():
    if not shutil.which("node") or subprocess.run(["node", WS_CLIENT, "--check"]).returncode != 0:
        print("skipped: node or the npm ws package is missing (run scripts/deps.sh)")
        return 77
    # serve -f with a failing statement: rendered error, exit 1.
    bad = os.path.join(TMP, "bad.sql")
    with open(bad, "w") as f:
        f.write("CREATE SINK s WITH (connector = 'stdout');\nCREATE QUERY q AS INSERT INTO s SELECT x FROM nowhere;\n")
    r = subprocess.run([EDDY, "serve", "-f", bad, "--listen", "127.0.0.1:0"], capture_output=True, text=True,
                       timeout=30)
    check(r.returncode == 1 and "line 2" in r.stderr and "^" in r.stderr, f"serve -f with an error exits 1: {r.stderr!r}")
    port, tcp = free_port(), free_port()
    state = os.path.join(TMP, "state")
    srv = Server(port, state, "serve1")
    url = srv.url

    # A second server on the same port fails with one clear line.
    r = subprocess.run([EDDY, "serve", "--listen", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=30)
    check(r.returncode != 0 and "in use" in r.stderr and r.stderr.count("\n") == 1,
          f"port in use is one clear error line: {r.stderr.strip()!r}")

    stmts = f"""
CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH (connector = 'tcp', port = {tcp}, format = 'json');
CREATE SINK agg WITH (connector = 'websocket');
CREATE SINK events WITH (connector = 'websocket');
CREATE QUERY per_auction AS INSERT INTO agg
  SELECT auction, COUNT(*) AS n, SUM(price) AS total, window_start, window_end
  FROM bids WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY auction;
CREATE QUERY expensive AS INSERT INTO events
  SELECT auction, price FROM bids WHERE price >= 1000;
"""
    rc, out, err = eddy("exec", stmts, url=url)
    check(rc == 0, f"eddy exec creates stream, sinks, queries (rc={rc}, {err.strip()})")

    # Results through a real WebSocket client; the window closes after all
    # producers' events are in.
    ws = start_ws(f"ws://127.0.0.1:{port}/ws/agg", 3)
    base = 1767225600000  # 2026-01-01T00:00:00Z, aligned to 10 s
    producers = []
    for p in range(4):
        lines = [json.dumps({"auction": i % 3, "price": 1, "ts": base + (p * 25 + i) * 10}) for i in range(25)]
        producers.append(threading.Thread(target=produce, args=(tcp, lines)))
    for t in producers:
        t.start()
    for t in producers:
        t.join()
    wait_for(lambda: stream_events(url).get("bids") == 100, "all 100 events from 4 producers arrive")
    produce(tcp, [json.dumps({"auction": 99, "price": 1, "ts": base + 20000})])
    out, err = ws.communicate(timeout=60)
    rows = [json.loads(l) for l in out.splitlines()]
    got = sorted((r["auction"], r["n"], r["total"], r["window_start"], r["window_end"]) for r in rows)
    want = [(a, n, float(n), "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:10.000Z")
            for a, n in ((0, 36), (1, 32), (2, 32))]
    check(ws.returncode == 0 and got == want, f"windowed rows over WebSocket: {got}")

    # eddy tail prints rows of a sink until Ctrl-C.
    tail = subprocess.Popen([EDDY, "tail", "--url", url, "events"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    wait_for(lambda: sink_clients(url, "events") >= 1, "eddy tail connects")
    produce(tcp, [json.dumps({"auction": 7, "price": 1500.5, "ts": base + 21000})])
    line = tail.stdout.readline().strip()
    check(line and json.loads(line) == {"auction": 7, "price": 1500.5}, f"eddy tail prints the row: {line!r}")
    tail.send_signal(signal.SIGINT)
    check(tail.wait(timeout=10) == 0, "eddy tail exits 0 on Ctrl-C")

    # eddy shell: an ad-hoc SELECT streams rows until Ctrl-C, then its query is dropped.
    sh = subprocess.Popen([EDDY, "shell", "--url", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    sh.stdin.write("SELECT auction, price * 2 AS p2\n  FROM bids WHERE auction = 8;\n")
    sh.stdin.flush()
    wait_for(lambda: any(s["internal"] and s["clients"] >= 1
                         for s in json.loads(http("GET", url + "/api/v1/sinks")[1])), "shell subscribes to its SELECT")
    produce(tcp, [json.dumps({"auction": 8, "price": 2.5, "ts": base + 22000})])
    line = ""
    while sh.poll() is None:
        line = sh.stdout.readline().strip()
        if line.startswith("{"):
            break
    check(line and json.loads(line) == {"auction": 8, "p2": 5.0}, f"shell streams ad-hoc SELECT rows: {line!r}")
    sh.send_signal(signal.SIGINT)
    sh.stdin.close()
    check(sh.wait(timeout=10) == 0, "shell exits 0 after Ctrl-C and end of input")
    wait_for(lambda: sorted(q["name"] for q in json.loads(http("GET", url + "/api/v1/queries")[1]))
             == ["expensive", "per_auction"], "Ctrl-C in the shell drops the ad-hoc query")

    # Control API.
    st, body, ct = http("GET", url + "/metrics")
    check(st == 200 and ct.startswith("text/plain") and "eddy_stream_events_in_total" in body
          and "eddy_query_late_events_total" in body and "eddy_sink_clients" in body, "/metrics")
    st, body, _ = http("GET", url + "/api/v1/streams")
    check(st == 200 and [s["name"] for s in json.loads(body)] == ["bids"], "/api/v1/streams")
    st, body, _ = http("GET", url + "/api/v1/sinks")
    check(st == 200 and sorted(s["name"] for s in json.loads(body)) == ["agg", "events"], "/api/v1/sinks")
    st, body, _ = http("GET", url + "/api/v1/queries")
    check(st == 200 and sorted(q["name"] for q in json.loads(body)) == ["expensive", "per_auction"],
          "/api/v1/queries")
    st, body, _ = http("GET", url + "/api/v1/queries/per_auction")
    q = json.loads(body)
    check(st == 200 and q.get("name") == "per_auction" and q.get("events_in") == 103 and "plan" in q,
          f"/api/v1/queries/NAME (events_in={q.get('events_in')})")
    st, body, _ = http("GET", url + "/api/v1/queries/nope")
    check(st == 404 and "error" in json.loads(body), "/api/v1/queries/absent is 404 JSON")
    st, body, _ = http("POST", url + "/api/v1/statements", "SHOW STREAMS; DROP QUERY nope;")
    res = json.loads(body)
    check(st == 400 and res[0]["ok"] and not res[-1]["ok"] and res[-1]["line"] == 1,
          "POST /api/v1/statements: 400 when one fails")
    st, body, _ = http("POST", url + "/api/v1/statements", "SHOW STREAMS;")
    check(st == 200 and json.loads(body)[0]["rows"][0]["name"] == "bids", "POST /api/v1/statements: 200")

    rc, out, err = eddy("queries", url=url)
    check(rc == 0 and "per_auction" in out and "expensive" in out and "events_in" in out, "eddy queries")
    rc, out, err = eddy("ls", "--url", url)
    check(rc == 0 and "per_auction" in out, "eddy ls")
    rc, out, err = eddy("explain", "per_auction", url=url)
    check(rc == 0 and out.strip() != "", f"eddy explain NAME ({err.strip()})")
    rc, out, err = eddy("explain", "SELECT auction FROM bids WHERE price > 3", url=url)
    check(rc == 0 and out.strip() != "", f"eddy explain SELECT ({err.strip()})")

    rc, out, err = eddy("exec", "CREATE QUERY bad AS INSERT INTO agg\n  SELECT prce FROM bids;", url=url)
    check(rc == 1 and "line 2, column 10" in err and "^" in err, f"bad statement: line/column and caret: {err!r}")
    rc, out, err = eddy("exec", "SHOW QUERIES;", "--url", f"http://127.0.0.1:{free_port()}")
    check(rc == 1 and "cannot connect to" in err and err.count("\n") == 1, f"unreachable server: {err.strip()!r}")

    rc, out, err = eddy("shell", stdin="SHOW\n  STREAMS;\nSHOW SINKS;\n", url=url)
    check(rc == 0 and "bids" in out and "agg" in out, "eddy shell reads statements from stdin")

    rc, out, err = eddy("drop", "expensive", url=url)
    check(rc == 0, f"eddy drop ({err.strip()})")
    rc, out, err = eddy("drop", "expensive", url=url)
    check(rc == 1 and err.strip() != "", "eddy drop of an absent query fails")
    st, body, _ = http("GET", url + "/api/v1/queries")
    check([q["name"] for q in json.loads(body)] == ["per_auction"], "dropped query is gone")

    check(srv.stop() == 0, "SIGTERM: clean exit 0")
    check(os.path.exists(os.path.join(state, "catalog.sql")), "--state-dir wrote catalog.sql")

    # Restart: the catalog comes back.
    srv = Server(port, state, "serve2")
    st, body, _ = http("GET", url + "/api/v1/queries")
    check([q["name"] for q in json.loads(body)] == ["per_auction"], "restart restores queries")
    st, body, _ = http("GET", url + "/api/v1/streams")
    check([s["name"] for s in json.loads(body)] == ["bids"], "restart restores streams")
    st, body, _ = http("GET", url + "/api/v1/sinks")
    check(sorted(s["name"] for s in json.loads(body)) == ["agg", "events"], "restart restores sinks")
    check(srv.stop() == 0, "second server: clean exit 0")
    if failures:
        print("\nserver stderr:\n" + srv.stderr())
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        for p in SERVERS:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(rc)

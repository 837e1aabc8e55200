#!/usr/bin/env python3
"""ckpt_file.py — checkpoints without Kafka: a followed JSON-lines file
through a tumbling and a hopping window into a file sink. eddy serve
--state-dir is killed with SIGKILL in the middle, lines are appended, and a
restart with only --state-dir must resume at the checkpoint's byte offset
with the windows' state restored: the distinct output rows equal the
windows computed here from the input (the file sink is at least once, so a
row may repeat, always with the same values). Also: --checkpoint-interval
validation, and a checkpoint whose query SQL no longer matches the catalog
is refused. Usage: ckpt_file.py path/to/eddy"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import check, failures, metric, report, start_serve, wait_for  # noqa: E402

T0 = 1700000000000
def event(i):
    return {"k": "k%d" % (i % 7), "v": i % 10, "ts": T0 + i * 40}


def start(eddy, tmp, name, args):
    err = os.path.join(tmp, name + ".err")
    p, port = start_serve(eddy, err, args)
    return p, port, err


def main():
    eddy = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="eddy-ckpt-file-")
    procs = []
    try:
        inp, out, state = (os.path.join(tmp, n) for n in ("in.jsonl", "out.jsonl", "state"))
        n1, n2 = 1500, 3000
        with open(inp, "w") as f:
            f.writelines(json.dumps(event(i)) + "\n" for i in range(n1))
        sql = os.path.join(tmp, "q.sql")
        with open(sql, "w") as f:
            f.write("""
CREATE STREAM ev (k VARCHAR, v BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH (connector='file', path='%s', follow='true');
CREATE SINK out WITH (connector='file', path='%s');
CREATE QUERY tumble AS INSERT INTO out
  SELECT 't' AS q, k, COUNT(*) AS n, SUM(v) AS s, window_start FROM ev
  WINDOW TUMBLING (SIZE 2 SECONDS) GROUP BY k;
CREATE QUERY hop AS INSERT INTO out
  SELECT 'h' AS q, k, COUNT(DISTINCT v) AS n, MAX(v) AS s, window_start FROM ev
  WINDOW HOPPING (SIZE 4 SECONDS, ADVANCE BY 2 SECONDS) GROUP BY k;
""" % (inp, out))
        r = subprocess.run([eddy, "serve", "--checkpoint-interval", "0"], capture_output=True, text=True)
        check(r.returncode == 2 and "--checkpoint-interval" in r.stderr, "interval 0 is rejected")

        p1, port1, err1 = start(eddy, tmp, "run1", ["-f", sql, "--state-dir", state, "--checkpoint-interval", "0.2"])
        procs.append(p1)
        check(port1 is not None, "first server started")
        check(wait_for(lambda: metric(port1, "eddy_stream_events_in_total", 'stream="ev"') == n1, 30),
              "first part read")
        c0 = metric(port1, "eddy_checkpoints_total") or 0
        check(wait_for(lambda: (metric(port1, "eddy_checkpoints_total") or 0) >= c0 + 2, 20), "checkpoints written")
        # more lines while it runs, then SIGKILL
        with open(inp, "a") as f:
            f.writelines(json.dumps(event(i)) + "\n" for i in range(n1, n1 + 500))
        time.sleep(0.15)
        p1.send_signal(signal.SIGKILL)
        p1.wait()
        with open(inp, "a") as f:
            f.writelines(json.dumps(event(i)) + "\n" for i in range(n1 + 500, n2))
            f.write(json.dumps({"k": "end", "v": 0, "ts": T0 + 10_000_000}) + "\n")

        p2, port2, err2 = start(eddy, tmp, "run2", ["--state-dir", state])
        procs.append(p2)
        check(port2 is not None, "restarted server")
        check("restored state from" in open(err2).read(), "state restored")
        # expected windows, computed here
        want = {}
        evs = [event(i) for i in range(n2)]
        for w0 in range(0, n2 * 40 + 2000, 2000):
            for k in {e["k"] for e in evs}:
                t = [e for e in evs if e["k"] == k and w0 <= e["ts"] - T0 < w0 + 2000]
                if t:
                    want[("t", k, w0)] = (len(t), sum(e["v"] for e in t))
            for k in {e["k"] for e in evs}:
                h = [e for e in evs if e["k"] == k and w0 - 2000 <= e["ts"] - T0 < w0 + 2000]
                if h:
                    want[("h", k, w0 - 2000)] = (len({e["v"] for e in h}), max(e["v"] for e in h))

        def got():
            rows = {}
            bad = []
            if not os.path.exists(out):
                return rows, bad
            for line in open(out):
                o = json.loads(line)
                ws = int(time.mktime(time.strptime(o["window_start"][:19], "%Y-%m-%dT%H:%M:%S")) -
                         time.timezone) * 1000 + int(o["window_start"][20:23]) - T0
                key = (o["q"], o["k"], ws)
                if key in rows and rows[key] != (o["n"], o["s"]):
                    bad.append((key, rows[key], (o["n"], o["s"])))
                rows[key] = (o["n"], o["s"])
            return rows, bad
        wait_for(lambda: len(got()[0]) >= len(want), 30)
        rows, bad = got()
        check(not bad, "repeated rows carry identical values: %r" % bad[:3])
        missing = sorted(set(want) - set(rows))[:5]
        wrong = [(k, rows[k], want[k]) for k in sorted(want) if k in rows and rows[k] != want[k]][:5]
        check(not missing and not wrong and len(rows) == len(want),
              "windows equal the input's (%d rows, want %d; missing %r; wrong %r)"
              % (len(rows), len(want), missing, wrong))
        p2.send_signal(signal.SIGTERM)
        check(p2.wait(30) == 0, "clean exit after SIGTERM (sanitizers report nothing)")
        check("final checkpoint written" in open(err2).read(), "final checkpoint at SIGTERM")

        # the catalog changes behind the checkpoint's back: refused, clearly
        cat = os.path.join(state, "catalog.sql")
        text = open(cat).read().replace("SUM(v) AS s", "SUM(v) + 1 AS s")
        check("SUM(v) + 1" in text, "catalog edited")
        open(cat, "w").write(text)
        r = subprocess.run([eddy, "serve", "--listen", "127.0.0.1:0", "--state-dir", state],
                           capture_output=True, text=True, timeout=30)
        check(r.returncode != 0 and "tumble" in r.stderr and "refusing to start" in r.stderr,
              "changed query SQL refused: %r" % r.stderr[-300:])
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        if failures:
            for f in ("run1.err", "run2.err"):
                pth = os.path.join(tmp, f)
                if os.path.exists(pth):
                    sys.stderr.write("---- %s\n%s" % (f, open(pth).read()[-2000:]))
        shutil.rmtree(tmp, ignore_errors=True)
    return report("checkpoint (file source) test")


if __name__ == "__main__":
    sys.exit(main())

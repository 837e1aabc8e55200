#!/usr/bin/env python3
"""run_crash_test.py — kill -9 in the middle of a Kafka stream, restart with
the same --state-dir, and get the same aggregates as an uninterrupted run.

Both runs read the same readings (3 partitions, produced with kcat, an
independent client) through the same two windowed queries (a tumbling
COUNT/SUM/MIN/MAX per device and a hopping COUNT(DISTINCT)/MAX(string) per
site) into Kafka sinks, consumed with kcat.

- reference: one eddy serve reads everything; its output topics are the
  expected rows.
- crash: eddy serve --state-dir D --checkpoint-interval 0.3 reads the first
  part, is killed with SIGKILL while the second part streams in, restarts
  with only --state-dir D (catalog and state come back), and reads the rest.
  The Kafka sink is at least once, so rows emitted after the last
  checkpoint may appear twice; every (window, key) must then carry the same
  values both times, and the set of distinct rows must equal the reference:
  no window lost, no event counted twice or missing.
- a corrupt checkpoint makes eddy serve refuse to start with a clear
  message (nothing half-loaded).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_kafka_tests import Mock, kcat_produce  # noqa: E402
from testlib import check, failures, metric, report, start_serve, wait_for  # noqa: E402

T0 = 1700000000000
PER_PART = 900
SITES = ["north", "south", "east"]


def reading(p, i):
    dev = "d%d" % ((i * 7 + p * 3) % 11)
    temp = ((i * 13 + p * 5) % 60) / 2.0
    return json.dumps({"device": dev, "site": SITES[(i + p) % 3], "temp": temp, "ts": T0 + i * 60 + p * 17},
                      separators=(",", ":"))


def produce(a, b, topic, lo, hi):
    for p in range(3):
        kcat_produce(a.kcat, b, topic, p, [reading(p, i) for i in range(lo, hi)])


def sentinel(a, b, topic):
    for p in range(3):
        kcat_produce(a.kcat, b, topic, p, [json.dumps({"device": "zz", "site": "zz", "temp": 0,
                                                       "ts": T0 + 10_000_000})])


SQL = """
CREATE STREAM readings (device VARCHAR, site VARCHAR, temp DOUBLE, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH (connector='kafka', brokers='{b}', topic='{src}', "group"='{group}', start='earliest',
      kafka.session.timeout.ms='6000', kafka.heartbeat.interval.ms='500');
CREATE SINK dev_out WITH (connector='kafka', brokers='{b}', topic='{out1}', key='device');
CREATE SINK site_out WITH (connector='kafka', brokers='{b}', topic='{out2}', key='site');
CREATE QUERY per_device AS INSERT INTO dev_out
  SELECT device, COUNT(*) AS n, SUM(temp) AS total, MIN(temp) AS lo, MAX(temp) AS hi, window_start
  FROM readings WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY device;
CREATE QUERY per_site AS INSERT INTO site_out
  SELECT site, COUNT(DISTINCT device) AS devices, MAX(device) AS top, COUNT(*) AS n, window_start
  FROM readings WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY site;
"""


class Eddy:
    def __init__(self, a, tmp, name, args):
        self.errlog = os.path.join(tmp, name + ".err")
        self.p, self.port = start_serve(a.eddy, self.errlog, args)

    def log(self):
        return open(self.errlog).read()

    def events(self):
        return metric(self.port, "eddy_stream_events_in_total", 'stream="readings"') or 0

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return self.p.returncode


def consume(a, b, topic, want_rows):
    """All rows of topic as (key, parsed JSON); waits until want_rows distinct
    rows have arrived (or 120 s)."""
    def read():
        r = subprocess.run([a.kcat, "-C", "-b", b, "-t", topic, "-e", "-o", "beginning", "-q",
                            "-f", "%k\t%s\n"], capture_output=True, text=True, timeout=60)
        rows = [tuple(l.split("\t", 1)) for l in r.stdout.splitlines() if l]
        return rows
    rows = wait_for(lambda: (lambda r: r if len(set(r)) >= want_rows else None)(read()), 120, 1)
    return rows or read()


def windows(rows, key):
    """{(window_start, key): row} from (kafka key, json) pairs; a key seen
    twice must carry identical values (at-least-once duplicates only)."""
    out = {}
    dups = 0
    for k, v in rows:
        o = json.loads(v)
        wk = (o["window_start"], o[key])
        check(k == o[key], "message key %r equals column %s %r" % (k, key, o[key]))
        if wk in out:
            dups += 1
            check(out[wk] == o, "duplicate of %r has different values: %r vs %r" % (wk, out[wk], o))
        out[wk] = o
    return out, dups


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eddy", required=True)
    ap.add_argument("--mock", required=True)
    ap.add_argument("--kcat", default=shutil.which("kcat") or "kcat")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="eddy-kafka-crash-")
    mock = Mock(a.mock, ["ref_in:3", "ref_dev:1", "ref_site:1", "in:3", "dev:1", "site:1"])
    b = mock.bootstrap
    procs = []
    try:
        # ---- reference: uninterrupted
        ref_sql = os.path.join(tmp, "ref.sql")
        with open(ref_sql, "w") as f:
            f.write(SQL.format(b=b, src="ref_in", group="gref", out1="ref_dev", out2="ref_site"))
        produce(a, b, "ref_in", 0, PER_PART)
        sentinel(a, b, "ref_in")
        ref = Eddy(a, tmp, "ref", ["-f", ref_sql])
        procs.append(ref)
        check(ref.port is not None, "reference eddy started")
        check(wait_for(lambda: ref.events() >= 3 * PER_PART + 3, 120), "reference consumed everything")

        def delivered(e, sink):
            return metric(e.port, "eddy_kafka_sink_delivered_total", 'sink="%s"' % sink)

        def settled(e, sink):
            d, p = delivered(e, sink), metric(e.port, "eddy_kafka_sink_produced_total", 'sink="%s"' % sink)
            return d if d and d == p else None
        n_dev = wait_for(lambda: settled(ref, "dev_out"), 60)
        n_site = wait_for(lambda: settled(ref, "site_out"), 60)
        time.sleep(1)  # the last windows fired with the sentinels; nothing more comes
        n_dev, n_site = settled(ref, "dev_out") or 0, settled(ref, "site_out") or 0
        check(ref.stop() == 0, "reference server exits cleanly")
        ref_dev, d1 = windows(consume(a, b, "ref_dev", n_dev), "device")
        ref_site, d2 = windows(consume(a, b, "ref_site", n_site), "site")
        # 11 devices over 54 s of data in 5 s windows; 3 sites in 10 s windows sliding by 5 s
        check(len(ref_dev) >= 100 and len(ref_site) >= 30 and d1 == 0 and d2 == 0,
              "reference output complete (%d, %d rows, %d+%d duplicates)" % (len(ref_dev), len(ref_site), d1, d2))

        # ---- crash run
        state = os.path.join(tmp, "state")
        sql = os.path.join(tmp, "crash.sql")
        with open(sql, "w") as f:
            f.write(SQL.format(b=b, src="in", group="gcrash", out1="dev", out2="site"))
        produce(a, b, "in", 0, 400)
        e1 = Eddy(a, tmp, "crash1", ["-f", sql, "--state-dir", state, "--checkpoint-interval", "0.3"])
        procs.append(e1)
        check(e1.port is not None, "first eddy started")
        check(wait_for(lambda: e1.events() >= 3 * 400, 90), "first eddy consumed the first part")
        n0 = metric(e1.port, "eddy_checkpoints_total", "") or 0
        check(wait_for(lambda: (metric(e1.port, "eddy_checkpoints_total", "") or 0) >= n0 + 2, 30),
              "checkpoints are being written")
        # the second part streams in; kill -9 while it is being consumed
        for p in range(3):
            kcat_produce(a.kcat, b, "in", p, [reading(p, i) for i in range(400, 700)])
            time.sleep(0.15)
        e1.p.send_signal(signal.SIGKILL)
        e1.p.wait()
        before = e1.log()
        check("checkpoint failed" not in before, "no checkpoint failure before the crash")

        produce(a, b, "in", 700, PER_PART)
        sentinel(a, b, "in")
        e2 = Eddy(a, tmp, "crash2", ["--state-dir", state, "--checkpoint-interval", "0.3"])
        procs.append(e2)
        check(e2.port is not None, "restarted eddy started")
        log2 = e2.log()
        check("restored catalog" in log2, "catalog restored after kill -9")
        check("restored state from" in log2, "state restored from the checkpoint after kill -9")
        dev_rows = consume(a, b, "dev", len(ref_dev))
        site_rows = consume(a, b, "site", len(ref_site))
        got_dev, dups_dev = windows(dev_rows, "device")
        got_site, dups_site = windows(site_rows, "site")
        missing = sorted(set(ref_dev) - set(got_dev))[:5]
        extra = sorted(set(got_dev) - set(ref_dev))[:5]
        check(got_dev == ref_dev, "per-device windows equal the uninterrupted run (missing %r, extra %r, "
              "first diff %r)" % (missing, extra,
                                  next(((k, got_dev[k], ref_dev[k]) for k in ref_dev
                                        if k in got_dev and got_dev[k] != ref_dev[k]), None)))
        check(got_site == ref_site, "per-site windows equal the uninterrupted run")
        print("crash test: %d device windows, %d site windows, %d+%d duplicate rows (at-least-once sink)"
              % (len(got_dev), len(got_site), dups_dev, dups_site))
        check(e2.stop() == 0, "clean exit after SIGTERM")
        check("final checkpoint written" in e2.log(), "graceful stop writes a final checkpoint")

        # ---- a damaged checkpoint is refused, not half-loaded
        ck = os.path.join(state, "checkpoint")
        data = bytearray(open(ck, "rb").read())
        data[len(data) // 2] ^= 0x40
        open(ck, "wb").write(bytes(data))
        r = subprocess.run([a.eddy, "serve", "--listen", "127.0.0.1:0", "--state-dir", state],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode != 0, "eddy serve refuses a corrupt checkpoint")
        check("checksum mismatch" in r.stderr and "refusing to start" in r.stderr,
              "the refusal says why: %r" % r.stderr[-400:])
    finally:
        for p in procs:
            p.stop()
        mock.stop()
        if failures:
            for p in procs:
                sys.stderr.write("---- %s\n%s" % (p.errlog, p.log()[-3000:]))
        shutil.rmtree(tmp, ignore_errors=True)
    return report("kafka crash test")


if __name__ == "__main__":
    sys.exit(main())

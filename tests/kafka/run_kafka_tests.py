#!/usr/bin/env python3
"""run_kafka_tests.py — eddy serve end to end against eddy-kafka-mock, with
kcat as the independent producer and consumer.

1. JSON readings are produced with kcat into a 3-partition topic, out of
   order across partitions; eddy serve runs a tumbling-window query with
   HAVING and writes to a Kafka sink keyed by device; the alerts topic, read
   with kcat, must equal the hand-computed rows.
2. Malformed messages are counted (/metrics eddy_stream_decode_errors_total)
   and written to the dead-letter file.
3. A broker outage (`down`/`up` on the mock's stdin) is survived: readings
   produced after `up` still reach the alerts topic.
Every wait is bounded by a deadline. Exit status 0 = pass.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import check, failures, metric, report, wait_for  # noqa: E402,F401

T0 = 1700000000000  # aligned to 10 s
class Mock:
    def __init__(self, path, topics):
        args = [path]
        for t in topics:
            args += ["--topic", t]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.bootstrap = self.p.stdout.readline().strip()
        if not self.bootstrap:
            raise SystemExit("eddy-kafka-mock printed no bootstrap address")

    def command(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().strip()

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def kcat_produce(kcat, bootstrap, topic, part, lines, key="k"):
    data = "".join("%s\t%s\n" % (key, l) for l in lines)
    r = subprocess.run([kcat, "-P", "-b", bootstrap, "-t", topic, "-p", str(part), "-K", "\t"],
                       input=data, text=True, capture_output=True, timeout=60)
    check(r.returncode == 0, "kcat produce to %s/%d: %s" % (topic, part, r.stderr.strip()))


def kcat_consume(kcat, bootstrap, topic):
    r = subprocess.run([kcat, "-C", "-b", bootstrap, "-t", topic, "-e", "-o", "beginning", "-q",
                        "-f", "%k|%s\n"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return []
    return sorted(l for l in r.stdout.splitlines() if l)


def reading(dev, temp, ts):
    return json.dumps({"device": dev, "temp": temp, "ts": ts}, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--eddy", required=True)
    ap.add_argument("--mock", required=True)
    ap.add_argument("--kcat", default=shutil.which("kcat") or "kcat")
    a = ap.parse_args()
    if not os.path.exists(a.eddy):
        print("eddy binary not built: %s" % a.eddy, file=sys.stderr)
        return 1

    tmp = tempfile.mkdtemp(prefix="eddy-kafka-e2e-")
    mock = Mock(a.mock, ["readings:3", "alerts:1"])
    eddy = None
    try:
        b = mock.bootstrap
        dead = os.path.join(tmp, "dead.jsonl")
        sql = os.path.join(tmp, "alerts.sql")
        with open(sql, "w") as f:
            f.write("""
CREATE STREAM readings (device VARCHAR, temp DOUBLE, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH (connector='kafka', brokers='%s', topic='readings', "group"='g1', start='earliest',
      dead_letter='%s');
CREATE SINK alerts WITH (connector='kafka', brokers='%s', topic='alerts', key='device');
CREATE QUERY a AS INSERT INTO alerts
  SELECT device, AVG(temp) AS avg_temp, window_start FROM readings
  WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY device HAVING AVG(temp) > 30;
""" % (b, dead, b))
        errlog = os.path.join(tmp, "eddy.err")
        eddy = subprocess.Popen([a.eddy, "serve", "-f", sql, "--listen", "127.0.0.1:0"],
                                stdout=subprocess.DEVNULL, stderr=open(errlog, "w"))

        def port():
            with open(errlog) as f:
                m = re.search(r"listening on http://[^:]+:(\d+)", f.read())
            return int(m.group(1)) if m else None
        p = wait_for(port, 30)
        check(p is not None, "eddy serve did not start listening")
        if p is None:
            print(open(errlog).read(), file=sys.stderr)
            return 1

        # Phase 1: window [T0, T0+10s); partitions produced out of time order.
        kcat_produce(a.kcat, b, "readings", 2, [reading("d3", 40, T0 + 9000)])
        kcat_produce(a.kcat, b, "readings", 1, [reading("d2", 20, T0 + 2000), "not json",
                                                reading("d2", 25, T0 + 3000)])
        kcat_produce(a.kcat, b, "readings", 0, [reading("d1", 31, T0 + 1000),
                                                '{"device":"d1","temp":"hot","ts":1}',
                                                reading("d1", 35, T0 + 5000)])
        got = wait_for(lambda: metric(p, "eddy_stream_decode_errors_total", 'stream="readings"') == 2, 60)
        check(got, "decode errors metric reaches 2")
        check(wait_for(lambda: os.path.exists(dead) and len(open(dead).readlines()) == 2, 10),
              "two dead letters")
        check(wait_for(lambda: metric(p, "eddy_stream_events_in_total", 'stream="readings"') == 5, 30),
              "five events accepted")

        # Connector state: SHOW STREAMS / the API and /metrics.
        def api(path):
            with urllib.request.urlopen("http://127.0.0.1:%d%s" % (p, path), timeout=5) as r:
                return json.loads(r.read().decode())
        src = [x for x in api("/api/v1/streams") if x["name"] == "readings"][0].get("connector_state", {})
        check(src.get("state") == "connected" and sorted(src.get("assigned", [])) == [0, 1, 2],
              "API shows the Kafka source connected with partitions 0-2: %r" % src)
        snk = [x for x in api("/api/v1/sinks") if x["name"] == "alerts"][0].get("connector_state", {})
        check("queued" in snk and "delivered" in snk, "API shows the Kafka sink's queue: %r" % snk)
        check(metric(p, "eddy_kafka_source_state", 'stream="readings",state="connected"') == 1,
              "metrics: source connected")
        check(metric(p, "eddy_kafka_source_assigned_partitions", 'stream="readings"') == 3,
              "metrics: three partitions assigned")
        check(metric(p, "eddy_kafka_sink_queued", 'sink="alerts"') is not None, "metrics: sink queue length")
        show = subprocess.run([a.eddy, "exec", "--url", "http://127.0.0.1:%d" % p, "SHOW STREAMS"],
                              capture_output=True, text=True, timeout=30)
        check("connected" in show.stdout, "SHOW STREAMS shows the source state: %r" % show.stdout)

        # Broker outage; readings produced after recovery still arrive.
        check(mock.command("down") == "ok", "mock down")
        check(wait_for(lambda: metric(p, "eddy_kafka_source_state", 'stream="readings",state="brokers_down"') == 1,
                       30), "metrics: source reports brokers_down during the outage")
        check(mock.command("up") == "ok", "mock up")
        check(wait_for(lambda: metric(p, "eddy_kafka_source_state", 'stream="readings",state="connected"') == 1,
                       60), "metrics: source connected again after the outage")
        kcat_produce(a.kcat, b, "readings", 2, [reading("d1", 50, T0 + 12000)])
        kcat_produce(a.kcat, b, "readings", 0, [reading("d2", 10, T0 + 11000)])
        # every partition moves far ahead: both windows close
        for part in range(3):
            kcat_produce(a.kcat, b, "readings", part, [reading("zz", 0, T0 + 100000)])

        want = sorted([
            'd1|{"device":"d1","avg_temp":33.0,"window_start":"2023-11-14T22:13:20.000Z"}',
            'd3|{"device":"d3","avg_temp":40.0,"window_start":"2023-11-14T22:13:20.000Z"}',
            'd1|{"device":"d1","avg_temp":50.0,"window_start":"2023-11-14T22:13:30.000Z"}',
        ])
        rows = wait_for(lambda: (lambda r: r if len(r) >= 3 else None)(kcat_consume(a.kcat, b, "alerts")), 90, 1)
        rows = rows or kcat_consume(a.kcat, b, "alerts")
        check(rows == want, "alerts topic\n  got:  %r\n  want: %r" % (rows, want))
    finally:
        if eddy:
            eddy.terminate()
            try:
                eddy.wait(20)
            except subprocess.TimeoutExpired:
                eddy.kill()
        mock.stop()
        if failures and os.path.exists(os.path.join(tmp, "eddy.err")):
            sys.stderr.write(open(os.path.join(tmp, "eddy.err")).read())
        shutil.rmtree(tmp, ignore_errors=True)
    return report("kafka e2e")


if __name__ == "__main__":
    sys.exit(main())

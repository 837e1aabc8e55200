#!/usr/bin/env python3
"""Poll eddy's /metrics until a stream has read TOTAL events (used by
bench/kafka_intake.sh and bench/tcp_intake.sh; one process, so polling
every 20 ms costs little).

usage: poll_events.py PORT TOTAL TIMEOUT_S EDDY_PID BROKER_PID|- "mode=M LABELS..."

Prints one "RESULT mode=M ..." line: events/s from the first consumed
event to the last, and the CPU seconds (user + system, all threads, from
/proc/PID/stat) that eddy (and its main thread: decoding, engine, sinks;
librdkafka's own threads fetch and decompress) and the mock broker used in that interval, per
event: a figure that other load on the machine disturbs less than the rate; and
eddy's peak RSS (VmHWM), which for Kafka includes librdkafka's prefetch queue.
Exit 1 if not all events arrived in time.
"""
import os
import sys
import time
import urllib.request

port, total, timeout, epid, mpid, label = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], \
    sys.argv[5], sys.argv[6]
tick = os.sysconf("SC_CLK_TCK")


def cpu(pid, thread=False):
    with open(f"/proc/{pid}/task/{pid}/stat" if thread else f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick  # utime + stime


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def events_in():
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("eddy_stream_events_in_total{"):
                return int(line.split()[-1])
    return 0


start = time.monotonic()
first = None
n = 0
while True:
    n = events_in()
    t = time.monotonic()
    if first is None and n > 0:
        first = (t, n, cpu(epid), cpu(mpid) if mpid != "-" else 0, cpu(epid, True))
    if n >= total or t - start > timeout:
        break
    time.sleep(0.02)
if first is None or n < total:
    print(f"poll_events: {label} read {n} of {total} events in {timeout:.0f} s", file=sys.stderr)
    sys.exit(1)
ecpu, mcpu, main = cpu(epid) - first[2], cpu(mpid) - first[3] if mpid != "-" else 0, cpu(epid, True) - first[4]
d = max(t - first[0], 0.02)
moved = n - first[1]
print(f"RESULT {label} events={n} seconds={d:.2f} eps={moved / d:.0f} join_s={first[0] - start:.2f} "
      f"eddy_cpu_s={ecpu:.2f} eddy_main_thread_cpu_s={main:.2f} broker_cpu_s={mcpu:.2f} "
      f"eddy_cpu_ns_per_event={ecpu * 1e9 / max(moved, 1):.0f} main_ns_per_event={main * 1e9 / max(moved, 1):.0f} "
      f"eddy_peak_rss_mb={peak_rss_mb(epid):.0f}")

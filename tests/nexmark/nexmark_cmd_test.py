#!/usr/bin/env python3
"""`eddy nexmark`: line counts per table (1:3:46 mix), every line is a JSON
object with the table's fields, same bytes for the same seed and different
ones for another seed, --rate spaces event time, bad arguments are refused,
and the lines decode (eddy's decoder) to the generator's values
(test_nexmark_cmd).

usage: nexmark_cmd_test.py EDDY TEST_NEXMARK_CMD WORKDIR
"""
import json
import os
import subprocess
import sys

eddy, checker, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
failures = 0


def check(cond, msg):
    global failures
    if not cond:
        print("FAIL:", msg)
        failures += 1


def run(*args):
    p = subprocess.run([eddy, "nexmark", *args], capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr.decode()


FIELDS = {
    "bid": ["auction", "bidder", "price", "channel", "url", "date_time", "extra"],
    "auction": ["id", "item_name", "description", "initial_bid", "reserve", "date_time", "expires", "seller",
                "category", "extra"],
    "person": ["id", "name", "email_address", "credit_card", "city", "state", "date_time", "extra"],
}
EVENTS = 1000
# event n is a person if n % 50 == 0, an auction if n % 50 in 1..3, else a bid
WANT = {t: sum(1 for n in range(EVENTS) if (n % 50 == 0) == (t == "person") and
               (1 <= n % 50 <= 3) == (t == "auction")) for t in FIELDS}

for table, fields in FIELDS.items():
    rc, out, err = run("--table", table, "--events", str(EVENTS), "--seed", "7")
    check(rc == 0, f"{table}: exit {rc} {err}")
    lines = out.decode().splitlines()
    check(len(lines) == WANT[table], f"{table}: {len(lines)} lines, want {WANT[table]}")
    for i, line in enumerate(lines):
        try:
            obj = json.loads(line)
        except ValueError as e:
            check(False, f"{table} line {i + 1} is not JSON: {e}")
            break
        check(isinstance(obj, dict) and list(obj) == fields, f"{table} line {i + 1}: fields {list(obj)}")
        if list(obj) != fields:
            break
    rc2, out2, _ = run("--table", table, "--events", str(EVENTS), "--seed", "7")
    check(rc2 == 0 and out2 == out, f"{table}: same seed gave different bytes")
    rc3, out3, _ = run("--table", table, "--events", str(EVENTS), "--seed", "8")
    check(rc3 == 0 and out3 != out and len(out3.splitlines()) == WANT[table], f"{table}: seed 8 same as seed 7")
    path = os.path.join(work, f"{table}.jsonl")
    with open(path, "wb") as f:
        f.write(out)
    p = subprocess.run([checker, table, str(EVENTS), "7", "0", path], capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"{table}: decoded values differ from the generator:\n{p.stdout}{p.stderr}")

# defaults: bid table, seed 42; --rate 1000 spaces event time by 1 ms per event
rc, out, _ = run("--events", "100")
rc2, out2, _ = run("--table", "bid", "--events", "100", "--seed", "42")
check(rc == 0 and out == out2, "defaults are not table bid, seed 42")
rc, out, _ = run("--events", "200", "--rate", "1000")
rows = [json.loads(x) for x in out.decode().splitlines()]
check(rows[0]["date_time"].startswith("2026-01-01T00:00:00.004"), f"first bid time {rows[0]['date_time']}")
check(rows[-1]["date_time"].startswith("2026-01-01T00:00:00.199"), f"last bid time {rows[-1]['date_time']}")
path = os.path.join(work, "bid-rate.jsonl")
with open(path, "wb") as f:
    f.write(out)
p = subprocess.run([checker, "bid", "200", "42", "1000", path], capture_output=True, text=True, timeout=60)
check(p.returncode == 0, f"--rate 1000: values differ:\n{p.stdout}{p.stderr}")

# the checker itself notices a changed value
with open(os.path.join(work, "bid.jsonl")) as f:
    lines = f.read().splitlines()
obj = json.loads(lines[5])
obj["price"] += 1
lines[5] = json.dumps(obj)
bad = os.path.join(work, "bid-bad.jsonl")
with open(bad, "w") as f:
    f.write("\n".join(lines) + "\n")
p = subprocess.run([checker, "bid", str(EVENTS), "7", "0", bad], capture_output=True, text=True, timeout=60)
check(p.returncode != 0, "checker accepted a changed price")

for args in (["--table", "bids2", "--events", "1"], [], ["--events", "x"], ["--events", "5", "--bogus"]):
    rc, out, err = run(*args)
    check(rc == 2 and out == b"" and "eddy: nexmark" in err, f"{args}: exit {rc}, stderr {err!r}")
rc, out, _ = run("--help")
check(rc == 0 and b"usage: eddy nexmark" in out, "--help")

print("nexmark_cmd:", "FAILED" if failures else "ok")
sys.exit(1 if failures else 0)

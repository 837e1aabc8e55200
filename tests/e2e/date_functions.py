#!/usr/bin/env python3
"""YEAR, MONTH, DAY, DAYOFMONTH, HOUR, MINUTE, SECOND, DAYOFWEEK, DAYOFYEAR
and DATE_FORMAT (and EXTRACT(part FROM ts)) checked against Python's datetime on 3 000 random instants
from year 1600 to 2400 (leap days, centuries, before 1970, negative epoch
milliseconds), plus the first and last millisecond of Jan 1, the last day
of February, Mar 1 and Dec 31 of years from 1600 to 2400 (1969 and 1970,
leap and non-leap centuries):
`eddy test` runs one query over them, every row is compared. Also: NULL in,
NULL out; an unknown pattern letter (EEE), a month name (MMM), an
unterminated quote, or a result over 256 bytes gives NULL.

usage: date_functions.py EDDY WORKDIR
"""
import datetime
import json
import os
import random
import subprocess
import sys

eddy, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

rng = random.Random(7)
lo = int((datetime.datetime(1600, 1, 1, tzinfo=UTC) - EPOCH).total_seconds() * 1000)
hi = int((datetime.datetime(2400, 12, 31, tzinfo=UTC) - EPOCH).total_seconds() * 1000)
instants = [rng.randrange(lo, hi) for _ in range(3000)]
for y in (1600, 1700, 1900, 1969, 1970, 2000, 2024, 2100, 2400):
    for m, d in ((1, 1), (2, 28), (3, 1), (12, 31)):
        if m == 2 and d == 28:
            base = datetime.datetime(y, 3, 1, tzinfo=UTC) - datetime.timedelta(days=1)  # Feb 28 or 29
        else:
            base = datetime.datetime(y, m, d, tzinfo=UTC)
        ms = int((base - EPOCH).total_seconds() * 1000)
        instants += [ms, ms - 1, ms + 86399999]


def text(ms):
    t = EPOCH + datetime.timedelta(milliseconds=ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


inp = os.path.join(work, "t.jsonl")
with open(inp, "w") as f:
    for i, ms in enumerate(instants):
        f.write(json.dumps({"id": i, "ts": text(ms)}) + "\n")
    f.write(json.dumps({"id": len(instants), "ts": None}) + "\n")
sql = os.path.join(work, "q.sql")
with open(sql, "w") as f:
    f.write("""CREATE STREAM t (id BIGINT, ts TIMESTAMP) WITH (connector = 'tcp', port = 9004);
CREATE SINK out WITH (connector = 'websocket');
CREATE QUERY q AS INSERT INTO out
  SELECT id, YEAR(ts) AS y, MONTH(ts) AS mo, DAY(ts) AS d, DAYOFMONTH(ts) AS dm, HOUR(ts) AS h,
         MINUTE(ts) AS mi, SECOND(ts) AS s, DAYOFWEEK(ts) AS dow, DAYOFYEAR(ts) AS doy,
         DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss.SSS') AS full,
         DATE_FORMAT(ts, 'yy/M/d ''at'' H''h'' m''''s') AS short,
         DATE_FORMAT(ts, 'EEE') AS bad, DATE_FORMAT(ts, 'MMM') AS mmm, DATE_FORMAT(ts, '''open') AS unterminated,
         DATE_FORMAT(ts, '''%s''yyyy ZZZ') AS long_then_bad, DATE_FORMAT(ts, '''%s''') AS exactly256,
         EXTRACT(MONTH FROM ts) AS emo, extract(dayofyear from ts) AS edoy""" % ("x" * 256, "x" * 256) + """
  FROM t;
""")
p = subprocess.run([eddy, "test", sql, "--input", "t=" + inp], capture_output=True, timeout=120)
failures = 0


def check(cond, msg):
    global failures
    if not cond:
        failures += 1
        if failures <= 10:
            print("FAIL:", msg)


check(p.returncode == 0, f"eddy test exit {p.returncode}: {p.stderr.decode(errors='replace')}")
rows = [json.loads(line)["row"] for line in p.stdout.decode().splitlines()]
check(len(rows) == len(instants) + 1, f"{len(rows)} rows for {len(instants) + 1} events")
for r in rows[:len(instants)]:
    ms = instants[r["id"]]
    t = EPOCH + datetime.timedelta(milliseconds=ms)
    want = {"id": r["id"], "y": t.year, "mo": t.month, "d": t.day, "dm": t.day, "h": t.hour, "mi": t.minute,
            "s": t.second, "dow": t.isoweekday() % 7 + 1, "doy": t.timetuple().tm_yday,
            "full": "%04d-%02d-%02d %02d:%02d:%02d.%03d" % (t.year, t.month, t.day, t.hour, t.minute, t.second,
                                                          ms % 1000),
            # 'at' and 'h' are quoted text, '' a quote, the s after it the seconds
            "short": "%02d/%d/%d at %dh %d'%d" % (t.year % 100, t.month, t.day, t.hour, t.minute, t.second),
            "bad": None, "mmm": None, "unterminated": None, "long_then_bad": None, "exactly256": "x" * 256,
            "emo": t.month, "edoy": t.timetuple().tm_yday}
    check(r == want, f"{text(ms)} ({ms} ms):\n  got      {r}\n  expected {want}")
if len(rows) == len(instants) + 1:
    check(all(v is None for k, v in rows[-1].items() if k != "id"), f"NULL in: {rows[-1]}")
print("date_functions:", "FAILED" if failures else f"ok ({len(instants)} instants)")
sys.exit(1 if failures else 0)

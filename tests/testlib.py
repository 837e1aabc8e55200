"""testlib.py — helpers shared by the Python end-to-end tests (stdlib only):
checks that collect failures, bounded waits, /metrics lookups, and starting
`eddy serve` on a free port."""
import re
import subprocess
import sys
import time
import urllib.request

failures = []


def check(cond, what):
    """Record a failed check (the test goes on, and fails at the end)."""
    if not cond:
        failures.append(what)
        print("CHECK failed: " + what, file=sys.stderr)


def wait_for(pred, timeout, step=0.1):
    """pred() until it is truthy or timeout seconds passed; its last value."""
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def metric(port, name, label=""):
    """The value of the first /metrics sample named name* whose line
    contains label; None if absent or the server does not answer."""
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(name) and label in line:
            return float(line.rsplit(" ", 1)[1])
    return None


def start_serve(eddy, errlog, args):
    """eddy serve --listen 127.0.0.1:0 ARGS with stderr appended to errlog;
    returns (process, port) — port None if it did not start listening."""
    p = subprocess.Popen([eddy, "serve", "--listen", "127.0.0.1:0"] + args, stdout=subprocess.DEVNULL,
                         stderr=open(errlog, "a"))

    def port():
        with open(errlog) as f:
            m = re.findall(r"listening on http://[^:]+:(\d+)", f.read())
        return int(m[-1]) if m else None
    return p, wait_for(port, 30)


def report(name):
    """Exit status for main(): 1 and a count if any check failed."""
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("%s: all checks passed" % name)
    return 0

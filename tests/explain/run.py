#!/usr/bin/env python3
"""Golden test runner for EXPLAIN output (tests/explain/*.sql).

Each NAME.sql holds CREATE statements and one or more EXPLAINs; NAME.plan
holds the exact expected plan text (plans of several EXPLAINs separated by
one blank line), as printed by explain_dump (tests/explain/explain_dump.c,
which runs the file through the engine with a host that opens nothing).
A mismatch prints a unified diff. UPDATE=1 rewrites NAME.plan from the
current output instead of comparing: review every such change by hand.
usage: run.py EXPLAIN_DUMP CASE.sql
"""
import difflib
import os
import subprocess
import sys


def main():
    dump, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    r = subprocess.run([dump, case], capture_output=True, timeout=60)
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode != 0:
        print(f"FAIL: explain_dump exited with {r.returncode}\n{err}")
        return 1
    golden = case[:-4] + ".plan"
    if os.environ.get("UPDATE") == "1":
        with open(golden, "wb") as f:
            f.write(r.stdout)
        print("updated", os.path.basename(golden))
        return 0
    if not os.path.exists(golden):
        print(f"FAIL: {os.path.basename(golden)} is missing (UPDATE=1 writes it; review it)")
        return 1
    with open(golden, "rb") as f:
        want = f.read()
    if r.stdout != want:
        print("FAIL: plan differs from", os.path.basename(golden))
        exp = want.decode("utf-8", "replace").splitlines()
        got = r.stdout.decode("utf-8", "replace").splitlines()
        for line in difflib.unified_diff(exp, got, "expected", "actual", lineterm=""):
            print(line)
        if exp == got:
            print("(only line endings or the final newline differ)")
        return 1
    print("ok", os.path.basename(case))
    return 0


if __name__ == "__main__":
    sys.exit(main())

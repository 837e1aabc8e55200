#!/usr/bin/env python3
"""Golden test runner for `eddy test` (tests/sql/*.sql).

Convention, in the .sql file's leading comment lines:
  -- input: STREAM=FILE.jsonl     (repeatable, in order)  -> --input
  -- expect: SINK=FILE.jsonl      (repeatable)            -> --expect
  -- exit: N                      expected exit status (default 0)
  -- stderr: TEXT                 stderr must contain TEXT (repeatable)
NAME.out holds the exact expected stdout (missing file = empty stdout).
Paths are relative to the .sql file's directory. Each case runs twice and
the two outputs must be byte-identical (determinism).
usage: run.py EDDY CASE.sql
"""
import os
import subprocess
import sys


def main():
    eddy, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    d = os.path.dirname(case)
    args, want_exit, want_err = [eddy, "test", case], 0, []
    with open(case, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("--"):
                continue
            key, _, val = line[2:].strip().partition(":")
            val = val.strip()
            if key == "input":
                args += ["--input", val]
            elif key == "expect":
                args += ["--expect", val]
            elif key == "exit":
                want_exit = int(val)
            elif key == "stderr":
                want_err.append(val)
    outfile = case[:-4] + ".out"
    want_out = b""
    if os.path.exists(outfile):
        with open(outfile, "rb") as f:
            want_out = f.read()
    runs = [subprocess.run(args, cwd=d, capture_output=True, timeout=60) for _ in range(2)]
    r = runs[0]
    err = r.stderr.decode("utf-8", "replace")
    ok = True
    if r.returncode != want_exit:
        print(f"FAIL: exit status {r.returncode}, expected {want_exit}")
        ok = False
    for w in want_err:
        if w not in err:
            print(f"FAIL: stderr does not contain {w!r}")
            ok = False
    if r.stdout != want_out:
        print("FAIL: stdout differs from", os.path.basename(outfile))
        got = r.stdout.decode("utf-8", "replace").splitlines()
        exp = want_out.decode("utf-8", "replace").splitlines()
        import difflib
        for l in difflib.unified_diff(exp, got, "expected", "actual", lineterm=""):
            print(l)
        ok = False
    if runs[1].stdout != r.stdout or runs[1].returncode != r.returncode:
        print("FAIL: a second run produced different output")
        ok = False
    if not ok:
        print("command:", " ".join(args))
        print("stderr:\n" + err)
        return 1
    print("ok", os.path.basename(case))
    return 0


if __name__ == "__main__":
    sys.exit(main())

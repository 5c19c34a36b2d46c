#!/usr/bin/env python3
"""Derives the expected results of the Go conformance programs from the real Go toolchain.

For each tests/go/programs/NAME.go: `go build` it, run the binary 20 times at each of
GOMAXPROCS=1, 2 and 4, and record every distinct outcome (stdout, exit status, first stderr line,
and the wait reasons in the goroutine headers) in OUT/NAME.json. A program whose outcome varies is
marked by `// outcomes: vary` in its first lines (puzzles whose real result is one of a set); then the
whole set is recorded and GMP Lab's result must be one of them. An unmarked program that varies on
this run is treated the same way, with a warning, so scheduling noise cannot fail the test command.

Usage: derive.py GO_BINARY OUT_DIR [NAME...]
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

RUNS = 20
PROCS = (1, 2, 4)
HEADER = re.compile(r"^goroutine \d+ \[([^\]]*?)(?:, \d+ minutes)?(?:, locked to thread)?\]:$")


def outcome(binary, procs):
    env = dict(os.environ, GOMAXPROCS=str(procs), GOTRACEBACK="single")
    try:
        p = subprocess.run([binary], env=env, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    err = p.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    waits = sorted(m.group(1) for m in (HEADER.match(l) for l in lines) if m)
    return {
        "stdout": p.stdout.decode("utf-8", "replace"),
        "code": p.returncode,
        "stderr_first": lines[0] if lines else "",
        "waits": waits,
    }


def main():
    go, out_dir = sys.argv[1], os.path.abspath(sys.argv[2])
    if os.sep in go:
        go = os.path.abspath(go)
    only = set(sys.argv[3:])
    here = os.path.dirname(os.path.abspath(__file__))
    progs = os.path.join(here, "programs")
    os.makedirs(out_dir, exist_ok=True)
    env = dict(os.environ, GOTOOLCHAIN="local", GOFLAGS="", CGO_ENABLED="0")
    bad = []
    names = sorted(f[:-3] for f in os.listdir(progs) if f.endswith(".go"))
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            if only and name not in only:
                continue
            src = os.path.join(progs, name + ".go")
            text = open(src, encoding="utf-8").read()
            lab = open(os.path.join(here, "lab", "lab.go"), encoding="utf-8").read()
            digest = hashlib.sha256((text + lab).encode()).hexdigest()
            target = os.path.join(out_dir, name + ".json")
            if os.path.exists(target):
                try:
                    if json.load(open(target))["source_sha256"] == digest:
                        continue
                except (ValueError, KeyError):
                    pass
            binary = os.path.join(tmp, name)
            # Built inside the tests/go module, so programs can import the helper package
            # gmplab/lab (tests/go/lab).
            b = subprocess.run([go, "build", "-o", binary, "./programs/" + name + ".go"], env=env, capture_output=True, cwd=here)
            if b.returncode != 0:
                bad.append(f"{name}: real Go does not build it:\n{b.stderr.decode()}")
                continue
            seen = []
            for procs in PROCS:
                for _ in range(RUNS):
                    o = outcome(binary, procs)
                    if o not in seen:
                        seen.append(o)
            varies = "// outcomes: vary" in text.split("package main")[0]
            if any(o.get("timeout") for o in seen):
                bad.append(f"{name}: timed out under real Go")
                continue
            if len(seen) > 1 and not varies:
                # Real Go was not consistent this time (scheduling noise on a busy machine): the
                # program is checked against the set of outcomes, like a marked puzzle.
                print(f"warning: {name}: real Go gave {len(seen)} different outcomes in {RUNS * len(PROCS)} runs; "
                      "checking against all of them (mark it `// outcomes: vary` if that is its nature)",
                      file=sys.stderr)
                varies = True
            json.dump({"source_sha256": digest, "varies": varies, "outcomes": seen}, open(target, "w"), indent=1)
            print(f"derived {name}: {len(seen)} outcome(s)")
    bad += derive_errors(go, here, os.path.join(out_dir, "errors"), env)
    if bad:
        print("\n".join(bad), file=sys.stderr)
        sys.exit(1)


def derive_errors(go, here, out_dir, env):
    """For tests/go/errors/NAME.go: real Go must refuse it; record its first error as
    "NAME.go:LINE:COL: message"."""
    os.makedirs(out_dir, exist_ok=True)
    bad = []
    errs = os.path.join(here, "errors")
    for f in sorted(os.listdir(errs)):
        if not f.endswith(".go"):
            continue
        b = subprocess.run([go, "build", "-o", os.devnull, "./errors/" + f], env=env, capture_output=True, cwd=here)
        lines = [l for l in b.stderr.decode().splitlines() if not l.startswith("#")]
        if b.returncode == 0 or not lines:
            bad.append(f"errors/{f}: real Go builds it; it should not")
            continue
        first = lines[0].replace("errors/", "", 1)
        text = open(os.path.join(errs, f), encoding="utf-8").read()
        json.dump({"first_error": first, "position_only": "// check: position" in text.split("package main")[0]},
                  open(os.path.join(out_dir, f[:-3] + ".json"), "w"))
    return bad


if __name__ == "__main__":
    main()

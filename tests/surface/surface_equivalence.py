#!/usr/bin/env python3
"""Surface equivalence: one corpus gives the same JSON through every surface of edict.

For each line of the corpus: the batch with 1 thread (the lean Session::decide path), the batch with 2
threads, the traced batch (Session::evaluate with a trace; the trace removed) and one-shot `edict eval
--facts` (Policy::evaluate, for every STRIDE-th line) must print byte-identical JSON objects, the batch's
"id" aside. usage: surface_equivalence.py EDICT POLICY CORPUS AS_OF [STRIDE]
"""
import json
import subprocess
import sys
import tempfile


def run(args, stdin=None):
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def batch(edict, policy, corpus, as_of, *extra):
    lines = run([edict, "eval", policy, "--cases", corpus, "--as-of", as_of, *extra]).splitlines()
    return [json.loads(line) for line in lines]


def without(result, *keys):
    return json.dumps({k: v for k, v in result.items() if k not in keys}, sort_keys=False)


def main():
    edict, policy, corpus, as_of = sys.argv[1:5]
    stride = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    cases = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
    one = batch(edict, policy, corpus, as_of)
    surfaces = {
        "batch, 2 threads": batch(edict, policy, corpus, as_of, "--threads", "2"),
        "traced batch": batch(edict, policy, corpus, as_of, "--trace"),
    }
    failures = 0
    if len(one) != len(cases):
        sys.exit(f"FAIL: {len(cases)} cases, {len(one)} batch results")
    for name, results in surfaces.items():
        for case, expected, got in zip(cases, one, results):
            if without(expected, "trace") != without(got, "trace"):
                failures += 1
                print(f"FAIL {name}, case {case.get('id')}:\n  1 thread: {without(expected)}\n  {name}: {without(got)}")
    checked = 0
    for index in range(0, len(cases), stride):
        case = cases[index]
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as facts:
            json.dump(case["facts"], facts)
            facts.flush()
            shot = json.loads(run([edict, "eval", policy, "--facts", facts.name, "--as-of", case.get("as_of", as_of),
                                   "--format", "json"]))
        checked += 1
        if without(one[index], "id") != without(shot, "id"):
            failures += 1
            print(f"FAIL one-shot eval, case {case.get('id')}:\n  batch:    {without(one[index], 'id')}\n"
                  f"  one-shot: {without(shot, 'id')}")
    print(f"{len(cases)} cases through 3 batch surfaces, {checked} through one-shot eval: {failures} differences")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

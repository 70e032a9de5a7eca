#!/usr/bin/env python3
"""Differential test of the real evaluator against the reference model (README.md in this folder).

    run.py --pairs 3000 --seed 1                  random (policy, facts) pairs; exit 1 on a new mismatch
    run.py --pairs 1000000 --seed 7 --hours 8     the long mode
    run.py --replay                               replay tests/reference/regressions/
"""

import argparse
import hashlib
import json
import pathlib
import random
import re
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree when ctest runs this
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import generate  # noqa: E402
import harness  # noqa: E402
import lowering  # noqa: E402
import minimize  # noqa: E402
import model  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
REGRESSIONS = HERE / "regressions"


class Checked:
    """One compared case: the batch line, both answers, the differing fields and the known quirks, if any,
    that explain them."""

    def __init__(self, case, line, expected, actual, fields, quirks):
        self.case, self.line, self.expected, self.actual = case, line, expected, actual
        self.fields, self.quirks = fields, quirks

    @property
    def kind(self):
        """'skipped' (outside the model), 'ok', 'known' or 'new'."""
        if self.expected is None:
            return "skipped"
        if not self.fields:
            return "ok"
        return "known" if self.quirks else "new"


def compile_policy(edict, policy, workdir):
    """(IR, None), or (None, diagnostics) when the policy does not compile."""
    harness.write_policy(policy, workdir)
    return edict.dump_ir(workdir)


def check_policy(edict, policy, cases, workdir, trace=False):
    """(list of Checked, IR, None), or (None, None, diagnostics) when the policy does not compile."""
    ir, diagnostics = compile_policy(edict, policy, workdir)
    if ir is None:
        return None, None, diagnostics
    lines = [harness.case_line(i, c) for i, c in enumerate(cases)]
    out = []
    for case, line, actual in zip(cases, lines, edict.eval_batch(workdir, lines, trace)):
        expected = harness.model_answer_of_line(ir, line)
        actual = harness.normalise(actual)
        fields = harness.differences(expected, actual) if expected is not None else []
        quirks = harness.known_quirks(ir, line, actual) if fields else None
        out.append(Checked(case, line, expected, actual, fields, quirks))
    return out, ir, None


def mismatch_predicate(edict, workdir, original, trace):
    """still_fails(policy, case) for the minimizer: compiles, the same fields still differ, and the mismatch
    is still of the same kind (the same known quirks, or none)."""
    def still_fails(policy, case):
        checked, _, _ = check_policy(edict, policy, [case], workdir, trace)
        if not checked or checked[0].expected is None:
            return False
        c = checked[0]
        return c.fields == original.fields and c.quirks == original.quirks
    return still_fails


def lowering_predicate(edict, workdir, section):
    """still_fails(policy, case) for a lowering mismatch: compiles, and a `section` entry still differs."""
    def still_fails(policy, case):
        ir, _ = compile_policy(edict, policy, workdir)
        return ir is not None and any(d[0] == section for d in lowering.differences(policy, ir))
    return still_fails


def report_lowering(edict, stats, args, policy, case, found):
    """The compiled program differs from what the policy text says (lowering.py): minimized and stored."""
    section = found[0][0]
    key = ("new", f"lowering:{section}")
    stats.mismatches[key] = stats.mismatches.get(key, 0) + 1
    print(f"LOWERING MISMATCH [{section} {found[0][1]}]\n  expected: {json.dumps(found[0][2])}\n"
          f"  dumped:   {json.dumps(found[0][3])}", flush=True)
    if stats.mismatches[key] > args.minimize_per_kind:
        return
    with tempfile.TemporaryDirectory() as workdir:
        small, _ = minimize.minimize(policy, case, lowering_predicate(edict, workdir, section))
        ir, _ = compile_policy(edict, small, workdir)
    directory = REGRESSIONS / f"lowering-{section}-{digest_of(small.texts(), '')}"
    if not directory.exists():
        directory.mkdir(parents=True)
        for path, text in small.texts().items():
            (directory / path).write_text(text)
        diff = lowering.differences(small, ir)
        (directory / "NOTE.md").write_text(
            "Found by tests/reference/run.py: the compiled program differs from the policy text.\n\n" +
            "".join(f"- {s} `{n}`:\n  - expected {json.dumps(e)}\n  - dumped {json.dumps(d)}\n"
                    for s, n, e, d in diff))
    print(f"  minimized (lowering [{section}]): {directory}", flush=True)


def digest_of(texts, line):
    return hashlib.sha256(json.dumps([texts, line], sort_keys=True).encode()).hexdigest()[:10]


def save_regression(policy, c):
    """Writes tests/reference/regressions/NAME/ (policy files, cases.jsonl, expected.jsonl, NOTE.md, and OPEN
    while edict answers differently)."""
    texts = policy.texts()
    prefix = "-".join(c.quirks) if c.quirks else c.fields[0]
    directory = REGRESSIONS / f"{prefix}-{digest_of(texts, c.line)}"
    if directory.exists():
        return directory
    directory.mkdir(parents=True)
    for path, text in texts.items():
        (directory / path).write_text(text)
    (directory / "cases.jsonl").write_text(c.line + "\n")
    (directory / "expected.jsonl").write_text(json.dumps(c.expected, sort_keys=True) + "\n")
    known = "".join(f"\nKnown mismatch `{q}`: {model.QUIRKS[q]}.\n" for q in c.quirks or ())
    (directory / "NOTE.md").write_text(
        f"Found by tests/reference/run.py: {', '.join(c.fields)} differ.\n{known}\n"
        f"edict answered:\n\n    {json.dumps(c.actual, sort_keys=True)}\n\n"
        "`expected.jsonl` is the reference model's answer (LANGUAGE.md). The file `OPEN` marks a reported "
        "mismatch that edict still has; delete it once edict answers as expected.\n")
    (directory / "OPEN").write_text("")
    return directory


class Stats:
    def __init__(self):
        self.policies = self.pairs = self.skipped = self.compile_errors = 0
        self.mismatches = {}  # (kind, signature) -> count
        self.start = time.monotonic()

    def count(self, kind):
        return sum(n for (k, _), n in self.mismatches.items() if k == kind)

    def line(self):
        elapsed = time.monotonic() - self.start
        rate = self.pairs / elapsed if elapsed else 0
        return (f"{self.policies} policies, {self.pairs} pairs ({self.skipped} outside the model), "
                f"{self.compile_errors} policies not compiled, {self.count('new')} new mismatches, "
                f"{self.count('known')} known mismatches, {elapsed:.0f} s ({rate:.0f} pairs/s)")


def stored(prefix):
    """Whether regressions/ already holds a case named PREFIX-HASH."""
    return REGRESSIONS.exists() and any(re.fullmatch(re.escape(prefix) + "-[0-9a-f]{10}", d.name)
                                        for d in REGRESSIONS.iterdir())


def report_mismatch(edict, stats, args, policy, c, trace):
    signature = "+".join(c.quirks) if c.quirks else ",".join(c.fields)
    key = (c.kind, signature)
    stats.mismatches[key] = stats.mismatches.get(key, 0) + 1
    if c.kind == "new" or args.verbose:
        print(f"MISMATCH ({c.kind}) [{signature}]\n  line:  {c.line}\n  model: {json.dumps(c.expected)}\n"
              f"  edict: {json.dumps(c.actual)}", flush=True)
    # one stored case per known mismatch: combinations of known ones are not stored
    if stats.mismatches[key] > args.minimize_per_kind or (c.quirks and (len(c.quirks) > 1 or stored(c.quirks[0]))):
        return
    with tempfile.TemporaryDirectory() as workdir:
        still_fails = mismatch_predicate(edict, workdir, c, trace)
        small_policy, small_case = minimize.minimize(policy, c.case, still_fails)
        checked, _, _ = check_policy(edict, small_policy, [small_case], workdir, trace)
    print(f"  minimized ({c.kind} [{signature}]): {save_regression(small_policy, checked[0])}", flush=True)


def run_random(args):
    edict = harness.Edict(harness.find_edict(args.edict))
    stats = Stats()
    deadline = time.monotonic() + args.hours * 3600 if args.hours else None
    with tempfile.TemporaryDirectory() as workdir:
        index = 0
        while stats.pairs < args.pairs and (deadline is None or time.monotonic() < deadline):
            rng = random.Random(f"{args.seed}:{index}")
            index += 1
            policy = generate.gen_policy(rng)
            cases = [generate.gen_case(rng, policy) for _ in range(min(args.cases, args.pairs - stats.pairs))]
            trace = index % 3 == 0  # every third policy through edict's traced path, the others the lean one
            checked, ir, diagnostics = check_policy(edict, policy, cases, workdir, trace)
            stats.policies += 1
            if checked is None:
                stats.compile_errors += 1
                print(f"policy {args.seed}:{index - 1} does not compile:\n{diagnostics}", file=sys.stderr)
                continue
            found = lowering.differences(policy, ir)
            if found:
                report_lowering(edict, stats, args, policy, cases[0], found)
            for c in checked:
                stats.pairs += 1
                stats.skipped += c.kind == "skipped"
                if c.kind in ("known", "new"):
                    report_mismatch(edict, stats, args, policy, c, trace)
            if args.progress and stats.policies % args.progress == 0:
                print(stats.line(), flush=True)
    print(stats.line())
    for (kind, signature), count in sorted(stats.mismatches.items()):
        print(f"  {count} x {kind}: {signature}")
    failed = stats.count("new") or (args.strict and stats.count("known"))
    return 1 if failed or stats.compile_errors > args.max_compile_errors else 0


# ---- replaying stored regressions ----

def replay_one(edict, directory):
    """'ok', 'open' (a reported mismatch, marked OPEN), 'fixed ...' or a failure message."""
    lines = [line for line in (directory / "cases.jsonl").read_text().splitlines() if line]
    expected = [json.loads(line) for line in (directory / "expected.jsonl").read_text().splitlines() if line]
    ir, diagnostics = edict.dump_ir(directory)
    if ir is None:
        return f"does not compile:\n{diagnostics}"
    is_open = (directory / "OPEN").exists()
    mismatch = False
    for line, want, got in zip(lines, expected, edict.eval_batch(directory, lines)):
        answer = harness.model_answer_of_line(ir, line)
        if answer != want:
            return f"the model now answers {json.dumps(answer)}, expected {json.dumps(want)}"
        fields = harness.differences(want, harness.normalise(got))
        if fields and not is_open:
            return f"edict differs in {fields}: {json.dumps(harness.normalise(got))}"
        mismatch = mismatch or bool(fields)
    if is_open:
        return "open" if mismatch else "fixed (delete the OPEN marker)"
    return "ok"


def run_replay(args):
    edict = harness.Edict(harness.find_edict(args.edict))
    failed = 0
    directories = sorted(d for d in REGRESSIONS.iterdir() if d.is_dir()) if REGRESSIONS.exists() else []
    for directory in directories:
        status = replay_one(edict, directory)
        print(f"{directory.name}: {status}")
        failed += not status.startswith(("ok", "open", "fixed"))
    print(f"{len(directories)} regressions, {failed} failed")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edict", help="the edict binary (default: $EDICT, build-ref/edict, build/edict)")
    parser.add_argument("--seed", default="1", help="seed of the generator (any text)")
    parser.add_argument("--pairs", type=int, default=3000, help="(policy, facts) pairs to run")
    parser.add_argument("--cases", type=int, default=100, help="fact sets per generated policy")
    parser.add_argument("--hours", type=float, help="stop after this many hours even if --pairs is not reached")
    parser.add_argument("--progress", type=int, default=0, help="print a progress line every N policies")
    parser.add_argument("--minimize-per-kind", type=int, default=1,
                        help="mismatches of one kind to minimize and store in regressions/ (0: none)")
    parser.add_argument("--max-compile-errors", type=int, default=0, help="generated policies allowed to fail")
    parser.add_argument("--strict", action="store_true", help="known mismatches fail the run too")
    parser.add_argument("--verbose", action="store_true", help="print known mismatches too")
    parser.add_argument("--replay", action="store_true", help="replay the stored regressions instead")
    parser.add_argument("--regressions", help="folder of stored cases (default: regressions/ beside this file)")
    args = parser.parse_args()
    if args.regressions:
        global REGRESSIONS
        REGRESSIONS = pathlib.Path(args.regressions).resolve()
    return run_replay(args) if args.replay else run_random(args)


if __name__ == "__main__":
    sys.exit(main())

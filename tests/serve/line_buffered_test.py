#!/usr/bin/env python3
"""`edict eval POLICY --cases -` answers each line as soon as it is read when its input is a pipe (or with
--line-buffered), with the same bytes as the batch over a file.

Usage: line_buffered_test.py EDICT REPOSITORY_ROOT

A subprocess gets one case on a pipe and must answer it while standard input is still open; then a bad line
(its error object carries line number 2), then standard input is closed and the process exits 0. The
select() bound below only keeps a broken build from hanging the test run; nothing here is timed.
"""
import json
import os
import select
import subprocess
import sys
import tempfile

EDICT, ROOT = sys.argv[1], sys.argv[2]
WAIT = 120  # seconds: a safety bound for a hung process, not a measurement


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def read_line(process):
    """One line from the process's standard output, without waiting for its end."""
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([process.stdout], [], [], WAIT)
        if not ready:
            process.kill()
            fail(f"no reply within {WAIT} s while standard input is open (got {data!r})")
        chunk = os.read(process.stdout.fileno(), 1)
        if not chunk:
            fail(f"standard output ended early (got {data!r}); stderr: {process.stderr.read().decode()}")
        data += chunk
    return data


def batch_over_file(lines, *extra):
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as f:
        f.write(b"".join(lines))
    try:
        return subprocess.run([EDICT, "eval", "policies/ear", "--cases", f.name, *extra], cwd=ROOT,
                              capture_output=True, check=True).stdout
    finally:
        os.unlink(f.name)


def main():
    with open(os.path.join(ROOT, "policies/ear/catalog/h800.json")) as f:
        facts = json.load(f)
    facts["destination"] = {"country": "CN"}
    good = (json.dumps({"id": "h800-cn", "facts": facts, "as_of": "2023-12-01"}) + "\n").encode()
    bad = b'{"id": 7, "facts": [1]}\n'

    process = subprocess.Popen([EDICT, "eval", "policies/ear", "--cases", "-", "--as-of", "2023-12-01"], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write(good)
    process.stdin.flush()
    first = read_line(process)  # standard input is still open
    result = json.loads(first)
    if result.get("id") != "h800-cn" or result.get("decision") != "license_required":
        fail(f"unexpected first reply {first!r}")
    process.stdin.write(bad)
    process.stdin.flush()
    second = read_line(process)
    if json.loads(second).get("line") != 2 or "error" not in json.loads(second):
        fail(f"the bad line's reply should be an error object with line 2: {second!r}")
    process.stdin.close()
    rest = process.stdout.read()
    code = process.wait(WAIT)
    if code != 0 or rest:
        fail(f"after end of input: exit code {code}, more output {rest!r}")

    # The same bytes as the batch over a file (which reads in blocks).
    expected = batch_over_file([good, bad], "--as-of", "2023-12-01")
    if first + second != expected:
        fail(f"line-buffered output differs from the file batch:\n{first + second!r}\n{expected!r}")

    # --line-buffered over a file: the same bytes as without it, for a corpus with every kind of bad line.
    corpus = os.path.join(ROOT, "tests/golden/cases/batch_mixed/cases.jsonl")
    base = [EDICT, "eval", "policies/examples/chips", "--cases", corpus, "--as-of", "2024-06-01",
            "--max-line-bytes", "400"]
    plain = subprocess.run(base, cwd=ROOT, capture_output=True).stdout
    buffered = subprocess.run(base + ["--line-buffered"], cwd=ROOT, capture_output=True).stdout
    if plain != buffered or not plain:
        fail("--line-buffered changes the output of tests/golden/cases/batch_mixed")
    # ... and the same bytes through a pipe.
    with open(corpus, "rb") as f:
        piped = subprocess.run(base[:4] + ["-"] + base[5:], cwd=ROOT, stdin=f, capture_output=True).stdout
    if piped != plain:
        fail("the batch through a pipe differs from the batch over the file")

    usage = subprocess.run([EDICT, "eval", "policies/ear", "--line-buffered", "--set", "a=1"], cwd=ROOT,
                           capture_output=True)
    if usage.returncode != 2 or b"--line-buffered` needs `--cases`" not in usage.stderr:
        fail(f"--line-buffered without --cases: {usage.returncode} {usage.stderr!r}")
    print("ok: one reply per line while standard input is open; same bytes as the file batch")


main()

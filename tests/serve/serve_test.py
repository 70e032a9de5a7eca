#!/usr/bin/env python3
"""`edict serve` over real HTTP on a free loopback port (standard library only).

Usage: serve_test.py EDICT REPOSITORY_ROOT

Starts the server on 127.0.0.1:0 with a copy of the EAR pack, checks every endpoint and status (200, 400, 404,
405, 413, 422), compares /v1/decide and /v1/batch with `edict eval` byte for byte (apart from "decision_id"),
reloads 10 times under concurrent load with good and bad versions alternating (no request may fail), stops
the server with SIGTERM while requests are in flight, and checks the exit code and that the decision log holds
exactly one line per decision answered with 200 (the same decision ids). No check depends on timing; the
WAIT bound only keeps a broken build from hanging the run.
"""
import collections
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

EDICT, ROOT = sys.argv[1], sys.argv[2]
WAIT = 120  # seconds: a safety bound for a hung server, not a measurement
FAILURES = []
OUTCOMES = collections.Counter()  # decisions answered with 200 (decide and batch), by outcome


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message, flush=True)
    return condition


class Server:
    def __init__(self, policy, *options):
        self.process = subprocess.Popen([EDICT, "serve", policy, "--listen", "127.0.0.1:0", *options],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        banner = self.process.stdout.readline().decode()
        match = re.match(r"edict serve: listening on 127\.0\.0\.1:(\d+) ", banner)
        if not match:
            self.process.kill()
            sys.exit(f"FAIL: no listening banner: {banner!r}; stderr: {self.process.stderr.read().decode()}")
        self.port = int(match.group(1))
        self.stderr = b""

    def request(self, method, path, body=None, headers=None, connection=None):
        own = connection is None
        conn = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        try:
            data = body.encode() if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode(), dict(response.getheaders())
        finally:
            if own:
                conn.close()

    def json(self, method, path, body=None):
        status, text, _ = self.request(method, path, body)
        try:
            return status, json.loads(text)
        except json.JSONDecodeError:
            return status, {"unparsed": text}

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        _, err = self.process.communicate(timeout=WAIT)
        self.stderr = err.decode()
        return self.process.returncode


def run_cli(*args):
    return subprocess.run([EDICT, *args], cwd=ROOT, capture_output=True, check=False)


def without_id(line):
    """A result line without its leading "decision_id" member: the bytes `edict eval` prints."""
    match = re.match(r'^\{"decision_id":"([0-9a-f]{32})",(.*)$', line, re.S)
    OUTCOMES[json.loads(line).get("decision")] += 1
    check(match is not None, f"no leading decision_id in {line[:120]!r}")
    return ("{" + match.group(2)) if match else line, (match.group(1) if match else None)


def main():
    scratch = tempfile.mkdtemp(prefix="edict-serve-test-")
    try:
        run(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failure(s)")
        sys.exit(1)
    print("ok")


def run(scratch):
    policy = os.path.join(scratch, "ear")
    shutil.copytree(os.path.join(ROOT, "policies/ear"), policy, ignore=shutil.ignore_patterns("tests", "catalog"))
    log_path = os.path.join(scratch, "decisions.jsonl")
    with open(os.path.join(ROOT, "policies/ear/catalog/h800.json")) as f:
        h800 = json.load(f)
    facts = dict(h800, destination={"country": "CN"})
    facts_file = os.path.join(scratch, "h800_cn.json")
    with open(facts_file, "w") as f:
        json.dump(facts, f)
    decide_body = json.dumps({"facts": facts, "as_of": "2023-12-01"})

    server = Server(policy, "--threads", "8", "--decision-log", log_path, "--max-body-bytes", "65536")
    ok_ids = []  # decision ids answered with 200, by decide and by batch lines

    # ---- GET /health, GET /v1/policy
    status, health = server.json("GET", "/health")
    check(status == 200 and health.get("status") == "ok", f"/health: {status} {health}")
    digest = health.get("digest", "")
    check(re.fullmatch(r"[0-9a-f]{16,64}", digest) is not None, f"/health digest {digest!r}")
    status, pol = server.json("GET", "/v1/policy")
    check(status == 200 and pol.get("digest") == digest, f"/v1/policy: {status} digest {pol.get('digest')}")
    checked = json.loads(run_cli("check", policy, "--format", "json").stdout)
    check(pol.get("inventory") == checked.get("inventory"), "/v1/policy inventory differs from `edict check --format json`")
    check(any(r.get("name") for r in pol.get("inventory", {}).get("rules", [])), "/v1/policy lists no rules")

    # ---- POST /v1/decide: the bytes of `edict eval --format json`, plus decision_id
    status, text, headers = server.request("POST", "/v1/decide", decide_body)
    check(status == 200, f"decide: {status} {text[:200]}")
    check(headers.get("Content-Type", "").startswith("application/json"), f"decide content type {headers}")
    body, first_id = without_id(text)
    ok_ids.append(first_id)
    expected = run_cli("eval", policy, "--facts", facts_file, "--as-of", "2023-12-01", "--format", "json")
    check(body + "\n" == expected.stdout.decode(), f"decide differs from `edict eval --format json`:\n{body}\n{expected.stdout.decode()}")
    check(json.loads(text)["decision"] == "license_required", "H800 to CN on 2023-12-01 needs a license")

    status, text, _ = server.request("POST", "/v1/decide", json.dumps(
        {"facts": facts, "as_of": "2023-12-01", "rules_as_of": "2023-11-01", "trace": True}))
    body, trace_id = without_id(text)
    ok_ids.append(trace_id)
    expected = run_cli("eval", policy, "--facts", facts_file, "--as-of", "2023-12-01", "--rules-as-of", "2023-11-01",
                       "--trace", "--format", "json")
    check(status == 200 and body + "\n" == expected.stdout.decode(), "decide with trace and rules_as_of differs from the CLI")
    check("trace" in json.loads(text), "decide with trace: no trace")

    status, explained = server.json("POST", "/v1/decide", json.dumps({"facts": facts, "as_of": "2023-12-01", "explain": True}))
    ok_ids.append(explained.get("decision_id"))
    OUTCOMES[explained.get("decision")] += 1
    expected_text = run_cli("eval", policy, "--facts", facts_file, "--as-of", "2023-12-01").stdout.decode()
    check(status == 200 and explained.get("explanation") == expected_text, "explain: the text of `edict eval`")

    # ---- 400: bad JSON, bad facts, missing or bad dates, unknown fields, an empty body
    bad_requests = [
        ("{", "request body: line 1"),
        ("[1]", "must be a JSON object"),
        ("", "the request body is empty"),
        (json.dumps({"facts": facts}), "`as_of` is missing"),
        (json.dumps({"facts": facts, "as_of": "2023-13-01"}), "`as_of` must be a date string YYYY-MM-DD"),
        (json.dumps({"facts": facts, "as_of": "2023-12-01", "rules_as_of": 5}), "`rules_as_of` must be a date"),
        (json.dumps({"facts": [1], "as_of": "2023-12-01"}), "`facts` must be a JSON object"),
        (json.dumps({"as_of": "2023-12-01"}), "`facts` is missing"),
        (json.dumps({"facts": facts, "as_of": "2023-12-01", "colour": "red"}), "unknown field `colour`"),
        (json.dumps({"facts": facts, "as_of": "2023-12-01", "trace": "yes"}), "`trace` must be true or false"),
        (json.dumps({"facts": dict(facts, product=dict(h800["product"], tpp="lots")), "as_of": "2023-12-01"}),
         "product.tpp"),
    ]
    for body, needle in bad_requests:
        status, reply = server.json("POST", "/v1/decide", body)
        messages = reply.get("error", {}).get("messages", [])
        check(status == 400 and any(needle in m for m in messages), f"decide {body[:60]!r}: {status} {reply}")

    # ---- 413 over --max-body-bytes (the body is read and discarded; the answer says why)
    big = json.dumps({"facts": dict(facts, note="x" * 70000), "as_of": "2023-12-01"})
    status, reply = server.json("POST", "/v1/decide", big)
    check(status == 413 and "65536" in json.dumps(reply), f"413: {status} {reply}")

    # ---- 404, 405
    status, reply = server.json("GET", "/v2/nothing")
    check(status == 404 and "no endpoint `/v2/nothing`" in json.dumps(reply), f"404: {status} {reply}")
    status, text, headers = server.request("GET", "/v1/decide")
    check(status == 405 and headers.get("Allow") == "POST", f"405: {status} {headers}")
    status, _, headers = server.request("POST", "/health", "")
    check(status == 405 and headers.get("Allow") == "GET", f"405 on POST /health: {status}")

    # ---- POST /v1/batch: the lines of `edict eval --cases`, plus decision_id on each result
    lines = [
        json.dumps({"id": "a", "facts": facts, "as_of": "2023-12-01"}),
        json.dumps({"id": 2, "facts": facts}),  # as_of from the query
        "",
        "[1, 2]",
        '{"id": "broken", "facts": ',
        json.dumps({"id": "bad-facts", "facts": {"product": {"tpp": "x"}}, "as_of": "2023-12-01"}),
        json.dumps({"id": "gb", "facts": dict(facts, destination={"country": "GB"}), "as_of": "2024-06-01"}) + "\r",
    ]
    corpus = "\n".join(lines)  # the last line without `\n`
    status, text, headers = server.request("POST", "/v1/batch?as_of=2023-12-01", corpus)
    check(status == 200 and headers.get("Content-Type", "").startswith("application/x-ndjson"), f"batch: {status} {headers}")
    cases_file = os.path.join(scratch, "cases.jsonl")
    with open(cases_file, "w", newline="") as f:
        f.write(corpus)
    expected = run_cli("eval", policy, "--cases", cases_file, "--as-of", "2023-12-01").stdout.decode().splitlines()
    got = text.splitlines()
    check(len(got) == len(lines) == len(expected), f"batch: {len(got)} lines for {len(lines)}")
    for mine, theirs in zip(got, expected):
        if mine.startswith('{"decision_id"'):
            mine, decision_id = without_id(mine)
            ok_ids.append(decision_id)
        check(mine == theirs, f"batch line differs from the CLI:\n{mine}\n{theirs}")
    check(sum(1 for line in got if line.startswith('{"decision_id"')) == 3, "batch: 3 results with decision ids")
    check(headers.get("Transfer-Encoding") == "chunked", f"batch: streamed in chunks, got headers {headers}")
    # A batch whose answer is larger than one chunk (64 KiB): every line answered once, in order.
    many = "\n".join(json.dumps({"id": i, "facts": facts}) for i in range(200))
    status, text, headers = server.request("POST", "/v1/batch?as_of=2023-12-01", many)
    got_ids = [json.loads(line).get("id") for line in text.splitlines()]
    check(status == 200 and "error" not in text, f"large batch: {status} {text[:300]}")
    check(status == 200 and got_ids == list(range(200)) and len(text) > 65536, f"large batch: {status}, {len(got_ids)} lines in order")
    for line in text.splitlines():
        ok_ids.append(without_id(line)[1])
    status, reply = server.json("POST", "/v1/batch?as_of=yesterday", corpus)
    check(status == 400 and "as_of=yesterday" in json.dumps(reply), f"batch bad query: {status} {reply}")

    # ---- reload under load: 10 reloads, bad and good versions alternating; no request may fail
    results = {"ok": 0, "failed": []}
    lock = threading.Lock()
    stop_load = threading.Event()

    def load():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        done = 0
        while not stop_load.is_set() or done < 100:
            try:
                status, text, _ = server.request("POST", "/v1/decide", decide_body, connection=conn)
                reply = json.loads(text)
            except Exception as error:  # noqa: BLE001 - any failure is a failed request
                with lock:
                    results["failed"].append(repr(error))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
                continue
            with lock:
                if status == 200 and reply.get("decision") == "license_required":
                    results["ok"] += 1
                    OUTCOMES[reply["decision"]] += 1
                    ok_ids.append(reply["decision_id"])
                else:
                    results["failed"].append(f"{status} {text[:200]}")
            done += 1
        conn.close()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    bad_file = os.path.join(policy, "zz_broken.edict")
    base_file = os.path.join(policy, "00_base.edict")
    with open(base_file) as f:
        base_text = f.read()
    digests = [digest]
    for i in range(10):
        if i % 2 == 0:  # a bad version: a file that does not compile
            with open(bad_file + ".tmp", "w") as f:
                f.write("rule broken\n  when product.tpp >=\nend\n")
            os.replace(bad_file + ".tmp", bad_file)
            status, reply = server.json("POST", "/v1/reload")
            check(status == 422 and reply.get("reloaded") is False and reply.get("digest") == digests[-1],
                  f"reload {i} (bad): {status} {str(reply)[:300]}")
            check(any("zz_broken.edict" in m for m in reply.get("error", {}).get("messages", [])),
                  f"reload {i}: the diagnostics name the broken file: {str(reply)[:300]}")
            check(any(d.get("severity") == "error" for d in reply.get("diagnostics", [])), f"reload {i}: diagnostics")
        else:  # a good version: the bad file gone, the base file changed (a new digest)
            os.remove(bad_file)
            with open(base_file + ".tmp", "w") as f:
                f.write(base_text + f"\n# version {i}\n")
            os.replace(base_file + ".tmp", base_file)
            status, reply = server.json("POST", "/v1/reload")
            check(status == 200 and reply.get("reloaded") is True and reply.get("previous_digest") == digests[-1]
                  and reply.get("digest") not in digests, f"reload {i} (good): {status} {str(reply)[:300]}")
            digests.append(reply.get("digest"))
            status, health = server.json("GET", "/health")
            check(health.get("digest") == digests[-1], f"after reload {i}, /health serves the new digest")
    stop_load.set()
    for t in threads:
        t.join()
    check(not results["failed"], f"{len(results['failed'])} failed requests during reloads: {results['failed'][:3]}")
    check(results["ok"] >= 400, f"load: {results['ok']} decisions")

    # SIGHUP reloads too (no change of text: the same digest); seen in the metrics' reload count.
    server.process.send_signal(signal.SIGHUP)
    for _ in range(10000):
        status, text, _ = server.request("GET", "/metrics")
        if 'edict_reloads_total{result="ok"} 6' in text:
            break
    check('edict_reloads_total{result="ok"} 6' in text, "SIGHUP: a sixth successful reload in /metrics")

    # ---- GET /metrics
    check(status == 200 and text.endswith("\n"), "/metrics")
    check(f'edict_policy_info{{digest="{digests[-1]}"}} 1' in text, "/metrics: the digest label")
    check('edict_reloads_total{result="failed"} 5' in text, "/metrics: 5 failed reloads")
    decide_200 = 3 + results["ok"]
    check(f'edict_requests_total{{endpoint="decide",status="200"}} {decide_200}' in text,
          f"/metrics: {decide_200} decide 200s")
    check(f'edict_request_errors_total{{endpoint="decide",status="400"}} {len(bad_requests)}' in text,
          "/metrics: decide 400s")
    check('edict_request_errors_total{endpoint="decide",status="413"} 1' in text, "/metrics: the 413")
    check('edict_request_errors_total{endpoint="other",status="404"} 1' in text, "/metrics: the 404")
    for outcome, count in OUTCOMES.items():
        check(f'edict_decisions_total{{outcome="{outcome}"}} {count}' in text, f"/metrics: {count} decisions {outcome}")
    check(len(OUTCOMES) >= 2, f"the decisions cover two outcomes at least: {OUTCOMES}")
    check(f'edict_request_duration_seconds_count{{endpoint="decide"}} {decide_200 + len(bad_requests) + 1 + 1}' in text,
          "/metrics: the latency histogram counts every decide request")
    check('edict_request_duration_seconds_bucket{endpoint="decide",le="+Inf"}' in text, "/metrics: histogram buckets")
    check("edict_decision_log_dropped_total 0" in text, "/metrics: no dropped log lines")

    # ---- SIGTERM while requests are in flight: every 200 is in the log, exit 0
    in_flight_ok = []
    stop_load.clear()

    def until_refused():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        while True:
            try:
                status, text, _ = server.request("POST", "/v1/decide", decide_body, connection=conn)
            except Exception:  # noqa: BLE001 - the server stopped: connection closed or refused
                return
            if status == 200:
                with lock:
                    in_flight_ok.append(json.loads(text)["decision_id"])
            if stop_load.is_set() and status != 200:
                return

    threads = [threading.Thread(target=until_refused) for _ in range(4)]
    for t in threads:
        t.start()
    while True:  # wait until the load is under way
        with lock:
            if len(in_flight_ok) >= 50:
                break
    code = server.stop(signal.SIGTERM)
    stop_load.set()
    for t in threads:
        t.join()
    check(code == 0, f"exit code after SIGTERM: {code}; stderr: {server.stderr[-500:]}")
    check("SIGTERM: stopping" in server.stderr, "the stop is reported")
    ok_ids.extend(in_flight_ok)

    # ---- the decision log: one line per 200 decision, the same ids, whole JSON lines
    with open(log_path, "rb") as f:
        raw = f.read()
    check(raw.endswith(b"\n"), "the decision log ends with a whole line")
    records = [json.loads(line) for line in raw.decode().splitlines()]
    logged = [r["decision_id"] for r in records]
    check(len(logged) == len(ok_ids), f"decision log: {len(logged)} lines for {len(ok_ids)} decisions answered 200")
    check(sorted(logged) == sorted(ok_ids), "decision log: the decision ids answered are the ones logged")
    check(len(set(logged)) == len(logged), "decision ids are unique")
    first = next((r for r in records if r["decision_id"] == first_id), {})
    check(first.get("policy_digest") == digest and first.get("as_of") == "2023-12-01"
          and first.get("decision") == "license_required" and "facts" in first, f"log record: {first}")
    check(list(first.keys())[:3] == ["decision_id", "time", "policy_digest"], f"log record key order: {list(first)}")
    check(f"{len(logged)} lines written, 0 dropped" in server.stderr, f"stop summary: {server.stderr[-300:]}")

    second_server(policy, facts, scratch)


def second_server(policy, facts, scratch):
    """422 past --max-eval-steps, facts digests in the log, SIGINT, and the usage errors."""
    os.remove(os.path.join(policy, "zz_broken.edict")) if os.path.exists(os.path.join(policy, "zz_broken.edict")) else None
    log_path = os.path.join(scratch, "digest-log.jsonl")
    server = Server(policy, "--max-eval-steps", "5", "--decision-log", log_path, "--log-facts", "digest",
                    "--threads", "2")
    status, reply = server.json("POST", "/v1/decide", json.dumps({"facts": facts, "as_of": "2023-12-01"}))
    check(status == 422 and any("limit" in m for m in reply.get("error", {}).get("messages", [])), f"422: {status} {reply}")
    status, text, _ = server.request("POST", "/v1/batch", json.dumps({"facts": facts, "as_of": "2023-12-01"}))
    check(status == 200 and '"line":1,"error"' in text, f"batch past the step limit: an error line: {text[:200]}")
    code = server.stop(signal.SIGINT)
    check(code == 0 and "SIGINT: stopping" in server.stderr, f"SIGINT: exit {code}")
    with open(log_path) as f:
        check(f.read() == "", "nothing decided, nothing logged")

    server = Server(policy, "--decision-log", log_path, "--log-facts", "digest", "--threads", "1")
    status, reply = server.json("POST", "/v1/decide", json.dumps({"facts": facts, "as_of": "2023-12-01"}))
    check(status == 200, f"decide: {status}")
    check(server.stop() == 0, "stop")
    with open(log_path) as f:
        records = [json.loads(line) for line in f]
    check(len(records) == 1 and "facts" not in records[0] and re.fullmatch(r"[0-9a-f]{64}", records[0].get("facts_digest", "")),
          f"--log-facts digest: {records}")

    for args, needle in [
        ([policy, "--listen", "localhost"], "expected HOST:PORT"),
        ([policy, "--listen", "127.0.0.1:70000"], "the port must be a whole number from 0 to 65535"),
        ([policy, "--threads", "0"], "`--threads 0`: expected a whole number from 1 to 1024"),
        ([policy, "--log-facts", "some"], "expected full or digest"),
        ([policy, "--decision-log-max-bytes", "10"], "needs `--decision-log FILE`"),
        (["--threads", "2"], "missing POLICY"),
        ([os.path.join(scratch, "nothing.edict"), "--listen", "127.0.0.1:0"], "does not compile"),
        ([policy, "--listen", "127.0.0.1:0", "--decision-log", scratch], "Is a directory"),
    ]:
        result = subprocess.run([EDICT, "serve", *args], capture_output=True, timeout=WAIT)
        check(result.returncode == 2 and needle in result.stderr.decode(),
              f"edict serve {args}: exit {result.returncode}, {result.stderr.decode()[-300:]!r}")
    # A port in use.
    blocker = Server(policy, "--threads", "1")
    result = subprocess.run([EDICT, "serve", policy, "--listen", f"127.0.0.1:{blocker.port}"], capture_output=True,
                            timeout=WAIT)
    check(result.returncode == 2 and "cannot listen on 127.0.0.1:" in result.stderr.decode(), "a port in use")
    check(blocker.stop() == 0, "stop")


main()

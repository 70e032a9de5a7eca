"""The pieces the driver shares: running the real `edict` binary, normalising both answers, comparing them."""

import itertools
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import generate
import model

FIELDS = ["decision", "classifications", "deciding_rules", "exemptions", "reasons", "citations",
          "indeterminate_facts", "indeterminate_rules", "conflicts", "warnings"]


def find_edict(explicit=None):
    """The edict binary: --edict, $EDICT, or build-ref/ or build/ of the repository."""
    root = pathlib.Path(__file__).resolve().parents[2]
    for candidate in [explicit, os.environ.get("EDICT"), root / "build-ref" / "edict", root / "build" / "edict"]:
        if candidate and pathlib.Path(candidate).is_file():
            return str(candidate)
    raise SystemExit("edict binary not found: pass --edict PATH or set EDICT")


class Edict:
    """The real compiler and evaluator, driven through the CLI. The binary is copied first, so that a
    rebuild during a long run does not pull it away."""

    def __init__(self, binary):
        self.snapshot = tempfile.TemporaryDirectory(prefix="edict-reference-")
        self.binary = os.path.join(self.snapshot.name, "edict")
        shutil.copy2(binary, self.binary)

    def dump_ir(self, policy_dir):
        """(IR dict, None) or (None, diagnostics) when the policy does not compile."""
        run = subprocess.run([self.binary, "check", str(policy_dir), "--dump-ir"], capture_output=True, text=True)
        if run.returncode != 0:
            return None, run.stderr
        return json.loads(run.stdout), None

    def eval_batch(self, policy_dir, lines, trace=False):
        """One result dict per case line (batch mode: one process for all the cases). With `trace`, edict
        takes its full evaluation path (EvalResult) instead of the lean one."""
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            f.write("".join(line + "\n" for line in lines))
        try:
            command = [self.binary, "eval", str(policy_dir), "--cases", f.name, "--as-of", "2000-01-01"]
            command += ["--trace"] if trace else []
            run = subprocess.run(command, capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        if run.returncode != 0:
            raise RuntimeError(f"edict eval --cases failed ({run.returncode}): {run.stderr}")
        results = [json.loads(line) for line in run.stdout.splitlines()]
        if len(results) != len(lines):
            raise RuntimeError(f"{len(lines)} cases in, {len(results)} results out")
        return results


def case_line(case_id, case):
    tree, as_of, rules_as_of = case
    line = f'{{"id":{case_id},"facts":{generate.tree_json(tree)},"as_of":"{as_of}"'
    if rules_as_of:
        line += f',"rules_as_of":"{rules_as_of}"'
    return line + "}"


def model_answer_of_line(ir, line, quirks=frozenset()):
    """The model's normalised answer for one batch line {"id", "facts", "as_of", "rules_as_of"?} (numbers read
    exactly), or None when the case is outside the model (Unsupported)."""
    case = model.parse_facts(line)
    try:
        return normalise(model.evaluate(ir, case["facts"], case["as_of"], case.get("rules_as_of"), quirks))
    except model.Unsupported:
        return None


def known_quirks(ir, line, actual):
    """The smallest set of model.QUIRKS under which the model answers as edict did, or None."""
    names = sorted(model.QUIRKS)
    for size in range(1, len(names) + 1):
        for combo in itertools.combinations(names, size):
            if model_answer_of_line(ir, line, frozenset(combo)) == actual:
                return combo
    return None


def normalise(result):
    """The compared fields, in one shape for both sides: sorted lists, a warnings count, errors as a flag."""
    if "error" in result:
        return {"error": True}
    out = {}
    for field in FIELDS:
        value = result[field]
        if field == "indeterminate_facts":
            # edict also names parameters without a value ("(parameter p has no value)"); LANGUAGE.md lists only
            # missing fact paths there, so only paths are compared.
            value = sorted(v for v in value if not v.startswith("("))
        elif field == "warnings":
            value = value if isinstance(value, int) else len(value)
        elif field == "conflicts":
            value = sorted(({"rule": c["rule"], "exemptions": sorted(c["exemptions"])} for c in value),
                           key=lambda c: c["rule"])
        elif isinstance(value, list):
            value = sorted(value)
        out[field] = value
    return out


def differences(expected, actual):
    """Names of the fields that differ (['error'] when only one side is an error)."""
    if "error" in expected or "error" in actual:
        return [] if ("error" in expected) == ("error" in actual) else ["error"]
    return [f for f in FIELDS if expected[f] != actual[f]]


def write_policy(policy, directory):
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.edict"):
        old.unlink()
    policy.write(directory)

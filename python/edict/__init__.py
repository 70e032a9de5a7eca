"""Edict from Python: compile a policy once, evaluate it many times, with exact decimals.

    import datetime, edict
    policy = edict.compile("policies/ear")
    result = policy.evaluate({"product": {"tpp": 15832, "die_area_mm2": 814, ...},
                              "destination": {"country": "CN"}}, as_of=datetime.date(2023, 12, 1))
    result.decision          # "license_required"
    result.to_dict()         # the JSON of `edict eval --format json`

    frame = policy.evaluate_frame(df, as_of="2024-06-01", threads=2)   # a pandas DataFrame per row

Values: bool, int, decimal.Decimal, str (number text for a decimal or integer fact: "2054.24"),
datetime.date (or "YYYY-MM-DD"), None (JSON null). A float is refused, because a binary float is not the
decimal it prints as; pass allow_float=True to use its shortest repr instead. `as_of` is always required.

The scale-out on Dask is in edict.dask.
"""

from __future__ import annotations

import os
import threading

from . import _edict
from ._edict import (  # noqa: F401  (re-exported)
    Diagnostic,
    FactInfo,
    GroupInfo,
    Inventory,
    ParameterInfo,
    ParameterStep,
    Result,
    RuleInfo,
    RuleVersion,
    TierInfo,
)

__version__ = _edict.__version__
__all__ = [
    "CompileError",
    "EvaluationError",
    "Policy",
    "Result",
    "Diagnostic",
    "Inventory",
    "FactInfo",
    "RuleInfo",
    "compile",
    "from_bundle",
]

FRAME_COLUMNS = ("decision", "classifications", "deciding_rules", "error")


class CompileError(Exception):
    """The policy did not compile. `diagnostics` holds every error and warning as edict.Diagnostic objects
    (severity, code, message, help, file, line, column); str() is the compiler's own rendering."""

    def __init__(self, diagnostics):
        self.diagnostics = list(diagnostics)
        super().__init__(_edict.render_diagnostics(self.diagnostics))

    @property
    def errors(self):
        return [d for d in self.diagnostics if d.severity == "error"]


class EvaluationError(ValueError):
    """Policy.evaluate could not decide: the facts did not fit the policy's schema, or the evaluation exceeded
    a limit. `errors` says why (naming the facts or the limit); `result` is the Result (its to_dict() is the
    CLI's JSON for the case)."""

    def __init__(self, result):
        self.result = result
        self.errors = list(result.errors)
        self.limit_exceeded = result.limit_exceeded
        super().__init__("; ".join(self.errors))


def compile(path_or_sources, rules_as_of=None, *, root=None):
    """Compiles a policy and returns a Policy, or raises CompileError.

    path_or_sources: a policy file or a directory of .edict files (str or os.PathLike), a list of them
    (compiled as one policy), or the sources as text: {name: text} or a list of (name, text) pairs (imports
    are then read relative to `root`, by default the directory of the first name).
    rules_as_of: the default rulebook date of this policy's evaluations (None: the latest rulebook).
    """
    if isinstance(path_or_sources, (str, os.PathLike)):
        handle, diagnostics = _edict._compile_paths([os.fspath(path_or_sources)], rules_as_of)
    elif isinstance(path_or_sources, dict):
        handle, diagnostics = _edict._compile_sources(list(path_or_sources.items()), root or "", rules_as_of)
    else:
        items = list(path_or_sources)
        if items and all(isinstance(i, (str, os.PathLike)) for i in items):
            handle, diagnostics = _edict._compile_paths([os.fspath(i) for i in items], rules_as_of)
        elif items and all(isinstance(i, (tuple, list)) and len(i) == 2 for i in items):
            handle, diagnostics = _edict._compile_sources([(str(n), str(t)) for n, t in items], root or "",
                                                          rules_as_of)
        else:
            raise TypeError("compile() takes a path, a list of paths, {name: text} or a list of (name, text)")
    if handle is None:
        raise CompileError(diagnostics)
    return Policy(handle, diagnostics)


class Policy:
    """A compiled policy: immutable, safe to share between threads. Made by edict.compile()."""

    __slots__ = ("_native", "warnings", "_inventory", "_fact_paths")

    def __init__(self, native, diagnostics=()):
        self._native = native
        self.warnings = [d for d in diagnostics if d.severity == "warning"]  # compile warnings
        self._inventory = None
        self._fact_paths = None

    # ---- one case ----

    def evaluate(self, facts, as_of, rules_as_of=None, trace=False, *, allow_float=False):
        """Evaluates one case and returns a Result.

        facts: a dict, nested ({"product": {"tpp": 4800}}) or with dotted keys ({"product.tpp": 4800}).
        as_of: the date of the transaction (datetime.date or "YYYY-MM-DD"); required.
        rules_as_of: read the rulebook as published on that date (default: the policy's, else the latest).
        trace: build the explainable trace (Result.trace, Result.explain()).
        Raises TypeError / ValueError for values that cannot be facts (a float unless allow_float=True),
        and EvaluationError when the facts do not fit the schema or a limit is exceeded.
        """
        result = self._native.evaluate(facts, as_of, rules_as_of, trace, allow_float)
        if not result.ok:
            raise EvaluationError(result)
        return result

    # ---- many cases ----

    def evaluate_frame(self, df, as_of, columns=None, rules_as_of=None, threads=1, *, allow_float=False):
        """Evaluates every row of a pandas DataFrame; returns a DataFrame with the same index and the columns
        decision (str), classifications (tuple of str), deciding_rules (tuple of str) and error (None, or
        why the row could not be evaluated; the other three are then None). A bad row never stops the others.

        as_of: the name of a column of dates, or one date for every row (required).
        columns: {fact path: column name}, or a list of columns named after facts; default: every column
        whose name is a fact path. An empty cell (None, NaN, NA, NaT) leaves the fact out of that row.
        threads: evaluate with this many threads (the GIL is released while evaluating).
        The classification and rule tuples are shared between rows with the same value (they are immutable).
        """
        pandas = _pandas()
        mapping = self._frame_mapping(df, columns, as_of)
        arrays = [(path, _column_array(df[name])) for path, name in mapping.items()]
        as_of_input = _as_of_input(df, as_of)
        outputs = _empty_outputs(len(df))
        _edict._evaluate_columns(self._native, arrays, len(df), as_of_input, rules_as_of, int(threads),
                                 bool(allow_float), outputs)
        return pandas.DataFrame(dict(zip(FRAME_COLUMNS, outputs)), index=df.index, copy=False)

    def evaluate_many(self, rows, as_of, rules_as_of=None, threads=1, *, allow_float=False):
        """Evaluates a list of fact dicts (as Policy.evaluate takes them) on one date; returns a DataFrame
        like evaluate_frame's, one row per dict, in order. A bad dict gives an error in its own row."""
        pandas = _pandas()
        rows = rows if isinstance(rows, (list, tuple)) else list(rows)
        outputs = _empty_outputs(len(rows))
        _edict._evaluate_rows(self._native, rows, as_of, rules_as_of, int(threads), bool(allow_float), outputs)
        return pandas.DataFrame(dict(zip(FRAME_COLUMNS, outputs)), copy=False)

    # ---- introspection ----

    def inventory(self):
        """What the policy declares (edict.Inventory): facts, outcomes, rules, groups, parameters, tiers."""
        if self._inventory is None:
            self._inventory = self._native.inventory()
        return self._inventory

    @property
    def title(self):
        return self.inventory().title

    @property
    def facts(self):
        """The declared facts (edict.FactInfo: path, type, description, optional, default, allowed_values)."""
        return self.inventory().facts

    @property
    def outcomes(self):
        """The outcome names, most severe first."""
        return self.inventory().outcomes

    @property
    def default_outcome(self):
        return self.inventory().default_outcome

    @property
    def classifications(self):
        return self.inventory().classifications

    @property
    def rules(self):
        """The rules and exemptions (edict.RuleInfo: name, exemption, versions, file, line)."""
        return self.inventory().rules

    @property
    def digest(self):
        """A hash of the compiled sources: equal digests, equal policies."""
        return self._native.digest

    @property
    def rules_as_of(self):
        return self._native.rules_as_of

    # ---- shipping to other processes (as source text, never as a pickled compiled object) ----

    def to_bundle(self):
        """The policy as text: {"root", "files", "imports", "digest"} (files and imports as (path, text)).
        edict.from_bundle() compiles it again and checks that the digest is the same."""
        bundle = _edict._ship(self._native)
        rules_as_of = self._native.rules_as_of
        bundle["rules_as_of"] = rules_as_of.isoformat() if rules_as_of is not None else None
        return bundle

    def __reduce__(self):
        # Pickled as its source text, compiled again (once per process) when unpickled.
        return (from_bundle, (self.to_bundle(),))

    def __repr__(self):
        return f"<edict.Policy {self.title!r} digest {self.digest}>"

    # ---- helpers ----

    def fact_paths(self):
        if self._fact_paths is None:
            self._fact_paths = frozenset(f.path for f in self.facts)
        return self._fact_paths

    def _frame_mapping(self, df, columns, as_of):
        known = self.fact_paths()
        if columns is None:
            mapping = {c: c for c in df.columns if isinstance(c, str) and c in known and c != as_of}
            if not mapping:
                raise ValueError("no column of the frame is named after a fact of the policy; pass columns="
                                 "{fact path: column name}")
            return mapping
        if not isinstance(columns, dict):
            columns = {c: c for c in columns}
        for path, name in columns.items():
            if path not in known:
                raise ValueError(f"`{path}` is not a fact of the policy")
            if name not in df.columns:
                raise KeyError(f"the frame has no column {name!r} (for `{path}`)")
        return dict(columns)


_bundle_lock = threading.Lock()
_compiled_bundles = {}  # digest -> Policy: a process compiles each shipped policy once


def from_bundle(bundle):
    """The Policy of a bundle made by Policy.to_bundle(), compiled once per process (cached by digest)."""
    key = (bundle["digest"], bundle.get("rules_as_of"))
    with _bundle_lock:
        policy = _compiled_bundles.get(key)
        if policy is None:
            policy = Policy(_edict._compile_shipped(bundle, bundle.get("rules_as_of")))
            _compiled_bundles[key] = policy
        return policy


# ---- pandas helpers (pandas and numpy are imported on first use) ----

_pandas_module = None


def _pandas():
    global _pandas_module
    if _pandas_module is None:
        import pandas

        _edict._set_missing_sentinels([pandas.NA, pandas.NaT])
        _pandas_module = pandas
    return _pandas_module


def _empty_outputs(rows):
    import numpy

    return tuple(numpy.empty(rows, dtype=object) for _ in FRAME_COLUMNS)  # filled with None


def _column_array(series):
    """The values of a column as a numpy array of int64, bool, float64, datetime64[ns] or object."""
    import numpy

    dtype = series.dtype
    if not isinstance(dtype, numpy.dtype):  # a pandas extension type: Int64, boolean, string, category, ...
        return series.to_numpy(dtype=object, na_value=None)
    values = series.to_numpy()
    if dtype.kind == "u" and len(values) and values.max() > numpy.iinfo(numpy.int64).max:
        return values.astype(object)
    if dtype.kind in "iu":
        return values.astype(numpy.int64, copy=False)
    if dtype.kind == "f":
        return values.astype(numpy.float64, copy=False)
    if dtype.kind == "M":
        return values.astype("datetime64[ns]", copy=False)
    if dtype.kind in "bO":
        return values
    return values.astype(object)  # e.g. timedelta: refused cell by cell


def _as_of_input(df, as_of):
    pandas = _pandas()
    if isinstance(as_of, str) and as_of in df.columns:
        return _column_array(df[as_of])
    if isinstance(as_of, pandas.Series):
        return _column_array(as_of)
    return as_of  # one date for every row (checked by the extension: required, a date or "YYYY-MM-DD")

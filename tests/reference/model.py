"""Reference evaluator for Edict, written from grammar/LANGUAGE.md alone.

It reads the compiled program as JSON (`edict check POLICY --dump-ir`, format in IR.md), a facts object and
the two dates, and answers what `edict eval --format json` answers: the decision, classifications, deciding
rules, exemptions applied, reasons, citations, indeterminate rules and facts, and conflicts.

Small, slow and exact: numbers are `fractions.Fraction`, nothing is cached across evaluations, and the
"could an unknown have changed the decision" question (LANGUAGE.md section 6) is answered by trying every
way the unknown rules and exemptions could have come out. Standard library only.
"""

import datetime
import itertools
import json
import operator
import re
from fractions import Fraction

INDETERMINATE = "indeterminate"
MAX_OPERAND_BITS = 2 ** 17  # LANGUAGE.md section 8: an arithmetic operation on larger numbers is unknown
MAX_UNKNOWN_STATUSES = 16  # 2^16 completions at most; beyond that the model gives up (see Unsupported)
MAX_UNKNOWN_EXEMPTIONS_PER_RULE = 10  # section 6: beyond this "any outcome counts as possible" (not modelled)

# Alternative readings that the current evaluator follows where this model reads LANGUAGE.md otherwise
# (README.md, "Known mismatches"): name -> description. The model checks `name in quirks` where it reads
# differently; the driver uses them only to recognise a mismatch as already known. None is open: every one
# found so far has been fixed in edict.
QUIRKS = {}


class Unsupported(Exception):
    """The case is outside what the model decides (reported as skipped by the driver, never as a pass)."""


class FactsError(Exception):
    """The facts do not fit the schema (LANGUAGE.md 2.4): the evaluation stops."""


class Unknown:
    """A value that could not be computed (section 6), with the missing fact paths that caused it."""

    __slots__ = ("facts",)

    def __init__(self, facts=frozenset()):
        self.facts = frozenset(facts)

    def __repr__(self):
        return f"Unknown({sorted(self.facts)})"


def is_unknown(value):
    return isinstance(value, Unknown)


def unknown_of(*values):
    """An Unknown carrying the facts of every unknown among `values`."""
    facts = set()
    for v in values:
        if is_unknown(v):
            facts |= v.facts
    return Unknown(facts)


def parse_facts(text):
    """Facts JSON text to nested dicts, numbers read exactly (never through a binary float)."""
    return json.loads(text, parse_float=Fraction, parse_int=Fraction)


# ---- dates: YYYY-MM-DD strings compare chronologically as text; None is an open bound ----

def on_or_before(bound, date):
    """bound <= date, where a None bound is -infinity."""
    return bound is None or bound <= date


def before(date, bound):
    """date < bound, where a None bound is +infinity (and a None date is +infinity too)."""
    if bound is None:
        return True
    return date is not None and date < bound


def rulebook_knows(known_from, rules_as_of):
    """An amendment published on `known_from` is in the rulebook read on `rules_as_of` (None: the latest)."""
    return known_from is None or rules_as_of is None or known_from <= rules_as_of


def in_window(window, date):
    return on_or_before(window["from"], date) and before(date, window["until"])


def rulebook_window_holds(window, rules_as_of):
    """rules_as_of in [from, until) of a rulebook window; rules_as_of None is the latest rulebook."""
    if rules_as_of is None:
        return window["until"] is None
    return on_or_before(window["from"], rules_as_of) and before(rules_as_of, window["until"])


# ---- party names (section 3: case, punctuation and common corporate suffixes ignored) ----

CORPORATE_SUFFIXES = {"co", "ltd", "inc", "llc", "corp", "corporation", "company", "limited", "gmbh", "ag", "sa",
                      "plc", "bv", "nv"}


def normalize_name(name):
    words = re.sub(r"[^a-z0-9]+", " ", name.lower()).split()
    while len(words) > 1 and words[-1] in CORPORATE_SUFFIXES:
        words.pop()
    return " ".join(words)


# ---- binding facts to the schema (section 2.4) ----

def lookup(facts, path):
    """The JSON value at a dotted path, or `absent`."""
    node = facts
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return ABSENT
        node = node[part]
    return node


ABSENT = object()


def is_date(text):
    """A real calendar date written YYYY-MM-DD."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_value(ir, fact, value):
    """The JSON value of a declared fact as a model value; FactsError when it does not fit."""
    kind = fact["type"]["kind"]
    path = fact["path"]
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, Fraction):
        if fact["integer"] and value.denominator != 1:
            raise FactsError(f"`{path}`: not an integer")
        return value
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "date" and isinstance(value, str):
        if not is_date(value):
            raise FactsError(f"`{path}`: not a date")
        return value
    if kind == "enum" and isinstance(value, str):
        if value not in enum_codes(ir, fact["type"]["enum"]):
            raise FactsError(f"`{path}`: not a member")
        return value
    raise FactsError(f"`{path}`: wrong type")


def enum_codes(ir, name):
    for e in ir["enums"]:
        if e["name"] == name:
            return e["codes"]
    raise Unsupported(f"unknown enumeration {name}")


def declared_paths(ir):
    return {f["path"] for f in ir["facts"]}


def undeclared_fields(facts, declared, prefix=""):
    """Paths given in the facts that the schema does not declare (warnings, never used): every field, an
    undeclared object and each of its members alike."""
    out = []
    for key, value in facts.items():
        path = prefix + key
        if path in declared:
            continue
        if not any(d.startswith(path + ".") for d in declared):
            out.append(path)
        if isinstance(value, dict):
            out.extend(undeclared_fields(value, declared, path + "."))
    return out


def given_values(ir, facts):
    """Declared facts that were given (not absent, not null) as model values."""
    out = {}
    for fact in ir["facts"]:
        value = lookup(facts, fact["path"])
        if value is ABSENT:
            continue
        if value is None:
            if not fact["optional"]:
                raise FactsError(f"`{fact['path']}`: null for a fact that is not optional")
            continue
        out[fact["path"]] = check_value(ir, fact, value)
    return out


# ---- evaluation ----

class Evaluation:
    """One evaluation of one policy against one set of facts at (as_of, rules_as_of)."""

    def __init__(self, ir, facts, as_of, rules_as_of, quirks=frozenset()):
        self.ir = ir
        self.quirks = quirks
        self.as_of = as_of
        self.rules_as_of = rules_as_of
        self.facts_by_path = {f["path"]: f for f in ir["facts"]}
        self.definitions = {d["name"]: d for d in ir["definitions"]}
        self.groups = {g["name"]: g for g in ir["groups"]}
        self.parameters = {p["name"]: p for p in ir["parameters"]}
        self.tiers = {t["name"]: t for t in ir["tiers"]}
        self.given = given_values(ir, facts)
        self.versions = self.versions_in_rulebook()
        self.in_force = {name for name, v in self.versions.items() if in_window(v["effective"], as_of)}
        self.conditions = {}  # entity name -> True / False / Unknown (memo: computed at most once)
        self.definition_values = {}

    # -- which rules and exemptions (sections 2.9-2.11) --

    def versions_in_rulebook(self):
        """Entity name -> its version in the rulebook read on rules_as_of (entities absent from it left out)."""
        out = {}
        for entity in self.ir["rules"]:
            found = [v for v in entity["versions"] if rulebook_window_holds(v["rulebook"], self.rules_as_of)]
            if len(found) > 1:
                raise Unsupported(f"two versions of {entity['name']} in one rulebook")
            if found:
                out[entity["name"]] = dict(found[0], name=entity["name"], kind=entity["kind"])
        return out

    def rules(self, kind):
        return [self.versions[n] for n in sorted(self.in_force) if self.versions[n]["kind"] == kind]

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = self.test(self.versions[name]["when"])
        return self.conditions[name]

    # -- facts, definitions, parameters, tiers, classifications --

    def fact(self, path, seen=()):
        """The given value, else the default (a literal, or another fact's value), else missing. A fact whose
        default fact is missing is missing because of that fact (LANGUAGE.md 2.4: it takes the default)."""
        if path in self.given:
            return self.given[path]
        default = self.facts_by_path[path]["default"]
        if default is None:
            return Unknown({path})
        if "fact" in default:
            if default["fact"] in seen:
                raise Unsupported("default cycle")
            return self.fact(default["fact"], seen + (path,))
        return self.value(default)

    def present(self, path):
        return not is_unknown(self.fact(path))

    def definition(self, name):
        if name not in self.definition_values:
            self.definition_values[name] = self.value(self.definitions[name]["value"])
        return self.definition_values[name]

    def parameter(self, name):
        """The last step (by date) on or before as_of in the rulebook; same date: the one listed later."""
        best = None
        for step in self.parameters[name]["steps"]:
            window = {"from": step["rulebook_from"], "until": step["rulebook_until"]}
            if not rulebook_window_holds(window, self.rules_as_of) or not on_or_before(step["from"], self.as_of):
                continue
            if best is None or later_or_same(step["from"], best["from"]):
                best = step
        if best is None or best["value"] is None:
            return Unknown()
        return self.value(best["value"])

    def tier(self, name):
        """The label of the first case whose condition is true. A tier reads as `if c1 then l1 else if c2
        then l2 ... else otherwise`: a case that is unknown makes the label unknown (that case's facts)."""
        tier = self.tiers[name]
        for case in tier["cases"]:
            holds = self.test(case["when"])
            if holds is True or is_unknown(holds):
                return case["label"] if holds is True else holds
        return tier["otherwise"]

    def classified(self, label):
        results = [self.condition(v["name"]) for v in self.rules("rule")
                   if v["then"] is not None and v["then"].get("classify") == label]
        if any(r is True for r in results):
            return True
        unknowns = [r for r in results if is_unknown(r)]
        return unknown_of(*unknowns) if unknowns else False

    # -- sets (section 2.6): membership as of as_of in the rulebook of rules_as_of --

    def member_now(self, events):
        """The last visible event in force decides (the latest date; same date: the one listed later)."""
        last = None
        for e in events:
            if not rulebook_knows(e["rulebook_from"], self.rules_as_of) or not on_or_before(e["from"], self.as_of):
                continue
            if last is None or later_or_same(e["from"], last["from"]):
                last = e
        return last is not None and last["add"]

    def group_set(self, group):
        """The members in force, each mapped to the keys a value is compared with."""
        if "definition" in group:
            return self.set_value(group["definition"])
        members = [m for m in group["members"] if self.member_now(m["events"])]
        return {m["member"]: m.get("keys", [m["member"]]) for m in members}

    def set_value(self, expr):
        if "group" in expr:
            return self.group_set(self.groups[expr["group"]])
        if expr.get("literal"):
            return self.group_set(expr)
        a, b = (self.set_value(x) for x in expr["args"])
        if expr["op"] == "union":
            return {**a, **b}
        if expr["op"] == "intersect":
            return {k: v for k, v in a.items() if k in b}
        if expr["op"] == "except":
            return {k: v for k, v in a.items() if k not in b}
        raise Unsupported(f"set operator {expr['op']}")

    @staticmethod
    def is_member(element, members, names):
        """`element` among the members' keys (party names are compared after normalisation)."""
        key = normalize_name(element) if names else element
        return any(key in keys for keys in members.values())

    # -- expressions (section 3) --

    def test(self, expr):
        """A condition: True, False or Unknown."""
        value = self.value(expr)
        if not (value is True or value is False or is_unknown(value)):
            raise Unsupported("a condition that is not boolean")
        return value

    def value(self, expr):
        for key in ("bool", "number", "string", "date", "enum"):
            if key in expr:
                return Fraction(expr[key]) if key == "number" else expr[key]
        if "fact" in expr and "op" not in expr:
            return self.fact(expr["fact"])
        if "define" in expr:
            return self.definition(expr["define"])
        if "parameter" in expr:
            return self.parameter(expr["parameter"])
        if "tier" in expr:
            return self.tier(expr["tier"])
        if "classified" in expr:
            return self.classified(expr["classified"])
        return OPERATORS[expr["op"]](self, expr)

    def op_not(self, expr):
        v = self.test(expr["args"][0])
        return v if is_unknown(v) else not v

    def op_neg(self, expr):
        v = self.value(expr["args"][0])
        return v if is_unknown(v) else -v

    def op_and(self, expr):
        a = self.test(expr["args"][0])
        if a is False:
            return False
        b = self.test(expr["args"][1])
        if b is False:
            return False
        return True if a is True and b is True else unknown_of(a, b)

    def op_or(self, expr):
        a = self.test(expr["args"][0])
        if a is True:
            return True
        b = self.test(expr["args"][1])
        if b is True:
            return True
        return False if a is False and b is False else unknown_of(a, b)

    def op_arith(self, expr):
        """Exact arithmetic; dividing by zero, or operands too large (section 8), give an unknown."""
        a, b = (self.value(x) for x in expr["args"])
        if is_unknown(a) or is_unknown(b):
            return unknown_of(a, b)
        op = expr["op"]
        if too_large(a, b) or (op == "/" and b == 0):
            return Unknown()
        return ARITHMETIC[op](a, b)

    def op_compare(self, expr):
        """A chain a op b op c is `a op b and b op c` (three-valued)."""
        values = [self.value(x) for x in expr["args"]]
        result = True
        for (a, b), op in zip(zip(values, values[1:]), expr["ops"]):
            if is_unknown(a) or is_unknown(b):
                result = unknown_of(result, a, b)
            elif not compare(op, a, b):
                return False
        return result

    def op_in(self, expr):
        element = self.value(expr["args"][0])
        if is_unknown(element):
            return element
        found = self.is_member(element, self.set_value(expr["args"][1]), False)
        return (not found) if expr["negated"] else found

    def op_matches(self, expr):
        element = self.value(expr["args"][0])
        if is_unknown(element):
            return element
        return self.is_member(element, self.set_value(expr["args"][1]), True)

    def op_starts_with(self, expr):
        """LANGUAGE.md section 3: a string starts with one of the prefixes in force; on an enumeration the
        compiled set already lists the codes that do."""
        element = self.value(expr["args"][0])
        if is_unknown(element):
            return element
        prefixes = self.set_value(expr["args"][1])
        if expr["args"][1].get("prefixes"):
            return any(element.startswith(p) for p in prefixes)
        return self.is_member(element, prefixes, False)

    def op_present(self, expr):
        present = self.present(expr["fact"])
        return (not present) if expr["negated"] else present

    def op_if(self, expr):
        c = self.test(expr["args"][0])
        if is_unknown(c):
            return c
        return self.value(expr["args"][1] if c else expr["args"][2])


ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def too_large(a, b):
    """More than 2^17 bits in the numerators and denominators of both operands together (section 8)."""
    def size(v):
        return max(abs(v.numerator).bit_length(), 1) + v.denominator.bit_length()
    return size(a) + size(b) > MAX_OPERAND_BITS


def later_or_same(date, than):
    """date >= than for event/step dates (None is -infinity)."""
    if than is None:
        return True
    return date is not None and date >= than


def compare(op, a, b):
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if isinstance(a, bool) or isinstance(b, bool):
        raise Unsupported("ordering of booleans")
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


OPERATORS = {
    "not": Evaluation.op_not, "neg": Evaluation.op_neg, "and": Evaluation.op_and, "or": Evaluation.op_or,
    "+": Evaluation.op_arith, "-": Evaluation.op_arith, "*": Evaluation.op_arith, "/": Evaluation.op_arith,
    "compare": Evaluation.op_compare, "in": Evaluation.op_in, "matches": Evaluation.op_matches,
    "starts_with": Evaluation.op_starts_with,
    "present": Evaluation.op_present, "if": Evaluation.op_if,
}


# ---- exemptions and the decision (sections 2.10, 5, 6) ----



def applicable_exemptions(ev, rule_name, applies):
    """The applying exemptions that act on the rule: those in force overriding it, and those overriding an
    applicable one (a narrower exception acts only through the exemption it narrows, 2.10)."""
    exemptions = ev.rules("exemption")
    applicable = []
    frontier = {rule_name}
    while frontier:
        new = [e["name"] for e in exemptions if e["name"] not in applicable and frontier & set(e["overrides"])
               and applies.get(e["name"], False)]
        applicable.extend(new)
        frontier = set(new)
    return applicable


def final_outcome(ev, rule, applies):
    """(outcome, winning exemptions) for a fired rule, or (None, conflicting exemptions) on a conflict.

    `applies` maps exemption name -> bool. The winners are the applicable exemptions that no other
    applicable one overrides; winners with different outcomes are a conflict.
    """
    applicable = applicable_exemptions(ev, rule["name"], applies)
    winners = [n for n in applicable
               if not any(n in ev.versions[o]["overrides"] for o in applicable if o != n)]
    if not winners:
        return rule["then"]["decide"], []
    outcomes = {ev.versions[n]["then"]["decide"] for n in winners}
    if len(outcomes) > 1:
        return None, sorted(winners)
    return outcomes.pop(), sorted(winners)


def decide(ev, fired, applies):
    """The decision for known statuses: (decision, deciding rules, winners per deciding rule)."""
    finals = {r["name"]: final_outcome(ev, r, applies) for r in fired}
    if any(outcome is None for outcome, _ in finals.values()):
        return INDETERMINATE, [], {}
    if not finals:
        return ev.ir["default"], [], {}
    decision = min((o for o, _ in finals.values()), key=ev.ir["outcomes"].index)
    deciding = sorted(n for n, (o, _) in finals.items() if o == decision)
    return decision, deciding, {n: finals[n][1] for n in deciding}


def completions(unknown_names):
    """Every way the unknown rules and exemptions could have come out."""
    if len(unknown_names) > MAX_UNKNOWN_STATUSES:
        raise Unsupported("too many unknown rules and exemptions")
    for bits in itertools.product((False, True), repeat=len(unknown_names)):
        yield dict(zip(unknown_names, bits))


def tried_exemptions(ev, rule_names):
    """The exemptions evaluated (2.10): those in force that override one of the rules, and those that
    override an evaluated exemption that applies or is unknown."""
    exemptions = ev.rules("exemption")
    tried = []
    frontier = set(rule_names)
    while frontier:
        new = [e["name"] for e in exemptions if e["name"] not in tried and frontier & set(e["overrides"])]
        tried.extend(new)
        frontier = {n for n in new if ev.condition(n) is not False}
    return sorted(tried)


def check_unknown_exemptions(ev, candidates):
    """Section 6 tries every combination of a rule's unknown exemptions up to 10; beyond, the model stops."""
    for rule in candidates:
        unknown = [n for n in tried_exemptions(ev, [rule["name"]]) if is_unknown(ev.condition(n))]
        if len(unknown) > MAX_UNKNOWN_EXEMPTIONS_PER_RULE:
            raise Unsupported(f"more than {MAX_UNKNOWN_EXEMPTIONS_PER_RULE} unknown exemptions of one rule")


def conflicts_of(ev, candidates, status):
    """Conflicts among the exemptions that certainly apply, for each rule that fired or may have fired."""
    applies = {n: s is True for n, s in status.items()}
    out = []
    for rule in candidates:
        outcome, exemptions = final_outcome(ev, rule, applies)
        if outcome is None:
            out.append({"rule": rule["name"], "exemptions": exemptions})
    return out


def evaluate(ir, facts, as_of, rules_as_of=None, quirks=frozenset()):
    """The result of one evaluation, as a dict with the fields of `edict eval --format json`."""
    try:
        ev = Evaluation(ir, facts, as_of, rules_as_of, quirks)
    except FactsError as e:
        return {"error": str(e)}
    decision_rules = [r for r in ev.rules("rule") if "decide" in (r["then"] or {})]
    status = {r["name"]: ev.condition(r["name"]) for r in ev.rules("rule")}
    candidates = [r for r in decision_rules if status[r["name"]] is not False]
    check_unknown_exemptions(ev, candidates)
    tried = tried_exemptions(ev, [r["name"] for r in candidates])
    status.update({e: ev.condition(e) for e in tried})
    unknown_names = sorted(n for n, s in status.items() if is_unknown(s))

    fired = [r for r in decision_rules if status[r["name"]] is True]
    decision, deciding, winners = decide(ev, fired, {n: s is True for n, s in status.items()})
    if possible_decisions(ev, decision_rules, status, unknown_names) != {decision}:
        decision, deciding, winners = INDETERMINATE, [], {}

    return {
        "decision": decision,
        "classifications": sorted({r["then"]["classify"] for r in ev.rules("rule")
                                   if "classify" in (r["then"] or {}) and status[r["name"]] is True}),
        "deciding_rules": deciding,
        "exemptions": sorted({e for names in winners.values() for e in names}),
        "reasons": reasons(ev, deciding, winners),
        "citations": citations(ev, deciding, winners),
        "indeterminate_facts": sorted({f for n in unknown_names for f in status[n].facts}),
        "indeterminate_rules": unknown_names,
        "conflicts": conflicts_of(ev, candidates, status),
        "warnings": len(undeclared_fields(facts, declared_paths(ir))),
    }


def possible_decisions(ev, decision_rules, status, unknown_names):
    """The decisions (or `indeterminate` for a conflict) of every way the unknown decision rules and tried
    exemptions could come out (section 6); classification rules act through `classified` only."""
    rule_names = {r["name"] for r in decision_rules}
    open_names = [n for n in unknown_names if n in rule_names or ev.versions[n]["kind"] == "exemption"]
    out = set()
    for guess in completions(open_names):
        known = {n: guess.get(n, status[n] is True) for n in status}
        out.add(decide(ev, [r for r in decision_rules if known[r["name"]]], known)[0])
    return out


def reasons(ev, deciding, winners):
    out = set()
    for name in deciding:
        sources = winners[name] or [name]
        out |= {ev.versions[s]["then"]["because"] for s in sources}
    return sorted(r for r in out if r)


def citations(ev, deciding, winners):
    out = set()
    for name in deciding:
        out.add(ev.versions[name]["citation"])
        out |= {ev.versions[s]["citation"] for s in winners[name]}
    return sorted(out)

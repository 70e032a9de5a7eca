"""Seeded generator of type-correct random Edict policies and facts (for the differential test, run.py).

A policy is kept as data (`Policy`: files of declarations, conditions as expression tuples) so that the
minimizer can drop parts of it and render it again. What it covers: numeric thresholds (and chains) whose
facts are drawn at, just below and just above each bound, exact ratios through definitions, dated groups
(members, add, remove, set algebra, name groups with aliases, string groups), dated parameters with `none`
steps, tiers, effective windows, classification levels (`classified`), decision rules, exemptions and
exemptions of exemptions, amendment files (amend rule / exemption / group / parameter, repeal, new rules)
with publication dates, optional facts with literal and fact defaults, and missing, null or ill-typed facts.
"""

import datetime
import random
from fractions import Fraction

# ---- expressions: tuples (kind, ...) ----
#   ("lit", text, type)          a literal as written: "5.92", "true", "\"x\"", "2024-01-01", "red"(enum)
#   ("ref", name, type)          a fact path, definition, parameter or tier
#   ("classified", label)
#   ("not", e) ("neg", e) ("and", a, b) ("or", a, b) ("arith", op, a, b) ("if", c, a, b)
#   ("cmp", [ops], [args])       a comparison chain
#   ("in", e, set, negated) ("matches", e, set) ("present", path, negated)
#   sets: ("group", name) ("setlit", [members]) ("setop", op, a, b)


def render(e):
    kind = e[0]
    if kind in ("lit", "ref"):
        return e[1]
    if kind == "classified":
        return f'classified "{e[1]}"'
    if kind == "not":
        return f"not ({render(e[1])})"
    if kind == "neg":
        return f"-({render(e[1])})"
    if kind in ("and", "or"):
        return f"({render(e[1])}) {kind} ({render(e[2])})"
    if kind == "arith":
        return f"({render(e[2])}) {e[1]} ({render(e[3])})"
    if kind == "if":
        return f"(if {render(e[1])} then {render(e[2])} else {render(e[3])})"
    if kind == "cmp":
        parts = [f"({render(e[2][0])})"]
        for op, arg in zip(e[1], e[2][1:]):
            parts += [op, f"({render(arg)})"]
        return " ".join(parts)
    if kind == "in":
        return f"({render(e[1])}) {'not in' if e[3] else 'in'} {render_set(e[2])}"
    if kind == "matches":
        return f"({render(e[1])}) matches {render_set(e[2])}"
    if kind == "present":
        return f"{e[1]} is {'absent' if e[2] else 'present'}"
    raise ValueError(kind)


def render_set(s):
    if s[0] == "group":
        return s[1]
    if s[0] == "setlit":
        return "{" + ", ".join(s[1]) + "}"
    return f"({render_set(s[2])}) {s[1]} ({render_set(s[3])})"


def walk(e):
    """Every subexpression of e (e first)."""
    yield e
    kind = e[0]
    if kind in ("not", "neg"):
        yield from walk(e[1])
    elif kind in ("and", "or"):
        yield from walk(e[1])
        yield from walk(e[2])
    elif kind == "arith":
        yield from walk(e[2])
        yield from walk(e[3])
    elif kind == "if":
        for x in e[1:]:
            yield from walk(x)
    elif kind == "cmp":
        for x in e[2]:
            yield from walk(x)
    elif kind in ("in", "matches"):
        yield from walk(e[1])


# ---- the policy as data ----

class Decl:
    """One declaration: `kind` and fields; `text()` renders it."""

    def __init__(self, kind, name, **fields):
        self.kind = kind
        self.name = name
        self.fields = fields

    def text(self):
        return RENDERERS[self.kind](self)

    def exprs(self):
        """The expressions of the declaration, as (key, index) slots for the minimizer."""
        f = self.fields
        if self.kind in ("define",):
            return [("value", None)]
        if self.kind in ("rule", "exemption", "amend") and f.get("when") is not None:
            return [("when", None)]
        if self.kind == "tier":
            return [("cases", i) for i in range(len(f["cases"]))]
        return []

    def get_expr(self, slot):
        key, index = slot
        return self.fields[key] if index is None else self.fields[key][index][1]

    def with_expr(self, slot, expr):
        key, index = slot
        fields = dict(self.fields)
        if index is None:
            fields[key] = expr
        else:
            cases = list(fields[key])
            cases[index] = (cases[index][0], expr)
            fields[key] = cases
        return Decl(self.kind, self.name, **fields)


def q(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_policy(d):
    f = d.fields
    return f"policy {q(d.name)}\n  outcomes {' > '.join(f['outcomes'])}\n  default {f['default']}\nend\n"


def render_enum(d):
    return f"enum {d.name} = {', '.join(d.fields['codes'])} end\n"


def render_fact(d):
    f = d.fields
    default = f" default {f['default']}" if f.get("default") else ""
    return f"fact {d.name} : {'optional ' if f['optional'] else ''}{f['type_text']}{default} {q('doc')}\n"


def render_define(d):
    return f"define {d.name} = {render(d.fields['value'])}\n"


def render_group_changes(changes):
    lines = []
    for kind, members, date in changes:
        lines.append(f"  {kind} {{{', '.join(members)}}}" + (f" from {date}" if date else "") + "\n")
    return "".join(lines)


def render_group(d):
    f = d.fields
    if f.get("definition") is not None:
        return f"group {d.name} : {f['element']} = {render_set(f['definition'])}\nend\n"
    return f"group {d.name} : {f['element']}\n{render_group_changes(f['changes'])}end\n"


def render_steps(steps):
    return "".join(f"  {value if value is not None else 'none'} from {date}\n" for value, date in steps)


def render_parameter(d):
    return f"parameter {d.name}\n{render_steps(d.fields['steps'])}end\n"


def render_tier(d):
    f = d.fields
    cases = "".join(f"  {q(label)} when {render(cond)}\n" for label, cond in f["cases"])
    return f"tier {d.name}\n{cases}  otherwise {q(f['otherwise'])}\nend\n"


def render_effective(window):
    if window is None:
        return ""
    start, until = window
    parts = (f" from {start}" if start else "") + (f" until {until}" if until else "")
    return f"  effective{parts}\n"


def render_then(then):
    if then is None:
        return ""
    if then[0] == "classify":
        return f"  then classify {q(then[1])}\n"
    reason = f" because {q(then[2])}" if then[2] else ""
    return f"  then {then[1]}{reason}\n"


def render_body(f):
    out = ""
    if f.get("title") is not None:
        out += f"  title {q(f['title'])}\n"
    if f.get("citation") is not None:
        out += f"  citation {q(f['citation'])}\n"
    if f.get("overrides"):
        out += f"  overrides {', '.join(f['overrides'])}\n"
    out += render_effective(f.get("effective"))
    if f.get("when") is not None:
        out += f"  when {render(f['when'])}\n"
    out += render_then(f.get("then"))
    return out


def render_entity(d):
    return f"{d.kind} {d.name}\n{render_body(d.fields)}end\n"


def render_amendment(d):
    return f"amendment {q(d.name)} published {d.fields['published']}\nend\n"


def render_amend(d):
    f = d.fields
    if f["target"] in ("rule", "exemption"):
        return f"amend {f['target']} {d.name}\n{render_body(f)}end\n"
    if f["target"] == "group":
        return f"amend group {d.name}\n{render_group_changes(f['changes'])}end\n"
    return f"amend parameter {d.name}\n{render_steps(f['steps'])}end\n"


def render_repeal(d):
    return f"repeal {d.fields['target']} {d.name}\n"


def render_use(d):
    return f"use {d.name}\n"


RENDERERS = {
    "policy": render_policy, "enum": render_enum, "fact": render_fact, "define": render_define,
    "group": render_group, "parameter": render_parameter, "tier": render_tier, "rule": render_entity,
    "exemption": render_entity, "amendment": render_amendment, "amend": render_amend, "repeal": render_repeal,
    "use": render_use,
}


class Policy:
    """Files (relative path -> list of Decl) plus what the facts generator needs to know."""

    def __init__(self, files, facts, constants, dates, names, codes, hot):
        self.codes, self.hot = codes, hot
        self.files = files
        self.facts = facts          # list of fact specs (dicts)
        self.constants = constants  # numeric literals used (Fractions)
        self.dates = dates          # the dates of the policy
        self.names = names          # party names of name groups

    def texts(self):
        return {path: "\n".join(d.text() for d in decls) for path, decls in self.files.items()}

    def write(self, directory):
        for path, text in self.texts().items():
            (directory / path).write_text(text)

    def replace(self, files=None, facts=None):
        return Policy(files if files is not None else self.files, facts if facts is not None else self.facts,
                      self.constants, self.dates, self.names, self.codes, self.hot)


# ---- generating a policy ----

ENUM_CODES = ["red", "green", "blue", "amber", "violet", "teal"]
LONG_ENUM_SIZES = [0, 0, 60, 130]  # codes added to the enumeration: membership sets of more than 64 bits
ONE_OF_VALUES = ["ic", "hbm", "computer"]
STRING_POOL = ["alpha", "beta", "gamma", "delta"]
NAME_POOL = [("Acme Widgets", ["Acme W"]), ("Borealis Trading", []), ("Cobalt Systems", ["Cobalt Sys", "CSX"]),
             ("Delta Forge", [])]
CMP_OPS = ["<", "<=", ">", ">=", "==", "!="]


def day(date, delta):
    d = datetime.date.fromisoformat(date) + datetime.timedelta(days=delta)
    return d.isoformat()


class Gen:
    """State of one policy being generated: the names declared so far, by type."""

    def __init__(self, rng):
        self.rng = rng
        self.codes = ENUM_CODES + [f"z{i:03d}" for i in range(rng.choice(LONG_ENUM_SIZES))]
        # the codes that groups, literals and most facts use
        self.hot = rng.sample(self.codes, min(8, len(self.codes)))
        self.dates = sorted({day("2022-01-01", rng.randrange(0, 1400)) for _ in range(rng.randint(3, 6))})
        self.constants = set()
        self.num_facts, self.bool_facts, self.enum_facts = [], [], []
        self.oneof_facts, self.string_facts, self.date_facts, self.name_facts = [], [], [], []
        self.all_facts = []
        self.num_defs, self.bool_defs = [], []   # (name, labels used)
        self.tiers = []                          # (name, labels, labels used)
        self.params = []
        self.date_params = []
        self.group_decls = []
        self.repealed = set()
        self.enum_groups, self.string_groups, self.name_groups = [], [], []
        self.labels = []                         # labels by level: label i is classified at level i
        self.outcomes = []
        self.counter = 0

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def chance(self, p):
        return self.rng.random() < p

    def date(self):
        return self.rng.choice(self.dates)

    # -- literals --

    def number_text(self):
        r = self.rng
        value = r.choice([
            Fraction(r.randint(0, 60)), Fraction(r.randint(0, 6000), 100), Fraction(r.randint(1, 9), 1000),
            Fraction(r.randint(100, 9000)), Fraction(r.choice([1, 3, 7]), 1)])
        self.constants.add(value)
        text = decimal_text(value)
        if value == int(value) and value >= 1000 and self.chance(0.2):
            text = f"{int(value):_}"
        elif value == int(value) and value % 100 == 0 and value > 0 and self.chance(0.2):
            text = f"{int(value) // 100}e2"
        return text

    # -- expressions, by type; `labels` are the classification labels this context may test --

    def num(self, depth, labels):
        r = self.rng
        options = ["fact"] * 4 + ["lit"] * 2
        if self.params:
            options += ["param"] * 2
        if self.usable(self.num_defs, labels):
            options += ["def"] * 2
        if depth > 0:
            options += ["arith"] * 2 + ["neg", "if"]
        pick = r.choice(options)
        if pick == "fact":
            return ("ref", r.choice(self.num_facts), "num")
        if pick == "lit":
            return ("lit", self.number_text(), "num")
        if pick == "param":
            return ("ref", r.choice(self.params), "num")
        if pick == "def":
            return ("ref", r.choice(self.usable(self.num_defs, labels)), "num")
        if pick == "neg":
            return ("neg", self.num(depth - 1, labels))
        if pick == "if":
            return ("if", self.cond(depth - 1, labels), self.num(depth - 1, labels), self.num(depth - 1, labels))
        op = r.choice(["+", "-", "*", "/", "/"])
        return ("arith", op, self.num(depth - 1, labels), self.num(depth - 1, labels))

    @staticmethod
    def usable(items, labels):
        return [name for name, used in items if used <= set(labels)]

    def threshold(self, labels):
        """A numeric comparison or chain against literals or parameters."""
        r = self.rng
        subject = self.num(r.choice([0, 0, 1]), labels)
        bound = lambda: ("ref", r.choice(self.params), "num") if self.params and self.chance(0.3) \
            else ("lit", self.number_text(), "num")
        if self.chance(0.2):
            ops = r.choice([["<=", "<"], ["<", "<="], [">=", ">"], ["<=", "<="], [">", ">="]])
            return ("cmp", ops, [bound(), subject, bound()])
        if self.chance(0.15):
            return ("cmp", [r.choice(CMP_OPS)], [subject, self.num(1, labels)])
        return ("cmp", [r.choice(CMP_OPS)], [subject, bound()])

    def enum_set(self):
        r = self.rng
        options = ["lit"] + ["group"] * (2 if self.enum_groups else 0)
        if self.chance(0.3) and self.enum_groups:
            return ("setop", r.choice(["union", "intersect", "except"]), self.enum_set(), self.enum_set())
        if r.choice(options) == "group":
            return ("group", r.choice(self.enum_groups))
        return ("setlit", r.sample(self.hot, r.randint(0, 3)))

    def equality(self, a, b):
        return ("cmp", [self.rng.choice(["==", "!="])], [a, b])

    def atom(self, labels):
        """One boolean test; the kinds weighted, and only those the policy has names for."""
        usable_tiers = [t for t in self.tiers if t[2] <= set(labels)]
        weights = {"threshold": 6, "bool": 2, "enum": 2, "oneof": 1, "string": 1, "date": 1, "present": 1,
                   "booldef": 1 if self.usable(self.bool_defs, labels) else 0, "tier": 2 if usable_tiers else 0,
                   "classified": 3 if labels else 0, "matches": 1 if self.name_groups else 0,
                   "stringin": 1 if self.string_groups else 0, "same": 1}
        pick = self.rng.choice([k for k, w in weights.items() for _ in range(w)])
        return getattr(self, "atom_" + pick)(labels)

    def atom_threshold(self, labels):
        return self.threshold(labels)

    def atom_bool(self, labels):
        fact = ("ref", self.rng.choice(self.bool_facts), "bool")
        literal = ("lit", self.rng.choice(["true", "false"]), "bool")
        return fact if self.chance(0.7) else self.equality(fact, literal)

    def atom_booldef(self, labels):
        return ("ref", self.rng.choice(self.usable(self.bool_defs, labels)), "bool")

    def atom_enum(self, labels):
        fact = ("ref", self.rng.choice(self.enum_facts), "enum")
        if self.chance(0.3):
            return self.equality(fact, ("lit", q(self.rng.choice(self.hot)), "enum"))
        return ("in", fact, self.enum_set(), self.chance(0.3))

    def atom_oneof(self, labels):
        fact = ("ref", self.rng.choice(self.oneof_facts), "oneof")
        return self.equality(fact, ("lit", q(self.rng.choice(ONE_OF_VALUES)), "oneof"))

    def atom_string(self, labels):
        fact = ("ref", self.rng.choice(self.string_facts), "str")
        return self.equality(fact, ("lit", q(self.rng.choice(STRING_POOL)), "str"))

    def atom_stringin(self, labels):
        fact = ("ref", self.rng.choice(self.string_facts), "str")
        return ("in", fact, ("group", self.rng.choice(self.string_groups)), self.chance(0.3))

    def atom_matches(self, labels):
        fact = ("ref", self.rng.choice(self.name_facts), "str")
        return ("matches", fact, ("group", self.rng.choice(self.name_groups)))

    def atom_date(self, labels):
        """A date fact against a date, or against a date parameter."""
        bound = ("lit", self.date(), "date")
        if self.date_params and self.chance(0.4):
            bound = ("ref", self.rng.choice(self.date_params), "date")
        return ("cmp", [self.rng.choice(CMP_OPS)], [("ref", self.rng.choice(self.date_facts), "date"), bound])

    def atom_same(self, labels):
        """Two facts of one type compared: enumeration codes, strings, dates or booleans."""
        typed = [(self.enum_facts, "enum"), (self.string_facts, "str"), (self.date_facts, "date"),
                 (self.bool_facts, "bool")]
        kinds = [(facts, t) for facts, t in typed if len(facts) > 1]
        if not kinds:
            return self.threshold(labels)
        facts, t = self.rng.choice(kinds)
        a, b = self.rng.sample(facts, 2)
        ops = CMP_OPS if t == "date" else ["==", "!="]
        return ("cmp", [self.rng.choice(ops)], [("ref", a, t), ("ref", b, t)])

    def atom_present(self, labels):
        return ("present", self.rng.choice(self.all_facts), self.chance(0.4))

    def atom_tier(self, labels):
        name, tier_labels, _ = self.rng.choice([t for t in self.tiers if t[2] <= set(labels)])
        return self.equality(("ref", name, "str"), ("lit", q(self.rng.choice(tier_labels)), "str"))

    def atom_classified(self, labels):
        return ("classified", self.rng.choice(labels))

    def cond(self, depth, labels):
        r = self.rng
        if depth <= 0 or self.chance(0.3):
            return self.atom(labels)
        pick = r.choice(["and", "and", "or", "or", "not", "if"])
        if pick == "not":
            return ("not", self.cond(depth - 1, labels))
        if pick == "if":
            return ("if", self.cond(depth - 1, labels), self.cond(depth - 1, labels), self.cond(depth - 1, labels))
        return (pick, self.cond(depth - 1, labels), self.cond(depth - 1, labels))


def decimal_text(value):
    """A Fraction with a finite decimal expansion as decimal text."""
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    value = abs(value)
    scale = 0
    while (value * 10 ** scale).denominator != 1:
        scale += 1
    digits = str((value * 10 ** scale).numerator).rjust(scale + 1, "0")
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"


# -- declarations --

FACT_KINDS = [("decimal", "num_facts"), ("integer", "num_facts"), ("bool", "bool_facts"), ("color", "enum_facts"),
              ("oneof", "oneof_facts"), ("string", "string_facts"), ("date", "date_facts"), ("name", "name_facts")]


def gen_facts(g):
    """Facts of every kind (at least one each), some nested, some optional with defaults."""
    decls, specs = [], []
    kinds = list(FACT_KINDS) + [g.rng.choice(FACT_KINDS[:4]) for _ in range(g.rng.randint(1, 4))]
    for kind, bucket in kinds:
        path = g.fresh(g.rng.choice(["p.", "q.", "", "x.y."]) + kind[:3])
        spec = {"path": path, "kind": kind, "optional": g.chance(0.3), "default": None}
        same = getattr(g, bucket)
        same_kind = [s for s in specs if s["kind"] == kind and s["default"] is None]
        if g.chance(0.25):
            if same_kind and g.chance(0.4):
                spec["default"] = same_kind[0]["path"]
            else:
                spec["default"] = default_literal(g, kind)
        type_text = {"decimal": "decimal", "integer": "integer", "bool": "bool", "color": "color",
                     "oneof": "one of " + ", ".join(q(v) for v in ONE_OF_VALUES), "string": "string",
                     "date": "date", "name": "string"}[kind]
        decls.append(Decl("fact", path, type_text=type_text, optional=spec["optional"], default=spec["default"]))
        specs.append(spec)
        same.append(path)
        g.all_facts.append(path)
    return decls, specs


def default_literal(g, kind):
    r = g.rng
    if kind in ("decimal", "integer"):
        return str(r.randint(0, 50)) if kind == "integer" else g.number_text()
    return {"bool": r.choice(["true", "false"]), "color": q(r.choice(g.hot)),
            "oneof": q(r.choice(ONE_OF_VALUES)), "string": q(r.choice(STRING_POOL)), "date": g.date(),
            "name": q(r.choice(NAME_POOL)[0])}[kind]


def group_changes(g, codes, first):
    """members / add / remove changes with dates; no member changes twice on one date within one list."""
    r = g.rng
    changes = [("members", r.sample(codes, r.randint(0, min(3, len(codes)))), None)] if first else []
    used = set()
    for _ in range(r.randint(0 if first else 1, 3)):
        date = g.date()
        members = [m for m in r.sample(codes, r.randint(1, min(2, len(codes)))) if (m, date) not in used]
        if not members:
            continue
        used |= {(m, date) for m in members}
        changes.append((r.choice(["add", "remove"]), members, date))
    return changes


def gen_groups(g):
    decls = []
    for _ in range(g.rng.randint(1, 3)):
        name = g.fresh("g")
        decls.append(Decl("group", name, element="color", changes=group_changes(g, g.hot, True)))
        g.enum_groups.append(name)
    if g.chance(0.5):
        name = g.fresh("ga")
        decls.append(Decl("group", name, element="color", definition=g.enum_set()))
        g.enum_groups.append(name)
    if g.chance(0.6):
        name = g.fresh("gn")
        picked = g.rng.sample(NAME_POOL, g.rng.randint(1, 3))
        members = [q(n) + "".join(f" aka {q(a)}" for a in aliases) for n, aliases in picked]
        changes = [("members", members, None)] + group_changes(g, [q(n) for n, _ in picked], False)
        decls.append(Decl("group", name, element="name", changes=changes))
        g.name_groups.append(name)
    if g.chance(0.5):
        name = g.fresh("gs")
        strings = [q(s) for s in STRING_POOL]
        decls.append(Decl("group", name, element="string", changes=group_changes(g, strings, True)))
        g.string_groups.append(name)
    return decls


def parameter_steps(g, first, kind="num"):
    """Dated steps in date order; the first step of a declaration has a value (it fixes the type)."""
    r = g.rng
    dates = sorted(r.sample(g.dates, r.randint(1, min(3, len(g.dates)))))
    value = g.number_text if kind == "num" else (lambda: day(g.date(), r.choice([-1, 0, 1])))
    return [(value() if (i == 0 and first) or g.chance(0.75) else None, d) for i, d in enumerate(dates)]


def gen_parameters(g):
    """Numeric parameters, and sometimes a date parameter (a cut-off date compared with date facts)."""
    decls = []
    for _ in range(g.rng.randint(0, 2)):
        name = g.fresh("prm")
        decls.append(Decl("parameter", name, steps=parameter_steps(g, True), value_kind="num"))
        g.params.append(name)
    if g.chance(0.3):
        name = g.fresh("pdate")
        decls.append(Decl("parameter", name, steps=parameter_steps(g, True, "date"), value_kind="date"))
        g.date_params.append(name)
    return decls


def labels_in(e):
    return {x[1] for x in walk(e) if x[0] == "classified"}


def gen_derived(g):
    """Definitions and tiers, each using only earlier ones; some test classifications."""
    makers = {"num": numeric_definition, "bool": boolean_definition, "tier": tier}
    decls = [power_definition(g)] if g.chance(0.2) else []
    return decls + [makers[g.rng.choice(list(makers))](g, g.labels[:g.rng.randint(0, len(g.labels))])
                    for _ in range(g.rng.randint(0, 4))]


def power_definition(g):
    """x * x * x * x: with a fact of thousands of digits this crosses the size limit of an arithmetic
    operation (2^17 bits, LANGUAGE.md section 8) at the third multiplication, near 10^9864."""
    name = g.fresh("dpow")
    x = ("ref", g.rng.choice(g.num_facts), "num")
    value = ("arith", "*", ("arith", "*", ("arith", "*", x, x), x), x)
    g.num_defs.append((name, set()))
    return Decl("define", name, value=value)


def labels_used(g, e):
    """The classification labels e tests, directly or through definitions and tiers."""
    return labels_in(e) | uses_of(g, e)


def numeric_definition(g, labels):
    name = g.fresh("dn")
    facts = g.num_facts
    ratio = ("arith", "/", ("ref", g.rng.choice(facts), "num"), ("ref", g.rng.choice(facts), "num"))
    value = g.num(2, labels) if g.chance(0.5) else ratio
    g.num_defs.append((name, labels_used(g, value)))
    return Decl("define", name, value=value)


def boolean_definition(g, labels):
    name = g.fresh("db")
    value = g.cond(2, labels)
    g.bool_defs.append((name, labels_used(g, value)))
    return Decl("define", name, value=value)


def tier(g, labels):
    """A tier of 1-3 cases (labels may repeat) and an otherwise label."""
    name = g.fresh("t")
    tier_labels = [f"t{i}" for i in range(g.rng.randint(2, 4))]
    cases = [(g.rng.choice(tier_labels[:-1]), g.cond(1, labels)) for _ in range(g.rng.randint(1, 3))]
    used = set().union(*(labels_used(g, c) for _, c in cases))
    g.tiers.append((name, sorted({label for label, _ in cases} | {tier_labels[-1]}), used))
    return Decl("tier", name, cases=cases, otherwise=tier_labels[-1])


def uses_of(g, e):
    """Labels used through the definitions and tiers that e refers to."""
    out = set()
    refs = {x[1] for x in walk(e) if x[0] == "ref"}
    for name, used in g.num_defs + g.bool_defs:
        if name in refs:
            out |= used
    for name, _, used in g.tiers:
        if name in refs:
            out |= used
    return out


def window(g):
    r = g.rng
    pick = r.random()
    if pick < 0.35:
        return None
    if pick < 0.6:
        return (g.date(), None)
    if pick < 0.75:
        return (None, g.date())
    a, b = sorted(r.sample(g.dates, 2)) if len(g.dates) >= 2 else (g.dates[0], None)
    return (a, b)


def decision_then(g):
    """("decide", outcome, reason); the reason is optional."""
    return ("decide", g.rng.choice(g.outcomes), g.fresh("because") if g.chance(0.7) else "")


def classification_rule(g, level):
    name = g.fresh("c")
    return Decl("rule", name, title=name, citation=g.fresh("cite"), effective=window(g),
                when=g.cond(2, g.labels[:level]), then=("classify", g.labels[level]), level=level)


def decision_rule(g):
    name = g.fresh("r")
    return Decl("rule", name, title=name, citation=g.fresh("cite"), effective=window(g),
                when=g.cond(2, g.labels), then=decision_then(g), level=None)


def exemption(g, targets):
    name = g.fresh("x")
    overrides = g.rng.sample(targets, g.rng.randint(1, min(2, len(targets))))
    return Decl("exemption", name, title=name, citation=g.fresh("cite"), effective=window(g),
                when=g.cond(2, g.labels), then=decision_then(g), overrides=overrides)


def gen_entities(g):
    decls = []
    for level in range(len(g.labels)):
        decls += [classification_rule(g, level) for _ in range(g.rng.randint(1, 2))]
    decision_rules = [decision_rule(g) for _ in range(g.rng.randint(1, 4))]
    decls += decision_rules
    targets = [d.name for d in decision_rules]
    for _ in range(g.rng.randint(0, 4)):
        x = exemption(g, targets)
        decls.append(x)
        targets.append(x.name)  # later exemptions may override earlier ones (never a cycle)
    return decls


def gen_amendment(g, index, base, published):
    """An amendment file: changes to rules, exemptions, groups and parameters, repeals, a new rule."""
    r = g.rng
    decls = [Decl("amendment", f"Amendment {index}", published=published)]
    entities = [d for d in base if d.kind in ("rule", "exemption") and d.name not in g.repealed]
    for _ in range(r.randint(1, 4)):
        pick = r.choice(["amend"] * 4 + ["repeal", "new", "group", "parameter"])
        if pick in ("amend", "repeal") and entities:
            target = r.choice(entities)
            if pick == "repeal":
                decls.append(Decl("repeal", target.name, target=target.kind))
                g.repealed.add(target.name)
                entities.remove(target)
            else:
                decls.append(amend_entity(g, target, base))
        elif pick == "new":
            decls.append(decision_rule(g))  # never amended (a later file may be published on the same day)
        elif pick == "group":
            decls += amend_group(g, base)
        elif pick == "parameter" and (g.params or g.date_params):
            name = r.choice(g.params + g.date_params)
            kind = "num" if name in g.params else "date"
            steps = parameter_steps(g, False, kind)
            decls.append(Decl("amend", name, target="parameter", steps=steps, value_kind=kind))
    return decls


def amend_group(g, base):
    """`amend group`: dated changes to a group of codes, or of party names."""
    plain = [d for d in g.group_decls if d.fields.get("definition") is None and d.fields["element"] != "string"]
    if not plain:
        return []
    group = g.rng.choice(plain)
    members = g.hot if group.fields["element"] == "color" else [q(n) for n, _ in NAME_POOL]
    return [Decl("amend", group.name, target="group", changes=group_changes(g, members, False))]


def amend_entity(g, target, base):
    """`amend rule|exemption`: some clauses replaced, the others kept."""
    r = g.rng
    f = target.fields
    fields = {"target": target.kind}
    if g.chance(0.4):
        fields["title"] = g.fresh("amended")
    if g.chance(0.3):
        fields["citation"] = g.fresh("cite")
    if g.chance(0.5):
        fields["effective"] = window(g) or (g.date(), None)
    level = f.get("level")
    labels = g.labels if level is None else g.labels[:level]
    if g.chance(0.5):
        fields["when"] = g.cond(2, labels)
    if g.chance(0.3):
        fields["then"] = ("classify", f["then"][1]) if level is not None else decision_then(g)
    if target.kind == "exemption" and g.chance(0.3):
        earlier = [d.name for d in base if d.kind == "rule" and d.fields.get("level") is None]
        earlier += [d.name for d in base if d.kind == "exemption" and base.index(d) < base.index(target)]
        fields["overrides"] = r.sample(earlier, r.randint(1, min(2, len(earlier))))
    if len(fields) == 1:
        fields["when"] = g.cond(2, labels)
    return Decl("amend", target.name, **fields)


def amendment_paths(rng, published):
    """File names for amendments generated in publication order: in random path order, except that files
    published on the same day sort by path in generation order (LANGUAGE.md 2.11: ties by file path)."""
    names = rng.sample(["a", "k", "m", "x", "z"], len(published))
    for date in set(published):
        same = [i for i, d in enumerate(published) if d == date]
        for i, name in zip(same, sorted(names[i] for i in same)):
            names[i] = name
    return [f"{name}_amendment.edict" for name in names]


def gen_policy(rng):
    g = Gen(rng)
    g.outcomes = [f"o{i}" for i in range(rng.randint(2, 4))]
    g.labels = [f"L{i}" for i in range(rng.randint(0, 3))]
    header = Decl("policy", "generated", outcomes=g.outcomes, default=rng.choice(g.outcomes))
    colors = Decl("enum", "color", codes=g.codes)
    fact_decls, fact_specs = gen_facts(g)
    g.group_decls = gen_groups(g)
    base = [header, colors] + fact_decls + g.group_decls + gen_parameters(g) + gen_derived(g)
    entities = gen_entities(g)
    files = {"base.edict": base + entities}
    count = rng.choice([0, 0, 1, 1, 2, 3])
    published = sorted(g.date() if g.chance(0.8) else day(g.date(), rng.choice([-1, 1])) for _ in range(count))
    for i, (date, path) in enumerate(zip(published, amendment_paths(rng, published))):
        files[path] = gen_amendment(g, i + 1, entities, date)
    names = [n for n, aliases in NAME_POOL] + [a for _, aliases in NAME_POOL for a in aliases]
    return Policy(files, fact_specs, sorted(g.constants), g.dates, names, g.codes, g.hot)


# ---- generating facts ----

def near(rng, value):
    """A number at, just below or just above a bound."""
    delta = rng.choice([0, 0, 0, 1, -1, Fraction(1, 100), Fraction(-1, 100), Fraction(1, 1000),
                        Fraction(-1, 1000)])
    return value + delta


def fact_number(rng, policy, integer):
    if policy.constants and rng.random() < 0.75:
        value = near(rng, rng.choice(policy.constants))
    else:
        value = Fraction(rng.choice([0, 0, 1, 2, 5, 10, 100, 1600, 4800, rng.randint(-50, 9999)]))
    if rng.random() < 0.15:
        value = -value
    if integer:
        value = Fraction(round(value))
    return value


def huge_number(rng):
    """A number of thousands of digits, in exponent form (exact: 10^k has about 3.3k bits), so that a few
    operations exceed the size limit of an arithmetic operation (LANGUAGE.md section 8); exponents near
    9864 put x * x * x * x at the limit."""
    sign = rng.choice(["", "-"])
    exponent = rng.randint(9850, 9880) if rng.random() < 0.5 else rng.randint(2000, 10000)
    return f"{sign}{rng.choice(['1', '7.5', '3'])}e{rng.choice(['', '', '-'])}{exponent}"


def number_json(rng, value):
    """Exact JSON number text, sometimes in exponent form or with trailing zeros."""
    text = decimal_text(value)
    if value.denominator == 1 and value != 0 and rng.random() < 0.1:
        return f"{value.numerator * 10}e-1" if rng.random() < 0.5 else f"{value.numerator}.0"
    return text


def fact_value(rng, policy, spec):
    """JSON text of a well-typed value for the fact."""
    kind = spec["kind"]
    if kind in ("decimal", "integer"):
        if rng.random() < 0.03:
            return huge_number(rng)
        return number_json(rng, fact_number(rng, policy, kind == "integer"))
    if kind == "bool":
        return rng.choice(["true", "false"])
    if kind == "color":
        return q(rng.choice(policy.hot if rng.random() < 0.9 else policy.codes))
    if kind == "oneof":
        return q(rng.choice(ONE_OF_VALUES))
    if kind == "string":
        return q(rng.choice(STRING_POOL + ["zeta"]))
    if kind == "date":
        return q(day(rng.choice(policy.dates), rng.choice([-1, 0, 0, 1])))
    return q(name_variant(rng, rng.choice(policy.names + ["Unknown Party"])))


def name_variant(rng, name):
    pick = rng.random()
    if pick < 0.4:
        return name
    if pick < 0.6:
        return name.upper()
    if pick < 0.8:
        return name + rng.choice([" Inc.", ", Ltd.", " Co."])
    return name.replace(" ", "-").lower()


def bad_value(rng, spec):
    """A value the schema refuses (wrong type, unknown code, impossible date, non-integral integer)."""
    kind = spec["kind"]
    if kind == "integer":
        return rng.choice(["2.5", '"3"'])
    if kind == "color":
        return rng.choice(['"purple"', "3"])
    if kind == "date":
        return rng.choice(['"2023-02-30"', '"2023-1-01"'])
    if kind == "decimal":
        return rng.choice(['"12"', "true"])
    return rng.choice(["17", "[1]"])


def gen_facts_tree(rng, policy):
    """Facts as a nested dict of JSON value texts: most given, some missing, some null, rarely a bad one."""
    tree = {}
    for spec in policy.facts:
        pick = rng.random()
        if pick < 0.15:
            continue  # missing
        if pick < 0.2:
            value = "null" if spec["optional"] or rng.random() < 0.05 else fact_value(rng, policy, spec)
        elif pick < 0.203:
            value = bad_value(rng, spec)
        else:
            value = fact_value(rng, policy, spec)
        insert(tree, spec["path"].split("."), value)
    if rng.random() < 0.05:
        insert(tree, ["extra", "unused"], "1")
    return tree


def insert(tree, parts, value):
    for part in parts[:-1]:
        tree = tree.setdefault(part, {})
    tree[parts[-1]] = value


def tree_json(tree):
    return "{" + ",".join(f"{q(k)}:{tree_json(v) if isinstance(v, dict) else v}" for k, v in tree.items()) + "}"


def gen_case(rng, policy):
    """(facts tree, as_of, rules_as_of or None); tree_json(tree) is the facts JSON text."""
    as_of = day(rng.choice(policy.dates), rng.choice([-1, 0, 0, 1]))
    rules_as_of = None
    if rng.random() < 0.4:
        rules_as_of = day(rng.choice(policy.dates), rng.choice([-1, 0, 0, 1]))
    return gen_facts_tree(rng, policy), as_of, rules_as_of

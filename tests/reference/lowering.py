"""Second oracle: what the compiled program must contain, computed from the generated policy itself.

The model (model.py) evaluates the IR that edict compiled, so a parser or checker mistake (a wrong
precedence, a misread literal, an amendment applied wrongly) would reach both evaluators alike. This file
derives the expected IR from the generator's own data, following LANGUAGE.md sections 2.4-2.11 (defaults,
groups, parameters, tiers, rules; amendments applied in publication order, ties by file path; `amend`
replaces the clauses it lists and keeps the others; `repeal` ends the rule), and compares it with the dump.
"""

from fractions import Fraction

import generate


def exact(value):
    """The dump's number text: the shortest decimal, or "n/d" when there is none."""
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    return generate.decimal_text(value)


def number(text):
    return Fraction(text.replace("_", ""))


class Names:
    """What each name of the generated policy is: a fact, definition, parameter or tier."""

    def __init__(self, policy):
        self.kind = {}
        for decls in policy.files.values():
            for d in decls:
                if d.kind == "fact":
                    self.kind[d.name] = "fact"
                elif d.kind == "define":
                    self.kind[d.name] = "define"
                elif d.kind == "parameter":
                    self.kind[d.name] = "parameter"
                elif d.kind == "tier":
                    self.kind[d.name] = "tier"


# ---- expressions: generator tuples to the dump's trees ----

def literal(text, kind):
    if kind == "num":
        return {"number": exact(number(text))}
    if kind == "bool":
        return {"bool": text == "true"}
    if kind == "date":
        return {"date": text}
    if kind in ("enum", "oneof"):
        return {"enum": text.strip('"')}
    return {"string": text[1:-1]}


def expr(e, names):
    kind = e[0]
    if kind == "lit":
        return literal(e[1], e[2])
    if kind == "ref":
        return {names.kind[e[1]]: e[1]}
    if kind == "classified":
        return {"classified": e[1]}
    if kind in ("not", "neg"):
        return {"op": kind, "args": [expr(e[1], names)]}
    if kind in ("and", "or"):
        return {"op": kind, "args": [expr(e[1], names), expr(e[2], names)]}
    if kind == "arith":
        return {"op": e[1], "args": [expr(e[2], names), expr(e[3], names)]}
    if kind == "if":
        return {"op": "if", "args": [expr(x, names) for x in e[1:]]}
    if kind == "cmp":
        return {"op": "compare", "ops": list(e[1]), "args": [expr(x, names) for x in e[2]]}
    if kind == "in":
        return {"op": "in", "negated": e[3], "args": [expr(e[1], names), set_expr(e[2])]}
    if kind == "matches":
        return {"op": "matches", "args": [expr(e[1], names), set_expr(e[2])]}
    if kind == "present":
        return {"op": "present", "negated": e[2], "fact": e[1]}
    raise ValueError(kind)


def set_expr(s):
    if s[0] == "group":
        return {"group": s[1]}
    if s[0] == "setlit":
        return {"literal": sorted(s[1])}
    return {"op": s[1], "args": [set_expr(s[2]), set_expr(s[3])]}


def normalise_dumped(e):
    """The dump's tree in the comparable shape: enum literals without their type, set literals as the
    sorted member codes (a literal is always a member)."""
    if isinstance(e, list):
        return [normalise_dumped(x) for x in e]
    if not isinstance(e, dict):
        return e
    if "enum" in e:
        return {"enum": e["enum"]}
    if e.get("literal"):
        return {"literal": sorted(m["member"] for m in e["members"])}
    return {k: normalise_dumped(v) for k, v in e.items()}


# ---- rules and exemptions: versions after the amendments ----

def amendment_files(policy):
    """(published, path, declarations) of the amendment files in publication order (ties: by path)."""
    out = []
    for path, decls in policy.files.items():
        if decls and decls[0].kind == "amendment":
            out.append((decls[0].fields["published"], path, decls[1:]))
    return sorted(out, key=lambda a: (a[0], a[1]))


def version_of(fields, names, rulebook_from):
    effective = fields.get("effective") or (None, None)
    then = fields["then"]
    out = {"rulebook": {"from": rulebook_from, "until": None},
           "effective": {"from": effective[0], "until": effective[1]},
           "title": fields["title"], "citation": fields["citation"],
           "then": {"classify": then[1]} if then[0] == "classify" else {"decide": then[1], "because": then[2]},
           "when": expr(fields["when"], names)}
    if fields.get("overrides") is not None:
        out["overrides"] = list(fields["overrides"])
    return out


def amended(version, fields, names, published):
    """A new version: the clauses the amendment lists replace the old ones (`effective` as a whole)."""
    new = dict(version, rulebook={"from": published, "until": None})
    for key in ("title", "citation"):
        if fields.get(key) is not None:
            new[key] = fields[key]
    if "effective" in fields:
        window = fields["effective"] or (None, None)
        new["effective"] = {"from": window[0], "until": window[1]}
    if fields.get("when") is not None:
        new["when"] = expr(fields["when"], names)
    if fields.get("then") is not None:
        then = fields["then"]
        new["then"] = {"classify": then[1]} if then[0] == "classify" else {"decide": then[1], "because": then[2]}
    if fields.get("overrides"):
        new["overrides"] = list(fields["overrides"])
    return new


def expected_entities(policy, names):
    versions = {}
    for d in policy.files["base.edict"]:
        if d.kind in ("rule", "exemption"):
            versions[d.name] = [version_of(d.fields, names, None)]
    for published, _, decls in amendment_files(policy):
        for d in decls:
            if d.kind in ("rule", "exemption"):
                versions[d.name] = [version_of(d.fields, names, published)]
            elif d.kind == "amend" and d.fields["target"] in ("rule", "exemption"):
                versions[d.name][-1]["rulebook"]["until"] = published
                versions[d.name].append(amended(versions[d.name][-1], d.fields, names, published))
            elif d.kind == "repeal":
                versions[d.name][-1]["rulebook"]["until"] = published
    return versions


def dumped_entities(ir):
    keys = ("rulebook", "effective", "title", "citation", "then", "when", "overrides")
    return {e["name"]: [{k: normalise_dumped(v[k]) for k in keys if k in v} for v in e["versions"]]
            for e in ir["rules"]}


# ---- groups and parameters: dated changes in application order ----

def plain_member(member):
    """A member as written (`"Acme Widgets" aka "Acme W"`) to its dumped name (`Acme Widgets`)."""
    return member.split(" aka ")[0].strip('"')


def add_changes(events, changes, rulebook_from):
    for kind, members, date in changes:
        for m in members:
            events.setdefault(plain_member(m), []).append(
                {"rulebook_from": rulebook_from, "from": date, "add": kind != "remove"})


def expected_groups(policy, names):
    groups = {}
    for d in policy.files["base.edict"]:
        if d.kind == "group":
            if d.fields.get("definition") is not None:
                groups[d.name] = {"definition": set_expr(d.fields["definition"])}
            else:
                groups[d.name] = {}
                add_changes(groups[d.name], d.fields["changes"], None)
    for published, _, decls in amendment_files(policy):
        for d in decls:
            if d.kind == "amend" and d.fields["target"] == "group":
                add_changes(groups[d.name], d.fields["changes"], published)
    return groups


def dumped_groups(ir):
    out = {}
    for g in ir["groups"]:
        if "definition" in g:
            out[g["name"]] = {"definition": normalise_dumped(g["definition"])}
        else:
            out[g["name"]] = {m["member"]: m["events"] for m in g["members"]}
    return out


def steps_of(decl, rulebook_from):
    return [{"rulebook_from": rulebook_from, "rulebook_until": None, "from": date,
             "value": None if value is None else literal(value, decl.fields["value_kind"])}
            for value, date in decl.fields["steps"]]


def expected_parameters(policy):
    params = {d.name: steps_of(d, None) for d in policy.files["base.edict"] if d.kind == "parameter"}
    for published, _, decls in amendment_files(policy):
        for d in decls:
            if d.kind == "amend" and d.fields["target"] == "parameter":
                params[d.name] += steps_of(d, published)
    return params


# ---- facts, definitions, tiers ----

def default_of(spec, names):
    default = spec["default"]
    if default is None:
        return None
    if default in names.kind:
        return {"fact": default}
    kind = {"decimal": "num", "integer": "num", "bool": "bool", "date": "date", "color": "enum",
            "oneof": "oneof"}.get(spec["kind"], "str")
    return literal(default, kind)


def expected_facts(policy, names):
    return {s["path"]: {"integer": s["kind"] == "integer", "optional": s["optional"],
                        "default": default_of(s, names)} for s in policy.facts}


def dumped_facts(ir):
    return {f["path"]: {"integer": f["integer"], "optional": f["optional"],
                        "default": normalise_dumped(f["default"])} for f in ir["facts"]}


def expected_derived(policy, names):
    out = {}
    for d in policy.files["base.edict"]:
        if d.kind == "define":
            out[d.name] = expr(d.fields["value"], names)
        elif d.kind == "tier":
            out[d.name] = {"cases": [{"label": label, "when": expr(c, names)} for label, c in d.fields["cases"]],
                           "otherwise": d.fields["otherwise"]}
    return out


def dumped_derived(ir):
    out = {d["name"]: normalise_dumped(d["value"]) for d in ir["definitions"]}
    for t in ir["tiers"]:
        out[t["name"]] = {"cases": normalise_dumped(t["cases"]), "otherwise": t["otherwise"]}
    return out


# ---- the comparison ----

def differences(policy, ir):
    """[(section, name, expected, dumped)] where the dump differs from what the policy text says."""
    names = Names(policy)
    sections = [
        ("rule", expected_entities(policy, names), dumped_entities(ir)),
        ("group", expected_groups(policy, names), dumped_groups(ir)),
        ("parameter", expected_parameters(policy), {p["name"]: p["steps"] for p in ir["parameters"]}),
        ("fact", expected_facts(policy, names), dumped_facts(ir)),
        ("derived", expected_derived(policy, names), dumped_derived(ir)),
    ]
    out = []
    for section, expected, dumped in sections:
        for name in sorted(set(expected) | set(dumped)):
            if expected.get(name) != dumped.get(name):
                out.append((section, name, expected.get(name), dumped.get(name)))
    if ir["outcomes"] != policy.files["base.edict"][0].fields["outcomes"]:
        out.append(("policy", "outcomes", policy.files["base.edict"][0].fields["outcomes"], ir["outcomes"]))
    return out

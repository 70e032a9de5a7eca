"""Greedy minimisation of a mismatching (policy, case): drop files, declarations, clauses, subexpressions and
facts while the mismatch persists (delta debugging, one piece at a time)."""

import generate

TRUE = ("lit", "true", "bool")
FALSE = ("lit", "false", "bool")
SKIP_KINDS = {"policy", "enum", "amendment"}
SET_KINDS = {"group", "setlit", "setop"}


# ---- expression terms ----

def is_term(x):
    return isinstance(x, tuple) and bool(x) and isinstance(x[0], str)


def subterms(e, path=()):
    """(path, term) for e and every term below it; a path indexes tuples and, for lists, a second index."""
    yield path, e
    for i, x in enumerate(e):
        if is_term(x) and i > 0:
            yield from subterms(x, path + (i,))
        elif isinstance(x, list):
            for j, y in enumerate(x):
                if is_term(y):
                    yield from subterms(y, path + (i, j))


def replace_at(e, path, new):
    if not path:
        return new
    items = list(e)
    if isinstance(items[path[0]], list):
        inner = list(items[path[0]])
        inner[path[1]] = replace_at(inner[path[1]], path[2:], new)
        items[path[0]] = inner
    else:
        items[path[0]] = replace_at(items[path[0]], path[1:], new)
    return tuple(items)


def simpler_terms(term):
    """Replacements for one term: constants, its own subterms (sets by sets), a chain cut to one comparison."""
    is_set = term[0] in SET_KINDS
    out = [] if term in (TRUE, FALSE) or is_set else [TRUE, FALSE]
    out += [t for p, t in subterms(term) if p and len(p) <= 2 and (t[0] in SET_KINDS) == is_set]
    if term[0] == "cmp" and len(term[2]) > 2:
        out += [("cmp", term[1][:1], term[2][:2]), ("cmp", term[1][1:], term[2][1:])]
    return out


def expression_variants(decl):
    for slot in decl.exprs():
        expr = decl.get_expr(slot)
        for path, term in list(subterms(expr)):
            for new in simpler_terms(term):
                yield decl.with_expr(slot, replace_at(expr, path, new))


# ---- declarations ----

def with_field(decl, key, value):
    fields = dict(decl.fields)
    fields[key] = value
    return generate.Decl(decl.kind, decl.name, **fields)


def list_variants(decl, key):
    """The declaration with one item of the list field `key` dropped (keeping at least one)."""
    items = decl.fields.get(key) or []
    for i in range(len(items)):
        if len(items) > 1 or key == "changes":
            yield with_field(decl, key, items[:i] + items[i + 1:])


def decl_variants(decl):
    if decl.fields.get("effective") is not None:
        yield with_field(decl, "effective", None)
    for key in ("overrides", "changes", "steps", "cases"):
        yield from list_variants(decl, key)
    then = decl.fields.get("then")
    if then and then[0] == "decide" and then[2]:
        yield with_field(decl, "then", (then[0], then[1], ""))
    yield from expression_variants(decl)


def shorter_enum(decl):
    """The enumeration cut to its first six codes (the long ones only exercise wide membership sets)."""
    if decl.kind == "enum" and len(decl.fields["codes"]) > len(generate.ENUM_CODES):
        yield with_field(decl, "codes", decl.fields["codes"][:len(generate.ENUM_CODES)])


def policy_variants(policy):
    files = policy.files
    for path, decls in files.items():
        for i, decl in enumerate(decls):
            for variant in shorter_enum(decl):
                yield policy.replace(files=dict(files, **{path: decls[:i] + [variant] + decls[i + 1:]}))
    for path in files:
        if path != "base.edict":
            yield policy.replace(files={p: d for p, d in files.items() if p != path})
    for path, decls in files.items():
        for i, decl in enumerate(decls):
            if decl.kind not in SKIP_KINDS:
                yield policy.replace(files=dict(files, **{path: decls[:i] + decls[i + 1:]}))
    for path, decls in files.items():
        for i, decl in enumerate(decls):
            if decl.kind not in SKIP_KINDS:
                for variant in decl_variants(decl):
                    yield policy.replace(files=dict(files, **{path: decls[:i] + [variant] + decls[i + 1:]}))


# ---- facts ----

def leaves(tree, prefix=()):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, prefix + (key,))
        else:
            yield prefix + (key,)


def without(tree, path):
    out = dict(tree)
    if len(path) == 1:
        del out[path[0]]
    else:
        out[path[0]] = without(out[path[0]], path[1:])
        if not out[path[0]]:
            del out[path[0]]
    return out


def case_variants(case):
    tree, as_of, rules_as_of = case
    if rules_as_of is not None:
        yield tree, as_of, None
    for path in list(leaves(tree)):
        yield without(tree, path), as_of, rules_as_of


# ---- the loop ----

def minimize(policy, case, still_fails, log=lambda msg: None):
    """The smallest (policy, case) found for which still_fails(policy, case) holds."""
    changed = True
    rounds = 0
    while changed:
        changed = False
        rounds += 1
        for candidate in case_variants(case):
            if still_fails(policy, candidate):
                case, changed = candidate, True
                break
        if changed:
            continue
        for candidate in policy_variants(policy):
            if still_fails(candidate, case):
                policy, changed = candidate, True
                break
        log(f"round {rounds}: {sum(len(d) for d in policy.files.values())} declarations")
    return policy, case

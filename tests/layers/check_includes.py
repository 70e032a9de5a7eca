#!/usr/bin/env python3
"""Fails on any include that points up or sideways between the interpreter's layers.

Usage: check_includes.py REPOSITORY_ROOT            check the tree
       check_includes.py --self-test REPOSITORY_ROOT   plant wrong-way includes in a copy; each must be found

The layers and the public headers' owners are read from interp/layers.txt (the same table CMakeLists.txt
builds the per-layer libraries from). Every quoted include of every .cpp/.hpp/.c/.h under interp/ and grammar/ is
resolved the way the build resolves it (own directory first, then the include roots) and must land in the
including file's own layer or in a layer below it. Each offence is printed as file:line: what and why.
"""
import pathlib
import re
import sys

SOURCE_SUFFIXES = (".cpp", ".hpp", ".c", ".h")  # C++ and C (the C ABI, edict/edict.h)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)
PUBLIC = "edict"  # the pseudo-layer of the public API (interp/include/edict)


def read_table(path):
    layers, headers = {}, {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, rest = line.partition(":")
        if not sep:
            sys.exit(f"{path}:{number}: expected 'layer: lower layers' or 'header NAME: layer'")
        if name.startswith("header "):
            headers[name.split()[1]] = rest.strip()
        else:
            layers[name.strip()] = rest.split()
    for owner in headers.values():
        if owner not in layers:
            sys.exit(f"{path}: a header belongs to unknown layer '{owner}'")
    for name, below in layers.items():
        for lower in below:
            if lower not in layers or list(layers).index(lower) >= list(layers).index(name):
                sys.exit(f"{path}: layer '{name}' builds on '{lower}', which is not a layer listed above it")
    return layers, headers


def reachable(layers, name):
    """The layers `name` may include: itself and everything below it. The public API stops the walk."""
    seen, todo = {name}, list(layers[name])
    while todo:
        lower = todo.pop()
        if lower not in seen:
            seen.add(lower)
            if lower != PUBLIC:
                todo.extend(layers[lower])
    return seen


def layer_of(path, root):
    relative = path.relative_to(root).parts
    if relative[0] == "grammar":
        return "grammar"
    if relative[1] == "include":
        return None  # a public header: its layer comes from the table
    return relative[1]


def target_of(include, including, root, headers):
    """(layer, public header name or None) that an include resolves to, or None if it is not ours."""
    beside = including.parent / include
    if beside.exists():
        if including.parent.name == PUBLIC:
            return headers.get(include, "?"), include
        return layer_of(beside.resolve(), root), None
    if include.startswith(PUBLIC + "/"):
        name = include[len(PUBLIC) + 1:]
        return headers.get(name, "?"), name
    first = include.split("/", 1)[0]
    if "/" in include and (root / "interp" / first).is_dir():
        return first, None
    if (root / "grammar" / include).exists():
        return "grammar", None
    return None


PLANTED = {  # file -> a wrong-way include: up, sideways, a public header from above, up from a public header,
           # up from a C file and from a C header
    "interp/ir/planted.cpp": '#include "eval/value.hpp"',
    "interp/diff/planted.cpp": '#include "coverage/coverage.hpp"',
    "interp/core/planted.cpp": '#include "edict/policy.hpp"',
    "interp/include/edict/result.hpp": '#include "policy.hpp"',
    "interp/ir/planted.c": '#include "eval/value.hpp"',  # C files are checked too
    "interp/include/edict/export.h": '#include "edict/policy.hpp"',  # and C headers
}


def self_test(root):
    import shutil
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        copy = pathlib.Path(scratch)
        for folder in ("interp", "grammar"):
            shutil.copytree(root / folder, copy / folder)
        if check(copy, quiet=True):
            print("self-test: the unchanged copy already has offences")
            return 1
        for name, line in PLANTED.items():
            path = copy / name
            path.write_text(line + "\n" + (path.read_text() if path.exists() else ""))
        found = check(copy, quiet=True)
        missed = [name for name in PLANTED if not any(o.startswith(name + ":1:") for o in found)]
        for name in missed:
            print(f"self-test: the planted include in {name} was not reported")
        print(f"self-test: {len(PLANTED) - len(missed)} of {len(PLANTED)} planted includes reported")
        return 1 if missed else 0


def main():
    if sys.argv[1] == "--self-test":
        return self_test(pathlib.Path(sys.argv[2]).resolve())
    offences = check(pathlib.Path(sys.argv[1]).resolve())
    return 1 if offences else 0


def check(root, quiet=False):
    layers, headers = read_table(root / "interp" / "layers.txt")
    offences = []
    files = sorted(p for d in ("interp", "grammar") for p in (root / d).rglob("*") if p.suffix in SOURCE_SUFFIXES)
    for path in files:
        owner = layer_of(path, root)
        if owner is None:
            owner = headers.get(path.name)
            if owner is None:
                offences.append(f"{path.relative_to(root)}: a public header that interp/layers.txt does not list")
                continue
        if owner not in layers:
            offences.append(f"{path.relative_to(root)}: folder '{owner}' is not a layer of interp/layers.txt")
            continue
        allowed = reachable(layers, owner)
        text = path.read_text()
        for match in INCLUDE.finditer(text):
            target = target_of(match.group(1), path, root, headers)
            if target is None:
                continue
            layer, public = target
            ok = layer in allowed or (public is not None and PUBLIC in allowed)
            if not ok:
                line = text.count("\n", 0, match.start()) + 1
                what = f"public header edict/{public} (layer {layer})" if public else f"layer {layer}"
                offences.append(f"{path.relative_to(root)}:{line}: layer {owner} includes \"{match.group(1)}\", "
                                f"{what}, which is not below it")
    if not quiet:
        for offence in offences:
            print(offence)
        print(f"{len(files)} files, {len(offences)} wrong-way include(s)")
    return offences


if __name__ == "__main__":
    sys.exit(main())

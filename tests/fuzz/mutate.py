#!/usr/bin/env python3
"""Structured mutations of Edict policies for the fuzz target: token-wise edits that keep most of the text
valid (swap operators, drop `end`, duplicate clauses, deep parentheses, huge numbers, long names, unicode,
CRLF). Writes inputs (policy NUL facts) to OUT_DIR; replay them with edict_fuzz_replay_compile_eval or edict_fuzz_compile_eval.

  python3 tests/fuzz/mutate.py OUT_DIR [COUNT] [SEED]
"""
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\d{4}-\d\d-\d\d|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_.]*|==|!=|<=|>=|\s+|#[^\n]*|.', re.S)
OPS = ['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', 'and', 'or', 'not', 'in', 'not in', 'union',
       'intersect', 'except', 'matches', 'is present', 'is absent', 'if', 'then', 'else', '(', ')', '{', '}', ',']
KEYWORDS = ('policy amendment published citation title outcomes default fact optional one of enum define group '
            'members add remove from until tier when otherwise parameter none rule exemption amend repeal '
            'effective then classify because overrides use test as_of rules_as_of given expect classified '
            'true false end').split()
WEIRD = ['1e9999', '1e-9999', '9' * 1200, '0.' + '1' * 1200, '1' * 10000, '0', '-0', '0/0', '1_000_000',
         '0000-00-00', '2023-02-29', '9999-12-31', '0001-01-01', '"\u00e9\u4e2d\U0001F600"', '"\\"', '"a\\qb"',
         'x' * 5000, '\u00e9t\u00e9', '\r\n', '\t', '\x00', '\xff', '"' + 'y' * 100000 + '"']


def tokens(text):
    return TOKEN.findall(text)


def mutate(text, rng):
    toks = tokens(text)
    if not toks:
        return text
    for _ in range(rng.randint(1, 4)):
        if not toks:
            break
        i = rng.randrange(len(toks))
        kind = rng.randrange(12)
        if kind == 0:  # swap an operator or keyword
            if toks[i].strip() in OPS:
                toks[i] = rng.choice(OPS)
            elif toks[i] in KEYWORDS:
                toks[i] = rng.choice(KEYWORDS)
        elif kind == 1:  # drop an `end`
            ends = [k for k, t in enumerate(toks) if t == 'end']
            if ends:
                del toks[rng.choice(ends)]
        elif kind == 2:  # duplicate a line-ish run of tokens (a clause)
            j = min(len(toks), i + rng.randint(1, 30))
            toks[i:i] = toks[i:j]
        elif kind == 3:  # deep parentheses around a token
            d = rng.choice([10, 31, 32, 33, 64, 65, 1000, 100000])
            toks[i] = '(' * d + toks[i] + ')' * d
        elif kind == 4:  # huge / odd numbers and strings
            toks[i] = rng.choice(WEIRD)
        elif kind == 5:  # a long name
            if re.match(r'[A-Za-z_]', toks[i]):
                toks[i] = toks[i] + '_' * rng.choice([1, 300, 70000])
        elif kind == 6:  # CRLF line endings
            toks = [t.replace('\n', '\r\n') for t in toks]
        elif kind == 7:  # delete a run
            del toks[i:i + rng.randint(1, 10)]
        elif kind == 8:  # long chains
            op = rng.choice([' and ', ' or ', ' + ', ' * ', ' < ', ' union ', ' - '])
            toks[i] = op.join([toks[i]] * rng.choice([2, 64, 65, 5000]))
        elif kind == 9:  # negations / nots
            toks[i] = rng.choice(['-', 'not ']) * rng.choice([1, 33, 65, 10000]) + toks[i]
        elif kind == 10:  # copy a token from elsewhere
            toks[i] = toks[rng.randrange(len(toks))]
        else:  # truncate
            toks = toks[:i]
    return ''.join(toks)


def mutate_facts(text, rng):
    choice = rng.randrange(6)
    if choice == 0:
        return text
    if choice == 1:
        return text.replace('}', ', "z": ' + '[' * 70 + ']' * 70 + '}', 1)
    if choice == 2:
        return re.sub(r'\d+', lambda m: rng.choice(WEIRD[:6]), text, count=1)
    if choice == 3:
        return text[:rng.randrange(len(text) + 1)]
    if choice == 4:
        return '{"product": {"tpp": 1e400, "die_area_mm2": 0, "datacenter": null}, "destination": {"country": "\u00e9"}}'
    return text.replace('"', "'", 1)


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    corpus = os.path.join(ROOT, 'tests', 'fuzz', 'corpus')
    seeds = []
    for name in sorted(os.listdir(corpus)):
        data = open(os.path.join(corpus, name), 'rb').read()
        policy, _, facts = data.partition(b'\0')
        seeds.append((policy.decode('utf-8', 'replace'), facts.decode('utf-8', 'replace')))
    os.makedirs(out, exist_ok=True)
    for n in range(count):
        policy, facts = rng.choice(seeds)
        data = mutate(policy, rng).encode('utf-8', 'surrogateescape') + b'\0' + mutate_facts(facts, rng).encode()
        with open(os.path.join(out, 'm%06d' % n), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()

#!/usr/bin/env bash
# Progress on long work (issue 16 item 5) through the real `edict`: a progress line on standard error when it
# is a terminal (a pseudo-terminal from util-linux `script`), for eval --cases, diff --cases, diff
# --witnesses and changelog; none with --quiet, none when standard error is not a terminal, none for eval
# --cases when its results go to the terminal; never on standard output, whose bytes do not change.
# usage: progress_test.sh EDICT REPOSITORY_ROOT
set -u
edict="$1"
root="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
ear="$root/policies/ear"

# shellcheck source=../support/expect.sh
source "$(dirname "$0")/../support/expect.sh"


# absent PATTERN FILE: FILE has no line matching PATTERN.
absent() { ! grep -q -- "$1" "$2"; }

# on_terminal TYPESCRIPT COMMAND: runs the shell COMMAND with a terminal as its standard error (and standard
# output unless COMMAND redirects it); what the terminal received goes to TYPESCRIPT.
on_terminal() {
  timeout 60 script -qec "$2" "$1" >/dev/null
}

for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$root/tests/golden/corpora/ear_catalog.jsonl"; done >"$work/cases.jsonl"
cases="$work/cases.jsonl"
eval_cmd="'$edict' eval '$ear' --cases '$cases' --as-of 2024-01-01"
diff_cmd="'$edict' diff '$ear' --old-rules-as-of 2023-10-01 --new-rules-as-of 2023-12-01"
changelog_cmd="'$edict' changelog '$ear' --from 2023-10-01 --to 2023-10-20"

# The bytes on standard output without a terminal, and nothing on standard error.
"$edict" eval "$ear" --cases "$cases" --as-of 2024-01-01 >"$work/eval.plain" 2>"$work/eval.err"
check eval:no-terminal-no-progress [ ! -s "$work/eval.err" ]

on_terminal "$work/eval.tty" "$eval_cmd > '$work/eval.out'"
check eval:progress grep -q "cases read, [0-9]*/s, [0-9]*% of the input, [0-9]* s left" "$work/eval.tty"
check eval:progress-erased grep -q $'\r\033\\[K' "$work/eval.tty"
check eval:same-output cmp -s "$work/eval.out" "$work/eval.plain"

on_terminal "$work/eval-quiet.tty" "$eval_cmd --quiet > '$work/eval.out'"
check eval:quiet absent "cases read" "$work/eval-quiet.tty"
check eval:quiet-same-output cmp -s "$work/eval.out" "$work/eval.plain"

# Results on the terminal: they are the progress.
on_terminal "$work/eval-results.tty" "$eval_cmd --threads 2"
check eval:results-on-terminal grep -q '"decision"' "$work/eval-results.tty"
check eval:results-on-terminal-no-progress absent "cases read" "$work/eval-results.tty"

expect eval:quiet-needs-cases 2 "\`--quiet\` needs \`--cases\`" -- "$edict" eval "$ear" --quiet --set product.tpp=1

# diff over a corpus.
"$edict" diff "$ear" --old-rules-as-of 2023-10-01 --new-rules-as-of 2023-12-01 --cases "$cases" \
  --as-of 2024-01-01 >"$work/diff.plain" 2>"$work/diff.err"
check diff:no-terminal-no-progress [ ! -s "$work/diff.err" ]
on_terminal "$work/diff.tty" "$diff_cmd --cases '$cases' --as-of 2024-01-01 > '$work/diff.out'"
check diff:progress grep -q "cases read, [0-9]*/s, [0-9]*% of the input" "$work/diff.tty"
check diff:same-output cmp -s "$work/diff.out" "$work/diff.plain"
on_terminal "$work/diff-quiet.tty" "$diff_cmd --cases '$cases' --as-of 2024-01-01 --quiet > '$work/diff.out'"
check diff:quiet absent "cases read" "$work/diff-quiet.tty"

# The witness search: cases of the budget, rate, time left, regions so far.
on_terminal "$work/witness.tty" "$diff_cmd --witnesses --as-of 2023-12-01 > '$work/witness.out'"
check witnesses:progress grep -q "[0-9]* / [0-9]* cases, [0-9]*/s.*regions so far" "$work/witness.tty"
"$edict" diff "$ear" --old-rules-as-of 2023-10-01 --new-rules-as-of 2023-12-01 --witnesses --as-of 2023-12-01 \
  >"$work/witness.plain" 2>"$work/witness.err"
check witnesses:no-terminal-no-progress [ ! -s "$work/witness.err" ]
check witnesses:same-output cmp -s "$work/witness.out" "$work/witness.plain"

# The changelog: each publication date with its place, then its search.
on_terminal "$work/changelog.tty" "$changelog_cmd > '$work/changelog.out'"
check changelog:progress grep -q "2023-10-19 (1 of 1): [0-9]* / [0-9]* cases" "$work/changelog.tty"
"$edict" changelog "$ear" --from 2023-10-01 --to 2023-10-20 >"$work/changelog.plain" 2>"$work/changelog.err"
check changelog:no-terminal-no-progress [ ! -s "$work/changelog.err" ]
check changelog:same-output cmp -s "$work/changelog.out" "$work/changelog.plain"
on_terminal "$work/changelog-quiet.tty" "$changelog_cmd --quiet > /dev/null"
check changelog:quiet absent "cases," "$work/changelog-quiet.tty"
on_terminal "$work/diff-changelog.tty" "$diff_cmd --changelog --from 2023-10-01 --to 2023-10-20 2>&1 > /dev/null"
check diff-changelog:progress grep -q "(1 of 1)" "$work/diff-changelog.tty"

if [ "$failures" -ne 0 ]; then
  echo "$failures failures"
  exit 1
fi

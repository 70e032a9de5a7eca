#!/usr/bin/env bash
# Runs one golden case: `edict` with the arguments in CASE/args (paths relative to the repository root),
# standard input from CASE/stdin when present, and compares stdout, stderr and the exit code with
# CASE/expected. EDICT_BLESS=1 rewrites CASE/expected instead (review the change with `git diff`).
set -u
edict="$1"
case_dir="$2"
root="$3"
cd "$root" || exit 2
args=$(cat "$case_dir/args")
stdin=/dev/null
[ -f "$case_dir/stdin" ] && stdin="$case_dir/stdin"
out=$(mktemp); err=$(mktemp)
# shellcheck disable=SC2086
eval "\"$edict\" $args" <"$stdin" >"$out" 2>"$err"
code=$?
actual=$(mktemp)
{ cat "$out"; echo "--- stderr ---"; cat "$err"; echo "--- exit $code ---"; } >"$actual"
rm -f "$out" "$err"
if [ "${EDICT_BLESS:-0}" = "1" ]; then
  cp "$actual" "$case_dir/expected"
  rm -f "$actual"
  exit 0
fi
if ! diff -u "$case_dir/expected" "$actual"; then
  echo "golden case $(basename "$case_dir") differs (EDICT_BLESS=1 ctest -R golden to re-bless, then review git diff)"
  rm -f "$actual"
  exit 1
fi
rm -f "$actual"

#!/usr/bin/env bash
# Runs one golden HTML report: edict_render_report with the arguments in cases/NAME.args (paths relative to
# the repository root) and compares its page with expected/NAME.html. EDICT_BLESS=1 rewrites the expected
# page instead (review the change with `git diff`).
set -u
driver="$1"
name="$2"
root="$3"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$root" || exit 2
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
# shellcheck disable=SC2046
"$driver" $(cat "$here/cases/$name.args") >"$actual" || { echo "edict_render_report failed for $name"; exit 1; }
if [ "${EDICT_BLESS:-0}" = "1" ]; then
  cat "$actual" >"$here/expected/$name.html"
  exit 0
fi
if ! diff -u "$here/expected/$name.html" "$actual"; then
  echo "report $name differs (EDICT_BLESS=1 ctest -R report/golden to re-bless, then review git diff)"
  exit 1
fi

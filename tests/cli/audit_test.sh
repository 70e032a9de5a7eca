#!/usr/bin/env bash
# The audit trail through the real `edict` (issue 14): `edict digest` gives one value for every spelling of a
# policy's path and from any working directory; `edict eval --receipt` writes the decision record, replaces
# the file whole or not at all (a failed write, a link, a directory, bad facts leave the old file whole), and
# its receipt replays as a match (with --cases: one record per case that evaluates); one changed byte in a
# copy of the policy is a digest mismatch in replay.
# usage: audit_test.sh EDICT REPOSITORY_ROOT
set -u
edict="$1"
root="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
chips="$root/policies/examples/chips"

# shellcheck source=../support/expect.sh
source "$(dirname "$0")/../support/expect.sh"


# ---------------------------------------------------------------- digest

digest=$("$edict" digest "$root/policies/ear")
check digest:hex [ "$(grep -Ec '^[0-9a-f]{64}$' <<<"$digest")" = 1 ]
check digest:relative [ "$(cd "$root" && "$edict" digest policies/ear)" = "$digest" ]
check digest:dot-slash [ "$(cd "$root" && "$edict" digest ./policies/ear/)" = "$digest" ]
check digest:dot-dot [ "$(cd "$root/policies/examples" && "$edict" digest ../ear)" = "$digest" ]
check digest:here [ "$(cd "$root/policies/ear" && "$edict" digest .)" = "$digest" ]
check digest:in-result [ "$("$edict" eval "$root/policies/ear" --set product.tpp=1 --as-of 2024-01-01 --format json \
  | grep -o '"policy_digest":"[0-9a-f]*"')" = "\"policy_digest\":\"$digest\"" ]
# A copy elsewhere is the same policy; one changed byte is another.
cp -r "$root/policies/ear" "$work/ear"
rm -rf "$work/ear/tests"  # left out of the digest anyway
check digest:copy [ "$("$edict" digest "$work/ear")" = "$digest" ]
printf ' ' >>"$work/ear/00_base.edict"
check digest:one-byte [ "$("$edict" digest "$work/ear")" != "$digest" ]
expect digest:usage 2 "unexpected argument" -- "$edict" digest "$root/policies/ear" extra
expect digest:no-policy 2 "cannot read" -- "$edict" digest "$work/none"

# ---------------------------------------------------------------- receipts

r="$work/receipt.jsonl"
expect receipt:written 0 "^decision: license_required" -- "$edict" eval "$chips" --set product.tpp=2054.24 \
  --set product.die_area_mm2=347 --set product.datacenter=true --set destination.country=CN --as-of 2024-06-01 \
  --receipt "$r"
check receipt:one-line [ "$(wc -l <"$r")" = 1 ]
chips_digest=$("$edict" digest "$chips")
normal=$(sed -E 's/"decision_id":"[0-9a-f]{32}"/"decision_id":"ID"/; s/"time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"/"time":"T"/' "$r")
expected='{"decision_id":"ID","time":"T","policy_digest":"'$chips_digest'","as_of":"2024-06-01","rules_as_of":"latest","facts":{"destination":{"country":"CN"},"product":{"datacenter":true,"die_area_mm2":347,"tpp":2054.24}},"decision":"license_required","classifications":["DENSE"],"deciding_rules":["license_hq","license_restricted"],"exemptions":[]}'
check receipt:content [ "$normal" = "$expected" ]
[ "$normal" = "$expected" ] || { echo "got:      $normal"; echo "expected: $expected"; }
expect receipt:replays 0 "1 match, 0 decide differently, 0 made by a different rulebook" -- "$edict" replay "$chips" "$r"
expect receipt:replays-stdin 0 "1 match" -- bash -c '"$0" replay "$1" - <"$2"' "$edict" "$chips" "$r"
# The same decision by the changed copy of a policy: another rulebook.
cp -r "$chips" "$work/chips2"
printf '\n' >>"$work/chips2/chips.edict"
expect receipt:other-rulebook 1 "made by a different rulebook: logged policy digest $chips_digest, this policy [0-9a-f]{64}" \
  -- "$edict" replay "$work/chips2" "$r"

# Replaced whole: the mode of the old file is kept, no temporary file is left.
chmod 640 "$r"
expect receipt:replace 0 "^decision: license_exception" -- "$edict" eval "$chips" --set product.tpp=5000 \
  --set product.die_area_mm2=814 --set product.datacenter=false --set destination.country=CN --as-of 2024-06-01 \
  --receipt "$r"
check receipt:replaced [ "$(grep -c '"decision":"license_exception"' "$r")" = 1 ]
check receipt:keeps-mode [ "$(stat -c %a "$r")" = 640 ]
check receipt:no-temporary [ "$(ls -A "$work" | grep -c '^\.receipt')" = 0 ]
cp "$r" "$work/old"

# A failed write (the file size limit, as a full disk): exit 2, nothing printed, the old file whole. The
# receipt keeps every fact given, declared or not: a long one makes it larger than the limit.
long=$(printf 'x%.0s' $(seq 1 3000))
printf '{"note": "%s"}\n' "$long" >"$work/long.json"
out=$(bash -c "trap '' XFSZ; ulimit -f 1; exec \"\$0\" eval \"\$1\" --set product.tpp=1 --facts \"\$2\" --as-of 2024-06-01 --receipt \"\$3\"" \
  "$edict" "$chips" "$work/long.json" "$r" 2>&1)
code=$?
check receipt:failed-write-exit [ "$code" = 2 ]
check receipt:failed-write-message [ "$(grep -c "cannot write \`$r\`: cannot write the temporary file: file too large" <<<"$out")" = 1 ]
check receipt:failed-write-nothing-printed [ "$(grep -c '^decision' <<<"$out")" = 0 ]
check receipt:failed-write-old-whole cmp -s "$r" "$work/old"
check receipt:failed-write-no-temporary [ "$(ls -A "$work" | grep -c '^\.receipt')" = 0 ]

# Bad facts: no receipt, the old file whole.
expect receipt:bad-facts 2 "expected a number" -- "$edict" eval "$chips" --set product.tpp='"x"' --as-of 2024-06-01 --receipt "$r"
check receipt:bad-facts-old-whole cmp -s "$r" "$work/old"

# Never through a link, never over a directory; a missing directory is an error.
echo secret >"$work/victim"
ln -s "$work/victim" "$work/link.jsonl"
expect receipt:link 2 "is a symbolic link" -- "$edict" eval "$chips" --set product.tpp=1 --as-of 2024-06-01 --receipt "$work/link.jsonl"
check receipt:link-victim-unchanged [ "$(cat "$work/victim")" = secret ]
mkdir "$work/dir.jsonl"
expect receipt:directory 2 "is not a regular file" -- "$edict" eval "$chips" --set product.tpp=1 --as-of 2024-06-01 --receipt "$work/dir.jsonl"
expect receipt:missing-directory 2 "cannot create a temporary file in \`$work/none\`" -- "$edict" eval "$chips" \
  --set product.tpp=1 --as-of 2024-06-01 --receipt "$work/none/r.jsonl"
expect receipt:no-value 2 "\`--receipt\` needs a value" -- "$edict" eval "$chips" --receipt

# With --cases: one record per case that evaluates (a case with an error gets none), and they replay.
cases="$work/cases.jsonl"
{
  echo '{"id":"hq","facts":{"product":{"tpp":2054.24,"die_area_mm2":347,"datacenter":true},"destination":{"country":"CN"}}}'
  echo '{"id":"bad","facts":{"product":{"tpp":"many"}}}'
  echo '{"id":"low","as_of":"2023-01-01","facts":{"product":{"tpp":10,"die_area_mm2":100,"datacenter":false},"destination":{"country":"FR"}}}'
  echo 'not json'
} >"$cases"
rs="$work/cases-receipts.jsonl"
expect receipt:cases 0 '"id":"bad","line":2,"error"' -- "$edict" eval "$chips" --as-of 2024-06-01 --cases "$cases" --receipt "$rs"
check receipt:cases-one-per-evaluated-case [ "$(wc -l <"$rs")" = 2 ]
check receipt:cases-dates [ "$(grep -c '"as_of":"2023-01-01"' "$rs")" = 1 ]
expect receipt:cases-replay 0 "replayed 2 of 2 lines: 2 match, 0 decide differently" -- "$edict" replay "$chips" "$rs"
expect receipt:cases-stdin 0 '"id":"low"' -- bash -c '"$0" eval "$1" --as-of 2024-06-01 --cases - --receipt "$2" <"$3"' \
  "$edict" "$chips" "$rs" "$cases"
check receipt:cases-stdin-lines [ "$(wc -l <"$rs")" = 2 ]
# Whole or not at all: a read error part way writes no file.
expect receipt:cases-read-error 2 "input/output error" -- "$edict" eval "$chips" --as-of 2024-06-01 --cases /proc/self/mem \
  --receipt "$work/never.jsonl"
check receipt:cases-read-error-no-file [ ! -e "$work/never.jsonl" ]

# ---------------------------------------------------------------- replay input

expect replay:missing-log 2 "cannot read" -- "$edict" replay "$chips" "$work/none.jsonl"
expect replay:directory-log 2 "directory" -- "$edict" replay "$chips" "$work/dir.jsonl"
expect replay:bad-format 2 "--format" -- "$edict" replay "$chips" "$r" --format xml
expect replay:policy-error 2 "cannot read" -- "$edict" replay "$work/none" "$r"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all audit CLI checks passed"

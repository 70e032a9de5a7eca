#!/usr/bin/env bash
# Writes the decision logs of the replay goldens (tests/golden/cases/replay_*) with `edict eval --receipt`.
# Their ids and times are new on every run: re-bless the replay goldens afterwards (EDICT_BLESS=1 ctest -R
# golden/replay) and review `git diff`.
# usage: tests/golden/logs/regenerate.sh EDICT     (from the repository root)
set -euo pipefail
edict="$1"
policy=tests/golden/policies/replay
modified=tests/golden/policies/replay_modified
out=tests/golden/logs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# receipt POLICY ARGS...: the decision record of one evaluation, appended to $tmp/log.
receipt() {
  local p="$1"
  shift
  "$edict" eval "$p" "$@" --receipt "$tmp/one" >/dev/null
  cat "$tmp/one" >>"$tmp/log"
}

# matching.jsonl: decisions of the policy as it is, replayed by the same policy: all match.
: >"$tmp/log"
receipt $policy --set product.tpp=15832 --set product.die_area_mm2=814 --set product.datacenter=true \
  --set destination.country=CN --as-of 2024-06-01
receipt $policy --set product.tpp=2054.24 --set product.die_area_mm2=347 --set product.datacenter=true \
  --set destination.country=CN --as-of 2024-06-01
receipt $policy --set product.tpp=5000 --set product.die_area_mm2=814 --set product.datacenter=false \
  --set destination.country=CN --as-of 2024-06-01
receipt $policy --set product.tpp=15832 --set product.die_area_mm2=814 --set product.datacenter=true \
  --set destination.country=DE --set end_user.hq_country=CN --as-of 2023-12-01 --rules-as-of 2023-12-01
receipt $policy --set product.tpp=15832 --set destination.country=CN --as-of 2024-06-01
cp "$tmp/log" $out/matching.jsonl

# mismatches.jsonl: line 1 matches; line 2 is the exact-bound case (2054.24 / 347 = 5.92) decided by the
# modified copy (`>` instead of `>=`: not DENSE), so another digest and another outcome; line 3 is line 1
# with its decision edited by hand; line 4 is line 1 with its lists reordered (a match: sets are compared).
: >"$tmp/log"
receipt $policy --set product.tpp=15832 --set product.die_area_mm2=814 --set product.datacenter=true \
  --set destination.country=CN --as-of 2024-06-01
receipt $modified --set product.tpp=2054.24 --set product.die_area_mm2=347 --set product.datacenter=true \
  --set destination.country=CN --as-of 2024-06-01
head -1 "$tmp/log" | sed 's/"decision":"license_required"/"decision":"notify"/' >>"$tmp/log"
head -1 "$tmp/log" | sed 's/\["DENSE","HIGH"\]/["HIGH","DENSE"]/; s/\["license_hq","license_restricted"\]/["license_restricted","license_hq"]/' >>"$tmp/log"
cp "$tmp/log" $out/mismatches.jsonl

# bad_lines.jsonl: line 1 of matching.jsonl, then lines that cannot be replayed (a facts digest only, a
# missing key, a truncated line, an empty line, an unknown key, an impossible date), and last a record whose
# facts no longer fit the schema (a string for a decimal): a replay that gives an error, so a difference.
python3 - <<'PY'
import hashlib, re
good = open('tests/golden/logs/matching.jsonl').readline().rstrip('\n')
facts = re.search(r'"facts":(\{.*?\}\}),"decision"', good).group(1)
digest_only = good.replace('"facts":' + facts, '"facts_digest":"' + hashlib.sha256(facts.encode()).hexdigest() + '"')
lines = [
    good,
    digest_only,
    good.replace('"decision":"license_required",', ''),
    good[:60],
    '',
    good.replace('"exemptions":[]}', '"exemptions":[],"reviewer":"jd"}'),
    good.replace('"as_of":"2024-06-01"', '"as_of":"2024-06-31"'),
    good.replace('"tpp":15832', '"tpp":"15832"'),
]
open('tests/golden/logs/bad_lines.jsonl', 'w').write('\n'.join(lines) + '\n')
PY

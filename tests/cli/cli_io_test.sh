#!/usr/bin/env bash
# The commands' input and output rules through the real `edict` (issue "Hardening round 2", items 3-7 and
# 11): `fmt --write` replaces files atomically and never writes through a link or into a read-only file;
# `fmt` and `test` list folders by the policy-directory rules; corpora, facts and tables that cannot be read
# (or break off) and output that cannot be written are exit code 2 with a message naming the path; facts
# reads stop at the limit; --set paths and numeric options are strict. Each case builds its files in a fresh
# temporary directory.
# usage: cli_io_test.sh EDICT REPOSITORY_ROOT
set -u
edict="$1"
root="$2"
work=$(mktemp -d)
chmod 755 "$work"
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0
chips="$root/policies/examples/chips"
messy="$root/tests/golden/policies/fmt/messy.edict"
formatted="$root/tests/golden/policies/fmt/formatted.edict"
diff_old="$root/tests/golden/corpora/diff/old.edict"
diff_new="$root/tests/golden/corpora/diff/new.edict"

# shellcheck source=../support/expect.sh
source "$(dirname "$0")/../support/expect.sh"


# A command prefix that runs as an unprivileged user when we are root (root reads unreadable files anyway).
# It runs a copy of edict (and of what it reads) in the work folder: the build tree may be out of its reach,
# as in a clone under /root.
user_edict=("$edict")
if [ "$(id -u)" = 0 ]; then
  cp "$edict" "$work/edict-copy"
  chmod 755 "$work" "$work/edict-copy"
  user_edict=(setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$work/edict-copy")
fi
user_chips="$work/chips-copy"
cp -r "$chips" "$user_chips"
chmod -R a+rX "$user_chips"

# ---------------------------------------------------------------- 3. fmt --write

# A link planted at the old fixed temporary name is neither followed nor touched; the mode is kept.
dir="$work/fmt_write"
mkdir -p "$dir/pol" "$dir/outside"
cp "$messy" "$dir/pol/a.edict"
chmod 640 "$dir/pol/a.edict"
echo secret >"$dir/outside/victim"
ln -s "$dir/outside/victim" "$dir/pol/a.edict.edict-fmt.tmp"
expect write-planted-link 0 "^$dir/pol/a.edict$" -- "$edict" fmt --write "$dir/pol/a.edict"
check write-planted-link:victim-unchanged [ "$(cat "$dir/outside/victim")" = secret ]
check write-planted-link:link-untouched [ "$(readlink "$dir/pol/a.edict.edict-fmt.tmp")" = "$dir/outside/victim" ]
check write-planted-link:formatted cmp -s "$dir/pol/a.edict" "$formatted"
check write-keeps-mode [ "$(stat -c %a "$dir/pol/a.edict")" = 640 ]
rm "$dir/pol/a.edict.edict-fmt.tmp"
check write-no-temporary-left [ "$(ls -A "$dir/pol")" = a.edict ]

# A read-only file is refused and unchanged (also for root), and so is every other file of the run.
cp "$messy" "$dir/pol/b.edict"
cp "$messy" "$dir/pol/c.edict"
chmod 444 "$dir/pol/c.edict"
expect write-read-only 2 "cannot write \`$dir/pol/c.edict\`: it is read-only" -- "$edict" fmt --write "$dir/pol"
check write-read-only:unchanged cmp -s "$dir/pol/c.edict" "$messy"
check write-read-only:others-unchanged cmp -s "$dir/pol/b.edict" "$messy"
check write-read-only:mode [ "$(stat -c %a "$dir/pol/c.edict")" = 444 ]
rm -f "$dir/pol/b.edict" "$dir/pol/c.edict"

# The target itself is a symbolic link: refused, the file it points to unchanged.
cp "$messy" "$dir/outside/target.edict"
ln -s "$dir/outside/target.edict" "$dir/pol/link.edict"
expect write-through-link 2 "it is a symbolic link, and --write never writes through a link" -- "$edict" fmt --write "$dir/pol/link.edict"
check write-through-link:unchanged cmp -s "$dir/outside/target.edict" "$messy"
check write-through-link:still-a-link [ -L "$dir/pol/link.edict" ]
rm "$dir/pol/link.edict"

# A failed write (the file size limit, as a full disk) leaves the old file whole and no temporary file.
cp "$messy" "$dir/pol/a.edict"
expect write-fails 2 "cannot write \`$dir/pol/a.edict\`: cannot write the temporary file: file too large" -- \
  bash -c "trap '' XFSZ; ulimit -f 1; exec \"\$0\" fmt --write \"\$1\"" "$edict" "$dir/pol/a.edict"
check write-fails:old-file-whole cmp -s "$dir/pol/a.edict" "$messy"
check write-fails:no-temporary-left [ "$(ls -A "$dir/pol")" = a.edict ]

# Concurrent runs each use their own temporary file: the file is never emptied.
for round in 1 2 3 4 5; do
  cp "$messy" "$dir/pol/a.edict"
  for i in 1 2 3 4; do "$edict" fmt --write "$dir/pol/a.edict" >/dev/null 2>&1 & done
  wait
  cmp -s "$dir/pol/a.edict" "$formatted" || { fail "write-concurrent round $round: $(wc -c <"$dir/pol/a.edict") bytes"; break; }
done
check write-concurrent:no-temporary-left [ "$(ls -A "$dir/pol")" = a.edict ]

# ---------------------------------------------------------------- 4. fmt and test list folders by the rules

dir="$work/fmt_read"
mkdir -p "$dir/pol" "$dir/outside"
cp "$formatted" "$dir/pol/a.edict"
printf 'policy "SECRET-FIRST-LINE"\n' >"$dir/outside/secret.edict"
ln -s "$dir/outside/secret.edict" "$dir/pol/leak.edict"
expect fmt-link-outside 2 "\`$dir/pol/leak.edict\` is a symbolic link that leads outside" -- "$edict" fmt --check "$dir/pol"
out=$("$edict" fmt "$dir/pol" 2>&1)
check fmt-link-outside:not-read bash -c '! grep -q SECRET-FIRST-LINE <<<"$0"' "$out"
rm "$dir/pol/leak.edict"
mkdir -p "$dir/pol/sub"
cp "$formatted" "$dir/pol/sub/b.edict"
chmod 000 "$dir/pol/sub"
expect fmt-unreadable-subdirectory 2 "cannot read directory \`$dir/pol/sub\`: permission denied" -- "${user_edict[@]}" fmt --check "$dir/pol"
chmod 755 "$dir/pol/sub"
expect fmt-device 2 "cannot read \`/dev/zero\`: it is a character device" -- "$edict" fmt /dev/zero

dir="$work/test_read"
mkdir -p "$dir/tests/sub" "$dir/outside"
echo '{"name": "t", "facts": {}, "as_of": "2024-01-01", "expect": {"decision": "indeterminate"}}' >"$dir/tests/sub/t.jsonl"
chmod 000 "$dir/tests/sub"
expect test-unreadable-subfolder 2 "cannot read directory \`$dir/tests/sub\`: permission denied" -- "${user_edict[@]}" test "$user_chips" "$dir/tests"
chmod 755 "$dir/tests/sub"
echo '{"name": "outside", "facts": {}, "as_of": "2024-01-01", "expect": {"decision": "indeterminate"}}' >"$dir/outside/o.jsonl"
ln -s "$dir/outside/o.jsonl" "$dir/tests/o.jsonl"
expect test-link-outside 2 "\`$dir/tests/o.jsonl\` is a symbolic link that leads outside" -- "$edict" test "$chips" "$dir/tests"
rm "$dir/tests/o.jsonl"
# A table that cannot be read is an error of the command, not a failing case: unreadable, or a read error.
cp "$dir/tests/sub/t.jsonl" "$dir/tests/locked.jsonl"
chmod 000 "$dir/tests/locked.jsonl"
expect test-table-unreadable 2 "cannot run the table \`$dir/tests/locked.jsonl\`: .*permission denied" -- \
  "${user_edict[@]}" test "$user_chips" "$dir/tests/locked.jsonl"
rm -f "$dir/tests/locked.jsonl"
ln -s /proc/self/mem "$dir/tests/mem.jsonl"
expect test-table-read-error 2 "cannot run the table \`$dir/tests/mem.jsonl\`: .*input/output error" -- \
  "$edict" test "$chips" "$dir/tests/mem.jsonl"
rm "$dir/tests/mem.jsonl"

# ---------------------------------------------------------------- 5. corpora that cannot be read

for mode in "diff $diff_old $diff_new --as-of 2024-01-01 --fail-on-change" "eval $chips --as-of 2024-01-01"; do
  name=${mode%% *}
  # shellcheck disable=SC2086
  expect "$name-cases-directory" 2 "cannot read \`$dir\`: it is a directory" -- "$edict" $mode --cases "$dir"
  # /proc/self/mem is a regular file whose first read fails (EIO): a read error, not an empty corpus.
  # shellcheck disable=SC2086
  expect "$name-cases-read-error" 2 "cannot read \`/proc/self/mem\`: input/output error \(after line 0\)" -- "$edict" $mode --cases /proc/self/mem
done
# A line longer than the facts limit is a bad line, skipped piece by piece.
{ head -n 1 "$root/tests/golden/corpora/diff/cases.jsonl"; head -c 17000000 /dev/zero | tr '\0' x; echo; } >"$work/long.jsonl"
expect diff-cases-long-line 2 "line 2: line longer than 16777216 bytes \(the facts limit\); skipped" -- \
  "$edict" diff "$diff_old" "$diff_new" --as-of 2024-01-01 --cases "$work/long.jsonl"
rm "$work/long.jsonl"

# ---------------------------------------------------------------- 6. output that cannot be written

expect full-eval 2 "cannot write to standard output: no space left on device" -- bash -c '"$0" eval "$1" --set destination.country=CN >/dev/full' "$edict" "$chips"
expect full-check 2 "cannot write to standard output" -- bash -c '"$0" check "$1" >/dev/full' "$edict" "$chips"
expect full-test 2 "cannot write to standard output" -- bash -c '"$0" test "$1" >/dev/full' "$edict" "$chips"
expect full-fmt 2 "cannot write to standard output" -- bash -c '"$0" fmt "$1" >/dev/full' "$edict" "$messy"
expect full-diff 2 "cannot write to standard output" -- bash -c '"$0" diff "$1" "$2" --as-of 2024-01-01 --cases "$3" >/dev/full' \
  "$edict" "$diff_old" "$diff_new" "$root/tests/golden/corpora/diff/cases.jsonl"
expect full-batch 2 "cannot write to standard output" -- bash -c '"$0" eval "$1" --as-of 2024-01-01 --cases "$2" >/dev/full' \
  "$edict" "$root/policies/ear" "$root/tests/golden/corpora/ear_catalog.jsonl"
expect full-help 2 "cannot write to standard output" -- bash -c '"$0" --help >/dev/full' "$edict"
expect full-junit 2 "cannot write \`/dev/full\`: no space left on device" -- "$edict" test "$chips" --junit /dev/full
expect full-emit-tests 2 "cannot write \`/dev/full\`: no space left on device" -- "$edict" diff "$diff_old" "$diff_new" --witnesses --as-of 2024-01-01 --emit-tests /dev/full

# ---------------------------------------------------------------- 7. facts read no more than the limit

expect facts-dev-zero 2 "\`/dev/zero\` is larger than the limit of 16777216 bytes \(the facts limit\)" -- "$edict" eval "$chips" --facts /dev/zero
expect facts-endless-pipe 2 "\`standard input\` is larger than the limit of 16777216 bytes" -- \
  bash -c 'yes | head -c 20000000 | "$0" eval "$1" --facts -' "$edict" "$chips"
expect facts-directory 2 "cannot read \`$dir\`: it is a directory" -- "$edict" eval "$chips" --facts "$dir"

# ---------------------------------------------------------------- 11. strict --set and numeric options

for path in a..b .x product. ""; do
  expect "set-path:$path" 2 "\`--set $path=1\`: (\`$path\` is not a fact path|the fact path is empty)" -- "$edict" eval "$chips" --set "$path=1"
done
expect set-huge-exponent 2 "\`--set product.tpp=1e10001\`: exponent of \`1e10001\` is beyond the limit of \+-10000" -- \
  "$edict" eval "$chips" --set product.tpp=1e10001
expect set-string-stays-string 0 "decision" -- "$edict" eval "$chips" --set destination.country=CN --set product.tpp=1e3 --as-of 2024-01-01
for bad in "eval $chips --cases - --threads 2abc" "eval $chips --cases - --threads 0" "eval $chips --cases - --threads 257" \
  "eval $chips --cases - --threads ' 2'" "eval $chips --cases - --max-line-bytes 10x" "eval $chips --cases - --max-line-bytes +5" \
  "diff $diff_old $diff_new --cases - --threads 2abc" "diff $diff_old $diff_new --cases - --max-changes -1" \
  "diff $diff_old $diff_new --cases - --max-traces 1e3" "diff $diff_old $diff_new --cases - --max-changes 99999999999999999999999"; do
  eval "set -- $bad"
  expect "numeric-option:$bad" 2 "expected a whole number from" -- "$edict" "$@"
done

[ "$failures" = 0 ] || { echo "$failures case(s) failed"; exit 1; }

#!/usr/bin/env bash
# The file rules (grammar/LANGUAGE.md section 8) through the real `edict` command: a policy reads no file
# outside its root, only regular files are read, and every error while walking a policy directory is a
# compile error naming the path. Each case builds its files in a fresh temporary directory.
# usage: file_rules_test.sh EDICT
set -u
edict="$1"
work=$(mktemp -d)
chmod 755 "$work"
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
failures=0

head='policy "Files"
  outcomes license_required > no_license_required
  default no_license_required
end
fact product.tpp : decimal "TPP"
'

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

# 1. An unreadable sub-directory is an error, not a shorter policy.
pol="$work/truncated"
mkdir -p "$pol/sub"
printf '%s' "$head" >"$pol/main.edict"
printf 'rule r\n  title "R"\n  citation "c"\n  when product.tpp >= 1\n  then license_required\nend\n' >"$pol/sub/rule.edict"
printf 'exemption e\n  title "E"\n  citation "c"\n  overrides r\n  when product.tpp >= 0\n  then no_license_required\nend\n' \
  >"$pol/amend6.edict"
chmod 755 "$pol" && chmod 000 "$pol/sub"
expect unreadable-subdirectory 2 "cannot read directory \`$pol/sub\`: permission denied" -- "${user_edict[@]}" check "$pol"
chmod 755 "$pol/sub"
expect readable-subdirectory 0 "ok" -- "$edict" check "$pol"

# 2. `given file` may not leave the root: `..`, an absolute path, a symbolic link.
pol="$work/given"
mkdir -p "$pol" "$work/secret"
echo '{"product": {"tpp": 1}}' >"$work/secret/facts.json"
ln -s "$work/secret/facts.json" "$pol/link.json"
for name in "../secret/facts.json" "$work/secret/facts.json" "link.json"; do
  printf '%stest "t"\n  given file "%s"\n  as_of 2024-01-01\n  expect decision no_license_required\nend\n' "$head" "$name" \
    >"$pol/main.edict"
  expect "given-file-outside:$name" 2 "error\[file-outside-root\]: fact file \`$name\`" -- "$edict" test "$pol"
done
# ... and a test table's facts_file neither.
printf '%s' "$head" >"$pol/main.edict"
echo '{"name": "escape", "facts_file": "../secret/facts.json", "as_of": "2024-01-01", "expect": {"decision": "no_license_required"}}' \
  >"$pol/cases.jsonl"
expect table-facts-file-outside 1 "leaves the policy root" -- "$edict" test "$pol" "$pol/cases.jsonl"

# 8. Only regular files are read: a FIFO import is refused without blocking; a directory, "" and "." are
# not empty files; a symbolic link loop in a policy directory is a located error, not an internal one.
pol="$work/odd"
mkdir -p "$pol/dir"
mkfifo "$pol/pipe.edict"
for target in pipe.edict dir "" "."; do
  printf 'import "%s"\n%s' "$target" "$head" >"$pol/main.edict"
  expect "import-odd-file:$target" 2 "main.edict:1:8: error\[import-(unreadable|outside-root)\]" -- "$edict" check "$pol/main.edict"
done
rm "$pol/pipe.edict"
printf '%s' "$head" >"$pol/main.edict"
ln -s loop.edict "$pol/loop.edict"
expect symlink-loop 2 "loop.edict\` is a loop of symbolic links" -- "$edict" check "$pol"
rm "$pol/loop.edict"
mkfifo "$pol/fifo.edict"
expect fifo-in-directory 2 "fifo.edict\` is not a regular file" -- "$edict" check "$pol"
rm "$pol/fifo.edict"

# 11. An unreadable file says "permission denied", not "not found".
printf '%s' "$head" >"$pol/locked.edict"
chmod 000 "$pol/locked.edict"
expect unreadable-file 2 "cannot read \`$pol/locked.edict\`: permission denied" -- "${user_edict[@]}" check "$pol/locked.edict"

# 7. A device is not a policy file: refused before reading it.
expect dev-zero-policy 2 "it is a character device" -- "$edict" check /dev/zero

[ "$failures" = 0 ] || { echo "$failures case(s) failed"; exit 1; }

# Shared by the shell tests (source it): `expect` runs a command and checks its exit code and output; `check`
# asserts a condition; `fail` counts a failure. The caller sets failures=0 first and exits 1 when it is not 0 at the end.

fail() {
  echo "FAIL $1"
  failures=$((failures + 1))
}

# check NAME COMMAND...: a condition that must hold.
check() {
  local name="$1"
  shift
  if "$@"; then echo "ok   $name"; else fail "$name"; fi
}

# expect NAME EXIT PATTERN -- COMMAND...: runs COMMAND (20 s at most), checks its exit code and that its
# output (stdout and stderr) matches the extended regular expression PATTERN.
expect() {
  local name="$1" code="$2" pattern="$3"
  shift 4
  local out status
  out=$(timeout 20 "$@" 2>&1)
  status=$?
  if [ "$status" != "$code" ] || ! grep -Eq -- "$pattern" <<<"$out"; then
    fail "$name: exit $status (expected $code), output:"
    echo "$out" | head -20
    echo "(expected to match: $pattern)"
  else
    echo "ok   $name"
  fi
}

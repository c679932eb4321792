#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs every test and ends with `N passed, N failed`.
# Unit tests are C programs in BUILD/tests; integration tests are the
# scripts in tests/integration. Each prints PASS/FAIL lines.
set -u
BUILD=$(cd "${1:-build}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BUILD ROOT
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run () {
  local what=$1; shift
  local start=$SECONDS
  echo "== $what"
  "$@" > "$log" 2>&1
  local rc=$?
  cat "$log"
  echo "== $what: $((SECONDS - start)) s"
  local p f
  p=$(grep -c '^PASS ' "$log")
  f=$(grep -c '^FAIL ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $what: exited $rc without reporting a failure"
    f=1
  fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $what: reported no result"
    f=1
  fi
  passed=$((passed + p)); failed=$((failed + f))
}

for t in "$BUILD"/tests/test-*; do
  [ -x "$t" ] && run "$(basename "$t")" "$t" "$ROOT"
done
# CONFINE_TEST_ONLY="a.sh b.sh" runs only those integration suites (the
# sanitizer build runs the ones that drive our own binaries, not the
# engines').
for t in "$ROOT"/tests/integration/*.sh; do
  [ -f "$t" ] || continue
  if [ -n "${CONFINE_TEST_ONLY:-}" ]; then
    case " $CONFINE_TEST_ONLY " in *" $(basename "$t") "*) ;; *) continue ;; esac
  fi
  run "$(basename "$t")" bash "$t"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

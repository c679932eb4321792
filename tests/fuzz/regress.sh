#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# regress.sh DIR NAME...: run DIR/fuzz-NAME once on every file of
# tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME. DIR holds either
# the libFuzzer binaries or the plain replay ones; both take files as
# arguments and run each once. Prints PASS/FAIL per harness.
# VALGRIND, when set, is a command prefix (valgrind-check uses it).
set -u
dir=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
failed=0
# Leaks inside libseccomp itself are suppressed narrowly (see lsan.supp);
# the slow unwinder is needed to see through libseccomp's frames.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
export ASAN_OPTIONS=${ASAN_OPTIONS:-fast_unwind_on_malloc=0}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for name in "$@"; do
  bin=$dir/fuzz-$name
  if [ ! -x "$bin" ]; then
    printf 'FAIL fuzz-%s replays its corpus and regressions: %s not built\n' "$name" "$bin"
    failed=1; continue
  fi
  mapfile -t files < <(find "$root/tests/fuzz/corpus/$name" "$root/tests/fuzz/regressions/$name" \
                         -type f ! -name 'README*' 2>/dev/null | sort)
  if [ "${#files[@]}" -eq 0 ]; then
    printf 'FAIL fuzz-%s replays its corpus and regressions: no inputs\n' "$name"
    failed=1; continue
  fi
  # shellcheck disable=SC2086
  if ${VALGRIND:-} "$bin" "${files[@]}" > "$log" 2>&1; then
    printf 'PASS fuzz-%s replays %d corpus and regression inputs without a crash, sanitizer report or hang\n' \
      "$name" "${#files[@]}"
  else
    printf 'FAIL fuzz-%s replays its corpus and regressions: exit %d\n' "$name" "$?"
    grep -E 'ERROR|SUMMARY|Running:|contract|runtime error|timeout|#[0-9]+ ' "$log" | head -40 | sed 's/^/  /'
    failed=1
  fi
done
exit "$failed"

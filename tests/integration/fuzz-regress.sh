#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Every fuzzing seed and every crash the fuzzers ever found, replayed
# through the harnesses built as plain programs ($BUILD/fuzz-replay, made
# by `make check`). Under `make asan-check` they run with ASan and UBSan.
set -u
. "$(dirname "$0")/../lib/assert.sh"
names=()
for b in "$BUILD"/fuzz-replay/fuzz-*; do
  [ -x "$b" ] && names+=("${b##*/fuzz-}")
done
if [ "${#names[@]}" -eq 0 ]; then
  fail "fuzz regressions replay" "no harness in $BUILD/fuzz-replay (build with make check)"
  exit 1
fi
exec "$ROOT/tests/fuzz/regress.sh" "$BUILD/fuzz-replay" "${names[@]}"

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What confine-runtime adds to a container start: paired, interleaved runs
# of `runc run` and `confine-runtime run` for busybox `true` under
# Docker's default seccomp profile (from tests/fixtures/docker/default.json).
#
#   bench/shim-overhead.sh [BUILD] [RUNS]      (root; needs runc, jq, busybox)
#
# Three series, interleaved so drift hits all alike:
#   runc        runc run, no shim
#   shim        confine-runtime run, shipped policy: the spec is rewritten
#               (hook injected, fsync, rename) and the injected confine-hook
#               runs inside the start, as under Docker
#   shim-nohook the same with inject.hook = false: the shim's own cost
# Each shim run starts from the pristine config.json, as every Docker
# container does. Prints the medians and the overhead of each over runc.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
RUNS=${2:-25}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BUILD ROOT
. "$ROOT/tests/lib/assert.sh"

T=$(mktemp -d /tmp/shim-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/sfs"
make_rootfs "$T/rootfs"
test_policy "$T/policy.json" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\" | .decision_log = null
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
jq '.inject.hook = false' "$T/policy.json" > "$T/nohook.json"
chmod 0644 "$T/nohook.json"

mkdir -p "$T/pristine"
(cd "$T/pristine" && runc spec)
jq --arg root "$T/rootfs" --argjson sc "$(jq -c .linux.seccomp "$ROOT/tests/fixtures/docker/default.json")" \
  '.root.path = $root | .process.terminal = false | .process.args = ["true"] | .linux.seccomp = $sc' \
  "$T/pristine/config.json" > "$T/config.json"
for b in runc shim nohook; do mkdir -p "$T/$b"; cp "$T/config.json" "$T/$b/config.json"; done

now () { date +%s%N; }
# one SERIES COMMAND...: time one start, append milliseconds to the series.
one () {
  local series=$1; shift
  local s e
  s=$(now)
  "$@" </dev/null >/dev/null 2>"$T/err" || { echo "failed: $* : $(cat "$T/err")" >&2; exit 1; }
  e=$(now)
  echo "$(( (e - s) / 1000 ))" >> "$T/$series.us"
}

for i in $(seq 0 "$RUNS"); do
  cp "$T/config.json" "$T/shim/config.json"
  cp "$T/config.json" "$T/nohook/config.json"
  # Rotate the order each round, so no series is always first or last.
  for k in 0 1 2; do
    case $(( (i + k) % 3 )) in
      0) one runc runc run -b "$T/runc" "bench-$$-r$i" ;;
      1) one shim env CONFINE_POLICY="$T/policy.json" "$BUILD/confine-runtime" run -b "$T/shim" "bench-$$-s$i" ;;
      2) one nohook env CONFINE_POLICY="$T/nohook.json" "$BUILD/confine-runtime" run -b "$T/nohook" "bench-$$-n$i" ;;
    esac
  done
  if [ "$i" = 0 ]; then rm -f "$T"/*.us; fi # the first round warms caches
done

median () { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
r=$(median "$T/runc.us"); s=$(median "$T/shim.us"); n=$(median "$T/nohook.us")
awk -v r="$r" -v s="$s" -v n="$n" -v runs="$RUNS" 'BEGIN {
  printf "runs per series:          %d (interleaved)\n", runs
  printf "runc run (median):        %.2f ms\n", r / 1000
  printf "shim, hook injected:      %.2f ms  ratio %.3f  (%+.1f%%)\n", s / 1000, s / r, (s / r - 1) * 100
  printf "shim, no hook:            %.2f ms  ratio %.3f  (%+.1f%%)\n", n / 1000, n / r, (n / r - 1) * 100
}'

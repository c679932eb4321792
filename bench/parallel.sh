#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure d: 50 containers started at once, through the shim and hook and
# through plain runc, each batch timed as a whole (bench/batch.sh starts
# them with `&` and waits for all), the two kinds interleaved.
#
#   bench/parallel.sh BUILD       (root; see bench/lib.sh for the knobs)
#
# Two sets of 50 busybox specs under Docker's default seccomp profile:
#   mixed  every 5th spec also holds CAP_SYS_ADMIN, which the gate must
#          refuse (a weak filter would not do: the shim repairs it, see
#          inject.seccomp_repair); batch.sh checks that exactly those were
#          refused by the capabilities rule, never ran, and all others ran.
#          Plain runc runs all 50, so the gated batch does less work.
#   clean  all 50 allowed: the like-for-like cost of the gate.
# A batch takes about a second: BENCH_PARALLEL_ROUNDS (default
# BENCH_ROUNDS) sets its rounds apart, for a quicker look.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_scratch parallel
PROUNDS=${BENCH_PARALLEL_ROUNDS:-$ROUNDS}
N=50
BENCH_CLEANUP=cleanup
cleanup () {
  delete_all "$RUNC_ROOT"
  local e; for e in "$T"/*/errors; do [ -s "$e" ] && { echo "== $e" >&2; head -n 20 "$e" >&2; }; done
  return 0
}
bench_runtime_setup

for set in mixed clean; do
  mkdir -p "$T/$set"
  : > "$T/$set/refuse"
  for i in $(seq 0 $((N - 1))); do
    caps='[]'
    if [ "$set" = mixed ] && [ $((i % 5)) = 4 ]; then caps='["CAP_SYS_ADMIN"]'; echo "$i" >> "$T/$set/refuse"; fi
    for mode in runc shim; do
      mkdir -p "$T/$set/$mode/pristine" "$T/$set/$mode/c$i"
      jq --arg root "$T/rootfs" --arg marks "$T/$set/$mode/marks" --arg c "c$i" --argjson sc "$DOCKER_SC" --argjson caps "$caps" '
          .root = {path: $root, readonly: true} | .process.terminal = false
          | .process.args = ["touch", "/marks/\($c)"] | .linux.seccomp = $sc
          | .process.capabilities |= with_entries(.value += $caps)
          | .mounts += [{destination: "/marks", type: "bind", source: $marks, options: ["rbind", "rw"]}]' \
        "$T/spec/config.json" > "$T/$set/$mode/pristine/c$i.json"
    done
  done
done

B=$ROOT/bench/batch.sh
for set in mixed clean; do
  case $set in
    mixed) what="10 of 50 refused by the gate" ;;
    clean) what="all 50 allowed" ;;
  esac
  ROUNDS=$PROUNDS measure "d. 50 at once, $what" -w 1 -b "bash $B reset $T $set" \
    -l "runc, 50 at once" -l "confine-runtime, 50 at once" \
    -- bash "$B" run "$T" "$set" runc -- bash "$B" run "$T" "$set" shim
done
target "d. 50 at once, all 50 allowed" "confine-runtime, 50 at once" ratio 1.05

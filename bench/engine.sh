#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure e: the runtime as an engine drives it. containerd-shim-runc-v2
# runs a runtime binary once per step of a container's life, so `docker
# run` costs a create, a start and a delete (bench/lifecycle.c does the
# same, as a subreaper that waits for the container's process), and
# engines call state, kill, delete and features besides.
#
#   bench/engine.sh BUILD       (root; see bench/lib.sh for the knobs)
#
# Groups:
#   e. engine path     lifecycle of busybox `true` under Docker's default
#                      seccomp profile (tests/fixtures/docker/default.json),
#                      runc against confine-runtime with the shipped policy
#                      (decision log on, verdict cache warm, and whatever
#                      the shim injects); every shim round starts from the
#                      pristine config.json, as every Docker container does;
#                      and the same through install.sh's layout, where the
#                      policy's `runc` is a stand-in (a copy of the shim)
#                      for runc.real, as Docker's default runtime finds it
#   f. pass-through    `state`, `kill` (SIGCONT, which a created container's
#                      init ignores), `delete --force` (of a container the
#                      setup step creates, untimed) and `features`, runc
#                      against confine-runtime: the CPU the shim adds to a
#                      command it does not judge; beside `state`, the
#                      floors (bench/exec-glibc.c, bench/exec-nolibc.c)
# Bundles, runc's state and the cache live on a tmpfs, as under /run.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_scratch engine
for b in lifecycle exec-glibc exec-nolibc; do
  [ -x "$BUILD/bench/$b" ] || { echo "bench: $BUILD/bench/$b missing; run \`make bench\`" >&2; exit 2; }
done
bench_runtime_setup
SHIM=$BUILD/confine-runtime
P=CONFINE_POLICY=$T/policy.json
LC=$BUILD/bench/lifecycle

for b in runc shim standin; do mkdir -p "$T/$b"; cp "$T/pristine.json" "$T/$b/config.json"; done
# install.sh's layout: runc diverted to runc.real, a copy of the shim in
# its place, the policy's `runtime` reaching that copy. On the disk, as
# /usr/sbin is: runc 1.1's init asks its binary for memfd seals to learn
# whether it already runs from a safe copy, and a file on a tmpfs always
# has one (F_SEAL_SEAL), so from a tmpfs it re-executes itself twice and
# copies all 9 MB into a memfd (bench/findings.md, "The stand-in row").
mkdir -p "$D/sbin"
cp "$SHIM" "$D/sbin/runc"
cp -p "$(command -v runc)" "$D/sbin/runc.real"
jq --arg rt "$D/sbin/runc" '.runtime = $rt' "$T/policy.json" > "$T/policy-standin.json"
PS=CONFINE_POLICY=$T/policy-standin.json

# Both must run, or we would time a refusal.
"$LC" runc "$RUNC_ROOT" "$T/runc" probe-runc \
  || { echo "bench: runc cannot run the benchmark bundle" >&2; exit 1; }
env "$P" "$LC" "$SHIM" "$RUNC_ROOT" "$T/shim" probe-shim \
  || { echo "bench: the shim refuses the benchmark bundle: $(tail -n 1 "$T/shim/log.json")" >&2; exit 1; }
grep -q '"id":"probe-shim"' "$T/decisions.log" \
  || { echo "bench: the shim logged no decision" >&2; exit 1; }
env "$PS" "$LC" "$SHIM" "$RUNC_ROOT" "$T/standin" probe-standin \
  || { echo "bench: the shim refuses the benchmark bundle through a stand-in: $(tail -n 1 "$T/standin/log.json")" >&2; exit 1; }
cp "$T/pristine.json" "$T/standin/config.json"

measure "e. engine path: create, start, wait, delete (busybox true)" -w 2 \
  -b "cp $T/pristine.json $T/shim/config.json; cp $T/pristine.json $T/standin/config.json" \
  -l "runc" -l "confine-runtime, shipped policy" -l "confine-runtime in front of a runc stand-in" \
  -- "$LC" runc "$RUNC_ROOT" "$T/runc" bench-runc \
  -- "$P" "$LC" "$SHIM" "$RUNC_ROOT" "$T/shim" bench-shim \
  -- "$PS" "$LC" "$SHIM" "$RUNC_ROOT" "$T/standin" bench-standin
target "e. engine path: create, start, wait, delete (busybox true)" "confine-runtime, shipped policy" ratio 1.03
target "e. engine path: create, start, wait, delete (busybox true)" "confine-runtime in front of a runc stand-in" ratio 1.03

# A created container for state and kill: its init waits for `start`.
for b in idle del-runc del-shim; do mkdir -p "$T/$b"; cp "$T/pristine.json" "$T/$b/config.json"; done
runc --root "$RUNC_ROOT" create --bundle "$T/idle" idle </dev/null >/dev/null
env "$P" "$SHIM" --root "$RUNC_ROOT" state idle >/dev/null \
  || { echo "bench: the shim's state fails" >&2; exit 1; }

passthrough () {
  local what=$1; shift
  local g="f. pass-through: $what"
  measure "$g" -w 3 "$@"
  target "$g" "confine-runtime" added 0.3
}
# Beside `state`, the floors under any shim: runc behind a program that
# only execs it, linked as the front ends are (exec-glibc: one exec and
# glibc's start), and behind one without a C library (exec-nolibc: the
# exec alone). The target sits below what exec-glibc adds on a machine
# where that start alone costs more.
RUNC=$(command -v runc)
passthrough state -l runc -l confine-runtime -l "exec-glibc (floor: exec + glibc start)" \
  -l "exec-nolibc (floor: exec alone)" \
  -- runc --root "$RUNC_ROOT" state idle -- "$P" "$SHIM" --root "$RUNC_ROOT" state idle \
  -- "$BUILD/bench/exec-glibc" "$RUNC" --root "$RUNC_ROOT" state idle \
  -- "$BUILD/bench/exec-nolibc" "$RUNC" --root "$RUNC_ROOT" state idle
passthrough "kill (SIGCONT)" -l runc -l confine-runtime \
  -- runc --root "$RUNC_ROOT" kill idle CONT -- "$P" "$SHIM" --root "$RUNC_ROOT" kill idle CONT
passthrough "delete --force (a created container)" -l runc -l confine-runtime \
  -b "runc --root $RUNC_ROOT create --bundle $T/del-runc del-runc </dev/null >/dev/null && runc --root $RUNC_ROOT create --bundle $T/del-shim del-shim </dev/null >/dev/null" \
  -- runc --root "$RUNC_ROOT" delete --force del-runc -- "$P" "$SHIM" --root "$RUNC_ROOT" delete --force del-shim
passthrough features -l runc -l confine-runtime -- runc features -- "$P" "$SHIM" features

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure b: what the gate adds to a container start. Paired, interleaved
# `runc run` of busybox `true` under Docker's default seccomp profile
# (from tests/fixtures/docker/default.json), plain and through
# confine-runtime with the shipped policy (hook injected, decision log
# on, verdict cache warm), as Docker would use it.
#
#   bench/shim-overhead.sh BUILD    (root; see bench/lib.sh for the knobs)
#
# Series, so a reader can see where the added time goes:
#   runc                 plain runc run
#   shim + hook          confine-runtime run: the shim judges and rewrites
#                        config.json (fsync, rename), execs runc, and runc
#                        runs the injected confine-hook at createRuntime
#   runc + `true` hook   runc with /bin/true as its createRuntime hook:
#                        what runc charges for running any hook at all
#   runc + confine-hook  runc on the spec the shim writes, without the
#                        shim: the hook's share
#   shim, no hook        the shim with inject.hook = false: nothing to
#                        rewrite, so the shim's own judging and exec only
# Every shim run starts from the pristine config.json, as every Docker
# container does: the timer's setup step copies it back before each
# round. Bundles and the cache live on a tmpfs, as they do under /run.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_scratch shim
RUNC_ROOT=$T/runc-state
BENCH_CLEANUP=cleanup
cleanup () { delete_all "$RUNC_ROOT"; }

# This kernel has no AppArmor: the shipped policy, but skipping that rule
# (a spec naming a profile could not start under runc here).
mkdir -p "$T/nosfs"
test_policy "$T/policy.json" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\" | .cache_dir = \"$T/cache\"
   | .decision_log = \"$T/decisions.log\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
jq '.inject.hook = false' "$T/policy.json" > "$T/nohook.json"
chmod 0644 "$T/nohook.json"

make_rootfs "$T/rootfs"
mkdir -p "$T/spec"
(cd "$T/spec" && runc spec)
jq --arg root "$T/rootfs" --argjson sc "$(jq -c .linux.seccomp "$ROOT/tests/fixtures/docker/default.json")" \
  '.root = {path: $root, readonly: true} | .process.terminal = false | .process.args = ["true"]
   | .linux.seccomp = $sc' "$T/spec/config.json" > "$T/pristine.json"

for b in runc shim nohook true-hook hook; do mkdir -p "$T/$b"; cp "$T/pristine.json" "$T/$b/config.json"; done
# The spec the shim writes, taken from one real shim run.
CONFINE_POLICY=$T/policy.json "$BUILD/confine-runtime" --root "$RUNC_ROOT" run -b "$T/hook" bench-probe \
  </dev/null >/dev/null || { echo "bench: the shim refuses the benchmark spec" >&2; exit 1; }
jq -e '.hooks.createRuntime[0].args[0] == "confine-hook"' "$T/hook/config.json" >/dev/null \
  || { echo "bench: the shim did not inject the hook" >&2; exit 1; }
jq '.hooks.createRuntime[0] |= (.path = "/bin/true" | .args = ["true"])' "$T/hook/config.json" \
  > "$T/true-hook/config.json"

SHIM=$BUILD/confine-runtime
measure "b. runc run, busybox true" -w 2 \
  -b "cp $T/pristine.json $T/shim/config.json && cp $T/pristine.json $T/nohook/config.json" \
  -l "runc" -l "shim + hook (shipped policy)" -l "diag: runc + \`true\` as hook" \
  -l "diag: runc + confine-hook, no shim" -l "diag: shim, no hook injected" \
  -- runc --root "$RUNC_ROOT" run -b "$T/runc" bench-runc \
  -- CONFINE_POLICY="$T/policy.json" "$SHIM" --root "$RUNC_ROOT" run -b "$T/shim" bench-shim \
  -- runc --root "$RUNC_ROOT" run -b "$T/true-hook" bench-true-hook \
  -- runc --root "$RUNC_ROOT" run -b "$T/hook" bench-hook \
  -- CONFINE_POLICY="$T/nohook.json" "$SHIM" --root "$RUNC_ROOT" run -b "$T/nohook" bench-nohook
target "b. runc run, busybox true" "shim + hook (shipped policy)" ratio 1.03

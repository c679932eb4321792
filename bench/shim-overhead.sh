#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure b: what the gate adds to a container start. Paired, interleaved
# `runc run` of busybox `true` under Docker's default seccomp profile
# (from tests/fixtures/docker/default.json), plain and through
# confine-runtime with the shipped policy (decision log on, verdict cache
# warm, and whatever the shim injects), as Docker would use it.
#
#   bench/shim-overhead.sh BUILD    (root; see bench/lib.sh for the knobs)
#
# Series, so a reader can see where the added time goes:
#   runc                 plain runc run
#   confine-runtime      the shim judges, rewrites config.json where it
#                        injects anything (fsync, rename) and execs runc
#   runc + `true` hook   runc with /bin/true as its createRuntime hook:
#                        what runc charges for running any hook at all
#                        (on the spec as the shim writes it, as the next)
#   runc + confine-hook  runc with confine-hook as its createRuntime hook,
#                        as Podman and CRI-O run it from hooks.d: the
#                        hook's share where the shim is not in the path
#   shim, no hook        the shim with inject.hook = false
# Every shim run starts from the pristine config.json, as every Docker
# container does: the timer's setup step copies it back before each
# round. Bundles and the cache live on a tmpfs, as they do under /run.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_scratch shim
bench_runtime_setup
jq '.inject.hook = false' "$T/policy.json" > "$T/nohook.json"
chmod 0644 "$T/nohook.json"

for b in runc shim nohook true-hook hook; do mkdir -p "$T/$b"; cp "$T/pristine.json" "$T/$b/config.json"; done
mkdir -p "$T/probe"
cp "$T/pristine.json" "$T/probe/config.json"
CONFINE_POLICY=$T/policy.json "$BUILD/confine-runtime" --root "$RUNC_ROOT" run -b "$T/probe" bench-probe \
  </dev/null >/dev/null || { echo "bench: the shim refuses the benchmark spec" >&2; exit 1; }
# The hook as hooks.d registers it. Alone, with every check on, it
# refuses Docker's stock filter (device nodes, setuid modes), which only
# the shim repairs, so both hook rows run the spec as the shim writes it
# (tests/lib/assert.sh): the same filter for runc to compile in either.
mkdir -p "$T/written"
cp "$T/pristine.json" "$T/written/config.json"
shim_written_spec "$T/written" bench-written "$T/policy.json" \
  || { echo "bench: the shim refuses the benchmark spec" >&2; exit 1; }
jq --arg hook "$BUILD/confine-hook" --arg policy "$T/policy.json" \
  '.hooks.createRuntime = [{path: $hook, args: ["confine-hook", "--policy", $policy]}]' \
  "$T/written/config.json" > "$T/hook/config.json"
jq '.hooks.createRuntime = [{path: "/bin/true", args: ["true"]}]' "$T/written/config.json" \
  > "$T/true-hook/config.json"
runc --root "$RUNC_ROOT" run -b "$T/hook" bench-hook-probe </dev/null >/dev/null \
  || { echo "bench: runc with confine-hook refuses the benchmark spec" >&2; exit 1; }

SHIM=$BUILD/confine-runtime
measure "b. runc run, busybox true" -w 2 \
  -b "cp $T/pristine.json $T/shim/config.json && cp $T/pristine.json $T/nohook/config.json" \
  -l "runc" -l "confine-runtime (shipped policy)" -l "diag: runc + \`true\` as hook" \
  -l "diag: runc + confine-hook, no shim" -l "diag: shim, no hook injected" \
  -- runc --root "$RUNC_ROOT" run -b "$T/runc" bench-runc \
  -- CONFINE_POLICY="$T/policy.json" "$SHIM" --root "$RUNC_ROOT" run -b "$T/shim" bench-shim \
  -- runc --root "$RUNC_ROOT" run -b "$T/true-hook" bench-true-hook \
  -- runc --root "$RUNC_ROOT" run -b "$T/hook" bench-hook \
  -- CONFINE_POLICY="$T/nohook.json" "$SHIM" --root "$RUNC_ROOT" run -b "$T/nohook" bench-nohook
target "b. runc run, busybox true" "confine-runtime (shipped policy)" ratio 1.03

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure a: confine-hook alone on Docker's default config, with the
# seccomp verdict cache warm and cold, next to `true` (the cost of
# spawning any process, which runc pays for every hook).
#
#   bench/hook.sh BUILD        (root; see bench/lib.sh for the knobs)
#
# The hook is judged as on an AppArmor host: a fake securityfs lists
# docker-default in enforce mode and the spec names it, so the AppArmor
# rule does its real work (this kernel has no AppArmor to ask). The
# decision log is on, as in the shipped policy.
#
# Cold means a cache directory that does not exist when the hook starts,
# emptied before every round by the timer's setup step: the hook builds
# the filter with libseccomp, evaluates it and stores the entry (fsync
# and rename). Once on a tmpfs, as /run is on a real host, and once on
# this VM's disk, to show what the fsync costs there.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_scratch hook

make_securityfs "$T/sfs" "docker-default (enforce)" "confine-default (enforce)" \
  "/usr/sbin/ntpd (enforce)" "/usr/bin/man (enforce)" "lsb_release (enforce)"
mkdir -p "$T/b"
# Docker's network hook runs a real dockerd (a stand-in: the one that
# wrote the fixture is gone), so the hooks rule does its real work too.
# Its cgroup is named after the id it is judged as, as Docker names it.
stand_in_dockerd "$T" || { echo "bench: no stand-in dockerd" >&2; exit 1; }
stop_dockerd () { kill -9 "$STAND_IN_DOCKERD" 2>/dev/null; wait "$STAND_IN_DOCKERD" 2>/dev/null; }
BENCH_CLEANUP=stop_dockerd
jq --arg exe "/proc/$STAND_IN_DOCKERD/exe" \
  '.process.apparmorProfile = "docker-default" | .hooks.prestart[0].path = $exe
   | .linux.cgroupsPath = "/docker/bench-hook"' \
  "$ROOT/tests/fixtures/docker/default.json" > "$T/b/config.json"

# One policy per cache placement; everything else is the shipped policy,
# every check on. The spec is the one the shim's create writes for runc.
for v in warm cold; do
  shipped_policy "$T/$v.json" "$T/sfs" ".cache_dir = \"$T/$v.cache\" | .decision_log = \"$T/decisions.log\""
done
shipped_policy "$T/cold-disk.json" "$T/sfs" ".cache_dir = \"$D/cold.cache\" | .decision_log = \"$T/decisions.log\""
shim_written_spec "$T/b" bench-hook "$T/warm.json" \
  || { echo "bench: the shim refuses Docker's default config" >&2; exit 1; }

oci_state "$T/b" bench-hook "$T/state.json"
# The spec must be allowed, or we would time a refusal.
"$BUILD/confine-hook" --policy "$T/warm.json" < "$T/state.json" \
  || { echo "bench: the hook refuses Docker's default config" >&2; exit 1; }

H=$BUILD/confine-hook
measure "a. hook alone" -w 3 -i "$T/state.json" -b "rm -rf $T/cold.cache $D/cold.cache" \
  -l "true (process spawn)" -l "hook, warm cache" -l "hook, cold cache (tmpfs)" \
  -l "hook, cold cache (ext4 disk)" \
  -- true \
  -- "$H" --policy "$T/warm.json" \
  -- "$H" --policy "$T/cold.json" \
  -- "$H" --policy "$T/cold-disk.json"
target "a. hook alone" "hook, warm cache" ratio 1.2
target "a. hook alone" "hook, cold cache (tmpfs)" median 10

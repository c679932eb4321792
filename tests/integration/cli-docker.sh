#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# status and denials on a real Docker engine (tests/lib/engine.sh, its own
# roots): a named container run by Docker's stock runc is listed under
# its Docker name, read from config.v2.json in the engine's own
# data-root; its seccomp profile logs nanosleep (SCMP_ACT_LOG), and
# `confine denials` attributes the kernel's records to it, by name.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$ROOT/tests/lib/engine.sh"

CONFINE=$BUILD/confine
T=$(mktemp -d /tmp/cdk.XXXXXX) # short: engine sockets live below it
NAME=confine-web-$$

cleanup () {
  engine_remove_dir "$T/e" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { fail cli-docker-setup "must run as root"; exit 1; }
engine_require_packages || { fail cli-docker-setup "missing packages"; exit 1; }
mkdir -p "$T/sfs"
test_policy "$T/policy.json" "$T/sfs" '.apparmor.when_unavailable = "skip"'
if ! engine_start "$T/e" || ! engine_import_busybox; then
  fail cli-docker-setup "engine did not start; logs in $T/e/log"
  exit 1
fi
ROOTDIR=$ENGINE_EXEC_ROOT/runtime-runc/moby

# Docker's format, as `--security-opt seccomp=FILE` takes it.
cat >"$T/log.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["nanosleep", "clock_nanosleep"], "action": "SCMP_ACT_LOG"}]}
JSON
id=$(timeout 120 docker run -d --name "$NAME" --network none --security-opt "seccomp=$T/log.json" \
       "$ENGINE_IMAGE" sleep 300 2>"$T/run.err")
if [ -z "$id" ]; then
  fail cli-docker-run "docker run failed: $(cat "$T/run.err")"
  exit 0
fi

json=$("$CONFINE" status --json --policy "$T/policy.json" --root "$ROOTDIR")
check cli-docker-status-name test \
  "$(jq -r --arg id "$id" '.containers[] | select(.id == $id) | "\(.name) \(.status) \(.seccomp.mode)"' <<<"$json")" \
  = "$NAME running 2"
out=$("$CONFINE" status --policy "$T/policy.json" --root "$ROOTDIR")
check cli-docker-status-name-text grep -q "^  $id ($NAME)  running" <<<"$out"

pid=$(docker inspect -f '{{.State.Pid}}' "$id")
for _ in $(seq 50); do
  dmesg | grep -q "type=1326 .* pid=$pid " && break
  sleep 0.1
done
json=$("$CONFINE" denials --json --policy "$T/policy.json" --root "$ROOTDIR" --id "$id")
check cli-docker-denials-by-name test \
  "$(jq -r --argjson pid "$pid" '[.[] | select(.pid == $pid)][0] | "\(.name) \(.kind) \(.action) \(.syscall | test("nanosleep"))"' <<<"$json")" \
  = "$NAME seccomp log true"
docker rm -f "$id" >/dev/null 2>&1

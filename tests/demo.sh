#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The demo: two real runc containers through the gate. One is confined by
# Docker's default seccomp profile and runs; the other asks for no filter
# and is refused before its first instruction, with the reason.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BUILD ROOT
. "$ROOT/tests/lib/assert.sh"

T=$(mktemp -d /tmp/confine-demo.XXXXXX)
trap 'rm -rf "$T"' EXIT
make_rootfs "$T/rootfs"

# This machine's kernel may lack AppArmor. With AppArmor, the policy's
# default (`reject`) applies; without it, the demo skips that one rule
# rather than pretend, and says so.
if [ -r /sys/kernel/security/apparmor/profiles ]; then
  test_policy "$T/policy.json" /sys/kernel/security
else
  echo "note: this kernel has no AppArmor; the demo policy sets apparmor.when_unavailable = skip"
  test_policy "$T/policy.json" /sys/kernel/security '.apparmor.when_unavailable = "skip"'
fi

container () { # container NAME SECCOMP-JSON
  local b=$T/$1
  mkdir -p "$b"
  (cd "$b" && runc spec)
  jq --arg root "$T/rootfs" --arg hook "$BUILD/confine-hook" --arg policy "$T/policy.json" \
     --argjson seccomp "$2" '
    .root = {path: $root, readonly: true}
    | .process.terminal = false
    | .process.args = ["sh", "-c", "echo hello from a confined container; grep Seccomp: /proc/self/status"]
    | .linux.seccomp = $seccomp
    | .hooks.createRuntime = [{path: $hook, args: ["confine-hook", "--policy", $policy], timeout: 10}]
  ' "$b/config.json" > "$b/config.new" && mv "$b/config.new" "$b/config.json"
  echo
  echo "\$ runc run $1    # linux.seccomp: $(echo "$2" | jq -c 'if . == null then "none" else {defaultAction, rules: (.syscalls | length)} end')"
  if runc --root "$T/runc" run --bundle "$b" "$1" < /dev/null; then
    echo "=> allowed"
  else
    echo "=> refused"
  fi
}

container confined "$(jq '.linux.seccomp' "$ROOT/tests/fixtures/docker/default.json")"
container unconfined null 2>&1 | sed 's/\\n"$/"/'

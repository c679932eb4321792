#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The hook with real runc: a refused container never runs its command, an
# allowed one runs under its filter, and bad input always means refusal.
set -u
. "$(dirname "$0")/../lib/assert.sh"

runc_state_setup hook

make_rootfs "$T/rootfs"
# What an image can ship: a directory that is a link into /proc, where
# runc 1.1's leaked fds live (CVE-2024-21626).
ln -s /proc/self/fd/7 "$T/rootfs/workdir"
mkdir -p "$T/marks"
make_securityfs "$T/sfs" "confine-test (enforce)" "lax (complain)"
mkdir -p "$T/nosfs"
# This kernel has no AppArmor, so runc cannot apply a profile: a container
# that is allowed to run must ask for none, under a policy that skips the
# AppArmor rule when AppArmor is unavailable.
test_policy "$T/skip.json" "$T/nosfs" '.apparmor.when_unavailable = "skip"'
# The mode and load cases list their profiles, so that the mode or the
# load decides them, not apparmor.allowed_profiles.
test_policy "$T/strict.json" "$T/sfs" '.apparmor.allowed_profiles += ["lax", "ghost"]'
WEAK_SECCOMP=$(jq '.linux.seccomp' "$ROOT/tests/fixtures/docker/weak-seccomp.json")

# bundle NAME POLICY STAGE JQ-FILTER: a runc bundle whose command leaves a
# marker on a bind mount, with the hook registered at STAGE.
bundle () {
  hook_bundle "$1" "$2" \
    "grep Seccomp: /proc/self/status > /marks/$1; cat /proc/self/attr/current >> /marks/$1 2>/dev/null; true" \
    ".hooks = {\"$3\": .hooks.createRuntime} | ${4:-.}"
}

run_bundle () { # run_bundle BUNDLE ID -> stdout+stderr in $T/out
  runc --root "$STATE" run --bundle "$1" "$2" > "$T/out" 2>&1 < /dev/null
}

# allowed: confined by seccomp, through both stages runc offers.
for stage in createRuntime prestart; do
  b=$(bundle "ok-$stage" "$T/skip.json" "$stage")
  if run_bundle "$b" "ok-$stage" && grep -q 'Seccomp:.2' "$T/marks/ok-$stage"; then
    pass "hook at $stage allows a confined container, which runs with Seccomp: 2"
  else
    fail "hook at $stage allows a confined container" "$(cat "$T/out")"
  fi
done

# refused NAME POLICY FILTER EXPECT: the marker must be absent and runc's
# error must carry our line.
refused () { hook_refused "$1" "$(bundle "$1" "$2" createRuntime "$3")" "$4"; }

refused "weak-seccomp" "$T/skip.json" ".linux.seccomp = $WEAK_SECCOMP" \
  "seccomp: filter allows bpf"
refused "cwd-leaked-fd" "$T/skip.json" '.process.cwd = "/proc/self/fd/7"' \
  "cwd: process.cwd \`/proc/self/fd/7\` is in a process's /proc directory"
refused "cwd-image-link-to-leaked-fd" "$T/skip.json" '.process.cwd = "/workdir"' \
  "cwd: process.cwd \`/workdir\` resolves through symbolic links to \`/proc/self\`"
# --no-pivot is on runc's command line, which the hook reads from its parent.
hook_refused no-pivot "$(bundle no-pivot "$T/skip.json" createRuntime)" \
  "no_pivot: the runtime is asked for --no-pivot" --no-pivot
refused "no-seccomp" "$T/skip.json" 'del(.linux.seccomp)' "seccomp: no seccomp filter"
refused "empty-seccomp-object" "$T/skip.json" '.linux.seccomp = {}' "seccomp: no seccomp filter"
refused "apparmor-complain" "$T/strict.json" '.process.apparmorProfile = "lax"' \
  "apparmor: AppArmor profile \`lax\` is in complain mode"
refused "apparmor-not-loaded" "$T/strict.json" '.process.apparmorProfile = "ghost"' \
  "apparmor: AppArmor profile \`ghost\` is not loaded"
refused "apparmor-missing" "$T/strict.json" '.' "apparmor: no AppArmor profile"
refused "apparmor-enforcing-but-not-allowed" "$T/strict.json" '.process.apparmorProfile = "confine-test"' \
  "apparmor: AppArmor profile \`confine-test\` is not one the policy allows; to allow it, add it to apparmor.allowed_profiles"
test_policy "$T/reject.json" "$T/nosfs"
refused "apparmor-unavailable-fails-closed" "$T/skip.json" \
  '.hooks.createRuntime[0].args[2] = "'"$T"'/reject.json"' "apparmor: AppArmor is not available"
refused "cap-sys-admin" "$T/skip.json" '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]' \
  "capabilities: CAP_SYS_ADMIN (bounding)"
refused "unknown-capability" "$T/skip.json" '.process.capabilities.effective += ["CAP_WIZARDRY"]' \
  "capabilities: unknown to runc: CAP_WIZARDRY"
refused "host-pid" "$T/skip.json" '.linux.namespaces |= map(select(.type != "pid"))' \
  "namespaces: no pid namespace"
refused "host-root-bind" "$T/skip.json" \
  '.mounts += [{destination: "/host", type: "bind", source: "/", options: ["rbind"]}]' \
  "mounts: bind mount of \`/\` at \`/host\` (/) exposes the host's \`/\`"
refused "unmasked-proc" "$T/skip.json" '.linux.maskedPaths = []' "masked_paths: linux.maskedPaths does not mask /proc/kcore"
refused "all-devices" "$T/skip.json" \
  '.linux.resources.devices = [{allow: true, access: "rwm"}]' "devices: device cgroup rule 0 allows every device"
# Go's decoder folds keys; a second, differently-cased key must not slip by.
refused "case-folded-key" "$T/skip.json" '.process.ApparmorProfile = "unconfined"' \
  "runc's JSON decoder would read it"
refused "missing-policy" "$T/does-not-exist.json" '.' "policy \`$T/does-not-exist.json\`: open"

chmod 0666 "$T/skip.json"
refused "policy-writable-by-others" "$T/skip.json" '.' "not writable by group or others"
chmod 0644 "$T/skip.json"

# Duplicate keys: Go keeps the last one; yajl_tree would read the first.
b=$(bundle "duplicate-key" "$T/skip.json" createRuntime)
sed -i 's/^{/{"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW"}},/' "$b/config.json"
if run_bundle "$b" duplicate-key || [ -e "$T/marks/duplicate-key" ]; then
  fail "duplicate keys" "container ran"
elif grep -q 'confine: refused: .*duplicate JSON key' "$T/out"; then
  pass "duplicate-key: a config.json with duplicate keys is refused"
else
  fail "duplicate keys" "$(cat "$T/out")"
fi

# Direct invocations: every bad input is a refusal with one `confine: ` line.
hook_input () { # hook_input NAME STDIN-FILE [ARGS...]
  local name=$1 input=$2; shift 2
  local start end rc
  start=$(date +%s%N)
  timeout 30 "$BUILD/confine-hook" "$@" < "$input" > "$T/hout" 2> "$T/herr"
  rc=$?
  end=$(date +%s%N)
  if [ "$rc" -eq 0 ]; then
    fail "$name" "allowed"
  elif [ "$rc" -eq 124 ]; then
    fail "$name" "hung"
  elif [ "$(wc -l < "$T/herr")" -ne 1 ] || ! grep -q '^confine: ' "$T/herr"; then
    fail "$name" "stderr is not one confine: line: $(cat "$T/herr")"
  else
    pass "$name: refused in $(( (end - start) / 1000000 )) ms: $(cut -c1-100 "$T/herr")"
  fi
}
state () { printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"%s"}' "$1" > "$T/state"; echo "$T/state"; }

good=$T/ok-createRuntime
hook_input "garbage state" <(printf 'not json') --policy "$T/skip.json"
hook_input "empty state" /dev/null --policy "$T/skip.json"
head -c 2000000 /dev/zero | tr '\0' ' ' > "$T/huge"
hook_input "state larger than the bound" "$T/huge" --policy "$T/skip.json"
hook_input "missing bundle" "$(state "$T/nowhere")" --policy "$T/skip.json"
hook_input "relative bundle" <(printf '{"id":"x","bundle":"rel"}') --policy "$T/skip.json"
mkdir -p "$T/fifo-bundle"; mkfifo "$T/fifo-bundle/config.json"
hook_input "config.json is a FIFO (never blocks)" "$(state "$T/fifo-bundle")" --policy "$T/skip.json"
mkdir -p "$T/link-bundle"; ln -s "$good/config.json" "$T/link-bundle/config.json"
hook_input "config.json is a symlink" "$(state "$T/link-bundle")" --policy "$T/skip.json"
mkdir -p "$T/dev-bundle"; ln -s /dev/zero "$T/dev-bundle/config.json"
hook_input "config.json is a device" "$(state "$T/dev-bundle")" --policy "$T/skip.json"
mkdir -p "$T/big-bundle"; { printf '{"annotations":{"a":"'; head -c 17000000 /dev/zero | tr '\0' a; printf '"}}'; } > "$T/big-bundle/config.json"
hook_input "config.json larger than the bound" "$(state "$T/big-bundle")" --policy "$T/skip.json"
mkdir -p "$T/deep-bundle"; { printf '{"annotations":'; printf '[%.0s' $(seq 1 100000); } > "$T/deep-bundle/config.json"
hook_input "deeply nested config.json" "$(state "$T/deep-bundle")" --policy "$T/skip.json"
# runc reads config.json once and the hook reads it after: only root may
# be able to change it in between.
mkdir -p "$T/open-file"; cp "$good/config.json" "$T/open-file/"; chmod 0666 "$T/open-file/config.json"
hook_input "config.json writable by others" "$(state "$T/open-file")" --policy "$T/skip.json"
mkdir -p "$T/open-dir"; cp "$good/config.json" "$T/open-dir/"; chmod 0777 "$T/open-dir"
hook_input "bundle directory writable by others" "$(state "$T/open-dir")" --policy "$T/skip.json"
mkdir -p "$T/types-bundle"; echo '{"process":{"capabilities":{"bounding":"CAP_SYS_ADMIN"}}}' > "$T/types-bundle/config.json"
hook_input "wrong JSON types" "$(state "$T/types-bundle")" --policy "$T/skip.json"
echo '{"mode":' > "$T/broken-policy.json"
hook_input "malformed policy" "$(state "$good")" --policy "$T/broken-policy.json"
hook_input "unknown argument" "$(state "$good")" --frobnicate
# stdin that never ends: the hook's own deadline must refuse.
if [ -n "${CONFINE_SLOW_TESTS:-}" ]; then
  hook_input "stdin that never closes" <(sleep 60) --policy "$T/skip.json"
fi

# The hook judges the namespaces the container's init is really in, not
# only what config.json says: an init in the host's namespaces is refused
# even when the file lists new ones.
printf '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":%d,"bundle":"%s"}' "$$" "$good" > "$T/host-pid-state"
if "$BUILD/confine-hook" --policy "$T/skip.json" < "$T/host-pid-state" 2> "$T/herr"; then
  fail "init in the host's namespaces" "allowed"
elif grep -q "the container's init (pid $$) is in the host's pid namespace" "$T/herr"; then
  pass "an init that is really in the host's namespaces is refused, whatever config.json says"
else
  fail "init in the host's namespaces" "$(cat "$T/herr")"
fi
# Like runc's init before pivot_root: its root filesystem mounted on itself.
unshare --pid --net --ipc --uts --mount --fork sh -c "mount --bind '$T/rootfs' '$T/rootfs' && exec sleep 30" &
ns_parent=$!
ns_pid=
for _ in $(seq 1 100); do
  ns_pid=$(pgrep -P "$ns_parent" sleep) && break
  sleep 0.05
done
printf '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":%d,"bundle":"%s"}' "${ns_pid:-0}" "$good" > "$T/ns-pid-state"
if [ -n "$ns_pid" ] && "$BUILD/confine-hook" --policy "$T/skip.json" < "$T/ns-pid-state" 2> "$T/herr"; then
  pass "an init in namespaces of its own is allowed"
else
  fail "init in its own namespaces" "pid ${ns_pid:-none}: $(cat "$T/herr")"
fi
kill "$ns_parent" 2>/dev/null; wait "$ns_parent" 2>/dev/null

# The decision log got one JSON line per decision.
if jq -e -s 'length > 5 and all(.[]; .component == "hook" and (.verdict | test("allow|refuse")) and (.policy_sha256 | length == 64))' "$T/skip.log" > /dev/null; then
  pass "every decision left one well-formed JSON line in the decision log"
else
  fail "decision log" "$(head -c 300 "$T/skip.log")"
fi

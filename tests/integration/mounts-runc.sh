#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Host paths with real runc: the root filesystem and namespace paths are
# judged like bind sources, a directory holding an engine socket is
# refused, sysfs must be read-only, and the hook judges what the kernel
# really mounted, which catches a bind source whose link is retargeted
# between runc's mount and the check. A refused container's command never
# runs; in audit mode the same container runs and shows that the access
# was real.
set -u
. "$(dirname "$0")/../lib/assert.sh"

runc_state_setup mounts-runc
make_rootfs "$T/rootfs"
mkdir -p "$T/marks" "$T/benign" "$T/sfs"
echo benign > "$T/benign/which"
test_policy "$T/policy.json" "$T/sfs" '.apparmor.when_unavailable = "skip"'
test_policy "$T/audit.json" "$T/sfs" '.apparmor.when_unavailable = "skip" | .mode = "audit"'

# The race, made certain: runc runs prestart hooks after every mount and
# before createRuntime, so this one retargets the bind source's link from
# the host's /etc to a harmless directory between runc's mount and the
# gate's hook. The spec check then sees only the harmless directory.
cat > "$T/retarget" <<EOF
#!/bin/sh
ln -sfn "$T/benign" "$T/link"
EOF
chmod 0755 "$T/retarget"

# bundle NAME POLICY [JQ-FILTER]: the hook at createRuntime; the command
# leaves a marker, with what it reads at /data, on a bind mount.
bundle () {
  hook_bundle "$1" "$2" "echo ran > /marks/$1; cat /data/which /data/passwd >> /marks/$1 2>/dev/null; true" "${3:-.}"
}
DATA_LINK='.mounts += [{destination: "/data", type: "bind", source: "'"$T"'/link", options: ["rbind", "ro"]}]'
RETARGET='.hooks.prestart = [{path: "'"$T"'/retarget", timeout: 10}]'

run_bundle () { # run_bundle BUNDLE ID -> stdout+stderr in $T/out
  IDS+=("$2")
  runc --root "$STATE" run --bundle "$1" "$2" > "$T/out" 2>&1 < /dev/null
}

# refused NAME POLICY FILTER EXPECT: runc fails, the command never ran,
# and runc's error carries the hook's reason.
refused () { hook_refused "$1" "$(bundle "$1" "$2" "$3")" "$4"; }

# Positive control: a link to a harmless directory all along runs.
ln -sfn "$T/benign" "$T/link"
b=$(bundle benign-link "$T/policy.json" "$DATA_LINK")
if run_bundle "$b" benign-link && grep -q '^benign' "$T/marks/benign-link"; then
  pass "a bind source linking to a harmless directory runs, and the hook judged its mounts live"
else
  fail "benign link" "$(cat "$T/out")"
fi

# The link points at /etc when runc mounts it, and at the harmless
# directory when the hook looks at the spec: only the live check sees it.
ln -sfn /etc "$T/link"
refused race-to-etc "$T/policy.json" "$DATA_LINK | $RETARGET" \
  "mounts: the kernel mounted the host's \`/etc\` as the mount at \`/data\`, which exposes the host's \`/etc\`"

# The same in audit mode runs: from inside, /data is the host's /etc, so
# the access the live check refused was real, and the decision log has it.
ln -sfn /etc "$T/link"
b=$(bundle race-audit "$T/audit.json" "$DATA_LINK | $RETARGET")
if run_bundle "$b" race-audit && grep -q "^root:" "$T/marks/race-audit" \
   && ! grep -q '^benign' "$T/marks/race-audit" \
   && grep -q '"verdict":"audit-refuse".*the kernel mounted the host.s `/etc`' "$T/audit.log"; then
  pass "in audit mode the raced container reads the host's /etc at /data, as the live check said"
else
  fail "race in audit mode" "$(cat "$T/out"; head -3 "$T/marks/race-audit"; tail -c 600 "$T/audit.log")"
fi

# The host's / as the writable root filesystem.
refused root-is-host "$T/policy.json" \
  '.root = {path: "/", readonly: false} | .mounts |= map(select(.destination != "/marks" and .destination != "/sys/fs/cgroup"))
   | .process.args = ["touch", "'"$T"'/marks/root-is-host"]' \
  "mounts: root filesystem \`/\` (/) exposes the host's \`/\`"

# A directory that holds a listening engine socket three levels down.
mkdir -p "$T/sockdir/a/b"
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(60)' \
  "$T/sockdir/a/b/docker.sock" &
listener=$!
for _ in $(seq 1 50); do [ -S "$T/sockdir/a/b/docker.sock" ] && break; sleep 0.1; done
refused socket-dir "$T/policy.json" \
  '.mounts += [{destination: "/data", type: "bind", source: "'"$T"'/sockdir", options: ["rbind", "ro"]}]' \
  "holds \`$T/sockdir/a/b/docker.sock\` (policy pattern \`*/docker.sock\`)"
kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null

refused writable-sysfs "$T/policy.json" \
  '.mounts |= map(if .type == "sysfs" then .options -= ["ro"] else . end)' \
  "mounts: sysfs mount at \`/sys\` is not read-only"

# Joining the host's UTS namespace by path: runc would set the hostname
# in it (the spec's hostname is dropped here, so nothing can reach the
# host's even if the gate failed).
refused host-uts-path "$T/policy.json" \
  'del(.hostname) | .linux.namespaces |= map(if .type == "uts" then .path = "/proc/self/ns/uts" else . end)' \
  "uts namespace path \`/proc/self/ns/uts\` is the host's own namespace"

# After `runc create` (what the shim can check once create returns): the
# init has pivoted into its root, runc has bound /dev/null over the masked
# paths and mounted cgroups read-only; all of that passes, and a raced
# bind of /etc does not. The hook, given the init's pid, runs the same
# check the shim can call (confine_mounts_judge_live); its cwd rule reads
# the root through /proc/PID/root, which holds only before pivot_root, so
# it is off here.
test_policy "$T/after.json" "$T/sfs" '.apparmor.when_unavailable = "skip" | .rules.cwd = "off"'
created () { # created NAME FILTER: runc create without the gate's hook; prints the init's pid
  local name=$1 filter=$2 b
  b=$(bundle "$name" "$T/policy.json" "del(.hooks.createRuntime) | $filter")
  IDS+=("$name")
  runc --root "$STATE" create --bundle "$b" "$name" > "$T/out" 2>&1 < /dev/null || return 1
  runc --root "$STATE" state "$name" | jq -r .pid
}
live_hook () { # live_hook NAME PID
  printf '{"ociVersion":"1.0.2","id":"%s","status":"created","pid":%d,"bundle":"%s"}' \
    "$1" "$2" "$T/$1" | "$BUILD/confine-hook" --policy "$T/after.json" 2> "$T/herr"
}
ln -sfn "$T/benign" "$T/link"
if pid=$(created after-create-benign "$DATA_LINK") && live_hook after-create-benign "$pid"; then
  pass "after create, a container's real mounts (masked paths, cgroups, its root) pass"
else
  fail "after create, benign" "$(cat "$T/out" "$T/herr")"
fi
ln -sfn /etc "$T/link"
if ! pid=$(created after-create-race "$DATA_LINK | $RETARGET"); then
  fail "after create, raced" "$(cat "$T/out")"
elif live_hook after-create-race "$pid"; then
  fail "after create, raced" "allowed"
elif grep -qF "the kernel mounted the host's \`/etc\` as the mount at \`/data\`" "$T/herr"; then
  pass "after create, a raced bind of /etc is refused from the init's real mounts"
else
  fail "after create, raced" "$(cat "$T/herr")"
fi

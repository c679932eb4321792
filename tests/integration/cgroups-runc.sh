#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The cgroups rule in front of the real runc 1.1.5: a unified core file
# and a cgroupsPath that names an existing cgroup (a host process's) or
# climbs out with `..` are refused before the container's command runs;
# a Docker-shaped cgroupsPath and a unified limit get through.
#
# What this cgroup v1 (hybrid) host cannot show: runc 1.1 refuses every
# linux.resources.unified entry on v1 ("cannot use unified on cgroup
# v1") and writes none, so the write of cgroup.procs itself (a host
# process moved into the container's cgroup) is shown only by the VM
# suite (tests/vm/scenarios.sh, cgroup v2). Here the positive control for
# unified is that the gate lets pids.max through to runc, whose own v1
# error (not confine's) then stops it; on a v2 host it runs.
# Needs root, runc, jq and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

SHIM=$BUILD/confine-runtime
runc_state_setup cgroups-runc
shim_test_setup cgroups-runc "$T"
ID=cgtest-$$
VICTIM=confine-victim-$$
PARENT=confine-parent-$$
SLICE=confinetest$$.slice
SLEEPER=

cleanup () {
  [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null
  wait 2>/dev/null
  _runc_state_cleanup
  # runc makes the path in every v1 hierarchy; leaves first.
  find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -depth -type d \
       \( -name "$VICTIM" -o -name "$PARENT" -o -path "*/$PARENT/*" -o -name "$SLICE" \
          -o -path "*/$SLICE/*" \) -exec rmdir {} + 2>/dev/null
}
trap cleanup EXIT

make_rootfs "$T/rootfs"
mkdir -p "$T/out"
V2=false
[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && V2=true
# The pids hierarchy on v1, the only one on v2.
if $V2; then PIDS_ROOT=/sys/fs/cgroup; else PIDS_ROOT=/sys/fs/cgroup/pids; fi
own_pids_cgroup () {
  if $V2; then sed -n 's/^0:://p' "/proc/$1/cgroup"; else sed -n 's/^[0-9]*:pids://p' "/proc/$1/cgroup"; fi
}

# A host process in a cgroup of its own: what a container must not join.
mkdir -p "$PIDS_ROOT/$VICTIM"
sleep 600 &
SLEEPER=$!
echo "$SLEEPER" >"$PIDS_ROOT/$VICTIM/cgroup.procs"
check control-victim-in-its-cgroup test "$(own_pids_cgroup "$SLEEPER")" = "/$VICTIM"

marker_cmd () { printf '["sh", "-c", "cat /proc/self/cgroup > /mnt/%s"]' "$1"; }

# --- refused before the command runs ----------------------------------------

new_bundle "$T/procs" "$(marker_cmd procs)" \
  ".linux.resources.unified = {\"cgroup.procs\": \"$SLEEPER\"} | .linux.cgroupsPath = \"/$PARENT/$ID-procs\""
refused_never_ran cgroups-unified-cgroup-procs-refused procs cgroups \
  "$SHIM" --root "$STATE" run -b "$T/procs" "$ID-procs"
check cgroups-unified-victim-not-moved test "$(own_pids_cgroup "$SLEEPER")" = "/$VICTIM"

new_bundle "$T/kill" "$(marker_cmd kill)" \
  ".linux.resources.unified = {\"pids.max\": \"10\", \"cgroup.kill\": \"1\"}"
refused_never_ran cgroups-unified-cgroup-kill-refused kill cgroups \
  "$SHIM" --root "$STATE" run -b "$T/kill" "$ID-kill"

new_bundle "$T/dotdot" "$(marker_cmd dotdot)" ".linux.cgroupsPath = \"/$PARENT/../$VICTIM/$ID-dotdot\""
refused_never_ran cgroups-path-dotdot-refused dotdot cgroups \
  "$SHIM" --root "$STATE" run -b "$T/dotdot" "$ID-dotdot"

# The victim's cgroup named outright. Control first: runc alone puts the
# container right next to the host process, in its cgroup.
new_bundle "$T/join" "$(marker_cmd join)" ".linux.cgroupsPath = \"/$VICTIM\""
rm -f "$T/out/join"
timeout 60 runc --root "$STATE" run -b "$T/join" "$ID-ctl" </dev/null >"$T/ctl.out" 2>&1
if grep -qE "^[0-9]+:pids:/$VICTIM\$|^0::/$VICTIM\$" "$T/out/join" 2>/dev/null; then
  pass control-runc-alone-joins-the-host-cgroup
else
  fail control-runc-alone-joins-the-host-cgroup "$(cat "$T/ctl.out" "$T/out/join" 2>&1)"
fi
timeout 10 runc --root "$STATE" delete --force "$ID-ctl" >/dev/null 2>&1
refused_never_ran cgroups-path-host-cgroup-refused join cgroups \
  "$SHIM" --root "$STATE" run -b "$T/join" "$ID-join"
check cgroups-victim-alive kill -0 "$SLEEPER"

# A service's slice (`docker run --cgroup-parent=critical.slice` with the
# systemd driver): the host process sits in db.service inside it, the
# slice holds none of its own. Refused before runc; the same shape in a
# slice nothing runs in passes the judgement (this host has no systemd
# for runc's --systemd-cgroup, so that container is not started).
mkdir -p "$PIDS_ROOT/$SLICE/db.service"
echo "$SLEEPER" >"$PIDS_ROOT/$SLICE/db.service/cgroup.procs"
new_bundle "$T/slice" "$(marker_cmd slice)" ".linux.cgroupsPath = \"$SLICE:docker:$ID-slice\""
refused_never_ran cgroups-path-service-slice-refused slice cgroups \
  "$SHIM" --root "$STATE" run -b "$T/slice" "$ID-slice"
echo "$SLEEPER" >"$PIDS_ROOT/$VICTIM/cgroup.procs"
out=$("$BUILD/confine" check --policy "$CONFINE_POLICY" --id "$ID-slice" "$T/slice" 2>&1)
if grep -q '^cgroups *pass\|cgroups.*pass' <<<"$out" && ! grep -q 'cgroups.*fail\|cgroups.*FAIL' <<<"$out"; then
  pass cgroups-path-empty-slice-passes
else
  fail cgroups-path-empty-slice-passes "$out"
fi

# --- what engines write still runs ------------------------------------------

# Docker's shape with --cgroup-parent: PARENT/ID.
new_bundle "$T/docker" "$(marker_cmd docker)" ".linux.cgroupsPath = \"/$PARENT/$ID-docker\""
rm -f "$T/out/docker"
out=$(timeout 60 "$SHIM" --root "$STATE" run -b "$T/docker" "$ID-docker" </dev/null 2>&1)
if grep -qE "^([0-9]+:pids|0:):/$PARENT/$ID-docker\$" "$T/out/docker" 2>/dev/null; then
  pass cgroups-docker-shaped-path-runs
else
  fail cgroups-docker-shaped-path-runs "$out $(cat "$T/out/docker" 2>&1)"
fi

# A limit: the gate lets it through to runc. On v1 runc itself refuses
# any unified entry, and says so in its own words.
new_bundle "$T/limit" '["sh", "-c", "cat /sys/fs/cgroup/pids.max > /mnt/limit"]' \
  ".linux.resources.unified = {\"pids.max\": \"10\"} | .linux.cgroupsPath = \"/$PARENT/$ID-limit\""
rm -f "$T/out/limit"
out=$(timeout 60 "$SHIM" --root "$STATE" run -b "$T/limit" "$ID-limit" </dev/null 2>&1)
if $V2; then
  check cgroups-unified-limit-runs test "$(cat "$T/out/limit" 2>&1)" = 10
elif ! grep -q 'confine: refused' <<<"$out" && grep -q 'cannot use unified on cgroup v1' <<<"$out"; then
  pass cgroups-unified-limit-reaches-runc
else
  fail cgroups-unified-limit-reaches-runc "$out"
fi

# --- runc update --resources: the same unified files, on a running container

new_bundle "$T/upd" '["sleep", "120"]' ".linux.cgroupsPath = \"/$PARENT/$ID-upd\""
timeout 60 runc --root "$STATE" run -d -b "$T/upd" "$ID-upd" </dev/null >/dev/null 2>&1
UPD_PIDS=$PIDS_ROOT/$PARENT/$ID-upd/pids.max
check control-update-container-runs test -e "$UPD_PIDS"
out=$(printf '{"unified": {"cgroup.procs": "%s"}}' "$SLEEPER" |
      timeout 60 "$SHIM" --root "$STATE" update --resources - "$ID-upd" 2>&1)
if [ $? = 1 ] && refused_by cgroups <<<"$out" && [ "$(own_pids_cgroup "$SLEEPER")" = "/$VICTIM" ]; then
  pass cgroups-update-cgroup-procs-refused
else
  fail cgroups-update-cgroup-procs-refused "$out; victim in $(own_pids_cgroup "$SLEEPER")"
fi
# What was judged is what runc reads: a file becomes the bytes on stdin.
echo '{"pids": {"limit": 50}}' >"$T/pids50.json"
out=$(timeout 60 "$SHIM" --root "$STATE" update --resources="$T/pids50.json" "$ID-upd" 2>&1 </dev/null)
check cgroups-update-file-applied test "$?/$(cat "$UPD_PIDS")" = 0/50
out=$(echo '{"pids": {"limit": 40}}' | timeout 60 "$SHIM" --root "$STATE" update -r - "$ID-upd" 2>&1)
check cgroups-update-stdin-applied test "$?/$(cat "$UPD_PIDS")" = 0/40
out=$(echo '{"unified": {"pids.max": "30"}}' | timeout 60 "$SHIM" --root "$STATE" update -r - "$ID-upd" 2>&1)
if $V2; then
  check cgroups-update-unified-limit-applied test "$(cat "$UPD_PIDS")" = 30
elif ! grep -q 'confine: refused' <<<"$out" && grep -q 'cannot use unified on cgroup v1' <<<"$out"; then
  pass cgroups-update-unified-limit-reaches-runc
else
  fail cgroups-update-unified-limit-reaches-runc "$out"
fi

#!/bin/sh
# found-31: linux.cgroupsPath inside a host service's cgroup (red team
# F06): `docker run --cgroup-parent=/system.slice/mysql.service` with the
# cgroupfs driver (containerd, Podman likewise). The container's cgroup
# is made inside the service's, so its memory is charged to the
# service's limit and the kernel's OOM killer, run for that limit, kills
# the service. Here a host "service" cgroup holding a live process; the
# container, when it runs, records its cgroup. Positive controls first:
# a new parent of the operator's (`--cgroup-parent=/ci`) runs, and an
# existing parent that holds no process, as /docker. SERVICE names the
# service's cgroup (found-52: one not named like a systemd unit), and
# SUBGROUP a cgroup below it where the service's process sits instead
# (found-69: the parent holds none of its own, its subtree does).
# Exit 0: the container ran inside the service's cgroup; 1: refused and
# never ran.
. "$(dirname "$0")/lib.sh"
SVC=${SERVICE:-confine-found31-$$.service}
PARENT=confine-found31-$$-ci
EMPTY=confine-found31-$$-docker
VICTIM=
cleanup () {
  [ -n "$VICTIM" ] && kill "$VICTIM" 2>/dev/null
  runc --root "$W/runc" delete --force "rt-$$" >/dev/null 2>&1
  sleep 0.2
  for d in /sys/fs/cgroup/*/"$SVC"/* /sys/fs/cgroup/*/"$PARENT"/* /sys/fs/cgroup/"$SVC"/* \
           /sys/fs/cgroup/"$PARENT"/*; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
  for d in /sys/fs/cgroup/*/"$SVC" /sys/fs/cgroup/*/"$PARENT" /sys/fs/cgroup/"$SVC" \
           /sys/fs/cgroup/"$PARENT" /sys/fs/cgroup/*/"$EMPTY"/* /sys/fs/cgroup/*/"$EMPTY" \
           /sys/fs/cgroup/"$EMPTY"/* /sys/fs/cgroup/"$EMPTY"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
}
# The host service: a process in its own cgroup of the memory hierarchy
# (cgroup v1 here; the unified hierarchy when that is all there is).
CG=/sys/fs/cgroup/memory/$SVC
[ -d /sys/fs/cgroup/memory ] || CG=/sys/fs/cgroup/$SVC
mkdir "$CG" || exit 2
PROCS=$CG/cgroup.procs
if [ -n "${SUBGROUP:-}" ]; then mkdir "$CG/$SUBGROUP" || exit 2; PROCS=$CG/$SUBGROUP/cgroup.procs; fi
sh -c "echo \$\$ > $PROCS; exec sleep 60" &
VICTIM=$!
policy
attempt () {
  rm -f "$W/out/ran"
  B=$W/bundle-$2
  bundle "$B" "
c['linux']['cgroupsPath']='/$1/rt-$$'
c['process']['args']=['sh','-c','cat /proc/self/cgroup > /out/ran']
"
  judge "$B"; rc=$?
  runc --root "$W/runc" delete --force "rt-$$" >/dev/null 2>&1
  return $rc
}
if ! attempt "$PARENT" control || ! grep -q "/$PARENT/rt-$$" "$W/out/ran"; then
  echo "positive control failed: a new parent cgroup did not run"; exit 2
fi
echo "positive control: a new parent cgroup ran"
# An existing parent that holds no process, as /docker does: runs.
mkdir "$(dirname "$CG")/$EMPTY" || exit 2
if ! attempt "$EMPTY" control || ! grep -q "/$EMPTY/rt-$$" "$W/out/ran"; then
  echo "positive control failed: an existing parent holding no process did not run"; exit 2
fi
echo "positive control: an existing parent holding no process ran"
attempt "$SVC" attack; rc=$?
if [ $rc = 0 ] && grep -q "/$SVC/rt-$$" "$W/out/ran" 2>/dev/null; then
  echo "ATTACK WORKED: the container ran inside the host service's cgroup: $(grep memory "$W/out/ran")"
  exit 0
fi
if [ -e "$W/out/ran" ]; then echo "the container ran"; exit 2; fi
echo "gate refused or attack failed; the container never ran"; exit 1

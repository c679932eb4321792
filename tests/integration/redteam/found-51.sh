#!/bin/sh
# found-51: a Docker volume of a cgroup v1 named hierarchy
# (`docker volume create -o type=cgroup -o o=none,name=X -o device=cgroup`:
# dockerd mounts that hierarchy at the volume's _data, a new one or the
# host's of that name), bound below /sys/fs/cgroup.
#   attack: the host's name=systemd hierarchy, where every host service
#   has its cgroup (hybrid hosts; runc puts the container in it, below
#   the root): refused, as not the container's own cgroup;
#   control: a new named hierarchy. The container is in its root (runc
#   joins no named hierarchy but systemd's), so it is the container's own
#   cgroup, and runc itself binds every host v1 hierarchy into every
#   container read-only (here at /sys/fs/cgroup/_data): it runs, sees
#   only its own processes in cgroup.procs (its pid namespace), and
#   cannot write (read-only; release_agent would need CAP_SYS_ADMIN in
#   the host's user namespace anyway, kernels from 5.17).
# Exit 0: the container saw the host's services' hierarchy; 1: refused;
# 2: the test failed (or the host has no name=systemd hierarchy).
[ -n "${FOUND_INNER:-}" ] || exec env FOUND_INNER=1 unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/kernel-volume.sh"
grep -q '^[0-9]*:name=systemd:' /proc/self/cgroup || { echo "no name=systemd hierarchy here"; exit 2; }
policy
named () { # NAME: bind a volume of the named hierarchy NAME, then attack
  V=/var/lib/docker/volumes/$1/_data
  mkdir -p "$V" && mount -t cgroup -o "none,name=$1" cgroup "$V" || exit 2
  rm -rf "$W/out/"*
  B=$W/bundle-$1
  bundle "$B" "
c['mounts'].append({'destination':'/sys/fs/cgroup/named','type':'bind','source':'$V','options':['rbind','ro','rprivate']})
c['process']['args']=['sh','-c','grep :name=$1: /proc/self/cgroup > /out/seen; wc -l < /sys/fs/cgroup/named/cgroup.procs >> /out/seen; (echo 1 > /sys/fs/cgroup/named/notify_on_release) 2>> /out/seen; echo ran > /out/ran']
"
  id=rt-kv-$1-$$
  attack
  runc --root "$R" delete -f "$id" >/dev/null 2>&1
}
named confine51
grep -qx "[0-9]*:name=confine51:/" "$W/out/seen" && grep -qx 2 "$W/out/seen" \
  && grep -q "Read-only file system" "$W/out/seen" \
  || { echo "control failed: rc=$rc $(cat "$W/out/seen" 2>&1)"; exit 2; }
echo "control: a new named hierarchy ran read-only, the container in its root: $(tr '\n' ' ' < "$W/out/seen")"
named systemd
[ $rc = 0 ] && { echo "ATTACK WORKED: the container sees the host's name=systemd hierarchy"; exit 0; }
exit 1

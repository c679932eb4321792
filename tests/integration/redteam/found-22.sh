#!/bin/sh
# found-22: a Docker volume of type cgroup2 (the host's whole cgroup2
# hierarchy) bound read-only at /sys/fs/cgroup/host, in a container that
# shares the host's cgroup namespace (Docker's default on cgroup v1 and
# hybrid hosts). The live check took any cgroup2 whose root is `/` below
# the spec's cgroup destination for runc's own mount in the host's
# cgroup namespace; runc makes that mount only at the destination itself
# (cgroup v2 hosts). The container sees every host cgroup.
# Exit 0: the container saw a host-only cgroup; 1: refused.
[ -n "${FOUND_INNER:-}" ] || exec env FOUND_INNER=1 unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/kernel-volume.sh"
volume cgroup2
g=confine-rt22-$$
mkdir "$V/$g" || exit 2
policy
B=$W/bundle
bundle "$B" "
c['mounts'].append({'destination':'/sys/fs/cgroup/host','type':'bind','source':'$V','options':['rbind','ro','rprivate']})
c['process']['args']=['sh','-c','ls /sys/fs/cgroup/host > /out/seen; echo ran > /out/ran']
"
attack
rmdir "$V/$g"
[ $rc = 0 ] && grep -qx "$g" "$W/out/seen" && {
  echo "ATTACK WORKED: the container sees the host's cgroup $g"; exit 0; }
echo "the container saw no host cgroup"; exit 1

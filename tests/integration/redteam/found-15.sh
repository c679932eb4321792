#!/bin/bash
# found-15: the roots of mounts.allowed_subtrees were themselves allowed
# bind sources: /var/lib/kubelet/pods (every pod's service-account
# tokens and secrets), /var/lib/docker/containers (every container's
# config.v2.json with its env), /var/lib/docker/volumes, the CRI's
# sandboxes. An entry now admits only what one container gets:
# `/var/lib/docker/volumes/*/_data`, `/var/lib/docker/containers/*`, and
# `/var/lib/kubelet/pods/{owner}`, only the container's own pod's
# (found-63 runs the kubelet's and the CRI's own binds from a pod's CRI
# bundle, and refuses a second pod's volume beside the first's files).
# Private mount namespace, a tmpfs over /var/lib with the engines'
# directories as they lay them out. Controls first: Docker's own binds
# (hostname, hosts, resolv.conf, the shm tmpfs, a named volume) run.
# Exit 0: an attack ran; 1: every attack refused and every control ran;
# 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
mount -t tmpfs rt15 /var/lib || exit 2
cleanup () { umount -R /var/lib 2>/dev/null; }
D=/var/lib/docker/containers/0123abcd
S=/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/5e6f7a8b
mkdir -p "$D/mounts/shm" /var/lib/docker/volumes/data/_data /var/lib/kubelet/pods/6f1e "$S"
for f in hostname hosts resolv.conf; do echo "$f" > "$D/$f"; done
mount -t tmpfs shm "$D/mounts/shm"
policy "p['inject']['hook']=True"
binds_case control docker "$D/hostname:/etc/hostname $D/hosts:/etc/hosts $D/resolv.conf:/etc/resolv.conf $D/mounts/shm:/dev/shm /var/lib/docker/volumes/data/_data:/data"
binds_case attack pods-root "/var/lib/kubelet/pods:/pods"
binds_case attack containers-root "/var/lib/docker/containers:/ctrs"
binds_case attack volumes-root "/var/lib/docker/volumes:/vols"
binds_case attack volume-dir "/var/lib/docker/volumes/data:/vol"
binds_case attack sandboxes-root "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes:/sb"
echo "every attack refused, every control ran"; exit 1

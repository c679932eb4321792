#!/bin/bash
# found-15: the roots of mounts.allowed_subtrees were themselves allowed
# bind sources: /var/lib/kubelet/pods (every pod's service-account
# tokens and secrets), /var/lib/docker/containers (every container's
# config.v2.json with its env), /var/lib/docker/volumes, the CRI's
# sandboxes. An entry now admits only what one container gets:
# `/var/lib/docker/volumes/*/_data`, `/var/lib/docker/containers/*`, and
# `/var/lib/kubelet/pods/{owner}`, where every bind of one container must
# name the same pod. Private mount namespace, a tmpfs over /var/lib with
# the engines' directories as they lay them out. Controls first: Docker's
# own binds (hostname, hosts, resolv.conf, the shm tmpfs, a named
# volume), the kubelet's (etc-hosts, the termination log, a projected
# token on a tmpfs, an emptyDir) and containerd CRI's (the sandbox's
# hostname, hosts, resolv.conf) run.
# Exit 0: an attack ran; 1: every attack refused and every control ran;
# 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
mount -t tmpfs rt15 /var/lib || exit 2
cleanup () { umount -R /var/lib 2>/dev/null; }
D=/var/lib/docker/containers/0123abcd
K=/var/lib/kubelet/pods/6f1e2d3c-own-pod
K2=/var/lib/kubelet/pods/7a0b1c2d-victim-pod
S=/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/5e6f7a8b
mkdir -p "$D/mounts/shm" /var/lib/docker/volumes/data/_data "$K/containers/app" \
  "$K/volumes/kubernetes.io~projected/kube-api-access-x1" "$K/volumes/kubernetes.io~empty-dir/cache" \
  "$K2/volumes/kubernetes.io~projected/kube-api-access-x2" "$S"
for f in hostname hosts resolv.conf; do echo "$f" > "$D/$f"; echo "$f" > "$S/$f"; done
mount -t tmpfs shm "$D/mounts/shm"
echo hosts > "$K/etc-hosts"; : > "$K/containers/app/0d1e2f3a"
mount -t tmpfs token "$K/volumes/kubernetes.io~projected/kube-api-access-x1"
echo own-token > "$K/volumes/kubernetes.io~projected/kube-api-access-x1/token"
echo VICTIM-token > "$K2/volumes/kubernetes.io~projected/kube-api-access-x2/token"
policy "p['inject']['hook']=True"
binds_case control docker "$D/hostname:/etc/hostname $D/hosts:/etc/hosts $D/resolv.conf:/etc/resolv.conf $D/mounts/shm:/dev/shm /var/lib/docker/volumes/data/_data:/data"
binds_case control kubelet "$K/etc-hosts:/etc/hosts $K/containers/app/0d1e2f3a:/dev/termination-log $K/volumes/kubernetes.io~projected/kube-api-access-x1:/var/run/secrets/kubernetes.io/serviceaccount $K/volumes/kubernetes.io~empty-dir/cache:/cache"
binds_case control cri "$S/hostname:/etc/hostname $S/hosts:/etc/hosts $S/resolv.conf:/etc/resolv.conf"
binds_case attack pods-root "/var/lib/kubelet/pods:/pods"
binds_case attack containers-root "/var/lib/docker/containers:/ctrs"
binds_case attack volumes-root "/var/lib/docker/volumes:/vols"
binds_case attack volume-dir "/var/lib/docker/volumes/data:/vol"
binds_case attack sandboxes-root "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes:/sb"
binds_case attack other-pod "$K/etc-hosts:/etc/hosts $K2/volumes/kubernetes.io~projected/kube-api-access-x2:/stolen"
echo "every attack refused, every control ran"; exit 1

#!/bin/sh
# found-63: `/var/lib/kubelet/pods/{owner}` admitted any one pod's
# directory to a container that is no pod's (red team 4 F-02): the owner
# check only tied one container's binds together, so a Docker or Podman
# API user on a Kubernetes node bound another pod's directory whole and
# read its service-account token and secrets. A `{owner}` directory is
# now only the container's own pod's (or sandbox's), as containerd's CRI
# names it: the annotations io.kubernetes.cri.sandbox-uid and -id in a
# bundle in containerd's task directory of the `k8s.io` namespace
# (mounts.owner_bundles), which the engine chooses and no API user
# names. Private mount namespace, tmpfs over /var/lib and
# /run/containerd with the kubelet's and containerd's directories as they
# lay them out; bundles through the shim (create, start, then `run` with
# the hook) with real runc. Controls: the pod's own container (its
# etc-hosts, termination log, token, emptyDir and the sandbox's files)
# runs from its CRI bundle (the token a tmpfs, as the kubelet mounts it). Attacks: the victim pod's directory from a
# bundle elsewhere (Docker, Podman), the same with the CRI's annotations
# forged (Podman's --annotation), and from another pod's CRI bundle.
# Exit 0: an attack ran; 1: every attack refused and every control ran;
# 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/lib.sh"
mount -t tmpfs -o mode=755 rt63 /var/lib && mkdir -p /run/containerd && mount -t tmpfs -o mode=711 rt63 /run/containerd || exit 2
cleanup () { umount -R /var/lib /run/containerd 2> /dev/null; }
UID_OWN=6f1e2d3c-0000-4000-8000-00000000own0
UID_VIC=7a0b1c2d-0000-4000-8000-0000000victm
SB=5e6f7a8b9c0d
K=/var/lib/kubelet/pods/$UID_OWN
V=/var/lib/kubelet/pods/$UID_VIC
S=/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/$SB
CRI=/run/containerd/io.containerd.runtime.v2.task/k8s.io
mkdir -p "$K/containers/app" "$K/volumes/kubernetes.io~projected/kube-api-access-x1" \
  "$K/volumes/kubernetes.io~empty-dir/cache" "$S" "$CRI" \
  "$V/volumes/kubernetes.io~projected/kube-api-access-x2" || exit 2
echo hosts > "$K/etc-hosts"; : > "$K/containers/app/0d1e2f3a"
for f in hostname hosts resolv.conf; do echo "$f" > "$S/$f"; done
mount -t tmpfs token "$K/volumes/kubernetes.io~projected/kube-api-access-x1" || exit 2
echo own-token > "$K/volumes/kubernetes.io~projected/kube-api-access-x1/token"
echo VICTIM-token > "$V/volumes/kubernetes.io~projected/kube-api-access-x2/token"
policy "p['inject']['hook']=True"
# pod_case KIND NAME DIR UID SANDBOX BINDS: a bundle in DIR, named by the
# container's id as containerd names its task directories, whose
# spec carries the CRI's annotations (UID, SANDBOX; none when empty) and
# BINDS (`source:destination` pairs, rbind,ro,rprivate); its command
# copies what it sees to /out/NAME. A control must run, an attack be
# refused by the mounts rule with its command never run.
pod_case () {
  _b=$3/rt-$2-$$
  bundle "$_b" "
c['annotations']={k: v for k, v in (('io.kubernetes.cri.sandbox-uid', '$4'),
                                    ('io.kubernetes.cri.sandbox-id', '$5'),
                                    ('io.kubernetes.cri.container-type', 'container')) if v}
for pair in '$6'.split():
    s, d = pair.split(':')
    c['mounts'].append({'destination':d,'type':'bind','source':s,'options':['rbind','ro','rprivate']})
c['process']['args']=['sh','-c','cat /t/*/token /victim/volumes/*/*/token > /out/$2 2>/dev/null; touch /out/$2']
"
  for _how in engine hook_run; do
    if "$_how" "$_b" "$2"; then
      [ "$1" = control ] && { echo "control $2 ran ($_how)"; continue; }
      echo "ATTACK WORKED: $2 ran ($_how), read: $(cat "$W/out/$2")"; exit 0
    fi
    [ "$1" = control ] && { echo "CONTROL FAILED: $2 did not run ($_how)"; exit 2; }
    grep -q 'confine: refused: mounts: ' "$W/$2.out" \
      || { echo "attack $2 failed for another reason ($_how)"; exit 2; }
    echo "attack $2 refused, its command never ran ($_how)"
  done
}
pod_case control own-pod "$CRI" "$UID_OWN" "$SB" \
  "$K/etc-hosts:/etc/hosts $K/containers/app/0d1e2f3a:/dev/termination-log $K/volumes/kubernetes.io~projected/kube-api-access-x1:/t/sa $K/volumes/kubernetes.io~empty-dir/cache:/cache $S/hostname:/etc/hostname $S/resolv.conf:/etc/resolv.conf"
pod_case attack docker "$W" "" "" "$V:/victim"
pod_case attack podman-annotated "$W" "$UID_VIC" "$SB" "$V:/victim"
pod_case attack other-pod "$CRI" "$UID_OWN" "$SB" "$K/etc-hosts:/etc/hosts $V:/victim"
pod_case attack other-sandbox "$CRI" "$UID_OWN" 9f8e7d6c5b4a "$S/hosts:/etc/hosts"
echo "every attack refused, every control ran"; exit 1

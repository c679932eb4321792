#!/bin/sh
# found-65: a writable bind of the host's device node (red team 3 F-06:
# `docker run -v /dev/null:/x`, a pod's `hostPath: /dev/null`). A bind is
# the host's inode: the container's root (CAP_FOWNER, CAP_CHOWN) does
# `chmod 000` on it and every non-root host process fails to open
# /dev/null. Here, in a private mount namespace, /dev/null is a node of
# our own (c 1:3 on a tmpfs), so the machine's is never touched.
#   attack: /dev/null bound writable, through the shim with real runc
#   (create and start, and `run` with the hook);
#   controls: read-only, it runs, and from inside a write to it goes
#   through while a remount read-write fails (no CAP_SYS_ADMIN, mount
#   blocked by seccomp), chmod and chown fail (EROFS) and the host's node keeps
#   its mode and owner; in a user namespace that does not map the node's
#   owner, a writable bind runs (as rootless Podman binds /dev/null) and
#   chmod fails there too (EPERM), while a user namespace that maps host
#   root is refused by the check of the init's mounts.
# Exit 0: the writable bind ran; 1: refused, the command never ran, and
# the controls ran; 2: something else.
[ -n "${FOUND_INNER:-}" ] || exec env FOUND_INNER=1 unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/lib.sh"
mkdir -p "$W/devs" && mount -t tmpfs tmpfs "$W/devs" && mknod -m 666 "$W/devs/null" c 1 3 \
  && mount --bind "$W/devs/null" /dev/null || exit 2
cleanup () { umount /dev/null 2>/dev/null; umount "$W/devs" 2>/dev/null; }
node () { stat -c '%A %U' "$W/devs/null"; }
before=$(node)
policy
binds_case control devro "/dev/null:/x:ro"
# What the container's root can do to the read-only bind, from inside.
bundle "$W/b-inside" "
c['mounts'].append({'destination':'/x','type':'bind','source':'/dev/null','options':['rbind','ro','rprivate']})
c['process']['args']=['sh','-c','echo data > /x && echo wrote > /out/w; busybox mount -o remount,bind,rw /x 2> /out/remount || echo failed >> /out/remount; chmod 000 /x 2> /out/chmod; chown 65534 /x 2> /out/chown; touch /out/inside']
"
engine "$W/b-inside" inside || { echo "CONTROL FAILED: the read-only bind did not run"; exit 2; }
grep -q wrote "$W/out/w" && grep -q failed "$W/out/remount" && grep -q "Read-only file system" "$W/out/chmod" \
  && grep -q "Read-only file system" "$W/out/chown" && [ "$(node)" = "$before" ] \
  || { echo "CONTROL FAILED: read-only, the node was not written, or its mode or owner changed"; exit 2; }
echo "read-only: written through, remount refused ($(head -n 1 "$W/out/remount")), chmod and chown refused (EROFS), the host's node still $(node)"
# A user namespace: HOST is the host id its container root maps to.
userns_bundle () { # NAME HOST
  bundle "$W/b-$1" "
import os
os.chmod(w+'/out', 0o777)
c['linux']['namespaces'].append({'type':'user'})
c['linux']['uidMappings']=[{'containerID':0,'hostID':$2,'size':65536}]
c['linux']['gidMappings']=[{'containerID':0,'hostID':$2,'size':65536}]
c['mounts']=[m for m in c['mounts'] if m['type'] not in ('cgroup','mqueue') and m['destination']!='/dev/pts']
c['mounts'].append({'destination':'/x','type':'bind','source':'/dev/null','options':['rbind','rw','rprivate']})
c['process']['args']=['sh','-c','chmod 000 /x 2> /out/$1-chmod; touch /out/$1']
"
  mkdir -p "$W/b-$1/rootfs/out" "$W/b-$1/rootfs/x" && rmdir "$W/b-$1/rootfs/x" && touch "$W/b-$1/rootfs/x"
}
chmod 711 "$W"  # the rootfs is reached by the mapped root
userns_bundle unmapped 100000
engine "$W/b-unmapped" unmapped || { echo "CONTROL FAILED: a user namespace without host root did not run"; exit 2; }
grep -q "Operation not permitted" "$W/out/unmapped-chmod" && [ "$(node)" = "$before" ] \
  || { echo "CONTROL FAILED: in the user namespace, chmod of the node did not fail"; exit 2; }
echo "user namespace not mapping the node's owner: ran, chmod refused (EPERM), the node still $(node)"
userns_bundle mapped 0
if engine "$W/b-mapped" mapped; then
  echo "ATTACK WORKED: a user namespace mapping host root ran with /dev/null writable ($(node))"; exit 0
fi
grep -q "confine: refused: mounts: the kernel's mount at \`/x\` is writable and is the host's device node" \
  "$W/mapped.out" || { echo "the user namespace mapping host root failed for another reason"; exit 2; }
echo "user namespace mapping host root: refused by the check of the init's mounts"
binds_case attack devrw "/dev/null:/x"
grep -q "is writable and is the host's device node \`/dev/null\` (c 1:3)" "$W/devrw.out" \
  || { echo "the refusal does not name the device node"; exit 2; }
[ "$(node)" = "$before" ] || { echo "the host's node changed: $(node)"; exit 0; }
exit 1

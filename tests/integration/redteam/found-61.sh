#!/bin/sh
# found-61: a directory holding a socket a host process listens on, on a
# filesystem whose stat device is not the one sock_diag names (red team
# 4 F-08, F-09): btrfs gives each subvolume (and its top level) an
# anonymous device of its own in stat, overlayfs a layer's; sock_diag
# names the superblock's. The socket rule matched sockets by stat's
# device, found none there, and let the bind through (host root through
# the listener). Both filesystems are mounted in this script's own mount
# namespace: an overlay with its lower layer on a tmpfs and its upper on
# the work directory's filesystem, and a btrfs image on a loop device
# with a subvolume, as distributions lay out /home. Controls: the same
# directories without a listener run.
# Exit 0: a bind holding a listening socket ran; 1: refused, controls ran.
if [ -z "${CONFINE_FOUND61_NS:-}" ]; then
  CONFINE_FOUND61_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
PIDS=
cleanup () {
  for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  umount "$W/ovl/m" "$W/ovl/lower" "$W/btrfs" 2>/dev/null
}
# listen PATH: a root listener on PATH, left running.
listen () {
  python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(600)' "$1" &
  PIDS="$PIDS $!"
  _i=0; while [ ! -S "$1" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i+1)); done
  [ -S "$1" ] || { echo "no listener at $1"; exit 2; }
}
policy
mkdir -p "$W/ovl/lower" "$W/ovl/upper" "$W/ovl/work" "$W/ovl/m" "$W/btrfs" || exit 2
mount -t tmpfs tmpfs "$W/ovl/lower" && mkdir -p "$W/ovl/lower/d" "$W/ovl/lower/e" &&
  mount -t overlay overlay -o "lowerdir=$W/ovl/lower,upperdir=$W/ovl/upper,workdir=$W/ovl/work" \
    "$W/ovl/m" || exit 2
truncate -s 200M "$W/btrfs.img" && mkfs.btrfs -q "$W/btrfs.img" > /dev/null &&
  mount -o loop "$W/btrfs.img" "$W/btrfs" && btrfs subvolume create "$W/btrfs/home" > /dev/null &&
  mkdir -p "$W/btrfs/home/d" "$W/btrfs/home/e" || exit 2
binds_case control overlay-quiet "$W/ovl/m/e:/d"
binds_case control btrfs-quiet "$W/btrfs/home/e:/d"
listen "$W/ovl/m/d/ctl.sock"
listen "$W/btrfs/home/d/ctl.sock"
binds_case attack overlay "$W/ovl/m/d:/d"
binds_case attack btrfs "$W/btrfs/home/d:/d"
exit 1

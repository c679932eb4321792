#!/bin/bash
# found-14: found-13 with any other filesystem Docker's local driver
# mounts at a volume's _data (`-o type=ext4 -o device=/dev/sdb1`, or any
# `type=`): a disk the host does not mount elsewhere (its /boot, another
# tenant's disk) is shown by the host only inside the engines' trees, so
# the check judged it as the allowed _data path. Such a filesystem is now
# refused unless mounts.allowed_volume_devices lists its source; kernel
# filesystems (binfmt_misc: the host's root runs the interpreter the
# container registers) only where runc puts them; devtmpfs and hugetlbfs
# as disks. A loop device's ext4 plays the disk. Private mount namespace,
# a tmpfs over /var/lib. Controls: the same disk runs once the policy
# lists it, and a tmpfs volume runs.
# Exit 0: an attack ran; 1: every attack refused and every control ran;
# 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
mount -t tmpfs rt14 /var/lib || exit 2
truncate -s 16M "$W/disk.img" && mkfs.ext4 -q "$W/disk.img" || exit 2
LOOP=$(losetup -f --show "$W/disk.img") || exit 2
cleanup () { umount -R /var/lib 2>/dev/null; losetup -d "$LOOP"; }
V=/var/lib/docker/volumes
for v in disk bm dev huge tmpv; do mkdir -p "$V/$v/_data"; done
mount "$LOOP" "$V/disk/_data" || exit 2
mount -t tmpfs tmpv "$V/tmpv/_data"
policy "p['inject']['hook']=True"
volume_case attack disk "$V/disk/_data"
mount -t binfmt_misc binfmt_misc "$V/bm/_data" || exit 2
volume_case attack binfmt_misc "$V/bm/_data"
mount -t devtmpfs devtmpfs "$V/dev/_data" || exit 2
volume_case attack devtmpfs "$V/dev/_data"
mount -t hugetlbfs hugetlbfs "$V/huge/_data" || exit 2
volume_case attack hugetlbfs "$V/huge/_data"
volume_case control tmpfs "$V/tmpv/_data"
policy "p['inject']['hook']=True; p['mounts']['allowed_volume_devices']=['$LOOP']"
volume_case control listed-disk "$V/disk/_data"
echo "every attack refused, every control ran"; exit 1

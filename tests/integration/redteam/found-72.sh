#!/bin/bash
# found-72: found-16's sibling. /etc/timezone is an allowed subtree (the
# host's zone, which containers bind to share it) and a regular file in
# /etc, so nothing made its bind read-only: `docker run -v
# /etc/timezone:/etc/timezone` (read-write unless told `:ro`) let the
# container rewrite the host's /etc/timezone. It is a readonly subtree
# now (with /dev/log, a syslog daemon's socket where one owns it). In a
# private mount namespace a scratch file lies over /etc/timezone, so the
# host's is never written. Control: the read-only bind runs and reads it.
# Exit 0: the file was written through the bind; 1: refused and the
# control ran; 2: something else.
[ -e /etc/timezone ] || { echo "this host has no /etc/timezone"; exit 2; }
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
printf 'Etc/UTC\n' > "$W/timezone"
mount --bind "$W/timezone" /etc/timezone 2>/dev/null || { echo "cannot lay a scratch file over /etc/timezone"; exit 2; }
cleanup () { umount /etc/timezone 2>/dev/null; }
before=$(md5sum < "$W/timezone")
policy "p['inject']['hook']=True"
for mode in ro rw; do
  bundle "$W/b-$mode" "
c['mounts'].append({'destination':'/etc/timezone','type':'bind','source':'/etc/timezone','options':['rbind','$mode','rprivate']})
c['process']['args']=['sh','-c','grep -q Etc/UTC /etc/timezone && touch /out/$mode; echo Evil/Zone > /etc/timezone']
"
  for how in engine hook_run; do
    if "$how" "$W/b-$mode" "$mode"; then
      [ $mode = ro ] && { echo "control: the read-only bind ran and read the zone ($how)"; continue; }
      [ "$(md5sum < "$W/timezone")" != "$before" ] && { echo "ATTACK WORKED: the host's /etc/timezone was written ($how)"; exit 0; }
      echo "the read-write bind ran without writing ($how)"; exit 2
    fi
    [ $mode = ro ] && { echo "CONTROL FAILED: the read-only bind did not run ($how)"; exit 2; }
    grep -q 'confine: refused' "$W/$mode.out" || { echo "failed for another reason ($how)"; exit 2; }
    [ -e "$W/out/$mode" ] && { echo "the refused container's command ran ($how)"; exit 2; }
    echo "the read-write bind refused, its command never ran ($how)"
  done
done
[ "$(md5sum < "$W/timezone")" = "$before" ] || { echo "ATTACK WORKED: /etc/timezone was written"; exit 0; }
exit 1

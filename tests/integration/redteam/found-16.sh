#!/bin/bash
# found-16: /etc/localtime is an allowed subtree and a link into /usr
# (Debian: /usr/share/zoneinfo/Etc/UTC). The allowed subtree also
# exempted the resolved file from mounts.readonly_subtrees, so a
# read-write bind (`docker run -v /etc/localtime:/etc/localtime`, no
# `:ro`) let the container rewrite a host file under /usr for every host
# program. Allowed subtrees are now exceptions to sensitive_subtrees only.
# In a private mount namespace a copy of /usr/share/zoneinfo lies over
# the real one, so the host's is never written. Control: the read-only
# bind runs (rprivate, as Docker writes it).
# Exit 0: the host's zone file was written; 1: refused and the control
# ran; 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
T=$(readlink -f /etc/localtime)
case "$T" in /usr/share/zoneinfo/*) ;; *) echo "/etc/localtime is no link into /usr/share/zoneinfo"; exit 2 ;; esac
mkdir -p "$W/zi" && cp -a /usr/share/zoneinfo/. "$W/zi/" && mount --bind "$W/zi" /usr/share/zoneinfo || exit 2
cleanup () { umount /usr/share/zoneinfo 2>/dev/null; }
before=$(md5sum < "$T")
policy "p['inject']['hook']=True"
for mode in ro rw; do
  bundle "$W/b-$mode" "
c['mounts'].append({'destination':'/etc/localtime','type':'bind','source':'/etc/localtime','options':['rbind','$mode','rprivate']})
c['process']['args']=['sh','-c','touch /out/$mode; echo overwritten > /etc/localtime']
"
  for how in engine hook_run; do
    if "$how" "$W/b-$mode" "$mode"; then
      [ $mode = ro ] && { echo "control: the read-only bind ran ($how)"; continue; }
      [ "$(md5sum < "$T")" != "$before" ] && { echo "ATTACK WORKED: the host's $T was written ($how)"; exit 0; }
      echo "the read-write bind ran without writing ($how)"; exit 2
    fi
    [ $mode = ro ] && { echo "CONTROL FAILED: the read-only bind did not run ($how)"; exit 2; }
    grep -q 'confine: refused' "$W/$mode.out" || { echo "failed for another reason ($how)"; exit 2; }
    echo "the read-write bind refused, its command never ran ($how)"
  done
done
[ "$(md5sum < "$T")" = "$before" ] || { echo "ATTACK WORKED: the host's $T was written"; exit 0; }
exit 1

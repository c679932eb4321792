#!/bin/bash
# found-82: three ways around seccomp.block_setid_files's choice of the
# containers it restricts (red team 7, F-02, F-03, F-08). Docker's stock
# spec (its filter and capabilities) through the shim with real runc,
# under seccomp.setid_scope `writable_binds` (under `all`, the default,
# every container is restricted);
# a host user (nobody) owns a directory U. Every container's root is
# read-only and /out lies in a tree no container binds (as an engine's
# data root), so only the bind or root under test decides.
#   F-02: a first container (bind of U, repaired) makes U/d root-owned
#   0700; a second binds U/d writable: once exempt ("below a directory
#   only root searches"), it kept Docker's filter, planted a setuid-root
#   program and opened U/d (chmod 755: no setuid bit). A directory's mode
#   is a barrier only in an engine's tree no container binds.
#   F-03: root.path is U/rootfs, writable (Podman's `--rootfs U/rootfs`):
#   not an engine's snapshot, it counts as a writable bind.
#   F-08: U bound `rbind,ro` with a tmpfs mounted below it (this script
#   runs in a private mount namespace of its own): runc remounts only the
#   top read-only, the tmpfs stays writable in the container and shows
#   on the host; without `rro` such a bind counts.
# In each, the container tries every setuid/setgid call (setid.c); from
# the host, no file there may be setuid, setgid or carry file
# capabilities. Controls: each container runs and a plain chmod works;
# bound `rro`, U's submount is out of reach and nothing is repaired (the
# container makes a setuid file in a tmpfs of its own); with
# inject.seccomp_repair off the F-02 and F-03 specs are refused by the
# seccomp rule, naming the bind or the root, their commands never run.
# Exit 0: a setuid/setgid file or a file capability reached the host;
# 1: none did and the controls held; 2: something else.
[ -n "${F82_NS:-}" ] || F82_NS=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
U=$(mktemp -d /tmp/confine-f82-user.XXXXXX)
chmod 0755 "$U" && chown nobody "$U" || exit 2
cleanup () { umount "$U/sub" 2>/dev/null; rm -rf "$U"; }
cc -static -O2 -o "$W/setid" "$(dirname "$0")/setid.c" || exit 2
out_exempt="p['mounts']['sensitive'].append(w); p['mounts']['allowed_subtrees'].append(w+'/out'); p['seccomp']['setid_scope']='writable_binds'"
policy "$out_exempt"
# stock NAME DIR PYTHON: a fresh bundle $W/NAME with Docker's stock
# filter and capabilities, a read-only root, edited by PYTHON; the helper
# works in DIR (in the container), reports to /out/calls, then runs
# AFTER (shell) if set.
stock () {
  rm -rf "$W/$1" && bundle "$W/$1" "
import json, shutil, os
d=json.load(open('$SRC/tests/fixtures/docker/default.json'))
c['linux']['seccomp']=d['linux']['seccomp']
c['process']['capabilities']=d['process']['capabilities']
shutil.copy('$W/setid', b+'/rootfs/bin/setid')
c['root']['readonly']=True
c['process']['args']=['sh','-c','setid $2 > /out/calls 2>&1; ${AFTER:-true}; touch /out/ran']
$3
"
}
# judged CASE DIR: the container ran; nothing planted in DIR (host) or exit 0.
judged () {
  engine "$W/$1" ran || { echo "CONTROL FAILED: $1 did not run"; exit 2; }
  p=$(planted "$2")
  [ -n "$p" ] && { echo "ATTACK WORKED: $1 left on the host: $p"; sed 's/^/  /' "$W/out/calls"; exit 0; }
  grep -qx 'chmod-plain ok' "$W/out/calls" && grep -q '^chmod-4755 ' "$W/out/calls" \
    || { echo "CONTROL FAILED: $1: a plain chmod failed: $(cat "$W/out/calls")"; exit 2; }
  echo "$1: nothing setuid, setgid or with file capabilities on the host ($(grep -E '^(chmod-4755|setxattr-capability) ' "$W/out/calls" | tr '\n' ','))"
}

# F-02. Container 1 makes the barrier through its own (counted) bind.
AFTER='mkdir /x/d && chmod 700 /x/d' stock c1 /x \
  "c['mounts'].append({'destination':'/x','type':'bind','source':'$U','options':['rbind','rw','rprivate']})"
judged c1 "$U"
[ "$(stat -c '%a %u' "$U/d")" = "700 0" ] || { echo "CONTROL FAILED: U/d is $(stat -c '%a %u' "$U/d")"; exit 2; }
# make_c2, make_root: fresh bundles (the shim writes the repaired spec
# into a bundle).
make_c2 () {
  AFTER='chmod 755 /d' stock c2 /d \
    "c['mounts'].append({'destination':'/d','type':'bind','source':'$U/d','options':['rbind','rw','rprivate']})"
}
make_root () { stock root /own "
c['root']={'path':'$U/rootfs','readonly':False}"; }
make_c2
judged c2 "$U/d"
# F-03: the root filesystem in U, writable.
mkdir "$U/rootfs" && cp -a "$W/c1/rootfs/." "$U/rootfs/" && mkdir "$U/rootfs/own" || exit 2
make_root
judged root "$U/rootfs/own"
# F-08: a tmpfs below U, U bound rbind,ro.
mkdir "$U/sub" && mount -t tmpfs -o mode=755 tmpfs "$U/sub" || exit 2
stock ro /x/sub \
  "c['mounts'].append({'destination':'/x','type':'bind','source':'$U','options':['rbind','ro','rprivate']})"
judged ro "$U/sub"
# Control: bound rro, the tmpfs is read-only inside and nothing is
# repaired: the container's root makes a setuid file in its own tmpfs.
stock rro /own "
c['mounts'].append({'destination':'/x','type':'bind','source':'$U','options':['rbind','rro','rprivate']})
c['mounts'].append({'destination':'/own','type':'tmpfs','source':'tmpfs','options':['mode=755']})"
engine "$W/rro" ran || { echo "CONTROL FAILED: the rro bind did not run"; exit 2; }
grep -qx 'chmod-4755 ok' "$W/out/calls" \
  || { echo "CONTROL FAILED: bound rro, chmod 4755 failed in the container's own tmpfs: $(tr '\n' ',' < "$W/out/calls")"; exit 2; }
echo "control: bound rro, not repaired: chmod 4755 worked in the container's own tmpfs"
# Unrepaired: refused, naming what counts.
policy "$out_exempt; p['inject']['seccomp_repair']=False"
for c in c2:"bind mount of \`$U/d\`" root:"root filesystem \`$U/rootfs\`"; do
  name=${c%%:*} what=${c#*:}
  "make_$name"
  if engine "$W/$name" ran; then
    echo "unrepaired $name ran: $(planted "$U/d") $(planted "$U/rootfs/own")"; exit 2
  fi
  grep -q "confine: refused: seccomp: filter allows .*chmod with a setuid or setgid mode.*while the $what.* is writable and host users reach its files" "$W/ran.out" \
    || { echo "unrepaired $name: failed for another reason: $(cat "$W/ran.out")"; exit 2; }
  echo "unrepaired $name: refused by the seccomp rule naming the $what, its command never ran"
done
exit 1

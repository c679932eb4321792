#!/bin/bash
# found-76 (red team 6, F-01): a bind of an ordinary host directory that
# asks for propagation (`--mount ...,bind-propagation=rslave`, `-v
# SRC:DST:rslave`, Kubernetes' HostToContainer) receives every mount the
# host makes below it later, never judged: a build tool's chroot `proc`
# (pbuilder, sbuild, debootstrap, mock do it in the host's namespace)
# arrives in the running container with no masked or read-only paths.
# Only sources in or around the engines' trees were judged for it; now
# any bind asking for propagation is refused unless
# mounts.propagation_subtrees holds it. Here, in a private mount
# namespace, a shared mount stands in for systemd's shared `/`, and the
# host mounts a proc below it after the container started; the container
# reports whether it sees that proc's host pid (a marker process it
# cannot see in its own pid namespace). Control: the same bind rprivate
# (Docker's default) runs, and the later mount does not reach it.
# Exit 0: the host's proc reached the container; 1: refused and the
# control ran without it; 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
S=$W/srv
mkdir -p "$S/build/chroot/proc"
mount --bind "$S" "$S" && mount --make-shared "$S" || { echo "cannot make a shared mount"; exit 2; }
sleep 600 & MARKER=$!
cleanup () { kill "$MARKER" 2>/dev/null; umount "$S/build/chroot/proc" 2>/dev/null; umount -R "$S" 2>/dev/null; }
policy
for prop in rprivate rslave; do
  bundle "$W/b-$prop" "
c['mounts'].append({'destination':'/b','type':'bind','source':'$S/build','options':['rbind','rw','$prop']})
c['process']['args']=['sh','-c','touch /out/started-$prop; i=0; while [ ! -e /b/chroot/proc/$MARKER ] && [ \$i -lt 30 ]; do sleep 0.1; i=\$((i+1)); done; [ -e /b/chroot/proc/$MARKER ] && touch /out/host-proc-$prop; touch /out/$prop']
"
  # The host, once the container runs: a chroot's proc, in the host's namespace.
  ( i=0; while [ ! -e "$W/out/started-$prop" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
    mount -t proc proc "$S/build/chroot/proc" ) &
  mounter=$!
  engine "$W/b-$prop" "$prop"; ran=$?
  wait "$mounter"; umount "$S/build/chroot/proc"
  if [ -e "$W/out/host-proc-$prop" ]; then
    echo "ATTACK WORKED: the host's proc (pid $MARKER) reached the running container ($prop)"; exit 0
  fi
  if [ $prop = rprivate ]; then
    [ $ran = 0 ] || { echo "CONTROL FAILED: the rprivate bind did not run"; exit 2; }
    echo "control: the rprivate bind ran and the later mount did not reach it"
    continue
  fi
  [ $ran = 0 ] && { echo "the rslave bind ran without the host's proc"; exit 2; }
  grep -q 'confine: refused' "$W/$prop.out" || { echo "failed for another reason"; exit 2; }
  echo "the rslave bind refused, its command never ran"
done
exit 1

#!/bin/sh
# found-30: a mount that propagates into a running, already judged
# container (red team F04). Container A binds an engine's volume
# directory (an allowed subtree, /var/lib/docker/volumes/Y here $W/vol/Y)
# with `rslave` (docker --mount ...,bind-propagation=rslave; Kubernetes'
# HostToContainer). Once A runs, any API user makes the engine mount
# what they like below it (`docker volume create Y -o o=bind -o
# device=/etc`, then a container with the volume): the mount appears in
# A, never judged. Run in a private mount namespace whose tmpfs over
# $W/vol is shared, as /var/lib is on a systemd host. A positive control
# first: the same bind `rprivate` (Docker's default) runs and does not
# see the host's later mount.
# Exit 0: allowed and A read the "host /etc"; 1: refused, A never ran.
if [ -z "${CONFINE_FOUND30_NS:-}" ]; then
  CONFINE_FOUND30_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
cleanup () { umount -R "$W/vol" 2>/dev/null; umount "$W/hostetc" 2>/dev/null; }
mkdir -p "$W/vol" "$W/hostetc"
mount -t tmpfs tmpfs "$W/vol" && mount --make-shared "$W/vol" || exit 2
mount -t tmpfs tmpfs "$W/hostetc" && echo "root:SECRET" > "$W/hostetc/shadow" || exit 2
mkdir -p "$W/vol/Y/_data"
policy "p['mounts']['allowed_subtrees'].append(w+'/vol')"
# attempt PROPAGATION: run A with the volume bound so; meanwhile the
# "engine" mounts the host's secrets below the volume once A runs.
attempt () {
  rm -f "$W/out/ran" "$W/out/proof"
  B=$W/bundle-$1
  bundle "$B" "
c['mounts'].append({'destination':'/y','type':'bind','source':w+'/vol/Y','options':['rbind','$1']})
c['process']['args']=['sh','-c','touch /out/ran; i=0; while [ \$i -lt 30 ] && ! [ -e /y/_data/shadow ]; do sleep 0.1; i=\$((i+1)); done; cat /y/_data/shadow > /out/proof 2>/dev/null; true']
"
  ( i=0; while [ $i -lt 50 ] && ! [ -e "$W/out/ran" ]; do sleep 0.1; i=$((i+1)); done
    [ -e "$W/out/ran" ] && mount --bind "$W/hostetc" "$W/vol/Y/_data" ) &
  judge "$B"; rc=$?
  wait
  umount "$W/vol/Y/_data" 2>/dev/null
  return $rc
}
if ! attempt rprivate || ! [ -e "$W/out/ran" ] || [ -s "$W/out/proof" ]; then
  echo "positive control failed: an rprivate bind of the volume did not run, or saw the later mount"
  exit 2
fi
echo "positive control: the rprivate bind ran and did not see the later mount"
attempt rslave; rc=$?
if [ $rc = 0 ] && grep -q SECRET "$W/out/proof" 2>/dev/null; then
  echo "ATTACK WORKED: the running container read the host's secrets mounted after its judgement"
  exit 0
fi
if [ -e "$W/out/ran" ]; then echo "the container ran"; exit 2; fi
echo "gate refused or attack failed; the container never ran"; exit 1

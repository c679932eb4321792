#!/bin/sh
# found-41: one container binds another one's Podman directory (its
# `userdata`: the bundle whose config.json runc reads after the
# judgement). Podman's per-container directories were allowed whole
# (`.../vfs-containers/*`), so a racer in container A rewrote the victim's
# config.json between the gate's judgement and runc's read: a
# createRuntime hook as host root, or a filter that allows everything.
# Real Podman 4.3 with the shim as its runtime and its own storage under
# the work directory, the shipped policy's Podman entries moved there
# (as they stand for /var/lib/containers/storage and /run/containers/storage).
# Control: a container with Podman's own binds (hosts, hostname,
# .containerenv, shm, a secret) runs.
# Exit 0: the bind of the victim's bundle ran; 1: refused.
. "$(dirname "$0")/lib.sh"
S=$W/st; RR=$W/run
policy "
m=p['mounts']
def moved(e): return e.replace('/var/lib/containers/storage', '$S').replace('/run/containers/storage', '$RR')
for k in ('allowed_subtrees', 'allowed_roots'):
    m[k] += [moved(e) for e in m[k] if moved(e) != e]
m['sensitive_subtrees'] += ['$S', '$RR']
"
cat > "$W/rt" <<EOS
#!/bin/sh
CONFINE_POLICY=$W/policy.json exec $BUILD/confine-runtime "\$@"
EOS
chmod 755 "$W/rt"
P="podman --root $S --runroot $RR --storage-driver vfs --cgroup-manager cgroupfs --events-backend file --runtime $W/rt"
RUNF="--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
cleanup () { $P rm -f -a >/dev/null 2>&1; $P rmi -a -f >/dev/null 2>&1; $P secret rm -a >/dev/null 2>&1; }
mkdir -p "$W/img/bin"; cp /bin/busybox "$W/img/bin/"; ln -s busybox "$W/img/bin/sh"
tar -C "$W/img" -cf "$W/img.tar" . && $P import -q "$W/img.tar" localhost/rt41 >/dev/null \
  || { echo "podman import failed"; exit 2; }
echo s3cret | $P secret create rt41sec - >/dev/null || { echo "podman secret failed"; exit 2; }
$P run --rm $RUNF --secret rt41sec -v "$W/out:/out" localhost/rt41 sh -c 'cat /run/secrets/rt41sec > /out/control' \
  > "$W/control.out" 2>&1
grep -q s3cret "$W/out/control" 2>/dev/null || { cat "$W/control.out"; echo "control: Podman's own binds did not run"; exit 2; }
VID=$($P create $RUNF --name rt41-victim localhost/rt41 sh -c true) && $P init rt41-victim >/dev/null \
  || { echo "podman create failed"; exit 2; }
[ -f "$S/vfs-containers/$VID/userdata/config.json" ] || { echo "no bundle at $S/vfs-containers/$VID/userdata"; exit 2; }
for src in "$S/vfs-containers/$VID" "$S/vfs-containers/$VID/userdata" "$S/vfs-containers/$VID/userdata/config.json"; do
  rm -f "$W/out/ran"
  $P run --rm $RUNF -v "$src:/x" -v "$W/out:/out" localhost/rt41 sh -c 'touch /out/ran' > "$W/a.out" 2>&1
  cat "$W/a.out"
  [ -e "$W/out/ran" ] && { echo "ATTACK WORKED: a container ran with -v $src (the victim's bundle)"; exit 0; }
  grep -q '^confine: refused: ' "$W/a.out" || grep -q 'confine: refused: ' "$W/a.out" || { echo "not refused by the gate"; exit 2; }
done
echo "gate refused every bind of the victim's bundle"; exit 1

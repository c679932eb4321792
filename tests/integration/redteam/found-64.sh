#!/bin/sh
# found-64: mounts.allowed_roots admitted any directory matching a
# snapshot pattern as a root, whoever's (red team 4 F-06): a Podman API
# user's `--rootfs` of another tenant's running container
# (`vfs/dir/<its layer>`, `overlay/<its layer>/merged`) or of an image's
# layer wrote into that container and into every later container of the
# image. A root in an engine's storage is now only the container's own:
# the layer the engine's record of this container id names
# (containers.json, Docker's layerdb mount-id), or containerd's task
# directory of this id. Real Podman 4.3 (vfs, its own --root and
# --runroot under $P, the shipped patterns moved there) with the
# hook from a hooks directory, as install.sh registers it, and the same
# roots in bundles run through the shim (create, start) with real runc.
# Controls: Podman's own containers run, through the hook; a bundle
# whose root is a plain directory outside engine storage runs.
# Exit 0: an attack ran; 1: every attack refused and every control ran;
# 2: something else.
. "$(dirname "$0")/lib.sh"
# Podman refuses a runroot longer than 50 characters.
P=$(mktemp -d /tmp/rt64.XXXXXX) || exit 2
PO="--root $P/var/lib/containers/storage --runroot $P/run/containers/storage --storage-driver vfs
    --cgroup-manager cgroupfs --events-backend file --runtime /usr/sbin/runc --hooks-dir $W/hooks"
RUN="--security-opt seccomp=$SRC/profiles/seccomp/default.json --network none
     --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
# shellcheck disable=SC2086
cleanup () {
  podman $PO rm -f -a > /dev/null 2>&1; podman $PO rmi -a -f > /dev/null 2>&1
  umount -R "$P" 2> /dev/null; rm -rf "$P"
}
policy "
for k, v in p['mounts'].items():
    if isinstance(v, list):
        p['mounts'][k]=[('$P'+e if e.startswith(('/var/lib/containers', '/run/containers')) else e) for e in v]
# The hook alone refuses Podman's stock filter and CAP_SETFCAP for the
# setuid rule, which only the shim repairs (found-78 and found-82 judge it).
p['seccomp']['block_setid_files']=False
"
mkdir -p "$W/hooks" "$W/img/bin" || exit 2
jq -n --arg p "$BUILD/confine-hook" --arg pol "$W/policy.json" '{version: "1.0.0",
  hook: {path: $p, args: ["confine-hook", "--policy", $pol], timeout: 30},
  when: {always: true}, stages: ["createRuntime"]}' > "$W/hooks/confine.json" || exit 2
cp /bin/busybox "$W/img/bin/" && for c in sh cat echo sleep; do ln -s busybox "$W/img/bin/$c"; done
# shellcheck disable=SC2086
tar -C "$W/img" -cf "$W/img.tar" . && podman $PO import "$W/img.tar" localhost/rt64:1 > /dev/null || exit 2

# Control: Podman's own containers run through the hook, their roots
# their own layers in the moved storage.
# shellcheck disable=SC2086
out=$(podman $PO run --rm $RUN localhost/rt64:1 /bin/echo own-ran 2>&1)
[ "$out" = own-ran ] || { echo "CONTROL FAILED: podman run: $out"; exit 2; }
echo "control podman-own ran (hook)"
# shellcheck disable=SC2086
podman $PO run -d --name vic $RUN localhost/rt64:1 /bin/sleep 300 > /dev/null || exit 2
VID=$(podman $PO inspect vic --format '{{.Id}}') || exit 2
VROOT=$(jq -r .root.path "$P/var/lib/containers/storage/vfs-containers/$VID/userdata/config.json")
LAYER=$(ls -d "$P"/var/lib/containers/storage/vfs/dir/* | grep -v "^$VROOT$" | head -n 1)
[ -d "$VROOT" ] && [ -d "$LAYER" ] || { echo "no victim root ($VROOT) or image layer ($LAYER)"; exit 2; }
echo "victim's root: $VROOT"; echo "image layer: $LAYER"

# Podman's `--rootfs` of the victim's root and of the image's layer.
for pair in "podman-victim:$VROOT" "podman-layer:$LAYER"; do
  n=${pair%%:*}; r=${pair#*:}
  # shellcheck disable=SC2086
  out=$(podman $PO run --rm $RUN --rootfs "$r" /bin/sh -c "echo $n > /rt64-$n" 2>&1)
  echo "$out" | sed "s/^/  $n: /"
  [ -e "$r/rt64-$n" ] && { echo "ATTACK WORKED: $n wrote into $r"; exit 0; }
  echo "$out" | grep -q 'confine: refused: mounts: ' \
    || { echo "attack $n failed for another reason"; exit 2; }
  echo "attack $n refused, its command never ran (hook)"
done

# The same roots in bundles through the shim, as an API user that names
# the root; the control's root is a plain directory.
bundle "$W/b-plain" "c['process']['args']=['sh','-c','touch /out/plain']"
engine "$W/b-plain" plain || { echo "CONTROL FAILED: plain did not run (engine)"; exit 2; }
echo "control plain ran (engine)"
for pair in "victim:$VROOT" "layer:$LAYER"; do
  n=${pair%%:*}; r=${pair#*:}
  bundle "$W/b-$n" "c['root']['path']='$r'; c['process']['args']=['sh','-c','echo x > /rt64-$n; touch /out/$n']"
  engine "$W/b-$n" "$n" && { echo "ATTACK WORKED: $n ran with root $r (engine)"; exit 0; }
  [ ! -e "$r/rt64-$n" ] || { echo "ATTACK WORKED: $n wrote into $r"; exit 0; }
  grep -q 'confine: refused: mounts: ' "$W/$n.out" || { echo "attack $n failed for another reason"; exit 2; }
  echo "attack $n refused, its command never ran (engine)"
done
# shellcheck disable=SC2086
[ "$(podman $PO exec vic cat /rt64-victim /rt64-podman-victim 2> /dev/null)" = "" ] \
  || { echo "ATTACK WORKED: the victim sees a marker"; exit 0; }
echo "every attack refused, every control ran"; exit 1

#!/bin/sh
# found-77: a device node planted through a writable bind (red team 6
# F-07). A Docker API user who also has a host login binds a directory of
# their own writable (allowed: not sensitive); the container's root, with
# Docker's default CAP_MKNOD, runc 1.1's `b *:* m` and Docker's seccomp
# profile, which allows mknod of every type, makes `b MAJ:MIN` of a host
# disk there, mode 0666, and the user opens the whole disk through the
# host's own mount (nosuid/nodev on the container's bind would not help).
# seccomp.block_device_nodes refuses the filter; the shim's repair allows
# mknod for the other file types only.
#   attack: Docker's profile (tests/fixtures/docker/default.json) with
#   CAP_MKNOD, through the shim with real runc (create and start, and
#   `run`): the container runs `mknod /out/disk b MAJ MIN` of a host block
#   device and `mknod /out/null c 1 3`; from the host, no node may exist;
#   control: inside the same container mkfifo and mknod of a FIFO and a
#   regular file still work; with inject.seccomp_repair off the spec is
#   refused and its command never runs.
# Exit 0: a device node appeared on the host; 1: none did and the
# controls held; 2: something else.
. "$(dirname "$0")/lib.sh"
dev=$(ls /sys/dev/block | head -n 1)
maj=${dev%:*}; min=${dev#*:}
[ -n "$maj" ] && [ -n "$min" ] || { echo "no host block device"; exit 2; }
seccomp="import json
c['linux']['seccomp']=json.load(open('$SRC/tests/fixtures/docker/default.json'))['linux']['seccomp']
for s in ('bounding','effective','permitted'):
    c['process']['capabilities'][s].append('CAP_MKNOD')"
# A fresh bundle for each run: the shim writes the repaired spec into it.
docker_bundle () {
  rm -rf "$W/b" && bundle "$W/b" "
$seccomp
c['process']['args']=['sh','-c','busybox mknod /out/disk b $maj $min 2> /out/err-disk; busybox mknod -m 666 /out/null c 1 3 2> /out/err-null; busybox mkfifo /out/fifo; busybox mknod /out/fifo2 p; touch /out/ran']
"
}
planted () { # what the container left in /out, seen from the host
  for f in disk null; do [ -b "$W/out/$f" ] || [ -c "$W/out/$f" ] && echo "$f: $(stat -c '%F %t:%T %a' "$W/out/$f")"; done
}
policy
for how in engine hook_run; do
  rm -f "$W/out/"*; docker_bundle
  if ! "$how" "$W/b" ran; then
    echo "CONTROL FAILED: Docker's profile, repaired, did not run ($how)"; exit 2
  fi
  p=$(planted)
  [ -n "$p" ] && { echo "ATTACK WORKED: the container made device nodes in the host's directory ($how): $p"; exit 0; }
  [ -p "$W/out/fifo" ] && [ -p "$W/out/fifo2" ] \
    || { echo "CONTROL FAILED: mkfifo or mknod of a FIFO failed inside ($how)"; exit 2; }
  grep -q "Operation not permitted" "$W/out/err-disk" && grep -q "Operation not permitted" "$W/out/err-null" \
    || { echo "mknod of a device failed for another reason ($how): $(cat "$W/out/err-disk")"; exit 2; }
  echo "repaired ($how): mknod b $maj:$min and c 1:3 failed inside ($(cat "$W/out/err-disk")), no node on the host; mkfifo and mknod p worked"
done
grep -q "seccomp.block_device_nodes" "$W/decisions.log" \
  || { echo "the decision log does not record the repair"; exit 2; }
# Unrepaired, refused for the device nodes alone: the setuid rule judges
# only containers with a bind host users reach here (found-78 judges it).
policy "p['inject']['seccomp_repair']=False; p['seccomp']['setid_scope']='writable_binds'"
for how in engine hook_run; do
  rm -f "$W/out/"*; docker_bundle
  if "$how" "$W/b" ran; then
    p=$(planted)
    [ -n "$p" ] && { echo "ATTACK WORKED: unrepaired, the container made device nodes ($how): $p"; exit 0; }
    echo "unrepaired, Docker's profile ran ($how)"; exit 2
  fi
  grep -q "confine: refused: seccomp: filter allows mknod of a device node, mknodat of a device node.*(policy seccomp.block_device_nodes" "$W/ran.out" \
    || { echo "unrepaired: failed for another reason ($how)"; exit 2; }
  [ -z "$(planted)" ] || { echo "ATTACK WORKED: a node appeared"; exit 0; }
  echo "unrepaired ($how): refused, its command never ran"
done
exit 1

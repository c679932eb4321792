#!/bin/sh
# found-78: a setuid-root program or a file capability planted through a
# writable bind (red team 6 F-07, the half found-77 leaves). A Docker API
# user who also has a host login binds a directory of their own writable
# (`docker run -v $HOME/x:/x`, allowed: not sensitive); the container's
# root, who is the host's root without a user namespace, leaves a
# setuid-root program there (chmod 4755, install -m 4755, open or mknod
# with that mode) or one with file capabilities (setxattr
# security.capability, with Docker's default CAP_SETFCAP), and the user
# runs it on the host as root: the bit is in the inode, so a
# container-side nosuid would not help. seccomp.block_setid_files refuses
# Docker's filter and CAP_SETFCAP for such a container; the shim's repair
# allows those calls only without S_ISUID and S_ISGID, denies openat2 and
# io_uring with ENOSYS, and takes CAP_SETFCAP out.
#   attack: Docker's stock spec as dockerd writes it (its seccomp profile
#   and capabilities, tests/fixtures/docker/default.json), with a
#   writable bind of a directory owned by an unprivileged user (nobody),
#   through the shim with real runc (create and start, and `run`): a
#   static helper tries every call above on root-owned files there; from
#   the host, no file there may have S_ISUID, S_ISGID or a
#   security.capability attribute;
#   controls: the container starts and runs (`docker run -v DIR:/x`
#   still works), a plain chmod there works; the same container with the
#   directory bound read-only is repaired too under seccomp.setid_scope
#   `all` (another container could hand it a descriptor: red team 7
#   F-00), and under `writable_binds`, bound rro with a read-only root,
#   gets no such repair and makes a setuid file and a file capability in
#   a tmpfs of its own; with
#   inject.seccomp_repair off the spec is refused, naming the rule, the
#   bind and the key, and its command never runs.
#   and red team 7 F-01: the user's own `chmod 2644` file, chowned 0:0
#   (CAP_FSETID keeps S_ISGID on a file that is not group-executable) and
#   given the access ACL u::rwx,g::r-x,o::r-x by setxattr, lsetxattr or
#   fsetxattr (system.posix_acl_access, which rewrites the group bits and
#   keeps S_ISGID for a caller in the file's group), would be
#   -rwxr-sr-x root:root: the repair denies setxattr and its kin with
#   EOPNOTSUPP; the chown stays allowed and leaves a 2644 file nobody can
#   execute. So "planted" is what execve honours: S_ISUID, or S_ISGID
#   with S_IXGRP. Control: setxattr of a user.* attribute works in the
#   read-only-bind container (no writable bind, no repair).
# Exit 0: a setuid/setgid file or a file capability appeared in the
# user's directory; 1: none did and the controls held; 2: something else.
. "$(dirname "$0")/lib.sh"
U=$(mktemp -d /tmp/confine-f78-user.XXXXXX)
chmod 0755 "$U" && chown nobody "$U" || exit 2
stop_exec () {
  runc --root "$W/runc" kill "rt78e-$$" KILL 2>/dev/null; sleep 0.2
  runc --root "$W/runc" delete -f "rt78e-$$" 2>/dev/null
}
cleanup () { stop_exec; rm -rf "$U"; }
cc -static -O2 -o "$W/setid" "$(dirname "$0")/setid.c" || exit 2
docker="import json
d=json.load(open('$SRC/tests/fixtures/docker/default.json'))
c['linux']['seccomp']=d['linux']['seccomp']
c['process']['capabilities']=d['process']['capabilities']"
# docker_bundle OPTIONS DIR [PYTHON]: a fresh bundle (the shim writes the repaired
# spec into it) binding the user's directory at /x with OPTIONS; the
# helper works in DIR (in the container) and reports to /out/calls.
docker_bundle () {
  rm -rf "$W/b" && bundle "$W/b" "
$docker
import shutil, os
shutil.copy('$W/setid', b+'/rootfs/bin/setid')
os.makedirs(b+'/rootfs/own')
c['root']['readonly']=False
c['mounts'].append({'destination':'/x','type':'bind','source':'$U','options':['rbind','$1','rprivate']})
c['process']['args']=['sh','-c','setid $2 > /out/calls 2>&1; touch /out/ran']
${3:-}
"
}
# user_file: the host user's own setgid, not group-executable file.
user_file () {
  setpriv --reuid nobody --regid nogroup --clear-groups sh -c \
    ": > '$U/usergid' && chmod 2644 '$U/usergid'" || exit 2
}
# /out ($W/out) in a tree no container binds, as an engine's data root
# (mounts.sensitive holds $W, 0700): under seccomp.setid_scope
# `writable_binds` only the bind of the user's directory, or the root
# filesystem, counts.
out_exempt="p['mounts']['sensitive'].append(w); p['mounts']['allowed_subtrees'].append(w+'/out')"
policy "$out_exempt"
for how in engine hook_run; do
  rm -rf "$U"/* "$W/out/"*; docker_bundle rw /x; user_file
  if ! "$how" "$W/b" ran; then
    echo "CONTROL FAILED: Docker's spec with a bind of the user's directory, repaired, did not run ($how)"; exit 2
  fi
  p=$(planted "$U")
  [ -n "$p" ] && { echo "ATTACK WORKED: the container left in the user's directory ($how): $p"; sed 's/^/  /' "$W/out/calls"; exit 0; }
  grep -qx 'chmod-plain ok' "$W/out/calls" \
    || { echo "CONTROL FAILED: a plain chmod in the bind failed ($how): $(cat "$W/out/calls")"; exit 2; }
  for call in chmod-4755 chmod-2755 fchmod-4755 fchmodat-4755 fchmodat2-4755 open-4755 openat-2755 \
              creat-4755 mknod-4755 mknodat-2755 openat2-4755 setxattr-capability io_uring_setup \
              setxattr-acl lsetxattr-acl fsetxattr-acl; do
    grep -q "^$call " "$W/out/calls" && ! grep -qx "$call ok" "$W/out/calls" \
      || { echo "$call was not refused ($how): $(grep "^$call " "$W/out/calls")"; exit 2; }
  done
  grep -qx 'chown-usergid ok' "$W/out/calls" && grep -qx 'setxattr-user Operation not supported' "$W/out/calls" \
    && [ "$(stat -c '%a %u %g' "$U/usergid")" = "2644 0 0" ] \
    || { echo "chown + ACL: not the expected outcome ($how): $(grep 'usergid\|xattr' "$W/out/calls" | tr '\n' ','), $(stat -c '%a %u %g' "$U/usergid")"; exit 2; }
  echo "repaired ($how): every call failed inside ($(tr '\n' ',' < "$W/out/calls")), nothing setuid, setgid or with file capabilities on the host; a plain chmod worked"
done
grep -q "seccomp.block_setid_files" "$W/decisions.log" && grep -q "CAP_SETFCAP taken out" "$W/decisions.log" \
  || { echo "the decision log does not record the repair"; exit 2; }
# docker exec: dockerd builds the exec's process from its own copy of the
# spec, CAP_SETFCAP included, and runc applies the process file's sets.
rm -rf "$U"/* "$W/out/"*; docker_bundle rw /x
python3 - "$W/b/config.json" <<'PY'
import json,sys
c=json.load(open(sys.argv[1])); c['process']['args']=['sh','-c','touch /out/ready; exec sleep 60']
json.dump(c,open(sys.argv[1],'w'))
PY
id=rt78e-$$
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" create --bundle "$W/b" "$id" \
    < /dev/null > "$W/exec-create.out" 2>&1 \
  && CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" start "$id" \
    < /dev/null >> "$W/exec-create.out" 2>&1 \
  || { cat "$W/exec-create.out"; echo "CONTROL FAILED: the container to exec into did not start"; exit 2; }
i=0; while [ ! -e "$W/out/ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
python3 - "$SRC" "$P" <<'PY'
import json,sys
src,p=sys.argv[1:]
d=json.load(open(src+'/tests/fixtures/docker/default.json'))['process']
d['args']=['sh','-c','setid /x > /out/calls 2>&1; touch /out/exec-ran']
d['terminal']=False
json.dump(d,open(p+'/process.json','w'))
PY
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" exec --process "$P/process.json" "$id" \
  < /dev/null > "$W/exec.out" 2>&1
[ -e "$W/out/exec-ran" ] || { cat "$W/exec.out"; echo "CONTROL FAILED: the exec did not run"; exit 2; }
p=$(planted "$U")
[ -n "$p" ] && { echo "ATTACK WORKED: docker exec left in the user's directory: $p"; sed 's/^/  /' "$W/out/calls"; exit 0; }
grep -q '^setxattr-capability ' "$W/out/calls" && ! grep -qx 'setxattr-capability ok' "$W/out/calls" \
  && grep -q "CAP_SETFCAP taken out of 3 sets, as the container's init has none" "$W/decisions.log" \
  || { echo "exec: setxattr was not refused, or the change not logged: $(tr '\n' ',' < "$W/out/calls")"; exit 2; }
echo "exec: CAP_SETFCAP taken out, setxattr security.capability failed ($(grep '^setxattr' "$W/out/calls")), nothing planted"
stop_exec
# seccomp.setid_scope `all` (the default): bound read-only, the user's
# directory is out of this container's reach, but another container with
# the writable bind could hand it a descriptor of the directory (red team
# 7 F-00): it is repaired too, and makes no setuid file anywhere.
rm -rf "$W/out/"*; docker_bundle ro /own
engine "$W/b" ran || { echo "CONTROL FAILED: the read-only bind did not run"; exit 2; }
p=$(planted "$W/b/rootfs/own")
[ -n "$p" ] && { echo "ATTACK WORKED: with no writable bind, the container made (F-00): $p"; exit 0; }
grep -qx 'chmod-4755 ok' "$W/out/calls" && { echo "chmod 4755 passed in a container with no writable bind"; exit 2; }
echo "scope all: with no writable bind too, chmod 4755 and setxattr failed in the container's own root"
# Positive control: with seccomp.setid_scope `writable_binds`, bound
# read-only as a whole (rro) and with a read-only root, nothing is
# repaired, and the container's root makes setuid files and file
# capabilities in a tmpfs of its own (an `rbind,ro` counts: runc leaves
# the host's submounts below it writable, red team 7 F-08).
policy "$out_exempt; p['seccomp']['setid_scope']='writable_binds'"
rm -rf "$W/out/"*; docker_bundle rro /own "
c['root']['readonly']=True
c['mounts'].append({'destination':'/own','type':'tmpfs','source':'tmpfs','options':['mode=755']})"
engine "$W/b" ran || { echo "CONTROL FAILED: the read-only bind did not run"; exit 2; }
if grep -qx 'chmod-4755 ok' "$W/out/calls" && grep -qx 'setxattr-capability ok' "$W/out/calls"; then
  grep -qx 'setxattr-user ok' "$W/out/calls" \
    || { echo "CONTROL FAILED: no writable bind, setxattr user.* failed: $(grep '^setxattr-user' "$W/out/calls")"; exit 2; }
  echo "control: bound rro, the container made setuid files and file capabilities in its own tmpfs; setxattr user.* worked"
else
  echo "CONTROL FAILED: bound rro, chmod 4755 or setxattr failed in the container's own tmpfs: $(tr '\n' ',' < "$W/out/calls")"; exit 2
fi
policy "$out_exempt; p['inject']['seccomp_repair']=False; p['seccomp']['setid_scope']='writable_binds'"
for how in engine hook_run; do
  rm -rf "$U"/* "$W/out/"*; docker_bundle rw /x
  if "$how" "$W/b" ran; then
    p=$(planted "$U")
    [ -n "$p" ] && { echo "ATTACK WORKED: unrepaired ($how): $p"; exit 0; }
    echo "unrepaired, Docker's spec ran ($how)"; exit 2
  fi
  grep -q "confine: refused: seccomp: filter allows .*chmod with a setuid or setgid mode.*while the bind mount of \`$U\` at \`/x\` is writable and host users reach its files.*(policy seccomp.block_device_nodes, seccomp.block_setid_files)" "$W/ran.out" \
    && grep -q "capabilities: CAP_SETFCAP is in the bounding set while the bind mount of \`$U\`" "$W/ran.out" \
    || { echo "unrepaired: failed for another reason ($how): $(cat "$W/ran.out")"; exit 2; }
  [ -e "$W/out/ran" ] && { echo "unrepaired: the command ran ($how)"; exit 2; }
  echo "unrepaired ($how): refused, its command never ran: $(grep -o 'confine: refused: .\{0,80\}' "$W/ran.out" | head -1)..."
done
exit 1

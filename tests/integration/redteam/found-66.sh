#!/bin/sh
# found-66: containerd's `opt` directory, moved from /opt/containerd in its
# config (red team 3 F-11, F-12). containerd puts <opt>/bin first on the
# PATH and <opt>/lib on the LD_LIBRARY_PATH of every runtime shim it
# starts, and the shim hands both to the runtime: a container that binds
# <opt> writable plants `runc` (containerd's shim finds it before the
# stand-in: the gate is gone for every later container) or
# `libseccomp.so.2` (loaded as root by the runc the gate runs). No list
# names this opt directory: the shim derives it from the environment
# it runs the runtime with. Real containerd (its opt path in its own
# directory, as tests/lib/engine.sh configures it) and dockerd, the
# install emulated as install.sh makes it (a stand-in `runc` with
# `runc.real` beside it, first on containerd's PATH), both ways in:
# Docker's stock runtime `runc` (the stand-in, found on PATH) and
# `--runtime confine` (confine-runtime by absolute path).
#   attack: `-v <opt>:/oc` writing /oc/bin/runc, `-v <opt>/lib:/l`
#   writing /l/libseccomp.so.2;
#   controls: <opt> read-only runs and cannot write there (EROFS), a
#   directory beside it writable runs and writes.
# Exit 0: a writable bind of the opt directory ran; 1: refused, the
# command never ran (nothing planted), and the controls ran; 2: something
# else.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/lib.sh"
. "$SRC/tests/lib/engine.sh"
policy
mkdir -p "$W/sbin" "$W/beside" || exit 2
cp "$BUILD/confine-runtime" "$W/sbin/runc" && cp /usr/sbin/runc "$W/sbin/runc.real" || exit 2
chmod 755 "$W/sbin" "$W/sbin/runc" "$W/sbin/runc.real"; chmod 711 "$W"
export CONFINE_POLICY=$W/policy.json PATH="$W/sbin:$PATH"
engine_start "$W/e" --add-runtime "confine=$BUILD/confine-runtime" > "$W/engine.out" 2>&1 \
  && engine_import_busybox >> "$W/engine.out" 2>&1 || { cat "$W/engine.out"; exit 2; }
OPT=$ENGINE_DIR/containerd/opt
[ -d "$OPT/bin" ] && [ -d "$OPT/lib" ] || { echo "containerd made no $OPT/bin and lib"; exit 2; }
# run RUNTIME BIND COMMAND
run () { timeout 120 docker run --rm --network none --runtime "$1" -v "$2" "$ENGINE_IMAGE" sh -c "$3" < /dev/null 2>&1; }
for rt in runc confine; do
  out=$(run "$rt" "$OPT:/oc:ro" 'touch /oc/bin/runc 2>&1; echo ran')
  grep -q "^ran" <<<"$out" && grep -q "Read-only file system" <<<"$out" && [ ! -e "$OPT/bin/runc" ] \
    || { echo "CONTROL FAILED ($rt): <opt> read-only: $out"; exit 2; }
  out=$(run "$rt" "$W/beside:/b" "echo x > /b/$rt && echo ran")
  grep -q "^ran" <<<"$out" && [ -e "$W/beside/$rt" ] \
    || { echo "CONTROL FAILED ($rt): a directory beside it writable: $out"; exit 2; }
  echo "controls ($rt): <opt> read-only ran and could not write there, a directory beside it writable ran"
  for attack in "$OPT:/oc:/oc/bin/runc" "$OPT/lib:/l:/l/libseccomp.so.2"; do
    src=${attack%%:*}; rest=${attack#*:}; dst=${rest%%:*}; plant=${rest#*:}
    out=$(run "$rt" "$src:$dst" "echo planted > $plant && echo ran")
    echo "$out" | sed "s|^|  $rt $dst: |"
    if grep -q "^ran" <<<"$out" || [ -e "$OPT/bin/runc" ] || [ -e "$OPT/lib/libseccomp.so.2" ]; then
      echo "ATTACK WORKED: -v $src:$dst ran ($rt) and planted $(ls "$OPT/bin" "$OPT/lib")"; exit 0
    fi
    grep -q "confine: refused: mounts: bind mount of \`$src\` at \`$dst\` .* where the runtime the gate runs finds code" <<<"$out" \
      || { echo "-v $src ($rt) failed for another reason"; exit 2; }
    echo "attack -v $src:$dst ($rt) refused, its command never ran, nothing planted"
  done
done
exit 1

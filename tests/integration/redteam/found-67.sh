#!/bin/bash
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# found-67 (red team 5, F-02): `docker create -v /etc:/hostetc` and then
# `docker cp` into or out of /hostetc reads and writes the host's /etc as
# root. dockerd serves docker cp itself (daemon/archive.go mounts the
# container's binds in its own namespace): no runtime is called, so the
# runtime gate never sees it. confine-authz, Docker's authorization
# plugin, judges the creates with the mounts rule instead.
#
# Real containerd and dockerd (tests/lib/engine.sh, their own roots and
# sockets), the gate as the default runtime, confine-authz registered with
# `--authorization-plugin` on a socket of its own in /run/docker/plugins
# (dockerd's fixed plugin directory), removed on exit.
#   controls: `docker run` of an ordinary bind runs through the plugin
#   (its decision logged); `docker create` with that bind and `docker cp`
#   into and out of it work;
#   attacks: `-v /etc:/hostetc`, `--mount type=bind,src=/etc`, and a
#   volume `-o type=none -o o=bind -o device=/etc`, each then copied into
#   (a new file in /etc) and out of (/etc/shadow): refused at create, the
#   file never written, nothing read.
# Without $BUILD/confine-authz (a build before the plugin) the engine runs
# without it and the attack works: exit 0. Exit 1: refused; 2: the test
# failed.
set -u
SRC=${ROOT:?}; BUILD=${BUILD:?}
. "$SRC/tests/lib/engine.sh"
T=$(mktemp -d /tmp/rt67.XXXXXX)
NAME=confine-authz-rt67-$$
SOCK=/run/docker/plugins/$NAME.sock
MARK=confine-rt67-$$
PLUGIN_PID=
cleanup () {
  [ -n "$PLUGIN_PID" ] && kill "$PLUGIN_PID" 2>/dev/null && wait "$PLUGIN_PID" 2>/dev/null
  rm -f "$SOCK" "/etc/$MARK"
  engine_remove_dir "$T/e" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
engine_require_packages || exit 2

mkdir -p "$T/sfs" "$T/data" "$T/payload" "$T/cache"
# The shipped policy, its paths in T; Docker's data root moved as in
# shim-docker.sh; no AppArmor on this kernel. docker cp opened
# (authz.copy, found-73 refuses it): this case is about the creates.
jq --arg t "$T" --arg prof "$SRC/profiles/seccomp/default.json" --arg hook "$BUILD/confine-hook" '
    .securityfs = ($t + "/sfs") | .decision_log = ($t + "/decisions.log") | .authz.copy = "allow"
  | .cache_dir = ($t + "/cache") | .hook_path = $hook | .seccomp.default_profile = $prof
  | .apparmor.when_unavailable = "skip" | .runtime = "runc"
  | .mounts |= with_entries(if (.value | type) == "array"
      then .value |= map(if type == "string" then sub("^/var/lib/docker"; $t + "/e/docker") else . end)
      else . end)' "$SRC/config/policy.json" > "$T/policy.json" || exit 2
chmod 600 "$T/policy.json"
export CONFINE_POLICY=$T/policy.json

authz=()
if [ -x "$BUILD/confine-authz" ]; then
  mkdir -p /run/docker/plugins
  "$BUILD/confine-authz" --policy "$T/policy.json" --socket "$SOCK" 2>"$T/authz.err" &
  PLUGIN_PID=$!
  for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
  [ -S "$SOCK" ] || { echo "the plugin did not listen: $(cat "$T/authz.err")"; exit 2; }
  authz=(--authorization-plugin "$NAME")
else
  echo "no $BUILD/confine-authz: the engine runs without the plugin"
fi
if ! engine_start "$T/e" --add-runtime "confine=$BUILD/confine-runtime" --default-runtime confine \
     "${authz[@]}" || ! engine_import_busybox; then
  echo "the engine did not start; logs in $T/e/log"; exit 2
fi
IMG=confine-busybox:latest

# Controls: an ordinary bind, through the plugin and the gate.
docker run --rm --network none -v "$T/data:/d" "$IMG" sh -c 'echo ran > /d/ran' \
  && [ "$(cat "$T/data/ran" 2>/dev/null)" = ran ] \
  || { echo "CONTROL FAILED: docker run with an ordinary bind"; exit 2; }
if [ -n "$PLUGIN_PID" ] && ! grep -q '"component":"authz","action":"docker-container-create".*"verdict":"allow"' "$T/decisions.log"; then
  echo "CONTROL FAILED: the plugin logged no allowed create"; exit 2
fi
echo "control: docker run -v $T/data:/d ran"
cid=$(docker create --network none -v "$T/data:/d" "$IMG" true) \
  || { echo "CONTROL FAILED: docker create with an ordinary bind"; exit 2; }
printf 'copied\n' > "$T/payload/$MARK"
tar -C "$T/payload" -cf - "$MARK" | docker cp - "$cid:/d/" \
  && [ "$(cat "$T/data/$MARK" 2>/dev/null)" = copied ] \
  && [ "$(docker cp "$cid:/d/ran" - | tar -xOf -)" = ran ] \
  || { echo "CONTROL FAILED: docker cp into and out of an ordinary bind"; exit 2; }
docker rm "$cid" >/dev/null
echo "control: docker create -v $T/data:/d, docker cp in and out worked"

# The attacks: create, copy a new file into /etc, read /etc/shadow.
worked=0
attack () { # WHAT CREATE-ARGS...
  local what=$1 out c lines; shift
  if ! out=$(docker create --network none "$@" "$IMG" true 2>&1); then
    echo "$what: $out"
    return
  fi
  c=$out
  tar -C "$T/payload" -cf - "$MARK" | docker cp - "$c:/hostetc/" 2>/dev/null
  lines=$(docker cp "$c:/hostetc/shadow" - 2>/dev/null | tar -xOf - 2>/dev/null | wc -l)
  echo "$what: created; /etc/$MARK $([ -e "/etc/$MARK" ] && echo written || echo absent), /etc/shadow read: $lines lines"
  { [ -e "/etc/$MARK" ] || [ "$lines" -gt 0 ]; } && worked=1
  rm -f "/etc/$MARK"
  docker rm -f "$c" >/dev/null 2>&1
}
attack "-v /etc:/hostetc" -v /etc:/hostetc
attack "--mount type=bind,src=/etc" --mount type=bind,src=/etc,dst=/hostetc
if out=$(docker volume create -o type=none -o o=bind -o device=/etc "rt67-$$" 2>&1); then
  attack "a volume bound to /etc" -v "rt67-$$:/hostetc"
  docker volume rm -f "rt67-$$" >/dev/null 2>&1
else
  echo "docker volume create -o o=bind -o device=/etc: $out"
fi
[ "$worked" = 1 ] && { echo "ATTACK WORKED: docker cp reached the host's /etc"; exit 0; }
[ -e "/etc/$MARK" ] && { echo "ATTACK WORKED: /etc/$MARK exists"; exit 0; }
exit 1

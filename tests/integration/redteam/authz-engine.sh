# shellcheck shell=bash
# Sourced by found-67, found-73, found-74 and found-79 (bash): real containerd and
# dockerd (tests/lib/engine.sh, their own roots and sockets), the gate as
# the default runtime, confine-authz registered with
# `--authorization-plugin` on a socket of its own in /run/docker/plugins
# (dockerd's fixed plugin directory), all removed on exit. The caller sets
#   N            its number (names T, the plugin, the socket);
#   POLICY_EDIT  a jq filter for the policy (optional);
#   CLEANUP      a function run first on exit (optional).
# Sets T (a new directory), IMG; exports CONFINE_POLICY=$T/policy.json,
# the shipped policy with its paths in T and Docker's data root moved as
# in shim-docker.sh (the plugin's authz.docker_root too), no AppArmor on
# this kernel; the plugin reads it at
# each request, so a script may change it on the way. Without
# $BUILD/confine-authz (a build before the plugin) the engine runs
# without it. Exits 2 when the engine does not start.
SRC=${ROOT:?}; BUILD=${BUILD:?}
. "$SRC/tests/lib/engine.sh"
T=$(mktemp -d "/tmp/rt$N.XXXXXX")
NAME=confine-authz-rt$N-$$
SOCK=/run/docker/plugins/$NAME.sock
PLUGIN_PID=
_authz_engine_cleanup () {
  [ -n "${CLEANUP:-}" ] && "$CLEANUP"
  [ -n "$PLUGIN_PID" ] && kill "$PLUGIN_PID" 2>/dev/null && wait "$PLUGIN_PID" 2>/dev/null
  rm -f "$SOCK"
  engine_remove_dir "$T/e" >/dev/null 2>&1
  rm -rf "$T"
}
trap _authz_engine_cleanup EXIT
engine_require_packages || exit 2

mkdir -p "$T/sfs" "$T/cache"
jq --arg t "$T" --arg prof "$SRC/profiles/seccomp/default.json" --arg hook "$BUILD/confine-hook" '
    .securityfs = ($t + "/sfs") | .decision_log = ($t + "/decisions.log")
  | .cache_dir = ($t + "/cache") | .hook_path = $hook | .seccomp.default_profile = $prof
  | .apparmor.when_unavailable = "skip" | .runtime = "runc" | .authz.docker_root = ($t + "/e/docker")
  | .mounts |= with_entries(if (.value | type) == "array"
      then .value |= map(if type == "string" then sub("^/var/lib/docker"; $t + "/e/docker") else . end)
      else . end)' "$SRC/config/policy.json" | jq "${POLICY_EDIT:-.}" > "$T/policy.json" || exit 2
chmod 600 "$T/policy.json"
export CONFINE_POLICY=$T/policy.json

_authz=()
if [ -x "$BUILD/confine-authz" ]; then
  mkdir -p /run/docker/plugins
  "$BUILD/confine-authz" --policy "$T/policy.json" --socket "$SOCK" 2>"$T/authz.err" &
  PLUGIN_PID=$!
  for _ in $(seq 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
  [ -S "$SOCK" ] || { echo "the plugin did not listen: $(cat "$T/authz.err")"; exit 2; }
  _authz=(--authorization-plugin "$NAME")
else
  echo "no $BUILD/confine-authz: the engine runs without the plugin"
fi
if ! engine_start "$T/e" --add-runtime "confine=$BUILD/confine-runtime" --default-runtime confine \
     "${_authz[@]}" || ! engine_import_busybox; then
  echo "the engine did not start; logs in $T/e/log"; exit 2
fi
IMG=confine-busybox:latest

# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the shell tests. Each test prints one line,
# `PASS name` or `FAIL name: why`; tests/run.sh counts them.
# BUILD is the build directory (absolute), ROOT the source tree.

: "${BUILD:?BUILD must name the build directory}"
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

pass () { printf 'PASS %s\n' "$1"; }
fail () { printf 'FAIL %s: %s\n' "$1" "$2"; }

# SHIM_DEVICES: a jq filter taking out of a spec the device cgroup rules
# the shim takes out by default (devices.strip: Docker's rule for the
# host's console, c 5:1), for a Docker spec judged as the shim passes it
# on; test-devices and redteam found-50 judge the rule itself.
SHIM_DEVICES='if .linux.resources.devices then .linux.resources.devices |= map(select(.allow and .type == "c" and .major == 5 and .minor == 1 | not)) else . end'

# refused_by RULE [FILE]: FILE (default stdin) holds confine's refusal,
# with RULE among its reasons (`confine: refused: a: ...; RULE: ...`): a
# refusal test names the rule it means, so that another rule refusing, or
# an error, does not pass for it.
refused_by () { grep -qE "confine: refused: (.*; )?$1: " "${2:--}"; }

# refused_never_ran NAME MARKER RULE CMD...: CMD fails with confine's
# refusal naming RULE, and the container's command, which creates
# $T/out/MARKER, never ran.
refused_never_ran () {
  local name=$1 marker=$2 rule=$3 out rc; shift 3
  rm -f "$T/out/$marker"
  out=$(timeout 120 "$@" 2>&1 </dev/null); rc=$?
  if [ "$rc" != 0 ] && refused_by "$rule" <<<"$out" && [ ! -e "$T/out/$marker" ]; then
    pass "$name"
  else
    fail "$name" "rc=$rc marker=$([ -e "$T/out/$marker" ] && echo present || echo absent): $out"
  fi
}

# check NAME COMMAND...: pass if the command succeeds.
check () {
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

# shipped_policy OUT SECURITYFS [jq-filter]: the shipped policy, every
# check as shipped, with the paths a test or benchmark controls.
shipped_policy () {
  local out=$1 sfs=$2 filter=${3:-.}
  jq --arg sfs "$sfs" --arg log "${out%.json}.log" --arg hook "$BUILD/confine-hook" \
     '.securityfs = $sfs | .decision_log = $log | .hook_path = $hook | .cache_dir = ($log + ".cache")' \
     "$ROOT/config/policy.json" | jq "$filter" > "$out"
  chmod 0644 "$out"
}

# A policy for tests of other rules: shipped_policy, less the checks that
# the engines' stock specs fail on the hook path. The fixtures are the
# engines' own specs, whose filters allow mknod of every file type: the
# hook and `confine check` alone would refuse them all for
# seccomp.block_device_nodes, which only the shim repairs. So the key is
# off here, and on in the shim's tests (shim_test_setup), where the
# repair runs on every stock spec; redteam/found-77 proves it with the
# shipped policy. Likewise seccomp.block_setid_files: the fixtures bind
# Docker's hosts files from paths that do not exist here (which count)
# and allow chmod of any mode; redteam/found-78 and test-setid prove it.
# test_policy OUT SECURITYFS [jq-filter]
test_policy () {
  shipped_policy "$1" "$2" \
    ".seccomp.block_device_nodes = false | .seccomp.block_setid_files = false | ${3:-.}"
}

# shim_test_setup NAME DIR: what the shim tests share. Checks the tools,
# writes DIR/policy.json (the shipped policy on a host without AppArmor,
# with the project's own default seccomp profile and this build's hook),
# exports it as CONFINE_POLICY, and sets POLICY and DECISIONS (its log).
shim_test_setup () {
  local name=$1 dir=$2 c
  for c in runc jq; do
    command -v "$c" >/dev/null || { fail "$name-setup" "$c is not installed"; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { fail "$name-setup" "must run as root"; exit 1; }
  mkdir -p "$dir/sfs"
  POLICY=$dir/policy.json
  shipped_policy "$POLICY" "$dir/sfs" \
    ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\"
     | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
  export CONFINE_POLICY=$POLICY
  DECISIONS=$dir/policy.log
}

# shim_written_spec BUNDLE ID POLICY: BUNDLE/config.json rewritten as the
# shim's create hands it to runc for container ID under POLICY, with its
# hooks as they were. The engines' stock filters let mknod make device
# nodes, which the hook alone refuses and only the shim repairs: a test or
# benchmark that feeds the hook an engine's spec with every check on feeds
# it this. The runtime is /bin/true, the state root and cache scratch.
shim_written_spec () {
  local b=$1 id=$2 policy=$3 hooks rc=0
  hooks=$(jq -c '.hooks // null' "$b/config.json")
  jq --arg c "$b.shim-cache" '.runtime = "/bin/true" | .cache_dir = $c' "$policy" >"$b.shim-policy.json"
  chmod 0600 "$b.shim-policy.json"
  CONFINE_POLICY=$b.shim-policy.json "$BUILD/confine-runtime" --root "$b.shim-state" create \
    --bundle "$b" "$id" </dev/null >"$b.shim.out" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    jq --argjson h "$hooks" 'if $h == null then del(.hooks) else .hooks = $h end' \
      "$b/config.json" >"$b/config.json.new" && mv "$b/config.json.new" "$b/config.json" || rc=1
  else
    cat "$b.shim.out" >&2
  fi
  rm -rf "$b.shim-cache" "$b.shim-state" "$b.shim-policy.json" "$b.shim.out"
  return "$rc"
}

# shim_engine_setup NAME ID: what the shim's engine-path tests share: SHIM
# (this build's confine-runtime), a temp directory T (/tmp/NAME.*) with
# shim_test_setup's policy, the busybox rootfs $T/rootfs and $T/out, and
# ID=ID-PID. At exit every container of runc's default root whose id
# starts with $ID- is deleted, then the script's own extra_cleanup runs if
# it defines one, then T is removed.
shim_engine_setup () {
  local name=$1
  SHIM=$BUILD/confine-runtime
  T=$(mktemp -d "/tmp/$name.XXXXXX")
  ID=$2-$$
  trap _shim_engine_cleanup EXIT
  shim_test_setup "$name" "$T"
  make_rootfs "$T/rootfs"
  mkdir -p "$T/out"
}

_shim_engine_cleanup () {
  local c
  for c in $(runc list -q 2>/dev/null | grep "^$ID-"); do
    runc delete --force "$c" >/dev/null 2>&1
  done
  if declare -F extra_cleanup >/dev/null; then extra_cleanup; fi
  rm -rf "$T"
}

# A fake securityfs: make_securityfs DIR "name (mode)"...
make_securityfs () {
  local dir=$1; shift
  mkdir -p "$dir/apparmor"
  : > "$dir/apparmor/profiles"
  local l; for l in "$@"; do printf '%s\n' "$l" >> "$dir/apparmor/profiles"; done
}

# A busybox rootfs for runc bundles.
make_rootfs () {
  local rootfs=$1
  mkdir -p "$rootfs/bin" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp" "$rootfs/mnt"
  cp /bin/busybox "$rootfs/bin/busybox"
  local t; for t in sh cat ls true false grep touch echo sleep id; do ln -sf busybox "$rootfs/bin/$t"; done
}

# runc_state_setup NAME: a temp directory T and a runc state root STATE
# under it; every container in STATE (and any whose id the test adds to
# IDS) is killed and deleted at exit, and T removed. Fails
# NAME-prerequisites (and exits) unless run as root with runc and
# /bin/busybox.
runc_state_setup () {
  local name=$1
  T=$(mktemp -d "/tmp/confine-$name.XXXXXX")
  STATE=$T/state
  IDS=()
  trap _runc_state_cleanup EXIT
  if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || ! [ -x /bin/busybox ]; then
    fail "$name-prerequisites" "needs root, runc and /bin/busybox"
    exit 0
  fi
}

_runc_state_cleanup () {
  local id
  for id in "${IDS[@]}" $(runc --root "$STATE" list -q 2>/dev/null); do
    timeout 10 runc --root "$STATE" kill "$id" KILL >/dev/null 2>&1
    timeout 10 runc --root "$STATE" delete --force "$id" >/dev/null 2>&1
  done
  rm -rf "$T"
}

# new_bundle DIR ARGS-JSON [jq-filter]: a runc bundle on the shared
# rootfs $T/rootfs running ARGS, with $T/out bound at /mnt, so a container
# can leave a marker behind.
new_bundle () {
  local dir=$1 args=$2 filter=${3:-.}
  mkdir -p "$dir"
  (cd "$dir" && rm -f config.json && runc spec) || return 1
  jq --arg root "$T/rootfs" --arg out "$T/out" --argjson args "$args" '
      .root.path = $root | .process.terminal = false | .process.args = $args
      | .mounts += [{"destination": "/mnt", "type": "bind", "source": $out,
                     "options": ["rbind", "rw"]}]' "$dir/config.json" \
    | jq "$filter" > "$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# hook_bundle NAME POLICY COMMAND [jq-filter]: prints the runc bundle
# $T/NAME it makes: the read-only rootfs $T/rootfs running `sh -c COMMAND`,
# $T/marks bound at /marks (where COMMAND leaves its marker), Docker's
# default seccomp filter, and confine's hook at createRuntime under POLICY;
# the filter then edits it.
hook_bundle () {
  local b=$T/$1 policy=$2 cmd=$3 filter=${4:-.}
  mkdir -p "$b"
  (cd "$b" && rm -f config.json && runc spec) || return 1
  jq --arg root "$T/rootfs" --arg marks "$T/marks" --arg cmd "$cmd" \
     --arg hook "$BUILD/confine-hook" --arg policy "$policy" \
     --slurpfile docker "$ROOT/tests/fixtures/docker/default.json" '
    .root = {path: $root, readonly: true}
    | .process.terminal = false
    | .process.args = ["sh", "-c", $cmd]
    | .mounts += [{destination: "/marks", type: "bind", source: $marks, options: ["rbind", "rw"]}]
    | .linux.seccomp = $docker[0].linux.seccomp
    | .hooks.createRuntime = [{path: $hook, args: ["confine-hook", "--policy", $policy], timeout: 10}]
  ' "$b/config.json" | jq "$filter" > "$b/config.json.new" && mv "$b/config.json.new" "$b/config.json"
  echo "$b"
}

# hook_refused NAME BUNDLE EXPECT [runc-run-options...]: runc run of
# BUNDLE as container NAME (in $STATE) fails, the command never left
# $T/marks/NAME, and runc's error carries confine's refusal, containing
# EXPECT (a fixed string: the rule and its fact, `seccomp: filter allows`).
hook_refused () {
  local name=$1 b=$2 expect=$3; shift 3
  if runc --root "$STATE" run "$@" --bundle "$b" "$name" > "$T/out" 2>&1 < /dev/null; then
    fail "$name" "runc run succeeded: $(cat "$T/marks/$name" 2>/dev/null)"
  elif [ -e "$T/marks/$name" ]; then
    fail "$name" "the container's command ran"
  elif ! grep -F 'confine: refused: ' "$T/out" | grep -qF -- "$expect"; then
    fail "$name" "runc's error lacks the reason: $(cat "$T/out")"
  else
    pass "$name: refused before its command ran: $expect"
  fi
}

# stand_in_dockerd DIR: a real dockerd that does nothing: blocked opening
# its config FIFO, before it reads or creates anything, so that
# /proc/$STAND_IN_DOCKERD/exe is Docker's binary, as in Docker's network
# hook (the dockerd that wrote tests/fixtures/docker is gone). The caller
# kills it: kill -9 "$STAND_IN_DOCKERD".
stand_in_dockerd () {
  local dir=$1 _
  mkfifo "$dir/dockerd.cfg" || return 1
  /usr/sbin/dockerd --config-file "$dir/dockerd.cfg" --data-root "$dir/dockerd" \
    --exec-root "$dir/dockerd-exec" --pidfile "$dir/dockerd.pid" -H "unix://$dir/dockerd.sock" \
    >/dev/null 2>&1 &
  STAND_IN_DOCKERD=$!
  for _ in $(seq 50); do
    [ "$(readlink "/proc/$STAND_IN_DOCKERD/exe")" = /usr/sbin/dockerd ] && return 0
    sleep 0.1
  done
  return 1
}

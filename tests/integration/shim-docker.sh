#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# confine-runtime as Docker's default runtime, on a real containerd +
# dockerd (tests/lib/engine.sh), driven by plain, unchanged docker
# commands; then containerd's own client with `ctr run --runc-binary`.
#
# How the policy reaches the shim: dockerd hands the runtime's path to
# containerd, containerd starts containerd-shim-runc-v2 with its own
# environment, and the shim runs our binary with that environment
# (go-runc passes os.Environ() on). So CONFINE_POLICY is exported before
# engine_start starts containerd, and nothing is installed on the host:
# /etc/confine stays untouched.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"
. "$ROOT/tests/lib/engine.sh"

SHIM=$BUILD/confine-runtime
T=$(mktemp -d /tmp/shd.XXXXXX) # short: engine sockets live below it
IMG=confine-busybox:latest
CTR_NS=confine-test

cleanup () {
  engine_remove_dir "$T/e" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { fail "shim-docker-setup" "must run as root"; exit 1; }
engine_require_packages || { fail "shim-docker-setup" "missing packages"; exit 1; }
command -v jq >/dev/null || { fail "shim-docker-setup" "jq is not installed"; exit 1; }

# This kernel has no AppArmor: an empty securityfs, and the policy skips
# the AppArmor rule rather than refuse everything. This dockerd's data
# root is $T/e/docker: the shipped policy's entries for /var/lib/docker
# are moved there, so Docker's own binds (per-container files, named
# volumes) and roots meet the patterns they meet on a real host; and
# those for /run/containerd to this containerd's state, so ctr's task
# roots must be the container's own (mounts.allowed_roots). Every
# container goes through the shim, so seccomp.block_device_nodes is on, as
# shipped: the shim repairs Docker's filter.
mkdir -p "$T/sfs" "$T/out"
POLICY=$T/policy.json
test_policy "$POLICY" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\"
   | .seccomp.block_device_nodes = true
   | .mounts |= with_entries(if (.value | type) == \"array\"
       then .value |= map(if type == \"string\" then sub(\"^/var/lib/docker\"; \"$T/e/docker\")
         | sub(\"^/run/containerd\"; \"$T/e/containerd/state\") else . end)
       else . end)"
DECISIONS=$T/policy.log
export CONFINE_POLICY=$POLICY

if ! engine_start "$T/e" --add-runtime "confine=$SHIM" --default-runtime confine \
   || ! engine_import_busybox; then
  fail "shim-docker-setup" "engine did not start; logs in $T/e/log"
  exit 1
fi

shim_lines () { grep -c '"component":"shim"' "$DECISIONS" 2>/dev/null || echo 0; }

# refused NAME MARKER RULE docker-run-args...: refused_never_ran for docker run.
refused () {
  local name=$1 marker=$2 rule=$3; shift 3
  refused_never_ran "$name" "$marker" "$rule" docker run --rm --network none -v "$T/out:/out" "$@"
}

# --- docker run ---------------------------------------------------------------

before=$(shim_lines)
out=$(timeout 120 docker run --rm --network none "$IMG" grep Seccomp: /proc/self/status 2>&1 </dev/null)
rc=$?
if [ "$rc" = 0 ] && grep -q 'Seccomp:[[:space:]]*2' <<<"$out" && [ "$(shim_lines)" -gt "$before" ]; then
  pass "docker-run-works-through-shim-with-seccomp-2"
else
  fail "docker-run-works-through-shim-with-seccomp-2" "rc=$rc out: $out"
fi
# The engine path (containerd's runc shim: create, start, delete): one
# gate, the shim's, which checked the created init; runc ran no hook.
if ! grep -q '"component":"hook"' "$DECISIONS" \
   && grep '"component":"shim","action":"create"' "$DECISIONS" | tail -n 1 \
        | jq -e '.verdict == "allow" and (.rules.mounts.fact | contains("after create"))
                 and (.rules.seccomp.fact | contains("after create, pid"))' >/dev/null; then
  pass "docker-run-is-checked-after-create-by-the-shim-and-runs-no-hook"
else
  fail "docker-run-is-checked-after-create-by-the-shim-and-runs-no-hook" \
    "$(grep -c '"component":"hook"' "$DECISIONS") hook decisions; $(grep '"action":"create"' "$DECISIONS" | tail -n 1)"
fi

out=$(timeout 120 docker run --rm --network none --security-opt seccomp=unconfined "$IMG" \
  grep Seccomp: /proc/self/status 2>&1 </dev/null)
rc=$?
if [ "$rc" = 0 ] && grep -q 'Seccomp:[[:space:]]*2' <<<"$out"; then
  pass "seccomp-unconfined-gets-injected-filter"
else
  fail "seccomp-unconfined-gets-injected-filter" "ran unfiltered or failed otherwise: rc=$rc out: $out"
fi

# --cgroup-parent as people use it, absolute or relative (to runc's own
# cgroup): Docker names the container's cgroup PARENT/ID, and the cgroups
# rule lets it run there. A relative one is below runc's own cgroup, here
# this test's (containerd and its shims are this shell's children), which
# holds processes unless it is the root everywhere: refused then. With
# `..` in the parent it is refused.
relative_runs=true
grep -qv ':/$' /proc/self/cgroup && relative_runs=false
for parent in "/confine-ci-$$" "confine-ci-$$"; do
  kind=relative; [ "${parent:0:1}" = / ] && kind=absolute
  if [ "$kind" = relative ] && [ "$relative_runs" = false ]; then
    refused "cgroup-parent-relative-below-a-cgroup-with-processes-refused" m-rel cgroups \
      --cgroup-parent "$parent" "$IMG" touch /out/m-rel
    continue
  fi
  out=$(timeout 120 docker run --rm --network none --cgroup-parent "$parent" "$IMG" \
    cat /proc/self/cgroup 2>&1 </dev/null)
  rc=$?
  find /sys/fs/cgroup -depth -type d -name "confine-ci-$$" -exec rmdir {} + 2>/dev/null
  if [ "$rc" = 0 ] && grep -qE "^[0-9]+:pids:/(.*/)?confine-ci-$$/[0-9a-f]{64}\$" <<<"$out"; then
    pass "cgroup-parent-$kind-runs"
  else
    fail "cgroup-parent-$kind-runs" "rc=$rc out: $out"
  fi
done
refused "cgroup-parent-dotdot-refused" m-cg cgroups --cgroup-parent "../confine-ci-$$" "$IMG" touch /out/m-cg
find /sys/fs/cgroup -depth -type d -name "confine-ci-$$" -exec rmdir {} + 2>/dev/null
refused "privileged-refused" m-priv capabilities --privileged "$IMG" touch /out/m-priv
refused "cap-add-sys-admin-refused" m-cap capabilities --cap-add SYS_ADMIN "$IMG" touch /out/m-cap
refused "pid-host-refused" m-pid namespaces --pid host "$IMG" touch /out/m-pid
# A named volume as `-v NAME:/x` binds it (Docker 20.10 writes no
# propagation word for a volume, so runc's rslave applies) runs; the same
# data bound by path with bind-propagation=rslave would receive what
# dockerd mounts there later (redteam found-30) and is refused.
docker volume create confine-ci-vol >/dev/null 2>&1
out=$(timeout 120 docker run --rm --network none -v confine-ci-vol:/data "$IMG" \
  sh -c 'echo vol-ok > /data/f && cat /data/f' 2>&1 </dev/null)
rc=$?
if [ "$rc" = 0 ] && [ "$out" = vol-ok ]; then pass "named-volume-runs"
else fail "named-volume-runs" "rc=$rc out: $out"; fi
refused "volume-data-bound-rslave-refused" m-rslave mounts \
  --mount "type=bind,source=$T/e/docker/volumes/confine-ci-vol/_data,target=/y,bind-propagation=rslave" \
  "$IMG" touch /out/m-rslave
docker volume rm confine-ci-vol >/dev/null 2>&1
# A profile that lets unshare through is repaired by the shim, not refused:
# the container runs filtered and cannot make a user namespace.
out=$(timeout 120 docker run --rm --network none \
  --security-opt "seccomp=$ROOT/tests/fixtures/weak-seccomp-profile.json" "$IMG" \
  sh -c 'grep Seccomp: /proc/self/status; unshare -U true; echo unshare=$?' 2>&1 </dev/null)
rc=$?
if [ "$rc" = 0 ] && grep -q 'Seccomp:[[:space:]]*2' <<<"$out" && grep -q '^unshare=1$' <<<"$out"; then
  pass "weak-seccomp-profile-repaired-runs-without-unshare"
else
  fail "weak-seccomp-profile-repaired-runs-without-unshare" "rc=$rc out: $out"
fi

# The host's console (c 5:1): Docker's default device cgroup allows it and
# keeps CAP_MKNOD; the shim takes the rule out (devices.strip), and its
# repair of Docker's filter (seccomp.block_device_nodes) lets mknod make no
# device node at all, so the container has no node of the console, while
# `-t` still gives it its pty as /dev/console (runc binds a pty slave
# there, major 136), its own null device (the positive control) opens and
# mkfifo works.
out=$(timeout 120 docker run --rm -t --network none "$IMG" sh -c 'tty; stat -c "%t:%T" /dev/console;
  mknod /dev/c51 c 5 1; mknod /dev/n13 c 1 3; (: < /dev/null) && echo null-open;
  mkfifo /dev/f && echo fifo-made; (: < /dev/c51) && echo console-open; exit 0' 2>&1 </dev/null)
rc=$?
out=$(tr -d '\r' <<<"$out")
if [ "$rc" = 0 ] && grep -q '^/dev/pts/[0-9]*$' <<<"$out" && grep -q '^88:' <<<"$out" \
   && grep -q '^null-open$' <<<"$out" && grep -q '^fifo-made$' <<<"$out" \
   && ! grep -q console-open <<<"$out" \
   && grep -q 'c51: Operation not permitted' <<<"$out" && grep -q 'n13: Operation not permitted' <<<"$out"; then
  pass "docker-run-t-has-its-pty-and-no-host-console"
else
  fail "docker-run-t-has-its-pty-and-no-host-console" "rc=$rc out: $out"
fi
refused "device-console-refused" m-con devices --device /dev/console "$IMG" touch /out/m-con

# --- exec, ps, logs, stop, rm -------------------------------------------------

if timeout 120 docker run -d --name c1 --network none "$IMG" sleep 600 >/dev/null 2>&1 </dev/null \
   && timeout 120 docker run -d --name c2 --network none "$IMG" \
        sh -c 'echo hello-from-logs; sleep 600' >/dev/null 2>&1 </dev/null; then
  pass "docker-run-detached"
else
  fail "docker-run-detached" "could not start c1/c2"
fi

out=$(timeout 60 docker exec c1 sh -c 'echo exec-ok' 2>&1 </dev/null); rc=$?
[ "$rc" = 0 ] && [ "$out" = exec-ok ] && pass "docker-exec-works" || fail "docker-exec-works" "rc=$rc out: $out"

out=$(timeout 60 docker exec --privileged c1 touch /tmp/priv-exec 2>&1 </dev/null); rc=$?
if [ "$rc" != 0 ] && refused_by capabilities <<<"$out" \
   && ! timeout 60 docker exec c1 test -e /tmp/priv-exec </dev/null >/dev/null 2>&1; then
  pass "docker-exec-privileged-refused"
else
  fail "docker-exec-privileged-refused" "rc=$rc out: $out"
fi

ps=$(timeout 60 docker ps --format '{{.Names}}' 2>&1 </dev/null)
grep -qx c1 <<<"$ps" && grep -qx c2 <<<"$ps" && pass "docker-ps-works" || fail "docker-ps-works" "$ps"
logs=$(timeout 60 docker logs c2 2>&1 </dev/null)
grep -q hello-from-logs <<<"$logs" && pass "docker-logs-works" || fail "docker-logs-works" "$logs"
# docker update: containerd hands runc the new resources on stdin, and
# the shim judges them (no unified files here) and passes the bytes on.
out=$(timeout 60 docker update --pids-limit 77 c1 2>&1 </dev/null); rc=$?
pids=$(timeout 60 docker exec c1 sh -c 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max' 2>&1 </dev/null)
if [ "$rc" = 0 ] && [ "$pids" = 77 ] && grep -q '"component":"shim","action":"update".*"verdict":"allow"' "$DECISIONS"; then
  pass "docker-update-works"
else
  fail "docker-update-works" "rc=$rc pids.max=$pids: $out"
fi
timeout 120 docker stop -t 1 c1 c2 >/dev/null 2>&1 </dev/null && pass "docker-stop-works" \
  || fail "docker-stop-works" "docker stop failed"
timeout 120 docker rm c1 c2 >/dev/null 2>&1 </dev/null \
  && [ -z "$(timeout 60 docker ps -aq --filter name=c1 </dev/null)" ] && pass "docker-rm-works" \
  || fail "docker-rm-works" "docker rm failed"

# --- containerd's ctr ----------------------------------------------------------

CTR=(ctr -a "$ENGINE_CONTAINERD_SOCK" -n "$CTR_NS")
if timeout 120 docker save "$IMG" 2>/dev/null </dev/null \
     | timeout 120 "${CTR[@]}" images import --snapshotter native - >/dev/null 2>&1; then
  ref=$("${CTR[@]}" images ls -q | grep confine-busybox | head -n 1)
  out=$(timeout 120 "${CTR[@]}" run --rm --snapshotter native --runc-binary "$SHIM" "$ref" ctr1 \
    grep Seccomp: /proc/self/status 2>&1 </dev/null); rc=$?
  if [ "$rc" = 0 ] && grep -q 'Seccomp:[[:space:]]*2' <<<"$out"; then
    pass "ctr-run-runc-binary-injects-seccomp"
  else
    fail "ctr-run-runc-binary-injects-seccomp" "rc=$rc out: $out"
  fi
  rm -f "$T/out/m-ctr"
  out=$(timeout 120 "${CTR[@]}" run --rm --snapshotter native --runc-binary "$SHIM" --privileged \
    --mount "type=bind,src=$T/out,dst=/out,options=rbind:rw" "$ref" ctr2 touch /out/m-ctr 2>&1 </dev/null)
  rc=$?
  if [ "$rc" != 0 ] && refused_by capabilities <<<"$out" && [ ! -e "$T/out/m-ctr" ]; then
    pass "ctr-run-privileged-refused"
  else
    fail "ctr-run-privileged-refused" "rc=$rc out: $out"
  fi
else
  fail "ctr-run-runc-binary-injects-seccomp" "cannot import the image into containerd"
fi

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Fault injection (issue 6, "Fault injection"), with real runc: a broken
# policy, a failing disk under the shim's rewrite, a hook that runs past
# runc's timeout, an unwritable decision log and an unusable cache
# directory. The gate must fail closed: refuse, with one clear
# `confine: ` line, never crash, hang or let a container through; and a
# fault that costs nothing but a log line or a cache entry must not change
# any verdict. A refused container's command would leave a marker on a
# bind mount: the marker must never appear.
#
# Covered elsewhere, not repeated here: a missing policy, a policy
# writable by others (0666) and a malformed policy for the hook, the
# hook's stdin that never closes (tests/integration/hook-runc.sh); a full
# tmpfs under the shim's write of config.json
# (tests/integration/shim-runc.sh); SIGKILL during the rewrite
# (faults-kill.sh); memory and fd limits (faults-limits.sh).
# Needs root, runc, jq, busybox; uses losetup/mkfs.ext4 and strace when
# present (SKIP lines otherwise).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

HOOK=$BUILD/confine-hook
SHIM=$BUILD/confine-runtime
T=$(mktemp -d /tmp/confine-faults.XXXXXX)
RUNC_ROOT=$T/runc
MOUNTS=()
LOOP=
PIDFILES=()

cleanup () {
  local c i p
  for c in $(runc --root "$RUNC_ROOT" list -q 2>/dev/null); do
    runc --root "$RUNC_ROOT" delete --force "$c" >/dev/null 2>&1
  done
  for p in "${PIDFILES[@]}"; do
    [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
  done
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    # The loop device holds a file on the tmpfs below it.
    [ "${MOUNTS[i]}" = "$T/eio-back" ] && [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
    umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null
  done
  rm -rf "$T"
}
trap cleanup EXIT

skip () { printf 'SKIP %s: %s\n' "$1" "$2"; }

for c in runc jq; do
  command -v "$c" >/dev/null || { fail "faults-setup" "$c is not installed"; exit 1; }
done
[ "$(id -u)" = 0 ] || { fail "faults-setup" "must run as root"; exit 1; }

make_rootfs "$T/rootfs"
mkdir -p "$T/marks" "$T/nosfs" "$T/b" "$T/pol"
# This kernel may have no AppArmor: skip that rule, so that a container
# the gate allows can really run; every other rule is the shipped one. The
# shim's filter repair is off, so that a weak filter stays a refusal.
BASE=$T/base.json
# The wrappers of section 3 run the hook under another path: allowed hooks.
test_policy "$BASE" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\" | .inject.seccomp_repair = false
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\"
   | .hooks.allowed += ([\"quick-hook\", \"slow-hook\", \"stuck-hook\"]
       | map({path: \"$T/\\(.)\", args: [\"confine-hook\", \"--policy\", \"$T/base.json\"]}))"
DOCKER_SECCOMP=$(jq -c '.linux.seccomp' "$ROOT/tests/fixtures/docker/default.json")
WEAK=".linux.seccomp = $(jq -c '.linux.seccomp' "$ROOT/tests/fixtures/docker/weak-seccomp.json")"

# policy NAME [jq-filter]: a variant of the base policy, root-owned 0644.
policy () {
  jq "${2:-.}" "$BASE" > "$T/pol/$1.json" && chmod 0644 "$T/pol/$1.json"
  echo "$T/pol/$1.json"
}

# bundle DIR MARK HOOK-POLICY [jq-filter]: a runc bundle confined by
# Docker's default seccomp profile whose command touches /marks/MARK. With
# a HOOK-POLICY the hook is registered at createRuntime.
(cd "$T" && runc spec && mv config.json template.json) || { fail "faults-setup" "runc spec"; exit 1; }
bundle () {
  local dir=$1 mark=$2 hookpol=$3 filter=${4:-.}
  mkdir -p "$dir"
  jq --arg root "$T/rootfs" --arg marks "$T/marks" --arg mark "$mark" \
     --arg hook "$HOOK" --arg pol "$hookpol" --argjson sc "$DOCKER_SECCOMP" '
    .root = {path: $root, readonly: true} | .process.terminal = false
    | .process.args = ["touch", "/marks/\($mark)"]
    | .mounts += [{destination: "/marks", type: "bind", source: $marks, options: ["rbind", "rw"]}]
    | .linux.seccomp = $sc
    | if $pol != "" then .hooks.createRuntime = [{path: $hook,
        args: ["confine-hook", "--policy", $pol], timeout: 10}] else . end
    | '"($filter)" "$T/template.json" > "$dir/config.json"
}

# run_hook CASE POLICY [jq-filter]: runc run with the hook; output in
# $T/CASE.out, status in RC.
run_hook () {
  local name=$1 pol=$2 filter=${3:-.}
  rm -f "$T/marks/$name"
  bundle "$T/b/$name" "$name" "$pol" "$filter"
  timeout 30 runc --root "$RUNC_ROOT" run --bundle "$T/b/$name" "cf$$-$name" \
    < /dev/null > "$T/$name.out" 2>&1
  RC=$?
  runc --root "$RUNC_ROOT" delete --force "cf$$-$name" >/dev/null 2>&1
}

# run_shim CASE POLICY [jq-filter] [BUNDLE-DIR]: the shim's `run` in
# front of runc; stderr in $T/CASE.out, status in RC.
run_shim () {
  local name=$1 pol=$2 filter=${3:-.} dir=${4:-$T/b/$1}
  rm -f "$T/marks/$name"
  [ -e "$dir/config.json" ] || bundle "$dir" "$name" "" "$filter"
  CONFINE_POLICY=$pol timeout 30 "$SHIM" --root "$RUNC_ROOT" run --bundle "$dir" "cf$$-$name" \
    < /dev/null > /dev/null 2> "$T/$name.out"
  RC=$?
  runc --root "$RUNC_ROOT" delete --force "cf$$-$name" >/dev/null 2>&1
}

# refused CASE REGEX: the last run was refused, its command never ran,
# and the output names the reason.
refused () {
  local name=$1 re=$2
  if [ "$RC" = 0 ]; then
    fail "$name" "allowed (exit 0): $(tail -c 300 "$T/$name.out")"
  elif [ "$RC" = 124 ]; then
    fail "$name" "hung (killed after 30 s)"
  elif [ "$RC" -gt 128 ]; then
    fail "$name" "crashed with signal $((RC - 128)): $(tail -c 300 "$T/$name.out")"
  elif [ -e "$T/marks/$name" ]; then
    fail "$name" "the container's command ran"
  elif ! grep -Eq "confine: refused: .*$re" "$T/$name.out"; then
    fail "$name" "no clear reason matching /$re/: $(tail -c 400 "$T/$name.out")"
  else
    pass "$name: $(grep -Eo 'confine: refused: .*' "$T/$name.out" | head -n 1 | sed 's/\\n".*//' | cut -c 1-140)"
  fi
}

# ran CASE: the last run was allowed and the container's command ran.
ran () {
  local name=$1 why=${2:-}
  if [ "$RC" = 0 ] && [ -e "$T/marks/$name" ]; then
    pass "$name${why:+: $why}"
  else
    fail "$name" "exit $RC, marker $([ -e "$T/marks/$name" ] && echo present || echo absent): $(tail -c 400 "$T/$name.out")"
  fi
}

# Controls: under the base policy, the bundle runs through both paths.
run_hook control-hook "$BASE"; ran control-hook "the hook allows the test bundle under the base policy"
run_shim control-shim "$BASE"; ran control-shim "the shim allows the test bundle under the base policy"

# --- 1. the policy is unreadable, malformed or wrongly owned ---------------

# Every variant must refuse the (otherwise allowed) container through the
# hook and through the shim, naming the policy.
mkdir -p "$T/pol/dir.json"
ln -s "$T/pol/nowhere.json" "$T/pol/dangling.json"
ln -s "$BASE" "$T/pol/symlink.json"
mkfifo "$T/pol/fifo.json"
mkdir -p "$T/pol/gone"; cp "$BASE" "$T/pol/gone/policy.json"; rm -rf "$T/pol/gone"
: > "$T/pol/empty.json"; chmod 0644 "$T/pol/empty.json"
head -c "$(($(wc -c < "$BASE") / 2))" "$BASE" > "$T/pol/truncated.json"; chmod 0644 "$T/pol/truncated.json"
{ cat "$BASE"; echo '{}'; } > "$T/pol/trailing.json"; chmod 0644 "$T/pol/trailing.json"
policy typo '. + {"mdoe": "enforce"}' >/dev/null
policy wrong-type '.mode = 1' >/dev/null
policy bad-mode '.mode = "enforcing"' >/dev/null
policy bad-severity '.rules.seccomp = "block"' >/dev/null
sed '0,/"mode"/s/"mode"/"mode": "audit", "mode"/' "$BASE" > "$T/pol/duplicate.json"; chmod 0644 "$T/pol/duplicate.json"
printf '{"mode":"enforce\0"}' > "$T/pol/nul.json"; chmod 0644 "$T/pol/nul.json"
{ printf '{"mode":"enforce","securityfs":"'; head -c 1100000 /dev/zero | tr '\0' a; printf '"}'; } \
  > "$T/pol/huge.json"; chmod 0644 "$T/pol/huge.json"
cp "$BASE" "$T/pol/nobody.json"; chown 65534:65534 "$T/pol/nobody.json"
cp "$BASE" "$T/pol/group-writable.json"; chmod 0664 "$T/pol/group-writable.json"
cp "$BASE" "$T/pol/other-writable.json"; chmod 0646 "$T/pol/other-writable.json"
cp "$BASE" "$T/pol/gid-writable.json"; chown 0:65534 "$T/pol/gid-writable.json"; chmod 0664 "$T/pol/gid-writable.json"

while read -r variant path re; do
  [ -n "$variant" ] || continue
  run_hook "policy-$variant-hook" "$path"
  refused "policy-$variant-hook" "$re"
  run_shim "policy-$variant-shim" "$path"
  refused "policy-$variant-shim" "$re"
  # The shim's refusal is exactly one line (nothing else on stderr).
  if [ "$RC" != 0 ] && [ "$(grep -c '' "$T/policy-$variant-shim.out")" != 1 ]; then
    fail "policy-$variant-shim-one-line" "stderr has $(grep -c '' "$T/policy-$variant-shim.out") lines: $(head -c 300 "$T/policy-$variant-shim.out")"
  fi
done <<EOF
directory $T/pol/dir.json policy.*not a regular file
dangling-symlink $T/pol/dangling.json policy.*dangling.json
symlink $T/pol/symlink.json policy.*symlink.json.*symbolic links
fifo $T/pol/fifo.json policy.*not a regular file
in-removed-directory $T/pol/gone/policy.json policy.*No such file
device /dev/null policy.*not a regular file
empty $T/pol/empty.json policy.*empty.json
truncated $T/pol/truncated.json policy.*truncated.json
trailing-data $T/pol/trailing.json policy.*trailing.json
unknown-key $T/pol/typo.json policy.*mdoe
wrong-type $T/pol/wrong-type.json policy.*mode
bad-mode $T/pol/bad-mode.json policy.*enforcing
bad-severity $T/pol/bad-severity.json policy.*block
duplicate-key $T/pol/duplicate.json policy.*duplicate
nul-byte $T/pol/nul.json policy.*nul.json
larger-than-1MiB $T/pol/huge.json policy.*larger than
owned-by-nobody $T/pol/nobody.json must be owned by root.*uid 65534
group-writable $T/pol/group-writable.json not writable by group or others.*0664
other-writable $T/pol/other-writable.json not writable by group or others.*0646
group-writable-foreign-group $T/pol/gid-writable.json not writable by group or others
EOF

# The shim also refuses `exec` and every pass-through command when the
# policy is broken (the policy names the runtime).
CONFINE_POLICY=$T/pol/nobody.json timeout 10 "$SHIM" --root "$RUNC_ROOT" state cf$$-none \
  < /dev/null > /dev/null 2> "$T/policy-broken-refuses-passthrough-commands.out"; RC=$?
refused policy-broken-refuses-passthrough-commands "must be owned by root"

# --- 2. the shim's rewrite of config.json fails ---------------------------

# rewrite_case CASE DIR REGEX: the shim must refuse a bundle whose rewrite
# fails, leave config.json byte-identical and start nothing.
rewrite_check () {
  local name=$1 dir=$2 re=$3 leftovers
  refused "$name" "$re"
  if ! cmp -s "$dir/config.json" "$T/$name.orig"; then
    fail "$name-config-intact" "config.json changed"
  else
    pass "$name-config-intact: config.json is byte-identical"
  fi
  leftovers=$(cd "$dir" && ls -A | grep -v '^config.json$' | tr '\n' ' ')
  echo "# $name: files left in the bundle: ${leftovers:-none}"
}

# ENOSPC when the temporary file is created (no inode left); shim-runc.sh
# covers ENOSPC on the write itself.
mkdir -p "$T/inodes"
if mount -t tmpfs -o size=1m,nr_inodes=8,mode=0755 confine-faults "$T/inodes"; then
  MOUNTS+=("$T/inodes")
  bundle "$T/inodes/b" rewrite-enospc-create ""
  cp "$T/inodes/b/config.json" "$T/rewrite-enospc-create.orig"
  for i in $(seq 1 16); do { : > "$T/inodes/fill$i"; } 2>/dev/null || break; done
  run_shim rewrite-enospc-create "$BASE" . "$T/inodes/b"
  rewrite_check rewrite-enospc-create "$T/inodes/b" "create .*No space left on device"
else
  fail "rewrite-enospc-create" "cannot mount a tmpfs"
fi

# EROFS: the bundle is on a read-only mount.
bundle "$T/robundle" rewrite-erofs ""
cp "$T/robundle/config.json" "$T/rewrite-erofs.orig"
if mount --bind "$T/robundle" "$T/robundle" && MOUNTS+=("$T/robundle") \
   && mount -o remount,bind,ro "$T/robundle"; then
  run_shim rewrite-erofs "$BASE" . "$T/robundle"
  rewrite_check rewrite-erofs "$T/robundle" "Read-only file system"
else
  fail "rewrite-erofs" "cannot make a read-only bind mount"
fi

# A real block device failing under the write: ext4 on a loop device
# whose backing file lives on a tmpfs that is then filled. The old file's
# blocks were written, so config.json reads fine; the new file's blocks
# need space the backing store no longer has, so the write-back behind
# fsync fails. The kernel reports it as EIO or ENOSPC (the loop driver
# passes ENOSPC up; an aborted journal gives EIO), whichever comes first.
if command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null; then
  mkdir -p "$T/eio-back" "$T/eio"
  if mount -t tmpfs -o size=24m confine-faults-eio "$T/eio-back" && MOUNTS+=("$T/eio-back") \
     && truncate -s 64M "$T/eio-back/disk.img" \
     && mkfs.ext4 -q -F -E nodiscard "$T/eio-back/disk.img" \
     && LOOP=$(losetup --find --show "$T/eio-back/disk.img") \
     && mount -o errors=continue "$LOOP" "$T/eio" && MOUNTS+=("$T/eio"); then
    bundle "$T/eio/b" rewrite-block-device-error ""
    cp "$T/eio/b/config.json" "$T/rewrite-block-device-error.orig"
    sync
    dd if=/dev/zero of="$T/eio-back/fill" bs=1M count=64 >/dev/null 2>&1
    run_shim rewrite-block-device-error "$BASE" . "$T/eio/b"
    rewrite_check rewrite-block-device-error "$T/eio/b" \
      "(fsync|write|close|rename) .*(Input/output error|No space left on device)"
    # On the disk too, not only in the page cache: remount once the
    # backing store has room again.
    umount "$T/eio" && rm -f "$T/eio-back/fill" && mount "$LOOP" "$T/eio"
    if cmp -s "$T/eio/b/config.json" "$T/rewrite-block-device-error.orig"; then
      pass "rewrite-block-device-error-intact-on-disk: after a remount config.json is the original; bundle holds: $(cd "$T/eio/b" && ls -A | tr '\n' ' ')"
    else
      fail "rewrite-block-device-error-intact-on-disk" "config.json on disk differs from the original"
    fi
    umount "$T/eio"; losetup -d "$LOOP" && LOOP=
  else
    skip "rewrite-block-device-error" "cannot set up ext4 on a loop device"
  fi
else
  skip "rewrite-block-device-error" "losetup or mkfs.ext4 missing"
fi

# Each failing step of the atomic write, by syscall fault injection
# (strace -e inject), for a deterministic EIO, ENOSPC, EDQUOT, EPERM.
# Which call of a syscall is the rewrite's (libseccomp writes the filter
# to a memfd, glibc calls getrandom) is found first by tracing a clean
# run with fds decoded.
if command -v strace >/dev/null; then
  NOCACHE=$(policy nocache ".cache_dir = \"$T/no/such/dir\"")
  DRY=$(policy dry ".cache_dir = \"$T/no/such/dir\" | .runtime = \"/bin/true\"")
  # nth SYSCALL: the index of the rewrite's first call to SYSCALL.
  nth () {
    local sys=$1 n
    rm -rf "$T/b/dry"
    bundle "$T/b/dry" dry ""
    if [ "$sys" = getrandom ]; then
      # Not an fd call: the one right before the temporary file is made.
      CONFINE_POLICY=$DRY timeout 30 strace -o "$T/dry.trace" -y -e trace=getrandom,openat \
        "$SHIM" run --bundle "$T/b/dry" cf$$-dry < /dev/null > /dev/null 2>&1
      n=$(grep -E '^(getrandom|openat)' "$T/dry.trace" | grep -n . \
          | awk -F: '/^[0-9]+:getrandom/ {g++} /config.json.confine-/ {print g; exit}')
    else
      CONFINE_POLICY=$DRY timeout 30 strace -o "$T/dry.trace" -y -e trace="$sys" \
        "$SHIM" run --bundle "$T/b/dry" cf$$-dry < /dev/null > /dev/null 2>&1
      n=$(grep "^$sys(" "$T/dry.trace" | grep -n 'config.json.confine-' | head -n 1 | cut -d: -f1)
    fi
    echo "${n:-0}"
  }
  # inject CASE SYSCALL ERRNO REGEX
  inject () {
    local name=$1 sys=$2 errno=$3 re=$4 n
    n=$(nth "$sys")
    if [ "$n" = 0 ]; then
      fail "$name" "the clean run never called $sys for the rewrite"
      return
    fi
    bundle "$T/b/$name" "$name" ""
    cp "$T/b/$name/config.json" "$T/$name.orig"
    rm -f "$T/marks/$name"
    CONFINE_POLICY=$NOCACHE timeout 30 strace -o /dev/null -e trace="$sys" \
      -e inject="$sys:error=$errno:when=$n" \
      "$SHIM" --root "$RUNC_ROOT" run --bundle "$T/b/$name" "cf$$-$name" \
      < /dev/null > /dev/null 2> "$T/$name.out"
    RC=$?
    runc --root "$RUNC_ROOT" delete --force "cf$$-$name" >/dev/null 2>&1
    [ "$errno" = EINTR ] && return
    rewrite_check "$name" "$T/b/$name" "$re"
    if [ -n "$(cd "$T/b/$name" && ls -A | grep -v '^config.json$')" ]; then
      fail "$name-no-temporary-left" "$(cd "$T/b/$name" && ls -A | tr '\n' ' ')"
    fi
  }
  inject rewrite-write-eio write EIO "write .*Input/output error"
  inject rewrite-write-enospc write ENOSPC "write .*No space left"
  inject rewrite-write-edquot write EDQUOT "write .*quota"
  inject rewrite-fsync-eio fsync EIO "fsync .*Input/output error"
  inject rewrite-rename-eio renameat EIO "rename .*Input/output error"
  inject rewrite-rename-exdev renameat EXDEV "rename .*cross-device"
  inject rewrite-fchown-eperm fchown EPERM "chown .*Operation not permitted"
  inject rewrite-fchmod-eperm fchmod EPERM "chmod .*Operation not permitted"
  inject rewrite-getrandom-fails getrandom ENOSYS "getrandom"
  # An interrupted write is retried, not a refusal, and the result is whole.
  inject rewrite-write-eintr-retried write EINTR ""
  name=rewrite-write-eintr-retried
  if jq -e --arg h "$HOOK" '[.hooks.createRuntime[] | select(.path == $h)] | length == 1' \
       "$T/b/$name/config.json" >/dev/null 2>&1; then
    ran "$name" "EINTR on the write is retried; the rewritten config.json is whole"
  else
    fail "$name" "exit $RC, config.json not rewritten: $(head -c 300 "$T/$name.out")"
  fi
else
  skip "rewrite-syscall-faults" "strace is not installed"
fi

# --- 3. the hook runs past runc's timeout ---------------------------------

# The hook entry has timeout 1; the path is a wrapper that sleeps 5 s and
# then execs the hook. runc kills it and must refuse the container.
# (The sleep is a grandchild with its own stdio, so runc's wait for the
# hook's output does not hang on it; its pid is killed at exit.)
slow_hook () { # slow_hook FILE SECONDS
  PIDFILES+=("$1.pid")
  cat > "$1" <<EOF
#!/bin/sh
sleep $2 </dev/null >/dev/null 2>&1 &
echo \$! > "$1.pid"
wait
exec "$HOOK" "\$@"
EOF
  chmod 0755 "$1"
}
slow_hook "$T/slow-hook" 5
slow_hook "$T/quick-hook" 0
name=hook-wrapper-control
rm -f "$T/marks/$name"
bundle "$T/b/$name" "$name" "" ".hooks.createRuntime = [{path: \"$T/quick-hook\",
  args: [\"confine-hook\", \"--policy\", \"$BASE\"], timeout: 10}]"
timeout 30 runc --root "$RUNC_ROOT" run --bundle "$T/b/$name" "cf$$-$name" < /dev/null > "$T/$name.out" 2>&1
RC=$?
ran "$name" "the wrapper without delay lets the container run"

name=hook-timeout
rm -f "$T/marks/$name"
bundle "$T/b/$name" "$name" "" ".hooks.createRuntime = [{path: \"$T/slow-hook\",
  args: [\"confine-hook\", \"--policy\", \"$BASE\"], timeout: 1}]"
start=$(date +%s%N)
timeout 30 runc --root "$RUNC_ROOT" run --bundle "$T/b/$name" "cf$$-$name" < /dev/null > "$T/$name.out" 2>&1
RC=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
runc --root "$RUNC_ROOT" delete --force "cf$$-$name" >/dev/null 2>&1
if [ "$RC" = 0 ] || [ -e "$T/marks/$name" ]; then
  fail "$name" "the container ran (exit $RC)"
elif ! grep -q 'hook ran past specified timeout' "$T/$name.out"; then
  fail "$name" "refused, but not for the timeout: $(tail -c 300 "$T/$name.out")"
elif [ "$ms" -gt 4000 ]; then
  fail "$name" "refused after $ms ms, not at the 1 s timeout"
else
  pass "$name: refused in $ms ms, runc says: $(grep -o 'error running hook.*' "$T/$name.out" | cut -c 1-90)"
fi

# The hook's own deadline (20 s): stdin that never reaches EOF, through
# runc. Slow, so only with CONFINE_SLOW_TESTS.
if [ -n "${CONFINE_SLOW_TESTS:-}" ]; then
  mkfifo "$T/never.fifo"
  cat > "$T/stuck-hook" <<EOF
#!/bin/sh
exec "$HOOK" "\$@" <> "$T/never.fifo"
EOF
  chmod 0755 "$T/stuck-hook"
  name=hook-own-deadline
  rm -f "$T/marks/$name"
  bundle "$T/b/$name" "$name" "" ".hooks.createRuntime = [{path: \"$T/stuck-hook\",
    args: [\"confine-hook\", \"--policy\", \"$BASE\"], timeout: 40}]"
  start=$(date +%s)
  timeout 60 runc --root "$RUNC_ROOT" run --bundle "$T/b/$name" "cf$$-$name" < /dev/null > "$T/$name.out" 2>&1
  RC=$?
  s=$(( $(date +%s) - start ))
  if [ "$s" -lt 18 ] || [ "$s" -gt 25 ]; then
    fail "$name" "took $s s, expected about 20 (exit $RC): $(tail -c 200 "$T/$name.out")"
  else
    refused "$name" "did not finish in time"
  fi
fi

# --- 4. the decision log cannot be written ---------------------------------

# The decision stands and the failure is one `confine: warning:` line.
mkdir -p "$T/log-is-dir" "$T/rolog"
: > "$T/log-target"
ln -s "$T/log-target" "$T/log-symlink"
: > "$T/rolog/decisions.log"
if mount --bind "$T/rolog" "$T/rolog" && MOUNTS+=("$T/rolog") \
   && mount -o remount,bind,ro "$T/rolog"; then
  RO_LOG=$T/rolog/decisions.log
else
  RO_LOG=
  fail "log-read-only" "cannot make a read-only bind mount"
fi
STATE=$T/state.json

while read -r variant path; do
  [ -n "$variant" ] && [ -n "$path" ] || continue
  pol=$(policy "log-$variant" ".decision_log = \"$path\"")
  # Through runc: an allowed container runs; a refused one is refused, and
  # the warning is part of the error runc reports.
  run_hook "log-$variant-hook-allowed" "$pol"
  ran "log-$variant-hook-allowed" "allowed, though the log fails"
  run_hook "log-$variant-hook-refused" "$pol" "$WEAK"
  refused "log-$variant-hook-refused" "seccomp: filter allows bpf"
  grep -q 'confine: warning: decision log' "$T/log-$variant-hook-refused.out" \
    || fail "log-$variant-hook-refused-warns" "no warning: $(tail -c 300 "$T/log-$variant-hook-refused.out")"
  # The hook by itself: exit 0 and exactly one warning line.
  printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"%s"}' \
    "$T/b/log-$variant-hook-allowed" > "$STATE"
  timeout 10 "$HOOK" --policy "$pol" < "$STATE" > /dev/null 2> "$T/log-$variant-direct.out"
  rc=$?
  if [ "$rc" = 0 ] && [ "$(grep -c '' "$T/log-$variant-direct.out")" = 1 ] \
     && grep -q '^confine: warning: decision log ' "$T/log-$variant-direct.out"; then
    pass "log-$variant-hook-warns: $(cut -c 1-120 "$T/log-$variant-direct.out")"
  else
    fail "log-$variant-hook-warns" "exit $rc: $(head -c 300 "$T/log-$variant-direct.out")"
  fi
  # Through the shim.
  run_shim "log-$variant-shim-allowed" "$pol"
  ran "log-$variant-shim-allowed" "allowed by the shim, though the log fails"
  grep -q '^confine: warning: decision log' "$T/log-$variant-shim-allowed.out" \
    || fail "log-$variant-shim-allowed-warns" "no warning: $(head -c 300 "$T/log-$variant-shim-allowed.out")"
  run_shim "log-$variant-shim-refused" "$pol" "$WEAK"
  refused "log-$variant-shim-refused" "seccomp: filter allows bpf"
  grep -q '^confine: warning: decision log' "$T/log-$variant-shim-refused.out" \
    || fail "log-$variant-shim-refused-warns" "no warning: $(head -c 300 "$T/log-$variant-shim-refused.out")"
done <<EOF
missing-directory $T/no/such/dir/decisions.log
is-a-directory $T/log-is-dir
read-only-mount $RO_LOG
symlink $T/log-symlink
dev-full /dev/full
EOF

# The log's filesystem is full, with room for part of a line: the write
# comes up short. The decision stands, and the log must keep only whole
# lines, or the next line appended once there is room again is glued to
# a torn one and the JSON-lines file no longer parses.
mkdir -p "$T/logfull"
if mount -t tmpfs -o size=8k,mode=0755 confine-faults-log "$T/logfull"; then
  MOUNTS+=("$T/logfull")
  # The bundle's hook entry names the base policy, not this one.
  pol=$(policy log-full ".decision_log = \"$T/logfull/decisions.log\" | .rules.hooks = \"off\"")
  # Whole lines up to 600 bytes short of the 8 KiB: a decision line is
  # longer than that.
  line='{"filler":"'"$(head -c 80 /dev/zero | tr '\0' x)"'"}'
  while [ $(( $(stat -c %s "$T/logfull/decisions.log" 2>/dev/null || echo 0) + ${#line} + 1 )) -le 7592 ]; do
    echo "$line" >> "$T/logfull/decisions.log"
  done
  printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"%s"}' \
    "$T/b/control-hook" > "$STATE"
  timeout 10 "$HOOK" --policy "$pol" < "$STATE" > /dev/null 2> "$T/log-full-direct.out"
  rc=$?
  if [ "$rc" = 0 ] && grep -q '^confine: warning: decision log ' "$T/log-full-direct.out"; then
    pass "log-full-filesystem-hook-warns: $(cut -c 1-120 "$T/log-full-direct.out")"
  else
    fail "log-full-filesystem-hook-warns" "exit $rc: $(head -c 300 "$T/log-full-direct.out")"
  fi
  if [ "$(tail -c 1 "$T/logfull/decisions.log" | od -An -c | tr -d ' ')" = '\n' ] \
     && jq -e . "$T/logfull/decisions.log" > /dev/null 2>&1; then
    pass "log-full-filesystem-keeps-whole-lines"
  else
    fail "log-full-filesystem-keeps-whole-lines" "a short write left a torn line at the end of the decision log: ...$(tail -c 60 "$T/logfull/decisions.log")"
  fi
else
  fail "log-full-filesystem" "cannot mount a tmpfs"
fi

# A FIFO nobody reads: opening it for writing must not wait for a reader.
# The decision must stand at once, not become a refusal at the 20 s
# deadline.
mkfifo "$T/log-fifo"
pol=$(policy log-fifo ".decision_log = \"$T/log-fifo\" | .rules.hooks = \"off\"")
printf '{"ociVersion":"1.0.2","id":"x","status":"creating","bundle":"%s"}' \
  "$T/b/control-hook" > "$STATE"
timeout 2 "$HOOK" --policy "$pol" < "$STATE" > /dev/null 2> "$T/log-fifo-hook.out"
rc=$?
if [ "$rc" = 0 ] && grep -q '^confine: warning: decision log' "$T/log-fifo-hook.out"; then
  pass "log-fifo-hook-does-not-block"
elif [ "$rc" = 124 ]; then
  fail "log-fifo-hook-does-not-block" "the hook blocked opening the decision log (a FIFO without a reader) and was killed after 2 s; on its own it refuses an allowed container at its 20 s deadline"
else
  fail "log-fifo-hook-does-not-block" "exit $rc: $(head -c 300 "$T/log-fifo-hook.out")"
fi
bundle "$T/b/log-fifo-shim" log-fifo-shim ""
CONFINE_POLICY=$pol timeout 2 "$SHIM" --root "$RUNC_ROOT" run --bundle "$T/b/log-fifo-shim" cf$$-log-fifo-shim \
  < /dev/null > /dev/null 2> "$T/log-fifo-shim.out"
rc=$?
runc --root "$RUNC_ROOT" delete --force cf$$-log-fifo-shim >/dev/null 2>&1
if [ "$rc" = 0 ] && [ -e "$T/marks/log-fifo-shim" ]; then
  pass "log-fifo-shim-does-not-block"
elif [ "$rc" = 124 ]; then
  fail "log-fifo-shim-does-not-block" "the shim blocked opening the decision log (a FIFO without a reader) and was killed after 2 s"
else
  fail "log-fifo-shim-does-not-block" "exit $rc: $(head -c 300 "$T/log-fifo-shim.out")"
fi

# --- 5. the cache directory is full, read-only or unusable -----------------

# The gate works without its cache: the same verdicts, for both paths,
# and for the shim's create then start.
mkdir -p "$T/cache-full" "$T/cache-ro" "$T/cache-robind" "$T/cache-ww"
if mount -t tmpfs -o size=64k,mode=0700 confine-faults-cache "$T/cache-full"; then
  MOUNTS+=("$T/cache-full")
  dd if=/dev/zero of="$T/cache-full/fill" bs=4k count=64 >/dev/null 2>&1
else
  fail "cache-full" "cannot mount a tmpfs"
fi
if mount -t tmpfs -o ro,size=64k,mode=0700 confine-faults-cache-ro "$T/cache-ro"; then
  MOUNTS+=("$T/cache-ro")
else
  fail "cache-read-only" "cannot mount a read-only tmpfs"
fi
# A populated cache, then made read-only: served from it, never written.
POP=$(policy cache-populate ".cache_dir = \"$T/cache-robind\"")
chmod 0700 "$T/cache-robind"
run_hook cache-populate-allowed "$POP"
run_hook cache-populate-refused "$POP" "$WEAK"
if mount --bind "$T/cache-robind" "$T/cache-robind" && MOUNTS+=("$T/cache-robind") \
   && mount -o remount,bind,ro "$T/cache-robind"; then
  :
else
  fail "cache-read-only-bind" "cannot make a read-only bind mount"
fi
: > "$T/cache-is-file"
chmod 1777 "$T/cache-ww"

while read -r variant dir; do
  [ -n "$variant" ] || continue
  pol=$(policy "cache-$variant" ".cache_dir = \"$dir\"")
  run_hook "cache-$variant-hook-allowed" "$pol"
  ran "cache-$variant-hook-allowed" "allowed without a usable cache"
  run_hook "cache-$variant-hook-refused" "$pol" "$WEAK"
  refused "cache-$variant-hook-refused" "seccomp: filter allows bpf"
  run_shim "cache-$variant-shim-allowed" "$pol"
  ran "cache-$variant-shim-allowed" "allowed by the shim without a usable cache"
  run_shim "cache-$variant-shim-refused" "$pol" "$WEAK"
  refused "cache-$variant-shim-refused" "seccomp: filter allows bpf"
  # create, then start: the start check must fall back when the record
  # written at create could not be kept.
  name=cache-$variant-shim-create-start
  rm -f "$T/marks/$name"
  bundle "$T/b/$name" "$name" ""
  CONFINE_POLICY=$pol timeout 30 "$SHIM" --root "$RUNC_ROOT" create --bundle "$T/b/$name" "cf$$-$name" \
    < /dev/null > /dev/null 2> "$T/$name.out" \
    && CONFINE_POLICY=$pol timeout 30 "$SHIM" --root "$RUNC_ROOT" start "cf$$-$name" \
    < /dev/null >> "$T/$name.out" 2>&1
  RC=$?
  for _ in $(seq 50); do [ -e "$T/marks/$name" ] && break; sleep 0.05; done
  runc --root "$RUNC_ROOT" delete --force "cf$$-$name" >/dev/null 2>&1
  ran "$name" "create then start through the shim"
done <<EOF
full $T/cache-full
read-only-tmpfs $T/cache-ro
missing-on-read-only-tmpfs $T/cache-ro/confine
read-only-populated $T/cache-robind
is-a-file $T/cache-is-file
world-writable $T/cache-ww
EOF
# A directory others can write is not a cache: nothing was put there.
if [ -z "$(ls -A "$T/cache-ww")" ]; then
  pass "cache-world-writable-never-written"
else
  fail "cache-world-writable-never-written" "entries written: $(ls -A "$T/cache-ww" | tr '\n' ' ')"
fi

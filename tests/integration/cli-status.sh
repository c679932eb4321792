#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `confine status`: host readiness read from a fake securityfs and the real
# kernel, and the real confinement of containers that a standalone runc
# runs under a temporary state root (no Docker involved).
set -u
. "$(dirname "$0")/../lib/assert.sh"

CONFINE=$BUILD/confine
runc_state_setup cli-status

# --- host readiness -------------------------------------------------------
mkdir -p "$T/no-sfs"
test_policy "$T/noaa.json" "$T/no-sfs"
out=$("$CONFINE" status --policy "$T/noaa.json" --root "$STATE" 2>&1)
if grep -q 'AppArmor not available' <<<"$out"; then
  pass cli-status-says-no-apparmor
else
  fail cli-status-says-no-apparmor "no 'AppArmor not available' in: $out"
fi
avail=$("$CONFINE" status --json --policy "$T/noaa.json" --root "$STATE" | jq -r '.apparmor.available')
check cli-status-json-no-apparmor test "$avail" = false

make_securityfs "$T/sfs" "docker-default (enforce)" "confine-default (enforce)" \
  "/usr/bin/man (complain)" "lsb_release (unconfined)"
test_policy "$T/policy.json" "$T/sfs"
out=$("$CONFINE" status --policy "$T/policy.json" --root "$STATE" 2>&1)
if grep -q '4 loaded' <<<"$out" && grep -q '2 enforce, 1 complain, 1 unconfined' <<<"$out" \
   && grep -q "default profile \`confine-default\`: loaded in enforce" <<<"$out"; then
  pass cli-status-counts-profile-modes
else
  fail cli-status-counts-profile-modes "unexpected AppArmor section: $out"
fi
json=$("$CONFINE" status --json --policy "$T/policy.json" --root "$STATE")
check cli-status-json-modes test "$(jq -c '.apparmor.modes' <<<"$json")" \
  = '{"enforce":2,"complain":1,"unconfined":1}'

# The kernel's seccomp actions, exactly as the kernel lists them.
want=$(tr ' ' '\n' </proc/sys/kernel/seccomp/actions_avail | jq -R . | jq -sc .)
check cli-status-seccomp-actions test "$(jq -c '.seccomp.actions_avail' <<<"$json")" = "$want"

# Engine registration is read from files only: this works with no engine.
check cli-status-engines-reported test "$(jq -r '.engines | keys | join(",")' <<<"$json")" \
  = "containerd,docker,hooks.d,runtimes"

# containerd 2.x (config version 3) keeps the CRI runtimes under
# io.containerd.cri.v1.runtime: registered there, not "partial".
S=$T/sysroot
TOML=$S/etc/containerd/config.toml
mkdir -p "$S/etc/containerd" "$S/usr/local/bin"
cp "$BUILD/confine-runtime" "$S/usr/local/bin/confine-runtime"
containerd_reg () {
  "$CONFINE" status --json --sysroot "$S" --policy "$T/policy.json" --root "$STATE" |
    jq -r '.engines.containerd | "\(.state) \(.default_runtime)"'
}
printf '%s\n' 'version = 3' \
  '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]' \
  '  runtime_type = "io.containerd.runc.v2"' \
  '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]' \
  '  BinaryName = "/usr/local/bin/confine-runtime"' >"$TOML"
check cli-status-containerd-v3-registered test "$(containerd_reg)" = "registered runc"
# The version 2 plugin name in a version 3 file is not where containerd
# 2.x looks.
sed -i 's/io\.containerd\.cri\.v1\.runtime/io.containerd.grpc.v1.cri/' "$TOML"
check cli-status-containerd-v3-wrong-plugin-partial test "$(containerd_reg)" = "partial runc"
# default_runtime_name decides what pods run: confine on runc while the
# default is another runtime is only partial, and the default is named.
printf '%s\n' 'version = 2' \
  '[plugins."io.containerd.grpc.v1.cri".containerd]' \
  '  default_runtime_name = "crun"   # pods use crun' \
  '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]' \
  '  BinaryName = "/usr/local/bin/confine-runtime"' >"$TOML"
out=$("$CONFINE" status --sysroot "$S" --policy "$T/policy.json" --root "$STATE" 2>&1)
if [ "$(containerd_reg)" = "partial crun" ] &&
   grep -q '^  containerd  partial: .*default runtime (default_runtime_name) is `crun`' <<<"$out"; then
  pass cli-status-containerd-default-runtime-reported
else
  fail cli-status-containerd-default-runtime-reported "$(containerd_reg) $out"
fi
# ... and confine on the runtime that is the default is registered.
sed -i 's/runtimes\.runc\.options/runtimes.crun.options/' "$TOML"
check cli-status-containerd-named-default-registered test "$(containerd_reg)" = "registered crun"

# --- the runtime against known escapes ---------------------------------------
# Debian's runc 1.1.5 package backports the CVE-2024-21626 fix (its
# changelog names it) but not CVE-2024-45310's (its rootfs_linux.go still
# calls os.MkdirAll on the resolved destination) nor the 2025 ones.
cves () {
  "$CONFINE" status --json --policy "$1" --root "$STATE" |
    jq -r '[.runtime.cves[] | "\(.id)=\(.state)"] | join(" ")'
}
if [ "$(dpkg-query -W -f='${Version}' runc 2>/dev/null)" = 1.1.5+ds1-1+deb12u1 ]; then
  check cli-status-runc-debian-backport test "$(cves "$T/policy.json")" = \
    "CVE-2024-21626=fixed by package CVE-2024-45310=missing CVE-2025-31133=missing CVE-2025-52565=missing CVE-2025-52881=missing"
  out=$("$CONFINE" status --policy "$T/policy.json" --root "$STATE" 2>&1)
  check cli-status-runc-warning grep -q 'WARNING: this runc lacks the fix for 4 known container escapes' <<<"$out"
else
  fail cli-status-runc-debian-backport "expected Debian 12's runc 1.1.5+ds1-1+deb12u1"
fi
# Upstream versions, by release line, from stand-ins that print them.
fake_runtime () {
  printf '#!/bin/sh\necho "%s"\necho "spec: 1.0.2"\n' "$2" >"$T/$1"
  chmod 0755 "$T/$1"
  test_policy "$T/$1.json" "$T/sfs" ".runtime = \"$T/$1\""
}
want=
for v in 1.1.11:mmmmm 1.1.12:fmmmm 1.1.14:ffmmm 1.2.0:ffmmm 1.2.7:ffmmm 1.2.8:fffff 1.3.2:ffmmm 1.3.3:fffff 1.4.0:fffff 1.5.1:fffff; do
  fake_runtime "runc-${v%%:*}" "runc version ${v%%:*}"
  got=$(cves "$T/runc-${v%%:*}.json" | sed 's/CVE-[0-9-]*=\(.\)[a-z ]*/\1/g; s/ //g')
  [ "$got" = "${v#*:}" ] || want="$want ${v%%:*}: $got, want ${v#*:};"
done
if [ -z "$want" ]; then pass cli-status-runc-versions-by-release-line
else fail cli-status-runc-versions-by-release-line "$want"; fi
fake_runtime crun "crun version 1.8.1"
check cli-status-non-runc-no-table test \
  "$("$CONFINE" status --json --policy "$T/crun.json" --root "$STATE" | jq -c '[.runtime.runc, .runtime.cves]')" \
  = '[false,[]]'

# --- running containers -----------------------------------------------------
# Two busybox containers from the same rootfs: one with Docker's default
# seccomp profile (taken from a real Docker config), one with none.
make_rootfs "$T/rootfs"
bundle () {
  local dir=$1 filter=$2
  mkdir -p "$dir"
  (cd "$dir" && runc spec --rootless=false >/dev/null 2>&1 || runc spec)
  jq --arg root "$T/rootfs" --slurpfile d "$ROOT/tests/fixtures/docker/default.json" \
     '.root.path = $root | .root.readonly = true | .process.terminal = false
      | .process.args = ["sleep", "300"] | '"$filter" "$dir/config.json" > "$dir/c.tmp" &&
    mv "$dir/c.tmp" "$dir/config.json"
}
bundle "$T/confined" '.linux.seccomp = $d[0].linux.seccomp'
bundle "$T/open" 'del(.linux.seccomp)'

start () {
  local id=$1 dir=$2
  IDS+=("$id")
  timeout 30 runc --root "$STATE" run -d --bundle "$dir" "$id" </dev/null >"$T/$id.out" 2>&1
}
c1=confine-st-sc-$$ c2=confine-st-open-$$ c3=confine-st-created-$$
if ! start "$c1" "$T/confined" || ! start "$c2" "$T/open"; then
  fail cli-status-runc-containers "runc run failed: $(cat "$T"/*.out)"
  exit 0
fi
IDS+=("$c3")
timeout 30 runc --root "$STATE" create --bundle "$T/confined" "$c3" </dev/null >"$T/$c3.out" 2>&1 ||
  fail cli-status-runc-create "runc create failed: $(cat "$T/$c3.out")"

out=$("$CONFINE" status --policy "$T/policy.json" --root "$STATE" 2>&1)
rc=$?
json=$("$CONFINE" status --json --policy "$T/policy.json" --root "$STATE")
pid1=$(runc --root "$STATE" state "$c1" | jq -r .pid)

if grep -E "^  $c1  running  pid $pid1 .*Seccomp: 2 \(filter" <<<"$out" >/dev/null; then
  pass cli-status-lists-container-seccomp-filter
else
  fail cli-status-lists-container-seccomp-filter "no line for $c1 (pid $pid1) with Seccomp: 2: $out"
fi
# The number must be the kernel's own, for that very process.
kernel=$(awk '/^Seccomp:/ { print $2 }' "/proc/$pid1/status")
check cli-status-seccomp-matches-proc test \
  "$(jq -r --arg id "$c1" '.containers[] | select(.id == $id) | .seccomp.mode' <<<"$json")" = "$kernel"
check cli-status-bundle-reported test \
  "$(jq -r --arg id "$c1" '.containers[] | select(.id == $id) | .bundle' <<<"$json")" = "$T/confined"

if grep -A1 -E "^  $c2  running .*Seccomp: 0 \(disabled" <<<"$out" | grep -q 'UNCONFINED: .*has Seccomp: 0, not filter mode (2) (policy rules.seccomp)'; then
  pass cli-status-flags-unconfined-container
else
  fail cli-status-flags-unconfined-container "$c2 not flagged for missing seccomp: $out"
fi
check cli-status-seccomp-container-not-flagged-for-seccomp test \
  "$(jq -r --arg id "$c1" '.containers[] | select(.id == $id) | .reasons // "" | test("seccomp")' <<<"$json")" = false
check cli-status-exit-1-when-unconfined test "$rc" = 1

# A created container's init is still runc: not judged yet, but shown.
check cli-status-created-container test \
  "$(jq -r --arg id "$c3" '.containers[] | select(.id == $id) | "\(.status) \(.unconfined)"' <<<"$json")" \
  = "created false"

# On a kernel without AppArmor every running container lacks it; say so
# rather than pretend. With AppArmor, the label comes from aa_gettaskcon.
if [ "$(jq -r '.apparmor.kernel_enabled' <<<"$json")" = false ]; then
  check cli-status-no-kernel-apparmor-flagged test \
    "$(jq -r --arg id "$c1" '.containers[] | select(.id == $id) | .reasons' <<<"$json")" \
    = "apparmor: the AppArmor label of pid $pid1 cannot be read (AppArmor is not enabled in the kernel) (policy rules.apparmor)"
else
  check cli-status-apparmor-label-read test -n \
    "$(jq -r --arg id "$c1" '.containers[] | select(.id == $id) | .apparmor.label // empty' <<<"$json")"
fi

# AppArmor unavailable and apparmor.when_unavailable skip: the gate lets
# containers run without AppArmor, so status judges them on seccomp alone
# (and says so) instead of flagging every one.
test_policy "$T/skip.json" "$T/no-sfs" '.apparmor.when_unavailable = "skip"'
out=$("$CONFINE" status --policy "$T/skip.json" --root "$STATE" 2>&1)
json=$("$CONFINE" status --json --policy "$T/skip.json" --root "$STATE")
reasons () {
  jq -r --arg id "$1" '.containers[] | select(.id == $id) | "\(.unconfined) \(.reasons)"' <<<"$json"
}
if [ "$(jq -r '.apparmor.kernel_enabled' <<<"$json")" = false ]; then
  check cli-status-aa-skip-seccomp-container-ok test "$(reasons "$c1")" = "false null"
  pid2=$(runc --root "$STATE" state "$c2" | jq -r .pid)
  check cli-status-aa-skip-still-flags-no-seccomp test "$(reasons "$c2")" \
    = "true seccomp: pid $pid2 has Seccomp: 0, not filter mode (2) (policy rules.seccomp)"
  # "Confined" is the policy's: an exemption, or the rule at off, lets the
  # container without a filter pass, as the gate would have.
  test_policy "$T/exempt.json" "$T/no-sfs" '.apparmor.when_unavailable = "skip"
    | .exemptions = [{"rules": ["seccomp"], "id": "confine-st-open-.*"}]'
  json=$("$CONFINE" status --json --policy "$T/exempt.json" --root "$STATE")
  check cli-status-honours-exemptions test "$(reasons "$c2")" = "false null"
  test_policy "$T/off.json" "$T/no-sfs" '.apparmor.when_unavailable = "skip" | .rules.seccomp = "off"'
  json=$("$CONFINE" status --json --policy "$T/off.json" --root "$STATE")
  check cli-status-honours-rule-off test "$(reasons "$c2")" = "false null"
  json=$("$CONFINE" status --json --policy "$T/skip.json" --root "$STATE")
  if grep -q 'judged on seccomp only' <<<"$out" && [ "$(jq -r .apparmor.judged <<<"$json")" = false ]; then
    pass cli-status-aa-skip-says-so
  else
    fail cli-status-aa-skip-says-so "$out"
  fi
else
  # With AppArmor in the kernel the policy's skip does not apply.
  check cli-status-aa-skip-not-applied-with-apparmor test "$(jq -r .apparmor.judged <<<"$json")" = true
fi

# Run as an unprivileged user, state roots it cannot list (the test's, as
# /run/runc on a real host) are reported and the rest of the report is
# still printed. Exit 2: "nothing unconfined" cannot be claimed.
if command -v setpriv >/dev/null; then
  nobody () { setpriv --reuid=65534 --regid=65534 --clear-groups "$CONFINE" "$@"; }
  out=$(nobody status --root "$STATE" 2>&1)
  rc=$?
  if [ "$rc" = 2 ] && grep -qF "  $STATE: cannot read (permission denied)" <<<"$out" &&
     grep -q '^engines:' <<<"$out" && grep -q '^containers ' <<<"$out"; then
    pass cli-status-unprivileged-reports-unreadable-root
  else
    fail cli-status-unprivileged-reports-unreadable-root "exit $rc: $out"
  fi
  check cli-status-unprivileged-json-unreadable-root test \
    "$(nobody status --json --root "$STATE" 2>/dev/null |
       jq -r --arg r "$STATE" '.unreadable_roots[] | select(.root == $r) | .error')" \
    = "cannot read (permission denied)"
else
  fail cli-status-unprivileged "setpriv (util-linux) missing"
fi

# A container whose process is gone is shown as stopped, not judged.
runc --root "$STATE" kill "$c2" KILL >/dev/null 2>&1
for _ in $(seq 50); do
  [ "$(runc --root "$STATE" state "$c2" 2>/dev/null | jq -r .status)" = stopped ] && break
  sleep 0.1
done
json=$("$CONFINE" status --json --policy "$T/policy.json" --root "$STATE")
check cli-status-stopped-container test \
  "$(jq -r --arg id "$c2" '.containers[] | select(.id == $id) | "\(.status) \(.unconfined)"' <<<"$json")" \
  = "stopped false"

# With only seccomp-confined containers left, the skip policy's verdict on
# a host without AppArmor is "nothing unconfined" (containers on this host
# outside the test's state root may still be flagged: then exit 1).
if [ "$(jq -r '.apparmor.kernel_enabled' <<<"$json")" = false ]; then
  json=$("$CONFINE" status --json --policy "$T/skip.json" --root "$STATE")
  rc=$?
  flagged=$(jq -r '[.containers[] | select(.unconfined)] | length' <<<"$json")
  if { [ "$flagged" = 0 ] && [ "$rc" = 0 ]; } || { [ "$flagged" != 0 ] && [ "$rc" = 1 ]; }; then
    pass cli-status-aa-skip-exit-0-when-seccomp-confined
  else
    fail cli-status-aa-skip-exit-0-when-seccomp-confined "exit $rc with $flagged flagged: $json"
  fi
fi

# Where a running containerd (or its shims) has go-runc write exec's
# process files: below /tmp the shim refuses them, and status says so for
# each such process; a root-only XDG_RUNTIME_DIR passes. Stand-ins named
# containerd (the kernel's comm) with each environment; other engines on
# this machine may be named too, so each is looked for by its pid.
mkdir -p "$T/fake" && cp /bin/sleep "$T/fake/containerd"
XDG=$(mktemp -d /run/confine-cli-status.XXXXXX)
env -u XDG_RUNTIME_DIR TMPDIR=/tmp "$T/fake/containerd" 60 & shared=$!
env XDG_RUNTIME_DIR="$XDG" "$T/fake/containerd" 60 & private=$!
sleep 0.2
out=$("$CONFINE" status --policy "$T/policy.json" --root "$STATE" 2>&1)
jw=$("$CONFINE" status --json --policy "$T/policy.json" --root "$STATE" | jq -r '.engines.containerd.exec_dir_warning')
kill "$shared" "$private"; wait "$shared" "$private" 2>/dev/null; rm -rf "$XDG"
if grep -q "WARNING: .*containerd process.* exec's process files written where the shim refuses them.*is a directory others can add names to.*containerd pid $shared in \`/tmp\`" <<<"$out" \
   && grep -q "containerd pid $shared in" <<<"$jw" && ! grep -q "pid $private in" <<<"$out"; then
  pass cli-status-warns-containerd-exec-files-in-tmp
else
  fail cli-status-warns-containerd-exec-files-in-tmp "shared $shared, private $private: $(grep -i 'containerd' <<<"$out")"
fi

# Usage errors are exit 2.
"$CONFINE" status --bogus >/dev/null 2>&1
check cli-status-usage-exit-2 test $? = 2

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `confine denials` on this kernel's own records: a real runc container
# whose seccomp filter logs (SCMP_ACT_LOG) nanosleep, so the kernel writes
# `audit: type=1326 ... syscall=N` to its log; each record is attributed
# to the container, the syscall named for the record's architecture. Then
# the audit.log format (auditd's) from a file, AppArmor records among
# them (the VM suite has real AppArmor denials: tests/vm).
set -u
. "$(dirname "$0")/../lib/assert.sh"

CONFINE=$BUILD/confine
runc_state_setup cli-denials
# The kernel must log what a filter logs: `log` in actions_logged, and the
# kernel log readable.
if ! grep -qw log /proc/sys/kernel/seccomp/actions_logged || ! dmesg >/dev/null 2>&1; then
  fail cli-denials-kernel-logs "seccomp log action not logged, or dmesg unreadable"
  exit 0
fi

mkdir -p "$T/sfs"
test_policy "$T/policy.json" "$T/sfs"
P=(--policy "$T/policy.json" --root "$STATE")
make_rootfs "$T/rootfs"
bundle () {
  local dir=$1 filter=$2
  mkdir -p "$dir"
  (cd "$dir" && runc spec)
  jq --arg root "$T/rootfs" \
     '.root.path = $root | .root.readonly = true | .process.terminal = false | '"$filter" \
     "$dir/config.json" > "$dir/c.tmp" && mv "$dir/c.tmp" "$dir/config.json"
}
# Allow everything, log nanosleep: the init (`sleep`) and its child sleep
# both make the call, and stay alive to be attributed.
LOGGING='.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [{"names": ["nanosleep", "clock_nanosleep"], "action": "SCMP_ACT_LOG"}]}'
bundle "$T/log" "$LOGGING"' | .process.args = ["sh", "-c", "sleep 300 & exec sleep 301"]'
bundle "$T/gone" "$LOGGING"' | .process.args = ["sleep", "300"]'
c1=confine-dn-$$ c2=confine-dn-gone-$$
IDS+=("$c1" "$c2")
if ! timeout 30 runc --root "$STATE" run -d --bundle "$T/log" "$c1" </dev/null >"$T/run.out" 2>&1 ||
   ! timeout 30 runc --root "$STATE" run -d --bundle "$T/gone" "$c2" </dev/null >>"$T/run.out" 2>&1; then
  fail cli-denials-runc "runc run failed: $(cat "$T/run.out")"
  exit 0
fi
pid1=$(runc --root "$STATE" state "$c1" | jq -r .pid)
pid2=$(runc --root "$STATE" state "$c2" | jq -r .pid)
# The kernel's record of pid1, to compare with.
for _ in $(seq 50); do
  dmesg | grep -q "type=1326 .* pid=$pid1 " && break
  sleep 0.1
done
check cli-denials-kernel-wrote-record grep -q "type=1326 .* pid=$pid1 .*syscall=" <<<"$(dmesg)"
nr=$(dmesg | grep "type=1326 .* pid=$pid1 " | tail -1 | sed 's/.* syscall=\([0-9]*\) .*/\1/')
runc --root "$STATE" kill "$c2" KILL >/dev/null 2>&1
for _ in $(seq 50); do [ -d "/proc/$pid2" ] || break; sleep 0.1; done

json=$("$CONFINE" denials --json "${P[@]}")
rc=$?
check cli-denials-exit-0 test "$rc" = 0
mine=$(jq -c --arg id "$c1" '[.[] | select(.container == $id)]' <<<"$json")
# Both of the container's processes, attributed to it, nanosleep named as
# the kernel numbered it on x86_64.
check cli-denials-attributes-init test \
  "$(jq -r --argjson pid "$pid1" '[.[] | select(.pid == $pid)][0] | "\(.kind) \(.action) \(.syscall) \(.arch)"' <<<"$mine")" \
  = "seccomp log $(if [ "$nr" = 35 ]; then echo nanosleep; else echo clock_nanosleep; fi) 3221225534"
check cli-denials-attributes-child-process test \
  "$(jq -r --argjson pid "$pid1" '[.[] | select(.pid != $pid)] | length > 0' <<<"$mine")" = true
check cli-denials-log-hint test "$(jq -r '.[0].hint' <<<"$mine")" \
  = "logged, not blocked: the filter has an SCMP_ACT_LOG rule for it"
# The killed container's records are not anyone's any more: hidden by
# default, shown with --all as "process gone".
check cli-denials-gone-not-attributed test \
  "$(jq -r --argjson pid "$pid2" '[.[] | select(.pid == $pid)] | length' <<<"$json")" = 0
check cli-denials-all-shows-gone test \
  "$("$CONFINE" denials --json --all "${P[@]}" |
     jq -r --argjson pid "$pid2" '[.[] | select(.pid == $pid)][0].unattributed')" = "process gone"
out=$("$CONFINE" denials "${P[@]}" --id "$c1")
if grep -qE "^[0-9T:.-]+Z  $c1  seccomp log  (clock_)?nanosleep \(arch 0xc000003e, nr $nr\)  pid $pid1 .sleep." <<<"$out" &&
   ! grep -q "$c2" <<<"$out"; then
  pass cli-denials-text
else
  fail cli-denials-text "$out"
fi

# auditd's format, from a file: the same attribution; the i386 number of
# uname (122) resolved for its own architecture; hex-encoded values
# decoded; an AppArmor denial with its profile, operation and object; a
# record older than the process its pid now names is not attributed.
now=$(date +%s)
cat >"$T/audit.log" <<LOG
type=SECCOMP msg=audit($now.123:900001): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=$pid1 comm=736C65657020782E79 exe="/bin/busybox" sig=31 arch=40000003 syscall=122 compat=1 ip=0xf7f0 code=0x0
type=AVC msg=audit($now.124:900002): apparmor="DENIED" operation="open" profile="confine-default" name="/proc/sysrq-trigger" pid=$pid1 comm="sh" requested_mask="w" denied_mask="w" fsuid=0 ouid=0
type=AVC msg=audit($now.125:900003): apparmor="STATUS" operation="profile_load" profile="unconfined" name="confine-default" pid=1 comm="apparmor_parser"
type=SECCOMP msg=audit(1000000000.000:900004): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=$pid1 comm="sleep" exe="/bin/busybox" sig=0 arch=c000003e syscall=35 compat=0 ip=0x1 code=0x7ffc0000
LOG
json=$("$CONFINE" denials --json --all --source "$T/audit.log" "${P[@]}")
check cli-denials-audit-log-seccomp test \
  "$(jq -r '.[] | select(.syscall_nr == 122) | "\(.container) \(.action) \(.syscall) \(.comm)"' <<<"$json")" \
  = "$c1 kill_thread uname sleep x.y"
check cli-denials-audit-log-apparmor test \
  "$(jq -r '.[] | select(.kind == "apparmor") | "\(.container) \(.outcome) \(.operation) \(.object) \(.profile) \(.denied_mask)"' <<<"$json")" \
  = "$c1 DENIED open /proc/sysrq-trigger confine-default w"
check cli-denials-apparmor-hint grep -q 'profile `confine-default` denies it' \
  <<<"$(jq -r '.[] | select(.kind == "apparmor") | .hint' <<<"$json")"
check cli-denials-status-records-skipped test "$(jq -r 'length' <<<"$json")" = 3
check cli-denials-pid-reuse-not-attributed test \
  "$(jq -r '.[] | select(.time | startswith("2001")) | "\(.container) \(.unattributed)"' <<<"$json")" \
  = "null pid reused since"
# A blocked must_block syscall: the hint says the policy requires it.
printf 'type=SECCOMP msg=audit(%s.200:900005): pid=%s comm="sh" arch=c000003e syscall=165 code=0x50001\n' \
  "$now" "$pid1" >"$T/mount.log"
check cli-denials-must-block-hint grep -q 'seccomp.must_block' \
  <<<"$("$CONFINE" denials --json --source "$T/mount.log" "${P[@]}" | jq -r '.[0] | "\(.syscall) \(.action) \(.hint)"')"

# Errors: a source that cannot be read is exit 2.
"$CONFINE" denials --source "$T/nonexistent" "${P[@]}" >/dev/null 2>&1
check cli-denials-unreadable-source-exit-2 test $? = 2

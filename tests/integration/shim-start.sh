#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# confine-runtime `start`: the real start runs as a child, its exit code is
# kept, and then the container's process is checked against what the gate
# judged. This host has no AppArmor, so the seccomp half is what is proven
# here (the AppArmor half runs in tests/vm, scenario 7): a container created
# around the shim whose init lacks the filter its spec asks for is refused
# at start (enforce) or logged after start (audit), with the reason on
# stderr, in --log and in the decision log.
# Needs root, runc, jq and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

# Bundles are new_bundle's (tests/lib/assert.sh: $T/out bound at /mnt);
# the shim injects the default seccomp profile, so every container here is
# judged with a filter.
shim_engine_setup shim-start shimstart

status_of () { runc state "$1" 2>/dev/null | jq -r .status; }

# wait_stopped ID: the container is stopped (or gone) within 5 s.
wait_stopped () {
  local s
  for _ in $(seq 50); do
    s=$(status_of "$1")
    [ -z "$s" ] || [ "$s" = stopped ] && return 0
    sleep 0.1
  done
  return 1
}

# last_start [DECISION_LOG]: the last start decision.
last_start () { grep '"action":"start"' "${1:-$DECISIONS}" | tail -n 1; }

# --- a normal start ---------------------------------------------------------

new_bundle "$T/ok" '["sleep", "600"]'
"$SHIM" --log "$T/ok.log" --log-format json create --pid-file "$T/ok.pid" -b "$T/ok" "$ID-ok" \
  </dev/null >/dev/null 2>"$T/ok.err"
"$SHIM" --log "$T/ok.log" --log-format json start "$ID-ok" </dev/null >"$T/ok.out" 2>>"$T/ok.err"
rc=$?
line=$(last_start)
if [ "$rc" = 0 ] && [ "$(status_of "$ID-ok")" = running ] && [ ! -s "$T/ok.err" ] \
   && jq -e --arg id "$ID-ok" '.component == "shim" and .id == $id and .verdict == "allow"
        and .rules.seccomp.result == "pass"
        and (.rules.seccomp.fact | test("after start, pid [0-9]+ is in seccomp filter mode"))' \
        <<<"$line" >/dev/null; then
  pass "start-runs-and-verifies-the-filter-of-the-started-process"
else
  fail "start-runs-and-verifies-the-filter-of-the-started-process" \
    "rc=$rc status=$(status_of "$ID-ok") err=$(cat "$T/ok.err") log=$line"
fi
pid=$(runc state "$ID-ok" | jq .pid)
if grep -q "pid $pid is" <<<"$line"; then
  pass "start-verifies-the-container-init"
else
  fail "start-verifies-the-container-init" "runc says pid $pid; log: $line"
fi

# Exit codes and output of the real start are kept when it fails. runc's
# lines carry a timestamp, which is all that may differ between two runs.
same_as_runc () {
  local name=$1 id=$2 a b ra rb
  a=$(set -o pipefail; runc start "$id" 2>&1 </dev/null | sed 's/^time="[^"]*" //'); ra=$?
  b=$(set -o pipefail; "$SHIM" start "$id" 2>&1 </dev/null | sed 's/^time="[^"]*" //'); rb=$?
  if [ "$ra" = "$rb" ] && [ "$ra" != 0 ] && [ "$a" = "$b" ]; then
    pass "$name"
  else
    fail "$name" "runc rc=$ra '$a' shim rc=$rb '$b'"
  fi
}
same_as_runc "start-missing-container-keeps-runc-exit-code-and-message" "$ID-nosuch"
same_as_runc "start-running-container-keeps-runc-exit-code-and-message" "$ID-ok"
runc delete --force "$ID-ok" >/dev/null 2>&1

# No --pid-file at create: the pid comes from the runtime's state.
new_bundle "$T/nopid" '["sleep", "600"]'
"$SHIM" create -b "$T/nopid" "$ID-nopid" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-nopid" </dev/null >/dev/null 2>&1; rc=$?
if [ "$rc" = 0 ] && last_start | grep -q '"seccomp":{"result":"pass"'; then
  pass "start-without-pid-file-still-verifies"
else
  fail "start-without-pid-file-still-verifies" "rc=$rc $(last_start)"
fi
runc delete --force "$ID-nopid" >/dev/null 2>&1

# Start watches the init the check after create judged, known by its start
# time, not whatever a pid file says by then: here a second create through
# the shim rewrites the first one's pid file. Reading the file again at
# start took the second container's waiting init for the first's, waited
# 2 s for it to exec, then refused and killed the second container.
new_bundle "$T/pidA" '["sleep", "600"]'
new_bundle "$T/pidB" '["sleep", "600"]'
"$SHIM" create --pid-file "$T/shared.pid" -b "$T/pidA" "$ID-pidA" </dev/null >/dev/null 2>&1
"$SHIM" create --pid-file "$T/shared.pid" -b "$T/pidB" "$ID-pidB" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-pidA" </dev/null >/dev/null 2>"$T/pidA.err"; rc=$?
pidA=$(runc state "$ID-pidA" 2>/dev/null | jq .pid)
if [ "$rc" = 0 ] && [ "$(status_of "$ID-pidA")" = running ] && [ "$(status_of "$ID-pidB")" = created ] \
   && last_start | grep -q "pid $pidA is in seccomp filter mode"; then
  pass "start-watches-the-init-judged-after-create-not-the-pid-file"
else
  fail "start-watches-the-init-judged-after-create-not-the-pid-file" \
    "rc=$rc A=$(status_of "$ID-pidA") B=$(status_of "$ID-pidB") $(cat "$T/pidA.err") $(last_start)"
fi
runc delete --force "$ID-pidA" >/dev/null 2>&1
runc delete --force "$ID-pidB" >/dev/null 2>&1

# A relative --root names a directory per working directory, as runc
# resolves it: the same id under `--root rel` from two directories is two
# containers, and each one's record is its own (kept by the resolved
# root; kept by the root as given, start watched the other one's init,
# then refused and killed both).
mkdir -p "$T/cwdA" "$T/cwdB"
for w in A B; do
  new_bundle "$T/rel$w" '["sleep", "600"]' ".linux.cgroupsPath = \"/confine-rel$w/$ID-rel\""
  (cd "$T/cwd$w" && "$SHIM" --root rel create -b "$T/rel$w" "$ID-rel" </dev/null >/dev/null 2>&1)
done
(cd "$T/cwdA" && "$SHIM" --root rel start "$ID-rel" </dev/null >/dev/null 2>"$T/rel.err"); rc=$?
relA=$(runc --root "$T/cwdA/rel" state "$ID-rel" 2>/dev/null | jq -r .status)
relB=$(runc --root "$T/cwdB/rel" state "$ID-rel" 2>/dev/null | jq -r .status)
if [ "$rc" = 0 ] && [ "$relA" = running ] && [ "$relB" = created ]; then
  pass "start-under-a-relative-root-watches-its-own-container"
else
  fail "start-under-a-relative-root-watches-its-own-container" "rc=$rc A=$relA B=$relB $(cat "$T/rel.err")"
fi
for w in A B; do runc --root "$T/cwd$w/rel" delete --force "$ID-rel" >/dev/null 2>&1; done

# The record of a create through the shim names its init: a container
# deleted and created again under the same id around the shim, without a
# filter, is judged afresh and never starts (under the old record it
# started, expected to show the filter, and was killed after its command
# had run).
new_bundle "$T/again" '["sh", "-c", "touch /mnt/again-ran; sleep 600"]'
"$SHIM" create --pid-file "$T/again.pid" -b "$T/again" "$ID-again" </dev/null >/dev/null 2>&1
runc delete --force "$ID-again" >/dev/null 2>&1
new_bundle "$T/again" '["sh", "-c", "touch /mnt/again-ran; sleep 600"]' 'del(.linux.seccomp)'
runc create --pid-file "$T/again.pid" -b "$T/again" "$ID-again" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-again" </dev/null >/dev/null 2>"$T/again.err"; rc=$?
sleep 0.2
if [ "$rc" != 0 ] && [ "$(status_of "$ID-again")" = created ] && [ ! -e "$T/out/again-ran" ] \
   && grep -q "created without the gate.*refused: seccomp" "$T/again.err"; then
  pass "start-of-a-container-recreated-around-the-shim-judges-it-afresh"
else
  fail "start-of-a-container-recreated-around-the-shim-judges-it-afresh" \
    "rc=$rc state=$(status_of "$ID-again") ran=$([ -e "$T/out/again-ran" ] && echo yes) $(cat "$T/again.err")"
fi
runc delete --force "$ID-again" >/dev/null 2>&1

# Created around the shim (no record): the bundle is judged again.
new_bundle "$T/around" '["sleep", "600"]'
jq --slurpfile sc "$T/ok/config.json" '.linux.seccomp = $sc[0].linux.seccomp' "$T/around/config.json" \
  > "$T/around.json" && mv "$T/around.json" "$T/around/config.json"
runc create -b "$T/around" "$ID-around" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-around" </dev/null >/dev/null 2>&1; rc=$?
if [ "$rc" = 0 ] && last_start | grep -q '"seccomp":{"result":"pass"'; then
  pass "start-of-container-created-around-the-shim-is-verified"
else
  fail "start-of-container-created-around-the-shim-is-verified" "rc=$rc $(last_start)"
fi
runc delete --force "$ID-around" >/dev/null 2>&1

# Created around the shim with a spec the gate refuses: it never starts.
new_bundle "$T/around-bad" '["sh", "-c", "touch /proc/1/root/tmp/never"]'
jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW"}' "$T/around-bad/config.json" \
  > "$T/around-bad.json" && mv "$T/around-bad.json" "$T/around-bad/config.json"
runc create -b "$T/around-bad" "$ID-around-bad" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-around-bad" </dev/null >/dev/null 2>"$T/around-bad.err"; rc=$?
state=$(runc state "$ID-around-bad" 2>/dev/null | jq -r .status)
if [ "$rc" != 0 ] && [ "$state" = created ] && grep -q "created without the gate.*refused: seccomp" "$T/around-bad.err"; then
  pass "start-of-a-refused-container-created-around-the-shim-is-refused"
else
  fail "start-of-a-refused-container-created-around-the-shim-is-refused" "rc=$rc state=$state $(cat "$T/around-bad.err")"
fi
runc delete --force "$ID-around-bad" >/dev/null 2>&1

# The same with an id that reads as a flag (runc takes any [\w+\-.]+):
# the shim asks `state -- ID` as runc's start reads `start -- ID`, so the
# bundle is judged and the start refused, the command never run.
DASH=-$ID-dash
new_bundle "$T/dash" '["sh", "-c", "echo ran > /mnt/dash-ran"]'
jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW"}' "$T/dash/config.json" \
  > "$T/dash.json" && mv "$T/dash.json" "$T/dash/config.json"
runc create -b "$T/dash" -- "$DASH" </dev/null >/dev/null 2>&1
"$SHIM" start -- "$DASH" </dev/null >/dev/null 2>"$T/dash.err"; rc=$?
sleep 0.2
state=$(runc state -- "$DASH" 2>/dev/null | jq -r .status)
if [ "$rc" != 0 ] && [ "$state" = created ] && [ ! -e "$T/out/dash-ran" ] \
   && grep -q "^confine: .*created without the gate.*refused: seccomp" "$T/dash.err"; then
  pass "start-of-a-container-whose-id-reads-as-a-flag-is-judged-and-refused"
else
  fail "start-of-a-container-whose-id-reads-as-a-flag-is-judged-and-refused" \
    "rc=$rc state=$state ran=$([ -e "$T/out/dash-ran" ] && echo yes) $(cat "$T/dash.err")"
fi
runc delete --force -- "$DASH" >/dev/null 2>&1

# `--version=false` (any spelling Go's ParseBool reads as false) is no
# `--version`: runc runs the command, so the shim judges it.
new_bundle "$T/vfalse" '["sh", "-c", "echo ran > /mnt/vfalse-ran"]'
jq '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW"}' "$T/vfalse/config.json" \
  > "$T/vfalse.json" && mv "$T/vfalse.json" "$T/vfalse/config.json"
for spelling in --version=false -v=0 -version=F; do
  "$SHIM" "$spelling" run -b "$T/vfalse" "$ID-vfalse" </dev/null >/dev/null 2>"$T/vfalse.err"; rc=$?
  if [ "$rc" = 1 ] && [ ! -e "$T/out/vfalse-ran" ] && [ -z "$(status_of "$ID-vfalse")" ] \
     && grep -q '^confine: refused: seccomp' "$T/vfalse.err"; then
    pass "run-with-$spelling-is-judged-and-refused"
  else
    fail "run-with-$spelling-is-judged-and-refused" \
      "rc=$rc ran=$([ -e "$T/out/vfalse-ran" ] && echo yes) $(cat "$T/vfalse.err")"
  fi
  runc delete --force "$ID-vfalse" >/dev/null 2>&1
  rm -f "$T/out/vfalse-ran"
done

# A process that ends before it can be read is logged, not failed.
new_bundle "$T/quick" '["true"]'
"$SHIM" create -b "$T/quick" "$ID-quick" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-quick" </dev/null >/dev/null 2>"$T/quick.err"; rc=$?
if [ "$rc" = 0 ] && last_start | jq -e --arg id "$ID-quick" '.id == $id and .verdict == "allow"' >/dev/null; then
  pass "start-of-a-process-that-exits-at-once-is-logged-not-failed"
else
  fail "start-of-a-process-that-exits-at-once-is-logged-not-failed" "rc=$rc $(cat "$T/quick.err")"
fi
runc delete --force "$ID-quick" >/dev/null 2>&1

# --- the kernel did not apply what was judged --------------------------------

# A container created around the shim (no record of its create): start
# asks the runtime for the bundle and judges that bundle's spec, which asks
# for a filter, and the waiting init as the check after create does: runc
# made it from the file as it was before, without a filter. It is refused
# before it starts, and its command never runs. (A runtime that drops the
# filter behind the shim's back at create is caught at create:
# shim-create.sh.)
LOSSY=$T/lossy.json
test_policy "$LOSSY" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""

# around_the_shim DIR ID ARGS: runc creates ID from DIR without a filter,
# then DIR's config.json gains Docker's default one, as if judged.
around_the_shim () {
  runc create --pid-file "$1.pid" -b "$1" "$2" </dev/null >/dev/null 2>&1
  jq --slurpfile d "$ROOT/tests/fixtures/docker/default.json" '.linux.seccomp = $d[0].linux.seccomp' \
    "$1/config.json" > "$1/config.json.new" && mv "$1/config.json.new" "$1/config.json"
}

new_bundle "$T/lossy" '["sh", "-c", "touch /mnt/ran; exec sleep 600"]'
around_the_shim "$T/lossy" "$ID-lossy"
pid=$(cat "$T/lossy.pid" 2>/dev/null)
CONFINE_POLICY=$LOSSY "$SHIM" --log "$T/lossy-runc.log" --log-format json start "$ID-lossy" </dev/null \
  >/dev/null 2>"$T/lossy.err"
rc=$?
sleep 0.2
if [ "$rc" = 1 ] && grep -q "^confine: refused: container \`$ID-lossy\` was created without the gate, and it is refused: seccomp: after create, pid $pid has Seccomp: 0" "$T/lossy.err" \
   && [ "$(status_of "$ID-lossy")" = created ] && [ ! -e "$T/out/ran" ]; then
  pass "unfiltered-init-created-around-the-shim-is-refused-at-start-and-never-runs"
else
  fail "unfiltered-init-created-around-the-shim-is-refused-at-start-and-never-runs" \
    "rc=$rc status=$(status_of "$ID-lossy") marker=$([ -e "$T/out/ran" ] && echo ran) err=$(cat "$T/lossy.err")"
fi
if tail -n 1 "$T/lossy-runc.log" | jq -e '.level == "error"
     and (.msg | contains("seccomp: after create"))' >/dev/null; then
  pass "refusal-at-start-is-the-last-error-in-the-runc-log"
else
  fail "refusal-at-start-is-the-last-error-in-the-runc-log" "$(tail -n 1 "$T/lossy-runc.log")"
fi
runc delete --force "$ID-lossy" >/dev/null 2>&1

# Audit mode: the same mismatch lets the container start, and the check
# after start logs it (the decision log only: nothing on stderr, which the
# engine may hand to the container's logs); the container keeps running.
AUDIT=$T/audit.json
jq '.mode = "audit"' "$LOSSY" > "$AUDIT"
new_bundle "$T/audit" '["sleep", "600"]'
around_the_shim "$T/audit" "$ID-audit"
CONFINE_POLICY=$AUDIT "$SHIM" start "$ID-audit" </dev/null >/dev/null 2>"$T/audit.err"; rc=$?
if [ "$rc" = 0 ] && [ ! -s "$T/audit.err" ] && [ "$(status_of "$ID-audit")" = running ] \
   && last_start "$T/lossy.log" | jq -e --arg id "$ID-audit" '.id == $id and .verdict == "audit-refuse"
        and (.rules.seccomp.fact | contains("Seccomp: 0"))' >/dev/null; then
  pass "audit-mode-logs-the-mismatch-says-nothing-and-keeps-the-container"
else
  fail "audit-mode-logs-the-mismatch-says-nothing-and-keeps-the-container" \
    "rc=$rc status=$(status_of "$ID-audit") err=$(cat "$T/audit.err") log=$(last_start "$T/lossy.log")"
fi
runc delete --force "$ID-audit" >/dev/null 2>&1

# --- every process of the container, also once its init is gone --------------

# A container that shares another's pid namespace (docker run --pid
# container:X, a pod's shareProcessNamespace, a spec joining a pid
# namespace path): its init forks and exits at once, and what it forked
# runs on. Before, the init was gone before it was read and nothing was
# judged; now every thread of the container's cgroup is.
new_bundle "$T/holder" '["sleep", "600"]'
"$SHIM" create --pid-file "$T/holder.pid" -b "$T/holder" "$ID-holder" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-holder" </dev/null >/dev/null 2>&1
hpid=$(cat "$T/holder.pid" 2>/dev/null)

# shared NAME: a container created through the shim in the holder's pid
# namespace, whose init leaves a sleep behind; its init pid in $spid.
shared () {
  new_bundle "$T/$1" '["sh", "-c", "sleep 600 & exit 0"]' \
    "(.linux.namespaces[] | select(.type == \"pid\")) |= (.path = \"/proc/$hpid/ns/pid\")"
  "$SHIM" --log "$T/$1.log" --log-format json create --pid-file "$T/$1.pid" -b "$T/$1" "$ID-$1" \
    </dev/null >/dev/null 2>"$T/$1.err"
  spid=$(cat "$T/$1.pid" 2>/dev/null)
}
# cgroup_of PID: the pids cgroup of PID, as the kernel shows it.
cgroup_of () { sed -n 's/^[0-9]*:pids:\(.*\)/\1/p' "/proc/$1/cgroup"; }

shared share-ok
cg=/sys/fs/cgroup/pids$(cgroup_of "$spid")
"$SHIM" start "$ID-share-ok" </dev/null >/dev/null 2>>"$T/share-ok.err"; rc=$?
sleep 0.2
left=$(cat "$cg/cgroup.procs" 2>/dev/null | head -n 1)
line=$(last_start)
if [ -n "$hpid" ] && [ "$rc" = 0 ] && [ -n "$left" ] && grep -q '^Seccomp:[[:space:]]*2' "/proc/$left/status" \
   && jq -e --arg id "$ID-share-ok" '.id == $id and .verdict == "allow"
        and .rules.seccomp.result == "pass"' <<<"$line" >/dev/null; then
  pass "shared-pid-namespace-init-gone-its-filtered-child-is-judged-and-runs"
else
  fail "shared-pid-namespace-init-gone-its-filtered-child-is-judged-and-runs" \
    "holder=$hpid rc=$rc left=$left err=$(cat "$T/share-ok.err") log=$line"
fi
runc delete --force "$ID-share-ok" >/dev/null 2>&1

# The same container with a process the kernel did not filter in its
# cgroup (this host has no AppArmor; a process without the filter stands
# for one without the label): the root of this test puts a host sleep
# there between create and start. It is refused, and killed with the rest.
shared share-bad
cg=/sys/fs/cgroup/pids$(cgroup_of "$spid")
sleep 600 &
intruder=$!
echo "$intruder" > "$cg/cgroup.procs"
"$SHIM" --log "$T/share-bad.log" --log-format json start "$ID-share-bad" </dev/null >/dev/null \
  2>>"$T/share-bad.err"; rc=$?
sleep 0.2
alive=$(cat "$cg/cgroup.procs" 2>/dev/null | tr '\n' ' ')
if [ "$rc" = 1 ] && ! kill -0 "$intruder" 2>/dev/null && [ -z "$alive" ] \
   && grep -q "^confine: refused: seccomp: after start, pid $intruder has Seccomp: 0, not filter mode.*; the container was killed\$" "$T/share-bad.err" \
   && last_start | jq -e --arg id "$ID-share-bad" '.id == $id and .verdict == "refuse"' >/dev/null; then
  pass "shared-pid-namespace-init-gone-an-unfiltered-process-left-is-refused-and-killed"
else
  fail "shared-pid-namespace-init-gone-an-unfiltered-process-left-is-refused-and-killed" \
    "rc=$rc intruder=$(kill -0 "$intruder" 2>/dev/null && echo alive) left=$alive err=$(cat "$T/share-bad.err")"
fi
kill -9 "$intruder" 2>/dev/null
wait "$intruder" 2>/dev/null
runc delete --force "$ID-share-bad" >/dev/null 2>&1
runc delete --force "$ID-holder" >/dev/null 2>&1

# --- after a detached exec ----------------------------------------------------

# containerd and conmon run execs as `exec --detach --pid-file F`: runc
# returns once the process runs, and the shim checks it (and every thread
# of the container's cgroup) as start checks the init.
PRIV=$(mktemp -d /run/confine-shim-start.XXXXXX)
extra_cleanup () { rm -rf "$PRIV"; }
new_bundle "$T/ex" '["sleep", "600"]'
"$SHIM" create -b "$T/ex" "$ID-ex" </dev/null >/dev/null 2>&1
"$SHIM" start "$ID-ex" </dev/null >/dev/null 2>&1
jq '.args = ["sh", "-c", "echo ran >> /mnt/exec-ran; exec sleep 600"] | .env = ["PATH=/bin"]' \
  "$ROOT/tests/fixtures/docker/exec-process.json" > "$PRIV/proc.json"
"$SHIM" exec --process "$PRIV/proc.json" --detach --pid-file "$PRIV/ex.pid" "$ID-ex" \
  </dev/null >/dev/null 2>"$T/ex.err"; rc=$?
epid=$(cat "$PRIV/ex.pid" 2>/dev/null)
line=$(grep '"action":"exec"' "$DECISIONS" | tail -n 1)
sleep 0.2
if [ "$rc" = 0 ] && [ -n "$epid" ] && kill -0 "$epid" 2>/dev/null && [ ! -s "$T/ex.err" ] \
   && [ "$(wc -l < "$T/out/exec-ran")" = 1 ] \
   && jq -e --arg id "$ID-ex" '.id == $id and .verdict == "allow" and .rules.seccomp.result == "pass"
        and (.rules.seccomp.fact | test("^after exec, pid [0-9]+ is in seccomp filter mode$"))' \
        <<<"$line" >/dev/null; then
  pass "detached-exec-is-checked-after-it-runs-and-passes"
else
  fail "detached-exec-is-checked-after-it-runs-and-passes" \
    "rc=$rc pid=$epid ran=$(wc -l < "$T/out/exec-ran") times err=$(cat "$T/ex.err") log=$line"
fi

# runc writes a relative --pid-file in its current directory, which is
# the shim's: the process is found and checked there. An empty one names
# no file to find the process by: refused before anything runs.
(cd "$PRIV" && "$SHIM" exec --process "$PRIV/proc.json" --detach --pid-file rel.pid "$ID-ex" \
  </dev/null >/dev/null 2>"$T/exrel.err"); rc=$?
rpid=$(cat "$PRIV/rel.pid" 2>/dev/null)
line=$(grep '"action":"exec"' "$DECISIONS" | tail -n 1)
if [ "$rc" = 0 ] && [ -n "$rpid" ] && kill -0 "$rpid" 2>/dev/null && [ ! -s "$T/exrel.err" ] \
   && [ "$(wc -l < "$T/out/exec-ran")" = 2 ] \
   && jq -e --arg id "$ID-ex" --arg pid "$rpid" '.id == $id and .verdict == "allow"
        and .rules.seccomp.fact == "after exec, pid \($pid) is in seccomp filter mode"' \
        <<<"$line" >/dev/null; then
  pass "detached-exec-with-a-relative-pid-file-is-checked-from-the-current-directory"
else
  fail "detached-exec-with-a-relative-pid-file-is-checked-from-the-current-directory" \
    "rc=$rc pid=$rpid ran=$(wc -l < "$T/out/exec-ran") times err=$(cat "$T/exrel.err") log=$line"
fi
"$SHIM" exec --process "$PRIV/proc.json" --detach --pid-file "" "$ID-ex" \
  </dev/null >/dev/null 2>"$T/exempty.err"; rc=$?
if [ "$rc" = 1 ] && [ "$(wc -l < "$T/out/exec-ran")" = 2 ] \
   && grep -q '^confine: .*an empty --pid-file' "$T/exempty.err" \
   && [ "$(status_of "$ID-ex")" = running ]; then
  pass "detached-exec-with-an-empty-pid-file-is-refused-before-it-runs"
else
  fail "detached-exec-with-an-empty-pid-file-is-refused-before-it-runs" \
    "rc=$rc ran=$(wc -l < "$T/out/exec-ran") times err=$(cat "$T/exempty.err")"
fi

# The exec makes a process without the filter (this host has no AppArmor:
# one without the filter stands for one without the label): a runtime in
# runc's place that, after runc's exec, puts a host sleep into the
# container's cgroup. Refused, and the container killed, at once. A
# process that was there before the exec is not the exec's (judged when
# it began): the same host sleep put there before passes.
cg=/sys/fs/cgroup/pids$(cgroup_of "$epid")
cat > "$T/intrude-runc" <<EOF
#!/bin/sh
for a; do [ "\$a" = exec ] && is_exec=1; done
[ -n "\${is_exec:-}" ] || exec runc "\$@"
runc "\$@" || exit \$?
sleep 600 </dev/null >/dev/null 2>&1 &
echo \$! > "$T/intruder.pid"
echo \$! > "$cg/cgroup.procs"
EOF
chmod 0755 "$T/intrude-runc"
INTRUDE=$T/intrude.json
jq --arg rt "$T/intrude-runc" '.runtime = $rt' "$POLICY" > "$INTRUDE"
sleep 600 &
older=$!
echo "$older" > "$cg/cgroup.procs"
"$SHIM" exec --process "$PRIV/proc.json" --detach --pid-file "$PRIV/ex1.pid" "$ID-ex" \
  </dev/null >/dev/null 2>"$T/ex1.err"; rc=$?
if [ "$rc" = 0 ] && kill -0 "$older" 2>/dev/null && [ "$(status_of "$ID-ex")" = running ]; then
  pass "detached-exec-does-not-judge-again-what-was-in-the-container-before-it"
else
  fail "detached-exec-does-not-judge-again-what-was-in-the-container-before-it" \
    "rc=$rc status=$(status_of "$ID-ex") err=$(cat "$T/ex1.err")"
fi
CONFINE_POLICY=$INTRUDE "$SHIM" exec --process "$PRIV/proc.json" --detach --pid-file "$PRIV/ex2.pid" \
  "$ID-ex" </dev/null >/dev/null 2>"$T/ex2.err"; rc=$?
intruder=$(cat "$T/intruder.pid" 2>/dev/null)
# Killed: gone or a zombie (a process runc exec'd is reparented to our
# pid 1, which here need not reap it); the container: its cgroup empty.
dead () { ! grep -qv '^State:[[:space:]]*Z' <(grep '^State:' "/proc/$1/status" 2>/dev/null); }
if [ "$rc" = 1 ] && [ -n "$intruder" ] && dead "$intruder" && [ -z "$(cat "$cg/tasks")" ] \
   && grep -q "^confine: refused: seccomp: after exec, pid $intruder has Seccomp: 0, not filter mode.*; the container was killed\$" "$T/ex2.err"; then
  pass "detached-exec-that-makes-an-unfiltered-process-is-refused-and-the-container-killed"
else
  fail "detached-exec-that-makes-an-unfiltered-process-is-refused-and-the-container-killed" \
    "rc=$rc intruder=$intruder $(dead "$intruder" || echo alive) err=$(cat "$T/ex2.err") left=$(cat "$cg/tasks" | tr '\n' ' ')"
fi
kill -9 "$older" $intruder 2>/dev/null
wait "$older" 2>/dev/null
runc delete --force "$ID-ex" >/dev/null 2>&1

# --- the real start is a child: signals reach it, its status is ours --------

# A runtime whose start waits, and exits 42 on SIGTERM: the engine's
# SIGTERM to the shim must reach it, and 42 must come back.
cat > "$T/slow-runc" <<'EOF'
#!/bin/sh
for a; do
  if [ "$a" = start ]; then
    trap 'exit 42' TERM
    sleep 30 & wait
    exit 1
  fi
done
exec runc "$@"
EOF
chmod 0755 "$T/slow-runc"
SLOW=$T/slow.json
test_policy "$SLOW" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"$T/slow-runc\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
new_bundle "$T/slow" '["sleep", "600"]'
CONFINE_POLICY=$SLOW "$SHIM" create --pid-file "$T/slow.pid" -b "$T/slow" "$ID-slow" </dev/null >/dev/null 2>&1
CONFINE_POLICY=$SLOW "$SHIM" start "$ID-slow" </dev/null >/dev/null 2>&1 &
shim=$!
for _ in $(seq 50); do
  pgrep -P "$shim" >/dev/null && break
  sleep 0.1
done
kill -TERM "$shim"
wait "$shim"; rc=$?
if [ "$rc" = 42 ] && [ "$(status_of "$ID-slow")" = created ]; then
  pass "sigterm-reaches-the-real-start-and-its-exit-code-is-kept"
else
  fail "sigterm-reaches-the-real-start-and-its-exit-code-is-kept" "rc=$rc status=$(status_of "$ID-slow")"
fi
runc delete --force "$ID-slow" >/dev/null 2>&1

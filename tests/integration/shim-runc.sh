#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# confine-runtime in front of the real runc, with busybox bundles: what
# it injects, what it refuses, what it passes through untouched, and that
# its rewrite of config.json is lossless and atomic.
# Needs root, runc, jq and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

FIX=$ROOT/tests/fixtures
TINY=
# PRIV: where an engine writes exec's process files for the shim, root's
# and outside /tmp (containerd's XDG_RUNTIME_DIR as install.sh sets it).
PRIV=$(mktemp -d /run/confine-shim-runc.XXXXXX)
extra_cleanup () { [ -n "$TINY" ] && umount "$TINY" 2>/dev/null; rm -rf "$PRIV"; }
shim_engine_setup shim-runc shimtest

# --- injection -------------------------------------------------------------

new_bundle "$T/plain" '["sh", "-c", "grep Seccomp: /proc/self/status > /mnt/seccomp"]'
cp "$T/plain/config.json" "$T/plain.orig.json"

# Control: the same bundle under runc alone runs without any filter.
runc run -b "$T/plain" "$ID-ctl" </dev/null >/dev/null 2>&1
if grep -q "Seccomp:[[:space:]]*0" "$T/out/seccomp" 2>/dev/null; then
  pass "control-runc-alone-runs-unfiltered"
else
  fail "control-runc-alone-runs-unfiltered" "expected Seccomp: 0, got: $(cat "$T/out/seccomp" 2>&1)"
fi
rm -f "$T/out/seccomp"

if "$SHIM" run -b "$T/plain" "$ID-inj" </dev/null >"$T/inj.out" 2>&1 \
   && grep -q "Seccomp:[[:space:]]*2" "$T/out/seccomp" 2>/dev/null; then
  pass "missing-seccomp-gets-default-profile-and-runs-filtered"
else
  fail "missing-seccomp-gets-default-profile-and-runs-filtered" \
    "rc/out: $(cat "$T/inj.out") seccomp: $(cat "$T/out/seccomp" 2>&1)"
fi
if jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO"
          and (.linux.seccomp.architectures | index("SCMP_ARCH_X86_64") != null)
          and ([.linux.seccomp.syscalls[].names[]] | index("read") != null)' \
     "$T/plain/config.json" >/dev/null; then
  pass "injected-profile-is-converted-to-oci-form"
else
  fail "injected-profile-is-converted-to-oci-form" "$(jq -c '.linux.seccomp | keys' "$T/plain/config.json")"
fi
if jq -e '.linux.seccomp | has("archMap") or ([.syscalls[] | has("includes") or has("excludes")] | any)' \
     "$T/plain/config.json" >/dev/null; then
  fail "injected-profile-has-no-docker-only-keys" "archMap/includes/excludes left in the spec"
else
  pass "injected-profile-has-no-docker-only-keys"
fi
if grep -q '"component":"shim".*"verdict":"allow"' "$DECISIONS" \
   && grep -q '"component":"hook".*"verdict":"allow"' "$DECISIONS"; then
  pass "decision-log-has-shim-and-injected-hook-lines"
else
  fail "decision-log-has-shim-and-injected-hook-lines" "$(tail -n 2 "$DECISIONS" 2>&1)"
fi

# --- refusal ---------------------------------------------------------------

# The shim repairs a weak filter by default (below); with the repair off,
# the seccomp rule refuses it as the hook does.
NOREPAIR=$T/norepair.json
test_policy "$NOREPAIR" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .inject.seccomp_repair = false
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""

new_bundle "$T/weak" '["touch", "/mnt/marker"]' \
  ".linux.seccomp = $(jq -c '.linux.seccomp' "$FIX/docker/weak-seccomp.json")"
cp "$T/weak/config.json" "$T/weak.orig.json"
rm -f "$T/out/marker"
CONFINE_POLICY=$NOREPAIR "$SHIM" --log "$T/weak.log" --log-format json run -b "$T/weak" "$ID-weak" </dev/null \
  >"$T/weak.out" 2>"$T/weak.err"
rc=$?
if [ "$rc" = 1 ] && grep -q '^confine: refused: .*seccomp' "$T/weak.err" && [ ! -e "$T/out/marker" ] \
   && ! runc state "$ID-weak" >/dev/null 2>&1; then
  pass "weak-filter-refused-and-command-never-runs"
else
  fail "weak-filter-refused-and-command-never-runs" \
    "rc=$rc marker=$([ -e "$T/out/marker" ] && echo present || echo absent) err=$(cat "$T/weak.err")"
fi
if cmp -s "$T/weak/config.json" "$T/weak.orig.json"; then
  pass "refused-bundle-is-left-untouched"
else
  fail "refused-bundle-is-left-untouched" "config.json changed"
fi
if tail -n 1 "$T/weak.log" 2>/dev/null | jq -e '.level == "error" and (.msg | startswith("confine: refused: "))
       and (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$"))' \
     >/dev/null; then
  pass "log-file-gets-runc-style-json-error-line"
else
  fail "log-file-gets-runc-style-json-error-line" "$(cat "$T/weak.log" 2>&1)"
fi

# --no-pivot on the shim's own command line, in Go's spellings.
new_bundle "$T/nopivot" '["touch", "/mnt/marker-nopivot"]'
for spelling in --no-pivot -no-pivot=true; do
  rm -f "$T/out/marker-nopivot"
  if ! "$SHIM" run "$spelling" -b "$T/nopivot" "$ID-np" </dev/null >/dev/null 2>"$T/np.err" \
     && grep -q '^confine: refused: .*no_pivot: the runtime is asked for --no-pivot' "$T/np.err" \
     && [ ! -e "$T/out/marker-nopivot" ]; then
    pass "no-pivot-refused-before-runc ($spelling)"
  else
    fail "no-pivot-refused-before-runc ($spelling)" "$(cat "$T/np.err")"
  fi
done
rm -f "$T/out/marker-nopivot"
if "$SHIM" run --no-pivot=false -b "$T/nopivot" "$ID-np" </dev/null >/dev/null 2>"$T/np.err" \
   && [ -e "$T/out/marker-nopivot" ]; then
  pass "no-pivot-false-runs"
else
  fail "no-pivot-false-runs" "$(cat "$T/np.err")"
fi

# A host mount of / is refused on the final spec too (a rule other than seccomp).
new_bundle "$T/rootmount" '["touch", "/mnt/marker2"]' \
  '.mounts += [{"destination": "/host", "type": "bind", "source": "/", "options": ["rbind"]}]'
if ! "$SHIM" run -b "$T/rootmount" "$ID-rm" </dev/null >/dev/null 2>"$T/rm.err" \
   && grep -q '^confine: refused: .*mounts' "$T/rm.err" && [ ! -e "$T/out/marker2" ]; then
  pass "host-root-bind-mount-refused"
else
  fail "host-root-bind-mount-refused" "$(cat "$T/rm.err")"
fi

# --- the hook, exactly once ------------------------------------------------

# `run` keeps the hook (create verifies the container itself: shim-create.sh).
new_bundle "$T/twice" '["true"]'
hooks_before=$(grep -c '"component":"hook"' "$DECISIONS")
ok=1
for n in 1 2; do
  if ! "$SHIM" run -b "$T/twice" "$ID-twice$n" </dev/null >"$T/twice.out" 2>&1; then
    ok=0; break
  fi
  runc delete --force "$ID-twice$n" >/dev/null 2>&1
done
count=$(jq --arg h "$BUILD/confine-hook" '[.hooks.createRuntime[] | select(.path == $h)] | length' \
  "$T/twice/config.json")
hooks_after=$(grep -c '"component":"hook"' "$DECISIONS")
if [ "$ok" = 1 ] && [ "$count" = 1 ] && [ $((hooks_after - hooks_before)) -eq 2 ]; then
  pass "hook-injected-exactly-once-and-runs-on-every-run"
else
  fail "hook-injected-exactly-once-and-runs-on-every-run" \
    "ok=$ok entries=$count hook-runs=$((hooks_after - hooks_before)) $(cat "$T/twice.out")"
fi
if jq -e --arg h "$BUILD/confine-hook" --arg p "$POLICY" '.hooks.createRuntime[] | select(.path == $h)
       | .args == ["confine-hook", "--policy", $p] and .timeout == 30' "$T/twice/config.json" >/dev/null; then
  pass "hook-entry-has-policy-and-timeout"
else
  fail "hook-entry-has-policy-and-timeout" "$(jq -c '.hooks' "$T/twice/config.json")"
fi

# A spec cannot disarm the gate's hook by naming its binary with other
# arguments, environment or timeout: only an entry equal to the shim's in
# every field counts as present; otherwise the shim's own is added and runs
# with the real policy (its decision lands in the real log). The lax policy
# the spec points at would allow everything. With another policy or env
# the entry is not the gate's own at all, and the hooks rule refuses it.
test_policy "$T/evil.json" "$T/sfs" '.mode = "audit" | .rules |= map_values("off")'
for variant in args env timeout; do
  case $variant in
    args) entry='{"path": $h, "args": ["confine-hook", "--policy", $evil], "env": $env, "timeout": 30}' ;;
    env) entry='{"path": $h, "args": ["confine-hook", "--policy", $p], "env": ($env + ["LD_LIBRARY_PATH=/tmp"]), "timeout": 30}' ;;
    timeout) entry='{"path": $h, "args": ["confine-hook", "--policy", $p], "env": $env, "timeout": 3600}' ;;
  esac
  new_bundle "$T/evil-$variant" '["true"]'
  jq --arg h "$BUILD/confine-hook" --arg evil "$T/evil.json" --arg p "$POLICY" \
     --argjson env '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]' \
     "$(printf '.hooks.createRuntime = [%s]' "$entry")" "$T/evil-$variant/config.json" \
     > "$T/evil-$variant/c.json" && mv "$T/evil-$variant/c.json" "$T/evil-$variant/config.json"
  "$SHIM" run -b "$T/evil-$variant" "$ID-evil-$variant" </dev/null >"$T/evil.out" 2>&1; rc=$?
  runc delete --force "$ID-evil-$variant" >/dev/null 2>&1
  own=$(jq --arg h "$BUILD/confine-hook" --arg p "$POLICY" '[.hooks.createRuntime[]
          | select(. == {"path": $h, "args": ["confine-hook", "--policy", $p],
                        "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                        "timeout": 30})] | length' "$T/evil-$variant/config.json")
  if [ "$variant" != timeout ]; then
    # Another policy or env makes the entry a hook the spec brings, which
    # the hooks rule refuses before runc starts: it never runs at all.
    if [ "$rc" = 1 ] && [ "$own" = 0 ] \
       && grep -q "confine: refused: .*hooks: createRuntime hook 0 .* is confine's hook, but not as this policy runs it" "$T/evil.out"; then
      pass "hook-with-other-$variant-is-refused-before-runc-starts"
    else
      fail "hook-with-other-$variant-is-refused-before-runc-starts" \
        "rc=$rc own=$own $(cat "$T/evil.out") $(jq -c .hooks "$T/evil-$variant/config.json")"
    fi
  elif [ "$rc" = 0 ] && [ "$own" = 1 ] \
     && grep -q "\"component\":\"hook\",\"action\":\"create\",\"id\":\"$ID-evil-$variant\"" "$DECISIONS"; then
    pass "hook-with-other-$variant-is-not-the-gate's-own-which-is-added-and-runs"
  else
    fail "hook-with-other-$variant-is-not-the-gate's-own-which-is-added-and-runs" \
      "rc=$rc own=$own $(cat "$T/evil.out") $(jq -c .hooks "$T/evil-$variant/config.json")"
  fi
done

# --- repairing an engine's own filter ----------------------------------------

# Podman's default filter (a real config.json Podman 4.3 wrote, see
# tests/fixtures/podman/README.md) lets unshare, mount, setns, keyctl and
# namespace clones through. The shim adds the missing denials; the
# container runs, and from inside a new user namespace is refused.
podman_bundle () {
  local dir=$1 filter=${2:-.}
  mkdir -p "$dir"
  jq --arg root "$T/rootfs" --arg out "$T/out" '
      .root.path = $root | del(.linux.cgroupsPath) | .process.terminal = false
      | .process.args = ["sh", "-c", "grep Seccomp: /proc/self/status > /mnt/podman; unshare -U true; echo unshare=$? >> /mnt/podman"]
      | .mounts = [.mounts[] | select(.type != "bind")]
                  + [{"destination": "/mnt", "type": "bind", "source": $out, "options": ["rbind", "rw"]}]' \
    "$FIX/podman/default.json" | jq "$filter" > "$dir/config.json"
}
podman_bundle "$T/podman"
cp "$T/podman/config.json" "$T/podman.orig.json"
# Control: under runc alone, Podman's filter lets a user namespace be made.
rm -f "$T/out/podman"
runc run -b "$T/podman" "$ID-podctl" </dev/null >/dev/null 2>&1
if grep -q '^unshare=0$' "$T/out/podman" 2>/dev/null; then
  pass "control-podman-filter-lets-unshare-through"
else
  fail "control-podman-filter-lets-unshare-through" "$(cat "$T/out/podman" 2>&1)"
fi
rm -f "$T/out/podman"
if "$SHIM" run -b "$T/podman" "$ID-podman" </dev/null >"$T/podman.out" 2>&1 \
   && grep -q 'Seccomp:[[:space:]]*2' "$T/out/podman" && grep -q '^unshare=1$' "$T/out/podman"; then
  pass "podman-filter-repaired-container-runs-and-cannot-unshare"
else
  fail "podman-filter-repaired-container-runs-and-cannot-unshare" \
    "$(cat "$T/podman.out" "$T/out/podman" 2>&1)"
fi
# Only the leaking syscalls changed: every (syscall, action, args) of
# Podman's for a syscall outside must_block, clone, clone3, mknod and
# mknodat (allowed by file type, seccomp.block_device_nodes) and the calls
# seccomp.block_setid_files judges (every container under the default
# seccomp.setid_scope) is still there, and the default action is the same.
if jq -e --slurpfile o "$T/podman.orig.json" --slurpfile p "$POLICY" '
     def rules: [.linux.seccomp.syscalls[] as $r | $r.names[]
                 | {n: ., a: $r.action, e: $r.errnoRet, args: $r.args}];
     ($p[0].seccomp.must_block + ["clone", "clone3", "mknod", "mknodat", "chmod", "fchmod",
       "fchmodat", "fchmodat2", "open", "openat", "creat", "openat2", "io_uring_setup",
       "io_uring_enter", "io_uring_register", "setxattr", "lsetxattr", "fsetxattr"]) as $mb
     | ([$o[0] | rules[] | select(.n as $n | $mb | index($n) | not)] - rules == [])
       and .linux.seccomp.defaultAction == $o[0].linux.seccomp.defaultAction
       and ([rules[] | select(.n == "unshare")] == [])' \
     "$T/podman/config.json" >/dev/null; then
  pass "podman-filter-repair-keeps-every-other-rule"
else
  fail "podman-filter-repair-keeps-every-other-rule" "$(jq -c .linux.seccomp.syscalls[0:3] "$T/podman/config.json")"
fi
line=$(grep "\"id\":\"$ID-podman\"" "$DECISIONS" | grep '"component":"shim"' | tail -n 1)
if jq -e '.verdict == "allow" and ([.changes[] | select(test("^linux.seccomp: .*unshare"))] | length) > 0' \
     <<<"$line" >/dev/null 2>&1; then
  pass "podman-filter-repair-is-in-the-decision-log"
else
  fail "podman-filter-repair-is-in-the-decision-log" "$line"
fi
# A default-allow filter (the seed's weak profile, as Docker passed it on)
# cannot deny setxattrat (463, a name libseccomp 2.5.4 lacks, so runc
# skips any rule naming it): under the default seccomp.setid_scope, where
# every container is judged for it, the shim refuses it, naming the call
# and the key, and the command never runs.
podman_bundle "$T/weakall" ".linux.seccomp = $(jq -c .linux.seccomp "$FIX/docker/weak-seccomp.json")"
rm -f "$T/out/podman"
if ! "$SHIM" run -b "$T/weakall" "$ID-weakall" </dev/null >"$T/weakall.out" 2>&1 \
   && grep -q '^confine: refused: seccomp: filter allows setxattrat, .*(policy seccomp.block_setid_files)' "$T/weakall.out" \
   && [ ! -e "$T/out/podman" ]; then
  pass "default-allow-filter-refused-for-setxattrat-under-scope-all"
else
  fail "default-allow-filter-refused-for-setxattrat-under-scope-all" "$(cat "$T/weakall.out" "$T/out/podman" 2>&1)"
fi
# Without seccomp.block_setid_files (its bind of $T/out would count under
# either scope) it gets a denial for each leak and for each CLONE_NEW*
# flag, and then passes every rule, crun's reading of the conditions
# included; the real runc runs it and cannot make a user namespace inside.
jq '.seccomp.block_setid_files = false' "$POLICY" >"$T/policy-nosetid.json" && chmod 0644 "$T/policy-nosetid.json"
podman_bundle "$T/weakrep" ".linux.seccomp = $(jq -c .linux.seccomp "$FIX/docker/weak-seccomp.json")"
rm -f "$T/out/podman"
if CONFINE_POLICY=$T/policy-nosetid.json "$SHIM" run -b "$T/weakrep" "$ID-weakrep" </dev/null >"$T/weakrep.out" 2>&1 \
   && grep -q '^unshare=1$' "$T/out/podman" \
   && jq -e '.linux.seccomp.defaultAction == "SCMP_ACT_ALLOW"
             and ([.linux.seccomp.syscalls[] | select(.names == ["clone"])] | length) == 7' \
        "$T/weakrep/config.json" >/dev/null; then
  pass "default-allow-filter-repaired-runs-and-cannot-unshare"
else
  fail "default-allow-filter-repaired-runs-and-cannot-unshare" "$(cat "$T/weakrep.out" "$T/out/podman" 2>&1)"
fi

# With the repair switched off, the same container is refused unrun.
podman_bundle "$T/podman-off"
rm -f "$T/out/podman"
if ! CONFINE_POLICY=$NOREPAIR "$SHIM" run -b "$T/podman-off" "$ID-podoff" </dev/null \
       >"$T/podoff.out" 2>&1 \
   && grep -q '^confine: refused: .*seccomp.*unshare' "$T/podoff.out" && [ ! -e "$T/out/podman" ]; then
  pass "podman-filter-refused-unrun-when-repair-is-off"
else
  fail "podman-filter-refused-unrun-when-repair-is-off" "$(cat "$T/podoff.out")"
fi

# --- audit mode: the decision log and syslog only -----------------------------

# A container the capabilities rule refuses: in enforce mode the refusal is
# on stderr (control); in audit mode it runs, and neither the shim nor the
# injected hook says anything on the stdio the engine hands the container,
# while the decision log has the would-be refusal and what was injected.
AUDITP=$T/audit.json
test_policy "$AUDITP" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .mode = \"audit\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
new_bundle "$T/audit" '["touch", "/mnt/audit-marker"]' \
  '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]'
cp "$T/audit/config.json" "$T/audit.orig.json"
"$SHIM" run -b "$T/audit" "$ID-auditctl" </dev/null >"$T/auditctl.out" 2>&1; rc=$?
if [ "$rc" = 1 ] && grep -q '^confine: refused: .*capabilities' "$T/auditctl.out"; then
  pass "control-enforce-refuses-the-audit-spec-on-stderr"
else
  fail "control-enforce-refuses-the-audit-spec-on-stderr" "rc=$rc $(cat "$T/auditctl.out")"
fi
rm -f "$T/out/audit-marker"
CONFINE_POLICY=$AUDITP "$SHIM" run -b "$T/audit" "$ID-audit" </dev/null >"$T/audit.out" 2>"$T/audit.err"
rc=$?
shim_line=$(grep "\"id\":\"$ID-audit\"" "$T/audit.log" 2>/dev/null | grep '"component":"shim"' | tail -n 1)
hook_line=$(grep "\"id\":\"$ID-audit\"" "$T/audit.log" 2>/dev/null | grep '"component":"hook"' | tail -n 1)
if [ "$rc" = 0 ] && [ -e "$T/out/audit-marker" ] && [ ! -s "$T/audit.err" ] && [ ! -s "$T/audit.out" ]; then
  pass "audit-mode-says-nothing-on-the-container-stdio"
else
  fail "audit-mode-says-nothing-on-the-container-stdio" \
    "rc=$rc marker=$([ -e "$T/out/audit-marker" ] && echo present || echo absent) out=$(cat "$T/audit.out" "$T/audit.err")"
fi
if jq -e '.verdict == "audit-refuse" and .rules.capabilities.result == "fail"
          and any(.changes[]; startswith("linux.seccomp: the default profile"))
          and any(.changes[]; startswith("hooks.createRuntime:"))' <<<"$shim_line" >/dev/null 2>&1 \
   && jq -e '.verdict == "audit-refuse"' <<<"$hook_line" >/dev/null 2>&1; then
  pass "audit-mode-decision-log-has-the-would-be-refusal-and-the-changes"
else
  fail "audit-mode-decision-log-has-the-would-be-refusal-and-the-changes" "shim: $shim_line hook: $hook_line"
fi
# The hook by itself, as runc runs it: exit 0 and not a byte on stderr.
printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","bundle":"%s"}' "$ID-audit-hook" \
  "$T/audit" | "$BUILD/confine-hook" --policy "$AUDITP" >"$T/audit-hook.out" 2>&1; rc=$?
if [ "$rc" = 0 ] && [ ! -s "$T/audit-hook.out" ] \
   && grep "\"id\":\"$ID-audit-hook\"" "$T/audit.log" | grep -q '"verdict":"audit-refuse"'; then
  pass "audit-mode-hook-logs-and-says-nothing"
else
  fail "audit-mode-hook-logs-and-says-nothing" "rc=$rc $(cat "$T/audit-hook.out")"
fi

# --- pass-through ------------------------------------------------------------

# same_as_runc NAME ARGS...: same stdout and exit status as runc itself.
same_as_runc () {
  local name=$1; shift
  local a b ra rb
  a=$(runc "$@" 2>/dev/null </dev/null); ra=$?
  b=$("$SHIM" "$@" 2>/dev/null </dev/null); rb=$?
  if [ "$ra" = "$rb" ] && [ "$a" = "$b" ]; then
    pass "$name"
  else
    fail "$name" "runc rc=$ra shim rc=$rb; outputs $([ "$a" = "$b" ] && echo equal || echo differ)"
  fi
}

new_bundle "$T/pt" '["sleep", "600"]'
"$SHIM" create -b "$T/pt" "$ID-pt" </dev/null >/dev/null 2>&1
same_as_runc "passthrough-state" state "$ID-pt"
same_as_runc "passthrough-state-missing-keeps-exit-code" state "$ID-nosuch"
# --version: runc's lines unchanged and first (containerd's go-runc reads
# `runc version X` from the first line), then one line of ours without the
# word "version" (Docker takes the last line that has it).
a=$(runc --version 2>&1 </dev/null)
b=$("$SHIM" --version 2>&1 </dev/null); rb=$?
last=$(tail -n 1 <<<"$b")
if [ "$rb" = 0 ] && [ "$(head -n -1 <<<"$b")" = "$a" ] && [ "$(head -n 1 <<<"$b")" = "$(head -n 1 <<<"$a")" ] &&
   [[ $last == "confine-runtime "*"in front of /usr/sbin/runc)" ]] && [[ $last != *version* ]] &&
   [ "$(grep version <<<"$b" | tail -n 1)" = "$(grep version <<<"$a" | tail -n 1)" ]; then
  pass "passthrough-version-shows-both"
else
  fail "passthrough-version-shows-both" "rc=$rb: $b"
fi
same_as_runc "passthrough-features" features
same_as_runc "passthrough-unknown-command-keeps-exit-code" no-such-command
"$SHIM" start "$ID-pt" </dev/null; rc_start=$?
"$SHIM" kill "$ID-pt" KILL </dev/null; rc_kill=$?
for _ in $(seq 50); do
  [ "$(runc state "$ID-pt" 2>/dev/null | jq -r .status)" = stopped ] && break
  sleep 0.1
done
"$SHIM" delete "$ID-pt" </dev/null; rc_del=$?
if [ "$rc_start$rc_kill$rc_del" = 000 ] && ! runc state "$ID-pt" >/dev/null 2>&1; then
  pass "passthrough-start-kill-delete"
else
  fail "passthrough-start-kill-delete" "start=$rc_start kill=$rc_kill delete=$rc_del"
fi
"$SHIM" kill "$ID-nosuch" KILL </dev/null 2>/dev/null; a=$?
runc kill "$ID-nosuch" KILL </dev/null 2>/dev/null; b=$?
[ "$a" = "$b" ] && [ "$a" != 0 ] && pass "passthrough-kill-missing-keeps-exit-code" \
  || fail "passthrough-kill-missing-keeps-exit-code" "shim=$a runc=$b"

new_bundle "$T/exit3" '["sh", "-c", "exit 3"]'
"$SHIM" run -b "$T/exit3" "$ID-exit3" </dev/null >/dev/null 2>&1; rc=$?
[ "$rc" = 3 ] && pass "run-keeps-container-exit-code" || fail "run-keeps-container-exit-code" "rc=$rc"

new_bundle "$T/stdin" '["cat"]'
got=$(printf 'through stdin\n' | "$SHIM" run -b "$T/stdin" "$ID-stdin" 2>&1)
[ "$got" = "through stdin" ] && pass "run-keeps-stdin-and-stdout" || fail "run-keeps-stdin-and-stdout" "got: $got"

new_bundle "$T/fds" '["sh", "-c", "echo via-fd-3 >&3"]'
"$SHIM" run --preserve-fds 1 -b "$T/fds" "$ID-fds" </dev/null >/dev/null 2>&1 3>"$T/fd3.txt"
[ "$(cat "$T/fd3.txt")" = via-fd-3 ] && pass "run-keeps-inherited-fds" \
  || fail "run-keeps-inherited-fds" "fd 3 got: $(cat "$T/fd3.txt")"

# Flags after the id, and --bundle=: runc reads them, so must we.
new_bundle "$T/order" '["touch", "/mnt/order-marker"]' \
  ".linux.seccomp = $(jq -c '.linux.seccomp' "$FIX/docker/weak-seccomp.json")"
rm -f "$T/out/order-marker"
# Found means judged: refused by the seccomp rule, not for a missing
# config.json.
(cd /tmp && CONFINE_POLICY=$NOREPAIR "$SHIM" run "$ID-order" --bundle="$T/order" </dev/null >/dev/null 2>"$T/order.err"); rc=$?
[ "$rc" = 1 ] && [ ! -e "$T/out/order-marker" ] && refused_by seccomp "$T/order.err" \
  && pass "bundle-flag-after-id-is-found" || fail "bundle-flag-after-id-is-found" "rc=$rc $(cat "$T/order.err")"
(cd "$T/order" && CONFINE_POLICY=$NOREPAIR "$SHIM" run "$ID-order" </dev/null >/dev/null 2>"$T/order.err"); rc=$?
[ "$rc" = 1 ] && [ ! -e "$T/out/order-marker" ] && refused_by seccomp "$T/order.err" \
  && pass "bundle-defaults-to-cwd" || fail "bundle-defaults-to-cwd" "rc=$rc $(cat "$T/order.err")"

# --- exec --------------------------------------------------------------------

new_bundle "$T/ex" '["sleep", "600"]'
"$SHIM" run -d -b "$T/ex" "$ID-ex" </dev/null >/dev/null 2>&1
jq '.args = ["sh", "-c", "echo ok > /mnt/exec-ok"] | .env = ["PATH=/bin"]' \
  "$FIX/docker/exec-process.json" > "$PRIV/proc.json"
jq '.args = ["touch", "/mnt/exec-marker"] | .env = ["PATH=/bin"]' \
  "$FIX/docker/exec-privileged-process.json" > "$PRIV/proc-priv.json"
rm -f "$T/out/exec-ok" "$T/out/exec-marker"
if "$SHIM" exec --process "$PRIV/proc.json" "$ID-ex" </dev/null >/dev/null 2>&1 && [ -e "$T/out/exec-ok" ]; then
  pass "exec-with-docker-process-file-runs"
else
  fail "exec-with-docker-process-file-runs" "no marker"
fi
"$SHIM" --log "$T/exec.log" --log-format json exec -p "$PRIV/proc-priv.json" "$ID-ex" </dev/null \
  >/dev/null 2>"$T/exec.err"; rc=$?
if [ "$rc" = 1 ] && [ ! -e "$T/out/exec-marker" ] && grep -q '^confine: refused: .*capabilities' "$T/exec.err" \
   && tail -n 1 "$T/exec.log" | jq -e '.level == "error"' >/dev/null; then
  pass "privileged-exec-refused-and-never-starts"
else
  fail "privileged-exec-refused-and-never-starts" "rc=$rc $(cat "$T/exec.err")"
fi
if ! "$SHIM" exec --cap CAP_SYS_ADMIN "$ID-ex" touch /mnt/exec-marker </dev/null >/dev/null 2>"$T/exec.err" \
   && [ ! -e "$T/out/exec-marker" ] && grep -q '^confine: .*exec without --process cannot be judged' "$T/exec.err"; then
  pass "exec-without-process-file-is-refused"
else
  fail "exec-without-process-file-is-refused" "$(cat "$T/exec.err")"
fi
# runc reads the process file again by its path after the judgement: one
# that another user owns, or that lies in a directory they own, could be
# swapped for a privileged one in between (found-02's shape, on exec).
jq '.args = ["touch", "/mnt/exec-marker"]' "$PRIV/proc.json" > "$PRIV/proc-theirs.json"
chown 65534 "$PRIV/proc-theirs.json"
mkdir -p "$PRIV/theirdir"; jq '.args = ["touch", "/mnt/exec-marker"]' \
  "$PRIV/proc.json" > "$PRIV/theirdir/proc.json"; chown 65534 "$PRIV/theirdir"
for f in proc-theirs.json theirdir/proc.json; do
  "$SHIM" exec --process "$PRIV/$f" "$ID-ex" </dev/null >/dev/null 2>"$T/exec.err"; rc=$?
  if [ "$rc" = 1 ] && [ ! -e "$T/out/exec-marker" ] \
     && grep -q '^confine: refused: .*can be changed by others than root' "$T/exec.err"; then
    pass "exec-process-file-others-can-change-is-refused ($f)"
  else
    fail "exec-process-file-others-can-change-is-refused ($f)" "rc=$rc $(cat "$T/exec.err")"
  fi
done
# Where containerd writes by default (go-runc: $TMPDIR or /tmp), a
# container binding the directory is root too and can rename its own file
# over the engine's before the shim reads it (found-70): a file below a
# sticky directory is refused, even root's own, naming the fix.
jq '.args = ["touch", "/mnt/exec-marker"]' "$PRIV/proc.json" > "$T/proc-tmp.json"
"$SHIM" exec --process "$T/proc-tmp.json" "$ID-ex" </dev/null >/dev/null 2>"$T/exec.err"; rc=$?
if [ "$rc" = 1 ] && [ ! -e "$T/out/exec-marker" ] \
   && grep -q '^confine: refused: exec process .*`/tmp`, on the way to .*, is a directory others can add names to .*XDG_RUNTIME_DIR' "$T/exec.err"; then
  pass "exec-process-file-below-sticky-tmp-is-refused"
else
  fail "exec-process-file-below-sticky-tmp-is-refused" "rc=$rc $(cat "$T/exec.err")"
fi
runc delete --force "$ID-ex" >/dev/null 2>&1

# --- lossless rewrite of every real Docker config ----------------------------

# Audit mode and `true` as the runtime of `run` (which the shim execs):
# every fixture is rewritten (even the ones enforce mode refuses) and
# nothing is started.
RTPOLICY=$T/rt-policy.json
test_policy "$RTPOLICY" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"true\" | .mode = \"audit\"
   | .inject.seccomp_repair = false | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""

# Normalise: drop exactly what the shim may inject, then sort keys.
normal () {
  jq -S --arg h "$BUILD/confine-hook" --argjson sc "$2" '
      if .hooks.createRuntime then .hooks.createRuntime |= map(select(.path != $h)) else . end
      | if .hooks.createRuntime == [] then del(.hooks.createRuntime) else . end
      | if .hooks == {} then del(.hooks) else . end
      | if $sc then . else del(.linux.seccomp) end | '"$SHIM_DEVICES" "$1"
}

n=0
mkdir -p "$T/rt"
for f in "$FIX"/docker/*.json crafted; do
  if [ "$f" = crafted ]; then
    # 2^64-1 as a seccomp argument value: jq would round it, so sed.
    name=crafted-u64-max
    mkdir -p "$T/rt/$name"
    sed 's/"value":2114060288/"value":18446744073709551615/' "$FIX/docker/default.json" \
      > "$T/rt/$name/config.json"
  else
    jq -e '.ociVersion' "$f" >/dev/null 2>&1 || continue # exec process files
    name=$(basename "$f" .json)
    mkdir -p "$T/rt/$name"
    cp "$f" "$T/rt/$name/config.json"
  fi
  dir=$T/rt/$name
  n=$((n + 1))
  chown 0:1 "$dir/config.json"; chmod 0640 "$dir/config.json"
  had=$(jq 'has("linux") and (.linux | has("seccomp"))' "$dir/config.json")
  cp "$dir/config.json" "$dir.orig"
  CONFINE_POLICY=$RTPOLICY "$SHIM" run -b "$dir" "$ID-rt$n" </dev/null >"$dir.out" 2>&1; rc=$?
  if [ "$rc" != 0 ]; then
    fail "rewrite-roundtrip-$name" "shim rc=$rc: $(cat "$dir.out")"; continue
  fi
  a=$(normal "$dir.orig" "$had") && b=$(normal "$dir/config.json" "$had") && [ -n "$a" ] || {
    fail "rewrite-roundtrip-$name" "jq cannot read the result"; continue; }
  if [ "$a" != "$b" ]; then
    fail "rewrite-roundtrip-$name" "fields other than the injected ones changed"; continue
  fi
  if cmp -s "$dir.orig" "$dir/config.json"; then
    fail "rewrite-roundtrip-$name" "nothing was injected"; continue
  fi
  if [ "$(stat -c '%u:%g:%a' "$dir/config.json")" != "0:1:640" ] || [ "$(ls -A "$dir" | wc -l)" != 1 ]; then
    fail "rewrite-roundtrip-$name" "owner/mode $(stat -c '%u:%g:%a' "$dir/config.json") or leftovers: $(ls -A "$dir")"
    continue
  fi
  if [ "$had" = false ] && ! jq -e '.linux.seccomp.defaultAction' "$dir/config.json" >/dev/null; then
    fail "rewrite-roundtrip-$name" "no seccomp injected into a spec without one"; continue
  fi
  pass "rewrite-roundtrip-$name"
done
[ "$n" -ge 9 ] || fail "rewrite-roundtrip-fixtures" "only $n fixtures found"
# The exact text of 2^64-1 survives (jq above compares through doubles).
if grep -q '"value":18446744073709551615' "$T/rt/crafted-u64-max/config.json" \
   && [ "$(grep -o '"value":[0-9]*' "$T/rt/crafted-u64-max.orig")" = \
        "$(grep -o '"value":[0-9]*' "$T/rt/crafted-u64-max/config.json")" ]; then
  pass "rewrite-keeps-uint64-max-seccomp-value-exactly"
else
  fail "rewrite-keeps-uint64-max-seccomp-value-exactly" \
    "$(grep -o '"value":[0-9.e+]*' "$T/rt/crafted-u64-max/config.json" | sort -u | tr '\n' ' ')"
fi

# --- atomic write when the disk is full --------------------------------------

TINY=$T/tiny
mkdir -p "$TINY"
if mount -t tmpfs -o size=16k,mode=0755 confine-test "$TINY"; then
  new_bundle "$TINY/b" '["touch", "/mnt/tiny-marker"]'
  cp "$TINY/b/config.json" "$T/tiny.orig.json"
  # Fill the rest: the injected profile no longer fits.
  dd if=/dev/zero of="$TINY/fill" bs=1k count=64 >/dev/null 2>&1
  rm -f "$T/out/tiny-marker"
  "$SHIM" run -b "$TINY/b" "$ID-tiny" </dev/null >/dev/null 2>"$T/tiny.err"; rc=$?
  if [ "$rc" = 1 ] && grep -q '^confine: refused: .*No space left' "$T/tiny.err" \
     && cmp -s "$TINY/b/config.json" "$T/tiny.orig.json" && [ "$(ls -A "$TINY/b" | wc -l)" = 1 ] \
     && [ ! -e "$T/out/tiny-marker" ] && ! runc state "$ID-tiny" >/dev/null 2>&1; then
    pass "full-disk-leaves-config-intact-and-refuses"
  else
    fail "full-disk-leaves-config-intact-and-refuses" \
      "rc=$rc files=$(ls -A "$TINY/b" | tr '\n' ' ') err=$(cat "$T/tiny.err")"
  fi
  umount "$TINY" && TINY=
else
  fail "full-disk-leaves-config-intact-and-refuses" "cannot mount a tmpfs"
fi

# restore takes its confinement from a checkpoint image, not config.json.
if "$SHIM" restore --image-path "$T/none" --lsm-profile apparmor:unconfined --bundle "$T/out" zq-restore \
    </dev/null >/dev/null 2>"$T/restore.err"; then
  fail "restore-is-refused" "allowed"
elif grep -q "^confine: refused: restore:" "$T/restore.err"; then
  pass "restore-is-refused"
else
  fail "restore-is-refused" "$(cat "$T/restore.err")"
fi

# --- stand-ins and runtimes.refused ---------------------------------------------
# A stand-in (the shim under another name, the real runtime at NAME.real)
# runs the container through the gate with the binary it displaced; the
# same stand-in named in runtimes.refused refuses before runc runs.
mkdir -p "$T/sbin"
cp "$SHIM" "$T/sbin/runc"
ln "$(command -v runc)" "$T/sbin/runc.real" 2>/dev/null || cp -p "$(command -v runc)" "$T/sbin/runc.real"
new_bundle "$T/standin" '["touch", "/mnt/marker-standin"]'
rm -f "$T/out/marker-standin"
out=$("$T/sbin/runc" run -b "$T/standin" "$ID-standin" 2>&1 </dev/null); rc=$?
if [ "$rc" = 0 ] && [ -e "$T/out/marker-standin" ] && tail -n 1 "$DECISIONS" | grep -q "\"id\":\"$ID-standin\""; then
  pass standin-runs-the-displaced-runtime-through-the-gate
else
  fail standin-runs-the-displaced-runtime-through-the-gate "rc=$rc: $out"
fi
jq '.runtimes.refused = ["runc"]' "$POLICY" >"$T/refuse-runc.json"
# A fresh bundle: the first run's injected hook names the other policy.
new_bundle "$T/standin2" '["touch", "/mnt/marker-standin"]'
rm -f "$T/out/marker-standin"
out=$(CONFINE_POLICY=$T/refuse-runc.json "$T/sbin/runc" run -b "$T/standin2" "$ID-standin2" 2>&1 </dev/null); rc=$?
if [ "$rc" != 0 ] && grep -q '^confine: refused: runtime `runc` .*runtimes.refused' <<<"$out" &&
   [ ! -e "$T/out/marker-standin" ]; then
  pass standin-runtime-refused-by-name
else
  fail standin-runtime-refused-by-name "rc=$rc: $out"
fi

# The hook refuses when the runtime that runs it has a refused name: a
# copy of sh named kata-runtime runs it, as kata would (its parent);
# named otherwise, the same bundle passes (pid 1 is no container: the
# rules that read its live state are off).
new_bundle "$T/hookparent" '["true"]'
state=$(jq -nc --arg b "$T/hookparent" '{ociVersion: "1.0.2", id: "hp", status: "creating", pid: 1, bundle: $b}')
jq '.runtimes.refused = ["kata-runtime"] | .rules.namespaces = "off" | .rules.seccomp = "off" | .rules.mounts = "off" | .rules.cwd = "off"' \
  "$POLICY" >"$T/refuse-kata.json"
cp /bin/dash "$T/kata-runtime"
cp /bin/dash "$T/other-runtime"
hook_under () {
  "$T/$1" -c "'$BUILD/confine-hook' --policy '$T/refuse-kata.json' >/dev/null 2>&1; echo \$?" <<<"$state"
}
hook_err=$("$T/kata-runtime" -c "'$BUILD/confine-hook' --policy '$T/refuse-kata.json' 2>&1 >/dev/null" <<<"$state")
if [ "$(hook_under kata-runtime)" = 1 ] && grep -q 'runtime `kata-runtime` .*runtimes.refused' <<<"$hook_err"; then
  pass hook-refuses-a-refused-runtime-parent
else
  fail hook-refuses-a-refused-runtime-parent "$hook_err"
fi
check hook-allows-another-runtime-parent test "$(hook_under other-runtime)" = 0

# --- pass-through without the policy load ----------------------------------------
# Commands the gate does not judge read the policy's `runtime` alone: a
# policy that is invalid elsewhere still reaches the runtime it names for
# `state`, while `create` with the same policy is refused (the control).
cat > "$T/pt-stub" <<STUB
#!/bin/sh
printf '%s\n' "\$*" > "$T/pt-ran"
STUB
chmod 0755 "$T/pt-stub"
jq --arg rt "$T/pt-stub" '.runtime = $rt | .mode = "bogus"' "$POLICY" > "$T/pt-policy.json"
chmod 0644 "$T/pt-policy.json"
rm -f "$T/pt-ran"
CONFINE_POLICY=$T/pt-policy.json "$SHIM" --root "$T/pt-root" state some-id </dev/null >/dev/null 2>"$T/pt.err"; rc=$?
new_bundle "$T/pt-bundle" '["true"]'
CONFINE_POLICY=$T/pt-policy.json "$SHIM" create --bundle "$T/pt-bundle" "$ID-pt" </dev/null >/dev/null 2>"$T/pt-create.err"; crc=$?
if [ "$rc" = 0 ] && [ "$(cat "$T/pt-ran" 2>/dev/null)" = "--root $T/pt-root state some-id" ] \
   && [ "$crc" = 1 ] && grep -q '^confine: refused: policy .*mode' "$T/pt-create.err"; then
  pass passthrough-reads-only-the-runtime-key
else
  fail passthrough-reads-only-the-runtime-key "state rc=$rc ran=$(cat "$T/pt-ran" 2>/dev/null) $(cat "$T/pt.err"); create rc=$crc $(cat "$T/pt-create.err")"
fi
# Fail-closed: a `runtime` the quick reading cannot vouch for goes to the
# full load and its refusal; so does a policy others can write.
for c in dup fold writable; do
  case $c in
    dup) printf '{"runtime": "%s", "runtime": "runc"}\n' "$T/pt-stub" > "$T/pt-$c.json"; why='duplicate JSON key' ;;
    fold) printf '{"runtime": "%s", "Runtime": "runc"}\n' "$T/pt-stub" > "$T/pt-$c.json"; why='Runtime' ;;
    writable) printf '{"runtime": "%s"}\n' "$T/pt-stub" > "$T/pt-$c.json"; why='must be owned by root' ;;
  esac
  chmod 0644 "$T/pt-$c.json"
  [ "$c" = writable ] && chmod 0666 "$T/pt-$c.json"
  rm -f "$T/pt-ran"
  out=$(CONFINE_POLICY=$T/pt-$c.json "$SHIM" state some-id 2>&1 </dev/null); rc=$?
  if [ "$rc" = 1 ] && [ ! -e "$T/pt-ran" ] && grep -q "^confine: refused: policy .*$why" <<<"$out"; then
    pass "passthrough-refuses-policy-$c"
  else
    fail "passthrough-refuses-policy-$c" "rc=$rc ran=$([ -e "$T/pt-ran" ] && echo yes) $out"
  fi
done
# A stand-in knows its runtime from /proc/self/exe: its pass-through reads
# no policy at all, while its create refuses without one (the control).
out=$(CONFINE_POLICY=$T/no-such-policy.json "$T/sbin/runc" --root "$T/pt-root" state some-id 2>&1 </dev/null); rc=$?
new_bundle "$T/pt-standin" '["true"]'
cout=$(CONFINE_POLICY=$T/no-such-policy.json "$T/sbin/runc" create --bundle "$T/pt-standin" "$ID-pts" 2>&1 </dev/null); crc=$?
if [ "$rc" = 1 ] && grep -q 'container does not exist' <<<"$out" && ! grep -q '^confine:' <<<"$out" \
   && [ "$crc" = 1 ] && grep -q '^confine: refused: policy .*no-such-policy' <<<"$cout"; then
  pass standin-passthrough-reads-no-policy
else
  fail standin-passthrough-reads-no-policy "state rc=$rc $out; create rc=$crc $cout"
fi
# confine-runtime whose policy `runtime` is a stand-in (install.sh's copy
# of the shim at runc, while Docker still names confine-runtime) runs
# what it stands in for: the container is judged once, not again by the
# copy. A copy of this build is known by its ELF build ID (no 2.6 MB
# compare on every call); the control is the copy's own run above.
jq --arg rt "$T/sbin/runc" '.runtime = $rt' "$POLICY" > "$T/via-standin.json"
new_bundle "$T/via-standin" '["touch", "/mnt/marker-via"]'
rm -f "$T/out/marker-via"
out=$(CONFINE_POLICY=$T/via-standin.json "$SHIM" run -b "$T/via-standin" "$ID-via" 2>&1 </dev/null); rc=$?
n=$(grep -c "\"component\":\"shim\".*\"id\":\"$ID-via\"\|\"id\":\"$ID-via\".*\"component\":\"shim\"" "$DECISIONS")
if [ "$rc" = 0 ] && [ -e "$T/out/marker-via" ] && [ "$n" = 1 ]; then
  pass confine-runtime-runs-what-a-standin-copy-stands-in-for-judged-once
else
  fail confine-runtime-runs-what-a-standin-copy-stands-in-for-judged-once "rc=$rc shim decisions=$n: $out"
fi
# A stand-in whose displaced runtime is the shim again (another copy) is
# refused before anything runs: it would exec itself in a loop.
mkdir -p "$T/loop"
cp "$SHIM" "$T/loop/runc"
cp "$SHIM" "$T/loop/runc.real"
out=$("$T/loop/runc" --root "$T/pt-root" state some-id 2>&1 </dev/null); rc=$?
if [ "$rc" = 1 ] && grep -q "^confine: refused: the runtime \`$T/loop/runc.real\` is confine-runtime itself" <<<"$out"; then
  pass standin-refuses-a-copy-of-itself-as-the-runtime
else
  fail standin-refuses-a-copy-of-itself-as-the-runtime "rc=$rc: $out"
fi

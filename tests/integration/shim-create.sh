#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The engine path, create then start then delete, through confine-runtime
# in front of the real runc: `create` writes no hook into config.json,
# runs the real create as a child and checks what runc and the kernel set
# up for the waiting init (runc's own state.json, the mounts, namespaces,
# capabilities, no_new_privs, seccomp mode and cwd) before the container's
# first instruction. A container whose setup differs from the judged spec
# is killed and deleted, and its command never runs.
#
# To make runc's setup differ from what the shim judged, the policy's
# runtime is `diverge-runc`: the real runc, after one change made between
# the shim's judgement and runc's read (a bind source's link retargeted,
# the filter dropped from config.json, a capability added, ...), as a race
# or a runtime that reads differently would. Not a mock: runc and the
# kernel do everything, the script only wins the race on purpose.
# Needs root, runc, jq and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

shim_engine_setup shim-create shimcreate
mkdir -p "$T/safe"

# data_bundle DIR ARGS-JSON: new_bundle (tests/lib/assert.sh, $T/out bound
# at /mnt for markers) with $T/data (a link to $T/safe) also bound at /data.
data_bundle () {
  new_bundle "$1" "$2" ".mounts += [{\"destination\": \"/data\", \"type\": \"bind\",
                                    \"source\": \"$T/data\", \"options\": [\"rbind\", \"ro\"]}]"
}
ln -sfn "$T/safe" "$T/data"

status_of () { runc state "$1" 2>/dev/null | jq -r .status; }
last_create () { grep '"action":"create"' "${1:-$DECISIONS}" | grep "\"id\":\"$2\"" | tail -n 1; }

# --- the engine path, allowed ------------------------------------------------

data_bundle "$T/ok" '["sh", "-c", "grep Seccomp: /proc/self/status > /mnt/ok"]'
hooks_before=$(cat "$DECISIONS" 2>/dev/null | grep -c '"component":"hook"')
"$SHIM" --log "$T/ok.log" --log-format json create --pid-file "$T/ok.pid" -b "$T/ok" "$ID-ok" \
  </dev/null >/dev/null 2>"$T/ok.err"; rc=$?
if [ "$rc" = 0 ] && [ "$(status_of "$ID-ok")" = created ] && [ ! -e "$T/out/ok" ] \
   && jq -e '(.hooks // {}) | [.[][]?] | length == 0' "$T/ok/config.json" >/dev/null; then
  pass "engine-create-writes-no-hook-and-leaves-the-container-created"
else
  fail "engine-create-writes-no-hook-and-leaves-the-container-created" \
    "rc=$rc status=$(status_of "$ID-ok") hooks=$(jq -c .hooks "$T/ok/config.json") $(cat "$T/ok.err")"
fi
hooks_after=$(cat "$DECISIONS" 2>/dev/null | grep -c '"component":"hook"')
if [ "$hooks_after" = "$hooks_before" ] \
   && last_create "$DECISIONS" "$ID-ok" | jq -e '.component == "shim" and .verdict == "allow"
        and (.rules.mounts.fact | contains("mounts the kernel made"))
        and (.rules.seccomp.fact | contains("after create, pid"))
        and (.rules.capabilities.fact | contains("after create"))
        and (.rules.namespaces.fact | contains("after create"))
        and (.rules.cwd.fact | contains("after create"))' >/dev/null; then
  pass "engine-create-is-judged-once-with-the-init's-live-facts-and-no-hook-runs"
else
  fail "engine-create-is-judged-once-with-the-init's-live-facts-and-no-hook-runs" \
    "hook decisions $hooks_before -> $hooks_after; $(last_create "$DECISIONS" "$ID-ok")"
fi
"$SHIM" start "$ID-ok" </dev/null >/dev/null 2>>"$T/ok.err"; rc=$?
for _ in $(seq 50); do [ -s "$T/out/ok" ] && break; sleep 0.1; done
if [ "$rc" = 0 ] && grep -q "Seccomp:[[:space:]]*2" "$T/out/ok"; then
  pass "engine-start-runs-the-verified-container-filtered"
else
  fail "engine-start-runs-the-verified-container-filtered" "rc=$rc out=$(cat "$T/out/ok" 2>&1) $(cat "$T/ok.err")"
fi
for _ in $(seq 50); do [ "$(status_of "$ID-ok")" = stopped ] && break; sleep 0.1; done
"$SHIM" delete "$ID-ok" >/dev/null 2>&1
if [ -z "$(status_of "$ID-ok")" ] && [ ! -e "/run/runc/$ID-ok" ]; then
  pass "engine-delete-leaves-nothing"
else
  fail "engine-delete-leaves-nothing" "status=$(status_of "$ID-ok")"
fi

# A bundle a previous shim wrote, with confine's own hook already in it:
# judged as before (the hooks rule knows its own), nothing added, and runc
# runs that hook, which allows it too.
data_bundle "$T/old" '["true"]'
jq --arg h "$BUILD/confine-hook" --arg p "$POLICY" '.hooks.createRuntime = [{"path": $h,
      "args": ["confine-hook", "--policy", $p],
      "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "timeout": 30}]' \
  "$T/old/config.json" > "$T/old/c.json" && mv "$T/old/c.json" "$T/old/config.json"
"$SHIM" create -b "$T/old" "$ID-old" </dev/null >/dev/null 2>"$T/old.err"; rc=$?
if [ "$rc" = 0 ] && [ "$(jq '.hooks.createRuntime | length' "$T/old/config.json")" = 1 ] \
   && grep -q "\"component\":\"hook\",\"action\":\"create\",\"id\":\"$ID-old\".*\"verdict\":\"allow\"" "$DECISIONS"; then
  pass "bundle-with-confine's-hook-from-a-previous-shim-is-judged-and-its-hook-runs"
else
  fail "bundle-with-confine's-hook-from-a-previous-shim-is-judged-and-its-hook-runs" \
    "rc=$rc hooks=$(jq -c .hooks "$T/old/config.json") $(cat "$T/old.err")"
fi
runc delete --force "$ID-old" >/dev/null 2>&1

# --- runc set up something else than what was judged ---------------------------

cat > "$T/diverge-runc" <<'EOF'
#!/bin/bash
# The real runc, after one change between the shim's judgement and runc's
# read of the bundle (DIVERGE names it).
b=. prev= create=0
for a; do
  case $prev in -b|--bundle) b=$a ;; esac
  case $a in create) create=1 ;; --bundle=*) b=${a#--bundle=} ;; esac
  prev=$a
done
edit () { jq "$1" "$b/config.json" > "$b/config.json.d" && mv "$b/config.json.d" "$b/config.json"; }
if [ "$create" = 1 ]; then
  case ${DIVERGE:-} in
    swap) ln -sfn /etc "$DIVERGE_LINK" ;;
    appear) mkdir -p "$DIVERGE_NEW" && : > "$DIVERGE_NEW/docker.sock" ;;
    seccomp) edit 'del(.linux.seccomp)' ;;
    caps) edit '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])' ;;
    netns) edit '.linux.namespaces |= map(select(.type != "network"))' ;;
    nnp) edit '.process.noNewPrivileges = false' ;;
    bundle)
      args=()
      for a; do if [ "$a" = "$b" ]; then args+=("$DIVERGE_BUNDLE"); else args+=("$a"); fi; done
      exec runc "${args[@]}" ;;
  esac
fi
exec runc "$@"
EOF
chmod 0755 "$T/diverge-runc"
DIV=$T/diverge.json
test_policy "$DIV" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"$T/diverge-runc\" | .rules.no_new_privileges = \"deny\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""

# diverged NAME DIVERGE 'fact pattern': the shim refuses after create with
# one line naming the live fact, the container is gone, its command never
# ran (not at create, not at a later start), and the refusal is the last
# error in runc's log and in the decision log.
diverged () {
  local name=$1 what=$2 pattern=$3 id=$ID-$2 marker=$T/out/ran-$2
  data_bundle "$T/$what" "[\"sh\", \"-c\", \"touch /mnt/ran-$what\"]"
  ln -sfn "${DATA_TARGET:-$T/safe}" "$T/data"
  DIVERGE=$what DIVERGE_LINK=$T/data DIVERGE_BUNDLE=$T/other DIVERGE_NEW=$T/new CONFINE_POLICY=$DIV \
    "$SHIM" --log "$T/$what.log" --log-format json create --pid-file "$T/$what.pid" -b "$T/$what" "$id" \
    </dev/null >/dev/null 2>"$T/$what.err"
  local rc=$?
  ln -sfn "$T/safe" "$T/data"
  CONFINE_POLICY=$DIV "$SHIM" start "$id" </dev/null >/dev/null 2>&1
  sleep 0.2
  if [ "$rc" = 1 ] && [ "$(wc -l < "$T/$what.err")" = 1 ] \
     && grep -q "^confine: refused: .*$pattern" "$T/$what.err" && grep -q "deleted after create" "$T/$what.err" \
     && [ -z "$(status_of "$id")" ] && [ ! -e "/run/runc/$id" ] && [ ! -e "$marker" ]; then
    pass "$name"
  else
    fail "$name" "rc=$rc status=$(status_of "$id") marker=$([ -e "$marker" ] && echo ran) $(cat "$T/$what.err")"
  fi
  if tail -n 1 "$T/$what.log" | jq -e '.level == "error" and (.msg | startswith("confine: refused:"))' >/dev/null \
     && last_create "$T/diverge.log" "$id" | jq -e '.verdict == "refuse"' >/dev/null; then
    pass "$name-is-the-last-error-in-runc's-log-and-in-the-decision-log"
  else
    fail "$name-is-the-last-error-in-runc's-log-and-in-the-decision-log" \
      "$(tail -n 1 "$T/$what.log") / $(last_create "$T/diverge.log" "$id")"
  fi
}

diverged "bind-source-retargeted-to-/etc-after-judgement-is-refused-after-create" swap \
  "mounts: the kernel mounted the host's \`/etc\` .* at \`/data\`"
# A bind source that did not exist when judged (a missing tail holds
# nothing), made between the judgement and runc's mount with a file a
# mounts.sensitive pattern names: the check after create looks the
# mounted directory up again, not as the judgement found it (the two
# share only the policy's lists, resolved once).
DATA_TARGET=$T/new diverged "bind-source-made-after-judgement-holding-docker.sock-is-refused-after-create" \
  appear "mounts: the kernel mounted the host's \`$T/new\` at \`/data\`, which holds"
rm -rf "$T/new"
diverged "filter-dropped-behind-the-shim's-back-is-refused-after-create" seccomp \
  "seccomp: after create, pid [0-9]* has Seccomp: 0"
diverged "capability-added-behind-the-shim's-back-is-refused-after-create" caps \
  "capabilities: after create, pid [0-9]* holds CAP_SYS_ADMIN in its bounding set"
diverged "namespace-dropped-behind-the-shim's-back-is-refused-after-create" netns \
  "namespaces: the container's init (pid [0-9]*) is in the host's network namespace"
diverged "no-new-privs-dropped-behind-the-shim's-back-is-refused-after-create" nnp \
  "no_new_privileges: after create, pid [0-9]* has NoNewPrivs: 0"
# runc reading its command line otherwise than the shim: it creates from
# another bundle than the one judged (one whose command would leave the
# same marker). runc's own state.json says so.
data_bundle "$T/other" '["sh", "-c", "touch /mnt/ran-bundle"]'
diverged "runc-creating-from-another-bundle-than-the-judged-one-is-refused" bundle \
  "runc created the container from bundle \`$T/other\`, not from \`$T/bundle\`, which the gate judged"

# --- audit mode ------------------------------------------------------------------

# The same divergence in audit mode: logged (decision log and syslog), not
# a word on stderr, and the container is left to run.
AUD=$T/audit.json
jq '.mode = "audit"' "$DIV" > "$AUD"
data_bundle "$T/aud" '["sh", "-c", "touch /mnt/ran-audit"]'
DIVERGE=swap DIVERGE_LINK=$T/data CONFINE_POLICY=$AUD "$SHIM" create -b "$T/aud" "$ID-aud" \
  </dev/null >/dev/null 2>"$T/aud.err"; rc=$?
ln -sfn "$T/safe" "$T/data"
if [ "$rc" = 0 ] && [ ! -s "$T/aud.err" ] && [ "$(status_of "$ID-aud")" = created ] \
   && last_create "$T/diverge.log" "$ID-aud" | jq -e '.verdict == "audit-refuse" and .mode == "audit"
        and (.rules.mounts.fact | contains("the kernel mounted the host'"'"'s `/etc`"))' >/dev/null; then
  pass "audit-mode-logs-the-divergence-says-nothing-and-keeps-the-container"
else
  fail "audit-mode-logs-the-divergence-says-nothing-and-keeps-the-container" \
    "rc=$rc status=$(status_of "$ID-aud") err=$(cat "$T/aud.err") $(last_create "$T/diverge.log" "$ID-aud")"
fi
CONFINE_POLICY=$AUD "$SHIM" start "$ID-aud" </dev/null >/dev/null 2>&1
for _ in $(seq 50); do [ -e "$T/out/ran-audit" ] && break; sleep 0.1; done
if [ -e "$T/out/ran-audit" ]; then
  pass "audit-mode-container-runs"
else
  fail "audit-mode-container-runs" "no marker"
fi
runc delete --force "$ID-aud" >/dev/null 2>&1

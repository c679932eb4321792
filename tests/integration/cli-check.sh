#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `confine check` on real Docker configs and exec process files, with a
# fake securityfs: the verdict, the exit code, the per-rule table, the
# JSON form and the seccomp surface.
set -u
. "$(dirname "$0")/../lib/assert.sh"

CONFINE=$BUILD/confine
T=$(mktemp -d /tmp/confine-check.XXXXXX)
trap 'rm -rf "$T"' EXIT

# The fixtures without their network hook: it runs the dockerd that wrote
# them, long gone, and the hooks rule refuses a hook whose file cannot be
# read (shim-devices-hooks.sh judges it on a live dockerd).
FX=$T/fixtures
mkdir "$FX"
for f in "$ROOT"/tests/fixtures/docker/*.json; do
  jq "del(.hooks) | $SHIM_DEVICES" "$f" >"$FX/${f##*/}"
done

make_securityfs "$T/sfs" "docker-default (enforce)" "loose (complain)"
test_policy "$T/policy.json" "$T/sfs"
P=(--policy "$T/policy.json")

# run NAME ARGS...: sets $out (stdout), $errout (stderr) and $rc.
run () {
  out=$("$CONFINE" "$@" 2>"$T/stderr"); rc=$?
  errout=$(cat "$T/stderr")
}

expect_rc () {
  local name=$1 want=$2
  if [ "$rc" = "$want" ]; then pass "$name"; else fail "$name" "exit $rc, want $want: $out $errout"; fi
}

# Docker's default config, with the AppArmor profile Docker would set on
# an AppArmor host (the fixtures were captured without AppArmor).
jq -c '.process.apparmorProfile = "docker-default"' "$FX/default.json" >"$T/default-aa.json"
run check "${P[@]}" "$T/default-aa.json"
expect_rc cli-check-default-allowed 0
if grep -qE '^apparmor +pass +AppArmor profile `docker-default` is loaded in enforce mode' <<<"$out" &&
   grep -qE '^seccomp +pass ' <<<"$out" && grep -q '^verdict: allowed' <<<"$out"; then
  pass cli-check-default-table
else
  fail cli-check-default-table "unexpected table: $out"
fi

# The same as a bundle directory.
mkdir -p "$T/bundle"
cp "$T/default-aa.json" "$T/bundle/config.json"
run check "${P[@]}" "$T/bundle"
expect_rc cli-check-bundle-dir-allowed 0

# The captured default as is: no AppArmor profile set, so refused by that
# rule alone.
run check "${P[@]}" "$FX/default.json"
expect_rc cli-check-default-without-apparmor-refused 1
check cli-check-names-apparmor-rule grep -q '^verdict: refused by apparmor$' <<<"$out"

# A profile in complain mode confines nothing: refused for its mode, under
# a policy that lists it (so its name does not decide).
jq -c '.process.apparmorProfile = "loose"' "$FX/default.json" >"$T/loose.json"
test_policy "$T/loose-listed.json" "$T/sfs" '.apparmor.allowed_profiles += ["loose"]'
run check --no-log --policy "$T/loose-listed.json" "$T/loose.json"
expect_rc cli-check-complain-profile-refused 1
check cli-check-complain-profile-refused-for-its-mode grep -qE '^apparmor +FAIL .*in complain mode' <<<"$out"

# --privileged: refused, and the table names every rule that failed.
run check "${P[@]}" "$FX/privileged.json"
expect_rc cli-check-privileged-refused 1
missing=
for r in capabilities devices masked_paths seccomp; do
  grep -qE "^$r +FAIL " <<<"$out" || missing="$missing $r"
done
if [ -z "$missing" ]; then pass cli-check-privileged-lists-rules
else fail cli-check-privileged-lists-rules "no FAIL line for:$missing in: $out"; fi

# --json: parses, and has every rule's result.
run check "${P[@]}" --json "$FX/privileged.json"
expect_rc cli-check-json-exit-code 1
if jq -e . >/dev/null 2>&1 <<<"$out"; then pass cli-check-json-parses
else fail cli-check-json-parses "not JSON: $out"; fi
# The registry's rows, in order (src/registry.h is the one list of rules).
check cli-check-json-all-rules test \
  "$(jq -r '.rules | keys_unsorted | join(",")' <<<"$out")" \
  = "$(sed -n 's/^ *X ([A-Z_]*, \([a-z_]*\),.*/\1/p' "$ROOT/src/registry.h" | paste -sd,)"
check cli-check-json-rule-results test \
  "$(jq -r '[.verdict, .rules.capabilities.result, .rules.devices.verdict, .rules.namespaces.result,
            .rules.no_new_privileges.verdict, .rules.masked_paths.policy_key] | join(" ")' <<<"$out")" \
  = "refuse fail fail pass warn masked_paths.required"
run check "${P[@]}" --json "$T/default-aa.json"
check cli-check-json-allowed test "$(jq -r '"\(.verdict) \(.refused)"' <<<"$out")" = "allow false"

# The seccomp surface of a weak profile (default allow, a few denials):
# nonzero counts per ABI, and the must_block syscalls that leak, by name.
run check "${P[@]}" "$FX/weak-seccomp.json"
expect_rc cli-check-weak-seccomp-refused 1
if grep -qE '^  x86_64 +[1-9][0-9]*/[1-9][0-9]* syscalls allowed' <<<"$out"; then
  pass cli-check-surface-counts
else
  fail cli-check-surface-counts "no nonzero x86_64 surface line: $out"
fi
leaks=$(sed -n 's/^  must_block syscalls that get through: //p' <<<"$out")
if grep -qw bpf <<<"$leaks" && grep -qw unshare <<<"$leaks" && ! grep -qw mount <<<"$leaks" &&
   ! grep -qw keyctl <<<"$leaks"; then
  pass cli-check-surface-names-leaks
else
  fail cli-check-surface-names-leaks "want bpf and unshare, not mount or keyctl (the profile denies those): $leaks"
fi
run check "${P[@]}" --json "$FX/weak-seccomp.json"
check cli-check-json-surface test \
  "$(jq -r '[.seccomp.surface[] | select(.allowed > 0 and .allowed <= .total)] | length > 0' <<<"$out")" = true
check cli-check-json-unblocked test \
  "$(jq -r '.seccomp.unblocked | (index("bpf") != null) and (index("mount") == null)' <<<"$out")" = true
# Docker's default profile: smaller surface, nothing leaks.
run check "${P[@]}" --json "$T/default-aa.json"
check cli-check-default-surface-smaller test \
  "$(jq -r '.seccomp.surface[] | select(.abi == "x86_64") | .allowed' <<<"$out")" -lt \
  "$(run check "${P[@]}" --json "$FX/weak-seccomp.json"; jq -r '.seccomp.surface[] | select(.abi == "x86_64") | .allowed' <<<"$out")"

# Exec process files. The process rules (AppArmor, capabilities,
# noNewPrivileges) apply; the container rules are skipped.
jq '.apparmorProfile = "docker-default"' "$FX/exec-process.json" >"$T/exec-aa.json"
run check "${P[@]}" "$T/exec-aa.json"
expect_rc cli-check-exec-process-allowed 0
check cli-check-exec-process-detected grep -q ': exec process$' <<<"$out"
run check "${P[@]}" --json "$FX/exec-process.json"
check cli-check-exec-process-rules test \
  "$(jq -r '[.kind, .rules.capabilities.result, .rules.seccomp.result, .rules.mounts.result] | join(" ")' <<<"$out")" \
  = "process pass skip skip"
jq '.apparmorProfile = "docker-default"' "$FX/exec-privileged-process.json" >"$T/exec-priv-aa.json"
run check "${P[@]}" "$T/exec-priv-aa.json"
expect_rc cli-check-exec-privileged-refused 1
check cli-check-exec-privileged-by-caps grep -q '^verdict: refused by capabilities$' <<<"$out"

# Audit mode: the same refusal is reported, and the exit code is the
# gate's: allowed.
test_policy "$T/audit.json" "$T/sfs" '.mode = "audit"'
run check --policy "$T/audit.json" "$FX/privileged.json"
expect_rc cli-check-audit-mode-exit-0 0
check cli-check-audit-mode-says-would-refuse grep -q 'enforce would refuse' <<<"$out"

# An exemption waives a rule and the table says so.
test_policy "$T/exempt.json" "$T/sfs" \
  '.exemptions = [{"rules": ["apparmor"], "id": "ci-.*", "comment": "CI runners"}]'
# (Its cgroup renamed after the id it is checked as, as Docker names it.)
jq '.linux.cgroupsPath = "/docker/ci-42"' "$FX/default.json" >"$T/ci-42.json"
run check --policy "$T/exempt.json" --id ci-42 "$T/ci-42.json"
expect_rc cli-check-exemption-allows 0
check cli-check-exemption-shown grep -qE '^apparmor +exempt .*CI runners' <<<"$out"

# Decision log: written only with --log (a check is not a start); then
# one line, component cli. --no-log is still accepted.
log=$T/policy.log
rm -f "$log"
run check "${P[@]}" "$FX/default.json"
check cli-check-not-logged-by-default test ! -s "$log"
run check "${P[@]}" --no-log "$FX/default.json"
check cli-check-no-log-accepted test "$rc/$(cat "$log" 2>/dev/null | wc -l)" = 1/0
run check "${P[@]}" --log "$FX/default.json"
check cli-check-logged-when-asked test \
  "$(jq -r 'select(.component == "cli") | "\(.component) \(.verdict)"' "$log")" = "cli refuse"

# The same bundle, whatever the spelling of its path: a relative bind
# source is joined to the bundle's absolute path, as runc does. `etc`
# inside the bundle is harmless; joined to / it would be the host's /etc.
mkdir -p "$T/rel/bundle/etc"
jq '.mounts += [{"destination": "/mnt", "type": "bind", "source": "etc", "options": ["rbind"]}]' \
  "$T/default-aa.json" >"$T/rel/bundle/config.json"
verdicts=
for at in "/:$T/rel/bundle" "$T/rel:bundle" "$T/rel:./bundle/" "$T/rel:bundle/config.json" \
          "$T/rel/bundle:." "$T/rel/bundle:config.json" "$T/rel/bundle/etc:../config.json"; do
  (cd "${at%%:*}" && "$CONFINE" check "${P[@]}" --json "${at#*:}" 2>/dev/null) >"$T/rel.out"
  verdicts="$verdicts $(jq -r '"\(.verdict)/\(.rules.mounts.result)"' "$T/rel.out")"
done
check cli-check-relative-path-same-verdict test "$verdicts" = \
  "$(printf ' allow/pass%.0s' 1 2 3 4 5 6 7)"
# Positive control: a source that is the host's /etc, written absolutely.
jq '.mounts[-1].source = "/etc"' "$T/rel/bundle/config.json" >"$T/rel/abs.json"
run check "${P[@]}" --json "$T/rel/abs.json"
check cli-check-relative-path-control test "$(jq -r .rules.mounts.result <<<"$out")" = fail

# A refused rule says how to allow it: the change or key, and the
# exemption for one container.
jq '.linux.cgroupsPath = "/docker/web-1"' "$FX/cap-add-sys-admin.json" >"$T/web-1.json"
run check "${P[@]}" --id web-1 "$T/web-1.json"
if grep -qE '^ +to allow: drop these capabilities .*capabilities.forbidden' <<<"$out" &&
   grep -qF 'exemptions: {"rules": ["apparmor", "seccomp", "capabilities"], "id": "web-1"}' <<<"$out"; then
  pass cli-check-hints
else
  fail cli-check-hints "$out"
fi
run check "${P[@]}" --json "$FX/cap-add-sys-admin.json"
check cli-check-json-hint test "$(jq -r '(.rules.capabilities.hint | length > 0) and (.rules.namespaces.hint == null)' <<<"$out")" = true

# Input and usage errors: exit 2.
run check "${P[@]}" "$T/nonexistent.json"
expect_rc cli-check-missing-path-exit-2 2
printf '{"ociVersion": "1.0.2", "linux": ' >"$T/truncated.json"
run check "${P[@]}" "$T/truncated.json"
expect_rc cli-check-invalid-json-exit-2 2
printf '{"ociVersion": "1.0.2", "ociVersion": "1.0.2"}' >"$T/dup.json"
run check "${P[@]}" "$T/dup.json"
expect_rc cli-check-duplicate-key-exit-2 2
run check "${P[@]}"
expect_rc cli-check-no-path-exit-2 2
run check --policy "$T/nonexistent-policy.json" "$FX/default.json"
expect_rc cli-check-missing-policy-exit-2 2

# A policy the gate would refuse (not root-owned, or group-writable) is
# still read by check, with a warning on stderr.
cp "$T/policy.json" "$T/weak-owner.json"
chmod 0666 "$T/weak-owner.json"
run check --policy "$T/weak-owner.json" "$T/default-aa.json"
expect_rc cli-check-weak-policy-still-checks 0
check cli-check-weak-policy-warns grep -q 'warning: policy .* not owned by root or is writable' <<<"$errout"

# --help, help and --version follow the conventions: stdout, exit 0.
for args in "--help" "help" "check --help"; do
  # shellcheck disable=SC2086
  run $args
  if [ "$rc" = 0 ] && grep -q '^usage: confine' <<<"$out"; then pass "cli-help-${args// /-}"
  else fail "cli-help-${args// /-}" "exit $rc: $out"; fi
done
run --version
if [ "$rc" = 0 ] && grep -qE '^confine [0-9]+\.[0-9]+' <<<"$out"; then pass cli-version
else fail cli-version "exit $rc: $out"; fi
run frobnicate
expect_rc cli-unknown-command-exit-2 2

# --inject predicts the shim: the same verdict as confine-runtime run
# on the same bundle (the real runtime replaced by `true`, so only the
# gate's decision is observed), with the changes the shim logs.
make_securityfs "$T/sfs-inj" "docker-default (enforce)" "confine-default (enforce)"
test_policy "$T/inject.json" "$T/sfs-inj" \
  ".runtime = \"/bin/true\" | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
ilog=$T/inject.log
agree=
for fx in seccomp-unconfined default cap-add-sys-admin privileged restrictive-seccomp; do
  rm -rf "$T/inj"; mkdir -p "$T/inj"
  # Its cgroup named after the id the shim runs it as, as Docker names it.
  jq --arg id "inj-$fx" '.linux.cgroupsPath = "/docker/" + $id' "$FX/$fx.json" >"$T/inj/config.json"
  run check --policy "$T/inject.json" --inject --json "$T/inj"
  predicted=$(jq -r '"\(.verdict) \(.changes | length)"' <<<"$out")
  : >"$ilog"
  CONFINE_POLICY=$T/inject.json "$BUILD/confine-runtime" run --bundle "$T/inj" "inj-$fx" \
    >/dev/null 2>&1 </dev/null
  shim=$(jq -rs '.[-1] | "\(.verdict) \(.changes // [] | length)"' "$ilog")
  [ "$predicted" = "$shim" ] || agree="$agree $fx: check says '$predicted', the shim '$shim';"
done
check cli-check-inject-predicts-shim test -z "$agree"
# Without --inject, a spec the shim would fix is refused as it stands.
run check --policy "$T/inject.json" --json "$FX/seccomp-unconfined.json"
check cli-check-without-inject-as-is test "$(jq -r '"\(.verdict) \(.changes)"' <<<"$out")" = "refuse null"
run check --policy "$T/inject.json" --inject "$FX/seccomp-unconfined.json"
if [ "$rc" = 0 ] && grep -q '^as the shim would run it:$' <<<"$out" &&
   grep -q '^  linux.seccomp: the default profile .* injected' <<<"$out"; then
  pass cli-check-inject-lists-changes
else
  fail cli-check-inject-lists-changes "exit $rc: $out"
fi

# `confine warm`: each config judged as `check --inject` judges it, which
# leaves the same seccomp verdicts in the cache (install.sh and
# confine-warm.service at boot rely on it), one line per config on stdout;
# one that cannot be judged is named on stderr and fails the run, while
# the others are still warmed.
warm_policy () { jq --arg c "$2" '.cache_dir = $c' "$T/inject.json" >"$1"; }
mkdir -p "$T/warm" "$T/warm-bundle"
cp "$FX/default.json" "$FX/seccomp-unconfined.json" "$T/warm/"
echo 'not a config' >"$T/warm/README"
warm_policy "$T/warm-check.json" "$T/warm-check-cache"
for f in default seccomp-unconfined; do
  "$CONFINE" check --policy "$T/warm-check.json" --inject "$T/warm/$f.json" >/dev/null 2>&1
done
warm_policy "$T/warm-one.json" "$T/warm-one-cache"
run warm --policy "$T/warm-one.json" "$T/warm"
if [ "$rc" = 0 ] && [ -z "$errout" ] &&
   [ "$out" = "$T/warm/default.json: $(jq -r .verdict <<<"$("$CONFINE" check --policy "$T/warm-check.json" --inject --json "$T/warm/default.json")")
$T/warm/seccomp-unconfined.json: allow" ] &&
   [ -n "$(ls "$T/warm-check-cache")" ] &&
   [ "$(ls "$T/warm-one-cache")" = "$(ls "$T/warm-check-cache")" ]; then
  pass cli-warm-caches-what-check-inject-does
else
  fail cli-warm-caches-what-check-inject-does "exit $rc: $out $errout; cache $(ls "$T/warm-one-cache" 2>&1 | tr '\n' ' ') want $(ls "$T/warm-check-cache" | tr '\n' ' ')"
fi
echo '{"linux": ' >"$T/warm/broken.json"
cp "$FX/default.json" "$T/warm-bundle/config.json"
warm_policy "$T/warm-two.json" "$T/warm-two-cache"
run warm --policy "$T/warm-two.json" "$T/warm" "$T/warm-bundle"
if [ "$rc" = 2 ] && [ "$(grep -c . <<<"$errout")" = 1 ] && grep -q "^confine: \`$T/warm/broken.json\`: " <<<"$errout" &&
   [ "$(grep -c . <<<"$out")" = 3 ] && grep -qx "$T/warm-bundle: .*" <<<"$out" &&
   [ "$(ls "$T/warm-two-cache")" = "$(ls "$T/warm-check-cache")" ]; then
  pass cli-warm-names-a-broken-config-and-warms-the-rest
else
  fail cli-warm-names-a-broken-config-and-warms-the-rest "exit $rc: $out / $errout"
fi
mkdir -p "$T/warm-empty"
run warm --policy "$T/warm-two.json" "$T/warm-empty"
if [ "$rc" = 2 ] && grep -q "^confine: \`$T/warm-empty\`: no container configs" <<<"$errout"; then
  pass cli-warm-empty-directory-is-an-error
else
  fail cli-warm-empty-directory-is-an-error "exit $rc: $out / $errout"
fi

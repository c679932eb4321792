#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# seccomp_needs with real runc: the seed's restrictive profile passes the
# seccomp rule but denies syscalls runc itself makes after loading the
# filter. The gate warns, naming them (fstatfs among them), and runc does
# fail with it, with and without noNewPrivileges. Allowing exactly the
# named syscalls silences the warning and the container runs: the list is
# what runc needs, not a guess.
set -u
. "$(dirname "$0")/../lib/assert.sh"

runc_state_setup needs

make_rootfs "$T/rootfs"
mkdir -p "$T/marks" "$T/nosfs"
test_policy "$T/policy.json" "$T/nosfs" '.apparmor.when_unavailable = "skip"'
RESTRICTIVE=$(jq -c '.linux.seccomp' "$ROOT/tests/fixtures/docker/restrictive-seccomp.json")

# bundle NAME NNP SECCOMP: busybox writing a marker, confined by SECCOMP,
# with the hook at createRuntime.
bundle () {
  hook_bundle "$1" "$T/policy.json" "echo ran > /marks/$1" \
    ".process.noNewPrivileges = $2 | .linux.seccomp = $3"
}

# needs BUNDLE: the seccomp_needs result as JSON, from confine check.
needs () {
  "$BUILD/confine" check --json --policy "$T/policy.json" "$1" | jq -c '.rules.seccomp_needs'
}

for nnp in false true; do
  b=$(bundle "restrictive-$nnp" "$nnp" "$RESTRICTIVE")
  r=$(needs "$b")
  if jq -e '.verdict == "warn" and (.fact | test("fstatfs"))' <<<"$r" > /dev/null; then
    pass "noNewPrivileges=$nnp: confine check warns that the seed's restrictive profile denies fstatfs, which runc needs"
  else
    fail "noNewPrivileges=$nnp: restrictive profile warning" "$r"
  fi
  if "$BUILD/confine" check --policy "$T/policy.json" "$b" > /dev/null; then
    pass "noNewPrivileges=$nnp: the warning does not refuse (confine check exits 0)"
  else
    fail "noNewPrivileges=$nnp: the warning does not refuse" "confine check exited $?"
  fi

  # What the warning predicts: runc fails, after the gate let it through.
  # Usually at fstatfs; sometimes earlier, when the Go runtime's preemption
  # signal lands after the load and its rt_sigreturn is denied, which
  # kills runc init ("container process is already dead").
  : > "$T/policy.log"
  if ! runc --root "$STATE" run --bundle "$b" "r-$nnp" > "$T/out" 2>&1 < /dev/null \
     && grep -Eq 'ensure /proc/self/fd is on procfs: operation not permitted|container process is already dead' "$T/out" \
     && [ ! -e "$T/marks/restrictive-$nnp" ]; then
    pass "noNewPrivileges=$nnp: runc indeed fails with the restrictive profile (ensure /proc/self/fd is on procfs)"
  else
    fail "noNewPrivileges=$nnp: runc fails with the restrictive profile" "$(cat "$T/out")"
  fi
  if jq -e 'select(.component == "hook") | .verdict == "allow"
            and .rules.seccomp_needs.result == "fail" and .rules.seccomp_needs.severity == "warn"' \
       "$T/policy.log" > /dev/null 2>&1; then
    pass "noNewPrivileges=$nnp: the hook allowed the start and logged the seccomp_needs warning"
  else
    fail "noNewPrivileges=$nnp: the hook logged the warning" "$(cat "$T/policy.log")"
  fi
  runc --root "$STATE" delete -f "r-$nnp" > /dev/null 2>&1

  # Positive control: allow exactly what the warning named about runc.
  named=$(jq -c '.fact | capture("after loading it \\([^)]*\\): (?<l>[^;]*), which").l
                 | split(", ")' <<<"$r")
  fixed=$(jq -c --argjson add "$named" '.syscalls[0].names += $add' <<<"$RESTRICTIVE")
  b=$(bundle "fixed-$nnp" "$nnp" "$fixed")
  r=$(needs "$b")
  if jq -e '.fact | test("makes after loading it[^;]*: none")' <<<"$r" > /dev/null; then
    pass "noNewPrivileges=$nnp: allowing the named syscalls ($named) silences the runc part of the warning"
  else
    fail "noNewPrivileges=$nnp: allowing the named syscalls silences the warning" "$r"
  fi
  if runc --root "$STATE" run --bundle "$b" "f-$nnp" > "$T/out" 2>&1 < /dev/null \
     && grep -q ran "$T/marks/fixed-$nnp"; then
    pass "noNewPrivileges=$nnp: with exactly those syscalls allowed, runc starts the container"
  else
    fail "noNewPrivileges=$nnp: runc starts the fixed profile" "$(cat "$T/out")"
  fi
done

# Docker's default profile needs nothing more.
b=$(bundle docker false "$(jq -c '.linux.seccomp' "$ROOT/tests/fixtures/docker/default.json")")
r=$(needs "$b")
if jq -e '.verdict == "pass"' <<<"$r" > /dev/null; then
  pass "Docker's default profile allows everything runc and ordinary programs need"
else
  fail "Docker's default profile passes seccomp_needs" "$r"
fi

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Namespace clones judged for every flags value, with real runc. A filter
# that denies clone for each CLONE_NEW* flag by exact value (what judging
# a few sampled values would pass) lets clone(CLONE_NEWUSER|SIGCHLD)
# through: shown from inside a container under plain runc, where a small
# static program creates a user namespace. The gate refuses that filter
# before the program runs. A filter that denies each flag by mask passes
# the gate, and inside it the same program's clone fails.
set -u
. "$(dirname "$0")/../lib/assert.sh"

runc_state_setup clone

make_rootfs "$T/rootfs"
mkdir -p "$T/marks" "$T/nosfs"
test_policy "$T/policy.json" "$T/nosfs" '.apparmor.when_unavailable = "skip"'
cat > "$T/userns.c" <<'EOF'
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int
main (void)
{
  long pid = syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid < 0)
    {
      perror ("clone(CLONE_NEWUSER|SIGCHLD)");
      return 1;
    }
  if (pid == 0)
    _exit (0);
  waitpid ((pid_t) pid, NULL, 0);
  puts ("created a user namespace");
  return 0;
}
EOF
cc -static -O2 -o "$T/rootfs/bin/userns" "$T/userns.c" \
  || { fail "clone-setup" "cannot build a static test program"; exit 1; }

# filter CLONE-RULE: allow by default; deny the policy's must_block and
# clone3, and clone as CLONE-RULE says, for each CLONE_NEW* flag.
FLAGS='[131072, 33554432, 67108864, 134217728, 268435456, 536870912, 1073741824]'
filter () {
  jq -c --argjson blk "$(jq -c '.seccomp.must_block' "$T/policy.json")" --argjson flags "$FLAGS" "
    {defaultAction: \"SCMP_ACT_ALLOW\",
     architectures: [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],
     syscalls: ([{names: (\$blk + [\"clone3\"]), action: \"SCMP_ACT_ERRNO\"}]
                + (\$flags | map({names: [\"clone\"], action: \"SCMP_ACT_ERRNO\", args: [$1]})))}" -n
}
EXACT=$(filter '{index: 0, value: ., op: "SCMP_CMP_EQ"}')
MASKED=$(filter '{index: 0, value: ., valueTwo: ., op: "SCMP_CMP_MASKED_EQ"}')

# bundle NAME SECCOMP HOOK: the program, its output kept in /marks/NAME.
bundle () {
  hook_bundle "$1" "$T/policy.json" "userns > /marks/$1 2>&1; echo rc=\$? >> /marks/$1" \
    ".linux.seccomp = $2 | if $3 then . else del(.hooks.createRuntime) end"
}
run () { runc --root "$STATE" run --bundle "$1" "$2" > "$T/out" 2>&1 < /dev/null; }

# The leak is real: without the gate, the exact-value filter lets the
# program create a user namespace.
b=$(bundle exact-plain "$EXACT" false)
if run "$b" exact-plain && grep -q 'created a user namespace' "$T/marks/exact-plain"; then
  pass "a filter denying each CLONE_NEW* flag by exact value lets clone(CLONE_NEWUSER|SIGCHLD) create a user namespace (plain runc)"
else
  fail "the exact-value filter leaks under plain runc" "$(cat "$T/out" "$T/marks/exact-plain" 2>&1)"
fi

# The gate refuses it, before the program runs.
b=$(bundle exact-gated "$EXACT" true)
if ! run "$b" exact-gated && grep -q 'confine: refused: seccomp: .*clone with CLONE_NEW\* flags' "$T/out" \
   && [ ! -e "$T/marks/exact-gated" ]; then
  pass "the hook refuses the exact-value filter (clone with CLONE_NEW* flags) and the program never runs"
else
  fail "the hook refuses the exact-value filter" "$(cat "$T/out")"
fi
"$BUILD/confine" check --policy "$T/policy.json" "$b" > "$T/check" 2>&1
if grep -q 'clone with CLONE_NEW\* flags' "$T/check"; then
  pass "confine check names the namespace-clone leak of the exact-value filter"
else
  fail "confine check names the namespace-clone leak" "$(cat "$T/check")"
fi

# Denying each flag by mask covers every value with that flag: the gate
# allows it, and inside, the clone is denied.
b=$(bundle masked-gated "$MASKED" true)
if run "$b" masked-gated && grep -q 'Operation not permitted' "$T/marks/masked-gated" \
   && grep -q 'rc=1' "$T/marks/masked-gated"; then
  pass "the gate allows a filter denying each CLONE_NEW* flag by mask, and inside it clone(CLONE_NEWUSER|SIGCHLD) fails"
else
  fail "the masked filter is allowed and denies the clone" "$(cat "$T/out" "$T/marks/masked-gated" 2>&1)"
fi

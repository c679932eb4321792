#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Every AppArmor profile shipped in profiles/apparmor compiles: the host
# half of the AppArmor proof (tests/vm loads them into a real AppArmor
# kernel). -Q skips the kernel load and -K the cache, so apparmor_parser
# compiles the profile fully in user space, with the feature set from
# /etc/apparmor/parser.conf, on this host without AppArmor.
# Needs apparmor_parser (package apparmor).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

command -v apparmor_parser >/dev/null || { fail "profiles-setup" "apparmor_parser is not installed"; exit 1; }
T=$(mktemp -d /tmp/profiles.XXXXXX)
trap 'rm -rf "$T"' EXIT

n=0
for f in "$ROOT"/profiles/apparmor/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  case $name in *~|*.md|*.txt|.*) continue ;; esac
  n=$((n + 1))
  if timeout 60 apparmor_parser -QK "$f" >/dev/null 2>"$T/err"; then
    pass "profile-compiles-$name"
  else
    fail "profile-compiles-$name" "$(grep -v 'Cache read/write disabled' "$T/err" | head -n 3 | tr '\n' ' ')"
  fi
done
if [ "$n" -ge 2 ]; then pass "profiles-shipped"; else fail "profiles-shipped" "only $n profiles in profiles/apparmor"; fi

# Control: the check is not vacuous, a broken profile does fail it.
printf 'profile broken {\n  /tmp/** rwx bogus,\n}\n' > "$T/broken"
if apparmor_parser -QK "$T/broken" >/dev/null 2>&1; then
  fail "broken-profile-fails-the-check" "apparmor_parser accepted a syntax error"
else
  pass "broken-profile-fails-the-check"
fi

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `confine audit-summary`: the decisions each rule would have refused in
# audit mode, by rule and container, from a decision log the gate's own
# logger wrote (confine check --log under an audit-mode policy, on real
# Docker configs). The README's jq one-liner must count the same.
set -u
. "$(dirname "$0")/../lib/assert.sh"

CONFINE=$BUILD/confine
FX=$ROOT/tests/fixtures/docker
T=$(mktemp -d /tmp/confine-audit.XXXXXX)
trap 'rm -rf "$T"' EXIT

make_securityfs "$T/sfs" "docker-default (enforce)"
test_policy "$T/audit.json" "$T/sfs" '.mode = "audit" | .exemptions = [{"rules": ["devices"], "id": "trusted"}]'
LOG=$T/audit.log
# Without the network hook of the dockerd that wrote the fixtures (gone),
# and without their cgroup, named by the id they were captured under.
aa () { jq "del(.hooks, .linux.cgroupsPath) | .process.apparmorProfile = \"docker-default\" | $SHIM_DEVICES" "$FX/$1.json" >"$T/$1.json"; echo "$T/$1.json"; }
logged () { "$CONFINE" check --log --policy "$T/audit.json" --id "$1" "$2" >/dev/null 2>&1; }
# web-1: --privileged twice, web-2: --cap-add SYS_ADMIN, trusted:
# --privileged with devices waived, ok-1: Docker's default (allowed).
logged web-1 "$(aa privileged)"
logged web-1 "$(aa privileged)"
logged web-2 "$(aa cap-add-sys-admin)"
logged trusted "$(aa privileged)"
logged ok-1 "$(aa default)"
printf 'not json\n' >>"$LOG"

json=$("$CONFINE" audit-summary --policy "$T/audit.json" --json)
check cli-audit-counts test "$(jq -c '[.decisions, .selected, .unreadable]' <<<"$json")" = '[6,4,1]'
check cli-audit-capabilities-by-container test \
  "$(jq -c '.rules.capabilities | [.decisions, .containers]' <<<"$json")" = '[4,{"web-1":2,"trusted":1,"web-2":1}]'
check cli-audit-exemption-not-counted test "$(jq -c '.rules.devices.containers' <<<"$json")" = '{"web-1":2}'
check cli-audit-allowed-not-counted test \
  "$(jq -r '[.rules[].containers | keys[]] | index("ok-1")' <<<"$json")" = null
check cli-audit-example-fact grep -q 'CAP_SYS_ADMIN' <<<"$(jq -r .rules.capabilities.example <<<"$json")"
out=$("$CONFINE" audit-summary --policy "$T/audit.json")
if grep -qE '^capabilities +4  web-1 \(2\), trusted \(1\), web-2 \(1\)$' <<<"$out" &&
   grep -q '4 audit-refuse' <<<"$out"; then
  pass cli-audit-text
else
  fail cli-audit-text "$out"
fi

# The README's one-liner, taken from the README itself, counts the same.
oneliner=$(sed -n '/^jq -rR .fromjson? | select(.verdict == "audit-refuse")/,/sort -rn$/p' "$ROOT/README.md")
if [ -n "$oneliner" ]; then
  got=$(bash -c "${oneliner//\/var\/log\/confine\/decisions.log/$LOG}" 2>&1 | awk '{print $2" "$3" "$1}' | sort)
  want=$(jq -r '.rules | to_entries[] | .key as $r | .value.containers | to_entries[] | "\($r) \(.key) \(.value)"' <<<"$json" | sort)
  check cli-audit-readme-oneliner-agrees test "$got" = "$want"
else
  fail cli-audit-readme-oneliner-agrees "no one-liner in README.md"
fi

# Errors: no log is exit 2.
"$CONFINE" audit-summary --log "$T/nonexistent" >/dev/null 2>&1
check cli-audit-missing-log-exit-2 test $? = 2

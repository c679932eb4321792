#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The shipped logrotate rule (config/logrotate, /etc/logrotate.d/confine):
# it names the shipped policy's decision log, logrotate accepts it, and a
# real rotation leaves the old decisions in decisions.log.1 while the
# next decision goes to a fresh log with the gate's mode.
set -u
. "$(dirname "$0")/../lib/assert.sh"

RULE=$ROOT/config/logrotate
T=$(mktemp -d /tmp/confine-logrotate.XXXXXX)
trap 'rm -rf "$T"' EXIT
if ! command -v logrotate >/dev/null; then
  fail logrotate-installed "logrotate is not installed (tests/deps.sh installs it)"
  exit 0
fi

log=$(jq -r .decision_log "$ROOT/config/policy.json")
check logrotate-names-the-policy-log grep -qxF "$log {" "$RULE"
if logrotate --debug -s "$T/state" "$RULE" >"$T/debug" 2>&1 && ! grep -qi 'error' "$T/debug"; then
  pass logrotate-rule-parses
else
  fail logrotate-rule-parses "$(cat "$T/debug")"
fi

# The same rule on a log of the test's own.
mkdir -p "$T/log" "$T/sfs"
chmod 0750 "$T/log"
sed "s|^$log {|$T/log/decisions.log {|" "$RULE" >"$T/rule"
test_policy "$T/policy.json" "$T/sfs" ".decision_log = \"$T/log/decisions.log\""
CONFIG=$ROOT/tests/fixtures/docker/default.json
"$BUILD/confine" check --log --policy "$T/policy.json" "$CONFIG" >/dev/null 2>&1
"$BUILD/confine" check --log --policy "$T/policy.json" "$CONFIG" >/dev/null 2>&1
check logrotate-log-written test "$(wc -l <"$T/log/decisions.log")" = 2
if logrotate -f -s "$T/state" "$T/rule" >"$T/out" 2>&1; then pass logrotate-rotates
else fail logrotate-rotates "$(cat "$T/out")"; fi
check logrotate-old-decisions-kept test "$(wc -l <"$T/log/decisions.log.1" 2>/dev/null)" = 2
check logrotate-fresh-log-mode test "$(stat -c '%a %U' "$T/log/decisions.log" 2>/dev/null)" = "640 root"
"$BUILD/confine" check --log --policy "$T/policy.json" "$CONFIG" >/dev/null 2>&1
check logrotate-next-decision-in-fresh-log test \
  "$(wc -l <"$T/log/decisions.log")/$(wc -l <"$T/log/decisions.log.1")" = 1/2

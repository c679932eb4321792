#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 50 containers started at once through confine-runtime (the hook
# injected into each), all logging to one decision log (issue 5: "Under
# 50 containers starting at once, no line is lost or torn"). Every 5th
# spec carries a weak seccomp filter, which the shim must refuse before
# runc runs; the rest must run and be allowed by both the shim and the
# hook. The log must then hold exactly one line per decision (two per
# allowed container, one per refused), each a whole JSON object.
# Needs root, runc, jq and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

N=50
T=$(mktemp -d /tmp/confine-concurrency.XXXXXX)
RUNC_ROOT=$T/runc
ID=conc-$$

cleanup () {
  local c n=0
  for c in $(runc --root "$RUNC_ROOT" list -q 2>/dev/null); do
    runc --root "$RUNC_ROOT" delete --force "$c" >/dev/null 2>&1
    n=$((n + 1)); [ "$n" -lt 200 ] || break
  done
  rm -rf "$T"
}
trap cleanup EXIT

for c in runc jq timeout; do
  command -v "$c" >/dev/null || { fail "concurrency-setup" "$c is not installed"; exit 1; }
done
[ "$(id -u)" = 0 ] || { fail "concurrency-setup" "must run as root"; exit 1; }

# This kernel has no AppArmor: the shipped policy, skipping that rule, and
# without the shim's filter repair, so that the weak filter is refused.
mkdir -p "$T/nosfs" "$T/marks"
POLICY=$T/policy.json
LOG=$T/policy.log
test_policy "$POLICY" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\" | .inject.seccomp_repair = false
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
[ "$(jq -r .decision_log "$POLICY")" = "$LOG" ] || { fail "concurrency-setup" "policy logs elsewhere"; exit 1; }
make_rootfs "$T/rootfs"
mkdir -p "$T/spec"
(cd "$T/spec" && runc spec) || { fail "concurrency-setup" "runc spec failed"; exit 1; }
DOCKER_SC=$(jq -c .linux.seccomp "$ROOT/tests/fixtures/docker/default.json")
WEAK_SC=$(jq -c .linux.seccomp "$ROOT/tests/fixtures/docker/weak-seccomp.json")

refused () { [ $(($1 % 5)) = 4 ]; }

for i in $(seq 0 $((N - 1))); do
  sc=$DOCKER_SC
  refused "$i" && sc=$WEAK_SC
  mkdir -p "$T/b$i"
  jq --arg root "$T/rootfs" --arg marks "$T/marks" --arg c "c$i" --argjson sc "$sc" '
      .root = {path: $root, readonly: true} | .process.terminal = false
      | .process.args = ["touch", "/marks/\($c)"] | .linux.seccomp = $sc
      | .mounts += [{destination: "/marks", type: "bind", source: $marks, options: ["rbind", "rw"]}]' \
    "$T/spec/config.json" > "$T/b$i/config.json" || { fail "concurrency-setup" "jq failed"; exit 1; }
done

# All at once. timeout bounds a hung start, so the test always ends.
export CONFINE_POLICY=$POLICY
declare -a pids=()
for i in $(seq 0 $((N - 1))); do
  timeout -k 5 40 "$BUILD/confine-runtime" --root "$RUNC_ROOT" run -b "$T/b$i" "$ID-$i" \
    </dev/null >"$T/out$i" 2>&1 &
  pids[i]=$!
done
bad=
for i in $(seq 0 $((N - 1))); do
  wait "${pids[i]}"
  rc=$?
  if refused "$i"; then
    if [ "$rc" != 1 ] || [ -e "$T/marks/c$i" ] || ! grep -q '^confine: refused: .*seccomp' "$T/out$i"; then
      bad+=" c$i(refuse: exit $rc, $(head -c 160 "$T/out$i"))"
    fi
  elif [ "$rc" != 0 ] || [ ! -e "$T/marks/c$i" ]; then
    bad+=" c$i(run: exit $rc, $(head -c 160 "$T/out$i"))"
  fi
done
if [ -z "$bad" ]; then
  pass "concurrent-starts-each-get-the-expected-verdict"
else
  fail "concurrent-starts-each-get-the-expected-verdict" "${bad# }"
fi

# One line per decision: shim and hook for each allowed container, the
# shim alone for each refused one (runc never ran, so no hook did).
expected=$(( N + N - N / 5 ))
lines=$(wc -l < "$LOG" 2>/dev/null || echo 0)
if [ "$lines" = "$expected" ] && [ "$(tail -c 1 "$LOG" | od -An -c | tr -d ' ')" = '\n' ]; then
  pass "decision-log-has-one-line-per-decision"
else
  fail "decision-log-has-one-line-per-decision" "expected $expected lines, got $lines"
fi

# Torn or interleaved writes would leave a line that is not one JSON
# object with every field.
torn=$(jq -R -r 'try (fromjson | if type == "object" and (has("time") and has("component") and has("id")
                   and has("verdict") and has("policy_sha256") and has("bundle")) then empty
                   else "incomplete: \(.)" end) catch "not JSON: \(.)"' "$LOG" 2>&1 | head -n 3)
if [ -z "$torn" ] && [ "$lines" -gt 0 ]; then
  pass "decision-log-lines-are-whole-json-objects"
else
  fail "decision-log-lines-are-whole-json-objects" "${torn:-empty log}"
fi

# Per container: the exact set of (component, verdict) lines expected.
wrong=
for i in $(seq 0 $((N - 1))); do
  got=$(jq -R -r --arg id "$ID-$i" 'fromjson? | select(.id == $id) | "\(.component):\(.verdict)"' "$LOG" \
        | sort | tr '\n' ' ')
  if refused "$i"; then want="shim:refuse "; else want="hook:allow shim:allow "; fi
  [ "$got" = "$want" ] || wrong+=" $ID-$i(got '${got% }', want '${want% }')"
done
if [ -z "$wrong" ]; then
  pass "decision-log-verdicts-match-each-container"
else
  fail "decision-log-verdicts-match-each-container" "${wrong# }"
fi

left=$(runc --root "$RUNC_ROOT" list -q 2>/dev/null | wc -l)
if [ "$left" = 0 ]; then
  pass "no-container-left-after-concurrent-starts"
else
  fail "no-container-left-after-concurrent-starts" "$left containers remain"
fi

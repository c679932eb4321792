#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The differential against runc's own code (issue 9): every fixture and
# every spec in the fuzz corpus, then generated mutations of them
# (duplicate, case-variant and Unicode-folded keys, nulls, wrong types,
# odd and huge numbers, strange strings, every field of the runtime spec),
# are read by runc 1.1.5's decoder and specconv (build/oracle/runc-oracle)
# and by confine_spec_parse (build/oracle/confine-facts). Where both
# accept, every security-relevant fact must be identical (and where runc
# accepts, root.path and each mount source must lead confine's resolver to
# the host file the kernel will reach, or confine must refuse to resolve
# it); where runc accepts and loads a filter, confine's evaluator must judge runc's exact
# BPF (with its -ENOSYS stub) as it judges libseccomp's own export.
# ORACLE_SEED, ORACLE_N, ORACLE_EXEC_N and ORACLE_BUDGET (seconds) choose
# the mutations; ORACLE_EXTRA adds inputs
# (make fuzz-oracle passes the spec fuzzer's corpus directories).
set -u
. "$(dirname "$0")/../lib/assert.sh"
failed=0
fail () { printf 'FAIL %s: %s\n' "$1" "$2"; failed=1; }

ORACLE=$BUILD/oracle/runc-oracle
FACTS=$BUILD/oracle/confine-facts
T=$(mktemp -d /tmp/confine-oracle.XXXXXX)
trap 'rm -rf "$T"' EXIT

# Facts runc reads that oci/spec.h does not type yet: printed by the
# oracle, not compared. Shrink this list as spec.h grows.
PENDING=devices[].fileMode,devices[].uid,devices[].gid

if [ ! -x "$ORACLE" ] || [ ! -x "$FACTS" ]; then
  fail "oracle built" "missing $ORACLE or $FACTS (make oracle; deps: tests/deps.sh)"
  exit 1
fi

inputs=("$ROOT"/tests/oracle/cases/*.json "$ROOT"/tests/fixtures/*/*.json
        "$ROOT"/tests/fixtures/*-profile.json "$ROOT"/tests/fuzz/corpus/spec/*)
# shellcheck disable=SC2206
[ -n "${ORACLE_EXTRA:-}" ] && inputs+=($ORACLE_EXTRA)

# Positive control: the two tools agree on Docker's default config, and
# the facts they print are the real ones (not two empty documents).
"$ORACLE" facts "$ROOT/tests/fixtures/docker/default.json" > "$T/runc.json"
"$FACTS" "$ROOT/tests/fixtures/docker/default.json" > "$T/confine.json"
if jq -e '.decoded and (.facts.process.capabilities.bounding | index("CAP_CHOWN"))
          and (.facts.seccomp.syscalls | length > 0) and (.facts.maskedPaths | length > 0)' \
      "$T/runc.json" > /dev/null \
   && jq -e '.ok and (.facts.process.capabilities.bounding | index("CAP_CHOWN"))
             and (.facts.seccomp.syscalls | length > 0)' "$T/confine.json" > /dev/null; then
  pass "both tools read Docker's default config (capabilities, seccomp, masked paths)"
else
  fail "both tools read Docker's default config" "$(head -c 300 "$T/runc.json") / $(head -c 300 "$T/confine.json")"
fi

# Negative control: a document the two read differently must fail the
# differential. A duplicate key is refused by confine, so the divergence
# is made on confine's side of the pipe: a tool that reports one
# capability fewer than it parsed.
cat > "$T/liar" <<EOS
#!/bin/sh
exec "$FACTS" "\$@" | sed -u 's/"CAP_KILL",//g'
EOS
chmod +x "$T/liar"
if "$ORACLE" diff -confine "$T/liar" -n 0 -pending "$PENDING" \
     "$ROOT/tests/fixtures/docker/default.json" > "$T/liar.out" 2>&1; then
  fail "the differential catches a capability confine would not see" "$(cat "$T/liar.out")"
else
  if grep -q 'FAIL divergence.*process.capabilities.bounding' "$T/liar.out"; then
    pass "the differential catches a capability confine would not see"
  else
    fail "the differential catches a capability confine would not see" "$(cat "$T/liar.out")"
  fi
fi

# The BPF comparison, both ways: runc's exact program for Docker's default
# config (with runc's -ENOSYS stub) gets the verdict of confine's own
# build; runc's program for a weaker profile does not.
bpf_same () { # CONFIG BPF: prints true or false
  { printf '%s %s\n' "$(stat -c %s "$1")" "$2"; cat "$1"; } | "$FACTS" --stream | jq -r '.bpf.same'
}
if "$ORACLE" bpf "$ROOT/tests/fixtures/docker/default.json" "$T/default.bpf" \
   && "$ORACLE" bpf "$ROOT/tests/fixtures/docker/weak-seccomp.json" "$T/weak.bpf"; then
  same=$(bpf_same "$ROOT/tests/fixtures/docker/default.json" "$T/default.bpf")
  other=$(bpf_same "$ROOT/tests/fixtures/docker/default.json" "$T/weak.bpf")
  if [ "$same" = true ] && [ "$other" = false ]; then
    pass "runc's own BPF for Docker's default config is judged as confine's build is; a weaker one is not"
  else
    fail "runc's own BPF is judged as confine's build is" "default: $same, weak: $other"
  fi
else
  fail "runc's own BPF is exported" "runc-oracle bpf failed"
fi

start=$(date +%s)
seed=${ORACLE_SEED:-$(date +%Y%m%d)}
"$ORACLE" diff -confine "$FACTS" -seed "$seed" -n "${ORACLE_N:-4000}" \
  -budget "${ORACLE_BUDGET:-45}s" -bpf 300 -pending "$PENDING" -out "$T/divergent" "${inputs[@]}" > "$T/diff.out" 2>&1
rc=$?
# docker exec's --process files, read as runc exec reads them and as the
# shim's exec gate does.
"$ORACLE" diff -process -confine "$FACTS" -seed "$seed" -n "${ORACLE_EXEC_N:-5000}" -budget 15s \
  -out "$T/divergent-exec" "$ROOT"/tests/fixtures/docker/exec-*.json "$ROOT"/tests/fuzz/corpus/spec/exec-* \
  > "$T/diff-exec.out" 2>&1
rc_exec=$?
sed 's/^FAIL /  fail: /' "$T/diff.out"
echo "exec process files:"
sed 's/^FAIL /  fail: /' "$T/diff-exec.out"
keep () {
  mkdir -p "$BUILD/oracle/divergent" && cp "$T"/divergent*/* "$BUILD/oracle/divergent/" 2>/dev/null
}
if [ "$rc" -eq 0 ]; then
  pass "confine reads every fact of config.json as runc does, or refuses ($(($(date +%s) - start)) s)"
else
  keep
  fail "confine reads every fact of config.json as runc does, or refuses" "divergent inputs kept in $BUILD/oracle/divergent"
fi
if [ "$rc_exec" -eq 0 ]; then
  pass "confine reads every fact of an exec process file as runc exec does, or refuses"
else
  keep
  fail "confine reads every fact of an exec process file as runc exec does, or refuses" "divergent inputs kept in $BUILD/oracle/divergent"
fi
exit $failed

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# valgrind.sh BUILD: the hook, the shim and the CLI under valgrind on the
# real Docker fixtures (tests/fixtures/docker), on good and bad input.
# Every run must end with no memory error and no definite or indirect leak
# (valgrind's exit 99); the program's own status must be one it documents.
# Ends with `N passed, N failed`.
set -u
BUILD=$(cd "${1:-build}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export BUILD ROOT
# valgrind replaces malloc only in a program that loads the shared libc:
# the same programs linked that way (see the Makefile's LINK).
BIN=$BUILD/dynamic
. "$ROOT/tests/lib/assert.sh"

T=$(mktemp -d /tmp/confine-valgrind.XXXXXX)
trap 'rm -rf "$T"' EXIT
passed=0 failed=0
VG=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --error-exitcode=99 --track-fds=no
    --num-callers=30 --suppressions=$ROOT/tests/sanitizers/valgrind.supp)

# vg NAME OKCODES CMD... (stdin from $VG_IN): OKCODES is a regex of the
# exit statuses the program may give for this input.
VG_IN=/dev/null
vg () {
  local name=$1 ok=$2; shift 2
  local log=$T/vg.log rc
  "${VG[@]}" --log-file="$log" "$@" < "$VG_IN" > "$T/out" 2>&1
  rc=$?
  # A program that execs another (the shim) leaves valgrind no chance to
  # set the status, so its report is read from the log as well.
  if [ "$rc" -eq 99 ] || grep -qE '^==[0-9]+== +(Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and destination|Argument .* of function)' "$log"; then
    fail "$name: no memory error or leak under valgrind" "$(grep -E '^==[0-9]+== +[^ ]' "$log" | head -40)"
    failed=$((failed + 1))
  elif ! [[ $rc =~ ^($ok)$ ]]; then
    fail "$name: exits with one of ($ok) under valgrind" "exit $rc: $(head -5 "$T/out")"
    failed=$((failed + 1))
  else
    pass "$name: no memory error or leak under valgrind (exit $rc)"
    passed=$((passed + 1))
  fi
}

# A test policy: the shipped one, with a fake securityfs that has one
# enforcing profile, a log and a cache of our own, and Docker's profile
# for the shim to inject.
make_securityfs "$T/sfs" "confine-test (enforce)" "lax (complain)"
test_policy "$T/policy.json" "$T/sfs" \
  ".seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\" | .runtime = \"/nonexistent/runc\""
test_policy "$T/skip.json" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\" | .runtime = \"true\""
test_policy "$T/audit.json" "$T/sfs" '.mode = "audit" | .runtime = "true"'
printf '{"mode": "enforce", "mode": "audit"}' > "$T/bad-policy.json"

fixtures=() processes=()
for f in "$ROOT"/tests/fixtures/docker/*.json; do
  if jq -e 'has("root") or has("linux")' "$f" > /dev/null; then fixtures+=("$f"); else processes+=("$f"); fi
done

# bundle NAME FIXTURE: a bundle directory holding a copy of the fixture.
bundle () { mkdir -p "$T/b/$1"; cp "$2" "$T/b/$1/config.json"; echo "$T/b/$1"; }
state () { printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","bundle":"%s"}' "$1" "$2" > "$T/state.json"; VG_IN=$T/state.json; }

echo "== confine-hook"
for f in "${fixtures[@]}"; do
  n=$(basename "$f" .json)
  for p in policy skip audit; do
    b=$(bundle "hook-$n" "$f")
    state "$n" "$b"
    vg "hook $n ($p policy)" '0|1' "$BIN/confine-hook" --policy "$T/$p.json"
  done
done
# Twice more: the second run of a section reads the verdict cache.
b=$(bundle hook-cache "$ROOT/tests/fixtures/docker/default.json"); state cache "$b"
vg "hook default, verdict from the cache" '0|1' "$BIN/confine-hook" --policy "$T/skip.json"
# Bad input: every one a refusal, and no leak on the error paths.
printf 'not json' > "$T/garbage"; VG_IN=$T/garbage
vg "hook refuses a garbage state" 1 "$BIN/confine-hook" --policy "$T/policy.json"
state missing "$T/does-not-exist"
vg "hook refuses a missing bundle" 1 "$BIN/confine-hook" --policy "$T/policy.json"
mkdir -p "$T/b/broken"; printf '{"process":{},"process":{}}' > "$T/b/broken/config.json"; state broken "$T/b/broken"
vg "hook refuses a config.json with duplicate keys" 1 "$BIN/confine-hook" --policy "$T/policy.json"
vg "hook refuses a malformed policy" 1 "$BIN/confine-hook" --policy "$T/bad-policy.json"
vg "hook refuses a missing policy" 1 "$BIN/confine-hook" --policy "$T/none.json"
VG_IN=/dev/null
vg "hook rejects an unknown option" 2 "$BIN/confine-hook" --bogus

if [ -x "$BIN/confine-runtime" ]; then
  echo "== confine-runtime"
  for f in "${fixtures[@]}"; do
    n=$(basename "$f" .json)
    # policy.json: the gate runs fully, then refuses or fails to exec its
    # missing runtime; skip.json: allowed ones exec `true`.
    for p in policy skip; do
      b=$(bundle "shim-$n-$p" "$f")
      CONFINE_POLICY=$T/$p.json vg "shim create $n ($p policy)" '0|1' \
        "$BIN/confine-runtime" --root "$T/runc" --log "$T/shim-$n.log" create --bundle "$b" "$n"
    done
  done
  for f in "${processes[@]}"; do
    n=$(basename "$f" .json)
    CONFINE_POLICY=$T/policy.json vg "shim exec $n" '0|1' \
      "$BIN/confine-runtime" --root "$T/runc" exec --process "$f" some-container
  done
  CONFINE_POLICY=$T/skip.json vg "shim passes state through" '0|1' "$BIN/confine-runtime" state x
  CONFINE_POLICY=$T/bad-policy.json vg "shim refuses under a malformed policy" 1 \
    "$BIN/confine-runtime" create --bundle "$T/b/broken" x
  CONFINE_POLICY=$T/policy.json vg "shim refuses a broken config.json" 1 \
    "$BIN/confine-runtime" create --bundle "$T/b/broken" x
fi

if [ -x "$BIN/confine" ]; then
  echo "== confine"
  for f in "${fixtures[@]}" "${processes[@]}"; do
    n=$(basename "$f" .json)
    vg "confine check $n" '0|1' "$BIN/confine" check --policy "$T/policy.json" --no-log "$f"
    vg "confine check --json $n" '0|1' "$BIN/confine" check --policy "$T/skip.json" --json --id "$n" "$f"
  done
  b=$(bundle cli-bundle "$ROOT/tests/fixtures/docker/default.json")
  vg "confine check of a bundle directory" '0|1' "$BIN/confine" check --policy "$T/policy.json" "$b"
  vg "confine check refuses a broken config.json" 2 "$BIN/confine" check --policy "$T/policy.json" --no-log "$T/b/broken/config.json"
  vg "confine check under a malformed policy" 2 "$BIN/confine" check --policy "$T/bad-policy.json" --no-log "$b"
  mkdir -p "$T/runc-root" "$T/sysroot"
  vg "confine status" '0|1|2' "$BIN/confine" status --policy "$T/policy.json" --root "$T/runc-root" --sysroot "$T/sysroot"
  vg "confine status --json" '0|1|2' "$BIN/confine" status --policy "$T/policy.json" --json --root "$T/runc-root" --sysroot "$T/sysroot"
  vg "confine --version" 0 "$BIN/confine" --version
  vg "confine rejects an unknown command" 2 "$BIN/confine" bogus
fi

# The fuzz harnesses as plain programs on their corpus and regressions.
if compgen -G "$BUILD/fuzz-replay/fuzz-*" > /dev/null; then
  echo "== fuzz corpus"
  for b in "$BUILD"/fuzz-replay/fuzz-*; do
    n=${b##*/fuzz-}
    # git keeps no empty folder: a harness without regressions yet has none.
    dirs=("$ROOT/tests/fuzz/corpus/$n")
    [ -d "$ROOT/tests/fuzz/regressions/$n" ] && dirs+=("$ROOT/tests/fuzz/regressions/$n")
    vg "fuzz-$n corpus and regressions" 0 "$b" "${dirs[@]}"
  done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

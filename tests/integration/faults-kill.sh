#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Fault injection (issue 6): the shim is killed with SIGKILL while it
# rewrites a bundle's config.json. Afterwards config.json must be the old
# file or the new one, byte for byte, never a torn mix; what a kill can
# leave behind is a `.config.json.confine-*` temporary file, which is
# counted and reported.
#
# The config has thousands of mounts, so that reading, judging and writing
# it takes long enough to be interrupted. The runtime is /bin/true: no
# container is started. Kills land at three fixed points (held there by
# strace's delay injection, when strace is installed) and then at 200
# random moments over the shim's whole run.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

SHIM=$BUILD/confine-runtime
# On /tmp, not a tmpfs: fsync on a real filesystem widens the window.
T=$(mktemp -d /tmp/confine-faults-kill.XXXXXX)
ITERATIONS=${CONFINE_KILL_ITERATIONS:-200}
KILLPID=
cleanup () {
  [ -n "$KILLPID" ] && kill -KILL "$KILLPID" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

command -v jq >/dev/null || { fail "faults-kill-setup" "jq is not installed"; exit 1; }
mkdir -p "$T/nosfs" "$T/b"
export CONFINE_POLICY=$T/policy.json
test_policy "$CONFINE_POLICY" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"/bin/true\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
(cd "$T/b" && runc spec 2>/dev/null) || jq -n '{ociVersion: "1.0.2", process: {args: ["true"], cwd: "/"}, root: {path: "rootfs"}}' > "$T/b/config.json"
# No linux.seccomp: the shim injects Docker's profile and its hook.
jq 'del(.linux.seccomp) | .process.terminal = false
    | .mounts += [range(0; 1500) as $i | {destination: "/m/\($i)", type: "tmpfs", source: "tmpfs",
                                         options: ["nosuid", "size=4k"]}]' \
  "$T/b/config.json" > "$T/old.json"
cp "$T/old.json" "$T/b/config.json"
"$SHIM" run --bundle "$T/b" kill-new < /dev/null > /dev/null 2> "$T/new.err"
cp "$T/b/config.json" "$T/new.json"
if cmp -s "$T/old.json" "$T/new.json" || ! jq -e '.hooks.createRuntime | length == 1' "$T/new.json" >/dev/null; then
  fail "faults-kill-setup" "the shim did not rewrite the config: $(head -c 300 "$T/new.err")"
  exit 1
fi
OLD_SIZE=$(stat -c %s "$T/old.json")
NEW_SIZE=$(stat -c %s "$T/new.json")
echo "# config.json: $OLD_SIZE bytes before, $NEW_SIZE bytes after the rewrite"

# classify: what the kill left. Sets WHAT (old, new, torn), TEMPS (a
# description of leftover temporary files) and removes the leftovers.
classify () {
  local f size kind=""
  if cmp -s "$T/b/config.json" "$T/old.json"; then WHAT=old
  elif cmp -s "$T/b/config.json" "$T/new.json"; then WHAT=new
  else WHAT=torn
  fi
  TEMPS=""
  for f in "$T"/b/.config.json.confine-* "$T"/b/.[!.]* "$T"/b/*; do
    [ -e "$f" ] || continue
    [ "$f" = "$T/b/config.json" ] && continue
    size=$(stat -c %s "$f")
    if [ "$size" = 0 ]; then kind=empty
    elif cmp -s "$f" "$T/new.json"; then kind=complete
    else kind=partial
    fi
    case $f in */.config.json.confine-*) ;; *) kind="unexpected:$(basename "$f")" ;; esac
    TEMPS="$TEMPS $kind"
    rm -f "$f"
  done
  TEMPS=${TEMPS# }
}

# --- fixed points, held by strace ------------------------------------------

# held NAME INJECT EXPECT: run the shim under strace with a delay injected
# at one syscall, wait until it is held there, SIGKILL the shim, check.
# Nothing here depends on timing: the shim writes its pid before it execs
# (so the kill finds it for sure), the wait is for the held point itself,
# and the injected delay (120 s) outlasts the wait (60 s), so the shim is
# still held when it is killed, however loaded the machine is. Only a
# point never reached takes the whole wait, and fails on its own account.
held () {
  local name=$1 inject=$2 expect=$3 spid shim f held="" until=$((SECONDS + 60))
  cp "$T/old.json" "$T/b/config.json"
  rm -f "$T/shim.pid"
  strace -o /dev/null -e trace="${inject%%:*}" -e inject="$inject" \
    sh -c 'echo $$ > "$0"; exec "$@"' "$T/shim.pid" \
    "$SHIM" run --bundle "$T/b" "kill-$name" < /dev/null > /dev/null 2>&1 &
  spid=$!
  KILLPID=$spid
  while [ -z "$held" ] && [ "$SECONDS" -lt "$until" ] && kill -0 "$spid" 2>/dev/null; do
    case $name in
      before-write) ls "$T"/b/.config.json.confine-* >/dev/null 2>&1 && held=1 ;;
      before-rename) for f in "$T"/b/.config.json.confine-*; do
                       [ -e "$f" ] && [ "$(stat -c %s "$f")" = "$NEW_SIZE" ] && held=1; done ;;
      after-rename) cmp -s "$T/b/config.json" "$T/new.json" && held=1 ;;
    esac
    [ -n "$held" ] || sleep 0.02
  done
  # Seen from outside a moment before the shim enters the syscall (the
  # file complete, fsync not yet done): let it get there. Killed earlier,
  # the file on disk is the same, so the verdict is too.
  sleep 0.1
  shim=$(cat "$T/shim.pid" 2>/dev/null)
  [ -n "$shim" ] && kill -KILL "$shim" 2>/dev/null
  # strace itself would sit out the rest of the injected delay.
  kill -KILL "$spid" 2>/dev/null
  wait "$spid" 2>/dev/null
  KILLPID=
  classify
  if [ -z "$held" ]; then
    fail "kill-$name" "the shim never reached the held point within 60 s"
  elif [ -z "$shim" ]; then
    fail "kill-$name" "the shim under strace wrote no pid"
  elif [ "$WHAT" != "$expect" ]; then
    fail "kill-$name" "config.json is $WHAT, expected $expect (temporary files: ${TEMPS:-none})"
  else
    pass "kill-$name: config.json is the $WHAT file, byte for byte; left behind: ${TEMPS:-nothing}"
  fi
}

if command -v strace >/dev/null; then
  # Held before anything is written (at the fchown that precedes the
  # write): the temporary file exists, empty.
  held before-write "fchown:delay_enter=120000000" old
  # Held after write and fsync, as it enters rename: the temporary file is
  # complete, config.json untouched.
  held before-rename "renameat:delay_enter=120000000" old
  # Held right after rename: the new file is in place.
  held after-rename "renameat:delay_exit=120000000" new
else
  printf 'SKIP %s: %s\n' "kill-held-points" "strace is not installed"
fi

# --- random moments ---------------------------------------------------------

# How long one uninterrupted run takes (median of 5), in microseconds.
times=()
for i in 1 2 3 4 5; do
  cp "$T/old.json" "$T/b/config.json"
  s=$(date +%s%N)
  "$SHIM" run --bundle "$T/b" kill-time < /dev/null > /dev/null 2>&1
  times+=($(( ($(date +%s%N) - s) / 1000 )))
done
RUN_US=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "# one uninterrupted shim run: ${RUN_US} us (median of 5)"

mkfifo "$T/tick"
exec {tick}<>"$T/tick"
declare -A count=()
torn=0 temps_total=0 mid=0
RANDOM=4242 # the same moments on every run
for i in $(seq 1 "$ITERATIONS"); do
  cp "$T/old.json" "$T/b/config.json"
  # Half the kills anywhere in the run, half in its second half, where
  # the write happens.
  if (( i % 2 )); then
    d=$(( (RANDOM * 32768 + RANDOM) % (RUN_US * 11 / 10 + 1) ))
  else
    d=$(( RUN_US * 5 / 10 + (RANDOM * 32768 + RANDOM) % (RUN_US * 5 / 10 + 1) ))
  fi
  "$SHIM" run --bundle "$T/b" "kill-$i" < /dev/null > /dev/null 2>&1 &
  pid=$!
  KILLPID=$pid
  read -r -t "$(printf '%d.%06d' $((d / 1000000)) $((d % 1000000)))" -u "$tick"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rc=$?
  KILLPID=
  classify
  [ "$rc" = 137 ] && state=killed || state="exit$rc"
  key="$state/$WHAT${TEMPS:+/temp:${TEMPS// /,}}"
  count[$key]=$(( ${count[$key]:-0} + 1 ))
  if [ "$WHAT" = torn ]; then
    torn=$((torn + 1))
    jq -e . "$T/b/config.json" >/dev/null 2>&1 && parses=parses || parses="does not parse"
    [ "$torn" = 1 ] && fail "kill-random-$i" "after a kill at ${d} us config.json is neither old nor new ($parses), $(stat -c %s "$T/b/config.json") bytes"
  fi
  [ -n "$TEMPS" ] && temps_total=$((temps_total + 1))
  [ "$WHAT" = old ] && [ -n "$TEMPS" ] && mid=$((mid + 1))
done
exec {tick}>&-

summary=$(for k in "${!count[@]}"; do echo "${count[$k]} $k"; done | sort -rn | tr '\n' ';' | sed 's/;$//; s/;/; /g')
echo "# outcomes of $ITERATIONS random kills (count state/config.json/leftovers): $summary"
if [ "$torn" = 0 ]; then
  pass "kill-random: $ITERATIONS SIGKILLs at random moments, config.json always the old or the new file ($mid landed mid-rewrite, $temps_total left a temporary file)"
else
  fail "kill-random" "$torn of $ITERATIONS kills left a torn config.json"
fi

# A leftover temporary file does not get in the way of the next start.
cp "$T/old.json" "$T/b/config.json"
cp "$T/new.json" "$T/b/.config.json.confine-000000000000"
: > "$T/b/.config.json.confine-111111111111"
if "$SHIM" run --bundle "$T/b" kill-after < /dev/null > /dev/null 2>&1 \
   && cmp -s "$T/b/config.json" "$T/new.json"; then
  pass "kill-leftovers-harmless: a later run rewrites config.json despite stale temporary files (which stay: $(cd "$T/b" && ls -A | grep -c confine-) left)"
else
  fail "kill-leftovers-harmless" "the run after a kill failed"
fi

# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the bench scripts (sourced, not run). Needs BUILD (absolute);
# sets ROOT, TIMER and the knobs below, and gives each script a scratch
# directory on its own tmpfs.
#
# Why a tmpfs: engines keep bundles and the verdict cache under /run
# (containerd's task dirs, /run/confine), which is a tmpfs on any
# systemd host. This VM's /run is ext4, where the fsync in the shim's
# atomic rewrite and in the cache's store costs disk time no real host
# pays. Figures that do measure ext4 say so in their label.
#
# Knobs (environment):
#   BENCH_ROUNDS   timed rounds (alternating pairs) per timer run
#                  (default 40, at least 40: each figure's paired ratio is
#                  the median over this many pairs of one run)
#   BENCH_REPEATS  timer runs per figure; above 1 the report shows how far
#                  the runs' medians spread ("noise") (default 1)
#   BENCH_RAW      file that collects raw rows       (default: stdout)
#   BENCH_CMDS     file that collects the commands   (default: stderr)
#   BENCH_TARGETS  file that collects the targets    (default: none)

: "${BUILD:?BUILD must name the build directory}"
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export BUILD ROOT
. "$ROOT/tests/lib/assert.sh"

TIMER=$BUILD/bench/timer
ROUNDS=${BENCH_ROUNDS:-40}
REPEATS=${BENCH_REPEATS:-1}
[ "$ROUNDS" -ge 40 ] || { echo "bench: BENCH_ROUNDS must be at least 40" >&2; exit 2; }
if [ "$REPEATS" -lt 1 ] || [ "$REPEATS" -gt 20 ]; then
  echo "bench: BENCH_REPEATS out of 1..20" >&2; exit 2
fi

for c in runc jq busybox; do
  command -v "$c" >/dev/null || { echo "bench: $c is not installed" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (runc, tmpfs)" >&2; exit 2; }
[ -x "$TIMER" ] || { echo "bench: $TIMER missing; run \`make bench\`" >&2; exit 2; }

# bench_scratch NAME: sets T to a fresh directory on a private tmpfs, and
# D to a directory on the disk (/tmp) for the figures that compare.
# bench_cleanup (the EXIT trap) removes both, after the script's own
# cleanup hook BENCH_CLEANUP (a function name) has run.
T='' D=''
BENCH_CLEANUP=
bench_scratch () {
  D=$(mktemp -d "/tmp/confine-bench-$1.XXXXXX")
  T=$D/tmpfs
  mkdir -p "$T"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  mount -t tmpfs -o size=256m,mode=0755 confine-bench "$T"
}
bench_cleanup () {
  # Under set -e a cleanup step that fails (a killed daemon's `wait`)
  # would become the script's exit status.
  if [ -n "$BENCH_CLEANUP" ]; then "$BENCH_CLEANUP" || true; fi
  if [ -n "$T" ]; then umount "$T" 2>/dev/null || umount -l "$T" 2>/dev/null; fi
  [ -n "$D" ] && rm -rf "$D"
}

# bench_runtime_setup: after bench_scratch, what the runc-against-shim
# benches share. RUNC_ROOT, a runc root on the tmpfs, emptied at exit
# unless the script set its own BENCH_CLEANUP; $T/policy.json, the shipped
# policy skipping the AppArmor rule (this kernel has no AppArmor, and a
# spec naming a profile could not start under runc here), its cache and
# decision log on the tmpfs; the busybox rootfs $T/rootfs; runc's template
# $T/spec/config.json; DOCKER_SC, the seccomp section Docker writes by
# default (tests/fixtures/docker/default.json); and $T/pristine.json,
# busybox `true` on the read-only rootfs under DOCKER_SC.
bench_runtime_setup () {
  RUNC_ROOT=$T/runc-state
  BENCH_CLEANUP=${BENCH_CLEANUP:-bench_delete_all}
  mkdir -p "$T/nosfs"
  shipped_policy "$T/policy.json" "$T/nosfs" \
    ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\" | .cache_dir = \"$T/cache\"
     | .decision_log = \"$T/decisions.log\"
     | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
  make_rootfs "$T/rootfs"
  mkdir -p "$T/spec"
  (cd "$T/spec" && runc spec)
  DOCKER_SC=$(jq -c .linux.seccomp "$ROOT/tests/fixtures/docker/default.json")
  jq --arg root "$T/rootfs" --argjson sc "$DOCKER_SC" \
    '.root = {path: $root, readonly: true} | .process.terminal = false | .process.args = ["true"]
     | .linux.seccomp = $sc' "$T/spec/config.json" > "$T/pristine.json"
}
bench_delete_all () { delete_all "$RUNC_ROOT"; }

# delete_all RUNC_ROOT: remove every container left under a runc root.
delete_all () {
  local c n=0
  for c in $(runc --root "$1" list -q 2>/dev/null); do
    runc --root "$1" delete --force "$c" >/dev/null 2>&1
    n=$((n + 1)); [ "$n" -lt 1000 ] || break
  done
}

# oci_state BUNDLE ID OUT: the state runc hands a createRuntime hook.
oci_state () {
  jq -nc --arg b "$1" --arg id "$2" \
    '{ociVersion: "1.0.2", id: $id, status: "creating", bundle: $b}' > "$3"
}

# note GROUP TEXT: record how a figure was produced, for RESULTS.md,
# with the scratch paths shortened to $T (tmpfs) and $D (disk).
note () {
  local text=${2//"$T"/\$T}
  text=${text//"$D"/\$D}
  text=${text//"$BUILD"/build}
  printf '%s\t%s\n' "$1" "${text//"$ROOT"/.}" >> "${BENCH_CMDS:-/dev/stderr}"
}

# quote WORD...: the words as one shell line, quoting only where needed.
quote () {
  local w out=
  for w in "$@"; do
    case $w in
      *[!A-Za-z0-9_./=:@%+-]*|'') w="'${w//\'/\'\\\'\'}'" ;;
    esac
    out+="$w "
  done
  printf '%s' "${out% }"
}

# target GROUP LABEL median|ratio|added LIMIT: a target that report.sh
# checks (median ms, paired ratio, or paired CPU ms added to the first row).
target () { printf '%s\t%s\t%s\t%s\n' "$@" >> "${BENCH_TARGETS:-/dev/null}"; }

# measure GROUP TIMER-ARGS...: the paired timer, REPEATS times; each run
# becomes raw rows "GROUP LABEL REPEAT median min max ratio paired cpu
# failed rounds cpu-paired-ratio cpu-paired-added" (tab-separated) for
# bench/report.sh. A run with failed starts stops the bench: a start that
# did not happen measures nothing.
measure () {
  local group=$1; shift
  local r out
  note "$group" "$(quote timer -t -n "$ROUNDS" "$@")"
  for r in $(seq 1 "$REPEATS"); do
    echo "  $group: repeat $r of $REPEATS" >&2
    out=$("$TIMER" -t -n "$ROUNDS" "$@") || { echo "bench: timer failed for $group" >&2; exit 1; }
    if printf '%s\n' "$out" | awk -F'\t' '$8 != 0 { bad = 1 } END { exit !bad }'; then
      echo "bench: failed starts in $group:" >&2; printf '%s\n' "$out" >&2; exit 1
    fi
    printf '%s\n' "$out" | awk -F'\t' -v g="$group" -v r="$r" -v n="$ROUNDS" -v OFS='\t' \
      '{ print g, $1, r, $2, $3, $4, $5, $6, $7, $8, n, $9, $10 }' >> "${BENCH_RAW:-/dev/stdout}"
  done
}

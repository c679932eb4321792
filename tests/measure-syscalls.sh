#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Measures the syscalls a seccomp filter must allow for a container to
# start, for the seccomp_needs rule (src/seccomp.c keeps the result).
#
#   bash tests/measure-syscalls.sh [RUNS]      # root; runc, strace, jq, busybox
#
# runc: `runc run` of a busybox bundle whose filter is Docker's default
# profile, under `strace -f`, RUNS times (default 15) with
# process.noNewPrivileges false and RUNS times with it true. In each trace
# the thread that loads the filter (prctl(PR_SET_SECCOMP) or
# seccomp(SECCOMP_SET_MODE_FILTER) with a program) is followed from that
# call to its execve of the container's command; every syscall it makes in
# between is printed with the number of runs it appeared in. runc init's
# other threads were started before the load and are not filtered (runc
# 1.1 does not ask for TSYNC). execve itself is made under the filter.
#
# programs: the syscalls each of a set of ordinary programs (static and
# dynamic, C, Go, Python, Perl, shell) makes, under `strace -f`, with the
# number of programs that made each.
set -eu
RUNS=${1:-15}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/confine-measure.XXXXXX)
trap 'for c in $(runc --root "$T/state" list -q 2>/dev/null); do runc --root "$T/state" delete -f "$c"; done; rm -rf "$T"' EXIT

mkdir -p "$T/rootfs/bin" "$T/rootfs/proc" "$T/rootfs/sys" "$T/rootfs/dev" "$T/rootfs/tmp" "$T/b"
cp /bin/busybox "$T/rootfs/bin/busybox"
ln -s busybox "$T/rootfs/bin/true"
(cd "$T/b" && runc spec)
jq --arg root "$T/rootfs" --argjson sc "$(jq .linux.seccomp "$ROOT/tests/fixtures/docker/default.json")" \
  '.root = {path: $root, readonly: true} | .process.terminal = false | .process.args = ["true"]
   | .linux.seccomp = $sc' "$T/b/config.json" > "$T/config" && mv "$T/config" "$T/b/config.json"

# after_load TRACE: the filtered thread's syscalls, load to execve.
after_load () {
  awk '
    !on && /prctl\(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, \{/ { tid = $1; on = 1; next }
    !on && /seccomp\(SECCOMP_SET_MODE_FILTER, [^,]*, \{/ { tid = $1; on = 1; next }
    on && $1 == tid && $2 ~ /^execve\(/ { print "execve"; exit }
    on && $1 == tid && $2 !~ /^(<|---|\+\+\+)/ { sub(/\(.*/, "", $2); print $2 }
  ' "$1" | sort -u
}

echo "# runc $(runc --version | head -1 | cut -d' ' -f3), $RUNS runs per mode, $(date -u +%F)"
for nnp in false true; do
  jq --argjson nnp "$nnp" '.process.noNewPrivileges = $nnp' "$T/b/config.json" > "$T/config"
  mv "$T/config" "$T/b/config.json"
  for i in $(seq "$RUNS"); do
    strace -f -qq -o "$T/trace" runc --root "$T/state" run --bundle "$T/b" "m-$nnp-$i" \
      > /dev/null 2>&1 || { echo "runc run failed" >&2; exit 1; }
    after_load "$T/trace"
  done | sort | uniq -c | awk -v nnp="$nnp" '{ print "runc noNewPrivileges=" nnp, $1, $2 }'
done

progs=("/bin/true" "/bin/busybox true" "/bin/busybox sh -c true" "/bin/ls /" "/bin/sh -c true"
       "/usr/bin/python3 -c pass" "/usr/bin/perl -e 1" "/usr/sbin/runc --version")
echo "# programs: ${progs[*]}"
for p in "${progs[@]}"; do
  # shellcheck disable=SC2086
  strace -f -qq -o "$T/trace" $p > /dev/null 2>&1
  awk '$2 !~ /^(<|---|\+\+\+)/ { sub(/\(.*/, "", $2); print $2 }' "$T/trace" | sort -u
done | sort | uniq -c | awk -v n="${#progs[@]}" '{ print "programs", $1 "/" n, $2 }'

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: runs every figure, prints the report, and writes it with
# the machine, the date and the commands to bench/RESULTS.md.
#
#   bench/run.sh [BUILD]       (root)
#
# Figures: a. the hook alone (bench/hook.sh), e./f. the engine path and
# the pass-through commands (bench/engine.sh), b. `runc run` through the
# shim (bench/shim-overhead.sh), g. `docker run` on a private dockerd
# (bench/docker.sh), c. the spec-size curves (bench/spec-size.sh), d. 50
# containers at once (bench/parallel.sh). BENCH_ONLY="hook engine" runs
# only those scripts. Knobs: bench/lib.sh (BENCH_ROUNDS, BENCH_REPEATS).
# About 10 to 15 minutes on a quiet 2-core machine with the defaults.
#
# The binaries are copied to a private directory first: another engineer's
# `make` in the same tree must not swap them halfway through a figure.
set -eu
SRC_BUILD=$(cd "${1:-build}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/RESULTS.md

W=$(mktemp -d /tmp/confine-bench-run.XXXXXX)
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$W/build/bench"
for b in confine-hook confine-runtime confine; do
  cp "$SRC_BUILD/$b" "$W/build/$b"
done
cp "$SRC_BUILD/bench/timer" "$SRC_BUILD/bench/lifecycle" "$SRC_BUILD/bench/exec-glibc" \
  "$SRC_BUILD/bench/exec-nolibc" "$W/build/bench/"
export BUILD=$W/build ROOT
export BENCH_RAW=$W/raw BENCH_CMDS=$W/cmds BENCH_TARGETS=$W/targets
: > "$BENCH_RAW"; : > "$BENCH_CMDS"; : > "$BENCH_TARGETS"

start=$(date +%s)
for s in ${BENCH_ONLY:-hook engine shim-overhead docker spec-size parallel}; do
  echo "== bench/$s.sh ($(date -u +%H:%M:%S))" >&2
  bash "$ROOT/bench/$s.sh" "$BUILD"
done
elapsed=$(( $(date +%s) - start ))

table=$(bash "$ROOT/bench/report.sh" "$BENCH_RAW" "$BENCH_TARGETS" "$BENCH_CMDS")
# Kept beside the timer, so the table can be rendered again (bench/report.sh
# BUILD/bench/raw BUILD/bench/targets BUILD/bench/cmds) without rerunning.
cp "$BENCH_RAW" "$BENCH_CMDS" "$BENCH_TARGETS" "$SRC_BUILD/bench/"
printf '%s\n' "$table"

load=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# confine benchmark results"
  echo
  echo "Written by \`make bench\` (bench/run.sh); do not edit by hand."
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| nproc | $(nproc) |"
  echo "| CPU | $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) |"
  echo "| kernel | $(uname -r) |"
  echo "| runc | $(runc --version | head -n 1 | sed 's/^runc version //'), libseccomp $(runc --version | sed -n 's/^libseccomp: //p') |"
  echo "| commit | $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes') |"
  echo "| load average after the run | $load |"
  echo "| bench time | ${elapsed} s; ${BENCH_ROUNDS:-40} alternating rounds per timer run, ${BENCH_REPEATS:-1} run(s) per figure |"
  echo
  echo "Each figure is one \`timer\` run (bench/timer.c, built as build/bench/timer):"
  echo "the commands of a group alternate, round after round, each round starting"
  echo "at another command, and a figure's paired ratio is the median of its"
  echo "per-round ratios to the group's first row. CPU is the user+sys time of the"
  echo "command's whole process tree (for \`docker run\`, of the whole engine). The"
  echo "command under each table is the exact one: \`\$T\` is the script's private"
  echo "tmpfs, \`\$D\` its directory on the disk; the scripts build the bundles and"
  echo "policies they name."
  echo
  printf '%s\n' "$table"
  echo
  if [ -f "$ROOT/bench/findings.md" ]; then
    echo
    cat "$ROOT/bench/findings.md"
  fi
} > "$OUT"
echo "wrote $OUT" >&2

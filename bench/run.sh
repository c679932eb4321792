#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: runs every figure, prints one Markdown table, and writes
# it with the machine, the date and the commands to bench/RESULTS.md.
#
#   bench/run.sh [BUILD]       (root)
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
cp "$SRC_BUILD/bench/timer" "$W/build/bench/timer"
export BUILD=$W/build ROOT
export BENCH_RAW=$W/raw BENCH_CMDS=$W/cmds BENCH_TARGETS=$W/targets
: > "$BENCH_RAW"; : > "$BENCH_CMDS"; : > "$BENCH_TARGETS"

start=$(date +%s)
for s in hook shim-overhead spec-size parallel; do
  echo "== bench/$s.sh" >&2
  bash "$ROOT/bench/$s.sh" "$BUILD"
done
elapsed=$(( $(date +%s) - start ))

table=$(bash "$ROOT/bench/report.sh" "$BENCH_RAW" "$BENCH_TARGETS")
# Kept beside the timer, so the table can be rendered again (bench/report.sh
# BUILD/bench/raw BUILD/bench/targets) without rerunning.
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
  echo "| bench time | ${elapsed} s; rounds ${BENCH_ROUNDS:-20} per timer run, ${BENCH_REPEATS:-3} repeats, ${BENCH_PARALLEL_ROUNDS:-5} rounds for the 50-at-once batches |"
  echo
  echo "## Results"
  echo
  echo "Wall times in ms. Each figure: the median of the repeat medians; min and"
  echo "max over all runs; \"ratio of medians\" is to the group's first row (plain"
  echo "runc, or \`true\` for the hook alone); \"paired ratio\" is the median of"
  echo "per-round ratios; \"CPU\" is the median user+sys time of the whole process"
  echo "tree (steadier than wall time on a shared machine); \"noise\" is the range"
  echo "of the repeat medians as a share of their median."
  echo
  printf '%s\n' "$table"
  echo
  echo "## Commands"
  echo
  echo "Each figure is one \`timer\` command (bench/timer.c, built as build/bench/timer)"
  echo "run once per repeat by the script named. \`\$T\` is the script's private tmpfs,"
  echo "\`\$D\` a directory on the disk (/tmp); the scripts build the bundles and policies"
  echo "they name."
  echo
  awk -F'\t' '!seen[$1]++ {
      s = $1
      script = (s ~ /^a\./) ? "hook" : (s ~ /^b\./) ? "shim-overhead" : (s ~ /^c\./) ? "spec-size" : "parallel"
      printf "- **%s** (bench/%s.sh):\n\n  ```sh\n  %s\n  ```\n\n", s, script, $2
    }' "$BENCH_CMDS"
  if [ -f "$ROOT/bench/findings.md" ]; then
    echo
    cat "$ROOT/bench/findings.md"
  fi
} > "$OUT"
echo "wrote $OUT" >&2

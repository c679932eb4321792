#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# One batch of figure d, run by the timer: start every bundle of a set at
# once, wait for all, and check each verdict. Exits non-zero if any
# container did the wrong thing, so the timer counts the round as failed
# (a fast batch that refused the wrong containers measures nothing).
#
#   bench/batch.sh run   DIR SET MODE    MODE: runc | shim
#   bench/batch.sh reset DIR SET         pristine config.json, no markers
#
# DIR/SET/MODE/pristine/cN.json are the specs (made by bench/parallel.sh),
# DIR/SET/MODE/cN the bundles, and DIR/SET/MODE/marks gets /marks/cN from
# each container that ran. DIR/SET/refuse lists the indexes the gate must
# refuse; plain runc runs them all. Failures go to DIR/SET/errors, since
# the timer discards our stderr.
set -u
what=$1 dir=$2 set=$3
S=$dir/$set

if [ "$what" = reset ]; then
  for m in runc shim; do
    rm -rf "$S/$m/marks" && mkdir -p "$S/$m/marks" || exit 1
    for f in "$S/$m"/pristine/c*.json; do
      c=$(basename "$f" .json)
      cp "$f" "$S/$m/$c/config.json" || exit 1
    done
  done
  exit 0
fi

mode=$4
exec 2>>"$S/errors"
case $mode in
  runc) cmd=(runc) ;;
  shim) cmd=("$BUILD/confine-runtime"); export CONFINE_POLICY=$dir/policy.json ;;
  *) echo "batch: unknown mode $mode" >&2; exit 2 ;;
esac

declare -A pid=()
for f in "$S/$mode"/pristine/c*.json; do
  c=$(basename "$f" .json)
  "${cmd[@]}" --root "$dir/runc-state" run -b "$S/$mode/$c" "$set-$mode-$c" \
    </dev/null >"$S/$mode/$c.out" 2>&1 &
  pid[$c]=$!
done

# Allowed: exit 0 and the marker is there. Refused (shim only): exit 1,
# our refusal line, and no marker, i.e. the command never ran.
bad=0
for c in "${!pid[@]}"; do
  wait "${pid[$c]}"
  status=$?
  if [ "$mode" = shim ] && grep -qx "${c#c}" "$S/refuse"; then
    if [ "$status" != 1 ] || [ -e "$S/$mode/marks/$c" ] \
       || ! grep -q '^confine: refused: .*CAP_SYS_ADMIN' "$S/$mode/$c.out"; then
      echo "batch: $set/$mode/$c should be refused: exit $status, $(head -c 300 "$S/$mode/$c.out")" >&2
      bad=1
    fi
  elif [ "$status" != 0 ] || [ ! -e "$S/$mode/marks/$c" ]; then
    echo "batch: $set/$mode/$c should run: exit $status, $(head -c 300 "$S/$mode/$c.out")" >&2
    bad=1
  fi
done
exit "$bad"

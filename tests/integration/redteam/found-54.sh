#!/bin/sh
# found-54: process.oomScoreAdj -1000 (`docker run --oom-score-adj=-1000`,
# any Docker API user): runc writes it as root, the OOM killer never
# picks the container, and under memory pressure it kills host processes
# (kubelet and containerd run at -999) for the container's memory. A
# positive control: a raised adjustment (500) runs and the container
# reads it back. (This machine's root lacks CAP_SYS_RESOURCE, so runc
# itself could not lower it here; the refusal comes first, from the
# fields rule, and the container's command never runs.)
# Exit 0: the container ran with -1000; 1: refused.
. "$(dirname "$0")/lib.sh"
policy
attempt () {
  rm -f "$W/out/$2"
  bundle "$W/b-$2" "
c['process']['oomScoreAdj']=$1
c['process']['args']=['sh','-c','cat /proc/self/oom_score_adj > /out/$2']
"
  engine "$W/b-$2" "$2"
}
attempt 500 raised && grep -qx 500 "$W/out/raised" \
  || { echo "positive control failed: oomScoreAdj 500 did not run"; exit 2; }
echo "positive control: oomScoreAdj 500 ran, the container reads $(cat "$W/out/raised")"
if attempt -1000 unkillable; then
  echo "ATTACK WORKED: the container ran with oom_score_adj $(cat "$W/out/unkillable")"; exit 0; fi
grep -q 'confine: refused' "$W/unkillable.out" || { echo "failed otherwise"; exit 2; }
echo "refused; the command never ran"; exit 1

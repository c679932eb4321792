#!/bin/sh
# found-71: process.rlimits RLIMIT_RTPRIO 99 (`docker run --ulimit
# rtprio=99`, any Docker or Podman API user; red team 5 F-07): runc sets
# rlimits while it holds every capability, and with it the container's
# processes take SCHED_FIFO without CAP_SYS_NICE, ahead of every host
# process. A positive control: Podman's nofile and nproc limits and an
# rtprio of 0 run, and the container reads them back. (This machine's
# root lacks CAP_SYS_RESOURCE, so runc itself could not raise the hard
# limit here; the refusal comes first, from the rlimits rule, and the
# container's command never runs.)
# Exit 0: the container ran with rtprio 99; 1: refused.
. "$(dirname "$0")/lib.sh"
policy
attempt () {
  rm -f "$W/out/$2"
  bundle "$W/b-$2" "
c['process']['rlimits']=[{'type':'RLIMIT_NOFILE','hard':1024,'soft':1024},
                         {'type':'RLIMIT_NPROC','hard':512,'soft':512},
                         {'type':'RLIMIT_RTPRIO','hard':$1,'soft':$1}]
c['process']['args']=['sh','-c','grep -E \"open files|realtime priority\" /proc/self/limits > /out/$2']
"
  engine "$W/b-$2" "$2"
}
attempt 0 none && grep -q 'realtime priority *0 *0' "$W/out/none" \
  || { echo "positive control failed: rtprio 0 did not run"; exit 2; }
echo "positive control: nofile, nproc and rtprio 0 ran: $(tr -s ' ' < "$W/out/none" | tr '\n' ';')"
if attempt 99 realtime; then
  echo "ATTACK WORKED: the container ran with $(grep realtime "$W/out/realtime")"; exit 0; fi
grep -q 'confine: refused' "$W/realtime.out" || { echo "failed otherwise: $(cat "$W/realtime.out")"; exit 2; }
echo "refused; the command never ran"; exit 1

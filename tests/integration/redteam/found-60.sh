#!/bin/sh
# found-60: the gate's own directories as bind sources (red team 3 F-07,
# F-08). A container's root is uid 0 on the host, so what it writes in the
# gate's cache_dir is root's, all the cache asks of an entry: a writable
# bind of it forges seccomp verdicts and the records `start` checks. No
# list names this policy's cache_dir ($W/cache, moved from /run/confine):
# the mounts rule derives it from the loaded policy. Likewise a writable
# bind of the directory holding decision_log (moved to $W/log), where the
# container would put a link in the log's place. And the state root of
# the runc the shim runs (its --root, $W/runc here, /run/runc for Podman
# and CRI-O), whose state.json `runc delete` trusts for poststop hooks.
#   attack: `-v <cache_dir>:/c`, `-v <decision_log's dir>:/l`,
#   `-v <runc's root>:/r`;
#   control: a directory beside each, and the log's directory read-only
#   (as log shippers bind /var/log).
# Exit 0: a bind of the gate's paths ran; 1: refused, the command never
# ran, and the controls ran; 2: something else.
. "$(dirname "$0")/lib.sh"
mkdir -p "$W/beside" "$W/log" || exit 2
policy "p['inject']['hook']=True; p['decision_log']=w+'/log/decisions.log'"
binds_case control beside "$W/beside:/c"
binds_case control logro "$W/log:/l:ro"
binds_case attack cache "$W/cache:/c"
grep -h "is inside the host's \`$W/cache\`\|exposes the host's \`$W/cache\`" "$W/cache.out" > /dev/null ||
  { echo "the refusal does not name the cache_dir"; exit 2; }
binds_case attack log "$W/log:/l"
grep -h "holds the host's \`$W/log/decisions.log\`" "$W/log.out" > /dev/null ||
  { echo "the refusal does not name the decision log"; exit 2; }
mkdir -p "$W/runc" || exit 2
binds_case attack runcroot "$W/runc:/r"
grep -h "exposes the host's \`$W/runc\`" "$W/runcroot.out" > /dev/null ||
  { echo "the refusal does not name runc's root"; exit 2; }
exit 1

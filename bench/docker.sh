#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure g: `docker run --rm busybox true` end to end, on a real dockerd
# and containerd that this script starts and stops (tests/lib/engine.sh:
# their own roots and sockets under a private directory, no iptables, no
# bridge, vfs storage, busybox-static imported as the image). confine is
# registered in that daemon only, as its default runtime, and compared
# with `--runtime runc` on the same daemon. No engine already running on
# the host is touched, and nothing is installed.
#
#   bench/docker.sh BUILD        (root; see bench/lib.sh for the knobs)
#
# The wall time is the docker client's, from request to exit. The CPU
# time is that of the whole engine (dockerd, containerd, the shims, the
# runtimes, the client), read from a cpuacct cgroup that this script puts
# itself in before it starts the daemons: the client alone does little of
# the work. The container's own process runs in Docker's cgroup and is
# not counted, on either side.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/lib/engine.sh"
for c in dockerd containerd containerd-shim-runc-v2 docker; do
  command -v "$c" >/dev/null || { echo "bench: $c is not installed (tests/deps.sh)" >&2; exit 2; }
done
# Sockets live under the engine directory: keep it short.
D=$(mktemp -d /tmp/cbd.XXXXXX)
T=''
CG=/sys/fs/cgroup/cpuacct/confine-bench-$$
# Every step may fail without stopping the others (set -e would).
stop () {
  engine_stop
  if [ -d "$CG" ]; then
    echo $$ > /sys/fs/cgroup/cpuacct/cgroup.procs 2>/dev/null || true
    rmdir "$CG" 2>/dev/null || true
  fi
  engine_remove_dir "$D/e" >/dev/null 2>&1 || true
  rm -rf "$D" || true
}
trap stop EXIT
trap 'exit 130' INT TERM
export ENGINE_NO_TRAP=1

mkdir -p "$D/sfs"
shipped_policy "$D/policy.json" "$D/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\" | .cache_dir = \"$D/cache\"
   | .decision_log = \"$D/decisions.log\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
# containerd hands its environment to the runc shim, which hands it to the
# runtime: that is how the policy reaches confine-runtime.
export CONFINE_POLICY=$D/policy.json

CPU_FILE=
if mkdir "$CG" 2>/dev/null && echo $$ > "$CG/cgroup.procs"; then
  CPU_FILE=$CG/cpuacct.usage
else
  echo "bench: no cpuacct cgroup; the docker figure's CPU is the client's only" >&2
fi

engine_start "$D/e" --add-runtime "confine=$BUILD/confine-runtime" --default-runtime confine \
  || { echo "bench: the private dockerd did not start" >&2; exit 1; }
engine_import_busybox || { echo "bench: cannot import busybox" >&2; exit 1; }

IMG=$ENGINE_IMAGE
# Both must run, and the confined one through the gate.
docker run --rm --network none "$IMG" true </dev/null \
  || { echo "bench: docker run through confine fails" >&2; exit 1; }
docker run --rm --network none --runtime runc "$IMG" true </dev/null \
  || { echo "bench: docker run --runtime runc fails" >&2; exit 1; }
grep -q '"component":"shim"' "$D/decisions.log" \
  || { echo "bench: the shim logged no decision for docker run" >&2; exit 1; }

G="g. docker run --rm busybox true (real dockerd)"
measure "$G" -w 2 ${CPU_FILE:+-c "$CPU_FILE"} \
  -l "--runtime runc" -l "confine (default runtime)" \
  -- docker run --rm --network none --runtime runc "$IMG" true \
  -- docker run --rm --network none "$IMG" true
target "$G" "confine (default runtime)" ratio 1.01

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Figure c: how the hook's time grows with the spec. Docker's default
# config, grown with jq:
#   mounts         10 (Docker's own), 100, 1000: the extra ones are bind
#                  mounts of distinct directories, each resolved on the
#                  host and checked against the sensitive paths; verdict
#                  cache warm, so only the mounts grow
#   seccomp rules  50, 500, 5000 entries in linux.seccomp.syscalls, each
#                  one allowed syscall with an arg-0 equality, so no two
#                  are alike and libseccomp cannot merge them away (Docker's
#                  allowed names in turn but those whose mode or file
#                  type the device-node and setuid rules read (MODAL: an
#                  arg-0 rule breaks them), arg 0 = round number); warm
#                  and cold (cache emptied before every
#                  round)
#
#   bench/spec-size.sh BUILD      (root; see bench/lib.sh for the knobs)
#
# Each label carries the spec's size and, for seccomp, the BPF program
# length the hook reported, so the curve can be read against the input.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_scratch size

mkdir -p "$T/nosfs"
shipped_policy "$T/warm.json" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .cache_dir = \"$T/warm.cache\" | .decision_log = \"$T/decisions.log\""
shipped_policy "$T/cold.json" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .cache_dir = \"$T/cold.cache\" | .decision_log = \"$T/decisions.log\""
# Without the network hook of the dockerd that wrote it (gone, so the
# hooks rule would refuse it; bench/hook.sh times that rule).
DOCKER=$T/docker-default.json
jq "del(.hooks)" "$ROOT/tests/fixtures/docker/default.json" > "$DOCKER"

# spec NAME JQ-ARGS... FILTER: a bundle, as the shim's create writes it
# for runc, and its OCI state (its cgroup named after the id NAME, as
# Docker names it); prints a label suffix with the spec's size and the
# verdict's BPF length.
spec () {
  local name=$1; shift
  mkdir -p "$T/$name"
  jq "$@" "$DOCKER" | jq --arg id "$name" '.linux.cgroupsPath = "/docker/" + $id' > "$T/$name/config.json"
  shim_written_spec "$T/$name" "$name" "$T/warm.json" \
    || { echo "bench: the shim refuses spec $name" >&2; exit 1; }
  oci_state "$T/$name" "$name" "$T/$name.state"
  "$BUILD/confine-hook" --policy "$T/warm.json" < "$T/$name.state" \
    || { echo "bench: the hook refuses spec $name" >&2; exit 1; }
}
size_kb () { echo "$(( ($(stat -c %s "$T/$1/config.json") + 512) / 1024 )) KB"; }
bpf_len () {
  tail -n 1 "$T/decisions.log" | jq -r '.rules.seccomp.fact' | grep -o '[0-9]* BPF instructions' \
    | sed 's/ instructions/ insns/'
}

mkdir -p "$T/vol"
declare -a mlabels=() margs=() minputs=()
for n in 10 100 1000; do
  for i in $(seq 1 $((n - 10))); do mkdir -p "$T/vol/$i"; done
  spec "mounts-$n" --arg vol "$T/vol" --argjson n "$n" \
    '.mounts += [range(1; $n - 9) | {destination: "/vol/\(.)", type: "bind",
                  source: "\($vol)/\(.)", options: ["rbind", "ro"]}]'
  mlabels+=(-l "$n mounts ($(size_kb "mounts-$n")), warm")
  minputs+=(-i "$T/mounts-$n.state")
  margs+=(-- "$BUILD/confine-hook" --policy "$T/warm.json")
done

# The calls whose arguments the device-node and setuid rules read (a
# mode, a file type) or that they must see denied outright: an arg-0
# rule would let them through, which the shim does not repair.
MODAL='["mknod","mknodat","chmod","fchmod","fchmodat","fchmodat2","creat","open","openat",
        "openat2","io_uring_setup","io_uring_enter","io_uring_register","setxattr","lsetxattr",
        "fsetxattr","setxattrat"]'
declare -a sw=() sc=() inputs=()
for n in 50 500 5000; do
  spec "rules-$n" --argjson n "$n" --argjson modal "$MODAL" '
    ([.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0)
      | .names[] | select(IN($modal[]) | not)] | unique) as $names
    | .linux.seccomp.syscalls = [range($n) as $i | {names: [$names[$i % ($names | length)]],
        action: "SCMP_ACT_ALLOW",
        args: [{index: 0, value: (($i / ($names | length)) | floor), op: "SCMP_CMP_EQ"}]}]'
  info="$(size_kb "rules-$n"), $(bpf_len)"
  sw+=(-l "$n seccomp rules ($info), warm")
  sc+=(-l "$n seccomp rules ($info), cold")
  inputs+=(-i "$T/rules-$n.state")
done

# `true` rides along in each run so the spawn floor is visible.
measure "c. hook vs spec size: mounts" -w 3 -l "true (process spawn)" "${mlabels[@]}" \
  -i /dev/null "${minputs[@]}" -- true "${margs[@]}"
measure "c. hook vs spec size: seccomp, warm" -w 3 -l "true (process spawn)" "${sw[@]}" \
  -i /dev/null "${inputs[@]}" -- true \
  -- "$BUILD/confine-hook" --policy "$T/warm.json" -- "$BUILD/confine-hook" --policy "$T/warm.json" \
  -- "$BUILD/confine-hook" --policy "$T/warm.json"
measure "c. hook vs spec size: seccomp, cold" -w 1 -b "rm -rf $T/cold.cache" -l "true (process spawn)" \
  "${sc[@]}" -i /dev/null "${inputs[@]}" -- true \
  -- "$BUILD/confine-hook" --policy "$T/cold.json" -- "$BUILD/confine-hook" --policy "$T/cold.json" \
  -- "$BUILD/confine-hook" --policy "$T/cold.json"

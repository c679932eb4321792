#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The devices and hooks rules in front of the real runc: a hook the spec
# brings never runs on the host, a host block device never reaches the
# container, and each refusal has a control showing that runc alone would
# have run the hook or opened the device. Docker's own network hook is
# judged on a real dockerd binary.
# Needs root, runc, jq, losetup and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

LOOP= DOCKERD=
extra_cleanup () {
  [ -n "$DOCKERD" ] && { kill -9 "$DOCKERD" && wait "$DOCKERD"; } 2>/dev/null
  [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
}
shim_engine_setup shim-devhooks devhooks
command -v losetup >/dev/null || { fail shim-devhooks-setup "losetup is not installed"; exit 1; }
mkdir -p "$T/host"

present () { [ -e "$1" ] && echo present || echo absent; }

# --- hooks ------------------------------------------------------------------

# Hooks at every host stage, each leaving a marker on the host.
hook () { printf '{"path": "/bin/sh", "args": ["sh", "-c", "echo ran > %s/%s"]}' "$T/host" "$1"; }
HOOKS=".hooks = {prestart: [$(hook prestart)], createRuntime: [$(hook createRuntime)],
                 createContainer: [$(hook createContainer)], poststop: [$(hook poststop)]}"
new_bundle "$T/hooks" '["touch", "/mnt/hooks-cmd"]' "$HOOKS"

# Control: runc alone runs every one of them, and the command.
runc run -b "$T/hooks" "$ID-hctl" </dev/null >"$T/hctl.out" 2>&1
if [ -e "$T/host/prestart" ] && [ -e "$T/host/createRuntime" ] && [ -e "$T/host/createContainer" ] \
   && [ -e "$T/host/poststop" ] && [ -e "$T/out/hooks-cmd" ]; then
  pass control-runc-alone-runs-spec-hooks-on-the-host
else
  fail control-runc-alone-runs-spec-hooks-on-the-host "$(ls "$T/host" "$T/out") $(cat "$T/hctl.out")"
fi
rm -f "$T"/host/* "$T/out/hooks-cmd"

"$SHIM" run -b "$T/hooks" "$ID-hooks" </dev/null >"$T/hooks.out" 2>"$T/hooks.err"
rc=$?
if [ "$rc" = 1 ] && grep -q '^confine: refused: .*hooks: prestart hook 0 `/bin/sh` with args `sh -c echo ran' "$T/hooks.err" \
   && [ -z "$(ls "$T/host")" ] && [ ! -e "$T/out/hooks-cmd" ] && ! runc state "$ID-hooks" >/dev/null 2>&1; then
  pass spec-hooks-refused-and-none-runs
else
  fail spec-hooks-refused-and-none-runs \
    "rc=$rc host: $(ls "$T/host") cmd=$(present "$T/out/hooks-cmd") err=$(cat "$T/hooks.err")"
fi
if grep -q 'createRuntime hook 0 .*createContainer hook 0 .*poststop hook 0 .*(policy hooks.allowed)' "$T/hooks.err"; then
  pass spec-hooks-refusal-names-every-stage
else
  fail spec-hooks-refusal-names-every-stage "$(cat "$T/hooks.err")"
fi

# The injected hook judges at createRuntime, when prestart hooks have run:
# it refuses, but only the shim keeps a prestart hook from running.
new_bundle "$T/late" '["touch", "/mnt/late-cmd"]' \
  ".hooks = {prestart: [$(hook late-prestart)],
             createRuntime: [{path: \"$BUILD/confine-hook\", args: [\"confine-hook\", \"--policy\", \"$POLICY\"],
                              timeout: 10}]}"
runc run -b "$T/late" "$ID-late" </dev/null >"$T/late.out" 2>&1
rc=$?
if [ "$rc" != 0 ] && grep -q 'confine: refused: .*hooks: prestart hook 0' "$T/late.out" \
   && [ -e "$T/host/late-prestart" ] && [ ! -e "$T/out/late-cmd" ]; then
  pass hook-alone-refuses-after-prestart-already-ran
else
  fail hook-alone-refuses-after-prestart-already-ran \
    "rc=$rc prestart=$(present "$T/host/late-prestart") cmd=$(present "$T/out/late-cmd") $(cat "$T/late.out")"
fi
rm -f "$T"/host/*

# An operator's entry lets a hook run: the rule is an allowlist, not a ban.
OPS=$T/ops.json
test_policy "$OPS" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\"
   | .hooks.allowed += [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo ran > $T/host/[a-z]+\"]}]"
new_bundle "$T/okhook" '["touch", "/mnt/okhook-cmd"]' ".hooks = {prestart: [$(hook allowed)]}"
if CONFINE_POLICY=$OPS "$SHIM" run -b "$T/okhook" "$ID-okhook" </dev/null >"$T/okhook.out" 2>&1 \
   && [ -e "$T/host/allowed" ] && [ -e "$T/out/okhook-cmd" ]; then
  pass allowed-hook-runs-through-the-shim
else
  fail allowed-hook-runs-through-the-shim "hook=$(present "$T/host/allowed") $(cat "$T/okhook.out")"
fi

# Docker's network hook, on a real dockerd binary standing in for the
# daemon that wrote tests/fixtures/docker/default.json.
stand_in_dockerd "$T" || { fail shim-devhooks-setup "no stand-in dockerd"; exit 1; }
DOCKERD=$STAND_IN_DOCKERD
jq --arg exe "/proc/$DOCKERD/exe" ".process.apparmorProfile = \"docker-default\" | .hooks.prestart[0].path = \$exe | $SHIM_DEVICES" \
  "$ROOT/tests/fixtures/docker/default.json" >"$T/docker-default.json"
make_securityfs "$T/sfs-aa" "docker-default (enforce)"
test_policy "$T/aa.json" "$T/sfs-aa"
out=$("$BUILD/confine" check --no-log --policy "$T/aa.json" "$T/docker-default.json" 2>&1); rc=$?
if [ "$rc" = 0 ] && grep -qE '^hooks +pass ' <<<"$out"; then
  pass docker-default-spec-with-its-network-hook-passes
else
  fail docker-default-spec-with-its-network-hook-passes "rc=$rc $out"
fi
jq --arg exe "/proc/$$/exe" '.hooks.prestart[0].path = $exe' "$T/docker-default.json" >"$T/docker-other.json"
out=$("$BUILD/confine" check --no-log --policy "$T/aa.json" "$T/docker-other.json" 2>&1); rc=$?
if [ "$rc" = 1 ] && grep -qE '^hooks +FAIL .*\(runs `/usr/bin/bash`\) with args `libnetwork-setkey' <<<"$out"; then
  pass docker-network-hook-args-on-another-binary-refused
else
  fail docker-network-hook-args-on-another-binary-refused "rc=$rc $out"
fi

# --- devices ----------------------------------------------------------------

# A read-only loop device with a known first sector plays a host disk.
printf 'confine-host-disk-secret' >"$T/disk.img"
truncate -s 1M "$T/disk.img"
LOOP=$(losetup -f --show -r "$T/disk.img") || { fail shim-devhooks-setup "losetup failed"; exit 1; }
MAJOR=$((16#$(stat -c %t "$LOOP"))) MINOR=$((16#$(stat -c %T "$LOOP")))
DISK=".linux.devices += [{path: \"/dev/xdisk\", type: \"b\", major: $MAJOR, minor: $MINOR, fileMode: 384}]
      | .linux.resources.devices += [{allow: true, type: \"b\", major: $MAJOR, minor: $MINOR, access: \"r\"}]"
new_bundle "$T/disk" '["sh", "-c", "head -c 24 /dev/xdisk > /mnt/disk-read"]' "$DISK"
cp "$T/disk/config.json" "$T/disk.orig.json"

# Control: runc alone gives the container the disk.
runc run -b "$T/disk" "$ID-dctl" </dev/null >"$T/dctl.out" 2>&1
if [ "$(cat "$T/out/disk-read" 2>/dev/null)" = confine-host-disk-secret ]; then
  pass control-runc-alone-lets-the-container-read-the-disk
else
  fail control-runc-alone-lets-the-container-read-the-disk "$(cat "$T/dctl.out")"
fi
rm -f "$T/out/disk-read"

"$SHIM" run -b "$T/disk" "$ID-disk" </dev/null >"$T/disk.out" 2>"$T/disk.err"
rc=$?
if [ "$rc" = 1 ] && [ ! -e "$T/out/disk-read" ] && ! runc state "$ID-disk" >/dev/null 2>&1 \
   && grep -q "^confine: refused: .*devices: not allowed: device cgroup rule [0-9]* allows \`b $MAJOR:$MINOR r\`, linux.devices \`/dev/xdisk\` (b $MAJOR:$MINOR) (policy devices.allowed)" "$T/disk.err"; then
  pass host-disk-refused-naming-it-and-command-never-runs
else
  fail host-disk-refused-naming-it-and-command-never-runs \
    "rc=$rc read=$(present "$T/out/disk-read") err=$(cat "$T/disk.err")"
fi

# The node alone (no cgroup rule) is refused too.
new_bundle "$T/node" '["touch", "/mnt/node-cmd"]' \
  ".linux.devices += [{path: \"/dev/sda\", type: \"b\", major: $MAJOR, minor: $MINOR}]"
if ! "$SHIM" run -b "$T/node" "$ID-node" </dev/null >/dev/null 2>"$T/node.err" \
   && grep -q "linux.devices \`/dev/sda\` (b $MAJOR:$MINOR)" "$T/node.err" && [ ! -e "$T/out/node-cmd" ]; then
  pass device-node-alone-refused
else
  fail device-node-alone-refused "$(cat "$T/node.err")"
fi

# With the device in the operator's list, the same bundle runs.
cp "$T/disk.orig.json" "$T/disk/config.json"
test_policy "$T/disk-ok.json" "$T/sfs" \
  ".apparmor.when_unavailable = \"skip\" | .runtime = \"runc\"
   | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\"
   | .devices.allowed += [\"b $MAJOR:$MINOR r\"]"
if CONFINE_POLICY=$T/disk-ok.json "$SHIM" run -b "$T/disk" "$ID-diskok" </dev/null >"$T/diskok.out" 2>&1 \
   && [ "$(cat "$T/out/disk-read" 2>/dev/null)" = confine-host-disk-secret ]; then
  pass allowed-device-reaches-the-container
else
  fail allowed-device-reaches-the-container "$(cat "$T/diskok.out")"
fi

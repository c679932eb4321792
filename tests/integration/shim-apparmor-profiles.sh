#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# apparmor.allowed_profiles with the real runc through the shim: a spec
# naming a host program's profile, loaded and enforcing, is refused at
# create before runc starts it, naming the profile and the key; the
# control (the same bundle with the profile listed) passes the gate and
# reaches runc. This kernel has no AppArmor: the securityfs is a folder
# listing the profiles as loaded and enforcing, so runc itself cannot
# apply the profile, and the control's container fails in runc, after the
# gate allowed it.
# Needs root, runc, jq and a static /bin/busybox.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

shim_engine_setup shim-aaprof aaprof
make_securityfs "$T/sfs-aa" "docker-default (enforce)" "libvirtd (enforce)" \
  "lxc-container-default-with-mounting (enforce)"
AA=$T/aa.json
test_policy "$AA" "$T/sfs-aa" \
  ".runtime = \"runc\" | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
LISTED=$T/listed.json
test_policy "$LISTED" "$T/sfs-aa" \
  ".runtime = \"runc\" | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\"
   | .apparmor.allowed_profiles += [\"libvirtd\"]"

for prof in libvirtd lxc-container-default-with-mounting; do
  new_bundle "$T/$prof" '["touch", "/mnt/marker"]' ".process.apparmorProfile = \"$prof\""
  rm -f "$T/out/marker"
  CONFINE_POLICY=$AA "$SHIM" create --bundle "$T/$prof" "$ID-$prof" </dev/null >/dev/null \
    2>"$T/$prof.err"; rc=$?
  if [ "$rc" = 1 ] && [ "$(wc -l <"$T/$prof.err")" = 1 ] \
     && refused_by apparmor "$T/$prof.err" \
     && grep -qF "apparmor: AppArmor profile \`$prof\` is not one the policy allows; to allow it, add it to apparmor.allowed_profiles" "$T/$prof.err" \
     && [ ! -e "$T/out/marker" ] && ! runc state "$ID-$prof" >/dev/null 2>&1; then
    pass "enforcing-host-profile-$prof-refused-at-create-naming-the-key"
  else
    fail "enforcing-host-profile-$prof-refused-at-create-naming-the-key" \
      "rc=$rc marker=$([ -e "$T/out/marker" ] && echo present || echo absent) err=$(cat "$T/$prof.err")"
  fi
  # Whatever start is then asked, nothing was created to start.
  CONFINE_POLICY=$AA "$SHIM" start "$ID-$prof" </dev/null >/dev/null 2>&1
  if [ ! -e "$T/out/marker" ]; then
    pass "refused-$prof-container-command-never-runs"
  else
    fail "refused-$prof-container-command-never-runs" "the marker exists"
  fi
done

# Control: listed, the same bundle passes the gate (the decision log
# allows it) and runc gets to apply the profile, which this kernel cannot.
CONFINE_POLICY=$LISTED "$SHIM" create --bundle "$T/libvirtd" "$ID-listed" </dev/null >/dev/null \
  2>"$T/listed.err"; rc=$?
"$SHIM" delete --force "$ID-listed" >/dev/null 2>&1
if ! grep -q 'confine: refused' "$T/listed.err" && grep -qi 'apparmor\|attr' "$T/listed.err" \
   && jq -e --arg id "$ID-listed" 'select(.id == $id and .action == "create") | .verdict == "allow"' \
        "${LISTED%.json}.log" >/dev/null; then
  pass "control-listed-profile-passes-the-gate-and-reaches-runc"
else
  fail "control-listed-profile-passes-the-gate-and-reaches-runc" \
    "rc=$rc err=$(cat "$T/listed.err") log=$(tail -n 2 "${LISTED%.json}.log" 2>&1)"
fi

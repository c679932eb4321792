#!/bin/bash
# found-80 (red team 7, F-05): the rest of systemd's runtime configuration
# in /run was bindable writable: /run/initramfs (systemd-shutdown, pid 1,
# switches into it and runs its `shutdown` at every poweroff and reboot),
# /run/sysusers.d (`m USER sudo`, applied by the next package upgrade)
# and /run/user/0 (root's user manager loads units from it); dockerd
# makes a missing source. In a private mount namespace a fresh tmpfs lies
# over /run, so the host's is never touched. Control: another user's
# runtime directory, which stays bindable (a sound socket). Exit 0: an
# attack's command ran; 1: every one refused, its command never run,
# and the control ran; 2: something else.
[ -n "${RT_INNER:-}" ] || RT_INNER=1 exec unshare -m --propagation private bash "$0" "$@"
mount -t tmpfs -o mode=0755 tmpfs /run || { echo "cannot lay a tmpfs over /run"; exit 2; }
. "$(dirname "$0")/lib.sh"
mkdir -p /run/initramfs /run/sysusers.d /run/user/0 /run/user/1000
policy
binds_case control user-runtime "/run/user/1000:/u"
binds_case attack exitrd "/run/initramfs:/x"
binds_case attack sysusers "/run/sysusers.d:/x"
binds_case attack root-user-manager "/run/user/0:/x"
exit 1

# SPDX-License-Identifier: Apache-2.0
# The AppArmor proof on a real AppArmor kernel (issue 4), see tests/vm/README.md.
#
#   make vm-check        build, then boot a Debian 6.1 kernel (AppArmor built
#                        in) under qemu/TCG with an initramfs made from this
#                        build and run every scenario in it; one line per
#                        scenario, then `N passed, N failed`. About 1 min here,
#                        and never more than VM_TIMEOUT plus the build.
#   make profiles-check  apparmor_parser -QK every profiles/apparmor/* on the host
#                        (`make check` runs the same through tests/integration/profiles.sh)
#
# vm-check needs root (qemu itself does not, but the initramfs must hold
# root-owned files and the kernel cache lives in /var/cache/confine-vm),
# and apt access the first time, to download the kernel package.

# qemu's hard limit in seconds: TCG is slow on a loaded machine (about 20 s a
# scenario there, 3 s idle); the whole run stays under 16 minutes.
VM_TIMEOUT ?= 900

.PHONY: vm-check profiles-check
vm-check: all
	@CONFINE_VM_TIMEOUT=$(VM_TIMEOUT) tests/vm/run.sh $(B)

profiles-check:
	@tests/vm/check-profiles.sh

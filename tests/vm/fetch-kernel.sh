#!/bin/sh
# Fetch (once) a Debian kernel that has AppArmor built in, and print the
# path of its vmlinuz.
#
# Usage: tests/vm/fetch-kernel.sh            -> prints /path/to/vmlinuz
# Env:   CONFINE_VM_CACHE   cache folder (default /var/cache/confine-vm)
#        CONFINE_VM_KERNEL  exact package, e.g. linux-image-6.1.0-56-amd64
#                           (default: the newest 6.1.0-N-amd64 apt knows,
#                           or, offline, the newest already in the cache)
#        CONFINE_VM_KEEP_MODULES=1  keep lib/modules (default: dropped)
#
# Why a Debian kernel: the host kernel has no AppArmor, and Debian's
# linux-image-6.1.0-*-amd64 builds AppArmor, seccomp, cgroup2, devtmpfs and
# the 8250 serial console in (CONFIG_*=y), so the VM needs no modules.
# The package is only downloaded and unpacked into the cache by
# fetch-deb.sh; it is never installed and /boot is never touched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${CONFINE_VM_CACHE:-/var/cache/confine-vm}

find_vmlinuz() {
	# $1: unpacked package dir; prints vmlinuz path if present
	for v in "$1"/boot/vmlinuz-*; do
		[ -f "$v" ] && { echo "$v"; return 0; }
	done
	return 1
}

pkg=${CONFINE_VM_KERNEL:-}
if [ -z "$pkg" ]; then
	# Offline fast path: reuse any kernel already unpacked in the cache
	# (the newest by version sort), so a cached run needs no apt at all.
	for d in $(ls -d "$cache"/linux-image-6.1.0-*-amd64 2>/dev/null | sort -V -r); do
		if find_vmlinuz "$d"; then exit 0; fi
	done
	# Ask apt for the newest signed 6.1 kernel.  apt-get update only when
	# the lists know none (it takes time and network).
	list() {
		apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
			awk '{print $1}' | sort -V | tail -n 1
	}
	pkg=$(list)
	if [ -z "$pkg" ]; then
		timeout 300 apt-get update -qq >&2
		pkg=$(list)
	fi
	[ -n "$pkg" ] || { echo "fetch-kernel: no linux-image-6.1.0-*-amd64 in apt" >&2; exit 1; }
fi

# Everything the VM needs is built in, so the ~390 MB of modules are not
# kept (set CONFINE_VM_KEEP_MODULES=1 to keep lib/modules, e.g. to add a
# module to the initramfs later).
drop="lib usr"
[ "${CONFINE_VM_KEEP_MODULES:-0}" = 1 ] && drop=
# shellcheck disable=SC2086 # one word per folder
dest=$("$here/fetch-deb.sh" "$pkg" $drop)
find_vmlinuz "$dest" || { echo "fetch-kernel: $pkg has no vmlinuz" >&2; exit 1; }

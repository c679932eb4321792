#!/bin/sh
# Prove confine's AppArmor behaviour on a real AppArmor kernel, in a VM.
#
# Usage: tests/vm/run.sh BUILD_DIR      (or: make vm-check)
#   BUILD_DIR holds the project's binaries; confine-hook and
#   confine-runtime are required.
#
# Steps: fetch a Debian kernel with AppArmor built in (cached), build an
# initramfs from this machine's binaries, boot it under qemu (TCG: nested
# KVM is not available) with a hard time limit, save the serial console
# to a log, and report the scenarios' "VMTEST ..." lines.
#
# Output: one line per scenario ("ok NAME", "FAIL NAME: reason",
# "skip NAME: reason"), then "N passed, N failed" (", N skipped" when any
# skipped).  Exit status 0 only if nothing failed AND the VM printed
# "VMTEST done", i.e. the scenario script ran to its end.
#
# Missing tools are installed with apt-get when we are root.  Only when a
# VM truly cannot start (no qemu and no way to install it, or no kernel in
# the cache and none from apt) is the suite skipped: loudly, on stderr,
# and counted ("0 passed, 0 failed, 1 skipped", exit 0).
#
# Env:
#   CONFINE_VM_CACHE    kernel cache (default /var/cache/confine-vm)
#   CONFINE_VM_LOG      console log (default $TMPDIR/confine-vmtest/console.log)
#   CONFINE_VM_TIMEOUT  hard limit for qemu, seconds (default 600: TCG on a loaded CI machine)
#   CONFINE_VM_VERBOSE  1: kernel messages on the console, log echoed live
#   CONFINE_VM_ONLY     run only the scenarios whose name starts with this
#                       (while working on some; make vm-check runs all)
#   crun comes from fetch-crun.sh (the host's, or Debian's package cached)
#
# Needs: qemu-system-x86 cpio jq runc apparmor busybox-static, and apt
# access once for the kernel (installed/fetched here when missing).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build_dir=$1
here=$(cd "$(dirname "$0")" && pwd)
limit=${CONFINE_VM_TIMEOUT:-600}
# The scenario script inside gets 40 s less, so a hung scenario is cut
# off and reported from inside, with the VM still shutting down cleanly.
inner=$((limit - 40))
[ "$inner" -ge 30 ] || inner=30

# The one outcome that is not a result: say so where nobody can miss it.
skip_suite() {
	{
		echo "run.sh: ================================================================"
		echo "run.sh: SKIPPED: the AppArmor VM suite did not run: $1"
		echo "run.sh: nothing about AppArmor was proven by this run"
		echo "run.sh: ================================================================"
	} >&2
	echo "skip vm: $1"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

# tool:package pairs; what is missing is installed once, as root.
missing=
for pair in qemu-system-x86_64:qemu-system-x86 cpio:cpio jq:jq runc:runc \
	apparmor_parser:apparmor timeout:coreutils; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
[ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || missing="$missing busybox-static"
if [ -n "$missing" ]; then
	echo "run.sh: installing:$missing" >&2
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # one word per package
		DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends $missing >&2 ||
			echo "run.sh: apt-get install failed" >&2
	fi
	command -v qemu-system-x86_64 >/dev/null 2>&1 || skip_suite "qemu-system-x86_64 is missing and could not be installed"
fi

# The log goes outside the source and build trees so a run never leaves
# an untracked file in the repository.
log=${CONFINE_VM_LOG:-${TMPDIR:-/tmp}/confine-vmtest/console.log}
mkdir -p "$(dirname "$log")"
work=$(mktemp -d "${TMPDIR:-/tmp}/confine-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# A failure before the VM boots still ends in a counted closing line.
prepare_failed() {
	echo "FAIL prepare: $1"
	echo "0 passed, 1 failed"
	exit 1
}
t0=$(date +%s)
vmlinuz=$("$here/fetch-kernel.sh") || skip_suite "no AppArmor kernel: none cached in ${CONFINE_VM_CACHE:-/var/cache/confine-vm} and fetch-kernel.sh could not download one"
# crun for the crun scenarios; without it they report themselves skipped.
crun=$("$here/fetch-crun.sh") || crun=
CONFINE_VM_CRUN=$crun "$here/build-initramfs.sh" "$build_dir" "$work/initrd.cpio" ||
	prepare_failed "build-initramfs.sh failed"
t1=$(date +%s)

# quiet/loglevel=3: kernel messages would interleave with the scenario
# lines on the one serial console (and AppArmor audit lines are many).
quiet="quiet loglevel=3"
[ "${CONFINE_VM_VERBOSE:-0}" = 1 ] && quiet="vmtest.verbose=1"
append="console=ttyS0 apparmor=1 security=apparmor panic=-1 vmtest.timeout=$inner $quiet"
[ -n "${CONFINE_VM_ONLY:-}" ] && append="$append vmtest.only=$CONFINE_VM_ONLY"

echo "run.sh: booting $(basename "$vmlinuz") (limit ${limit}s, log $log)" >&2
# -no-reboot: a reboot or panic ends qemu instead of looping.
# -nic none / -net none: the VM gets no network device at all.
# -serial via -nographic: the console on stdio, saved to the log.
# timeout -k: SIGTERM at the limit, SIGKILL 10 s later if qemu ignores it.
rc=0
timeout -k 10 "$limit" qemu-system-x86_64 \
	-accel tcg -cpu max -smp 1 -m 1024 \
	-nographic -no-reboot -nic none -monitor none -serial stdio \
	-kernel "$vmlinuz" -initrd "$work/initrd.cpio" \
	-append "$append" </dev/null > "$work/console.raw" 2>&1 || rc=$?
t2=$(date +%s)
# The serial console ends lines with CR LF.
tr -d '\r' < "$work/console.raw" > "$log"
[ "${CONFINE_VM_VERBOSE:-0}" = 1 ] && cat "$log" >&2

case $rc in
0) ;;
124|137) echo "run.sh: qemu killed after ${limit}s" >&2 ;;
*) echo "run.sh: qemu exited $rc" >&2 ;;
esac

passed=0 failed=0 skipped=0
# Scenario results.  FAIL lines are followed by "  | " lines of that
# scenario's log, which are printed too.
while IFS= read -r line; do
	case $line in
	"VMTEST ok "*)   echo "ok ${line#VMTEST ok }";     passed=$((passed + 1)) ;;
	"VMTEST FAIL "*) echo "FAIL ${line#VMTEST FAIL }"; failed=$((failed + 1)) ;;
	"VMTEST skip "*) echo "skip ${line#VMTEST skip }"; skipped=$((skipped + 1)) ;;
	"  | "*)         echo "$line" ;;
	esac
done < "$log"

if ! grep -qx 'VMTEST done' "$log"; then
	# Crash, hang or timeout: the last lines usually say which.
	echo "FAIL vm: no 'VMTEST done' line (qemu exit $rc); last console lines:"
	tail -n 25 "$log" | sed 's/^/  | /'
	failed=$((failed + 1))
fi

echo "run.sh: prepare $((t1 - t0))s, vm $((t2 - t1))s, log $log" >&2
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

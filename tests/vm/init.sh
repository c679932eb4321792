#!/bin/sh
# PID 1 of the test VM (copied to /init by build-initramfs.sh).
#
# Mounts what runc, apparmor_parser and confine need, runs /scenarios.sh
# with a time limit, and powers the VM off.  Whatever happens the VM must
# end: if this script dies the kernel panics, and "panic=-1" plus qemu's
# -no-reboot turn that into qemu exiting too.
#
# No "set -e" here on purpose: PID 1 must always reach the poweroff.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/confine
export HOME=/root TMPDIR=/tmp

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# AppArmor's interface (profiles list, .load/.replace/.remove) lives here;
# apparmor_parser, runc's "is AppArmor enabled" check and confine's
# securityfs reads all use it.
mount -t securityfs securityfs /sys/kernel/security
# runc creates the container's cgroup under the unified hierarchy.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /dev/pts /dev/shm /var/cache/apparmor
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname confine-vm

# The scenarios get 320 s; run.sh kills qemu at 360 s, so a hang inside a
# scenario is reported by the scenario script's own absence of "VMTEST
# done" rather than by a dead VM with no explanation.
limit=320
for arg in $(cat /proc/cmdline); do
	case $arg in vmtest.timeout=*) limit=${arg#vmtest.timeout=} ;; esac
done
echo "VMTEST init: kernel $(uname -r), scenarios limit ${limit}s"
timeout "$limit" /bin/sh /scenarios.sh </dev/null
echo "VMTEST init: scenarios exited $?"

sync
# poweroff -f asks the kernel (ACPI) to stop the machine: qemu exits.  If
# that fails, reboot -f does too, because qemu runs with -no-reboot.
poweroff -f
sleep 2
reboot -f

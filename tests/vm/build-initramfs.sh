#!/bin/sh
# Build the test VM's initramfs from this machine's own binaries.
#
# Usage: tests/vm/build-initramfs.sh BUILD_DIR OUT.cpio
#
# The image is built from scratch on every run in a temp dir (removed on
# exit) so nothing stale from an earlier build can make a test pass.  It
# holds:
#   /init                 tests/vm/init.sh (PID 1)
#   /scenarios.sh         tests/vm/scenarios.sh (the tests)
#   /bin/busybox + links  busybox-static, the VM's shell and tools
#   runc, apparmor_parser, jq   with the libraries ldd lists for them
#   crun                  $CONFINE_VM_CRUN when set, with its libraries
#   /confine/*            BUILD_DIR/confine-hook and confine-runtime (both
#                         required: the scenarios test these binaries), and
#                         confine when built
#   /etc/apparmor.d, /etc/apparmor, /usr/share/apparmor-features
#                         what apparmor_parser needs for #include and for
#                         its feature set
#   /profiles/apparmor    the project's profiles (profiles/apparmor/*)
#   /etc/confine/         policy.base.json (config/policy.json) and the
#                         seccomp profile (profiles/seccomp/default.json)
#   /vm/bundle            an OCI bundle: busybox rootfs + config.json made
#                         by "runc spec" and edited here with jq
#
# The archive is a plain (uncompressed) newc cpio: the kernel unpacks it
# directly, and skipping gzip saves more time (compressing here,
# decompressing under TCG emulation) than the larger file costs qemu.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BUILD_DIR OUT.cpio" >&2; exit 2; }
build_dir=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

for tool in cpio jq runc apparmor_parser; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "build-initramfs: $tool missing (apt-get install cpio jq runc apparmor)" >&2
		exit 1
	}
done
busybox=/bin/busybox
[ -x "$busybox" ] && file_is_static=$(ldd "$busybox" 2>&1 || true)
case ${file_is_static:-} in
*"not a dynamic executable"*) ;;
*) echo "build-initramfs: $busybox must be busybox-static (apt-get install busybox-static)" >&2; exit 1 ;;
esac

root=$(mktemp -d "${TMPDIR:-/tmp}/confine-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM

mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin \
	"$root"/lib/x86_64-linux-gnu "$root"/lib64 "$root"/etc "$root"/proc \
	"$root"/sys "$root"/dev "$root"/tmp "$root"/run "$root"/var/cache \
	"$root"/confine "$root"/profiles "$root"/vm "$root"/etc/confine/profiles/seccomp

# copy_bin SRC DEST_IN_ROOT: copy a program and every library ldd lists
# for it, each at the same path it has here (so the dynamic loader finds
# them exactly as on the host).  Symlinks are followed (cp -L): the VM gets
# the real files under the names the loader asks for.
copy_bin() {
	src=$1
	dest=$2
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$src" "$root$dest"
	chmod 755 "$root$dest"
	# Static programs: ldd says "not a dynamic executable" and fails.
	libs=$(ldd "$src" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }') || true
	for lib in $libs; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# --- the VM's userland -------------------------------------------------
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] && continue
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
copy_bin "$(command -v runc)" /usr/sbin/runc
copy_bin "$(command -v apparmor_parser)" /sbin/apparmor_parser
copy_bin "$(command -v jq)" /usr/bin/jq
# crun, when run.sh found one (CONFINE_VM_CRUN): the crun scenarios skip
# without it.
if [ -n "${CONFINE_VM_CRUN:-}" ]; then
	copy_bin "$CONFINE_VM_CRUN" /usr/bin/crun
	echo "build-initramfs: included $CONFINE_VM_CRUN" >&2
fi

# apparmor_parser resolves "#include <tunables/global>" etc. from
# /etc/apparmor.d and reads /etc/apparmor/parser.conf.  Under a kernel with
# AppArmor it takes the features from securityfs; the features file is
# copied too so "-QK" checks behave as on the host.
cp -a /etc/apparmor.d "$root/etc/apparmor.d"
[ -d /etc/apparmor ] && cp -a /etc/apparmor "$root/etc/apparmor"
mkdir -p "$root/usr/share"
cp -a /usr/share/apparmor-features "$root/usr/share/apparmor-features"
# The host's own profiles (for programs that are not in the VM) would only
# slow a full reload; the VM loads what it tests explicitly.  Keep the
# abstractions/tunables it includes, drop the top-level profiles and cache.
find "$root/etc/apparmor.d" -maxdepth 1 -type f -delete
rm -rf "$root/etc/apparmor.d/cache" "$root/etc/apparmor.d/disable" \
	"$root/etc/apparmor.d/force-complain" "$root/etc/apparmor.d/local"
mkdir -p "$root/etc/apparmor.d/local"

# --- the project's files -------------------------------------------------
for b in confine-hook confine-runtime; do
	[ -x "$build_dir/$b" ] || { echo "build-initramfs: $build_dir/$b not built (run make)" >&2; exit 1; }
done
for b in confine-hook confine-runtime confine; do
	[ -x "$build_dir/$b" ] || continue
	copy_bin "$build_dir/$b" "/confine/$b"
	echo "build-initramfs: included $build_dir/$b" >&2
done
cp -a "$top/profiles/apparmor" "$root/profiles/apparmor"
cp "$top/config/policy.json" "$root/etc/confine/policy.base.json"
cp "$top/profiles/seccomp/default.json" "$root/etc/confine/profiles/seccomp/default.json"

cp "$here/init.sh" "$root/init"
cp "$here/scenarios.sh" "$root/scenarios.sh"
chmod 755 "$root/init" "$root/scenarios.sh"

# --- the OCI bundle ------------------------------------------------------
# rootfs: busybox with its applets as symlinks, EXCEPT /bin/sh and
# /bin/dash, which are real copies.  AppArmor mediates exec by the resolved
# path, so a symlink /bin/sh would be seen as /bin/busybox and the
# docker-nginx rule "deny /bin/sh x" could not be shown to work.
b=$root/vm/bundle
mkdir -p "$b/rootfs"
(
	cd "$b/rootfs"
	mkdir -p bin etc proc sys dev tmp mnt/out var/run var/log root
	cp "$busybox" bin/busybox
	for applet in $("$busybox" --list); do
		[ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
	done
	rm -f bin/sh bin/dash
	cp "$busybox" bin/sh
	cp "$busybox" bin/dash
	echo 'root:x:0:0:root:/root:/bin/sh' > etc/passwd
	echo 'root:x:0:' > etc/group
	echo 'confine test rootfs' > etc/motd
)
# config.json: "runc spec", then the edits every scenario shares:
# - terminal false: the VM has no tty to hand the container, stdio is
#   passed through to the serial console instead;
# - root writable: so a write that fails is failing because of AppArmor,
#   not because of a read-only root (EROFS would hide the LSM result);
# - /proc/sysrq-trigger taken out of readonlyPaths for the same reason:
#   the read-only bind would answer EROFS before AppArmor is asked, and
#   the test wants to see AppArmor's EACCES.  (A write of "h" that got
#   through would only print sysrq help, so the test is harmless even if
#   AppArmor failed.)  maskedPaths are untouched: confine requires them;
# - a seccomp section, built in the VM from the policy's must_block list
#   (scenarios.sh), so here only the default: defaultAction allow with
#   mount and keyctl failing, which is what plain runc scenarios need;
# - hostname, so the output is recognisable.
(
	cd "$b"
	runc spec
	jq '.process.terminal = false
	  | .root.readonly = false
	  | .hostname = "confine-vmtest"
	  | .linux.readonlyPaths |= map(select(. != "/proc/sysrq-trigger"))
	  | .linux.seccomp = {
	      defaultAction: "SCMP_ACT_ALLOW",
	      architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	      syscalls: [{ names: ["mount", "keyctl"], action: "SCMP_ACT_ERRNO", errnoRet: 1 }]
	    }' config.json > config.json.new
	mv config.json.new config.json
)

# --- pack ----------------------------------------------------------------
# Owner root for everything (cpio -R): the VM runs as root and the
# container's root must own its files.
mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
echo "build-initramfs: $(du -h "$out" | cut -f1) $out" >&2

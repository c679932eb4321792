#!/bin/sh
# Fetch (once) a Debian package into the VM cache without installing it,
# and print the folder it is unpacked in.
#
# Usage: tests/vm/fetch-deb.sh PACKAGE[=VERSION] [DIR...]
#   DIR...  paths inside the package to drop after unpacking
# Env:     CONFINE_VM_CACHE   cache folder (default /var/cache/confine-vm)
#
# The package is only downloaded and unpacked with dpkg -x; it is never
# installed.  Idempotent: once CACHE/PACKAGE exists nothing is fetched.
# Unpacking goes to a temp dir that is renamed into place, so an
# interrupted run never leaves a half-unpacked package that looks complete.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 PACKAGE[=VERSION] [DIR...]" >&2; exit 2; }
cache=${CONFINE_VM_CACHE:-/var/cache/confine-vm}
pkg=$1
shift
dest=$cache/$pkg
if [ -d "$dest" ]; then echo "$dest"; exit 0; fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
(
	cd "$tmp"
	# The download runs as root here: apt would otherwise try its _apt
	# sandbox user, which cannot write a root-owned cache folder.
	timeout 300 apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2
	mkdir unpacked
	dpkg -x ./*.deb unpacked
)
for d in "$@"; do rm -rf "${tmp:?}/unpacked/$d"; done
mv "$tmp/unpacked" "$dest"
echo "$dest"

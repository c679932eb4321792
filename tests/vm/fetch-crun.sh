#!/bin/sh
# Print the path of the crun binary the VM runs: the host's own when crun
# is installed, else Debian's package fetched into the cache with
# fetch-deb.sh.  Never installed here: with crun installed, Podman on this
# host would switch to it, and crun refuses the host's hybrid cgroups.
#
# Usage: tests/vm/fetch-crun.sh        -> prints /path/to/crun
# Env:   CONFINE_VM_CACHE   cache folder (default /var/cache/confine-vm)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${CONFINE_VM_CACHE:-/var/cache/confine-vm}
if command -v crun >/dev/null 2>&1; then
	command -v crun
	exit 0
fi
ver=$(apt-cache policy crun 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	# Offline: the newest already in the cache.
	for d in $(ls -d "$cache"/crun=* 2>/dev/null | sort -V -r); do
		[ -x "$d/usr/bin/crun" ] && { echo "$d/usr/bin/crun"; exit 0; }
	done
	echo "fetch-crun: apt knows no crun package" >&2
	exit 1
fi
dir=$("$here/fetch-deb.sh" "crun=$ver" usr/share usr/lib)
[ -x "$dir/usr/bin/crun" ] || { echo "fetch-crun: $dir has no usr/bin/crun" >&2; exit 1; }
echo "$dir/usr/bin/crun"

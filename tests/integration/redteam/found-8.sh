#!/bin/sh
# found-8: root.path `.`, the bundle itself. The container then sees and
# rewrites the bundle: config.json (which the shim rewrites there and
# runc reads), and the process files containerd writes there for each
# exec, which the shim judges and runc reads after it.
# Exit 0: allowed and the bundle's config.json rewritten from inside; 1: refused.
. "$(dirname "$0")/lib.sh"
policy
B=$W/bundle
bundle "$B" "
c['root']={'path':'.','readonly':False}
c['process']['args']=['sh','-c','echo PWNED >> /config.json; true']
"
mkdir -p "$B/bin" "$B/proc" "$B/sys" "$B/dev"; cp -a "$B/rootfs/bin/." "$B/bin/"
judge "$B"; rc=$?
if [ $rc = 0 ] && grep -q PWNED "$B/config.json"; then
  echo "ATTACK WORKED: the container rewrote its own bundle's config.json"; exit 0; fi
echo "gate refused or attack failed"; exit 1

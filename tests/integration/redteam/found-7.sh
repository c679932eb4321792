#!/bin/sh
# found-7: a linux.devices FIFO in a user namespace. runc cannot mknod
# there, so it binds the host's file of the node's path instead; the
# gate let any host FIFO through. $W/initctl plays /run/initctl (the
# FIFO systemd reads halt and reboot requests from), listed as sensitive
# in the test's policy as /run/initctl is in the shipped one; a reader on
# the host stands for systemd.
# Exit 0: allowed and the host's FIFO got the container's request; 1: refused.
. "$(dirname "$0")/lib.sh"
mkfifo -m 600 "$W/initctl"
policy "p['mounts']['sensitive'].append(w+'/initctl')"
B=$W/bundle
bundle "$B" "
c['linux']['namespaces'].append({'type':'user'})
c['linux']['uidMappings']=[{'containerID':0,'hostID':0,'size':65536}]
c['linux']['gidMappings']=[{'containerID':0,'hostID':0,'size':65536}]
c['linux']['devices']=[{'path':w+'/initctl','type':'p','major':0,'minor':0,'fileMode':384}]
c['mounts']=[m for m in c['mounts'] if m['type'] not in ('cgroup','sysfs')]
c['process']['args']=['sh','-c','echo HALT > '+w+'/initctl; true']
"
(timeout 20 cat "$W/initctl" > "$W/got") &
reader=$!
cleanup () { kill "$reader" 2>/dev/null; }
judge "$B"; rc=$?
sleep 0.2
if [ $rc = 0 ] && grep -q HALT "$W/got"; then
  echo "ATTACK WORKED: the container wrote to the host's FIFO"; exit 0; fi
echo "gate refused or attack failed"; exit 1

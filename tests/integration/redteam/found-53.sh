#!/bin/sh
# found-53: a writable bind of the host's /var/log (a pod's `hostPath:
# /var/log`, `docker run -v /var/log:/var/log`). kubelet serves `kubectl
# logs` by opening /var/log/pods/NS_POD_UID/CONTAINER/0.log as root,
# following links: the container replaces its own 0.log with a link to a
# host file (/etc/shadow, kubelet's PKI) and reads it through the API
# (the published "pod escape using log mounts"). Here, in a private mount
# namespace, a tmpfs at /var/log holds a pod's log, and the host's read of
# it (cat as root) stands for kubelet; $W/secret stands for /etc/shadow.
# Controls: /var/log bound read-only runs and reads the pod's log (log
# shippers), and a writable bind of another log directory runs.
# Exit 0: the host's read of the pod log returned the secret; 1: refused.
[ -n "${FOUND_INNER:-}" ] || exec env FOUND_INNER=1 unshare -m --propagation private sh "$0" "$@"
. "$(dirname "$0")/lib.sh"
mount -t tmpfs tmpfs /var/log || exit 2
LOG=/var/log/pods/default_web_0a1b2c3d/app/0.log
mkdir -p "$(dirname "$LOG")" /var/log/app /var/log/containers || exit 2
echo "a log line" > "$LOG"
ln -s "$LOG" /var/log/containers/web_default_app-0a1b2c3d.log
echo "root:SECRET-HASH:19000:0:99999:7:::" > "$W/secret"; chmod 600 "$W/secret"
policy
case_ () { # NAME SOURCE OPTION COMMAND
  bundle "$W/b-$1" "
c['mounts'].append({'destination':'/host-log','type':'bind','source':'$2','options':['rbind','$3','rprivate']})
c['process']['args']=['sh','-c','$4; touch /out/$1']
"
  engine "$W/b-$1" "$1"
}
case_ ro /var/log ro "cat /host-log/pods/default_web_0a1b2c3d/app/0.log > /out/read" \
  && grep -q "a log line" "$W/out/read" || { echo "control failed: /var/log read-only"; exit 2; }
case_ other /var/log/app rw "echo x > /host-log/x" && [ -e /var/log/app/x ] \
  || { echo "control failed: a writable bind of /var/log/app"; exit 2; }
echo "controls: /var/log read-only and /var/log/app writable ran"
for how in pods containers; do
  if [ $how = pods ]; then src=/var/log; target=/host-log/pods/default_web_0a1b2c3d/app/0.log
  else src=/var/log/pods/default_web_0a1b2c3d/app; target=/host-log/0.log; fi
  case_ "rw-$how" "$src" rw "rm -f $target; ln -s $W/secret $target"
  if grep -q SECRET-HASH "$LOG" 2>/dev/null; then
    echo "ATTACK WORKED: kubelet's read of the pod log returned the host's secret ($src writable)"; exit 0; fi
  [ -e "$W/out/rw-$how" ] && { echo "the container ran ($src writable)"; exit 2; }
  grep -q 'confine: refused' "$W/rw-$how.out" || { echo "failed otherwise ($src)"; exit 2; }
  echo "refused: $src writable; the command never ran"
done
exit 1

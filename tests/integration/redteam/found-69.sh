#!/bin/sh
# found-69: found-52 with the service's process one level down
# (`--cgroup-parent=/svc` where the service runs in /svc/worker, as a
# service manager that puts its workers in child cgroups lays it out;
# red team 5 F-01): limits are hierarchical, so the container shares the
# parent's with the worker (pids exhausted, the service cannot fork; its
# OOM killer picks from the whole subtree). Controls as found-31's.
# Exit 0: the container ran inside the service's subtree; 1: refused and
# never ran.
SERVICE=confine-found69-$$-svc SUBGROUP=worker exec sh "$(dirname "$0")/found-31.sh"

#!/bin/sh
# found-52: found-31 with a service cgroup not named like a systemd unit
# (`docker run --cgroup-parent=/mysql`, a cgroup a host's init or an
# operator made for a service): the parent holds processes of its own,
# which no engine's parent (/docker, /kubepods/.../podUID) does.
# Exit 0: the container ran inside the service's cgroup; 1: refused and
# never ran.
SERVICE=confine-found52-$$-mysql exec sh "$(dirname "$0")/found-31.sh"

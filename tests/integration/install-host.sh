#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# install.sh for real, on this host's own paths: runc diverted with the
# real dpkg-divert, the configuration written to the real /etc, then real
# engines (containerd, dockerd from the daemon.json install.sh wrote,
# ctr, Podman) asked for containers through every door they offer:
# Docker's default, `--runtime` with every name dockerd accepts, `docker
# exec --privileged`, ctr with containerd's defaults and another runc shim,
# podman run and podman exec. Then --uninstall, after which every runtime
# binary and engine file is what it was (sha256) and the stock runc runs
# containers again.
#
# It all happens in a private mount namespace whose /usr, /etc, /var and
# /run are overlays on a tmpfs: the installer sees and changes the host's
# real paths, the engines started here use them, and no other process on
# the machine ever sees a diverted runc (other work keeps running runc
# meanwhile). Leaving the namespace throws every change away, even when
# the test fails half-way.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

[ "$(id -u)" = 0 ] || { fail install-host-setup "must run as root"; exit 0; }
if [ -z "${CONFINE_HOST_NS:-}" ]; then
  exec unshare --mount --propagation private env CONFINE_HOST_NS=1 bash "${BASH_SOURCE[0]}" "$@"
fi

. "$ROOT/tests/lib/engine.sh"
engine_require_packages || { fail install-host-setup "engine packages missing"; exit 0; }
for c in jq podman dpkg-divert; do
  command -v "$c" >/dev/null || { fail install-host-setup "$c is not installed (tests/deps.sh)"; exit 0; }
done

T=$(mktemp -d /tmp/ih.XXXXXX) # short: engine sockets live below it
E=$T/e
IMG=confine-busybox:latest
PIMG=localhost/confine-busybox:latest

# --- the private view of the host ----------------------------------------------
mkdir -p "$T/ov"
mount -t tmpfs tmpfs "$T/ov" || { fail install-host-setup "cannot mount a tmpfs"; exit 0; }
for d in usr etc var run; do
  mkdir -p "$T/ov/$d/u" "$T/ov/$d/w"
  if ! mount -t overlay overlay -o "lowerdir=/$d,upperdir=$T/ov/$d/u,workdir=$T/ov/$d/w" "/$d"; then
    fail install-host-setup "cannot put an overlay on /$d"
    exit 0
  fi
done

# Podman's own paths (/var/lib/containers/storage, /run/containers/storage),
# so the per-container directories are the ones the policy must allow,
# fresh: a database another run made names another storage driver.
mkdir -p /var/lib/containers /run/containers /run/libpod
# Root-only as Podman makes them (a tmpfs is 1777 by default, a sticky
# directory where the shim refuses Podman's exec process files).
for d in /var/lib/containers /run/containers /run/libpod; do mount -t tmpfs -o mode=0700 tmpfs "$d"; done
PODMAN=(env -u DOCKER_CONFIG podman --storage-driver vfs --cgroup-manager cgroupfs --events-backend file)
PODMAN_RUN=(--network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
AUTHZ_PID=
cleanup () {
  timeout 60 "${PODMAN[@]}" rm -af -t 0 >/dev/null 2>&1
  engine_stop
  [ -n "$AUTHZ_PID" ] && kill "$AUTHZ_PID" 2>/dev/null
  engine_remove_dir "$E" >/dev/null 2>&1
  # The overlays go with the namespace; take them down first so that
  # removing the test folder never reaches through one.
  umount -l /var/lib/containers /run/containers /run/libpod /usr /etc /var /run 2>/dev/null
  umount -l "$T/ov" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

# Every runtime binary and engine file an install may touch, and dpkg's
# diversions: the same before install and after uninstall.
FILES=(/usr/sbin/runc /usr/bin/runc /usr/bin/crun /usr/local/bin/runc /usr/local/sbin/runc
       /etc/docker/daemon.json /etc/containerd/config.toml /etc/containers/containers.conf
       /usr/share/containers/oci/hooks.d/confine.json /usr/local/bin/confine-runtime
       /usr/local/libexec/confine/confine-authz /etc/systemd/system/confine-authz.socket
       /etc/systemd/system/confine-authz.service /etc/systemd/system/docker.service.d/confine-authz.conf
       /etc/systemd/system/containerd.service.d/confine-tmp.conf)
state () {
  local f
  for f in "${FILES[@]}"; do
    if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
    elif [ -e "$f" ]; then echo "$f $(stat -c '%a %U %Y' "$f") $(sha256sum <"$f" | cut -d' ' -f1)"
    else echo "$f absent"; fi
  done
  dpkg-divert --list | LC_ALL=C sort
}
state >"$T/state.before"

# The operator's policy, in place before install (which keeps it): this
# kernel has no AppArmor, so securityfs is a folder of ours and the
# AppArmor rule is skipped; everything else is the shipped policy.
mkdir -p "$T/sfs" "$T/out" /etc/confine
DECISIONS=$T/decisions.log
jq --arg sfs "$T/sfs" --arg log "$DECISIONS" --arg cache "$T/cache" \
  '.securityfs = $sfs | .decision_log = $log | .cache_dir = $cache
   | .apparmor.when_unavailable = "skip" | .inject.apparmor = false' \
  "$ROOT/config/policy.json" >/etc/confine/policy.json
chmod 0644 /etc/confine/policy.json

# --- install, for real ------------------------------------------------------------
if bash "$ROOT/install.sh" --no-build --build-dir "$BUILD" >"$T/install.out" 2>&1; then
  pass install-host-exit-0
else
  fail install-host-exit-0 "$(cat "$T/install.out")"
  exit 0
fi
if cmp -s "$BUILD/confine-runtime" /usr/sbin/runc &&
   [ "$(dpkg-divert --truename /usr/sbin/runc)" = /usr/sbin/runc.real ] &&
   [ "$(head -n 1 <<<"$(runc --version)")" = "$(head -n 1 <<<"$(/usr/sbin/runc.real --version)")" ] &&
   runc --version | tail -n 1 | grep -q '^confine-runtime .*in front of /usr/sbin/runc.real)$'; then
  pass install-host-runc-is-the-gate
else
  fail install-host-runc-is-the-gate "$(ls -l /usr/sbin/runc*; runc --version)"
fi

shim_lines () { grep -c '"component":"shim"' "$DECISIONS" 2>/dev/null || echo 0; }

# The daemon.json install.sh wrote, plus only what this old dockerd needs
# to keep out of /etc (its trust key).
jq --arg k "$E/key.json" '. + {"deprecated-key-path": $k}' /etc/docker/daemon.json >"$T/daemon.json"
# The authorization plugin it registered, as its socket unit would start
# it (this namespace's /run is an overlay: the socket is ours alone).
/usr/local/libexec/confine/confine-authz 2>"$T/authz.err" &
AUTHZ_PID=$!
for _ in $(seq 50); do [ -S /run/docker/plugins/confine-authz.sock ] && break; sleep 0.1; done
# containerd as the drop-in install.sh wrote runs it (systemd is not PID 1
# here): its XDG_RUNTIME_DIR, made root-only as RuntimeDirectoryMode says.
DROPIN=/etc/systemd/system/containerd.service.d/confine-tmp.conf
ENGINE_CONTAINERD_RUNTIME_DIR=$(sed -n 's/^Environment=XDG_RUNTIME_DIR=//p' "$DROPIN" 2>/dev/null)
mode=$(sed -n 's/^RuntimeDirectoryMode=//p' "$DROPIN" 2>/dev/null)
if [ -z "$ENGINE_CONTAINERD_RUNTIME_DIR" ] || [ "$mode" != 0700 ] \
   || ! grep -qx "RuntimeDirectory=${ENGINE_CONTAINERD_RUNTIME_DIR#/run/}" "$DROPIN"; then
  fail install-host-containerd-dropin "no root-only XDG_RUNTIME_DIR below /run in $DROPIN: $(cat "$DROPIN" 2>&1)"
  exit 0
fi
pass install-host-containerd-dropin
mkdir -p -m "$mode" "$ENGINE_CONTAINERD_RUNTIME_DIR"
export ENGINE_CONTAINERD_RUNTIME_DIR
if ! engine_start "$E" --config-file "$T/daemon.json" || ! engine_import_busybox; then
  fail install-host-engines "engine did not start: $(tail -n 20 "$E/log/dockerd.log" 2>/dev/null)"
  exit 0
fi

# confined NAME CMD...: ran, with a seccomp filter, judged by the gate.
confined () {
  local name=$1 out rc before; shift
  before=$(shim_lines)
  out=$(timeout 120 "$@" grep Seccomp: /proc/self/status 2>&1 </dev/null); rc=$?
  if [ "$rc" = 0 ] && grep -q 'Seccomp:[[:space:]]*2' <<<"$out" && [ "$(shim_lines)" -gt "$before" ]; then
    pass "$name"
  else
    fail "$name" "rc=$rc: $out"
  fi
}

# --- Docker -------------------------------------------------------------------------
# docker info runs `runc --version` (the stand-in) and still reads the
# real runc's commit from it.
want=$(/usr/sbin/runc.real --version | sed -n 's/^commit: //p')
check install-host-docker-info-reads-runc-version \
  test "$(docker info --format '{{.RuncCommit.ID}}' 2>/dev/null)" = "$want"
DRUN=(docker run --rm --network none -v "$T/out:/out")
confined install-host-docker-default-confined "${DRUN[@]}" "$IMG"
# docker create + docker cp never reach a runtime: the plugin refuses the
# create (red team 5 F-02).
out=$(timeout 120 docker create --network none -v /etc:/hostetc "$IMG" true 2>&1 </dev/null); rc=$?
if [ "$rc" != 0 ] && grep -q 'authorization denied by plugin confine-authz: confine: refused: mounts: ' <<<"$out"; then
  pass install-host-docker-authz-refuses-etc-bind
else
  fail install-host-docker-authz-refuses-etc-bind "exit $rc: $out"
fi
# Every runtime name this dockerd accepts, and the names Docker reserves
# or resolves through containerd: each must be the gate. A name dockerd
# rejects is no door (said, not counted as a pass or failure).
names=$(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}' 2>/dev/null)
for rt in $(printf '%s\n' $names io.containerd.runc.v2 io.containerd.runc.v1 io.containerd.runtime.v1.linux |
            awk '!seen[$0]++'); do
  out=$(timeout 120 "${DRUN[@]}" --runtime "$rt" --cap-add SYS_ADMIN "$IMG" touch /out/m-rt 2>&1 </dev/null)
  if grep -qi 'unknown or invalid runtime name\|unknown runtime specified' <<<"$out"; then
    echo "# dockerd refuses the runtime name $rt itself"
    continue
  fi
  refused_never_ran "install-host-docker-runtime-$rt-cap-refused" m-rt capabilities \
    "${DRUN[@]}" --runtime "$rt" --cap-add SYS_ADMIN "$IMG" touch /out/m-rt
  refused_never_ran "install-host-docker-runtime-$rt-pid-host-refused" m-rt namespaces \
    "${DRUN[@]}" --runtime "$rt" --pid host "$IMG" touch /out/m-rt
done
confined install-host-docker-runtime-runc-confined "${DRUN[@]}" --runtime runc "$IMG"

if timeout 120 docker run -d --name c1 --runtime runc --network none -v "$T/out:/out" "$IMG" \
     sleep 600 >/dev/null 2>&1 </dev/null; then
  refused_never_ran install-host-docker-exec-privileged-refused m-exec capabilities \
    docker exec --privileged c1 touch /out/m-exec
  out=$(timeout 60 docker exec c1 sh -c 'echo exec-ok' 2>&1 </dev/null)
  check install-host-docker-exec-works test "$out" = exec-ok
else
  fail install-host-docker-exec-privileged-refused "could not start c1 with --runtime runc"
fi

# --- ctr, with containerd's defaults (runc on PATH) -------------------------------
CTR=(ctr -a "$ENGINE_CONTAINERD_SOCK" -n confine-host)
if timeout 120 docker save "$IMG" 2>/dev/null </dev/null |
     timeout 120 "${CTR[@]}" images import --snapshotter native - >/dev/null 2>&1; then
  ref=$("${CTR[@]}" images ls -q | grep confine-busybox | head -n 1)
  CRUN=("${CTR[@]}" run --rm --snapshotter native --mount "type=bind,src=$T/out,dst=/out,options=rbind:rw")
  confined install-host-ctr-default-confined "${CRUN[@]}" "$ref" ctr1
  refused_never_ran install-host-ctr-privileged-refused m-ctr capabilities "${CRUN[@]}" --privileged "$ref" ctr2 touch /out/m-ctr
  refused_never_ran install-host-ctr-runc-v1-privileged-refused m-ctr1 capabilities \
    "${CRUN[@]}" --runtime io.containerd.runc.v1 --privileged "$ref" ctr3 touch /out/m-ctr1
else
  fail install-host-ctr "cannot import the image into containerd"
fi

# --- Podman (its default runtime is runc here: /usr/bin/runc -> /usr/sbin/runc) -------
if timeout 120 docker save "$IMG" 2>/dev/null </dev/null >"$T/img.tar" &&
   timeout 120 "${PODMAN[@]}" load -i "$T/img.tar" >/dev/null 2>&1; then
  # No flags: Podman's own default seccomp profile fails must_block, and
  # the shim repairs it; vfs binds /dev/shm from vfs-containers.
  PRUN=("${PODMAN[@]}" run --rm "${PODMAN_RUN[@]}" -v "$T/out:/out")
  confined install-host-podman-run-confined "${PRUN[@]}" "$PIMG"
  refused_never_ran install-host-podman-cap-refused m-pcap capabilities "${PRUN[@]}" --cap-add SYS_ADMIN "$PIMG" touch /out/m-pcap
  if timeout 120 "${PODMAN[@]}" run -d --name p1 "${PODMAN_RUN[@]}" -v "$T/out:/out" "$PIMG" sleep 600 \
       >/dev/null 2>&1 </dev/null; then
    refused_never_ran install-host-podman-exec-privileged-refused m-pexec capabilities \
      "${PODMAN[@]}" exec --privileged p1 touch /out/m-pexec
    out=$(timeout 60 "${PODMAN[@]}" exec p1 sh -c 'echo exec-ok' 2>&1 </dev/null)
    check install-host-podman-exec-works test "$out" = exec-ok
  else
    fail install-host-podman-exec-privileged-refused "could not start p1"
  fi
else
  fail install-host-podman "cannot load the image into Podman"
fi

# --- uninstall: everything as it was, the stock runtime works again --------------------
timeout 60 "${PODMAN[@]}" rm -af -t 0 >/dev/null 2>&1
timeout 60 docker rm -f c1 >/dev/null 2>&1 </dev/null
bash "$ROOT/install.sh" --uninstall >"$T/uninstall.out" 2>&1
rc=$?
state >"$T/state.after"
if [ "$rc" = 0 ] && cmp -s "$T/state.before" "$T/state.after"; then
  pass install-host-uninstall-restores-every-file
else
  fail install-host-uninstall-restores-every-file "exit $rc; $(diff "$T/state.before" "$T/state.after"; cat "$T/uninstall.out")"
fi
check install-host-uninstall-says-restart grep -q 'restart these so they stop using confine' "$T/uninstall.out"
before=$(shim_lines)
out=$(timeout 120 docker run --rm --network none --runtime runc "$IMG" echo stock 2>&1 </dev/null)
if [ "$out" = stock ] && [ "$(shim_lines)" = "$before" ] && ! runc --version | grep -q confine; then
  pass install-host-stock-runc-works-again
else
  fail install-host-stock-runc-works-again "$out"
fi

#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs everything confine builds and tests with, from Debian 12's
# packages. Safe to run again; a fresh machine gets the lot.
set -eu
PKGS="make gcc pkg-config libseccomp-dev libapparmor-dev libyajl-dev libcap-dev
      jq runc busybox-static containerd docker.io apparmor iproute2 util-linux
      strace e2fsprogs btrfs-progs scdoc man-db logrotate curl
      golang-go golang-github-opencontainers-runc-dev golang-github-opencontainers-specs-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
# Podman after runc is installed, so apt meets its `crun | runc` with runc:
# crun refuses this host's hybrid cgroups (it runs in the VM suite only).
if ! dpkg-query -W -f='${Status}' podman 2>/dev/null | grep -q 'install ok installed'; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends podman
fi

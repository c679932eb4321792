#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# install.sh against temporary roots: a fresh host, a host with an existing
# daemon.json, an invalid daemon.json, a second run, --dry-run and
# --uninstall, each compared by checksums of the whole root; an operator's
# same-named files, symlinks out of the root, --root "", and numbers jq
# would rewrite. Then the real
# thing: the daemon.json it writes, given to a real dockerd, gates
# `docker run --privileged`.
set -u
. "$(dirname "$0")/../lib/assert.sh"

INSTALL=$ROOT/install.sh
T=$(mktemp -d /tmp/confine-inst.XXXXXX)
trap 'rm -rf "$T"' EXIT

# A root that looks like a host with Docker, containerd and Podman
# installed (containerd's binary is needed for config.toml to be made),
# Debian's runc, and dpkg's database for dpkg-divert --root.
new_root () {
  local r=$1
  mkdir -p "$r/etc/docker" "$r/etc/containers" "$r/usr/bin" "$r/usr/sbin" "$r/var/lib/dpkg/info"
  : >"$r/var/lib/dpkg/status"
  printf '#!/bin/sh\nexit 0\n' >"$r/usr/bin/containerd"
  printf '#!/bin/sh\necho "runc version 1.1.5 (fake)"\n' >"$r/usr/sbin/runc"
  chmod 0755 "$r/usr/bin/containerd" "$r/usr/sbin/runc"
  touch -d '2021-02-03 04:05:06' "$r/usr/sbin/runc"
}

# Everything about a root that a change could touch: each path's type,
# mode, size and mtime, and each file's checksum.
snapshot () {
  (cd "$1" && find . -printf '%p %y %m %s %T@\n' | LC_ALL=C sort &&
     find . -type f -print0 | xargs -0 -r sha256sum | LC_ALL=C sort -k2)
}

# The same without directory mtimes, which adding and removing entries
# changes for good: what uninstall must give back is every file as it
# was (content, mode and mtime) and no path more or less.
# dpkg's own database is left out: dpkg-divert rewrites its diversions
# file (and keeps a -old copy); the list itself is compared on its own.
snapshot_files () {
  (cd "$1" && find . \( -type d -printf '%p %y %m\n' \) -o -printf '%p %y %m %s %T@\n' | LC_ALL=C sort &&
     find . -type f -print0 | xargs -0 -r sha256sum | LC_ALL=C sort -k2) | grep -v '\./var/lib/dpkg/diversions'
}

inst () { bash "$INSTALL" --no-build --build-dir "$BUILD" "$@"; }

if [ ! -x "$BUILD/confine-runtime" ] || [ ! -x "$BUILD/confine-hook" ] || [ ! -x "$BUILD/confine" ]; then
  fail install-prerequisites "build/confine, confine-runtime and confine-hook must be built first"
  exit 0
fi

# --- fresh ------------------------------------------------------------------
R=$T/fresh
new_root "$R"
# containers-common's profile: its presence makes install warm Podman's.
mkdir -p "$R/usr/share/containers"
echo '{}' >"$R/usr/share/containers/seccomp.json"
snapshot_files "$R" >"$T/fresh.before"
if inst --root "$R" >"$T/fresh.out" 2>&1; then pass install-fresh-exit-0
else fail install-fresh-exit-0 "$(cat "$T/fresh.out")"; fi

modes=$(stat -c '%a %n' "$R/usr/local/bin/confine" "$R/usr/local/bin/confine-runtime" \
          "$R/usr/local/libexec/confine/confine-hook" "$R/etc/confine/policy.json" "$R/var/log/confine" 2>&1 |
        sed "s|$R||")
check install-fresh-files test "$modes" = "755 /usr/local/bin/confine
755 /usr/local/bin/confine-runtime
755 /usr/local/libexec/confine/confine-hook
644 /etc/confine/policy.json
750 /var/log/confine"
check install-fresh-binaries-identical cmp -s "$BUILD/confine-runtime" "$R/usr/local/bin/confine-runtime"
check install-fresh-policy-is-shipped cmp -s "$ROOT/config/policy.json" "$R/etc/confine/policy.json"
check install-fresh-profiles diff -r -x '*.md' "$ROOT/profiles" "$R/etc/confine/profiles"
check install-fresh-apparmor-d cmp -s "$ROOT/profiles/apparmor/confine-default" "$R/etc/apparmor.d/confine-default"

# --- the verdict cache is warm after install ---------------------------------
# The entries install made are the ones a container start looks up: a
# fresh cache filled by judging each engine's default container (the
# Docker and Podman fixtures; Docker's with no filter, which gets the
# shipped profile injected) gets exactly the names install wrote.
warm_policy () {
  jq --arg c "$2" --arg sfs "$T/warm-sfs" --arg log "$T/warm.log" --arg r "$R" \
    '.cache_dir = $c | .securityfs = $sfs | .apparmor.when_unavailable = "skip"
     | .decision_log = $log | .seccomp.default_profile = $r + .seccomp.default_profile' \
    "$R/etc/confine/policy.json" >"$1"
  chmod 0644 "$1"
}
mkdir -p "$T/warm-sfs"
warm_policy "$T/warm-fresh.json" "$T/warm-fresh-cache"
for f in docker/default docker/seccomp-unconfined podman/default; do
  jq 'del(.hooks)' "$ROOT/tests/fixtures/$f.json" >"$T/warm-spec.json"
  "$BUILD/confine" check --policy "$T/warm-fresh.json" --inject "$T/warm-spec.json" >/dev/null 2>&1
done
want=$(ls "$T/warm-fresh-cache" 2>/dev/null | sort)
got=$(ls "$R/run/confine" 2>/dev/null | sort)
if [ -n "$want" ] && [ "$(wc -l <<<"$want")" -ge 3 ] && [ "$want" = "$got" ] &&
   [ "$(stat -c '%u %a' "$R/run/confine")" = "0 700" ]; then
  pass install-warms-verdict-cache-for-engine-defaults
else
  fail install-warms-verdict-cache-for-engine-defaults "want: $(echo $want) got: $(echo $got) $(grep warm "$T/fresh.out")"
fi
# The hook believes the warm entry: forged to say Docker's filter lets
# `mount` through, the hook refuses Docker's default container for it;
# the control, the genuine entry, allows it. So the first container with
# Docker's default profile never builds its filter.
warm_policy "$T/warm-root.json" "$R/run/confine"
mkdir -p "$T/warm-bundle"
# Docker's default container as the shim hands it to runc (its cgroup
# named after the id, as Docker names it): the shim repairs Docker's
# filter, and the warm entry is the repaired filter's.
jq "del(.hooks) | .linux.cgroupsPath = \"/docker/warm\"" "$ROOT/tests/fixtures/docker/default.json" >"$T/warm-bundle/config.json"
shim_written_spec "$T/warm-bundle" warm "$T/warm-root.json" 2>"$T/warm-shim.err" \
  || fail install-warm-shim-writes-the-spec "$(cat "$T/warm-shim.err")"
printf '{"ociVersion":"1.0.2","id":"warm","status":"creating","bundle":"%s"}' "$T/warm-bundle" >"$T/warm.state"
rm -rf "$T/warm-one" && warm_policy "$T/warm-one.json" "$T/warm-one"
"$BUILD/confine" check --policy "$T/warm-one.json" "$T/warm-bundle" >/dev/null 2>&1
# The seccomp verdict's entry; the cache also holds the record that the
# policy's hook patterns compile.
key=$(cd "$T/warm-one" 2>/dev/null && grep -l '^confine-seccomp-verdict-' -- * 2>/dev/null)
"$BUILD/confine-hook" --policy "$T/warm-root.json" <"$T/warm.state" >/dev/null 2>"$T/warm.err"; genuine=$?
if [ -n "$key" ] && [ -f "$R/run/confine/$key" ]; then
  cp -p "$R/run/confine/$key" "$T/warm-entry"
  awk 'NR == 4 && $0 == "0" { print "1"; print "mount"; next } { print }' "$T/warm-entry" >"$R/run/confine/$key"
  "$BUILD/confine-hook" --policy "$T/warm-root.json" <"$T/warm.state" >/dev/null 2>"$T/warm-forged.err"; forged=$?
  cp -p "$T/warm-entry" "$R/run/confine/$key"
fi
if [ "$genuine" = 0 ] && [ "${forged:-}" = 1 ] && grep -q '^confine: refused: seccomp: .*mount' "$T/warm-forged.err"; then
  pass install-warm-entry-is-what-the-hook-reads
else
  fail install-warm-entry-is-what-the-hook-reads "key ${key:-none}, genuine $genuine $(cat "$T/warm.err"), forged ${forged:-not run} $(cat "$T/warm-forged.err" 2>/dev/null)"
fi

# --- ... and again at every boot ----------------------------------------------
# /run is empty after a reboot: confine-warm.service, which multi-user.target
# wants through a drop-in (no symlink to keep track of), runs before the
# engines. No systemd boots here, so the unit is checked by systemd's own
# reader and its command run as systemd would, against the root: from an
# empty cache it leaves every entry install made, for all of the warm
# configs (install judges only the engines it finds).
U=$R/etc/systemd/system
if cmp -s "$ROOT/config/systemd/confine-warm.service" "$U/confine-warm.service" &&
   cmp -s "$ROOT/config/systemd/multi-user-confine-warm.conf" "$U/multi-user.target.d/confine-warm.conf" &&
   [ "$(sed -n '/^\[Unit\]/,/^\[/p' "$U/multi-user.target.d/confine-warm.conf" | grep -x 'Wants=.*')" = Wants=confine-warm.service ] &&
   grep -qx 'Before=docker.service containerd.service crio.service' "$U/confine-warm.service" &&
   grep -qx 'Type=oneshot' "$U/confine-warm.service" &&
   { ! command -v systemd-analyze >/dev/null ||
     { timeout 60 systemd-analyze verify "$U/confine-warm.service" >"$T/warm-unit.err" 2>&1
       # Allowed: the binary and the manual are under --root, not on this host.
       ! grep -v -e 'Command /usr/local/bin/confine is not executable' -e "Command 'man confine(1)' failed" \
           "$T/warm-unit.err" | grep -q .; }; }; then
  pass install-boot-warm-unit
else
  fail install-boot-warm-unit "$(ls -R "$U" 2>&1; cat "$T/warm-unit.err" 2>/dev/null)"
fi
exec_start=$(sed -n 's/^ExecStart=//p' "$U/confine-warm.service")
rm -rf "$T/boot-cache" && warm_policy "$T/boot.json" "$T/boot-cache"
# The unit's command, with the root's binary, policy and warm directory.
read -r -a cmd <<<"$exec_start"
if [ "${#cmd[@]}" = 2 ] && [ "${cmd[1]}" = warm ] &&
   "$R${cmd[0]}" "${cmd[1]}" --policy "$T/boot.json" "$R/etc/confine/warm" >"$T/boot.out" 2>&1 &&
   [ "$(wc -l <"$T/boot.out")" = "$(ls "$R"/etc/confine/warm/*.json | wc -l)" ] &&
   [ -n "$want" ] && [ "$(ls "$T/boot-cache" | sort)" = "$want" ]; then
  pass install-boot-warm-fills-an-empty-cache
else
  fail install-boot-warm-fills-an-empty-cache "ExecStart=$exec_start; $(cat "$T/boot.out"); want: $(echo $want) got: $(ls "$T/boot-cache" 2>&1 | tr '\n' ' ')"
fi

# The shipped policy names the paths install.sh uses.
hook=$(jq -r .hook_path "$ROOT/config/policy.json")
prof=$(jq -r .seccomp.default_profile "$ROOT/config/policy.json")
if [ -x "$R$hook" ] && [ -f "$R$prof" ] && jq -e . "$R$prof" >/dev/null; then pass install-policy-paths-match
else fail install-policy-paths-match "policy hook_path $hook or seccomp.default_profile $prof not installed there"; fi

check install-fresh-daemon-json test \
  "$(jq -c . "$R/etc/docker/daemon.json")" = '{"runtimes":{"confine":{"path":"/usr/local/bin/confine-runtime"}},"default-runtime":"confine","authorization-plugins":["confine-authz"]}'
# The authorization plugin: its binary, and systemd starting its socket
# (where dockerd looks for it) before dockerd.
check install-fresh-authz-binary cmp -s "$BUILD/confine-authz" "$R/usr/local/libexec/confine/confine-authz"
if grep -qx 'ListenStream=/run/docker/plugins/confine-authz.sock' "$R/etc/systemd/system/confine-authz.socket" &&
   grep -qx 'ExecStart=/usr/local/libexec/confine/confine-authz' "$R/etc/systemd/system/confine-authz.service" &&
   grep -qx 'Requires=confine-authz.socket' "$R/etc/systemd/system/docker.service.d/confine-authz.conf" &&
   grep -qx 'After=confine-authz.socket' "$R/etc/systemd/system/docker.service.d/confine-authz.conf" &&
   { ! command -v systemd-analyze >/dev/null ||
     { timeout 60 systemd-analyze verify "$R/etc/systemd/system/confine-authz.socket" \
         "$R/etc/systemd/system/confine-authz.service" >"$T/units.err" 2>&1
       # The one complaint allowed: the binary is under --root, not on this host.
       ! grep -v 'Command /usr/local/libexec/confine/confine-authz is not executable' "$T/units.err" | grep -q .; }; }; then
  pass install-fresh-authz-units
else
  fail install-fresh-authz-units "$(ls -R "$R/etc/systemd" 2>&1; cat "$T/units.err" 2>/dev/null)"
fi
# containerd itself reads the file it gets, with our BinaryName in the
# CRI runc runtime and a runtime type (an empty one breaks CRI).
if containerd --config "$R/etc/containerd/config.toml" config dump >"$T/dump" 2>&1 &&
   grep -A3 -F '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]' "$T/dump" |
     grep -qF 'BinaryName = "/usr/local/bin/confine-runtime"' &&
   grep -qF 'runtime_type = "io.containerd.runc.v2"' "$T/dump"; then
  pass install-fresh-containerd-toml
else
  fail install-fresh-containerd-toml "$(cat "$R/etc/containerd/config.toml" "$T/dump")"
fi
check install-fresh-hooks-d test \
  "$(jq -c '[.version, .hook.path, .hook.args, .when.always, .stages]' "$R/usr/share/containers/oci/hooks.d/confine.json")" \
  = '["1.0.0","/usr/local/libexec/confine/confine-hook",["confine-hook","--policy","/etc/confine/policy.json"],true,["createRuntime","prestart"]]'
check install-fresh-says-restart grep -q 'Docker: .*kill -HUP' "$T/fresh.out"
# containerd's runc shims write exec's process files in a root-only
# XDG_RUNTIME_DIR (the gate refuses them in /tmp): a drop-in systemd
# itself reads as such, the directory under /run/containerd (a sensitive
# subtree: no container binds it) made 0700.
DROPIN=$R/etc/systemd/system/containerd.service.d/confine-tmp.conf
mkdir -p "$T/unit"
cat /lib/systemd/system/containerd.service "$DROPIN" >"$T/unit/ctrd-dropin.service" 2>/dev/null
if cmp -s "$ROOT/config/containerd-tmp.conf" "$DROPIN" && [ "$(stat -c %a "$DROPIN")" = 644 ] &&
   grep -qx 'Environment=XDG_RUNTIME_DIR=/run/containerd/tmp' "$DROPIN" &&
   grep -qx 'RuntimeDirectory=containerd/tmp' "$DROPIN" && grep -qx 'RuntimeDirectoryMode=0700' "$DROPIN" &&
   jq -e '.mounts.sensitive_subtrees | index("/run/containerd")' "$ROOT/config/policy.json" >/dev/null &&
   { ! command -v systemd-analyze >/dev/null || [ ! -f /lib/systemd/system/containerd.service ] ||
     [ -z "$(systemd-analyze verify --man=no "$T/unit/ctrd-dropin.service" 2>&1)" ]; } &&
   grep -q 'containerd: .*no systemd' "$T/fresh.out"; then
  pass install-fresh-containerd-root-only-tmp
else
  fail install-fresh-containerd-root-only-tmp "$(ls -l "$DROPIN"; systemd-analyze verify --man=no "$T/unit/ctrd-dropin.service" 2>&1 | head -3)"
fi
# runc moved aside with dpkg-divert, the shim in its place.
if cmp -s "$BUILD/confine-runtime" "$R/usr/sbin/runc" && [ "$(stat -c %a "$R/usr/sbin/runc")" = 755 ] &&
   cmp -s <(printf '#!/bin/sh\necho "runc version 1.1.5 (fake)"\n') "$R/usr/sbin/runc.real" &&
   [ "$(dpkg-divert --root "$R" --truename /usr/sbin/runc)" = /usr/sbin/runc.real ] &&
   [ "$(dpkg-divert --root "$R" --listpackage /usr/sbin/runc)" = LOCAL ]; then
  pass install-fresh-runc-diverted-to-standin
else
  fail install-fresh-runc-diverted-to-standin "$(ls -l "$R/usr/sbin"; dpkg-divert --root "$R" --list)"
fi
# `confine status` reads the registrations back from the same root.
check install-status-sees-registration test \
  "$("$BUILD/confine" status --json --sysroot "$R" --policy "$R/etc/confine/policy.json" |
     jq -r '[.engines.docker.state, .engines.containerd.state, .engines["hooks.d"].state] | join(",")')" \
  = "registered,registered,registered"

# status: runc has its stand-in; a runtime that is not runc-compatible
# (Kata's containerd shim) is named as ungated, the runc shims are not.
st () { "$BUILD/confine" status --json --sysroot "$R" --policy "$R/etc/confine/policy.json" | jq -r ".engines.runtimes | .state + \" \" + .detail"; }
check install-status-runtimes-gated test "$(st)" = "registered gated: /usr/sbin/runc (stand-in)"
printf '#!/bin/sh\n' >"$R/usr/bin/containerd-shim-kata-v2"
printf '#!/bin/sh\n' >"$R/usr/bin/containerd-shim-runc-v2"
chmod 0755 "$R/usr/bin/containerd-shim-kata-v2" "$R/usr/bin/containerd-shim-runc-v2"
check install-status-runtimes-kata-ungated test "$(st)" = \
  "partial ungated: /usr/bin/containerd-shim-kata-v2 (not runc-compatible: the gate never sees its containers); gated: /usr/sbin/runc (stand-in)"
rm -f "$R/usr/bin/containerd-shim-kata-v2" "$R/usr/bin/containerd-shim-runc-v2"

# --- run twice: the second run changes nothing at all ------------------------
snapshot "$R" >"$T/fresh.after1"
inst --root "$R" >"$T/fresh.out2" 2>&1
rc=$?
snapshot "$R" >"$T/fresh.after2"
if [ "$rc" = 0 ] && cmp -s "$T/fresh.after1" "$T/fresh.after2" && grep -q 'nothing to change' "$T/fresh.out2"; then
  pass install-idempotent
else
  fail install-idempotent "exit $rc; $(diff "$T/fresh.after1" "$T/fresh.after2" | head -20) $(cat "$T/fresh.out2")"
fi

# --- uninstall gives the root back -------------------------------------------
inst --root "$R" --uninstall >"$T/fresh.un" 2>&1
rc=$?
if [ "$rc" = 0 ] && [ -z "$(dpkg-divert --root "$R" --list)" ] && [ ! -e "$R/usr/sbin/runc.real" ] &&
   grep -q 'Docker: .*kill -HUP' "$T/fresh.un" && grep -q 'containerd: .*no systemd' "$T/fresh.un"; then
  pass install-uninstall-undiverts-and-says-restart
else
  fail install-uninstall-undiverts-and-says-restart "exit $rc; $(cat "$T/fresh.un"; dpkg-divert --root "$R" --list)"
fi
# Only the decision log directory stays (an audit trail outlives the tool).
snapshot_files "$R" | grep -v '^\./var' | grep -v '/var/log' >"$T/fresh.after-un"
grep -v '^\./var' "$T/fresh.before" >"$T/fresh.before-novar"
if [ "$rc" = 0 ] && cmp -s "$T/fresh.before-novar" "$T/fresh.after-un" && [ -d "$R/var/log/confine" ] &&
   [ ! -e "$R/var/lib/confine" ]; then
  pass install-uninstall-fresh
else
  fail install-uninstall-fresh "exit $rc; $(diff "$T/fresh.before-novar" "$T/fresh.after-un" | head -20)"
fi

# --- --dry-run shows exactly what the real run does -----------------------------
# Same changes, same count, on a fresh root and on one with an older
# install (a stand-in and a shim of another build).
changes () { sed -n 's/.*\(dry run\|done\): \([0-9]*\) change.*/\2/p' "$1"; }
R=$T/count
new_root "$R"
inst --root "$R" --dry-run >"$T/count.dry" 2>&1
inst --root "$R" >"$T/count.real" 2>&1
d=$(changes "$T/count.dry") r=$(changes "$T/count.real")
# The files each run names: written, or would be.
sed -n 's/^confine-install: would \(install\|replace\) \([^ ]*\) .*/\2/p; s/^confine-install: would register .* in \([^ ]*\):$/\1/p' \
  "$T/count.dry" | sort >"$T/count.dry-files"
sed -n 's/^confine-install: installed //p' "$T/count.real" | sort >"$T/count.real-files"
if [ -n "$d" ] && [ "$d" = "$r" ] && [ -s "$T/count.real-files" ] && cmp -s "$T/count.dry-files" "$T/count.real-files"; then
  pass "install-dry-run-same-changes-as-real: $d"
else
  fail install-dry-run-same-changes-as-real "dry $d, real $r; $(diff "$T/count.dry-files" "$T/count.real-files")"
fi
printf 'older build\n' >>"$R/usr/sbin/runc"
sha256sum "$R/usr/sbin/runc" | cut -d' ' -f1 >"$R/var/lib/confine/written/usr/sbin/runc.sha256"
printf 'older build\n' >>"$R/usr/local/bin/confine-runtime"
sha256sum "$R/usr/local/bin/confine-runtime" | cut -d' ' -f1 >"$R/var/lib/confine/written/usr/local/bin/confine-runtime.sha256"
inst --root "$R" --dry-run >"$T/count.dry2" 2>&1
inst --root "$R" >"$T/count.real2" 2>&1
d=$(changes "$T/count.dry2") r=$(changes "$T/count.real2")
if [ "$d" = 2 ] && [ "$r" = 2 ] && cmp -s "$BUILD/confine-runtime" "$R/usr/sbin/runc"; then
  pass install-upgrade-refreshes-standin
else
  fail install-upgrade-refreshes-standin "dry $d, real $r: $(cat "$T/count.real2")"
fi

# A runc.real that is not the diversion's: refused, nothing changed.
R=$T/conflict
new_root "$R"
cp "$R/usr/sbin/runc" "$R/usr/sbin/runc.real"
snapshot "$R" >"$T/conflict.before"
inst --root "$R" >"$T/conflict.out" 2>&1
rc=$?
if [ "$rc" != 0 ] && cmp -s "$T/conflict.before" <(snapshot "$R") &&
   grep -q 'runc.real exists but /usr/sbin/runc is not diverted' "$T/conflict.out"; then
  pass install-divert-conflict-refused
else
  fail install-divert-conflict-refused "exit $rc; $(cat "$T/conflict.out")"
fi

# --- --dry-run changes nothing, and shows the change ---------------------------
R=$T/dry
new_root "$R"
echo '{"log-level": "warn"}' >"$R/etc/docker/daemon.json"
snapshot "$R" >"$T/dry.before"
inst --root "$R" --dry-run >"$T/dry.out" 2>&1
rc=$?
snapshot "$R" >"$T/dry.after"
if [ "$rc" = 0 ] && cmp -s "$T/dry.before" "$T/dry.after"; then pass install-dry-run-changes-nothing
else fail install-dry-run-changes-nothing "exit $rc; $(diff "$T/dry.before" "$T/dry.after" | head)"; fi
if grep -q 'would install .*/usr/local/bin/confine-runtime' "$T/dry.out" &&
   grep -q '^    +  "default-runtime": "confine"' "$T/dry.out"; then
  pass install-dry-run-shows-changes
else
  fail install-dry-run-shows-changes "$(cat "$T/dry.out")"
fi

# --- existing daemon.json: every key kept, backup first -----------------------
R=$T/existing
new_root "$R"
cat >"$R/etc/docker/daemon.json" <<'EOF'
{
  "log-level": "warn",
  "default-runtime": "runc",
  "runtimes": { "nvidia": { "path": "/usr/bin/nvidia-container-runtime", "runtimeArgs": [] } },
  "registry-mirrors": ["https://mirror.example"],
  "authorization-plugins": ["opa-docker-authz"],
  "default-ulimits": { "nofile": { "Name": "nofile", "Hard": 64000, "Soft": 64000 } }
}
EOF
chmod 0600 "$R/etc/docker/daemon.json"
cp -p "$R/etc/docker/daemon.json" "$T/existing.orig"
mkdir -p "$R/etc/confine"
echo '{"mode": "audit"}' >"$R/etc/confine/policy.json"
snapshot_files "$R" >"$T/existing.before"
inst --root "$R" >"$T/existing.out" 2>&1
check install-existing-exit-0 test $? = 0
want=$(jq -S '.runtimes.confine = {"path": "/usr/local/bin/confine-runtime"} | ."default-runtime" = "confine"
                | ."authorization-plugins" = ["opa-docker-authz", "confine-authz"]' "$T/existing.orig")
check install-existing-keys-kept test "$(jq -S . "$R/etc/docker/daemon.json")" = "$want"
check install-existing-mode-kept test "$(stat -c %a "$R/etc/docker/daemon.json")" = 600
check install-existing-backup cmp -s "$T/existing.orig" "$R/var/lib/confine/backup/etc/docker/daemon.json"
check install-existing-policy-not-overwritten test "$(cat "$R/etc/confine/policy.json")" = '{"mode": "audit"}'
inst --root "$R" --uninstall >"$T/existing.un" 2>&1
check install-uninstall-restores-daemon-json cmp -s "$T/existing.orig" "$R/etc/docker/daemon.json"
check install-uninstall-keeps-own-policy test "$(cat "$R/etc/confine/policy.json")" = '{"mode": "audit"}'
snapshot_files "$R" | grep -v '/var/log' | grep -v '^\./var ' >"$T/existing.after-un"
grep -v '^\./var ' "$T/existing.before" >"$T/existing.before-novar"
if cmp -s "$T/existing.before-novar" "$T/existing.after-un"; then pass install-uninstall-existing-root-restored
else fail install-uninstall-existing-root-restored "$(diff "$T/existing.before-novar" "$T/existing.after-un" | head -20)"; fi

# --- uninstall after the operator edited daemon.json: only our keys go --------
R=$T/edited
new_root "$R"
echo '{"log-level": "warn", "authorization-plugins": ["opa"]}' >"$R/etc/docker/daemon.json"
inst --root "$R" >/dev/null 2>&1
jq '.debug = true' "$R/etc/docker/daemon.json" >"$T/edited.json" && cat "$T/edited.json" >"$R/etc/docker/daemon.json"
inst --root "$R" --uninstall >"$T/edited.un" 2>&1
check install-uninstall-after-edit test "$(jq -c . "$R/etc/docker/daemon.json")" = '{"log-level":"warn","authorization-plugins":["opa"],"debug":true}'
# Only ours in the list: the key goes with it.
R=$T/edited2
new_root "$R"
echo '{"log-level": "warn"}' >"$R/etc/docker/daemon.json"
inst --root "$R" >/dev/null 2>&1
jq '.debug = true' "$R/etc/docker/daemon.json" >"$T/edited.json" && cat "$T/edited.json" >"$R/etc/docker/daemon.json"
inst --root "$R" --uninstall >"$T/edited.un" 2>&1
check install-uninstall-after-edit-drops-authz test "$(jq -c . "$R/etc/docker/daemon.json")" = '{"log-level":"warn","debug":true}'

# --- invalid daemon.json: refuse, change nothing -------------------------------
for bad in '{"log-level": "warn",' '{"a": 1} {"b": 2}' '["not", "an", "object"]'; do
  R=$T/invalid
  rm -rf "$R"
  new_root "$R"
  printf '%s\n' "$bad" >"$R/etc/docker/daemon.json"
  snapshot "$R" >"$T/invalid.before"
  inst --root "$R" >"$T/invalid.out" 2>&1
  rc=$?
  snapshot "$R" >"$T/invalid.after"
  if [ "$rc" != 0 ] && cmp -s "$T/invalid.before" "$T/invalid.after" &&
     grep -q 'daemon.json is not a valid JSON object' "$T/invalid.out"; then
    pass "install-invalid-daemon-json-refused: $bad"
  else
    fail "install-invalid-daemon-json-refused: $bad" "exit $rc; $(cat "$T/invalid.out"; diff "$T/invalid.before" "$T/invalid.after" | head)"
  fi
done

# An invalid containerd config stops the install the same way.
R=$T/badtoml
new_root "$R"
mkdir -p "$R/etc/containerd"
printf 'version = 2\n[[[broken\n' >"$R/etc/containerd/config.toml"
snapshot "$R" >"$T/badtoml.before"
inst --root "$R" >"$T/badtoml.out" 2>&1
rc=$?
snapshot "$R" >"$T/badtoml.after"
if [ "$rc" != 0 ] && cmp -s "$T/badtoml.before" "$T/badtoml.after"; then pass install-invalid-containerd-toml-refused
else fail install-invalid-containerd-toml-refused "exit $rc; $(cat "$T/badtoml.out")"; fi

# containerd 2.x: its own full default config (version 3, single-quoted
# plugin ids) gets BinaryName in the runc handler's existing options
# table, not a second table containerd 2.x would refuse to start with.
R=$T/v3
new_root "$R"
mkdir -p "$R/etc/containerd"
cp "$ROOT/tests/fixtures/containerd/v3-full.toml" "$R/etc/containerd/config.toml"
inst --root "$R" >"$T/v3.out" 2>&1
rc=$?
opts=$(sed -n "s/[[:space:]]//g; s/'/\"/g; /^\[plugins\.\"io\.containerd\.cri\.v1\.runtime\"\.containerd\.runtimes\.runc\.options\]/p" \
  "$R/etc/containerd/config.toml" | wc -l)
bn=$(sed -n '/runtimes\.runc\.options\]/,/^[[:space:]]*\[/p' "$R/etc/containerd/config.toml" | grep -c 'BinaryName = "/usr/local/bin/confine-runtime"')
if [ "$rc" = 0 ] && [ "$opts" = 1 ] && [ "$bn" = 1 ] &&
   grep -q "# confine-original: BinaryName = ''" "$R/etc/containerd/config.toml"; then
  pass install-containerd-v3-default-config
else
  fail install-containerd-v3-default-config "exit $rc, $opts options tables, $bn BinaryName: $(cat "$T/v3.out")"
fi
inst --root "$R" --uninstall >/dev/null 2>&1
check install-containerd-v3-uninstall-restores cmp -s "$ROOT/tests/fixtures/containerd/v3-full.toml" "$R/etc/containerd/config.toml"

# Every runc-type handler's own binary gets a stand-in: the runtime-class
# example's crun (/usr/local/bin/crun), and a handler in a conf.d drop-in
# (containerd 2.2+ imports them) naming a runc of its own. gVisor and Kata
# are said to be outside the gate.
for v in v2 v3; do
  R=$T/classes-$v
  new_root "$R"
  mkdir -p "$R/etc/containerd/conf.d" "$R/usr/local/bin" "$R/opt/runc-1.2"
  cp "$ROOT/tests/fixtures/containerd/$v-runtime-classes.toml" "$R/etc/containerd/config.toml"
  printf '#!/bin/sh\necho crun\n' >"$R/usr/local/bin/crun"
  printf '#!/bin/sh\necho runc 1.2\n' >"$R/opt/runc-1.2/runc"
  chmod 0755 "$R/usr/local/bin/crun" "$R/opt/runc-1.2/runc"
  plugin=io.containerd.grpc.v1.cri
  [ "$v" = v3 ] && plugin=io.containerd.cri.v1.runtime
  printf "version = %s\n[plugins.'%s'.containerd.runtimes.runc12]\n  runtime_type = 'io.containerd.runc.v2'\n[plugins.'%s'.containerd.runtimes.runc12.options]\n  BinaryName = '/opt/runc-1.2/runc'\n" \
    "${v#v}" "$plugin" "$plugin" >"$R/etc/containerd/conf.d/10-new-runc.toml"
  snapshot_files "$R" >"$T/classes.before"
  inst --root "$R" >"$T/classes.out" 2>&1
  rc=$?
  if [ "$rc" = 0 ] && cmp -s "$BUILD/confine-runtime" "$R/usr/local/bin/crun" &&
     cmp -s "$BUILD/confine-runtime" "$R/opt/runc-1.2/runc" &&
     [ "$(dpkg-divert --root "$R" --truename /opt/runc-1.2/runc)" = /opt/runc-1.2/runc.real ] &&
     grep -q 'handler gvisor (io.containerd.runsc.v1.*not runc-compatible' "$T/classes.out" &&
     grep -q 'handler kata (io.containerd.kata.v2.*not runc-compatible' "$T/classes.out"; then
    pass "install-containerd-$v-every-runc-handler-gated"
  else
    fail "install-containerd-$v-every-runc-handler-gated" "exit $rc: $(cat "$T/classes.out")"
  fi
  inst --root "$R" --uninstall >/dev/null 2>&1
  if cmp -s <(grep -v '^\./var ' "$T/classes.before") <(snapshot_files "$R" | grep -v '/var/log\|^\./var ') &&
     [ -z "$(dpkg-divert --root "$R" --list)" ]; then
    pass "install-containerd-$v-uninstall-restores-handlers"
  else
    fail "install-containerd-$v-uninstall-restores-handlers" "$(diff "$T/classes.before" <(snapshot_files "$R") | head)"
  fi
done

# Docker's daemon.json runtimes (red team 6 F-03): any API user picks one
# with docker run --runtime NAME. Each runc-compatible binary gets a
# stand-in: a `path` (youki), a bare name found on the service PATH
# through an absolute link (sysbox-runc -> /opt/sysbox/sysbox-runc), a
# runc shim's options.BinaryName (a second runc); runsc, Kata's shim and
# a path that does not exist are warned about. `confine status` names
# what runs ungated, and a runtime added after install.
R=$T/docker-runtimes
new_root "$R"
mkdir -p "$R/usr/local/bin" "$R/opt/sysbox" "$R/opt/runc-2"
for f in usr/local/bin/youki opt/sysbox/sysbox-runc opt/runc-2/runc usr/local/bin/runsc; do
  printf '#!/bin/sh\necho %s\n' "$f" >"$R/$f"; chmod 0755 "$R/$f"
done
ln -s /opt/sysbox/sysbox-runc "$R/usr/local/bin/sysbox-runc"
cat >"$R/etc/docker/daemon.json" <<'EOF'
{"runtimes": {"youki": {"path": "/usr/local/bin/youki"}, "sysbox": {"path": "sysbox-runc"},
 "runc2": {"runtimeType": "io.containerd.runc.v2", "options": {"BinaryName": "/opt/runc-2/runc"}},
 "gvisor": {"path": "/usr/local/bin/runsc"}, "kata": {"runtimeType": "io.containerd.kata.v2"},
 "gone": {"path": "/usr/local/bin/nothere"}}}
EOF
snapshot_files "$R" >"$T/drt.before"
inst --root "$R" >"$T/drt.out" 2>&1
rc=$?
ok=1
for f in /usr/local/bin/youki /opt/sysbox/sysbox-runc /opt/runc-2/runc; do
  cmp -s "$BUILD/confine-runtime" "$R$f" && [ "$(dpkg-divert --root "$R" --truename "$f")" = "$f.real" ] &&
    grep -qx "#!/bin/sh" "$R$f.real" || ok=0
done
for w in "gvisor .*(runsc is not runc-compatible)" "kata .*(runtimeType io.containerd.kata.v2 is not runc's shim)" \
         "gone .*(/usr/local/bin/nothere does not exist)"; do
  grep -q "WARNING: Docker: runtime $w: any Docker API user runs unconfined containers with docker run --runtime" "$T/drt.out" || ok=0
done
if [ "$rc" = 0 ] && [ "$ok" = 1 ] && [ -L "$R/usr/local/bin/sysbox-runc" ] && ! cmp -s "$BUILD/confine-runtime" "$R/usr/local/bin/runsc"; then
  pass install-docker-runtimes-gated-or-warned
else
  fail install-docker-runtimes-gated-or-warned "exit $rc: $(cat "$T/drt.out"; ls -lR "$R/usr/local/bin" "$R/opt")"
fi
dst () { "$BUILD/confine" status --json --sysroot "$R" --policy "$R/etc/confine/policy.json" | jq -r '.engines.docker | .state + " " + .detail'; }
check install-status-docker-runtimes-ungated test "$(dst)" = \
  "partial default-runtime confine -> /usr/local/bin/confine-runtime, but docker run --runtime NAME runs ungated: gvisor -> /usr/local/bin/runsc (not runc-compatible: the gate never sees its containers), kata -> io.containerd.kata.v2 (not runc's shim: the gate never sees its containers), gone -> /usr/local/bin/nothere (not found)"
# A runtime added to daemon.json after install has no stand-in until
# install.sh runs again.
jq '.runtimes |= {confine, youki} + {"late": {"path": "/usr/local/bin/youki2"}}' \
  "$R/etc/docker/daemon.json" >"$T/drt.json" && cat "$T/drt.json" >"$R/etc/docker/daemon.json"
cp "$R/usr/local/bin/youki.real" "$R/usr/local/bin/youki2"
check install-status-docker-runtime-added-later test "$(dst)" = \
  "partial default-runtime confine -> /usr/local/bin/confine-runtime, but docker run --runtime NAME runs ungated: late -> /usr/local/bin/youki2 (no stand-in: run install.sh)"
inst --root "$R" >"$T/drt.out2" 2>&1
check install-docker-runtime-added-later-gated-on-rerun test "$(dst)" = \
  "registered default-runtime confine -> /usr/local/bin/confine-runtime"
inst --root "$R" --uninstall >/dev/null 2>&1
rm -f "$R/usr/local/bin/youki2"
if cmp -s <(grep -v '^\./var \|/etc/docker' "$T/drt.before") <(snapshot_files "$R" | grep -v '/var/log\|^\./var \|/etc/docker') &&
   [ -z "$(dpkg-divert --root "$R" --list)" ]; then
  pass install-docker-runtimes-uninstall-restores
else
  fail install-docker-runtimes-uninstall-restores "$(diff "$T/drt.before" <(snapshot_files "$R") | head)"
fi

# containerd's opt directory (red team 3 F-11): its bin is first on every
# shim's PATH, so a runc `ctr install` put there (default or moved) gets a
# stand-in; a moved one is no entry of the shipped lists, which the hook
# judges with, and install says how to list it, until it is listed.
R=$T/opt
new_root "$R"
mkdir -p "$R/etc/containerd" "$R/srv/ctd-opt/bin" "$R/opt/containerd/bin"
printf 'version = 2\n[plugins."io.containerd.internal.v1.opt"]\n  path = "/srv/ctd-opt"\n' >"$R/etc/containerd/config.toml"
for d in srv/ctd-opt opt/containerd; do
  printf '#!/bin/sh\necho runc installed by ctr\n' >"$R/$d/bin/runc"; chmod 0755 "$R/$d/bin/runc"
done
snapshot_files "$R" >"$T/opt.before"
inst --root "$R" >"$T/opt.out" 2>&1
rc=$?
if [ "$rc" = 0 ] && cmp -s "$BUILD/confine-runtime" "$R/srv/ctd-opt/bin/runc" &&
   cmp -s "$BUILD/confine-runtime" "$R/opt/containerd/bin/runc" &&
   [ "$(dpkg-divert --root "$R" --truename /srv/ctd-opt/bin/runc)" = /srv/ctd-opt/bin/runc.real ] &&
   grep -q "WARNING: containerd's opt directory is /srv/ctd-opt" "$T/opt.out" &&
   ! grep -q "opt directory is /opt/containerd" "$T/opt.out"; then
  pass "install-containerd-opt-runc-gated-and-moved-opt-named"
else
  fail "install-containerd-opt-runc-gated-and-moved-opt-named" "exit $rc: $(cat "$T/opt.out")"
fi
edit=$(sed -n 's/^confine-install:   \(jq --arg d .*\)$/\1/p' "$T/opt.out")
if [ -n "$edit" ] && bash -c "$edit" && inst --root "$R" >"$T/opt.out2" 2>&1 &&
   ! grep -q "opt directory" "$T/opt.out2" &&
   jq -e '.mounts.sensitive_subtrees | index("/srv/ctd-opt")' "$R/etc/confine/policy.json" >/dev/null; then
  pass "install-containerd-moved-opt-listed-no-warning"
else
  fail "install-containerd-moved-opt-listed-no-warning" "edit '$edit': $(cat "$T/opt.out2" 2>/dev/null)"
fi
rm -f "$R/etc/confine/policy.json.new"

# No containerd binary and no config.toml: no config.toml is made.
R=$T/nocontainerd
mkdir -p "$R/etc/docker"
inst --root "$R" >/dev/null 2>&1
check install-no-containerd-no-toml test ! -e "$R/etc/containerd/config.toml"

# --- same-named files of someone else's: backed up, given back -----------------
# An operator's own /etc/apparmor.d/docker-nginx and /usr/local/bin/confine
# are replaced by install (with a backup) and restored by --uninstall byte
# for byte, mode and mtime included.
R=$T/clobber
new_root "$R"
mkdir -p "$R/etc/apparmor.d" "$R/usr/local/bin"
printf '# the operator'"'"'s own profile\nprofile docker-nginx flags=(attach_disconnected) {\n}\n' \
  >"$R/etc/apparmor.d/docker-nginx"
printf '#!/bin/sh\necho not confine\n' >"$R/usr/local/bin/confine"
chmod 0600 "$R/etc/apparmor.d/docker-nginx"
touch -d '2020-01-02 03:04:05' "$R/etc/apparmor.d/docker-nginx" "$R/usr/local/bin/confine"
cp -p "$R/etc/apparmor.d/docker-nginx" "$T/nginx.orig"
cp -p "$R/usr/local/bin/confine" "$T/confine.orig"
inst --root "$R" >"$T/clobber.out" 2>&1
check install-clobber-exit-0 test $? = 0
check install-clobber-replaced cmp -s "$ROOT/profiles/apparmor/docker-nginx" "$R/etc/apparmor.d/docker-nginx"
check install-clobber-backed-up cmp -s "$T/nginx.orig" "$R/var/lib/confine/backup/etc/apparmor.d/docker-nginx"
check install-clobber-binary-backed-up cmp -s "$T/confine.orig" "$R/var/lib/confine/backup/usr/local/bin/confine"
# A second run must not take its own file for the operator's.
inst --root "$R" >/dev/null 2>&1
check install-clobber-backup-kept-on-rerun cmp -s "$T/nginx.orig" "$R/var/lib/confine/backup/etc/apparmor.d/docker-nginx"
inst --root "$R" --uninstall >"$T/clobber.un" 2>&1
check install-clobber-uninstall-exit-0 test $? = 0
if cmp -s "$T/nginx.orig" "$R/etc/apparmor.d/docker-nginx" &&
   [ "$(stat -c '%a %Y' "$R/etc/apparmor.d/docker-nginx")" = "$(stat -c '%a %Y' "$T/nginx.orig")" ]; then
  pass install-clobber-uninstall-restores-profile
else
  fail install-clobber-uninstall-restores-profile "$(cat "$T/clobber.un"; ls -l "$R/etc/apparmor.d")"
fi
check install-clobber-uninstall-restores-binary cmp -s "$T/confine.orig" "$R/usr/local/bin/confine"
check install-clobber-uninstall-removes-ours test ! -e "$R/etc/apparmor.d/confine-default"

# A file of ours edited since install is the operator's now: kept.
R=$T/edited-file
new_root "$R"
inst --root "$R" >/dev/null 2>&1
echo '# local tweak' >>"$R/etc/apparmor.d/confine-default"
cp -p "$R/etc/apparmor.d/confine-default" "$T/edited-profile"
inst --root "$R" --uninstall >"$T/edited-file.un" 2>&1
if cmp -s "$T/edited-profile" "$R/etc/apparmor.d/confine-default" &&
   grep -q 'kept .*/etc/apparmor.d/confine-default: it was changed since install' "$T/edited-file.un" &&
   [ ! -e "$R/usr/local/bin/confine-runtime" ]; then
  pass install-uninstall-keeps-edited-file
else
  fail install-uninstall-keeps-edited-file "$(cat "$T/edited-file.un")"
fi

# --- --root: no symlink may lead a change out of the root ----------------------
# R/etc/docker -> a directory outside R, as an absolute and as a relative
# link: refused before anything is changed, the outside file untouched.
for how in absolute relative; do
  R=$T/escape-$how
  O=$T/outside-$how
  rm -rf "$R" "$O"
  new_root "$R"
  mkdir -p "$O"
  echo '{"log-level": "warn"}' >"$O/daemon.json"
  rmdir "$R/etc/docker"
  if [ "$how" = absolute ]; then ln -s "$O" "$R/etc/docker"; else ln -s "../../outside-$how" "$R/etc/docker"; fi
  snapshot "$O" >"$T/outside.before"
  snapshot "$R" >"$T/escape.before"
  inst --root "$R" >"$T/escape.out" 2>&1
  rc=$?
  if [ "$rc" != 0 ] && cmp -s "$T/outside.before" <(snapshot "$O") &&
     cmp -s "$T/escape.before" <(snapshot "$R") && grep -q 'a symlink leads out of the root' "$T/escape.out"; then
    pass "install-root-symlink-escape-refused: $how"
  else
    fail "install-root-symlink-escape-refused: $how" "exit $rc; $(cat "$T/escape.out"; cat "$O/daemon.json")"
  fi
done
# A link that stays inside the root is fine, and is followed.
R=$T/inner-link
new_root "$R"
mv "$R/etc/docker" "$R/etc/docker-real"
ln -s docker-real "$R/etc/docker"
inst --root "$R" >"$T/inner.out" 2>&1
if [ $? = 0 ] && [ -L "$R/etc/docker" ] &&
   [ "$(jq -r '."default-runtime"' "$R/etc/docker-real/daemon.json")" = confine ]; then
  pass install-root-inner-symlink-allowed
else
  fail install-root-inner-symlink-allowed "$(cat "$T/inner.out")"
fi
# --uninstall's state directory the same way: R/var/lib/confine -> outside.
R=$T/escape-state
O=$T/outside-state
new_root "$R"
inst --root "$R" >/dev/null 2>&1
mv "$R/var/lib/confine" "$O"
ln -s "$O" "$R/var/lib/confine"
snapshot "$O" >"$T/outside-state.before"
snapshot "$R" >"$T/escape-state.before"
inst --root "$R" --uninstall >"$T/escape-state.out" 2>&1
rc=$?
if [ "$rc" != 0 ] && cmp -s "$T/outside-state.before" <(snapshot "$O") &&
   cmp -s "$T/escape-state.before" <(snapshot "$R"); then
  pass install-root-symlink-escape-uninstall-refused
else
  fail install-root-symlink-escape-uninstall-refused "exit $rc; $(cat "$T/escape-state.out")"
fi

# --- --root "" is not the running system -----------------------------------------
# Only the refusal is checked (with --dry-run, should it not refuse).
for form in '--root=' '--root '; do
  if [ "$form" = '--root=' ]; then out=$(inst --dry-run --root= 2>&1); else out=$(inst --dry-run --root "" 2>&1); fi
  rc=$?
  if [ "$rc" != 0 ] && grep -q -- '--root needs a directory, not an empty string' <<<"$out"; then
    pass "install-empty-root-refused: $form\"\""
  else
    fail "install-empty-root-refused: $form\"\"" "exit $rc: $out"
  fi
done

# --- numbers jq would rewrite: refuse rather than change them --------------------
for num in 9007199254740993 1.0 1e3; do
  R=$T/numbers
  rm -rf "$R"
  new_root "$R"
  printf '{"log-level": "warn", "max-concurrent-downloads": %s, "note": "1.0 in a string is fine"}\n' \
    "$num" >"$R/etc/docker/daemon.json"
  snapshot "$R" >"$T/numbers.before"
  inst --root "$R" >"$T/numbers.out" 2>&1
  rc=$?
  if [ "$rc" != 0 ] && cmp -s "$T/numbers.before" <(snapshot "$R") &&
     grep -q "holds numbers that jq .* would rewrite ($num)" "$T/numbers.out"; then
    pass "install-daemon-json-numbers-refused: $num"
  else
    fail "install-daemon-json-numbers-refused: $num" "exit $rc; $(cat "$T/numbers.out")"
  fi
done
# Numbers jq prints back as written are merged as usual.
R=$T/numbers-ok
new_root "$R"
printf '{"max-concurrent-downloads": 3, "shutdown-timeout": 15, "x": -0.5, "big": 9007199254740992}\n' \
  >"$R/etc/docker/daemon.json"
inst --root "$R" >"$T/numbers-ok.out" 2>&1
check install-daemon-json-plain-numbers-kept test \
  "$(jq -c '[."max-concurrent-downloads", ."shutdown-timeout", .x, .big, ."default-runtime"]' "$R/etc/docker/daemon.json")" \
  = '[3,15,-0.5,9007199254740992,"confine"]'
# An operator's edit after install that jq would rewrite: uninstall does
# not run the file through jq, and says what to remove by hand.
sed -i 's/"shutdown-timeout": *15/"shutdown-timeout": 15.0/' "$R/etc/docker/daemon.json"
cp -p "$R/etc/docker/daemon.json" "$T/numbers-edited"
inst --root "$R" --uninstall >"$T/numbers-ok.un" 2>&1
if cmp -s "$T/numbers-edited" "$R/etc/docker/daemon.json" && grep -q 'by hand' "$T/numbers-ok.un"; then
  pass install-uninstall-numbers-left-alone
else
  fail install-uninstall-numbers-left-alone "$(cat "$T/numbers-ok.un"; cat "$R/etc/docker/daemon.json")"
fi

# --- a host without AppArmor: said before anything changes ---------------------
# This kernel has no AppArmor: the gate, reading the policy's securityfs,
# would refuse every container. install.sh says so, with the edit, before
# its first change, and without systemd how to restart each engine.
first_change () { grep -nE 'installed |diverted|registered|^confine-install: created' "$1" | head -n1 | cut -d: -f1; }
R=$T/noaa
new_root "$R"
inst --root "$R" >"$T/noaa.out" 2>&1
warn=$(grep -n 'WARNING: AppArmor is not available' "$T/noaa.out" | head -n1 | cut -d: -f1)
if [ -n "$warn" ] && [ -n "$(first_change "$T/noaa.out")" ] && [ "$warn" -lt "$(first_change "$T/noaa.out")" ] &&
   grep -qF '(in JSON: "apparmor": {"when_unavailable": "skip"})' "$T/noaa.out"; then
  pass install-no-apparmor-said-before-any-change
else
  fail install-no-apparmor-said-before-any-change "warning at line ${warn:-none}, first change at $(first_change "$T/noaa.out"): $(head -n 8 "$T/noaa.out")"
fi
check install-no-systemd-restart-docker grep -q 'Docker: .*kill -HUP $(cat /var/run/docker.pid)' "$T/noaa.out"
check install-no-systemd-restart-containerd grep -q 'containerd: .*no systemd: stop it (kill -TERM $(pidof containerd)) and start it again' "$T/noaa.out"
check install-no-systemd-restart-crio grep -q 'CRI-O: .*no systemd: restart crio as your init system does' "$T/noaa.out"
# The printed edit, run as printed, makes the gate skip AppArmor: the
# same spec goes from refused by apparmor to allowed.
edit=$(sed -n 's/^confine-install:   \(jq .*\)$/\1/p' "$T/noaa.out" | head -n1)
mkdir -p "$T/noaa.b/rootfs"; (cd "$T/noaa.b" && runc spec)
aa_verdict () { "$BUILD/confine" check --json --policy "$R/etc/confine/policy.json" "$T/noaa.b" | jq -r .rules.apparmor.result; }
before=$(aa_verdict)
if [ -n "$edit" ] && bash -c "$edit" && [ "$(jq -r .apparmor.when_unavailable "$R/etc/confine/policy.json")" = skip ] &&
   [ "$before" = fail ] && [ "$(aa_verdict)" = skip ]; then
  pass install-no-apparmor-printed-edit-works
else
  fail install-no-apparmor-printed-edit-works "edit [$edit], apparmor before $before, after $(aa_verdict)"
fi
inst --root "$R" >"$T/noaa.out2" 2>&1
check install-no-apparmor-skip-policy-says-so grep -q 'AppArmor is not available on this host: .* skips the AppArmor rule' "$T/noaa.out2"
# Positive control: a policy whose securityfs shows AppArmor gets no warning.
R=$T/withaa
new_root "$R"
mkdir -p "$R/etc/confine" "$T/sfs/apparmor"
echo 'confine-default (enforce)' >"$T/sfs/apparmor/profiles"
jq --arg s "$T/sfs" '.securityfs = $s' "$ROOT/config/policy.json" >"$R/etc/confine/policy.json"
inst --root "$R" >"$T/withaa.out" 2>&1
if ! grep -q 'AppArmor is not available' "$T/withaa.out" && grep -q 'done: ' "$T/withaa.out"; then
  pass install-apparmor-available-no-warning
else
  fail install-apparmor-available-no-warning "$(head -n 5 "$T/withaa.out")"
fi
# --apparmor-skip writes the policy with skip, and uninstall still removes it.
R=$T/aaskip
new_root "$R"
snapshot_files "$R" >"$T/aaskip.before"
inst --root "$R" --apparmor-skip >"$T/aaskip.out" 2>&1
if [ "$(jq -r .apparmor.when_unavailable "$R/etc/confine/policy.json")" = skip ] &&
   [ "$(jq -S 'del(.apparmor.when_unavailable)' "$R/etc/confine/policy.json")" = "$(jq -S 'del(.apparmor.when_unavailable)' "$ROOT/config/policy.json")" ] &&
   grep -q 'sets apparmor.when_unavailable "skip" (--apparmor-skip)' "$T/aaskip.out" && ! grep -q WARNING "$T/aaskip.out"; then
  pass install-apparmor-skip-flag-sets-skip
else
  fail install-apparmor-skip-flag-sets-skip "$(head -n 5 "$T/aaskip.out")"
fi
inst --root "$R" --uninstall >/dev/null 2>&1
# As after any uninstall, only the decision log directory stays.
snapshot_files "$R" | grep -v '^\./var' >"$T/aaskip.after"
grep -v '^\./var' "$T/aaskip.before" >"$T/aaskip.before-novar"
check install-apparmor-skip-uninstall-restores cmp -s "$T/aaskip.before-novar" "$T/aaskip.after"
# ... and never rewrites an existing policy: refused, nothing changed.
R=$T/aaskip2
new_root "$R"
mkdir -p "$R/etc/confine"; cp "$ROOT/config/policy.json" "$R/etc/confine/policy.json"
snapshot "$R" >"$T/aaskip2.before"
if ! inst --root "$R" --apparmor-skip >"$T/aaskip2.out" 2>&1 &&
   grep -q 'never rewrites an existing policy: edit it with: jq' "$T/aaskip2.out" &&
   [ "$(snapshot "$R")" = "$(cat "$T/aaskip2.before")" ]; then
  pass install-apparmor-skip-keeps-existing-policy
else
  fail install-apparmor-skip-keeps-existing-policy "$(cat "$T/aaskip2.out")"
fi

# --- the real thing: a real dockerd with the daemon.json install.sh wrote ---------
if [ "$(id -u)" != 0 ]; then
  fail install-real-dockerd "needs root"
  exit 0
fi
. "$ROOT/tests/lib/engine.sh"
if ! engine_require_packages; then
  fail install-real-dockerd "engine packages missing"
  exit 0
fi
R=$T/real
new_root "$R"
E=$(mktemp -d /tmp/ci-eng.XXXXXX)
AUTHZ=confine-authz-inst-$$
AUTHZ_SOCK=/run/docker/plugins/$AUTHZ.sock
AUTHZ_PID=
trap 'engine_stop; [ -n "$AUTHZ_PID" ] && kill "$AUTHZ_PID"; rm -f "$AUTHZ_SOCK"; engine_remove_dir "$E"; rm -rf "$T"' EXIT
# A key install.sh must keep, which this dockerd also needs: before 23.0
# it writes a trust key to /etc/docker/key.json unless told otherwise.
major=$(dockerd --version | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
if [ -n "$major" ] && [ "$major" -lt 23 ]; then
  printf '{"deprecated-key-path": "%s"}\n' "$E/key.json" >"$R/etc/docker/daemon.json"
else
  echo '{"log-level": "info"}' >"$R/etc/docker/daemon.json"
fi
inst --root "$R" >"$T/real.out" 2>&1 || fail install-real-install "$(cat "$T/real.out")"
# The two changes: runtimes.confine.path names the shim where --root put
# it, since this host's /usr/local/bin has none, and the plugin is this
# test's own instance of the installed one, on a socket of its own in
# dockerd's fixed plugin directory. Everything else is the file
# install.sh wrote.
jq --arg p "$R/usr/local/bin/confine-runtime" --arg a "$AUTHZ" '.runtimes.confine.path = $p
   | ."authorization-plugins" |= map(if . == "confine-authz" then $a else . end)' \
  "$R/etc/docker/daemon.json" >"$T/daemon.json"
check install-real-daemon-json-is-installs test \
  "$(jq -c 'del(.runtimes.confine.path) | ."authorization-plugins" |= map(sub("-inst-[0-9]+$"; ""))' "$T/daemon.json")" \
  = "$(jq -c 'del(.runtimes.confine.path)' "$R/etc/docker/daemon.json")"
# The shim finds its policy through CONFINE_POLICY (instead of
# /etc/confine/policy.json), inherited from dockerd and containerd. The
# installed policy, with the paths of this root and no AppArmor (this
# kernel has none).
mkdir -p "$T/no-sfs"
test_policy "$T/policy.json" "$T/no-sfs" \
  ".hook_path = \"$R/usr/local/libexec/confine/confine-hook\"
   | .seccomp.default_profile = \"$R/etc/confine/profiles/seccomp/default.json\"
   | .apparmor.when_unavailable = \"skip\" | .inject.apparmor = false"
export CONFINE_POLICY=$T/policy.json
mkdir -p /run/docker/plugins
"$R/usr/local/libexec/confine/confine-authz" --policy "$T/policy.json" --socket "$AUTHZ_SOCK" 2>"$T/authz.err" &
AUTHZ_PID=$!
for _ in $(seq 50); do [ -S "$AUTHZ_SOCK" ] && break; sleep 0.1; done
if ! engine_start "$E" --config-file "$T/daemon.json" || ! engine_import_busybox; then
  fail install-real-dockerd "engine did not start: $(tail -n 20 "$E/log/dockerd.log" 2>/dev/null)"
  exit 0
fi
check install-real-default-runtime test "$(docker info --format '{{.DefaultRuntime}}' 2>/dev/null)" = confine
out=$(timeout 120 docker run --rm --network none --privileged confine-busybox true 2>&1)
rc=$?
if [ "$rc" != 0 ] && refused_by capabilities <<<"$out"; then pass install-real-dockerd-refuses-privileged
else fail install-real-dockerd-refuses-privileged "exit $rc: $out"; fi
out=$(timeout 120 docker run --rm --network none confine-busybox echo hello 2>&1)
rc=$?
if [ "$rc" = 0 ] && [ "$out" = hello ]; then pass install-real-dockerd-allows-default
else fail install-real-dockerd-allows-default "exit $rc: $out"; fi
# The installed plugin, registered as install.sh registers it: a create
# binding /etc is refused (so `docker cp` never reaches the host's /etc),
# an ordinary one passes.
out=$(timeout 120 docker create --network none -v /etc:/hostetc confine-busybox true 2>&1)
rc=$?
if [ "$rc" != 0 ] && grep -q "authorization denied by plugin $AUTHZ: confine: refused: mounts: " <<<"$out"; then
  pass install-real-dockerd-authz-refuses-etc-bind
else
  fail install-real-dockerd-authz-refuses-etc-bind "exit $rc: $out"
fi
mkdir -p "$T/data"
if cid=$(timeout 120 docker create --network none -v "$T/data:/d" confine-busybox true 2>&1) &&
   timeout 60 docker rm "$cid" >/dev/null 2>&1; then
  pass install-real-dockerd-authz-allows-ordinary-bind
else
  fail install-real-dockerd-authz-allows-ordinary-bind "$cid"
fi

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# install.sh - install confine and register it with every container engine
# found on this host.
#
#   ./install.sh [--dry-run] [--root DIR] [--no-build] [--build-dir DIR] [--apparmor-skip]
#   ./install.sh --uninstall [--dry-run] [--root DIR]
#
# What it does, in this order:
#   1. builds the project if a binary is missing (make), unless --no-build;
#   2. checks every engine configuration it will edit, and computes the new
#      contents, BEFORE changing anything: an invalid /etc/docker/daemon.json
#      or containerd config.toml stops the install with nothing changed;
#   3. installs
#        /usr/local/bin/confine, /usr/local/bin/confine-runtime   (0755)
#        /usr/local/libexec/confine/confine-hook                  (0755)
#        /usr/local/libexec/confine/confine-authz                 (0755)
#        /etc/confine/policy.json           (0644, never overwritten)
#        /etc/confine/profiles/...          (the profiles/ directory)
#        /etc/apparmor.d/<profile>          (so the profiles load at boot)
#        /var/log/confine/                  (0750, for the decision log)
#        /etc/logrotate.d/confine           (rotates the decision log)
#        /usr/local/share/man/man{1,5,8}/   (the manuals, from build/man)
#        /etc/systemd/system/confine-authz.{socket,service} and
#        /etc/systemd/system/docker.service.d/confine-authz.conf
#                                           (with Docker: its socket-activated
#                                           authorization plugin, before dockerd)
#        /etc/systemd/system/confine-warm.service and
#        /etc/systemd/system/multi-user.target.d/confine-warm.conf
#                                           (the verdict cache warmed at every
#                                           boot, before the engines start)
#   4. loads the AppArmor profiles with apparmor_parser -r -W, when AppArmor
#      is enabled and the target is the running system (no --root);
#   5. registers the gate with each engine it finds:
#        Docker      /etc/docker/daemon.json: runtimes.confine.path,
#                    default-runtime and confine-authz in
#                    authorization-plugins, merged with jq, every other key
#                    kept;
#        containerd  /etc/containerd/config.toml: BinaryName of the CRI runc
#                    runtime (Kubernetes). If the file does not exist it is
#                    created (minimal) only when containerd is installed:
#                    without containerd there is nothing to configure, and
#                    a config.toml would only surprise a later install;
#                    and a systemd drop-in, containerd.service.d/confine-tmp.conf,
#                    giving containerd (and so its runc shims) a root-only
#                    XDG_RUNTIME_DIR, /run/containerd/tmp: there go-runc
#                    writes each exec's process file, which the gate refuses
#                    in /tmp (config/containerd-tmp.conf says why);
#        Podman, CRI-O  /usr/share/containers/oci/hooks.d/confine.json, a
#                    version 1.0.0 hook for createRuntime and prestart, always.
#                    That directory is read by Podman and is CRI-O's default
#                    hooks_dir (/etc/containers/oci/hooks.d is Podman's only).
#      and stands in for every runc-compatible runtime binary: runc and crun
#      in /usr and /usr/local, each binary a runc-type containerd
#      handler names in config.toml or conf.d/*.toml, and each binary a
#      runtime in daemon.json's `runtimes` names (any Docker API user picks
#      one with docker run --runtime NAME; one it cannot gate, runsc or a
#      runtimeType other than runc's shim, is named in a WARNING), is moved aside to
#      <path>.real with dpkg-divert --local (hard link, divert, rename: no
#      moment without a runtime there) and a copy of confine-runtime is
#      put at <path>, which execs <path>.real once the gate allows.
#      Each file edited is backed up first, under /var/lib/confine/backup;
#      so is any file of someone else's at a path of step 3 (an operator's
#      own /etc/apparmor.d/docker-nginx). The sha256 of every file written
#      is kept under /var/lib/confine/written;
#   6. says which services to restart.
#
# It is idempotent: a second run changes nothing (not even a timestamp).
# --dry-run prints every change (with diffs) and makes none: the same
# changes, and the same count, as the real run.
# --uninstall first gives every runtime binary back (renamed over its
# stand-in, then the diversion removed), restores the backed-up engine
# files (or, if they were edited since, removes only confine's entries), removes each installed file or
# restores the one it replaced, and keeps what was edited since install
# (by checksum): /etc/confine/policy.json, any installed file, and
# /var/log/confine.
# --root DIR does everything under DIR (for tests and image builds); the
# paths written into configuration files stay the target system's paths,
# and nothing is loaded into the running kernel. A path that leaves DIR
# through a symlink is refused before anything changes; --root "" is
# refused (--root / is the running system).
# A daemon.json with numbers jq would print differently (jq 1.6 turns
# 1.0 into 1 and rounds integers beyond 2^53) is refused, not rewritten.

set -euo pipefail
umask 022

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR=$SRC/build
R=
ROOT_GIVEN=0
DRY=0
UNINSTALL=0
BUILD=1
AA_SKIP=0

# Paths on the target system.
BIN_DIR=/usr/local/bin
LIBEXEC_DIR=/usr/local/libexec/confine
RUNTIME_PATH=$BIN_DIR/confine-runtime
HOOK_PATH=$LIBEXEC_DIR/confine-hook
# The Docker authorization plugin (README, "The authorization plugin"):
# dockerd finds it by name at /run/docker/plugins/NAME.sock, which the
# socket unit listens on; the drop-in starts that socket before dockerd.
AUTHZ_NAME=confine-authz
AUTHZ_PATH=$LIBEXEC_DIR/confine-authz
SYSTEMD_DIR=/etc/systemd/system
AUTHZ_UNITS=("confine-authz.socket $SYSTEMD_DIR/confine-authz.socket"
             "confine-authz.service $SYSTEMD_DIR/confine-authz.service"
             "docker-confine-authz.conf $SYSTEMD_DIR/docker.service.d/confine-authz.conf")
# The seccomp verdict cache is on a tmpfs: warmed again at every boot by
# a unit that multi-user.target wants through a drop-in.
WARM_UNITS=("confine-warm.service $SYSTEMD_DIR/confine-warm.service"
            "multi-user-confine-warm.conf $SYSTEMD_DIR/multi-user.target.d/confine-warm.conf")
ETC_DIR=/etc/confine
POLICY=$ETC_DIR/policy.json
PROFILES_DIR=$ETC_DIR/profiles
WARM_DIR=$ETC_DIR/warm
APPARMOR_D=/etc/apparmor.d
LOG_DIR=/var/log/confine
LOGROTATE_FILE=/etc/logrotate.d/confine
MAN_DIR=/usr/local/share/man
STATE_DIR=/var/lib/confine
MANIFEST=$STATE_DIR/install.manifest
DAEMON_JSON=/etc/docker/daemon.json
CONTAINERD_TOML=/etc/containerd/config.toml
CONTAINERD_DROPIN=/etc/systemd/system/containerd.service.d/confine-tmp.conf
HOOKS_FILE=/usr/share/containers/oci/hooks.d/confine.json
# The runtime binaries an engine can reach by name or path. Each one that
# exists is moved aside to <path>.real with dpkg-divert and a copy of
# confine-runtime takes its place (a "stand-in"), which execs the binary
# it displaced once the gate allows: Debian's runc is /usr/sbin/runc,
# docker-ce's is /usr/bin/runc, crun is /usr/bin/crun, and /usr/local
# holds hand-installed ones.
RUNTIME_BINS=(/usr/sbin/runc /usr/bin/runc /usr/local/sbin/runc /usr/local/bin/runc
              /usr/bin/crun /usr/local/bin/crun)
REAL_SUFFIX=.real
# A marker on every line this script adds to config.toml, so --uninstall
# can find them even after the file was edited.
TOML_MARK='# added by confine install.sh'

say () { printf 'confine-install: %s\n' "$*"; }
die () { printf 'confine-install: error: %s\n' "$*" >&2; exit 1; }
dry () { [ "$DRY" = 1 ]; }

usage () {
  sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<EOF

  --dry-run        show every change, make none
  --uninstall      restore the engines' files and remove what was installed
  --root DIR       work under DIR instead of / (tests, image builds)
  --no-build       install the binaries already in the build directory
  --build-dir DIR  where the binaries are (default $SRC/build)
  --apparmor-skip  install the policy with apparmor.when_unavailable "skip", for
                   a host without AppArmor (seccomp and the other rules still judge)
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --dry-run) DRY=1 ;;
    --uninstall) UNINSTALL=1 ;;
    --no-build) BUILD=0 ;;
    --apparmor-skip) AA_SKIP=1 ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; R=$2; ROOT_GIVEN=1; shift ;;
    --root=*) R=${1#--root=}; ROOT_GIVEN=1 ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; BUILD_DIR=$2; shift ;;
    --build-dir=*) BUILD_DIR=${1#--build-dir=} ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done

# An empty --root (an unset variable in a build script) would otherwise
# mean the running system: refuse it, and say how to ask for that.
if [ "$ROOT_GIVEN" = 1 ] && [ -z "$R" ]; then
  die "--root needs a directory, not an empty string (use --root / for the running system)"
fi
if [ -n "$R" ]; then
  [ -d "$R" ] || die "--root $R is not a directory"
  R=$(cd "$R" && pwd -P)
  [ "$R" = / ] && R=
fi
if [ "$(id -u)" != 0 ] && [ -z "$R" ] && ! dry; then
  die "run as root (or use --dry-run, or --root DIR)"
fi

# Everything that changes goes through these, so --dry-run is complete.
CHANGES=0
RESTART=()
CREATED=()   # manifest lines added by this run
TMP=$(mktemp -d "${TMPDIR:-/tmp}/confine-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

restart () {
  local r
  for r in "${RESTART[@]+"${RESTART[@]}"}"; do [ "$r" = "$1" ] && return 0; done
  RESTART+=("$1")
}

# --root DIR must keep every change under DIR. A symlink in the root that
# leads out of it (R/etc/docker -> /etc/docker, absolute links in an
# image resolved against this host) would make an edit land on the host:
# every target path is resolved, and refused unless it stays inside R.
# Resolved with realpath -m, so missing components are fine; R itself was
# resolved above.
outside_root () {
  local p
  [ -n "$R" ] || return 1
  p=$(realpath -m -- "$R$1") || return 0
  case $p in "$R" | "$R"/*) return 1 ;; esac
  return 0
}
# check_targets PATH...: before anything is changed, all of them at once.
check_targets () {
  local t bad=()
  for t in "$@"; do
    outside_root "$t" && bad+=("$R$t (resolves to $(realpath -m -- "$R$t"))")
  done
  [ ${#bad[@]} = 0 ] && return 0
  printf 'confine-install: error: --root %s: a symlink leads out of the root:\n' "$R" >&2
  printf '  %s\n' "${bad[@]}" >&2
  die "refusing to change anything outside $R; nothing was changed"
}
# Each write checks again, in case the tree changed since (defence in
# depth: check_targets ran first, so this only fires on a race).
guard () { outside_root "$1" && die "$R$1 leads out of --root $R; stopped"; return 0; }

# ensure_dir DIR: create DIR (target path) and record every directory this
# created, so --uninstall removes them again (only if empty).
ensure_dir () {
  local d=$1 missing=()
  while [ ! -d "$R$d" ] && [ "$d" != / ]; do
    missing=("$d" "${missing[@]+"${missing[@]}"}")
    d=$(dirname "$d")
  done
  for d in "${missing[@]+"${missing[@]}"}"; do
    guard "$d"
    if dry; then say "would create directory $R$d"; else mkdir "$R$d"; fi
    CREATED+=("dir $d")
  done
}

# write_file CONTENT_FILE DEST MODE: put the bytes of CONTENT_FILE at DEST
# (target path) unless it already holds them with that mode. The new file
# is written beside the old one and renamed over it: a container starting
# meanwhile execs either the old binary or the new one, never half of one.
LAST_CHANGED=0
write_file () {
  local src=$1 dst=$2 mode=$3 tmp
  LAST_CHANGED=0
  if [ -f "$R$dst" ] && [ ! -L "$R$dst" ] && cmp -s "$src" "$R$dst" &&
     [ "$(stat -c %a "$R$dst")" = "${mode#0}" ]; then
    return 0
  fi
  LAST_CHANGED=1
  CHANGES=$((CHANGES + 1))
  if dry; then
    if [ -f "$R$dst" ]; then say "would replace $R$dst (mode $mode)"; else say "would install $R$dst (mode $mode)"; fi
    return 0
  fi
  guard "$dst"
  ensure_dir "$(dirname "$dst")"
  tmp=$(mktemp "$R$dst.confine-tmp.XXXXXX")
  cat "$src" >"$tmp"
  chmod "$mode" "$tmp"
  [ "$(id -u)" != 0 ] || chown 0:0 "$tmp"
  mv -f "$tmp" "$R$dst"
  say "installed $R$dst"
}

manifest_has () { [ -f "$R$MANIFEST" ] && grep -qxF "$1" "$R$MANIFEST"; }

# --- engines found on the target --------------------------------------------

has_bin () {
  local d
  for d in /usr/bin /usr/sbin /usr/local/bin /usr/local/sbin /bin /sbin; do
    [ -x "$R$d/$1" ] && return 0
  done
  return 1
}
docker_found () { [ -d "$R/etc/docker" ] || has_bin dockerd; }
containerd_found () { [ -d "$R/etc/containerd" ] || has_bin containerd; }
hooks_found () {
  [ -d "$R/etc/containers" ] || [ -d "$R/usr/share/containers" ] || has_bin podman || has_bin crio
}
aa_loaded () {
  grep -q "^$1 (" /sys/kernel/security/apparmor/profiles 2>/dev/null
}
apparmor_enabled () {
  [ -z "$R" ] && [ -r /sys/kernel/security/apparmor/profiles ] &&
    [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]
}

need_jq () {
  command -v jq >/dev/null && return 0
  if dry; then die "jq is needed to read $DAEMON_JSON, even for --dry-run: apt-get install jq"; fi
  say "installing jq (needed to edit $DAEMON_JSON)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q jq >/dev/null ||
    die "could not install jq; install it and run again"
}

# Docker reads daemon.json with Go's encoding/json: exactly one JSON object.
# An empty file is taken as {} (there is nothing in it to keep).
daemon_json_valid () {
  local f=$1
  [ -s "$f" ] || return 0
  jq -e -s 'length == 1 and (.[0] | type == "object")' "$f" >/dev/null 2>&1
}

# The new daemon.json: ours merged in, every other key kept. A runtime
# entry named confine keeps its other fields (runtimeArgs); the plugin is
# added after any authorization plugin already listed (dockerd asks each,
# and refuses when any refuses).
docker_merge () {
  local f=$1
  { [ -s "$f" ] && cat "$f" || echo '{}'; } |
    jq --arg path "$RUNTIME_PATH" --arg authz "$AUTHZ_NAME" '
      .runtimes = ((.runtimes // {}) | .confine = ((.confine // {}) + {path: $path}))
      | ."default-runtime" = "confine"
      | ."authorization-plugins" = ((."authorization-plugins" // [])
                                    | if index([$authz]) then . else . + [$authz] end)'
}

# jq 1.6 reads every number as a double and prints it its own way:
# 9007199254740993 comes back as 9007199254740992, 1.0 as 1, 1e3 as 1000.
# Changing an operator's values behind their back is worse than not
# editing the file, so the numbers are checked first. Prints each number
# in the raw text of FILE that jq would not print back exactly as written
# (nothing when all survive). Outside strings, only numbers hold digits
# in JSON; the string alternative makes grep step over strings whole.
json_rewritten_numbers () {
  local f=$1 nums
  nums=$(LC_ALL=C grep -oE '"([^"\\]|\\.)*"|-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?' "$f" |
         grep -v '^"') || return 0
  paste -d' ' <(printf '%s\n' "$nums") \
              <(printf '[%s]\n' "$(paste -sd, - <<<"$nums")" | jq -c '.[]') |
    awk '($1 "") != ($2 "") && !seen[$1]++ && n++ < 5 { print $1 }' | paste -sd' ' -
}

docker_registered () {
  local f=$1
  [ -s "$f" ] && jq -e --arg path "$RUNTIME_PATH" --arg authz "$AUTHZ_NAME" \
    '.runtimes.confine.path == $path and ."default-runtime" == "confine"
     and ((."authorization-plugins" // []) | index([$authz]) != null)' "$f" >/dev/null 2>&1
}

# Does the containerd here know FILE's CRI plugin, so that its config dump
# shows the runc options? containerd 1.x keeps a version 3 file's
# io.containerd.cri.v1.runtime table out of its dump (it has no such
# plugin); the file is still checked to parse.
containerd_reads_cri () {
  local major
  command -v containerd >/dev/null || return 1
  [ "$(sed -n 's/^[[:space:]]*version[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$1" | head -n1)" = 3 ] || return 0
  major=$(containerd --version | sed -n 's/.* v\{0,1\}\([0-9]*\)\.[0-9].*/\1/p' | head -n1)
  [ "${major:-0}" -ge 2 ]
}

# containerd's config version decides the CRI plugin's table name.
toml_prefix () {
  local f=$1 v
  v=$(sed -n 's/^[[:space:]]*version[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$f" 2>/dev/null | head -n1)
  if [ ! -s "$f" ]; then v=2; fi
  case ${v:-1} in
    1) echo 'plugins.cri.containerd.runtimes.runc' ;;
    3) echo 'plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc' ;;
    *) echo 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc' ;;
  esac
}

# The table headers of a TOML file, without spaces or comments, and with
# single quotes as double ones: containerd 2.x writes 'io.containerd...'
# where 1.x wrote "io.containerd...", and both name the same table.
toml_tables () {
  sed -n "s/#.*//; s/[[:space:]]//g; s/'/\"/g; /^\[/p" "$1"
}

# Every runtime handler of containerd's CRI plugin in FILE, one line each:
# NAME TYPE BINARY (- when unset), for config versions 1, 2 and 3.
containerd_handlers () {
  awk '
    function norm(s) { sub(/#.*/, "", s); gsub(/[ \t]/, "", s); gsub(/\047/, "\"", s); return s }
    function val(s) { sub(/^[^=]*=[ \t]*/, "", s); sub(/[ \t]*(#.*)?$/, "", s); gsub(/^["\047]|["\047]$/, "", s); return s }
    function flush() { if (name != "") print name, (type == "" ? "-" : type), (bin == "" ? "-" : bin) }
    /^[ \t]*\[/ {
      h = norm($0)
      if (match(h, /^\[plugins\.("io\.containerd\.grpc\.v1\.cri"|"io\.containerd\.cri\.v1\.runtime"|cri)\.containerd\.runtimes\.[^.\]]+(\.options)?\]$/)) {
        n = h; sub(/\.options\]$/, "]", n); sub(/\]$/, "", n); sub(/.*\.runtimes\./, "", n)
        gsub(/"/, "", n)
        if (n != name) { flush(); name = n; type = ""; bin = "" }
        opts = (h ~ /\.options\]$/)
        in_h = 1
      } else {
        in_h = 0
      }
      next
    }
    in_h && !opts && /^[ \t]*runtime_type[ \t]*=/ { type = val($0) }
    in_h && opts && /^[ \t]*BinaryName[ \t]*=/ { bin = val($0) }
    END { flush() }' "$1"
}

# The `path` of containerd's `opt` plugin in FILE, if set (version 1's
# plugins.opt, 2's and 3's "io.containerd.internal.v1.opt"). containerd
# puts <path>/bin first on every shim's PATH and <path>/lib on its
# LD_LIBRARY_PATH.
containerd_opt_path () {
  awk '
    function norm(s) { sub(/#.*/, "", s); gsub(/[ \t]/, "", s); gsub(/\047/, "\"", s); return s }
    function val(s) { sub(/^[^=]*=[ \t]*/, "", s); sub(/[ \t]*(#.*)?$/, "", s); gsub(/^["\047]|["\047]$/, "", s); return s }
    /^[ \t]*\[/ { h = norm($0); in_t = (h == "[plugins.opt]" || h == "[plugins.\"io.containerd.internal.v1.opt\"]"); next }
    in_t && /^[ \t]*path[ \t]*=/ { p = val($0) }
    END { if (p != "") print p }' "$1"
}

# Every opt directory containerd may use: the default, and each one a
# config file names.
OPT_DEFAULT=/opt/containerd
containerd_opt_dirs () {
  local f
  echo "$OPT_DEFAULT"
  while read -r f; do containerd_opt_path "$f"; done < <(containerd_files)
}

# A moved opt directory is no entry of the shipped sensitive lists. The
# shim derives it from the PATH it runs the runtime with; the hook (Podman,
# CRI-O) cannot, so a Podman container could plant a runc there for
# containerd's shims: say how to list it (README: Host paths).
containerd_opt_notice () {
  local pol=$SRC/config/policy.json d
  [ -f "$R$POLICY" ] && pol=$R$POLICY
  while read -r d; do
    [ "$d" = "$OPT_DEFAULT" ] && continue
    if command -v jq >/dev/null \
       && jq -e --arg d "$d" '.mounts.sensitive_subtrees // [] | index($d)' "$pol" >/dev/null 2>&1; then
      continue
    fi
    say "WARNING: containerd's opt directory is $d (its runc shims search $d/bin and $d/lib first): the shim refuses writable binds of it, the hook (Podman, CRI-O) does not know it. List it in the policy:"
    say "  jq --arg d $d '.mounts.sensitive_subtrees += [\$d]' $R$POLICY > $R$POLICY.new && mv $R$POLICY.new $R$POLICY"
  done < <(containerd_opt_dirs | awk '!seen[$0]++')
}

# Is a handler of TYPE one that runs a runc-compatible binary?
runc_type () { case $1 in io.containerd.runc.v1 | io.containerd.runc.v2 | io.containerd.runtime.v1.linux) return 0 ;; esac; return 1; }

# containerd's main config and the drop-ins 2.2+ imports from conf.d.
CONTAINERD_DROPINS=/etc/containerd/conf.d
containerd_files () {
  local f
  [ -f "$R$CONTAINERD_TOML" ] && echo "$R$CONTAINERD_TOML"
  for f in "$R$CONTAINERD_DROPINS"/*.toml; do [ -f "$f" ] && echo "$f"; done
  return 0
}

# The new config.toml on stdout. Not a TOML parser: it edits the runc
# runtime's options table when the file has one in the plain `[table]`
# form containerd itself writes, appends the tables otherwise, and
# refuses any other spelling (dotted keys, inline tables) rather than
# risk a duplicate table that would stop containerd from starting.
containerd_merge () {
  local f=$1 prefix hdr_runc hdr_opts
  prefix=$(toml_prefix "$f")
  hdr_runc="[$prefix]"
  hdr_opts="[$prefix.options]"
  if [ -f "$f" ] && toml_tables "$f" | grep -qxF "$(tr -d ' \t' <<<"$hdr_opts")"; then
    containerd_edit_table "$(tr -d ' \t' <<<"$hdr_opts")" <"$f"
    return
  fi
  # Any other spelling of the runc options (dotted keys, an inline table)
  # would clash with the table we append. containerd's own read-back
  # below is the final check.
  if [ -f "$f" ] && grep -v '^[[:space:]]*#' "$f" | grep -qE 'runc\.options|runc[[:space:]]*=[[:space:]]*\{'; then
    return 3
  fi
  if [ -s "$f" ]; then cat "$f"; printf '\n'; else printf 'version = 2\n\n'; fi
  if ! { [ -f "$f" ] && toml_tables "$f" | grep -qxF "$(tr -d ' \t' <<<"$hdr_runc")"; }; then
    # Without runtime_type a new runc table would have an empty type.
    printf '%s %s\n  runtime_type = "io.containerd.runc.v2" %s\n' "$hdr_runc" "$TOML_MARK" "$TOML_MARK"
  fi
  printf '%s %s\n  BinaryName = "%s" %s\n' "$hdr_opts" "$TOML_MARK" "$RUNTIME_PATH" "$TOML_MARK"
}

# Set BinaryName inside an existing options table (stdin to stdout).
containerd_edit_table () {
  awk -v hdr="$1" -v bin="$RUNTIME_PATH" -v mark="$TOML_MARK" '
    function key(s) { gsub(/[ \t]/, "", s); sub(/#.*/, "", s); gsub(/\047/, "\"", s); return s }
    {
      s = $0; sub(/^[ \t]+/, "", s)
      if (s ~ /^\[/) {
        if (in_t && !done) { print "  BinaryName = \"" bin "\" " mark; done = 1 }
        in_t = (key(s) == hdr)
      } else if (in_t && s ~ /^BinaryName[ \t]*=/) {
        if (!done) {
          # Keep the old value as a comment, for people and for --uninstall.
          print "  # confine-original: " s
          print "  BinaryName = \"" bin "\" " mark
        }
        done = 1
        next
      }
      print
    }
    END { if (in_t && !done) print "  BinaryName = \"" bin "\" " mark }'
}

containerd_registered () {
  local f=$1
  [ -f "$f" ] && containerd_check "$f" && grep -qF "BinaryName = \"$RUNTIME_PATH\"" "$f"
}

# Let containerd itself read the file, when it is here to ask.
containerd_check () {
  local f=$1 bin
  bin=$(command -v containerd 2>/dev/null) || return 0
  "$bin" --config "$f" config dump >"$TMP/containerd-dump" 2>"$TMP/containerd-err"
}

# Both stages are required (createRuntime, from runtime-spec 1.0.2, and
# prestart, which it deprecates). Caution: Podman releases before 4.x
# only knew the prestart, poststart and poststop stages, and may drop a
# hooks.d file that names createRuntime, so on such a host the hook may
# not run at all: try a test container there (e.g. a --privileged one
# must be refused).
hooks_json () {
  jq -n --arg path "$HOOK_PATH" --arg policy "$POLICY" '{
    version: "1.0.0",
    hook: { path: $path, args: ["confine-hook", "--policy", $policy], timeout: 30 },
    when: { always: true },
    stages: ["createRuntime", "prestart"]
  }'
}

backup_of () { echo "$STATE_DIR/backup$1"; }
written_of () { echo "$STATE_DIR/written$1.sha256"; }
sha () { sha256sum "$1" | cut -d' ' -f1; }

# Does DEST (target path) hold exactly what this script last wrote there?
is_written () {
  local dst=$1 w
  w=$(written_of "$dst")
  [ -f "$R$w" ] && [ -f "$R$dst" ] && [ ! -L "$R$dst" ] && [ "$(sha "$R$dst")" = "$(cat "$R$w")" ]
}

# Back up DEST (target path) before a change, unless the current content
# is what this script wrote last: then the backup already holds the last
# content somebody else wrote, which is what --uninstall must give back.
backup () {
  local dst=$1 b
  b=$(backup_of "$dst")
  is_written "$dst" && return 0
  if dry; then say "would back up $R$dst to $R$b"; return 0; fi
  guard "$b"
  ensure_dir "$(dirname "$b")"
  rm -f "$R$b" "$R$b.absent"
  if [ -e "$R$dst" ] || [ -L "$R$dst" ]; then cp -a "$R$dst" "$R$b"; say "backed up $R$dst to $R$b"
  else : >"$R$b.absent"; fi
}

record_written () {
  local dst=$1 w
  dry && return 0
  w=$(written_of "$dst")
  guard "$w"
  ensure_dir "$(dirname "$w")"
  # Unchanged records stay untouched: a second run changes nothing.
  sha "$R$dst" >"$TMP/written"
  cmp -s "$TMP/written" "$R$w" || cat "$TMP/written" >"$R$w"
}

# install_file SRC DEST MODE: write_file, keeping what was there. A file
# already at DEST that this script did not write (an operator's own
# /etc/apparmor.d/docker-nginx, another program's /usr/local/bin/confine)
# is backed up first; the checksum of what was written is recorded. With
# both, --uninstall gives the old file back, and removes or restores DEST
# only while it still holds exactly what was written.
install_file () {
  local src=$1 dst=$2 mode=$3
  LAST_CHANGED=0
  if [ -f "$R$dst" ] && [ ! -L "$R$dst" ] && cmp -s "$src" "$R$dst" &&
     [ "$(stat -c %a "$R$dst")" = "${mode#0}" ]; then
    # Up to date. An install.sh before checksums were kept recorded none:
    # record it now (same content, so nothing of anyone else's is lost).
    [ -f "$R$(written_of "$dst")" ] || record_written "$dst"
    return 0
  fi
  # A file an install.sh that kept no checksums put there is ours, not an
  # operator's (whose file, if any, that install already replaced).
  local legacy=0
  if [ ! -f "$R$(written_of "$dst")" ] && manifest_has "file $dst"; then legacy=1; fi
  if [ "$legacy" = 0 ] && { [ -e "$R$dst" ] || [ -L "$R$dst" ]; }; then
    backup "$dst"
  fi
  write_file "$src" "$dst" "$mode"
  record_written "$dst"
}

# Every target path a file at DEST brings: itself, its backup and its
# checksum record (all checked by check_targets).
# register_engine NAME FILE NEW REGISTERED-FN WHAT DONE RESTART: put NEW
# (the merged configuration) in place of FILE unless REGISTERED-FN says the
# engine already runs confine; back up the original and record what we
# wrote, so uninstall can restore it.
register_engine () {
  local name=$1 f=$2 new=$3 registered=$4 what=$5 done=$6 again=$7
  if "$registered" "$R$f"; then
    say "$name: already registered in $R$f"
    return 0
  fi
  if dry; then
    # The real run counts this change in write_file.
    CHANGES=$((CHANGES + 1))
    say "would register $what in $R$f:"
    show_diff "$( [ -e "$R$f" ] && echo "$R$f" || echo /dev/null)" "$new" "$f"
  else
    ensure_dir "$(dirname "$f")"
    backup "$f"
    write_file "$new" "$f" "$( [ -e "$R$f" ] && stat -c %a "$R$f" || echo 644)"
    record_written "$f"
    say "$name: $done in $R$f"
  fi
  restart "$again"
}

with_state () { local p; for p in "$@"; do echo "$p"; backup_of "$p"; written_of "$p"; done; }

show_diff () {
  local old=$1 new=$2
  diff -u --label "$3 (now)" --label "$3 (after install)" "$old" "$new" | sed 's/^/    /' || true
}

# --- the seccomp verdict cache ---------------------------------------------------
# The first container with a seccomp profile the host has not judged yet
# pays for libseccomp building its filter (about 11 ms, issue 12); the
# verdict is then kept in the policy's cache_dir. So the installer judges,
# with `confine warm` (`confine check --inject` on each), the containers
# in $WARM_DIR (config/warm/): a default `docker run` as Docker 20.10
# writes it, one with no filter, which gets the shipped profile injected,
# and a default `podman run` (its profile repaired as the shim repairs
# it) where Podman or containers-common is installed. Not a change (a
# second run finds every verdict cached and writes nothing), and never an
# install failure: a cold cache only costs time. The cache is in /run:
# confine-warm.service warms it again at every boot (all of $WARM_DIR),
# and `confine warm` does after a change to the policy's seccomp section.
warm_cache () {
  local policy=$R$POLICY cache s n=0 specs=()
  for s in "$SRC"/config/warm/*.json; do
    case ${s##*/} in
      docker.json) docker_found || continue ;;
      podman.json) [ -f "$R/usr/share/containers/seccomp.json" ] || has_bin podman || continue ;;
    esac
    specs+=("$WARM_DIR/${s##*/}")
  done
  if dry; then
    say "would warm the seccomp verdict cache: confine check --inject on ${specs[*]}"
    return 0
  fi
  if ! command -v jq >/dev/null; then
    say "not warming the seccomp verdict cache: jq is not installed (apt-get install jq)"
    return 0
  fi
  cache=$(jq -r '.cache_dir // "/run/confine"' "$policy" 2>/dev/null) || cache=
  if [ -z "$cache" ]; then
    say "not warming the seccomp verdict cache: cannot read cache_dir from $policy"
    return 0
  fi
  if [ -n "$R" ]; then
    # The policy names the target's paths: judge with the target's
    # profile, into the target's cache.
    jq --arg r "$R" '.cache_dir = $r + (.cache_dir // "/run/confine")
      | if .seccomp.default_profile then .seccomp.default_profile = $r + .seccomp.default_profile
        else . end' "$policy" >"$TMP/warm-policy.json"
    policy=$TMP/warm-policy.json
  fi
  if [ ! -d "$R$cache" ]; then
    # Made here, not by confine (which makes only the last component),
    # and private, as confine wants it.
    CREATED+=("cache $cache")
    ensure_dir "$cache"
    chmod 0700 "$R$cache"
  fi
  # One line on stdout per config judged (allowed or refused: either way
  # its seccomp verdict is cached), one on stderr per config that was not.
  "$R$BIN_DIR/confine" warm --policy "$policy" "${specs[@]/#/$R}" >"$TMP/warm.out" 2>"$TMP/warm.err" || true
  n=$(wc -l <"$TMP/warm.out")
  while IFS= read -r s; do
    s=${s#confine: }
    case $s in
      warning:*) say "$s" ;;
      *) say "warning: could not warm the verdict cache: $s" ;;
    esac
  done <"$TMP/warm.err"
  say "warmed the seccomp verdict cache $R$cache: $n container spec(s) judged"
}

# --- stand-ins: the shim in place of each runtime binary ----------------------

# dpkg-divert on the target: its database is R/var/lib/dpkg.
divert () { dpkg-divert ${R:+--root "$R"} "$@"; }
can_divert () { command -v dpkg-divert >/dev/null && [ -d "$R/var/lib/dpkg" ]; }

is_standin () { [ -f "$R$1" ] && [ ! -L "$R$1" ] && cmp -s "$BUILD_DIR/confine-runtime" "$R$1"; }

# OCI runtimes that take runc's command line but are no runc-compatible
# container runtime the gate can judge: gVisor's sandbox kernel, Kata's
# VM, libkrun's VM, FreeBSD jails. A daemon.json entry naming one is
# said to be outside the gate, not stood in for (src/status.c lists the
# same names as other_runtimes).
OTHER_RUNTIMES=(runsc kata-runtime krun runj)

# The directories a bare runtime name is found in: containerd's runc
# shim, which dockerd hands the name as BinaryName, looks it up on its
# PATH, containerd's opt bin first (containerd puts it there), then the
# PATH a service gets (systemd's default, the one src/standin.c uses).
SERVICE_PATH=(/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin)

# PATH with its final symlinks followed inside the root (an absolute
# target is the target system's path): the file a stand-in must replace.
# A link plan_standins would skip, as one that leads to a gated file.
follow_links () {
  local p=$1 t n=0
  while [ -L "$R$p" ] && [ $n -lt 40 ]; do
    t=$(readlink "$R$p")
    case $t in /*) p=$t ;; *) p=${p%/*}/$t ;; esac
    n=$((n + 1))
  done
  realpath -m -s -- "$p"
}

# Every runtime Docker's daemon.json names, one line each, tab-separated:
# `gate NAME PATH` for a runc-compatible binary to stand in for, `skip
# NAME REASON` for one the gate cannot judge. Any Docker API user picks
# any of them by name (docker run --runtime NAME): a default-runtime is a
# default, not a gate. A `path` entry is run through containerd's runc
# shim with runc's command line (dockerd offers no other kind of `path`
# runtime), so it is stood in for unless it is one of OTHER_RUNTIMES; a
# runtimeType entry is gated through runc's shim only (its
# options.BinaryName, or runc from PATH, stood in for anyway).
docker_runtimes () {
  local f=$R$DAEMON_JSON name type bin found d o t
  [ -s "$f" ] && command -v jq >/dev/null || return 0
  while IFS=$'\t' read -r name type bin; do
    if [ "$type" != - ] && ! runc_type "$type"; then
      printf 'skip\t%s\t%s\n' "$name" "runtimeType $type is not runc's shim"; continue
    fi
    [ "$bin" = - ] && continue
    for o in "${OTHER_RUNTIMES[@]}"; do
      if [ "${bin##*/}" = "$o" ]; then bin=; break; fi
    done
    if [ -z "$bin" ]; then
      printf 'skip\t%s\t%s\n' "$name" "$o is not runc-compatible"; continue
    fi
    if [ "${bin#/}" != "$bin" ]; then
      [ "$bin" = "$RUNTIME_PATH" ] && continue
      t=$(follow_links "$bin")
      if [ -e "$R$t" ]; then printf 'gate\t%s\t%s\n' "$name" "$t"
      else printf 'skip\t%s\t%s\n' "$name" "$bin does not exist"; fi
      continue
    fi
    found=0
    case $bin in */*) ;; *)
      while read -r d; do
        t=$(follow_links "$d/$bin")
        [ -e "$R$t" ] || continue
        printf 'gate\t%s\t%s\n' "$name" "$t"; found=1
      done < <(containerd_opt_dirs | sed 's|$|/bin|'; printf '%s\n' "${SERVICE_PATH[@]}") ;;
    esac
    [ "$found" = 1 ] || printf 'skip\t%s\t%s\n' "$name" "$bin is found in none of $(IFS=:; echo "${SERVICE_PATH[*]}") or containerd's opt bin"
  done < <(jq -r '.runtimes // {} | objects | to_entries[] | select(.value | type == "object")
                  | [.key, (.value.runtimeType // "-"),
                     (.value.path // .value.options.BinaryName // "-")] | map(tostring) | @tsv' "$f" 2>/dev/null)
}

# Every runtime binary to stand in for: the usual paths, each binary a
# runc-type containerd handler names by path, in config.toml or a conf.d
# drop-in (a RuntimeClass handler with its own runc or crun), and each
# runc-compatible runtime Docker's daemon.json names. A drop-in whose
# version is above the main file's is ignored by containerd, but gating
# its binary too costs nothing.
runtime_bins () {
  local f name type bin d
  printf '%s\n' "${RUNTIME_BINS[@]}"
  # `ctr install` puts runc in containerd's opt directory, first on its
  # shims' PATH.
  while read -r d; do printf '%s/bin/runc\n%s/bin/crun\n' "$d" "$d"; done < <(containerd_opt_dirs)
  while read -r f; do
    while read -r name type bin; do
      if { runc_type "$type" || [ "$type" = - ]; } && [ "${bin#/}" != "$bin" ] && [ "$bin" != "$RUNTIME_PATH" ]; then
        echo "$bin"
      fi
    done < <(containerd_handlers "$f")
  done < <(containerd_files)
  docker_runtimes | awk -F '\t' '$1 == "gate" { print $3 }'
}

# Say which containerd handlers and Docker runtimes run something this
# gate cannot judge.
report_ungated_handlers () {
  local f name type bin kind reason
  while IFS=$'\t' read -r kind name reason; do
    [ "$kind" = skip ] || continue
    say "WARNING: Docker: runtime $name in $R$DAEMON_JSON is NOT gated ($reason): any Docker API user runs unconfined containers with docker run --runtime $name. Remove it from daemon.json, or make it a runc-compatible binary and run install.sh again (README: Stand-ins)"
  done < <(docker_runtimes)
  while read -r f; do
    while read -r name type bin; do
      if [ "$type" != - ] && ! runc_type "$type"; then
        say "containerd: handler $name ($type, in $f) is not runc-compatible: the gate never sees its containers (README: what the gate cannot see)"
      fi
    done < <(containerd_handlers "$f")
  done < <(containerd_files)
}

# Plan every stand-in before anything changes: fills STANDIN_NEW (paths to
# divert now) and STANDIN_HAVE (diverted already: refresh the stand-in),
# and stops the install, with nothing changed, on any conflict.
STANDIN_NEW=()
STANDIN_HAVE=()
plan_standins () {
  local p real truename owner
  if ! can_divert; then
    say "WARNING: dpkg-divert or $R/var/lib/dpkg is missing: runc and crun are NOT gated when an engine names them (docker run --runtime runc, ctr, Podman); only the engines registered below use the gate"
    return 0
  fi
  while read -r p; do
    real=$p$REAL_SUFFIX
    truename=$(divert --truename "$p") || die "dpkg-divert --truename $p failed"
    if [ "$truename" = "$real" ]; then
      owner=$(divert --listpackage "$p")
      [ "$owner" = LOCAL ] || die "$p is diverted to $real by package $owner, not by confine; nothing was changed"
      if [ ! -e "$R$p" ] || is_standin "$p" || is_written "$p"; then
        STANDIN_HAVE+=("$p")
      else
        die "$p is diverted to $real but holds neither confine's stand-in nor the one install.sh wrote; put the runtime back by hand (dpkg-divert --remove --rename $p) and run again. Nothing was changed."
      fi
    elif [ "$truename" != "$p" ]; then
      die "$p is diverted to $truename by $(divert --listpackage "$p"); confine cannot stand in for it. Nothing was changed."
    elif [ -f "$R$p" ] && [ ! -L "$R$p" ]; then
      # A symlink (/usr/bin/runc -> /usr/sbin/runc) needs no stand-in:
      # what it leads to has one.
      if [ -e "$R$real" ] || [ -L "$R$real" ]; then
        die "$R$real exists but $p is not diverted to it; move it away and run again. Nothing was changed."
      fi
      STANDIN_NEW+=("$p")
    fi
  done < <(runtime_bins | awk '!seen[$0]++')
  report_ungated_handlers
}

# Put the stand-ins in place. For a new one the real binary gets a second
# name first (a hard link, in the same directory), dpkg-divert records
# the diversion, and the stand-in is renamed over the old name: an engine
# starting a container meanwhile runs either the real runtime or the
# stand-in, never finds nothing. Package upgrades then write the real
# runtime to <path>.real and leave the stand-in alone.
install_standins () {
  local p
  for p in "${STANDIN_NEW[@]+"${STANDIN_NEW[@]}"}"; do
    if dry; then
      say "would divert $p to $p$REAL_SUFFIX (dpkg-divert --local --divert $p$REAL_SUFFIX --add $p) and put the confine stand-in at $p"
    else
      guard "$p$REAL_SUFFIX"
      ln "$R$p" "$R$p$REAL_SUFFIX" || die "could not link $R$p to $R$p$REAL_SUFFIX"
      if ! divert --local --no-rename --divert "$p$REAL_SUFFIX" --add "$p" >/dev/null; then
        rm -f "$R$p$REAL_SUFFIX"
        die "dpkg-divert --add $p failed"
      fi
      say "diverted $p to $p$REAL_SUFFIX"
    fi
    write_file "$BUILD_DIR/confine-runtime" "$p" 0755
    record_written "$p"
    CREATED+=("standin $p")
  done
  for p in "${STANDIN_HAVE[@]+"${STANDIN_HAVE[@]}"}"; do
    write_file "$BUILD_DIR/confine-runtime" "$p" 0755
    record_written "$p"
    CREATED+=("standin $p")
  done
}

# Give the real runtime its name back: renamed over the stand-in (again
# never a moment without a runtime there), then the diversion removed.
uninstall_standin () {
  local p=$1 real=$1$REAL_SUFFIX
  if ! can_divert || [ "$(divert --truename "$p")" != "$real" ]; then
    say "$p is not diverted any more; nothing to give back"
  elif [ -e "$R$p" ] && ! is_standin "$p" && ! is_written "$p"; then
    say "kept $R$p and its diversion to $real: $p was changed since install; put it back by hand (dpkg-divert --remove --rename $p)"
  elif [ -f "$R$real" ]; then
    if dry; then say "would put $real back at $p and remove the diversion (dpkg-divert --local --remove $p)"
    else
      guard "$p"
      mv -fT "$R$real" "$R$p"
      divert --local --no-rename --remove "$p" >/dev/null || die "dpkg-divert --remove $p failed"
      say "restored $R$p (the real runtime) and removed its diversion"
    fi
  else
    # The package was removed while diverted: nothing to give back.
    if dry; then say "would remove the stand-in $R$p and its diversion ($real is gone)"
    else
      rm -f "$R$p"
      divert --local --no-rename --remove "$p" >/dev/null || die "dpkg-divert --remove $p failed"
      say "removed the stand-in $R$p and its diversion ($real was gone)"
    fi
  fi
  dry || rm -f "$R$(written_of "$p")"
}

# AppArmor as the gate will find it (src/apparmor.c): available when
# <securityfs>/apparmor/profiles is readable, securityfs from the policy
# the gate will read (the one in place, else the shipped one). That path
# is the running kernel's even for --root: the gate reads it at run time.
# Said before anything changes: the stand-ins gate the moment they are in
# place, and without AppArmor a "reject" policy refuses every container.
apparmor_notice () {
  local pol=$SRC/config/policy.json sfs mode edit
  [ -f "$R$POLICY" ] && pol=$R$POLICY
  if command -v jq >/dev/null; then
    sfs=$(jq -r '.securityfs // "/sys/kernel/security"' "$pol" 2>/dev/null) || sfs=/sys/kernel/security
    mode=$(jq -r '.apparmor.when_unavailable // "reject"' "$pol" 2>/dev/null) || mode=reject
  else
    sfs=/sys/kernel/security mode=reject
    grep -q '"when_unavailable": *"skip"' "$pol" && mode=skip
  fi
  [ -r "$sfs/apparmor/profiles" ] && return 0
  edit="jq '.apparmor.when_unavailable = \"skip\"' $R$POLICY > $R$POLICY.new && mv $R$POLICY.new $R$POLICY"
  if [ "$mode" = skip ]; then
    say "AppArmor is not available on this host: $pol skips the AppArmor rule (apparmor.when_unavailable \"skip\")"
  elif [ "$AA_SKIP" = 1 ] && [ "$pol" = "$R$POLICY" ]; then
    die "AppArmor is not available on this host and the existing $R$POLICY sets apparmor.when_unavailable \"$mode\"; --apparmor-skip never rewrites an existing policy: edit it with: $edit. Nothing was changed."
  elif [ "$AA_SKIP" = 1 ]; then
    say "AppArmor is not available on this host: the policy installed sets apparmor.when_unavailable \"skip\" (--apparmor-skip)"
  else
    say "WARNING: AppArmor is not available on this host ($sfs/apparmor/profiles cannot be read): with apparmor.when_unavailable \"$mode\" the gate refuses EVERY container, from the moment runc is replaced. To judge containers without AppArmor, run again with --apparmor-skip, or after install edit the policy:"
    say "  $edit"
    say "  (in JSON: \"apparmor\": {\"when_unavailable\": \"skip\"})"
  fi
}

# How to make an engine re-read its configuration, with and without
# systemd. dockerd reloads runtimes and default-runtime on SIGHUP;
# containerd and CRI-O's runtime table need a restart.
restart_hint () {
  local systemd=0
  [ -z "$R" ] && [ -d /run/systemd/system ] && systemd=1
  case $1 in
    docker)
      if [ "$systemd" = 1 ]; then echo "Docker:      systemctl daemon-reload && systemctl restart docker   (or: systemctl daemon-reload && systemctl start $AUTHZ_NAME.socket && systemctl reload docker; running containers keep running)"
      else echo "Docker:      start $AUTHZ_PATH first (no systemd: add it to dockerd's init script, before dockerd, which does not start without the plugin), then kill -HUP \$(cat /var/run/docker.pid)   (dockerd re-reads runtimes, default-runtime and authorization-plugins on SIGHUP)"; fi ;;
    docker-uninstall)
      if [ "$systemd" = 1 ]; then echo "Docker:      systemctl daemon-reload && systemctl restart docker && systemctl stop $AUTHZ_NAME.socket $AUTHZ_NAME.service   (or reload docker instead of restart; stop the plugin only after dockerd no longer names it)"
      else echo "Docker:      kill -HUP \$(cat /var/run/docker.pid)   (no systemd: dockerd re-reads runtimes, default-runtime and authorization-plugins on SIGHUP), then stop $AUTHZ_PATH and take it out of dockerd's init script"; fi ;;
    containerd)
      if [ "$systemd" = 1 ]; then echo "containerd:  systemctl daemon-reload && systemctl restart containerd   (running containers keep running; an exec into one started before is refused until it is restarted: its shim still writes in /tmp)"
      else echo "containerd:  no systemd: stop it (kill -TERM \$(pidof containerd)) and start it again as your init system does (service containerd restart, rc-service containerd restart); running containers keep running"; fi ;;
    crio)
      if [ "$systemd" = 1 ]; then echo "CRI-O:       systemctl restart crio   (if it runs; Podman reads hooks.d at every run)"
      else echo "CRI-O:       no systemd: restart crio as your init system does (if it runs; Podman reads hooks.d at every run)"; fi ;;
  esac
}

# ============================================================================
# install
# ============================================================================

# The manuals make builds and where each goes, "SRC DEST" per line:
# build/man/NAME.N to $MAN_DIR/manN/NAME.N.
man_pages () {
  local s n
  for s in "$SRC"/man/*.scd; do
    [ -f "$s" ] || continue
    n=$(basename "$s" .scd)
    echo "$BUILD_DIR/man/$n $MAN_DIR/man${n##*.}/$n"
  done
}

# Every path under the root that an install may change.
install_targets () {
  local p src dst
  with_state "$BIN_DIR/confine" "$BIN_DIR/confine-runtime" "$HOOK_PATH" "$AUTHZ_PATH" \
    "$DAEMON_JSON" "$CONTAINERD_TOML" "$CONTAINERD_DROPIN" "$HOOKS_FILE" "$LOGROTATE_FILE"
  for p in "${AUTHZ_UNITS[@]}" "${WARM_UNITS[@]}"; do with_state "${p#* }"; done
  while read -r src dst; do with_state "$dst"; done < <(man_pages)
  echo "$POLICY"; echo "$LOG_DIR"; echo "$STATE_DIR"; echo "$MANIFEST"
  while read -r p; do with_state "$p"; echo "$p$REAL_SUFFIX"; done < <(runtime_bins)
  while IFS= read -r -d '' p; do
    with_state "$PROFILES_DIR/${p#"$SRC/profiles/"}"
  done < <(find "$SRC/profiles" -type f ! -name '*.md' -print0)
  for p in "$SRC"/config/warm/*.json; do with_state "$WARM_DIR/${p##*/}"; done
  for p in "$SRC"/profiles/apparmor/*; do
    [ -f "$p" ] && with_state "$APPARMOR_D/$(basename "$p")"
  done
  return 0
}

do_install () {
  local f new docker=0 containerd=0 hooks=0

  # --- 0. every target stays under --root ---
  local targets=()
  mapfile -t targets < <(install_targets)
  check_targets "${targets[@]}"

  # --- 1. build ---
  local b need_build=0
  for b in confine confine-runtime confine-hook confine-authz; do [ -x "$BUILD_DIR/$b" ] || need_build=1; done
  while read -r b _; do [ -f "$b" ] || need_build=1; done < <(man_pages)
  if [ "$need_build" = 1 ]; then
    [ "$BUILD" = 1 ] || die "binaries missing in $BUILD_DIR (and --no-build given)"
    if dry; then
      say "would build: make -C $SRC"
    else
      say "building: make -C $SRC"
      make -C "$SRC" >/dev/null || die "make failed"
    fi
  fi

  apparmor_notice
  containerd_opt_notice

  # --- 2. check every engine file and compute the new contents first ---
  if docker_found; then
    docker=1
    need_jq
    f=$R$DAEMON_JSON
    if [ -e "$f" ] && ! daemon_json_valid "$f"; then
      die "$f is not a valid JSON object; fix it (or move it away) and run again. Nothing was changed."
    fi
    if ! docker_registered "$f"; then
      local rewritten=
      [ -s "$f" ] && rewritten=$(json_rewritten_numbers "$f")
      if [ -n "$rewritten" ]; then
        die "$f holds numbers that jq $(jq --version 2>/dev/null | sed 's/^jq-//') would rewrite ($rewritten): editing it would change them. Add \"runtimes\": {\"confine\": {\"path\": \"$RUNTIME_PATH\"}}, \"default-runtime\": \"confine\" and \"authorization-plugins\": [\"$AUTHZ_NAME\"] by hand, or write those numbers as jq prints them. Nothing was changed."
      fi
      docker_merge "$f" >"$TMP/daemon.json" || die "could not merge $f"
    fi
  fi
  if containerd_found && { [ -e "$R$CONTAINERD_TOML" ] || has_bin containerd; }; then
    containerd=1
    f=$R$CONTAINERD_TOML
    if [ -e "$f" ] && ! containerd_check "$f"; then
      die "$f is not a valid containerd configuration ($(tail -n1 "$TMP/containerd-err")); nothing was changed"
    fi
    if ! containerd_registered "$f"; then
      local rc=0
      containerd_merge "$f" >"$TMP/config.toml" || rc=$?
      if [ "$rc" = 3 ]; then
        die "$f sets the runc runtime options in a form this script does not edit; set BinaryName = \"$RUNTIME_PATH\" in [$(toml_prefix "$f").options] by hand. Nothing was changed."
      elif [ "$rc" != 0 ]; then
        die "could not edit $f"
      fi
      if ! containerd_check "$TMP/config.toml" ||
         { containerd_reads_cri "$TMP/config.toml" && ! grep -qF "BinaryName = \"$RUNTIME_PATH\"" "$TMP/containerd-dump"; }; then
        die "the edited $f does not read back as intended; nothing was changed"
      fi
    fi
  elif containerd_found; then
    say "containerd: $R/etc/containerd exists but containerd is not installed; not creating $CONTAINERD_TOML"
  fi
  if hooks_found; then
    hooks=1
    need_jq
    hooks_json >"$TMP/hooks.json"
  fi
  plan_standins

  # --- 3. files ---
  install_file "$BUILD_DIR/confine" "$BIN_DIR/confine" 0755
  install_file "$BUILD_DIR/confine-runtime" "$BIN_DIR/confine-runtime" 0755
  install_file "$BUILD_DIR/confine-hook" "$HOOK_PATH" 0755
  install_file "$BUILD_DIR/confine-authz" "$AUTHZ_PATH" 0755
  CREATED+=("file $BIN_DIR/confine" "file $BIN_DIR/confine-runtime" "file $HOOK_PATH"
            "file $AUTHZ_PATH")
  # The plugin's units, where Docker is: its socket before dockerd.
  local unit
  if [ "$docker" = 1 ]; then
    for unit in "${AUTHZ_UNITS[@]}"; do
      install_file "$SRC/config/systemd/${unit%% *}" "${unit#* }" 0644
      CREATED+=("file ${unit#* }")
    done
  fi
  # The warming unit wherever systemd may boot the target: inert without it.
  for unit in "${WARM_UNITS[@]}"; do
    install_file "$SRC/config/systemd/${unit%% *}" "${unit#* }" 0644
    CREATED+=("file ${unit#* }")
  done
  install_file "$SRC/config/logrotate" "$LOGROTATE_FILE" 0644
  CREATED+=("file $LOGROTATE_FILE")
  local msrc mdst
  while read -r msrc mdst; do
    install_file "$msrc" "$mdst" 0644
    CREATED+=("file $mdst")
  done < <(man_pages)

  if [ -e "$R$POLICY" ] || [ -L "$R$POLICY" ]; then
    if ! cmp -s "$SRC/config/policy.json" "$R$POLICY"; then
      say "kept the existing $R$POLICY (it differs from the shipped policy; see $SRC/config/policy.json)"
    fi
    if [ "$(stat -c %u "$R$POLICY")" != 0 ] || [ -n "$(find "$R$POLICY" -perm /022)" ]; then
      say "WARNING: $R$POLICY is not owned by root or is writable by group/others: the gate refuses every container until that is fixed"
    fi
  else
    local shipped=$SRC/config/policy.json
    if [ "$AA_SKIP" = 1 ]; then
      need_jq
      jq '.apparmor.when_unavailable = "skip"' "$shipped" >"$TMP/policy.json" || die "could not edit the policy"
      shipped=$TMP/policy.json
    fi
    write_file "$shipped" "$POLICY" 0644
    CREATED+=("policy $POLICY $(sha "$shipped")")
  fi

  local p rel
  while IFS= read -r -d '' p; do
    rel=${p#"$SRC/profiles/"}
    install_file "$p" "$PROFILES_DIR/$rel" 0644
    CREATED+=("file $PROFILES_DIR/$rel")
  done < <(find "$SRC/profiles" -type f ! -name '*.md' -print0 | sort -z)
  # Profiles in /etc/apparmor.d are loaded at boot by apparmor.service;
  # without that, confine-default would be missing after a reboot and the
  # gate would refuse every container.
  local to_load=()
  for p in "$SRC"/profiles/apparmor/*; do
    [ -f "$p" ] || continue
    install_file "$p" "$APPARMOR_D/$(basename "$p")" 0644
    CREATED+=("file $APPARMOR_D/$(basename "$p")")
    if [ "$LAST_CHANGED" = 1 ] || ! aa_loaded "$(basename "$p")"; then to_load+=("$(basename "$p")"); fi
  done

  for p in "$SRC"/config/warm/*.json; do
    install_file "$p" "$WARM_DIR/${p##*/}" 0644
    CREATED+=("file $WARM_DIR/${p##*/}")
  done

  if [ ! -d "$R$LOG_DIR" ]; then
    CHANGES=$((CHANGES + 1))
    ensure_dir "$LOG_DIR"
    dry || chmod 0750 "$R$LOG_DIR"
  fi

  # Before the stand-ins gate anything: the first container already finds
  # its verdict cached.
  warm_cache

  # After the hook, the policy and the profiles: a stand-in gates at once.
  install_standins

  # --- 4. AppArmor ---
  if apparmor_enabled; then
    # -r replaces, so loading again would be harmless; only profiles that
    # changed or are not loaded are loaded, to keep a second run inert.
    local name
    for name in "${to_load[@]+"${to_load[@]}"}"; do
      CHANGES=$((CHANGES + 1))
      if dry; then say "would load AppArmor profile: apparmor_parser -r -W $APPARMOR_D/$name"
      else apparmor_parser -r -W "$R$APPARMOR_D/$name" || die "apparmor_parser failed on $APPARMOR_D/$name"
        say "loaded AppArmor profile $name"; fi
    done
  elif [ -n "$R" ]; then
    say "AppArmor: not loading profiles into the running kernel for --root $R"
  else
    say "AppArmor is not enabled on this host: profiles installed, not loaded"
  fi

  # --- 5. engines ---
  if [ "$docker" = 1 ]; then
    register_engine Docker "$DAEMON_JSON" "$TMP/daemon.json" docker_registered \
      "with Docker" \
      "registered runtime confine ($RUNTIME_PATH) as default-runtime and the authorization plugin $AUTHZ_NAME" \
      "$(restart_hint docker)"
  else
    say "Docker: not found, skipped"
  fi

  if [ "$containerd" = 1 ]; then
    register_engine containerd "$CONTAINERD_TOML" "$TMP/config.toml" containerd_registered \
      "with containerd (CRI runc BinaryName)" \
      "the CRI runc runtime now runs $RUNTIME_PATH" \
      "$(restart_hint containerd)"
    install_file "$SRC/config/containerd-tmp.conf" "$CONTAINERD_DROPIN" 0644
    CREATED+=("file $CONTAINERD_DROPIN")
    [ "$LAST_CHANGED" = 0 ] || restart "$(restart_hint containerd)"
    if [ -z "$R" ] && [ ! -d /run/systemd/system ]; then
      say "WARNING: containerd does not run under systemd here: start it with XDG_RUNTIME_DIR=/run/containerd/tmp (a directory root made with mode 0700), as $CONTAINERD_DROPIN does; otherwise every docker exec is refused (README: exec)"
    fi
  else
    say "containerd: not installed, skipped"
  fi

  if [ "$hooks" = 1 ]; then
    local before=$CHANGES
    install_file "$TMP/hooks.json" "$HOOKS_FILE" 0644
    CREATED+=("file $HOOKS_FILE")
    if [ "$CHANGES" != "$before" ]; then
      restart "$(restart_hint crio)"
    fi
  else
    say "Podman/CRI-O: not found, skipped"
  fi

  # --- manifest: what --uninstall removes ---
  local line
  if ! dry; then
    ensure_dir "$STATE_DIR"
    {
      if [ -f "$R$MANIFEST" ]; then cat "$R$MANIFEST"; fi
      for line in "${CREATED[@]}"; do echo "$line"; done
    } | awk '!seen[$0]++' >"$TMP/manifest"
    cmp -s "$TMP/manifest" "$R$MANIFEST" 2>/dev/null || cat "$TMP/manifest" >"$R$MANIFEST"
  fi

  # --- 6. what next ---
  if [ "$CHANGES" = 0 ]; then
    say "nothing to change: confine is installed and registered"
  elif dry; then
    say "dry run: $CHANGES change(s) shown, none made"
  else
    say "done: $CHANGES change(s)"
  fi
  if [ ${#RESTART[@]} -gt 0 ]; then
    say "restart these to take effect:"
    for line in "${RESTART[@]}"; do say "  $line"; done
  fi
  if ! dry && [ "$CHANGES" != 0 ]; then
    say "check the host with: confine status; check a spec with: confine check PATH"
  fi
}

# ============================================================================
# uninstall
# ============================================================================

# Give an engine file back: the backup when the file is still what this
# script wrote, else (someone edited it since) take out only our entries.
restore_engine_file () {
  local f=$1 kind=$2 b w
  b=$(backup_of "$f")
  w=$(written_of "$f")
  [ -f "$R$w" ] || return 0
  if [ -f "$R$f" ] && [ "$(sha "$R$f")" = "$(cat "$R$w")" ]; then
    if [ -f "$R$b.absent" ]; then
      if dry; then say "would remove $R$f (it did not exist before)"; else rm -f "$R$f"; say "removed $R$f (it did not exist before)"; fi
    elif [ -f "$R$b" ]; then
      if dry; then say "would restore $R$f from $R$b"
      else cp -a "$R$b" "$R$f.confine-tmp" && mv -fT "$R$f.confine-tmp" "$R$f"
        say "restored $R$f from its backup"; fi
    fi
  elif [ -f "$R$f" ]; then
    case $kind in
      docker)
        need_jq
        local prev=null rewritten
        rewritten=$(json_rewritten_numbers "$R$f")
        if [ -n "$rewritten" ]; then
          # jq would change the operator's numbers: leave the file alone.
          say "left $R$f as it is: it was edited since install and holds numbers jq would rewrite ($rewritten); remove runtimes.confine, default-runtime \"confine\" and \"$AUTHZ_NAME\" in authorization-plugins from it by hand"
          if ! dry && [ -f "$R$b" ]; then
            cp -p "$R$b" "$R$f.confine-backup"
            say "the file from before install is at $R$f.confine-backup"
          fi
          dry || rm -f "$R$b" "$R$b.absent" "$R$w"
          return 0
        fi
        [ -s "$R$b" ] && prev=$(jq '."default-runtime" // null' "$R$b" 2>/dev/null || echo null)
        jq --argjson prev "$prev" --arg authz "$AUTHZ_NAME" '
          del(.runtimes.confine)
          | if .runtimes == {} then del(.runtimes) else . end
          | if has("authorization-plugins") then ."authorization-plugins" -= [$authz] else . end
          | if ."authorization-plugins" == [] then del(."authorization-plugins") else . end
          | if ."default-runtime" == "confine"
            then (if $prev == null then del(."default-runtime") else ."default-runtime" = $prev end)
            else . end' "$R$f" >"$TMP/undo"
        ;;
      containerd)
        # Drop our marked lines; put back a BinaryName we replaced.
        grep -vF "$TOML_MARK" "$R$f" | sed 's/^\([[:space:]]*\)# confine-original: /\1/' >"$TMP/undo"
        ;;
    esac
    if dry; then say "would remove confine's entries from $R$f (edited since install; backup kept at $R$b)"
      show_diff "$R$f" "$TMP/undo" "$f"
    else
      cat "$TMP/undo" >"$R$f"
      # The state directory goes away; keep the pre-install file beside
      # the live one for the operator to compare.
      if [ -f "$R$b" ]; then cp -p "$R$b" "$R$f.confine-backup"; fi
      say "removed confine's entries from $R$f (it was edited since install; the file from before install is at $R$f.confine-backup)"
    fi
  fi
  dry || rm -f "$R$b" "$R$b.absent" "$R$w"
}

# The file an install of this tree writes at PATH, for installs made
# before checksums were recorded; nothing for a path it does not know.
source_of () {
  case $1 in
    "$BIN_DIR/confine") echo "$BUILD_DIR/confine" ;;
    "$BIN_DIR/confine-runtime") echo "$BUILD_DIR/confine-runtime" ;;
    "$HOOK_PATH") echo "$BUILD_DIR/confine-hook" ;;
    "$AUTHZ_PATH") echo "$BUILD_DIR/confine-authz" ;;
    "$SYSTEMD_DIR/confine-authz.socket") echo "$SRC/config/systemd/confine-authz.socket" ;;
    "$SYSTEMD_DIR/confine-authz.service") echo "$SRC/config/systemd/confine-authz.service" ;;
    "$SYSTEMD_DIR/docker.service.d/confine-authz.conf") echo "$SRC/config/systemd/docker-confine-authz.conf" ;;
    "$LOGROTATE_FILE") echo "$SRC/config/logrotate" ;;
    "$CONTAINERD_DROPIN") echo "$SRC/config/containerd-tmp.conf" ;;
    "$MAN_DIR"/man*/*) echo "$BUILD_DIR/man/${1##*/}" ;;
    "$PROFILES_DIR"/*) echo "$SRC/profiles/${1#"$PROFILES_DIR/"}" ;;
    "$WARM_DIR"/*) echo "$SRC/config/warm/${1#"$WARM_DIR/"}" ;;
    "$APPARMOR_D"/*) echo "$SRC/profiles/apparmor/${1#"$APPARMOR_D/"}" ;;
    "$HOOKS_FILE") command -v jq >/dev/null && hooks_json >"$TMP/hooks.json" && echo "$TMP/hooks.json" ;;
  esac
  return 0
}

# Give back a file install_file wrote: remove it, or restore the file it
# replaced, but only while it still holds exactly what was written. An
# edited file is the operator's now: kept, with the old one's backup.
uninstall_file () {
  local path=$1 b w ours=0 src
  b=$(backup_of "$path")
  w=$(written_of "$path")
  if [ -f "$R$w" ]; then
    is_written "$path" && ours=1
  elif [ -f "$R$path" ] && [ ! -L "$R$path" ]; then
    src=$(source_of "$path")
    if [ -n "$src" ] && cmp -s "$src" "$R$path"; then ours=1; fi
  fi
  if [ "$ours" = 1 ] || { [ ! -e "$R$path" ] && [ ! -L "$R$path" ]; }; then
    if [ -e "$R$b" ] || [ -L "$R$b" ]; then
      if dry; then say "would restore $R$path from $R$b"
      else
        rm -f "$R$path.confine-tmp"
        cp -a "$R$b" "$R$path.confine-tmp" && mv -fT "$R$path.confine-tmp" "$R$path"
        say "restored $R$path (the file from before install)"
      fi
    elif [ "$ours" = 1 ]; then
      if dry; then say "would remove $R$path"; else rm -f "$R$path"; say "removed $R$path"; fi
    fi
    dry || rm -f "$R$b" "$R$w"
  else
    if [ -f "$R$w" ]; then say "kept $R$path: it was changed since install"
    else say "kept $R$path: no checksum was recorded for it (an older install.sh) and it differs from this tree's; remove it by hand if it is confine's"; fi
    if [ -e "$R$b" ] || [ -L "$R$b" ]; then say "  the file it replaced at install stays at $R$b"; fi
    dry || rm -f "$R$w"
  fi
}

# Every path under the root that an uninstall may change: the manifest's,
# with their backups and checksum records, and the state directory.
uninstall_targets () {
  local kind path rest
  echo "$STATE_DIR"; echo "$MANIFEST"; echo "$STATE_DIR/backup"; echo "$STATE_DIR/written"
  with_state "$DAEMON_JSON" "$CONTAINERD_TOML"
  while read -r kind path rest; do
    case $kind in
      file | policy) with_state "$path" ;;
      standin) with_state "$path"; echo "$path$REAL_SUFFIX" ;;
      dir | cache) echo "$path" ;;
    esac
  done <"$TMP/manifest"
}

do_uninstall () {
  local line kind path rest
  # Checked before the manifest is even read: it lists what gets removed.
  check_targets "$STATE_DIR" "$MANIFEST"
  [ -f "$R$MANIFEST" ] || { say "nothing to uninstall: no $R$MANIFEST"; return 0; }
  cp "$R$MANIFEST" "$TMP/manifest"
  local targets=()
  mapfile -t targets < <(uninstall_targets)
  check_targets "${targets[@]}"

  # The real runtimes first: from then on every engine runs them again.
  while read -r kind path rest; do
    [ "$kind" = standin ] && uninstall_standin "$path"
  done <"$TMP/manifest"

  local w
  w=$(written_of "$DAEMON_JSON")
  if [ -f "$R$w" ]; then restart "$(restart_hint docker-uninstall)"; fi
  restore_engine_file "$DAEMON_JSON" docker
  w=$(written_of "$CONTAINERD_TOML")
  if [ -f "$R$w" ]; then restart "$(restart_hint containerd)"; fi
  restore_engine_file "$CONTAINERD_TOML" containerd
  if manifest_has "file $CONTAINERD_DROPIN"; then restart "$(restart_hint containerd)"; fi
  if manifest_has "file $HOOKS_FILE"; then restart "$(restart_hint crio)"; fi

  # Files first, then directories deepest first.
  while read -r kind path rest; do
    case $kind in
      file) uninstall_file "$path" ;;
      policy)
        [ -e "$R$path" ] || continue
        if [ "$(sha "$R$path")" = "$rest" ]; then
          if dry; then say "would remove $R$path"; else rm -f "$R$path"; say "removed $R$path"; fi
        else
          say "kept $R$path: it was edited since install"
        fi ;;
      cache)
        # Verdicts only (named by their key), and the directory if that
        # empties it: the gate is gone, so is what it cached.
        [ -d "$R$path" ] || continue
        if dry; then say "would remove the seccomp verdict cache $R$path"
        else
          find "$R$path" -maxdepth 1 -type f -regextype posix-extended \
            -regex '.*/\.?[0-9a-f]{64}(\.[0-9]+)?' -delete
          rmdir "$R$path" 2>/dev/null || true
          say "removed the seccomp verdict cache $R$path"
        fi ;;
    esac
  done <"$TMP/manifest"
  if ! dry; then
    rm -rf "$R$STATE_DIR/written"
    # What is left of the backups belongs to files kept above because
    # they were edited since install: the operator may want them.
    if [ -d "$R$STATE_DIR/backup" ]; then
      find "$R$STATE_DIR/backup" -depth -type d -empty -delete
    fi
    rm -f "$R$MANIFEST"
    if [ -d "$R$STATE_DIR/backup" ]; then
      say "kept $R$STATE_DIR/backup: the files from before install of files kept above"
    fi
  fi
  # Directories deepest first, each only if empty.
  while read -r path; do
    # The log directory holds the decision log: an audit trail outlives
    # the tool.
    case $path in "$LOG_DIR" | "$LOG_DIR"/*) continue ;; esac
    if dry; then say "would remove directory $R$path (if empty)"
    else rmdir "$R$path" 2>/dev/null || true; fi
  done < <(awk '$1 == "dir" { print length($2), $2 }' "$TMP/manifest" | sort -rn | cut -d' ' -f2-)
  say "uninstalled; kept $R$LOG_DIR (decision log). AppArmor profiles stay loaded until reboot (apparmor_parser -R to unload)."
  if [ ${#RESTART[@]} -gt 0 ]; then
    say "restart these so they stop using confine (the real runc and crun are back already):"
    for line in "${RESTART[@]}"; do say "  $line"; done
  fi
}

if [ "$UNINSTALL" = 1 ]; then
  do_uninstall
else
  do_install
fi

#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# install.sh - install confine and register it with every container engine
# found on this host.
#
#   ./install.sh [--dry-run] [--root DIR] [--no-build] [--build-dir DIR]
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
#        /etc/confine/policy.json           (0644, never overwritten)
#        /etc/confine/profiles/...          (the profiles/ directory)
#        /etc/apparmor.d/<profile>          (so the profiles load at boot)
#        /var/log/confine/                  (0750, for the decision log)
#   4. loads the AppArmor profiles with apparmor_parser -r -W, when AppArmor
#      is enabled and the target is the running system (no --root);
#   5. registers the gate with each engine it finds:
#        Docker      /etc/docker/daemon.json: runtimes.confine.path and
#                    default-runtime, merged with jq, every other key kept;
#        containerd  /etc/containerd/config.toml: BinaryName of the CRI runc
#                    runtime (Kubernetes). If the file does not exist it is
#                    created (minimal) only when containerd is installed:
#                    without containerd there is nothing to configure, and
#                    a config.toml would only surprise a later install;
#        Podman, CRI-O  /usr/share/containers/oci/hooks.d/confine.json, a
#                    version 1.0.0 hook for createRuntime and prestart, always.
#                    That directory is read by Podman and is CRI-O's default
#                    hooks_dir (/etc/containers/oci/hooks.d is Podman's only).
#      Each file edited is backed up first, under /var/lib/confine/backup;
#   6. says which services to restart.
#
# It is idempotent: a second run changes nothing (not even a timestamp).
# --dry-run prints every change (with diffs) and makes none.
# --uninstall restores the backed-up engine files (or, if they were edited
# since, removes only confine's entries), removes the installed files, and
# keeps /etc/confine/policy.json if it was edited and /var/log/confine.
# --root DIR does everything under DIR (for tests and image builds); the
# paths written into configuration files stay the target system's paths,
# and nothing is loaded into the running kernel.

set -euo pipefail
umask 022

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR=$SRC/build
R=
DRY=0
UNINSTALL=0
BUILD=1

# Paths on the target system.
BIN_DIR=/usr/local/bin
LIBEXEC_DIR=/usr/local/libexec/confine
RUNTIME_PATH=$BIN_DIR/confine-runtime
HOOK_PATH=$LIBEXEC_DIR/confine-hook
ETC_DIR=/etc/confine
POLICY=$ETC_DIR/policy.json
PROFILES_DIR=$ETC_DIR/profiles
APPARMOR_D=/etc/apparmor.d
LOG_DIR=/var/log/confine
STATE_DIR=/var/lib/confine
MANIFEST=$STATE_DIR/install.manifest
DAEMON_JSON=/etc/docker/daemon.json
CONTAINERD_TOML=/etc/containerd/config.toml
HOOKS_FILE=/usr/share/containers/oci/hooks.d/confine.json
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
EOF
}

while [ $# -gt 0 ]; do
  case $1 in
    --dry-run) DRY=1 ;;
    --uninstall) UNINSTALL=1 ;;
    --no-build) BUILD=0 ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; R=$2; shift ;;
    --root=*) R=${1#--root=} ;;
    --build-dir) [ $# -ge 2 ] || die "--build-dir needs a directory"; BUILD_DIR=$2; shift ;;
    --build-dir=*) BUILD_DIR=${1#--build-dir=} ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done

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

# ensure_dir DIR: create DIR (target path) and record every directory this
# created, so --uninstall removes them again (only if empty).
ensure_dir () {
  local d=$1 missing=()
  while [ ! -d "$R$d" ] && [ "$d" != / ]; do
    missing=("$d" "${missing[@]+"${missing[@]}"}")
    d=$(dirname "$d")
  done
  for d in "${missing[@]+"${missing[@]}"}"; do
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
# entry named confine keeps its other fields (runtimeArgs).
docker_merge () {
  local f=$1
  { [ -s "$f" ] && cat "$f" || echo '{}'; } |
    jq --arg path "$RUNTIME_PATH" '
      .runtimes = ((.runtimes // {}) | .confine = ((.confine // {}) + {path: $path}))
      | ."default-runtime" = "confine"'
}

docker_registered () {
  local f=$1
  [ -s "$f" ] && jq -e --arg path "$RUNTIME_PATH" \
    '.runtimes.confine.path == $path and ."default-runtime" == "confine"' "$f" >/dev/null 2>&1
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

# The table headers of a TOML file, without spaces or comments.
toml_tables () {
  sed -n 's/#.*//; s/[[:space:]]//g; /^\[/p' "$1"
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
    function key(s) { gsub(/[ \t]/, "", s); sub(/#.*/, "", s); return s }
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

# Back up DEST (target path) before a change, unless the current content
# is what this script wrote last: then the backup already holds the last
# content somebody else wrote, which is what --uninstall must give back.
backup () {
  local dst=$1 b w
  b=$(backup_of "$dst")
  w=$(written_of "$dst")
  if [ -f "$R$w" ] && [ -f "$R$dst" ] && [ "$(sha "$R$dst")" = "$(cat "$R$w")" ]; then return 0; fi
  if dry; then say "would back up $R$dst to $R$b"; return 0; fi
  ensure_dir "$(dirname "$b")"
  rm -f "$R$b" "$R$b.absent"
  if [ -e "$R$dst" ]; then cp -p "$R$dst" "$R$b"; say "backed up $R$dst to $R$b"
  else : >"$R$b.absent"; fi
}

record_written () {
  local dst=$1 w
  dry && return 0
  w=$(written_of "$dst")
  ensure_dir "$(dirname "$w")"
  sha "$R$dst" >"$R$w"
}

show_diff () {
  local old=$1 new=$2
  diff -u --label "$3 (now)" --label "$3 (after install)" "$old" "$new" | sed 's/^/    /' || true
}

# ============================================================================
# install
# ============================================================================

do_install () {
  local f new docker=0 containerd=0 hooks=0

  # --- 1. build ---
  local b need_build=0
  for b in confine confine-runtime confine-hook; do [ -x "$BUILD_DIR/$b" ] || need_build=1; done
  if [ "$need_build" = 1 ]; then
    [ "$BUILD" = 1 ] || die "binaries missing in $BUILD_DIR (and --no-build given)"
    if dry; then
      say "would build: make -C $SRC"
    else
      say "building: make -C $SRC"
      make -C "$SRC" >/dev/null || die "make failed"
    fi
  fi

  # --- 2. check every engine file and compute the new contents first ---
  if docker_found; then
    docker=1
    need_jq
    f=$R$DAEMON_JSON
    if [ -e "$f" ] && ! daemon_json_valid "$f"; then
      die "$f is not a valid JSON object; fix it (or move it away) and run again. Nothing was changed."
    fi
    if ! docker_registered "$f"; then
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
         { command -v containerd >/dev/null && ! grep -qF "BinaryName = \"$RUNTIME_PATH\"" "$TMP/containerd-dump"; }; then
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

  # --- 3. files ---
  write_file "$BUILD_DIR/confine" "$BIN_DIR/confine" 0755
  write_file "$BUILD_DIR/confine-runtime" "$BIN_DIR/confine-runtime" 0755
  write_file "$BUILD_DIR/confine-hook" "$HOOK_PATH" 0755
  CREATED+=("file $BIN_DIR/confine" "file $BIN_DIR/confine-runtime" "file $HOOK_PATH")

  if [ -e "$R$POLICY" ] || [ -L "$R$POLICY" ]; then
    if ! cmp -s "$SRC/config/policy.json" "$R$POLICY"; then
      say "kept the existing $R$POLICY (it differs from the shipped policy; see $SRC/config/policy.json)"
    fi
    if [ "$(stat -c %u "$R$POLICY")" != 0 ] || [ -n "$(find "$R$POLICY" -perm /022)" ]; then
      say "WARNING: $R$POLICY is not owned by root or is writable by group/others: the gate refuses every container until that is fixed"
    fi
  else
    write_file "$SRC/config/policy.json" "$POLICY" 0644
    CREATED+=("policy $POLICY $(sha "$SRC/config/policy.json")")
  fi

  local p rel
  while IFS= read -r -d '' p; do
    rel=${p#"$SRC/profiles/"}
    write_file "$p" "$PROFILES_DIR/$rel" 0644
    CREATED+=("file $PROFILES_DIR/$rel")
  done < <(find "$SRC/profiles" -type f ! -name '*.md' -print0 | sort -z)
  # Profiles in /etc/apparmor.d are loaded at boot by apparmor.service;
  # without that, confine-default would be missing after a reboot and the
  # gate would refuse every container.
  local to_load=()
  for p in "$SRC"/profiles/apparmor/*; do
    [ -f "$p" ] || continue
    write_file "$p" "$APPARMOR_D/$(basename "$p")" 0644
    CREATED+=("file $APPARMOR_D/$(basename "$p")")
    if [ "$LAST_CHANGED" = 1 ] || ! aa_loaded "$(basename "$p")"; then to_load+=("$(basename "$p")"); fi
  done

  if [ ! -d "$R$LOG_DIR" ]; then
    CHANGES=$((CHANGES + 1))
    ensure_dir "$LOG_DIR"
    dry || chmod 0750 "$R$LOG_DIR"
  fi

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
    say "AppArmor is not enabled on this host: profiles installed, not loaded (the policy refuses containers while AppArmor is unavailable unless apparmor.when_unavailable is skip)"
  fi

  # --- 5. engines ---
  if [ "$docker" = 1 ]; then
    f=$DAEMON_JSON
    if docker_registered "$R$f"; then
      say "Docker: already registered in $R$f"
    else
      if dry; then
        say "would register with Docker in $R$f:"
        show_diff "$( [ -e "$R$f" ] && echo "$R$f" || echo /dev/null)" "$TMP/daemon.json" "$f"
      else
        ensure_dir "$(dirname "$f")"
        backup "$f"
        write_file "$TMP/daemon.json" "$f" "$( [ -e "$R$f" ] && stat -c %a "$R$f" || echo 644)"
        record_written "$f"
        say "Docker: registered runtime confine ($RUNTIME_PATH) as default-runtime in $R$f"
      fi
      CHANGES=$((CHANGES + 1))
      restart "Docker:      systemctl restart docker   (running containers keep running; new ones go through confine)"
    fi
  else
    say "Docker: not found, skipped"
  fi

  if [ "$containerd" = 1 ]; then
    f=$CONTAINERD_TOML
    if containerd_registered "$R$f"; then
      say "containerd: already registered in $R$f"
    else
      if dry; then
        say "would register with containerd (CRI runc BinaryName) in $R$f:"
        show_diff "$( [ -e "$R$f" ] && echo "$R$f" || echo /dev/null)" "$TMP/config.toml" "$f"
      else
        ensure_dir "$(dirname "$f")"
        backup "$f"
        write_file "$TMP/config.toml" "$f" "$( [ -e "$R$f" ] && stat -c %a "$R$f" || echo 644)"
        record_written "$f"
        say "containerd: the CRI runc runtime now runs $RUNTIME_PATH ($R$f)"
      fi
      CHANGES=$((CHANGES + 1))
      restart "containerd:  systemctl restart containerd   (Kubernetes/CRI; Docker uses its own runtime setting)"
    fi
  else
    say "containerd: not installed, skipped"
  fi

  if [ "$hooks" = 1 ]; then
    if [ -f "$R$HOOKS_FILE" ] && ! manifest_has "file $HOOKS_FILE" && ! cmp -s "$TMP/hooks.json" "$R$HOOKS_FILE"; then
      backup "$HOOKS_FILE"
    fi
    local before=$CHANGES
    write_file "$TMP/hooks.json" "$HOOKS_FILE" 0644
    CREATED+=("file $HOOKS_FILE")
    if [ "$CHANGES" != "$before" ]; then
      restart "CRI-O:       systemctl restart crio   (if it runs; Podman reads hooks.d at every run)"
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
      else cp -p "$R$b" "$R$f.confine-tmp" && mv -f "$R$f.confine-tmp" "$R$f"
        say "restored $R$f from its backup"; fi
    fi
  elif [ -f "$R$f" ]; then
    case $kind in
      docker)
        need_jq
        local prev=null
        [ -s "$R$b" ] && prev=$(jq '."default-runtime" // null' "$R$b" 2>/dev/null || echo null)
        jq --argjson prev "$prev" '
          del(.runtimes.confine)
          | if .runtimes == {} then del(.runtimes) else . end
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

do_uninstall () {
  local line kind path rest
  [ -f "$R$MANIFEST" ] || { say "nothing to uninstall: no $R$MANIFEST"; return 0; }
  cp "$R$MANIFEST" "$TMP/manifest"

  restore_engine_file "$DAEMON_JSON" docker
  restore_engine_file "$CONTAINERD_TOML" containerd
  restart "Docker / containerd / CRI-O: restart them so they stop using confine"

  # Files first, then directories deepest first.
  while read -r kind path rest; do
    case $kind in
      file)
        [ -e "$R$path" ] || continue
        if [ "$path" = "$HOOKS_FILE" ] && [ -f "$R$(backup_of "$path")" ]; then
          if dry; then say "would restore $R$path"; else cp -p "$R$(backup_of "$path")" "$R$path"; say "restored $R$path"; fi
          continue
        fi
        if dry; then say "would remove $R$path"; else rm -f "$R$path"; say "removed $R$path"; fi ;;
      policy)
        [ -e "$R$path" ] || continue
        if [ "$(sha "$R$path")" = "$rest" ]; then
          if dry; then say "would remove $R$path"; else rm -f "$R$path"; say "removed $R$path"; fi
        else
          say "kept $R$path: it was edited since install"
        fi ;;
    esac
  done <"$TMP/manifest"
  if ! dry; then
    rm -rf "$R$STATE_DIR/backup" "$R$STATE_DIR/written"
    rm -f "$R$MANIFEST"
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
  for line in "${RESTART[@]}"; do say "  $line"; done
}

if [ "$UNINSTALL" = 1 ]; then
  do_uninstall
else
  do_install
fi

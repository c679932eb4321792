# shellcheck shell=bash
#
# tests/lib/engine.sh - run a private, throw-away Docker engine for tests.
#
# Source this file from a bash test script, then:
#
#   engine_require_packages                    apt-get install whatever of
#                                              runc, containerd, docker.io,
#                                              busybox-static is missing
#   engine_start DIR [extra dockerd args...]   start containerd + dockerd, all
#                                              state under DIR (keep DIR short:
#                                              sockets live there); exports
#                                              DOCKER_HOST and friends; installs
#                                              an EXIT trap that runs
#                                              engine_stop before any EXIT trap
#                                              the caller already had, and
#                                              INT/TERM traps that exit
#   engine_import_busybox                      build image confine-busybox:latest
#                                              from the busybox-static binary
#   engine_stop                                stop everything, unmount, clean
#                                              up (idempotent, trap-safe); DIR
#                                              and its logs are kept
#   engine_remove_dir DIR                      rm -rf DIR, but only if nothing
#                                              is mounted below it any more
#
# Extra dockerd args are passed through verbatim, e.g.
#   engine_start "$dir" --add-runtime confine=/abs/confine-shim \
#                       --default-runtime confine
#
# Exported after engine_start:
#   ENGINE_DIR              absolute DIR
#   ENGINE_LOG_DIR          DIR/log (containerd.log, dockerd.log)
#   ENGINE_CONTAINERD_SOCK  containerd's gRPC socket
#   ENGINE_DOCKER_SOCK      dockerd's API socket
#   ENGINE_EXEC_ROOT        dockerd --exec-root (runtime state lives under
#                           $ENGINE_EXEC_ROOT/runtime-<name>/moby)
#   DOCKER_HOST             unix://$ENGINE_DOCKER_SOCK
#   DOCKER_CONFIG           DIR/cli (keeps the CLI away from ~/.docker)
#
# Tunables (environment):
#   ENGINE_TIMEOUT   seconds to wait for each daemon to come up (default 60)
#   ENGINE_NO_TRAP   if non-empty, engine_start installs no traps; the caller
#                    must call engine_stop itself
#   ENGINE_IMAGE     image name for engine_import_busybox
#                    (default confine-busybox:latest)
#   ENGINE_CONTAINERD_TMPDIR
#                    containerd's TMPDIR, with XDG_RUNTIME_DIR unset: the
#                    directory where its runc shims (go-runc) write exec's
#                    process files and console sockets, as on a host
#                    without install.sh's drop-in (/tmp there). Unset:
#   ENGINE_CONTAINERD_RUNTIME_DIR
#                    containerd's XDG_RUNTIME_DIR, as install.sh's drop-in
#                    sets it (/run/containerd/tmp); unset, a new root-only
#                    directory under /run (ENGINE_RUNTIME_DIR, removed by
#                    engine_stop)
#
# Requires root, and the Debian packages runc, containerd, docker.io and
# busybox-static (engine_require_packages installs any that are missing).
#
# The library never touches the host's default engine: no /var/run/docker.sock,
# no /var/lib/docker, no /etc/docker, no /run/containerd socket. Unavoidable
# leftovers are empty dirs: /run/docker/plugins (dockerd's hard-coded plugin
# discovery dir) and /run/containerd/s (containerd-shim-runc-v2 always puts
# its sockets there, named by a hash of our address, and removes them on exit).

# The library is sourced, so it must not change the caller's shell options.
# Every function is written to work with or without `set -eu`.

ENGINE_IMAGE=${ENGINE_IMAGE:-confine-busybox:latest}

# State of the running engine; empty when none is running.
_ENGINE_CONTAINERD_PID=
_ENGINE_DOCKERD_PID=

_engine_log() { printf 'engine: %s\n' "$*" >&2; }

_engine_die() {
	_engine_log "ERROR: $*"
	return 1
}

# Print the tail of a daemon log, so a CI failure shows why without needing
# the artefacts.
_engine_dump_log() {
	local f=$1
	[ -f "$f" ] || return 0
	printf -- '----- last 60 lines of %s -----\n' "$f" >&2
	tail -n 60 "$f" >&2
	printf -- '----- end of %s -----\n' "$f" >&2
}

_engine_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Wait (bounded) until pid $1 is gone. Returns 1 if it is still alive.
_engine_wait_gone() {
	local pid=$1 secs=$2 i
	for ((i = 0; i < secs * 10; i++)); do
		_engine_alive "$pid" || return 0
		sleep 0.1
	done
	! _engine_alive "$pid"
}

# TERM, then KILL after a grace period. Only ever called with pids that this
# library started itself (or their descendants, found by our socket path).
_engine_terminate() {
	local pid=$1 grace=$2 name=$3
	_engine_alive "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null
	if ! _engine_wait_gone "$pid" "$grace"; then
		_engine_log "$name (pid $pid) ignored SIGTERM for ${grace}s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null
		_engine_wait_gone "$pid" 5 || _engine_log "$name (pid $pid) survived SIGKILL"
	fi
}

# Install missing packages (only with apt, only what is missing). Test scripts
# call this so that a fresh CI machine gets what it needs.
engine_require_packages() {
	local missing=()
	command -v runc >/dev/null || missing+=(runc)
	command -v containerd >/dev/null || missing+=(containerd)
	command -v containerd-shim-runc-v2 >/dev/null || missing+=(containerd)
	command -v dockerd >/dev/null || missing+=(docker.io)
	command -v docker >/dev/null || missing+=(docker.io)
	[ -x /bin/busybox ] || missing+=(busybox-static)
	[ ${#missing[@]} -eq 0 ] && return 0
	_engine_log "installing missing packages: ${missing[*]}"
	# DEBIAN_FRONTEND: CI has no stdin, debconf must never prompt.
	# policy-rc.d is not our business: docker.io's postinst may try to start
	# the system dockerd; on machines without systemd that simply fails
	# harmlessly, and we never talk to that daemon anyway.
	if ! DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
		! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"${missing[@]}" >/dev/null; then
		_engine_die "apt-get install ${missing[*]} failed"
		return 1
	fi
}

# The Unix socket path limit (108 bytes incl. NUL) bites when DIR is deep,
# e.g. inside a CI checkout; fail early with a message instead of an obscure
# bind() error in a log.
_engine_check_sock_path() {
	if [ ${#1} -gt 100 ]; then
		_engine_die "socket path too long (${#1} > 100 bytes): $1; use a shorter DIR (e.g. mktemp -d /tmp/engine.XXXXXX)"
		return 1
	fi
}

# The public functions run their body behind `|| return`: that switches off
# errexit inside the body, so a caller's `set -e` cannot abort half-way
# through (skipping log dumps or cleanup); errors are handled explicitly and
# reported through the return status instead.

# engine_start DIR [extra dockerd args...]
engine_start() { _engine_start "$@" || return; }
_engine_start() {
	if [ $# -lt 1 ] || [ -z "$1" ]; then
		_engine_die "usage: engine_start DIR [extra dockerd args...]"
		return 1
	fi
	if _engine_alive "$_ENGINE_DOCKERD_PID" || _engine_alive "$_ENGINE_CONTAINERD_PID"; then
		_engine_die "an engine is already running from this shell (ENGINE_DIR=$ENGINE_DIR)"
		return 1
	fi
	[ "$(id -u)" = 0 ] || { _engine_die "must run as root"; return 1; }
	local c
	for c in containerd containerd-shim-runc-v2 dockerd docker runc; do
		command -v "$c" >/dev/null ||
			{ _engine_die "$c not found in PATH (call engine_require_packages)"; return 1; }
	done

	mkdir -p "$1" || { _engine_die "cannot create $1"; return 1; }
	ENGINE_DIR=$(cd "$1" && pwd -P) || return 1
	shift
	local timeout=${ENGINE_TIMEOUT:-60}

	ENGINE_LOG_DIR=$ENGINE_DIR/log
	ENGINE_CONTAINERD_SOCK=$ENGINE_DIR/containerd.sock
	ENGINE_DOCKER_SOCK=$ENGINE_DIR/docker.sock
	ENGINE_EXEC_ROOT=$ENGINE_DIR/exec
	export ENGINE_DIR ENGINE_LOG_DIR ENGINE_CONTAINERD_SOCK ENGINE_DOCKER_SOCK ENGINE_EXEC_ROOT
	_engine_check_sock_path "$ENGINE_CONTAINERD_SOCK.ttrpc" || return 1
	mkdir -p "$ENGINE_LOG_DIR" "$ENGINE_DIR/containerd/root" "$ENGINE_DIR/containerd/state" \
		"$ENGINE_DIR/docker" "$ENGINE_EXEC_ROOT" "$ENGINE_DIR/cli" || return 1

	# Register cleanup before starting anything, so a failure half-way
	# through (or a ^C) still tears down what did start. We chain onto any
	# EXIT trap the caller already had instead of replacing it.
	if [ -z "${ENGINE_NO_TRAP:-}" ]; then
		local prev
		prev=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//" -e "s/'\\\\''/'/g")
		# shellcheck disable=SC2064
		trap "engine_stop; ${prev:-:}" EXIT
		# Signals must go through EXIT, otherwise bash dies without running it.
		trap 'exit 130' INT
		trap 'exit 143' TERM
	fi

	# --- containerd -------------------------------------------------------
	# Own config file so no host /etc/containerd/config.toml applies. The CRI
	# plugin is Kubernetes-only and wants CNI; disabling it keeps the log
	# clean and startup fast. The "opt" plugin would create /opt/containerd on
	# the host, so point it inside DIR. Snapshotters that cannot work here
	# (btrfs, zfs, devmapper, aufs) just log a skip, which is harmless.
	cat >"$ENGINE_DIR/containerd/config.toml" <<-EOF
		version = 2
		root = "$ENGINE_DIR/containerd/root"
		state = "$ENGINE_DIR/containerd/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$ENGINE_CONTAINERD_SOCK"
		[ttrpc]
		  address = "$ENGINE_CONTAINERD_SOCK.ttrpc"
		[debug]
		  address = ""
		  level = "info"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$ENGINE_DIR/containerd/opt"
	EOF
	# Where containerd's runc shims write exec's process files and console
	# sockets: $XDG_RUNTIME_DIR, else $TMPDIR or /tmp. The gate refuses a
	# process file below a sticky directory (a container binding /tmp
	# could swap it), so by default, as install.sh's containerd.service
	# drop-in does, a root-only directory outside /tmp.
	local tmpenv
	if [ -n "${ENGINE_CONTAINERD_TMPDIR:-}" ]; then
		tmpenv=(-u XDG_RUNTIME_DIR "TMPDIR=$ENGINE_CONTAINERD_TMPDIR")
	elif [ -n "${ENGINE_CONTAINERD_RUNTIME_DIR:-}" ]; then
		tmpenv=("XDG_RUNTIME_DIR=$ENGINE_CONTAINERD_RUNTIME_DIR")
	else
		ENGINE_RUNTIME_DIR=$(mktemp -d /run/confine-engine.XXXXXX) || return 1
		tmpenv=("XDG_RUNTIME_DIR=$ENGINE_RUNTIME_DIR")
	fi
	# </dev/null and log redirection: CI has no stdin, and a daemon holding
	# the test's stdout open would make `cmd | tee` style callers hang.
	env "${tmpenv[@]}" containerd --config "$ENGINE_DIR/containerd/config.toml" \
		</dev/null >"$ENGINE_LOG_DIR/containerd.log" 2>&1 &
	_ENGINE_CONTAINERD_PID=$!
	echo "$_ENGINE_CONTAINERD_PID" >"$ENGINE_DIR/containerd.pid"

	local i ok=
	for ((i = 0; i < timeout * 10; i++)); do
		if ! _engine_alive "$_ENGINE_CONTAINERD_PID"; then break; fi
		# The socket appears only once the gRPC server listens.
		if [ -S "$ENGINE_CONTAINERD_SOCK" ]; then ok=1; break; fi
		sleep 0.1
	done
	if [ -z "$ok" ]; then
		_engine_log "containerd did not come up within ${timeout}s (pid $_ENGINE_CONTAINERD_PID)"
		_engine_dump_log "$ENGINE_LOG_DIR/containerd.log"
		engine_stop
		return 1
	fi

	# --- dockerd ----------------------------------------------------------
	# --config-file: our own, so a host daemon.json (which may set hosts,
	#   data-root, runtimes...) cannot leak in or conflict.
	# --iptables/--ip6tables=false, --bridge=none: no host network changes;
	#   tests run containers with --network none.
	# --storage-driver=vfs: works on any filesystem, no overlay needed.
	# --containerd: use our containerd instead of spawning its own.
	# dockerd before 23.0 writes a "trust key" to /etc/docker/key.json unless
	# the config file names another path; later versions have no trust key
	# and may reject the option, so only set it for old ones.
	local major
	major=$(dockerd --version 2>/dev/null | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
	if [ -n "$major" ] && [ "$major" -lt 23 ]; then
		printf '{"deprecated-key-path": "%s"}\n' "$ENGINE_DIR/key.json"
	else
		echo '{}'
	fi >"$ENGINE_DIR/daemon.json"
	dockerd \
		--config-file "$ENGINE_DIR/daemon.json" \
		--data-root "$ENGINE_DIR/docker" \
		--exec-root "$ENGINE_EXEC_ROOT" \
		--pidfile "$ENGINE_DIR/dockerd.pid" \
		-H "unix://$ENGINE_DOCKER_SOCK" \
		--containerd "$ENGINE_CONTAINERD_SOCK" \
		--iptables=false --ip6tables=false --bridge=none \
		--storage-driver=vfs \
		"$@" \
		</dev/null >"$ENGINE_LOG_DIR/dockerd.log" 2>&1 &
	_ENGINE_DOCKERD_PID=$!

	export DOCKER_HOST=unix://$ENGINE_DOCKER_SOCK
	# Keep the CLI from reading/writing the invoking user's ~/.docker.
	export DOCKER_CONFIG=$ENGINE_DIR/cli

	ok=
	for ((i = 0; i < timeout * 2; i++)); do
		if ! _engine_alive "$_ENGINE_DOCKERD_PID"; then break; fi
		if [ -S "$ENGINE_DOCKER_SOCK" ] &&
			timeout 10 docker info >/dev/null 2>&1 </dev/null; then
			ok=1
			break
		fi
		sleep 0.5
	done
	if [ -z "$ok" ]; then
		if _engine_alive "$_ENGINE_DOCKERD_PID"; then
			_engine_log "dockerd did not answer 'docker info' within ${timeout}s"
			_engine_dump_log "$ENGINE_LOG_DIR/dockerd.log"
			_engine_dump_log "$ENGINE_LOG_DIR/containerd.log"
		else
			_engine_log "dockerd exited during startup (bad extra args? see log)"
			_engine_dump_log "$ENGINE_LOG_DIR/dockerd.log"
		fi
		engine_stop
		return 1
	fi
	_engine_log "up: DOCKER_HOST=$DOCKER_HOST (logs in $ENGINE_LOG_DIR)"
}

# engine_import_busybox: create $ENGINE_IMAGE (confine-busybox:latest) from
# the statically linked busybox. Static, so the rootfs needs no libc: one
# binary plus applet symlinks.
engine_import_busybox() { _engine_import_busybox || return; }
_engine_import_busybox() {
	[ -n "${ENGINE_DIR:-}" ] || { _engine_die "engine_import_busybox: call engine_start first"; return 1; }
	local bb=/bin/busybox root=$ENGINE_DIR/busybox-rootfs a
	[ -x "$bb" ] || { _engine_die "$bb missing (apt-get install busybox-static)"; return 1; }
	# A dynamically linked busybox (package 'busybox') would import fine but
	# fail inside the container with a confusing 'no such file'.
	if ldd "$bb" >/dev/null 2>&1; then
		_engine_die "$bb is dynamically linked; install busybox-static"
		return 1
	fi
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/etc" "$root/proc" "$root/sys" "$root/dev" \
		"$root/tmp" "$root/root" "$root/var/run" || return 1
	chmod 1777 "$root/tmp"
	cp "$bb" "$root/bin/busybox" || return 1
	# Symlink every applet this busybox provides (sh, cat, ls, true, sleep...).
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
	done
	# Minimal passwd/group so `id`, `whoami` and --user root work.
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	# --numeric-owner and a fixed mtime keep the tarball (and so the image
	# layer) independent of the host's users and of when it was built.
	tar --numeric-owner --owner=0 --group=0 --mtime='2000-01-01 00:00:00' \
		-C "$root" -cf "$ENGINE_DIR/busybox-rootfs.tar" . || return 1
	timeout 120 docker import \
		--change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' \
		"$ENGINE_DIR/busybox-rootfs.tar" "$ENGINE_IMAGE" </dev/null >/dev/null ||
		{ _engine_die "docker import failed"; _engine_dump_log "$ENGINE_LOG_DIR/dockerd.log"; return 1; }
	_engine_log "image $ENGINE_IMAGE ready"
}

# Find pids whose command line mentions our containerd socket: these are the
# containerd-shim-runc-v2 processes of our engine (and nobody else's).
_engine_our_shims() {
	local p cmd
	[ -n "${ENGINE_CONTAINERD_SOCK:-}" ] || return 0
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case "$cmd" in
		*containerd-shim*" $ENGINE_CONTAINERD_SOCK "*) echo "${p#/proc/}" ;;
		esac
	done
}

# Kill and delete every container still known to a runtime state dir under our
# exec-root. Docker passes --root $ENGINE_EXEC_ROOT/runtime-<name>/moby to
# every runtime (runc and any --add-runtime wrapper that execs runc), so this
# covers containers orphaned when dockerd or a shim was killed.
_engine_reap_containers() {
	local r id
	[ -d "${ENGINE_EXEC_ROOT:-/nonexistent}" ] || return 0
	for r in "$ENGINE_EXEC_ROOT"/runtime-*/moby; do
		[ -d "$r" ] || continue
		for id in $(timeout 10 runc --root "$r" list -q 2>/dev/null); do
			timeout 10 runc --root "$r" kill --all "$id" KILL >/dev/null 2>&1
			timeout 10 runc --root "$r" delete --force "$id" >/dev/null 2>&1
		done
	done
}

# Unmount everything below ENGINE_DIR, deepest first. dockerd and the shims
# leave rootfs bind mounts, /dev/shm tmpfs mounts and netns bind mounts there
# when they are killed rather than stopped cleanly.
_engine_unmount_all() {
	local m n=0
	[ -n "${ENGINE_DIR:-}" ] || return 0
	# mountinfo field 5 is the mount point, with spaces etc. octal-escaped.
	while read -r m; do
		m=$(printf '%b' "$m")
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null ||
			_engine_log "could not unmount $m"
		n=$((n + 1))
	done < <(awk -v d="$ENGINE_DIR" '$5 == d || index($5, d "/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r -u)
	[ "$n" -eq 0 ] || _engine_log "unmounted $n leftover mount(s) under $ENGINE_DIR"
}

# engine_stop: safe to call any number of times, from a trap, with or without
# a running engine, with or without set -e (it never fails).
engine_stop() { _engine_stop || :; return 0; }
_engine_stop() {
	local p
	if [ -n "${_ENGINE_DOCKERD_PID:-}" ] || [ -n "${_ENGINE_CONTAINERD_PID:-}" ]; then
		if _engine_alive "$_ENGINE_DOCKERD_PID"; then
			# Remove containers first: on SIGTERM dockerd would otherwise
			# wait up to its shutdown timeout for each one.
			local ids
			ids=$(timeout 20 docker ps -aq 2>/dev/null </dev/null)
			# shellcheck disable=SC2086
			[ -z "$ids" ] || timeout 60 docker rm -f $ids >/dev/null 2>&1 </dev/null
		fi
		_engine_terminate "$_ENGINE_DOCKERD_PID" 30 dockerd
		_engine_reap_containers
		for p in $(_engine_our_shims); do _engine_terminate "$p" 5 containerd-shim; done
		_engine_terminate "$_ENGINE_CONTAINERD_PID" 20 containerd
		# Shims outlive containerd by design; make sure none of ours is left.
		for p in $(_engine_our_shims); do _engine_terminate "$p" 5 containerd-shim; done
		# Reap the background jobs so bash does not print "Terminated" later.
		wait "$_ENGINE_DOCKERD_PID" "$_ENGINE_CONTAINERD_PID" 2>/dev/null
		_ENGINE_DOCKERD_PID=
		_ENGINE_CONTAINERD_PID=
	fi
	_engine_unmount_all
	# Only once no shim of ours is left to write there.
	if [ -n "${ENGINE_RUNTIME_DIR:-}" ]; then
		rm -rf "$ENGINE_RUNTIME_DIR"
		ENGINE_RUNTIME_DIR=
	fi
	return 0
}

# engine_remove_dir DIR: delete a stopped engine's DIR. rm -rf through a
# leftover bind mount would delete the mount's *source* on the host, so
# refuse if anything is still mounted below DIR.
engine_remove_dir() {
	local d
	[ -n "${1:-}" ] && [ -d "$1" ] || return 0
	d=$(cd "$1" && pwd -P) || return 1
	case "$d" in / | "") _engine_die "refusing to remove '$d'"; return 1 ;; esac
	if awk -v d="$d" '$5 == d || index($5, d "/") == 1 { found = 1 } END { exit !found }' \
		/proc/self/mountinfo; then
		_engine_die "not removing $d: something is still mounted below it"
		return 1
	fi
	rm -rf "$d"
}

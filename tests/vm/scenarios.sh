#!/bin/sh
# The tests that run INSIDE the VM (busybox sh, as a child of /init), on a
# kernel with AppArmor.  Copied to /scenarios.sh by build-initramfs.sh.
#
# Each scenario prints exactly one result line on the console, which
# tests/vm/run.sh parses on the host:
#   VMTEST ok NAME
#   VMTEST FAIL NAME: reason        (followed by "  | " lines of its log)
#   VMTEST skip NAME: reason
# and the script ends with "VMTEST done".  A run without "VMTEST done"
# (crash, hang, timeout) is a failure on the host side.
#
# Layout in the VM (see build-initramfs.sh): /vm/bundle is the template
# bundle, /profiles/apparmor the project's profiles, /confine the
# project's binaries, /etc/confine the policy.
#
# Scenario functions run in a subshell and report through their exit
# code: 0 ok, 77 skip, anything else fail; the reason is the last line
# written with fail/skip.  Checks are explicit (if ...; then fail) because
# "set -e" is not in force inside a subshell used as an if condition.
#
# shellcheck disable=SC2016 # jq filters and in-container scripts are
# single-quoted on purpose: $vars in them belong to jq or the container.
set -eu

export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/confine
W=/run/vmtest               # per-run work area (tmpfs)
RUNC_ROOT=/run/runc
CRUN_ROOT=/run/crun
POLICY=/etc/confine/policy.json
CRUN_POLICY=/etc/confine/policy-crun.json   # the same, with crun as the real runtime
CONFINE=/confine
PROFILES=/profiles/apparmor
AA=/sys/kernel/security/apparmor
mkdir -p "$W/bundles" "$W/logs" "$W/out" /tmp/confine

passed=0 failed=0 skipped=0
seq_id=0
verbose=0
grep -qw 'vmtest.verbose=1' /proc/cmdline && verbose=1
only=$(sed -n 's/.*vmtest\.only=\([^ ]*\).*/\1/p' /proc/cmdline)

# --- reporting -----------------------------------------------------------
fail() { echo "$*" > "$W/reason"; echo "FAIL: $*"; exit 1; }
skip() { echo "$*" > "$W/reason"; exit 77; }
note() { echo "--- $*"; }

scenario() {
	name=$1
	shift
	case $name in "$only"*) ;; *) return 0 ;; esac
	rm -f "$W/reason"
	log=$W/logs/$name.log
	start=$(date +%s)
	rc=0
	( "$@" ) > "$log" 2>&1 || rc=$?
	secs=$(( $(date +%s) - start ))
	reason=$(tail -n 1 "$W/reason" 2>/dev/null || true)
	# vmtest.verbose=1 on the kernel command line (run.sh with
	# CONFINE_VM_VERBOSE=1): every scenario's log goes to the console.
	if [ "$verbose" = 1 ] && { [ "$rc" = 0 ] || [ "$rc" = 77 ]; }; then sed 's/^/  . /' "$log"; fi
	case $rc in
	0)
		echo "VMTEST ok $name (${secs}s)"
		passed=$((passed + 1)) ;;
	77)
		echo "VMTEST skip $name: ${reason:-skipped}"
		skipped=$((skipped + 1)) ;;
	*)
		echo "VMTEST FAIL $name: ${reason:-exit status $rc} (${secs}s)"
		# The log explains the failure; keep it bounded on the console.
		tail -n 40 "$log" | sed 's/^/  | /'
		failed=$((failed + 1)) ;;
	esac
}

# --- helpers -------------------------------------------------------------

# new_bundle NAME: a fresh copy of the template bundle, path in $b.
# Each container gets its own copy so one scenario's edits or writes can
# never leak into the next.  (Helpers set variables instead of printing,
# because a fail inside $(...) would only end the command substitution.)
new_bundle() {
	b=$W/bundles/$1
	rm -rf "$b"
	cp -a /vm/bundle "$b" || fail "cannot copy the template bundle"
}

# edit BUNDLE JQ_FILTER [jq args...]: edit BUNDLE/config.json in place.
edit() {
	eb=$1
	shift
	jq "$@" "$eb/config.json" > "$eb/config.json.new" || fail "jq edit failed: $*"
	mv "$eb/config.json.new" "$eb/config.json"
}

# set_cmd BUNDLE SCRIPT: the container runs "busybox sh -c SCRIPT".  The
# entry point is /bin/busybox (not /bin/sh) so that docker-nginx's
# "deny /bin/sh x" can be tested from inside.
set_cmd() { edit "$1" '.process.args = ["/bin/busybox", "sh", "-c", $s]' --arg s "$2"; }

set_profile() { edit "$1" '.process.apparmorProfile = $p' --arg p "$2"; }
no_profile() { edit "$1" 'del(.process.apparmorProfile)'; }

# add_marker_mount BUNDLE NAME: bind a host dir at /mnt/out in the
# container; the host dir is in $m.  A container command that runs leaves
# files there, so "the command never ran" can be checked from outside.
add_marker_mount() {
	m=$W/out/$2
	rm -rf "$m"
	mkdir -p "$m"
	edit "$1" '.mounts += [{destination: "/mnt/out", type: "bind", source: $s, options: ["rbind", "rw"]}]' --arg s "$m"
}

add_hook() {
	edit "$1" '.hooks.createRuntime = [{path: $h, args: ["confine-hook", "--policy", $p]}]' \
		--arg h "$CONFINE/confine-hook" --arg p "$POLICY"
}

# The seccomp section the confine scenarios use: everything the policy's
# seccomp.must_block lists fails with EPERM, and so do clone3 and clone
# with any CLONE_NEW* flag (seccomp.block_namespace_clone), and mknod and
# mknodat of a character or block device, (mode & S_IFMT) 0020000 or
# 0060000 (seccomp.block_device_nodes), and the calls that take a mode
# with S_ISUID or S_ISGID in it, openat2 and io_uring with ENOSYS, the
# setxattr calls with EOPNOTSUPP (seccomp.block_setid_files, all it can
# name; the rule is off in the VM's policy, see write_policy); the rest is
# allowed.  Built from the policy so it keeps satisfying confine's seccomp
# rule when the list changes.  The clone conditions repeat argument 0, so
# runc adds one rule per flag, OR'd.  They are split 6 + 1 because crun
# reads only the first 6 conditions of a rule (CLONE_NEWNET would leak).
strict_seccomp() {
	edit "$1" '.linux.seccomp = {
		defaultAction: "SCMP_ACT_ALLOW",
		architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		syscalls: ([{names: ($blk + ["clone3"]), action: "SCMP_ACT_ERRNO", errnoRet: 1}]
		  + ([[131072, 33554432, 67108864, 134217728, 268435456, 536870912], [1073741824]]
		     | map({names: ["clone"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
		            args: map({index: 0, value: ., valueTwo: ., op: "SCMP_CMP_MASKED_EQ"})}))
		  + ([["mknod", 1], ["mknodat", 2]] | map(. as [$n, $i] | [8192, 24576]
		     | map({names: [$n], action: "SCMP_ACT_ERRNO", errnoRet: 1,
		            args: [{index: $i, value: 61440, valueTwo: ., op: "SCMP_CMP_MASKED_EQ"}]}))
		     | add)
		  + ([["chmod", 1], ["fchmod", 1], ["fchmodat", 2], ["fchmodat2", 2], ["creat", 1],
		      ["open", 2], ["openat", 3], ["mknod", 1], ["mknodat", 2]] | map(. as [$n, $i] | [2048, 1024]
		     | map({names: [$n], action: "SCMP_ACT_ERRNO", errnoRet: 1,
		            args: [{index: $i, value: ., valueTwo: ., op: "SCMP_CMP_MASKED_EQ"}]}))
		     | add)
		  + [{names: ["openat2", "io_uring_setup", "io_uring_enter", "io_uring_register"],
		      action: "SCMP_ACT_ERRNO", errnoRet: 38},
		     {names: ["setxattr", "lsetxattr", "fsetxattr"], action: "SCMP_ACT_ERRNO", errnoRet: 95}])}' \
		--argjson blk "$(jq -c '.seccomp.must_block // ["mount","keyctl"]' "$POLICY")"
}

# run_with RUNNER BUNDLE: run the container to completion with a time
# limit; stdout in $W/last.out, stderr in $W/last.err, exit code in $rc.
# RUNNER is "runc" or "crun" (the runtime alone), "shim" (the shim in
# front of runc) or "shim-crun" (in front of crun).  The state is deleted afterwards so a
# refused or failed container leaves nothing behind.
run_with() {
	# Unique per run: the counter lives in this scenario's subshell, so
	# the scenario name keeps ids distinct across scenarios.
	seq_id=$((seq_id + 1))
	id=$name-$seq_id
	case $1 in
	runc) set -- timeout 60 runc --root "$RUNC_ROOT" run --no-pivot -b "$2" "$id" ;;
	shim) set -- env CONFINE_POLICY="$POLICY" timeout 60 "$CONFINE/confine-runtime" \
		--root "$RUNC_ROOT" run --no-pivot -b "$2" "$id" ;;
	crun) set -- timeout 60 crun --root "$CRUN_ROOT" run --no-pivot -b "$2" "$id" ;;
	shim-crun) set -- env CONFINE_POLICY="$CRUN_POLICY" timeout 60 "$CONFINE/confine-runtime" \
		--root "$CRUN_ROOT" run --no-pivot -b "$2" "$id" ;;
	*) fail "run_with: unknown runner $1" ;;
	esac
	note "run: $*"
	rc=0
	"$@" > "$W/last.out" 2> "$W/last.err" || rc=$?
	case $1 in
	*crun*) crun --root "$CRUN_ROOT" delete -f "$id" >/dev/null 2>&1 || true ;;
	*) runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1 || true ;;
	esac
	note "exit $rc; stdout:"
	cat "$W/last.out"
	note "stderr:"
	cat "$W/last.err"
	if [ -s /tmp/confine/decisions.log ]; then
		note "decision log (tail):"
		tail -n 5 /tmp/confine/decisions.log
	fi
}

# profile_mode NAME: "enforce", "complain", ... or "" when not loaded.
profile_mode() {
	sed -n "s/^$1 (\(.*\))\$/\1/p" "$AA/profiles"
}

load_profile() {   # load (or replace) in enforce mode
	apparmor_parser -r -K "$PROFILES/$1" || fail "apparmor_parser -r $1 failed"
	[ "$(profile_mode "$1")" = enforce ] || fail "$1 not in enforce mode after load"
}
complain_profile() {
	apparmor_parser -C -r -K "$PROFILES/$1" || fail "apparmor_parser -C -r $1 failed"
	[ "$(profile_mode "$1")" = complain ] || fail "$1 not in complain mode"
}
unload_profile() {
	if [ -n "$(profile_mode "$1")" ]; then
		apparmor_parser -R -K "$PROFILES/$1" || fail "apparmor_parser -R $1 failed"
	fi
	[ -z "$(profile_mode "$1")" ] || fail "$1 still loaded after -R"
}

# The probe every "confined container" scenario runs inside: prints what
# the kernel says about the process and tries a write confine-default
# denies.  Marker first, so a container that ran at all is visible.
PROBE='[ -d /mnt/out ] && touch /mnt/out/ran
echo "ATTR=$(cat /proc/self/attr/current)"
grep "^Seccomp:" /proc/self/status
if echo h 2>/dev/null > /proc/sysrq-trigger; then echo "SYSRQ=written"
else echo "SYSRQ=denied"; echo h > /proc/sysrq-trigger; fi
if cat /proc/kcore > /dev/null; then echo "KCORE=read"; else echo "KCORE=denied"; fi
if echo x > /tmp/allowed; then echo "TMPWRITE=ok"; fi
echo PROBE-END'

# check_confined PROFILE: the probe output in $W/last.out (and $W/last.err)
# shows a process confined by PROFILE in enforce mode, under seccomp
# filter mode, whose forbidden write was refused by AppArmor (EACCES;
# EROFS would mean something else refused it).
check_confined() {
	[ "$rc" -eq 0 ] || fail "container exited $rc: $(head -n 1 "$W/last.err")"
	grep -q '^PROBE-END$' "$W/last.out" || fail "probe did not finish"
	grep -qx "ATTR=$1 (enforce)" "$W/last.out" ||
		fail "attr/current is '$(sed -n 's/^ATTR=//p' "$W/last.out")', want '$1 (enforce)'"
	grep -Eq '^Seccomp:[[:space:]]+2$' "$W/last.out" ||
		fail "not in seccomp filter mode: $(grep '^Seccomp:' "$W/last.out")"
	grep -qx 'SYSRQ=denied' "$W/last.out" || fail "write to /proc/sysrq-trigger was not denied"
	grep -q 'sysrq-trigger: Permission denied' "$W/last.out" "$W/last.err" ||
		fail "sysrq-trigger write failed, but not with EACCES (AppArmor)"
	grep -qx 'KCORE=denied' "$W/last.out" || fail "read of /proc/kcore was not denied"
	grep -qx 'TMPWRITE=ok' "$W/last.out" || fail "an allowed write (/tmp) failed: profile too broad"
}

# confine denials on real AppArmor records: a running container under
# confine-default whose init (a shell that then execs sleep, same pid)
# asks to change profile at its next exec, which the profile does not
# allow. (Its explicit `deny` rules, like Docker's, are not logged: only
# what no rule allows is.) The kernel logs apparmor="DENIED", and
# `confine denials` attributes it to that container, with the profile and
# the operation. Under the profile in complain mode it is ALLOWED, and the
# hint says so.
denial_of() {   # denial_of MODE: sets $id, $json
	seq_id=$((seq_id + 1))
	id=$name-$seq_id
	new_bundle "$id"
	set_profile "$b" confine-default
	set_cmd "$b" 'echo -n "exec unconfined" > /proc/$$/attr/exec; exec sleep 60'
	note "runc run -d $id ($1)"
	timeout 30 runc --root "$RUNC_ROOT" run -d --no-pivot -b "$b" "$id" </dev/null >"$W/last.out" 2>&1 ||
		fail "runc run -d failed: $(head -n 1 "$W/last.out")"
	i=0
	while [ $i -lt 50 ] && ! dmesg | grep -q 'apparmor="[A-Z]*" operation="change_onexec"'; do
		sleep 0.1; i=$((i + 1))
	done
	note "kernel log:"
	dmesg | grep 'apparmor=' | tail -n 3
	json=$("$CONFINE/confine" denials --json --all 2>"$W/denials.err") || fail "confine denials failed: $(cat "$W/denials.err")"
	note "confine denials --all:"
	echo "$json" | jq -c '.[] | select(.kind == "apparmor")' | tail -n 3
	runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1 || true
}
s_denials_apparmor() {
	[ -x "$CONFINE/confine" ] || fail "no $CONFINE/confine in the image"
	load_profile confine-default
	denial_of enforce
	got=$(echo "$json" | jq -r --arg id "$id" '[.[] | select(.container == $id and .kind == "apparmor")][0]
		| "\(.outcome) \(.profile) \(.operation)"')
	[ "$got" = "DENIED confine-default change_onexec" ] ||
		fail "want the denial attributed to $id, got '$got'"
	complain_profile confine-default
	denial_of complain
	load_profile confine-default
	got=$(echo "$json" | jq -r --arg id "$id" '[.[] | select(.container == $id and .kind == "apparmor")][0]
		| "\(.outcome) \(.hint)"')
	case $got in
	"ALLOWED profile \`confine-default\` is in complain mode"*) ;;
	*) fail "want ALLOWED with the complain-mode hint for $id, got '$got'" ;;
	esac
}

# build-initramfs.sh refuses to build without the binaries; these only
# turn a broken image into a clear failure.
have_hook() { [ -x "$CONFINE/confine-hook" ] || fail "binary missing: confine-hook"; }
have_shim() {
	[ -x "$CONFINE/confine-runtime" ] || fail "binary missing: confine-runtime"
	# The shim injects the hook (inject.hook), so it needs that too.
	have_hook
}
have_policy() { [ -f "$POLICY" ] || fail "config/policy.json missing"; }

# --- the VM's confine policy ---------------------------------------------
# config/policy.json with the VM's paths: securityfs where init mounted
# it, the real runc, the hook in /confine, the default profiles, and the
# decision log in /tmp.  Its rules are kept as shipped (a runc-spec bundle
# with strict_seccomp satisfies them: namespaces pid/ipc/network/mount,
# maskedPaths /proc/kcore,/proc/keys,/sys/firmware, runc spec's three
# capabilities, no sensitive mounts) but for three: the bundle leaves
# /proc/sysrq-trigger writable so that AppArmor's deny of it is what the
# test sees, so the policy does not require it read-only; the VM's root
# is the initramfs, where pivot_root cannot work, so every runtime here
# runs with --no-pivot and the policy allows it (rules.no_pivot off); and
# seccomp.block_setid_files is off: the strict filter allows by default,
# so it cannot deny setxattrat (a name libseccomp 2.5.4 lacks), which the
# rule requires beside the marker mounts under either seccomp.setid_scope
# (found-78 and found-82 judge the rule with real runc on the host).
write_policy() {
	[ -f /etc/confine/policy.base.json ] || return 0
	seccomp_file=/etc/confine/profiles/seccomp/default.json
	jq --arg rt "$(command -v runc)" --arg sc "$seccomp_file" '
		  .securityfs = "/sys/kernel/security"
		| .runtime = $rt
		| .hook_path = "/confine/confine-hook"
		| .decision_log = "/tmp/confine/decisions.log"
		| .cache_dir = "/run/confine"
		| .apparmor.default_profile = "confine-default"
		| .seccomp.default_profile = $sc
		| .masked_paths.readonly_required -= ["/proc/sysrq-trigger"]
		| .rules.no_pivot = "off"
		| .seccomp.block_setid_files = false' \
		/etc/confine/policy.base.json > "$POLICY"
	# The shim in front of crun injects no hook: at createRuntime the
	# hook's live mounts check sees crun 1.8.1's /sys read-write (observed
	# here, with "ro" in the spec) and refuses every crun container; an
	# open problem (crun-bpf-data-refused still runs the hook under crun).
	if command -v crun >/dev/null 2>&1; then
		jq --arg rt "$(command -v crun)" '.runtime = $rt | .inject.hook = false' "$POLICY" > "$CRUN_POLICY"
	fi
}

# =========================================================================
# Scenarios
# =========================================================================

# The kernel really has AppArmor on; without this every other result is
# meaningless.
s_kernel_apparmor() {
	[ -d "$AA" ] || fail "$AA missing: AppArmor not active (securityfs mounted?)"
	[ "$(cat /sys/module/apparmor/parameters/enabled)" = Y ] || fail "apparmor.enabled is not Y"
	grep -qw apparmor /sys/kernel/security/lsm || fail "apparmor not in /sys/kernel/security/lsm"
	cat /sys/kernel/security/lsm; echo
}

# (6) Every shipped profile compiles and loads in enforce mode.
s_shipped_profiles_load() {
	n=0
	for f in "$PROFILES"/*; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		apparmor_parser -QK "$f" || fail "$name does not compile"
		load_profile "$name"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || fail "no profiles in $PROFILES"
	cat "$AA/profiles"
}

# (a) confine-default confines a plain runc container.
s_runc_confine_default() {
	load_profile confine-default
	new_bundle runc-default
	set_profile "$b" confine-default
	set_cmd "$b" "$PROBE"
	run_with runc "$b"
	check_confined confine-default
}

# Control for the scenario above: the same probe with no profile is NOT
# denied, so the denials seen there come from the profile.
s_runc_unconfined_control() {
	new_bundle runc-control
	no_profile "$b"
	set_cmd "$b" "$PROBE"
	run_with runc "$b"
	[ "$rc" -eq 0 ] || fail "container exited $rc"
	grep -qx 'ATTR=unconfined' "$W/last.out" || fail "expected unconfined, got $(grep ATTR= "$W/last.out")"
	grep -qx 'SYSRQ=written' "$W/last.out" || fail "unconfined write to sysrq-trigger failed: the confined test proves nothing"
	grep -qx 'KCORE=read' "$W/last.out" || fail "unconfined read of masked /proc/kcore failed"
}

# Plain runc with a profile that is not loaded refuses on its own (this is
# what runc says; confine's hook must say it earlier and clearer).
s_runc_profile_missing() {
	load_profile confine-default
	unload_profile confine-default
	new_bundle runc-missing
	set_profile "$b" confine-default
	add_marker_mount "$b" runc-missing
	set_cmd "$b" 'touch /mnt/out/ran'
	run_with runc "$b"
	load_profile confine-default
	[ "$rc" -ne 0 ] || fail "runc ran a container whose profile is not loaded"
	[ ! -e "$m/ran" ] || fail "container command ran"
	grep -q 'attr/apparmor/exec' "$W/last.err" || fail "unexpected runc error: $(head -n 1 "$W/last.err")"
}

# (b) docker-nginx: writes below /etc and exec of /bin/sh are denied, while
# an allowed write (/var/run/nginx.pid) and another exec work, so the
# denials are the profile's doing and not a broken container.
s_runc_docker_nginx() {
	load_profile docker-nginx
	new_bundle runc-nginx
	set_profile "$b" docker-nginx
	set_cmd "$b" 'echo "ATTR=$(cat /proc/self/attr/current)"
if echo x > /etc/planted; then echo ETC=written; else echo ETC=denied; fi
if echo 1 > /var/run/nginx.pid; then echo PID=written; else echo PID=denied; fi
if /bin/busybox true; then echo EXEC=ok; else echo EXEC=denied; fi
if /bin/sh -c "echo SHELL-RAN"; then echo SH=ran; else echo SH=denied; fi
if /bin/dash -c "echo SHELL-RAN"; then echo DASH=ran; else echo DASH=denied; fi
echo PROBE-END'
	run_with runc "$b"
	[ "$rc" -eq 0 ] || fail "container exited $rc"
	grep -q '^PROBE-END$' "$W/last.out" || fail "probe did not finish"
	grep -qx 'ATTR=docker-nginx (enforce)' "$W/last.out" || fail "not confined by docker-nginx (enforce)"
	grep -qx 'ETC=denied' "$W/last.out" || fail "write to /etc/planted was not denied"
	grep -q '/etc/planted: Permission denied' "$W/last.out" "$W/last.err" || fail "/etc write failed but not with EACCES"
	[ ! -e "$b/rootfs/etc/planted" ] || fail "/etc/planted exists in the rootfs"
	grep -qx 'PID=written' "$W/last.out" || fail "allowed write to /var/run/nginx.pid failed"
	grep -qx 'EXEC=ok' "$W/last.out" || fail "allowed exec of /bin/busybox failed"
	grep -qx 'SH=denied' "$W/last.out" || fail "exec of /bin/sh was not denied"
	grep -qx 'DASH=denied' "$W/last.out" || fail "exec of /bin/dash was not denied"
	! grep -q 'SHELL-RAN' "$W/last.out" || fail "a shell ran"
}

# --- confine (need the project's binaries) -------------------------------

# (1) loaded + enforcing: the hook lets the container run, and it runs
# confined (the marker proves the command ran).
s_hook_enforce_runs() {
	have_hook; have_policy
	load_profile confine-default
	new_bundle hook-enforce
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_hook "$b"
	add_marker_mount "$b" hook-enforce
	set_cmd "$b" "$PROBE"
	run_with runc "$b"
	check_confined confine-default
	[ -e "$m/ran" ] || fail "marker missing although the container ran"
}

s_shim_enforce_runs() {
	have_shim; have_policy
	load_profile confine-default
	new_bundle shim-enforce
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" shim-enforce
	set_cmd "$b" "$PROBE"
	run_with shim "$b"
	check_confined confine-default
	[ -e "$m/ran" ] || fail "marker missing although the container ran"
}

# expect_refused WHAT MARKER_DIR: the run in $W/last.* was refused by
# confine's AppArmor rule, and the container command never ran.
expect_refused() {
	[ "$rc" -ne 0 ] || fail "$1: container was not refused"
	[ ! -e "$2/ran" ] || fail "$1: refused, but the container command ran"
	grep -q 'confine: refused: apparmor' "$W/last.err" ||
		fail "$1: no 'confine: refused: apparmor' reason; stderr: $(head -n 1 "$W/last.err")"
}

# (2) complain mode: a profile that only logs is no confinement.
s_hook_complain_refused() {
	have_hook; have_policy
	complain_profile confine-default
	new_bundle hook-complain
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_hook "$b"
	add_marker_mount "$b" hook-complain
	set_cmd "$b" 'touch /mnt/out/ran'
	run_with runc "$b"
	load_profile confine-default
	expect_refused "complain mode" "$m"
}

s_shim_complain_refused() {
	have_shim; have_policy
	complain_profile confine-default
	new_bundle shim-complain
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" shim-complain
	set_cmd "$b" 'touch /mnt/out/ran'
	run_with shim "$b"
	load_profile confine-default
	expect_refused "complain mode via shim" "$m"
}

# (3) the named profile is not loaded at all.
s_hook_not_loaded_refused() {
	have_hook; have_policy
	unload_profile confine-default
	new_bundle hook-notloaded
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_hook "$b"
	add_marker_mount "$b" hook-notloaded
	set_cmd "$b" 'touch /mnt/out/ran'
	run_with runc "$b"
	load_profile confine-default
	expect_refused "profile not loaded" "$m"
}

# (4) no profile, and the explicit "unconfined", with the hook alone (no
# shim to inject one): both refused.
s_hook_unconfined_refused() {
	have_hook; have_policy
	load_profile confine-default
	for variant in none unconfined; do
		new_bundle "hook-unconfined-$variant"
		if [ "$variant" = none ]; then no_profile "$b"; else set_profile "$b" unconfined; fi
		strict_seccomp "$b"
		add_hook "$b"
		add_marker_mount "$b" "hook-unconfined-$variant"
		set_cmd "$b" 'touch /mnt/out/ran'
		run_with runc "$b"
		expect_refused "apparmorProfile=$variant" "$m"
	done
}

# (5) injection: the spec names no AppArmor profile and has no seccomp
# section; the shim adds the policy's defaults and the container runs
# confined by them.
s_shim_injects_default() {
	have_shim; have_policy
	[ -f /etc/confine/profiles/seccomp/default.json ] || fail "profiles/seccomp/default.json missing"
	load_profile confine-default
	new_bundle shim-inject
	no_profile "$b"
	edit "$b" 'del(.linux.seccomp)'
	add_marker_mount "$b" shim-inject
	set_cmd "$b" "$PROBE"
	run_with shim "$b"
	check_confined confine-default
	[ -e "$m/ran" ] || fail "marker missing although the container ran"
}

# (7) After start.  runc 1.1 runs poststart during `create`, while the
# init is still runc's (checked on the host: comm runc:[2:INIT], no
# AppArmor label yet), so the shim verifies around `start`: it runs the
# real start as a child, waits for the init's execve, and reads the
# label and mode from /proc/<pid>/attr/current and Seccomp: from status.

# shim_create_start BUNDLE: create, then start, both through the shim, as
# containerd does (--log, --pid-file); exit codes in $rc_create and
# $rc_start, stderr in $W/create.err and $W/start.err.  BETWEEN, when set,
# is run between the two.
shim_create_start() {
	seq_id=$((seq_id + 1))
	id=$name-$seq_id
	rm -f "$W/runc.log"
	set -- env CONFINE_POLICY="$POLICY" timeout 60 "$CONFINE/confine-runtime" \
		--root "$RUNC_ROOT" --log "$W/runc.log" --log-format json
	note "create: $* create --no-pivot --pid-file $W/$id.pid -b $b $id"
	rc_create=0
	"$@" create --no-pivot --pid-file "$W/$id.pid" -b "$b" "$id" \
		</dev/null > "$W/create.out" 2> "$W/create.err" || rc_create=$?
	note "create exit $rc_create; stderr:"; cat "$W/create.err"
	[ "$rc_create" -eq 0 ] || fail "create through the shim failed ($rc_create): $(head -n 1 "$W/create.err")"
	[ "$(runc --root "$RUNC_ROOT" state "$id" | jq -r .status)" = created ] || fail "container not in created state"
	if [ -n "${BETWEEN:-}" ]; then note "between create and start: $BETWEEN"; eval "$BETWEEN"; fi
	rc_start=0
	"$@" start "$id" </dev/null > "$W/start.out" 2> "$W/start.err" || rc_start=$?
	note "start exit $rc_start; stderr:"; cat "$W/start.err"
	note "runc --log:"; cat "$W/runc.log" 2>/dev/null || true
	note "decision log (start):"; grep '"action":"start"' /tmp/confine/decisions.log | tail -n 1
}

# wait_stopped ID: stopped (or gone) within 5 s.
wait_stopped() {
	i=0
	while [ $i -lt 50 ]; do
		st=$(runc --root "$RUNC_ROOT" state "$1" 2>/dev/null | jq -r .status)
		[ -z "$st" ] || [ "$st" = stopped ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

last_start_decision() { grep '"action":"start"' /tmp/confine/decisions.log | tail -n 1; }

# The shim's check after start sees the profile the kernel applied, in
# enforce mode, and seccomp filter mode, and lets the container run.
s_shim_start_verified() {
	have_shim; have_policy
	load_profile confine-default
	new_bundle shim-start-ok
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" shim-start-ok
	set_cmd "$b" 'cat /proc/self/attr/current > /mnt/out/attr; exec sleep 600'
	BETWEEN='' shim_create_start
	pid=$(cat "$W/$id.pid")
	st=$(runc --root "$RUNC_ROOT" state "$id" | jq -r .status)
	line=$(last_start_decision)
	runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	[ "$rc_start" -eq 0 ] || fail "start through the shim exited $rc_start: $(head -n 1 "$W/start.err")"
	[ "$st" = running ] || fail "container is $st after start, want running"
	echo "$line" | jq -e --arg id "$id" --arg f "after start, pid $pid runs as \`confine-default (enforce)\`" \
		'.id == $id and .verdict == "allow" and .rules.apparmor.result == "pass"
		 and .rules.apparmor.fact == $f and .rules.seccomp.result == "pass"' >/dev/null ||
		fail "no start decision with apparmor pass for pid $pid: $line"
	grep -qx 'confine-default (enforce)' "$m/attr" || fail "container saw $(cat "$m/attr" 2>&1)"
}

# Proof by making the applied label differ from the judged one: create
# through the shim with confine-default in enforce mode (the shim sees
# enforce and allows, and checks the created init), then, before start, replace
# the loaded profile by the same profile in complain mode
# (apparmor_parser -C -r).  The kernel then really applies
# "confine-default (complain)" at the init's execve, which is not what
# was judged, so the shim must kill the container and say why.
s_shim_start_label_differs() {
	have_shim; have_policy
	load_profile confine-default
	new_bundle shim-start-differs
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" shim-start-differs
	set_cmd "$b" 'cat /proc/self/attr/current > /mnt/out/attr; sleep 3; touch /mnt/out/survived; exec sleep 600'
	BETWEEN='complain_profile confine-default' shim_create_start
	pid=$(cat "$W/$id.pid")
	stopped=0
	wait_stopped "$id" && stopped=1
	line=$(last_start_decision)
	create_line=$(grep '"component":"shim","action":"create"' /tmp/confine/decisions.log | grep "\"id\":\"$id\"" | tail -n 1)
	runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	load_profile confine-default
	note "the container saw: $(cat "$m/attr" 2>&1)"
	echo "$create_line" | jq -e '.verdict == "allow"' >/dev/null ||
		fail "the shim at create did not allow (it saw enforce mode): $create_line"
	[ "$rc_start" -ne 0 ] || fail "start through the shim exited 0: the mismatch was not caught"
	grep -q "^confine: refused: apparmor: after start, pid $pid runs under \`confine-default\` in complain mode.*; the container was killed\$" "$W/start.err" ||
		fail "no refusal reason on stderr: $(head -n 1 "$W/start.err")"
	[ "$stopped" = 1 ] || fail "container still running after the refusal"
	[ ! -e "$m/survived" ] || fail "the container's command ran on: it was not killed"
	echo "$line" | jq -e --arg id "$id" '.id == $id and .verdict == "refuse"
		and .rules.apparmor.result == "fail"
		and (.rules.apparmor.fact | contains("complain mode"))' >/dev/null ||
		fail "no start refusal in the decision log: $line"
	tail -n 1 "$W/runc.log" | jq -e '.level == "error" and (.msg | contains("complain mode"))' >/dev/null ||
		fail "no runc-style error line in --log: $(tail -n 1 "$W/runc.log")"
}


# --- a container in another's pid namespace (gap 1 of the check) ----------
# With `docker run --pid container:X`, a pod's shareProcessNamespace or a
# spec joining a pid namespace path, the container's init can fork and
# exit at once: what it forked runs on, and the init is gone before the
# shim reads its label. With a runc lacking the CVE-2025-52881 fix the
# image can make runc's write of the exec label miss, so such a child runs
# unconfined. Here the applied label differs as in shim-start-label-differs
# (the profile put in complain mode between create and start: the kernel
# applies `confine-default (complain)`, which does not confine), and the
# runtime behind the shim is runc with a start that returns 1 s late (a
# loaded host), so the init is surely gone when the shim looks.

# shared_holder: a container of runc alone running sleep; its init in $hpid.
shared_holder() {
	new_bundle "$name-holder"
	set_cmd "$b" 'exec sleep 600'
	hid=$name-holder
	runc --root "$RUNC_ROOT" create --no-pivot --pid-file "$W/$hid.pid" -b "$b" "$hid" \
		</dev/null >/dev/null 2>&1 || fail "the holder container was not created"
	runc --root "$RUNC_ROOT" start "$hid" || fail "the holder container did not start"
	hpid=$(cat "$W/$hid.pid")
}

# shared_child: a bundle in $b under confine-default and the strict filter
# that joins the holder's pid namespace; its init starts a child that
# leaves marks in $m (attr, then `survived` after 3 s) and exits at once.
# The shim runs runc through a wrapper whose start returns 1 s late.
shared_child() {
	new_bundle "$name"
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" "$name"
	edit "$b" '(.linux.namespaces[] | select(.type == "pid")) |= (.path = $p)' \
		--arg p "/proc/$hpid/ns/pid"
	set_cmd "$b" '(cat /proc/self/attr/current > /mnt/out/attr; sleep 3; touch /mnt/out/survived; exec sleep 600) </dev/null >/dev/null 2>&1 & exit 0'
	real=$(command -v runc)
	printf '#!/bin/sh\ncase " $* " in\n*" start "*) %s "$@"; rc=$?; sleep 1; exit $rc ;;\nesac\nexec %s "$@"\n' \
		"$real" "$real" > "$W/late-runc"
	chmod 0755 "$W/late-runc"
	jq --arg rt "$W/late-runc" '.runtime = $rt' /etc/confine/policy.json > "$W/policy-late.json"
	POLICY=$W/policy-late.json
}

shared_cleanup() {
	runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	runc --root "$RUNC_ROOT" delete -f "$hid" >/dev/null 2>&1
}

# Control: the child carries the judged label; the shim judges it (the
# init is gone) and lets it run.
s_shim_start_shared_pid_ok() {
	have_shim; have_policy
	enforcing_default
	shared_holder
	shared_child
	BETWEEN='' shim_create_start
	pid=$(cat "$W/$id.pid")
	line=$(last_start_decision)
	sleep 4
	survived=0
	[ -e "$m/survived" ] && survived=1
	shared_cleanup
	[ "$rc_start" -eq 0 ] || fail "start through the shim exited $rc_start: $(head -n 1 "$W/start.err")"
	grep -qx 'confine-default (enforce)' "$m/attr" || fail "the child saw $(cat "$m/attr" 2>&1)"
	[ "$survived" = 1 ] || fail "the child did not run on"
	echo "$line" | jq -e --arg id "$id" --arg init "pid $pid " '.id == $id and .verdict == "allow"
		and .rules.apparmor.result == "pass"
		and (.rules.apparmor.fact | test("after start, pid [0-9]+ runs as `confine-default \\(enforce\\)`"))
		and (.rules.apparmor.fact | contains($init) | not)' >/dev/null ||
		fail "no start decision that passed the child (not the init, pid $pid): $line"
}

# The child runs in complain mode while its init is gone: before, nothing
# was judged and start exited 0; now the child is refused and killed.
s_shim_start_shared_pid_differs() {
	have_shim; have_policy
	enforcing_default
	shared_holder
	shared_child
	BETWEEN='complain_profile confine-default' shim_create_start
	pid=$(cat "$W/$id.pid")
	line=$(last_start_decision)
	sleep 4
	holder=$(runc --root "$RUNC_ROOT" state "$hid" | jq -r .status)
	shared_cleanup
	load_profile confine-default
	note "the child saw: $(cat "$m/attr" 2>&1)"
	[ "$rc_start" -ne 0 ] || fail "start through the shim exited 0: the child in complain mode was not judged"
	grep -q "^confine: refused: apparmor: after start, pid [0-9]* runs under \`confine-default\` in complain mode.*; the container was killed\$" "$W/start.err" ||
		fail "no refusal reason on stderr: $(head -n 1 "$W/start.err")"
	grep -q "after start, pid $pid runs" "$W/start.err" && fail "the init (pid $pid) was judged: it should have been gone"
	[ ! -e "$m/survived" ] || fail "the child ran on: it was not killed"
	[ "$holder" = running ] || fail "the holder is $holder: the kill reached another container"
	echo "$line" | jq -e --arg id "$id" '.id == $id and .verdict == "refuse"
		and (.rules.apparmor.fact | contains("complain mode"))' >/dev/null ||
		fail "no start refusal in the decision log: $line"
}

# --- after a detached exec (gap 2 of the check) ---------------------------
# containerd and conmon run execs as `exec --detach --pid-file F`. The
# shim judges the process file, runs runc, and then checks the label the
# exec'd process (and every thread of the container) really carries. The
# lie: a wrapper in runc's place (as runc without the CVE-2025-52881 fix
# is for a malicious image) runs the process with `apparmorProfile`
# `unconfined` instead of the judged confine-default; the command forks
# and exits at once, so either it or what it forked is what the shim reads.

# exec_container: a container running sleep under confine-default, created
# and started through the shim ($id); the process file $W/$name.json runs
# EXEC_CMD under confine-default.
exec_container() {
	new_bundle "$name"
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" "$name"
	set_cmd "$b" 'exec sleep 600'
	BETWEEN='' shim_create_start
	[ "$rc_start" -eq 0 ] || fail "the container did not start: $(head -n 1 "$W/start.err")"
	jq --arg c '(cat /proc/self/attr/current >> /mnt/out/exec-attr; sleep 3; touch /mnt/out/exec-survived; exec sleep 600) </dev/null >/dev/null 2>&1 & exit 0' \
		'.process | .args = ["/bin/busybox", "sh", "-c", $c] | .apparmorProfile = "confine-default"' \
		"$b/config.json" > "$W/$name.json"
}

# shim_exec POLICY: the detached exec through the shim; exit code in $rc_exec.
shim_exec() {
	rc_exec=0
	env CONFINE_POLICY="$1" timeout 60 "$CONFINE/confine-runtime" --root "$RUNC_ROOT" \
		--log "$W/runc.log" --log-format json exec --process "$W/$name.json" --detach \
		--pid-file "$W/$name.pid" "$id" </dev/null > "$W/exec.out" 2> "$W/exec.err" || rc_exec=$?
	note "exec exit $rc_exec; stderr:"; cat "$W/exec.err"
	note "decision log (exec):"; grep '"action":"exec"' /tmp/confine/decisions.log | tail -n 2
}

s_shim_exec_verified() {
	have_shim; have_policy
	enforcing_default
	exec_container
	shim_exec "$POLICY"
	sleep 4
	st=$(runc --root "$RUNC_ROOT" state "$id" | jq -r .status)
	line=$(grep '"action":"exec"' /tmp/confine/decisions.log | grep "\"id\":\"$id\"" | tail -n 1)
	runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	[ "$rc_exec" -eq 0 ] || fail "exec through the shim exited $rc_exec: $(head -n 1 "$W/exec.err")"
	# Once: the shim that checks the exec runs it once, not again after.
	[ "$(cat "$m/exec-attr")" = 'confine-default (enforce)' ] || fail "the exec'd process saw (one line a run) $(cat "$m/exec-attr" 2>&1)"
	[ -e "$m/exec-survived" ] || fail "the exec'd process did not run on"
	[ "$st" = running ] || fail "container is $st after the exec, want running"
	echo "$line" | jq -e --arg id "$id" '.id == $id and .verdict == "allow"
		and (.rules.apparmor.fact | test("^after exec, pid [0-9]+ runs as `confine-default \\(enforce\\)`$"))
		and .rules.seccomp.result == "pass"' >/dev/null ||
		fail "no after-exec decision that passed the label: $line"
}

s_shim_exec_label_differs() {
	have_shim; have_policy
	enforcing_default
	exec_container
	real=$(command -v runc)
	cat > "$W/lying-runc" <<-EOF
	#!/bin/sh
	# runc, but an exec's process runs unconfined, whatever was judged.
	for a; do
	  shift
	  if [ "\${prev:-}" = --process ]; then
	    jq '.apparmorProfile = "unconfined"' "\$a" > $W/lie.json
	    a=$W/lie.json
	  fi
	  prev=\$a
	  set -- "\$@" "\$a"
	done
	exec $real "\$@"
	EOF
	chmod 0755 "$W/lying-runc"
	jq --arg rt "$W/lying-runc" '.runtime = $rt' /etc/confine/policy.json > "$W/policy-lying.json"
	shim_exec "$W/policy-lying.json"
	stopped=0
	wait_stopped "$id" && stopped=1
	sleep 4
	line=$(grep '"action":"exec"' /tmp/confine/decisions.log | grep "\"id\":\"$id\"" | tail -n 1)
	runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1
	note "the exec'd process saw: $(cat "$m/exec-attr" 2>&1)"
	grep -qx 'unconfined' "$m/exec-attr" || fail "the lie did not work: the exec'd process saw $(cat "$m/exec-attr" 2>&1)"
	[ "$rc_exec" -ne 0 ] || fail "exec through the shim exited 0: the unconfined process was not caught"
	grep -q "^confine: refused: apparmor: after exec, pid [0-9]* runs as \`unconfined\`, not under profile \`confine-default\`.*; the container was killed\$" "$W/exec.err" ||
		fail "no refusal reason on stderr: $(head -n 1 "$W/exec.err")"
	[ "$stopped" = 1 ] || fail "container still running after the refusal"
	[ ! -e "$m/exec-survived" ] || fail "the exec'd command ran on: it was not killed"
	echo "$line" | jq -e --arg id "$id" '.id == $id and .verdict == "refuse"
		and (.rules.apparmor.fact | contains("unconfined"))' >/dev/null ||
		fail "no after-exec refusal in the decision log: $line"
}

# --- crun (issue 10 item 5) ----------------------------------------------
# crun reads annotations runc ignores; the gate judges them for every
# container.  Each refusal is paired with a control that runs the same
# bundle with crun alone, so it is proven that crun really honours what
# the gate refuses.

have_crun() { command -v crun >/dev/null 2>&1 || skip "crun is not in the image (tests/vm/fetch-crun.sh found none)"; }
# apparmor_parser is slow under TCG: load confine-default only when it is
# not already loaded in enforce mode.
enforcing_default() { [ "$(profile_mode confine-default)" = enforce ] || load_profile confine-default; }

# A seccomp program that allows every call: one `ret SECCOMP_RET_ALLOW`
# (struct sock_filter {0x06, 0, 0, 0x7fff0000}, little-endian), base64.
ALLOW_ALL_BPF=BgAAAAAA/38=

# The strict filter plus mkdir: what the bundle's own linux.seccomp says.
# A probe that prints whether mkdir got through shows which filter crun
# loaded.
mkdir_blocked_seccomp() {
	strict_seccomp "$1"
	edit "$1" '.linux.seccomp.syscalls += [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]'
}
MKDIR_PROBE='[ -d /mnt/out ] && touch /mnt/out/ran
grep "^Seccomp:" /proc/self/status
if mkdir /tmp/probe-dir 2>/dev/null; then echo MKDIR=ok; else echo MKDIR=blocked; fi'

# expect_gate_refused WHAT MARKER_DIR REASON: the run in $W/last.* was
# refused with REASON on stderr, and the container command never ran.
expect_gate_refused() {
	[ "$rc" -ne 0 ] || fail "$1: container was not refused"
	[ ! -e "$2/ran" ] || fail "$1: refused, but the container command ran"
	grep -qF "$3" "$W/last.err" || fail "$1: no '$3' on stderr: $(head -n 1 "$W/last.err")"
}

# The gate in front of crun: a confined container runs, and the decision
# log shows the crun rule judged it.
s_crun_shim_runs() {
	have_crun; have_shim; have_policy
	enforcing_default
	new_bundle crun-shim
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" crun-shim
	set_cmd "$b" "$PROBE"
	run_with shim-crun "$b"
	check_confined confine-default
	[ -e "$m/ran" ] || fail "marker missing although the container ran"
	grep "\"id\":\"$id\"" /tmp/confine/decisions.log | grep '"component":"shim"' | tail -n 1 |
		jq -e '.verdict == "allow" and .rules.crun.result == "pass"' >/dev/null ||
		fail "no shim decision allowing $id with the crun rule passed"
}

# run.oci.seccomp_bpf_data: crun alone loads the annotation's program
# instead of linux.seccomp (mkdir, which linux.seccomp blocks, gets
# through; without the annotation it does not).  Through the shim, and
# through the hook run by crun itself (Podman's hooks.d path), the same
# bundle is refused and its command never runs.
s_crun_bpf_data_refused() {
	have_crun; have_shim; have_policy
	enforcing_default
	new_bundle crun-bpf
	set_profile "$b" confine-default
	mkdir_blocked_seccomp "$b"
	set_cmd "$b" "$MKDIR_PROBE"
	run_with crun "$b"
	[ "$rc" -eq 0 ] || fail "control without the annotation exited $rc"
	grep -qx 'MKDIR=blocked' "$W/last.out" || fail "control: linux.seccomp did not block mkdir"
	edit "$b" '.annotations["run.oci.seccomp_bpf_data"] = $p' --arg p "$ALLOW_ALL_BPF"
	run_with crun "$b"
	[ "$rc" -eq 0 ] || fail "crun alone with the annotation exited $rc"
	grep -qx 'MKDIR=ok' "$W/last.out" || fail "crun did not load the annotation's program: the refusal below would prove nothing"
	add_marker_mount "$b" crun-bpf-shim
	run_with shim-crun "$b"
	expect_gate_refused "bpf data via shim" "$m" \
		'confine: refused: crun: the filter in run.oci.seccomp_bpf_data allows add_key'
	add_marker_mount "$b" crun-bpf-hook
	add_hook "$b"
	run_with crun "$b"
	# crun 1.8.1 does not pass a hook's stderr on (only "error executing
	# hook"); the reason is in the decision log.
	expect_gate_refused "bpf data via hook" "$m" 'error executing hook `/confine/confine-hook`'
	grep "\"id\":\"$id\"" /tmp/confine/decisions.log | grep '"component":"hook"' | tail -n 1 |
		jq -e '.verdict == "refuse" and (.rules.crun.fact | startswith("the filter in run.oci.seccomp_bpf_data allows add_key"))' >/dev/null ||
		fail "no hook decision refusing $id for the annotation's filter"
}

# Annotations that hand the filter's decisions or the runtime itself to
# something else: refused through the shim, the command never runs.
s_crun_delegation_refused() {
	have_crun; have_shim; have_policy
	enforcing_default
	for a in run.oci.seccomp.receiver=/run/vmtest-receiver.sock \
		run.oci.seccomp.plugins=/tmp/vmtest-plugin.so run.oci.handler=krun; do
		key=${a%%=*}
		new_bundle "crun-$key"
		set_profile "$b" confine-default
		strict_seccomp "$b"
		edit "$b" '.annotations[$k] = $v' --arg k "$key" --arg v "${a#*=}"
		add_marker_mount "$b" "crun-$key"
		set_cmd "$b" 'touch /mnt/out/ran'
		run_with shim-crun "$b"
		expect_gate_refused "$key" "$m" "confine: refused: crun: annotation $key "
	done
}

# crun reads only the first 6 conditions of a seccomp rule (checked on
# the host: runc blocks both signals below, crun only the first).  crun
# alone: kill is blocked by 7 OR'd conditions on the signal; SIGWINCH
# (the 1st) is blocked, SIGURG (the 7th) gets through.  Through the gate,
# the same shape on clone (the 7th is CLONE_NEWNET) is refused.
s_crun_seven_conditions() {
	have_crun; have_shim; have_policy
	enforcing_default
	new_bundle crun-seven
	set_profile "$b" confine-default
	strict_seccomp "$b"
	edit "$b" '.linux.seccomp.syscalls += [{names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
		args: [28, 1, 2, 3, 4, 5, 23] | map({index: 1, value: ., op: "SCMP_CMP_EQ"})}]'
	set_cmd "$b" 'if kill -WINCH $$ 2>/dev/null; then echo FIRST=ok; else echo FIRST=blocked; fi
if kill -URG $$ 2>/dev/null; then echo SEVENTH=ok; else echo SEVENTH=blocked; fi'
	run_with crun "$b"
	grep -qx 'FIRST=blocked' "$W/last.out" || fail "crun alone: the first condition did not block"
	grep -qx 'SEVENTH=ok' "$W/last.out" || fail "crun alone: the seventh condition blocked: crun read it"
	new_bundle crun-seven-clone
	set_profile "$b" confine-default
	strict_seccomp "$b"
	# The strict filter's two clone rules made one of 7 conditions; its
	# device-node rules kept, so only the clone rule is in question.
	edit "$b" '.linux.seccomp.syscalls |= (.[:1] + [{names: ["clone"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
		args: ([.[1:][] | select(.names == ["clone"]) | .args[]])}] + [.[1:][] | select(.names != ["clone"])])'
	jq -e '.linux.seccomp.syscalls[1].args | length == 7' "$b/config.json" >/dev/null || fail "no 7-condition clone rule"
	add_marker_mount "$b" crun-seven
	set_cmd "$b" 'touch /mnt/out/ran'
	run_with shim-crun "$b"
	expect_gate_refused "7 conditions on clone" "$m" \
		'confine: refused: crun: crun reads only the first 6 conditions of a seccomp rule, and the filter it builds allows clone with CLONE_NEW* flags'
}

# crun's JSON reader keeps the first of duplicate keys (runc's Go decoder
# the last): crun alone runs the first process.args; the gate refuses the
# document, and neither command runs.
s_crun_json_duplicate_refused() {
	have_crun; have_shim; have_policy
	enforcing_default
	new_bundle crun-dup
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" crun-dup
	set_cmd "$b" 'touch /mnt/out/second'
	jq -c . "$b/config.json" |
		sed 's|"process":{|"process":{"args":["/bin/busybox","touch","/mnt/out/first"],|' > "$b/config.json.new"
	mv "$b/config.json.new" "$b/config.json"
	[ "$(grep -o '"args":\["/bin/busybox"' "$b/config.json" | wc -l)" -eq 2 ] ||
		fail "the document does not have two process.args"
	run_with crun "$b"
	[ -e "$m/first" ] && [ ! -e "$m/second" ] ||
		fail "crun alone did not run the first of the duplicate args: $(ls "$m")"
	rm -f "$m/first"
	run_with shim-crun "$b"
	[ "$rc" -ne 0 ] || fail "the gate let a document with duplicate keys through"
	[ ! -e "$m/first" ] && [ ! -e "$m/second" ] || fail "refused, but a command ran: $(ls "$m")"
	grep -q '^confine: .*duplicate' "$W/last.err" || fail "no duplicate-key reason: $(head -n 1 "$W/last.err")"
}

# A seccomp section of the wrong type: crun reads it as absent and runs
# the container with no filter at all (Seccomp: 0); the gate refuses.
s_crun_json_wrong_type_refused() {
	have_crun; have_shim; have_policy
	enforcing_default
	new_bundle crun-type
	set_profile "$b" confine-default
	edit "$b" '.linux.seccomp = "SCMP_ACT_ERRNO"'
	add_marker_mount "$b" crun-type
	set_cmd "$b" "$MKDIR_PROBE"
	run_with crun "$b"
	[ "$rc" -eq 0 ] || fail "crun alone exited $rc"
	grep -Eq '^Seccomp:[[:space:]]+0$' "$W/last.out" || fail "crun alone applied a filter: $(grep Seccomp: "$W/last.out")"
	rm -f "$m/ran"
	run_with shim-crun "$b"
	expect_gate_refused "seccomp of the wrong type" "$m" 'confine: '
	grep -q 'linux.seccomp' "$W/last.err" || fail "the reason does not name linux.seccomp: $(head -n 1 "$W/last.err")"
}

# =========================================================================
echo "VMTEST start: $(uname -r)"
write_policy
echo "VMTEST info: project binaries: $(ls "$CONFINE" 2>/dev/null | tr '\n' ' ')"

# host_victim CGROUP: a host process (a sleep, pid in $victim) alone in
# the cgroup v2 CGROUP, made if missing: what a container must not reach.
host_victim() {
	mkdir -p "/sys/fs/cgroup/$1"
	sleep 300 &
	victim=$!
	echo "$victim" > "/sys/fs/cgroup/$1/cgroup.procs" || { kill "$victim"; fail "cannot place the victim in $1"; }
}

# linux.resources.unified on cgroup v2, where runc 1.1 writes it (the
# host's v1 hierarchy makes runc refuse it): runc alone, with
# {"cgroup.procs": PID}, moves the host process PID into the container's
# cgroup during create; the shim refuses the same bundle before the
# command runs and the process stays where it was; a limit (pids.max)
# runs through the shim and is applied.
s_cgroups_unified() {
	have_shim; have_policy
	enforcing_default
	host_victim vmtest-victim
	new_bundle cg-procs
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" cg-procs
	set_cmd "$b" 'touch /mnt/out/ran'
	edit "$b" '.linux.resources.unified = {"cgroup.procs": $p}' --arg p "$victim"
	run_with runc "$b"
	note "victim's cgroup after runc alone: $(cat /proc/$victim/cgroup)"
	grep -qx "0::/$id" "/proc/$victim/cgroup" ||
		{ kill "$victim"; fail "control: runc alone did not move the host process into /$id"; }
	echo "$victim" > /sys/fs/cgroup/vmtest-victim/cgroup.procs
	rmdir "/sys/fs/cgroup/$id" 2>/dev/null || true
	rm -f "$m/ran"
	run_with shim "$b"
	note "victim's cgroup after the shim: $(cat /proc/$victim/cgroup)"
	moved=$(cat "/proc/$victim/cgroup")
	kill "$victim"
	expect_gate_refused "cgroup.procs" "$m" "cgroups: linux.resources.unified writes \`cgroup.procs\`"
	[ "$moved" = "0::/vmtest-victim" ] || fail "the shim refused, but the host process moved: $moved"
	# Positive control: a limit runs, and the container's cgroup has it.
	new_bundle cg-limit
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" cg-limit
	set_cmd "$b" 'touch /mnt/out/ran; c=$(sed -n "s/^0:://p" /proc/self/cgroup)
		cat /sys/fs/cgroup$c/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
	edit "$b" '.linux.resources.unified = {"pids.max": "10"}'
	run_with shim "$b"
	[ "$rc" = 0 ] && [ -e "$m/ran" ] || fail "pids.max: the container did not run (exit $rc)"
	[ "$(cat "$W/last.out")" = 10 ] || fail "pids.max: the container's cgroup has pids.max $(cat "$W/last.out")"
}

# runc update --resources on cgroup v2: runc alone writes its unified
# cgroup.procs into the running container's cgroup and moves a host
# process in; the shim refuses it, and lets a limit (pids.max) through,
# handing runc the bytes it judged.
s_cgroups_update() {
	have_shim; have_policy
	enforcing_default
	host_victim vmtest-uvictim
	new_bundle cg-update
	set_profile "$b" confine-default
	strict_seccomp "$b"
	set_cmd "$b" 'sleep 120'
	runc --root "$RUNC_ROOT" run -d --no-pivot -b "$b" cg-update </dev/null >/dev/null 2>&1 ||
		{ kill "$victim"; fail "cannot start the container"; }
	init=$(runc --root "$RUNC_ROOT" state cg-update | jq .pid)
	cg=$(sed -n 's/^0:://p' "/proc/$init/cgroup")
	note "container cgroup $cg"
	upd() { env CONFINE_POLICY="$POLICY" timeout 60 "$CONFINE/confine-runtime" --root "$RUNC_ROOT" update -r - cg-update; }
	rc=0
	printf '{"unified": {"cgroup.procs": "%s"}}' "$victim" | upd > "$W/last.out" 2> "$W/last.err" || rc=$?
	cat "$W/last.err"
	refused_moved=$(cat "/proc/$victim/cgroup")
	rc2=0
	printf '{"unified": {"pids.max": "7"}}' | upd 2>&1 || rc2=$?
	limit=$(cat "/sys/fs/cgroup$cg/pids.max")
	printf '{"unified": {"cgroup.procs": "%s"}}' "$victim" | runc --root "$RUNC_ROOT" update -r - cg-update
	control=$(cat "/proc/$victim/cgroup")
	kill "$victim"
	runc --root "$RUNC_ROOT" delete -f cg-update >/dev/null 2>&1
	[ "$rc" = 1 ] && grep -qF 'cgroups: runc update --resources writes `cgroup.procs`' "$W/last.err" ||
		fail "the shim did not refuse the update (exit $rc)"
	[ "$refused_moved" = "0::/vmtest-uvictim" ] || fail "the shim refused, but the host process moved: $refused_moved"
	[ "$rc2/$limit" = 0/7 ] || fail "pids.max through the shim: exit $rc2, pids.max $limit"
	[ "$control" = "0::$cg" ] || fail "control: runc alone did not move the host process: $control"
}

# linux.cgroupsPath naming a host process's cgroup, through `..`: crun
# 1.8.1 appends the path to /sys/fs/cgroup as text, so the kernel
# resolves `..`; it puts the container in that cgroup and, when the
# container ends, kills everything in it (cgroup_killall_path). crun
# alone kills the host process; the shim in front of crun refuses the
# bundle before the command runs and the process lives on.
s_crun_cgroup_path_escape() {
	have_crun; have_shim; have_policy
	enforcing_default
	new_bundle crun-cg-escape
	set_profile "$b" confine-default
	strict_seccomp "$b"
	add_marker_mount "$b" crun-cg-escape
	set_cmd "$b" 'touch /mnt/out/ran; cat /proc/self/cgroup'
	edit "$b" '.linux.cgroupsPath = "/vmtest-cparent/../vmtest-cvictim"'
	host_victim vmtest-cvictim
	run_with crun "$b"
	sleep 1
	if kill -0 "$victim" 2>/dev/null; then
		kill "$victim"
		fail "control: crun alone left the host process alive (exit $rc)"
	fi
	# crun removed the cgroup with the container.
	host_victim vmtest-cvictim
	rm -f "$m/ran"
	run_with shim-crun "$b"
	sleep 1
	alive=no
	kill -0 "$victim" 2>/dev/null && alive=yes && kill "$victim"
	expect_gate_refused "cgroupsPath" "$m" "cgroups: linux.cgroupsPath"
	[ "$alive" = yes ] || fail "the shim refused, but the host process was killed"
}

scenario kernel-apparmor            s_kernel_apparmor
scenario shipped-profiles-load      s_shipped_profiles_load
scenario runc-confine-default       s_runc_confine_default
scenario runc-unconfined-control    s_runc_unconfined_control
scenario runc-profile-missing       s_runc_profile_missing
scenario runc-docker-nginx          s_runc_docker_nginx
scenario hook-enforce-runs          s_hook_enforce_runs
scenario shim-enforce-runs          s_shim_enforce_runs
scenario hook-complain-refused      s_hook_complain_refused
scenario shim-complain-refused      s_shim_complain_refused
scenario hook-not-loaded-refused    s_hook_not_loaded_refused
scenario hook-unconfined-refused    s_hook_unconfined_refused
scenario shim-injects-default       s_shim_injects_default
scenario shim-start-verified        s_shim_start_verified
scenario shim-start-label-differs   s_shim_start_label_differs
scenario shim-start-shared-pid-ok   s_shim_start_shared_pid_ok
scenario shim-start-shared-pid-differs s_shim_start_shared_pid_differs
scenario shim-exec-verified         s_shim_exec_verified
scenario shim-exec-label-differs    s_shim_exec_label_differs
scenario crun-shim-runs             s_crun_shim_runs
scenario crun-bpf-data-refused      s_crun_bpf_data_refused
scenario crun-delegation-refused    s_crun_delegation_refused
scenario crun-seven-conditions      s_crun_seven_conditions
scenario crun-json-duplicate-refused s_crun_json_duplicate_refused
scenario crun-json-wrong-type-refused s_crun_json_wrong_type_refused
scenario denials-apparmor           s_denials_apparmor
scenario cgroups-unified            s_cgroups_unified
scenario cgroups-update             s_cgroups_update
scenario cgroups-crun-path-escape   s_crun_cgroup_path_escape

echo "VMTEST summary: $passed passed, $failed failed, $skipped skipped"
echo "VMTEST done"

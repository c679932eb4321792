#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The red team's escapes, each a script that exits 0 when the attack works
# (the shim allowed the container and it reached the host) and 1 when the
# gate refused it, run through the shim with real runc:
#   found-1: an image's /dev/null linked to /proc/keys undoes maskedPaths
#            when /dev is not a tmpfs (CVE-2025-31133 class);
#   found-2: confine's own hook at createContainer, with a spec mount over
#            its path inside the container's namespace: host root;
#   found-3: a writable bind of /run/systemd/system, where a unit file
#            becomes root code at the next daemon-reload.
# and the static gaps the live mount check alone caught, each judged by
# `confine check --inject` and by the shim with no hook injected:
#   found-4: `remount` on a tmpfs entry remounts the read-only sysfs rw;
#   found-5: `ro,rrw` on a bind of a read-only subtree: writable;
#   found-6: rootfsPropagation `shared`: a bind inside a bind appears on
#            the host over a program;
#   found-7: a FIFO node in a user namespace: runc binds the host's FIFO;
#   found-8: root.path `.`: the container rewrites its bundle;
#   found-9: an exec into a cwd the running container linked into
#            /proc/self/fd, judged on its text only.
# and the container's own proc reached through a bind of a path in its
# root filesystem (a plain directory of the image when judged, runc's
# proc once mounted): a second /proc/sys without readonlyPaths, the
# host's global sysctls:
#   found-10: the bind source a link to <rootfs>/proc/sys (engine path:
#             create, then start);
#   found-11: the link retargeted after the judgement, so only the check
#             after create sees it; RACE=0 makes the divergence
#             deterministic (a runtime wrapper retargets it, then execs
#             runc) and the script must say the check after create
#             refused it;
#   found-12: a bind of rootfs/proc through the hook on `run`.
# and volumes whose filesystem the engine mounts itself, bound from an
# allowed subtree (Docker's local driver, `type=` and `o=`), judged by
# what they hold (controls: a plain, a tmpfs and a listed volume run):
#   found-13: an overlay whose layers are the host's /etc, or a host
#             directory it writes;
#   found-14: a disk (a loop device's ext4), binfmt_misc, devtmpfs,
#             hugetlbfs;
# and found-15: the roots of the allowed subtrees (every pod's and every
# container's files); control: Docker's own binds run;
# and found-16: a read-write bind of /etc/localtime (an allowed subtree)
# writes the host's zone file under /usr (a readonly subtree).
# and Docker volumes of kernel filesystem types (a new instance mounted
# by dockerd in the host's namespaces) where runc puts its own:
#   found-20: proc bound through an image symlink /myproc -> /proc,
#             stacked over the container's: the host's processes;
#   found-21: mqueue through /mymq -> /dev/mqueue: the host's queues;
#   found-22: cgroup2's whole hierarchy below /sys/fs/cgroup: the host's
#             cgroups.
# and a bundle handed to runc by path after the judgement:
#   found-17: a root-owned bundle in a directory another user owns,
#             swapped for theirs before runc changes into it: their
#             createRuntime hook runs as host root during `create`;
#   found-18: the same on `run`: their unconfined container runs.
#   Both are refused before runc runs, by the bundle's path (no rule: the
#   spec is never the question), with the controls (a root-owned
#   directory, /tmp) passing in the script.
# and what reaches a container or the host after the judgement:
#   found-30: a bind of a volume directory with rslave: the engine's later
#             mount of anything there appears in the running container;
#   found-31: linux.cgroupsPath inside a host service's cgroup, whose
#             limits (and OOM killer) the container then shares.
# and a host server that trusts any uid-0 peer, reached through a bind:
#   found-32: a bind of a directory holding a socket a host process
#             listens on (root's tmux in /tmp), and of a filesystem
#             holding one its name does not lead to.
# and an exec judged where runc does not resolve it:
#   found-40: found-9 with the init chrooted into a decoy tree where /work
#             is a plain directory (the cwd was resolved in the init's root,
#             runc resolves it in the mount namespace's).
# and what the engines' defaults open:
#   found-50: the host's console (c 5:1), which Docker's default device
#             cgroup allows, opened through a node the container makes
#             with CAP_MKNOD: the shim takes the rule out (the open is
#             refused in the running container), the hook refuses it;
#   found-51: the host's name=systemd cgroup hierarchy as a Docker volume
#             of type cgroup (control: a new named hierarchy runs
#             read-only, as runc itself mounts it);
#   found-52: found-31 with a parent not named like a systemd unit
#             (`--cgroup-parent=/mysql`) that holds a host process
#             (controls: a new parent, and an existing one holding none,
#             as /docker, run);
#   found-53: a writable bind of /var/log: a link planted as the pod's
#             own log makes kubelet read any host file for `kubectl logs`
#             (controls: /var/log read-only and another log directory
#             writable run);
#   found-69: found-52 with the service's process in a cgroup below the
#             parent (/svc/worker), which then holds none of its own;
#   found-71: process.rlimits RLIMIT_RTPRIO 99: real-time priority
#             ahead of every host process without CAP_SYS_NICE (control:
#             nofile, nproc and rtprio 0 run);
#   found-54: process.oomScoreAdj -1000: the OOM killer kills host
#             processes, never the container (control: 500 runs).
# and a listening socket on a filesystem whose stat device is not
# sock_diag's:
#   found-61: btrfs (a subvolume) and an overlay whose layers are on two
#             filesystems (controls: the same directories without one).
# and a listening socket of another network namespace:
#   found-62: a root listener under `unshare -n` (with -m, with -m -p),
#             `ip netns exec`, and a host process in a container's network
#             namespace only (controls: a directory beside them, and two
#             runc containers sharing a socket through a bound directory).
# and another container's bundle:
#   found-41: a bind of a Podman container's directory (its userdata,
#             whose config.json runc reads after the judgement), with real
#             Podman; control: Podman's own binds run.
# and an exec's process file swapped after the judgement:
#   found-42: containerd writes it in /tmp, where a container binding /tmp
#             is root; runc must read the bytes judged (no rule refuses:
#             the judged process runs, the forged one never does).
# and an exec's process file put in place of the engine's before the
# judgement, with real containerd and dockerd:
#   found-70: containerd's temp directory shared (sticky, as /tmp): a
#             container binding it swaps another container's `docker exec`
#             for its own process; refused by the file's path, naming the
#             fix (controls: a privileged exec is refused, and an ordinary
#             one works where containerd's XDG_RUNTIME_DIR is root-only).
# and the gate's own files:
#   found-60: a writable bind of the policy's cache_dir (forged seccomp
#             verdicts) and of the directory holding decision_log, both
#             moved from the shipped defaults (controls: beside them, and
#             the log's directory read-only).
# and what dockerd does without a runtime, judged by confine-authz:
#   found-67: `docker create -v /etc:/hostetc` (also --mount, and a volume
#             with o=bind device=/etc), then `docker cp` writes and reads
#             the host's /etc (controls: an ordinary bind runs and is
#             copied into and out of, through the plugin);
#   found-73: `docker cp` itself (PUT, GET, the old POST copy): dockerd
#             re-binds a running container's bind sources by path, and
#             the container, having swapped a directory of one for a link
#             to /, gets the host's / mounted for good (controls: -v /:/host
#             refused, the container itself runs through the plugin, with
#             authz.copy allow docker cp works);
#   found-74: a local volume of type mqueue (in mounts.allowed_types, the
#             runtime's instance), which dockerd mounts in the host's IPC
#             namespace: docker cp created host message queues (control:
#             a tmpfs volume is created and used).
# and another tenant's files by the engines' own patterns:
#   found-63: one pod's kubelet directory (its token, its secrets) bound
#             by a container that is no pod's, or another pod's; control:
#             the pod's own container, from its CRI bundle, runs;
#   found-64: another Podman container's running root, and an image's
#             layer, as the root (`--rootfs`), with real Podman through
#             the hook and through the shim; controls: Podman's own
#             containers run.
# and what conmon writes as root for Podman's API user (red team 5 F-03):
#   found-68: the container's output appended to a host file
#             (`--log-opt path=/etc/X`, also through a link) and runc's
#             pid file over one (`--pidfile /etc/X`), with real Podman
#             through the shim and through the hook (controls: a default
#             run and a log in a plain directory, which gets the output).
# and the host's device nodes:
#   found-65: /dev/null bound writable: the container's root chmods the
#             host's node (controls: read-only it runs, written through,
#             chmod and a remount fail; a user namespace not mapping its
#             owner runs; one mapping host root is refused live).
# and where the runtime finds code:
#   found-66: containerd's opt directory (moved in its config, first on
#             the shims' PATH and LD_LIBRARY_PATH) bound writable, with
#             real containerd and dockerd, through the stand-in and
#             confine-runtime (controls: read-only it runs and cannot
#             write, a directory beside it writable runs).
# and found-16's sibling:
#   found-72: /etc/timezone (an allowed subtree, a plain file in /etc)
#             bound writable: the host's zone rewritten (control: the
#             read-only bind runs and reads it).
# and the rest of systemd's /run (red team 7):
#   found-80: systemd's exitrd (/run/initramfs), sysusers.d and root's
#             user manager (/run/user/0) bound writable (control:
#             another user's runtime directory runs).
# and what reaches a running container later (red team 6):
#   found-76: a bind of an ordinary host directory asking rslave receives
#             the host's later mounts (a chroot's proc: the host's pids
#             and sysctls) (control: rprivate runs and does not);
#   found-79: dockerd's volume copy-up at create, with real containerd,
#             dockerd and confine-authz: an image's files copied into a
#             scratch host directory through a link a running container
#             swapped in, a setuid program copied into a volume binding a
#             host directory, a container joining a volume during a copy,
#             a writer whose bind reached the volume through a link since
#             retargeted, a decoy authz.docker_root: refused (controls: a
#             fresh volume initialised from the image, nocopy sharing, a
#             compose-like pair).
# and the runtimes Docker offers by name:
#   found-75: a runc-compatible runtime daemon.json names (youki, here a
#             copy of runc), stood in for by install.sh (on a scratch
#             root) and picked with `docker run --runtime youki` on real
#             containerd and dockerd: --pid host, CAP_SYS_ADMIN and no
#             filter refused (controls: the default runtime refuses it,
#             youki runs a default container with its filter).
# and what the container's root plants through a writable bind (red team
# 6 F-07):
#   found-77: mknod of a host disk's node, mode 0666, in a host user's
#             directory, under Docker's profile with CAP_MKNOD: refused
#             unrepaired; repaired, mknod of a device fails inside and no
#             node reaches the host (control: mkfifo still works);
#   found-78: a setuid-root program or a file capability left in a host
#             user's directory (chmod, fchmod, fchmodat, fchmodat2, open,
#             openat, creat, mknod, openat2 with a setuid mode, setxattr
#             security.capability; a user's 2644 file chowned 0:0 and
#             given an access ACL, red team 7 F-01) under Docker's stock
#             spec: refused
#             unrepaired, naming the bind and seccomp.block_setid_files;
#             repaired, every call fails inside and nothing setuid,
#             setgid or with file capabilities reaches the host (controls:
#             a plain chmod works; bound rro with a read-only root, the
#             container makes both in a tmpfs of its own);
#   found-82: the containers seccomp.block_setid_files restricts (red
#             team 7): a bind below a root-only directory another
#             container made (F-02), a writable root.path in a user's
#             directory (F-03), an `rbind,ro` over a host submount
#             (F-08), each under Docker's stock spec: repaired, nothing
#             setuid reaches the host; unrepaired, refused naming the bind
#             or the root (controls: a plain chmod works; rro is not
#             repaired).
# Each escape must be refused by the rule that closes it (refused_by), not
# by whichever rule happens to fail first. REDTEAM_ONLY="N ..." runs only
# those.
set -u
. "$(dirname "$0")/../lib/assert.sh"
rule_of=([1]=masked_paths [2]=hooks [3]=mounts [4]=mounts [5]=mounts [6]=mounts [7]=devices
         [8]=mounts [9]=cwd [10]=mounts [11]=mounts [12]=mounts [13]=mounts [14]=mounts [15]=mounts
         [16]=mounts [17]=path [18]=path [20]=mounts [21]=mounts [22]=mounts [30]=mounts [31]=cgroups
         [32]=mounts [40]=cwd [41]=mounts [42]=judged [50]=devices [51]=mounts [52]=cgroups [53]=mounts
         [54]=fields [60]=mounts [61]=mounts [62]=mounts [63]=mounts [64]=mounts [65]=mounts [66]=mounts [67]=mounts
         [68]=conmon [69]=cgroups [70]=origin [71]=rlimits [72]=mounts [73]=mounts [74]=mounts [75]=capabilities [76]=mounts [77]=seccomp
         [78]=seccomp [79]=mounts [80]=mounts [82]=seccomp)
for n in ${REDTEAM_ONLY:-1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 20 21 22 30 31 32 40 41 42 50 51 52 53 54 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79 80 82}; do
  rule=${rule_of[$n]}
  out=$(RACE=0 sh "$ROOT/tests/integration/redteam/found-$n.sh" 2>&1 < /dev/null)
  rc=$?
  if [ "$n" = 11 ] && ! grep -q '^refused: 0 by the judgement, 1 by the check after create' <<<"$out"; then
    fail "redteam-found-$n" "the retargeted link did not reach the check after create: $(tail -n 3 <<<"$out")"
  elif [ "$rule" = judged ]; then
    if [ "$rc" = 1 ] && grep -q '^ran the judged process: ' <<<"$out"; then
      pass "redteam-found-$n: runc ran the judged bytes, not the swapped file"
    else
      fail "redteam-found-$n" "exit $rc: $(tail -n 5 <<<"$out")"
    fi
  elif [ "$rule" = origin ]; then
    if [ "$rc" = 1 ] && grep -q "confine: refused: exec process .*, is a directory others can add names to .*XDG_RUNTIME_DIR" <<<"$out" \
       && grep -q '^positive control: ' <<<"$out"; then
      pass "redteam-found-$n: a process file below a shared directory refused, the attacker's process never ran"
    else
      fail "redteam-found-$n" "exit $rc, not refused by the process file's path: $(tail -n 5 <<<"$out")"
    fi
  elif [ "$rule" = path ]; then
    if [ "$rc" = 1 ] && grep -q "^confine: refused: bundle .*, on the way to .*, can be changed by others than root" <<<"$out"; then
      pass "redteam-found-$n: the bundle's path refused the swap before runc ran"
    else
      fail "redteam-found-$n" "exit $rc, not refused by the bundle's path: $(tail -n 5 <<<"$out")"
    fi
  elif [ "$rc" = 1 ] && refused_by "$rule" <<<"$out"; then
    pass "redteam-found-$n: the $rule rule refused the escape before the container ran"
  else
    fail "redteam-found-$n" "exit $rc, not refused by the $rule rule: $(tail -n 5 <<<"$out")"
  fi
done

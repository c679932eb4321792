/* SPDX-License-Identifier: Apache-2.0 */
/* The mounts rule beyond the spec: judging the mounts the kernel really
 * made for a container, from its init's /proc/PID/mountinfo. */
#ifndef CONFINE_MOUNTS_H
#define CONFINE_MOUNTS_H

#include "hostpath.h"
#include "rules.h"

/* A host with many containers has a long mountinfo, and before
 * pivot_root the init sees all of the host's mounts too. */
#define CONFINE_MOUNTINFO_MAX_BYTES (64u << 20)

/* The host paths a rule of CTX judges with: CTX->hostpaths, its lists
 * resolved by the first rule that asks and kept, everything else it
 * learnt of the host forgotten at each later ask (confine_hostpaths_forget);
 * else LOCAL, resolved now. NULL on error. Give it back with
 * confine_rule_hostpaths_done. */
confine_hostpaths_t *confine_rule_hostpaths (const confine_context_t *ctx,
                                             confine_hostpaths_t *local, confine_error_t *err);
void confine_rule_hostpaths_done (confine_hostpaths_t *hp, confine_hostpaths_t *local);

/* Whether a mount in any mount namespace on the host has its root at or
 * below the host directory PATH (resolved; absent, nothing can hold it):
 * whoever is in that namespace can write there now, whatever its
 * configuration says today (a bind made through a link since retargeted,
 * a container of another engine). *WHO names one, or stays NULL. */
int confine_mounts_held_anywhere (const char *path, char **who, confine_error_t *err);

/* Judge every mount of the container whose init is PID by its real
 * source: each mount's device and the path within it, mapped back to
 * host paths through the host's own mountinfo, and judged with the same
 * lists as the spec's bind sources (the root filesystem with
 * mounts.allowed_roots). sysfs and cgroup mounts must be read-only. A
 * symlink in a bind source retargeted between the spec check and runc's
 * mount is caught here, as is any other way the spec's text and the
 * kernel's view differ.
 *
 * Works on an init that has not yet pivoted into its root (a hook at
 * createRuntime or prestart: the mounts under the resolved root.path of
 * SPEC, joined to CTX->bundle, are the container's) and on one that has
 * (after `runc create` returned: every mount it sees is the container's).
 * Sets R to a pass or a failure that names the mount; negative on error
 * (which the caller must treat as a refusal). */
int confine_mounts_judge_live (const confine_context_t *ctx, const confine_spec_t *spec, long pid,
                               confine_rule_result_t *r, confine_error_t *err);

/* The same with the policy's lists already resolved, for the rule. */
int confine_mounts_judge_live_with (confine_hostpaths_t *hp, const confine_context_t *ctx,
                                    const confine_spec_t *spec, long pid,
                                    confine_rule_result_t *r, confine_error_t *err);

/* Whether the init PID has entered its root (pivot_root or chroot): its
 * root is no longer ours. */
int confine_init_pivoted (long pid, bool *pivoted, confine_error_t *err);

/* Why a mount of the kernel filesystem FSTYPE (proc, sysfs, cgroup,
 * mqueue, devpts...; NULL for storage such as tmpfs) with ROOT in it and
 * superblock options SUPER, at WHERE in the container, is not one runc
 * makes for SPEC, or NULL when it is: the type the spec asks at exactly
 * that destination with root `/`, runc's bind of one of its paths onto
 * itself (readonlyPaths: root `/sys` at `/proc/sys`), the console's pty;
 * a cgroup mount below the spec's cgroup destination whose root is the
 * init's own cgroup in that hierarchy (CGROUPS, its /proc/PID/cgroup),
 * or cgroup2's `/` when the init shares our cgroup namespace
 * (HOST_CGROUPNS). */
const char *confine_mounts_kernel_fs_misplaced (const confine_spec_t *spec, const char *fstype,
                                                const char *root, const char *super,
                                                const char *where, const char *cgroups,
                                                bool host_cgroupns);

/* sysfs, cgroup and cgroup2 are read-only unless the policy's
 * mounts.writable_pseudo_filesystems names the type: a writable sysfs or
 * cgroup hierarchy lets a container change the host's kernel settings
 * (uevent helpers, cgroup v1's release_agent). TYPE as the kernel or
 * the spec names it. */
bool confine_mounts_must_be_readonly (const confine_policy_t *policy, const char *type);

/* A writable bind of the host's device node (PATH, resolved) is the
 * host's inode: the container's root, owner of it or holding CAP_FOWNER
 * and CAP_CHOWN, changes its mode and owner for every host process
 * (`chmod 000` on /dev/null). Read-only, reads and writes still go
 * through and chmod, chown and utimes fail with EROFS. Only a user
 * namespace that maps neither the node's owner nor its group makes a
 * writable one harmless (rootless Podman binds /dev/null so; runc binds
 * linux.devices so in a user namespace): PID is the container's init,
 * whose maps are read; 0 before it exists, when USERNS says whether the
 * spec asks for a user namespace, and the check of the init decides.
 * Sets R to a failure naming WHAT when refused; negative on error. */
int confine_mounts_device_bind (long pid, bool userns, const char *path, bool readonly,
                                const char *what, confine_rule_result_t *r, confine_error_t *err);

/* SOURCE (as mountinfo names a filesystem's device or share, or as a
 * volume's `device` option names it to mount(2)) is one the operator lets
 * engines mount for volumes: a pattern of mounts.allowed_volume_devices
 * matches it, or a plain path there resolves to it. */
int confine_mounts_volume_device_allowed (const confine_policy_t *policy, const char *source,
                                          bool *allowed, confine_error_t *err);

/* seccomp.block_setid_files: why SPEC's container may make files a host
 * user reaches, in *WHAT (with seccomp.setid_scope `all`, every
 * container; else its first writable bind whose files a host user may
 * reach: "the bind mount of `S` at `D` is writable and host users reach
 * its files"), or *WHAT NULL when there is none or when the container has a
 * new user namespace whose uid and gid maps map no host id 0 (its root
 * cannot make a file of the host's root). A bind counts unless it is
 * read-only as a whole (rro, or ro without rbind), its source
 * (resolved) is a device node, socket or FIFO, or lies in an engine's
 * tree (mounts.allowed_subtrees) below a directory only root can search
 * (owner root, no search for others, and none for the group unless the
 * group is root's and no ACL is set), at or above that tree, that no
 * container can bind, nor any directory above it, and that no host
 * mount bypasses (confine_mounts_bypass). A writable root filesystem
 * that is not the container's own snapshot counts as a bind ("the root
 * filesystem `R` is writable and host users reach its files"). Anything
 * that cannot be read counts. */
int confine_mounts_setid_bind (const confine_context_t *ctx, const confine_spec_t *spec,
                               char **what, confine_error_t *err);

/* Whether some mount of the host's (our mountinfo) shows files below
 * BARRIER (a resolved directory) that SOURCE (resolved, within it) holds
 * or is held in, somewhere not below BARRIER: a mount elsewhere of a
 * directory strictly below BARRIER, or a mount between BARRIER and
 * SOURCE or below SOURCE whose filesystem is mounted elsewhere too. */
int confine_mounts_bypass (const char *barrier, const char *source, bool *bypass,
                           confine_error_t *err);

/* M's destination is WHERE (a clean container path), as runc cleans it. */
bool confine_mount_is_at (const confine_mount_t *m, const char *where);

/* SPEC mounts something read-only at WHERE (a clean container path). */
bool confine_mounts_spec_readonly_at (const confine_spec_t *spec, const char *where);

#endif

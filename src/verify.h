/* SPDX-License-Identifier: Apache-2.0 */
/* After `start`: is the container's process confined the way the gate
 * judged it would be?
 *
 * The gate judges a spec; the kernel applies it later. AppArmor's exec
 * label takes effect only at the user process's execve, which in runc 1.1
 * happens after `runc start` returns, and poststart hooks run during
 * `create`, while the init is still `runc:[2:INIT]` (checked with runc
 * 1.1.5). So the shim runs the real `start` as a child, then reads what
 * the kernel says about the init process: its AppArmor label and mode,
 * and `Seccomp:` in /proc/<pid>/status.
 *
 * What to expect is fixed at `create`, when the shim has just judged the
 * final spec: a small record per container under <cache_dir>/containers,
 * root-only, written atomically, trusted only when owned by us and
 * unreadable and unwritable by others (the cache's rules). Editing
 * config.json after create therefore cannot change the expectation, and
 * `start` reads no JSON and forks nothing but the runtime on its critical
 * path. Without a record (a container created around the shim, or a lost
 * record) the runtime's `state` gives pid and bundle and the bundle's spec
 * is judged again. */
#ifndef CONFINE_VERIFY_H
#define CONFINE_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"
#include "policy.h"
#include "rules.h"
#include "../oci/spec.h"

/* How long the init may take from a successful `start` to its execve. */
#define CONFINE_VERIFY_EXEC_TIMEOUT_MS 2000
/* The comm runc 1.1 gives the container's init until it execs. */
#define CONFINE_RUNC_INIT_COMM "runc:[2:INIT]"

/* What the kernel must show once the user process runs. */
typedef struct
{
  char *root;             /* the runtime's root, resolved as runc does (confine_runc_root) */
  char *id;
  char *bundle;           /* absolute, or NULL */
  /* The init the check after create pinned and judged: its pid, start
   * time (field 22 of stat) and the program it ran then (runc's), so
   * start watches that very process, still waiting, whatever a pid file
   * says by then; 0 when not known. */
  pid_t pid;
  uint64_t start_time;
  dev_t exe_dev;
  ino_t exe_ino;
  char *apparmor_profile; /* the label to expect, or NULL: not checked */
  /* With no profile named: expect some label in one of the policy's
   * allowed_modes (status, which judges what runs without a spec). Never
   * recorded: create always names the profile it judged. */
  bool apparmor_any;
  bool seccomp;           /* expect seccomp filter mode (Seccomp: 2) */
  /* For the check after a detached exec (facts say "after exec"); never
   * recorded. */
  bool after_exec;
} confine_expect_t;

/* The expectation from a judged spec: only what a rule checked and
 * passed at a non-off severity, so a waived, skipped or warned rule is not
 * enforced after start either. */
void confine_expect_from_verdict (const confine_spec_t *spec, const confine_verdict_t *v,
                                  confine_expect_t *out);
/* The expectation for a running container judged without its spec
 * (status): an AppArmor label in an allowed mode, unless the host has no
 * AppArmor and apparmor.when_unavailable is skip, and a seccomp filter.
 * With confine_live_judge, which applies the policy's severities and
 * exemptions, the one definition of "confined". */
void confine_expect_from_policy (const confine_context_t *ctx, bool apparmor_available,
                                 confine_expect_t *out);
/* A record of a container that has no state in its runtime root is
 * removed once it is this old; at most this many entries are looked at
 * per save. */
#define CONFINE_EXPECT_STALE_SECONDS 600
#define CONFINE_EXPECT_PRUNE_SCAN 1024

/* Record E under DIR/containers (DIR is the policy's cache_dir), and
 * remove stale records of containers that are gone. */
int confine_expect_save (const char *dir, const confine_expect_t *e, confine_error_t *err);
/* True, with OUT filled, when a trusted record for ROOT and ID exists;
 * false when none does (or it is not trusted). */
bool confine_expect_load (const char *dir, const char *root, const char *id, confine_expect_t *out);
/* Best effort: a record is used once. */
void confine_expect_forget (const char *dir, const char *root, const char *id);
void confine_expect_clear (confine_expect_t *e);

/* A pid file runc wrote at create: a regular file owned by us that no one
 * else can write. Returns 1 with *PID, 0 when absent or untrusted. */
int confine_verify_read_pid_file (const char *path, pid_t *pid);

/* The container's init, pinned: an fd on /proc/<pid> refers to this one
 * process, so a recycled pid can never be read in its place. */
typedef struct
{
  pid_t pid;
  int dirfd;
  dev_t exe_dev;
  ino_t exe_ino;
} confine_task_ref_t;

/* Pin PID, whatever it runs. Returns 1, or 0 when it is gone. */
int confine_task_pin (pid_t pid, confine_task_ref_t *ref, confine_error_t *err);
/* Open PID, which must still be runc's waiting init. Returns 1, or 0 when
 * PID is gone or is not a waiting init. */
int confine_task_ref_open (pid_t pid, confine_task_ref_t *ref, confine_error_t *err);
/* The same, for the init E records (pid, start time, program): 0 also
 * when that pid is now another process, or the init has exec'd. */
int confine_task_ref_open_recorded (const confine_expect_t *e, confine_task_ref_t *ref,
                                    confine_error_t *err);
void confine_task_ref_close (confine_task_ref_t *ref);
/* SIGKILL the pinned process itself: the signal goes through its /proc
 * directory (pidfd_send_signal takes one), so it reaches that very
 * process while it exists and no other that has its pid since. */
void confine_task_ref_kill (const confine_task_ref_t *ref);
/* Pin PID, a process a runtime has just started (runc's exec), and wait
 * up to TIMEOUT_MS for it to exec when it is still runc's init. Returns 1
 * once it runs its own program, 0 when it is gone, negative on error or
 * timeout (REF is closed by the caller in every case). */
int confine_task_open_started (pid_t pid, int timeout_ms, confine_task_ref_t *ref,
                               confine_error_t *err);

/* Poll until the init has exec'd the user process (its exe or comm is no
 * longer runc's), at most TIMEOUT_MS. Returns 1 when it has, 0 when the
 * process is gone, negative on timeout. */
int confine_task_wait_exec (const confine_task_ref_t *ref, int timeout_ms, confine_error_t *err);

typedef struct
{
  bool gone;         /* the process exited before it could be read */
  char *label;       /* AppArmor label, NULL when not read or unreadable */
  char *mode;        /* "enforce", "complain", ...; NULL for unconfined */
  char *label_error; /* why the label could not be read */
  int seccomp;       /* Seccomp: 0, 1, 2; -1 unknown */
  int seccomp_filters; /* Seccomp_filters:, -1 when the kernel does not say */
  int no_new_privs;    /* NoNewPrivs:, -1 unknown */
  /* CapBnd:, CapEff:, CapInh:, CapPrm:, CapAmb:, by enum confine_cap_set;
   * bit S of HAS_CAPS when set S was read. */
  uint64_t caps[CONFINE_CAP_SETS];
  unsigned has_caps;
  uint64_t start_time; /* field 22 of stat: ticks after boot; 0 unknown */
} confine_observed_t;

/* Read the task's confinement; the AppArmor label only when APPARMOR (on
 * a host whose major LSM is another one, attr/current holds that LSM's
 * label, and reading it as AppArmor's would lie). The one reader of a
 * live process, for the after-start check and status. */
int confine_task_observe (const confine_task_ref_t *ref, bool apparmor, confine_observed_t *out,
                          confine_error_t *err);
void confine_observed_clear (confine_observed_t *o);

/* Compare. Fills V as a verdict (apparmor and seccomp results, the
 * others skipped) with the policy's severities and audit mode, so it logs
 * and summarises like a create verdict. */
void confine_verify_judge (const confine_policy_t *policy, const confine_expect_t *e, pid_t pid,
                           const confine_observed_t *o, confine_verdict_t *v);
/* The container's cgroup, in the cgroup2 hierarchy or v1's pids (which
 * runc 1.1 always joins): every process of the container is in it or
 * below it, whatever pid namespace it shares. */
typedef struct
{
  int dirfd;    /* the directory, opened while the init waits */
  bool unified; /* cgroup2 (cgroup.threads), else v1 (tasks) */
  char *path;   /* for messages */
} confine_cgroup_ref_t;
/* Find and open the cgroup of the pinned waiting init REF from its
 * /proc/<pid>/cgroup. Negative when it cannot be found, is the root, or
 * lies outside our cgroup namespace. */
int confine_task_cgroup (const confine_task_ref_t *ref, confine_cgroup_ref_t *out,
                         confine_error_t *err);
void confine_cgroup_ref_close (confine_cgroup_ref_t *cg);
/* Now, in the clock ticks of /proc/<pid>/stat's start time. */
uint64_t confine_boot_ticks (void);
/* At most this many threads, in at most this many readings of the list. */
#define CONFINE_VERIFY_REST_MAX 32768
#define CONFINE_VERIFY_ROUNDS 32
/* ... and within this time (the shim's own deadline is 20 s). */
#define CONFINE_VERIFY_SCAN_MS 5000
/* Judge every thread of the container's cgroup CG (and the cgroups below
 * it) as the init is judged: the init can fork and exit before its own
 * label is read, and in a shared pid namespace (`--pid container:X`, a
 * pod's shareProcessNamespace, a joined pid namespace path) what it
 * forked runs on; an unconfined init can also fork and then change its
 * own label. A thread passes when it passes one of the N_E expectations E
 * (after an exec, the exec'd process's and the container's). With SINCE
 * (clock ticks after boot, confine_boot_ticks), only the threads that
 * started at or after it are judged: after an exec, what the exec can
 * have made; the others were judged when they began. The list is read, every thread judged, and read again, until
 * two readings agree. V holds the init's verdict on entry; it becomes the
 * first thread's that refuses (or would, in audit mode), else, when the
 * init was gone (INIT_GONE), a thread's that passed. A thread that is
 * gone (no task, or a zombie) is skipped; anything else that cannot be
 * read (the list, a thread, more than the bounds, a list that keeps
 * changing, a scan that takes longer than CONFINE_VERIFY_SCAN_MS) is an
 * error: the caller kills the container. */
int confine_verify_judge_cgroup (const confine_policy_t *policy, const confine_expect_t *e,
                                 size_t n_e, const confine_cgroup_ref_t *cg, uint64_t since,
                                 bool init_gone,
                                 confine_verdict_t *v, confine_error_t *err);
/* The same comparison for a container already running (status), with
 * CTX's exemptions; facts are not prefixed with "after start". */
void confine_live_judge (const confine_context_t *ctx, const confine_expect_t *e, pid_t pid,
                         const confine_observed_t *o, confine_verdict_t *v);

/* The real runtime as the shim calls it: PATH to execute, and the words
 * that go before each command (argv[0] and runc's global flags, so that
 * `state` and `kill` see the same state root as `start`). */
typedef struct
{
  const char *path;
  char *const *globals;
  size_t n_globals;
} confine_runtime_t;
/* RT's command line for CMD (NULL-terminated words): the globals, then
 * CMD. The array is owned by the caller, the words are borrowed. */
char **confine_runtime_argv (const confine_runtime_t *rt, const char *const *cmd);

/* Find the waiting init of container ID under the runtime's ROOT (resolved,
 * confine_runc_root) and what it must show: the record, when it is there,
 * trusted, and names an init still waiting with the start time judged
 * after create (no process forked), else the runtime's `state`, with the
 * bundle's spec judged again as for a container created around the
 * shim. Returns 1 with E and REF filled, 0 when ID is no container
 * waiting for start (the real start will say why), negative on error. */
int confine_verify_find (const confine_runtime_t *rt, const confine_policy_t *policy,
                         const char *root, const char *id, confine_expect_t *e,
                         confine_task_ref_t *ref, confine_error_t *err);
/* Stop a container that must not run: the runtime's `kill ID KILL`, as
 * an engine would, else SIGKILL to the init if REF shows it still alive. */
void confine_verify_kill (const confine_runtime_t *rt, const char *id,
                          const confine_task_ref_t *ref);
/* The same with `kill --all`: every process of the container's cgroup,
 * for a container that has run, whose init may have forked processes that
 * a shared pid namespace keeps alive after it; then, whatever the runtime
 * did, every thread still listed in CG (cgroup.kill on cgroup2). */
void confine_verify_kill_all (const confine_runtime_t *rt, const char *id,
                              const confine_task_ref_t *ref, const confine_cgroup_ref_t *cg);

/* ---- after create ----
 *
 * On the engine path the shim runs the real `create` as a child. When it
 * returns 0, runc 1.1's init has made every mount, pivoted into the root,
 * entered its namespaces, set no_new_privs, loaded the seccomp filter,
 * dropped to the spec's capabilities and changed into process.cwd, and it
 * waits on exec.fifo for `start`: nothing of the container's own has run.
 * That is when the shim checks what runc and the kernel really set up,
 * in place of the hook runc would otherwise spawn. */

/* runc's state root as runc finds it: ROOT (--root, NULL when not given;
 * a relative one from our working directory, which runc starts in and
 * makes it absolute against before create changes into the bundle), else
 * $XDG_RUNTIME_DIR/runc where runc honours it, else /run/runc. An empty
 * ROOT is an error: runc resolves it from a different directory per
 * command, so no later delete would find the container. */
int confine_runc_root (const char *root, char **out, confine_error_t *err);

/* Find container ID, just created from BUNDLE (open as BUNDLE_FD, the
 * directory whose config.json the gate judged), through runc's own record
 * under state root ROOT (absolute): state.json, a regular file only we
 * can write, must name that very bundle directory (its `bundle=` label,
 * compared by inode) and an init pid whose start time, read through the
 * pin, is the one runc recorded. REF (closed by the caller) pins the
 * init, which must be runc's waiting init; SEEN gets what its /proc
 * status shows. Negative when the record or the init cannot be trusted or
 * read: a refusal. */
int confine_verify_created_find (const char *root, const char *id, const char *bundle,
                                 int bundle_fd, confine_task_ref_t *ref, confine_observed_t *seen,
                                 confine_error_t *err);
/* Judge the init REF (SEEN) against SPEC, whose verdict V is: the mounts
 * the kernel made (post-pivot) and the namespaces it is in, its
 * capability sets within the spec's, no_new_privs when the spec sets it,
 * seccomp filter mode when the spec has a filter, and process.cwd
 * resolved in its root. A failure replaces the spec's result for its
 * rule, and V is finished again with the policy's severities,
 * exemptions and mode. Negative when the init exited or changed meanwhile. */
int confine_verify_created_judge (const confine_context_t *ctx, const confine_spec_t *spec,
                                  const confine_task_ref_t *ref, const confine_observed_t *seen,
                                  confine_verdict_t *v, confine_error_t *err);

/* A created container that must not run: SIGKILL to its init while REF
 * shows it alive, then the runtime's `delete --force ID`. */
void confine_verify_destroy (const confine_runtime_t *rt, const char *id,
                             const confine_task_ref_t *ref);

/* Run PATH with ARGV as a child that shares our stdio and fds, forwarding
 * termination signals to it, and wait. *STATUS is its exit status, or
 * 128+N when killed by signal N. With OUT, its stdout is captured (at most
 * MAX bytes) and its stderr discarded. */
int confine_run_child (const char *path, char *const *argv, int *status, char **out, size_t max,
                       confine_error_t *err);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* What the shim adds to a spec before runc reads it: the decision (a pure
 * function of the policy, the spec and a few host facts, unit-tested row by
 * row) and its application to the config.json tree.
 *
 * A hook cannot do this: runc has read config.json before any hook runs. */
#ifndef CONFINE_INJECT_H
#define CONFINE_INJECT_H

#include <stdbool.h>

#include "../base/error.h"
#include "../base/strv.h"
#include "policy.h"
#include "rules.h"
#include "seccomp.h"
#include "../oci/json.h"
#include "../oci/spec.h"

/* runc has no default hook timeout; the gate's hook must never hang a
 * start (it also gives up by itself, earlier). */
#define CONFINE_INJECT_HOOK_TIMEOUT 30

/* The hook entry the shim injects, exactly as it is written. */
typedef struct
{
  const char *path;
  const char *args[4]; /* NULL-terminated */
  const char *env[2];  /* NULL-terminated */
  int timeout;
} confine_inject_hook_t;

/* The host facts the decision reads, gathered by confine_inject_probe. */
typedef struct
{
  /* The policy's default AppArmor profile is loaded in an allowed mode.
   * On a host without AppArmor nothing is injected, and the AppArmor rule
   * decides (reject, or skip when the policy says so). */
  bool apparmor_default_usable;
} confine_inject_host_t;

/* What to change. */
typedef struct
{
  bool seccomp;           /* linux.seccomp := the default profile, converted */
  bool apparmor;          /* process.apparmorProfile := the default profile */
  bool no_new_privileges; /* process.noNewPrivileges := true */
  bool hook;              /* append the gate's createRuntime hook */
  size_t devices;         /* device cgroup rules to take out (devices.strip) */
} confine_inject_plan_t;

/* What the shim changed in a spec, one sentence each, for the decision
 * log: an operator must always be able to answer "why does my container
 * have this filter?". */
typedef confine_strv_t confine_changes_t;

int confine_changes_add (confine_changes_t *c, confine_error_t *err, const char *fmt, ...)
    CONFINE_PRINTF (3, 4);

/* The entry for POLICY's hook, run with POLICY_PATH (absolute: the hook
 * runs with the bundle as its cwd). Borrows both. */
void confine_inject_hook_entry (const confine_policy_t *policy, const char *policy_path,
                                confine_inject_hook_t *out);

/* Read the host facts the plan for SPEC needs, and only those: the
 * AppArmor listing is read only for a spec that names no profile. */
void confine_inject_probe (const confine_policy_t *policy, const confine_spec_t *spec,
                          confine_inject_host_t *out);

/* Decide what to change in SPEC. Pure: no I/O. The hook counts as
 * present only when a createRuntime entry equals HOOK in path, args, env
 * and timeout. */
void confine_inject_plan (const confine_policy_t *policy, const confine_spec_t *spec,
                          const confine_inject_host_t *host, const confine_inject_hook_t *hook,
                          confine_inject_plan_t *out);

/* Apply PLAN to DOC, the tree SPEC was parsed from, and say what changed
 * in CHANGES. The default seccomp profile is read and converted here,
 * against the container's bounding set. Returns the number of edits made,
 * negative on error. */
int confine_inject_apply (const confine_policy_t *policy, const confine_spec_t *spec,
                          const confine_inject_plan_t *plan, const confine_inject_hook_t *hook,
                          confine_json_t *doc, confine_changes_t *changes, confine_error_t *err);

/* ---- repairing an engine's own filter (policy inject.seccomp_repair) ----
 *
 * Podman's default profile, and Docker's for a container with
 * CAP_SYS_ADMIN, allow mount, unshare, setns, keyctl and more. Rather
 * than refuse every such container, the shim adds the missing denials and
 * nothing else: it never allows a syscall the filter denied. How runc
 * builds the filter decides how (checked on the BPF libseccomp exports):
 * rules are added in order, and for one syscall the first rule without
 * conditions wins (a later one, conditional or not, is dropped), while a
 * rule without conditions replaces the conditional ones added before it;
 * a rule whose action equals the default is skipped. So a leaking name is
 * taken out of every rule, and when the default action does not deny it,
 * a denial goes first. A syscall refused only for some arguments (clone
 * with CLONE_NEW* flags, mknod of a device node) is repaired only where
 * every rule naming it has no conditions, and gets rules on the argument.
 * The repaired section is judged again by the rule. */

/* What the filter lets through, as syscalls. */
typedef struct
{
  char **names;  /* must_block syscalls and clone3 that get through, NULL-terminated */
  bool clone_ns; /* clone with a CLONE_NEW* flag gets through */
  /* mknod, mknodat: gets through with a device node's mode, and is not
   * in NAMES (a must_block denial covers every mode) */
  bool device_nodes[2];
  /* confine_seccomp_setid_calls: gets through with a setuid or setgid
   * mode, and is not in NAMES; confine_seccomp_setid_denied: gets through
   * (then it is in NAMES too) */
  bool setid[CONFINE_SECCOMP_SETID_CALLS];
  bool setid_denied[CONFINE_SECCOMP_SETID_DENIED];
} confine_seccomp_leaks_t;

/* Read the seccomp rule's report of what gets through (its result's
 * names, from the BPF libseccomp builds, or from the verdict cache:
 * `mount`, `keyctl (x86)`, `clone3`, `clone with CLONE_NEW* flags`) back
 * into syscalls, so no filter is built twice. A report this cannot read
 * is not repaired, and the rule refuses. */
void confine_inject_seccomp_leaks (const confine_policy_t *policy, char *const *reported,
                                   confine_seccomp_leaks_t *out);
void confine_seccomp_leaks_clear (confine_seccomp_leaks_t *l);

typedef enum
{
  CONFINE_CLONE_KEEP,
  /* clone is allowed only when (flags & CLONE_NEW*) == 0, Docker's rule,
   * where the default action denies */
  CONFINE_CLONE_ALLOW_WITHOUT_NEW,
  /* clone with any CLONE_NEW* flag is denied, where the default allows */
  CONFINE_CLONE_DENY_NEW,
} confine_clone_fix_t;

/* The repair. Strings are borrowed from the leaks. */
typedef struct
{
  const char **strip;  /* taken out of every rule, NULL-terminated */
  const char **eperm;  /* denied with EPERM by a first rule, NULL-terminated */
  bool clone3_enosys;  /* clone3 denied with ENOSYS by a first rule: glibc falls back to
                          clone only on ENOSYS, and denying clone3 otherwise breaks threads */
  confine_clone_fix_t clone;
  /* mknod, mknodat (stripped): allowed only for the file types that are
   * not devices, where the default action denies; else denied with EPERM
   * for S_IFCHR and S_IFBLK */
  bool device_nodes[2];
  bool device_allow_others;
  /* confine_seccomp_setid_calls (stripped): allowed only without S_ISUID
   * and S_ISGID in the mode where the default action denies (SETID_ALLOW),
   * else denied with EPERM with either; mknod and mknodat of a regular
   * file likewise, their other file types as DEVICE_NODES says */
  bool setid[CONFINE_SECCOMP_SETID_CALLS];
  bool setid_allow;
  const char **enosys; /* denied with ENOSYS by a first rule (openat2, io_uring: programs
                          fall back), NULL-terminated */
  const char **eopnotsupp; /* denied with EOPNOTSUPP by a first rule (setxattr and its kin:
                              tools go on without xattrs), NULL-terminated */
  const char *unrepaired; /* why a leak is left for the rule to refuse, or NULL */
} confine_seccomp_repair_t;

/* Decide the repair of S for LEAKS. Pure: no I/O. */
void confine_inject_seccomp_plan (const confine_seccomp_t *s, const confine_seccomp_leaks_t *leaks,
                                  confine_seccomp_repair_t *out);
void confine_seccomp_repair_clear (confine_seccomp_repair_t *r);

/* Apply REPAIR to DOC's linux.seccomp. Returns the number of edits. */
int confine_inject_seccomp_repair (const confine_seccomp_repair_t *r, confine_json_t *doc,
                                   confine_changes_t *changes, confine_error_t *err);

/* What the shim makes of a spec before runc reads it, judged: inject what
 * the policy asks (the hook only with POLICY_PATH, the policy it is to
 * read; NULL where the shim checks the created container itself) into DOC (the tree *SPEC was parsed from), judge the
 * result in CTX (with the spec's own annotations), and where the spec's
 * own filter lets must_block syscalls through (inject.seccomp_repair),
 * add the missing denials and judge again. The shim's create and
 * `confine check --inject` decide through here. *SPEC becomes the spec
 * parsed from the bytes runc would read, which *TEXT holds (NULL when
 * nothing changed); every change goes to CHANGES. Returns the number of
 * edits, negative on error; V is the caller's to clear either way. */
int confine_inject_and_judge (const confine_context_t *ctx, const char *policy_path,
                              confine_spec_t **spec, confine_json_t *doc, char **text,
                              size_t *tlen, confine_changes_t *changes, confine_verdict_t *v,
                              confine_error_t *err);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* What the shim adds to a spec before runc reads it: the decision (a pure
 * function of the policy, the spec and a few host facts, unit-tested row by
 * row) and its application to the config.json tree.
 *
 * A hook cannot do this: runc has read config.json before any hook runs. */
#ifndef CONFINE_INJECT_H
#define CONFINE_INJECT_H

#include <stdbool.h>

#include "error.h"
#include "policy.h"
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
} confine_inject_plan_t;

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

/* Apply PLAN to DOC, the tree SPEC was parsed from. The default seccomp
 * profile is read and converted here, against the container's bounding
 * set. Returns the number of edits made, negative on error. */
int confine_inject_apply (const confine_policy_t *policy, const confine_spec_t *spec,
                          const confine_inject_plan_t *plan, const confine_inject_hook_t *hook,
                          confine_json_t *doc, confine_error_t *err);

#endif

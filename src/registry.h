/* SPDX-License-Identifier: Apache-2.0 */
/* The rule registry: one row per rule, in the order rules are evaluated
 * and reported. The policy's `rules.<name>` keys, the exemptions' rule
 * names, the decision log and the CLI all come from this table.
 *
 * Adding a rule is one row here, one file defining confine_rule_<name>
 * (the signature is in rules.h), one test table in tests/unit, and one
 * README entry.
 *
 *   X (ENUM, name, main policy key, default severity, judged for exec)
 *
 * The policy key is what a failure cites when the rule cannot tell which
 * key governs it (an internal error); each rule names the precise key of
 * each failure itself. A rule judged for exec also runs for an exec
 * process (runc runs no hooks for exec); the others are skipped there. */
#ifndef CONFINE_REGISTRY_H
#define CONFINE_REGISTRY_H

#define CONFINE_RULE_TABLE(X)                                                                     \
  X (APPARMOR, apparmor, "apparmor.allowed_modes", CONFINE_SEV_DENY, true)                       \
  X (SECCOMP, seccomp, "seccomp.must_block", CONFINE_SEV_DENY, false)                            \
  X (SECCOMP_NEEDS, seccomp_needs, "rules.seccomp_needs", CONFINE_SEV_WARN, false)               \
  X (CAPABILITIES, capabilities, "capabilities.forbidden", CONFINE_SEV_DENY, true)               \
  X (NAMESPACES, namespaces, "namespaces.required", CONFINE_SEV_DENY, false)                     \
  X (MOUNTS, mounts, "mounts.sensitive", CONFINE_SEV_DENY, false)                                \
  X (DEVICES, devices, "devices.allowed", CONFINE_SEV_DENY, false)                               \
  X (HOOKS, hooks, "hooks.allowed", CONFINE_SEV_DENY, false)                                     \
  X (MASKED_PATHS, masked_paths, "masked_paths.required", CONFINE_SEV_DENY, false)               \
  X (NO_NEW_PRIVILEGES, no_new_privileges, "rules.no_new_privileges", CONFINE_SEV_WARN, true)  \
  X (FIELDS, fields, "rules.fields", CONFINE_SEV_DENY, false)                                    \
  X (CWD, cwd, "rules.cwd", CONFINE_SEV_DENY, true)                                              \
  X (CRUN, crun, "crun.allowed_annotations", CONFINE_SEV_DENY, false)  \
  X (NO_PIVOT, no_pivot, "rules.no_pivot", CONFINE_SEV_DENY, false)                            \
  X (CGROUPS, cgroups, "cgroups.allowed_unified", CONFINE_SEV_DENY, false)                      \
  X (RLIMITS, rlimits, "process.max_rtprio", CONFINE_SEV_DENY, true)                      \
  X (CONMON, conmon, "conmon.allowed_subtrees", CONFINE_SEV_DENY, false)

#endif

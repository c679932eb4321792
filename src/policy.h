/* SPDX-License-Identifier: Apache-2.0 */
/* The policy file: what the gate refuses, and how strictly. */
#ifndef CONFINE_POLICY_H
#define CONFINE_POLICY_H

#include <stdbool.h>
#include <regex.h>
#include <stdint.h>

#include "../base/error.h"
#include "registry.h"

#define CONFINE_DEFAULT_POLICY "/etc/confine/policy.json"
#define CONFINE_POLICY_MAX_BYTES (1u << 20)
/* `runtime` when the policy names none. */
#define CONFINE_POLICY_DEFAULT_RUNTIME "runc"

typedef enum
{
  CONFINE_SEV_OFF,
  CONFINE_SEV_WARN,
  CONFINE_SEV_DENY,
} confine_severity_t;

/* The rules, from the registry (registry.h). */
#define CONFINE_RULE_ENUM(e, name, key, sev, exec) CONFINE_RULE_##e,
typedef enum
{
  CONFINE_RULE_TABLE (CONFINE_RULE_ENUM) CONFINE_RULES
} confine_rule_t;
#undef CONFINE_RULE_ENUM

extern const char *const confine_rule_names[CONFINE_RULES + 1]; /* NULL-terminated */

typedef struct
{
  char **rules;          /* waived rules, NULL-terminated */
  char *id;              /* regex on the container id, or NULL */
  char **annotation_keys; /* regexes, paired with annotation_values */
  char **annotation_values;
  char *comment;
  /* The same, compiled once, each anchored to match the whole string: an
   * id pattern `monitor` must not waive rules for `evil-monitor`. */
  regex_t *id_rx;
  regex_t *key_rx;
  regex_t *value_rx;
  size_t n_annotations;
} confine_exemption_t;

/* A `devices.allowed` entry, written as the kernel's devices.allow line
 * `TYPE MAJOR:MINOR ACCESS`, e.g. `c 136:* rwm`. */
typedef struct
{
  char type;            /* 'c' or 'b' */
  int64_t major, minor; /* -1: any */
  bool read, write, mknod;
} confine_device_allow_t;

/* An entry's patterns, compiled: all of them at load, or (when a policy
 * file's patterns are known to compile, see confine_policy_load) the
 * first time a hook's path reaches the entry. Behind a pointer, so a
 * policy the rules hold const can still compile on first use. */
typedef struct
{
  bool compiled;
  regex_t *args;
  regex_t *env;
} confine_hook_rx_t;

/* A `hooks.allowed` entry: the file a hook may run and the argv and env
 * it may run with. Patterns match whole strings. */
typedef struct
{
  char *path;      /* absolute host path */
  char **args;     /* argv patterns, one per position, as written */
  size_t n_args;
  char **env;      /* env patterns, as written; every env entry must match one */
  size_t n_env;
  confine_hook_rx_t *rx;
} confine_hook_allow_t;

/* Does the whole of S match PATTERN, a policy's pattern compiled as RX?
 * Never for S longer than CONFINE_PATTERN_MAX_SUBJECT bytes: glibc's
 * matcher builds its automaton as it reads and keeps every state until
 * regfree, so a long string the container's author writes costs time
 * and memory in proportion to its length times the pattern's positions
 * (a 16 KB annotation, 20 s and 2.7 GB on one accepted pattern). No
 * match keeps the rules on (no exemption) and refuses a hook. Within the
 * bound a pattern that keeps many positions alive (`.*a.{16}`, over a
 * second a 4 KB string, and its automaton kept between strings) is still
 * slow: the hook's and the shim's deadline then refuses the container.
 * A pattern of printable ASCII without any of ERE's special characters
 * matches the one string equal to it (`libnetwork-setkey`; the programs
 * run in the C locale): it is compared, not run through regexec, whose
 * automaton, built lazily for each string, costs thousands of
 * instructions and about 2 KiB of fresh heap per character matched. */
#define CONFINE_PATTERN_MAX_SUBJECT 4096
bool confine_pattern_matches (const char *pattern, const regex_t *rx, const char *s);

/* Compile A's patterns unless they are. Fails only on a pattern regcomp
 * refuses, which the load has ruled out for this build. */
int confine_hook_allow_compile (const confine_hook_allow_t *a, confine_error_t *err);

typedef struct
{
  char *path; /* the file it was loaded from, resolved; NULL when parsed from memory */
  bool audit;
  char *securityfs;
  char *runtime;
  char *hook_path;
  char *decision_log;
  char *cache_dir;
  confine_severity_t severity[CONFINE_RULES];

  bool apparmor_skip_when_unavailable;
  char **apparmor_allowed_modes;
  char *apparmor_default_profile;
  /* fnmatch(3) patterns of the profiles a container may name; the
   * default_profile is always allowed. */
  char **apparmor_allowed_profiles;

  char *seccomp_default_profile;
  char **must_block;
  bool block_namespace_clone;
  bool block_device_nodes;
  /* A container seccomp.setid_scope counts may not make setuid, setgid
   * or file-capability programs (seccomp and CAP_SETFCAP). */
  bool block_setid_files;
  /* seccomp.setid_scope `all`: every container counts, not only one with
   * such a bind (another container can hand it a descriptor of one). */
  bool setid_every_container;

  char **caps_forbidden;
  uint64_t caps_forbidden_mask; /* bit n: capability number n is forbidden */
  char **namespaces_required;
  char **masked_paths_required;
  char **readonly_paths_required;
  char **mounts_sensitive;
  char **mounts_sensitive_subtrees;
  char **mounts_allowed_subtrees;
  char **mounts_allowed_types;
  char **crun_allowed_annotations;
  char **conmon_allowed_subtrees; /* engines' trees where conmon may write (src/conmon.c) */
  char **mounts_readonly_subtrees; /* host trees a bind may lie inside only read-only */
  char **runtimes_refused; /* runtime executables refused by name (src/standin.h) */
  char **cgroups_allowed_unified; /* linux.resources.unified keys allowed beyond the limits */
  char **cgroups_shared_slices;   /* slices a container may share with host services */
  char **mounts_allowed_volume_devices; /* sources of engine-mounted volume filesystems allowed */
  char **mounts_allowed_roots;   /* patterns a root filesystem inside a sensitive subtree matches */
  char **mounts_owner_bundles;   /* bundles whose owner annotations only the engine writes */
  char **mounts_owner_annotations; /* annotations naming the owner `{owner}` must match */
  char **mounts_writable_pseudo; /* sysfs, cgroup, cgroup2 that may be mounted read-write */
  char **mounts_propagation_subtrees; /* trees whose binds may receive later host mounts */
  char **mounts_allowed_sockets; /* host sockets a bind source may hold (patterns) */
  confine_device_allow_t *devices_allowed;
  size_t n_devices_allowed;
  confine_device_allow_t *devices_strip; /* device cgroup rules the shim removes */
  size_t n_devices_strip;
  confine_hook_allow_t *hooks_allowed;
  size_t n_hooks_allowed;

  int64_t min_oom_score_adj; /* the lowest process.oomScoreAdj allowed */
  uint64_t max_rtprio;       /* the highest RLIMIT_RTPRIO in process.rlimits */

  bool inject_seccomp;
  bool inject_seccomp_repair; /* add the denials an engine's filter lacks */
  bool inject_apparmor;
  bool inject_no_new_privileges;
  bool inject_hook;

  bool authz_copy_allow; /* confine-authz lets docker cp through (authz.copy "allow") */
  char *authz_docker_root; /* dockerd's data root, where confine-authz reads its volumes and
                           * containers (authz.docker_root) */

  confine_exemption_t *exemptions;
  size_t n_exemptions;

  char sha256[65]; /* of the policy file's bytes, for the decision log */
} confine_policy_t;

/* Load and validate a policy. Refuses a file that is not a regular file
 * owned by root and unwritable by group and others (doas does the same):
 * whoever can write the policy can switch the gate off. CHECK_OWNER is
 * false only for `confine check --policy` run by an unprivileged user. */
int confine_policy_load (const char *path, bool check_owner, confine_policy_t **out,
                         confine_error_t *err);
int confine_policy_parse (const char *buf, size_t len, confine_policy_t **out, confine_error_t *err);
/* The policy's `runtime` alone, from the same root-only file, into OUT:
 * what the shim's pass-through needs, read without validating the rest.
 * A policy whose `runtime` cannot be read unambiguously that way is
 * loaded in full, so a broken one is refused with its reason. */
int confine_policy_runtime (const char *path, char *out, size_t size, confine_error_t *err);
void confine_policy_free (confine_policy_t *p);
void confine_cleanup_policyp (confine_policy_t **p);
#define cleanup_policy __attribute__ ((cleanup (confine_cleanup_policyp)))

#endif

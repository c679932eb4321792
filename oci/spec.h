/* SPDX-License-Identifier: Apache-2.0 */
/* Typed views of the OCI documents the gate reads: the runtime spec
 * (config.json), an exec process (process.json) and the hook state.
 * This is the only place that turns untrusted JSON into C structs; every
 * check reads these structs, never the JSON tree.
 *
 * The reading follows Go's encoding/json as runc uses it, and refuses the
 * documents on which the two could disagree (see spec.c). */
#ifndef CONFINE_SPEC_H
#define CONFINE_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"

/* Bounds on what we accept. runc has none, but a gate that reads without
 * bound is a denial of service on every container start. */
#define CONFINE_SPEC_MAX_BYTES (16u << 20)
#define CONFINE_STATE_MAX_BYTES (1u << 20)

enum confine_cap_set
{
  CONFINE_CAP_BOUNDING,
  CONFINE_CAP_EFFECTIVE,
  CONFINE_CAP_INHERITABLE,
  CONFINE_CAP_PERMITTED,
  CONFINE_CAP_AMBIENT,
  CONFINE_CAP_SETS
};
extern const char *const confine_cap_set_names[CONFINE_CAP_SETS];

typedef struct
{
  char **names[CONFINE_CAP_SETS]; /* NULL-terminated; NULL when the set is absent */
} confine_caps_t;

typedef struct
{
  bool present;
  char *cwd;              /* NULL when absent */
  char *apparmor_profile; /* NULL when absent or empty */
  bool no_new_privileges;
  bool has_oom_score_adj;
  int64_t oom_score_adj;
  bool has_rtprio;  /* an RLIMIT_RTPRIO entry in process.rlimits */
  uint64_t rtprio;  /* the highest hard or soft value of those */
  bool has_capabilities;
  confine_caps_t caps;
  bool has_uid;
  int64_t uid; /* process.user.uid */
} confine_process_t;

typedef struct
{
  char *destination;
  char *type;
  char *source;
  char **options; /* NULL-terminated, never NULL */
} confine_mount_t;

typedef struct
{
  char *type;
  char *path; /* NULL: a new namespace */
} confine_namespace_t;

/* One entry of linux.uidMappings or gidMappings: SIZE ids from
 * CONTAINER_ID inside the user namespace are HOST_ID and up outside. */
typedef struct
{
  uint64_t container_id, host_id, size;
} confine_id_mapping_t;

typedef struct
{
  bool allow;
  char *type; /* NULL: "a" */
  bool has_major, has_minor;
  int64_t major, minor;
  char *access;
} confine_device_rule_t;

typedef struct
{
  uint32_t index;
  uint64_t value, value_two;
  char *op;
} confine_seccomp_arg_t;

typedef struct
{
  char **names; /* NULL-terminated, never NULL */
  char *action;
  bool has_errno_ret;
  uint32_t errno_ret;
  confine_seccomp_arg_t *args;
  size_t n_args;
} confine_seccomp_syscall_t;

typedef struct
{
  char *default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  char **architectures; /* NULL-terminated, never NULL */
  char **flags;         /* NULL-terminated, never NULL */
  char *listener_path;
  confine_seccomp_syscall_t *syscalls;
  size_t n_syscalls;
} confine_seccomp_t;

/* Device nodes runc creates in the container (linux.devices). */
typedef struct
{
  char *path; /* inside the container */
  char *type; /* c, b, u or p */
  int64_t major, minor;
} confine_device_t;

/* The hook stages of the runtime spec, in the order runc runs them. */
enum confine_hook_stage
{
  CONFINE_HOOK_PRESTART,
  CONFINE_HOOK_CREATE_RUNTIME,
  CONFINE_HOOK_CREATE_CONTAINER,
  CONFINE_HOOK_START_CONTAINER,
  CONFINE_HOOK_POSTSTART,
  CONFINE_HOOK_POSTSTOP,
  CONFINE_HOOK_STAGES
};
extern const char *const confine_hook_stage_names[CONFINE_HOOK_STAGES];

typedef struct
{
  char *path;
  char **args; /* NULL-terminated, never NULL */
  char **env;  /* NULL-terminated, never NULL */
  bool has_env; /* env given: runc hands the hook its whole environment otherwise */
  bool has_timeout;
  int64_t timeout;
} confine_hook_t;

typedef struct
{
  char *key;
  char *value;
} confine_sysctl_t;

typedef struct
{
  char *key;
  char *value;
} confine_annotation_t;

typedef struct
{
  confine_process_t process;
  confine_mount_t *mounts;
  size_t n_mounts;
  confine_annotation_t *annotations;
  size_t n_annotations;
  char *root_path; /* root.path as written ("" in a root without one), NULL when no root */
  bool root_readonly;
  confine_hook_t *hooks[CONFINE_HOOK_STAGES];
  size_t n_hooks[CONFINE_HOOK_STAGES];
  bool has_linux;
  char *rootfs_propagation; /* NULL when absent */
  confine_sysctl_t *sysctls;
  size_t n_sysctls;
  confine_device_t *devices;
  size_t n_devices;
  char **refused_fields; /* fields set that the gate refuses (fields.h), never NULL */
  confine_namespace_t *namespaces;
  size_t n_namespaces;
  /* linux.uidMappings [0] and gidMappings [1], which runc writes to a new
   * user namespace's maps. */
  confine_id_mapping_t *id_mappings[2];
  size_t n_id_mappings[2];
  char **masked_paths;   /* NULL-terminated, never NULL */
  char **readonly_paths; /* NULL-terminated, never NULL */
  confine_device_rule_t *device_rules;
  size_t n_device_rules;
  /* linux.resources.unified: cgroup v2 file names and the values runc
   * writes into them, in the document's order (a string map, read as the
   * annotations are). */
  confine_annotation_t *unified;
  size_t n_unified;
  char *cgroups_path; /* linux.cgroupsPath; NULL when absent or "" (runc's default) */
  confine_seccomp_t *seccomp; /* NULL: no filter */
} confine_spec_t;

typedef struct
{
  char *id;
  char *status;
  char *bundle;
  int64_t pid;
  confine_annotation_t *annotations;
  size_t n_annotations;
} confine_state_t;

/* Parse a config.json text. DOC, when not NULL, receives the tree as well
 * (for the shim's rewrite), so the text is parsed once. */
int confine_spec_parse (const char *buf, size_t len, confine_spec_t **out, confine_json_t **doc,
                        confine_error_t *err);
/* Open BUNDLE and read its config.json (bounded, regular file only),
 * refusing a bundle whose directory or config.json someone other than
 * root (or us) could change, or whose path leads through a directory
 * others can change (confine_open_trusted_path): the gate judges the file
 * once, and runc finds it again by the path and reads it once, and nobody
 * but root may come between. *DIRFD gets the bundle directory. */
int confine_bundle_read (const char *bundle, int *dirfd, char **buf, size_t *len,
                         confine_error_t *err);
/* Read BUNDLE/config.json as above and parse it. */
int confine_spec_load_bundle (const char *bundle, confine_spec_t **out, confine_json_t **doc,
                              confine_error_t *err);
/* An exec process.json: a bare Process object. */
int confine_process_parse (const char *buf, size_t len, confine_process_t *out, confine_error_t *err);
/* Parse only the seccomp section of a typed tree (the shim parses its
 * default profile into the same struct). */
int confine_seccomp_parse (const confine_json_t *node, const char *where, confine_seccomp_t **out,
                           confine_error_t *err);
/* A LinuxResources document (what `runc update --resources` decodes):
 * its `unified` map into *OUT (*COUNT pairs; none when absent). */
int confine_resources_parse_unified (const char *buf, size_t len, confine_annotation_t **out,
                                     size_t *count, confine_error_t *err);
void confine_annotations_free (confine_annotation_t *a, size_t n);
int confine_state_parse (const char *buf, size_t len, confine_state_t **out, confine_error_t *err);

void confine_spec_free (confine_spec_t *spec);
void confine_process_clear (confine_process_t *p);
void confine_seccomp_free (confine_seccomp_t *s);
void confine_state_free (confine_state_t *st);
void confine_cleanup_specp (confine_spec_t **s);
void confine_cleanup_statep (confine_state_t **s);
void confine_cleanup_seccompp (confine_seccomp_t **s);
#define cleanup_spec __attribute__ ((cleanup (confine_cleanup_specp)))
#define cleanup_state __attribute__ ((cleanup (confine_cleanup_statep)))
#define cleanup_seccomp_spec __attribute__ ((cleanup (confine_cleanup_seccompp)))

#endif

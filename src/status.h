/* SPDX-License-Identifier: Apache-2.0 */
/* What the host and its running containers really have, read from the
 * kernel and from the runtimes' state, for `confine status`. The rules
 * judge what a spec asks for; this reads what a process got, which is the
 * only way to see a container that started around the gate. */
#ifndef CONFINE_STATUS_H
#define CONFINE_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../oci/spec.h"

/* runc's state.json embeds the whole libcontainer config; a few hundred
 * KiB at most in practice. */
#define CONFINE_RUNC_STATE_MAX_BYTES (16u << 20)
/* Containers listed per state root, and state roots per scan. */
#define CONFINE_STATUS_MAX_CONTAINERS 100000
#define CONFINE_STATUS_MAX_ROOTS 1024

/* The seccomp return actions this kernel offers
 * (/proc/sys/kernel/seccomp/actions_avail), NULL-terminated. */
int confine_seccomp_actions_avail (char ***out, confine_error_t *err);

/* Fields 3 (state) and 22 (start time, clock ticks after boot) of
 * /proc/<pid>/stat; _parse reads them from the file's text BUF (which it
 * changes), counted after the command name, which may itself contain
 * spaces and ")". */
int confine_proc_stat (pid_t pid, char *state, uint64_t *start);
int confine_proc_stat_parse (char *buf, char *state, uint64_t *start);

/* runc's own record of a container, <root>/<id>/state.json: runc writes
 * it (0600, in a 0700 root) once `create` has set the init up. */
typedef struct
{
  char *id;
  int64_t pid;     /* init_process_pid */
  uint64_t start;  /* init_process_start: field 22 of the init's /proc/PID/stat */
  bool has_start;
  char *bundle;    /* the config's `bundle=` label: runc's cwd when it read config.json, or NULL */
} confine_runc_state_t;

int confine_runc_state_parse (const char *buf, size_t len, confine_runc_state_t *out,
                              confine_error_t *err);
void confine_runc_state_clear (confine_runc_state_t *st);

/* A container found in a runc state root. */
typedef struct
{
  char *root;   /* the state root it was found in */
  char *id;
  char *bundle; /* from the `bundle=` label, or NULL */
  pid_t pid;    /* init process, 0 when unknown */
  /* "running", "created" (init waits for `start`; AppArmor and, without
   * noNewPrivileges, seccomp apply at its execve) or "stopped" (the pid
   * is gone or belongs to another process now). */
  const char *status;
  char *error;  /* the state could not be read: why */
} confine_container_t;

/* The name the engine gave container ID whose spec is SPEC, in *OUT, or
 * NULL when no engine recorded one we can read: Kubernetes CRI and CRI-O
 * annotations (namespace/pod/container), nerdctl's annotation, Docker's
 * config.v2.json (found beside the /etc/hostname file Docker mounts into
 * every container, so any data-root works) and Podman's containers.json
 * (beside the bundle). Only for people: nothing is decided on a name. */
int confine_container_name (const char *id, const char *bundle, const confine_spec_t *spec,
                            char **out, confine_error_t *err);

/* A state root that exists but could not be listed (e.g. /run/runc, 0700
 * root, read by an unprivileged user). Its containers are unknown. */
typedef struct
{
  char *root;
  char *error; /* "cannot read (permission denied)", ... */
} confine_root_error_t;

typedef struct
{
  confine_container_t *items;
  size_t n;
  confine_root_error_t *unreadable;
  size_t n_unreadable;
} confine_containers_t;

/* The default runc state roots on this host: Docker's per-runtime roots
 * (/run/docker/runtime-<name>/moby, which includes ours once registered),
 * containerd's per-namespace roots (/run/containerd/runc/<ns>) and runc's
 * own (/run/runc). Only those that exist are returned; a parent that
 * exists but cannot be listed (/run/docker, read by an unprivileged user)
 * is returned in their place, so confine_runc_containers reports it as
 * unreadable rather than the roots under it going unseen. */
int confine_runc_default_roots (char ***out, confine_error_t *err);

/* List the containers under each root. A root that does not exist is
 * skipped; a root that exists but cannot be listed goes to unreadable, and
 * a container whose state cannot be read is listed with error set, rather
 * than either being dropped: nothing is ever silently missing. */
int confine_runc_containers (char *const *roots, confine_containers_t *out, confine_error_t *err);
void confine_containers_clear (confine_containers_t *list);

/* Engine registration, read from configuration files under SYSROOT ("/"
 * on a live host). STATE is one of "registered", "partial" (e.g. the
 * runtime is declared but is not the default), "not registered",
 * "absent" (no configuration file) or "invalid". */
typedef struct
{
  const char *state;
  char *file;            /* the file read */
  char *detail;          /* for people */
  char *default_runtime; /* the engine's default runtime (Docker's
                          * default-runtime, containerd CRI's
                          * default_runtime_name), NULL when not applicable */
} confine_registration_t;

int confine_registration_docker (const char *sysroot, confine_registration_t *out,
                                 confine_error_t *err);
int confine_registration_containerd (const char *sysroot, confine_registration_t *out,
                                     confine_error_t *err);
int confine_registration_hooksd (const char *sysroot, confine_registration_t *out,
                                 confine_error_t *err);
/* The runtime binaries: "registered" when every runc-compatible one found
 * is a stand-in (install.sh's P with the real runtime at P.real) and no
 * runtime the gate cannot see is installed; "partial" otherwise, naming
 * each ungated one (a runc or crun without a stand-in, a containerd shim
 * or runtime that is not runc-compatible, such as Kata or gVisor);
 * "absent" when there is no runtime at all. */
int confine_registration_runtimes (const char *sysroot, confine_registration_t *out,
                                   confine_error_t *err);
void confine_registration_clear (confine_registration_t *r);

#endif

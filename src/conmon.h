/* SPDX-License-Identifier: Apache-2.0 */
/* conmon, the monitor Podman and CRI-O start for every container: it runs
 * the runtime's `create` as its child, then writes, as root and on host
 * paths its own command line names, the container's output (`--log-path`),
 * pid files, exit files and attach sockets. A Podman API user chooses
 * some of those paths (`--log-opt path=`, `--pidfile`), so the paths are
 * judged like a writable bind of them: the container's output in
 * /etc/profile.d is root on the host. */
#ifndef CONFINE_CONMON_H
#define CONFINE_CONMON_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"

/* One host path conmon (or the runtime it runs, told by conmon) writes. */
typedef struct
{
  const char *option; /* the option that names it, as conmon spells it: "--log-path" */
  char *value;        /* the option's value as given */
  char *path;         /* the path written: the value, or a file conmon makes in it */
} confine_conmon_write_t;

typedef struct
{
  char *cid;    /* --cid: the container conmon monitors */
  char *cuuid;  /* --cuuid */
  char *bundle; /* --bundle */
  bool exec;    /* --exec: an exec session's conmon, not a container's */
  confine_conmon_write_t *writes;
  size_t n_writes;
} confine_conmon_t;

/* Parse conmon's command line ARGV (ARGC entries, argv[0] its name) as
 * conmon 2.1's GLib option parser reads it, into the paths it writes.
 * Anything conmon might read otherwise than this does (an option it does
 * not have, a short option given its value in the same word, a log path
 * with a second colon, a relative path, an empty one) is an error: the
 * gate cannot say where conmon writes. */
int confine_conmon_parse (char *const *argv, size_t argc, confine_conmon_t *out,
                          confine_error_t *err);
void confine_conmon_clear (confine_conmon_t *c);

/* Is process PID conmon? Known by the executable the kernel ran
 * (/proc/PID/exe), named `conmon` in any directory: not by argv[0] or the
 * command name, which the process sets itself. */
int confine_conmon_is (long pid, bool *is, confine_error_t *err);

/* The conmon that started the runtime RUNTIME (a hook's parent), or 0 in
 * *PID when it was not started by conmon: RUNTIME's parent, or, when that
 * is the gate's shim (confine-runtime, or the stand-in whose `.real`
 * RUNTIME is), the shim's parent. */
int confine_conmon_above_runtime (long runtime, long *pid, confine_error_t *err);

#endif

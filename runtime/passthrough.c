/* SPDX-License-Identifier: Apache-2.0 */
/* Everything the gate does not judge goes to the real runtime unchanged:
 * argv (but argv[0]), environment, fds, signals and exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shim.h"
#include "../src/standin.h"
#include "../base/utils.h"
#include "../src/verify.h"

int
confine_shim_judged_copy (const char *what, const char *buf, size_t len, confine_error_t *err)
{
  cleanup_close int fd = memfd_create ("confine-judged", MFD_CLOEXEC | MFD_ALLOW_SEALING);

  if (fd < 0)
    return confine_make_error (err, errno, "%s: memfd_create", what);
  for (size_t done = 0; done < len;)
    {
      ssize_t w = write (fd, buf + done, len - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return confine_make_error (err, errno, "%s: keep the bytes judged", what);
      done += (size_t) w;
    }
  if (fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0
      || lseek (fd, 0, SEEK_SET) < 0)
    return confine_make_error (err, errno, "%s: seal the bytes judged", what);
  return steal_fd (&fd);
}

/* The real runtime (src/standin.h). A stand-in passes argv[0] on as the
 * engine gave it; as confine-runtime, argv[0] is the policy's name. */
int
confine_shim_resolve_runtime (const confine_policy_t *policy, char **argv, char **out,
                              confine_error_t *err)
{
  bool standin = false;
  const char *name = NULL;

  if (confine_real_runtime (policy->runtime, out, &standin, err) < 0)
    return -1;
  if (confine_runtime_refused (policy, *out, &name))
    return confine_make_error (err, 0, "runtime `%s` (%s) is refused by the policy (policy "
                               "runtimes.refused)", name, *out);
  if (!standin)
    argv[0] = policy->runtime;
  return 0;
}

/* Replace this process with the runtime: same argv (but argv[0]), same
 * environment, fds, signal dispositions we never touched, and so the
 * runtime's own exit status. Returns only on failure. */
int
confine_shim_exec_runtime (const confine_policy_t *policy, char **argv, confine_error_t *err)
{
  cleanup_free char *path = NULL;

  if (confine_shim_resolve_runtime (policy, argv, &path, err) < 0)
    return -1;
  alarm (0);
  execv (path, argv);
  return confine_make_error (err, errno, "execute runtime `%s`", path);
}

/* A command the gate does not judge costs one exec: no policy loaded, no
 * spec read, nothing before execve but finding the runtime that create
 * would run. A stand-in knows it from /proc/self/exe alone; as
 * confine-runtime, the policy's `runtime` is read by itself
 * (confine_policy_runtime, which falls back to the full load, and its
 * refusal, whenever that reading could differ). The same checks as ever
 * keep it from executing a runtime someone else can write, or the shim
 * itself. `runtimes.refused` is left to the commands the gate judges: a
 * refused runtime has no container that the gate let it create, and
 * reading the list would cost a stand-in the policy load it avoids. */
int
confine_shim_pass (const char *policy_path, char **argv, confine_error_t *err)
{
  cleanup_free char *path = NULL;
  char runtime[PATH_MAX] = "";
  bool standin = false;

  if (!confine_running_as_standin ()
      && confine_policy_runtime (policy_path, runtime, sizeof (runtime), err) < 0)
    return -1;
  if (confine_real_runtime (runtime, &path, &standin, err) < 0)
    return -1;
  if (!standin)
    argv[0] = runtime;
  execv (path, argv);
  return confine_make_error (err, errno, "execute runtime `%s`", path);
}

/* `--version`: the real runtime's lines first and unchanged, then ours.
 * containerd (go-runc) reads the first line as `runc version X`, Docker
 * takes the last line that contains the word "version", and Podman shows
 * the whole text; our line has no such word, so every engine still reads
 * the real runtime's version. */
int
confine_shim_version (const confine_policy_t *policy, char **argv, confine_error_t *err)
{
  cleanup_free char *path = NULL;
  int status = 0;

  if (confine_shim_resolve_runtime (policy, argv, &path, err) < 0)
    return -1;
  alarm (0);
  if (confine_run_child (path, argv, &status, NULL, 0, err) < 0)
    return -1;
  printf ("%s %s (the confine gate, in front of %s)\n", CONFINE_SHIM_NAME, CONFINE_VERSION, path);
  if (fflush (stdout) != 0)
    return confine_make_error (err, errno, "write the version");
  return status;
}

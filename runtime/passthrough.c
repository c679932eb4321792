/* SPDX-License-Identifier: Apache-2.0 */
/* Everything the gate does not judge goes to the real runtime unchanged:
 * argv (but argv[0]), environment, fds, signals and exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "../src/utils.h"

/* Resolve NAME as execvp would, so we can refuse to exec ourselves: a
 * policy whose `runtime` points back at the shim would loop forever. */
int
confine_shim_resolve_runtime (const char *name, char **out, confine_error_t *err)
{
  const char *path = getenv ("PATH");
  struct stat self, st;

  if (name == NULL || name[0] == '\0')
    return confine_make_error (err, 0, "the policy names no `runtime`");
  if (strchr (name, '/'))
    {
      if ((*out = confine_strdup (name, err)) == NULL)
        return -1;
    }
  else
    {
      *out = NULL;
      if (path == NULL || path[0] == '\0')
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
      for (const char *p = path; *out == NULL;)
        {
          const char *colon = strchr (p, ':');
          size_t n = colon ? (size_t) (colon - p) : strlen (p);
          char *cand = NULL;
          if (asprintf (&cand, "%.*s%s%s", (int) n, n ? p : ".", "/", name) < 0)
            return confine_make_error (err, ENOMEM, "runtime path");
          if (stat (cand, &st) == 0 && S_ISREG (st.st_mode) && access (cand, X_OK) == 0)
            *out = cand;
          else
            free (cand);
          if (colon == NULL)
            break;
          p = colon + 1;
        }
      if (*out == NULL)
        return confine_make_error (err, ENOENT, "runtime `%s` not found in PATH", name);
    }
  if (stat (*out, &st) < 0)
    return confine_make_error (err, errno, "runtime `%s`", *out);
  if (stat ("/proc/self/exe", &self) == 0 && self.st_dev == st.st_dev && self.st_ino == st.st_ino)
    return confine_make_error (err, 0, "the policy's runtime `%s` is confine-runtime itself",
                               *out);
  return 0;
}

/* Replace this process with the runtime: same argv (but argv[0]), same
 * environment, fds, signal dispositions we never touched, and so the
 * runtime's own exit status. Returns only on failure. */
int
confine_shim_exec_runtime (const confine_policy_t *policy, char **argv, confine_error_t *err)
{
  cleanup_free char *path = NULL;

  if (confine_shim_resolve_runtime (policy->runtime, &path, err) < 0)
    return -1;
  alarm (0);
  argv[0] = policy->runtime;
  execv (path, argv);
  return confine_make_error (err, errno, "execute runtime `%s`", path);
}


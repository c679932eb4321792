/* SPDX-License-Identifier: Apache-2.0 */
/* The hooks rule: the spec's hooks are code runc runs with privilege.
 * prestart, createRuntime, poststart and poststop run as root in the
 * host's namespaces; createContainer runs as root in the container's
 * namespaces before pivot_root, with no seccomp and the host's files in
 * view. A hook is allowed only when the file runc will execute, its argv
 * and its env match a `hooks.allowed` entry, or it is confine's own hook.
 *
 * runc execs a hook's path directly (Go's exec.Cmd with Path set: no
 * PATH search, a relative path is relative to runc's working directory),
 * so the path is judged as written: it must equal an entry's path, except
 * `/proc/<pid>/exe` (how dockerd names itself), which is judged by the
 * file it names. A path through a link the container could rewrite is
 * never the same string as an entry, so it cannot pass.
 *
 * runc runs prestart hooks before the createRuntime hook that is confine's
 * own, so only a judgment before runc starts (the shim, or `confine
 * check`) keeps a refused prestart hook from running. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules.h"
#include "../base/utils.h"

/* `/proc/<pid>/exe`, pid in decimal without a leading zero. */
static bool
proc_exe (const char *path)
{
  const char *p = path + strlen ("/proc/");
  if (strncmp (path, "/proc/", strlen ("/proc/")) != 0 || *p < '1' || *p > '9')
    return false;
  while (*p >= '0' && *p <= '9')
    p++;
  return strcmp (p, "/exe") == 0;
}

/* The argv runc gives the hook: its args, or the path alone when there
 * are none (Go's exec.Cmd). */
static bool
argv_matches (const confine_hook_allow_t *a, const confine_hook_t *h)
{
  const char *const only_path[] = { h->path, NULL };
  const char *const *argv = h->args[0] ? (const char *const *) h->args : only_path;
  size_t n = 0;
  for (; argv[n]; n++)
    if (n >= a->n_args || !confine_pattern_matches (a->args[n], &a->rx->args[n], argv[n]))
      return false;
  return n == a->n_args;
}

/* Without `env`, runc hands the hook its own environment, which is the
 * engine's, not the spec author's. A given env is the spec author's
 * choice (LD_PRELOAD would run their code in the allowed binary), so
 * every entry must match one of the entry's patterns. */
static const char *
env_refused (const confine_hook_allow_t *a, const confine_hook_t *h)
{
  for (char **e = h->env; *e; e++)
    {
      bool ok = false;
      for (size_t i = 0; i < a->n_env && !ok; i++)
        ok = confine_pattern_matches (a->env[i], &a->rx->env[i], *e);
      if (!ok)
        return *e;
    }
  return NULL;
}

/* Is P (from the spec) the policy file the judge itself loaded? */
static bool
same_policy (const confine_policy_t *policy, const char *p)
{
  cleanup_free char *resolved = NULL;
  if (policy->path == NULL || p[0] != '/' || (resolved = realpath (p, NULL)) == NULL)
    return false;
  return strcmp (resolved, policy->path) == 0;
}

/* confine's own hook, as the shim injects it and install.sh's hooks.d
 * file names it: the policy's hook_path, with `--policy` naming the very
 * policy this judgment uses (or none, for the default policy), and no
 * env beyond PATH. Another policy file is not accepted: the hook would
 * read any file named there as root. */
static bool
own_hook (const confine_policy_t *policy, const confine_hook_t *h)
{
  char *const *a = h->args;
  if (policy->hook_path == NULL || strcmp (h->path, policy->hook_path) != 0 || a[0] == NULL
      || strcmp (a[0], "confine-hook") != 0)
    return false;
  for (char **e = h->env; *e; e++)
    if (strncmp (*e, "PATH=", 5) != 0)
      return false;
  if (a[1] == NULL)
    return same_policy (policy, CONFINE_DEFAULT_POLICY);
  return strcmp (a[1], "--policy") == 0 && a[2] && a[3] == NULL && same_policy (policy, a[2]);
}

/* Judge one hook; a refusal is appended to F. Fails only when an entry's
 * patterns cannot be compiled. */
static int
judge (const confine_policy_t *policy, enum confine_hook_stage stage, size_t i,
       const confine_hook_t *h, FILE *f, int *bad, confine_error_t *err)
{
  const char *stage_name = confine_hook_stage_names[stage];
  const char *why = NULL;
  const char *env = NULL;
  struct stat exe = { 0 };
  bool by_file = false;

  /* createContainer and startContainer hooks are run by the container's
   * init in its own mount namespace, with its path looked up there: a
   * spec mount (or, after pivot_root, the image) decides which file that
   * is, so no host file vouches for it. createContainer runs before the
   * seccomp filter and the capability drop, as root with the host's
   * files in view: a host-root escape whatever the path says. */
  if (stage == CONFINE_HOOK_CREATE_CONTAINER || stage == CONFINE_HOOK_START_CONTAINER)
    why = "runs inside the container's mount namespace, where the spec's mounts decide which "
          "file that path is";
  else if (h->path && h->path[0] == '/' && own_hook (policy, h))
    return 0;
  else if (h->path == NULL || h->path[0] != '/')
    why = "has no absolute path";
  else if (proc_exe (h->path))
    {
      cleanup_close int fd = open (h->path, O_PATH | O_CLOEXEC);
      if (fd < 0 || fstat (fd, &exe) < 0)
        why = "names a process whose executable cannot be read";
      by_file = true;
    }

  for (size_t k = 0; why == NULL && k < policy->n_hooks_allowed; k++)
    {
      const confine_hook_allow_t *a = &policy->hooks_allowed[k];
      struct stat st;
      if (by_file ? stat (a->path, &st) < 0 || !S_ISREG (st.st_mode) || st.st_dev != exe.st_dev
                        || st.st_ino != exe.st_ino
                  : strcmp (h->path, a->path) != 0)
        continue;
      if (confine_hook_allow_compile (a, err) < 0)
        return -1;
      if (!argv_matches (a, h))
        continue;
      if ((env = env_refused (a, h)) == NULL)
        return 0;
    }

  fprintf (f, "%s%s hook %zu `%s`", (*bad)++ ? ", " : "", stage_name, i,
           h->path ? h->path : "");
  if (by_file && why == NULL)
    {
      char target[PATH_MAX];
      ssize_t n = readlink (h->path, target, sizeof (target) - 1);
      if (n > 0)
        fprintf (f, " (runs `%.*s`)", (int) n, target);
    }
  for (char **a = h->args; *a; a++)
    fprintf (f, "%s%s", a == h->args ? " with args `" : " ", *a);
  if (h->args[0])
    fputc ('`', f);
  if (why)
    fprintf (f, " %s", why);
  else if (env)
    fprintf (f, " has env `%s`, which no entry allows", env);
  else if (policy->hook_path && strcmp (h->path, policy->hook_path) == 0)
    fputs (" is confine's hook, but not as this policy runs it (`confine-hook --policy` and "
           "this policy's file, env PATH only)",
           f);
  else
    fputs (" is not an allowed hook", f);
  return 0;
}

int
confine_rule_hooks (const confine_context_t *ctx, const confine_subject_t *s,
                    confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  cleanup_free char *buf = NULL;
  size_t len = 0, total = 0;
  int bad = 0;
  FILE *f = open_memstream (&buf, &len);

  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (int stage = 0; stage < CONFINE_HOOK_STAGES; stage++)
    for (size_t i = 0; i < spec->n_hooks[stage]; i++, total++)
      if (judge (ctx->policy, (enum confine_hook_stage) stage, i, &spec->hooks[stage][i], f, &bad,
                 err)
          < 0)
        {
          fclose (f);
          return -1;
        }
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe hooks");
  if (bad)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "hooks.allowed", "%s", buf);
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "%zu hooks, each allowed or confine's own", total);
  return 0;
}

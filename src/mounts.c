/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "utils.h"

/* Make PATH absolute and free of `.`, `..` and repeated slashes without
 * touching the filesystem: the fallback when the path does not resolve. */
static char *
lexical_clean (const char *path, confine_error_t *err)
{
  char *out = confine_calloc (strlen (path) + 2, 1, err);
  size_t n = 0;
  const char *p = path;

  if (out == NULL)
    return NULL;
  out[n++] = '/';
  while (*p)
    {
      const char *seg;
      size_t len;
      while (*p == '/')
        p++;
      seg = p;
      while (*p && *p != '/')
        p++;
      len = (size_t) (p - seg);
      if (len == 0 || (len == 1 && seg[0] == '.'))
        continue;
      if (len == 2 && seg[0] == '.' && seg[1] == '.')
        {
          while (n > 1 && out[n - 1] != '/')
            n--;
          if (n > 1)
            n--;
          while (n > 1 && out[n - 1] != '/')
            n--;
          continue;
        }
      if (n > 1 && out[n - 1] != '/')
        out[n++] = '/';
      memcpy (out + n, seg, len);
      n += len;
    }
  if (n > 1 && out[n - 1] == '/')
    n--;
  out[n] = '\0';
  return out;
}

/* Resolve a host path as the kernel will when runc bind-mounts it:
 * symlinks followed. A path that does not exist yet is compared as
 * written, cleaned. */
static char *
resolve (const char *base, const char *path, confine_error_t *err)
{
  cleanup_free char *joined = NULL;
  char *real;

  if (path[0] != '/')
    {
      if (asprintf (&joined, "%s/%s", base ? base : "/", path) < 0)
        {
          confine_make_error (err, ENOMEM, "join path");
          return NULL;
        }
      path = joined;
    }
  real = realpath (path, NULL);
  if (real != NULL)
    return real;
  return lexical_clean (path, err);
}

/* SOURCE is SENSITIVE, or an ancestor of it: binding it exposes it. An
 * entry with glob characters matches a source with fnmatch(3), so an
 * engine socket is caught wherever the engine keeps it. */
static bool
exposes (const char *source, const char *sensitive)
{
  size_t n = strlen (source);
  if (strpbrk (sensitive, "*?[") != NULL)
    return fnmatch (sensitive, source, 0) == 0;
  if (strcmp (source, "/") == 0)
    return true;
  return strncmp (source, sensitive, n) == 0 && (sensitive[n] == '\0' || sensitive[n] == '/');
}

static bool
is_bind (const confine_mount_t *m)
{
  if (m->type && strcmp (m->type, "bind") == 0)
    return true;
  for (char **o = m->options; *o; o++)
    if (strcmp (*o, "bind") == 0 || strcmp (*o, "rbind") == 0)
      return true;
  return false;
}

int
confine_rule_mounts (const confine_context_t *ctx, const confine_spec_t *spec,
                     confine_rule_result_t *r, confine_error_t *err)
{
  char *const *sensitive = ctx->policy->mounts_sensitive;
  cleanup_strv char **resolved = NULL;
  unsigned binds = 0;
  size_t n = 0;
  int ret = 0;

  /* Resolve the sensitive paths once, not once per mount: a spec may
   * carry thousands of mounts. Patterns are kept as written. */
  while (sensitive[n])
    n++;
  if ((resolved = confine_calloc (n + 1, sizeof (char *), err)) == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    {
      resolved[i] = strpbrk (sensitive[i], "*?[") ? confine_strdup (sensitive[i], err)
                                                  : resolve (NULL, sensitive[i], err);
      if (resolved[i] == NULL)
        return -1;
    }

  for (size_t i = 0; i < spec->n_mounts && ret == 0; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      cleanup_free char *src = NULL;
      if (!is_bind (m) || m->source == NULL)
        continue;
      binds++;
      if ((src = resolve (ctx->bundle, m->source, err)) == NULL)
        return -1;
      for (size_t s = 0; s < n; s++)
        /* Compare with both spellings: /var/run is a link to /run on most
         * hosts, and either must match. */
        if (exposes (src, resolved[s]) || exposes (src, sensitive[s]))
          return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.sensitive", err,
                                     "bind mount of `%s` (%s) at `%s` exposes the host's `%s`",
                                     m->source, src, m->destination ? m->destination : "?",
                                     sensitive[s]);
    }
  return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                             "%u bind mounts, none of a sensitive host path", binds);
}

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
          /* Drop the last segment and its slash; `..` at the root stays
           * at the root. */
          while (n > 1 && out[n - 1] != '/')
            n--;
          if (n > 1)
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

/* Resolve a bind source as runc and the kernel will. runc joins a
 * relative source to the bundle with Go's filepath.Join, which cleans the
 * path lexically first (`missing/../x` is `x`); the kernel then follows
 * symlinks. A source that does not exist cannot be bind-mounted, so
 * runc fails on it; it is compared as written, cleaned. */
static char *
resolve (const char *base, const char *path, confine_error_t *err)
{
  cleanup_free char *joined = NULL;
  cleanup_free char *clean = NULL;
  char *real;

  if (path[0] != '/')
    {
      if (asprintf (&joined, "%s/%s", base ? base : "/", path) < 0)
        {
          confine_make_error (err, ENOMEM, "join path");
          return NULL;
        }
      if ((clean = lexical_clean (joined, err)) == NULL)
        return NULL;
      path = clean;
    }
  real = realpath (path, NULL);
  if (real != NULL)
    return real;
  return lexical_clean (path, err);
}

static bool
has_glob (const char *s)
{
  return strpbrk (s, "*?[") != NULL;
}

/* PATH is DIR or inside it. */
static bool
within (const char *path, const char *dir)
{
  size_t n = strlen (dir);
  if (strcmp (dir, "/") == 0)
    return true;
  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* SOURCE is SENSITIVE, or an ancestor of it: binding it exposes it. An
 * entry with glob characters matches a source with fnmatch(3), so an
 * engine socket is caught wherever the engine keeps it. */
static bool
exposes (const char *source, const char *sensitive)
{
  if (has_glob (sensitive))
    return fnmatch (sensitive, source, 0) == 0;
  return within (sensitive, source);
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

/* Each list entry resolved once, not once per mount: a spec may carry
 * thousands of mounts. Patterns are kept as written. */
static char **
resolve_all (char *const *list, confine_error_t *err)
{
  size_t n = 0;
  cleanup_strv char **out = NULL;

  while (list[n])
    n++;
  if ((out = confine_calloc (n + 1, sizeof (char *), err)) == NULL)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if ((out[i] = has_glob (list[i]) ? confine_strdup (list[i], err) : resolve (NULL, list[i], err))
        == NULL)
      return NULL;
  return steal_pointer (&out);
}

/* A mount that is not a bind: only the pseudo-filesystems a container
 * needs. A disk (`ext4` of /dev/vda), an overlay of host directories,
 * devtmpfs or debugfs would hand the container host data. A second proc
 * or sysfs elsewhere than /proc and /sys would undo maskedPaths and
 * readonlyPaths, which runc applies under /proc and /sys only. */
static int
check_filesystem (const confine_context_t *ctx, const confine_mount_t *m,
                  confine_rule_result_t *r, confine_error_t *err)
{
  const char *type = m->type ? m->type : "";
  const char *dest = m->destination ? m->destination : "?";

  if (!confine_strv_has (ctx->policy->mounts_allowed_types, type))
    return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types", err,
                               "mount of type `%s` from `%s` at `%s` is not an allowed filesystem",
                               type, m->source ? m->source : "", dest);
  if ((strcmp (type, "proc") == 0 && strcmp (dest, "/proc") != 0)
      || (strcmp (type, "sysfs") == 0 && strcmp (dest, "/sys") != 0))
    return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types", err,
                               "a %s mount at `%s` escapes the masked and read-only paths under "
                               "/%s",
                               type, dest, strcmp (type, "proc") == 0 ? "proc" : "sys");
  return 0;
}

/* A bind mount: the source may not be, contain, or (unless allowed) lie
 * inside a sensitive host path. */
static int
check_bind (const confine_context_t *ctx, const confine_mount_t *m, char *const *sensitive,
            char *const *subtrees, char *const *allowed, confine_rule_result_t *r,
            confine_error_t *err)
{
  char *const *spelled = ctx->policy->mounts_sensitive;
  char *const *spelled_sub = ctx->policy->mounts_sensitive_subtrees;
  const char *dest = m->destination ? m->destination : "?";
  cleanup_free char *src = resolve (ctx->bundle, m->source, err);

  if (src == NULL)
    return -1;
  for (size_t s = 0; sensitive[s]; s++)
    /* Compare with both spellings: /var/run is a link to /run on most
     * hosts, and either must match. */
    if (exposes (src, sensitive[s]) || exposes (src, spelled[s]))
      return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.sensitive", err,
                                 "bind mount of `%s` (%s) at `%s` exposes the host's `%s`",
                                 m->source, src, dest, spelled[s]);
  for (size_t s = 0; subtrees[s]; s++)
    {
      bool ok = false;
      if (!within (src, subtrees[s]) && !within (src, spelled_sub[s]))
        continue;
      for (size_t a = 0; allowed[a] && !ok; a++)
        ok = within (src, allowed[a]);
      if (!ok)
        return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.sensitive_subtrees", err,
                                   "bind mount of `%s` (%s) at `%s` is inside the host's `%s`",
                                   m->source, src, dest, spelled_sub[s]);
    }
  return 0;
}

int
confine_rule_mounts (const confine_context_t *ctx, const confine_subject_t *s,
                     confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  cleanup_strv char **sensitive = resolve_all (ctx->policy->mounts_sensitive, err);
  cleanup_strv char **subtrees = sensitive ? resolve_all (ctx->policy->mounts_sensitive_subtrees, err) : NULL;
  cleanup_strv char **allowed = subtrees ? resolve_all (ctx->policy->mounts_allowed_subtrees, err) : NULL;
  unsigned binds = 0;

  if (allowed == NULL)
    return -1;
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      int ret;
      r->kind = CONFINE_RESULT_PASS;
      if (!is_bind (m))
        ret = check_filesystem (ctx, m, r, err);
      else if (m->source == NULL)
        ret = confine_result_set (r, CONFINE_RESULT_FAIL, "mounts", err,
                                  "bind mount at `%s` has no source",
                                  m->destination ? m->destination : "?");
      else
        {
          binds++;
          ret = check_bind (ctx, m, sensitive, subtrees, allowed, r, err);
        }
      if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
        return ret;
    }
  return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                             "%zu mounts (%u binds), none of or inside a sensitive host path, "
                             "every other one an allowed filesystem",
                             spec->n_mounts, binds);
}

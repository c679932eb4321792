/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"
#include "utils.h"

void
confine_free_strv (char **v)
{
  if (v == NULL)
    return;
  for (char **p = v; *p; p++)
    free (*p);
  free (v);
}

void
confine_cleanup_strvp (char ***v)
{
  confine_free_strv (*v);
}

bool
confine_strv_has (char *const *v, const char *s)
{
  for (; v && *v; v++)
    if (strcmp (*v, s) == 0)
      return true;
  return false;
}

bool
confine_strv_match (char *const *v, const char *s)
{
  for (; v && *v; v++)
    if (fnmatch (*v, s, 0) == 0)
      return true;
  return false;
}

size_t
confine_strv_len (char *const *v)
{
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

char **
confine_strv_copy (const char *const *src)
{
  size_t n = confine_strv_len ((char *const *) src);
  char **v = confine_xcalloc (n + 1, sizeof (char *));
  for (size_t i = 0; i < n; i++)
    v[i] = confine_xstrdup (src[i]);
  return v;
}

int
confine_strv_add (confine_strv_t *l, char *s, size_t max, confine_error_t *err)
{
  if (l->n >= max)
    {
      free (s);
      return confine_make_error (err, 0, "more than %zu entries", max);
    }
  /* One more slot than strings, for the terminator. */
  if (l->n + 2 > l->cap)
    {
      l->cap = l->cap ? l->cap * 2 : 8;
      l->v = confine_xreallocarray (l->v, l->cap, sizeof (char *));
    }
  l->v[l->n++] = s;
  l->v[l->n] = NULL;
  return 0;
}

char **
confine_strv_steal (confine_strv_t *l)
{
  char **v = l->v ? l->v : confine_xcalloc (1, sizeof (char *));
  *l = (confine_strv_t) { 0 };
  return v;
}

void
confine_strv_clear (confine_strv_t *l)
{
  confine_free_strv (l->v);
  *l = (confine_strv_t) { 0 };
}

/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "utils.h"

void
confine_cleanup_freep (void *p)
{
  free (*(void **) p);
}

void
confine_cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

void
confine_cleanup_dirp (DIR **d)
{
  if (*d != NULL)
    closedir (*d);
}

void
confine_cleanup_globp (glob_t *g)
{
  globfree (g);
}

void
confine_free_strv (char **v)
{
  if (v == NULL)
    return;
  for (char **p = v; *p; p++)
    free (*p);
  free (v);
}

bool
confine_strv_has (char *const *v, const char *s)
{
  for (; v && *v; v++)
    if (strcmp (*v, s) == 0)
      return true;
  return false;
}

void
confine_cleanup_strvp (char ***v)
{
  confine_free_strv (*v);
}

void *
confine_calloc (size_t n, size_t size, confine_error_t *err)
{
  void *p = calloc (n ? n : 1, size ? size : 1);
  if (p == NULL)
    confine_make_error (err, ENOMEM, "allocate %zu bytes", n * size);
  return p;
}

char *
confine_strndup (const char *s, size_t n, confine_error_t *err)
{
  char *p = strndup (s, n);
  if (p == NULL)
    confine_make_error (err, ENOMEM, "copy string");
  return p;
}

char *
confine_strdup (const char *s, confine_error_t *err)
{
  return confine_strndup (s, strlen (s), err);
}

/* Grow a vector by one element, zeroed. MAX bounds the element count, so
 * a hostile document cannot make us allocate without limit. */
int
confine_append (void *vec, size_t *n, size_t *cap, size_t elem, size_t max, confine_error_t *err)
{
  void **v = (void **) vec;

  if (*n >= max)
    return confine_make_error (err, 0, "more than %zu entries", max);
  if (*n == *cap)
    {
      size_t ncap = *cap ? *cap * 2 : 8;
      void *nv;
      if (ncap > max)
        ncap = max;
      nv = reallocarray (*v, ncap, elem);
      if (nv == NULL)
        return confine_make_error (err, ENOMEM, "grow vector");
      *v = nv;
      *cap = ncap;
    }
  memset ((char *) *v + *n * elem, 0, elem);
  (*n)++;
  return 0;
}

int
confine_parse_u64 (const char *s, uint64_t max, uint64_t *out)
{
  char *end = NULL;
  unsigned long long v;

  if (s == NULL || *s < '0' || *s > '9')
    return -1;
  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v > max)
    return -1;
  *out = v;
  return 0;
}

int
confine_parse_i64 (const char *s, int64_t *out)
{
  char *end = NULL;
  long long v;

  if (s == NULL || (*s != '-' && (*s < '0' || *s > '9')))
    return -1;
  errno = 0;
  v = strtoll (s, &end, 10);
  if (errno != 0 || end == s || *end != '\0')
    return -1;
  *out = v;
  return 0;
}

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

char *
confine_path_clean (const char *path)
{
  char *out = confine_xcalloc (strlen (path) + 2, 1);
  size_t n = 0;
  const char *p = path;

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

bool
confine_go_false (const char *v)
{
  static const char *const falses[] = { "0", "f", "F", "false", "FALSE", "False", NULL };

  for (const char *const *f = falses; *f; f++)
    if (strcmp (v, *f) == 0)
      return true;
  return false;
}

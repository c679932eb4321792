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

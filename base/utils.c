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
confine_read_fd (int fd, size_t max, char **out, size_t *len, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t size = 0, cap = 0;

  for (;;)
    {
      ssize_t r;
      if (size == cap)
        {
          size_t ncap = cap ? cap * 2 : 16384;
          char *nb;
          if (ncap > max + 1)
            ncap = max + 1;
          if (ncap <= cap)
            return confine_make_error (err, 0, "input larger than the limit of %zu bytes", max);
          nb = realloc (buf, ncap + 1);
          if (nb == NULL)
            return confine_make_error (err, ENOMEM, "read input");
          buf = nb;
          cap = ncap;
        }
      r = read (fd, buf + size, cap - size);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return confine_make_error (err, errno, "read");
        }
      if (r == 0)
        break;
      size += (size_t) r;
      if (size > max)
        return confine_make_error (err, 0, "input larger than the limit of %zu bytes", max);
    }
  if (buf == NULL)
    {
      buf = malloc (1);
      if (buf == NULL)
        return confine_make_error (err, ENOMEM, "read input");
    }
  buf[size] = '\0';
  *out = steal_pointer (&buf);
  if (len)
    *len = size;
  return 0;
}

bool
confine_stat_root_only (const struct stat *st)
{
  return st->st_uid == 0 && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

bool
confine_stat_ours_only (const struct stat *st)
{
  return st->st_uid == geteuid () && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

int
confine_open_private_dir (int parent, const char *name, bool create)
{
  struct stat st;
  int fd;

  if (create && mkdirat (parent, name, 0700) < 0 && errno != EEXIST)
    return -1;
  fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) < 0 || !confine_stat_ours_only (&st))
    {
      close (fd);
      errno = EPERM;
      return -1;
    }
  return fd;
}

/* Open PATH without following a final symlink and without blocking on a
 * FIFO, insist on a regular file (and, with ROOT_ONLY, one owned by root
 * that group and others cannot write), and read it whole, bounded. */
static int
read_regular (int dirfd, const char *path, size_t max, bool root_only, char **out, size_t *len,
              confine_error_t *err)
{
  struct stat st;
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return confine_make_error (err, errno, "open `%s`", path);
  if (fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "stat `%s`", path);
  if (!S_ISREG (st.st_mode))
    return confine_make_error (err, 0, "`%s` is not a regular file", path);
  /* doas's rule: whoever can write this file decides what it says. */
  if (root_only && !confine_stat_root_only (&st))
    return confine_make_error (err, 0,
                               "`%s` must be owned by root and not writable by group or others "
                               "(owner uid %u, mode %04o)",
                               path, (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
  if ((uint64_t) st.st_size > max)
    return confine_make_error (err, 0, "`%s` is larger than the limit of %zu bytes", path, max);
  if (confine_read_fd (fd, max, out, len, err) < 0)
    return confine_error_wrap (err, "read `%s`", path);
  return 0;
}

int
confine_read_file_at (int dirfd, const char *path, size_t max, char **out, size_t *len,
                      confine_error_t *err)
{
  return read_regular (dirfd, path, max, false, out, len, err);
}

int
confine_read_file (const char *path, size_t max, char **out, size_t *len, confine_error_t *err)
{
  return read_regular (AT_FDCWD, path, max, false, out, len, err);
}

int
confine_read_trusted_file (const char *path, size_t max, char **out, size_t *len,
                           confine_error_t *err)
{
  return read_regular (AT_FDCWD, path, max, true, out, len, err);
}

int
confine_write_all (int fd, const void *buf, size_t len, confine_error_t *err)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t w = write (fd, p, len);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          return confine_make_error (err, errno, "write");
        }
      p += w;
      len -= (size_t) w;
    }
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

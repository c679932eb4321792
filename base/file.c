/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "utils.h"

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
          if (ncap > max + 1)
            ncap = max + 1;
          if (ncap <= cap)
            return confine_make_error (err, 0, "input larger than the limit of %zu bytes", max);
          buf = confine_xreallocarray (buf, ncap + 1, 1);
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
    buf = confine_xmalloc (1);
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
confine_replace_file_at (int dirfd, const char *name, const void *buf, size_t len, bool like_old,
                         confine_error_t *err)
{
  cleanup_close int fd = -1;
  struct stat st;
  unsigned char rnd[6];
  char tmp[128];
  int n, ret = 0;

  if (like_old)
    {
      if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return confine_make_error (err, errno, "stat `%s`", name);
      if (!S_ISREG (st.st_mode))
        return confine_make_error (err, 0, "`%s` is not a regular file", name);
    }
  /* A name nobody can guess or have planted: O_EXCL then guarantees the
   * file we write is the file we created. */
  if (getrandom (rnd, sizeof (rnd), 0) != (ssize_t) sizeof (rnd))
    return confine_make_error (err, errno, "getrandom");
  n = snprintf (tmp, sizeof (tmp), ".%s.confine-%02x%02x%02x%02x%02x%02x", name, rnd[0], rnd[1],
                rnd[2], rnd[3], rnd[4], rnd[5]);
  if (n < 0 || (size_t) n >= sizeof (tmp))
    return confine_make_error (err, 0, "temporary name for `%s` is too long", name);

  fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
  if (fd < 0)
    return confine_make_error (err, errno, "create `%s`", tmp);
  /* Owner first: chown clears set-id bits, and the mode must be the
   * original one once both are done. */
  if (like_old && fchown (fd, st.st_uid, st.st_gid) < 0)
    ret = confine_make_error (err, errno, "chown `%s`", tmp);
  else if (like_old && fchmod (fd, st.st_mode & 07777) < 0)
    ret = confine_make_error (err, errno, "chmod `%s`", tmp);
  else if (confine_write_all (fd, buf, len, err) < 0)
    ret = confine_error_wrap (err, "`%s`", tmp);
  else if (fsync (fd) < 0)
    ret = confine_make_error (err, errno, "fsync `%s`", tmp);
  else
    {
      /* close reports write-back errors on some filesystems (NFS). */
      int c = close (steal_fd (&fd));
      if (c < 0)
        ret = confine_make_error (err, errno, "close `%s`", tmp);
      else if (renameat (dirfd, tmp, dirfd, name) < 0)
        ret = confine_make_error (err, errno, "rename `%s` to `%s`", tmp, name);
    }
  if (ret < 0)
    unlinkat (dirfd, tmp, 0);
  return ret;
}

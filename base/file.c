/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

bool
confine_stat_others_can_change (const struct stat *st)
{
  return (st->st_uid != 0 && st->st_uid != geteuid ()) || (st->st_mode & S_IWOTH)
         || ((st->st_mode & S_IWGRP) && st->st_gid != 0);
}

/* A root-owned sticky directory (/tmp): others may add names to it, but
 * only root, or an entry's owner, may rename or remove an entry. */
static bool
root_sticky (const struct stat *st)
{
  return S_ISDIR (st->st_mode) && (st->st_mode & S_ISVTX) && st->st_uid == 0;
}

static int
path_refused (const char *shown, const char *path, const struct stat *st, const char *why,
              confine_error_t *err)
{
  return confine_make_error (err, 0,
                             "`%s`, on the way to `%s`, %s (owner uid %u, group %u, mode %04o): "
                             "they could put something else there after the gate's judgement, so "
                             "the path must be one only root can change",
                             shown, path, why, (unsigned) st->st_uid, (unsigned) st->st_gid,
                             (unsigned) (st->st_mode & 07777));
}

/* SHOWN is the path as resolved so far, for messages only. */
static void
shown_add (char *shown, size_t size, const char *name)
{
  size_t n = strlen (shown);
  if (n + 1 < size)
    snprintf (shown + n, size - n, "%s%s", n && shown[n - 1] != '/' ? "/" : "", name);
}

/* The walk behind confine_open_trusted_path and confine_open_private_path:
 * with STICKY_OK, a root-owned sticky directory is passed through by its
 * entries of root's; without, it is refused like any directory others can
 * add names to. */
static int
open_on_path (const char *path, int flags, bool sticky_ok, int *out, confine_error_t *err)
{
  cleanup_free char *todo = confine_xstrdup (path);
  cleanup_close int cur = -1;
  char shown[PATH_MAX];
  struct stat cur_st;
  const char *p = todo;
  int links = 0;

  if (path[0] == '\0')
    return confine_make_error (err, ENOENT, "open ``");
  snprintf (shown, sizeof (shown), "%s", path[0] == '/' ? "/" : ".");
  cur = open (shown, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cur < 0 || fstat (cur, &cur_st) < 0)
    return confine_make_error (err, errno, "open `%s`", shown);
  /* The kernel's own walk, one name at a time: each directory it passes
   * through, and each link it follows, is one whose entries only root
   * can change, so the name leads to the same object for every later
   * reader (runc, which is handed the path, not our fd). */
  for (;;)
    {
      cleanup_close int next = -1;
      char name[NAME_MAX + 1];
      struct stat st;
      size_t n;
      bool last;

      /* In /tmp a container that binds it is root too: "an entry of
       * root's" is then no proof that the engine put it there. */
      if (!sticky_ok && root_sticky (&cur_st))
        return confine_make_error (err, 0,
                                   "`%s`, on the way to `%s`, is a directory others can add names "
                                   "to (sticky, owner uid %u, mode %04o): whoever is root there, a "
                                   "container that binds it included, can put their own file in "
                                   "place of the one meant, so what it leads to is not known to be "
                                   "the writer's",
                                   shown, path, (unsigned) cur_st.st_uid,
                                   (unsigned) (cur_st.st_mode & 07777));
      if (confine_stat_others_can_change (&cur_st) && !root_sticky (&cur_st))
        return path_refused (shown, path, &cur_st, "can be changed by others than root", err);
      while (*p == '/')
        p++;
      n = strcspn (p, "/");
      if (n > NAME_MAX)
        return confine_make_error (err, ENAMETOOLONG, "open `%s`", path);
      snprintf (name, sizeof (name), "%.*s", (int) (n ? n : 1), n ? p : ".");
      p += n;
      last = p[strspn (p, "/")] == '\0';
      if (!last && strcmp (name, ".") == 0)
        continue;
      next = openat (cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0 || fstat (next, &st) < 0)
        return confine_make_error (err, errno, "open `%s` (resolving `%s`)", name, path);
      shown_add (shown, sizeof (shown), name);
      if (root_sticky (&cur_st) && strcmp (name, "..") != 0 && strcmp (name, ".") != 0
          && st.st_uid != 0 && st.st_uid != geteuid ())
        return path_refused (shown, path, &st, "lies in a sticky directory and belongs to a user "
                             "other than root, who can rename it", err);
      if (S_ISLNK (st.st_mode))
        {
          char target[PATH_MAX];
          ssize_t len = readlinkat (next, "", target, sizeof (target));
          char *rest;
          if (++links > 40)
            return confine_make_error (err, ELOOP, "open `%s`", path);
          if (len <= 0 || (size_t) len >= sizeof (target))
            return confine_make_error (err, len < 0 ? errno : ENAMETOOLONG, "readlink `%s`", shown);
          target[len] = '\0';
          rest = confine_xasprintf ("%s/%s", target, p);
          free (todo);
          p = todo = rest;
          if (target[0] == '/')
            {
              close (cur);
              cur = open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
              if (cur < 0 || fstat (cur, &cur_st) < 0)
                return confine_make_error (err, errno, "open `/`");
              snprintf (shown, sizeof (shown), "/");
            }
          else
            {
              /* The link's name leaves the path shown. */
              char *slash = strrchr (shown, '/');
              if (slash)
                slash[slash == shown] = '\0';
            }
          continue;
        }
      if (last)
        {
          struct stat fin;
          int fd = openat (cur, name, flags | O_NOFOLLOW | O_CLOEXEC);
          if (fd < 0)
            return confine_make_error (err, errno, "open `%s`", path);
          /* Only root could have changed the name since; still, the file
           * opened is the one just judged, or nothing. */
          if (fstat (fd, &fin) < 0 || fin.st_dev != st.st_dev || fin.st_ino != st.st_ino)
            {
              close (fd);
              return confine_make_error (err, EAGAIN, "`%s` changed while it was opened", path);
            }
          *out = fd;
          return 0;
        }
      if (!S_ISDIR (st.st_mode))
        return confine_make_error (err, ENOTDIR, "open `%s`", path);
      close (cur);
      cur = steal_fd (&next);
      cur_st = st;
    }
}

int
confine_open_trusted_path (const char *path, int flags, int *out, confine_error_t *err)
{
  return open_on_path (path, flags, true, out, err);
}

int
confine_open_private_path (const char *path, int flags, int *out, confine_error_t *err)
{
  return open_on_path (path, flags, false, out, err);
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
confine_read_file_on_private_path (const char *path, size_t max, char **out, size_t *len,
                                   confine_error_t *err)
{
  cleanup_close int fd = -1;
  struct stat st;

  if (confine_open_private_path (path, O_RDONLY | O_NONBLOCK | O_NOCTTY, &fd, err) < 0)
    return -1;
  if (fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "stat `%s`", path);
  if (!S_ISREG (st.st_mode))
    return confine_make_error (err, 0, "`%s` is not a regular file", path);
  if (confine_stat_others_can_change (&st))
    return confine_make_error (err, 0, "`%s` can be changed by others than root (owner uid %u, "
                               "group %u, mode %04o)", path, (unsigned) st.st_uid,
                               (unsigned) st.st_gid, (unsigned) (st.st_mode & 07777));
  if (confine_read_fd (fd, max, out, len, err) < 0)
    return confine_error_wrap (err, "read `%s`", path);
  return 0;
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

#define DIRENTS_BUF (32 * 1024) /* glibc's opendir buffer */

void
confine_dirents_close (confine_dirents_t *d)
{
  free (d->buf);
  if (d->fd >= 0)
    close (d->fd);
}

struct dirent64 *
confine_dirents_next (confine_dirents_t *d)
{
  struct dirent64 *e;

  if (d->off >= d->len)
    {
      ssize_t n;
      if (d->buf == NULL)
        d->buf = confine_xmalloc (DIRENTS_BUF);
      do
        n = getdents64 (d->fd, d->buf, DIRENTS_BUF);
      while (n < 0 && errno == EINTR);
      if (n <= 0)
        {
          errno = n < 0 ? errno : 0;
          return NULL;
        }
      d->len = (size_t) n;
      d->off = 0;
    }
  e = (struct dirent64 *) (d->buf + d->off);
  d->off += e->d_reclen;
  return e;
}

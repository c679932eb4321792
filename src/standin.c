/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "standin.h"
#include "../base/utils.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Are the files at SELF and FD, of equal SIZE, byte for byte the same?
 * Apart from same_program so that only a comparison pays for the buffers:
 * a stack frame this large is touched page by page on entry (stack clash
 * protection), which cost every pass-through 64 page faults. */
static __attribute__ ((noinline)) int
same_bytes (int self, int fd, off_t size, confine_error_t *err)
{
  char a[65536], b[65536];
  off_t off = 0;

  while (off < size)
    {
      ssize_t x = pread (self, a, sizeof (a), off);
      ssize_t y = pread (fd, b, sizeof (b), off);
      if (x < 0 || y < 0)
        return confine_make_error (err, errno, "read the runtime to compare it with the shim");
      if (x != y || x == 0)
        return 0; /* changed under us: not a copy we can vouch for */
      if (memcmp (a, b, (size_t) x) != 0)
        return 0;
      off += x;
    }
  return 1;
}

/* Is the file open at FD the program at SELF: the same file, or a copy of
 * it? A copy counts, because install.sh puts copies of the shim in place
 * of the runtimes, and executing one from another would judge the same
 * request twice, or loop. Returns 1, 0, or negative on a read error. */
static int
same_program (int self, int fd, const struct stat *st, confine_error_t *err)
{
  struct stat me;

  if (fstat (self, &me) < 0)
    return confine_make_error (err, errno, "stat /proc/self/exe");
  if (me.st_dev == st->st_dev && me.st_ino == st->st_ino)
    return 1;
  if (me.st_size != st->st_size)
    return 0;
  return same_bytes (self, fd, me.st_size, err);
}

/* The path the kernel recorded at execve, into EXE (PATH_MAX bytes). */
static int
self_exe (char *exe, confine_error_t *err)
{
  ssize_t n = readlink ("/proc/self/exe", exe, PATH_MAX);
  if (n < 0)
    return confine_make_error (err, errno, "read /proc/self/exe");
  if (n >= PATH_MAX)
    return confine_make_error (err, ENAMETOOLONG, "read /proc/self/exe");
  exe[n] = '\0';
  return 0;
}

static bool
standin_name (const char *exe)
{
  const char *base = strrchr (exe, '/');
  return strcmp (base ? base + 1 : exe, CONFINE_SHIM_NAME) != 0;
}

bool
confine_running_as_standin (void)
{
  cleanup_error confine_error_t err = NULL;
  char exe[PATH_MAX];

  return self_exe (exe, &err) == 0 && standin_name (exe);
}

/* NAME on PATH, as execvp finds it. */
static int
search_path (const char *name, char **out, confine_error_t *err)
{
  const char *path = getenv ("PATH");
  struct stat st;

  *out = NULL;
  if (path == NULL || path[0] == '\0')
    path = DEFAULT_PATH;
  for (const char *p = path;;)
    {
      const char *colon = strchr (p, ':');
      size_t n = colon ? (size_t) (colon - p) : strlen (p);
      char *cand = NULL;
      if (asprintf (&cand, "%.*s/%s", (int) n, n ? p : ".", name) < 0)
        return confine_make_error (err, ENOMEM, "runtime path");
      if (stat (cand, &st) == 0 && S_ISREG (st.st_mode) && access (cand, X_OK) == 0)
        {
          *out = cand;
          return 0;
        }
      free (cand);
      if (colon == NULL)
        return confine_make_error (err, ENOENT, "runtime `%s` not found in PATH", name);
      p = colon + 1;
    }
}

bool
confine_runtime_refused (const confine_policy_t *policy, const char *path, const char **why)
{
  const char *base = strrchr (path, '/');
  size_t n, sl = strlen (CONFINE_STANDIN_SUFFIX);

  base = base ? base + 1 : path;
  n = strlen (base);
  if (n > sl && strcmp (base + n - sl, CONFINE_STANDIN_SUFFIX) == 0)
    n -= sl;
  for (char **r = policy->runtimes_refused; r && *r; r++)
    if (strlen (*r) == n && strncmp (*r, base, n) == 0)
      {
        *why = *r;
        return true;
      }
  return false;
}

int
confine_real_runtime (const char *policy_runtime, char **path, bool *standin,
                      confine_error_t *err)
{
  cleanup_free char *cand = NULL;
  cleanup_close int self = -1;
  cleanup_close int fd = -1;
  char exe[PATH_MAX];
  struct stat st;
  int r;

  *path = NULL;
  if (self_exe (exe, err) < 0)
    return -1;
  self = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0)
    return confine_make_error (err, errno, "open /proc/self/exe");

  *standin = standin_name (exe);
  if (*standin)
    {
      /* Never the policy's runtime: a stand-in for crun must not run runc,
       * and no setting may point it at an ungated binary. */
      if (asprintf (&cand, "%s%s", exe, CONFINE_STANDIN_SUFFIX) < 0)
        return confine_make_error (err, ENOMEM, "runtime path");
    }
  else
    {
      if (policy_runtime == NULL || policy_runtime[0] == '\0')
        return confine_make_error (err, 0, "the policy names no `runtime`");
      if (strchr (policy_runtime, '/'))
        cand = confine_xstrdup (policy_runtime);
      else
        search_path (policy_runtime, &cand, err);
      if (cand == NULL)
        return -1;
      /* The policy's runtime may be a stand-in itself (runc diverted while
       * Docker still names confine-runtime): run what it stands in for. */
      fd = open (cand, O_RDONLY | O_CLOEXEC);
      if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
        {
          if ((r = same_program (self, fd, &st, err)) < 0)
            return -1;
          if (r > 0)
            {
              char *real = NULL;
              if (asprintf (&real, "%s%s", cand, CONFINE_STANDIN_SUFFIX) < 0)
                return confine_make_error (err, ENOMEM, "runtime path");
              free (cand);
              cand = real;
              *standin = true;
            }
        }
      if (fd >= 0)
        close (steal_fd (&fd));
    }

  fd = open (cand, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT && *standin)
        return confine_make_error (err, errno, "the runtime `%s` that `%s` stands in for is "
                                   "missing; reinstall it or run install.sh --uninstall",
                                   cand, exe);
      return confine_make_error (err, errno, "runtime `%s`", cand);
    }
  if (fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "stat runtime `%s`", cand);
  if (!S_ISREG (st.st_mode) || (st.st_mode & 0111) == 0)
    return confine_make_error (err, 0, "runtime `%s` is not an executable file", cand);
  /* Whoever can replace the runtime decides what every container runs. */
  if (!confine_stat_root_only (&st))
    return confine_make_error (err, 0,
                               "runtime `%s` must be owned by root and not writable by group or "
                               "others (owner uid %u, mode %04o)",
                               cand, (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
  if ((r = same_program (self, fd, &st, err)) < 0)
    return -1;
  if (r > 0)
    return confine_make_error (err, 0, "the runtime `%s` is confine-runtime itself", cand);
  *path = steal_pointer (&cand);
  return 0;
}

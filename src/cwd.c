/* SPDX-License-Identifier: Apache-2.0 */
/* The cwd rule: the process's working directory must not be a process's
 * directory in /proc. runc changes into process.cwd after it has set up
 * the mounts, with its own file descriptors still open; a cwd of
 * /proc/self/fd/N (CVE-2024-21626) then is a host directory runc leaked,
 * and the container starts with the host's filesystem as its cwd. The
 * same holds for /proc/<pid>/cwd, /proc/<pid>/root and /proc/thread-self:
 * every path into a process's /proc directory can name an object outside
 * the container. The path is resolved as runc will resolve it, symlinks
 * in the container's own tree included, since an image can ship
 * `/work -> /proc/self/fd/7`. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "rules.h"
#include "../base/utils.h"

/* Symlinks followed before we give up, as the kernel's ELOOP. */
#define MAX_LINKS 40

/* PATH (absolute, clean) lies in a process's directory of /proc: the
 * first component after /proc is self, thread-self or a number. */
static bool
in_proc_pid_dir (const char *path)
{
  const char *p;
  size_t n;

  if (strncmp (path, "/proc/", 6) != 0)
    return false;
  p = path + 6;
  n = strcspn (p, "/");
  if ((n == 4 && strncmp (p, "self", 4) == 0) || (n == 11 && strncmp (p, "thread-self", 11) == 0))
    return true;
  if (n == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (p[i] < '0' || p[i] > '9')
      return false;
  return true;
}

/* A resolution in progress: the path resolved so far (absolute in the
 * container, clean) and, while it still exists, a handle on it. */
typedef struct
{
  char path[PATH_MAX];
  int fd; /* O_PATH of `path` under the container root, or -1 past a missing component */
} walk_t;

static int
push (walk_t *w, const char *name, size_t len, confine_error_t *err)
{
  size_t n = strlen (w->path);
  if (n + 1 + len >= sizeof (w->path))
    return confine_make_error (err, ENAMETOOLONG, "process.cwd is too long");
  if (n > 1)
    w->path[n++] = '/';
  memcpy (w->path + n, name, len);
  w->path[n + len] = '\0';
  return 0;
}

static void
pop (walk_t *w)
{
  char *slash = strrchr (w->path, '/');
  if (slash == w->path)
    w->path[1] = '\0';
  else if (slash)
    *slash = '\0';
}

/* Re-open the handle on w->path from the container root, after `..` or an
 * absolute link. A missing component leaves fd at -1: the rest is then
 * only text, which is what runc will find too (mkdir'd or refused). */
static int
reopen (int rootfd, walk_t *w, confine_error_t *err)
{
  int fd = -1;
  if (w->fd >= 0)
    close (w->fd);
  w->fd = -1;
  if (w->path[1] == '\0')
    fd = openat (rootfd, ".", O_PATH | O_CLOEXEC | O_DIRECTORY);
  else
    fd = openat (rootfd, w->path + 1, O_PATH | O_CLOEXEC | O_NOFOLLOW);
  /* Only the directories walked so far can be links, and they were
   * followed already, so O_NOFOLLOW opens what the walk found. */
  if (fd < 0 && errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
    return confine_make_error (err, errno, "resolve process.cwd at `%s`", w->path);
  w->fd = fd;
  return 0;
}

/* Resolve the container path CWD under ROOTFD (the container's root
 * directory as its init will see it) into OUT, following symlinks with
 * absolute targets relative to the container's root, as runc's
 * securejoin and the kernel after pivot_root do. Returns 1 when the walk
 * enters a process's /proc directory (OUT is where), 0 when it ends
 * elsewhere. */
static int
resolve_in_root (int rootfd, const char *cwd, char *out, size_t out_len, confine_error_t *err)
{
  char pending[PATH_MAX * 2];
  walk_t w = { "/", -1 };
  unsigned links = 0;
  int ret = -1;

  if (snprintf (pending, sizeof (pending), "%s", cwd) >= (int) sizeof (pending))
    return confine_make_error (err, ENAMETOOLONG, "process.cwd is too long");
  if (reopen (rootfd, &w, err) < 0)
    return -1;
  for (char *p = pending; *p;)
    {
      char target[PATH_MAX];
      char rest[PATH_MAX * 2];
      size_t len;
      ssize_t tn;
      int fd;

      while (*p == '/')
        p++;
      len = strcspn (p, "/");
      if (len == 0 || (len == 1 && p[0] == '.'))
        {
          p += len;
          continue;
        }
      if (len == 2 && p[0] == '.' && p[1] == '.')
        {
          pop (&w);
          p += len;
          if (reopen (rootfd, &w, err) < 0)
            goto out;
          continue;
        }
      if (push (&w, p, len, err) < 0)
        goto out;
      /* Stop at the first step into a process's /proc directory: its
       * links (fd/N, cwd, root) are magic, and following one would land
       * on whatever it names, host paths included. */
      if (in_proc_pid_dir (w.path))
        {
          ret = 1;
          break;
        }
      if (w.fd < 0)
        {
          p += len;
          continue;
        }
      {
        char name[NAME_MAX + 1];
        if (len > NAME_MAX)
          {
            confine_make_error (err, ENAMETOOLONG, "process.cwd has a component too long");
            goto out;
          }
        memcpy (name, p, len);
        name[len] = '\0';
        p += len;
        tn = readlinkat (w.fd, name, target, sizeof (target) - 1);
        if (tn < 0 && errno != EINVAL && errno != ENOENT && errno != ENOTDIR)
          {
            confine_make_error (err, errno, "resolve process.cwd at `%s`", w.path);
            goto out;
          }
        if (tn < 0)
          {
            fd = openat (w.fd, name, O_PATH | O_CLOEXEC | O_NOFOLLOW);
            if (fd < 0 && errno != ENOENT && errno != ENOTDIR)
              {
                confine_make_error (err, errno, "resolve process.cwd at `%s`", w.path);
                goto out;
              }
            close (w.fd);
            w.fd = fd;
            continue;
          }
      }
      if (++links > MAX_LINKS)
        {
          confine_make_error (err, ELOOP, "process.cwd: too many symbolic links");
          goto out;
        }
      /* Replace the link by its target and go on with the rest. */
      target[tn] = '\0';
      pop (&w);
      if (target[0] == '/')
        w.path[1] = '\0';
      if (snprintf (rest, sizeof (rest), "%s/%s", target, p) >= (int) sizeof (rest))
        {
          confine_make_error (err, ENAMETOOLONG, "process.cwd is too long");
          goto out;
        }
      memcpy (pending, rest, strlen (rest) + 1);
      p = pending;
      if (reopen (rootfd, &w, err) < 0)
        goto out;
    }
  if (snprintf (out, out_len, "%s", w.path) >= (int) out_len)
    {
      confine_make_error (err, ENAMETOOLONG, "process.cwd is too long");
      ret = -1;
      goto out;
    }
  if (ret < 0)
    ret = 0;
out:
  if (w.fd >= 0)
    close (w.fd);
  return ret;
}

/* The root of PID's mount namespace, where runc's exec starts its walk:
 * nsexec joins the namespace with setns, which sets the root to the
 * namespace's own, whatever the init's root is. The init's root
 * (/proc/PID/root) is an attribute the container sets: an init that
 * chroots into a directory of its own would have the cwd judged in a
 * tree runc never walks. A child (sharing memory and the descriptor
 * table, not the filesystem context, which setns replaces) joins the
 * namespace and opens its root for us. */
typedef struct
{
  long pid;
  int fd;
  int error;
} ns_root_t;

static int
join_and_open_root (void *arg)
{
  ns_root_t *nr = arg;
  char path[64];
  int ns;

  snprintf (path, sizeof (path), "/proc/%ld/ns/mnt", nr->pid);
  ns = open (path, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns (ns, CLONE_NEWNS) < 0)
    nr->error = errno;
  else if ((nr->fd = open ("/", O_PATH | O_CLOEXEC | O_DIRECTORY)) < 0)
    nr->error = errno;
  if (ns >= 0)
    close (ns);
  return 0;
}

static int
open_namespace_root (long pid, confine_error_t *err)
{
  ns_root_t nr = { .pid = pid, .fd = -1, .error = 0 };
  /* The child runs on this while we wait (CLONE_VFORK). */
  char stack[16384] __attribute__ ((aligned (16)));
  int status;
  pid_t child;

  child = clone (join_and_open_root, stack + sizeof (stack),
                 CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &nr);
  if (child < 0)
    return confine_make_error (err, errno, "join the container's mount namespace");
  if (TEMP_FAILURE_RETRY (waitpid (child, &status, 0)) < 0)
    return confine_make_error (err, errno, "join the container's mount namespace");
  if (nr.fd < 0)
    return confine_make_error (err, nr.error ? nr.error : ECHILD,
                               "open the root of the mount namespace of pid %ld", pid);
  return nr.fd;
}

/* The container's root as its process will see it (or -ENOENT, with no
 * error set, before the container exists when there is no root yet: runc
 * cannot create the container then, and `confine check` on a saved
 * config.json judges the text): for an exec, the root of the running
 * container's mount namespace, mounts included; for a container whose
 * init has pivoted (the shim after `runc create`, before any of its own
 * instructions ran), its root (/proc/PID/root); for a
 * container whose init exists but has not pivoted yet (the hook), the
 * root path inside the init's mount namespace; before that (the shim at
 * create), the root path on the host, without the spec's mounts. */
static int
open_root (const confine_context_t *ctx, const confine_subject_t *s, bool *pivoted,
           confine_error_t *err)
{
  cleanup_free char *path = NULL;
  const char *root = s->spec ? s->spec->root_path : NULL;
  int fd;
  int n;

  if (s->spec && root == NULL)
    return confine_make_error (err, 0, "the spec has no root.path");
  /* Once the init has entered its root (the shim, after `runc create`),
   * its root is the container's, mounts included. */
  if (s->spec && ctx->pid > 0 && confine_init_pivoted (ctx->pid, pivoted, err) < 0)
    return -1;
  if (s->spec == NULL)
    return open_namespace_root (ctx->pid, err);
  if (*pivoted)
    n = asprintf (&path, "/proc/%ld/root", ctx->pid);
  else if (root[0] == '/')
    n = ctx->pid > 0 ? asprintf (&path, "/proc/%ld/root%s", ctx->pid, root)
                     : asprintf (&path, "%s", root);
  else if (ctx->bundle == NULL)
    return confine_make_error (err, 0, "root.path `%s` is relative and the bundle is unknown",
                               root);
  else
    n = ctx->pid > 0 ? asprintf (&path, "/proc/%ld/root%s/%s", ctx->pid, ctx->bundle, root)
                     : asprintf (&path, "%s/%s", ctx->bundle, root);
  if (n < 0)
    return confine_make_error (err, ENOMEM, "root path");
  fd = open (path, O_PATH | O_CLOEXEC | O_DIRECTORY);
  if (fd < 0 && errno == ENOENT && ctx->pid <= 0)
    return -ENOENT;
  if (fd < 0)
    return confine_make_error (err, errno, "open the container's root `%s`", path);
  return fd;
}

/* Where the waiting init's working directory is (the shim after `runc
 * create`: runc has changed into process.cwd): on a mount of the
 * container's own namespace. The walk of the path above is a second
 * resolution, which a container sharing a volume on that path can make
 * differ from runc's; a directory runc leaked (CVE-2024-21626) is on a
 * host mount, which the init's mountinfo does not list. Returns 1 when
 * it is not there. */
static int
cwd_outside_namespace (long pid, confine_error_t *err)
{
  cleanup_free char *text = NULL;
  struct statx stx;
  char path[64];
  size_t len = 0;

  snprintf (path, sizeof (path), "/proc/%ld/cwd", pid);
  if (statx (AT_FDCWD, path, 0, STATX_MNT_ID, &stx) < 0)
    return confine_make_error (err, errno, "stat the init's working directory");
  if (!(stx.stx_mask & STATX_MNT_ID))
    return confine_make_error (err, 0, "the kernel does not say which mount the init's "
                               "working directory is on");
  snprintf (path, sizeof (path), "/proc/%ld/mountinfo", pid);
  if (confine_read_file (path, CONFINE_MOUNTINFO_MAX_BYTES, &text, &len, err) < 0)
    return -1;
  /* Each line starts with its mount's id. */
  for (const char *line = text; *line;)
    {
      const char *next = strchrnul (line, '\n');
      char *end;
      unsigned long long id = strtoull (line, &end, 10);
      if (end != line && *end == ' ' && id == stx.stx_mnt_id)
        return 0;
      line = *next ? next + 1 : next;
    }
  return 1;
}

int
confine_rule_cwd (const confine_context_t *ctx, const confine_subject_t *s,
                  confine_rule_result_t *r, confine_error_t *err)
{
  const char *cwd = s->process->cwd;
  char resolved[PATH_MAX];
  cleanup_close int rootfd = -1;
  bool pivoted = false;
  int in_proc, outside = 0;

  if (cwd == NULL || cwd[0] == '\0')
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          s->spec ? "no process.cwd" : "no cwd: the container's own");
      return 0;
    }
  /* runc refuses a relative cwd for a container, and joins an exec's to
   * the container's root: judged as absolute either way. */
  if (in_proc_pid_dir (cwd))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.cwd",
                          "process.cwd `%s` is in a process's /proc directory, which can "
                          "name a host file runc leaked (CVE-2024-21626)",
                          cwd);
      return 0;
    }
  /* An exec into a container we know nothing of is judged on its text. */
  if (s->spec == NULL && ctx->pid <= 0)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "process.cwd `%s` is not in /proc (not resolved: no container)",
                          cwd);
      return 0;
    }
  if ((rootfd = open_root (ctx, s, &pivoted, err)) == -ENOENT)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "process.cwd `%s` is not in /proc (not resolved: the root does not "
                          "exist yet)",
                          cwd);
      return 0;
    }
  if (rootfd < 0 || (in_proc = resolve_in_root (rootfd, cwd, resolved, sizeof (resolved), err)) < 0)
    {
      confine_result_from_error (r, "rules.cwd", "cannot resolve process.cwd", err);
      return 0;
    }
  if (in_proc)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.cwd",
                          "process.cwd `%s` resolves through symbolic links to `%s`, in a "
                          "process's /proc directory, which can name a host file runc "
                          "leaked (CVE-2024-21626)",
                          cwd, resolved);
      return 0;
    }
  if (pivoted && (outside = cwd_outside_namespace (ctx->pid, err)) < 0)
    {
      confine_result_from_error (r, "rules.cwd", "cannot judge the init's working directory",
                                 err);
      return 0;
    }
  if (outside)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.cwd",
                          "the init's working directory (process.cwd `%s`) is on a mount "
                          "outside the container's mount namespace: a host directory runc "
                          "leaked (CVE-2024-21626)",
                          cwd);
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "process.cwd `%s` resolves to `%s`, outside /proc", cwd, resolved);
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The conmon rule: the host paths conmon writes as root for the container
 * it monitors, read from its command line, must lie in the container's
 * own directories, in an engine's tree the policy names
 * (conmon.allowed_subtrees), or be paths a writable bind could have. A
 * Podman API user names the log file (`--log-opt path=/etc/profile.d/x.sh`,
 * conmon then appends the container's output to it as root) and the
 * container's pid file (`--pidfile`, which runc replaces); the spec shows
 * neither, so the gate reads the artefact, conmon's own command line.
 * Judged at create, before the runtime writes the pid file and before the
 * container has any output for conmon to write. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conmon.h"
#include "hostpath.h"
#include "mounts.h"
#include "process.h"
#include "rules.h"
#include "standin.h"
#include "../base/alloc.h"
#include "../base/file.h"
#include "../base/utils.h"

/* What an option's value is to conmon. */
typedef enum
{
  V_NONE,     /* a flag: takes no value */
  V_OTHER,    /* a value that names no path conmon writes */
  V_LOG,      /* a log driver and path: DRIVER:PATH, or PATH */
  V_FILE,     /* a file written (a pid file) */
  V_DIR_CID,  /* a directory that gets a file named by the container id */
  V_DIR_EXIT, /* a directory that gets a file `exit` */
  V_SOCKDIR,  /* a directory that gets a link named by the cuuid (unless --full-attach) */
  V_SOCKET,   /* a socket created at the path */
  V_BUNDLE,   /* --bundle: attach socket and fifos created in it */
  V_CID,
  V_CUUID,
} value_t;

/* conmon's options (src/cli.c), 2.1.6 as Debian 12 ships it and those
 * added up to 2.2. */
static const struct
{
  const char *name;
  char short_name;
  value_t value;
} options[] = {
  { "api-version", 0, V_NONE },
  { "bundle", 'b', V_BUNDLE },
  { "cid", 'c', V_CID },
  { "conmon-pidfile", 'P', V_FILE },
  { "container-pidfile", 'p', V_FILE },
  { "cuuid", 'u', V_CUUID },
  { "exec", 'e', V_NONE },
  { "exec-attach", 0, V_NONE },
  { "exec-process-spec", 0, V_OTHER },
  { "exit-command", 0, V_OTHER },
  { "exit-command-arg", 0, V_OTHER },
  { "exit-delay", 0, V_OTHER },
  { "exit-dir", 0, V_DIR_CID },
  { "full-attach", 0, V_NONE },
  { "leave-stdin-open", 0, V_NONE },
  { "log-allowlist-dir", 0, V_OTHER },
  { "log-global-size-max", 0, V_OTHER },
  { "log-label", 0, V_OTHER },
  { "log-level", 0, V_OTHER },
  { "log-max-files", 0, V_OTHER },
  { "log-path", 'l', V_LOG },
  { "log-rotate", 0, V_NONE },
  { "log-size-max", 0, V_OTHER },
  { "log-tag", 0, V_OTHER },
  { "name", 'n', V_OTHER },
  { "no-container-partial-message", 0, V_NONE },
  { "no-new-keyring", 0, V_NONE },
  { "no-pivot", 0, V_NONE },
  { "no-sync-log", 0, V_NONE },
  { "persist-dir", '0', V_DIR_EXIT },
  { "pidfile", 0, V_FILE },
  { "replace-listen-pid", 0, V_NONE },
  { "restore", 0, V_OTHER },
  { "restore-arg", 0, V_OTHER },
  { "runtime", 'r', V_OTHER },
  { "runtime-arg", 0, V_OTHER },
  { "runtime-opt", 0, V_OTHER },
  { "sdnotify-socket", 0, V_OTHER },
  { "seccomp-notify-plugins", 0, V_OTHER },
  { "seccomp-notify-socket", 0, V_SOCKET },
  { "socket-dir-path", 0, V_SOCKDIR },
  { "stdin", 'i', V_NONE },
  { "sync", 0, V_NONE },
  { "syslog", 0, V_NONE },
  { "systemd-cgroup", 's', V_NONE },
  { "terminal", 't', V_NONE },
  { "timeout", 'T', V_OTHER },
  { "version", 0, V_NONE },
};
#define N_OPTIONS (sizeof (options) / sizeof (options[0]))
/* conmon's default --socket-dir-path (src/config.h). */
#define CONMON_SOCKET_PATH "/var/run/crio"

static int
find_long (const char *name, size_t len)
{
  for (size_t i = 0; i < N_OPTIONS; i++)
    if (strlen (options[i].name) == len && strncmp (options[i].name, name, len) == 0)
      return (int) i;
  return -1;
}

static int
find_short (char c)
{
  for (size_t i = 0; i < N_OPTIONS; i++)
    if (options[i].short_name == c)
      return (int) i;
  return -1;
}

static void
add_write (confine_conmon_t *c, const char *option, const char *value, char *path)
{
  c->writes = confine_xreallocarray (c->writes, c->n_writes + 1, sizeof (*c->writes));
  c->writes[c->n_writes++]
      = (confine_conmon_write_t){ .option = option, .value = confine_xstrdup (value), .path = path };
}

/* The file a log driver writes, as conmon's parse_log_path finds it with
 * strtok: `k8s-file:PATH`, a bare PATH, `:PATH`; `journald`, `passthrough`
 * and `none`/`off`/`null` write no file. A second colon (strtok would cut
 * the path there, a later conmon may not) and an unknown driver (conmon
 * exits) are errors. *PATH is NULL when no file is written. */
static int
log_file (const char *value, char **path, confine_error_t *err)
{
  /* Drivers that write no file, with a path after them or not. */
  static const char *const fileless[] = { "journald", "passthrough", "none", "off", "null" };
  const char *colon = strchr (value, ':');
  const char *file = value;
  size_t dlen = colon ? (size_t) (colon - value) : strlen (value);

  *path = NULL;
  if (colon && strchr (colon + 1, ':'))
    return confine_make_error (err, 0, "log path `%s` has more than one `:`", value);
  for (size_t d = 0; dlen > 0 && d < sizeof (fileless) / sizeof (fileless[0]); d++)
    if (strlen (fileless[d]) == dlen && strncmp (value, fileless[d], dlen) == 0)
      return 0;
  /* `:PATH` is k8s-file's, as a bare PATH is. */
  if (colon && colon != value)
    {
      if (dlen != 8 || strncmp (value, "k8s-file", 8) != 0)
        return confine_make_error (err, 0, "log driver `%.*s` is not one conmon has",
                                   (int) dlen, value);
      file = colon + 1;
    }
  else if (colon)
    file = colon + 1;
  if (file[0] == '\0')
    return confine_make_error (err, 0, "log path `%s` names no file", value);
  *path = confine_xstrdup (file);
  return 0;
}

/* Record option O's VALUE. */
static int
take (confine_conmon_t *c, size_t o, const char *value, const char **socket_dir,
      confine_error_t *err)
{
  char *path = NULL;
  const char *spelled = NULL;

  switch (options[o].value)
    {
    case V_NONE:
    case V_OTHER:
      return 0;
    case V_CID:
      free (c->cid);
      c->cid = confine_xstrdup (value);
      return 0;
    case V_CUUID:
      free (c->cuuid);
      c->cuuid = confine_xstrdup (value);
      return 0;
    case V_SOCKDIR:
      *socket_dir = value;
      return 0;
    case V_BUNDLE:
      free (c->bundle);
      c->bundle = confine_xstrdup (value);
      path = confine_xstrdup (value);
      break;
    case V_LOG:
      if (log_file (value, &path, err) < 0)
        return -1;
      if (path == NULL)
        return 0;
      break;
    case V_FILE:
    case V_SOCKET:
    case V_DIR_CID:
    case V_DIR_EXIT:
      /* Completed once the whole line is read (the cid may come later). */
      path = confine_xstrdup (value);
      break;
    }
  spelled = options[o].name;
  if (path[0] != '/')
    {
      free (path);
      return confine_make_error (err, 0, "--%s `%s` is not an absolute path (conmon would "
                                 "resolve it from its working directory)", spelled, value);
    }
  add_write (c, spelled, value, path);
  return 0;
}

void
confine_conmon_clear (confine_conmon_t *c)
{
  for (size_t i = 0; i < c->n_writes; i++)
    {
      free (c->writes[i].value);
      free (c->writes[i].path);
    }
  free (c->writes);
  free (c->cid);
  free (c->cuuid);
  free (c->bundle);
  *c = (confine_conmon_t){ 0 };
}

static int
parse (char *const *argv, size_t argc, confine_conmon_t *c, confine_error_t *err)
{
  const char *socket_dir = CONMON_SOCKET_PATH;
  bool full_attach = false, pid_file = false;

  for (size_t i = 1; i < argc; i++)
    {
      const char *a = argv[i], *value = NULL;
      int o;

      /* GLib leaves what is not an option in place (conmon ignores it:
       * Podman's `--api-version 1`), and stops at `--`. */
      if (a[0] != '-' || a[1] == '\0')
        continue;
      if (strcmp (a, "--") == 0)
        break;
      if (a[1] == '-')
        {
          const char *eq = strchr (a + 2, '=');
          size_t len = eq ? (size_t) (eq - a - 2) : strlen (a + 2);
          if ((o = find_long (a + 2, len)) < 0)
            return confine_make_error (err, 0, "`%s` is not an option conmon has", a);
          if (options[o].value == V_NONE)
            {
              if (eq)
                return confine_make_error (err, 0, "`%s` gives a value to a flag", a);
            }
          else if (eq)
            value = eq + 1;
          else if (i + 1 < argc)
            value = argv[++i];
          else
            return confine_make_error (err, 0, "`%s` has no value", a);
        }
      else
        {
          /* One short option per word, or a cluster of flags: GLib gives
           * a value-taking option of a cluster the next word, not the
           * rest of this one, which no engine writes. */
          for (const char *s = a + 1; *s; s++)
            {
              if ((o = find_short (*s)) < 0)
                return confine_make_error (err, 0, "`-%c` (in `%s`) is not an option conmon has",
                                           *s, a);
              if (options[o].value != V_NONE && (s != a + 1 || s[1] != '\0'))
                return confine_make_error (err, 0, "`%s` is not a short option and its value "
                                           "in two words", a);
              c->exec = c->exec || *s == 'e';
            }
          if (options[o].value == V_NONE)
            continue;
          if (i + 1 >= argc)
            return confine_make_error (err, 0, "`%s` has no value", a);
          value = argv[++i];
        }
      if (options[o].value == V_NONE)
        {
          full_attach = full_attach || strcmp (options[o].name, "full-attach") == 0;
          c->exec = c->exec || strcmp (options[o].name, "exec") == 0;
          continue;
        }
      if (value[0] == '\0' && options[o].value != V_OTHER)
        return confine_make_error (err, 0, "--%s is empty", options[o].name);
      pid_file = pid_file || strcmp (options[o].name, "container-pidfile") == 0
                 || strcmp (options[o].name, "pidfile") == 0;
      if (options[o].value == V_SOCKDIR && value[0] != '/')
        return confine_make_error (err, 0, "--socket-dir-path `%s` is not an absolute path",
                                   value);
      if (take (c, (size_t) o, value, &socket_dir, err) < 0)
        return -1;
    }
  if (c->cid == NULL || c->cid[0] == '\0' || strchr (c->cid, '/') || strcmp (c->cid, ".") == 0
      || strcmp (c->cid, "..") == 0)
    return confine_make_error (err, 0, "no container id (--cid) that names a file");
  /* Without one, conmon writes the runtime's pid file in its working
   * directory. */
  if (!pid_file)
    return confine_make_error (err, 0, "no --container-pidfile (conmon would write one in its "
                               "working directory)");
  for (size_t w = 0; w < c->n_writes; w++)
    {
      confine_conmon_write_t *cw = &c->writes[w];
      char *file = NULL;
      if (strcmp (cw->option, "exit-dir") == 0)
        file = confine_xasprintf ("%s/%s", cw->path, c->cid);
      else if (strcmp (cw->option, "persist-dir") == 0)
        file = confine_xasprintf ("%s/exit", cw->path);
      if (file)
        {
          free (cw->path);
          cw->path = file;
        }
    }
  /* The attach socket's link, named by the cuuid, where --full-attach
   * does not put the socket in the bundle itself. */
  if (!full_attach)
    {
      const char *cuuid = c->cuuid ? c->cuuid : c->cid;
      if (strchr (cuuid, '/') || strcmp (cuuid, "..") == 0 || strcmp (cuuid, ".") == 0)
        return confine_make_error (err, 0, "--cuuid `%s` does not name a file", cuuid);
      add_write (c, "socket-dir-path", socket_dir, confine_xasprintf ("%s/%s", socket_dir, cuuid));
    }
  return 0;
}

int
confine_conmon_parse (char *const *argv, size_t argc, confine_conmon_t *out, confine_error_t *err)
{
  *out = (confine_conmon_t){ 0 };
  if (parse (argv, argc, out, err) < 0)
    {
      confine_conmon_clear (out);
      return confine_error_wrap (err, "conmon's command line");
    }
  return 0;
}

/* The executable of process PID, as the kernel recorded it at execve. */
static int
exe_of (long pid, char *buf, size_t size, confine_error_t *err)
{
  char link[64];
  ssize_t n;

  snprintf (link, sizeof (link), "/proc/%ld/exe", pid);
  n = readlink (link, buf, size - 1);
  if (n < 0)
    return confine_make_error (err, errno, "readlink `%s`", link);
  if ((size_t) n >= size - 1)
    return confine_make_error (err, ENAMETOOLONG, "readlink `%s`", link);
  buf[n] = '\0';
  return 0;
}

/* The last component of EXE, without the " (deleted)" the kernel adds
 * when the file was replaced (a package upgrade while conmon runs). */
static bool
exe_named (const char *exe, const char *name)
{
  const char *base = strrchr (exe, '/');
  size_t n, len = strlen (name);

  base = base ? base + 1 : exe;
  n = strlen (base);
  if (n > 10 && strcmp (base + n - 10, " (deleted)") == 0)
    n -= 10;
  return n == len && strncmp (base, name, len) == 0;
}

int
confine_conmon_is (long pid, bool *is, confine_error_t *err)
{
  char exe[PATH_MAX];

  if (exe_of (pid, exe, sizeof (exe), err) < 0)
    return -1;
  *is = exe_named (exe, "conmon");
  return 0;
}

/* The parent of process PID, from /proc/PID/stat (after the command
 * name, which may hold anything, `)` included). */
static int
parent_of (long pid, long *ppid, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  char path[64];
  size_t len = 0;
  const char *p;
  char *end = NULL;

  snprintf (path, sizeof (path), "/proc/%ld/stat", pid);
  if (confine_read_file (path, 4096, &buf, &len, err) < 0)
    return -1;
  p = strrchr (buf, ')');
  if (p == NULL || strncmp (p, ") ", 2) != 0 || p[2] == '\0' || p[3] != ' ')
    return confine_make_error (err, 0, "`%s` is not a process's stat", path);
  errno = 0;
  *ppid = strtol (p + 4, &end, 10);
  if (errno || end == p + 4 || *end != ' ' || *ppid < 0)
    return confine_make_error (err, 0, "`%s`: no parent", path);
  return 0;
}

int
confine_conmon_above_runtime (long runtime, long *pid, confine_error_t *err)
{
  char exe[PATH_MAX], shim_exe[PATH_MAX];
  long parent = 0;
  bool is = false;
  size_t n;

  *pid = 0;
  if (parent_of (runtime, &parent, err) < 0)
    return -1;
  if (parent == 0)
    return 0;
  if (confine_conmon_is (parent, &is, err) < 0)
    return -1;
  if (is)
    {
      *pid = parent;
      return 0;
    }
  /* The gate's shim between: named confine-runtime, or the stand-in P
   * whose P.real the runtime is (what install.sh sets up). */
  if (exe_of (runtime, exe, sizeof (exe), err) < 0 || exe_of (parent, shim_exe, sizeof (shim_exe), err) < 0)
    return -1;
  n = strlen (shim_exe);
  if (!exe_named (shim_exe, CONFINE_SHIM_NAME)
      && !(strncmp (exe, shim_exe, n) == 0 && strcmp (exe + n, CONFINE_STANDIN_SUFFIX) == 0))
    return 0;
  runtime = parent;
  if (parent_of (runtime, &parent, err) < 0)
    return -1;
  if (parent == 0)
    return 0;
  if (confine_conmon_is (parent, &is, err) < 0)
    return -1;
  *pid = is ? parent : 0;
  return 0;
}

/* PATH (resolved) lies in a directory containers/storage keeps for the
 * container CID alone, as Podman and CRI-O lay it out under their graph
 * and run roots: `<driver>-containers/<cid>/userdata`. */
static bool
in_own_userdata (const char *path, const char *cid)
{
  cleanup_free char *needle = confine_xasprintf ("-containers/%s/userdata", cid);
  size_t n = strlen (needle);

  for (const char *p = strstr (path, needle); p; p = strstr (p + 1, needle))
    {
      const char *start = p;
      /* `-containers` ends a whole component with a name before it. */
      while (start > path && start[-1] != '/')
        start--;
      if (start == p || start == path)
        continue;
      if (p[n] == '\0' || p[n] == '/')
        return true;
    }
  return false;
}

/* Where a write is allowed without judging it as a bind: the bundle the
 * gate judged, the container's own userdata directories, and the
 * engines' trees of conmon.allowed_subtrees. */
static int
allowed_write (confine_hostpaths_t *hp, const confine_context_t *ctx, const char *bundle,
               const char *cid, const char *path, bool *ok, confine_error_t *err)
{
  *ok = (bundle && confine_path_within (path, bundle)) || in_own_userdata (path, cid);
  for (char **a = ctx->policy->conmon_allowed_subtrees; !*ok && *a; a++)
    {
      cleanup_free char *tree = NULL;
      if (confine_hostpaths_resolve (hp, NULL, *a, &tree, err) < 0)
        return confine_error_wrap (err, "conmon.allowed_subtrees `%s`", *a);
      *ok = confine_path_within (path, tree);
    }
  return 0;
}

/* The regular files process PID holds open for writing, by the names the
 * kernel gives them (/proc/PID/fd): conmon opens its k8s-file log before
 * it runs the runtime, so the file it will write is the one open, whatever
 * the path on its command line names by the time the gate looks (a link
 * retargeted in between). A file whose name was removed but that has
 * another one cannot be named, and is an error; one with no name left is
 * reached by no one else. */
static int
open_writes (long pid, char ***out, size_t *n, confine_error_t *err)
{
  char dir[64];
  cleanup_dir DIR *d = NULL;
  struct dirent *e;

  snprintf (dir, sizeof (dir), "/proc/%ld/fd", pid);
  if ((d = opendir (dir)) == NULL)
    return confine_make_error (err, errno, "open `%s`", dir);
  while ((errno = 0, e = readdir (d)) != NULL)
    {
      char link[PATH_MAX], info[PATH_MAX], target[PATH_MAX];
      cleanup_free char *buf = NULL;
      size_t len = 0;
      const char *flags;
      unsigned long mode;
      struct stat st;
      ssize_t t;

      if (e->d_name[0] == '.')
        continue;
      /* An fd's name is its number. */
      if (strspn (e->d_name, "0123456789") != strlen (e->d_name) || strlen (e->d_name) > 10)
        return confine_make_error (err, 0, "`%s/%s` is not an fd", dir, e->d_name);
      snprintf (link, sizeof (link), "%s/%s", dir, e->d_name);
      snprintf (info, sizeof (info), "/proc/%ld/fdinfo/%s", pid, e->d_name);
      if (stat (link, &st) < 0)
        return confine_make_error (err, errno, "stat `%s`", link);
      if (!S_ISREG (st.st_mode))
        continue;
      if (confine_read_file (info, 4096, &buf, &len, err) < 0)
        return -1;
      if ((flags = strstr (buf, "flags:\t")) == NULL)
        return confine_make_error (err, 0, "`%s` has no flags", info);
      mode = strtoul (flags + 7, NULL, 8);
      if ((mode & O_ACCMODE) == O_RDONLY)
        continue;
      if ((t = readlink (link, target, sizeof (target) - 1)) < 0)
        return confine_make_error (err, errno, "readlink `%s`", link);
      if ((size_t) t >= sizeof (target) - 1)
        return confine_make_error (err, ENAMETOOLONG, "readlink `%s`", link);
      target[t] = '\0';
      if (t > 10 && strcmp (target + t - 10, " (deleted)") == 0)
        {
          if (st.st_nlink == 0)
            continue;
          return confine_make_error (err, 0, "conmon (pid %ld) writes `%s`, a file with "
                                     "another name the gate cannot find", pid, target);
        }
      if (target[0] != '/')
        return confine_make_error (err, 0, "conmon (pid %ld) writes `%s`, which is no path",
                                   pid, target);
      *out = confine_xreallocarray (*out, *n + 1, sizeof (**out));
      (*out)[(*n)++] = confine_xstrdup (target);
    }
  if (errno)
    return confine_make_error (err, errno, "read `%s`", dir);
  return 0;
}

/* Judge PATH, which conmon writes as root (WHAT says how it is told):
 * 1 when refused, with R filled. */
static int
judge_write (confine_hostpaths_t *hp, const confine_context_t *ctx, const char *bundle,
             const char *cid, const char *written, const char *what, confine_rule_result_t *r,
             confine_error_t *err)
{
  confine_hostpath_verdict_t v = { 0 };
  cleanup_free char *path = NULL;
  bool ok = false;
  int ret;

  if (confine_hostpaths_resolve (hp, NULL, written, &path, err) < 0
      || allowed_write (hp, ctx, bundle, cid, path, &ok, err) < 0)
    return -1;
  if (ok)
    return 0;
  /* Written as root, with what the container prints in the log: as much
   * as a writable bind of the path gives the container. */
  if ((ret = confine_hostpaths_judge (hp, path, CONFINE_HOSTPATH_BIND, false, &v, err)) <= 0)
    return ret;
  confine_result_set (r, CONFINE_RESULT_FAIL, v.key ? v.key : "conmon.allowed_subtrees",
                      "conmon (pid %ld) writes `%s` as root (%s), which %s the host's `%s` "
                      "(neither the container's own directory nor in conmon.allowed_subtrees)",
                      ctx->conmon_pid, path, what, v.socket ? "holds" : v.relation,
                      v.socket ? v.socket : v.entry);
  free (v.socket);
  return 1;
}

static int
judge (const confine_context_t *ctx, const confine_conmon_t *c, confine_rule_result_t *r,
       confine_error_t *err)
{
  confine_hostpaths_t local = { 0 };
  confine_hostpaths_t *hp = confine_rule_hostpaths (ctx, &local, err);
  cleanup_free char *bundle = NULL;
  char **open = NULL;
  size_t n_open = 0;
  int ret = 0;

  if (hp == NULL)
    return -1;
  if (ctx->bundle && (ret = confine_hostpaths_resolve (hp, NULL, ctx->bundle, &bundle, err)) < 0)
    goto out;
  for (size_t w = 0; ret == 0 && w < c->n_writes; w++)
    {
      cleanup_free char *what = confine_xasprintf ("--%s `%s`", c->writes[w].option,
                                                   c->writes[w].value);
      ret = judge_write (hp, ctx, bundle, c->cid, c->writes[w].path, what, r, err);
    }
  if (ret == 0 && ctx->conmon_pid > 0)
    ret = open_writes (ctx->conmon_pid, &open, &n_open, err);
  for (size_t o = 0; ret == 0 && o < n_open; o++)
    ret = judge_write (hp, ctx, bundle, c->cid, open[o], "open for writing", r, err);
  if (ret == 0)
    confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                        "conmon (pid %ld) writes %zu path(s) and holds %zu file(s) open for "
                        "writing, each in the container's own directories or allowed",
                        ctx->conmon_pid, c->n_writes, n_open);
out:
  for (size_t o = 0; o < n_open; o++)
    free (open[o]);
  free (open);
  confine_rule_hostpaths_done (hp, &local);
  return ret < 0 ? -1 : 0;
}

int
confine_rule_conmon (const confine_context_t *ctx, const confine_subject_t *s CONFINE_UNUSED,
                     confine_rule_result_t *r, confine_error_t *err)
{
  confine_conmon_t c = { 0 };
  int ret;

  if (ctx->conmon_argv == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL, "the runtime was not started by conmon");
      return 0;
    }
  if (confine_conmon_parse (ctx->conmon_argv, ctx->conmon_argc, &c, err) < 0)
    {
      confine_result_from_error (r, "rules.conmon", "cannot tell where conmon writes", err);
      return 0;
    }
  /* The conmon above must be this container's: an exec session's
   * conmon, or another container's, would say nothing of this one. */
  if (c.exec || (ctx->id && strcmp (c.cid, ctx->id) != 0))
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.conmon",
                        "the conmon above the runtime (pid %ld) monitors %s `%s`, not the "
                        "container `%s` being created",
                        ctx->conmon_pid, c.exec ? "an exec session of" : "the container", c.cid,
                        ctx->id);
  else if ((ret = judge (ctx, &c, r, err)) < 0)
    {
      confine_conmon_clear (&c);
      return ret;
    }
  confine_conmon_clear (&c);
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "standin.h"
#include "status.h"
#include "../base/utils.h"
#include "../oci/json.h"

/* procfs files are small; these bounds only stop a runaway read. */
#define PROC_FILE_MAX (64u << 10)
#define ENGINE_CONFIG_MAX (4u << 20)
#define HOOKS_MAX_FILES 4096
/* Room for the terminator within CONFINE_STATUS_MAX_ROOTS. */
#define LIST_MAX (CONFINE_STATUS_MAX_ROOTS - 1)

static int
split_words (char *buf, char ***out, confine_error_t *err)
{
  cleanup_strv_list confine_strv_t l = { 0 };
  char *save = NULL;

  for (char *w = strtok_r (buf, " \t\n", &save); w; w = strtok_r (NULL, " \t\n", &save))
    if (confine_strv_add (&l, confine_xstrdup (w), LIST_MAX, err) < 0)
      return -1;
  *out = confine_strv_steal (&l);
  return 0;
}

int
confine_seccomp_actions_avail (char ***out, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  if (confine_read_file ("/proc/sys/kernel/seccomp/actions_avail", PROC_FILE_MAX, &buf, NULL, err)
      < 0)
    return -1;
  return split_words (buf, out, err);
}

int
confine_runc_default_roots (char ***out, confine_error_t *err)
{
  /* Docker gives each runtime its own root under its exec-root, so a
   * container started through our shim is under runtime-confine, one
   * started around it under runtime-runc. containerd's shim uses one
   * root per namespace (moby, k8s.io, default, ...). */
  static const struct
  {
    const char *pattern;
    const char *parent; /* the directory glob must list, or NULL */
  } patterns[] = { { "/run/docker/runtime-*/moby", "/run/docker" },
                   { "/run/containerd/runc/*", "/run/containerd/runc" },
                   { "/run/runc", NULL },
                   { NULL, NULL } };
  cleanup_strv_list confine_strv_t l = { 0 };

  for (size_t p = 0; patterns[p].pattern; p++)
    {
      cleanup_glob glob_t g = { 0 };
      if (glob (patterns[p].pattern, GLOB_NOSORT | GLOB_ONLYDIR, NULL, &g) != 0)
        {
          /* An unprivileged user cannot list /run/docker (0700): glob then
           * finds nothing, which must not read as "no containers". The
           * parent is returned instead, and confine_runc_containers
           * reports it as unreadable. */
          cleanup_close int fd = -1;
          if (patterns[p].parent
              && (fd = open (patterns[p].parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
              && (errno == EACCES || errno == EPERM)
              && confine_strv_add (&l, confine_xstrdup (patterns[p].parent), LIST_MAX, err) < 0)
            return -1;
          continue;
        }
      for (size_t i = 0; i < g.gl_pathc; i++)
        {
          struct stat st;
          /* GLOB_ONLYDIR is only a hint. */
          if (lstat (g.gl_pathv[i], &st) < 0 || !S_ISDIR (st.st_mode))
            continue;
          if (confine_strv_add (&l, confine_xstrdup (g.gl_pathv[i]), LIST_MAX, err) < 0)
            return -1;
        }
    }
  *out = confine_strv_steal (&l);
  return 0;
}

int
confine_proc_stat_parse (char *buf, char *state, uint64_t *start)
{
  char *p, *save = NULL;
  int n = 3;

  if ((p = strrchr (buf, ')')) == NULL)
    return -1;
  for (char *tok = strtok_r (p + 1, " ", &save); tok; tok = strtok_r (NULL, " ", &save), n++)
    {
      if (n == 3)
        *state = tok[0];
      if (n == 22)
        return confine_parse_u64 (tok, UINT64_MAX, start);
    }
  return -1;
}

int
confine_proc_stat (pid_t pid, char *state, uint64_t *start)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *buf = NULL;
  char path[64];
  int n = snprintf (path, sizeof (path), "/proc/%d/stat", (int) pid);

  if (n < 0 || (size_t) n >= sizeof (path)
      || confine_read_file (path, PROC_FILE_MAX, &buf, NULL, &err) < 0)
    return -1;
  return confine_proc_stat_parse (buf, state, start);
}

int
confine_runc_state_parse (const char *buf, size_t len, confine_runc_state_t *out,
                          confine_error_t *err)
{
  cleanup_json confine_json_t *doc = NULL;
  cleanup_strv char **labels = NULL;
  const confine_json_t *config;
  int r;

  /* runc's record embeds the whole libcontainer config, seccomp and all;
   * only these are read. */
  static const char *const keep[]
      = { "id", "init_process_pid", "init_process_start", "config/labels", NULL };

  *out = (confine_runc_state_t) { 0 };
  if (confine_json_parse_kept (buf, len, keep, &doc, err) < 0
      || confine_json_string (doc, "id", "state.json", &out->id, err) < 0
      || confine_json_i64 (doc, "init_process_pid", "state.json", &out->pid, err) < 0
      || (r = confine_json_u64 (doc, "init_process_start", "state.json", UINT64_MAX, &out->start,
                                err))
             < 0)
    goto fail;
  out->has_start = r > 0;
  config = confine_json_get (doc, "config");
  if (config && confine_json_strv (config, "labels", "state.json config", &labels, err) < 0)
    goto fail;
  for (char **l = labels; l && *l; l++)
    if (strncmp (*l, "bundle=", 7) == 0)
      {
        out->bundle = confine_xstrdup (*l + 7);
        break;
      }
  return 0;

fail:
  confine_runc_state_clear (out);
  return -1;
}

void
confine_runc_state_clear (confine_runc_state_t *st)
{
  free (st->id);
  free (st->bundle);
  *st = (confine_runc_state_t) { 0 };
}

static int
read_container (int rootfd, const char *root, const char *id, confine_container_t *c,
                confine_error_t *err)
{
  cleanup_error confine_error_t rerr = NULL;
  cleanup_free char *path = NULL;
  cleanup_free char *buf = NULL;
  confine_runc_state_t st = { 0 };
  uint64_t now_start = 0;
  char pstate = '?';
  size_t len = 0;

  c->status = "unknown";
  c->root = confine_xstrdup (root);
  c->id = confine_xstrdup (id);
  if (asprintf (&path, "%s/state.json", id) < 0)
    return confine_make_error (err, ENOMEM, "state path");
  if (confine_read_file_at (rootfd, path, CONFINE_RUNC_STATE_MAX_BYTES, &buf, &len, &rerr) < 0
      || confine_runc_state_parse (buf, len, &st, &rerr) < 0)
    {
      /* A half-written or foreign state is reported, not fatal: the other
       * containers still need to be shown. */
      c->error = confine_xstrdup (rerr->msg);
      return 0;
    }
  c->bundle = steal_pointer (&st.bundle);
  if (st.pid <= 0 || st.pid > INT32_MAX)
    {
      c->status = "stopped";
      confine_runc_state_clear (&st);
      return 0;
    }
  c->pid = (pid_t) st.pid;
  /* runc's own test: a pid whose start time differs is a recycled pid,
   * and a zombie is an init that has exited; either way the container is
   * gone. */
  if (confine_proc_stat (c->pid, &pstate, &now_start) < 0 || (st.has_start && now_start != st.start)
      || pstate == 'Z' || pstate == 'X')
    c->status = "stopped";
  else
    {
      cleanup_free char *fifo = NULL;
      if (asprintf (&fifo, "%s/exec.fifo", id) < 0)
        {
          confine_runc_state_clear (&st);
          return confine_make_error (err, ENOMEM, "fifo path");
        }
      c->status = faccessat (rootfd, fifo, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ? "created" : "running";
    }
  confine_runc_state_clear (&st);
  return 0;
}

static const char *
annotation (const confine_spec_t *spec, const char *key)
{
  for (size_t i = 0; i < spec->n_annotations; i++)
    if (strcmp (spec->annotations[i].key, key) == 0)
      return spec->annotations[i].value;
  return NULL;
}

/* A JSON file an engine wrote, read only to show a name. */
static confine_json_t *
engine_file (const char *path)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *buf = NULL;
  confine_json_t *doc = NULL;
  size_t len = 0;
  if (confine_read_file (path, ENGINE_CONFIG_MAX, &buf, &len, &err) < 0
      || confine_json_parse (buf, len, &doc, &err) < 0)
    return NULL;
  return doc;
}

/* Docker: `<data-root>/containers/<id>/hostname` is mounted at
 * /etc/hostname; config.v2.json beside it has `Name`, "/name". */
static int
docker_name (const char *id, const confine_spec_t *spec, char **out, confine_error_t *err)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      cleanup_free char *dir = NULL;
      cleanup_free char *file = NULL;
      cleanup_json confine_json_t *doc = NULL;
      cleanup_error confine_error_t jerr = NULL;
      cleanup_free char *name = NULL;
      size_t l, il = strlen (id);
      if (m->destination == NULL || strcmp (m->destination, "/etc/hostname") != 0 || m->source == NULL
          || m->source[0] != '/')
        continue;
      l = strlen (m->source);
      /* .../containers/<id>/hostname, for this very id. */
      if (l < il + 21 || strcmp (m->source + l - 9, "/hostname") != 0
          || strncmp (m->source + l - 9 - il, id, il) != 0
          || strncmp (m->source + l - 9 - il - 12, "/containers/", 12) != 0)
        continue;
      dir = confine_xstrndup (m->source, l - 9);
      if (asprintf (&file, "%s/config.v2.json", dir) < 0)
        return confine_make_error (err, ENOMEM, "path");
      if ((doc = engine_file (file)) == NULL
          || confine_json_string (doc, "Name", "", &name, &jerr) <= 0)
        return 0;
      *out = confine_xstrdup (name[0] == '/' ? name + 1 : name);
      return 0;
    }
  return 0;
}

/* Podman (containers/storage): the bundle is
 * `<storage>/overlay-containers/<id>/userdata`, and
 * `<storage>/overlay-containers/containers.json` lists `names` per `id`. */
static int
podman_name (const char *id, const char *bundle, char **out, confine_error_t *err)
{
  static const char tail[] = "/userdata";
  cleanup_free char *file = NULL;
  cleanup_json confine_json_t *doc = NULL;
  size_t l = bundle ? strlen (bundle) : 0, il = strlen (id), tl = sizeof (tail) - 1;

  if (l < il + tl + 1 || strcmp (bundle + l - tl, tail) != 0
      || strncmp (bundle + l - tl - il, id, il) != 0 || bundle[l - tl - il - 1] != '/')
    return 0;
  if (asprintf (&file, "%.*scontainers.json", (int) (l - tl - il), bundle) < 0)
    return confine_make_error (err, ENOMEM, "path");
  if ((doc = engine_file (file)) == NULL || doc->type != CONFINE_JSON_ARRAY)
    return 0;
  for (size_t i = 0; i < doc->len; i++)
    {
      cleanup_error confine_error_t jerr = NULL;
      cleanup_free char *cid = NULL;
      cleanup_strv char **names = NULL;
      if (confine_json_string (doc->values[i], "id", "", &cid, &jerr) > 0 && strcmp (cid, id) == 0
          && confine_json_strv (doc->values[i], "names", "", &names, &jerr) > 0 && names[0])
        {
          *out = confine_xstrdup (names[0]);
          return 0;
        }
    }
  return 0;
}

int
confine_container_name (const char *id, const char *bundle, const confine_spec_t *spec,
                        char **out, confine_error_t *err)
{
  /* CRI (containerd) and CRI-O, then nerdctl. */
  static const char *const cri[][3]
      = { { "io.kubernetes.cri.sandbox-namespace", "io.kubernetes.cri.sandbox-name",
            "io.kubernetes.cri.container-name" },
          { "io.kubernetes.pod.namespace", "io.kubernetes.pod.name",
            "io.kubernetes.container.name" } };
  const char *n;

  *out = NULL;
  for (size_t i = 0; spec && i < 2; i++)
    if ((n = annotation (spec, cri[i][2])) != NULL)
      {
        const char *ns = annotation (spec, cri[i][0]), *pod = annotation (spec, cri[i][1]);
        if (asprintf (out, "%s%s%s%s%s", ns ? ns : "", ns ? "/" : "", pod ? pod : "",
                      pod ? "/" : "", n) < 0)
          {
            *out = NULL;
            return confine_make_error (err, ENOMEM, "name");
          }
        return 0;
      }
  if (spec && (n = annotation (spec, "nerdctl/name")) != NULL)
    {
      *out = confine_xstrdup (n);
      return 0;
    }
  if (spec && docker_name (id, spec, out, err) < 0)
    return -1;
  if (*out == NULL)
    return podman_name (id, bundle, out, err);
  return 0;
}

/* Note a root that exists but cannot be listed. */
static int
add_unreadable (confine_containers_t *out, size_t *cap, const char *root, int errnum,
                confine_error_t *err)
{
  confine_root_error_t *u;
  const char *why = errnum == EACCES || errnum == EPERM ? "permission denied" : strerror (errnum);

  if (confine_append (&out->unreadable, &out->n_unreadable, cap, sizeof (confine_root_error_t),
                      CONFINE_STATUS_MAX_ROOTS, err)
      < 0)
    return -1;
  u = &out->unreadable[out->n_unreadable - 1];
  u->root = confine_xstrdup (root);
  if (asprintf (&u->error, "cannot read (%s)", why) < 0)
    {
      u->error = NULL;
      return confine_make_error (err, ENOMEM, "describe state root");
    }
  return 0;
}

int
confine_runc_containers (char *const *roots, confine_containers_t *out, confine_error_t *err)
{
  size_t cap = 0, ucap = 0;

  memset (out, 0, sizeof (*out));
  for (char *const *root = roots; *root; root++)
    {
      cleanup_dir DIR *d = NULL;
      cleanup_close int fd = open (*root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      struct dirent *de;
      if (fd >= 0 && (d = fdopendir (fd)) != NULL)
        fd = -1; /* the DIR owns it now */
      if (d == NULL)
        {
          if (errno == ENOENT || errno == ENOTDIR)
            continue;
          /* Not fatal: an unprivileged user cannot list /run/runc (0700),
           * yet the rest of the report is still worth having. The root is
           * reported as unread, so its containers are never silently
           * missing. */
          if (add_unreadable (out, &ucap, *root, errno, err) < 0)
            {
              confine_containers_clear (out);
              return -1;
            }
          continue;
        }
      while ((de = readdir (d)) != NULL)
        {
          if (de->d_name[0] == '.')
            continue;
          if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
          if (confine_append (&out->items, &out->n, &cap, sizeof (confine_container_t),
                              CONFINE_STATUS_MAX_CONTAINERS, err)
                  < 0
              || read_container (dirfd (d), *root, de->d_name, &out->items[out->n - 1], err) < 0)
            {
              confine_containers_clear (out);
              return -1;
            }
        }
    }
  return 0;
}

void
confine_containers_clear (confine_containers_t *list)
{
  for (size_t i = 0; i < list->n; i++)
    {
      free (list->items[i].root);
      free (list->items[i].id);
      free (list->items[i].bundle);
      free (list->items[i].error);
    }
  free (list->items);
  for (size_t i = 0; i < list->n_unreadable; i++)
    {
      free (list->unreadable[i].root);
      free (list->unreadable[i].error);
    }
  free (list->unreadable);
  memset (list, 0, sizeof (*list));
}

/* SYSROOT and an absolute PATH, as one path. SYSROOT is the operator's
 * (or a test's) choice, not an untrusted tree. */
static char *
in_root (const char *sysroot, const char *path, confine_error_t *err)
{
  char *out = NULL;
  size_t l = sysroot ? strlen (sysroot) : 0;
  while (l > 0 && sysroot[l - 1] == '/')
    l--;
  if (asprintf (&out, "%.*s%s", (int) l, l ? sysroot : "", path) < 0)
    {
      confine_make_error (err, ENOMEM, "path");
      return NULL;
    }
  return out;
}

static void set_reg (confine_registration_t *out, const char *state, const char *fmt, ...)
    CONFINE_PRINTF (3, 4);
static void
set_reg (confine_registration_t *out, const char *state, const char *fmt, ...)
{
  va_list ap;
  char *d;
  va_start (ap, fmt);
  d = confine_xvasprintf (fmt, ap);
  va_end (ap);
  free (out->detail);
  out->detail = d;
  out->state = state;
}

/* Read an engine's configuration file. 1: read; 0: absent (state set);
 * negative: error. An unreadable file is "invalid", not an error: the
 * report goes on. */
static int
read_config (const char *sysroot, const char *path, confine_registration_t *out, char **buf,
             size_t *len, confine_error_t *err)
{
  cleanup_error confine_error_t rerr = NULL;
  memset (out, 0, sizeof (*out));
  if ((out->file = in_root (sysroot, path, err)) == NULL)
    return -1;
  if (confine_read_file (out->file, ENGINE_CONFIG_MAX, buf, len, &rerr) < 0)
    {
      if (rerr->status == ENOENT)
        {
          set_reg (out, "absent", "no %s", out->file);
          return 0;
        }
      set_reg (out, "invalid", "%s", rerr->msg);
      return 0;
    }
  return 1;
}

static bool
exists_in (const char *sysroot, const char *path)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *p = in_root (sysroot, path, &err);
  return p && access (p, X_OK) == 0;
}

/* Where runtimes live, and which names are runc-compatible binaries that
 * install.sh stands in for. containerd-shim-runc-v1/v2 and the v1
 * containerd-shim run runc from PATH, so they reach a stand-in. */
static const char *const runtime_dirs[]
    = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", NULL };
static const char *const gated_names[] = { "runc", "crun", NULL };
static const char *const shim_names[]
    = { "containerd-shim", "containerd-shim-runc-v1", "containerd-shim-runc-v2", NULL };
/* OCI runtimes with a runc-like command line that the gate does not
 * judge: they run the spec in a sandbox kernel, a VM or a jail
 * (install.sh's OTHER_RUNTIMES). */
static const char *const other_runtimes[] = { "runsc", "kata-runtime", "krun", "runj", NULL };

/* Add `PATH (NOTE)` to the comma-separated *LIST. */
static int
append_runtime (char **list, const char *path, const char *note, confine_error_t *err)
{
  char *next = NULL;
  if (asprintf (&next, "%s%s%s (%s)", *list ? *list : "", *list ? ", " : "", path, note) < 0)
    return confine_make_error (err, ENOMEM, "describe runtimes");
  free (*list);
  *list = next;
  return 0;
}

/* Is the runtime binary BIN (absolute, or a bare name found as
 * containerd's runc shim finds it) a stand-in? Judged as install.sh
 * leaves one: the file its links lead to has `.real` beside it. Sets
 * *NOTE to why not, or NULL. */
static int
docker_runtime_gated (const char *sysroot, const char *bin, const char **note,
                      confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *target = NULL;
  cleanup_free char *real = NULL;
  struct stat st;
  const char *base = strrchr (bin, '/');

  base = base ? base + 1 : bin;
  *note = NULL;
  if (confine_strv_has ((char *const *) other_runtimes, base))
    {
      *note = "not runc-compatible: the gate never sees its containers";
      return 0;
    }
  if (bin[0] == '/')
    path = in_root (sysroot, bin, err);
  else if (strchr (bin, '/') == NULL)
    for (const char *const *d = runtime_dirs; *d && path == NULL; d++)
      {
        cleanup_free char *dir = in_root (sysroot, *d, err);
        if (dir == NULL)
          return -1;
        if (asprintf (&path, "%s/%s", dir, bin) < 0)
          return confine_make_error (err, ENOMEM, "runtime path");
        if (lstat (path, &st) != 0)
          {
            free (path);
            path = NULL;
          }
      }
  if (path == NULL && err && *err)
    return -1;
  /* Its final links followed inside SYSROOT, as install.sh follows them
   * to the file it stands in for (an absolute target is the target
   * system's path). */
  for (int hops = 0; path && hops < 40 && lstat (path, &st) == 0 && S_ISLNK (st.st_mode); hops++)
    {
      char link[PATH_MAX];
      ssize_t n = readlink (path, link, sizeof (link) - 1);
      char *next = NULL, *slash = strrchr (path, '/');
      if (n < 0)
        break;
      link[n] = '\0';
      if (link[0] == '/')
        next = in_root (sysroot, link, err);
      else if (asprintf (&next, "%.*s/%s", (int) (slash - path), path, link) < 0)
        return confine_make_error (err, ENOMEM, "runtime path");
      if (next == NULL)
        return -1;
      free (path);
      path = next;
    }
  if (path == NULL || (target = realpath (path, NULL)) == NULL)
    {
      *note = "not found";
      return 0;
    }
  if (asprintf (&real, "%s%s", target, CONFINE_STANDIN_SUFFIX) < 0)
    return confine_make_error (err, ENOMEM, "runtime path");
  if (stat (real, &st) < 0 || !S_ISREG (st.st_mode))
    *note = "no stand-in: run install.sh";
  return 0;
}

/* Every runtime in daemon.json's RUNTIMES other than confine that a
 * Docker API user can pick by name (docker run --runtime NAME) and that
 * runs ungated, added to *LIST as `NAME -> PATH (why)`. */
static int
docker_ungated_runtimes (const char *sysroot, const confine_json_t *runtimes,
                         const char *ours, char **list, confine_error_t *err)
{
  for (size_t i = 0; runtimes && runtimes->type == CONFINE_JSON_OBJECT && i < runtimes->len; i++)
    {
      const confine_json_t *rt = runtimes->values[i], *type, *bin, *opts;
      cleanup_free char *what = NULL;
      const char *note = NULL;

      if (strcmp (runtimes->keys[i], "confine") == 0 || rt->type != CONFINE_JSON_OBJECT)
        continue;
      type = confine_json_get (rt, "runtimeType");
      bin = confine_json_get (rt, "path");
      if (type && type->type == CONFINE_JSON_STRING)
        {
          static const char *const runc_shims[] = { "io.containerd.runc.v1", "io.containerd.runc.v2",
                                                    "io.containerd.runtime.v1.linux", NULL };
          if (!confine_strv_has ((char *const *) runc_shims, type->text))
            {
              if (asprintf (&what, "%s -> %s", runtimes->keys[i], type->text) < 0)
                return confine_make_error (err, ENOMEM, "describe runtimes");
              if (append_runtime (list, what, "not runc's shim: the gate never sees its containers",
                                  err)
                  < 0)
                return -1;
              continue;
            }
          /* runc's shim runs options.BinaryName, or runc from PATH. */
          opts = confine_json_get (rt, "options");
          bin = opts ? confine_json_get (opts, "BinaryName") : NULL;
        }
      if (bin == NULL || bin->type != CONFINE_JSON_STRING || bin->text[0] == '\0'
          || (ours && strcmp (bin->text, ours) == 0))
        continue;
      if (docker_runtime_gated (sysroot, bin->text, &note, err) < 0)
        return -1;
      if (note == NULL)
        continue;
      if (asprintf (&what, "%s -> %s", runtimes->keys[i], bin->text) < 0)
        return confine_make_error (err, ENOMEM, "describe runtimes");
      if (append_runtime (list, what, note, err) < 0)
        return -1;
    }
  return 0;
}

int
confine_registration_docker (const char *sysroot, confine_registration_t *out,
                             confine_error_t *err)
{
  cleanup_free char *ungated = NULL;
  cleanup_error confine_error_t jerr = NULL;
  cleanup_free char *buf = NULL;
  cleanup_free char *runtime_path = NULL;
  cleanup_free char *def = NULL;
  cleanup_json confine_json_t *doc = NULL;
  const confine_json_t *runtimes, *ours = NULL;
  size_t len = 0;
  int r = read_config (sysroot, "/etc/docker/daemon.json", out, &buf, &len, err);

  if (r <= 0)
    return r;
  if (confine_json_parse (buf, len, &doc, &jerr) < 0 || doc->type != CONFINE_JSON_OBJECT)
    {
      set_reg (out, "invalid", "%s is not a JSON object: %s", out->file,
               jerr ? jerr->msg : "wrong type");
      return 0;
    }
  runtimes = confine_json_get (doc, "runtimes");
  if (runtimes && runtimes->type == CONFINE_JSON_OBJECT)
    ours = confine_json_get (runtimes, "confine");
  if (ours && confine_json_string (ours, "path", "runtimes.confine", &runtime_path, &jerr) < 0)
    {
      set_reg (out, "invalid", "%s", jerr->msg);
      return 0;
    }
  if (confine_json_string (doc, "default-runtime", "", &def, &jerr) < 0)
    {
      set_reg (out, "invalid", "%s", jerr->msg);
      return 0;
    }

  /* dockerd's own default when default-runtime is not set. */
  out->default_runtime = confine_xstrdup (def ? def : "runc");
  if (ours == NULL || runtime_path == NULL)
    {
      set_reg (out, "not registered", "no runtimes.confine in %s (default runtime: %s)",
               out->file, def ? def : "runc");
      return 0;
    }
  if (!exists_in (sysroot, runtime_path))
    {
      set_reg (out, "partial", "runtimes.confine.path `%s` is not an executable file",
               runtime_path);
      return 0;
    }
  if (def == NULL || strcmp (def, "confine") != 0)
    {
      set_reg (out, "partial",
               "runtime confine -> %s is declared, but default-runtime is %s: containers "
               "use it only with --runtime confine",
               runtime_path, def ? def : "runc");
      return 0;
    }
  if (docker_ungated_runtimes (sysroot, runtimes, runtime_path, &ungated, err) < 0)
    return -1;
  if (ungated)
    {
      set_reg (out, "partial",
               "default-runtime confine -> %s, but docker run --runtime NAME runs ungated: %s",
               runtime_path, ungated);
      return 0;
    }
  set_reg (out, "registered", "default-runtime confine -> %s", runtime_path);
  return 0;
}

/* A TOML line without the spaces outside quoted strings and without a
 * trailing comment: `[plugins."io.containerd.grpc.v1.cri".containerd]`,
 * `BinaryName="/usr/local/bin/confine-runtime"`. */
static char *
toml_compact (const char *s)
{
  char *out = confine_xcalloc (strlen (s) + 1, 1), *o = out;
  bool quoted = false;

  for (; *s; s++)
    {
      if (*s == '"' && (!quoted || s[-1] != '\\'))
        quoted = !quoted;
      else if (!quoted && *s == '#')
        break;
      else if (!quoted && (*s == ' ' || *s == '\t' || *s == '\r'))
        continue;
      *o++ = *s;
    }
  return out;
}

/* The string value of `KEY="value"` in a compacted line, or NULL. */
static const char *
toml_string (const char *line, const char *key, size_t *len)
{
  size_t kl = strlen (key);
  const char *q;
  if (strncmp (line, key, kl) != 0 || line[kl] != '=' || line[kl + 1] != '"')
    return NULL;
  if ((q = strchr (line + kl + 2, '"')) == NULL)
    return NULL;
  *len = (size_t) (q - line - kl - 2);
  return line + kl + 2;
}

/* The CRI plugin's table, by config version: containerd 2.x (version 3)
 * moved the runtimes to io.containerd.cri.v1.runtime. */
static const char *
cri_plugin (uint64_t version)
{
  if (version >= 3)
    return "plugins.\"io.containerd.cri.v1.runtime\"";
  if (version == 2)
    return "plugins.\"io.containerd.grpc.v1.cri\"";
  return "plugins.cri";
}

/* Is HDR the options table of a runtime of the CRI plugin CRI,
 * `[CRI.containerd.runtimes.NAME.options]`? 1 with NAME in *OUT, 0 if not,
 * negative on error. */
static int
cri_runtime_of (const char *hdr, const char *cri, char **out)
{
  static const char mid[] = ".containerd.runtimes.", tail[] = ".options]";
  size_t cl = strlen (cri), hl = strlen (hdr), ml = sizeof (mid) - 1, tl = sizeof (tail) - 1;
  const char *name;
  size_t nl;

  if (hl < 1 + cl + ml + 1 + tl || hdr[0] != '[' || strncmp (hdr + 1, cri, cl) != 0
      || strncmp (hdr + 1 + cl, mid, ml) != 0 || strcmp (hdr + hl - tl, tail) != 0)
    return 0;
  name = hdr + 1 + cl + ml;
  nl = (size_t) (hdr + hl - tl - name);
  if (nl >= 2 && name[0] == '"' && name[nl - 1] == '"')
    name++, nl -= 2;
  else if (memchr (name, '.', nl) != NULL)
    return 0; /* a deeper table, not a runtime's options */
  if (nl == 0)
    return 0;
  *out = confine_xstrndup (name, nl);
  return 1;
}

int
confine_registration_containerd (const char *sysroot, confine_registration_t *out,
                                 confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *section = NULL;
  cleanup_free char *cri_table = NULL;     /* [<cri>.containerd] */
  cleanup_free char *def = NULL;           /* default_runtime_name */
  cleanup_strv_list confine_strv_t bins = { 0 };     /* each BinaryName naming confine */
  cleanup_strv_list confine_strv_t sections = { 0 }; /* and the table it sits in */
  cleanup_free char *ours_runtime = NULL;  /* the CRI runtime of the one reported */
  const char *ours = NULL, *ours_section = NULL, *cri;
  uint64_t version = 1; /* containerd reads a config without one as version 1 */
  size_t len = 0;
  char *save = NULL;
  int r = read_config (sysroot, "/etc/containerd/config.toml", out, &buf, &len, err);

  if (r <= 0)
    return r;
  /* Not a TOML parser: enough to find the config version, the CRI
   * plugin's default_runtime_name and `BinaryName = "..."` with the table
   * it sits in, which is all install.sh writes. TOML puts top-level keys
   * (version) before any table, so the version is known at the first
   * table. */
  for (char *line = strtok_r (buf, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      cleanup_free char *s = toml_compact (line);
      const char *v;
      size_t vl = 0;

      if (s == NULL)
        return -1;
      if (*s == '[')
        {
          if (cri_table == NULL && asprintf (&cri_table, "[%s.containerd]", cri_plugin (version)) < 0)
            {
              cri_table = NULL;
              return confine_make_error (err, ENOMEM, "containerd table");
            }
          free (section);
          section = steal_pointer (&s);
          continue;
        }
      if (section == NULL && strncmp (s, "version=", 8) == 0)
        {
          if (confine_parse_u64 (s + 8, 1000, &version) < 0)
            {
              set_reg (out, "invalid", "%s: version `%s` is not a number", out->file,
                       s + 8);
              return 0;
            }
          continue;
        }
      if (section && strcmp (section, cri_table) == 0
          && (v = toml_string (s, "default_runtime_name", &vl)) != NULL)
        {
          free (def);
          def = confine_xstrndup (v, vl);
          continue;
        }
      if ((v = toml_string (s, "BinaryName", &vl)) != NULL && memmem (v, vl, "confine", 7) != NULL)
        {
          if (confine_strv_add (&bins, confine_xstrndup (v, vl), LIST_MAX, err) < 0
              || confine_strv_add (&sections, confine_xstrdup (section ? section : "(top level)"),
                                   LIST_MAX, err)
                     < 0)
            return -1;
        }
    }
  cri = cri_plugin (version);
  /* CRI's own default when default_runtime_name is not set. */
  out->default_runtime = confine_xstrdup (def ? def : "runc");
  /* Report the default runtime's BinaryName if one names confine, else
   * the first one that does. */
  for (size_t i = 0; i < bins.n; i++)
    {
      cleanup_free char *rt = NULL;
      if (cri_runtime_of (sections.v[i], cri, &rt) < 0)
        return -1;
      if (ours == NULL || (rt && strcmp (rt, out->default_runtime) == 0))
        {
          ours = bins.v[i];
          ours_section = sections.v[i];
          free (ours_runtime);
          ours_runtime = steal_pointer (&rt);
        }
      if (ours_runtime && strcmp (ours_runtime, out->default_runtime) == 0)
        break;
    }

  if (ours == NULL)
    {
      set_reg (out, "not registered",
               "no BinaryName naming confine in %s: the CRI default runtime `%s` runs "
               "without the gate",
               out->file, out->default_runtime);
      return 0;
    }
  if (ours_runtime == NULL)
    {
      set_reg (out, "partial",
               "BinaryName `%s` is set in %s, not in a runtime of the CRI plugin a "
               "version %" PRIu64 " config uses (%s)",
               ours, ours_section, version, cri);
      return 0;
    }
  if (!exists_in (sysroot, ours))
    {
      set_reg (out, "partial", "BinaryName `%s` is not an executable file", ours);
      return 0;
    }
  if (strcmp (ours_runtime, out->default_runtime) != 0)
    {
      set_reg (out, "partial",
               "CRI runtime `%s` runs %s, but the default runtime (default_runtime_name) "
               "is `%s`: only pods with runtime handler `%s` go through the gate",
               ours_runtime, ours, out->default_runtime, ours_runtime);
      return 0;
    }
  set_reg (out, "registered",
           "CRI runtime `%s` (the default runtime) BinaryName -> %s", ours_runtime, ours);
  return 0;
}

/* Is FILE a hooks.d entry that runs confine-hook? */
static bool
is_our_hook (const char *file, char **hook_path)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *buf = NULL;
  cleanup_json confine_json_t *doc = NULL;
  const confine_json_t *hook;
  size_t len = 0;
  const char *base;

  if (confine_read_file (file, ENGINE_CONFIG_MAX, &buf, &len, &err) < 0
      || confine_json_parse (buf, len, &doc, &err) < 0
      || (hook = confine_json_get (doc, "hook")) == NULL
      || confine_json_string (hook, "path", "hook", hook_path, &err) <= 0)
    return false;
  base = strrchr (*hook_path, '/');
  return strcmp (base ? base + 1 : *hook_path, "confine-hook") == 0;
}

int
confine_registration_hooksd (const char *sysroot, confine_registration_t *out,
                             confine_error_t *err)
{
  /* For root, /etc takes precedence over /usr/share (containers-common). */
  static const char *const dirs[]
      = { "/etc/containers/oci/hooks.d", "/usr/share/containers/oci/hooks.d", NULL };
  bool any_dir = false;

  memset (out, 0, sizeof (*out));
  for (const char *const *d = dirs; *d; d++)
    {
      cleanup_free char *dir = in_root (sysroot, *d, err);
      cleanup_dir DIR *dh = NULL;
      struct dirent *de;
      unsigned seen = 0;
      if (dir == NULL)
        return -1;
      if ((dh = opendir (dir)) == NULL)
        continue;
      any_dir = true;
      while ((de = readdir (dh)) != NULL && seen++ < HOOKS_MAX_FILES)
        {
          cleanup_free char *file = NULL;
          cleanup_free char *hook = NULL;
          size_t l = strlen (de->d_name);
          if (l < 6 || strcmp (de->d_name + l - 5, ".json") != 0)
            continue;
          if (asprintf (&file, "%s/%s", dir, de->d_name) < 0)
            return confine_make_error (err, ENOMEM, "hooks.d path");
          if (!is_our_hook (file, &hook))
            continue;
          free (out->file);
          out->file = steal_pointer (&file);
          if (!exists_in (sysroot, hook))
            {
              set_reg (out, "partial", "%s runs `%s`, which is not an executable file",
                       out->file, hook);
              return 0;
            }
          set_reg (out, "registered", "%s runs %s", out->file, hook);
          return 0;
        }
    }
  if (!any_dir)
    {
      set_reg (out, "absent", "no hooks.d directory (Podman and CRI-O not installed)");
      return 0;
    }
  set_reg (out, "not registered", "no hooks.d file runs confine-hook");
  return 0;
}

int
confine_registration_runtimes (const char *sysroot, confine_registration_t *out,
                               confine_error_t *err)
{
  cleanup_free char *gated = NULL;
  cleanup_free char *ungated = NULL;

  memset (out, 0, sizeof (*out));
  for (const char *const *d = runtime_dirs; *d; d++)
    {
      cleanup_free char *dir = in_root (sysroot, *d, err);
      cleanup_dir DIR *dh = NULL;
      struct dirent *de;
      if (dir == NULL)
        return -1;
      if ((dh = opendir (dir)) == NULL)
        continue;
      while ((de = readdir (dh)) != NULL)
        {
          cleanup_free char *path = NULL;
          cleanup_free char *real = NULL;
          struct stat st;
          const char *n = de->d_name;
          bool runc_like = confine_strv_has ((char *const *) gated_names, n);
          bool shim = strncmp (n, "containerd-shim-", 16) == 0 || strcmp (n, "containerd-shim") == 0;
          if (!runc_like && !shim && !confine_strv_has ((char *const *) other_runtimes, n))
            continue;
          if (shim && confine_strv_has ((char *const *) shim_names, n))
            continue;
          if (asprintf (&path, "%s/%s", *d, n) < 0
              || asprintf (&real, "%s/%s%s", dir, n, CONFINE_STANDIN_SUFFIX) < 0)
            return confine_make_error (err, ENOMEM, "runtime path");
          /* A symlink (Debian's /usr/bin/runc -> ../sbin/runc) leads to
           * the file that has the stand-in. */
          if (fstatat (dirfd (dh), n, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG (st.st_mode))
            continue;
          if (runc_like && stat (real, &st) == 0 && S_ISREG (st.st_mode))
            {
              if (append_runtime (&gated, path, "stand-in", err) < 0)
                return -1;
            }
          else if (append_runtime (&ungated, path,
                                   runc_like ? "no stand-in: run install.sh"
                                             : "not runc-compatible: the gate never sees its containers",
                                   err)
                   < 0)
            return -1;
        }
    }
  if (gated == NULL && ungated == NULL)
    {
      set_reg (out, "absent", "no runc, crun or other runtime found");
      return 0;
    }
  if (ungated)
    {
      set_reg (out, "partial", "ungated: %s%s%s", ungated, gated ? "; gated: " : "",
               gated ? gated : "");
      return 0;
    }
  set_reg (out, "registered", "gated: %s", gated);
  return 0;
}

void
confine_registration_clear (confine_registration_t *r)
{
  free (r->file);
  free (r->detail);
  free (r->default_runtime);
  memset (r, 0, sizeof (*r));
}

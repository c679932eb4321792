/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "rules.h"
#include "../base/utils.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* The file under /proc/self/ns for each OCI namespace type. */
static const char *
ns_file (const char *type)
{
  static const char *const map[][2]
      = { { "pid", "pid" },   { "ipc", "ipc" },   { "network", "net" },    { "mount", "mnt" },
          { "uts", "uts" },   { "user", "user" }, { "cgroup", "cgroup" }, { "time", "time" } };
  for (size_t i = 0; i < sizeof (map) / sizeof (map[0]); i++)
    if (strcmp (type, map[i][0]) == 0)
      return map[i][1];
  return NULL;
}

/* Do A and B name the same namespace? */
static int
same_ns (const char *a, const char *b, bool *same, confine_error_t *err)
{
  struct stat sa, sb;
  if (stat (a, &sa) < 0)
    return confine_make_error (err, errno, "stat `%s`", a);
  if (stat (b, &sb) < 0)
    return confine_make_error (err, errno, "stat `%s`", b);
  *same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return 0;
}

int
confine_ns_is_hosts (const char *path, const char *file, bool *hosts, confine_error_t *err)
{
  char self[64];
  if (snprintf (self, sizeof (self), "/proc/self/ns/%s", file) >= (int) sizeof (self))
    return confine_make_error (err, 0, "namespace kind `%s` too long", file);
  return same_ns (path, self, hosts, err);
}

/* A joined namespace's path as runc opens it: from the bundle. */
static int
ns_path (const confine_context_t *ctx, const char *path, char **out, confine_error_t *err)
{
  if (asprintf (out, "%s%s%s", path[0] == '/' ? "" : ctx->bundle ? ctx->bundle : "/",
                path[0] == '/' ? "" : "/", path)
      < 0)
    return confine_make_error (err, ENOMEM, "join path");
  return 0;
}

/* The container has a namespace of TYPE that is not the host's: a new
 * one, or one joined by a path that is not ours. */
static int
own_namespace (const confine_context_t *ctx, const confine_spec_t *spec, const char *type,
               bool *own, confine_error_t *err)
{
  *own = false;
  for (size_t i = 0; i < spec->n_namespaces; i++)
    {
      const confine_namespace_t *ns = &spec->namespaces[i];
      cleanup_free char *path = NULL;
      bool hosts = false;
      if (ns->type == NULL || strcmp (ns->type, type) != 0)
        continue;
      if (ns->path == NULL)
        {
          *own = true;
          return 0;
        }
      if (ns_path (ctx, ns->path, &path, err) < 0
          || confine_ns_is_hosts (path, ns_file (type), &hosts, err) < 0)
        return -1;
      *own = !hosts;
      return 0;
    }
  return 0;
}

/* The namespace a sysctl belongs to, as runc 1.1's validator classifies
 * it (libcontainer/configs/validate: `a/b.c` is read as `a.b/c`), or NULL
 * for one that belongs to no namespace of the container's, which runc
 * would write into the host's kernel. */
static const char *
sysctl_namespace (const char *key)
{
  static const char *const ipc[] = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                     "kernel.sem",    "kernel.shmall", "kernel.shmmax",
                                     "kernel.shmmni", "kernel.shm_rmid_forced" };
  char dotted[256];
  size_t sep = strcspn (key, "./");

  if (snprintf (dotted, sizeof (dotted), "%s", key) >= (int) sizeof (dotted))
    return NULL;
  if (key[sep] == '/')
    for (char *c = dotted; *c; c++)
      *c = *c == '.' ? '/' : *c == '/' ? '.' : *c;
  for (size_t i = 0; i < sizeof (ipc) / sizeof (ipc[0]); i++)
    if (strcmp (dotted, ipc[i]) == 0)
      return "ipc";
  if (strncmp (dotted, "fs.mqueue.", 10) == 0)
    return "ipc";
  if (strncmp (dotted, "net.", 4) == 0)
    return "network";
  if (strcmp (dotted, "kernel.domainname") == 0)
    return "uts";
  return NULL;
}

/* Every sysctl must set a value in a namespace of the container's own.
 * runc refuses the others too; judging them here keeps the verdict from
 * resting on the runtime's validator. A namespace joined by path was
 * judged above not to be the host's. */
static int
judge_sysctls (const confine_context_t *ctx, const confine_spec_t *spec, confine_rule_result_t *r,
               confine_error_t *err)
{
  for (size_t i = 0; i < spec->n_sysctls; i++)
    {
      const char *key = spec->sysctls[i].key;
      const char *ns = sysctl_namespace (key);
      bool own = false;
      if (ns == NULL)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "sysctl `%s` is not in a namespace of the container's own: it "
                              "would change the host's kernel",
                              key);
          return 0;
        }
      if (own_namespace (ctx, spec, ns, &own, err) < 0)
        {
          confine_result_from_error (r, "namespaces.required",
                                     "cannot inspect the namespace path", err);
          return 0;
        }
      if (!own)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "sysctl `%s` would change the host's %s namespace", key, ns);
          return 0;
        }
    }
  return 1;
}

/* The namespaces the container's init (CTX->pid) is really in, against
 * SPEC: for each entry, not the host's (the gate runs in the runtime's
 * namespaces, so "the host's" is ours), and for one joined by path, the
 * very namespace the path names. 1 when all hold, 0 with R failed. */
static int
judge_init (const confine_context_t *ctx, const confine_spec_t *spec, confine_rule_result_t *r,
            confine_error_t *err)
{
  for (size_t i = 0; i < spec->n_namespaces; i++)
    {
      const confine_namespace_t *ns = &spec->namespaces[i];
      const char *file = ns->type ? ns_file (ns->type) : NULL;
      cleanup_free char *path = NULL;
      char theirs[64];
      bool same = false;

      if (file == NULL)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "namespace of unknown type `%s`", ns->type ? ns->type : "");
          return 0;
        }
      snprintf (theirs, sizeof (theirs), "/proc/%ld/ns/%s", ctx->pid, file);
      if (confine_ns_is_hosts (theirs, file, &same, err) < 0)
        {
          confine_result_from_error (r, "namespaces.required",
                                     "cannot inspect the container's init", err);
          return 0;
        }
      if (same)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "the container's init (pid %ld) is in the host's %s namespace",
                              ctx->pid, ns->type);
          return 0;
        }
      if (ns->path == NULL)
        continue;
      if (ns_path (ctx, ns->path, &path, err) < 0)
        return -1;
      if (same_ns (theirs, path, &same, err) < 0)
        {
          confine_result_from_error (r, "namespaces.required",
                                     "cannot inspect the namespace path", err);
          return 0;
        }
      if (!same)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "the container's init (pid %ld) is not in the %s namespace "
                              "`%s` names",
                              ctx->pid, ns->type, ns->path);
          return 0;
        }
    }
  return 1;
}

int
confine_namespaces_judge_live (const confine_context_t *ctx, const confine_spec_t *spec,
                               confine_rule_result_t *r, confine_error_t *err)
{
  int ret = judge_init (ctx, spec, r, err);
  if (ret <= 0)
    return ret;
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "the init (pid %ld) is in each of its %zu namespaces, none the "
                      "host's",
                      ctx->pid, spec->n_namespaces);
  return 0;
}

/* Every namespace joined by path, whatever its type. Joining another
 * container's is how a pod shares its sandbox's; joining the host's own
 * is sharing the host's, and worse, since runc treats a joined namespace
 * as the container's own (it sets the hostname and sysctls in it). runc
 * opens the path from the bundle; stat follows it as that open does,
 * /proc's namespace links included. Anything that is not a namespace, or
 * cannot be looked at, refuses. 1 when all pass, 0 with R failed. */
static int
judge_paths (const confine_context_t *ctx, const confine_spec_t *spec, confine_rule_result_t *r,
             confine_error_t *err)
{
  for (size_t i = 0; i < spec->n_namespaces; i++)
    {
      const confine_namespace_t *ns = &spec->namespaces[i];
      const char *file = ns->type ? ns_file (ns->type) : NULL;
      cleanup_free char *path = NULL;
      struct statfs sfs;
      bool same = false;

      if (ns->path == NULL)
        continue;
      if (file == NULL)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "namespace path `%s` is of unknown type `%s`", ns->path,
                              ns->type ? ns->type : "");
          return 0;
        }
      if (ns_path (ctx, ns->path, &path, err) < 0)
        return -1;
      if (statfs (path, &sfs) < 0)
        {
          confine_make_error (err, errno, "statfs `%s`", path);
          confine_result_from_error (r, "namespaces.required",
                                     "cannot inspect the namespace path", err);
          return 0;
        }
      if (sfs.f_type != NSFS_MAGIC)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "%s namespace path `%s` is not a namespace", ns->type,
                              ns->path);
          return 0;
        }
      if (confine_ns_is_hosts (path, file, &same, err) < 0)
        {
          confine_result_from_error (r, "namespaces.required",
                                     "cannot inspect the namespace path", err);
          return 0;
        }
      if (same)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "%s namespace path `%s` is the host's own namespace", ns->type,
                              ns->path);
          return 0;
        }
    }
  return 1;
}

int
confine_rule_namespaces (const confine_context_t *ctx, const confine_subject_t *s,
                         confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  int ret;

  if ((ret = judge_paths (ctx, spec, r, err)) <= 0)
    return ret;
  for (char **req = ctx->policy->namespaces_required; *req; req++)
    {
      const confine_namespace_t *found = NULL;

      for (size_t i = 0; i < spec->n_namespaces && !found; i++)
        if (spec->namespaces[i].type && strcmp (spec->namespaces[i].type, *req) == 0)
          found = &spec->namespaces[i];
      if (found == NULL)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required",
                              "no %s namespace: the container would share the host's", *req);
          return 0;
        }
    }
  /* Once the container's init exists (the hook): judge the namespaces it
   * is really in, not only what the file said. */
  if (ctx->pid > 0 && (ret = judge_init (ctx, spec, r, err)) <= 0)
    return ret;
  {
    cleanup_free char *list = NULL;
    size_t len = 0;
    FILE *f;
    ret = judge_sysctls (ctx, spec, r, err);
    if (ret <= 0)
      return ret;
    f = open_memstream (&list, &len);
    if (f == NULL)
      return confine_make_error (err, errno, "open_memstream");
    for (char **req = ctx->policy->namespaces_required; *req; req++)
      fprintf (f, "%s%s", req == ctx->policy->namespaces_required ? "" : ", ", *req);
    if (fclose (f) != 0)
      return confine_make_error (err, ENOMEM, "describe namespaces");
    confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                        "has its own namespaces of every required type (%s)%s", list,
                        ctx->pid > 0 ? ", as its init's really are" : "");
    return 0;
  }
}

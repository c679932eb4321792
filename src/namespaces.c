/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules.h"
#include "utils.h"

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

/* Same namespace as ours? */
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
confine_rule_namespaces (const confine_context_t *ctx, const confine_subject_t *s,
                         confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  for (char **req = ctx->policy->namespaces_required; *req; req++)
    {
      const confine_namespace_t *found = NULL;
      char self[64], theirs[64];
      bool same = false;

      /* The gate runs in the runtime's namespaces, so "the host's" is
       * ours. */
      if (snprintf (self, sizeof (self), "/proc/self/ns/%s", ns_file (*req)) >= (int) sizeof (self))
        return confine_make_error (err, 0, "namespace path too long");

      for (size_t i = 0; i < spec->n_namespaces && !found; i++)
        if (spec->namespaces[i].type && strcmp (spec->namespaces[i].type, *req) == 0)
          found = &spec->namespaces[i];
      if (found == NULL)
        return confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required", err,
                                   "no %s namespace: the container would share the host's", *req);

      /* Joining by path is how a pod shares a sandbox's namespaces, and
       * is fine, unless the path is the host's own namespace. */
      if (found->path)
        {
          if (same_ns (found->path, self, &same, err) < 0)
            return confine_result_from_error (r, "namespaces.required",
                                              "cannot inspect the namespace path", err);
          if (same)
            return confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required", err,
                                       "%s namespace path `%s` is the host's own namespace", *req,
                                       found->path);
        }

      /* A hook runs once the container's init exists: judge the namespace
       * it is really in, not only what the file said. */
      if (ctx->pid > 0)
        {
          if (snprintf (theirs, sizeof (theirs), "/proc/%ld/ns/%s", ctx->pid, ns_file (*req))
              >= (int) sizeof (theirs))
            return confine_make_error (err, 0, "namespace path too long");
          if (same_ns (theirs, self, &same, err) < 0)
            return confine_result_from_error (r, "namespaces.required",
                                              "cannot inspect the container's init", err);
          if (same)
            return confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required", err,
                                       "the container's init (pid %ld) is in the host's %s "
                                       "namespace",
                                       ctx->pid, *req);
        }
    }
  {
    cleanup_free char *list = NULL;
    size_t len = 0;
    FILE *f = open_memstream (&list, &len);
    if (f == NULL)
      return confine_make_error (err, errno, "open_memstream");
    for (char **req = ctx->policy->namespaces_required; *req; req++)
      fprintf (f, "%s%s", req == ctx->policy->namespaces_required ? "" : ", ", *req);
    if (fclose (f) != 0)
      return confine_make_error (err, ENOMEM, "describe namespaces");
    return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                               "has its own namespaces of every required type (%s)%s", list,
                               ctx->pid > 0 ? ", as its init's really are" : "");
  }
}

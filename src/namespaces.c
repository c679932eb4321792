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

int
confine_rule_namespaces (const confine_context_t *ctx, const confine_spec_t *spec,
                         confine_rule_result_t *r, confine_error_t *err)
{
  for (char **req = ctx->policy->namespaces_required; *req; req++)
    {
      const confine_namespace_t *found = NULL;
      char self[64];
      struct stat ours, theirs;

      for (size_t i = 0; i < spec->n_namespaces && !found; i++)
        if (spec->namespaces[i].type && strcmp (spec->namespaces[i].type, *req) == 0)
          found = &spec->namespaces[i];
      if (found == NULL)
        return confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required", err,
                                   "no %s namespace: the container would share the host's", *req);
      if (found->path == NULL)
        continue;

      /* Joining by path is how a pod shares a sandbox's namespaces, and
       * is fine, unless the path is the host's own namespace. The gate
       * runs in the runtime's namespaces, so compare with ours. */
      if (snprintf (self, sizeof (self), "/proc/self/ns/%s", ns_file (*req)) >= (int) sizeof (self))
        return confine_make_error (err, 0, "namespace path too long");
      if (stat (self, &ours) < 0)
        return confine_make_error (err, errno, "stat `%s`", self);
      if (stat (found->path, &theirs) < 0)
        return confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required", err,
                                   "cannot inspect %s namespace path `%s`: %s", *req, found->path,
                                   strerror (errno));
      if (ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino)
        return confine_result_set (r, CONFINE_RESULT_FAIL, "namespaces.required", err,
                                   "%s namespace path `%s` is the host's own namespace", *req,
                                   found->path);
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
                               "has its own namespaces of every required type (%s)", list);
  }
}

/* SPDX-License-Identifier: Apache-2.0 */
/* What `status` and `denials` share: the policy (or its defaults), the
 * runc state roots, and each container's spec and name. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "../base/utils.h"

int
confine_cli_load_policy (const char *path, confine_cli_policy_t *pi, confine_error_t *err)
{
  cleanup_error confine_error_t lerr = NULL;
  struct stat st;

  pi->path = path;
  if (stat (path, &st) == 0)
    pi->owner_ok = confine_stat_root_only (&st);
  if (confine_policy_load (path, false, &pi->policy, &lerr) == 0)
    {
      pi->from_file = true;
      return 0;
    }
  pi->error = confine_xstrdup (lerr->msg);
  /* The parser's defaults are the shipped policy's. */
  return confine_policy_parse ("{}", 2, &pi->policy, err);
}

void
confine_cli_policy_clear (confine_cli_policy_t *pi)
{
  confine_policy_free (pi->policy);
  free (pi->error);
  memset (pi, 0, sizeof (*pi));
}

int
confine_cli_roots (const char *const *extra, size_t n_extra, char ***out, confine_error_t *err)
{
  cleanup_strv_list confine_strv_t roots = { 0 };
  cleanup_strv char **found = NULL;

  if (confine_runc_default_roots (&found, err) < 0)
    return -1;
  for (char **f = found; *f; f++)
    if (confine_strv_add (&roots, steal_pointer (f), SIZE_MAX - 1, err) < 0)
      return -1;
  for (size_t i = 0; i < n_extra; i++)
    if (!confine_strv_has (roots.v, extra[i])
        && confine_strv_add (&roots, confine_xstrdup (extra[i]), SIZE_MAX - 1, err) < 0)
      return -1;
  *out = confine_strv_steal (&roots);
  return 0;
}

int
confine_cli_container_spec (const confine_container_t *c, confine_spec_t **spec, char **name,
                            confine_error_t *err)
{
  cleanup_error confine_error_t serr = NULL;

  /* A bundle that is gone or untrusted gives no spec: no annotations for
   * exemptions to match, and a name only from Podman's records. */
  *spec = NULL;
  if (c->bundle && confine_spec_load_bundle (c->bundle, spec, NULL, &serr) < 0)
    *spec = NULL;
  return confine_container_name (c->id, c->bundle, *spec, name, err);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The masked_paths rule: /proc and /sys left unmasked or writable are the
 * marks `--privileged` leaves on a spec besides capabilities. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mounts.h"
#include "rules.h"
#include "../base/utils.h"

/* The REQUIRED entries missing from HAVE, as "a, b", or NULL for none. */
static int
missing (char *const *required, char *const *have, char **out, confine_error_t *err)
{
  size_t len = 0;
  int n = 0;
  FILE *f = open_memstream (out, &len);

  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (char *const *req = required; *req; req++)
    if (!confine_strv_has (have, *req))
      fprintf (f, "%s%s", n++ ? ", " : "", *req);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe paths");
  if (n == 0)
    {
      free (*out);
      *out = NULL;
    }
  return 0;
}

/* runc masks a path by binding the container's /dev/null over it,
 * following links. Only a fresh tmpfs at /dev, on which runc makes the
 * device nodes itself, makes that /dev/null the null device: the last
 * mount at /dev (runc mounts in order) must be one. */
static bool
dev_is_tmpfs (const confine_spec_t *spec)
{
  const confine_mount_t *last = NULL;
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (confine_mount_is_at (&spec->mounts[i], "/dev"))
      last = &spec->mounts[i];
  if (last == NULL || last->type == NULL || strcmp (last->type, "tmpfs") != 0)
    return false;
  for (char **o = last->options; *o; o++)
    if (strcmp (*o, "bind") == 0 || strcmp (*o, "rbind") == 0)
      return false;
  return true;
}

int
confine_rule_masked_paths (const confine_context_t *ctx, const confine_subject_t *s,
                           confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  cleanup_free char *unmasked = NULL;
  cleanup_free char *writable = NULL;

  /* runc masks and remounts read-only exactly the paths listed, so the
   * comparison is on the strings as written. */
  if (missing (ctx->policy->masked_paths_required, spec->masked_paths, &unmasked, err) < 0
      || missing (ctx->policy->readonly_paths_required, spec->readonly_paths, &writable, err) < 0)
    return -1;
  if (unmasked)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "masked_paths.required",
                          "linux.maskedPaths does not mask %s", unmasked);
      return 0;
    }
  if (writable)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "masked_paths.readonly_required",
                          "linux.readonlyPaths does not make %s read-only", writable);
      return 0;
    }
  if (!dev_is_tmpfs (spec))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "masked_paths.required",
                          "/dev is not a tmpfs of the container's own: runc masks paths "
                          "with the container's /dev/null, which the image can make a "
                          "link to the path it masks (CVE-2025-31133)");
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "every required path is masked or read-only");
  return 0;
}

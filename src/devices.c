/* SPDX-License-Identifier: Apache-2.0 */
/* The marks `--privileged` leaves on a spec besides capabilities: a device
 * cgroup that allows every device, and /proc and /sys left unmasked. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "utils.h"

int
confine_rule_devices (const confine_context_t *ctx CONFINE_UNUSED, const confine_spec_t *spec,
                      confine_rule_result_t *r, confine_error_t *err)
{
  for (size_t i = 0; i < spec->n_device_rules; i++)
    {
      const confine_device_rule_t *d = &spec->device_rules[i];
      const char *type = d->type && d->type[0] ? d->type : "a";
      const char *access = d->access && d->access[0] ? d->access : "rwm";
      bool any_major = !d->has_major || d->major == -1;
      bool any_minor = !d->has_minor || d->minor == -1;
      if (!d->allow)
        continue;
      /* runc's device-cgroup emulator turns any allow rule of type `a`
       * (or none) into `a *:* rwm`, whatever its numbers and access. */
      if (strcmp (type, "a") == 0)
        return confine_result_set (r, CONFINE_RESULT_FAIL, "rules.devices", err,
                                   "device cgroup rule %zu allows every device (type `a`, which "
                                   "runc applies as `a *:* rwm`)",
                                   i);
      /* Read or write access to every device of a kind: `c *:* rw` alone
       * opens /dev/mem and every other character device. Docker's default
       * `c *:* m` and `b *:* m` only allow mknod, and pass. */
      if (any_major && any_minor && strpbrk (access, "rw"))
        return confine_result_set (r, CONFINE_RESULT_FAIL, "rules.devices", err,
                                   "device cgroup rule %zu allows every %s device (`%s *:* %s`)",
                                   i, strcmp (type, "b") == 0 ? "block" : "character", type,
                                   access);
    }
  return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                             "%zu device cgroup rules, none opens every device",
                             spec->n_device_rules);
}

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

int
confine_rule_masked_paths (const confine_context_t *ctx, const confine_spec_t *spec,
                           confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *unmasked = NULL;
  cleanup_free char *writable = NULL;

  /* runc masks and remounts read-only exactly the paths listed, so the
   * comparison is on the strings as written. */
  if (missing (ctx->policy->masked_paths_required, spec->masked_paths, &unmasked, err) < 0
      || missing (ctx->policy->readonly_paths_required, spec->readonly_paths, &writable, err) < 0)
    return -1;
  if (unmasked)
    return confine_result_set (r, CONFINE_RESULT_FAIL, "masked_paths.required", err,
                               "linux.maskedPaths does not mask %s", unmasked);
  if (writable)
    return confine_result_set (r, CONFINE_RESULT_FAIL, "masked_paths.readonly_required", err,
                               "linux.readonlyPaths does not make %s read-only", writable);
  return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                             "every required path is masked or read-only");
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The devices rule: what devices the container can reach. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "utils.h"

int
confine_rule_devices (const confine_context_t *ctx CONFINE_UNUSED, const confine_subject_t *s,
                      confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
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

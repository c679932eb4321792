/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "rules.h"
#include "utils.h"

/* A capability as runc names it: exactly "CAP_" and libcap's name in
 * upper case, and one the running kernel has. libcap's cap_from_name also
 * takes lower case and plain numbers, which runc does not. */
static int
cap_number (const char *name, cap_value_t *out)
{
  cap_value_t v;
  char *canon;
  bool ok;

  if (strncmp (name, "CAP_", 4) != 0 || cap_from_name (name, &v) != 0 || v < 0
      || v >= (cap_value_t) cap_max_bits ())
    return -1;
  canon = cap_to_name (v);
  if (canon == NULL)
    return -1;
  ok = strcasecmp (canon, name) == 0;
  for (const char *c = name; *c && ok; c++)
    ok = !(*c >= 'a' && *c <= 'z');
  cap_free (canon);
  if (!ok)
    return -1;
  *out = v;
  return 0;
}

int
confine_rule_capabilities (const confine_context_t *ctx, const confine_subject_t *subject,
                           confine_rule_result_t *r, confine_error_t *err)
{
  const confine_process_t *p = subject->process;
  cleanup_free char *buf = NULL;
  size_t len = 0;
  FILE *f;
  int bad = 0;
  unsigned total = 0;

  if (!p->present || !p->has_capabilities)
    return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err, "no capabilities requested");

  f = open_memstream (&buf, &len);
  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (int s = 0; s < CONFINE_CAP_SETS; s++)
    for (char **n = p->caps.names[s]; n && *n; n++)
      {
        cap_value_t v;
        total++;
        if (cap_number (*n, &v) < 0)
          {
            fprintf (f, "%sunknown capability `%s` in %s", bad++ ? ", " : "", *n,
                     confine_cap_set_names[s]);
            continue;
          }
        if (v < 64 && (ctx->policy->caps_forbidden_mask >> v) & 1)
          fprintf (f, "%s%s in %s", bad++ ? ", " : "", *n, confine_cap_set_names[s]);
      }
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe capabilities");
  if (bad)
    return confine_result_set (r, CONFINE_RESULT_FAIL, "capabilities.forbidden", err, "%s", buf);
  return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                             "%u capability entries, none forbidden", total);
}

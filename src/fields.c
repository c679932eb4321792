/* SPDX-License-Identifier: Apache-2.0 */
/* The fields rule: a spec field that a runtime applies and that no other
 * rule judges is refused when set (oci/fields.h has the table), and
 * process.oomScoreAdj may not go below process.min_oom_score_adj. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include "rules.h"
#include "../base/utils.h"
#include "../oci/fields.h"

int
confine_rule_fields (const confine_context_t *ctx, const confine_subject_t *s,
                     confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *list = NULL;
  size_t len = 0;
  FILE *f;

  /* The OOM killer picks the highest oom_score; a container below every
   * host daemon's adjustment is spared while they are killed for the
   * memory it takes (-1000: never killed). runc writes it as root. */
  if (s->spec->process.has_oom_score_adj
      && s->spec->process.oom_score_adj < ctx->policy->min_oom_score_adj)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "process.min_oom_score_adj",
                          "process.oomScoreAdj is %lld, below %lld: the OOM killer would kill "
                          "host processes before the container",
                          (long long) s->spec->process.oom_score_adj,
                          (long long) ctx->policy->min_oom_score_adj);
      return 0;
    }
  if (s->spec->refused_fields[0] == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "sets no field the gate cannot judge");
      return 0;
    }
  if ((f = open_memstream (&list, &len)) == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (char **p = s->spec->refused_fields; *p; p++)
    fprintf (f, "%s%s", p == s->spec->refused_fields ? "" : ", ", *p);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe fields");
  confine_result_set (r, CONFINE_RESULT_FAIL, "rules.fields",
                      "sets %s, which the gate does not judge (a runtime newer than runc "
                      "1.1 applies it)",
                      list);
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <stdio.h>

#include "report.h"
#include "../base/utils.h"

void
confine_report_log (const confine_policy_t *policy, const confine_log_entry_t *entry,
                    const confine_verdict_t *v)
{
  cleanup_error confine_error_t logerr = NULL;
  if (confine_log_decision (policy, entry, v, &logerr) < 0)
    fprintf (stderr, "confine: warning: %s\n", logerr->msg);
}

void
confine_report_error (const confine_policy_t *policy, confine_log_entry_t *entry,
                      const confine_error_t *err)
{
  fprintf (stderr, "confine: refused: %s\n", (*err)->msg);
  if (entry == NULL)
    return;
  entry->error = (*err)->msg;
  confine_report_log (policy, entry, NULL);
}

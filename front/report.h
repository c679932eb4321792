/* SPDX-License-Identifier: Apache-2.0 */
/* What the three front ends (hook, shim, CLI) do alike when they report:
 * the core never prints, so the one place that turns a decision or an
 * error into stderr lines and a decision-log entry is here. */
#ifndef CONFINE_REPORT_H
#define CONFINE_REPORT_H

#include "../src/log.h"

/* Log a decision. A log that cannot be written never changes the
 * decision: the failure is one `confine: warning: ` line on stderr. */
void confine_report_log (const confine_policy_t *policy, const confine_log_entry_t *entry,
                         const confine_verdict_t *v);

/* A refusal by error: the line `confine: refused: MSG` on stderr, and,
 * unless ENTRY is NULL, a decision (to syslog only while POLICY is NULL,
 * before the policy has loaded). */
void confine_report_error (const confine_policy_t *policy, confine_log_entry_t *entry,
                           const confine_error_t *err);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The decision log: one JSON line per decision, appended to the file the
 * policy names and sent to syslog. */
#ifndef CONFINE_LOG_H
#define CONFINE_LOG_H

#include "../base/error.h"
#include "rules.h"

typedef struct
{
  const char *component; /* "hook", "shim" or "cli" */
  const char *action;    /* "create", "exec", ... */
  const char *id;
  const char *bundle;
  const char *error;     /* set when the decision is a refusal by error */
  char *const *changes;  /* what the shim changed in the spec, or NULL */
} confine_log_entry_t;

/* Format the line (no trailing newline). V may be NULL when an error
 * decided before any rule ran. */
int confine_log_format (const confine_policy_t *policy, const confine_log_entry_t *e,
                        const confine_verdict_t *v, char **out, confine_error_t *err);

/* A runc-style error line, `{"level":"error","msg":MSG,"time":TIME}`, for
 * the runtime's --log file, where containerd looks for the error it shows
 * the user. No trailing newline. */
int confine_log_format_runc (const char *msg, const char *time, char **out, confine_error_t *err);

/* Append the line to policy->decision_log (when set) with one write(2) on
 * an O_APPEND descriptor, so concurrent writers never interleave, and send
 * it to syslog. A failure here never changes the decision; the caller
 * reports it. */
int confine_log_decision (const confine_policy_t *policy, const confine_log_entry_t *e,
                          const confine_verdict_t *v, confine_error_t *err);

#endif

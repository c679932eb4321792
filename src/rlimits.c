/* SPDX-License-Identifier: Apache-2.0 */
/* The rlimits rule: process.rlimits are set by runc with setrlimit while
 * its init (or exec's setns process) still holds every capability, so a
 * container's limit may exceed the engine's own. Most limits only bound
 * what the container's own processes take within the limits of its
 * cgroup. RLIMIT_RTPRIO does not: it lets a process without
 * CAP_SYS_NICE choose a real-time scheduling policy (SCHED_FIFO,
 * SCHED_RR) up to that priority, and without real-time group scheduling
 * (Debian's kernels) a real-time busy loop on each CPU runs ahead of
 * every host process, cgroup shares or not, and leaves the host the
 * kernel's throttling margin alone (5%). So RLIMIT_RTPRIO may not exceed
 * process.max_rtprio (default 0, as every engine leaves it); the
 * fields rule refuses the same policies asked for through
 * process.scheduler. */
#define _GNU_SOURCE
#include "rules.h"

int
confine_rule_rlimits (const confine_context_t *ctx, const confine_subject_t *s,
                      confine_rule_result_t *r, confine_error_t *err)
{
  const confine_process_t *p = s->process;

  (void) err;
  if (p->present && p->has_rtprio && p->rtprio > ctx->policy->max_rtprio)
    confine_result_set (r, CONFINE_RESULT_FAIL, "process.max_rtprio",
                        "process.rlimits gives RLIMIT_RTPRIO %llu, above %llu: the container's "
                        "processes could take real-time priority over every host process "
                        "without CAP_SYS_NICE",
                        (unsigned long long) p->rtprio,
                        (unsigned long long) ctx->policy->max_rtprio);
  else
    confine_result_set (r, CONFINE_RESULT_PASS, NULL, "no real-time priority in process.rlimits");
  return 0;
}

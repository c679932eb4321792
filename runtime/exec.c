/* SPDX-License-Identifier: Apache-2.0 */
/* exec: the --process file carries its own capabilities and AppArmor
 * profile, and runc runs no hooks for it, so it is judged here with the
 * rules that apply to a process. */
#define _GNU_SOURCE
#include <stdio.h>

#include "shim.h"
#include "../base/utils.h"

#define PROCESS_MAX_BYTES (1u << 20)

static int
gate (const confine_shim_inv_t *inv, const confine_policy_t *policy, confine_log_entry_t *entry,
           confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *summary = NULL;
  confine_process_t proc = { 0 };
  confine_verdict_t verdict = { 0 };
  size_t len = 0;

  /* Without --process, runc builds the process from the bundle's current
   * config.json plus --cap, --apparmor and --no-new-privs; engines never
   * do that, and judging it would mean finding the bundle through runc's
   * state. Refused rather than let through unjudged. */
  if (inv->process == NULL || inv->process[0] == '\0')
    return confine_make_error (err, 0, "exec without --process cannot be judged; pass the "
                               "process as a file with --process");
  if (confine_read_file (inv->process, PROCESS_MAX_BYTES, &buf, &len, err) < 0
      || confine_process_parse (buf, len, &proc, err) < 0)
    return confine_error_wrap (err, "exec process `%s`", inv->process);

  {
    confine_context_t ctx = { .policy = policy, .id = inv->id };
    if (confine_evaluate_process (&ctx, &proc, &verdict, err) < 0
        || confine_verdict_summary (&verdict, &summary, err) < 0)
      {
        confine_verdict_clear (&verdict);
        confine_process_clear (&proc);
        return -1;
      }
  }
  confine_process_clear (&proc);
  return confine_shim_conclude (inv, policy, entry, &verdict, summary);
}


int
confine_shim_exec (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                   confine_log_entry_t *entry)
{
  cleanup_error confine_error_t err = NULL;
  int rc = gate (inv, policy, entry, &err);
  return rc < 0 ? confine_shim_refuse_error (inv, policy, entry, &err) : rc;
}

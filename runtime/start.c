/* SPDX-License-Identifier: Apache-2.0 */
/* start: the real start runs as a child, then the shim checks what the
 * kernel applied to the container's process against what was judged at
 * create (src/verify.h), and kills a container whose confinement differs. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

#include "shim.h"
#include "../front/report.h"
#include "../src/process.h"
#include "../base/utils.h"
#include "../src/verify.h"

/* Returns the exit status: the real start's, or 1 when refused (a
 * container that had started is killed first). */
int
confine_shim_start (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                    int cmd_at, confine_log_entry_t *entry)
{
  cleanup_error confine_error_t error = NULL;
  confine_error_t *err = &error;
  cleanup_free char *path = NULL;
  cleanup_free char *root = NULL;
  cleanup_free char *summary = NULL;
  confine_expect_t e = { 0 };
  confine_task_ref_t ref = { .dirfd = -1 };
  confine_cgroup_ref_t cg = { .dirfd = -1 };
  confine_observed_t seen = { 0 };
  confine_verdict_t verdict = { 0 };
  confine_runtime_t rt = { .globals = argv, .n_globals = (size_t) cmd_at };
  int status = 0, r, rc = -1;

  if (confine_shim_resolve_runtime (policy, argv, &path, err) < 0)
    return confine_shim_refuse_error (inv, policy, entry, err);
  rt.path = path;
  /* The records are kept under the root as runc resolves it (create.c). */
  if (confine_runc_root (inv->root, &root, err) < 0)
    return confine_shim_refuse_error (inv, policy, entry, err);
  r = confine_verify_find (&rt, policy, root, inv->id, &e, &ref, err);
  if (r <= 0)
    {
      confine_expect_clear (&e);
      /* No container waiting for start: the real start says why. */
      if (r == 0)
        confine_shim_exec_runtime (policy, argv, err);
      return confine_shim_refuse_error (inv, policy, entry, err);
    }
  entry->bundle = e.bundle;
  /* Found while the init waits, so that every process it forks can be
   * judged after start, also once it is gone. Not found: not started.
   * Nothing to expect, nothing to find. */
  if ((e.apparmor_profile || e.apparmor_any || e.seccomp)
      && confine_task_cgroup (&ref, &cg, err) < 0)
    {
      confine_verify_kill (&rt, inv->id, &ref);
      confine_error_wrap (err, "container `%s` killed before start", inv->id);
      goto out;
    }

  /* The start itself runs without our deadline, as it would when exec'd. */
  alarm (0);
  r = confine_run_child (path, argv, &status, NULL, 0, err);
  confine_expect_forget (policy->cache_dir, root, inv->id);
  if (r < 0 || status != 0)
    {
      /* Not started (fork failed) or the runtime failed and said why:
       * nothing runs that could be checked. */
      rc = r < 0 ? -1 : status;
      goto out;
    }
  confine_process_deadline (SHIM_DEADLINE_SECONDS, "confine-runtime start");
  /* Should the deadline pass while we check, the init dies first (the
   * scan is bounded well within it). */
  confine_process_deadline_victim (ref.dirfd);

  /* From here the container runs: any failure to verify kills it, and
   * every process of its cgroup, which in a shared pid namespace outlive
   * the init. */
  if ((r = confine_task_wait_exec (&ref, CONFINE_VERIFY_EXEC_TIMEOUT_MS, err)) < 0
      || (r > 0 && confine_task_observe (&ref, e.apparmor_profile != NULL, &seen, err) < 0))
    {
      confine_verify_kill_all (&rt, inv->id, &ref, &cg);
      confine_error_wrap (err, "container `%s` killed after start", inv->id);
      goto out;
    }
  seen.gone = seen.gone || r == 0;
  confine_verify_judge (policy, &e, ref.pid, &seen, &verdict);
  /* Then every thread of its cgroup: an init that forks and exits at
   * once is gone before its label is read, and in a shared pid namespace
   * what it forked runs on; an unconfined init can fork and then take
   * the expected label itself. */
  if (cg.dirfd >= 0
      && confine_verify_judge_cgroup (policy, &e, 1, &cg, 0, seen.gone, &verdict, err) < 0)
    {
      confine_verify_kill_all (&rt, inv->id, &ref, &cg);
      confine_error_wrap (err, "container `%s` killed after start", inv->id);
      goto out;
    }
  if (confine_verdict_summary (&verdict, &summary, err) < 0)
    {
      confine_verify_kill_all (&rt, inv->id, &ref, &cg);
      goto out;
    }
  if (verdict.refused)
    confine_verify_kill_all (&rt, inv->id, &ref, &cg);
  /* Audit mode: the decision log and syslog only, as at create. */
  confine_report_log (policy, entry, &verdict);
  if (verdict.refused)
    {
      cleanup_free char *msg = NULL;
      if (asprintf (&msg, "%s; the container was killed", summary) < 0)
        msg = NULL;
      rc = confine_shim_refuse (inv, msg ? msg : summary);
    }
  else
    rc = 0;

out:
  confine_process_deadline_victim (-1);
  /* Reported while E, which the entry borrows, is still here. */
  if (rc < 0)
    rc = confine_shim_refuse_error (inv, policy, entry, err);
  entry->bundle = NULL;
  confine_verdict_clear (&verdict);
  confine_observed_clear (&seen);
  confine_task_ref_close (&ref);
  confine_cgroup_ref_close (&cg);
  confine_expect_clear (&e);
  return rc;
}


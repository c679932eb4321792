/* SPDX-License-Identifier: Apache-2.0 */
/* exec: the --process file carries its own capabilities and AppArmor
 * profile, and runc runs no hooks for it, so it is judged here with the
 * rules that apply to a process. containerd's runc shim writes the file
 * with go-runc's os.CreateTemp($XDG_RUNTIME_DIR), i.e. in $TMPDIR or /tmp
 * unless XDG_RUNTIME_DIR is set. Where a container can reach that
 * directory (it binds /tmp, and is root there), it can put its own file
 * in the engine's place before we read it, or after: so the file is read
 * only from a path no one but root can add names to (no sticky directory
 * on the way), and runc then reads the bytes judged, from a sealed copy
 * passed as /proc/self/fd/N. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "../front/report.h"
#include "../src/apparmor.h"
#include "../src/inject.h"
#include "../src/process.h"
#include "../base/utils.h"
#include "../src/verify.h"
#include "../oci/edit.h"

#define PROCESS_MAX_BYTES (1u << 20)

/* The pid of the running container's init, from the real runtime's
 * `state` (runc's and crun's alike; the runtime checks the pid is still
 * its init). runc's exec joins that process's mount namespace and then
 * changes into process.cwd, so the cwd rule resolves it there: the
 * container's own processes can have made any of its paths a link into
 * /proc (CVE-2024-21626 through exec). No pid, no judgement: refused. */
static int
container_init (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                int cmd_at, long *pid, confine_error_t *err)
{
  const char *state_cmd[] = { "state", "--", inv->id, NULL };
  cleanup_free char *path = NULL;
  cleanup_free char **sv = NULL;
  cleanup_free char *out = NULL;
  cleanup_state confine_state_t *st = NULL;
  confine_runtime_t rt = { .globals = argv, .n_globals = (size_t) cmd_at };
  int status = 0;

  if (confine_shim_resolve_runtime (policy, argv, &path, err) < 0)
    return -1;
  rt.path = path;
  sv = confine_runtime_argv (&rt, state_cmd);
  if (confine_run_child (path, sv, &status, &out, CONFINE_STATE_MAX_BYTES, err) < 0)
    return confine_error_wrap (err, "exec: find container `%s`", inv->id);
  if (status != 0)
    return confine_make_error (err, 0, "exec: `state %s` failed (exit %d), so process.cwd "
                               "cannot be resolved in the container", inv->id, status);
  if (confine_state_parse (out, strlen (out), &st, err) < 0)
    return confine_error_wrap (err, "exec: `state %s`", inv->id);
  if (st->pid <= 0 || st->pid > INT32_MAX)
    return confine_make_error (err, 0, "exec: container `%s` has no running init (status `%s`)",
                               inv->id, st->status ? st->status : "");
  *pid = (long) st->pid;
  return 0;
}

/* Hand runc the LEN bytes of BUF as its --process file: a sealed copy
 * it inherits, named /proc/self/fd/N in ARGV. */
static int
hand_over (const confine_shim_inv_t *inv, char **argv, int argc, int cmd_at, const char *buf,
           size_t len, confine_error_t *err)
{
  int fd = confine_shim_judged_copy ("exec --process", buf, len, err);

  if (fd < 0)
    return -1;
  if (fcntl (fd, F_SETFD, 0) < 0)
    {
      close (fd);
      return confine_make_error (err, errno, "exec: hand the process to the runtime");
    }
  confine_shim_set_value (argv, argc, cmd_at, inv->process,
                          confine_xasprintf ("/proc/self/fd/%d", fd));
  return 0;
}

/* seccomp.block_setid_files at exec. dockerd builds an exec's process from
 * its own copy of the container's spec, not the one the shim repaired, so
 * it lists CAP_SETFCAP again, and runc 1.1 applies the process file's
 * sets: the container's filter still denies setuid modes, but setxattr's
 * attribute name is a string it cannot read, and `setcap` in a writable
 * bind host users reach would work. An exec gets no bounding capability
 * CAP_SETFCAP the container's init lacks: it is taken out of every set of
 * *BUF (LEN bytes, replaced) and said in CHANGES. INIT is the init when
 * known, else found. Returns 1 when taken out, 0 when nothing changed. */
static int
drop_setfcap (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
              int cmd_at, const confine_process_t *proc, long init, char **buf, size_t *len,
              confine_changes_t *changes, confine_error_t *err)
{
  cleanup_json confine_json_t *doc = NULL;
  confine_task_ref_t ref = { 0 };
  confine_observed_t seen = { 0 };
  char *text = NULL;
  size_t tlen = 0;
  uint64_t bounding;
  int r, sets;

  if (!policy->block_setid_files
      || !((confine_caps_mask (proc->caps.names[CONFINE_CAP_BOUNDING]) >> CAP_SETFCAP) & 1))
    return 0;
  if (init <= 0 && container_init (inv, policy, argv, cmd_at, &init, err) < 0)
    return -1;
  if ((r = confine_task_pin ((pid_t) init, &ref, err)) <= 0)
    return r < 0 ? -1 : confine_make_error (err, 0, "exec: the container's init %ld is gone", init);
  r = confine_task_observe (&ref, false, &seen, err);
  confine_task_ref_close (&ref);
  if (r < 0)
    return -1;
  bounding = seen.caps[CONFINE_CAP_BOUNDING];
  if (!(seen.has_caps & (1u << CONFINE_CAP_BOUNDING)))
    r = confine_make_error (err, 0, "exec: cannot read the bounding set of the container's init");
  confine_observed_clear (&seen);
  if (r < 0 || (bounding >> CAP_SETFCAP) & 1)
    return r < 0 ? -1 : 0;
  if (confine_json_parse (*buf, *len, &doc, err) < 0
      || (sets = confine_edit_drop_capability (doc, true, "CAP_SETFCAP", err)) < 0
      || confine_json_write (doc, false, &text, &tlen, err) < 0)
    return confine_error_wrap (err, "exec process `%s`", inv->process);
  free (*buf);
  *buf = text;
  *len = tlen;
  if (confine_changes_add (changes, err, "process.capabilities: CAP_SETFCAP taken out of %d "
                           "set%s, as the container's init has none (policy "
                           "seccomp.block_setid_files: dockerd lists it again for an exec)",
                           sets, sets == 1 ? "" : "s")
      < 0)
    return -1;
  return 1;
}

/* Judge the process file and hand it over. *PROFILE gets the AppArmor
 * profile the process names when the rule judged it (NULL otherwise),
 * *INIT the container's init when it was asked for (0 otherwise). */
static int
gate (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv, int argc,
      int cmd_at, confine_log_entry_t *entry, char **profile, long *init, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *summary = NULL;
  confine_process_t proc = { 0 };
  confine_verdict_t verdict = { 0 };
  confine_context_t ctx = { .policy = policy, .id = inv->id };
  cleanup_strv_list confine_changes_t changes = { 0 };
  size_t len = 0;
  int rc;

  /* Without --process, runc builds the process from the bundle's current
   * config.json plus --cap, --apparmor and --no-new-privs; engines never
   * do that, and judging it would mean finding the bundle through runc's
   * state. Refused rather than let through unjudged. */
  if (inv->process == NULL || inv->process[0] == '\0')
    return confine_make_error (err, 0, "exec without --process cannot be judged; pass the "
                               "process as a file with --process");
  if (confine_read_file_on_private_path (inv->process, PROCESS_MAX_BYTES, &buf, &len, err) < 0)
    return confine_make_error (err, 0, "exec process `%s`: %s; the engine writes it in its "
                               "temporary directory (containerd's runc shim: $XDG_RUNTIME_DIR, "
                               "else $TMPDIR or /tmp; CRI-O: $TMPDIR or /tmp): give the engine "
                               "one only root can write, as install.sh's containerd.service "
                               "drop-in does (XDG_RUNTIME_DIR=/run/containerd/tmp), then restart "
                               "the containers to exec into (README: exec)",
                               inv->process, (*err)->msg);
  if (confine_process_parse (buf, len, &proc, err) < 0)
    return confine_error_wrap (err, "exec process `%s`", inv->process);
  /* An exec without a cwd runs in the container's own, judged at create. */
  if (proc.cwd && proc.cwd[0] && container_init (inv, policy, argv, cmd_at, &ctx.pid, err) < 0)
    {
      confine_process_clear (&proc);
      return -1;
    }
  /* Judged as runc will read it: after the edit. */
  if ((rc = drop_setfcap (inv, policy, argv, cmd_at, &proc, ctx.pid, &buf, &len, &changes, err))
          != 0)
    {
      confine_process_clear (&proc);
      if (rc < 0 || confine_process_parse (buf, len, &proc, err) < 0)
        return -1;
    }
  confine_evaluate_process (&ctx, &proc, &verdict);
  *init = ctx.pid;
  if (verdict.results[CONFINE_RULE_APPARMOR].kind == CONFINE_RESULT_PASS && proc.apparmor_profile)
    *profile = confine_xstrdup (proc.apparmor_profile);
  if (confine_verdict_summary (&verdict, &summary, err) < 0)
    {
      confine_verdict_clear (&verdict);
      confine_process_clear (&proc);
      return -1;
    }
  confine_process_clear (&proc);
  entry->changes = changes.v;
  rc = confine_shim_conclude (inv, policy, entry, &verdict, summary);
  entry->changes = NULL;
  if (rc != 0)
    return rc;
  return hand_over (inv, argv, argc, cmd_at, buf, len, err);
}
/* The label the container's init carries, when it is an AppArmor label
 * the policy accepts (profile allowed, mode confining): what an exec
 * whose process names no profile runs under. NULL otherwise (a host
 * without AppArmor, or another LSM's label, which has no mode). */
static char *
container_label (const confine_policy_t *policy, const confine_observed_t *o)
{
  if (o->label == NULL || o->mode == NULL || strcmp (o->label, "unconfined") == 0
      || !confine_strv_has (policy->apparmor_allowed_modes, o->mode)
      || !confine_apparmor_profile_allowed (policy, o->label))
    return NULL;
  return confine_xstrdup (o->label);
}

/* After a detached exec (containerd's and conmon's: `exec --detach
 * --pid-file F`), runc has returned once the process runs, and the shim
 * checks it as `start` checks the init: its AppArmor label (the profile
 * the process file names, else the container's own, as its init
 * carries it) and seccomp filter mode (the init's), then every thread of
 * the container's cgroup, since the process can fork and exit before it
 * is read. A difference, or anything that cannot be read, kills the
 * container (one by one, an unconfined process can fork faster than it
 * is killed; the whole cgroup is killed at once) and refuses. Returns the
 * exit status, the outcome reported; or 0 with *GO_ON set when there is
 * nothing to check, for the runtime to replace us. */
static int
after_exec (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
            int cmd_at, confine_log_entry_t *entry, char *profile, long init_pid, bool *go_on,
            confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *label = NULL;
  cleanup_free char *pid_file = NULL;
  cleanup_free char *summary = NULL;
  confine_runtime_t rt = { .globals = argv, .n_globals = (size_t) cmd_at };
  confine_task_ref_t init = { .dirfd = -1 }, proc = { .dirfd = -1 };
  confine_cgroup_ref_t cg = { .dirfd = -1 };
  confine_observed_t iseen = { 0 }, pseen = { 0 };
  confine_expect_t e[2] = { { 0 } };
  confine_verdict_t verdict = { 0 };
  size_t n_e;
  uint64_t since = 0;
  pid_t pid = 0;
  int status = 0, r, rc = -1;
  bool started = false;

  if (confine_shim_resolve_runtime (policy, argv, &path, err) < 0)
    goto out;
  rt.path = path;
  if (init_pid == 0 && container_init (inv, policy, argv, cmd_at, &init_pid, err) < 0)
    goto out;
  if ((r = confine_task_pin ((pid_t) init_pid, &init, err)) <= 0
      || confine_task_observe (&init, true, &iseen, err) < 0)
    {
      if (r == 0)
        confine_make_error (err, 0, "exec: the init of container `%s` is gone", inv->id);
      goto out;
    }
  if (iseen.gone)
    {
      confine_make_error (err, 0, "exec: the init of container `%s` is gone", inv->id);
      goto out;
    }
  label = container_label (policy, &iseen);
  e[0].apparmor_profile = profile ? profile : label;
  e[1].apparmor_profile = label;
  e[0].seccomp = e[1].seccomp = iseen.seccomp == 2;
  e[0].after_exec = e[1].after_exec = true;
  e[0].id = e[1].id = (char *) inv->id;
  n_e = profile && label && strcmp (profile, label) != 0 ? 2 : 1;
  /* Nothing to expect (a host without AppArmor, a container without a
   * filter): the runtime replaces us, as before. */
  if (e[0].apparmor_profile == NULL && !e[0].seccomp)
    {
      *go_on = true;
      rc = 0;
      goto out;
    }
  if (confine_task_cgroup (&init, &cg, err) < 0)
    goto out;
  if ((pid_file = confine_shim_pid_file (inv, err)) == NULL)
    {
      if (*err == NULL)
        confine_make_error (err, 0, "exec: an empty --pid-file");
      goto out;
    }

  /* What the exec makes starts from now on; the container's older
   * threads were judged when they began. */
  since = confine_boot_ticks ();
  /* The exec itself runs without our deadline, as it would when exec'd. */
  alarm (0);
  r = confine_run_child (path, argv, &status, NULL, 0, err);
  if (r < 0 || status != 0)
    {
      rc = r < 0 ? -1 : status;
      goto out;
    }
  started = true;
  confine_process_deadline (SHIM_DEADLINE_SECONDS, "confine-runtime exec");

  if (confine_verify_read_pid_file (pid_file, &pid) != 1)
    {
      confine_make_error (err, 0, "exec: no pid in `%s` that only we can write", pid_file);
      goto out;
    }
  if ((r = confine_task_open_started (pid, CONFINE_VERIFY_EXEC_TIMEOUT_MS, &proc, err)) < 0
      || (r > 0 && confine_task_observe (&proc, e[0].apparmor_profile != NULL, &pseen, err) < 0))
    goto out;
  pseen.gone = pseen.gone || r == 0;
  confine_verify_judge (policy, &e[0], pid, &pseen, &verdict);
  if (confine_verify_judge_cgroup (policy, e, n_e, &cg, since, pseen.gone,
                                   &verdict, err) < 0
      || confine_verdict_summary (&verdict, &summary, err) < 0)
    goto out;
  if (verdict.refused)
    confine_verify_kill_all (&rt, inv->id, &init, &cg);
  confine_report_log (policy, entry, &verdict);
  if (verdict.refused)
    {
      cleanup_free char *msg = confine_xasprintf ("%s; the container was killed", summary);
      rc = confine_shim_refuse (inv, msg);
    }
  else
    rc = 0;

out:
  if (rc < 0)
    {
      /* Anything that could not be checked once the process runs kills
       * the container; before, nothing was started. */
      if (started)
        {
          confine_verify_kill_all (&rt, inv->id, &init, &cg);
          confine_error_wrap (err, "container `%s` killed after exec", inv->id);
        }
      rc = confine_shim_refuse_error (inv, policy, entry, err);
    }
  confine_verdict_clear (&verdict);
  confine_observed_clear (&iseen);
  confine_observed_clear (&pseen);
  confine_task_ref_close (&init);
  confine_task_ref_close (&proc);
  confine_cgroup_ref_close (&cg);
  return rc;
}

int
confine_shim_exec (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                   int argc, int cmd_at, confine_log_entry_t *entry, bool *go_on)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *profile = NULL;
  long init = 0;
  int rc = gate (inv, policy, argv, argc, cmd_at, entry, &profile, &init, &err);

  if (rc < 0)
    return confine_shim_refuse_error (inv, policy, entry, &err);
  /* Without --detach runc stays the process's parent until it ends and
   * passes its status on (a user at a terminal, not an engine): nothing
   * can be checked in between, and the runtime replaces us. */
  if (rc != 0 || !confine_shim_flag_set (inv->detach) || inv->pid_file == NULL)
    return rc;
  *go_on = false;
  return after_exec (inv, policy, argv, cmd_at, entry, profile, init, go_on, &err);
}

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
#include <stdio.h>
#include <string.h>

#include "shim.h"
#include "../base/utils.h"
#include "../src/verify.h"

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
  const char *state_cmd[] = { "state", inv->id, NULL };
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

static int
gate (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv, int argc,
      int cmd_at, confine_log_entry_t *entry, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *summary = NULL;
  confine_process_t proc = { 0 };
  confine_verdict_t verdict = { 0 };
  confine_context_t ctx = { .policy = policy, .id = inv->id };
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
  confine_evaluate_process (&ctx, &proc, &verdict);
  if (confine_verdict_summary (&verdict, &summary, err) < 0)
    {
      confine_verdict_clear (&verdict);
      confine_process_clear (&proc);
      return -1;
    }
  confine_process_clear (&proc);
  if ((rc = confine_shim_conclude (inv, policy, entry, &verdict, summary)) != 0)
    return rc;
  return hand_over (inv, argv, argc, cmd_at, buf, len, err);
}

int
confine_shim_exec (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                   int argc, int cmd_at, confine_log_entry_t *entry)
{
  cleanup_error confine_error_t err = NULL;
  int rc = gate (inv, policy, argv, argc, cmd_at, entry, &err);
  return rc < 0 ? confine_shim_refuse_error (inv, policy, entry, &err) : rc;
}

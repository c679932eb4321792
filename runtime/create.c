/* SPDX-License-Identifier: Apache-2.0 */
/* create and run: inject what the policy asks into the bundle's
 * config.json, judge the final spec with the hook's rules, and only then
 * write it back for the real runtime to read.
 *
 * `create` (the engine path: create, start, delete) then runs the real
 * create as a child and, once it has returned 0 and the container's init
 * waits for `start`, checks what runc and the kernel really set up
 * (src/verify.h) instead of having runc spawn the hook: one gate on the
 * path, not two. `run` creates and starts in one runc process, with no
 * moment between the two for the shim, so it keeps the hook. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "../oci/edit.h"
#include "../src/conmon.h"
#include "../src/inject.h"
#include "../base/utils.h"
#include "../src/process.h"
#include "../src/standin.h"
#include "../src/verify.h"

/* What the gate judged, kept for the check after create. */
typedef struct
{
  int dirfd; /* the bundle directory whose config.json was judged */
  confine_spec_t *spec;
  confine_verdict_t verdict;
  confine_changes_t changes;
} judged_t;

static void
judged_clear (judged_t *j)
{
  if (j->dirfd >= 0)
    close (j->dirfd);
  confine_spec_free (j->spec);
  confine_verdict_clear (&j->verdict);
  confine_strv_clear (&j->changes);
}

/* Fix, for `start`, what the kernel must show once the user process runs
 * (src/verify.h), and which process: the init REF the check after create
 * judged, known by its start time in SEEN and its program, not by a pid
 * file anyone with the engine's paths could have rewritten since. Kept
 * under the runtime ROOT as runc resolved it (a relative --root names
 * another directory from another working directory). Only for `create`:
 * `run` starts the container itself. Best effort: without a record, start
 * asks the runtime and judges afresh. */
static void
remember_create (const confine_shim_inv_t *inv, const confine_policy_t *policy, const char *root,
                 const char *bundle, const confine_spec_t *spec, const confine_verdict_t *v,
                 const confine_task_ref_t *ref, const confine_observed_t *seen)
{
  cleanup_error confine_error_t err = NULL;
  confine_expect_t e = { 0 };

  if (inv->id == NULL)
    return;
  e.root = confine_xstrdup (root);
  e.id = confine_xstrdup (inv->id);
  e.bundle = confine_xstrdup (bundle);
  e.pid = ref->pid;
  e.start_time = seen->start_time;
  e.exe_dev = ref->exe_dev;
  e.exe_ino = ref->exe_ino;
  confine_expect_from_verdict (spec, v, &e);
  if (confine_expect_save (policy->cache_dir, &e, &err) < 0)
    fprintf (stderr, "confine: warning: %s\n", err->msg);
  confine_expect_clear (&e);
}

/* Judge the bundle, and write config.json when the spec is allowed.
 * POLICY_PATH names the policy for the injected hook, NULL for none.
 * Returns 0 with J filled, negative on error. */
static int
gate (const confine_context_t *ctx, const char *policy_path, judged_t *j, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *text = NULL;
  cleanup_json confine_json_t *doc = NULL;
  size_t len = 0, tlen = 0;
  int edits;

  /* runc chdirs into the bundle and reads config.json there; we read the
   * same file through one directory fd. */
  if (confine_bundle_read (ctx->bundle, &j->dirfd, &buf, &len, err) < 0)
    return -1;
  if (confine_spec_parse (buf, len, &j->spec, &doc, err) < 0)
    return confine_error_wrap (err, "`%s/config.json`", ctx->bundle);
  if ((edits = confine_inject_and_judge (ctx, policy_path, &j->spec, doc, &text, &tlen,
                                         &j->changes, &j->verdict, err))
      < 0)
    return confine_error_wrap (err, "`%s/config.json`", ctx->bundle);

  /* Written only once the spec is allowed: a refused bundle stays as its
   * owner left it. A failed write refuses (logged as such by the caller),
   * with the old file intact. */
  if (!j->verdict.refused && edits > 0
      && confine_replace_file_at (j->dirfd, "config.json", text, tlen, true, err) < 0)
    return confine_error_wrap (err, "rewrite `%s/config.json`", ctx->bundle);
  return 0;
}

/* Log the decision in J and refuse or allow (0); SUFFIX follows a
 * refusal's summary. */
static int
conclude (const confine_shim_inv_t *inv, const confine_policy_t *policy,
          confine_log_entry_t *entry, judged_t *j, const char *suffix, confine_error_t *err)
{
  cleanup_free char *summary = NULL;
  cleanup_free char *line = NULL;

  if (confine_verdict_summary (&j->verdict, &summary, err) < 0)
    return -1;
  if (suffix && j->verdict.refused && asprintf (&line, "%s%s", summary, suffix) < 0)
    return confine_make_error (err, ENOMEM, "refusal");
  return confine_shim_conclude (inv, policy, entry, &j->verdict, line ? line : summary);
}

/* The real create as a child, then the check of what it set up. Returns
 * the exit status, or negative on error with the container destroyed. */
static int
create_and_verify (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                   const confine_context_t *ctx, const char *path, char **argv, int cmd_at,
                   confine_log_entry_t *entry, judged_t *j, confine_error_t *err)
{
  cleanup_free char *root = NULL;
  confine_runtime_t rt = { .globals = argv, .n_globals = (size_t) cmd_at };
  confine_task_ref_t ref = { .dirfd = -1 };
  confine_observed_t seen = { 0 };
  int status = 0, rc;

  if (confine_runc_root (inv->root, &root, err) < 0)
    return -1;
  rt.path = path;

  /* The create itself runs without our deadline, as it would when exec'd:
   * stdio, fds, environment and signals are the engine's, and its exit
   * status is ours. */
  alarm (0);
  if (confine_run_child (path, argv, &status, NULL, 0, err) < 0)
    return -1;
  if (status != 0)
    {
      /* runc said why; no container waits for start. */
      rc = conclude (inv, policy, entry, j, NULL, err);
      return rc < 0 ? rc : status;
    }
  confine_process_deadline (SHIM_DEADLINE_SECONDS, "confine-runtime create");

  /* From here a container exists: anything but a pass destroys it. */
  if (confine_verify_created_find (root, inv->id, ctx->bundle, j->dirfd, &ref, &seen, err) < 0)
    {
      /* Not found where runc should have recorded it: the init runc
       * wrote to the pid file is still pinned and killed, so nothing
       * waits unchecked for a start should the delete miss it too. */
      cleanup_error confine_error_t ignored = NULL;
      cleanup_free char *pid_path = confine_shim_pid_file (inv, &ignored);
      pid_t pid;
      if (confine_verify_read_pid_file (pid_path, &pid) > 0)
        {
          confine_task_ref_close (&ref);
          if (confine_task_ref_open (pid, &ref, &ignored) <= 0)
            ref.dirfd = -1;
        }
      goto destroy;
    }
  /* Pinned: should the deadline pass while we judge, the init dies first. */
  confine_process_deadline_victim (ref.dirfd);
  if (confine_verify_created_judge (ctx, j->spec, &ref, &seen, &j->verdict, err) < 0)
    goto destroy;
  if (j->verdict.refused)
    confine_verify_destroy (&rt, inv->id, &ref);
  else
    remember_create (inv, policy, root, ctx->bundle, j->spec, &j->verdict, &ref, &seen);
  rc = conclude (inv, policy, entry, j, "; the container was deleted after create", err);
  /* A log or summary failure after a pass is a refusal: no container
   * stays behind that the engine could start. */
  if (rc < 0)
    confine_verify_destroy (&rt, inv->id, &ref);
  goto out;

destroy:
  confine_verify_destroy (&rt, inv->id, &ref);
  rc = confine_error_wrap (err, "container `%s` deleted after create", inv->id);
out:
  confine_process_deadline_victim (-1);
  confine_observed_clear (&seen);
  confine_task_ref_close (&ref);
  return rc;
}

/* The check after create reads runc's own record and runc's waiting init,
 * so it is for runc alone: a runtime file named runc, or so ending
 * (runc.real behind a stand-in, a wrapper such as x-runc that execs it).
 * Any other runtime (crun, youki, a wrapper named otherwise) gets the
 * hook, as `run` does. Either mistake fails closed: a runc named
 * otherwise gets the hook, and a non-runc named runc leaves no runc
 * record, which refuses. */
static bool
is_runc (const char *path)
{
  const char *base = strrchr (path, '/');
  size_t n;

  base = base ? base + 1 : path;
  n = strlen (base);
  if (n >= 5 && strcmp (base + n - 5, ".real") == 0)
    n -= 5;
  return n >= 4 && strncmp (base + n - 4, "runc", 4) == 0;
}

int
confine_shim_create (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                     const char *policy_path, char **argv, int cmd_at, confine_log_entry_t *entry,
                     bool *go_on)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *policy_abs = NULL;
  cleanup_free char *bundle = NULL;
  cleanup_free char *runtime_root = NULL;
  cleanup_free char *runtime = NULL;
  cleanup_free char **conmon_argv = NULL;
  size_t conmon_argc = 0;
  long ppid = (long) getppid ();
  __attribute__ ((cleanup (confine_runtime_code_clear))) confine_runtime_code_t code = { 0 };
  judged_t j = { .dirfd = -1 };
  /* The policy's host-path lists, resolved by the judgement and kept for
   * the check after create (confine_rule_hostpaths). That check still
   * looks up afresh, after runc ran, everything it judges: each path the
   * kernel shows, the host's sockets and mounts, the container's owners
   * and snapshot; so a bind source retargeted between the judgement and
   * runc's mount is judged where the kernel mounted it. Only the lists'
   * resolution (about 130 lookups) is the judgement's. A change to it in
   * between could come from host root, trusted; from someone who can
   * write a directory on an entry's path, who could as well set it back
   * before a second resolution, which would bind them no more than this
   * one; or from runc, which on the host makes directories and files for
   * mount points (a name that did not exist resolves to the same path
   * once it does), links only in the container's own /dev, and mounts in
   * the container's namespace. */
  confine_hostpaths_t hostpaths = { 0 };
  bool create = strcmp (inv->cmd, "create") == 0, conmon = false;
  int rc;

  if (confine_shim_resolve_runtime (policy, argv, &runtime, &err) < 0)
    return confine_shim_refuse_error (inv, policy, entry, &err);
  create = create && is_runc (runtime);
  /* The runtime runs with our environment: no bind may write where it,
   * or an engine's shim with the same PATH, finds code (F-11, F-12). */
  if (confine_runtime_code_paths (runtime, &code, &err) < 0)
    return confine_shim_refuse_error (inv, policy, entry, &err);

  /* The hook runs with the bundle as cwd: give it a path that means the
   * same file from there. */
  if (!create && policy_path[0] != '/')
    {
      if ((policy_abs = realpath (policy_path, NULL)) == NULL)
        {
          confine_make_error (&err, errno, "policy `%s`", policy_path);
          return confine_shim_refuse_error (inv, policy, entry, &err);
        }
      policy_path = policy_abs;
    }
  /* Resolved for the rules that compare host paths (relative bind-mount
   * sources are relative to the bundle). */
  bundle = realpath (inv->bundle && inv->bundle[0] ? inv->bundle : ".", NULL);
  if (bundle == NULL)
    {
      confine_make_error (&err, errno, "bundle `%s`", inv->bundle ? inv->bundle : ".");
      return confine_shim_refuse_error (inv, policy, entry, &err);
    }
  entry->bundle = bundle;
  /* No bind may reach runc's state root (src/hostpath.c). */
  if (confine_runc_root (inv->root, &runtime_root, &err) < 0)
    return confine_shim_refuse_error (inv, policy, entry, &err);
  /* Podman and CRI-O run the runtime from conmon, whose command line
   * names the host files it writes for this container (the conmon rule). */
  if ((ppid > 0 && confine_conmon_is (ppid, &conmon, &err) < 0)
      || (conmon && confine_process_argv (ppid, &conmon_argv, &conmon_argc, &err) < 0))
    return confine_shim_refuse_error (inv, policy, entry, &err);
  {
    confine_context_t ctx = { .policy = policy,
                              .id = inv->id,
                              .bundle = bundle,
                              .no_pivot = inv->no_pivot,
                              .runtime_root = runtime_root,
                              .conmon_argv = conmon_argv,
                              .conmon_argc = conmon_argc,
                              .conmon_pid = conmon ? ppid : 0,
                              .runtime_code = &code,
                              .hostpaths = &hostpaths };
    /* runc's `create` is checked after the fact by the shim itself, so
     * runc spawns no hook; `run` gets the hook. */
    rc = gate (&ctx, create ? NULL : policy_path, &j, &err);
    /* A refusal by error still says what had been changed in the tree; the
     * file itself is only written when the spec is allowed. */
    entry->changes = j.changes.v;
    if (rc == 0 && (!create || j.verdict.refused))
      rc = conclude (inv, policy, entry, &j, NULL, &err);
    else if (rc == 0)
      rc = create_and_verify (inv, policy, &ctx, runtime, argv, cmd_at, entry, &j, &err);
  }
  if (rc < 0)
    rc = confine_shim_refuse_error (inv, policy, entry, &err);
  entry->bundle = NULL;
  entry->changes = NULL;
  judged_clear (&j);
  confine_hostpaths_clear (&hostpaths);
  /* `create` has run the runtime: its status is final. */
  *go_on = !create && rc == 0;
  return rc;
}

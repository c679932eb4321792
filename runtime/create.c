/* SPDX-License-Identifier: Apache-2.0 */
/* create and run: inject what the policy asks into the bundle's
 * config.json, judge the final spec with the hook's rules, and only then
 * write it back for the real runtime to read. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "../oci/edit.h"
#include "../src/inject.h"
#include "../base/utils.h"
#include "../src/verify.h"

/* Fix, for `start`, what the kernel must show once the user process runs
 * (src/verify.h). Only for `create`: `run` starts the container
 * itself. Best effort: without a record, start asks the
 * runtime. */
static void
remember_create (const confine_shim_inv_t *inv, const confine_policy_t *policy, const char *bundle,
                 const confine_spec_t *spec, const confine_verdict_t *v)
{
  cleanup_error confine_error_t err = NULL;
  confine_expect_t e = { 0 };

  if (strcmp (inv->cmd, "create") != 0 || inv->id == NULL)
    return;
  /* runc resolves --pid-file against its cwd, which start will not share. */
  if (inv->pid_file && inv->pid_file[0] && inv->pid_file[0] != '/')
    {
      cleanup_free char *cwd = getcwd (NULL, 0);
      if (cwd && asprintf (&e.pid_file, "%s/%s", cwd, inv->pid_file) < 0)
        e.pid_file = NULL;
    }
  else if (inv->pid_file && inv->pid_file[0])
    e.pid_file = confine_strdup (inv->pid_file, &err);
  if (err != NULL || (e.root = confine_strdup (inv->root ? inv->root : "", &err)) == NULL
      || (e.id = confine_strdup (inv->id, &err)) == NULL
      || (e.bundle = confine_strdup (bundle, &err)) == NULL
      || confine_expect_from_verdict (spec, v, &e, &err) < 0
      || confine_expect_save (policy->cache_dir, &e, &err) < 0)
    fprintf (stderr, "confine: warning: %s\n", err->msg);
  confine_expect_clear (&e);
}

/* Returns 0 to run the container, 1 when refused (reported), negative on
 * error (not yet reported). */
static int
gate (const confine_shim_inv_t *inv, const confine_policy_t *policy, const char *policy_path,
      const char *bundle, confine_log_entry_t *entry, confine_changes_t *changes,
      confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *text = NULL;
  cleanup_free char *summary = NULL;
  cleanup_close int dirfd = -1;
  cleanup_json confine_json_t *doc = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  confine_verdict_t verdict = { 0 };
  size_t len = 0, tlen = 0;
  confine_context_t ctx = { .policy = policy,
                            .id = inv->id,
                            .bundle = bundle,
                            .no_pivot = inv->no_pivot };
  int edits;

  /* runc chdirs into the bundle and reads config.json there; we read the
   * same file through one directory fd. */
  if (confine_bundle_read (bundle, &dirfd, &buf, &len, err) < 0)
    return -1;
  if (confine_spec_parse (buf, len, &spec, &doc, err) < 0)
    return confine_error_wrap (err, "`%s/config.json`", bundle);
  if ((edits = confine_inject_and_judge (&ctx, policy_path, &spec, doc, &text, &tlen, changes,
                                         &verdict, err))
      < 0)
    {
      confine_error_wrap (err, "`%s/config.json`", bundle);
      goto fail;
    }
  if (confine_verdict_summary (&verdict, &summary, err) < 0)
    goto fail;

  /* Written only once the spec is allowed: a refused bundle stays as its
   * owner left it. A failed write refuses (logged as such by the caller),
   * with the old file intact. */
  if (!verdict.refused && edits > 0
      && confine_edit_write_atomic (dirfd, "config.json", text, tlen, err) < 0)
    {
      confine_error_wrap (err, "rewrite `%s/config.json`", bundle);
      goto fail;
    }
  if (!verdict.refused)
    remember_create (inv, policy, bundle, spec, &verdict);
  entry->changes = changes->v;
  return confine_shim_conclude (inv, policy, entry, &verdict, summary);

fail:
  confine_verdict_clear (&verdict);
  return -1;
}

int
confine_shim_create (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                     const char *policy_path, confine_log_entry_t *entry)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *policy_abs = NULL;
  cleanup_free char *bundle = NULL;
  confine_changes_t changes = { 0 };
  int rc;

  /* The hook runs with the bundle as cwd: give it a path that means the
   * same file from there. */
  if (policy_path[0] != '/')
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
  rc = gate (inv, policy, policy_path, bundle, entry, &changes, &err);
  /* A refusal by error still says what had been changed in the tree; the
   * file itself is only written when the spec is allowed. */
  entry->changes = changes.v;
  if (rc < 0)
    rc = confine_shim_refuse_error (inv, policy, entry, &err);
  entry->bundle = NULL;
  entry->changes = NULL;
  confine_changes_clear (&changes);
  return rc;
}

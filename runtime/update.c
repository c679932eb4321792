/* SPDX-License-Identifier: Apache-2.0 */
/* update: runc 1.1 decodes `update --resources FILE` (stdin for `-`) as
 * a LinuxResources document and writes its `unified` files into the
 * running container's cgroup (update.go: Resources.Unified = r.Unified),
 * the very writes the cgroups rule judges at create (containerd sends
 * Kubernetes' unified resources this way). The document is read once,
 * judged, and handed to the runtime on its stdin with `--resources -`, so
 * that runc decodes the bytes judged, not a file changed since. Without
 * --resources, update's flags set only limits runc builds itself. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "../base/utils.h"
#include "../src/cgroups.h"

#define RESOURCES_MAX_BYTES (1u << 20)

/* Every rule but cgroups has nothing to judge in an update. */
static void
judge (const confine_shim_inv_t *inv, const confine_policy_t *policy,
       const confine_annotation_t *unified, size_t n, confine_verdict_t *v)
{
  confine_context_t ctx = { .policy = policy, .id = inv->id };

  memset (v, 0, sizeof (*v));
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_rule_result_t *r = &v->results[i];
      r->severity = policy->severity[i];
      r->exemption = -1;
      if (i != CONFINE_RULE_CGROUPS)
        confine_result_set (r, CONFINE_RESULT_SKIP, NULL, "applies to create, not to update");
      else if (confine_cgroups_judge_update (&ctx, unified, n, r, &err) < 0)
        confine_result_from_error (r, "cgroups.allowed_unified", "cannot evaluate", &err);
    }
  confine_verdict_finish (&ctx, v);
}

static int
gate (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv, int argc,
      int cmd_at, confine_log_entry_t *entry, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *summary = NULL;
  confine_annotation_t *unified = NULL;
  confine_verdict_t verdict = { 0 };
  cleanup_close int judged = -1;
  size_t len = 0, n = 0;
  int rc;

  if (inv->resources == NULL)
    return 0;
  if ((strcmp (inv->resources, "-") == 0
           ? confine_read_fd (STDIN_FILENO, RESOURCES_MAX_BYTES, &buf, &len, err)
           : confine_read_file (inv->resources, RESOURCES_MAX_BYTES, &buf, &len, err))
          < 0
      || confine_resources_parse_unified (buf, len, &unified, &n, err) < 0)
    {
      confine_annotations_free (unified, n);
      return confine_error_wrap (err, "update --resources `%s`", inv->resources);
    }
  judge (inv, policy, unified, n, &verdict);
  confine_annotations_free (unified, n);
  if (confine_verdict_summary (&verdict, &summary, err) < 0)
    {
      confine_verdict_clear (&verdict);
      return -1;
    }
  if ((rc = confine_shim_conclude (inv, policy, entry, &verdict, summary)) != 0)
    return rc;
  /* dup2 clears close-on-exec on the copy: the runtime inherits it. */
  if ((judged = confine_shim_judged_copy ("update --resources", buf, len, err)) < 0)
    return -1;
  if (dup2 (judged, STDIN_FILENO) < 0)
    return confine_make_error (err, errno, "update: hand the resources to the runtime");
  confine_shim_set_value (argv, argc, cmd_at, inv->resources, "-");
  return 0;
}

int
confine_shim_update (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                     int argc, int cmd_at, confine_log_entry_t *entry)
{
  cleanup_error confine_error_t err = NULL;
  int rc = gate (inv, policy, argv, argc, cmd_at, entry, &err);
  return rc < 0 ? confine_shim_refuse_error (inv, policy, entry, &err) : rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"
#include "../base/utils.h"

static bool
is_bind (const confine_mount_t *m)
{
  if (m->type && strcmp (m->type, "bind") == 0)
    return true;
  for (char **o = m->options; *o; o++)
    if (strcmp (*o, "bind") == 0 || strcmp (*o, "rbind") == 0)
      return true;
  return false;
}

/* A mount that is not a bind: only the pseudo-filesystems a container
 * needs. A disk (`ext4` of /dev/vda), an overlay of host directories,
 * devtmpfs or debugfs would hand the container host data. A second proc
 * or sysfs elsewhere than /proc and /sys would undo maskedPaths and
 * readonlyPaths, which runc applies under /proc and /sys only. */
static int
check_filesystem (const confine_context_t *ctx, const confine_mount_t *m,
                  confine_rule_result_t *r, confine_error_t *err)
{
  const char *type = m->type ? m->type : "";
  const char *dest = m->destination ? m->destination : "?";

  if (!confine_strv_has (ctx->policy->mounts_allowed_types, type))
    return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types", err,
                               "mount of type `%s` from `%s` at `%s` is not an allowed filesystem",
                               type, m->source ? m->source : "", dest);
  if ((strcmp (type, "proc") == 0 && strcmp (dest, "/proc") != 0)
      || (strcmp (type, "sysfs") == 0 && strcmp (dest, "/sys") != 0))
    return confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types", err,
                               "a %s mount at `%s` escapes the masked and read-only paths under "
                               "/%s",
                               type, dest, strcmp (type, "proc") == 0 ? "proc" : "sys");
  return 0;
}

/* Whether the options leave the mount read-only: runc applies them in
 * order, the last of `ro` and `rw` winning. */
static bool
readonly (const confine_mount_t *m)
{
  bool ro = false;
  for (char **o = m->options; *o; o++)
    if (strcmp (*o, "ro") == 0 || strcmp (*o, "rw") == 0)
      ro = (*o)[1] == 'o';
  return ro;
}

bool
confine_mount_is_at (const confine_mount_t *m, const char *where)
{
  const char *d = m->destination;
  size_t n = d ? strlen (d) : 0;
  /* The destination as runc cleans it: trailing slashes dropped. */
  while (n > 1 && d[n - 1] == '/')
    n--;
  return d && strlen (where) == n && strncmp (d, where, n) == 0;
}

bool
confine_mounts_spec_readonly_at (const confine_spec_t *spec, const char *where)
{
  for (size_t i = 0; spec && i < spec->n_mounts; i++)
    if (confine_mount_is_at (&spec->mounts[i], where) && readonly (&spec->mounts[i]))
      return true;
  return false;
}

/* A host path that reaches the container (WHAT, as written, relative
 * ones joined to the bundle as runc joins them: Go's filepath.Join
 * cleans lexically before the kernel follows any link), judged; fills R
 * with the reason when refused. */
static int
judge_path (confine_hostpaths_t *hp, const confine_context_t *ctx, const char *what,
            const char *written, const char *dest, confine_hostpath_use_t use, bool ro,
            confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *at = NULL;
  cleanup_free char *socket = NULL;
  confine_hostpath_verdict_t v = { 0 };
  int ret = 0;

  if (confine_hostpaths_resolve (hp, ctx->bundle, written, &path, err) < 0)
    ret = 1;
  else if ((ret = confine_hostpaths_judge (hp, path, use, ro, &v, err)) <= 0)
    return ret;
  /* Refused: described only now, as most sources pass. */
  if (asprintf (&at, "%s `%s`%s%s%s", what, written, dest ? " at `" : "", dest ? dest : "",
                dest ? "`" : "")
      < 0)
    return confine_make_error (err, ENOMEM, "describe mount");
  if (path == NULL)
    return confine_result_from_error (r, "mounts", at, err);
  socket = v.socket;
  if (socket)
    return confine_result_set (r, CONFINE_RESULT_FAIL, v.key, err,
                               "%s (%s) holds `%s` (policy pattern `%s`)", at, path, socket,
                               v.entry);
  return confine_result_set (r, CONFINE_RESULT_FAIL, v.key, err, "%s (%s) %s the host's `%s`", at,
                             path, v.relation, v.entry);
}

static int
judge_mounts (confine_hostpaths_t *hp, const confine_context_t *ctx, const confine_spec_t *spec,
              unsigned *binds, confine_rule_result_t *r, confine_error_t *err)
{
  int ret;

  /* The root filesystem is a host directory, writable unless
   * root.readonly: judged like a bind source. */
  if (spec->root_path)
    {
      ret = judge_path (hp, ctx, "root filesystem", spec->root_path, NULL, CONFINE_HOSTPATH_ROOT,
                        spec->root_readonly, r, err);
      if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
        return ret;
    }
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      const char *dest = m->destination ? m->destination : "?";
      if (!is_bind (m))
        {
          ret = check_filesystem (ctx, m, r, err);
          if (ret == 0 && r->kind != CONFINE_RESULT_FAIL && m->type
              && confine_mounts_must_be_readonly (ctx->policy, m->type) && !readonly (m))
            ret = confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.writable_pseudo_filesystems",
                                      err, "%s mount at `%s` is not read-only", m->type, dest);
        }
      else if (m->source == NULL)
        ret = confine_result_set (r, CONFINE_RESULT_FAIL, "mounts", err,
                                  "bind mount at `%s` has no source", dest);
      else
        {
          (*binds)++;
          ret = judge_path (hp, ctx, "bind mount of", m->source, dest, CONFINE_HOSTPATH_BIND,
                            readonly (m), r, err);
        }
      if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
        return ret;
    }
  /* Where the container's init exists (a hook's state), judge what the
   * kernel really mounted too. */
  if (ctx->pid > 0)
    return confine_mounts_judge_live_with (hp, ctx, spec, ctx->pid, r, err);
  return 0;
}

int
confine_rule_mounts (const confine_context_t *ctx, const confine_subject_t *s,
                     confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  confine_hostpaths_t hp;
  unsigned binds = 0;
  int ret;

  if (confine_hostpaths_init (ctx->policy, &hp, err) < 0)
    return -1;
  r->kind = CONFINE_RESULT_PASS;
  ret = judge_mounts (&hp, ctx, spec, &binds, r, err);
  confine_hostpaths_clear (&hp);
  if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
    return ret;
  return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err,
                             "%s%zu mounts (%u binds), none of or inside a sensitive host path, "
                             "every other one an allowed filesystem%s",
                             spec->root_path ? "root filesystem and " : "", spec->n_mounts, binds,
                             ctx->pid > 0 ? ", as the kernel really mounted them" : "");
}

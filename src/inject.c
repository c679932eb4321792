/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <string.h>

#include "apparmor.h"
#include "dockerseccomp.h"
#include "inject.h"
#include "seccomp.h"
#include "utils.h"
#include "../oci/edit.h"

void
confine_inject_hook_entry (const confine_policy_t *policy, const char *policy_path,
                           confine_inject_hook_t *out)
{
  *out = (confine_inject_hook_t) {
    .path = policy->hook_path,
    .args = { "confine-hook", "--policy", policy_path, NULL },
    /* Without `env`, runc hands a hook its own whole environment,
     * LD_PRELOAD and all; the hook needs none of it. */
    .env = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL },
    .timeout = CONFINE_INJECT_HOOK_TIMEOUT,
  };
}

void
confine_inject_probe (const confine_policy_t *policy, const confine_spec_t *spec,
                      confine_inject_host_t *out)
{
  cleanup_error confine_error_t ignored = NULL;
  confine_aa_profiles_t list = { 0 };
  const char *mode;

  *out = (confine_inject_host_t) { 0 };
  if (!policy->inject_apparmor || !spec->process.present || spec->process.apparmor_profile
      || policy->apparmor_default_profile == NULL
      || policy->apparmor_default_profile[0] == '\0')
    return;
  /* Unreadable means no AppArmor: nothing to inject, the rule decides. */
  if (confine_apparmor_profiles (policy->securityfs, &list, &ignored) < 0)
    return;
  mode = confine_apparmor_mode (&list, policy->apparmor_default_profile);
  out->apparmor_default_usable = mode != NULL
                                 && confine_strv_has (policy->apparmor_allowed_modes, mode);
  confine_apparmor_profiles_clear (&list);
}

static bool
strv_equal (char *const *a, const char *const *b)
{
  for (; *a && *b; a++, b++)
    if (strcmp (*a, *b) != 0)
      return false;
  return *a == NULL && *b == NULL;
}

/* Only an entry equal to ours in every field counts as ours. The spec's
 * author can write our path with `--policy` pointing at a lax policy of
 * their own, an environment with LD_PRELOAD, or a timeout that never
 * fires: an entry that merely names our binary is theirs, and ours is
 * added after it (runc runs every createRuntime hook, and any failure
 * destroys the container). */
static bool
is_own_hook (const confine_hook_t *h, const confine_inject_hook_t *own)
{
  return h->path && strcmp (h->path, own->path) == 0 && strv_equal (h->args, own->args)
         && h->has_env && strv_equal (h->env, own->env) && h->has_timeout
         && h->timeout == own->timeout;
}

void
confine_inject_plan (const confine_policy_t *policy, const confine_spec_t *spec,
                     const confine_inject_host_t *host, const confine_inject_hook_t *hook,
                     confine_inject_plan_t *out)
{
  *out = (confine_inject_plan_t) { 0 };

  /* An empty section installs no filter in runc, exactly like an absent
   * one, so it gets the default profile too. */
  out->seccomp = policy->inject_seccomp && confine_seccomp_is_empty (spec->seccomp)
                 && policy->seccomp_default_profile && policy->seccomp_default_profile[0];

  out->apparmor = policy->inject_apparmor && spec->process.present
                  && spec->process.apparmor_profile == NULL && host->apparmor_default_usable;

  out->no_new_privileges = policy->inject_no_new_privileges && spec->process.present
                           && !spec->process.no_new_privileges;

  if (policy->inject_hook && hook->path && hook->path[0])
    {
      bool have = false;
      const confine_hook_t *hooks = spec->hooks[CONFINE_HOOK_CREATE_RUNTIME];
      for (size_t i = 0; i < spec->n_hooks[CONFINE_HOOK_CREATE_RUNTIME] && !have; i++)
        have = is_own_hook (&hooks[i], hook);
      out->hook = !have;
    }
}

static int
apply_seccomp (const confine_policy_t *policy, const confine_spec_t *spec, confine_json_t *doc,
               confine_error_t *err)
{
  cleanup_json confine_json_t *profile = NULL;
  confine_dockerseccomp_host_t host;
  confine_json_t *sec = NULL;
  int r;

  if (confine_dockerseccomp_load (policy->seccomp_default_profile, &profile, err) < 0
      || confine_dockerseccomp_host (&host, err) < 0)
    return confine_error_wrap (err, "inject seccomp");
  /* Converted against this container's bounding set, as Docker does: a
   * container with CAP_SYS_ADMIN gets the rules Docker gives it. */
  r = confine_dockerseccomp_convert (profile, spec->process.caps.names[CONFINE_CAP_BOUNDING],
                                     &host, &sec, err);
  if (r < 0)
    return confine_error_wrap (err, "inject seccomp: `%s`", policy->seccomp_default_profile);
  if (r == 0)
    return 0;
  if (confine_edit_set_seccomp (doc, sec, err) < 0)
    return -1;
  return 1;
}

int
confine_inject_apply (const confine_policy_t *policy, const confine_spec_t *spec,
                      const confine_inject_plan_t *plan, const confine_inject_hook_t *hook,
                      confine_json_t *doc, confine_error_t *err)
{
  int edits = 0, r;

  if (plan->seccomp)
    {
      if ((r = apply_seccomp (policy, spec, doc, err)) < 0)
        return -1;
      edits += r;
    }
  if (plan->apparmor)
    {
      if (confine_edit_set_apparmor (doc, policy->apparmor_default_profile, err) < 0)
        return -1;
      edits++;
    }
  if (plan->no_new_privileges)
    {
      if (confine_edit_set_no_new_privileges (doc, err) < 0)
        return -1;
      edits++;
    }
  if (plan->hook)
    {
      if (confine_edit_add_hook (doc, "createRuntime", hook->path, hook->args, hook->env,
                                 hook->timeout, err)
          < 0)
        return -1;
      edits++;
    }
  return edits;
}

/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/apparmor.h>

#include "apparmor.h"
#include "rules.h"
#include "../base/utils.h"

int
confine_apparmor_profiles (const char *securityfs, confine_aa_profiles_t *out,
                           confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *buf = NULL;
  size_t len = 0, cap = 0;
  char *save = NULL;

  memset (out, 0, sizeof (*out));
  if (asprintf (&path, "%s/apparmor/profiles", securityfs) < 0)
    return confine_make_error (err, ENOMEM, "AppArmor profiles path");
  /* securityfs reports size 0 for this file; the bounded read copes. */
  if (confine_read_file (path, CONFINE_APPARMOR_PROFILES_MAX_BYTES, &buf, &len, err) < 0)
    return -1;
  if (memchr (buf, '\0', len) != NULL)
    return confine_make_error (err, 0, "`%s` contains a NUL byte", path);
  for (char *line = strtok_r (buf, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *mode = NULL;
      confine_aa_profile_t *p;
      /* libapparmor's own parser for `label (mode)`; it edits in place. */
      char *label = aa_splitcon (line, &mode);
      if (label == NULL || *label == '\0')
        continue;
      if (confine_append (&out->profiles, &out->n, &cap, sizeof (*p), 1000000, err) < 0)
        goto fail;
      p = &out->profiles[out->n - 1];
      p->name = confine_xstrdup (label);
      p->mode = confine_xstrdup (mode ? mode : "unknown");
    }
  return 0;
fail:
  confine_apparmor_profiles_clear (out);
  return -1;
}

const char *
confine_apparmor_mode (const confine_aa_profiles_t *list, const char *name)
{
  for (size_t i = 0; i < list->n; i++)
    if (strcmp (list->profiles[i].name, name) == 0)
      return list->profiles[i].mode;
  return NULL;
}

void
confine_apparmor_profiles_clear (confine_aa_profiles_t *list)
{
  for (size_t i = 0; i < list->n; i++)
    {
      free (list->profiles[i].name);
      free (list->profiles[i].mode);
    }
  free (list->profiles);
  memset (list, 0, sizeof (*list));
}

bool
confine_apparmor_profile_allowed (const confine_policy_t *policy, const char *name)
{
  /* The mode alone says nothing about what a profile confines: a host
   * program's profile (libvirtd's, LXC's with-mounting one) is enforcing
   * and lets a container do almost anything. Only profiles written for
   * containers are accepted; the one the gate injects always is. */
  return strcmp (name, policy->apparmor_default_profile) == 0
         || confine_strv_match (policy->apparmor_allowed_profiles, name);
}

int
confine_rule_apparmor (const confine_context_t *ctx, const confine_subject_t *s,
                       confine_rule_result_t *r, confine_error_t *err)
{
  const confine_policy_t *pol = ctx->policy;
  const char *profile = s->process->apparmor_profile;
  confine_aa_profiles_t list = { 0 };
  const char *mode;

  /* runc gives an exec process without apparmorProfile the container's
   * own profile (libcontainer's newInitConfig), which the gate judged when
   * the container was created; Docker leaves the field out on hosts
   * without AppArmor. Only a profile the process names needs judging. */
  if (s->spec == NULL && profile == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "no profile named: runc applies the container's own profile");
      return 0;
    }
  if (confine_apparmor_profiles (pol->securityfs, &list, err) < 0)
    {
      /* No readable profile list means no AppArmor: a host that lost it
       * (booted without the LSM, securityfs not mounted) fails closed
       * unless the policy says to skip the rule. */
      char reason[512];
      int n = snprintf (reason, sizeof (reason), "%s", (*err)->msg);
      if (n < 0 || (size_t) n >= sizeof (reason))
        memcpy (reason + sizeof (reason) - 4, "...", 4);
      confine_error_release (err);
      if (pol->apparmor_skip_when_unavailable)
        {
          confine_result_set (r, CONFINE_RESULT_SKIP, NULL,
                              "AppArmor is not available on this host (%s); skipped as "
                              "apparmor.when_unavailable is skip",
                              reason);
          return 0;
        }
      confine_result_set (r, CONFINE_RESULT_FAIL, "apparmor.when_unavailable",
                          "AppArmor is not available on this host (%s)", reason);
      return 0;
    }

  if (profile == NULL)
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.apparmor",
                        "no AppArmor profile (process.apparmorProfile is not set)");
  else if (strcmp (profile, "unconfined") == 0)
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.apparmor",
                        "AppArmor profile is `unconfined`");
  else if (!confine_apparmor_profile_allowed (pol, profile))
    confine_result_set (r, CONFINE_RESULT_FAIL, "apparmor.allowed_profiles",
                        "AppArmor profile `%s` is not one the policy allows; to allow it, "
                        "add it to apparmor.allowed_profiles",
                        profile);
  else if ((mode = confine_apparmor_mode (&list, profile)) == NULL)
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.apparmor",
                        "AppArmor profile `%s` is not loaded (load it with "
                        "apparmor_parser -r -W)",
                        profile);
  else if (confine_strv_has (pol->apparmor_allowed_modes, mode))
    confine_result_set (r, CONFINE_RESULT_PASS, NULL, "AppArmor profile `%s` is loaded in %s mode",
                        profile, mode);
  else
    confine_result_set (r, CONFINE_RESULT_FAIL, "apparmor.allowed_modes",
                        "AppArmor profile `%s` is in %s mode, not enforce", profile, mode);
  confine_apparmor_profiles_clear (&list);
  return 0;
}

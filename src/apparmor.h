/* SPDX-License-Identifier: Apache-2.0 */
/* AppArmor, read from securityfs: which profiles are loaded, in which
 * mode. The policy's `securityfs` key points the reader at a directory,
 * which is how tests supply a profile list on a kernel without AppArmor. */
#ifndef CONFINE_APPARMOR_H
#define CONFINE_APPARMOR_H

#include <stdbool.h>

#include "../base/error.h"
#include "policy.h"

#define CONFINE_APPARMOR_PROFILES_MAX_BYTES (8u << 20)

typedef struct
{
  char *name;
  char *mode; /* "enforce", "complain", "kill", "unconfined", ... */
} confine_aa_profile_t;

typedef struct
{
  confine_aa_profile_t *profiles;
  size_t n;
} confine_aa_profiles_t;

/* Read <securityfs>/apparmor/profiles. A negative return with err->status
 * set means AppArmor is not available (the file cannot be read). */
int confine_apparmor_profiles (const char *securityfs, confine_aa_profiles_t *out,
                               confine_error_t *err);
/* The mode of a loaded profile, or NULL when it is not loaded. */
const char *confine_apparmor_mode (const confine_aa_profiles_t *list, const char *name);
void confine_apparmor_profiles_clear (confine_aa_profiles_t *list);

/* May a container run under profile NAME: the policy's default_profile,
 * or a name apparmor.allowed_profiles matches. The one answer, for the
 * rule at create and exec and for the label of a running process. */
bool confine_apparmor_profile_allowed (const confine_policy_t *policy, const char *name);

#endif

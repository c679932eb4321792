/* SPDX-License-Identifier: Apache-2.0 */
/* The policy parser. The file is root-owned, but a bad edit must give a
 * clear refusal, never a crash that leaves the gate in an unknown state. */
#include <string.h>

#include "fuzz.h"
#include "../../src/policy.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *p = NULL;
  int rc;

  if (size > CONFINE_POLICY_MAX_BYTES)
    return 0;
  rc = confine_policy_parse ((const char *) data, size, &p, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    {
      FUZZ_ASSERT (p == NULL);
      return 0;
    }
  /* Everything the rules read must be there after a successful parse. */
  FUZZ_ASSERT (p != NULL);
  FUZZ_ASSERT (p->securityfs != NULL && p->securityfs[0] == '/');
  FUZZ_ASSERT (p->must_block != NULL && p->caps_forbidden != NULL);
  FUZZ_ASSERT (p->namespaces_required != NULL && p->masked_paths_required != NULL);
  FUZZ_ASSERT (p->mounts_sensitive != NULL && p->apparmor_allowed_modes != NULL);
  FUZZ_ASSERT (strlen (p->sha256) == 64);
  for (int r = 0; r < CONFINE_RULES; r++)
    FUZZ_ASSERT (p->severity[r] <= CONFINE_SEV_DENY);
  for (size_t i = 0; i < p->n_exemptions; i++)
    FUZZ_ASSERT (p->exemptions[i].rules != NULL);
  return 0;
}

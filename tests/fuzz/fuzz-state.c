/* SPDX-License-Identifier: Apache-2.0 */
/* The hook's first untrusted input: the OCI state on stdin. */
#include "fuzz.h"
#include "../../oci/spec.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_state confine_state_t *st = NULL;
  int rc;

  if (size > CONFINE_STATE_MAX_BYTES)
    return 0;
  rc = confine_state_parse ((const char *) data, size, &st, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    FUZZ_ASSERT (st == NULL);
  else
    {
      /* The hook dereferences these without checking. */
      FUZZ_ASSERT (st != NULL);
      FUZZ_ASSERT (st->bundle != NULL);
      for (size_t i = 0; i < st->n_annotations; i++)
        FUZZ_ASSERT (st->annotations[i].key != NULL && st->annotations[i].value != NULL);
    }
  return 0;
}

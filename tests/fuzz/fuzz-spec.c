/* SPDX-License-Identifier: Apache-2.0 */
/* config.json and process.json: the JSON layer with its Go-compatibility
 * refusals (duplicate keys, case-folded keys, NUL in strings, depth), the
 * typed reading, a write-and-reparse of the tree (what the shim does when
 * it rewrites a spec), and every rule on the result. */
#include <string.h>

#include "fuzz.h"
#include "../../oci/spec.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

/* Host paths that cannot exist, so the rules touch nothing real: no
 * AppArmor (the rule refuses), no verdict cache. */
static const char policy_text[]
    = "{\"securityfs\": \"/nonexistent/confine-fuzz\", \"cache_dir\": "
      "\"/nonexistent/confine-fuzz/cache\", \"decision_log\": \"/nonexistent/confine-fuzz/log\","
      " \"exemptions\": [{\"rules\": [\"mounts\"], \"id\": \"^x\","
      " \"annotations\": {\"a\": \"^b$\"}}]}";

static const confine_policy_t *
policy (void)
{
  static confine_policy_t *p;
  if (p == NULL)
    {
      confine_error_t err = NULL;
      if (confine_policy_parse (policy_text, sizeof policy_text - 1, &p, &err) < 0)
        {
          fprintf (stderr, "fuzz-spec: built-in policy: %s\n", err->msg);
          abort ();
        }
    }
  return p;
}

static void
evaluate (const confine_spec_t *spec)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *summary = NULL;
  confine_verdict_t v;
  confine_context_t ctx = { .policy = policy (),
                            .id = "x",
                            .bundle = NULL,
                            .annotations = spec->annotations,
                            .n_annotations = spec->n_annotations };
  int rc;

  memset (&v, 0, sizeof v);
  confine_evaluate_spec (&ctx, spec, &v);
  rc = confine_verdict_summary (&v, &summary, &err);
  FUZZ_CHECK_RC (rc, err);
  /* No AppArmor under the built-in policy: every spec is refused. */
  FUZZ_ASSERT (v.would_refuse && v.refused);
  confine_verdict_clear (&v);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  cleanup_json confine_json_t *doc = NULL;
  cleanup_free char *text = NULL;
  size_t len = 0;
  int rc;

  if (size > CONFINE_SPEC_MAX_BYTES)
    return 0;

  {
    cleanup_error confine_error_t perr = NULL;
    confine_process_t p;
    memset (&p, 0, sizeof p);
    rc = confine_process_parse ((const char *) data, size, &p, &perr);
    FUZZ_CHECK_RC (rc, perr);
    confine_process_clear (&p);
  }

  rc = confine_spec_parse ((const char *) data, size, &spec, &doc, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    {
      FUZZ_ASSERT (spec == NULL);
      return 0;
    }
  FUZZ_ASSERT (spec != NULL && doc != NULL);
  FUZZ_ASSERT (spec->masked_paths != NULL);
  for (size_t i = 0; i < spec->n_mounts; i++)
    FUZZ_ASSERT (spec->mounts[i].options != NULL);

  /* What we write back must read back the same way. */
  for (int pretty = 0; pretty <= 1; pretty++)
    {
      cleanup_spec confine_spec_t *again = NULL;
      free (text);
      text = NULL;
      rc = confine_json_write (doc, pretty, &text, &len, &err);
      FUZZ_CHECK_RC (rc, err);
      if (rc < 0)
        return 0;
      rc = confine_spec_parse (text, len, &again, NULL, &err);
      if (rc < 0)
        fprintf (stderr, "fuzz-spec: reparse of written tree failed: %s\n", err->msg);
      FUZZ_ASSERT (rc == 0);
      FUZZ_ASSERT (again->n_mounts == spec->n_mounts
                   && again->n_namespaces == spec->n_namespaces
                   && again->n_annotations == spec->n_annotations
                   && again->n_device_rules == spec->n_device_rules
                   && (again->seccomp == NULL) == (spec->seccomp == NULL)
                   && again->process.present == spec->process.present
                   && again->has_linux == spec->has_linux);
    }

  evaluate (spec);
  return 0;
}

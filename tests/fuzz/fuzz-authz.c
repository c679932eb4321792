/* SPDX-License-Identifier: Apache-2.0 */
/* The Docker authorization plugin's judgement (src/authz.c): the input is
 * read both as the plugin's request document (as dockerd marshals it:
 * method, target, base64 body) and as the body of each API request the
 * plugin judges. Every outcome is a verdict or an error with a message. */
#include <string.h>

#include "fuzz.h"
#include "../../src/authz.h"
#include "../../src/policy.h"
#include "../../base/utils.h"

/* Host paths that cannot exist, so the judgement writes nothing real. */
static const char policy_text[]
    = "{\"securityfs\": \"/nonexistent/confine-fuzz\", \"cache_dir\": "
      "\"/nonexistent/confine-fuzz/cache\", \"decision_log\": \"/nonexistent/confine-fuzz/log\"}";

static const confine_policy_t *
policy (void)
{
  static confine_policy_t *p;
  if (p == NULL)
    {
      confine_error_t err = NULL;
      if (confine_policy_parse (policy_text, sizeof policy_text - 1, &p, &err) < 0)
        {
          fprintf (stderr, "fuzz-authz: built-in policy: %s\n", err->msg);
          abort ();
        }
    }
  return p;
}

static void
judge (const confine_authz_request_t *req)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *summary = NULL;
  confine_authz_kind_t kind = CONFINE_AUTHZ_OTHER;
  confine_verdict_t v;
  int rc;

  memset (&v, 0, sizeof v);
  rc = confine_authz_classify (req, &kind, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0 || kind == CONFINE_AUTHZ_OTHER)
    return;
  rc = confine_authz_judge (policy (), req, kind, NULL, NULL, &v, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    return;
  rc = confine_verdict_summary (&v, &summary, &err);
  FUZZ_CHECK_RC (rc, err);
  /* A verdict names the mounts rule's result, pass or fail. */
  FUZZ_ASSERT (v.results[CONFINE_RULE_MOUNTS].kind != CONFINE_RESULT_SKIP);
  confine_verdict_clear (&v);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const uris[] = { "/v1.41/containers/create", "/v1.41/volumes/create",
                                      "/v1.41/services/create", "/v1.23/containers/x/start" };
  cleanup_free char *text = NULL;

  if (size > CONFINE_AUTHZ_MAX_BODY)
    return 0;
  text = confine_xmalloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  {
    cleanup_error confine_error_t err = NULL;
    confine_authz_request_t req;
    int rc = confine_authz_request_parse (text, size, &req, &err);
    FUZZ_CHECK_RC (rc, err);
    if (rc == 0)
      {
        FUZZ_ASSERT (req.method != NULL && req.uri != NULL);
        judge (&req);
        confine_authz_request_clear (&req);
      }
  }
  for (size_t i = 0; i < sizeof uris / sizeof uris[0]; i++)
    {
      confine_authz_request_t req = { .method = (char *) "POST",
                                      .uri = (char *) uris[i],
                                      .body = (unsigned char *) text,
                                      .body_len = size };
      judge (&req);
    }
  return 0;
}

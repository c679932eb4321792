/* SPDX-License-Identifier: Apache-2.0 */
/* The shim's pass-through reads the policy's `runtime` alone
 * (confine_json_peek_string, confine_policy_runtime). Whatever it reads
 * must be what the full policy load reads, and every document it cannot
 * read as surely must go to the full load (-1). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../oci/json.h"
#include "../../src/policy.h"

static const struct
{
  const char *name;
  const char *doc;
  int want; /* 1 read, 0 absent, -1 to the full load */
  const char *value;
} cases[] = {
  { "plain", "{\"runtime\": \"runc\"}", 1, "runc" },
  { "path", "{\"mode\": \"audit\", \"runtime\": \"/usr/bin/crun\"}", 1, "/usr/bin/crun" },
  { "after-nested", "{\"runtimes\": {\"refused\": [\"runtime\"]}, \"inject\": {\"runtime\": 1},"
                    " \"runtime\": \"x\"}", 1, "x" },
  { "nested-only", "{\"hooks\": {\"runtime\": \"evil\"}}", 0, NULL },
  { "absent", "{\"mode\": \"enforce\"}", 0, NULL },
  { "empty-object", "{}", 0, NULL },
  { "duplicate", "{\"runtime\": \"runc\", \"runtime\": \"crun\"}", -1, NULL },
  { "folded-key", "{\"Runtime\": \"crun\"}", -1, NULL },
  { "folded-after", "{\"runtime\": \"runc\", \"RUNTIME\": \"crun\"}", -1, NULL },
  { "null", "{\"runtime\": null}", -1, NULL },
  { "number", "{\"runtime\": 1}", -1, NULL },
  { "object", "{\"runtime\": {}}", -1, NULL },
  { "array-value", "{\"runtime\": [\"runc\"]}", -1, NULL },
  { "top-array", "[{\"runtime\": \"runc\"}]", -1, NULL },
  { "top-string", "\"runtime\"", -1, NULL },
  { "comment", "{\"runtime\": \"runc\" /* or crun */}", -1, NULL },
  { "trailing", "{\"runtime\": \"runc\"} {}", -1, NULL },
  { "truncated", "{\"runtime\": \"runc\"", -1, NULL },
  { "nul-escape", "{\"runtime\": \"runc\\u0000x\"}", -1, NULL },
  { "lone-surrogate", "{\"runtime\": \"runc\\ud800\"}", -1, NULL },
  { "utf8", "{\"runtime\": \"/opt/r\xc3\xa9/runc\"}", -1, NULL },
};

void
run_tests (void)
{
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      char out[64] = "", name[96];
      int r = confine_json_peek_string (cases[i].doc, strlen (cases[i].doc), "runtime", out,
                                        sizeof (out));
      snprintf (name, sizeof (name), "peek-%s", cases[i].name);
      CHECK (r == cases[i].want && (r != 1 || strcmp (out, cases[i].value) == 0), name,
             "got %d `%s`, want %d `%s`", r, out, cases[i].want,
             cases[i].value ? cases[i].value : "");

      /* Agreement: what peek reads, the full load reads (or refuses). */
      if (r >= 0)
        {
          confine_error_t err = NULL;
          confine_policy_t *p = NULL;
          snprintf (name, sizeof (name), "peek-agrees-with-load-%s", cases[i].name);
          if (confine_policy_parse (cases[i].doc, strlen (cases[i].doc), &p, &err) == 0)
            CHECK (strcmp (p->runtime, r == 1 ? out : CONFINE_POLICY_DEFAULT_RUNTIME) == 0, name,
                   "peek `%s`, load `%s`", r == 1 ? out : "(default)", p->runtime);
          confine_policy_free (p);
          confine_error_release (&err);
        }
    }

  /* Too long for the caller's buffer: the full load decides. */
  {
    char small[4];
    CHECK (confine_json_peek_string ("{\"runtime\": \"runc\"}", 19, "runtime", small,
                                     sizeof (small)) == -1,
           "peek-too-long-goes-to-full-load", "did not return -1");
  }
}

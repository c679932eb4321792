/* SPDX-License-Identifier: Apache-2.0 */
/* Reading config.json as runc's Go decoder does, or refusing. */
#define _GNU_SOURCE
#include <string.h>

#include "harness.h"
#include "../../oci/spec.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

static int
parse (const char *text, confine_spec_t **spec, char **msg)
{
  cleanup_error confine_error_t err = NULL;
  int r = confine_spec_parse (text, strlen (text), spec, NULL, &err);
  *msg = r < 0 ? strdup (err->msg) : NULL;
  return r;
}

/* The document must be refused, and the reason must mention NEEDLE. */
static void
refused (const char *name, const char *text, const char *needle)
{
  confine_spec_t *spec = NULL;
  char *msg = NULL;
  int r = parse (text, &spec, &msg);
  CHECK (r < 0 && msg && strstr (msg, needle), name, "r=%d msg=%s", r, msg ? msg : "(none)");
  confine_spec_free (spec);
  free (msg);
}

static confine_spec_t *
accepted (const char *name, const char *text)
{
  confine_spec_t *spec = NULL;
  char *msg = NULL;
  int r = parse (text, &spec, &msg);
  CHECK (r == 0, name, "refused: %s", msg ? msg : "");
  free (msg);
  return spec;
}

static void
go_compat (void)
{
  confine_spec_t *s;

  /* Go keeps the LAST duplicate, yajl's tree the first: refuse both. */
  refused ("duplicate key at top level is refused",
           "{\"process\":{\"apparmorProfile\":\"unconfined\"},\"process\":{\"apparmorProfile\":\"x\"}}",
           "duplicate JSON key `process`");
  refused ("duplicate key deep inside seccomp is refused",
           "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultAction\":\"SCMP_ACT_ALLOW\"}}}",
           "duplicate JSON key `defaultAction`");
  /* Go matches fields case-insensitively. */
  refused ("case-folded field name is refused",
           "{\"process\":{\"ApparmorProfile\":\"unconfined\",\"apparmorProfile\":\"x\"}}",
           "`ApparmorProfile` is not `apparmorProfile`");
  refused ("upper-case top-level key is refused", "{\"Linux\":{}}", "`Linux` is not `linux`");
  /* Go's fold maps U+212A KELVIN SIGN to k and U+017F LONG S to s. */
  refused ("Kelvin sign folds to k as in Go",
           "{\"linux\":{\"mas\\u212aedPaths\":[]}}", "is not `maskedPaths`");
  refused ("long s folds to s as in Go", "{\"proce\\u017f\\u017f\":{}}", "is not `process`");
  /* Go 1.21 and later fold with ToUpper(ToLower(r)): both Turkish i's. */
  refused ("dotless i folds to i as in Go 1.21",
           "{\"process\":{\"apparmorProf\\u0131le\":\"unconfined\"}}", "is not `apparmorProfile`");
  refused ("dotted capital I folds to i as in Go 1.21",
           "{\"process\":{\"apparmorProf\\u0130le\":\"unconfined\"}}", "is not `apparmorProfile`");
  refused ("NUL inside a string is refused",
           "{\"process\":{\"apparmorProfile\":\"docker-default\\u0000x\"}}", "NUL");
  refused ("an unpaired surrogate escape is refused (Go reads U+FFFD, yajl `?`)",
           "{\"mounts\":[{\"source\":\"/tmp/x\\ud800\"}]}", "unpaired surrogate");
  refused ("a lone low surrogate is refused", "{\"hostname\":\"\\udc00\"}", "unpaired surrogate");
  refused ("comments are refused (yajl_tree would allow them)",
           "{/* c */\"process\":{}}", "invalid JSON");
  refused ("trailing data is refused", "{\"process\":{}} {}", "invalid JSON");
  refused ("invalid UTF-8 is refused", "{\"hostname\":\"\xff\"}", "invalid JSON");
  refused ("a string where Go wants a string list is refused",
           "{\"linux\":{\"maskedPaths\":\"/proc/kcore\"}}", "expected array");
  refused ("a number where Go wants a string is refused",
           "{\"process\":{\"apparmorProfile\":5}}", "expected string");
  refused ("a fraction for an integer field is refused as by Go",
           "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1.0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}}}",
           "not an integer");
  refused ("a negative errnoRet is refused as by Go",
           "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":-1}}}",
           "not an integer");
  refused ("a uint64 overflow is refused as by Go",
           "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":18446744073709551616,\"op\":\"SCMP_CMP_EQ\"}]}]}}}",
           "not an integer");
  {
    char deep[400];
    size_t n = 0;
    n += (size_t) snprintf (deep + n, sizeof (deep) - n, "{\"annotations\":");
    for (int i = 0; i < 100; i++)
      deep[n++] = '[';
    deep[n] = '\0';
    refused ("nesting deeper than the bound is refused", deep, "nested deeper");
  }

  s = accepted ("null reads as absent, as Go leaves the zero value",
                "{\"linux\":{\"seccomp\":null},\"process\":{\"apparmorProfile\":null}}");
  CHECK (s && s->seccomp == NULL && s->process.apparmor_profile == NULL,
         "null seccomp means no filter", "seccomp=%p", s ? (void *) s->seccomp : NULL);
  confine_spec_free (s);

  s = accepted ("unknown keys are ignored, as by Go", "{\"process\":{\"frobnicate\":1},\"x\":[]}");
  confine_spec_free (s);

  s = accepted ("the full uint64 range survives",
                "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":18446744073709551615,\"valueTwo\":9223372036854775809,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}}}");
  CHECK (s && s->seccomp && s->seccomp->syscalls[0].args[0].value == UINT64_MAX
             && s->seccomp->syscalls[0].args[0].value_two == 9223372036854775809ull,
         "uint64 values above 2^63 are exact", "wrong value");
  confine_spec_free (s);

  s = accepted ("an empty seccomp object parses", "{\"linux\":{\"seccomp\":{}}}");
  CHECK (s && confine_seccomp_is_empty (s->seccomp),
         "empty seccomp object means no filter, as runc installs none", "not empty");
  confine_spec_free (s);

  s = accepted ("a null mount parses", "{\"mounts\":[null,{\"destination\":\"/x\"}]}");
  CHECK (s && s->n_mounts == 2 && s->mounts[0].destination == NULL && s->mounts[0].type == NULL
             && s->mounts[0].options && s->mounts[0].options[0] == NULL
             && strcmp (s->mounts[1].destination, "/x") == 0,
         "a null mount is kept as the empty Mount Go decodes, so it is judged and indices match runc's",
         "n_mounts=%zu", s ? s->n_mounts : 0);
  confine_spec_free (s);

  s = accepted ("a root without a path parses", "{\"root\":{\"readonly\":true}}");
  CHECK (s && s->root_path && s->root_path[0] == '\0' && s->root_readonly,
         "a root without a path is the bundle directory (\"\"), as runc joins Go's zero path to it",
         "root_path=%s", s && s->root_path ? s->root_path : "(null)");
  confine_spec_free (s);
  s = accepted ("a null root parses", "{\"root\":null}");
  CHECK (s && s->root_path == NULL, "a null root is no root, which runc refuses", "root_path=%s",
         s && s->root_path ? s->root_path : "(null)");
  confine_spec_free (s);

  s = accepted ("empty apparmorProfile parses", "{\"process\":{\"apparmorProfile\":\"\"}}");
  CHECK (s && s->process.apparmor_profile == NULL, "empty apparmorProfile means none",
         "profile=%s", s ? s->process.apparmor_profile : "");
  confine_spec_free (s);
}

static void
json_roundtrip (void)
{
  cleanup_error confine_error_t err = NULL;
  const char *text = "{\"a\":18446744073709551615,\"b\":[1.50,-0,true,null,\"\\u00e9\"],\"c\":{}}";
  confine_json_t *tree = NULL;
  char *out = NULL;
  int r = confine_json_parse (text, strlen (text), &tree, &err);
  if (r == 0)
    r = confine_json_write (tree, false, &out, NULL, &err);
  CHECK (r == 0 && out && strcmp (out, "{\"a\":18446744073709551615,\"b\":[1.50,-0,true,null,\"\xc3\xa9\"],\"c\":{}}") == 0,
         "JSON rewrite keeps numbers as written", "got %s", out ? out : (err ? err->msg : ""));
  free (out);
  confine_json_free (tree);
}

static void
fixtures (void)
{
  static const char *const names[]
      = { "default", "privileged", "cap-add-sys-admin", "seccomp-unconfined", "socket-volume",
          "pid-host", "weak-seccomp", "restrictive-seccomp" };
  for (size_t i = 0; i < sizeof (names) / sizeof (names[0]); i++)
    {
      char rel[128], name[160];
      size_t len;
      char *buf;
      confine_spec_t *spec = NULL;
      cleanup_error confine_error_t err = NULL;
      snprintf (rel, sizeof (rel), "tests/fixtures/docker/%s.json", names[i]);
      snprintf (name, sizeof (name), "real Docker config `%s` parses", names[i]);
      buf = harness_read (rel, &len);
      CHECK (confine_spec_parse (buf, len, &spec, NULL, &err) == 0, name, "%s",
             err ? err->msg : "");
      confine_spec_free (spec);
      free (buf);
    }
}

void
run_tests (void)
{
  go_compat ();
  json_roundtrip ();
  fixtures ();
}

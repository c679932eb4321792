/* SPDX-License-Identifier: Apache-2.0 */
/* What the shim injects: the plan, row by row (a spec and a policy in,
 * the expected edits out), then the plan applied to a tree and the host
 * probe on a securityfs directory written by the test. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "../../oci/spec.h"
#include "../../src/inject.h"
#include "../../src/utils.h"

#define HOOK "/usr/local/libexec/confine/confine-hook"
#define PROC "\"process\":{\"args\":[\"true\"]"
#define FILTER "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\"}}"
/* The entry the shim writes, with the policy path the rows use. */
#define ARGS "[\"confine-hook\",\"--policy\",\"/p.json\"]"
#define ENV "\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\""
#define OWN_HOOK "{\"path\":\"" HOOK "\",\"args\":" ARGS ",\"env\":[" ENV "],\"timeout\":30}"

static confine_policy_t *
policy (const char *extra)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *text = NULL;
  confine_policy_t *p = NULL;
  if (asprintf (&text, "{%s}", extra ? extra : "") < 0)
    abort ();
  if (confine_policy_parse (text, strlen (text), &p, &err) < 0)
    {
      printf ("FAIL policy %s: %s\n", text, err->msg);
      exit (1);
    }
  return p;
}

static confine_spec_t *
spec_of (const char *text, confine_json_t **doc)
{
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = NULL;
  if (confine_spec_parse (text, strlen (text), &spec, doc, &err) < 0)
    {
      printf ("FAIL spec %s: %s\n", text, err->msg);
      exit (1);
    }
  return spec;
}

typedef struct
{
  const char *name;
  const char *spec;   /* config.json text */
  const char *policy; /* policy keys, without braces */
  bool apparmor_usable;
  confine_inject_plan_t want;
} plan_case_t;

static void
plan_table (void)
{
  static const plan_case_t cases[] = {
    { "bare spec gets filter and hook, AppArmor when usable", "{" PROC "}}", NULL, true,
      { .seccomp = true, .apparmor = true, .hook = true } },
    { "no AppArmor injected when the default profile is not usable", "{" PROC "}}", NULL, false,
      { .seccomp = true, .hook = true } },
    { "a spec that names a profile keeps it", "{" PROC ",\"apparmorProfile\":\"mine\"}}", NULL,
      true, { .seccomp = true, .hook = true } },
    { "a spec with a filter keeps it", "{" PROC "}," FILTER "}", NULL, true,
      { .apparmor = true, .hook = true } },
    { "an empty seccomp section installs no filter in runc, so it gets one",
      "{" PROC "},\"linux\":{\"seccomp\":{}}}", NULL, true,
      { .seccomp = true, .apparmor = true, .hook = true } },
    { "no process: nothing to set on it", "{\"linux\":{}}", NULL, true,
      { .seccomp = true, .hook = true } },
    { "noNewPrivileges when asked", "{" PROC "}}", "\"inject\":{\"no_new_privileges\":true}", false,
      { .seccomp = true, .no_new_privileges = true, .hook = true } },
    { "noNewPrivileges already set is left alone", "{" PROC ",\"noNewPrivileges\":true}}",
      "\"inject\":{\"no_new_privileges\":true}", false, { .seccomp = true, .hook = true } },
    { "nothing when every injection is off", "{" PROC "}}",
      "\"inject\":{\"seccomp\":false,\"apparmor\":false,\"hook\":false}", true, { 0 } },
    { "no hook when the policy names none", "{" PROC "}}", "\"hook_path\":\"\"", false,
      { .seccomp = true } },
    { "no filter when the policy names no default profile", "{" PROC "}}",
      "\"seccomp\":{\"default_profile\":\"\"}", false, { .hook = true } },
    { "the gate's own hook, exactly as injected, is not added twice",
      "{" PROC "},\"hooks\":{\"createRuntime\":[" OWN_HOOK "]}}", NULL, false,
      { .seccomp = true } },
    { "the gate's path with another policy is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":[\"confine-hook\","
      "\"--policy\",\"/tmp/evil.json\"],\"env\":[" ENV "],\"timeout\":30}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "the gate's entry with an extra argument is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":[\"confine-hook\","
      "\"--policy\",\"/p.json\",\"--help\"],\"env\":[" ENV "],\"timeout\":30}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "the gate's entry with a shorter argv is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":[\"confine-hook\"],"
      "\"env\":[" ENV "],\"timeout\":30}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "the gate's entry with LD_PRELOAD in env is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":" ARGS ","
      "\"env\":[" ENV ",\"LD_PRELOAD=/tmp/x.so\"],\"timeout\":30}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "the gate's entry without env (runc's whole environment) is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":" ARGS ","
      "\"timeout\":30}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "the gate's entry with another timeout is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":" ARGS ","
      "\"env\":[" ENV "],\"timeout\":1000000}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "the gate's entry without a timeout is not the gate's hook",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\",\"args\":" ARGS ","
      "\"env\":[" ENV "]}]}}",
      NULL, false, { .seccomp = true, .hook = true } },
    { "a disarmed copy before the gate's own entry changes nothing",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"" HOOK "\"}," OWN_HOOK "]}}", NULL,
      false, { .seccomp = true } },
    { "another createRuntime hook does not count as the gate's",
      "{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/other\"}]}}", NULL, false,
      { .seccomp = true, .hook = true } },
    { "the gate's path at another stage does not count",
      "{" PROC "},\"hooks\":{\"prestart\":[{\"path\":\"" HOOK "\"}]}}", NULL, false,
      { .seccomp = true, .hook = true } },
  };

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      const plan_case_t *c = &cases[i];
      cleanup_policy confine_policy_t *p = policy (c->policy);
      cleanup_spec confine_spec_t *spec = spec_of (c->spec, NULL);
      confine_inject_host_t host = { .apparmor_default_usable = c->apparmor_usable };
      confine_inject_hook_t hook;
      confine_inject_plan_t got;

      confine_inject_hook_entry (p, "/p.json", &hook);
      confine_inject_plan (p, spec, &host, &hook, &got);
      CHECK (got.seccomp == c->want.seccomp && got.apparmor == c->want.apparmor
                 && got.no_new_privileges == c->want.no_new_privileges && got.hook == c->want.hook,
             c->name, "got seccomp=%d apparmor=%d nnp=%d hook=%d, want %d %d %d %d", got.seccomp,
             got.apparmor, got.no_new_privileges, got.hook, c->want.seccomp, c->want.apparmor,
             c->want.no_new_privileges, c->want.hook);
    }
}

/* The plan applied: every planned edit is in the text runc will read, and
 * the hook entry is exactly the one the plan compares against. */
static void
apply (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *profile = NULL;
  cleanup_free char *ptext = NULL;
  cleanup_free char *out = NULL;
  cleanup_policy confine_policy_t *p = NULL;
  cleanup_json confine_json_t *doc = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  cleanup_spec confine_spec_t *after = NULL;
  confine_inject_host_t host = { .apparmor_default_usable = true };
  confine_inject_hook_t hook;
  confine_inject_plan_t plan, again;
  size_t len = 0;
  int n;

  if (asprintf (&profile, "%s/seccomp.json", dir) < 0
      || asprintf (&ptext, "\"seccomp\":{\"default_profile\":\"%s\"},"
                           "\"inject\":{\"no_new_privileges\":true}",
                   profile)
             < 0)
    abort ();
  harness_write (profile, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
                          "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[{\"names\":[\"read\"],"
                          "\"action\":\"SCMP_ACT_ALLOW\"}]}");
  chmod (profile, 0644);
  p = policy (ptext);
  spec = spec_of ("{" PROC "},\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/other\"}]}}", &doc);
  confine_inject_hook_entry (p, "/p.json", &hook);
  confine_inject_plan (p, spec, &host, &hook, &plan);
  n = confine_inject_apply (p, spec, &plan, &hook, doc, &err);
  CHECK (n == 4, "apply makes the four planned edits", "%d: %s", n, err ? err->msg : "");
  if (n < 0 || confine_json_write (doc, false, &out, &len, &err) < 0
      || confine_spec_parse (out, len, &after, NULL, &err) < 0)
    {
      CHECK (false, "applied spec parses", "%s", err->msg);
      return;
    }
  CHECK (after->seccomp && after->seccomp->default_action
             && strcmp (after->seccomp->default_action, "SCMP_ACT_ERRNO") == 0,
         "apply installs the default profile", "%s", out);
  CHECK (after->process.apparmor_profile
             && strcmp (after->process.apparmor_profile, "confine-default") == 0,
         "apply sets the default AppArmor profile", "%s", out);
  CHECK (after->process.no_new_privileges, "apply sets noNewPrivileges", "%s", out);
  CHECK (strstr (out, "\"createRuntime\":[{\"path\":\"/bin/other\"}," OWN_HOOK "]") != NULL,
         "apply appends the hook entry after the spec's own", "%s", out);
  /* Idempotent: the applied spec needs nothing more. */
  confine_inject_plan (p, after, &host, &hook, &again);
  CHECK (!again.seccomp && !again.apparmor && !again.no_new_privileges && !again.hook,
         "an injected spec plans no further edits", "%d %d %d %d", again.seccomp, again.apparmor,
         again.no_new_privileges, again.hook);
}

static void
probe (void)
{
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *profiles = NULL;
  cleanup_free char *extra = NULL;
  static const struct
  {
    const char *listing; /* NULL: no AppArmor */
    bool usable;
    const char *name;
  } rows[] = {
    { "confine-default (enforce)\n", true, "probe: default profile loaded in enforce is usable" },
    { "confine-default (complain)\n", false, "probe: a complain-mode profile is not" },
    { "docker-default (enforce)\n", false, "probe: a profile that is not loaded is not" },
    { NULL, false, "probe: a host without AppArmor has none" },
  };

  if (asprintf (&profiles, "%s/apparmor/profiles", dir) < 0
      || asprintf (&extra, "\"securityfs\":\"%s\"", dir) < 0)
    abort ();
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_policy confine_policy_t *p = policy (extra);
      cleanup_spec confine_spec_t *spec = spec_of ("{" PROC "}}", NULL);
      confine_inject_host_t host;
      unlink (profiles);
      if (rows[i].listing)
        {
          cleanup_free char *sub = NULL;
          if (asprintf (&sub, "%s/apparmor", dir) < 0)
            abort ();
          mkdir (sub, 0755);
          harness_write (profiles, rows[i].listing);
        }
      confine_inject_probe (p, spec, &host);
      CHECK (host.apparmor_default_usable == rows[i].usable, rows[i].name, "got %d",
             host.apparmor_default_usable);
    }
}

void
run_tests (void)
{
  plan_table ();
  apply ();
  probe ();
}

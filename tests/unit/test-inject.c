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
#include "../../src/seccomp.h"
#include "../../base/utils.h"

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
  return harness_policy ("{%s}", extra ? extra : "");
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
  confine_changes_t changes = { 0 };
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
  n = confine_inject_apply (p, spec, &plan, &hook, doc, &changes, &err);
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
  CHECK (changes.n == 4 && strstr (changes.v[0], "linux.seccomp: the default profile")
             && strstr (changes.v[1], "process.apparmorProfile: `confine-default` injected")
             && strstr (changes.v[2], "process.noNewPrivileges")
             && strstr (changes.v[3], "hooks.createRuntime"),
         "apply says what it changed, one line per edit", "%zu: %s", changes.n,
         changes.n ? changes.v[0] : "");
  confine_strv_clear (&changes);
  /* Idempotent: the applied spec needs nothing more. */
  confine_inject_plan (p, after, &host, &hook, &again);
  CHECK (!again.seccomp && !again.apparmor && !again.no_new_privileges && !again.hook,
         "an injected spec plans no further edits", "%d %d %d %d", again.seccomp, again.apparmor,
         again.no_new_privileges, again.hook);
}

/* devices.strip: the rules it covers are taken out, in place, and nothing
 * else; a wildcard rule is not covered by a single device's entry (the
 * devices rule refuses it). */
static void
strip_devices (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *out = NULL;
  cleanup_policy confine_policy_t *p = policy ("\"inject\":{\"seccomp\":false,\"apparmor\":false,"
                                               "\"hook\":false}");
  cleanup_policy confine_policy_t *none = policy ("\"devices\":{\"strip\":[]}");
  cleanup_json confine_json_t *doc = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  cleanup_spec confine_spec_t *after = NULL;
  confine_inject_host_t host = { 0 };
  confine_inject_hook_t hook = { 0 };
  confine_inject_plan_t plan, off;
  confine_changes_t changes = { 0 };
  size_t len = 0;
  int n;

  spec = spec_of ("{" PROC "},\"linux\":{\"resources\":{\"devices\":["
                  "{\"allow\":false,\"access\":\"rwm\"},"
                  "{\"allow\":true,\"type\":\"c\",\"major\":5,\"minor\":1,\"access\":\"rwm\"},"
                  "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
                  "{\"allow\":true,\"type\":\"c\",\"major\":5,\"access\":\"rw\"},"
                  "{\"allow\":true,\"type\":\"c\",\"major\":5,\"minor\":1,\"access\":\"r\"},"
                  "{\"allow\":false,\"type\":\"c\",\"major\":5,\"minor\":1,\"access\":\"rwm\"}]}}}",
                  &doc);
  confine_inject_plan (none, spec, &host, &hook, &off);
  CHECK (off.devices == 0, "an empty devices.strip takes nothing out", "%zu", off.devices);
  confine_inject_plan (p, spec, &host, &hook, &plan);
  CHECK (plan.devices == 2, "the console's allow rules are planned out, not the wildcard or a deny",
         "%zu", plan.devices);
  n = confine_inject_apply (p, spec, &plan, &hook, doc, &changes, &err);
  CHECK (n == 2 && changes.n == 1 && strstr (changes.v[0], "2 allow rules removed"),
         "apply takes out the console's two allow rules and says so", "%d: %s", n,
         n < 0 ? err->msg : changes.n ? changes.v[0] : "");
  if (n < 0 || confine_json_write (doc, false, &out, &len, &err) < 0
      || confine_spec_parse (out, len, &after, NULL, &err) < 0)
    {
      CHECK (false, "the stripped spec parses", "%s", err->msg);
      confine_strv_clear (&changes);
      return;
    }
  CHECK (after->n_device_rules == 4 && !after->device_rules[0].allow
             && after->device_rules[1].major == 1 && !after->device_rules[2].has_minor
             && !after->device_rules[3].allow && after->device_rules[3].minor == 1,
         "the other rules stay, in order", "%s", out);
  confine_strv_clear (&changes);
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

/* ---- repair ---- */

typedef struct
{
  const char *name;
  const char *seccomp; /* linux.seccomp */
  const char *leaks[4];
  bool clone_ns;
  const char *strip; /* space-separated */
  const char *eperm;
  bool clone3_enosys;
  confine_clone_fix_t clone;
  bool unrepaired;
} repair_case_t;

static void
joined (const char **v, char *buf, size_t n)
{
  buf[0] = '\0';
  for (; v && *v; v++)
    {
      size_t l = strlen (buf);
      snprintf (buf + l, n - l, "%s%s", l ? " " : "", *v);
    }
}

static void
repair_table (void)
{
#define ALLOW_ALL(extra) "{\"names\":[\"read\",\"mount\",\"keyctl\",\"clone\",\"clone3\"]," \
                         "\"action\":\"SCMP_ACT_ALLOW\"" extra "}"
  static const repair_case_t cases[] = {
    { "podman-like: default ENOSYS denies, so leaks are only taken out",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"syscalls\":[" ALLOW_ALL ("") "]}",
      { "mount", "keyctl", "clone3" }, true, "mount keyctl clone3 clone", "", false,
      CONFINE_CLONE_ALLOW_WITHOUT_NEW, false },
    { "docker-like: default EPERM, clone3 gets ENOSYS so the C library falls back to clone",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" ALLOW_ALL ("") "]}",
      { "mount", "clone3" }, true, "mount clone3 clone", "", true,
      CONFINE_CLONE_ALLOW_WITHOUT_NEW, false },
    { "default allow: leaks get an EPERM rule, namespace clones a denial",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", { "mount", "keyctl", "clone3" }, true,
      "mount keyctl clone3 clone", "mount keyctl", true, CONFINE_CLONE_DENY_NEW, false },
    { "default log lets calls through, like allow",
      "{\"defaultAction\":\"SCMP_ACT_LOG\"}", { "unshare" }, false, "unshare", "unshare", false,
      CONFINE_CLONE_KEEP, false },
    { "default kill denies: taking the leak out is enough",
      "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[" ALLOW_ALL ("") "]}",
      { "setns" }, false, "setns", "", false, CONFINE_CLONE_KEEP, false },
    { "a conditional clone rule is not rewritten; the rule refuses",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],\"action\":"
      "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_GE\"}]}]}",
      { NULL }, true, "", "", false, CONFINE_CLONE_KEEP, true },
    { "nothing leaks, nothing changes", "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", { NULL }, false,
      "", "", false, CONFINE_CLONE_KEEP, false },
  };
#undef ALLOW_ALL

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      const repair_case_t *c = &cases[i];
      cleanup_free char *text = NULL;
      cleanup_spec confine_spec_t *spec = NULL;
      char *names[5] = { NULL };
      confine_seccomp_leaks_t leaks = { .names = names, .clone_ns = c->clone_ns };
      confine_seccomp_repair_t r = { 0 };
      char strip[256], eperm[256];

      for (size_t k = 0; k < 4 && c->leaks[k]; k++)
        names[k] = (char *) c->leaks[k];
      if (asprintf (&text, "{" PROC "},\"linux\":{\"seccomp\":%s}}", c->seccomp) < 0)
        abort ();
      spec = spec_of (text, NULL);
      confine_inject_seccomp_plan (spec->seccomp, &leaks, &r);
      joined (r.strip, strip, sizeof (strip));
      joined (r.eperm, eperm, sizeof (eperm));
      CHECK (strcmp (strip, c->strip) == 0 && strcmp (eperm, c->eperm) == 0
                 && r.clone3_enosys == c->clone3_enosys && r.clone == c->clone
                 && (r.unrepaired != NULL) == c->unrepaired,
             c->name, "strip `%s` eperm `%s` clone3 %d clone %d unrepaired %s", strip, eperm,
             r.clone3_enosys, r.clone, r.unrepaired ? r.unrepaired : "-");
      confine_seccomp_repair_clear (&r);
    }
}

/* seccomp.block_device_nodes: mknod and mknodat taken out and allowed
 * (or denied) by file type only where every rule naming them allows
 * them without conditions. */
static void
device_repair_table (void)
{
  static const struct
  {
    const char *name, *seccomp, *strip;
    bool mknod, mknodat, allow_others, unrepaired;
  } cases[] = {
    { "docker-like: default EPERM, the other file types are allowed",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"mknod\","
      "\"mknodat\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "mknod mknodat", true, true, true, false },
    { "default allow: the device types are denied",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "mknod mknodat", true, true, false, false },
    { "a conditional mknod rule is not rewritten; the rule refuses",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mknod\"],\"action\":"
      "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_GE\"}]},"
      "{\"names\":[\"mknodat\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "mknodat", false, true, true, true },
    { "a mknod rule with another action (LOG) is not rewritten",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mknod\",\"mknodat\"],"
      "\"action\":\"SCMP_ACT_LOG\"}]}", "", false, false, false, true },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_free char *text = NULL;
      cleanup_spec confine_spec_t *spec = NULL;
      char *names[1] = { NULL };
      confine_seccomp_leaks_t leaks = { .names = names, .device_nodes = { true, true } };
      confine_seccomp_repair_t r = { 0 };
      char strip[256];
      bool ok;

      if (asprintf (&text, "{" PROC "},\"linux\":{\"seccomp\":%s}}", cases[i].seccomp) < 0)
        abort ();
      spec = spec_of (text, NULL);
      confine_inject_seccomp_plan (spec->seccomp, &leaks, &r);
      joined (r.strip, strip, sizeof (strip));
      ok = strcmp (strip, cases[i].strip) == 0 && (r.unrepaired != NULL) == cases[i].unrepaired
           && r.eperm[0] == NULL && r.clone == CONFINE_CLONE_KEEP
           && r.device_nodes[0] == cases[i].mknod && r.device_nodes[1] == cases[i].mknodat
           && r.device_allow_others == cases[i].allow_others;
      CHECK (ok, cases[i].name, "strip `%s` devices %d %d allow_others %d unrepaired %s", strip,
             r.device_nodes[0], r.device_nodes[1], r.device_allow_others,
             r.unrepaired ? r.unrepaired : "-");
      confine_seccomp_repair_clear (&r);
    }

  /* Read back from the report; a must_block mknod is denied for every
   * mode by its own repair, so no file type is allowed back. */
  {
    cleanup_policy confine_policy_t *p = policy (NULL);
    cleanup_policy confine_policy_t *mb = policy ("\"seccomp\":{\"must_block\":[\"mknod\"]}");
    char *reported[] = { "mknod of a device node (x86)", "mknodat of a device node", NULL };
    char *both[] = { "mknod", "mknod of a device node", "mknodat of a device node", NULL };
    confine_seccomp_leaks_t l = { 0 };
    confine_inject_seccomp_leaks (p, reported, &l);
    CHECK (l.device_nodes[0] && l.device_nodes[1] && l.names[0] == NULL,
           "device-node leaks read from the report, one ABI or all", "%d %d", l.device_nodes[0],
           l.device_nodes[1]);
    confine_seccomp_leaks_clear (&l);
    confine_inject_seccomp_leaks (mb, both, &l);
    CHECK (!l.device_nodes[0] && l.device_nodes[1] && l.names[0] && strcmp (l.names[0], "mknod") == 0,
           "a must_block mknod is denied outright, not allowed back by file type", "%d %d",
           l.device_nodes[0], l.device_nodes[1]);
    confine_seccomp_leaks_clear (&l);
  }
}

/* The rule's report read back into syscalls, label by label. */
static void
leaks_from_report (void)
{
  cleanup_policy confine_policy_t *p = policy (NULL);
  char *reported[] = { "mount_setattr", "keyctl (x86)", "clone3",
                       "clone with CLONE_NEW* flags (x86_64)", "unshare", NULL };
  confine_seccomp_leaks_t l = { 0 };
  char got[256];

  confine_inject_seccomp_leaks (p, reported, &l);
  joined ((const char **) l.names, got, sizeof (got));
  /* Policy order; `mount_setattr` is not `mount`. */
  CHECK (strcmp (got, "keyctl unshare mount_setattr clone3") == 0 && l.clone_ns,
         "leaks read from the rule's report, one ABI or all, prefixes not confused", "%s clone %d",
         got, l.clone_ns);
  confine_seccomp_leaks_clear (&l);
}

static bool
blocks (unsigned classes)
{
  return classes != 0 && (classes & ~(unsigned) CONFINE_BPF_BLOCKING) == 0;
}

/* A real filter repaired, then judged on the BPF libseccomp builds: no
 * must_block syscall gets through but LEFT (what no repair can block),
 * nothing it blocked is let through on any ABI, and clone without
 * namespace flags works as before. XATTR_RULE, where not NULL, is the
 * EOPNOTSUPP denial the repaired spec must carry. */
static void
repaired (const char *label, const char *text, bool expect_changes, const char *expect_left,
          const char *xattr_rule)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *p = policy (NULL);
  cleanup_json confine_json_t *doc = NULL;
  cleanup_spec confine_spec_t *spec = spec_of (text, &doc);
  cleanup_spec confine_spec_t *after = NULL;
  cleanup_free char *out = NULL;
  cleanup_strv char **left = NULL;
  cleanup_strv char **reported = NULL;
  cleanup_bpf confine_bpf_t before_prog = { 0 };
  cleanup_bpf confine_bpf_t after_prog = { 0 };
  confine_seccomp_leaks_t leaks = { 0 };
  confine_seccomp_repair_t r = { 0 };
  confine_changes_t changes = { 0 };
  char name[256];
  size_t len = 0, widened = 0;
  int edits = -1;
  bool clone_ok = true, fifo_ok = true, mode_ok = true;

  /* The leaks as the seccomp rule reports them. */
  if (confine_seccomp_compile (spec->seccomp, &before_prog, &err) == 0
      && confine_seccomp_unblocked (&before_prog, p->must_block, true, true, true, &reported, &err) == 0)
    {
      confine_inject_seccomp_leaks (p, reported, &leaks);
      confine_inject_seccomp_plan (spec->seccomp, &leaks, &r);
      edits = confine_inject_seccomp_repair (&r, doc, &changes, &err);
    }
  confine_seccomp_repair_clear (&r);
  confine_seccomp_leaks_clear (&leaks);
  snprintf (name, sizeof (name), "%s: repaired, %s", label,
            expect_changes ? "with a change logged" : "nothing to change");
  CHECK (edits >= 0 && (edits > 0) == expect_changes && (changes.n > 0) == expect_changes, name,
         "%d edits, %zu changes: %s", edits, changes.n, err ? err->msg : "");
  confine_strv_clear (&changes);
  if (edits < 0 || confine_json_write (doc, false, &out, &len, &err) < 0
      || confine_spec_parse (out, len, &after, NULL, &err) < 0
      || confine_seccomp_compile (after->seccomp, &after_prog, &err) < 0
      || confine_seccomp_unblocked (&after_prog, p->must_block, true, true, true, &left, &err) < 0)
    {
      CHECK (false, label, "%s", err ? err->msg : "repair failed");
      return;
    }
  snprintf (name, sizeof (name),
            "%s: the repaired filter blocks every must_block syscall, device-node mknod and "
            "setuid modes",
            label);
  CHECK (expect_left ? left[0] && strcmp (left[0], expect_left) == 0 && left[1] == NULL
                     : left[0] == NULL,
         name, "still lets through %s", left[0] ? left[0] : "nothing");
  if (xattr_rule)
    {
      snprintf (name, sizeof (name), "%s: setxattr and its kin denied with EOPNOTSUPP", label);
      CHECK (strstr (out, xattr_rule) != NULL, name, "no `%s` in %s", xattr_rule, out);
    }

  for (const confine_abi_t *abi = confine_host_abis (); abi->name; abi++)
    {
      uint32_t base = abi->scmp_arch == SCMP_ARCH_X32 ? 0x40000000u : 0;
      int clone_nr = seccomp_syscall_resolve_name_arch (abi->scmp_arch, "clone");
      int mknod_nr = seccomp_syscall_resolve_name_arch (abi->scmp_arch, "mknod");
      for (uint32_t nr = base; nr < base + 600; nr++)
        {
          unsigned b = 0, a = 0;
          if (confine_bpf_reachable (&before_prog, abi->audit_arch, nr, &b, &err) < 0
              || confine_bpf_reachable (&after_prog, abi->audit_arch, nr, &a, &err) < 0)
            abort ();
          if (blocks (b) && !blocks (a))
            widened++;
        }
      if (clone_nr >= 0)
        {
          /* SIGCHLD, as fork(3) calls it; the other arguments anything. */
          confine_bpf_args_t args = { .set = { 17 }, .clear = { ~(uint64_t) 17 } };
          unsigned b = 0, a = 0;
          if (confine_bpf_reachable_args (&before_prog, abi->audit_arch, (uint32_t) clone_nr,
                                          &args, &b, &err)
                  < 0
              || confine_bpf_reachable_args (&after_prog, abi->audit_arch, (uint32_t) clone_nr,
                                             &args, &a, &err)
                     < 0)
            abort ();
          if ((b & CONFINE_BPF_ALLOW) && !(a & CONFINE_BPF_ALLOW))
            clone_ok = false;
        }
      /* chmod(path, 0644) and openat(dfd, path, flags, 0): ordinary
       * modes, which seccomp.block_setid_files leaves alone. */
      for (size_t k = 0; k < 2; k++)
        {
          static const struct
          {
            const char *name;
            unsigned index, mode;
          } ordinary[2] = { { "chmod", 1, 0644 }, { "openat", 3, 0 } };
          int nr = seccomp_syscall_resolve_name_arch (abi->scmp_arch, ordinary[k].name);
          confine_bpf_args_t args = { 0 };
          unsigned b = 0, a = 0;
          if (nr < 0)
            continue;
          args.set[ordinary[k].index] = ordinary[k].mode;
          args.clear[ordinary[k].index] = ~(uint64_t) ordinary[k].mode;
          if (confine_bpf_reachable_args (&before_prog, abi->audit_arch, (uint32_t) nr, &args, &b,
                                          &err)
                  < 0
              || confine_bpf_reachable_args (&after_prog, abi->audit_arch, (uint32_t) nr, &args,
                                             &a, &err)
                     < 0)
            abort ();
          if ((b & CONFINE_BPF_ALLOW) && a != CONFINE_BPF_ALLOW)
            mode_ok = false;
        }
      if (mknod_nr >= 0)
        {
          /* mkfifo(3): S_IFIFO|0644, every other argument anything. */
          confine_bpf_args_t args = { .set = { 0, S_IFIFO | 0644 },
                                      .clear = { 0, ~(uint64_t) (S_IFIFO | 0644) } };
          unsigned b = 0, a = 0;
          if (confine_bpf_reachable_args (&before_prog, abi->audit_arch, (uint32_t) mknod_nr,
                                          &args, &b, &err)
                  < 0
              || confine_bpf_reachable_args (&after_prog, abi->audit_arch, (uint32_t) mknod_nr,
                                             &args, &a, &err)
                     < 0)
            abort ();
          if ((b & CONFINE_BPF_ALLOW) && a != CONFINE_BPF_ALLOW)
            fifo_ok = false;
        }
    }
  snprintf (name, sizeof (name), "%s: nothing the filter blocked is let through", label);
  CHECK (widened == 0, name, "%zu syscalls widened", widened);
  snprintf (name, sizeof (name), "%s: clone without namespace flags still allowed", label);
  CHECK (clone_ok, name, "clone(SIGCHLD) no longer allowed");
  snprintf (name, sizeof (name), "%s: mknod of a FIFO still allowed", label);
  CHECK (fifo_ok, name, "mknod(S_IFIFO) no longer allowed");
  snprintf (name, sizeof (name), "%s: chmod 0644 and openat with mode 0 still allowed", label);
  CHECK (mode_ok, name, "an ordinary mode is no longer allowed");
}

/* seccomp.block_setid_files: the calls judged by their mode taken out and
 * allowed only without S_ISUID and S_ISGID (or denied with either) where
 * every rule naming them allows them without conditions; openat2 and
 * io_uring denied with ENOSYS, setxattr with EOPNOTSUPP. */
static void
setid_repair_table (void)
{
  static const struct
  {
    const char *name, *seccomp, *strip, *enosys, *eopnotsupp;
    bool allow, unrepaired;
  } cases[] = {
    { "docker-like: default EPERM, allowed without 06000",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"chmod\","
      "\"openat2\",\"setxattr\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "openat2 setxattr chmod",
      "openat2", "setxattr", true, false },
    { "default allow: denied with either bit",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}", "openat2 setxattr chmod", "openat2", "setxattr",
      false, false },
    { "default ENOSYS: openat2 needs no rule of its own, setxattr does",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"syscalls\":[{\"names\":"
      "[\"chmod\",\"openat2\",\"setxattr\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
      "openat2 setxattr chmod", "", "setxattr", true, false },
    { "default EOPNOTSUPP: setxattr needs no rule of its own, openat2 does",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":95,\"syscalls\":[{\"names\":"
      "[\"chmod\",\"openat2\",\"setxattr\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
      "openat2 setxattr chmod", "openat2", "", true, false },
    { "a conditional chmod rule is not rewritten; the rule refuses",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"chmod\"],\"action\":"
      "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_GE\"}]}]}",
      "openat2 setxattr", "openat2", "setxattr", false, true },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_free char *text = NULL;
      cleanup_spec confine_spec_t *spec = NULL;
      char *names[3] = { (char *) "openat2", (char *) "setxattr", NULL };
      confine_seccomp_leaks_t leaks = { .names = names, .setid = { true } };
      confine_seccomp_repair_t r = { 0 };
      char strip[256] = "", enosys[256] = "", eopnotsupp[256] = "";
      bool ok;

      /* openat2 and setxattr: rows 0 and 4 of confine_seccomp_setid_denied */
      leaks.setid_denied[0] = leaks.setid_denied[4] = true;
      if (asprintf (&text, "{" PROC "},\"linux\":{\"seccomp\":%s}}", cases[i].seccomp) < 0)
        abort ();
      spec = spec_of (text, NULL);
      confine_inject_seccomp_plan (spec->seccomp, &leaks, &r);
      for (const char **s = r.strip; *s; s++)
        snprintf (strip + strlen (strip), sizeof (strip) - strlen (strip), "%s%s",
                  s == r.strip ? "" : " ", *s);
      for (const char **s = r.enosys; *s; s++)
        snprintf (enosys + strlen (enosys), sizeof (enosys) - strlen (enosys), "%s%s",
                  s == r.enosys ? "" : " ", *s);
      for (const char **s = r.eopnotsupp; *s; s++)
        snprintf (eopnotsupp + strlen (eopnotsupp), sizeof (eopnotsupp) - strlen (eopnotsupp),
                  "%s%s", s == r.eopnotsupp ? "" : " ", *s);
      ok = strcmp (strip, cases[i].strip) == 0 && strcmp (enosys, cases[i].enosys) == 0
           && strcmp (eopnotsupp, cases[i].eopnotsupp) == 0
           && r.setid[0] == !cases[i].unrepaired && (cases[i].unrepaired || r.setid_allow == cases[i].allow)
           && (r.unrepaired != NULL) == cases[i].unrepaired;
      CHECK (ok, cases[i].name,
             "strip `%s`, enosys `%s`, eopnotsupp `%s`, chmod %d allow %d, unrepaired %s", strip,
             enosys, eopnotsupp, r.setid[0], r.setid_allow, r.unrepaired ? r.unrepaired : "-");
      confine_seccomp_repair_clear (&r);
    }
}

#define XATTR_RULE                                                                             \
  "{\"names\":[\"setxattr\",\"lsetxattr\",\"fsetxattr\"],\"action\":\"SCMP_ACT_ERRNO\","        \
  "\"errnoRet\":95}"

static void
repair_real_filters (void)
{
  static const struct
  {
    const char *label;
    const char *path;
    bool changes;
    const char *left, *xattr_rule;
  } rows[] = {
    { "Podman's default filter", "tests/fixtures/podman/default.json", true, NULL, XATTR_RULE },
    { "Docker's filter with CAP_SYS_ADMIN", "tests/fixtures/docker/cap-add-sys-admin.json", true,
      NULL, XATTR_RULE },
    /* setxattrat (463): libseccomp 2.5.4 has no name for it, runc skips
     * a rule naming it and adds no ENOSYS stub where the default allows:
     * left for the rule to refuse. */
    { "a default-allow profile", "tests/fixtures/docker/weak-seccomp.json", true, "setxattrat",
      NULL },
    /* mknod of any type: seccomp.block_device_nodes */
    { "Docker's default filter", "tests/fixtures/docker/default.json", true, NULL, XATTR_RULE },
  };
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      size_t len = 0;
      cleanup_free char *text = harness_read (rows[i].path, &len);
      repaired (rows[i].label, text, rows[i].changes, rows[i].left, rows[i].xattr_rule);
    }
}

void
run_tests (void)
{
  plan_table ();
  apply ();
  strip_devices ();
  probe ();
  repair_table ();
  device_repair_table ();
  setid_repair_table ();
  leaks_from_report ();
  repair_real_filters ();
}

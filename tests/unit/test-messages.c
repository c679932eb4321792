/* SPDX-License-Identifier: Apache-2.0 */
/* What a refusal says: one line an operator can act on. Each capability
 * once with the sets it is in, and each seccomp leak under the policy key
 * that really governs it. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static char *dir;

static confine_policy_t *
policy (void)
{
  /* Setuid modes count only beside a writable bind here (none of these
   * specs has one): each message cites the keys of its own leaks. */
  return harness_policy ("{\"apparmor\":{\"when_unavailable\":\"skip\"},\"securityfs\":\"%s\","
                         "\"cache_dir\":\"%s/cache\","
                         "\"seccomp\":{\"setid_scope\":\"writable_binds\"}}",
                         dir, dir);
}

/* Judge SPEC; *SUMMARY is the one line the gate prints. */
static void
judge (const confine_policy_t *p, const confine_spec_t *spec, confine_verdict_t *v,
       char **summary)
{
  cleanup_error confine_error_t err = NULL;
  confine_context_t ctx = { .policy = p, .id = "c1" };
  confine_evaluate_spec (&ctx, spec, v);
  if (confine_verdict_summary (v, summary, &err) < 0)
    {
      printf ("FAIL evaluate: %s\n", err->msg);
      exit (1);
    }
}

static size_t
count (const char *hay, const char *needle)
{
  size_t n = 0;
  for (const char *s = hay; (s = strstr (s, needle)) != NULL; s += strlen (needle))
    n++;
  return n;
}

static void
capabilities (const confine_policy_t *p)
{
  static const char *const sets
      = "(each in bounding, effective, permitted)";
  confine_spec_t *priv = harness_docker_fixture ("privileged");
  confine_spec_t *admin = harness_docker_fixture ("cap-add-sys-admin");
  confine_verdict_t v = { 0 };
  char *s = NULL;
  const char *fact;
  bool once = true;

  judge (p, priv, &v, &s);
  fact = v.results[CONFINE_RULE_CAPABILITIES].fact;
  /* Docker's --privileged puts every capability in three sets: each
   * forbidden one is named once, and the sets once for all of them. */
  for (char **c = p->caps_forbidden; *c; c++)
    if (strstr (fact, *c) && count (s, *c) != 1)
      once = false;
  CHECK (once && count (s, "CAP_SYS_ADMIN") == 1 && count (s, "bounding") == 1,
         "--privileged names each capability once", "%s", s);
  CHECK (strstr (fact, sets) != NULL, "--privileged names the sets once", "%s", fact);
  CHECK (strcmp (v.results[CONFINE_RULE_CAPABILITIES].policy_key, "capabilities.forbidden") == 0,
         "a forbidden capability cites capabilities.forbidden", "%s",
         v.results[CONFINE_RULE_CAPABILITIES].policy_key);
  confine_verdict_clear (&v);
  free (s);

  judge (p, admin, &v, &s);
  CHECK (strstr (s, "capabilities: CAP_SYS_ADMIN (bounding, effective, permitted) (policy "
                    "capabilities.forbidden)") != NULL,
         "--cap-add SYS_ADMIN: one capability with its sets", "%s", s);
  confine_verdict_clear (&v);
  free (s);

  /* A name runc does not know is runc's refusal, not the policy's. */
  free (admin->process.caps.names[CONFINE_CAP_EFFECTIVE][0]);
  admin->process.caps.names[CONFINE_CAP_EFFECTIVE][0] = strdup ("CAP_WIZARDRY");
  judge (p, admin, &v, &s);
  CHECK (strstr (s, "unknown to runc: CAP_WIZARDRY (effective)") != NULL,
         "an unknown capability is named with its set", "%s", s);
  confine_verdict_clear (&v);
  free (s);
  confine_spec_free (priv);
  confine_spec_free (admin);
}

/* A spec from the default fixture with FILTER as its linux.seccomp. */
static confine_spec_t *
with_filter (const char *filter)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *text = NULL;
  confine_spec_t *spec = NULL;
  if (asprintf (&text, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"true\"],\"cwd\":\"/\"},"
                       "\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"pid\"},"
                       "{\"type\":\"ipc\"},{\"type\":\"network\"},{\"type\":\"mount\"}],"
                       "\"seccomp\":%s}}", filter) < 0
      || confine_spec_parse (text, strlen (text), &spec, NULL, &err) < 0)
    {
      printf ("FAIL spec: %s\n", err ? err->msg : "oom");
      exit (1);
    }
  return spec;
}

static void
seccomp_keys (const confine_policy_t *p)
{
  /* Denies everything but clone and clone3: only namespace creation leaks. */
  confine_spec_t *clone = with_filter (
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"clone\",\"clone3\"],"
      "\"action\":\"SCMP_ACT_ALLOW\"}]}");
  /* ... and also mount. */
  confine_spec_t *both = with_filter (
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"clone\",\"clone3\","
      "\"mount\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
  /* Only mknod of every type and clone. */
  confine_spec_t *three = with_filter (
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"clone\",\"clone3\","
      "\"mknod\",\"mknodat\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
  confine_verdict_t v = { 0 };
  char *s = NULL;

  judge (p, three, &v, &s);
  /* Its writable root (`rootfs`, the bundle unknown) counts for
   * seccomp.block_setid_files too. */
  CHECK (strstr (s, "filter allows clone3, clone with CLONE_NEW* flags and mknod of a device "
                    "node, mknodat of a device node") != NULL
             && strstr (s, "(policy seccomp.block_namespace_clone, seccomp.block_device_nodes")
                    != NULL,
         "namespace-clone and device-node leaks cite both keys", "%s", s);
  confine_verdict_clear (&v);
  free (s);
  confine_spec_free (three);

  /* i386's umount, a must_block syscall only that ABI has: the ABIs the
   * report names do not hide the key that governs it. */
  {
    confine_spec_t *umount = with_filter (
        "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
        "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"umount\"],"
        "\"action\":\"SCMP_ACT_ALLOW\"}]}");
    judge (p, umount, &v, &s);
    CHECK (strstr (s, "filter allows umount (x86) (policy seccomp.must_block)") != NULL,
           "a must_block leak on one ABI cites seccomp.must_block", "%s", s);
    confine_verdict_clear (&v);
    free (s);
    confine_spec_free (umount);
  }

  judge (p, clone, &v, &s);
  CHECK (strstr (s, "seccomp: filter allows clone3, clone with CLONE_NEW* flags (policy "
                    "seccomp.block_namespace_clone)") != NULL,
         "a namespace-clone leak cites seccomp.block_namespace_clone", "%s", s);
  confine_verdict_clear (&v);
  free (s);

  judge (p, both, &v, &s);
  CHECK (strstr (s, "filter allows mount and clone3, clone with CLONE_NEW* flags (policy "
                    "seccomp.must_block, seccomp.block_namespace_clone)") != NULL,
         "must_block and namespace-clone leaks cite both keys", "%s", s);
  confine_verdict_clear (&v);
  free (s);
  confine_spec_free (clone);
  confine_spec_free (both);
}

void
run_tests (void)
{
  confine_policy_t *p;
  dir = harness_tmpdir ();
  p = policy ();
  capabilities (p);
  seccomp_keys (p);
  confine_policy_free (p);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The namespaces rule's judgement of sysctls, one row per case: a sysctl
 * passes only in a namespace of the container's own. */
#define _GNU_SOURCE
#include <string.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static const struct
{
  const char *name;
  const char *key;
  const char *extra_ns;   /* a namespace beside pid, ipc, network, mount, or NULL */
  const char *extra_path; /* its path, or NULL for a new one */
  confine_result_kind_t want;
  const char *fact;
} cases[] = {
  { "no-sysctl", NULL, NULL, NULL, CONFINE_RESULT_PASS, "own namespaces" },
  { "net-in-own-netns", "net.ipv4.ip_forward", NULL, NULL, CONFINE_RESULT_PASS, "own namespaces" },
  { "ipc-in-own-ipcns", "kernel.shmmax", NULL, NULL, CONFINE_RESULT_PASS, "own namespaces" },
  { "mqueue", "fs.mqueue.msg_max", NULL, NULL, CONFINE_RESULT_PASS, "own namespaces" },
  { "slash-form", "net/ipv4/ip_forward", NULL, NULL, CONFINE_RESULT_PASS, "own namespaces" },
  { "host-kernel", "kernel.core_pattern", NULL, NULL, CONFINE_RESULT_FAIL, "host's kernel" },
  { "host-kernel-slash-form", "kernel/core_pattern", NULL, NULL, CONFINE_RESULT_FAIL, "host's kernel" },
  { "vm", "vm.overcommit_memory", NULL, NULL, CONFINE_RESULT_FAIL, "host's kernel" },
  { "domainname-without-uts", "kernel.domainname", NULL, NULL, CONFINE_RESULT_FAIL, "host's uts" },
  { "domainname-with-uts", "kernel.domainname", "uts", NULL, CONFINE_RESULT_PASS, "own namespaces" },
  /* Refused for the path itself, whatever the sysctls: a joined
   * namespace of any type may not be the host's. */
  { "domainname-host-uts-path", "kernel.domainname", "uts", "/proc/self/ns/uts",
    CONFINE_RESULT_FAIL, "uts namespace path `/proc/self/ns/uts` is the host's own namespace" },
  { "hostname", "kernel.hostname", "uts", NULL, CONFINE_RESULT_FAIL, "host's kernel" },
};

void
run_tests (void)
{
  confine_policy_t *policy = harness_policy ("{}");

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      confine_namespace_t ns[5] = { { (char *) "pid", NULL },
                                    { (char *) "ipc", NULL },
                                    { (char *) "network", NULL },
                                    { (char *) "mount", NULL },
                                    { (char *) cases[i].extra_ns, (char *) cases[i].extra_path } };
      confine_sysctl_t sysctl = { (char *) cases[i].key, (char *) "1" };
      confine_spec_t spec = { .namespaces = ns, .n_namespaces = cases[i].extra_ns ? 5 : 4,
                              .sysctls = &sysctl, .n_sysctls = cases[i].key ? 1 : 0 };
      confine_context_t ctx = { .policy = policy };
      confine_subject_t s = { &spec, &spec.process };
      harness_rule_case (cases[i].name, confine_rule_namespaces, &ctx, &s, cases[i].want,
                         cases[i].fact);
    }
  confine_policy_free (policy);
}

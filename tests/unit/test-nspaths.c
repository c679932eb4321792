/* SPDX-License-Identifier: Apache-2.0 */
/* Namespace paths, one row per case: a path of any type is followed as
 * runc's open will, must be a namespace, and may not be the host's own.
 * `%` in a row is a child process in network and UTS namespaces of its
 * own (another "container"); `@` is the test's bundle directory. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static const struct
{
  const char *name;
  const char *type;
  const char *path;
  confine_result_kind_t want;
  const char *fact;
} cases[] = {
  { "another container's network namespace passes", "network", "/proc/%/ns/net",
    CONFINE_RESULT_PASS, "own namespaces" },
  { "another container's UTS namespace passes", "uts", "/proc/%/ns/uts", CONFINE_RESULT_PASS,
    "own namespaces" },
  { "a link to another container's namespace passes", "network", "@/theirs-net",
    CONFINE_RESULT_PASS, "own namespaces" },
  { "the host's network namespace is refused", "network", "/proc/self/ns/net",
    CONFINE_RESULT_FAIL, "network namespace path `/proc/self/ns/net` is the host's own namespace" },
  { "the host's UTS namespace is refused, though not required", "uts", "/proc/self/ns/uts",
    CONFINE_RESULT_FAIL, "uts namespace path `/proc/self/ns/uts` is the host's own namespace" },
  { "the host's user namespace is refused", "user", "/proc/self/ns/user", CONFINE_RESULT_FAIL,
    "is the host's own namespace" },
  { "the host's cgroup namespace is refused", "cgroup", "/proc/self/ns/cgroup",
    CONFINE_RESULT_FAIL, "is the host's own namespace" },
  { "a relative link to the host's namespace is refused", "network", "host-net",
    CONFINE_RESULT_FAIL, "is the host's own namespace" },
  { "a file that is not a namespace is refused", "network", "@/plain", CONFINE_RESULT_FAIL,
    "network namespace path `@/plain` is not a namespace" },
  { "a missing path is refused", "network", "@/missing", CONFINE_RESULT_FAIL,
    "cannot inspect the namespace path" },
  { "a path of an unknown type is refused", "wizard", "/proc/%/ns/net", CONFINE_RESULT_FAIL,
    "of unknown type `wizard`" },
};

static char *bundle;
static pid_t child;

/* S with `@` the bundle and `%` the child's pid. */
static char *
subst (const char *s)
{
  char pid[16];
  char *with_bundle = harness_replace (s, '@', bundle), *out;
  snprintf (pid, sizeof (pid), "%d", (int) child);
  out = harness_replace (with_bundle, '%', pid);
  free (with_bundle);
  return out;
}

void
run_tests (void)
{
  confine_policy_t *policy = harness_policy ("{}");
  int pipefd[2];
  char c;

  if (pipe (pipefd) < 0)
    abort ();
  child = fork ();
  if (child == 0)
    {
      if (unshare (CLONE_NEWNET | CLONE_NEWUTS) < 0 || write (pipefd[1], "x", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (pipefd[1]);
  if (read (pipefd[0], &c, 1) != 1)
    abort ();
  bundle = harness_tmpdir ();
  {
    char *cmd = subst ("cd @ && ln -s /proc/%/ns/net theirs-net && ln -s /proc/self/ns/net "
                       "host-net && : > plain");
    if (system (cmd) != 0)
      abort ();
    free (cmd);
  }

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      char *path = subst (cases[i].path);
      char *fact = subst (cases[i].fact);
      confine_namespace_t ns[5] = { { (char *) "pid", NULL },
                                    { (char *) "ipc", NULL },
                                    { (char *) "network", NULL },
                                    { (char *) "mount", NULL },
                                    { NULL, NULL } };
      confine_spec_t spec = { .namespaces = ns, .n_namespaces = 5 };
      confine_context_t ctx = { .policy = policy, .bundle = bundle };
      confine_subject_t s = { &spec, &spec.process };

      /* The row's namespace replaces the new one of its type, or comes
       * fifth. */
      ns[strcmp (cases[i].type, "network") == 0 ? 2 : 4]
          = (confine_namespace_t){ (char *) cases[i].type, path };
      harness_rule_case (cases[i].name, confine_rule_namespaces, &ctx, &s, cases[i].want, fact);
      free (path);
      free (fact);
    }

  {
    /* A sysctl is judged in the namespace runc joins: a relative path is
     * the bundle's (another container's here), wherever the gate runs,
     * not a file in the gate's own working directory. */
    confine_namespace_t ns[4] = { { (char *) "pid", NULL },
                                  { (char *) "ipc", NULL },
                                  { (char *) "network", (char *) "theirs-net" },
                                  { (char *) "mount", NULL } };
    confine_sysctl_t sc = { (char *) "net.ipv4.ip_forward", (char *) "1" };
    confine_spec_t spec = { .namespaces = ns, .n_namespaces = 4, .sysctls = &sc, .n_sysctls = 1 };
    confine_context_t ctx = { .policy = policy, .bundle = bundle };
    confine_subject_t s = { &spec, &spec.process };
    harness_rule_case ("a sysctl in a namespace joined by a path relative to the bundle passes",
                       confine_rule_namespaces, &ctx, &s, CONFINE_RESULT_PASS, "own namespaces");
  }

  {
    /* A UTS namespace joined by a path the spec check passes, with the
     * init (here this process) really in the host's: the hook's live
     * check refuses it, though UTS is not a required namespace. */
    confine_policy_t *none = harness_policy ("{\"namespaces\":{\"required\":[]}}");
    char *path = subst ("/proc/%/ns/uts");
    confine_namespace_t ns = { (char *) "uts", path };
    confine_spec_t spec = { .namespaces = &ns, .n_namespaces = 1 };
    confine_context_t ctx = { .policy = none, .bundle = bundle, .pid = (long) getpid () };
    confine_subject_t s = { &spec, &spec.process };
    harness_rule_case ("an init really in the host's joined namespace is refused",
                       confine_rule_namespaces, &ctx, &s, CONFINE_RESULT_FAIL,
                       "is in the host's uts namespace");
    free (path);
    confine_policy_free (none);
  }

  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  {
    char *cmd = subst ("rm -rf @");
    if (system (cmd) != 0)
      printf ("FAIL cleanup\n");
    free (cmd);
  }
  free (bundle);
  confine_policy_free (policy);
}

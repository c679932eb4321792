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
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&out, &len);
  for (; *s; s++)
    if (*s == '@')
      fputs (bundle, f);
    else if (*s == '%')
      fprintf (f, "%d", (int) child);
    else
      fputc (*s, f);
  fclose (f);
  return out;
}

void
run_tests (void)
{
  cleanup_error confine_error_t perr = NULL;
  confine_policy_t *policy = NULL;
  int pipefd[2];
  char c;

  if (confine_policy_parse ("{}", 2, &policy, &perr) < 0 || pipe (pipefd) < 0)
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
      confine_rule_result_t r = { 0 };
      confine_context_t ctx = { .policy = policy, .bundle = bundle };
      confine_subject_t s = { &spec, &spec.process };

      /* The row's namespace replaces the new one of its type, or comes
       * fifth. */
      ns[strcmp (cases[i].type, "network") == 0 ? 2 : 4]
          = (confine_namespace_t){ (char *) cases[i].type, path };
      if (confine_rule_namespaces (&ctx, &s, &r, &err) < 0)
        CHECK (false, cases[i].name, "error: %s", err->msg);
      else
        CHECK (r.kind == cases[i].want && r.fact && strstr (r.fact, fact), cases[i].name,
               "kind %d, fact: %s", r.kind, r.fact ? r.fact : "(none)");
      free (r.fact);
      free (path);
      free (fact);
    }

  {
    /* A UTS namespace joined by a path the spec check passes, with the
     * init (here this process) really in the host's: the hook's live
     * check refuses it, though UTS is not a required namespace. */
    cleanup_error confine_error_t err = NULL;
    static const char text[] = "{\"namespaces\":{\"required\":[]}}";
    confine_policy_t *none = NULL;
    char *path = subst ("/proc/%/ns/uts");
    confine_namespace_t ns = { (char *) "uts", path };
    confine_spec_t spec = { .namespaces = &ns, .n_namespaces = 1 };
    confine_rule_result_t r = { 0 };
    confine_context_t ctx = { .bundle = bundle, .pid = (long) getpid () };
    confine_subject_t s = { &spec, &spec.process };
    if (confine_policy_parse (text, sizeof (text) - 1, &none, &perr) < 0)
      abort ();
    ctx.policy = none;
    if (confine_rule_namespaces (&ctx, &s, &r, &err) < 0)
      CHECK (false, "an init really in the host's joined namespace is refused", "error: %s",
             err->msg);
    else
      CHECK (r.kind == CONFINE_RESULT_FAIL && r.fact
                 && strstr (r.fact, "is in the host's uts namespace"),
             "an init really in the host's joined namespace is refused", "kind %d, fact: %s",
             r.kind, r.fact ? r.fact : "(none)");
    free (r.fact);
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

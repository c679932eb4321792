/* SPDX-License-Identifier: Apache-2.0 */
/* confine-hook: the OCI hook that refuses unconfined containers.
 *
 *   confine-hook [--policy FILE]
 *
 * runc runs it at createRuntime or prestart with the OCI state on stdin.
 * Exit 0 lets the container start; anything else makes runc destroy it
 * before its first instruction, and runc shows our stderr to the user, so
 * a refusal is exactly one line that starts with `confine: `. */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../front/report.h"
#include "../src/conmon.h"
#include "../src/process.h"
#include "../src/rules.h"
#include "../src/standin.h"
#include "../base/utils.h"

/* runc has no default hook timeout, so a stuck hook would hang the
 * create; we give up (and refuse) first. */
#define HOOK_DEADLINE_SECONDS 20

static void
usage (FILE *f)
{
  fprintf (f, "usage: confine-hook [--policy FILE] | --version | --help\n"
              "Reads the OCI state on stdin; exits 0 to allow the container, 1 to refuse it.\n");
}

/* What the hook reads lives until it exits, which follows the verdict at
 * once: the kernel takes the heap back whole, where freeing the policy
 * (its compiled patterns above all) and the spec node by node cost a
 * twentieth of a warm run. Reachable from here, so the leak checkers
 * (LeakSanitizer, valgrind) see memory in use at exit, not a leak. */
static struct
{
  confine_policy_t *policy;
  confine_state_t *state;
  confine_spec_t *spec;
  char *input;
} kept;

static int
refuse_error (const confine_policy_t *policy, confine_log_entry_t *entry, confine_error_t *err)
{
  confine_report_error (policy, entry, err);
  return 1;
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "help", no_argument, NULL, 'h' },
                                        { "version", no_argument, NULL, 'V' },
                                        { NULL, 0, NULL, 0 } };
  static const char *const keep_env[] = { NULL };
  /* What the checks need as root: reading bundles, logs and securityfs
   * files that others may own (DAC_OVERRIDE, DAC_READ_SEARCH), inspecting
   * another container's namespace through /proc/PID/ns, which is a
   * ptrace-mode access to a process that may hold more capabilities than
   * we do (SYS_PTRACE), reading AppArmor's policy listing (MAC_ADMIN,
   * which some kernels' policy namespaces require). Nothing else, but
   * SYS_ADMIN kept permitted and not effective: the child that enters
   * other network namespaces to list the sockets listened on there (the
   * socket rule, src/netns.c) raises it for setns alone. */
  static const cap_value_t keep_caps[] = { CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE,
                                           CAP_MAC_ADMIN };
  static const cap_value_t latent_caps[] = { CAP_SYS_ADMIN };
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *policy = NULL;
  confine_state_t *state = NULL;
  confine_spec_t *spec = NULL;
  cleanup_free char *summary = NULL;
  cleanup_free char **runtime_argv = NULL;
  cleanup_free char **conmon_argv = NULL;
  size_t runtime_argc = 0, conmon_argc = 0;
  long conmon_pid = 0;
  const char *policy_path = CONFINE_DEFAULT_POLICY;
  confine_log_entry_t entry = { .component = "hook", .action = "create" };
  confine_verdict_t verdict = { 0 };
  size_t len = 0;
  int c, rc;

  /* Before anything reads input: a hung stdin or a slow disk must end in
   * a refusal, not a hung `docker run`. */
  confine_process_deadline (HOOK_DEADLINE_SECONDS, "confine-hook");
  confine_heap_populate ();
  if (confine_process_sanitize (keep_env, &err) < 0
      || confine_process_drop_caps (keep_caps, sizeof (keep_caps) / sizeof (keep_caps[0]),
                                    latent_caps, sizeof (latent_caps) / sizeof (latent_caps[0]), &err)
             < 0)
    return refuse_error (NULL, &entry, &err);

  opterr = 0; /* we print the one refusal line ourselves */
  while ((c = getopt_long (argc, argv, "p:hV", opts, NULL)) != -1)
    switch (c)
      {
      case 'p':
        policy_path = optarg;
        break;
      case 'h':
        usage (stdout);
        return 0;
      case 'V':
        printf ("confine-hook %s\n", CONFINE_VERSION);
        return 0;
      default:
        fprintf (stderr, "confine: refused: invalid argument `%s` (usage: confine-hook [--policy FILE])\n",
                 argv[optind - 1]);
        return 2;
      }
  if (optind != argc)
    {
      fprintf (stderr, "confine: refused: unexpected argument `%s`\n", argv[optind]);
      return 2;
    }

  if (confine_policy_load (policy_path, true, &kept.policy, &err) < 0)
    return refuse_error (NULL, &entry, &err);
  policy = kept.policy;
  if (confine_read_fd (STDIN_FILENO, CONFINE_STATE_MAX_BYTES, &kept.input, &len, &err) < 0)
    {
      confine_error_wrap (&err, "read OCI state from stdin");
      return refuse_error (policy, &entry, &err);
    }
  if (confine_state_parse (kept.input, len, &kept.state, &err) < 0)
    return refuse_error (policy, &entry, &err);
  state = kept.state;
  entry.id = state->id;
  entry.bundle = state->bundle;
  if (confine_spec_load_bundle (state->bundle, &kept.spec, NULL, &err) < 0)
    return refuse_error (policy, &entry, &err);
  spec = kept.spec;

  /* runc runs its hooks itself, so our parent is the runtime that is
   * creating the container, with the command line the engine gave it. */
  if (confine_process_argv ((long) getppid (), &runtime_argv, &runtime_argc, &err) < 0)
    return refuse_error (policy, &entry, &err);

  /* The runtime by name: a runtime that is not runc-compatible (Kata,
   * gVisor) never meets the shim, but when it runs OCI hooks (Podman and
   * CRI-O hand hooks.d to every runtime) this is where the gate sees it.
   * Both the executable the kernel ran and the name it was run as count. */
  {
    char exe[PATH_MAX], link[64];
    const char *name = NULL;
    ssize_t n;
    snprintf (link, sizeof (link), "/proc/%ld/exe", (long) getppid ());
    n = readlink (link, exe, sizeof (exe) - 1);
    exe[n > 0 ? n : 0] = '\0';
    if ((n > 0 && confine_runtime_refused (policy, exe, &name))
        || (runtime_argc > 0 && confine_runtime_refused (policy, runtime_argv[0], &name)))
      {
        confine_make_error (&err, 0, "runtime `%s` (%s) is refused by the policy (policy "
                            "runtimes.refused)", name, n > 0 ? exe : runtime_argv[0]);
        return refuse_error (policy, &entry, &err);
      }
  }

  /* Podman and CRI-O run the runtime from conmon, directly or through
   * the shim (the conmon rule). */
  if (confine_conmon_above_runtime ((long) getppid (), &conmon_pid, &err) < 0
      || (conmon_pid > 0 && confine_process_argv (conmon_pid, &conmon_argv, &conmon_argc, &err) < 0))
    return refuse_error (policy, &entry, &err);

  {
    confine_context_t ctx = { .policy = policy,
                              .id = state->id,
                              .bundle = state->bundle,
                              .pid = (long) state->pid,
                              .no_pivot = confine_argv_no_pivot (runtime_argv, runtime_argc),
                              .conmon_argv = conmon_argv,
                              .conmon_argc = conmon_argc,
                              .conmon_pid = conmon_pid,
                              .annotations = spec->annotations,
                              .n_annotations = spec->n_annotations };
    confine_evaluate_spec (&ctx, spec, &verdict);
    if (confine_verdict_summary (&verdict, &summary, &err) < 0)
      {
        confine_verdict_clear (&verdict);
        return refuse_error (policy, &entry, &err);
      }
  }

  /* Audit mode speaks only through the decision log and syslog: what the
   * hook prints can reach the container's own output. */
  confine_report_log (policy, &entry, &verdict);
  if (verdict.refused)
    fprintf (stderr, "confine: %s\n", summary);
  rc = verdict.refused ? 1 : 0;
  confine_verdict_clear (&verdict);
  return rc;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* confine: check a spec before deploying it, and see what the host and
 * its running containers really have.
 *
 *   confine check [--policy FILE] [--json] [--id ID] [--inject] [--log] PATH
 *   confine warm [--policy FILE] [PATH...]
 *   confine status [--policy FILE] [--json] [--root DIR]... [--sysroot DIR]
 *   confine denials [--policy FILE] [--json] [--root DIR]... [--source FILE]... [--id ID] [--all]
 *   confine audit-summary [--policy FILE] [--log FILE] [--refused] [--json]
 *   confine --version | --help | help [COMMAND]
 *
 * The hook and the shim make the real decisions; this command evaluates
 * the same rules through the same core, so what it says is what they do. */
#define _GNU_SOURCE
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
usage (FILE *f)
{
  fprintf (f,
           "usage: confine COMMAND [OPTIONS]\n"
           "\n"
           "Commands:\n"
           "  check [--policy FILE] [--json] [--id ID] [--inject] [--log] PATH\n"
           "      Evaluate a bundle directory, a config.json or an exec process.json\n"
           "      against the policy, rule by rule, as the hook and the shim would.\n"
           "      Exit 0: allowed; 1: refused; 2: usage or input error.\n"
           "  warm [--policy FILE] [PATH...]\n"
           "      Judge container configs (default: the *.json files in %s)\n"
           "      as the shim would run them, leaving their seccomp verdicts in the cache,\n"
           "      so that no container start pays for building its filter.\n"
           "      Exit 0: every config judged (allowed or refused); 2: one could not be.\n"
           "  status [--policy FILE] [--json] [--root DIR]... [--sysroot DIR]\n"
           "      Host readiness (AppArmor, seccomp, engine registration) and the real\n"
           "      confinement of every container in the runc state roots.\n"
           "      Exit 0: nothing running unconfined; 1: something is; 2: error.\n"
           "  denials [--policy FILE] [--json] [--root DIR]... [--source FILE]... [--id ID] [--all]\n"
           "      AppArmor denials and seccomp actions from the kernel log (or auditd's),\n"
           "      per container, with the syscall or operation and a hint.\n"
           "      Exit 0: read; 2: error (the kernel log needs root under dmesg_restrict).\n"
           "  audit-summary [--policy FILE] [--log FILE] [--refused] [--json]\n"
           "      What audit mode found: the decisions each rule would have refused, by\n"
           "      container, from the decision log. Exit 0: read; 2: error.\n"
           "  help [COMMAND]   this text\n"
           "\n"
           "Options:\n"
           "  --policy FILE   policy to use (default %s)\n"
           "  --json          machine-readable output on stdout\n"
           "  --id ID         container id, for exemptions that match on it (check); the\n"
           "                  container to show (denials)\n"
           "  --inject        judge the spec as the shim would run it: with what it\n"
           "                  injects and repairs, each change listed (check)\n"
           "  --log           also write the verdict to the decision log (check)\n"
           "  --root DIR      an extra runc state root to scan (status, denials; repeatable)\n"
           "  --source FILE   read this audit log, saved dmesg or /dev/kmsg (denials; repeatable)\n"
           "  --all           also records from processes in no container (denials)\n"
           "  --sysroot DIR   read engine configuration under DIR instead of / (status)\n"
           "  -h, --help      this text\n"
           "  -V, --version   version information\n",
           CONFINE_WARM_DIR, "/etc/confine/policy.json");
}

static int
version (void)
{
  const struct scmp_version *v = seccomp_version ();
  printf ("confine %s\n", CONFINE_VERSION);
  if (v)
    printf ("libseccomp %u.%u.%u\n", v->major, v->minor, v->micro);
  return CLI_EXIT_OK;
}

int
main (int argc, char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : NULL;

  if (cmd == NULL)
    {
      usage (stderr);
      return CLI_EXIT_USAGE;
    }
  if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0 || strcmp (cmd, "help") == 0)
    {
      usage (stdout);
      return CLI_EXIT_OK;
    }
  if (strcmp (cmd, "--version") == 0 || strcmp (cmd, "-V") == 0 || strcmp (cmd, "version") == 0)
    return version ();
  /* Each subcommand parses its own options from argv[1] on, so getopt
   * sees the subcommand name as argv[0]. */
  if (strcmp (cmd, "check") == 0)
    return confine_cli_check (argc - 1, argv + 1);
  if (strcmp (cmd, "warm") == 0)
    return confine_cli_warm (argc - 1, argv + 1);
  if (strcmp (cmd, "status") == 0)
    return confine_cli_status (argc - 1, argv + 1);
  if (strcmp (cmd, "denials") == 0)
    return confine_cli_denials (argc - 1, argv + 1);
  if (strcmp (cmd, "audit-summary") == 0)
    return confine_cli_audit_summary (argc - 1, argv + 1);
  fprintf (stderr, "confine: unknown command `%s`\n", cmd);
  usage (stderr);
  return CLI_EXIT_USAGE;
}

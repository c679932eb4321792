/* SPDX-License-Identifier: Apache-2.0 */
/* Process hygiene: capabilities only ever shrink, the environment keeps
 * only what is named. Each case runs in a child, since it changes the
 * process for good. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/cleanup.h"
#include "../../src/process.h"
#include "../../base/utils.h"

/* The set FIELD (`CapEff:`, `CapAmb:`) of /proc/self/status. */
static unsigned long long
cap_set_of (const char *field)
{
  char line[256];
  unsigned long long v = ~0ull;
  size_t n = strlen (field);
  FILE *f = fopen ("/proc/self/status", "r");
  while (f && fgets (line, sizeof (line), f))
    if (strncmp (line, field, n) == 0 && sscanf (line + n, " %llx", &v) == 1)
      break;
  if (f)
    fclose (f);
  return v;
}

static unsigned long long
cap_eff (void)
{
  return cap_set_of ("CapEff:");
}

/* Run FN in a child; its exit status is the result (0 good). */
static int
in_child (int (*fn) (void))
{
  int status = 0;
  pid_t pid = fork ();
  if (pid == 0)
    _exit (fn ());
  if (pid < 0 || waitpid (pid, &status, 0) < 0 || !WIFEXITED (status))
    return -1;
  return WEXITSTATUS (status);
}

static int
drop_to_two (void)
{
  cleanup_error confine_error_t err = NULL;
  const cap_value_t keep[] = { CAP_DAC_OVERRIDE, CAP_SYS_PTRACE };
  if (confine_process_drop_caps (keep, 2, NULL, 0, &err) < 0)
    return 2;
  return cap_eff () == ((1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_SYS_PTRACE)) ? 0 : 1;
}

static int
never_gains (void)
{
  cleanup_error confine_error_t err = NULL;
  const cap_value_t one[] = { CAP_DAC_OVERRIDE };
  const cap_value_t more[] = { CAP_DAC_OVERRIDE, CAP_SYS_ADMIN, CAP_SYS_PTRACE };
  if (confine_process_drop_caps (one, 1, NULL, 0, &err) < 0
      || confine_process_drop_caps (more, 3, NULL, 0, &err) < 0)
    return 2;
  return cap_eff () == (1ull << CAP_DAC_OVERRIDE) ? 0 : 1;
}

/* A latent capability is permitted, not effective, until raised. */
static int
latent_raised (void)
{
  cleanup_error confine_error_t err = NULL;
  const cap_value_t keep[] = { CAP_DAC_OVERRIDE };
  const cap_value_t latent[] = { CAP_SYS_ADMIN };
  if (confine_process_drop_caps (keep, 1, latent, 1, &err) < 0)
    return 2;
  if (cap_eff () != 1ull << CAP_DAC_OVERRIDE
      || cap_set_of ("CapPrm:") != ((1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_SYS_ADMIN)))
    return 1;
  if (confine_process_raise_cap (CAP_SYS_ADMIN) < 0
      || cap_eff () != ((1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_SYS_ADMIN)))
    return 1;
  /* What is not permitted cannot be raised. */
  return confine_process_raise_cap (CAP_SYS_PTRACE) < 0 && errno == EPERM ? 0 : 1;
}

/* An ambient capability survives execve without file capabilities: the
 * drop must leave none, including one the hook keeps (raised here in the
 * inheritable set too, as a caller could). Positive control: the ambient
 * set is not empty before the drop. */
static int
ambient_cleared (void)
{
  cleanup_error confine_error_t err = NULL;
  const cap_value_t keep[] = { CAP_DAC_OVERRIDE };
  cleanup_cap cap_t c = cap_get_proc ();
  cap_value_t v = CAP_DAC_OVERRIDE;
  if (c == NULL || cap_set_flag (c, CAP_INHERITABLE, 1, &v, CAP_SET) < 0 || cap_set_proc (c) < 0
      || prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_DAC_OVERRIDE, 0, 0) < 0
      || cap_set_of ("CapAmb:") != 1ull << CAP_DAC_OVERRIDE)
    return 3;
  if (confine_process_drop_caps (keep, 1, NULL, 0, &err) < 0)
    return 2;
  return cap_set_of ("CapAmb:") == 0 ? 0 : 1;
}

static int
env_kept (void)
{
  cleanup_error confine_error_t err = NULL;
  const char *const keep[] = { "CONFINE_KEEP", NULL };
  setenv ("CONFINE_KEEP", "yes", 1);
  setenv ("LD_PRELOAD", "/tmp/evil.so", 1);
  if (confine_process_sanitize (keep, &err) < 0)
    return 2;
  return getenv ("LD_PRELOAD") == NULL && getenv ("CONFINE_KEEP")
                 && strcmp (getenv ("CONFINE_KEEP"), "yes") == 0
             ? 0
             : 1;
}

void
run_tests (void)
{
  /* Like runc itself, these need root; make check runs as root. */
  CHECK (geteuid () == 0, "the tests run as root", "euid %d", (int) geteuid ());
  CHECK (in_child (drop_to_two) == 0, "dropping capabilities keeps exactly the named ones",
         "CapEff differs");
  CHECK (in_child (never_gains) == 0, "a later, larger keep list never adds a capability",
         "gained one");
  CHECK (in_child (latent_raised) == 0,
         "a latent capability is permitted, not effective, until raised; no other can be",
         "wrong sets");
  CHECK (in_child (ambient_cleared) == 0, "dropping capabilities leaves no ambient capability",
         "an ambient capability is left, or could not be raised for the test");
  CHECK (in_child (env_kept) == 0, "the environment keeps only named variables (no LD_PRELOAD)",
         "environment not cleaned");
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Verification after start (src/verify.c): the record written at create,
 * the wait for the init's execve, and the comparison of what the kernel
 * shows with what the gate judged. The host has no AppArmor, so the
 * label is tested through the comparison, and the seccomp mismatch on a
 * real process: a child that poses as runc's init, then execs without a
 * filter (Seccomp: 0) while a filter was expected. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../src/status.h"
#include "../../base/utils.h"
#include "../../src/verify.h"

static confine_policy_t *
policy (const char *extra)
{
  return harness_policy ("{\"securityfs\":\"/nonexistent\"%s}", extra);
}

static confine_expect_t
expect (const char *profile, bool seccomp)
{
  confine_expect_t e = { 0 };
  e.apparmor_profile = profile ? strdup (profile) : NULL;
  e.seccomp = seccomp;
  return e;
}

static confine_observed_t
seen (const char *label, const char *mode, int seccomp)
{
  confine_observed_t o = { 0 };
  o.label = label ? strdup (label) : NULL;
  o.mode = mode ? strdup (mode) : NULL;
  o.label_error = label ? NULL : strdup ("Invalid argument");
  o.seccomp = seccomp;
  return o;
}

/* Judge and return the summary; *REFUSED and *WOULD get the verdict. */
static char *
judge (const confine_policy_t *p, confine_expect_t *e, confine_observed_t *o, bool *refused,
       bool *would)
{
  cleanup_error confine_error_t err = NULL;
  confine_verdict_t v;
  char *summary = NULL;
  confine_verify_judge (p, e, 42, o, &v);
  if (confine_verdict_summary (&v, &summary, &err) < 0)
    {
      printf ("FAIL judge: %s\n", err->msg);
      exit (1);
    }
  *refused = v.refused;
  *would = v.would_refuse;
  confine_verdict_clear (&v);
  confine_expect_clear (e);
  confine_observed_clear (o);
  return summary;
}

static void
test_judge (void)
{
  confine_policy_t *p = policy ("");
  confine_policy_t *audit = policy (",\"mode\":\"audit\"");
  confine_policy_t *warn = policy (",\"rules\":{\"seccomp\":\"warn\"}");
  confine_expect_t e;
  confine_observed_t o;
  bool refused, would;
  char *s;

  e = expect ("confine-default", true);
  o = seen ("confine-default", "enforce", 2);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (!refused && !would, "profile enforcing and filter on: allowed", "%s", s);
  free (s);

  e = expect ("confine-default", true);
  o = seen ("confine-default", "complain", 2);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (refused && strstr (s, "complain mode") && strstr (s, "apparmor.allowed_modes"),
         "the expected profile in complain mode is refused", "%s", s);
  free (s);

  e = expect ("confine-default", true);
  o = seen ("unconfined", NULL, 2);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (refused && strstr (s, "runs as `unconfined`, not under profile `confine-default`"),
         "an unconfined process is refused", "%s", s);
  free (s);

  e = expect ("confine-default", true);
  o = seen ("docker-nginx", "enforce", 2);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (refused && strstr (s, "`docker-nginx (enforce)`"),
         "another enforcing profile than the one judged is refused", "%s", s);
  free (s);

  e = expect ("confine-default", false);
  o = seen (NULL, NULL, 2);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (refused && strstr (s, "cannot be read (Invalid argument)"),
         "an unreadable label is refused, never assumed", "%s", s);
  free (s);

  e = expect (NULL, true);
  o = seen (NULL, NULL, 0);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (refused && strstr (s, "seccomp: after start, pid 42 has Seccomp: 0, not filter mode"),
         "Seccomp: 0 when a filter was judged is refused", "%s", s);
  free (s);

  e = expect (NULL, true);
  o = seen (NULL, NULL, 1);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (refused, "strict mode (Seccomp: 1) is not the filter that was judged", "%s", s);
  free (s);

  e = expect (NULL, false);
  o = seen (NULL, NULL, 0);
  s = judge (p, &e, &o, &refused, &would);
  CHECK (!refused && !would, "nothing judged at create, nothing refused at start", "%s", s);
  free (s);

  e = expect ("confine-default", true);
  o = seen (NULL, NULL, 0);
  o.gone = true;
  s = judge (p, &e, &o, &refused, &would);
  CHECK (!refused && !would, "a process gone before verification is not a failure", "%s", s);
  free (s);

  e = expect (NULL, true);
  o = seen (NULL, NULL, 0);
  s = judge (audit, &e, &o, &refused, &would);
  CHECK (!refused && would && strstr (s, "audit: would refuse"),
         "audit mode reports the mismatch and refuses nothing", "%s", s);
  free (s);

  e = expect (NULL, true);
  o = seen (NULL, NULL, 0);
  s = judge (warn, &e, &o, &refused, &would);
  CHECK (!refused && !would, "a rule at warn severity does not refuse after start either", "%s",
         s);
  free (s);

  confine_policy_free (p);
  confine_policy_free (audit);
  confine_policy_free (warn);
}

/* Status's definition of confined: from the policy alone (no judged
 * profile), with its allowed modes, severities and exemptions. */
static void
test_live (void)
{
  confine_policy_t *p = policy ("");
  /* The mode tests name their profiles in the policy, so that only the
   * mode decides them. */
  confine_policy_t *modes = policy (",\"apparmor\":{\"allowed_profiles\":[\"strict\",\"lax\"]}");
  confine_policy_t *enforce_only
      = policy (",\"apparmor\":{\"allowed_modes\":[\"enforce\"],\"allowed_profiles\":[\"strict\"]}");
  confine_policy_t *exempt
      = policy (",\"exemptions\":[{\"rules\":[\"apparmor\"],\"id\":\"tools-.*\"}]");
  confine_policy_t *skip = policy (",\"apparmor\":{\"when_unavailable\":\"skip\"}");
  const struct
  {
    const char *name;
    const confine_policy_t *p;
    const char *id;
    bool apparmor_available;
    const char *label, *mode;
    int seccomp;
    const char *refusal; /* NULL: confined */
  } rows[] = {
    { "an enforcing profile and a filter are confined", p, "c", true, "docker-default", "enforce", 2, NULL },
    { "a profile in kill mode is confined by default", modes, "c", true, "strict", "kill", 2, NULL },
    { "kill mode is not confined when allowed_modes is enforce only", enforce_only, "c", true, "strict", "kill", 2, "in kill mode, which does not confine" },
    { "complain mode is not confined", modes, "c", true, "lax", "complain", 2, "in complain mode" },
    { "a host program's enforcing profile is not confined", p, "c", true, "libvirtd", "enforce", 2, "runs under `libvirtd`, which apparmor.allowed_profiles does not list" },
    { "... unless apparmor.allowed_profiles lists it", modes, "c", true, "strict", "enforce", 2, NULL },
    { "Podman's versioned default is confined", p, "c", true, "containers-default-0.50.1", "enforce", 2, NULL },
    { "confine's own default_profile is confined", p, "c", true, "confine-default", "enforce", 2, NULL },
    { "the unconfined label is not confined", p, "c", true, "unconfined", NULL, 2, "runs as `unconfined`, with no AppArmor profile" },
    { "no seccomp filter is not confined", p, "c", true, "docker-default", "enforce", 0, "has Seccomp: 0" },
    { "an exemption for apparmor waives it for its ids", exempt, "tools-1", true, "unconfined", NULL, 2, NULL },
    { "... and only for them", exempt, "web-1", true, "unconfined", NULL, 2, "runs as `unconfined`" },
    { "no AppArmor on the host and when_unavailable skip: seccomp decides", skip, "c", false, NULL, NULL, 2, NULL },
    { "no AppArmor on the host and reject: not confined", p, "c", false, NULL, NULL, 2, "AppArmor is not enabled in the kernel" },
  };

  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_context_t ctx = { .policy = rows[i].p, .id = rows[i].id };
      confine_expect_t e;
      confine_observed_t o = seen (rows[i].label, rows[i].mode, rows[i].seccomp);
      confine_verdict_t v;
      char *s = NULL;
      if (!rows[i].label)
        {
          free (o.label_error);
          o.label_error = NULL;
        }
      confine_expect_from_policy (&ctx, rows[i].apparmor_available, &e);
      confine_live_judge (&ctx, &e, 42, &o, &v);
      if (confine_verdict_summary (&v, &s, &err) < 0)
        {
          printf ("FAIL live judge: %s\n", err->msg);
          exit (1);
        }
      if (rows[i].refusal)
        CHECK (v.would_refuse && strstr (s, rows[i].refusal) && !strstr (s, "after start"),
               rows[i].name, "%s", s);
      else
        CHECK (!v.would_refuse, rows[i].name, "%s", s);
      free (s);
      confine_verdict_clear (&v);
      confine_observed_clear (&o);
      confine_expect_clear (&e);
    }
  confine_policy_free (p);
  confine_policy_free (modes);
  confine_policy_free (enforce_only);
  confine_policy_free (exempt);
  confine_policy_free (skip);
}

static void
test_from_verdict (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = harness_docker_fixture ("default");
  confine_verdict_t v;
  confine_expect_t e = { 0 };

  memset (&v, 0, sizeof (v));
  free (spec->process.apparmor_profile);
  spec->process.apparmor_profile = strdup ("docker-default");
  v.results[CONFINE_RULE_APPARMOR].kind = CONFINE_RESULT_PASS;
  v.results[CONFINE_RULE_SECCOMP].kind = CONFINE_RESULT_PASS;
  confine_expect_from_verdict (spec, &v, &e);
  CHECK (e.apparmor_profile && strcmp (e.apparmor_profile, "docker-default") == 0 && e.seccomp,
         "rules that passed at create become the expectation", "%s %d",
         e.apparmor_profile ? e.apparmor_profile : "(none)", e.seccomp);
  confine_expect_clear (&e);

  v.results[CONFINE_RULE_APPARMOR].kind = CONFINE_RESULT_SKIP;
  v.results[CONFINE_RULE_SECCOMP].kind = CONFINE_RESULT_FAIL;
  confine_expect_from_verdict (spec, &v, &e);
  CHECK (e.apparmor_profile == NULL && !e.seccomp,
         "a skipped or waived rule sets no expectation", "%s %d",
         e.apparmor_profile ? e.apparmor_profile : "(none)", e.seccomp);
  confine_expect_clear (&e);
  confine_spec_free (spec);
}

static void
save (const char *dir, const char *root, const char *id)
{
  cleanup_error confine_error_t err = NULL;
  confine_expect_t e = { .root = strdup (root), .id = strdup (id), .bundle = strdup ("/b") };
  if (confine_expect_save (dir, &e, &err) < 0)
    abort ();
  confine_expect_clear (&e);
}

/* Make the record of ID in DIR an hour old, as an hour passing would. */
static void
age (const char *dir, const char *id)
{
  char *cmd = NULL;
  if (asprintf (&cmd, "cd %s/containers && for f in *; do grep -qx 'id=%s' \"$f\" && "
                      "touch -d '-3600 seconds' \"$f\"; done; true", dir, id) < 0
      || system (cmd) != 0)
    abort ();
  free (cmd);
}

static bool
has_record (const char *dir, const char *root, const char *id)
{
  confine_expect_t got = { 0 };
  bool r = confine_expect_load (dir, root, id, &got);
  confine_expect_clear (&got);
  return r;
}

/* Records of containers that are gone are removed when another is saved:
 * only old ones whose container has no state in its runtime root. */
static void
test_prune (void)
{
  char *tmp = harness_tmpdir ();
  char *dir = NULL, *root = NULL, *live = NULL;

  if (asprintf (&dir, "%s/cache", tmp) < 0 || asprintf (&root, "%s/state", tmp) < 0
      || asprintf (&live, "mkdir -p %s/live && touch %s/live/state.json", root, root) < 0
      || system (live) != 0)
    abort ();
  save (dir, root, "gone");
  save (dir, root, "live");
  save (dir, root, "young");
  age (dir, "gone");
  age (dir, "live");
  /* Positive control: all three are there before the next save. */
  CHECK (has_record (dir, root, "gone") && has_record (dir, root, "live")
             && has_record (dir, root, "young"),
         "records are kept until the next save", "%s", dir);
  save (dir, root, "next");
  CHECK (!has_record (dir, root, "gone"), "an old record of a container with no state is removed",
         "%s", dir);
  CHECK (has_record (dir, root, "live"), "a record of a container whose state exists is kept",
         "%s", dir);
  CHECK (has_record (dir, root, "young"),
         "a young record is kept (its create may still be running)", "%s", dir);
  free (dir);
  free (root);
  free (live);
  free (tmp);
}

/* The path of the one file in DIR (a records directory holding one). */
static void
only_file (const char *dir, char *path, size_t size)
{
  DIR *d = opendir (dir);
  struct dirent *de;
  int n = 0;

  while (d && (de = readdir (d)) != NULL)
    if (de->d_name[0] != '.' && ++n == 1)
      snprintf (path, size, "%s/%s", dir, de->d_name);
  if (d == NULL || n != 1)
    abort ();
  closedir (d);
}

static void
test_record (void)
{
  cleanup_error confine_error_t err = NULL;
  char *tmp = harness_tmpdir ();
  char *dir = NULL, *sub = NULL, *pidf = NULL;
  confine_expect_t e = { 0 }, got;
  struct stat st;
  pid_t pid = 0;
  int r;

  if (asprintf (&dir, "%s/cache", tmp) < 0 || asprintf (&sub, "%s/containers", dir) < 0
      || asprintf (&pidf, "%s/init.pid", tmp) < 0)
    abort ();
  e.root = strdup ("/run/containerd/runc/moby");
  e.id = strdup ("c1");
  e.bundle = strdup ("/b");
  e.pid = 4242;
  e.start_time = 18446744073709551615ull;
  e.exe_dev = 64769;
  e.exe_ino = 1234567;
  e.apparmor_profile = strdup ("confine-default");
  e.seccomp = true;
  r = confine_expect_save (dir, &e, &err);
  CHECK (r == 0 && stat (sub, &st) == 0 && (st.st_mode & 0777) == 0700,
         "the record lives in a 0700 directory under cache_dir", "r=%d %s", r,
         err ? err->msg : "");
  r = confine_expect_load (dir, e.root, "c1", &got);
  CHECK (r == 1 && strcmp (got.bundle, "/b") == 0 && got.pid == 4242
             && got.start_time == 18446744073709551615ull && got.exe_dev == 64769
             && got.exe_ino == 1234567
             && strcmp (got.apparmor_profile, "confine-default") == 0 && got.seccomp,
         "a record reads back as written, the init's pid and start time with it", "r=%d", r);
  confine_expect_clear (&got);
  r = confine_expect_load (dir, "/run/runc", "c1", &got);
  CHECK (r == 0, "a record is per runtime root as well as id", "r=%d", r);
  confine_expect_clear (&got);

  {
    char cmd[512];
    /* The only file in the directory is the record. */
    snprintf (cmd, sizeof (cmd), "chmod 0644 %s/*", sub);
    if (system (cmd) != 0)
      abort ();
    r = confine_expect_load (dir, e.root, "c1", &got);
    CHECK (r == 0, "a record others can read is not trusted", "r=%d", r);
    confine_expect_clear (&got);
    snprintf (cmd, sizeof (cmd), "chmod 0600 %s/* && chown 65534 %s/*", sub, sub);
    if (system (cmd) != 0)
      abort ();
    r = confine_expect_load (dir, e.root, "c1", &got);
    CHECK (r == 0, "a record owned by someone else is not trusted", "r=%d", r);
    confine_expect_clear (&got);
  }
  if (confine_expect_save (dir, &e, &err) < 0)
    abort ();
  confine_expect_forget (dir, e.root, "c1");
  r = confine_expect_load (dir, e.root, "c1", &got);
  CHECK (r == 0, "a forgotten record is gone", "r=%d", r);
  confine_expect_clear (&got);

  {
    /* Written by hand as a record is, with the init's numbers replaced;
     * the first, well formed, is read (so the others fail for their
     * numbers, not for the hand-written rest). */
    static const char *const lines[] = {
      "pid=1\nstart=5\nexe_dev=7\nexe_ino=9",   "pid=-1\nstart=5\nexe_dev=7\nexe_ino=9",
      "pid=2147483648\nstart=5\nexe_dev=7\nexe_ino=9", "pid=12x\nstart=5\nexe_dev=7\nexe_ino=9",
      "pid=\nstart=5\nexe_dev=7\nexe_ino=9",    "pid=1\nstart=18446744073709551616\nexe_dev=7\nexe_ino=9",
      "pid=1\nstart=+5\nexe_dev=7\nexe_ino=9",  "pid=1\nstart=5\nexe_ino=9",
      "pid=1\nstart=5\nexe_dev=7\nexe_ino=0x9", "pid_file=/run/x.pid"
    };
    char path[4096];
    confine_expect_t one = { .root = e.root, .id = e.id };
    for (size_t i = 0; i < sizeof (lines) / sizeof (lines[0]); i++)
      {
        char *text = NULL;
        if (confine_expect_save (dir, &one, &err) < 0)
          abort ();
        if (asprintf (&text, "confine-start-expectation-2\nroot=%s\nid=c1\nbundle=/b\n%s\n"
                      "apparmor=\nseccomp=1\nend\n", e.root, lines[i]) < 0)
          abort ();
        only_file (sub, path, sizeof (path));
        harness_write (path, text);
        chmod (path, 0600);
        r = confine_expect_load (dir, e.root, "c1", &got);
        if (i == 0)
          CHECK (r == 1 && got.pid == 1 && got.start_time == 5 && got.exe_dev == 7
                     && got.exe_ino == 9,
                 "a record written by hand as confine writes one is read", "r=%d", r);
        else
          CHECK (r == 0, "a record whose init is not a pid, start time and program is not used",
                 "%s", lines[i]);
        confine_expect_clear (&got);
        free (text);
      }
    /* Roots are recorded resolved: a relative one names another
     * directory from another working directory. */
    one.root = (char *) "run/runc";
    if (confine_expect_save (dir, &one, &err) < 0)
      abort ();
    r = confine_expect_load (dir, "run/runc", "c1", &got);
    CHECK (r == 0, "a record under a relative root is not used", "r=%d", r);
    confine_expect_clear (&got);
    confine_expect_forget (dir, "run/runc", "c1");
    confine_expect_forget (dir, e.root, "c1");
  }

  free (e.bundle);
  e.bundle = strdup ("/b\nseccomp=0");
  r = confine_expect_save (dir, &e, &err);
  CHECK (r < 0, "a field with a newline is never recorded", "r=%d", r);
  confine_error_release (&err);

  harness_write (pidf, "4242\n");
  chmod (pidf, 0644);
  r = confine_verify_read_pid_file (pidf, &pid);
  CHECK (r == 1 && pid == 4242, "runc's pid file is read", "r=%d pid=%d", r, (int) pid);
  chmod (pidf, 0666);
  r = confine_verify_read_pid_file (pidf, &pid);
  CHECK (r == 0, "a pid file others can write is not trusted", "r=%d", r);
  chmod (pidf, 0644);
  harness_write (pidf, "42x");
  r = confine_verify_read_pid_file (pidf, &pid);
  CHECK (r == 0, "a pid file that is not a number is not used", "r=%d", r);

  confine_expect_clear (&e);
  {
    char cmd[256];
    snprintf (cmd, sizeof (cmd), "rm -rf %s", tmp);
    if (system (cmd) != 0)
      abort ();
  }
  free (dir);
  free (sub);
  free (pidf);
  free (tmp);
}

/* A child that names itself like runc's init and waits on a pipe; when
 * the parent writes, it execs ARGV (or exits when ARGV is NULL). */
static pid_t
fake_init (char *const *argv, int *go)
{
  int ready[2], gate[2];
  char c;
  pid_t pid;

  if (pipe (ready) < 0 || pipe (gate) < 0)
    abort ();
  pid = fork ();
  if (pid == 0)
    {
      prctl (PR_SET_NAME, CONFINE_RUNC_INIT_COMM);
      close (ready[0]);
      close (gate[1]);
      if (write (ready[1], "r", 1) != 1)
        _exit (1);
      if (read (gate[0], &c, 1) != 1)
        _exit (0);
      if (argv)
        execv (argv[0], argv);
      _exit (0);
    }
  close (ready[1]);
  close (gate[0]);
  if (read (ready[0], &c, 1) != 1)
    abort ();
  close (ready[0]);
  *go = gate[1];
  return pid;
}

/* The next fork gets PID when it is free (ns_last_pid; root in the
 * host's pid namespace). Returns the child, which sleeps, or -1 when the
 * pid could not be had in a few tries. */
static pid_t
fork_as (pid_t pid)
{
  for (int tries = 0; tries < 50; tries++)
    {
      char last[32];
      int fd = open ("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
      int n = snprintf (last, sizeof (last), "%d", (int) pid - 1);
      pid_t child;
      if (fd < 0 || write (fd, last, (size_t) n) != n)
        abort ();
      close (fd);
      child = fork ();
      if (child == 0)
        {
          pause ();
          _exit (0);
        }
      if (child == pid)
        return child;
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
  return -1;
}

/* The kill through a pin reaches the pinned process, and only it: once
 * that process is gone and another has its pid, the pin kills nothing. */
static void
test_ref_kill (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_task_ref_t ref;
  pid_t first, second;
  int ws = 0, r;

  first = fork ();
  if (first == 0)
    {
      pause ();
      _exit (0);
    }
  r = confine_task_pin (first, &ref, &err);
  confine_task_ref_kill (&ref);
  CHECK (r == 1 && waitpid (first, &ws, 0) == first && WIFSIGNALED (ws)
             && WTERMSIG (ws) == SIGKILL,
         "a kill through the pin kills the pinned process", "r=%d status %#x", r, ws);
  second = fork_as (first);
  if (second > 0)
    {
      confine_task_ref_kill (&ref);
      usleep (100000);
      CHECK (waitpid (second, &ws, WNOHANG) == 0,
             "a kill through the pin of a reaped process spares the one that took its pid",
             "process %d, which took the pid, was killed", (int) second);
      kill (second, SIGKILL);
      waitpid (second, NULL, 0);
    }
  else
    CHECK (false, "a kill through the pin of a reaped process spares the one that took its pid",
           "pid %d could not be had again to try", (int) first);
  confine_task_ref_close (&ref);
}

static void
test_process (void)
{
  cleanup_error confine_error_t err = NULL;
  char *const sleeper[] = { (char *) "/bin/sleep", (char *) "5", NULL };
  confine_policy_t *p = policy ("");
  confine_task_ref_t ref;
  confine_observed_t o;
  confine_verdict_t v;
  int go, r, ws;
  pid_t pid;

  r = confine_task_ref_open (getpid (), &ref, &err);
  CHECK (r == 0, "a process that is not runc's init is not taken for one", "r=%d", r);

  /* Exec'd without a filter while one was expected: the mismatch a
   * runtime that silently dropped linux.seccomp would cause. */
  pid = fake_init (sleeper, &go);
  r = confine_task_ref_open (pid, &ref, &err);
  CHECK (r == 1, "runc's waiting init is found by its comm", "r=%d %s", r, err ? err->msg : "");
  if (write (go, "g", 1) != 1)
    abort ();
  r = confine_task_wait_exec (&ref, 2000, &err);
  CHECK (r == 1, "the execve of the user process is seen", "r=%d %s", r, err ? err->msg : "");
  r = confine_task_observe (&ref, false, &o, &err);
  CHECK (r == 0 && !o.gone && o.seccomp == 0 && o.label == NULL,
         "the seccomp mode is read through the pinned /proc fd", "r=%d seccomp=%d", r, o.seccomp);
  {
    confine_expect_t e = expect (NULL, true);
    confine_verify_judge (p, &e, pid, &o, &v);
    CHECK (v.refused && strstr (v.results[CONFINE_RULE_SECCOMP].fact, "Seccomp: 0"),
           "a real process without the judged filter is refused", "%s",
           v.results[CONFINE_RULE_SECCOMP].fact);
    confine_verdict_clear (&v);
    confine_expect_clear (&e);
  }
  confine_observed_clear (&o);
  kill (pid, SIGKILL);
  waitpid (pid, &ws, 0);
  r = confine_task_observe (&ref, false, &o, &err);
  CHECK (r == 0 && o.gone, "a reaped process reads as gone through the pinned /proc fd",
         "r=%d gone=%d", r, o.gone);
  confine_observed_clear (&o);
  confine_task_ref_close (&ref);
  close (go);

  /* The init judged after create, known by its start time and program:
   * the same pid with another start time is another process (a recycled
   * pid, or a pid file pointed elsewhere), and the same process once it
   * has exec'd is no longer waiting, whatever name it takes. */
  {
    char *const poser[] = { (char *) "/bin/sh", (char *) "-c",
                            (char *) "printf 'runc:[2:INIT]' > /proc/$$/comm; "
                                     "while :; do sleep 1; done",
                            NULL };
    confine_expect_t rec = { 0 };
    struct stat exe;
    uint64_t own = 0;
    char state, comm[32] = "";

    pid = fake_init (poser, &go);
    if (confine_proc_stat (pid, &state, &rec.start_time) < 0
        || confine_proc_stat (getpid (), &state, &own) < 0 || stat ("/proc/self/exe", &exe) < 0)
      abort ();
    rec.pid = pid;
    rec.exe_dev = exe.st_dev;
    rec.exe_ino = exe.st_ino;
    r = confine_task_ref_open_recorded (&rec, &ref, &err);
    CHECK (r == 1, "the init of the recorded start time and program is found", "r=%d %s", r,
           err ? err->msg : "");
    confine_task_ref_close (&ref);
    rec.start_time++;
    r = confine_task_ref_open_recorded (&rec, &ref, &err);
    CHECK (r == 0 && ref.dirfd < 0, "a waiting init of another start time is not taken for it",
           "r=%d", r);
    rec.start_time--;
    rec.exe_ino++;
    r = confine_task_ref_open_recorded (&rec, &ref, &err);
    CHECK (r == 0, "nor one running another program", "r=%d", r);
    rec.exe_ino--;
    rec.pid = getpid ();
    rec.start_time = own;
    r = confine_task_ref_open_recorded (&rec, &ref, &err);
    CHECK (r == 0, "nor a process of the right start time that is not runc's init", "r=%d", r);
    rec.pid = pid;
    confine_proc_stat (pid, &state, &rec.start_time);
    /* Started: it execs a shell that takes runc's init's name again. */
    if (write (go, "g", 1) != 1)
      abort ();
    for (int i = 0; i < 200 && strcmp (comm, "runc:[2:INIT]\n") != 0; i++)
      {
        char path[64];
        FILE *f;
        usleep (10000);
        snprintf (path, sizeof (path), "/proc/%d/comm", (int) pid);
        if ((f = fopen (path, "r")) != NULL)
          {
            if (fgets (comm, sizeof (comm), f) == NULL)
              comm[0] = '\0';
            fclose (f);
          }
      }
    r = confine_task_ref_open_recorded (&rec, &ref, &err);
    CHECK (strcmp (comm, "runc:[2:INIT]\n") == 0 && r == 0,
           "a started process that names itself runc's init is not taken for the waiting one",
           "comm=%s r=%d", comm, r);
    kill (pid, SIGKILL);
    waitpid (pid, &ws, 0);
    close (go);
  }

  /* Exits instead of exec'ing. */
  pid = fake_init (NULL, &go);
  if (confine_task_ref_open (pid, &ref, &err) != 1)
    abort ();
  if (write (go, "g", 1) != 1)
    abort ();
  waitpid (pid, &ws, 0);
  r = confine_task_wait_exec (&ref, 2000, &err);
  CHECK (r == 0, "an init that exits before exec is reported as gone, not as failure", "r=%d", r);
  confine_task_ref_close (&ref);
  close (go);

  /* Never execs: bounded. */
  pid = fake_init (NULL, &go);
  if (confine_task_ref_open (pid, &ref, &err) != 1)
    abort ();
  r = confine_task_wait_exec (&ref, 50, &err);
  CHECK (r < 0 && err && strstr (err->msg, "still runc's init 50 ms after start"),
         "the wait for exec is bounded", "r=%d", r);
  confine_error_release (&err);
  kill (pid, SIGKILL);
  waitpid (pid, &ws, 0);
  confine_task_ref_close (&ref);
  close (go);
  confine_policy_free (p);
}

static void
test_run_child (void)
{
  cleanup_error confine_error_t err = NULL;
  char *const ok[] = { (char *) "sh", (char *) "-c", (char *) "echo out; echo err >&2; exit 7",
                       NULL };
  char *const sig[] = { (char *) "sh", (char *) "-c", (char *) "kill -TERM $$", NULL };
  char *out = NULL;
  int status = -1, r;

  r = confine_run_child ("/bin/sh", ok, &status, &out, 64, &err);
  CHECK (r == 0 && status == 7 && out && strcmp (out, "out\n") == 0,
         "a child's exit status and stdout are kept", "r=%d status=%d out=%s", r, status,
         out ? out : "(null)");
  free (out);
  r = confine_run_child ("/bin/sh", sig, &status, NULL, 0, &err);
  CHECK (r == 0 && status == 128 + SIGTERM, "a child killed by a signal reads as 128+N",
         "r=%d status=%d", r, status);

  /* The engine's TERM to us reaches the runtime: the child asks its
   * parent to be stopped and exits 9 only when the forwarded TERM comes. */
  {
    char *const fwd[] = { (char *) "sh", (char *) "-c",
                          (char *) "trap 'exit 9' TERM; kill -TERM $PPID; sleep 5 & wait", NULL };
    r = confine_run_child ("/bin/sh", fwd, &status, NULL, 0, &err);
    CHECK (r == 0 && status == 9, "a termination signal to the shim is forwarded to the child",
           "r=%d status=%d", r, status);
  }
  /* A signal the engine told us to ignore stays ignored in the runtime;
   * one we catch only to forward is the default there again. */
  {
    char *const ign[] = { (char *) "sh", (char *) "-c", (char *) "kill -USR1 $$; exit 3", NULL };
    char *const dfl[] = { (char *) "sh", (char *) "-c", (char *) "kill -USR2 $$; exit 3", NULL };
    struct sigaction sa = { .sa_handler = SIG_IGN }, old;
    sigaction (SIGUSR1, &sa, &old);
    r = confine_run_child ("/bin/sh", ign, &status, NULL, 0, &err);
    CHECK (r == 0 && status == 3, "an ignored signal stays ignored in the child", "r=%d status=%d",
           r, status);
    sigaction (SIGUSR1, &old, NULL);
    r = confine_run_child ("/bin/sh", dfl, &status, NULL, 0, &err);
    CHECK (r == 0 && status == 128 + SIGUSR2, "a forwarded signal has its default action in the child",
           "r=%d status=%d", r, status);
  }
  /* A runtime that cannot be executed is an error that names it, not an
   * exit status the caller would take for the runtime's own refusal. */
  {
    char *const none[] = { (char *) "absent", NULL };
    confine_error_t e2 = NULL;
    r = confine_run_child ("/nonexistent/runc", none, &status, NULL, 0, &e2);
    CHECK (r < 0 && e2 && strstr (e2->msg, "/nonexistent/runc") && e2->status == ENOENT,
           "a runtime that cannot be run is an error", "r=%d msg=%s", r, e2 ? e2->msg : "(none)");
    confine_error_release (&e2);
  }
}

/* runc's state.json, read for four fields: the kept paths are built,
 * everything else passed over, and still checked as JSON. */
static void
test_runc_state (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_runc_state_t st = { 0 };
  const char *text
      = "{\"id\":\"c1\",\"init_process_pid\":42,\"init_process_start\":1167659,"
        "\"created\":\"2026-11-30T02:53:00Z\",\"config\":{\"seccomp\":{\"syscalls\":"
        "[{\"names\":[\"read\"],\"labels\":[\"bundle=/decoy\"]}]},\"labels\":"
        "[\"io.x=1\",\"bundle=/run/b\"],\"mounts\":[{\"labels\":[1]}]},"
        "\"namespace_paths\":{\"NEWNS\":\"/proc/42/ns/mnt\"}}";
  const char *dup = "{\"id\":\"c1\",\"id\":\"c2\",\"init_process_pid\":1}";
  const char *bad = "{\"id\":\"c1\",\"config\":{\"seccomp\":[1,}}";
  int r;

  r = confine_runc_state_parse (text, strlen (text), &st, &err);
  CHECK (r == 0 && st.id && strcmp (st.id, "c1") == 0 && st.pid == 42 && st.has_start
             && st.start == 1167659 && st.bundle && strcmp (st.bundle, "/run/b") == 0,
         "runc's state: id, init pid and start, and config.labels' bundle, not a nested decoy",
         "r=%d id=%s pid=%lld bundle=%s %s", r, st.id ? st.id : "-", (long long) st.pid,
         st.bundle ? st.bundle : "-", err ? err->msg : "");
  confine_runc_state_clear (&st);
  confine_error_release (&err);
  CHECK (confine_runc_state_parse (dup, strlen (dup), &st, &err) < 0,
         "runc's state with a duplicate kept key is refused", "parsed");
  confine_error_release (&err);
  CHECK (confine_runc_state_parse (bad, strlen (bad), &st, &err) < 0,
         "runc's state that is not JSON in a part passed over is refused", "parsed");
}

static void
test_runc_root (void)
{
  cleanup_error confine_error_t err = NULL;
  char *root = NULL;

  cleanup_free char *cwd = getcwd (NULL, 0);
  cleanup_free char *want = NULL;

  CHECK (confine_runc_root ("/run/docker/runtime-runc/moby", &root, &err) == 0
             && strcmp (root, "/run/docker/runtime-runc/moby") == 0,
         "runc's root: an absolute --root as given", "%s", root ? root : "-");
  free (root);
  root = NULL;
  CHECK (cwd && asprintf (&want, "%s/state", cwd) > 0
             && confine_runc_root ("state", &root, &err) == 0 && strcmp (root, want) == 0,
         "runc's root: a relative --root from the directory runc starts in (reviseRootDir, "
         "before create changes into the bundle)",
         "%s", root ? root : "-");
  free (root);
  root = NULL;
  CHECK (confine_runc_root ("/run/docker//runtime-runc/./moby/x/../", &root, &err) == 0
             && strcmp (root, "/run/docker/runtime-runc/moby") == 0,
         "runc's root: an absolute --root cleaned as filepath.Abs cleans it (the start record "
         "of `R` is found under `R/`)",
         "%s", root ? root : "-");
  free (root);
  root = NULL;
  free (want);
  want = NULL;
  CHECK (cwd && asprintf (&want, "%s/y", cwd) > 0
             && confine_runc_root ("x/../y/", &root, &err) == 0 && strcmp (root, want) == 0,
         "runc's root: a relative --root joined to the current directory and cleaned", "%s",
         root ? root : "-");
  free (root);
  root = NULL;
  CHECK (confine_runc_root ("", &root, &err) < 0 && root == NULL,
         "runc's root: an empty --root is refused (runc resolves it per command)", "%s",
         root ? root : "-");
  confine_error_release (&err);
  if (geteuid () == 0)
    {
      unsetenv ("XDG_RUNTIME_DIR");
      CHECK (confine_runc_root (NULL, &root, &err) == 0 && strcmp (root, "/run/runc") == 0,
             "runc's root: /run/runc for root by default", "%s", root ? root : "-");
      free (root);
    }
}

static void
test_caps_mask (void)
{
  char *const names[] = { (char *) "CAP_CHOWN", (char *) "CAP_SYS_ADMIN", (char *) "cap_kill",
                          (char *) "CAP_NOT_A_CAP", NULL };
  CHECK (confine_caps_mask (names) == ((1ull << 0) | (1ull << 21)),
         "capability mask: runc's spellings only, as the kernel numbers them", "%llx",
         (unsigned long long) confine_caps_mask (names));
  CHECK (confine_caps_mask (NULL) == 0, "capability mask: an absent set is empty", "not empty");
}

/* A child that sleeps until killed, with an allow-all seccomp filter
 * when FILTERED (Seccomp: 2), else none (Seccomp: 0). */
static pid_t
sleeper (bool filtered)
{
  pid_t pid = fork ();
  if (pid < 0)
    abort ();
  if (pid == 0)
    {
      struct sock_filter allow = BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
      struct sock_fprog prog = { .len = 1, .filter = &allow };
      if (filtered
          && (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
              || prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0))
        _exit (1);
      for (;;)
        pause ();
    }
  return pid;
}

static void *
pause_thread (void *arg)
{
  int fd = *(int *) arg;
  pid_t tid = (pid_t) syscall (SYS_gettid);
  if (write (fd, &tid, sizeof (tid)) != sizeof (tid))
    _exit (1);
  for (;;)
    pause ();
  return NULL;
}

/* A process without a filter whose leader thread has exited (it shows as
 * a zombie) while another thread runs on: *THREAD gets that thread's id. */
static pid_t
zombie_leader (pid_t *thread)
{
  int p[2];
  pid_t pid;

  if (pipe (p) < 0)
    abort ();
  pid = fork ();
  if (pid < 0)
    abort ();
  if (pid == 0)
    {
      pthread_t t;
      close (p[0]);
      if (pthread_create (&t, NULL, pause_thread, &p[1]) != 0)
        _exit (1);
      pthread_exit (NULL);
    }
  close (p[1]);
  if (read (p[0], thread, sizeof (*thread)) != sizeof (*thread))
    abort ();
  close (p[0]);
  /* The leader is a zombie once its exit is seen in its state. */
  for (int i = 0; i < 1000; i++)
    {
      cleanup_free char *path = NULL, *st = NULL;
      cleanup_error confine_error_t err = NULL;
      size_t len = 0;
      if (asprintf (&path, "/proc/%d/stat", (int) pid) < 0)
        abort ();
      if (confine_read_file (path, 4096, &st, &len, &err) == 0 && strstr (st, ") Z "))
        break;
      usleep (1000);
    }
  return pid;
}

/* The cgroup: a folder whose thread lists the test writes. */
typedef struct
{
  const char *name;
  const char *expect_profile; /* NULL: the seccomp filter alone */
  bool init_gone;
  const char *threads;        /* the top list; NULL: no list at all */
  const char *sub_threads;    /* a cgroup below it; NULL: none */
  int want;                   /* 1 refused, 0 allowed, -1 error */
  const char *needle;         /* in the verdict's facts, or the error */
} cg_case_t;

static void
judge_cgroup_case (const confine_policy_t *p, const char *dir, const cg_case_t *c)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *file = NULL, *subdir = NULL, *subfile = NULL;
  confine_expect_t e = expect (c->expect_profile, true);
  confine_observed_t init = { .gone = c->init_gone, .seccomp = 2 };
  confine_cgroup_ref_t cg = { .dirfd = -1, .unified = true };
  confine_verdict_t v;
  const char *got;
  int r;

  if (asprintf (&file, "%s/cgroup.threads", dir) < 0 || asprintf (&subdir, "%s/sub", dir) < 0
      || asprintf (&subfile, "%s/cgroup.threads", subdir) < 0)
    abort ();
  unlink (subfile);
  rmdir (subdir);
  if (c->threads)
    harness_write (file, c->threads);
  else
    unlink (file);
  if (c->sub_threads)
    {
      if (mkdir (subdir, 0700) < 0)
        abort ();
      harness_write (subfile, c->sub_threads);
    }
  cg.dirfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cg.path = strdup (dir);
  /* As start does: the init's verdict first (a skip when it was gone). */
  confine_verify_judge (p, &e, 7, &init, &v);
  r = confine_verify_judge_cgroup (p, &e, 1, &cg, 0, c->init_gone, &v, &err);
  if (r < 0)
    got = err->msg;
  else
    got = strstr (v.results[CONFINE_RULE_APPARMOR].fact, c->needle)
              ? v.results[CONFINE_RULE_APPARMOR].fact
              : v.results[CONFINE_RULE_SECCOMP].fact;
  if (c->want < 0)
    CHECK (r < 0 && strstr (got, c->needle), c->name, "r=%d %s", r, got);
  else
    CHECK (r == 0 && v.refused == (c->want == 1) && strstr (got, c->needle), c->name,
           "r=%d refused=%d %s", r, r == 0 && v.refused, got);
  confine_verdict_clear (&v);
  confine_expect_clear (&e);
  confine_cgroup_ref_close (&cg);
}

static void
test_cgroup (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *one = NULL, *both = NULL, *dead_list = NULL, *many = NULL, *bare_s = NULL;
  cleanup_free char *needle_bare = NULL, *zleader = NULL, *zboth = NULL, *needle_thread = NULL;
  cleanup_free char *v1 = NULL, *v1file = NULL;
  confine_policy_t *p = policy ("");
  confine_task_ref_t self = { .dirfd = -1 };
  confine_cgroup_ref_t cg = { .dirfd = -1 };
  pid_t bare = sleeper (false), filtered = sleeper (true), dead = sleeper (false), thread = 0;
  pid_t zombie = zombie_leader (&thread);
  int ws, r;

  kill (dead, SIGKILL);
  waitpid (dead, &ws, 0);
  if (asprintf (&one, "%d\n", (int) filtered) < 0
      || asprintf (&both, "%d\n%d\n", (int) filtered, (int) bare) < 0
      || asprintf (&bare_s, "%d\n", (int) bare) < 0
      || asprintf (&dead_list, "%d\n", (int) dead) < 0
      || asprintf (&zleader, "%d\n%d\n", (int) filtered, (int) zombie) < 0
      || asprintf (&zboth, "%d\n%d\n%d\n", (int) filtered, (int) zombie, (int) thread) < 0
      || asprintf (&needle_bare, "pid %d has Seccomp: 0", (int) bare) < 0
      || asprintf (&needle_thread, "pid %d has Seccomp: 0", (int) thread) < 0)
    abort ();
  many = confine_xcalloc (CONFINE_VERIFY_REST_MAX + 1, strlen (one) + 1);
  for (int i = 0; i <= CONFINE_VERIFY_REST_MAX; i++)
    strcat (many, one);

  const cg_case_t cases[] = {
    { "init gone, a process left without the filter: refused, naming it", NULL, true, both,
      NULL, 1, needle_bare },
    { "init gone, the process left under the filter: allowed, and its verdict is the one "
      "logged (control)", NULL, true, one, NULL, 0, "is in seccomp filter mode" },
    { "init alive and passing, another process without the filter: refused", NULL, false,
      both, NULL, 1, needle_bare },
    { "init alive and passing, the others too: the init's verdict stands", NULL, false, one,
      NULL, 0, "pid 7 is in seccomp filter mode" },
    { "a process in a cgroup below the container's: judged, refused", NULL, true, one, bare_s,
      1, needle_bare },
    { "a process whose AppArmor label cannot be read: refused", "confine-default", true, one,
      NULL, 1, "AppArmor label of pid" },
    { "init gone and nothing left: the container ended, skipped as before", NULL, true, "",
      NULL, 0, "exited before it could be verified" },
    { "a process that is really gone (reaped) is skipped", NULL, true, dead_list, NULL, 0,
      "exited before it could be verified" },
    { "a zombie leader is gone, its live thread is not: with the thread listed, refused",
      NULL, true, zboth, NULL, 1, needle_thread },
    { "a zombie leader alone is skipped (what a list of leaders would have shown)", NULL, true,
      zleader, NULL, 0, "is in seccomp filter mode" },
    { "no thread list (the cgroup is gone or unreadable): an error, the container is killed",
      NULL, true, NULL, NULL, -1, "open cgroup.threads" },
    { "more threads than the bound: an error", NULL, true, many, NULL, -1,
      "more than 32768 threads" },
    { "a list that is not of thread ids: an error", NULL, true, "12x\n", NULL, -1,
      "not a thread id" },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    judge_cgroup_case (p, dir, &cases[i]);

  /* cgroup v1 reads `tasks`. */
  if (asprintf (&v1, "%s/v1", dir) < 0 || asprintf (&v1file, "%s/tasks", v1) < 0
      || mkdir (v1, 0700) < 0)
    abort ();
  harness_write (v1file, both);
  {
    confine_expect_t e = expect (NULL, true);
    confine_observed_t gone = { .gone = true };
    confine_verdict_t v;
    cg.dirfd = open (v1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cg.path = strdup (v1);
    cg.unified = false;
    confine_verify_judge (p, &e, 7, &gone, &v);
    r = confine_verify_judge_cgroup (p, &e, 1, &cg, 0, true, &v, &err);
    CHECK (r == 0 && v.refused, "cgroup v1: the `tasks` list is judged", "r=%d %s", r,
           r < 0 ? err->msg : v.results[CONFINE_RULE_SECCOMP].fact);
    confine_verdict_clear (&v);
    confine_expect_clear (&e);
    confine_cgroup_ref_close (&cg);
  }

  /* After an exec, a thread passes with either expectation (the exec'd
   * process's or the container's), and the facts say so. */
  {
    confine_expect_t two[2] = { expect (NULL, true), expect (NULL, false) };
    confine_observed_t gone = { .gone = true };
    confine_verdict_t v;
    two[0].after_exec = two[1].after_exec = true;
    harness_write (v1file, bare_s);
    for (size_t n = 1; n <= 2; n++)
      {
        cg.dirfd = open (v1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cg.path = strdup (v1);
        cg.unified = false;
        confine_verify_judge (p, &two[0], 7, &gone, &v);
        r = confine_verify_judge_cgroup (p, two, n, &cg, 0, true, &v, &err);
        if (n == 1)
          CHECK (r == 0 && v.refused
                     && strstr (v.results[CONFINE_RULE_SECCOMP].fact, "after exec, pid"),
                 "after exec: a thread that fails the one expectation is refused, in facts "
                 "that say `after exec`", "r=%d %s", r,
                 r < 0 ? err->msg : v.results[CONFINE_RULE_SECCOMP].fact);
        else
          CHECK (r == 0 && !v.refused, "after exec: a thread that passes the other "
                 "expectation (the container's) passes", "r=%d %s", r,
                 r < 0 ? err->msg : v.results[CONFINE_RULE_SECCOMP].fact);
        confine_verdict_clear (&v);
        confine_cgroup_ref_close (&cg);
      }
    /* Only what started since the exec began is the exec's: the bare
     * sleeper, older, is left out (it was judged when it began). */
    {
      uint64_t now = confine_boot_ticks ();
      usleep (20000);
      cg.dirfd = open (v1, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      cg.path = strdup (v1);
      confine_verify_judge (p, &two[0], 7, &gone, &v);
      r = confine_verify_judge_cgroup (p, two, 1, &cg, now + 1, true, &v, &err);
      CHECK (now > 0 && r == 0 && !v.refused, "after exec: a thread older than the exec is "
             "not judged again", "r=%d now=%llu", r, (unsigned long long) now);
      confine_verdict_clear (&v);
      confine_cgroup_ref_close (&cg);
    }
    confine_expect_clear (&two[0]);
    confine_expect_clear (&two[1]);
  }

  /* The cgroup is found as the kernel shows it. A process in the root
   * cgroup (this test, here) is refused: the root lists the host. */
  if (confine_task_pin (getpid (), &self, &err) != 1)
    abort ();
  r = confine_task_cgroup (&self, &cg, &err);
  {
    cleanup_free char *cgline = NULL;
    size_t len = 0;
    bool at_root = confine_read_file ("/proc/self/cgroup", 4096, &cgline, &len, &err) == 0
                   && (strstr (cgline, ":pids:/\n") || strstr (cgline, "0::/\n"));
    if (at_root)
      CHECK (r < 0 && strstr (err->msg, "not a container's cgroup"),
             "a process in the root cgroup has no container cgroup to judge", "r=%d", r);
    else
      CHECK (r == 0 && cg.dirfd >= 0, "the cgroup of a pinned process is found and opened",
             "%s", r < 0 ? err->msg : "");
  }
  confine_cgroup_ref_close (&cg);
  confine_task_ref_close (&self);
  kill (bare, SIGKILL);
  kill (filtered, SIGKILL);
  kill (zombie, SIGKILL);
  waitpid (bare, &ws, 0);
  waitpid (filtered, &ws, 0);
  waitpid (zombie, &ws, 0);
  confine_policy_free (p);
}

void
run_tests (void)
{
  test_runc_state ();
  test_runc_root ();
  test_caps_mask ();
  test_judge ();
  test_live ();
  test_from_verdict ();
  test_record ();
  test_prune ();
  test_process ();
  test_ref_kill ();
  test_cgroup ();
  test_run_child ();
}

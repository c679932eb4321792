/* SPDX-License-Identifier: Apache-2.0 */
/* conmon's command line read as conmon 2.1's GLib parser reads it: the
 * host paths it writes, one row per spelling, and every line the gate
 * cannot read with certainty refused. Then the conmon rule on a tree of
 * the test's own (`@`), whose `st` is a sensitive subtree standing for
 * /var/lib/containers/storage. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/conmon.h"
#include "../../base/utils.h"

#define ID "0123456789abcdef"
#define MAXARGS 48

/* Podman 4.3's conmon (libpod/oci_conmon_common.go), the log and the pid
 * file left to the cases. */
#define PODMAN "conmon", "--api-version", "1", "-c", ID, "-u", ID, "-r", "/usr/bin/runc", "-b", \
               "/st/vfs-containers/" ID "/userdata", "-n", "web", "--exit-dir",               \
               "/run/libpod/exits", "--full-attach", "-s", "--log-level", "warning",          \
               "--runtime-arg", "--log-format=json", "--runtime-arg", "--log",                \
               "--runtime-arg=/run/oci-log", "--exit-command", "/usr/bin/podman",             \
               "--exit-command-arg", "--root", "--exit-command-arg", "/st"
#define PIDFILE "-p", "/run/ctr/" ID "/pidfile"

static const struct
{
  const char *name;
  const char *argv[MAXARGS];
  const char *writes; /* "option=path;..." in order, or NULL for an error */
} cases[] = {
  { "podman-k8s-file",
    { PODMAN, PIDFILE, "-l", "k8s-file:/st/vfs-containers/" ID "/userdata/ctr.log",
      "--conmon-pidfile", "/run/ctr/conmon.pid" },
    "bundle=/st/vfs-containers/" ID "/userdata;exit-dir=/run/libpod/exits/" ID
    ";container-pidfile=/run/ctr/" ID "/pidfile;log-path=/st/vfs-containers/" ID
    "/userdata/ctr.log;conmon-pidfile=/run/ctr/conmon.pid;" },
  { "log-opt-path-in-etc", { PODMAN, PIDFILE, "-l", "k8s-file:/etc/profile.d/x.sh" },
    "bundle=/st/vfs-containers/" ID "/userdata;exit-dir=/run/libpod/exits/" ID
    ";container-pidfile=/run/ctr/" ID "/pidfile;log-path=/etc/profile.d/x.sh;" },
  { "journald-writes-no-file", { "conmon", "-c", ID, PIDFILE, "--full-attach", "-l", "journald" },
    "container-pidfile=/run/ctr/" ID "/pidfile;" },
  { "journald-colon", { "conmon", "-c", ID, PIDFILE, "--full-attach", "-l", "journald:" },
    "container-pidfile=/run/ctr/" ID "/pidfile;" },
  { "passthrough-none-off-null",
    { "conmon", "-c", ID, PIDFILE, "--full-attach", "-l", "passthrough", "-l", "none", "-l",
      "off", "-l", "null:x" },
    "container-pidfile=/run/ctr/" ID "/pidfile;" },
  { "plain-path", { "conmon", "-c", ID, PIDFILE, "--full-attach", "-l", "/var/log/x.log" },
    "container-pidfile=/run/ctr/" ID "/pidfile;log-path=/var/log/x.log;" },
  { "leading-colon-is-k8s-file", { "conmon", "-c", ID, PIDFILE, "--full-attach", "-l", ":/etc/x" },
    "container-pidfile=/run/ctr/" ID "/pidfile;log-path=/etc/x;" },
  { "equals-spelling",
    { "conmon", "--cid=" ID, "--container-pidfile=/p", "--full-attach", "--log-path=/etc/x" },
    "container-pidfile=/p;log-path=/etc/x;" },
  { "every-log-path-counts",
    { "conmon", "-c", ID, PIDFILE, "--full-attach", "-l", "journald", "-l", "k8s-file:/a",
      "--log-path", "/b" },
    "container-pidfile=/run/ctr/" ID "/pidfile;log-path=/a;log-path=/b;" },
  { "deprecated-pidfile", { "conmon", "-c", ID, "--pidfile", "/etc/x", "--full-attach" },
    "pidfile=/etc/x;" },
  { "persist-dir-gets-exit",
    { "conmon", "-c", ID, PIDFILE, "--full-attach", "-0", "/var/lib/p" },
    "container-pidfile=/run/ctr/" ID "/pidfile;persist-dir=/var/lib/p/exit;" },
  { "socket-dir-link-without-full-attach",
    { "conmon", "-c", ID, "-u", "uu", PIDFILE, "--socket-dir-path", "/var/run/crio" },
    "container-pidfile=/run/ctr/" ID "/pidfile;socket-dir-path=/var/run/crio/uu;" },
  { "default-socket-dir", { "conmon", "-c", ID, PIDFILE },
    "container-pidfile=/run/ctr/" ID "/pidfile;socket-dir-path=/var/run/crio/" ID ";" },
  { "seccomp-notify-socket",
    { "conmon", "-c", ID, PIDFILE, "--full-attach", "--seccomp-notify-socket", "/etc/s" },
    "container-pidfile=/run/ctr/" ID "/pidfile;seccomp-notify-socket=/etc/s;" },
  { "flag-cluster", { "conmon", "-c", ID, PIDFILE, "--full-attach", "-ti", "-s" },
    "container-pidfile=/run/ctr/" ID "/pidfile;" },
  { "double-dash-ends-options",
    { "conmon", "-c", ID, PIDFILE, "--full-attach", "--", "-l", "/etc/x" },
    "container-pidfile=/run/ctr/" ID "/pidfile;" },
  /* Errors: where conmon writes is not certain. */
  { "second-colon", { "conmon", "-c", ID, PIDFILE, "-l", "k8s-file:/etc/x:y" }, NULL },
  { "unknown-driver", { "conmon", "-c", ID, PIDFILE, "-l", "json-file:/etc/x" }, NULL },
  { "k8s-file-without-path", { "conmon", "-c", ID, PIDFILE, "-l", "k8s-file:" }, NULL },
  { "relative-log", { "conmon", "-c", ID, PIDFILE, "-l", "x.log" }, NULL },
  { "relative-pidfile", { "conmon", "-c", ID, "-p", "pidfile" }, NULL },
  { "empty-log", { "conmon", "-c", ID, PIDFILE, "-l", "" }, NULL },
  { "unknown-long", { "conmon", "-c", ID, PIDFILE, "--log-file", "/etc/x" }, NULL },
  { "unknown-short", { "conmon", "-c", ID, PIDFILE, "-L", "/etc/x" }, NULL },
  { "value-in-the-same-word", { "conmon", "-c", ID, PIDFILE, "-l/etc/x" }, NULL },
  { "value-option-in-cluster", { "conmon", "-c", ID, PIDFILE, "-tl", "/etc/x" }, NULL },
  { "flag-with-value", { "conmon", "-c", ID, PIDFILE, "--full-attach=1" }, NULL },
  { "missing-value", { "conmon", "-c", ID, PIDFILE, "-l" }, NULL },
  { "no-pidfile", { "conmon", "-c", ID, "--full-attach", "-l", "none" }, NULL },
  { "no-cid", { "conmon", PIDFILE, "--full-attach" }, NULL },
  { "cid-with-slash", { "conmon", "-c", "../../etc", PIDFILE, "--full-attach" }, NULL },
  { "cuuid-with-slash", { "conmon", "-c", ID, "-u", "../x", PIDFILE }, NULL },
};

static char *
describe (const confine_conmon_t *c)
{
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&out, &len);
  for (size_t w = 0; w < c->n_writes; w++)
    fprintf (f, "%s=%s;", c->writes[w].option, c->writes[w].path);
  fclose (f);
  return out;
}

static void
parse_cases (void)
{
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_conmon_t c = { 0 };
      size_t argc = 0;
      int r;

      while (argc < MAXARGS && cases[i].argv[argc])
        argc++;
      r = confine_conmon_parse ((char *const *) cases[i].argv, argc, &c, &err);
      if (cases[i].writes == NULL)
        CHECK (r < 0 && err && strstr (err->msg, "conmon's command line"), cases[i].name,
               "parsed: %s", r < 0 ? err->msg : "no error");
      else
        {
          cleanup_free char *got = r < 0 ? NULL : describe (&c);
          CHECK (got && strcmp (got, cases[i].writes) == 0, cases[i].name, "got %s",
                 got ? got : err->msg);
        }
      confine_conmon_clear (&c);
    }
  {
    cleanup_error confine_error_t err = NULL;
    confine_conmon_t c = { 0 };
    const char *argv[] = { "conmon", "-c", ID, PIDFILE, "--full-attach", "--exec" };
    CHECK (confine_conmon_parse ((char *const *) argv, 7, &c, &err) == 0 && c.exec
               && strcmp (c.cid, ID) == 0,
           "exec-session-marked", "exec %d", c.exec);
    confine_conmon_clear (&c);
  }
}

/* A process standing for conmon holds FILE open for writing (as conmon
 * holds its log, opened before it ran the runtime) while its command line
 * names a harmless log: the open file is what is judged. */
static void
open_file_case (const char *name, confine_policy_t *policy, const char *bundle,
                const char *file, int flags, confine_result_kind_t want, const char *fact)
{
  int ready[2];
  char c = 0;
  pid_t child;
  const char *argv[] = { "conmon", "-c", ID, "-p", "/tmp/confine-unit-pid", "--full-attach",
                         "-l", "none" };

  if (pipe (ready) < 0)
    abort ();
  child = fork ();
  if (child == 0)
    {
      int null = open ("/dev/null", O_RDWR), fd;
      /* Nothing else open for writing: the test's own output may be a file. */
      for (int i = 0; i < 3; i++)
        dup2 (null, i);
      for (int i = 3; i < 1024; i++)
        if (i != ready[1])
          close (i);
      fd = open (file, flags | O_CREAT | O_CLOEXEC, 0600);
      (void) !write (ready[1], fd < 0 ? "e" : "k", 1);
      pause ();
      _exit (0);
    }
  if (child < 0 || read (ready[0], &c, 1) != 1 || c != 'k')
    CHECK (false, name, "the child could not open %s", file);
  else
    {
      confine_context_t ctx = { .policy = policy, .id = ID, .bundle = bundle,
                                .conmon_argv = (char *const *) argv,
                                .conmon_argc = sizeof (argv) / sizeof (argv[0]),
                                .conmon_pid = child };
      confine_subject_t s = { 0 };
      harness_rule_case (name, confine_rule_conmon, &ctx, &s, want, fact);
    }
  if (child > 0)
    {
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
    }
  close (ready[0]);
  close (ready[1]);
}

static void
open_file_cases (confine_policy_t *policy, const char *dir, const char *bundle)
{
  cleanup_free char *sens = confine_xasprintf ("%s/st/x.log", dir);
  cleanup_free char *plain = confine_xasprintf ("%s/plain/y.log", dir);
  open_file_case ("open-log-in-sensitive-tree-refused", policy, bundle, sens,
                  O_WRONLY | O_APPEND, CONFINE_RESULT_FAIL,
                  "x.log` as root (open for writing), which is inside the host's `");
  open_file_case ("open-log-in-plain-directory-passes", policy, bundle, plain,
                  O_WRONLY | O_APPEND, CONFINE_RESULT_PASS, "holds 1 file(s) open for writing");
  open_file_case ("file-open-read-only-passes", policy, bundle, sens, O_RDONLY,
                  CONFINE_RESULT_PASS, "holds 0 file(s) open for writing");
}

/* The rule on the test's tree: @/st is sensitive (Podman's graph root),
 * @/plain is not, @/crio is in conmon.allowed_subtrees. */
static void
rule_cases (void)
{
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *bundle = NULL, *runroot = NULL, *plain = NULL, *crio = NULL;
  confine_policy_t *policy = NULL;
  static const struct
  {
    const char *name, *cid, *log, *pidfile;
    confine_result_kind_t want;
    const char *fact;
  } rows[] = {
    { "default-podman-paths-pass", ID, "@/st/vfs-containers/" ID "/userdata/ctr.log",
      "@/run/vfs-containers/" ID "/userdata/pidfile", CONFINE_RESULT_PASS, "writes 4 path(s) and holds 0" },
    { "plain-directory-passes", ID, "@/plain/x.log", "@/plain/pid", CONFINE_RESULT_PASS,
      "each in the container's own" },
    { "allowed-subtree-passes", ID, "@/crio/pods/x.log", "@/plain/pid", CONFINE_RESULT_PASS,
      "writes" },
    { "log-in-etc-refused", ID, "/etc/confine-unit-x.sh", "@/plain/pid", CONFINE_RESULT_FAIL,
      "writes `/etc/confine-unit-x.sh` as root (--log-path" },
    { "pidfile-in-root-refused", ID, "@/plain/x.log", "/root/confine-unit-pid",
      CONFINE_RESULT_FAIL, "--container-pidfile `/root/confine-unit-pid`" },
    { "another-containers-userdata-refused", ID,
      "@/st/vfs-containers/fedcba9876543210/userdata/ctr.log", "@/plain/pid", CONFINE_RESULT_FAIL,
      "is inside the host's `" },
    { "graph-root-itself-refused", ID, "@/st/x.log", "@/plain/pid", CONFINE_RESULT_FAIL,
      "is inside the host's `" },
    { "another-container-refused", "fedcba9876543210", "@/plain/x.log", "@/plain/pid",
      CONFINE_RESULT_FAIL, "not the container `" ID "` being created" },
  };

  bundle = confine_xasprintf ("%s/st/vfs-containers/" ID "/userdata", dir);
  runroot = confine_xasprintf ("%s/run/vfs-containers/" ID "/userdata", dir);
  plain = confine_xasprintf ("%s/plain", dir);
  crio = confine_xasprintf ("%s/crio/pods", dir);
  for (const char *d = bundle; d; d = d == bundle ? runroot : d == runroot ? plain : d == plain ? crio : NULL)
    {
      cleanup_free char *cmd = confine_xasprintf ("mkdir -p '%s'", d);
      CHECK (system (cmd) == 0, "mkdir", "%s", d);
    }
  policy = harness_policy ("{\"mounts\":{\"sensitive_subtrees\":[\"/etc\",\"/root\",\"%s/st\","
                           "\"%s/run\"]},\"conmon\":{\"allowed_subtrees\":[\"%s/crio\"]}}",
                           dir, dir, dir);
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_free char *log = harness_replace (rows[i].log, '@', dir);
      cleanup_free char *pid = harness_replace (rows[i].pidfile, '@', dir);
      cleanup_free char *logarg = confine_xasprintf ("k8s-file:%s", log);
      const char *argv[] = { "conmon", "--api-version", "1", "-c", rows[i].cid, "-u", rows[i].cid,
                             "-b", bundle, "-p", pid, "--exit-dir", "/run/libpod/exits",
                             "--full-attach", "-l", logarg };
      confine_context_t ctx = { .policy = policy, .id = ID, .bundle = bundle,
                                .conmon_argv = (char *const *) argv,
                                .conmon_argc = sizeof (argv) / sizeof (argv[0]) };
      confine_subject_t s = { 0 };
      harness_rule_case (rows[i].name, confine_rule_conmon, &ctx, &s, rows[i].want,
                         rows[i].fact);
    }
  {
    confine_context_t ctx = { .policy = policy, .id = ID };
    confine_subject_t s = { 0 };
    harness_rule_case ("no-conmon-passes", confine_rule_conmon, &ctx, &s, CONFINE_RESULT_PASS,
                       "not started by conmon");
  }
  {
    const char *argv[] = { "conmon", "-c", ID, "-l", "/x" };
    confine_context_t ctx = { .policy = policy, .id = ID, .conmon_argv = (char *const *) argv,
                              .conmon_argc = 5 };
    confine_subject_t s = { 0 };
    harness_rule_case ("unreadable-line-refused", confine_rule_conmon, &ctx, &s,
                       CONFINE_RESULT_FAIL, "cannot tell where conmon writes");
  }
  open_file_cases (policy, dir, bundle);
  confine_policy_free (policy);
}

/* This process is not conmon; its parent (the test runner) is not either. */
static void
find_cases (void)
{
  cleanup_error confine_error_t err = NULL;
  bool is = true;
  long pid = -1;
  CHECK (confine_conmon_is ((long) getpid (), &is, &err) == 0 && !is, "self-is-not-conmon",
         "is %d", is);
  CHECK (confine_conmon_above_runtime ((long) getpid (), &pid, &err) == 0 && pid == 0,
         "no-conmon-above", "pid %ld", pid);
  CHECK (confine_conmon_is (999999999, &is, &err) < 0, "gone-process-is-an-error", "no error");
}

void
run_tests (void)
{
  parse_cases ();
  rule_cases ();
  find_cases ();
}

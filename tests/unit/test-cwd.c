/* SPDX-License-Identifier: Apache-2.0 */
/* The cwd rule, one row per case, on a container root the test builds
 * with the symlinks an image could ship. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static const struct
{
  const char *name;
  const char *cwd;
  bool exec; /* judged as an exec process with no container to resolve in */
  confine_result_kind_t want;
  const char *fact; /* a fragment of the fact */
} cases[] = {
  { "absent", NULL, false, CONFINE_RESULT_PASS, "no process.cwd" },
  { "root", "/", false, CONFINE_RESULT_PASS, "resolves to `/`" },
  { "plain-dir", "/work", false, CONFINE_RESULT_PASS, "resolves to `/work`" },
  { "missing-dir", "/not/there", false, CONFINE_RESULT_PASS, "resolves to `/not/there`" },
  { "proc-self-fd", "/proc/self/fd/7", false, CONFINE_RESULT_FAIL, "CVE-2024-21626" },
  { "proc-pid-cwd", "/proc/1/cwd", false, CONFINE_RESULT_FAIL, "/proc directory" },
  { "proc-thread-self", "/proc/thread-self/fd/3", false, CONFINE_RESULT_FAIL, "/proc directory" },
  { "proc-dotdot", "/proc/../proc/self/fd/3", false, CONFINE_RESULT_FAIL, "`/proc/self`" },
  { "proc-itself", "/proc", false, CONFINE_RESULT_PASS, "resolves to `/proc`" },
  { "procfoo", "/procfoo/1", false, CONFINE_RESULT_PASS, "resolves to `/procfoo/1`" },
  { "absolute-link", "/evil", false, CONFINE_RESULT_FAIL, "resolves through symbolic links to `/proc/self`" },
  { "link-in-the-middle", "/evil/x", false, CONFINE_RESULT_FAIL, "`/proc/self`" },
  { "relative-link", "/a/b", false, CONFINE_RESULT_FAIL, "`/proc/1`" },
  { "link-chain", "/chain", false, CONFINE_RESULT_FAIL, "`/proc/self`" },
  { "link-escaping-root", "/up", false, CONFINE_RESULT_PASS, "resolves to `/work`" },
  { "link-loop", "/loop", false, CONFINE_RESULT_FAIL, "too many symbolic links" },
  { "exec-proc-fd", "/proc/self/fd/5", true, CONFINE_RESULT_FAIL, "CVE-2024-21626" },
  { "exec-plain", "/evil", true, CONFINE_RESULT_PASS, "not resolved" },
  { "no-root-yet", "/evil", false, CONFINE_RESULT_PASS, "the root does not exist yet" },
};

typedef struct
{
  const char *rootfs;
  int host_dir; /* leaked: a directory of the host's namespace, else -1 */
} init_t;

/* A waiting init as runc leaves it after `create`: in its own mount
 * namespace, in ROOTFS, its working directory process.cwd, or a
 * directory of the host's namespace it held a descriptor of before it
 * joined its own (CVE-2024-21626). */
static int
enter_root (void *arg)
{
  const init_t *init = arg;
  if (mount (init->rootfs, init->rootfs, NULL, MS_BIND, NULL) < 0 || chroot (init->rootfs) < 0
      || (init->host_dir >= 0 ? fchdir (init->host_dir) : chdir ("/work")) < 0)
    return -1;
  return 0;
}

static pid_t
waiting_init (const char *rootfs, bool leaked)
{
  init_t init = { rootfs, leaked ? open ("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1 };
  pid_t pid;

  if (leaked && init.host_dir < 0)
    abort ();
  pid = harness_in_own_mount_ns (enter_root, &init);
  if (init.host_dir >= 0)
    close (init.host_dir);
  return pid;
}

/* After create, the init's working directory itself is judged: a host
 * directory is refused whatever the path resolves to now. */
static void
init_cwd_cases (confine_policy_t *policy, const char *dir, const char *rootfs)
{
  static const struct
  {
    const char *name;
    bool leaked;
    confine_result_kind_t want;
    const char *fact;
  } init_cases[] = {
    { "init-cwd-in-its-namespace", false, CONFINE_RESULT_PASS, "resolves to `/work`" },
    { "init-cwd-leaked-host-dir", true, CONFINE_RESULT_FAIL,
      "on a mount outside the container's mount namespace" },
  };

  for (size_t i = 0; i < sizeof (init_cases) / sizeof (init_cases[0]); i++)
    {
      confine_spec_t spec = { .root_path = (char *) "rootfs" };
      pid_t pid = waiting_init (rootfs, init_cases[i].leaked);
      confine_context_t ctx = { .policy = policy, .bundle = dir, .pid = pid };
      confine_subject_t s = { &spec, &spec.process };

      spec.process.cwd = (char *) "/work";
      harness_rule_case (init_cases[i].name, confine_rule_cwd, &ctx, &s, init_cases[i].want,
                         init_cases[i].fact);
      harness_stop (pid);
    }
}

void
run_tests (void)
{
  char *dir = harness_tmpdir ();
  char *rootfs = NULL;
  confine_policy_t *policy = NULL;

  if (asprintf (&rootfs, "%s/rootfs", dir) < 0 || mkdir (rootfs, 0755) < 0
      || chdir (rootfs) < 0 || mkdir ("proc", 0755) < 0 || mkdir ("work", 0755) < 0
      || mkdir ("a", 0755) < 0 || symlink ("/proc/self/fd/7", "evil") < 0
      || symlink ("../../proc/1/cwd", "a/b") < 0 || symlink ("/evil", "chain") < 0
      || symlink ("../../../../work", "up") < 0 || symlink ("/loop", "loop") < 0
      || chdir ("/") < 0)
    abort ();
  policy = harness_policy ("{}");
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      confine_spec_t spec = { 0 };
      confine_context_t ctx = { .policy = policy, .bundle = dir };
      confine_subject_t s = { cases[i].exec ? NULL : &spec, &spec.process };
      spec.root_path = (char *) (strcmp (cases[i].name, "no-root-yet") == 0 ? "missing" : "rootfs");
      spec.process.cwd = (char *) cases[i].cwd;
      harness_rule_case (cases[i].name, confine_rule_cwd, &ctx, &s, cases[i].want, cases[i].fact);
    }
  init_cwd_cases (policy, dir, rootfs);
  confine_policy_free (policy);
  free (rootfs);
  free (dir);
}

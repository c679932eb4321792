/* SPDX-License-Identifier: Apache-2.0 */
/* One container's life as containerd-shim-runc-v2 drives a runtime for
 * `docker run`: create, start, wait for the container's process, delete.
 *
 *   lifecycle RUNTIME ROOT BUNDLE ID
 *
 * runs, each as a child waited for:
 *
 *   RUNTIME --root ROOT --log BUNDLE/log.json --log-format json create
 *           --bundle BUNDLE --pid-file BUNDLE/init.pid ID
 *   RUNTIME --root ROOT --log BUNDLE/log.json --log-format json start ID
 *   (the container's process is reaped: we are a child subreaper, as the
 *    shim is, so runc's detached init becomes our child)
 *   RUNTIME --root ROOT --log BUNDLE/log.json --log-format json delete ID
 *
 * and exits 0 only when every step and the container's process exited 0.
 * The environment goes to the runtime as it is (CONFINE_POLICY, PATH).
 * Whoever times us (bench/timer) gets every process's CPU time in its
 * rusage: the runtime's, its hooks', and the container's, which we reap. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char log_path[4096], pid_path[4096];

/* Runs RUNTIME with the global flags and ARGS; returns its exit status,
 * or -1 when it did not exit normally. */
static int
step (const char *runtime, const char *root, const char *const *args)
{
  const char *argv[16] = { runtime, "--root", root, "--log", log_path, "--log-format", "json" };
  int n = 7, status = 0;
  pid_t pid;

  for (; *args && n < 15; args++)
    argv[n++] = *args;
  argv[n] = NULL;
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      execvp (runtime, (char *const *) argv);
      _exit (127);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static pid_t
read_pid (void)
{
  char buf[32] = "";
  int fd = open (pid_path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : read (fd, buf, sizeof (buf) - 1);
  long v;

  if (fd >= 0)
    close (fd);
  if (n <= 0 || sscanf (buf, "%ld", &v) != 1 || v <= 1)
    return -1;
  return (pid_t) v;
}

int
main (int argc, char **argv)
{
  const char *runtime, *root, *bundle, *id;
  int status = 0, rc = 0;
  pid_t init;

  if (argc != 5)
    {
      fprintf (stderr, "usage: lifecycle RUNTIME ROOT BUNDLE ID\n");
      return 2;
    }
  runtime = argv[1], root = argv[2], bundle = argv[3], id = argv[4];
  if (snprintf (log_path, sizeof (log_path), "%s/log.json", bundle) >= (int) sizeof (log_path)
      || snprintf (pid_path, sizeof (pid_path), "%s/init.pid", bundle) >= (int) sizeof (pid_path)
      || prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    return 2;

  {
    const char *create[] = { "create", "--bundle", bundle, "--pid-file", pid_path, id, NULL };
    const char *start[] = { "start", id, NULL };
    if (step (runtime, root, create) != 0)
      return 1;
    if ((init = read_pid ()) < 0 || step (runtime, root, start) != 0)
      rc = 1;
  }
  /* The init is ours once `create` has exited. Reap everything until it
   * is gone: a hook's orphans would be ours too. */
  while (rc == 0)
    {
      pid_t p = waitpid (-1, &status, 0);
      if (p < 0 && errno == EINTR)
        continue;
      if (p < 0)
        {
          rc = 1;
          break;
        }
      if (p == init)
        {
          if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
            rc = 1;
          break;
        }
    }
  {
    /* After a failure the container may still run: --force, as the shim
     * does when it cleans up. */
    const char *del[] = { "delete", id, NULL };
    const char *force[] = { "delete", "--force", id, NULL };
    if (step (runtime, root, rc == 0 ? del : force) != 0)
      rc = 1;
  }
  return rc;
}

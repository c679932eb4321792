/* SPDX-License-Identifier: Apache-2.0 */
/* The host's other network namespaces (src/netns.c): which processes'
 * sockets are containers' (a table of namespace layouts, pure), and, on
 * the live host, a child listening in a network namespace of its own:
 * listed, entered, and its socket held by no container. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/netns.h"
#include "../../base/utils.h"

/* Namespace inodes: the gate's (the host's) are 1, 2, 3; container A's
 * init has 11, 12, 13, container B's 21, 22, 23; 9x are a host
 * service's own. */
static const confine_ns_ids_t gate = { 1, 2, 3 };
static const confine_ns_ids_t inits[] = { { 11, 12, 13 }, { 21, 22, 23 } };
static const confine_ns_ids_t host_pid_init[] = { { 1, 12, 13 } };
static const confine_ns_ids_t host_mnt_init[] = { { 11, 2, 13 } };
static const confine_ns_ids_t host_net_init[] = { { 11, 12, 3 } };

static const struct
{
  const char *name;
  ino_t net; /* the socket's namespace */
  confine_ns_ids_t holder;
  const confine_ns_ids_t *inits;
  size_t n;
  bool want;
} cases[] = {
  { "a process of container A, its socket in A's namespace, is a container's", 13,
    { 11, 12, 13 }, inits, 2, true },
  { "a process of container B (the second init) is a container's", 23, { 21, 22, 23 }, inits, 2,
    true },
  { "a host service under `unshare -n` (host pid and mount) is not", 93, { 1, 2, 93 }, inits, 2,
    false },
  { "a host service under `unshare -n -m` (host pid) is not", 93, { 1, 92, 93 }, inits, 2, false },
  { "a host service under `unshare -n -m -p` (no container's) is not", 93, { 91, 92, 93 }, inits,
    2, false },
  { "a host process that entered A's network namespace only is not", 13, { 1, 2, 13 }, inits, 2,
    false },
  { "a host process that entered A's pid and network namespaces, not its mounts, is not", 13,
    { 11, 2, 13 }, inits, 2, false },
  { "A's process holding a socket of another namespace is not", 93, { 11, 12, 13 }, inits, 2,
    false },
  { "a process of A holding B's socket is not", 23, { 11, 12, 13 }, inits, 2, false },
  { "a process mixing A's and B's namespaces is not", 13, { 11, 22, 13 }, inits, 2, false },
  { "no container recorded: nothing is a container's", 13, { 11, 12, 13 }, NULL, 0, false },
  { "an init in the host's pid namespace (--pid=host) admits nobody", 13, { 1, 12, 13 },
    host_pid_init, 1, false },
  { "an init in the host's mount namespace admits nobody", 13, { 11, 2, 13 }, host_mnt_init, 1,
    false },
  { "an init in the host's network namespace admits nobody", 3, { 11, 12, 3 }, host_net_init, 1,
    false },
};

/* A child in a network namespace of its own listening at PATH; *SOCK
 * gets its socket's inode. */
static pid_t
listener (const char *path, ino_t *sock)
{
  int pipefd[2];
  pid_t pid;

  if (pipe (pipefd) < 0 || (pid = fork ()) < 0)
    abort ();
  if (pid == 0)
    {
      struct sockaddr_un a = { .sun_family = AF_UNIX };
      struct stat st;
      int fd;
      ino_t ino = 0;
      if (strlen (path) >= sizeof (a.sun_path))
        _exit (1);
      memcpy (a.sun_path, path, strlen (path));
      if (unshare (CLONE_NEWNET) == 0 && (fd = socket (AF_UNIX, SOCK_STREAM, 0)) >= 0
          && bind (fd, (struct sockaddr *) &a, sizeof (a)) == 0 && listen (fd, 1) == 0
          && fstat (fd, &st) == 0)
        ino = st.st_ino;
      if (write (pipefd[1], &ino, sizeof (ino)) != sizeof (ino))
        _exit (1);
      pause ();
      _exit (0);
    }
  close (pipefd[1]);
  if (read (pipefd[0], sock, sizeof (*sock)) != sizeof (*sock) || *sock == 0)
    {
      printf ("FAIL netns-listener: the child could not listen in a namespace of its own\n");
      exit (1);
    }
  close (pipefd[0]);
  return pid;
}

void
run_tests (void)
{
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      bool got = confine_in_container (cases[i].net, &cases[i].holder, cases[i].inits, cases[i].n,
                                       &gate);
      CHECK (got == cases[i].want, cases[i].name, "got %d", got);
    }

  {
    char *dir = harness_tmpdir (), path[256], nspath[64];
    confine_netns_t *ns = NULL;
    size_t n = 0, found = SIZE_MAX;
    ino_t self = 0, sock = 0, theirs;
    struct stat st;
    confine_error_t err = NULL;
    pid_t child;
    bool listed_self = false;

    snprintf (path, sizeof (path), "%s/s", dir);
    child = listener (path, &sock);
    snprintf (nspath, sizeof (nspath), "/proc/%d/ns/net", (int) child);
    if (stat (nspath, &st) < 0)
      abort ();
    theirs = st.st_ino;

    if (confine_netns_list (&ns, &n, &self, &err) < 0)
      CHECK (false, "the host's network namespaces are listed", "%s", err->msg);
    for (size_t i = 0; i < n; i++)
      {
        listed_self |= ns[i].ino == self;
        if (ns[i].ino == theirs)
          for (size_t p = 0; p < ns[i].n_pids; p++)
            if (ns[i].pids[p] == child)
              found = i;
      }
    CHECK (found != SIZE_MAX, "a child's own network namespace is listed, with the child in it",
           "net:[%lu] not found among %zu", (unsigned long) theirs, n);
    CHECK (!listed_self, "the gate's own network namespace is not listed among the others", "%s",
           "listed");

    if (found != SIZE_MAX)
      {
        int fd = -1, nsfd;
        if (confine_netns_diag_sockets (&ns[found], 1, &fd, &err) < 0)
          CHECK (false, "a sock_diag socket is made in the child's namespace", "%s", err->msg);
        else
          {
            /* SIOCGSKNS: the namespace the socket was made in. */
            nsfd = ioctl (fd, SIOCGSKNS);
            CHECK (nsfd >= 0 && fstat (nsfd, &st) == 0 && st.st_ino == theirs,
                   "a sock_diag socket is made in the child's namespace", "it is in net:[%lu]",
                   (unsigned long) st.st_ino);
            close (nsfd);
            close (fd);
          }
      }
    confine_error_release (&err);

    {
      bool contained = true;
      pid_t outside = 0;
      int r = confine_sockets_of_containers (&sock, &theirs, 1, NULL, &contained, &outside, &err);
      CHECK (r == 0 && !contained && outside == child,
             "a host process's listener in its own namespace is held outside every container",
             "r=%d contained=%d outside=%d (child %d)", r, contained, (int) outside, (int) child);
      confine_error_release (&err);
    }
    {
      /* A socket inode nobody holds: not a container's, and no holder. */
      ino_t nobody = (ino_t) -2;
      bool contained = true;
      pid_t outside = 1;
      int r = confine_sockets_of_containers (&nobody, &theirs, 1, NULL, &contained, &outside, &err);
      CHECK (r == 0 && !contained && outside == 0, "a socket no process holds is not a container's",
             "r=%d contained=%d outside=%d", r, contained, (int) outside);
      confine_error_release (&err);
    }

    {
      /* A namespace that cannot be entered any more: refused, not skipped. */
      confine_netns_t gone = { .ino = theirs, .pids = &child, .n_pids = 1 };
      int fd = -1;
      kill (child, SIGKILL);
      waitpid (child, NULL, 0);
      CHECK (confine_netns_diag_sockets (&gone, 1, &fd, &err) < 0 && fd == -1,
             "a namespace whose processes have all exited cannot be entered: an error", "fd %d",
             fd);
      confine_error_release (&err);
    }
    confine_netns_free (ns, n);
    unlink (path);
    rmdir (dir);
    free (dir);
  }
}

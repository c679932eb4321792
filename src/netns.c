/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "netns.h"
#include "process.h"
#include "status.h"
#include "../base/utils.h"

/* More processes than the kernel's largest pid_max are not read. */
#define MAX_PROCS (1u << 22)

typedef struct
{
  ino_t ino;
  pid_t pid;
} ns_pid_t;

static int
by_ino (const void *a, const void *b)
{
  const ns_pid_t *x = a, *y = b;
  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  return (x->pid > y->pid) - (x->pid < y->pid);
}

/* A process that has exited, or is exiting (a zombie has no namespaces
 * left), while /proc was read. */
static bool
gone (int e)
{
  return e == ENOENT || e == ESRCH;
}

static pid_t
proc_pid (const char *name)
{
  uint64_t v;
  if (confine_parse_u64 (name, INT32_MAX, &v) < 0 || v == 0)
    return 0;
  return (pid_t) v;
}

void
confine_netns_free (confine_netns_t *v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    free (v[i].pids);
  free (v);
}

int
confine_netns_list (confine_netns_t **out, size_t *n, ino_t *self, confine_error_t *err)
{
  cleanup_dir DIR *d = opendir ("/proc");
  cleanup_free ns_pid_t *v = NULL;
  confine_netns_t *ns = NULL;
  size_t nv = 0, cap = 0, nns = 0;
  struct dirent *e;
  struct stat st;

  if (d == NULL)
    return confine_make_error (err, errno, "list the host's network namespaces: /proc");
  if (stat ("/proc/self/ns/net", &st) < 0)
    return confine_make_error (err, errno, "read the gate's own network namespace");
  *self = st.st_ino;
  while ((errno = 0, e = readdir (d)) != NULL)
    {
      char link[64];
      pid_t pid = proc_pid (e->d_name);

      if (pid == 0)
        continue;
      snprintf (link, sizeof (link), "%d/ns/net", (int) pid);
      if (fstatat (dirfd (d), link, &st, 0) < 0)
        {
          if (gone (errno))
            continue;
          if (errno != EACCES)
            return confine_make_error (err, errno, "read the network namespace of process %d",
                                       (int) pid);
          /* The kernel hides it even from root (a sandbox's agent): the
           * namespace is unknown, 0. */
          st.st_ino = 0;
        }
      else if (st.st_ino == *self)
        continue;
      if (confine_append (&v, &nv, &cap, sizeof (*v), MAX_PROCS, err) < 0)
        return -1;
      v[nv - 1] = (ns_pid_t){ st.st_ino, pid };
    }
  if (errno != 0)
    return confine_make_error (err, errno, "list the host's network namespaces: /proc");
  qsort (v, nv, sizeof (*v), by_ino);
  for (size_t i = 0; i < nv; i++)
    if (i == 0 || v[i].ino != v[i - 1].ino)
      nns++;
  ns = confine_xcalloc (nns + 1, sizeof (*ns));
  nns = 0;
  for (size_t i = 0; i < nv; i++)
    {
      confine_netns_t *cur;
      if (i == 0 || v[i].ino != v[i - 1].ino)
        {
          cur = &ns[nns++];
          cur->ino = v[i].ino;
          cur->pids = confine_xcalloc (nv - i, sizeof (pid_t));
        }
      cur = &ns[nns - 1];
      cur->pids[cur->n_pids++] = v[i].pid;
    }
  *out = ns;
  *n = nns;
  return 0;
}

/* An open descriptor of namespace NS, through the first of its
 * processes still there, checked to be that namespace (its pid may have
 * been reused by a process elsewhere). */
static int
open_netns (const confine_netns_t *ns, confine_error_t *err)
{
  for (size_t p = 0; p < ns->n_pids; p++)
    {
      char path[64];
      struct stat st;
      int fd;

      snprintf (path, sizeof (path), "/proc/%d/ns/net", (int) ns->pids[p]);
      if ((fd = open (path, O_RDONLY | O_CLOEXEC)) < 0)
        {
          if (gone (errno))
            continue;
          return confine_make_error (err, errno, "open the network namespace net:[%lu]",
                                     (unsigned long) ns->ino);
        }
      if (fstat (fd, &st) == 0 && st.st_ino == ns->ino)
        return fd;
      close (fd);
    }
  return confine_make_error (err, ESRCH, "open the network namespace net:[%lu]: every process "
                             "in it has exited", (unsigned long) ns->ino);
}

/* In the child: enter each namespace and send back, over SV, an errno
 * (0 on success) and the socket made there. Only system calls: the
 * child of a fork may not allocate. */
static void __attribute__ ((noreturn))
diag_child (int sv, const int *nsfds, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      union
      {
        char buf[CMSG_SPACE (sizeof (int))];
        struct cmsghdr align;
      } ctl;
      int status = 0, fd = -1;
      struct iovec iov = { &status, sizeof (status) };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

      /* setns needs CAP_SYS_ADMIN, which the hook keeps permitted but
       * not effective (hook/main.c): raised here, in this child alone. */
      if (confine_process_raise_cap (CAP_SYS_ADMIN) < 0 || setns (nsfds[i], CLONE_NEWNET) < 0)
        status = errno;
      else if ((fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)) < 0)
        status = errno;
      if (fd >= 0)
        {
          struct cmsghdr *c;
          memset (&ctl, 0, sizeof (ctl));
          msg.msg_control = ctl.buf;
          msg.msg_controllen = sizeof (ctl.buf);
          c = CMSG_FIRSTHDR (&msg);
          c->cmsg_level = SOL_SOCKET;
          c->cmsg_type = SCM_RIGHTS;
          c->cmsg_len = CMSG_LEN (sizeof (int));
          memcpy (CMSG_DATA (c), &fd, sizeof (int));
        }
      if (sendmsg (sv, &msg, MSG_NOSIGNAL) < 0)
        _exit (1);
      if (fd >= 0)
        close (fd);
      if (status != 0)
        _exit (1);
    }
  _exit (0);
}

/* One answer of diag_child: the socket in *FD. */
static int
diag_receive (int sv, const confine_netns_t *ns, int *fd, confine_error_t *err)
{
  union
  {
    char buf[CMSG_SPACE (sizeof (int))];
    struct cmsghdr align;
  } ctl;
  int status = -1;
  struct iovec iov = { &status, sizeof (status) };
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                        .msg_controllen = sizeof (ctl.buf) };
  struct cmsghdr *c;
  ssize_t r;

  while ((r = recvmsg (sv, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
    ;
  if (r < 0)
    return confine_make_error (err, errno, "list the sockets of network namespace net:[%lu]",
                               (unsigned long) ns->ino);
  c = CMSG_FIRSTHDR (&msg);
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS
      && c->cmsg_len == CMSG_LEN (sizeof (int)))
    memcpy (fd, CMSG_DATA (c), sizeof (int));
  if (r != (ssize_t) sizeof (status) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || status != 0
      || *fd < 0)
    return confine_make_error (err, r == (ssize_t) sizeof (status) && status > 0 ? status : EPROTO,
                               "enter the network namespace net:[%lu] (of process %d)",
                               (unsigned long) ns->ino, (int) ns->pids[0]);
  return 0;
}

int
confine_netns_diag_sockets (const confine_netns_t *ns, size_t n, int *fds, confine_error_t *err)
{
  cleanup_free int *nsfds = confine_xcalloc (n + 1, sizeof (int));
  cleanup_close int sv0 = -1;
  int sv[2], status = 0, r = 0;
  size_t opened = 0, got = 0;
  pid_t child;

  for (size_t i = 0; i < n; i++)
    fds[i] = -1;
  for (; opened < n; opened++)
    if ((nsfds[opened] = open_netns (&ns[opened], err)) < 0)
      {
        r = -1;
        goto out;
      }
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    {
      r = confine_make_error (err, errno, "list other network namespaces: socketpair");
      goto out;
    }
  sv0 = sv[0];
  if ((child = fork ()) < 0)
    {
      close (sv[1]);
      r = confine_make_error (err, errno, "list other network namespaces: fork");
      goto out;
    }
  if (child == 0)
    diag_child (sv[1], nsfds, n);
  close (sv[1]);
  for (; got < n && r == 0; got++)
    r = diag_receive (sv0, &ns[got], &fds[got], err);
  /* The child stops at a closed pair (EPIPE) if we stopped reading. */
  close (steal_fd (&sv0));
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      {
        status = -1;
        break;
      }
  if (r == 0 && !(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    r = confine_make_error (err, ECHILD, "list other network namespaces: the child failed");
out:
  for (size_t i = 0; i < opened; i++)
    close (nsfds[i]);
  if (r < 0)
    for (size_t i = 0; i < n; i++)
      if (fds[i] >= 0)
        {
          close (fds[i]);
          fds[i] = -1;
        }
  return r;
}

/* The namespaces of process PID. */
static int
ns_ids (pid_t pid, confine_ns_ids_t *out)
{
  static const char *const names[] = { "pid", "mnt", "net" };
  ino_t *slot[] = { &out->pid, &out->mnt, &out->net };

  for (size_t i = 0; i < 3; i++)
    {
      char link[64];
      struct stat st;
      snprintf (link, sizeof (link), "/proc/%d/ns/%s", (int) pid, names[i]);
      if (stat (link, &st) < 0)
        return -1;
      *slot[i] = st.st_ino;
    }
  return 0;
}

bool
confine_in_container (ino_t net, const confine_ns_ids_t *holder, const confine_ns_ids_t *inits,
                      size_t n, const confine_ns_ids_t *gate)
{
  for (size_t i = 0; i < n; i++)
    {
      const confine_ns_ids_t *c = &inits[i];
      /* An init that shares any of the three with the gate (the host's,
       * where the gate runs) does not make its namespaces a container's:
       * host processes are in them too. */
      if (c->pid == gate->pid || c->mnt == gate->mnt || c->net == gate->net)
        continue;
      if (c->net == net && holder->pid == c->pid && holder->mnt == c->mnt && holder->net == c->net)
        return true;
    }
  return false;
}

/* The namespaces of each live init of a container the runtimes record:
 * runc's default state roots, and RUNTIME_ROOT when not NULL. A state
 * that cannot be read, or an init that is gone, makes no process a
 * container's. */
static int
container_inits (const char *runtime_root, confine_ns_ids_t **out, size_t *n,
                 confine_error_t *err)
{
  cleanup_strv char **roots = NULL;
  cleanup_free confine_ns_ids_t *v = NULL;
  confine_containers_t list = { 0 };
  size_t cap = 0;
  int r = 0;

  if (confine_runc_default_roots (&roots, err) < 0)
    return -1;
  if (runtime_root && !confine_strv_has (roots, runtime_root))
    {
      size_t len = confine_strv_len (roots);
      roots = confine_xreallocarray (roots, len + 2, sizeof (char *));
      roots[len] = confine_xstrdup (runtime_root);
      roots[len + 1] = NULL;
    }
  if (confine_runc_containers (roots, &list, err) < 0)
    return -1;
  *n = 0;
  for (size_t i = 0; i < list.n && r == 0; i++)
    {
      const confine_container_t *c = &list.items[i];
      confine_ns_ids_t ids;
      if (c->error || c->pid <= 0 || strcmp (c->status, "stopped") == 0 || ns_ids (c->pid, &ids) < 0)
        continue;
      if ((r = confine_append (&v, n, &cap, sizeof (*v), CONFINE_STATUS_MAX_CONTAINERS, err)) == 0)
        v[*n - 1] = ids;
    }
  confine_containers_clear (&list);
  if (r < 0)
    return -1;
  *out = steal_pointer (&v);
  return 0;
}

/* The socket inode a descriptor's link names (`socket:[N]`), or 0. */
static ino_t
socket_of (int dirfd, const char *name)
{
  char target[64];
  uint64_t v;
  ssize_t len = readlinkat (dirfd, name, target, sizeof (target) - 1);

  if (len < 9 || strncmp (target, "socket:[", 8) != 0 || target[len - 1] != ']')
    return 0;
  target[len - 1] = '\0';
  if (confine_parse_u64 (target + 8, UINT64_MAX, &v) < 0)
    return 0;
  return (ino_t) v;
}

int
confine_sockets_of_containers (const ino_t *socks, const ino_t *nets, size_t n,
                               const char *runtime_root, bool *contained, pid_t *outside,
                               confine_error_t *err)
{
  cleanup_dir DIR *d = NULL;
  cleanup_free confine_ns_ids_t *inits = NULL;
  cleanup_free bool *held = confine_xcalloc (n + 1, sizeof (bool));
  confine_ns_ids_t gate;
  size_t n_inits = 0;
  struct dirent *e;

  for (size_t i = 0; i < n; i++)
    {
      contained[i] = false;
      outside[i] = 0;
    }
  if (ns_ids (getpid (), &gate) < 0)
    return confine_make_error (err, errno, "read the gate's own namespaces");
  if (container_inits (runtime_root, &inits, &n_inits, err) < 0)
    return -1;
  if ((d = opendir ("/proc")) == NULL)
    return confine_make_error (err, errno, "find the holders of sockets: /proc");
  while ((errno = 0, e = readdir (d)) != NULL)
    {
      cleanup_dir DIR *fdd = NULL;
      struct dirent *f;
      char sub[64];
      pid_t pid = proc_pid (e->d_name);
      confine_ns_ids_t ids;
      bool have_ids = false;
      int fd;

      if (pid == 0)
        continue;
      snprintf (sub, sizeof (sub), "%d/fd", (int) pid);
      if ((fd = openat (dirfd (d), sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        {
          if (gone (errno))
            continue;
          return confine_make_error (err, errno, "read the descriptors of process %d", (int) pid);
        }
      if ((fdd = fdopendir (fd)) == NULL)
        {
          close (fd);
          return confine_make_error (err, errno, "read the descriptors of process %d", (int) pid);
        }
      while ((errno = 0, f = readdir (fdd)) != NULL)
        {
          ino_t sock = socket_of (dirfd (fdd), f->d_name);
          for (size_t i = 0; sock && i < n; i++)
            {
              if (socks[i] != sock)
                continue;
              /* A process that exits now holds nothing any more. */
              if (!have_ids && ns_ids (pid, &ids) < 0)
                break;
              have_ids = true;
              held[i] = true;
              if (outside[i] == 0 && !confine_in_container (nets[i], &ids, inits, n_inits, &gate))
                outside[i] = pid;
            }
        }
      if (errno != 0 && !gone (errno))
        return confine_make_error (err, errno, "read the descriptors of process %d", (int) pid);
    }
  if (errno != 0)
    return confine_make_error (err, errno, "find the holders of sockets: /proc");
  for (size_t i = 0; i < n; i++)
    contained[i] = held[i] && outside[i] == 0;
  return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* The host's other network namespaces, for the socket rule: a unix
 * socket bound at a path is reached through the filesystem from any
 * network namespace, so a host process listening in one of its own
 * (systemd's PrivateNetwork=, `ip netns exec`, `unshare -n`) is as much
 * a host server as one in the gate's. Which namespaces exist, a
 * sock_diag socket inside each, and whether the processes holding a
 * socket are containers' (see confine_held_by_containers). */
#ifndef CONFINE_NETNS_H
#define CONFINE_NETNS_H

#include <stdbool.h>
#include <sys/types.h>

#include "../base/error.h"

/* A network namespace (by its nsfs inode) and the processes /proc
 * showed in it, any of which leads into it while it lives. */
typedef struct
{
  ino_t ino;
  pid_t *pids;
  size_t n_pids;
} confine_netns_t;

/* Every network namespace a process of the host is in, except the
 * gate's own (*SELF gets its inode), sorted. A process that exits while
 * read is skipped; those whose namespace the kernel does not show even
 * to root (EACCES) are listed under inode 0, first; any other failure to
 * read one is an error. */
int confine_netns_list (confine_netns_t **out, size_t *n, ino_t *self, confine_error_t *err);
void confine_netns_free (confine_netns_t *v, size_t n);

/* FDS[i]: a NETLINK_SOCK_DIAG socket created inside NS[i] (N of them),
 * by a child that enters each with setns and hands the sockets back; a
 * socket answers for the namespace it was created in. Any namespace
 * that cannot be entered is an error. */
int confine_netns_diag_sockets (const confine_netns_t *ns, size_t n, int *fds,
                                confine_error_t *err);

/* A process's pid, mount and network namespaces, by nsfs inode. */
typedef struct
{
  ino_t pid, mnt, net;
} confine_ns_ids_t;

/* Whether a process whose namespaces are HOLDER, holding a socket of
 * network namespace NET, is a container's: it is in the very pid, mount
 * and network namespaces of one of INITS (N of them: the live inits of
 * the containers the runtimes recorded), whose network namespace is NET,
 * and that init has a pid, mount and network namespace of its own, none
 * of them the gate's (GATE). Pure. */
bool confine_in_container (ino_t net, const confine_ns_ids_t *holder,
                           const confine_ns_ids_t *inits, size_t n, const confine_ns_ids_t *gate);

/* For each of the N sockets whose own inodes are SOCKS[i] (`socket:[N]`
 * in a holder's /proc/PID/fd), of network namespaces NETS[i]:
 * CONTAINED[i] when at least one process holds it and every one is a
 * container's (confine_in_container), the containers being those that
 * runc's default state roots and RUNTIME_ROOT (the gate's runtime's, or
 * NULL) record; otherwise OUTSIDE[i] is a holder that is no container's
 * (0: no process holds it). One pass over /proc for all N. */
int confine_sockets_of_containers (const ino_t *socks, const ino_t *nets, size_t n,
                                   const char *runtime_root, bool *contained, pid_t *outside,
                                   confine_error_t *err);

#endif

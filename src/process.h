/* SPDX-License-Identifier: Apache-2.0 */
/* Process hygiene shared by the front ends, after bubblewrap and doas:
 * they run as root on every container start, with whatever fds and
 * environment the runtime or engine handed down. */
#ifndef CONFINE_PROCESS_H
#define CONFINE_PROCESS_H

#include <stddef.h>
#include <sys/capability.h>

#include "../base/error.h"

/* Close every fd above stderr, set
 * no_new_privs, and clear the environment except for the named variables
 * (NULL-terminated). For processes that end in a decision, like the hook
 * and the CLI. Not for the shim: it execs runc, which would inherit
 * no_new_privs and pass it to every container (breaking setuid programs
 * and AppArmor's profile change at exec), and it must keep the console
 * socket and preserved fds. */
int confine_process_sanitize (const char *const *keep_env, confine_error_t *err);

/* Keep only the capabilities in KEEP (N of them) in the effective and
 * permitted sets, and those in LATENT (NL of them) in the permitted set
 * alone, to be raised by confine_process_raise_cap where one step needs
 * them; drop all inheritable and ambient ones. Only ever drops: a
 * capability we do not hold is not added. Called before any untrusted
 * input is parsed, so a parser bug runs with as little as we need. */
int confine_process_drop_caps (const cap_value_t *keep, size_t n, const cap_value_t *latent,
                               size_t nl, confine_error_t *err);

/* Raise CAP from the permitted set into the effective one: 0, or -1 with
 * errno (EPERM when it is not permitted). System calls only, so that the
 * child of a fork may call it. */
int confine_process_raise_cap (int cap);

/* The command line of process PID, as a NULL-terminated vector in one
 * allocation (*ARGV; free it alone), and its length. */
int confine_process_argv (long pid, char ***argv, size_t *argc, confine_error_t *err);

/* Refuse, with a `confine: ` line on stderr, if the process is still
 * running after SECONDS: a stuck read must not hang a container start. */
void confine_process_deadline (unsigned seconds, const char *what);
/* When the deadline passes, SIGKILL the process PIDFD refers to first
 * (-1: nobody): a container that could not be verified in time must never
 * get to run. A pidfd or a pinned /proc/<pid> directory (both name one
 * process to pidfd_send_signal), so a recycled pid is never hit. */
void confine_process_deadline_victim (int pidfd);

#endif

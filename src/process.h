/* SPDX-License-Identifier: Apache-2.0 */
/* Process hygiene shared by the front ends, after bubblewrap and doas:
 * they run as root on every container start, with whatever fds and
 * environment the runtime or engine handed down. */
#ifndef CONFINE_PROCESS_H
#define CONFINE_PROCESS_H

#include "error.h"

/* Close every fd above stderr except KEEP_FROM.. (pass -1 for none), set
 * no_new_privs, and clear the environment except for the named variables
 * (NULL-terminated). The shim must keep its inherited fds (the console
 * socket, the preserved fds), so it passes 3 as KEEP_FROM. */
int confine_process_sanitize (int keep_from, const char *const *keep_env, confine_error_t *err);

/* Refuse, with a `confine: ` line on stderr, if the process is still
 * running after SECONDS: a stuck read must not hang a container start. */
void confine_process_deadline (unsigned seconds, const char *what);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* One error object for the whole tree, after crun's libcrun_error_t.
 * A failing function returns a negative int (or NULL) and fills *err;
 * only main() reports it and picks the exit code. */
#ifndef CONFINE_ERROR_H
#define CONFINE_ERROR_H

#include <stdint.h>

struct confine_error_s
{
  int status; /* errno of the failure, 0 when none applies */
  char *msg;
};
typedef struct confine_error_s *confine_error_t;

#define CONFINE_PRINTF(a, b) __attribute__ ((format (printf, a, b)))

/* Always returns a negative value, so `return confine_make_error (...)`
 * can never be mistaken for success by a caller that tests `< 0`. */
int confine_make_error (confine_error_t *err, int status, const char *fmt, ...) CONFINE_PRINTF (3, 4);
/* Prefix context to an existing error; returns a negative value too. */
int confine_error_wrap (confine_error_t *err, const char *fmt, ...) CONFINE_PRINTF (2, 3);
void confine_error_release (confine_error_t *err);
#define cleanup_error __attribute__ ((cleanup (confine_error_release)))

#endif

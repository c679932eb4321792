/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Used when we cannot even allocate the error: the failure must still be
 * a failure, so the refusal still happens, with a message that says why. */
static struct confine_error_s oom_error = { ENOMEM, (char *) "out of memory" };

int
confine_make_error (confine_error_t *err, int status, const char *fmt, ...)
{
  va_list ap;
  char *msg = NULL;
  char *full = NULL;
  struct confine_error_s *e;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);

  if (msg != NULL && status != 0)
    {
      if (asprintf (&full, "%s: %s", msg, strerror (status)) < 0)
        full = NULL;
      free (msg);
      msg = full;
    }

  confine_error_release (err);
  e = msg ? calloc (1, sizeof (*e)) : NULL;
  if (e == NULL)
    {
      free (msg);
      *err = &oom_error;
      return -1;
    }
  e->status = status;
  e->msg = msg;
  *err = e;
  return -1;
}

int
confine_error_wrap (confine_error_t *err, const char *fmt, ...)
{
  va_list ap;
  char *prefix = NULL;
  char *full = NULL;
  struct confine_error_s *e = *err;

  if (e == NULL)
    return confine_make_error (err, 0, "internal error: error wrapped before it was made");
  if (e == &oom_error)
    return -1;

  va_start (ap, fmt);
  if (vasprintf (&prefix, fmt, ap) < 0)
    prefix = NULL;
  va_end (ap);
  if (prefix == NULL || asprintf (&full, "%s: %s", prefix, e->msg) < 0)
    {
      /* Keep the original message rather than lose the error. */
      free (prefix);
      return -1;
    }
  free (prefix);
  free (e->msg);
  e->msg = full;
  return -1;
}

void
confine_error_release (confine_error_t *err)
{
  if (err == NULL || *err == NULL)
    return;
  if (*err != &oom_error)
    {
      free ((*err)->msg);
      free (*err);
    }
  *err = NULL;
}

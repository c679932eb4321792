/* SPDX-License-Identifier: Apache-2.0 */
/* How a refusal reaches the engine: the line `confine: refused: ...` on
 * stderr, and a runc-style error line in the --log file, because that is
 * where containerd looks for the error it shows to the Docker user. The
 * exit status is 1. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shim.h"
#include "../front/report.h"
#include "../base/utils.h"

/* A line in runc's --log file, in the format runc writes there, so the
 * engine's "last error line" logic picks up our reason. containerd always
 * passes --log-format json; JSON is written unless `text` was asked for. */
static void
log_runc_error (const confine_shim_inv_t *inv, const char *msg)
{
  cleanup_close int fd = -1;
  char ts[32];
  time_t now = time (NULL);
  struct tm tm;
  bool text = inv->log_format && strcmp (inv->log_format, "text") == 0;

  if (inv->log == NULL || inv->log[0] == '\0')
    return;
  gmtime_r (&now, &tm);
  if (strftime (ts, sizeof (ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    ts[0] = '\0';
  /* runc opens it the same way (O_APPEND, 0644); O_NOFOLLOW because the
   * path sits in a bundle we do not own. */
  fd = open (inv->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
             0644);
  if (fd < 0)
    return;
  if (text)
    {
      cleanup_free char *line = NULL;
      cleanup_free char *quoted = NULL;
      size_t n = strlen (msg);
      char *q;
      /* logrus's text format quotes with Go's %q; escaping `"` and `\`
       * is all a one-line message needs. */
      if ((quoted = malloc (2 * n + 1)) == NULL)
        return;
      q = quoted;
      for (const char *c = msg; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            *q++ = '\\';
          *q++ = *c;
        }
      *q = '\0';
      if (asprintf (&line, "time=\"%s\" level=error msg=\"%s\"\n", ts, quoted) < 0)
        return;
      cleanup_error confine_error_t ignored = NULL;
      confine_write_all (fd, line, strlen (line), &ignored);
      return;
    }

  {
    cleanup_free char *line = NULL;
    cleanup_error confine_error_t ignored = NULL;
    size_t n;
    if (confine_log_format_runc (msg, ts, &line, &ignored) < 0)
      return;
    /* One write for line and newline, so lines never interleave; the
     * NUL is overwritten, the write goes by length. */
    n = strlen (line);
    line[n] = '\n';
    confine_write_all (fd, line, n + 1, &ignored);
  }
}

int
confine_shim_refuse (const confine_shim_inv_t *inv, const char *msg)
{
  cleanup_free char *full = NULL;
  if (asprintf (&full, "confine: %s", msg) < 0)
    full = NULL;
  fprintf (stderr, "%s\n", full ? full : "confine: refused");
  log_runc_error (inv, full ? full : "confine: refused");
  return 1;
}

int
confine_shim_refuse_error (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                           confine_log_entry_t *entry, confine_error_t *err)
{
  cleanup_free char *full = NULL;

  /* Logged as a decision only once the policy is known. */
  confine_report_error (policy, policy ? entry : NULL, err);
  if (asprintf (&full, "confine: refused: %s", (*err)->msg) < 0)
    full = NULL;
  log_runc_error (inv, full ? full : "confine: refused");
  return 1;
}

int
confine_shim_conclude (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                       confine_log_entry_t *entry, confine_verdict_t *v, const char *summary)
{
  bool refused = v->refused;

  /* What audit mode lets through goes to the decision log and syslog
   * only: the shim's stderr is the engine's, and can end up in the
   * container's logs. */
  confine_report_log (policy, entry, v);
  confine_verdict_clear (v);
  return refused ? confine_shim_refuse (inv, summary) : 0;
}

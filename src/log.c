/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>

#include "log.h"
#include "../base/utils.h"

static const char *
verdict_name (const confine_verdict_t *v, const char *error)
{
  if (error || v == NULL || v->refused)
    return "refuse";
  return v->would_refuse ? "audit-refuse" : "allow";
}

int
confine_log_format (const confine_policy_t *policy, const confine_log_entry_t *e,
                    const confine_verdict_t *v, char **out, confine_error_t *err)
{
  static const char *const kinds[] = { "pass", "fail", "skip" };
  static const char *const sev[] = { "off", "warn", "deny" };
  char ts[64];
  struct timespec now;
  struct tm tm;
  /* A fact may quote a host path that is not UTF-8; the line stays JSON. */
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_REPLACE_INVALID);

  clock_gettime (CLOCK_REALTIME, &now);
  gmtime_r (&now.tv_sec, &tm);
  if (strftime (ts, sizeof (ts), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    ts[0] = '\0';
  {
    size_t l = strlen (ts);
    snprintf (ts + l, sizeof (ts) - l, ".%06ldZ", now.tv_nsec / 1000);
  }

  confine_jgen_open (g, NULL, false);
  confine_jgen_str (g, "time", ts);
  confine_jgen_str (g, "component", e->component);
  confine_jgen_str (g, "action", e->action);
  confine_jgen_str (g, "id", e->id);
  confine_jgen_str (g, "bundle", e->bundle);
  confine_jgen_str (g, "verdict", verdict_name (v, e->error));
  confine_jgen_str (g, "mode", policy && policy->audit ? "audit" : "enforce");
  confine_jgen_str (g, "policy_sha256", policy ? policy->sha256 : NULL);
  if (e->error)
    confine_jgen_str (g, "error", e->error);
  if (e->changes)
    confine_jgen_strv (g, "changes", e->changes);
  confine_jgen_open (g, "rules", false);
  for (int i = 0; v && i < CONFINE_RULES; i++)
    {
      const confine_rule_result_t *r = &v->results[i];
      confine_jgen_open (g, confine_rule_names[i], false);
      confine_jgen_str (g, "result", kinds[r->kind]);
      confine_jgen_str (g, "severity", sev[r->severity]);
      confine_jgen_str (g, "fact", r->fact);
      if (r->exemption >= 0)
        {
          const confine_exemption_t *ex = &policy->exemptions[r->exemption];
          confine_jgen_int (g, "exemption", r->exemption);
          if (ex->comment)
            confine_jgen_str (g, "exemption_comment", ex->comment);
        }
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, false);
  confine_jgen_close (g, false);
  if (confine_jgen_finish (g, out, NULL, err) < 0)
    return confine_error_wrap (err, "decision log line");
  return 0;
}

int
confine_log_format_runc (const char *msg, const char *time, char **out, confine_error_t *err)
{
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_REPLACE_INVALID);

  confine_jgen_open (g, NULL, false);
  confine_jgen_str (g, "level", "error");
  confine_jgen_str (g, "msg", msg);
  confine_jgen_str (g, "time", time);
  confine_jgen_close (g, false);
  if (confine_jgen_finish (g, out, NULL, err) < 0)
    return confine_error_wrap (err, "runc error line");
  return 0;
}

int
confine_log_decision (const confine_policy_t *policy, const confine_log_entry_t *e,
                      const confine_verdict_t *v, confine_error_t *err)
{
  cleanup_free char *line = NULL;
  cleanup_close int fd = -1;
  struct stat st;
  size_t len;
  ssize_t w;

  if (confine_log_format (policy, e, v, &line, err) < 0)
    return -1;
  openlog ("confine", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
  syslog ((e->error || (v && v->would_refuse)) ? LOG_WARNING : LOG_INFO, "%s", line);
  closelog ();

  if (policy == NULL || policy->decision_log == NULL || policy->decision_log[0] == '\0')
    return 0;
  len = strlen (line);
  line[len] = '\n'; /* the NUL goes; we write by length */
  /* O_NONBLOCK: a FIFO put where the log should be must not hang every
   * container start; anything but a regular file is refused. */
  fd = open (policy->decision_log,
             O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0640);
  if (fd < 0)
    return confine_make_error (err, errno, "decision log `%s`", policy->decision_log);
  if (fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "decision log `%s`", policy->decision_log);
  if (!S_ISREG (st.st_mode))
    return confine_make_error (err, 0, "decision log `%s` is not a regular file",
                               policy->decision_log);
  /* One write of the whole line: O_APPEND makes the offset update and the
   * write one step, so lines from concurrent starts never interleave. A
   * short write (a full disk) would leave half a line for the next one to
   * glue onto, so writers take the file's lock, and a short write is cut
   * back to where the file ended before it. */
  if (flock (fd, LOCK_EX) < 0 || fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "decision log `%s`", policy->decision_log);
  w = write (fd, line, len + 1);
  if (w >= 0 && (size_t) w == len + 1)
    return 0;
  {
    int saved = w < 0 ? errno : ENOSPC;
    if (w > 0 && ftruncate (fd, st.st_size) < 0)
      return confine_make_error (err, errno, "decision log `%s`: cannot remove a partial line",
                                 policy->decision_log);
    return confine_make_error (err, saved, "decision log `%s`", policy->decision_log);
  }
}

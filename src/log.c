/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <yajl/yajl_gen.h>

#include "log.h"
#include "../base/utils.h"

/* The generator and whether every call so far succeeded: a call that
 * fails part-way would leave a key without its value, a line that parses
 * as something else than what was decided. */
typedef struct
{
  yajl_gen g;
  bool ok;
} out_t;

static void
check (out_t *o, yajl_gen_status s)
{
  if (s != yajl_gen_status_ok)
    o->ok = false;
}

static void
put (out_t *o, const char *s)
{
  yajl_gen_status st = yajl_gen_string (o->g, (const unsigned char *) s, strlen (s));
  /* A fact may quote a host path that is not UTF-8; the line stays JSON. */
  if (st == yajl_gen_invalid_string)
    st = yajl_gen_string (o->g, (const unsigned char *) "(not valid UTF-8)", 17);
  check (o, st);
}

static void
kv (out_t *o, const char *k, const char *v)
{
  put (o, k);
  if (v)
    put (o, v);
  else
    check (o, yajl_gen_null (o->g));
}

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
  const unsigned char *buf = NULL;
  size_t len = 0;
  char ts[64];
  struct timespec now;
  struct tm tm;
  out_t o = { NULL, true };
  int ret = 0;

  clock_gettime (CLOCK_REALTIME, &now);
  gmtime_r (&now.tv_sec, &tm);
  if (strftime (ts, sizeof (ts), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    ts[0] = '\0';
  {
    size_t l = strlen (ts);
    snprintf (ts + l, sizeof (ts) - l, ".%06ldZ", now.tv_nsec / 1000);
  }

  o.g = yajl_gen_alloc (NULL);
  if (o.g == NULL)
    return confine_make_error (err, ENOMEM, "allocate JSON generator");
  yajl_gen_config (o.g, yajl_gen_validate_utf8, 1);
  check (&o, yajl_gen_map_open (o.g));
  kv (&o, "time", ts);
  kv (&o, "component", e->component);
  kv (&o, "action", e->action);
  kv (&o, "id", e->id);
  kv (&o, "bundle", e->bundle);
  kv (&o, "verdict", verdict_name (v, e->error));
  kv (&o, "mode", policy && policy->audit ? "audit" : "enforce");
  kv (&o, "policy_sha256", policy ? policy->sha256 : NULL);
  if (e->error)
    kv (&o, "error", e->error);
  if (e->changes)
    {
      put (&o, "changes");
      check (&o, yajl_gen_array_open (o.g));
      for (char *const *c = e->changes; *c; c++)
        put (&o, *c);
      check (&o, yajl_gen_array_close (o.g));
    }
  put (&o, "rules");
  check (&o, yajl_gen_map_open (o.g));
  for (int i = 0; v && i < CONFINE_RULES; i++)
    {
      const confine_rule_result_t *r = &v->results[i];
      put (&o, confine_rule_names[i]);
      check (&o, yajl_gen_map_open (o.g));
      kv (&o, "result", kinds[r->kind]);
      kv (&o, "severity", sev[r->severity]);
      kv (&o, "fact", r->fact);
      if (r->exemption >= 0)
        {
          const confine_exemption_t *ex = &policy->exemptions[r->exemption];
          put (&o, "exemption");
          check (&o, yajl_gen_integer (o.g, r->exemption));
          if (ex->comment)
            kv (&o, "exemption_comment", ex->comment);
        }
      check (&o, yajl_gen_map_close (o.g));
    }
  check (&o, yajl_gen_map_close (o.g));
  check (&o, yajl_gen_map_close (o.g));
  if (!o.ok || yajl_gen_get_buf (o.g, &buf, &len) != yajl_gen_status_ok)
    ret = confine_make_error (err, 0, "format decision log line");
  else if ((*out = confine_xstrndup ((const char *) buf, len)) == NULL)
    ret = -1;
  yajl_gen_free (o.g);
  return ret;
}

int
confine_log_format_runc (const char *msg, const char *time, char **out, confine_error_t *err)
{
  const unsigned char *buf = NULL;
  out_t o = { yajl_gen_alloc (NULL), true };
  size_t len = 0;
  int ret = 0;

  if (o.g == NULL)
    return confine_make_error (err, ENOMEM, "allocate JSON generator");
  yajl_gen_config (o.g, yajl_gen_validate_utf8, 1);
  check (&o, yajl_gen_map_open (o.g));
  kv (&o, "level", "error");
  kv (&o, "msg", msg);
  kv (&o, "time", time);
  check (&o, yajl_gen_map_close (o.g));
  if (!o.ok || yajl_gen_get_buf (o.g, &buf, &len) != yajl_gen_status_ok)
    ret = confine_make_error (err, 0, "format runc error line");
  else if ((*out = confine_xstrndup ((const char *) buf, len)) == NULL)
    ret = -1;
  yajl_gen_free (o.g);
  return ret;
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

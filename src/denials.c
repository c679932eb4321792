/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "denials.h"
#include "status.h"
#include "../base/utils.h"

/* A kernel log record is at most 8 KiB (printk's limit is 1 KiB of text,
 * plus dictionary lines). */
#define KMSG_RECORD_MAX 8192
#define FIELD_MAX 4096

/* The value of KEY in a record's `key=value key="value"` list, decoded:
 * the kernel writes a value it cannot quote safely (spaces, quotes,
 * control characters) as unquoted hex. False and NULL when absent. */
static bool
field (const char *s, const char *key, bool maybe_hex, char **out)
{
  size_t kl = strlen (key);

  *out = NULL;
  while (*s)
    {
      const char *k, *eq, *v, *end;
      bool quoted;
      while (*s == ' ')
        s++;
      k = s;
      eq = k + strcspn (k, "= ");
      if (*eq != '=')
        {
          s = *eq ? eq + 1 : eq;
          continue;
        }
      v = eq + 1;
      quoted = *v == '"';
      if (quoted)
        {
          end = strchr (v + 1, '"');
          if (end == NULL)
            return false;
          s = end + 1;
          v++;
        }
      else
        {
          end = v + strcspn (v, " \n");
          s = end;
        }
      if ((size_t) (eq - k) != kl || strncmp (k, key, kl) != 0)
        continue;
      {
        size_t n = (size_t) (end - v);
        bool hex = maybe_hex && !quoted && n % 2 == 0 && n > 0 && n / 2 < FIELD_MAX;
        for (size_t i = 0; hex && i < n; i++)
          hex = isxdigit ((unsigned char) v[i]) != 0;
        if (!hex)
          {
            *out = confine_xstrndup (v, n < FIELD_MAX ? n : FIELD_MAX);
            return true;
          }
        *out = confine_xcalloc (n / 2 + 1, 1);
        for (size_t i = 0; i < n / 2; i++)
          {
            char b[3] = { v[2 * i], v[2 * i + 1], 0 };
            (*out)[i] = (char) strtoul (b, NULL, 16);
          }
        return true;
      }
    }
  return false;
}

static int
number (const char *s, const char *key, int base, uint64_t max, uint64_t *out)
{
  cleanup_free char *v = NULL;
  char *end = NULL;
  unsigned long long n;

  if (!field (s, key, false, &v))
    return -1;
  errno = 0;
  n = strtoull (v, &end, base);
  if (errno || end == v || *end || n > max)
    return -1;
  *out = n;
  return 0;
}

/* SECCOMP_RET_* by the top 16 bits of the filter's return value. */
static const char *
action_name (uint32_t code)
{
  switch (code & 0xffff0000u)
    {
    case 0x80000000u:
      return "kill_process";
    case 0x00000000u:
      return "kill_thread";
    case 0x00030000u:
      return "trap";
    case 0x00050000u:
      return "errno";
    case 0x7fc00000u:
      return "user_notif";
    case 0x7ff00000u:
      return "trace";
    case 0x7ffc0000u:
      return "log";
    case 0x7fff0000u:
      return "allow";
    default:
      return "unknown";
    }
}

bool
confine_denial_parse (const char *line, confine_denial_t *out)
{
  const char *a = strstr (line, "audit("), *body;
  char *end = NULL;
  uint64_t v = 0;
  bool seccomp, apparmor;

  memset (out, 0, sizeof (*out));
  seccomp = strstr (line, "type=1326 ") || strncmp (line, "type=SECCOMP ", 13) == 0;
  apparmor = (strstr (line, "type=1400 ") || strncmp (line, "type=AVC ", 9) == 0)
             && strstr (line, "apparmor=");
  if ((!seccomp && !apparmor) || a == NULL)
    return false;
  /* audit(SECONDS.MSEC:SERIAL): */
  errno = 0;
  out->time = strtoll (a + 6, &end, 10);
  if (errno || *end != '.')
    return false;
  out->msec = (unsigned) strtoul (end + 1, &end, 10);
  if (*end != ':')
    return false;
  out->serial = strtoull (end + 1, &end, 10);
  if (strncmp (end, "):", 2) != 0)
    return false;
  body = end + 2;
  if (number (body, "pid", 10, INT32_MAX, &v) == 0)
    out->pid = (pid_t) v;
  field (body, "comm", true, &out->comm);
  field (body, "exe", true, &out->exe);
  if (seccomp)
    {
      out->kind = CONFINE_DENIAL_SECCOMP;
      if (number (body, "arch", 16, UINT32_MAX, &v) < 0)
        goto not_ours;
      out->arch = (uint32_t) v;
      if (number (body, "syscall", 10, INT32_MAX, &v) < 0)
        goto not_ours;
      out->syscall = (long) v;
      if (number (body, "code", 0, UINT32_MAX, &v) < 0)
        goto not_ours;
      out->code = (uint32_t) v;
      out->action = action_name (out->code);
      /* libseccomp's architecture tokens are the kernel's AUDIT_ARCH
       * values, so the record's arch resolves the number as that ABI
       * numbers it (x32 and i386 differ from x86_64). */
      out->syscall_name = seccomp_syscall_resolve_num_arch (out->arch, (int) out->syscall);
      return true;
    }
  out->kind = CONFINE_DENIAL_APPARMOR;
  field (body, "apparmor", false, &out->outcome);
  field (body, "operation", false, &out->operation);
  field (body, "profile", true, &out->profile);
  field (body, "name", true, &out->name);
  field (body, "denied_mask", false, &out->denied_mask);
  /* STATUS and AUDIT records say what a profile allowed or loaded; only
   * what it stopped (DENIED) or would have stopped (ALLOWED, complain)
   * is a denial. */
  if (out->outcome == NULL
      || (strcmp (out->outcome, "DENIED") != 0 && strcmp (out->outcome, "ALLOWED") != 0))
    goto not_ours;
  return true;

not_ours:
  confine_denial_clear (out);
  return false;
}

void
confine_denial_clear (confine_denial_t *d)
{
  free (d->comm);
  free (d->exe);
  free (d->syscall_name);
  free (d->outcome);
  free (d->operation);
  free (d->profile);
  free (d->name);
  free (d->denied_mask);
  memset (d, 0, sizeof (*d));
}

/* Keep D (taking it over) unless LIST has it already; when full, the
 * oldest goes. */
static void
add (confine_denials_t *list, confine_denial_t *d)
{
  for (size_t i = 0; i < list->n; i++)
    if (list->items[i].time == d->time && list->items[i].msec == d->msec
        && list->items[i].serial == d->serial && list->items[i].kind == d->kind)
      {
        confine_denial_clear (d);
        return;
      }
  if (list->items == NULL)
    list->items = confine_xcalloc (CONFINE_DENIALS_MAX, sizeof (*d));
  if (list->n == CONFINE_DENIALS_MAX)
    {
      confine_denial_clear (&list->items[0]);
      memmove (list->items, list->items + 1, (list->n - 1) * sizeof (*d));
      list->n--;
    }
  list->items[list->n++] = *d;
  memset (d, 0, sizeof (*d));
}

static void
add_line (confine_denials_t *list, const char *line)
{
  confine_denial_t d;
  if (confine_denial_parse (line, &d))
    add (list, &d);
}

int
confine_denials_read_kmsg (const char *path, confine_denials_t *list, confine_error_t *err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  char buf[KMSG_RECORD_MAX + 1];

  if (fd < 0)
    return confine_make_error (err, errno, "open `%s`%s", path,
                               errno == EPERM || errno == EACCES
                                   ? " (reading the kernel log needs root while "
                                     "kernel.dmesg_restrict is 1)"
                                   : "");
  for (;;)
    {
      ssize_t n = read (fd, buf, KMSG_RECORD_MAX);
      char *msg, *nl;
      if (n < 0 && errno == EINTR)
        continue;
      /* EPIPE: records were overwritten while we read; go on with the
       * next one still there. */
      if (n < 0 && errno == EPIPE)
        continue;
      if (n < 0 && errno == EAGAIN)
        return 0;
      if (n < 0)
        return confine_make_error (err, errno, "read `%s`", path);
      if (n == 0)
        return 0;
      buf[n] = '\0';
      /* "PRIORITY,SEQUENCE,USEC,FLAGS;MESSAGE\n" and dictionary lines. */
      if ((msg = strchr (buf, ';')) == NULL)
        continue;
      if ((nl = strchr (++msg, '\n')) != NULL)
        *nl = '\0';
      add_line (list, msg);
    }
}

int
confine_denials_read_file (const char *path, confine_denials_t *list, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  char *save = NULL;

  if (confine_read_file (path, CONFINE_AUDIT_LOG_MAX, &buf, NULL, err) < 0)
    return -1;
  for (char *l = strtok_r (buf, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    /* dmesg's own output: "[  650.473715] audit: ..." works too. */
    add_line (list, l);
  return 0;
}

void
confine_denials_clear (confine_denials_t *list)
{
  for (size_t i = 0; i < list->n; i++)
    confine_denial_clear (&list->items[i]);
  free (list->items);
  memset (list, 0, sizeof (*list));
}

int64_t
confine_process_start_time (pid_t pid)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *sys = NULL;
  const char *bt;
  uint64_t start = 0;
  long hz = sysconf (_SC_CLK_TCK);
  char state;

  if (hz <= 0 || confine_proc_stat (pid, &state, &start) < 0
      || confine_read_file ("/proc/stat", 1 << 20, &sys, NULL, &err) < 0
      || (bt = strstr (sys, "\nbtime ")) == NULL)
    return -1;
  return (int64_t) (strtoull (bt + 7, NULL, 10) + start / (uint64_t) hz);
}

int
confine_task_place (pid_t pid, confine_task_place_t *out, confine_error_t *err)
{
  cleanup_error confine_error_t rerr = NULL;
  char path[64];
  struct stat st;
  int n = snprintf (path, sizeof (path), "/proc/%d/cgroup", (int) pid);

  memset (out, 0, sizeof (*out));
  if (pid <= 0 || n < 0 || (size_t) n >= sizeof (path))
    return 0;
  if (confine_read_file (path, 64 << 10, &out->cgroup, NULL, &rerr) < 0)
    return rerr->status == ENOENT || rerr->status == ESRCH
               ? 0
               : confine_make_error (err, rerr->status, "%s", rerr->msg);
  snprintf (path, sizeof (path), "/proc/%d/ns/pid", (int) pid);
  if (stat (path, &st) == 0)
    {
      out->pidns_dev = st.st_dev;
      out->pidns_ino = st.st_ino;
    }
  return 1;
}

void
confine_task_place_clear (confine_task_place_t *p)
{
  free (p->cgroup);
  memset (p, 0, sizeof (*p));
}

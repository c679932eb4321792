/* SPDX-License-Identifier: Apache-2.0 */
/* `confine denials`: what AppArmor denied and what seccomp filters acted
 * on, per container. The seeds' "dmesg and aa-status" debugging in one
 * command: the kernel's own records (its log, or auditd's when the audit
 * daemon takes them), each attributed to the container whose process it
 * was (same cgroups, or same pid namespace, as the container's init in
 * the runc state roots), with the syscall resolved for the record's
 * architecture and a hint on what to change. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../src/denials.h"
#include "../base/utils.h"

#define MAX_EXTRA_ROOTS 64
#define MAX_SOURCES 8
#define AUDIT_LOG "/var/log/audit/audit.log"
#define KMSG "/dev/kmsg"

typedef struct
{
  const confine_container_t *c;
  char *name;
  confine_task_place_t place;
  bool own_pidns; /* its init is not in our pid namespace */
} known_t;

typedef struct
{
  const confine_denial_t *d;
  const known_t *k;     /* the container, or NULL */
  const char *unknown;  /* why not: "process gone", "pid reused", "host" */
} row_t;

/* Attribute D to a container: its process must still be the one the
 * record is about (started no later than the record), and share the
 * cgroups of a container's init, or its pid namespace when that is the
 * container's own. */
static int
attribute (const confine_denial_t *d, const known_t *known, size_t n, const known_t **out,
           const char **why, confine_error_t *err)
{
  confine_task_place_t place = { 0 };
  int64_t start;
  int r;

  *out = NULL;
  *why = "process gone";
  start = confine_process_start_time (d->pid);
  if (start < 0)
    return 0;
  if (start > d->time + 1)
    {
      *why = "pid reused since";
      return 0;
    }
  if ((r = confine_task_place (d->pid, &place, err)) <= 0)
    return r;
  *why = "not in a container";
  for (size_t i = 0; i < n && *out == NULL; i++)
    if (known[i].place.cgroup
        && (strcmp (known[i].place.cgroup, place.cgroup) == 0
            || (known[i].own_pidns && known[i].place.pidns_ino == place.pidns_ino
                && known[i].place.pidns_dev == place.pidns_dev)))
      *out = &known[i];
  confine_task_place_clear (&place);
  return 0;
}

static const char *
hint (const confine_policy_t *policy, const confine_denial_t *d, char *buf, size_t len)
{
  if (d->kind == CONFINE_DENIAL_APPARMOR)
    {
      if (d->outcome && strcmp (d->outcome, "ALLOWED") == 0)
        snprintf (buf, len,
                  "profile `%s` is in complain mode: logged, not denied; the gate refuses "
                  "containers under a profile in a mode outside apparmor.allowed_modes",
                  d->profile ? d->profile : "?");
      else
        snprintf (buf, len,
                  "profile `%s` denies it: if the workload needs it, allow it in the profile and "
                  "reload it (apparmor_parser -r -W FILE), or run the container under another "
                  "profile",
                  d->profile ? d->profile : "?");
      return buf;
    }
  if (strcmp (d->action, "log") == 0)
    return "logged, not blocked: the filter has an SCMP_ACT_LOG rule for it";
  if (strcmp (d->action, "user_notif") == 0 || strcmp (d->action, "trace") == 0)
    return "handed to a supervisor process, which decides";
  if (d->syscall_name && confine_strv_has (policy->must_block, d->syscall_name))
    snprintf (buf, len,
              "the gate requires every filter to block `%s` (seccomp.must_block): no container "
              "gets it under this policy",
              d->syscall_name);
  else
    snprintf (buf, len,
              "the container's seccomp filter blocks it: if the workload needs it, allow `%s` in "
              "the profile the container runs with (docker run --security-opt seccomp=FILE)",
              d->syscall_name ? d->syscall_name : "it");
  return buf;
}

static void
when (const confine_denial_t *d, char *buf, size_t len)
{
  struct tm tm;
  time_t t = (time_t) d->time;
  if (gmtime_r (&t, &tm) == NULL || strftime (buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    snprintf (buf, len, "%lld", (long long) d->time);
  else
    snprintf (buf + strlen (buf), len - strlen (buf), ".%03uZ", d->msec);
}

static void
print_text (const confine_policy_t *policy, const row_t *rows, size_t n, size_t n_hidden)
{
  char t[48], h[512];

  for (size_t i = 0; i < n; i++)
    {
      const confine_denial_t *d = rows[i].d;
      when (d, t, sizeof (t));
      printf ("%s  ", t);
      if (rows[i].k)
        printf ("%s%s%s%s", rows[i].k->c->id, rows[i].k->name ? " (" : "",
                rows[i].k->name ? rows[i].k->name : "", rows[i].k->name ? ")" : "");
      else
        printf ("- (%s)", rows[i].unknown);
      if (d->kind == CONFINE_DENIAL_SECCOMP)
        {
          printf ("  seccomp %s  ", d->action);
          if (d->syscall_name)
            printf ("%s", d->syscall_name);
          else
            printf ("syscall %ld", d->syscall);
          printf (" (arch 0x%x, nr %ld)", d->arch, d->syscall);
        }
      else
        printf ("  apparmor %s  %s %s%s%s  profile %s", d->outcome,
                d->operation ? d->operation : "?", d->name ? d->name : "",
                d->denied_mask ? " " : "", d->denied_mask ? d->denied_mask : "",
                d->profile ? d->profile : "?");
      printf ("  pid %d%s%s%s\n", (int) d->pid, d->comm ? " `" : "", d->comm ? d->comm : "",
              d->comm ? "`" : "");
      printf ("    hint: %s\n", hint (policy, d, h, sizeof (h)));
    }
  if (n == 0)
    printf ("no denials%s\n", n_hidden ? " in containers" : "");
  if (n_hidden)
    printf ("(%zu record%s outside any container not shown; --all shows them)\n", n_hidden,
            n_hidden == 1 ? "" : "s");
}

static int
print_json (const confine_policy_t *policy, const row_t *rows, size_t n, confine_error_t *err)
{
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_PRETTY);
  char t[48], h[512];

  confine_jgen_open (g, NULL, true);
  for (size_t i = 0; i < n; i++)
    {
      const confine_denial_t *d = rows[i].d;
      when (d, t, sizeof (t));
      confine_jgen_open (g, NULL, false);
      confine_jgen_str (g, "time", t);
      confine_jgen_str (g, "container", rows[i].k ? rows[i].k->c->id : NULL);
      confine_jgen_str (g, "name", rows[i].k ? rows[i].k->name : NULL);
      confine_jgen_str (g, "unattributed", rows[i].k ? NULL : rows[i].unknown);
      confine_jgen_int (g, "pid", d->pid);
      confine_jgen_str (g, "comm", d->comm);
      confine_jgen_str (g, "exe", d->exe);
      if (d->kind == CONFINE_DENIAL_SECCOMP)
        {
          confine_jgen_str (g, "kind", "seccomp");
          confine_jgen_str (g, "action", d->action);
          confine_jgen_str (g, "syscall", d->syscall_name);
          confine_jgen_int (g, "syscall_nr", d->syscall);
          confine_jgen_int (g, "arch", d->arch);
        }
      else
        {
          confine_jgen_str (g, "kind", "apparmor");
          confine_jgen_str (g, "outcome", d->outcome);
          confine_jgen_str (g, "profile", d->profile);
          confine_jgen_str (g, "operation", d->operation);
          confine_jgen_str (g, "object", d->name);
          confine_jgen_str (g, "denied_mask", d->denied_mask);
        }
      confine_jgen_str (g, "hint", hint (policy, d, h, sizeof (h)));
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, true);
  return confine_cli_json_close (g, err);
}

static void
usage (FILE *f)
{
  fprintf (f, "usage: confine denials [--policy FILE] [--json] [--root DIR]... [--source FILE]...\n"
              "                       [--id ID] [--all]\n"
              "Reads the kernel log (" KMSG ") and, when it exists, " AUDIT_LOG ".\n"
              "Exit 0: the records were read (whether or not there are any); 2: error.\n");
}

int
confine_cli_denials (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "json", no_argument, NULL, 'j' },
                                        { "root", required_argument, NULL, 'r' },
                                        { "source", required_argument, NULL, 's' },
                                        { "id", required_argument, NULL, 'i' },
                                        { "all", no_argument, NULL, 'a' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  cleanup_error confine_error_t err = NULL;
  cleanup_strv char **roots = NULL;
  cleanup_free known_t *known = NULL;
  cleanup_free row_t *rows = NULL;
  const char *extra[MAX_EXTRA_ROOTS], *sources[MAX_SOURCES];
  const char *policy_path = CONFINE_DEFAULT_POLICY, *only = NULL;
  size_t n_extra = 0, n_sources = 0, n_known = 0, n_rows = 0, n_hidden = 0;
  confine_cli_policy_t pi = { 0 };
  confine_containers_t list = { 0 };
  confine_denials_t records = { 0 };
  bool json = false, all = false;
  int c, rc = CLI_EXIT_USAGE;

  optind = 1;
  while ((c = getopt_long (argc, argv, "p:jh", opts, NULL)) != -1)
    switch (c)
      {
      case 'r':
      case 's':
        if ((c == 'r' ? n_extra : n_sources) == (c == 'r' ? MAX_EXTRA_ROOTS : MAX_SOURCES))
          {
            fprintf (stderr, "confine: too many --%s options\n", c == 'r' ? "root" : "source");
            return CLI_EXIT_USAGE;
          }
        if (c == 'r')
          extra[n_extra++] = optarg;
        else
          sources[n_sources++] = optarg;
        break;
      case 'i':
        only = optarg;
        break;
      case 'a':
        all = true;
        break;
      default:
        if ((c = confine_cli_common_option (c, &policy_path, &json, usage)) >= 0)
          return c;
      }
  if (optind != argc)
    {
      fprintf (stderr, "confine: denials takes no arguments\n");
      usage (stderr);
      return CLI_EXIT_USAGE;
    }

  if (confine_cli_load_policy (policy_path, &pi, &err) < 0)
    goto out;
  /* By default both the kernel log and auditd's: while auditd runs, the
   * kernel hands it the records instead of printing them; before it
   * started, or after it stopped, they are in the kernel log. The same
   * record in both is shown once. */
  if (n_sources == 0)
    {
      struct stat st;
      sources[n_sources++] = KMSG;
      if (stat (AUDIT_LOG, &st) == 0)
        sources[n_sources++] = AUDIT_LOG;
    }
  for (size_t i = 0; i < n_sources; i++)
    {
      struct stat st;
      bool kmsg = stat (sources[i], &st) == 0 && S_ISCHR (st.st_mode);
      if ((kmsg ? confine_denials_read_kmsg (sources[i], &records, &err)
                : confine_denials_read_file (sources[i], &records, &err))
          < 0)
        goto out;
    }

  if (confine_cli_roots (extra, n_extra, &roots, &err) < 0
      || confine_runc_containers (roots, &list, &err) < 0)
    goto out;
  for (size_t i = 0; i < list.n_unreadable; i++)
    fprintf (stderr, "confine: warning: %s: %s: its containers are not known\n",
             list.unreadable[i].root, list.unreadable[i].error);
  if (list.n)
    known = confine_xcalloc (list.n, sizeof (*known));
  {
    struct stat self;
    bool have_self = stat ("/proc/self/ns/pid", &self) == 0;
    for (size_t i = 0; i < list.n; i++)
      {
        const confine_container_t *ct = &list.items[i];
        cleanup_spec confine_spec_t *spec = NULL;
        known_t *k = &known[n_known];
        if (ct->error || ct->pid <= 0 || strcmp (ct->status, "stopped") == 0)
          continue;
        k->c = ct;
        if (confine_cli_container_spec (ct, &spec, &k->name, &err) < 0
            || confine_task_place (ct->pid, &k->place, &err) < 0)
          goto out;
        k->own_pidns = have_self
                       && (k->place.pidns_ino != self.st_ino || k->place.pidns_dev != self.st_dev);
        n_known++;
      }
  }

  if (records.n)
    rows = confine_xcalloc (records.n, sizeof (*rows));
  for (size_t i = 0; i < records.n; i++)
    {
      row_t *row = &rows[n_rows];
      row->d = &records.items[i];
      if (attribute (row->d, known, n_known, &row->k, &row->unknown, &err) < 0)
        goto out;
      if (only && (row->k == NULL || strcmp (row->k->c->id, only) != 0))
        continue;
      if (row->k == NULL && !all)
        {
          n_hidden++;
          continue;
        }
      n_rows++;
    }

  if (json)
    {
      if (print_json (pi.policy, rows, n_rows, &err) < 0)
        goto out;
    }
  else
    print_text (pi.policy, rows, n_rows, n_hidden);
  rc = CLI_EXIT_OK;

out:
  if (err)
    rc = confine_cli_fail (&err);
  for (size_t i = 0; known && i < n_known; i++)
    {
      free (known[i].name);
      confine_task_place_clear (&known[i].place);
    }
  confine_denials_clear (&records);
  confine_containers_clear (&list);
  confine_cli_policy_clear (&pi);
  return rc;
}

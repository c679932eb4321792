/* SPDX-License-Identifier: Apache-2.0 */
/* `confine audit-summary`: what audit mode found. Reads the decision log
 * and counts the decisions a rule would have refused (verdict
 * audit-refuse: the rule failed at severity deny, no exemption waived
 * it), by rule and by container, with one fact per rule as an example.
 * This is the step between "mode": "audit" and "mode": "enforce". */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../oci/json.h"
#include "../base/utils.h"

#define LINE_MAX_BYTES (1u << 20)
#define MAX_IDS 10000

typedef struct
{
  char *id;
  size_t n;
} id_count_t;

typedef struct
{
  size_t decisions;
  id_count_t *ids;
  size_t n_ids, cap_ids;
  char *example;
} rule_sum_t;

typedef struct
{
  size_t lines, unreadable, selected;
  char *first, *last;
  rule_sum_t rules[CONFINE_RULES];
} summary_t;

static const char *
str (const confine_json_t *obj, const char *key)
{
  const confine_json_t *v = confine_json_get (obj, key);
  return v && v->type == CONFINE_JSON_STRING ? v->text : NULL;
}

static int
count_id (rule_sum_t *r, const char *id, confine_error_t *err)
{
  for (size_t i = 0; i < r->n_ids; i++)
    if (strcmp (r->ids[i].id, id) == 0)
      return (int) ++r->ids[i].n;
  if (confine_append (&r->ids, &r->n_ids, &r->cap_ids, sizeof (id_count_t), MAX_IDS, err) < 0)
    return -1;
  r->ids[r->n_ids - 1].n = 1;
  r->ids[r->n_ids - 1].id = confine_xstrdup (id);
  return 0;
}

/* One decision-log line. */
static int
add_line (summary_t *s, const char *line, size_t len, const char *verdict, confine_error_t *err)
{
  cleanup_error confine_error_t jerr = NULL;
  cleanup_json confine_json_t *doc = NULL;
  const confine_json_t *rules;
  const char *v, *id, *t;

  s->lines++;
  if (confine_json_parse (line, len, &doc, &jerr) < 0 || doc->type != CONFINE_JSON_OBJECT)
    {
      s->unreadable++;
      return 0;
    }
  if ((v = str (doc, "verdict")) == NULL || strcmp (v, verdict) != 0)
    return 0;
  s->selected++;
  id = str (doc, "id");
  if ((t = str (doc, "time")) != NULL)
    {
      if (s->first == NULL)
        s->first = confine_xstrdup (t);
      free (s->last);
      s->last = confine_xstrdup (t);
    }
  rules = confine_json_get (doc, "rules");
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      const confine_json_t *r = confine_json_get (rules, confine_rule_names[i]);
      const char *res = str (r, "result"), *sev = str (r, "severity"), *fact = str (r, "fact");
      rule_sum_t *sum = &s->rules[i];
      /* What decided the verdict: a failure at deny that no exemption
       * waived. */
      if (res == NULL || strcmp (res, "fail") != 0 || sev == NULL || strcmp (sev, "deny") != 0
          || confine_json_get (r, "exemption"))
        continue;
      sum->decisions++;
      if (count_id (sum, id ? id : "(no id)", err) < 0)
        return -1;
      if (sum->example == NULL && fact)
        sum->example = confine_xstrdup (fact);
    }
  return 0;
}

static int
read_log (const char *path, const char *verdict, summary_t *s, confine_error_t *err)
{
  FILE *f = fopen (path, "re");
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int ret = 0;

  if (f == NULL)
    return confine_make_error (err, errno, "open decision log `%s`", path);
  errno = 0;
  while (ret == 0 && (n = getline (&line, &cap, f)) >= 0)
    {
      if ((size_t) n > LINE_MAX_BYTES)
        {
          s->lines++;
          s->unreadable++;
          continue;
        }
      ret = add_line (s, line, (size_t) n, verdict, err);
    }
  if (ret == 0 && ferror (f))
    ret = confine_make_error (err, errno, "read decision log `%s`", path);
  fclose (f);
  return ret;
}

static int
by_count (const void *a, const void *b)
{
  const id_count_t *x = a, *y = b;
  return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp (x->id, y->id);
}

static void
print_text (const char *path, const char *verdict, const summary_t *s)
{
  bool any = false;

  printf ("%s: %zu decisions, %zu %s", path, s->lines, s->selected, verdict);
  if (s->first)
    printf (" (%s to %s)", s->first, s->last);
  putchar ('\n');
  if (s->unreadable)
    printf ("%zu lines are not decisions and were skipped\n", s->unreadable);
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      const rule_sum_t *r = &s->rules[i];
      if (r->decisions == 0)
        continue;
      if (!any)
        printf ("\n%-18s %9s  %s\n", "RULE", "DECISIONS", "CONTAINERS (decisions)");
      any = true;
      printf ("%-18s %9zu  ", confine_rule_names[i], r->decisions);
      for (size_t k = 0; k < r->n_ids; k++)
        printf ("%s%s (%zu)", k ? ", " : "", r->ids[k].id, r->ids[k].n);
      printf ("\n%-18s %9s  e.g. %s\n", "", "", r->example ? r->example : "");
    }
  if (!any)
    printf ("no rule would have refused anything\n");
}

static int
print_json (const char *path, const char *verdict, const summary_t *s, confine_error_t *err)
{
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_PRETTY);

  confine_jgen_open (g, NULL, false);
  confine_jgen_str (g, "log", path);
  confine_jgen_str (g, "verdict", verdict);
  confine_jgen_int (g, "decisions", (long long) s->lines);
  confine_jgen_int (g, "selected", (long long) s->selected);
  confine_jgen_int (g, "unreadable", (long long) s->unreadable);
  confine_jgen_str (g, "first", s->first);
  confine_jgen_str (g, "last", s->last);
  confine_jgen_open (g, "rules", false);
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      const rule_sum_t *r = &s->rules[i];
      if (r->decisions == 0)
        continue;
      confine_jgen_open (g, confine_rule_names[i], false);
      confine_jgen_int (g, "decisions", (long long) r->decisions);
      confine_jgen_str (g, "example", r->example);
      confine_jgen_open (g, "containers", false);
      for (size_t k = 0; k < r->n_ids; k++)
        confine_jgen_int (g, r->ids[k].id, (long long) r->ids[k].n);
      confine_jgen_close (g, false);
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, false);
  confine_jgen_close (g, false);
  return confine_cli_json_close (g, err);
}

static void
usage (FILE *f)
{
  fprintf (f, "usage: confine audit-summary [--policy FILE] [--log FILE] [--refused] [--json]\n"
              "Counts the decisions a rule would have refused (audit-refuse; with --refused,\n"
              "the refusals), by rule and container, from the policy's decision log.\n");
}

int
confine_cli_audit_summary (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "log", required_argument, NULL, 'l' },
                                        { "refused", no_argument, NULL, 'r' },
                                        { "json", no_argument, NULL, 'j' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  cleanup_error confine_error_t err = NULL;
  const char *policy_path = CONFINE_DEFAULT_POLICY, *log = NULL, *verdict = "audit-refuse";
  confine_cli_policy_t pi = { 0 };
  summary_t s = { 0 };
  bool json = false;
  int c, rc = CLI_EXIT_USAGE;

  optind = 1;
  while ((c = getopt_long (argc, argv, "p:jh", opts, NULL)) != -1)
    switch (c)
      {
      case 'l':
        log = optarg;
        break;
      case 'r':
        verdict = "refuse";
        break;
      default:
        if ((c = confine_cli_common_option (c, &policy_path, &json, usage)) >= 0)
          return c;
      }
  if (optind != argc)
    {
      usage (stderr);
      return CLI_EXIT_USAGE;
    }
  if (log == NULL)
    {
      if (confine_cli_load_policy (policy_path, &pi, &err) < 0)
        goto out;
      if ((log = pi.policy->decision_log) == NULL)
        {
          confine_make_error (&err, 0, "the policy `%s` names no decision_log%s%s%s; give --log FILE",
                              policy_path, pi.error ? " (" : "", pi.error ? pi.error : "",
                              pi.error ? ")" : "");
          goto out;
        }
    }
  if (read_log (log, verdict, &s, &err) < 0)
    goto out;
  for (int i = 0; i < CONFINE_RULES; i++)
    if (s.rules[i].n_ids)
      qsort (s.rules[i].ids, s.rules[i].n_ids, sizeof (id_count_t), by_count);
  if (json)
    {
      if (print_json (log, verdict, &s, &err) < 0)
        goto out;
    }
  else
    print_text (log, verdict, &s);
  rc = CLI_EXIT_OK;

out:
  if (err)
    rc = confine_cli_fail (&err);
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      for (size_t k = 0; k < s.rules[i].n_ids; k++)
        free (s.rules[i].ids[k].id);
      free (s.rules[i].ids);
      free (s.rules[i].example);
    }
  free (s.first);
  free (s.last);
  confine_cli_policy_clear (&pi);
  return rc;
}

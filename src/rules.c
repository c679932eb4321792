/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "../base/utils.h"

void
confine_result_set (confine_rule_result_t *r, confine_result_kind_t kind, const char *key,
                    const char *fmt, ...)
{
  va_list ap;
  char *fact;

  va_start (ap, fmt);
  fact = confine_xvasprintf (fmt, ap);
  va_end (ap);
  free (r->fact);
  r->fact = fact;
  r->kind = kind;
  r->policy_key = key;
}

void
confine_result_from_error (confine_rule_result_t *r, const char *key, const char *prefix,
                           confine_error_t *err)
{
  confine_result_set (r, CONFINE_RESULT_FAIL, key, "%s: %s", prefix, (*err)->msg);
  confine_error_release (err);
}

/* All of an exemption's conditions must hold: the id pattern, if given,
 * and for each annotation pair some annotation whose key and value match.
 * Patterns match whole strings. */
static bool
exemption_applies (const confine_exemption_t *ex, const confine_context_t *ctx)
{
  if (ex->id_rx && (ctx->id == NULL || !confine_pattern_matches (ex->id, ex->id_rx, ctx->id)))
    return false;
  for (size_t k = 0; k < ex->n_annotations; k++)
    {
      bool found = false;
      for (size_t i = 0; i < ctx->n_annotations && !found; i++)
        found = confine_pattern_matches (ex->annotation_keys[k], &ex->key_rx[k],
                                         ctx->annotations[i].key)
                && confine_pattern_matches (ex->annotation_values[k], &ex->value_rx[k],
                                            ctx->annotations[i].value);
      if (!found)
        return false;
    }
  return true;
}

int
confine_exemption_find (const confine_context_t *ctx, confine_rule_t rule)
{
  const confine_policy_t *p = ctx->policy;
  for (size_t i = 0; i < p->n_exemptions; i++)
    {
      bool names = false;
      for (char **r = p->exemptions[i].rules; *r && !names; r++)
        names = strcmp (*r, confine_rule_names[rule]) == 0;
      if (names && exemption_applies (&p->exemptions[i], ctx))
        return (int) i;
    }
  return -1;
}

/* The registry's rows as data, for the evaluation loop. */
typedef struct
{
  confine_rule_fn *judge;
  bool exec;
} rule_row_t;
#define RULE_ROW(e, name, key, sev, exec) { confine_rule_##name, exec },
static const rule_row_t rule_rows[CONFINE_RULES] = { CONFINE_RULE_TABLE (RULE_ROW) };
#undef RULE_ROW

void
confine_verdict_finish (const confine_context_t *ctx, confine_verdict_t *v)
{
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      confine_rule_result_t *r = &v->results[i];
      if (r->severity == CONFINE_SEV_OFF)
        r->kind = CONFINE_RESULT_SKIP;
      if (r->kind != CONFINE_RESULT_FAIL)
        continue;
      r->exemption = confine_exemption_find (ctx, (confine_rule_t) i);
      if (r->exemption < 0 && r->severity == CONFINE_SEV_DENY)
        v->would_refuse = true;
    }
  v->refused = v->would_refuse && !ctx->policy->audit;
}

static void
result_clear (confine_rule_result_t *r)
{
  free (r->fact);
  confine_free_strv (r->names);
  memset (r, 0, sizeof (*r));
}

/* Run the rules of the registry in RULES on SUBJECT, replacing their
 * results in V, and decide V again over every result. A rule that fails
 * with an internal error fails: if we cannot tell, the answer is no. An
 * exec process is judged only by the rules the registry marks for exec. */
static void
run_rules (const confine_context_t *ctx, const confine_subject_t *subject, unsigned rules,
           confine_verdict_t *v)
{
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_rule_result_t *r = &v->results[i];
      if ((rules & CONFINE_RULE_BIT (i)) == 0)
        continue;
      result_clear (r);
      r->severity = ctx->policy->severity[i];
      r->exemption = -1;
      r->kind = CONFINE_RESULT_SKIP;
      if (subject->spec == NULL && !rule_rows[i].exec)
        {
          confine_result_set (r, CONFINE_RESULT_SKIP, NULL,
                              "applies to the container, not to an exec process");
          continue;
        }
      if (rule_rows[i].judge (ctx, subject, r, &err) < 0)
        confine_result_from_error (r, confine_rule_names[i], "cannot evaluate", &err);
    }
  v->would_refuse = v->refused = false;
  confine_verdict_finish (ctx, v);
}

/* A fresh verdict from the rules in RULES; every other rule fails, not
 * judged, until run_rules judges it. A partial verdict refuses whatever
 * the policy says of the rules left out (warn, off, an exemption, audit
 * mode): only a whole one can allow. */
static void
evaluate (const confine_context_t *ctx, const confine_subject_t *subject, unsigned rules,
          confine_verdict_t *v)
{
  memset (v, 0, sizeof (*v));
  for (int i = 0; i < CONFINE_RULES; i++)
    if ((rules & CONFINE_RULE_BIT (i)) == 0)
      {
        v->results[i].severity = ctx->policy->severity[i];
        v->results[i].exemption = -1;
        confine_result_set (&v->results[i], CONFINE_RESULT_FAIL, NULL, "not judged yet");
      }
  run_rules (ctx, subject, rules, v);
  if (rules != CONFINE_RULES_ALL)
    v->would_refuse = v->refused = true;
}

int
confine_rule_no_new_privileges (const confine_context_t *ctx CONFINE_UNUSED,
                                const confine_subject_t *s, confine_rule_result_t *r,
                                confine_error_t *err CONFINE_UNUSED)
{
  if (s->process->no_new_privileges)
    confine_result_set (r, CONFINE_RESULT_PASS, NULL, "noNewPrivileges is set");
  else
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.no_new_privileges",
                        "noNewPrivileges is not set: setuid binaries can gain privilege");
  return 0;
}

void
confine_evaluate_spec (const confine_context_t *ctx, const confine_spec_t *spec,
                       confine_verdict_t *v)
{
  confine_evaluate_spec_rules (ctx, spec, CONFINE_RULES_ALL, v);
}

void
confine_evaluate_spec_rules (const confine_context_t *ctx, const confine_spec_t *spec,
                             unsigned rules, confine_verdict_t *v)
{
  confine_seccomp_memo_t seccomp = { 0 };
  confine_subject_t subject = { spec, &spec->process, &seccomp };
  evaluate (ctx, &subject, rules, v);
  confine_seccomp_memo_clear (&seccomp);
}

void
confine_evaluate_spec_rest (const confine_context_t *ctx, const confine_spec_t *spec,
                            unsigned judged, confine_verdict_t *v)
{
  confine_seccomp_memo_t seccomp = { 0 };
  confine_subject_t subject = { spec, &spec->process, &seccomp };
  run_rules (ctx, &subject, CONFINE_RULES_ALL & ~judged, v);
  confine_seccomp_memo_clear (&seccomp);
}

void
confine_evaluate_process (const confine_context_t *ctx, const confine_process_t *p,
                          confine_verdict_t *v)
{
  confine_subject_t subject = { NULL, p, NULL };
  evaluate (ctx, &subject, CONFINE_RULES_ALL, v);
}

int
confine_verdict_summary (const confine_verdict_t *v, char **out, confine_error_t *err)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&buf, &len);
  bool first = true;

  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  fputs (v->refused ? "refused: " : v->would_refuse ? "audit: would refuse: " : "allowed", f);
  for (int i = 0; i < CONFINE_RULES && v->would_refuse; i++)
    {
      const confine_rule_result_t *r = &v->results[i];
      if (r->kind != CONFINE_RESULT_FAIL || r->severity != CONFINE_SEV_DENY || r->exemption >= 0)
        continue;
      fprintf (f, "%s%s: %s (policy %s)", first ? "" : "; ", confine_rule_names[i], r->fact,
               r->policy_key ? r->policy_key : confine_rule_names[i]);
      first = false;
    }
  if (fclose (f) != 0 || buf == NULL)
    {
      free (buf);
      return confine_make_error (err, ENOMEM, "format verdict");
    }
  /* One line, whatever the facts contain: runc and Docker show it as is. */
  for (char *c = buf; *c; c++)
    if (*c == '\n' || *c == '\r')
      *c = ' ';
  *out = buf;
  return 0;
}

void
confine_verdict_clear (confine_verdict_t *v)
{
  for (int i = 0; i < CONFINE_RULES; i++)
    result_clear (&v->results[i]);
  memset (v, 0, sizeof (*v));
}

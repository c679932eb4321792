/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "utils.h"

int
confine_result_set (confine_rule_result_t *r, confine_result_kind_t kind, const char *key,
                    confine_error_t *err, const char *fmt, ...)
{
  va_list ap;
  char *fact = NULL;
  int n;

  va_start (ap, fmt);
  n = vasprintf (&fact, fmt, ap);
  va_end (ap);
  if (n < 0)
    return confine_make_error (err, ENOMEM, "describe result");
  free (r->fact);
  r->fact = fact;
  r->kind = kind;
  r->policy_key = key;
  return 0;
}

int
confine_result_from_error (confine_rule_result_t *r, const char *key, const char *prefix,
                           confine_error_t *err)
{
  int ret = confine_result_set (r, CONFINE_RESULT_FAIL, key, err, "%s: %s", prefix, (*err)->msg);
  if (ret == 0)
    confine_error_release (err);
  return ret;
}

static bool
matches (const regex_t *rx, const char *s)
{
  return regexec (rx, s, 0, NULL, 0) == 0;
}

/* All of an exemption's conditions must hold: the id pattern, if given,
 * and for each annotation pair some annotation whose key and value match.
 * Patterns match whole strings. */
static bool
exemption_applies (const confine_exemption_t *ex, const confine_context_t *ctx)
{
  if (ex->id_rx && (ctx->id == NULL || !matches (ex->id_rx, ctx->id)))
    return false;
  for (size_t k = 0; k < ex->n_annotations; k++)
    {
      bool found = false;
      for (size_t i = 0; i < ctx->n_annotations && !found; i++)
        found = matches (&ex->key_rx[k], ctx->annotations[i].key)
                && matches (&ex->value_rx[k], ctx->annotations[i].value);
      if (!found)
        return false;
    }
  return true;
}

static int
find_exemption (const confine_context_t *ctx, confine_rule_t rule)
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

static void
init (const confine_context_t *ctx, confine_verdict_t *v)
{
  memset (v, 0, sizeof (*v));
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      v->results[i].severity = ctx->policy->severity[i];
      v->results[i].exemption = -1;
      v->results[i].kind = CONFINE_RESULT_SKIP;
    }
}

/* Run one rule, converting an internal error into a failure of the rule:
 * if we cannot tell, the answer is no. */
static int
run (confine_verdict_t *v, confine_rule_t rule, int rc, confine_error_t *err)
{
  confine_rule_result_t *r = &v->results[rule];
  if (rc < 0)
    return confine_result_from_error (r, confine_rule_names[rule], "cannot evaluate", err);
  return 0;
}

static void
finish (const confine_context_t *ctx, confine_verdict_t *v)
{
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      confine_rule_result_t *r = &v->results[i];
      if (r->severity == CONFINE_SEV_OFF)
        r->kind = CONFINE_RESULT_SKIP;
      if (r->kind != CONFINE_RESULT_FAIL)
        continue;
      r->exemption = find_exemption (ctx, (confine_rule_t) i);
      if (r->exemption < 0 && r->severity == CONFINE_SEV_DENY)
        v->would_refuse = true;
    }
  v->refused = v->would_refuse && !ctx->policy->audit;
}

static int
rule_no_new_privileges (const confine_process_t *p, confine_rule_result_t *r, confine_error_t *err)
{
  if (p->no_new_privileges)
    return confine_result_set (r, CONFINE_RESULT_PASS, NULL, err, "noNewPrivileges is set");
  return confine_result_set (r, CONFINE_RESULT_FAIL, "rules.no_new_privileges", err,
                             "noNewPrivileges is not set: setuid binaries can gain privilege");
}

int
confine_evaluate_spec (const confine_context_t *ctx, const confine_spec_t *spec,
                       confine_verdict_t *v, confine_error_t *err)
{
  confine_rule_result_t *r = v->results;

  init (ctx, v);
  if (run (v, CONFINE_RULE_APPARMOR,
           confine_rule_apparmor (ctx, &spec->process, &r[CONFINE_RULE_APPARMOR], err), err) < 0
      || run (v, CONFINE_RULE_SECCOMP,
              confine_rule_seccomp (ctx, spec, &r[CONFINE_RULE_SECCOMP], &v->seccomp_unblocked, err),
              err) < 0
      || run (v, CONFINE_RULE_CAPABILITIES,
              confine_rule_capabilities (ctx, &spec->process, &r[CONFINE_RULE_CAPABILITIES], err),
              err) < 0
      || run (v, CONFINE_RULE_NAMESPACES,
              confine_rule_namespaces (ctx, spec, &r[CONFINE_RULE_NAMESPACES], err), err) < 0
      || run (v, CONFINE_RULE_MOUNTS, confine_rule_mounts (ctx, spec, &r[CONFINE_RULE_MOUNTS], err),
              err) < 0
      || run (v, CONFINE_RULE_DEVICES,
              confine_rule_devices (ctx, spec, &r[CONFINE_RULE_DEVICES], err), err) < 0
      || run (v, CONFINE_RULE_MASKED_PATHS,
              confine_rule_masked_paths (ctx, spec, &r[CONFINE_RULE_MASKED_PATHS], err), err) < 0
      || run (v, CONFINE_RULE_NO_NEW_PRIVILEGES,
              rule_no_new_privileges (&spec->process, &r[CONFINE_RULE_NO_NEW_PRIVILEGES], err), err)
             < 0)
    return -1;
  finish (ctx, v);
  return 0;
}

int
confine_evaluate_process (const confine_context_t *ctx, const confine_process_t *p,
                          confine_verdict_t *v, confine_error_t *err)
{
  confine_rule_result_t *r = v->results;

  init (ctx, v);
  /* runc gives an exec process without apparmorProfile the container's
   * own profile (libcontainer's newInitConfig), which the gate judged when
   * the container was created; Docker leaves the field out on hosts
   * without AppArmor. Only a profile the process names needs judging. */
  if (p->apparmor_profile == NULL)
    {
      if (confine_result_set (&r[CONFINE_RULE_APPARMOR], CONFINE_RESULT_PASS, NULL, err,
                              "no profile named: runc applies the container's own profile")
          < 0)
        return -1;
    }
  else if (run (v, CONFINE_RULE_APPARMOR,
                confine_rule_apparmor (ctx, p, &r[CONFINE_RULE_APPARMOR], err), err) < 0)
    return -1;
  if (run (v, CONFINE_RULE_CAPABILITIES,
              confine_rule_capabilities (ctx, p, &r[CONFINE_RULE_CAPABILITIES], err), err) < 0
      || run (v, CONFINE_RULE_NO_NEW_PRIVILEGES,
              rule_no_new_privileges (p, &r[CONFINE_RULE_NO_NEW_PRIVILEGES], err), err) < 0)
    return -1;
  for (int i = 0; i < CONFINE_RULES; i++)
    if (r[i].fact == NULL
        && confine_result_set (&r[i], CONFINE_RESULT_SKIP, NULL, err,
                               "applies to the container, not to an exec process") < 0)
      return -1;
  finish (ctx, v);
  return 0;
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
    free (v->results[i].fact);
  confine_free_strv (v->seccomp_unblocked);
  memset (v, 0, sizeof (*v));
}

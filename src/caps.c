/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "mounts.h"
#include "rules.h"
#include "../base/utils.h"

/* A capability as runc names it: exactly "CAP_" and libcap's name in
 * upper case, and one the running kernel has. libcap's cap_from_name also
 * takes lower case and plain numbers, which runc does not. */
static int
cap_number (const char *name, cap_value_t *out)
{
  cap_value_t v;
  char *canon;
  bool ok;

  if (strncmp (name, "CAP_", 4) != 0 || cap_from_name (name, &v) != 0 || v < 0
      || v >= (cap_value_t) cap_max_bits ())
    return -1;
  canon = cap_to_name (v);
  if (canon == NULL)
    return -1;
  ok = strcasecmp (canon, name) == 0;
  for (const char *c = name; *c && ok; c++)
    ok = !(*c >= 'a' && *c <= 'z');
  cap_free (canon);
  if (!ok)
    return -1;
  *out = v;
  return 0;
}

uint64_t
confine_caps_mask (char *const *names)
{
  uint64_t mask = 0;
  cap_value_t v;
  /* A name runc does not recognise is refused by the rule; one the
   * kernel lacks runc skips, and so does the mask. */
  for (; names && *names; names++)
    if (cap_number (*names, &v) == 0 && v < 64)
      mask |= 1ull << v;
  return mask;
}

/* A capability at fault and the sets it is in (bit s: confine_cap_set_names[s]). */
typedef struct
{
  const char *name;
  bool unknown;
  unsigned sets;
} fault_t;

/* Add SET to NAME's entry, creating it in order of first appearance. */
static void
fault_add (fault_t *v, size_t *n, const char *name, bool unknown, int set)
{
  size_t i = 0;
  while (i < *n && strcmp (v[i].name, name) != 0)
    i++;
  if (i == *n)
    v[(*n)++] = (fault_t) { name, unknown, 0 };
  v[i].sets |= 1u << set;
}

static void
print_sets (FILE *f, unsigned sets)
{
  bool first = true;
  for (int s = 0; s < CONFINE_CAP_SETS; s++)
    if (sets & (1u << s))
      {
        fprintf (f, "%s%s", first ? "" : ", ", confine_cap_set_names[s]);
        first = false;
      }
}

/* Each capability once, with the sets it is in; capabilities found in the
 * same sets share one list (--privileged: every forbidden capability, in
 * every set, is one group), so no fact is repeated. */
static void
describe (FILE *f, fault_t *v, size_t n, bool unknown)
{
  bool any = false;
  for (size_t i = 0; i < n; i++)
    {
      size_t members = 0;
      if (v[i].unknown != unknown || v[i].sets == 0)
        continue;
      fprintf (f, "%s%s", any ? "; " : unknown ? "unknown to runc: " : "", v[i].name);
      any = true;
      for (size_t j = i + 1; j < n; j++)
        if (v[j].unknown == unknown && v[j].sets == v[i].sets)
          {
            fprintf (f, ", %s", v[j].name);
            v[j].sets = 0; /* printed */
            members++;
          }
      fputs (members ? " (each in " : " (", f);
      print_sets (f, v[i].sets);
      fputc (')', f);
    }
}

/* seccomp.block_setid_files: with CAP_SETFCAP the container's root writes
 * security.capability on a program where host users reach it,
 * and the program runs with those capabilities for them (setxattr's
 * name is a string a filter cannot read). Judged on the bounding set:
 * no set holds more after runc's exec. An exec process has no spec to
 * find its binds in: the shim's exec takes CAP_SETFCAP out where the
 * container's init lacks it (runtime/exec.c). */
static int
setfcap (const confine_context_t *ctx, const confine_subject_t *subject, size_t total,
         confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *bind = NULL;
  uint64_t bounding = confine_caps_mask (subject->process->caps.names[CONFINE_CAP_BOUNDING]);

  if (subject->spec && (bounding >> CAP_SETFCAP) & 1
      && confine_mounts_setid_bind (ctx, subject->spec, &bind, err) < 0)
    return -1;
  if (bind == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "%zu capability entries, none forbidden", total);
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_FAIL, CONFINE_CAPS_SETFCAP_KEY,
                      "CAP_SETFCAP is in the bounding set while %s: a program the container "
                      "gives file capabilities where a host user reaches it runs with them "
                      "on the host",
                      bind);
  return 0;
}

int
confine_rule_capabilities (const confine_context_t *ctx, const confine_subject_t *subject,
                           confine_rule_result_t *r, confine_error_t *err)
{
  const confine_process_t *p = subject->process;
  cleanup_free fault_t *faults = NULL;
  cleanup_free char *buf = NULL;
  size_t len = 0, n = 0, n_forbidden = 0, n_unknown = 0, total = 0;
  FILE *f;

  if (!p->present || !p->has_capabilities)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL, "no capabilities requested");
      return 0;
    }

  for (int s = 0; s < CONFINE_CAP_SETS; s++)
    for (char **c = p->caps.names[s]; c && *c; c++)
      total++;
  if (total)
    faults = confine_xcalloc (total, sizeof (*faults));
  for (int s = 0; s < CONFINE_CAP_SETS; s++)
    for (char **c = p->caps.names[s]; c && *c; c++)
      {
        cap_value_t v;
        if (cap_number (*c, &v) < 0)
          fault_add (faults, &n, *c, true, s);
        else if (v < 64 && (ctx->policy->caps_forbidden_mask >> v) & 1)
          fault_add (faults, &n, *c, false, s);
      }
  for (size_t i = 0; i < n; i++)
    *(faults[i].unknown ? &n_unknown : &n_forbidden) += 1;
  if (n == 0)
    return setfcap (ctx, subject, total, r, err);

  if ((f = open_memstream (&buf, &len)) == NULL)
    return confine_make_error (err, errno, "open_memstream");
  describe (f, faults, n, false);
  if (n_forbidden && n_unknown)
    fputs ("; ", f);
  describe (f, faults, n, true);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe capabilities");
  /* An unknown name is refused by runc itself, whatever the policy says;
   * only the forbidden ones are the policy's to allow. */
  confine_result_set (r, CONFINE_RESULT_FAIL,
                      n_forbidden ? "capabilities.forbidden" : "rules.capabilities",
                      "%s", buf);
  return 0;
}

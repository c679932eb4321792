/* SPDX-License-Identifier: Apache-2.0 */
/* The field table: which spec fields the fields rule refuses when set,
 * one row per case; and the README's field table is this table. */
#define _GNU_SOURCE
#include <string.h>

#include "harness.h"
#include "../../oci/fields.h"
#include "../../oci/spec.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static const struct
{
  const char *name;
  const char *spec;
  const char *refused; /* the fields found, joined by spaces; "" for none */
} cases[] = {
  { "nothing-set", "{}", "" },
  { "harmless-fields", "{\"hostname\":\"h\",\"linux\":{\"intelRdt\":{},\"sysctl\":{}}}", "" },
  { "null-is-unset", "{\"linux\":{\"personality\":null,\"netDevices\":null}}", "" },
  { "personality", "{\"linux\":{\"personality\":{\"domain\":\"LINUX32\"}}}", "linux.personality" },
  { "net-devices", "{\"linux\":{\"netDevices\":{\"eth0\":{}}}}", "linux.netDevices" },
  /* A later Go runtime folds keys: `Scheduler` is `scheduler` to it. */
  { "scheduler-folded-key", "{\"process\":{\"Scheduler\":{}}}", "process.scheduler" },
  { "time-offsets", "{\"linux\":{\"timeOffsets\":{}}}", "linux.timeOffsets" },
  { "scheduler", "{\"process\":{\"cwd\":\"/\",\"scheduler\":{\"policy\":\"SCHED_FIFO\"}}}",
    "process.scheduler" },
  { "idmapped-mount-second-element",
    "{\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"/b\",\"uidMappings\":[]}]}",
    "mounts[].uidMappings" },
  { "two-fields",
    "{\"linux\":{\"personality\":{},\"timeOffsets\":{}},\"mounts\":[{\"gidMappings\":[]}]}",
    "mounts[].gidMappings linux.personality linux.timeOffsets" },
};

static void
test_cases (void)
{
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_spec_t *spec = NULL;
      char got[512] = "";
      if (confine_spec_parse (cases[i].spec, strlen (cases[i].spec), &spec, NULL, &err) < 0)
        {
          CHECK (false, cases[i].name, "parse: %s", err->msg);
          continue;
        }
      for (char **f = spec->refused_fields; *f; f++)
        {
          if (got[0])
            strcat (got, " ");
          strncat (got, *f, sizeof (got) - strlen (got) - 2);
        }
      CHECK (strcmp (got, cases[i].refused) == 0, cases[i].name, "refused `%s`, want `%s`", got,
             cases[i].refused);
      confine_spec_free (spec);
    }
}

/* Every row is in the README's field table with the same verdict, and the
 * README lists no field the table lacks. */
static void
test_readme (void)
{
  static const char *const verdict[] = { "judged", "harmless", "refused" };
  char *readme = harness_read ("README.md", NULL);
  size_t rows = 0;
  for (size_t i = 0; i < confine_n_spec_fields; i++)
    {
      char *row = NULL;
      if (asprintf (&row, "| `%s` | %s |", confine_spec_fields[i].path,
                    verdict[confine_spec_fields[i].status])
          < 0)
        abort ();
      CHECK (strstr (readme, row) != NULL, "readme-row", "README lacks `%s`", row);
      free (row);
    }
  for (char *p = strstr (readme, "\n| `"); p; p = strstr (p + 1, "\n| `"))
    {
      const char *v = strchr (p + 4, '`');
      if (v && (strncmp (v, "` | judged |", 12) == 0 || strncmp (v, "` | harmless |", 14) == 0
                || strncmp (v, "` | refused |", 13) == 0))
        rows++;
    }
  CHECK (rows == confine_n_spec_fields, "readme-no-extra-rows", "README has %zu field rows, the table %zu",
         rows, confine_n_spec_fields);
  free (readme);
}

/* process.oomScoreAdj against process.min_oom_score_adj (default -997,
 * Kubernetes' guaranteed pods): -1000 is never killed, and the OOM killer
 * kills host processes for the container's memory instead. */
static void
test_oom (void)
{
  confine_policy_t *plain = harness_policy ("{}");
  confine_policy_t *lax = harness_policy ("{\"process\":{\"min_oom_score_adj\":-1000}}");
  static const struct
  {
    const char *name;
    const char *value; /* process.oomScoreAdj's JSON */
    bool lax;
    confine_result_kind_t want;
    const char *fact;
  } rows[] = {
    { "oom-unkillable-refused", "-1000", false, CONFINE_RESULT_FAIL,
      "process.oomScoreAdj is -1000, below -997" },
    { "oom-below-kubelet-pods-refused", "-998", false, CONFINE_RESULT_FAIL, "below -997" },
    { "oom-kubernetes-guaranteed-passes", "-997", false, CONFINE_RESULT_PASS, "" },
    { "oom-raised-passes", "500", false, CONFINE_RESULT_PASS, "" },
    { "oom-policy-allows-lower", "-1000", true, CONFINE_RESULT_PASS, "" },
  };
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_free char *text = NULL;
      confine_spec_t *spec = NULL;
      if (asprintf (&text, "{\"process\":{\"cwd\":\"/\",\"oomScoreAdj\":%s}}", rows[i].value)
              < 0
          || confine_spec_parse (text, strlen (text), &spec, NULL, &err) < 0)
        {
          CHECK (false, rows[i].name, "parse: %s", err ? err->msg : "");
          continue;
        }
      confine_context_t ctx = { .policy = rows[i].lax ? lax : plain };
      confine_subject_t subj = { .spec = spec, .process = &spec->process };
      harness_rule_case (rows[i].name, confine_rule_fields, &ctx, &subj, rows[i].want,
                         rows[i].fact);
      confine_spec_free (spec);
    }
  {
    cleanup_error confine_error_t err = NULL;
    cleanup_policy confine_policy_t *p = NULL;
    static const char bad[] = "{\"process\":{\"min_oom_score_adj\":-1001}}";
    CHECK (confine_policy_parse (bad, strlen (bad), &p, &err) < 0
               && strstr (err->msg, "process.min_oom_score_adj"),
           "oom-policy-out-of-range-refused", "%s", err ? err->msg : "parsed");
  }
  confine_policy_free (plain);
  confine_policy_free (lax);
}

void
run_tests (void)
{
  test_cases ();
  test_readme ();
  test_oom ();
}

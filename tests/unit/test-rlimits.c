/* SPDX-License-Identifier: Apache-2.0 */
/* The rlimits rule, one row per case: a process fragment (the
 * container's, as in a spec, or an exec's), the policy's `process`
 * object, the verdict and a fragment of the fact or of the parse error.
 * With real runc: redteam found-71. */
#define _GNU_SOURCE
#include <string.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

#define RL(type, hard, soft) "{\"type\":\"" type "\",\"hard\":" #hard ",\"soft\":" #soft "}"
#define PROC(...) "{\"rlimits\":[" __VA_ARGS__ "]}"

static const struct
{
  const char *name;
  const char *process;
  const char *policy; /* the policy's `process` object, or NULL */
  int want;           /* 1 pass, 0 fail, -1 the process does not parse */
  const char *fact;
} cases[] = {
  { "no rlimits pass", "{}", NULL, 1, "no real-time priority" },
  { "Podman's nofile and nproc pass", PROC (RL ("RLIMIT_NOFILE", 1048576, 1048576) ","
                                            RL ("RLIMIT_NPROC", 4194304, 4194304)),
    NULL, 1, "no real-time priority" },
  { "memlock unlimited passes (charged to the memory cgroup)",
    PROC (RL ("RLIMIT_MEMLOCK", 18446744073709551615, 18446744073709551615)), NULL, 1, "" },
  { "rtprio 0 passes", PROC (RL ("RLIMIT_RTPRIO", 0, 0)), NULL, 1, "" },
  { "rtprio 99 is refused", PROC (RL ("RLIMIT_RTPRIO", 99, 99)), NULL, 0,
    "RLIMIT_RTPRIO 99, above 0" },
  { "a soft rtprio above the hard one is judged by its highest", PROC (RL ("RLIMIT_RTPRIO", 0, 5)),
    NULL, 0, "RLIMIT_RTPRIO 5" },
  { "a hard rtprio the process can raise its soft one to is refused",
    PROC (RL ("RLIMIT_RTPRIO", 10, 0)), NULL, 0, "RLIMIT_RTPRIO 10" },
  { "the last of two entries does not hide the first", PROC (RL ("RLIMIT_RTPRIO", 50, 50) ","
                                                             RL ("RLIMIT_RTPRIO", 0, 0)),
    NULL, 0, "RLIMIT_RTPRIO 50" },
  { "the policy may allow some", PROC (RL ("RLIMIT_RTPRIO", 10, 10)), "{\"max_rtprio\":10}", 1, "" },
  { "above what the policy allows is refused", PROC (RL ("RLIMIT_RTPRIO", 11, 11)),
    "{\"max_rtprio\":10}", 0, "above 10" },
  /* Go's encoding/json matches field names case-insensitively. */
  { "a field in another case is refused as ambiguous", "{\"rlimits\":[{\"TYPE\":\"RLIMIT_RTPRIO\",\"Hard\":99,\"soft\":0}]}",
    NULL, -1, "runc's JSON decoder would read it as `type`" },
  { "a negative limit does not parse", PROC (RL ("RLIMIT_RTPRIO", -1, 0)), NULL, -1, "hard" },
  { "a limit that is not a number does not parse", "{\"rlimits\":[{\"type\":\"RLIMIT_RTPRIO\",\"hard\":\"99\"}]}",
    NULL, -1, "hard" },
  { "an unknown field in an entry is ignored, as runc ignores it",
    "{\"rlimits\":[{\"type\":\"RLIMIT_RTPRIO\",\"max\":99}]}", NULL, 1, "" },
  { "rlimits that are no list do not parse", "{\"rlimits\":{\"type\":\"RLIMIT_RTPRIO\"}}", NULL, -1,
    "rlimits" },
};

static const struct
{
  const char *name, *process, *error;
} policy_cases[] = {
  { "max_rtprio above 99 is refused", "{\"max_rtprio\":100}", "max_rtprio" },
  { "a negative max_rtprio is refused", "{\"max_rtprio\":-1}", "max_rtprio" },
};

void
run_tests (void)
{
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = harness_policy ("{\"process\":%s}", cases[i].policy ? cases[i].policy : "{}");
      confine_process_t proc = { 0 };
      confine_rule_result_t r = { 0 };
      confine_context_t ctx = { .policy = p };
      confine_subject_t s = { NULL, &proc, NULL };

      if (confine_process_parse (cases[i].process, strlen (cases[i].process), &proc, &err) < 0)
        CHECK (cases[i].want == -1 && strstr (err->msg, cases[i].fact), cases[i].name,
               "does not parse: %s", err->msg);
      else if (cases[i].want == -1)
        CHECK (false, cases[i].name, "parsed");
      else if (confine_rule_rlimits (&ctx, &s, &r, &err) < 0)
        CHECK (false, cases[i].name, "error: %s", err->msg);
      else
        CHECK ((r.kind == CONFINE_RESULT_PASS) == (cases[i].want == 1) && strstr (r.fact, cases[i].fact)
                   && (r.kind == CONFINE_RESULT_PASS || strcmp (r.policy_key, "process.max_rtprio") == 0),
               cases[i].name, "%s: %s", r.kind == CONFINE_RESULT_PASS ? "pass" : "fail", r.fact);
      free (r.fact);
      confine_process_clear (&proc);
      confine_policy_free (p);
    }
  for (size_t i = 0; i < sizeof (policy_cases) / sizeof (policy_cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_free char *text = confine_xasprintf ("{\"process\":%s}", policy_cases[i].process);
      confine_policy_t *p = NULL;
      int r = confine_policy_parse (text, strlen (text), &p, &err);
      CHECK (r < 0 && strstr (err->msg, policy_cases[i].error), policy_cases[i].name, "%s",
             r < 0 ? err->msg : "accepted");
      confine_policy_free (p);
    }
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Reading --no-pivot from a runtime's command line in every spelling Go's
 * flag package accepts, one row per case. */
#define _GNU_SOURCE
#include <string.h>

#include "harness.h"
#include "../../src/rules.h"

static const struct
{
  const char *name;
  const char *argv[8];
  bool want;
} cases[] = {
  { "plain-create", { "runc", "--root", "/r", "create", "--bundle", "b", "id" }, false },
  { "double-dash", { "runc", "create", "--no-pivot", "--bundle", "b", "id" }, true },
  { "single-dash", { "runc", "run", "-no-pivot", "id" }, true },
  { "equals-true", { "runc", "create", "--no-pivot=true", "id" }, true },
  { "equals-one", { "runc", "create", "-no-pivot=1", "id" }, true },
  { "equals-false", { "runc", "create", "--no-pivot=false", "id" }, false },
  { "equals-zero", { "runc", "create", "--no-pivot=0", "id" }, false },
  { "equals-garbage-is-asked", { "runc", "create", "--no-pivot=maybe", "id" }, true },
  { "prefix-only", { "runc", "create", "--no-pivoting", "id" }, false },
  { "other-flag", { "runc", "create", "--no-new-keyring", "id" }, false },
};

void
run_tests (void)
{
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      size_t argc = 0;
      while (argc < 8 && cases[i].argv[argc])
        argc++;
      bool got = confine_argv_no_pivot ((char *const *) cases[i].argv, argc);
      CHECK (got == cases[i].want, cases[i].name, "got %d", got);
    }
}

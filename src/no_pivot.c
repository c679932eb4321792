/* SPDX-License-Identifier: Apache-2.0 */
/* The no_pivot rule: `runc create --no-pivot` sets up the container's
 * root with MS_MOVE and chroot instead of pivot_root, which leaves the
 * host's mount tree reachable from the container's mount namespace; a
 * process that gets CAP_SYS_CHROOT back out of a chroot is on the host.
 * Engines pass it only when told to (containerd's NoPivotRoot, Podman's
 * no_pivot_root), which no container user should be able to ask for.
 * Refused unless `rules.no_pivot` is off. */
#define _GNU_SOURCE
#include <string.h>
#include <strings.h>

#include "rules.h"
#include "../base/utils.h"

bool
confine_argv_no_pivot (char *const *argv, size_t argc)
{
  for (size_t i = 0; i < argc; i++)
    {
      const char *a = argv[i];
      /* Go's flag package takes `-name` and `--name`, with `=value`. */
      if (a[0] != '-')
        continue;
      a += a[1] == '-' ? 2 : 1;
      if (strncmp (a, "no-pivot", 8) != 0 || (a[8] != '\0' && a[8] != '='))
        continue;
      if (a[8] == '\0' || !confine_go_false (a + 9))
        return true;
    }
  return false;
}

int
confine_rule_no_pivot (const confine_context_t *ctx, const confine_subject_t *s CONFINE_UNUSED,
                       confine_rule_result_t *r, confine_error_t *err CONFINE_UNUSED)
{
  if (ctx->no_pivot)
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.no_pivot",
                        "the runtime is asked for --no-pivot, which leaves the host's "
                        "mounts reachable from the container (set rules.no_pivot to off "
                        "to allow it)");
  else
    confine_result_set (r, CONFINE_RESULT_PASS, NULL, "the root is set up with pivot_root");
  return 0;
}

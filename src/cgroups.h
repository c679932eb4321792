/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroups rule (cgroups.c), and its judgment of what `runc update`
 * writes into a running container's cgroup. */
#ifndef CONFINE_CGROUPS_H
#define CONFINE_CGROUPS_H

#include "rules.h"

/* Judge the N linux.resources.unified files UNIFIED of a `runc update
 * --resources` document as the rule judges a spec's, into R. */
int confine_cgroups_judge_update (const confine_context_t *ctx, const confine_annotation_t *unified,
                                  size_t n, confine_rule_result_t *r, confine_error_t *err);

#endif

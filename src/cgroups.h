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

/* Why the cgroupfs path PATH (a shape path_refusal passed) puts the
 * container below a cgroup that holds processes, in *WHY (owned), or
 * nothing: relative to the runtime's own cgroup (SELF, the text of
 * /proc/self/cgroup, read only for a relative PATH: may be NULL for an
 * absolute one) when that is not the root, or with an existing
 * parent that holds processes in any of HIERARCHIES (NULL-terminated
 * directories). 1 when refused, 0 when not, -1 when a parent cannot be
 * read. */
int confine_cgroups_parents_refusal (char *const *hierarchies, const char *self, const char *path,
                                     char **why, confine_error_t *err);

/* The same for systemd's SLICE:PREFIX:NAME (a shape systemd_refusal
 * passed; an empty SLICE is system.slice), whose scope PREFIX-NAME.scope
 * runc makes in SLICE as systemd expands it (a-b.slice in a.slice): the
 * topmost of those slices that SHARED (NULL-terminated) does not list
 * must hold no process in its subtree but in other containers' scopes.
 * HIERARCHIES NULL: the host's, read only when a slice must be walked.
 * 1 when refused, 0 when not, -1 when a cgroup cannot be read. */
int confine_cgroups_slice_refusal (char *const *hierarchies, char *const *shared, const char *path,
                                   char **why, confine_error_t *err);

#endif

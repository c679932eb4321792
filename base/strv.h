/* SPDX-License-Identifier: Apache-2.0 */
/* String lists: NULL-terminated arrays of strings, the one shape every
 * list of names, paths and sentences in the tree takes, and the one
 * builder for them. */
#ifndef CONFINE_STRV_H
#define CONFINE_STRV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

void confine_free_strv (char **v);
void confine_cleanup_strvp (char ***v);
#define cleanup_strv __attribute__ ((cleanup (confine_cleanup_strvp)))
bool confine_strv_has (char *const *v, const char *s);
/* Some pattern of V (fnmatch(3), no flags: `*` crosses `/`) matches S:
 * the one matcher for the policy's lists of glob patterns. */
bool confine_strv_match (char *const *v, const char *s);
size_t confine_strv_len (char *const *v);
/* A deep copy. */
char **confine_strv_copy (const char *const *src) __attribute__ ((returns_nonnull));

/* A list being built. V is NULL until the first string is added, and
 * NULL-terminated from then on. */
typedef struct
{
  char **v;
  size_t n, cap;
} confine_strv_t;

/* Append S, taken over (freed if the list already holds MAX strings,
 * the only failure: MAX keeps a hostile input from growing a list
 * without limit). */
int confine_strv_add (confine_strv_t *l, char *s, size_t max, confine_error_t *err);
/* The list, never NULL (an empty one is just the terminator); L is left
 * empty. */
char **confine_strv_steal (confine_strv_t *l) __attribute__ ((returns_nonnull));
void confine_strv_clear (confine_strv_t *l);
#define cleanup_strv_list __attribute__ ((cleanup (confine_strv_clear)))

#endif

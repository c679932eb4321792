/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation cannot fail (crun's rule). Running out of memory ends the
 * process with one line on stderr, `confine: refused: out of memory`,
 * and exit status CONFINE_EXIT_OOM: for the hook and the shim that is a
 * refusal (runc destroys the container; the engine shows the line), for
 * the CLI an answer that is never "allowed" or "nothing unconfined".
 * alloc.c also replaces glibc's allocator entry points, so libseccomp's
 * and yajl's allocations follow the same rule; these wrappers are for
 * our own code, and keep the rule under AddressSanitizer, whose
 * allocator must stay in place. No function here returns NULL. */
#ifndef CONFINE_ALLOC_H
#define CONFINE_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

/* The documented exit status (confine-hook(8), confine-runtime(8),
 * confine(1)). */
#define CONFINE_EXIT_OOM 1

__attribute__ ((noreturn)) void confine_oom (void);

void *confine_xmalloc (size_t n) __attribute__ ((returns_nonnull, malloc));
void *confine_xcalloc (size_t n, size_t size) __attribute__ ((returns_nonnull, malloc));
void *confine_xreallocarray (void *p, size_t n, size_t size) __attribute__ ((returns_nonnull));
char *confine_xstrdup (const char *s) __attribute__ ((returns_nonnull, malloc));
char *confine_xstrndup (const char *s, size_t n) __attribute__ ((returns_nonnull, malloc));
char *confine_xasprintf (const char *fmt, ...) CONFINE_PRINTF (1, 2)
    __attribute__ ((returns_nonnull, malloc));
char *confine_xvasprintf (const char *fmt, va_list ap) CONFINE_PRINTF (1, 0)
    __attribute__ ((returns_nonnull, malloc));

/* Grow a vector by one element, zeroed. MAX bounds the element count, so
 * a hostile document cannot make us allocate without limit: going past
 * it is the only failure. */
int confine_append (void *vec, size_t *n, size_t *cap, size_t elem, size_t max, confine_error_t *err);

/* Have the kernel populate the heap a judging process is about to write
 * (the hook, the shim's create, start and exec) in one call: a page
 * written for the first time costs a fault each, about twice what one
 * populated in a batch costs (bench/findings.md, 2026-11-30, perf2). An
 * optimisation only: nothing depends on it succeeding. */
void confine_heap_populate (void);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Running out of memory ends the process with a refusal (alloc.h).
 *
 * Checking every allocation of our own code is not enough: libseccomp
 * 2.5.4 can lose an allocation while generating BPF and still report
 * success, exporting a truncated program that reads as "blocks
 * everything", and yajl dereferences NULL when its allocations fail. A
 * gate that judged such a filter would fail open (and cache the verdict).
 * So these replace glibc's allocator entry points for the whole process,
 * libraries included (glibc supports replacing them), and turn a NULL
 * into confine_oom. They call glibc's own implementation, so nothing
 * else changes.
 *
 * Not under AddressSanitizer, whose allocator must stay in place; the
 * sanitizer builds test the rest. */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc.h"

void
confine_oom (void)
{
  static const char msg[] = "confine: refused: out of memory\n";
  if (write (STDERR_FILENO, msg, sizeof (msg) - 1) < 0)
    _exit (CONFINE_EXIT_OOM);
  _exit (CONFINE_EXIT_OOM);
}

void *
confine_xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);
  if (p == NULL)
    confine_oom ();
  return p;
}

void *
confine_xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);
  if (p == NULL)
    confine_oom ();
  return p;
}

void *
confine_xreallocarray (void *p, size_t n, size_t size)
{
  /* An overflowing product is a request no allocator can meet. */
  void *np = reallocarray (p, n ? n : 1, size ? size : 1);
  if (np == NULL)
    confine_oom ();
  return np;
}

char *
confine_xstrndup (const char *s, size_t n)
{
  char *p = strndup (s, n);
  if (p == NULL)
    confine_oom ();
  return p;
}

char *
confine_xstrdup (const char *s)
{
  return confine_xstrndup (s, strlen (s));
}

char *
confine_xvasprintf (const char *fmt, va_list ap)
{
  char *p = NULL;
  /* vasprintf fails for want of memory, or for a result longer than
   * INT_MAX bytes, which no caller asks for. */
  if (vasprintf (&p, fmt, ap) < 0)
    confine_oom ();
  return p;
}

char *
confine_xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *p;

  va_start (ap, fmt);
  p = confine_xvasprintf (fmt, ap);
  va_end (ap);
  return p;
}

int
confine_append (void *vec, size_t *n, size_t *cap, size_t elem, size_t max, confine_error_t *err)
{
  void **v = (void **) vec;

  if (*n >= max)
    return confine_make_error (err, 0, "more than %zu entries", max);
  if (*n == *cap)
    {
      size_t ncap = *cap ? *cap * 2 : 8;
      if (ncap > max)
        ncap = max;
      *v = confine_xreallocarray (*v, ncap, elem);
      *cap = ncap;
    }
  memset ((char *) *v + *n * elem, 0, elem);
  (*n)++;
  return 0;
}

/* Linux 5.14's madvise advice; Debian 12's headers predate it. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* About what the hook and the shim's create write of their heap judging
 * Docker's default config: 36 and 31 fewer faults populated, and no
 * fewer with more (bench/findings.md, 2026-11-30, perf2). */
#define HEAP_POPULATE (128u << 10)

void
confine_heap_populate (void)
{
  const size_t bytes = HEAP_POPULATE;
  uintptr_t page = (uintptr_t) sysconf (_SC_PAGESIZE), start, end;
  void *probe;

  /* The heap grows by BYTES beyond what is asked (glibc's top pad); the
   * probe is where the untouched rest of it starts. */
  if (mallopt (M_TOP_PAD, (int) bytes) == 0 || (probe = malloc (1)) == NULL)
    return;
  start = (uintptr_t) probe & ~(page - 1);
  end = (uintptr_t) sbrk (0);
  /* Only a heap on the program break: not under valgrind or a sanitizer,
   * whose allocators map their own. An old kernel refuses the advice:
   * the pages then fault in one by one, as without it. */
  if (start < end && end - start <= 2 * bytes)
    (void) madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
  free (probe);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFINE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CONFINE_ASAN 1
#endif

#ifndef CONFINE_ASAN

extern void *__libc_malloc (size_t);
extern void *__libc_calloc (size_t, size_t);
extern void *__libc_realloc (void *, size_t);
extern void *__libc_memalign (size_t, size_t);

static void *
check (void *p, size_t n)
{
  /* glibc returns a unique pointer for size 0, but be exact: only a
   * failed request for memory is a failure. */
  if (p == NULL && n != 0)
    confine_oom ();
  return p;
}

void *
malloc (size_t n)
{
  return check (__libc_malloc (n), n ? n : 1);
}

void *
calloc (size_t n, size_t size)
{
  return check (__libc_calloc (n, size), n && size ? n * size : 0);
}

void *
realloc (void *p, size_t n)
{
  /* realloc (p, 0) frees and may return NULL: not a failure. */
  return check (__libc_realloc (p, n), n);
}

void *
memalign (size_t align, size_t n)
{
  return check (__libc_memalign (align, n), n ? n : 1);
}

void *
aligned_alloc (size_t align, size_t n)
{
  return check (__libc_memalign (align, n), n ? n : 1);
}

int
posix_memalign (void **out, size_t align, size_t n)
{
  if (align < sizeof (void *) || (align & (align - 1)) != 0)
    return EINVAL;
  *out = check (__libc_memalign (align, n), n ? n : 1);
  return 0;
}

#endif

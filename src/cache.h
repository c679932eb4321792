/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp verdict cache. Building and exporting a filter with
 * libseccomp costs milliseconds on every container start, while the
 * verdict depends only on the seccomp section, the policy's must_block
 * list and the host's libseccomp. So the verdict is kept under the
 * policy's cache_dir, keyed by a SHA-256 of all three.
 *
 * The cache is an optimisation, never a trust anchor: an entry that is
 * not a regular file owned by us, is writable by others, lives in a
 * directory others can write, or does not parse exactly is ignored and
 * the verdict recomputed. Any failure to read or write it is ignored. */
#ifndef CONFINE_CACHE_H
#define CONFINE_CACHE_H

#include <stdbool.h>

#include "../base/error.h"
#include "../oci/spec.h"

typedef struct
{
  char hex[65];
} confine_cache_key_t;

void confine_cache_key (const confine_seccomp_t *s, char *const *must_block,
                        bool namespace_clone, bool device_nodes, bool setid_files,
                        confine_cache_key_t *key);
/* Returns true and sets *UNBLOCKED and *DENIED (NULL-terminated: the
 * must_block syscalls the filter lets through, the needed ones it may
 * deny) and *INSNS on a hit. */
bool confine_cache_get (const char *dir, const confine_cache_key_t *key, char ***unblocked,
                        char ***denied, size_t *insns);
/* Best effort: returns negative on failure, which callers may ignore. */
int confine_cache_put (const char *dir, const confine_cache_key_t *key, char *const *unblocked,
                       char *const *denied, size_t insns, confine_error_t *err);

/* Facts that cost time to establish and hold for a build of the core:
 * the key names the build, WHAT (a sentence) and DIGEST (the caller's
 * SHA-256 of what the fact is about). The same rules: an entry that is
 * not ours or does not read exactly is no fact, and a failed write only
 * costs time. */
void confine_cache_fact_key (const char *what, const unsigned char digest[32],
                             confine_cache_key_t *key);
bool confine_cache_fact_get (const char *dir, const confine_cache_key_t *key);
int confine_cache_fact_put (const char *dir, const confine_cache_key_t *key, confine_error_t *err);

#endif

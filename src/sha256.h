/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 (FIPS 180-4), for the policy digest in the decision log and the
 * verdict cache key. Small enough to carry rather than pull in a crypto
 * library the gate would otherwise not need. */
#ifndef CONFINE_SHA256_H
#define CONFINE_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct
{
  uint32_t h[8];
  uint64_t bytes;
  unsigned char buf[64];
  size_t used;
  bool hw; /* the CPU's SHA instructions do the rounds */
} confine_sha256_t;

void confine_sha256_init (confine_sha256_t *c);
/* The same, always in portable C: for the test that both paths agree. */
void confine_sha256_init_portable (confine_sha256_t *c);
void confine_sha256_update (confine_sha256_t *c, const void *data, size_t len);
void confine_sha256_final (confine_sha256_t *c, unsigned char out[32]);
/* Digest of BUF as 64 lowercase hex digits plus NUL. */
void confine_sha256_hex (const void *buf, size_t len, char out[65]);
void confine_hex (const unsigned char *in, size_t n, char *out);

#endif

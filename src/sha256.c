/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <string.h>

#include "sha256.h"

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include <sys/platform/x86.h>

/* The x86 SHA extensions (SHA-NI; Intel since Goldmont and Ice Lake, every
 * AMD Zen): the hook hashes the spec's seccomp section (the verdict
 * cache's key) and the policy on every container start, and in software
 * that was a fifth of its instructions. The rounds are FIPS 180-4's,
 * computed by the CPU; the test of this file compares both paths. Asked
 * of what glibc's start learnt of the CPU, not of the CPU again: under a
 * hypervisor each `cpuid` exits to it, and the three this took cost
 * 40 us of every create (bench/findings.md, "cpuid"). */
static bool
have_sha_ni (void)
{
  return CPU_FEATURE_ACTIVE (SHA) && CPU_FEATURE_ACTIVE (SSSE3) && CPU_FEATURE_ACTIVE (SSE4_1);
}

__attribute__ ((target ("sha,ssse3,sse4.1"))) static void
block_sha_ni (confine_sha256_t *c, const unsigned char *p)
{
  const __m128i swap = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i state0, state1, msg, tmp, abef, cdgh, m[4];

  /* The state as the instructions want it: ABEF and CDGH. */
  tmp = _mm_shuffle_epi32 (_mm_loadu_si128 ((const __m128i *) &c->h[0]), 0xB1);
  state1 = _mm_shuffle_epi32 (_mm_loadu_si128 ((const __m128i *) &c->h[4]), 0x1B);
  state0 = _mm_alignr_epi8 (tmp, state1, 8);
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);
  abef = state0;
  cdgh = state1;

  /* Sixteen groups of four rounds; the message schedule runs in four
   * registers, M[G % 4] holding words 4G..4G+3. */
  for (int g = 0; g < 16; g++)
    {
      __m128i *cur = &m[g % 4];
      if (g < 4)
        *cur = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (p + 16 * g)), swap);
      msg = _mm_add_epi32 (*cur, _mm_loadu_si128 ((const __m128i *) &K[4 * g]));
      state1 = _mm_sha256rnds2_epu32 (state1, state0, msg);
      if (g >= 3 && g < 15)
        {
          __m128i *next = &m[(g + 1) % 4];
          tmp = _mm_alignr_epi8 (*cur, m[(g + 3) % 4], 4);
          *next = _mm_sha256msg2_epu32 (_mm_add_epi32 (*next, tmp), *cur);
        }
      state0 = _mm_sha256rnds2_epu32 (state0, state1, _mm_shuffle_epi32 (msg, 0x0E));
      if (g >= 1 && g < 13)
        m[(g + 3) % 4] = _mm_sha256msg1_epu32 (m[(g + 3) % 4], *cur);
    }
  state0 = _mm_add_epi32 (state0, abef);
  state1 = _mm_add_epi32 (state1, cdgh);

  /* Back to A..H. */
  tmp = _mm_shuffle_epi32 (state0, 0x1B);
  state1 = _mm_shuffle_epi32 (state1, 0xB1);
  _mm_storeu_si128 ((__m128i *) &c->h[0], _mm_blend_epi16 (tmp, state1, 0xF0));
  _mm_storeu_si128 ((__m128i *) &c->h[4], _mm_alignr_epi8 (state1, tmp, 8));
}
#endif

static void
block_portable (confine_sha256_t *c, const unsigned char *p)
{
  uint32_t w[64], a, b, cc, d, e, f, g, h;

  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16
           | (uint32_t) p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++)
    {
      uint32_t s0 = ROR (w[i - 15], 7) ^ ROR (w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ROR (w[i - 2], 17) ^ ROR (w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
  a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
  e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
  for (int i = 0; i < 64; i++)
    {
      uint32_t t1 = h + (ROR (e, 6) ^ ROR (e, 11) ^ ROR (e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      uint32_t t2 = (ROR (a, 2) ^ ROR (a, 13) ^ ROR (a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
      h = g, g = f, f = e, e = d + t1;
      d = cc, cc = b, b = a, a = t1 + t2;
    }
  c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
  c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

static void
block (confine_sha256_t *c, const unsigned char *p)
{
#if defined(__x86_64__) && defined(__GNUC__)
  if (c->hw)
    {
      block_sha_ni (c, p);
      return;
    }
#endif
  block_portable (c, p);
}

void
confine_sha256_init (confine_sha256_t *c)
{
  static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy (c->h, iv, sizeof (iv));
  c->bytes = 0;
  c->used = 0;
#if defined(__x86_64__) && defined(__GNUC__)
  c->hw = have_sha_ni ();
#else
  c->hw = false;
#endif
}

void
confine_sha256_init_portable (confine_sha256_t *c)
{
  confine_sha256_init (c);
  c->hw = false;
}

void
confine_sha256_update (confine_sha256_t *c, const void *data, size_t len)
{
  const unsigned char *p = data;
  c->bytes += len;
  while (len > 0)
    {
      size_t take = 64 - c->used < len ? 64 - c->used : len;
      memcpy (c->buf + c->used, p, take);
      c->used += take;
      p += take;
      len -= take;
      if (c->used == 64)
        {
          block (c, c->buf);
          c->used = 0;
        }
    }
}

void
confine_sha256_final (confine_sha256_t *c, unsigned char out[32])
{
  uint64_t bits = c->bytes * 8;
  unsigned char pad = 0x80;
  unsigned char len[8];

  confine_sha256_update (c, &pad, 1);
  pad = 0;
  while (c->used != 56)
    confine_sha256_update (c, &pad, 1);
  for (int i = 0; i < 8; i++)
    len[i] = (unsigned char) (bits >> (56 - 8 * i));
  confine_sha256_update (c, len, 8);
  for (int i = 0; i < 8; i++)
    {
      out[4 * i] = (unsigned char) (c->h[i] >> 24);
      out[4 * i + 1] = (unsigned char) (c->h[i] >> 16);
      out[4 * i + 2] = (unsigned char) (c->h[i] >> 8);
      out[4 * i + 3] = (unsigned char) c->h[i];
    }
}

void
confine_hex (const unsigned char *in, size_t n, char *out)
{
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++)
    {
      out[2 * i] = digits[in[i] >> 4];
      out[2 * i + 1] = digits[in[i] & 15];
    }
  out[2 * n] = '\0';
}

void
confine_sha256_hex (const void *buf, size_t len, char out[65])
{
  confine_sha256_t c;
  unsigned char d[32];
  confine_sha256_init (&c);
  confine_sha256_update (&c, buf, len);
  confine_sha256_final (&c, d);
  confine_hex (d, 32, out);
}

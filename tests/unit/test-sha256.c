/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256: FIPS 180-4's test vectors, and the CPU's SHA instructions
 * (where this machine has them) agreeing with the portable rounds on
 * every length around the block boundaries and on data fed in pieces, as
 * the verdict cache's key is. A wrong digest would only miss the cache,
 * unless it collided: both paths must give the one digest. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/sha256.h"

static void
digest (bool portable, const unsigned char *data, size_t len, size_t piece, char out[65])
{
  confine_sha256_t c;
  unsigned char d[32];

  if (portable)
    confine_sha256_init_portable (&c);
  else
    confine_sha256_init (&c);
  for (size_t off = 0; off < len; off += piece)
    confine_sha256_update (&c, data + off, len - off < piece ? len - off : piece);
  confine_sha256_final (&c, d);
  confine_hex (d, sizeof (d), out);
}

void
run_tests (void)
{
  static const struct
  {
    const char *in;
    const char *hex;
  } vectors[] = {
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
  };
  unsigned char *data = malloc (4096);
  char a[65], b[65], h[65];
  bool all = true;

  for (size_t i = 0; i < sizeof (vectors) / sizeof (vectors[0]); i++)
    {
      const unsigned char *in = (const unsigned char *) vectors[i].in;
      size_t len = strlen (vectors[i].in);
      digest (true, in, len, 64, a);
      digest (false, in, len, 64, b);
      confine_sha256_hex (in, len, h);
      CHECK (strcmp (a, vectors[i].hex) == 0 && strcmp (b, vectors[i].hex) == 0
                 && strcmp (h, vectors[i].hex) == 0,
             vectors[i].in[0] ? "FIPS 180-4 vector, both paths" : "empty input, both paths",
             "`%s`: portable %s, default %s, one call %s", vectors[i].in, a, b, h);
    }

  /* A million `a`, the long FIPS vector, fed in pieces of 1000. */
  {
    unsigned char *m = malloc (1000000);
    memset (m, 'a', 1000000);
    digest (false, m, 1000000, 1000, b);
    digest (true, m, 1000000, 1000, a);
    CHECK (strcmp (b, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0
               && strcmp (a, b) == 0,
           "a million `a` in pieces, both paths", "portable %s, default %s", a, b);
    free (m);
  }

  /* Every length up to 300 and some long ones, fed whole and in odd
   * pieces: the padding and the block boundaries of both paths. */
  srand (12);
  for (size_t i = 0; i < 4096; i++)
    data[i] = (unsigned char) rand ();
  for (size_t len = 0; len <= 4096 && all; len += len < 300 ? 1 : 379)
    for (size_t piece = 1; piece <= 67 && all; piece += 11)
      {
        digest (true, data, len, 64, a);
        digest (false, data, len, piece, b);
        if (strcmp (a, b) != 0)
          {
            all = false;
            CHECK (false, "the SHA instructions agree with the portable rounds",
                   "length %zu in pieces of %zu: %s against %s", len, piece, b, a);
          }
      }
  if (all)
    CHECK (true, "the SHA instructions agree with the portable rounds", "%s", "");
  free (data);
}

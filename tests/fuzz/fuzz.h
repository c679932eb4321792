/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz-*.c) and the plain
 * replay driver (replay.c) that `make check` uses to run the corpus and the
 * regressions without clang. */
#ifndef CONFINE_FUZZ_H
#define CONFINE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../base/error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A broken contract is a crash: the fuzzer must stop on it and keep the
 * input. Failing open starts with "returned < 0 but set no error" or
 * "returned 0 but gave no result", so both are checked everywhere. */
#define FUZZ_ASSERT(cond)                                                                     \
  do                                                                                          \
    {                                                                                         \
      if (!(cond))                                                                            \
        {                                                                                     \
          fprintf (stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #cond);       \
          abort ();                                                                           \
        }                                                                                     \
    }                                                                                         \
  while (0)

/* RC < 0 must come with a message; RC >= 0 with none. */
#define FUZZ_CHECK_RC(rc, err)                                                                \
  do                                                                                          \
    {                                                                                         \
      if ((rc) < 0)                                                                           \
        FUZZ_ASSERT ((err) != NULL && (err)->msg != NULL);                                    \
      else                                                                                    \
        FUZZ_ASSERT ((err) == NULL);                                                          \
    }                                                                                         \
  while (0)

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The classic-BPF evaluator: the input is a struct sock_filter array.
 * Validation must reject anything unsafe to walk, and the walk must end
 * (MAX_STATES) on any valid program, whatever its shape. */
#include <linux/audit.h>
#include <string.h>

#include "fuzz.h"
#include "../../src/bpf.h"

static const struct
{
  uint32_t arch, nr;
} probes[] = {
  { AUDIT_ARCH_X86_64, 0 },           /* read */
  { AUDIT_ARCH_X86_64, 165 },         /* mount */
  { AUDIT_ARCH_X86_64, 0x40000000u | 165 }, /* mount, x32 */
  { AUDIT_ARCH_I386, 21 },            /* mount, i386 */
  { AUDIT_ARCH_AARCH64, 0xffffffffu },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  cleanup_bpf confine_bpf_t prog = { NULL, 0 };
  size_t n = size / sizeof (struct sock_filter);

  if (n > 4096 + 1)
    return 0;
  /* An exact-size heap copy, so reading past the last instruction is
   * caught; n == 0 still exercises the empty-program check. */
  prog.insns = malloc (n ? n * sizeof (struct sock_filter) : 1);
  if (prog.insns == NULL)
    return 0;
  if (n)
    memcpy (prog.insns, data, n * sizeof (struct sock_filter));
  prog.len = n;

  {
    cleanup_error confine_error_t err = NULL;
    int rc = confine_bpf_validate (&prog, &err);
    FUZZ_CHECK_RC (rc, err);
    if (rc < 0)
      return 0;
  }
  for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
    {
      cleanup_error confine_error_t err = NULL;
      unsigned classes = 0xdead;
      int rc = confine_bpf_reachable (&prog, probes[i].arch, probes[i].nr, &classes, &err);
      FUZZ_CHECK_RC (rc, err);
      /* A walk that ends without an error reached at least one return. */
      if (rc == 0)
        FUZZ_ASSERT (classes != 0 && (classes & ~0xffu) == 0);
    }
  return 0;
}

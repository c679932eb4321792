/* SPDX-License-Identifier: Apache-2.0 */
/* The classic-BPF evaluator: the input is a struct sock_filter array.
 * Validation must reject anything unsafe to walk, and the walk must end
 * (MAX_STATES) on any valid program, whatever its shape. The walk must
 * also be sound: for arguments taken from the input's own bytes, what the
 * kernel would return (bpf-run.h) is among the classes the walk reports,
 * whether it is told the exact values or nothing about them. */
#include <linux/audit.h>
#include <string.h>

#include "fuzz.h"
#include "../../src/bpf.h"
#include "bpf-run.h"

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
      if (rc == 0)
        {
          struct seccomp_data d = { (int) probes[i].nr, probes[i].arch, 0, { 0 } };
          uint32_t scratch[BPF_MEMWORDS] = { 0 };
          confine_bpf_args_t exact;
          unsigned concrete, known = 0xdead;
          /* the arguments: the input's first bytes, as many as there are */
          memcpy (d.args, data, size < sizeof (d.args) ? size : sizeof (d.args));
          for (int a = 0; a < 6; a++)
            exact.set[a] = d.args[a], exact.clear[a] = ~d.args[a];
          concrete = confine_bpf_classify (bpf_run (&prog, &d, 0, 0, scratch));
          FUZZ_ASSERT (classes & (concrete | CONFINE_BPF_RET_UNKNOWN));
          /* rc == 0: err is still NULL */
          rc = confine_bpf_reachable_args (&prog, probes[i].arch, probes[i].nr, &exact, &known,
                                           &err);
          FUZZ_CHECK_RC (rc, err);
          if (rc == 0)
            FUZZ_ASSERT (known & (concrete | CONFINE_BPF_RET_UNKNOWN));
        }
    }
  return 0;
}

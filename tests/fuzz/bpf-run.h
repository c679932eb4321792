/* SPDX-License-Identifier: Apache-2.0 */
/* A concrete classic-BPF interpreter for seccomp programs, written apart
 * from the evaluator, as the kernel runs them: it is the oracle that the
 * evaluator's symbolic walk is checked against (the fuzz harness and the
 * unit test). The program must have passed confine_bpf_validate. */
#ifndef CONFINE_BPF_RUN_H
#define CONFINE_BPF_RUN_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../src/bpf.h"

/* The return value of PROG on DATA. A and X and the scratch words start
 * as given: the kernel clears A and X and refuses reads of unwritten
 * scratch words, and the evaluator assumes none of that. */
static inline uint32_t
bpf_run (const confine_bpf_t *prog, const struct seccomp_data *data, uint32_t a, uint32_t x,
         const uint32_t scratch[BPF_MEMWORDS])
{
  uint32_t mem[BPF_MEMWORDS], words[sizeof (*data) / 4];
  size_t pc = 0;

  memcpy (mem, scratch, sizeof (mem));
  memcpy (words, data, sizeof (words));
  for (;;)
    {
      const struct sock_filter *f = &prog->insns[pc++];
      uint32_t src = BPF_SRC (f->code) == BPF_X ? x : f->k;
      bool cond = false;

      switch (BPF_CLASS (f->code))
        {
        case BPF_LD:
        case BPF_LDX:
          {
            uint32_t v = BPF_MODE (f->code) == BPF_ABS   ? words[f->k / 4]
                         : BPF_MODE (f->code) == BPF_MEM ? mem[f->k]
                         : BPF_MODE (f->code) == BPF_LEN ? (uint32_t) sizeof (*data)
                                                          : f->k;
            if (BPF_CLASS (f->code) == BPF_LD)
              a = v;
            else
              x = v;
          }
          break;
        case BPF_ST:
          mem[f->k] = a;
          break;
        case BPF_STX:
          mem[f->k] = x;
          break;
        case BPF_ALU:
          switch (BPF_OP (f->code))
            {
            case BPF_ADD: a += src; break;
            case BPF_SUB: a -= src; break;
            case BPF_MUL: a *= src; break;
            case BPF_DIV:
              if (src == 0)
                return 0; /* the kernel's answer to a division by zero */
              a /= src;
              break;
            case BPF_AND: a &= src; break;
            case BPF_OR: a |= src; break;
            case BPF_XOR: a ^= src; break;
            case BPF_LSH: a <<= src & 31; break;
            case BPF_RSH: a >>= src & 31; break;
            case BPF_NEG: a = -a; break;
            }
          break;
        case BPF_MISC:
          if (BPF_MISCOP (f->code) == BPF_TAX)
            x = a;
          else
            a = x;
          break;
        case BPF_RET:
          return BPF_RVAL (f->code) == BPF_A ? a : f->k;
        case BPF_JMP:
          switch (BPF_OP (f->code))
            {
            case BPF_JA: pc += f->k; continue;
            case BPF_JEQ: cond = a == src; break;
            case BPF_JGT: cond = a > src; break;
            case BPF_JGE: cond = a >= src; break;
            case BPF_JSET: cond = (a & src) != 0; break;
            }
          pc += cond ? f->jt : f->jf;
          break;
        }
    }
}

#endif

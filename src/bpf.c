/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "utils.h"

/* The kernel caps a filter at BPF_MAXINSNS (4096) instructions. */
#define MAX_INSNS 4096
/* Distinct states explored per syscall before we give up and refuse.
 * libseccomp's filters need a few per instruction at most. */
#define MAX_STATES (1u << 18)

typedef struct
{
  uint32_t a, x;
  uint32_t mem[BPF_MEMWORDS];
  uint16_t pc;
  uint16_t mem_known; /* bit i: mem[i] known */
  bool a_known, x_known;
} state_t;

void
confine_bpf_release (confine_bpf_t *prog)
{
  free (prog->insns);
  prog->insns = NULL;
  prog->len = 0;
}

unsigned
confine_bpf_classify (uint32_t ret)
{
  switch (ret & SECCOMP_RET_ACTION_FULL)
    {
    case SECCOMP_RET_KILL_PROCESS:
    case SECCOMP_RET_KILL_THREAD:
      return CONFINE_BPF_KILL;
    case SECCOMP_RET_TRAP:
      return CONFINE_BPF_TRAP;
    case SECCOMP_RET_ERRNO:
      return CONFINE_BPF_ERRNO;
    case SECCOMP_RET_USER_NOTIF:
      return CONFINE_BPF_NOTIFY;
    case SECCOMP_RET_TRACE:
      return CONFINE_BPF_TRACE;
    case SECCOMP_RET_LOG:
      return CONFINE_BPF_LOG;
    case SECCOMP_RET_ALLOW:
      return CONFINE_BPF_ALLOW;
    default:
      /* seccomp_run_filters treats an unknown action as KILL_PROCESS. */
      return CONFINE_BPF_KILL;
    }
}

/* The instructions the kernel accepts in a seccomp filter
 * (seccomp_check_filter and bpf_check_classic), and nothing else. */
static bool
allowed_opcode (uint16_t code)
{
  switch (code)
    {
    case BPF_LD | BPF_W | BPF_ABS:
    case BPF_LD | BPF_W | BPF_LEN:
    case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_LD | BPF_IMM:
    case BPF_LDX | BPF_IMM:
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
    case BPF_MISC | BPF_TAX:
    case BPF_MISC | BPF_TXA:
    case BPF_ALU | BPF_NEG:
    case BPF_RET | BPF_K:
    case BPF_RET | BPF_A:
    case BPF_JMP | BPF_JA:
      return true;
    }
  switch (code & ~BPF_X)
    {
    case BPF_ALU | BPF_ADD | BPF_K:
    case BPF_ALU | BPF_SUB | BPF_K:
    case BPF_ALU | BPF_MUL | BPF_K:
    case BPF_ALU | BPF_DIV | BPF_K:
    case BPF_ALU | BPF_AND | BPF_K:
    case BPF_ALU | BPF_OR | BPF_K:
    case BPF_ALU | BPF_XOR | BPF_K:
    case BPF_ALU | BPF_LSH | BPF_K:
    case BPF_ALU | BPF_RSH | BPF_K:
    case BPF_JMP | BPF_JEQ | BPF_K:
    case BPF_JMP | BPF_JGE | BPF_K:
    case BPF_JMP | BPF_JGT | BPF_K:
    case BPF_JMP | BPF_JSET | BPF_K:
      return true;
    }
  return false;
}

int
confine_bpf_validate (const confine_bpf_t *prog, confine_error_t *err)
{
  if (prog->len == 0 || prog->len > MAX_INSNS)
    return confine_make_error (err, 0, "BPF program has %zu instructions", prog->len);
  for (size_t pc = 0; pc < prog->len; pc++)
    {
      const struct sock_filter *f = &prog->insns[pc];
      uint16_t code = f->code;
      if (!allowed_opcode (code))
        return confine_make_error (err, 0, "BPF opcode %#x at %zu is not allowed in seccomp", code,
                                   pc);
      switch (BPF_CLASS (code))
        {
        case BPF_LD:
        case BPF_LDX:
          if (BPF_MODE (code) == BPF_ABS
              && ((f->k & 3) != 0 || f->k >= sizeof (struct seccomp_data)))
            return confine_make_error (err, 0, "BPF load at %zu is not a valid seccomp load", pc);
          if (BPF_MODE (code) == BPF_MEM && f->k >= BPF_MEMWORDS)
            return confine_make_error (err, 0, "BPF scratch index out of range at %zu", pc);
          break;
        case BPF_ST:
        case BPF_STX:
          if (f->k >= BPF_MEMWORDS)
            return confine_make_error (err, 0, "BPF scratch index out of range at %zu", pc);
          break;
        case BPF_ALU:
          if (BPF_SRC (code) == BPF_K && BPF_OP (code) == BPF_DIV && f->k == 0)
            return confine_make_error (err, 0, "BPF division by zero at %zu", pc);
          if (BPF_SRC (code) == BPF_K && (BPF_OP (code) == BPF_LSH || BPF_OP (code) == BPF_RSH)
              && f->k >= 32)
            return confine_make_error (err, 0, "BPF shift by %u at %zu", f->k, pc);
          break;
        case BPF_JMP:
          if (BPF_OP (code) == BPF_JA)
            {
              if (f->k >= prog->len - pc - 1)
                return confine_make_error (err, 0, "BPF jump out of range at %zu", pc);
            }
          else if (pc + 1 + f->jt >= prog->len || pc + 1 + f->jf >= prog->len)
            return confine_make_error (err, 0, "BPF jump out of range at %zu", pc);
          break;
        }
    }
  if (BPF_CLASS (prog->insns[prog->len - 1].code) != BPF_RET)
    return confine_make_error (err, 0, "BPF program does not end in a return");
  return 0;
}

/* ---- visited set: open addressing over whole states ---- */

typedef struct
{
  state_t *slots;
  bool *used;
  size_t cap, n;
} seen_t;

static uint64_t
hash_state (const state_t *s)
{
  /* FNV-1a over the bytes; state_t is zeroed before use, so padding is
   * deterministic. */
  const unsigned char *p = (const unsigned char *) s;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < sizeof (*s); i++)
    h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* Returns 1 if newly inserted, 0 if already seen, negative on error. */
static int
seen_insert (seen_t *t, const state_t *s, confine_error_t *err)
{
  if ((t->n + 1) * 2 > t->cap)
    {
      size_t ncap = t->cap ? t->cap * 2 : 256;
      seen_t nt = { calloc (ncap, sizeof (state_t)), calloc (ncap, sizeof (bool)), ncap, 0 };
      if (nt.slots == NULL || nt.used == NULL)
        {
          free (nt.slots);
          free (nt.used);
          return confine_make_error (err, ENOMEM, "evaluate BPF");
        }
      for (size_t i = 0; i < t->cap; i++)
        if (t->used[i])
          seen_insert (&nt, &t->slots[i], err);
      free (t->slots);
      free (t->used);
      *t = nt;
    }
  for (size_t i = hash_state (s) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
    {
      if (!t->used[i])
        {
          t->used[i] = true;
          t->slots[i] = *s;
          t->n++;
          return 1;
        }
      if (memcmp (&t->slots[i], s, sizeof (*s)) == 0)
        return 0;
    }
}

static bool
alu (uint16_t op, uint32_t *a, uint32_t v)
{
  switch (op)
    {
    case BPF_ADD:
      *a += v;
      return true;
    case BPF_SUB:
      *a -= v;
      return true;
    case BPF_MUL:
      *a *= v;
      return true;
    case BPF_DIV:
      if (v == 0)
        return false;
      *a /= v;
      return true;
    case BPF_AND:
      *a &= v;
      return true;
    case BPF_OR:
      *a |= v;
      return true;
    case BPF_XOR:
      *a ^= v;
      return true;
    /* A constant shift of 32 or more is rejected by the checker; a shift
     * by X runs as a 32-bit eBPF shift, which x86 and arm64 mask to 0-31. */
    case BPF_LSH:
      *a <<= v & 31;
      return true;
    case BPF_RSH:
      *a >>= v & 31;
      return true;
    case BPF_NEG:
      *a = -*a;
      return true;
    }
  return false;
}

int
confine_bpf_reachable (const confine_bpf_t *prog, uint32_t arch, uint32_t nr, unsigned *classes,
                       confine_error_t *err)
{
  static const uint64_t none[6] = { 0 };
  return confine_bpf_reachable_args (prog, arch, nr, 0, none, classes, err);
}

/* The word at seccomp_data offset K, if the caller fixed it. Each 64-bit
 * argument is two words, in the machine's byte order. */
static bool
known_word (uint32_t k, unsigned known, const uint64_t args[6], uint32_t *out)
{
  uint32_t base = offsetof (struct seccomp_data, args);
  unsigned i;
  bool high;

  if (k < base || k >= base + 6 * sizeof (uint64_t))
    return false;
  i = (k - base) / 8;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  high = (k - base) % 8 == 4;
#else
  high = (k - base) % 8 == 0;
#endif
  if (!((known >> i) & 1))
    return false;
  *out = high ? (uint32_t) (args[i] >> 32) : (uint32_t) args[i];
  return true;
}

int
confine_bpf_reachable_args (const confine_bpf_t *prog, uint32_t arch, uint32_t nr,
                            unsigned known, const uint64_t args[6], unsigned *classes,
                            confine_error_t *err)
{
  seen_t seen = { 0 };
  cleanup_free state_t *stack = NULL;
  size_t sp = 0, cap = 64;
  int ret = 0;
  state_t init;

  *classes = 0;
  if (confine_bpf_validate (prog, err) < 0)
    return -1;
  if ((stack = confine_calloc (cap, sizeof (state_t), err)) == NULL)
    return -1;
  memset (&init, 0, sizeof (init));
  stack[sp++] = init;

  while (sp > 0 && ret == 0)
    {
      state_t s = stack[--sp];
      int ins = seen_insert (&seen, &s, err);
      if (ins < 0)
        {
          ret = -1;
          break;
        }
      if (ins == 0)
        continue;
      if (seen.n > MAX_STATES)
        {
          ret = confine_make_error (err, 0, "BPF filter too complex to evaluate (> %u states)",
                                    MAX_STATES);
          break;
        }

      /* Run straight-line code until a return or a fork. */
      for (;;)
        {
          const struct sock_filter *f = &prog->insns[s.pc];
          uint16_t code = f->code;
          bool cond_known = true, cond = false;
          uint32_t operand;
          bool operand_known;

          switch (BPF_CLASS (code))
            {
            case BPF_LD:
            case BPF_LDX:
              {
                uint32_t v = 0;
                bool is_known = true;
                switch (BPF_MODE (code))
                  {
                  case BPF_ABS:
                    if (f->k == offsetof (struct seccomp_data, nr))
                      v = nr;
                    else if (f->k == offsetof (struct seccomp_data, arch))
                      v = arch;
                    else
                      /* the instruction pointer, or an argument word the
                       * caller did not fix */
                      is_known = known_word (f->k, known, args, &v);
                    break;
                  case BPF_IMM:
                    v = f->k;
                    break;
                  case BPF_LEN:
                    v = sizeof (struct seccomp_data);
                    break;
                  case BPF_MEM:
                    v = s.mem[f->k];
                    is_known = (s.mem_known >> f->k) & 1;
                    break;
                  }
                if (BPF_CLASS (code) == BPF_LD)
                  s.a = is_known ? v : 0, s.a_known = is_known;
                else
                  s.x = is_known ? v : 0, s.x_known = is_known;
                s.pc++;
                continue;
              }
            case BPF_ST:
            case BPF_STX:
              {
                bool is_known = BPF_CLASS (code) == BPF_ST ? s.a_known : s.x_known;
                uint32_t v = BPF_CLASS (code) == BPF_ST ? s.a : s.x;
                s.mem[f->k] = is_known ? v : 0;
                s.mem_known
                    = (uint16_t) ((s.mem_known & ~(1u << f->k)) | ((unsigned) is_known << f->k));
                s.pc++;
                continue;
              }
            case BPF_ALU:
              operand = BPF_SRC (code) == BPF_X ? s.x : f->k;
              operand_known = BPF_SRC (code) == BPF_X ? s.x_known : true;
              if (s.a_known && operand_known)
                {
                  if (!alu (BPF_OP (code), &s.a, operand))
                    {
                      /* Division by a zero X makes the kernel return 0:
                       * SECCOMP_RET_KILL_THREAD. */
                      *classes |= CONFINE_BPF_KILL;
                      break;
                    }
                }
              else
                s.a = 0, s.a_known = false;
              s.pc++;
              continue;
            case BPF_MISC:
              if (BPF_MISCOP (code) == BPF_TAX)
                s.x = s.a, s.x_known = s.a_known;
              else
                s.a = s.x, s.a_known = s.x_known;
              s.pc++;
              continue;
            case BPF_RET:
              if (BPF_RVAL (code) == BPF_A && !s.a_known)
                *classes |= CONFINE_BPF_RET_UNKNOWN;
              else
                *classes |= confine_bpf_classify (BPF_RVAL (code) == BPF_A ? s.a : f->k);
              break;
            case BPF_JMP:
              if (BPF_OP (code) == BPF_JA)
                {
                  s.pc = (uint16_t) (s.pc + 1 + f->k);
                  continue;
                }
              operand = BPF_SRC (code) == BPF_X ? s.x : f->k;
              operand_known = BPF_SRC (code) == BPF_X ? s.x_known : true;
              cond_known = s.a_known && operand_known;
              if (cond_known)
                switch (BPF_OP (code))
                  {
                  case BPF_JEQ:
                    cond = s.a == operand;
                    break;
                  case BPF_JGT:
                    cond = s.a > operand;
                    break;
                  case BPF_JGE:
                    cond = s.a >= operand;
                    break;
                  case BPF_JSET:
                    cond = (s.a & operand) != 0;
                    break;
                  default:
                    ret = confine_make_error (err, 0, "unknown BPF jump at %u", s.pc);
                    break;
                  }
              if (ret < 0)
                break;
              if (cond_known)
                {
                  s.pc = (uint16_t) (s.pc + 1 + (cond ? f->jt : f->jf));
                  continue;
                }
              /* An unknown operand: both branches are possible. */
              if (sp + 2 > cap)
                {
                  state_t *ns = reallocarray (stack, cap * 2, sizeof (state_t));
                  if (ns == NULL)
                    {
                      ret = confine_make_error (err, ENOMEM, "evaluate BPF");
                      break;
                    }
                  stack = ns;
                  cap *= 2;
                }
              stack[sp] = s;
              stack[sp++].pc = (uint16_t) (s.pc + 1 + f->jt);
              stack[sp] = s;
              stack[sp++].pc = (uint16_t) (s.pc + 1 + f->jf);
              break;
            default:
              ret = confine_make_error (err, 0, "unknown BPF instruction at %u", s.pc);
              break;
            }
          break;
        }
    }
  free (seen.slots);
  free (seen.used);
  return ret;
}

/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "../base/utils.h"

/* The kernel caps a filter at BPF_MAXINSNS (4096) instructions. */
#define MAX_INSNS 4096
/* Distinct states explored per call before we give up and refuse. Each
 * branch refines what is known about the arguments, so a filter can make
 * the number of distinct states grow with every test of a new bit; the
 * filters libseccomp builds need a few per argument comparison. */
#define MAX_STATES (1u << 15)
/* Instructions executed per call, over all states: with MAX_STATES alone
 * a crafted program could run 32768 states through 4000 instructions each,
 * in every one of the hundred calls a verdict makes. Docker's profile
 * needs at most 601. */
#define MAX_STEPS (1u << 22)

/* seccomp_data as 32-bit words: nr, arch, the instruction pointer (2),
 * the six arguments (2 each). */
#define N_WORDS (sizeof (struct seccomp_data) / sizeof (uint32_t))
#define FULL UINT32_MAX

/* A set of 32-bit values: the bits in UNK are unknown, the others are
 * those of VAL, which is 0 where UNK is 1 (the kernel verifier's tnum). */
typedef struct
{
  uint32_t val, unk;
} tnum_t;

/* What one path knows about a word of seccomp_data: it matches T and lies
 * in [MIN, MAX]. Bits come from JSET and masked compares, the range from
 * JGT and JGE; each is tightened from the other. */
typedef struct
{
  tnum_t t;
  uint32_t min, max;
} word_t;

/* A register or scratch slot. With SRC >= 0 it holds exactly
 * word[SRC] & MASK, so what a branch learns about it is learnt about the
 * word, and so about every other copy and every later load of it (which
 * is how libseccomp tests the two halves of an argument). With SRC < 0
 * it is computed, and T is all that is known. Unused fields are 0, so
 * equal states are equal bytes. */
typedef struct
{
  int32_t src;
  uint32_t mask;
  tnum_t t;
} reg_t;

typedef struct
{
  word_t w[N_WORDS];
  reg_t a, x, mem[BPF_MEMWORDS];
  uint32_t pc;
} state_t;

void
confine_bpf_release (confine_bpf_t *prog)
{
  free (prog->insns);
  prog->insns = NULL;
  prog->len = 0;
  prog->valid = false;
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

/* ---- the abstract domain ---- */

static tnum_t
tn_const (uint32_t v)
{
  return (tnum_t){ v, 0 };
}

static const tnum_t tn_unknown = { 0, FULL };

/* Bits set from bit I up, for I in 0..32. */
static uint32_t
from_bit (unsigned i)
{
  return i >= 32 ? 0 : FULL << i;
}

/* The smallest value >= X that matches T, if any. */
static bool
tn_next (tnum_t t, uint32_t x, uint32_t *out)
{
  uint32_t wrong = (x ^ t.val) & ~t.unk;
  unsigned i, j;
  uint32_t room;

  if (wrong == 0)
    {
      *out = x;
      return true;
    }
  i = 31 - (unsigned) __builtin_clz (wrong);
  if ((t.val >> i) & 1)
    {
      /* X has a 0 where T needs a 1: keep X above bit I, set it, and
       * take the least value below it. */
      *out = (x & from_bit (i + 1)) | (1u << i) | (t.val & ~from_bit (i));
      return true;
    }
  /* X has a 1 where T needs a 0: carry into the lowest unknown bit
   * above I that X has clear. */
  room = t.unk & ~x & from_bit (i + 1);
  if (room == 0)
    return false;
  j = (unsigned) __builtin_ctz (room);
  *out = (x & from_bit (j + 1)) | (1u << j) | (t.val & ~from_bit (j));
  return true;
}

/* The largest value <= X that matches T: tn_next on the complements. */
static bool
tn_prev (tnum_t t, uint32_t x, uint32_t *out)
{
  tnum_t c = { ~t.val & ~t.unk, t.unk };
  uint32_t y;

  if (!tn_next (c, ~x, &y))
    return false;
  *out = ~y;
  return true;
}

/* Tighten W's range to values that match its bits, and learn the bits
 * its range fixes (those above the highest bit where MIN and MAX
 * differ). False when no value is left: the path is infeasible. */
static bool
word_normalize (word_t *w)
{
  uint32_t known;

  if (!tn_next (w->t, w->min, &w->min) || !tn_prev (w->t, w->max, &w->max) || w->min > w->max)
    return false;
  known = w->min == w->max ? FULL : from_bit (32 - (unsigned) __builtin_clz (w->min ^ w->max));
  w->t.val |= w->min & known & w->t.unk;
  w->t.unk &= ~known;
  return true;
}

static word_t
word_of (tnum_t t)
{
  return (word_t){ t, t.val, t.val | t.unk };
}

static tnum_t
reg_tnum (const state_t *s, const reg_t *r)
{
  if (r->src < 0)
    return r->t;
  return (tnum_t){ s->w[r->src].t.val & r->mask, s->w[r->src].t.unk & r->mask };
}

/* The unsigned range of R's possible values. */
static void
reg_range (const state_t *s, const reg_t *r, uint32_t *min, uint32_t *max)
{
  tnum_t t = reg_tnum (s, r);

  if (r->src >= 0 && r->mask == FULL)
    *min = s->w[r->src].min, *max = s->w[r->src].max;
  else
    *min = t.val, *max = t.val | t.unk;
}

static reg_t
reg_computed (tnum_t t)
{
  return (reg_t){ -1, 0, t };
}

/* What is known of the value a register compares: the word it copies
 * and its mask, or for a computed register its own bits, as a word. */
static word_t
reg_word (const state_t *s, const reg_t *r, uint32_t *mask)
{
  *mask = r->src >= 0 ? r->mask : FULL;
  return r->src >= 0 ? s->w[r->src] : word_of (r->t);
}

/* Put back what a branch learnt about R's word. */
static void
reg_learn (state_t *s, reg_t *r, const word_t *w)
{
  if (r->src >= 0)
    s->w[r->src] = *w;
  else
    r->t = w->t;
}

/* Restrict W, of which the value W & M is compared, to the values for
 * which `value OP K` is TAKEN. False when no value is left. Only facts a
 * tnum and a range can hold exactly are learnt; the rest keeps every
 * value, which can only keep infeasible paths, never lose a feasible one. */
static bool
refine (word_t *wp, uint32_t m, uint16_t op, uint32_t k, bool taken)
{
  word_t w = *wp;
  tnum_t v = { w.t.val & m, w.t.unk & m }; /* the value compared */

  switch (op)
    {
    case BPF_JEQ:
      if (taken)
        {
          tnum_t need = { k & m, ~m };
          if ((k & ~m) != 0 || ((w.t.val ^ need.val) & ~w.t.unk & ~need.unk) != 0)
            return false;
          w.t.val |= need.val;
          w.t.unk &= need.unk;
        }
      else
        {
          if (v.unk == 0 && v.val == k)
            return false;
          /* With one unknown bit left and the others equal to K's, that
           * bit must differ from K's. */
          if (__builtin_popcount (v.unk) == 1 && ((v.val ^ k) & ~v.unk) == 0)
            {
              w.t.val |= ~k & v.unk;
              w.t.unk &= ~v.unk;
            }
          if (m == FULL && w.min == k)
            {
              if (k == FULL)
                return false;
              w.min = k + 1;
            }
          if (m == FULL && w.max == k)
            {
              if (k == 0)
                return false;
              w.max = k - 1;
            }
        }
      break;
    case BPF_JGT:
    case BPF_JGE:
      {
        /* As a range: taken means v >= LO, not taken means v <= HI. */
        bool ge = op == BPF_JGE;
        if (taken && !ge && k == FULL)
          return false;
        if (!taken && ge && k == 0)
          return false;
        if (m != FULL)
          {
            /* A masked value has no range of its own: only decide. */
            if (taken && (v.val | v.unk) < (ge ? k : k + 1))
              return false;
            if (!taken && v.val > (ge ? k - 1 : k))
              return false;
            break;
          }
        if (taken && w.min < (ge ? k : k + 1))
          w.min = ge ? k : k + 1;
        if (!taken && w.max > (ge ? k - 1 : k))
          w.max = ge ? k - 1 : k;
      }
      break;
    case BPF_JSET:
      {
        uint32_t bits = m & k;
        uint32_t could = w.t.unk & bits;
        if (taken)
          {
            if ((w.t.val & bits) != 0)
              break;
            if (could == 0)
              return false;
            /* Exactly one bit can make the test true: it is set. */
            if (__builtin_popcount (could) == 1)
              {
                w.t.val |= could;
                w.t.unk &= ~could;
              }
          }
        else
          {
            if ((w.t.val & bits) != 0)
              return false;
            w.t.unk &= ~bits;
          }
      }
      break;
    }
  if (!word_normalize (&w))
    return false;
  *wp = w;
  return true;
}

/* Whether `A OP X` can be TAKEN when X is not a single value: decided
 * from the two ranges and known bits, nothing learnt. */
static bool
may (const state_t *s, uint16_t op, bool taken)
{
  tnum_t a = reg_tnum (s, &s->a), x = reg_tnum (s, &s->x);
  uint32_t amin, amax, xmin, xmax;
  bool can_true = true, can_false = true;

  reg_range (s, &s->a, &amin, &amax);
  reg_range (s, &s->x, &xmin, &xmax);
  switch (op)
    {
    case BPF_JEQ:
      can_true = ((a.val ^ x.val) & ~a.unk & ~x.unk) == 0 && amax >= xmin && xmax >= amin;
      break;
    case BPF_JGT:
      can_true = amax > xmin;
      can_false = amin <= xmax;
      break;
    case BPF_JGE:
      can_true = amax >= xmin;
      can_false = amin < xmax;
      break;
    case BPF_JSET:
      can_true = ((a.val | a.unk) & (x.val | x.unk)) != 0;
      can_false = (a.val & x.val) == 0;
      break;
    }
  return taken ? can_true : can_false;
}

static tnum_t
tn_add (tnum_t a, tnum_t b)
{
  uint32_t sm = a.unk + b.unk, sv = a.val + b.val, sigma = sm + sv;
  uint32_t mu = (sigma ^ sv) | a.unk | b.unk;
  return (tnum_t){ sv & ~mu, mu };
}

static tnum_t
tn_sub (tnum_t a, tnum_t b)
{
  uint32_t dv = a.val - b.val, alpha = dv + a.unk, beta = dv - b.unk;
  uint32_t mu = (alpha ^ beta) | a.unk | b.unk;
  return (tnum_t){ dv & ~mu, mu };
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

/* A OP B on what is known of both. Multiplication, division and shifts by
 * an unknown amount give an unknown result. */
static tnum_t
tn_alu (uint16_t op, tnum_t a, tnum_t b)
{
  uint32_t v;

  if (a.unk == 0 && b.unk == 0)
    {
      v = a.val;
      return alu (op, &v, b.val) ? tn_const (v) : tn_unknown;
    }
  switch (op)
    {
    case BPF_ADD:
      return tn_add (a, b);
    case BPF_SUB:
      return tn_sub (a, b);
    case BPF_NEG:
      return tn_sub (tn_const (0), a);
    case BPF_AND:
      v = a.val & b.val;
      return (tnum_t){ v, (a.val | a.unk) & (b.val | b.unk) & ~v };
    case BPF_OR:
      v = a.val | b.val;
      return (tnum_t){ v, (a.unk | b.unk) & ~v };
    case BPF_XOR:
      return (tnum_t){ (a.val ^ b.val) & ~(a.unk | b.unk), a.unk | b.unk };
    case BPF_LSH:
      if (b.unk == 0)
        return (tnum_t){ a.val << (b.val & 31), a.unk << (b.val & 31) };
      return tn_unknown;
    case BPF_RSH:
      if (b.unk == 0)
        return (tnum_t){ a.val >> (b.val & 31), a.unk >> (b.val & 31) };
      return tn_unknown;
    }
  return tn_unknown;
}

/* ---- visited set: states in an array, indexed by an open-addressing table ---- */

typedef struct
{
  state_t *states;
  uint32_t *slots; /* index + 1 into STATES, 0 for empty */
  size_t cap, n, room;
} seen_t;

static void
seen_release (seen_t *t)
{
  free (t->states);
  free (t->slots);
}

static uint64_t
hash_state (const state_t *s)
{
  /* FNV-1a over 32-bit words (every field of state_t is one or more);
   * state_t has no padding and unused fields are 0, so equal states
   * hash equally. A multiplication carries bits only upwards, so the low
   * bits of H, which index the table, would not depend on a word's high
   * bits: states that differ only there (a filter testing bits 17 to 31
   * of an argument) would share a slot and probe in a line. MurmurHash3's
   * finaliser folds every bit into the low ones. */
  _Static_assert (sizeof (state_t) % sizeof (uint32_t) == 0, "state_t is whole words");
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < sizeof (*s); i += sizeof (uint32_t))
    {
      uint32_t word;
      memcpy (&word, (const unsigned char *) s + i, sizeof (word));
      h = (h ^ word) * 1099511628211ull;
    }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

static void
seen_place (seen_t *t, uint32_t index)
{
  size_t i = hash_state (&t->states[index]) & (t->cap - 1);
  while (t->slots[i] != 0)
    i = (i + 1) & (t->cap - 1);
  t->slots[i] = index + 1;
}

/* Returns 1 if newly inserted, 0 if already seen, negative on error. */
static int
seen_insert (seen_t *t, const state_t *s, confine_error_t *err)
{
  size_t i;

  if ((t->n + 1) * 2 > t->cap)
    {
      size_t ncap = t->cap ? t->cap * 2 : 32;
      uint32_t *nslots = calloc (ncap, sizeof (uint32_t));
      if (nslots == NULL)
        return confine_make_error (err, ENOMEM, "evaluate BPF");
      free (t->slots);
      t->slots = nslots;
      t->cap = ncap;
      for (uint32_t k = 0; k < t->n; k++)
        seen_place (t, k);
    }
  for (i = hash_state (s) & (t->cap - 1); t->slots[i] != 0; i = (i + 1) & (t->cap - 1))
    if (memcmp (&t->states[t->slots[i] - 1], s, sizeof (*s)) == 0)
      return 0;
  if (t->n == t->room)
    {
      size_t nroom = t->room ? t->room * 2 : 8;
      state_t *ns = reallocarray (t->states, nroom, sizeof (state_t));
      if (ns == NULL)
        return confine_make_error (err, ENOMEM, "evaluate BPF");
      t->states = ns;
      t->room = nroom;
    }
  t->states[t->n] = *s;
  t->slots[i] = (uint32_t) ++t->n;
  return 1;
}

int
confine_bpf_reachable (const confine_bpf_t *prog, uint32_t arch, uint32_t nr, unsigned *classes,
                       confine_error_t *err)
{
  return confine_bpf_reachable_args (prog, arch, nr, NULL, classes, err);
}

/* The word of seccomp_data at index I, as ARGS constrains it. Each 64-bit
 * field is two words, in the machine's byte order. */
static int
initial_word (size_t i, uint32_t arch, uint32_t nr, const confine_bpf_args_t *args, word_t *out,
              confine_error_t *err)
{
  size_t base = offsetof (struct seccomp_data, args) / sizeof (uint32_t);
  uint64_t set, clear;
  bool high;

  if (i == offsetof (struct seccomp_data, nr) / sizeof (uint32_t))
    *out = word_of (tn_const (nr));
  else if (i == offsetof (struct seccomp_data, arch) / sizeof (uint32_t))
    *out = word_of (tn_const (arch));
  else if (i < base || args == NULL)
    *out = word_of (tn_unknown); /* the instruction pointer, or no constraint */
  else
    {
      set = args->set[(i - base) / 2];
      clear = args->clear[(i - base) / 2];
      if ((set & clear) != 0)
        return confine_make_error (err, EINVAL, "argument %zu constrained to be both set and clear",
                                   (i - base) / 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      high = (i - base) % 2 == 1;
#else
      high = (i - base) % 2 == 0;
#endif
      if (high)
        set >>= 32, clear >>= 32;
      *out = word_of ((tnum_t){ (uint32_t) set, ~(uint32_t) (set | clear) });
    }
  return 0;
}

static int
push (state_t **stack, size_t *sp, size_t *cap, const state_t *s, confine_error_t *err)
{
  if (*sp == *cap)
    {
      state_t *ns = reallocarray (*stack, *cap * 2, sizeof (state_t));
      if (ns == NULL)
        return confine_make_error (err, ENOMEM, "evaluate BPF");
      *stack = ns;
      *cap *= 2;
    }
  (*stack)[(*sp)++] = *s;
  return 0;
}

/* Follows the jumps from S's pc, the first of them decided (A known and
 * what it is compared with), for as long as each one's way is decided:
 * a jump changes nothing but the pc, so A and X stay what they were
 * along the run. libseccomp's dispatch on the architecture and the
 * syscall number is such a run, hundreds of comparisons of the known
 * number long, in every query. Stops at the first instruction that is
 * not a jump or whose way depends on what is unknown (the validated
 * program's jumps go forward and it ends in a return). Returns the
 * number of jumps followed. */
static size_t
follow_decided_jumps (const confine_bpf_t *prog, state_t *s)
{
  const uint32_t a = reg_tnum (s, &s->a).val;
  const tnum_t x = reg_tnum (s, &s->x);
  size_t n = 0;

  for (;; n++)
    {
      const struct sock_filter *f = &prog->insns[s->pc];
      uint16_t op = BPF_OP (f->code);
      uint32_t v = f->k;
      bool cond;

      if (BPF_CLASS (f->code) != BPF_JMP)
        return n;
      if (op == BPF_JA)
        {
          s->pc += 1 + f->k;
          continue;
        }
      if (BPF_SRC (f->code) == BPF_X)
        {
          if (x.unk != 0)
            return n;
          v = x.val;
        }
      cond = op == BPF_JEQ ? a == v : op == BPF_JGT ? a > v : op == BPF_JGE ? a >= v : (a & v) != 0;
      s->pc += 1 + (cond ? f->jt : f->jf);
    }
}

int
confine_bpf_reachable_args (const confine_bpf_t *prog, uint32_t arch, uint32_t nr,
                            const confine_bpf_args_t *args, unsigned *classes,
                            confine_error_t *err)
{
  seen_t seen = { 0 };
  cleanup_free state_t *stack = NULL;
  size_t sp = 0, cap = 8, steps = 0;
  int ret = 0;
  state_t init;

  *classes = 0;
  if (!prog->valid && confine_bpf_validate (prog, err) < 0)
    return -1;
  if ((stack = reallocarray (NULL, cap, sizeof (state_t))) == NULL)
    return confine_make_error (err, ENOMEM, "evaluate BPF");
  memset (&init, 0, sizeof (init));
  for (size_t i = 0; i < N_WORDS; i++)
    if (initial_word (i, arch, nr, args, &init.w[i], err) < 0)
      return -1;
  /* The kernel clears A and X and refuses a read of unwritten scratch
   * memory; unknown is the weaker assumption. */
  init.a = init.x = reg_computed (tn_unknown);
  for (size_t i = 0; i < BPF_MEMWORDS; i++)
    init.mem[i] = reg_computed (tn_unknown);
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
          ret = confine_make_error (err, 0,
                                    "BPF filter too complex to evaluate (more than %u states)",
                                    MAX_STATES);
          break;
        }

      /* Run straight-line code until a return or a fork. */
      for (;;)
        {
          if (++steps > MAX_STEPS)
            {
              ret = confine_make_error (err, 0,
                                        "BPF filter too complex to evaluate (more than %u steps)",
                                        MAX_STEPS);
              break;
            }
          const struct sock_filter *f = &prog->insns[s.pc];
          uint16_t code = f->code;
          reg_t *dst = BPF_CLASS (code) == BPF_LDX ? &s.x : &s.a;
          tnum_t operand;

          switch (BPF_CLASS (code))
            {
            case BPF_LD:
            case BPF_LDX:
              switch (BPF_MODE (code))
                {
                case BPF_ABS:
                  *dst = (reg_t){ (int32_t) (f->k / sizeof (uint32_t)), FULL, { 0, 0 } };
                  break;
                case BPF_IMM:
                  *dst = reg_computed (tn_const (f->k));
                  break;
                case BPF_LEN:
                  *dst = reg_computed (tn_const (sizeof (struct seccomp_data)));
                  break;
                case BPF_MEM:
                  *dst = s.mem[f->k];
                  break;
                }
              s.pc++;
              continue;
            case BPF_ST:
              s.mem[f->k] = s.a;
              s.pc++;
              continue;
            case BPF_STX:
              s.mem[f->k] = s.x;
              s.pc++;
              continue;
            case BPF_ALU:
              operand = BPF_SRC (code) == BPF_X ? reg_tnum (&s, &s.x) : tn_const (f->k);
              if (BPF_OP (code) == BPF_DIV && (operand.val | operand.unk) == 0)
                {
                  /* Division by a zero X makes the kernel return 0:
                   * SECCOMP_RET_KILL_THREAD. */
                  *classes |= CONFINE_BPF_KILL;
                  break;
                }
              if (BPF_OP (code) == BPF_DIV && operand.val == 0)
                *classes |= CONFINE_BPF_KILL; /* X may be 0; this path goes on for X > 0 */
              if (BPF_OP (code) == BPF_AND && operand.unk == 0 && s.a.src >= 0)
                s.a.mask &= operand.val; /* still a copy of the word, masked */
              else
                s.a = reg_computed (tn_alu (BPF_OP (code), reg_tnum (&s, &s.a), operand));
              s.pc++;
              continue;
            case BPF_MISC:
              if (BPF_MISCOP (code) == BPF_TAX)
                s.x = s.a;
              else
                s.a = s.x;
              s.pc++;
              continue;
            case BPF_RET:
              if (BPF_RVAL (code) == BPF_K)
                *classes |= confine_bpf_classify (f->k);
              else
                {
                  /* Only the action bits decide the class. */
                  tnum_t a = reg_tnum (&s, &s.a);
                  if ((a.unk & SECCOMP_RET_ACTION_FULL) == 0)
                    *classes |= confine_bpf_classify (a.val);
                  else
                    *classes |= CONFINE_BPF_RET_UNKNOWN;
                }
              break;
            case BPF_JMP:
              {
                uint32_t to[2] = { s.pc + 1 + f->jf, s.pc + 1 + f->jt };
                word_t learnt[2];
                uint32_t mask;
                bool live[2];
                uint16_t op = BPF_OP (code);

                if (op == BPF_JA)
                  {
                    s.pc += 1 + f->k;
                    continue;
                  }
                if (to[0] == to[1])
                  {
                    s.pc = to[0];
                    continue;
                  }
                operand = BPF_SRC (code) == BPF_X ? reg_tnum (&s, &s.x) : tn_const (f->k);
                if (reg_tnum (&s, &s.a).unk == 0 && operand.unk == 0)
                  {
                    /* Two known values: nothing to learn, one way, and
                     * so on along the run of jumps that follows. */
                    steps += follow_decided_jumps (prog, &s) - 1;
                    continue;
                  }
                /* Each way refines only the word A copies (or A), so the
                 * whole state is copied only where the path forks. */
                learnt[0] = learnt[1] = reg_word (&s, &s.a, &mask);
                for (int taken = 0; taken < 2; taken++)
                  live[taken] = operand.unk == 0
                                    ? refine (&learnt[taken], mask, op, operand.val, taken)
                                    : may (&s, op, taken);
                for (int taken = 1; taken >= 0 && ret == 0; taken--)
                  {
                    if (!live[taken])
                      continue;
                    if (live[!taken] && taken == 1)
                      {
                        /* A fork: the taken way waits on the stack. */
                        state_t b = s;
                        reg_learn (&b, &b.a, &learnt[1]);
                        b.pc = to[1];
                        ret = push (&stack, &sp, &cap, &b, err);
                        continue;
                      }
                    reg_learn (&s, &s.a, &learnt[taken]);
                    s.pc = to[taken];
                    break;
                  }
                if (ret == 0 && (live[0] || live[1]))
                  continue;
                /* Neither way is possible: the path was infeasible all
                 * along, and ends here without a return. */
              }
              break;
            default:
              ret = confine_make_error (err, 0, "unknown BPF instruction at %u", s.pc);
              break;
            }
          break;
        }
    }
  seen_release (&seen);
  return ret;
}

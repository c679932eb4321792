/* SPDX-License-Identifier: Apache-2.0 */
/* The evaluator reasons over every argument value at once. Data-driven in
 * libseccomp's manner: each row is a filter (a real Docker config, an OCI
 * seccomp section, or raw BPF), a syscall, a set of argument values and
 * the verdict the gate must reach for every value in that set. */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <seccomp.h>
#include <string.h>

#include "harness.h"
#include "../fuzz/bpf-run.h"
#include "../../oci/spec.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

#define NEWNS 0x00020000ull
#define NEWUSER 0x10000000ull
#define CLONE_VM 0x00000100ull
#define ERRNO_EPERM (SECCOMP_RET_ERRNO | 1)

/* Which argument values a row is about. */
typedef enum
{
  ANY,       /* every value of every argument (a must_block syscall) */
  CLONE_NEW, /* clone with at least one CLONE_NEW* flag: the gate's own set */
  BITS,      /* argument 0 with SET bits set and CLEAR bits clear (x86_64 only) */
} args_kind_t;

/* Raw programs get this x86_64-only prologue, so the row is about the
 * body alone: anything but a native x86_64 call is killed, and every
 * syscall but the row's own (patched into [6]) is allowed. */
#define PROLOGUE_LEN 8
static const struct sock_filter prologue[PROLOGUE_LEN] = {
  BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 4),
  BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
  BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
  BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 0),
  BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
  BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
  BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 0 /* the syscall */, 1, 0),
  BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

/* seccomp_data words on little-endian x86_64. */
#define ARG0_LO 16
#define ARG0_HI 20
#define LD(k) BPF_STMT (BPF_LD | BPF_W | BPF_ABS, (k))
#define JSET(k, t, f) BPF_JUMP (BPF_JMP | BPF_JSET | BPF_K, (k), (t), (f))
#define JEQ(k, t, f) BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGT(k, t, f) BPF_JUMP (BPF_JMP | BPF_JGT | BPF_K, (k), (t), (f))
#define RET(k) BPF_STMT (BPF_RET | BPF_K, (k))
#define ALLOW RET (SECCOMP_RET_ALLOW)
#define DENY RET (ERRNO_EPERM)

/* CLONE_NEW* bits tested in the low word with one JSET. */
static const struct sock_filter jset_low[] = { LD (ARG0_LO), JSET (0x7E020000, 0, 1), DENY, ALLOW };
/* The same bits looked for in the high word, which the kernel ignores. */
static const struct sock_filter jset_high[] = { LD (ARG0_HI), JSET (0x7E020000, 0, 1), DENY, ALLOW };
/* Docker's test spelt with an AND: allow only when (lo & 0x7E020000) == 0. */
static const struct sock_filter and_eq[] = {
  LD (ARG0_LO), BPF_STMT (BPF_ALU | BPF_AND | BPF_K, 0x7E020000), JEQ (0, 0, 1), ALLOW, DENY,
};
/* A shift that drops CLONE_NEWNS: tests bits 25-30 only. */
static const struct sock_filter shifted[] = {
  LD (ARG0_LO), BPF_STMT (BPF_ALU | BPF_RSH | BPF_K, 25), BPF_STMT (BPF_ALU | BPF_AND | BPF_K, 0x3f),
  JEQ (0, 0, 1), ALLOW, DENY,
};
/* The same with NEWNS tested too, through scratch memory and X. */
static const struct sock_filter via_mem_and_x[] = {
  LD (ARG0_LO),
  BPF_STMT (BPF_ST, 3),
  BPF_STMT (BPF_LD | BPF_IMM, 0x7E020000),
  BPF_STMT (BPF_MISC | BPF_TAX, 0),
  BPF_STMT (BPF_LD | BPF_MEM, 3),
  BPF_JUMP (BPF_JMP | BPF_JSET | BPF_X, 0, 0, 1),
  DENY,
  ALLOW,
};
/* A contradiction only ranges can see: arg > 5, then arg <= 3 allows. */
static const struct sock_filter range_contradiction[] = {
  LD (ARG0_LO), JGT (5, 0, 4), LD (ARG0_LO), JGT (3, 1, 0), ALLOW, DENY, DENY,
};
/* The same read as bits: bit 0 set, then bit 0 clear allows. */
static const struct sock_filter bit_contradiction[] = {
  LD (ARG0_LO), JSET (1, 0, 3), LD (ARG0_LO), JSET (1, 1, 0), ALLOW, DENY,
};
/* Two different values for one word: the second equality cannot hold. */
static const struct sock_filter eq_contradiction[] = {
  LD (ARG0_LO), JEQ (7, 0, 3), LD (ARG0_LO), JEQ (8, 0, 1), ALLOW, DENY,
};
/* A range that a masked value cannot reach: (lo & 0xff) > 0xff never. */
static const struct sock_filter masked_range[] = {
  LD (ARG0_LO), BPF_STMT (BPF_ALU | BPF_AND | BPF_K, 0xff), JGT (0xff, 0, 1), ALLOW, DENY,
};
/* Allows exactly at the boundaries: arg >= 5 and not arg > 5, arg > 4
 * and not arg >= 6. Both allow arg == 5. */
static const struct sock_filter jge_boundary[] = {
  LD (ARG0_LO), BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, 5, 0, 3), LD (ARG0_LO), JGT (5, 1, 0), ALLOW,
  DENY,
};
static const struct sock_filter jgt_boundary[] = {
  LD (ARG0_LO), JGT (4, 0, 3), LD (ARG0_LO), BPF_JUMP (BPF_JMP | BPF_JGE | BPF_K, 6, 1, 0), ALLOW,
  DENY,
};
/* Returns A whose action bits are fixed and whose data is an argument. */
static const struct sock_filter ret_a_errno[] = {
  LD (ARG0_LO),
  BPF_STMT (BPF_ALU | BPF_AND | BPF_K, 0xffff),
  BPF_STMT (BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
  BPF_STMT (BPF_RET | BPF_A, 0),
};
/* Returns A whose action bits come from the argument: not blocking. */
static const struct sock_filter ret_a_arg[] = { LD (ARG0_LO), BPF_STMT (BPF_RET | BPF_A, 0) };

typedef struct
{
  const char *name;
  const char *fixture;             /* tests/fixtures/docker/NAME.json, or NULL */
  const char *seccomp;             /* an OCI linux.seccomp section, or NULL */
  const struct sock_filter *body;  /* raw BPF after the prologue, or NULL */
  size_t body_len;
  const char *syscall;
  args_kind_t kind;
  uint64_t set, clear;             /* for BITS */
  const char *expect;              /* "blocked", "leaks", or a substring of the error */
} row_t;

#define RAW(b) NULL, NULL, (b), sizeof (b) / sizeof ((b)[0])
#define FIXTURE(f) (f), NULL, NULL, 0
#define OCI(j) NULL, (j), NULL, 0

/* One clone rule that blocks when (arg0 & MASK) == MASK, for each bit. */
#define BLOCK_BIT(bit)                                                                         \
  "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":" bit \
  ",\"valueTwo\":" bit ",\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"
#define BLOCK_EQ(v)                                                                            \
  "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":" v \
  ",\"op\":\"SCMP_CMP_EQ\"}]}"
#define ALLOW_CLONE_IF(op, v, v2)                                                                  \
  "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],\"action\":"       \
  "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":" v ",\"valueTwo\":" v2 ",\"op\":\"" op \
  "\"}]}]}"

static const row_t rows[] = {
  /* Real Docker configs. */
  { "Docker's default: (flags & 0x7E020000) == 0 blocks every namespace clone",
    FIXTURE ("default"), "clone", CLONE_NEW, 0, 0, "blocked" },
  { "Docker's default: clone itself is allowed for ordinary flags",
    FIXTURE ("default"), "clone", ANY, 0, 0, "leaks" },
  { "Docker's default: CLONE_NEWUSER|CLONE_VM with every other bit clear is blocked",
    FIXTURE ("default"), "clone", BITS, NEWUSER | CLONE_VM, ~(NEWUSER | CLONE_VM), "blocked" },
  { "Docker's default: a thread clone (CLONE_VM, high half unknown) may pass",
    FIXTURE ("default"), "clone", BITS, CLONE_VM, 0x7E020000, "leaks" },
  { "Docker with CAP_SYS_ADMIN lets namespace clones through",
    FIXTURE ("cap-add-sys-admin"), "clone", CLONE_NEW, 0, 0, "leaks" },
  { "Docker's default blocks mount for every argument", FIXTURE ("default"), "mount", ANY, 0, 0,
    "blocked" },

  /* Exact values are a sample, not a property. */
  { "blocking clone(CLONE_NEWUSER) exactly leaks CLONE_NEWUSER|CLONE_VM",
    OCI ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" BLOCK_EQ ("268435456") "]}"),
    "clone", BITS, NEWUSER | CLONE_VM, ~(NEWUSER | CLONE_VM), "leaks" },
  { "blocking each CLONE_NEW* flag by exact value leaks their combinations",
    OCI ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" BLOCK_EQ ("131072") "," BLOCK_EQ (
        "33554432") "," BLOCK_EQ ("67108864") "," BLOCK_EQ ("134217728") "," BLOCK_EQ ("268435456")
         "," BLOCK_EQ ("536870912") "," BLOCK_EQ ("1073741824") "]}"),
    "clone", CLONE_NEW, 0, 0, "leaks" },
  { "the exact-value filter does block the exact value",
    OCI ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" BLOCK_EQ ("268435456") "]}"),
    "clone", BITS, NEWUSER, ~NEWUSER, "blocked" },

  /* Masked compares. */
  { "allow only when (flags & 0x7E020000) == 0, as OCI JSON, blocks namespace clones",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_MASKED_EQ", "2114060288", "0")), "clone", CLONE_NEW, 0, 0,
    "blocked" },
  { "a mask that forgets CLONE_NEWNS leaks it",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_MASKED_EQ", "2113929216", "0")), "clone", CLONE_NEW, 0, 0,
    "leaks" },
  { "a masked rule that needs CLONE_NEWUSER set allows it",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_MASKED_EQ", "268435456", "268435456")), "clone", CLONE_NEW, 0,
    0, "leaks" },
  { "one blocking masked rule per CLONE_NEW* bit on an allow-all default blocks them all",
    OCI ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" BLOCK_BIT ("131072") "," BLOCK_BIT (
        "33554432") "," BLOCK_BIT ("67108864") "," BLOCK_BIT ("134217728") "," BLOCK_BIT (
        "268435456") "," BLOCK_BIT ("536870912") "," BLOCK_BIT ("1073741824") "]}"),
    "clone", CLONE_NEW, 0, 0, "blocked" },
  { "the same rules without CLONE_NEWNET leak",
    OCI ("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" BLOCK_BIT ("131072") "," BLOCK_BIT (
        "33554432") "," BLOCK_BIT ("67108864") "," BLOCK_BIT ("134217728") "," BLOCK_BIT (
        "268435456") "," BLOCK_BIT ("536870912") "]}"),
    "clone", CLONE_NEW, 0, 0, "leaks" },

  /* Ranges on the two 32-bit halves. */
  { "allow only flags < CLONE_NEWNS (64-bit LT, both halves) blocks namespace clones",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_LT", "131072", "0")), "clone", CLONE_NEW, 0, 0, "blocked" },
  { "allow flags <= CLONE_NEWNS lets CLONE_NEWNS itself through",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_LE", "131072", "0")), "clone", CLONE_NEW, 0, 0, "leaks" },
  { "allow flags > 0x7fffffff leaks: a high-half bit passes, and the kernel ignores it",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_GT", "2147483647", "0")), "clone", CLONE_NEW, 0, 0, "leaks" },
  { "allow flags > 2^32-1 leaks through the high half alone",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_GT", "4294967295", "0")), "clone", CLONE_NEW, 0, 0, "leaks" },
  { "allow flags > 2^32-1 is blocked when the high half is known clear",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_GT", "4294967295", "0")), "clone", BITS, NEWUSER,
    0xffffffff00000000ull, "blocked" },
  { "allow flags >= 0x80000000 leaks (bit 31 alongside a CLONE_NEW* bit)",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_GE", "2147483648", "0")), "clone", CLONE_NEW, 0, 0, "leaks" },
  { "allow flags != CLONE_NEWUSER still leaks every other namespace clone",
    OCI (ALLOW_CLONE_IF ("SCMP_CMP_NE", "268435456", "0")), "clone", CLONE_NEW, 0, 0, "leaks" },

  /* Raw BPF. */
  { "raw: JSET on the low word blocks namespace clones", RAW (jset_low), "clone", CLONE_NEW, 0,
    0, "blocked" },
  { "raw: the same JSET on the high word leaks", RAW (jset_high), "clone", CLONE_NEW, 0, 0,
    "leaks" },
  { "raw: (lo & 0x7E020000) == 0 through an AND blocks", RAW (and_eq), "clone", CLONE_NEW, 0, 0,
    "blocked" },
  { "raw: a shift that drops CLONE_NEWNS leaks", RAW (shifted), "clone", CLONE_NEW, 0, 0,
    "leaks" },
  { "raw: the shifted test does block CLONE_NEWUSER", RAW (shifted), "clone", BITS, NEWUSER, 0,
    "blocked" },
  { "raw: the argument kept in scratch memory and the mask in X still blocks",
    RAW (via_mem_and_x), "clone", CLONE_NEW, 0, 0, "blocked" },
  { "raw: an allow behind arg > 5 and arg <= 3 is unreachable", RAW (range_contradiction),
    "clone", ANY, 0, 0, "blocked" },
  { "raw: an allow behind bit 0 set and then clear is unreachable", RAW (bit_contradiction),
    "clone", ANY, 0, 0, "blocked" },
  { "raw: an allow behind arg == 7 and arg == 8 is unreachable", RAW (eq_contradiction), "clone",
    ANY, 0, 0, "blocked" },
  { "raw: arg >= 5 and not arg > 5 allows arg == 5", RAW (jge_boundary), "clone", ANY, 0, 0,
    "leaks" },
  { "raw: arg > 4 and not arg >= 6 allows arg == 5", RAW (jgt_boundary), "clone", ANY, 0, 0,
    "leaks" },
  { "raw: (lo & 0xff) > 0xff is unreachable", RAW (masked_range), "clone", ANY, 0, 0,
    "blocked" },
  { "raw: returning A with ERRNO's action bits and argument data blocks", RAW (ret_a_errno),
    "clone", ANY, 0, 0, "blocked" },
  { "raw: returning an argument as the action does not block", RAW (ret_a_arg), "clone", ANY, 0,
    0, "leaks" },
};

/* The whole program for a raw row. */
static struct sock_filter *
assemble (const row_t *row, size_t *len)
{
  struct sock_filter *p = calloc (PROLOGUE_LEN + row->body_len, sizeof (*p));
  int nr = seccomp_syscall_resolve_name_arch (SCMP_ARCH_X86_64, row->syscall);
  if (p == NULL || nr < 0)
    abort ();
  memcpy (p, prologue, sizeof (prologue));
  p[6].k = (uint32_t) nr;
  memcpy (p + PROLOGUE_LEN, row->body, row->body_len * sizeof (*p));
  *len = PROLOGUE_LEN + row->body_len;
  return p;
}

static int
build (const row_t *row, confine_bpf_t *prog, confine_error_t *err)
{
  confine_spec_t *spec = NULL;
  char *text = NULL;
  int r;

  if (row->body)
    {
      prog->insns = assemble (row, &prog->len);
      return 0;
    }
  if (row->fixture)
    spec = harness_docker_fixture (row->fixture);
  else
    {
      if (asprintf (&text, "{\"linux\":{\"seccomp\":%s}}", row->seccomp) < 0)
        abort ();
      if (confine_spec_parse (text, strlen (text), &spec, NULL, err) < 0)
        {
          free (text);
          return -1;
        }
      free (text);
    }
  r = confine_seccomp_compile (spec->seccomp, prog, err);
  confine_spec_free (spec);
  return r;
}

/* "blocked", "leaks", or the error. */
static char *
judge (const row_t *row)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_bpf confine_bpf_t prog = { 0 };
  cleanup_strv char **out = NULL;
  const char *const one[] = { row->syscall, NULL };
  const char *const none[] = { NULL };
  bool leaks = false;

  if (build (row, &prog, &err) < 0)
    return strdup (err->msg);
  switch (row->kind)
    {
    case ANY:
    case CLONE_NEW:
      if (confine_seccomp_unblocked (&prog, (char *const *) (row->kind == ANY ? one : none),
                                     row->kind == CLONE_NEW, false, false, &out, &err)
          < 0)
        return strdup (err->msg);
      for (char **l = out; *l; l++)
        leaks |= row->kind == ANY || strncmp (*l, "clone with", 10) == 0;
      break;
    case BITS:
      {
        confine_bpf_args_t args = { { row->set }, { row->clear } };
        unsigned c = 0;
        int nr = seccomp_syscall_resolve_name_arch (SCMP_ARCH_X86_64, row->syscall);
        if (confine_bpf_reachable_args (&prog, AUDIT_ARCH_X86_64, (uint32_t) nr, &args, &c, &err)
            < 0)
          return strdup (err->msg);
        leaks = c == 0 || (c & ~(unsigned) CONFINE_BPF_BLOCKING) != 0;
      }
      break;
    }
  return strdup (leaks ? "leaks" : "blocked");
}

static void
table (void)
{
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      char *got = judge (&rows[i]);
      CHECK (got && strstr (got, rows[i].expect) != NULL, rows[i].name, "got `%s`", got);
      free (got);
    }
}

/* A program whose every JSET on a fresh argument bit forks a path that
 * learns that bit: the distinct states double with each test. The walk
 * must stop at its bound and say so, never return a verdict. */
static void
explosion (void)
{
  cleanup_error confine_error_t err = NULL;
  size_t n = 0;
  struct sock_filter *p = calloc (4096, sizeof (*p));
  confine_bpf_t prog;
  unsigned c = 0;
  int r;

  if (p == NULL)
    abort ();
  for (unsigned arg = 0; arg < 6; arg++)
    for (unsigned bit = 0; bit < 32; bit++)
      {
        p[n++] = (struct sock_filter) LD (ARG0_LO + 8 * arg);
        p[n++] = (struct sock_filter) JSET (1u << bit, 1, 0);
        p[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_IMM, 0);
      }
  p[n++] = (struct sock_filter) ALLOW;
  prog = (confine_bpf_t){ p, n };
  r = confine_bpf_reachable (&prog, AUDIT_ARCH_X86_64, 0, &c, &err);
  CHECK (r < 0 && err && strstr (err->msg, "too complex"),
         "a filter whose states double at every bit is refused at the bound, not judged",
         "r=%d classes=%#x %s", r, c, err ? err->msg : "");

  /* Fewer states (2^12), each running a long tail: the work, not the
   * state count, is what is bounded here. */
  confine_error_release (&err);
  n = 0;
  for (unsigned bit = 0; bit < 12; bit++)
    {
      p[n++] = (struct sock_filter) LD (ARG0_LO);
      p[n++] = (struct sock_filter) JSET (1u << bit, 1, 0);
      p[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_IMM, 0);
    }
  while (n < 4095)
    p[n++] = (struct sock_filter) BPF_STMT (BPF_LD | BPF_IMM, 1);
  p[n++] = (struct sock_filter) ALLOW;
  prog = (confine_bpf_t){ p, n };
  r = confine_bpf_reachable (&prog, AUDIT_ARCH_X86_64, 0, &c, &err);
  CHECK (r < 0 && err && strstr (err->msg, "too complex"),
         "4096 states through a 4000-instruction tail are refused at the work bound",
         "r=%d classes=%#x %s", r, c, err ? err->msg : "");
  free (p);
}

/* A constraint that contradicts itself is a caller's error. */
static void
bad_constraint (void)
{
  cleanup_error confine_error_t err = NULL;
  struct sock_filter allow[] = { ALLOW };
  confine_bpf_t prog = { allow, 1 };
  confine_bpf_args_t args = { { 1 }, { 1 } };
  unsigned c = 0;
  CHECK (confine_bpf_reachable_args (&prog, AUDIT_ARCH_X86_64, 0, &args, &c, &err) < 0,
         "a bit both set and clear is refused as a constraint", "classes %#x", c);
}

/* ---- soundness: the symbolic walk covers every concrete run ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
next (void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t) (rng >> 16);
}

/* Values that make branches interesting: small numbers, single bits,
 * Docker's mask, the ends of the range, and noise. */
static uint32_t
some_value (void)
{
  static const uint32_t pool[] = { 0, 1, 2, 3, 5, 0xff, 0x7E020000, 0x10000000, 0x00020000,
                                   0x80000000, 0x7fffffff, 0xffffffff, 0x40000000, 0xffff0000 };
  switch (next () % 4)
    {
    case 0:
      return 1u << (next () % 32);
    case 1:
      return next ();
    default:
      return pool[next () % (sizeof (pool) / sizeof (pool[0]))];
    }
}

static uint16_t
some_jump_op (void)
{
  static const uint16_t ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
  return ops[next () % 4];
}

/* A random program the kernel's checker would accept. */
static size_t
random_program (struct sock_filter *p, size_t max)
{
  static const uint16_t alu_ops[]
      = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH, BPF_NEG };
  static const uint32_t rets[]
      = { SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | 1, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRAP,
          SECCOMP_RET_LOG, SECCOMP_RET_TRACE };
  size_t len = 4 + next () % (max - 4);

  for (size_t pc = 0; pc + 1 < len; pc++)
    {
      uint32_t room = (uint32_t) (len - pc - 2);
      uint16_t src = next () % 3 == 0 ? BPF_X : BPF_K;
      struct sock_filter *f = &p[pc];
      switch (next () % 9)
        {
        case 0:
        case 1:
          /* mostly the arguments, sometimes nr, arch or the ip */
          *f = (struct sock_filter) BPF_STMT (BPF_LD | BPF_W | BPF_ABS,
                                              next () % 4 ? 16 + 4 * (next () % 12)
                                                          : 4 * (next () % 4));
          break;
        case 2:
          {
            uint16_t op = alu_ops[next () % 10];
            uint32_t k = some_value ();
            if (op == BPF_LSH || op == BPF_RSH)
              k %= 32;
            if (op == BPF_DIV && k == 0)
              k = 3;
            *f = (struct sock_filter) BPF_STMT (BPF_ALU | op | (op == BPF_NEG ? 0 : src), k);
          }
          break;
        case 3:
          *f = (struct sock_filter) BPF_STMT (next () % 2 ? BPF_LD | BPF_IMM : BPF_LDX | BPF_IMM,
                                              some_value ());
          break;
        case 4:
          {
            static const uint16_t moves[]
                = { BPF_ST, BPF_STX, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_MISC | BPF_TAX,
                    BPF_MISC | BPF_TXA };
            *f = (struct sock_filter) BPF_STMT (moves[next () % 6], next () % BPF_MEMWORDS);
          }
          break;
        case 5:
          *f = (struct sock_filter) BPF_STMT (BPF_JMP | BPF_JA, next () % (room + 1));
          break;
        case 6:
        case 7:
          *f = (struct sock_filter) BPF_JUMP (BPF_JMP | some_jump_op () | src, some_value (),
                                              (uint8_t) (next () % (room + 1) % 256),
                                              (uint8_t) (next () % (room + 1) % 256));
          break;
        default:
          if (next () % 4 == 0)
            *f = (struct sock_filter) BPF_STMT (BPF_RET | BPF_A, 0);
          else
            *f = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, rets[next () % 6]);
          break;
        }
    }
  p[len - 1] = (struct sock_filter) BPF_STMT (BPF_RET | BPF_K, rets[next () % 6]);
  return len;
}

static void
soundness (void)
{
  struct sock_filter insns[48];
  unsigned runs = 0, missed = 0, pruned = 0;
  char first[160] = "";

  for (int i = 0; i < 20000; i++)
    {
      cleanup_error confine_error_t verr = NULL;
      confine_bpf_t prog = { insns, random_program (insns, 48) };
      if (confine_bpf_validate (&prog, &verr) < 0)
        continue;
      for (int v = 0; v < 4; v++)
        {
          cleanup_error confine_error_t err = NULL;
          struct seccomp_data d = { (int) (next () % 4), next () % 2 ? AUDIT_ARCH_X86_64 : 0, 0,
                                    { 0 } };
          confine_bpf_args_t args;
          uint32_t scratch[BPF_MEMWORDS];
          unsigned abstract = 0, concrete;

          d.instruction_pointer = ((uint64_t) next () << 32) | next ();
          for (int a = 0; a < 6; a++)
            {
              /* A random part of each argument is known, the rest free:
               * the concrete value is always in the set. */
              uint64_t known = ((uint64_t) next () << 32) | next ();
              d.args[a] = ((uint64_t) some_value () << 32) | some_value ();
              known = v == 0 ? 0 : v == 3 ? ~0ull : known;
              args.set[a] = d.args[a] & known;
              args.clear[a] = ~d.args[a] & known;
            }
          for (int m = 0; m < BPF_MEMWORDS; m++)
            scratch[m] = some_value ();
          concrete = confine_bpf_classify (bpf_run (&prog, &d, some_value (), some_value (),
                                                    scratch));
          if (confine_bpf_reachable_args (&prog, d.arch, (uint32_t) d.nr, &args, &abstract, &err)
              < 0)
            continue;
          runs++;
          if ((abstract & (concrete | CONFINE_BPF_RET_UNKNOWN)) == 0)
            {
              if (missed++ == 0)
                snprintf (first, sizeof (first), "program %d value %d: concrete %#x, walk %#x", i,
                          v, concrete, abstract);
            }
          else if (__builtin_popcount (abstract) == 1)
            pruned++;
        }
    }
  CHECK (runs > 50000 && missed == 0,
         "every concrete run of 20000 random programs is among the walk's returns",
         "%u of %u runs missed; first: %s", missed, runs, first);
  /* A positive control: the walk does decide one class most of the time,
   * so it is not passing by reporting every class. */
  CHECK (pruned > runs / 2, "the walk is precise on most random runs", "%u of %u", pruned, runs);
}

void
run_tests (void)
{
  table ();
  soundness ();
  explosion ();
  bad_constraint ();
}

/* SPDX-License-Identifier: Apache-2.0 */
/* A classic-BPF evaluator for seccomp filters.
 *
 * libseccomp 2.5 has no simulator we can link, and the gate must judge the
 * filter the kernel will run, not the JSON it came from. Given an
 * architecture token and a syscall number, this walks every path the
 * program can take for every value of the instruction pointer and the six
 * arguments at once. Along each path it tracks, for every 32-bit word of
 * them, which bits are known set, known clear or unknown and the range the
 * word lies in, and refines both on each branch (JSET, masked JEQ, JGT and
 * JGE ranges on either half of an argument). A branch is dropped only when
 * no value can take it; where the facts cannot be held exactly, both
 * branches are followed. So the reachable returns are a superset of the
 * real ones, which errs towards refusal, and never a sample of them. */
#ifndef CONFINE_BPF_H
#define CONFINE_BPF_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

/* The classes of seccomp return value a path can end in. */
enum
{
  CONFINE_BPF_KILL = 1u << 0,  /* KILL_THREAD, KILL_PROCESS, or a value the kernel treats as kill */
  CONFINE_BPF_TRAP = 1u << 1,
  CONFINE_BPF_ERRNO = 1u << 2,
  CONFINE_BPF_NOTIFY = 1u << 3,
  CONFINE_BPF_TRACE = 1u << 4,
  CONFINE_BPF_LOG = 1u << 5,
  CONFINE_BPF_ALLOW = 1u << 6,
  CONFINE_BPF_RET_UNKNOWN = 1u << 7, /* `ret A` with A unknown */
};
/* A syscall is blocked only if every reachable return is one of these.
 * TRACE and NOTIFY hand the decision to another process, so they are not. */
#define CONFINE_BPF_BLOCKING (CONFINE_BPF_KILL | CONFINE_BPF_TRAP | CONFINE_BPF_ERRNO)

typedef struct
{
  struct sock_filter *insns;
  size_t len;
  /* Set by the code that made INSNS once confine_bpf_validate accepted
   * them: the evaluator then does not check them again on every query
   * (a cold verdict asks about a few hundred syscalls). Anything else,
   * a program built by hand or decoded, is checked by each query. */
  bool valid;
} confine_bpf_t;

void confine_bpf_release (confine_bpf_t *prog);
#define cleanup_bpf __attribute__ ((cleanup (confine_bpf_release)))

/* Check the program as the kernel's checker would (jumps in range, loads
 * aligned and inside struct seccomp_data, ends in a return). */
int confine_bpf_validate (const confine_bpf_t *prog, confine_error_t *err);

/* Sets *CLASSES to the set of return classes reachable for a call with
 * this architecture token and syscall number. */
int confine_bpf_reachable (const confine_bpf_t *prog, uint32_t arch, uint32_t nr,
                           unsigned *classes, confine_error_t *err);
/* A set of argument values: in argument i the bits of SET[i] are 1, those
 * of CLEAR[i] are 0, and every other bit may be anything. An exact value
 * v is SET = v, CLEAR = ~v; all zeros is every value. */
typedef struct
{
  uint64_t set[6], clear[6];
} confine_bpf_args_t;

/* The same, for calls whose arguments lie in ARGS (NULL: any). The walk
 * explores a bounded number of states; a filter that needs more is an
 * error, never a verdict. */
int confine_bpf_reachable_args (const confine_bpf_t *prog, uint32_t arch, uint32_t nr,
                                const confine_bpf_args_t *args, unsigned *classes,
                                confine_error_t *err);

/* The class of one seccomp return value, as the kernel reads it. */
unsigned confine_bpf_classify (uint32_t ret);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cache.h"
#include "mounts.h"
#include "rules.h"
#include "seccomp.h"
#include "../base/utils.h"

/* libseccomp's arguments and runc's. */
#define MAX_SYSCALL_ARGS 6
/* libseccomp's build time grows much faster than the rule count (here
 * 16 ms at 500 rules, 0.5 s at 5000), and every container start pays it
 * on a cache miss. Docker's profile has about 370 names; past 10000 a
 * section is refused before it is built, rather than let a spec hold a
 * core for seconds. */
#define MAX_RULES 10000
/* Highest syscall number we scan for the surface count, per ABI. */
#define MAX_SYSCALL_NR 1024

const confine_abi_t *
confine_host_abis (void)
{
  static const confine_abi_t x86_64[]
      = { { "x86_64", AUDIT_ARCH_X86_64, SCMP_ARCH_X86_64 },
          { "x32", AUDIT_ARCH_X86_64, SCMP_ARCH_X32 },
          { "x86", AUDIT_ARCH_I386, SCMP_ARCH_X86 },
          { NULL, 0, 0 } };
  static const confine_abi_t aarch64[] = { { "aarch64", AUDIT_ARCH_AARCH64, SCMP_ARCH_AARCH64 },
                                           { "arm", AUDIT_ARCH_ARM, SCMP_ARCH_ARM },
                                           { NULL, 0, 0 } };
  static confine_abi_t native[] = { { "native", 0, 0 }, { NULL, 0, 0 } };

  switch (seccomp_arch_native ())
    {
    case SCMP_ARCH_X86_64:
      return x86_64;
    case SCMP_ARCH_AARCH64:
      return aarch64;
    default:
      native[0].audit_arch = native[0].scmp_arch = seccomp_arch_native ();
      return native;
    }
}

bool
confine_seccomp_is_empty (const confine_seccomp_t *s)
{
  return s == NULL || ((s->default_action == NULL || s->default_action[0] == '\0')
                       && s->n_syscalls == 0);
}

/* runc's getAction: ERRNO and TRACE default to EPERM, and the return code
 * is truncated to 16 bits (Go's int16 conversion), as SCMP_ACT_ERRNO does. */
static int
action_of (const char *name, bool has_errno, uint32_t errno_ret, uint32_t *out,
           confine_error_t *err)
{
  uint32_t code = has_errno ? errno_ret : EPERM;

  if (name == NULL || name[0] == '\0')
    return confine_make_error (err, 0, "seccomp rule without an action");
  if (strcmp (name, "SCMP_ACT_KILL") == 0 || strcmp (name, "SCMP_ACT_KILL_THREAD") == 0)
    *out = SCMP_ACT_KILL_THREAD;
  else if (strcmp (name, "SCMP_ACT_KILL_PROCESS") == 0)
    *out = SCMP_ACT_KILL_PROCESS;
  else if (strcmp (name, "SCMP_ACT_TRAP") == 0)
    *out = SCMP_ACT_TRAP;
  else if (strcmp (name, "SCMP_ACT_ERRNO") == 0)
    *out = SCMP_ACT_ERRNO (code);
  else if (strcmp (name, "SCMP_ACT_TRACE") == 0)
    *out = SCMP_ACT_TRACE (code);
  else if (strcmp (name, "SCMP_ACT_ALLOW") == 0)
    *out = SCMP_ACT_ALLOW;
  else if (strcmp (name, "SCMP_ACT_LOG") == 0)
    *out = SCMP_ACT_LOG;
  else if (strcmp (name, "SCMP_ACT_NOTIFY") == 0)
    *out = SCMP_ACT_NOTIFY;
  else
    return confine_make_error (err, 0, "unknown seccomp action `%s`", name);
  return 0;
}

static int
arch_of (const char *name, uint32_t *out, confine_error_t *err)
{
  char lower[32];
  size_t n;

  /* runc accepts the SCMP_ARCH_ names; libseccomp resolves the suffix in
   * lower case ("x86_64", "x86", "aarch64"). */
  if (strncmp (name, "SCMP_ARCH_", 10) != 0 || (n = strlen (name + 10)) == 0
      || n >= sizeof (lower))
    return confine_make_error (err, 0, "unknown seccomp architecture `%s`", name);
  for (size_t i = 0; i <= n; i++)
    {
      char c = name[10 + i];
      lower[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
  *out = seccomp_arch_resolve_name (lower);
  if (*out == 0)
    return confine_make_error (err, 0, "unknown seccomp architecture `%s`", name);
  return 0;
}

static int
op_of (const char *name, enum scmp_compare *out, confine_error_t *err)
{
  static const struct
  {
    const char *name;
    enum scmp_compare op;
  } ops[] = {
    { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
    { "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
    { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
    { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
  };
  for (size_t i = 0; name && i < sizeof (ops) / sizeof (ops[0]); i++)
    if (strcmp (name, ops[i].name) == 0)
      {
        *out = ops[i].op;
        return 0;
      }
  return confine_make_error (err, 0, "unknown seccomp operator `%s`", name ? name : "");
}

static int
flags_ok (char *const *flags, confine_error_t *err)
{
  /* runc 1.1.5 refuses every flag, and newer runc accepts these three;
   * none of them changes which calls the filter blocks, so they pass here
   * and runc decides. Any other flag is refused. */
  static const char *const known[] = { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                       "SECCOMP_FILTER_FLAG_SPEC_ALLOW", NULL };
  for (; *flags; flags++)
    {
      bool ok = false;
      for (int i = 0; known[i] && !ok; i++)
        ok = strcmp (*flags, known[i]) == 0;
      if (!ok)
        return confine_make_error (err, 0, "unknown seccomp flag `%s`", *flags);
    }
  return 0;
}

static int
add_rule (scmp_filter_ctx ctx, const confine_seccomp_syscall_t *call, const char *name,
          uint32_t action, confine_error_t *err)
{
  struct scmp_arg_cmp conds[MAX_SYSCALL_ARGS * 4];
  unsigned count[MAX_SYSCALL_ARGS] = { 0 };
  bool repeated = false;
  size_t n = call->n_args;
  int nr = seccomp_syscall_resolve_name (name);
  int r;

  /* runc ignores names this libseccomp does not know (a newer syscall on
   * an older host): they cannot be called by number either. */
  if (nr == __NR_SCMP_ERROR)
    return 0;
  if (n > sizeof (conds) / sizeof (conds[0]))
    return confine_make_error (err, 0, "seccomp rule for `%s` has %zu conditions", name, n);
  for (size_t i = 0; i < n; i++)
    {
      const confine_seccomp_arg_t *a = &call->args[i];
      enum scmp_compare op = SCMP_CMP_EQ;
      if (a->index >= MAX_SYSCALL_ARGS)
        return confine_make_error (err, 0, "seccomp argument index %u for `%s` is out of range",
                                   a->index, name);
      if (op_of (a->op, &op, err) < 0)
        return -1;
      conds[i].arg = a->index;
      conds[i].op = op;
      conds[i].datum_a = a->value;
      conds[i].datum_b = op == SCMP_CMP_MASKED_EQ ? a->value_two : 0;
      if (++count[a->index] > 1)
        repeated = true;
    }
  if (!repeated)
    r = seccomp_rule_add_array (ctx, action, nr, (unsigned) n, n ? conds : NULL);
  else
    {
      /* runc: "if two or more arguments have the same condition, revert
       * to old behavior, adding each condition as a separate rule". */
      r = 0;
      for (size_t i = 0; i < n && r == 0; i++)
        r = seccomp_rule_add_array (ctx, action, nr, 1, &conds[i]);
    }
  if (r < 0)
    return confine_make_error (err, -r, "seccomp rule for `%s`", name);
  return 0;
}

int
confine_seccomp_compile (const confine_seccomp_t *s, confine_bpf_t *out, confine_error_t *err)
{
  cleanup_seccomp scmp_filter_ctx ctx = NULL;
  cleanup_close int fd = -1;
  cleanup_free char *buf = NULL;
  uint32_t def;
  size_t len = 0;
  int r;

  if (action_of (s->default_action, s->has_default_errno_ret, s->default_errno_ret, &def, err) < 0)
    return confine_error_wrap (err, "default action");
  if (def == SCMP_ACT_NOTIFY)
    return confine_make_error (err, 0, "SCMP_ACT_NOTIFY cannot be the default action");
  if (flags_ok (s->flags, err) < 0)
    return -1;
  {
    size_t rules = 0;
    for (size_t i = 0; i < s->n_syscalls; i++)
      for (char **name = s->syscalls[i].names; *name; name++)
        rules++;
    if (rules > MAX_RULES)
      return confine_make_error (err, 0,
                                 "%zu syscall rules, more than the %d the gate builds",
                                 rules, MAX_RULES);
  }

  ctx = seccomp_init (def);
  if (ctx == NULL)
    return confine_make_error (err, 0, "libseccomp rejected the default action `%s`",
                               s->default_action);
  for (char **a = s->architectures; *a; a++)
    {
      uint32_t arch;
      if (arch_of (*a, &arch, err) < 0)
        return -1;
      r = seccomp_arch_add (ctx, arch);
      if (r < 0 && r != -EEXIST)
        return confine_make_error (err, -r, "add seccomp architecture `%s`", *a);
    }
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const confine_seccomp_syscall_t *call = &s->syscalls[i];
      uint32_t action;
      if (action_of (call->action, call->has_errno_ret, call->errno_ret, &action, err) < 0)
        return confine_error_wrap (err, "linux.seccomp.syscalls[%zu]", i);
      if (action == def)
        continue; /* runc skips these, and libseccomp would refuse them */
      for (char **name = call->names; *name; name++)
        if (add_rule (ctx, call, *name, action, err) < 0)
          return -1;
    }

  /* A memfd rather than a pipe: a large filter would fill a pipe and
   * block the export. */
  fd = memfd_create ("confine-bpf", MFD_CLOEXEC);
  if (fd < 0)
    return confine_make_error (err, errno, "memfd_create");
  if ((r = seccomp_export_bpf (ctx, fd)) < 0)
    return confine_make_error (err, -r, "export seccomp BPF");
  if (lseek (fd, 0, SEEK_SET) < 0)
    return confine_make_error (err, errno, "rewind BPF");
  if (confine_read_fd (fd, 4096 * sizeof (struct sock_filter), &buf, &len, err) < 0)
    return confine_error_wrap (err, "the filter exceeds the kernel's 4096 instructions");
  if (len == 0 || len % sizeof (struct sock_filter) != 0)
    return confine_make_error (err, 0, "libseccomp exported %zu bytes of BPF", len);
  out->insns = (struct sock_filter *) steal_pointer (&buf);
  out->len = len / sizeof (struct sock_filter);
  if (confine_bpf_validate (out, err) < 0)
    return -1;
  out->valid = true;
  return 0;
}

/* Note on runc's ENOSYS stub: runc prepends code that returns -ENOSYS for
 * syscall numbers above the highest one the filter names, unless the
 * default action allows. It only replaces a blocking default with another
 * blocking result, so judging libseccomp's program gives the same verdict. */

static bool
blocked (unsigned classes)
{
  return classes != 0 && (classes & ~(unsigned) CONFINE_BPF_BLOCKING) == 0;
}

/* The names come from the policy and the spec, already bounded. */
#define LEAKS_MAX (SIZE_MAX - 1)

/* chmod's and open's mode is their second argument, fchmod's too,
 * fchmodat's, fchmodat2's and open's third, openat's fourth; mknod's
 * second and mknodat's third. */
const confine_setid_call_t confine_seccomp_setid_calls[CONFINE_SECCOMP_SETID_CALLS + 1]
    = { { "chmod", 1, false },    { "fchmod", 1, false }, { "fchmodat", 2, false },
        { "fchmodat2", 2, false }, { "creat", 1, false },  { "open", 2, false },
        { "openat", 3, false },   { "mknod", 1, true },   { "mknodat", 2, true },
        { NULL, 0, false } };
/* removexattr is left out: removing an access ACL leaves the mode as
 * it is (the filesystems update the mode only when an ACL is set). */
const confine_setid_denied_t confine_seccomp_setid_denied[CONFINE_SECCOMP_SETID_DENIED + 1]
    = { { "openat2", ENOSYS },         { "io_uring_setup", ENOSYS },
        { "io_uring_enter", ENOSYS },  { "io_uring_register", ENOSYS },
        { "setxattr", EOPNOTSUPP },    { "lsetxattr", EOPNOTSUPP },
        { "fsetxattr", EOPNOTSUPP },   { "setxattrat", EOPNOTSUPP },
        { NULL, 0 } };

/* SYSCALL's number on ABI, or negative where it has none. fchmodat2
 * (Linux 6.6) is 452 and setxattrat (6.13) 463 on every ABI of the host
 * tables, and a libseccomp older than their names would skip them (runc
 * too: the default action alone decides), while the kernel may have
 * them: judged by number there. */
static int
syscall_nr (const confine_abi_t *abi, const char *syscall)
{
  static const struct
  {
    const char *name;
    int nr;
  } late[] = { { "fchmodat2", 452 }, { "setxattrat", 463 } };
  int nr = seccomp_syscall_resolve_name_arch (abi->scmp_arch, syscall);

  for (size_t i = 0; nr < 0 && i < sizeof (late) / sizeof (late[0]); i++)
    if (strcmp (syscall, late[i].name) == 0)
      switch (abi->scmp_arch)
        {
        case SCMP_ARCH_X32:
          return 0x40000000 | late[i].nr;
        case SCMP_ARCH_X86_64:
        case SCMP_ARCH_X86:
        case SCMP_ARCH_AARCH64:
        case SCMP_ARCH_ARM:
          return late[i].nr;
        default:
          return nr;
        }
  return nr;
}

/* Does PROG block SYSCALL, on every ABI where it exists, for every call
 * whose arguments lie in one of the N_CASES sets CASES (NULL: any
 * arguments)? A property over a union of sets is judged set by set.
 * Adds LABEL to L when not, naming the ABIs that let it through unless
 * that is every ABI of the host. Returns the number of ABIs the syscall
 * exists on, or negative on error. */
static int
probe (const confine_bpf_t *prog, const char *label, const char *syscall,
       const confine_bpf_args_t *cases, size_t n_cases, confine_strv_t *l, confine_error_t *err)
{
  char where[128] = "";
  size_t wlen = 0;
  int exists = 0, leaked = 0, abis = 0;

  for (const confine_abi_t *abi = confine_host_abis (); abi->name; abi++)
    {
      unsigned classes = 0;
      int nr = syscall_nr (abi, syscall);
      abis++;
      if (nr < 0)
        continue; /* not a syscall of this ABI: nothing to block */
      exists++;
      for (size_t c = 0; c < (cases ? n_cases : 1); c++)
        {
          unsigned one = 0;
          if (confine_bpf_reachable_args (prog, abi->audit_arch, (uint32_t) nr,
                                          cases ? &cases[c] : NULL, &one, err)
              < 0)
            return confine_error_wrap (err, "evaluate `%s` on %s", syscall, abi->name);
          classes |= one;
        }
      if (!blocked (classes))
        {
          int w = snprintf (where + wlen, sizeof (where) - wlen, "%s%s", leaked ? "," : "",
                            abi->name);
          if (w > 0 && (size_t) w < sizeof (where) - wlen)
            wlen += (size_t) w;
          leaked++;
        }
    }
  if (leaked)
    {
      char *entry = leaked == abis ? confine_xstrdup (label)
                                   : confine_xasprintf ("%s (%s)", label, where);
      if (confine_strv_add (l, entry, LEAKS_MAX, err) < 0)
        return -1;
    }
  return exists;
}

/* The modes in argument INDEX a rule is about, as a union of sets: for
 * each of the N_TYPES file types TYPES (its S_IFMT bits exactly; NULL:
 * any type) and each of the N_BITS bits BITS (0: none), the calls with
 * that type and that bit set, every other bit free. The kernel reads the
 * mode as a umode_t, the low 16 bits, which hold S_IFMT, S_ISUID and
 * S_ISGID. Returns the number of sets written to OUT (room for
 * N_TYPES * N_BITS). */
static size_t
mode_cases (confine_bpf_args_t *out, unsigned index, const uint64_t *types, size_t n_types,
            const uint64_t *bits, size_t n_bits)
{
  size_t n = 0;

  for (size_t t = 0; t < (types ? n_types : 1); t++)
    for (size_t b = 0; b < n_bits; b++)
      {
        memset (&out[n], 0, sizeof (out[n]));
        out[n].set[index] = (types ? types[t] : 0) | bits[b];
        out[n].clear[index] = types ? S_IFMT & ~types[t] : 0;
        n++;
      }
  return n;
}

/* seccomp.block_setid_files: each call of confine_seccomp_setid_calls
 * with S_ISUID or S_ISGID in its mode (mknod's of a regular file), and
 * confine_seccomp_setid_denied for any arguments. */
static int
probe_setid (const confine_bpf_t *prog, confine_strv_t *l, confine_error_t *err)
{
  static const uint64_t bits[] = { S_ISUID, S_ISGID };
  static const uint64_t regular[] = { 0, S_IFREG };

  for (const confine_setid_call_t *c = confine_seccomp_setid_calls; c->name; c++)
    {
      confine_bpf_args_t cases[sizeof (regular) / sizeof (regular[0]) * sizeof (bits) / sizeof (bits[0])];
      cleanup_free char *label = confine_xasprintf ("%s" CONFINE_SECCOMP_SETID_MODE, c->name);
      size_t n = mode_cases (cases, c->mode_index, c->mknod ? regular : NULL,
                             sizeof (regular) / sizeof (regular[0]), bits,
                             sizeof (bits) / sizeof (bits[0]));
      if (probe (prog, label, c->name, cases, n, l, err) < 0)
        return -1;
    }
  for (const confine_setid_denied_t *d = confine_seccomp_setid_denied; d->name; d++)
    if (probe (prog, d->name, d->name, NULL, 0, l, err) < 0)
      return -1;
  return 0;
}

int
confine_seccomp_unblocked (const confine_bpf_t *prog, char *const *must_block,
                           bool namespace_clone, bool device_nodes, bool setid_files,
                           char ***out, confine_error_t *err)
{
  /* Every flag that makes clone create a namespace (Docker's profile
   * allows clone only when (flags & 0x7E020000) == 0, these bits).
   * CLONE_NEWTIME shares its bit with the exit signal and only works
   * through clone3 and unshare. The kernel reads the low 32 bits of the
   * flags, so the high half stays unknown. */
  static const uint64_t clone_new[]
      = { 0x00020000 /* NEWNS */,   0x02000000 /* NEWCGROUP */, 0x04000000 /* NEWUTS */,
          0x08000000 /* NEWIPC */,  0x10000000 /* NEWUSER */,   0x20000000 /* NEWPID */,
          0x40000000 /* NEWNET */ };
  /* "At least one CLONE_NEW* bit set" is the union, over each of those
   * bits, of the calls with that bit set and every other bit free: exactly
   * the calls that create a namespace, whatever else they ask. */
  confine_bpf_args_t new_ns[sizeof (clone_new) / sizeof (clone_new[0])];
  cleanup_strv_list confine_strv_t l = { 0 };
  int r = 0;

  memset (new_ns, 0, sizeof (new_ns));
  for (size_t i = 0; i < sizeof (clone_new) / sizeof (clone_new[0]); i++)
    new_ns[i].set[0] = clone_new[i];
  for (char *const *name = must_block; *name && r >= 0; name++)
    {
      r = probe (prog, *name, *name, NULL, 0, &l, err);
      if (r == 0)
        r = confine_make_error (err, 0, "`%s` in seccomp.must_block is not a syscall known to "
                                "libseccomp on this host", *name);
    }
  /* clone takes its flags in the first argument, except on s390, which
   * this ABI table does not cover. */
  if (r >= 0 && namespace_clone)
    r = probe (prog, "clone3", "clone3", NULL, 0, &l, err);
  if (r >= 0 && namespace_clone)
    r = probe (prog, CONFINE_SECCOMP_CLONE_NS, "clone", new_ns,
               sizeof (new_ns) / sizeof (new_ns[0]), &l, err);
  /* The mode is mknod's second argument and mknodat's third on every ABI
   * of these tables; aarch64 has no mknod, which probe skips. */
  if (r >= 0 && device_nodes)
    {
      static const uint64_t devices[] = { S_IFCHR, S_IFBLK }, none[] = { 0 };
      confine_bpf_args_t dev[2];
      mode_cases (dev, 1, devices, 2, none, 1);
      r = probe (prog, CONFINE_SECCOMP_MKNOD_DEV, "mknod", dev, 2, &l, err);
      if (r >= 0)
        {
          mode_cases (dev, 2, devices, 2, none, 1);
          r = probe (prog, CONFINE_SECCOMP_MKNODAT_DEV, "mknodat", dev, 2, &l, err);
        }
    }
  if (r >= 0 && setid_files)
    r = probe_setid (prog, &l, err);
  if (r < 0)
    return -1;
  *out = confine_strv_steal (&l);
  return 0;
}

int
confine_seccomp_surface (const confine_bpf_t *prog, const confine_abi_t *abi, unsigned *allowed,
                         unsigned *total, confine_error_t *err)
{
  /* x32 numbers carry bit 30; libseccomp names them with it set. */
  uint32_t base = abi->scmp_arch == SCMP_ARCH_X32 ? 0x40000000u : 0;

  *allowed = *total = 0;
  for (uint32_t nr = base; nr < base + MAX_SYSCALL_NR; nr++)
    {
      unsigned classes = 0;
      char *name = seccomp_syscall_resolve_num_arch (abi->scmp_arch, (int) nr);
      if (name == NULL)
        continue;
      free (name);
      (*total)++;
      if (confine_bpf_reachable (prog, abi->audit_arch, nr, &classes, err) < 0)
        return -1;
      if (!blocked (classes))
        (*allowed)++;
    }
  return 0;
}

/* Syscalls a filter must let through for a container to start at all,
 * measured, not guessed: `bash tests/measure-syscalls.sh` (runc 1.1.5+ds1,
 * Debian 12, 15 runs per mode, 2026-11-30) traces `runc run` of a busybox
 * bundle and lists what runc init's filtered thread calls from loading
 * the filter to its execve of the container's command, execve included.
 * Every call was seen in all 15 runs but rt_sigreturn (7 to 9 of 15: it
 * returns from the Go runtime's preemption signal, whenever one lands).
 * runc loads the filter before it drops capabilities and changes user,
 * or, with noNewPrivileges, just before exec, so that case needs fewer.
 * Both close the fds it does not pass on, after checking with fstatfs
 * that /proc/self/fd is procfs (the CVE-2024-21626 fix): a filter that
 * denies fstatfs fails every start with `error closing exec fds: ensure
 * /proc/self/fd is on procfs: operation not permitted`. */
static const char *const runc_needs[]
    = { "capget",  "capset",     "chdir",    "close",       "epoll_ctl", "execve",
        "faccessat2", "fcntl",   "fstat",    "fstatfs",     "futex",     "getcwd",
        "getdents64", "getpid",  "getppid",  "newfstatat",  "openat",    "prctl",
        "read",    "rt_sigreturn", "setgid", "setgroups",   "setuid",    "write",
        NULL };
static const char *const runc_needs_nnp[]
    = { "close",  "epoll_ctl", "execve", "fstatfs", "futex", "getdents64",
        "getpid", "openat",    "rt_sigreturn", "write", NULL };
/* What nearly every program calls as it starts: the syscalls that at
 * least 6 of the 8 programs the same script traces make (/bin/true,
 * busybox true and sh, ls, dash, python3, perl, and runc --version, a Go
 * program). */
static const char *const programs_need[]
    = { "access", "arch_prctl", "brk",     "close",         "execve",      "exit_group",
        "getrandom", "mmap",    "mprotect", "munmap",       "newfstatat",  "openat",
        "pread64", "prlimit64", "read",    "rseq",          "set_robust_list",
        "set_tid_address", NULL };

int
confine_seccomp_denied (const confine_bpf_t *prog, const char *const *names, char ***out,
                        confine_error_t *err)
{
  const confine_abi_t *abi = confine_host_abis ();
  cleanup_strv_list confine_strv_t l = { 0 };

  for (; *names; names++)
    {
      unsigned classes = 0;
      int nr = seccomp_syscall_resolve_name_arch (abi->scmp_arch, *names);
      confine_bpf_args_t plain = { 0 };
      const confine_bpf_args_t *args = NULL;
      if (nr < 0)
        continue; /* not a syscall here: nothing calls it */
      /* Neither runc nor a program starting asks for a setuid or setgid
       * mode: a filter that denies only those (seccomp.block_setid_files)
       * denies them nothing. */
      for (const confine_setid_call_t *c = confine_seccomp_setid_calls; c->name && !args; c++)
        if (strcmp (c->name, *names) == 0)
          {
            plain.clear[c->mode_index] = CONFINE_SETID_BITS;
            args = &plain;
          }
      if (confine_bpf_reachable_args (prog, abi->audit_arch, (uint32_t) nr, args, &classes, err)
          < 0)
        return confine_error_wrap (err, "evaluate `%s` on %s", *names, abi->name);
      if ((classes & ~(unsigned) (CONFINE_BPF_ALLOW | CONFINE_BPF_LOG)) == 0)
        continue;
      if (confine_strv_add (&l, confine_xstrdup (*names), LEAKS_MAX, err) < 0)
        return -1;
    }
  *out = confine_strv_steal (&l);
  return 0;
}

/* The union of the three lists, each name once, for one evaluation whose
 * result the cache keeps whatever noNewPrivileges says. */
static char **
needed_names (void)
{
  const char *const *lists[] = { runc_needs, runc_needs_nnp, programs_need };
  size_t n = 0, cap = 0;
  char **v;

  for (size_t i = 0; i < sizeof (lists) / sizeof (lists[0]); i++)
    for (const char *const *name = lists[i]; *name; name++)
      cap++;
  v = confine_xcalloc (cap + 1, sizeof (char *));
  for (size_t i = 0; i < sizeof (lists) / sizeof (lists[0]); i++)
    for (const char *const *name = lists[i]; *name; name++)
      if (!confine_strv_has (v, *name))
        v[n++] = confine_xstrdup (*name);
  return v;
}

void
confine_seccomp_memo_clear (confine_seccomp_memo_t *m)
{
  confine_free_strv (m->leaks);
  confine_free_strv (m->denied);
  confine_error_release (&m->build_err);
  *m = (confine_seccomp_memo_t){ 0 };
}

/* The verdict for a section, from the cache or computed (and then cached):
 * the must_block syscalls it lets through, the needed ones it may deny,
 * and its length; or, when runc could not build the filter, why. Kept in
 * SUBJECT's memo for the other seccomp rule, else in LOCAL. A cache
 * failure only costs time. */
static int
verdict (const confine_context_t *ctx, const confine_subject_t *subject,
         confine_seccomp_memo_t *local, const confine_seccomp_memo_t **out, confine_error_t *err)
{
  const confine_seccomp_t *s = subject->spec->seccomp;
  confine_seccomp_memo_t *m = subject->seccomp ? subject->seccomp : local;
  cleanup_bpf confine_bpf_t prog = { 0 };
  cleanup_error confine_error_t cache_err = NULL;
  cleanup_strv char **needed = NULL;
  confine_cache_key_t key;

  *out = m;
  if (m->done)
    return 0;
  confine_cache_key (s, ctx->policy->must_block, ctx->policy->block_namespace_clone,
                     ctx->policy->block_device_nodes, ctx->policy->block_setid_files, &key);
  if (confine_cache_get (ctx->policy->cache_dir, &key, &m->leaks, &m->denied, &m->insns))
    {
      m->done = true;
      m->built = 1;
      return 0;
    }
  if (confine_seccomp_compile (s, &prog, &m->build_err) < 0)
    {
      /* not cached: runc's refusal depends on nothing we could key */
      m->done = true;
      return 0;
    }
  needed = needed_names ();
  if (confine_seccomp_unblocked (&prog, ctx->policy->must_block,
                                 ctx->policy->block_namespace_clone,
                                 ctx->policy->block_device_nodes,
                                 ctx->policy->block_setid_files, &m->leaks, err)
          < 0
      || confine_seccomp_denied (&prog, (const char *const *) needed, &m->denied, err) < 0)
    {
      confine_seccomp_memo_clear (m);
      return -1;
    }
  m->insns = prog.len;
  m->done = true;
  m->built = 1;
  confine_cache_put (ctx->policy->cache_dir, &key, m->leaks, m->denied, m->insns, &cache_err);
  return 0;
}

/* The leaks a refusal lists come in four groups, each under the policy
 * key that makes it a refusal (bit 0, 1, 2, 3 of KEY_SETS' index): a
 * must_block syscall, clone3 and namespace-creating clone, device-node
 * mknod, setuid and setgid modes. The result keeps a borrowed key, so
 * every combination is here. */
enum
{
  GROUPS = 4,
  GROUP_SETID = 3
};
#define MB "seccomp.must_block"
#define NC "seccomp.block_namespace_clone"
#define DN "seccomp.block_device_nodes"
#define SF "seccomp.block_setid_files"
static const char *const key_sets[1u << GROUPS]
    = { NULL,
        MB,
        NC,
        MB ", " NC,
        DN,
        MB ", " DN,
        NC ", " DN,
        MB ", " NC ", " DN,
        SF,
        MB ", " SF,
        NC ", " SF,
        MB ", " NC ", " SF,
        DN ", " SF,
        MB ", " DN ", " SF,
        NC ", " DN ", " SF,
        MB ", " NC ", " DN ", " SF };
#undef MB
#undef NC
#undef DN
#undef SF

/* The group of LEAK, a report entry perhaps naming its ABIs (`keyctl
 * (x86)`, `mknod of a device node (x86)`). */
static unsigned
leak_group (const confine_policy_t *policy, const char *leak)
{
  const char *abis = strstr (leak, " (");
  size_t n = abis ? (size_t) (abis - leak) : strlen (leak);

  for (char *const *m = policy->must_block; *m; m++)
    if (strlen (*m) == n && strncmp (*m, leak, n) == 0)
      return 0;
  if ((n == strlen (CONFINE_SECCOMP_MKNOD_DEV) && strncmp (leak, CONFINE_SECCOMP_MKNOD_DEV, n) == 0)
      || (n == strlen (CONFINE_SECCOMP_MKNODAT_DEV)
          && strncmp (leak, CONFINE_SECCOMP_MKNODAT_DEV, n) == 0))
    return 2;
  if (n > strlen (CONFINE_SECCOMP_SETID_MODE)
      && strncmp (leak + n - strlen (CONFINE_SECCOMP_SETID_MODE), CONFINE_SECCOMP_SETID_MODE,
                  strlen (CONFINE_SECCOMP_SETID_MODE))
             == 0)
    return GROUP_SETID;
  for (const confine_setid_denied_t *d = confine_seccomp_setid_denied; d->name; d++)
    if (strlen (d->name) == n && strncmp (d->name, leak, n) == 0)
      return GROUP_SETID;
  return 1;
}

int
confine_rule_seccomp (const confine_context_t *ctx, const confine_subject_t *subject,
                      confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = subject->spec;
  __attribute__ ((cleanup (confine_seccomp_memo_clear))) confine_seccomp_memo_t local = { 0 };
  const confine_seccomp_memo_t *v = NULL;
  cleanup_free char *list = NULL;
  cleanup_free char *bind = NULL;
  cleanup_strv char **counted = NULL;
  size_t len = 0, n = 0, kept = 0;
  unsigned present = 0;
  char *const *leaks;
  FILE *f;

  if (confine_seccomp_is_empty (spec->seccomp))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.seccomp",
                          "no seccomp filter (linux.seccomp is absent or empty)");
      return 0;
    }
  if (verdict (ctx, subject, &local, &v, err) < 0)
    return -1;
  if (!v->built)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.seccomp",
                          "the filter cannot be built as runc would: %s", v->build_err->msg);
      return 0;
    }
  /* Setuid and setgid modes count only for a container that may make
   * files host users reach (confine_mounts_setid_bind, by
   * seccomp.setid_scope): asked only when the filter lets one through. */
  for (char *const *l = v->leaks; *l; l++)
    if (leak_group (ctx->policy, *l) == GROUP_SETID && bind == NULL
        && confine_mounts_setid_bind (ctx, spec, &bind, err) < 0)
      return -1;
  counted = confine_xcalloc (confine_strv_len (v->leaks) + 1, sizeof (char *));
  for (char *const *l = v->leaks; *l; l++)
    if (bind || leak_group (ctx->policy, *l) != GROUP_SETID)
      counted[kept++] = confine_xstrdup (*l);
  leaks = counted;
  if (leaks[0] == NULL)
    {
      for (char **m = ctx->policy->must_block; *m; m++)
        n++;
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "the filter (%zu BPF instructions) blocks all %zu must_block "
                          "syscalls",
                          v->insns, n);
      return 0;
    }
  /* Each leak under the key that governs it, so the operator is pointed
   * at the setting that really decides: a must_block syscall, clone3 and
   * namespace-creating clone (seccomp.block_namespace_clone), device-node
   * mknod (seccomp.block_device_nodes), setuid and setgid modes
   * (seccomp.block_setid_files). */
  if ((f = open_memstream (&list, &len)) == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (unsigned group = 0; group < GROUPS; group++)
    {
      size_t k = 0;
      for (char *const *l = leaks; *l; l++)
        if (leak_group (ctx->policy, *l) == group)
          fprintf (f, "%s%s", k++ ? ", " : n ? " and " : "", *l);
      if (k)
        present |= 1u << group;
      n += k;
    }
  if (present & (1u << GROUP_SETID))
    fprintf (f, ", while %s: a setuid or setgid program the container makes where a host "
             "user reaches it (by its mode, or setgid by an access ACL) runs with its owner's "
             "rights on the host",
             bind);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe seccomp result");
  confine_free_strv (r->names);
  r->names = confine_strv_copy ((const char *const *) leaks);
  confine_result_set (r, CONFINE_RESULT_FAIL, key_sets[present], "filter allows %s", list);
  return 0;
}

/* Append the names of DENIED that LIST holds and SKIP does not to F. */
static size_t
print_in (FILE *f, char *const *denied, const char *const *list, const char *const *skip)
{
  size_t k = 0;
  for (; *denied; denied++)
    if (confine_strv_has ((char *const *) list, *denied)
        && (skip == NULL || !confine_strv_has ((char *const *) skip, *denied)))
      fprintf (f, "%s%s", k++ ? ", " : "", *denied);
  return k;
}

int
confine_rule_seccomp_needs (const confine_context_t *ctx, const confine_subject_t *subject,
                            confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = subject->spec;
  const char *const *runc = spec->process.no_new_privileges ? runc_needs_nnp : runc_needs;
  __attribute__ ((cleanup (confine_seccomp_memo_clear))) confine_seccomp_memo_t local = { 0 };
  const confine_seccomp_memo_t *v = NULL;
  cleanup_free char *fact = NULL;
  size_t len = 0, n_runc, n_prog;
  char *const *denied;
  FILE *f;

  if (confine_seccomp_is_empty (spec->seccomp))
    {
      confine_result_set (r, CONFINE_RESULT_SKIP, NULL, "no seccomp filter");
      return 0;
    }
  if (verdict (ctx, subject, &local, &v, err) < 0)
    return -1;
  denied = v->denied;
  if (!v->built)
    {
      confine_result_set (r, CONFINE_RESULT_SKIP, NULL,
                          "the filter cannot be built (see the seccomp rule)");
      return 0;
    }
  if ((f = open_memstream (&fact, &len)) == NULL)
    return confine_make_error (err, errno, "open_memstream");
  fputs ("the filter denies syscalls runc 1.1 makes after loading it", f);
  fputs (spec->process.no_new_privileges ? " (just before exec, with noNewPrivileges): "
                                         : " (before it drops privileges and execs): ",
         f);
  n_runc = print_in (f, denied, runc, NULL);
  fputs (n_runc ? ", which can stop the container from starting" : "none", f);
  fputs ("; and syscalls nearly every program makes as it starts: ", f);
  n_prog = print_in (f, denied, programs_need, runc);
  if (n_prog == 0)
    fputs ("none", f);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe seccomp result");
  if (n_runc + n_prog == 0)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "the filter allows what runc 1.1 and ordinary programs need to "
                          "start");
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_FAIL, "rules.seccomp_needs", "%s", fact);
  return 0;
}

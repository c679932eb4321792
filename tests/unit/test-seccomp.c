/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp rule, judged on the BPF libseccomp builds. Data-driven in
 * libseccomp's manner: a filter, then the expected verdict per syscall. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <string.h>

#include "harness.h"
#include "../../oci/spec.h"
#include "../../src/policy.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

static confine_spec_t *
load (const char *text, size_t len)
{
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = NULL;
  if (confine_spec_parse (text, len, &spec, NULL, &err) < 0)
    {
      printf ("FAIL parse: %s\n", err->msg);
      exit (1);
    }
  return spec;
}

static void
compile (const confine_spec_t *spec, confine_bpf_t *prog)
{
  cleanup_error confine_error_t err = NULL;
  if (confine_seccomp_compile (spec->seccomp, prog, &err) < 0)
    {
      printf ("FAIL compile: %s\n", err->msg);
      exit (1);
    }
}

static unsigned
classes (const confine_bpf_t *prog, uint32_t scmp_arch, uint32_t audit, const char *name)
{
  cleanup_error confine_error_t err = NULL;
  unsigned c = 0;
  int nr = seccomp_syscall_resolve_name_arch (scmp_arch, name);
  if (nr < 0 || confine_bpf_reachable (prog, audit, (uint32_t) nr, &c, &err) < 0)
    return 0xdead;
  return c;
}

#define X64(p, n) classes ((p), SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, (n))

static char *
leaks (const confine_bpf_t *prog, const char *const *names)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_strv char **out = NULL;
  char *joined = NULL;
  size_t len = 0;
  FILE *f;
  if (confine_seccomp_unblocked (prog, (char *const *) names, false, false, false, &out, &err) < 0)
    return strdup (err->msg);
  f = open_memstream (&joined, &len);
  for (char **l = out; *l; l++)
    fprintf (f, "%s%s", l == out ? "" : ",", *l);
  fclose (f);
  return joined;
}

/* The leaks among NAMES of the filter runc builds from SECCOMP, an OCI
 * linux.seccomp section. */
static char *
section_leaks (const char *seccomp, const char *const *names)
{
  char *text = NULL, *l;
  confine_spec_t *spec;
  cleanup_bpf confine_bpf_t prog = { 0 };
  if (asprintf (&text, "{\"linux\":{\"seccomp\":%s}}", seccomp) < 0)
    abort ();
  spec = load (text, strlen (text));
  compile (spec, &prog);
  l = leaks (&prog, names);
  confine_spec_free (spec);
  free (text);
  return l;
}

static const char *const must_block[]
    = { "add_key", "bpf", "delete_module", "finit_module", "init_module", "kexec_file_load",
        "kexec_load", "keyctl", "mount", "move_mount", "open_tree", "fsopen", "fsmount",
        "fsconfig", "fspick", "open_by_handle_at", "perf_event_open", "pivot_root", "reboot",
        "request_key", "setns", "swapon", "swapoff", "umount2", "unshare", "userfaultfd", "iopl",
        "ioperm", "acct", "settimeofday", "clock_settime", "uselib", "nfsservctl", "mount_setattr",
        "umount", NULL };

static void
docker_default (void)
{
  size_t len;
  char *buf = harness_read ("tests/fixtures/docker/default.json", &len);
  confine_spec_t *spec = load (buf, len);
  cleanup_bpf confine_bpf_t prog = { 0 };
  char *l;

  compile (spec, &prog);
  CHECK (X64 (&prog, "mount") == CONFINE_BPF_ERRNO, "Docker default: mount gets ERRNO",
         "classes=%#x", X64 (&prog, "mount"));
  CHECK (X64 (&prog, "read") == CONFINE_BPF_ALLOW, "Docker default: read is allowed", "classes=%#x",
         X64 (&prog, "read"));
  CHECK (X64 (&prog, "clone") == (CONFINE_BPF_ALLOW | CONFINE_BPF_ERRNO),
         "Docker default: clone's flag test follows both branches", "classes=%#x",
         X64 (&prog, "clone"));
  CHECK (classes (&prog, SCMP_ARCH_X32, AUDIT_ARCH_X86_64, "mount") == CONFINE_BPF_ERRNO,
         "Docker default: x32 mount (bit 30 under AUDIT_ARCH_X86_64) is blocked", "classes=%#x",
         classes (&prog, SCMP_ARCH_X32, AUDIT_ARCH_X86_64, "mount"));
  CHECK (classes (&prog, SCMP_ARCH_X86, AUDIT_ARCH_I386, "mount") == CONFINE_BPF_ERRNO,
         "Docker default: i386 mount is blocked", "got %#x",
         classes (&prog, SCMP_ARCH_X86, AUDIT_ARCH_I386, "mount"));
  CHECK (classes (&prog, SCMP_ARCH_ARM, AUDIT_ARCH_ARM, "read") == CONFINE_BPF_KILL,
         "Docker default: an architecture the filter does not admit is killed", "got %#x",
         classes (&prog, SCMP_ARCH_ARM, AUDIT_ARCH_ARM, "read"));
  l = leaks (&prog, must_block);
  CHECK (l && l[0] == '\0', "Docker's default profile blocks every must_block syscall",
         "leaks: %s", l);
  free (l);
  confine_spec_free (spec);
  free (buf);
}

static void
fixture_leaks (const char *fixture, const char *expect, const char *name)
{
  char rel[128];
  size_t len;
  char *buf, *l;
  confine_spec_t *spec;
  cleanup_bpf confine_bpf_t prog = { 0 };

  snprintf (rel, sizeof (rel), "tests/fixtures/docker/%s.json", fixture);
  buf = harness_read (rel, &len);
  spec = load (buf, len);
  compile (spec, &prog);
  l = leaks (&prog, must_block);
  CHECK (l && strcmp (l, expect) == 0, name, "leaks: %s", l);
  free (l);
  confine_spec_free (spec);
  free (buf);
}

/* One spec per case: a small filter and the verdict on some syscalls. */
static void
crafted (void)
{
  static const struct
  {
    const char *name;
    const char *seccomp;
    const char *expect_leaks; /* among mount,keyctl,unshare */
  } cases[] = {
    { "allow-by-default denying only mount and keyctl leaks unshare",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mount\",\"keyctl\"],"
      "\"action\":\"SCMP_ACT_ERRNO\"}]}",
      "unshare (x86_64)" },
    { "a rule that allows mount only for one argument value still leaks mount",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],"
      "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":2,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
      "mount (x86_64)" },
    { "an allow rule on an argument value above 2^63 compiles and leaks",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"keyctl\"],"
      "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":18446744073709551615,"
      "\"op\":\"SCMP_CMP_EQ\"}]}]}",
      "keyctl (x86_64)" },
    { "SCMP_ACT_TRACE does not block",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"unshare\"],"
      "\"action\":\"SCMP_ACT_TRACE\"}]}",
      "unshare (x86_64)" },
    { "SCMP_ACT_NOTIFY does not block",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"listenerPath\":\"/run/x.sock\",\"syscalls\":[{"
      "\"names\":[\"mount\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
      "mount (x86_64)" },
    { "SCMP_ACT_LOG does not block",
      "{\"defaultAction\":\"SCMP_ACT_LOG\"}", "mount (x86_64),keyctl (x86_64),unshare (x86_64)" },
    { "listing x86 and x32 extends the leak to every ABI",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"mount\",\"keyctl\"],"
      "\"action\":\"SCMP_ACT_ERRNO\"}]}",
      "unshare" },
    { "KILL_PROCESS, TRAP and ERRNO all block",
      "{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[{\"names\":[\"mount\"],"
      "\"action\":\"SCMP_ACT_TRAP\"},{\"names\":[\"keyctl\"],\"action\":\"SCMP_ACT_ERRNO\","
      "\"errnoRet\":38}]}",
      "" },
    { "repeated argument indexes become OR'd rules, as in runc",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"unshare\"],"
      "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
      "{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}",
      "unshare (x86_64)" },
    { "a MASKED_EQ condition is followed both ways",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"unshare\"],"
      "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,"
      "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
      "unshare (x86_64)" },
    { "unknown syscall names are skipped as runc does",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"no_such_call\"],"
      "\"action\":\"SCMP_ACT_ALLOW\"}]}",
      "" },
  };
  static const char *const probe[] = { "mount", "keyctl", "unshare", NULL };

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      char *l = section_leaks (cases[i].seccomp, probe);
      CHECK (l && strcmp (l, cases[i].expect_leaks) == 0, cases[i].name, "leaks: %s", l);
      free (l);
    }
}

static void
rejected (void)
{
  static const struct
  {
    const char *name, *seccomp, *needle;
  } cases[] = {
    { "an unknown action is rejected as by runc",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW_ALL\"}", "unknown seccomp action" },
    { "NOTIFY as the default action is rejected",
      "{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "cannot be the default" },
    { "an unknown architecture is rejected",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
      "unknown seccomp architecture" },
    { "an argument index above 5 is rejected",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],\"action\":"
      "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
      "out of range" },
    { "an unknown operator is rejected",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],\"action\":"
      "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_LIKE\"}]}]}",
      "unknown seccomp operator" },
    { "an unknown flag is rejected",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_MAGIC\"]}",
      "unknown seccomp flag" },
  };
  /* More rules than the bound, refused before libseccomp spends seconds
   * on them. */
  {
    cleanup_error confine_error_t err = NULL;
    cleanup_bpf confine_bpf_t prog = { 0 };
    char *text = NULL, *rules = NULL;
    size_t len = 0;
    FILE *f = open_memstream (&rules, &len);
    confine_spec_t *spec;
    for (int i = 0; i < 10001; i++)
      fprintf (f, "%s{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
                  "\"value\":%d,\"op\":\"SCMP_CMP_EQ\"}]}", i ? "," : "", i);
    fclose (f);
    if (asprintf (&text, "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[%s]}}}",
                  rules) < 0)
      abort ();
    spec = load (text, strlen (text));
    CHECK (confine_seccomp_compile (spec->seccomp, &prog, &err) < 0
               && strstr (err->msg, "more than the 10000"),
           "a section with more than 10000 rules is refused before it is built",
           "%s", err ? err->msg : "accepted");
    confine_spec_free (spec);
    free (text);
    free (rules);
  }
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_bpf confine_bpf_t prog = { 0 };
      char *text = NULL;
      confine_spec_t *spec;
      int r;
      if (asprintf (&text, "{\"linux\":{\"seccomp\":%s}}", cases[i].seccomp) < 0)
        abort ();
      spec = load (text, strlen (text));
      r = confine_seccomp_compile (spec->seccomp, &prog, &err);
      CHECK (r < 0 && strstr (err->msg, cases[i].needle), cases[i].name, "r=%d msg=%s", r,
             err ? err->msg : "");
      confine_spec_free (spec);
      free (text);
    }
}

/* Hand-written programs: what libseccomp would never emit, but the
 * evaluator must still get right. */
static void
raw_bpf (void)
{
  cleanup_error confine_error_t err = NULL;
  /* No architecture check: i386's mount (21) is not x86_64's (165). */
  struct sock_filter no_arch[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 0),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 165, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ERRNO (1)),
    BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ALLOW),
  };
  struct sock_filter ret_a[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 16),
    BPF_STMT (BPF_RET | BPF_A, 0),
  };
  struct sock_filter bad_jump[] = {
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 1, 5, 0),
    BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ALLOW),
  };
  struct sock_filter bad_load[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 64),
    BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ALLOW),
  };
  static const char *const mount_only[] = { "mount", NULL };
  confine_bpf_t p1 = { no_arch, 4 }, p2 = { ret_a, 2 }, p3 = { bad_jump, 2 }, p4 = { bad_load, 2 };
  char *l = leaks (&p1, mount_only);
  unsigned c = 0;

  CHECK (l && strcmp (l, "mount (x32,x86)") == 0,
         "a filter without an arch check leaks mount on x32 and x86", "leaks: %s", l);
  free (l);
  CHECK (confine_bpf_reachable (&p2, AUDIT_ARCH_X86_64, 0, &c, &err) == 0
             && c == CONFINE_BPF_RET_UNKNOWN,
         "returning an argument-derived A is not blocking", "classes %#x", c);
  CHECK (confine_bpf_validate (&p3, &err) < 0, "a jump out of the program is rejected", "accepted");
  CHECK (confine_bpf_validate (&p4, &err) < 0, "a load past seccomp_data is rejected", "accepted");
}

/* clone creates namespaces as unshare does; clone3 hides its flags. */
static void
namespace_clone (void)
{
  static const char *const none[] = { NULL };
  static const struct
  {
    const char *fixture, *expect, *name;
  } cases[] = {
    { "default", "", "Docker's default blocks clone with namespace flags and clone3" },
    { "cap-add-sys-admin", "clone3,clone with CLONE_NEW* flags",
      "with CAP_SYS_ADMIN Docker's profile lets clone3 and namespace clones through" },
    { "weak-seccomp", "clone3,clone with CLONE_NEW* flags",
      "an allow-by-default profile lets namespace clones through" },
    { "restrictive-seccomp", "", "the seed's restrictive profile allows no clone at all" },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_bpf confine_bpf_t prog = { 0 };
      cleanup_strv char **out = NULL;
      char *joined = NULL;
      size_t len = 0;
      FILE *f;
      confine_spec_t *spec = harness_docker_fixture (cases[i].fixture);
      compile (spec, &prog);
      if (confine_seccomp_unblocked (&prog, (char *const *) none, true, false, false, &out, &err) < 0)
        abort ();
      f = open_memstream (&joined, &len);
      for (char **l = out; *l; l++)
        fprintf (f, "%s%s", l == out ? "" : ",", *l);
      fclose (f);
      CHECK (strcmp (joined, cases[i].expect) == 0, cases[i].name, "got `%s`", joined);
      free (joined);
      confine_spec_free (spec);
    }

  /* A known argument takes one branch: Docker's clone rule allows flags
   * 0 and refuses CLONE_NEWUSER. */
  {
    confine_spec_t *spec = harness_docker_fixture ("default");
    cleanup_bpf confine_bpf_t prog = { 0 };
    cleanup_error confine_error_t err = NULL;
    confine_bpf_args_t args = { { 0 }, { 0 } };
    unsigned plain = 0, newuser = 0;
    int nr = seccomp_syscall_resolve_name_arch (SCMP_ARCH_X86_64, "clone");
    compile (spec, &prog);
    args.clear[0] = ~0ull;
    confine_bpf_reachable_args (&prog, AUDIT_ARCH_X86_64, (uint32_t) nr, &args, &plain, &err);
    args.set[0] = 0x10000000;
    args.clear[0] = ~0x10000000ull;
    confine_bpf_reachable_args (&prog, AUDIT_ARCH_X86_64, (uint32_t) nr, &args, &newuser, &err);
    CHECK (plain == CONFINE_BPF_ALLOW && newuser == CONFINE_BPF_ERRNO,
           "a fixed argument is followed down one branch only", "plain %#x newuser %#x", plain,
           newuser);
    confine_spec_free (spec);
  }
}

/* seccomp.block_device_nodes: mknod and mknodat with a mode whose file
 * type is S_IFCHR or S_IFBLK must be blocked on every ABI, judged on the
 * BPF; other file types may pass. */
#define ARCHES "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]"
#define MODE_RULE(name, index, type)                                                           \
  "{\"names\":[\"" name "\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":" #index        \
  ",\"value\":61440,\"valueTwo\":" #type ",\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"

/* What PROG lets through under seccomp.block_device_nodes (DEVICE) or
 * seccomp.block_setid_files (SETID) alone, comma-separated. */
static char *
keyed_leaks (const confine_bpf_t *prog, bool device, bool setid)
{
  static const char *const none[] = { NULL };
  cleanup_error confine_error_t err = NULL;
  cleanup_strv char **out = NULL;
  char *joined = NULL;
  size_t len = 0;
  FILE *f;
  if (confine_seccomp_unblocked (prog, (char *const *) none, false, device, setid, &out, &err) < 0)
    return strdup (err->msg);
  f = open_memstream (&joined, &len);
  for (char **l = out; *l; l++)
    fprintf (f, "%s%s", l == out ? "" : ",", *l);
  fclose (f);
  return joined;
}

typedef struct
{
  const char *name, *seccomp, *expect;
} leak_case_t;

/* Each case's section (ARCHES and rules) compiled and judged. */
static void
leak_cases (const leak_case_t *cases, size_t n, bool device, bool setid)
{
  for (size_t i = 0; i < n; i++)
    {
      char *text = NULL, *l;
      confine_spec_t *spec;
      cleanup_bpf confine_bpf_t prog = { 0 };
      if (asprintf (&text, "{\"linux\":{\"seccomp\":%s}}", cases[i].seccomp) < 0)
        abort ();
      spec = load (text, strlen (text));
      compile (spec, &prog);
      l = keyed_leaks (&prog, device, setid);
      CHECK (l && strcmp (l, cases[i].expect) == 0, cases[i].name, "got `%s`", l);
      free (l);
      confine_spec_free (spec);
      free (text);
    }
}

/* Docker's stock filter (its fixture): a check NAME that it lets EXPECT
 * through. */
static void
docker_leaks (bool device, bool setid, const char *expect, const char *name)
{
  confine_spec_t *spec = harness_docker_fixture ("default");
  cleanup_bpf confine_bpf_t prog = { 0 };
  char *l;
  compile (spec, &prog);
  l = keyed_leaks (&prog, device, setid);
  CHECK (l && strcmp (l, expect) == 0, name, "got `%s`", l);
  free (l);
  confine_spec_free (spec);
}

static void
device_nodes (void)
{
  static const leak_case_t cases[] = {
    { "Docker's filter form without the mknod rule allows no mknod",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES
      ",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "" },
    { "an unconditional allow lets device nodes through on every ABI",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES
      ",\"syscalls\":[{\"names\":[\"mknod\",\"mknodat\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
      "mknod of a device node,mknodat of a device node" },
    { "mknod allowed only for S_IFREG passes",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MODE_RULE ("mknod", 1, 32768) "," MODE_RULE ("mknodat", 2, 32768) "]}", "" },
    { "the shim's repair, types 0, S_IFREG, S_IFIFO and S_IFSOCK, passes",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MODE_RULE ("mknod", 1, 0) "," MODE_RULE ("mknod", 1, 32768) ","
      MODE_RULE ("mknod", 1, 4096) "," MODE_RULE ("mknod", 1, 49152) ","
      MODE_RULE ("mknodat", 2, 0) "," MODE_RULE ("mknodat", 2, 32768) ","
      MODE_RULE ("mknodat", 2, 4096) "," MODE_RULE ("mknodat", 2, 49152) "]}", "" },
    { "mknod allowed for S_IFCHR is refused",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MODE_RULE ("mknod", 1, 8192) "," MODE_RULE ("mknodat", 2, 32768) "]}",
      "mknod of a device node" },
    { "mknodat allowed for S_IFBLK is refused",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MODE_RULE ("mknodat", 2, 24576) "]}", "mknodat of a device node" },
    { "a mask on the wrong argument (mknodat's dirfd) leaves the mode free",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MODE_RULE ("mknodat", 1, 32768) "]}", "mknodat of a device node" },
    { "denying one exact device mode (S_IFCHR|0666) leaves the others through",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"," ARCHES ",\"syscalls\":[{\"names\":[\"mknod\","
      "\"mknodat\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":8630,"
      "\"op\":\"SCMP_CMP_EQ\"}]}]}",
      "mknod of a device node,mknodat of a device node" },
    { "denying S_IFCHR and S_IFBLK by mask where the default allows passes",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"," ARCHES ",\"syscalls\":["
      "{\"names\":[\"mknod\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":61440,"
      "\"valueTwo\":8192,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
      "{\"names\":[\"mknod\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":61440,"
      "\"valueTwo\":24576,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
      "{\"names\":[\"mknodat\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":2,\"value\":61440,"
      "\"valueTwo\":8192,\"op\":\"SCMP_CMP_MASKED_EQ\"}]},"
      "{\"names\":[\"mknodat\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":2,\"value\":61440,"
      "\"valueTwo\":24576,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}", "" },
  };
  leak_cases (cases, sizeof (cases) / sizeof (cases[0]), true, false);
  /* Docker's stock profile allows mknod of every type. */
  docker_leaks (true, false, "mknod of a device node,mknodat of a device node",
                "Docker's default filter lets device-node mknod through");

  /* Each ABI on its own: a program that denies mknod and mknodat for
   * x86_64 numbers and allows everything else (x32 numbers, i386). */
  {
    struct sock_filter x86_64_only[] = {
      BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 4),
      BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
      BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 0),
      BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 133 /* mknod */, 1, 0),
      BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, 259 /* mknodat */, 0, 1),
      BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ERRNO (EPERM)),
      BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ALLOW),
    };
    confine_bpf_t prog = { x86_64_only, sizeof (x86_64_only) / sizeof (x86_64_only[0]) };
    char *l = keyed_leaks (&prog, true, false);
    CHECK (l && strcmp (l, "mknod of a device node (x32,x86),mknodat of a device node (x32,x86)")
                    == 0,
           "a filter that denies mknod only for x86_64 numbers leaks on x32 and i386", "got `%s`",
           l);
    free (l);
  }
}

/* seccomp.block_setid_files: chmod, fchmod, fchmodat, fchmodat2, open,
 * openat, creat with S_ISUID or S_ISGID in the mode, mknod and mknodat
 * of a regular file with either, openat2, io_uring and setxattr (with
 * setxattrat by number) at all, blocked on every ABI, judged on the BPF. */
#define MASKED(name, index, mask, value, action)                                               \
  "{\"names\":[\"" name "\"],\"action\":\"" action "\",\"args\":[{\"index\":" #index         \
  ",\"value\":" #mask ",\"valueTwo\":" #value ",\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"
/* The setxattr calls libseccomp 2.5.4 names; setxattrat (463) it does
 * not, so runc skips the name and a filter whose default allows lets it
 * through: judged by number, it leaks on every ABI. */
#define SETXATTRS "\"setxattr\",\"lsetxattr\",\"fsetxattr\",\"setxattrat\""
#define SETXATTRAT_LEAK "setxattrat"
/* The calls the shim's repair leaves allowed, each only without 06000. */
#define SETID_SAFE                                                                             \
  MASKED ("chmod", 1, 3072, 0, "SCMP_ACT_ALLOW") "," MASKED ("fchmod", 1, 3072, 0,             \
                                                            "SCMP_ACT_ALLOW") ","               \
  MASKED ("fchmodat", 2, 3072, 0, "SCMP_ACT_ALLOW") "," MASKED ("creat", 1, 3072, 0,           \
                                                                "SCMP_ACT_ALLOW") ","           \
  MASKED ("open", 2, 3072, 0, "SCMP_ACT_ALLOW") "," MASKED ("openat", 3, 3072, 0,              \
                                                            "SCMP_ACT_ALLOW")

static void
setid_files (void)
{
  static const leak_case_t cases[] = {
    { "a filter that names none of them lets none through",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES
      ",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", "" },
    { "an unconditional allow of chmod is reported on every ABI",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES
      ",\"syscalls\":[{\"names\":[\"chmod\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
      "chmod with a setuid or setgid mode" },
    { "allows where (mode & 06000) == 0 pass",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":[" SETID_SAFE "]}", "" },
    { "chmod allowed where (mode & 04000) == 0 still lets S_ISGID through",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MASKED ("chmod", 1, 2048, 0, "SCMP_ACT_ALLOW") "]}", "chmod with a setuid or setgid mode" },
    { "openat's mask on its flags (argument 2) leaves the mode free",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MASKED ("openat", 2, 3072, 0, "SCMP_ACT_ALLOW") "]}", "openat with a setuid or setgid mode" },
    { "fchmodat's mask on its path (argument 1) leaves the mode free",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MASKED ("fchmodat", 1, 3072, 0, "SCMP_ACT_ALLOW") "]}",
      "fchmodat with a setuid or setgid mode" },
    { "where the default allows, denying each bit by mask passes, but for setxattrat, "
      "which such a filter cannot name",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"," ARCHES ",\"syscalls\":["
      MASKED ("chmod", 1, 2048, 2048, "SCMP_ACT_ERRNO") ","
      MASKED ("chmod", 1, 1024, 1024, "SCMP_ACT_ERRNO") "," MASKED ("fchmod", 1, 3072, 2048,
                                                                   "SCMP_ACT_ERRNO") ","
      MASKED ("fchmod", 1, 3072, 1024, "SCMP_ACT_ERRNO") "," MASKED ("fchmod", 1, 3072, 3072,
                                                                    "SCMP_ACT_ERRNO") ","
      "{\"names\":[\"fchmodat\",\"fchmodat2\",\"creat\",\"open\",\"openat\",\"mknod\","
      "\"mknodat\",\"openat2\",\"io_uring_setup\",\"io_uring_enter\",\"io_uring_register\","
      SETXATTRS "],\"action\":\"SCMP_ACT_ERRNO\"}]}", SETXATTRAT_LEAK },
    { "denying fchmod only for 04000 and 02000 exactly (SCMP_CMP_EQ) leaves 04755 through",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"," ARCHES ",\"syscalls\":[{\"names\":[\"chmod\","
      "\"fchmodat\",\"fchmodat2\",\"creat\",\"open\",\"openat\",\"mknod\",\"mknodat\","
      "\"openat2\",\"io_uring_setup\",\"io_uring_enter\",\"io_uring_register\"," SETXATTRS
      "],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"fchmod\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":["
      "{\"index\":1,\"value\":2048,\"op\":\"SCMP_CMP_EQ\"}]},{\"names\":[\"fchmod\"],"
      "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,\"value\":1024,\"op\":"
      "\"SCMP_CMP_EQ\"}]}]}", "fchmod with a setuid or setgid mode," SETXATTRAT_LEAK },
    { "mknod of a regular file judged by S_IFMT alone lets 04755 through",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MODE_RULE ("mknod", 1, 32768) "," MODE_RULE ("mknodat", 2, 0) "]}",
      "mknod with a setuid or setgid mode,mknodat with a setuid or setgid mode" },
    { "mknod of regular files without 06000, and of FIFOs by S_IFMT alone, passes",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MASKED ("mknod", 1, 64512, 32768, "SCMP_ACT_ALLOW") ","
      MASKED ("mknod", 1, 64512, 0, "SCMP_ACT_ALLOW") "," MODE_RULE ("mknod", 1, 4096) ","
      MASKED ("mknodat", 2, 64512, 0, "SCMP_ACT_ALLOW") "," MODE_RULE ("mknodat", 2, 4096) "]}",
      "" },
    { "openat2 and io_uring allowed at all are reported",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":[{\"names\":[\"openat2\","
      "\"io_uring_setup\",\"io_uring_enter\",\"io_uring_register\"],\"action\":"
      "\"SCMP_ACT_ALLOW\"}]}", "openat2,io_uring_setup,io_uring_enter,io_uring_register" },
    { "openat2 denied with ENOSYS passes (setxattrat aside)",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\"," ARCHES ",\"syscalls\":[{\"names\":[\"chmod\","
      "\"fchmod\",\"fchmodat\",\"fchmodat2\",\"creat\",\"open\",\"openat\",\"mknod\","
      "\"mknodat\",\"io_uring_setup\",\"io_uring_enter\",\"io_uring_register\"," SETXATTRS
      "],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"openat2\"],\"action\":\"SCMP_ACT_ERRNO\","
      "\"errnoRet\":38}]}", SETXATTRAT_LEAK },
    { "setxattr, lsetxattr, fsetxattr allowed at all are reported",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":[" SETID_SAFE
      ",{\"names\":[\"setxattr\",\"lsetxattr\",\"fsetxattr\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
      "setxattr,lsetxattr,fsetxattr" },
    { "setxattr allowed only for a size (argument 3) is still reported: no filter reads the "
      "name or the value",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":["
      MASKED ("setxattr", 3, 4294967295, 28, "SCMP_ACT_ALLOW") "]}", "setxattr" },
    { "setxattr and its kin denied with EOPNOTSUPP, the default denying, pass",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHES ",\"syscalls\":[" SETID_SAFE
      ",{\"names\":[\"setxattr\",\"lsetxattr\",\"fsetxattr\",\"setxattrat\"],\"action\":"
      "\"SCMP_ACT_ERRNO\",\"errnoRet\":95}]}", "" },
  };
  leak_cases (cases, sizeof (cases) / sizeof (cases[0]), false, true);
  /* Docker's stock profile allows every one of them but fchmodat2. */
  docker_leaks (false, true,
                "chmod with a setuid or setgid mode,fchmod with a setuid or setgid mode,fchmodat "
                "with a setuid or setgid mode,creat with a setuid or setgid mode,open with a setuid "
                "or setgid mode,openat with a setuid or setgid mode,mknod with a setuid or setgid "
                "mode,mknodat with a setuid or setgid mode,openat2,io_uring_setup,io_uring_enter,"
                "io_uring_register,setxattr,lsetxattr,fsetxattr",
                "Docker's default filter lets setuid modes, openat2, io_uring and setxattr "
                "through");

  /* Each ABI on its own, by number: a program that allows one number on
   * one ABI and denies everything else. i386's chmod is 15, x86_64's 90;
   * fchmodat2 is 452 everywhere (x32's with bit 30), judged by that
   * number even where libseccomp does not know the name. */
  {
    static const struct
    {
      const char *name, *expect;
      uint32_t arch, nr;
    } abis[] = {
      { "chmod allowed for i386 numbers only leaks on x86", "chmod with a setuid or setgid mode (x86)",
        AUDIT_ARCH_I386, 15 },
      { "fchmodat2 (452) allowed for i386 only leaks on x86",
        "fchmodat2 with a setuid or setgid mode (x86)", AUDIT_ARCH_I386, 452 },
      { "fchmodat2 allowed for x32 numbers (0x400001c4) only leaks on x32",
        "fchmodat2 with a setuid or setgid mode (x32)", AUDIT_ARCH_X86_64, 0x40000000u | 452 },
      { "fchmodat2 allowed for x86_64 only leaks on x86_64",
        "fchmodat2 with a setuid or setgid mode (x86_64)", AUDIT_ARCH_X86_64, 452 },
      { "setxattrat (463, a name libseccomp 2.5.4 lacks) allowed for x86_64 only leaks there",
        "setxattrat (x86_64)", AUDIT_ARCH_X86_64, 463 },
      { "setxattrat allowed for i386 only leaks on x86", "setxattrat (x86)", AUDIT_ARCH_I386, 463 },
      { "setxattrat allowed for x32 numbers (0x400001cf) only leaks on x32", "setxattrat (x32)",
        AUDIT_ARCH_X86_64, 0x40000000u | 463 },
    };
    for (size_t i = 0; i < sizeof (abis) / sizeof (abis[0]); i++)
      {
        struct sock_filter one[] = {
          BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 4),
          BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, abis[i].arch, 0, 3),
          BPF_STMT (BPF_LD | BPF_W | BPF_ABS, 0),
          BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, abis[i].nr, 0, 1),
          BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ALLOW),
          BPF_STMT (BPF_RET | BPF_K, SCMP_ACT_ERRNO (EPERM)),
        };
        confine_bpf_t prog = { one, sizeof (one) / sizeof (one[0]) };
        char *l = keyed_leaks (&prog, false, true);
        CHECK (l && strcmp (l, abis[i].expect) == 0, abis[i].name, "got `%s`", l);
        free (l);
      }
  }
}

/* A must_block name is required blocked on the ABIs where it exists:
 * i386's old umount (22) has no x86_64 or x32 counterpart. */
static void
per_abi_names (void)
{
  static const struct
  {
    const char *name, *seccomp, *must_block, *expect;
  } cases[] = {
    { "umount, an i386-only syscall, leaks on i386 when the filter admits i386 and allows it",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"umount2\"],"
      "\"action\":\"SCMP_ACT_ERRNO\"}]}",
      "umount", "umount (x86)" },
    { "umount is blocked when the filter denies it on i386",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":[{\"names\":[\"umount2\",\"umount\"],"
      "\"action\":\"SCMP_ACT_ERRNO\"}]}",
      "umount", "" },
    { "umount is blocked by a filter that does not admit i386 at all",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"umount2\"],"
      "\"action\":\"SCMP_ACT_ERRNO\"}]}",
      "umount", "" },
    { "mount_setattr is required blocked on every ABI",
      "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
      "\"SCMP_ARCH_X86\"],\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
      "mount_setattr", "mount_setattr (x86_64,x86)" },
    { "a name that exists on no ABI of the host is a typo, not a pass",
      "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}", "umountt",
      "`umountt` in seccomp.must_block is not a syscall known to libseccomp on this host" },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      const char *const names[] = { cases[i].must_block, NULL };
      char *l = section_leaks (cases[i].seccomp, names);
      CHECK (l && strcmp (l, cases[i].expect) == 0, cases[i].name, "leaks: %s", l);
      free (l);
    }
}

/* The default must_block (one list: tests/unit/test-policy.c, docs.sh)
 * has the syscalls found missing once. */
static void
default_must_block (void)
{
  confine_policy_t *builtin = harness_policy ("{}");
  CHECK (confine_strv_has (builtin->must_block, "mount_setattr")
             && confine_strv_has (builtin->must_block, "umount"),
         "mount_setattr and i386's umount are in the default must_block", "missing");
  confine_policy_free (builtin);
}

void
run_tests (void)
{
  default_must_block ();
  per_abi_names ();
  docker_default ();
  fixture_leaks ("cap-add-sys-admin",
                 "bpf,mount,move_mount,open_tree,fsopen,fsmount,fsconfig,fspick,perf_event_open,"
                 "setns,umount2,unshare,mount_setattr,umount (x86)",
                 "Docker's profile with CAP_SYS_ADMIN lets mount, unshare, setns and more through");
  fixture_leaks ("weak-seccomp",
                 "bpf,delete_module,finit_module,init_module,kexec_file_load (x86_64,x32),kexec_load,"
                 "move_mount,"
                 "open_tree,fsopen,fsmount,fsconfig,fspick,open_by_handle_at,perf_event_open,"
                 "pivot_root,reboot,setns,swapon,swapoff,unshare,userfaultfd,iopl,ioperm,acct,"
                 "settimeofday,clock_settime,uselib (x86_64,x86),nfsservctl (x86_64,x86),"
                 "mount_setattr,umount (x86)",
                 "an allow-by-default profile leaks everything it does not name");
  fixture_leaks ("restrictive-seccomp", "", "the seed's restrictive profile blocks every must_block syscall");
  crafted ();
  rejected ();
  raw_bpf ();
  namespace_clone ();
  device_nodes ();
  setid_files ();
}

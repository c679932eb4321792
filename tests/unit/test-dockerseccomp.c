/* SPDX-License-Identifier: Apache-2.0 */
/* Docker seccomp profiles -> OCI linux.seccomp, as moby's setupSeccomp
 * does it: archMap, includes/excludes by caps, arches and minKernel,
 * legacy `name`, and the errors moby raises. Hosts are given explicitly,
 * so the cases do not depend on the machine running them. */
#define _GNU_SOURCE
#include <string.h>

#include "harness.h"
#include "../../oci/spec.h"
#include "../../src/dockerseccomp.h"
#include "../../src/policy.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

static const confine_dockerseccomp_host_t amd64_54 = { "amd64", "SCMP_ARCH_X86_64", 5, 4 };
static const confine_dockerseccomp_host_t amd64_44 = { "amd64", "SCMP_ARCH_X86_64", 4, 4 };
static const confine_dockerseccomp_host_t amd64_49 = { "amd64", "SCMP_ARCH_X86_64", 4, 9 };
static const confine_dockerseccomp_host_t arm64_61 = { "arm64", "SCMP_ARCH_AARCH64", 6, 1 };
static const confine_dockerseccomp_host_t unknown = { NULL, NULL, 6, 1 };

static char *default_caps[] = { "CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL };
static char *admin_caps[] = { "CAP_CHOWN", "CAP_SYS_ADMIN", NULL };

/* Convert TEXT; returns the compact OCI JSON ("" when moby gives no
 * filter) or NULL with *MSG set. */
static char *
convert (const char *text, char **caps, const confine_dockerseccomp_host_t *host, char **msg)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *in = NULL;
  cleanup_json confine_json_t *out = NULL;
  char *s = NULL;
  int r;

  *msg = NULL;
  if (confine_json_parse (text, strlen (text), &in, &err) < 0
      || (r = confine_dockerseccomp_convert (in, caps, host, &out, &err)) < 0
      || (r > 0 && confine_json_write (out, false, &s, NULL, &err) < 0))
    {
      *msg = strdup (err->msg);
      return NULL;
    }
  return r == 0 ? strdup ("") : s;
}

static void
expect (const char *name, const char *text, char **caps, const confine_dockerseccomp_host_t *host,
        const char *want)
{
  char *msg = NULL;
  char *got = convert (text, caps, host, &msg);
  CHECK (got && strcmp (got, want) == 0, name, "got %s, want %s", got ? got : msg, want);
  free (got);
  free (msg);
}

static void
expect_error (const char *name, const char *text, const char *needle)
{
  char *msg = NULL;
  char *got = convert (text, default_caps, &amd64_54, &msg);
  CHECK (got == NULL && msg && strstr (msg, needle), name, "got %s", got ? got : msg);
  free (got);
  free (msg);
}

#define ARCHMAP                                                                                    \
  "\"archMap\":[{\"architecture\":\"SCMP_ARCH_AARCH64\",\"subArchitectures\":[\"SCMP_ARCH_ARM\"]}," \
  "{\"architecture\":\"SCMP_ARCH_X86_64\",\"subArchitectures\":[\"SCMP_ARCH_X86\","             \
  "\"SCMP_ARCH_X32\"]}]"

static void
arches (void)
{
  const char *p = "{\"defaultAction\":\"SCMP_ACT_ERRNO\"," ARCHMAP "}";
  expect ("archMap expands the native arch and its subArchitectures", p, default_caps, &amd64_54,
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
          "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"]}");
  expect ("archMap on arm64 takes the arm64 entry", p, default_caps, &arm64_61,
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_AARCH64\","
          "\"SCMP_ARCH_ARM\"]}");
  expect ("archMap is ignored on an arch moby does not know", p, default_caps, &unknown,
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}");
  expect_error ("architectures and archMap together are refused",
                "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86\"]," ARCHMAP
                "}",
                "use either 'architectures' or 'archMap'");
}

#define RULE(extra) "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\"" extra "}]}"
#define KEPT "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\"}]}"
#define DROPPED "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}"

static void
filters (void)
{
  expect ("includes.caps: kept with the cap", RULE (",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}"),
          admin_caps, &amd64_54, KEPT);
  expect ("includes.caps: dropped without it", RULE (",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}"),
          default_caps, &amd64_54, DROPPED);
  expect ("includes.caps: needs all listed caps",
          RULE (",\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\",\"CAP_SYS_BOOT\"]}"), admin_caps,
          &amd64_54, DROPPED);
  expect ("includes.caps: no bounding set at all drops it",
          RULE (",\"includes\":{\"caps\":[\"CAP_CHOWN\"]}"), NULL, &amd64_54, DROPPED);
  expect ("excludes.caps: dropped when any listed cap is held",
          RULE (",\"excludes\":{\"caps\":[\"CAP_SYS_BOOT\",\"CAP_SYS_ADMIN\"]}"), admin_caps,
          &amd64_54, DROPPED);
  expect ("excludes.caps: kept without them", RULE (",\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}"),
          default_caps, &amd64_54, KEPT);
  expect ("includes.arches: dropped on another arch", RULE (",\"includes\":{\"arches\":[\"arm64\"]}"),
          default_caps, &amd64_54, DROPPED);
  expect ("includes.arches: moby's name amd64 matches x86_64",
          RULE (",\"includes\":{\"arches\":[\"amd64\",\"x32\"]}"), default_caps, &amd64_54, KEPT);
  expect ("excludes.arches: dropped on that arch", RULE (",\"excludes\":{\"arches\":[\"amd64\"]}"),
          default_caps, &amd64_54, DROPPED);
  expect ("includes.minKernel: kept on a newer kernel", RULE (",\"includes\":{\"minKernel\":\"4.8\"}"),
          default_caps, &amd64_54, KEPT);
  expect ("includes.minKernel: dropped on an older kernel",
          RULE (",\"includes\":{\"minKernel\":\"4.8\"}"), default_caps, &amd64_44, DROPPED);
  expect ("includes.minKernel: compares numerically (4.10 > 4.8)",
          RULE (",\"includes\":{\"minKernel\":\"4.10\"}"), default_caps, &amd64_49, DROPPED);
  expect ("excludes.minKernel: dropped on that kernel or newer",
          RULE (",\"excludes\":{\"minKernel\":\"5.4\"}"), default_caps, &amd64_54, DROPPED);
  expect ("excludes.minKernel: kept on an older kernel",
          RULE (",\"excludes\":{\"minKernel\":\"5.10\"}"), default_caps, &amd64_54, KEPT);
  expect ("empty includes lists are no condition",
          RULE (",\"includes\":{\"caps\":[],\"arches\":[]},\"excludes\":{}"), default_caps,
          &amd64_54, KEPT);
  expect_error ("an invalid minKernel is refused", RULE (",\"includes\":{\"minKernel\":\"four\"}"),
                "invalid kernel version");
  expect ("comment is dropped from the output", RULE (",\"comment\":\"why\""), default_caps,
          &amd64_54, KEPT);
}

static void
fields (void)
{
  expect ("legacy name becomes names",
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
          default_caps, &amd64_54,
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
  expect_error ("name and names together are refused",
                "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"read\",\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                "use either 'name' or 'names'");
  expect ("errnoRet, defaultErrnoRet and uint64 argument values are kept exactly",
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":[{\"names\":[\"clone\"],"
          "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"args\":[{\"index\":0,\"value\":18446744073709551615,"
          "\"valueTwo\":9223372036854775808,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
          default_caps, &amd64_54,
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":[{\"names\":[\"clone\"],"
          "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,\"args\":[{\"index\":0,\"value\":18446744073709551615,"
          "\"valueTwo\":9223372036854775808,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}");
  expect ("a profile already in OCI form passes unchanged",
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"flags\":"
          "[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
          default_caps, &amd64_54,
          "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"flags\":"
          "[\"SECCOMP_FILTER_FLAG_LOG\"],\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
  expect ("no defaultAction and no syscalls means no filter, as in moby", "{\"archMap\":[]}",
          default_caps, &amd64_54, "");
  expect_error ("a key Go would fold onto a field is refused",
                "{\"DefaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[]}", "DefaultAction");
  expect_error ("a wrongly typed names list is refused",
                "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":\"read\"}]}", "names");
}

/* The shipped profile, converted for Docker's default capabilities and
 * for a container holding every capability, must block every must_block
 * syscall on every ABI of this host: the promise of profiles/seccomp. */
static void
shipped_profile (void)
{
  static char *docker_caps[]
      = { "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",     "CAP_FOWNER",        "CAP_MKNOD",
          "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID",     "CAP_SETFCAP",       "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE", NULL };
  static char *all_caps[]
      = { "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE", "CAP_SYS_BOOT", "CAP_SYS_TIME",
          "CAP_SYS_NICE", "CAP_SYSLOG", "CAP_SYS_TTY_CONFIG", "CAP_SYS_CHROOT", "CAP_BPF",
          "CAP_PERFMON", "CAP_SYS_RAWIO", "CAP_SYS_PACCT", "CAP_NET_ADMIN", "CAP_DAC_READ_SEARCH",
          NULL };
  char **sets[] = { docker_caps, all_caps };
  const char *names[] = { "shipped profile blocks must_block with Docker's default caps",
                          "shipped profile blocks must_block with every capability" };
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *policy = NULL;
  cleanup_json confine_json_t *profile = NULL;
  confine_dockerseccomp_host_t host;
  size_t len = 0;
  char *ptext = harness_read ("config/policy.json", &len);
  char *text = harness_read ("profiles/seccomp/default.json", &len);

  if (confine_policy_parse (ptext, strlen (ptext), &policy, &err) < 0
      || confine_json_parse (text, len, &profile, &err) < 0
      || confine_dockerseccomp_host (&host, &err) < 0)
    {
      CHECK (false, "shipped profile loads", "%s", err->msg);
      goto out;
    }
  CHECK (host.arch != NULL && host.kernel > 0, "host arch and kernel are known",
         "arch=%s kernel=%u.%u", host.arch ? host.arch : "(null)", host.kernel, host.major);
  for (int i = 0; i < 2; i++)
    {
      cleanup_json confine_json_t *sec = NULL;
      cleanup_seccomp_spec confine_seccomp_t *s = NULL;
      cleanup_bpf confine_bpf_t prog = { 0 };
      cleanup_strv char **leaks = NULL;
      if (confine_dockerseccomp_convert (profile, sets[i], &host, &sec, &err) <= 0
          || confine_seccomp_parse (sec, "linux.seccomp", &s, &err) <= 0
          || confine_seccomp_compile (s, &prog, &err) < 0
          || confine_seccomp_unblocked (&prog, policy->must_block, policy->block_namespace_clone,
                                        policy->block_device_nodes, false, &leaks, &err) < 0)
        {
          CHECK (false, names[i], "%s", err ? err->msg : "no filter");
          confine_error_release (&err);
          continue;
        }
      CHECK (leaks[0] == NULL, names[i], "lets through %s", leaks[0] ? leaks[0] : "");
    }
out:
  free (ptext);
  free (text);
}

void
run_tests (void)
{
  arches ();
  filters ();
  fields ();
  shipped_profile ();
}

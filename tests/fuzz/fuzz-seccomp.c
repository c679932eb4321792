/* SPDX-License-Identifier: Apache-2.0 */
/* A linux.seccomp section, through the typed parser, the compiler that
 * mirrors runc (libseccomp), and the judgement of the exported BPF. */
#include <string.h>

#include "fuzz.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *must_block[] = { "mount", "bpf", "keyctl", "unshare", NULL };
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *node = NULL;
  cleanup_seccomp_spec confine_seccomp_t *s = NULL;
  cleanup_bpf confine_bpf_t prog = { NULL, 0 };
  cleanup_strv char **unblocked = NULL;
  int rc;

  if (size > (1u << 20))
    return 0;
  rc = confine_json_parse ((const char *) data, size, &node, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    return 0;
  FUZZ_ASSERT (node != NULL);
  rc = confine_seccomp_parse (node, "linux.seccomp", &s, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0 || s == NULL)
    return 0;
  FUZZ_ASSERT (s->architectures != NULL && s->flags != NULL);
  for (size_t i = 0; i < s->n_syscalls; i++)
    FUZZ_ASSERT (s->syscalls[i].names != NULL);
  if (confine_seccomp_is_empty (s))
    return 0;
  rc = confine_seccomp_compile (s, &prog, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    return 0;
  /* What libseccomp exported must pass our own checker. */
  FUZZ_ASSERT (prog.insns != NULL && prog.len > 0);
  {
    cleanup_error confine_error_t verr = NULL;
    rc = confine_bpf_validate (&prog, &verr);
    FUZZ_CHECK_RC (rc, verr);
  }
  rc = confine_seccomp_unblocked (&prog, must_block, true, true, true, &unblocked, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc >= 0)
    FUZZ_ASSERT (unblocked != NULL);
  {
    /* seccomp_needs on the same program: a name that is no syscall is
     * skipped, the others judged. */
    static const char *const needed[] = { "fstatfs", "execve", "prctl", "no_such_call", NULL };
    cleanup_error confine_error_t nerr = NULL;
    cleanup_strv char **denied = NULL;
    rc = confine_seccomp_denied (&prog, needed, &denied, &nerr);
    FUZZ_CHECK_RC (rc, nerr);
    if (rc >= 0)
      FUZZ_ASSERT (denied != NULL && !confine_strv_has (denied, "no_such_call"));
  }
  return 0;
}

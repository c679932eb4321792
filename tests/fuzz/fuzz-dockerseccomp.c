/* SPDX-License-Identifier: Apache-2.0 */
/* The Docker-to-OCI seccomp converter (archMap, includes/excludes by
 * capability, arch and kernel version). Whatever it returns is injected
 * into a spec by the shim, so it must be a section our own parser reads
 * and, when libseccomp accepts it, compiles. */
#include <string.h>

#include "fuzz.h"
#include "../../src/dockerseccomp.h"
#include "../../src/seccomp.h"
#include "../../oci/spec.h"
#include "../../base/utils.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *bounding[] = { "CAP_CHOWN", "CAP_NET_RAW", "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", NULL };
  /* Two hosts: the one this runs on and a foreign, older one, so both
   * sides of the arch and kernel-version conditions are taken. */
  static const confine_dockerseccomp_host_t hosts[]
      = { { "amd64", "SCMP_ARCH_X86_64", 6, 1 }, { "arm64", "SCMP_ARCH_AARCH64", 4, 14 },
          { NULL, NULL, 0, 0 } };
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *profile = NULL;
  int rc;

  if (size > CONFINE_DOCKERSECCOMP_MAX_BYTES)
    return 0;
  rc = confine_json_parse ((const char *) data, size, &profile, &err);
  FUZZ_CHECK_RC (rc, err);
  if (rc < 0)
    return 0;

  for (size_t h = 0; h < sizeof hosts / sizeof hosts[0]; h++)
    for (int caps = 0; caps <= 1; caps++)
      {
        cleanup_error confine_error_t cerr = NULL;
        cleanup_json confine_json_t *out = NULL;
        cleanup_seccomp_spec confine_seccomp_t *s = NULL;
        cleanup_bpf confine_bpf_t prog = { NULL, 0 };
        cleanup_free char *text = NULL;
        size_t len = 0;

        rc = confine_dockerseccomp_convert (profile, caps ? bounding : NULL, &hosts[h], &out,
                                            &cerr);
        FUZZ_CHECK_RC (rc, cerr);
        FUZZ_ASSERT (rc <= 1);
        if (rc <= 0)
          {
            FUZZ_ASSERT (out == NULL);
            continue;
          }
        FUZZ_ASSERT (out != NULL && out->type == CONFINE_JSON_OBJECT);
        /* The shim writes this into config.json: it must serialise. */
        rc = confine_json_write (out, false, &text, &len, &cerr);
        FUZZ_CHECK_RC (rc, cerr);
        FUZZ_ASSERT (rc == 0);
        rc = confine_seccomp_parse (out, "linux.seccomp", &s, &cerr);
        FUZZ_CHECK_RC (rc, cerr);
        if (rc < 0 || s == NULL || h != 0 || confine_seccomp_is_empty (s))
          continue;
        rc = confine_seccomp_compile (s, &prog, &cerr);
        FUZZ_CHECK_RC (rc, cerr);
      }
  return 0;
}
